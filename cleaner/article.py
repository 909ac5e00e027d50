"""Find the article in scraped text, from the text alone, and remove what is around it.

How a careful reader does it: the article is the dominant run of prose. Every block
(a line, or a paragraph of hard-wrapped text, or a sentence of a one-line blob) gets
a few cheap signals: length, words, share of stopwords in the page's language, a
sentence ending, title-case, link separators. Prose scores its length; menu entries,
headline lists and comment chrome score below zero; the article is the run with the
highest total (the maximum-sum subarray), widened by the title, byline and date lines
just above it and a short closing line just below. Short lines *inside* the run
(subheadings, quotes, list items) stay, unlike jusText, which also judges document
edges as boilerplate and so can delete a whole short article.

The page's title (a page dump's first line) anchors the article: its repeat with a
byline inside the best run starts the article (the prose above it is a sidebar), and
a short post under its repeat wins over a thin run elsewhere.

A comment thread after the article (reply links, scored or "http://site Name"
headers, "X says:", "by X writes:" and dated author lines, runs of "Great post!", or
a blog engine's "Posted by X at 5:00 PM" footer over them) is cut where it starts:
it is prose too, and often longer than the article, so it would otherwise win.

Safety: all of this removes at most ``Config.max_removal_fraction`` of the document's
prose; beyond that, or if it would leave no prose, nothing is removed and the
document is reported with a ``heuristic.cap`` flag.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Iterable, NamedTuple

import regex

from .blocks import (
    BULLET, BYLINE, CHROME, EMPTY, COMMENT_HEADING, HEADLINE, ITEM, JUNK, LINKS, NAV, PROSE, SHORT, TEASER,
    Block, SignalMemo, classify, is_author, is_byline, is_dateline, is_praise, mark_lists, mark_teasers,
    may_be_furniture, opens_comment,
)
from .model import Hit
from .segments import Line, span_text
from .view import units as view_units
from .signals import NO_STOPLIST, Stoplist, cjk_chars, ends_sentence, stoplist_for, words

__all__ = ["find_article", "best_run", "is_page_dump", "comment_start"]

_RIVAL_SHARE = 0.4  # see _titled_run
_WEAK_ARTICLE = 600  # a page dump's best run must score this much to be cut out...
_TITLED = 3  # ...unless the page's title shows up again at most this many blocks above it
_EDGE_JUNK = 3.0  # furniture weight (see blocks.JUNK) that marks the article's edge
_TITLE_REACH = 12  # the page's title repeats at most this many blocks above the article
_POST_LINES = 40  # a short post's footer closes it at most this many blocks under its first prose
_BLURB_CHARS = 600  # a blog's header holds at most this much prose (its description) above a post
_LANGUAGE_SAMPLE = 100  # words from sentences enough to tell a page's language
_DECK_CHARS = 200  # prose shorter than this between the title and the article is its deck
_COMMENT_CHARS = 1000  # the first comment above a reply link is at most this long...
_ARTICLE_ABOVE = 400  # ...and leaves at least this much prose of the article above it
_PRAISES = 3  # comments that open with praise ("Great post!") after the article mark a thread...
_PRAISE_SHARE = 0.05  # ...if they make up this share of the blocks from the first of them on


def _prose_in(units: list[Block], start: int) -> int:
    return sum(u.chars for u in units[start:] if u.kind == PROSE)


def best_run(scores: list[float]) -> tuple[int, int]:
    """The contiguous run with the largest sum, as ``(start, end)`` (end exclusive).

    >>> best_run([-5, 10, -3, 8, -20, 4])
    (1, 4)
    """
    best, best_span = float("-inf"), (0, 0)
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += s
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def comment_start(units: list[Block], core_start: int) -> int | None:
    """Index of the first unit of a comment thread after the article's start, or None.

    A thread shows its furniture again and again: at least two reply/report links,
    or three author lines ("X says:", "by X writes:", "Comment #3", a time stamp)
    each followed closely by prose, two of them dated, or, when the extractor kept
    only the comments' text, three paragraphs that open like a reader's praise
    ("Great post!", "Thanks for sharing", "Congrats") after 400 characters of the
    article, one in twenty blocks from the first of them on. It starts at the first of them after 200
    characters of prose, or at a comment heading up to three blocks before that ("9 Responses to …", "Feed for this Entry"). Without such
    furniture, a blog engine's footer ("Posted by X at 5:00 PM") after 400 characters
    of prose, with short paragraphs under it, ends the post.
    """
    prose_seen = 0
    replies: list[int] = []
    authors: list[int] = []
    praise: list[int] = []
    datelines: dict[str, list[int]] = {}
    footer = None
    for n in range(core_start, len(units)):
        u = units[n]
        if prose_seen >= _ARTICLE_ABOVE and u.kind in (PROSE, SHORT) and is_praise(u.text):
            praise.append(n)
        if u.kind == PROSE:
            prose_seen += u.chars
        elif prose_seen < 200:
            continue
        elif (footer is None and prose_seen >= _ARTICLE_ABOVE and _posted_by(u)
              and sum(1 for m in range(n + 1, min(n + 7, len(units))) if units[m].kind in (PROSE, SHORT)) >= 4):
            footer = n
        elif u.kind == CHROME:
            replies.append(n)
        # (an embedded tweet's "— Name (@handle) November 2, 2012" is quoted in the article)
        elif is_author(u) and any(units[m].kind == PROSE for m in range(n + 1, min(n + 4, len(units)))):
            if not _embedded_post(units, n):
                authors.append(n)
        elif u.kind == BYLINE and is_dateline(u.text) and any(
                units[m].kind == PROSE for m in range(n + 1, min(n + 4, len(units)))):
            if not _embedded_post(units, n):
                datelines.setdefault(u.text.strip(), []).append(n)
    if footer is not None and not (len(replies) >= 2 or len(authors) >= 3):
        return footer + 1
    # the same date over three comments ("November 12, 2012" / name / comment): the
    # day the post went up, not a chronology's dates, which differ
    same_day = [n for same in datelines.values() if len(same) >= 3 for n in same]
    authors = sorted(authors + same_day)
    # "X wrote:" alone also introduces a quote in an article: a thread starts at a
    # reply link or at a dated author line
    dated = [n for n in authors if units[n].stamp or n in same_day]
    if len(replies) >= 2:
        start = replies[0] - _closed_comment(units, core_start, replies)
        start = min(start, dated[0]) if dated else start
    elif len(authors) >= 3 and len(dated) >= 2:
        start = dated[0]
    elif len(praise) >= _PRAISES and len(praise) >= _PRAISE_SHARE * (len(units) - praise[0]):
        start = praise[0]  # a run of "Great post!" and "Thanks for sharing" at the end
    else:
        return None
    for n in range(start - 1, max(start - 4, core_start), -1):
        if units[n].kind == PROSE:
            break
        if COMMENT_HEADING.search(units[n].text) and units[n].chars <= 80:
            start = n
    return start


# an embedded social post's attribution: "— Jane Doe (@jdoe) November 2, 2012"
_EMBED_BY = regex.compile(r"\(@\w{1,30}\)")


def _embedded_post(units: list[Block], n: int) -> bool:
    """Is unit ``n`` (or the one or two over it, where a dump split the line) an
    embedded post's attribution, the author's @handle in brackets?"""
    for m in range(n, max(n - 3, -1), -1):
        if units[m].kind != EMPTY and units[m].chars <= 120 and _EMBED_BY.search(units[m].text):
            return True
    return False


# a blog engine's line under the post (Blogger, Movable Type): "Posted by Pukie at
# November 11, 2012 5:00 PM"; what follows is comments or the next post
_POST_FOOTER = regex.compile(
    r"(?i)\W{0,3}posted\s+by\s+[^\n]{1,60}?\s+(?:at|on)\s+[^\n]{0,40}?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\b[^\n]{0,80}$")


def _posted_by(u: Block) -> bool:
    """Is this short line a blog engine's "Posted by X at 5:00 PM"?"""
    return u.chars <= 160 and _POST_FOOTER.match(u.text) is not None


