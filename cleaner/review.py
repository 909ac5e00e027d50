"""Review outputs of a run: ``--report hits.jsonl``, ``--report review.html`` and
``--keep-removed removed.jsonl``.

Workers turn each document that has hits into a :class:`DocReview` (JSON lines and an
HTML fragment, made where the text is); :class:`ReviewFiles`, in the parent, writes
them in input order to temporary files that replace the named outputs only when the
run ends, so an interrupted run leaves no half report behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .corpus import AtomicFile, CorpusError
from .model import Hit
from .report import Tally, hit_lines
from .review_html import MAX_DOCUMENTS, document_html, page_parts

__all__ = ["REPORT_KINDS", "DocReview", "ReviewFiles", "ReviewWants", "hit_from_row", "review_document"]

#: What ``--report PATH`` writes, by the name's ending.
REPORT_KINDS = {".jsonl": "hits", ".html": "html", ".htm": "html"}

_HIT_FIELDS = ("id", "kind", "action", "start", "end", "removed", "reason", "replacement")


@dataclass(frozen=True)
class ReviewWants:
    """Which review outputs a run makes (picklable: workers get it with the job)."""

    hits: bool = False
    html: bool = False
    kept: bool = False

    def __bool__(self) -> bool:
        return self.hits or self.html or self.kept


@dataclass
class DocReview:
    """One document's part of each review output: hits.jsonl lines, an HTML fragment
    (``""`` if the page is not wanted), a keep-removed line (``""`` if nothing went)."""

    hit_rows: list[str] = field(default_factory=list)
    page: str = ""
    kept: str = ""


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape: keep it escaped
        text = json.dumps(value)
    return text


def review_document(wants: ReviewWants, file: str, record: int | None, record_id: Any, text: str,
                    hits: Sequence[Hit]) -> DocReview | None:
    """The review parts of one document (``record``: its line in a JSONL file, None
    for a text file; ``record_id``: the record's id field). None without hits."""
    if not hits or not wants:
        return None
    review = DocReview()
    where = {"file": file, "record": record, "record_id": record_id}
    if wants.hits:
        for hit, (_, line) in zip(hits, hit_lines(text, hits)):
            row = dict(where, line=line, **{name: getattr(hit, name) for name in _HIT_FIELDS})
            review.hit_rows.append(_dumps(row))
    if wants.html:
        review.page = document_html(file, record, record_id, text, hits)
    removals = [{"id": h.id, "reason": h.reason, "text": h.removed} for h in hits if h.action in ("drop", "truncate")]
    if wants.kept and removals:
        review.kept = _dumps(dict(where, removed=removals))
    return review


def hit_from_row(row: dict[str, Any]) -> Hit:
    """The :class:`Hit` a hits.jsonl row describes (the row parsed with ``json.loads``).

    >>> hit_from_row({"file": "a.txt", "record": None, "record_id": None, "line": 2, "id": "ad.x",
    ...     "kind": "rule", "action": "drop", "start": 4, "end": 17, "removed": "Advertisement",
    ...     "reason": "ad", "replacement": None}).removed
    'Advertisement'
    """
    return Hit(**{name: row[name] for name in _HIT_FIELDS})


class ReviewFiles:
    """The review outputs of one run, written as documents come in, committed at the end.

    ``hits`` / ``html`` / ``kept`` are the paths to write (None: not wanted).
    """

    def __init__(self, *, hits: str | None = None, html: str | None = None, kept: str | None = None,
                 title: str = "cleaner review") -> None:
        self.wants = ReviewWants(hits=hits is not None, html=html is not None, kept=kept is not None)
        self.paths = [p for p in (hits, html, kept) if p is not None]
        self.title = title
        self._hits = AtomicFile(hits) if hits else None
        self._kept = AtomicFile(kept) if kept else None
        self._html_target = html
        # the page's summary comes first but is known last: documents wait in a spool file
        self._spool: Any = tempfile.TemporaryFile("w+", encoding="utf-8", errors="backslashreplace") if html else None
        self.documents_shown = 0
        self.documents_hit = 0

    def add(self, reviews: Iterable[DocReview | None]) -> None:
        for review in reviews:
            if review is None:
                continue
            self.documents_hit += 1
            if self._hits is not None and review.hit_rows:
                self._hits.write("".join(row + "\n" for row in review.hit_rows).encode("utf-8"))
            if self._kept is not None and review.kept:
                self._kept.write((review.kept + "\n").encode("utf-8"))
            if self._spool is not None and review.page and self.documents_shown < MAX_DOCUMENTS:
                self._spool.write(review.page)
                self.documents_shown += 1

    def finish(self, tally: Tally, mode: str) -> list[str]:
        """Write the outputs in place; return the paths written."""
        if self._hits is not None:
            self._hits.commit()
        if self._kept is not None:
            self._kept.commit()
        if self._spool is not None and self._html_target is not None:
            head, tail = page_parts(self.title, tally, mode, self.documents_shown, self.documents_hit)
            with AtomicFile(self._html_target) as out:
                out.write(head.encode("utf-8"))
                self._spool.seek(0)
                for block in iter(lambda: self._spool.read(1 << 20), ""):
                    out.write(block.encode("utf-8", "backslashreplace"))
                out.write(tail.encode("utf-8"))
                out.commit()
            self._spool.close()
            self._spool = None
        return self.paths

    def discard(self) -> None:
        """Leave every output as it was (an interrupted or failed run)."""
        for writer in (self._hits, self._kept):
            if writer is not None:
                writer.discard()
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def check_report_path(path: str, inputs: Sequence[str]) -> str:
    """The kind of ``--report`` output ``path`` names (``hits`` or ``html``); raises
    :class:`CorpusError` for another ending or a hits file inside an input folder
    (the next run would clean it as a corpus file)."""
    for ending, kind in REPORT_KINDS.items():
        if path.lower().endswith(ending):
            break
    else:
        raise CorpusError(f"--report {path}: name a .jsonl file (one line per hit) or an .html page")
    if kind == "hits":
        inside_inputs(path, inputs, "--report")
    return kind


def inside_inputs(path: str, inputs: Sequence[str], flag: str) -> None:
    """Raise :class:`CorpusError` if the JSONL file ``path`` would land in an input folder."""
    real = os.path.realpath(path)
    for given in inputs:
        if given == "-" or not os.path.isdir(given):
            continue
        folder = os.path.realpath(given)
        if os.path.commonpath([real, folder]) == folder:
            raise CorpusError(f"{flag} {path}: inside the input folder {given}, where the next run would clean "
                              "it as a corpus file; write it elsewhere")
