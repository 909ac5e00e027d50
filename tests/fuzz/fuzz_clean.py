#!/usr/bin/env python3
"""Coverage-guided fuzzing of ``cleaner.clean()`` and ``clean_and_explain()`` with atheris.

Not part of the test suite (it runs until stopped). See ``README.md`` beside it::

    python tests/fuzz/fuzz_clean.py -max_total_time=3600 tests/fuzz/corpus tests/fuzz/seeds

For every input it checks what ``tests/test_properties.py`` checks on a few hundred
examples, on as many inputs as the time allows:

* ``clean()`` and ``clean_and_explain()`` never raise on a ``str``;
* ``clean_and_explain(x).text == clean(x)``;
* no invented words: the output's ``\\w+`` words are words of the glitch-fixed input
  (``clean(x, FIXES_ONLY)``), unless the input is an HTML page (trafilatura extracts it);
* idempotence: ``clean(clean(x)) == clean(x)``.

The first byte of an input picks how the rest becomes text:

0. any unicode string (surrogates, controls, combining marks, bidi: whatever
   ``FuzzedDataProvider.ConsumeUnicode`` makes);
1. a news-like document: lines picked from article sentences, boilerplate, menus and
   glitches below, joined with LF, CRLF or a mix, spliced with a few fuzzed characters;
2. the rest of the input as UTF-8 (invalid bytes become U+FFFD): seeds in ``seeds/``
   are real documents in this form.

A failure prints the decoded text with ``repr()`` before the traceback, so it can be
pasted into a regression test; libFuzzer also writes the raw input to ``crash-*``
(or ``timeout-*`` for a hang: pass ``-timeout=60``). With ``FUZZ_LOG=failures.txt`` in
the environment, failures are appended there (up to 20 of each kind) and the run goes on.
"""

from __future__ import annotations

import os
import sys
import traceback

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner import Config, clean, clean_and_explain
    from cleaner.heuristics import looks_like_html

import regex

FIXES_ONLY = Config(builtin_rules=False, dedupe=False, article_heuristic=False, html_input=False)
WORD = regex.compile(r"\w+")

SENTENCES = [
    "The city council approved the budget on Monday after a long and heated debate.",
    "Mayor Michelle Wu said the city would not cooperate with the federal request.",
    "“We will not back down,” she told reporters outside City Hall on Tuesday.",
    "Officials expect the new rules to take effect at the beginning of next year.",
    "Critics said the plan would hurt small businesses and raise rents in the neighbourhood.",
    "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung zu verlängern.",
    "El gobierno anunció que las negociaciones continuarán la próxima semana en Madrid.",
    "Le conseil municipal a voté le budget mardi soir après un long débat.",
    "Read more about the budget in our report, which explains every line of the plan.",
    "Comments from the minister came hours later, and they were sharp.",
    "The café’s owner, José Núñez, said the fee — about €50 — was too high.",
]
BOILERPLATE = [
    "Read More: Council votes on new budget", "READ MORE: Crime-ridden states need help", "Advertisement",
    "Story continues below advertisement", "Comments", "18 Comments", "Leave a Reply", "Share this article",
    "Share on Facebook", "Follow us on Twitter", "© 2024 Example News. All rights reserved.",
    "Subscribe to our newsletter", "Related: Boston budget passes", "Continue reading the main story",
    "Sign up", "Photo: AP", "Sources:", "Related Articles", "Tags: politics, budget", "Skip to main content",
    "If you purchase a product through links on our site, we may receive compensation.",
    "This article originally appeared on Example.com.", "Jane Doe contributed to this report.",
    "Joe: great piece, thanks.", "Reply", "Posted by Jane Doe on July 18, 2012 at 11:00 AM",
    "View this email in your browser", "-- ", "Weiterlesen", "Lire aussi : le budget", "Leer más",
]
NAV = ["Home", "News", "Sport", "Weather", "Log in", "Menu", "Search", "Most popular", "Politics",
       "Mayor unveils new parking plan", "Five things to know today", "Terms of Use", "Privacy Policy",
       "Home | News | Sport | Weather", "Home > Sport > Football"]
