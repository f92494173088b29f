#!/usr/bin/env bash
# The runner of 'make check' (tests/run-suites.sh) on made-up suites in a temporary tree:
# skipped cases are counted as skipped, never as passed (a script's "SUITE: N passed, N failed,
# N skipped", cmocka's "[  SKIPPED ]"); a suite without a summary line and a unit binary that
# exits non-zero without a failed test have failed; the suites' lines come in a fixed order
# whatever order they finish in, several at a time; passed cases ("ok ...") are not shown; the
# closing line is "N passed, N failed, N skipped" and the exit code says whether any failed.
set -u
# the runner under test runs its own made-up suites: a CHECK_ONLY of the outer run is not for it
unset CHECK_ONLY
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tests" "$tmp/bin" "$tmp/build"
cp tests/run-suites.sh tests/lib.sh "$tmp/tests/"
suite() { # NAME BODY: tests/NAME/run.sh
    mkdir -p "$tmp/tests/$1"
    printf '#!/usr/bin/env bash\ncd "$(dirname "$0")/../.." || exit 2\n. tests/lib.sh\n%s\n' "$2" \
        >"$tmp/tests/$1/run.sh"
}
# finishes last, is printed first
suite alpha 'sleep 1; ok one; skip "two: cannot run here"; summary alpha'
# the old summary line, without skips
suite beta 'echo "ok a"; echo "ok b"; echo "beta: 2 passed, 0 failed"'
suite delta 'echo "started"; exit 3'
suite gamma 'not_ok "z: broken"; summary gamma'
unit() { # NAME BODY: a stand-in for a cmocka binary
    printf '#!/usr/bin/env bash\n%s\n' "$2" >"$tmp/bin/$1"
    chmod +x "$tmp/bin/$1"
}
unit test_one 'echo "[ RUN      ] t"; echo "[       OK ] t"; echo "[  PASSED  ] 3 test(s)."'
unit test_skip 'echo "[==========] 3 test(s) run."; echo "[  PASSED  ] 2 test(s)."
echo "[  SKIPPED ] 1 test(s), listed below:"; echo "[  SKIPPED ] t_skip"'
unit test_crash 'echo "[ RUN      ] t"; exit 1'

B=$tmp/build CHECK_JOBS=3 bash "$tmp/tests/run-suites.sh" "$tmp/bin/test_one" \
    "$tmp/bin/test_skip" "$tmp/bin/test_crash" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then ok "exit code $rc: a suite failed"; else not_ok "exit code 0 with failed suites"; fi
same "closing line" <(echo "8 passed, 3 failed, 2 skipped") <(tail -1 "$tmp/out")
grep -oE '^(test_[a-z]+|alpha|beta|gamma|delta): [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' \
    "$tmp/out" >"$tmp/lines"
same "each suite's count, in a fixed order" - "$tmp/lines" <<'WANT'
test_one: 3 passed, 0 failed
test_skip: 2 passed, 0 failed, 1 skipped
test_crash: 0 passed, 1 failed
alpha: 1 passed, 0 failed, 1 skipped
beta: 2 passed, 0 failed
delta: 0 passed, 1 failed
gamma: 0 passed, 1 failed
WANT
if grep -q '^skip two: cannot run here$' "$tmp/out"; then ok "a skipped case is shown"
else not_ok "a skipped case is shown"; fi
if grep -q 'delta/run.sh: did not finish (no summary line)' "$tmp/out" &&
    grep -q 'test_crash: exit code 1 without a failed test' "$tmp/out"; then
    ok "a suite without a summary and a crashed binary say so"
else not_ok "a suite without a summary and a crashed binary say so"; fi
if grep -qE '^ok |^\[ RUN|^\[       OK' "$tmp/out"; then not_ok "passed cases are not shown"
else ok "passed cases are not shown"; fi
if grep -q '^FAIL z: broken$' "$tmp/out" && grep -q '^started$' "$tmp/out"; then
    ok "a suite's other lines are shown"
else not_ok "a suite's other lines are shown"; fi
if [ -s "$tmp/build/check-times" ] && grep -q '^alpha [0-9.]*$' "$tmp/build/check-times"; then
    ok "the suites' times are kept for the next run"
else not_ok "the suites' times are kept for the next run"; fi
[ "$nfail" -eq 0 ] || { echo "the runner's output:"; sed 's/^/  | /' "$tmp/out"; }
summary runner
