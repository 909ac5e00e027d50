"""Speed, scaling and memory of cleaner, measured against the targets of the issue
"Speed: clean at 20x the speed of ftfy alone, scale with cores, bounded memory".

Run from the repository root (see benchmarks/README.md):

    PYTHONPATH=. python benchmarks/bench.py --quick          # smoke run, under a minute
    PYTHONPATH=. python benchmarks/bench.py                  # the full run
    PYTHONPATH=. python benchmarks/bench.py --json out.json  # also write every figure

Sections (``--only`` picks some):

1. ``throughput``: ``clean()`` and ``ftfy.fix_text`` (default settings) in one process,
   on the dev corpus's raw texts, MB/s of UTF-8 input, CPU and wall time, best of
   ``--repeat``; ``clean()`` by extractor.
2. ``fix``: the glitch-fix step alone (gated ftfy, the full fix step, ungated ftfy with
   the project's settings) and how many documents and lines need ftfy at all.
3. ``corpus``: the ``cleaner`` command end to end on a generated JSONL corpus with
   ``-j 1`` and ``-j 2``: wall time, MB/s, speed-up, peak memory; and a byte-for-byte
   comparison of the ``-j 1`` and ``-j 2`` output on a smaller corpus.
4. ``growth``: one document repeated 1x, 10x, 100x (time ratios: linear is ~10), and a
   single-line blob of ``--blob-mb`` MB (time, MB/s, peak memory).

Nothing here asserts a timing: the script prints figures and a PASS/FAIL table against
the issue's targets. Everything that does work runs under ``if __name__ == "__main__"``
(the corpus command spawns worker processes).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import filecmp
import gc
import glob
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV_DIR = os.path.join(ROOT, "..", "shared", "corpus", "dev")
FIXTURE_GLOBS = ["fixtures/seeds/*.txt", "fixtures/gate/*.txt", "fixtures/negative/*.txt", "fixtures/mojibake/*.txt"]
MB = 1_000_000  # MB/s here means 10^6 bytes of UTF-8 input per second

# The targets.
TARGET_RATIO = 20.0  # clean() at least 20x the speed of ftfy.fix_text alone
TARGET_SPEEDUP = 1.7  # -j 2 at least 1.7x -j 1, with identical output
TARGET_CORPUS_MEM_MB = 250.0  # peak memory for the 200 MB corpus
TARGET_DOC_MEM_FACTOR = 6.0  # peak memory of one call <= 6x the document
TARGET_GROWTH = 13.0  # 10x input <= 13x time

# Runs the command it is given and writes its own children's peak RSS (the maximum over
# every process below it that has been waited for: the cleaner and its pool workers).
_RUSAGE_WRAPPER = (
    "import json,resource,subprocess,sys,time\n"
    "t=time.perf_counter(); r=subprocess.run(sys.argv[2:]); w=time.perf_counter()-t\n"
    "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "json.dump({'rc':r.returncode,'wall':w,'maxrss_kb':u.ru_maxrss,'cpu':u.ru_utime+u.ru_stime},"
    "open(sys.argv[1],'w'))\n"
)


# --------------------------------------------------------------------------- output
def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A Markdown table."""
    rows = [[_cell(c) for c in row] for row in rows]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def say(text: str = "") -> None:
    print(text, flush=True)


def mbps(nbytes: int, seconds: float) -> float:
    return nbytes / MB / seconds if seconds > 0 else float("nan")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


# --------------------------------------------------------------------------- the corpus
def load_corpus(dev_dir: str = DEV_DIR, stride: int = 1) -> tuple[list[dict[str, Any]], str]:
    """The dev corpus's raw texts (or the bundled fixtures), as dicts with ``raw``,
    ``extractor`` and ``id``; every ``stride``-th document only."""
    files = sorted(glob.glob(os.path.join(dev_dir, "*.jsonl")))
    docs: list[dict[str, Any]] = []
    if files:
        for path in files:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    if isinstance(rec.get("raw"), str):
                        docs.append({"id": rec.get("id") or f"{os.path.basename(path)}:{len(docs)}",
                                     "extractor": rec.get("extractor") or "unknown", "raw": rec["raw"]})
        source = "dev corpus (" + ", ".join(os.path.relpath(f, ROOT) if os.path.realpath(dev_dir) ==
                                            os.path.realpath(DEV_DIR) else f for f in files) + ")"
    else:
        for pattern in FIXTURE_GLOBS:
            for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
                if path.endswith(".gold.txt"):
                    continue
                with open(path, encoding="utf-8", newline="") as fh:
                    docs.append({"id": os.path.relpath(path, ROOT), "extractor": pattern.split("/")[1],
                                 "raw": fh.read()})
        source = "bundled fixtures (" + ", ".join(FIXTURE_GLOBS) + "; the dev corpus was not found)"
    return docs[::stride], source


def warm_up(docs: list[dict[str, Any]]) -> None:
    """Imports, rule loading, stoplists, regex compilation: none of it may be timed."""
    import ftfy

    from cleaner import Config, clean
    from cleaner.fixers import FTFY_CONFIG, ftfy_fix

    sample = ("Boston’s mayor said on Monday that the city would comply with the new rules.\n"
              "Advertisement\nThe vote is in May, and the council expects a close result.\n")
    clean(sample)
    clean(sample, fix_step_config())
    clean(sample, Config(html_input=False))
    ftfy.fix_text(sample)
    ftfy.fix_text(sample, FTFY_CONFIG)
    ftfy_fix(sample + "cafÃ© &amp;\n")
    try:
        from cleaner import signals

        signals._stoplists()  # jusText's stoplists load on the first page dump
    except Exception as exc:  # noqa: BLE001 - only a warm-up
        print(f"(warm-up: stoplists not preloaded: {exc})", file=sys.stderr)
    if docs:
        clean(min(docs, key=lambda d: len(d["raw"]))["raw"])


def fix_step_config():
    from cleaner import Config

    return Config(builtin_rules=False, dedupe=False, article_heuristic=False, html_input=False)


