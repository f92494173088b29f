#!/usr/bin/env bash
# The HTML report (--format html): one self-contained file (no scripts, nothing fetched),
# balanced, deterministic, escaped, in Danish number format; then rendered by headless
# chromium: every goal of the example is a row, the verdict words are there, and at least three
# SVG charts. Chromium is installed when missing; the rendering cases are skipped only when
# it cannot be installed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
ex=examples/tingbjerg-husum-2021-2024/partnership.yaml
html=$tmp/report.html

# balanced FILE: every element opened is closed, in order (void elements and <x/> excepted).
# maal escapes '<' and '>' in text and attributes, so every '<...>' is a tag.
balanced() {
    grep -o '<[^>]*>' "$1" | awk '
        /^<!/ { next }
        /\/>$/ { next }
        /^<\// {
            t = tolower($0); sub(/^<\//, "", t); sub(/[ >].*/, "", t)
            if (n == 0 || stack[n] != t) {
                printf "  unexpected </%s>, open: <%s>\n", t, n ? stack[n] : "none"
                bad = 1
                exit 1
            }
            n--; next
        }
        {
            t = tolower($0); sub(/^</, "", t); sub(/[ \/>].*/, "", t)
            if (t ~ /^(meta|col|br|img|input|link|hr|wbr|area|base|source|track|param|embed)$/)
                next
            stack[++n] = t
        }
        END { if (!bad && n) { printf "  unclosed <%s>\n", stack[n]; exit 1 } }'
}

# self_contained NAME FILE: nothing that a browser would fetch or run
self_contained() {
    local bad=""
    grep -qi '<script' "$2" && bad="$bad <script"
    grep -Eqi '<(link|img|iframe|object|embed|audio|video|source|base)[ >]' "$2" &&
        bad="$bad external-element"
    # every src/href/action attribute is a fragment (#...)
    grep -Eoi '(src|href|action|poster|srcset|xlink:href|data)[[:space:]]*=[[:space:]]*"[^"]*"' \
        "$2" | grep -Eqv '="#' && bad="$bad non-fragment-attribute"
    grep -Eoi 'url\([^)]*\)' "$2" | grep -Eqv 'url\(#' && bad="$bad css-url"
    grep -qi '@import' "$2" && bad="$bad @import"
    if [ -z "$bad" ]; then ok "$1: self-contained"; else not_ok "$1: not self-contained:$bad"; fi
}

check_balanced() { # NAME FILE
    if balanced "$2" >"$tmp/bal" 2>&1; then ok "$1: balanced"
    else not_ok "$1: not balanced"; cat "$tmp/bal"; fi
}

has() { # NAME FILE FIXED-STRING
    if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: '$3' not found"; fi
}

hasnt() { # NAME FILE FIXED-STRING
    if grep -qF -- "$3" "$2"; then not_ok "$1: '$3' found"; grep -nF -- "$3" "$2" | head -3
    else ok "$1"; fi
}

# 1. the report of the example, evaluated as in the 2022 status report
"$MAAL" check "$ex" --year 2022 --format html -o "$html" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && [ -s "$html" ]; then ok "example: report written (exit 1: a goal failed)"
else not_ok "example: exit $rc, size $(wc -c <"$html" 2>/dev/null)"; head -5 "$tmp/err"; fi
if head -1 "$html" | grep -qx '<!DOCTYPE html>'; then ok "example: doctype"
else not_ok "example: first line is not <!DOCTYPE html>"; fi
has "example: Danish by default" "$html" '<html lang="da">'
self_contained example "$html"
if grep -Eqi 'https?://' "$html"; then not_ok "example: an http(s):// reference"
    grep -Eoi '.{0,40}https?://.{0,40}' "$html" | head -3
