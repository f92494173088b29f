#!/usr/bin/env bash
# Memory: what a rule keeps cannot outlive its goal, and a worker's Lua state has a cap
# (MAAL_STATE_CAP: 3 x --rule-memory + 8 MiB), so --jobs N uses at most about N times that.
# 40 rule files each keep 12 MiB in a global (a kept main function's _ENV once held every
# goal's globals: 40 x 60 MiB gave 2.4 GB); each goal must pass, as it does alone, and the
# peak RSS of the plain build ($MAAL_PLAIN, default $B/maal: ASan keeps freed memory) must
# stay under jobs x cap + 48 MiB, with --jobs 1 and 2. The bound is about the process; the
# numbers are printed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}" "${B:=build}"
: "${MAAL_PLAIN:=$B/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
mib=32
n=40
mkdir -p "$tmp/rules"
{
    printf 'maal: 1\npartnership: {id: m, name: M, period: {from: 2020, to: 2022}}\ngoals:\n'
    for i in $(seq 1 $n); do
        printf '  - {id: g%d, title: G, rule: keep%d}\n' "$i" "$i"
        cat >"$tmp/rules/keep$i.lua" <<'LUA'
-- keeps 12 MiB in a global after its goal
local t = {}
for i = 1, 12 * 64 do t[i] = string.rep("x", 16384 - 32) .. i end
KEEP = t
return {title = "keep", evaluate = function() return maal.pass({message = "kept " .. #KEEP}) end}
LUA
    done
} >"$tmp/partnership.yaml"

# peak MAAL ARGS...: runs it; prints "EXIT PEAK_KIB" (peak RSS of the child)
peak() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    timeout=300).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

for jobs in 1 2; do
    read -r rc kib < <(peak "$MAAL_PLAIN" check "$tmp/partnership.yaml" --rule-memory $mib \
        --jobs $jobs -o "json=$tmp/out$jobs")
    bound=$(( (jobs * (3 * mib + 8) + 48) * 1024 ))
    passes=$(grep -o '"verdict": *"pass"' "$tmp/out$jobs" | wc -l)
    if [ "$rc" -eq 0 ] && [ "$passes" -eq $n ]; then
        ok "--jobs $jobs: each of $n goals that keep 12 MiB passes, as it does alone"
    else
        not_ok "--jobs $jobs: exit $rc, $passes of $n goals pass (expected 0 and all)"
    fi
    if [ "$kib" -le "$bound" ]; then
        ok "--jobs $jobs: peak RSS $((kib / 1024)) MiB, at most $((bound / 1024)) MiB"
    else
        not_ok "--jobs $jobs: peak RSS $((kib / 1024)) MiB, over $((bound / 1024)) MiB"
    fi
done

# Kept rules (a main chunk run once per state, its table kept for later goals: core/keep.h)
# must not crowd the goals' memory: 40 rules whose main chunks each keep 0.8 MiB (under the
# 1 MiB a kept rule may hold), with --rule-memory 8 (a state's cap 32 MiB), each goal using
# 5 MiB of its own. Kept all, they would hold 32 MiB and the later ones would meet the cap;
# a state keeps rules only up to a quarter of a goal's allowance in all, so every goal passes.
mkdir -p "$tmp/kept/rules"
{
    printf 'maal: 1\npartnership: {id: k, name: K, period: {from: 2020, to: 2022}}\ngoals:\n'
    for i in $(seq 1 $n); do
        printf '  - {id: g%d, title: G, rule: small%d}\n' "$i" "$i"
        cat >"$tmp/kept/rules/small$i.lua" <<'LUA'
-- its main chunk keeps 0.8 MiB; each goal uses 5 MiB more for a while
local t = {}
for i = 1, 50 do t[i] = string.rep("k", 16384 - 32) end
return {title = "small", evaluate = function()
  local u = {}
  for i = 1, 5 * 64 do u[i] = string.rep("g", 16384 - 32) end
  return maal.pass({message = "kept " .. #t .. ", used " .. #u})
end}
LUA
    done
} >"$tmp/kept/partnership.yaml"
"$MAAL" check "$tmp/kept/partnership.yaml" --rule-memory 8 --format json >"$tmp/kept/out.json" \
    2>"$tmp/kept/err.txt"
rc=$?
passes=$(grep -o '"verdict": *"pass"' "$tmp/kept/out.json" | wc -l)
if [ "$rc" -eq 0 ] && [ "$passes" -eq $n ]; then
    ok "$n kept rules of 0.8 MiB each with --rule-memory 8: every goal passes"
else
    not_ok "$n kept rules of 0.8 MiB each with --rule-memory 8: exit $rc, $passes of $n pass"
    grep -m3 -o '"message": *"[^"]*"' "$tmp/kept/out.json" | grep -v kept
fi

summary MEMORY
