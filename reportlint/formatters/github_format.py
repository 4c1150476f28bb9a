"""GitHub Actions workflow commands: annotations on the pull request's changed lines."""

from __future__ import annotations

from typing import Any, TextIO

from reportlint.engine import Report
from reportlint.finding import Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    for f in report.findings:
        s = f.span
        props = ",".join(
            [
                f"file={escape_property(s.path)}",
                f"line={s.line}",
                f"col={s.column}",
                f"endLine={s.end_line}",
                f"endColumn={s.end_column}",
                f"title={escape_property(f'{f.code} {f.name}')}",
            ]
        )
        out.write(f"::{COMMAND[f.severity]} {props}::{escape_data(f'{f.code} ' + f.message.text(lang))}\n")
