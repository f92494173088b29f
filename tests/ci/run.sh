#!/usr/bin/env bash
# CI recipes (docs/ci.md, examples/ci/): (a) examples/ci/scripts/maal-ci.sh run on a data
# repository laid out as a partnership keeps it (data/*.yaml): its reports are all there and
# well-formed, its exit code is maal's, a previous result is compared with (the 'dynamiske tal'
# case: police figures revised after the fact), --fail-on regression fails only on pass→fail;
# (b) determinism: byte-identical reports in every format whatever the locale, the time zone
# and --jobs; (c) the workflow files parse, call scripts/maal-ci.sh, and their shell steps do
# what docs/ci.md says when run here with stand-ins for gh and curl.
# MAAL_CI_BUILD=1 also builds maal from a clone of this repository's HEAD, as a data
# repository's CI does (about 10 s).
# shellcheck disable=SC2016 # single quotes: code for python3 and bash -c, expanded there
# shellcheck source=tests/lib.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}"
root=$PWD
maal=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL") # absolute: the script runs elsewhere
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
unset MAAL_LANG MAAL_PATH MAAL_PLUGIN_PATH SOURCE_DATE_EPOCH GITHUB_ACTIONS GITHUB_STEP_SUMMARY \
    MAAL_DATA MAAL_REPORTS MAAL_PREVIOUS MAAL_FAIL_ON MAAL_GITHUB MAAL_GIT_URL MAAL_REF MAAL_HOME
