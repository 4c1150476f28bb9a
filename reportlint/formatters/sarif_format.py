"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from reportlint import __version__
from reportlint.engine import Report
from reportlint.finding import Finding, Severity, Span
from reportlint.fingerprint import fingerprints
from reportlint.registry import load_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _region(span: Span, text: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }
    if text is not None:
        region["snippet"] = {"text": text}
    return region


def _location(span: Span, text: str | None = None) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": span.path.replace("\\", "/")},
            "region": _region(span, text),
        }
    }


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    rules = load_rules()
    used = sorted({f.code for f in report.findings} | set())
    index = {code: i for i, code in enumerate(used)}
    driver_rules = []
    for code in used:
        cls = rules[code]
        driver_rules.append(
            {
                "id": code,
                "name": cls.name,
                "shortDescription": {"text": cls.summary()},
                "fullDescription": {"text": cls.explanation()},
                "help": {"text": cls.explanation(), "markdown": cls.explanation()},
                "defaultConfiguration": {"level": LEVEL[cls.severity]},
                "properties": {"family": code.rstrip("0123456789"), "fixable": cls.fixable},
            }
        )
    results = []
    for r in report.files:
        if r.doc is None:
            continue
        for f, fp in zip(r.findings, fingerprints(r.doc, r.findings), strict=True):
            results.append(_result(f, fp, index[f.code], lang))
    sarif = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "reportlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": driver_rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [
                    {
                        "location": {"uri": r.path.replace("\\", "/")},
                        "encoding": r.doc.encoding,
                        "length": r.doc.chars,
                    }
                    for r in report.files
                    if r.doc is not None
                ],
                "results": results,
            }
        ],
    }
    json.dump(sarif, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _result(f: Finding, fp: str, rule_index: int, lang: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message.text(lang)},
        "locations": [_location(f.span, f.excerpt)],
        "partialFingerprints": {"reportlintFingerprint/v1": fp},
    }
    if f.related:
        res["relatedLocations"] = [
            {"id": i + 1, **_location(r.span), "message": {"text": r.message.text(lang)}}
            for i, r in enumerate(f.related)
        ]
    if f.fix is not None:
        start, end = f.fix_range() or (f.span.start, f.span.end)
        res["fixes"] = [
            {
                "description": {"text": "safe fix" if f.fix.safe else "unsafe fix"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": f.span.path.replace("\\", "/")},
                        "replacements": [
                            {
                                "deletedRegion": {"charOffset": start, "charLength": end - start},
                                "insertedContent": {"text": f.fix.replacement},
                            }
                        ],
                    }
                ],
            }
        ]
    return res
