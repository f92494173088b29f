#!/usr/bin/env bash
# plugins: the plugins in plugins/ (sikker-by, csv, stats) and how maal treats plugins.
#  - 'maal plugins' lists the three without problems (stats only with --plugin plugins/stats);
#  - every plugin's rule tests pass ('maal test'), and stats.fisher/stats.wilson give the
#    known values (tests/plugins/stats);
#  - the goal sets sikker-by/partnerskab-2021 and -2017 give the examples' verdicts;
#  - the csv reporter writes the hand-checked files in tests/plugins/csv;
#  - a native module is loaded only with --plugin (and 'maal plugins' says why not);
#  - a plugin for another maal_api is reported; a reporter that reaches for io or loops
#    forever gets a clean error (exit 2) and writes no file;
#  - a project's own plugin folder works with --plugins and MAAL_PLUGIN_PATH, without
#    recompiling maal.
# The native module plugins/stats/stats.so is built by 'make plugins' ('make check' does).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
: "${MAAL:=build/maal}"
export LC_ALL=C TZ=UTC NO_COLOR=1
unset MAAL_PLUGIN_PATH MAAL_PLUGINS_DIR MAAL_PATH MAAL_RULES_DIR MAAL_LANG
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=tests/plugins
EX=examples/tingbjerg-husum-2021-2024/partnership.yaml

# run NAME: runs the rest of the line, keeping stdout, stderr and the exit code in $tmp/NAME.*
run() {
    local name=$1
    shift
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}
rc_is() { # NAME EXPECTED
    local got
    got=$(cat "$tmp/$1.rc")
    if [ "$got" = "$2" ]; then ok "$1: exit $2"; else not_ok "$1: exit $got, expected $2"; sed 's/^/    /' "$tmp/$1.err" | head -10; fi
}
has() { # NAME out|err TEXT
    if grep -qF -- "$3" "$tmp/$1.$2"; then ok "$1: $2 has '$3'"; else not_ok "$1: $2 lacks '$3'"; sed 's/^/    /' "$tmp/$1.$2" | head -20; fi
}
lacks() { # NAME out|err TEXT
    if grep -qF -- "$3" "$tmp/$1.$2"; then not_ok "$1: $2 has '$3'"; grep -F -- "$3" "$tmp/$1.$2" | head -5; else ok "$1: $2 has no '$3'"; fi
}
# goal verdict, one per line, from a JSON result (keys in the documented order)
verdicts() { awk -F'"' '/^ *"goal": "/ { g = $4 } /^ *"verdict": "/ { print g, $4 }' "$1"; }

if [ ! -f plugins/stats/stats.so ]; then
    not_ok "plugins/stats/stats.so is missing: build it with 'make plugins'"
fi

# ---- maal plugins ---------------------------------------------------------------------
run list "$MAAL" plugins --plugin plugins/stats
rc_is list 0
has list out "sikker-by 1.0.0 (maal_api 1)"
has list out "csv 1.0.0 (maal_api 1)"
has list out "stats 1.0.0 (maal_api 1) [--plugin]"
has list out "native: stats.fisher, stats.wilson"
has list out "regler: annual_decrease_exact"
has list out "rapporter: csv"
has list out "regler: sum_at_most_baseline, within_district"
has list out "partnerskab-2021"
has list out "partnerskab-2017"
lacks list out "problem"
if [ ! -s "$tmp/list.err" ]; then ok "list: nothing on stderr"; else not_ok "list: stderr"; cat "$tmp/list.err"; fi

run list-default "$MAAL" plugins
rc_is list-default 0
has list-default out "sikker-by 1.0.0"
has list-default out "csv 1.0.0"
has list-default out "problem: har et native modul, som kun indlæses med --plugin MAPPE"
n=$(grep -c "problem" "$tmp/list-default.out")
if [ "$n" = 1 ]; then ok "list-default: one problem (stats)"; else not_ok "list-default: $n problems"; cat "$tmp/list-default.out"; fi
lacks list-default out "native: stats.fisher"

