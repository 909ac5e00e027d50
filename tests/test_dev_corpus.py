"""Quality floors on the development corpus (../shared/corpus/dev), skipped without it.

The same numbers as ``python ../shared/tools/score.py --cleaner cleaner:clean``: a
regression in F1, damaged documents or must_keep/must_drop snippets fails CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import clean
from conftest import CORPUS_DEV, needs_corpus
from quality import precision_recall

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))["dev_corpus"]


def _collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def dev_scores() -> dict[str, float]:
    p_sum = r_sum = 0.0
    gold_docs = damaged = 0
    by_extractor: dict[str, list[float]] = {}  # extractor -> [precision sum, recall sum, documents]
    keep = keep_n = drop = drop_n = 0
    not_idempotent = []
    for path in sorted(CORPUS_DEV.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                raw = record["raw"]
                out = clean(raw)
                if clean(out) != out:
                    not_idempotent.append(record["id"])
                flat = _collapse(out)
                keep_n += len(record["must_keep"])
                keep += sum(_collapse(s) in flat for s in record["must_keep"])
                drop_n += len(record["must_drop"])
                drop += sum(_collapse(s) not in flat for s in record["must_drop"])
                if record.get("gold"):
                    _, r0 = precision_recall(raw, record["gold"])
                    p1, r1 = precision_recall(out, record["gold"])
                    p_sum, r_sum, gold_docs = p_sum + p1, r_sum + r1, gold_docs + 1
                    damaged += r1 < r0 - 0.02
                    sums = by_extractor.setdefault(record["extractor"], [0.0, 0.0, 0])
                    sums[0], sums[1], sums[2] = sums[0] + p1, sums[1] + r1, sums[2] + 1
    p, r = p_sum / gold_docs, r_sum / gold_docs
    f1_by_extractor = {name: 2 * (ps / n) * (rs / n) / ((ps + rs) / n) for name, (ps, rs, n) in by_extractor.items()}
    return {"f1": 2 * p * r / (p + r), "damaged": damaged, "must_keep": 100 * keep / keep_n,
            "must_drop": 100 * drop / drop_n, "not_idempotent": not_idempotent, "f1_by_extractor": f1_by_extractor}


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("metric", ["f1", "must_keep", "must_drop"])
def test_dev_corpus_floor(dev_scores, metric: str) -> None:
    assert dev_scores[metric] >= FLOORS[metric], f"{metric} {dev_scores[metric]:.4f} fell below {FLOORS[metric]}"


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("extractor", sorted(FLOORS["f1_by_extractor"]))
def test_dev_corpus_floor_by_extractor(dev_scores, extractor: str) -> None:
    f1 = dev_scores["f1_by_extractor"][extractor]
    assert f1 >= FLOORS["f1_by_extractor"][extractor], f"{extractor} F1 {f1:.4f} fell below its floor"


@needs_corpus
@pytest.mark.corpus
def test_dev_corpus_damage_ceiling(dev_scores) -> None:
    assert dev_scores["damaged"] <= FLOORS["damaged"], f"{dev_scores['damaged']} documents damaged"


@needs_corpus
@pytest.mark.corpus
def test_dev_corpus_is_idempotent(dev_scores) -> None:
    # real documents, beyond what the property tests generate: clean(clean(x)) == clean(x)
    assert dev_scores["not_idempotent"] == []
