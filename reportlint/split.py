"""Check one document on two cores: the word-level rules in a forked child, the rest here.

The TYPO family segments the text into words and searches sound-alike and look-alike
characters; on a report it costs more than all other families together. When a second
core is free, a child process made with ``fork`` (it shares the loaded lexicon and the
parsed document, nothing is copied up front) runs those rules while this process runs
the others; the child sends its findings back through a pipe. The findings are the same
as a sequential run: the split only changes who computes them.

The split is skipped where it cannot pay or cannot work: no ``fork`` (Windows), a single
usable core, a process that is already one of several workers (``-j``), threads running,
a short document, or ``REPORTLINT_NO_FORK=1`` in the environment. If the child fails in
any way its rules are run again here, so an error surfaces exactly as without the split.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

SPLIT_MIN_CHARS = 3000  # below this the fork costs more than it saves
HEAVY_FAMILIES = ("TYPO",)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def should_split(chars: int, codes: Sequence[str]) -> bool:
    """Whether a document of ``chars`` characters checked by rules ``codes`` is split."""
    if os.environ.get("REPORTLINT_NO_FORK") or not hasattr(os, "fork"):
        return False
    if chars < SPLIT_MIN_CHARS or usable_cpus() < 2:
        return False
    if threading.active_count() > 1:
        return False
    # A worker of a pool: multiprocessing is loaded there (not imported here for the test, so
    # that a single check does not pay for it).
    mp = sys.modules.get("multiprocessing")
    if mp is not None and mp.parent_process() is not None:
        return False
    heavy = sum(c.startswith(HEAVY_FAMILIES) for c in codes)
    return 0 < heavy < len(codes)


def run_split(
    heavy: Callable[[], list[T]], light: Callable[[], list[T]], idle: Callable[[], object] | None = None
) -> list[T]:
    """``heavy() + light()``, with ``heavy`` computed in a forked child process. ``idle``, if
    given, is called here after ``light`` while the child is still at work (work done later
    anyway, such as importing the output format: it costs no time then)."""
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return heavy() + light()
    if pid == 0:  # the child: compute, send, leave without running any parent cleanup
        code = 1
        try:
            os.close(read_fd)
            data = pickle.dumps(heavy(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # the parent reruns the rules and reports the error
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        mine = light()
        if idle is not None:
            with contextlib.suppress(Exception):  # only a head start: any error shows later
                idle()
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:
        _reap(pid)
        with contextlib.suppress(OSError):
            os.close(read_fd)
        raise
    if status != 0 or not data:
        return heavy() + mine
    return pickle.loads(data) + mine


def _reap(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, 9)
        os.waitpid(pid, 0)
