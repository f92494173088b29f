#!/usr/bin/env python3
"""Deterministic generator of a synthetic corpus of partnership files for 'make bench'.

Each file is shaped like examples/*/partnership.yaml (data format v1, docs/data-format.md):
a partnership with area changes, population, budget and baselines; survey, crime and other
series with values by scope, samples and significance statements; activities with
financing (some '?'), midway status and success criteria; goals using the standard rules.
The data deliberately contains the situations the rules answer 'nodata' to: missing years,
a comparison across an area change, no population for a rate, '?' financing, a missing
budget total, a milestone whose due date passed without word on whether it was done.

File i depends only on --seed and i, so a smaller corpus is a prefix of a larger one.

usage: gen.py [--out DIR] [--files N] [--activities N] [--years N] [--goals N] [--seed S]
Prints one summary line (files, bytes, goals by rule) and writes DIR/files.txt, one path
a line.
"""
import argparse
import os
import random
import sys

ORGS = [
    "Københavns Kommune", "Københavns Politi", "SSP København", "fsb", "SAB", "AAB", "3B",
    "Sikker By (ØKF)", "Socialforvaltningen", "Børne- og Ungdomsforvaltningen",
    "Kultur- og Fritidsforvaltningen", "Teknik- og Miljøforvaltningen", "Jobcenter København",
    "Den boligsociale helhedsplan", "Brønshøj Boldklub", "Ny Start (SOF)", "Idrætsprojektet (SOF)",
    "Nærpolitiet", "Lokaludvalget", "Kulturhuset", "Biblioteket", "Ungdomsskolen", "Klubben",
    "Afdelingsbestyrelsen", "Frivilligcentret", "Sundhedsplejen", "Beboerrådgiverne",
    "Erhvervsforeningen", "Idrætsforeningen", "Foreningen Mors varme hænder", "Coding Pirates",
    "Turning Tables Danmark", "Den lokale skole", "Bydelsmødrene", "Natteravnene",
]
AREAS = ["Tingbjerg", "Husum", "Urbanplanen", "Hørgården", "Mjølnerparken", "Bispebjerg",
         "Nørrebro Nord", "Sydhavnen", "Valby Syd", "Vesterbro Vest", "Amager Øst", "Brønshøj",
         "Vanløse", "Bellahøj", "Akacieparken", "Folehaven", "Ørestad Syd", "Kongens Enghave"]
DISTRICTS = ["Brønshøj-Husum", "Amager Vest", "Amager Øst", "Bispebjerg", "Nørrebro",
             "Valby", "Vesterbro/Kongens Enghave", "Vanløse", "Indre By", "Østerbro"]
FOCUS = ["Dialog og kommunikation", "Tryggere byliv", "Børn, unge og beboere",
         "Beskæftigelse", "Kriminalitetsforebyggelse", "Fællesskab og naboskab"]
NOUNS = ["Fælleshaven", "Videnshus", "Foreningsstart", "Lommepengejob", "Fritidsjob",
         "Kvindemotion", "Tryghedsvandring", "Bylivspuljen", "Gadeplan", "Ung i job",
         "Skolefravær", "Café", "Værksted", "Kældre", "Byrum", "Festival", "Netværk",
         "Mentorordning", "Lektiecafé", "Sommerferieaktiviteter", "Forældrecafé", "Belysning"]
ADJ = ["Tidlig", "Trygge", "Fælles", "Lokale", "Nye", "Grønne", "Åbne", "Aktive", "Unge"]
CRIME = ["Indbrud", "Tyveri/røveri", "Vold/våben", "Chikane", "Hærværk", "Narkotika",
         "Trusler", "Borgervendt kriminalitet", "Brandstiftelse", "Butikstyveri"]
SURVEY = ["Andel utrygge i nabolaget", "Andel utrygge i aften- og nattetimerne",
          "Andel der oplever kriminalitet som et problem", "Andel der undgår steder om aftenen",
          "Andel der kender deres naboer", "Andel med et negativt billede af området"]