else ok "example: no http(s):// at all"; fi
check_balanced example "$html"
has "example: inline CSS" "$html" '<style>'
has "example: print stylesheet" "$html" '@media print'
has "example: A4 pages" "$html" '@page{size:A4'
has "example: rows are not cut across pages" "$html" 'break-inside:avoid'
has "example: Danish thousands" "$html" '1.970.000'
has "example: Danish decimals" "$html" '24,8'
hasnt "example: no unformatted amounts" "$html" '1970000'
has "example: the computed budget difference" "$html" '−215.000'
has "example: the comparability break in the chart" "$html" 'Nyt område fra 2021'
has "example: midway status" "$html" 'Midtvejsstatus for aktiviteterne 2022'
n=$(grep -o 'data-goal="[^"]*"' "$html" | sort -u | wc -l)
if [ "$n" -eq 16 ]; then ok "example: 16 goal rows"
else not_ok "example: $n goal rows, expected 16"; fi
ids=$(grep -o ' id="[^"]*"' "$html" | sort | uniq -d)
if [ -z "$ids" ]; then ok "example: ids are unique"; else not_ok "example: duplicate ids: $ids"; fi

# 2. deterministic: the same input gives the same bytes
"$MAAL" check "$ex" --year 2022 --format html -o "$tmp/again.html" 2>/dev/null
if cmp -s "$html" "$tmp/again.html"; then ok "example: deterministic"
else not_ok "example: two runs differ"; diff "$html" "$tmp/again.html" | head -5; fi

# 3. English
"$MAAL" check "$ex" --year 2022 --format html --lang en -o "$tmp/en.html" 2>/dev/null
has "english: lang" "$tmp/en.html" '<html lang="en">'
has "english: summary" "$tmp/en.html" '>Summary<'
has "english: number format" "$tmp/en.html" '1,970,000'
check_balanced english "$tmp/en.html"

# 4. data that looks like markup stays text
"$MAAL" check tests/html/hostile.yaml --format html -o "$tmp/hostile.html" 2>/dev/null
self_contained hostile "$tmp/hostile.html"
check_balanced hostile "$tmp/hostile.html"
for s in '<img' '<iframe' '<svg onload' '<b>fed' '<u>' '<x>' '<i>' '<style>body' ']]> -->'; do
    hasnt "hostile: no raw '$s'" "$tmp/hostile.html" "$s"
done
has "hostile: the name escaped" "$tmp/hostile.html" \
    '&lt;script&gt;alert(&#39;navn&#39;)&lt;/script&gt; &amp; Co'
has "hostile: a closing tag escaped" "$tmp/hostile.html" 'Tom serie &lt;/title&gt;'
has "hostile: quotes escaped" "$tmp/hostile.html" 'Tyveri &amp; &quot;røveri&quot; &lt;i&gt;'
has "hostile: '?' financing shown as '?'" "$tmp/hostile.html" '<td class="num unknown"'
has "hostile: '?' left out of the sum, with a note" "$tmp/hostile.html" "er udeladt af summen"

# 5. a file with almost no data
"$MAAL" check tests/html/sparse.yaml --format html -o "$tmp/sparse.html" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$tmp/sparse.html" ]; then ok "sparse: report written"
else not_ok "sparse: exit $rc"; head -5 "$tmp/err"; fi
check_balanced sparse "$tmp/sparse.html"
has "sparse: series without values named" "$tmp/sparse.html" \
    'Ingen måleværdier at vise for: Andel utrygge'
has "sparse: no activities said" "$tmp/sparse.html" 'Filen har ingen aktiviteter.'
has "sparse: missing data listed" "$tmp/sparse.html" 'Manglende data</h3>'
has "sparse: goal without group" "$tmp/sparse.html" 'data-goal="andet"'

# 6. several partnerships: an overview with a linked row per partnership
"$MAAL" check "$ex" examples/amager-2017/partnership.yaml --format html -o "$tmp/two.html" \
    2>/dev/null
