"""GitLab Code Quality report (a JSON array of issues with stable fingerprints)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from reportlint.engine import Report
from reportlint.finding import Finding, Severity
from reportlint.formatters import fix_label

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    issues = []
    for r in report.files:
        if r.doc is None:
            if r.error is not None:  # a file that could not be checked is an issue too
                issues.append(
                    {
                        "type": "issue",
                        "check_name": "reportlint-input-error",
                        "description": str(r.error),
                        "categories": ["Bug Risk"],
                        "severity": "minor" if r.error.warning else "critical",
                        "fingerprint": hashlib.sha256(f"{r.path}\x1finput-error".encode()).hexdigest(),
                        "location": {"path": r.path, "lines": {"begin": 1}},
                    }
                )
            continue
        for f, fp in zip(r.findings, r.fingerprint_list(), strict=True):
            stable = hashlib.sha256(f"{r.path}\x1f{fp}".encode()).hexdigest()
            issues.append(
                {
                    "type": "issue",
                    "check_name": f.code,
                    "description": f"{f.code} {f.message.text(lang)}" + _fix_note(f, lang),
                    "categories": ["Style"],
                    "severity": SEVERITY[f.severity],
                    "fingerprint": stable,
                    "location": {
                        "path": r.path,
                        "positions": {
                            "begin": {"line": f.span.line, "column": f.span.column},
                            "end": {"line": f.span.end_line, "column": f.span.end_column},
                        },
                    },
                }
            )
    json.dump(issues, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _fix_note(f: Finding, lang: str) -> str:
    label = fix_label(f, lang)
    if not label:
        return ""
    return f" ({label})" if lang == "en" else f"（{label}）"
