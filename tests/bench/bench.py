#!/usr/bin/env python3
"""The benchmark driver behind tests/bench/run.sh ('make bench', 'make bench-smoke').

On one generated corpus (gen.py) it times, as the median of --reps repetitions run round
robin: the floor (floor.c: libyaml events only), 'maal check --format json' with --jobs 1
and --jobs 2, 'maal validate', the Python reference (reference.py) and the
Node/json-rules-engine reference (reference.js); then one example file checked alone and
maal's peak RSS (/usr/bin/time -v) on 10 files and on all files. It compares the three verdict sets (any difference is printed
and fails the run), prints a table and the ratio lines against their targets (met / not
met: a missed time target never fails the run) and writes every number to --json.

The last line is 'bench: N passed, N failed, N skipped' over the checks: the corpus was
generated, every file passes 'maal validate', every program ran, the verdicts agree, the JSON
was written. A check that cannot run here (no Node packages) is counted as skipped.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = "examples/tingbjerg-husum-2021-2024/partnership.yaml"

TARGETS = [
    # key, label, value function, op, target
    # issue 19 (the targets of issue 8 for python/maal, node/maal and the example withdrawn)
    ("maal_over_floor", "maal/floor", "<=", 3.0),
    ("python_over_maal", "python/maal", ">=", 5.0),
    ("node_over_maal", "node/maal", ">=", 3.5),
    ("example_ms", "one example ms", "<", 5.0),
    ("jobs1_over_jobs2", "jobs1/jobs2", ">=", 1.7),
    ("rss_all_over_10", "RSS all/10", "<=", 1.2),
    # issue 19: validating must never cost more than checking
    ("validate_over_floor", "validate/floor", "<=", 2.0),
    ("validate_over_check", "validate/check", "<=", 1.0),
    # issue 17: half the values from CSV tables must not cost more per value than YAML
    ("tables_over_yaml", "tables/yaml cpu", "<=", 1.0),
]


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.items = []

    def ok(self, name, note=""):
        self.passed += 1
        self.items.append({"check": name, "ok": True, "note": note})
        print("ok %s%s" % (name, " (%s)" % note if note else ""))

    def skip(self, name, why):
        self.skipped += 1
        self.items.append({"check": name, "ok": None, "note": why})
        print("skip %s: %s" % (name, why))

    def fail(self, name, why):
        self.failed += 1
        self.items.append({"check": name, "ok": False, "note": why})
        print("FAIL %s: %s" % (name, why))

    def check(self, cond, name, why="", note=""):
        if cond:
            self.ok(name, note)
        else:
            self.fail(name, why)
        return cond


def run(cmd, out_path=None, timeout=900):
    """Run cmd with stdout to out_path; returns dict(rc, wall, err)."""
    out = open(out_path, "wb") if out_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    except OSError as e:
        if out_path:
            out.close()
        return {"rc": 127, "wall": 0.0, "err": str(e)}
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        err += b"\n(killed after %d s)" % timeout
    wall = time.perf_counter() - t0
    if out_path:
        out.close()
    return {"rc": p.returncode, "wall": wall, "err": err.decode("utf-8", "replace")}


def run_rusage(cmd, out_path=None, timeout=1800):
    """Like run(), with the child's CPU time and peak RSS from wait4 (for the timed runs)."""
    out = open(out_path, "wb") if out_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    except OSError as e:
        if out_path:
            out.close()
        return {"rc": 127, "wall": 0.0, "cpu": 0.0, "maxrss_kb": 0, "err": str(e)}
    killer = threading.Timer(timeout, p.kill)   # a hung run is a failed run
    killer.start()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    killer.cancel()
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if out_path:
        out.close()
    return {"rc": p.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss, "err": err.decode("utf-8", "replace")}


def maal_verdicts(path):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    v = {}
    for p in d["partnerships"]:
        for r in p["results"]:
            v[(p["file"], r["goal"])] = r["verdict"]
    return v


def verdicts_by_id(path):
    """(partnership id, goal) -> verdict: the same partnership in another file."""
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    return {(p["id"], r["goal"]): r["verdict"] for p in d["partnerships"] for r in p["results"]}