ci=$root/examples/ci/scripts/maal-ci.sh
tb=$root/examples/tingbjerg-husum-2021-2024/partnership.yaml
# its police figures and survey shares are CSV tables beside it: they go where it goes
tbcsv=("$root"/examples/tingbjerg-husum-2021-2024/*.csv)
revised=$root/tests/e2e/data/tingbjerg-revised.yaml

# check NAME COMMAND...: ok when COMMAND succeeds
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# py CODE ARGS...: a Python check; prints why when it fails
py() { python3 -c "$@"; }

# newrepo NAME FILE...: a data repository with FILEs as data/BASENAME
newrepo() {
    local d=$tmp/$1
    shift
    rm -rf "$d"
    mkdir -p "$d/data"
    local f
    for f in "$@"; do cp "$f" "$d/data/"; done
    printf '%s\n' "$d"
}
# runci DIR [ENV=VALUE...] [-- ARGS...]: run maal-ci.sh in DIR; stdout in DIR.out, stderr in
# DIR.err, exit code in $rc
runci() {
    local d=$1
    shift
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        envs+=("$1")
        shift
    done
    [ "${1:-}" = -- ] && shift
    (cd "$d" && env MAAL="$maal" "${envs[@]}" bash "$ci" "$@") >"$d.out" 2>"$d.err"
    rc=$?
}

# ---------------------------------------------------------------------------------------------
# (a) maal-ci.sh on a data repository
# ---------------------------------------------------------------------------------------------
cp "$tb" "$tmp/tingbjerg.yaml"
cp "$root/examples/amager-2017/partnership.yaml" "$tmp/amager.yaml"
repo=$(newrepo repo "$tmp/tingbjerg.yaml" "$tmp/amager.yaml" "${tbcsv[@]}")
(cd "$repo" && "$maal" check data/amager.yaml data/tingbjerg.yaml --format json >"$tmp/direct.json" 2>/dev/null)
direct_rc=$?
runci "$repo" MAAL_GITHUB=0
check "ci: exit code is maal's ($direct_rc)" [ "$rc" = "$direct_rc" ]
check "ci: exit code 1: goals fail in the examples" [ "$rc" = 1 ]
check "ci: last line names the exit code" \
    grep -q "^maal-ci: reports in reports/; maal exited 1: " <(tail -1 "$repo.out")
for f in maal.json maal.xml maal.html maal.md maal.txt maal.tap; do
    check "ci: reports/$f written" test -s "$repo/reports/$f"
done
check "ci: no previous result said so" grep -q "no previous result (reports/previous.json)" "$repo.out"
check "ci: data files in C order (amager before tingbjerg)" \
    grep -q "check --fail-on fail .* -- data/amager.yaml data/tingbjerg.yaml *$" "$repo.out"
check "ci: reports/maal.json is byte-identical to maal check --format json" \
    cmp -s "$repo/reports/maal.json" "$tmp/direct.json"
check "ci: no annotations outside GitHub" bash -c "! grep -q '^::' '$repo.out'"
check "ci: the text report is printed" grep -q "^ I alt: 16 mål: 5 opfyldt, 4 ikke opfyldt" "$repo.out"
check "ci: JUnit XML parses: 2 suites, 46 cases (amager 30, tingbjerg 16), 4 failures" py '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.findall("testsuite"); c = r.findall("testsuite/testcase")
f = r.findall("testsuite/testcase/failure")
ok = r.tag == "testsuites" and len(s) == 2 and len(c) == 46 and len(f) == 4
ok = ok and all(x.get("file", "").startswith("data/") for x in c)
sys.exit(0 if ok else print(r.tag, len(s), len(c), len(f)) or 1)' "$repo/reports/maal.xml"
check "ci: JSON parses: format 1, both partnerships, 4 fails" py '
import json, sys
d = json.load(open(sys.argv[1]))
ids = [p["id"] for p in d["partnerships"]]
ok = d["format_version"] == 1 and ids == ["amager-2017", "tingbjerg-husum-2021-2024"]
ok = ok and d["summary"]["fail"] == 4 and "changes" not in d
sys.exit(0 if ok else print(ids, d["summary"]) or 1)' "$repo/reports/maal.json"
check "ci: the HTML report holds every goal id" py '
import json, sys
d = json.load(open(sys.argv[1])); h = open(sys.argv[2], encoding="utf-8").read()
miss = [r["goal"] for p in d["partnerships"] for r in p["results"] if r["goal"] not in h]
ok = h.lstrip().lower().startswith("<!doctype html") and h.rstrip().endswith("</html>") and not miss
sys.exit(0 if ok else print("missing", miss) or 1)' "$repo/reports/maal.json" "$repo/reports/maal.html"
check "ci: TAP plan 1..46" grep -qx "1..46" "$repo/reports/maal.tap"

# GitHub: annotations on standard output, the Markdown report in the step summary
: >"$tmp/summary.md"
runci "$repo" GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$tmp/summary.md"
check "ci github: exit code 1" [ "$rc" = 1 ]
check "ci github: one ::error per failing goal (4), at data/tingbjerg.yaml or its tables" \
    [ "$(grep -cE '^::error file=data/(tingbjerg.yaml|anmeldelser.csv|tryghed.csv),line=[0-9]*,col=[0-9]*,title=' "$repo.out")" = 4 ]
check "ci github: ::warning for nodata" grep -q '^::warning file=data/amager.yaml,line=' "$repo.out"
check "ci github: step summary says there was no previous result, then the Markdown report" \
    bash -c "head -1 '$tmp/summary.md' | grep -q '^\*\*maal:\*\* no previous result (reports/previous.json): this run was not compared' && tail -n +3 '$tmp/summary.md' | cmp -s - '$repo/reports/maal.md'"
check "ci github: annotations equal maal check --format github" \
    cmp -s <(grep -E '^(::|maal: )' "$repo.out" | grep -vE '^::(stop-commands::)?maal-[0-9a-f]+(::)?$') \
    <(cd "$repo" && "$maal" check data/amager.yaml data/tingbjerg.yaml --format github 2>/dev/null)
# text from the data must not become a workflow command: a title with a line break
inj=$(newrepo inj)
python3 - "$root/tests/hostile/partnership.yaml" "$inj/data/p.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("title: A goal evaluated before the hostile one", 'title: "Before\\n::error file=x::injected"')
s = s.replace("rule: RULE", "rule: monitor\n    params: {series: indbrud}")
open(sys.argv[2], "w").write(s)
PY
runci "$inj" GITHUB_ACTIONS=true
check "ci github: a title with a line break never starts a line of the log" py '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
inj = [l for l in lines if l.startswith("::error file=x::")]
sys.exit(0 if not inj else print(inj) or 1)' "$inj.out"

# pass-through of maal check options and of the environment
runci "$repo" MAAL_LANG=en -- --goal indbrud --goal samarbejde
check "ci: options reach maal check (--goal): 2 goals" \
    py 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if sum(len(p["results"]) for p in d["partnerships"]) == 2 else 1)' \
    "$repo/reports/maal.json"
check "ci: MAAL_LANG=en reaches maal" grep -q "^ Total: 2 goals: 1 pass, 1 fail" "$repo/reports/maal.txt"

# --- the 'dynamiske tal' case: police figures revised after the data was first checked ------
cp "$repo/reports/maal.json" "$tmp/example.json" # not this one: the --goal run above
runci "$repo" MAAL_GITHUB=0                       # the full result of the examples again
cp "$repo/reports/maal.json" "$tmp/example.json"
cp "$repo/reports/maal.json" "$repo/reports/previous.json"
cp "$revised" "$repo/data/tingbjerg.yaml"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=regression
check "revised: --fail-on regression exits 1 (tyveri-roeveri pass→fail)" [ "$rc" = 1 ]
check "revised: compared with reports/previous.json" grep -q "^maal-ci: comparing with reports/previous.json" "$repo.out"
check "revised: maal.json marks the changes" py '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"]
r = {x["goal"]: x["compare"] for p in d["partnerships"] for x in p["results"]}
ok = (c["verdict_changed"], c["regressions"], c["values_changed"], c["new"], c["removed"]) == (2, 1, 1, 0, [])
ok = ok and r["tyveri-roeveri"]["status"] == "verdict_changed" and r["tyveri-roeveri"]["previous_verdict"] == "pass"
ok = ok and r["indbrud"]["previous_verdict"] == "fail" and r["narkotika"]["status"] == "values_changed"
sys.exit(0 if ok else print(c) or 1)' "$repo/reports/maal.json"
# the diff line says the numbers and where the new one is (the YAML line of the revised figure)
check "revised: maal diff lines in the log, at the revised YAML line" grep -qx \
    "~ tingbjerg-husum-2021-2024/tyveri-roeveri: opfyldt → ikke opfyldt, 32 → 54; kilde: \(.*/\)\?data/tingbjerg.yaml:97:30 tyveri_roeveri area 2021" "$repo.out"
