"""What a run tells the user: per-file reports, --explain lines, diffs, --stats, the summary.

Data (:class:`Tally`, :class:`FileReport`, :class:`Summary`) and formatting live here;
:class:`Reporter` is the only thing that writes to the terminal, and owns the
optional tqdm progress bar so that messages and the bar do not overwrite each other.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from .model import Hit

__all__ = ["FileReport", "Reporter", "Summary", "Tally", "explain_lines", "hit_lines", "removed_chars", "stats_key", "stats_table", "text_diff"]

_CLIP = 120


def stats_key(hit: Hit) -> str:
    """What ``--stats`` counts a hit under: the family for rules (``read_more``), the
    whole id for fixes and heuristics (``fix.encoding``, ``heuristic.article``)."""
    return hit.family if hit.kind == "rule" else hit.id


def removed_chars(hits: Sequence[Hit]) -> list[int]:
    """Characters of the input each hit took away, each character counted once.

    A removal's span can hold what narrower removals took first (a tail cut over an
    "Advertisement" line a rule dropped, the article heuristic's run over a menu
    line): a character counts for the narrowest removal that covers it. A
    replacement counts what it shortened the text by; a flag counts nothing. Spans
    after an HTML extraction refer to the extracted text and are counted apart.

    >>> removed_chars([Hit("a.b", "rule", "truncate", 0, 10, "x" * 10, ""), Hit("c.d", "rule", "drop", 2, 5, "xxx", "")])
    [7, 3]
    """
    credit = [0] * len(hits)
    phases: list[list[int]] = [[]]
    for i, hit in enumerate(hits):
        if hit.action in ("drop", "truncate"):
            phases[-1].append(i)
        elif hit.action == "replace":
            credit[i] = max(0, len(hit.removed) - len(hit.replacement or ""))
        if hit.id == "heuristic.html" and hit.replacement is not None:
            phases.append([])
    for removals in phases:
        covered: list[tuple[int, int]] = []  # disjoint, sorted
        for i in sorted(removals, key=lambda i: (hits[i].end - hits[i].start, i)):
            a, b = hits[i].start, hits[i].end
            overlap = sum(max(0, min(b, y) - max(a, x)) for x, y in covered)
            # an edit inside a line a fix changed spans the whole line: count its text
            credit[i] = max(0, min(b - a, len(hits[i].removed)) - overlap)
            covered = _merge(covered, a, b)
    return credit


def _merge(spans: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for x, y in spans:
        if y < a or x > b:
            out.append((x, y))
        else:
            a, b = min(a, x), max(b, y)
    out.append((a, b))
    return sorted(out)


#: The columns of one --stats row: documents with such a hit, hits, and the hits by
#: what they did, then the characters they removed (see removed_chars).
STAT_COLUMNS = ("docs", "hits", "removed", "replaced", "flagged", "chars")
_ACTION_COLUMN = {"drop": 2, "truncate": 2, "replace": 3, "flag": 4}


@dataclass
class Tally:
    """Counts that add up over documents, files and the whole run.

    ``rows`` holds one list of :data:`STAT_COLUMNS` counts per rule family (or fix or
    heuristic id, see :func:`stats_key`), ``rule_rows`` the same per hit id.
    """

    records: int = 0
    records_changed: int = 0
    missing_field: int = 0
    lines_removed: int = 0
    bytes_removed: int = 0
    documents: int = 0
    documents_changed: int = 0
    documents_hit: int = 0
    html_pages: int = 0
    # documents passed through uncleaned: over max_document_chars, stopped by the
    # regex_timeout guard, JSONL lines that are no JSON object
    too_large: int = 0
    timed_out: int = 0
    invalid: int = 0
    rows: dict[str, list[int]] = field(default_factory=dict)
    rule_rows: dict[str, list[int]] = field(default_factory=dict)

    @property
    def passed_through(self) -> int:
        return self.too_large + self.timed_out + self.invalid

    def add_document(self, old: str, new: str, hits: Sequence[Hit], passed_through: str | None = None) -> None:
        self.documents += 1
        if passed_through == "too-large":
            self.too_large += 1
        elif passed_through == "timed-out":
            self.timed_out += 1
        if old != new:
            self.documents_changed += 1
            # (an HTML page's text can have more lines than its markup: never "-1 lines removed")
            self.lines_removed += max(0, old.count("\n") - new.count("\n"))
            self.bytes_removed += max(0, len(old.encode("utf-8", "surrogatepass"))
                                      - len(new.encode("utf-8", "surrogatepass")))
        if not hits:
            return
        self.documents_hit += 1
        self.html_pages += any(h.id == "heuristic.html" and h.replacement is not None for h in hits)
        for hit, chars in zip(hits, removed_chars(hits)):
            for table, key in ((self.rows, stats_key(hit)), (self.rule_rows, hit.id)):
                row = table.setdefault(key, [0] * len(STAT_COLUMNS))
                row[1] += 1
                row[_ACTION_COLUMN.get(hit.action, 4)] += 1
                row[5] += chars
        for table, keys in ((self.rows, {stats_key(h) for h in hits}), (self.rule_rows, {h.id for h in hits})):
            for key in keys:
                table[key][0] += 1  # documents: once per document, however many hits

    def add(self, other: Tally) -> None:
        for name in ("records", "records_changed", "missing_field", "lines_removed", "bytes_removed",
                     "documents", "documents_changed", "documents_hit", "html_pages",
                     "too_large", "timed_out", "invalid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.rows, other.rows), (self.rule_rows, other.rule_rows)):
            for key, row in theirs.items():
                total = mine.setdefault(key, [0] * len(STAT_COLUMNS))
                for n, value in enumerate(row):
                    total[n] += value

    def totals(self) -> list[int]:
        """The sum of the rows, column by column; ``docs`` is the documents with any hit
        (one document can count in several rows)."""
        total = [sum(row[n] for row in self.rows.values()) for n in range(len(STAT_COLUMNS))]
        total[0] = self.documents_hit
        return total


@dataclass
class FileReport:
    """How one file went. ``status`` is changed, unchanged, skipped or failed;
    ``problems`` are errors inside a file that was still processed (malformed records)."""

    path: str
    status: str = "unchanged"
    reason: str = ""
    traceback: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    #: review.DocReview of each document with hits (when review outputs are made)
    review: list[Any] = field(default_factory=list)
    #: where the file was written, when it went to an output folder
    wrote: str = ""
    #: the file held an HTML page, and its main text was taken
    page: bool = False


@dataclass
class Summary:
    """The whole run, for the summary line and the exit code."""

    seen: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    problems: int = 0
    tally: Tally = field(default_factory=Tally)

    def add(self, report: FileReport) -> None:
        self.seen += 1
        setattr(self, report.status, getattr(self, report.status) + 1)
        self.problems += len(report.problems)
        self.tally.add(report.tally)

    def line(self, mode: str) -> str:
        """One line: files seen/changed/unchanged/skipped/failed, lines and bytes removed."""
        verb = "cleaned" if mode == "fix" else "would be cleaned"
        files = "file" if self.changed == 1 else "files"
        parts = [f"{self.changed:,} {files} {verb}", f"{self.unchanged:,} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped")
        parts.append(f"{self.failed:,} failed ({self.seen:,} seen)")
        text = ", ".join(parts)
        t = self.tally
        if t.records:
            text += f"; {t.records:,} records, {t.records_changed:,} changed"
        if t.passed_through:
            kinds = [(t.too_large, "too large"), (t.timed_out, "timed out"), (t.invalid, "invalid")]
            text += (f"; {t.passed_through:,} document{'s' if t.passed_through != 1 else ''} passed through "
                     f"unchanged ({', '.join(f'{n:,} {kind}' for n, kind in kinds if n)})")
        removed = "removed" if mode == "fix" else "to remove"
        return text + f"; {t.lines_removed:,} lines, {t.bytes_removed:,} bytes {removed}."


def _clip(text: str, full: bool) -> str:
    if full or len(text) <= _CLIP:
        return repr(text)
    return f"{text[:_CLIP]!r}… (+{len(text) - _CLIP} chars)"


def explain_lines(where: str, text: str, hits: Iterable[Hit], full: bool = False) -> list[str]:
    """One line per hit: ``where:LINE: id: action 'removed' (reason)``, in text order.

    ``where`` is ``path`` for a text file and ``path:LINE: field`` for a JSONL record,
    so the line number is always the line inside the cleaned text. Spans after an
    HTML extraction hit refer to the extracted text, and so do their line numbers.

    >>> from cleaner.model import Hit
    >>> explain_lines("a.txt", "Hi.\\nAdvertisement\\n", [Hit("ad.marker", "rule", "drop", 4, 17,
    ...     "Advertisement", "ad slot")])
    ["a.txt:2: ad.marker: drop 'Advertisement' (ad slot)"]
    """
    rows = []
    for order, (hit, (phase, line)) in enumerate(zip(hits, hit_lines(text, hits))):
        what = f"{hit.action} {_clip(hit.removed, full)}" if hit.removed else hit.action
        if hit.replacement is not None:
            what += f" -> {_clip(hit.replacement, full)}"
        rows.append(((phase, line, order), f"{where}:{line}: {hit.id}: {what} ({hit.reason})"))
    return [row for _, row in sorted(rows)]


def hit_lines(text: str, hits: Sequence[Hit]) -> list[tuple[int, int]]:
    """(phase, line) of each hit: the 1-based line its span starts on, in ``text`` or,
    after an HTML extraction (phase 1, 2, ...), in the text extracted.

    >>> hit_lines("a\\nb\\nc\\n", [Hit("x.y", "rule", "drop", 4, 5, "c", "")])
    [(0, 3)]
    """
    out = []
    base, phase, pos, line = text, 0, 0, 1
    for hit in hits:
        start = max(0, min(hit.start, len(base)))
        if start < pos:  # hits out of order: count from the top again
            pos, line = 0, 1
        line += base.count("\n", pos, start)
        pos = start
        out.append((phase, line))
        if hit.id == "heuristic.html" and hit.replacement is not None:
            base, phase, pos, line = hit.replacement, phase + 1, 0, 1
    return out


def _lines(text: str) -> list[str]:
    # Split on \n only: \r, \u2028 and friends stay inside their line.
    parts = [p + "\n" for p in text.split("\n")]
    parts[-1] = parts[-1][:-1]
    return parts if parts[-1] else parts[:-1]


def text_diff(name: str, old: str, new: str) -> str:
    """A unified diff, with git's marker for a missing final newline.

    >>> print(text_diff("a.txt", "Hi.\\nAdvertisement\\n", "Hi.\\n"), end="")  # doctest: +NORMALIZE_WHITESPACE
    --- a.txt	(original)
    +++ a.txt	(cleaned)
    @@ -1,2 +1 @@
     Hi.
    -Advertisement
    """
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), name, name, "(original)", "(cleaned)"):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def stats_table(tally: Tally, by_rule: bool = False) -> str:
    """Per rule family (or per hit id, ``by_rule``): documents, hits by action, and
    characters removed; then a total row, which is the sum of the rows (but for
    ``docs``: documents with any hit), and the documents seen and changed."""
    rows = tally.rule_rows if by_rule else tally.rows
    label = "rule" if by_rule else "family"
    width = max([len(label), len("total")] + [len(k) for k in rows])
    cells = [[f"{v:,}" for v in row] for row in rows.values()] + [[f"{v:,}" for v in tally.totals()]]
    widths = [max([len(c)] + [len(r[n]) for r in cells]) for n, c in enumerate(STAT_COLUMNS)]

    def line(name: str, values: Sequence[str]) -> str:
        return f"{name:<{width}}" + "".join(f"  {v:>{w}}" for v, w in zip(values, widths))

    out = [line(label, STAT_COLUMNS)]
    for key, row in sorted(rows.items(), key=lambda kv: (-kv[1][1], kv[0])):
        out.append(line(key, [f"{v:,}" for v in row]))
    out.append(line("total", cells[-1]))
    docs = f"{tally.documents:,} documents, {tally.documents_changed:,} changed, {tally.documents_hit:,} with a hit"
    if tally.html_pages:
        docs += f", {tally.html_pages:,} HTML pages extracted"
    return "\n".join(out) + f"\n{docs}\n"


class Reporter:
    """Prints per-file lines, explain/diff output, errors and the summary; drives the bar.

    Normal output (diffs, --explain, --stats) goes to ``out``; messages ("cleaned X",
    errors, the summary) go to ``err``, as black does, so ``--diff`` output can be piped.
    ``review`` (a :class:`cleaner.review.ReviewFiles`) receives each document's review
    parts in input order.
    """

    def __init__(self, mode: str, *, out: TextIO | None = None, err: TextIO | None = None, quiet: bool = False,
                 verbose: bool = False, debug: bool = False, progress: bool = True, review: Any = None,
                 progress_delay: float = 1.0) -> None:
        self.mode = mode
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet, self.verbose, self.debug = quiet, verbose, debug
        self.progress = progress and not quiet and _isatty(self.err)
        self.review = review
        self.progress_delay = progress_delay
        self._bar: Any = None

    def start(self, sizes: Sequence[int], records: bool = False) -> None:
        """Open a progress bar over files of ``sizes`` (by records if ``records``: some
        are JSONL); it appears after a second."""
        self._bar = self._start_bar(sizes, records)

    def _start_bar(self, sizes: Sequence[int], records: bool) -> Any:
        if not self.progress or not sizes or (not records and len(sizes) < 2):
            return None  # (one text file is done before a bar would show)
        from .progress import Progress

        return Progress(sizes, self.err, records=records, delay=self.progress_delay)

    def advance(self, records: int, nbytes: int) -> None:
        """A batch of records of the current file is cleaned (for the bar)."""
        if self._bar is not None:
            self._bar.advance(records, nbytes)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def write(self, text: str, stream: TextIO | None = None) -> None:
        """Write ``text`` (ending in a newline) without breaking the bar."""
        stream = stream or self.out
        if self._bar is not None:
            self._bar.clear()
            stream.write(text)
            stream.flush()
            self._bar.refresh()
        else:
            stream.write(text)

    def message(self, text: str) -> None:
        if not self.quiet:
            self.write(text + "\n", self.err)

    def error(self, text: str) -> None:
        self.write(f"cleaner: error: {text}\n", self.err)

    def stream(self, part: Any) -> None:
        """Explain lines, diff chunks and review parts of one file (or one batch of a
        big file): anything with ``explain``, ``diff`` and ``review`` lists."""
        if part.explain:
            self.write("".join(line + "\n" for line in part.explain))
        if part.diff:
            self.write("".join(part.diff))
        if part.review and self.review is not None:
            self.review.add(part.review)

    def file_done(self, report: FileReport, size: int = 0) -> None:
        self.stream(report)
        for problem in report.problems:
            self.error(problem)
        for note in report.notes:
            self.message(f"{report.path}: {note}")
        if report.status == "changed":
            if report.wrote:
                what = "the main text of the HTML page" if report.page else "cleaned"
                self.message(f"wrote {report.wrote} ({what} {report.path})")
            else:
                self.message(f"{'cleaned' if self.mode == 'fix' else 'would clean'} {report.path}")
        elif report.status == "unchanged" and report.wrote:
            self.message(f"wrote {report.wrote} (a copy: {report.path} needed no change)")
        elif report.status == "unchanged" and self.verbose:
            self.message(f"unchanged {report.path}")
        elif report.status == "skipped":
            self.message(f"skipped {report.path}: {report.reason}")
        elif report.status == "failed":
            self.error(f"{report.path}: {report.reason}")
            if self.debug and report.traceback:
                self.write(report.traceback, self.err)
        if self._bar is not None:
            self._bar.file_done(size, report.tally.records)

    def finish(self, summary: Summary, stats: bool) -> None:
        self.close()
        if stats:
            self.write(stats_table(summary.tally, by_rule=self.verbose))
        if self.review is not None:
            for path in self.review.finish(summary.tally, self.mode):
                self.message(f"wrote {path}")
        if not self.quiet:
            self.write(summary.line(self.mode) + "\n", self.err)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
