"""fix / check / diff over many files: one file per task in a process pool, big JSONL
files in chunks of records, results reported in input order, the exit code.

Output does not depend on ``jobs``: reports are printed in the order the files were
found, and a file is written by exactly one process, through :class:`AtomicFile`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from .config import Config
from .core import clean_document
from .corpus import (
    AtomicFile,
    BinaryFile,
    CorpusError,
    SourceFile,
    copy_file,
    encode_text,
    find_stale_temps,
    open_lines,
    read_text,
)
from .heuristics import looks_like_html
from .model import Hit
from .records import MalformedRecord, parse_record, split_eol
from .report import FileReport, Reporter, Summary, Tally, explain_lines, text_diff
from .review import ReviewWants, review_document
from .workers import init_worker

__all__ = [
    "EXIT_CHANGED",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "Job",
    "clean_lines",
    "exit_code",
    "process_file",
    "clean_text",
    "process_files",
    "run",
]

#: Nothing needed changing.
EXIT_OK = 0
#: At least one file was changed (or, with --check / --diff, would be).
EXIT_CHANGED = 1
#: Usage, config or rule error, or a file (or a record in it) that could not be processed.
EXIT_ERROR = 2
#: Stopped by Ctrl-C; every file is either as it was or fully cleaned.
EXIT_INTERRUPTED = 130

_BOM = b"\xef\xbb\xbf"
#: Below this much input a pool costs more than it saves (spawning workers and loading
#: the rules in each takes about a second; cleaning runs at 1-2 MB/s per core).
POOL_MIN_BYTES = 1 << 20


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to process a file (picklable)."""

    config: Config
    mode: str = "fix"  # fix | check | diff
    output_dir: str | None = None
    text_field: str = "text"
    explain: bool = False
    stats: bool = False
    full_explain: bool = False
    debug: bool = False
    #: JSONL lines are cleaned in batches of about this many bytes; with a pool, a JSONL
    #: file bigger than a few batches is split over the workers batch by batch.
    chunk_bytes: int = 1 << 20
    #: which of hits.jsonl, the HTML page and the removed-text file to feed
    review: ReviewWants = ReviewWants()
    #: take HTML pages (else skipped): their main text goes to the output folder or stdout
    html_pages: bool = False
    #: the JSONL field that names a record in the review outputs
    id_field: str = "id"

    def target(self, src: SourceFile) -> str:
        """Where the cleaned version of ``src`` goes."""
        return os.path.join(self.output_dir, src.rel) if self.output_dir else src.real

    @property
    def wants_hits(self) -> bool:
        return self.explain or self.stats or bool(self.review)


class NotCleaned(Exception):
    """A file cleaner leaves alone by design (an HTML page without ``--html``): skipped."""


#: File names that hold HTML pages, whatever their content looks like.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _is_page(path: str, text: str) -> bool:
    return path.lower().endswith(HTML_SUFFIXES) or looks_like_html(text)


def text_target(path: str) -> str:
    """Where the text of an HTML page goes in an output folder: ``a.html`` -> ``a.html.txt``
    (a ``.txt`` that held a page keeps its name)."""
    return path if path.endswith(".txt") else path + ".txt"


def exit_code(summary: Summary) -> int:
    """2 if anything failed (a file, or a document passed through uncleaned), else 1 if
    anything changed (or would), else 0."""
    if summary.failed or summary.problems or summary.tally.passed_through:
        return EXIT_ERROR
    return EXIT_CHANGED if summary.changed else EXIT_OK


def _clean_document(text: str, job: Job, tally: Tally) -> tuple[str, Sequence[Hit], str]:
    """The cleaned text, its hits, and why it was passed through uncleaned ("" if not)."""
    result = clean_document(text, job.config, explain=job.wants_hits)
    tally.add_document(text, result.text, result.hits, result.passed_through)
    return result.text, result.hits, result.problem


def _record_id(body: bytes, field: str) -> Any:
    """The record's ``field`` value for the review outputs (None when it has none)."""
    try:
        value = json.loads(body).get(field)
    except (ValueError, AttributeError, RecursionError):
        return None
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


