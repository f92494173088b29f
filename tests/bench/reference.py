#!/usr/bin/env python3
"""Reference implementation of the standard rules' verdicts, for 'make bench'.

Reads partnership files (data format v1) with PyYAML's C loader (yaml.CSafeLoader) and
prints, for each file and goal, one line: FILE<TAB>GOAL<TAB>VERDICT. The verdict logic
follows rules/*.lua and core/prelude/ (maal.std.target_check, maal.std.annual, ctx.comparable)
line by line; the year is maal's default: the file's latest year of any series or criterion
value, budget total or midway status, else period.to (compute_latest in core/model.c). Only verdicts are computed, not
messages. A file that does not load prints FILE<TAB>-<TAB>invalid.

usage: reference.py FILE... | reference.py --list LISTFILE
"""
import datetime
import math
import sys

import yaml

LOADER = yaml.CSafeLoader
EPS = 1e-9


# ---- the data, normalised as maal's model does (core/model.c) ----------------------------
def text_or_none(v):
    """concerns/adjustments: 'no'/'false' (or YAML 1.1 booleans) mean none."""
    if v is None or v is False:
        return None
    if v is True:
        return "yes"
    s = str(v)
    return None if s in ("no", "false") else s


def as_bool(v, default):
    if v is None:
        return default
    if isinstance(v, bool):
        return v
    return str(v) in ("true", "yes")


