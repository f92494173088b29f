"""Reads a workbook written by 'maal check --format xlsx' with openpyxl (Debian python3-openpyxl)
and checks it against the --format json result of the same run. Prints 'ok NAME' or
'FAIL NAME: why' per check; tests/xlsx/run.sh counts them.

  check.py overview BOOK.xlsx RESULT.json da|en [history]
  check.py sheets BOOK.xlsx            the partnership sheets: series, budget sums
  check.py formula BOOK.xlsx           data text that looks like a formula stays text
  check.py long BOOK.xlsx              a 20000-character title is cut to what a cell holds
  check.py outlook BOOK.xlsx RESULT.json da|en   the --outlook columns
"""
import json
import re
import sys
import zipfile

import openpyxl

HEAD = {
    "da": ["Partnerskab", "Gruppe", "Mål", "Titel", "Vurdering", "År", "Værdi", "Målværdi",
           "Udgangspunkt", "Ændring", "Enhed", "Besked", "Kilder"],
    "en": ["Partnership", "Group", "Goal", "Title", "Verdict", "Year", "Actual", "Target",
           "Baseline", "Change", "Unit", "Message", "Sources"],
}
WORDS = {
    "da": {"pass": "opfyldt", "fail": "ikke opfyldt", "info": "monitoreret",
           "nodata": "mangler data", "error": "fejl", "waived": "dispenseret"},
    "en": {"pass": "pass", "fail": "fail", "info": "info", "nodata": "no data",
           "error": "error", "waived": "waived"},
}
# the HTML report's badges (core/report_html.css .b-*): fill, text
COLOURS = {"pass": ("E8F4EC", "1B6B35"), "fail": ("A3161C", "FFFFFF"),
           "info": ("EEF3F9", "1F4E79"), "nodata": ("FDF5E2", "7A4D00"),
           "error": ("F6ECF9", "6B1F80"), "waived": ("FFFFFF", "5B6570")}
PLAIN = ["#,##0", "#,##0.0", "#,##0.00"]
SIGNED = ["+#,##0;-#,##0;0", "+#,##0.0;-#,##0.0;0", "+#,##0.00;-#,##0.00;0"]

failures = 0


def check(name, good, why=""):
    global failures
    if good:
        print(f"ok {name}")
    else:
        failures += 1
        print(f"FAIL {name}: {why}")


def decimals(v):
    for d in range(3):
        s = 10 ** d
        if abs(round(v * s) - v * s) < 1e-6:
            return d
    return 2


def rgb(colour):
    return (colour.rgb or "")[-6:].upper() if colour is not None and isinstance(colour.rgb, str) else ""


