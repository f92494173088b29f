#!/usr/bin/env bash
# libmaal as a library: 'make install' into a temporary prefix installs the headers, both
# libraries and maal.pc; examples/embed builds against that copy through pkg-config alone and
# checks the Tingbjerg-Husum 2022 goals (the verdicts of DOMAIN.md's table); the shared
# library exports the public API of include/maal.h and nothing else.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
if make -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1; then ok "make install PREFIX=tmp"; else
    not_ok "make install PREFIX=tmp"; tail -20 "$tmp/install.log"; summary embed; exit 1; fi
for f in include/maal.h include/maal_plugin.h lib/libmaal.a lib/libmaal.so.0 lib/libmaal.so \
         lib/pkgconfig/maal.pc share/man/man1/maal.1 bin/maal share/maal/rules/at_most_baseline.lua \
         share/maal/editor/maal.d.lua share/maal/maal.schema.json share/maal/plugins/stats/plugin.yaml; do
    if [ -e "$prefix/$f" ]; then ok "installed $f"; else not_ok "installed $f"; fi
done
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
if [ "$(pkg-config --modversion maal)" = "$(sed -n 's/^#define MAAL_VERSION "\(.*\)"/\1/p' include/maal.h)" ]; then
    ok "pkg-config --modversion maal"; else not_ok "pkg-config --modversion maal"; fi
# internal headers are not installed
if [ -z "$(ls "$prefix/include" | grep -vx 'maal.h\|maal_plugin.h')" ]; then ok "only the public headers"
else not_ok "only the public headers: $(ls "$prefix/include")"; fi
if make -s -C examples/embed OUT="$tmp/embed" >"$tmp/build.log" 2>&1; then ok "embed builds with pkg-config only"
else not_ok "embed builds with pkg-config only"; cat "$tmp/build.log"; summary embed; exit 1; fi
if readelf -d "$prefix/lib/libmaal.so.0" | grep -q 'SONAME.*\[libmaal\.so\.0\]'; then ok "SONAME libmaal.so.0"
else not_ok "SONAME libmaal.so.0"; fi
if readelf -d "$tmp/embed" | grep -q 'NEEDED.*\[libmaal\.so\.0\]'; then ok "embed links the shared library"
else not_ok "embed links the shared library"; fi
# exported symbols = the functions declared MAAL_API in include/maal.h
nm -D --defined-only "$prefix/lib/libmaal.so.0" | awk '{print $3}' | sort >"$tmp/exported"
grep -o 'maal_[a-z_]*(' include/maal.h | tr -d '(' | sort -u >"$tmp/declared"
same "exported symbols are the public API" "$tmp/declared" "$tmp/exported"
LD_LIBRARY_PATH=$prefix/lib "$tmp/embed" examples/tingbjerg-husum-2021-2024/partnership.yaml 2022 \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ]; then ok "embed: exit 1 (the burglary goal fails)"; else not_ok "embed: exit $rc, expected 1"; cat "$tmp/err"; fi
# DOMAIN.md's 2022 verdicts, by goal id: verdict and actual value
while read -r goal verdict actual; do
    if grep -Eq "^$goal +$verdict +$actual( |$)" "$tmp/out"; then ok "embed: $goal $verdict $actual"
    else not_ok "embed: $goal $verdict $actual"; grep "^$goal " "$tmp/out"; fi
done <<'CASES'
samarbejde pass 80
borgervendt-pr-1000 pass 18.7
indbrud fail 27
tyveri-roeveri pass 32
vold-vaaben pass 68
chikane info 65
haervaerk info 29
narkotika info 100
trusler info 20
utrygge-fald fail 26
utrygge-aften-nat-fald fail 32
utrygge-koebenhavnniveau nodata 26
CASES
# a number's source: the data file's line and column
# the police's table holds the figure: its file, row and field (27 is on line 7, field 3)
if grep -Eq '^indbrud .*\(examples/tingbjerg-husum-2021-2024/anmeldelser.csv:7:3 indbrud area 2021 \(anmeldelser: Indbrud, 2021\)\)' "$tmp/out"; then
    ok "embed: the source of the burglary figure"; else not_ok "embed: the source of the burglary figure"; grep '^indbrud' "$tmp/out"; fi
# a report streamed into a file: the same bytes as 'maal check' writes
for fmt in markdown json; do
    LD_LIBRARY_PATH=$prefix/lib "$tmp/embed" examples/tingbjerg-husum-2021-2024/partnership.yaml \
        2022 "$fmt=$tmp/report.$fmt" >/dev/null 2>"$tmp/err"
    "$prefix/bin/maal" --lang en check examples/tingbjerg-husum-2021-2024/partnership.yaml \
        --year 2022 --format "$fmt" >"$tmp/cli.$fmt" 2>/dev/null
    same "embed: a $fmt report through maal_report_begin/add/take/end is maal check's" \
        "$tmp/cli.$fmt" "$tmp/report.$fmt"
done
LD_LIBRARY_PATH=$prefix/lib "$tmp/embed" examples/tingbjerg-husum-2021-2024/partnership.yaml \
    2022 "nosuch=$tmp/x" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$tmp/x" ]; then ok "embed: an unknown report format, exit 2, no file"
else not_ok "embed: an unknown report format (exit $rc)"; fi
# invalid input: the diagnostics come back located, exit 2
printf 'maal: 1\npartnership: {id: x}\n' >"$tmp/bad.yaml"
LD_LIBRARY_PATH=$prefix/lib "$tmp/embed" "$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "bad.yaml:2:[0-9]*: error: " "$tmp/err"; then ok "embed: invalid data, located diagnostics"
else not_ok "embed: invalid data (exit $rc)"; cat "$tmp/err"; fi
# the installed library reads the rules installed beside it (PREFIX/share/maal/rules), not the
# build tree's, whatever PREFIX its objects were compiled with: without the installed copy of
# 'monitor' the check is refused (with the build tree's rules it ran, exit 1)
rm "$prefix/share/maal/rules/monitor.lua"
LD_LIBRARY_PATH=$prefix/lib "$tmp/embed" examples/tingbjerg-husum-2021-2024/partnership.yaml 2022 \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "partnership.yaml:385:11: error: unknown rule 'monitor'" "$tmp/err"; then
    ok "embed: the installed library uses the prefix's rules"
else not_ok "embed: the installed library uses the prefix's rules (exit $rc)"; head -3 "$tmp/err"; fi
summary embed
