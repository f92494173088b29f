#!/usr/bin/env bash
# Usage: bash tests/trust/shellcheck-ci.sh [DIR]. Runs shellcheck over every shell script of
# the CI recipes in DIR (default examples/ci): each *.sh, and the shell steps of each workflow
# (GitHub 'run:', GitLab 'script:' and 'before_script:'), with GitHub's ${{ … }} expressions
# replaced by a word.
set -u
dir=${1:-examples/ci}
command -v shellcheck >/dev/null 2>&1 || { echo "shellcheck-ci: shellcheck is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
while IFS= read -r -d '' f; do
    shellcheck -s bash "$f" || rc=1
done < <(find "$dir" -name '*.sh' -type f -print0)
python3 - "$dir" "$tmp" <<'PY' || rc=1
import os, re, sys, yaml
src, out = sys.argv[1], sys.argv[2]
n = 0
def emit(where, text):
    global n
    n += 1
    text = re.sub(r"\$\{\{.*?\}\}", "GH_EXPR", text)
    with open(os.path.join(out, "step%03d.sh" % n), "w") as f:
        f.write("#!/bin/bash\n# %s\n%s\n" % (where, text))
for root, _, names in os.walk(src):
    for name in names:
        if not name.endswith((".yml", ".yaml")):
            continue
        path = os.path.join(root, name)
        doc = yaml.safe_load(open(path))
        for job, spec in (doc or {}).items():
            if not isinstance(spec, dict):
                continue
            for step in spec.get("steps", []) or []:
                if isinstance(step, dict) and "run" in step:
                    emit("%s: %s" % (path, step.get("name", job)), step["run"])
            for key in ("before_script", "script", "after_script"):
                if key in spec:
                    lines = spec[key] if isinstance(spec[key], list) else [spec[key]]
                    emit("%s: %s.%s" % (path, job, key), "\n".join(lines))
        for job, spec in (doc.get("jobs") or {}).items():
            for step in spec.get("steps", []) or []:
                if isinstance(step, dict) and "run" in step:
                    emit("%s: %s: %s" % (path, job, step.get("name", "run")), step["run"])
PY
for f in "$tmp"/step*.sh; do
    [ -e "$f" ] || continue
    # SC2154: CI variables ($GITHUB_RUN_ID, $CI_JOB_TOKEN, ...) come from the runner
    if ! shellcheck -s bash -e SC2154 "$f"; then
        sed -n 2p "$f"
        rc=1
    fi
done
exit "$rc"
