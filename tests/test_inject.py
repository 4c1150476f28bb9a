"""The defect injector puts each defect where it says it is (small texts written for the tests)."""

from __future__ import annotations

import difflib
import itertools
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inject import (
    COMMON_WORDS,
    CONFUSIONS,
    FAMILIES,
    KINDS,
    Injected,
    Injection,
    cn_to_int,
    inject,
    inject_one,
    int_to_cn,
    is_han,
    split_paragraphs,
)

# Two layouts: one paragraph per line, and blank lines with ideographic indents.
LINES = [
    "2030年某市政府工作报告",
    "——2030年1月10日在某市人民代表大会上",
    "各位代表：",
    "一、过去一年的工作回顾",
    "过去一年，全市地区生产总值增长5.6%，一般公共预算收入增长4.2%，城镇新增就业6.1万人。"
    "我们坚持稳中求进，经济运行总体平稳，发展质量稳步提升，居民收入和经济增长基本同步。",
    "我们重点做好以下三项工作：一是加快推进项目建设，全年新开工重大项目120个；"
    "二是持续优化营商环境，经营主体增长8.5%；三是扎实推进乡村振兴，农村居民收入稳步增长。",
    "（一）产业体系加快升级。聚焦装备制造、电子信息、新材料三大产业，实施技术改造项目56个，"
    "规模以上工业增加值增长7.1%。深入实施创新驱动发展战略，高新技术企业达到420家。",
    "（二）城市功能持续完善。新建改建道路35公里，完成老旧小区改造62个，建成口袋公园18处。"
    "城市管理精细化水平不断提高，群众满意度明显提升，“十五分钟生活圈”覆盖全部街道。",
    "（三）民生保障更加有力。新增学位1.2万个，新建社区卫生服务中心4个（含两个中医馆）。"
    "健全多层次社会保障体系，城乡居民基本养老保险参保率稳定在98%以上。",
    "粮食、油料和蔬菜产量分别增长2.1%、3.4%和5.2%，农业生产形势良好，农民收入稳步增长，乡村面貌持续改善。",
    "二、今年的主要任务",
    "今年工作的总体部署是：坚持以人民为中心的发展思想，统筹发展和安全，推动经济实现质的有效提升"
    "和量的合理增长。全年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业6万人以上。",
    "（一）着力扩大有效需求。实施城市更新、交通建设、水利设施等五大工程，固定资产投资增长6%以上。"
    "鼓励社会资本参与基础设施建设，推动“投建营”一体化发展，提高投资效益和服务质量。",
    "（二）着力建设现代化产业体系。坚持把发展经济的着力点放在实体经济上，推动传统产业改造提升，"
    "培育壮大战略性新兴产业，加快建设先进制造业基地，提升企业自主创新能力和市场竞争力。",
    "（三）着力增进民生福祉。健全就业服务体系，提高基本养老和医疗保障水平，完善住房保障制度，"
    "让群众有更多获得感、幸福感和安全感，确保各项民生实事按期完成。",
    "各位代表！新的一年，让我们团结一心、真抓实干，为建设美好家园而努力奋斗！",
]
FLAT = "\n".join(LINES) + "\n"
INDENTED = "\n\n".join("\u3000\u3000" + ln if i > 2 else ln for i, ln in enumerate(LINES)) + "\n"
TEXTS = {"flat": FLAT, "indented": INDENTED}
SEEDS = range(12)

MARKER_RE = re.compile(r"^[（(](?:上接|下转|紧接|转|接)第?(?:[一二三四五六七八九十]+|\d+|A\d)[版页][）)]$")
PUNCT_AFTER_SPACE = "，。、；：？！”）》"


def para_at(text: str, start: int, end: int):
    """The paragraph of the injected text that spans exactly [start, end), or None."""
    return next((p for p in split_paragraphs(text) if p.start == start and p.end == end), None)


def para_containing(text: str, offset: int):
    return next(p for p in split_paragraphs(text) if p.start <= offset < p.end)


def previous_para(text: str, p):
    paras = split_paragraphs(text)
    return paras[p.index - 1]


# --------------------------------------------------------------------------- one check per kind


def check_dup_paragraph(out: Injected, inj: Injection) -> None:
    t = out.text
    ((rs, re_),) = inj.related
    assert t[inj.start : inj.end] == t[rs:re_]
    first = para_containing(t, inj.start)
    assert first.start == inj.start  # the copy starts a paragraph ...
    last = para_containing(t, inj.end - 1)
    assert last.end == inj.end  # ... and ends one
    src = para_containing(t, rs)
    assert src.start == rs and para_containing(t, re_ - 1).end == re_
    if first is last:
        assert first.text == src.text


