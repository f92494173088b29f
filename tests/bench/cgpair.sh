#!/bin/bash
# cgpair.sh: the instructions 'maal check --format json --jobs 1' takes on the tables corpus
# and on the same corpus in YAML (tablify.py's OUT/tables and OUT/yaml), counted by callgrind
# with Lua's hash seed fixed (fixclock.c), RUNS runs of each, in turn; prints each run's
# totals and the median of tables - YAML (docs/performance.md, "Tables").
#
# usage: tests/bench/cgpair.sh MAAL CORPUS [RUNS]
#   MAAL    the binary (build/maal); MAAL_RULES_DIR as for make bench (its rules/ copy)
#   CORPUS  tablify.py's --out folder, e.g. build/bench/corpus-f500-a4-y4-g12-s8-tables
#   RUNS    runs of each (3)
# Run from the folder the corpus's files.txt paths are relative to (the worktree that made
# it). The callgrind files stay in ${CGPAIR_OUT:-/tmp/cgpair} for callgrind_annotate.
set -eu
maal=$(realpath "$1")
corpus=$2
runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
out=${CGPAIR_OUT:-/tmp/cgpair}
mkdir -p "$out"
cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$out/fixclock.so" "$here/fixclock.c"
tot() { # the child's total (check runs in a forked child): the larger of the two files
    grep -h '^summary:' "$out/cg.$1".* | awk '{print $2}' | sort -n | tail -1
}
declare -a diffs=()
for r in $(seq 1 "$runs"); do
    for c in yaml tables; do
        rm -f "$out/cg.$c$r".*
        # shellcheck disable=SC2046 # one argument per file
        LD_PRELOAD=$out/fixclock.so valgrind --tool=callgrind --trace-children=yes \
            --callgrind-out-file="$out/cg.$c$r.%p" "$maal" check --format json --jobs 1 \
            $(cat "$corpus/$c/files.txt") >"$out/out.$c$r.json" 2>"$out/err.$c$r" || [ $? = 1 ]
    done
    y=$(tot "yaml$r") t=$(tot "tables$r")
    diffs+=($((t - y)))
    printf 'run %d: yaml %d, tables %d, tables - yaml %+d (%+.2f %%)\n' "$r" "$y" "$t" \
        $((t - y)) "$(echo "100 * ($t - $y) / $y" | bc -l)"
done
med=$(printf '%s\n' "${diffs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
printf 'median of %d: tables - yaml %+d instructions\n' "$runs" "$med"
