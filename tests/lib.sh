# lib.sh: what the script suites share: counting, and showing a diff when a case fails.
# shellcheck shell=bash
npass=0
nfail=0
ok() { npass=$((npass + 1)); echo "ok $*"; }
not_ok() { nfail=$((nfail + 1)); echo "FAIL $*"; }
# same NAME EXPECTED_FILE ACTUAL_FILE: compare and show a diff on failure
same() {
    if diff -u "$2" "$3" >/dev/null 2>&1; then ok "$1"; else not_ok "$1"; diff -u "$2" "$3" | head -40; fi
}
summary() { echo "$1: $npass passed, $nfail failed"; [ "$nfail" -eq 0 ]; }
