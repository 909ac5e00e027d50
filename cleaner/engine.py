"""Apply compiled rules to a document's lines through the closed set of actions.

Cheap filters first. One Aho-Corasick pass over the lower-cased document finds every
rule keyword, so a rule's regex only runs on lines that hold one of its keywords;
whole-line phrases are a dictionary lookup; head and tail rules only see their window.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable, Sequence
from time import monotonic
from typing import NamedTuple, TypeVar

import regex

from .blocks import DATE_PATTERN, MONTHS, is_comment_furniture
from .model import Hit
from .rules import Rule, RuleSet, phrase_key
from .segments import Line, block_text, blocks, span_text
from .signals import is_prose, words
from .view import signal_text

__all__ = ["apply_rules", "KeywordIndex", "RuleTimeout", "GUARD_CHARS"]

#: The wall-clock guard allows ``regex_timeout`` seconds of searching per document, and
#: as much again per this many characters searched: 20 microseconds a character by
#: default, 90-150 times what the built-in rules need on pages (0.13-0.23 µs, measured
#: on 2-10 MB pages) and 30 times on a one-line text whose every sentence holds some
#: rule's keywords (0.6 µs), so only a pathological pattern reaches it, a slow or
#: loaded machine does not, and a document is never cut short for being big.
GUARD_CHARS = 50_000
#: The most time one search is given: regex's own timeout overflows above some 9e12
#: seconds and then trips at once, which the allowance of a big document under a huge
#: regex_timeout (1e9, disabled ``document.timed-out``) would reach. 1e9 s is no limit.
_MAX_SEARCH_SECONDS = 1e9


class RuleTimeout(Exception):
    """A rule's pattern searches ran past the wall-clock guard (``regex_timeout``): the
    last-resort stop for a pathological pattern. The document is passed through."""

    def __init__(self, rule: Rule, seconds: float) -> None:
        super().__init__(f"rule {rule.id} ({rule.source}) ran past the regex_timeout guard: "
                         f"{seconds:.2f}s of pattern searches on this document")
        self.rule_id = rule.id

_T = TypeVar("_T")

# Edits inside lines first; tail cuts before line rules, which would otherwise drop a
# lone "Comments" heading and leave its thread behind; the tail once more at the end,
# for a block whose guard only passes once line rules removed a notice under it.
_STAGES = ("inline", "tail", "head", "line", "paragraph", "tail")
_TAIL_PROSE = 150  # characters of prose above a tail rule's line: the article has begun
_MARGIN = 2  # non-blank lines around the article body where weak rules only flag


class KeywordIndex:
    """Which lines hold which rule keyword, and which lines are which rule's phrase.

    Built once per document; a later round of rules on the same lines (after a
    heuristic removed some) reuses it: candidates are only a pre-filter, so lines
    removed since are skipped anyway.
    """

    __slots__ = ("keyword_lines", "phrase_lines", "prose", "spent", "searched", "found", "candidates")

    def __init__(self, ruleset: RuleSet, lines: list[Line]) -> None:
        self.keyword_lines: dict[str, list[int]] = {}  # ascending; a list is a third of a set's size
        self.prose: list[bool] | None = None  # shared with the rounds after, see _Doc.prose
        self.spent = 0.0  # seconds all pattern searches took on this document, every round
        self.searched = 0  # characters they searched
        # (rule, text) -> did the rule match: the passes and rounds over a document search
        # the same lines again and again (a third of all searches), and a rule's answer
        # depends on the text alone
        self.found: dict[tuple[Rule, str], bool] = {}
        self.candidates: dict[Rule, Sequence[int]] = {}  # per rule, see _Doc.candidates
        automaton = ruleset.keyword_automaton
        if automaton is not None:
            # line by line: a pass over the whole joined text would hold a lower-cased
            # copy of the document and the automaton's UCS-4 copy of that (~6x the input)
            found = self.keyword_lines
            iter_ = automaton.iter
            for i, line in enumerate(lines):
                if line.text:
                    for _, word in iter_(line.text.lower()):
                        seen = found.get(word)
                        if seen is None:
                            found[word] = [i]
                        elif seen[-1] != i:
                            seen.append(i)
        self.phrase_lines: dict[Rule, set[int]] = {}
        index, longest = ruleset.phrase_index
        if index:
            limit = longest + 8
            for i, line in enumerate(lines):
                text = line.text
                # an empty line has the empty key, which no phrase has: skip the call
                if text and len(text) <= limit:
                    for rule in index.get(phrase_key(text), ()):
                        self.phrase_lines.setdefault(rule, set()).add(i)


#: Answers remembered per document at most (about 200 bytes each): a one-line blob of
#: many MB has hundreds of thousands of sentences, and the memory is the input's size.
#: 5,000 keeps all the speed-up on the dev corpus; 50,000 took a 1.7 MB page of short
#: lines from 11.8x to 13.8x its size in peak memory.
_FOUND_MAX = 5_000


class _KeptProse(NamedTuple):
    where: list[int]  # the kept lines of prose, ascending
    upto: list[int]  # characters of kept prose up to and including each of them
    longest: int  # the longest of them (-1: none)
    first: int | None  # the first kept, non-blank line


class _Runs(NamedTuple):
    """The kept runs of prose: paragraphs with at most :data:`_RUN_GAP` other lines
    between them (a headline, a caption, a rule), in order."""

    firsts: list[int]  # each run's first line
    lasts: list[int]  # its last line
    chars: list[int]  # its characters of prose
    best_upto: list[int]  # the most characters of any run up to and including this one
    best_from: list[int]  # the run with the most characters from this one on


class _Doc:
    """One document's lines plus what the rules ask about them, computed once."""

    def __init__(self, ruleset: RuleSet, lines: list[Line], timeout: float | None, hits: list[Hit] | None,
                 index: KeywordIndex) -> None:
        self.ruleset = ruleset
        self.lines = lines
        self.timeout = timeout
        self.hits = hits
        self.index = index
        self.keyword_lines = index.keyword_lines
        self.phrase_lines = index.phrase_lines
        self._body: tuple[int, int] | None = None
        self._prose: list[bool] | None = index.prose
        self._tail: int | None = None
        self.weak_turn = False
        self.changes = 0  # runner calls that changed the lines
        self.kept_at: int | None = None  # ``changes`` when a weak rule last kept something
        # Bumped by every removal or edit. What the truncate guards ask of the whole
        # document (the prose above and below a line, the longest paragraph, the first
        # kept line) is remembered per version: a rule whose cut is refused on many
        # lines would otherwise rescan the document for each (quadratic).
        self.version = 0
        self._memo: tuple[int, list[bool], _KeptProse] | None = None
        self._runs: tuple[int, list[bool], _Runs] | None = None

    def active_rules(self) -> list[Rule]:
        """The rules that can fire at all: a keyword or phrase of theirs occurs, or they
        have none (in file order)."""
        # from the keywords found to their rules (a dict lookup per keyword found),
        # not from every rule to its keywords (a generator per rule)
        by_keyword = self.ruleset.rules_by_keyword
        active = set(self.phrase_lines)
        for kw in self.keyword_lines:
            active.update(by_keyword.get(kw, ()))
        return [rule for rule in self.ruleset.rules
                if rule in active or (rule.patterns and not rule.keywords)]

    def candidates(self, rule: Rule) -> Sequence[int]:
        """Lines where ``rule`` may fire, in order (the same list for every round on
        these lines: the keyword index does not change; callers do not modify it)."""
        cand = self.index.candidates.get(rule)
        if cand is None:
            cand = self.index.candidates[rule] = self._candidates(rule)
        return cand

    def _candidates(self, rule: Rule) -> Sequence[int]:
        if rule.patterns and not rule.keywords:
            return range(len(self.lines))  # every line, without a list of them per rule
        found = self.phrase_lines.get(rule)
        hits = [self.keyword_lines[kw] for kw in rule.keywords if kw in self.keyword_lines]
        if not hits:
            return sorted(found) if found else []
        merged = set(found) if found else set()
        for lines in hits:
            merged.update(lines)
        return sorted(merged)

    def guarded(self, rule: Rule, size: int, call: Callable[[float | None], _T]) -> _T:
        """``call(timeout)``: one pattern search over ``size`` characters, under the
        wall-clock guard (see GUARD_CHARS). Raises :class:`RuleTimeout` when it trips.
        A rule without regex patterns (``rule.bounded``: phrases and fixed texts) cannot
        backtrack and is not timed: on a slow or loaded machine its searches would
        otherwise use up the allowance of the patterns that share the document.

        What a rule matches never depends on the clock: patterns see at most
        ``rules.PATTERN_MAX_CHARS`` characters at a time, so their work is bounded by
        the input's size. The guard only stops a pattern that backtracks without end.
        """
        if self.timeout is None or rule.bounded:
            return call(None)
        index = self.index
        index.searched += size
        left = self.timeout * (1 + index.searched / GUARD_CHARS) - index.spent
        if left <= 0:
            raise RuleTimeout(rule, index.spent)
        started = monotonic()
        try:
            return call(min(left, _MAX_SEARCH_SECONDS))
        except TimeoutError:
            raise RuleTimeout(rule, index.spent + monotonic() - started) from None
        finally:
            index.spent += monotonic() - started

    def search(self, rule: Rule, text: str) -> bool | None:
        """True if ``rule`` matches ``text``, else None (remembered per document, see
        KeywordIndex.found)."""
        key = (rule, text)
        found = self.index.found.get(key)
        if found is None:
            found = self.guarded(rule, len(text), lambda timeout: rule.search(text, timeout)) is not None
            if len(self.index.found) < _FOUND_MAX:
                self.index.found[key] = found
        return found or None

    def prose(self) -> list[bool]:
        """Whether each line reads as prose (cached; edits inside lines reset it)."""
        if self._prose is None:
            # an empty line is no prose: skip the call (a third of the lines are empty)
            self._prose = self.index.prose = [bool(line.text) and is_prose(line.text) for line in self.lines]
        return self._prose

    def near_body(self, i: int) -> bool:
        """True if line ``i`` lies in the article body (first to last line of prose) or
        within two non-blank lines of it."""
        if self._body is None:
            flags = self.prose()
            lines = self.lines
            first = next((n for n, l in enumerate(lines) if flags[n] and not l.removed and not l.blank), None)
            if first is not None:  # widen by _MARGIN kept, non-blank lines each way
                last = next(n for n in range(len(lines) - 1, first - 1, -1)
                            if flags[n] and not lines[n].removed and not lines[n].blank)
                self._body = (self._widen(first, -1), self._widen(last, 1))
            else:
                self._body = (0, -1)
        return self._body[0] <= i <= self._body[1]

    def _widen(self, n: int, step: int) -> int:
        lines, edge, left = self.lines, n, _MARGIN
        n += step
        while left and 0 <= n < len(lines):
            if not lines[n].removed and not lines[n].blank:
                edge, left = n, left - 1
            n += step
        return edge

    def keeps(self, rule: Rule, a: int, b: int) -> bool:
        """A weak rule keeps (only flags) what lies in or next to the article body."""
        if rule.strength == "weak" and any(self.near_body(i) for i in range(a, b)):
            self.kept_at = self.changes
            if self.hits is not None:
                line = self.lines[a]
                self.hits.append(Hit(rule.id, "rule", "flag", line.start, self.lines[b - 1].end, line.text,
                                     f"{rule.reason} (kept: a weak rule does not remove in or next to the "
                                     "article body)"))
            return True
        return False

    def _kept_prose(self) -> _KeptProse:
        """The kept lines of prose as they are now (remembered until a line changes)."""
        flags = self.prose()
        known = self._memo
        if known is not None and known[0] == self.version and known[1] is flags:
            return known[2]
        where: list[int] = []
        upto: list[int] = []
        seen, best, longest = 0, 0, -1
        for i, (line, prose) in enumerate(zip(self.lines, flags)):
            if prose and not line.removed:
                seen += len(line.text)
                where.append(i)
                upto.append(seen)
                if len(line.text) > best:
                    best, longest = len(line.text), i
        first = next((i for i, l in enumerate(self.lines) if not l.blank and not l.removed), None)
        value = _KeptProse(where, upto, longest, first)
        self._memo = (self.version, flags, value)
        return value

    def runs(self) -> _Runs:
        """The kept runs of prose as they are now (remembered until a line changes)."""
        flags = self.prose()
        known = self._runs
        if known is not None and known[0] == self.version and known[1] is flags:
            return known[2]
        firsts: list[int] = []
        lasts: list[int] = []
        chars: list[int] = []
        gap = 0
        for i, (line, prose) in enumerate(zip(self.lines, flags)):
            if line.removed or line.blank:
                continue
            if not prose:
                gap += 1
                continue
            if firsts and gap <= _RUN_GAP:
                lasts[-1] = i
                chars[-1] += len(line.text)
            else:
                firsts.append(i)
                lasts.append(i)
                chars.append(len(line.text))
            gap = 0
        best_upto = list(itertools.accumulate(chars, max))
        best_from = [0] * len(chars)
        for k in range(len(chars) - 1, -1, -1):
            best_from[k] = k if k == len(chars) - 1 or chars[k] >= chars[best_from[k + 1]] else best_from[k + 1]
        value = _Runs(firsts, lasts, chars, best_upto, best_from)
        self._runs = (self.version, flags, value)
        return value

    def longest_prose(self) -> int:
        """Index of the longest line of prose still kept (-1 if none)."""
        return self._kept_prose().longest

    def prose_before(self, a: int) -> int:
        """Characters of kept prose above line ``a``."""
        kept = self._kept_prose()
        k = bisect_left(kept.where, a)
        return kept.upto[k - 1] if k else 0

    def prose_total(self) -> int:
        """Characters of kept prose in the document."""
        upto = self._kept_prose().upto
        return upto[-1] if upto else 0

    def prose_after(self, b: int) -> bool:
        """True if a kept line of prose lies at or below line ``b``."""
        where = self._kept_prose().where
        return bool(where) and where[-1] >= b

    def first_kept(self) -> int | None:
        """Index of the first kept, non-blank line (None if none)."""
        return self._kept_prose().first

    def tail_start(self) -> int:
        """Where the tail starts (see _tail_start), computed once per stage: a tail cut
        only removes lines after it, so it stays put until other scopes remove lines."""
        if self._tail is None:
            self._tail = self._tail_start()
        return self._tail

    def _tail_start(self) -> int:
        """First line a tail rule may look at: after the article has started, that is
        once the prose seen so far reaches 150 characters (or half the document's prose,
        if it has less). A menu above the article never counts as its tail; a document
        without prose has no tail."""
        lines = self.lines
        prose = [(i, len(l.text)) for i, (l, p) in enumerate(zip(lines, self.prose())) if p and not l.removed]
        need = min(_TAIL_PROSE, sum(n for _, n in prose) / 2)
        seen = 0
        for i, n in prose:
            seen += n
            if seen >= need:
                return i + 1
        return len(lines)