# --------------------------------------------------------------------------- timing
def time_calls(fn: Callable[[str], Any], texts: list[str], repeat: int,
               groups: list[str] | None = None, keep: bool = False) -> dict[str, Any]:
    """Call ``fn`` on every text, ``repeat`` times; best CPU and best wall time.

    With ``groups`` (one label per text), also the best per-label CPU and wall time,
    from per-call clocks. With ``keep``, the outputs of the first run.
    """
    best_cpu = best_wall = float("inf")
    per_cpu: dict[str, float] = {}
    per_wall: dict[str, float] = {}
    outputs: list[Any] = []
    for run in range(repeat):
        gc.collect()
        if groups is None:
            c0, w0 = time.process_time(), time.perf_counter()
            if keep and run == 0:
                outputs = [fn(t) for t in texts]
            else:
                for t in texts:
                    fn(t)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        else:
            gcpu: dict[str, float] = collections.defaultdict(float)
            gwall: dict[str, float] = collections.defaultdict(float)
            pt, pc = time.process_time, time.perf_counter
            c0, w0 = pt(), pc()
            for t, g in zip(texts, groups):
                a, b = pt(), pc()
                out = fn(t)
                gcpu[g] += pt() - a
                gwall[g] += pc() - b
                if keep and run == 0:
                    outputs.append(out)
            cpu, wall = pt() - c0, pc() - w0
            for g, g_cpu in gcpu.items():
                per_cpu[g] = min(per_cpu.get(g, float("inf")), g_cpu)
                per_wall[g] = min(per_wall.get(g, float("inf")), gwall[g])
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    return {"cpu": best_cpu, "wall": best_wall, "per_cpu": per_cpu, "per_wall": per_wall, "outputs": outputs}


# --------------------------------------------------------------------------- 1. throughput
def bench_throughput(docs: list[dict[str, Any]], repeat: int, results: dict[str, Any]) -> None:
    import ftfy

    from cleaner import clean

    texts = [d["raw"] for d in docs]
    extractors = [d["extractor"] for d in docs]
    nbytes = sum(utf8_len(t) for t in texts)
    say(f"## 1. clean() vs ftfy.fix_text, one process ({len(texts)} documents, {nbytes / MB:.1f} MB, "
        f"best of {repeat})\n")
    c = time_calls(clean, texts, repeat, extractors)
    f = time_calls(ftfy.fix_text, texts, repeat)
    rows = []
    for name, r in (("clean()", c), ("ftfy.fix_text (default settings)", f)):
        rows.append([name, r["cpu"], r["wall"], mbps(nbytes, r["cpu"]), mbps(nbytes, r["wall"])])
    ratio_cpu = f["cpu"] / c["cpu"]
    ratio_wall = f["wall"] / c["wall"]
    rows.append(["ratio clean / ftfy (speed)", "", "", f"{ratio_cpu:.2f}x", f"{ratio_wall:.2f}x"])
    say(table(["what", "CPU s", "wall s", "MB/s (CPU)", "MB/s (wall)"], rows))
    say()
    by_ext = collections.Counter()
    count = collections.Counter()
    for t, e in zip(texts, extractors):
        by_ext[e] += utf8_len(t)
        count[e] += 1
    rows = []
    ext_out = {}
    for e in sorted(by_ext):
        cpu, wall = c["per_cpu"][e], c["per_wall"][e]
        rows.append([e, count[e], by_ext[e] / MB, cpu, mbps(by_ext[e], cpu), mbps(by_ext[e], wall)])
        ext_out[e] = {"docs": count[e], "mb": by_ext[e] / MB, "cpu_s": cpu, "wall_s": wall,
                      "mbps_cpu": mbps(by_ext[e], cpu), "mbps_wall": mbps(by_ext[e], wall)}
    say("clean() by extractor (per-call clocks, best run per extractor):\n")
    say(table(["extractor", "docs", "MB", "CPU s", "MB/s (CPU)", "MB/s (wall)"], rows))
    say()
    results["throughput"] = {
        "docs": len(texts), "mb": nbytes / MB, "repeat": repeat,
        "clean": {"cpu_s": c["cpu"], "wall_s": c["wall"], "mbps_cpu": mbps(nbytes, c["cpu"]),
                  "mbps_wall": mbps(nbytes, c["wall"])},
        "ftfy_default": {"cpu_s": f["cpu"], "wall_s": f["wall"], "mbps_cpu": mbps(nbytes, f["cpu"]),
                         "mbps_wall": mbps(nbytes, f["wall"])},
        "ratio_cpu": ratio_cpu, "ratio_wall": ratio_wall, "by_extractor": ext_out,
    }


