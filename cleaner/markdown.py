"""Markdown residue in an extractor's Markdown output (trafilatura's ``markdown`` format).

``fix.markup`` already turns ``[text](url)`` into ``text`` and drops ``![alt](src)``
everywhere. What is left in such output is the rest of the syntax: ``**bold**``,
``*italic*`` and ``_italic_`` markers, backslash escapes (``\\-``, ``\\_``,
``\\[``), horizontal rules, code fences, table separator rows, rows of empty cells
and bullets with nothing after them. This step removes them, keeping every word.

It acts only on a document that is plainly Markdown: at least four pieces of
Markdown syntax of two kinds or more, links or images among them. Prose with an
asterisk or two is never touched. Requiring link syntax also keeps the decision
stable: the first clean() turns every link into text, so a second one never takes
the cleaned text for Markdown again (clean(clean(x)) == clean(x)).

A whole page written out as Markdown (html2text's dump, navigation menus and all) is
left alone: it is recognised by its runs of lines that are links and nothing else,
and the article finder cuts the article out of it.
"""

from __future__ import annotations

import re

from .model import Hit
from .segments import Line

__all__ = ["MD_IMAGE_RE", "MD_LINK_RE", "is_article_markdown", "strip_markdown", "unmark_line"]

# --------------------------------------------------------------------------- links
# A Markdown link's target (html2text, trafilatura's Markdown): <...>, or a URL-like
# token (a "/", ".", "#" or ":" in it) with escaped characters and one level of
# parentheses, then an optional title ("Permanent Link to ...").
_MD_TARGET = (r"(?:<[^<>\n]{0,2000}>|(?=[^\s)]{0,2000}[/.#:])(?:[^\s()\\]|\\.|\([^\s()]{0,500}\)){0,2000})"
              r"(?:\s+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'))?\s*")
#: Images and links as fix.markup removes them (one of each kind counts as Markdown here).
MD_IMAGE_RE = re.compile(rf"!\[[^\[\]\n]{{0,1000}}\]\({_MD_TARGET}\)")
# (a link without text, "[](url)", is the link around an image that went: it all goes)
MD_LINK_RE = re.compile(rf"\[([^\[\]\n]{{0,1000}})\]\({_MD_TARGET}\)")

# --------------------------------------------------------------------------- detection
_PIECES = {
    "link": MD_LINK_RE,
    "image": MD_IMAGE_RE,
    "emphasis": re.compile(r"(?<![\w*\\])\*\*?[^\s*][^*\n]{0,300}?(?<![\s\\])\*\*?(?![\w*])"
                           r"|(?<![\w\\])__?[^\s_][^_\n]{0,300}?(?<![\s\\])__?(?!\w)"),
    "escape": re.compile(r"\\[-*_#\[\]()`|!.+>~<]"),
    "rule": re.compile(r"(?m)^ {0,3}([-*_])(?: *\1){2,} *$"),
    "fence": re.compile(r"(?m)^ {0,3}(?:```|~~~)"),
    "table": re.compile(r"(?m)^ *\|? *:?-{3,}:? *(?:\| *:?-{3,}:? *)+\|? *$"),
    "heading": re.compile(r"(?m)^#{1,6} +\S"),
}
_HTML_TAG = re.compile(r"<[a-zA-Z][\w-]*\s+[\w-]+=")
_MIN_PIECES = 4
_MIN_KINDS = 2

# What a menu line holds besides its links: bullets, separators, punctuation.
_MENU_FURNITURE = re.compile(r"[\s*+\-|»>•·,.:;()]*")
_MENU_RUN = 3  # link-only lines in a row: a menu
_DUMP_MENUS = 2  # menus in a document: a page's navigation, so a whole-page dump


def is_article_markdown(text: str) -> bool:
    """Whether ``text`` is an extractor's Markdown rendering of an article: enough
    Markdown syntax of several kinds, link syntax among it, and no page navigation.

    >>> is_article_markdown("A **bold** [claim](https://e.com/a), *really*, and [more](https://e.com/b).")
    True
    >>> is_article_markdown("The rate rose 5 * 3 percent, the *first* rise in a year.")
    False
    """
    if "](" not in text:  # no link or image: not for this step (and cheap to tell)
        return False
    counts = {}
    for kind, pattern in _PIECES.items():
        n = 0
        for m in pattern.finditer(text):
            n += _counts(m, text)
            if n >= _MIN_PIECES:
                break
        if n:
            counts[kind] = n
    if not ("link" in counts or "image" in counts) or len(counts) < _MIN_KINDS or sum(counts.values()) < _MIN_PIECES:
        return False
    return not _has_page_navigation(text)


