#!/usr/bin/env bash
# docs/writing-rules.md is a tutorial that runs: every fenced code block in it is marked, and
# this suite extracts the blocks, creates the files and runs the commands in order, then
# compares each command's output with the {output} block that follows it.
#
# Info strings (the text after ```):
#   sh {run}                 commands, run in the part's shell (cd and export carry over);
#   sh {run exit=N}          ... expected to end with exit code N (default 0);
#   text {output}            the exact expected standard output and standard error (merged) of
#                            the {run} block before it; a {run} block without one must print
#                            nothing;
#   lua {file=PATH}          create (or replace) PATH, relative to the shell's current folder;
#   yaml {append=PATH}       append the block to PATH (which must exist);
#   yaml {insert=PATH after="LINE"}   insert the block after the first line of PATH that is
#                            exactly LINE (which must exist).
# Any other fenced block is a failure: every block of the guide must run.
#
# Each part (a level-1 heading: the Danish and the English tutorial) runs in a fresh shell in
# its own empty folder, with 'maal' on PATH pointing at $MAAL, NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC,
# no MAAL_PATH/MAAL_LANG/MAAL_PLUGIN_PATH, no plugins, and MAAL_RULES_DIR set to this tree's
# rules/. Outputs are compared exactly, except that this tree's rules/ folder is shown as an
# installed maal shows it: /usr/local/share/maal/rules.
#
# 'bash tests/docs/run.sh --show' also prints what each {run} block actually printed, each line
# after '| ' (for writing the guide; the {output} blocks are still written and checked by hand).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
: "${MAAL:=build/maal}" "${GUIDE:=docs/writing-rules.md}"
SHOW=0
[ "${1:-}" = --show ] && SHOW=1
repo=$(pwd -P)
installed_rules=/usr/local/share/maal/rules
if [ ! -x "$MAAL" ]; then
    not_ok "no maal binary at $MAAL"
    summary docs
    exit 1
fi
maal_abs=$(cd "$(dirname "$MAAL")" && pwd -P)/$(basename "$MAAL")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/blocks" "$tmp/res" "$tmp/noplugins" "$tmp/home"
printf '#!/usr/bin/env bash\nexec %q "$@"\n' "$maal_abs" >"$tmp/bin/maal"
chmod +x "$tmp/bin/maal"

# ---- extract the blocks -------------------------------------------------------------------
n=0 part=0 lineno=0 infence=0
declare -a kind bpart bline bpath bafter bexit bbad partname
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    if [ "$infence" -eq 1 ]; then
        if [ "$line" = '```' ]; then infence=0; else printf '%s\n' "$line" >>"$tmp/blocks/$n"; fi
        continue
    fi
    if [[ $line == '# '* ]]; then
        part=$((part + 1))
        partname[part]=${line#'# '}
        continue
    fi
    if [[ $line == '~~~'* ]]; then
        n=$((n + 1))
        : >"$tmp/blocks/$n"
        kind[n]=none bpart[n]=$part bline[n]=$lineno bpath[n]="" bafter[n]="" bexit[n]=0
        bbad[n]="a ~~~ fence: use \`\`\` with an info string"
        continue
    fi
    [[ $line == '```'* ]] || continue
    n=$((n + 1)) infence=1
    : >"$tmp/blocks/$n"
    kind[n]=none bpart[n]=$part bline[n]=$lineno bpath[n]="" bafter[n]="" bexit[n]=0 bbad[n]=""
    info=${line#'```'}
    if [[ $info =~ ^[A-Za-z0-9_+-]*\ *\{(.*)\}\ *$ ]]; then
        s=${BASH_REMATCH[1]}
        while :; do
            s=${s#"${s%%[! ]*}"}
            [ -z "$s" ] && break
            if [[ $s =~ ^([a-z]+)=\"([^\"]*)\"(.*)$ ]] || [[ $s =~ ^([a-z]+)=([^ \"]+)(.*)$ ]]; then
                k=${BASH_REMATCH[1]} v=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
            elif [[ $s =~ ^([a-z]+)(.*)$ ]]; then
                k=${BASH_REMATCH[1]} v="" s=${BASH_REMATCH[2]}
            else
                bbad[n]="cannot read the info string '$info'"
                break
            fi
            case "$k" in
            run | output) kind[n]=$k ;;
            file | append | insert) kind[n]=$k bpath[n]=$v ;;
            after) bafter[n]=$v ;;
            exit) bexit[n]=$v ;;
            *) bbad[n]="unknown attribute '$k' in '$info'" ;;
            esac
        done
    fi
    case "${kind[n]}" in
    file | append | insert) [ -n "${bpath[n]}" ] || bbad[n]="${kind[n]} needs a path" ;;
    esac
    [ "${kind[n]}" = insert ] && [ -z "${bafter[n]}" ] && bbad[n]="insert needs after=\"LINE\""
    [[ ${bexit[n]} =~ ^[0-9]+$ ]] || bbad[n]="exit=${bexit[n]} is not a number"
done <"$GUIDE"
[ "$infence" -eq 1 ] && not_ok "$GUIDE: the code block at line ${bline[n]} is not closed"
nparts=$part