def apply_rules(ruleset: RuleSet, lines: list[Line], timeout: float | None, hits: list[Hit] | None,
                index: KeywordIndex | None = None) -> KeywordIndex | None:
    """Run every rule of ``ruleset`` over ``lines`` (in place). Returns the keyword
    index, for another round over the same lines. Raises :class:`RuleTimeout` if a
    pattern trips the wall-clock guard (``timeout``; None: no guard)."""
    if not ruleset.rules or not lines:
        return index
    index = index or KeywordIndex(ruleset, lines)
    doc = _Doc(ruleset, lines, timeout, hits, index)
    # Weak rules judge "next to the article body" after the strong ones of their stage
    # have removed what they will: the same judgement a second clean() would make.
    active = sorted(doc.active_rules(), key=lambda rule: rule.strength == "weak")
    for _ in range(_MAX_ROUNDS):
        doc.kept_at = None
        _run_stages(doc, active)
        # A weak rule judged "next to the article body" on the lines of its stage; if a
        # later stage then removed or edited lines, the body may have moved: judge again.
        if doc.kept_at is None or doc.changes == doc.kept_at:
            break
        doc._body = doc._tail = None
    return index


# ----------------------------------------------------------------------------- scopes
_MAX_ROUNDS = 3
#: A tail cut may take the document's longest paragraph only below this much prose:
#: under a short article, a comment thread's longest comment outgrows the article's.
_CUT_ARTICLE_CHARS = 1000
_BARE_WORDS = 3  # a marker of at most this many words ("18 Comments", "Leave a Reply") is bare


