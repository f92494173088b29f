#!/usr/bin/env bash
# parts: each file's part of every report is formatted by the worker thread that checked the
# file, and the main thread only puts the parts in order (issue 19). Every format, to standard
# output and to several -o files at once, with --compare, --history and --outlook, is byte for
# byte the same with --jobs 1, 2 and 4, and the same as before the change: expected/ was
# written by maal before the reports were formatted in the workers (commit c18b041), and
# checked against the e2e goldens. Every e2e case of 'check' runs again with --jobs 2 and 4
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

# variant name, then its options
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
        for f in "${formats[@]}"; do
            same "$name --jobs $j: -o $f as before" "$exp/$name.$f" "$d/out.$f"
        done
    done
    # each format alone to standard output (streamed, taken after each part)
    for f in "${formats[@]}"; do
        for j in 1 2 4; do
            "$MAAL" check "${files[@]}" "${opts[@]}" --jobs "$j" --format "$f" >"$tmp/one" 2>/dev/null
            same "$name --jobs $j: --format $f to standard output" "$exp/$name.$f" "$tmp/one"
        done
    done
done

# a partnership given twice: reported once (its second part dropped), the run invalid
for j in 1 2 4; do
    "$MAAL" check "${files[@]}" tests/e2e/data/tingbjerg-revised.yaml --compare "$prev" \
        --jobs "$j" --format json >"$tmp/dup.out" 2>"$tmp/dup.err"
    echo $? >"$tmp/dup.rc"
    same "twice --jobs $j: exit code" "$exp/dup.rc" "$tmp/dup.rc"
    same "twice --jobs $j: stdout" "$exp/dup.json" "$tmp/dup.out"
    same "twice --jobs $j: stderr" "$exp/dup.err" "$tmp/dup.err"
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
summary parts