def _closed_comment(units: list[Block], core_start: int, replies: list[int]) -> int:
    """How many units above the first reply link belong to the first comment (0 or 1).

    Reply links close each comment ("...great post!" / "Reply"), so the thread begins
    above the first of them. When every comment between two runs of links holds a
    unit or more, the unit right above the first link is the first comment, unless
    it is not prose-like or the article above it would be left thin.
    """
    if opens_comment(units[replies[0]].text.strip()):
        return 0  # a header opens its comment: nothing above it is one
    groups = [n for i, n in enumerate(replies) if i == 0 or replies[i - 1] != n - 1]
    ends = [n for i, n in enumerate(replies) if i + 1 == len(replies) or replies[i + 1] != n + 1]
    if len(groups) < 2 or any(groups[i + 1] - ends[i] - 1 < 1 for i in range(len(groups) - 1)):
        return 0
    above = groups[0] - 1
    if above <= core_start or units[above].kind not in (PROSE, SHORT) or units[above].chars > _COMMENT_CHARS:
        return 0
    prose_above = sum(u.chars for u in units[core_start:above] if u.kind == PROSE)
    return 1 if prose_above >= _ARTICLE_ABOVE else 0


class Page(NamedTuple):
    """A document's blocks, classified, as the article heuristic sees them."""

    units: list[Block]
    dump: bool  # a whole page turned into text, not an extractor's output
    stop: Stoplist
    total_prose: int
    tail_only: bool = False  # an extractor's output whose only suspect is a list of headlines at its end


def read_page(lines: list[Line], source: str, memo: SignalMemo | None = None) -> Page | None:
    """The blocks of ``lines`` with their kinds, or None when there is nothing to
    judge: too few blocks, no prose, or an extractor's output without comment
    furniture or a blog's header. ``memo`` keeps the blocks' signals for the next
    pass over the same document."""
    units = view_units(lines, source, memo)
    if len(units) < 3:
        return None
    dump = is_page_dump(units)
    tail_only = False
    if dump:
        stop = page_language(units)
    elif (sum(1 for u in units if u.chars <= 200 and may_be_furniture(u.text)) >= 2
          or any(_posted_by(u) for u in units) or _may_head_blog_post(units)):
        stop = NO_STOPLIST  # only a comment thread or a blog's header can go: prose needs no stopwords here
    elif _may_end_in_headlines(units):
        stop, tail_only = NO_STOPLIST, True  # only a list of other stories at the end can go
    else:
        return None  # an extractor's output without comment furniture: nothing to find
    for u in units:
        classify(u, stop, memo)
    mark_lists(units, inside_only=dump)
    if dump:
        mark_teasers(units)
    total_prose = sum(u.chars for u in units if u.kind == PROSE)
    return Page(units, dump, stop, total_prose, tail_only) if total_prose else None


def _may_end_in_headlines(units: list[Block]) -> bool:
    """Cheap test before classifying: do the last lines look like a list of headlines
    (short, no sentence ending)?"""
    tail = [u for u in units[-2 * _RUN_MIN :] if u.text.strip()][-_RUN_MIN:]
    return len(tail) == _RUN_MIN and all(u.chars <= _RUN_CHARS and not ends_sentence(u.text) for u in tail)


class Core(NamedTuple):
    """Where the article of a page dump lies, before its edges are judged."""

    start: int
    end: int
    cut: int | None  # where a comment thread starts
    title: _PageTitle
    headed: int | None  # the page title's repeat inside the best run, if it starts the article
    note: str = ""  # why the article is not the best run, if it is not (see _titled_run)


