from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._dup import (
    Params,
    Run,
    cross_analysis,
    delete_copy_message,
    delete_range,
    doc_analysis,
    location,
    location_en,
)


class DuplicateParagraph(Rule):
    """A paragraph, or a block of paragraphs, printed twice.

    ## What it does
    Finds a paragraph that repeats an earlier one, ignoring differences of
    whitespace, punctuation width, markup and page-break debris. A run of
    consecutive repeated paragraphs (a whole section printed twice) is one finding
    that spans the run, with the first copy of the run as the related location. When
    the two copies of a block of 200 characters or more stand apart, the text around the
    earlier one is damaged (a passage pasted in the paragraph before or after it, a fragment
    of a sentence right after it) and the later one fits the paragraphs around it clearly
    better (a section's first print landed inside another section), the earlier copy is the
    one reported, and deleted by the fix.
    When several files are checked together, a paragraph of a later file that
    repeats one of an earlier file is also reported, with both paths.

    ## Why is this bad?
    A section printed twice is the most expensive error in a printed report: it
    wastes a page, and a reader who notices it stops trusting the rest.

    ## Not reported
    Short lines and headings that legitimately repeat (`各位代表！`, `（一）…`,
    title lines): a paragraph must have at least `min_chars` characters of text to
    count by itself, though a repeated heading right before a repeated block is
    taken into the block. Across files, a paragraph needs `cross_min_chars`
    characters (set openings such as `现在，我代表市人民政府向大会报告工作，…` are
    shorter), and text found in `boilerplate_files` or more of the files checked
    (a shared footer, a set formula) is a template, not a copy.

    ## Example
    Paragraphs 40 and 41 printed again as 60 and 61 → one finding on lines 60-61,
    related to lines 40-41; the fix (safe when the copies are exact) deletes the
    repeated lines (lines 40-41 instead, when they are the copy out of place). A copy
    that differs only in spaces or punctuation is reported the same way, with an unsafe fix.
    """

    code = "DUP001"
    name = "duplicate-paragraph"
    severity = Severity.ERROR
    fixable = True
    options = {"min_chars": 20, "cross_min_chars": 50, "boilerplate_files": 4}

    def _params(self) -> Params:
        return Params(
            dup_min=self.opts["min_chars"],
            cross_dup_min=self.opts["cross_min_chars"],
            boilerplate_docs=self.opts["boilerplate_files"],
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        for run in doc_analysis(doc, self._params()).runs:
            if not run.is_near:
                yield self._report(doc, run, cross=False)

    def check_many(self, docs: list[Document]) -> Iterator[Finding]:
        if not self.context.get("cross_file", True):
            return
        for run in cross_analysis(docs, self._params()).runs:
            if not run.is_near:
                yield self._report(run.first.doc, run, cross=True)

    def _report(self, doc: Document, run: Run, cross: bool) -> Finding:
        first, last = run.first, run.last
        o_first, o_last = run.copies[0].other, run.copies[-1].other
        odoc = o_first.doc
        n = len(run.copies)
        where = location(doc, o_first) if n == 1 else _where_run(doc, o_first, o_last)
        where_en = location_en(doc, o_first) if n == 1 else _where_run_en(doc, o_first, o_last)
        near = sum(c.kind == "near" for c in run.copies)
        if n == 1:
            zh, en = f"本段与{where}的段落重复", f"this paragraph repeats the one at {where_en}"
        else:
            zh = f"连续{n}段与{where}的{n}段重复（整段重复）"
            en = f"these {n} paragraphs repeat the {n} at {where_en} (a repeated block)"
        if run.misplaced:
            zh += "，且与此处上下文不符（另一处才在原位）"
            en += ", and out of place here (the other stands where it belongs)"
        if near:
            zh += f"，其中{near}段略有改动"
            en += f"; {near} of them with small edits"
        elif any(c.kind == "normalised" for c in run.copies):
            zh += "（仅空白、标点或格式不同）"
            en += " (differing only in spaces, punctuation or markup)"
        fix = None
        if not cross:
            s, e = delete_range(doc, first.start, last.end)
            fix = Fix("", safe=_exact_block(doc, run), start=s, end=e, message=delete_copy_message(n))
        if run.misplaced:
            label = Msg("原位的一处", "the copy in its place")
        else:
            label = Msg("首次出现" if n == 1 else "首次出现的段落", "first occurrence")
        return self.finding(
            doc,
            first.start,
            last.end,
            zh=zh,
            en=en,
            related=[(odoc.span(o_first.start, o_last.end), label)],
            fix=fix,
        )


def _exact_block(doc: Document, run: Run) -> bool:
    """Exact copies, with nothing but blank lines between them (no page debris)."""
    if any(c.kind != "exact" for c in run.copies):
        return False
    idx = [p.index for c in run.copies for p in c.unit.paras]
    return idx == list(range(idx[0], idx[-1] + 1))


def _where_run(doc: Document, a, b) -> str:
    lines = f"第{a.line}—{b.end_line}行"
    return lines if a.doc is doc else f"{a.doc.path} {lines}"


def _where_run_en(doc: Document, a, b) -> str:
    lines = f"lines {a.line}-{b.end_line}"
    return lines if a.doc is doc else f"{a.doc.path} {lines}"