# ---- rule tests -------------------------------------------------------------------------
for dir in plugins/*/; do
    p=${dir%/}
    ls "$p"/rules/*_test.yaml >/dev/null 2>&1 || continue
    name=test-$(basename "$p")
    run "$name" "$MAAL" test "$p/rules" --plugin "$p"
    rc_is "$name" 0
    if grep -qE '^[1-9][0-9]* passed, 0 failed$' "$tmp/$name.out"; then
        ok "$name: $(tail -1 "$tmp/$name.out")"
    else
        not_ok "$name: $(tail -1 "$tmp/$name.out")"
        grep -A1 '^FAIL' "$tmp/$name.out" | head -20
    fi
done
# the numbers of the native functions against known values (within 1e-9)
run test-stats-values "$MAAL" test "$D/stats" --plugin plugins/stats
rc_is test-stats-values 0
has test-stats-values out "ok - fisher_test.yaml: tea tasting 3 1 1 3"
has test-stats-values out "ok - wilson_test.yaml: 26 of 100 lower"
if grep -qE '^[1-9][0-9]* passed, 0 failed$' "$tmp/test-stats-values.out"; then
    ok "test-stats-values: $(tail -1 "$tmp/test-stats-values.out")"
else
    not_ok "test-stats-values: $(tail -1 "$tmp/test-stats-values.out")"
    grep -A1 '^FAIL' "$tmp/test-stats-values.out" | head -20
fi
# without --plugin the functions are not there, and the rule says how to get them
run test-stats-unloaded "$MAAL" test plugins/stats/rules
rc_is test-stats-unloaded 1
has test-stats-unloaded out "stats.fisher findes ikke: giv plugin'et med --plugin plugins/stats"

# ---- the goal sets give the examples' verdicts ------------------------------------------
# shared NAME EXAMPLE_JSON GOALSET_JSON: every goal of the goal-set file has the example's verdict
shared() {
    verdicts "$2" | sort >"$tmp/$1.ex"
    verdicts "$3" | sort >"$tmp/$1.gs"
    local n bad
    n=$(join "$tmp/$1.ex" "$tmp/$1.gs" | wc -l)
    bad=$(join "$tmp/$1.ex" "$tmp/$1.gs" | awk '$2 != $3')
    missing=$(join -v 2 "$tmp/$1.ex" "$tmp/$1.gs")
    if [ -z "$bad" ] && [ -z "$missing" ] && [ "$n" -gt 0 ]; then
        ok "$1: the same verdicts for all $n goals"
    else
        not_ok "$1: verdicts differ (goal example goal-set):"
        printf '%s\n' "$bad" "$missing" | sed 's/^/    /'
    fi
}
run ex-2022 "$MAAL" check "$EX" --year 2022 --format json
rc_is ex-2022 1
run gs-2022 "$MAAL" check "$D/tingbjerg-2021/partnership.yaml" --year 2022 --format json
rc_is gs-2022 1
shared goalset-2021 "$tmp/ex-2022.out" "$tmp/gs-2022.out"
n=$(verdicts "$tmp/gs-2022.out" | wc -l)
if [ "$n" = 15 ]; then ok "goalset-2021: 13 standard goals + 2 budget goals"; else not_ok "goalset-2021: $n goals"; fi
# the verdicts the 2022 report implies (shared/DOMAIN.md), as the goal set gives them
verdicts "$tmp/gs-2022.out" >"$tmp/gs-2022.v"
cat >"$tmp/gs-2022.want" <<'EOF'
utrygge-fald fail
utrygge-aften-nat-fald fail
utrygge-koebenhavnniveau nodata
utrygge-aften-nat-koebenhavnniveau nodata
borgervendt-pr-1000 pass
indbrud fail
tyveri-roeveri pass
vold-vaaben pass
chikane info
haervaerk info
narkotika info
trusler info
samarbejde pass
budget-2021 fail
budget-2022 pass
EOF
same "goalset-2021: the verdicts of the 2022 report, in order" "$tmp/gs-2022.want" "$tmp/gs-2022.v"
for y in 2021 2023; do
    run "ex-$y" "$MAAL" check "$EX" --year $y --format json
    run "gs-$y" "$MAAL" check "$D/tingbjerg-2021/partnership.yaml" --year $y --format json
    shared "goalset-2021 --year $y" "$tmp/ex-$y.out" "$tmp/gs-$y.out"
done
for y in 2017 2020; do
    run "ex17-$y" "$MAAL" check examples/tingbjerg-husum-2017-2020/partnership.yaml --year $y --format json
    run "gs17-$y" "$MAAL" check "$D/tingbjerg-2017/partnership.yaml" --year $y --format json
    rc_is "gs17-$y" "$(cat "$tmp/ex17-$y.rc")"
    shared "goalset-2017 --year $y" "$tmp/ex17-$y.out" "$tmp/gs17-$y.out"
done
# a goal of the file's own with the id of an included one is an error naming both (tests/trust)
sed 's/^goals:$/goals:\n  - id: utrygge-koebenhavnniveau\n    group: tryghed\n    title: Egen version af målet\n    rule: approach_level\n    params: {series: utrygge, reference: district, target_year: 2024}\n/' \
    "$D/tingbjerg-2021/partnership.yaml" >"$tmp/own.yaml"
run own "$MAAL" check "$tmp/own.yaml" --year 2022 --format json
rc_is own 2
has own err "/sikker-by/goalsets/partnerskab-2021.yaml:44:5 (fra 'include'), forventede et entydigt id"
# the 2021 goal set needs its series: a missing one is an error at load time, located
sed '/^  - id: trusler$/,/^$/d' "$D/tingbjerg-2021/partnership.yaml" >"$tmp/noseries.yaml"
run noseries "$MAAL" validate "$tmp/noseries.yaml"
rc_is noseries 2
has noseries err "partnerskab-2021.yaml:"
has noseries err "målet 'trusler' henviser til den ukendte serie 'trusler'"

# ---- the csv reporter ---------------------------------------------------------------------
run csv-tingbjerg "$MAAL" check "$EX" --year 2022 --format csv/csv -o "$tmp/tingbjerg.csv"
rc_is csv-tingbjerg 1
same "csv: Tingbjerg-Husum 2022 (byte for byte, CRLF)" "$D/csv/tingbjerg-2022.csv" "$tmp/tingbjerg.csv"
run csv-quoting "$MAAL" check "$D/csv/quoting.yaml" --year 2022 --format csv/csv -o "$tmp/quoting.csv"
rc_is csv-quoting 0
same "csv: quoting, numbers and empty fields" "$D/csv/quoting.csv" "$tmp/quoting.csv"
run csv-multi "$MAAL" check "$EX" --year 2022 -o "json=$tmp/multi.json" -o "csv/csv=$tmp/multi.csv"
rc_is csv-multi 1
same "csv: -o csv/csv=FILE next to -o json=FILE" "$D/csv/tingbjerg-2022.csv" "$tmp/multi.csv"
if command -v python3 >/dev/null 2>&1; then
    # an independent reading: Python's csv module gives back the JSON result's fields
    if python3 - "$tmp/multi.csv" "$tmp/multi.json" >"$tmp/py.out" 2>&1 <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
res = [(p["id"], r) for p in doc["partnerships"] for r in p["results"]]
assert len(rows) == len(res) + 1, (len(rows), len(res))
def num(x):
    return "" if x is None else str(x)
for row, (pid, r) in zip(rows[1:], res):
    want = [pid, r["goal"], r["title"], r["verdict"], num(r["year"]), num(r["actual"]),
            num(r["target"]), num(r["baseline"]), num(r["baseline_year"]), num(r["change"]),
            r["unit"] or "", r["message"]]
    w = r.get("waiver") if r["verdict"] == "waived" else None
    want += [w["verdict_without"] if w else "", w["text"] if w else ""]
    assert len(row) == 14, row
    for a, b in zip(row, want):
        assert a == b or (a and b and abs(float(a) - float(b)) < 1e-12), (r["goal"], a, b)
EOF
    then ok "csv: Python's csv reader gives the JSON result's fields"; else not_ok "csv: Python's csv reader"; cat "$tmp/py.out"; fi
fi

# ---- native modules only with --plugin ----------------------------------------------------
run sample-plugin "$MAAL" check "$D/small-sample/partnership.yaml" --year 2022 --plugin plugins/stats --format json
rc_is sample-plugin 1
verdicts "$tmp/sample-plugin.out" >"$tmp/sample.v"
printf '%s\n' "fald-z pass" "fald-eksakt pass" "fald-eksakt-signifikant fail" >"$tmp/sample.want"
same "stats: z-test and exact test on 4/10 against 0/10" "$tmp/sample.want" "$tmp/sample.v"
has sample-plugin out "ændringen er signifikant (to-andels z-test: z = -2,24, p = 0,025, n = 10 og 10)"
has sample-plugin out "ændringen er ikke signifikant (Fishers eksakte test: p = 0,087, 0 af 10 i 2022 mod 4 af 10 i 2021; 95 %-konfidensinterval for 2022: 0–27,8 %)"
run sample-noplugin "$MAAL" check "$D/small-sample/partnership.yaml" --year 2022 --format json
if [ "$(cat "$tmp/sample-noplugin.rc")" != 0 ]; then ok "stats: without --plugin the check does not pass"; else not_ok "stats: without --plugin exit 0"; fi
lacks sample-noplugin out "Fishers eksakte test"
# a copy of the plugin found by search (--plugins, MAAL_PLUGIN_PATH) is never dlopen'ed: its
# module here is a library whose constructor would write a marker file
mkdir -p "$tmp/roots/stats"
cp -R plugins/stats/plugin.yaml plugins/stats/rules "$tmp/roots/stats/"
cat >"$tmp/marker.c" <<EOF
#include <stdio.h>
__attribute__((constructor)) static void marker(void)
{
    FILE *f = fopen("$tmp/loaded", "w");
    if (f)
        fclose(f);
}
EOF
if ${CC:-cc} -shared -fPIC -o "$tmp/roots/stats/stats.so" "$tmp/marker.c" 2>"$tmp/cc.err"; then
    run native-roots "$MAAL" plugins --plugins "$tmp/roots"
    # exit 2: a searched plugin named like the bundled 'stats' is refused (tests/trust)
    rc_is native-roots 2
    has native-roots out "problem: har et native modul, som kun indlæses med --plugin MAPPE"
    run native-env env MAAL_PLUGIN_PATH="$tmp/roots" "$MAAL" check "$D/small-sample/partnership.yaml" --year 2022
    if [ ! -e "$tmp/loaded" ]; then ok "native: not loaded when found by search"; else not_ok "native: loaded when found by search"; fi
    run native-explicit "$MAAL" plugins --plugin "$tmp/roots/stats"
    rc_is native-explicit 2
    has native-explicit err "modulet mangler maal_plugin_init_v1"
    if [ -e "$tmp/loaded" ]; then ok "native: loaded with --plugin (the marker proves it)"; else not_ok "native: the marker was never written"; fi
    # 'native: x.so' that is a link out of the plugin's folder is refused, not loaded
    rm -f "$tmp/loaded"
    mkdir -p "$tmp/linked"
    printf 'name: linked\nversion: 1\nmaal_api: 1\nnative: x.so\n' >"$tmp/linked/plugin.yaml"
    ln -s ../roots/stats/stats.so "$tmp/linked/x.so"
    run native-link "$MAAL" plugins --plugin "$tmp/linked"
    rc_is native-link 2
    has native-link err "'native' er et link ud af plugin-mappen"
    if [ ! -e "$tmp/loaded" ]; then ok "native: a link out of the folder is not loaded"; else not_ok "native: a link out of the folder was loaded"; fi
else
    not_ok "native: cannot compile the marker library"
    cat "$tmp/cc.err"
fi

# ---- a native module built for another Lua: its init refuses (MAAL_PLUGIN_LUA_OK) ----------
# maal passes the LUA_VERSION_NUM it runs in host->lua_version; a module compiled against a
# Lua 5.3 header compares it with 503 and registers nothing
mkdir -p "$tmp/lua53"
printf 'name: lua53\nversion: 0.1.0\nmaal_api: 1\nnative: lua53.so\n' >"$tmp/lua53/plugin.yaml"
cat >"$tmp/lua53.c" <<'EOF'
#include "maal_plugin.h"
#undef LUA_VERSION_NUM
#define LUA_VERSION_NUM 503 /* what lua.h of Lua 5.3 says */
static int l_x(lua_State *L) { (void)L; return 0; }
int maal_plugin_init_v1(struct maal_plugin_host *host);
int maal_plugin_init_v1(struct maal_plugin_host *host)
{
    if (!MAAL_PLUGIN_LUA_OK(host))
        return -1;
    return host->add_function(host, "x", l_x);
}
EOF
# shellcheck disable=SC2046
if ${CC:-cc} -shared -fPIC -Iinclude $(pkg-config --cflags lua5.4) -o "$tmp/lua53/lua53.so" \
    "$tmp/lua53.c" 2>"$tmp/cc.err"; then
    run lua53 "$MAAL" plugins --plugin "$tmp/lua53"
    rc_is lua53 2
    has lua53 err "maal_plugin_init_v1 fejlede"
    # the same module built for the Lua maal runs loads
    sed -i 's/^#define LUA_VERSION_NUM 503.*/#define LUA_VERSION_NUM 504/' "$tmp/lua53.c"
    # shellcheck disable=SC2046
    ${CC:-cc} -shared -fPIC -Iinclude $(pkg-config --cflags lua5.4) -o "$tmp/lua53/lua53.so" \
        "$tmp/lua53.c" 2>"$tmp/cc.err"
    run lua54 "$MAAL" plugins --plugin "$tmp/lua53"
    rc_is lua54 0
