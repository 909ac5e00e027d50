"""Fixed texts (``texts = [...]`` in a rule): long sentences found with typos anywhere,
in work bounded by the line's length."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import write_rule_file
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean, load_rules
from cleaner.fuzzy import FixedText

CONSENT = ("By using this site, you consent to our User Agreement and agree that your clicks, interactions, "
           "and personal information may be collected, recorded, and/or stored by us and social media and "
           "other third-party partners in accordance with our Privacy Policy.")
AFFILIATE = ("If you purchase a product or register for an account through a link on our site, "
             "we may receive compensation.")


def edit_distance(a: str, b: str) -> int:
    """Plain Levenshtein distance, the reference the fast search is checked against."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def typos(text: str, n: int, seed: int) -> str:
    """``text`` with ``n`` random single-character edits (letters only, so the words
    are still recognisable as misspelt)."""
    rnd, chars = random.Random(seed), list(text)
    for _ in range(n):
        i = rnd.randrange(len(chars))
        op = rnd.choice("sid")
        if op == "s":
            chars[i] = rnd.choice("abcdefghijklmnopqrstuvwxyz")
        elif op == "i":
            chars.insert(i, rnd.choice("abcdefghijklmnopqrstuvwxyz"))
        elif len(chars) > 1:
            del chars[i]
    return "".join(chars)


def test_exact_sentence_inside_a_line_is_found_at_its_place() -> None:
    line = f"The council met on Monday. {CONSENT} It adjourned at noon."
    m = FixedText(CONSENT).search(line)
    assert m.group() == CONSENT
    assert m.span() == (27, 27 + len(CONSENT))


def test_typos_in_the_first_and_last_words_are_tolerated() -> None:
    line = "Fi you purchse a product or regster for an account through a link on our site, we may receive compensaton."
    m = FixedText(AFFILIATE).search(line)
    assert m is not None and m.span() == (0, len(line))


@pytest.mark.parametrize("seed", range(20))
def test_a_dozen_random_typos_are_tolerated(seed: int) -> None:
    garbled = typos(CONSENT, 12, seed)
    m = FixedText(CONSENT).search(f"Lead paragraph. {garbled} Next paragraph.")
    assert m is not None
    assert edit_distance(m.group().lower(), CONSENT.lower()) <= FixedText(CONSENT).budget
    assert abs(m.start() - len("Lead paragraph. ")) <= 3 and abs(len(m.group()) - len(garbled)) <= 6


def test_case_is_ignored_and_every_copy_is_found() -> None:
    line = f"{AFFILIATE} Also: {AFFILIATE.upper()}"
    spans = [m.span() for m in FixedText(AFFILIATE).finditer(line)]
    assert spans == [(0, len(AFFILIATE)), (len(AFFILIATE) + 7, len(line))]


def test_positions_survive_characters_whose_lower_case_is_longer() -> None:
    # 'İ'.lower() is two characters: positions must still point into the original text
    line = f"İstanbul İİ. {AFFILIATE}"
    m = FixedText(AFFILIATE).search(line)
    assert m.group() == AFFILIATE


@pytest.mark.parametrize("text", [
    "If you purchase a product online, keep the receipt, the consumer group said.",
    "By using this site, residents can report potholes directly to the city.",
    # the same words, shuffled: votes may gather, the edit distance says no
    " ".join(sorted(CONSENT.split())),
    typos(CONSENT, 60, 1),
])
def test_other_text_is_not_matched(text: str) -> None:
    assert FixedText(CONSENT).search(text) is None
    assert FixedText(AFFILIATE).search(text) is None


def test_a_near_miss_costs_no_more_than_a_match() -> None:
    """regex's ``{e<=N}`` backtracks for seconds on a line just over its budget (3.5 s
    measured); the vote-then-edit-distance search does one pass. Counted, not timed:
    the edit-distance pass runs on at most a few windows of the sentence's size."""
    fixed = FixedText(CONSENT)
    near = typos(CONSENT, 35, 3)
    windows = list(fixed._windows(near.lower(), 0, len(near)))
    assert len(windows) <= 1
    assert all(b - a <= len(CONSENT) + 4 * fixed.budget for a, b in windows)
    assert fixed.search(near) is None


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghij klmnop.,", max_size=400))
def test_a_match_is_always_within_the_budget(noise: str) -> None:
    fixed = FixedText(AFFILIATE)
    for m in fixed.finditer(noise + AFFILIATE[: len(noise) % len(AFFILIATE)] + noise):
        assert edit_distance(m.group().lower(), AFFILIATE.lower()) <= fixed.budget


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        FixedText("   ")
    with pytest.raises(ValueError, match="share"):
        FixedText(AFFILIATE, errors=0.9)


def test_builtin_disclaimers_go_with_their_typos() -> None:
    text = ("Fi you purchse a product or regster for an account through a link on our site, we may receive "
            f"compensaton. {typos(CONSENT, 10, 7)}\n\nThe council voted 7-2 to pass the budget on Monday night.\n")
    assert clean(text) == "The council voted 7-2 to pass the budget on Monday night.\n"


def test_a_rule_file_with_texts_derives_its_keywords(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "en/promo.toml", '''[family]
name = "promo"
description = "Promotions."

[[rule]]
id = "promo.disclaimer"
description = "A fixed disclaimer."
scope = "inline"
action = "drop"
texts = ["Prices and availability are accurate as of the time of publication and may change."]
errors = 0.15
hit = [{ text = "Prices and availabilty are acurate as of the time of publicaton and may change.", output = "" }]
miss = ["Prices rose as of Monday, the ministry said."]
''')
    rule = load_rules(tmp_path, builtin=False).get("promo.disclaimer")
    assert set(rule.keywords) >= {"availability", "publication", "accurate"}  # the longest words
    assert isinstance(rule.patterns[0], FixedText) and rule.patterns[0].errors == 0.15
    assert rule.search("Prices and availabilty are acurate as of the time of publicaton and may change.")


def test_fixed_texts_are_not_timed_by_the_regex_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    # The guard stops a backtracking pattern; a fixed text cannot backtrack, and on a
    # slow machine its searches once used up the allowance of every pattern after them.
    from cleaner import Config, engine

    rules = load_rules()
    assert rules.get("affiliate.purchase-compensation").bounded  # texts only
    assert not rules.get("read_more.standalone").bounded  # regex patterns
    line = " ".join(f"If you purchase a product through links on our site, we may receive a gift ({i})."
                    for i in range(300))  # near misses: the slowest case of a fixed text
    text = f"{line} {AFFILIATE}\n\nThe council voted 7-2 to pass the budget on Monday night.\n"
    config = Config(disable=tuple(r.id for r in rules if r.id != "affiliate.purchase-compensation"))
    expected = clean(text, config)
    assert AFFILIATE not in expected and expected.count("a gift") == 300
    real = engine.monotonic
    monkeypatch.setattr(engine, "monotonic", lambda: 1e6 * real())  # every timed search would trip
    assert clean(text, config) == expected
