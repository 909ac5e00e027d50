"""Blocks of a document and their signals: prose, short line, headline, menu entry,
link line, list item, byline, comment furniture.

Every test is cheap (a split, a character class, a short regex on a short line) and
the cheapest run first: this runs on every line of a page dump.
"""

from __future__ import annotations

import collections
import re

from .signals import NO_STOPLIST, Stoplist, cjk_chars, ends_sentence, words

__all__ = ["Block", "SignalMemo", "classify", "mark_lists", "mark_teasers", "may_be_furniture", "is_author", "is_byline",
           "PROSE", "SHORT", "ITEM", "BYLINE", "HEADLINE", "NAV", "CHROME", "LINKS", "TEASER", "EMPTY",
           "PENALTY", "JUNK", "BULLET", "COMMENT_HEADING", "is_praise", "is_comment_furniture"]

# Block kinds, and what each contributes to the article's score per block.
PROSE, SHORT, ITEM, BYLINE, HEADLINE, NAV, CHROME, LINKS, TEASER, EMPTY = (
    "prose", "short", "item", "byline", "headline", "nav", "chrome", "links", "teaser", "empty")
PENALTY = {SHORT: -8.0, ITEM: -2.0, BYLINE: -8.0, HEADLINE: -30.0, NAV: -20.0, CHROME: -60.0, LINKS: -40.0,
           TEASER: -30.0, EMPTY: 0.0}
_TEASER_CHARS = 220
# How much each kind says "this is page furniture" when it sits next to the article:
# the article's edge is where these add up (see article._edge) without prose in between.
JUNK = {SHORT: 0.3, ITEM: 0.0, BYLINE: 0.2, HEADLINE: 0.7, NAV: 1.0, CHROME: 1.5, LINKS: 1.5, PROSE: 0.0,
         TEASER: 1.0, EMPTY: 0.0}
# Bylines and datelines: "By Jane Doe", "Posted on July 18, 2012 at 11:00 AM", "Von ...".
MONTHS = (r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|mar(?:ch|s|zo)?|m[äa]rz|apr(?:il)?|"
           r"avr(?:il)?|abr(?:il)?|may|mai|mayo|maio|jun[ei]?|juin|juil(?:let)?|jul[iy]?|aug(?:ust)?|ao[ûu]t|"
           r"ago(?:sto)?|sep(?:t(?:ember|embre|iembre)?)?|oct(?:ober|obre)?|okt(?:ober)?|out(?:ubro)?|"
           r"nov(?:ember|embre)?|de[cz](?:ember|embre)?|dic(?:iembre)?")
# (three patterns, not one alternation: most lines hold no digit and skip the dates,
# which made one alternation the slowest test of classify)
_BYLINE_WORD = re.compile(
    r"(?i)^\W{0,3}(?:by|von|par|por|di|posted|published|submitted|updated|written|erstellt|ver[öo]ffentlicht|"
    r"publi[ée]|publicado|aktualisiert)\b|\b(?:additional\s+)?(?:reporting|editing|writing)\s+by\b|"
    r"\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|story|article)\b"
)
# a date with the month in words ("November 12th, 2012", "12. März 2012") or in ISO form
DATE_PATTERN = (rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|"
                rf"\b\d{{1,2}}\.?\s+(?:{MONTHS})\.?,?\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b")
_BYLINE_DATE = re.compile(rf"(?i){DATE_PATTERN}|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b")
_DIGIT = re.compile(r"\d")


def is_byline(text: str) -> bool:
    """Does this line read like a byline or a dateline (its words, not its shape)?"""
    return bool(_BYLINE_WORD.search(text) or (_DIGIT.search(text) and _BYLINE_DATE.search(text)))


BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*–+-]|\d{1,2}[.)])\s*\S")

