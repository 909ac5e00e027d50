"""Worker processes live no longer than the run that started them.

A pool's workers outlive a parent killed with SIGKILL, SIGTERM or SIGHUP: they hold
its output pipe open, keep memory, and may go on writing. Each worker therefore
watches its parent: on Linux the kernel signals it when the parent dies
(``PR_SET_PDEATHSIG``); elsewhere a thread polls the parent's pid. Either way the
worker removes the temporary file of a write it had not finished and exits. The
parent does the same for its own writes on SIGTERM and SIGHUP (SIGKILL leaves its
file for the next run, which removes it: see ``corpus.find_stale_temps``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from .corpus import remove_unfinished

__all__ = ["init_worker", "temp_files_removed_on_stop"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
#: How often (seconds) the portable watch looks for its parent.
POLL_SECONDS = 0.5


def init_worker(parent: int) -> None:
    """Pool initializer: ignore Ctrl-C (it reaches the whole process group, and the
    parent decides how to stop) and exit when process ``parent`` goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)
    if not _kernel_watch():
        threading.Thread(target=_poll_parent, args=(parent,), name="cleaner-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the watch was set up
        _exit_now(signal.SIGTERM, None)


def _kernel_watch() -> bool:
    """Ask Linux for SIGTERM when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _poll_parent(parent: int) -> None:
    pause = threading.Event()
    while os.getppid() == parent:
        pause.wait(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # handled in the main thread, between two steps


@contextlib.contextmanager
def temp_files_removed_on_stop() -> Iterator[None]:
    """While the run goes, SIGTERM and SIGHUP remove the temporary files of this
    process's unfinished writes before it dies of the signal (its workers follow it)."""
    previous = {}
    if threading.current_thread() is threading.main_thread():  # where handlers can be set
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                previous[signum] = signal.signal(signum, _die_of)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _die_of(signum: int, frame: FrameType | None) -> None:
    remove_unfinished()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _exit_now(signum: int, frame: FrameType | None) -> None:
    # A target is only ever replaced whole (os.replace), so removing the temporary
    # file of an unfinished write loses nothing.
    remove_unfinished()
    os._exit(128 + signum)
