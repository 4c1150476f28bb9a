"""Check one document on two cores: the word-level rules in a forked child, the rest here.

The TYPO family segments the text into words and searches sound-alike and look-alike
characters; on a long text it costs about what all other families together do. When a
second core is free, a child process made with ``fork`` (it shares the loaded lexicon and
the parsed document, nothing is copied up front) runs those rules while this process runs
the others; the child sends its findings back through a pipe. The findings are the same
as a sequential run: the split only changes who computes them.

The split is skipped where it cannot pay or cannot work: no ``fork`` (Windows), a single
usable core, a process that is already one of several workers (``-j``), threads running,
a short document, or ``REPORTLINT_NO_FORK=1`` in the environment. If the child fails in
any way its rules are run again here, so an error surfaces exactly as without the split.

A check of one file starts the child *early* (``start_early``), before this process has
imported its own modules, read the configuration or parsed the file: the child spends that
time importing numpy and loading the lexicon and the language model, then waits for its
order (the document and the configuration, sent by ``run_split``). Start-up is the larger
part of a short check, so both cores share it too. A child that is not needed is stopped.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

T = TypeVar("T")

SPLIT_MIN_CHARS = 3000  # below this the fork costs more than it saves
HEAVY_FAMILIES = ("TYPO",)
# Garbage collection during a check: checking makes many small objects that live as long as
# the document, and few cycles (a window's views are cleared by hand): collect young objects
# rarely and the oldest almost never (default thresholds: 4% of a check's time, mostly full
# collections). Set before the early child is forked, so that it checks with them too.
GC_THRESHOLDS = (50_000, 20, 100)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def should_split(chars: int, codes: Sequence[str]) -> bool:
    """Whether a document of ``chars`` characters checked by rules ``codes`` is split."""
    if chars < SPLIT_MIN_CHARS or not may_fork():
        return False
    heavy = sum(c.startswith(HEAVY_FAMILIES) for c in codes)
    return 0 < heavy < len(codes)


def may_fork() -> bool:
    """Whether this process may fork a child for the split at all (whatever the document)."""
    if os.environ.get("REPORTLINT_NO_FORK") or not hasattr(os, "fork") or usable_cpus() < 2:
        return False
    if threading.active_count() > 1:
        return False
    # A worker of a pool: multiprocessing is loaded there (not imported here for the test, so
    # that a single check does not pay for it).
    mp = sys.modules.get("multiprocessing")
    return mp is None or mp.parent_process() is None


class _Early:
    """A child forked early: it loads the heavy family's data, then waits for one order."""

    def __init__(self, pid: int, order_fd: int, result_fd: int, room: int) -> None:
        self.pid, self.order_fd, self.result_fd = pid, order_fd, result_fd
        self.room = room  # bytes the order pipe holds: an order up to this never waits

    def close(self) -> None:
        for fd in (self.order_fd, self.result_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)


_early: _Early | None = None
EARLY_ORDER_MAX = 1 << 20  # a larger order (a long document) goes to a child forked late


def quiet_gc() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def worth_early(paths: Sequence[str]) -> bool:
    """Whether ``paths`` is one file long enough for the split, by its size alone (two bytes a
    character, as in GBK or UTF-16 Chinese; UTF-8 Chinese has three)."""
    if len(paths) != 1 or paths[0] == "-":
        return False
    try:
        st = os.stat(paths[0])
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size >= 2 * SPLIT_MIN_CHARS


def start_early(preload: Callable[[], object]) -> None:
    """Fork the heavy family's child now, while this process still has its start-up to do.

    The child runs ``preload`` (imports and data loads; any error there is left for the
    order to meet), then reads one order from a pipe: a picklable ``(function, args)``
    whose result it sends back (``run_split(order=...)``). End of input with no order: it
    leaves. Call ``dismiss_early`` when the check is over.
    """
    global _early
    if _early is not None or not may_fork():
        return
    order_r, order_w = os.pipe()
    result_r, result_w = os.pipe()
    room = _widen(order_w)
    try:
        pid = os.fork()
    except OSError:
        for fd in (order_r, order_w, result_r, result_w):
            os.close(fd)
        return
    if pid == 0:  # the child

        def work() -> object:
            with contextlib.suppress(Exception):
                preload()
            with os.fdopen(order_r, "rb") as pipe:
                order = pipe.read()
            if not order:
                return None  # dismissed
            func, args = pickle.loads(order)
            return func(*args)

        _serve(work, result_w, order_w, result_r)
    os.close(order_r)
    os.close(result_w)
    _early = _Early(pid, order_w, result_r, room)


def _widen(fd: int) -> int:
    """Ask for room for a whole order in the pipe (Linux); the room it has, in bytes."""
    try:
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, EARLY_ORDER_MAX)
        return int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ))
    except (ImportError, AttributeError, OSError):
        return 16_384  # the least a pipe holds where its size cannot be asked


def dismiss_early() -> None:
    """Stop the early child if no order was given to it (nothing is left waiting)."""
    global _early
    early, _early = _early, None
    if early is not None:
        early.close()
        _reap(early.pid)


def _send_order(order: tuple) -> _Early | None:
    """The early child, given ``order``; None if there is none or it cannot take the order."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    try:
        data = memoryview(pickle.dumps(order, protocol=pickle.HIGHEST_PROTOCOL))
        if len(data) > early.room:
            raise ValueError("the order would wait for the child: a child is forked late instead")
        while data:
            data = data[os.write(early.order_fd, data) :]
    except Exception:  # no child, a full pipe, an order that does not pickle: fork late
        early.close()
        _reap(early.pid)
        return None
    os.close(early.order_fd)
    early.order_fd = -1
    return early


def run_split(
    heavy: Callable[[], list[T]],
    light: Callable[[], list[T]],
    idle: Callable[[], object] | None = None,
    order: tuple | None = None,
) -> list[T]:
    """``heavy() + light()``, with ``heavy`` computed in a forked child process. ``idle``, if
    given, is called here after ``light`` while the child is still at work (work done later
    anyway, such as importing the output format: it costs no time then). ``order``: the same
    work as ``heavy`` as a picklable ``(function, args)``, for the early child if one waits
    (``start_early``); without one a child is forked now."""
    early = _send_order(order) if order is not None else None
    if early is not None:
        return _collect(early.pid, early.result_fd, heavy, light, idle)
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return heavy() + light()
    if pid == 0:
        _serve(heavy, write_fd, read_fd)
    os.close(write_fd)
    return _collect(pid, read_fd, heavy, light, idle)


def _serve(work: Callable[[], object], out_fd: int, *parents: int) -> NoReturn:
    """A child's whole life: close the parent's ends of the pipes, compute, send the result
    (if any) through ``out_fd``, leave without running any of the parent's cleanup. Any
    error ends it with status 1: the parent reruns the work and reports the error."""
    code = 1
    try:
        for fd in parents:
            os.close(fd)
        result = work()
        if result is not None:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(out_fd, "wb") as out:
                out.write(data)
        code = 0
        from reportlint import _recache

        _recache.save()  # the patterns this child compiled, once its result is sent
    except BaseException:
        pass
    finally:
        os._exit(code)


def _collect(
    pid: int,
    read_fd: int,
    heavy: Callable[[], list[T]],
    light: Callable[[], list[T]],
    idle: Callable[[], object] | None,
) -> list[T]:
    """This process's ``light()``, then the child's result read from ``read_fd`` (``heavy()``
    run here instead if the child failed)."""
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
