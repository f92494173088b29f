# lib.sh: what the script suites share: counting, and showing a diff when a case fails.
# A case that could not run here (a tool missing that cannot be installed, no privileges) is
# counted as skipped, never as passed.
# shellcheck shell=bash
npass=0
nfail=0
nskip=0
ok() { npass=$((npass + 1)); echo "ok $*"; }
not_ok() { nfail=$((nfail + 1)); echo "FAIL $*"; }
skip() { nskip=$((nskip + 1)); echo "skip $*"; }
# same NAME EXPECTED_FILE ACTUAL_FILE: compare and show a diff on failure
same() {
    if diff -u "$2" "$3" >/dev/null 2>&1; then ok "$1"; else not_ok "$1"; diff -u "$2" "$3" | head -40; fi
}
# the suite's last line: "SUITE: N passed, N failed, N skipped" (tests/run-suites.sh reads it)
summary() { echo "$1: $npass passed, $nfail failed, $nskip skipped"; [ "$nfail" -eq 0 ]; }
