#!/usr/bin/env bash
# Runs every test suite of 'make check' and ends with one line for all: N passed, N failed.
# Arguments: the cmocka unit-test binaries. $MAAL is the maal binary to test (ASan build).
set -u
cd "$(dirname "$0")/.."
: "${MAAL:=build/maal}" "${B:=build}"
export MAAL B
pass=0
fail=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); }

for t in "$@"; do
    t0=$(date +%s)
    out=$("$t" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}
    f=${f:-0}
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1 # a crash before the summary is a failure
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED  \]|^\[==========\] tests' || true
    echo "unit $(basename "$t"): $p passed, $f failed ($(($(date +%s) - t0)) s)"
    add "$p" "$f"
done

# Script suites print "SUITE: N passed, N failed" as their last line.
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    t0=$(date +%s)
    out=$(bash "$s" 2>&1)
    printf '%s\n' "$out" | grep -vE '^ok ' || true
    last=$(printf '%s\n' "$out" | tail -1)
    p=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        echo "$s: did not finish (no summary line)"
        p=0
        f=1
    fi
    echo "  ($s: $(($(date +%s) - t0)) s)"
    add "$p" "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
