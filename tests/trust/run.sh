#!/usr/bin/env bash
# Trust boundaries (issue 14, docs/security.md section 10): what a data file, a searched plugin
# folder, a previous result or the CI checkout says is input, never authority. Each case below
# would pass a hostile input on the code before the fix.
# shellcheck source=tests/lib.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}"
root=$PWD
maal=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
unset MAAL_LANG MAAL_PATH MAAL_PLUGIN_PATH SOURCE_DATE_EPOCH GITHUB_ACTIONS GITHUB_STEP_SUMMARY \
    MAAL_DATA MAAL_REPORTS MAAL_PREVIOUS MAAL_FAIL_ON MAAL_GITHUB MAAL_GIT_URL MAAL_REF MAAL_HOME
tb=$root/examples/tingbjerg-husum-2021-2024/partnership.yaml
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
printf 'jobs:\n  x:\n    steps:\n      - run: for f in $(ls *.yaml); do echo $f; done\n' \
    >"$tmp/badci/.github/workflows/x.yml"
check "1 shellcheck: a workflow step with an unquoted file list is caught" \
    bash -c "! bash tests/trust/shellcheck-ci.sh '$tmp/badci' >/dev/null 2>&1"

summary trust
