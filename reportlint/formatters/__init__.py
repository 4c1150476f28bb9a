"""Output formats: each module has ``write(report, out, lang)``."""

from __future__ import annotations

import importlib
from typing import TextIO

from reportlint.engine import Report

FORMATS = ("text", "json", "concise", "sarif", "github", "gitlab", "junit", "html")


def write(fmt: str, report: Report, out: TextIO, **opts) -> None:
    module = importlib.import_module(f"reportlint.formatters.{fmt}_format")
    module.write(report, out, **opts)
