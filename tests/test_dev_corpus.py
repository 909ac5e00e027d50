"""Quality floors on the development corpora (../shared/corpus/dev and dev-shapes),
skipped without them.

The same numbers as ``python ../shared/tools/score.py --cleaner cleaner:clean --corpus
... --by extractor``: a regression in F1, damaged documents or must_keep/must_drop
snippets, overall or for one extractor, fails CI. dev-shapes holds the same pages as
dev through seven more extractors (full-page dumps of other shapes, Markdown,
near-clean output), so a cleaner tuned on one dump style cannot pass it by accident.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from cleaner import clean
from conftest import CORPUS_DEV, CORPUS_SHAPES, needs_corpus, needs_shapes
from quality import precision_recall

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))
CORPORA = {"dev_corpus": CORPUS_DEV, "dev_shapes": CORPUS_SHAPES}
MARKS = {"dev_corpus": needs_corpus, "dev_shapes": needs_shapes}


def _collapse(text: str) -> str:
    return " ".join(text.split())


class _Tally:
    def __init__(self) -> None:
        self.p = self.r = 0.0
        self.gold = self.damaged = self.keep = self.keep_n = self.drop = self.drop_n = 0

    def figures(self) -> dict[str, float]:
        p, r = self.p / max(self.gold, 1), self.r / max(self.gold, 1)
        return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "damaged": self.damaged,
                "must_keep": 100 * self.keep / self.keep_n if self.keep_n else 100.0,
                "must_drop": 100 * self.drop / self.drop_n if self.drop_n else 100.0}


def _score(folder: Path) -> dict:
    total, by_extractor = _Tally(), defaultdict(_Tally)
    not_idempotent = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                raw = record["raw"]
                out = clean(raw)
                if clean(out) != out:
                    not_idempotent.append(record["id"])
                flat = _collapse(out)
                keep = [_collapse(s) for s in record["must_keep"]]
                drop = [_collapse(s) for s in record["must_drop"]]
                for tally in (total, by_extractor[record["extractor"]]):
                    tally.keep_n += len(keep)
                    tally.keep += sum(s in flat for s in keep)
                    tally.drop_n += len(drop)
                    tally.drop += sum(s not in flat for s in drop)
                if record.get("gold"):
                    _, r0 = precision_recall(raw, record["gold"])
                    p1, r1 = precision_recall(out, record["gold"])
                    for tally in (total, by_extractor[record["extractor"]]):
                        tally.p, tally.r, tally.gold = tally.p + p1, tally.r + r1, tally.gold + 1
                        tally.damaged += r1 < r0 - 0.02
    return {**total.figures(), "not_idempotent": not_idempotent,
            "by_extractor": {name: tally.figures() for name, tally in by_extractor.items()}}


_SCORES: dict[str, dict] = {}


def scores(corpus: str) -> dict:
    if corpus not in _SCORES:
        _SCORES[corpus] = _score(CORPORA[corpus])
    return _SCORES[corpus]


def _cases(kind: str):
    for corpus, floors in ((c, FLOORS[c]) for c in CORPORA):
        if kind == "overall":
            for metric in ("f1", "must_keep", "must_drop", "damaged"):
                yield pytest.param(corpus, metric, floors[metric], marks=[MARKS[corpus], pytest.mark.corpus],
                                   id=f"{corpus}-{metric}")
        else:
            for extractor, limits in sorted(floors["by_extractor"].items()):
                for metric, limit in sorted(limits.items()):
                    yield pytest.param(corpus, extractor, metric, limit, marks=[MARKS[corpus], pytest.mark.corpus],
                                       id=f"{corpus}-{extractor}-{metric}")


def _check(metric: str, value: float, limit: float, what: str) -> None:
    if metric == "damaged":
        assert value <= limit, f"{what}: {value} documents damaged (ceiling {limit})"
    else:
        assert value >= limit, f"{what}: {metric} {value:.4f} fell below {limit}"


@pytest.mark.parametrize("corpus, metric, limit", list(_cases("overall")))
def test_corpus_floor(corpus: str, metric: str, limit: float) -> None:
    _check(metric, scores(corpus)[metric], limit, corpus)


@pytest.mark.parametrize("corpus, extractor, metric, limit", list(_cases("by_extractor")))
def test_corpus_floor_by_extractor(corpus: str, extractor: str, metric: str, limit: float) -> None:
    _check(metric, scores(corpus)["by_extractor"][extractor][metric], limit, f"{corpus} {extractor}")


@pytest.mark.parametrize("corpus", [pytest.param(c, marks=[MARKS[c], pytest.mark.corpus]) for c in CORPORA])
def test_corpus_is_idempotent(corpus: str) -> None:
    # real documents, beyond what the property tests generate: clean(clean(x)) == clean(x)
    assert scores(corpus)["not_idempotent"] == []
