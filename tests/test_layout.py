"""LAYOUT and PUNCT beyond the fixtures: the sentence statistics, furniture classes, clean news."""

from __future__ import annotations

import sys
from importlib import resources

import pytest
from conftest import CORPUS, needs_corpus

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import run
from reportlint.rules._layout import _header_kind, straddling_word
from reportlint.rules._standalone import cohesion, first_word, last_word, shape, standalone_stats


def findings(text: str, select: tuple[str, ...], **options) -> list[tuple[str, int, str]]:
    doc = Document.from_text(text, path="t.txt")
    found = run([doc], Config(select=select, rule_options=options))[doc.path]
    return sorted((f.code, f.span.line, f.severity.value) for f in found)


# --------------------------------------------------------------------------- the statistics


def test_stats_file_says_where_it_comes_from() -> None:
    text = resources.files("reportlint.data").joinpath("layout_stats.txt").read_text(encoding="utf-8")
    head = [ln for ln in text.splitlines()[:10] if ln.startswith("#")]
    assert any("tools/build_layout_stats.py" in ln for ln in head)
    assert any("tune part" in ln for ln in head)
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert {r[0] for r in rows} == {"t", "c", "w", "f", "e", "s", "k"}
    assert all(len(r) == 4 and int(r[2]) >= 0 and int(r[3]) >= 0 for r in rows)
    assert len(text.encode("utf-8")) < 400_000


def test_first_and_last_words_and_shapes() -> None:
    assert first_word("“加快发展服务业。") == "加快"
    assert first_word("2024年") is None
    assert last_word("凝聚各方合力，为") == "为"
    assert last_word("以PM") is None
    assert shape("安全稳定环境。") == shape("安全稳定环境")  # the closing marks do not count
    assert shape("建设，持续提升能级。").endswith(",<")
    assert shape("察势者智，驭势者赢。").endswith(",=")


def test_whole_sentences_score_above_tails() -> None:
    st = standalone_stats()
    whole = ["吴政隆参加上述活动。", "会议还研究了其他事项。", "一是推进农业结构调整。", "各位代表！"]
    tails = ["面发展。", "的满园春色。", "和发展。", "安全稳定环境。"]
    assert min(st.judge(t).score for t in whole) > 0 > max(st.judge(t).score for t in tails)
    assert st.end_score("凝聚各方合力，为")[0] < -2 < st.end_score("主要预期目标")[0]


def test_cohesion_counts_shared_topic_words() -> None:
    assert cohesion("加快发展服务业。", "这是促进结构升级的重要途径，要大力发展现代服务业。") == 1
    assert cohesion("加快发展服务业。", "全面推进乡村振兴。") == 0
    assert cohesion("发展。", "发展是第一要务。") == 0  # the commonest words say nothing about a topic


# --------------------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("经济·社会", "column"),
        ("文旅·消费", "column"),  # a column word the lexicon lacks, beside one it has
        ("周刊 副刊 社会", "column"),
        ("时 政", "spaced"),
        ("本报记者 王明 李华 摄", "byline"),
        ("（记者 张伟）", "byline"),
        ("责任编辑:罗桂 刘军", "byline"),
        ("本版责编：王明", "furniture"),
        ("两会 2024年3月5日 星期二", "furniture"),
        ("- 3 -", "page"),
        ("12", "number"),
        ("【字体：大 中 小】", "widget"),
        ("扫一扫在手机打开当前页", "widget"),
        ("关闭窗口｜返回顶部", "widget"),
        ("要闻", "section"),
        ("省长 王予波", None),  # a title and a name
        ("马克思·韦伯", None),  # a foreign name
        ("中共中央 国务院", None),  # the bodies that sign a document
        ("过去五年工作回顾", None),
        ("各位代表：", None),
    ],
)
def test_furniture_classes(line: str, kind: str | None) -> None:
    assert _header_kind(line) == kind


def test_word_read_across_a_break() -> None:
    assert straddling_word("奋力谱写中国式现代化湖", "南篇章") == "湖南"
    assert straddling_word("健全领导分包、季度观", "摩、定期调度") == "观摩"
    assert straddling_word("全面推进乡村振兴", "加快建设农业强国") is None


def test_orphan_thorough_adds_information_findings() -> None:
    text = "\n".join(
        [
            "全市粮食总产量稳定在50亿斤以上，农民收入持续增长。",
            "打开新的局面。",
            "全面推进乡村振兴，加快建设农业强市。",
        ]
    )
    assert findings(text, ("LAYOUT004",)) == []
    thorough = findings(text, ("LAYOUT004",), LAYOUT004={"thorough": True})
    assert thorough == [("LAYOUT004", 2, "info")]


def test_orphan_repeated_tail_points_at_its_sentence_and_can_be_turned_off() -> None:
    text = "\n".join(
        [
            "着力扩大有效投资，重大项目加快推进。",
            "全市粮食总产量稳定在50亿斤以上。",
            "大项目加快推进。",
            "全面推进乡村振兴，加快建设农业强市。",
        ]
    )
    doc = Document.from_text(text, path="t.txt")
    (f,) = run([doc], Config(select=("LAYOUT004",)))[doc.path]
    assert (f.span.line, f.span.column) == (3, 1)
    assert [(r.span.line, r.span.column, doc.text[r.span.start : r.span.end]) for r in f.related] == [
        (1, 11, "大项目加快推进。")
    ]
    assert "重大项目加快推进" in f.message.zh
    assert findings(text, ("LAYOUT004",), LAYOUT004={"repeats": False}) == []


def test_sentence_ends_found_by_search_and_by_index_alike() -> None:
    from reportlint.rules.layout_orphan import _SentenceEnds

    text = "\n".join(
        [
            "着力扩大有效投资，重大项目加快推进。大项目加快推进。社会事业全面发展。",
            "全面发展。大项目加快推进。",
            "坚持稳中求进，推动经济社会全面发展！",
            "发展。面发展。事业全面发展。项目加快推进。",
        ]
    )
    asked = ["大项目加快推进。", "面发展。", "全面发展！", "发展。", "推进。", "无此句。", "展。"]
    asked.append("大项目加快推进")  # no sentence end: never a tail
    searched, indexed = _SentenceEnds(text), _SentenceEnds(text)
    indexed.SEARCHES = 0
    got = [searched.repeated_tail(t) for t in asked]
    assert got == [indexed.repeated_tail(t) for t in asked]
    assert got[0] is not None and got[5] is None and got[-1] is None


# --------------------------------------------------------------------------- clean text


@needs_corpus()
def test_news_of_2025_stays_quiet() -> None:
    """The targets on unseen news: at most 0.05 LAYOUT and 0.1 PUNCT findings per 10,000 characters."""
    files = sorted((CORPUS / "news").glob("xwlb_2025*.txt"))
    if not files:
        pytest.skip("no news of 2025 in the corpus")
    docs = [Document.from_text(f.read_text(encoding="utf-8"), path=str(f)) for f in files]
    found = run(docs, Config(select=("LAYOUT", "PUNCT"), cross_file=False))
    chars = sum(d.chars for d in docs)
    per_10k = {
        fam: sum(1 for fs in found.values() for f in fs if f.code.startswith(fam)) / chars * 1e4
        for fam in ("LAYOUT", "PUNCT")
    }
    assert per_10k["LAYOUT"] <= 0.05 and per_10k["PUNCT"] <= 0.1, per_10k


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
