#!/usr/bin/env python3
"""The bench's tables corpus: the generated YAML corpus with half the values moved to CSV.

For each file of --list (gen.py's files.txt), writes OUT/tables/<name>/partnership.yaml and
OUT/tables/<name>/tal.csv: every other series value map ('area: {2018: 32.2, ...}' under
'values:'), counted over the file, is replaced by a binding '{table: tal, row: "<series>
<scope>"}' and its values become a row of tal.csv, laid out as Excel writes it on a Danish
Windows (a title line, ';', years as columns, decimal comma, an empty cell for a missing
year). The values, and so the verdicts, are the same as the YAML corpus's: 'make bench'
checks that, and compares maal's time on the two. OUT/yaml/<name>/partnership.yaml is the
file unchanged, in a folder of its own like the tables version (maal looks for rules/ in
each data file's folder: the layouts must match for the times to compare).

usage: tablify.py --list FILES.TXT --out DIR
Prints one summary line (files, values in tables, values in all) and writes
DIR/tables/files.txt and DIR/yaml/files.txt.
"""
import argparse
import os
import re
import sys

SCOPE = re.compile(r"^      (area|district|city): \{(.+)\}$")
SERIES = re.compile(r"^  - id: (\S+)$")


def danish(v):
    return v.replace(".", ",")


def convert(text):
    out, rows = [], []
    sid, in_values, k = None, False, 0
    moved = total = 0
    for line in text.split("\n"):
        m = SERIES.match(line)
        if m:
            sid = m.group(1)
        if line.startswith("    ") and not line.startswith("      "):
            in_values = line == "    values:"
        m = SCOPE.match(line) if in_values else None
        if m:
            vals = [kv.split(": ") for kv in m.group(2).split(", ")]
            total += len(vals)
            if k % 2 == 0:
                label = "%s %s" % (sid, m.group(1))
                rows.append((label, {int(y): v for y, v in vals}))
                out.append('      %s: {table: tal, row: "%s"}' % (m.group(1), label))
                moved += len(vals)
                k += 1
                continue
            k += 1
        out.append(line)
    years = sorted({y for _, vals in rows for y in vals})
    csv = ["Tal fra tabellen;" + ";" * len(years)]
    csv.append("Serie;" + ";".join(str(y) for y in years))
    for label, vals in rows:
        csv.append(label + ";" + ";".join(danish(vals[y]) if y in vals else "" for y in years))
    yaml = "\n".join(out)
    if rows:
        yaml = yaml.replace("maal: 1\n", "maal: 1\ntables:\n  tal: {file: tal.csv, numbers: danish}\n",
                            1)
    return yaml, ("\r\n".join(csv) + "\r\n") if rows else None, moved, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(a.list) as fh:
        files = [x for x in fh.read().split("\n") if x]
    paths = {"tables": [], "yaml": []}
    moved = total = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        yaml, csv, m, t = convert(text)
        moved, total = moved + m, total + t
        name = os.path.splitext(os.path.basename(f))[0]
        for kind, fname, data in (("tables", "partnership.yaml", yaml), ("tables", "tal.csv", csv),
                                  ("yaml", "partnership.yaml", text)):
            d = os.path.join(a.out, kind, name)
            os.makedirs(d, exist_ok=True)
            if data is None:
                continue
            path = os.path.join(d, fname)
            b = data.encode("cp1252" if fname.endswith(".csv") else "utf-8")
            try:
                with open(path, "rb") as fh:
                    same = fh.read() == b
            except OSError:
                same = False
            if not same:
                with open(path, "wb") as fh:
                    fh.write(b)
            if fname == "partnership.yaml":
                paths[kind].append(path)
    for kind, ps in paths.items():
        with open(os.path.join(a.out, kind, "files.txt"), "w") as fh:
            fh.write("\n".join(ps) + "\n")
    print("tablify: %d files, %d of %d series values in tables (%.0f %%)"
          % (len(files), moved, total, 100.0 * moved / max(total, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
