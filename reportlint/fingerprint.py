"""Stable fingerprints of findings, so that records of them survive edits elsewhere in a file.

A fingerprint hashes the rule code, the flagged text and a little context on each side,
never the line number: inserting a paragraph above a finding does not change it.
Identical findings in one file get an occurrence number (``#2``) to stay distinct.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from reportlint.document import Document
from reportlint.finding import Finding

CONTEXT = 12


def _norm(text: str) -> str:
    return "".join(text.split())


def raw_fingerprint(doc: Document, f: Finding) -> str:
    s, e = f.span.start, f.span.end
    before = _norm(doc.text[max(0, s - CONTEXT) : s])[-CONTEXT // 2 :]
    after = _norm(doc.text[e : e + CONTEXT])[: CONTEXT // 2]
    flagged = _norm(doc.text[s:e])
    if len(flagged) > 200:
        flagged = flagged[:100] + flagged[-100:]
    key = f"{f.code}\x1f{before}\x1f{flagged}\x1f{after}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def fingerprints(doc: Document, findings: Iterable[Finding]) -> list[str]:
    """Fingerprints in the order of ``findings``; repeats get ``#n`` suffixes."""
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        fp = raw_fingerprint(doc, f)
        seen[fp] += 1
        out.append(fp if seen[fp] == 1 else f"{fp}#{seen[fp]}")
    return out
