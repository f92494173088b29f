#!/usr/bin/env bash
# End-to-end: each CASE.cmd holds maal's arguments (run from the repo root); CASE.out is the
# expected standard output, CASE.rc the exit code, CASE.err (optional) the standard error.
# The expected files were written and checked by hand against the seed documents.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
for cmd in tests/e2e/*.cmd; do
    name=$(basename "$cmd" .cmd)
    dir=tests/e2e
    # shellcheck disable=SC2046
    eval "\"$MAAL\" $(cat "$cmd")" >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
    if [ -f "$dir/$name.rc" ]; then same "$name (exit code)" "$dir/$name.rc" "$tmp/rc"; fi
    if [ -f "$dir/$name.out" ]; then same "$name (stdout)" "$dir/$name.out" "$tmp/out"; fi
    if [ -f "$dir/$name.err" ]; then same "$name (stderr)" "$dir/$name.err" "$tmp/err"; fi
done
summary e2e
