"""Large documents are checked in windows (reportlint/windowed.py): same findings, bounded memory.

Every text here is written for these tests. The windows are made tiny (a few hundred
characters) so that a few kilobytes of text cross many window edges.
"""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from click.testing import CliRunner

from reportlint.cli import main
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import build_rules, check_document, check_many
from reportlint.windowed import (
    ENV,
    check_windowed,
    iter_windows,
    needs_windows,
    plan_windows,
    window_chars,
)

WINDOW = 400

_TOPICS = [
    "交通路网",
    "供水管网",
    "职业教育",
    "社区养老",
    "数字政务",
    "冷链物流",
    "文旅融合",
    "河湖治理",
    "智慧农业",
    "产业园区",
    "公共卫生",
    "应急保障",
    "城市更新",
    "电力设施",
    "体育场馆",
    "科技孵化",
]
_ACTIONS = ["统筹推进", "加快建设", "持续完善", "着力提升", "扎实开展", "有序实施"]


def filler(i: int) -> str:
    """A plain, correct paragraph, different for each ``i``."""
    topic = _TOPICS[i % len(_TOPICS)]
    other = _TOPICS[(i * 5 + 3) % len(_TOPICS)]
    act = _ACTIONS[i % len(_ACTIONS)]
    return f"{act}{topic}第{i + 1}批项目，同步带动{other}配套工程，项目编号为{i * 37 + 1001}号。"


# Paragraphs with one problem each (or none), for the per-paragraph rules.
PROBLEMS = [
    "我们把项目建设作为 稳增长的关键抓手，全年实施重点项目86个，完成投资143亿元。",
    "坚持创新驱动,新增高新技术企业21家,科技型中小企业评价入库57家。",
    "实施“乡村振兴十大行动，建成高标准农田3.2万亩，粮食总产量稳定在40万吨以上。",
    "（下转第二版）",
    "全县连续五年获评“全省县域经济发展先进\n县”，综合实力和群众获得感持续增强。",  # broken by a page
    "加快构建现代化产业体系，推动传统产业转型升升级，培育壮大新兴产业集群。",
    "统筹发展and安全，守牢安全生产底线，全年未发生较大以上安全事故。",
    "持续优化营商环境。深化行政审批制度改革，政务服务事项全部实现网上可办。持续优化营商环境。",
    "着力提升公共服务服务水平，新建幼儿园4所、中小学教学楼6栋。",
    "全县共有卫生院12所，其中中心卫生院5所、一般卫生院6所。",
    "我们将坚持把人民群众的小事当作政府的大事，用心用情办好民生实事 。",
]


def report_text(n_filler: int = 40) -> str:
    """A report-like text: a title, then filler paragraphs with the problems spread among them."""
    paras = ["2025年某县政府工作报告", "各位代表："]
    k = 0
    for i in range(n_filler):
        paras.append(filler(i))
        if i % 3 == 1 and k < len(PROBLEMS):
            paras.append(PROBLEMS[k])
            k += 1
    paras.extend(PROBLEMS[k:])
    return "\n".join(paras) + "\n"


def key(f) -> tuple:
    return (
        f.code,
        f.span,
        f.message,
        f.excerpt,
        f.fix,
        tuple(r.span for r in f.related),
        tuple(r.message for r in f.related),
    )


# Rules whose verdict depends on the paragraph and its neighbours only. Left out: the DUP
# family (compared below), NUM001-NUM003 and TYPO003, which weigh the whole document.
DOCUMENT_WIDE = ("DUP", "NUM001", "NUM002", "NUM003", "TYPO003")


def local_rules():
    return [r for r in build_rules(Config()) if not r.code.startswith(DOCUMENT_WIDE)]


# ----------------------------------------------------------------------------- planning


def test_windows_cover_the_text_at_line_breaks() -> None:
    text = report_text()
    windows = plan_windows(text, WINDOW)
    assert len(windows) > 5
    assert windows[0].start == 0 and windows[-1].end == len(text)
    for a, b in pairwise(windows):
        assert a.end == b.start  # cores tile the text
        assert text[b.start - 1] == "\n"  # and are cut at line breaks
    for w in windows:
        assert w.end - w.start <= WINDOW
        assert w.ctx_start <= w.start < w.end <= w.ctx_end
        assert w.ctx_start == 0 or text[w.ctx_start - 1] == "\n"
        assert w.ctx_end == len(text) or text[w.ctx_end - 1] == "\n"
        assert w.start - w.ctx_start <= WINDOW and w.ctx_end - w.end <= WINDOW


