"""The number parser (reportlint.numbers): numerals, units, bounds, ranges, markers."""

from __future__ import annotations

import pytest

from reportlint.document import Document
from reportlint.numbers import (
    APPROX,
    CARDINAL,
    DATE,
    EXACT,
    MAX,
    MIN,
    MULTIPLE,
    ORDINAL,
    PERCENT,
    POINTS,
    PRODUCT,
    RANGE,
    YEAR,
    cn_to_int,
    leading_marker,
    normalize_digits,
    numbers_in_text,
    parse_numbers,
    runin_markers,
)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("五", 5),
        ("十", 10),
        ("十七", 17),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("一百五", 150),
        ("两千", 2000),
        ("三万五千", 35000),
        ("三万五", 35000),
        ("一千零一", 1001),
        ("两", 2),
        ("二〇二四", 2024),
        ("一九九二", 1992),
        ("二〇三五", 2035),
        ("四亿零七百万", 407000000),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("loose", ["", "三四", "十四五", "百十", "两三", "万", "五x"])
def test_loose_chinese_numerals_are_not_numbers(loose: str) -> None:
    assert cn_to_int(loose) is None


# phrase, the number's text, value, unit, kind, bound, high
TABLE = [
    ("生产总值增长6.5%", "6.5%", 6.5, "%", PERCENT, EXACT, None),
    ("研发投入增长19%以上", "19%以上", 19, "%", PERCENT, MIN, None),
    ("城镇调查失业率5.5%左右", "5.5%左右", 5.5, "%", PERCENT, APPROX, None),
    ("居民消费价格涨幅3%左右", "3%左右", 3, "%", PERCENT, APPROX, None),
    ("高于全国0.4个百分点", "0.4个百分点", 0.4, "个百分点", POINTS, EXACT, None),
    ("争取国家专项借款24.9亿元", "24.9亿元", 2.49e9, "元", CARDINAL, EXACT, None),
    ("交付率85.9%", "85.9%", 85.9, "%", PERCENT, EXACT, None),
    ("新增城镇就业4.6万人", "4.6万人", 46000, "人", CARDINAL, EXACT, None),
    ("城镇新增就业4.3万人以上", "4.3万人以上", 43000, "人", CARDINAL, MIN, None),
    ("粮食产量1.39万亿斤", "1.39万亿斤", 1.39e12, "斤", CARDINAL, EXACT, None),
    ("国内生产总值超过126万亿元", "126万亿元", 1.26e14, "元", CARDINAL, MIN, None),
    ("出口增长近30%", "30%", 30, "%", PERCENT, MAX, None),
    ("恢复耕地450余亩", "450余亩", 450, "亩", CARDINAL, MIN, None),
    ("煤电机组2×100万千瓦", "2×100万千瓦", 2e6, "千瓦", PRODUCT, EXACT, None),
    ("用3—5年时间", "3—5年", 3, "年", RANGE, EXACT, 5),
    ("生产总值增长4.5%—5%", "4.5%—5%", 4.5, "%", PERCENT, EXACT, 5),
    ("增长5%至6%", "5%至6%", 5, "%", PERCENT, EXACT, 6),
    ("持续做好五个方面工作", "五个", 5, "个", CARDINAL, EXACT, None),
    ("实施十大工程", "十大", 10, "大", CARDINAL, EXACT, None),
    ("连续十七年获评先进", "十七年", 17, "年", CARDINAL, EXACT, None),
    ("落实两项补贴", "两项", 2, "项", CARDINAL, EXACT, None),
    ("全角数字１９９２年", "１９９２年", 1992, "年", YEAR, EXACT, None),
    ("增长１２．５％", "１２．５％", 12.5, "%", PERCENT, EXACT, None),
    ("到二〇三五年基本实现", "二〇三五年", 2035, "年", YEAR, EXACT, None),
    ("2024年3月5日在北京", "2024年3月5日", 2024, "年", DATE, EXACT, None),
    ("居全省第13位", "第13位", 13, "位", ORDINAL, EXACT, None),
    ("第三批项目", "第三批", 3, "批", ORDINAL, EXACT, None),
    ("增长百分之十六", "百分之十六", 16, "%", PERCENT, EXACT, None),
    ("5G基站总量突破6500个", "6500个", 6500, "个", CARDINAL, MIN, None),
    ("不低于580万亩", "580万亩", 5.8e6, "亩", CARDINAL, MIN, None),
    ("控制在5%以内", "5%以内", 5, "%", PERCENT, MAX, None),
    ("交付21,557套", "21,557套", 21557, "套", CARDINAL, EXACT, None),
    # Chinese decimals: the digits after 点 are the fraction.
    ("比上年增长百分之四点六", "百分之四点六", 4.6, "%", PERCENT, EXACT, None),
    ("占百分之五十一点八", "百分之五十一点八", 51.8, "%", PERCENT, EXACT, None),
    ("回落零点五个百分点", "零点五个百分点", 0.5, "个百分点", POINTS, EXACT, None),
    ("提高一点二个百分点", "一点二个百分点", 1.2, "个百分点", POINTS, EXACT, None),
    ("财政收入四点六亿元", "四点六亿元", 4.6e8, "元", CARDINAL, EXACT, None),
    ("粮食总产量四千五百六十四亿公斤", "四千五百六十四亿公斤", 4.564e11, "公斤", CARDINAL, EXACT, None),
    ("带动三十多万人就业", "三十多万人", 3e5, "人", CARDINAL, MIN, None),
    ("新建一百余项", "一百余项", 100, "项", CARDINAL, MIN, None),
    ("超过一千家", "一千家", 1000, "家", CARDINAL, MIN, None),
    ("近百分之五", "百分之五", 5, "%", PERCENT, MAX, None),
    ("千分之三", "千分之三", 3, "‰", PERCENT, EXACT, None),
    # Ranges, Chinese and loose.
    ("增长百分之五到百分之六", "百分之五到百分之六", 5, "%", PERCENT, EXACT, 6),
    ("增长百分之五至六", "百分之五至六", 5, "%", PERCENT, EXACT, 6),
    ("用三至五年时间", "三至五年", 3, "年", RANGE, EXACT, 5),
    ("再用两三个月", "两三个月", 2, "个月", RANGE, APPROX, 3),
    ("“十四五”时期（2021—2025年）", "2021—2025年", 2021, "年", YEAR, EXACT, 2025),
    # 成 counts tenths, 倍 and 番 multiples.
    ("七成以上", "七成以上", 70, "%", PERCENT, MIN, None),
    ("增长近两成", "两成", 20, "%", PERCENT, MAX, None),
    ("8成企业", "8成", 80, "%", PERCENT, EXACT, None),
    ("增长1.5倍", "1.5倍", 1.5, "倍", MULTIPLE, EXACT, None),
    ("实现翻一番", "一番", 1, "番", MULTIPLE, EXACT, None),
    # Names with numerals are ordinals, not counts; counts stay counts.
    ("党的十四大以来", "十四大", 14, "大", ORDINAL, EXACT, None),
    ("中共三大会址", "三大", 3, "大", ORDINAL, EXACT, None),
    ("二十届三中全会精神", "二十届", 20, "届", ORDINAL, EXACT, None),
    ("十四届全国人大二次会议", "二次", 2, "次", ORDINAL, EXACT, None),
    ("第二十届", "第二十届", 20, "届", ORDINAL, EXACT, None),
    ("实施三大工程", "三大", 3, "大", CARDINAL, EXACT, None),
    ("召开三次会议", "三次", 3, "次", CARDINAL, EXACT, None),
    ("连续三届获评", "三届", 3, "届", CARDINAL, EXACT, None),
]


