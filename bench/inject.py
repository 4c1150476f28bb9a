"""Inject known defects into clean report text, recording where each one went.

Every kind of defect reportlint checks has an injector here. An injector picks a
random place in the text (with the caller's seeded ``random.Random``), makes one
or a few small edits, and records the location of the defect as code-point
offsets into the *injected* text, plus related locations (the first copy of a
duplicate, the earlier value of a restated number) and the rule family expected
to find it.

    >>> import random
    >>> from bench.inject import inject, KINDS
    >>> out = inject(text, ["stray_space", "dup_paragraph"], random.Random(7))
    >>> for inj in out.injections:
    ...     print(inj.kind, inj.family, out.text[inj.start:inj.end])

``inject`` places several defects in one copy only when they are well separated
(no two touch the same or neighbouring paragraphs), so each finding can be
attributed to one defect. The injector is independent of reportlint: it splits
paragraphs and sentences itself, so the ground truth does not depend on the
code being measured.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- text basics

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
WS = " \t\u3000\u00a0"
SENT_END = "。！？；"
CLOSERS = "”’）》"


def _words(s: str) -> list[str]:
    return s.split()


def is_han(c: str) -> bool:
    return bool(c) and bool(_HAN_RE.fullmatch(c))


@dataclass(frozen=True)
class Para:
    """A non-blank line, stripped: ``start``/``end`` bound the text, ``indent`` precedes it."""

    index: int
    start: int
    end: int
    text: str
    indent: str
    line_end: int  # offset of the line's newline (or len(text))

    @property
    def is_prose(self) -> bool:
        t = self.text
        han = sum(1 for c in t if is_han(c))
        return "。" in t and han >= 0.6 * len(t)


def split_paragraphs(text: str) -> list[Para]:
    out: list[Para] = []
    pos = 0
    n = len(text)
    while pos <= n:
        le = text.find("\n", pos)
        if le == -1:
            le = n
        s, e = pos, le
        while s < e and text[s] in WS:
            s += 1
        while e > s and text[e - 1] in WS:
            e -= 1
        if s < e:
            out.append(Para(len(out), s, e, text[s:e], text[pos:s], le))
        pos = le + 1
    return out


def sentences(p: Para) -> list[tuple[int, int]]:
    """Absolute (start, end) of each sentence of a paragraph, end after its closing marks."""
    out = []
    t = p.text
    s = 0
    i = 0
    while i < len(t):
        if t[i] in SENT_END:
            j = i + 1
            while j < len(t) and (t[j] in SENT_END or t[j] in CLOSERS):
                j += 1
            out.append((p.start + s, p.start + j))
            s = i = j
            continue
        i += 1
    if s < len(t):
        out.append((p.start + s, p.start + len(t)))
    return out


def paragraph_separator(text: str) -> str:
    """'\\n\\n' when the text separates paragraphs with blank lines, else '\\n'."""
    lines = text.split("\n")
    blank = sum(1 for ln in lines if not ln.strip())
    return "\n\n" if blank >= 0.25 * max(1, len(lines) - blank) else "\n"


# --------------------------------------------------------------------------- Chinese numerals

_CN = "零一二三四五六七八九"


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 两 → 2; None for anything else (1..99)."""
    s = s.replace("两", "二")
    if not s or any(c not in _CN + "十" for c in s):
        return None
    if "十" not in s:
        return _CN.index(s) if len(s) == 1 else None
    head, _, tail = s.partition("十")
    if "十" in tail or len(head) > 1 or len(tail) > 1:
        return None
    tens = _CN.index(head) if head else 1
    ones = _CN.index(tail) if tail else 0
    return tens * 10 + ones


def int_to_cn(n: int) -> str:
    if not 0 < n < 100:
        raise ValueError(n)
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the original with ``new``."""

    start: int
    end: int
    new: str

    @property
    def delta(self) -> int:
        return len(self.new) - (self.end - self.start)


@dataclass(frozen=True)
class Injection:
    """One injected defect, located in the injected text."""

    kind: str
    family: str
    start: int
    end: int
    realisation: str
    detail: str = ""
    related: tuple[tuple[int, int], ...] = ()  # e.g. the first copy, the earlier value
    accept: tuple[str, ...] = ()  # rule families whose findings count as detecting it

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class Injected:
    original: str
    text: str
    injections: list[Injection]
    edits: list[Edit] = field(default_factory=list)  # sorted, in original coordinates

    def to_original(self, pos: int) -> int | None:
        """Map an offset of the injected text back to the original; None inside an edit."""
        shift = 0
        for e in self.edits:
            fs = e.start + shift
            if pos < fs:
                break
            if pos < fs + len(e.new):
                return None
            shift += e.delta
        return pos - shift


@dataclass
class Proposal:
    """What an injector wants: edits in original coordinates and the defect's location.

    The defect lies inside ``edits[span_edit].new`` at ``rel``; ``related`` ranges are
    in the original text, outside every edit.
    """

    edits: list[Edit]
    rel: tuple[int, int]
    realisation: str
    detail: str = ""
    related: list[tuple[int, int]] = field(default_factory=list)
    span_edit: int = 0
    touched: list[tuple[int, int]] = field(default_factory=list)  # extra ranges to keep clear


# --------------------------------------------------------------------------- context


class Ctx:
    """The text being injected, its paragraphs, and the ranges already taken."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paras = split_paragraphs(text)
        self.sep = paragraph_separator(text)
        self.busy: list[tuple[int, int]] = []
        self._starts = [p.start for p in self.paras]

    # -- reservations
    def para_index_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def neighbourhood(self, lo: int, hi: int) -> tuple[int, int]:
        """The range from the paragraph before ``lo`` to the paragraph after ``hi``."""
        i = self.para_index_at(lo)
        j = self.para_index_at(max(lo, hi - 1))
        a = self.paras[max(0, i - 1)].start if self.paras else 0
        b = self.paras[min(len(self.paras) - 1, j + 1)].line_end if self.paras else len(self.text)
        return a, b

    def is_free(self, lo: int, hi: int) -> bool:
        a, b = self.neighbourhood(lo, hi)
        return not any(s < b and a < e for s, e in self.busy)

    def free(self, p: Para) -> bool:
        return self.is_free(p.start, p.end)

    def reserve(self, lo: int, hi: int) -> None:
        self.busy.append(self.neighbourhood(lo, hi))

    # -- choices
    def prose(self, min_len: int = 30, max_len: int = 100_000) -> list[Para]:
        # Skip the title block (first three lines) and require free neighbourhoods.
        return [
            p
            for p in self.paras
            if p.index >= 3 and p.is_prose and min_len <= len(p.text) <= max_len and self.free(p)
        ]


# --------------------------------------------------------------------------- helpers


def _weighted(rng: random.Random, options: Sequence[tuple[object, float]]):
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, w in options:
        x -= w
        if x < 0:
            return value
    return options[-1][0]


def _mid_sentence_breaks(text: str, p: Para, margin: int = 6) -> list[int]:
    """Offsets between two Chinese characters inside a sentence, away from its ends."""
    out = []
    for s, e in sentences(p):
        for i in range(s + margin, e - margin):
            if is_han(text[i - 1]) and is_han(text[i]):
                out.append(i)
    return out