check "revised: the changes line in the text report" \
    grep -q "^Ændringer siden sidste kørsel: 0 nye, 2 med ændret dom (1 fra opfyldt til ikke opfyldt), 1 med ændrede tal, 0 fjernet, 43 uændret" "$repo/reports/maal.txt"
check "revised: JUnit failure says the verdict changed" grep -q "(ændret dom: opfyldt → ikke opfyldt)" "$repo/reports/maal.xml"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=fail
check "revised: --fail-on fail exits 1" [ "$rc" = 1 ]

# a change without pass→fail: only burglary revised (27 -> 22: fail→pass) and narcotics, in
# the police's table
cp "$tb" "$repo/data/tingbjerg.yaml"
tbpol=$(dirname "$tb")/anmeldelser.csv
sed -e 's/^Indbrud;23;27/Indbrud;23;22/' -e 's/^Narkotika;84;100/Narkotika;84;97/' "$tbpol" \
    >"$repo/data/anmeldelser.csv"
check "improved: the data really changed" bash -c "! cmp -s '$tbpol' '$repo/data/anmeldelser.csv'"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=regression
check "improved: --fail-on regression exits 0 (fail→pass is no regression)" [ "$rc" = 0 ]
# ... at the police table's cell (row 7, field 3), as maal check --compare annotates it
check "improved: the verdict change is still reported, at the CSV cell" grep -qx \
    "~ tingbjerg-husum-2021-2024/indbrud: ikke opfyldt → opfyldt, 27 → 22; kilde: \(.*/\)\?data/anmeldelser.csv:7:3 indbrud area 2021 (anmeldelser: Indbrud, 2021)" "$repo.out"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=fail
check "improved: --fail-on fail still exits 1 (other goals fail)" [ "$rc" = 1 ]
cp "$tb" "$repo/data/tingbjerg.yaml"
cp "$tbpol" "$repo/data/anmeldelser.csv"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=regression
check "unchanged data: --fail-on regression exits 0" [ "$rc" = 0 ]
check "unchanged data: nothing changed" grep -q "0 med ændret dom (0 fra opfyldt til ikke opfyldt), 0 med ændrede tal, 0 fjernet, 46 uændret" "$repo/reports/maal.txt"
# the other way round: the revised result was kept, and the original figures come back
cp "$revised" "$repo/data/tingbjerg.yaml"
runci "$repo" MAAL_GITHUB=0
cp "$repo/reports/maal.json" "$repo/reports/previous.json"
cp "$tb" "$repo/data/tingbjerg.yaml"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=regression
check "reverted: --fail-on regression exits 1 (indbrud pass→fail)" [ "$rc" = 1 ]

# a previous result maal cannot read is set aside, not fatal
echo 'not json' >"$repo/reports/previous.json"
runci "$repo" MAAL_GITHUB=0
check "damaged previous: exit code is maal's own (1)" [ "$rc" = 1 ]
check "damaged previous: warned and not compared" grep -q "^maal-ci: warning: ignoring reports/previous.json" "$repo.out"
check "damaged previous: maal.json has no changes" py 'import json,sys; sys.exit("changes" in json.load(open(sys.argv[1])))' "$repo/reports/maal.json"
sed 's/"format_version": 1/"format_version": 2/' "$tmp/example.json" >"$repo/reports/previous.json"
runci "$repo" MAAL_GITHUB=0
check "previous of another format_version: set aside, exit 1" \
    bash -c "[ $rc = 1 ] && grep -q 'maal-ci: warning: ignoring' '$repo.out'"
rm -f "$repo/reports/previous.json"
runci "$repo" MAAL_GITHUB=0 MAAL_PREVIOUS="$tmp/example.json" MAAL_FAIL_ON=fail,regression
check "MAAL_PREVIOUS: compared with it" grep -q "^maal-ci: comparing with $tmp/example.json" "$repo.out"
runci "$repo" MAAL_GITHUB=0 MAAL_FAIL_ON=regression
check "regression without a previous result: a note, exit 0" \
    bash -c "[ $rc = 0 ] && grep -q '^maal-ci: note: --fail-on regression without a previous result' '$repo.out'"