@pytest.mark.parametrize(
    ("phrase", "text", "value", "unit", "kind", "bound", "high"), TABLE, ids=[row[0] for row in TABLE]
)
def test_number_table(phrase, text, value, unit, kind, bound, high) -> None:
    nums = [n for n in numbers_in_text(phrase) if phrase[n.start : n.end] == text]
    assert nums, [phrase[n.start : n.end] for n in numbers_in_text(phrase)]
    n = nums[0]
    assert n.value == pytest.approx(value)
    assert (n.unit, n.kind, n.bound) == (unit, kind, bound)
    assert n.high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize(
    "phrase",
    [
        "PM2.5和PM10浓度下降",
        "C919投入商业运营",
        "建设5G网络",
        "“十四五”规划",
        "成为其中之一",
        "统一大市场",
        "上千家企业",
        "一成不变",
        "“十四五”期间",
    ],
)
def test_codes_names_and_vague_amounts_are_not_numbers(phrase: str) -> None:
    assert [phrase[n.start : n.end] for n in numbers_in_text(phrase)] == []


def test_offsets_are_code_points_into_the_document() -> None:
    doc = Document.from_text("（一）扩大投资。\n  完成投资６００亿元以上，增长8%。\n")
    nums = parse_numbers(doc)
    assert [doc.text[n.start : n.end] for n in nums] == ["６００亿元以上", "8%"]
    assert nums[0].value == 6e10 and nums[0].bound == MIN
    assert doc.numbers == nums or [n.start for n in doc.numbers] == [n.start for n in nums]


