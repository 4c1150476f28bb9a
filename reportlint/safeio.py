"""Reading the small files a run depends on (config, lexicon, baseline, accepted findings).

Each is read only when it is a regular file of reasonable size: a FIFO would block the
run, ``/dev/zero`` would grow without end, a 20 MB TOML file takes minutes to parse. A
refusal is one line naming the file and the limit.
"""

from __future__ import annotations

import os
import stat

from reportlint.errors import UsageError

# Generous limits for files people write by hand or the tool writes for them.
CONFIG_LIMIT = 1 << 20  # pyproject.toml, reportlint.toml
SIDECAR_LIMIT = 16 << 20  # accepted findings, baselines
LEXICON_LIMIT = 64 << 20  # learned lexicons


def read_small(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; UsageError otherwise."""
    name = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what it is.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UsageError(f"{what} {name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {name}: is a directory") from None
    except OSError as e:
        raise UsageError(f"{what} {name}: cannot read ({e.strerror or e})") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(f"{what} {name}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{what} {name}: not a regular file (device, FIFO or socket)")
        if st.st_size > limit:
            raise UsageError(f"{what} {name}: {_size(st.st_size)}, more than the {_size(limit)} allowed")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UsageError(f"{what} {name}: more than the {_size(limit)} allowed")
    return data


def read_small_text(path: str | os.PathLike[str], limit: int, what: str) -> str:
    """``read_small`` decoded as UTF-8 (with or without BOM); UsageError if it is not UTF-8."""
    data = read_small(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{what} {os.fspath(path)}: not UTF-8 (byte at offset {e.start})") from None


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.1f} KiB"
    return f"{n} bytes"