else
    not_ok "lua53: cannot compile the module"
    cat "$tmp/cc.err"
fi

# ---- a plugin for another maal_api ----------------------------------------------------------
mkdir -p "$tmp/api/future/goalsets"
printf 'name: future\nversion: 9.0.0\nmaal_api: 99\n' >"$tmp/api/future/plugin.yaml"
printf 'maal_goalset: 1\ngoals: []\n' >"$tmp/api/future/goalsets/x.yaml"
run api-list "$MAAL" plugins --plugins "$tmp/api"
rc_is api-list 0
has api-list out "future 9.0.0 (maal_api 99)"
has api-list out "problem: plugin'et kræver maal_api 99, men denne maal har API 1"
run api-explicit "$MAAL" plugins --plugin "$tmp/api/future"
rc_is api-explicit 2
has api-explicit err "plugin'et kræver maal_api 99, men denne maal har API 1"
run api-en "$MAAL" plugins --plugins "$tmp/api" --lang en
has api-en out "problem: the plugin needs maal_api 99, but this maal has API 1"

# ---- hostile reporters: a clean error, exit 2, no file -------------------------------------
mkdir -p "$tmp/evil/evil/reporters"
printf 'name: evil\nversion: 0.1.0\nmaal_api: 1\n' >"$tmp/evil/evil/plugin.yaml"
cat >"$tmp/evil/evil/reporters/io.lua" <<EOF
return { report = function(run, out)
  out:write("partnership\n")
  local f = io.open("$tmp/stolen", "w")
  f:write("x")
end }
EOF
cat >"$tmp/evil/evil/reporters/os.lua" <<EOF
return { report = function(run, out) out:write("x"); os.execute("touch $tmp/stolen") end }
EOF
cat >"$tmp/evil/evil/reporters/loop.lua" <<'EOF'
return { report = function(run, out) out:write("partnership\n"); while true do end end }
EOF
cat >"$tmp/evil/evil/reporters/pcall_loop.lua" <<'EOF'
return { report = function(run, out)
  out:write("x")
  while true do pcall(function() while true do end end) end
end }
EOF
for r in io os loop pcall_loop; do
    run "evil-$r" "$MAAL" check "$EX" --year 2022 --plugins "$tmp/evil" --rule-timeout 0.2 \
        --format "evil/$r" -o "$tmp/evil-$r.txt"
    rc_is "evil-$r" 2
    has "evil-$r" err "reporters/$r.lua"
    if [ ! -e "$tmp/evil-$r.txt" ]; then ok "evil-$r: no output file"; else not_ok "evil-$r: wrote $tmp/evil-$r.txt"; fi
