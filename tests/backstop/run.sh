#!/usr/bin/env bash
# Backstop: a goal whose rule never returns (a native plugin function, tests/backstop/hang:
# the count hook cannot stop C code) is stopped from outside by the parent process 1 s after
# the sandbox's wall-clock ceiling (3 x --rule-timeout: 2,5 s for 0,5 s), gets the verdict
# 'error' ("stoppet udefra"), and every other goal keeps the result it has alone. Five files
# (three without a hanging goal, one with one, one with two) with --jobs 1, 2 and 64: exit 3;
# standard output, standard error and the -o JSON file byte-identical between the job counts
# (a check started again after a kill repeats nothing the earlier one wrote); every
# partnership reported once; no temporary file left in the output folder. Generous
# wall-clock bounds only for the kills (BACKSTOP_MAX_S, default 60 s for the whole run under
# 'timeout'); the results themselves are compared, never timed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}" "${BACKSTOP_MAX_S:=60}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C NO_COLOR=1
plugin=$tmp/hang
mkdir -p "$plugin/rules"
cp tests/backstop/hang/plugin.yaml "$plugin/"
cp tests/backstop/hang/rules/forever.lua tests/backstop/hang/rules/pid.lua "$plugin/rules/"
# shellcheck disable=SC2046
if ! ${CC:-cc} -std=c11 -O1 -shared -fPIC -Iinclude $(pkg-config --cflags lua5.4) \
    tests/backstop/hang/hang.c -o "$plugin/hang.so"; then
    not_ok "the test plugin tests/backstop/hang does not build"
    summary BACKSTOP
    exit 1
fi
d=tests/backstop
# the calm file three times, each copy under an id of its own (one run checks an id once)
data=$tmp/data
mkdir -p "$data"
cp "$d/one.yaml" "$d/two.yaml" "$data/"
for s in a b c; do
    sed "0,/^  id: /s/^  id: \(.*\)\$/  id: \1-$s/" "$d/calm.yaml" >"$data/calm-$s.yaml"
done
files=("$data/calm-a.yaml" "$data/one.yaml" "$data/calm-b.yaml" "$data/two.yaml" "$data/calm-c.yaml")

# the three job counts at once: most of their time is spent waiting for the backstop
for jobs in 1 2 64; do
    mkdir -p "$tmp/out$jobs"
    (
        start=$(date +%s)
        timeout "$BACKSTOP_MAX_S" "$MAAL" check "${files[@]}" --plugin "$plugin" \
            --rule-timeout 0.5 --jobs $jobs -o text=- -o "json=$tmp/out$jobs/r.json" \
            >"$tmp/stdout$jobs" 2>"$tmp/stderr$jobs"
        echo "$? $(($(date +%s) - start))" >"$tmp/rc$jobs"
    ) &
done
wait
for jobs in 1 2 64; do
    read -r rc secs <"$tmp/rc$jobs"
    if [ "$rc" -eq 3 ]; then
        ok "--jobs $jobs: exit 3 after $secs s (3 goals stopped)"
    else
        not_ok "--jobs $jobs: exit $rc after $secs s, expected 3"
        head -5 "$tmp/stderr$jobs"
        continue
    fi
    if grep -qE 'Sanitizer|runtime error:' "$tmp/stderr$jobs"; then
        not_ok "--jobs $jobs: a sanitizer report"
        grep -m3 -E 'ERROR|runtime error' "$tmp/stderr$jobs"
    fi
    left=$(ls -A "$tmp/out$jobs")
    if [ "$left" = "r.json" ]; then
        ok "--jobs $jobs: no temporary file left next to the report"
    else
        not_ok "--jobs $jobs: the output folder holds: $(echo "$left" | tr '\n' ' ')"
    fi
    for id in backstop-one backstop-two backstop-calm-a backstop-calm-b backstop-calm-c; do
        want=1
        got=$(grep -c "($id)" "$tmp/stdout$jobs")
        if [ "$got" -eq "$want" ]; then
            ok "--jobs $jobs: '$id' reported $want time(s) on standard output"
        else
            not_ok "--jobs $jobs: '$id' reported $got times on standard output, expected $want"
        fi
    done
done

# every hanging goal is an error saying so; every other goal is as it is alone
for f in one two calm-a calm-b calm-c; do
    for g in before after; do
        "$MAAL" check "$data/$f.yaml" --plugin "$plugin" --goal $g --format json --rule-timeout 0.5 \
            >"$tmp/alone-$f-$g.json" 2>/dev/null
    done
done
if [ -s "$tmp/out1/r.json" ]; then
    problems=$(python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
doc = json.load(open(os.path.join(tmp, "out1", "r.json")))
bad, same = [], 0
for p in doc["partnerships"]:
    short = p["id"][len("backstop-"):]
    for r in p["results"]:
        if r["goal"].startswith("hang"):
            if r["verdict"] != "error" or "stoppet udefra efter 2,5 s" not in r["message"]:
                bad.append("%s/%s: %s %s" % (p["id"], r["goal"], r["verdict"], r["message"]))
            continue
        alone = json.load(open(os.path.join(tmp, "alone-%s-%s.json" % (short, r["goal"]))))
        want = alone["partnerships"][0]["results"][0]
        if r != want:
            bad.append("%s/%s differs from its run alone" % (p["id"], r["goal"]))
        same += 1
print("\n".join(bad) if bad else same)
PY
)
    if [ "$problems" = 10 ]; then
        ok "the 3 hanging goals are errors (stopped after 2,5 s), the 10 others as alone"
    else
        not_ok "results: $problems"
    fi
fi

