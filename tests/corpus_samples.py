"""Texts and helpers shared by the command-line tests (test_cli, test_corpus, test_interrupt, ...)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from cleaner import clean

REPO = Path(__file__).resolve().parent.parent

#: Gets cleaned: a "Read More" teaser and an ad marker between two article sentences.
DIRTY = (
    "Boston’s mayor spoke at length about the new budget proposal on Monday evening.\n"
    "Read More: Council votes on budget\n"
    "Advertisement\n"
    "The vote is expected in May, officials said in a statement.\n"
)
#: Already clean.
CLEAN = (
    "Boston’s mayor spoke at length about the new budget proposal on Monday evening.\n"
    "The vote is expected in May, officials said in a statement.\n"
)


def dirty(n: int) -> str:
    """A different dirty document for each ``n``."""
    return DIRTY.replace("Monday", f"Monday, day {n},")


def jsonl_bytes(records: list[dict], **dump) -> bytes:
    return b"".join(json.dumps(r, **dump).encode("utf-8") + b"\n" for r in records)


def cleaned_record_line(record: dict, **dump) -> bytes:
    """What a record whose text changed should look like after cleaning (same style)."""
    return json.dumps({**record, "text": clean(record["text"])}, **dump).encode("utf-8") + b"\n"


def read_any(path: Path) -> bytes:
    """File content, decompressed for .gz/.zst."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        return gzip.decompress(data)
    if path.name.endswith(".zst"):
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True).read()
    return data


def run_module(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """``python -m cleaner ARGS`` in a subprocess (with this checkout on PYTHONPATH)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "cleaner", *args], check=False, cwd=cwd, env=env, capture_output=True,
                          text=True, **kwargs)
