#!/usr/bin/env bash
# Hostile rules: each NAME.lua runs as goal 'hostile' of partnership.yaml. The goal must get
# the verdict 'error' with a reason containing NAME.expect (one line, written by hand), within
# the time limit; the goals 'before' (fail) and 'after' (pass) keep their verdicts; exit code 3;
# nothing outside maal is touched. Bounds checked for every case: the whole run takes at most
# $HOSTILE_MAX_MS ms of CPU time (default 2000, for a rule timeout of 0.25 s; CPU time, not
# wall time, so the bound holds on a busy machine; it is killed after $HOSTILE_KILL s of wall
# time, default 20; a case that expects the memory limit runs with a rule timeout of 10 s, so
# that the limit it is about comes first on a busy machine), the goal's message is at most
# 4 KiB plus a location prefix (4352 bytes), and no goal's log is over 8 KiB. Then 'maal rules --rules DIR NAME' describes the same rule (it
# runs the chunk and reads 'params'): it must finish within the same bound, without a crash or a
# sanitizer report. HOSTILE_ONLY=REGEX runs only the cases whose name matches. A case with its
# own NAME.yaml runs in that partnership instead (every 'rule: RULE' becomes the case's rule);
# a goal 'tamper' there must pass. A case named share_* without its own runs in
# session_tamper.yaml (goal 'tamper' of the same rule before it). The cases run $HOSTILE_JOBS at a time (default: the number
# of CPUs); their output is printed in their order. Last, all cases run in one maal process
# between the examples, with one worker and with two, both at once (see the end of this file).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}" "${HOSTILE_MAX_MS:=2000}" "${HOSTILE_KILL:=20}"
: "${HOSTILE_JOBS:=$(nproc 2>/dev/null || echo 2)}"
tmp=$(mktemp -d)
maal_abs=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
trap 'rm -rf "$tmp"' EXIT

# timed LOG COMMAND...: runs COMMAND; rc=its exit code, ms=its CPU time (user + system, of it
# and its children) in milliseconds, wall=its wall time in milliseconds
timed() {
    local log=$1 TIMEFORMAT='%R %U %S' r u s
    shift
    { time "$@"; } 2>"$log"
    rc=$?
    read -r r u s < <(tail -1 "$log")
    ms=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')
    wall=$(awk -v r="$r" 'BEGIN { printf "%d", r * 1000 }')
}

# one_case NAME: runs the case: 'maal check' (its exit code and times in $tmp/NAME.run; its
# results are read for every case at once below) and 'maal rules' (its "ok ..."/"FAIL ..."
# line and details on standard output)
one_case() {
    local name=$1 d="$tmp/$1" yaml want rt=0.25
    want=$(head -1 "tests/hostile/$name.expect")
    # a case about the memory limit must meet it before the time limit, however busy the machine
    case $want in *hukommelsesgrænsen*) rt=10 ;; esac
    mkdir -p "$d/rules"
    yaml=tests/hostile/$name.yaml
    # share_*: a goal 'tamper' of the same rule runs first (state kept between goals, 4.4)
    case $name in share_*) [ -f "$yaml" ] || yaml=tests/hostile/session_tamper.yaml ;; esac
    [ -f "$yaml" ] || yaml=tests/hostile/partnership.yaml
    # an id per case: one run checks each partnership id once (the mixed stage below)
    sed -e "s/rule: RULE/rule: $name/" -e "s/^  id: hostile-test\$/  id: hostile-$name/" "$yaml" \
        >"$d/partnership.yaml"
    cp "tests/hostile/$name.lua" "$d/rules/$name.lua"
    timed "$tmp/$name.time" bash -c 'cd "$1" && MAAL_CANARY="$1/canary" timeout "$2" "$3" check \
        partnership.yaml --format json --rule-timeout "$4" --rule-memory 32 >out.json 2>err.txt' \
        sh "$d" "$HOSTILE_KILL" "$maal_abs" "$rt"
    echo "$rc $ms $wall" >"$tmp/$name.run"
    timed "$tmp/$name.time" bash -c 'cd "$1" && timeout "$2" "$3" rules --rules rules \
        --rule-timeout 0.25 --rule-memory 32 "$4" >desc.out 2>desc.err' \
        sh "$d" "$HOSTILE_KILL" "$maal_abs" "$name"
    if [ "$rc" -ne 124 ] && [ "$rc" -lt 128 ] && [ "$ms" -le "$HOSTILE_MAX_MS" ] &&
        ! grep -qE 'Sanitizer|runtime error:' "$d/desc.err"; then
        echo "ok $name described (CPU ${ms} ms)"
    else
        echo "FAIL $name described: exit $rc, CPU ${ms} ms (limit $HOSTILE_MAX_MS), wall ${wall} ms"
        grep -m3 -E 'ERROR|SUMMARY|runtime error' "$d/desc.err"
    fi
}

