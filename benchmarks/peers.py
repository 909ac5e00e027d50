"""clean() against its peers, in one run on the same texts, plus the memory and the
scaling figures of the issue "Speed: twice as fast in pure Python, bounded memory".

Run from the repository root (``bench.py --only peers`` runs this too):

    PYTHONPATH=. python benchmarks/peers.py --quick                         # under a minute
    PYTHONPATH=. python benchmarks/peers.py --baseline /tmp/startwt         # full run, ~10 min

Every cleaner is timed in a fresh subprocess on the same documents (the dev and
dev-shapes corpora's ``raw`` texts, every ``--stride``-th one), in CPU seconds of that
process (``time.process_time``), after a warm-up call: this checkout's ``clean()``,
``--baseline``'s ``clean()`` (that tree first on ``sys.path``), ftfy's defaults,
ftfy as datatrove's FTFYFormatter sets it, trafilatura and jusText on the text with
each line wrapped in ``<p>``, and datatrove's C4QualityFilter (the last three when
installed). Figures by corpus and by extractor; ratios are ftfy's (default) time over
the cleaner's, so ">1" means faster than ftfy.

Memory: the peak of one ``clean()`` call (tracemalloc, above what was held before the
call), as a multiple of the input's UTF-8 size, for a page of 25-byte lines and for a
one-line text. Scaling: the time of 10x the input over 1x, for ten different
paragraph sets joined (varied) and for one repeated ten times.
"""

from __future__ import annotations

import argparse
import collections
import glob
import html
import json
import os
import subprocess
import sys
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "corpus")
CORPORA = ("dev", "dev-shapes")
MB = 1_000_000
CLEANERS = ("clean", "baseline", "ftfy", "ftfy-datatrove", "trafilatura-p", "justext-p", "c4-quality")
# the targets
TARGET_SPEEDUP = 2.0  # clean() CPU time vs the start of the issue
TARGET_MEMORY = 8.0  # peak memory of one call, x the input
TARGET_SCALING = 12.0  # 10x input, x the time


def load(corpus_dir: str, stride: int) -> list[tuple[str, str]]:
    """(extractor, raw) of every ``stride``-th document of one corpus folder."""
    docs = []
    for path in sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if isinstance(rec.get("raw"), str):
                        docs.append((rec.get("extractor") or "unknown", rec["raw"]))
    return docs[::stride]


def as_paragraphs(text: str) -> str:
    """The text as a minimal HTML page, one ``<p>`` per non-blank line."""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>{body}</body></html>"


def make_cleaner(name: str):
    """A function text -> anything, for one cleaner (imports done here, untimed)."""
    if name in ("clean", "baseline"):
        from cleaner import clean

        return clean
    if name == "ftfy":
        import ftfy

        return ftfy.fix_text
    if name == "ftfy-datatrove":
        import ftfy
        from datatrove.pipeline.formatters import FTFYFormatter

        config = FTFYFormatter().config
        return lambda text: ftfy.fix_text(text, config=config)
    if name == "trafilatura-p":
        import trafilatura

        return lambda text: trafilatura.extract(as_paragraphs(text))
    if name == "justext-p":
        import justext

        stop = justext.get_stoplist("English")
        return lambda text: justext.justext(as_paragraphs(text), stop)
    if name == "c4-quality":
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter

        step = C4QualityFilter()
        return lambda text: step.filter(Document(text=text, id="x"))
    raise ValueError(name)


def time_worker(name: str, stride: int, corpora: list[str]) -> dict:
    """CPU seconds and UTF-8 bytes per corpus and extractor, for one cleaner."""
    fn = make_cleaner(name)
    fn("Boston’s mayor said on Monday that the city would comply.\nAdvertisement\nThe vote is in May.\n")
    out: dict = {}
    for corpus in corpora:
        docs = load(os.path.join(SHARED, corpus), stride)
        fn(min(docs, key=lambda d: len(d[1]))[1])
        cpu: dict[str, float] = collections.defaultdict(float)
        size: dict[str, int] = collections.defaultdict(int)
        clock = time.process_time
        for extractor, text in docs:
            t = clock()
            fn(text)
            cpu[extractor] += clock() - t
            size[extractor] += len(text.encode("utf-8"))
        out[corpus] = {e: [cpu[e], size[e]] for e in cpu}
    return out


