from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import RUNIN_STYLES, is_name, matches_at, normalized_text, to_number
from reportlint.registry import Rule
from reportlint.rules._num import CLAUSE_LIMIT, Item, cached, clause_start, item_title_span, items

_COUNT = r"(?P<num>[一二三四五六七八九十两]{1,3}|\d{1,2})"
# Classifiers that make a count of things listed: 五个方面, 三项举措, 四大产业, 以下三点.
_CLS = r"(?P<cls>个方面|方面|个|项|大|条|件|点|种|类|句话|句|批|部分|招|步|层|支|组|道|张|场|篇|章|重|要素)"
_ANNOUNCE_RE = re.compile(
    rf"(?<![第\d一二三四五六七八九十百千万亿.．])“?{_COUNT}{_CLS}"
    rf"(?P<tail>[^，。；：:,;！!？?（）()\d]{{0,16}}?)(?P<end>[：:]|[，,；;](?=\s*(?:一是|一要|第一[，,、：:]|其一)))"
)
# An inline list counted right after it: 聚焦A、B、C、D4个产业链, “A、B、C”三大问题.
_INLINE_CLS = "个|项|大|条|类|种|方面|件|家|座|所|批|区|市|县|地"
_INLINE_RE = re.compile(
    rf"(?<![第\d一二三四五六七八九十百千万亿.．])(?P<num>[一二三四五六七八九十两]{{1,2}}|\d{{1,2}})"
    rf"(?P<cls>{_INLINE_CLS})(?=[\u4e00-\u9fff“A-Z\d])"
)
# The characters a match of each starts with (they are tried there only, see ``matches_at``).
_ANNOUNCE_FIRST_RE = re.compile(r"[“一二三四五六七八九十两\d]")
_INLINE_FIRST_RE = re.compile(r"[一二三四五六七八九十两\d]")
_CONJ_RE = re.compile(r"以及|和|及|与|并|同")
# Words with a conjunction's character in them that join nothing: 协同发展, 和平共处, 及时.
_CONJ_WORDS_RE = re.compile(
    r"协同|共同|同步|同比|同时|同期|同等|同城|相同|不同|认同|合同|陪同|和平|和谐|温和|饱和|共和|缓和|调和|和美|"
    r"及时|普及|涉及|以及|危及|与会|参与|给与|并购|合并|并网|并联|并重|并举|并行"
)


def _joins(item: str) -> bool:
    """Whether an item joins two terms with a conjunction (水权和排污权), so it may count twice."""
    item = _BRACKETS.sub(lambda mm: "　" * len(mm.group(0)), item)
    if "以及" in item:
        return True
    masked = _CONJ_WORDS_RE.sub(lambda mm: "　" * len(mm.group(0)), item)
    return any(m.start() >= 2 and len(masked) - m.end() >= 2 for m in _CONJ_RE.finditer(masked))


def _term_size(item: str) -> int:
    """The length of an item as a term: two terms joined by a conjunction (航空航天与低空经济)
    are as long as the longer of them."""
    if not _joins(item):
        return len(item)
    return max(len(x) for x in _CONJ_RE.split(item))


# The head noun of an appositive count names a category the listed items belong to.
_CATEGORY_RE = re.compile(
    r"(?:(?![和与及的等、])[\u4e00-\u9fffA-Z\d]){0,8}?(?:产业链|产业集群|集群|产业|领域|方面|行业|板块|片区|城市群|城市|都市圈|经济圈|"
    r"地区|区域|国家|省份|省区|省市|园区|开发区|示范区|试验区|自贸区|新区|基地|平台|中心|环节|重点|任务|工程|"
    r"行动|专项|战略|攻坚战|问题|目标|体系|机制|方向|赛道|品牌|枢纽|通道|走廊|港口|机场|口岸|项目|举措|措施|"
    r"步骤|要素|市场|品种|作物|指标|类别|门类|群体|主体|层级|环境|特区|城区|县区|区县|市州|地市|原则|准则|维度|"
    r"景区|文化带|经济带|板块|层次|层面|角度|类型|形式|渠道|途径|关系|现代化|能力|基础)"
)
# Fixed terms with a number in them: not counts of the words before them.
_FIXED_TERMS = (
    "四项基本原则",
    "四个现代化",
    "四个意识",
    "四个自信",
    "两个维护",
    "两个确立",
    "四个全面",
    "五位一体",
    "三个代表",
    "两个一百年",
    "三大攻坚战",
    "两个毫不动摇",
    "八项规定",
    "四个中心",
    "四个服务",
    "两个结合",
    "三个务必",
    "三个有利于",
    "两个大局",
    "两个市场",
    "两种资源",
    "两只手",
    "三农",
)
_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)|“[^“”]*”|《[^《》]*》")


