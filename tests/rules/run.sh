#!/usr/bin/env bash
# The standard rules' own tests: 'maal test rules' runs every rules/NAME_test.yaml (edge cases
# of each rule, each expectation worked out by hand against docs/rules.md and the rule's
# comment block), and its closing 'N passed, N failed' line is this suite's count. A failing
# case, or a test file maal cannot read (exit 2), fails the suite.
#
# Then what 'maal test' cannot check: the 'significance' of annual_decrease/annual_increase
# (a two-proportion z-test from sample sizes, or the data's statement), from
# 'maal check --format json' on tests/rules/annual.yaml against tests/rules/annual.expect,
# and that 'maal rules' lists each standard rule once and never a *_test.yaml file.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC MAAL_RULES_DIR="$PWD/rules"
unset MAAL_PATH MAAL_LANG

# ---- maal test rules ---------------------------------------------------------------------------
"$MAAL" test rules >"$tmp/out" 2>"$tmp/err"
rc=$?
grep -v '^ok - ' "$tmp/out" | sed '$s/^/maal test rules: /'
cat "$tmp/err"
last=$(tail -1 "$tmp/out")
p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
    echo "maal test rules: no closing 'N passed, N failed' line (exit code $rc)"
    p=0 f=1
elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "maal test rules: exit code $rc with no failed case"
    f=1
fi
npass=$((npass + p))
nfail=$((nfail + f))
# every standard rule has its test file (a missing one fails; one that is there is not a case)
for r in rules/*.lua; do
    n=$(basename "$r" .lua)
    case "$n" in *_test) continue ;; esac
    [ -f "rules/${n}_test.yaml" ] || not_ok "rules/$n.lua has no rules/${n}_test.yaml"
done

# ---- significance of annual_decrease/annual_increase --------------------------------------------
while IFS=$'\t' read -r year lang goal verdict sig; do
    case "$year" in '#'* | '') continue ;; esac
    "$MAAL" check tests/rules/annual.yaml --year "$year" --lang "$lang" --goal "$goal" --format json \
        >"$tmp/json" 2>"$tmp/err"
    got=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["partnerships"][0]["results"][0]
print(r["verdict"] + "\t" + (r["significance"] or ""))' "$tmp/json" 2>&1)
    if [ "$got" = "$verdict"$'\t'"$sig" ]; then
        ok "annual significance $goal $year $lang"
    else
        not_ok "annual significance $goal $year $lang"
        echo "  expected: $verdict	$sig"
        echo "  actual:   $got"
        head -3 "$tmp/err"
    fi
done <tests/rules/annual.expect

# ---- maal rules lists the standard rules, not their tests ----------------------------------------
"$MAAL" rules >"$tmp/rules" 2>&1
if grep -q '_test' "$tmp/rules"; then not_ok "maal rules lists a test file"; grep '_test' "$tmp/rules"; else ok "maal rules lists no test file"; fi
for r in rules/*.lua; do
    n=$(basename "$r" .lua)
    c=$(grep -c "^$n  *standard " "$tmp/rules")
    if [ "$c" -eq 1 ]; then ok "maal rules lists $n once"; else not_ok "maal rules lists $n $c times"; fi
done

# ---- maal rules says what is wrong with a rule file (its first problem, as Lua located it) --------
mkdir "$tmp/broken"
printf 'return {\n  title = "x"\n  evaluate = 1\n}\n' >"$tmp/broken/syn.lua"
printf 'return { title = "T" }\n' >"$tmp/broken/noev.lua"
"$MAAL" rules --rules "$tmp/broken" >"$tmp/list" 2>&1
for n in syn noev; do
    if grep -q "^$n  *--rules .*  \[fejl\]\$" "$tmp/list"; then ok "maal rules marks $n broken"
    else not_ok "maal rules does not mark $n broken"; cat "$tmp/list"; fi
done
"$MAAL" rules syn --rules "$tmp/broken" >"$tmp/one" 2>&1
want="problem: $tmp/broken/syn.lua:3: '}' expected (to close '{' at line 1) near 'evaluate'"
if grep -qxF "$want" "$tmp/one"; then ok "maal rules syn names the line"
else not_ok "maal rules syn: expected '$want'"; cat "$tmp/one"; fi
"$MAAL" --lang en rules noev --rules "$tmp/broken" >"$tmp/one" 2>&1
if grep -qxF "problem: lacks 'evaluate'" "$tmp/one"; then ok "maal rules noev: lacks 'evaluate'"
else not_ok "maal rules noev: expected \"problem: lacks 'evaluate'\""; cat "$tmp/one"; fi
summary rules