def tables_run(a, files, listfile, corpus, outdir, reps, jobs_opt, timeout, checks, res):
    """The corpus again with half the series' value maps in CSV tables (tablify.py), and
    unchanged, each file in a folder of its own: the verdicts must be the same, and maal's
    CPU time is compared, run for run."""
    tcorpus = corpus + "-tables"
    g = subprocess.run([a.python, os.path.join(HERE, "tablify.py"), "--list", listfile,
                        "--out", tcorpus], capture_output=True, text=True)
    tlist = os.path.join(tcorpus, "tables", "files.txt")
    if not checks.check(g.returncode == 0 and os.path.exists(tlist), "tables corpus generated",
                        g.stderr.strip()[-500:], note=g.stdout.strip()):
        return
    with open(tlist) as fh:
        tfiles = [x for x in fh.read().split("\n") if x]
    with open(os.path.join(tcorpus, "yaml", "files.txt")) as fh:
        files = [x for x in fh.read().split("\n") if x]
    res["tables_corpus"] = {"dir": tcorpus, "summary": g.stdout.strip()}
    runs = (("tables_yaml", files, "tables-yaml.json"), ("tables", tfiles, "tables.json"))
    wall = {k: [] for k, _, _ in runs}
    cpu = {k: [] for k, _, _ in runs}
    err = ""
    for i in range(reps):
        # the order alternates (yaml, tables; tables, yaml; ...): neither corpus is always
        # the one run first after the other's
        for key, fl, out in (runs if i % 2 == 0 else runs[::-1]):
            x = run_rusage([a.maal, "check", "--format", "json"] + jobs_opt(1) + fl,
                           os.path.join(outdir, out), timeout)
            if x["rc"] not in (0, 1):
                err = "%s: exit code %s: %s" % (key, x["rc"], x["err"].strip()[-800:])
                break
            wall[key].append(x["wall"])
            cpu[key].append(x["cpu"])
        if err:
            break
    if not checks.check(not err, "maal check ran on the tables corpus", err):
        return
    for key, _, _ in runs:
        res["times_s"][key] = median(wall[key])
        res["samples_s"][key] = wall[key]
        res["cpu_s"][key] = median(cpu[key])
    yv = verdicts_by_id(os.path.join(outdir, "tables-yaml.json"))
    tv = verdicts_by_id(os.path.join(outdir, "tables.json"))
    diff = [k for k in sorted(set(yv) | set(tv)) if yv.get(k) != tv.get(k)]
    for k in diff[:10]:
        print("  %s %s: yaml %s, tables %s" % (k[0], k[1], yv.get(k), tv.get(k)))
    checks.check(not diff, "verdicts with tables = verdicts with YAML",
                 "%d differences" % len(diff), note="%d goals" % len(yv))


def tsv_verdicts(path):
    v = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                v[(parts[0], parts[1])] = parts[2]
    return v