done
has evil-io err "attempt to index a nil value (global 'io')"
has evil-os err "attempt to index a nil value (global 'os')"
has evil-loop err "tidsgrænsen er overskredet"
has evil-pcall_loop err "tidsgrænsen er overskredet"
if [ ! -e "$tmp/stolen" ]; then ok "evil: no file written through io or os"; else not_ok "evil: $tmp/stolen exists"; fi
# a reporter that returns no table, has no report function, writes a table, raises a table or
# writes more than the memory limit: a clean error in the user's language, exit 2, no file
echo 'return 5' >"$tmp/evil/evil/reporters/notable.lua"
echo 'return { report = 5 }' >"$tmp/evil/evil/reporters/nofn.lua"
echo 'return { report = function(run, out) out:write({}) end }' >"$tmp/evil/evil/reporters/tbl.lua"
echo 'return { report = function(run, out) error({code = 1}) end }' >"$tmp/evil/evil/reporters/errtbl.lua"
cat >"$tmp/evil/evil/reporters/huge.lua" <<'EOF'
return { report = function(run, out)
  local s = string.rep("x", 1 << 20)
  for i = 1, 4096 do out:write(s) end
end }
EOF
for r in notable nofn tbl errtbl huge; do
    run "evil-$r" "$MAAL" check "$EX" --year 2022 --plugins "$tmp/evil" --rule-timeout 0.2 \
        --rule-memory 16 --format "evil/$r" -o "$tmp/evil-$r.txt"
    rc_is "evil-$r" 2
    if [ ! -e "$tmp/evil-$r.txt" ]; then ok "evil-$r: no output file"; else not_ok "evil-$r: wrote $tmp/evil-$r.txt"; fi
