#!/usr/bin/env bash
# The Excel workbook (--format xlsx): how it is chosen and where it may go (a file, a pipe, not
# a terminal), that it is the same bytes every run, then read with a real reader, Debian's
# python3-openpyxl (tests/xlsx/check.py): the overview's cells, types, number formats, colours,
# frozen header and autofilter against the JSON result of the same run, in Danish and English;
# the partnership sheets' series and budget sums; and data text starting with '=' stays text.
# python3-openpyxl is installed when missing; when it cannot be, its checks are counted and
# shown as skipped, not passed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1 SOURCE_DATE_EPOCH=1700000000
examples=(examples/*/partnership.yaml)
ex=examples/tingbjerg-husum-2021-2024/partnership.yaml
nskip=0
skip() { nskip=$((nskip + 1)); echo "skip $*"; }

# --- choosing the format, and where the bytes go ---
"$MAAL" check "$ex" --format xlsx -o "$tmp/a.xlsx" 2>"$tmp/err"
rc=$?
"$MAAL" check "$ex" >/dev/null 2>&1
rc_text=$?
if [ "$rc" -eq "$rc_text" ] && [ "$rc" -eq 1 ]; then ok "exit code as for text (1: a goal failed)"
else not_ok "exit code $rc, text gives $rc_text"; fi
if [ "$(head -c 2 "$tmp/a.xlsx")" = "PK" ] && [ ! -s "$tmp/err" ]; then
    ok "--format xlsx -o FILE writes a zip container, nothing on stderr"
else not_ok "--format xlsx -o FILE: not a zip, or stderr: $(head -3 "$tmp/err")"; fi

"$MAAL" check "$ex" -o "$tmp/b.xlsx" >/dev/null 2>&1
if cmp -s "$tmp/a.xlsx" "$tmp/b.xlsx"; then ok "-o FILE.xlsx alone chooses xlsx (same bytes)"
else not_ok "-o FILE.xlsx alone does not write the workbook"; fi
"$MAAL" check "$ex" -o "$tmp/c.XLSX" >/dev/null 2>&1
if cmp -s "$tmp/a.xlsx" "$tmp/c.XLSX"; then ok "-o FILE.XLSX: the extension in any case"
else not_ok "-o FILE.XLSX is not a workbook"; fi
"$MAAL" check "$ex" --format text -o "$tmp/t.xlsx" >/dev/null 2>&1
"$MAAL" check "$ex" >"$tmp/t.txt" 2>/dev/null
if cmp -s "$tmp/t.xlsx" "$tmp/t.txt"; then ok "--format text -o FILE.xlsx: an explicit format wins"
else not_ok "--format text -o FILE.xlsx did not write text"; fi
"$MAAL" check "$ex" -o "xlsx=$tmp/d.bin" -o "json=$tmp/d.json" >/dev/null 2>&1
if cmp -s "$tmp/a.xlsx" "$tmp/d.bin"; then ok "-o xlsx=FILE next to another format"
else not_ok "-o xlsx=FILE differs"; fi

"$MAAL" check "$ex" --format xlsx 2>/dev/null | cat >"$tmp/pipe.xlsx"
if cmp -s "$tmp/a.xlsx" "$tmp/pipe.xlsx"; then ok "to a pipe: the same bytes as to a file"
else not_ok "to a pipe: not the same bytes as -o FILE"; fi

if command -v script >/dev/null 2>&1; then
    script -qec "$MAAL check $ex --format xlsx" /dev/null >"$tmp/tty" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "binært format" "$tmp/tty" && ! grep -q "PK" "$tmp/tty"; then
        ok "to a terminal: refused with exit 2 and a message"
    else not_ok "to a terminal: exit $rc, $(head -c 300 "$tmp/tty")"; fi
    script -qec "$MAAL check $ex --format xlsx --lang en" /dev/null >"$tmp/tty" 2>&1
    if grep -q "use -o FILE.xlsx" "$tmp/tty"; then ok "to a terminal, in English"
    else not_ok "to a terminal, in English: $(head -c 300 "$tmp/tty")"; fi
    # standard output by name, and the terminal by its device, are the terminal too
    for o in "-o /dev/stdout" "-o xlsx=/dev/tty"; do
        script -qec "$MAAL check $ex --format xlsx $o" /dev/null >"$tmp/tty" 2>&1
        rc=$?
        if [ "$rc" -eq 2 ] && grep -q "binært format" "$tmp/tty" && ! grep -q "PK" "$tmp/tty"
        then ok "$o to a terminal: refused with exit 2 and a message"
        else not_ok "$o to a terminal: exit $rc, $(head -c 300 "$tmp/tty" | tr -cd '[:print:]')"; fi
    done
else
    skip "to a terminal: no 'script' to make one"
    skip "to a terminal, in English: no 'script' to make one"
    skip "-o /dev/stdout to a terminal: no 'script' to make one"
    skip "-o xlsx=/dev/tty to a terminal: no 'script' to make one"
fi

"$MAAL" check "${examples[@]}" -o "$tmp/all1.xlsx" >/dev/null 2>&1
"$MAAL" check "${examples[@]}" -o "$tmp/all2.xlsx" --jobs 3 >/dev/null 2>&1
if cmp -s "$tmp/all1.xlsx" "$tmp/all2.xlsx"; then ok "the same bytes every run (and with --jobs 3)"
else not_ok "two runs differ"; fi

mkdir "$tmp/t"
TMPDIR=$tmp/t "$MAAL" check "$ex" -o "$tmp/e.xlsx" >/dev/null 2>&1
if [ -s "$tmp/e.xlsx" ] && [ -z "$(ls -A "$tmp/t")" ]; then ok "the temporary workbook is removed"
else not_ok "left in TMPDIR: $(ls -A "$tmp/t")"; fi
TMPDIR=$tmp/none "$MAAL" check "$ex" -o "$tmp/f.xlsx" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$tmp/f.xlsx" ] && grep -q "midlertidig fil i $tmp/none" "$tmp/err"
then ok "no temporary file to be had: exit 2, a message, no workbook"
else not_ok "TMPDIR missing: exit $rc, $(cat "$tmp/err")"; fi

# --- libxlsxwriter is loaded only when a workbook is asked for (issue 19: start-up) ---
if readelf -d "$MAAL" | grep -qE 'NEEDED.*(xlsxwriter|crypto|minizip|libz\.)'; then
    not_ok "maal links libxlsxwriter or what it needs: $(readelf -d "$MAAL" | grep NEEDED)"
else ok "maal does not link libxlsxwriter, libcrypto, libminizip or libz"; fi
# a stand-in of that SONAME first on the library path: it says when it is loaded and has none
# of the functions
so=$(grep -aoE 'libxlsxwriter\.so\.[0-9]+' "$MAAL" | head -1)
mkdir "$tmp/fake"
cat >"$tmp/fake/fake.c" <<'C'
#include <unistd.h>
__attribute__((constructor)) static void said(void) { write(2, "stand-in loaded\n", 16); }
C
if [ -n "$so" ] && ${CC:-cc} -shared -fPIC -o "$tmp/fake/$so" "$tmp/fake/fake.c" 2>"$tmp/err"; then
    LD_LIBRARY_PATH=$tmp/fake "$MAAL" check "$ex" --format json >"$tmp/plain.json" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$rc_text" ] && [ -s "$tmp/plain.json" ] && [ ! -s "$tmp/err" ]; then
        ok "a run without a workbook does not load $so"
    else not_ok "a JSON run loaded $so or failed: exit $rc, $(head -3 "$tmp/err")"; fi
    LD_LIBRARY_PATH=$tmp/fake "$MAAL" check "$ex" -o "$tmp/g.xlsx" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 2 ] && [ ! -e "$tmp/g.xlsx" ] && grep -q "stand-in loaded" "$tmp/err" &&
        grep -q "kan ikke indlæse libxlsxwriter, som regnearket skrives med: $so: workbook_new_opt" \
            "$tmp/err"
    then ok "a workbook loads $so; one without its functions: exit 2, what is missing, no file"
    else not_ok "the stand-in $so: exit $rc, $(cat "$tmp/err")"; fi
    LD_LIBRARY_PATH=$tmp/fake "$MAAL" check "$ex" --format xlsx --lang en -o "$tmp/h.xlsx" \
        >/dev/null 2>"$tmp/err"
    if grep -q "cannot load libxlsxwriter, which writes the workbook: $so: workbook_new_opt" \
        "$tmp/err"
    then ok "the stand-in, in English"
    else not_ok "the stand-in, in English: $(cat "$tmp/err")"; fi
else not_ok "no SONAME of libxlsxwriter in $MAAL ('$so'), or no stand-in: $(cat "$tmp/err")"; fi

# --- read back with openpyxl ---
py=/usr/bin/python3
if ! $py -c 'import openpyxl' 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    echo "# python3-openpyxl is missing; installing the Debian package"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-openpyxl \
        >/dev/null 2>&1 ||
        { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
          $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-openpyxl \
              >/dev/null 2>&1; }
fi
reader() { # NAME ARGS...: run check.py, count its 'ok' and 'FAIL' lines
    local name=$1
    shift
    if ! $py -c 'import openpyxl' 2>/dev/null; then
        skip "$name: python3-openpyxl could not be installed"
        return
    fi
    $py tests/xlsx/check.py "$@" >"$tmp/py" 2>&1
    local n=0
    while IFS= read -r line; do
        case $line in
        "ok "*) ok "$name: ${line#ok }"; n=$((n + 1)) ;;
        "FAIL "*) not_ok "$name: ${line#FAIL }"; n=$((n + 1)) ;;
        esac
    done <"$tmp/py"
    [ "$n" -gt 0 ] || { not_ok "$name: the reader checked nothing"; cat "$tmp/py"; }
}

"$MAAL" check "${examples[@]}" -o "$tmp/da.xlsx" -o "json=$tmp/da.json" >/dev/null 2>&1
reader "examples (da)" overview "$tmp/da.xlsx" "$tmp/da.json" da
reader "examples (da) sheets" sheets "$tmp/da.xlsx"
"$MAAL" check "${examples[@]}" --lang en -o "$tmp/en.xlsx" -o "json=$tmp/en.json" >/dev/null 2>&1
reader "examples (en)" overview "$tmp/en.xlsx" "$tmp/en.json" en
reader "examples (en) sheets" sheets "$tmp/en.xlsx"
"$MAAL" check tests/xlsx/formula.yaml -o "$tmp/fx.xlsx" -o "json=$tmp/fx.json" >/dev/null 2>&1
reader "formula text" formula "$tmp/fx.xlsx"
reader "formula text overview" overview "$tmp/fx.xlsx" "$tmp/fx.json" da

"$MAAL" check "${examples[@]}" --history -o "$tmp/h.xlsx" -o "json=$tmp/h.json" >/dev/null 2>&1
reader "--history" overview "$tmp/h.xlsx" "$tmp/h.json" da history

# --outlook: the prognose in five columns after the history's years (change.yaml without its
# goal with a refused parameter, which makes the run exit 2 without a workbook)
sed '/id: forkert/,+1d' tests/outlook/change.yaml >"$tmp/change.yaml"
for lang in da en; do
    "$MAAL" check tests/outlook/outlook.yaml "$tmp/change.yaml" --year 2023 --history \
        --outlook --lang $lang -o "$tmp/o-$lang.xlsx" -o "json=$tmp/o-$lang.json" >/dev/null 2>&1
    reader "--outlook ($lang)" outlook "$tmp/o-$lang.xlsx" "$tmp/o-$lang.json" $lang
done

"$py" -c 'print("maal: 1\npartnership: {id: lang, name: Lang, period: {from: 2021, to: 2022}}\n"
"series:\n  - {id: s, name: S, kind: crime, unit: count, values: {area: {2021: 1, 2022: 2}}}\n"
"goals:\n  - {id: g, title: \"" + "æ" * 20000 + "\", rule: monitor, params: {series: s}}")' \
    >"$tmp/long.yaml"
if "$MAAL" check "$tmp/long.yaml" -o "$tmp/long.xlsx" >/dev/null 2>"$tmp/err"; then
    ok "a 20000-character title: the workbook is written"
    reader "long text" long "$tmp/long.xlsx"
else not_ok "a 20000-character title: $(head -3 "$tmp/err")"; fi

# a rule's result in percentage points: the unit column names them as every report does
mkdir -p "$tmp/pp/rules"
printf '%s\n' 'return { evaluate = function() return maal.info({actual = 5, unit = "pp", message = "x"}) end }' \
    >"$tmp/pp/rules/pp.lua"
printf '%s\n' 'maal: 1' 'partnership: {id: pp, name: PP, period: {from: 2021, to: 2022}}' \
    'goals:' '  - {id: g, title: G, rule: pp}' >"$tmp/pp/partnership.yaml"
"$MAAL" check "$tmp/pp/partnership.yaml" -o "$tmp/pp.xlsx" >/dev/null 2>&1
reader "percentage points (da)" unit "$tmp/pp.xlsx" "pct.-point"
"$MAAL" check "$tmp/pp/partnership.yaml" --lang en -o "$tmp/pp-en.xlsx" >/dev/null 2>&1
reader "percentage points (en)" unit "$tmp/pp-en.xlsx" "percentage points"

# a value read from a CSV table names its file in the sources column, as the text report's
# "kilder" do (it was put under the partnership file: "partnership.yaml 7:3 indbrud ...")
"$py" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())' \
    "$tmp/a.xlsx" >"$tmp/strings.xml" 2>/dev/null
csv=examples/tingbjerg-husum-2021-2024/anmeldelser.csv
if grep -qF "$csv:7:3 indbrud area 2021 (anmeldelser: Indbrud, 2021), 33:36 baselines.crime, $csv:7:2 indbrud" "$tmp/strings.xml"
then ok "sources: a table's cell is named with its CSV file"
else not_ok "sources: no '$csv:7:3' for indbrud in the workbook's strings"; fi

# Excel keeps the sheet name 'History' (any case) for itself: a partnership 'history' gets
# 'history (2)', as a second of any other name would
printf '%s\n' 'maal: 1' 'partnership: {id: history, name: H, period: {from: 2021, to: 2022}}' \
    'goals: [{id: g, title: G, rule: budget_balance, params: {year: 2021}}]' \
    >"$tmp/history.yaml"
"$MAAL" check "$tmp/history.yaml" -o "$tmp/history.xlsx" >/dev/null 2>&1
"$py" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode())' \
    "$tmp/history.xlsx" >"$tmp/wb.xml" 2>/dev/null
if grep -q '<sheet name="history (2)"' "$tmp/wb.xml" && ! grep -qi '<sheet name="history"' "$tmp/wb.xml"
then ok "a partnership 'history' gets the sheet 'history (2)': Excel keeps 'History'"
else not_ok "sheet names: $(grep -o '<sheet name="[^"]*"' "$tmp/wb.xml" | tr '\n' ' ')"; fi

[ "$nskip" -eq 0 ] || echo "# $nskip checks skipped (not counted as passed)"
summary xlsx
