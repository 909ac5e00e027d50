"""Cheap per-segment signals: does a line read like prose, a headline, a link list?"""

from __future__ import annotations

import regex

__all__ = ["is_prose", "word_count", "TERMINAL"]

#: Characters a sentence can end with (closing quotes and brackets are skipped first).
TERMINAL = frozenset(".!?…。！？؟।")
_CLOSERS = "\"'”’»)]›」』】"
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")


def word_count(text: str) -> int:
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """True if the text ends like a sentence (after any closing quotes or brackets).

    >>> ends_sentence('He said “no.”'), ends_sentence("Related Articles")
    (True, False)
    """
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def is_prose(text: str) -> bool:
    """A full sentence or more: at least eight words (or forty CJK characters) and a
    sentence ending. Headlines, menu entries, names and links are not prose.

    >>> is_prose("The council will meet again in May to vote on the budget.")
    True
    >>> is_prose("Boston police commissioner doubles down on ICE resistance")
    False
    """
    if not ends_sentence(text):
        return False
    if word_count(text) >= 8:
        return True
    return len(text) >= 40 and len(_CJK.findall(text)) >= 20
