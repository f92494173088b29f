#!/usr/bin/env bash
# maal-ci.sh: check a partnership data repository with maal, in CI or by hand.
#
# Run it from the root of the data repository:
#
#     scripts/maal-ci.sh [MAAL CHECK OPTION]...      e.g. scripts/maal-ci.sh --year 2022
#
# It (1) finds maal, or builds it from its git repository, (2) runs
#     maal check DATA... -o json=… -o junit=… -o html=… -o markdown=… -o text=… -o tap=…
# writing every report into $MAAL_REPORTS (default reports/), (3) compares with a previous
# result ($MAAL_REPORTS/previous.json) when there is a readable one, (4) prints the text
# report, what changed and a last line with the exit code, and (5) exits with maal's exit
# code: 0 nothing in --fail-on, 1 something in --fail-on, 2 invalid input, 3 a rule error.
# Problems of its own (no data files, maal cannot be found or built) also exit 2.
#
# Environment (all optional):
#   MAAL           the maal binary to use. Without it: the maal built in $MAAL_HOME/src
#                  from MAAL_GIT_URL at MAAL_REF (git clone + make) when MAAL_GIT_URL is
#                  set, else maal on PATH
#   MAAL_GIT_URL   the maal repository to build from
#   MAAL_REF       the commit to build: pin it by its full commit id (a tag or a branch also
#                  builds, but only a build of a commit id is ever reused)
#   MAAL_HOME      where maal is built (default .maal; cache this folder, keyed on MAAL_REF).
#                  A build is reused only when MAAL_REF is a commit id, the build recorded
#                  that commit, and nothing in MAAL_HOME is committed to the data repository
#   MAAL_DATA      the data files, a shell pattern (default: data/*.yaml)
#   MAAL_REPORTS   the report folder (default: reports)
#   MAAL_PREVIOUS  the previous result to compare with (default: $MAAL_REPORTS/previous.json)
#   MAAL_FAIL_ON   maal's --fail-on list (default: fail; pull requests: regression)
#   MAAL_GITHUB    1: also print GitHub annotations on standard output (default: 1 when
#                  GITHUB_ACTIONS=true); the Markdown report goes to GITHUB_STEP_SUMMARY
#   SOURCE_DATE_EPOCH, MAAL_LANG, MAAL_PATH, ...   passed to maal as they are
set -u

say() { printf 'maal-ci: %s\n' "$*"; }
die() {
    printf 'maal-ci: error: %s\n' "$*" >&2
    exit 2
}

reports=${MAAL_REPORTS:-reports}
previous=${MAAL_PREVIOUS:-$reports/previous.json}
fail_on=${MAAL_FAIL_ON:-fail}
home=${MAAL_HOME:-.maal}
github=${MAAL_GITHUB:-}
if [ -z "$github" ]; then
    if [ "${GITHUB_ACTIONS:-}" = true ]; then github=1; else github=0; fi
fi

# --- 1. maal --------------------------------------------------------------------------------
build_maal() {
    if [ -z "${MAAL_REF:-}" ]; then
        say "warning: MAAL_REF is not set: building the default branch of $MAAL_GIT_URL; pin a tag or commit"
    fi
    say "building maal from $MAAL_GIT_URL at ${MAAL_REF:-its default branch} in $home/src"
    rm -rf "$home/src" "$home/REF"
    mkdir -p "$home/src" || die "cannot create $home/src"
    # each step checked on its own: 'set -e' does nothing in a ( ... ) || die, so the first
    # failure (a MAAL_REF that does not exist) would run on into a cascade of errors
    step() { "$@" || die "building maal stopped: '$*' failed (exit $?)"; }
    step git -C "$home/src" init -q
    step git -C "$home/src" remote add origin "$MAAL_GIT_URL"
    # one commit only; a tag, a branch or a full commit id all work with GitHub and GitLab
    git -C "$home/src" fetch -q --depth 1 origin "${MAAL_REF:-HEAD}" ||
        die "MAAL_REF '${MAAL_REF:-HEAD}' cannot be fetched from $MAAL_GIT_URL: no such tag, branch or commit there?"
    step git -C "$home/src" checkout -q FETCH_HEAD
    # B=build: where the binary is expected; no make settings leak in from a caller
    step env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$home/src" B=build
    # the commit really built: a reuse compares it with MAAL_REF
    git -C "$home/src" rev-parse HEAD >"$home/REF" || die "cannot read the commit built"
}

# Files of the data repository's checkout are data, never a build: true when something under
# $1 is committed (a pull request could add .maal/REF and a binary of its own).
committed() { git ls-files -- "$1" 2>/dev/null | grep -q .; }