def page_of_short_lines(nbytes: int) -> str:
    """Menu-like lines of 25 bytes each (24 characters and a newline)."""
    words = ("Home", "News", "Sport", "Weather", "Login", "About us")
    lines, size, i = [], 0, 0
    while size < nbytes:
        line = f"{words[i % 6]} section {i:09d}"[:24].ljust(24) + "\n"
        lines.append(line)
        size += 25
        i += 1
    return "".join(lines)


def one_line_text(nbytes: int) -> str:
    """The dev corpus's raw texts, whitespace collapsed, joined by spaces into one line."""
    pieces, size = [], 0
    while size < nbytes:
        for _, raw in load(os.path.join(SHARED, "dev"), 1):
            piece = " ".join(raw.split())
            pieces.append(piece)
            size += len(piece.encode("utf-8")) + 1
            if size >= nbytes:
                break
    return " ".join(pieces)[:nbytes]


def memory_worker(kind: str, nbytes: int) -> dict:
    from cleaner import clean

    # what a process loads once (rules, ftfy's tables, the 33 MB of stoplists a page of
    # menu lines asks for) is not the call's memory: load it first
    clean("Warm up: the council met on Monday.\nHome\n")
    clean(page_of_short_lines(20_000))
    text = page_of_short_lines(nbytes) if kind == "short-lines" else one_line_text(nbytes)
    size = len(text.encode("utf-8"))
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    t = time.process_time()
    clean(text)
    cpu = time.process_time() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"bytes": size, "peak": peak - before, "factor": (peak - before) / size, "cpu_traced": cpu}


