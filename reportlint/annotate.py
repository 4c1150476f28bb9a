"""Write a copy of a Word file with a comment (批注) on the text of each finding.

``reportlint check report.docx --annotate out.docx`` leaves ``report.docx`` as it
is and writes ``out.docx``: the same document, where each finding's text carries a
Word comment with the rule code, the message and the suggested fix. A comment can
only cover whole runs, so the runs at a finding's two ends are split there; each
half keeps the run's formatting (its ``w:rPr`` is copied), so nothing changes in
how the document looks.

With ``--fix`` (or ``--track-changes out.docx``) the copy also holds the safe fixes as
tracked changes (修订) by the same author: deleted text in ``w:del``, new text in
``w:ins``, a line break removed between two Word paragraphs as a deleted paragraph
mark. Accepted in Word, they give the text that ``--fix`` gives for the extracted text;
rejected, the original. A fix Word cannot hold as one revision (joining paragraphs of
two table cells) is left out and counted.
"""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportlint.document import Document
from reportlint.engine import Report, plan_fixes
from reportlint.errors import InputError, UsageError
from reportlint.finding import Edit, Finding
from reportlint.fixer import write_bytes_atomic
from reportlint.formatters import fix_label
from reportlint.readers import source_location
from reportlint.readers.docx import (
    XML_SPACE,
    open_docx,
    paragraph_pieces,
    run_content,
    segment_at,
    w,
    word_paragraphs,
)

DEFAULT_AUTHOR = "reportlint"

LABELS = {
    "zh": {
        "see": "参见",
        "para": "第 {n} 段",
        "table": "表格 {t} 第 {r} 行第 {c} 列",
        "textbox": "文本框 {n}",
        "control": "内容控件",
    },
    "en": {
        "see": "See",
        "para": "paragraph {n}",
        "table": "table {t}, row {r}, column {c}",
        "textbox": "text box {n}",
        "control": "content control",
    },
}


@dataclass
class AnnotateResult:
    path: str
    comments: int
    skipped: int
    revisions: int = 0  # tracked changes written (--fix --annotate)
    revisions_skipped: int = 0  # fixes that Word cannot hold as one revision (across table cells)


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


def place_in_word(doc: Document | None, start: int, end: int, lang: str) -> str:
    """Where a span is, in terms Word shows: 第 35 段“（一）持续扩大…” (paragraph and its text)."""
    lab = LABELS["en" if lang == "en" else "zh"]
    where = ""
    if doc is not None:
        loc = source_location(doc, start, end).get("docx")
        if loc:
            part = loc.get("part")
            if part == "body":
                where = lab["para"].format(n=loc["paragraph"] + 1)
            elif part == "table":
                where = lab["table"].format(t=loc["table"] + 1, r=loc["row"] + 1, c=loc["cell"] + 1)
            elif part == "textbox":
                where = lab["textbox"].format(n=loc["textbox"] + 1)
            elif part == "control":
                where = lab["control"]
        snippet = " ".join(doc.text[start:end].split())
        if len(snippet) > 16:
            snippet = snippet[:15] + "…"
        if snippet:
            where += f"“{snippet}”" if lang != "en" else f" '{snippet}'"
    return where.strip()


def comment_text(f: Finding, lang: str, doc: Document | None = None) -> str:
    """The comment on a finding: code and message, what the fix does, every related place."""
    lab = LABELS["en" if lang == "en" else "zh"]
    lines = [f"{f.code} {f.message.text(lang)}"]
    label = fix_label(f, lang)
    if label:
        lines.append(label)
    for r in f.related:
        where = place_in_word(doc, r.span.start, r.span.end, lang) if r.span.path == f.span.path else ""
        where = where or (r.span.path if r.span.path != f.span.path else f"{r.span.line}:{r.span.column}")
        sep = "：" if lang != "en" else ": "
        lines.append(f"{lab['see']} {where}{sep}{r.message.text(lang)}")
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
    track_changes: bool = False,
    unsafe: bool = False,
) -> AnnotateResult:
    """Write ``out``: ``source`` with a comment on each finding. ``source`` is not changed.

    With ``track_changes``, the fixes (``unsafe``: unsafe ones too) are written as
    Word revisions (``w:del``/``w:ins`` by ``author``), for the editor to accept or
    reject one by one in Word.
    """
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
            text=comment_text(f, lang, doc),
            author=author,
            initials=initials,
        )
        made += 1
    revisions = revisions_skipped = 0
    if track_changes:
        tracker = _Tracker(wd, paragraphs, doc, author)
        edits = [e for f in plan_fixes(findings, unsafe) for e in f.fix_edits()]
        for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            if tracker.apply(e):
                revisions += 1
            else:
                revisions_skipped += 1
        tracker.finish()
    buf = io.BytesIO()
    wd.save(buf)
    write_bytes_atomic(Path(out), buf.getvalue())
    return AnnotateResult(out, made, skipped, revisions, revisions_skipped)


