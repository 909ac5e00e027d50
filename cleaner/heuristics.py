"""Extraction heuristics that are code, not rules: duplicates and HTML input.

The article-finding heuristics (menus, teasers, comment threads around the article)
live in :mod:`cleaner.article`.
"""

from __future__ import annotations

import re

from .model import Hit
from .segments import Line, block_text, iter_blocks, span_text
from .signals import is_prose

__all__ = ["drop_duplicates", "looks_like_html", "extract_html"]

_WORDS = re.compile(r"\w+")


def dedupe_key(text: str) -> str:
    """Words only, case-folded: two paragraphs with the same key are the same paragraph
    up to case, punctuation, quotes and spacing.

    >>> dedupe_key("“Boston will not back down,” Wu said.") == dedupe_key('"Boston will NOT back down" Wu said')
    True
    """
    return " ".join(_WORDS.findall(text.casefold()))


def _sketch(text: str) -> tuple[int, int, int, int]:
    """How many e, o, r and d (either case) ``text`` holds: equal for two texts with the
    same :func:`dedupe_key`, since each is a word character and no other character
    case-folds to one of them. str.count runs at C speed, unlike the key's regex.

    >>> [hex(c) for c in range(0x110000) if any(x in chr(c).casefold() for x in "eord") and chr(c) not in "eordEORD"]
    []
    """
    return (text.count("e") + text.count("E"), text.count("o") + text.count("O"),
            text.count("r") + text.count("R"), text.count("d") + text.count("D"))


def drop_duplicates(lines: list[Line], min_chars: int, hits: list[Hit] | None) -> bool:
    """Remove exact and near-exact repeats of a paragraph of prose (or line).

    The copy kept is the first one that sits in the article's flow (next to a line of
    prose); if no copy does, the first one. A page dump often shows a headline or lede
    first in its header, then again in the article: the header copy goes. The
    document's first line (a page dump's title) is never the copy kept.
    """
    # Most paragraphs have no repeat: group them by a cheap sketch first, and compute
    # the key (and the prose test) only for paragraphs whose sketch another one shares.
    sketches: dict[tuple[int, int, int, int], list[tuple[int, tuple[int, int]]]] = {}
    texts = []
    for n, span in enumerate(iter_blocks(lines)):
        text = block_text(lines, span)
        texts.append(text)
        if len(text) >= min_chars:
            sketches.setdefault(_sketch(text), []).append((n, span))
    groups: dict[str, list[int]] = {}
    spans: dict[int, tuple[int, int]] = {}  # of the blocks in a group only, not one per line
    # in document order, so that groups and their members come in the order of their first paragraph
    for n, span in sorted(block for same in sketches.values() if len(same) > 1 for block in same):
        # only paragraphs of prose: a repeated headline, label or line of program
        # output is often repeated on purpose (and a headline is cheap to keep)
        if is_prose(texts[n]):
            groups.setdefault(dedupe_key(texts[n]), []).append(n)
            spans[n] = span
    changed = False
    for members in groups.values():
        if len(members) < 2 or _is_structure(members, texts):
            continue
        group = set(members)
        # the document's first line is a page dump's <title>, which the article
        # heuristic drops as header furniture: a later copy is the one to keep
        later = [n for n in members if n != 0]
        keep = next((n for n in later if _next_to_prose(n, texts, group)), later[0])
        for n in members:
            if n == keep:
                continue
            a, b = spans[n]
            for line in lines[a:b]:
                line.removed = True
            changed = True
            if hits is not None:
                hits.append(Hit("heuristic.dedupe", "heuristic", "drop", lines[a].start, lines[b - 1].end,
                                span_text(lines, a, b), f"repeats the paragraph at line {spans[keep][0] + 1}"))
    return changed


def _is_structure(members: list[int], texts: list[str]) -> bool:
    """Is a repeated paragraph part of the article's structure rather than a copy: the
    same question put to each guest of an interview? Each copy is a question that an
    answer follows, and the answers differ. (A copied lede, teaser or sign-up blurb
    is no question, or is followed by the same text each time.)"""
    if members[0] == 0 or not texts[members[0]].rstrip().rstrip("\"'”’»)").endswith("?"):
        return False  # (the first line is a page's title: its copy below is the headline's)
    answers = [texts[n + 1] for n in members if n + 1 < len(texts)]
    return (len(answers) == len(members) and all(is_prose(a) for a in answers)
            and len({dedupe_key(a) for a in answers}) == len(answers))


def _next_to_prose(n: int, texts: list[str], members: set[int]) -> bool:
    for m in (n - 1, n + 1):
        if 0 <= m < len(texts) and m not in members and is_prose(texts[m]):
            return True
    return False


# What may come before the first tag: whitespace, a BOM, control characters and
# entities ('&nbsp;'), all of which the glitch fixes would strip or turn into space.
_HTML_START = re.compile(r"\A(?:[\s\ufeff\x00-\x1f\x7f]|&(?:nbsp|#160|#xa0|#0*9|#0*1[03]);)*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                        re.I | re.S)


_HTML_BODY = re.compile(r"<body[\s>]|</html\s*>|<head[\s>]|<p[\s>]|<div[\s>]", re.I)


def looks_like_html(text: str) -> bool:
    """True for a whole HTML document: doctype, <html>, <head> or <body> first, and
    the elements of a page after it (a bare doctype line is text about HTML).

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Use <b>bold</b> sparingly.")
    False
    """
    return bool(_HTML_START.match(text[:4096])) and _HTML_BODY.search(text) is not None


def extract_html(html: str) -> str | None:
    """The main text of an HTML page, by trafilatura (imported only when needed)."""
    import trafilatura  # noqa: PLC0415 - heavy import, only for HTML input

    return trafilatura.extract(html, include_comments=False, include_tables=True, deduplicate=False)