def profile_clean(docs: list[dict[str, Any]], results: dict[str, Any], top: int = 15) -> None:
    import cProfile
    import pstats

    from cleaner import clean

    texts = [d["raw"] for d in docs]
    say(f"## Profile: cProfile of clean() over the corpus, top {top} functions by tottime\n")
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        clean(t)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    rows = []
    entries = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, lineno, func), (cc, nc, tt, ct, _callers) in entries:
        where = f"{os.path.relpath(filename, ROOT) if filename.startswith(ROOT) else os.path.basename(filename)}" \
                f":{lineno}({func})"
        rows.append([where, nc, tt, f"{100 * tt / total:.1f} %", ct])
    say(f"(total {total:.1f} s under the profiler, which slows pure-Python code down)\n")
    say(table(["function", "calls", "tottime s", "share", "cumtime s"], rows))
    say()
    steps = {("core.py", "_run"): "clean() in all", ("segments.py", "split_lines"): "split_lines",
             ("fixers.py", "fix_lines"): "glitch fixes (fix_lines)", ("segments.py", "split_blobs"): "split_blobs",
             ("engine.py", "apply_rules"): "rules (apply_rules, every round)",
             ("heuristics.py", "drop_duplicates"): "dedupe (drop_duplicates)",
             ("article.py", "find_article"): "article heuristic (find_article)", ("segments.py", "render"): "render"}
    by_step = []
    for (filename, _lineno, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        name = steps.get((os.path.basename(filename), func))
        if name:
            by_step.append([name, nc, ct, f"{100 * ct / total:.1f} %"])
    by_step.sort(key=lambda r: -r[2])
    say("By step (cumulative time, under the profiler):\n")
    say(table(["step", "calls", "cumtime s", "share"], by_step))
    say()
    results["profile"] = {"total_s": total, "by_step": by_step, "top": [dict(zip(["function", "calls", "tottime_s", "share", "cumtime_s"],
                                                             [str(x) if i == 3 else x for i, x in enumerate(r)]))
                                                    for r in rows]}


# --------------------------------------------------------------------------- 2. the fix step
def segments(text: str) -> list[str]:
    """``text`` cut after every ``\\n`` (the last piece may have no ending)."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def bench_fix(docs: list[dict[str, Any]], repeat: int, results: dict[str, Any]) -> None:
    import ftfy

    from cleaner import clean
    from cleaner.fixers import FTFY_CONFIG, _flagged_segments, ftfy_fix, needs_ftfy

    texts = [d["raw"] for d in docs]
    nbytes = sum(utf8_len(t) for t in texts)
    say(f"## 2. The glitch-fix step alone ({len(texts)} documents, {nbytes / MB:.1f} MB, best of {repeat})\n")
    cfg = fix_step_config()
    gated = time_calls(ftfy_fix, texts, repeat, keep=True)
    step = time_calls(lambda t: clean(t, cfg), texts, repeat)
    ungated = time_calls(lambda t: ftfy.fix_text(t, FTFY_CONFIG), texts, repeat, keep=True)
    mismatches = sum(1 for a, b in zip(gated["outputs"], ungated["outputs"]) if a != b)
    rows = []
    figures = {}
    for key, name, r in (("ftfy_fix_gated", "cleaner.fixers.ftfy_fix (gated ftfy)", gated),
                         ("fix_step", ("full fix step: clean(Config(builtin_rules=False, dedupe=False, "
                                       "article_heuristic=False, html_input=False))"), step),
                         ("ftfy_ungated", "ftfy.fix_text(text, FTFY_CONFIG) (ungated)", ungated)):
        rows.append([name, r["cpu"], r["wall"], mbps(nbytes, r["cpu"]), mbps(nbytes, r["wall"])])
        figures[key] = {"cpu_s": r["cpu"], "wall_s": r["wall"], "mbps_cpu": mbps(nbytes, r["cpu"]),
                        "mbps_wall": mbps(nbytes, r["wall"])}
    say(table(["what", "CPU s", "wall s", "MB/s (CPU)", "MB/s (wall)"], rows))
    say()
    skipped = 0
    n_seg = n_flag = flag_bytes = 0
    for t in texts:
        if not _flagged_segments(t):
            skipped += 1
        for s in segments(t):
            n_seg += 1
            if needs_ftfy(s):
                n_flag += 1
                flag_bytes += utf8_len(s)
    share_docs = skipped / len(texts) if texts else float("nan")
    share_lines = n_flag / n_seg if n_seg else float("nan")
    share_bytes = flag_bytes / nbytes if nbytes else float("nan")
    say(table(["pre-screen", "value"], [
        ["documents that skip ftfy entirely (`_flagged_segments` empty)", f"{skipped} / {len(texts)} = {100 * share_docs:.1f} %"],
        ["lines that need ftfy (`needs_ftfy` on each \\n-terminated segment)", f"{n_flag} / {n_seg} = {100 * share_lines:.2f} %"],
        ["bytes in those lines", f"{100 * share_bytes:.2f} % of the input"],
        ["gated result != ungated ftfy.fix_text(text, FTFY_CONFIG)", f"{mismatches} documents"],
    ]))
    say()
    figures.update({"docs": len(texts), "mb": nbytes / MB, "docs_skipping_ftfy": skipped,
                    "share_docs_skipping_ftfy": share_docs, "segments": n_seg, "segments_needing_ftfy": n_flag,
                    "share_segments_needing_ftfy": share_lines, "share_bytes_needing_ftfy": share_bytes,
                    "gated_vs_ungated_mismatches": mismatches})
    results["fix"] = figures


# --------------------------------------------------------------------------- 3. the command
def write_corpus(folder: str, docs: list[dict[str, Any]], target_bytes: int, shards: int,
                 start: int = 0, prefix: str = "shard") -> tuple[int, int]:
    """JSONL records {"id", "text"} repeating the raw texts, about ``target_bytes`` in
    ``shards`` files of about equal size. Returns (bytes written, records)."""
    os.makedirs(folder, exist_ok=True)
    per_shard = target_bytes / shards
    written = records = 0
    i = start
    for s in range(shards):
        path = os.path.join(folder, f"{prefix}-{s:03d}.jsonl")
        size = 0
        with open(path, "wb") as fh:
            while size < per_shard:
                doc = docs[i % len(docs)]
                line = json.dumps({"id": f"{doc['id']}#{i // len(docs)}", "text": doc["raw"]},
                                  ensure_ascii=False).encode("utf-8") + b"\n"
                fh.write(line)
                size += len(line)
                records += 1
                i += 1
        written += size
    return written, records


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        stat = fh.read()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
                except (OSError, ValueError, IndexError):
                    pass
        return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in kB; PSS is RSS where smaps_rollup is unreadable."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
        return rss, pss or rss
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return rss, rss


def run_command(args: list[str], workdir: str, interval: float = 0.2) -> dict[str, Any]:
    """Run ``python -m cleaner ARGS`` under the rusage wrapper; sample the memory of the
    process tree below the wrapper while it runs."""
    report = os.path.join(workdir, "rusage.json")
    out_path, err_path = os.path.join(workdir, "stdout.txt"), os.path.join(workdir, "stderr.txt")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-c", _RUSAGE_WRAPPER, report, sys.executable, "-m", "cleaner", *args]
    peak_rss = peak_pss = peak_procs = 0
    cpu_by_pid: dict[int, tuple[int, float]] = {}  # pid -> (depth below the wrapper, last CPU seconds seen)
    loads = []
    busy0 = _machine_busy_s()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        while proc.poll() is None:
            tree, todo = [], [(pid, 1) for pid in _children(proc.pid)]
            while todo:
                pid, depth = todo.pop()
                tree.append(pid)
                todo.extend((child, depth + 1) for child in _children(pid))
                cpu = _cpu_seconds(pid)
                if cpu is not None:
                    cpu_by_pid[pid] = (depth, cpu)
            rss = pss = 0
            for pid in tree:
                r, p = _memory_kb(pid)
                rss += r
                pss += p
            peak_rss, peak_pss, peak_procs = max(peak_rss, rss), max(peak_pss, pss), max(peak_procs, len(tree))
            loads.append(_load1())
            time.sleep(interval)
        outer_wall = time.perf_counter() - t0
    busy = _machine_busy_s() - busy0
    with open(report) as fh:
        usage = json.load(fh)
    with open(out_path, encoding="utf-8", errors="replace") as fh:
        stdout = fh.read()
    with open(err_path, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    return {"rc": usage["rc"], "wall_s": usage["wall"], "outer_wall_s": outer_wall, "cpu_s": usage["cpu"],
            "max_process_rss_mb": usage["maxrss_kb"] * 1024 / MB, "tree_rss_mb": peak_rss * 1024 / MB,
            "tree_pss_mb": peak_pss * 1024 / MB, "processes": peak_procs, "stdout": stdout, "stderr": stderr,
            # sampled, so each figure may miss the last 0.2 s of a process
            "cpu_main_s": sum(c for d, c in cpu_by_pid.values() if d == 1),
            "cpu_workers_s": sorted((round(c, 1) for d, c in cpu_by_pid.values() if d > 1 and c >= 0.5),
                                    reverse=True),
            "load_avg_during": sum(loads) / len(loads) if loads else float("nan"),
            # cores kept busy by everything else on the machine (this script included) during the run
            "other_cores_busy": max(0.0, (busy - usage["cpu"]) / outer_wall) if not math.isnan(busy) else float("nan")}


def _machine_busy_s() -> float:
    """CPU seconds all CPUs have spent busy since boot (/proc/stat), or nan."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _load1() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def folder_bytes(folder: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def compare_trees(a: str, b: str) -> tuple[int, list[str]]:
    """(files compared, differences) between two folders, byte for byte."""
    def listing(root: str) -> set[str]:
        return {os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files}

    la, lb = listing(a), listing(b)
    diffs = [f"only in one: {p}" for p in sorted(la ^ lb)]
    for rel in sorted(la & lb):
        if not filecmp.cmp(os.path.join(a, rel), os.path.join(b, rel), shallow=False):
            diffs.append(f"differs: {rel}")
    return len(la | lb), diffs


def bench_corpus(docs: list[dict[str, Any]], opts: argparse.Namespace, results: dict[str, Any]) -> None:
    tmp = tempfile.mkdtemp(prefix="cleaner-bench-")
    figures: dict[str, Any] = {}
    try:
        shards = 1 if opts.single_file else opts.shards
        corpus = os.path.join(tmp, "corpus")
        t0 = time.perf_counter()
        nbytes, records = write_corpus(corpus, docs, int(opts.corpus_mb * MB), shards)
        gen = time.perf_counter() - t0
        mode = "fix (in place, on a fresh copy each run)" if opts.fix else "--check"
        say(f"## 3. The cleaner command end to end ({nbytes / MB:.0f} MB, {records} records, "
            f"{shards} JSONL file{'s' if shards > 1 else ''}, mode {mode})\n")
        say(f"(corpus generated in {gen:.1f} s in {tmp}; best of {opts.corpus_repeat} run(s) per -j; "
            f"load average before: {_load()})\n")
        runs: dict[int, dict[str, Any]] = {}
        for jobs in (1, 2):
            best: dict[str, Any] | None = None
            for _ in range(opts.corpus_repeat):
                work = os.path.join(tmp, f"run-j{jobs}")
                os.makedirs(work, exist_ok=True)
                if opts.fix:
                    target = os.path.join(tmp, "copy")
                    shutil.rmtree(target, ignore_errors=True)
                    shutil.copytree(corpus, target)
                    args = ["-q", "--no-progress", "-j", str(jobs), target]
                else:
                    args = ["--check", "-q", "--no-progress", "-j", str(jobs), corpus]
                r = run_command(args, work)
                say(f"- -j {jobs}: exit {r['rc']}, {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU "
                    f"(cleaner process {r['cpu_main_s']:.1f} s, workers {r['cpu_workers_s']} s), "
                    f"mean 1-min load average during the run {r['load_avg_during']:.1f}, other processes kept "
                    f"{r['other_cores_busy']:.2f} cores busy, "
                    f"{mbps(nbytes, r['wall_s']):.2f} MB/s, max process RSS {r['max_process_rss_mb']:.0f} MB, "
                    f"process tree peak RSS {r['tree_rss_mb']:.0f} MB / PSS {r['tree_pss_mb']:.0f} MB "
                    f"({r['processes']} processes)")
                if r["rc"] not in (0, 1):
                    say(f"  stderr: {r['stderr'][-2000:]}")
                if best is None or r["wall_s"] < best["wall_s"]:
                    best = r
                best["max_process_rss_mb"] = max(best["max_process_rss_mb"], r["max_process_rss_mb"])
                best["tree_pss_mb"] = max(best["tree_pss_mb"], r["tree_pss_mb"])
                best["tree_rss_mb"] = max(best["tree_rss_mb"], r["tree_rss_mb"])
            runs[jobs] = best
        say()
        j1, j2 = runs[1], runs[2]
        same_messages = sorted(j1["stderr"].splitlines()) == sorted(j2["stderr"].splitlines()) and \
            sorted(j1["stdout"].splitlines()) == sorted(j2["stdout"].splitlines()) and j1["rc"] == j2["rc"]
        speedup = j1["wall_s"] / j2["wall_s"]
        rows = []
        for jobs, r in runs.items():
            rows.append([f"-j {jobs}", r["rc"], r["wall_s"], mbps(nbytes, r["wall_s"]), r["cpu_s"],
                         r["max_process_rss_mb"], r["tree_rss_mb"], r["tree_pss_mb"]])
        say(table(["run", "exit", "wall s", "MB/s", "CPU s (all processes)", "max process RSS MB",
                   "tree peak RSS MB (sum)", "tree peak PSS MB (sum)"], rows))
        say()
        say(f"speed-up -j 2 / -j 1: {speedup:.2f}x; exit codes and messages the same: {same_messages}")
        busiest = max([j2["cpu_main_s"], *j2["cpu_workers_s"]])
        floor = max(busiest, j2["cpu_s"] / 2)
        bound = j1["cpu_s"] / floor if floor else float("nan")
        say(f"CPU used per wall second: -j 1 {j1['cpu_s'] / j1['wall_s']:.2f}, -j 2 {j2['cpu_s'] / j2['wall_s']:.2f} "
            f"(an idle 2-core machine allows up to 2.0). On an idle 2-core machine -j 2 would still need at least "
            f"max(its busiest process's CPU time {busiest:.1f} s, its total CPU time / 2 = {j2['cpu_s'] / 2:.1f} s), "
            f"and -j 1 about its CPU time: speed-up at most {bound:.2f}x (a bound from CPU accounting, "
            f"not a measurement).")
        say(f"load average after: {_load()}\n")
        figures.update({"mb": nbytes / MB, "records": records, "files": shards, "mode": "fix" if opts.fix else "check",
                        "j1": {k: v for k, v in j1.items() if k not in ("stdout", "stderr")},
                        "j2": {k: v for k, v in j2.items() if k not in ("stdout", "stderr")},
                        "speedup": speedup, "check_messages_identical": same_messages,
                        "speedup_bound_idle_machine": bound})
        figures["j1"]["mbps"] = mbps(nbytes, j1["wall_s"])
        figures["j2"]["mbps"] = mbps(nbytes, j2["wall_s"])
        shutil.rmtree(os.path.join(tmp, "copy"), ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)

        # Identical output: --output-dir with -j 1 and -j 2, compared byte for byte. Big
        # files (>= 4 MB, streamed by the parent and cleaned batch by batch in the pool)
        # and small files (one per task) take different paths through the runner: both.
        ident = os.path.join(tmp, "ident")
        total = int(opts.identity_mb * MB)
        n_big = max(1, int(0.75 * opts.identity_mb // 5))
        big_each = max(4.5 * MB, 0.75 * total / n_big)
        b1, r1 = write_corpus(os.path.join(ident, "big"), docs, int(big_each * n_big), n_big, prefix="big")
        b2, _ = write_corpus(os.path.join(ident, "small"), docs, max(MB, total - b1), 10, start=r1, prefix="small")
        out = {}
        for jobs in (1, 2):
            work = os.path.join(tmp, f"ident-j{jobs}")
            os.makedirs(work, exist_ok=True)
            out[jobs] = os.path.join(tmp, f"out-j{jobs}")
            out[jobs + 10] = run_command(["-q", "--no-progress", "-j", str(jobs), "--output-dir", out[jobs], ident], work)
        files, diffs = compare_trees(out[1], out[2])
        changed_files = sum(1 for p in glob.glob(os.path.join(out[1], "*", "*.jsonl"))
                            if not filecmp.cmp(p, os.path.join(ident, os.path.relpath(p, out[1])), shallow=False))
        identical = not diffs and out[11]["rc"] == out[12]["rc"] and out[11]["rc"] in (0, 1)
        say(f"### -j 1 vs -j 2 output, byte for byte ({(b1 + b2) / MB:.0f} MB: {n_big} file(s) of "
            f"{big_each / MB:.1f} MB and 10 of {b2 / 10 / MB:.1f} MB, --output-dir)\n")
        say(table(["run", "exit", "wall s", "MB/s"],
                  [[f"-j {j}", out[j + 10]["rc"], out[j + 10]["wall_s"], mbps(b1 + b2, out[j + 10]["wall_s"])]
                   for j in (1, 2)]))
        say()
        say(f"{files} output files compared, {changed_files} of them differ from their input (cleaning happened); "
            f"differences between -j 1 and -j 2: {len(diffs)}" + (f" ({'; '.join(diffs[:5])})" if diffs else ""))
        say(f"identical: {identical}\n")
        figures["identity"] = {"mb": (b1 + b2) / MB, "files": files, "files_changed_by_cleaning": changed_files,
                               "differences": diffs, "identical": identical,
                               "j1_wall_s": out[11]["wall_s"], "j2_wall_s": out[12]["wall_s"],
                               "j1_rc": out[11]["rc"], "j2_rc": out[12]["rc"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["corpus"] = figures


def code_state() -> str:
    """The commit, whether cleaner/ and rules/ differ from it, and a digest of their files."""
    import hashlib

    digest = hashlib.sha1()
    for folder in ("cleaner", "rules"):
        for d, dirs, files in sorted(os.walk(os.path.join(ROOT, folder))):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".py", ".toml")):
                    path = os.path.join(d, f)
                    digest.update(os.path.relpath(path, ROOT).encode())
                    with open(path, "rb") as fh:
                        digest.update(fh.read())
    if not os.path.exists(os.path.join(ROOT, ".git")):
        marker = os.path.join(ROOT, "COMMIT")  # a `git archive` snapshot may carry its commit here
        commit = open(marker).read().strip()[:7] if os.path.isfile(marker) else "?"  # noqa: SIM115
        return f"snapshot of commit {commit} (not a git checkout), cleaner/+rules/ digest {digest.hexdigest()[:12]}"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip() or "?"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "cleaner", "rules"], cwd=ROOT,
                               capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        commit, dirty = "?", ""
    state = "with uncommitted changes in cleaner/ or rules/" if dirty else "clean"
    return f"commit {commit} ({state}), cleaner/+rules/ digest {digest.hexdigest()[:12]}"


def _autogroup_note() -> str:
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as fh:
            on = fh.read().strip() == "1"
    except OSError:
        return "autogroup unknown."
    if on:
        return ("autogroup on: each session's processes share the CPUs as one group, so while another session "
                "is busy this run gets about one share however many workers it starts.")
    return "autogroup off."


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# --------------------------------------------------------------------------- 4. growth
def pick_long_doc(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """A long real document: the html_text one closest to 15 KB (10-20 KB), else the
    longest document under 20 KB, else the longest."""
    sized = [(utf8_len(d["raw"]), d) for d in docs]
    html = [(n, d) for n, d in sized if d["extractor"] == "html_text" and 10_000 <= n <= 20_000]
    if html:
        return min(html, key=lambda nd: (abs(nd[0] - 15_000), nd[1]["id"]))[1]
    under = [(n, d) for n, d in sized if n <= 20_000]
    return max(under or sized, key=lambda nd: (nd[0], nd[1]["id"]))[1]


def repeated(doc: str, copies: int, vary: bool) -> str:
    """``copies`` copies of ``doc`` as separate paragraphs; with ``vary``, every
    non-blank line of copy k ends in " [k]" so no copy repeats another."""
    body = doc.rstrip("\n")
    parts = []
    for k in range(1, copies + 1):
        if vary:
            parts.append("\n".join(line + f" [{k}]" if line.strip() else line for line in body.split("\n")))
        else:
            parts.append(body)
    return "\n\n".join(parts) + "\n"


def peak_call_memory(fn: Callable[[], Any]) -> float:
    """Bytes allocated at the peak of ``fn()`` above what was allocated before (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - before


def bench_growth(docs: list[dict[str, Any]], repeat: int, results: dict[str, Any]) -> None:
    from cleaner import clean

    doc = pick_long_doc(docs)
    n1 = utf8_len(doc["raw"])
    say(f"## 4. Growth with size\n\nDocument: `{doc['id']}` ({doc['extractor']}, {n1:,} bytes, "
        f"{doc['raw'].count(chr(10))} lines), repeated as separate paragraphs; best of {repeat}.\n")
    rows = []
    figures: dict[str, Any] = {"document": doc["id"], "bytes": n1}
    for vary in (False, True):
        label = "varied copies" if vary else "identical copies (dedupe removes repeats)"
        times = {}
        for copies in (1, 10, 100):
            text = repeated(doc["raw"], copies, vary)
            r = time_calls(clean, [text], repeat)
            out = clean(text)
            mem = peak_call_memory(lambda text=text: clean(text))
            nb = utf8_len(text)
            times[copies] = r["cpu"]
            rows.append([label, f"{copies}x", nb / MB, r["cpu"], r["wall"], mbps(nb, r["cpu"]),
                         f"{100 * (1 - utf8_len(out) / nb):.0f} %", mem / MB, mem / nb])
            figures[f"{'varied' if vary else 'identical'}_{copies}x"] = {
                "mb": nb / MB, "cpu_s": r["cpu"], "wall_s": r["wall"], "mbps_cpu": mbps(nb, r["cpu"]),
                "removed_share": 1 - utf8_len(out) / nb, "peak_alloc_mb": mem / MB, "peak_alloc_per_input_byte": mem / nb}
        key = "varied" if vary else "identical"
        figures[f"{key}_ratio_10_1"] = times[10] / times[1]
        figures[f"{key}_ratio_100_10"] = times[100] / times[10]
    say(table(["input", "copies", "MB", "CPU s", "wall s", "MB/s (CPU)", "removed", "peak alloc MB (tracemalloc)",
               "peak alloc / input"], rows))
    say()
    say(table(["time ratio (CPU)", "identical copies", "varied copies", "linear", "quadratic"], [
        ["10x / 1x", figures["identical_ratio_10_1"], figures["varied_ratio_10_1"], "~10", "~100"],
        ["100x / 10x", figures["identical_ratio_100_10"], figures["varied_ratio_100_10"], "~10", "~100"],
    ]))
    say()
    results["growth"] = figures


def make_blob(docs: list[dict[str, Any]], nbytes: int) -> str:
    """About ``nbytes`` (never more) of UTF-8 text on one line: the corpus's lines joined by spaces."""
    pieces: list[str] = []
    size = 0
    i = 0
    while size < nbytes:
        text = " ".join(docs[i % len(docs)]["raw"].split())
        i += 1
        if not text:
            continue
        pieces.append(text)
        size += utf8_len(text) + 1
        if i > 10 * len(docs) and size == 0:
            break
    blob = " ".join(pieces).encode("utf-8")[: nbytes - 1].decode("utf-8", "ignore")
    return blob.rstrip() + "."


def blob_worker(path: str, trace: bool) -> None:
    """In a fresh process: clean the single-line blob in ``path``; print time and memory as JSON."""
    from cleaner import Config, clean

    warm_up([])
    with open(path, encoding="utf-8", newline="") as fh:
        blob = fh.read()
    config = Config()
    guard = ""
    if config.max_document_chars and len(blob) > config.max_document_chars:
        config = Config(max_document_chars=0)  # else clean() passes it through untouched
        guard = f"over max_document_chars={Config().max_document_chars}: run with max_document_chars=0"
    gc.collect()
    hwm_reset = _reset_peak_rss()
    rss_before = _status_kb("VmRSS")
    peak_before = _status_kb("VmHWM") if hwm_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c0, w0 = time.process_time(), time.perf_counter()
    out = clean(blob, config)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    peak = _status_kb("VmHWM") if hwm_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Without a resettable high-water mark, a peak reached before the call hides the call's own.
    measurable = hwm_reset or peak > peak_before
    res = {"chars": len(blob), "bytes": utf8_len(blob), "cpu_s": cpu, "wall_s": wall,
           "out_bytes": utf8_len(out), "changed": out != blob, "newlines_in": blob.count("\n"),
           "rss_before_mb": rss_before * 1024 / MB, "peak_rss_mb": peak * 1024 / MB,
           "rss_delta_mb": (peak - rss_before) * 1024 / MB if measurable else float("nan"),
           "peak_reset": hwm_reset, "guard": guard}
    del out
    from cleaner.fixers import _flagged_segments, ftfy_fix

    c0 = time.process_time()
    flagged = _flagged_segments(blob)
    res["prescreen_cpu_s"] = time.process_time() - c0
    res["flagged_segments"] = len(flagged)
    c0 = time.process_time()
    ftfy_fix(blob)
    res["ftfy_fix_cpu_s"] = time.process_time() - c0
    if trace:
        res["peak_alloc_mb"] = peak_call_memory(lambda: clean(blob, config)) / MB
    print(json.dumps(res))


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith(field + ":")), 0)
    except OSError:
        return 0


def _reset_peak_rss() -> bool:
    """Reset this process's VmHWM (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return _status_kb("VmHWM") > 0
    except OSError:
        return False


def bench_blob(opts: argparse.Namespace, results: dict[str, Any]) -> None:
    say("### One single-line document (sentences joined by spaces, no newline)\n")
    say("Each size runs in a fresh process. RSS growth: the process's peak RSS during the call (VmHWM, reset "
        "just before) minus its RSS before the call, which already holds the document. Peak alloc: tracemalloc's "
        "peak during a second call, above what was allocated before it.\n")
    rows = []
    figures: dict[str, Any] = {}
    sizes = [opts.blob_mb / 10, opts.blob_mb]
    docs, _ = load_corpus(opts.dev_corpus)
    tmp = tempfile.mkdtemp(prefix="cleaner-blob-")
    try:
        paths = []
        for mb in sizes:
            paths.append(os.path.join(tmp, f"blob-{mb:g}.txt"))
            with open(paths[-1], "w", encoding="utf-8", newline="") as fh:
                fh.write(make_blob(docs, int(mb * MB)))
        del docs
        procs = []
        for path in paths:
            cmd = [sys.executable, os.path.abspath(__file__), "--_blob-worker", path]
            if not opts.no_blob_tracemalloc:
                cmd.append("--_blob-trace")
            env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
            t0 = time.perf_counter()
            procs.append((subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, check=False),
                          time.perf_counter() - t0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for mb, (proc, outer) in zip(sizes, procs):
        if proc.returncode != 0:
            say(f"- {mb:g} MB: FAILED (exit {proc.returncode} after {outer:.0f} s): {proc.stderr[-1500:]}")
            figures[f"{mb:g}MB"] = {"finished": False, "rc": proc.returncode, "stderr": proc.stderr[-1500:]}
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["finished"] = True
        r["mbps_cpu"] = mbps(r["bytes"], r["cpu_s"])
        r["rss_delta_per_input_byte"] = r["rss_delta_mb"] / (r["bytes"] / MB)
        if "peak_alloc_mb" in r:
            r["peak_alloc_per_input_byte"] = r["peak_alloc_mb"] / (r["bytes"] / MB)
        figures[f"{mb:g}MB"] = r
        rows.append([f"{r['bytes'] / MB:.1f}", r["chars"], r["cpu_s"], r["wall_s"], r["mbps_cpu"],
                     r["prescreen_cpu_s"], r["ftfy_fix_cpu_s"],
                     f"{100 * (1 - r['out_bytes'] / r['bytes']):.1f} %", r["rss_before_mb"], r["peak_rss_mb"],
                     r["rss_delta_mb"], r["rss_delta_per_input_byte"],
                     r.get("peak_alloc_mb", float("nan")), r.get("peak_alloc_per_input_byte", float("nan"))])
        if r["guard"]:
            say(f"- note: {r['guard']}")
    say("CPU s, wall s, MB/s: the clean() call. Pre-screen: `cleaner.fixers._flagged_segments(blob)`; "
        "ftfy_fix: `cleaner.fixers.ftfy_fix(blob)` (which calls ftfy on every flagged line: here the only "
        "line).\n")
    say(table(["MB", "chars", "CPU s", "wall s", "MB/s (CPU)", "ftfy pre-screen alone CPU s",
               "ftfy_fix alone CPU s", "removed", "RSS before MB", "peak RSS MB",
               "RSS growth MB", "RSS growth / input", "peak alloc MB (tracemalloc)", "peak alloc / input"], rows))
    say()
    small, big = figures.get(f"{sizes[0]:g}MB", {}), figures.get(f"{sizes[1]:g}MB", {})
    if small.get("finished") and big.get("finished"):
        figures["ratio_10x"] = big["cpu_s"] / small["cpu_s"]
        say(f"time ratio {sizes[1]:g} MB / {sizes[0]:g} MB (CPU): {figures['ratio_10x']:.1f} (linear ~10); "
            f"of the pre-screen `_flagged_segments` alone: "
            f"{big['prescreen_cpu_s'] / max(small['prescreen_cpu_s'], 1e-6):.1f}; of `ftfy_fix` alone: "
            f"{big['ftfy_fix_cpu_s'] / max(small['ftfy_fix_cpu_s'], 1e-6):.1f}. (The pre-screen and "
            f"ftfy_fix are timed in separate calls after the clean() call; clean() runs both inside.)\n")
    results["blob"] = figures


# --------------------------------------------------------------------------- summary
def summary(results: dict[str, Any], opts: argparse.Namespace) -> None:
    rows = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else "PASS" if ok else "**FAIL**"

    t = results.get("throughput")
    if t:
        rows.append(["clean() speed / ftfy.fix_text speed, one process", f"≥ {TARGET_RATIO:g}x",
                     (f"{t['ratio_cpu']:.2f}x CPU, {t['ratio_wall']:.2f}x wall "
                      f"({t['clean']['mbps_cpu']:.2f} vs {t['ftfy_default']['mbps_cpu']:.2f} MB/s CPU)"),
                     verdict(t["ratio_cpu"] >= TARGET_RATIO and t["ratio_wall"] >= TARGET_RATIO)])
    c = results.get("corpus")
    if c:
        ident = c.get("identity", {})
        ok = c["speedup"] >= TARGET_SPEEDUP and ident.get("identical", False) and c["check_messages_identical"]
        rows.append([f"cleaner -j 2 vs -j 1 on {c['mb']:.0f} MB", f"≥ {TARGET_SPEEDUP:g}x, identical output",
                     (f"{c['speedup']:.2f}x ({c['j1']['mbps']:.2f} → {c['j2']['mbps']:.2f} MB/s); output identical: "
                      f"{ident.get('identical')} ({ident.get('files')} files, {ident.get('mb', 0):.0f} MB); "
                      f"CPU split bound on an idle machine {c.get('speedup_bound_idle_machine', float('nan')):.2f}x, "
                      f"other processes kept {c['j2'].get('other_cores_busy', float('nan')):.1f} of the cores busy "
                      f"during -j 2"),
                     verdict(ok)])
        worst = max(c["j1"]["tree_pss_mb"], c["j2"]["tree_pss_mb"], c["j1"]["max_process_rss_mb"],
                    c["j2"]["max_process_rss_mb"])
        worst_proc = max(c["j1"]["max_process_rss_mb"], c["j2"]["max_process_rss_mb"])
        note = "" if c["mb"] >= 190 else f" (corpus {c['mb']:.0f} MB, not 200)"
        rows.append([f"peak memory, {c['mb']:.0f} MB corpus{note}", f"≤ {TARGET_CORPUS_MEM_MB:g} MB",
                     (f"all processes together {worst:.0f} MB (sampled PSS sum: -j 1 {c['j1']['tree_pss_mb']:.0f}, "
                      f"-j 2 {c['j2']['tree_pss_mb']:.0f}); largest single process {worst_proc:.0f} MB RSS"),
                     verdict(worst <= TARGET_CORPUS_MEM_MB)])
    g, b = results.get("growth"), results.get("blob")
    mems = []
    if g:
        r = g["varied_100x"]
        mems.append((f"100x document ({r['mb']:.1f} MB)", r["peak_alloc_per_input_byte"]))
    if b:
        big = b.get(f"{opts.blob_mb:g}MB", {})
        if big.get("finished"):
            if "peak_alloc_per_input_byte" in big:
                mems.append((f"{big['bytes'] / MB:.0f} MB single line, tracemalloc", big["peak_alloc_per_input_byte"]))
            mems.append((f"{big['bytes'] / MB:.0f} MB single line, RSS growth", big["rss_delta_per_input_byte"]))
    if mems:
        worst = max(m[1] for m in mems if m[1] == m[1])
        rows.append(["peak memory of one clean() call / document size", f"≤ {TARGET_DOC_MEM_FACTOR:g}x",
                     "; ".join(f"{name}: {v:.1f}x" for name, v in mems), verdict(worst <= TARGET_DOC_MEM_FACTOR)])
    if g:
        ratios = [g["identical_ratio_10_1"], g["identical_ratio_100_10"], g["varied_ratio_10_1"],
                  g["varied_ratio_100_10"]]
        rows.append(["10x input → time", f"≤ {TARGET_GROWTH:g}x",
                     (f"identical copies {g['identical_ratio_10_1']:.1f}x, {g['identical_ratio_100_10']:.1f}x; "
                      f"varied copies {g['varied_ratio_10_1']:.1f}x, {g['varied_ratio_100_10']:.1f}x "
                      f"(1→10, 10→100)"), verdict(max(ratios) <= TARGET_GROWTH)])
    if b:
        big = b.get(f"{opts.blob_mb:g}MB", {})
        if big.get("finished"):
            ratio = b.get("ratio_10x", float("nan"))
            rows.append([f"{opts.blob_mb:g} MB single line", f"finishes, linear (≤ {TARGET_GROWTH:g}x time for 10x)",
                         (f"finished in {big['wall_s']:.1f} s ({big['mbps_cpu']:.2f} MB/s); "
                          f"{opts.blob_mb / 10:g} → {opts.blob_mb:g} MB: {ratio:.1f}x time"),
                         verdict(ratio <= TARGET_GROWTH)])
        else:
            rows.append([f"{opts.blob_mb:g} MB single line", "finishes, linear", "did not finish", verdict(False)])
    say("## Summary (for the README's Performance section)\n")
    say(table(["target", "goal", "measured", "result"], rows))
    say()
    results["summary"] = rows


# --------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run in under a minute")
    p.add_argument("--only", action="append", choices=["throughput", "fix", "corpus", "growth", "profile", "peers"],
                   help="run only these sections (repeatable; profile runs only when named or with --profile)")
    p.add_argument("--skip-corpus-command", action="store_true", help="skip section 3 (the cleaner command)")
    p.add_argument("--corpus-mb", type=float, help="size of the generated JSONL corpus (default 200; --quick 8)")
    p.add_argument("--shards", type=int, default=8, help="JSONL files of the generated corpus (default 8)")
    p.add_argument("--single-file", action="store_true", help="the generated corpus as one big JSONL file")
    p.add_argument("--fix", action="store_true",
                   help="run the command in fix mode (in place, on a fresh copy of the corpus) instead of --check")
    p.add_argument("--identity-mb", type=float, help="size of the -j 1 / -j 2 output comparison (default 20; --quick 6)")
    p.add_argument("--blob-mb", type=float, help="size of the single-line document (default 50; --quick 2)")
    p.add_argument("--no-blob-tracemalloc", action="store_true",
                   help="skip the second call on each blob that measures its peak allocation with tracemalloc")
    p.add_argument("--repeat", type=int, help="best of N for in-process timings (default 2; --quick 1)")
    p.add_argument("--corpus-repeat", type=int, default=1, help="best of N for each command run (default 1)")
    p.add_argument("--baseline", metavar="TREE",
                   help="peers section: also time clean() of this checkout (e.g. /tmp/startwt), same texts")
    p.add_argument("--profile", action="store_true", help="also cProfile clean() over the corpus (top 15 by tottime)")
    p.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    p.add_argument("--dev-corpus", metavar="DIR", default=DEV_DIR,
                   help="folder of the dev corpus's *.jsonl (default: ../shared/corpus/dev from the repository root)")
    p.add_argument("--_blob-worker", help=argparse.SUPPRESS)
    p.add_argument("--_blob-trace", action="store_true", help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    q = opts.quick
    opts.corpus_mb = opts.corpus_mb or (8 if q else 200)
    opts.identity_mb = opts.identity_mb or (6 if q else 20)
    opts.blob_mb = opts.blob_mb or (2 if q else 50)
    opts.repeat = opts.repeat or (1 if q else 2)
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    if opts._blob_worker:
        blob_worker(opts._blob_worker, opts._blob_trace)
        return 0
    if opts.only == ["peers"]:
        # clean() against its peers, this checkout against --baseline, memory, scaling (see peers.py)
        import peers

        return peers.main((["--quick"] if opts.quick else []) + (["--baseline", opts.baseline] if opts.baseline else [])
                          + (["--json", opts.json] if opts.json else []))
    sections = set(opts.only or ["throughput", "fix", "corpus", "growth"])
    if opts.profile:
        sections.add("profile")
    if opts.skip_corpus_command:
        sections.discard("corpus")
    import ftfy

    import cleaner

    started = datetime.datetime.now()
    t_all = time.perf_counter()
    docs, source = load_corpus(opts.dev_corpus)
    in_process = docs[::10] if opts.quick else docs
    warm_up(docs)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"), "machine": {
            "nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "cleaner": cleaner.__version__, "ftfy": ftfy.__version__, "load_avg_start": _load()},
        "options": {k: v for k, v in vars(opts).items() if not k.startswith("_")}, "corpus_source": source}
    results["code_start"] = code_state()
    say(f"# cleaner benchmark, {started:%Y-%m-%d %H:%M}\n")
    say(f"Machine: {os.cpu_count()} cores (nproc), Python {platform.python_version()} on {platform.platform()}; "
        f"cleaner {cleaner.__version__}, ftfy {ftfy.__version__}; load average at start {_load()}.  ")
    say(f"Code: {results['code_start']}.  ")
    say(f"Scheduler: {_autogroup_note()}  ")
    say(f"Texts: {source}: {len(docs)} documents, {sum(utf8_len(d['raw']) for d in docs) / MB:.1f} MB"
        + (f"; in-process sections use every 10th ({len(in_process)}) (--quick)" if opts.quick else "") + ".  ")
    say(f"Options: {' '.join(sys.argv[1:]) or '(defaults)'}. MB = 10^6 bytes of UTF-8 input. CPU time is "
        f"time.process_time(); wall time is time.perf_counter().\n")
    if "throughput" in sections:
        bench_throughput(in_process, opts.repeat, results)
    if "fix" in sections:
        bench_fix(in_process, opts.repeat, results)
    if "profile" in sections:
        profile_clean(in_process, results)
    if "corpus" in sections:
        bench_corpus(docs, opts, results)
    if "growth" in sections:
        bench_growth(docs, opts.repeat, results)
        bench_blob(opts, results)
    summary(results, opts)
    results["code_end"] = code_state()
    if results["code_end"] != results["code_start"]:
        say(f"**Warning: cleaner/ or rules/ changed during the run** (now: {results['code_end']}); the sections "
            "may have measured different code.\n")
    results["total_wall_s"] = time.perf_counter() - t_all
    results["machine"]["load_avg_end"] = _load()
    say(f"Total time {results['total_wall_s']:.0f} s; load average at the end {_load()}.")
    if opts.json:
        with open(opts.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, default=str)
        say(f"Figures written to {opts.json}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
