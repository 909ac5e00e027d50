"""What a run tells the user: per-file reports, --explain lines, diffs, --stats, the summary.

Data (:class:`Tally`, :class:`FileReport`, :class:`Summary`) and formatting live here;
:class:`Reporter` is the only thing that writes to the terminal, and owns the
optional tqdm progress bar so that messages and the bar do not overwrite each other.
"""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .model import Hit

__all__ = ["FileReport", "Reporter", "Summary", "Tally", "explain_lines", "stats_key", "text_diff"]

_CLIP = 120


def stats_key(hit: Hit) -> str:
    """What ``--stats`` counts a hit under: the family for rules (``read_more``), the
    whole id for fixes and heuristics (``fix.encoding``, ``heuristic.article``)."""
    return hit.family if hit.kind == "rule" else hit.id


def _chars_removed(hit: Hit) -> int:
    if hit.action in ("drop", "truncate"):
        return len(hit.removed)
    if hit.action == "replace":
        return max(0, len(hit.removed) - len(hit.replacement or ""))
    return 0


@dataclass
class Tally:
    """Counts that add up over documents, files and the whole run."""

    records: int = 0
    records_changed: int = 0
    missing_field: int = 0
    lines_removed: int = 0
    bytes_removed: int = 0
    # documents passed through uncleaned: over max_document_chars, stopped by the
    # regex_timeout guard, JSONL lines that are no JSON object
    too_large: int = 0
    timed_out: int = 0
    invalid: int = 0
    hits: Counter = field(default_factory=Counter)
    chars: Counter = field(default_factory=Counter)

    @property
    def passed_through(self) -> int:
        return self.too_large + self.timed_out + self.invalid

    def add_document(self, old: str, new: str, hits: Iterable[Hit], passed_through: str | None = None) -> None:
        if passed_through == "too-large":
            self.too_large += 1
        elif passed_through == "timed-out":
            self.timed_out += 1
        if old != new:
            self.lines_removed += old.count("\n") - new.count("\n")
            self.bytes_removed += (len(old.encode("utf-8", "surrogatepass"))
                                   - len(new.encode("utf-8", "surrogatepass")))
        for hit in hits:
            key = stats_key(hit)
            self.hits[key] += 1
            self.chars[key] += _chars_removed(hit)

    def add(self, other: Tally) -> None:
        self.records += other.records
        self.records_changed += other.records_changed
        self.missing_field += other.missing_field
        self.lines_removed += other.lines_removed
        self.bytes_removed += other.bytes_removed
        self.too_large += other.too_large
        self.timed_out += other.timed_out
        self.invalid += other.invalid
        self.hits.update(other.hits)
        self.chars.update(other.chars)


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
    base, phase = text, 0
    for order, hit in enumerate(hits):
        line = base.count("\n", 0, hit.start) + 1
        what = f"{hit.action} {_clip(hit.removed, full)}" if hit.removed else hit.action
        if hit.replacement is not None:
            what += f" -> {_clip(hit.replacement, full)}"
        rows.append(((phase, line, order), f"{where}:{line}: {hit.id}: {what} ({hit.reason})"))
        if hit.id == "heuristic.html" and hit.replacement is not None:
            base, phase = hit.replacement, phase + 1
    return [row for _, row in sorted(rows)]


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


def stats_table(tally: Tally) -> str:
    """Hits and characters removed per rule family (and per fix/heuristic id)."""
    width = max([len("family")] + [len(k) for k in tally.hits])
    rows = [f"{'family':<{width}}  {'hits':>8}  {'chars':>10}"]
    for key, count in sorted(tally.hits.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append(f"{key:<{width}}  {count:>8,}  {tally.chars[key]:>10,}")
    return "\n".join(rows) + "\n"


class Reporter:
    """Prints per-file lines, explain/diff output, errors and the summary; drives the bar.

    Normal output (diffs, --explain, --stats) goes to ``out``; messages ("cleaned X",
    errors, the summary) go to ``err``, as black does, so ``--diff`` output can be piped.
    """

    def __init__(self, mode: str, *, out: TextIO | None = None, err: TextIO | None = None, quiet: bool = False,
                 verbose: bool = False, debug: bool = False, progress: bool = True) -> None:
        self.mode = mode
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet, self.verbose, self.debug = quiet, verbose, debug
        self.progress = progress and not quiet and _isatty(self.err)
        self._bar: Any = None

    def start(self, total: int) -> None:
        """Open a progress bar (if wanted and tqdm is installed); it appears after 1 s."""
        self._bar = self._start_bar(total)

    def _start_bar(self, total: int) -> Any:
        if not self.progress or total < 2:
            return None
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is the optional cleaner[progress] extra
            return None
        return tqdm(total=total, unit="file", file=self.err, delay=1.0, leave=False, dynamic_ncols=True)

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

    def stream(self, explain: list[str], diff: list[str]) -> None:
        """Explain lines and diff chunks of one file (or one part of a big file)."""
        if explain:
            self.write("".join(line + "\n" for line in explain))
        if diff:
            self.write("".join(diff))

    def file_done(self, report: FileReport) -> None:
        self.stream(report.explain, report.diff)
        for problem in report.problems:
            self.error(problem)
        for note in report.notes:
            self.message(f"{report.path}: {note}")
        if report.status == "changed":
            self.message(f"{'cleaned' if self.mode == 'fix' else 'would clean'} {report.path}")
        elif report.status == "unchanged" and self.verbose:
            self.message(f"unchanged {report.path}")
        elif report.status == "skipped":
            self.message(f"skipped {report.path}: {report.reason}")
        elif report.status == "failed":
            self.error(f"{report.path}: {report.reason}")
            if self.debug and report.traceback:
                self.write(report.traceback, self.err)
        if self._bar is not None:
            self._bar.update(1)

    def finish(self, summary: Summary, stats: bool) -> None:
        self.close()
        if stats:
            self.write(stats_table(summary.tally))
        if not self.quiet:
            self.write(summary.line(self.mode) + "\n", self.err)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
