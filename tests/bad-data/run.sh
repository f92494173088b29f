#!/usr/bin/env bash
# Broken data files: 'maal validate NAME.yaml' must exit 2 and print every line of NAME.err
# (the expected error lines, written by hand) on standard error; none may crash or hang.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
# AS: a command prefix to run maal as another user (the unreadable case, when we are root)
AS=()
check_case() { # NAME FILE EXPECTED_ERR_FILE
    timeout 20 "${AS[@]}" "$MAAL" validate "$2" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne 2 ]; then not_ok "$1: exit code $rc, expected 2"; head -5 "$tmp/err"; return; fi
    missing=0
    while IFS= read -r line; do
        grep -qxF -- "$line" "$tmp/err" || { missing=1; echo "  expected: $line"; }
    done <"$3"
    if [ $missing -eq 0 ]; then ok "$1"; else not_ok "$1"; sed 's/^/  actual:   /' "$tmp/err" | head -10; fi
}
for f in tests/bad-data/*.yaml; do
    name=$(basename "$f" .yaml)
    check_case "$name" "$f" "tests/bad-data/$name.err"
done
# cases that cannot be a committed file
printf 'maal: 1\n' >"$tmp/unreadable.yaml"
chmod 000 "$tmp/unreadable.yaml"
echo "$tmp/unreadable.yaml: fejl: kan ikke åbne '$tmp/unreadable.yaml': adgang nægtet" >"$tmp/e1"
if [ "$(id -u)" -ne 0 ]; then
    check_case unreadable "$tmp/unreadable.yaml" "$tmp/e1"
else
    # root reads any file: run maal as 'nobody' (it must reach the binary and the folder)
    chmod 755 "$tmp"
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    if "${AS[@]}" test -x "$MAAL" 2>/dev/null && ! "${AS[@]}" test -r "$tmp/unreadable.yaml"; then
        check_case unreadable "$tmp/unreadable.yaml" "$tmp/e1"
    else
        skip "unreadable: running as root, and 'nobody' cannot run $MAAL here"
    fi
    AS=()
fi
echo "$tmp/missing.yaml: fejl: kan ikke åbne '$tmp/missing.yaml': filen eller mappen findes ikke" >"$tmp/e2"
check_case missing-file "$tmp/missing.yaml" "$tmp/e2"
mkdir "$tmp/a-directory.yaml"
echo "$tmp/a-directory.yaml: fejl: kan ikke læse '$tmp/a-directory.yaml': er en mappe uden partnership.yaml, forventede en fil" >"$tmp/e3"
check_case directory "$tmp/a-directory.yaml" "$tmp/e3"
# a 100 MB scalar, generated here: refused by the input limit, quickly
{ printf 'maal: 1\nx: "'; head -c 100000000 /dev/zero | tr '\0' 'a'; printf '"\n'; } >"$tmp/huge.yaml"
echo "$tmp/huge.yaml: fejl: filen er større end grænsen på 67.108.864 byte (se --max-input)" >"$tmp/e4"
check_case huge-scalar "$tmp/huge.yaml" "$tmp/e4"
rm -f "$tmp/huge.yaml"
# a table that is a folder: a folder, not "a folder without partnership.yaml"
mkdir -p "$tmp/dir-table/t.csv"
printf 'maal: 1\ntables: {t: {file: t.csv}}\n' >"$tmp/dir-table/p.yaml"
echo "$tmp/dir-table/p.yaml:2:20: fejl: kan ikke læse '$tmp/dir-table/t.csv': er en mappe, forventede en CSV-fil" >"$tmp/e6"
check_case table-is-a-folder "$tmp/dir-table/p.yaml" "$tmp/e6"
# twenty rows no table has, in a table of 490 000 rows with 999 labels (980 000 fields, under
# the 1 000 000 a partnership's tables may have): each names the nearest without a search
# over the labels already seen (that took over a second per binding, so this case over the
# 20 s timeout)
mkdir "$tmp/many-rows"
awk 'BEGIN { print "Type;2020"; for (i = 0; i < 490000; i++) print "r" i % 999 ";1" }' \
    >"$tmp/many-rows/t.csv"
{
    printf 'maal: 1\ntables: {t: {file: t.csv}}\nseries:\n'
    for i in $(seq 1 20); do
        printf '  - {id: s%d, name: S, kind: crime, unit: count, values: {area: {table: t, row: zz%d}}}\n' "$i" "$i"
    done
} >"$tmp/many-rows/p.yaml"
echo "$tmp/many-rows/p.yaml:23:65: fejl: rækken 'zz20' findes ikke i tabellen 't' ($tmp/many-rows/t.csv) (mente du 'r20'?); tabellen har: 'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11' og 987 flere" >"$tmp/e7"
check_case table-row-missing-in-many "$tmp/many-rows/p.yaml" "$tmp/e7"
rm -rf "$tmp/many-rows"
# twenty columns no table has, in a header of 400 000 names as long: the nearest is looked
# for among the first thousand (all 400 000 took 2 s per binding, so this case over the timeout)
mkdir "$tmp/wide-header"
awk 'BEGIN { x = sprintf("%56s", ""); gsub(/ /, "x", x); printf "År"
             for (i = 0; i < 400000; i++) printf ";%s%04d", x, i % 10000; printf "\n2021"
             for (i = 0; i < 400000; i++) printf ";1"; printf "\n" }' >"$tmp/wide-header/t.csv"
{
    printf 'maal: 1\ntables: {t: {file: t.csv}}\nseries:\n'
    y=$(printf '%56s' '' | tr ' ' y) # as long as the headers: each one's distance is measured
    for i in $(seq 10 29); do
        printf '  - {id: s%d, name: S, kind: survey, unit: percent, values: {area: {table: t, column: %s00%d}}}\n' "$i" "$y" "$i"
    done
} >"$tmp/wide-header/p.yaml"
x=$(printf '%56s' '' | tr ' ' x)
echo "$tmp/wide-header/p.yaml:23:68: fejl: kolonnen '$(printf '%56s' '' | tr ' ' y)0029' findes ikke i tabellen 't' ($tmp/wide-header/t.csv); tabellen har: 'År', '${x}0000', '${x}0001', '${x}0002', '${x}0003', '${x}0004', '${x}0005', '${x}0006', '${x}0007', '${x}0008', '${x}0009', '${x}0010' og 399989 flere" >"$tmp/e9"
check_case table-column-missing-in-wide "$tmp/wide-header/p.yaml" "$tmp/e9"
rm -rf "$tmp/wide-header"
# one 25 MB table under three names: the tables together count against the input limit as
# one file would (twenty names for a 14 MB file took 3.5 GB; a thousand, any machine's memory).
# Long labels, so that the three hold 900 000 fields, under the 1 000 000 of their own limit
mkdir "$tmp/names"
awk 'BEGIN { print "Type;2020;2021"; for (i = 0; i < 100000; i++) printf "r%0239d;23;27\n", i }' \
    >"$tmp/names/t.csv"
printf 'maal: 1\ntables:\n  a: {file: t.csv}\n  b: {file: t.csv}\n  c: {file: t.csv}\n' >"$tmp/names/p.yaml"
echo "$tmp/names/p.yaml:5:13: fejl: tabellerne er tilsammen større end grænsen på 67.108.864 byte (se --max-input), forventede mindre tabeller" >"$tmp/e8"
check_case table-named-three-times "$tmp/names/p.yaml" "$tmp/e8"
rm -rf "$tmp/names"
# a CSV table with one line longer than the input limit (a '2 GB line' cut down to size):
# refused by the same limit as YAML, before any parsing
mkdir "$tmp/huge-table"
printf 'maal: 1\ntables: {t: {file: t.csv}}\n' >"$tmp/huge-table/p.yaml" # no goals: also said
{ printf 'a;'; head -c 70000000 /dev/zero | tr '\0' '1'; printf '\n'; } >"$tmp/huge-table/t.csv"
echo "$tmp/huge-table/t.csv: fejl: filen er større end grænsen på 67.108.864 byte (se --max-input)" >"$tmp/e5"
check_case huge-table-line "$tmp/huge-table/p.yaml" "$tmp/e5"
rm -rf "$tmp/huge-table"
summary bad-data