def check_near_copy(out: Injected, inj: Injection) -> None:
    t = out.text
    p = para_at(t, inj.start, inj.end)
    assert p is not None, "the near copy is a whole paragraph"
    ((rs, re_),) = inj.related
    src = para_at(t, rs, re_)
    assert src is not None and src.index != p.index
    assert p.text != src.text
    assert difflib.SequenceMatcher(None, p.text, src.text).ratio() > 0.9


def check_spliced_tail(out: Injected, inj: Injection) -> None:
    t = out.text
    ((rs, re_),) = inj.related
    assert t[inj.start : inj.end] == t[rs:re_]
    assert t[inj.end - 1] in "。！？"
    host, src = para_containing(t, inj.start), para_containing(t, rs)
    assert host.index != src.index and inj.end <= host.end
    assert src.end == re_  # the tail of its own paragraph


def check_page_header(out: Injected, inj: Injection) -> None:
    t = out.text
    block = t[inj.start : inj.end]
    assert not any(c in block for c in "。！？")  # furniture, not a sentence
    lines = [x for x in block.split("\n") if x]
    # a web widget may come one item per line; other furniture is one short line
    assert ("/lines" in inj.realisation) == (len(lines) > 1)
    if inj.realisation.endswith("/top"):  # a web page's furniture above the title
        assert inj.start == 0 and t[inj.end] == "\n"
        return
    if inj.realisation.endswith("/end"):  # or below the end
        assert t[inj.start - 1] == "\n" and not t[inj.end :].strip()
        return
    first, last = para_containing(t, inj.start), para_containing(t, inj.end - 1)
    assert first.text == lines[0] and last.text == lines[-1]
    assert len(lines) > 1 or len(first.text) <= 24
    before = previous_para(t, first)
    nxt = split_paragraphs(t)[last.index + 1]
    if inj.realisation.endswith("/between"):
        assert before.text[-1] in "。！？；" and before.is_prose and nxt.is_prose
    else:
        assert is_han(before.text[-1])  # the paragraph was cut mid-sentence
        assert is_han(nxt.text[0])


def check_broken_paragraph(out: Injected, inj: Injection) -> None:
    t = out.text
    seg = t[inj.start : inj.end]
    assert not seg[0].isspace() and not seg[-1].isspace()
    gap = seg[1:-1]
    assert "\n" in gap
    if inj.realisation.endswith("/furniture"):
        lines = [ln.strip() for ln in gap.split("\n") if ln.strip()]
        assert len(lines) == 1 and not any(c in lines[0] for c in "。！？")  # one line of page furniture
    else:
        assert not gap.strip()
    if inj.realisation.endswith("/blank_lines"):
        assert gap.count("\n") >= 2
    assert seg[0] not in "。！？"  # mid-sentence
    assert para_containing(t, inj.start).end == inj.start + 1  # the first half ends here
    if inj.realisation.startswith("after_comma"):
        head = para_containing(t, inj.start).text
        assert "，" in head[-4:-1] and head[-1] != "，"


def check_continuation_marker(out: Injected, inj: Injection) -> None:
    assert MARKER_RE.match(out.text[inj.start : inj.end])


def check_orphan_tail(out: Injected, inj: Injection) -> None:
    t = out.text
    p = para_at(t, inj.start, inj.end)
    assert p is not None and 4 <= len(p.text) <= 20
    start, ending, neighbour = inj.realisation.split("/")
    assert start in ("any", "word") and neighbour in ("alone", "byline", "header")
    body = p.text.rstrip("。！？；”’）》")
    assert body and is_han(body[0]) and not any(c in "。！？；" for c in body)
    if ending == "plain":
        assert p.text[-1] in "。；"
    elif ending == "exclaim":
        assert p.text.rstrip("”’）》").endswith("！")
    else:
        assert p.text.endswith(("”", "”。")) and "“" not in p.text
    # the tail of a sentence of the original text
    assert p.text in out.original
    paras = split_paragraphs(t)
    around = [paras[p.index - 1], paras[p.index + 1] if p.index + 1 < len(paras) else None]
    host = next(q for q in reversed(paras[: p.index]) if q.text[-1] == "。" and q.is_prose)
    assert host.index in (p.index - 1, p.index - 2)
    if neighbour == "alone":
        assert host.index == p.index - 1
    else:  # a byline or column header right before or after it
        assert any(q is not None and not any(c in q.text for c in "。，") for q in around)


