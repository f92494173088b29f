#!/usr/bin/env bash
# maal check --outlook: goals whose target year is after the evaluated year projected to it.
# tests/outlook/outlook.yaml is made so that every number can be worked out by hand: the
# projections below are recomputed here from the data (least squares; the sampling variance
# sum w_i^2 p_i(1-p_i)/n_i) and compared with the JSON, then the text lines and where an outlook
# must not appear.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1
py=$(command -v /usr/bin/python3 || command -v python3)
fx=tests/outlook/outlook.yaml

"$MAAL" check "$fx" --outlook --year 2023 --format json >"$tmp/o.json" 2>/dev/null
# expect GOAL FIELD VALUE: a field of the goal's outlook (numbers within 1e-9)
expect() {
    "$py" - "$tmp/o.json" "$1" "$2" "$3" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
r = [x for x in doc["partnerships"][0]["results"] if x["goal"] == sys.argv[2]][0]
got = r.get("outlook", {}).get(sys.argv[3], "missing") if r.get("outlook") else "no outlook"
want = json.loads(sys.argv[4])
same = abs(got - want) < 1e-9 if isinstance(want, float) and isinstance(got, (int, float)) else got == want
print(f"{got!r}")
sys.exit(0 if same else 1)
EOF
}
check() { # NAME GOAL FIELD JSON-VALUE
    local got
    if got=$(expect "$2" "$3" "$4"); then ok "$1"; else not_ok "$1: got $got, expected $4"; fi
}

# by hand: x = 2021..2023, mean 2022, Sxx = 2; y = 30, 27, 24: slope -3, 2025 -> 18.
# w_i = 1/3 + (2025 - 2022)(x_i - 2022)/2 = -7/6, 1/3, 11/6.
read -r se4000 se400 <<<"$("$py" -c '
import math
w = [-7/6, 1/3, 11/6]; p = [.30, .27, .24]
v = sum(wi * wi * pi * (1 - pi) for wi, pi in zip(w, p))
print(math.sqrt(v / 4000) * 100, math.sqrt(v / 400) * 100)')"
lo4000=$("$py" -c "print(18 - 1.96 * $se4000)")
hi4000=$("$py" -c "print(18 + 1.96 * $se4000)")
lo400=$("$py" -c "print(18 - 1.96 * $se400)")
check "least squares through 30, 27, 24 % gives 18 % in 2025" paa-vej projected 18
check "the interval from 4000 respondents a year: low" paa-vej low "$lo4000"
check "... and high" paa-vej high "$hi4000"
check "method: least squares with the sampling error" paa-vej method '"least_squares_sampling"'
check "the whole interval under 22 %: on track" paa-vej on_track true
check "400 respondents: a wider interval" uafklaret low "$lo400"
check "the interval around the target 20 %: undecided (null)" uafklaret on_track null
check "... with a reason" uafklaret reason '"usikkerhedsintervallet ligger på begge sider af målet"'
check "at least 25 %: the whole interval below: not on track" ikke-paa-vej on_track false
check "a count without samples: 100, 90 -> 70 in 2024" anmeldelser projected 70
check "... no interval" anmeldelser low null
check "... method least squares" anmeldelser method '"least_squares"'
check "... 70 > 60: not on track" anmeldelser on_track false
check "one value: no projection" frivillige projected null
check "... undecided" frivillige on_track null
check "... because there are fewer than two values" frivillige points 1
check "range 15-25: the interval inside: on track" interval on_track true
check "a target year that is the evaluated year: no outlook" nu target_year '"no outlook"'
check "the target year" paa-vej target_year 2025
check "annual decrease: to the end of the period (2025)" fald target_year 2025
check "... 15-21 % is below the latest 24 %: on track" fald on_track true
check "approach level: 15-21 % is closer to the city (21 %) than in 2021 (gap 10)" niveau on_track true

"$MAAL" check "$fx" --year 2023 --format json >"$tmp/plain.json" 2>/dev/null
if ! grep -q '"outlook"' "$tmp/plain.json"; then ok "no outlook without --outlook"
else not_ok "an outlook without --outlook"; fi
"$MAAL" check "$fx" --outlook --year 2025 --format json >"$tmp/late.json" 2>/dev/null
if ! grep -q '"outlook"' "$tmp/late.json"; then ok "--year 2025: the target year is reached, no outlook"
else not_ok "--year 2025 still has an outlook"; fi

"$MAAL" check "$fx" --outlook --year 2023 >"$tmp/text" 2>/dev/null
has_line() { # NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: no '$3'"; grep -F prognose "$2" | head -3; fi
}
has_line "text: on track" "$tmp/text" "prognose 2025: 18 % (15–21 %), på vej"
# approach_level's result is a gap in pct.-point, its prognose the area's own share in %
"$MAAL" check "$fx" --outlook --year 2023 --goal niveau >"$tmp/niveau" 2>/dev/null
has_line "text: approach level's gap in pct.-point" "$tmp/niveau" "3 pct.-point  < 10 pct.-point"
has_line "text: approach level's prognose in %, not pct.-point" "$tmp/niveau" \
    "prognose 2025: 18 % (15–21 %), på vej"
