#!/usr/bin/env bash
# Text from the data, from rules and from plugins on its way out of maal (issue 13, classes 5
# and 6): output/partnership.yaml puts escapes, C1 controls, bidi overrides, CR, U+FFFE and
# workflow commands into titles and names, and the cases below feed them through every report
# format, the diagnostics on stderr, 'maal rules', 'maal plugins', a failing plugin reporter
# and the -v log. Every output must be free of what maal_unsafe_char names (C0 but LF and tab,
# DEL, C1, bidi, U+FFFE/U+FFFF, invalid UTF-8; CSV may end its lines in CRLF; JSON keeps the
# text exact and is only checked for lines), no line may start
# a GitHub workflow command (after the blanks the runner trims) unless it is one of the github
# format's own annotations, and each format must stay what it claims: TAP one test line per
# goal, Markdown no heading or link from data, JUnit well-formed XML, CSV no formula and no
# crash on 1.0e-100. Sourced by run.sh (shares ok/not_ok); runs alone too.
set -u
cd "$(dirname "$0")/../.." || exit 2
standalone=false
if ! declare -f ok >/dev/null; then
    . tests/lib.sh
    standalone=true
fi
: "${MAAL:=build/maal}"
out_dir=tests/hostile/output
maal_out=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
otmp=$(mktemp -d)
plugins="--plugins plugins --plugins $out_dir/plugins"

# clean NAME FILE [csv|github]: the checks every output gets
clean() {
    local problems
    problems=$(python3 - "$2" "${3:-}" <<'PY'
import re, sys
data, kind = open(sys.argv[1], "rb").read(), sys.argv[2]
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    print("invalid UTF-8 at byte", e.start); sys.exit()
unsafe = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u2028-\u202e"
                    "\u2066-\u2069\ufffe\uffff]")
if kind == "csv":
    text = text.replace("\r\n", "\n")
m = unsafe.search(text)
if m and kind != "json": # JSON keeps the data's text exact (escaped where JSON requires)
    print("unsafe character U+%04X at %d: %r" % (ord(m.group()), m.start(),
          text[max(0, m.start() - 30):m.start() + 30]))
own = re.compile(r"::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,title=[^:]*::|"
                 r"::notice title=maal::")
blanks = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
         "\u202f\u205f\u3000"
for n, line in enumerate(text.split("\n"), 1):
    s = line.lstrip(blanks)
    if s.startswith("::") or s.startswith("##["):
        if kind == "github" and line.startswith("::") and own.match(line):
            continue
        print("line %d starts a workflow command: %r" % (n, line[:80]))
PY
)
    if [ -z "$problems" ]; then ok "output: $1 clean"; else not_ok "output: $1: $problems"; fi
}

data=$out_dir/partnership.yaml
"$MAAL" check "$data" --format json -o "$otmp/res.json" 2>/dev/null
for fmt in text json junit tap markdown github html csv/csv; do
    f=$otmp/$(printf '%s' "$fmt" | tr / _)
    # shellcheck disable=SC2086
    timeout 20 "$MAAL" check "$data" $plugins --format "$fmt" >"$f" 2>"$f.err"
    rc=$?
    if [ "$rc" -ne 1 ]; then
        not_ok "output: --format $fmt exit $rc, expected 1 (goals fail): $(head -c 300 "$f.err")"
        continue
    fi
    kind=""
    [ "$fmt" = csv/csv ] && kind=csv
    [ "$fmt" = github ] && kind=github
    [ "$fmt" = json ] && kind=json
    clean "--format $fmt" "$f" "$kind"
    clean "--format $fmt stderr" "$f.err"
done