# Comment-thread furniture, in the languages of the built-in rules. Reply/flag links
# are whole short lines; author lines end in "says:" / "wrote:" or carry "by X writes:".
_REPLY = re.compile(
    r"(?i)^\W{0,3}(?:reply|reply\s*delete|reply\s+to\s+this(?:\s+parent)?|report(?:\s+(?:abuse|comment|this))?|"
    r"flag(?:\s+as\s+inappropriate)?|permalink|quote|upvote|downvote|like\s+reply|"
    r"antworten|melden|r[ée]pondre|signaler|responder|denunciar|rispondi|segnala)"
    r"(?:\s*[|·•]?\s*(?:share|report|flag|permalink|quote|reply|like))*\W{0,3}$"
)
# CommentLuv, a blog plugin, closes a comment with the commenter's last post:
# "Sarah recently posted…inspire me monday".
_LUV = re.compile(r"(?i)^\W{0,3}\S.{0,60}?\brecently\s+posted\s*(?:…|\.\.\.|:)")
# Moderated threads (Slashdot and its kin) head each comment with its subject and
# score: "Re:Exit interviews (Score:5, Insightful)". Such a header opens a comment.
SCORED = re.compile(r"(?i)^.{0,150}\(score:\s*-?\d(?:\s*,\s*[\w ]{1,20})?\)\s*$")
# Disqus and its kin head a comment with the commenter's site and name:
# "http://twitter.com/danamac Dana McMahan".
URL_NAME = re.compile(r"^https?://\S+\s+(?:[A-Z][\w.'-]*|[\w.'-]*[A-Za-z][\w.'-]*)(?:\s+[A-Z][\w.'-]*){0,2}$")
# A commenter without a name: "Anonymous", "Anonymous said..." (Blogger), "Guest".
_NAMELESS = re.compile(r"(?i)^(?:anonymous|anon|guest)(?:\s+said\s*(?:\.{3}|…|:)?)?$")


def opens_comment(text: str) -> bool:
    """Is this line a comment's header (a scored subject, a commenter's site and name,
    a nameless commenter)?"""
    return (("(Score:" in text and bool(SCORED.match(text))) or (text.startswith("http") and bool(URL_NAME.match(text)))
            or (len(text) <= 20 and bool(_NAMELESS.match(text))))