# exit codes 2 and 3 pass through; stale reports are not left behind
bad=$(newrepo bad "$root/tests/bad-data/duplicate-key.yaml" "$tmp/amager.yaml")
runci "$bad" MAAL_GITHUB=0
check "invalid data file: exit code 2" [ "$rc" = 2 ]
check "invalid data file: located message on stderr" grep -q "^data/duplicate-key.yaml:[0-9]*:[0-9]*: " "$bad.err"
check "invalid data file: no report, not even of the valid file" bash -c "[ ! -e '$bad/reports/maal.json' ] && [ ! -e '$bad/reports/maal.html' ]"
only=$(newrepo only "$root/tests/bad-data/duplicate-key.yaml")
mkdir -p "$only/reports"
echo stale >"$only/reports/maal.txt"
runci "$only" MAAL_GITHUB=0
check "nothing evaluated: exit 2, no stale report left" bash -c "[ $rc = 2 ] && [ ! -e '$only/reports/maal.txt' ]"
rerr=$(newrepo rerr)
sed 's/rule: RULE/rule: boom/' "$root/tests/hostile/partnership.yaml" >"$rerr/data/boom.yaml"
mkdir -p "$rerr/data/rules"
echo 'return { evaluate = function() error("boom") end }' >"$rerr/data/rules/boom.lua"
runci "$rerr" MAAL_GITHUB=0
check "rule error: exit code 3" [ "$rc" = 3 ]
empty=$(newrepo empty)
runci "$empty"
check "no data files: exit 2 with a message" \
    bash -c "[ $rc = 2 ] && grep -q \"maal-ci: error: no data files match 'data/\\*.yaml'\" '$empty.err'"
# files of the checkout that lead elsewhere: a committed link to a secret of the runner (maal
# quoted the token in its error, in the CI log), to a device, a FIFO; a link that stays inside
# is read
echo 'https://u:ghp_SECRET0123456789abcdefghij@github.com' >"$tmp/credentials"
leak=$(newrepo leak)
ln -s "$tmp/credentials" "$leak/data/x.yaml"
runci "$leak" MAAL_GITHUB=0
check "a link out of the checkout: exit 2, refused, the secret not shown" \
    bash -c "[ $rc = 2 ] && grep -q 'maal-ci: error: data/x.yaml leads out of the repository' '$leak.err' && ! grep -q SECRET '$leak.out' '$leak.err'"
dev=$(newrepo dev)
ln -s /dev/zero "$dev/data/x.yaml"
mkfifo "$dev/data/y.yaml"
runci "$dev" MAAL_GITHUB=0 MAAL_DATA=data/x.yaml
check "a link to a device: exit 2, refused" \
    bash -c "[ $rc = 2 ] && grep -q 'maal-ci: error: data/x.yaml is not a regular file' '$dev.err'"
runci "$dev" MAAL_GITHUB=0 MAAL_DATA=data/y.yaml
check "a FIFO: exit 2, refused" \
    bash -c "[ $rc = 2 ] && grep -q 'maal-ci: error: data/y.yaml is not a regular file' '$dev.err'"
inside=$(newrepo inside)
mkdir -p "$inside/partnerships"
cp "$root/examples/amager-2017/partnership.yaml" "$inside/partnerships/amager.yaml"
ln -s ../partnerships/amager.yaml "$inside/data/amager.yaml"
runci "$inside" MAAL_GITHUB=0
check "a link that stays in the checkout is read" \
    bash -c "[ $rc = 0 ] && grep -q '\"id\": \"amager-2017\"' '$inside/reports/maal.json'"
runci "$repo" MAAL_DATA="data/tingbjerg.yaml"
check "MAAL_DATA: only that file" py 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(len(d["partnerships"]) != 1)' "$repo/reports/maal.json"
(cd "$repo" && env MAAL=/nonexistent/maal bash "$ci" >/dev/null 2>"$tmp/nomaal.err")
check "MAAL that does not exist: exit 2" bash -c "[ $? = 2 ] && grep -q 'MAAL=/nonexistent/maal is not an executable' '$tmp/nomaal.err'"

# build from git, as a data repository's CI does (opt-in: it compiles maal)
if [ "${MAAL_CI_BUILD:-0}" = 1 ]; then
    b=$(newrepo build "$tmp/amager.yaml")
    head=$(git rev-parse HEAD)
    (cd "$b" && env -u MAAL MAAL_GIT_URL="file://$root" MAAL_REF="$head" bash "$ci") >"$b.out" 2>&1
    rc=$?
    check "build: maal built from git at HEAD, exit 0" bash -c "[ $rc = 0 ] && [ -x '$b/.maal/src/build/maal' ]"
    (cd "$b" && env -u MAAL MAAL_GIT_URL="file://$root" MAAL_REF="$head" bash "$ci") >"$b.out" 2>&1
    check "build: the second run reuses the build" grep -q "^maal-ci: reusing the maal built from $head" "$b.out"
else
    skip "build: maal built from git at HEAD (MAAL_CI_BUILD=1 runs it)"
    skip "build: the second run reuses the build (MAAL_CI_BUILD=1 runs it)"
fi

# ---------------------------------------------------------------------------------------------
# (b) determinism: the same input gives the same bytes whatever the locale, TZ and --jobs
# ---------------------------------------------------------------------------------------------
locales=(C POSIX C.UTF-8)
if locale -a 2>/dev/null | grep -qiE '^da_DK\.utf-?8$'; then
    locales+=(da_DK.UTF-8)
