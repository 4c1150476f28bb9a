"""Errors shown to the user as one line (exit code 2), never as a traceback."""

from __future__ import annotations


class UsageError(Exception):
    """Bad command line or configuration."""


class InputError(Exception):
    """A problem with one input: shown as ``path: message``."""

    def __init__(self, path: str, message: str, *, warning: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.warning = warning  # True: skip the file with a warning, not an error