for jobs in 2 64; do
    for s in stdout stderr json; do
        a=$tmp/${s}1 b=$tmp/$s$jobs
        [ "$s" = json ] && a=$tmp/out1/r.json b=$tmp/out$jobs/r.json
        if cmp -s "$a" "$b"; then
            ok "--jobs 1 and --jobs $jobs: the same $s, byte for byte"
        else
            not_ok "--jobs 1 and --jobs $jobs: $s differs"
            diff "$a" "$b" | head -10
        fi
    done
done

# a check started again after a stop writes the whole output of the new child, never a splice:
# the first file's forty messages (120 KB) have a length that differs from child to child (hang/pid), and
# the second file hangs, so the first child wrote the first file before it was stopped
for run in 1 2 3; do # at once, as above
    (
        timeout "$BACKSTOP_MAX_S" "$MAAL" check "$d/varies.yaml" "$d/one.yaml" --plugin "$plugin" \
            --rule-timeout 0.5 --format text >"$tmp/varies$run.out" 2>"$tmp/varies$run.err"
        echo $? >"$tmp/varies$run.rc"
    ) &
done
wait
for run in 1 2 3; do
    rc=$(cat "$tmp/varies$run.rc")
    bad=$(python3 - "$tmp/varies$run.out" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
msgs = re.findall(r"n=(\d+) (x*)", text)
if len(msgs) != 40 or any(int(k) != len(x) for k, x in msgs) or len(set(msgs)) != 1:
    print("the varying message:", msgs)
for want in ("backstop-varies", "backstop-one", "stoppet udefra"):
    if text.count(want) < 1:
        print("missing", want)
if text.count("I alt:") != 2:
    print("summary lines:", text.count("I alt:"))
PY
)
    if [ "$rc" -eq 3 ] && [ -z "$bad" ]; then
        ok "run $run: a stopped child's output is thrown away whole, the new child's written once"
    else
        not_ok "run $run: exit $rc; $bad"
        head -c 600 "$tmp/varies$run.out"
    fi
done

# without a hanging goal nothing changes: the check runs once
start=$(date +%s%N)
"$MAAL" check "$d/calm.yaml" --plugin "$plugin" --rule-timeout 0.5 >/dev/null 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" -eq 1 ]; then
    ok "a file without a hanging goal: exit 1 (a goal fails) in $ms ms"
else
    not_ok "a file without a hanging goal: exit $rc, expected 1"
fi

# large output through the parent (issue 19: 256 KiB pieces, a 1 MiB pipe): standard output
# and error as the child wrote them, byte for byte: stdout equal to the -o file the child
# writes itself, and with 2>&1 (one pipe) every byte of both
mkdir -p "$tmp/big/rules"
cp rules/monitor.lua "$tmp/big/rules/" # a local rule that hides a standard one: a warning
cp examples/tingbjerg-husum-2021-2024/*.csv "$tmp/big/" # its tables
for i in $(seq 1 60); do
    sed "s/^  id: tingbjerg-husum-2021-2024/  id: big-$i/" examples/tingbjerg-husum-2021-2024/partnership.yaml >"$tmp/big/p$i.yaml"
done
"$MAAL" check --format json "$tmp"/big/p*.yaml -o - -o "$tmp/big/o.json" >"$tmp/big/stdout.json" 2>"$tmp/big/stderr"
"$MAAL" check --format json "$tmp"/big/p*.yaml >"$tmp/big/both" 2>&1
size=$(wc -c <"$tmp/big/stdout.json")
if [ "$size" -gt 1048576 ] && cmp -s "$tmp/big/stdout.json" "$tmp/big/o.json" &&
    grep -q "skygger for standardreglen" "$tmp/big/stderr" &&
    [ "$(wc -c <"$tmp/big/both")" = $((size + $(wc -c <"$tmp/big/stderr"))) ]; then
    ok "a $size-byte report through the parent: stdout = the -o file, 2>&1 keeps every byte"
else
    not_ok "a large report through the parent ($size bytes) differs"
    head -3 "$tmp/big/stderr"
fi

# a check started again after a kill, when the parent's spool had outgrown memory (1 MiB) and
# moved to a temporary file: the 60 large reports come first, the hanging goal last, so the
# killed child's 2 MB are in the file; the next child's output replaces them whole
cp "$d/one.yaml" "$tmp/big/zz-one.yaml"
for jobs in 1 3; do
    "$MAAL" check --format json --jobs $jobs --plugin "$plugin" --rule-timeout 0.2 \
        "$tmp"/big/p*.yaml "$tmp/big/zz-one.yaml" -o - -o "json=$tmp/big/k$jobs.json" \
        >"$tmp/big/ks$jobs.json" 2>/dev/null
    echo $? >"$tmp/big/krc$jobs"
done
size=$(wc -c <"$tmp/big/ks1.json")
if [ "$(cat "$tmp/big/krc1")" = 3 ] && [ "$(cat "$tmp/big/krc3")" = 3 ] && [ "$size" -gt 1048576 ] &&
    cmp -s "$tmp/big/ks1.json" "$tmp/big/k1.json" && cmp -s "$tmp/big/ks1.json" "$tmp/big/ks3.json" &&
    [ "$(grep -c '"id": "big-' "$tmp/big/ks1.json")" = 60 ] &&
    [ "$(grep -c 'stoppet udefra' "$tmp/big/ks1.json")" = 1 ]; then
    ok "a kill after a spool of more than 1 MiB: the check again, its $size bytes whole and once"
else
    not_ok "a kill after a spool of more than 1 MiB (exit $(cat "$tmp/big/krc1")/$(cat "$tmp/big/krc3"), $size bytes)"
fi

summary BACKSTOP
