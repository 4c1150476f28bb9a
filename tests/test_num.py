"""The NUM rules beyond their fixtures: evidence (related spans), the seed, the clean corpus."""

from __future__ import annotations

from conftest import CORPUS, SEED, needs_corpus

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import run
from reportlint.finding import Severity
from reportlint.rules.num_sequence import cn_label, sequence_breaks


def _check(text: str, select: str = "NUM") -> list:
    doc = Document.from_text(text, "t.txt")
    return run([doc], Config(select=(select,), cross_file=False))[doc.path]


def _related_texts(text: str, finding) -> list[str]:
    return [text[r.span.start : r.span.end] for r in finding.related]


def test_count_mismatch_points_at_the_items_it_counted() -> None:
    text = (
        "今年重点抓好三个方面：\n"
        "（一）扩大有效需求。加快项目建设。\n"
        "（二）壮大实体经济。推动制造业提质。\n"
        "二、加强政府自身建设\n"
    )
    [f] = _check(text, "NUM001")
    assert text[f.span.start : f.span.end] == "三个方面"
    assert f.severity is Severity.ERROR
    assert _related_texts(text, f) == ["（一）扩大有效需求。", "（二）壮大实体经济。"]


def test_inline_count_points_at_each_item() -> None:
    text = "聚焦新能源、新材料、生物医药4个产业集群，实施一批项目。"
    [f] = _check(text, "NUM001")
    assert _related_texts(text, f)[-2:] == ["新材料", "生物医药"]


def test_sequence_break_kinds_and_labels() -> None:
    doc = Document.from_text("（一）甲。\n（二）乙。\n（四）丁。\n（四）戊。\n（二）己。\n")
    kinds = [(b.kind, b.item.value, b.expected) for b in sequence_breaks(doc)]
    assert kinds == [("skip", 4, 3), ("repeat", 4, 5), ("backwards", 2, 5)]
    assert cn_label("cn-paren", 3) == "（三）"
    assert cn_label("shi", 12) == "十二是"
    assert cn_label("ar-dot", 2) == "2."


def test_sequence_finding_points_at_the_item_before() -> None:
    text = "一是稳定粮食生产。二是促进农民增收。四是建设和美乡村。"
    [f] = _check(text, "NUM002")
    assert text[f.span.start : f.span.end] == "四是"
    assert _related_texts(text, f) == ["二是促进农民增收。"]


def test_conflicting_value_points_at_the_earlier_statement() -> None:
    text = (
        "二、2024年总体要求和预期目标\n"
        "今年主要预期目标是：生产总值增长6.5%，城镇新增就业4.3万人以上。\n"
        "三、2024年重点工作\n"
        "确保生产总值增长6%，推动经济平稳运行。\n"
    )
    [f] = _check(text, "NUM003")
    assert text[f.span.start : f.span.end] == "生产总值增长6%"
    assert _related_texts(text, f) == ["生产总值增长6.5%"]


def test_respectively_lists_subjects_and_values() -> None:
    text = "PM2.5、PM10、臭氧浓度分别下降5%、8%。"
    [f] = _check(text, "NUM004")
    assert len(f.related) == 5
    assert _related_texts(text, f)[-2:] == ["5%", "8%"]


def test_arithmetic_severity_follows_certainty() -> None:
    clear = _check("2024年是新中国成立70周年。", "NUM005")
    assert [f.severity for f in clear] == [Severity.WARNING]
    overlap = _check("全年新建学校20所，其中小学12所、初中10所。", "NUM005")
    assert [f.severity for f in overlap] == [Severity.INFO]
    rounding = _check("全市企业300家，其中高新技术企业100家，占33.3%。", "NUM005")
    assert rounding == []


@needs_corpus()
def test_seed_count_mismatch_and_nothing_else() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = _check(text)
    errors = [f for f in found if f.severity is Severity.ERROR]
    assert [(f.code, f.span.line) for f in errors] == [("NUM001", 33)]
    [f] = errors
    assert text[f.span.start : f.span.end] == "五个方面"
    assert [r.span.line for r in f.related] == [35, 47, 55, 67]
    assert all(text[r.span.start : r.span.end].startswith("（") for r in f.related)
    assert [f.code for f in found if f.severity is not Severity.INFO] == ["NUM001"]


@needs_corpus()
def test_clean_reports_stay_quiet() -> None:
    chars = 0
    found = []
    for path in sorted((CORPUS / "reports").glob("*.txt")):
        doc = Document.from_text(path.read_text(encoding="utf-8"), str(path))
        chars += doc.chars
        found += run([doc], Config(select=("NUM",), cross_file=False))[doc.path]
    assert chars > 100_000
    assert len(found) / chars * 10_000 <= 0.05, [(f.path, f.span.line, f.code) for f in found]


