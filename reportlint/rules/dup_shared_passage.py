from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._dup import Params, Passage, cross_analysis, doc_analysis, location, location_en


class SharedPassage(Rule):
    """A passage of one paragraph that also stands in another: a splice or a copied passage.

    ## What it does
    Finds a run of sentences or clauses (at least `min_chars` characters of text)
    that appears in two different paragraphs that are not copies of each other:
    typically the tail of one paragraph pasted onto another. Whole sentences that
    end a paragraph (appended to it, or pasted over its last sentence) and also
    stand as whole sentences in another paragraph count from `tail_min_chars`
    characters of text. The finding sits on
    the occurrence that does not belong: the one whose paragraph fits the passage
    worse (character-bigram similarity of the passage to the rest of each
    paragraph and to the same amount of text next to it); when one occurrence is a
    whole paragraph, on the later one. The related location is the other
    occurrence. Across files, a passage of a later file found in an earlier file is
    reported with both paths.

    ## Why is this bad?
    A spliced passage makes a paragraph say something about another topic, and
    prints the same sentences twice; it is easy to miss because each paragraph
    still reads as prose.

    ## Not reported
    Set formulae shorter than `min_chars` (`各位代表！`, a refrain sentence used in
    two places); paragraphs that are copies as a whole (DUP001/DUP002 report
    those); across files, passages shorter than `cross_min_chars` (reports of
    one government share many set political formulae of 50-100 characters) and
    text found in `boilerplate_files` or more of the files.

    ## Example
    An education paragraph ending `…实施提升教育质量五项行动，推动更多科研成果转化应用。
    打造创新人才发展高地。…实现人生价值！`, whose tail is also the tail of the science
    paragraph → reported on the education paragraph's tail, related to the science
    paragraph.
    """

    code = "DUP003"
    name = "shared-passage"
    severity = Severity.ERROR
    options = {"min_chars": 50, "tail_min_chars": 10, "cross_min_chars": 100, "boilerplate_files": 4}

    def _params(self) -> Params:
        return Params(
            passage_min=self.opts["min_chars"],
            tail_min=self.opts["tail_min_chars"],
            cross_passage_min=self.opts["cross_min_chars"],
            boilerplate_docs=self.opts["boilerplate_files"],
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        yield from self._report_all(doc_analysis(doc, self._params()).passages)

    def check_many(self, docs: list[Document]) -> Iterator[Finding]:
        if not self.context.get("cross_file", True):
            return
        yield from self._report_all(cross_analysis(docs, self._params()).passages)

    def _report_all(self, passages: list[Passage]) -> Iterator[Finding]:
        # In order of position in each document, so that one furthest end per document tells
        # whether a passage overlaps one already reported (linear, however many passages).
        placed = sorted(
            ((x.unit.doc_offset(x.start), x.unit.doc_end(x.end), k, x) for k, x in enumerate(passages)),
            key=lambda t: (t[0], t[2]),
        )
        reach: dict[int, int] = {}
        for start, end, _k, x in placed:
            doc = x.unit.doc
            if reach.get(id(doc), -1) > start:
                continue  # the same passage found with a third paragraph
            reach[id(doc)] = max(end, reach.get(id(doc), -1))
            yield self._report(doc, x, start, end)

    def _report(self, doc: Document, x: Passage, start: int, end: int) -> Finding:
        other = x.other
        where, where_en = location(doc, other), location_en(doc, other)
        if x.how == "fit":
            zh = f"这段文字（{x.chars}字）也出现在{where}的段落中，且与本段上下文不符，疑为误粘贴"
            en = (
                f"this passage ({x.chars} characters) also stands in the paragraph at {where_en} "
                "and does not fit this paragraph: pasted here by mistake?"
            )
            label = Msg("这段文字原本所在的段落", "the paragraph it came from")
        elif x.how == "whole":
            zh = f"这段文字（{x.chars}字）与{where}的段落重复"
            en = f"this passage ({x.chars} characters) repeats the paragraph at {where_en}"
            label = Msg("重复的段落", "the repeated paragraph")
        else:
            zh = f"这段文字（{x.chars}字）与{where}重复"
            en = f"this passage ({x.chars} characters) repeats {where_en}"
            label = Msg("另一处相同的文字", "the same text elsewhere")
        ostart, oend = other.doc_offset(x.ostart), other.doc_end(x.oend)
        return self.finding(doc, start, end, zh=zh, en=en, related=[(other.doc.span(ostart, oend), label)])