# Reuse the build in $home only when it came from the CI cache keyed by the pinned commit.
reusable() {
    local ref=${MAAL_REF:-}
    if ! printf '%s' "$ref" | grep -qxE '[0-9a-f]{40}'; then
        say "note: MAAL_REF '${ref:-}' is not a full commit id: not reusing a cached build"
        return 1
    fi
    if committed "$home"; then
        say "warning: $home is committed to the data repository: never reused as a build"
        return 1
    fi
    [ -x "$home/src/build/maal" ] && [ "$(cat "$home/REF" 2>/dev/null)" = "$ref" ] &&
        [ "$(git -C "$home/src" rev-parse HEAD 2>/dev/null)" = "$ref" ]
}

if [ -n "${MAAL:-}" ]; then
    maal=$MAAL
    [ -x "$maal" ] || command -v "$maal" >/dev/null 2>&1 || die "MAAL=$maal is not an executable"
elif [ -n "${MAAL_GIT_URL:-}" ]; then
    mkdir -p "$home" || die "cannot create $home"
    home=$(cd "$home" && pwd)
    # a cached build (CI caches $MAAL_HOME) is reused only when it was built from the same
    # commit and is not part of the checkout
    if ! reusable; then
        build_maal
    else
        say "reusing the maal built from ${MAAL_REF:-HEAD} in $home/src"
    fi
    maal=$home/src/build/maal
    # maal run from its build tree uses the tree's rules/ and plugins/; say where they are in
    # case the cache was restored at another path
    export MAAL_RULES_DIR=${MAAL_RULES_DIR:-$home/src/rules}
    if [ -d "$home/src/plugins" ]; then export MAAL_PLUGINS_DIR=${MAAL_PLUGINS_DIR:-$home/src/plugins}; fi
elif command -v maal >/dev/null 2>&1; then
    maal=maal
else
    die "no maal: set MAAL to a maal binary, or MAAL_GIT_URL (and MAAL_REF) to build one, or put maal on PATH"
fi
version=$("$maal" --version 2>&1) || die "$maal --version failed: $version"
say "using $version ($maal)"