# every case, HOSTILE_JOBS at a time
names=()
for rule in tests/hostile/*.lua; do
    name=$(basename "$rule" .lua)
    if [ -n "${HOSTILE_ONLY:-}" ] && ! printf '%s\n' "$name" | grep -qE -- "$HOSTILE_ONLY"; then
        continue
    fi
    names+=("$name")
done
for name in "${names[@]}"; do
    while [ "$(jobs -pr | wc -l)" -ge "$HOSTILE_JOBS" ]; do wait -n; done
    one_case "$name" >"$tmp/$name.log" 2>&1 &
done
wait

# every case's results, read at once: "NAME BEFORE HOSTILE AFTER STATE" (the verdicts of the
# goals 'before', 'hostile' and 'after'; STATE msg-ok when the message holds NAME.expect, is
# at most 4352 bytes, no log is over 8 KiB and a goal 'tamper' passed)
declare -A verdicts
while read -r name v; do
    verdicts[$name]=$v
done < <(python3 - "$tmp" "${names[@]}" <<'PY'
import json, os, sys
tmp = sys.argv[1]
for name in sys.argv[2:]:
    with open(os.path.join("tests/hostile", name + ".expect"), encoding="utf-8") as f:
        want = f.readline().rstrip("\n")
    try:
        doc = json.load(open(os.path.join(tmp, name, "out.json"), encoding="utf-8"))
        res = {r["goal"]: r for r in doc["partnerships"][0]["results"]}
    except Exception as e:
        print(name, "unreadable-json", repr(str(e)[:100]))
        continue
    h = res.get("hostile", {})
    msg = h.get("message") or ""
    if want not in msg:
        state = "msg-bad:" + repr(msg[:200])
    elif len(msg.encode()) > 4352:
        state = "msg-too-long:%d-bytes" % len(msg.encode())
    else:
        state = "msg-ok"
    logs = [r["goal"] + ":%d" % len(r["log"].encode()) for r in res.values()
            if len((r.get("log") or "").encode()) > 8192]
    if logs:
        state += " log-too-long:" + ",".join(logs)
    if "tamper" in res and res["tamper"].get("verdict") != "pass":
        state += " tamper-did-not-pass:" + repr(res["tamper"].get("message"))
    print(name, res.get("before", {}).get("verdict"), h.get("verdict"),
          res.get("after", {}).get("verdict"), state)
PY
)

# the cases' checks, in their order
for name in "${names[@]}"; do
    d=$tmp/$name
    read -r rc ms wall <"$tmp/$name.run"
    v=${verdicts[$name]:-"no result"}
    extra=$(ls "$d" | grep -vxE 'rules|partnership.yaml|out.json|err.txt|desc.out|desc.err')
    if [ "$rc" -eq 3 ] && [ "$v" = "fail error pass msg-ok" ] && [ -z "$extra" ] &&
        [ "$ms" -le "$HOSTILE_MAX_MS" ]; then
        ok "$name (CPU ${ms} ms)"
    else
        not_ok "$name: exit $rc, CPU ${ms} ms (limit $HOSTILE_MAX_MS), wall ${wall} ms," \
            "verdicts/message: $v, new files: [$extra]"
        head -3 "$d/err.txt"
    fi
    while IFS= read -r line; do
        case $line in
        "ok "*) ok "${line#ok }" ;;
        "FAIL "*) not_ok "${line#FAIL }" ;;
        *) printf '%s\n' "$line" ;;
        esac
    done <"$tmp/$name.log"
done

# All cases in one run, each between two examples, with one worker and with two: a worker
# keeps its sandbox state from partnership to partnership, so whatever a hostile goal did must
# leave every example's results exactly as they are when the example is checked alone, and
# each case's goals as they were above.
cases=()
for d in "$tmp"/*/; do [ -f "$d/out.json" ] && cases+=("${d%/}"); done
if [ "${#cases[@]}" -gt 0 ] && [ -z "${HOSTILE_ONLY:-}" ]; then
    ex=(examples/*/partnership.yaml)
    # each use of an example is a copy under an id of its own (one run checks an id once)
    exs=()
    for i in "${!cases[@]}" "${#cases[@]}"; do
        mkdir -p "$tmp/ex$i"
        sed "0,/^  id: /s/^  id: \(.*\)\$/  id: \1-$i/" "${ex[$((i % ${#ex[@]}))]}" \
            >"$tmp/ex$i/partnership.yaml"
        # and the example's CSV tables beside it
        for t in "$(dirname "${ex[$((i % ${#ex[@]}))]}")"/*.csv; do
            [ -f "$t" ] && cp "$t" "$tmp/ex$i/"
        done
        exs+=("$tmp/ex$i/partnership.yaml")
    done
    "$maal_abs" check "${exs[@]}" --format json --rule-timeout 0.15 --rule-memory 32 \
        >"$tmp/alone.json" 2>/dev/null
    args=()
    for i in "${!cases[@]}"; do
        args+=("${exs[$i]}" "${cases[$i]}/partnership.yaml")
    done
    args+=("${exs[${#cases[@]}]}")
    for jobs in 1 2; do # both at once
        {
            timed "$tmp/mixed-$jobs.time" timeout 600 "$maal_abs" check "${args[@]}" \
                --jobs "$jobs" --format json --rule-timeout 0.15 --rule-memory 32 \
                >"$tmp/mixed-$jobs.json" 2>"$tmp/mixed-$jobs.err"
            echo "$rc $wall" >"$tmp/mixed-$jobs.rc"
        } &
    done
    wait
    for jobs in 1 2; do
        read -r rc ms <"$tmp/mixed-$jobs.rc"
        problems=$(python3 - "$tmp/alone.json" "$tmp/mixed-$jobs.json" "${args[@]}" <<'PY'
import json, sys
alone = {p["file"]: p for p in json.load(open(sys.argv[1]))["partnerships"]}
try:
    mixed = json.load(open(sys.argv[2]))["partnerships"]
except Exception as e:
    print("unreadable JSON:", e); sys.exit()
files = sys.argv[3:]
if [p["file"] for p in mixed] != files:
    print("files out of order or missing:", len(mixed), "of", len(files)); sys.exit()
for p in mixed:
    if p["file"] in alone:
        if p != alone[p["file"]]:
            print("example", p["file"], "differs from its run alone")
    else:
        v = {r["goal"]: r["verdict"] for r in p["results"]}
        if v.get("before") != "fail" or v.get("hostile") != "error" or v.get("after") != "pass" \
           or any(x != "pass" for g, x in v.items() if g == "tamper"):
            print(p["file"], v)
PY
)
        if [ "$rc" -eq 3 ] && [ -z "$problems" ]; then
            ok "all ${#cases[@]} cases between the examples, --jobs $jobs: every example as alone (${ms} ms)"
        else
            not_ok "all cases between the examples, --jobs $jobs: exit $rc"
            printf '%s\n' "$problems" | head -10
            grep -m3 -E 'ERROR|SUMMARY|runtime error' "$tmp/mixed-$jobs.err"
        fi
    done
fi
# The cases stopped by the time limit once more, in one run with two workers, with the count
# hook that serves where the sandbox's timers cannot (MAAL_COUNT_HOOK=1, docs/security.md 4.1):
# each is stopped the same, within the same CPU time per case.
slow=()
for d in "${cases[@]}"; do
    grep -q 'overskred tidsgrænsen' "tests/hostile/$(basename "$d").expect" && slow+=("$d")
done
if [ "${#slow[@]}" -gt 0 ]; then
    args=()
    for d in "${slow[@]}"; do args+=("$d/partnership.yaml"); done
    timed "$tmp/count.time" env MAAL_COUNT_HOOK=1 timeout 600 "$maal_abs" check "${args[@]}" \
        --jobs 2 --format json --rule-timeout 0.12 --rule-memory 32 >"$tmp/count.json" 2>"$tmp/count.err"
    problems=$(python3 - "$tmp/count.json" "${slow[@]}" <<'PY'
import json, os, sys
try:
    got = {p["file"]: p for p in json.load(open(sys.argv[1]))["partnerships"]}
except Exception as e:
    print("unreadable JSON:", e); sys.exit()
for d in sys.argv[2:]:
    name = os.path.basename(d)
    want = open(os.path.join("tests/hostile", name + ".expect"), encoding="utf-8").readline().strip()
    p = next((p for f, p in got.items() if f.endswith("/" + name + "/partnership.yaml")), None)
    if p is None:
        print(name, "no result"); continue
    r = {x["goal"]: x for x in p["results"]}
    h = r.get("hostile", {})
    if (r.get("before", {}).get("verdict"), h.get("verdict"), r.get("after", {}).get("verdict")) \
       != ("fail", "error", "pass") or want not in (h.get("message") or ""):
        print(name, h.get("verdict"), repr((h.get("message") or "")[:100]))
PY
)
    max=$(( ${#slow[@]} * 500 + 2000 ))
    if [ "$rc" -eq 3 ] && [ -z "$problems" ] && [ "$ms" -le "$max" ]; then
        ok "the ${#slow[@]} time-limit cases with the count hook (MAAL_COUNT_HOOK=1, --jobs 2): each stopped (CPU ${ms} ms, limit $max)"
    else
        not_ok "the time-limit cases with the count hook: exit $rc, CPU ${ms} ms (limit $max)"
        printf '%s\n' "$problems" | head -10
        grep -m3 -E 'ERROR|SUMMARY|runtime error' "$tmp/count.err"
    fi
fi
[ -z "${HOSTILE_ONLY:-}" ] && MAAL=$maal_abs . tests/hostile/output.sh
summary hostile