done
has evil-notable err "reporters/notable.lua: rapporten skal returnere en tabel med 'report'"
has evil-nofn err "reporters/nofn.lua: rapporten mangler funktionen 'report'"
has evil-tbl err "bad argument #1 to 'write' (string expected, got table)"
has evil-errtbl err "(error object is a table value)"
has evil-huge err "uddata større end 16 MiB"
run evil-huge-en "$MAAL" check "$EX" --year 2022 --plugins "$tmp/evil" --rule-memory 16 \
    --format evil/huge --lang en
has evil-huge-en err "output larger than 16 MiB"
# a reporter that fails after a good one: exit 2 writes no file, not even the one before it
# (each file was committed as its report ended: the JSON one was replaced)
run "evil-after-json" "$MAAL" check "$EX" --year 2022 --plugins "$tmp/evil" \
    -o json="$tmp/evil-first.json" -o evil/io="$tmp/evil-second.txt"
rc_is "evil-after-json" 2
if [ ! -e "$tmp/evil-first.json" ] && [ ! -e "$tmp/evil-second.txt" ]; then
    ok "evil-after-json: neither output file written"
else
    not_ok "evil-after-json: wrote $(ls "$tmp"/evil-first.json "$tmp"/evil-second.txt 2>/dev/null)"
fi

