"""Shared recognisers for print and copy-paste debris (used by the LAYOUT rules)."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlint.document import HAN_CLASS, HAN_RE, PARAGRAPH_END, Document, Paragraph
from reportlint.rules._common import CLOSING, PAIRS

NUM = "0-9０-９一二三四五六七八九十百零〇A-Za-z"
_HAN_TAIL_RE = re.compile(f"[{HAN_CLASS}]+$")
_HAN_HEAD_RE = re.compile(f"[{HAN_CLASS}]+")
CONTINUATION_RE = re.compile(
    f"[（(]\\s*(?:上接|下转|紧接|接|转|续|转至|接上)\\s*"
    f"(?:第?\\s*[{NUM}]{{1,4}}\\s*(?:版|页|面)|上页|下页|上版|前版)[^（()）\\n]{{0,8}}[）)]"
    f"|^(?:上接|下转|紧接|转|续)\\s*第?\\s*[{NUM}]{{1,4}}\\s*(?:版|页)$"
)

# Newspaper section names that appear as running page headers.
SECTION_WORDS = frozenset(
    [
        "要闻",
        "综合",
        "综合新闻",
        "时政",
        "时政要闻",
        "本地",
        "本地新闻",
        "国内",
        "国内新闻",
        "国际",
        "国际新闻",
        "经济",
        "财经",
        "评论",
        "理论",
        "专版",
        "特刊",
        "副刊",
        "社会",
        "文化",
        "体育",
        "民生",
        "聚焦",
        "视点",
        "今日关注",
        "两会",
        "两会特刊",
        "两会专版",
        "政务",
        "地方",
        "新闻",
        "观察",
        "专题",
        "综述",
        "城事",
        "区县",
        "县域",
        "法治",
        "科教",
        "文体",
        "生态",
        "农村",
        "三农",
        "党建",
        "头版",
    ]
)
_LETTER_SPACED_RE = re.compile(f"^[{HAN_CLASS}](?:[ \u3000]+[{HAN_CLASS}]){{1,5}}$")
_FURNITURE_RE = re.compile(
    r"^(?:第?\s*[0-9０-９A-Z]{1,3}\s*版"
    r"|[（(]?第?[一二三四五六七八九十0-9]{1,3}版[）)]?"
    r"|(?:本版|责任|版面)?(?:编辑|责编|校对|美编|版式|制图|组版)\s*[：:]\s*\S{1,12}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]"
    r"|(?:星期|周)[一二三四五六日天]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$"
)
# A dated page line with a section name or edition beside the date: 要闻 2024年3月5日 星期二.
_DATED_LINE_RE = re.compile(
    f"^(?:[{HAN_CLASS}A-Z0-9]{{1,6}}\\s+)?\\d{{4}}\\s*年\\s*\\d{{1,2}}\\s*月\\s*\\d{{1,2}}\\s*日"
    f"\\s*(?:星期|周)[一二三四五六日天](?:\\s+[{HAN_CLASS}A-Z0-9]{{1,6}})?$"
)
# A page number on a line of its own: - 3 -, —12—, 第 3 页; a bare number only splitting a paragraph.
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—－–]{1,2}\s*\d{1,3}\s*[-—－–]{1,2}|第\s*\d{1,3}\s*页)$")
_BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")
# Column headers: two or three short words joined by a middle dot, a bar or spaces (经济·社会).
_JOINER = "\\s*[·•‧・|｜丨/]\\s*|[ \u3000]+"
_JOINED_RE = re.compile(f"^[{HAN_CLASS}]{{2,4}}(?:(?:{_JOINER})[{HAN_CLASS}]{{2,4}}){{1,2}}$")
_JOINER_RE = re.compile(_JOINER)
# Bylines: a newsroom role and one to four names (本版责编：王明, 本报记者 王明 李华 摄, （记者 张伟）).
_ROLES = "记者|通讯员|实习生|摄影|摄|编辑|责编|责任编辑|编审|校对|美编|撰稿|作者|主持人|供图|制图"
_BYLINE_LINE_RE = re.compile(
    f"^[（(]?(?:本报|本刊|本台|新华社|中新社|人民日报|央视)?(?:特约|驻[{HAN_CLASS}]{{1,6}})?(?:本版)?(?:{_ROLES})"
    f"\\s*[：:]?\\s*(?:[{HAN_CLASS}·]{{2,6}}(?:[ \u3000、，,]+|(?=\\s*(?:摄|报道)?[）)]?$))){{1,4}}"
    f"\\s*(?:摄|报道)?[）)]?$"
)
# Web page furniture: a line made only of interface words (font size, print, share, scan to phone).
UI_WORDS = frozenset(
    [
        *("字体", "字号", "大", "中", "小", "默认", "打印", "打印本页", "关闭", "关闭窗口", "窗口", "收藏"),
        *("分享", "分享到", "转发", "扫", "一", "扫一扫", "微信", "微博", "手机", "用", "在", "上", "打开"),
        *("当前", "当前页", "页", "本页", "返回", "顶部", "朋友圈", "阅读", "点击", "图片", "进入", "专题"),
        *("相关", "文档", "链接", "下载", "附件", "A", "A+", "A-", "到", "微信扫一扫", "本"),
    ]
)
_UI_LONGEST = max(len(w) for w in UI_WORDS)
_UI_MARKS = "【】[]|｜:：《》<>×✕"
_UI_TOKEN_RE = re.compile(f"[{HAN_CLASS}]+|[A-Za-z][+-]?|[{re.escape(_UI_MARKS)}]")
COLUMN_WORD_FREQ = 10
NAME_LIKE_TAGS = frozenset({"nr", "nrt", "nrfg", "nt"})  # people and organisations


# The number of a part, chapter or article of a document (第四章, 第二部分, 第一条): a heading of
# the document's own, and in laws set off from its text by a space (第一条　为了…).
STRUCTURE_NUMBER_RE = re.compile(r"第[一二三四五六七八九十百零〇两\d]{1,6}(?:部分|[章节编篇卷条款])")


def _is_column_header(t: str) -> bool:
    """Two or three common words (not names of people or bodies) joined by a dot, a bar or spaces."""
    if not _JOINED_RE.match(t):
        return False
    from reportlint.lexicon import get_lexicon

    lex = get_lexicon()
    parts = [x for x in _JOINER_RE.split(t) if x]
    if STRUCTURE_NUMBER_RE.fullmatch(parts[0]):
        return False  # 第四章 附则: a document's own chapter heading
    if any(lex.tag(x) in NAME_LIKE_TAGS for x in parts):
        return False  # 马克思·韦伯; 中共中央 国务院 signs a document
    common = [lex.freq(x) >= COLUMN_WORD_FREQ for x in parts]
    if any(c in t for c in "·•‧・|｜丨/"):
        return any(common)  # a foreign name (雪克来提·扎克尔) has no common word
    return all(common)  # spaced: 省长 王予波 is a title and a name


def _is_widget(t: str) -> bool:
    """A line of interface words only: 【字体：大 中 小】, 微信扫一扫在手机打开当前页, 打印本页 | 关闭."""
    if _UI_TOKEN_RE.sub("", t).strip():
        return False
    words: list[str] = []
    for m in _UI_TOKEN_RE.finditer(t):
        g = m.group()
        if g in _UI_MARKS:
            continue
        i = 0
        while i < len(g):  # the longest interface word at each place, or not a widget
            w = next((g[i:j] for j in range(min(len(g), i + _UI_LONGEST), i, -1) if g[i:j] in UI_WORDS), None)
            if w is None:
                return False
            words.append(w)
            i += len(w)
    return len(words) >= 2 and any(len(x) > 1 for x in words)


# A navigation trail: the home page, then pages down to this one (您的位置: 首页 > 要闻 > 正文).
_TRAIL_RE = re.compile(
    r"^(?:(?:您的|您现在的|当前)?位置\s*[:：]\s*)?首页(?:\s*[>＞›»]\s*[^\s>＞›»]{1,12})+\s*[>＞›»]?$"
)
# Web furniture copied one item per line (【字体： / 大 / 中 / 小 / 】, 您的位置: / 首页 / > / 要闻):
# runs of lines without a sentence mark, none longer than this, are read together.
PIECE_MAX = 40
BLOCK_MAX_LINES = 12
WEB_KINDS = frozenset({"widget", "trail"})  # never text: reported wherever they stand


def _piece(t: str) -> bool:
    return 0 < len(t) <= PIECE_MAX and not any(c in t for c in "。！？；，")


def _block_kind(t: str) -> str | None:
    """The kind of furniture a run of lines makes when read as one line, or None."""
    if _TRAIL_RE.match(t):
        return "trail"
    if _is_widget(t):
        return "widget"
    kind = _header_kind(t)
    # read together, short lines make bylines and credits too (责任编辑： / 李莎莎); column
    # headers and section names are left to single lines (two short headings are no header)
    return kind if kind in ("widget", "furniture", "byline") else None


def furniture_blocks(doc: Document) -> list[tuple[int, int, str]]:
    """(first, last, kind) paragraph indexes of page and web furniture that spans several
    lines, or one line of web furniture (a widget, a navigation trail), in text order."""
    from reportlint.rules._num import cached

    return cached(doc, "layout-furniture-blocks", _furniture_blocks)


def _furniture_blocks(doc: Document) -> list[tuple[int, int, str]]:
    paras = doc.paragraphs
    n = len(paras)
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < n:
        if not _piece(paras[k].text):
            k += 1
            continue
        best: tuple[int, str] | None = None
        parts: list[str] = []
        j = k
        while j < n and j - k < BLOCK_MAX_LINES and _piece(paras[j].text):
            parts.append(paras[j].text)
            kind = _block_kind(" ".join(parts))
            if kind is not None and (j > k or kind in WEB_KINDS):
                best = (j, kind)
            j += 1
        if best is None:
            k += 1
            continue
        out.append((k, best[0], best[1]))
        k = best[0] + 1
    return out


def furniture_lines(doc: Document) -> frozenset[int]:
    """Indexes of the paragraphs that are furniture, not text: page headers, bylines, widgets,
    continuation notes, and the lines of furniture blocks (``furniture_blocks``)."""
    from reportlint.rules._num import cached

    def build(d: Document) -> frozenset[int]:
        out = {p.index for p in d.paragraphs if _piece_or_line_debris(p)}
        for a, b, _ in furniture_blocks(d):
            out.update(range(a, b + 1))
        return frozenset(out)

    return cached(doc, "layout-furniture-lines", build)


def _piece_or_line_debris(p: Paragraph) -> bool:
    kind = header_kind(p)
    return (kind is not None and kind not in WEAK_KINDS) or is_continuation_line(p)


# Characters that begin no sentence: closing marks and bound particles.
NON_INITIAL_MARKS = set("，。、；：？！”’）》」』】〕…%")
OPENERS = "“‘（《〈【〔「『(["
SENTENCE_INNER = "。！？；"
FORMULAS = frozenset({"谢谢", "谢谢大家", "特此报告", "以上报告", "请审议", "此致", "敬礼", "完", "全文完"})
# The closing formulae of official documents (公文), a short line by their nature: 特此通知 and
# its kind (特此公告, 专此报告, 此复), and the closing request of a directive or a report
# (请各单位认真贯彻执行, 请遵照执行, 妥否，请批示): whole sentences however short.
FORMULA_RE = re.compile(
    r"(?:(?:特此|专此)[\u4e00-\u9fff]{1,2}|此[复布致]"
    r"|(?:[\u4e00-\u9fff]{1,6}，)?(?:请|望|敬请|恳请|务请)[^，。！？；]{1,16})[。！]?"
)


def is_formula(text: str) -> bool:
    """A set formula that stands as a line of its own (谢谢大家！, 特此通知。, 请遵照执行。)."""
    return text.rstrip("。；！？!?;") in FORMULAS or FORMULA_RE.fullmatch(text) is not None


# List items that are whole sentences however short: 一是…, 二要…, 第一，…, ——…
LIST_ITEM_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[是要]|第[一二三四五六七八九十]{1,3}[，、,]|——|[（(]?[0-9]{1,2}[）).．、])"
)
BYLINE_RE = re.compile(r"(?:记者|通讯员|摄影|编辑)[^，。；！？]{0,12}$")
UNITS = set("万亿千百元个%％年月日号倍米吨辆户人家项次分秒")


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM_RE.match(text))


def header_kind(p: Paragraph) -> str | None:
    """The kind of page furniture a line is, or None.

    'spaced' (要 闻), 'column' (经济·社会, 时政 要闻), 'byline' (本版责编：王明, 本报记者 王明 摄),
    'furniture' (第3版, 2024年1月12日 星期五, 责任编辑：…), 'page' (- 3 -, 第 3 页),
    'widget' (【字体：大 中 小】, 扫一扫在手机打开当前页), and the weaker 'section' (要闻) and
    'number' (a bare 12), which count only when they split a paragraph.
    """
    return _header_kind(p.text)


@lru_cache(maxsize=4096)
def _header_kind(t: str) -> str | None:
    if len(t) > 30 or any(c in t for c in "。！？；，"):
        return None
    if len(t) <= 24:
        if _LETTER_SPACED_RE.match(t):
            return "spaced"
        if _FURNITURE_RE.match(t) or _DATED_LINE_RE.match(t):
            return "furniture"
    if _PAGE_NUMBER_RE.match(t):
        return "page"
    if _BARE_NUMBER_RE.match(t):
        return "number"
    if _BYLINE_LINE_RE.match(t):
        return "byline"
    if _is_column_header(t):
        return "column"
    if _is_widget(t):
        return "widget"
    bare = re.sub(r"[\s·•]", "", t)
    if bare in SECTION_WORDS:
        return "section"
    return None


WEAK_KINDS = frozenset({"section", "number"})  # furniture only when splitting a paragraph


def is_continuation_line(p: Paragraph) -> bool:
    """The whole line, but for one character at most, is a continuation note (（下转第3版）).

    (The first match from the start or from the second character: one further in leaves two
    characters out.)"""
    t = p.text
    if t[:1] not in _CONTINUATION_FIRST and t[1:2] not in "（(":
        return False  # (most lines: no match can start at either place)
    m = CONTINUATION_RE.match(t) or (CONTINUATION_RE.match(t, 1) if len(t) > 1 else None)
    return bool(m) and len(t) - (m.end() - m.start()) <= 1


# The characters a match of CONTINUATION_RE starts with: a bracket, or (the line's own start)
# the first character of 上接 下转 紧接 转 续; from the second character only a bracket (``^``).
_CONTINUATION_FIRST = frozenset("（(上下紧转续")


def is_debris(p: Paragraph) -> bool:
    return header_kind(p) is not None or is_continuation_line(p)


def is_prose(p: Paragraph) -> bool:
    return any(c in p.text for c in "，。；！？")


def ends_open(p: Paragraph) -> bool:
    """The paragraph stops without closing punctuation."""
    t = p.text.rstrip("*_# \u3000")
    return bool(t) and t[-1] not in PARAGRAPH_END


def unclosed_opener(text: str) -> bool:
    depth: dict[str, int] = {}
    for c in text:
        if c in PAIRS:
            depth[c] = depth.get(c, 0) + 1
        elif c in CLOSING and depth.get(CLOSING[c], 0) > 0:
            depth[CLOSING[c]] -= 1
    return any(v > 0 for v in depth.values())


def next_body(doc: Document, k: int) -> tuple[Paragraph | None, list[Paragraph]]:
    """The next paragraph after index k that is not debris, and the debris skipped."""
    skipped = []
    p = doc.paragraphs[k]
    furniture = furniture_lines(doc)
    for q in doc.paragraphs[k + 1 : k + 4 + BLOCK_MAX_LINES]:
        if (is_debris(q) or q.index in furniture) and not number_continues(p, q):
            skipped.append(q)
            continue
        if len(skipped) > 3 and not all(x.index in furniture for x in skipped):
            break  # up to three lines of debris, or one block of furniture, lie between halves
        return q, skipped
    return None, skipped


def number_continues(p: Paragraph, q: Paragraph) -> bool:
    """A bare number after Latin text or digits is its continuation (M / 2: M2), not a page number."""
    return header_kind(q) == "number" and p.text[-1].isascii() and p.text[-1].isalnum()


# LAYOUT003's statistical evidence (log-odds against the average, data/layout_stats.txt):
Q_START_MAX = -4.0  # the next part begins with a word that begins almost no sentence (的, 们, 面)
Q_START_HEADING_MAX = -6.0  # after a numbered heading: only a particle (的, 们), not 政贵在行
P_STOP_MAX = -2.0  # running text stops after a word that ends almost no sentence (为, 季度观)
P_STOP_CLAUSE_MAX = -6.0  # a short line with a comma stops after a word that ends no sentence at all
FUNCTION_TAGS = frozenset({"uj", "ud", "c"})  # 的 得, 和 并 (a headline may end in 将至, 多地)


def _function_word(w: str | None) -> bool:
    from reportlint.lexicon import get_lexicon

    return w is not None and len(w) == 1 and get_lexicon().tag(w) in FUNCTION_TAGS


STRADDLE_FREQ = 50  # a word this common read across the break (湖|南, 省辖|市)
RUNNING_TEXT_MIN = 25  # a line with commas this long is running text, not a title


def _running_text(ptext: str) -> bool:
    """Text with sentence punctuation in it, not a title or name line that may end open."""
    return any(c in ptext for c in SENTENCE_INNER) or (
        len(ptext) >= RUNNING_TEXT_MIN and any(c in ptext for c in "，、：")
    )


def straddling_word(ptext: str, qtext: str) -> str | None:
    """A common word the segmenter reads across the break between p's end and q's start."""
    from reportlint.lexicon import get_lexicon

    a = _HAN_TAIL_RE.search(ptext)
    b = _HAN_HEAD_RE.match(qtext)
    if a is None or b is None:
        return None
    pt, qh = a.group()[-4:], b.group()[:4]
    lex = get_lexicon()
    k = len(pt)
    for s, e in lex.route(pt + qh)[1]:
        if s < k < e:
            w = (pt + qh)[s:e]
            return w if lex.freq(w) >= STRADDLE_FREQ else None
    return None


_SIGNED_DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _ends_with_name(ptext: str) -> bool:
    """p ends with a signature: a person's or a body's name (中华人民共和国主席习近平,
    江泽民同志治丧委员会) or the date under a notice (2022年10月24日)."""
    from reportlint.lexicon import get_lexicon
    from reportlint.rules._standalone import last_word

    if _SIGNED_DATE_RE.search(ptext):
        return True
    w = last_word(ptext)
    return w is not None and get_lexicon().tag(w) in NAME_LIKE_TAGS


@lru_cache(maxsize=8192)
def _break_evidence_cached(ptext: str, qtext: str, q_heading: bool) -> str | None:
    from reportlint.rules._standalone import standalone_stats

    last, first = ptext[-1], qtext[0]
    if q_heading or (len(qtext) <= 8 and qtext[-1] in "：:！!"):
        return None  # a heading, or a salutation such as 各位代表：
    if BYLINE_RE.search(ptext):
        return None
    if first in NON_INITIAL_MARKS:
        return "q-start"
    if last in "，、" or last in OPENERS:
        return "p-end"
    if unclosed_opener(ptext):
        return "p-open"
    running = _running_text(ptext)
    clause = running or "，" in ptext  # at least a clause of running text
    if (last.isdigit() and (first in UNITS or first in ".．" or (clause and first.isdigit()))) or (
        last in ".．" and first.isdigit()
    ):
        return "number"
    if last.isascii() and last.isalpha() and first.isascii() and first.isalnum() and HAN_RE.search(ptext):
        return "latin"
    if not HAN_RE.search(qtext):
        # a line without Chinese (a hash, a URL, a code) continues Chinese text only as a
        # number or a Latin word cut in two, judged above
        return None
    stats = standalone_stats()
    j = stats.judge(qtext)
    if j.word is not None and j.word_score < Q_START_MAX:
        return "q-start"
    if any(c in ptext for c in SENTENCE_INNER) and not _ends_with_name(ptext):
        return "p-sentence"
    if clause and straddling_word(ptext, qtext):
        return "word"
    if not _ends_with_name(ptext):
        stop, last_w = stats.end_score(ptext)
        # a title may end open (新规, 获邀), but not after a particle, preposition or conjunction
        title_stop = _function_word(last_w) and not ptext[-2:-1].isdigit()  # 3100所: a measure word
        clause_stop = "，" in ptext and stop < P_STOP_CLAUSE_MAX  # 新的一年，我们将
        if (stop < P_STOP_MAX and (running or clause_stop)) or (stop < 0 and title_stop):
            return "p-stop"
    if len(qtext) <= 6 and qtext[-1] == "。" and not is_formula(qtext):
        return "q-fragment"
    return None


# A field of a document: a short label and its colon first (抄送：…, 联系人：…, 列席：…).
FIELD_RE = re.compile(r"[\u4e00-\u9fff]{2,5}[：:]")
_CAPTION_RE = re.compile(r"(?:附?表|附?图|图表)\s*[\d一二三四五六七八九十]+(?:[-—.．]\d+)?(?:\s|[：:])")


def break_evidence(p: Paragraph, q: Paragraph) -> str | None:
    """Why paragraph ``q`` continues ``p`` (p ends open), or None when it does not."""
    if not ends_open(p):
        return None
    if "\t" in p.text or "\t" in q.text or _CAPTION_RE.match(p.text):
        return None  # a table's row (cells split by tabs) or a table's or figure's caption
    if FIELD_RE.match(p.text) and FIELD_RE.match(q.text):
        return None  # two fields of a document (出席：… / 列席：… / 请假：…)
    if p.is_numbered_heading:
        # （六）扩大高水 / 平对外开放: a heading cut inside a word; not Markdown's own blocks
        # (headings, list items, code), which properly end where they end
        if getattr(p, "block", "paragraph") != "paragraph" or q.is_numbered_heading:
            return None
        return _heading_cut(p.text, q.text)
    return _break_evidence_cached(p.text, q.text, q.is_numbered_heading)


@lru_cache(maxsize=4096)
def _heading_cut(ptext: str, qtext: str) -> str | None:
    """Only strong evidence continues a numbered heading: headings properly end open."""
    from reportlint.rules._standalone import last_word, standalone_stats

    j = standalone_stats().judge(qtext)
    if qtext[0] in NON_INITIAL_MARKS or (j.word is not None and j.word_score < Q_START_HEADING_MAX):
        return "q-start"
    lw = last_word(ptext)  # the heading must stop on a loose character, not a word (服务型政府)
    w = straddling_word(ptext, qtext) if lw is not None and len(lw) == 1 else None
    return "word" if w is not None and j.word_score < 0 else None


def delete_line_range(doc: Document, p: Paragraph, last: Paragraph | None = None) -> tuple[int, int]:
    """Offsets covering a whole-line paragraph (through ``last``, when several) and the blank
    lines after it."""
    start = doc.text.rfind("\n", 0, p.start) + 1  # the start of its line
    end = (last or p).end
    text = doc.text
    while end < len(text) and text[end] in " \t\u3000":
        end += 1
    while end < len(text) and text[end] == "\n":
        end += 1
        # keep exactly the separation that preceded the line
        if end < len(text) and text[end] != "\n":
            break
    return start, end
