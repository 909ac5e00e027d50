"""Quality of cleaner on the dev corpora, document by document, and what changed.

``../shared/tools/score.py`` gives the totals; this gives the same figures (it uses
score.py's own shingles and formulas) for every document of ``dev`` and
``dev-shapes`` in one run on all cores, keeps them in a file, and compares two runs:
which documents became damaged or healed, which lost or regained a must_keep
snippet, whose F1 moved. It also breaks the totals down by fold and by source, for
the held-out checks.

Run from the repository root, with ``../shared`` beside it:

    PYTHONPATH=. python benchmarks/quality.py --out /tmp/before.jsonl      # both corpora
    PYTHONPATH=. python benchmarks/quality.py --out /tmp/after.jsonl --compare /tmp/before.jsonl
    PYTHONPATH=. python benchmarks/quality.py --by fold --by source_dataset
    PYTHONPATH=. python benchmarks/quality.py --show 'dragnet-100::inscriptis'   # one document, line by line

In ``--show``, each non-blank line of the raw text is printed with what happened to
it: ``  `` kept, ``- `` removed; ``G`` marks a line whose text is in the gold, so
``-G`` is a gold line the cleaner removed and `` .`` a kept line the gold does not
hold.
"""

from __future__ import annotations

import argparse
import collections
import glob
import hashlib
import json
import os
import sys
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
CORPORA = ("dev", "dev-shapes")
DAMAGE = 0.02


def _score_module():
    sys.path.insert(0, os.path.join(SHARED, "tools"))
    import score  # noqa: PLC0415 - ../shared/tools, not a package

    return score


def _records(corpora: list[str]):
    for corpus in corpora:
        for path in sorted(glob.glob(os.path.join(SHARED, "corpus", corpus, "*.jsonl"))):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        record = json.loads(line)
                        record["corpus"] = corpus
                        yield record


def _examine(record: dict) -> dict:
    score = _score_module()
    from cleaner import clean  # noqa: PLC0415 - imported in the worker

    raw = record["raw"]
    out = clean(raw)
    norm = score.norm_ws
    kr, ko = norm(raw), norm(out)
    keep = [norm(s) for s in record.get("must_keep") or []]
    drop = [norm(s) for s in record.get("must_drop") or []]
    row = {
        "id": record["id"], "corpus": record["corpus"], "extractor": record["extractor"],
        "source_dataset": record["source_dataset"], "fold": record["fold"], "lang": record.get("lang"),
        "keep_n": len(keep), "keep_lost": [s[:120] for s in keep if s in kr and s not in ko],
        "drop_n": len(drop), "drop_removed": sum(1 for s in drop if s not in ko and s in kr),
        "chars": len(raw), "out_chars": len(out), "hash": hashlib.md5(out.encode()).hexdigest()[:12],
    }
    gold = record.get("gold")
    gs = score.shingles(gold) if gold else None
    if gs:
        p0, r0 = score.prf(score.shingles(raw), gs)
        p1, r1 = score.prf(score.shingles(out), gs)
        row.update(p0=p0, r0=r0, p1=p1, r1=r1)
    return row


class Totals:
    def __init__(self) -> None:
        self.n = self.ng = self.keep_n = self.keep_lost = self.drop_n = self.drop_removed = 0
        self.damaged = self.lost_docs = 0
        self.p0 = self.r0 = self.p1 = self.r1 = 0.0

    def add(self, row: dict) -> None:
        self.n += 1
        self.keep_n += row["keep_n"]
        self.keep_lost += len(row["keep_lost"])
        self.lost_docs += bool(row["keep_lost"])
        self.drop_n += row["drop_n"]
        self.drop_removed += row["drop_removed"]
        if "p1" in row:
            self.ng += 1
            self.p0 += row["p0"]
            self.r0 += row["r0"]
            self.p1 += row["p1"]
            self.r1 += row["r1"]
            self.damaged += row["r1"] < row["r0"] - DAMAGE

    def figures(self) -> dict:
        g = max(self.ng, 1)
        f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
        return {
            "docs": self.n, "gold": self.ng,
            "F1_before": f1(self.p0 / g, self.r0 / g), "F1": f1(self.p1 / g, self.r1 / g),
            "P": self.p1 / g, "R": self.r1 / g,
            "keep": 100.0 * (1 - self.keep_lost / self.keep_n) if self.keep_n else float("nan"),
            "drop": 100.0 * self.drop_removed / self.drop_n if self.drop_n else float("nan"),
            "damaged": self.damaged, "lost_docs": self.lost_docs,
        }


def table(rows: list[dict], by: str | None, title: str) -> str:
    groups: dict[str, Totals] = collections.defaultdict(Totals)
    total = Totals()
    for row in rows:
        total.add(row)
        if by:
            groups[str(row[by])].add(row)
    out = [f"{title}{' by ' + by if by else ''}",
           f"{'':18s}{'docs':>6s}{'gold':>6s}{'F1 bef':>8s}{'F1':>8s}{'P':>7s}{'R':>7s}{'keep%':>7s}"
           f"{'drop%':>7s}{'dmg':>5s}{'lostdoc':>8s}"]
    for name, t in [("all", total)] + sorted(groups.items()):
        f = t.figures()
        out.append(f"{name[:18]:18s}{f['docs']:6d}{f['gold']:6d}{f['F1_before']:8.3f}{f['F1']:8.4f}{f['P']:7.3f}"
                   f"{f['R']:7.3f}{f['keep']:7.2f}{f['drop']:7.1f}{f['damaged']:5d}{f['lost_docs']:8d}")
    return "\n".join(out)