@dataclass
class Batch:
    """Cleaned lines of one batch of JSONL records, and what to report about them."""

    out: list[bytes]
    tally: Tally
    problems: list[str]
    explain: list[str]
    diff: list[str]
    review: list[Any]
    nbytes: int = 0  # of the lines read


def clean_lines(lines: list[bytes], first_lineno: int, path: str, job: Job) -> Batch:
    """Clean the text field of each JSONL line. Other bytes are kept; a line whose text
    does not change, a blank line and a malformed line come back exactly as read."""
    batch = Batch([], Tally(), [], [], [], [], sum(len(line) for line in lines))
    for lineno, raw in enumerate(lines, first_lineno):
        new = _clean_line(raw, lineno, path, job, batch)
        if job.mode == "fix":
            batch.out.append(raw if new is None else new)
    return batch


def _clean_line(raw: bytes, lineno: int, path: str, job: Job, batch: Batch) -> bytes | None:
    prefix = _BOM if lineno == 1 and raw.startswith(_BOM) else b""
    body, eol = split_eol(raw[len(prefix):])
    if not body.strip():
        return None
    try:
        record = parse_record(body.decode("utf-8"), job.text_field)
    except (UnicodeDecodeError, MalformedRecord) as exc:
        why = (f"not valid UTF-8 at byte offset {exc.start} of the line" if isinstance(exc, UnicodeDecodeError)
               else str(exc))
        batch.problems.append(f"{path}:{lineno}: malformed record kept as is: {why}")
        batch.tally.invalid += 1
        return None
    batch.tally.records += 1
    if record.text is None:
        batch.tally.missing_field += 1
        return None
    text, hits, problem = _clean_document(record.text, job, batch.tally)
    if problem:
        batch.problems.append(f"{path}:{lineno}: {job.text_field}: {problem}")
    if job.explain:
        batch.explain.extend(explain_lines(f"{path}:{lineno}: {job.text_field}", record.text, hits,
                                           job.full_explain))
    if job.review and hits:
        batch.review.append(review_document(job.review, path, lineno, _record_id(body, job.id_field),
                                            record.text, hits))
    if text == record.text:
        return None
    batch.tally.records_changed += 1
    if job.mode == "diff":
        batch.diff.append(text_diff(f"{path}:{lineno}:{job.text_field}", record.text, text))
    return prefix + record.with_text(text).encode("utf-8") + eol


def _batches(lines: Iterable[bytes], size: int) -> Iterator[tuple[int, list[bytes]]]:
    batch: list[bytes] = []
    first, used = 1, 0
    for lineno, line in enumerate(lines, 1):
        batch.append(line)
        used += len(line)
        if used >= size:
            yield first, batch
            batch, first, used = [], lineno + 1, 0
    if batch:
        yield first, batch


