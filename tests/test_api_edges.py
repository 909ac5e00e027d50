"""The library's edges: what clean() takes, and hits that describe the input exactly
(in the order of their place in the text; a removal's ``removed`` is the input's span)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, corpus_docs, corpus_files, needs_corpus
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Config, ConfigError, Hit, clean, clean_and_explain

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
TEXTS = sorted(p for p in FIXTURES.rglob("*.txt") if not p.name.endswith(".gold.txt"))


@pytest.mark.parametrize("value", [None, 3, ["a"]])
def test_clean_says_what_it_takes(value) -> None:
    with pytest.raises(TypeError) as info:
        clean(value)  # type: ignore[arg-type]
    assert str(info.value) == f"clean() takes a str, not {'None' if value is None else type(value).__name__}"
    with pytest.raises(TypeError, match="clean\\(\\) takes a str"):
        clean_and_explain(value)  # type: ignore[arg-type]


def test_bytes_are_told_to_decode() -> None:
    with pytest.raises(TypeError, match="takes a str, not bytes; decode bytes first"):
        clean(b"The mayor said no.\n")  # type: ignore[arg-type]


def test_config_as_a_mapping() -> None:
    text = "The mayor said no to the plan.\nRead More: Council votes on budget\nAdvertisement\n"
    assert clean(text, {"disable": ["read_more"]}) == "The mayor said no to the plan.\nRead More: Council votes on budget\n"
    assert clean(text, {"disable": ["read_more"]}) == clean(text, Config(disable=("read_more",)))
    assert clean_and_explain(text, {"max-blank-lines": 1}).text == clean(text)
    with pytest.raises(ConfigError, match="unknown option 'disabel' \\(did you mean 'disable'\\?\\)"):
        clean(text, {"disabel": ["read_more"]})


def test_config_of_another_type_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="config must be a cleaner.Config or a mapping of its options, not list"):
        clean("x", ["read_more"])  # type: ignore[arg-type]


def _phases(text: str, hits: tuple[Hit, ...]) -> list[tuple[str, list[Hit]]]:
    """The hits of each text: the input, then each HTML extraction's text."""
    phases: list[tuple[str, list[Hit]]] = [(text, [])]
    for hit in hits:
        if hit.id == "heuristic.html" and hit.replacement is not None:
            phases.append((hit.replacement, []))
        else:
            phases[-1][1].append(hit)
    return phases


def _whole_lines(text: str, start: int, end: int) -> bool:
    return text[start - 1:start] in ("", "\n", "\r") and text[end:end + 1] in ("", "\n", "\r")


def _check_hits(text: str) -> int:
    """Hits in text order; every removal's ``removed`` is its span of the input, unless an
    edit inside the span came first (a fix or an inline replacement changed a line)."""
    result = clean_and_explain(text)
    checked = 0
    for base, hits in _phases(text, result.hits):
        starts = [h.start for h in hits]
        assert starts == sorted(starts), "hits are not in text order"
        edits = [(h.start, h.end) for h in hits if h.action == "replace" or (h.action == "drop" and (
            h.end - h.start != len(h.removed) or not _whole_lines(base, h.start, h.end)))]
        for hit in hits:
            if hit.action not in ("drop", "truncate"):
                continue
            if any(a < hit.end and hit.start < b for a, b in edits if (a, b) != (hit.start, hit.end)):
                continue
            if hit.end - hit.start != len(hit.removed) and hit.kind == "rule" and hit.action == "drop":
                continue  # an inline drop on a line a fix changed: its span is the whole line
            assert hit.removed == base[hit.start:hit.end], hit
            checked += 1
    return checked


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_hits_describe_the_input_on_fixtures(path) -> None:
    _check_hits(path.read_text(encoding="utf-8"))


def test_a_truncate_hit_removes_its_span_with_the_blank_lines_in_it() -> None:
    text = ("The council voted on the budget on Monday, and the mayor said she was pleased with it.\n"
            "The vote is expected in May, officials said in a statement on Tuesday.\n\n"
            "Related Articles\n\nCouncil approves budget\n\nMayor speaks\n")
    result = clean_and_explain(text)
    cuts = [h for h in result.hits if h.action == "truncate"]
    assert cuts, result.hits
    for hit in cuts:
        assert hit.removed == text[hit.start:hit.end]
        assert "\n\n" in hit.removed  # (it used to leave the blank lines out)


def test_hits_come_in_text_order_after_a_later_pass() -> None:
    # the dedupe and the rules run in passes; the report is still in the order of the text
    text = ("Advertisement\n" + "The council voted on the budget on Monday, and the mayor said she was pleased.\n\n") * 2 \
        + "Read More: Council votes on budget\n"
    hits = clean_and_explain(text).hits
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert {"advertisement", "heuristic.dedupe", "read_more"} <= {h.family if h.kind == "rule" else h.id for h in hits}


@given(st.lists(st.sampled_from([
    "The council voted on the budget on Monday, and the mayor said she was pleased.",
    "Advertisement", "Read More: Council votes on budget", "", "Comments", "Share this:", "Loading...",
    "Follow us on Twitter", "© 2024 Boston Globe. All rights reserved.", "Related Articles",
    "She said the vote would come in May after the hearings.",
]), max_size=14), st.sampled_from(["\n", "\r\n"]))
def test_hits_describe_the_input_property(lines: list[str], eol: str) -> None:
    _check_hits(eol.join(lines) + eol)


@needs_corpus
@pytest.mark.slow
def test_hits_describe_the_input_on_the_dev_corpus() -> None:
    checked = 0
    for path in corpus_files():
        for doc in corpus_docs(path, 250):
            checked += _check_hits(doc["raw"])
    assert checked > 1000
