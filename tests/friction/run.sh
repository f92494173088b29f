#!/usr/bin/env bash
# Issue 16: every place where a new user (the secretariat, a rule author, a CI maintainer) got
# stuck, misled or surprised. One check (or a few) per item; each failed on the code before
# the fix. Messages are matched by their meaningful part, not byte for byte.
# shellcheck source=tests/lib.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}"
root=$PWD
maal=$(cd "$(dirname "$MAAL")" && pwd)/$(basename "$MAAL")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1
unset MAAL_LANG MAAL_PATH MAAL_PLUGIN_PATH GITHUB_ACTIONS GITHUB_STEP_SUMMARY
tb=$root/tests/e2e/data/tingbjerg-yaml.yaml # every figure in YAML
tb17=$root/examples/tingbjerg-husum-2017-2020/partnership.yaml

# run ARGS...: maal's stdout in $tmp/out, stderr in $tmp/err, exit code in $rc
run() { "$maal" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
# expect NAME RC PATTERN FILE: ok when the exit code is RC and FILE matches PATTERN (grep -E)
expect() {
    if [ "$rc" = "$2" ] && grep -qE -- "$3" "$4"; then ok "$1"; else
        not_ok "$1 (exit $rc, expected $2; /$3/ in $(basename "$4"))"
        head -5 "$tmp/out" "$tmp/err"
    fi
}
# lacks NAME PATTERN FILE: ok when FILE does not match PATTERN
lacks() {
    if grep -qE -- "$2" "$3"; then not_ok "$1"; grep -E -- "$2" "$3" | head -3; else ok "$1"; fi
}

## ---- the secretariat ----

# a Danish decimal comma in a flow map
sed 's/area: {2020: 24.8, 2021: 18.7}/area: {2020: 24.8, 2021: 18,7}/' "$tb" >"$tmp/comma.yaml"
run validate "$tmp/comma.yaml"
expect "decimal comma: named, with the fix" 2 ':71:32: fejl: 18,7 .*brug punktum som decimaltegn \(18\.7\)' "$tmp/err"
lacks "decimal comma: no 'year 7'" "er 7, forventede" "$tmp/err"

# -o FILE takes its format from the extension; --format wins; unknown stays text
( cd "$tmp" && "$maal" check "$tb" --year 2022 -o status.html -o status.md -o status.json \
    -o status.xml -o status.tap -o status.txt >/dev/null 2>&1 )
if head -c 15 "$tmp/status.html" | grep -q '<!DOCTYPE html>' && grep -q '^## ' "$tmp/status.md" &&
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/status.json" &&
    grep -q '<testsuites' "$tmp/status.xml" && head -1 "$tmp/status.tap" | grep -q '^TAP version' &&
    head -1 "$tmp/status.txt" | grep -q '^Tingbjerg'; then ok "-o: format from the extension"
else not_ok "-o: format from the extension"; fi
( cd "$tmp" && "$maal" check "$tb" --year 2022 --format text -o forced.html >/dev/null 2>&1 )
if head -1 "$tmp/forced.html" | grep -q '^Tingbjerg'; then ok "-o: --format wins over the extension"
else not_ok "-o: --format wins over the extension"; fi

# libyaml's errors in the report language, with the place, for tabs after non-ASCII text
sed 's/^      area: {2020: 24.8, 2021: 18.7}/\t  area: {2020: 24.8, 2021: 18.7}/' "$tb" >"$tmp/tab.yaml"
run validate "$tmp/tab.yaml"
expect "tab in the indentation (after æøå): Danish" 2 ':71:1: fejl: YAML-syntaksfejl: tabulator i indrykningen' "$tmp/err"
printf 'maal: 1\npartnership:\n  id: "a\\q"\n' >"$tmp/esc.yaml"
run validate "$tmp/esc.yaml"
expect "unknown escape: Danish" 2 ':3:9: fejl: YAML-syntaksfejl: ukendt escape-tegn' "$tmp/err"
printf 'maal: 1\nname: "x\001"\n' >"$tmp/ctl.yaml"
run validate "$tmp/ctl.yaml"
expect "control characters: Danish" 2 'fejl: YAML-syntaksfejl: kontroltegn' "$tmp/err"
printf '%%YAML 1.1\n%%YAML 1.1\n---\nmaal: 1\n' >"$tmp/other.yaml"
run validate "$tmp/other.yaml"
expect "any other libyaml problem: Danish, with the common causes" 2 'fejl: YAML-syntaksfejl: .*tabulator i indrykningen, et anførselstegn eller en parentes' "$tmp/err"
lacks "no English libyaml text in a Danish message" 'found|duplicate|directive' "$tmp/err"
run validate "$tmp/other.yaml" --lang en
expect "--lang en: libyaml's text" 2 'error: YAML syntax error' "$tmp/err"

# English in Danish messages: strerror texts
run check "$tb" -o "$tmp/no/such/dir/x.txt"
expect "strerror in Danish" 2 "kan ikke skrive '.*': filen eller mappen findes ikke" "$tmp/err"
run check "$tb" -o "$tmp/no/such/dir/x.txt" --lang en
expect "strerror in English with --lang en" 2 "cannot write '.*': No such file or directory" "$tmp/err"
mkdir -p "$tmp/exists/rules" && touch "$tmp/exists/rules/x.lua"
run new rule x --dir "$tmp/exists/rules"
expect "'File exists' in Danish" 2 "kan ikke oprette .*: filen findes allerede" "$tmp/err"

# unknown names: an error with the nearest known one
run check "$tb" --goal indbrud --goal nosuch
expect "--goal nosuch is an error" 2 "intet mål hedder 'nosuch'" "$tmp/err"
run check "$tb" --goal indbrudd
expect "--goal indbrudd: did you mean" 2 "intet mål hedder 'indbrudd' \(mente du 'indbrud'\?\)" "$tmp/err"
run chek "$tb"
expect "maal chek: did you mean" 2 "ukendt kommando 'chek' \(mente du 'check'\?\)" "$tmp/err"
run check --formt json "$tb"
expect "--formt: did you mean" 2 "ukendt tilvalg '--formt' \(mente du '--format'\?\)" "$tmp/err"

# scope names in Danish messages (fixed before this suite; kept as a guard)
run check "$tb" --year 2022 --goal utrygge-koebenhavnniveau
expect "scope names in Danish: hele byen, not city" 0 "mangler værdier for hele byen 2021" "$tmp/out"
lacks "no 'city' in the Danish message" "værdier for city" "$tmp/out"
# the header's data year covers every verdict shown (a guard too)
run check "$tb17"
expect "header: data til og med 2020 on 2017-2020" 0 "data til og med 2020$" "$tmp/out"

# --year outside the period: a note
run check "$tb17" --year 2021
expect "--year after the period: a note" 0 "bemærk: --year 2021 ligger uden for partnerskabets periode 2017-2020" "$tmp/err"
run check "$tb17"
lacks "no note without --year" "bemærk" "$tmp/err"
# a Danish guide to the data format, whose example is valid
if [ -f docs/data-format.da.md ]; then
    awk '/^```yaml$/{f=1;next} /^```$/{if(f)exit} f' docs/data-format.da.md >"$tmp/da-guide.yaml"
    run validate "$tmp/da-guide.yaml"
    expect "docs/data-format.da.md: its example validates" 0 '^ok ' "$tmp/out"
    if grep -q 'brug punktum som decimaltegn' docs/data-format.da.md &&
        grep -q 'Et nyt års tal' docs/data-format.da.md; then ok "docs/data-format.da.md: mistakes, new year"
    else not_ok "docs/data-format.da.md: mistakes, new year"; fi
else
    not_ok "docs/data-format.da.md exists"
fi

## ---- the rule author ----

# ruledir NAME: a partnership folder $tmp/NAME with one series and rules/
ruledir() {
    mkdir -p "$tmp/$1/rules"
    cat >"$tmp/$1/partnership.yaml" <<'YAML'
maal: 1
partnership: {id: t, name: T, period: {from: 2021, to: 2024}}
series:
  - {id: s, name: Serie, kind: other, unit: percent, values: {area: {2021: 10, 2022: 12}}}
goals:
  - {id: g, group: andet, title: G, rule: r}
YAML
}
# rule NAME LUA: rules/r.lua of $tmp/NAME
rule() { printf '%s\n' "$2" >"$tmp/$1/rules/r.lua"; }

ruledir min
rule min 'return { evaluate = function(ctx, p) return { verdict = "pass", actual = 42, target = 40, op = ">=" } end }'
run check "$tmp/min"
expect "the smallest rule: no 'message' needed" 0 '✓ opfyldt +g .*42' "$tmp/out"
expect "the smallest rule: maal writes the message" 0 '→ 42; målet er mindst 40' "$tmp/out"
run check "$tmp/min" --lang en
expect "the written message in English" 0 '→ 42; the target is at least 40' "$tmp/out"

ruledir unit
rule unit 'return { evaluate = function() return { verdict = "pass", actual = 5, unit = "procent", message = "m" } end }'
run check "$tmp/unit"
expect "an unknown unit is an error naming the allowed ones" 3 "resultatets 'unit' er 'procent' \(mente du 'percent'\?\), forventede en af count, per_1000, percent, pp" "$tmp/out"
rule unit 'return { evaluate = function() return { verdict = "pass", actual = 5, op = "=>", message = "m" } end }'
run check "$tmp/unit"
expect "an unknown op is an error naming the allowed ones" 3 "resultatets 'op' er '=>'.*forventede en af <=, <, >=, >, ==" "$tmp/out"
rule unit 'return { evaluate = function() return maal.info({ message = maal.with_unit(5, "foo") }) end }'
run check "$tmp/unit"
expect "maal.with_unit with an unknown unit is an error" 3 "ukendt enhed 'foo', forventede en af" "$tmp/out"

ruledir pp
rule pp 'return { evaluate = function(ctx) return maal.info({ message = maal.with_unit(5, "pp") .. " / " .. maal.scope_name("city"), change = 5, unit = "pp", actual = 5 }) end }'
run check "$tmp/pp"
expect "pp: pct.-point; scope_name: hele byen" 0 '→ 5 pct.-point / hele byen' "$tmp/out"
expect "pp in the report's columns" 0 '\+5 pct.-point' "$tmp/out"
run check "$tmp/pp" --lang en
expect "pp in English: percentage points, the city" 0 '→ 5 percentage points / the city' "$tmp/out"

ruledir prt
rule prt 'return { evaluate = function() print("a"); print("b"); return maal.info({ message = "m" }) end }'
run check "$tmp/prt" -v
expect "print: each line its own" 0 '^ +log: a$' "$tmp/out"
expect "print: the second line kept" 0 '^ +b$' "$tmp/out"
run check "$tmp/prt" --format json
expect "print in JSON: the line break kept" 0 '"log": "a\\nb"' "$tmp/out"

ruledir dot
rule dot 'return { evaluate = function(ctx) local s = ctx.series("s"); return maal.info({ message = tostring(s.value(2022)) }) end }'
run check "$tmp/dot" -v
expect "s.value(2022): use s:value" 3 "value kaldt med '.', forventede ':' \(brug serie:value\(2022\)" "$tmp/out"
lacks "tracebacks: no prelude frames" "maal:[0-9]+: (in|i) " "$tmp/out"
expect "tracebacks: one frame a line, the rule's own" 3 '^ +[	 ].*rules/r.lua:1: i funktionen' "$tmp/out"
rule dot 'return { evaluate = function() local x; return x.y end }'
run check "$tmp/dot" -v
expect "Lua's runtime errors in Danish" 3 "kan ikke slå op i en nil-værdi \(den lokale variabel 'x'\)" "$tmp/out"
expect "the traceback's words in Danish" 3 "^ +kaldstak:$" "$tmp/out"
run check "$tmp/dot" -v --lang en
expect "Lua's runtime errors in English with --lang en" 3 "attempt to index a nil value \(local 'x'\)" "$tmp/out"

# maal test
mkdir -p "$tmp/mt" && ( cd "$tmp/mt" && "$maal" new rule foo >/dev/null )
sed -i 's/    year: 2021/    yaer: 2021/' "$tmp/mt/rules/foo_test.yaml"
run test "$tmp/mt/rules"
expect "maal test: an unknown case key named, at the key, with did you mean" 1 "foo_test.yaml:19:5: ukendt nøgle i tilfældet 'yaer' \(mente du 'year'\?\)" "$tmp/out"
# a case's language with a typo fails at the value (it ran in Danish, and passed, before)
sed -i 's/^    yaer: 2021$/    year: 2021\n    lang: engelsk/' "$tmp/mt/rules/foo_test.yaml"
run test "$tmp/mt/rules"
expect "maal test: an unknown 'lang' in a case fails, at the value" 1 "foo_test.yaml:20:11: ukendt sprog i tilfældet 'engelsk', forventede en af da, en" "$tmp/out"
sed -i 's/^    lang: engelsk$/    lang: en\n    message: in 2021/' "$tmp/mt/rules/foo_test.yaml"
run test "$tmp/mt/rules"
expect "maal test: 'lang: en' runs the case in English" 0 "^ok - foo_test.yaml: 35 frivillige i 2021" "$tmp/out"
sed -i -e '/^    lang: en$/d' -e '/^    message: in 2021$/d' -e 's/^    year: 2021$/    yaer: 2021/' "$tmp/mt/rules/foo_test.yaml"
mkdir -p "$tmp/mt/other" && cp "$tmp/mt/rules/foo_test.yaml" "$tmp/mt/other/"
run test "$tmp/mt/other"
expect "maal test: a rule not next to its test is a broken test file (exit 2)" 2 "reglen 'foo' findes ikke ved siden af testfilen, forventede .*other/foo.lua" "$tmp/err"
cp "$tmp/mt/rules/foo.lua" "$tmp/mt/other/" && sed -i 's/target: 40}/targt: 40}/' "$tmp/mt/other/foo_test.yaml"
run test "$tmp/mt/other"
expect "maal test: a parameter error at the parameter, for the case" 1 "foo_test.yaml:13:51: 45 frivillige i 2022 er mindst 40: " "$tmp/out"
expect "maal test: the parameter named" 1 "^ +ukendt parameter 'targt' \\(mente du 'target'" "$tmp/out"
lacks "maal test: no goal 'test'" "målet 'test'" "$tmp/out"
mkdir -p "$tmp/mt/empty"
( cd "$tmp/mt/empty" && "$maal" test >"$tmp/out" 2>"$tmp/err" ); rc=$?
expect "maal test without rules/: says so" 2 "ingen mappe 'rules' her" "$tmp/err"
lacks "maal test without rules/: no '0 passed, 0 failed'" "0 passed" "$tmp/out"
# a test file without cases: one located line, as every other error
printf 'rule: x\nfoo: 1\n' >"$tmp/mt/empty/nocases_test.yaml"
run test "$tmp/mt/empty/nocases_test.yaml"
expect "maal test: a file without cases says so, at the file" 2 "^$tmp/mt/empty/nocases_test.yaml: fejl: forventede en tabel med 'cases' \\(en liste\\)$" "$tmp/err"
# an unknown key is printed as every other line is: cleaned for the terminal, no raw ESC
cp "$tmp/mt/rules/foo.lua" "$tmp/mt/empty/"
printf 'rule: foo\ncases:\n  - {name: x, "bad\\e[2Jkey": 1}\n' >"$tmp/mt/empty/esc_test.yaml"
run test "$tmp/mt/empty/esc_test.yaml"
expect "maal test: an unknown key with a control character, named" 1 "esc_test.yaml:3:15: ukendt nøgle i tilfældet 'bad \\[2Jkey'" "$tmp/out"
lacks "maal test: no raw escape character on the terminal" $'\e' "$tmp/out"

# maal new rule --kind
for k in series activity budget; do
    mkdir -p "$tmp/nk" && ( cd "$tmp/nk" && "$maal" new rule "r_$k" --kind "$k" >/dev/null 2>&1 )
    run test "$tmp/nk/rules/r_${k}_test.yaml"
    expect "new rule --kind $k: its skeleton's tests pass" 0 "^3 passed, 0 failed" "$tmp/out"
done
if ! cmp -s "$tmp/nk/rules/r_series.lua" "$tmp/nk/rules/r_budget.lua" && grep -q 'ctx.series' "$tmp/nk/rules/r_series.lua" &&
    grep -q 'ctx.budget' "$tmp/nk/rules/r_budget.lua"; then ok "new rule --kind: a skeleton for each kind"
else not_ok "new rule --kind: a skeleton for each kind"; fi

# a syntax error in a rule: the same exit code for validate and check
ruledir syn
rule syn 'return { evaluate = function( end }'
run validate "$tmp/syn"; vrc=$rc
run check "$tmp/syn"
if [ "$vrc" = 3 ] && [ "$rc" = 3 ]; then ok "a rule's syntax error: exit 3 for validate and check"
else not_ok "a rule's syntax error: exit 3 for validate and check (validate $vrc, check $rc)"; fi

# status per year: a rule that counts the activities running as planned in each year
mkdir -p "$tmp/st/rules"
cat >"$tmp/st/partnership.yaml" <<'YAML'
maal: 1
partnership: {id: t, name: T, period: {from: 2021, to: 2024}}
activities:
  - id: a1
    name: A1
    responsible: [SSP]
    status:
      - {year: 2021, as_planned: no}
      - {year: 2022, as_planned: yes}
  - id: a2
    name: A2
    responsible: [SSP]
    status:
      - {year: 2021, as_planned: partly}
      - {year: 2022, as_planned: yes}
goals:
  - {id: g, group: aktiviteter, title: Flere kører som planlagt hvert år, rule: r}
  - {id: std, group: aktiviteter, title: Midtvejsstatus 2021, rule: activities_on_track, params: {year: 2021}}
YAML
cat >"$tmp/st/rules/r.lua" <<'LUA'
return { evaluate = function(ctx)
  local function n(y)
    local k = 0
    for _, a in ipairs(ctx.activities()) do
      local st = a:status_for(y)
      if st and st.as_planned == "yes" then k = k + 1 end
    end
    return k
  end
  local a, b = n(ctx.year - 1), n(ctx.year)
  return maal.verdict(b > a, { actual = b, baseline = a, baseline_year = ctx.year - 1, op = ">", year = ctx.year })
end }
LUA
run check "$tmp/st" --year 2022
expect "status per year: a rule reads each year's status" 0 '→ 2 i 2022; mod 0 i 2021; målet er over 2021-niveau' "$tmp/out"
expect "status per year: activities_on_track reads the year asked for" 0 '2 af 2 aktiviteter kører ikke fuldt som planlagt' "$tmp/out"
printf 'maal: 1\npartnership: {id: t, name: T, period: {from: 2021, to: 2024}}\nactivities:\n  - {id: a1, name: A, responsible: [S], status: [{year: 2021, as_planned: no}, {year: 2021, as_planned: yes}]}\ngoals:\n  - {id: g, title: G, rule: monitor, params: {series: x}}\n' >"$tmp/st2.yaml"
run validate "$tmp/st2.yaml"
expect "status per year: two for one year is an error" 2 'to statusser for 2021' "$tmp/err"

# require between rule files of one folder: sandboxed, no paths, no way out
ruledir rq
printf 'local H = {}\nfunction H.twice(x) return 2 * x end\nreturn H\n' >"$tmp/rq/rules/helpers.lua"
rule rq 'local h = require("helpers"); return { evaluate = function() return maal.info({ message = "x" .. h.twice(21) .. tostring(require("helpers") == h) }) end }'
run check "$tmp/rq"
expect "require: a helper file from the rule's folder, cached" 0 '→ x42true' "$tmp/out"
rule rq 'return { evaluate = function() return maal.info({ message = tostring(require("../partnership")) }) end }'
run check "$tmp/rq"
expect "require: no paths" 3 "require: '../partnership' er ikke et modulnavn" "$tmp/out"
ln -s /etc "$tmp/rq/rules/out.lua" 2>/dev/null; ln -s "$root/rules/monitor.lua" "$tmp/rq/rules/mon.lua"
rule rq 'return { evaluate = function() return maal.info({ message = tostring(require("mon")) }) end }'
run check "$tmp/rq"
expect "require: no symlink out of the folder" 3 "require: intet modul 'mon'" "$tmp/out"
rule rq 'return { evaluate = function() return maal.info({ message = tostring(require("io")) }) end }'
run check "$tmp/rq"
expect "require: never a library" 3 "require: intet modul 'io'" "$tmp/out"
printf 'return require("cyc")\n' >"$tmp/rq/rules/cyc.lua"
rule rq 'return { evaluate = function() return maal.info({ message = tostring(require("cyc")) }) end }'
run check "$tmp/rq"
expect "require: a cycle is an error" 3 "require: 'cyc' kræver sig selv" "$tmp/out"

# editor support: LuaLS definitions, and the set-up init and new rule write
defs=editor/maal.d.lua
if head -1 "$defs" | grep -q '^---@meta'; then ok "editor/maal.d.lua is a LuaLS definitions file"
else not_ok "editor/maal.d.lua is a LuaLS definitions file"; fi
if command -v lua-language-server >/dev/null 2>&1; then
    mkdir -p "$tmp/ls" && cp "$defs" "$tmp/ls/"
    if lua-language-server --check "$tmp/ls" >"$tmp/ls.out" 2>&1; then ok "lua-language-server --check"
    else not_ok "lua-language-server --check"; tail -5 "$tmp/ls.out"; fi
elif command -v luac5.4 >/dev/null 2>&1; then
    if luac5.4 -p "$defs"; then ok "luac -p editor/maal.d.lua"; else not_ok "luac -p editor/maal.d.lua"; fi
else # no luac: the same check (parse only) with the Lua library maal builds against
    printf '#include <lauxlib.h>\n#include <stdio.h>\nint main(int c, char **v) { (void)c; lua_State *L = luaL_newstate();\nint rc = luaL_loadfilex(L, v[1], "t"); if (rc) fprintf(stderr, "%%s\\n", lua_tostring(L, -1)); return rc; }\n' >"$tmp/luacp.c"
    # shellcheck disable=SC2046
    if cc -o "$tmp/luacp" "$tmp/luacp.c" $(pkg-config --cflags --libs lua5.4) && "$tmp/luacp" "$defs"; then
        ok "editor/maal.d.lua parses as Lua 5.4 (luac -p)"
    else not_ok "editor/maal.d.lua parses as Lua 5.4 (luac -p)"; fi
fi
missing=""
for f in $(sed -n 's/^function maal\.\([a-z_]*\).*/\1/p' core/prelude/*.lua); do
    grep -q "^function maal\.$f(" "$defs" || missing="$missing $f"
done
for f in $(sed -n 's/^function std\.\([a-z_]*\).*/\1/p' core/prelude/std.lua); do
    grep -q "^function maal\.std\.$f(" "$defs" || missing="$missing std.$f"
done
for f in $(sed -n 's/^  function ctx\.\([a-z_]*\).*/\1/p' core/prelude/*.lua); do
    grep -q "^function Ctx\.$f(" "$defs" || missing="$missing ctx.$f"
done
if [ -z "$missing" ]; then ok "editor/maal.d.lua: every maal.*, maal.std.* and ctx.* function"
else not_ok "editor/maal.d.lua lacks:$missing"; fi
( cd "$tmp" && "$maal" init ed >/dev/null 2>&1 )
lib=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["workspace.library"][0])' "$tmp/ed/.luarc.json" 2>/dev/null)
schema=$(python3 -c 'import json,sys; print(list(json.load(open(sys.argv[1]))["yaml.schemas"])[0])' "$tmp/ed/.vscode/settings.json" 2>/dev/null)
if [ -n "$lib" ] && [ -f "$lib/maal.d.lua" ] && [ -n "$schema" ] && [ -f "$schema" ]; then
    ok "maal init: the editor's set-up points at maal.d.lua and the schema"
else not_ok "maal init: the editor's set-up points at maal.d.lua and the schema ($lib, $schema)"; fi
mkdir -p "$tmp/ed2" && ( cd "$tmp/ed2" && "$maal" new rule x >/dev/null 2>&1 )
if [ -f "$tmp/ed2/.luarc.json" ] && [ -f "$tmp/ed2/.vscode/settings.json" ]; then ok "maal new rule: writes the editor's set-up"
else not_ok "maal new rule: writes the editor's set-up"; fi

## ---- the CI maintainer ----

# the recipes pin a maal commit that exists here
for f in examples/ci/.github/workflows/maal.yml examples/ci/.gitlab-ci.yml; do
    ref=$(sed -n 's/^ *MAAL_REF: *\([^ ]*\).*/\1/p' "$f")
    if [ -n "$ref" ] && git rev-parse -q --verify "$ref^{commit}" >/dev/null 2>&1; then ok "$f: MAAL_REF $ref exists"
    elif [ -n "$ref" ] && { ! git rev-parse --git-dir >/dev/null 2>&1 ||
        [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; }; then
        skip "$f: MAAL_REF: no full history here to check it against"
    else not_ok "$f: MAAL_REF '$ref' is no commit of this repository"; fi
done
# the build stops at the first error, with one clear message
mkdir -p "$tmp/cib/data" && cp examples/amager-2017/partnership.yaml "$tmp/cib/data/a.yaml"
( cd "$tmp/cib" && env -u MAAL MAAL_GIT_URL="file://$root" MAAL_REF=no-such-ref bash "$root/examples/ci/scripts/maal-ci.sh" >"$tmp/out" 2>"$tmp/err" ); rc=$?
expect "maal-ci.sh: a MAAL_REF that does not exist: one clear error" 2 "error: MAAL_REF 'no-such-ref' cannot be fetched" "$tmp/err"
if [ "$(grep -c . "$tmp/err")" -le 2 ] && ! grep -q 'make\|No such file\|checkout' "$tmp/err"; then ok "maal-ci.sh: no cascade after the first error"
else not_ok "maal-ci.sh: no cascade after the first error"; cat "$tmp/err"; fi

# invalid data in a GitHub run: annotations
run validate "$tmp/comma.yaml" --format github
expect "validate --format github: ::error at the line" 2 "^::error file=.*comma.yaml,line=71,col=32,title=maal%3A ugyldige data::18,7" "$tmp/out"
run check "$tmp/comma.yaml" --format github
expect "check --format github with invalid data: ::error at the line" 2 "^::error file=.*comma.yaml,line=71,col=32," "$tmp/out"
printf 'maal: 1\npartnership:\n  id: x\n  name: X\n  period: {from: 2020, to: 2022}\ngoals: []\n' >"$tmp/nogoals.yaml"
run check "$tmp/nogoals.yaml" --format github
expect "check --format github, a file without goals: an ::error for it too" 2 "^::error file=.*nogoals.yaml,title=maal%3A ugyldige data::filen har ingen mål" "$tmp/out"
run validate "$tmp/comma.yaml" --format json
expect "validate refuses a format it cannot write" 2 "validate kender --format text og github" "$tmp/err"

# maal diff: -o and --format honoured, the rest refused
old=tests/e2e/data/old.json new=tests/e2e/data/new.json
run diff "$old" "$new" --format json
if [ "$rc" = 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["regressions"] == 1 and len(d["changes"]) == 5' "$tmp/out"; then
    ok "diff --format json"; else not_ok "diff --format json"; fi
run diff "$old" "$new" --format markdown
expect "diff --format markdown: an 'Ændringer' section" 1 "^## Ændringer" "$tmp/out"
run diff "$old" "$new" --format github
expect "diff --format github: a regression is an error, at the new number's source" 1 "^::error file=tryghed.csv,line=2,col=5,title=maal diff::p/a: opfyldt → ikke opfyldt, 24,5 %25 → 26,25 %25; kilde: tryghed.csv:2:5 " "$tmp/out"
run diff "$old" "$new" -o "$tmp/diff.txt"
if [ "$rc" = 1 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/diff.txt" tests/e2e/diff.out; then ok "diff -o FILE"
else not_ok "diff -o FILE"; fi
for opt in "--goal a" "--year 2021" "--fail-on fail" "--compare $old" "--jobs 2"; do
    # shellcheck disable=SC2086
    run diff "$old" "$new" $opt
    expect "diff refuses $opt" 2 "bruges ikke af 'maal diff'|kender kun --fail-on regression" "$tmp/err"
done
run validate "$tb" --goal indbrud
expect "an option a command does not use is refused (validate --goal)" 2 "tilvalget '--goal' bruges ikke af 'maal validate'" "$tmp/err"

# --compare in a pull request: only what changed is an error; older failures are notices
cmpargs=(check tests/e2e/data/tingbjerg-revised.yaml --year 2022 --compare tests/e2e/tingbjerg-2022-json.out --format github)
run "${cmpargs[@]}"
if [ "$(grep -c '^::error' "$tmp/out")" = 1 ] && grep -q '^::error .*tyveri-roeveri' "$tmp/out" &&
    grep -q '^::notice .*utrygge-fald' "$tmp/out"; then ok "--compare: the regression is the one error, older failures notices"
else not_ok "--compare: the regression is the one error, older failures notices"; grep '^::' "$tmp/out"; fi
run "${cmpargs[@]}" --annotate only-changed
lacks "--annotate only-changed: older failures not annotated" "utrygge-fald" "$tmp/out"
run "${cmpargs[@]}" --annotate all
expect "--annotate all: every failure an error" 1 "^::error .*utrygge-fald" "$tmp/out"

# maal-ci.sh in a GitHub run: invalid data is annotated and in the job summary; with a
# previous result the summary starts with what changed
mkdir -p "$tmp/gh1/data" && cp "$tmp/comma.yaml" "$tmp/gh1/data/a.yaml"
( cd "$tmp/gh1" && MAAL="$maal" GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$tmp/gh1/summary.md" \
    bash "$root/examples/ci/scripts/maal-ci.sh" >"$tmp/out" 2>"$tmp/err" ); rc=$?
expect "maal-ci.sh, invalid data: an ::error annotation" 2 "^::error file=data/a.yaml,line=71,col=32" "$tmp/out"
expect "maal-ci.sh, invalid data: a line in the job summary" 2 "data/a.yaml:71:32: fejl: 18,7" "$tmp/gh1/summary.md"
mkdir -p "$tmp/gh2/data" "$tmp/gh2/reports" && cp tests/e2e/data/tingbjerg-revised.yaml "$tmp/gh2/data/t.yaml"
cp tests/e2e/tingbjerg-2022-json.out "$tmp/gh2/reports/previous.json"
( cd "$tmp/gh2" && MAAL="$maal" GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$tmp/gh2/summary.md" MAAL_FAIL_ON=regression \
    bash "$root/examples/ci/scripts/maal-ci.sh" --year 2022 >"$tmp/out" 2>"$tmp/err" ); rc=$?
if [ "$(head -1 "$tmp/gh2/summary.md")" = "## Ændringer" ]; then ok "maal-ci.sh: 'Ændringer' at the top of the job summary"
else not_ok "maal-ci.sh: 'Ændringer' at the top of the job summary"; head -3 "$tmp/gh2/summary.md"; fi
if [ "$(grep -c '^::error' "$tmp/out")" = 1 ]; then ok "maal-ci.sh on a pull request: one ::error, the regression"
else not_ok "maal-ci.sh on a pull request: one ::error, the regression"; grep '^::error' "$tmp/out" | head; fi

# issue 19: a rule that hides a standard one is said once per run, not once per data file
# (1000 files said it 1000 times: 10 000 lines on stderr); --jobs 2 too
mkdir -p "$tmp/shadow/rules"
cp rules/*.lua "$tmp/shadow/rules/"
cp "$tb" "$tmp/shadow/a.yaml"
cp "$tb" "$tmp/shadow/b.yaml"
for jobs in 1 2; do
    "$maal" check --jobs "$jobs" --rules "$tmp/shadow/rules" "$tmp/shadow/a.yaml" "$tmp/shadow/b.yaml" \
        >/dev/null 2>"$tmp/err"
    n=$(grep -c "skygger for standardreglen" "$tmp/err")
    dup=$(grep "skygger for standardreglen" "$tmp/err" | sort | uniq -d | wc -l)
    if [ "$n" -gt 0 ] && [ "$dup" = 0 ]; then ok "shadowing warning once per run and rule (--jobs $jobs, $n rules)"
    else not_ok "shadowing warning once per run and rule (--jobs $jobs: $n lines, $dup repeated)"; fi
done
# ... and with the first file in order that uses the rule, however the workers shared the
# files out: standard error is the same with --jobs 1 and --jobs 2/3, run after run
sf=()
for i in 1 2 3 4 5 6 7 8; do cp "$tb" "$tmp/shadow/f$i.yaml"; sf+=("$tmp/shadow/f$i.yaml"); done
"$maal" check --jobs 1 --rules "$tmp/shadow/rules" "${sf[@]}" >/dev/null 2>"$tmp/err1"
same_err=true
for run in 1 2 3 4 5 6; do
    "$maal" check --jobs $((run % 2 + 2)) --rules "$tmp/shadow/rules" "${sf[@]}" >/dev/null 2>"$tmp/errn"
    cmp -s "$tmp/err1" "$tmp/errn" || same_err=false
done
$same_err && ok "shadowing warnings in file order whatever --jobs (6 runs)" ||
    not_ok "shadowing warnings differ between --jobs 1 and --jobs 2/3 runs"
# ... but only warnings: an error about a file two partnerships share (their CSV table) is
# said with each, also when the data it quotes reads like a warning ('x: advarsel: y')
mkdir -p "$tmp/shared"
cp examples/tingbjerg-husum-2021-2024/* "$tmp/shared/"
sed -i 's/^Tingbjerg-Husum;Utryg i nabolaget;22;16;26/Tingbjerg-Husum;Utryg i nabolaget;22;x: advarsel: y;26/' \
    "$tmp/shared/tryghed.csv"
sed 's/^  id: tingbjerg-husum-2021-2024/  id: shared-two/' "$tmp/shared/partnership.yaml" \
    >"$tmp/shared/p2.yaml"
for jobs in 1 2; do
    "$maal" check --jobs "$jobs" "$tmp/shared/partnership.yaml" "$tmp/shared/p2.yaml" >/dev/null \
        2>"$tmp/err"
    rc=$?
    n=$(grep -c "tryghed.csv:2:4: fejl: 'x: advarsel: y' er ikke et tal" "$tmp/err")
    if [ "$rc" = 2 ] && [ "$n" = 2 ]; then ok "an error in a shared CSV said with each file (--jobs $jobs)"
    else not_ok "an error in a shared CSV said $n times, expected 2 (--jobs $jobs, exit $rc)"; fi
done

# the man page has every command and option of 'maal --help' (both languages)
for l in da en; do "$maal" --help --lang "$l"; done >"$tmp/help.txt"
if python3 - "$tmp/help.txt" "${MAN_PAGE:-docs/maal.1}" <<'PY'
import re, sys
help_text = open(sys.argv[1]).read()
man = open(sys.argv[2]).read()
cmds = set()
for m in re.finditer(r"^  ((?:new rule)|[a-z]+)(?= )", help_text, re.M):
    cmds.add(m.group(1))
opts = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b", help_text))
# a command is documented when an item of the man page (.TP, then the command) starts with it
items = re.findall(r"^\.TP[^\n]*\n\.(?:B|BI|BR) \"?([a-z][a-z ]*[a-z])", man, re.M)
missing = [c for c in sorted(cmds) if not any(i == c or i.startswith(c + " ") for i in items)]
for o in sorted(opts):
    if o.replace("-", "\\-") not in man:
        missing.append(o)
if missing:
    print("missing from docs/maal.1:", " ".join(missing))
    sys.exit(1)
PY
then ok "docs/maal.1: every command and option of maal --help"
else not_ok "docs/maal.1: every command and option of maal --help"; fi

summary friction
