"""Markdown: prose only, at the source's own offsets; structure understood; code and markup skipped."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from conftest import CORPUS, SEED, needs_corpus

from reportlint.cli import main
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import run
from reportlint.readers import read_path, rebuild, source_text
from reportlint.readers.md import OBJ, inline_objects, markdown_document

# Every skipped region below holds a deliberate error that must not be reported:
# stray spaces, half-width punctuation, a broken sentence, a continuation marker.
SAMPLE = """---
title: 2025年工作总结 草稿,待审
tags: [总结, 报告]
---
# 一、总体情况

今年全市经济运行总体平稳，主要指标好于预期。运行 `reportlint check 报告.txt --format=json,sarif` 命令
可以得到全部问题（详见[使用说明](https://example.com/docs/a,b "说明 文档")和 https://example.com/x,y ）。

<!-- 编辑注：此处 数据 待核实, （下转第三版） -->

## 二、主要任务

- 稳增长，促改革
- 第一，完成任务；第二，提高效率
- 调结构
  续行没有句号

1. 有序列表项
2. 第二项

> 引用的一段话，
> 在这里结束。

| 指标 | 数值 |
| --- | --- |
| 生产总值`a, b` | 增长 6% |

安装完成后。运行以下命令

```sh
echo "你好 世界,今天"   # 代码里的 空格 和,标点
```

的结果会输出到终端，每条问题一行。

    缩进代码 中文 中文, 不检查

![图片 说明,不检查](img.png) 图注文字。

[说明]: https://example.com/ref,x
"""


def md(text: str = SAMPLE, **kw) -> Document:
    return markdown_document(text, path="s.md", **kw)


def findings(doc: Document, select: tuple[str, ...] | None = None) -> list:
    return run([doc], Config(select=select))[doc.path]


def test_offsets_lines_and_columns_are_the_sources() -> None:
    doc = md()
    assert len(doc.text) == len(SAMPLE)
    assert doc.line_starts == [0] + [i + 1 for i, c in enumerate(SAMPLE) if c == "\n"]
    assert source_text(doc) == SAMPLE
    # every character kept is the source's character at the same offset
    assert all(c in (" ", OBJ) or c == SAMPLE[i] for i, c in enumerate(doc.text))
    for phrase in ("今年全市经济运行", "稳增长，促改革", "引用的一段话", "增长 6%", "图注文字"):
        assert doc.text.index(phrase) == SAMPLE.index(phrase)


def test_skipped_regions_are_gone_from_the_text() -> None:
    doc = md()
    for gone in (
        "title:",
        "reportlint check",
        "example.com",
        "编辑注",
        "你好 世界",
        "缩进代码",
        "图片 说明",
        "https://",
        "```",
        "# ",
        "- ",
        "1. ",
        "> ",
        "|",
    ):
        assert gone not in doc.text, gone
    assert "使用说明" in doc.text  # the text of a link stays


def test_no_findings_from_code_front_matter_comments_urls_or_structure() -> None:
    found = findings(md())
    assert found == [], [(f.code, f.span.line, f.span.column, f.message.en) for f in found]


def test_errors_in_prose_are_found_where_they_are_in_the_source() -> None:
    text = "# 标题\n\n- 列表里有 空格的问题，要报告。\n\n正文用了半角逗号,应改。`code,here`\n"
    doc = md(text)
    found = sorted((f.code, f.span.line, f.span.column) for f in findings(doc))
    assert found == [("PUNCT001", 3, 7), ("PUNCT002", 5, 9)]


def test_paragraphs_are_blocks() -> None:
    doc = md()
    kinds = [(p.block, p.text.split("\n")[0][:7]) for p in doc.paragraphs]
    assert ("heading", "一、总体情况") in kinds and ("heading", "二、主要任务") in kinds
    assert ("item", "稳增长，促改革") in kinds and ("item", "有序列表项") in kinds
    assert ("cell", "指标") in kinds and ("paragraph", "引用的一段话，") in kinds
    wrapped = next(p for p in doc.paragraphs if p.text.startswith("今年全市"))
    assert "\n" in wrapped.text and wrapped.text.endswith("）。")  # one paragraph over two lines
    assert all(p.text == doc.text[p.start : p.end] for p in doc.paragraphs)
    heading = doc.paragraphs[0]
    assert heading.is_heading and heading.is_numbered_heading and heading.line == 5


def test_hard_wrapped_chinese_is_not_broken_paragraphs() -> None:
    text = (
        "reportlint 是一个校对工具，用于检查中文报告中的\n重复段落、数字矛盾和标点问题。它可以在命令行\n"
        "中运行，也可以集成到持续集成流程里。\n"
    )
    assert findings(md(text)) == []
    # the same lines as plain text are broken paragraphs
    plain = Document.from_text(text, path="p.txt")
    assert [f.code for f in findings(plain, ("LAYOUT003",))] == ["LAYOUT003"]


def test_a_skipped_block_is_a_barrier_between_paragraphs() -> None:
    # as plain text the two halves would be one broken paragraph, and its fix would delete the code
    text = "安装完成后。运行以下命令\n\n```\nmake\n```\n\n的结果会输出到终端。\n"
    doc = md(text)
    assert findings(doc, ("LAYOUT",)) == []
    assert [p.block for p in doc.paragraphs] == ["paragraph", "code", "paragraph"]


def test_a_real_break_inside_markdown_is_still_found() -> None:
    text = "## 一、任务\n\n强化重大项目支撑。健全领导分包、季度观\n\n要 闻\n\n摩、定期调度等机制。\n"
    codes = sorted(f.code for f in findings(md(text), ("LAYOUT",)))
    assert codes == ["LAYOUT001", "LAYOUT003"]


def test_inline_objects() -> None:
    s = '运行`a``b`与``x ` y``，见[说明](u (1) "t")和[引用][r]，<https://a.b>，<b>粗</b>，[^1]。'
    got = [s[a:b] for a, b in inline_objects(s, {"R"})]
    assert got == [
        "`a``b`",
        "``x ` y``",
        "[",
        '](u (1) "t")',
        "[",
        "][r]",
        "<https://a.b>",
        "<b>",
        "</b>",
        "[^1]",
    ]
    assert inline_objects("普通[方括号]文字\\`不是代码`", set()) == []


def test_fixes_apply_to_the_source_and_rebuild_parses_again(tmp_path) -> None:
    f = tmp_path / "r.md"
    f.write_text("# 标题\n\n经济运行总体平稳,稳中有进。\n\n```\ncode 保留,原样\n```\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(f), "--isolated", "--fix"])
    assert "fixed 1 finding" in res.stderr
    fixed = "# 标题\n\n经济运行总体平稳，稳中有进。\n\n```\ncode 保留,原样\n```\n"
    assert f.read_text(encoding="utf-8") == fixed
    doc = read_path(str(f))
    again = rebuild(doc, source_text(doc).replace("平稳，", "平稳,"))
    assert again.kind == "md" and [x.code for x in findings(again)] == ["PUNCT002"]


def test_after_fix_the_markdown_is_checked_as_markdown(tmp_path) -> None:
    f = tmp_path / "r.md"
    f.write_text("经济运行总体平稳,稳中有进。\n\n```\ncode 保留,原样\n```\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(f), "--isolated", "--fix"])
    assert res.exit_code == 0, res.output


def test_crlf_and_json_positions(tmp_path) -> None:
    f = tmp_path / "r.md"
    f.write_bytes("# 标题\r\n\r\n- 第一项 有空格，要报告。\r\n".encode())
    res = CliRunner().invoke(main, ["check", str(f), "--isolated", "--format", "json"])
    data = json.loads(res.stdout)
    assert data["files"][0]["format"] == "md"
    assert [(x["code"], x["line"], x["column"]) for x in data["findings"]] == [("PUNCT001", 3, 6)]
    assert "docx" not in data["findings"][0] and "page" not in data["findings"][0]


def _as_markdown(text: str) -> str:
    """A Markdown version of a plain-text report: numbered heading lines become headings."""
    doc = Document.from_text(text)
    out = ["---", "title: 报告", "---", ""]
    for p in doc.paragraphs:
        if p.is_numbered_heading:
            level = "##" if p.text[0] in "一二三四五六七八九十" else "###"
            out.append(f"{level} {p.text}")
        else:
            out.append(p.text)
        out.append("")
    return "\n".join(out)


EXTRA = (
    "\n运行 `reportlint check 报告.txt --format=json,sarif` 即可。\n\n"
    "```sh\necho '你好 世界,（下转第三版）'\n```\n\n<!-- 注释 里的 空格, -->\n"
)


@needs_corpus()
def test_a_real_report_as_markdown_has_the_texts_findings_and_none_in_code() -> None:
    reports = [*sorted((CORPUS / "reports").glob("*.txt"))[:6], SEED]
    compared = 0
    for path in reports:
        text = path.read_text(encoding="utf-8")
        source = _as_markdown(text)
        doc = markdown_document(source + EXTRA, path="r.md")
        body = re.sub(r"(?m)^#+ ", lambda m: " " * len(m.group()), source.split("---\n", 2)[2])
        plain = Document.from_text(body, path="r.txt")
        plain_found = findings(plain)
        md_found = findings(doc)

        # the same problems, at the same lines (the Markdown file's), none in the code or comment
        def key(f, d):
            return f.code, f.span.line, d.text[f.span.start : f.span.end]

        skip_markup = [f for f in plain_found if f.code != "LAYOUT005"]  # ** is markup in Markdown
        want = sorted(key(f, plain) for f in skip_markup)
        got = sorted(key(f, doc) for f in md_found)
        shift = source.count("\n", 0, source.index("---\n", 3) + 4)
        assert got == sorted((c, line + shift, t) for c, line, t in want), path.name
        assert all(f.span.start < len(source) for f in md_found), path.name
        compared += len(want)
    assert compared > 10
