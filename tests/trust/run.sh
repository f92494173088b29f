#!/usr/bin/env bash
# Trust boundaries (issue 14, docs/security.md section 10): what a data file, a searched plugin
# folder, a previous result or the CI checkout says is input, never authority. Each case below
# would pass a hostile input on the code before the fix.
# shellcheck source=tests/lib.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}" "${B:=build}"
root=$PWD
maal=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
unset MAAL_LANG MAAL_PATH MAAL_PLUGIN_PATH SOURCE_DATE_EPOCH GITHUB_ACTIONS GITHUB_STEP_SUMMARY \
    MAAL_DATA MAAL_REPORTS MAAL_PREVIOUS MAAL_FAIL_ON MAAL_GITHUB MAAL_GIT_URL MAAL_REF MAAL_HOME
tb=$root/tests/e2e/data/tingbjerg-yaml.yaml # every figure in YAML
amager=$root/examples/amager-2017/partnership.yaml
ci=$root/examples/ci/scripts/maal-ci.sh

# check NAME COMMAND...: ok when COMMAND succeeds
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# run ARGS...: maal in $tmp; stdout in $tmp/out, stderr in $tmp/err, exit code in $rc
run() {
    (cd "$tmp" && "$maal" "$@") >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# ---------------------------------------------------------------------------------------------
# 1. file names are never options: the CI script, maal's '--', shellcheck over the recipes
# ---------------------------------------------------------------------------------------------
repo=$tmp/repo1
mkdir -p "$repo/data"
cp "$tb" "$repo/data/a.yaml"
cp "$amager" "$repo/data/b.yaml"
mv "$repo/data/b.yaml" "$repo/data/b.yaml
--goal=ok.yaml"
(cd "$repo" && env MAAL="$maal" MAAL_GITHUB=0 bash "$ci") >"$repo.out" 2>&1
rc=$?
check "1 ci: a file named 'x⏎--goal=…' is a file: goals still fail (exit 1, not 0)" [ "$rc" = 1 ]
check "1 ci: both partnerships are in the report" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(len(d["partnerships"])!=2)' \
    "$repo/reports/maal.json"
check "1 ci: the command in the log quotes the file name's line break" \
    grep -qF -- "-- data/a.yaml \$'data/b.yaml\\n--goal=ok.yaml'" "$repo.out"
check "1 ci: the data files come after '--'" grep -q -- " -- data/a.yaml " "$repo.out"

printf 'x' >"$tmp/-"
run check - --lang en
check "1 maal: a data path '-' before '--' is refused (exit 2)" [ "$rc" = 2 ]
check "1 maal: ... saying to write it after '--'" grep -q "write it after '--'" "$tmp/err"
cp "$tb" "$tmp/-tb.yaml"
run check --format json -- -tb.yaml
check "1 maal: a data path starting with '-' after '--' is read (exit 1)" [ "$rc" = 1 ]
run check --format json -tb.yaml
check "1 maal: ... and is an unknown option before it (exit 2)" [ "$rc" = 2 ]

check "1 shellcheck: every script and workflow step in examples/ci is clean" \
    bash tests/trust/shellcheck-ci.sh examples/ci
mkdir -p "$tmp/badci/.github/workflows"
# shellcheck disable=SC2016 # a workflow step's text, expanded by nobody
printf 'jobs:\n  x:\n    steps:\n      - run: for f in $(ls *.yaml); do echo $f; done\n' \
    >"$tmp/badci/.github/workflows/x.yml"
check "1 shellcheck: a workflow step with an unquoted file list is caught" \
    bash -c "! bash tests/trust/shellcheck-ci.sh '$tmp/badci' >/dev/null 2>&1"

# ---------------------------------------------------------------------------------------------
# 2. a searched plugin does not take over a standard rule or a bundled plugin; rule_source
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/pa/evil/rules" "$tmp/pb/sikker-by" "$tmp/pc/x/rules"
printf 'name: evil\nversion: 1.0.0\nmaal_api: 1\n' >"$tmp/pa/evil/plugin.yaml"
cat >"$tmp/pa/evil/rules/at_most_baseline.lua" <<'LUA'
-- passes every goal it is given
return { title = "always pass", evaluate = function() return { verdict = "pass", message = "ok" } end }
LUA
printf 'name: sikker-by\nversion: 9.9.9\nmaal_api: 1\n' >"$tmp/pb/sikker-by/plugin.yaml"
printf 'name: x\nversion: 1.0.0\nmaal_api: 1\n' >"$tmp/pc/x/plugin.yaml"
cp "$tmp/pa/evil/rules/at_most_baseline.lua" "$tmp/pc/x/rules/within_district.lua"
run check "$tb" --lang en --plugins pa
check "2 a searched plugin's rule named like a standard rule: exit 2 (was 0: fail became pass)" \
    [ "$rc" = 2 ]
check "2 ... the message names the plugin and the standard rule" \
    grep -q "plugin 'evil' in pa/evil (found by searching) would shadow the standard rule 'at_most_baseline' (.*rules/at_most_baseline.lua)" "$tmp/err"
MAAL_PLUGIN_PATH=$tmp/pa run check "$tb" --lang en
check "2 ... found through MAAL_PLUGIN_PATH: exit 2" [ "$rc" = 2 ]
run check "$tb" --lang en --plugins pc
check "2 ... or a bundled plugin's rule (within_district of sikker-by): exit 2" [ "$rc" = 2 ]
run check "$tb" --plugin pa/evil --format json
check "2 named with --plugin it may (the user's choice): not refused (exit 1: other goals fail)" [ "$rc" = 1 ]
check "2 ... and the JSON names the plugin and the rule's path (rule_source)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rs = [g["rule_source"] for p in d["partnerships"] for g in p["results"] if g["rule"] == "at_most_baseline"]
sys.exit(not rs or any(r != {"origin": "plugin", "plugin": "evil", "path": "pa/evil/rules/at_most_baseline.lua"} for r in rs))' "$tmp/out"
run check "$tb" --plugin pa/evil --format html
check "2 ... and the HTML report says whose rule it is" \
    grep -q '<span class="rsrc">plugin evil: pa/evil/rules/at_most_baseline.lua</span>' "$tmp/out"
run check "$tb" --format json
check "2 a standard rule's source is 'standard' in the JSON" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(d["partnerships"][0]["results"][0]["rule_source"] != {"origin": "standard"})' "$tmp/out"
run check "$tb" --lang en --plugins pb
check "2 a searched plugin named like a bundled one (sikker-by): exit 2" [ "$rc" = 2 ]
check "2 ... the message names both folders" \
    grep -q "plugin 'sikker-by' in pb/sikker-by (found by searching) would shadow the bundled plugin in .*plugins/sikker-by" "$tmp/err"
run plugins --lang en --plugins pb
check "2 'maal plugins' still lists the bundled sikker-by, and exits 2" \
    bash -c "[ $rc = 2 ] && grep -q '^sikker-by 1.0.0' '$tmp/out' && grep -q '^sikker-by 9.9.9' '$tmp/out'"

# ---------------------------------------------------------------------------------------------
# 3. files a plugin or a partnership folder names stay inside it; errors quote short excerpts
# ---------------------------------------------------------------------------------------------
secret=ghp_SECRETTOKEN1234567890abcdefghijklmnopqrstuvwxyz0123456789
printf 'https://user:%s@github.com\n' "$secret" >"$tmp/git-credentials"
mkdir -p "$tmp/pl/p/goalsets" "$tmp/pl/p/reporters" "$tmp/linked"
printf 'name: p\nversion: 1.0.0\nmaal_api: 1\n' >"$tmp/pl/p/plugin.yaml"
ln -s "$tmp/git-credentials" "$tmp/pl/p/goalsets/set.yaml"
printf 'return { render = function() return "x" end }\n' >"$tmp/outside.lua"
ln -s "$tmp/outside.lua" "$tmp/pl/p/reporters/r.lua"
sed 's#sikker-by/partnerskab-2021#p/set#' "$root/tests/plugins/tingbjerg-2021/partnership.yaml" \
    >"$tmp/inc.yaml"
run check inc.yaml --lang en --plugins pl
check "3 a goal set that links out of its plugin is not read (exit 2)" [ "$rc" = 2 ]
check "3 ... and the error does not print the linked file's secret" bash -c "! grep -q '$secret' '$tmp/err'"
run check "$tb" --plugins pl --format p/r
check "3 a reporter that links out of its plugin is not run (exit 2)" [ "$rc" = 2 ]
ln -s "$tmp/git-credentials" "$tmp/linked/partnership.yaml"
run check linked --lang en
check "3 a partnership.yaml that links out of its folder is refused (exit 2)" [ "$rc" = 2 ]
check "3 ... saying so, without its content" bash -c "grep -q 'symbolic link out of its folder' '$tmp/err' && ! grep -q '$secret' '$tmp/err'"
printf 'maal: 1\npartnership: "https://user:%s@github.com"\ngoals: []\n' "$secret" >"$tmp/quote.yaml"
run validate quote.yaml --lang en
check "3 a long value is quoted cut to 60 characters with '…'" \
    grep -q "is the value 'https://user:ghp_SECRETTOKEN1234567890abcdefghijklmnopqrstuv…'" "$tmp/err"
printf 'maal: 1\npartnership: "a\\u001b[31mb"\ngoals: []\n' >"$tmp/ctl.yaml"
run validate ctl.yaml --lang en
check "3 ... and cleaned of control characters" bash -c "grep -q \"value 'a \\[31mb'\" '$tmp/err'"

# ---------------------------------------------------------------------------------------------
# 4. -o writes the path as given: no link's target, no input file, no path twice; modes; temp
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/shared" "$tmp/home" "$tmp/o4"
printf 'export PATH=/usr/bin\n' >"$tmp/home/bashrc"
ln -s "$tmp/home/bashrc" "$tmp/shared/report.txt"
run check "$tb" --lang en -o shared/report.txt
check "4 -o onto a symbolic link is refused (exit 2)" [ "$rc" = 2 ]
check "4 ... and the link's target is untouched" grep -qx 'export PATH=/usr/bin' "$tmp/home/bashrc"
check "4 ... and the message says why" grep -q "is a symbolic link" "$tmp/err"
cp "$tb" "$tmp/o4/data.yaml"
run check o4/data.yaml --lang en -o json=o4/data.yaml
check "4 -o onto a data file is refused (exit 2)" [ "$rc" = 2 ]
check "4 ... and the data file is untouched" cmp -s "$tb" "$tmp/o4/data.yaml"
run check "$tb" --lang en -o json=o4/r.json -o html=o4/r.json
check "4 the same -o path twice is refused (exit 2)" [ "$rc" = 2 ]
check "4 ... with a message" grep -q "'o4/r.json' is given twice" "$tmp/err"
printf 'old\n' >"$tmp/o4/private.txt"
chmod 600 "$tmp/o4/private.txt"
run check "$tb" -o o4/private.txt
check "4 a replaced file keeps its mode (0600, was made 0644)" \
    [ "$(stat -c %a "$tmp/o4/private.txt")" = 600 ]
(umask 027 && cd "$tmp" && "$maal" check "$tb" -o o4/new.txt >/dev/null 2>&1)
check "4 a new file gets 0666 & ~umask (0640 under umask 027)" [ "$(stat -c %a "$tmp/o4/new.txt")" = 640 ]
(cd "$tmp" && "$maal" check "$tb" -o /dev/stdout >"$tmp/o4/stdout.txt" 2>/dev/null)
check "4 -o /dev/stdout is standard output (redirected to a file)" \
    grep -q "Tingbjerg-Husum" "$tmp/o4/stdout.txt"
check "4 ... and nothing else is left in the folder" \
    [ "$(find "$tmp/o4" -name '*.tmp*' | wc -l)" = 0 ]
# a run that is slow (a rule loops until its time limit) and is stopped with SIGTERM: no
# temporary file beside the target while it runs, none after
mkdir -p "$tmp/slow/rules" "$tmp/slow/out"
sed "s/rule: RULE/rule: loop/" "$root/tests/hostile/partnership.yaml" >"$tmp/slow/partnership.yaml"
cp "$root/tests/hostile/endless_loop.lua" "$tmp/slow/rules/loop.lua"
(cd "$tmp/slow" && exec "$maal" check partnership.yaml --rule-timeout 3 -o out/r.json) \
    >/dev/null 2>&1 &
pid=$!
sleep 1
during=$(ls -A "$tmp/slow/out")
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "4 no temporary file beside the target while the report is not ready" [ -z "$during" ]
check "4 ... nor after SIGTERM" [ -z "$(ls -A "$tmp/slow/out")" ]
# without a writable temporary folder the report is spooled in memory (a private mount
# namespace with a read-only /tmp; skipped where there is none)
if unshare -m true 2>/dev/null; then
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare -m sh -c 'mount -t tmpfs -o ro,size=4k tmpfs /tmp || exit 125
        cd "$1" && "$2" check "$3" --format json -o "$4"' sh "$root" "$maal" "$tb" "$root/$B/trust-ro.json" \
        >/dev/null 2>"$tmp/ro.err"
    rc=$?
    if [ "$rc" = 125 ]; then
        skip "4 a read-only /tmp: no tmpfs can be mounted here"
    else
        check "4 a read-only /tmp: the report is spooled in memory and written (exit 1)" \
            bash -c "[ $rc = 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$root/$B/trust-ro.json'"
    fi
    rm -f "$root/$B/trust-ro.json"
else
    skip "4 a read-only /tmp: no private mount namespace"
fi

# ---------------------------------------------------------------------------------------------
# 5. a waiver never hides a rule error; every format shows what a waiver hides
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/w5/rules"
sed "s/rule: RULE/rule: loop/" "$root/tests/hostile/partnership.yaml" >"$tmp/w5/partnership.yaml"
cp "$root/tests/hostile/endless_loop.lua" "$tmp/w5/rules/loop.lua"
printf 'waivers:\n  - {goal: hostile, reason: "kendt fejl", agreed_by: styregruppen, expires: 2099-12-31}\n' \
    >>"$tmp/w5/partnership.yaml"
run check w5 --rule-timeout 0.3 --fail-on error --format json
check "5 a waived goal whose rule times out exits 3 (was 0)" [ "$rc" = 3 ]
check "5 ... its verdict is error, not waived" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d["partnerships"][0]["results"] if r["goal"] == "hostile"][0]
sys.exit(r["verdict"] != "error")' "$tmp/out"
# nodata: only with covers_nodata: true
sed -e '/^waivers:/,$d' "$tb" >"$tmp/w5nd.yaml"
cat >>"$tmp/w5nd.yaml" <<'YAML'
waivers:
  - {goal: utrygge-koebenhavnniveau, reason: "ingen bytal", agreed_by: styregruppen, expires: 2099-12-31}
  - {goal: utrygge-aften-nat-koebenhavnniveau, reason: "ingen bytal", agreed_by: styregruppen, expires: 2099-12-31, covers_nodata: true}
  - {goal: indbrud, reason: "tal revideres", agreed_by: styregruppen, expires: 2099-12-31}
