"""Glitch repair: an exact pre-screen, then ftfy with our settings, then a whitespace tidy.

ftfy is the slowest step of any cleaner, so it only runs on the lines where it can
change something. The pre-screen is exact, not a guess: a line is skipped only if it
contains none of the characters that ftfy's fixers act on (``&``, control and C1
characters, surrogates) and cannot match ftfy's own mojibake detector
(``ftfy.badness.BADNESS_RE``). The second test uses a pattern derived at import time
from that detector (see :func:`_derive_prefilter`), so it follows the installed ftfy.
``tests/test_fixers.py`` checks that the result equals ``ftfy.fix_text(text,
FTFY_CONFIG)`` byte for byte.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import ftfy
from ftfy import TextFixerConfig
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS

from .markdown import MD_IMAGE_RE, MD_LINK_RE, is_article_markdown, strip_markdown
from .model import Hit
from .segments import Line

__all__ = ["FTFY_CONFIG", "fix_lines", "ftfy_fix", "needs_ftfy"]

#: Repair encodings, never impose typography: curly quotes, dashes, ellipses,
#: ligatures, full-width forms and line breaks stay as written (datatrove's policy).
#: HTML entities are always decoded: our input is text, and ftfy's "auto" mode would
#: stop decoding for the rest of a document after the first ``<``.
FTFY_CONFIG = TextFixerConfig(
    unescape_html=True,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization=None,
    explain=False,
)
_FTFY_EXPLAIN = FTFY_CONFIG._replace(explain=True)


# --------------------------------------------------------------------------- pre-screen
_TOKEN = re.compile(r"\[(?:\\.|[^\]\\])+\]|\\.|\s+|#[^\n]*|.", re.S)


def _tokens(pattern: str) -> list[list[str]]:
    """Split a VERBOSE alternation into branches of single-character items."""
    branches: list[list[str]] = [[]]
    for m in _TOKEN.finditer(pattern):
        tok = m.group()
        if tok.isspace() or tok.startswith("#"):
            continue
        if tok == "|":
            branches.append([])
        elif tok in "?*+" and branches[-1]:
            branches[-1][-1] += tok
        elif tok in "(){}":
            raise ValueError("groups and counted repeats are not supported")
        else:
            branches[-1].append(tok)
    return [b for b in branches if b]


def _touches_ascii(item: str) -> bool:
    if item == "^" or item[-1] in "?*" or item == ".":
        return True
    compiled = re.compile(item, re.VERBOSE)
    return any(compiled.fullmatch(chr(c)) for c in range(128))


def _derive_prefilter(pattern: str) -> tuple[str, str]:
    """A pattern that matches wherever ``pattern`` does, and a character class of its
    possible first characters, neither of which can start on an ASCII character.

    Every branch of ftfy's detector is a sequence of one-character items. A run of
    consecutive items of a branch matches wherever the branch does, so we keep each
    branch without the items at its ends that can match ASCII (``[a-z]``, ``\\s?``,
    ``^``, ``\\w``). That makes the search skip plain text at C speed.
    """
    kept: list[list[str]] = []
    for items in _tokens(pattern):
        while items and _touches_ascii(items[0]):
            items = items[1:]
        while items and _touches_ascii(items[-1]):
            items = items[:-1]
        if not items:
            raise ValueError("a branch of the mojibake detector is all ASCII")
        kept.append(items)
    firsts = []
    for items in kept:
        head = items[0]
        if head.startswith("[^"):
            raise ValueError("negated class at the start of a branch")
        firsts.append(head[1:-1] if head.startswith("[") else re.escape(head) if head.isascii() else head)
    return "|".join("".join(items) for items in kept), "[" + "".join(firsts) + "]"


# Characters ftfy's other fixers act on: '&' (entities), control characters that
# remove_control_chars deletes, ESC (terminal escapes), C1 controls, surrogates.
_SPECIAL = "&\x1b\x80-\x9f\ud800-\udfff" + "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARS))
_SPECIAL_RE = re.compile(f"[{_SPECIAL}]")
try:
    _MOJIBAKE_PATTERN, _MOJIBAKE_FIRST = _derive_prefilter(BADNESS_RE.pattern)
    MOJIBAKE_RE: re.Pattern[str] | None = re.compile(_MOJIBAKE_PATTERN, re.VERBOSE)
    _MOJIBAKE_FIRST_RE = re.compile(_MOJIBAKE_FIRST)
    _SCREEN_RE = re.compile(_MOJIBAKE_FIRST[:-1] + _SPECIAL + "]")
except (ValueError, re.error):  # an ftfy we do not understand: screen on non-ASCII instead
    MOJIBAKE_RE = None
    _MOJIBAKE_FIRST_RE = re.compile(r"[^\x00-\x7f]")
    _SCREEN_RE = re.compile(r"[^\t\n\r\x20-\x25\x27-\x7e]")


def needs_ftfy(segment: str) -> bool:
    """False only if ftfy (with :data:`FTFY_CONFIG`) is certain to leave ``segment`` as is.

    >>> needs_ftfy("Wu’s office said “no”.")
    False
    >>> needs_ftfy("Wuâ€™s office")
    True
    """
    if not _SCREEN_RE.search(segment):
        return False
    if MOJIBAKE_RE is None or _SPECIAL_RE.search(segment):
        return True
    return MOJIBAKE_RE.search(segment) is not None


def _flagged_segments(text: str) -> list[int]:
    """Start offsets of the ``\\n``-separated segments of ``text`` that need ftfy."""
    return _segment_starts(text, _flagged_positions(text))


def _flagged_positions(text: str) -> list[int]:
    """Ascending positions of the characters where ftfy could change ``text``."""
    if not _SCREEN_RE.search(text):
        return []
    positions = [m.start() for m in _SPECIAL_RE.finditer(text)]
    if MOJIBAKE_RE is None:
        positions += [m.start() for m in _SCREEN_RE.finditer(text)]
    else:
        # Python's re scans a character class at C speed but an alternation of classes
        # slowly: find the possible first characters, then try the detector there.
        # No match contains a newline, so each lies in the segment where it starts.
        match = MOJIBAKE_RE.match
        positions += [m.start() for m in _MOJIBAKE_FIRST_RE.finditer(text) if match(text, m.start())]
    return sorted(positions)


def _segment_starts(text: str, positions: list[int]) -> list[int]:
    """The start of the segment holding each position (ascending), in one pass: each
    gap between positions is searched for a newline once, so a long single line
    costs linear time, not quadratic."""
    starts: list[int] = []
    seg, prev = 0, 0
    for pos in positions:
        nl = text.rfind("\n", prev, pos)
        if nl >= 0:
            seg = nl + 1
        prev = pos
        if not starts or starts[-1] != seg:
            starts.append(seg)
    return starts


def ftfy_fix(text: str) -> str:
    """``ftfy.fix_text(text, FTFY_CONFIG)``, calling ftfy only on lines that need it.

    >>> ftfy_fix("The cityâ€™s policy &amp; “law”\\n")
    'The city’s policy & “law”\\n'
    """
    out = []
    pos = 0
    for start in _flagged_segments(text):
        end = text.find("\n", start) + 1 or len(text)
        out.append(text[pos:start])
        out.append(ftfy.fix_text(text[start:end], FTFY_CONFIG))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- tidy
_SPACES = "\u00a0\u202f\u2007"  # no-break, narrow no-break, figure space
_INVISIBLE = "\u200b\u2060\u00ad\ufeff"  # zero-width space, word joiner, soft hyphen, BOM
_ODD_CHARS = _SPACES + _INVISIBLE
# The whitespace screen: an odd space or invisible character, a space or tab at a
# line's end, or a run of spaces inside a line ("\S  +\S"). As one alternation sre
# tries it at every position of the text; each part below starts with a character
# that is rare (or, the run, with two spaces), which sre skips to fast (3x overall).
_ODD_OR_TRAILING = re.compile(f"[{_ODD_CHARS}\r\n](?:(?<=[ \t][\r\n])|(?<=[^\r\n]))")
_INNER_RUN_SCREEN = re.compile(r"  (?<=\S  ) *(?=\S)")
_SPACES_RE = re.compile(f"[{_SPACES}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_INNER_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")

_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|caption|center|dd|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
_INLINE_TAGS = (
    "a|abbr|b|big|cite|code|del|em|font|i|img|ins|kbd|mark|q|s|small|span|strike|strong|sub|sup|"
    "time|u|wbr|iframe|input|button|label|meta|link|source|picture|video|audio|svg|path|noscript"
)
_MARKUP_SCREEN = re.compile(r"<[/!a-zA-Z]|\]\(|\]\[|\]:")
_SCRIPT_RE = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.I)
_COMMENT_RE = re.compile(r"<!--.*?-->")
_BLOCK_TAG_RE = re.compile(rf"</?(?:{_BLOCK_TAGS})\b(?:\s[^<>\n]*)?/?>", re.I)
_INLINE_TAG_RE = re.compile(rf"</?(?:{_INLINE_TAGS})\b(?:\s[^<>\n]*)?/?>", re.I)
_CODE_TAG = re.compile(r"<[a-zA-Z][\w-]*\s+[\w-]+=|<!DOCTYPE", re.I)
_MD_REF_RE = re.compile(r"\[([^\[\]\n]{1,300})\]\[[^\[\]\n]{0,30}\]")  # [text][3]
_MD_DEFINITION_RE = re.compile(r"^\s*\[[^\[\]\n]{1,60}\]:\s*\S+(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*$")


def strip_markup(line: str) -> str:
    """Remove leftover HTML tags and comments; markdown links keep their text.

    >>> strip_markup("See <b>the</b> [budget report](https://example.com/r).<br>")
    'See the budget report.'
    """
    new, prev = line, None
    for _ in range(4):  # "<<b>b>" leaves "<b>": repeat, so a second clean() has nothing to do
        if new == prev:
            break
        prev = new
        new = _sub(_SCRIPT_RE, " ", new)
        new = _sub(_COMMENT_RE, "", new)
        new = _sub(_BLOCK_TAG_RE, " ", new)
        new = _sub(_INLINE_TAG_RE, "", new)
        new = _sub(MD_IMAGE_RE, "", new)
        new = _sub(MD_LINK_RE, r"\1", new)
        new = _sub(_MD_REF_RE, r"\1", new)
        if "]:" in new:
            new = _sub(_MD_DEFINITION_RE, "", new)  # "[3]: https://...": a reference link's target
    if new == line:
        return line
    if _CODE_TAG.search(line) and len(new.strip()) < 0.3 * len(line.strip()):
        return line  # mostly tags with attributes: an HTML sample in an article about HTML
    new = new.strip()
    if not new:
        return ""
    indent = line[: len(line) - len(line.lstrip())]
    return indent + _sub(_INNER_RUN, " ", new)


def tidy_whitespace(line: str) -> str:
    """NBSPs to spaces; zero-width characters and soft hyphens out; trailing spaces
    and runs of spaces inside the line trimmed (leading indentation is kept).

    >>> tidy_whitespace("a\\u00a0b  c\\u00ad d \\t")
    'a b c d'
    """
    new = _sub(_INVISIBLE_RE, "", _sub(_SPACES_RE, " ", line))
    new = _sub(_INNER_RUN, " ", new).rstrip(" \t")
    return new


_LONG = 1 << 20  # characters: a longer line is substituted without re.sub's list of pieces
_STEP = 1 << 14


def _sub(pattern: re.Pattern[str], repl: str, text: str) -> str:
    """``pattern.sub(repl, text)``. re.sub collects the pieces of its result in a list
    and joins them: on a one-line blob of many MB that is one more copy of the line.
    Past ``_LONG`` characters the result grows in place instead (CPython resizes a
    string nothing else refers to), ``_STEP`` characters or so at a time."""
    if len(text) <= _LONG:
        return pattern.sub(repl, text)
    template = "\\" in repl
    out, pos, found = "", 0, False
    buf: list[str] = []
    size = 0
    for m in pattern.finditer(text):
        a, b = m.span()
        for k in range(pos, a, _STEP):
            buf.append(text[k:min(k + _STEP, a)])
            size += min(_STEP, a - k)
            if size >= _STEP:
                out += "".join(buf)
                buf.clear()
                size = 0
        buf.append(m.expand(repl) if template else repl)
        pos, found = b, True
    if not found:
        return text
    for k in range(pos, len(text), _STEP):
        buf.append(text[k:min(k + _STEP, len(text))])
        if len(buf) > 1:
            out += "".join(buf)
            buf.clear()
    out += "".join(buf)
    return out


# --------------------------------------------------------------------------- driver
def fix_lines(lines: list[Line], text: str, config, hits: list[Hit] | None) -> None:
    """Apply the glitch fixes to ``lines`` (cut from ``text``) in place, then strip
    the Markdown residue if ``text`` is an article written as Markdown (judged on the
    input, while its link syntax is still there to count)."""
    markdown = config.strip_markdown and is_article_markdown(text)
    _fix_glitches(lines, text, config, hits)
    if markdown:
        strip_markdown(lines, hits)


def _fix_glitches(lines: list[Line], text: str, config, hits: list[Hit] | None) -> None:
    """The glitch fixes proper.

    Each step visits the lines a whole-text screen flags, plus every line an earlier
    step changed (ftfy can make a no-break space out of ``&nbsp;``, or a tag out of
    ``&lt;b&gt;``), and appends one hit per line it changes. A line the markup or
    whitespace step changed goes through all the steps again, until nothing changes:
    removing a zero-width space or a tag can join the two halves of a mojibake sequence.
    """
    if not lines:
        return
    starts = [line.start for line in lines]
    todo = sorted({bisect_right(starts, pos) - 1 for pos in _flagged_positions(text)}) if config.fix_encoding else []
    changed = _encoding_step(lines, todo, hits)
    for _ in range(_ROUNDS):
        tidied: set[int] = set()
        spaced: set[int] = set()
        if config.strip_markup:
            tidied |= _apply(lines, starts, _markup_lines, text, changed, strip_markup, "fix.markup",
                             "leftover HTML markup or markdown link syntax", hits)
        if config.fix_whitespace:
            spaced = _apply(lines, starts, _whitespace_lines, text, changed | tidied, tidy_whitespace,
                            "fix.whitespace", "no-break or zero-width character, soft hyphen, or extra spaces",
                            hits)
            tidied |= spaced
        if not tidied:
            return
        changed = set()
        if config.fix_encoding:
            again = [i for i in sorted(tidied) if needs_ftfy(lines[i].text + lines[i].eol)]
            if again:
                changed = _encoding_step(lines, again, hits)
        if config.strip_markup:  # "<b\u200br>" is a tag once the zero-width space is gone
            changed |= {i for i in spaced if _MARKUP_SCREEN.search(lines[i].text)}
        if not changed:
            return
        text = ""  # later rounds visit only the lines that changed


_ROUNDS = 3


def _encoding_step(lines: list[Line], todo: list[int], hits: list[Hit] | None) -> set[int]:
    """ftfy on each line in ``todo``, as one segment (text and ending)."""
    changed: set[int] = set()
    for i in todo:
        line = lines[i]
        new = _fix_text(line.text, line.eol)
        if new is line.text or new == line.text:
            continue
        # an entity such as &#10; may decode to a line break: inside a line it is a space
        new = _BREAKS.sub(" ", new)
        if hits is not None:
            plan = ftfy.fix_and_explain(line.text + line.eol, _FTFY_EXPLAIN).explanation or []
            how = ", ".join(f"{step[0]} {step[1]}" for step in plan)
            hits.append(Hit("fix.encoding", "fix", "replace", line.start, line.end, line.text,
                            f"ftfy: {how or 'glitch repair'}", new))
        _set(line, new)
        changed.add(i)
    return changed


_BREAKS = re.compile(r"\r\n|\r|\n")


#: Characters of a long segment that go to ftfy at a time. Longer than any line of the
#: dev corpora (61,528), whose lines ftfy therefore still sees whole.
_PIECE = 1 << 16


def _fix_text(text: str, eol: str = "") -> str:
    """``ftfy.fix_text(text + eol, FTFY_CONFIG)`` without the line ending ``eol``, and
    without copying a long line: ``text`` itself if nothing changes, no ``text + eol``
    (each copy of a 50 MB blob is 50-200 MB), and never a word cut in two.

    ftfy fixes a text piece by piece (each line, cut every ``max_decode_length``
    characters) and joins the pieces. A one-line blob is one segment of many MB: here
    each piece goes to ftfy only if the pre-screen flags it, and if no piece changes,
    ``segment`` itself comes back, instead of a joined copy (two copies at the peak).
    Where ftfy cuts blindly, here a piece ends after its last space: an entity or a
    mojibake sequence across ftfy's cut stayed broken, and the second clean(), its
    cuts moved by the first one's repairs, repaired it (clean(clean(x)) != clean(x)).
    Pieces are at most _PIECE characters, not ftfy's million: on a one-line blob
    almost every million holds an '&' or a non-ASCII letter, so ftfy ran over all of
    it (80 % of the time of a 50 MB blob); a shorter piece is skipped when clean.
    """
    limit = min(FTFY_CONFIG.max_decode_length, _PIECE)
    if len(text) + len(eol) <= limit:
        fixed = ftfy.fix_text(text + eol, FTFY_CONFIG)
        return _without(fixed, eol) if fixed != text + eol else text
    edits: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):  # ftfy.fix_text's pieces, cut at a space
        end = text.find("\n", pos, pos + limit) + 1 or min(len(text), pos + limit)
        if end == pos + limit < len(text):
            space = text.rfind(" ", pos + limit // 2, end)
            end = space + 1 if space >= 0 else end
        piece = text[pos:end] + (eol if end == len(text) else "")  # the ending goes with the last piece
        if needs_ftfy(piece):
            fixed = ftfy.fix_text(piece, FTFY_CONFIG)
            if fixed != piece:
                edits.append((pos, end, _without(fixed, eol) if end == len(text) else fixed))
        del piece
        pos = end
    if not edits:
        return text
    out, pos = [], 0
    for start, end, fixed in edits:
        out.append(text[pos:start])
        out.append(fixed)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _without(fixed: str, eol: str) -> str:
    return fixed[: len(fixed) - len(eol)] if eol and fixed.endswith(eol) else fixed


def _set(line: Line, new: str) -> None:
    line.text = new
    line.edited = True


def _whitespace_suspect(text: str) -> bool:
    """Substring tests at C speed: can the whitespace screen match at all?

    A one-character test is a memchr, several times faster than a two-character one
    or a regex class: the pairs with a tab or a CR are only looked for in a text that
    has one, and each odd space character is looked for on its own.
    """
    return ("  " in text or " \n" in text or text.endswith((" ", "\t"))
            or ("\t" in text and "\t\n" in text) or ("\r" in text and (" \r" in text or "\t\r" in text))
            or any(c in text for c in _ODD_CHARS))


def _markup_suspect(text: str) -> bool:
    return "<" in text or "](" in text or "][" in text or "]:" in text


def _markup_lines(text: str, starts: list[int]) -> set[int]:
    """Indexes of the lines (starting at ``starts`` in ``text``) the markup screen flags."""
    if not _markup_suspect(text):
        return set()
    return _lines_matching(_MARKUP_SCREEN, text, starts)


def _whitespace_lines(text: str, starts: list[int]) -> set[int]:
    """Indexes of the lines (starting at ``starts`` in ``text``) the whitespace screen
    flags (a match never spans a line break, so each part finds its lines alone)."""
    if not _whitespace_suspect(text):
        return set()
    found = _lines_matching(_ODD_OR_TRAILING, text, starts)
    if "  " in text:
        found |= _lines_matching(_INNER_RUN_SCREEN, text, starts)
    if text.endswith((" ", "\t")):
        found.add(len(starts) - 1)  # a space or tab at the end of the text's last line
    return found


def _lines_matching(screen: re.Pattern[str], text: str, starts: list[int]) -> set[int]:
    return {bisect_right(starts, m.start()) - 1 for m in screen.finditer(text)}


def _apply(lines: list[Line], starts: list[int], screened_lines, text: str, also: set[int], fix,
           hit_id: str, reason: str, hits: list[Hit] | None) -> set[int]:
    """Run ``fix`` on the lines ``screened_lines`` flags in ``text`` and on ``also``;
    return the indexes of the lines it changed."""
    todo = screened_lines(text, starts)
    todo |= also
    done: set[int] = set()
    for i in sorted(todo):
        line = lines[i]
        new = fix(line.text)
        if new != line.text:
            if hits is not None:
                hits.append(Hit(hit_id, "fix", "replace", line.start, line.end, line.text, reason, new))
            _set(line, new)
            done.add(i)
    return done