def _run_stages(doc: _Doc, active: list[Rule]) -> None:
    """Run every stage once, in order; the final tail stage only if lines changed."""
    start = doc.changes
    for n, stage in enumerate(_STAGES):
        if n == len(_STAGES) - 1 and doc.changes == start:
            return
        doc._tail = None
        for rule in active:  # strong rules first, then weak ones
            if rule.scope != stage:
                continue
            if rule.strength == "weak" and doc._body is not None and not doc.weak_turn:
                doc._body = None
            doc.weak_turn = rule.strength == "weak"
            cand = doc.candidates(rule)
            if cand:
                doc.changes += _RUNNERS[stage](rule, doc, cand)


def _fits(rule: Rule, text: str) -> bool:
    """``len(text.strip()) <= rule.max_chars``, without a copy of a long line (only a
    line with a space at either end can be shorter stripped)."""
    most = rule.max_chars
    return not most or len(text) <= most or ((text[0].isspace() or text[-1].isspace())
                                             and len(text.strip()) <= most)


def _run_inline(rule: Rule, doc: _Doc, cand: list[int]) -> bool:
    changed = False
    for i in cand:
        line = doc.lines[i]
        if line.removed or line.blank or not _fits(rule, line.text):
            continue
        if doc.search(rule, line.text) is None:
            continue
        if rule.action == "flag":
            _flag(rule, line, doc.hits)
            continue
        if doc.keeps(rule, i, i + 1):
            continue
        changed |= _replace(rule, line, "" if rule.action == "drop" else rule.replacement, doc, per_match=True)
    return changed