# ---- acceptance: a project's own plugin, with --plugins and MAAL_PLUGIN_PATH ---------------
proj=$tmp/proj
cp -R examples/tingbjerg-husum-2021-2024 "$proj"
mkdir -p "$proj/plugins/lokal/rules" "$proj/plugins/lokal/reporters" "$proj/plugins/lokal/goalsets"
cat >"$proj/plugins/lokal/plugin.yaml" <<'EOF'
name: lokal
version: 0.1.0
maal_api: 1
description: Partnerskabets egne mål
author: Sekretariatet
license: MIT
EOF
cat >"$proj/plugins/lokal/rules/nye_aktiviteter.lua" <<'EOF'
-- nye_aktiviteter: at least 'target' activities are marked new in the plan.
return {
  title = "Nye aktiviteter",
  params = {target = {type = "integer", required = true}},
  evaluate = function(ctx, p)
    local n = #ctx.activities({new = true})
    return maal.verdict(n >= p.target, {actual = n, target = p.target, op = ">=", unit = "count",
      year = ctx.year, message = string.format("%d nye aktiviteter; målet er mindst %d", n, p.target)})
  end,
}
EOF
cat >"$proj/plugins/lokal/rules/nye_aktiviteter_test.yaml" <<'EOF'
data:
  maal: 1
  partnership: {id: t, name: T, period: {from: 2021, to: 2024}}
  activities:
    - {id: a1, name: A, new: true, responsible: [X]}
    - {id: a2, name: B, responsible: [X]}
