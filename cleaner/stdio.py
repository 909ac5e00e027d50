"""``cleaner -``: standard input cleaned to standard output, as black and ruff do.

The input is read whole (a pipe cannot be rewritten in place, so nothing is gained by
streaming it) and cleaned as a file called ``--stdin-filename`` would be: that name
finds the configuration, makes ``.jsonl`` input records, and names it in messages.
In fix mode what came in always goes out, cleaned or, if it is not cleaned, as it was.
"""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from .corpus import BinaryFile, CorpusError, decode_text, encode_text, is_excluded
from .report import FileReport, Reporter, Summary
from .runner import Job, NotCleaned, clean_lines, clean_text

__all__ = ["clean_stdin", "process_stdin"]


def process_stdin(data: bytes, name: str, job: Job) -> tuple[FileReport, bytes]:
    """Clean ``data`` (standard input) as a file called ``name`` would be; return the
    report and what to write to standard output (in fix mode the cleaned bytes, or
    ``data`` itself if nothing changed or it is not cleaned; else nothing)."""
    report = FileReport(name)
    out = b""
    try:
        if name.endswith(".jsonl"):
            batch = clean_lines(list(io.BytesIO(data)), 1, name, job)
            report.tally.add(batch.tally)
            report.problems, report.explain, report.diff, report.review = (batch.problems, batch.explain,
                                                                          batch.diff, batch.review)
            report.status = "changed" if batch.tally.records_changed else "unchanged"
            out = b"".join(batch.out)
        elif name.endswith((".gz", ".zst")):
            raise CorpusError("compressed input on standard input is not read: decompress it first "
                              f"(zcat {name} | cleaner - --stdin-filename {name.rsplit('.', 1)[0]})")
        else:
            bom, text = decode_text(data)
            out = encode_text(bom, clean_text(name, text, job, report))
    except (NotCleaned, BinaryFile) as exc:
        report.status, report.reason = "skipped", str(exc)
        out = data
    except CorpusError as exc:
        report.status, report.reason = "failed", str(exc)
        out = data
    return report, (out if job.mode == "fix" else b"")


def clean_stdin(args: argparse.Namespace, job: Job, command: dict[str, Any], reporter: Reporter) -> Summary:
    """``cleaner -``: standard input cleaned as a file named --stdin-filename would be."""
    name = args.stdin_filename or "-"
    summary = Summary()
    force_exclude = args.force_exclude or command.get("force_exclude", False)
    excluded = args.stdin_filename and force_exclude and \
        is_excluded(name, (command.get("exclude") or []) + (args.exclude or []))
    data = sys.stdin.buffer.read()
    if excluded:  # as black and ruff do: an excluded file passes through unchanged
        if job.mode == "fix":
            sys.stdout.buffer.write(data)
        reporter.finish(summary, False)
        return summary
    report, out = process_stdin(data, name, job)
    if out:
        sys.stdout.buffer.write(out)
        sys.stdout.buffer.flush()
    reporter.file_done(report)
    summary.add(report)
    reporter.finish(summary, job.stats)
    return summary