def check_stray_space(out: Injected, inj: Injection) -> None:
    t = out.text
    seg = t[inj.start : inj.end]
    assert seg and not seg.strip(" \u3000\u00a0")
    assert is_han(t[inj.start - 1])
    assert is_han(t[inj.end]) or t[inj.end] in PUNCT_AFTER_SPACE


def check_halfwidth_punct(out: Injected, inj: Injection) -> None:
    t = out.text
    seg = t[inj.start : inj.end]
    if len(seg) == 1:
        assert seg in ",;:.?!" and is_han(t[inj.start - 1])
    else:
        assert (seg[0], seg[-1]) in (("(", ")"), ('"', '"'))
        assert any(is_han(c) for c in seg)


def check_english_word(out: Injected, inj: Injection) -> None:
    t = out.text
    seg = t[inj.start : inj.end]
    assert seg.isascii() and seg.isalpha() and len(seg) >= 3
    left = t[: inj.start].rstrip(" ")
    right = t[inj.end :].lstrip(" ")
    assert is_han(left[-1]) and is_han(right[0])


def check_doubled_char(out: Injected, inj: Injection) -> None:
    t = out.text
    a, b = t[inj.start : inj.end]
    assert a == b and is_han(a)
    assert t[inj.start - 1] != a and t[inj.end] != a


def check_word_twice(out: Injected, inj: Injection) -> None:
    seg = out.text[inj.start : inj.end]
    half = len(seg) // 2
    assert len(seg) % 2 == 0 and seg[:half] == seg[half:] and seg[:half] in COMMON_WORDS


def check_wrong_char(out: Injected, inj: Injection) -> None:
    seg = out.text[inj.start : inj.end]
    pairs = {w: r for r, w, _ in CONFUSIONS}
    assert seg in pairs
    o = out.to_original(inj.start - 1) + 1
    assert out.original[o : o + len(pairs[seg])] == pairs[seg]


def _marker_value(s: str) -> int:
    m = re.search(r"[一二三四五六七八九十]+|\d+", s.replace("两", "二"))
    assert m
    return int(m.group()) if m.group().isdigit() else cn_to_int(m.group())


def check_numbering_skip(out: Injected, inj: Injection) -> None:
    t = out.text
    ((rs, re_),) = inj.related
    now, before = t[inj.start : inj.end], t[rs:re_]
    assert _marker_value(now) - _marker_value(before) >= 2
    assert re.sub(r"[一二三四五六七八九十\d]+", "N", now) == re.sub(r"[一二三四五六七八九十\d]+", "N", before)


def check_count_mismatch(out: Injected, inj: Injection) -> None:
    seg = out.text[inj.start : inj.end]
    if inj.realisation in ("colon_list", "drop_section"):
        assert _marker_value(seg) != len(inj.related)
        return
    m = re.fullmatch(r"(.+?)(等)?([一二三四五六七八九十两]+|\d+)[个项大类条种家所座批支]", seg)
    assert m, seg
    items = m.group(1).count("、") + 1
    assert _marker_value(m.group(3).replace("两", "二")) != items


def check_indicator_conflict(out: Injected, inj: Injection) -> None:
    t = out.text
    ((rs, re_),) = inj.related
    new, old = t[inj.start : inj.end], t[rs:re_]
    num = re.compile(r"\d+(?:\.\d+)?|(?<=百分之)[一二三四五六七八九十零点]+")
    assert num.sub("N", new) == num.sub("N", old)  # same indicator, same wording
    assert num.findall(new) != num.findall(old)  # another value
    if inj.realisation == "target_restated":
        assert "左右" in new and ("目标" in t or "提出" in t[inj.start - 2 : inj.start])


def check_respectively_mismatch(out: Injected, inj: Injection) -> None:
    t = out.text
    assert t[inj.start : inj.start + 2] == "分别"
    s = inj.start
    while s > 0 and t[s - 1] not in "，。；：\n":
        s -= 1
    subjects = re.split("、|和", t[s : inj.start])
    values = re.findall(r"\d+(?:\.\d+)?", t[inj.start : inj.end])
    assert len(values) >= 2 and len(subjects) >= 2 and len(values) != len(subjects)


CHECKS = {name: globals()[f"check_{name}"] for name in KINDS}


def test_every_kind_has_a_check() -> None:
    assert set(CHECKS) == set(KINDS)
    assert {k.family for k in KINDS.values()} == set(FAMILIES)