YAML
run check w5nd.yaml --year 2022 --format json
check "5 a waiver covers nodata only with covers_nodata: true" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = {r["goal"]: r["verdict"] for r in d["partnerships"][0]["results"]}
sys.exit(not (v["utrygge-koebenhavnniveau"] == "nodata" and v["utrygge-aften-nat-koebenhavnniveau"] == "waived" and v["indbrud"] == "waived"))' "$tmp/out"
run check w5nd.yaml --year 2022 --goal indbrud --format markdown
check "5 Markdown shows the verdict without the waiver" grep -q "tal revideres.*uden dispensation: ikke opfyldt" "$tmp/out"
run check w5nd.yaml --year 2022 --goal indbrud --format junit
check "5 JUnit shows it" grep -q "tal revideres.*uden dispensation: ikke opfyldt" "$tmp/out"
run check w5nd.yaml --year 2022 --goal indbrud --format tap
check "5 TAP shows the waiver and the verdict it hides" \
    bash -c "grep -q '^  waived_verdict: fail' '$tmp/out' && grep -q '^  waiver: \"tal revideres' '$tmp/out'"
run check w5nd.yaml --year 2022 --goal indbrud --format github
check "5 GitHub gives a waived goal a ::notice, with the waiver" \
    grep -q "^::notice file=w5nd.yaml,.*dispenseret: tal revideres.*uden dispensation: ikke opfyldt" "$tmp/out"