else
    # make a private copy (LOCPATH): nothing is installed on the machine
    mkdir -p "$tmp/locale"
    localedef -c -i da_DK -f UTF-8 "$tmp/locale/da_DK.UTF-8" >/dev/null 2>&1
    if [ -e "$tmp/locale/da_DK.UTF-8/LC_NUMERIC" ]; then
        export LOCPATH=$tmp/locale
        locales+=(da_DK.UTF-8)
        echo "note: da_DK.UTF-8 is not installed; checked with a copy made by localedef"
    else
        echo "note: no da_DK.UTF-8 locale and none could be made: checked with C, POSIX and C.UTF-8 only"
    fi
fi
if [[ " ${locales[*]} " == *" da_DK.UTF-8 "* ]]; then
    check "locale da_DK.UTF-8 is in effect (decimal comma)" \
        [ "$(LC_ALL=da_DK.UTF-8 locale -k LC_NUMERIC 2>/dev/null | grep decimal_point)" = 'decimal_point=","' ]
fi
# every example, the revised figures and the waivers, with a fixed date for the waivers
files=("$root"/examples/*/partnership.yaml "$revised" "$root/tests/e2e/data/tingbjerg-waivers.yaml")
cd "$tmp" && mkdir -p det && cd det || exit 1
for f in "${files[@]}"; do
    n=$(basename "$(dirname "$f")")-$(basename "$f")
    cp "$f" "$n"
done
cp "${tbcsv[@]}" .
# one run checks each partnership id once: the revised figures and the waivers get ids of their own
for sfx in revised waivers; do
    sed -i "0,/^  id: /s/^  id: \(.*\)\$/  id: \1-$sfx/" "data-tingbjerg-$sfx.yaml"
done
mapfile -t inputs < <(find . -maxdepth 1 -name '*.yaml' -printf '%f\n' | LC_ALL=C sort)
cp "$tmp/example.json" prev.json
formats=(json junit tap markdown html github text)
# run NAME ENV... -- ARGS...: every format of one run into NAME.FORMAT (+ NAME.err, NAME.rc)
run() {
    local name=$1
    shift
    local envs=()
    while [ "$1" != -- ]; do
        envs+=("$1")
        shift
    done
    shift
    local outs=() f
    for f in "${formats[@]}"; do outs+=(-o "$f=$name.$f"); done
    env "${envs[@]}" "$maal" check "${inputs[@]}" --today 2022-12-31 --compare prev.json "${outs[@]}" "$@" \
        >"$name.stdout" 2>"$name.err"
    echo $? >"$name.rc"
}
run base LC_ALL=C TZ=UTC -- --jobs 1
check "determinism: the base run wrote every format" bash -c 'for f in json junit tap markdown html github text; do [ -s base.$f ] || exit 1; done'
check "determinism: base exit code 1" [ "$(cat base.rc)" = 1 ]
variants=()
for l in "${locales[@]}"; do variants+=("lc-$l LC_ALL=$l"); done
[[ " ${locales[*]} " == *" da_DK.UTF-8 "* ]] && variants+=("lang-da LANG=da_DK.UTF-8 LC_ALL=")
variants+=("tz-auckland TZ=Pacific/Auckland" "tz-stjohns TZ=America/St_Johns" "tz-unset TZ=")
variants+=("jobs2 --jobs 2" "jobs4 --jobs 4" "jobs64 --jobs 64")
[[ " ${locales[*]} " == *" da_DK.UTF-8 "* ]] &&
    variants+=("all-da LC_ALL=da_DK.UTF-8 TZ=Pacific/Auckland --jobs 3")
variants+=("all-c LC_ALL=C.UTF-8 TZ=Pacific/Auckland --jobs 2")
for v in "${variants[@]}"; do
    read -r -a words <<<"$v"
    name=${words[0]}
    envs=(LC_ALL=C TZ=UTC)
    args=(--jobs 1)
    for w in "${words[@]:1}"; do
        case $w in
        --jobs) args=() ;;
        *=*) envs+=("$w") ;;
        *) args=(--jobs "$w") ;;
        esac
    done
    run "$name" "${envs[@]}" -- "${args[@]}"
    for f in "${formats[@]}" err rc; do
        same "determinism: $f identical under $name" "base.$f" "$name.$f"
    done
done
# the files each run wrote equal what standard output gets for the same format
for f in "${formats[@]}"; do
    "$maal" check "${inputs[@]}" --today 2022-12-31 --compare prev.json --format "$f" >"stdout.$f" 2>/dev/null
    same "determinism: -o $f=FILE equals --format $f on standard output" "base.$f" "stdout.$f"
done
# SOURCE_DATE_EPOCH fixes the date, in UTC: 2022-12-31 12:00 UTC is already 2023-01-01 in
# Auckland, and the waiver that expires 2022-12-31 must still apply
SOURCE_DATE_EPOCH=1672488000 TZ=Pacific/Auckland "$maal" check "${inputs[@]}" --compare prev.json \
    --format json >sde.json 2>sde.err
same "determinism: SOURCE_DATE_EPOCH (TZ=Pacific/Auckland) equals --today 2022-12-31" base.json sde.json
# the order of the reports is the order of the command line, whatever --jobs
mapfile -t reversed < <(printf '%s\n' "${inputs[@]}" | LC_ALL=C sort -r)
"$maal" check "${reversed[@]}" --today 2022-12-31 --format json --jobs 4 >rev.json 2>/dev/null
check "determinism: partnerships in command-line order (forward, --jobs 1)" py '
import json, sys
d = json.load(open(sys.argv[1])); files = [p["file"] for p in d["partnerships"]]
sys.exit(0 if files == sys.argv[2:] else print(files) or 1)' base.json "${inputs[@]}"
check "determinism: partnerships in command-line order (reversed, --jobs 4)" py '
import json, sys
d = json.load(open(sys.argv[1])); files = [p["file"] for p in d["partnerships"]]
sys.exit(0 if files == sys.argv[2:] else print(files) or 1)' rev.json "${reversed[@]}"
check "determinism: no timestamp, no absolute path in any report" bash -c '
for f in base.*; do
  grep -lE "[0-9]{2}:[0-9]{2}:[0-9]{2}|'"$tmp"'|'"$root"'" "$f" && exit 1
done; exit 0'
check "determinism: a second base run is byte-identical" bash -c '
mkdir again && cd again && cp ../*.yaml ../*.csv ../prev.json . || exit 1
for f in json junit tap markdown html github text; do o="$o -o $f=x.$f"; done
"$0" check '"${inputs[*]}"' --today 2022-12-31 --compare prev.json $o 2>/dev/null
for f in json junit tap markdown html github text; do cmp -s x.$f ../base.$f || exit 1; done' "$maal"
cd "$root" || exit 1

# ---------------------------------------------------------------------------------------------
# (c) the workflow files
# ---------------------------------------------------------------------------------------------
gha=$root/examples/ci/.github/workflows/maal.yml
glc=$root/examples/ci/.gitlab-ci.yml
check "workflows: both parse as YAML" python3 -c '
import sys, yaml
for f in sys.argv[1:]:
    yaml.safe_load(open(f))' "$gha" "$glc"
check "github workflow: triggers, steps, artifact, fail-on" py '
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
on = w.get("on", w.get(True))          # YAML 1.1 reads the key on as true
assert {"push", "pull_request", "schedule"} <= set(on), on
steps = w["jobs"]["maal"]["steps"]
runs = [s.get("run", "") for s in steps]
uses = [s.get("uses", "") for s in steps]
assert any("scripts/maal-ci.sh" in r for r in runs), "no step runs scripts/maal-ci.sh"
up = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")][0]
assert up["with"]["name"] == "maal-reports" and up["with"]["path"] == "reports/", up
assert "cancelled()" in up["if"], up
assert any("--name maal-reports" in r for r in runs), "the previous result is not the same artifact"
assert any("$RUNNER_TEMP/maal-previous.json" in r for r in runs), "the previous result is not outside the checkout"
check = [s for s in steps if "scripts/maal-ci.sh" in s.get("run", "")][0]
fo = check["env"]["MAAL_FAIL_ON"]
assert "pull_request" in fo and "regression" in fo and "fail" in fo, fo
assert w["permissions"]["actions"] == "read"
for v in ("MAAL_GIT_URL", "MAAL_REF"): assert w["env"][v], v
assert uses.index(next(u for u in uses if u.startswith("actions/checkout@"))) == 0
' "$gha"
check "gitlab-ci: jobs, script, artifacts, fail-on" py '
import sys, yaml
g = yaml.safe_load(open(sys.argv[1]))
base = g[".maal"]
assert any("scripts/maal-ci.sh" in s for s in base["script"])
a = base["artifacts"]
assert a["when"] == "always" and "reports/" in a["paths"] and a["reports"]["junit"] == "reports/maal.xml"
main = g[g["variables"]["MAAL_MAIN_JOB"]]
assert main["extends"] == ".maal" and main["variables"]["MAAL_FAIL_ON"] == "fail"
assert main["allow_failure"] == {"exit_codes": [1]}
assert "CI_DEFAULT_BRANCH" in main["rules"][0]["if"]
mr = g["maal-mr"]
assert mr["variables"]["MAAL_FAIL_ON"] == "regression" and "merge_request_event" in mr["rules"][0]["if"]
assert "allow_failure" not in mr
assert any("jobs/artifacts/$CI_DEFAULT_BRANCH/raw/reports/maal.json?job=$MAAL_MAIN_JOB" in s for s in base["script"])
' "$glc"
# the shell of each run step / script, as the CI service runs it, with stand-ins for gh, curl
python3 - "$gha" "$glc" "$tmp/steps" <<'PY'
import os, re, sys, yaml
gha, glc, out = sys.argv[1:]
os.makedirs(out, exist_ok=True)
w = yaml.safe_load(open(gha))
for i, s in enumerate(w["jobs"]["maal"]["steps"]):
    if "run" in s:
        name = re.sub(r"[^a-z]+", "-", s.get("name", "step").lower()).strip("-")
        # GitHub runs a step as bash -e; its ${{ }} expressions are given as environment here
        body = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", s["run"])
        open(f"{out}/gh-{i}-{name}.sh", "w").write(body)
g = yaml.safe_load(open(glc))
open(f"{out}/gl-script.sh", "w").write("\n".join(g[".maal"]["script"]) + "\n")
PY
fetch=$(ls "$tmp"/steps/gh-*-fetch-the-previous-result-of-the-default-branch.sh 2>/dev/null)
check "github workflow: has the step that fetches the previous result" test -f "$fetch"
mkdir -p "$tmp/bin" "$tmp/artifact"
cp "$tmp/example.json" "$tmp/artifact/maal.json"
cat >"$tmp/bin/gh" <<'EOF'
#!/usr/bin/env bash
# a stand-in for the GitHub CLI: runs 999 (this one), 42 (artifact expired), 41 (has it)
echo "gh $*" >>"$GH_LOG"
[ "${GH_FAIL:-0}" = 1 ] && { echo "gh: HTTP 403" >&2; exit 1; }
case "$1 $2" in
"api repos/"*) echo main ;;
"run list") printf '999\n42\n41\n' ;;
"run download")
    [ "$3" = 41 ] || { echo "no artifact" >&2; exit 1; }
    shift 3
    while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir=$2; shift; done
    mkdir -p "$dir" && cp "$GH_ARTIFACT"/* "$dir/" ;;
*) exit 2 ;;
esac
EOF
cat >"$tmp/bin/curl" <<'EOF'
#!/usr/bin/env bash
# a stand-in for curl: the artifact of the default branch's latest successful pipeline
echo "curl $*" >>"$CURL_LOG"
[ "${CURL_FAIL:-0}" = 1 ] && { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
cp "$GH_ARTIFACT/maal.json" "$out"
EOF
chmod +x "$tmp/bin/gh" "$tmp/bin/curl"
gh_repo=$(newrepo ghrepo "$tmp/tingbjerg.yaml" "$tmp/amager.yaml" "${tbcsv[@]}")
mkdir -p "$gh_repo/scripts" && cp "$ci" "$gh_repo/scripts/"
ghenv=(PATH="$tmp/bin:$PATH" GH_LOG="$tmp/gh.log" GH_ARTIFACT="$tmp/artifact" GH_REPO=o/r
    GITHUB_RUN_ID=999 RUNNER_TEMP="$tmp/runner" GITHUB_ACTIONS=true GH_TOKEN=x)
mkdir -p "$tmp/runner"
: >"$tmp/gh.log"
(cd "$gh_repo" && env "${ghenv[@]}" bash -e "$fetch") >"$tmp/fetch.out" 2>&1
check "github fetch step: exit 0" [ $? = 0 ]
check "github fetch step: skips this run and the run without the artifact, takes run 41" \
    bash -c "grep -qx 'previous result: run 41 on main' '$tmp/fetch.out' && cmp -s '$tmp/runner/maal-previous.json' '$tmp/example.json' && ! grep -q 'download 999' '$tmp/gh.log' && grep -q 'download 42' '$tmp/gh.log'"
check "github fetch step: lists finished runs of the default branch" \
    grep -q -- "run list --workflow maal.yml --branch main --status completed" "$tmp/gh.log"
rm -rf "$gh_repo/reports"
(cd "$gh_repo" && env "${ghenv[@]}" GH_FAIL=1 bash -e "$fetch") >"$tmp/fetch.out" 2>&1
check "github fetch step: gh failing is not fatal (first run)" \
    bash -c "[ $? = 0 ] && grep -qx 'no previous result on main: this run is not compared' '$tmp/fetch.out' && [ ! -e '$tmp/runner/maal-previous.json' ]"
# the check step of a pull request after a good fetch: the whole job, as GitHub runs it
(cd "$gh_repo" && env "${ghenv[@]}" bash -e "$fetch") >/dev/null 2>&1
cp "$revised" "$gh_repo/data/tingbjerg.yaml"
checkstep=$(grep -l 'scripts/maal-ci.sh' "$tmp"/steps/gh-*.sh)
: >"$tmp/summary.md"
(cd "$gh_repo" && env "${ghenv[@]}" MAAL="$maal" MAAL_FAIL_ON=regression GITHUB_STEP_SUMMARY="$tmp/summary.md" \
    bash -e "$checkstep") >"$tmp/check.out" 2>&1
check "github pull request with the revised figures: step fails with 1 (a regression)" [ $? = 1 ]
check "github pull request: a ::error annotation marks the regression" \
    grep -q '^::error file=data/tingbjerg.yaml,line=97,col=30,title=ikke opfyldt tyveri-roeveri.*(ændret dom: opfyldt → ikke opfyldt)$' "$tmp/check.out"
check "github pull request: a ::notice counts the changes" \
    grep -q '^::notice title=maal::Ændringer siden sidste kørsel: 0 nye, 2 med ændret dom (1 fra opfyldt til ikke opfyldt)' "$tmp/check.out"
check "github pull request: the step summary has the Markdown report" grep -q '^### Ændringer' "$tmp/summary.md"
# GitLab's script: the previous result through the jobs API, then maal-ci.sh
gl_repo=$(newrepo glrepo "$tmp/tingbjerg.yaml" "${tbcsv[@]}")
mkdir -p "$gl_repo/scripts" && cp "$ci" "$gl_repo/scripts/"
glenv=(PATH="$tmp/bin:$PATH" CURL_LOG="$tmp/curl.log" GH_ARTIFACT="$tmp/artifact" MAAL="$maal"
    CI_API_V4_URL=https://gitlab.example/api/v4 CI_PROJECT_ID=7 CI_DEFAULT_BRANCH=main
    CI_JOB_TOKEN=t MAAL_MAIN_JOB=maal)
: >"$tmp/curl.log"
cp "$revised" "$gl_repo/data/tingbjerg.yaml"
(cd "$gl_repo" && env "${glenv[@]}" MAAL_FAIL_ON=regression bash -e "$tmp/steps/gl-script.sh") >"$tmp/gl.out" 2>&1
check "gitlab merge request with the revised figures: exit 1 (a regression)" [ $? = 1 ]
check "gitlab: asks the jobs API for the default branch's maal.json" \
    grep -qF "https://gitlab.example/api/v4/projects/7/jobs/artifacts/main/raw/reports/maal.json?job=maal" "$tmp/curl.log"
check "gitlab: compared with it" grep -q '^maal-ci: comparing with /.*/previous.json' "$tmp/gl.out"
rm -rf "$gl_repo/reports"
cp "$tb" "$gl_repo/data/tingbjerg.yaml"
(cd "$gl_repo" && env "${glenv[@]}" CURL_FAIL=1 MAAL_FAIL_ON=fail bash -e "$tmp/steps/gl-script.sh") >"$tmp/gl.out" 2>&1
check "gitlab default branch, first run (404): exit 1 from the failing goals, not from curl" \
    bash -c "[ $? = 1 ] && grep -q 'no previous result on main' '$tmp/gl.out' && grep -q 'maal exited 1' '$tmp/gl.out'"

# ---------------------------------------------------------------------------------------------
# (d) docs/ci.md shows real output: every line it quotes is what maal prints today
# ---------------------------------------------------------------------------------------------
doc=$root/docs/ci.md
"$maal" check "$tb" --year 2022 -o json="$tmp/main.json" 2>/dev/null
check "docs: the example exits 1" [ $? = 1 ]
(cd "$root" && "$maal" check tests/e2e/data/tingbjerg-revised.yaml --year 2022 -o json="$tmp/revised.json" \
    --compare "$tmp/main.json" --fail-on regression -o github=- >"$tmp/doc-github.out" 2>/dev/null)
check "docs: the revised figures exit 1 with --fail-on regression" [ $? = 1 ]
"$maal" diff "$tmp/main.json" "$tmp/revised.json" >"$tmp/doc-diff.out"
check "docs: maal diff exits 1" [ $? = 1 ]
"$maal" diff "$tmp/main.json" "$tmp/revised.json" --lang en >"$tmp/doc-diff-en.out"
# quoted FILE: every line of FILE is a line of docs/ci.md (indentation aside)
sed 's/^ *//' "$doc" >"$tmp/doc.txt"
quoted() {
    local l
    while IFS= read -r l; do
        grep -qxF -- "$l" "$tmp/doc.txt" || { echo "  not in docs/ci.md: $l"; return 1; }
    done <"$1"
}
check "docs: the maal diff output is quoted exactly" quoted "$tmp/doc-diff.out"
check "docs: the maal diff --lang en output is quoted exactly" quoted "$tmp/doc-diff-en.out"
grep -E '^::notice file=.*indbrud|^::error file=.*tyveri-roeveri|^maal: |^::notice title=' \
    "$tmp/doc-github.out" >"$tmp/doc-github.sel"
check "docs: the annotations are quoted exactly (4 lines)" \
    bash -c "[ \$(wc -l <'$tmp/doc-github.sel') = 4 ]" && check "docs: ... and each is in docs/ci.md" quoted "$tmp/doc-github.sel"
(cd "$root" && "$maal" check tests/e2e/data/tingbjerg-waivers.yaml --year 2022 --today 2023-01-15 \
    -o json=/dev/null 2>"$tmp/doc-waiver.err")
check "docs: the expired waiver exits 1" [ $? = 1 ]
check "docs: the expired-waiver warning is quoted exactly" quoted "$tmp/doc-waiver.err"

summary ci