class CountMismatch(Rule):
    """A declared count disagrees with the items listed (五个方面 followed by （一）–（四）).

    ## What it does
    Finds a cardinal that announces a list (`五个方面`, `三项举措`, `四大产业集群`,
    `以下三点`, `重点做好十方面工作`) and counts the items that follow it: headed
    sub-sections (`（一）…（四）` as separate paragraphs), run-in items (`一是…二是…`,
    `第一，…第二，…`, `1.` `（1）`), or an inline list (`聚焦节能环保装备、动力电池、
    油气装备、应急装备4个产业链`, `“项目停工、楼盘质量、交房拖延”三大关键问题`).
    Reports the cardinal with the items it counted as related spans.

    ## Why is this bad?
    A report that announces five tasks and lists four has lost a section (or gained one)
    in editing; readers and the press quote the count.

    ## Not reported
    A count that is itself a term of the list (`…和三大全球倡议`, `北欧两项等`), one after a
    verb or a `的`-phrase in the last term (`江苏有4个港口`, `…联合主办的三大球运动会`), a
    count of things in the places listed (`河北保定、涿州4个乡镇`; more things than terms are
    reported only for appositive counts such as `三大`, `四项`, `五个方面` or a category noun),
    names with numerals (`中共三大会址`), terms that carry their own counts, announcements
    without a colon that end their sentence before `一是` (`共7章53条。一是…`), and items far
    fewer or more than the count (highlights, not the list).
    Lists closed by `等` (open-ended) unless the count is smaller than the items named
    (`A、B、C、D等3个`); an inline count whose head noun is no category and whose items are
    not short parallel terms (`铁人三项世界杯`, `准东3个煤制气`); a cardinal followed by
    unrelated numbering (the announcing sentence must end with `：` or the items
    must follow directly); inline lists whose items are not simple (long, or
    with commas), or whose count is far from the number of items (it then counts
    something else, as in `国家级、省级9家企业`); a count whose items are numbered up to
    it but with a gap (see NUM002).

    ## Example
    `持续做好五个方面工作：` followed by `（一）…` `（二）…` `（三）…` `（四）…` and then the
    next chapter `三、…`: five announced, four listed.
    """

    code = "NUM001"
    name = "count-mismatch"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Finding]:
        yield from self._announced(doc)
        yield from self._inline(doc)

    # ----------------------------------------------------------------- announced lists
    def _announced(self, doc: Document) -> Iterator[Finding]:
        all_items = items(doc)
        by_start = {it.start: k for k, it in enumerate(all_items)}
        paras = doc.paragraphs
        norm = normalized_text(doc)
        for p in paras:
            if "：" not in p.text and ":" not in p.text and "是" not in p.text and "第一" not in p.text:
                continue
            t = norm[p.start : p.end]
            for m in matches_at(_ANNOUNCE_RE, _ANNOUNCE_FIRST_RE, t):
                declared = to_number(m.group("num"))
                if declared is None or not 2 <= declared <= 30:
                    continue
                if t.startswith(_FIXED_TERMS, m.start("num")):
                    continue
                if m.start("num") and t[m.start("num") - 1] in _JOINERS:
                    continue  # 1部行政法规和2个国务院决定：the count is one term of a sum
                after = p.start + m.end()
                first = _first_item(doc, all_items, by_start, p.index, after, m.group("end"))
                if first is None and m.group("end") in "：:":
                    spans = _colon_list(t, m.end())
                    if spans is not None:
                        lo = len(spans)
                        hi = lo + sum(1 for a, b in spans if _joins(t[a:b]))
                        if not lo <= declared <= hi and abs(declared - lo) <= 2:
                            yield self._report(
                                doc,
                                p.start + m.start("num"),
                                p.start + m.end("cls"),
                                int(declared),
                                [(p.start + a, p.start + b) for a, b in spans],
                            )
                        continue
                if first is None:
                    counted = _dash_items(doc, p.index, after, m.group("end"))
                else:
                    counted = _collect(doc, all_items, first, by_start[first.start])
                if counted is None:
                    continue
                n = len(counted)
                if n < declared and _more_follows(doc, counted[-1]):
                    continue
                if abs(declared - n) > 2:
                    continue  # 共15条，一是…二是…: the items are highlights, not the list counted
                if n == declared or counted[-1].value == declared:
                    continue  # matches, or numbered up to the count with a gap (NUM002)
                yield self._report(
                    doc,
                    p.start + m.start("num"),
                    p.start + m.end("cls"),
                    int(declared),
                    [item_title_span(doc, it) for it in counted],
                )

    def _report(self, doc: Document, s: int, e: int, declared: int, spans: list[tuple[int, int]]) -> Finding:
        n = len(spans)
        phrase = doc.text[s:e]
        rel = [(doc.span(a, b), Msg(f"第{k}项", f"item {k}")) for k, (a, b) in enumerate(spans, 1)]
        return self.finding(
            doc,
            s,
            e,
            zh=f"数目不符：“{phrase}”，下文实际列出{n}项",
            en=f"'{phrase}' announces {declared} items but {n} are listed",
            related=rel,
        )

    # ----------------------------------------------------------------- inline lists
    def _inline(self, doc: Document) -> Iterator[Finding]:
        norm = normalized_text(doc)
        for p in doc.paragraphs:
            if "、" not in p.text:
                continue
            t = norm[p.start : p.end]
            lead = _lead_end(doc, p)
            for m in matches_at(_INLINE_RE, _INLINE_FIRST_RE, t):
                declared = to_number(m.group("num"))
                if declared is None or not 2 <= declared <= 12:
                    continue
                if m.start() and t[m.start() - 1] in _JOINERS + "、":
                    continue  # A、B和三大倡议: the count phrase is the list's last item
                if _ITEM_AFTER_RE.match(t, m.end("cls")):
                    continue  # 冰壶、北欧两项等: the count phrase is an item of the list
                if is_name(t, m.start(), m.end("cls"), m.group("cls")):
                    continue  # 中共三大会址: a name, not a count
                found = _inline_items(t, m.start(), lead)
                if found is None:
                    continue
                spans, etc = found
                # The head noun right after the count names a category the items belong to.
                category = bool(_CATEGORY_RE.match(t, m.end("cls")))
                named = category or m.group("cls") in _APPOSITIVE_CLS
                sizes = [b - a for a, b in spans]
                parallel = _parallel(sizes)
                if not parallel and (not category or (sizes[-1] <= 3 and max(sizes) > 2 * sizes[-1])):
                    continue  # 铁人三项, 准东3个煤制气, 工程、副中心三大建筑: counts something else
                if t.startswith(_FIXED_TERMS, m.start()) and not parallel:
                    continue  # 四项基本原则 after words that are not its terms
                lo = len(spans)
                joins = [_joins(t[a:b]) for a, b in spans]
                # Measured on the tune part: "A、B和C三个" counts C apart (55 of 59), while a 和
                # inside an earlier item (水权和排污权、…) is mostly one term (43 of 54).
                allowed = {lo, lo + joins[-1], lo + sum(joins)}
                if etc:
                    # A list closed by 等 may hold more than it names, never fewer.
                    if declared >= lo:
                        continue
                elif declared in allowed:
                    continue
                if declared > lo and not named:
                    continue  # 河北保定、涿州4个乡镇: more things than places named, counted in them
                if abs(declared - lo) > 2 or lo < 2:
                    continue  # the count is of something else
                yield self._report(
                    doc,
                    p.start + m.start(),
                    p.start + m.end("cls"),
                    int(declared),
                    [(p.start + a, p.start + b) for a, b in spans],
                )


