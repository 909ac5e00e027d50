"""Nothing is ever lost: a run killed at any moment leaves every file either exactly as
it was or fully cleaned. Real processes, real signals."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_samples import REPO, cleaned_record_line, dirty, jsonl_bytes

from cleaner import clean
from cleaner.corpus import TEMP_SUFFIX

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


def make_corpus(root: Path, files: int = 300) -> dict[Path, tuple[bytes, bytes]]:
    """Write a corpus; return {path: (original bytes, fully cleaned bytes)}."""
    expected = {}
    for n in range(files):
        path = root / f"part{n % 7}" / f"doc{n:04}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(dirty(n * 10 + k) for k in range(12))  # ~2.5 KB, cleaned paragraph by paragraph
        path.write_text(text, encoding="utf-8")
        expected[path] = (text.encode("utf-8"), clean(text).encode("utf-8"))
    for n in range(4):
        path = root / f"shard{n}.jsonl"
        records = [{"id": f"{n}-{k}", "text": dirty(k)} for k in range(150)]
        data = jsonl_bytes(records)
        path.write_bytes(data)
        expected[path] = (data, b"".join(cleaned_record_line(r) for r in records))
    return expected


def start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "cleaner", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_until_writing(proc: subprocess.Popen, expected: dict[Path, tuple[bytes, bytes]], timeout: float = 60) -> None:
    """Block until some file has been rewritten (polling the files, not sleeping blindly)."""
    deadline = time.monotonic() + timeout
    paths = sorted(expected)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return
        if any(p.read_bytes() != expected[p][0] for p in paths[:40]):
            return
        time.sleep(0.005)
    raise AssertionError("the run never started writing")


def check_all_or_nothing(root: Path, expected: dict[Path, tuple[bytes, bytes]]) -> tuple[int, int]:
    done = untouched = 0
    for path, (original, cleaned) in expected.items():
        data = path.read_bytes()
        assert data in (original, cleaned), f"{path} is neither the original nor fully cleaned"
        done += data == cleaned
        untouched += data == original
    strays = [p for p in root.rglob("*") if p.is_file() and p not in expected]
    assert all(p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX) for p in strays), strays
    return done, untouched


@pytest.mark.parametrize("round_", range(3))
def test_sigkill_at_a_random_moment(tmp_path: Path, round_: int) -> None:
    expected = make_corpus(tmp_path)
    rng = random.Random(round_)
    proc = start("-j", "2", "--pool-min-bytes", "0", "--chunk-bytes", "4000", str(tmp_path))
    try:
        wait_until_writing(proc, expected)
        time.sleep(rng.uniform(0, 0.4))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, like an OOM kill
        proc.communicate(timeout=60)
    done, _ = check_all_or_nothing(tmp_path, expected)
    assert done >= 1
    # A clean run afterwards finishes the job and removes the temporary files left over.
    rerun = subprocess.run([sys.executable, "-m", "cleaner", "-j", "2", str(tmp_path)],
                           check=False, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=300)
    assert rerun.returncode in (0, 1), rerun.stderr
    assert check_all_or_nothing(tmp_path, expected) == (len(expected), 0)
    assert not list(tmp_path.rglob("*" + TEMP_SUFFIX))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly(tmp_path: Path, jobs: str) -> None:
    expected = make_corpus(tmp_path)
    proc = start("-j", jobs, "--pool-min-bytes", "0", "--chunk-bytes", "4000", str(tmp_path))
    try:
        wait_until_writing(proc, expected)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    check_all_or_nothing(tmp_path, expected)
    assert proc.returncode in (130, 1), err  # 1: it had already finished
    if proc.returncode == 130:
        assert "cleaner: interrupted; every file is either as it was or fully cleaned" in err
        assert "Traceback" not in err
    # Ctrl-C is orderly: no temporary file is left behind.
    assert not [p for p in tmp_path.rglob("*" + TEMP_SUFFIX)], (proc.returncode, err)


def test_expected_texts_really_change() -> None:
    """Guard for the tests above: the generated documents are really cleaned."""
    text = "".join(dirty(k) for k in range(12))
    assert clean(text) != text and "Advertisement" not in clean(text)
    record = {"text": dirty(1)}
    assert json.loads(cleaned_record_line(record))["text"] == clean(dirty(1)) != dirty(1)
