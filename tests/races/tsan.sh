#!/usr/bin/env bash
# races (make check-slow): maal under ThreadSanitizer, and the same run with --jobs 1, 2 and 4.
#  1. libmaal and maal built with -fsanitize=thread in $TSAN_B (default build-tsan); every run
#     below with --jobs 4 must end with its usual exit code and no ThreadSanitizer report:
#     each format to standard output (text json junit tap markdown html github xlsx and the
#     csv plugin's Lua reporter), every format to -o files at once with --compare, --history
#     and --outlook, rules beside the data and in --rules hiding standard ones (warnings),
#     invalid files between valid ones, hostile rules that run out of time or memory, the
#     stats plugin's native functions.
#  2. tests/races/api_threads.c under ThreadSanitizer: what include/maal.h promises of threads
#     (loading, maal_worker_new, checks, maal_check_compare_lookup, maal_report_format_part
#     while parts are added, maal_report_render, all on one prepared engine at once), each
#     report byte for byte what one thread makes.
#  3. With $MAAL (the suites' build): each of those runs with --jobs 1, then --jobs 2 and 4
#     $RACES_REPS times (default 3): standard output, standard error (its order too), the exit
#     code and every -o file byte for byte the same.
# Takes 1-3 minutes. RACES_ONLY=tsan|api|jobs runs one part.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
: "${MAAL:=build/maal}" "${TSAN_B:=build-tsan}" "${RACES_REPS:=3}" "${RACES_ONLY:=}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C NO_COLOR=1 SOURCE_DATE_EPOCH=1700000000
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 ${TSAN_OPTIONS:-}"
T=$TSAN_B/maal

# ---- the inputs ----------------------------------------------------------------------------
python3 tests/bench/gen.py --out "$tmp/corpus" --files 60 >/dev/null
corpus=("$tmp"/corpus/p*.yaml)
# rules beside the data: every third folder has copies of three standard rules (a warning each)
i=0
for f in "${corpus[@]:0:24}"; do
    d=$tmp/local/d$((i / 3))
    mkdir -p "$d/rules"
    cp "$f" "$d/p$i.yaml"
    if [ $((i % 3)) = 0 ]; then
        for r in at_most monitor annual_decrease; do
            { cat "rules/$r.lua"; echo "-- a copy"; } >"$d/rules/$r.lua"
        done
    fi
    i=$((i + 1))
done
# the plugin examples, each under three ids of its own
for src in small-sample tingbjerg-2017 tingbjerg-2021; do
    for k in 1 2 3; do
        mkdir -p "$tmp/plug/$src-$k"
        sed "s/^  id: \(.*\)\$/  id: \1-$k/" "tests/plugins/$src/partnership.yaml" \
            >"$tmp/plug/$src-$k/partnership.yaml"
    done
done
# hostile rules (tests/hostile) as the goal 'hostile' of partnerships of their own
hostile=()
for name in endless_loop gsub_callback_loop memory_concat memory_tables error_table \
            ctx_write coroutine_create; do
    [ -f "tests/hostile/$name.lua" ] || continue
    d=$tmp/hostile/$name
    mkdir -p "$d/rules"
    sed -e "s/rule: RULE/rule: $name/" -e "s/^  id: hostile-test\$/  id: hostile-$name/" \
        tests/hostile/partnership.yaml >"$d/partnership.yaml"
    cp "tests/hostile/$name.lua" "$d/rules/"
    hostile+=("$d/partnership.yaml")
done
# invalid files between valid ones
mixed=()
bad=(tests/bad-data/*.yaml)
for k in $(seq 0 19); do
    mixed+=("${corpus[$k]}" "${bad[$((k * 7 % ${#bad[@]}))]}")
done
examples=(examples/*/partnership.yaml tests/e2e/tables/partnership.yaml)
"$MAAL" check "${corpus[@]}" "${examples[@]}" "$tmp"/plug/*/partnership.yaml --year 2021 \
    --plugin plugins/stats --format json >"$tmp/prev.json" 2>/dev/null
formats=(text json junit tap markdown html github xlsx)
outs=()
for f in "${formats[@]}"; do outs+=(-o "$f=@OUT@/out.$f"); done
outs+=(-o "csv/csv=@OUT@/out.csv")

# the runs: NAME|ARGS (@OUT@ stands for the run's own output folder)
runs=()
for f in "${formats[@]}" csv/csv; do
    runs+=("format-${f%%/*}|${corpus[*]} ${examples[*]} --format $f")
done
runs+=("all-outputs|${corpus[*]} ${examples[*]} --compare $tmp/prev.json --history --outlook ${outs[*]}")
runs+=("local-rules|$(echo "$tmp"/local/*/*.yaml) --rules rules ${outs[*]}")
runs+=("invalid-mixed|${mixed[*]} --rules rules --format github --lang en --verbose")
runs+=("hostile|${examples[*]} ${hostile[*]} ${corpus[*]:0:10} --rule-timeout 0.25 --rule-memory 32 --format json")
runs+=("plugin|$(echo "$tmp"/plug/*/partnership.yaml) --year 2022 --plugin plugins/stats ${outs[*]}")

