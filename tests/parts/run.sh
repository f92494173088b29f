#!/usr/bin/env bash
# parts: each file's part of every report is formatted by the worker thread that checked the
# file, and the main thread only puts the parts in order (issue 19). Every format, to standard
# output and to several -o files at once, with --compare, --history and --outlook, is byte for
# byte the same with --jobs 1, 2 and 4 (the outputs of c18b041, before the change, were the
# same); what only the order decides (TAP numbers, JSON, HTML ids, JUnit totals) is checked
# in the report itself. Every e2e case of 'check' runs again with --jobs 2 and 4
# against its golden, and a partnership given twice is reported once whatever --jobs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
exp=tests/parts/expected
files=(examples/amager-2017/partnership.yaml examples/tingbjerg-husum-2017-2020/partnership.yaml
       examples/tingbjerg-husum-2021-2024/partnership.yaml
       examples/urbanplanen-2018-2021/partnership.yaml tests/e2e/tables-revised/partnership.yaml)
formats=(text json junit tap markdown html github)
# the previous result: the same files (tingbjerg-husum-2021-2024 as revised) at 2020
prev=tests/parts/previous.json

# what only the order decides, checked in the --jobs 1 report itself (a wrong number, a
# missing separator or a repeated section id fails here whatever the other runs say)
order_checks() { # name dir
    local name=$1 d=$2
    # TAP: one plan, the tests numbered 1..N without a gap, N the plan's
    local plan nums
    plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$d/out.tap")
    nums=$(grep -Eo '^(not )?ok [0-9]+' "$d/out.tap" | grep -Eo '[0-9]+$' | tr '\n' ' ')
    [ -n "$plan" ] && [ "$nums" = "$(seq -s ' ' 1 "$plan") " ] &&
        ok "$name: TAP numbered 1..$plan across the files" || not_ok "$name: TAP plan '$plan', numbers $nums"
    # JSON: one document, the five partnerships in the order of the files, the summary their sum
    python3 - "$d/out.json" <<'PY' && ok "$name: JSON one document, partnerships in order, summary their sum" || not_ok "$name: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
ps = d["partnerships"]
assert [p["file"] for p in ps][:4] == ["examples/amager-2017/partnership.yaml", "examples/tingbjerg-husum-2017-2020/partnership.yaml", "examples/tingbjerg-husum-2021-2024/partnership.yaml", "examples/urbanplanen-2018-2021/partnership.yaml"], [p["file"] for p in ps]
assert len(ps) == 5
n = sum(len(p["results"]) for p in ps)
assert sum(v for v in d["summary"].values() if isinstance(v, int)) >= n > 0, (d["summary"], n)
PY
    # HTML: each partnership an article with its own ordinal, p1..p5 in order, every id once
    local ids dups
    ids=$(grep -o '<article class="partnership" id="p[0-9]*"' "$d/out.html" | sed 's/.*id="//; s/"//' | tr '\n' ' ')
    dups=$(grep -o ' id="[^"]*"' "$d/out.html" | sort | uniq -d | head -3)
    [ "$ids" = "p1 p2 p3 p4 p5 " ] && [ -z "$dups" ] && ok "$name: HTML articles p1..p5, no id twice" ||
        not_ok "$name: HTML article ids: $ids; repeated: $dups"
    # JUnit: five suites in file order, each suite's counts those of its own test cases
    python3 - "$d/out.junit" <<'PY' && ok "$name: JUnit suites in order, counts their cases'" || not_ok "$name: JUnit counts"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.findall("testsuite")
assert [x.attrib["name"] for x in s][:2] == ["amager-2017", "tingbjerg-husum-2017-2020"], s
assert len(s) == 5
for x in s:
    cs = x.findall("testcase")
    assert int(x.attrib["tests"]) == len(cs)
    assert int(x.attrib["failures"]) == sum(1 for c in cs if c.find("failure") is not None)
    assert int(x.attrib["skipped"]) == sum(1 for c in cs if c.find("skipped") is not None)
PY
}

# variant name, then its options; --jobs 1 is the reference the others must equal byte for
# byte (the per-file formats are the e2e goldens' business, below)
variants=("cmp|--compare $prev --history" "en|--lang en --outlook --verbose --compare $prev")
for v in "${variants[@]}"; do
    name=${v%%|*}
    read -r -a opts <<<"${v#*|}"
    for j in 1 2 4; do
        d=$tmp/$name-$j
        mkdir -p "$d"
        outs=()
        for f in "${formats[@]}"; do outs+=(-o "$f=$d/out.$f"); done
        "$MAAL" check "${files[@]}" "${opts[@]}" --jobs "$j" "${outs[@]}" >"$d/stdout" 2>"$d/stderr"
        echo $? >"$d/rc"
        same "$name --jobs $j: exit code" "$exp/$name.rc" "$d/rc"
        same "$name --jobs $j: stderr" "$exp/$name.err" "$d/stderr"
        [ -s "$d/stdout" ] && not_ok "$name --jobs $j: standard output written with only -o"
        if [ "$j" = 1 ]; then
            order_checks "$name" "$d"
        else
            for f in "${formats[@]}"; do
                same "$name --jobs $j: -o $f as with --jobs 1" "$tmp/$name-1/out.$f" "$d/out.$f"
            done
        fi
    done
    # each format alone to standard output (streamed, taken after each part)
    for f in "${formats[@]}"; do
        for j in 1 2 4; do
            "$MAAL" check "${files[@]}" "${opts[@]}" --jobs "$j" --format "$f" >"$tmp/one" 2>/dev/null
            same "$name --jobs $j: --format $f to standard output as -o" "$tmp/$name-1/out.$f" "$tmp/one"
        done
    done