def _occurrences(words: Iterable[str], paras: list[Para]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for w in words:
        for p in paras:
            i = p.text.find(w)
            while i != -1:
                found.setdefault(w, []).append(p.start + i)
                i = p.text.find(w, i + 1)
    return found


def _pick_word(
    ctx: Ctx, rng: random.Random, words: Iterable[str], paras: list[Para], ok: Callable[[int, str], bool]
) -> tuple[str, int] | None:
    """A word chosen uniformly among the words present, then one of its occurrences."""
    occ = _occurrences(words, paras)
    keys = sorted(occ)
    rng.shuffle(keys)
    for w in keys:
        spots = [i for i in occ[w] if ok(i, w)]
        if spots:
            return w, rng.choice(spots)
    return None


# --------------------------------------------------------------------------- DUP


def _copy_block(ctx: Ctx, rng: random.Random, block: list[Para], placement: str) -> tuple[Para, int] | None:
    """Where to insert a copy of ``block``: right after it, or after a paragraph further on."""
    last = block[-1]
    if placement == "adjacent":
        return last, last.line_end
    later = [q for q in ctx.prose(min_len=10) if q.index >= last.index + 3]
    if not later:
        return None
    q = rng.choice(later)
    return q, q.line_end


def dup_paragraph(ctx: Ctx, rng: random.Random) -> Proposal | None:
    placement = _weighted(rng, [("adjacent", 1), ("far", 2), ("block", 1)])
    cands = ctx.prose(min_len=30, max_len=900)
    if not cands:
        return None
    if placement == "block":
        starts = [p for p in cands if p.index + 1 < len(ctx.paras) and ctx.paras[p.index + 1] in cands]
        if not starts:
            return None
        first = rng.choice(starts)
        block = [first, ctx.paras[first.index + 1]]
        where = _copy_block(ctx, rng, block, "far")
    else:
        block = [rng.choice(cands)]
        where = _copy_block(ctx, rng, block, placement)
    if where is None:
        return None
    q, ins = where
    src = (block[0].start, block[-1].end)
    copy = ctx.text[src[0] : src[1]]
    new = ctx.sep + block[0].indent + copy
    rel = (len(new) - len(copy), len(new))
    return Proposal(
        [Edit(ins, ins, new)],
        rel,
        placement,
        detail=f"{len(block)} paragraph(s), {len(copy)} chars",
        related=[src],
        touched=[(q.start, q.end)],
    )


_NEAR_SUBS = "的地在再已以做作发展建设推进加快全面重点工作项目企业"


def _mutate(s: str, rng: random.Random, n: int) -> tuple[str, list[str]]:
    """Change ``n`` characters of ``s``: substitute, delete, insert, or change a digit."""
    kinds = []
    chars = list(s)
    for _ in range(n):
        digits = [i for i, c in enumerate(chars) if c.isdigit()]
        han = [i for i, c in enumerate(chars) if is_han(c) and 2 <= i < len(chars) - 2]
        kind = _weighted(rng, [("sub", 3), ("del", 1), ("ins", 1), ("digit", 1 if digits else 0)])
        if not han:
            break
        if kind == "digit":
            i = rng.choice(digits)
            chars[i] = rng.choice([d for d in "0123456789" if d != chars[i]])
        elif kind == "sub":
            i = rng.choice(han)
            chars[i] = rng.choice([c for c in _NEAR_SUBS if c != chars[i]])
        elif kind == "del":
            del chars[rng.choice(han)]
        else:
            chars.insert(rng.choice(han), rng.choice(_NEAR_SUBS))
        kinds.append(kind)
    return "".join(chars), kinds


def near_copy(ctx: Ctx, rng: random.Random) -> Proposal | None:
    placement = _weighted(rng, [("adjacent", 1), ("far", 2)])
    cands = ctx.prose(min_len=50, max_len=900)
    if not cands:
        return None
    p = rng.choice(cands)
    where = _copy_block(ctx, rng, [p], placement)
    if where is None:
        return None
    q, ins = where
    n = _weighted(rng, [(1, 2), (2, 2), (3, 1), (4, 1)])
    n = min(n, max(1, len(p.text) // 40))
    copy, kinds = _mutate(p.text, rng, n)
    if copy == p.text:
        return None
    new = ctx.sep + p.indent + copy
    return Proposal(
        [Edit(ins, ins, new)],
        (len(new) - len(copy), len(new)),
        placement,
        detail=f"{len(kinds)} change(s): {'+'.join(kinds)}",
        related=[(p.start, p.end)],
        touched=[(q.start, q.end)],
    )


def spliced_tail(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """The last sentence(s) of one paragraph pasted onto (or over the end of) another."""
    cands = [p for p in ctx.prose(min_len=40) if len(sentences(p)) >= 2]
    rng.shuffle(cands)
    for p in cands[:20]:
        sents = sentences(p)
        k = rng.choice([1, 1, 2]) if len(sents) >= 3 else 1
        s0 = sents[-k][0]
        tail = ctx.text[s0 : p.end]
        if not 12 <= len(tail) <= 300 or tail[-1] not in "。！？":
            continue
        targets = [q for q in ctx.prose(min_len=20) if abs(q.index - p.index) >= 2 and q.text[-1] in "。！？"]
        if not targets:
            continue
        q = rng.choice(targets)
        qs = sentences(q)
        if len(qs) >= 2 and rng.random() < 0.5:
            edit = Edit(qs[-1][0], q.end, tail)
            real = "replace_last"
        else:
            edit = Edit(q.end, q.end, tail)
            real = "append"
        return Proposal(
            [edit],
            (0, len(tail)),
            real,
            detail=f"{k} sentence(s)",
            related=[(s0, p.end)],
            touched=[(q.start, q.end)],
        )
    return None


# --------------------------------------------------------------------------- LAYOUT

SECTION_NAMES = _words("要闻 综合 时政 经济 民生 本地 评论 专版 特刊 两会 聚焦 社会")
# Words newspapers and sites name their columns with; headers are generated from them
# (two or three joined by ·, or spaced), so they are not a fixed list of examples.
COLUMN_WORDS = _words(
    "经济 社会 时政 民生 文化 教育 科技 法治 生态 环境 健康 体育 国际 城市 乡村 农业 产业 财经"
    " 评论 观察 视点 关注 聚焦 要闻 综合 地方 区县 专题 理论 副刊 人物 旅游 消费 金融 交通 文旅"
    " 政务 党建 民族 天下 创新 开放 改革 发展 深读 特稿 新闻 调查 对话 纵深 前沿 周刊 读者 来信"
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = "明华伟芳军敏静丽强磊洋艳勇杰娟涛超霞平刚桂"
WEEKDAYS = "一二三四五六日"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _date_line(rng: random.Random) -> str:
    d = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(8 * 365))
    wd = ("星期" if rng.random() < 0.8 else "周") + WEEKDAYS[d.weekday()]
    date = f"{d.year}年{d.month}月{d.day}日"
    return f"{date} {wd}" if rng.random() < 0.85 else f"{wd} {date}"


def column_header(rng: random.Random) -> str:
    """A column header: two or three column words joined by a dot or spaces, or one spaced out."""
    if rng.random() < 0.3:
        return rng.choice([" ", "  ", "\u3000"]).join(rng.choice(COLUMN_WORDS))
    words = rng.sample(COLUMN_WORDS, 3 if rng.random() < 0.25 else 2)
    return rng.choice(["·", "·", "•", " · ", " ", "\u3000", "  "]).join(words)


def byline(rng: random.Random) -> str:
    """A byline or editor credit: 本版责编：王明, 本报记者 王明 李华, （记者 张伟）."""
    names = " ".join(_name(rng) for _ in range(rng.choice([1, 1, 2, 3])))
    kind = rng.choice(["editor", "reporter", "reporter", "paren", "photo"])
    if kind == "editor":
        role = rng.choice(["本版责编", "责任编辑", "本版编辑", "责编", "编辑", "校对", "美编"])
        return f"{role}{rng.choice(['：', ':', '：', ' '])}{names}"
    if kind == "reporter":
        return f"{rng.choice(['本报记者', '记者', '通讯员', '本报通讯员', '新华社记者'])} {names}"
    if kind == "paren":
        return f"（{rng.choice(['本报记者', '记者', '通讯员'])} {names}）"
    return f"{rng.choice(['本报记者', '记者', '通讯员'])} {names} 摄"


def page_number(rng: random.Random) -> str:
    n = rng.randint(1, 24)
    return rng.choice(
        [f"- {n} -", f"—{n}—", f"第 {n} 页", f"第{n}页", f"{n}", f"第{n}版", f"A{n}版", f"第{int_to_cn(n)}版"]
    )


def web_widget(rng: random.Random) -> str:
    """Web page furniture: a font-size picker, a scan-to-phone prompt, print and share links,
    a navigation trail; copied from a page, a picker, links or a trail often come one item
    per line (lines joined by "\n")."""
    kind = rng.choice(["font", "scan", "links", "trail"])
    split = rng.random() < 0.4
    if kind == "trail":
        label = rng.choice(["您的位置", "当前位置", "位置", ""])
        colon = rng.choice(["：", ":"]) if label else ""
        pages = ["新闻中心", "政务公开", "要闻动态", "政府工作报告", "本地要闻", "正文"]
        crumbs = ["首页", *rng.sample(pages, 2)]
        arrow = rng.choice([">", " > ", "＞", "›", " » "])
        if split:
            return "\n".join([*([label + colon] if label else []), *"\n>\n".join(crumbs).split("\n")])
        return f"{label}{colon}{arrow.join(crumbs)}"
    if split and kind != "scan":
        items = (
            [f"【{rng.choice(['字体', '字号'])}：", "大", "中", "小", "】"]
            if kind == "font"
            else rng.sample(["打印", "关闭", "收藏", "分享到:", "打印本页", "关闭窗口", "返回顶部", "×"], k=3)
        )
        return "\n".join(items)
    if kind == "font":
        label = rng.choice(["字体", "字号"])
        sizes = rng.choice(["大 中 小", "大　中　小", "大 中 小 默认", "A+ A A-"])
        return rng.choice(
            [
                f"【{label}：{sizes}】",
                f"{label}：{sizes}",
                f"[{label}: {sizes}]",
                f"【{label}：【大】【中】【小】】",
            ]
        )
    if kind == "scan":
        return rng.choice(["扫一扫", "微信扫一扫", "用手机扫一扫"]) + rng.choice(
            ["在手机打开当前页", "手机打开当前页", "分享到朋友圈", "在手机上阅读"]
        )
    links = rng.sample(
        ["打印", "关闭", "收藏", "分享", "打印本页", "关闭窗口", "返回顶部"], rng.choice([2, 3])
    )
    return rng.choice([" ", "  ", "｜", " | "]).join(f"【{w}】" if rng.random() < 0.3 else w for w in links)


def page_header_line(rng: random.Random) -> tuple[str, str]:
    """A running page header or another line of page furniture: (line, realisation)."""
    kind = _weighted(
        rng,
        [
            ("spaced_section", 2),
            ("section", 1),
            ("column", 3),
            ("edition", 1),
            ("date", 1),
            ("editor", 1),
            ("byline", 2),
            ("page_number", 1),
            ("widget", 1),
            ("combined", 1),
        ],
    )
    if kind == "spaced_section":
        name = rng.choice(SECTION_NAMES)
        return rng.choice([" ", "  ", "\u3000"]).join(name), kind
    if kind == "section":
        return rng.choice(SECTION_NAMES), kind
    if kind == "column":
        return column_header(rng), kind
    if kind == "edition":
        n = rng.randint(1, 16)
        return rng.choice([f"第{n}版", f"第{int_to_cn(n)}版", f"第 {n} 版", f"A{n}版"]), kind
    if kind == "date":
        return _date_line(rng), kind
    if kind == "editor":
        role = rng.choice(["责任编辑", "本版编辑", "责编", "校对", "美编"])
        names = _name(rng) if rng.random() < 0.7 else f"{_name(rng)} {_name(rng)}"
        return f"{role}{rng.choice(['：', ':'])}{names}", kind
    if kind == "byline":
        return byline(rng), kind
    if kind == "page_number":
        return page_number(rng), kind
    if kind == "widget":
        return web_widget(rng), kind
    return f"{rng.choice(SECTION_NAMES)} {_date_line(rng)}", kind


def page_header(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """Page furniture inside a paragraph (splitting a sentence) or between two paragraphs;
    a web page's widgets also above the title or below the end."""
    line, real = page_header_line(rng)
    line = line.replace("\n", ctx.sep)  # a widget copied one item per line
    if "\n" in line:
        real += "/lines"
    if real.startswith("widget") and rng.random() < 0.3:
        if rng.random() < 0.5:
            new = line + ctx.sep
            return Proposal([Edit(0, 0, new)], (0, len(line)), f"{real}/top", line)
        end = len(ctx.text.rstrip("\n"))
        new = ctx.sep + line
        return Proposal([Edit(end, end, new)], (len(ctx.sep), len(new)), f"{real}/end", line)
    # A bare section word between two whole paragraphs may be a real heading: only inside.
    between = real != "section" and rng.random() < 0.3
    cands = ctx.prose(min_len=30)
    rng.shuffle(cands)
    for p in cands[:10]:
        if between:
            if (
                p.text[-1] not in SENT_END
                or p.index + 1 >= len(ctx.paras)
                or not ctx.paras[p.index + 1].is_prose
            ):
                continue
            new = ctx.sep + line
            return Proposal(
                [Edit(p.line_end, p.line_end, new)], (len(ctx.sep), len(new)), f"{real}/between", line
            )
        breaks = _mid_sentence_breaks(ctx.text, p)
        if not breaks:
            continue
        i = rng.choice(breaks)
        new = ctx.sep + line + ctx.sep
        return Proposal([Edit(i, i, new)], (len(ctx.sep), len(ctx.sep) + len(line)), real, detail=line)
    return None


# Provinces and big cities: a break inside one of these is a break inside a name.
PLACE_NAMES = _words(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南"
    " 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾"
    " 长江 黄河 珠江 京津冀 长三角 粤港澳 大湾区 雄安 深圳 浦东 西部 东北 中部 东部"
)
FUNCTION_CHARS = "的了和与及为在把对向从以将是等并而或使让给被于"


def _break_point(ctx: Ctx, rng: random.Random, p: Para) -> tuple[int, str] | None:
    """A mid-sentence break offset and what kind of place it is."""
    t = ctx.text
    kind = _weighted(
        rng,
        [
            ("han", 4),
            ("comma", 2),
            ("after_comma", 2),
            ("name", 2),
            ("particle", 1),
            ("number", 1),
            ("quote", 1),
        ],
    )
    lo, hi = p.start + 4, p.end - 4
    if kind == "comma":
        spots = [i + 1 for i in range(lo, hi) if t[i] in "，、" and is_han(t[i + 1])]
    elif kind == "after_comma":  # 合力，为 / 我们推动: one to three characters after a comma
        spots = [
            i + k
            for i in range(lo, hi)
            if t[i] == "，"
            for k in (2, 3, 4)
            if i + k < hi and all(is_han(c) for c in t[i + 1 : i + k + 1])
        ]
    elif kind == "name":
        spots = []
        for name in PLACE_NAMES:
            j = p.text.find(name)
            while j != -1:
                spots.extend(p.start + j + k for k in range(1, len(name)))
                j = p.text.find(name, j + 1)
        spots = [i for i in spots if is_han(t[i - 1]) and is_han(t[i])]
    elif kind == "particle":
        spots = [i for i in range(lo, hi) if t[i] in "的地得了着们" and is_han(t[i - 1])]
    elif kind == "number":
        spots = [i for i in range(lo, hi) if t[i - 1].isdigit() and t[i].isdigit()]
    elif kind == "quote":
        spots = []
        for m in re.finditer("“([^”“]{4,30})”", p.text):
            spots.extend(
                p.start + m.start(1) + j
                for j in range(2, len(m.group(1)) - 1)
                if is_han(p.text[m.start(1) + j - 1]) and is_han(p.text[m.start(1) + j])
            )
    else:
        spots = _mid_sentence_breaks(t, p)
    spots = [i for i in spots if lo <= i <= hi]
    if not spots:
        spots = _mid_sentence_breaks(t, p)
        kind = "han"
    return (rng.choice(spots), kind) if spots else None


def broken_paragraph(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """A paragraph broken in two; the break may carry blank lines (web text) or page furniture."""
    cands = ctx.prose(min_len=30)
    rng.shuffle(cands)
    gap = _weighted(rng, [("plain", 4), ("blank_lines", 2), ("furniture", 2)])
    for p in cands[:10]:
        bp = _break_point(ctx, rng, p)
        if bp is None:
            continue
        i, kind = bp
        indent = p.indent if rng.random() < 0.5 else ""
        if gap == "blank_lines":
            sep = rng.choice(["\n\n", "\n\n\n", "\n \n"])
        elif gap == "furniture":
            line = rng.choice([column_header, byline, page_number])(rng)
            sep = ctx.sep + line + ctx.sep
        else:
            sep = ctx.sep
        new = ctx.text[i - 1] + sep + indent + ctx.text[i]
        real = kind if gap == "plain" else f"{kind}/{gap}"
        # The defect: the last character before the break to the first one after it.
        return Proposal(
            [Edit(i - 1, i + 1, new)],
            (0, len(new)),
            real,
            detail=f"{ctx.text[max(p.start, i - 6) : i]}|{ctx.text[i : i + 6]}",
        )
    return None


def continuation_marker_text(rng: random.Random, direction: str | None = None) -> str:
    verb = direction or rng.choice(["上接", "下转", "紧接", "转", "接"])
    n = rng.randint(1, 16)
    num = _weighted(rng, [(int_to_cn(n), 5), (str(n), 4), (f"A{min(n, 9)}", 1)])
    di = "第" if rng.random() < 0.9 else ""
    unit = "版" if rng.random() < 0.85 else "页"
    open_, close = rng.choice([("（", "）"), ("（", "）"), ("(", ")")])
    return f"{open_}{verb}{di}{num}{unit}{close}"


def continuation_marker(ctx: Ctx, rng: random.Random) -> Proposal | None:
    placement = _weighted(rng, [("own_line", 3), ("inside", 2), ("paragraph_end", 1), ("paragraph_start", 1)])
    cands = [p for p in ctx.prose(min_len=30) if p.text[-1] in "。！？；"]
    if not cands:
        return None
    p = rng.choice(cands)
    if placement == "own_line":
        marker = continuation_marker_text(rng)
        new = ctx.sep + marker
        return Proposal([Edit(p.line_end, p.line_end, new)], (len(ctx.sep), len(new)), placement, marker)
    if placement == "inside":
        breaks = _mid_sentence_breaks(ctx.text, p)
        if not breaks:
            return None
        i = rng.choice(breaks)
        marker = continuation_marker_text(rng, rng.choice(["下转", "上接", "转", "接"]))
        new = ctx.sep + marker + ctx.sep
        return Proposal([Edit(i, i, new)], (len(ctx.sep), len(ctx.sep) + len(marker)), placement, marker)
    if placement == "paragraph_end":
        marker = continuation_marker_text(rng, rng.choice(["下转", "转"]))
        return Proposal([Edit(p.end, p.end, marker)], (0, len(marker)), placement, marker)
    marker = continuation_marker_text(rng, rng.choice(["上接", "紧接", "接"]))
    return Proposal([Edit(p.start, p.start, marker)], (0, len(marker)), placement, marker)


_FORMULAS = {"谢谢", "谢谢大家", "特此报告", "以上报告", "请审议", "此致", "敬礼", "完", "全文完"}


def _orphan_source(ctx: Ctx, rng: random.Random, ending: str) -> tuple[str, str, int] | None:
    """A sentence of the text to cut a tail from: (sentence, its body, where the body ends)."""
    pool = []
    for p in ctx.paras:
        if not p.is_prose:
            continue
        for s, e in sentences(p):
            sent = ctx.text[s:e]
            if ending == "exclaim" and not sent.rstrip(CLOSERS).endswith("！"):
                continue
            if ending == "quote" and not (sent[-1] == "”" or sent.endswith("”。")):
                continue
            if ending == "plain" and sent[-1] not in "。；":
                continue
            pool.append(sent)
    if not pool:
        return None
    sent = rng.choice(pool)
    body = sent.rstrip(SENT_END + CLOSERS)
    return sent, body, len(body)


def orphan_tail(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """The tail of a sentence, 4-20 characters, alone on a line after a complete paragraph.

    Realisations ``start/ending/neighbour``: the tail starts at any place between two
    Chinese characters (often inside a word: 面发展。) or right after a function
    character, so that it begins with an ordinary word (打开新的局面。); it ends as its
    sentence did, with 。/； (plain), ！ (exclaim) or a closing quote (quote: 雄心壮志！”);
    and it stands alone, or next to a byline or a column header that hides it.
    """
    hosts = [p for p in ctx.prose(min_len=20) if p.text[-1] == "。" and p.index + 1 < len(ctx.paras)]
    if not hosts:
        return None
    start = rng.choice(["any", "any", "word"])
    ending = _weighted(rng, [("plain", 6), ("exclaim", 1), ("quote", 1)])
    neighbour = _weighted(rng, [("alone", 4), ("byline", 1), ("header", 1)])
    n = rng.randint(4, 20)
    for _ in range(20):
        src = _orphan_source(ctx, rng, ending)
        if src is None:
            ending = "plain"
            continue
        sent, body, cut_end = src
        trail = sent[cut_end:]
        k = n - len(trail)  # characters of the body kept
        if k < 2 or len(body) < k + 4:
            continue
        # cut between two Chinese characters, keeping about k characters of the body
        kept = range(max(2, k - 3), k + 4)
        spots = [len(body) - m for m in kept if len(body) - m >= 1]
        spots = [j for j in spots if is_han(body[j - 1]) and is_han(body[j])]
        if start == "word":
            spots = [j for j in spots if body[j - 1] in FUNCTION_CHARS]
        if ending == "quote":
            spots = [j for j in spots if "“" in body[:j] and "“" not in body[j:]]
        if not spots:
            continue
        j = rng.choice(spots)
        frag = body[j:] + trail
        if not 4 <= len(frag) <= 20 or body[j:] in _FORMULAS:
            continue
        host = rng.choice(hosts)
        indent = host.indent if rng.random() < 0.5 else ""
        line = {"alone": None, "byline": byline, "header": column_header}[neighbour]
        if line is None:
            new = ctx.sep + indent + frag
        elif rng.random() < 0.5:  # the furniture before the fragment ...
            new = ctx.sep + line(rng) + ctx.sep + indent + frag
        else:  # ... or after it
            new = ctx.sep + indent + frag + ctx.sep + line(rng)
        pos = new.index(indent + frag, len(ctx.sep)) + len(indent)
        return Proposal(
            [Edit(host.line_end, host.line_end, new)],
            (pos, pos + len(frag)),
            f"{start}/{ending}/{neighbour}",
            detail=frag,
            touched=[(host.start, host.end)],
        )
    return None


# --------------------------------------------------------------------------- PUNCT


def stray_space(ctx: Ctx, rng: random.Random) -> Proposal | None:
    real = _weighted(rng, [("ascii", 4), ("double", 1), ("ideographic", 2), ("nbsp", 1), ("before_punct", 1)])
    space = {"ascii": " ", "double": "  ", "ideographic": "\u3000", "nbsp": "\u00a0", "before_punct": " "}[
        real
    ]
    cands = ctx.prose(min_len=20)
    rng.shuffle(cands)
    t = ctx.text
    for p in cands[:10]:
        if real == "before_punct":
            spots = [i for i in range(p.start + 1, p.end) if t[i] in "，。、；" and is_han(t[i - 1])]
        else:
            spots = [i for i in range(p.start + 1, p.end) if is_han(t[i - 1]) and is_han(t[i])]
        if spots:
            i = rng.choice(spots)
            return Proposal(
                [Edit(i, i, space)], (0, len(space)), real, detail=f"{t[i - 3 : i]}␣{t[i : i + 3]}"
            )
    return None


_HALF = {"，": ",", "；": ";", "：": ":", "。": ".", "？": "?", "！": "!"}


def halfwidth_punct(ctx: Ctx, rng: random.Random) -> Proposal | None:
    real = _weighted(
        rng,
        [
            ("comma", 4),
            ("semicolon", 1),
            ("colon", 1),
            ("period", 1),
            ("paren", 1),
            ("quote", 1),
            ("question", 1),
        ],
    )
    t = ctx.text
    cands = ctx.prose(min_len=20)
    rng.shuffle(cands)
    for p in cands[:15]:
        if real in ("paren", "quote"):
            pat = "（([^（）]{2,30})）" if real == "paren" else "“([^“”]{2,30})”"
            ms = [m for m in re.finditer(pat, p.text) if any(is_han(c) for c in m.group(1))]
            if not ms:
                continue
            m = rng.choice(ms)
            inner = m.group(1)
            new = ("(" + inner + ")") if real == "paren" else ('"' + inner + '"')
            a = p.start + m.start()
            return Proposal([Edit(a, a + len(m.group()), new)], (0, len(new)), real, detail=new)
        full = {"comma": "，", "semicolon": "；", "colon": "：", "period": "。", "question": "？！"}[real]
        spots = [
            i
            for i in range(p.start + 1, p.end - 1)
            if t[i] in full and is_han(t[i - 1]) and (real != "period" or is_han(t[i + 1]))
        ]
        if real == "question" and not spots:
            continue
        if spots:
            i = rng.choice(spots)
            half = _HALF[t[i]]
            return Proposal(
                [Edit(i, i + 1, half)], (0, 1), real, detail=f"{t[i - 3 : i]}{half}{t[i + 1 : i + 4]}"
            )
    return None


# --------------------------------------------------------------------------- TYPO

ENGLISH = {
    "发展": "development",
    "项目": "project",
    "服务": "service",
    "企业": "enterprise",
    "经济": "economy",
    "创新": "innovation",
    "政策": "policy",
    "市场": "market",
    "改革": "reform",
    "管理": "management",
    "技术": "technology",
    "质量": "quality",
    "安全": "safety",
    "数据": "data",
    "平台": "platform",
    "目标": "target",
    "人才": "talent",
    "能力": "capacity",
    "投资": "investment",
    "机制": "mechanism",
    "城市": "city",
    "农村": "rural",
    "教育": "education",
    "环境": "environment",
    "产业": "industry",
}
_AND = {"和": "and", "与": "and", "及": "and"}


def english_word(ctx: Ctx, rng: random.Random) -> Proposal | None:
    t = ctx.text
    cands = ctx.prose(min_len=20)
    real = _weighted(rng, [("and", 1), ("translation", 3)])
    table = _AND if real == "and" else ENGLISH
    pick = _pick_word(
        ctx, rng, table, cands, lambda i, w: is_han(t[i - 1]) and is_han(t[i + len(w) : i + len(w) + 1])
    )
    if pick is None:
        return None
    w, i = pick
    eng = table[w]
    if rng.random() < 0.15:
        eng = eng.capitalize()
    left = " " if rng.random() < 0.5 else ""
    right = " " if (left and rng.random() < 0.8) or (not left and rng.random() < 0.2) else ""
    new = left + eng + right
    return Proposal(
        [Edit(i, i + len(w), new)], (len(left), len(left) + len(eng)), real, detail=f"{w} → {new!r}"
    )


# Characters that legitimately reduplicate (常常, 人人, 实实在在, 家家户户, 产业链链长 ...).
REDUPLICATING = set(
    "常人天年月日时事处步层个家户实在一刚渐纷稍仅默看多切谢往久明紧深轻慢好快高大小红白清楚干净"
    "平安点滴条件种样代世生方面上下里外前后左右亿万千百十链密匆忙碌熙攘兢业勤恳踏扎稳通堂正轰烈"
    "蓬勃井有认真老少男女来去进出风雨星火片团块段节声张遍次回趟番阵串"
)
PARTICLES = set("的了是在和与对把被将也都就")


def doubled_char(ctx: Ctx, rng: random.Random) -> Proposal | None:
    t = ctx.text
    cands = ctx.prose(min_len=20)
    rng.shuffle(cands)
    want_particle = rng.random() < 0.3
    for p in cands[:10]:
        spots = [
            i
            for i in range(p.start + 1, p.end - 1)
            if is_han(t[i])
            and t[i] not in REDUPLICATING
            and t[i - 1] != t[i] != t[i + 1]
            and ((t[i] in PARTICLES) == want_particle)
        ]
        if spots:
            i = rng.choice(spots)
            return Proposal(
                [Edit(i, i + 1, t[i] * 2)],
                (0, 2),
                "particle" if want_particle else "content",
                detail=f"{t[i - 3 : i]}[{t[i] * 2}]{t[i + 1 : i + 4]}",
            )
    return None


# Common report words; verbs that reduplicate as ABAB (研究研究, 讨论讨论) are left out.
COMMON_WORDS = _words(
    "发展 推进 建设 加快 提升 全面 持续 深入 企业 项目 改革 创新 经济 服务 社会 体系 能力 水平 机制 重点 "
    "实施 加强 完善 推动 坚持 强化 产业 群众 政府 农村 城市 生态 环境 安全 保障 人民 质量 高质量 现代化 "
    "基础设施 新发展格局 乡村振兴 营商环境 不断 积极 稳步 着力 扎实 进一步 国家 全国"
)


def word_twice(ctx: Ctx, rng: random.Random) -> Proposal | None:
    t = ctx.text
    cands = ctx.prose(min_len=20)
    pick = _pick_word(
        ctx,
        rng,
        COMMON_WORDS,
        cands,
        lambda i, w: t[i + len(w) : i + 2 * len(w)] != w and t[i - len(w) : i] != w,
    )
    if pick is None:
        return None
    w, i = pick
    return Proposal([Edit(i, i + len(w), w + w)], (0, 2 * len(w)), f"{len(w)}-char", detail=w)


# (right, wrong, how): a common misspelling by sound (homophone) or by shape.
CONFUSIONS: list[tuple[str, str, str]] = [
    ("部署", "布署", "homophone"),
    ("贯彻", "贯澈", "homophone"),
    ("彻底", "澈底", "homophone"),
    ("履行", "屡行", "homophone"),
    ("履职", "屡职", "homophone"),
    ("即将", "既将", "homophone"),
    ("既要", "即要", "homophone"),
    ("即使", "既使", "homophone"),
    ("已经", "以经", "homophone"),
    ("以来", "已来", "homophone"),
    ("再次", "在次", "homophone"),
    ("在于", "再于", "homophone"),
    ("成绩", "成积", "homophone"),
    ("业绩", "业积", "homophone"),
    ("增长", "增涨", "homophone"),
    ("措施", "错施", "homophone"),
    ("融合", "溶合", "homophone"),
    ("融入", "溶入", "homophone"),
    ("振兴", "震兴", "homophone"),
    ("攻坚", "功坚", "homophone"),
    ("巩固", "巩故", "homophone"),
    ("防范", "防犯", "homophone"),
    ("安装", "按装", "homophone"),
    ("覆盖", "复盖", "homophone"),
    ("制度", "制渡", "homophone"),
    ("效率", "效律", "homophone"),
    ("基础", "基楚", "homophone"),
    ("保障", "保章", "homophone"),
    ("推进", "推近", "homophone"),
    ("稳定", "稳订", "homophone"),
    ("规划", "规化", "homophone"),
    ("环境", "环竟", "homophone"),
    ("工作", "工做", "homophone"),
    ("创新", "创薪", "homophone"),
    ("健全", "建全", "homophone"),
    ("健康", "建康", "homophone"),
    ("完善", "完膳", "homophone"),
    ("发挥", "发辉", "homophone"),
    ("蓬勃", "蓬博", "homophone"),
    ("供给", "共给", "homophone"),
    ("综合", "宗合", "homophone"),
    ("维护", "维户", "homophone"),
    ("带动", "代动", "homophone"),
    ("引领", "引令", "homophone"),
    ("改革", "改格", "homophone"),
    ("机制", "机智", "homophone"),
    ("按部就班", "按步就班", "homophone"),
    ("再接再厉", "再接再励", "homophone"),
    ("迫不及待", "迫不急待", "homophone"),
    ("一如既往", "一如即往", "homophone"),
    ("辐射", "幅射", "homophone"),
    ("竞争", "竟争", "shape"),
    ("标准", "标淮", "shape"),
    ("精准", "精淮", "shape"),
    ("深入", "深人", "shape"),
    ("投入", "投人", "shape"),
    ("收入", "收人", "shape"),
    ("人才", "入才", "shape"),
    ("项目", "项日", "shape"),
    ("重要", "重耍", "shape"),
    ("主要", "主耍", "shape"),
    ("水平", "水乎", "shape"),
    ("治理", "冶理", "shape"),
    ("整治", "整冶", "shape"),
    ("已经", "己经", "shape"),
    ("自己", "自已", "shape"),
    ("未来", "末来", "shape"),
    ("提供", "提拱", "shape"),
    ("拨付", "拔付", "shape"),
    ("选拔", "选拨", "shape"),
    ("气候", "气侯", "shape"),
    ("坚持", "坚恃", "shape"),
    ("建设", "建没", "shape"),
    ("群众", "郡众", "shape"),
    ("领域", "领城", "shape"),
    ("区域", "区城", "shape"),
    ("监管", "监菅", "shape"),
    ("管理", "菅理", "shape"),
    ("农村", "农材", "shape"),
    ("现代化", "现伐化", "shape"),
    ("持续", "持绩", "shape"),
    ("连续", "连绩", "shape"),
    ("体系", "休系", "shape"),
    ("历史", "历吏", "shape"),
    ("协调", "协凋", "shape"),
    ("关键", "关健", "shape"),
    ("突破", "突坡", "shape"),
    ("坚决", "坚诀", "shape"),
    ("检查", "捡查", "shape"),
    ("检测", "捡测", "shape"),
]


def wrong_char(ctx: Ctx, rng: random.Random) -> Proposal | None:
    how = _weighted(rng, [("homophone", 1), ("shape", 1)])
    table = {r: w for r, w, h in CONFUSIONS if h == how}
    pick = _pick_word(ctx, rng, table, ctx.prose(min_len=20), lambda i, w: True)
    if pick is None:
        return None
    right, i = pick
    wrong = table[right]
    return Proposal([Edit(i, i + len(right), wrong)], (0, len(wrong)), how, detail=f"{right} → {wrong}")


# --------------------------------------------------------------------------- NUM

CN_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Token:
    start: int  # absolute offset of the whole marker
    end: int
    value: int
    style: str
    num_start: int  # the numeral inside the marker
    num_end: int


# style -> (pattern with one numeral group, where: 'para' = paragraph start only)
NUMBERING_STYLES: dict[str, tuple[re.Pattern[str], str]] = {
    "cn_dun": (re.compile(f"^([{CN_NUM}]{{1,3}})、"), "para"),
    "cn_paren": (re.compile(f"^[（(]([{CN_NUM}]{{1,3}})[）)]"), "para"),
    "ar_dot": (re.compile(r"^(\d{1,2})[.．、](?!\d)"), "para"),
    "ar_paren": (re.compile(r"^[（(](\d{1,2})[）)]"), "para"),
    "circled": (re.compile(f"^([{CIRCLED}])"), "para"),
    "shi": (re.compile(f"(?:^|(?<=[。；：！？]))([{CN_NUM}]{{1,3}})是"), "inline"),
    "di": (re.compile(f"(?:^|(?<=[。；：]))第([{CN_NUM}]{{1,3}})[，、,]"), "inline"),
}


def _value(style: str, s: str) -> int | None:
    if style == "circled":
        return CIRCLED.index(s) + 1
    if s.isdigit():
        return int(s)
    return cn_to_int(s)


def _render(style: str, n: int, like: str) -> str:
    if style == "circled":
        return CIRCLED[n - 1] if n <= len(CIRCLED) else str(n)
    return str(n) if like.isdigit() else int_to_cn(n)


def numbering_tokens(paras: Sequence[Para], style: str) -> list[Token]:
    pat, where = NUMBERING_STYLES[style]
    out = []
    for p in paras:
        for m in pat.finditer(p.text):
            v = _value(style, m.group(1))
            if v:
                out.append(
                    Token(
                        p.start + m.start(),
                        p.start + m.end(),
                        v,
                        style,
                        p.start + m.start(1),
                        p.start + m.end(1),
                    )
                )
            if where == "para":
                break
    return out


def numbering_runs(paras: Sequence[Para], style: str, min_len: int = 3) -> list[list[Token]]:
    """Maximal runs of markers numbered 1, 2, 3, ... in document order."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for tok in numbering_tokens(paras, style):
        if tok.value == 1:
            if len(cur) >= min_len:
                runs.append(cur)
            cur = [tok]
        elif cur and tok.value == cur[-1].value + 1:
            cur.append(tok)
        else:
            if len(cur) >= min_len:
                runs.append(cur)
            cur = []
    if len(cur) >= min_len:
        runs.append(cur)
    return runs


def _item_block(ctx: Ctx, run: list[Token], k: int) -> tuple[int, int] | None:
    """The text of item k of a run, up to item k+1: whole paragraphs, or a span in one paragraph."""
    a, b = run[k], run[k + 1]
    pa, pb = ctx.para_index_at(a.start), ctx.para_index_at(b.start)
    if pa == pb:
        return a.start, b.start  # run-in items: 二是…。三是
    if ctx.paras[pb].start != b.start or ctx.paras[pa].start != a.start or pb - pa > 6:
        return None
    return ctx.paras[pa].start - len(ctx.paras[pa].indent), ctx.paras[pb].start - len(ctx.paras[pb].indent)


def numbering_deleted(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """An item deleted in editing, the items after it not renumbered: （二） then （四）."""
    runs = [(st, r) for st in NUMBERING_STYLES for r in numbering_runs(ctx.paras, st, min_len=4)]
    rng.shuffle(runs)
    for style, run in runs:
        ks = list(range(1, len(run) - 1))
        rng.shuffle(ks)
        for k in ks:
            block = _item_block(ctx, run, k)
            if block is None or not all(ctx.is_free(t.start, t.end) for t in run[k - 1 : k + 2]):
                continue
            nxt = run[k + 1]
            marker = ctx.text[nxt.start : nxt.end]
            # The deletion, and the next marker (unchanged) as the place of the defect.
            edits = [Edit(block[0], block[1], ""), Edit(nxt.start, nxt.end, marker)]
            prev = run[k - 1]
            return Proposal(
                edits,
                (0, len(marker)),
                f"deleted_{style}",
                detail=f"item {ctx.text[run[k].start : run[k].end]} deleted: "
                f"{ctx.text[prev.start : prev.end]} → {marker}",
                related=[(prev.start, prev.end)],
                span_edit=1,
            )
    return None


def numbering_skip(ctx: Ctx, rng: random.Random) -> Proposal | None:
    if rng.random() < 0.3:
        prop = numbering_deleted(ctx, rng)
        if prop is not None:
            return prop
    runs = [(st, r) for st in NUMBERING_STYLES for r in numbering_runs(ctx.paras, st)]
    rng.shuffle(runs)
    for style, run in runs:
        ks = [k for k in range(1, len(run)) if all(ctx.is_free(t.start, t.end) for t in run[k - 1 :])]
        if not ks:
            continue
        k = rng.choice(ks)
        d = 1 if rng.random() < 0.8 else 2
        edits = []
        for tok in run[k:]:
            old = ctx.text[tok.num_start : tok.num_end]
            edits.append(Edit(tok.num_start, tok.num_end, _render(style, tok.value + d, old)))
        # Widen the first edit to the whole marker so the defect's span is the marker.
        first = run[k]
        e0 = edits[0]
        new0 = ctx.text[first.start : e0.start] + e0.new + ctx.text[e0.end : first.end]
        edits[0] = Edit(first.start, first.end, new0)
        prev = run[k - 1]
        return Proposal(
            edits,
            (0, len(new0)),
            style,
            detail=f"{ctx.text[prev.start : prev.end]} → {new0} (skips {d})",
            related=[(prev.start, prev.end)],
        )
    return None


_CLASSIFIER = "个项大类条种家所座批支"
_LIST_RE = re.compile(
    f"((?:[{HAN}A-Za-z]{{2,14}}、)+(?:[{HAN}A-Za-z]{{2,14}}?)(?:和|及)?)(等)?"
    f"([{CN_NUM}两]{{1,2}}|\\d{{1,2}})([{_CLASSIFIER}])"
)
_COLON_RE = re.compile(
    f"([{CN_NUM}两]{{1,3}}|\\d{{1,2}})(个方面|项|条|点|件事|个重点|大任务)[^。；：\n]{{0,12}}："
)


def _count_value(s: str) -> int | None:
    return int(s) if s.isdigit() else cn_to_int(s)


def _render_count(n: int, like: str) -> str:
    if like.isdigit():
        return str(n)
    if n == 2:
        return "两"  # 两大, 两个, 两项: a count of two is written 两 before a classifier
    return int_to_cn(n)


def _list_counts(ctx: Ctx) -> list[tuple[Para, re.Match[str], int]]:
    out = []
    for p in ctx.prose(min_len=20):
        for m in _LIST_RE.finditer(p.text):
            items = m.group(1).count("、") + 1
            n = _count_value(m.group(3))
            if n != items or items < 3 or any(c.isdigit() for c in m.group(1)):
                continue
            out.append((p, m, items))
    return out


def _colon_counts(ctx: Ctx) -> list[tuple[Para, re.Match[str], list[Token]]]:
    """'做好以下三项工作：' followed by exactly that many enumerated items."""
    out = []
    starts = {}
    for style in ("shi", "di", "cn_paren", "cn_dun", "ar_dot"):
        for run in numbering_runs(ctx.paras, style, min_len=2):
            starts[run[0].start] = run
    for p in ctx.prose(min_len=8) + [q for q in ctx.paras if q.text.endswith("：") and ctx.free(q)]:
        for m in _COLON_RE.finditer(p.text):
            n = _count_value(m.group(1))
            colon = p.start + m.end()
            nxt = ctx.paras[p.index + 1].start if p.index + 1 < len(ctx.paras) else len(ctx.text)
            run = next((r for s, r in starts.items() if colon <= s <= nxt + 6), None)
            if run is not None and n == len(run):
                out.append((p, m, run))
    return out


def _drop_section(ctx: Ctx, rng: random.Random, colons) -> Proposal | None:
    """A whole announced item deleted (its heading and body) and the rest renumbered: the
    count before the list no longer matches, the numbering does (五个方面 with （一）–（四）)."""
    rng.shuffle(colons)
    for p, m, run in colons:
        if run[0].style not in ("cn_paren", "cn_dun", "ar_dot") or len(run) < 3:
            continue
        k = rng.randrange(1, len(run) - 1)
        block = _item_block(ctx, run, k)
        if block is None or block[0] == run[k].start:
            continue
        a = p.start + m.start()
        token = m.group(1) + m.group(2)
        edits = [Edit(a, a + len(token), token), Edit(block[0], block[1], "")]
        for tok in run[k + 1 :]:
            old = ctx.text[tok.num_start : tok.num_end]
            edits.append(Edit(tok.num_start, tok.num_end, _render(tok.style, tok.value - 1, old)))
        kept = [t for i, t in enumerate(run) if i != k]
        return Proposal(
            edits,
            (0, len(token)),
            "drop_section",
            detail=f"{token}: item {ctx.text[run[k].start : run[k].end]} of {len(run)} deleted, "
            "rest renumbered",
            related=[(t.end, min(t.end + 4, ctx.paras[ctx.para_index_at(t.start)].end)) for t in kept],
            touched=[(run[0].start, run[-1].end)],
        )
    return None


def count_mismatch(ctx: Ctx, rng: random.Random) -> Proposal | None:
    lists = _list_counts(ctx)
    colons = _colon_counts(ctx)
    heads = [c for c in colons if c[2][0].style in ("cn_paren", "cn_dun", "ar_dot") and len(c[2]) >= 3]
    options = [
        ("change_count", 2 if lists else 0),
        ("drop_item", 1 if lists else 0),
        ("colon_list", 2 if colons else 0),
        ("drop_section", 1 if heads else 0),
    ]
    if not any(w for _, w in options):
        return None
    real = _weighted(rng, options)
    if real == "drop_section":
        prop = _drop_section(ctx, rng, heads)
        if prop is not None:
            return prop
        real = "colon_list"
    if real == "colon_list":
        p, m, run = rng.choice(colons)
        n = len(run)
        new_n = rng.choice([x for x in (n - 1, n + 1, n + 2) if x >= 2])
        a = p.start + m.start()
        token = m.group(1) + m.group(2)
        new = _render_count(new_n, m.group(1)) + m.group(2)
        return Proposal(
            [Edit(a, a + len(token), new)],
            (0, len(new)),
            real,
            detail=f"{token} → {new}, {n} items",
            related=[(t.start, t.end) for t in run],
        )
    p, m, items = rng.choice(lists)
    a = p.start + m.start()
    whole = m.group()
    etc = bool(m.group(2))
    if real == "drop_item" and not etc:
        parts = m.group(1).split("、")
        j = rng.randrange(1, len(parts))
        # Keep a trailing 和/及 joined to the last item.
        parts.pop(j)
        new_list = "、".join(parts)
        new = new_list + m.group(3) + m.group(4)
        detail = f"dropped item {j + 1} of {items}"
    else:
        real = "change_count"
        choices = [x for x in (items - 1, items + 1, items + 2) if x >= 2 and (not etc or x < items)]
        new_n = rng.choice(choices)
        new = m.group(1) + (m.group(2) or "") + _render_count(new_n, m.group(3)) + m.group(4)
        detail = f"{items} items, count says {new_n}"
    return Proposal([Edit(a, a + len(whole), new)], (0, len(new)), real, detail=f"{detail}: {new}")


_IND_HEADS = "生产总值|增加值|总产值|产值|收入|总额|投资|产量|利润|支出|贷款|营业收入|就业|零售总额"
_IND_RE = re.compile(
    f"([{HAN}]{{2,12}}?(?:{_IND_HEADS}))(同比|比上年|年均)?(增长|下降|达到|达)"
    r"(\d+(?:\.\d+)?)(%|亿元|万元|万人|万吨|万亩|亿斤|亿美元)"
)
_IND_CUT = re.compile(
    "实现|完成|全市|全省|全区|全国|全年|今年|去年|其中|推动|保持|力争|确保|预计|带动|使|的|年|和|及|与"
)


def _new_value(rng: random.Random, v: str) -> str:
    decimals = len(v.split(".")[1]) if "." in v else 0
    x = float(v)
    for _ in range(20):
        f = rng.choice([rng.uniform(0.55, 0.9), rng.uniform(1.1, 1.6)])
        y = round(x * f, decimals)
        if y > 0 and y != x:
            return f"{y:.{decimals}f}"
    return f"{x + 1:.{decimals}f}"


_TARGET_RE = re.compile(
    f"([{HAN}]{{2,12}}?(?:{_IND_HEADS}|价格涨幅|涨幅))(增长|控制在|下降)"
    r"(?:(\d+(?:\.\d+)?)%|百分之([一二三四五六七八九十]{1,3}(?:点[一二三四五六七八九零])?))(左右)"
)
_REASONS = (
    "主要是考虑了扩大就业、改善民生的需要",
    "主要是综合考虑了国内外形势和各方面因素",
    "考虑了经济增长潜力和支撑条件",
    "主要是为了引导各方面把工作重点放到转方式、调结构上来",
    "与中长期规划目标相衔接",
)
_CN_PCT = "零一二三四五六七八九"


def _cn_percent(x: float) -> str:
    """4.6 → 四点六 (one decimal at most)."""
    whole, frac = divmod(round(x * 10), 10)
    out = int_to_cn(whole) if whole else "零"
    return out + (f"点{_CN_PCT[frac]}" if frac else "")


def _cn_percent_value(s: str) -> float | None:
    whole, _, frac = s.partition("点")
    w = cn_to_int(whole)
    if w is None:
        return None
    return w + (_CN_PCT.index(frac) / 10 if frac else 0.0)


def target_restated(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """A target (增长8%左右 in a paragraph of targets) restated a few paragraphs later, in the
    same section, with another value: 提出国内生产总值增长9%左右，主要是…"""
    found = []
    for p in ctx.prose(min_len=20):
        if "目标" not in p.text:
            continue
        for m in _TARGET_RE.finditer(p.text):
            name = _IND_CUT.split(m.group(1))[-1]
            if 2 <= len(name) <= 12:
                found.append((p, m, name))
    rng.shuffle(found)
    for p, m, name in found:
        later = []
        for q in ctx.paras[p.index + 1 : p.index + 5]:
            if not q.is_prose:
                break  # a heading: the section ends
            if q.text[-1] == "。" and ctx.free(q):
                later.append(q)
        if not later:
            continue
        q = rng.choice(later)
        if m.group(3):
            v = m.group(3)
            value = _new_value(rng, v)
            if float(value) == float(v):
                continue
            figure = f"{value}%"
        else:
            x = _cn_percent_value(m.group(4))
            if x is None:
                continue
            y = round(x + rng.choice([-2, -1, -0.5, 0.5, 1, 2]), 1)
            if y <= 0:
                continue
            figure = f"百分之{_cn_percent(y)}"
        clause = f"{name}{m.group(2)}{figure}左右"
        lead, tail = rng.choice(
            [("提出", f"，{rng.choice(_REASONS)}。"), ("今年", f"的预期目标，{rng.choice(_REASONS)}。")]
        )
        orig = (p.start + m.end(1) - len(name), p.start + m.end())
        return Proposal(
            [Edit(q.end, q.end, f"{lead}{clause}{tail}")],
            (len(lead), len(lead) + len(clause)),
            "target_restated",
            detail=f"{ctx.text[orig[0] : orig[1]]} vs {clause}",
            related=[orig],
            touched=[(p.start, q.end)],
        )
    return None


def indicator_conflict(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """An indicator stated again, in the same or a nearby paragraph, with another value."""
    if rng.random() < 0.35:
        prop = target_restated(ctx, rng)
        if prop is not None:
            return prop
    found = []
    for p in ctx.prose(min_len=20):
        for m in _IND_RE.finditer(p.text):
            name = _IND_CUT.split(m.group(1))[-1]
            if 2 <= len(name) <= 10:
                found.append((p, m, name))
    if not found:
        return None
    p, m, name = rng.choice(found)
    value = _new_value(rng, m.group(4))
    cmp_ = m.group(2) or ""
    clause = f"{name}{cmp_}{m.group(3)}{value}{m.group(5)}"
    lead = rng.choice(["", "全年", "其中，", "据统计，", "初步核算，"])
    sentence = f"{lead}{clause}。"
    orig = (p.start + m.end(1) - len(name), p.start + m.end())
    real = _weighted(rng, [("same_paragraph", 1), ("nearby_paragraph", 1)])
    if real == "nearby_paragraph":
        later = []
        for q in ctx.paras[p.index + 1 : p.index + 5]:
            if not q.is_prose:
                break
            if q.text[-1] == "。" and ctx.free(q):
                later.append(q)
        if later:
            q = rng.choice(later)
            return Proposal(
                [Edit(q.end, q.end, sentence)],
                (len(lead), len(lead) + len(clause)),
                real,
                detail=f"{ctx.text[orig[0] : orig[1]]} vs {clause}",
                related=[orig],
                touched=[(p.start, q.end)],
            )
        real = "same_paragraph"
    ends = [e for s, e in sentences(p) if s <= orig[0] < e]
    at = ends[0] if ends else p.end
    if ctx.text[at - 1] not in "。！？；":
        at = p.end
        if ctx.text[at - 1] not in "。！？；":
            sentence = "。" + sentence
            lead = "。" + lead
    return Proposal(
        [Edit(at, at, sentence)],
        (len(lead), len(lead) + len(clause)),
        real,
        detail=f"{ctx.text[orig[0] : orig[1]]} vs {clause}",
        related=[orig],
    )


_RESP_VALUE = r"\d+(?:\.\d+)?(?:%|亿元|万元|万人|万吨|个百分点|倍)?"
_RESP_AFTER = re.compile(
    r"分别((?:比上年|同比)?(?:增长|下降|为|达到|达|提高|减少|增加)?)"
    f"((?:{_RESP_VALUE})(?:(?:、|和)(?:{_RESP_VALUE}))+)"
)
_RESP_SUBJECTS = re.compile(
    f"[{HAN}A-Za-z\\d.]{{1,16}}(?:、[{HAN}A-Za-z\\d.]{{1,16}})+(?:和[{HAN}]{{1,16}})?$"
)


def _resp_values(s: str) -> list[str]:
    return re.split("、|和", s)


def respectively_mismatch(ctx: Ctx, rng: random.Random) -> Proposal | None:
    """A 分别 list whose values no longer pair with its subjects: a value dropped or added, a
    subject dropped (粮食、油料、蔬菜产量分别增长2%、3%)."""
    found = []
    for p in ctx.prose(min_len=20):
        for m in _RESP_AFTER.finditer(p.text):
            head = re.split("[，。；：]", p.text[: m.start()])[-1]
            sm = _RESP_SUBJECTS.search(head)
            if sm is None:
                continue
            subjects = re.split("、|和", sm.group())
            values = _resp_values(m.group(2))
            if len(subjects) == len(values) >= 2:
                found.append((p, m, sm, subjects, values))
    if not found:
        return None
    p, m, sm, subjects, values = rng.choice(found)
    real = _weighted(rng, [("drop_value", 2), ("add_value", 1), ("drop_subject", 1)])
    if len(subjects) < 3:
        real = "add_value"  # with two, dropping one leaves no list at all
    if real == "drop_subject":
        # The subjects run from sm to 分别; drop one of them (not the last, which carries the measure).
        a = p.start + m.start() - len(sm.group())
        seps = re.findall("、|和", sm.group())
        j = rng.randrange(len(subjects) - 1)
        parts = [x for i, x in enumerate(subjects) if i != j]
        kept = [x for i, x in enumerate(seps) if i != (j if j < len(seps) - 1 else len(seps) - 2)]
        new = parts[0] + "".join(sep + x for sep, x in zip(kept, parts[1:], strict=True)) + m.group(0)
        edit = Edit(a, p.start + m.end(), new)
        detail = f"subject {subjects[j]} dropped"
    else:
        last_sep = re.findall("、|和", m.group(2))[-1]
        if real == "drop_value":
            j = rng.randrange(len(values))
            vals = [v for i, v in enumerate(values) if i != j]
            detail = f"value {values[j]} dropped"
        else:
            v = values[rng.randrange(len(values))]
            num = re.match(r"\d+(?:\.\d+)?", v)
            extra = _new_value(rng, num.group()) + v[num.end() :] if num else v
            vals = [*values[:-1], extra, values[-1]]
            detail = f"value {extra} added"
        seps = ["、"] * (len(vals) - 2) + [last_sep]
        joined = vals[0] + "".join(sep + x for sep, x in zip(seps, vals[1:], strict=True))
        new = "分别" + m.group(1) + joined
        edit = Edit(p.start + m.start(), p.start + m.end(), new)
    k = new.index("分别")
    return Proposal([edit], (k, len(new)), real, detail=f"{detail}: {new}")


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Kind:
    name: str
    family: str
    make: Callable[[Ctx, random.Random], Proposal | None]
    description: str
    accept: tuple[str, ...] = ()

    @property
    def families(self) -> tuple[str, ...]:
        return self.accept or (self.family,)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("dup_paragraph", "DUP", dup_paragraph, "a paragraph (or two) repeated exactly later"),
        Kind("near_copy", "DUP", near_copy, "a paragraph repeated with a few characters changed"),
        Kind("spliced_tail", "DUP", spliced_tail, "the tail sentences of one paragraph spliced into another"),
        Kind("page_header", "LAYOUT", page_header, "a page/column header line inside a paragraph"),
        Kind("broken_paragraph", "LAYOUT", broken_paragraph, "a paragraph broken in two mid-sentence"),
        Kind("continuation_marker", "LAYOUT", continuation_marker, "a continuation marker （上接第一版）"),
        Kind("orphan_tail", "LAYOUT", orphan_tail, "an orphan sentence tail on its own line"),
        Kind("stray_space", "PUNCT", stray_space, "a stray space between Chinese characters"),
        Kind("halfwidth_punct", "PUNCT", halfwidth_punct, "half-width punctuation in Chinese text"),
        Kind(
            "english_word",
            "TYPO",
            english_word,
            "an English word in a Chinese sentence",
            accept=("TYPO", "PUNCT"),
        ),
        Kind("doubled_char", "TYPO", doubled_char, "a doubled character that forms no word"),
        # DUP005 (repeated-phrase) also covers a phrase typed twice in a row.
        Kind("word_twice", "TYPO", word_twice, "a word typed twice", accept=("TYPO", "DUP")),
        Kind("wrong_char", "TYPO", wrong_char, "a wrong character (homophone or look-alike)"),
        Kind("numbering_skip", "NUM", numbering_skip, "a numbering sequence that skips"),
        Kind("count_mismatch", "NUM", count_mismatch, "a declared count that disagrees with the items"),
        Kind(
            "indicator_conflict", "NUM", indicator_conflict, "the same indicator restated with another value"
        ),
        Kind("respectively_mismatch", "NUM", respectively_mismatch, "分别 with subjects and values unpaired"),
    ]
}
FAMILIES = ("DUP", "NUM", "TYPO", "PUNCT", "LAYOUT")


def kinds_of(family: str) -> list[str]:
    return [k for k, v in KINDS.items() if v.family == family]


# --------------------------------------------------------------------------- driver


def inject(text: str, kinds: Sequence[str], rng: random.Random, attempts: int = 8) -> Injected:
    """Inject one defect of each kind named, well apart; kinds that find no place are skipped."""
    ctx = Ctx(text)
    accepted: list[tuple[str, Proposal]] = []
    for kind in kinds:
        k = KINDS[kind]
        for _ in range(attempts):
            prop = k.make(ctx, rng)
            if prop is None:
                continue
            ranges = [(e.start, e.end) for e in prop.edits] + list(prop.related) + list(prop.touched)
            if not all(ctx.is_free(a, b) for a, b in ranges):
                continue
            for a, b in ranges:
                ctx.reserve(a, b)
            accepted.append((kind, prop))
            break
    return compose(text, accepted)


def inject_one(text: str, kind: str, rng: random.Random, attempts: int = 8) -> Injected | None:
    out = inject(text, [kind], rng, attempts)
    return out if out.injections else None


def compose(text: str, accepted: list[tuple[str, Proposal]]) -> Injected:
    """Apply every proposal's edits and place each defect in the new text."""
    flat = sorted(
        ((e, i, j) for i, (_, prop) in enumerate(accepted) for j, e in enumerate(prop.edits)),
        key=lambda x: (x[0].start, x[0].end),
    )
    for (a, _, _), (b, _, _) in itertools.pairwise(flat):
        if b.start < a.end or (a.start == a.end == b.start == b.end):
            raise ValueError("overlapping edits")
    parts: list[str] = []
    pos = 0
    shift = 0
    final_start: dict[tuple[int, int], int] = {}
    for e, i, j in flat:
        parts.append(text[pos : e.start])
        final_start[(i, j)] = e.start + shift
        parts.append(e.new)
        pos = e.end
        shift += e.delta
    parts.append(text[pos:])
    edits = [e for e, _, _ in flat]

    def map_start(x: int) -> int:
        return x + sum(e.delta for e in edits if e.end <= x)

    def map_end(x: int) -> int:
        return x + sum(e.delta for e in edits if e.end <= x - 1)

    injections = []
    for i, (kind, prop) in enumerate(accepted):
        k = KINDS[kind]
        fs = final_start[(i, prop.span_edit)]
        injections.append(
            Injection(
                kind=kind,
                family=k.family,
                start=fs + prop.rel[0],
                end=fs + prop.rel[1],
                realisation=prop.realisation,
                detail=prop.detail,
                related=tuple((map_start(a), map_end(b)) for a, b in prop.related),
                accept=k.families,
            )
        )
    injections.sort(key=lambda inj: inj.start)
    return Injected(text, "".join(parts), injections, edits)