def _damaged(row: dict) -> bool:
    return "p1" in row and row["r1"] < row["r0"] - DAMAGE


def _f1(row: dict, which: str = "1") -> float:
    p, r = row["p" + which], row["r" + which]
    return 2 * p * r / (p + r) if p + r else 0.0


def compare(old: dict[str, dict], new: list[dict]) -> str:
    out = []
    changed = [r for r in new if r["id"] in old and old[r["id"]]["hash"] != r["hash"]]
    out.append(f"{len(changed)} of {len(new)} documents changed output")
    for label, test in (("newly damaged", lambda o, n: _damaged(n) and not _damaged(o)),
                        ("no longer damaged", lambda o, n: _damaged(o) and not _damaged(n)),
                        ("lost a must_keep snippet", lambda o, n: set(n["keep_lost"]) - set(o["keep_lost"])),
                        ("regained a must_keep snippet", lambda o, n: set(o["keep_lost"]) - set(n["keep_lost"]))):
        items = [(old[r["id"]], r) for r in changed if test(old[r["id"]], r)]
        out.append(f"\n{label}: {len(items)}")
        for o, n in items:
            extra = ""
            if "p1" in n:
                extra = f"  R {o['r1']:.3f} -> {n['r1']:.3f}  F1 {_f1(o):.3f} -> {_f1(n):.3f}"
            lost = sorted(set(n["keep_lost"]) ^ set(o["keep_lost"]))
            out.append(f"  {n['id']}{extra}" + (f"  {lost[:2]}" if "must_keep" in label else ""))
    moves = sorted(((_f1(n) - _f1(old[n["id"]]), n["id"]) for n in changed if "p1" in n), reverse=True)
    big = [m for m in moves if abs(m[0]) >= 0.02]
    out.append(f"\nF1 moved by 0.02 or more: {sum(1 for m in big if m[0] > 0)} up, {sum(1 for m in big if m[0] < 0)} down")
    for d, i in big[:15] + [m for m in big[15:] if m[0] < 0][-15:]:
        out.append(f"  {d:+.3f}  {i}")
    return "\n".join(out)


def show(doc_id: str) -> None:
    from cleaner import clean_and_explain  # noqa: PLC0415

    score = _score_module()
    for record in _records(list(CORPORA)):
        if record["id"] != doc_id:
            continue
        result = clean_and_explain(record["raw"])
        gone = [False] * (len(record["raw"]) + 1)
        for hit in result.hits:
            if hit.action in ("drop", "truncate") and hit.kind != "fix":
                for i in range(hit.start, min(hit.end, len(record["raw"]))):
                    gone[i] = True
        gold = score.norm_ws(record.get("gold") or "")
        pos = 0
        for line in record["raw"].split("\n"):
            text = score.norm_ws(line)
            if text:
                mid = pos + len(line) - len(line.lstrip()) + len(line.strip()) // 2
                mark = "-" if gone[mid] else " "
                ingold = "G" if gold and len(text) >= 8 and text in gold else ("." if gold and mark == " " else " ")
                print(f"{mark}{ingold} {line[:160]}")
            pos += len(line) + 1
        for hit in result.hits:
            if hit.kind != "fix":
                print(f"# {hit.id} {hit.action} {hit.start}-{hit.end}: {hit.reason[:200]}")
        return
    sys.exit(f"no document {doc_id!r} in {', '.join(CORPORA)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", choices=CORPORA, help="default: both")
    ap.add_argument("--by", action="append", default=[], help="extractor (always), fold, source_dataset, lang")
    ap.add_argument("--only", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--out", help="write one JSON row per document here")
    ap.add_argument("--compare", help="a file written by --out on an earlier commit")
    ap.add_argument("--show", metavar="ID", help="print one document line by line and stop")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    a = ap.parse_args(argv)
    if a.show:
        show(a.show)
        return 0
    corpora = a.corpus or list(CORPORA)
    only = collections.defaultdict(set)
    for o in a.only:
        k, _, v = o.partition("=")
        only[k].add(v)
    records = [r for r in _records(corpora) if all(str(r.get(k)) in v for k, v in only.items())]
    records.sort(key=lambda r: -len(r["raw"]))  # longest first: the pool ends evenly
    with Pool(a.jobs) as pool:
        rows = pool.map(_examine, records, chunksize=4)
    rows.sort(key=lambda r: (r["corpus"], r["id"]))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")
    for corpus in corpora:
        mine = [r for r in rows if r["corpus"] == corpus]
        print(table(mine, "extractor", corpus))
        for by in a.by:
            if by != "extractor":
                print(table(mine, by, corpus))
        print()
    if a.compare:
        with open(a.compare, encoding="utf-8") as fh:
            old = {(r := json.loads(line))["id"]: r for line in fh}
        print(compare(old, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
