#!/usr/bin/env bash
# Hostile rules: each NAME.lua runs as goal 'hostile' of partnership.yaml. The goal must get
# the verdict 'error' with a reason containing NAME.expect (one line, written by hand), within
# the time limit; the goals 'before' (fail) and 'after' (pass) keep their verdicts; exit code 3;
# nothing outside maal is touched.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
maal_abs=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
trap 'rm -rf "$tmp"' EXIT
for rule in tests/hostile/*.lua; do
    name=$(basename "$rule" .lua)
    d="$tmp/$name"
    mkdir -p "$d/rules"
    sed "s/rule: RULE/rule: $name/" tests/hostile/partnership.yaml >"$d/partnership.yaml"
    cp "$rule" "$d/rules/$name.lua"
    start=$(date +%s%N)
    (cd "$d" && MAAL_CANARY="$d/canary" timeout 30 "$maal_abs" check partnership.yaml \
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
print(res.get("before", {}).get("verdict"), h.get("verdict"), res.get("after", {}).get("verdict"),
      "msg-ok" if sys.argv[2] in (h.get("message") or "") else "msg-bad:" + repr(h.get("message")))
PY
)
    extra=$(ls "$d" | grep -vxE 'rules|partnership.yaml|out.json|err.txt')
    if [ "$rc" -eq 3 ] && [ "$verdicts" = "fail error pass msg-ok" ] && [ -z "$extra" ]; then
        ok "$name (${ms} ms)"
    else
        not_ok "$name: exit $rc, verdicts/message: $verdicts, new files: [$extra]"
        head -3 "$d/err.txt"
    fi
done
summary hostile