def dump_core(units: list[Block]) -> Core | None:
    """The best run of a page dump, cut at a comment thread, or None when it is too
    thin to be sure it is the article."""
    scores = [u.score for u in units]
    title = _page_title(units)
    start, end = best_run(scores)
    if sum(scores[start:end]) < _WEAK_ARTICLE and not 0 < start - _title_anchor(units, title, start) <= _TITLED:
        # the best run is too thin to be sure it is the article (a one-line post, a
        # poem in short lines, a sidebar blurb) and the page's title does not stand
        # right above it, as a short post's does: take a short post under the
        # title's repeat elsewhere on the page, or keep the page rather than guess
        found = _under_title_repeat(units, title)
        if found is None:
            return None
        start, end = found
        note = ""
    else:
        start, end, note = _titled_run(units, scores, title, start, end)
    cut = comment_start(units, start)
    if cut is None and end > start and _is_post_footer(units[end - 1]):
        cut = end  # a short post's footer (see _post_end): what follows is its thread
    if cut is None:
        cut = _comment_form(units, start, end)
    if cut is not None and cut < end:
        end = cut
        start, end = _rescore(units, start, end)
    headed = _title_inside(units, title, start, end)
    start = headed if headed is not None else start
    return Core(start, end, cut, title, headed, note)


def _titled_run(units: list[Block], scores: list[float], title: _PageTitle, start: int,
                end: int) -> tuple[int, int, str]:
    """The best run, or the best one on either side of it when that one is about what
    the page's title names and the best run is not: a page's footer of video blurbs
    or a sidebar of teasers can outscore an article whose paragraphs a dump broke up.
    The other run must score at least :data:`_RIVAL_SHARE` of the best one and hold
    three paragraphs: a site's one-paragraph self-description in its footer matches a
    title that is the site's tagline. Returns the run and, if it is not the best one,
    why (for the hits' reasons)."""
    own = {w for w in title.headline - title.site if len(w) >= 4}
    share = _title_share(units, start, end, own) if len(own) >= 3 else 1.0
    if share > 0.25:
        return start, end, ""
    best = sum(scores[start:end])
    for lo, hi in ((0, start), (end, len(units))):
        a, b = best_run(scores[lo:hi])
        a, b = a + lo, b + lo
        if (b <= a or sum(scores[a:b]) < max(_RIVAL_SHARE * best, _WEAK_ARTICLE)
                or sum(1 for u in units[a:b] if u.kind == PROSE) < 3):  # paragraphs, not a blurb
            continue
        rival = _title_share(units, a, b, own)
        if rival >= 0.5:
            return a, b, (f"chosen over the best-scoring run (lines {units[start].first + 1}-{units[end - 1].last}, "
                          f"scoring {best:.0f}): its prose holds {rival:.0%} of the title's words, "
                          f"that run's {share:.0%}")
    return start, end, ""


def _title_share(units: list[Block], start: int, end: int, own: set[str]) -> float:
    """The share of the title's words ``own`` that the prose of ``units[start:end]`` holds."""
    found: set[str] = set()
    for u in units[start:end]:
        if u.kind == PROSE:
            found |= own & u.wordset
    return len(found) / len(own)


def find_article(lines: list[Line], source: str, config, hits: list[Hit] | None,
                 memo: SignalMemo | None = None) -> bool:
    """Remove menus, teasers, link lists and comment threads around the article (in
    place). ``source`` is the text the lines were cut from (see :func:`cleaner.view.units`);
    ``memo``, one per document, saves the next pass over it recomputing the blocks
    that did not change."""
    page = read_page(lines, source, memo)
    if page is None:
        return False
    units, total_prose = page.units, page.total_prose
    reason_tail = "after the article"
    core = dump_core(units) if page.dump else None
    if core is not None:
        cut = core.cut
        start, end = _widen(units, core.title, core.start, core.end, cut)
        if core.headed is not None:
            start = max(start, core.headed)
        headline = _headline(units, core.title, start, core.start)
        removed = [n for n in _outside(start, end, len(units)) if n not in headline]
    else:
        # An extractor already found the article: its short lines at the ends are
        # mostly the article's own (titles, lists, credits); only a comment thread goes,
        # and a blog's header above a post under its dated title.
        cut = None if page.tail_only else comment_start(units, 0)
        start = 0 if page.tail_only else _blog_header_end(units)
        end = len(units) if cut is None else cut
        if start and cut is None:
            end = _post_footer_end(units, start)
        tail = headline_run(units, start, end, lines)
        if tail is not None and tail.sure:
            end = tail.start
        elif tail is not None and hits is not None:
            hits.append(Hit("heuristic.article", "heuristic", "flag", lines[units[tail.start].first].start,
                            lines[units[end - 1].last - 1].end, "", f"{tail.why}; kept: {tail.doubt}"))
        removed = list(_outside(start, end, len(units)))
        if tail is not None and tail.sure:
            reason_tail = tail.why

    if not removed:
        return False  # nothing outside the article
    # The cap guards the article: a comment thread (found by its furniture, after at
    # least 200 characters of prose) does not count against it; what is left must
    # still hold prose.
    thread = cut if cut is not None else len(units)
    gone = set(removed)
    lost = sum(units[n].chars for n in removed if units[n].kind == PROSE and n < thread)
    kept = sum(u.chars for n, u in enumerate(units) if u.kind == PROSE and n not in gone)
    if not kept or lost > config.max_removal_fraction * (total_prose - _prose_in(units, thread)):
        if hits is not None:
            hits.append(Hit("heuristic.cap", "heuristic", "flag", lines[0].start, lines[-1].end, "",
                            f"the article heuristic would remove {lost} of {total_prose} characters of prose "
                            f"(cap: {config.max_removal_fraction:.0%}); the text was kept"))
        return False
    for n in removed:
        for line in lines[units[n].first : units[n].last]:
            line.removed = True
    if hits is not None:
        _report(units, lines, removed, start, end, cut, reason_tail, page.stop, hits, core.note if core else "")
    return True


