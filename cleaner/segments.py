"""Text to lines with offsets, lines to blocks, and back again (lossless round trip).

A document is cut at LF, CRLF and lone CR (not at the other characters that
``str.splitlines`` treats as breaks), and each line keeps its ending, so a file's line
endings survive exactly: ``"a\\r\\nb"`` becomes the lines ``a`` (ending ``\\r\\n``) and
``b`` (no ending).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

__all__ = ["Line", "split_lines", "split_blobs", "render", "blocks", "iter_blocks", "is_hard_wrapped", "span_text"]


class Line:
    """One line of the document: its span in the input, current text and ending."""

    __slots__ = ("start", "length", "text", "eol", "removed", "edited", "soft")

    def __init__(self, start: int, end: int, text: str, eol: str) -> None:
        self.start = start  # offset of the first character in the input text
        # the span's length, not its end: a short line's length is a cached small int,
        # its end one more int object per line (a page dump has tens of thousands)
        self.length = end - start
        self.text = text  # current content; fixes and inline edits change it
        self.eol = eol  # "\n", "\r\n" or "" (last line without a final newline)
        self.removed = False  # set by a rule or heuristic; render() leaves it out
        self.edited = False  # text no longer equals the input between start and end
        self.soft = False  # a sentence of a one-line blob: eol is the text up to the next sentence

    def __repr__(self) -> str:
        flag = " removed" if self.removed else ""
        return f"Line({self.start}:{self.end} {self.text[:40]!r}{flag})"

    @property
    def end(self) -> int:
        """Offset just past the content (the ending is not included)."""
        return self.start + self.length

    @end.setter
    def end(self, value: int) -> None:
        self.length = value - self.start

    @property
    def blank(self) -> bool:
        return not self.text or self.text.isspace()


_EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[Line]:
    """Cut ``text`` into lines at LF, CRLF or a lone CR (old Mac files); the ending
    belongs to the line (``eol``), so the text is rebuilt exactly.

    >>> [(l.text, l.eol) for l in split_lines("a\\r\\nb\\rc\\n")]
    [('a', '\\r\\n'), ('b', '\\r'), ('c', '\\n')]
    """
    lines: list[Line] = []
    append = lines.append
    pos = 0
    if "\r" not in text:
        # the common case, LF only: str.split cuts at C speed, no match object per line
        parts = text.split("\n")
        last = parts.pop()  # after the final "\n" (empty if the text ends with one)
        for part in parts:
            end = pos + len(part)
            append(Line(pos, end, part, "\n"))
            pos = end + 1
        if last:
            append(Line(pos, len(text), last, ""))
        return lines
    for m in _EOL.finditer(text):
        a, b = m.span()
        append(Line(pos, a, text[pos:a], text[a:b]))
        pos = b
    if pos < len(text):
        append(Line(pos, len(text), text[pos:], ""))
    return lines


def render(lines: list[Line], max_blank_lines: int) -> str:
    """Join the kept lines back into text.

    Blank lines and removed lines between two kept lines form a gap. A gap keeps
    its longest run of blank lines, at most ``max_blank_lines`` of them, so removing
    a caption between two paragraphs leaves one paragraph break, not two. A gap at
    either end of the document that held a removed line keeps no blank lines.
    Whether the text ends with a newline is preserved.

    >>> ls = split_lines("A\\n\\nCaption\\n\\nB\\n")
    >>> ls[2].removed = True
    >>> render(ls, 2)
    'A\\n\\nB\\n'
    """
    if not lines:
        return ""
    out: list[str] = []
    n = len(lines)
    i = 0
    first_kept = True
    last_kept: Line | None = None
    while i < n:
        line = lines[i]
        text = line.text
        if not line.removed and text and not text.isspace():  # ``not line.blank``, without the call
            out.append(text)
            out.append(line.eol)
            last_kept = line
            first_kept = False
            i += 1
            continue
        # a gap: blank or removed lines up to the next kept, non-blank line
        j = i
        had_removal = False
        best: list[Line] = []
        run: list[Line] = []
        while j < n and (lines[j].removed or lines[j].blank):
            if lines[j].removed:
                had_removal = True
                run = []
                if last_kept is not None and last_kept.soft and not lines[j].soft and out:
                    out[-1] = lines[j].eol  # the blob's own line end replaces a sentence gap
            else:
                run.append(lines[j])
                if len(run) > len(best):
                    best = run
            j += 1
        at_edge = first_kept or j == n
        if not (had_removal and at_edge):
            # at the end of the document keep the last blanks: the final one carries
            # the document's own ending (or its lack of one)
            keep = best[len(best) - max_blank_lines:] if j == n and max_blank_lines else best[:max_blank_lines]
            for blank in keep:
                out.append(blank.text)
                out.append(blank.eol)
                last_kept = blank
        i = j
    if last_kept is None:
        return ""
    if last_kept is not lines[-1] and not lines[-1].eol:
        out[-1] = ""  # the input had no final newline, so neither does the output
    return "".join(out)


# Where a one-line blob splits into sentences: after a sentence end (closing quotes
# stay with it) before a capital or digit, at runs of spaces or tabs, at " | " links.
_BLOB_BREAK = re.compile(
    r"[.!?…][\"'”’»)\]]*( +)(?=[\"“‘«(\[]?[A-Z0-9\u00c0-\u00dd\u0391-\u03a9\u0410-\u042f])"
    r"|( {2,}|\t+)|( [|•·»›] )"
    # a comment header run into the text: "... WTF! Comment #1 - Posted by: Matt at
    # November 10, 2012 5:39 PM Wow this ..." (the header alone is what marks a thread)
    r"|( +)(?=(?i:comment\s+#\d+\s+[-–—]\s+posted\s+by)\b)|(?i:posted\s+by:?\s+[^\n]{1,60}?\d{1,2}:\d{2}\s*[ap]m)( +)(?=\S)"
)
BLOB_MIN_CHARS = 1000


def split_blobs(lines: list[Line]) -> list[Line]:
    """Cut a document that is one long line (or two or three) into sentence pieces.

    Each piece is a :class:`Line` whose ``eol`` is the text that separated it from
    the next piece, so rules and heuristics judge sentences, and :func:`render`
    joins the kept ones back into one line, exactly as they were.

    >>> pieces = split_blobs(split_lines("Home News  " + "The mayor spoke. " * 80 + "Share"))
    >>> pieces[0].text, pieces[1].text, pieces[-1].text
    ('Home News', 'The mayor spoke.', 'Share')
    """
    # at most three kept, non-blank lines, one of them long: stop counting at the fourth
    # (this runs on every pass over every document; most have many lines)
    content = longest = 0
    for l in lines:
        text = l.text
        if not l.removed and text and not text.isspace():  # ``not l.blank``, without the call
            content += 1
            if content > 3:
                return lines
            longest = max(longest, len(text))
    if not content or longest < BLOB_MIN_CHARS:
        return lines
    out: list[Line] = []
    for line in lines:
        if len(line.text) < BLOB_MIN_CHARS or line.removed:
            out.append(line)
            continue
        text, pos = line.text, 0
        pieces: list[Line] = []
        for m in _BLOB_BREAK.finditer(text):
            a, b = m.span(m.lastindex)  # the one group of the alternative that matched
            if a > pos:
                piece = Line(line.start + pos, line.start + a, text[pos:a], text[a:b])
                piece.soft = True
                pieces.append(piece)
            elif pieces:  # two breaks in a row ('  ' then tabs): both stay between the pieces
                pieces[-1].eol += text[a:b]
            else:
                continue  # a break at the very start stays with the first piece
            pos = b
        pieces.append(Line(line.start + pos, line.end, text[pos:], line.eol))
        if line.edited:  # glitch fixes moved the text: each piece spans the whole input line
            for piece in pieces:
                piece.start, piece.length, piece.edited = line.start, line.length, True
        out.extend(pieces)
    return out if len(out) > len(lines) else lines  # ``lines`` itself: nothing to cut


def is_hard_wrapped(lines: list[Line]) -> bool:
    """True if paragraphs look broken into lines of a fixed width (e-mail, 80 columns).

    Such text is classified by paragraph instead of by line; the output keeps the
    original wrapping. Wrapped text has a hard right margin (almost no line is longer
    than the common width, 50 to 160 columns) and most lines are full and followed
    by more of their paragraph.
    """
    # ``not l.blank`` spelled out: this runs on every line for every pass of the
    # dedupe, the article heuristic and the paragraph rules
    lengths = [len(t) for l in lines if not l.removed and (t := l.text) and not t.isspace()]
    n = len(lengths)
    if n < 6:
        return False
    width = sorted(lengths)[int(0.9 * (n - 1))]
    if not 50 <= width <= 160 or sum(1 for x in lengths if x > 1.1 * width) > 0.05 * n:
        return False
    kept = [l for l in lines if not l.removed]
    full_then_more = sum(1 for a, b in zip(kept, kept[1:])
                         if not a.blank and not b.blank and len(a.text) >= 0.75 * width)
    return full_then_more >= 0.4 * n


def blocks(lines: list[Line], wrapped: bool | None = None) -> list[tuple[int, int]]:
    """The units that paragraph rules and heuristics look at, as ``(first, last+1)``.

    Each non-blank line is a block, unless the text is hard-wrapped: then each run
    of non-blank lines (a paragraph) is one block.
    """
    return list(iter_blocks(lines, wrapped))


def iter_blocks(lines: list[Line], wrapped: bool | None = None) -> Iterator[tuple[int, int]]:
    """:func:`blocks`, one at a time (no list of a tuple per line). The lines must not
    change while it runs."""
    if wrapped is None:
        wrapped = is_hard_wrapped(lines)
    if not wrapped:
        # ``not l.blank`` spelled out (no property call per line)
        return ((i, i + 1) for i, l in enumerate(lines) if not l.removed and (t := l.text) and not t.isspace())
    return iter(paragraphs(lines))


def paragraphs(lines: list[Line]) -> list[tuple[int, int]]:
    """Runs of consecutive non-blank, kept lines as ``(first, last+1)`` index pairs."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, l in enumerate(lines):
        if l.removed or l.blank:
            if start >= 0:
                out.append((start, i))
                start = -1
        elif start < 0:
            start = i
    if start >= 0:
        out.append((start, len(lines)))
    return out


def block_text(lines: list[Line], span: tuple[int, int]) -> str:
    """The text of a block, lines joined with single spaces (for matching)."""
    a, b = span
    if b - a == 1:
        return lines[a].text
    return " ".join(l.text.strip() for l in lines[a:b])


def span_text(lines: list[Line], a: int, b: int) -> str:
    """The text of lines ``a..b`` as it stands, with the line breaks between them: for
    lines no fix edited, exactly the input from ``lines[a].start`` to ``lines[b - 1].end``
    (what a removal hit reports as ``removed``).

    >>> span_text(split_lines("a\\r\\n\\nb\\nc"), 0, 3)
    'a\\r\\n\\nb'
    """
    if b - a == 1:
        return lines[a].text
    return "".join(l.text + l.eol for l in lines[a : b - 1]) + lines[b - 1].text


def iter_kept(lines: Iterable[Line]) -> Iterable[Line]:
    return (l for l in lines if not l.removed)