def overview(path, result, lang, history=False):
    wb = openpyxl.load_workbook(path)
    doc = json.load(open(result, encoding="utf-8"))
    parts = doc["partnerships"]
    first = "Oversigt" if lang == "da" else "Overview"
    check("first sheet is " + first, wb.sheetnames[0] == first, repr(wb.sheetnames))
    check("a sheet per partnership", len(wb.sheetnames) == 1 + len(parts), repr(wb.sheetnames))
    ws = wb[wb.sheetnames[0]]
    head = [c.value for c in ws[1]]
    want = HEAD[lang]
    check("header row (" + lang + ")", head[:len(want)] == want, repr(head))
    rows = [(p, r) for p in parts for r in p["results"]]
    check("frozen header row", ws.freeze_panes == "A2", repr(ws.freeze_panes))
    ncols = len(want)
    if history:
        years = sorted({h["year"] for _, r in rows for h in r.get("history", [])})
        check("a column per history year", head[ncols:] == years, f"{head[ncols:]} != {years}")
        ncols += len(years)
    else:
        check("no year columns without --history", ws.max_column == ncols, f"{ws.max_column}")
    last = openpyxl.utils.get_column_letter(ncols)
    check("autofilter over the table", ws.auto_filter.ref == f"A1:{last}{1 + len(rows)}",
          f"{ws.auto_filter.ref} for {len(rows)} rows")
    check("one row per goal per partnership", ws.max_row == 1 + len(rows),
          f"{ws.max_row - 1} rows, {len(rows)} results")
    bad = {k: [] for k in ("text", "number", "format", "verdict", "colour", "blank", "year")}
    nnum = 0
    for i, (p, r) in enumerate(rows, start=2):
        cell = {h: ws.cell(row=i, column=k + 1) for k, h in enumerate(HEAD["en"])}
        if cell["Partnership"].value != (p["name"] or p["id"]) or cell["Goal"].value != r["goal"] \
                or cell["Title"].value != r["title"] or cell["Message"].value != r["message"]:
            bad["text"].append(r["goal"])
        for h in ("Partnership", "Goal", "Title", "Message", "Verdict", "Group", "Sources"):
            if cell[h].value is not None and cell[h].data_type != "s":
                bad["text"].append(f"{r['goal']}.{h} type {cell[h].data_type}")
        if cell["Verdict"].value != WORDS[lang][r["verdict"]]:
            bad["verdict"].append(f"{r['goal']}: {cell['Verdict'].value}")
        fill, font = COLOURS[r["verdict"]]
        v = cell["Verdict"]
        if rgb(v.fill.fgColor) != fill or rgb(v.font.color) != font or v.fill.fill_type != "solid":
            bad["colour"].append(f"{r['goal']}: {rgb(v.fill.fgColor)}/{rgb(v.font.color)}")
        y = cell["Year"]
        if (r["year"] is None) != (y.value is None) or (y.value is not None and (
                y.value != r["year"] or y.data_type != "n" or y.number_format != "0")):
            bad["year"].append(f"{r['goal']}: {y.value!r} {y.number_format}")
        for h, key, fmts in (("Actual", "actual", PLAIN), ("Target", "target", PLAIN),
                             ("Baseline", "baseline", PLAIN), ("Change", "change", SIGNED)):
            c, want_v = cell[h], r[key]
            if want_v is None:
                if c.value is not None:
                    bad["blank"].append(f"{r['goal']}.{key}={c.value!r}")
                continue
            nnum += 1
            if c.data_type != "n" or isinstance(c.value, str) or abs(c.value - want_v) > 1e-9:
                bad["number"].append(f"{r['goal']}.{key}: {c.value!r} ({c.data_type})")
            elif c.number_format != fmts[decimals(want_v)]:
                bad["format"].append(f"{r['goal']}.{key}={want_v}: {c.number_format}")
        if history:
            marks = {h["year"]: h["verdict"] for h in r.get("history", [])}
            for k, year in enumerate(years):
                c = ws.cell(row=i, column=len(want) + 1 + k)
                w = WORDS[lang][marks[year]] if year in marks else None
                if c.value != w or (w and rgb(c.fill.fgColor) != COLOURS[marks[year]][0]):
                    bad["verdict"].append(f"{r['goal']} {year}: {c.value!r}")
    check(f"goal, title, message and partnership as text ({len(rows)} rows)", not bad["text"],
          "; ".join(bad["text"][:5]))
    check(f"verdict words ({lang})", not bad["verdict"], "; ".join(bad["verdict"][:5]))
    check("verdict cells coloured like the HTML badges", not bad["colour"],
          "; ".join(bad["colour"][:5]))
    check("years are whole numbers shown without a thousands separator", not bad["year"],
          "; ".join(bad["year"][:5]))
    check(f"actual, target, baseline, change are numbers equal to the JSON ({nnum} cells)",
          nnum > 0 and not bad["number"], "; ".join(bad["number"][:5]))
    check("number formats #,##0[.0[0]] (shown 24,8 / 1.234.567 in a Danish Excel)",
          not bad["format"], "; ".join(bad["format"][:5]))
    check("missing numbers are empty cells", not bad["blank"], "; ".join(bad["blank"][:5]))


def sheets(path):
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    nsum = nseries = 0
    bad, sums = [], []
    for name in wb.sheetnames[1:]:
        ws, wc = wb[name], cached[name]
        rows = list(ws.iter_rows())
        # the series table: from its header to the first empty row, a row per series and
        # scope, each value a number or '?'
        head = next((k for k, row in enumerate(rows)
                     if row[0].value in ("Serie", "Series") and row[1].value == "Id"), None)
        if head is None:
            continue
        years = [c.value for c in rows[head][4:] if c.value is not None]
        if not years or years != sorted(years) or not all(isinstance(y, int) for y in years):
            bad.append(f"{name}: series years {years}")
        for row in rows[head + 1:]:
            if row[0].value is None:
                break
            for c in row[4:]:
                if c.value is None or c.value == "?":
                    continue
                nseries += 1
                if c.data_type != "n" or c.number_format != PLAIN[decimals(c.value)]:
                    bad.append(f"{name}!{c.coordinate}: {c.value!r} {c.number_format}")
        # the budget table: =SUM over the activity rows, its cached value the sum
        for row in rows:
            if row[1].value not in ("Sum af rækkerne (beregnet)", "Sum of the rows (computed)"):
                continue
            for c in row[2:]:
                if c.value is None:
                    continue
                m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", str(c.value))
                if not m:
                    sums.append(f"{name}!{c.coordinate}: {c.value!r}")
                    continue
                top, bottom = int(m.group(2)), int(m.group(4))
                total = sum(ws.cell(row=r, column=c.column).value for r in range(top, bottom + 1)
                            if isinstance(ws.cell(row=r, column=c.column).value, (int, float)))
                got = wc[c.coordinate].value
                if got is None or abs(got - total) > 1e-6 or not c.font.b:
                    sums.append(f"{name}!{c.coordinate}: cached {got!r}, sum {total}")
                nsum += 1
    check(f"series values are numbers with a Danish display format ({nseries} cells)",
          nseries > 0 and not bad, "; ".join(bad[:5]))
    check(f"budget sums are SUM formulas with their values cached ({nsum})",
          nsum > 0 and not sums, "; ".join(sums[:5]))


