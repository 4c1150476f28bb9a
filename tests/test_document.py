from __future__ import annotations

from reportlint.document import Document, is_han


def test_crlf_and_cr_are_normalised_and_remembered() -> None:
    doc = Document.from_text("第一段。\r\n第二段。\r\n")
    assert doc.text == "第一段。\n第二段。\n"
    assert doc.newline == "\r\n"
    assert [p.text for p in doc.paragraphs] == ["第一段。", "第二段。"]
    doc = Document.from_text("甲。\r乙。")
    assert doc.text == "甲。\n乙。" and doc.newline == "\r"


def test_line_col_counts_code_points_including_astral() -> None:
    doc = Document.from_text("𠮷野家，好吃。\n第二行𠮷。")
    assert is_han("𠮷")
    pos = doc.text.index("好")
    assert doc.line_col(pos) == (1, 5)
    pos2 = doc.text.rindex("𠮷")
    assert doc.line_col(pos2) == (2, 4)
    span = doc.span(pos2, pos2 + 1)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 4, 2, 5)


def test_paragraphs_strip_indentation_and_skip_blank_lines() -> None:
    doc = Document.from_text("\n\n　　各位代表：\n\n  现在，我代表市政府报告工作。  \n")
    paras = doc.paragraphs
    assert [p.text for p in paras] == ["各位代表：", "现在，我代表市政府报告工作。"]
    assert doc.text[paras[1].start : paras[1].end] == paras[1].text
    assert [p.line for p in paras] == [3, 5]


def test_sentences_keep_closing_quotes_and_offsets() -> None:
    doc = Document.from_text("他说：“要抓落实。”我们照办！还有呢")
    sents = doc.sentences
    assert [s.text for s in sents] == ["他说：“要抓落实。”", "我们照办！", "还有呢"]
    for s in sents:
        assert doc.text[s.start : s.end] == s.text


def test_empty_document() -> None:
    doc = Document.from_text("")
    assert doc.paragraphs == [] and doc.sentences == [] and doc.chars == 0
    assert doc.line_col(0) == (1, 1)


def test_masks_cover_urls_and_document_numbers() -> None:
    doc = Document.from_text("请各单位详细阅读国发〔2024〕1号文件和https://www.gov.cn/a,b.html。")
    start = doc.text.index("国发")
    assert doc.is_masked(start + 3)
    url = doc.text.index("https")
    assert doc.is_masked(url + 10)
    assert not doc.is_masked(doc.text.index("单"))


def test_headings() -> None:
    doc = Document.from_text(
        "二、2024年总体要求\n（一）持续扩大有效投资。树牢理念。\n过去五年的回顾\n今年，经济运行稳中有进。"
    )
    flags = [p.is_heading for p in doc.paragraphs]
    assert flags == [True, False, True, False]