def _run_line(rule: Rule, doc: _Doc, cand: list[int], first: int = 0, last: int | None = None) -> bool:
    lines = doc.lines
    changed = False
    for i in cand:
        if i < first or (last is not None and i >= last):
            continue
        line = lines[i]
        if line.removed or line.blank or not _fits(rule, line.text):
            continue
        text = line.text
        if (text[0].isspace() or text[-1].isspace()) and _padded_line(rule, text):
            # a layout's indentation or padding (inscriptis, a text node's spaces) is no
            # part of the line: "      Advertisement   " is the marker line itself
            text = text.strip()
        if doc.search(rule, text) is None:
            continue
        if _act(rule, doc, i, i + 1):
            changed = True
            if rule.action == "truncate":
                break
    return changed


def _padded_line(rule: Rule, text: str) -> bool:
    """Is this indented or padded line judged as its text alone? Not when it goes on
    in lower case ("      categories: Time Attack, ...": a wrapped sentence's piece),
    nor for a cut of the page's last lines (``guard = "footer"``), where a dump's
    indented boxes are the page's, not the article's."""
    head = text.lstrip()[:1]
    return bool(head) and not head.islower() and not (rule.action == "truncate" and rule.guard == "footer")


def _run_paragraph(rule: Rule, doc: _Doc, cand: list[int]) -> bool:
    wanted = set(cand)
    changed = False
    for a, b in blocks(doc.lines):
        if not wanted.intersection(range(a, b)):
            continue
        text = block_text(doc.lines, (a, b))
        if not _fits(rule, text) or doc.search(rule, text) is None:
            continue
        if _act(rule, doc, a, b):
            changed = True
            if rule.action == "truncate":
                break
    return changed