# run BINARY NAME JOBS DIR ARGS...: the run's stdout, stderr and exit code in DIR
run() {
    local bin=$1 name=$2 jobs=$3 dir=$4
    shift 4
    mkdir -p "$dir/o"
    local a=()
    for x in "$@"; do a+=("${x//@OUT@/$dir/o}"); done
    "$bin" check "${a[@]}" --jobs "$jobs" >"$dir/stdout" 2>"$dir/stderr"
    echo $? >"$dir/rc"
}

# ---- 1. ThreadSanitizer ----------------------------------------------------------------------
tsan_built=false
if [ -z "$RACES_ONLY" ] || [ "$RACES_ONLY" = tsan ] || [ "$RACES_ONLY" = api ]; then
    # shellcheck disable=SC2046
    if make -s B="$TSAN_B" CFLAGS='-O1 -g -fsanitize=thread -fno-omit-frame-pointer' \
        "$TSAN_B/maal" "$TSAN_B/libmaal.a" >"$tmp/build.log" 2>&1 &&
        ${CC:-cc} -std=c11 -Wall -Wextra -Werror -D_XOPEN_SOURCE=700 -fsanitize=thread -O1 -g \
            -Iinclude tests/races/api_threads.c "$TSAN_B/libmaal.a" \
            $(pkg-config --libs lua5.4 yaml-0.1 jansson) -lcsv -lm -pthread -ldl \
            -o "$TSAN_B/api_threads" >>"$tmp/build.log" 2>&1; then
        ok "maal and api_threads built with -fsanitize=thread ($TSAN_B)"
        tsan_built=true
    else
        not_ok "the ThreadSanitizer build"
        tail -20 "$tmp/build.log"
    fi
fi
if $tsan_built && { [ -z "$RACES_ONLY" ] || [ "$RACES_ONLY" = tsan ]; }; then
    for r in "${runs[@]}"; do
        name=${r%%|*}
        read -r -a args <<<"${r#*|}"
        run "$T" "$name" 4 "$tmp/tsan-$name" "${args[@]}"
        rc=$(cat "$tmp/tsan-$name/rc")
        n=$(grep -c 'WARNING: ThreadSanitizer' "$tmp/tsan-$name/stderr")
        if [ "$n" = 0 ] && [ "$rc" -le 3 ]; then
            ok "tsan --jobs 4 $name: exit $rc, no ThreadSanitizer report"
        else
            not_ok "tsan --jobs 4 $name: exit $rc, $n ThreadSanitizer reports"
            grep -A12 'WARNING: ThreadSanitizer' "$tmp/tsan-$name/stderr" | head -40
        fi
    done
fi
if $tsan_built && { [ -z "$RACES_ONLY" ] || [ "$RACES_ONLY" = api ]; }; then
    files=("$tmp"/plug/*/partnership.yaml "${examples[@]}" tests/bad-data/duplicate-key.yaml \
           "${corpus[@]:0:16}")
    for n in 2 4 8; do
        "$TSAN_B/api_threads" "$n" "$tmp/prev.json" "${files[@]}" >"$tmp/api.out" 2>"$tmp/api.err"
        rc=$?
        nr=$(grep -c 'WARNING: ThreadSanitizer' "$tmp/api.err")
        if [ "$rc" = 0 ] && [ "$nr" = 0 ]; then
            ok "api_threads $n: $(cat "$tmp/api.out"), no ThreadSanitizer report"
        else
            not_ok "api_threads $n: exit $rc, $nr ThreadSanitizer reports"
            grep -v '^ \|^$' "$tmp/api.err" | head -20
        fi
    done
fi

# ---- 3. --jobs 1, 2, 4: the same bytes -------------------------------------------------------
if [ -z "$RACES_ONLY" ] || [ "$RACES_ONLY" = jobs ]; then
    for r in "${runs[@]}"; do
        name=${r%%|*}
        read -r -a args <<<"${r#*|}"
        ref=$tmp/jobs-$name-1
        run "$MAAL" "$name" 1 "$ref" "${args[@]}"
        differ=""
        for k in $(seq 1 "$RACES_REPS"); do
            for j in 2 4; do
                d=$tmp/jobs-$name-$j-$k
                run "$MAAL" "$name" "$j" "$d" "${args[@]}"
                for f in stdout stderr rc; do
                    cmp -s "$ref/$f" "$d/$f" || differ="$differ $f(--jobs $j)"
                done
                for f in "$ref"/o/*; do
                    [ -e "$f" ] || continue
                    cmp -s "$f" "$d/o/${f##*/}" || differ="$differ ${f##*/}(--jobs $j)"
                done
                [ -z "$differ" ] && rm -rf "$d"
            done
        done
        if [ -z "$differ" ]; then
            ok "$name: --jobs 2 and 4 ($RACES_REPS times each) as --jobs 1 (exit $(cat "$ref/rc"), $(wc -l <"$ref/stderr") lines on stderr, $(find "$ref/o" -type f | wc -l) -o files)"
        else
            not_ok "$name: differs from --jobs 1:$differ"
        fi
    done
fi
summary races
