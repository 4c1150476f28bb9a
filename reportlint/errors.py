"""Errors shown to the user as one line (exit code 2), never as a traceback."""

from __future__ import annotations


def shown_path(path: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 written as ``\\xff``.

    Python keeps such bytes as lone surrogates; written out they would make the output
    invalid UTF-8 (and invalid JSON, XML). The real name is kept where files are opened.
    """
    if not any("\udc80" <= c <= "\udcff" for c in path):
        return path
    import os

    return os.fsencode(path).decode("utf-8", "backslashreplace")


class UsageError(Exception):
    """Bad command line or configuration."""


class InputError(Exception):
    """A problem with one input: shown as ``path: message``."""

    def __init__(self, path: str, message: str, *, warning: bool = False) -> None:
        path = shown_path(path)
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.warning = warning  # True: skip the file with a warning, not an error