def _run_edge(rule: Rule, doc: _Doc, cand: Sequence[int]) -> bool:
    # Removing lines at an edge brings new lines into the window: repeat until stable,
    # so that a second clean() finds nothing more to do. Each round looks only at the
    # candidates inside the window, and the scan for the window's lines resumes where
    # the last one found a kept line (a removed or blank line stays so), so a page of
    # a thousand 'Skip to content' lines is not rescanned a thousand times.
    changed = False
    edge = 0 if rule.scope == "head" else len(doc.lines) - 1
    while True:
        if rule.scope == "head":
            kept, edge = _kept(doc.lines, rule.window, edge, 1)
            if not kept:
                return changed
            first, last = 0, kept[-1] + 1
        else:
            first, last = doc.tail_start(), None
            if rule.window:
                kept, edge = _kept(doc.lines, rule.window, edge, -1)
                if len(kept) == rule.window:
                    first = max(first, kept[0])
        lo = bisect_left(cand, first)
        hi = len(cand) if last is None else bisect_left(cand, last, lo)
        if not _run_line(rule, doc, cand[lo:hi] if lo or hi < len(cand) else cand, first, last):
            return changed
        changed = True


def _kept(lines: list[Line], count: int, start: int, step: int) -> tuple[list[int], int]:
    """Indexes of the first (``step`` 1, from ``start`` on) or last (``step`` -1, from
    ``start`` back) ``count`` kept, non-blank lines, in order; and the first of them
    in scan order, where the next scan may start."""
    found: list[int] = []
    i = start
    while 0 <= i < len(lines) and len(found) < count:
        if not lines[i].removed and not lines[i].blank:
            found.append(i)
        i += step
    return sorted(found), found[0] if found else start


_RUNNERS = {"inline": _run_inline, "line": _run_line, "paragraph": _run_paragraph,
            "head": _run_edge, "tail": _run_edge}


