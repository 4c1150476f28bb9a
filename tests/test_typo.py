"""The TYPO family: lexicon, segmentation, candidates, config hooks, learn, and the seed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SEED, needs_corpus

from reportlint.config import Config, config_from_dict
from reportlint.document import Document
from reportlint.engine import build_rules, check_document, run
from reportlint.lexicon import (
    NEAR_SHAPE,
    SAME_TONE,
    Lexicon,
    common_readings,
    confusables,
    get_lexicon,
    readings,
    segment_text,
)


def findings(text: str, *codes: str, **cfg) -> list:
    doc = Document.from_text(text)
    return run([doc], Config(select=codes or ("TYPO",), **cfg))[doc.path]


# ------------------------------------------------------------------ lexicon


def test_lexicon_knows_words_and_not_typos() -> None:
    lex = get_lexicon()
    assert lex.freq("部署") > 1000 and "常常" in lex
    assert "志志" not in lex and lex.freq("省贵") == 0
    assert lex.tag("部署") == "n"


def test_segmentation_does_not_guess_unknown_words() -> None:
    lex = get_lexicon()
    assert lex.cut("参事志志档案") == ["参事", "志", "志", "档案"]
    assert lex.cut("产业链链长") == ["产业链", "链长"]


def test_prefix_lookup_and_packaged_terms() -> None:
    lex = get_lexicon()
    _f, more, _ = lex._probe("中华人民")
    assert more
    assert lex.freq("河长制") > 0  # data/allowed_terms.txt
    assert lex.freq("勠力同心") > 0  # the right form of a packaged confusion


def test_a_small_lexicon_from_text() -> None:
    lex = Lexicon("# test\n甲乙\t10\tn\n甲乙丙\t5\tn\n丁\t3\tn\n")
    assert lex.freq("甲乙") == 10 and lex._probe("甲乙")[1]
    assert lex.freq("甲") == 0 and lex._probe("甲")[1]
    assert lex.cut("甲乙丙丁") == ["甲乙丙", "丁"]


def test_segment_text_offsets() -> None:
    words = segment_text("推进5G建设", offset=10)
    assert [(w.start, w.end, w.text) for w in words] == [
        (10, 12, "推进"),
        (12, 14, "5G"),
        (14, 16, "建设"),
    ]
    assert words[1].tag == "eng" and not words[1].known


def test_document_words_hook() -> None:
    doc = Document.from_text("第一段推进工作。\n第二段加强管理。")
    assert [w.text for w in doc.words][:3] == ["第一段", "推进", "工作"]
    assert all(doc.text[w.start : w.end] == w.text for w in doc.words)


def test_readings_and_candidates() -> None:
    assert "zhi4" in readings("制")
    conf = confusables("智")
    assert conf["制"] == SAME_TONE
    assert confusables("己").get("已") == NEAR_SHAPE


def test_sound_candidates_go_by_the_readings_writers_type() -> None:
    # 和 is read huo in one use in a thousand: whoever means 和 types he, never huo.
    assert "huo4" in readings("和") and common_readings("和") == ("he2",)
    assert "和" not in confusables("或") and "或" not in confusables("和")
    # Both readings of 行 are common (银行, 行业 / 进行): 航 stays a candidate of 行.
    assert set(common_readings("行")) == {"xing2", "hang2"}
    assert confusables("航").get("行") == SAME_TONE
    # A particle keeps its neutral reading, which its longer words never show (土地 di4):
    # 得 and 地 stay sound candidates of each other.
    assert "de5" in common_readings("地")
    assert confusables("得").get("地") == SAME_TONE and confusables("地").get("得") == SAME_TONE


# ------------------------------------------------------------------ rules


def test_doubled_character_suggests_from_the_domain_lexicon() -> None:
    text = "做好统计、参事、志志、档案等工作。"
    plain = findings(text, "TYPO001", typo_level="review")
    assert [f.excerpt for f in plain] == ["志志"] and plain[0].fix.replacement == "志"
    doc = Document.from_text(text)
    rules = build_rules(Config(select=("TYPO001",), typo_level="review"))
    rules[0].context["domain_words"] = {"史志": 12, "档案": 30}
    found = check_document(doc, rules)
    assert found[0].fix.replacement == "史志" and not found[0].fix.safe


def test_allow_words_silence_findings() -> None:
    text = "积极推动动经济平稳运行。"
    assert findings(text, "TYPO001")
    assert not findings(text, "TYPO001", allow_words=("动动",))


def test_user_confusions_are_safe_fixes() -> None:
    found = findings("全面推行湖长治。", "TYPO005", confusions=(("湖长治", "湖长制"),))
    assert [f.fix.replacement for f in found] == ["湖长制"] and found[0].fix.safe


def test_context_confusion_is_a_suggestion() -> None:
    found = findings("截止2023年底，全市累计建成基站一万个。", "TYPO005")
    assert found and found[0].fix.replacement == "截至" and not found[0].fix.safe
    assert not findings("申报截止日期为本月底。", "TYPO005")


def test_house_style_is_off_by_default() -> None:
    text = "统筹做好其它各项工作。"
    assert not findings(text, "TYPO005")
    on = findings(text, "TYPO005", rule_options={"TYPO005": {"house_style": True}})
    assert [f.fix.replacement for f in on] == ["其他"]


def test_english_word_fix() -> None:
    found = findings("找准切入点 and 突破口。", "TYPO004")
    assert found[0].fix.replacement == "和" and found[0].severity.value == "error"


def test_wrong_character_found_with_suggestion() -> None:
    found = findings("推进社会信用体系键设。", "TYPO003")
    assert [(f.excerpt, f.fix.replacement) for f in found] == [("键", "建")]
    assert not found[0].fix.safe


def test_wrong_character_with_right_context() -> None:
    found = findings("中央整治局召开会议。", "TYPO003", typo_level="review")
    assert [(f.excerpt, f.fix.replacement) for f in found] == [("整", "政")]
    assert 0 < found[0].confidence < 1


def test_every_typo_finding_has_a_confidence() -> None:
    text = "推进社会信用体系键设，积极推动动经济，研发投入经费投入增长，找准切入点 and 突破口，做好工作布署。"
    found = findings(text, typo_level="review")
    assert {f.code for f in found} >= {"TYPO001", "TYPO002", "TYPO003", "TYPO004", "TYPO005"}
    assert all(f.confidence is not None and 0 <= f.confidence <= 1 for f in found)


def test_a_string_used_again_is_less_likely_a_slip() -> None:
    from reportlint.typo_score import DocTypo

    once = DocTypo("推进信用体系键设。").substitutions()
    thrice = DocTypo("推进信用体系键设。信用体系键设是重点。完成信用体系键设。").substitutions()
    assert once and thrice
    assert thrice[0].confidence <= once[0].confidence
    # the same suspect (键 → 建 in 键设), compared with itself: used three times, it is far less sure
    again = [s for s in thrice if s.replacement == "建" and s.start in (6, 13, 25)]
    first = next(s for s in once if s.replacement == "建" and s.start == 6)
    assert len(again) == 3

    def logit(p: float) -> float:
        return math.log(p / (1 - p))

    # by a clear margin in odds (confidences near 1 are compressed): e^2, over seven times less sure
    assert logit(first.confidence) - logit(max(s.confidence for s in again)) > 2


def test_review_level_adds_info_findings() -> None:
    text = "每年对下级单位进行绩效考合。"
    assert not findings(text, "TYPO003")
    found = findings(text, "TYPO003", typo_level="review")
    assert [(f.fix.replacement, f.severity.value) for f in found] == [("核", "info")]
    # The old option still means the same, for configs that use it.
    old = findings(text, "TYPO003", rule_options={"TYPO003": {"thorough": True}})
    assert [f.fix.replacement for f in old] == ["核"]


def test_numerals_are_never_corrected() -> None:
    assert not findings("二十届三中全会精神，第十三讲专题讲座。", "TYPO003", typo_level="review")


# ------------------------------------------------------------------ learn


def test_learn_builds_a_lexicon_that_silences_false_alarms(tmp_path: Path) -> None:
    from reportlint.learn import learn_documents, read_lexicon, write_lexicon

    reports = [
        "持续深化濮芮链长制，推进濮芮产业园建设。",
        "濮芮产业园新增企业十家，濮芮链长制成效明显。",
    ]
    learned = learn_documents([Document.from_text(t) for t in reports], min_count=2)
    assert "濮芮" in learned.new
    out = tmp_path / "domain.txt"
    write_lexicon(learned, out)
    assert read_lexicon(out)["濮芮"][1] == "new"
    cfg = config_from_dict({"lexicon": [str(out)]}, "test")
    assert cfg.lexicon == (str(out),)
    rules = build_rules(Config(select=("TYPO001",), lexicon=(str(out),)))
    assert rules[0].context["domain_words"]["濮芮"] >= 2


def test_learn_needs_two_documents_and_lists_what_the_rules_flag() -> None:
    from reportlint.learn import learn_documents

    one = learn_documents([Document.from_text("濮芮产业园建设。濮芮产业园投产。")], min_count=2)
    assert "濮芮" not in one.new  # twice, but in one document only
    slips = [Document.from_text("积极推动动经济平稳运行。"), Document.from_text("要推动动经济发展。")]
    learned = learn_documents(slips, min_count=2)
    assert learned.flagged and not set(learned.flagged) & set(learned.new)
    assert any("动动" in w for w in learned.flagged)


def test_learn_command(tmp_path: Path) -> None:
    from reportlint.cli import main

    folder = tmp_path / "past"
    folder.mkdir()
    (folder / "a.txt").write_text("推进芮濮园建设。芮濮园新增企业。\n", encoding="utf-8")
    (folder / "b.txt").write_text("芮濮园建设成效明显。\n", encoding="utf-8")
    out = tmp_path / "lex.txt"
    result = CliRunner().invoke(main, ["learn", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "芮濮园" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ real text


@needs_corpus()
def test_seed_typos() -> None:
    doc = Document.from_text(SEED.read_text(encoding="utf-8"), path=SEED.name)
    found = run([doc], Config(select=("TYPO",)))[doc.path]
    got = {(f.code, f.excerpt.strip()) for f in found}
    assert ("TYPO001", "志志") in got
    # 产业链链补链强链, a slip for 延链补链强链: the series after it (补链强链) gives it away.
    assert any(
        f.code == "TYPO001" and f.excerpt == "链链" and "补链" in doc.text[f.span.end : f.span.end + 3]
        for f in found
    )
    assert ("TYPO004", "and") in got
    assert {f.severity.value for f in found if f.code in ("TYPO001", "TYPO004")} == {"error"}
    assert any(f.code == "TYPO002" and "研发投入经费投入" in f.message.zh for f in found)
    assert any(f.code == "TYPO002" and "勇于创新开拓创新" in f.message.zh for f in found)
    text = doc.text
    for good in ("产业链链长", "实实在在", "牢牢", "钉钉子", "中医医院"):
        start = text.index(good)
        assert not any(
            f.code in ("TYPO001", "TYPO003") and f.span.start < start + len(good) and start < f.span.end
            for f in found
        ), good


@needs_corpus()
def test_quiet_on_clean_reports() -> None:
    rules = build_rules(Config(select=("TYPO",)))
    chars = count = 0
    for path in sorted((CORPUS / "reports").glob("*.txt"))[::4]:
        doc = Document.from_text(path.read_text(encoding="utf-8"), path=path.name)
        chars += len(doc.text)
        count += len(check_document(doc, rules))
    assert count * 10000 / chars <= 1.0


def test_fast_segmenter_gives_the_same_words_as_the_lexicon_route() -> None:
    pytest.importorskip("rjieba")
    lex = get_lexicon()
    runs = [
        "推进高质量发展",
        "中央政治局召开会议",
        "推进社会信用体系键设",
        "河长制全面推行",
        "勠力同心攻坚克难",
        "人民代表大会常务委员会",
        "截至年底",
        "统计参事志志档案",
        "我们再研究研究",
        "一带一路倡议走深走实",
        "专精特新中小企业",
    ]
    expected = {r: lex.route(r)[1] for r in runs}
    assert lex.enable_fast_cut()
    for r in runs:
        assert lex._route_from_words(r, lex._cut(r, False))[1] == expected[r], r


def test_long_documents_segment_like_short_ones() -> None:
    text = "深化改革开放，推进中国式现代化建设。河长制全面推行，截至年底完成目标。\n"
    short = [(w.text, w.freq, w.tag) for w in Document.from_text(text).words]
    long_doc = Document.from_text(text * 800)  # long enough for the fast segmenter
    words = long_doc.words
    assert [(w.text, w.freq, w.tag) for w in words[: len(short)]] == short
    assert words[len(short)].start == len(text)


def test_english_content_word_is_a_warning_without_fix() -> None:
    found = findings("持续深化reform开放。", "TYPO004")
    assert [(f.excerpt, f.severity.value, f.fix) for f in found] == [("reform", "warning", None)]
    assert not findings("下载政务app，每kg补贴，使用iPhone和GDP数据。", "TYPO004")


def test_doubled_characters_where_the_second_copy_starts_a_word() -> None:
    found = findings("坚持稳中求进，实现经济增增长，开展固体废物综综合治理行动。", "TYPO001")
    assert [f.excerpt for f in found] == ["增增", "综综"]
    # A doubled character heading a series of units that share it (延链补链强链).
    found = findings("要围绕主导产业链链补链强链，培育龙头企业。", "TYPO001")
    assert [f.excerpt for f in found] == ["链链"]


def test_doubled_character_after_a_role_word() -> None:
    # After a role word a doubled character is often a name (记者王芳芳); where the second
    # copy starts a common word it is a slip, reported at least at the review level.
    text = "会上，有关专家表表示，今年粮食将继续增产。"
    assert [f.excerpt for f in findings(text, "TYPO001", typo_level="review")] == ["表表"]
    assert not findings("会上，县议员野野村太郎介绍了当地经验。", "TYPO001", typo_level="review")


def test_doubled_function_characters() -> None:
    found = findings("今年的工作成效比预期的的要好，发展的基础更加牢固。", "TYPO001")
    assert [f.excerpt for f in found] == ["的的"]
    assert not findings("他对对方提出的方案表示赞同，双方就合作的目的达成一致。", "TYPO001")


def test_aabb_is_grammar_whether_or_not_ab_is_a_word() -> None:
    from reportlint.typo_score import _parallel, grammatical_doubling

    lex = get_lexicon()
    text = "祝愿大家和和美美、满满当当，走走看看。"
    for x in "和满走":
        assert grammatical_doubling(text, text.index(x + x), lex)
    assert not grammatical_doubling("实现经济增增长。", 4, lex)
    assert not findings(text, "TYPO001", typo_level="review")
    assert _parallel("产业链链补链强链", 2) and not _parallel("产业链链长和产业联盟", 2)


def test_units_written_twice() -> None:
    found = findings("过去五年五年来，全市城镇城镇新建住房大幅增加，要弘扬弘扬优良作风。", "TYPO002")
    assert [f.excerpt for f in found] == ["五年五年", "城镇城镇", "弘扬弘扬"]


def test_word_typed_twice_read_from_the_text() -> None:
    found = findings("持续优化营商环境营商环境，稳步稳步扩大开放。", "TYPO002")
    assert [f.excerpt for f in found] == ["营商环境营商环境", "稳步稳步"]
    assert not findings("大家再讨论讨论，这件事非常非常重要。", "TYPO002")