_AUTHOR = re.compile(
    r"(?i)^.{1,80}?\b(?:says|said|writes|wrote|sagt|schreibt|meint|schrieb|dit|a\s+dit|[ée]crit|dice|dijo|"
    r"escribi[óo]|scrive)\s*:\s*$|^\W{0,3}by\s+\S.{0,60}\bwrites\s*:|^\W{0,3}comment\s+#?\d+\b|"
    r"\b(?:at|um|à|a\s+las)\s+\d{1,2}[:.]\d{2}\s*(?:am|pm|uhr|h)?\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b|"
    # "Ranjit | 11/6/2012 3:07:08 AM": a name, then a numeric date and a time
    r"^\W{0,3}[^\W\d_].{0,80}?\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?\s*$"
)
# could a short line of an extractor's output be comment furniture at all?
_COMMENT_SCREEN_WORDS = re.compile(
    r"(?im)^\W{0,3}(?:reply|report|flag|permalink|antworten|r[ée]pondre|responder|rispondi)(?:\b|delete)|"
    r"\brecently\s+posted\b|^https?://\S+\s+\w|^(?:anonymous|anon|guest)\b|"
    r"(?:says|said|writes|wrote|sagt|schreibt|schrieb|dit|[ée]crit|dice|dijo|escribi[óo]|scrive)\s*:\s*$"
)
_COMMENT_SCREEN_DIGITS = re.compile(  # only tried on a line with a digit
    r"(?im)\(score:\s*-?\d|\b(?:at|um|à|a\s+las)\s+\d{1,2}[:.]\d{2}|\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b|"
    r"^\W{0,3}comment\s+#?\d|\d[./-]\d{2,4},?\s+\d{1,2}:\d{2}"
)
# A reader's comment that opens with praise or thanks ("Great post!", "Thanks for
# sharing", "Love this", "Congrats"): one proves nothing, a run of them after the
# article is a comment thread even when the extractor kept no names or reply links.
# Lines that open with a quotation mark are dialogue, not comments.
_PRAISE = re.compile(
    r"(?i)^(?![\"“”‘’«»„'])\W{0,2}(?:(?:what\s+an?\s+|such\s+an?\s+|very\s+|really\s+|a\s+)?(?:great|nice|awesome|"
    r"excellent|wonderful|fantastic|brilliant|amazing|beautiful|lovely|informative|interesting|useful|helpful)\s+"
    r"(?:post|article|piece|blog|story|write-?up|read|job|pics|photos|pictures|tips|info|recipe|idea|list|"
    r"publish|initiative|work|stuff|share|points?)\b|"
    r"thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:sharing|posting|writing|this|the\s+(?:post|article|tips?|info))\b|"
    r"thanks?\s+(?:you\s+)?(?:very\s+much|so\s+much|a\s+lot|a\s+bunch)\b|(?:wow|whoa|woah)\b|cheers\s*!*\s*$|"
    # a greeting to the author on a line of its own: "Hi Daniel," "Hello," "Dear Mr Paulo,"
    r"(?:hi|hello|hey|dear)(?:\s+[\w.]{1,15}){0,2}\s*[,!]\s*$|"
    r"(?:i\s+)?(?:really\s+|just\s+|absolutely\s+)?lov(?:e|ed|ing)\s+(?:this\s+(?:post|article|recipe|idea)|your\s+(?:post|blog|article|photos|pics|writing|recipe)|the\s+(?:post|article|pics|photos))\b|"
    r"congrat(?:s|ulations)\b|well\s+(?:said|done|written)\b|"
    r"(?:yum+y?|awesome|amazing|beautiful|gorgeous|stunning|lovely|cute|fabulous|fantastic|brilliant|"
    r"excellent|great|nice|love\s+it|so\s+(?:cool|cute|good|pretty|true))\s*(?:!|\.{3}|…)|"
    r"(?:it\s+)?looks\s+(?:so\s+|really\s+|absolutely\s+)?(?:great|amazing|delicious|awesome|wonderful|fantastic|"
    r"beautiful|gorgeous|yummy|fabulous|lovely)\b|"
    r"this\s+(?:looks|sounds)\s+(?:so\s+|really\s+)?(?:great|amazing|delicious|awesome|wonderful|fantastic|"
    r"beautiful|gorgeous)\b)"
)


def is_praise(text: str) -> bool:
    """Does this short paragraph open like a reader's comment ("Great post!", "Thanks for sharing")?"""
    return len(text) <= 400 and bool(_PRAISE.match(text.lstrip()))


