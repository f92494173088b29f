#!/usr/bin/env bash
# Fuzz smoke: builds the libFuzzer targets of mk/fuzz.mk (clang, ASan + UBSan) into $B/fuzz,
# replays every input in tests/fuzz/regressions/<target>/ (inputs that once crashed a target or
# broke its oracle: each must now run clean), then fuzzes each target for FUZZ_SMOKE_SECONDS
# (default 10) from the committed seeds with a fixed seed ('make fuzz-smoke'). clang's fuzzer
# runtime is installed when missing; only when that is impossible does the suite pass with a
# note. Long runs: make B=build-fuzz fuzz FUZZ_SECONDS=600.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
: "${MAAL:=build/maal}" "${B:=build}" "${FUZZ_SMOKE_SECONDS:=10}"
export B
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a make of our own, not a sub-make of 'make check' (no jobserver to inherit)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory B="$B" "$@"; }

if ! timeout 900 bash -c "$(declare -f mk); mk fuzz-deps" >"$tmp/deps" 2>&1; then
    ok "skipped: no libFuzzer runtime for clang, and it could not be installed:" \
        "$(tail -1 "$tmp/deps")"
    summary fuzz
    exit
fi
if timeout 600 bash -c "$(declare -f mk); mk fuzz-build" >"$tmp/build" 2>&1; then
    ok "build $B/fuzz/fuzz_load $B/fuzz/fuzz_result $B/fuzz/fuzz_table"
else
    not_ok "build of the fuzz targets"
    tail -20 "$tmp/build"
    summary fuzz
    exit
fi

for dir in tests/fuzz/regressions/*/; do
    t=$(basename "$dir")
    for f in "$dir"*; do
        [ -f "$f" ] || continue
        if timeout 60 "$B/fuzz/fuzz_$t" -timeout=10 "$f" >"$tmp/replay" 2>&1; then
            ok "$t regression $(basename "$f")"
        else
            not_ok "$t regression $(basename "$f") (replay: $B/fuzz/fuzz_$t $f)"
            grep -m6 -E 'ERROR|SUMMARY|runtime error|fuzz_result:|#[0-9]+ 0x.* in [a-z_]+ /' \
                "$tmp/replay"
        fi
    done
done

for t in load result table; do
    if timeout $((FUZZ_SMOKE_SECONDS * 3 + 60)) bash -c "$(declare -f mk); mk fuzz-smoke \
        FUZZ_TARGETS=$t FUZZ_SMOKE_SECONDS=$FUZZ_SMOKE_SECONDS" >"$tmp/smoke" 2>&1; then
        ok "$(tail -1 "$tmp/smoke")"
    else
        not_ok "fuzz-smoke $t"
        cat "$tmp/smoke"
    fi
done
summary fuzz
