#!/usr/bin/env python3
"""gen.py KIND N: a valid partnership file on stdout that grows with N in one dimension.

partners  one activity with N partner names (partner_count), 3 goals that count partners
goals     N activities and N goals, each goal naming its own activity; N/10 waivers
series    N series and N goals, each naming its own series
criteria  one activity with N criteria and N goals, each naming its own criterion
anchors   N anchored partner names and 1000 aliases to the first (-N: no aliases)
tables    N series, each taking its values from its own row of a CSV table of N rows,
          written as DIR/table-N.csv (gen.py tables N DIR)
long      the same with a table of a row per year (2020, 2021) and area: 2 N rows
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout.write
out("maal: 1\npartnership:\n  id: scale\n  name: Scale\n  period: {from: 2020, to: 2022}\n"
    "  budget: {2021: 300}\n")
if kind == "anchors":
    out("  partners:\n")
    for i in range(abs(n)):
        out("    - &a%d Partner %d\n" % (i, i))
nser = n if kind in ("series", "tables", "long") else 1
if kind in ("tables", "long"):
    out("  baselines: {crime: 2020}\ntables: {t: {file: %s-%d.csv}}\n" % (kind, n))
    with open("%s/%s-%d.csv" % (sys.argv[3], kind, n), "w") as f:
        f.write("Type;2020;2021\n" if kind == "tables" else "Område;År;Antal\n")
        for i in range(n):
            f.write("r%d;23;27\n" % i if kind == "tables" else "r%d;2020;23\nr%d;2021;27\n" % (i, i))
out("series:\n")
for i in range(nser):
    out("  - id: s%d\n    name: S\n    kind: crime\n    unit: count\n" % i)
    if kind == "tables":
        out("    values: {area: {table: t, row: r%d}}\n" % (n - 1 - i))
    elif kind == "long":
        out("    values: {area: {table: t, column: Antal, row: r%d}}\n" % (n - 1 - i))
    else:
        out("    values: {area: {2020: 23, 2021: 27}}\n")
nact = n if kind == "goals" else 1
out("activities:\n")
for i in range(nact):
    out("  - id: a%d\n    name: One\n    responsible: [A]\n    financing: {2021: 100}\n" % i)
    if kind == "partners":
        out("    partners:\n")
        for k in range(n):
            out("      - Partner organisation number %d\n" % (n - k))
    if kind == "anchors" and n > 0:
        out("    partners:\n")
        for k in range(1000):
            out("      - *a0\n")
    out("    criteria:\n")
    for k in range(n if kind == "criteria" else 1):
        out("      - {id: c%d, text: T, due: 2021-06-01, done: 2021-05-01}\n" % k)
out("goals:\n")
if kind in ("tables", "long"):
    out("  - id: g\n    title: G\n    rule: at_most_baseline\n    params: {series: s0}\n")
if kind in ("partners", "anchors"):
    for i in range(3):
        out("  - id: g%d\n    title: G\n    rule: share_of_activities\n"
            "    params: {threshold: 50}\n" % i)
for i in range(n if kind in ("goals", "series", "criteria") else 0):
    if kind == "series":
        out("  - id: goal-number-%d\n    title: G\n    rule: at_most_baseline\n"
            "    params: {series: s%d}\n" % (i, i))
    else:
        out("  - id: goal-number-%d\n    title: G\n    rule: milestone\n"
            "    params: {activity: a%d, criterion: c%d}\n"
            % (i, i if kind == "goals" else 0, i if kind == "criteria" else 0))
if kind == "goals":
    out("waivers:\n")
    for i in range(0, n, 10):
        out("  - goal: goal-number-%d\n    reason: r\n    agreed_by: b\n    expires: 2099-01-01\n" % i)