class _Done:
    """A finished result with a Future's ``result()``: batches run inline without a pool."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def clean_text(path: str, text: str, job: Job, report: FileReport) -> str:
    """Clean one text document into ``report`` (counts, explain lines, review, diff,
    status) and return the new text. Raises :class:`NotCleaned` for an HTML page
    without ``job.html_pages``. A document passed through uncleaned (too large, timed
    out) makes the report ``failed``, with the reason, and comes back as it was."""
    page = _is_page(path, text)
    if page and not job.html_pages:
        raise NotCleaned("an HTML page, not text (--html with --output-dir DIR writes its main text to DIR)")
    new, hits, problem = _clean_document(text, job, report.tally)
    if problem:
        report.status, report.reason = "failed", problem
    if job.explain:
        report.explain = explain_lines(path, text, hits, job.full_explain)
    if job.review and hits:
        report.review.append(review_document(job.review, path, None, None, text, hits))
    if page:
        report.page = True
    if new != text:
        report.status = "changed"
        if job.mode == "diff":
            report.diff.append(text_diff(path, text, new))
    return new


def _process_text(src: SourceFile, job: Job, report: FileReport) -> None:
    bom, text = read_text(src.real)
    new = clean_text(src.path, text, job, report)
    if job.mode != "fix":
        return
    target = job.target(src)
    if report.page:
        if not job.output_dir:  # the command refuses this before any file is read
            raise CorpusError("an HTML page is never overwritten with text: give --output-dir DIR")
        target = text_target(target)
    if new == text and not report.page:
        if job.output_dir:
            copy_file(src.real, target)
            report.wrote = target
        return
    with AtomicFile(target, mode_of=src.real) as out:
        out.write(encode_text(bom, new))
        report.notes += out.commit()
    if job.output_dir:
        report.wrote = target


def _process_jsonl(src: SourceFile, job: Job, report: FileReport, submit: Callable[..., Any] | None = None,
                   window: int = 1, emit: Callable[[Batch], None] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> None:
    writer = AtomicFile(job.target(src), mode_of=src.real, compression=src.compression) \
        if job.mode == "fix" else None
    pending: deque[Any] = deque()

    def consume(batch: Batch) -> None:
        report.tally.add(batch.tally)
        report.problems.extend(batch.problems)
        if emit:
            emit(batch)
        else:
            report.explain.extend(batch.explain)
            report.diff.extend(batch.diff)
            report.review.extend(batch.review)
        if writer:
            for line in batch.out:
                writer.write(line)
        if progress:  # a compressed file's bytes on disk are not the lines' bytes: counted at its end
            progress(batch.tally.records, 0 if src.compression else batch.nbytes)

    try:
        with open_lines(src.real, src.compression) as lines:
            for first, lines_ in _batches(lines, job.chunk_bytes):
                args = (lines_, first, src.path, job)
                pending.append(submit(clean_lines, *args) if submit else _Done(clean_lines(*args)))
                while len(pending) >= window:
                    consume(pending.popleft().result())
            while pending:
                consume(pending.popleft().result())
        if report.tally.records_changed:
            report.status = "changed"
        if writer and report.tally.records_changed:
            report.notes += writer.commit()
            if job.output_dir:
                report.wrote = job.target(src)
        elif writer:
            writer.discard()
            if job.output_dir:
                copy_file(src.real, job.target(src))
                report.wrote = job.target(src)
    finally:
        for future in pending:
            if isinstance(future, Future):
                future.cancel()
        if writer:
            writer.discard()
    t = report.tally
    if t.records and t.missing_field == t.records:
        report.notes.append(f"no record has a string field {job.text_field!r}; nothing cleaned")


def process_file(src: SourceFile, job: Job, submit: Callable[..., Any] | None = None, window: int = 1,
                 emit: Callable[[Batch], None] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> FileReport:
    """Clean one file as ``job`` says. Never raises for a file problem: the report says
    ``failed`` (or ``skipped`` for a binary file or an HTML page) with a one-line reason.
    ``emit`` gets each cleaned batch of a JSONL file (else the report collects them),
    ``progress`` the records and bytes of each."""
    report = FileReport(src.path)
    try:
        if src.kind == "jsonl":
            _process_jsonl(src, job, report, submit, window, emit, progress)
        else:
            _process_text(src, job, report)
    except (BinaryFile, NotCleaned) as exc:
        report.status, report.reason = "skipped", str(exc)
    except CorpusError as exc:
        _failed(report, str(exc))
    except Exception as exc:  # noqa: BLE001  # a bug must not stop the other files
        _failed(report, f"internal error: {type(exc).__name__}: {exc}")
        if job.debug:
            report.traceback = traceback.format_exc()
    return report


def _failed(report: FileReport, reason: str) -> None:
    # Nothing of the file was written: no explain lines, diffs, review parts or bytes
    # removed to report. (A document passed through keeps them: it is reported as is.)
    report.status, report.reason = "failed", reason
    report.explain, report.diff, report.review, report.tally = [], [], [], Tally()


def _is_big(src: SourceFile, job: Job) -> bool:
    return src.kind == "jsonl" and _size(src) >= job.chunk_bytes * (1 if src.compression else 4)


def _size(src: SourceFile) -> int:
    try:
        return os.path.getsize(src.real)
    except OSError:
        return 0


def process_files(group: list[SourceFile], job: Job,
                  progress: Callable[[int, int], None] | None = None) -> list[FileReport]:
    """:func:`process_file` for each file of a group (one round trip to a worker)."""
    return [process_file(src, job, progress=progress) for src in group]


def _pool_results(future: Future, group: list[SourceFile]) -> list[FileReport]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001  # a worker died (BrokenProcessPool) or could not pickle
        reason = f"worker failed: {type(exc).__name__}: {exc}"
        return [FileReport(src.path, status="failed", reason=reason) for src in group]


def _groups(files: Sequence[SourceFile], job: Job, jobs: int, pooled: bool) -> Iterator[tuple[list[SourceFile], bool]]:
    """Consecutive small files in groups (fewer round trips, still enough groups to keep
    every worker busy); with a pool, a big JSONL file alone and flagged ``True``."""
    most = max(1, min(64, len(files) // (4 * jobs))) if pooled else 1
    group: list[SourceFile] = []
    size = 0
    for src in files:
        if pooled and _is_big(src, job):
            if group:
                yield group, False
                group, size = [], 0
            yield [src], True
            continue
        group.append(src)
        size += _size(src)
        if len(group) >= most or size >= job.chunk_bytes // 4:
            yield group, False
            group, size = [], 0
    if group:
        yield group, False


def _stale_temps(files: Sequence[SourceFile], job: Job, reporter: Reporter) -> None:
    """Remove (in fix mode; else name) the temporary files that killed runs left next
    to this run's targets."""
    for temp in find_stale_temps(os.path.dirname(job.target(src)) for src in files):
        if job.mode == "fix" and temp.certain:
            try:
                os.unlink(temp.path)
            except OSError as exc:
                reporter.error(f"{temp.path}: cannot remove a temporary file left by a stopped run: "
                               f"{exc.strerror or exc}")
                continue
            reporter.message(f"removed {temp.path}: a temporary file left by a run that was stopped")
        else:
            how = "run without --check or --diff to remove it" if temp.certain else "remove it if no cleaner is running"
            reporter.message(f"{temp.path}: a temporary file left by a run that was stopped ({how})")


