"""The dev corpus scorer's text metric, for the quality gate (tests must not need ../shared).

Same definition as ``../shared/tools/score.py``: 4-token shingles of ``\\w+`` tokens,
tp/fp/fn normalised per document, precision and recall averaged over documents.
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text)
    return Counter(zip(*(tokens[i:] for i in range(n))))


def precision_recall(output: str, gold: str) -> tuple[float, float]:
    pred, ref = shingles(output), shingles(gold)
    tp = sum(min(c, ref[k]) for k, c in pred.items() if k in ref)
    fp = sum(pred.values()) - tp
    fn = sum(ref.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r