# ---- run each part in its own shell ----------------------------------------------------------
for ((p = 1; p <= nparts; p++)); do
    mkdir -p "$tmp/work/$p"
    script="$tmp/part$p.sh"
    printf 'cd %q || exit 99\n' "$tmp/work/$p" >"$script"
    for ((i = 1; i <= n; i++)); do
        if [ "${bpart[i]}" -ne "$p" ] || [ -n "${bbad[i]}" ]; then continue; fi
        blk=$tmp/blocks/$i res=$tmp/res/$i
        case "${kind[i]}" in
        run)
            printf '{ . %q; } </dev/null >%q 2>&1; echo $? >%q\n' "$blk" "$res.out" "$res.rc" ;;
        file)
            # shellcheck disable=SC2016 # expanded by the generated script
            printf 'mkdir -p -- "$(dirname -- %q)" && cp -- %q %q; echo $? >%q\n' \
                "${bpath[i]}" "$blk" "${bpath[i]}" "$res.rc" ;;
        append)
            printf '[ -f %q ] && cat -- %q >>%q; echo $? >%q\n' "${bpath[i]}" "$blk" "${bpath[i]}" "$res.rc" ;;
        insert)
            printf 'awk -v after=%q -v f=%q %q %q >%q && cat -- %q >%q; echo $? >%q\n' \
                "${bafter[i]}" "$blk" \
                '{ print } !done && $0 == after { while ((getline l < f) > 0) print l; done = 1 } END { exit !done }' \
                "${bpath[i]}" "$res.ins" "$res.ins" "${bpath[i]}" "$res.rc" ;;
        esac
    done >>"$script"
    (
        unset MAAL_PATH MAAL_PLUGIN_PATH MAAL_LANG SOURCE_DATE_EPOCH CDPATH
        export PATH="$tmp/bin:$PATH" HOME="$tmp/home" NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC \
            MAAL_RULES_DIR="$repo/rules" MAAL_PLUGINS_DIR="$tmp/noplugins"
        timeout 300 bash "$script" >"$tmp/part$p.log" 2>&1
    )
done

# ---- compare ---------------------------------------------------------------------------------
declare -A runs_in_part
for ((i = 1; i <= n; i++)); do
    where="${partname[${bpart[i]}]:-(before the first part)}, line ${bline[i]}"
    if [ -n "${bbad[i]}" ]; then
        not_ok "$where: ${bbad[i]}"
        continue
    fi
    if [ "${bpart[i]}" -eq 0 ]; then
        not_ok "$where: a code block before the first part (level-1 heading) is never run"
        continue
    fi
    res=$tmp/res/$i
    case "${kind[i]}" in
    none)
        not_ok "$where: a code block without {run}, {output}, {file=…}, {append=…} or {insert=… after=…}" ;;
    output)
        if [ "$i" -eq 1 ] || [ "${kind[i - 1]}" != run ] || [ "${bpart[i - 1]}" != "${bpart[i]}" ]; then
            not_ok "$where: an {output} block that does not follow a {run} block"
        fi ;;
    file | append | insert)
        if [ "$(cat "$res.rc" 2>/dev/null)" = 0 ]; then
            ok "$where: ${kind[i]} ${bpath[i]}"
        else
            not_ok "$where: ${kind[i]} ${bpath[i]} failed"
        fi ;;
    run)
        runs_in_part[${bpart[i]}]=1
        cmd=$(paste -sd';' "$tmp/blocks/$i" | sed 's/;/; /g')
        # this tree's standard rules, as an installed maal shows them
        if [ -f "$res.out" ]; then
            out=$(cat "$res.out"; printf x)
            out=${out%x}
            printf '%s' "${out//"$repo/rules"/$installed_rules}" >"$res.norm"
        else
            : >"$res.norm"
        fi
        if [ "$i" -lt "$n" ] && [ "${kind[i + 1]}" = output ] && [ "${bpart[i + 1]}" = "${bpart[i]}" ]; then
            want=$tmp/blocks/$((i + 1))
        else
            want=$tmp/empty
            : >"$want"
        fi
        rc=$(cat "$res.rc" 2>/dev/null || echo "did not run")
        if [ "$SHOW" -eq 1 ]; then
            echo "---- $where: $cmd (exit $rc)"
            sed 's/^/| /' "$res.norm"
        fi
        if [ "$rc" = "${bexit[i]}" ]; then
            ok "$where: $cmd (exit code)"
        else
            not_ok "$where: $cmd (exit code $rc, expected ${bexit[i]})"
        fi
        same "$where: $cmd (output)" "$want" "$res.norm" ;;
    esac
done
if [ "$nparts" -lt 2 ]; then not_ok "$GUIDE: expected a Danish and an English part (level-1 headings)"; fi
for ((p = 1; p <= nparts; p++)); do
    [ -n "${runs_in_part[$p]:-}" ] || not_ok "${partname[p]}: no {run} block"
    if [ -s "$tmp/part$p.log" ]; then
        not_ok "${partname[p]}: the runner itself printed something"
        head -20 "$tmp/part$p.log"
    fi
done
summary docs