_ETC_RE = re.compile(r"(?<![平同对均相])等")
# Classifiers only used for a count of the terms listed: 三大战略, 四项原则, 两类, 五个方面.
_APPOSITIVE_CLS = ("大", "项", "类", "方面", "种")
# Words that end the list's last item when something other than a term follows it.
_VERB_IN_ITEM_RE = re.compile(
    r"所有|连续|增设|新增|新建|建成|布局|设立|拥有|达到|形成|成为|获批|入选|坚持|举办|召开|涉及|覆盖|包括|开展|"
    r"分别|合计|总共|一共|位于|分布|作为|出台|发布|印发|公布|通报|了|(?:有|是|将|把|对|共|都|已|均|各|在|为)$"
)
# 把A、B、C作为政府工作的三项基本准则: the last term, then what the list is taken as.
_AS_RE = re.compile(r"(.{2,14}?)(?:作为|列为|确定为|定为)[^、，,]{0,10}的$")
_COUNT_IN_RE = re.compile(r"(?:[一二三四五六七八九十两]{1,3}|\d{1,3})(?:个|大|项|类|条|家|座|所|种)")
# A count already closing the list (四省区).
_COUNT_END_RE = re.compile(
    r"(?:[一二三四五六七八九十两]{1,3}|\d{1,2})(?:个|大|省|市|区|县|地|家|项|类|条|省区|省市)$"
)
# Verbs and prepositions that introduce a list; the first term starts after the last of them.
_INTRO_RE = re.compile(
    r"(?:重点|着力|加快|持续|大力|积极|继续|全面|深入|进一步|统筹)?"
    r"(?:聚焦|围绕|推进|推动|实施|建设|打造|培育|发展|壮大|包括|涵盖|做强|做优|做大|提升|突出|抓好|办好|"
    r"促进|扩大|加强|新增|形成|实现|提出了?|根据|按照|依据|遵循|贯彻|落实|抓住|把握|处理好|涉及|覆盖|"
    r"在|把|将|对|从|以(?!及)|向|由|就|经过|通过|开展)"
)
# What joins a list's last item: before a count it makes the count phrase that item.
_JOINERS = "和及与或"
# A count phrase that a list goes on after (北欧两项等, 冬季两项、) is one of its items.
_ITEM_AFTER_RE = re.compile(r"等|[\u4e00-\u9fff]{0,4}?、")