def run(files: Sequence[SourceFile], job: Job, reporter: Reporter, jobs: int = 1,
        summary: Summary | None = None, pool_min_bytes: int = POOL_MIN_BYTES) -> Summary:
    """Process ``files`` with up to ``jobs`` processes and report each in input order,
    adding to ``summary`` (which may already count paths that could not be used).
    Less than ``pool_min_bytes`` of input is cleaned in this process: starting
    workers would take longer than the work.

    Raises KeyboardInterrupt after letting running workers finish their current
    file (each one completes or is left untouched).
    """
    summary = summary or Summary()
    use_pool = jobs > 1 and (len(files) > 1 or any(_is_big(f, job) for f in files)) \
        and sum(_size(f) for f in files) >= pool_min_bytes
    executor: Executor | None = None
    if use_pool:
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=init_worker, initargs=(os.getpid(),))
    window = max(2, 2 * jobs)
    pending: deque[tuple[list[SourceFile], bool, Future | None]] = deque()

    def finish(group: list[SourceFile], big: bool, future: Future | None) -> None:
        if future is not None:
            reports = _pool_results(future, group)
        elif big and executor is not None:  # streamed here, its batches cleaned by the pool
            reports = [process_file(group[0], job, executor.submit, window, reporter.stream, reporter.advance)]
        else:
            reports = process_files(group, job, reporter.advance)
        for src, report in zip(group, reports):
            reporter.file_done(report, _size(src))
            summary.add(report)

    _stale_temps(files, job, reporter)
    reporter.start([_size(f) for f in files], records=any(f.kind == "jsonl" for f in files))
    try:
        for group, big in _groups(files, job, jobs, executor is not None):
            future = executor.submit(process_files, group, job) if executor is not None and not big else None
            pending.append((group, big, future))
            while len(pending) > (window if executor else 0):
                finish(*pending.popleft())
        while pending:
            finish(*pending.popleft())
    except KeyboardInterrupt:
        reporter.close()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True)
    reporter.finish(summary, job.stats)
    return summary
