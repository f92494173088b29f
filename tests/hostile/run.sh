#!/usr/bin/env bash
# Hostile rules: each NAME.lua runs as goal 'hostile' of partnership.yaml. The goal must get
# the verdict 'error' with a reason containing NAME.expect (one line, written by hand), within
# the time limit; the goals 'before' (fail) and 'after' (pass) keep their verdicts; exit code 3;
# nothing outside maal is touched. Bounds checked for every case: the whole run takes at most
# $HOSTILE_MAX_MS ms (default 2000, for a rule timeout of 0.5 s; it is killed after
# $HOSTILE_KILL s), the goal's message is at most 4 KiB plus a location prefix (4352 bytes),
# and no goal's log is over 8 KiB. Then 'maal rules --rules DIR NAME' describes the same rule (it
# runs the chunk and reads 'params'): it must finish within the same bound, without a crash or a
# sanitizer report. HOSTILE_ONLY=REGEX runs only the cases whose name matches. A case with its
# own NAME.yaml runs in that partnership instead (every 'rule: RULE' becomes the case's rule);
# a goal 'tamper' there must pass. Last, all cases run in one maal process between the
# examples (see the end of this file).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}" "${HOSTILE_MAX_MS:=2000}" "${HOSTILE_KILL:=5}"
tmp=$(mktemp -d)
maal_abs=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
trap 'rm -rf "$tmp"' EXIT
for rule in tests/hostile/*.lua; do
    name=$(basename "$rule" .lua)
    if [ -n "${HOSTILE_ONLY:-}" ] && ! printf '%s\n' "$name" | grep -qE -- "$HOSTILE_ONLY"; then
        continue
    fi
    d="$tmp/$name"
    mkdir -p "$d/rules"
    yaml=tests/hostile/$name.yaml
    [ -f "$yaml" ] || yaml=tests/hostile/partnership.yaml
    # an id per case: one run checks each partnership id once (the mixed stage below)
    sed -e "s/rule: RULE/rule: $name/" -e "s/^  id: hostile-test\$/  id: hostile-$name/" "$yaml" \
        >"$d/partnership.yaml"
    cp "$rule" "$d/rules/$name.lua"
    start=$(date +%s%N)
    (cd "$d" && MAAL_CANARY="$d/canary" timeout "$HOSTILE_KILL" "$maal_abs" check partnership.yaml \
        --format json --rule-timeout 0.5 --rule-memory 32 >out.json 2>err.txt)
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    want=$(head -1 "tests/hostile/$name.expect")
    verdicts=$(python3 - "$d/out.json" "$want" <<'PY'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as e:
    print("unreadable-json", e); sys.exit()
res = {r["goal"]: r for r in doc["partnerships"][0]["results"]}
h = res.get("hostile", {})
msg = h.get("message") or ""
if sys.argv[2] not in msg:
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
print(res.get("before", {}).get("verdict"), h.get("verdict"), res.get("after", {}).get("verdict"),
      state)
PY
)
    extra=$(ls "$d" | grep -vxE 'rules|partnership.yaml|out.json|err.txt|desc.out|desc.err')
    if [ "$rc" -eq 3 ] && [ "$verdicts" = "fail error pass msg-ok" ] && [ -z "$extra" ] &&
        [ "$ms" -le "$HOSTILE_MAX_MS" ]; then
        ok "$name (${ms} ms)"
    else
        not_ok "$name: exit $rc, ${ms} ms (limit $HOSTILE_MAX_MS), verdicts/message: $verdicts, new files: [$extra]"
        head -3 "$d/err.txt"
    fi
    start=$(date +%s%N)
    (cd "$d" && timeout "$HOSTILE_KILL" "$maal_abs" rules --rules rules --rule-timeout 0.5 \
        --rule-memory 32 "$name" >desc.out 2>desc.err)
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ "$rc" -ne 124 ] && [ "$rc" -lt 128 ] && [ "$ms" -le "$HOSTILE_MAX_MS" ] &&
        ! grep -qE 'Sanitizer|runtime error:' "$d/desc.err"; then
        ok "$name described (${ms} ms)"
    else
        not_ok "$name described: exit $rc, ${ms} ms (limit $HOSTILE_MAX_MS)"
        grep -m3 -E 'ERROR|SUMMARY|runtime error' "$d/desc.err"
    fi
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
        exs+=("$tmp/ex$i/partnership.yaml")
    done
    "$maal_abs" check "${exs[@]}" --format json --rule-timeout 0.5 --rule-memory 32 \
        >"$tmp/alone.json" 2>/dev/null
    args=()
    for i in "${!cases[@]}"; do
        args+=("${exs[$i]}" "${cases[$i]}/partnership.yaml")
    done
    args+=("${exs[${#cases[@]}]}")
    for jobs in 1 2; do
        start=$(date +%s%N)
        timeout 600 "$maal_abs" check "${args[@]}" --jobs "$jobs" --format json --rule-timeout 0.5 \
            --rule-memory 32 >"$tmp/mixed.json" 2>"$tmp/mixed.err"
        rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        problems=$(python3 - "$tmp/alone.json" "$tmp/mixed.json" "${args[@]}" <<'PY'
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
            grep -m3 -E 'ERROR|SUMMARY|runtime error' "$tmp/mixed.err"
        fi
    done
fi
summary hostile