def test_a_line_longer_than_the_window_is_cut_after_a_sentence() -> None:
    line = "".join(f"第{i}句话说明一项具体工作安排。" for i in range(60))
    text = "标题\n" + line + "\n结尾一段。\n"
    windows = plan_windows(text, 200)
    inner = [w.end for w in windows[:-1] if text[w.end - 1] != "\n"]
    assert inner  # cut inside the long line ...
    assert all(text[c - 1] == "。" for c in inner)  # ... after a sentence end
    hard = plan_windows("甲" * 1000, 300)  # no sentence end: cut at the window size
    assert [w.end - w.start for w in hard] == [300, 300, 300, 100]


def test_window_size_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(ENV, "1234")
    assert window_chars() == 1234
    monkeypatch.setenv(ENV, "0")  # 0: never windowed
    assert not needs_windows(Document.from_text(report_text()))
    monkeypatch.delenv(ENV)
    assert window_chars() > 100_000
    assert not needs_windows(Document.from_text(report_text()))  # small: the old path


def test_window_documents_number_lines_as_the_file() -> None:
    text = report_text()
    doc = Document.from_text(text, path="r.txt")
    for w in iter_windows(doc, WINDOW):
        for p in w.paragraphs:
            assert p.text == doc.line_text(p.line).strip()
            assert w.line_text(p.line) == doc.line_text(p.line)


# ----------------------------------------------------------------------------- same findings


def test_local_rules_find_the_same_in_windows() -> None:
    text = report_text()
    whole = check_document(Document.from_text(text, path="r.txt"), local_rules())
    codes = {f.code for f in whole}
    # the text exercises rules of every family checked here
    assert {"PUNCT001", "PUNCT002", "PUNCT003", "LAYOUT002", "LAYOUT003", "TYPO004"} <= codes
    assert any(f.fix is not None for f in whole)
    for size in (WINDOW, 250, 700):
        got = check_windowed(Document.from_text(text, path="r.txt"), local_rules(), size)
        assert [key(f) for f in got] == [key(f) for f in whole], size


def test_per_paragraph_dup_rules_find_the_same_in_windows() -> None:
    text = report_text()
    rules = [r for r in build_rules(Config()) if r.code in ("DUP004", "DUP005")]
    whole = check_document(Document.from_text(text, path="r.txt"), rules)
    assert any(f.code == "DUP004" for f in whole)
    got = check_windowed(Document.from_text(text, path="r.txt"), rules, WINDOW)
    assert [key(f) for f in got] == [key(f) for f in whole]


def test_a_paragraph_repeated_in_a_later_window_is_a_duplicate() -> None:
    first = "坚持以人民为中心的发展思想，把新增财力的七成以上用于保障和改善民生，办好十件民生实事。"
    block = [
        "推进县域商业体系建设，新建乡镇商贸中心3个、村级便民网点40个，农村快递实现村村通。",
        "加强基层医疗卫生服务能力建设，每个乡镇卫生院至少配备两名全科医生。",
    ]
    paras = ["2025年某县政府工作报告", first, *block]
    paras += [filler(i) for i in range(30)]
    paras += [first]  # a single repeated paragraph, far below
    paras += [filler(i) for i in range(30, 45)]
    paras += block  # a repeated block of two
    paras += [filler(i) for i in range(45, 50)]
    text = "\n".join(paras) + "\n"
    rules = [r for r in build_rules(Config()) if r.code == "DUP001"]
    doc = Document.from_text(text, path="r.txt")
    windows = plan_windows(text, WINDOW)
    got = check_windowed(doc, rules, WINDOW)
    assert [f.code for f in got] == ["DUP001", "DUP001"]
    single, run = got
    copy_at = text.index(first, len(first))
    assert (single.span.start, single.span.end) == (copy_at, copy_at + len(first))
    orig = text.index(first)
    assert (single.related[0].span.start, single.related[0].span.end) == (orig, orig + len(first))
    assert single.related[0].span.line == 2 and single.span.line == 35
    assert "第2行" in single.message.zh
    # the copy and its original are in different windows, beyond each other's context
    w_first = next(w for w in windows if w.start <= text.index(first) < w.end)
    w_copy = next(w for w in windows if w.start <= copy_at < w.end)
    assert w_first.ctx_end <= copy_at
    assert w_copy.ctx_start > text.index(first)
    # the block: one finding over both paragraphs, related to the first block
    b0 = text.index(block[0], text.index(block[0]) + 1)
    assert (run.span.start, run.span.end) == (b0, b0 + len(block[0]) + 1 + len(block[1]))
    assert run.related[0].span.line == 3 and run.related[0].span.end_line == 4
    assert "连续2段" in run.message.zh
    assert run.fix is not None and run.fix.safe
    # the same findings as one Document
    whole = check_document(Document.from_text(text, path="r.txt"), rules)
    assert [key(f) for f in got] == [key(f) for f in whole]