@pytest.mark.parametrize("layout", list(TEXTS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_where_it_says(kind: str, layout: str) -> None:
    text = TEXTS[layout]
    made = 0
    realisations = set()
    for seed in SEEDS:
        out = inject_one(text, kind, random.Random(seed))
        if out is None:
            continue
        made += 1
        (inj,) = out.injections
        assert inj.kind == kind and inj.family == KINDS[kind].family
        assert 0 <= inj.start < inj.end <= len(out.text)
        CHECKS[kind](out, inj)
        realisations.add(inj.realisation)
        # Outside the edits, the text is the original.
        assert out.to_original(0) == 0 and out.to_original(len(out.text)) == len(text)
    assert made >= len(SEEDS) // 2, f"{kind}: injected only {made} times"
    if kind not in ("count_mismatch", "indicator_conflict", "numbering_skip"):
        assert len(realisations) >= 2, f"{kind}: one realisation only: {realisations}"


@pytest.mark.parametrize("layout", list(TEXTS))
def test_web_widgets_in_every_placement(layout: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.inject as injector

    monkeypatch.setattr(injector, "page_header_line", lambda rng: (injector.web_widget(rng), "widget"))
    text = TEXTS[layout]
    realisations = set()
    for seed in range(200):
        out = inject_one(text, "page_header", random.Random(seed))
        if out is None:
            continue
        (inj,) = out.injections
        check_page_header(out, inj)
        realisations.add(inj.realisation)
    want = {f"widget{lines}{where}" for lines in ("", "/lines") for where in ("", "/between", "/top", "/end")}
    assert realisations == want


@pytest.mark.parametrize("layout", list(TEXTS))
def test_several_defects_stay_apart_and_in_place(layout: str) -> None:
    text = TEXTS[layout]
    for seed in range(6):
        rng = random.Random(seed)
        kinds = [rng.choice([k for k in KINDS if KINDS[k].family == f]) for f in FAMILIES]
        out = inject(text, kinds, rng)
        assert len(out.injections) >= 2
        for inj in out.injections:
            CHECKS[inj.kind](out, inj)
        spans = sorted(out.injections, key=lambda i: i.start)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start


def test_same_seed_same_injection() -> None:
    a = inject_one(FLAT, "wrong_char", random.Random(3))
    b = inject_one(FLAT, "wrong_char", random.Random(3))
    assert a is not None and b is not None and a.text == b.text and a.injections == b.injections


def test_to_original_maps_around_edits() -> None:
    out = inject_one(FLAT, "stray_space", random.Random(0))
    assert out is not None
    (inj,) = out.injections
    assert out.to_original(inj.start) is None  # inside the inserted space
    assert out.to_original(inj.end) == inj.start  # the character after it
    assert out.text[inj.end] == FLAT[out.to_original(inj.end)]


@pytest.mark.parametrize("n", [1, 2, 9, 10, 11, 19, 20, 21, 35, 99])
def test_chinese_numerals_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n
    assert cn_to_int("两") == 2 and cn_to_int("百") is None


def test_text_without_a_place_for_a_kind() -> None:
    assert inject_one("短。\n", "dup_paragraph", random.Random(0)) is None
    plain = "没有任何编号的一段文字，只有一句话而已。\n" * 3
    assert inject_one(plain, "numbering_skip", random.Random(0)) is None


def test_scoring_counts_a_found_defect_and_ignores_old_findings() -> None:
    """bench/accuracy.py's matching, end to end on a small text with PUNCT001."""
    from bench.accuracy import evaluate
    from bench.common import lint_texts, overlaps

    assert overlaps((10, 11), (12, 13), window=2) and not overlaps((10, 11), (14, 15), window=2)
    assert overlaps((5, 5), (5, 6))  # an empty span counts as one character
    # A stray space that was already there (in the clean text) must not count as found.
    text = FLAT.replace("经济运行总体平稳", "经济运行 总体平稳")
    rng = random.Random(1)
    copies = []
    while len(copies) < 3:
        out = inject_one(text, "stray_space", rng)
        if out is not None:
            copies.append(("r.txt", out))
    baseline = lint_texts([("r.txt", text)], select=["PUNCT001"])
    assert len(baseline["r.txt"]) == 1
    findings = lint_texts(
        [(f"r.txt#{j}", out.text) for j, (_, out) in enumerate(copies)], select=["PUNCT001"]
    )
    res = evaluate(copies, findings, baseline)
    kind = res["by_kind"]["stray_space"]
    assert kind["n"] == 3 and kind["detected"] == 3 and kind["detected_by"] == {"PUNCT001": 3}
    assert res["other_new_findings"] == res["other_findings_at_defects"] == {}  # the old space is old
    assert res["by_kind"]["dup_paragraph"]["n"] == 0 and res["by_family"]["PUNCT"]["recall"] == 1.0
