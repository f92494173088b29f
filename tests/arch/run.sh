#!/usr/bin/env bash
# docs/architecture.md against the code: every C file of core/ is named in its table of parts,
# and the arrows it draws hold in the #include lines (followed through the headers): a part
# does not use what the page says it does not know (model no Lua, reporters no Lua state, the
# library nothing of cli/), and the library neither prints to a terminal of its own accord,
# exits nor starts threads. Each rule is one case; a failure names the file and the include.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

while IFS= read -r line; do
    case $line in
    "ok "*) ok "${line#ok }" ;;
    "FAIL "*) not_ok "${line#FAIL }" ;;
    *) printf '%s\n' "$line" ;;
    esac
done < <(python3 - <<'PY'
import glob, os, re

def includes(path):
    """the headers a file includes: local ones by their path, system ones as <name>"""
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if not m:
            continue
        name = m.group(2)
        if m.group(1) == '"':
            for d in (os.path.dirname(path), "core", "include", "cli"):
                if os.path.exists(os.path.join(d, name)):
                    out.append(os.path.normpath(os.path.join(d, name)))
                    break
            else:
                out.append("<" + name + ">")  # generated or system
        else:
            local = os.path.join("include", name)
            out.append(local if os.path.exists(local) else "<" + name + ">")
    return out

memo = {}
def closure(path):
    """every header 'path' includes, directly or through a local header"""
    if path in memo:
        return memo[path]
    memo[path] = set()
    seen = set()
    for h in includes(path):
        seen.add(h)
        if not h.startswith("<"):
            seen |= closure(h)
    memo[path] = seen
    return seen

def part(h):
    return os.path.splitext(os.path.basename(h))[0] if not h.startswith("<") else h

# 1. every file of core/ is in the table of parts
doc = open("docs/architecture.md", encoding="utf-8").read()
table = [l for l in doc.splitlines() if l.startswith("| ")]
named = set()
for l in table:
    for pat in re.findall(r"`(core/[^`]+)`", l):
        named |= set(glob.glob(pat))
files = sorted(glob.glob("core/*.c") + glob.glob("core/*.h"))
missing = [f for f in files if f not in named]
print(("ok" if not missing else "FAIL") + " every file of core/ is in architecture.md's table"
      + ("" if not missing else ": missing " + ", ".join(missing)))

# 2. what each part must not use (directly or through the headers it includes)
LUA = {"<lua.h>", "<lauxlib.h>", "<lualib.h>"}
def hs(*names):
    return {"core/%s.h" % n for n in names}
rules = [
    ("util knows nothing of partnerships", ["core/util.c", "core/util.h", "core/files.c",
        "core/common.h"], hs("doc", "model", "eval", "rules", "plugin", "report") | LUA),
    ("doc knows YAML but not goals", ["core/doc.c", "core/doc.h"],
        hs("model", "eval", "table", "rules", "plugin") | LUA),
    ("table and index know no goals", ["core/table.c", "core/table.h", "core/index.c",
        "core/index.h"], hs("model", "eval", "doc") | LUA),
    ("model knows goals but not Lua", ["core/model.c", "core/model.h"],
        hs("eval", "sandbox", "views", "results", "params", "rules", "plugin", "report") | LUA),
    ("rules and plugin do not use eval", ["core/rules.c", "core/rules.h", "core/plugin.c",
        "core/plugin.h"], hs("eval", "sandbox", "views", "results", "report", "compare")),
    ("sandbox uses neither views nor results", ["core/sandbox.c", "core/sandbox.h"],
        hs("views", "results", "eval", "params", "report")),
    ("views use neither sandbox nor results", ["core/views.c", "core/views.h"],
        hs("sandbox", "results", "eval", "params", "report")),
    ("results use no views", ["core/results.c", "core/results.h"],
        hs("views", "params", "report")),
    ("params use no sandbox, views or results", ["core/params.c", "core/params.h"],
        hs("sandbox", "views", "results", "eval", "report")),
    ("eval knows no report formats", ["core/eval.c", "core/eval.h"],
        hs("report", "compare", "history", "outlook")),
    ("reporters see results, never the Lua state",
        sorted(glob.glob("core/report*.c")) + ["core/report.h"],
        hs("sandbox", "views", "results", "params") | LUA),
    ("compare, history, outlook and ruletest use no reporter", ["core/compare.c",
        "core/compare.h", "core/history.c", "core/history.h", "core/outlook.c",
        "core/outlook.h", "core/ruletest.c", "core/ruletest.h"], hs("report")),
]
cli_headers = set(glob.glob("cli/*.h"))
rules.append(("the library uses nothing of cli/", files, cli_headers))
for name, members, banned in rules:
    bad = []
    for f in members:
        if not os.path.exists(f):
            bad.append(f + " does not exist")
            continue
        for h in sorted(closure(f) & banned):
            bad.append("%s uses %s" % (f, h))
    print(("ok " if not bad else "FAIL ") + name + ("" if not bad else ": " + "; ".join(bad)))

# 3. the library neither prints on its own, exits nor starts threads
calls = re.compile(r"(?<![\w.>])(printf|puts|putchar|perror|exit|_Exit|abort|pthread_create|"
                   r"fork|isatty)\s*\(|\b(stdout|stderr)\b")
bad = []
for f in glob.glob("core/*.c"):
    text = open(f, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    for n, line in enumerate(text.splitlines(), 1):
        m = calls.search(line)
        if m:
            bad.append("%s:%d: %s" % (f, n, m.group(0).strip()))
# files.c: an -o output named "-" is standard output (the command line's; see
# architecture.md's util row); the one place the library names a standard stream
allowed = {"core/files.c"}
bad = [b for b in bad if b.split(":")[0] not in allowed]
print(("ok " if not bad else "FAIL ") + "the library does not print, exit or start threads"
      + ("" if not bad else ": " + "; ".join(bad[:10])))
PY
)
summary arch