# ----------------------------------------------------------------------------- actions
def _act(rule: Rule, doc: _Doc, a: int, b: int) -> bool:
    """Apply ``rule.action`` to lines ``a..b``; False if nothing changed (flag, guard)."""
    lines = doc.lines
    if rule.action == "flag":
        for line in lines[a:b]:
            _flag(rule, line, doc.hits)
        return False
    if doc.keeps(rule, a, b):
        return False
    if lines[a].soft and doc.prose()[a] and _blob_goes_on(lines, a):
        # a blob's piece that ends like a sentence may carry one after the match; if
        # the pieces after it go later, it ends the blob: judge it again then
        doc.kept_at = doc.changes
        return False
    if rule.action == "replace":
        changed = False
        for line in lines[a:b]:
            changed |= _replace(rule, line, rule.replacement, doc, per_match=False)
        return changed
    if rule.action == "truncate":
        if rule.guard == "list" and doc.prose_after(b):
            return False
        if (rule.guard != "footer" and doc.longest_prose() >= a and doc.prose_before(a) < _CUT_ARTICLE_CHARS
                and len(lines[a].text.split()) <= _BARE_WORDS):
            # a bare marker never takes the longest paragraph of a short article: that
            # is the article ("{ 38 comments… read them below or add one }" says what follows)
            return False
        if _under_title(lines, a, doc.first_kept()) or _under_dateline(lines, a):
            return False  # '11 Comments' in the article's header, under its headline, is a count
        if rule.guard != "footer" and _article_goes_on(doc, a):
            if doc.hits is not None:
                doc.hits.append(Hit(rule.id, "rule", "flag", lines[a].start, lines[a].end, lines[a].text,
                                    f"{rule.reason} (kept: the article's prose goes on under it, with no comment "
                                    "furniture to say it is a thread)"))
            return False
        if lines[a].text[:1].isspace() and _over_the_article(doc, a):  # (a matched line is not blank)
            if doc.hits is not None:
                doc.hits.append(Hit(rule.id, "rule", "flag", lines[a].start, lines[a].end, lines[a].text,
                                    f"{rule.reason} (kept: an indented marker with half the prose or the longest "
                                    "run of it under it, and no comment furniture after it: a share bar's or a "
                                    "sidebar's)"))
            return False
        if rule.guard != "footer" and _article_below(doc, a):
            if doc.hits is not None:
                doc.hits.append(Hit(rule.id, "rule", "flag", lines[a].start, lines[a].end, lines[a].text,
                                    f"{rule.reason} (kept: the longest run of prose comes under it, headed by "
                                    "the page title's repeat: the article, not a thread)"))
            return False
        b = len(lines)
    # by index: islice(lines, a, b) walks lines[0:a] first, which made a page of many
    # dropped short lines quadratic (400k lines: 80 s); a tail cut: no copy of lines[a:]
    removed = [i for i in range(a, b) if not lines[i].removed]
    if not removed:
        return False
    for i in removed:
        lines[i].removed = True
    doc.version += 1
    if doc.hits is not None:  # the span's text, lines an earlier hit removed inside it included
        first, last = removed[0], removed[-1]
        doc.hits.append(Hit(rule.id, "rule", rule.action, lines[first].start, lines[last].end,
                            span_text(lines, first, last + 1), rule.reason))
    return True


#: Under a marker that would cut three times the prose it leaves, the article goes on
#: when _LONG_PARAGRAPHS paragraphs of _LONG_PROSE characters or more come in its next
#: _LOOK_LINES kept lines, and no comment furniture ("Reply", "X says:", a dated
#: author line) shows up there: a share bar's "Comments" under the lede, not a thread
#: of short comments ("Stunning photo!", "xoxo from rome").
_CUT_RATIO = 3
_LONG_PROSE = 250
_LONG_PARAGRAPHS = 2
_LOOK_LINES = 15


