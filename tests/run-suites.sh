#!/usr/bin/env bash
# Runs every test suite of 'make check' and ends with one line for all:
#   N passed, N failed, N skipped
# Arguments: the cmocka unit-test binaries; then every tests/*/run.sh is a suite (a new folder
# with a run.sh slots in by itself). $MAAL is the maal binary to test (ASan build).
#
# Suites run in parallel, $CHECK_JOBS at a time (default 2). Each suite's output is kept
# together and printed in a fixed order (the unit tests, then the folders in C order) as soon
# as that suite and every one before it has finished, whatever order they finish in. The
# suites that took under 5 s in the previous run start first (the first lines come at once),
# then the slowest (the times are kept in $B/check-times), so a long suite does not start
# last. After the suites, a table of each one's wall and CPU time.
#
# A script suite's last line is "SUITE: N passed, N failed" or "SUITE: N passed, N failed,
# N skipped" (tests/lib.sh's summary); a suite that ends without it has failed. A unit-test
# binary is read from cmocka's "[  PASSED  ]", "[  FAILED  ]" and "[  SKIPPED ]" lines; one
# that exits non-zero without a failed test (a crash, a sanitizer report) has failed.
# CHECK_ONLY=REGEX runs only the suites whose name (test_eval, hostile, ...) matches.
set -u
cd "$(dirname "$0")/.." || exit 2
: "${MAAL:=build/maal}" "${B:=build}" "${CHECK_JOBS:=2}"
export MAAL B
case $CHECK_JOBS in '' | *[!0-9]* | 0) CHECK_JOBS=2 ;; esac
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# ---- the suites: name and command -------------------------------------------------------------
names=()
cmds=()
for t in "$@"; do
    names+=("$(basename "$t")")
    cmds+=("unit $t")
done
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    names+=("$(basename "$(dirname "$s")")")
    cmds+=("script $s")
done
sel=()
for i in "${!names[@]}"; do
    if [ -z "${CHECK_ONLY:-}" ] || printf '%s\n' "${names[$i]}" | grep -qE -- "$CHECK_ONLY"; then
        sel+=("$i")
    fi
done

# run_one I: runs suite I; its output in $work/I.out, "pass fail skip" in $work/I.res and
# "wall user sys" (seconds; CPU of the suite and all it started) in $work/I.time.
run_one() {
    local i=$1 kind path out p f s rc last re
    read -r kind path <<<"${cmds[$i]}"
    out=$work/$i.out
    local TIMEFORMAT='%R %U %S'
    if [ "$kind" = unit ]; then
        { time "$path" >"$out" 2>&1; } 2>"$work/$i.time"
        rc=$?
        p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
        f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
        s=$(sed -n 's/.*\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
        p=${p:-0} f=${f:-0} s=${s:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then # a crash before the summary is a failure
            echo "$path: exit code $rc without a failed test" >>"$out"
            f=1
        fi
    else
        { time bash "$path" >"$out" 2>&1; } 2>"$work/$i.time"
        last=$(tail -1 "$out")
        re='.*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'
        p=$(printf '%s\n' "$last" | sed -nE "s/$re/\1/p")
        f=$(printf '%s\n' "$last" | sed -nE "s/$re/\2/p")
        s=$(printf '%s\n' "$last" | sed -nE "s/$re/\4/p")
        if [ -z "$p" ]; then
            echo "$path: did not finish (no summary line)" >>"$out"
            p=0 f=1
        fi
        s=${s:-0}
    fi
    echo "$p $f $s" >"$work/$i.res"
}

# what each suite shows: every line but its passed cases (cmocka's RUN/OK lines, a script's
# "ok ...") and its counts (cmocka's, a script's summary line: the runner prints its own)
show() {
    local kind path
    read -r kind path <<<"${cmds[$1]}"
    if [ "$kind" = unit ]; then
        grep -vE '^\[ RUN      \]|^\[       OK \]|^\[==========\] (Running )?[0-9]+ test|\[  PASSED  \]' \
            "$work/$1.out"
    else
        sed '$d' "$work/$1.out" | grep -vE '^ok '
        tail -1 "$work/$1.out" | grep -vE ': [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'
    fi
}

# ---- start: the quick ones (under 5 s last time), then the slowest of the last run first ------
times_file=$B/check-times
order=$(for i in "${sel[@]}"; do
    t=$(awk -v n="${names[$i]}" '$1 == n { print $2 }' "$times_file" 2>/dev/null | tail -1)
    t=${t:-1000} # unknown: among the first of the slow ones
    awk -v t="$t" -v i="$i" 'BEGIN { print (t < 5 ? 1 : 0), t, i }'
done | sort -k1,1nr -k2,2nr -k3,3n | awk '{ print $3 }')
(
    for i in $order; do
        while [ "$(jobs -pr | wc -l)" -ge "$CHECK_JOBS" ]; do wait -n; done
        (run_one "$i"; : >"$work/$i.done") &
    done
    wait
) &

# ---- print in order as each finishes ---------------------------------------------------------------
pass=0 fail=0 skipped=0
t0=$(date +%s)
for i in "${sel[@]}"; do
    while [ ! -e "$work/$i.done" ]; do sleep 0.2; done
    show "$i"
    read -r p f s <"$work/$i.res"
    read -r wall user sys <"$work/$i.time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    extra=""
    [ "$s" -gt 0 ] && extra=", $s skipped"
    echo "${names[$i]}: $p passed, $f failed$extra ($wall s, CPU $cpu s)"
    pass=$((pass + p)) fail=$((fail + f)) skipped=$((skipped + s))
    printf '%s %s %s\n' "${names[$i]}" "$wall" "$cpu" >>"$work/times"
done
wait

echo "---- time per suite (wall, CPU; $CHECK_JOBS at a time; $(($(date +%s) - t0)) s in all)"
sort -k2,2nr "$work/times" | awk '{ printf "  %-14s %7.1f s %7.1f s\n", $1, $2, $3 }'
# keep the times of every suite seen (a CHECK_ONLY run keeps the others' old times)
{ cat "$work/times"; [ -f "$times_file" ] && cat "$times_file"; } |
    awk '!seen[$1]++ { print $1, $2 }' >"$times_file.tmp" 2>/dev/null && mv "$times_file.tmp" "$times_file"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
