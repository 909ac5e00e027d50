"""One view of a text dump, whatever wrote it: units (paragraphs, list items,
headings) and what their layout says, for the signals. The output keeps the user's
characters; only the judgement looks through the dump's style.

Twelve real extractors write the same page in as many ways:

* Markdown (html2text, trafilatura's Markdown): ``# Heading``, ``* item``,
  ``[text](url)``, ``![](img)``, ``[1]: url`` definitions, ``**emphasis**``;
* a text browser's layout (inscriptis): every line indented by its nesting depth,
  ``* ``/``+ ``/``o `` bullets, table cells padded into columns with spaces;
* one text node per line (BeautifulSoup ``get_text("\\n")``): a sentence broken
  at every inline tag, ``word \\nlink text\\n, more``; html2text and e-mail wrap
  paragraphs at a fixed width, and an HTML source's own wrapping survives in lxml's
  ``text_content()``;
* glued text (lxml ``text_content()``): block elements run together with no
  space, ``HomeNewsSports`` or ``...recommendationsHTC and Verizon ...``;
* one line per block (html_text, trafilatura, readability, ...).

A :class:`~cleaner.blocks.Block` gets its text with indentation, list markers,
heading marks, emphasis and link targets taken off (``bullet``, ``heading`` and
``link_share`` say what was there), and the lines of one paragraph become one block
when the break between them falls inside a sentence.
"""

from __future__ import annotations

import re
from typing import Sequence

from .blocks import MEMO_MIN_CHARS, Block, SignalMemo, is_comment_furniture
from .segments import Line, is_hard_wrapped
from .signals import TERMINAL, ends_sentence

__all__ = ["units", "signal_text", "soft_break"]

