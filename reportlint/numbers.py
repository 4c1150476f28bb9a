"""Numbers in Chinese report text, parsed once per document (``doc.numbers``).

``parse_numbers(doc)`` finds Arabic numbers (``5``, ``1.5万``, ``24.9亿元``,
``85.9%``, full-width ``１９９２``), Chinese numerals used as quantities
(``五个``, ``十七年``, ``两项``, ``二〇三五年``), ranges (``3—5年``,
``4.5%—5%``), products (``2×100万千瓦``), ordinals (``第三``, ``第1位``),
and the bound words around them (``以上``, ``左右``, ``超过``, ``近``).
Each is a :class:`Number` with code-point offsets into ``doc.text``.

It also holds the small helpers the NUM rules share: :func:`cn_to_int` for
Chinese numerals and the enumeration markers (``一、`` ``（一）`` ``1.`` ``（1）``
``①`` ``一是`` ``第一，``) found by :func:`leading_marker` and :func:`runin_markers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlint._fastinit import fast_init

# --------------------------------------------------------------------------- numerals

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
CN_NUM_CHARS = "零〇○一二两三四五六七八九十百千万亿"

# Full-width digits and marks map one to one onto ASCII, so offsets are kept.
_WIDTH = str.maketrans("０１２３４５６７８９．％－～", "0123456789.%-~")


_WIDE_RE = re.compile("[０-９．％－～]+")


def _narrow(m: re.Match[str]) -> str:
    return m.group().translate(_WIDTH)


def normalize_digits(text: str) -> str:
    """The text with full-width digits, ``．`` ``％`` ``－`` ``～`` made ASCII (same length).

    Only the runs of full-width marks are translated: ``str.translate`` over a whole
    Chinese text looks up every character, and most have nothing to change.
    """
    if text.isascii():  # (a constant-time test: most numbers are ASCII)
        return text
    return _WIDE_RE.sub(_narrow, text) if _WIDE_RE.search(text) else text


def normalized_text(doc) -> str:
    """``normalize_digits(doc.text)``, once per document (every NUM rule reads it)."""
    got = doc.__dict__.get("_digits_normalized")
    if got is None:
        got = doc.__dict__["_digits_normalized"] = normalize_digits(doc.text)
    return got


@lru_cache(maxsize=4096)  # a few numerals (一, 两, 三十) make most calls
def cn_to_int(s: str) -> int | None:
    """The value of a Chinese numeral, or None when ``s`` is not a well-formed one.

    Handles ``五`` ``十七`` ``二十`` ``一百零五`` ``两千`` ``三万五千`` ``1.5``-free
    numerals and digit strings such as ``二〇二四`` (years). Loose forms such as
    ``三四`` (three or four) or ``十四五`` (a plan's name) give None.
    """
    if not s or any(c not in CN_NUM_CHARS for c in s):
        return None
    if all(c in CN_DIGITS for c in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        if "两" in s or not (len(s) >= 3 or "〇" in s or "○" in s or "零" in s):
            return None  # 三四 (three or four), 两三
        return int("".join(str(CN_DIGITS[c]) for c in s))
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 10**9
    last_big = 10**13
    zero = False
    for c in s:
        if c in CN_DIGITS:
            v = CN_DIGITS[c]
            if v == 0:
                if digit is not None:
                    return None
                zero = True
                continue
            if digit is not None:
                return None  # two digits in a row: 十四五
            digit = v
        elif c in _CN_UNITS:
            u = _CN_UNITS[c]
            if u >= last_unit:
                return None
            if digit is None:
                if section or total or zero:
                    return None  # 百十 is not a numeral
                digit = 1  # 十七 = 17
            section += digit * u
            digit = None
            last_unit = u
            zero = False
        else:  # 万 亿
            b = _CN_BIG[c]
            if digit is not None:
                section += digit
                digit = None
            if section == 0:
                return None
            if b >= last_big:
                return None
            total += section * b
            section = 0
            last_unit = 10**9
            last_big = b
            zero = False
    if digit is not None:
        # 三万五 = 35000, 一百五 = 150: a bare last digit after a unit scales down
        if last_unit < 10**9 and not zero and section:
            digit *= last_unit // 10
        elif last_big < 10**13 and not zero and not section:
            digit *= last_big // 10
        section += digit
    return total + section


def to_number(text: str) -> float | None:
    """An Arabic (ASCII, after :func:`normalize_digits`) or Chinese numeral's value."""
    t = normalize_digits(text).replace(",", "")
    try:
        return float(t)
    except ValueError:
        v = cn_to_int(t)
        return None if v is None else float(v)


# --------------------------------------------------------------------------- Number

PERCENT = "percent"
POINTS = "points"
YEAR = "year"
DATE = "date"
ORDINAL = "ordinal"
CARDINAL = "cardinal"
RANGE = "range"
PRODUCT = "product"
MULTIPLE = "multiple"  # 倍, 番: 增长1.5倍, 翻一番

EXACT = ""
MIN = "min"  # 以上, 超过, 不低于, 突破
MAX = "max"  # 以下, 以内, 不超过, 近, 不到
APPROX = "approx"  # 左右, 约, 上下


@fast_init
@dataclass(frozen=True, slots=True)
class Number:
    """One number as written, with its unit and bounds.

    ``start``/``end`` cover the number and its unit (and a trailing 以上/左右);
    ``value`` is scaled by 万/亿 (``1.5万`` → 15000); ``high`` is the top of a
    range. ``unit`` is the unit after the number without the multiplier
    (``亿元`` → ``元`` with ``scale`` 1e8 kept in ``value``); ``kind`` is one of
    percent, points (个百分点), year, date, ordinal, cardinal, range, product.
    """

    start: int
    end: int
    text: str
    value: float
    unit: str = ""
    kind: str = CARDINAL
    bound: str = EXACT
    high: float | None = None
    numeral: str = "arabic"  # or "chinese"
    multiplier: str = ""  # 万, 亿, 万亿 as written

    @property
    def low(self) -> float:
        return self.value

    @property
    def top(self) -> float:
        return self.value if self.high is None else self.high

    def interval(self, tolerance: float = 0.0) -> tuple[float, float]:
        """The values the text allows: 以上 is open upwards, 左右 a small band."""
        lo, hi = self.low, self.top
        inf = float("inf")
        if self.bound == MIN:
            return lo, inf
        if self.bound == MAX:
            return -inf, hi
        if self.bound == APPROX:
            band = max(abs(hi) * 0.02, tolerance)
            return lo - band, hi + band
        return lo - tolerance, hi + tolerance


_UNITS_TEXT = """
个百分点 百分点 批次 个 项 大 条 件 座 所 家 户 人次 人 名 位 批 类 种 次 届 轮 场 支 套 台 辆 艘 架
只 头 株 棵 元 美元 欧元 港元 块 吨 万吨 公斤 千克 克 斤 亩 公顷 平方米 平方公里 立方米 公里 千米
米 厘米 千瓦时 千瓦 兆瓦 瓦 千伏 度 倍 岁 周年 年 个月 月 日 天 小时 分钟 周 处 张 本 部 篇 章 节 段
方面 点 册 片 亿斤 微克 毫克 标准煤 所学校 间 栋 幢 层 级 星 成 番 份 道 组 队 对 群 窝 根 台套 宗 起
例 份额 吨标准煤 千公顷 兆 吉瓦 太瓦 GW MW kW km m2 TEU 标箱 集装箱 千人 床 张床 倍数
"""
# Units, longest first where one is a prefix of another.
_UNIT_WORDS = sorted(dict.fromkeys(_UNITS_TEXT.split()), key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNIT_WORDS)
_MULT = r"(?:万亿|千亿|百亿|千万|百万|亿|万)"
_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Bounded: a long run of numerals with no unit after it must not make the search backtrack
# quadratically (一一一…); no written numeral is longer (三万五千六百七十八 is nine).
_CN = f"[{CN_NUM_CHARS}]{{1,12}}"
_PRE_BOUND = r"(?:不低于|不少于|不超过|不高于|不到|不足|超过|至少|突破|高于|低于|将近|接近|大约|约|近|逾|超)"
_POST_BOUND = r"(?:以上|以下|以内|左右|上下|之内|之上)"

# One Arabic quantity: value, optional 余/多, multiplier, unit, trailing bound.
_ARABIC_RE = re.compile(
    rf"(?P<num>{_ARABIC})(?P<more>余|多)?(?P<mult>{_MULT})?(?P<more2>余|多)?"
    rf"(?P<unit>%|‰|{_UNIT_RE})?(?P<post>{_POST_BOUND})?"
)
# Chinese decimals: 四点六, 五十一点八, 零点五 (the digits after 点 are read one by one).
_CN_DEC = "[零〇○一二三四五六七八九]{1,6}"
# One Chinese quantity: 五个, 四点六亿元, 三十多万人, 一百余项, with an optional range before it
# (三至五年, 两三个, 百分之五到六).
_CN_RE = re.compile(
    rf"(?:(?P<lo>{_CN}?)(?:点(?P<lodec>{_CN_DEC}))?(?P<sep>至|到|—{{1,2}}|–|~|-))?"
    rf"(?P<num>{_CN})(?:点(?P<dec>{_CN_DEC}))?(?P<more>余|多)?(?P<mult>万亿|亿|万)?(?P<more2>余|多)?"
    rf"(?P<unit>%|{_UNIT_RE})(?P<post>{_POST_BOUND})?"
)
_PERCENT_CN_RE = re.compile(
    rf"(?P<base>百|千)分之(?P<num>{_CN}|{_ARABIC})(?:点(?P<dec>{_CN_DEC}))?"
    rf"(?:(?:至|到|—{{1,2}}|–|~|-)(?:(?P=base)分之)?(?P<num2>{_CN}|{_ARABIC})(?:点(?P<dec2>{_CN_DEC}))?)?"
    rf"(?P<post>{_POST_BOUND})?"
)
_YEAR_CN_RE = re.compile(r"(?P<num>[一二三四五六七八九〇○零]{4})年")
_ORDINAL_RE = re.compile(rf"第(?P<num>{_ARABIC}|{_CN})")
_UNIT_PAT = re.compile(_UNIT_RE)
# Two adjacent digits read loosely: 两三个 (two or three), 三四年, 七八成, 三五年.
_LOOSE_PAIRS = {
    **{
        a + b: (CN_DIGITS[a], CN_DIGITS[b])
        for a, b in ("两三", "二三", "三四", "四五", "五六", "六七", "七八", "八九")
    },
    "三五": (3, 5),
    "一两": (1, 2),
}
# Names with a numeral in them are not quantities: 党的十四大, 中共三大 (a Party congress),
# 二十届三中全会, 十四届全国人大二次会议 (a session of a numbered body).
_CONGRESS_BEFORE = re.compile(r"(?:党的|中共|共青团|团的|党|第)$")
_CONGRESS_AFTER = re.compile(
    r"(?:以来|精神|报告|代表|召开|提出|作出|胜利|期间|闭幕|开幕|会址|文件|决策|部署|以后|之后|之前|前后|确定|"
    r"明确|强调|指出|通过|描绘|擘画|和|及|与|、|，|,|。|；|;|：|:|”|’|）|\)|$)"
)
_SESSION_AFTER = re.compile(
    r"[一二三四五六七八九十]{1,2}中全会|全国|人大|政协|中央|中共|全会|常委|代表大会|委员会"
)
_SESSION_NUM_AFTER = re.compile(r"(?:会议|全会|全体会议)")
_SESSION_BEFORE = re.compile(r"届|人大|政协|全会|常委会|大会")
_RANGE_SEP = re.compile(r"\s*(?:—{1,2}|–|-|~|至|到)\s*")
_PRODUCT_SEP = re.compile(r"\s*[×xX*]\s*")
_DATE_RE = re.compile(
    r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?|(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日"
)
# The digits a date starts at (``_DATE_RE`` matches there and only there): the regex engine finds them
# itself, skipping the other characters, instead of each digit of the text being tried.
_DATE_FIRST_RE = re.compile(r"\d(?=\d{3}年|\d?月\d{1,2}日)")
_YEAR_RANGE_RE = re.compile(
    r"(?P<y0>(?:1[89]|20)\d{2})年?\s*(?:—{1,2}|–|-|~|至|到)\s*(?P<y1>(?:1[89]|20)\d{2})年"
)
_PRE_BOUND_RE = re.compile(f"{_PRE_BOUND}$")

_BOUND_OF = {
    **dict.fromkeys(("以上", "之上", "不低于", "不少于", "超过", "至少", "突破", "高于", "逾", "超"), MIN),
    **dict.fromkeys(("以下", "以内", "之内", "不超过", "不高于", "不到", "不足", "低于"), MAX),
    **dict.fromkeys(("近", "将近", "接近"), MAX),
    **dict.fromkeys(("左右", "上下", "约", "大约"), APPROX),
}
_MULT_VALUE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "千万": 1e7, "百万": 1e6}
_ASCII_WORD = re.compile(r"[A-Za-z]")


def _percent_value(num: str, dec: str | None) -> float | None:
    if num[0].isdigit():
        return None if dec else to_number(num)
    return _cn_decimal(num, dec)


def _scaled(num: str, mult: str | None) -> float | None:
    """An Arabic number as ``_ARABIC`` matches it (digits, thousands commas, a decimal point)
    times its multiplier. (``float`` reads any decimal digits, full-width ones too: what
    ``to_number`` would give, without its normalising and its fallback to Chinese numerals.)"""
    try:
        v = float(num.replace(",", ""))
    except ValueError:
        return None
    return round(v * _MULT_VALUE.get(mult or "", 1.0), 6)


def _kind_of(unit: str) -> str:
    if unit in ("%", "‰", "成"):
        return PERCENT
    if unit in ("个百分点", "百分点"):
        return POINTS
    if unit in ("倍", "番"):
        return MULTIPLE
    return CARDINAL


def _cn_decimal(num: str, dec: str | None) -> float | None:
    """A Chinese numeral with its digits after 点: 五十一 + 八 → 51.8, 零 + 五 → 0.5."""
    v = cn_to_int(num)
    if v is None:
        return None
    if not dec:
        return float(v)
    return float(f"{v}.{''.join(str(CN_DIGITS[c]) for c in dec)}")


def _tenths(value: float, high: float | None, unit: str) -> tuple[float, float | None, str]:
    """七成 is 70%: 成 counts tenths."""
    if unit != "成":
        return value, high, unit
    return value * 10, None if high is None else high * 10, "%"


def is_name(text: str, s: int, e: int, unit: str) -> bool:
    """A numeral that is part of a name, not a quantity: 党的十四大, 二十届三中全会, 人大二次会议."""
    if unit == "大":
        return bool(_CONGRESS_BEFORE.search(text, max(0, s - 3), s) or _CONGRESS_AFTER.match(text, e))
    if unit == "届":
        return bool(_SESSION_AFTER.match(text, e))
    if unit == "次":
        return bool(_SESSION_NUM_AFTER.match(text, e) and _SESSION_BEFORE.search(text, max(0, s - 10), s))
    return False


def _bound(text: str, start: int, post: str | None, more: bool) -> str:
    if post:
        return _BOUND_OF[post]
    if more:
        return MIN
    m = _PRE_BOUND_RE.search(text, max(0, start - 3), start)
    if m:
        return _BOUND_OF[m.group(0)]
    return EXACT


_DIGIT_RE = re.compile(r"\d")
_CN_NUM_RE = re.compile(f"[{CN_NUM_CHARS}]")


def matches_at(rx: re.Pattern[str], first: re.Pattern[str], text: str, pos: int = 0):
    """``rx.finditer(text, pos)`` for a pattern whose every match is non-empty and starts with a
    character ``first`` matches: the pattern is tried there only (the regex engine would try
    it at every character, and most are Chinese characters that start no match)."""
    search, match = first.search, rx.match
    while True:
        d = search(text, pos)
        if d is None:
            return
        m = match(text, d.start())
        if m is None:
            pos = d.start() + 1
        else:
            yield m
            pos = m.end()


def _numbers_in(text: str, base: int, masked) -> list[Number]:
    """Numbers in ``text`` (already digit-normalised); offsets shifted by ``base``."""
    out: list[Number] = []
    taken = bytearray(len(text))
    digit = _DIGIT_RE.search(text)
    first_digit = digit.start() if digit else -1

    def free(s: int, e: int) -> bool:
        return taken.find(1, s, e) < 0

    def take(n: Number) -> None:
        s, e = n.start - base, n.end - base
        taken[s:e] = b"\x01" * (e - s)
        out.append(n)

    # Year ranges first: 2021—2025年.
    # (The pattern starts with 1 or 2: the regex engine itself skips to those characters.)
    for m in _YEAR_RANGE_RE.finditer(text, first_digit) if digit and "年" in text else ():
        s, e = m.start(), m.end()
        if (s and text[s - 1].isdigit()) or masked(base + s, base + e):
            continue
        y0, y1 = int(m.group("y0")), int(m.group("y1"))
        if y0 < y1:
            take(Number(base + s, base + e, text[s:e], float(y0), "年", YEAR, high=float(y1)))
    # Dates: 2024年3月5日, 11月6日, 2024年.
    dated = digit is not None and ("年" in text or "月" in text)
    for m in matches_at(_DATE_RE, _DATE_FIRST_RE, text, first_digit) if dated else ():
        s, e = m.start(), m.end()
        if s and (text[s - 1].isdigit() or text[s - 1] == "."):
            continue
        if masked(base + s, base + e) or not free(s, e):
            continue
        if m.group("y"):
            y = int(m.group("y"))
            kind = DATE if m.group("m") else YEAR
            take(Number(base + s, base + e, text[s:e], float(y), "年", kind))
        else:
            mo, d = int(m.group("m2")), int(m.group("d2"))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                take(Number(base + s, base + e, text[s:e], float(mo), "月", DATE))
    for m in _YEAR_CN_RE.finditer(text) if "年" in text else ():
        v = cn_to_int(m.group("num"))
        if v and 1000 <= v <= 2999 and free(m.start(), m.end()):
            take(
                Number(base + m.start(), base + m.end(), m.group(0), float(v), "年", YEAR, numeral="chinese")
            )
    # Ordinals: 第三, 第1位.
    for m in _ORDINAL_RE.finditer(text):
        v = to_number(m.group("num"))
        if v is None or not free(m.start(), m.end()):
            continue
        e = m.end()
        u = _UNIT_PAT.match(text, e)
        unit = u.group(0) if u else ""
        e += len(unit)
        numeral = "arabic" if m.group("num")[0].isdigit() else "chinese"
        take(Number(base + m.start(), base + e, text[m.start() : e], v, unit, ORDINAL, numeral=numeral))
    # 百分之五, 百分之四点六, 百分之五到百分之六, 千分之三.
    for m in _PERCENT_CN_RE.finditer(text) if "分之" in text else ():
        if not free(m.start(), m.end()):
            continue
        v = _percent_value(m.group("num"), m.group("dec"))
        if v is None:
            continue
        high = None
        if m.group("num2"):
            high = _percent_value(m.group("num2"), m.group("dec2"))
            if high is None or high <= v:
                continue
        unit = "%" if m.group("base") == "百" else "‰"
        take(
            Number(
                base + m.start(),
                base + m.end(),
                m.group(0),
                v,
                unit,
                PERCENT,
                _bound(text, m.start(), m.group("post"), False),
                high,
                numeral="chinese",
            )
        )
    # Arabic quantities, with ranges and products.
    pos = 0
    while digit is not None:
        # Every match starts with a digit: the search starts at the next one.
        digit = _DIGIT_RE.search(text, pos)
        if digit is None:
            break
        m = _ARABIC_RE.match(text, digit.start())
        if m is None:  # (never: a digit is a number)
            pos = digit.start() + 1
            continue
        s, e = m.start(), m.end()
        pos = e if e > s else s + 1
        if not free(s, e):
            pos = s + 1
            while pos < len(text) and text[pos].isdigit():
                pos += 1
            continue
        if s and (text[s - 1].isdigit() or text[s - 1] in ".,"):
            continue
        prev = text[s - 1] if s else ""
        nxt = text[m.end("num")] if m.end("num") < len(text) else ""
        if _ASCII_WORD.match(prev) or (_ASCII_WORD.match(nxt) and not m.group("unit")):
            continue  # PM2.5, C919, 5G: codes, not quantities
        if masked(base + s, base + e):
            continue
        value = _scaled(m.group("num"), m.group("mult"))
        if value is None:
            continue
        unit = m.group("unit") or ""
        kind = _kind_of(unit)
        bound = _bound(text, s, m.group("post"), bool(m.group("more") or m.group("more2")))
        high = None
        # A range: 3—5年, 4.5%—5%, 5%至6%.
        r = _RANGE_SEP.match(text, e)
        if r and not m.group("post"):
            m2 = _ARABIC_RE.match(text, r.end())
            if m2 and m2.end("num") > m2.start():
                u2 = m2.group("unit") or ""
                if (not unit or unit == u2) and free(m2.start(), m2.end()):
                    lo_mult = m.group("mult") or m2.group("mult")
                    lo = _scaled(m.group("num"), lo_mult)
                    hi = _scaled(m2.group("num"), m2.group("mult"))
                    if lo is not None and hi is not None and lo < hi and u2:
                        value, high, unit = lo, hi, u2
                        kind = _kind_of(u2)
                        kind = RANGE if kind == CARDINAL else kind
                        bound = _bound(text, s, m2.group("post"), False)
                        e = m2.end()
        # A product: 2×100万千瓦.
        p = _PRODUCT_SEP.match(text, m.end("num"))
        if p and not unit and high is None:
            m2 = _ARABIC_RE.match(text, p.end())
            if m2 and m2.end("num") > m2.start():
                v2 = _scaled(m2.group("num"), m2.group("mult"))
                if v2 is not None:
                    value, unit, kind, e = value * v2, m2.group("unit") or "", PRODUCT, m2.end()
                    bound = _bound(text, s, m2.group("post"), False)
        pos = e
        value, high, unit = _tenths(value, high, unit)
        take(
            Number(
                base + s,
                base + e,
                text[s:e],
                value,
                unit,
                kind,
                bound,
                high,
                multiplier=m.group("mult") or "",
            )
        )
    # Chinese quantities: 五个, 十七年, 两项, 三大, 四点六亿元, 三十多万人, 三至五年, 两三个.
    for m in matches_at(_CN_RE, _CN_NUM_RE, text):  # (a Chinese quantity starts with a numeral)
        s, e = m.start(), m.end()
        num = m.group("num")
        unit = m.group("unit")
        high: float | None = None
        bound = _bound(text, s, m.group("post"), bool(m.group("more") or m.group("more2")))
        if num in _LOOSE_PAIRS and not m.group("lo") and not m.group("dec"):
            lo_v, hi_v = _LOOSE_PAIRS[num]
            v: float | None = float(lo_v)
            high = float(hi_v)
            bound = bound or APPROX
        else:
            v = _cn_decimal(num, m.group("dec"))
            if v is None and not m.group("lo") and not m.group("dec"):
                # 这三个 is fine; 十四五 is a name; try the longest valid suffix.
                for k in range(1, len(num)):
                    v = _cn_decimal(num[k:], None)
                    if v is not None:
                        s += k
                        num = num[k:]
                        break
            if v is not None and m.group("lo"):
                lo_v2 = _cn_decimal(m.group("lo"), m.group("lodec"))
                if lo_v2 is None or lo_v2 >= v:
                    s = m.start("num")  # 一至三 misread: keep the single quantity
                else:
                    v, high = lo_v2, v
        if v is None or not free(s, e):
            continue
        if s and text[s - 1] in "第之统唯万单":
            continue  # 第一, 之一, 统一, 唯一, 万一
        if s and text[s - 1] in "上数几成" and num[0] in "十百千万":
            continue  # 上千, 数十, 几百, 成千: not counts
        if unit == "成" and (text.startswith("不变", e) or num in ("十",)):
            continue  # 一成不变, 十成 (fully)
        mult = m.group("mult") or ""
        if mult:
            v = round(v * _MULT_VALUE[mult], 6)
            high = None if high is None else round(high * _MULT_VALUE[mult], 6)
        kind = _kind_of(unit)
        if is_name(text, s, e, unit):
            kind = ORDINAL
        elif high is not None and kind == CARDINAL:
            kind = RANGE
        v, high, unit = _tenths(v, high, unit)
        take(
            Number(
                base + s, base + e, text[s:e], v, unit, kind, bound, high, numeral="chinese", multiplier=mult
            )
        )
    return out


def parse_numbers(doc) -> list:
    """Every number in the document, in order of position (masked spans skipped)."""
    text = normalized_text(doc)
    out: list[Number] = []
    for p in doc.paragraphs:
        out.extend(_numbers_in(text[p.start : p.end], p.start, doc.is_masked))
    out.sort(key=lambda n: (n.start, n.end))
    return out


def numbers_in_text(text: str, base: int = 0) -> list[Number]:
    """Numbers in a bare string (no masks): for tests and quick use."""
    out = _numbers_in(normalize_digits(text), base, lambda s, e: False)
    out.sort(key=lambda n: (n.start, n.end))
    return out


# --------------------------------------------------------------------------- enumeration markers

# Heading styles, outermost first. Run-in styles (一是, 第一，, 其一) rank apart.
HEADING_RANK = {
    "chapter": 0,
    "cn-dun": 1,
    "cn-paren": 2,
    "ar-dot": 3,
    "ar-paren": 4,
    "ar-half": 5,
    "circled": 6,
}
RUNIN_STYLES = ("shi", "yao", "di", "qi")
STYLE_LABEL = {
    "chapter": "第一章",
    "cn-dun": "一、",
    "cn-paren": "（一）",
    "ar-dot": "1.",
    "ar-paren": "（1）",
    "ar-half": "1）",
    "circled": "①",
    "shi": "一是",
    "yao": "一要",
    "di": "第一，",
    "qi": "其一",
}

_CNN = "[一二三四五六七八九十]{1,3}"
_LEADING_RES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第(?P<n>{_CNN}|\d{{1,2}})(?:章|部分|篇|节)")),
    ("cn-dun", re.compile(rf"(?P<n>{_CNN})[、．.](?![一二三四五六七八九十])")),
    ("cn-paren", re.compile(rf"[（(]?(?P<n>{_CNN})[）)]")),
    # 1. 2、 and 7.2023年 (an item that starts with a year).
    ("ar-dot", re.compile(r"(?P<n>\d{1,2})(?:[、．.](?![\d%])|\.(?=(?:19|20)\d{2}年))")),
    ("ar-paren", re.compile(r"[（(](?P<n>\d{1,2})[）)]")),
    ("ar-half", re.compile(r"(?P<n>\d{1,2})[）)]")),
    ("circled", re.compile(r"(?P<n>[①-⑳])")),
    ("shi", re.compile(rf"(?P<n>{_CNN})是(?!(?P=n))")),
    ("yao", re.compile(rf"(?P<n>{_CNN})要(?![求素件点闻务素害地职员])(?!(?P=n))")),
    ("di", re.compile(rf"第(?P<n>{_CNN})[，,、：:](?!第|[一二三四五六七八九十]+[、，,轮次批届个项条期])")),
    ("qi", re.compile(rf"其(?P<n>{_CNN})[，,、：:是]")),
]
_RUNIN_RES = [
    (s, r) for s, r in _LEADING_RES if s in ("shi", "yao", "di", "qi", "cn-paren", "ar-paren", "circled")
]
# The character every match of a run-in style starts with, for the styles whose pattern does not
# begin with one (see ``matches_at``), and one of which every match holds: most paragraphs lack it.
_RUNIN_FIRST = {
    "shi": re.compile("[一二三四五六七八九十]"),
    "yao": re.compile("[一二三四五六七八九十]"),
    "cn-paren": re.compile("[（(一二三四五六七八九十]"),
}
_RUNIN_NEEDS = {
    "shi": ("是",),
    "yao": ("要",),
    "di": ("第",),
    "qi": ("其",),
    "cn-paren": ("）", ")"),
    "ar-paren": ("）", ")"),
}
_RUNIN_NEEDS_RE = re.compile(
    "[" + re.escape("".join(sorted({c for cs in _RUNIN_NEEDS.values() for c in cs}))) + "]"
)
# A character a match of a leading style can start with (the first element of each pattern).
_LEADING_FIRST_RE = re.compile(r"[第其（(①-⑳一二三四五六七八九十\d]")
# What may stand before a run-in marker: a clause boundary, perhaps a closing quote.
_RUNIN_BEFORE = set("。；;：:！!？?，,")
_OPEN = "“‘《（(「『【"