NOTES = [
    "Aktiviteten fortsætter som planlagt", "Afventer midler til at udbrede tiltaget",
    "Bekymring for om aktiviteten fortsætter efter perioden",
    "Pga. ansættelse af ny medarbejder er det ikke sikkert, at alle leverancer kan indfries",
    "Aktiviteten og leverancerne tilpasses den mindre tidsramme",
    "Dialog med forvaltningen om forankring", "Merudgift pga. nye regler om gebyrer",
    "Færre deltagere end ventet i vinterhalvåret",
]


def slug(s):
    out = []
    for ch in s.lower():
        if ch in "æ":
            out.append("ae")
        elif ch in "ø":
            out.append("oe")
        elif ch in "å":
            out.append("aa")
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append("-")
    r = "".join(out)
    while "--" in r:
        r = r.replace("--", "-")
    return r.strip("-") or "x"


def q(s):
    """A YAML double-quoted string (always safe, in flow and block context)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def num(x):
    if isinstance(x, float):
        s = ("%.1f" % x)
        return s[:-2] if s.endswith(".0") else s
    return str(x)


def flowmap(d):
    return "{" + ", ".join("%s: %s" % (k, v) for k, v in d.items()) + "}"


class File:
    def __init__(self, rng, idx, nact, nyears, ngoals):
        self.r = rng
        self.idx = idx
        self.nact = max(1, nact + rng.randint(-2, 2))
        self.nyears = max(1, nyears + rng.choice([0, 0, 0, 1, -1]))
        self.ngoals = max(1, ngoals + rng.randint(-2, 2))
        self.rules_used = []

    # ---- pieces -------------------------------------------------------------------------
    def years_with_gaps(self, lo, hi, keep=0.85):
        return [y for y in range(lo, hi + 1) if self.r.random() < keep]

    def build(self):
        r = self.r
        self.frm = r.randint(2014, 2022)
        self.to = self.frm + self.nyears - 1
        # the year of the status report: the data ends here (usually midway or at the end)
        self.report = r.randint(self.frm, self.to)
        area = r.choice(AREAS)
        self.pid = "%s-%d-%d-%05d" % (slug(area), self.frm, self.to, self.idx)
        lines = []
        w = lines.append
        w("# Synthetic partnership %d for 'make bench' (tests/bench/gen.py); not real data." % self.idx)
        w("maal: 1")
        w("")
        w("partnership:")
        w("  id: %s" % self.pid)
        w("  name: %s" % q("%s Partnerskab %d" % (area, self.idx)))
        w("  period: {from: %d, to: %d}" % (self.frm, self.to))
        w("  area: %s" % q("Boligområderne i %s og de nærliggende arealer" % area))
        w("  district: %s" % q(r.choice(DISTRICTS)))
        self.changes = []
        if r.random() < 0.3:
            cy = r.randint(self.frm, self.report)
            aff = r.choice([None, ["survey"], ["survey", "crime"], ["crime"], ["other"]])
            self.changes.append((cy, aff if aff is not None else ["survey"]))
            w("  area_changes:")
            w("    - year: %d" % cy)
            w("      note: Området blev udvidet; tal fra før %d kan ikke sammenlignes med senere" % cy)
            if aff is not None:
                w("      affects: [%s]" % ", ".join(aff))
        partners = r.sample(ORGS, r.randint(3, 6))
        w("  partners:")
        for p in partners:
            w("    - %s" % q(p))
        self.population = {}
        if r.random() < 0.65:
            base = r.randint(4000, 20000)
            for y in self.years_with_gaps(self.frm - 1, self.to, 0.9):
                self.population[y] = base + r.randint(-300, 300)
            if self.population:
                w("  population: %s" % flowmap({y: v for y, v in self.population.items()}))
        self.baselines = {}
        if r.random() < 0.85:
            self.baselines["survey"] = r.choice([self.frm - 1, self.frm, self.frm])
        if r.random() < 0.85:
            self.baselines["crime"] = self.frm - 1
        if r.random() < 0.2:
            self.baselines["other"] = self.frm
        # the budget comes after the activities are known; keep its place
        self.budget_at = len(lines)
        if self.baselines:
            w("  baselines: %s" % flowmap(self.baselines))
        w("  source: %s" % q("Status på tryghed og kriminalitet for %s, %d" % (area, self.report)))
        w("")
        self.series_lines(lines)
        self.activity_lines(lines)
        self.insert_budget(lines)
        self.goal_lines(lines)
        return "\n".join(lines) + "\n"

    # ---- series -------------------------------------------------------------------------
    def series_lines(self, lines):
        r = self.r
        w = lines.append
        self.series = []  # (id, kind, unit, {scope: {year: value}})
        self.names = {}
        names = r.sample(SURVEY, 2)
        for i, nm in enumerate(names):
            sid = "s%d-%s" % (i + 1, slug(nm)[6:16].strip("-"))
            vals = {}
            lo = self.frm - r.choice([1, 1, 2, 5])
            area = {}
            level = r.uniform(8, 40)
            for y in self.years_with_gaps(lo, self.report, 0.8):
                level = min(100, max(0, level + r.uniform(-4, 4)))
                area[y] = round(level, 1 if r.random() < 0.7 else 0)
            vals["area"] = area
            if r.random() < 0.6:
                vals["district"] = {y: round(min(100, max(0, v + r.uniform(-6, 2))), 1)
                                    for y, v in area.items() if r.random() < 0.7}
            if r.random() < 0.8:
                city = {}
                for y, v in area.items():
                    if r.random() < 0.75:
                        # sometimes the gap is closed: the city value equals the area's
                        city[y] = v if r.random() < 0.1 else round(max(0, v - r.uniform(-1, 12)), 1)
                vals["city"] = city
            self.names[sid] = nm
            self.series.append((sid, "survey", "percent", vals))
        crimes = r.sample(CRIME, 2)
        for i, nm in enumerate(crimes):
            sid = "c%d-%s" % (i + 1, slug(nm)[:10].strip("-"))
            lo = self.frm - r.choice([1, 1, 1, 2])
            area = {}
            level = r.randint(10, 150)
            for y in self.years_with_gaps(lo, self.report, 0.85):
                level = max(0, level + r.randint(-20, 20))
                area[y] = level
            vals = {"area": area}
            if r.random() < 0.3:
                vals["district"] = {y: v * r.randint(3, 6) for y, v in area.items()}
            self.names[sid] = nm
            self.series.append((sid, "crime", "count", vals))
        # a rate per 1000, typed in as in the reports
        area = {}
        level = r.uniform(15, 45)
        for y in self.years_with_gaps(self.frm - 1, self.report, 0.85):
            level = max(0, level + r.uniform(-5, 5))
            area[y] = round(level, 1)
        vals = {"area": area}
        if r.random() < 0.7:
            vals["city"] = {y: round(r.uniform(25, 40), 1) for y in area if r.random() < 0.6}
        self.names["rate"] = "Borgervendt kriminalitet pr. 1000 indbyggere"
        self.series.append(("rate", "crime", "per_1000", vals))
        # something else: an index
        area = {y: r.randint(20, 80) for y in self.years_with_gaps(self.frm, self.report, 0.7)}
        self.names["indeks"] = "Omdømmeindeks"
        self.series.append(("indeks", "other", "number", {"area": area}))

        w("series:")
        for sid, kind, unit, vals in self.series:
            w("  - id: %s" % sid)
            w("    name: %s" % q(self.names[sid]))
            w("    kind: %s" % kind)
            w("    unit: %s" % unit)
            if r.random() < 0.5:
                w("    source: %s" % q(r.choice(["Københavns Tryghedsundersøgelse", "Københavns Politi, dynamiske tal",
                                             "Tabel 1", "Figur 3", "Beboerundersøgelsen"])))
            w("    values:")
            for scope in ("area", "district", "city"):
                if scope in vals:
                    m = vals[scope]
                    w("      %s: %s" % (scope, flowmap({y: num(v) for y, v in sorted(m.items())}) if m else "{}"))
            if kind == "survey" and r.random() < 0.4:
                smp = {y: r.randint(150, 900) for y in vals["area"] if r.random() < 0.8}
                if smp:
                    w("    samples:")
                    w("      area: %s" % flowmap(smp))
            if kind == "survey" and r.random() < 0.4:
                ys = sorted(vals["area"])
                w("    significance:")
                if len(ys) >= 2:
                    w("      - {scope: area, from: %d, to: %d, significant: %s}"
                      % (ys[-2], ys[-1], r.choice(["true", "false"])))
                w("      - {scope: city, year: %d, significant: %s, note: forskellen mellem området og hele byen}"
                  % (ys[-1] if ys else self.frm, r.choice(["true", "false"])))
        w("")

    # ---- activities ---------------------------------------------------------------------
    def activity_lines(self, lines):
        r = self.r
        w = lines.append
        self.acts = []   # dicts: id, financing, criteria [(id, kind)]
        w("activities:")
        for i in range(self.nact):
            aid = "a%02d" % (i + 1)
            budget_line = i == self.nact - 1 and r.random() < 0.4
            nm = "%s %s" % (r.choice(ADJ), r.choice(NOUNS).lower()) if r.random() < 0.5 else r.choice(NOUNS)
            w("  - id: %s" % aid)
            w("    number: %d" % (i + 1))
            w("    name: %s" % q(nm + (" (budgetlinje)" if budget_line else "")))
            if r.random() < 0.7:
                w("    focus_area: %s" % q(r.choice(FOCUS)))
            if r.random() < 0.15:
                w("    new: true")
            resp = r.sample(ORGS, r.randint(1, 2))
            w("    responsible: [%s]" % ", ".join(q(x) for x in resp))
            npart = r.choice([0, 0, 1, 1, 2, 3, 4])
            part = r.sample(ORGS, npart)
            if r.random() < 0.15 and resp:
                part.append(resp[0])   # a duplicate name counts once
            if part or r.random() < 0.5:
                w("    partners: [%s]" % ", ".join(q(x) for x in part))
            if budget_line:
                w("    in_partner_share: false")
                w("    note: En budgetlinje, ikke en aktivitet")
            fin = {}
            unknown_prob = 0.12 if r.random() < 0.35 else 0.0
            for y in range(self.frm, self.to + 1):
                if r.random() < 0.85:
                    fin[y] = "'?'" if r.random() < unknown_prob else r.randrange(0, 400000, 5000)
            if fin:
                w("    financing: %s" % flowmap(fin))
            if not budget_line and r.random() < 0.75:
                sy = self.report if r.random() < 0.8 else max(self.frm, self.report - 1)
                ap = r.choice(["yes", "yes", "yes", "partly", "no"])
                conc = "no" if r.random() < 0.7 else q(r.choice(NOTES))
                adj = "no" if r.random() < 0.7 else q(r.choice(NOTES))
                if r.random() < 0.5:
                    w("    status: {year: %d, as_planned: %s, concerns: %s, adjustments: %s}" % (sy, ap, conc, adj))
                else:
                    w("    status:")
                    w("      year: %d" % sy)
                    w("      as_planned: %s" % ap)
                    w("      concerns: %s" % conc)
                    w("      adjustments: %s" % adj)
                    w("      note: %s" % q(r.choice(NOTES)))
            crit = []
            nc = r.choice([0, 1, 1, 2, 2]) if not budget_line else 0
            if nc:
                w("    criteria:")
            for k in range(nc):
                cid = "%s-k%d" % (aid, k + 1)
                if r.random() < 0.3:
                    # a milestone
                    dy = r.randint(self.frm, self.to)
                    due = "%d-%02d-%02d" % (dy, r.randint(1, 12), r.randint(1, 28))
                    w("      - id: %s" % cid)
                    w("        text: %s" % q("%s etableret" % nm))
                    w("        due: %s" % due)
                    c = r.random()
                    if c < 0.45:
                        doy = dy + r.choice([-1, 0, 0, 0, 1])
                        done = "%d-%02d-%02d" % (max(self.frm, doy), r.randint(1, 12), r.randint(1, 28))
                        w("        done: %s" % done)
                    elif c < 0.6:
                        w("        done: no")
                    crit.append((cid, "milestone"))
                else:
                    unit = r.choice(["count", "count", "number", "percent"])
                    w("      - id: %s" % cid)
                    w("        text: %s" % q("Antal deltagere i %s" % nm.lower()))
                    w("        unit: %s" % unit)
                    vals = {}
                    for y in self.years_with_gaps(self.frm, self.report, 0.6):
                        vals[y] = r.randint(0, 100) if unit != "number" else round(r.uniform(0, 100), 1)
                    target = r.randint(5, 80)
                    if vals:
                        w("        values: %s" % flowmap({y: num(v) for y, v in vals.items()}))
                    w("        target: %d" % target)
                    by = None
                    if r.random() < 0.4:
                        by = r.randint(self.frm, self.to)
                        w("        by_year: %d" % by)
                    crit.append((cid, "value", target, by, vals))
            self.acts.append({"id": aid, "fin": fin, "crit": crit, "name": nm})
        w("")

    def insert_budget(self, lines):
        r = self.r
        bud = {}
        for y in range(self.frm, self.to + 1):
            if r.random() < 0.1:
                continue   # no stated total for this year
            total = sum(a["fin"].get(y, 0) for a in self.acts if isinstance(a["fin"].get(y, 0), int))
            if r.random() < 0.35:
                total += r.choice([-1, 1]) * r.randrange(5000, 200000, 5000)
            bud[y] = max(0, total)
        if bud:
            lines.insert(self.budget_at, "  budget: %s" % flowmap(bud))

    # ---- goals --------------------------------------------------------------------------
    def goal_lines(self, lines):
        r = self.r
        w = lines.append
        survey = [s for s in self.series if s[1] == "survey"]
        crime = [s for s in self.series if s[1] == "crime"]
        counts = [s for s in crime if s[2] == "count"]
        values = [(a, c) for a in self.acts for c in a["crit"] if c[1] == "value"]
        milestones = [(a, c) for a in self.acts for c in a["crit"] if c[1] == "milestone"]
        order = ["at_most_baseline", "monitor", "annual_decrease", "approach_level",
                 "share_of_activities", "budget_balance", "at_least", "range", "milestone",
                 "activities_on_track"]
        extra = ["at_most_baseline", "at_most_baseline", "monitor", "monitor", "annual_decrease",
                 "annual_increase", "approach_level", "at_least", "at_least", "at_most", "range",
                 "milestone", "budget_balance"]
        rules = order[: self.ngoals] + [r.choice(extra) for _ in range(self.ngoals - len(order))]
        w("goals:")
        n = 0
        for rule in rules:
            params = None
            title = None
            group = "andet"
            if rule in ("at_most_baseline",):
                s = r.choice(crime + survey[:1])
                params = {"series": s[0]}
                if s[2] == "count" and self.population and r.random() < 0.35:
                    params["per_1000"] = "true"
                if r.random() < 0.15:
                    params["baseline_year"] = self.frm - 1 if r.random() < 0.5 else self.frm
                title = "%s fastholdes mindst på baseline-niveau" % s[0]
                group = "kriminalitet"
            elif rule == "monitor":
                s = r.choice(self.series)
                params = {"series": s[0]}
                if "district" in s[3] and r.random() < 0.3:
                    params["scope"] = "district"
                if r.random() < 0.1:
                    params["baseline_year"] = self.frm
                title = "Årlig monitorering af %s" % s[0]
                group = "kriminalitet" if s[1] == "crime" else "tryghed"
            elif rule in ("annual_decrease", "annual_increase"):
                s = r.choice(survey + crime)
                params = {"series": s[0]}
                if r.random() < 0.1:
                    params["alpha"] = 0.01
                title = "%s skal årligt udvise %s" % (s[0], "et fald" if rule == "annual_decrease" else "en stigning")
                group = "tryghed"
            elif rule == "approach_level":
                s = r.choice(survey + crime[-1:])
                params = {"series": s[0], "target_year": r.choice([self.to, self.report, self.frm])}
                if r.random() < 0.2:
                    params["tolerance"] = r.choice([1, 2.5])
                if r.random() < 0.15 and "district" in s[3]:
                    params["reference"] = "district"
                if r.random() < 0.1:
                    params["baseline_year"] = self.frm
                title = "%s skal nærme sig Københavnniveau i %d" % (s[0], params["target_year"])
                group = "tryghed"
            elif rule == "share_of_activities":
                params = {"threshold": r.choice([50, 60, 66.7, 75, 80])}
                if r.random() < 0.4:
                    params["min_partners"] = r.choice([2, 3])
                title = "Mindst %s %% af aktiviteterne skal involvere flere samarbejdspartnere" % num(params["threshold"])
                group = "samarbejde"
            elif rule == "budget_balance":
                params = {"year": r.randint(self.frm, self.to)}
                title = "Tryghedsplanens finansiering %d svarer til den angivne sum" % params["year"]
                group = "budget"
            elif rule in ("at_least", "at_most"):
                if values and r.random() < 0.75:
                    a, c = r.choice(values)
                    params = {"activity": a["id"], "criterion": c[0], "target": c[2]}
                    if c[3] is not None and r.random() < 0.7:
                        params["by_year"] = c[3]
                    title = "%s: %s %d" % (a["name"], "mindst" if rule == "at_least" else "højst", c[2])
                else:
                    s = r.choice(self.series)
                    vals = list(s[3]["area"].values()) or [10]
                    params = {"series": s[0], "target": num(r.choice(vals))}
                    if r.random() < 0.4:
                        params["by_year"] = r.randint(self.frm, self.to)
                    title = "%s %s %s" % (s[0], "mindst" if rule == "at_least" else "højst", params["target"])
                group = "aktiviteter"
            elif rule == "range":
                if values:
                    a, c = r.choice(values)
                    lo = r.randint(0, 60)
                    params = {"activity": a["id"], "criterion": c[0], "min": lo, "max": lo + r.randint(0, 40)}
                    if c[3] is not None and r.random() < 0.5:
                        params["by_year"] = c[3]
                else:
                    s = r.choice(survey)
                    params = {"series": s[0], "min": 10, "max": 30}
                title = "Mellem %s og %s" % (params["min"], params["max"])
                group = "aktiviteter"
            elif rule == "milestone":
                if milestones:
                    a, c = r.choice(milestones)
                    params = {"activity": a["id"], "criterion": c[0]}
                    title = "%s: etableret til tiden" % a["name"]
                else:
                    rule = "monitor"
                    s = r.choice(self.series)
                    params = {"series": s[0]}
                    title = "Årlig monitorering af %s" % s[0]
                group = "aktiviteter"
            elif rule == "activities_on_track":
                params = {}
                if r.random() < 0.4:
                    params["year"] = self.report
                if r.random() < 0.6:
                    params["max_off_track"] = r.randint(0, 3)
                title = "Aktiviteterne kører som planlagt (midtvejsstatus)"
                group = "aktiviteter"
            n += 1
            self.rules_used.append(rule)
            w("  - id: g%02d" % n)
            w("    group: %s" % group)
            w("    title: %s" % q(title))
            w("    rule: %s" % rule)
            if params:
                w("    params: %s" % flowmap(params))
            elif r.random() < 0.5:
                w("    params: {}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/bench/corpus")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--activities", type=int, default=4, help="activities per file (about)")
    ap.add_argument("--years", type=int, default=4, help="years of the period (about)")
    ap.add_argument("--goals", type=int, default=12, help="goals per file (about)")
    ap.add_argument("--seed", type=int, default=8)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    total = 0
    ngoals = 0
    by_rule = {}
    paths = []
    ndirs = (a.files + 999) // 1000
    for i in range(a.files):
        rng = random.Random(a.seed * 1000003 + i)
        f = File(rng, i, a.activities, a.years, a.goals)
        text = f.build()
        d = os.path.join(a.out, "%02d" % (i % ndirs)) if ndirs > 1 else a.out
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "p%05d.yaml" % i)
        data = text.encode("utf-8")
        try:
            with open(path, "rb") as fh:
                same = fh.read() == data
        except OSError:
            same = False
        if not same:
            with open(path, "wb") as fh:
                fh.write(data)
        total += len(data)
        ngoals += len(f.rules_used)
        for ru in f.rules_used:
            by_rule[ru] = by_rule.get(ru, 0) + 1
        paths.append(path)
    with open(os.path.join(a.out, "files.txt"), "w") as fh:
        fh.write("\n".join(paths) + "\n")
    print("gen: %d files, %d bytes (%.1f MB), %d goals; %s" % (
        a.files, total, total / 1e6, ngoals,
        ", ".join("%s %d" % kv for kv in sorted(by_rule.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