def scaling_worker() -> dict:
    """Time of 10x the input over 1x: ten different paragraph sets joined, against their
    mean; one set repeated ten times, against itself."""
    from cleaner import clean

    texts = [raw for extractor, raw in load(os.path.join(SHARED, "dev"), 1) if extractor == "readability"]
    upper = sorted(texts, key=len)[len(texts) // 2 :]  # (the same ten in --quick: small timings are noisy)
    texts = upper[:: max(1, len(upper) // 10)][:10]
    clean(texts[0])

    def cpu(text: str, repeat: int = 3) -> float:
        best = float("inf")
        for _ in range(repeat):
            t = time.process_time()
            clean(text)
            best = min(best, time.process_time() - t)
        return best

    singles = [cpu(t) for t in texts]
    varied = cpu("\n\n".join(texts), 2) / (sum(singles) / len(singles))
    repeated = cpu("\n\n".join([texts[0]] * 10), 2) / singles[0]
    return {"varied": varied, "repeated": repeated, "docs": len(texts),
            "bytes_1x": sum(len(t.encode()) for t in texts) // len(texts)}


def run_worker(args: list[str], tree: str | None = None) -> dict | None:
    """Run this script as a worker in a fresh process (``tree`` first on sys.path)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (tree or ROOT, env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), *args], env=env, capture_output=True,
                          text=True, cwd=tree or ROOT)
    if proc.returncode != 0:
        print(f"(worker {' '.join(args)} failed: {proc.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(proc.stdout)


def _table(headers, rows) -> str:
    def cell(v):
        return f"{v:.2f}" if isinstance(v, float) else str(v)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report_speed(times: dict[str, dict]) -> list[tuple[str, float, float]]:
    """Print the speed tables; return (corpus, clean's MB/s, speed-up over baseline)."""
    verdicts = []
    names = [n for n in CLEANERS if times.get(n)]
    for corpus in CORPORA:
        if not any(corpus in times[n] for n in names):
            continue
        total = {n: [sum(v[0] for v in times[n][corpus].values()), sum(v[1] for v in times[n][corpus].values())]
                 for n in names}
        ftfy_cpu = total.get("ftfy", [float("nan")])[0]
        print(f"\n### {corpus}: {total[names[0]][1] / MB:.1f} MB, CPU seconds (ratio: ftfy's time / this one's)\n")
        rows = [(n, c, b / MB / c, ftfy_cpu / c) for n, (c, b) in total.items()]
        print(_table(["cleaner", "CPU s", "MB/s", "x ftfy"], rows))
        extractors = sorted(times[names[0]][corpus])
        print(f"\n{corpus} by extractor, MB/s (x ftfy):\n")
        rows = []
        for e in extractors:
            ft = times["ftfy"][corpus][e][0] if "ftfy" in times else float("nan")
            rows.append([e] + [f"{v[1] / MB / v[0]:.2f} ({ft / v[0]:.2f})"
                               for n in names for v in [times[n][corpus][e]]])
        print(_table(["extractor", *names], rows))
        if "baseline" in total:
            speedup = total["baseline"][0] / total["clean"][0]
            print(f"\nclean() {speedup:.2f}x the baseline's speed on {corpus} (CPU time, same texts)")
            verdicts.append((corpus, total["clean"][1] / MB / total["clean"][0], speedup))
    return verdicts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="every 40th document, a 5 MB one-line text: under a minute")
    p.add_argument("--stride", type=int, help="every N-th document (default 1; --quick 40)")
    p.add_argument("--baseline", metavar="TREE", help="also time clean() of this checkout (e.g. /tmp/startwt)")
    p.add_argument("--only", action="append", choices=CLEANERS, help="time only these cleaners (repeatable)")
    p.add_argument("--blob-mb", type=float, help="size of the one-line text (default 50; --quick 5)")
    p.add_argument("--no-memory", action="store_true", help="skip the memory and scaling figures")
    p.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    p.add_argument("--_time", help=argparse.SUPPRESS)
    p.add_argument("--_memory", help=argparse.SUPPRESS)
    p.add_argument("--_bytes", type=int, help=argparse.SUPPRESS)
    p.add_argument("--_scaling", action="store_true", help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    stride = opts.stride or (40 if opts.quick else 1)
    if opts._time:
        json.dump(time_worker(opts._time, stride, list(CORPORA)), sys.stdout)
        return 0
    if opts._memory:
        json.dump(memory_worker(opts._memory, opts._bytes), sys.stdout)
        return 0
    if opts._scaling:
        json.dump(scaling_worker(), sys.stdout)
        return 0

    print(f"# clean() and its peers ({'quick, ' if opts.quick else ''}every {stride}. document of "
          f"{', '.join(CORPORA)}; baseline: {opts.baseline or 'none'})")
    wanted = opts.only or [n for n in CLEANERS if n != "baseline" or opts.baseline]
    times: dict[str, dict] = {}
    for name in wanted:
        got = run_worker(["--_time", name, "--stride", str(stride)], opts.baseline if name == "baseline" else None)
        if got is not None:
            times[name] = got
    results: dict = {"times": times}
    verdicts = report_speed(times)
    rows = [(f"clean() >= {TARGET_SPEEDUP:g}x baseline, {c}", f"{s:.2f}x ({mb:.2f} MB/s)",
             "PASS" if s >= TARGET_SPEEDUP else "FAIL") for c, mb, s in verdicts]
    if not opts.no_memory:
        blob = int((opts.blob_mb or (5 if opts.quick else 50)) * MB)
        memory = {kind: run_worker(["--_memory", kind, "--_bytes", str(n)])
                  for kind, n in (("short-lines", 2 * MB), ("one-line", blob))}
        scaling = run_worker(["--_scaling"])
        results.update(memory=memory, scaling=scaling)
        print("\n### Peak memory of one call (tracemalloc), x the input\n")
        print(_table(["input", "MB", "peak MB", "x input", "CPU s (traced)"],
                     [(k, m["bytes"] / MB, m["peak"] / MB, m["factor"], m["cpu_traced"])
                      for k, m in memory.items() if m]))
        rows += [(f"memory <= {TARGET_MEMORY:g}x, {k}", f"{m['factor']:.1f}x",
                  "PASS" if m["factor"] <= TARGET_MEMORY else "FAIL") for k, m in memory.items() if m]
        if scaling:
            print(f"\n### Scaling: 10x input over 1x ({scaling['docs']} readability texts, "
                  f"{scaling['bytes_1x'] / 1000:.0f} kB each)\n")
            print(_table(["input", "time ratio"], [("varied", scaling["varied"]), ("repeated", scaling["repeated"])]))
            rows += [(f"10x input <= {TARGET_SCALING:g}x time, {k}", f"{scaling[k]:.1f}x",
                      "PASS" if scaling[k] <= TARGET_SCALING else "FAIL") for k in ("varied", "repeated")]
    print("\n### Targets\n")
    print(_table(["target", "measured", ""], rows))
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump(results, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
