"""A run's processes end with it, and what a killed run left behind is cleared up.

Killing only the main process (SIGKILL, SIGTERM, SIGHUP: an OOM kill, ``kill PID``, a
closed terminal) once left two workers and multiprocessing's resource tracker running,
about 160 MB, holding the output pipe open; the temporary files of the writes they
were doing (51-137 MB after a killed 200 MB JSONL run) stayed, and no later run
mentioned them.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from corpus_samples import DIRTY, REPO, dirty

from cleaner import clean
from cleaner.cli import main
from cleaner.corpus import TEMP_SUFFIX
from cleaner.runner import EXIT_CHANGED, EXIT_OK

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads processes from /proc (Linux)")


def session_processes(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) == sid:
                found.append(int(entry))
    return found


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def make_corpus(root: Path, files: int = 120) -> dict[Path, tuple[bytes, bytes]]:
    expected = {}
    for n in range(files):
        path = root / f"doc{n:04}.txt"
        text = "".join(dirty(n * 40 + k) for k in range(40))
        path.write_text(text, encoding="utf-8")
        expected[path] = (text.encode(), clean(text).encode())
    return expected


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_workers_die_with_their_parent(tmp_path: Path, signum: signal.Signals) -> None:
    expected = make_corpus(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "-j", "2", "--pool-min-bytes", "0", str(tmp_path)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # the parent, two workers and the resource tracker
        assert wait_for(lambda: len(session_processes(proc.pid)) >= 4, 60), "the pool never started"
        os.kill(proc.pid, signum)  # the parent alone, not its process group
        proc.communicate(timeout=30)  # nothing holds the pipes open any more
        assert wait_for(lambda: not session_processes(proc.pid), 15), \
            [Path(f"/proc/{p}/cmdline").read_bytes()[:100] for p in session_processes(proc.pid)]
    finally:
        if session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    for path, (original, cleaned) in expected.items():
        assert path.read_bytes() in (original, cleaned)
    # a worker stopped by its parent's death removes its temporary file
    assert not list(tmp_path.glob("*" + TEMP_SUFFIX))


def test_without_the_kernels_help_a_worker_notices_its_parent_is_gone(tmp_path: Path) -> None:
    # Where PR_SET_PDEATHSIG does not exist, a thread polls the parent's pid.
    (tmp_path / "helpers.py").write_text(textwrap.dedent("""\
        import os
        from cleaner import workers

        def init_polling(parent):
            workers._kernel_watch = lambda: False
            workers.init_worker(parent)

        def pid():
            return os.getpid()
        """), encoding="utf-8")
    (tmp_path / "pool.py").write_text(textwrap.dedent("""\
        import multiprocessing, os, time
        from concurrent.futures import ProcessPoolExecutor
        import helpers

        if __name__ == "__main__":
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=helpers.init_polling, initargs=(os.getpid(),))
            print(pool.submit(helpers.pid).result(), flush=True)
            time.sleep(120)
        """), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(tmp_path)]))
    proc = subprocess.Popen([sys.executable, str(tmp_path / "pool.py")], env=env, stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        worker = int(proc.stdout.readline())
        assert worker in session_processes(proc.pid)
        proc.kill()
        proc.wait(timeout=30)
        assert wait_for(lambda: worker not in session_processes(proc.pid), 10)
    finally:
        if session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------- temporary files of killed runs
def stale(folder: Path, target: str) -> Path:
    path = folder / f".{target}.0123abcd{TEMP_SUFFIX}"
    path.write_bytes(b"half of a cleaned copy")
    return path


def test_a_run_removes_the_temporary_files_a_killed_run_left(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    left = stale(tmp_path, "a.txt")
    other = tmp_path / ".notes.txt.cleaner-tmp"  # not a name cleaner gives: not ours
    other.write_text("mine", encoding="utf-8")
    assert main(["--check", str(tmp_path / "a.txt")]) == EXIT_CHANGED
    assert left.exists()  # --check writes nothing, removes nothing: it names the file
    assert f"{left}: a temporary file left by a run that was stopped (run without --check or --diff to " \
           "remove it)" in capsys.readouterr().err
    assert main([str(tmp_path / "a.txt")]) == EXIT_CHANGED
    assert not left.exists() and other.exists()
    assert f"removed {left}: a temporary file left by a run that was stopped" in capsys.readouterr().err
    assert main([str(tmp_path / "a.txt")]) == EXIT_OK
    assert "temporary file" not in capsys.readouterr().err


def test_a_temporary_file_that_a_running_process_writes_is_left_alone(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    live = stale(tmp_path, "a.txt")
    with open(live, "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # as AtomicFile holds it while it writes
        assert main([str(tmp_path / "a.txt")]) == EXIT_CHANGED
        assert live.exists() and "temporary file" not in capsys.readouterr().err


def test_a_symlink_named_like_a_temporary_file_is_not_removed(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    keep = tmp_path / "keep.txt"
    keep.write_text("precious", encoding="utf-8")
    link = tmp_path / f".a.txt.0123abcd{TEMP_SUFFIX}"
    link.symlink_to(keep)
    assert main([str(tmp_path / "a.txt")]) == EXIT_CHANGED
    assert link.is_symlink() and keep.read_text(encoding="utf-8") == "precious"
    assert "remove it if no cleaner is running" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stopped_parent_removes_the_temporary_file_it_was_writing(tmp_path: Path, signum: signal.Signals) -> None:
    # A big JSONL file is streamed by the parent (its batches cleaned by the workers).
    from corpus_samples import jsonl_bytes

    shard = tmp_path / "big.jsonl"
    data = jsonl_bytes([{"id": i, "text": dirty(i)} for i in range(6000)])
    shard.write_bytes(data)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "-j", "2", "--chunk-bytes", "20000", str(shard)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_for(lambda: list(tmp_path.glob("*" + TEMP_SUFFIX)) or proc.poll() is not None, 60)
        assert proc.poll() is None, "finished before it could be stopped"
        os.kill(proc.pid, signum)
        proc.communicate(timeout=30)
        assert proc.returncode == -signum  # it died of the signal, after removing its file
        assert wait_for(lambda: not session_processes(proc.pid), 15)
    finally:
        if session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert shard.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]