run check w5nd.yaml --year 2022 --goal indbrud --format csv/csv
check "5 CSV has the waived verdict and the waiver" grep -q ",waived,.*,fail,\"tal revideres" "$tmp/out"

# ---------------------------------------------------------------------------------------------
# 6. one partnership id per run: an unchanged copy next to a worsened file hid the regression
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/d6"
(cd "$tmp" && "$maal" check "$tb" --year 2022 --format json >"$tmp/d6/previous.json" 2>/dev/null)
cp "$root/tests/e2e/data/tingbjerg-revised.yaml" "$tmp/d6/a-revised.yaml"
cp "$tb" "$tmp/d6/b-copy.yaml"
run check d6/a-revised.yaml d6/b-copy.yaml --year 2022 --lang en --compare d6/previous.json \
    --fail-on regression -o json=d6/now.json
check "6 two files with the same partnership id: exit 2 (was 0 with --fail-on regression)" [ "$rc" = 2 ]
check "6 ... naming both files" \
    grep -q "d6/b-copy.yaml: error: the partnership 'tingbjerg-husum-2021-2024' is also in d6/a-revised.yaml" "$tmp/err"
check "6 ... and no report is written" [ ! -e "$tmp/d6/now.json" ]
run check d6/a-revised.yaml --year 2022 --compare d6/previous.json --fail-on regression
check "6 the worsened file alone is a regression (exit 1)" [ "$rc" = 1 ]
run validate d6/a-revised.yaml d6/b-copy.yaml --lang en
check "6 maal validate refuses the same id in two files too (exit 2)" \
    bash -c "[ $rc = 2 ] && grep -q \"the partnership 'tingbjerg-husum-2021-2024' is also in d6/a-revised.yaml\" '$tmp/err'"