# --- 2. data --------------------------------------------------------------------------------
# The pattern is expanded here, sorted as the C locale sorts it: the same files give the
# same report in the same order on every machine. File names are data: the list is
# NUL-separated (a name may hold a line break) and they reach maal after '--', so a file
# named '--plugin=x' is a file, never an option.
pattern=${MAAL_DATA:-data/*.yaml}
files=()
while IFS= read -r -d '' f; do
    [ -n "$f" ] && files+=("$f")
done < <(
    # shellcheck disable=SC2086 # the pattern is meant to be expanded
    for f in $pattern; do [ -e "$f" ] && printf '%s\0' "$f"; done | LC_ALL=C sort -z
)
[ "${#files[@]}" -gt 0 ] || die "no data files match '$pattern' (run from the data repository's root, or set MAAL_DATA)"
# A file of the checkout is data, and so is where it leads: a committed link
# 'data/x.yaml -> ~/.git-credentials' made maal quote the token in its error, in the CI log,
# and a link to a device (or a FIFO) was opened. So a file named inside the checkout must be a
# regular file (or a folder) whose real path is inside it too. (A pattern that names files
# outside the checkout, an absolute path or '../', is the CI configuration's own choice.)
top=$(pwd -P)
for f in "${files[@]}"; do
    case $f in
    /* | ../* | .. ) case $f in "$PWD"/* | "$top"/*) ;; *) continue ;; esac ;;
    esac
    real=$(realpath -e -- "$f" 2>/dev/null || readlink -f -- "$f" 2>/dev/null) || real=
    name=$(printf '%q' "$f") # one line, whatever the name holds
    if [ -z "$real" ] || ! { [ -f "$real" ] || [ -d "$real" ]; }; then
        die "$name is not a regular file or a folder (a FIFO, a device or a broken link): refused"
    fi
    case $real in
    "$top"/*) ;;
    *) die "$name leads out of the repository (a link to $(printf '%q' "$real")): refused" ;;
    esac
done

# the report folder and the previous result are this run's and the CI's, never the checkout's
[ -L "$reports" ] && die "$reports is a symbolic link: remove it (reports are written by this run)"
mkdir -p "$reports" || die "cannot create $reports"
# maal writes no report when any input is invalid (it keeps the old one); show no stale one
rm -f "$reports/maal.json" "$reports/maal.xml" "$reports/maal.html" "$reports/maal.md" \
    "$reports/maal.txt" "$reports/maal.tap"

# --- 3. previous result ---------------------------------------------------------------------
compare=()
if [ -e "$previous" ] && { [ -L "$previous" ] || ! [ -f "$previous" ]; }; then
    say "warning: ignoring $previous, which is not a regular file (a folder or a link)"
elif [ -f "$previous" ]; then
    # a previous result maal cannot read (damaged, or an older format_version after an
    # upgrade) must not break the run: check it first, and go on without it
    if out=$("$maal" diff -- "$previous" "$previous" 2>&1); then
        compare=(--compare "$previous")
        say "comparing with $previous"
    else
        say "warning: ignoring $previous, which maal cannot read: $out"
    fi
else
    say "no previous result ($previous): this run is not compared with one"
fi
case ",$fail_on," in
*,regression,*)
    if [ "${#compare[@]}" -eq 0 ]; then
        # maal refuses --fail-on regression without --compare: drop it for this run
        say "note: --fail-on $fail_on without a previous result: there is nothing to regress from"
        fail_on=$(printf '%s' ",$fail_on," | sed 's/,regression,/,/g; s/^,//; s/,$//')
        [ -n "$fail_on" ] || fail_on=none
    fi
    ;;
esac
fail_opt=(--fail-on "$fail_on")
[ "$fail_on" = none ] && fail_opt=(--fail-on error)

# --- 4. check -------------------------------------------------------------------------------
outs=(-o "json=$reports/maal.json" -o "junit=$reports/maal.xml" -o "html=$reports/maal.html"
    -o "markdown=$reports/maal.md" -o "text=$reports/maal.txt" -o "tap=$reports/maal.tap")
# '-' is standard output: GitHub Actions reads the annotations from the step's output
[ "$github" = 1 ] && outs+=(-o github=-)
cmd=("$maal" check "${fail_opt[@]}" "${compare[@]}" "${outs[@]}" "$@" -- "${files[@]}")
# quoted as the shell would read it: a file name's line break cannot start a line of the log
say "$(printf '%q ' "${cmd[@]}")"
# maal's messages are kept too (on invalid data they go into the job summary) and shown
"${cmd[@]}" 2>"$reports/maal.err"
rc=$?
cat "$reports/maal.err" >&2

# --- 5. summary -----------------------------------------------------------------------------
# Under GitHub, text from the data (a title with a line break) must not be read as a workflow
# command: stop them while the text report and the diff are printed.
token=
if [ "$github" = 1 ]; then
    token=maal-$(od -An -tx1 -N12 /dev/urandom 2>/dev/null | tr -d ' \n')
    [ "$token" = maal- ] && token=maal-$$-$RANDOM$RANDOM
    echo "::stop-commands::$token"
fi
[ -f "$reports/maal.txt" ] && cat "$reports/maal.txt"
if [ "${#compare[@]}" -gt 0 ] && [ -f "$reports/maal.json" ]; then
    say "changes against $previous:"
    "$maal" diff -- "$previous" "$reports/maal.json" 2>&1 | grep -v '^$' || true
fi
[ -n "$token" ] && echo "::$token::"
nocompare=
[ "${#compare[@]}" -eq 0 ] && nocompare="; not compared: no previous result ($previous)"
if [ "$github" = 1 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    [ -n "$nocompare" ] && printf '**maal:** no previous result (%s): this run was not compared, and --fail-on regression was not applied\n\n' "$previous" >>"$GITHUB_STEP_SUMMARY"
    # what changed first ("Ændringer"), then the report; invalid data: maal's messages
    if [ "${#compare[@]}" -gt 0 ] && [ -f "$reports/maal.json" ]; then
        "$maal" diff "$previous" "$reports/maal.json" --format markdown >>"$GITHUB_STEP_SUMMARY" 2>/dev/null
        echo >>"$GITHUB_STEP_SUMMARY"
    fi
    if [ -f "$reports/maal.md" ]; then
        cat "$reports/maal.md" >>"$GITHUB_STEP_SUMMARY"
    elif [ "$rc" = 2 ] && [ -s "$reports/maal.err" ]; then
        { echo "## maal: ugyldige data / invalid data"; echo
          sed 's/^/    /' "$reports/maal.err"; } >>"$GITHUB_STEP_SUMMARY"
    fi
fi
case $rc in
0) what="no goal has a verdict in --fail-on $fail_on" ;;
1) what="a goal has a verdict in --fail-on $fail_on (or went from pass to fail)" ;;
2) what="invalid input: a data file does not load or validate, or a report cannot be written" ;;
3) what="a rule error: some goal has the verdict error" ;;
*) what="unexpected" ;;
esac
say "reports in $reports/; maal exited $rc: $what$nocompare"
exit "$rc"
