"""The DUP family: repeated paragraphs and blocks, near-copies, splices, repeated sentences and phrases."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SEED, needs_corpus

from reportlint.cli import main
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import apply_fixes, run
from reportlint.rules._dup import describe_diff, find_duplicates, normalize

SCIENCE = (
    "强化科技创新引领。加快建设科技创新平台，新增省级重点实验室五家、工程技术研究中心十家。"
    "深化产学研合作，支持企业联合高校院所开展关键核心技术攻关，全年实施重大科技专项二十项。"
    "完善科技成果转化激励机制，建设技术转移服务中心，推动更多科研成果在本地落地转化。"
)
EDUCATION = (
    "办好人民满意的教育。新建改扩建公办幼儿园二十所，普惠性幼儿园覆盖率达到百分之九十二。"
    "推进义务教育优质均衡发展，新增学位一万个，深化集团化办学改革。"
)
TAIL = SCIENCE[SCIENCE.index("深化产学研合作") :]
JOBS = "全年新增城镇就业四万六千人，发放创业担保贷款二十亿元，创业担保贷款模式获得推广。"
WATER = "实施重大水利项目五十个以上，完成投资五十亿元以上，不断增强引水调水和防洪除涝功能。"
RIVERS = WATER + "科学规划水系连通工程，突出抓好河道综合治理，积极争取更多河段纳入国家防洪规划。"
ROADS = "打通断头路十二条，启动东西向快速通道建设，着力构建市城区与高铁站无缝衔接的路网体系。"


def dup(text: str, path: str = "t.txt", **cfg) -> list:
    doc = Document.from_text(text, path=path)
    return run([doc], Config(select=("DUP",), **cfg))[path]


# ----------------------------------------------------------------------------- the seed report


@needs_corpus()
def test_seed_repeated_block_and_splice_and_nothing_else() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = dup(text, path="seed.txt")
    assert [(f.code, f.span.line, f.span.end_line) for f in found] == [
        ("DUP003", 71, 71),
        ("DUP001", 73, 75),
    ]
    splice, block = found
    # the spliced tail of the education paragraph, pointing at the paragraph it came from
    assert splice.excerpt.startswith("推动更多科研成果转化应用。打造创新人才发展高地。")
    assert splice.excerpt.endswith("实现人生价值！")
    assert [r.span.line for r in splice.related] == [83]
    # the repeated block: one finding over both paragraphs. Its first print (73-75) stands
    # inside section (四) on social affairs, its second (85-87) in section 三 on manufacturing,
    # where it belongs: the first print is the one reported, related to the copy in its place
    assert (block.related[0].span.line, block.related[0].span.end_line) == (85, 87)
    assert block.severity.value == "error" and block.fix is not None and block.fix.safe


@needs_corpus()
def test_seed_fix_deletes_the_repeated_block() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = dup(text, path="seed.txt")
    fixed, applied = apply_fixes(text, found)
    assert [f.code for f in applied] == ["DUP001"]
    assert fixed.count("加快产业聚链成群") == 1 and fixed.count("强力推进招商引资") == 1
    assert fixed.index("三、深入实施制造业倍增行动") < fixed.index("加快产业聚链成群")
    assert "（下转第三版）" in fixed
    assert not [f for f in dup(fixed) if f.code == "DUP001"]


@needs_corpus()
def test_clean_reports_stay_quiet() -> None:
    """At most 0.2 findings per 10,000 characters on the clean reports, alone and together."""
    paths = sorted((CORPUS / "reports").glob("*.txt"))
    docs = [Document.from_text(p.read_text(encoding="utf-8"), path=str(p)) for p in paths]
    chars = sum(d.chars for d in docs)
    alone = sum(len(run([d], Config(select=("DUP",), cross_file=False))[d.path]) for d in docs)
    together = sum(len(v) for v in run(docs, Config(select=("DUP",))).values())
    assert alone / chars * 1e4 <= 0.2
    assert together / chars * 1e4 <= 0.2


# ----------------------------------------------------------------------------- within one file


def test_repeated_block_is_one_finding_with_safe_fix() -> None:
    text = f"（一）总体要求\n\n{JOBS}\n\n{WATER}\n\n{ROADS}\n\n{JOBS}\n\n{WATER}\n\n（二）主要任务\n"
    found = dup(text)
    assert [(f.code, f.span.line, f.span.end_line) for f in found] == [("DUP001", 9, 11)]
    assert (found[0].related[0].span.line, found[0].related[0].span.end_line) == (3, 5)
    fixed, _ = apply_fixes(text, found)
    assert fixed == f"（一）总体要求\n\n{JOBS}\n\n{WATER}\n\n{ROADS}\n\n（二）主要任务\n"


def test_repeated_block_takes_in_its_heading() -> None:
    text = f"一、稳增长\n{JOBS}\n{WATER}\n二、惠民生\n{ROADS}\n一、稳增长\n{JOBS}\n{WATER}\n"
    found = dup(text)
    assert [(f.code, f.span.line, f.span.end_line) for f in found] == [("DUP001", 6, 8)]


def test_repeated_block_at_end_of_text_fix_leaves_no_blank_tail() -> None:
    text = f"{JOBS}\n\n{WATER}\n\n{JOBS}"
    fixed, applied = apply_fixes(text, dup(text))
    assert applied and fixed == f"{JOBS}\n\n{WATER}"


def test_normalised_copy_gets_unsafe_fix() -> None:
    copy = JOBS.replace("，", ", ").replace("。", ".")
    found = dup(f"{JOBS}\n{WATER}\n{copy}\n")
    assert [f.code for f in found] == ["DUP001"]
    assert found[0].fix is not None and not found[0].fix.safe
    assert "标点" in found[0].message.zh


def test_copy_split_by_a_page_break_still_matches() -> None:
    cut = WATER.index("，") + 1  # the page broke the copy after a comma
    head, tail = WATER[:cut], WATER[cut:]
    text = f"{WATER}\n{ROADS}\n{head}\n\n要 闻\n\n{tail}\n"
    found = dup(text)
    assert [(f.code, f.span.line, f.span.end_line) for f in found] == [("DUP001", 3, 7)]
    assert not found[0].fix.safe  # the page header in between is not part of a mechanical copy


def test_near_copy_reports_similarity_and_difference() -> None:
    near = JOBS.replace("四万六千", "四万八千")
    found = dup(f"{JOBS}\n{WATER}\n{near}\n")
    assert [(f.code, f.span.line) for f in found] == [("DUP002", 3)]
    msg = found[0].message
    assert "97%" in msg.zh and "「四万六千人」→「四万八千人」" in msg.zh
    assert "similar" in msg.en
    assert found[0].fix is not None and not found[0].fix.safe


def test_near_threshold_is_an_option() -> None:
    near = JOBS.replace("四万六千", "四万八千")
    text = f"{JOBS}\n{WATER}\n{near}\n"
    doc = Document.from_text(text, path="t.txt")
    strict = Config(select=("DUP002",), rule_options={"DUP002": {"threshold": 0.99}})
    assert run([doc], strict)["t.txt"] == []


def test_splice_is_reported_on_the_paragraph_it_does_not_fit() -> None:
    for text, line in (
        (f"{SCIENCE}\n{EDUCATION}{TAIL}\n", 2),  # pasted onto a later paragraph
        (f"{EDUCATION}{TAIL}\n{SCIENCE}\n", 1),  # pasted onto an earlier paragraph
    ):
        found = dup(text)
        assert [(f.code, f.span.line) for f in found] == [("DUP003", line)]
        assert found[0].excerpt.startswith("深化产学研合作")
        assert found[0].related[0].span.line == 3 - line


def test_short_splice_over_the_last_sentence() -> None:
    last = "完善科技成果转化激励机制。"  # one short sentence, far below min_chars
    science = SCIENCE[: SCIENCE.index("深化产学研合作")] + last
    jobs = "稳定和扩大就业。" + JOBS + "开展职业技能培训两万人次。"
    spliced = jobs[: jobs.rindex("开展职业技能培训")] + last  # its last sentence pasted over
    found = dup(f"{science}\n{EDUCATION}\n{spliced}\n")
    assert [(f.code, f.span.line, f.excerpt) for f in found] == [("DUP003", 3, last)]
    assert found[0].related[0].span.line == 1
    # the same sentence inside another paragraph, not at its end, is a refrain at this length
    opening = last + SCIENCE[: SCIENCE.index("深化产学研合作")]
    assert dup(f"{opening}\n{EDUCATION}\n{spliced}\n") == []


def test_passage_min_chars_is_an_option() -> None:
    text = f"{SCIENCE}\n{EDUCATION}{TAIL}\n"
    doc = Document.from_text(text, path="t.txt")
    cfg = Config(select=("DUP003",), rule_options={"DUP003": {"min_chars": 200, "tail_min_chars": 200}})
    assert run([doc], cfg)["t.txt"] == []


def test_refrains_headings_and_lists_are_not_reported() -> None:
    text = "\n".join(
        [
            "各位代表！",
            "（一）总体要求",
            JOBS,
            "各位代表！",
            "（一）总体要求",
            WATER,
            "我们要继续努力。",
            ROADS,
            "我们要继续努力。",
            "1. 加快建设现代化产业体系，培育壮大新兴产业。",
            "2. 加快建设现代化基础设施体系，推进交通强市建设。",
            "各位代表！",
        ]
    )
    assert dup(text) == []


def test_word_repetitions_are_left_to_typo() -> None:
    assert dup("全年研发经费经费投入增长百分之十二，研发投入经费投入强度达到百分之二点五，实实在在。") == []


def test_repeated_sentence_and_phrase() -> None:
    text = (
        "推进老旧小区改造，完善配套设施。推进老旧小区改造，完善配套设施。"
        "加快推进重大项目建设加快推进重大项目建设。"
    )
    found = dup(text)
    assert [(f.code, f.span.column) for f in found] == [("DUP004", 17), ("DUP005", 43)]
    fixed, _ = apply_fixes(text, found)
    assert fixed == "推进老旧小区改造，完善配套设施。加快推进重大项目建设。"


def test_a_phrase_repeated_many_times_is_one_finding() -> None:
    unit = "推进高质量发展，"
    for times in (300, 3000):  # one long line; the larger input must complete as well
        text = "全年工作的主线是" + unit * times + "确保各项任务落到实处。\n"
        found = dup(text)
        assert [f.code for f in found] == ["DUP005"], times
        f = found[0]
        assert f.span.column == len("全年工作的主线是") + len(unit) + 1
        assert f.span.end - f.span.start == len(unit) * (times - 1)
        assert str(times - 1) in f.message.zh
        fixed, _ = apply_fixes(text, found)
        assert fixed == "全年工作的主线是" + unit + "确保各项任务落到实处。\n"


def test_repeated_clauses_in_a_row_are_one_finding() -> None:
    text = "加快推进重大项目建设，加快推进重大项目建设，加快推进重大项目建设，力争早日投产。\n"
    found = dup(text)
    assert [f.code for f in found] == ["DUP005"]
    fixed, _ = apply_fixes(text, found)
    assert fixed == "加快推进重大项目建设，力争早日投产。\n"


# ----------------------------------------------------------------------------- across files


def _two_reports() -> tuple[Document, Document]:
    a = Document.from_text(f"{SCIENCE}\n\n{JOBS}\n\n{RIVERS}\n", path="2023.txt")
    b = Document.from_text(f"{ROADS}\n\n{RIVERS}\n\n{EDUCATION}\n", path="2024.txt")
    return a, b


def test_cross_file_copy_is_reported_with_both_paths() -> None:
    a, b = _two_reports()
    found = run([a, b], Config(select=("DUP",)))
    assert found["2023.txt"] == []
    assert [(f.code, f.path, f.span.line) for f in found["2024.txt"]] == [("DUP001", "2024.txt", 3)]
    rel = found["2024.txt"][0].related[0]
    assert (rel.span.path, rel.span.line) == ("2023.txt", 5)
    assert "2023.txt" in found["2024.txt"][0].message.zh
    assert found["2024.txt"][0].fix is None  # copying last year's text may be deliberate


def test_cross_file_passage_and_no_cross_file() -> None:
    a = Document.from_text(f"{SCIENCE}\n", path="a.txt")
    b = Document.from_text(f"{EDUCATION}{SCIENCE[SCIENCE.index('加快建设') :]}\n", path="b.txt")
    found = run([a, b], Config(select=("DUP",)))
    assert [(f.code, f.path) for f in found["b.txt"]] == [("DUP003", "b.txt")]
    assert found["b.txt"][0].related[0].span.path == "a.txt"
    off = run([a, b], Config(select=("DUP",), cross_file=False))
    assert off["a.txt"] == [] and off["b.txt"] == []


def test_cross_file_template_text_is_not_a_copy() -> None:
    footer = (
        "本报告所列数据均为初步统计数，最终数据以统计部门正式发布的统计年鉴为准，"
        "部分指标因四舍五入存在尾差，特此说明并致谢各方支持。"
    )
    bodies = [JOBS, WATER, ROADS, EDUCATION]
    docs = [Document.from_text(f"{body}\n{footer}\n", path=f"{i}.txt") for i, body in enumerate(bodies)]
    found = run(docs, Config(select=("DUP",)))
    assert all(v == [] for v in found.values())
    # in only two files it is a copy
    found = run(docs[:2], Config(select=("DUP",)))
    assert [f.code for f in found["1.txt"]] == ["DUP001"]


def test_cli_two_files_sharing_a_paragraph(tmp_path: Path) -> None:
    a, b = _two_reports()
    pa, pb = tmp_path / "2023.txt", tmp_path / "2024.txt"
    pa.write_text(a.text, encoding="utf-8")
    pb.write_text(b.text, encoding="utf-8")
    runner = CliRunner()
    args = ["check", "--isolated", "--select", "DUP"]
    res = runner.invoke(main, [*args, "--format", "json", str(pa), str(pb)])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    [f] = data["findings"]
    assert (f["code"], f["path"], f["line"]) == ("DUP001", str(pb), 3)
    assert (f["related"][0]["path"], f["related"][0]["line"]) == (str(pa), 5)
    res = runner.invoke(main, [*args, "--no-cross-file", str(pa), str(pb)])
    assert res.exit_code == 0, res.output


# ----------------------------------------------------------------------------- helpers


def test_normalize_ignores_width_case_space_and_punctuation() -> None:
    wide = normalize("增长６.５％， ＧＤＰ  **稳中有进**。")
    assert wide == normalize("增长6.5%,GDP稳中有进.") == "增长65gdp稳中有进"


def test_describe_diff_shows_context() -> None:
    zh, en = describe_diff("研发经费投入增长百分之十二", "研发投入增长百分之十三")
    assert "「研发经费投入」→「研发投入」" in zh and "'" in en


def test_find_duplicates_on_many_paragraphs() -> None:
    rng = random.Random(5)
    pool = normalize(SCIENCE + EDUCATION + JOBS + WATER + ROADS)
    paras = ["，".join("".join(rng.choices(pool, k=12)) for _ in range(4)) + "。" for _ in range(300)]
    paras.insert(150, paras[20])  # an exact copy
    paras.insert(200, paras[30][:20] + "新" + paras[30][21:])  # a near copy
    paras[250] = paras[250] + TAIL  # a splice onto a paragraph ...
    paras.append(SCIENCE)  # ... from this one
    res = find_duplicates(paras)
    assert (150, 20, "exact", 100.0) in res["copies"]
    assert any(c[:3] == (200, 30, "near") for c in res["copies"])
    assert [(r[0], r[2]) for r in res["runs"]] == [(150, 1), (200, 1)]
    assert [(p[0], p[1]) for p in res["passages"]] == [(250, len(paras) - 1)]


@pytest.mark.parametrize("code", ["DUP001", "DUP002", "DUP003", "DUP004", "DUP005"])
def test_rules_explain_their_options(code: str) -> None:
    from reportlint.registry import load_rules

    cls = load_rules()[code]
    doc = cls.explanation()
    for option in cls.options:
        assert f"`{option}`" in doc, f"{code}: document option {option}"


_SECTIONS = [
    "一、持续扩大就业",
    "全年城镇新增就业五万人，开展职业技能培训三万人次，高校毕业生就业率保持在百分之九十以上，零就业家庭动态清零。",
    "完善就业公共服务体系，建设零工市场十个，帮助困难人员实现就业两千人，稳定农民工就业规模。",
    "加强困难群体就业帮扶，开发公益性岗位一千个，落实就业困难人员社会保险补贴，确保零就业家庭动态清零。",
    "二、推进制造业高质量发展",
    "实施制造业倍增行动，培育先进制造业集群，推动传统产业改造升级，新增规模以上工业企业一百家。",
    "加快产业聚链成群，强化产业链链长制，聚焦新材料、装备制造、食品加工三大产业集群，全年实施亿元以上"
    "工业项目一百二十个，工业投资增长百分之十五，培育专精特新企业三十家，推动产业集群向中高端迈进，"
    "加快形成龙头企业顶天立地、中小企业铺天盖地的发展格局。",
    "强力推进招商引资，创新产业链招商、以商招商模式，力争新签约制造业项目八十个，到位资金三百亿元，"
    "推动签约项目按计划落地开工、按节点加快建设、按预期投产达效。完善重大项目服务保障机制，强化用地、"
    "用能、资金等要素保障，确保项目早开工、早投产、早见效。",
    "三、办好民生实事",
]


def _block_finding(paras: list[str]) -> tuple[int, int]:
    found = [f for f in dup("\n".join(paras)) if f.code == "DUP001"]
    assert len(found) == 1
    return found[0].span.line, found[0].related[0].span.line


def test_a_block_printed_first_inside_another_section_is_the_copy_reported() -> None:
    s = _SECTIONS
    # the manufacturing block (lines 7-8 of section 二) printed first inside section 一,
    # a fragment of the text it displaced left after it
    misplaced = [s[0], s[1], s[6], s[7], "业高质量发展。", s[2], s[3], s[4], s[5], s[6], s[7], s[8]]
    assert _block_finding(misplaced) == (3, 10)
    f = next(f for f in dup("\n".join(misplaced)) if f.code == "DUP001")
    assert "上下文不符" in f.message.zh and f.related[0].message.zh == "原位的一处"
    # without damage around it, a better fit alone does not make the earlier print the copy
    undamaged = [s[0], s[1], s[6], s[7], s[2], s[3], s[4], s[5], s[6], s[7], s[8]]
    assert _block_finding(undamaged) == (9, 3)


def test_a_block_repeated_later_or_next_to_itself_is_reported_at_the_repeat() -> None:
    s = _SECTIONS
    assert _block_finding([*s, s[6], s[7]]) == (10, 7)  # pasted again at the end
    assert _block_finding([*s[:8], s[6], s[7], s[8]]) == (9, 7)  # pasted again right after
