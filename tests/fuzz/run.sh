#!/usr/bin/env bash
# Fuzz targets (tests/fuzz/fuzz_*.c; mk/fuzz.mk).
#   bash tests/fuzz/run.sh          what 'make check' runs: every input of the committed corpus
#                                   (tests/fuzz/corpus/<target>/) and every input that once
#                                   crashed a target or broke its oracle (tests/fuzz/regressions/
#                                   <target>/) replayed once through the target, without
#                                   libFuzzer: $B/tests/replay_<target>, built by gcc with
#                                   ASan + UBSan (tests/fuzz/replay.c). Fast and deterministic.
#   bash tests/fuzz/run.sh --search what 'make check-slow' runs: builds the libFuzzer targets
#                                   (clang; its fuzzer runtime is installed when missing, and
#                                   the cases are skipped only when that is impossible) and
#                                   fuzzes each for FUZZ_SMOKE_SECONDS (default 10) from the
#                                   seeds with a fixed seed ('make fuzz-smoke').
# Long runs: make B=build-fuzz fuzz FUZZ_SECONDS=600.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
: "${B:=build}" "${FUZZ_SMOKE_SECONDS:=10}"
export B
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a make of our own, not a sub-make of 'make check' (no jobserver to inherit)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory B="$B" "$@"; }
targets=()
for f in tests/fuzz/fuzz_*.c; do
    t=${f#tests/fuzz/fuzz_}
    targets+=("${t%.c}")
done

if [ "${1:-}" != --search ]; then
    for t in "${targets[@]}"; do
        bin=$B/tests/replay_$t
        if ! mk "$bin" >"$tmp/build" 2>&1; then
            not_ok "build $bin"
            tail -20 "$tmp/build"
            continue
        fi
        # replay DESCRIPTION FILE|DIR...: the inputs in one process; a crash names its input
        replay() {
            local what=$1
            shift
            if timeout 300 "$bin" "$@" >"$tmp/replay" 2>&1; then
                ok "$t $what: $(tail -1 "$tmp/replay")"
            else
                not_ok "$t $what: the last input: $(grep '^input ' "$tmp/replay" | tail -1)"
                grep -m8 -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]+:|#[0-9]+ 0x.* in [a-z_]+ /' \
                    "$tmp/replay"
            fi
        }
        for f in tests/fuzz/regressions/"$t"/*; do
            [ -f "$f" ] && replay "regression $(basename "$f")" "$f"
        done
        if [ -d "tests/fuzz/corpus/$t" ]; then
            replay corpus "tests/fuzz/corpus/$t"
        else
            not_ok "$t: no corpus at tests/fuzz/corpus/$t"
        fi
    done
    summary fuzz
    exit
fi

# ---- --search: libFuzzer, a short fixed-seed run per target ------------------------------------
if ! timeout 900 bash -c "$(declare -f mk); mk fuzz-deps" >"$tmp/deps" 2>&1; then
    for t in "${targets[@]}"; do
        skip "fuzz-smoke $t: no libFuzzer runtime for clang, and it could not be installed:" \
            "$(tail -1 "$tmp/deps")"
    done
    summary fuzz
    exit
fi
if timeout 900 bash -c "$(declare -f mk); mk fuzz-build" >"$tmp/build" 2>&1; then
    ok "build $B/fuzz/fuzz_*"
else
    not_ok "build of the fuzz targets"
    tail -20 "$tmp/build"
    summary fuzz
    exit
fi
for t in "${targets[@]}"; do
    if timeout $((FUZZ_SMOKE_SECONDS * 3 + 60)) bash -c "$(declare -f mk); mk fuzz-smoke \
        FUZZ_TARGETS=$t FUZZ_SMOKE_SECONDS=$FUZZ_SMOKE_SECONDS" >"$tmp/smoke" 2>&1; then
        ok "$(tail -1 "$tmp/smoke")"
    else
        not_ok "fuzz-smoke $t"
        cat "$tmp/smoke"
    fi
done
summary fuzz