def test_masked_document_numbers_are_skipped() -> None:
    doc = Document.from_text("根据国发〔2024〕12号文件，新增就业3万人。")
    assert [doc.text[n.start : n.end] for n in doc.numbers] == ["3万人"]


def test_interval_of_bounds() -> None:
    exact, above, about = numbers_in_text("增长6%，增长6%以上，增长6.5%左右")
    assert exact.interval() == (6, 6)
    assert above.interval()[0] == 6 and above.interval()[1] == float("inf")
    lo, hi = about.interval()
    assert lo < 6.5 < hi and hi - lo < 0.5


def test_normalize_digits_keeps_length() -> None:
    s = "增长１２．５％，全角"
    assert normalize_digits(s) == "增长12.5%，全角"
    assert len(normalize_digits(s)) == len(s)


@pytest.mark.parametrize(
    ("paragraph", "style", "value"),
    [
        ("一、2025年工作回顾", "cn-dun", 1),
        ("十二、加强政府自身建设", "cn-dun", 12),
        ("（三）城乡协调发展。坚持新型城镇化。", "cn-paren", 3),
        ("三）改革开放持续深化。", "cn-paren", 3),
        ("(10)加快发展", "ar-paren", 10),
        ("2.推进城乡融合", "ar-dot", 2),
        ("3、加强生态保护", "ar-dot", 3),
        ("①稳定消费", "circled", 1),
        ("四是必须勇于创新。", "shi", 4),
        ("第二，坚持改革创新。", "di", 2),
        ("第三部分 主要任务", "chapter", 3),
        ("其二，扩大投资。", "qi", 2),
        ("二要维护高水平安全。", "yao", 2),
        ("7.2023年我国粮食总产量达13908亿斤", "ar-dot", 7),
    ],
)
def test_leading_markers(paragraph: str, style: str, value: int) -> None:
    m = leading_marker(paragraph)
    assert m is not None and (m.style, m.value) == (style, value)


@pytest.mark.parametrize(
    "paragraph",
    [
        "2024年是关键一年。",
        "1.5万人次参加培训。",
        "一是一、二是二的作风。",
        "第一、二轮督察问题整改完毕。",
        "（上接第一版）",
        "12.5%的增长",
        "一要求各地加快进度。",
        "2.5万亿元的投资",
    ],
)
def test_not_leading_markers(paragraph: str) -> None:
    assert leading_marker(paragraph) is None


def test_runin_markers_after_clause_boundaries() -> None:
    text = (
        "获得深刻启示。一是站稳人民立场。二是深入调查研究；三是主动担当，统一是前提。"
        "要做到：（1）稳；（2）进。"
    )
    got = [(m.style, m.value) for m in runin_markers(text)]
    assert got == [("shi", 1), ("shi", 2), ("shi", 3), ("ar-paren", 1), ("ar-paren", 2)]


def test_long_run_of_numerals_is_cut_to_a_numeral() -> None:
    # A run of numerals with no unit after it: the parser keeps a short numeral next to the
    # unit and does not try every split of the run (which made it quadratic).
    ns = numbers_in_text("一" * 20000 + "个")
    assert len(ns) == 1
    assert ns[0].end == 20001 and ns[0].end - ns[0].start <= 13
    assert numbers_in_text("一" * 20000) == []
    [n] = numbers_in_text("共有三万五千六百七十八个")
    assert n.value == 35678