# each format is still what it says it is
python3 - "$otmp" <<'PY' | while IFS= read -r line; do case $line in ok*) ok "output: ${line#ok }" ;; *) not_ok "output: $line" ;; esac; done
import csv, io, json, re, sys, xml.dom.minidom
d = sys.argv[1]
def read(n): return open(d + "/" + n, encoding="utf-8", errors="replace").read()
res = json.load(open(d + "/res.json"))["partnerships"][0]["results"]
goals = [r["goal"] for r in res]
verdict = {r["goal"]: r["verdict"] for r in res}
# TAP: one test line per goal, numbered in order, 'not ok' for the failing ones
tap = read("tap").split("\n")
tests = [l for l in tap if re.match(r"(not )?ok\b", l)]
want = ["%s %d - output-test/%s:" % ("not ok" if verdict[g] in ("fail", "error") else "ok", i + 1, g)
        for i, g in enumerate(goals)]
if len(tests) == len(goals) and all(t.startswith(w) for t, w in zip(tests, want)):
    print("ok TAP has one test line per goal, each with its own verdict")
else:
    print("TAP test lines forged or lost: %r" % tests[:10])
# Markdown: no heading or link from the data
md = read("markdown")
bad = [l for l in md.split("\n") if re.match(r"\s{0,3}(#\s|<h\d)", l)] + \
      re.findall(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(", md) + \
      re.findall(r"(?<!\\)&#?[0-9A-Za-z]+;", md) + re.findall(r"(?<!\\)\$", md)
print("ok Markdown has no heading, link, entity or math from the data" if not bad else
      "Markdown heading, link, entity or math from the data: %r" % bad[:3])
# JUnit: well-formed XML with one testcase per goal
try:
    doc = xml.dom.minidom.parseString(open(d + "/junit", "rb").read())
    n = len(doc.getElementsByTagName("testcase"))
    print("ok JUnit is well-formed XML" if n == len(goals) else "JUnit has %d testcases" % n)
except Exception as e:
    print("JUnit is not well-formed XML:", e)
# GitHub: exactly maal's own annotations (fail, nodata, error) and its summary line
gh = read("github").split("\n")
ann = [l for l in gh if l.startswith("::")]
need = sum(1 for g in goals if verdict[g] in ("fail", "nodata", "error"))
print("ok GitHub has one annotation per goal that needs a look" if len(ann) == need else
      "GitHub annotations: %d, expected %d: %r" % (len(ann), need, ann[:5]))
# CSV: a title a spreadsheet would run as a formula starts with an apostrophe; the tiny value
rows = list(csv.DictReader(io.StringIO(open(d + "/csv_csv", encoding="utf-8", newline="").read())))
formulas = [r["title"] for r in rows if re.match(r"[=+\-@\t\r]", r["title"])]
print("ok CSV has no formula" if len(rows) == len(goals) and not formulas else
      "CSV formulas or rows lost: %r (%d rows)" % (formulas, len(rows)))
tiny = [r["actual"] for r in rows if r["goal"] == "formula"]
print("ok CSV writes 1.0e-100 in plain decimals" if tiny and re.fullmatch(r"0\.0{99}1", tiny[0])
      else "CSV 1.0e-100: %r" % tiny)
PY

# stderr: a key, a rule name and a title from the data
timeout 20 "$MAAL" validate "$out_dir/bad-key.yaml" >"$otmp/v.out" 2>"$otmp/v.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'ukendt nøgle' "$otmp/v.err"; then
    clean "validate: diagnostics on stderr" "$otmp/v.err"
else
    not_ok "output: validate bad-key.yaml: exit $rc, expected 2 with 'ukendt nøgle'"
fi
timeout 20 "$MAAL" check "$out_dir/bad-key.yaml" >"$otmp/c.out" 2>"$otmp/c.err"
clean "check: diagnostics on stderr" "$otmp/c.err"

# a rule's own text: maal rules (one rule, the list, -v), its error, its trace and its log
timeout 20 "$MAAL" rules --rules "$out_dir/rules" loud >"$otmp/r1" 2>&1
clean "rules NAME" "$otmp/r1"
grep -q 'clipboard' "$otmp/r1" || not_ok "output: rules NAME did not describe the rule"
timeout 20 "$MAAL" rules --rules "$out_dir/rules" -v >"$otmp/r2" 2>&1
clean "rules -v" "$otmp/r2"
timeout 20 "$MAAL" check "$out_dir/loud.yaml" -v >"$otmp/l.out" 2>"$otmp/l.err"
clean "check -v (error, trace, log)" "$otmp/l.out"
clean "check -v stderr" "$otmp/l.err"
{ grep -q 'log: ' "$otmp/l.out" && grep -q '^ *: stop-commands::tok' "$otmp/l.out"; } || not_ok "output: check -v shows no log (one line per printed line)"

# maal test: case names, expectations and messages from the test file and the rule
timeout 20 "$MAAL" test "$out_dir/rules/colons_test.yaml" >"$otmp/t.out" 2>&1
if grep -q '^FAIL - colons_test.yaml' "$otmp/t.out"; then
    clean "maal test" "$otmp/t.out"
else
    not_ok "output: maal test colons_test.yaml printed no failing case"
fi

# a plugin's own text: maal plugins, and a reporter that fails with escapes
timeout 20 "$MAAL" plugins --plugins "$out_dir/plugins" >"$otmp/p" 2>&1
clean "plugins" "$otmp/p"
timeout 20 "$MAAL" check "$out_dir/loud.yaml" --plugins "$out_dir/plugins" --format loud/loud \
    >"$otmp/rep.out" 2>"$otmp/rep.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'loud.lua:2:' "$otmp/rep.err"; then
    clean "failing reporter's error" "$otmp/rep.err"
else
    not_ok "output: failing reporter: exit $rc, expected 2 with its error"
fi
# a reporter's own output: the terminal class becomes spaces, tabs and CRLF line ends stay
timeout 20 "$MAAL" check "$data" --plugins "$out_dir/plugins" --format loud/raw \
    >"$otmp/raw.out" 2>"$otmp/raw.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^tap"$'\t'"fail"$'\r'"\$" "$otmp/raw.out"; then
    clean "a reporter's own output" "$otmp/raw.out" csv
else
    not_ok "output: reporter loud/raw: exit $rc, expected 1 with 'tap<TAB>fail<CR><LF>'"
fi
# a path from the file system at the start of a diagnostic line
mkdir -p "$otmp/::stop-commands::tok"
cat >"$otmp/::stop-commands::tok/partnership.yaml" <<'YAML'
maal: 1
partnership: {id: p, name: P, period: {from: 2020, to: 2022}}
series:
  - {id: s, name: S, kind: crime, unit: count, values: {area: {2020: 1, 2021: 2}}}
goals:
  - {id: g, title: G, rule: at_most, params: {series: s, target: "x"}}
YAML
(cd "$otmp" && timeout 20 "$maal_out" check "::stop-commands::tok/partnership.yaml") \
    >"$otmp/path.out" 2>"$otmp/path.err"
if grep -q "parameteren 'target'" "$otmp/path.err"; then
    clean "a folder named like a workflow command" "$otmp/path.err"
else
    not_ok "output: a folder named like a workflow command: no diagnostic"
fi

# the workbook: the same hostile titles and names, read back from the zip. Its XML must be
# well-formed (U+FFFE in a shared string was not: Excel offers to repair it and drops the text),
# no cell may hold what maal_unsafe_char names but a line feed (bidi overrides and C1 controls
# reached it raw, and C0 controls as Excel's _xHHHH_ escapes, which Excel decodes), and text
# that looks like such an escape is shown as written
if timeout 20 "$MAAL" check "$data" -o "$otmp/o.xlsx" 2>"$otmp/xlsx.err" || [ $? -eq 1 ]; then
    problems=$(python3 - "$otmp/o.xlsx" <<'PY'
import re, sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
unsafe = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u2028-\u202e\u2066-\u2069\ufffe\uffff]")
texts = []
for name in z.namelist():
    if not name.endswith(".xml"):
        continue
    try:
        doc = xml.dom.minidom.parseString(z.read(name))
    except Exception as e:
        print("%s is not well-formed XML: %s" % (name, e)); continue
    for t in doc.getElementsByTagName("t"):
        s = "".join(n.data for n in t.childNodes if n.nodeType == n.TEXT_NODE)
        # what Excel shows: _xHHHH_ is the character U+HHHH
        texts.append(re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s))
for s in texts:
    m = unsafe.search(s)
    if m:
        print("a cell shows U+%04X: %r" % (ord(m.group()), s[:60])); break
if "_x0041_ is not A" not in texts:
    print("the title '_x0041_ is not A' is not shown as written")
PY
)
    if [ -z "$problems" ]; then ok "output: --format xlsx clean and well-formed"
    else not_ok "output: --format xlsx: $problems"; fi
