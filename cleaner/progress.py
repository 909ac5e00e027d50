"""The progress bar of a corpus run: records for JSONL, files otherwise (tqdm, stderr).

A run over JSONL shards fills the bar by input bytes (the only total known before the
records are read) and counts records and their rate beside it, so a single 100 MB
shard moves from the first batch on; a run over text files counts files. The bar
only appears on a terminal, after a second, and never with ``--quiet``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any, TextIO

from tqdm import tqdm

__all__ = ["Progress"]

#: tqdm waits this long before it draws: a quick run shows no bar at all.
DELAY = 1.0


class _Bar(tqdm):
    """tqdm with our own label in the bar's format (tqdm's postfix starts with a comma)."""

    label = ""

    @property
    def format_dict(self) -> dict[str, Any]:
        return {**super().format_dict, "label": self.label}


class Progress:
    """One bar over ``sizes`` (the input files' sizes on disk, in order) on ``stream``.

    ``records=True`` (some input is JSONL): the bar is input bytes, labelled with the
    records cleaned so far; :meth:`advance` is called per batch of records as they
    are cleaned, and :meth:`file_done` per file. Otherwise it counts files.
    """

    def __init__(self, sizes: Sequence[int], stream: TextIO, *, records: bool, delay: float = DELAY) -> None:
        self.records_mode = records
        self.files = len(sizes)
        self.done_files = 0
        self.records = 0
        self._file_bytes = 0  # bytes of the current file already shown
        self._file_records = 0
        self._started = time.monotonic()
        if records:
            self.bar: Any = _Bar(total=sum(sizes), file=stream, delay=delay, leave=False, **_shape(stream),
                                 unit="B", unit_scale=True, desc="cleaning",
                                 bar_format="{desc}: {percentage:3.0f}%|{bar}| {label} [{elapsed}<{remaining}]")
            self._label()
        else:
            self.bar = tqdm(total=len(sizes), file=stream, delay=delay, leave=False, **_shape(stream),
                            unit="file", desc="cleaning")

    def advance(self, records: int, nbytes: int) -> None:
        """A batch of ``records`` of the current file is cleaned; ``nbytes`` of it
        read (0 for a compressed file: its size on disk is counted when it is done)."""
        if not self.records_mode:
            return
        self.records += records
        self._file_records += records
        self._file_bytes += nbytes
        self._label()
        self.bar.update(nbytes)

    def file_done(self, size: int, records: int) -> None:
        """A file of ``size`` bytes on disk holding ``records`` records is finished."""
        self.done_files += 1
        if not self.records_mode:
            self.bar.update(1)
            return
        self.records += max(0, records - self._file_records)
        rest = max(0, size - self._file_bytes)
        self._file_bytes = self._file_records = 0
        self._label()
        self.bar.update(rest)

    def _label(self) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        self.bar.label = (f"{self.records:,} records ({self.records / elapsed:,.0f}/s), "
                          f"{self.done_files:,}/{self.files:,} files")

    def clear(self) -> None:
        self.bar.clear()

    def refresh(self) -> None:
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def _shape(stream: TextIO) -> dict[str, Any]:
    """tqdm's size options for ``stream``: follow the terminal's width, or, on one that
    reports no size (a bare pseudo-terminal: ``script``, some CI runners), where
    tqdm would draw nothing at all, a fixed 100 columns."""
    try:
        columns, rows = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        columns = rows = 0
    if columns > 0 and rows > 0:
        return {"dynamic_ncols": True}
    return {"ncols": 100, "nrows": 20}