# ----------------------------------------------------------------------------- tracked changes
class _Tracker:
    """Writes fix edits into the Word document as tracked changes (revisions).

    Edits are applied from the end of the text to its start, so the offsets of those
    still to come are not moved by the ones written (deleted text is no longer read).
    Deleted text goes into ``w:del`` (its ``w:t`` become ``w:delText``); new text into a
    ``w:ins`` run formatted like its neighbour; a line break removed between two Word
    paragraphs is a deleted paragraph mark (``w:pPr/w:rPr/w:del``), which joins them
    when accepted.
    """

    def __init__(self, wd: Any, paragraphs: list, doc: Document, author: str) -> None:
        self.paragraphs = paragraphs
        self.smap = doc.meta.get("source_map", [])
        self.text_len = len(doc.text)
        self.author = author
        self.date = datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        ids = [int(v) for el in wd.element.iter() if (v := el.get(w("id"))) is not None and v.isdigit()]
        self.next_id = max(ids, default=0) + 1000
        self.applied: list[Edit] = []
        self.final_mark = False

    def _mark(self, tag: str) -> Any:
        from docx.oxml import OxmlElement

        el = OxmlElement(f"w:{tag}")
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        self.next_id += 1
        return el

    def apply(self, e: Edit) -> bool:
        """Write one edit; False (nothing written) when Word cannot hold it as a revision."""
        plan: list[tuple[int, int, int, bool]] = []  # (paragraph, from, to, its mark deleted)
        for k, (sk, ek, _) in enumerate(self.smap):
            if ek < e.start or sk > e.end or (sk == e.end and e.end > e.start):
                continue
            a, b = max(e.start, sk) - sk, min(e.end, ek) - sk
            mark = e.start <= ek < e.end
            if mark and ek >= self.text_len - 1:
                mark, self.final_mark = False, True  # the last mark stays; see finish()
            if mark and not self._joinable(k):
                return False
            if b > a or mark or (e.start == e.end and sk <= e.start <= ek):
                plan.append((k, max(a, 0), max(b, a, 0), mark))
        if not plan:
            return False
        first_k, first_a, _, _ = plan[0]
        inserted_after: Any = None
        for k, a, b, mark in reversed(plan):
            p = self.paragraphs[k].element
            if b > a:
                dels = self._delete_runs(p, a, b)
                if k == first_k and dels:
                    inserted_after = dels[-1]
            if mark:
                self._delete_mark(p)
        if e.replacement:
            self._insert(self.paragraphs[first_k].element, first_a, e.replacement, inserted_after)
        self.applied.append(e)
        return True

    def finish(self) -> None:
        """Word keeps the document's last paragraph mark: when a fix removes the last line
        with its line break, the break before it goes instead (the same text once accepted)."""
        if not self.final_mark:
            return
        covered = sorted((e.start, e.end) for e in self.applied)

        def deleted(i: int) -> bool:
            return any(a <= i < b for a, b in covered)

        for k in range(len(self.smap) - 2, -1, -1):
            ek = self.smap[k][1]
            if deleted(ek):
                continue
            rest = range(ek + 1, self.text_len - 1)
            if all(deleted(i) for i in rest) and all(self._joinable(j) for j in range(k, len(self.smap) - 1)):
                self._delete_mark(self.paragraphs[k].element)
            return

    def _joinable(self, k: int) -> bool:
        """Paragraph ``k`` and the next one stand side by side in one container (body, cell)."""
        if k + 1 >= len(self.paragraphs):
            return False
        p, q = self.paragraphs[k].element, self.paragraphs[k + 1].element
        return p.getparent() is q.getparent() and p.getnext() is q

    def _delete_runs(self, p: Any, a: int, b: int) -> list[Any]:
        wrappers = []
        for r in isolate(p, a, b):
            d = self._mark("del")
            r.addprevious(d)
            d.append(r)
            for child in r:
                if child.tag == w("t"):
                    child.tag = w("delText")
                elif child.tag == w("instrText"):
                    child.tag = w("delInstrText")
            wrappers.append(d)
        return wrappers

    def _delete_mark(self, p: Any) -> None:
        from docx.oxml import OxmlElement

        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            p.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            later = [ppr.find(w(t)) for t in ("sectPr", "pPrChange")]
            later = [x for x in later if x is not None]
            if later:
                later[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        if rpr.find(w("del")) is not None:
            return  # already deleted
        ins = rpr.find(w("ins"))
        d = self._mark("del")
        if ins is not None:
            ins.addnext(d)
        else:
            rpr.insert(0, d)

    def _insert(self, p: Any, a: int, text: str, after: Any) -> None:
        from docx.oxml import OxmlElement

        model = None
        if after is not None:
            model = after.find(w("r"))
        else:
            _split_at(p, a)
            before = [pc for pc in paragraph_pieces(p) if pc.start + len(pc.text) <= a and pc.text]
            later = [pc for pc in paragraph_pieces(p) if pc.start >= a and pc.text]
            if before:
                model, after = before[-1].run, before[-1].run
            elif later:
                model = later[0].run
        ins = self._mark("ins")
        run = OxmlElement("w:r")
        rpr = model.find(w("rPr")) if model is not None else None
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        t = OxmlElement("w:t")
        t.text = text
        t.set(XML_SPACE, "preserve")
        run.append(t)
        ins.append(run)
        if after is not None:
            after.addnext(ins)
        elif model is not None:
            model.addprevious(ins)
        else:
            ppr = p.find(w("pPr"))
            if ppr is not None:
                ppr.addnext(ins)
            else:
                p.insert(0, ins)


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


def annotate_report(
    report: Report,
    out: str,
    author: str | None,
    lang: str,
    track_changes: bool = False,
    unsafe: bool = False,
) -> AnnotateResult:
    """Annotate the one Word file of a check (``--annotate``; with ``--fix``, tracked changes too)."""
    word = [r for r in report.files if r.doc is not None and r.doc.meta.get("format") == "docx"]
    if len(word) != 1 or len(report.files) != 1:
        raise UsageError("--annotate needs exactly one .docx file to check")
    r = word[0]
    assert r.doc is not None
    return annotate_docx(
        r.doc.meta.get("file", r.doc.path),
        out,
        r.doc,
        r.findings,
        author or DEFAULT_AUTHOR,
        lang,
        track_changes,
        unsafe,
    )
