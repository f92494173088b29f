#!/usr/bin/env bash
# maal check --history: every goal judged for each year from the period's start (or the first
# year with data) to the evaluated year. Each history entry must be exactly what a separate
# 'maal check --year Y' gives for that goal (verdict, actual, target, baseline), for every
# example and every year; the last entry is the result itself; the text, Markdown and HTML
# reports show it; without --history nothing changes.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1 SOURCE_DATE_EPOCH=1700000000
py=$(command -v /usr/bin/python3 || command -v python3)

# compare HISTORY.json DIR: each entry of year Y against DIR/Y.json (a --year Y run)
compare() {
    "$py" - "$1" "$2" <<'EOF'
import json, os, sys
doc = json.load(open(sys.argv[1]))
bad, n, years = [], 0, set()
for p in doc["partnerships"]:
    start = None
    for r in p["results"]:
        h = r["history"]
        if h[-1]["year"] != p["year"] or any(h[-1][k] != r[k] for k in ("verdict", "actual", "target", "baseline")):
            bad.append(f"{r['goal']}: the last entry is not the result")
        if [e["year"] for e in h] != list(range(h[0]["year"], p["year"] + 1)):
            bad.append(f"{r['goal']}: years {[e['year'] for e in h]}")
        for e in h:
            years.add(e["year"])
            other = json.load(open(os.path.join(sys.argv[2], f"{e['year']}.json")))
            match = [x for q in other["partnerships"] for x in q["results"] if x["goal"] == r["goal"]]
            if len(match) != 1:
                bad.append(f"{r['goal']} {e['year']}: {len(match)} results in the --year run")
                continue
            n += 1
            for k in ("verdict", "actual", "target", "baseline"):
                if e[k] != match[0][k]:
                    bad.append(f"{r['goal']} {e['year']} {k}: history {e[k]!r}, --year {match[0][k]!r}")
print(n, min(years), max(years))
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad or not n else 0)
EOF
}

for f in examples/*/partnership.yaml tests/html/hostile.yaml; do
    name=$(basename "$(dirname "$f")")
    [ "$name" = html ] && name=hostile
    "$MAAL" check "$f" --history --format json >"$tmp/$name.json" 2>/dev/null
    years=$("$py" -c 'import json,sys; print(" ".join(str(e["year"]) for e in json.load(open(sys.argv[1]))["partnerships"][0]["results"][0]["history"]))' "$tmp/$name.json")
    mkdir -p "$tmp/$name"
    for y in $years; do
        "$MAAL" check "$f" --year "$y" --format json >"$tmp/$name/$y.json" 2>/dev/null
    done
    if out=$(compare "$tmp/$name.json" "$tmp/$name"); then
        ok "$name: every history entry is what --year Y gives ($(echo "$out" | head -1 | awk '{print $1 " entries, " $2 "-" $3}'))"
    else
        not_ok "$name: history differs from --year runs"
        echo "$out"
    fi
done

# where a history starts: the period's start, or the first year with data when later
f=examples/tingbjerg-husum-2021-2024/partnership.yaml
first() { "$py" -c 'import json,sys; r=json.load(open(sys.argv[1]))["partnerships"][0]["results"][0]; print(" ".join(str(e["year"]) for e in r["history"]))' "$1"; }
"$MAAL" check "$f" --history --format json >"$tmp/a.json" 2>/dev/null
if [ "$(first "$tmp/a.json")" = "2021 2022" ]; then ok "starts at the period's start (2021), ends at the latest data year"
else not_ok "tingbjerg 2021-2024: years $(first "$tmp/a.json")"; fi
"$MAAL" check "$f" --history --year 2024 --format json >"$tmp/b.json" 2>/dev/null
if [ "$(first "$tmp/b.json")" = "2021 2022 2023 2024" ]; then ok "--year 2024: up to 2024"
else not_ok "--year 2024: years $(first "$tmp/b.json")"; fi
"$MAAL" check "$f" --history --year 2019 --format json >"$tmp/c.json" 2>/dev/null
if [ "$(first "$tmp/c.json")" = "2019" ]; then ok "--year before the period: one entry, that year"
else not_ok "--year 2019: years $(first "$tmp/c.json")"; fi
sed 's/period: {from: 2021, to: 2022}/period: {from: 2015, to: 2022}/' tests/html/hostile.yaml >"$tmp/late.yaml"
"$MAAL" check "$tmp/late.yaml" --history --format json >"$tmp/d.json" 2>/dev/null
if [ "$(first "$tmp/d.json")" = "2021 2022" ]; then ok "data later than the period's start: from the first year with data"
else not_ok "late data: years $(first "$tmp/d.json")"; fi

# without --history: no key, and the same bytes as before
"$MAAL" check "$f" --format json >"$tmp/plain.json" 2>/dev/null
if ! grep -q '"history"' "$tmp/plain.json"; then ok "no history key without --history"
else not_ok "history key without --history"; fi

# the reports show it
"$MAAL" check "$f" --history >"$tmp/text" 2>/dev/null
if grep -q "historik: 2021 ? *2022 ✗" "$tmp/text"; then ok "text: a strip per goal (historik: 2021 ?  2022 ✗)"
else not_ok "text: no strip"; grep -m3 historik "$tmp/text"; fi
n_goals=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["partnerships"][0]["results"]))' "$tmp/a.json")
if [ "$(grep -c 'historik:' "$tmp/text")" = "$n_goals" ]; then ok "text: one strip for each of the $n_goals goals"
else not_ok "text: $(grep -c 'historik:' "$tmp/text") strips for $n_goals goals"; fi
"$MAAL" check "$f" --history --lang en >"$tmp/text-en" 2>/dev/null
if grep -q "history: 2021 ? *2022 ✗" "$tmp/text-en"; then ok "text in English: history:"
else not_ok "text in English: no strip"; fi
"$MAAL" check "$f" --history --format markdown >"$tmp/md" 2>/dev/null
if grep -q '| Forklaring | Historik |' "$tmp/md" && grep -q '| 2021 ? *2022 ✗ |' "$tmp/md"; then
    ok "markdown: a Historik column"
else not_ok "markdown: no history column"; fi
"$MAAL" check "$f" --format markdown >"$tmp/md0" 2>/dev/null
if ! grep -q '| Historik |' "$tmp/md0"; then ok "markdown: no column without --history"
else not_ok "markdown: a history column without --history"; fi
"$MAAL" check "$f" --history --format html -o "$tmp/r.html" 2>/dev/null
marks=$(grep -o 'class="hist"' "$tmp/r.html" | wc -l)
if [ "$marks" = "$n_goals" ]; then ok "html: a row of marks for each goal ($marks)"
else not_ok "html: $marks rows of marks for $n_goals goals"; fi
if grep -q 'class="hm v-fail" title="2022: ikke opfyldt"' "$tmp/r.html"; then ok "html: a mark says its year and verdict"
else not_ok "html: no mark with year and verdict"; fi
"$MAAL" check "$f" --format html -o "$tmp/r0.html" 2>/dev/null
if ! grep -q 'class="hist"' "$tmp/r0.html"; then ok "html: no marks without --history"
else not_ok "html: marks without --history"; fi
"$MAAL" check examples/*/partnership.yaml --history --format html -o "$tmp/all.html" 2>/dev/null
if grep -q 'class="data histgrid"' "$tmp/all.html"; then ok "html: several partnerships: a goals × years grid"
else not_ok "html: no goals × years grid"; fi

summary history
