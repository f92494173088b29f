#!/usr/bin/env bash
# Reliability: (a) valgrind on the plain build ($MAAL_PLAIN, default $B/maal) checking every
# example in --format json: no memory errors, no definite or indirect leaks, and the same exit
# code and output as without valgrind; (b) output that cannot be half-written or lost, with
# $MAAL: a previous report stays byte-identical when a run fails with invalid input (exit 2),
# -o into a read-only folder, to /dev/full, onto a full file system and into a closed pipe
# each give exit 2 and a message (never death by SIGPIPE), and no temporary file is left in
# the output folder after success or failure; (c) every run is under 'timeout' (60 s; valgrind
# RELIABILITY_VG_TIMEOUT, default 300 s: generous, so a busy machine is not a failure), so
# nothing hangs. valgrind is installed when
# missing. The read-only and full-disk cases need a private mount namespace (unshare) when
# running as root; without one they pass with a note.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
: "${MAAL:=build/maal}" "${B:=build}"
: "${MAAL_PLAIN:=$B/maal}" "${RELIABILITY_VG_TIMEOUT:=300}"
# a generous bound: it catches a hang, not a slow run on a busy machine
KILL=60
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
examples=(examples/*/partnership.yaml)
bad=tests/bad-data/syntax-unclosed-brace.yaml
previous='a previous report, not to be lost'

# run ARGS...: $MAAL under a $KILL s timeout; sets rc, stdout in $tmp/out, stderr in $tmp/err
run() {
    timeout "$KILL" "$MAAL" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# what went wrong beyond the exit code: a hang, a signal, a sanitizer report, no message
trouble() {
    if [ "$rc" -eq 124 ]; then echo "timed out after $KILL s"
    elif [ "$rc" -gt 128 ]; then echo "killed by signal $((rc - 128))"
    elif grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
        grep -m3 -E 'ERROR|runtime error' "$tmp/err"
    fi
}
# expect_fail NAME [STDERR-PATTERN]: exit 2 with a message on stderr (naming the pattern)
expect_fail() {
    local t
    t=$(trouble)
    if [ "$rc" -eq 2 ] && [ -z "$t" ] && [ -s "$tmp/err" ] &&
        { [ -z "${2:-}" ] || grep -qF -- "$2" "$tmp/err"; }; then
        ok "$1: exit 2, $(head -1 "$tmp/err")"
    else
        # shellcheck disable=SC2016
        not_ok "$1: exit $rc (expected 2 with a message${2:+ naming '$2'}) $t"
        head -3 "$tmp/err"
    fi
}
# kept NAME FILE: FILE still holds the previous report, byte for byte
kept() {
    if printf '%s\n' "$previous" | cmp -s - "$2"; then
        ok "$1: the previous report is unchanged"
    else
        not_ok "$1: the previous report was replaced or changed ($(head -c 60 "$2" | tr '\n' ' '))"
    fi
}
# only NAME DIR FILE...: DIR holds exactly these files (no temporary files left behind)
only() {
    local name=$1 dir=$2
    shift 2
    local have want
    have=$(find "$dir" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
    if [ "$have" = "$want" ]; then ok "$name: no temporary files in the output folder"
    else not_ok "$name: the output folder holds [$have], expected [$want]"; fi
}
# in_ns SCRIPT ARGS...: run a shell script in a private mount namespace (125: none to be had)
in_ns() {
    if unshare -m true 2>/dev/null; then unshare -m sh -c "$@"
    elif unshare -rm true 2>/dev/null; then unshare -rm sh -c "$@"
    else return 125; fi
}

# ---- (a) valgrind on the plain build ----
if ! command -v valgrind >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "reliability: valgrind is missing; installing the Debian package valgrind"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1
fi
if ! command -v valgrind >/dev/null 2>&1; then
    for f in "${examples[@]}"; do
        skip "valgrind-$(basename "$(dirname "$f")"): valgrind is not installed and could not be installed"
    done
elif [ ! -x "$MAAL_PLAIN" ]; then
    not_ok "valgrind: no plain build at '$MAAL_PLAIN' (set MAAL_PLAIN)"
else
    for f in "${examples[@]}"; do
        name=valgrind-$(basename "$(dirname "$f")")
        # a generous rule time limit: valgrind is many times slower than the rules expect
        args=(check "$f" --format json --rule-timeout 60)
        timeout "$KILL" "$MAAL_PLAIN" "${args[@]}" >"$tmp/plain.json" 2>/dev/null
        want=$?
        # the check runs in a child of the backstop process: both are checked, one log each
        rm -f "$tmp"/vg.*.log
        timeout "$RELIABILITY_VG_TIMEOUT" valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --trace-children=yes \
            --log-file="$tmp/vg.%p.log" "$MAAL_PLAIN" "${args[@]}" >"$tmp/vg.json" 2>/dev/null
        rc=$?
        cat "$tmp"/vg.*.log >"$tmp/vg.log" 2>/dev/null
        if [ "$rc" -eq "$want" ] && [ ! -s "$tmp/vg.log" ] &&
            cmp -s "$tmp/plain.json" "$tmp/vg.json"; then
            ok "$name: no memory errors or leaks (exit $rc as without valgrind)"
        else
            not_ok "$name: exit $rc under valgrind (without: $want; 99 = errors, 124 = timeout)"
            grep -v '^==[0-9]*== *$' "$tmp/vg.log" | head -12
            cmp -s "$tmp/plain.json" "$tmp/vg.json" ||
                echo "  the output differs from the run without valgrind"
        fi
    done
fi

# ---- (b) output ----
out=$tmp/out-dir
mkdir -p "$out"

# success: the report is there, and nothing else
run check "${examples[0]}" --format json -o "$out/report.json"
if [ "$rc" -eq 0 ] && [ -z "$(trouble)" ] && [ -s "$out/report.json" ]; then
    ok "success: -o writes the report (exit 0)"
else
    size=$(wc -c <"$out/report.json" 2>/dev/null || echo no)
    not_ok "success: exit $rc, a report of $size bytes $(trouble)"
fi
only "success" "$out" report.json

# invalid input alone: nothing evaluated, nothing written
printf '%s\n' "$previous" >"$out/report.json"
run check "$bad" --format json -o "$out/report.json"
expect_fail "invalid input" "$bad"
kept "invalid input" "$out/report.json"
only "invalid input" "$out" report.json

# invalid input next to a valid file: still exit 2, so still no new report
printf '%s\n' "$previous" >"$out/report.json"
run check "${examples[0]}" "$bad" --format json -o "$out/report.json"
expect_fail "valid and invalid file" "$bad"
kept "valid and invalid file" "$out/report.json"
only "valid and invalid file" "$out" report.json

# a goal naming a rule that does not exist is invalid input too (exit 2)
mkdir -p "$tmp/unknown-rule"
sed 's/rule: RULE/rule: no_such_rule/' tests/hostile/partnership.yaml >"$tmp/unknown-rule/p.yaml"
printf '%s\n' "$previous" >"$out/report.json"
run check "$tmp/unknown-rule/p.yaml" --format json -o "$out/report.json"
expect_fail "unknown rule" "no_such_rule"
kept "unknown rule" "$out/report.json"
only "unknown rule" "$out" report.json

# several outputs: none of them is replaced by a failing run
printf '%s\n' "$previous" >"$out/report.json"
printf '%s\n' "$previous" >"$out/report.md"
run check "$bad" -o json="$out/report.json" -o markdown="$out/report.md"
expect_fail "invalid input, two outputs" "$bad"
kept "invalid input, two outputs (json)" "$out/report.json"
kept "invalid input, two outputs (markdown)" "$out/report.md"
only "invalid input, two outputs" "$out" report.json report.md
rm -f "$out/report.md"

# a folder that does not exist
run check "${examples[0]}" --format json -o "$tmp/no/such/dir/report.json"
expect_fail "-o into a missing folder" "$tmp/no/such/dir/report.json"

# a read-only folder (root ignores permissions: then a read-only bind mount)
ro=$tmp/ro
mkdir -p "$ro"
printf '%s\n' "$previous" >"$ro/report.json"
if [ "$(id -u)" != 0 ]; then
    chmod 555 "$ro"
    run check "${examples[0]}" --format json -o "$ro/report.json"
    chmod 755 "$ro"
else
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout "$KILL" unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" ||
        exit 125; shift; exec "$@"' sh "$ro" "$MAAL" check "${examples[0]}" --format json \
        -o "$ro/report.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
fi
if [ "$rc" -eq 125 ]; then
    skip "-o into a read-only folder: no private mount namespace (unshare -m) as root"
else
    expect_fail "-o into a read-only folder" "$ro/report.json"
    kept "-o into a read-only folder" "$ro/report.json"
    only "-o into a read-only folder" "$ro" report.json
fi

# /dev/full: a special file, written in place; the write fails
run check "${examples[0]}" --format json -o /dev/full
expect_fail "-o /dev/full" "/dev/full"
run check "${examples[0]}" -o json=/dev/full -o text="$out/report.txt"
expect_fail "-o /dev/full next to another output" "/dev/full"
rm -f "$out/report.txt"

# a run that stops before any file is evaluated releases everything on its one way out: the
# reports begun, their spools, the previous result (LeakSanitizer at exit, under $MAAL), and
# replaces nothing. A second output that cannot be opened (a folder) once left the first
# output's report buffers behind (exit 1 from LeakSanitizer, not 2).
printf '%s\n' "$previous" >"$out/report.json"
mkdir -p "$out/a-folder"
run check "${examples[0]}" -o json="$out/report.json" -o html="$out/a-folder"
expect_fail "-o onto a folder after another output" "$out/a-folder"
kept "-o onto a folder after another output" "$out/report.json"
only "-o onto a folder after another output" "$out" report.json a-folder
rmdir "$out/a-folder"
run check "${examples[0]}" -o json="$out/report.json" -o markdown="$out/report.md" \
    --compare "$tmp/no-such-result.json"
expect_fail "--compare with a missing result, two outputs" "no-such-result.json"
kept "--compare with a missing result, two outputs" "$out/report.json"
only "--compare with a missing result, two outputs" "$out" report.json
run check "${examples[0]}" -o json="$out/report.json" -o github="$out/report.txt" \
    --compare "${examples[0]}"
expect_fail "--compare with a data file, two outputs" "${examples[0]}"
kept "--compare with a data file, two outputs" "$out/report.json"
only "--compare with a data file, two outputs" "$out" report.json

# a full file system: the temporary file cannot be written; the old report stays
# eight copies of every example, each under an id of its own (one run checks an id once), with
# the example's CSV tables beside it
ex8=()
for k in 1 2 3 4 5 6 7 8; do
    for e in "${examples[@]}"; do
        c=$tmp/ex8/$k-$(basename "$(dirname "$e")")
        mkdir -p "$c"
        sed "0,/^  id: /s/^  id: \(.*\)\$/  id: \1-$k/" "$e" >"$c/partnership.yaml"
        for t in "$(dirname "$e")"/*.csv; do
            [ -f "$t" ] && cp "$t" "$c/"
        done
        ex8+=("$c/partnership.yaml")
    done
done
full=$tmp/full
mkdir -p "$full"
# shellcheck disable=SC2016 # expanded by the inner shell
in_ns 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 125
    printf "%s\n" "$2" >"$1/report.json"
    d=$1; p=$2; t=$3; shift 3
    timeout 60 "$@" -o "$d/report.json" >"$t/out" 2>"$t/err"
    echo $? >"$t/full.rc"
    printf "%s\n" "$p" | cmp -s - "$d/report.json" && echo kept >"$t/full.kept"
    ls -A "$d" >"$t/full.ls"' sh "$full" "$previous" "$tmp" "$MAAL" check "${ex8[@]}" --format json
ns=$?
if [ "$ns" -eq 125 ] || [ ! -f "$tmp/full.rc" ]; then
    skip "-o onto a full file system: no private mount namespace for a small tmpfs"
else
    rc=$(cat "$tmp/full.rc")
    expect_fail "-o onto a full file system" "report.json"
    if [ -f "$tmp/full.kept" ]; then
        ok "-o onto a full file system: the previous report is unchanged"
    else
        not_ok "-o onto a full file system: the previous report was replaced or changed"
    fi
    if [ "$(tr '\n' ' ' <"$tmp/full.ls")" = "report.json " ]; then
        ok "-o onto a full file system: no temporary files in the output folder"
    else
        not_ok "-o onto a full file system: the output folder holds" \
            "[$(tr '\n' ' ' <"$tmp/full.ls")]"
    fi
fi

# two outputs replaced together: on a 64 KiB file system the JSON report (about 40 KB) fits
# and the HTML one (about 67 KB) does not. Once the JSON file was replaced before the HTML
# file failed; now every temporary file is written before any file is replaced
two=$tmp/two
mkdir -p "$two"
# shellcheck disable=SC2016 # expanded by the inner shell
in_ns 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 125
    printf "%s\n" "$2" >"$1/report.json"; printf "%s\n" "$2" >"$1/report.html"
    d=$1; t=$3; shift 3
    timeout 60 "$@" -o json="$d/report.json" -o html="$d/report.html" >"$t/out" 2>"$t/err"
    echo $? >"$t/two.rc"
    cp "$d/report.json" "$t/two.json"; cp "$d/report.html" "$t/two.html"
    ls -A "$d" >"$t/two.ls"' sh "$two" "$previous" "$tmp" "$MAAL" check "${examples[0]}"
ns=$?
if [ "$ns" -eq 125 ] || [ ! -f "$tmp/two.rc" ]; then
    skip "two -o files, the second too large: no private mount namespace for a small tmpfs"
else
    rc=$(cat "$tmp/two.rc")
    expect_fail "two -o files, the second too large" "report.html"
    kept "two -o files, the second too large (json)" "$tmp/two.json"
    kept "two -o files, the second too large (html)" "$tmp/two.html"
    if [ "$(tr '\n' ' ' <"$tmp/two.ls")" = "report.html report.json " ]; then
        ok "two -o files, the second too large: no temporary files in the output folder"
    else
        not_ok "two -o files, the second too large: the output folder holds" \
            "[$(tr '\n' ' ' <"$tmp/two.ls")]"
    fi
fi

# a closed pipe: about 1 MB of JSON into 'head -c1'; SIGPIPE at its default, so only maal's
# own handling can keep it alive
sigdfl=()
env --default-signal=PIPE true 2>/dev/null && sigdfl=(env --default-signal=PIPE)
timeout "$KILL" "${sigdfl[@]}" "$MAAL" check "${ex8[@]}" --format json 2>"$tmp/err" |
    head -c1 >/dev/null
rc=${PIPESTATUS[0]}
expect_fail "closed pipe (json)" "'-'"
timeout "$KILL" "${sigdfl[@]}" "$MAAL" check "${ex8[@]}" 2>"$tmp/err" | head -c1 >/dev/null
rc=${PIPESTATUS[0]}
expect_fail "closed pipe (text)" "'-'"

# one worker keeps its sandbox state from one partnership to the next: a goal of the first
# file that tampers with everything it can reach (and passes) leaves no trace for the second
mkdir -p "$tmp/iso/rules"
cp tests/hostile/session_tamper.lua "$tmp/iso/rules/session_tamper.lua"
sed 's/rule: RULE/rule: session_tamper/' tests/hostile/session_tamper.yaml >"$tmp/iso/all.yaml"
sed '/^  - id: hostile$/,/^    params: {mode: check}$/d' "$tmp/iso/all.yaml" >"$tmp/iso/a.yaml"
sed -e '/^  - id: tamper$/,/^    params: {mode: tamper}$/d' -e 's/^  id: \(.*\)$/  id: \1-b/' \
    "$tmp/iso/all.yaml" >"$tmp/iso/b.yaml"
for jobs in 1 2; do
    "$MAAL" --lang en check "$tmp/iso/a.yaml" "$tmp/iso/b.yaml" --jobs "$jobs" --format json \
        >"$tmp/iso.json" 2>"$tmp/iso.err"
    rc=$?
    got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s/%s=%s" % (p["id"], r["goal"], r["verdict"]) for p in d["partnerships"]
               for r in p["results"] if r["goal"] in ("tamper", "hostile")))
print(next(r["message"] for p in d["partnerships"] for r in p["results"] if r["goal"] == "hostile"))
' "$tmp/iso.json" 2>&1)
    if [ "$rc" = 3 ] &&
        [ "$(printf '%s\n' "$got" | head -1)" = "hostile-test/tamper=pass hostile-test-b/hostile=error" ] &&
        printf '%s\n' "$got" | tail -1 | grep -q "state is not visible"; then
        ok "two partnerships, --jobs $jobs: no trace of the first file's goal in the second"
    else
        not_ok "two partnerships, --jobs $jobs: exit $rc, $got $(head -3 "$tmp/iso.err")"
    fi
done

# text from the data file never carries a terminal escape into the text report: a waiver's
# reason and who agreed, written with YAML escapes (erase the line, set the window title)
sed -e 's/reason: Politiets tal revideres/reason: "\\e[2K\\rPoliti\\e]0;pwned\\a"/' \
    -e 's/agreed_by: sekretariatet/agreed_by: "sekr\\x9b31m\\x1b[31m"/' \
    tests/e2e/data/tingbjerg-waivers.yaml >"$tmp/waivers.yaml"
if ! grep -q 'e\[2K' "$tmp/waivers.yaml"; then
    not_ok "control characters in waivers: the test data was not changed (sed)"
else
    for lang in da en; do
        "$MAAL" --lang "$lang" check "$tmp/waivers.yaml" --today 2022-06-01 >"$tmp/w.out" 2>&1
        if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/w.out"; then
            not_ok "control characters in waivers ($lang): the text report holds control bytes"
            LC_ALL=C grep -n "$(printf '[\001-\010\013-\037\177]')" "$tmp/w.out" | cat -v | head -3
        elif grep -q "$(printf '\302\233')" "$tmp/w.out"; then
            not_ok "control characters in waivers ($lang): the C1 control U+009B is in the report"
        elif ! grep -q 'Politi' "$tmp/w.out"; then
            not_ok "control characters in waivers ($lang): the waiver is not in the report"
        else
            ok "control characters in waivers ($lang): printed without them"
        fi
    done
fi

# a table's file name is data too: its escape sequence and its newline are not carried into
# the text report's "kilder" (the name was printed raw there: a colour, and a broken line)
mkdir -p "$tmp/esc-table"
printf 'Gerningstype;2020;2021\nIndbrud;23;27\n' >"$tmp/esc-table/a$(printf '\033')[31m
b.csv"
cat >"$tmp/esc-table/partnership.yaml" <<'YAML'
maal: 1
partnership: {id: p, name: P, period: {from: 2020, to: 2024}, baselines: {crime: 2020}}
tables: {t: {file: "a\e[31m\nb.csv"}}
series:
  - {id: s, name: S, kind: crime, unit: count, values: {area: {table: t, row: Indbrud}}}
goals: [{id: g, title: G, rule: at_most_baseline, params: {series: s}}]
YAML
"$MAAL" check "$tmp/esc-table/partnership.yaml" >"$tmp/t.out" 2>&1
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/t.out"; then
    not_ok "a table's file name with control characters: the text report holds control bytes"
elif ! grep -q 'kilder i .*a \[31m b.csv:2:3 s area 2021 (t: Indbrud, 2021), 2:82 baselines.crime, .*a \[31m b.csv:2:2 s area 2020' "$tmp/t.out"; then
    not_ok "a table's file name with control characters: kilder not on one line as expected"
    grep -A1 kilder "$tmp/t.out" | cat -v | head -3
else
    ok "a table's file name with control characters: kilder on one line, without them"
fi

# extreme numbers from the data reach every format and each still writes its report: the CSV
# reporter stopped at 1.0e-100 ("invalid conversion '%.114f'"), exit 2 and no report
cat >"$tmp/extreme.yaml" <<'YAML'
maal: 1
partnership: {id: extreme, name: Extreme, period: {from: 2020, to: 2022}}
series:
  - {id: tiny, name: Tiny, kind: survey, unit: percent, values: {area: {2020: 1.0e-100, 2021: 2.5e-308}}}
  - {id: huge, name: Huge, kind: other, unit: number, values: {area: {2020: 1.0e300, 2021: -1.0e300}}}
  - {id: zero, name: Zero, kind: other, unit: kr, values: {area: {2020: -0.0, 2021: 1.0e-15}}}
goals:
  - {id: tiny, title: Tiny, rule: monitor, params: {series: tiny}}
  - {id: huge, title: Huge, rule: at_least, params: {series: huge, target: 1.0e-100}}
  - {id: zero, title: Zero, rule: monitor, params: {series: zero}}
YAML
for fmt in text json junit tap markdown github html csv/csv; do
    timeout 20 "$MAAL" check "$tmp/extreme.yaml" --plugins plugins --format "$fmt" \
        >"$tmp/x.out" 2>"$tmp/x.err"
    rc=$?
    if [ "$rc" -eq 1 ] && [ -s "$tmp/x.out" ] && ! grep -qE 'Sanitizer|runtime error' "$tmp/x.err"; then
        ok "extreme numbers (1e-100, 2.5e-308, ±1e300, -0): --format $fmt writes its report"
    else
        not_ok "extreme numbers: --format $fmt: exit $rc, expected 1 (a goal fails): $(head -c 300 "$tmp/x.err")"
    fi
done

only "after every case" "$out" report.json
summary reliability
