"""JSON output, schema 1 (see README)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from reportlint import __version__
from reportlint.engine import Report
from reportlint.finding import Finding, Span

SCHEMA = 1


def _pos(span: Span) -> dict[str, Any]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "offset": span.start,
        "end_offset": span.end,
    }


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    return {
        "path": f.span.path,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message.text(lang),
        **_pos(f.span),
        "excerpt": f.excerpt,
        "related": [
            {"path": r.span.path, **_pos(r.span), "message": r.message.text(lang)}
            for r in f.related
        ],
        "fix": None if f.fix is None else {"replacement": f.fix.replacement, "safe": f.fix.safe},
    }


def report_dict(report: Report, lang: str = "zh") -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "reportlint", "version": __version__},
        "files": [
            {
                "path": r.path,
                "encoding": r.doc.encoding,
                "chars": r.doc.chars,
                "findings": len(r.findings),
            }
            for r in report.files
            if r.doc is not None
        ],
        "findings": [finding_dict(f, lang) for f in report.findings],
    }


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    json.dump(report_dict(report, lang), out, ensure_ascii=False, indent=1)
    out.write("\n")