else
    not_ok "output: --format xlsx failed: $(head -c 300 "$otmp/xlsx.err")"
fi

# a table's row label and the data file's path reach the text report's sources: a CSV cell
# with ESC, BEL, a bidi override and a line feed followed by a workflow command, in a folder
# whose name holds the same (both came out raw on the line "kilder i ...")
tdir="$otmp/"$'t\e[2J\n::error::path'
mkdir -p "$tdir"
printf 'Serie;2019;2020\n"s1\033]0;x\007\342\200\256\n::error::forged";10;12\n' >"$tdir/tal.csv"
cat >"$tdir/partnership.yaml" <<'YAML'
maal: 1
tables:
  tal: {file: tal.csv, numbers: danish}
partnership: {id: tab-test, name: T, period: {from: 2019, to: 2020}}
series:
  - id: s1
    name: S
    kind: crime
    unit: count
    values:
      area: {table: tal, row: "s1\e]0;x\a\u202e\n::error::forged"}
goals:
  - {id: g, title: G, rule: at_most, params: {series: s1, target: 5}}
YAML
for fmt in text github tap junit markdown html; do
    timeout 20 "$MAAL" check "$tdir/partnership.yaml" --format "$fmt" -v \
        >"$otmp/tab.$fmt" 2>"$otmp/tab.$fmt.err"
    rc=$?
    if [ "$rc" -eq 1 ] && { [ "$fmt" != text ] || grep -q 'kilder i' "$otmp/tab.$fmt"; }; then
        clean "a hostile table label and path, --format $fmt" "$otmp/tab.$fmt" \
            "$([ "$fmt" = github ] && echo github)"
    else
        not_ok "output: hostile table, --format $fmt: exit $rc, expected 1 with the sources"
    fi