class HeadlineRun(NamedTuple):
    """Other stories' headlines closing an extractor's output (see :func:`headline_run`)."""

    start: int  # its first unit (the lead-in, where one names the list)
    sure: bool  # the shape says headlines beyond doubt: remove; else only flag
    why: str
    doubt: str


_RUN_MIN = 3  # headlines in a row: two short lines are a sign-off as often as a list
_RUN_WORDS = (4, 25)  # a story's headline: more than a name or a menu label, less than a paragraph
_RUN_CHARS = 250
_NUMBERED = regex.compile(r"^\W{0,2}(\d{1,2})[.)]\s")


def _story_headline(u: Block) -> bool:
    """Could this unit be another story's headline: a short line without a sentence
    ending, no data row ("Pricing: FREE"), no author's note ending in an address?"""
    text = u.text.lstrip()
    return (u.kind in (HEADLINE, SHORT, ITEM, BYLINE, NAV) and not u.ends and u.chars <= _RUN_CHARS
            and not text.startswith("(") and not text.endswith(("...", "…"))
            and _RUN_WORDS[0] <= u.nwords <= _RUN_WORDS[1] and not _DATA_ROW.match(u.text)
            and not _CONTACT_END.search(u.text))


def headline_run(units: list[Block], start: int, end: int, lines: list[Line]) -> HeadlineRun | None:
    """A run of three or more headline-shaped lines between the article's last
    paragraph and ``end`` (a list of other stories an extractor kept), or None.

    Subheadings of the article head prose; nothing but headlines follows these. The
    run is sure when a lead-in names it (a short line over it that ends in a colon or
    is a heading: "More world stories from NBC News:", "Related"), or when most of its
    lines are in title case or carry a date; a run of plain sentence-case lines (an
    article's closing list of points can look so) is only flagged. An ordered list
    (1., 2., 3.) is the article's, and the run must be smaller than the prose above it.
    """
    n, run = end, []
    while n > start and (units[n - 1].kind == EMPTY or _story_headline(units[n - 1])):
        n -= 1
        if units[n].kind != EMPTY:
            run.append(units[n])
    lead = None
    if run and _is_lead_in(run[-1]):  # the run's top line names it
        lead = units.index(run.pop(), n)
    elif n - 1 > start and _is_lead_in(units[n - 1]):
        lead = n - 1
    if len(run) < _RUN_MIN or _structured(run, lines):
        return None
    top = n if lead is None else lead
    prose_above = sum(u.chars for u in units[start:top] if u.kind == PROSE)
    if prose_above < max(_ARTICLE_ABOVE, 2 * sum(u.chars for u in run)):
        return None
    titled = sum(1 for u in run if u.kind == HEADLINE or _dated(u.text))
    what = f"{len(run)} headline-shaped lines after the article's last paragraph"
    if lead is not None:
        return HeadlineRun(lead, True, f"other stories' headlines after the article ({what}, under "
                           f"{units[lead].text.strip()[:60]!r})", "")
    if 3 * titled >= 2 * len(run):
        return HeadlineRun(top, True, f"other stories' headlines after the article ({what}, {titled} in "
                           "title case or dated)", "")
    return HeadlineRun(top, False, f"other stories' headlines after the article? ({what})",
                       "in sentence case without a lead-in, they may be the article's own list")


def _dated(text: str) -> bool:
    """Does a headline carry its date at one end ("..., March 3, 2024", "12.05.2021 - ...")?"""
    text = text.strip()
    return is_dateline(text[-22:]) or is_dateline(text[:22])


def _is_lead_in(u: Block) -> bool:
    """A label over a list of links: a few words that end in a colon or are a heading
    ("More world stories from NBC News:", "Related"); a longer line ending in a colon
    introduces the article's own list or example."""
    text = u.text.rstrip()
    return u.nwords <= 6 and u.kind != PROSE and (text.endswith(":") or u.heading > 0 or u.kind in (HEADLINE, NAV))


def _structured(run: list[Block], lines: list[Line]) -> bool:
    """Is this run the article's own list: numbered (1., 2.; the view took the numbers
    off the blocks' text, so they are read from the lines), steps that share their
    first word ("Step 1 ...", "Step 2 ..."), or lines that each introduce something
    (a colon at the end: an example follows, which the extractor left out)?"""
    numbered = sum(1 for u in run if _NUMBERED.match(u.text) or _NUMBERED.match(lines[u.first].text))
    if numbered >= 2 or any(u.text.rstrip().endswith(":") for u in run):
        return True
    firsts = [w[0].lower() for u in run if (w := words(u.text))]
    return bool(firsts) and 2 * max(firsts.count(f) for f in set(firsts)) >= len(firsts) + 1


_HEADLINE_REACH = 60  # blocks of furniture (an author box, share bars, a menu) between headline and article