def _parallel(sizes: list[int]) -> bool:
    """Items of like, short length (呼和浩特、鄂尔多斯、满洲里), as the terms of one list are."""
    return min(sizes) >= 2 and max(sizes) <= 8 and max(sizes) <= 2 * min(sizes) + 1


def _first_item(
    doc: Document, all_items: list[Item], by_start: dict[int, int], para: int, after: int, end: str
) -> Item | None:
    """Item 1 of the list the announcement introduces, when it follows directly."""
    text = doc.text
    p = doc.paragraphs[para]
    j = after
    while j < p.end and text[j] in " \u3000":
        j += 1
    if j < p.end:
        k = by_start.get(j)
        if k is None or all_items[k].value != 1 or all_items[k].para != para:
            return None
        return all_items[k]
    if end not in "：:" or para + 1 >= len(doc.paragraphs):
        return None
    nxt = doc.paragraphs[para + 1]
    k = by_start.get(nxt.start)
    if k is None:
        return None
    it = all_items[k]
    return it if it.value == 1 and it.leading else None


def _colon_list(t: str, start: int) -> list[tuple[int, int]] | None:
    """A short list right after the colon, to the end of the sentence: 三个原则：A、B、C。"""
    stop = min(len(t), start + CLAUSE_LIMIT)
    end = stop
    for c in "。；;！!？?":
        j = t.find(c, start, stop)
        if j >= 0:
            end = min(end, j)
    if end == stop < len(t):
        return None  # no end in sight: not a short list
    if end < len(t) and t[end] in "；;":
        return None  # the list goes on past this clause
    seg = t[start:end]
    if not seg or any(c in seg for c in "，,：:是") or "等" in seg:
        return None
    masked = _BRACKETS.sub(lambda mm: "　" * len(mm.group(0)), seg)
    if "、" not in masked:
        return None
    parts, s = [], start
    for part in masked.split("、"):
        parts.append((s, s + len(part)))
        s += len(part) + 1
    sizes = [b - a for a, b in parts]
    if min(sizes) < 2 or max(sizes) > 10 or max(sizes) > 2 * min(sizes):
        return None  # not a list of parallel terms (从拉框架、铺摊子转向强功能、提品质)
    if any(t[a] in "从由把将向对在" for a, _ in parts):
        return None
    return parts