GLITCHES = [
    "The cityâ€™s â€œbudgetâ€\x9d passed.", "CafÃ© owner said no.", "Smith &amp; Wesson rose 5%.",
    "Tickets\u00a0cost  five dollars. ", "Zero\u200bwidth and soft\u00adhyphen.", "<b>Bold</b> claim here.",
    "See [the report](https://example.com/r) for details.", "\x1b[1mBREAKING\x1b[0m: markets fell.",
    "The council voted late on Monday to approve the plan. Read more »", "&nbsp;", "&#10;", "  <br>",
    "<!DOCTYPE html><html><body><p>Council approves the budget after a long debate.</p></body></html>",
]
PIECES = [SENTENCES, BOILERPLATE, NAV, GLITCHES, [""]]
EOLS = ["\n", "\r\n", "\r", "\n\n"]


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def news_document(fdp: atheris.FuzzedDataProvider) -> str:
    """A document of up to 40 lines from the lists above, with fuzzed characters spliced in."""
    eol_mode = fdp.ConsumeIntInRange(0, len(EOLS))  # len(EOLS): mixed
    out = []
    for _ in range(fdp.ConsumeIntInRange(0, 40)):
        if fdp.remaining_bytes() == 0:
            break
        kind = PIECES[fdp.ConsumeIntInRange(0, len(PIECES) - 1)]
        row = kind[fdp.ConsumeIntInRange(0, len(kind) - 1)]
        if fdp.ConsumeIntInRange(0, 7) == 0:  # join a few sentences into a paragraph or a blob
            row = " ".join([row] + [SENTENCES[fdp.ConsumeIntInRange(0, len(SENTENCES) - 1)]
                                    for _ in range(fdp.ConsumeIntInRange(1, 6))])
        if fdp.ConsumeIntInRange(0, 9) == 0:  # damage it
            at = fdp.ConsumeIntInRange(0, len(row))
            row = row[:at] + fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 8)) + row[at:]
        eol = EOLS[fdp.ConsumeIntInRange(0, len(EOLS) - 1)] if eol_mode == len(EOLS) else EOLS[eol_mode]
        out.append(row + eol)
    text = "".join(out)
    if fdp.ConsumeBool():
        text = text.rstrip("\r\n")
    return text


def text_from(data: bytes) -> str:
    if not data:
        return ""
    mode, rest = data[0] % 3, data[1:]
    if mode == 0:
        fdp = atheris.FuzzedDataProvider(rest)
        return fdp.ConsumeUnicode(len(rest))
    if mode == 1:
        return news_document(atheris.FuzzedDataProvider(rest))
    return rest.decode("utf-8", "replace")


def check(text: str) -> None:
    """Every property of clean() on one text; raises AssertionError (or whatever clean raised)."""
    out = clean(text)
    assert isinstance(out, str)
    result = clean_and_explain(text)
    assert result.text == out, "clean_and_explain(x).text != clean(x)"
    if not looks_like_html(text):
        invented = words(out) - words(clean(text, FIXES_ONLY))
        assert not invented, f"invented words: {sorted(invented)[:10]}"
    again = clean(out)
    if again != out:
        # name what the second clean() did: failures with different causes are told apart
        second = sorted({hit.id for hit in clean_and_explain(out).hits})
        raise AssertionError(f"not idempotent, the second clean() does {', '.join(second)}\n"
                             f"  once:  {out!r}\n  twice: {again!r}")


#: With FUZZ_LOG=path, a failure is appended to that file (up to FUZZ_LOG_PER_KIND times per kind of failure)
#: and the run goes on, so one long run can find more than one bug.
FUZZ_LOG = os.environ.get("FUZZ_LOG")
#: Failures of one kind (exception type and first line) logged at most this many times:
#: one kind ("not idempotent") can have several causes, sorted out by minimizing them.
FUZZ_LOG_PER_KIND = int(os.environ.get("FUZZ_LOG_PER_KIND", "20"))
_seen: dict[str, int] = {}


def test_one_input(data: bytes) -> None:
    text = text_from(data)
    try:
        check(text)
    except Exception as exc:
        kind = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:120]
        if not FUZZ_LOG:
            print(f"\n=== failing input ({len(text)} chars): {text!r}", file=sys.stderr, flush=True)
            raise
        if _seen.get(kind, 0) < FUZZ_LOG_PER_KIND:
            _seen[kind] = _seen.get(kind, 0) + 1
            with open(FUZZ_LOG, "a", encoding="utf-8") as log:
                log.write(f"=== {kind}\n{text!r}\n{traceback.format_exc()}\n")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
