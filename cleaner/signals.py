"""Cheap per-segment signals: does a line read like prose, a headline, a menu entry?

Stopword share is the strongest single signal that a block is running text (jusText's
insight); the stoplists are jusText's own (100 languages, shipped with trafilatura's
dependency), read from its package folder without importing it.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from pathlib import Path

__all__ = ["is_prose", "ends_sentence", "word_count", "words", "Stoplist", "stoplist_for", "TERMINAL"]

#: Characters a sentence can end with (closing quotes and brackets are skipped first).
TERMINAL = frozenset(".!?…。！？؟।")
_CLOSERS = "\"'”’»)]›」』】"
# Han, kana, Hangul, Thai: scripts written without spaces between words
_CJK = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+")


def word_count(text: str) -> int:
    return len(text.split())


def words(text: str) -> list[str]:
    """Lower-cased words: runs of letters and digits.

    >>> words("“Boston’s mayor,” he said — twice.")
    ['boston', 's', 'mayor', 'he', 'said', 'twice']
    """
    return _WORD.findall(text.lower())


def ends_sentence(text: str) -> bool:
    """True if the text ends like a sentence (after any closing quotes or brackets).

    >>> ends_sentence('He said “no.”'), ends_sentence("Related Articles"), ends_sentence("Read on…")
    (True, False, False)
    """
    stripped = text.rstrip().rstrip(_CLOSERS)
    if stripped.endswith(("…", "...")):
        return False  # a teaser cut short ("Obama's plans for America in full view…")
    return bool(stripped) and stripped[-1] in TERMINAL


def cjk_chars(text: str) -> int:
    return len(_CJK.findall(text))


def is_prose(text: str) -> bool:
    """A full sentence or more: at least eight words (or twenty CJK characters) and a
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
    return len(text) >= 20 and cjk_chars(text) >= 20


# --------------------------------------------------------------------------- stoplists
class Stoplist:
    """The stopwords of one language (``name`` is jusText's language name, or "none")."""

    __slots__ = ("name", "words")

    def __init__(self, name: str, stopwords: frozenset[str]) -> None:
        self.name = name
        self.words = stopwords

    def share(self, tokens: list[str]) -> float:
        """Share of ``tokens`` that are stopwords (0.0 for no tokens)."""
        if not tokens:
            return 0.0
        stop = self.words
        return sum(1 for t in tokens if t in stop) / len(tokens)


NO_STOPLIST = Stoplist("none", frozenset())


@functools.lru_cache(maxsize=1)
def _stoplists() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """jusText's stoplists by language, and word -> languages that list it."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return {}, {}
    folder = Path(next(iter(spec.submodule_search_locations))) / "stoplists"
    lists = {p.stem: frozenset(p.read_text(encoding="utf-8").lower().split()) for p in sorted(folder.glob("*.txt"))}
    index: dict[str, list[str]] = {}
    for lang, stop in lists.items():
        for w in stop:
            index.setdefault(w, []).append(lang)
    return lists, {w: tuple(langs) for w, langs in index.items()}


def stoplist_for(tokens: list[str]) -> Stoplist:
    """The stoplist that covers most of ``tokens`` (a sample of a document's words).

    Weak evidence (under 15 % of the tokens, e.g. Chinese, which jusText has no list
    for) gives no stoplist.

    >>> stoplist_for(words("Die Stadt hat am Montag den Haushalt für das nächste Jahr beschlossen")).name
    'German'
    """
    lists, index = _stoplists()
    if not tokens or not lists:
        return NO_STOPLIST
    counts: Counter[str] = Counter()
    for t, n in Counter(tokens).items():
        for lang in index.get(t, ()):
            counts[lang] += n
    if not counts:
        return NO_STOPLIST
    best, n = counts.most_common(1)[0]
    if n < 0.15 * len(tokens):
        return NO_STOPLIST
    # Long lists (Finnish's 6,813 words, Marathi's 2,482 with English words in it)
    # cover much of any text: among the lists that cover nearly as much as the best,
    # the shortest is the most specific. (Simple_English is a short copy of English.)
    close = [lang for lang, m in counts.items() if m >= _CLOSE * n and lang != "Simple_English"]
    if close:
        best = min(close, key=lambda lang: (len(lists[lang]), lang))
    return Stoplist(best, lists[best])


_CLOSE = 0.9