# ---------------------------------------------------------------------------------------------
# 7. goal ids are unique after include: no silent replacement of an included goal
# ---------------------------------------------------------------------------------------------
sed 's/^goals:$/goals:\n  - id: indbrud\n    group: kriminalitet\n    title: Kun moniteret\n    rule: monitor\n    params: {series: indbrud}\n/' \
    "$root/tests/plugins/tingbjerg-2021/partnership.yaml" >"$tmp/own7.yaml"
run check own7.yaml --year 2022 --lang en
check "7 an own goal with an included goal's id: exit 2 (was: the monitor replaced at_most_baseline)" \
    [ "$rc" = 2 ]
check "7 ... the message names both places" \
    grep -q "^own7.yaml:[0-9]*:[0-9]*: error: goal 'indbrud' already exists at .*plugins/sikker-by/goalsets/partnerskab-2021.yaml:[0-9]*:[0-9]* (from 'include')" "$tmp/err"
sed 's#^include: \[sikker-by/partnerskab-2021\]#include: [sikker-by/partnerskab-2021, sikker-by/partnerskab-2021]#' \
    "$root/tests/plugins/tingbjerg-2021/partnership.yaml" >"$tmp/twice7.yaml"
run check twice7.yaml --year 2022 --lang en
check "7 the same goal set included twice: exit 2" [ "$rc" = 2 ]

# ---------------------------------------------------------------------------------------------
# 8. the CI recipes trust nothing the checkout commits: previous result, reports/, the build
# ---------------------------------------------------------------------------------------------
gha=$root/examples/ci/.github/workflows/maal.yml
glc=$root/examples/ci/.gitlab-ci.yml
mkdir -p "$tmp/steps8"
python3 - "$gha" "$glc" "$tmp/steps8" <<'PY'
import re, sys, yaml
gha, glc, out = sys.argv[1:]
w = yaml.safe_load(open(gha))
for s in w["jobs"]["maal"]["steps"]:
    if "run" in s and "previous" in s.get("name", ""):
        open(out + "/fetch.sh", "w").write(re.sub(r"\$\{\{[^}]*\}\}", "EXPR", s["run"]))
    if "run" in s and "maal-ci.sh" in s["run"]:
        open(out + "/check.sh", "w").write(s["run"])