done

# a partnership given twice: reported once (its second part dropped), the run invalid
for j in 1 2 4; do
    "$MAAL" check "${files[@]}" tests/e2e/data/tingbjerg-revised.yaml --compare "$prev" \
        --jobs "$j" --format json >"$tmp/dup.out" 2>"$tmp/dup.err"
    echo $? >"$tmp/dup.rc"
    same "twice --jobs $j: exit code" "$exp/dup.rc" "$tmp/dup.rc"
    same "twice --jobs $j: stderr" "$exp/dup.err" "$tmp/dup.err"
    # the same report as without the second file (its exit code aside)
    "$MAAL" check "${files[@]}" --compare "$prev" --jobs "$j" --format json >"$tmp/nodup.out" 2>/dev/null
    same "twice --jobs $j: stdout is the report without the repeated file" "$tmp/nodup.out" "$tmp/dup.out"
done

# --goal: each file's goals looked at by its job, found or suggested as before, in file order
for j in 1 2 4; do
    "$MAAL" check "${files[@]}" --goal indbrud --goal tyveri-roevri --goal tryghedd \
        --goal utrygg --goal omdomme --jobs "$j" --format json >"$tmp/goals.out" 2>"$tmp/goals.err"
    echo $? >"$tmp/goals.rc"
    same "--goal --jobs $j: exit code" "$exp/goals.rc" "$tmp/goals.rc"
    same "--goal --jobs $j: stdout" "$exp/goals.json" "$tmp/goals.out"
    same "--goal --jobs $j: stderr" "$exp/goals.err" "$tmp/goals.err"
done

# many partnerships (the ids' table grows several times), the last one's id an earlier one's:
# that file alone is left out and named with the first file of the id
mkdir -p "$tmp/many"
for i in $(seq 1 70); do
    sed "s/^  id: amager-2017\$/  id: a$i/" examples/amager-2017/partnership.yaml >"$tmp/many/p$i.yaml"
done
cp "$tmp/many/p33.yaml" "$tmp/many/p71.yaml"
manyfiles=()
for i in $(seq 1 71); do manyfiles+=("$tmp/many/p$i.yaml"); done
"$MAAL" check "${manyfiles[@]}" --jobs 2 --format json >"$tmp/many.json" 2>"$tmp/many.err"
rc=$?
[ $rc -eq 2 ] && ok "many: a repeated id makes the run invalid" || not_ok "many: exit $rc, expected 2"
n=$(grep -c '^      "id": "a[0-9]*",$' "$tmp/many.json")
[ "$n" = 70 ] && ok "many: 70 partnerships reported" || not_ok "many: $n partnerships reported, expected 70"
grep -qx "$tmp/many/p71.yaml: fejl: partnerskabet 'a33' findes også i $tmp/many/p33.yaml, forventede ét id pr. partnerskab i en kørsel" "$tmp/many.err" &&
    [ "$(wc -l <"$tmp/many.err")" = 1 ] && ok "many: the repeated id named with its first file" ||
    { not_ok "many: the repeated id not said as expected"; cat "$tmp/many.err"; }

# the e2e goldens of 'check' with the files formatted in 2 and 4 workers
for cmd in tests/e2e/*.cmd; do
    case $(cat "$cmd") in check\ *) ;; *) continue ;; esac
    name=$(basename "$cmd" .cmd)
    for j in 2 4; do
        # shellcheck disable=SC2046
        eval "\"$MAAL\" $(cat "$cmd") --jobs $j" >"$tmp/out" 2>"$tmp/err"
        echo $? >"$tmp/rc"
        if [ -f "tests/e2e/$name.rc" ]; then same "e2e $name --jobs $j (exit code)" "tests/e2e/$name.rc" "$tmp/rc"; fi
        same "e2e $name --jobs $j (stdout)" "tests/e2e/$name.out" "$tmp/out"
        if [ -f "tests/e2e/$name.err" ]; then same "e2e $name --jobs $j (stderr)" "tests/e2e/$name.err" "$tmp/err"; fi
    done
done
# a file that cannot be read among good ones: exit 2, the error on stderr, and standard output
# still a whole report of the files that could be checked (the old code left it unclosed)
printf 'partnership: [\n' >"$tmp/broken.yaml"
for f in json tap junit; do
    "$MAAL" check examples/amager-2017/partnership.yaml "$tmp/broken.yaml" --format "$f" \
        >"$tmp/broken.$f" 2>"$tmp/broken.err"
    rc=$?
    case $f in
    json) python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["partnerships"]) == 1 and sum(d["summary"].values()) == 30' "$tmp/broken.json" ;;
    tap) [ "$(grep -c '^ok \|^not ok ' "$tmp/broken.tap")" = 30 ] && grep -qx '1\.\.30' "$tmp/broken.tap" ;;
    junit) python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$tmp/broken.junit" ;;
    esac
    whole=$?
    [ $rc -eq 2 ] && [ $whole -eq 0 ] && grep -q 'broken.yaml:2:1' "$tmp/broken.err" &&
        ok "invalid input: exit 2, the error located, --format $f a whole report" ||
        not_ok "invalid input --format $f: exit $rc, whole=$whole"
done

summary parts
