"""fix.markdown: the Markdown residue of an article written as Markdown goes, its words
stay; prose with an asterisk and whole pages dumped as Markdown are left alone."""

from __future__ import annotations

import pytest

from cleaner import Config, clean, clean_and_explain
from cleaner.markdown import is_article_markdown, unmark_line

#: Only the glitch fixes, so that the expected outputs show this step alone.
FIXES_ONLY = Config(builtin_rules=False, dedupe=False, article_heuristic=False, html_input=False)

ARTICLE = """\
# Council backs the \\#1 budget plan

The [city council](https://news.example/council) approved the budget on **Monday**, after a *long* debate.

![The council chamber](https://news.example/img/chamber.jpg)

---

| Item | Cost |
|---|---|
| Ferries | \\<2.1m |
| | |

Members raised three points:

- Fares stay at 2\\.75 \\*.
-
- The \\_pilot\\_ scheme ends in May.

```
total = base * rate * years
```

More at [the city's site](https://city.example/budget_2025_final).

https://city.example/budget_2025_final
"""

# (the blanked image line and the dropped rule leave two blank lines, max_blank_lines of them)
CLEANED = """\
# Council backs the #1 budget plan

The city council approved the budget on Monday, after a long debate.


| Item | Cost |
| Ferries | <2.1m |

Members raised three points:

- Fares stay at 2.75 *.
- The _pilot_ scheme ends in May.

total = base * rate * years

More at the city's site.

https://city.example/budget_2025_final
"""


def test_article_markdown_loses_its_syntax_and_keeps_its_words() -> None:
    assert is_article_markdown(ARTICLE)
    assert clean(ARTICLE, FIXES_ONLY) == CLEANED


def test_every_change_is_explained() -> None:
    hits = [h for h in clean_and_explain(ARTICLE, FIXES_ONLY).hits if h.id == "fix.markdown"]
    dropped = [h.removed for h in hits if h.action == "drop"]
    assert dropped == ["---", "|---|---|", "| | |", "-", "```", "```"]
    for hit in hits:
        assert hit.kind == "fix" and hit.reason
        assert ARTICLE[hit.start:hit.end] == hit.removed or hit.action == "replace"
    edited = {h.removed: h.replacement for h in hits if h.action == "replace"}
    assert edited["- The \\_pilot\\_ scheme ends in May."] == "- The _pilot_ scheme ends in May."


def test_idempotent() -> None:
    once = clean(ARTICLE)
    assert clean(once) == once
    assert not is_article_markdown(once)  # its links are gone: a second clean() leaves it alone
    fixes = clean(ARTICLE, FIXES_ONLY)
    assert clean(fixes, FIXES_ONLY) == fixes


@pytest.mark.parametrize(("line", "expected"), [
    ("**Update:** the plan *was* approved.", "Update: the plan was approved."),
    ("A __strong__ and _quiet_ word.", "A strong and quiet word."),
    (r"\* \* \* a row of stars", "* * * a row of stars"),  # escaped stars are text, not emphasis
    (r"**\* \* \* Support the fund!**", "* * * Support the fund!"),
    (r"Call \[for prisoners\] and 1\. then \-5", "Call [for prisoners] and 1. then -5"),
    (r"\_\_init\_\_ runs first", "__init__ runs first"),
    ("See https://e.example/a_b_c_d/ and www.e.example/_x_ now", "See https://e.example/a_b_c_d/ and "
                                                                  "www.e.example/_x_ now"),
])
def test_unmark_line(line: str, expected: str) -> None:
    assert unmark_line(line) == expected


@pytest.mark.parametrize("line", [
    "The rate is 5 * 3 * 2, she said.",
    "snake_case_names and file_name_here stay",
    "2 ** 10 is 1024",
    "C:\\Users\\ana\\Documents",
    "* a list item with a *",
])
def test_unmark_line_keeps(line: str) -> None:
    assert unmark_line(line) == line


PROSE = "The council met on Monday. The mayor said the rise was *not* the end of it, and left.\n"


@pytest.mark.parametrize("text", [
    PROSE,
    PROSE + "Footnote* applies.\n",
    # three pieces only: not enough to call it Markdown
    "The [council](https://e.com/c) met on **Monday**.\n\n---\n\nThe mayor left.\n",
    # Markdown, but no link: never judged Markdown (so a cleaned text is not judged again)
    "# Budget\n\nThe **council** met on *Monday*.\n\n---\n\nThe __mayor__ left.\n",
])
def test_prose_is_not_markdown(text: str) -> None:
    assert not is_article_markdown(text)
    assert clean(text, FIXES_ONLY) == clean(text, Config(**{**FIXES_ONLY.__dict__, "strip_markdown": False}))
    assert not any(h.id == "fix.markdown" for h in clean_and_explain(text).hits)


MENU = "".join(f"  * [{name}](/{name.lower()})\n" for name in ("Home", "News", "Sports", "Business"))
DUMP = (f"[The Ledger](/)\n\n{MENU}\n\n\n# Council backs the budget\n\n"
        "The [council](/council) approved the budget on **Monday**, after a *long* debate that ran late.\n\n"
        "* * *\n\nFares stay at \\$2.75, the mayor said, and the pilot scheme ends in May.\n\n"
        f"### Related\n\n{MENU}")


def test_whole_page_dump_is_left_alone() -> None:
    assert not is_article_markdown(DUMP)
    assert not any(h.id == "fix.markdown" for h in clean_and_explain(DUMP).hits)
    assert clean(DUMP) == clean(DUMP, Config(disable=("fix.markdown",)))


def test_can_be_switched_off() -> None:
    assert clean(ARTICLE, Config(strip_markdown=False)) == clean(ARTICLE, Config(disable=("fix.markdown",)))
    off = clean(ARTICLE, Config(**{**FIXES_ONLY.__dict__, "strip_markdown": False}))
    assert "**Monday**" in off and "|---|---|" in off