def _headline(units: list[Block], title: _PageTitle, start: int, body: int) -> set[int]:
    """The article's headline where the edge walk left it out (the kept text starts at
    ``start``, the article's body at ``body``): the nearest repeat of
    the page's title above the article with only furniture between (and the byline,
    date or deck right under it), or, where the page shows no repeat at all, the
    page's title line itself, which names the article (a dump's first line)."""
    if start == 0:
        return set()
    if len(title.words) < 3:
        # no usable title (a dump without the page's <head> starts with a menu): the
        # byline still says where the article's header is, unless its headline, a
        # Markdown heading, is kept already
        if any(1 <= u.heading <= 2 and u.nwords >= 3 for u in units[start:body]):
            return set()
        return _over_byline(units, body)
    if any(_is_title_repeat(units[n], title.words, title.site) and (n < body or _heads_prose(units, n))
           for n in range(start, min(max(body, start) + 4, len(units)))):
        # the article's own headline is kept, somewhere above its body (under it, a
        # repeat that heads no prose is a sidebar's heading: "### Truth & Rumors")
        return set()
    for n in range(start - 1, max(start - _HEADLINE_REACH, 0), -1):
        u = units[n]
        if u.kind == PROSE and u.chars >= _DECK_CHARS:
            break
        # (the headline itself: the title's words first, not "dearieme on <title>" in
        # a list of recent comments or "Next: <title>")
        first_word = next(iter(words(u.text)), "")
        if first_word in title.headline and _is_title_repeat(u, title.words, title.site):
            header = {n}
            for m in range(n + 1, min(n + 3, start)):
                if units[m].kind == BYLINE or units[m].kind == PROSE and units[m].chars < _DECK_CHARS:
                    header.add(m)
                else:
                    break
            return header
    byline = _over_byline(units, body)
    if byline:
        return byline
    first = units[0]
    # (a title line: "Headline | Site", one whose words come again down the page, or
    # one a few lines over the article's body, as a page already cut to its article
    # starts; a dump without the page's <head> starts with a banner or a menu instead)
    if (first.kind in (HEADLINE, SHORT, PROSE, BYLINE) and first.nwords >= 3 and first.chars <= 250
            and (_TITLE_SEPARATOR.search(first.text)
                 or any(_is_title_repeat(u, title.words, title.site) for u in units[1:])
                 or body <= _TITLE_REACH and not any(u.kind == PROSE and u.chars >= _DECK_CHARS
                                                     for u in units[1:body]))):
        return {0}
    return set()


_BYLINE_REACH = 10  # a byline stands at most this many blocks over the article's body
_HEADER_REACH = 8  # and the headline at most this many over the byline


def _over_byline(units: list[Block], body: int) -> set[int]:
    """The article's header where a page shows no title: the byline nearest over the
    body (no long prose between) and the headline and deck over it, bare list markers
    aside ("Consumer lending soars" / a deck / "*" / "Hilary Osborne" /
    "guardian.co.uk, Monday 29 October 2012")."""
    for b in range(body - 1, max(body - _BYLINE_REACH, 0) - 1, -1):
        u = units[b]
        if u.kind == PROSE and u.chars >= _DECK_CHARS:
            return set()
        if not _byline_like(u):
            continue
        header = {b}
        m, lines = b - 1, 0
        while m > 0 and lines < 3 and m > b - _HEADER_REACH:
            v = units[m]
            if v.kind == EMPTY or _pager_like(v):
                m -= 1  # "Previous" / "1 / 18" / "Next" between headline and byline
                continue
            if v.kind not in (HEADLINE, SHORT, PROSE, NAV, ITEM, BYLINE) or v.nwords < 2 or (
                    v.kind == PROSE and v.chars >= _DECK_CHARS):
                break
            header.add(m)
            lines += 1
            if v.kind in (HEADLINE, SHORT) and v.nwords >= 3:
                break  # the headline: nothing over it belongs to the header
            m -= 1
        return header if any(units[n].nwords >= 3 and units[n].kind != BYLINE for n in header) else set()
    # no byline: a Markdown heading ("# Headline") over the body
    for h in range(body - 1, max(body - _BYLINE_REACH, 0) - 1, -1):
        u = units[h]
        if u.kind == PROSE and u.chars >= _DECK_CHARS:
            break
        if 1 <= u.heading <= 2 and u.nwords >= 3 and u.kind != PROSE:
            return {h}
    return set()


def _byline_like(u: Block) -> bool:
    """A byline, or one whose separators made it a link line ("By Staff • Nov 6, 2012 •
    New York", "Date: November 2, 2012 | Author: Erika Riggs")."""
    return u.kind == BYLINE or u.kind == LINKS and u.nwords <= 25 and is_byline(u.text)


_PAGER_WORDS = frozenset("next previous prev back older newer weiter zurück suivant précédent siguiente "
                         "anterior".split())


def _pager_like(u: Block) -> bool:
    """A pager or a count: two numbers or more and fewer than three words ("Previous 1 /
    18 Next"; "2013 World Tour" is a headline), or a pager's word alone ("Next")."""
    tokens = words(u.text)
    numbers = sum(1 for t in tokens if t.isdigit())
    return numbers >= 2 and len(tokens) - numbers < 3 or len(tokens) == 1 and tokens[0] in _PAGER_WORDS


def _outside(start: int, end: int, count: int) -> Iterable[int]:
    """The units ``n < start or n >= end`` of ``count``, ascending (no list of them: a
    page dump has tens of thousands)."""
    if end <= start:
        return range(count)
    return itertools.chain(range(start), range(end, count))


_SENTENCE_BREAK = regex.compile(r"\p{Ll}[.!?][\"'”’)]?\s+\p{Lu}")


def page_language(units: list[Block]) -> Stoplist:
    """The stoplist of the page's language, from the words (not numbers: a price
    table's "1 + 2 + 3" votes for Finnish) of its 20 longest blocks, those that end
    like a sentence first (a menu or city list run into one line votes for Finnish)."""
    longest = [u for u in heapq.nlargest(20, units, key=lambda u: u.chars) if u.text.count(" ") >= 7]
    sample = [t for u in longest if ends_sentence(u.text) or _SENTENCE_BREAK.search(u.text)
              for t in words(u.text) if t.isalpha()][:300]
    if len(sample) < _LANGUAGE_SAMPLE:
        sample = [t for u in longest for t in words(u.text) if t.isalpha()][:300]
    return stoplist_for(sample)


