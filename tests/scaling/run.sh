#!/usr/bin/env bash
# Scaling: a data file alone must not make maal quadratic. For each dimension of the data
# (tests/scaling/gen.py: partner names, goals with activities and waivers, series, criteria,
# series bound to the rows of a CSV table)
# maal runs on a file of N and of 10 N items; the CPU time (user + system, of the process, not
# the wall clock: the machine may be busy) of the large run must stay under SCALING_MAX (20)
# times the small one's, where linear is 10 and quadratic 100. The small time counts as at
# least 0.05 s, so start-up noise cannot fail a case. Aliases: 1000 aliases over N anchors
# must cost at most twice the same file without them (a linear anchor lookup made them cost
# 1000 N). 'check' and 'validate' both; every run must succeed (exit 0) within 120 s.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}" "${SCALING_MAX:=20}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# cpu FILE CMD: runs '$MAAL CMD FILE'; sets secs to its CPU seconds (user + system), rc
cpu() {
    local TIMEFORMAT='%U %S' # 'time' reports the child's times; timeout's own are negligible
    { time timeout 120 "$MAAL" "$2" "$1" >/dev/null 2>"$tmp/err"; } 2>"$tmp/time"
    rc=$?
    secs=$(awk '{ printf "%.3f", $1 + $2 }' "$tmp/time")
}

# grows NAME KIND N CMD: the 10 N run's CPU time is under SCALING_MAX times the N run's
grows() {
    local name=$1 kind=$2 n=$3 cmd=$4 t1 t10 rc1
    python3 tests/scaling/gen.py "$kind" "$n" "$tmp" >"$tmp/small.yaml"
    python3 tests/scaling/gen.py "$kind" $((n * 10)) "$tmp" >"$tmp/large.yaml"
    cpu "$tmp/small.yaml" "$cmd"
    t1=$secs rc1=$rc
    cpu "$tmp/large.yaml" "$cmd"
    t10=$secs
    if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
        not_ok "$name: exit $rc1 and $rc, expected 0 ($(head -c 200 "$tmp/err"))"
    elif awk -v a="$t1" -v b="$t10" -v m="$SCALING_MAX" \
        'BEGIN { if (a < 0.05) a = 0.05; exit !(b <= m * a) }'; then
        ok "$name: $n -> $((n * 10)) items: ${t1} s -> ${t10} s CPU"
    else
        not_ok "$name: $n -> $((n * 10)) items: ${t1} s -> ${t10} s CPU (over ${SCALING_MAX}x)"
    fi
}

grows "partner names (check)" partners 3000 check
grows "goals, activities and waivers (check)" goals 1000 check
grows "goals, activities and waivers (validate)" goals 1000 validate
grows "series (check)" series 1000 check
grows "criteria (check)" criteria 1000 check
# each series from its own row of a table as long (a row, or a row per year): a row was found
# by reading the table from the top, so 30 000 bindings read 450 million rows (900 million)
grows "series from a table's rows (validate)" tables 3000 validate
grows "series from a table's rows by year (validate)" long 3000 validate

# aliases: 1000 of them over 100 000 anchors cost no more than twice the file without them
python3 tests/scaling/gen.py anchors 100000 >"$tmp/alias.yaml"
python3 tests/scaling/gen.py anchors -100000 >"$tmp/plain.yaml"
cpu "$tmp/plain.yaml" validate
t0=$secs rc0=$rc
cpu "$tmp/alias.yaml" validate
ta=$secs
if [ "$rc0" -ne 0 ] || [ "$rc" -ne 0 ]; then
    not_ok "aliases: exit $rc0 and $rc, expected 0 ($(head -c 200 "$tmp/err"))"
elif awk -v a="$t0" -v b="$ta" 'BEGIN { if (a < 0.05) a = 0.05; exit !(b <= 2 * a) }'; then
    ok "aliases: 1000 aliases over 100000 anchors: ${t0} s without, ${ta} s with them"
else
    not_ok "aliases: 1000 aliases over 100000 anchors: ${t0} s without, ${ta} s with them"
fi

summary SCALING