def test_duplicates_within_and_across_windows_are_reported_once() -> None:
    rep = "深入实施城市更新行动，完成城中村改造项目5个，改造燃气、供排水等老旧管网60公里。"
    paras = []
    for i in range(60):
        paras.append(filler(i))
        if i % 7 == 3:
            paras.append(rep)
    text = "\n".join(paras) + "\n"
    rules = [r for r in build_rules(Config()) if r.code.startswith("DUP")]
    whole = check_document(Document.from_text(text, path="r.txt"), rules)
    got = check_windowed(Document.from_text(text, path="r.txt"), rules, WINDOW)
    spans = [(f.span.start, f.span.end) for f in got if f.code == "DUP001"]
    copies = [i for i in range(len(text)) if text.startswith(rep, i)]
    assert sorted(s for s, _ in spans) == copies[1:]  # each later copy once
    assert all(f.related[0].span.start == copies[0] for f in got if f.code == "DUP001")
    assert [key(f) for f in got if f.code == "DUP001"] == [key(f) for f in whole if f.code == "DUP001"]


def test_cross_file_search_leaves_out_windowed_documents(monkeypatch) -> None:
    shared = (
        "推动制造业高端化智能化绿色化发展，新增省级专精特新中小企业三十家，"
        "建成智能工厂和数字化车间十二个，规模以上工业企业研发活动实现全覆盖。"
    )
    a = Document.from_text(report_text() + shared + "\n", path="a.txt")
    b = Document.from_text("各位代表：\n" + shared + "\n", path="b.txt")
    rules = [r for r in build_rules(Config(cross_file=True)) if r.code == "DUP001"]
    assert check_many([a, b], rules)  # copied from one file into the other
    monkeypatch.setenv(ENV, str(WINDOW))
    assert needs_windows(a) and not needs_windows(b)
    assert check_many([a, b], rules) == []


# ----------------------------------------------------------------------------- command line


def _cli(monkeypatch, window: int, *args: str):
    monkeypatch.setenv(ENV, str(window))
    return CliRunner().invoke(main, list(args))


def test_json_excerpt_is_the_text_at_the_offsets(tmp_path, monkeypatch) -> None:
    text = report_text() + filler(3) + "\n"  # and a paragraph repeated far below
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    r = _cli(monkeypatch, WINDOW, "check", "--format", "json", str(f))
    assert r.exit_code == 1, r.output
    data = json.loads(r.output)
    assert len(data["findings"]) > 10
    assert any(x["code"] == "DUP001" and x["related"] for x in data["findings"])
    lines = text.split("\n")
    for x in data["findings"]:
        span = text[x["offset"] : x["end_offset"]]
        want = span if len(span) <= 80 else span[:38] + "…" + span[-38:]
        assert x["excerpt"] == want, x
        assert lines[x["line"] - 1][x["column"] - 1 :].startswith(span.split("\n")[0])
        for rel in x["related"]:
            assert lines[rel["line"] - 1][rel["column"] - 1 :].startswith(
                text[rel["offset"] : rel["end_offset"]].split("\n")[0]
            )
    whole = _cli(monkeypatch, 0, "check", "--format", "json", "--select", "PUNCT,LAYOUT,TYPO004", str(f))
    part = _cli(monkeypatch, WINDOW, "check", "--format", "json", "--select", "PUNCT,LAYOUT,TYPO004", str(f))
    assert json.loads(part.output)["findings"] == json.loads(whole.output)["findings"]