done

# the Markdown report's sources as GitHub renders them (cmark-gfm, GitHub's own parser, with
# its table extension): a folder whose name has a backtick, '|', '$', '&' and '<script>', a
# CSV row label with '|', a line feed, a backtick and <script>, and a goal title with '|'. The
# goal table keeps one row of 7 cells per goal, the sources are a list with one item per goal
# that reads exactly as the JSON report's sources (an unsafe character a space), and nothing
# from the data becomes an element
# shellcheck disable=SC2016 # the backticks and '$' are the point: literal, never expanded
mdir="$otmp/"'md`x|$y&z<script>'
mkdir -p "$mdir"
# shellcheck disable=SC2016
printf 'Gerningstype;2020;2021\n"Ind|brud\n`x` <script>alert(1)</script>";23;27\nVold;5;4\n' \
    >"$mdir"/'anm|`1`.csv'
cat >"$mdir/partnership.yaml" <<'YAML'
maal: 1
tables:
  anm: {file: "anm|`1`.csv"}
partnership: {id: md-src, name: M, period: {from: 2020, to: 2022}, baselines: {crime: 2020}}
series:
  - id: indbrud
    name: Indbrud
    kind: crime
    unit: count
    values:
      area: {table: anm, row: "Ind|brud\n`x` <script>alert(1)</script>"}
  - id: vold
    name: Vold
    kind: crime
    unit: count
    values:
      area: {table: anm, row: Vold}
