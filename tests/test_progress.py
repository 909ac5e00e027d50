"""The progress bar, as a terminal shows it: on by default there (records for JSONL,
files otherwise), never with --quiet, --no-progress or when stderr is not a terminal."""

from __future__ import annotations

import os
import re
import select
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_samples import CLEAN, REPO, dirty, jsonl_bytes

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
if sys.platform != "win32":
    import fcntl
    import pty
    import termios


def _on_a_terminal(*args: str, size: tuple[int, int] = (40, 140), timeout: float = 120) -> tuple[int, str]:
    """Run ``python -m cleaner ARGS`` with stderr on a pseudo-terminal of ``size`` (rows,
    columns; (0, 0): one that reports no size); its exit code and what the terminal got."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            raise AssertionError("no output for too long")
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


def _shard(path: Path, count: int) -> Path:
    path.write_bytes(jsonl_bytes([{"id": n, "text": dirty(n) if n % 2 else CLEAN} for n in range(count)]))
    return path


@pytest.mark.parametrize("size", [(40, 140), (0, 0)], ids=["terminal", "no-size"])
def test_jsonl_progress_counts_records(tmp_path: Path, size: tuple[int, int]) -> None:
    shard = _shard(tmp_path / "shard.jsonl", 3000)
    code, screen = _on_a_terminal("--check", "-j", "1", "--chunk-bytes", "20000", "--progress-delay", "0",
                                  str(shard), size=size)
    assert code == 1
    frames = [f for f in re.split(r"[\r\n]", screen) if "records (" in f]
    assert frames, screen[-2000:]
    counts = [int(m.group(1).replace(",", "")) for f in frames if (m := re.search(r"([\d,]+) records \(", f))]
    assert counts == sorted(counts) and counts[-1] > counts[0]  # it moves while the one file is read
    assert max(counts) <= 3000
    assert any(re.search(r"cleaning: +\d+%\|", f) for f in frames)  # a bar with a percentage
    assert "1,500 files would be cleaned" not in screen and "1 file would be cleaned" in screen


def test_text_files_progress_counts_files(tmp_path: Path) -> None:
    for n in range(30):
        (tmp_path / f"{n:02}.txt").write_text(dirty(n), encoding="utf-8")
    code, screen = _on_a_terminal("--check", "-j", "1", "--progress-delay", "0", str(tmp_path))
    assert code == 1
    assert re.search(r"cleaning: +\d+%\|.*\| *\d+/30 \[", screen), screen[-2000:]
    assert "records (" not in screen


@pytest.mark.parametrize("flag", ["-q", "--no-progress"])
def test_quiet_and_no_progress_show_no_bar(tmp_path: Path, flag: str) -> None:
    shard = _shard(tmp_path / "shard.jsonl", 400)
    code, screen = _on_a_terminal("--check", "-j", "1", "--chunk-bytes", "5000", "--progress-delay", "0", flag,
                                  str(shard))
    assert code == 1
    assert "records (" not in screen and "cleaning:" not in screen


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    shard = _shard(tmp_path / "shard.jsonl", 400)
    proc = subprocess.run([sys.executable, "-m", "cleaner", "--check", "--progress-delay", "0", str(shard)],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    assert proc.returncode == 1 and "records (" not in proc.stderr and "\r" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("1 file would be cleaned")