has_line "text: not on track, saying the line has no interval" "$tmp/text" \
    "prognose 2024: 70 (lineært fra 2 målinger, uden usikkerhedsinterval), ikke på vej"
has_line "text: undecided, with the interval" "$tmp/text" "prognose 2025: 18 % (8,6–27,4 %), uafklaret"
has_line "text: undecided, too few values" "$tmp/text" "prognose 2024: uafklaret (kun 1 måling"
"$MAAL" check "$fx" --outlook --year 2023 --lang en >"$tmp/text-en" 2>/dev/null
has_line "text in English" "$tmp/text-en" "outlook 2025: 18 % (8.6–27.4 %), undecided"
has_line "text in English: a count without an interval" "$tmp/text-en" \
    "outlook 2024: 70 (linear from 2 values, no interval), not on track"
"$MAAL" check "$fx" --outlook --year 2023 --format html -o "$tmp/o.html" 2>/dev/null
has_line "html: the outlook under the goal" "$tmp/o.html" '<div class="sig outlook">prognose 2025: 18 % (15–21 %), på vej</div>'

"$MAAL" check "$fx" --outlook --year 2023 --format markdown >"$tmp/o.md" 2>/dev/null
has_line "markdown: in the explanation" "$tmp/o.md" "(prognose 2025: 18 % (15–21 %), på vej) |"

# the survey chart: the line carried on dashed to the target year, the interval as a band
sed 's/rule: at_most,$/rule: at_most, group: tryghed,/' "$fx" >"$tmp/tryghed.yaml"
"$MAAL" check "$tmp/tryghed.yaml" --outlook --year 2023 --format html -o "$tmp/c.html" 2>/dev/null
n_band=$(grep -o 'class="band"' "$tmp/c.html" | wc -l)
n_proj=$(grep -o 'class="proj ln0"' "$tmp/c.html" | wc -l)
if [ "$n_band" -eq 2 ] && [ "$n_proj" -eq 2 ]; then
    ok "html: both survey charts draw the projection dashed, with its interval as a band"
else not_ok "html: $n_band bands, $n_proj projections (expected 2 each)"; fi
if grep -q '<text class="ax" x="[0-9.]*" y="[0-9.]*" text-anchor="middle">2025</text>' "$tmp/c.html"; then
    ok "html: the chart's years run on to the target year 2025"
else not_ok "html: no 2025 on the chart's axis"; fi
has_line "html: the projected value is labelled" "$tmp/c.html" ">prognose 18 %</text>"
"$MAAL" check "$tmp/tryghed.yaml" --year 2023 --format html -o "$tmp/c0.html" 2>/dev/null
if ! grep -q 'class="band"\|class="proj\|svg .proj' "$tmp/c0.html" && ! grep -q '>2025</text>' "$tmp/c0.html"
then ok "html: nothing of it without --outlook"
else not_ok "html: projection drawn without --outlook"; fi

# tests/outlook/change.yaml: the area changed in 2021 (survey), a count whose line falls below 0
"$MAAL" check tests/outlook/change.yaml --outlook --year 2023 --format json >"$tmp/o.json" 2>/dev/null
check "area change: the line starts at the change (30, 28 -> 22 %, not 52,4 % through 10, 12)" \
    brud projected 22
check "... through the two values since the change" brud points 2
check "... 22 % under 25 %: on track" brud on_track true
check "the city's values are not moved by the area's change: all four (22,3 %)" by projected 22.3
check "... four points" by points 4
check "approach level with the change after its baseline year: undecided" niveau on_track null
check "... saying why" niveau reason '"området blev ændret i 2021, efter baseline-året 2019"'
check "a count whose line falls below 0 (60, 30, 10 -> -41,67) is held at 0" negativ projected 0
check "a goal whose parameters the rule refused gets no outlook" forkert target_year '"no outlook"'
hi0=$("$py" -c '
import math
w = [-7/6, 1/3, 11/6]; p = 2 / 504
print(1.96 * math.sqrt(sum(wi * wi for wi in w) * p * (1 - p) / 504) * 100)')
check "0 of 500 asked, three years: the interval is not 0-0 % (Agresti-Coull)" ingen high "$hi0"
check "... so 'at most 1 %' is undecided, not on track" ingen on_track null
"$MAAL" check tests/outlook/change.yaml --outlook --year 2023 >"$tmp/change" 2>/dev/null
has_line "text: a count's prognose is never negative, and says where the line went" \
    "$tmp/change" "prognose 2025: 0 (den rette linje når 0 før 2025), på vej"
check "a share whose line passes 100 % (99, 99,5, 99,8 -> 101,2) is held at 100 %" \
    naesten projected 100
has_line "text: ... saying so, not as the certain-looking interval 100-100 %" "$tmp/change" \
    "prognose 2025: 100 % (den rette linje når 100 % før 2025), på vej"

summary outlook
