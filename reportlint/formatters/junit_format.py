"""JUnit XML: one test suite per file, one failing test case per finding."""

from __future__ import annotations

from typing import Any, TextIO
from xml.etree import ElementTree as ET

from reportlint.engine import Report


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    root = ET.Element(
        "testsuites",
        name="reportlint",
        tests=str(max(1, len(report.findings))),
        failures=str(len(report.findings)),
    )
    for r in report.files:
        if r.doc is None:
            continue
        suite = ET.SubElement(
            root,
            "testsuite",
            name=r.path,
            tests=str(max(1, len(r.findings))),
            failures=str(len(r.findings)),
            errors="0",
        )
        if not r.findings:
            ET.SubElement(suite, "testcase", name="reportlint", classname=r.path)
        for f in r.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.code} {f.span.line}:{f.span.column}",
                classname=r.path,
                file=r.path,
                line=str(f.span.line),
            )
            fail = ET.SubElement(case, "failure", message=f.message.text(lang), type=f.severity.value)
            where = f"{r.path}:{f.span.line}:{f.span.column}"
            fail.text = f"{where} {f.code} {f.message.text(lang)}\n{f.excerpt}"
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