def as_date(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.strftime("%Y-%m-%d")
    return v


def as_list(v):
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [str(v)]


def yearmap(m):
    """{year: value}; '?' stays '?' (financing)."""
    if not m:
        return {}
    return {int(y): v for y, v in m.items()}


def as_planned(v):
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return v


class Model:
    def __init__(self, doc):
        p = doc["partnership"]
        per = p["period"]
        self.frm, self.to = int(per["from"]), int(per["to"])
        self.changes = []
        for c in p.get("area_changes") or []:
            aff = c.get("affects")
            self.changes.append((int(c["year"]), set(aff) if aff is not None else {"survey"}))
        self.population = yearmap(p.get("population"))
        self.budget = yearmap(p.get("budget"))
        latest = max(self.budget) if self.budget else 0
        self.baselines = {k: int(v) for k, v in (p.get("baselines") or {}).items()}
        self.series = {}
        for s in doc.get("series") or []:
            vals = {sc: yearmap(m) for sc, m in (s.get("values") or {}).items()}
            self.series[s["id"]] = {"kind": s["kind"], "unit": s["unit"], "values": vals}
            for m in vals.values():
                if m:
                    latest = max(latest, max(m))
        self.activities = []
        self.act_by_id = {}
        for a in doc.get("activities") or []:
            st = a.get("status")
            status = None
            if st:
                status = {"year": int(st["year"]), "as_planned": as_planned(st.get("as_planned")),
                          "concerns": text_or_none(st.get("concerns"))}
                latest = max(latest, status["year"])
            crit = {}
            for c in a.get("criteria") or []:
                done = c.get("done")
                done_no = done is False or (isinstance(done, str) and done in ("no", "false"))
                vals = yearmap(c.get("values"))
                if vals:
                    latest = max(latest, max(vals))
                crit[c["id"]] = {"values": vals, "due": as_date(c.get("due")),
                                 "done": None if done_no or done is None else as_date(done),
                                 "done_no": done_no}
            names = []
            for n in as_list(a.get("responsible")) + as_list(a.get("partners")):
                if n not in names:
                    names.append(n)
            act = {"id": a["id"], "in_partner_share": as_bool(a.get("in_partner_share"), True),
                   "start": int(a["start"]) if a.get("start") is not None else None,
                   "end": int(a["end"]) if a.get("end") is not None else None,
                   "partner_count": len(names), "financing": yearmap(a.get("financing")),
                   "status": status, "criteria": crit}
            self.activities.append(act)
            self.act_by_id[a["id"]] = act
        self.latest_year = latest if latest else self.to
        self.goals = [(g["id"], g["rule"], g.get("params") or {}) for g in doc["goals"]]

    # ctx.comparable: an area change moves the partnership's own area, not the city's or
    # the district's values
    def comparable(self, kind, y1, y2, scope="area"):
        if scope != "area":
            return True
        if y1 > y2:
            y1, y2 = y2, y1
        for cy, affects in self.changes:
            if kind in affects and y1 < cy <= y2:
                return False
        return True


def latest_in(m, maxyear):
    best = None
    for y in m:
        if y <= maxyear and (best is None or y > best):
            best = y
    return best


def runs(a, year):
    """a:runs(year): 'start'/'end' of the activity, else it runs in every year"""
    return not ((a["start"] is not None and year < a["start"]) or
                (a["end"] is not None and year > a["end"]))


def change(a, b):
    return math.floor((a - b) * 1e9 + 0.5) / 1e9


# ---- the rules --------------------------------------------------------------------------
class RuleError(Exception):
    pass


def series_of(m, p):
    sid = p.get("series")
    if sid not in m.series:
        raise RuleError("unknown series")
    return m.series[sid]


def scope_map(s, scope):
    return s["values"].get(scope) or {}


def r_baseline_check(m, p, Y, direction):
    """maal.baseline_check: at_most_baseline (-1), at_least_baseline (1); strict: an
    unchanged value does not meet the goal"""
    s = series_of(m, p)
    scope = p.get("scope", "area")
    by = p.get("baseline_year") or m.baselines.get(s["kind"])
    if not by:
        return "nodata"
    vals = scope_map(s, scope)
    y = latest_in(vals, Y)
    if y is None or y <= by:
        return "nodata"
    v = vals[y]
    b = vals.get(by)
    if b is None:
        return "nodata"
    if not m.comparable(s["kind"], by, y, scope):
        return "nodata"
    if p.get("per_1000", False):
        pop, popb = m.population.get(y), m.population.get(by)
        if not pop or not popb:
            return "nodata"
        v, b = v / pop * 1000, b / popb * 1000
    if p.get("strict", False):
        return "pass" if direction * change(v, b) > 0 else "fail"
    ok = v <= b + EPS if direction < 0 else v >= b - EPS
    return "pass" if ok else "fail"


def r_monitor(m, p, Y):
    s = series_of(m, p)
    y = latest_in(scope_map(s, p.get("scope", "area")), Y)
    return "nodata" if y is None else "info"


def r_annual(m, p, Y, direction):
    if p.get("significant_only"):
        raise RuleError("significant_only is not implemented here (gen.py never sets it)")
    s = series_of(m, p)
    vals = scope_map(s, p.get("scope", "area"))
    y = latest_in(vals, Y)
    if y is None:
        return "nodata"
    v = vals[y]
    prev = vals.get(y - 1)
    if prev is None:
        return "nodata"
    if not m.comparable(s["kind"], y - 1, y, p.get("scope", "area")):
        return "nodata"
    ok = v < prev if direction < 0 else v > prev
    return "pass" if ok else "fail"


def r_approach_level(m, p, Y):
    s = series_of(m, p)
    scope, ref = p.get("scope", "area"), p.get("reference", "city")
    tol = p.get("tolerance", 0)
    by = p.get("baseline_year") or m.baselines.get(s["kind"])
    if not by:
        return "nodata"
    vals, rvals = scope_map(s, scope), scope_map(s, ref)
    y = latest_in(vals, Y)
    if y is None or y <= by:
        return "nodata"
    if Y >= p["target_year"] and y < p["target_year"]:
        return "nodata"   # from the target year on, its own value decides
    v = vals[y]
    r, b, rb = rvals.get(y), vals.get(by), rvals.get(by)
    if r is None or b is None or rb is None:
        return "nodata"
    if not m.comparable(s["kind"], by, y):
        return "nodata"
    gap, gap0 = change(v, r), change(b, rb)
    side = -1 if gap0 < 0 else 1   # the side of the reference the area starts on
    reached = y >= p["target_year"]
    if p.get("close", False) and reached:
        ok = side * gap <= tol + EPS
    else:
        ok = side * gap < side * gap0 - EPS   # the gap shrinks, in every year
    return "pass" if ok else "fail"


def subject(m, p):
    """(latest(maxyear) -> (year, value) or None, value(year))"""
    if p.get("series") is not None:
        s = series_of(m, p)
        vals = scope_map(s, p.get("scope", "area"))
    elif p.get("activity") is not None:
        a = m.act_by_id.get(p["activity"])
        if a is None or p.get("criterion") not in a["criteria"]:
            raise RuleError("unknown activity or criterion")
        vals = a["criteria"][p["criterion"]]["values"]
    else:
        raise RuleError("no subject")
    return vals


def target_check(m, p, Y, test):
    vals = subject(m, p)
    by_year = p.get("by_year")
    due = by_year is not None and by_year <= Y
    if due:
        v = vals.get(by_year)
        if v is None:
            return "nodata"
    else:
        y = latest_in(vals, Y)
        if y is None:
            return "nodata"
        v = vals[y]
    ok = test(v)
    if by_year is not None and not due:
        return "pass" if ok else "info"
    return "pass" if ok else "fail"


def r_at_least(m, p, Y):
    return target_check(m, p, Y, lambda v: v >= p["target"] - EPS)


def r_at_most(m, p, Y):
    return target_check(m, p, Y, lambda v: v <= p["target"] + EPS)


def r_range(m, p, Y):
    if p["min"] > p["max"]:
        raise RuleError("min > max")
    return target_check(m, p, Y, lambda v: v >= p["min"] - EPS and v <= p["max"] + EPS)


def r_share_of_activities(m, p, Y):
    acts = [a for a in m.activities if a["in_partner_share"] and runs(a, Y)]
    n = len(acts)
    if n == 0:
        return "nodata"
    k = sum(1 for a in acts if a["partner_count"] >= p.get("min_partners", 2))
    pct = k / n * 100
    return "pass" if pct >= p["threshold"] - EPS else "fail"


def r_budget_balance(m, p, Y):
    year = p["year"]
    if year > Y:
        return "nodata"   # not yet
    stated = m.budget.get(year)
    if stated is None:
        return "nodata"
    total, unknown = 0, False
    for a in m.activities:
        f = a["financing"].get(year)
        if f == "?":
            unknown = True
        elif f is not None:
            total += f
    if unknown:
        return "nodata"
    return "pass" if abs(total - stated) < EPS else "fail"


def r_milestone(m, p, Y):
    a = m.act_by_id.get(p["activity"])
    if a is None or p["criterion"] not in a["criteria"]:
        raise RuleError("unknown activity or criterion")
    c = a["criteria"][p["criterion"]]
    if not c["due"]:
        raise RuleError("no due date")
    due_year = int(c["due"][:4])
    done, done_no = c["done"], c["done_no"]
    if done is not None and int(done[:4]) > Y:
        done, done_no = None, True   # done after the evaluation year: not done as of then
    if done is not None:
        return "pass" if done <= c["due"] else "fail"
    if Y <= due_year:
        return "info"
    if done_no:
        return "fail"
    return "nodata"


def r_activities_on_track(m, p, Y):
    year = p.get("year")
    if year is not None and year > Y:
        return "nodata"   # not yet
    if year is None:
        for a in m.activities:
            st = a["status"]
            if st and st["year"] <= Y and (year is None or st["year"] > year):
                year = st["year"]
    n = flagged = 0
    for a in m.activities:
        st = a["status"]
        if st and st["year"] == year and runs(a, year):
            n += 1
            if st["as_planned"] != "yes" or st["concerns"]:
                flagged += 1   # not as planned, or reports concerns
    if n == 0:
        return "nodata"
    if p.get("max_off_track") is not None:
        return "pass" if flagged <= p["max_off_track"] else "fail"
    return "info"


def r_stated_sum(m, p, Y):
    # rules/stated_sum.lua: the parts sum to the stated total (params only, no data)
    parts = p.get("parts") or []
    if not parts:
        raise RuleError("empty parts")
    total = 0
    for part in parts:
        v = part.get("value") if isinstance(part, dict) else None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise RuleError("a part without a number")
        total += v
    return "pass" if abs(total - p["total"]) <= EPS else "fail"


RULES = {
    "at_most_baseline": lambda m, p, Y: r_baseline_check(m, p, Y, -1),
    "at_least_baseline": lambda m, p, Y: r_baseline_check(m, p, Y, 1),
    "monitor": r_monitor,
    "annual_decrease": lambda m, p, Y: r_annual(m, p, Y, -1),
    "annual_increase": lambda m, p, Y: r_annual(m, p, Y, 1),
    "approach_level": r_approach_level,
    "at_least": r_at_least,
    "at_most": r_at_most,
    "range": r_range,
    "share_of_activities": r_share_of_activities,
    "budget_balance": r_budget_balance,
    "milestone": r_milestone,
    "activities_on_track": r_activities_on_track,
    "stated_sum": r_stated_sum,
}


def check_file(path, out):
    try:
        with open(path, "rb") as fh:
            doc = yaml.load(fh.read(), Loader=LOADER)
        m = Model(doc)
    except Exception as e:  # noqa: BLE001 - any load problem is reported, not raised
        out.append("%s\t-\tinvalid\t%s\n" % (path, str(e).replace("\n", " ")[:200]))
        return
    Y = m.latest_year
    for gid, rule, params in m.goals:
        fn = RULES.get(rule)
        try:
            verdict = fn(m, params, Y) if fn else "error"
        except (RuleError, KeyError, TypeError):
            verdict = "error"
        out.append("%s\t%s\t%s\n" % (path, gid, verdict))


def main(argv):
    if len(argv) >= 2 and argv[0] == "--list":
        with open(argv[1]) as fh:
            files = [x for x in fh.read().split("\n") if x]
    else:
        files = argv
    out = []
    for f in files:
        check_file(f, out)
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