_DASH_RE = re.compile(r"[—－-]{2}(?=[\u4e00-\u9fff“])")


def _dash_items(doc: Document, para: int, after: int, end: str) -> list[Item] | None:
    """Paragraphs that each start with a dash (——更加注重…), right after a colon."""
    paras = doc.paragraphs
    if end not in "：:" or after != paras[para].end:
        return None
    out: list[Item] = []
    for i in range(para + 1, len(paras)):
        q = paras[i]
        m = _DASH_RE.match(q.text)
        if m is None:
            break
        out.append(Item("dash", len(out) + 1, q.start, q.start + m.end(), q.index, True))
    return out or None


_MORE_RE = re.compile(r"另一|另外|此外|还有|其次|再次|最后|再者|一类|一方面|另一方面|一种|一个是")


def _more_follows(doc: Document, last: Item) -> bool:
    """Items put another way after the numbered ones (…二是…。还有两类…): do not count."""
    p = doc.paragraphs[last.para]
    return bool(_MORE_RE.search(doc.text, last.end, min(p.end, last.end + CLAUSE_LIMIT)))


def _ends_with_colon(doc: Document, para: int) -> bool:
    return doc.paragraphs[para].text.endswith(("：", ":"))


def _collect(doc: Document, all_items: list[Item], first: Item, k: int) -> list[Item] | None:
    """The items of first's list: same style, in sequence, until the list's scope ends."""
    out = [first]
    heading = first.is_heading
    last_para = first.para
    for i in range(k + 1, len(all_items)):
        it = all_items[i]
        if heading:
            if it.is_heading and it.rank < first.rank:
                break
            if not (it.is_heading and it.style == first.style):
                continue
            if it.value == 1:
                break
            out.append(it)
            continue
        # run-in items
        if it.is_heading:
            break
        if it.style != first.style:
            continue
        if it.para != first.para and not it.leading:
            if first.style not in RUNIN_STYLES:
                break
            continue  # a list nested inside a later item
        if it.para == first.para and first.leading and not it.leading:
            continue  # nested inside the first item's paragraph
        if it.value == 1:
            if len(out) == 1:
                return None  # 一是…一是… (one is…, another is…): not numbered
            if it.leading and it.para > 0 and _ends_with_colon(doc, it.para - 1):
                break  # a new list, announced
            return None  # a list nested in an item, or a new one: unsure
        if it.value != out[-1].value + 1 or it.para - last_para > 4:
            break
        out.append(it)
        last_para = it.para
    return out


def _lead_end(doc: Document, p) -> int:
    """Where a paragraph's own leading marker (``一、``) ends, relative to the paragraph."""
    ends = cached(doc, "num001-lead", lambda d: {it.para: it.end for it in items(d) if it.leading})
    return ends[p.index] - p.start if p.index in ends else 0