cases:
  - {name: en ny er nok, params: {target: 1}, year: 2022, expect: pass, actual: 1}
  - {name: to nye er for mange, params: {target: 2}, year: 2022, expect: fail}
EOF
cat >"$proj/plugins/lokal/reporters/linjer.lua" <<'EOF'
return { report = function(run, out)
  for _, p in ipairs(run.partnerships) do
    for _, r in ipairs(p.results) do out:write(r.goal, " ", r.verdict, "\n") end
  end
end }
EOF
cat >"$proj/plugins/lokal/goalsets/basis.yaml" <<'EOF'
maal_goalset: 1
name: Lokale mål
goals:
  - id: nye-aktiviteter
    group: aktiviteter
    title: Mindst tre nye aktiviteter i tryghedsplanen
    rule: lokal/nye_aktiviteter
    params: {target: 3}
EOF
sed -i 's/^maal: 1$/maal: 1\ninclude: [lokal\/basis]/' "$proj/partnership.yaml"
cat >"$tmp/proj.want" <<'EOF'
nye-aktiviteter pass
utrygge-fald fail
utrygge-aften-nat-fald fail
utrygge-koebenhavnniveau nodata
utrygge-aften-nat-koebenhavnniveau nodata
borgervendt-pr-1000 pass
indbrud fail
tyveri-roeveri pass
vold-vaaben pass
chikane info
haervaerk info
narkotika info
trusler info
samarbejde pass
budget-2021 fail
budget-2022 pass
midtvejsstatus info
EOF
bin=$(command -v "$MAAL" || echo "$MAAL")
sum_before=$(sha256sum "$bin" | cut -d' ' -f1)
run proj-plugins "$MAAL" check "$proj/partnership.yaml" --year 2022 --plugins "$proj/plugins" \
    --format lokal/linjer -o "$tmp/proj-plugins.txt"
rc_is proj-plugins 1
same "acceptance: --plugins DIR (goal set, rule, reporter)" "$tmp/proj.want" "$tmp/proj-plugins.txt"
run proj-env env MAAL_PLUGIN_PATH="$proj/plugins" "$MAAL" check "$proj/partnership.yaml" --year 2022 \
    --format lokal/linjer -o "$tmp/proj-env.txt"
