"""Long fixed sentences found with typos spread anywhere in them.

A publisher's disclaimer is one fixed sentence ("By using this site, you consent to our
User Agreement and agree that ..."), but scraped copies carry glitches: a dropped
letter, "third-rave partners", a word run together. A regex written for it with
``{e<=N}`` fuzziness needs an exact opening to stay fast, so a typo in its first words
defeats it, and when a line resembles the sentence but has more than N edits, regex's
fuzzy search backtracks for seconds (3.5 s measured on a 254-character sentence with 20
edits against ``e<=10``).

:class:`FixedText` does it in two steps whose work is bounded by the line's length, not
by the clock:

1. *Votes.* Every word of the line that also occurs in the sentence votes for where the
   sentence would start if the word were in its place. Where half of the sentence's
   words agree on a start (give or take the edit budget), a window is worth checking.
2. *Edit distance.* In that window, Myers' bit-parallel algorithm finds the substring
   with the fewest edits (insertions, deletions, substitutions) from the sentence, in
   one pass over the window's characters; a second pass over the reversed window finds
   where it starts. It matches when the edits are at most ``errors`` (a share) of the
   sentence's length.

Matching ignores case. A :class:`FixedText` is used by the rule engine like a compiled
pattern: ``search`` and ``finditer`` take the same arguments and return the ``regex``
module's own match objects (of the exact text found), so a rule can list fixed texts
next to its patterns (the ``texts`` field of a rule file).
"""

from __future__ import annotations

import functools
from typing import Iterator

import regex

__all__ = ["FixedText", "DEFAULT_ERRORS"]

#: The share of a fixed text's characters that may be edited: 10 % lets a 113-character
#: disclaimer carry 11 typos, far more than scraped copies show, while no other
#: sentence comes that close to one this long.
DEFAULT_ERRORS = 0.1
_WORD = regex.compile(r"\w{3,}")


class FixedText:
    """A fixed sentence, matched with at most ``errors`` x its length edits (at least 2).

    >>> text = FixedText("If you purchase a product or register for an account through a link "
    ...                  "on our site, we may receive compensation.")
    >>> m = text.search("Fi you purchse a prodcut or register for an acount thru a link on our site, "
    ...                 "we may recieve compensation. The council met on Monday.")
    >>> m.span()
    (0, 104)
    >>> text.search("If you purchase a product online, keep the receipt.") is None
    True
    """

    def __init__(self, text: str, errors: float = DEFAULT_ERRORS) -> None:
        if not text.strip():
            raise ValueError("a fixed text must not be empty")
        if not 0 <= errors < 0.5:
            raise ValueError(f"errors must be a share of the text's length, from 0 to 0.5, not {errors!r}")
        self.pattern = text  # what reports and --list-rules print, as for a regex pattern
        self.errors = errors
        self.budget = max(2, int(errors * len(text)))
        low = _lower(text)
        self._length = len(low)
        self._forward = _masks(low)
        self._backward = _masks(low[::-1])
        self._offsets: dict[str, list[int]] = {}
        for m in _WORD.finditer(low):
            self._offsets.setdefault(m.group(), []).append(m.start())
        self._quorum = max(1, sum(map(len, self._offsets.values())) // 2)  # half its words

    def __repr__(self) -> str:
        return f"FixedText({self.pattern!r}, errors={self.errors})"

    def search(self, text: str, pos: int = 0, endpos: int | None = None, timeout: float | None = None):
        """The first match in ``text[pos:endpos]`` as a ``regex`` match object, or None.
        ``timeout`` is accepted for the engine's sake: the work is bounded by length."""
        return next(self.finditer(text, pos, endpos, timeout), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None,
                 timeout: float | None = None) -> Iterator[regex.Match]:
        """Every non-overlapping match, left to right."""
        end = len(text) if endpos is None else min(endpos, len(text))
        low = _lower(text)
        for a, b in self._windows(low, pos, end):
            if b <= pos:
                continue
            found = self._best(low, max(a, pos), b)
            if found:
                start, stop = found
                pos = stop
                yield _span_pattern(stop - start).match(text, start)

    def _windows(self, low: str, pos: int, end: int) -> Iterator[tuple[int, int]]:
        """Stretches of ``low`` where a quorum of the sentence's words (distinct
        places in it) agree on where it starts, give or take twice the edit budget."""
        votes = sorted((m.start() - offset, offset)
                       for m in _WORD.finditer(low, pos, end)
                       for offset in self._offsets.get(m.group(), ()))
        slack = 2 * self.budget
        seen: dict[int, int] = {}  # sentence offset -> votes for it in votes[i:j]
        j, done = 0, None  # done: where the last window's sentence ended
        for i, (first, _) in enumerate(votes):
            while j < len(votes) and votes[j][0] <= first + slack:
                seen[votes[j][1]] = seen.get(votes[j][1], 0) + 1
                j += 1
            if len(seen) >= self._quorum and (done is None or first > done):
                done = votes[j - 1][0] + self._length
                yield max(pos, first - self.budget), min(end, done + self.budget)
            offset = votes[i][1]
            seen[offset] -= 1
            if not seen[offset]:
                del seen[offset]

    def _best(self, low: str, a: int, b: int) -> tuple[int, int] | None:
        """The span in ``low[a:b]`` closest to the sentence, if within the budget."""
        stop, edits = _closest_end(self._forward, self._length, low, a, b)
        if edits > self.budget:
            return None
        back, _ = _closest_end(self._backward, self._length, low[a:stop][::-1], 0, stop - a)
        start = stop - back
        # a sentence is whole words: a typo at an edge ("Fi you ...") can leave a
        # letter outside the closest span, which would be left behind glued to nothing
        while start > a and low[start - 1].isalnum() and low[start].isalnum():
            start -= 1
        while stop < b and low[stop].isalnum() and low[stop - 1].isalnum():
            stop += 1
        return start, stop


@functools.lru_cache(maxsize=64)
def _span_pattern(n: int) -> regex.Pattern:
    """A pattern that matches the ``n`` characters where it is applied, whatever they
    are: the way to hand a found span to the engine as a ``regex`` match object."""
    return regex.compile(r"(?s).{%d}" % n)


def _lower(text: str) -> str:
    """``text`` lower-cased character for character (so positions stay the same)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _masks(pattern: str) -> dict[str, int]:
    """For each character, the bit mask of the positions where it occurs in ``pattern``."""
    masks: dict[str, int] = {}
    for i, c in enumerate(pattern):
        masks[c] = masks.get(c, 0) | (1 << i)
    return masks


def _closest_end(masks: dict[str, int], m: int, text: str, a: int, b: int) -> tuple[int, int]:
    """Myers (1999): the end (exclusive) of the substring of ``text[a:b]`` with the
    fewest edits from the pattern of ``masks`` (length ``m``), and that number. One
    step per character; the first of equally close ends wins."""
    full = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = full, 0, m
    best, best_end = m, a
    for j in range(a, b):
        eq = masks.get(text[j], 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score < best:
            best, best_end = score, j + 1
    return best_end, best
