"""Time and memory of clean() on the shapes that once ran away, each in a fresh process.

The figures of the issue "Lose nothing, finish always, and say what was skipped":
pages of 100k, 400k and 4M short lines, and a 50 MB one-line text, each with its
wall and CPU time, its peak RSS (VmHWM, reset just before the call) and the growth
of RSS over what the process held before the call (the input included), as a
multiple of the input's UTF-8 size; the output's digest, whether a document was
passed through, and whether a rule tripped the regex_timeout guard.

Run from the repository root:

    PYTHONPATH=. python benchmarks/limits.py                       # every case
    PYTHONPATH=. python benchmarks/limits.py --case blob --load 2  # with 2 busy processes beside it

``--load N`` starts N processes that spin on the CPU for the run: the output digest
must be the same as without them (the output does not depend on the machine's speed).
The blob is the dev corpus's raw texts joined by spaces (``--blob adversarial``: the
test suite's sentences, each one boilerplate or mojibake, which are far slower).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(ROOT, "..", "shared", "corpus", "dev")
MB = 1e6
CASES = {"100k": ("short", 100_000), "400k": ("short", 400_000), "4M": ("short", 4_000_000),
         "blob": ("blob", 50_000_000)}
_WORDS = ("Home", "News", "Login", "About")


def short_lines(n: int) -> str:
    """Menu entries of about 10 bytes ('Home 12345'): a page of many short lines."""
    return "".join(f"{_WORDS[i % 4]} {i % 100_000}\n" for i in range(n))


def blob(nbytes: int, kind: str) -> str:
    """About ``nbytes`` of UTF-8 text on one line."""
    if kind == "adversarial":
        sys.path.insert(0, os.path.join(ROOT, "tests"))
        from test_hardening import news_of_size  # noqa: PLC0415

        text = news_of_size(nbytes, " ")
    else:
        pieces, size = [], 0
        for path in sorted(glob.glob(os.path.join(DEV, "*.jsonl"))):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        piece = " ".join(json.loads(line)["raw"].split())
                        pieces.append(piece)
                        size += len(piece.encode()) + 1
            if size >= nbytes:
                break
        while size < nbytes:  # a small corpus: round again
            pieces += pieces
            size *= 2
        text = " ".join(pieces)
    return text.encode()[:nbytes].decode("utf-8", "ignore").rstrip() + ".\n"


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field + ":"))


def measure(case: str, blob_kind: str) -> dict:
    """In this (fresh) process: clean one document of ``case`` and report."""
    from cleaner.core import clean_document  # noqa: PLC0415

    kind, size = CASES[case]
    # rules loaded, and the article finder's stoplists (35 MB, once per process)
    clean_document(short_lines(300) + "Read More: a headline\nThe council approved the budget on Monday after a "
                   "long and heated debate, officials said.\n")
    text = short_lines(size) if kind == "short" else blob(size, blob_kind)
    nbytes = len(text.encode())
    with open("/proc/self/clear_refs", "w") as fh:  # reset VmHWM (Linux)
        fh.write("5")
    before = _status_kb("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    result = clean_document(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status_kb("VmHWM")
    return {"case": case, "input_mb": nbytes / MB, "lines": text.count("\n"), "wall_s": wall, "cpu_s": cpu,
            "peak_rss_mb": peak * 1024 / MB, "rss_before_mb": before * 1024 / MB,
            "growth_x": (peak - before) * 1024 / nbytes, "out_mb": len(result.text.encode()) / MB,
            "sha1": hashlib.sha1(result.text.encode()).hexdigest()[:12],
            "passed_through": result.passed_through, "load1": os.getloadavg()[0]}


def _spin() -> None:
    while True:
        pass


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--case", action="append", choices=list(CASES), help="cases to run (default: all)")
    p.add_argument("--blob", choices=["dev", "adversarial"], default="dev", help="the one-line text")
    p.add_argument("--load", type=int, default=0, help="busy processes to run beside the measurements")
    p.add_argument("--_worker", help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    if opts._worker:
        print(json.dumps(measure(opts._worker, opts.blob)))
        return 0
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(opts.load)]
    for s in spinners:
        s.start()
    try:
        print("| case | input MB | lines | wall s | CPU s | peak RSS MB | RSS growth / input | output sha1 "
              "| passed through | load |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for case in opts.case or list(CASES):
            env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
            proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--_worker", case, "--blob", opts.blob],
                                  capture_output=True, text=True, env=env, check=False)
            if proc.returncode:
                print(f"| {case} | failed: {proc.stderr.strip().splitlines()[-1:]} |")
                continue
            r = json.loads(proc.stdout)
            print(f"| {case} | {r['input_mb']:.1f} | {r['lines']:,} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} "
                  f"| {r['peak_rss_mb']:.0f} | {r['growth_x']:.1f}x | {r['sha1']} | {r['passed_through'] or '-'} "
                  f"| {r['load1']:.1f} |", flush=True)
    finally:
        for s in spinners:
            s.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