rc_is proj-env 1
same "acceptance: MAAL_PLUGIN_PATH" "$tmp/proj.want" "$tmp/proj-env.txt"
run proj-none "$MAAL" check "$proj/partnership.yaml" --year 2022
rc_is proj-none 2
has proj-none err "ukendt målsæt 'lokal/basis'"
run proj-list env MAAL_PLUGIN_PATH="/nonexistent:$proj/plugins" "$MAAL" plugins
rc_is proj-list 0
has proj-list out "lokal 0.1.0 (maal_api 1)"
has proj-list out "regler: nye_aktiviteter"
run proj-test "$MAAL" test "$proj/plugins/lokal/rules" --plugins "$proj/plugins"
rc_is proj-test 0
has proj-test out "2 passed, 0 failed"
sum_after=$(sha256sum "$bin" | cut -d' ' -f1)
if [ "$sum_before" = "$sum_after" ]; then ok "acceptance: the maal binary is unchanged ($sum_after)"; else not_ok "acceptance: the maal binary changed"; fi

# ---- hostile manifests: an empty name; two plugins of one name ------------------------------
mkdir -p "$tmp/h1/empty" "$tmp/h1/dup" "$tmp/h2/dup" "$tmp/h1/dup2"
printf 'name: ""\nversion: 1\nmaal_api: 1\n' >"$tmp/h1/empty/plugin.yaml"
printf 'name: dupe\nversion: 1.0.0\nmaal_api: 1\n' >"$tmp/h1/dup/plugin.yaml"
printf 'name: dupe\nversion: 2.0.0\nmaal_api: 1\n' >"$tmp/h2/dup/plugin.yaml"
run h-empty "$MAAL" plugins --plugins "$tmp/h1"
has h-empty out "problem: ugyldigt plugin-navn, forventede [a-z0-9_-]+"
# searched twice: the first root wins, and the second is listed with why (not dropped silently)
run h-dup "$MAAL" plugins --plugins "$tmp/h1" --plugins "$tmp/h2"
rc_is h-dup 0
has h-dup out "dupe 2.0.0 (maal_api 1)"
has h-dup out "problem: bruges ikke: plugin'et i $tmp/h1/dup har samme navn og blev fundet først"
run h-dup-rev "$MAAL" plugins --plugins "$tmp/h2" --plugins "$tmp/h1"
has h-dup-rev out "problem: bruges ikke: plugin'et i $tmp/h2/dup har samme navn og blev fundet først"
# two --plugin folders of one name: an error; one folder named twice is one plugin
run h-dup-explicit "$MAAL" plugins --plugin "$tmp/h1/dup" --plugin "$tmp/h2/dup"
rc_is h-dup-explicit 2
has h-dup-explicit err "bruges ikke: plugin'et i $tmp/h1/dup har samme navn"
run h-same-twice "$MAAL" plugins --plugin "$tmp/h1/dup" --plugin "$tmp/h1/dup"
rc_is h-same-twice 0
n=$(grep -c "^dupe " "$tmp/h-same-twice.out")
if [ "$n" = 1 ]; then ok "h-same-twice: listed once"; else not_ok "h-same-twice: listed $n times"; fi

# empty entries in MAAL_PLUGIN_PATH are skipped: never the current folder (as '' is in PATH)
run h-path-empty env -C "$tmp/h1" MAAL_PLUGIN_PATH="::" "$(realpath "$MAAL")" plugins
rc_is h-path-empty 0
lacks h-path-empty out "dupe"
run h-path-empty2 env -C "$tmp/h1" MAAL_PLUGIN_PATH=":$tmp/h2:" "$(realpath "$MAAL")" plugins
has h-path-empty2 out "$tmp/h2/dup"
lacks h-path-empty2 out "bruges ikke"

summary plugins