check_balanced two "$tmp/two.html"
has "two: overview" "$tmp/two.html" 'Overblik: antal mål pr. vurdering'
has "two: link to the first" "$tmp/two.html" '<a href="#p1">Tingbjerg-Husum Partnerskab</a>'
has "two: link to the second" "$tmp/two.html" '<a href="#p2">Amager Partnerskab</a>'
has "two: first section" "$tmp/two.html" '<article class="partnership" id="p1"'
has "two: second section" "$tmp/two.html" '<article class="partnership" id="p2"'
has "two: '?' financing note" "$tmp/two.html" "'?' betyder, at finansieringen ikke er besluttet"
ids=$(grep -o ' id="[^"]*"' "$tmp/two.html" | sort | uniq -d)
if [ -z "$ids" ]; then ok "two: ids are unique"; else not_ok "two: duplicate ids: $ids"; fi

# 7. Markdown has the same structure, with sparklines for the survey and crime series
"$MAAL" check "$ex" --year 2022 --format markdown -o "$tmp/report.md" 2>/dev/null
has "markdown: title" "$tmp/report.md" '## Tingbjerg-Husum Partnerskab (data til og med 2022)'
has "markdown: summary, failing first" "$tmp/report.md" \
    '| ❌ ikke opfyldt | Andelen af utrygge skal årligt'
has "markdown: a section per group" "$tmp/report.md" '### 2. Kriminalitet'
has "markdown: survey sparkline with the break" "$tmp/report.md" \
    '| `▆┊▄█` | 2014: 22 % ┊ 2021: 16 %'
has "markdown: crime sparkline" "$tmp/report.md" \
    '| Indbrud | området | `▁█` | 2020: 23 · 2021: 27 |'
has "markdown: budget sums" "$tmp/report.md" \
    '| 2021 | 1.719.000 kr. | 1.934.000 kr. | −215.000 kr. |'
has "markdown: notes" "$tmp/report.md" '### Bemærkninger om data'

# 8. rendered by a browser
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ] && command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }
    if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
        echo "# chromium is missing; installing the Debian package chromium"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
        chrome=$(command -v chromium || true)
    fi
fi
render() { # HTML DOM
    local profile
    profile=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --dump-dom "file://$(realpath "$1")" >"$2" 2>"$tmp/chrome.err"
}
if [ -z "$chrome" ]; then
    skip "chromium: no chromium (it could not be installed)"
else
    render "$html" "$tmp/dom.html"
    if [ -s "$tmp/dom.html" ]; then ok "chromium: rendered"; else not_ok "chromium: no DOM"
        tail -3 "$tmp/chrome.err"; fi
    goals=$(awk '/^goals:/ { g = 1; next } /^[a-z]/ { g = 0 }
                 g && /^  - id: / { sub(/^  - id: */, ""); print }' "$ex")
    missing=""
    for id in $goals; do
        grep -q "<tr[^>]*data-goal=\"$id\"" "$tmp/dom.html" || missing="$missing $id"
    done
    if [ -n "$goals" ] && [ -z "$missing" ]; then
        ok "chromium: every goal of the file is a row ($(echo $goals | wc -w))"
    else not_ok "chromium: goals without a row:${missing:- (no goals read)}"; fi
    for w in 'ikke opfyldt' 'opfyldt' 'monitoreret' 'mangler data'; do
        has "chromium: verdict word '$w'" "$tmp/dom.html" "</span>$w</span>"
    done
    nsvg=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
    if [ "$nsvg" -ge 3 ]; then ok "chromium: $nsvg SVG charts"
    else not_ok "chromium: $nsvg SVG charts, expected at least 3"; fi
    render "$tmp/hostile.html" "$tmp/hostile-dom.html"
    if [ -s "$tmp/hostile-dom.html" ] &&
        ! grep -qi '<script\|<img\|<iframe' "$tmp/hostile-dom.html"
    then ok "chromium: hostile data makes no elements"
    else not_ok "chromium: hostile data became elements (or no DOM)"; fi
fi
summary html
