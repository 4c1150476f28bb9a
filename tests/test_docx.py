"""Word files: reading (paragraphs, tables, text boxes, runs) and annotated copies with comments."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from conftest import SEED, needs_corpus

from reportlint.config import Config
from reportlint.engine import run
from reportlint.errors import InputError
from reportlint.readers import read_path, source_location

docx = pytest.importorskip("docx", reason="python-docx is not installed (pip install -e '.[dev]')")
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402

from reportlint.annotate import annotate_docx, initials_of, split_run  # noqa: E402

TEXTBOX_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def make_docx(path, paragraphs, bold_every: int = 0) -> None:
    """One Word paragraph per item; with ``bold_every``, runs are split and some made bold."""
    d = docx.Document()
    for text in paragraphs:
        p = d.add_paragraph()
        if not bold_every or len(text) < 3:
            p.add_run(text)
            continue
        pos, k = 0, 0
        while pos < len(text):
            step = bold_every + (k % 3)
            r = p.add_run(text[pos : pos + step])
            r.bold = k % 2 == 1
            r.italic = k % 5 == 4
            pos += step
            k += 1
    d.save(str(path))


def comment_anchors(document) -> dict[str, str]:
    """Comment id -> the text between its range start and end, in document order."""
    open_: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for el in document.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_[el.get(qn("w:id"))] = []
        elif el.tag == qn("w:commentRangeEnd"):
            cid = el.get(qn("w:id"))
            texts[cid] = "".join(open_.pop(cid))
        elif el.tag == qn("w:t"):
            for parts in open_.values():
                parts.append(el.text or "")
        elif el.tag in (qn("w:tab"),):
            for parts in open_.values():
                parts.append("\t")
    return texts


def seed_lines() -> list[str]:
    return [ln for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]


# ----------------------------------------------------------------------------- reading
def test_paragraphs_become_lines_with_a_map(tmp_path) -> None:
    f = tmp_path / "r.docx"
    make_docx(f, ["第一段，今年经济运行稳中有进。", "", "第三段。"], bold_every=2)
    doc = read_path(str(f))
    assert doc.text == "第一段，今年经济运行稳中有进。\n\n第三段。\n"
    assert doc.kind == "docx" and doc.meta["format"] == "docx"
    assert [loc["paragraph"] for _, _, loc in doc.meta["source_map"]] == [0, 1, 2]
    loc = source_location(doc, doc.text.index("经济"), doc.text.index("经济") + 2)
    assert loc == {"docx": {"part": "body", "paragraph": 0, "offset": 6, "end_offset": 8}}
    assert doc.meta["sha256"]


def test_tables_text_boxes_hyperlinks_and_tracked_changes(tmp_path) -> None:
    d = docx.Document()
    d.add_paragraph("正文第一段。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "表头"
    t.cell(0, 1).text = "数值"
    t.cell(1, 0).text = "增长 率，较快。"
    a = t.cell(1, 0).merge(t.cell(1, 1))  # a merged cell is read once
    assert a is not None
    p = d.add_paragraph("锚定段落")
    # a text box, written the way Word writes it: DrawingML choice plus a VML fallback copy
    p._p.append(
        parse_xml(
            f'<w:r {nsdecls("w", "wp", "a")} {TEXTBOX_NS}><mc:AlternateContent><mc:Choice Requires="wps">'
            "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
            "<w:p><w:r><w:t>文本框里的文字。</w:t></w:r></w:p>"
            "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
            "<w:p><w:r><w:t>文本框里的文字。</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    q = d.add_paragraph("链接：")
    q._p.append(parse_xml(f"<w:hyperlink {nsdecls('w')}><w:r><w:t>官方网站</w:t></w:r></w:hyperlink>"))
    q._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    q._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>删掉</w:delText></w:r></w:del>'
        )
    )
    q.add_run("结尾\t制表")
    d.sections[0].header.paragraphs[0].text = "页眉文字不读"
    f = tmp_path / "t.docx"
    d.save(str(f))
    doc = read_path(str(f))
    lines = doc.text.split("\n")
    assert lines[:4] == ["正文第一段。", "表头", "数值", "增长 率，较快。"]
    assert lines[4:7] == ["锚定段落", "文本框里的文字。", "链接：官方网站新增结尾\t制表"]
    assert "页眉" not in doc.text and "删掉" not in doc.text
    parts = [loc["part"] for _, _, loc in doc.meta["source_map"]]
    assert parts == ["body", "table", "table", "table", "body", "textbox", "body"]
    cell = doc.meta["source_map"][3][2]
    assert (cell["table"], cell["row"], cell["cell"]) == (0, 1, 0)
    # the stray space in the table cell is found and located in the table
    found = run([doc], Config(select=("PUNCT001",)))[doc.path]
    assert len(found) == 1
    where = source_location(doc, found[0].span.start, found[0].span.end)["docx"]
    assert where["part"] == "table" and where["offset"] == 2


def test_manual_line_break_is_a_line_break(tmp_path) -> None:
    d = docx.Document()
    p = d.add_paragraph("强化重大项目支撑。健全领导分包、季度观")
    p.add_run().add_break()
    p.add_run("摩、定期调度等机制。")
    f = tmp_path / "b.docx"
    d.save(str(f))
    doc = read_path(str(f))
    assert doc.text == "强化重大项目支撑。健全领导分包、季度观\n摩、定期调度等机制。\n"
    found = run([doc], Config(select=("LAYOUT003",)))[doc.path]
    assert [x.code for x in found] == ["LAYOUT003"]
    assert source_location(doc, found[0].span.start)["docx"]["paragraph"] == 0
    from reportlint.cli import main

    res = CliRunner().invoke(main, ["check", str(f), "--isolated", "--format", "html", "--lang", "en"])
    assert "Word paragraph 1" in res.stdout


def test_bad_word_files_are_clear_errors(tmp_path, monkeypatch) -> None:
    f = tmp_path / "bad.docx"
    f.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"not a valid \.docx"):
        read_path(str(f))
    f.write_bytes("纯文本改了后缀".encode())
    with pytest.raises(InputError, match=r"not a \.docx file"):
        read_path(str(f))
    import reportlint.readers.docx as reader

    good = tmp_path / "good.docx"
    make_docx(good, ["一段。"])
    monkeypatch.setattr(reader, "import_docx", lambda: None)
    with pytest.raises(InputError, match=r"pip install 'reportlint\[docx\]'") as e:
        read_path(str(good))
    assert e.value.warning  # in a folder, the file is skipped with this message


def test_folder_search_finds_word_files_but_not_lock_files(tmp_path) -> None:
    from reportlint.readers import expand_paths

    make_docx(tmp_path / "a.docx", ["一段。"])
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    files, problems = expand_paths([str(tmp_path)])
    assert [f.rsplit("/", 1)[-1] for f in files] == ["a.docx"] and not problems


# ----------------------------------------------------------------------------- the seed
@needs_corpus()
def test_seed_as_word_gives_the_same_findings_as_text(tmp_path) -> None:
    f = tmp_path / "seed.docx"
    make_docx(f, seed_lines(), bold_every=3)
    wdoc = read_path(str(f))
    tdoc = read_path(str(SEED))
    cfg = Config()
    wf = run([wdoc], cfg)[wdoc.path]
    tf = run([tdoc], cfg)[tdoc.path]

    def text_key(x):
        p = tdoc.paragraph_at(x.span.start)
        return x.code, p.index, x.span.start - tdoc.line_starts[x.span.line - 1]

    def word_key(x):
        loc = source_location(wdoc, x.span.start, x.span.end)["docx"]
        return x.code, loc["paragraph"], loc["offset"]

    assert tf, "the seed has findings"
    assert sorted(map(word_key, wf)) == sorted(map(text_key, tf))
    assert [x.excerpt for x in sorted(wf, key=word_key)] == [x.excerpt for x in sorted(tf, key=text_key)]


@needs_corpus()
def test_annotate_seed_puts_each_comment_on_the_flagged_text(tmp_path) -> None:
    from reportlint.cli import main

    src = tmp_path / "seed.docx"
    out = tmp_path / "seed-annotated.docx"
    make_docx(src, seed_lines(), bold_every=3)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(src),
            "--isolated",
            "--format",
            "json",
            "--annotate",
            str(out),
            "--comment-author",
            "张编辑",
        ],
    )
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # the original is untouched
    annotated = docx.Document(str(out))
    comments = sorted(annotated.comments, key=lambda c: c.comment_id)
    assert len(comments) == len(data["findings"]) > 10
    anchors = comment_anchors(annotated)
    doc = read_path(str(src))
    for c, f in zip(
        comments, sorted(data["findings"], key=lambda x: (x["offset"], x["end_offset"])), strict=True
    ):
        want = doc.text[f["offset"] : f["end_offset"]].replace("\n", "")
        assert anchors[str(c.comment_id)] == want
        assert c.author == "张编辑" and c.initials == "张"
        assert c.text.startswith(f["code"] + " " + f["message"])
    # the document reads and looks the same: same text, same bold and italic characters
    original = docx.Document(str(src))
    assert [p.text for p in annotated.paragraphs] == [p.text for p in original.paragraphs]
    for attr in ("bold", "italic"):
        assert ["".join(r.text for r in p.runs if getattr(r, attr)) for p in annotated.paragraphs] == [
            "".join(r.text for r in p.runs if getattr(r, attr)) for p in original.paragraphs
        ]


# ----------------------------------------------------------------------------- annotate
def test_comment_on_a_run_split_by_formatting(tmp_path) -> None:
    src = tmp_path / "r.docx"
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("（上接")
    b = p.add_run("第一版）")
    b.bold = True
    b.font.size = docx.shared.Pt(14)
    p.add_run("今年经济")
    mid = p.add_run("运行总体平稳,稳中")
    mid.italic = True
    p.add_run("有进。")
    d.save(str(src))
    doc = read_path(str(src))
    found = run([doc], Config(select=("PUNCT002", "LAYOUT002")))[doc.path]
    assert sorted(x.code for x in found) == ["LAYOUT002", "PUNCT002"]
    out = tmp_path / "out.docx"
    res = annotate_docx(str(src), str(out), doc, found, author="reportlint", lang="en")
    assert (res.comments, res.skipped) == (2, 0)
    a = docx.Document(str(out))
    anchors = comment_anchors(a)
    by_code = {c.text.split()[0]: anchors[str(c.comment_id)] for c in a.comments}
    assert by_code == {"LAYOUT002": "（上接第一版）", "PUNCT002": ","}
    assert all(c.initials == "RL" and c.author == "reportlint" for c in a.comments)
    runs = a.paragraphs[0].runs
    texts = [(r.text, bool(r.bold), bool(r.italic)) for r in runs if r.text]
    # the italic run was split around the comma; every piece keeps its formatting
    assert texts == [
        ("（上接", False, False),
        ("第一版）", True, False),
        ("今年经济", False, False),
        ("运行总体平稳", False, True),
        (",", False, True),
        ("稳中", False, True),
        ("有进。", False, False),
    ]
    assert [r.font.size for r in runs if r.text == "第一版）"] == [docx.shared.Pt(14)]
    texts = {c.text.split()[0]: c.text for c in a.comments}  # messages follow the language
    assert "half-width" in texts["PUNCT002"] and "fix: replace ',' with '，'" in texts["PUNCT002"]
    assert "fix: delete the continuation marker '（上接第一版）'" in texts["LAYOUT002"]


def test_split_run_keeps_other_children_once() -> None:
    r = parse_xml(
        f"<w:r {nsdecls('w')}><w:rPr><w:b/></w:rPr><w:t>ab</w:t><w:tab/>"
        '<w:t xml:space="preserve">c d</w:t></w:r>'
    )
    holder = parse_xml(f"<w:p {nsdecls('w')}/>")
    holder.append(r)
    right = split_run(r, 4)  # after "ab\tc"
    texts = ["".join(t.text or "\t" for t in x.iter(qn("w:t"), qn("w:tab"))) for x in (r, right)]
    assert texts == ["ab\tc", " d"]
    assert right.find(qn("w:rPr")) is not None and r.find(qn("w:rPr")) is not None
    assert right.find(qn("w:t")).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_annotate_refuses_to_overwrite_the_input_and_needs_one_word_file(tmp_path) -> None:
    from reportlint.cli import main

    src = tmp_path / "r.docx"
    make_docx(src, ["今年经济运行总体平稳,稳中有进。"])
    res = CliRunner().invoke(main, ["check", str(src), "--isolated", "--annotate", str(src)])
    assert res.exit_code == 2 and "is one of the files being read" in res.stderr
    txt = tmp_path / "r.txt"
    txt.write_text("今年经济运行总体平稳,稳中有进。\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(txt), "--isolated", "--annotate", str(tmp_path / "o.docx")])
    assert res.exit_code == 2 and "--annotate needs exactly one .docx" in res.stderr


def test_initials() -> None:
    assert initials_of("reportlint") == "RL"
    assert initials_of("proofreader") == "PR"
    assert initials_of("Jane Q Editor") == "JQE"
    assert initials_of("张编辑") == "张"
    assert initials_of("") == ""


# ----------------------------------------------------------------------------- tracked changes
def revisions_text(document, accept: bool) -> str:
    """The body text once every tracked change is accepted (or rejected), as Word would show it:
    deleted runs go (or stay), inserted runs stay (or go), a deleted paragraph mark joins its
    paragraph to the next (or is kept)."""
    body = document.element.body
    parts = []
    for p in body.iter(qn("w:p")):
        text = ""
        for r in p.iter(qn("w:r")):
            kind = r.getparent().tag
            if (kind == qn("w:del") and accept) or (kind == qn("w:ins") and not accept):
                continue
            for c in r:
                if c.tag in (qn("w:t"), qn("w:delText")):
                    text += c.text or ""
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}")
        parts.append(text + ("" if mark is not None and accept else "\n"))
    return "".join(parts)


def _fixed_text(doc) -> str:
    from reportlint.engine import apply_fixes, build_rules, check_document, drop_conflicting_fixes

    found = check_document(doc, build_rules(Config()))
    drop_conflicting_fixes(found)
    return apply_fixes(doc.text, found)[0]


PARAGRAPHS = [
    "（上接第一版）",
    "强化重大项目支撑。健全领导分包、季度观",
    "要 闻",
    "摩、定期调度等机制,加快推进项目建设。坚持扶持大企业 与培育中小企业两手抓。",
    "今年经济运行总体平稳，稳中有进。",
    "（下转第三版）",
]


@pytest.mark.parametrize("option", [["--fix", "--annotate"], ["--track-changes"]])
def test_fix_with_annotate_writes_tracked_changes(tmp_path, option) -> None:
    from reportlint.cli import main

    src = tmp_path / "r.docx"
    make_docx(src, PARAGRAPHS, bold_every=3)
    before = src.read_bytes()
    out = tmp_path / "out.docx"
    args = ["check", str(src), "--isolated", *option, str(out), "--comment-author", "校对"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1, res.output
    assert src.read_bytes() == before  # the original is never touched
    assert "处修订" in res.stderr
    annotated = docx.Document(str(out))
    marks = [el for el in annotated.element.body.iter() if el.tag in (qn("w:del"), qn("w:ins"))]
    assert marks and {m.get(qn("w:author")) for m in marks} == {"校对"}
    assert all(m.get(qn("w:date")) and m.get(qn("w:id")) for m in marks)
    doc = read_path(str(src))
    # accepted one by one in Word, the revisions give exactly what --fix gives for the text
    assert revisions_text(annotated, accept=True) == _fixed_text(doc)
    assert revisions_text(annotated, accept=False) == doc.text  # rejected: the original text
    accepted = revisions_text(annotated, accept=True)
    assert "季度观摩、定期调度等机制，加快" in accepted and "要 闻" not in accepted
    assert "大企业与培育" in accepted and "（上接第一版）" not in accepted
    assert "（下转第三版）" not in accepted
    # each finding still carries its comment, saying what the tracked change does
    texts = [c.text for c in annotated.comments]
    assert any(t.startswith("LAYOUT003") and "与下段合并（删去中间的“要 闻”）" in t for t in texts)


@needs_corpus()
def test_tracked_changes_on_the_seed_give_the_fixed_text(tmp_path) -> None:
    from reportlint.cli import main

    src = tmp_path / "seed.docx"
    make_docx(src, seed_lines(), bold_every=3)
    out = tmp_path / "seed-fixed.docx"
    res = CliRunner().invoke(main, ["check", str(src), "--isolated", "--fix", "--annotate", str(out)])
    assert res.exit_code == 1, res.output
    annotated = docx.Document(str(out))
    doc = read_path(str(src))
    assert revisions_text(annotated, accept=True) == _fixed_text(doc)
    assert revisions_text(annotated, accept=False) == doc.text


def test_word_comments_list_every_item_by_paragraph(tmp_path) -> None:
    src = tmp_path / "r.docx"
    make_docx(
        src,
        [
            "围绕总体要求，持续做好五个方面工作：",
            "（一）持续扩大有效投资。加快推进重点项目建设。",
            "（二）加快产业转型升级。推动制造业高质量发展。",
            "（三）全面推进乡村振兴。守好基本盘、筑牢压舱石。",
            "（四）持续增进民生福祉。办好民生实事。",
        ],
    )
    doc = read_path(str(src))
    found = run([doc], Config(select=("NUM001",)))[doc.path]
    assert [f.code for f in found] == ["NUM001"] and len(found[0].related) == 4
    out = tmp_path / "out.docx"
    annotate_docx(str(src), str(out), doc, found)
    (comment,) = docx.Document(str(out)).comments
    lines = comment.text.splitlines()
    assert lines[0].startswith("NUM001 ")
    assert lines[1:] == [  # all four items, placed as Word shows them: paragraph and its text
        "参见 第 2 段“（一）持续扩大有效投资。”：第1项",
        "参见 第 3 段“（二）加快产业转型升级。”：第2项",
        "参见 第 4 段“（三）全面推进乡村振兴。”：第3项",
        "参见 第 5 段“（四）持续增进民生福祉。”：第4项",
    ]