_STAMP = re.compile(r"\d{1,2}[:.]\d{2}|\bago\b|\b\d{4}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
COMMENT_HEADING = re.compile(
    r"(?i)\b(?:\d+\s+)?(?:comments?|responses?|replies|kommentare?|commentaires?|comentarios?|commenti|reactions?)\b"
)
_SEPARATORS = re.compile(r"\s[|»›·•]\s|\s/\s")
_SEPARATOR_SCREEN = re.compile(r"[|»›·•/]")


class Block:
    """One unit of the document and its signals."""

    __slots__ = ("first", "nlines", "text", "chars", "nwords", "stop", "ends", "kind", "score", "author", "stamp",
                 "_wordset", "bullet", "heading", "link_share", "table", "glue")

    def __init__(self, first: int, last: int, text: str) -> None:
        self.first = first  # line index of the block's first line
        self.nlines = last - first  # a small int, where ``last`` would be one more int object per block
        self.text = text
        self.chars = len(text)
        self.nwords = 0
        self.stop = 0.0
        self.ends = False
        self.kind = SHORT
        self.score = 0.0
        self.author: bool | None = None  # "X says:", "by X writes:", a time stamp (computed on demand)
        self.stamp = False  # an author line that carries a time or date
        self._wordset: frozenset[str] | None = None
        # what the layout said (see cleaner.view): a list marker, a Markdown heading's
        # level, the share of the text that was link text, cells in columns, glued blocks
        self.bullet = False
        self.heading = 0
        self.link_share = 0.0
        self.table = False
        self.glue = 0

    @property
    def wordset(self) -> frozenset[str]:
        """The block's distinct words (computed once: title matching asks again and again)."""
        if self._wordset is None:
            self._wordset = frozenset(words(self.text))
        return self._wordset

    @property
    def last(self) -> int:
        """Line index just past the block's last line."""
        return self.first + self.nlines

    def describe(self) -> str:
        return f"{self.kind} ({self.nwords} words, {self.stop:.0%} stopwords)"

    def copy_layout(self) -> Block:
        """A new, unclassified block with this one's text and layout signals (what
        :func:`cleaner.view.units` set; not what classify and its kin wrote since)."""
        block = Block(self.first, self.last, self.text)
        block.bullet, block.heading, block.link_share = self.bullet, self.heading, self.link_share
        block.table, block.glue = self.table, self.glue
        return block


#: The shortest block (characters of text) whose signals a :class:`SignalMemo` keeps.
MEMO_MIN_CHARS = 40


class SignalMemo:
    """Block signals kept across the passes of the article heuristic over one
    document (core repeats it after each removal: rules and heuristics judge in
    context). One memo per document, dropped with it, never shared between documents.

    Each entry is keyed by everything it is computed from, so nothing is invalidated
    by hand: a block whose lines a removal or an edit changed has another key and is
    computed afresh, and the blocks that did not change are found again.

    * ``layouts``: :func:`cleaner.view.units`' blocks, by (their line indexes, the
      texts of those lines); a hit is handed out as :meth:`Block.copy_layout`.
    * ``kinds``: what :func:`classify` wrote (words, stopword share, sentence end,
      kind, score), by the block fields it reads and the stoplist's name.

    Blocks shorter than :data:`MEMO_MIN_CHARS` are not kept: an entry costs some 300
    bytes whatever the block's size, twelve times a 25-byte menu line (a page of them
    went from 24x to 36x its size in peak memory), and such a block is rebuilt and
    classified about as fast as it is looked up (on 1,500 corpus documents, the same CPU
    time within 1 %; a limit of 80 characters cost 3-6 %).
    """

    __slots__ = ("layouts", "kinds")

    def __init__(self) -> None:
        self.layouts: dict[tuple[tuple[int, ...], tuple[str, ...]], Block] = {}
        self.kinds: dict[tuple, tuple[int, float, bool, str, float]] = {}


_KEY_VALUE = re.compile(r"[^\W\d][\w ]{1,30}?\s?:\s*\d[\d.,]*\s*(?:[^\W\d]{1,5}\.?)?\s*$")


def classify(block: Block, stop: Stoplist, memo: SignalMemo | None = None) -> None:
    """Fill in the block's signals, kind and score (cheapest tests first); with a
    ``memo``, those of a block with the same text and layout come from there."""
    if memo is None or len(block.text) < MEMO_MIN_CHARS:
        _classify(block, stop)
        return
    key = (block.text, block.bullet, block.link_share, block.glue, stop.name)
    known = memo.kinds.get(key)
    if known is None:
        _classify(block, stop)
        memo.kinds[key] = (block.nwords, block.stop, block.ends, block.kind, block.score)
    else:
        block.nwords, block.stop, block.ends, block.kind, block.score = known


def _classify(block: Block, stop: Stoplist) -> None:
    text = block.text.strip()
    pieces = text.split()
    cjk = cjk_chars(text) if not text.isascii() else 0
    block.ends = ends = ends_sentence(text)
    tokens = words(text)
    block.nwords = max(len(tokens), cjk // 2)  # CJK: no spaces, about two characters a word
    if stop is not NO_STOPLIST and block.nwords >= 8:
        block.stop = stop.share(tokens)
    count = len(tokens)
    if not count and not cjk:
        block.kind = EMPTY  # a bare list marker or separator ("*", "|"): says nothing either way
    elif (count <= 6 and _REPLY.match(text) or "recently" in text and _LUV.match(text)
            or opens_comment(text)):
        block.kind = CHROME
    elif _SEPARATOR_SCREEN.search(text) and len(_SEPARATORS.findall(text)) >= 2:
        block.kind = LINKS
    elif cjk >= 20:
        # a CJK line of 30 characters or more is a sentence even without its full stop
        # (blogs break lines at phrases), unless digits crowd it ("2016 十月 (1)": an archive)
        long_enough = ends or cjk >= 30
        block.kind = PROSE if long_enough and 4 * sum(c.isdigit() for c in text) < cjk else SHORT
    elif (block.nwords >= 8 and (ends or block.nwords >= 30) and (stop is NO_STOPLIST or block.stop >= 0.18)
          and (ends or 3 * sum(t.isdigit() for t in tokens) < count and _title_case(pieces) < 0.6)
          and not (block.glue >= 3 and block.glue * 100 >= block.chars)):
        # (without a full stop, a line that is a third numbers is an archive or a table:
        # "October 2012 (19) September 2012 (18) ...", and one in title case a menu:
        # "JUMP TO: Other White House Blogs The White House Blog Middle Class ..."; blocks glued together, one seam
        # in a hundred characters or more, are a menu or a headline list run into one
        # line: "...recommendationsHTC and Verizon hooking up Nov. 13 in NYCVerizon ...")
        block.kind = PROSE
    elif block.bullet and count <= 25 and not ends and is_byline(text):
        block.kind = BYLINE  # a text browser bullets every list item, a header's date line too
    elif ((block.bullet and block.link_share < 0.5 or BULLET.match(text)) and not (count <= 3 and not ends)
          or (count <= 5 and _KEY_VALUE.match(text))):
        # (a list item; in a Markdown dump a bulleted link is a menu's or a headline list's)
        block.kind = ITEM  # (a data row, "Calories : 216" / "Prep time: 15 min", is a list's item too)
    elif count <= 25 and is_byline(text):
        block.kind = BYLINE
    elif count <= 3 and not ends and cjk < 12:  # CJK: a phrase without spaces is no menu entry
        block.kind = NAV
    elif not ends and _title_case(pieces) >= 0.6:
        block.kind = HEADLINE
    else:
        block.kind = SHORT
    if block.kind == PROSE:
        weight = 1.0 if stop is NO_STOPLIST else min(1.0, 0.4 + block.stop * 2)
        block.score = (block.chars + 2 * cjk) * weight  # a CJK character carries about a word
    else:
        block.score = PENALTY[block.kind]


def is_dateline(text: str) -> bool:
    """Is this short line a date and nothing much else ("November 12, 2012")?"""
    text = text.strip()
    if len(text) > 40 or not _DIGIT.search(text):
        return False
    m = _BYLINE_DATE.search(text)
    return m is not None and len(text) - (m.end() - m.start()) <= 12


def may_be_furniture(text: str) -> bool:
    """Cheap string tests first: could this short line be comment furniture at all?"""
    if is_praise(text) or is_dateline(text):
        return True
    if ":" not in text and "ago" not in text and "recently" not in text and len(text) > 40:
        return False
    return bool(_COMMENT_SCREEN_WORDS.search(text) or (_DIGIT.search(text) and _COMMENT_SCREEN_DIGITS.search(text)))


def is_comment_furniture(text: str) -> bool:
    """Is this line a comment thread's furniture: a reply or report link, a comment's
    header ("Anonymous said...", "(Score:5, Insightful)"), an author line ("X says:",
    "Name | 11/6/2012 3:07 AM", "Posted by X at 5:00 PM"), CommentLuv's footer?"""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    if len(text.split()) <= 6 and _REPLY.match(text) or "recently" in text and _LUV.match(text) or opens_comment(text):
        return True
    return not ends_sentence(text) and bool(_AUTHOR.search(text) or _POSTED_AT.match(text))


# "Posted by: Jeff at November 9, 2012 8:01 AM" (Movable Type, Blogger) under each comment
_POSTED_AT = re.compile(r"(?i)^\W{0,3}posted\s+by\b:?.{1,60}?\d{1,2}:\d{2}")


def is_author(u: Block) -> bool:
    """Does this short line head a comment ("X says:", "by X writes:", a time stamp)?"""
    if u.author is None:
        text = u.text.strip()
        u.author = len(text) <= 200 and not u.ends and bool(_AUTHOR.search(text))
        u.stamp = u.author and bool(_STAMP.search(text))
    return u.author


def _title_case(pieces: list[str]) -> float:
    """Share of the longer words that start with a capital letter (headline style)."""
    long_words = [w for w in pieces if len(w) > 3 and w[0].isalpha()]
    if len(long_words) < 2:
        return 0.0
    return sum(1 for w in long_words if w[0].isupper()) / len(long_words)


def mark_lists(units: list[Block], inside_only: bool) -> None:
    """Short lines after a lead-in that ends with a colon ("The areas are:",
    "Ingredients:") are the items of a list in the article, not a menu. In a page
    dump, where a short label ("You may like to read:") heads a list of other
    stories, only a list that a sentence introduces or prose follows counts."""
    n = 0
    while n < len(units):
        u = units[n]
        if u.text.rstrip().endswith(":") and u.nwords >= 2 and u.kind not in (NAV, LINKS, CHROME):
            m = n + 1
            while (m < len(units) and m <= n + 25 and units[m].nwords <= 12
                   and units[m].kind in (SHORT, NAV, HEADLINE, BYLINE, ITEM)):
                m += 1
            long_lead = u.nwords >= 8  # "...you can find each destination below:" introduces, a label heads
            if m > n + 1 and (not inside_only or long_lead or (m < len(units) and units[m].kind == PROSE)):
                for item in units[n + 1 : m]:
                    item.kind, item.score = ITEM, PENALTY[ITEM]
            n = m
        else:
            n += 1


_NUMBER = re.compile(r"\d+")
_MONTH_WORD = re.compile(rf"(?i)\b(?:{MONTHS})\b")


def _numbered_heads(heads: list[str]) -> bool:
    """Are most of these heads one numbered label ("Step 1", "Step 2", "Day 3:")? The
    steps of a how-to or a diary's days, each over its paragraph: the article's own
    structure, not other stories' headlines."""
    labels = collections.Counter(_NUMBER.sub("#", h.strip().casefold()) for h in heads if _NUMBER.search(h))
    if not labels:
        return False
    label, count = labels.most_common(1)[0]
    # (a word besides the number, and not a month's: teasers' dates are no steps)
    return (count * 2 > len(heads) and len(label.split()) <= 3 and any(c.isalpha() for c in label)
            and not _MONTH_WORD.search(label))


def mark_teasers(units: list[Block]) -> None:
    """Three or more headline-and-blurb pairs in a row (a headline or name, then one
    short paragraph) are a list of other stories, or of commenters, not the article:
    an article's subheadings head longer paragraphs."""
    n = 0
    while n + 1 < len(units):
        m = n
        while (m + 1 < len(units) and units[m].kind in (HEADLINE, NAV, SHORT, BYLINE)
               and units[m + 1].kind == PROSE and units[m + 1].chars < _TEASER_CHARS):
            m += 2
        if m - n >= 6 and not _numbered_heads([units[k].text for k in range(n, m, 2)]):
            for u in units[n:m]:
                u.kind, u.score = TEASER, PENALTY[TEASER]
            n = m
        else:
            n += 1


