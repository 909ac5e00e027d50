"""Which rule or heuristic cost the gold text: the dev corpus's damaged documents and
lost must_keep snippets, each with the hits that removed it.

Run from the repository root, with ``../shared`` beside it:

    PYTHONPATH=. python benchmarks/damage.py              # every damaged document
    PYTHONPATH=. python benchmarks/damage.py --json out.json

A document is damaged, as in ``../shared/tools/score.py``, when its gold recall falls
by more than 0.02 from the raw text's. For each one this prints the recall before and
after, and the gold lines (12 characters or more) that a hit removed, grouped by the
hit's id. The lost must_keep snippets follow, each with the hit that removed it
("fix" when a glitch fix changed it, e.g. an HTML entity the gold keeps as written).

Nothing here decides what is right: whether the gold or the cleaner is wrong about a
line (a comment thread or a "Related posts" list that a page's gold keeps) is for the
reader of the report.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import sys
from multiprocessing import Pool

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared")
DAMAGE = 0.02


def _norm(text: str) -> str:
    return " ".join(text.split())


def _examine(record: dict) -> dict:
    import score  # ../shared/tools, put on sys.path by main()

    from cleaner import clean_and_explain

    result = clean_and_explain(record["raw"])
    row: dict = {"id": record["id"], "damaged": None, "lost_keep": []}
    removals = [h for h in result.hits if h.kind != "fix" and h.action != "flag"]
    if record["gold"]:
        gold = score.shingles(record["gold"])
        _, before = score.prf(score.shingles(record["raw"]), gold)
        _, after = score.prf(score.shingles(result.text), gold)
        if after < before - DAMAGE:
            gold_lines = {_norm(g) for g in record["gold"].split("\n") if len(_norm(g)) >= 12}
            lost: dict[str, list[str]] = collections.defaultdict(list)
            for hit in removals:
                for line in hit.removed.split("\n"):
                    if _norm(line) in gold_lines:
                        lost[hit.id].append(_norm(line)[:100])
            row["damaged"] = {"recall_before": round(before, 4), "recall_after": round(after, 4),
                              "gold_lines_removed": dict(lost)}
    out = _norm(result.text)
    for snippet in record["must_keep"]:
        want = _norm(snippet)
        if want in out:
            continue
        # the hit that removed the snippet, its start, or a part of it (an inline drop
        # such as a photo credit), else the glitch fix that rewrote it
        who = (next((h.id for h in removals if want in _norm(h.removed)), None)
               or next((h.id for h in removals if want[:30] in _norm(h.removed)), None)
               or next((h.id for h in removals if len(_norm(h.removed)) >= 5 and _norm(h.removed) in want), None)
               or next((h.id for h in result.hits if h.kind == "fix" and want[:30] in _norm(h.removed)), "unknown"))
        row["lost_keep"].append({"snippet": want[:100], "by": who})
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.path.join(SHARED, "corpus", "dev"), help="folder of *.jsonl")
    parser.add_argument("--json", help="also write every row to this file")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    tools = os.path.join(os.path.dirname(os.path.abspath(args.corpus)), "..", "tools")
    files = sorted(glob.glob(os.path.join(args.corpus, "*.jsonl")))
    if not files or not os.path.exists(os.path.join(tools, "score.py")):
        print(f"damage.py: no corpus at {args.corpus} (or no tools/score.py beside it)", file=sys.stderr)
        return 2
    sys.path.insert(0, tools)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [tools, os.environ.get("PYTHONPATH")]))
    records = [json.loads(line) for f in files for line in open(f, encoding="utf-8")]
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            rows = pool.map(_examine, records, chunksize=20)
    else:
        rows = [_examine(r) for r in records]

    damaged = [r for r in rows if r["damaged"]]
    golds = sum(1 for r in records if r["gold"])
    print(f"damaged: {len(damaged)} of {golds} gold documents\n")
    for r in damaged:
        d = r["damaged"]
        print(f"{r['id']}  recall {d['recall_before']:.3f} -> {d['recall_after']:.3f}")
        for hid, lines in sorted(d["gold_lines_removed"].items(), key=lambda kv: -len(kv[1])):
            print(f"    {hid} ({len(lines)} gold lines): {lines[0]!r}")
        if not d["gold_lines_removed"]:
            print("    no whole gold line removed (lost shingles span lines, or a line was shortened)")
    keeps = [(r["id"], k) for r in rows for k in r["lost_keep"]]
    total = sum(len(r["must_keep"]) for r in records)
    print(f"\nmust_keep lost: {len(keeps)} of {total} ({100 * (1 - len(keeps) / max(total, 1)):.2f} % kept)")
    for hid, n in collections.Counter(k["by"] for _, k in keeps).most_common():
        print(f"    {hid}: {n}")
    for doc, k in keeps:
        print(f"  {doc}  [{k['by']}]  {k['snippet']!r}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
