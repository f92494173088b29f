#!/usr/bin/env bash
# Reliability: (a) valgrind on the plain build ($MAAL_PLAIN, default $B/maal) checking every
# example in --format json: no memory errors, no definite or indirect leaks, and the same exit
# code and output as without valgrind; (b) output that cannot be half-written or lost, with
# $MAAL: a previous report stays byte-identical when a run fails with invalid input (exit 2),
# -o into a read-only folder, to /dev/full, onto a full file system and into a closed pipe
# each give exit 2 and a message (never death by SIGPIPE), and no temporary file is left in
# the output folder after success or failure; (c) every run is under 'timeout' (10 s; valgrind
# RELIABILITY_VG_TIMEOUT, default 120 s), so nothing hangs. valgrind is installed when
# missing. The read-only and full-disk cases need a private mount namespace (unshare) when
# running as root; without one they pass with a note.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
: "${MAAL:=build/maal}" "${B:=build}"
: "${MAAL_PLAIN:=$B/maal}" "${RELIABILITY_VG_TIMEOUT:=120}"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC NO_COLOR=1
examples=(examples/*/partnership.yaml)
bad=tests/bad-data/syntax-unclosed-brace.yaml
previous='a previous report, not to be lost'

# run ARGS...: $MAAL under a 10 s timeout; sets rc, stdout in $tmp/out, stderr in $tmp/err
run() {
    timeout 10 "$MAAL" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# what went wrong beyond the exit code: a hang, a signal, a sanitizer report, no message
trouble() {
    if [ "$rc" -eq 124 ]; then echo "timed out after 10 s"
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
    ok "valgrind: skipped, valgrind is not installed and could not be installed"
elif [ ! -x "$MAAL_PLAIN" ]; then
    not_ok "valgrind: no plain build at '$MAAL_PLAIN' (set MAAL_PLAIN)"
else
    for f in "${examples[@]}"; do
        name=valgrind-$(basename "$(dirname "$f")")
        # a generous rule time limit: valgrind is many times slower than the rules expect
        args=(check "$f" --format json --rule-timeout 60)
        timeout 10 "$MAAL_PLAIN" "${args[@]}" >"$tmp/plain.json" 2>/dev/null
        want=$?
        timeout "$RELIABILITY_VG_TIMEOUT" valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --log-file="$tmp/vg.log" \
            "$MAAL_PLAIN" "${args[@]}" >"$tmp/vg.json" 2>/dev/null
        rc=$?
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
    timeout 10 unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" ||
        exit 125; shift; exec "$@"' sh "$ro" "$MAAL" check "${examples[0]}" --format json \
        -o "$ro/report.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
fi
if [ "$rc" -eq 125 ]; then
    ok "-o into a read-only folder: skipped, no private mount namespace (unshare -m) as root"
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

# a full file system: the temporary file cannot be written; the old report stays
# eight copies of every example, each under an id of its own (a run checks an id once)
ex8=()
for k in 1 2 3 4 5 6 7 8; do
    for f in "${examples[@]}"; do
        c=$tmp/ex8/$k-$(basename "$(dirname "$f")").yaml
        mkdir -p "$tmp/ex8"
        sed "0,/^  id: /s/^  id: \(.*\)\$/  id: \1-$k/" "$f" >"$c"
        ex8+=("$c")
    done
done
full=$tmp/full
mkdir -p "$full"
# shellcheck disable=SC2016 # expanded by the inner shell
in_ns 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 125
    printf "%s\n" "$2" >"$1/report.json"
    d=$1; p=$2; t=$3; shift 3
    timeout 10 "$@" -o "$d/report.json" >"$t/out" 2>"$t/err"
    echo $? >"$t/full.rc"
    printf "%s\n" "$p" | cmp -s - "$d/report.json" && echo kept >"$t/full.kept"
    ls -A "$d" >"$t/full.ls"' sh "$full" "$previous" "$tmp" "$MAAL" check "${ex8[@]}" --format json
ns=$?
if [ "$ns" -eq 125 ] || [ ! -f "$tmp/full.rc" ]; then
    ok "-o onto a full file system: skipped, no private mount namespace for a small tmpfs"
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

# a closed pipe: about 1 MB of JSON into 'head -c1'; SIGPIPE at its default, so only maal's
# own handling can keep it alive
sigdfl=()
env --default-signal=PIPE true 2>/dev/null && sigdfl=(env --default-signal=PIPE)
timeout 10 "${sigdfl[@]}" "$MAAL" check "${ex8[@]}" --format json 2>"$tmp/err" |
    head -c1 >/dev/null
rc=${PIPESTATUS[0]}
expect_fail "closed pipe (json)" "'-'"
timeout 10 "${sigdfl[@]}" "$MAAL" check "${ex8[@]}" 2>"$tmp/err" | head -c1 >/dev/null
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

only "after every case" "$out" report.json
summary reliability