def _article_goes_on(doc: _Doc, a: int) -> bool:
    """Does the article go on under line ``a``, a bare marker ("Comments", "38
    Comments", "Leave a Reply": three words at most; a sentence such as "20 comments…
    read them below or add one" says what follows itself)?"""
    lines, prose = doc.lines, doc.prose()
    if len(lines[a].text.split()) > _BARE_WORDS:
        return False
    above = doc.prose_before(a)
    below = doc.prose_total() - above - (len(lines[a].text) if prose[a] and not lines[a].removed else 0)
    if below <= _CUT_RATIO * above:
        return False
    seen = long = 0
    for i in range(a + 1, len(lines)):
        line = lines[i]
        if line.removed or line.blank:
            continue
        if is_comment_furniture(line.text):
            return False
        if prose[i] and len(line.text) >= _LONG_PROSE:
            long += 1
        seen += 1
        if seen >= _LOOK_LINES:
            break
    return long >= _LONG_PARAGRAPHS


#: Paragraphs with at most this many other kept lines between them are one run of
#: prose (a subheading, a caption and its credit); a teaser's headline, source and
#: comment count between two teasers make more.
_RUN_GAP = 2
#: The page title's repeat stands at most this many kept lines above the article
#: (byline, date, counts, a gallery's captions between).
_TITLE_OVER_RUN = 12
_TITLE_OVER_RUN_LINES = 2000  # lines, blank and removed ones included: the scan stays bounded


def _article_below(doc: _Doc, a: int) -> bool:
    """Is the article under line ``a``: the longest run of prose on the page comes
    below it, longer than any above, and the page's title (the first kept line)
    repeats in the few lines over that run? A page dump whose sidebar of teasers ends
    in "Join the Conversation" above the article, which a cut there would take whole."""
    runs = doc.runs()
    below = bisect_left(runs.firsts, a + 1)
    if below == len(runs.firsts):
        return False
    best = runs.best_from[below]
    above = bisect_left(runs.lasts, a) - 1
    if above >= 0 and runs.best_upto[above] >= runs.chars[best]:
        return False
    first = doc.first_kept()
    lines, start = doc.lines, runs.firsts[best]
    seen = 0
    for i in range(start - 1, max(a, start - _TITLE_OVER_RUN_LINES), -1):
        if lines[i].removed or lines[i].blank:
            continue
        if _under_title(lines, i + 1, first, reach=1):
            return True
        seen += 1
        if seen == _TITLE_OVER_RUN:
            break
    return False


def _over_the_article(doc: _Doc, a: int) -> bool:
    """Is the indented marker at line ``a`` over the article rather than under it: less
    than half the prose above it, or the longest run of prose under it, longer than all
    the prose above (or three times that prose in all, where a dump broke the runs up),
    and no comment furniture in the next :data:`_LOOK_LINES` kept lines? An indented
    "Comments" or "+ Add your comment" in a page dump's share bar, which a cut there
    would take the article with."""
    lines, seen = doc.lines, 0
    for i in range(a + 1, len(lines)):
        line = lines[i]
        if line.removed or line.blank:
            continue
        if is_comment_furniture(line.text.strip()):
            return False
        seen += 1
        if seen >= _LOOK_LINES:
            break
    above, total = doc.prose_before(a), doc.prose_total()
    if above < 0.5 * total:
        return True
    runs = doc.runs()
    below = bisect_left(runs.firsts, a + 1)
    return below < len(runs.firsts) and (runs.chars[runs.best_from[below]] > above
                                         or total - above > _CUT_RATIO * above)


def _blob_goes_on(lines: list[Line], a: int) -> bool:
    """Is a piece of the one-line blob that line ``a`` belongs to still kept after it?
    (The blob's last piece is the first one that is not ``soft``.)"""
    for i in range(a + 1, len(lines)):
        line = lines[i]
        if not line.removed:
            return True
        if not line.soft:
            return False
    return False


def _under_title(lines: list[Line], a: int, first: int | None, reach: int = 6) -> bool:
    """True if one of the ``reach`` kept lines above line ``a`` repeats the document's
    first line ``first`` (the page title, as page dumps start): ``a`` is then in the
    article's header, where a comment count or 'Related' link is not the start of a tail."""
    if first is None or first >= a:
        return False
    title = set(words(lines[first].text))
    if len(title) < 3 or lines[first].text.lstrip()[:3].lower() == "by ":
        return False  # (a byline first, "BY LAURA MECKLER", is no title: it repeats over a second copy)
    seen = 0
    for i in range(a - 1, first, -1):
        line = lines[i]
        if line.blank or line.removed:
            continue
        mine = set(words(line.text))
        if len(mine) >= 3 and len(mine & title) >= 0.8 * max(len(mine), len(title)):
            return True
        seen += 1
        if seen == reach:
            break
    return False


