"""One line per finding: ``path:line:col: CODE [severity] message``."""

from __future__ import annotations

from typing import Any, TextIO

from reportlint.engine import Report


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    for f in report.findings:
        s = f.span
        out.write(f"{s.path}:{s.line}:{s.column}: {f.code} [{f.severity.value}] {f.message.text(lang)}\n")
