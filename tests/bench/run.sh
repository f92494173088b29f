#!/usr/bin/env bash
# The benchmark (docs/performance.md).
#   bash tests/bench/run.sh [--smoke]   the smoke run, what 'make check' runs: a corpus of 20
#                                       files, every program once; fast
#   bash tests/bench/run.sh --full      the benchmark, what 'make bench' runs: 2000 files,
#                                       the median of 5 repetitions; writes $B/bench.json
# Further arguments go to tests/bench/bench.py: --files N, --reps N, --activities N,
# --years N, --goals N, --seed S. $MAAL is the maal binary (default $B/maal, built if
# missing), $B the build folder (default build).
# The last line is 'bench: N passed, N failed, N skipped'; the run fails only on a verdict mismatch
# between maal and the references or a program that did not run, never on a time.
set -u
cd "$(dirname "$0")/../.." || exit 2
mode=smoke
args=()
for a in "$@"; do
    case $a in
    --smoke) mode=smoke ;;
    --full) mode=full ;;
    *) args+=("$a") ;;
    esac
done
: "${B:=build}"
work=$B/bench
mkdir -p "$work"
log=$work/setup.log
: >"$log"

give_up() { echo "FAIL $1"; echo "bench: 0 passed, 1 failed"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() { # Debian packages, once per run at most
    echo "bench: installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$log" 2>&1
}

# maal
if [ -z "${MAAL:-}" ]; then
    MAAL=$B/maal
    if [ ! -x "$MAAL" ]; then
        make -s B="$B" "$B/maal" >>"$log" 2>&1 || { tail -20 "$log"; give_up "could not build $MAAL"; }
    fi
fi
[ -x "$MAAL" ] || give_up "no maal binary at $MAAL"

# Python with PyYAML's C loader (Debian: python3-yaml)
has_cyaml() { "$1" -c 'import yaml; yaml.CSafeLoader' >/dev/null 2>&1; }
PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && has_cyaml "$p"; then PY=$(command -v "$p"); break; fi
done
if [ -z "$PY" ]; then
    apt_install python3-yaml || true
    has_cyaml /usr/bin/python3 && PY=/usr/bin/python3
fi
[ -n "$PY" ] || give_up "no python3 with yaml.CSafeLoader (Debian package python3-yaml)"

# GNU time for the peak RSS (Debian: time); without it bench.py falls back to wait4
[ -x /usr/bin/time ] || apt_install time || echo "note: /usr/bin/time missing; RSS from wait4"

# the floor: libyaml events only
FLOOR=${FLOOR:-$work/floor}
if [ ! -x "$FLOOR" ] || [ tests/bench/floor.c -nt "$FLOOR" ]; then
    # shellcheck disable=SC2046
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror $(pkg-config --cflags yaml-0.1) \
        tests/bench/floor.c $(pkg-config --libs yaml-0.1) -o "$FLOOR" >>"$log" 2>&1 ||
        echo "note: could not build the floor (see $log)"
fi

# Node and the pinned packages (npm ci from package-lock.json)
NODE=""
node_note=""
if ! command -v node >/dev/null 2>&1; then
    node_note="node is not installed"
else
    need_ci=0
    for m in json-rules-engine js-yaml; do
        [ -f "tests/bench/node_modules/$m/package.json" ] || need_ci=1
    done
    if [ -f tests/bench/node_modules/.package-lock.json ] &&
        [ tests/bench/package-lock.json -nt tests/bench/node_modules/.package-lock.json ]; then
        need_ci=1
    fi
    if [ "$need_ci" = 1 ]; then
        if ! command -v npm >/dev/null 2>&1; then
            node_note="npm is not installed, and tests/bench/node_modules is missing"
        elif ! (cd tests/bench && timeout 120 npm ci --no-audit --no-fund --loglevel=error) >>"$log" 2>&1; then
            node_note="npm ci in tests/bench failed (see $log)"
        fi
    fi
    if [ -z "$node_note" ]; then NODE=$(command -v node); fi
fi

# The standard rules as they are now: an edit of rules/ during the run (a rule file
# rewritten in place) must not turn into an 'unknown rule' error half way through.
if [ -z "${MAAL_RULES_DIR:-}" ]; then
    case $work in /*) abs=$work ;; *) abs=$PWD/$work ;; esac
    rm -rf "$work/rules" && cp -R rules "$work/rules" && export MAAL_RULES_DIR=$abs/rules
fi

if [ "$mode" = full ]; then json=$B/bench.json; else json=$work/smoke.json; fi
exec "$PY" tests/bench/bench.py --mode "$mode" --maal "$MAAL" --floor "$FLOOR" --python "$PY" \
    --node "$NODE" --node-note "$node_note" --work "$work" --json "$json" ${args[@]+"${args[@]}"}