def _flag(rule: Rule, line: Line, hits: list[Hit] | None) -> None:
    if hits is not None:
        hits.append(Hit(rule.id, "rule", "flag", line.start, line.end, line.text, rule.reason))


def _replace(rule: Rule, line: Line, repl: str, doc: _Doc, per_match: bool) -> bool:
    """Substitute every match in the line; a line left blank is removed."""
    text = line.text
    new, spans = doc.guarded(rule, len(text), lambda timeout: _substitute(rule, text, repl, timeout))
    if new == line.text:
        return False
    new = new.rstrip()
    if doc.hits is not None:
        if per_match:
            for a, b, old, rep in spans:
                start, end = (line.start + a, line.start + b) if not line.edited else (line.start, line.end)
                doc.hits.append(Hit(rule.id, "rule", "replace" if rep.strip() else "drop", start, end, old,
                                    rule.reason, rep.strip() or None))
        else:
            doc.hits.append(Hit(rule.id, "rule", "replace", line.start, line.end, line.text, rule.reason, new))
    line.text = new
    line.edited = True
    line.removed = line.blank
    doc.version += 1
    doc._prose = doc.index.prose = None
    return True


def _substitute(rule: Rule, text: str, repl: str, timeout) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Replace every match. A removal also takes one space at its seam, so neither a
    double space nor a space before punctuation is left behind; a removal between two
    word characters leaves one space ('Boston(Photo: AP)spoke' -> 'Boston spoke')."""
    spans: list[tuple[int, int, str, str]] = []
    for pattern in rule.patterns:
        out, pos, last = [], 0, ""  # last: the last character written so far
        for m in pattern.finditer(text, timeout=timeout):
            a, b = m.span()
            if a == b:
                continue
            rep = m.expand(repl) if repl else ""
            if a > pos:
                last = text[a - 1]
            if not rep:
                if last.isalnum() and b < len(text) and text[b].isalnum():
                    rep = " "
                elif a > pos and last == " " and (b == len(text) or text[b] in " ,.;:!?)"):
                    a -= 1
                elif a == pos and b < len(text) and text[b] == " ":
                    b += 1
            spans.append((a, b, text[a:b], rep))
            out.append(text[pos:a])
            out.append(rep)
            last = rep[-1:] or (text[a - 1:a] if a > pos else last)
            pos = b
        if out:
            out.append(text[pos:])
            text = "".join(out)
    return text, spans


# "Associated Press December 2, 2016" / "Posted 07.20.2012": a dateline, as articles
# head themselves with (a footer's "Posted by X at 10:15 AM" has a time, not a date)
_DATELINE = regex.compile(rf"(?i){DATE_PATTERN}|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|"
                          rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:at\s+)?\d{{1,2}}:\d{{2}}")
_POSTED_BY = regex.compile(r"(?i)^\W{0,3}(?:posted\s+)?by\b")
_HEADER_LINES = 3  # a count in the article's header stands this close to its date or byline


_GLUED = regex.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def _plain(text: str) -> str:
    """A short line as read: Markdown links as their text, and the words a converter
    glued together at a link's end apart ("[Associated Press](http://ap.org/)December
    2, 2016", or "Associated PressDecember 2, 2016" once the link syntax is gone)."""
    return _GLUED.sub(" ", signal_text(text)[0] if "](" in text else text)


def _under_dateline(lines: list[Line], a: int) -> bool:
    """True if line ``a`` is a count ("11 Comments", not "18 comments:", which heads
    Blogger's threads) with the article header's date or byline next to it: a short
    dateline ("Associated Press December 2, 2016", "July 12th, 4:01pm", "07-20-2012")
    among the three kept lines above it, or "Posted by" / "By X" right under it."""
    text = lines[a].text.strip()
    if text.endswith(":") or not text[:1].isdigit():
        return False  # a header shows a count: a bare "Comments" under a post's date heads its thread
    seen = 0
    for i in range(a - 1, -1, -1):
        line = lines[i]
        if line.blank or line.removed:
            continue
        text = _plain(line.text.strip())  # (a layout's padding is no part of the line)
        if len(text) <= 80 and _DATELINE.search(text):
            return True
        seen += 1
        if seen == _HEADER_LINES:
            break
    for i in range(a + 1, len(lines)):
        line = lines[i]
        if line.blank or line.removed:
            continue
        text = line.text.strip()
        return len(text) <= 80 and bool(_POSTED_BY.match(text))
    return False
