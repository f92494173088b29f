#!/usr/bin/env bash
# 'make check-slow': the long runs that 'make check' (and so CI) leaves out, ending like it with
# "N passed, N failed, N skipped":
#  - the allocation-fault sweep at every allocation (make check: every 8th and the first at
#    each call site): FAULTS_EVERY=1 $B/tests/test_faults;
#  - libFuzzer: each fuzz target fuzzed for FUZZ_SMOKE_SECONDS (default 10) from the committed
#    seeds with a fixed seed (make check replays the corpus only): tests/fuzz/run.sh --search;
#  - races: maal and the public API's thread promises under ThreadSanitizer (a build in
#    build-tsan), and every kind of run byte for byte the same with --jobs 1, 2 and 4:
#    tests/races/tsan.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
: "${MAAL:=build/maal}" "${B:=build}"
export MAAL B
pass=0 fail=0 skipped=0
TIMEFORMAT='%R s, CPU %U s user + %S s system'

echo "---- fault sweep: every allocation"
{ time FAULTS_EVERY=1 "$B/tests/test_faults" >"$B/check-slow-faults.log" 2>&1; } 2>"$B/check-slow.time"
rc=$?
grep -vE '^\[ RUN|^\[       OK|^\[==========\]' "$B/check-slow-faults.log" | head -40
if [ "$rc" -eq 0 ] && grep -q '^\[  PASSED  \] 1 test' "$B/check-slow-faults.log"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
fi
echo "test_faults (FAULTS_EVERY=1): exit $rc ($(cat "$B/check-slow.time"))"

# script_suite TITLE LOG SCRIPT ARGS...: runs a script suite, shows what did not pass, and adds
# the counts of its last line ("NAME: N passed, N failed, N skipped")
script_suite() {
    local title=$1 log=$2 last re='.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$'
    shift 2
    echo "---- $title"
    { time bash "$@" >"$log" 2>&1; } 2>"$B/check-slow.time"
    grep -v '^ok ' "$log"
    last=$(tail -1 "$log")
    if [[ $last =~ $re ]]; then
        pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
        skipped=$((skipped + BASH_REMATCH[3]))
    else
        echo "$*: did not finish (no summary line)"
        fail=$((fail + 1))
    fi
    echo "  ($(cat "$B/check-slow.time"))"
}
script_suite fuzzing "$B/check-slow-fuzz.log" tests/fuzz/run.sh --search
script_suite races "$B/check-slow-races.log" tests/races/tsan.sh
rm -f "$B/check-slow.time"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
