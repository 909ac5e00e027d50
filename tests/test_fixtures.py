"""The seed files, the negative fixtures and the labelled quality gate (fixtures/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import clean, clean_and_explain
from quality import precision_recall

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
GATE = sorted(p for p in (FIXTURES / "gate").glob("*.txt") if not p.name.endswith(".gold.txt"))
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))


def read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


# ----------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_reviewed_output(seed: Path) -> None:
    expected = read_exact(seed.with_suffix(".expected"))
    assert clean(read_exact(seed)) == expected


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_is_stable(seed: Path) -> None:
    once = clean(read_exact(seed))
    assert clean(once) == once


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_keeps_every_article_line(seed: Path) -> None:
    """Every line of the input is either in the output unchanged or was removed by a
    hit that says why (whitespace fixes aside)."""
    text = read_exact(seed)
    result = clean_and_explain(text)
    removed = set(re.findall(r"\w+", " ".join(h.removed for h in result.hits if h.action in ("drop", "truncate"))))
    kept = result.text
    for line in text.splitlines():
        line = line.strip().replace("\u00a0", "")
        if line and line not in kept:
            missing = set(re.findall(r"\w+", line)) - removed
            assert not missing, f"line vanished without a hit: {line!r}"


def test_seed_boilerplate_is_gone() -> None:
    outputs = {p.stem[:3]: clean(read_exact(p)) for p in SEEDS}
    assert "Read More" not in outputs["000"]
    assert "we may receive compensation" not in outputs["000"]
    assert "third-rave partners" not in outputs["000"]
    assert not outputs["002"].rstrip().endswith("Comments")
    assert "Kelly Garrity and Megan Messerly contributed to this report." in outputs["002"]
    assert "\u00a0" not in outputs["002"]
    assert outputs["003"].count("The new directive comes after") == 1
    assert "logo and flag" not in outputs["004"]
    assert "Sources:" not in outputs["004"]
    assert "Quick Takes" in outputs["004"]
    # curly quotes, dashes and the title line survive
    assert "Wu’s office" in outputs["000"] and "“Unlike the Trump administration" in outputs["000"]
    assert outputs["002"].startswith("Trump admin plans immigration enforcement surge in Boston\n")
    assert outputs["004"].startswith("Exploring Boston’s Stance on Immigration Enforcement Under Mayor Wu\n")


# ----------------------------------------------------------------------------- negatives
@pytest.mark.parametrize("path", sorted((FIXTURES / "negative").glob("*.txt")), ids=lambda p: p.stem)
def test_negative_fixture_is_untouched(path: Path) -> None:
    text = read_exact(path)
    result = clean_and_explain(text)
    assert result.text == text, [(h.id, h.removed) for h in result.hits]


# ----------------------------------------------------------------------------- quality gate
def _scores() -> dict[str, tuple[float, float, str]]:
    out = {}
    for path in GATE:
        gold = read_exact(path.with_name(path.stem + ".gold.txt"))
        p, r = precision_recall(clean(read_exact(path)), gold)
        out[path.stem] = (p, r, path.stem.split("_")[0])
    return out


@pytest.fixture(scope="module")
def gate_scores() -> dict[str, tuple[float, float, str]]:
    return _scores()


def test_gate_has_every_shape(gate_scores) -> None:
    shapes = {shape for _, _, shape in gate_scores.values()}
    assert {"blob", "comments", "dump", "ext", "neg", "wrap"} <= shapes


def test_gate_mean_precision_and_recall(gate_scores) -> None:
    n = len(gate_scores)
    mean_p = sum(p for p, _, _ in gate_scores.values()) / n
    mean_r = sum(r for _, r, _ in gate_scores.values()) / n
    floors = FLOORS["gate"]
    assert mean_p >= floors["precision"], f"gate precision {mean_p:.4f} fell below {floors['precision']}"
    assert mean_r >= floors["recall"], f"gate recall {mean_r:.4f} fell below {floors['recall']}"


@pytest.mark.parametrize("name", [p.stem for p in GATE])
def test_gate_document_keeps_its_article(gate_scores, name: str) -> None:
    p, r, _ = gate_scores[name]
    assert r >= FLOORS["gate"]["document_recall"], f"{name}: recall {r:.3f}"


@pytest.mark.parametrize("shape", ["blob", "comments", "dump", "ext", "neg", "wrap"])
def test_gate_precision_by_shape(gate_scores, shape: str) -> None:
    mine = [p for p, _, s in gate_scores.values() if s == shape]
    floor = FLOORS["gate_shape_precision"][shape]
    assert sum(mine) / len(mine) >= floor


def test_gate_negatives_unchanged() -> None:
    for path in GATE:
        if path.stem.startswith("neg_"):
            assert clean(read_exact(path)) == read_exact(path.with_name(path.stem + ".gold.txt"))