def _inline_items(t: str, count_at: int, lead: int = 0) -> tuple[list[tuple[int, int]], bool] | None:
    """The items of an inline list ending right before ``count_at`` and whether 等 closes it."""
    j = count_at
    if j == 0:
        return None
    if t[j - 1] == "”":
        qs = t.rfind("“", 0, j - 1)
        if qs < 0:
            return None
        inner = t[qs + 1 : j - 1]
        if "、" not in inner or any(c in inner for c in "，。；：“"):
            return None
        spans, s = [], qs + 1
        for part in inner.split("、"):
            spans.append((s, s + len(part)))
            s += len(part) + 1
        return (spans, False) if all(1 <= b - a <= 16 for a, b in spans) else None
    # Back to the clause boundary.
    cs = clause_start(t, j)
    if cs == j - CLAUSE_LIMIT:
        return None  # no clause boundary in reach: not a short list
    cs = max(cs, lead)
    seg = t[cs:j]
    etc = False
    if seg.endswith("等等"):
        j -= 2
        etc = True
    elif seg.endswith("等"):
        j -= 1
        etc = True
    elif "等" in seg[-3:]:
        return None
    seg = t[cs:j]
    masked = _BRACKETS.sub(lambda mm: "　" * len(mm.group(0)), seg)
    if "、" not in masked:
        return None
    parts, s = [], cs
    for part in masked.split("、"):
        parts.append((s, s + len(part)))
        s += len(part) + 1
    last = masked[parts[-1][0] - cs :]
    if _particle(last, "地"):
        return None  # 旗帜鲜明、理直气壮地宣传: adverbs, not the terms counted (地区, 湿地 are terms)
    m_as = _AS_RE.match(last)
    if m_as:
        parts[-1] = (parts[-1][0], parts[-1][0] + m_as.end(1))  # 把A、B、C作为…的三项准则
        last = m_as.group(1)
    if _particle(last, "的"):
        return None  # 国家体育总局、教育部联合主办的…三大球运动会: the list is inside a modifier
    if any(_COUNT_IN_RE.search(masked, a - cs, b - cs) for a, b in parts[:-1]):
        return None  # 反对阵营化的两大力量、支持全球化的两大市场…两大文明: each term has its count
    if _COUNT_END_RE.search(last):
        return None  # 陕西、甘肃、内蒙古、宁夏四省区五市: the list has its count already
    if not m_as and _VERB_IN_ITEM_RE.search(last, 1):
        return None  # 浙江、安徽、江苏有4个港口; 成都、自贡布局建设3个: a verb comes between
    # A modifier before the list: 福建两省的深圳、珠海 → the list starts after 的.
    a, b = parts[0]
    cut = masked.rfind("的", 0, b - cs)
    if cut >= 0:
        if _CONJ_RE.search(masked, 0, cut):
            return None  # 喀土穆及其周边的恩图曼、北喀土穆: the modifier holds items too
        parts[0] = (cs + cut + 1, b)
    # The first item starts after the verb or preposition that introduces the list.
    a, b = parts[0]
    intro = [v.end() for v in _INTRO_RE.finditer(t, a, b) if b - v.end() >= 1]
    if intro:
        parts[0] = (intro[-1], b)
    if len(parts) < 2 or any(b - a < 1 for a, b in parts):
        return None
    if any(b - a > 16 for a, b in parts[1:]) or parts[0][1] - parts[0][0] > 28:
        return None
    sizes = [b - a for a, b in parts]
    if _term_size(t[parts[-1][0] : parts[-1][1]]) > max(sizes[:-1]) + 3:
        return None  # 国家外汇局近日联合出台5方面: the last term runs on into what is said of them
    if any(_ETC_RE.search(t, a, b) for a, b in parts):
        return None  # 等 inside the list: 甲等、乙等 (平等互利 is a word)
    return parts, etc


def _particle(text: str, ch: str) -> bool:
    """``ch`` stands in the text as a word of its own (理直气壮|地|宣传), not inside one (成渝|地区)."""
    if ch not in text:
        return False
    from reportlint.lexicon import get_lexicon

    return any(b - a == 1 and text[a] == ch for a, b in get_lexicon().route(text)[1])