goals:
  - {id: indbrud, group: kriminalitet, title: "a | b", rule: at_most_baseline,
     params: {series: indbrud}}
  - {id: vold, group: kriminalitet, title: "<script>x</script>", rule: at_most_baseline,
     params: {series: vold}}
YAML
if ! command -v cmark-gfm >/dev/null 2>&1; then
    skip "output: Markdown sources as GitHub renders them (no cmark-gfm: make deps installs it)"
else
    timeout 20 "$MAAL" check "$mdir/partnership.yaml" --format json >"$otmp/mds.json" 2>/dev/null
    for lang in da en; do
        timeout 20 "$MAAL" check "$mdir/partnership.yaml" --format markdown --lang "$lang" \
            >"$otmp/mds.$lang.md" 2>/dev/null
        cmark-gfm -e table "$otmp/mds.$lang.md" >"$otmp/mds.$lang.html"
        problems=$(python3 - "$otmp/mds.json" "$otmp/mds.$lang.html" "$lang" 2>&1 <<'PY'
import html.parser, json, re, sys
res = json.load(open(sys.argv[1]))["partnerships"][0]["results"]
page = open(sys.argv[2], encoding="utf-8").read()
head = "Kilder (fil:linje:kolonne):" if sys.argv[3] == "da" else "Sources (file:line:col):"
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.tables, self.lists, self.paras, self.text = [], [], [], [], None
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table": self.tables.append([])
        elif tag == "tr": self.tables[-1].append([])
        elif tag in ("td", "th", "li", "p"): self.text = ""
        elif tag == "ul": self.lists.append((self.paras[-1] if self.paras else "", []))
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.tables[-1][-1].append(self.text)
        elif tag == "li": self.lists[-1][1].append(self.text)
        elif tag == "p": self.paras.append(self.text)
        if tag in ("td", "th", "li", "p"): self.text = None
    def handle_data(self, d):
        if self.text is not None: self.text += d
p = P(); p.feed(page); p.close()
unsafe = re.compile("[\x00-\x1f\x7f\x80-\x9f\u2028-\u202e\u2066-\u2069\ufffe\uffff]")
bad = sorted(set(p.tags) - {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "ul",
                            "li", "code"})
if bad: print("elements from the data: %s" % bad)
goals = [t for t in p.tables if t and t[0][0] in ("Dom", "Verdict") and len(t[0]) == 7]
if len(goals) != 1 or [len(r) for r in goals[0]] != [7, 7, 7]:
    print("goal table not one header and 2 rows of 7 cells: %r" % goals)
srcs = [items for para, items in p.lists if para == head]
want = []
for r in res:
    s = r["sources"]
    assert s[0]["what"] == "goal", s[0]
    want.append(r["goal"] + ": " + " · ".join(
        unsafe.sub(" ", "%s:%d:%d %s" % (x["file"], x["line"], x["col"], x["what"]))
        for x in s[1:]))
if srcs != [want]:
    print("sources list %r, expected %r" % (srcs, want))
PY
)
        if [ -z "$problems" ]; then ok "output: Markdown sources as GitHub renders them ($lang)"
        else not_ok "output: Markdown sources as GitHub renders them ($lang): $problems"; fi
    done
fi

# class 2 in a Lua reporter: the guards of the rules' sandbox serve reporters too
timeout 20 "$MAAL" check "$out_dir/loud.yaml" --plugins "$out_dir/plugins" --format loud/slow \
    --rule-timeout 0.5 >"$otmp/slow.out" 2>"$otmp/slow.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'table.move: .*kan tage længere end tidsgrænsen' "$otmp/slow.err"; then
    ok "output: a reporter's string.rep and table.move with numeric text are guarded"
else
    not_ok "output: a reporter's string.rep and table.move with numeric text: exit $rc"
fi
rm -rf "$otmp"
if $standalone; then summary output; fi