# A list marker at the start of a line: Markdown and inscriptis bullets (*, +, -, o),
# typographic ones, "1." / "1)" / "(a)".
_MARKER = re.compile(r"^(?:[*+•·▪◦‣∙–-]|o(?=\s)|\d{1,3}[.)]|\(?[a-z]\))\s+(?=\S)")
_HEADING = re.compile(r"^(#{1,6})\s+")
_QUOTE = re.compile(r"^(?:>\s?)+")
_EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
# [text](url "title"), ![alt](src), [text][3], and a link around an image
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,300}\]\([^()\s]*(?:\s+\"[^\"\n]{0,300}\")?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]{0,300}\")?\)")
_MD_REF = re.compile(r"\[([^\[\]\n]{1,300})\]\[\w{0,10}\]")
_MD_DEFINITION = re.compile(r"^\s*\[[^\]\n]{1,40}\]:\s*\S+")
_LINK_SCREEN = re.compile(r"\]\(|\]\[|https?://|www\.")
# cells of a table laid out in columns (inscriptis) or a Markdown pipe table
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_PIPE_ROW = re.compile(r"^\|?(?:[^|\n]+\|){2,}[^|\n]*$")
# block elements glued together ("HomeNewsSports", "...2012Instagram begins")
_GLUE = re.compile(r"[a-z]{2}[A-Z]|[a-z][.!?][\"”’]?[A-Z][a-z]|\d[A-Z][a-z]|[A-Z]{3}[a-z]{2}")
_CONTINUES = frozenset(",.;:!?)]}»”’%")
# words a block does not end in: where a line ends in one, its sentence goes on below
# (a byline "by" / "Gisela Telis" / "on" / "26 October 2012" in a dump of text nodes)
_DANGLING = frozenset(
    "by of the an and or to in on at for with from into than as via "
    "von und oder der die das dem den mit für zu "
    "par du des les et ou à au aux sur "
    "por del los las con para".split())  # (lower case only: not "AM", "A.")


def signal_text(text: str) -> tuple[str, bool, int, int, int]:
    """The words of one line as a reader sees them, and the marks taken off: a list
    marker, a heading level, the characters of link text, and of the line in all.

    >>> signal_text("  * [Video](/video/ \\"Video\\")")
    ('Video', True, 0, 5, 5)
    >>> signal_text("## **The budget**")
    ('The budget', False, 2, 0, 10)
    """
    line = text.strip()
    bullet, heading, linked = False, 0, 0
    m = _QUOTE.match(line)
    if m:
        line = line[m.end():]
    m = _HEADING.match(line)
    if m:
        heading, line = len(m.group(1)), line[m.end():]
    m = _MARKER.match(line)
    if m and not heading:
        bullet, line = True, line[m.end():]
        m = _MARKER.match(line)  # "* 1. item", "  *     * Log In"
        if m:
            line = line[m.end():]
    if _LINK_SCREEN.search(line):
        line = _MD_IMAGE.sub("", line)
        pieces = []
        pos = 0
        for m in _MD_LINK.finditer(line):
            pieces.append(line[pos:m.start()])
            pieces.append(m.group(1))
            linked += len(m.group(1).strip())
            pos = m.end()
        line = "".join(pieces) + line[pos:]
        line = _MD_REF.sub(r"\1", line)  # (a bare URL stays: "http://site Name" heads a comment)
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub(r"\2", line)
    line = " ".join(line.split())
    return line, bullet, heading, linked, len(line)


_HARD, _WEAK, _STRONG = 0, 1, 2


def soft_break(upper: str, lower: str) -> bool:
    """Does the line break between two adjacent source lines fall inside a sentence?

    A text node per line (BeautifulSoup) keeps each node's own spaces: ``"via "``
    then ``"Norman Camera"`` then ``". Only two..."``. A wrapped paragraph goes on in
    lower case. A list item, a heading or a table row stands on its own line.

    >>> soft_break("This lens is in stock via ", "Norman Camera on Amazon")
    True
    >>> soft_break("That's where code coverage might", "help.")
    True
    >>> soft_break("The council met on Monday.", "It voted on the budget.")
    False
    >>> soft_break("Home", "  * News")
    False
    """
    return _break(upper, lower) != _HARD


def _break(upper: str, lower: str, fragmented: bool = False) -> int:
    """_STRONG: the seam shows the sentence goes on (punctuation first, a text node's
    own space); _WEAK: only lower case goes on after an unfinished line, which a
    wrapped paragraph and a list of lower-case labels ("squee 11:30 PM ...") share;
    _HARD: a new block."""
    head = lower.lstrip()
    if not head or not upper.strip():
        return _HARD
    if _MARKER.match(head) or head[0] in "#>" or _MD_DEFINITION.match(head):
        return _HARD
    if head[0] == "|" and not lower.startswith(" "):
        return _HARD  # a Markdown table's row (" | March 4" is a text node's separator)
    top = upper.strip()
    if top[0] in "#|" or _COLUMN_GAP.search(top) or _COLUMN_GAP.search(head):
        return _HARD
    last = top.rstrip("\"'”’»)]")[-1:]
    if head[0] in _CONTINUES:
        return _STRONG  # ", more" / ". Only two of them" after a link's text
    ended = last in TERMINAL or top.endswith(":")
    if fragmented and head[0].islower() and (not ended or lower.startswith(" ") and not lower.startswith("  ")):
        return _STRONG  # a text node that goes on in lower case: "Gisela Telis" / "on", "Ltd." / " is"
    if ended:
        return _HARD
    # a text node's own space at the seam: "by " / "Paulo Coelho" / " on " (an
    # indented line ending in one space is a text node too where text nodes are lines)
    if (upper.endswith(" ") and not upper.endswith("  ") and (fragmented or not upper[:1].isspace())
            or lower.startswith(" ") and not lower.startswith("  ")):
        return _STRONG
    word = top.rsplit(None, 1)[-1]
    if word in _DANGLING and (fragmented or not is_comment_furniture(head)):
        return _STRONG  # "by" / "Gisela Telis": a line that ends in a preposition goes on
    # (a wrapped line ends in a lower-case word or a comma; a title-case headline does not)
    return _WEAK if head[0].islower() and (word[0].islower() or last in ",;-–") else _HARD


def units(lines: Sequence[Line], source: str, memo: SignalMemo | None = None) -> list[Block]:
    """The blocks of the kept lines, with their signal text and marks.

    ``source`` is the text the lines were cut from (before glitch fixes), whose
    layout (trailing spaces, column gaps, Markdown) the fixes may have tidied away.
    A paragraph joined only at lower-case seams must end like a sentence: a wrapped
    paragraph does, a list of lower-case labels does not. In a dump of one text node
    per line, where a sentence's pieces can stand blank lines apart ("Ltd." / "" /
    " is the preferred bidder"), a piece that goes on in lower case or with
    punctuation joins the one above across up to three blank lines.

    With a ``memo`` (see :class:`~cleaner.blocks.SignalMemo`), a block made of the
    same lines with the same text as in an earlier pass is taken from there.
    """
    kept = [i for i, line in enumerate(lines) if not line.removed and line.text and not line.text.isspace()]
    raws = {i: lines[i].text for i in kept}
    wrapped = is_hard_wrapped(list(lines))
    adjacent = _adjacent_breaks(kept, raws)
    fragmented = _is_fragmented(kept, raws, adjacent)
    out: list[Block] = []
    group: list[int] = []
    seams: list[int] = []  # seams[k]: the break above group[k + 1]

    def close() -> None:
        if not group:
            return
        if _WEAK in seams and not ends_sentence(lines[group[-1]].text):
            start = 0
            for k, seam in enumerate(seams):
                if seam == _WEAK:
                    out.append(_block_of(group[start : k + 1], raws, memo))
                    start = k + 1
            out.append(_block_of(group[start:], raws, memo))
        else:
            out.append(_block_of(group, raws, memo))
        group.clear()
        seams.clear()

    previous = -1
    for position, i in enumerate(kept):
        raw = raws[i]
        seam = _HARD
        if group:
            # blank lines between (removed ones are not there: the text cleaned once,
            # where they are gone, must read the same)
            gap = sum(1 for k in range(previous + 1, i) if not lines[k].removed)
            if gap == 0 and wrapped:
                seam = _HARD if _MARKER.match(raw.lstrip()) else _STRONG
            elif gap == 0 or fragmented:
                seam = (_break(raws[previous], raw, fragmented) if fragmented or previous + 1 != i
                        else adjacent[previous])
                if gap and seam != _HARD and not (_goes_on(raw) or fragmented and _dangles(raws[previous])):
                    seam = _HARD
                if (seam == _HARD and fragmented and position + 1 < len(kept)
                        and _inline(raws[previous], raw, raws[kept[position + 1]])):
                    seam = _STRONG
        if seam == _HARD:
            close()
        else:
            seams.append(seam)
        group.append(i)
        previous = i
    close()
    return out


def _inline(upper: str, middle: str, lower: str) -> bool:
    """Is ``middle`` a link's text inside a sentence: an unfinished line above, a short
    one, then the sentence going on with punctuation ("... via" / "Norman Camera on
    Amazon" / ". Only two are left")?"""
    top, head = upper.strip(), lower.lstrip()
    return (bool(top) and bool(head) and head[0] in ",.;:)" and len(middle.split()) <= 8
            and top.rstrip("\"'”’»)]")[-1:] not in TERMINAL and not top.endswith(":")
            and not _MARKER.match(middle.lstrip()))


def _dangles(raw: str) -> bool:
    """Does a line end in a word that cannot end a block ("by", "on", "of the")?"""
    words = raw.split()
    return bool(words) and words[-1] in _DANGLING


def _goes_on(raw: str) -> bool:
    """Does a line start in the middle of a sentence (lower case, or punctuation)?"""
    head = raw.lstrip()[:1]
    return head.islower() or head in _CONTINUES


def _adjacent_breaks(kept: list[int], raws: dict[int, str]) -> dict[int, int]:
    """The break (unfragmented) below each kept line whose next line is kept too, by
    the upper line's index: computed once for :func:`_is_fragmented` and the seams."""
    return {a: _break(raws[a], raws[b]) for a, b in zip(kept, kept[1:]) if b == a + 1}


def _is_fragmented(kept: list[int], raws: dict[int, str], adjacent: dict[int, int]) -> bool:
    """One text node per line (BeautifulSoup's ``get_text("\\n")``): seams that show a
    sentence going on, at one line in fifty or more. (On the dev corpora: a median of
    one in eleven for such dumps; at most one in forty for nine of ten documents of
    every other extractor.)"""
    strong = sum(1 for a, seam in adjacent.items() if seam == _STRONG and not _dangles(raws[a]))
    return strong >= 5 and strong >= 0.02 * len(kept)


def _source_line(line: Line, source: str) -> str:
    """The line as the input had it (a blob's piece, or a line the fixes changed:
    its span in the input)."""
    if line.soft or line.length > 4 * len(line.text) + 16:
        return line.text  # a piece of a one-line blob: its text is its own
    return source[line.start : line.start + line.length]


def _block_of(group: list[int], raws: dict[int, str], memo: SignalMemo | None) -> Block:
    """The block of the lines ``group``: from the memo if it holds them with the same
    text, else made (and kept there)."""
    if memo is None:
        return _block(group, raws)
    texts = tuple(raws[i] for i in group)
    if sum(map(len, texts)) < MEMO_MIN_CHARS:
        return _block(group, raws)  # cheaper to rebuild than to keep (see SignalMemo)
    key = (tuple(group), texts)
    known = memo.layouts.get(key)
    if known is not None:
        return known.copy_layout()
    block = memo.layouts[key] = _block(group, raws)
    return block


def _block(group: list[int], raws: dict[int, str]) -> Block:
    bullet, heading, linked, total, table = False, 0, 0, 0, False
    joined: list[str] = []
    for n, i in enumerate(group):
        raw = raws[i]
        stripped = raw.strip()
        if not table and (_COLUMN_GAP.search(stripped) or _PIPE_ROW.match(stripped)):
            table = True
        # (``raw`` is the line's text: one call gives its words and its link marks)
        text, is_bullet, level, link_chars, chars = signal_text(raw)
        linked += link_chars
        total += chars
        if n == 0:
            bullet, heading = is_bullet, level
        if joined and text and text[0] not in _CONTINUES:
            joined.append(" ")
        joined.append(text)
    block = Block(group[0], group[-1] + 1, " ".join("".join(joined).split()))
    block.bullet = bullet
    block.heading = heading
    block.link_share = min(1.0, linked / total) if total else 0.0
    block.table = table
    block.glue = len(_GLUE.findall(block.text)) if len(block.text) >= 80 else 0
    return block
