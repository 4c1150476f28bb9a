"""Write a copy of a Word file with a comment (批注) on the text of each finding.

``reportlint check report.docx --annotate out.docx`` leaves ``report.docx`` as it
is and writes ``out.docx``: the same document, where each finding's text carries a
Word comment with the rule code, the message and the suggested fix. A comment can
only cover whole runs, so the runs at a finding's two ends are split there; each
half keeps the run's formatting (its ``w:rPr`` is copied), so nothing changes in
how the document looks.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Any

from reportlint.document import Document
from reportlint.engine import Report
from reportlint.errors import InputError, UsageError
from reportlint.finding import Finding
from reportlint.readers.docx import (
    XML_SPACE,
    open_docx,
    paragraph_pieces,
    run_content,
    segment_at,
    word_paragraphs,
)

DEFAULT_AUTHOR = "reportlint"

LABELS = {
    "zh": {"fix": "建议改为：", "delete": "建议删除", "see": "参见"},
    "en": {"fix": "Suggested: ", "delete": "Suggested: delete it", "see": "See"},
}


@dataclass
class AnnotateResult:
    path: str
    comments: int
    skipped: int


def initials_of(author: str) -> str:
    if author == DEFAULT_AUTHOR:
        return "RL"
    words = [x for x in author.replace("-", " ").replace("_", " ").split() if x]
    if not words:
        return ""
    if len(words) == 1:
        word = words[0]
        return word[:2].upper() if word.isascii() else word[:1]
    return "".join(x[0] for x in words[:3]).upper()


def comment_text(f: Finding, lang: str) -> str:
    lab = LABELS["en" if lang == "en" else "zh"]
    lines = [f"{f.code} {f.message.text(lang)}"]
    if f.fix is not None:
        if f.fix.replacement:
            lines.append(lab["fix"] + f.fix.replacement.replace("\n", "↵"))
        else:
            lines.append(lab["delete"])
    for r in f.related[:3]:
        lines.append(f"{lab['see']} {r.span.line}:{r.span.column} {r.message.text(lang)}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- run surgery
def split_run(r: Any, k: int) -> Any:
    """Split w:r ``r`` after ``k`` characters of its text; return the new right-hand run.

    Both runs keep the run properties; every other child goes to exactly one side,
    and a w:t that straddles ``k`` is cut in two.
    """
    right = copy.deepcopy(r)
    left_children = list(run_content(r))
    right_children = list(run_content(right))
    pos = 0
    for (lc, lt), (rc, _) in zip(left_children, right_children, strict=True):
        n = len(lt)
        if pos + n <= k:
            right.remove(rc)
        elif pos >= k:
            r.remove(lc)
        else:  # only a w:t can straddle
            cut = k - pos
            lc.text, rc.text = lt[:cut], lt[cut:]
            for el in (lc, rc):
                if el.text != el.text.strip():
                    el.set(XML_SPACE, "preserve")
        pos += n
    r.addnext(right)
    return right


def _split_at(p: Any, k: int) -> None:
    for pc in paragraph_pieces(p):
        if pc.start < k < pc.start + len(pc.text):
            split_run(pc.run, k - pc.start)
            return


def isolate(p: Any, a: int, b: int) -> list[Any]:
    """Split runs of paragraph ``p`` so that [a, b) is whole runs; return those runs."""
    _split_at(p, a)
    _split_at(p, b)
    return [
        pc.run for pc in paragraph_pieces(p) if pc.text and pc.start >= a and pc.start + len(pc.text) <= b
    ]


# ----------------------------------------------------------------------------- annotate
def annotate_docx(
    source: str,
    out: str,
    doc: Document,
    findings: list[Finding],
    author: str = DEFAULT_AUTHOR,
    lang: str = "zh",
) -> AnnotateResult:
    """Write ``out``: ``source`` with a comment on each finding. ``source`` is not changed."""
    if os.path.exists(out) and os.path.samefile(source, out):
        raise UsageError(f"--annotate {out}: refusing to overwrite the checked file")
    with open(source, "rb") as fh:
        data = fh.read()
    if doc.meta.get("sha256"):
        import hashlib

        if hashlib.sha256(data).hexdigest() != doc.meta["sha256"]:
            raise InputError(source, "file changed on disk since it was read; not annotated")
    wd = open_docx(data, source)
    paragraphs = word_paragraphs(wd)
    smap = doc.meta.get("source_map", [])
    if len(paragraphs) != len(smap):
        raise InputError(source, "the Word file does not match what was checked; not annotated")
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

    initials = initials_of(author)
    made = skipped = 0
    for f in sorted(findings, key=lambda x: (x.span.start, x.span.end)):
        anchors = _anchor(doc, smap, paragraphs, f.span.start, f.span.end)
        if anchors is None:
            skipped += 1
            continue
        first, last = anchors
        parent = DocxParagraph(first.getparent(), wd._body)
        wd.add_comment(
            [Run(first, parent), Run(last, parent)],
            text=comment_text(f, lang),
            author=author,
            initials=initials,
        )
        made += 1
    try:
        wd.save(out)
    except OSError as e:
        raise UsageError(f"--annotate {out}: cannot write ({e.strerror or e})") from None
    return AnnotateResult(out, made, skipped)


def _anchor(doc: Document, smap: list, paragraphs: list, start: int, end: int) -> tuple[Any, Any] | None:
    """The first and last run covering [start, end), after splitting runs at both ends."""
    i = segment_at(doc, start)
    j = segment_at(doc, end - 1) if end > start else i
    s_i, e_i, _ = smap[i]
    s_j, e_j, _ = smap[j]
    a = start - s_i
    b = end - s_j
    if i == j:
        n = e_i - s_i
        if n == 0:
            return None
        a = min(a, n - 1)
        b = max(min(b, n), a + 1)  # an empty span marks the character at it
        runs = isolate(paragraphs[i].element, a, b)
        return (runs[0], runs[-1]) if runs else None
    first_runs = isolate(paragraphs[i].element, min(a, max(0, e_i - s_i - 1)), e_i - s_i)
    last_runs = isolate(paragraphs[j].element, 0, max(1, min(b, e_j - s_j)))
    if not first_runs and not last_runs:
        return None
    first = first_runs[0] if first_runs else last_runs[0]
    last = last_runs[-1] if last_runs else first_runs[-1]
    return first, last


def annotate_report(report: Report, out: str, author: str | None, lang: str) -> AnnotateResult:
    """Annotate the one Word file of a check (``--annotate``)."""
    word = [r for r in report.files if r.doc is not None and r.doc.meta.get("format") == "docx"]
    if len(word) != 1 or len(report.files) != 1:
        raise UsageError("--annotate needs exactly one .docx file to check")
    r = word[0]
    assert r.doc is not None
    return annotate_docx(r.doc.path, out, r.doc, r.findings, author or DEFAULT_AUTHOR, lang)