def compare(name, ref, other, checks, limit=30):
    keys = sorted(set(ref) | set(other))
    diff = [(k, ref.get(k, "(none)"), other.get(k, "(none)")) for k in keys
            if ref.get(k) != other.get(k)]
    if diff:
        print("verdict differences, maal vs %s (%d of %d goals):" % (name, len(diff), len(keys)))
        for (f, g), a, b in diff[:limit]:
            print("  %s %s: maal %s, %s %s" % (f, g, a, name, b))
        if len(diff) > limit:
            print("  ... and %d more" % (len(diff) - limit))
    checks.check(not diff and len(ref) > 0, "verdicts maal = %s" % name,
                 "%d of %d goals differ" % (len(diff), len(keys)),
                 note="%d goals" % len(keys))
    return len(diff)


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    return "-" if x is None else ("%.3f" % x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["smoke", "full"], default="smoke")
    ap.add_argument("--maal", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--node", default="", help="node binary; empty: skip the Node reference")
    ap.add_argument("--node-note", default="")
    ap.add_argument("--work", default="build/bench")
    ap.add_argument("--json", default="build/bench.json")
    ap.add_argument("--files", type=int)
    ap.add_argument("--reps", type=int)
    ap.add_argument("--activities", type=int, default=4)
    ap.add_argument("--years", type=int, default=4)
    ap.add_argument("--goals", type=int, default=12)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--only", choices=["tables"],
                    help="tables: only the tables comparison (maal --jobs 1 on the corpus with "
                         "half its values in CSV tables and on the same corpus in YAML, round "
                         "robin) and its CPU ratio")
    ap.add_argument("--example", default=EXAMPLE)
    a = ap.parse_args()
    smoke = a.mode == "smoke"
    files_n = a.files or (20 if smoke else 2000)
    reps = a.reps or (1 if smoke else 5)
    timeout = 300 if smoke else 1800
    checks = Checks()
    res = {"mode": a.mode, "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "machine": {"cpus": os.cpu_count(), "uname": " ".join(platform.uname()[:3]),
                       "python": platform.python_version()},
           "maal": a.maal, "rules_dir": os.environ.get("MAAL_RULES_DIR"), "repetitions": reps, "times_s": {}, "samples_s": {}, "cpu_s": {},
           "notes": []}
    res["load_average_start"] = os.getloadavg()
    os.makedirs(a.work, exist_ok=True)
    outdir = os.path.join(a.work, "out-" + a.mode)
    os.makedirs(outdir, exist_ok=True)

    # ---- the corpus ---------------------------------------------------------------------
    corpus = os.path.join(a.work, "corpus-f%d-a%d-y%d-g%d-s%d" % (files_n, a.activities, a.years,
                                                                   a.goals, a.seed))
    g = subprocess.run([a.python, os.path.join(HERE, "gen.py"), "--out", corpus, "--files",
                        str(files_n), "--activities", str(a.activities), "--years", str(a.years),
                        "--goals", str(a.goals), "--seed", str(a.seed)],
                       capture_output=True, text=True)
    listfile = os.path.join(corpus, "files.txt")
    if not checks.check(g.returncode == 0 and os.path.exists(listfile), "corpus generated",
                        g.stderr.strip()[-500:], note=g.stdout.strip()):
        return finish(checks, res, a)
    with open(listfile) as fh:
        files = [x for x in fh.read().split("\n") if x]
    nbytes = sum(os.path.getsize(f) for f in files)
    m = re.search(r"(\d+) goals", g.stdout)
    res["corpus"] = {"dir": corpus, "files": len(files), "bytes": nbytes,
                     "goals": int(m.group(1)) if m else None, "seed": a.seed,
                     "activities": a.activities, "years": a.years, "goals_per_file": a.goals,
                     "summary": g.stdout.strip()}

    # ---- every file passes maal validate (in parallel chunks: it is slow) -------------------
    stamp = os.path.join(corpus, ".validated")
    maal_m = os.path.getmtime(a.maal) if os.path.exists(a.maal) else 0
    if os.path.exists(stamp) and os.path.getmtime(stamp) > maal_m and \
            os.path.getmtime(stamp) > os.path.getmtime(listfile) and open(stamp).read() == a.maal:
        checks.ok("every file passes maal validate", "%d files, validated before" % len(files))
    else:
        n = max(1, min(os.cpu_count() or 1, 4))
        chunks = [files[i::n] for i in range(n)]
        procs = [subprocess.Popen([a.maal, "validate"] + c, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for c in chunks if c]
        errs = []
        bad = False
        for p in procs:
            _, e = p.communicate()
            bad = bad or p.returncode != 0
            if e:
                errs.append(e.decode("utf-8", "replace"))
        if checks.check(not bad, "every file passes maal validate", "".join(errs)[:2000],
                        note="%d files" % len(files)):
            with open(stamp, "w") as fh:
                fh.write(a.maal)

    # ---- the timed runs, round robin ---------------------------------------------------
    help_text = subprocess.run([a.maal, "check", "--help"], capture_output=True, text=True).stdout
    has_jobs = "--jobs" in help_text
    res["maal_has_jobs"] = has_jobs
    if not has_jobs:
        res["notes"].append("maal check has no --jobs yet: both maal runs are without it")
    jobs_opt = (lambda j: ["--jobs", str(j)]) if has_jobs else (lambda j: [])
    if a.only == "tables":
        res["only"] = "tables"
        tables_run(a, files, listfile, corpus, outdir, reps, jobs_opt, timeout, checks, res)
        t, y = res["cpu_s"].get("tables"), res["cpu_s"].get("tables_yaml")
        res["ratios"] = {"tables_over_yaml": None if t is None or not y else t / y}
        print("tables/yaml cpu: %s (tables %s s, yaml %s s of CPU, median of %d; load average "
              "%.1f at the start)" % ("-" if t is None or y is None else "%.3f" % (t / y),
                                      fmt_s(t), fmt_s(y), reps, res["load_average_start"][0]))
        return finish(checks, res, a)
    cmds = [
        ("floor", [a.floor] + files, "floor.txt"),
        ("maal_jobs1", [a.maal, "check", "--format", "json"] + jobs_opt(1) + files, "maal-j1.json"),
        ("maal_jobs2", [a.maal, "check", "--format", "json"] + jobs_opt(2) + files, "maal-j2.json"),
        ("maal_validate", [a.maal, "validate"] + files, "maal-validate.txt"),
        ("python", [a.python, os.path.join(HERE, "reference.py")] + files, "python.tsv"),
    ]
    if a.node:
        cmds.append(("node", [a.node, os.path.join(HERE, "reference.js")] + files, "node.tsv"))
    else:
        res["notes"].append("node reference skipped: " + a.node_note)
    ok_rc = {"floor": (0,), "maal_jobs1": (0, 1), "maal_jobs2": (0, 1), "maal_validate": (0,),
             "python": (0,),
             "node": (0,)}
    broken = {}
    samples = {k: [] for k, _, _ in cmds}
    cpu = {k: [] for k, _, _ in cmds}
    for r in range(reps):
        for key, cmd, out in cmds:
            if key in broken:
                continue
            x = run_rusage(cmd, os.path.join(outdir, out), timeout)
            if x["rc"] not in ok_rc[key]:
                broken[key] = "exit code %s: %s" % (x["rc"], x["err"].strip()[-800:])
                continue
            samples[key].append(x["wall"])
            cpu[key].append(x["cpu"])
        print("repetition %d/%d: %s" % (r + 1, reps, ", ".join(
            "%s %.2fs" % (k, samples[k][-1]) for k, _, _ in cmds if samples[k])), flush=True)
    labels = {"floor": "floor ran", "maal_jobs1": "maal check --jobs 1 ran",
              "maal_jobs2": "maal check --jobs 2 ran", "maal_validate": "maal validate ran",
              "python": "python reference ran",
              "node": "node reference ran"}
    if not has_jobs:
        labels["maal_jobs1"] = "maal check ran (no --jobs)"
        labels["maal_jobs2"] = "maal check ran again (no --jobs)"
    for key, _, _ in cmds:
        checks.check(key not in broken, labels[key], broken.get(key, ""))
        res["times_s"][key] = median(samples[key])
        res["samples_s"][key] = samples[key]
        res["cpu_s"][key] = median(cpu[key])
    if not a.node:
        checks.skip(labels["node"], a.node_note)

    tables_run(a, files, listfile, corpus, outdir, reps, jobs_opt, timeout, checks, res)

    # ---- the verdicts -----------------------------------------------------------------
    mv = None
    if "maal_jobs1" not in broken:
        try:
            mv = maal_verdicts(os.path.join(outdir, "maal-j1.json"))
        except (OSError, ValueError, KeyError) as e:
            checks.fail("maal JSON readable", str(e))
    ndiff = {}
    if mv is not None:
        res["goals_checked"] = len(mv)
        vcount = {}
        for v in mv.values():
            vcount[v] = vcount.get(v, 0) + 1
        res["verdict_counts"] = vcount
        if "maal_jobs2" not in broken:
            try:
                m2 = maal_verdicts(os.path.join(outdir, "maal-j2.json"))
                ndiff["maal_jobs2"] = compare("maal --jobs 2" if has_jobs else "maal (again)",
                                              mv, m2, checks)
                with open(os.path.join(outdir, "maal-j1.json"), "rb") as f1, \
                        open(os.path.join(outdir, "maal-j2.json"), "rb") as f2:
                    res["jobs2_output_identical"] = f1.read() == f2.read()
            except (OSError, ValueError, KeyError) as e:
                checks.fail("verdicts maal = maal --jobs 2", str(e))
        else:
            checks.fail("verdicts maal = maal --jobs 2", "the --jobs 2 run failed")
        for key, name, out in (("python", "python", "python.tsv"), ("node", "node", "node.tsv")):
            if key == "node" and not a.node:
                checks.skip("verdicts maal = node", a.node_note)
                continue
            if key in broken:
                checks.fail("verdicts maal = %s" % name, "the %s run failed" % name)
                continue
            ndiff[key] = compare(name, mv, tsv_verdicts(os.path.join(outdir, out)), checks)
    else:
        for name in ("maal --jobs 2", "python", "node"):
            checks.fail("verdicts maal = %s" % name, "no maal verdicts to compare with")
    res["verdict_differences"] = ndiff

    # ---- the same on the hand-checked examples (not timed) ----------------------------
    exfiles = []
    for d in sorted(os.listdir("examples")) if os.path.isdir("examples") else []:
        f = os.path.join("examples", d, "partnership.yaml")
        if os.path.isfile(f):
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            # waivers, goal sets and CSV tables are outside the references' scope
            if not re.search(r"^(waivers|include|tables):", text, re.M):
                exfiles.append(f)
    res["examples_compared"] = exfiles
    if exfiles:
        ex_out = os.path.join(outdir, "examples")
        x = run([a.maal, "check", "--format", "json"] + exfiles, ex_out + ".json", timeout)
        bad = [] if x["rc"] in (0, 1) else ["maal exit code %s: %s" % (x["rc"], x["err"][-300:])]
        refs = [("python", [a.python, os.path.join(HERE, "reference.py")])]
        if a.node:
            refs.append(("node", [a.node, os.path.join(HERE, "reference.js")]))
        if not bad:
            ev = maal_verdicts(ex_out + ".json")
            for name, cmd in refs:
                y = run(cmd + exfiles, ex_out + "." + name, timeout)
                if y["rc"] != 0:
                    bad.append("%s exit code %s: %s" % (name, y["rc"], y["err"][-300:]))
                    continue
                rv = tsv_verdicts(ex_out + "." + name)
                for k in sorted(set(ev) | set(rv)):
                    if ev.get(k) != rv.get(k):
                        bad.append("%s %s: maal %s, %s %s" % (k[0], k[1], ev.get(k), name, rv.get(k)))
        if bad:
            print("\n".join("  " + b for b in bad[:30]))
        checks.check(not bad, "verdicts on the examples: maal = %s" % " = ".join(n for n, _ in refs),
                     "%d differences" % len(bad), note="%d files" % len(exfiles))
    else:
        checks.skip("verdicts on the examples", "no example files")

    # ---- one example file alone -------------------------------------------------------
    ex_reps = 1 if smoke else max(3 * reps, 15)
    ex = []
    ex_cpu = []
    ex_err = ""
    for _ in range(ex_reps):
        x = run_rusage([a.maal, "check", "--format", "json", a.example], None, timeout)
        if x["rc"] not in (0, 1):
            ex_err = "exit code %s: %s" % (x["rc"], x["err"].strip()[-500:])
            break
        ex.append(x["wall"])
        ex_cpu.append(x["cpu"])
    checks.check(not ex_err, "one example file checked", ex_err)
    res["times_s"]["example"] = median(ex)
    res["samples_s"]["example"] = ex
    res["cpu_s"]["example"] = median(ex_cpu)
    res["example"] = a.example

    # ---- peak RSS -----------------------------------------------------------------------
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    res["rss_kb"] = {}
    # the median of three runs each: one run's peak moves by ±3 % (when the collector's
    # cycles fall), as much as the ratio's margin
    for key, fl in (("files_10", files[:10]), ("files_all", files)):
        cmd = [a.maal, "check", "--format", "json"] + jobs_opt(1) + fl
        peaks = []
        for _ in range(1 if smoke else 3):
            if gnu_time:
                x = run([gnu_time, "-v"] + cmd, os.path.join(outdir, "rss.json"), timeout)
                mm = re.search(r"Maximum resident set size \(kbytes\): (\d+)", x["err"])
                peak = int(mm.group(1)) if mm else None
                how = "/usr/bin/time -v, median of %d runs" % (1 if smoke else 3)
            else:
                x = run_rusage(cmd, os.path.join(outdir, "rss.json"))
                peak = x["maxrss_kb"]
                how = "wait4 ru_maxrss (no /usr/bin/time)"
            if x["rc"] not in (0, 1) or peak is None:
                break
            peaks.append(peak)
        rss = median(peaks) if peaks else None
        okrun = x["rc"] in (0, 1) and rss is not None
        checks.check(okrun, "peak RSS of maal on %s" % ("10 files" if key == "files_10" else
                                                         "all %d files" % len(files)),
                     "exit code %s: %s" % (x["rc"], x["err"].strip()[-500:]), note=how)
        res["rss_kb"][key] = rss
    res["rss_method"] = "/usr/bin/time -v" if gnu_time else "wait4"

    res["load_average_end"] = os.getloadavg()
    # the load at the end includes the bench's own runs (--jobs 2 alone makes 2): only the
    # start says whether other processes were busy
    busy = res["load_average_start"][0]
    if busy > 1.5:
        res["notes"].append("the machine was busy before the run (1-minute load average %.1f on "
                            "%d CPUs): other processes may have run during the measurement"
                            % (busy, os.cpu_count() or 0))
    if res.get("jobs2_output_identical") is False:
        res["notes"].append("the --jobs 2 JSON differs from the --jobs 1 JSON (verdicts agree)")

    # ---- ratios -------------------------------------------------------------------------
    t = res["times_s"]
    rss = res["rss_kb"]

    def div(x, y):
        return x / y if x is not None and y else None

    values = {
        "maal_over_floor": div(t.get("maal_jobs1"), t.get("floor")),
        "python_over_maal": div(t.get("python"), t.get("maal_jobs1")),
        "node_over_maal": div(t.get("node"), t.get("maal_jobs1")),
        "example_ms": t["example"] * 1000 if t.get("example") is not None else None,
        "jobs1_over_jobs2": div(t.get("maal_jobs1"), t.get("maal_jobs2")) if has_jobs else None,
        "rss_all_over_10": div(rss.get("files_all"), rss.get("files_10")),
        "validate_over_floor": div(t.get("maal_validate"), t.get("floor")),
        "validate_over_check": div(t.get("maal_validate"), t.get("maal_jobs1")),
        "tables_over_yaml": div(res["cpu_s"].get("tables"), res["cpu_s"].get("tables_yaml")),
    }
    res["ratios"] = {}
    for key, label, op, target in TARGETS:
        v = values[key]
        met = None
        if v is not None:
            met = v <= target if op == "<=" else v >= target if op == ">=" else v < target
        res["ratios"][key] = {"label": label, "value": v, "op": op, "target": target, "met": met}

    print_table(res, files, nbytes)
    return finish(checks, res, a)


def print_table(res, files, nbytes):
    t, s, c = res["times_s"], res["samples_s"], res["cpu_s"]
    print()
    co = res.get("corpus", {})
    print("bench %s: %d files, %.1f MB, %s goals (seed %s), %d repetition(s); median wall time"
          % (res["mode"], len(files), nbytes / 1e6, co.get("goals"), co.get("seed"),
             res["repetitions"]))
    print("  %-42s %10s %10s %10s %10s" % ("run", "median s", "min s", "max s", "cpu s"))
    names = [("floor", "floor (libyaml events only)"),
             ("maal_jobs1", "maal check --format json --jobs 1"),
             ("maal_jobs2", "maal check --format json --jobs 2"),
             ("maal_validate", "maal validate"),
             ("python", "python reference (CSafeLoader)"),
             ("node", "node reference (json-rules-engine)"),
             ("example", "one example file, maal check"),
             ("tables_yaml", "maal --jobs 1, a folder per file"),
             ("tables", "maal --jobs 1, half the values in tables")]
    if not res.get("maal_has_jobs"):
        names[1] = ("maal_jobs1", "maal check --format json")
        names[2] = ("maal_jobs2", "maal check --format json (again)")
    for key, label in names:
        if key not in t:
            continue
        xs = s.get(key) or []
        print("  %-42s %10s %10s %10s %10s" % (label, fmt_s(t[key]), fmt_s(min(xs) if xs else None),
                                               fmt_s(max(xs) if xs else None), fmt_s(c.get(key))))
    rss = res.get("rss_kb", {})
    for key, label in (("files_10", "peak RSS maal, 10 files"),
                       ("files_all", "peak RSS maal, all %d files" % len(files))):
        v = rss.get(key)
        print("  %-42s %10s MB" % (label, "-" if v is None else "%.1f" % (v / 1024)))
    print("ratios:")
    for key, r in res["ratios"].items():
        v = r["value"]
        state = "n/a" if r["met"] is None else ("met" if r["met"] else "not met")
        print("  %-16s %10s   target %s %s   %s" % (r["label"], "-" if v is None else "%.2f" % v,
                                                   r["op"], r["target"], state))
    for n in res["notes"]:
        print("note: " + n)


def finish(checks, res, a):
    # the file records the last check ('results written') as passed: it exists only then
    res["checks"] = checks.items + [{"check": "results written", "ok": True, "note": a.json}]
    res["passed"], res["failed"] = checks.passed + 1, checks.failed
    try:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        tmp = a.json + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(res, fh, indent=2, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, a.json)
        checks.ok("results written", a.json)
    except OSError as e:
        checks.fail("results written", str(e))
    print("bench: %d passed, %d failed, %d skipped" % (checks.passed, checks.failed, checks.skipped))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
