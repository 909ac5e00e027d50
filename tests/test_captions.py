"""Caption and credit lines between paragraphs: a line that is only a credit goes
where its wording says so beyond doubt; a caption sentence that ends in its credit,
and an English credit, are flagged and kept (the dev gold keeps them beside the
article); prose that mentions a photo stays untouched."""

from __future__ import annotations

import pytest

from cleaner import clean_and_explain

PARAGRAPH = ("The council met on Monday to discuss the budget, and the mayor said the plan would pass "
             "without much trouble this year.")
OTHER = ("Opponents said the tax increase would fall hardest on renters and promised to fight it at the "
         "next election.")


def _between(line: str):
    text = f"{PARAGRAPH}\n{line}\n{OTHER}\n"
    result = clean_and_explain(text)
    return text, result, {(h.id, h.action) for h in result.hits if h.kind != "fix"}


@pytest.mark.parametrize("line, rule", [
    ("Foto: Christof Stache", "captions.de-credit"),
    ("Bildquelle: Pixabay", "captions.de-credit"),
    ("Fotografía: EFE", "captions.es-credit"),
    ("Crédito: Reuters", "captions.es-credit"),
    ("Crédit photo : AFP", "captions.fr-credit"),
])
def test_a_line_that_is_only_a_credit_goes(line: str, rule: str) -> None:
    _, result, hits = _between(line)
    assert result.text == f"{PARAGRAPH}\n{OTHER}\n"
    assert (rule, "drop") in hits


@pytest.mark.parametrize("line, rule", [
    ("Barack Obama and Michael Bloomberg in 2008. Photograph: Diane Bondareff/AP", "captions.credited-caption"),
    ("Microsoft plans to cut its carbon emissions by 2030. Mike Blake/Reuters files", "captions.credited-caption"),
    ("Photo: Jane Doe/AP", "captions.credit-line"),
    ("(Bild: Hersteller)", None),  # the tail of a caption a tag-splitting dump cut off
])
def test_a_caption_or_english_credit_beside_the_article_is_flagged_and_kept(line: str, rule: str | None) -> None:
    text, result, hits = _between(line)
    assert result.text == text
    assert not any(action == "drop" for _, action in hits)
    if rule is not None:
        assert (rule, "flag") in hits


@pytest.mark.parametrize("line", [
    "The photo was taken in 1962, the museum said, and it hung in the hall until 1990.",
    "He sold the picture to Reuters. AP reported the sale first.",
    "Das Foto zeigt den Bürgermeister im Jahr 1962, kurz nach seiner Wahl.",
    "Foto: Der Bürgermeister wollte nicht posieren. Er erklärt, warum.",
    "La foto muestra al alcalde en 1962, poco después de su elección.",
    "Photographs from the archive show the square before the war, when it was still a market.",
])
def test_prose_that_mentions_a_photo_stays(line: str) -> None:
    text, result, hits = _between(line)
    assert result.text == text
    assert not {rule for rule, _ in hits if rule.startswith("captions.")}