@fast_init
@dataclass(frozen=True, slots=True)
class Marker:
    style: str
    value: int
    start: int  # offsets in the text given
    end: int

    @property
    def label(self) -> str:
        return STYLE_LABEL[self.style]


def _marker_value(style: str, n: str) -> int | None:
    if style == "circled":
        return ord(n) - ord("①") + 1
    if n.isdigit():
        return int(n)
    return cn_to_int(n)


# A short label and its colon before a list's first item on the same line (附件：1.…, 注：1.…):
# the item leads the list the next lines go on with. Bracketed markers after a colon
# (其中要做好：（1）…；（2）…) stay run-in items of their paragraph.
_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{1,4}[：:][ \t\u3000]*")
_LABELLED_STYLES = frozenset({"ar-dot", "ar-half"})


def leading_marker(text: str, base: int = 0, normalized: bool = False) -> Marker | None:
    """The enumeration marker a paragraph starts with (``（三）城乡…`` → cn-paren 3), also after a
    short label and its colon (``附件：1.…`` → ar-dot 1). ``normalized``: ``text`` is already
    digit-normalised (a slice of ``normalized_text``)."""
    t = text if normalized else normalize_digits(text)
    i = 0
    while i < len(t) and t[i] in " \t\u3000*":
        i += 1
    label = _LABEL_RE.match(t, i)
    found = _marker_at(t, label.end(), base, _LABELLED_STYLES) if label else None
    return found or _marker_at(t, i, base)