def formula(path):
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.data_type == "s":
                    texts.append(c.value)
    for want in ('=HYPERLINK("https://example.com","klik")', "=1+1", "=cmd|' /C calc'!A0",
                 "=SUM(A1:A9)", "@tyveri", "+45 12 34 56 78", "-minus", "Bydelen (=1+2)"):
        check(f"'{want}' is a text cell", want in texts,
              "not found as text")
    # in the file itself: the only formulas are the budget sums and differences
    with zipfile.ZipFile(path) as z:
        fs = []
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                fs += re.findall(r"<f>([^<]*)</f>", z.read(n).decode("utf-8"))
    other = [f for f in fs if not re.fullmatch(r"SUM\([A-Z]+\d+:[A-Z]+\d+\)|[A-Z]+\d+-[A-Z]+\d+", f)]
    check(f"no formula but the budget sums in the file ({len(fs)} formulas)",
          fs and not other, repr(other[:5]))
    check("a partnership whose id is the first sheet's name gets its own sheet",
          wb.sheetnames == ["Oversigt", "oversigt (2)"], repr(wb.sheetnames))


def long_text(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    v = ws["D2"].value or ""
    check("a title longer than a cell holds is cut, not dropped, at a character",
          16000 < len(v) <= 32767 and set(v) == {"æ"}, f"{len(v)} characters")


def outlook(path, result, lang):
    """--outlook: five columns after the others, numbers as numbers, the line in words."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    doc = json.load(open(result, encoding="utf-8"))
    rows = [r for p in doc["partnerships"] for r in p["results"]]
    head = [c.value for c in ws[1]]
    names = (["Prognoseår", "Prognose", "Prognose lav", "Prognose høj", "Prognose i ord"]
             if lang == "da" else
             ["Outlook year", "Outlook", "Outlook low", "Outlook high", "Outlook in words"])
    at = head.index(names[0]) if names[0] in head else -1
    check(f"the outlook's five columns, last ({lang})",
          at > 0 and head[at:] == names, repr(head[at:] if at > 0 else head))
    if at < 0:
        return
    last = openpyxl.utils.get_column_letter(len(head))
    check("the autofilter covers them", ws.auto_filter.ref == f"A1:{last}{1 + len(rows)}",
          ws.auto_filter.ref)
    bad, n = [], 0
    word = "prognose " if lang == "da" else "outlook "
    for i, r in enumerate(rows, start=2):
        cells = [ws.cell(row=i, column=at + 1 + k) for k in range(5)]
        o = r.get("outlook")
        if not o:
            if any(c.value is not None for c in cells):
                bad.append(f"{r['goal']}: cells without an outlook")
            continue
        n += 1
        # a line read off at 0 or 100 % says so in words, without the squeezed interval
        clamped = ("den rette linje når" if lang == "da" else "straight line reaches") in (
            cells[4].value or "")
        want = [o["target_year"], o["projected"],
                None if o["low"] is None or clamped else round(o["low"] * 10) / 10,
                None if o["high"] is None or clamped else round(o["high"] * 10) / 10]
        for c, w in zip(cells, want):
            if w is None:
                if c.value is not None:
                    bad.append(f"{r['goal']} {c.coordinate}: {c.value!r} for null")
            elif c.data_type != "n" or not isinstance(c.value, (int, float)) or \
                    abs(c.value - w) > 1e-9:
                bad.append(f"{r['goal']} {c.coordinate}: {c.value!r} ({c.data_type}) for {w}")
        if cells[0].number_format != "0":
            bad.append(f"{r['goal']}: target year format {cells[0].number_format}")
        line = cells[4].value or ""
        if cells[4].data_type != "s" or not line.startswith(f"{word}{o['target_year']}: "):
            bad.append(f"{r['goal']}: {line!r}")
    check(f"each outlook's year, value and interval as numbers, its line as text ({n})",
          n > 0 and not bad, "; ".join(bad[:5]))


def unit_cell(path, want):
    ws = openpyxl.load_workbook(path).worksheets[0]
    head = [c.value for c in ws[1]]
    col = head.index("Enhed") + 1 if "Enhed" in head else head.index("Unit") + 1
    got = ws.cell(row=2, column=col).value
    check(f"the unit column reads {want!r}", got == want, repr(got))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "overview":
        overview(sys.argv[2], sys.argv[3], sys.argv[4], len(sys.argv) > 5)
    elif cmd == "sheets":
        sheets(sys.argv[2])
    elif cmd == "formula":
        formula(sys.argv[2])
    elif cmd == "long":
        long_text(sys.argv[2])
    elif cmd == "outlook":
        outlook(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "unit":
        unit_cell(sys.argv[2], sys.argv[3])
    sys.exit(1 if failures else 0)