g = yaml.safe_load(open(glc))
open(out + "/gl.sh", "w").write("\n".join(g[".maal"]["script"]) + "\n")
PY
mkdir -p "$tmp/bin8" "$tmp/art8" "$tmp/runner8"
(cd "$tmp" && "$maal" check "$tb" --year 2022 --format json >"$tmp/art8/maal.json" 2>/dev/null)
cat >"$tmp/bin8/gh" <<'GH'
#!/usr/bin/env bash
# a stand-in for the GitHub CLI: run 41 of the default branch has the artifact
case "$1 $2" in
"api repos/"*) echo main ;;
"run list") echo 41 ;;
"run download") while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir=$2; shift; done
    mkdir -p "$dir" && cp "$GH_ARTIFACT"/* "$dir/" ;;
*) exit 2 ;;
esac
GH
cat >"$tmp/bin8/curl" <<'CURL'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
cp "$GH_ARTIFACT/maal.json" "$out"
CURL
chmod +x "$tmp/bin8/gh" "$tmp/bin8/curl"
# a pull request that worsens a figure and commits reports/previous.json/ as a folder
pr=$tmp/pr8
mkdir -p "$pr/data" "$pr/scripts" "$pr/reports/previous.json"
cp "$root/tests/e2e/data/tingbjerg-revised.yaml" "$pr/data/tingbjerg.yaml"
cp "$ci" "$pr/scripts/"
env8=(PATH="$tmp/bin8:$PATH" GH_ARTIFACT="$tmp/art8" GH_REPO=o/r GITHUB_RUN_ID=999
    RUNNER_TEMP="$tmp/runner8" GITHUB_ACTIONS=true GH_TOKEN=x MAAL="$maal" MAAL_FAIL_ON=regression
    GITHUB_STEP_SUMMARY="$tmp/summary8.md")
(cd "$pr" && env "${env8[@]}" bash -e "$tmp/steps8/fetch.sh" && env "${env8[@]}" bash -e "$tmp/steps8/check.sh") \
    >"$tmp/pr8.out" 2>&1
check "8 github: a committed reports/previous.json/ folder cannot drop --fail-on regression (exit 1, was 0)" \
    [ $? = 1 ]
check "8 ... the regression is found against the CI's own previous result" \
    grep -q "^maal-ci: comparing with $tmp/runner8/maal-previous.json" "$tmp/pr8.out"
rm -rf "$pr/reports" && mkdir -p "$pr/reports/previous.json"
(cd "$pr" && env "${env8[@]}" bash -e "$tmp/steps8/gl.sh") >"$tmp/gl8.out" 2>&1
check "8 gitlab: the same pull request exits 1 (a regression)" [ $? = 1 ]
# the script by hand: a previous result that is a folder is said, and so is its absence
mkdir -p "$pr/reports/previous.json"
(cd "$pr" && env MAAL="$maal" MAAL_FAIL_ON=regression MAAL_GITHUB=1 GITHUB_STEP_SUMMARY="$tmp/sum8b.md" \
    bash "$ci" >"$tmp/hand8.out" 2>&1)
check "8 script: a previous result that is not a regular file is said" \
    grep -q "warning: ignoring reports/previous.json, which is not a regular file" "$tmp/hand8.out"
check "8 script: the last line says the run was not compared" \
    grep -q "maal exited .*; not compared: no previous result (reports/previous.json)$" "$tmp/hand8.out"
check "8 script: so does the GitHub step summary" grep -q "no previous result" "$tmp/sum8b.md"
# a committed .maal/ (REF and a 'binary') is never reused as the build
rb=$tmp/rb8
mkdir -p "$rb/data" "$rb/.maal/src/build"
cp "$amager" "$rb/data/a.yaml"
ref=0123456789abcdef0123456789abcdef01234567
printf '%s\n' "$ref" >"$rb/.maal/REF"
printf '#!/bin/sh\ntouch "%s/planted-ran"\necho "maal 0.1.0"\n' "$tmp" >"$rb/.maal/src/build/maal"
chmod +x "$rb/.maal/src/build/maal"
(cd "$rb/.maal/src" && git init -q && git -c user.email=x@y -c user.name=x commit -q --allow-empty -m x)
(cd "$rb" && git init -q && git add -f .maal data 2>/dev/null &&
    git -c user.email=x@y -c user.name=x commit -q -m pr)
(cd "$rb" && env -u MAAL MAAL_GIT_URL="file://$tmp/nonexistent" MAAL_REF="$ref" bash "$ci") \
    >"$tmp/rb8.out" 2>&1
check "8 a committed .maal/ build is not run (it rebuilds, here failing: exit 2)" \
    bash -c "[ $? = 2 ] && [ ! -e '$tmp/planted-ran' ]"
check "8 ... and says why" grep -q "is committed to the data repository: never reused as a build" "$tmp/rb8.out"
check "8 recipes: actions are pinned by commit" python3 -c '
import re, sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
uses = [s["uses"] for s in w["jobs"]["maal"]["steps"] if "uses" in s]
sys.exit(not uses or not all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in uses))' "$gha"
check "8 recipes: MAAL_REF is a full commit id in both" \
    bash -c "grep -qE '^  MAAL_REF: [0-9a-f]{40} ' '$gha' && grep -qE '^  MAAL_REF: [0-9a-f]{40} ' '$glc'"

# ---------------------------------------------------------------------------------------------
# 9. --compare and maal diff read a previous result as untrusted input, indexed
# ---------------------------------------------------------------------------------------------
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
def doc(ps): return {"maal_version": "0.1.0", "format_version": 1, "partnerships": ps}
def res(g, v="pass"): return {"goal": g, "verdict": v, "actual": 1}
big = lambda pre: doc([{"id": "p%d" % k, "results": [res("%s%05d" % (pre, i)) for i in range(3200)]}
                       for k in range(10)])
json.dump(big("g"), open(d + "/big-a.json", "w"))
json.dump(big("h"), open(d + "/big-b.json", "w"))
json.dump(doc([{"id": "p", "results": [res("a"), res("a", "fail")]}]), open(d + "/dup.json", "w"))
json.dump(doc([{"id": "p\n::error::x", "results": [res("a")]}]), open(d + "/badid.json", "w"))
json.dump(doc([{"id": "p", "results": [res("a", "maybe")]}]), open(d + "/badverdict.json", "w"))
json.dump(doc([{"id": "p", "results": [res("a")]}]), open(d + "/ok.json", "w"))
open(d + "/dupkey.json", "w").write('{"format_version": 1, "format_version": 1, "partnerships": []}')
PY
start=$(date +%s%N)
run diff big-a.json big-b.json
ms=$((($(date +%s%N) - start) / 1000000))
check "9 maal diff of 32 000 goals whose ids all changed: indexed, ${ms} ms (was 16 s; limit 8 s)" \
    bash -c "[ $rc = 1 ] && [ $ms -lt 8000 ] && [ \$(grep -c '^+ ' '$tmp/out') = 32000 ] && [ \$(grep -c '^- ' '$tmp/out') = 32000 ]"
run diff --lang en dup.json ok.json
check "9 a previous result with a goal twice is refused (exit 2)" \
    bash -c "[ $rc = 2 ] && grep -q \"has the goal 'p/a' twice\" '$tmp/err'"
run diff --lang en badid.json ok.json
check "9 a previous result with an id that is not an id (a line break, ::error::) is refused" \
    bash -c "[ $rc = 2 ] && ! grep -q '^::error' '$tmp/out' '$tmp/err'"
run diff --lang en badverdict.json ok.json
check "9 ... and one with an unknown verdict" [ "$rc" = 2 ]
run diff --lang en dupkey.json ok.json
check "9 ... and one with a key twice" [ "$rc" = 2 ]
run check "$tb" --compare dup.json
check "9 --compare refuses it too (exit 2)" [ "$rc" = 2 ]
# where a diff line's number came from is the previous result's word too (a source's file
# and what): a hostile one must not start a workflow command, nor place an annotation with
# properties of its own (file=x,line=1,title=...). tests/e2e/diff-hostile* hold the whole output.
cp "$root/tests/e2e/data/hostile-old.json" "$root/tests/e2e/data/hostile-new.json" "$tmp/"
for fmt in text github markdown; do
    run diff hostile-old.json hostile-new.json --format "$fmt"
    cp "$tmp/out" "$tmp/hostile.$fmt"
    check "9 maal diff --format $fmt of a hostile previous result: exit 1, nothing said on stderr" \
        bash -c "[ $rc = 1 ] && [ ! -s '$tmp/err' ]"
done
check "9 ... text and markdown: no line starts a workflow command, no control or bidi character" \
    python3 -c '
import re, sys
for f in sys.argv[1:]:
    t = open(f, encoding="utf-8").read()
    bad = [l for l in t.split("\n") if re.match(r"\s*(::|##\[)", l)]
    if bad or re.search("[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", t):
        sys.exit(print(f, bad) or 1)' "$tmp/hostile.text" "$tmp/hostile.markdown"
check "9 ... github: one command per change and the summary, each maal's own, file= escaped" \
    python3 -c '
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
own = re.compile(r"::(error|notice) (file=[^,:\r\n]*,(line=\d+,col=\d+,)?)?title=maal diff::[^\r]*")
ok = len(lines) == 7 and all(own.fullmatch(l) for l in lines)
ok = ok and lines[0].startswith("::error file=x.csv%2Cline=1%2Ccol=1%2Ctitle=pwned%3A%3Aowned%0A%3A%3Aerror file=evil.yaml%3A%3Ainjected %250A,line=7,col=3,title=maal diff::")
ok = ok and not re.search("[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", "\n".join(lines))
sys.exit(0 if ok else print("\n".join(lines)) or 1)' "$tmp/hostile.github"
run diff hostile-old.json hostile-new.json --format json
check "9 ... json: a malformed source (line as text, past INT_MAX, a 5000-byte path) gives no location" \
    python3 -c '
import json, sys
c = {x.get("goal", x.get("id")): x for x in json.load(open(sys.argv[1]))["changes"]}
ok = all("source" not in c[g] for g in ("b", "c", "d")) and c["e"]["source"] == {"file": "ok.csv", "line": 2, "col": 2}
ok = ok and "unit" not in c["a"] and c["a"]["source"]["line"] == 7
sys.exit(0 if ok else print(c) or 1)' "$tmp/out"

# ---------------------------------------------------------------------------------------------
# 10. numbers are shown in full or in exponent form, never cut
# ---------------------------------------------------------------------------------------------
sed 's/area: {2020: 23, 2021: 27}/area: {2020: 23, 2021: 2e48}/' "$tb" >"$tmp/big10.yaml"
run check big10.yaml --goal indbrud --year 2021
check "10 2e48 is shown as 2e+48 (was cut to 2.000…303.6, about 2e46)" \
    grep -q "Indbrud: 2e+48 i 2021 mod 23 i 2020 (+2e+48)" "$tmp/out"
sed 's/area: {2020: 23, 2021: 27}/area: {2020: 23, 2021: 123456789012345}/' "$tb" >"$tmp/n10.yaml"
run check n10.yaml --goal indbrud --year 2021
check "10 below 10^15 a number is written out in full" grep -q "Indbrud: 123.456.789.012.345 i 2021" "$tmp/out"
sed 's/area: {2020: 23, 2021: 27}/area: {2020: 23, 2021: 2.5e20}/' "$tb" >"$tmp/e10.yaml"
run check e10.yaml --goal indbrud --year 2021 --format html
check "10 ... the exponent form has a decimal comma in Danish (HTML too)" grep -q "2,5e+20" "$tmp/out"

# ---------------------------------------------------------------------------------------------
# 11. dates: compared as numbers, limited to 1900-9999
# ---------------------------------------------------------------------------------------------
waivers=$root/tests/e2e/data/tingbjerg-waivers.yaml
SOURCE_DATE_EPOCH=253402300800 run check "$waivers" --year 2022 --goal indbrud --format json
check "11 SOURCE_DATE_EPOCH in the year 10000 is refused (exit 2; was: the expired waiver applied)" \
    [ "$rc" = 2 ]
SOURCE_DATE_EPOCH=99999999999999999 run check "$waivers" --year 2022 --goal indbrud --lang en
check "11 SOURCE_DATE_EPOCH beyond gmtime's range is refused with a message" \
    bash -c "[ $rc = 2 ] && grep -q 'is not a day in the years 1900-9999' '$tmp/err'"
SOURCE_DATE_EPOCH=99999999999999999 run check "$waivers" --year 2022 --goal indbrud --today 2024-01-01 --format json
check "11 ... unless --today gives the date: the waiver (until 2023-06-30) has expired" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["partnerships"][0]["results"][0]; sys.exit(r["verdict"] != "fail" or not r["waiver"]["expired"])' "$tmp/out"
SOURCE_DATE_EPOCH=253402300799 run check "$waivers" --year 2022 --goal indbrud --format json
check "11 9999-12-31 is a day: the waiver has expired" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["partnerships"][0]["results"][0]; sys.exit(r["verdict"] != "fail")' "$tmp/out"
for d in 1899-12-31 2022-13-01 2022-00-10; do
    run check "$waivers" --today "$d"
    check "11 --today $d is refused (exit 2)" [ "$rc" = 2 ]
done
# a date the library's check refuses is refused by the option's own check too, with its
# message (' 1999-1-01' passed the command line's copy of the check, then the engine refused
# it and maal stopped with exit 2 and no word)
run check "$waivers" --today ' 1999-1-01' --lang en
check "11 --today ' 1999-1-01' is refused with the option's message" \
    bash -c "[ $rc = 2 ] && grep -q 'today must be a date YYYY-MM-DD' '$tmp/err'"

# ---------------------------------------------------------------------------------------------
# 12. plugin folders are read whole; NUL is refused in any text
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/many"
for i in $(seq -w 1 300); do
    mkdir "$tmp/many/p$i"
    printf 'name: p%s\nversion: 1.0.0\nmaal_api: 1\n' "$i" >"$tmp/many/p$i/plugin.yaml"
done
run plugins --plugins many
check "12 all 300 plugins of a folder are found (only the first 256 entries were read)" \
    [ "$(grep -c '^p[0-9]* 1.0.0' "$tmp/out")" = 300 ]
printf 'maal: 1\npartnership:\n  id: "indbrud\\0hidden"\n' >"$tmp/nul.yaml"
run validate nul.yaml --lang en
check "12 a YAML \"\\\\0\" escape is refused, located (was: the id cut to 'indbrud')" \
    bash -c "[ $rc = 2 ] && grep -q '^nul.yaml:3:7: error: the text holds a NUL character' '$tmp/err'"
sed 's/^    title: Anmeldelser for indbrud fastholdes mindst på 2020-niveau$/    title: "Anmeldelser\\0 skjult"/' "$tb" >"$tmp/nul2.yaml"
run check nul2.yaml --lang en
check "12 ... in a title too" bash -c "[ $rc = 2 ] && grep -q 'NUL character' '$tmp/err'"

# ---------------------------------------------------------------------------------------------
# a rule in a data folder's rules/ that is a link: inside the folder it is the rule, out of it
# it is not (the standard rule of that name is used); the lookup is one lstat per rule and
# folder since issue 19, the link case still resolved in full
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/rl/rules"
cp "$tb" "$tmp/rl/partnership.yaml"
printf 'return { evaluate = function() return maal.info({ message = "OUTSIDE" }) end }\n' >"$tmp/outside-rule.lua"
printf 'return { evaluate = function() return maal.info({ message = "INSIDE" }) end }\n' >"$tmp/rl/rules/real.lua"
ln -s "$tmp/outside-rule.lua" "$tmp/rl/rules/monitor.lua"
ln -s real.lua "$tmp/rl/rules/budget_balance.lua"
run check rl/partnership.yaml --format json
check "a rule linked out of the data folder's rules/ is not used" bash -c "! grep -q OUTSIDE '$tmp/out'"
check "a rule linked within the folder's rules/ is used (2 goals)" bash -c "[ \$(grep -c '\"INSIDE\"' '$tmp/out') = 2 ]"

# ---------------------------------------------------------------------------------------------
# 13. a file that input names or a search finds is a regular file: a FIFO, or a link to one,
# is refused at once, never waited on (before, a table or a folder's partnership.yaml that was
# a FIFO hung the run until killed: a data folder could stop CI). Every run under timeout 20:
# exit 124 is the old hang. A path the user names may still be a pipe ('<(...)').
# ---------------------------------------------------------------------------------------------
# trun ARGS...: run, but killed after 20 s (exit 124) instead of hanging the suite
trun() {
    (cd "$tmp" && timeout 20 "$maal" "$@" </dev/null) >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
tbdir=$root/examples/tingbjerg-husum-2021-2024
mkdir -p "$tmp/ff1" "$tmp/ff2" "$tmp/ff3/rules" "$tmp/ff4/rules" "$tmp/ffp/evil" "$tmp/ffg"
cp "$tbdir/partnership.yaml" "$tbdir/tryghed.csv" "$tmp/ff1/"
mkfifo "$tmp/ff1/anmeldelser.csv"
trun check ff1 --lang en
check "13 a table that is a FIFO: refused at once (exit 2, not a hang)" [ "$rc" = 2 ]
check "13 ... at the binding's 'file:', saying it is a FIFO" \
    grep -q "^ff1/partnership.yaml:[0-9]*:[0-9]*: error: cannot read 'ff1/anmeldelser.csv': is a FIFO (named pipe), not a regular file; expected a file" "$tmp/err"
cp "$tbdir/partnership.yaml" "$tbdir/tryghed.csv" "$tmp/ff2/"
mkfifo "$tmp/ff2/fifo"
ln -s fifo "$tmp/ff2/anmeldelser.csv"
trun check ff2
check "13 a table linked to a FIFO within its folder: refused at once (exit 2)" [ "$rc" = 2 ]
check "13 ... in Danish" grep -q "kan ikke læse 'ff2/anmeldelser.csv': er en FIFO (navngivet rør), ikke en almindelig fil" "$tmp/err"
mkfifo "$tmp/ffg/partnership.yaml"
trun check ffg --lang en
check "13 a folder whose partnership.yaml is a FIFO: refused at once (exit 2)" [ "$rc" = 2 ]
check "13 ... naming the file" grep -q "^ffg/partnership.yaml: error: cannot read 'ffg/partnership.yaml': is a FIFO" "$tmp/err"
trun validate ffg/partnership.yaml --lang en
check "13 ... also when the partnership.yaml is named itself (validate, exit 2)" [ "$rc" = 2 ]
# a rule and a module in the data folder's rules/: a FIFO is no rule, never read
cp "$tb" "$tmp/ff3/partnership.yaml"
mkfifo "$tmp/ff3/rules/monitor.lua"
trun check ff3 --format json
check "13 a FIFO in rules/ is not taken for a rule: the standard one runs (exit 1, not a hang)" [ "$rc" = 1 ]
check "13 ... and its goals have verdicts" grep -q '"rule": "monitor"' "$tmp/out"
cp "$tb" "$tmp/ff4/partnership.yaml"
mkfifo "$tmp/ff4/rules/helper.lua"
printf 'local h = require("helper")\nreturn { evaluate = function() return maal.info({ message = "x" }) end }\n' >"$tmp/ff4/rules/monitor.lua"
trun check ff4 --lang en --format json
check "13 a module that is a FIFO: the rule that requires it has an error verdict (exit 3)" [ "$rc" = 3 ]
check "13 ... an error verdict naming the module" grep -q "require: no module 'helper'" "$tmp/out"
# a plugin found by searching: a FIFO manifest or goal set
mkfifo "$tmp/ffp/evil/plugin.yaml"
trun plugins --plugins ffp --lang en
check "13 a searched plugin whose plugin.yaml is a FIFO: listed as not a plugin, not waited on" [ "$rc" != 124 ]
mkdir -p "$tmp/ffq/p/goalsets"
printf 'name: p\nversion: 1.0.0\nmaal_api: 1\n' >"$tmp/ffq/p/plugin.yaml"
mkfifo "$tmp/ffq/p/goalsets/set.yaml"
trun check inc.yaml --lang en --plugins ffq
check "13 an included goal set that is a FIFO: refused at once (exit 2)" [ "$rc" = 2 ]
# what the user names: a pipe is read, a FIFO nobody writes to reads as empty
(cd "$tmp" && timeout 20 "$maal" check --format json <(cat "$tb") >"$tmp/out" 2>"$tmp/err")
rc=$?
check "13 a data file the user names as a pipe ('<(...)') is read (exit 1)" [ "$rc" = 1 ]
cp "$tmp/out" "$tmp/prev13.json"
(cd "$tmp" && timeout 20 "$maal" check --format json --compare <(cat "$tmp/prev13.json") "$tb" >"$tmp/out" 2>"$tmp/err")
rc=$?
check "13 --compare of a pipe ('<(git show ...)') is read: no goal changed (exit 1)" \
    bash -c "[ $rc = 1 ] && grep -q '\"unchanged\": [1-9]' '$tmp/out'"
mkfifo "$tmp/prev.fifo"
trun check --compare prev.fifo --lang en "$tb"
check "13 --compare of a FIFO (not named as a stream): refused, exit 2, not a hang" [ "$rc" = 2 ]
(cd "$tmp" && timeout 20 "$maal" check --format json /dev/stdin <"$tb" >"$tmp/out" 2>"$tmp/err")
rc=$?
check "13 a data file named /dev/stdin is read (exit 1)" [ "$rc" = 1 ]
# a data file that is a link to maal's own standard output, a pipe: it waited on itself
mkdir -p "$tmp/ff5"
ln -s /proc/self/fd/1 "$tmp/ff5/x.yaml"
(
    cd "$tmp" && timeout 20 "$maal" check --lang en ff5/x.yaml </dev/null 2>"$tmp/err" | cat >"$tmp/out"
    exit "${PIPESTATUS[0]}"
)
rc=$?
check "13 a data file linked to /proc/self/fd/1 (a pipe): refused at once (exit 2, not a hang)" [ "$rc" = 2 ]
check "13 ... saying it is a FIFO" grep -q "^ff5/x.yaml: error: cannot read 'ff5/x.yaml': is a FIFO (named pipe), not a regular file" "$tmp/err"

# the CI recipe's data files are the checkout's own regular files: a committed link out of it
# (to a credentials file: maal's error quoted the token in the public log) or to a pipe (the
# log itself, /proc/self/fd/1: the job waited until its time-out) is refused, exit 2
for kind in secret pipe; do
    repo=$tmp/repo13$kind
    mkdir -p "$repo/data"
    cp "$tb" "$repo/data/a.yaml"
    if [ "$kind" = secret ]; then
        printf 'https://user:%s@github.com\n' "$secret" >"$tmp/cred13"
        ln -s "$tmp/cred13" "$repo/data/b.yaml"
    else
        ln -s /proc/self/fd/1 "$repo/data/b.yaml"
    fi
    # standard output a pipe, as in CI (the link to /proc/self/fd/1 then leads to a pipe)
    (
        cd "$repo" && timeout 60 env MAAL="$maal" MAAL_GITHUB=0 bash "$ci" </dev/null 2>&1 | cat >"$repo.out"
        exit "${PIPESTATUS[0]}"
    )
    rc=$?
    check "13 ci: a data file linked to a $kind: refused (exit 2, not 0, 1 or a hang)" [ "$rc" = 2 ]
    check "13 ci: ... saying which file" grep -Eq "^maal-ci: error: data/b.yaml (leads out of the repository|is not a regular file or a folder)" "$repo.out"
    check "13 ci: ... and printing no secret" bash -c "! grep -q '$secret' '$repo.out'"
done
repo=$tmp/repo13in
mkdir -p "$repo/data" "$repo/shared"
cp "$tb" "$repo/shared/t.yaml"
ln -s ../shared/t.yaml "$repo/data/a.yaml"
(cd "$repo" && timeout 60 env MAAL="$maal" MAAL_GITHUB=0 bash "$ci" </dev/null) >"$repo.out" 2>&1
check "13 ci: a data file linked within the checkout is checked (exit 1: its goals fail)" [ $? = 1 ]

summary trust