def _counts(m: re.Match[str], text: str) -> bool:
    """Whether a piece counts: fix.markup, which works line by line, leaves a link
    broken over lines, and one on a line of HTML tags with attributes (an HTML
    sample). Such a link must not count, or a second clean() would find it again."""
    if "\n" in m.group() or "\r" in m.group():
        return False
    if m.re is MD_LINK_RE or m.re is MD_IMAGE_RE:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        return not _HTML_TAG.search(text, start, end if end >= 0 else len(text))
    return True


def _has_page_navigation(text: str) -> bool:
    """Two menus or more: runs of three or more lines that are only links."""
    menus = run = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if "](" in line and _is_link_only(line):
            run += 1
            if run == _MENU_RUN:
                menus += 1
                if menus >= _DUMP_MENUS:
                    return True
        else:
            run = 0
    return False


def _is_link_only(line: str) -> bool:
    rest = MD_LINK_RE.sub("", MD_IMAGE_RE.sub("", line))
    return rest != line and _MENU_FURNITURE.fullmatch(rest) is not None


# --------------------------------------------------------------------------- removal
_FENCE_RE = re.compile(r"^ {0,3}(?:```|~~~)[\w+#.-]*\s*$")
#: Lines that are syntax only, and what each is.
_SYNTAX_LINES = (
    (_PIECES["rule"], "a horizontal rule"),
    (re.compile(r"^ *[-*+] *$"), "an empty list bullet"),
    (_PIECES["table"], "a table's separator row"),
    (re.compile(r"^ *\|(?: *\|)+ *$"), "a table row of empty cells"),
)
_BOLD_RE = re.compile(r"(?<![\w*\\])(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s\\])\1(?![\w*])")
_ITALIC_RE = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"
                        r"|(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")
_ESCAPE_RE = re.compile(r"\\([-*_#\[\]()`|!.+>~<{}\\])")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_INNER_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def unmark_line(line: str) -> str:
    """``line`` without emphasis markers and backslash escapes; URLs keep their ``_``.

    >>> unmark_line(r"**Update:** the \\-5 figure was *wrong*, see www.e.com/a_b_c")
    'Update: the -5 figure was wrong, see www.e.com/a_b_c'
    """
    if not any(c in line for c in "*_\\"):
        return line
    pieces = []
    pos = 0
    for m in _URL_RE.finditer(line):  # emphasis is never inside a URL
        pieces.append(_unemphasise(line[pos:m.start()]))
        pieces.append(m.group())
        pos = m.end()
    pieces.append(_unemphasise(line[pos:]))
    new = _ESCAPE_RE.sub(r"\1", "".join(pieces))  # after emphasis: "\*" is a literal star
    return _INNER_RUN.sub(" ", new) if new != line else line


def _unemphasise(text: str) -> str:
    if "*" not in text and "_" not in text:
        return text
    text = _BOLD_RE.sub(r"\2", text)
    return _ITALIC_RE.sub(lambda m: m.group(1) or m.group(2), text)


def strip_markdown(lines: list[Line], hits: list[Hit] | None) -> None:
    """Remove the Markdown syntax from ``lines`` in place: lines that are syntax only
    go (a ``drop`` hit each), the other lines lose their emphasis markers and escapes
    (a ``replace`` hit each). Code between fences is left as written.
    """
    in_code = False
    for line in lines:
        if line.removed or line.blank:
            continue
        text = line.text
        if _FENCE_RE.match(text):
            in_code = not in_code
            _drop(line, "a code fence", hits)
            continue
        if in_code:
            continue
        why = next((why for pattern, why in _SYNTAX_LINES if pattern.match(text)), None)
        if why:
            _drop(line, why, hits)
            continue
        new = unmark_line(text)
        if new != text:
            if hits is not None:
                hits.append(Hit("fix.markdown", "fix", "replace", line.start, line.end, text,
                                "Markdown emphasis markers or backslash escapes", new))
            line.text = new
            line.edited = True


def _drop(line: Line, why: str, hits: list[Hit] | None) -> None:
    if hits is not None:
        hits.append(Hit("fix.markdown", "fix", "drop", line.start, line.end, line.text,
                        f"Markdown syntax with no text: {why}"))
    line.removed = True