def test_text_output_shows_the_file_lines(tmp_path, monkeypatch) -> None:
    text = report_text()
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    whole = _cli(monkeypatch, 0, "check", "--no-color", "--select", "PUNCT,LAYOUT", str(f))
    part = _cli(monkeypatch, WINDOW, "check", "--no-color", "--select", "PUNCT,LAYOUT", str(f))
    assert part.exit_code == 1 and part.output == whole.output
    assert "稳增长的关键抓手" in part.output


@pytest.mark.parametrize("select", ["PUNCT,LAYOUT,TYPO004,DUP001", "ALL"])
def test_fix_gives_the_same_file_in_windows(tmp_path, monkeypatch, select) -> None:
    rep = "全年新增城镇就业五千二百人，城镇调查失业率控制在百分之五以内，零就业家庭动态清零。"
    text = report_text().replace(filler(5), filler(5) + "\n" + rep) + rep + "\n" + filler(99) + "\n"
    sel = [] if select == "ALL" else ["--select", select]
    results = []
    for window in (0, WINDOW):
        f = tmp_path / f"w{window}" / "r.txt"
        f.parent.mkdir()
        f.write_text(text, encoding="utf-8")
        r = _cli(monkeypatch, window, "check", "--fix", *sel, str(f))
        assert r.exit_code in (0, 1), r.output
        assert "fixed" in r.output
        results.append(f.read_text(encoding="utf-8"))
    assert results[0] == results[1]
    assert results[0] != text
    assert "作为稳增长" in results[0]  # the stray space removed
    assert results[0].count(rep) == 1  # the repeated paragraph deleted


def test_small_files_take_the_old_path(monkeypatch) -> None:
    import reportlint.windowed as windowed

    def fail(*a, **k):  # pragma: no cover - would mean a small file went through windows
        raise AssertionError("windowed")

    monkeypatch.setattr(windowed, "check_windowed", fail)
    doc = Document.from_text(report_text(), path="r.txt")
    assert check_document(doc, build_rules(Config()))


def test_a_line_longer_than_the_window_is_checked_in_pieces() -> None:
    sentences = [filler(i) for i in range(40)]
    sentences[7] = PROBLEMS[0]  # a stray space
    sentences[23] = PROBLEMS[1]  # half-width commas
    sentences[38] = PROBLEMS[-1]  # a space before the full stop
    text = "2025年某县政府工作报告\n" + "".join(sentences) + "\n" + filler(50) + "\n"
    assert len(text.split("\n")[1]) > 3 * WINDOW
    rules = [r for r in build_rules(Config()) if r.code.startswith("PUNCT")]
    whole = check_document(Document.from_text(text, path="r.txt"), rules)
    assert len(whole) == 4 and {f.span.line for f in whole} == {2}
    got = check_windowed(Document.from_text(text, path="r.txt"), rules, WINDOW)
    assert [key(f) for f in got] == [key(f) for f in whole]


def test_markdown_is_checked_in_windows_of_its_blocks() -> None:
    from reportlint.readers.md import markdown_document

    body = report_text().replace("\n", "\n\n")
    text = f"# 年度报告\n\n{body}\n```\nx = 1 ,2\n```\n\n- 第一项 ,有空格\n- 第二项。\n\n{filler(77)}\n"
    whole = check_document(markdown_document(text, path="r.md"), local_rules())
    assert len(whole) > 5
    got = check_windowed(markdown_document(text, path="r.md"), local_rules(), WINDOW)
    assert [key(f) for f in got] == [key(f) for f in whole]


def test_each_window_document_is_freed_before_the_next(monkeypatch) -> None:
    import gc
    import weakref

    import reportlint.windowed as windowed

    made: list = []
    build = windowed.window_document

    def tracked(doc, w):
        wdoc = build(doc, w)
        alive = [r for r in made if r() is not None]
        assert not alive  # the previous window's Document (and its views) is gone
        made.append(weakref.ref(wdoc))
        return wdoc

    monkeypatch.setattr(windowed, "window_document", tracked)
    gc.disable()  # freed by reference counting, not by a later collection
    try:
        check_windowed(Document.from_text(report_text()), build_rules(Config()), WINDOW)
    finally:
        gc.enable()
    assert len(made) > 5