def test_document_year_is_read_from_the_title_or_date_line_only() -> None:
    from reportlint.rules._num import document_year

    assert document_year(Document.from_text("2024年政府工作报告\n各位代表：\n")) == 2024
    dated = "政府工作报告\n——1995年3月5日在第八届全国人民代表大会上\n"
    assert document_year(Document.from_text(dated)) == 1995
    assert document_year(Document.from_text("时间：2026-02-09\n正文。\n")) == 2026
    # A heading that names a year is no statement of the document's own year.
    assert document_year(Document.from_text("各位代表：\n一、1994年工作回顾\n二、1995年工作任务\n")) is None


def test_claims_resolve_subject_comparison_and_period() -> None:
    from reportlint.rules._num_claims import claims

    text = "1—5月，社会消费品零售总额18.76万亿元，同比增长5%。5月份，出口2.28万亿元，比上月增长6.3%。"
    doc = Document.from_text(text)
    got = [
        (c.subject, c.cmp, c.direction, c.period[2], text[c.number.start : c.number.end]) for c in claims(doc)
    ]
    assert got == [
        ("社会消费品零售总额", "", "=", "1—5月", "18.76万亿元"),
        ("社会消费品零售总额", "yoy", "+", "1—5月", "5%"),  # the subject of the clause before
        ("出口", "", "=", "5月份", "2.28万亿元"),
        ("出口", "比上月", "+", "5月份", "6.3%"),  # another comparison: another measure
    ]


def test_claims_skip_figures_that_are_not_values() -> None:
    from reportlint.rules._num_claims import claims

    text = "死亡人数升至16人，13人失踪。由20.5%提升至21.1%。覆盖77.9%的人口。增速比上月加快0.8个百分点。"
    assert claims(Document.from_text(text)) == []


def test_restated_target_points_at_the_first_statement() -> None:
    text = (
        "今年发展的主要预期目标是：国内生产总值增长8%左右，城镇新增就业900万人以上。\n"
        "提出国内生产总值增长9%左右，主要是考虑了扩大就业的需要。\n"
    )
    [f] = _check(text, "NUM003")
    assert text[f.span.start : f.span.end] == "国内生产总值增长9%左右"
    assert _related_texts(text, f) == ["国内生产总值增长8%左右"]


def _first_items(items) -> tuple[list, bool]:
    """What a parsed regex sequence can start with (sre items) and whether it can match nothing."""
    from re import _constants as c

    out: list = []
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width
        if op in (c.LITERAL, c.IN):
            out.append((op, av))
            return out, False
        if op is c.SUBPATTERN:
            got, empty = _first_items(av[3])
        elif op is c.BRANCH:
            got, empty = [], False
            for alt in av[1]:
                g, e = _first_items(alt)
                got += g
                empty = empty or e
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            got, empty = _first_items(av[2])
            empty = empty or av[0] == 0
        else:  # ANY, NOT_LITERAL, a group reference: anything
            raise AssertionError(f"cannot tell the first character of {op}")
        out += got
        if not empty:
            return out, False
    return out, True


def _assert_starts_within(pattern: str, first: str) -> None:
    """Every match of ``pattern`` starts with a character that the class ``first`` matches."""
    import re
    from re import _constants as c
    from re import _parser

    cls = re.compile(first)
    items, empty = _first_items(_parser.parse(pattern).data)
    assert not empty, pattern
    for op, av in items:
        for kind, val in [(op, av)] if op is c.LITERAL else av:
            if kind is c.LITERAL:
                assert cls.match(chr(val)), (pattern, chr(val))
            elif kind is c.RANGE:
                assert all(cls.match(chr(x)) for x in range(val[0], val[1] + 1)), (pattern, val)
            elif kind is c.CATEGORY:
                assert val is c.CATEGORY_DIGIT and r"\d" in first, (pattern, val)
            else:
                raise AssertionError((pattern, kind))


def test_mark_patterns_start_with_the_characters_they_are_searched_at() -> None:
    """The claims' marks are searched for only at the characters their matches start with."""
    from reportlint.rules import _num_claims as nc

    for rx in (nc._SPAN_RE, nc._YEAR_MARK_RE, nc._MONTH_MARK_RE, nc._DAY_MARK_RE, nc._MODE_MARK_RE):
        _assert_starts_within(rx.pattern, nc._MARK_FIRST)
    _assert_starts_within(nc._MODE_MARK_RE.pattern, nc._MODE_FIRST_RE.pattern)