def _marker_at(t: str, i: int, base: int, styles: frozenset[str] | None = None) -> Marker | None:
    """The marker of the first of ``styles`` (all by default) that matches at ``t[i]``; None
    when none does or the one that does holds no item number (0, or 1. past 60)."""
    if not _LEADING_FIRST_RE.match(t, i):
        return None  # (most paragraphs: no style's match can start with their first character)
    for style, rx in _LEADING_RES:
        m = rx.match(t, i) if styles is None or style in styles else None
        if m:
            v = _marker_value(style, m.group("n"))
            if not v or (style in ("ar-dot", "ar-half") and v > 60):
                return None
            return Marker(style, v, base + m.start(), base + m.end())
    return None


def runin_markers(text: str, base: int = 0, normalized: bool = False) -> list[Marker]:
    """Run-in markers inside a paragraph after a clause boundary (``；二是``, ``。第三，``).

    The paragraph's own leading marker is not included. ``normalized``: as for ``leading_marker``.
    """
    t = text if normalized else normalize_digits(text)
    out: list[Marker] = []
    present = set(_RUNIN_NEEDS_RE.findall(t))  # (one scan for every style's needed characters)
    for style, rx in _RUNIN_RES:
        needs = _RUNIN_NEEDS.get(style)
        if needs and present.isdisjoint(needs):
            continue
        first = _RUNIN_FIRST.get(style)
        for m in rx.finditer(t) if first is None else matches_at(rx, first, t):
            s = m.start()
            j = s - 1
            while j >= 0 and t[j] in " \u3000”’）)":
                j -= 1
            if j < 0 or t[j] not in _RUNIN_BEFORE:
                continue
            if style in ("cn-paren", "ar-paren", "circled") and t[j] not in "：:；;。":
                continue
            v = _marker_value(style, m.group("n"))
            if v:
                out.append(Marker(style, v, base + s, base + m.end()))
    out.sort(key=lambda k: k.start)
    return out
