"""The related-headline detector (cleaner.article.headline_run): a list of other
stories' headlines closing an extractor's output goes; the article's own subheadings,
ordered lists, steps and introduced examples stay; a doubtful run is flagged."""

from __future__ import annotations

from cleaner import clean, clean_and_explain

BODY = "\n".join(  # paragraphs of an extractor's output, one per line
    [
        "The city council voted on Monday to approve the new budget after a long debate about the parks.",
        "Members said the plan would add three new libraries, repair the bridges over the river by 2027 and "
        "hire forty more teachers for the schools in the north of the city, where classes are largest.",
        "The mayor said the vote was a win for every neighbourhood.",
        "Opponents argued that the tax increase would fall hardest on renters, and they promised to fight it "
        "at the next election, when half of the seats on the council are up for a vote.",
        "A final vote on the tax rate is expected next month.",
    ]
)

TITLED = [
    "Storm Knocks Out Power To Thousands Across The Region",
    "Local Team Wins Its First Championship In Forty Years",
    "New Bakery Opens On Main Street After Long Delay",
]


def _heuristic_hits(text: str, action: str) -> list[str]:
    return [h.reason for h in clean_and_explain(text).hits if h.id == "heuristic.article" and h.action == action]


def test_a_named_list_of_other_stories_goes() -> None:
    text = BODY + "\nElsewhere in the Herald:\n" + "\n".join(TITLED) + "\n"
    assert clean(text) == BODY + "\n"
    (reason,) = _heuristic_hits(text, "drop")
    assert "Elsewhere in the Herald:" in reason


def test_a_list_in_title_case_goes_without_a_lead_in() -> None:
    text = BODY + "\n" + "\n".join(TITLED) + "\n"
    assert clean(text) == BODY + "\n"


def test_dated_headlines_go() -> None:
    dated = [
        "Council approves the plan for a new bridge, March 3, 2024",
        "School board delays its vote on the later start, March 5, 2024",
        "Police search for the driver in a hit and run, March 9, 2024",
    ]
    text = BODY + "\n" + "\n".join(dated) + "\n"
    assert clean(text) == BODY + "\n"


def test_sentence_case_run_without_lead_in_is_flagged_and_kept() -> None:
    plain = [
        "Council approves the plan for a new bridge over the river",
        "School board delays its vote on the later start for pupils",
        "Police search for the driver in a hit and run on the ring road",
    ]
    text = BODY + "\n" + "\n".join(plain) + "\n"
    assert clean(text) == text
    (reason,) = _heuristic_hits(text, "flag")
    assert "headline-shaped" in reason


def test_subheadings_followed_by_prose_stay() -> None:
    # headline-like lines, each heading prose: the article's sections, not a list
    sections = [
        "The vote came after a long night of debate in the chamber, and several members changed sides.",
        "Bakers on the street said the opening would bring more people to the shops on weekdays.",
        "Fans filled the square until the early hours of the morning to greet the players.",
    ]
    parts = [line for pair in zip(TITLED, sections) for line in pair]
    text = BODY + "\n" + "\n".join(parts) + "\n"
    assert clean(text) == text


def test_an_ordered_list_closing_the_article_stays() -> None:
    steps = [
        "1. Check the list of polling stations near your home",
        "2. Bring a photo identity card and your voting letter",
        "3. Arrive before the doors close at eight in the evening",
    ]
    text = BODY + "\nHow to vote on Sunday:\n" + "\n".join(steps) + "\n"
    assert clean(text) == text


def test_steps_that_share_their_first_word_stay() -> None:
    steps = [
        "Step one Preheat The Oven To Two Hundred Degrees",
        "Step two Mix The Flour And Butter In A Bowl",
        "Step three Bake The Tart For Thirty Minutes Or So",
    ]
    text = BODY + "\n" + "\n".join(steps) + "\n"
    assert clean(text) == text


def test_lines_that_introduce_examples_stay() -> None:
    intro = [
        "Here Is What The Mayor Said About The Parks:",
        "Here Is What The Opposition Said About Taxes:",
        "Here Is What Renters Told Us On Monday:",
    ]
    text = BODY + "\n" + "\n".join(intro) + "\n"
    assert clean(text) == text


def test_a_list_longer_than_the_article_stays() -> None:
    short_body = BODY.splitlines()[0]
    text = short_body + "\n" + "\n".join(TITLED * 3) + "\n"
    assert clean(text) == text
