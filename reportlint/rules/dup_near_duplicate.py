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
    describe_diff,
    doc_analysis,
    location,
    location_en,
)


class NearDuplicateParagraph(Rule):
    """A paragraph that is a copy of an earlier one with small edits.

    ## What it does
    Finds a paragraph whose text is almost the same as an earlier paragraph's
    (similarity at or above `threshold`, on the text without spaces and
    punctuation), and names the similarity and the characters that differ.
    Consecutive near-copies of consecutive paragraphs are one finding. Across
    files, a paragraph of a later file that is a near-copy of one in an earlier
    file is also reported.

    ## Why is this bad?
    A paragraph pasted twice and then edited in one place only prints the same
    content twice, often with conflicting numbers; the edits hide the repetition
    from a reader skimming for it.

    ## Not reported
    Headings and paragraphs shorter than `min_chars` characters, and parallel
    paragraphs that only share a pattern (`这五年，…`), whose similarity stays well
    below the threshold (at most 0.82 between different paragraphs of the clean
    reports measured); three or more paragraphs of one document, of different text (figures
    aside), linked by likeness: a series on one frame (`…会见…的X总统Y。` for each guest of a
    day; an edited paste beside an exact copy of the same paragraph, or one paragraph pasted
    three times with other figures, is still reported); two paragraphs on one frame whose every
    difference is one name put for another (a country, a person, a body, the country before an
    office such as `总统`) besides figures and times of day (`…会见…的挪威首相斯特勒` /
    `…会见…的西班牙首相桑切斯`; a name with one character changed is an edit and is reported).
    Across files, paragraphs shorter than `cross_min_chars` and text found (nearly) alike in
    `boilerplate_files` or more of the files checked, which is a set formula rather than a copy.

    ## Example
    `全年新增城镇就业4.6万人，发放创业贷款20.7亿元。` repeated later as
    `全年新增城镇就业4.8万人，发放创业贷款20.7亿元。` → similarity 96%,
    difference `「4.6万人」→「4.8万人」`. The offered fix (unsafe) deletes the later copy.
    """

    code = "DUP002"
    name = "near-duplicate-paragraph"
    severity = Severity.WARNING
    fixable = True
    options = {"threshold": 0.85, "min_chars": 20, "cross_min_chars": 50, "boilerplate_files": 4}

    def _params(self) -> Params:
        return Params(
            near_threshold=float(self.opts["threshold"]),
            near_min=self.opts["min_chars"],
            cross_dup_min=self.opts["cross_min_chars"],
            boilerplate_docs=self.opts["boilerplate_files"],
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        for run in doc_analysis(doc, self._params()).runs:
            if run.is_near:
                yield self._report(doc, run, cross=False)

    def check_many(self, docs: list[Document]) -> Iterator[Finding]:
        if not self.context.get("cross_file", True):
            return
        for run in cross_analysis(docs, self._params()).runs:
            if run.is_near:
                yield self._report(run.first.doc, run, cross=True)

    def _report(self, doc: Document, run: Run, cross: bool) -> Finding:
        first, last = run.first, run.last
        o_first, o_last = run.copies[0].other, run.copies[-1].other
        scores = [c.score for c in run.copies]
        low, high = min(scores), max(scores)
        sim = f"{low:.0f}%" if round(low) == round(high) else f"{low:.0f}%–{high:.0f}%"
        dzh, den = describe_diff(o_first.text, first.text)
        n = len(run.copies)
        if n == 1:
            zh = f"本段与{location(doc, o_first)}的段落高度相似（相似度{sim}），差异：{dzh}"
            en = f"this paragraph nearly repeats {location_en(doc, o_first)} ({sim} similar): {den}"
        else:
            zh = f"连续{n}段与{location(doc, o_first)}起的{n}段高度相似（相似度{sim}），首段差异：{dzh}"
            en = (
                f"these {n} paragraphs nearly repeat the {n} from {location_en(doc, o_first)} "
                f"({sim} similar); first difference: {den}"
            )
        fix = None
        if not cross:
            s, e = delete_range(doc, first.start, last.end)
            fix = Fix("", safe=False, start=s, end=e, message=delete_copy_message(n, near=True))
        return self.finding(
            doc,
            first.start,
            last.end,
            zh=zh,
            en=en,
            related=[(o_first.doc.span(o_first.start, o_last.end), Msg("相似的段落", "similar paragraph"))],
            fix=fix,
        )
