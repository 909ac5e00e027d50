"""One invented news page as twelve real extractors write it (fixtures/shapes/, made by
its make_fixtures.py): each is recognised for what it is and cleaned to its reviewed
output, and none loses the article, its headline or its timetable."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean, clean_and_explain
from cleaner.article import read_page
from cleaner.config import Config
from cleaner.core import rules_for
from cleaner.engine import apply_rules
from cleaner.fixers import fix_lines
from cleaner.segments import split_blobs, split_lines
from quality import precision_recall

SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"
DUMPS = ("html_text", "inscriptis", "html2text", "bs4_text", "lxml_text")
ARTICLES = ("trafilatura", "trafilatura_md", "readability", "goose3", "newspaper4k", "boilerpy3", "justext")
GOLD = (SHAPES / "page.gold.txt").read_text(encoding="utf-8")


def read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def shape(name: str) -> str:
    return read_exact(SHAPES / f"{name}.txt")


def test_every_extractor_has_a_shape() -> None:
    assert sorted(p.stem for p in SHAPES.glob("*.txt") if p.name != "page.gold.txt") == sorted(DUMPS + ARTICLES)


def _page_after_rules(text: str):
    config = Config()
    lines = split_lines(text)
    fix_lines(lines, text, config, None)
    lines = split_blobs(lines)
    apply_rules(rules_for(config), lines, config.regex_timeout, None)
    return read_page(lines, text)


@pytest.mark.parametrize("name", DUMPS)
def test_full_page_dump_is_recognised(name: str) -> None:
    page = _page_after_rules(shape(name))
    assert page is not None and page.dump


@pytest.mark.parametrize("name", ARTICLES)
def test_extractor_output_is_not_taken_for_a_dump(name: str) -> None:
    page = _page_after_rules(shape(name))
    assert page is None or not page.dump


@pytest.mark.parametrize("name", DUMPS + ARTICLES)
def test_shape_cleans_to_its_reviewed_output(name: str) -> None:
    assert clean(shape(name)) == read_exact(SHAPES / f"{name}.expected")


@pytest.mark.parametrize("name", DUMPS + ARTICLES)
def test_shape_keeps_the_article(name: str) -> None:
    text = shape(name)
    out = clean(text)
    _, recall_before = precision_recall(text, GOLD)
    _, recall_after = precision_recall(out, GOLD)
    assert recall_after >= recall_before - 0.01, f"{name}: recall {recall_before:.3f} -> {recall_after:.3f}"
    for must in ("Harbor ferry adds early sailings as commuters return", "7:15 a.m.", "What changes on Monday",
                 "Bicycles are allowed on the 6:10 sailing only.", "according to figures the authority released"):
        if must in " ".join(text.split()):
            assert must in " ".join(out.split()), f"{name} lost {must!r}"
    assert clean(out) == out


@pytest.mark.parametrize("name", DUMPS)
def test_dump_loses_its_furniture(name: str) -> None:
    out = clean(shape(name))
    precision_before, _ = precision_recall(shape(name), GOLD)
    precision_after, _ = precision_recall(out, GOLD)
    assert precision_after >= precision_before + 0.15
    for furniture in ("Pat Hollis says", "Privacy Policy", "All rights reserved", "Opinion\n"):
        assert furniture not in out, f"{name} kept {furniture!r}"


@pytest.mark.parametrize("name", DUMPS)
def test_share_bar_comments_link_does_not_cut_the_article(name: str) -> None:
    """The share bar's 'Comments' stands over the article's body: no cut starts there."""
    result = clean_and_explain(shape(name))
    assert "The harbor ferry will add two early sailings" in " ".join(result.text.split())
    assert not any(h.action == "truncate" and "The harbor ferry will" in h.removed for h in result.hits)


@pytest.mark.parametrize("shape", DUMPS + ARTICLES)
def test_signal_memo_gives_the_blocks_of_a_fresh_read(shape: str) -> None:
    # the article heuristic's second pass over a document reuses the first pass's
    # blocks (SignalMemo): after a removal and an edit, it must read the page exactly
    # as a read without the memo does
    from cleaner.blocks import SignalMemo

    def signals(page):
        return None if page is None else [(u.first, u.last, u.text, u.kind, u.score, u.nwords, u.stop, u.ends,
                                           u.bullet, u.heading, u.link_share, u.table, u.glue) for u in page.units]

    text = read_exact(SHAPES / f"{shape}.txt")
    lines = split_lines(text)
    memo = SignalMemo()
    assert signals(read_page(lines, text, memo)) == signals(read_page(lines, text))
    kept = [line for line in lines if line.text.strip()]
    kept[len(kept) // 2].removed = True
    kept[len(kept) // 3].text += " and more"
    assert signals(read_page(lines, text, memo)) == signals(read_page(lines, text))
    assert memo.layouts  # (kinds too, where the page is judged at all)