def is_page_dump(units: list[Block]) -> bool:
    """A whole page turned into text (menus, footers and all), as opposed to an
    extractor's output: a menu of five entries or more above the first prose, or
    menus (three entries or more in a row) in three stretches between prose (header,
    sidebar, footer), or twenty menu entries in three runs or more. A list inside an
    article is one stretch. On the dev corpus this calls
    most html_text page dumps dumps, and a few percent of the extractors' outputs.

    Only cheap signals (word count, sentence ending) are used, so an extractor's
    output is told apart without classifying every line.
    """
    menus = entries = run = runs = nav = 0
    has_menu = False
    head = None
    for u in units:
        text = u.text
        count = len(text.split())
        if count <= 3 and text.strip() and not text.isascii():
            count = max(count, cjk_chars(text) // 2)  # no spaces between CJK words
        if count >= 8 and ends_sentence(text):  # prose closes a stretch
            if head is None:
                head = entries
            menus += has_menu
            entries = run = 0
            has_menu = False
        elif count <= 3 and not ends_sentence(text) and text.strip():
            entries += 1
            nav += 1
            run += 1
            has_menu |= run >= 3
            runs += run == 3
        else:
            run = 0
    menus += has_menu
    return (head if head is not None else entries) >= 5 or menus >= 3 or (runs >= 3 and nav >= 20)


_COMMENT_FORM = regex.compile(
    r"(?i)\W{0,3}(?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)\W{0,3}$")


def _comment_form(units: list[Block], start: int, end: int) -> int | None:
    """A comment form's heading ("Leave a reply", "Post a Comment") inside the best
    run, after 200 characters of its prose: the article ends there, though no thread
    follows (a page's sidebar headlines, which end like sentences, can carry the run
    past it)."""
    prose = 0
    for n in range(start, end):
        u = units[n]
        if u.kind == PROSE:
            prose += u.chars
        elif prose >= 200 and u.chars <= 40 and _COMMENT_FORM.match(u.text):
            return n
    return None


def _rescore(units: list[Block], start: int, end: int) -> tuple[int, int]:
    """The best run again, within the part before the comment thread."""
    if end <= 0:
        return start, end
    a, b = best_run([u.score for u in units[:end]])
    return (a, b) if b > a else (start, end)


def _widen(units: list[Block], title: _PageTitle, start: int, end: int, cut: int | None) -> tuple[int, int]:
    """Grow the run outwards until page furniture begins.

    Walking away from the article, short lines, headlines, menu entries and link
    lines add up their furniture weight; prose resets it. Where the weight reaches
    _EDGE_JUNK, the furniture started at the first menu, link or reply line (or the
    second of two headlines in a row) of that stretch: the edge goes there. So a
    title, kicker, byline and date just above the article stay, and so does prose
    that a short line separates from it; a menu, a headline list or a footer does not.
    """
    first = min(_edge(units, start, -1, -1), _title_anchor(units, title, start))
    return first, _edge(units, end - 1, 1, cut if cut is not None else len(units)) + 1


def _edge(units: list[Block], inner: int, step: int, limit: int) -> int:
    """The outermost unit to keep, walking from ``inner`` in direction ``step``."""
    keep = inner
    weight = 0.0
    stretch: list[int] = []
    n = inner + step
    while n != limit:
        u = units[n]
        if u.kind == PROSE:
            keep, weight, stretch = n, 0.0, []
        else:
            # a whole menu on one line ("Home | News | Sport | ..."): furniture on its own
            weight += _EDGE_JUNK if u.kind == LINKS and u.text.count(" | ") >= 5 else JUNK[u.kind]
            stretch.append(n)
            if weight >= _EDGE_JUNK:
                return _first_furniture(units, stretch, keep)
        n += step
    # reached the document's edge: what lies there is part of the article unless heavy
    return stretch[-1] if stretch else keep


def _first_furniture(units: list[Block], stretch: list[int], keep: int) -> int:
    """The last unit to keep in ``stretch`` (walked outward from the article), whose
    furniture weight just reached the limit: the outermost title, byline or short
    line of it. A stray menu entry or comment count between a headline and the
    article ("0", "Tweet") does not cut the headline off."""
    for i in range(len(stretch) - 1, -1, -1):
        if units[stretch[i]].kind in (HEADLINE, BYLINE, SHORT, ITEM) and not _list_like(units, stretch, i):
            return stretch[i]
    return keep


def _list_like(units: list[Block], stretch: list[int], i: int) -> bool:
    """Is stretch[i] one of three or more headline-like lines in a row (a link list)?
    Headlines in sentence case count too: short lines without a sentence ending."""
    listy = [_headline_like(units[n]) for n in stretch]
    return any(all(listy[a : a + 3]) and len(listy[a : a + 3]) == 3 for a in range(max(0, i - 2), i + 1))


_DATA_ROW = regex.compile(r"^\W{0,3}[^\W\d][\w ]{0,30}:\s*\S+(?:\s+\S+){0,2}\s*$")  # "Pricing: FREE", "Source: Rhapsody"
_CONTACT_END = regex.compile(r"(?:\S@\w[\w.-]*\.\w{2,}|(?<!\S)@\w{2,})\W{0,2}$")


def _headline_like(u: Block) -> bool:
    # (a sentence or two ending in an e-mail address or @handle is an author's note:
    # "Jane Doe covers tech. Follow her on Twitter @jdoe or email jdoe@example.com")
    return u.kind == HEADLINE or (u.kind == SHORT and not u.ends and not (u.nwords >= 12 and _CONTACT_END.search(u.text)))


def _is_title_repeat(u: Block, title: set[str], site: set[str]) -> bool:
    """Is this line most of the page's title, and more than its site name?"""
    mine = u.wordset
    shared = len(mine & title)
    own = title - site  # (a long site part, "- The Car Connection", is not the title's to repeat)
    return (shared >= 2 and shared >= 0.6 * len(mine) and len(mine & own) >= 0.4 * len(own)
            and len((mine & title) - site) >= min(2, len(own)))


def _under_title_repeat(units: list[Block], title: _PageTitle) -> tuple[int, int] | None:
    """A short article the best run missed: the first prose within a few lines
    under the page title's repeat (a one-paragraph post under its headline)."""
    title_words, site = title.words, title.site
    if len(title_words) < 3:
        return None
    # the title's own words: all but the site's name, or ("Headline | Site") its
    # first part when the site's name is not known
    own = title_words - site if site else title.first
    for n in range(1, len(units) - 1):
        mine = units[n].wordset
        if units[n].kind in (HEADLINE, SHORT, BYLINE, NAV) and (
                _is_title_repeat(units[n], title_words, site) and title.first <= mine and len(mine & own) >= 0.6 * len(own)
                or _dated_post_title(units, n, title)):
            for m in range(n + 1, min(n + 2 + _TITLED, len(units))):
                if units[m].kind == PROSE:
                    return m, _post_end(units, m)
                if units[m].kind in (LINKS, CHROME) or _is_title_repeat(units[m], title_words, site):
                    break
    return None


def _post_end(units: list[Block], m: int) -> int:
    """End of a short post whose first prose is unit ``m``: past the blog engine's
    footer ("Posted by X at 9:22 AM") if one closes it within a few lines (an address
    or a list of short lines between stays), else right after ``m``."""
    for k in range(m + 1, min(m + _POST_LINES, len(units))):
        u = units[k]
        if _is_post_footer(u):
            return k + 1
        split = _split_footer(units, k)
        if split:
            return split
        if u.kind in (LINKS, CHROME, TEASER):
            break
    return m + 1


def _split_footer(units: list[Block], k: int) -> int | None:
    """End of a blog engine's footer that a dump of text nodes split into short lines
    from unit ``k`` on ("Posted by" / "Alina Chau" / "at" / "9:22 AM"), or None."""
    if not units[k].text.lstrip().lower().startswith("posted by") or units[k].chars > 40:
        return None
    text = units[k].text
    for n in range(k + 1, min(k + 4, len(units))):
        if units[n].chars > 40:
            break
        text = f"{text} {units[n].text}"
        if _POST_FOOTER.match(text):
            return n + 1
    return None


def _post_footer_end(units: list[Block], start: int) -> int:
    """End of a blog post found under its dated title: past the engine's footer under
    it ("Posted by X at 9:22 AM", "Permalink"), if less prose follows the footer than
    the post holds (the blog's sidebar: archives, feeds, blogroll), else the end."""
    post = 0
    for k in range(start, len(units)):
        u = units[k]
        if u.kind == PROSE:
            post += u.chars
        elif post and (_is_post_footer(u) or _PERMALINK.match(u.text)):
            return k + 1 if _prose_in(units, k) < post else len(units)
    return len(units)


_PERMALINK = regex.compile(r"(?i)\W{0,3}permalink\W{0,3}$")
_FOOTER_COUNT = regex.compile(r"(?i)\|\s*\d+\s+comments?\s*\|")


def _is_post_footer(u: Block) -> bool:
    """A blog engine's line under a post: "Posted by X at 9:22 AM", or a link line
    with its comment count ("Blue Lily Photography | 14 Comments | Share Article")."""
    return _posted_by(u) or (u.chars <= 160 and u.kind == LINKS and _FOOTER_COUNT.search(u.text) is not None)


def _may_head_blog_post(units: list[Block]) -> bool:
    """Cheap string test before _blog_header_end: does the first line's last title
    part ("Blog name: Post title") stand alone on one of the next few lines?"""
    parts = _TITLE_SEPARATOR.split(units[0].text.strip())
    last = parts[-1].strip().casefold() if len(parts) > 1 else ""
    return len(last) >= 8 and any(u.text.strip().casefold() == last for u in units[1:_TITLE_REACH])


def _blog_header_end(units: list[Block]) -> int:
    """Where a blog post starts under the blog's header, or 0: a page titled "Blog
    name: Post title" whose post title repeats under its date within a few lines, with
    at most a blurb's worth of prose above it ("Every day I experience life in ..."):
    the date line. (An extractor's output rarely starts with such a title line.)"""
    if not _TITLE_SEPARATOR.search(units[0].text):
        return 0
    title = _page_title(units)
    prose = 0
    for n in range(1, min(_TITLE_REACH, len(units) - 1)):
        if _dated_post_title(units, n, title) and _heads_prose(units, n):
            return _with_date_above(units, n)
        if units[n].kind == PROSE:
            prose += units[n].chars
            if prose > _BLURB_CHARS:
                break
    return 0


def _dated_post_title(units: list[Block], n: int, title: _PageTitle) -> bool:
    """Is unit ``n`` a blog post's title under its date ("Monday, October 22, 2012" /
    "Little gifts for friends" on a page titled "Blog name: Little gifts for friends")?"""
    return (len(title.last) >= 2 and not title.last <= title.site and title.last <= units[n].wordset
            and any(units[m].kind == BYLINE for m in range(max(n - 2, 1), min(n + 2, len(units)))))


_ABOUT_TITLE = regex.compile(r"(?i)\b(?:thoughts?|comments?|responses?|replies|reactions?)\s+(?:on|to)\b")


def _title_inside(units: list[Block], title: _PageTitle, start: int, end: int) -> int | None:
    """The page title's repeat inside the best run, below a menu entry or link line,
    with a byline or date next to it: the prose above it is a sidebar or a header
    blurb ("About the author", a testimonial) that the run took in, and the article
    starts at the title."""
    lead = title.headline
    # the repeat holds the whole headline part of the title (a related link shares
    # a kicker, "Sixers game notes:", at most)
    if len(title.words) < 3 or len(lead) < 2:
        return None
    furniture = False
    for n in range(start + 1, end - 1):
        u = units[n]
        # (furniture above the repeat, not the repeat itself: a subheading that shares
        # the title's words, under the lede, is no new start)
        if (furniture and u.kind in (HEADLINE, SHORT, NAV, BYLINE) and u.chars <= 200
                and _is_title_repeat(u, title.words, set())):
            mine = u.wordset
            # an article's header: a byline or date next to the title ("One thought on
            # “<title>”" heads the comments, "<title>: FAQs" a section of the article)
            dated = any(units[m].kind == BYLINE for m in range(max(n - 2, 0), min(n + 3, len(units))))
            if (lead <= mine and dated and _heads_prose(units, n)
                    and not _ABOUT_TITLE.search(u.text)
                    and sum(v.chars for v in units[n:end] if v.kind == PROSE) >= 200):
                return _with_date_above(units, n)
        if u.kind in (NAV, LINKS, ITEM, HEADLINE):
            furniture = True
    return None


def _with_date_above(units: list[Block], n: int) -> int:
    """The title's repeat at ``n``, or the date line right above it (never the page's
    own title line)."""
    return n - 1 if n > 1 and units[n - 1].kind == BYLINE else n


class _PageTitle(NamedTuple):
    """The page's title (a page dump's first line), taken apart once per page."""

    words: frozenset[str]  # all its words
    site: set[str]  # those of its site-name part (see _site_name_words), if known
    first: set[str]  # those of its first part ("Headline | Site": the headline)
    headline: set[str]  # those of its headline part: the longest that is not the site's name
    last: set[str]  # those of its last part ("Blog: Post title" on blog engines)


def _page_title(units: list[Block]) -> _PageTitle:
    parts = [set(words(p)) for p in _TITLE_SEPARATOR.split(units[0].text)]
    site = _site_name_words(units, parts)
    # "Site: Kicker: Headline | Section"; "Headline | Site" is the usual order when the
    # site's name is not known, but a one- or two-word first part is a kicker
    # ("Russia: Space ship breaks up over Siberia")
    candidates = [p for p in parts if p and not p <= site] if site else []
    if site:
        headline = max(candidates or parts, key=len)
    else:
        headline = parts[0] if len(parts[0]) >= 3 else max(parts, key=len)
    return _PageTitle(units[0].wordset, site, parts[0], headline, parts[-1] if len(parts) > 1 else set())


def _heads_prose(units: list[Block], n: int) -> bool:
    """Does prose follow unit ``n`` within three units, with no other headline between
    (a title in a list of headlines and dates heads nothing)?"""
    for m in range(n + 1, min(n + 4, len(units))):
        if units[m].kind == PROSE:
            return True
        if units[m].kind in (HEADLINE, TEASER, LINKS):
            return False
    return False


def _title_anchor(units: list[Block], title: _PageTitle, start: int) -> int:
    """Where the page's title (its first line, as page dumps and most extractors start)
    shows up again just above the article (with the date line right above it, if
    any): everything from there down is kept."""
    if len(title.words) < 3 or start == 0:
        return start
    for n in range(start - 1, max(start - _TITLE_REACH, 0), -1):
        if _is_title_repeat(units[n], title.words, title.site):
            return _with_date_above(units, n)
        if units[n].kind == PROSE and units[n].chars >= _DECK_CHARS:
            break  # the article itself (a one-sentence deck under the headline is not)
    else:
        # no repeat: the text may start with the article's own header (an extractor's
        # output, or a page already cut down to its article), its title, then a
        # byline or date right under it
        if (start < _TITLE_REACH and units[0].kind in (HEADLINE, SHORT, NAV)
                and any(u.kind == BYLINE for u in units[1:3])
                and not any(u.kind == PROSE and u.chars >= _DECK_CHARS for u in units[1:start])):
            return 0
    return start


_TITLE_SEPARATOR = regex.compile(r"\s+[-|–—:·•»]+\s+|\s*::\s*|:\s+")


def _site_name_words(units: list[Block], parts: list[set[str]]) -> set[str]:
    """The words of the title's site-name part ('The Human Bowling Ball - I Geek for
    Creativity'), given the words of the title's parts between separators: the part
    whose words recur in the most other lines of the page, three or more (menus: 'I
    Geek for Creativity on Twitter')."""
    if len(parts) < 2:
        return set()
    # a part that stands alone over a byline or date is the article's headline
    headlines = {units[n].wordset for n in range(1, len(units) - 1) if units[n].kind != PROSE
                 and any(units[m].kind == BYLINE for m in range(n + 1, min(n + 3, len(units))))}
    counts = [sum(1 for u in units[1:] if part <= u.wordset) if part and frozenset(part) not in headlines else 0
              for part in parts]
    # the article's own title recurs too (a "Recent comments" list: "X on <title>"),
    # but less often than the site's name, which is the shorter of the two
    count, _, part = max(zip(counts, (-len(p) for p in parts), parts), key=lambda t: t[:2])
    return part if count >= 3 else set()


def _report(units, lines, removed, start, end, cut, reason_tail, stop, hits, note: str = "") -> None:
    """One hit per removed run of blocks, with the signals that decided it (and
    ``note``: why the article is where it is, when that is not the obvious place)."""
    runs: list[list[int]] = []
    for n in removed:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    body = f"the article is lines {units[start].first + 1}-{units[end - 1].last}" if end > start else ""
    if note:
        body = f"{body}, {note}"
    for run in runs:
        first, last = units[run[0]], units[run[-1]]
        kinds: dict[str, int] = {}
        for n in run:
            kinds[units[n].kind] = kinds.get(units[n].kind, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        if run[0] < start:
            hid, where = "heuristic.article", "before the article"
        elif cut is not None and run[0] >= cut:
            hid, where = "heuristic.comments", "comment thread after the article"
        else:
            hid, where = "heuristic.article", reason_tail if run[0] >= end else "outside the article"
        text = span_text(lines, first.first, last.last)
        hits.append(Hit(hid, "heuristic", "drop", lines[first.first].start, lines[last.last - 1].end, text,
                        f"{where} ({body}; language: {stop.name}): {summary}"))
