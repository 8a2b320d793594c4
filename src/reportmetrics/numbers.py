"""Read the figures of Chinese government reports as exact quantities.

Reports write one figure many ways: ``86``, ``12,077``, ``１２，０７７``, ``16.2%``,
``3万余``, ``30余万``, ``一千多万``, ``百分之九十六``, ``九成五``, ``5.42个百分点``,
Traditional ``3萬餘`` and financial ``壹佰贰拾叁``.  :func:`parse_number` turns one such
literal into a :class:`Number`: an exact :class:`~decimal.Decimal` (never a float, digits
kept as written), a unit (count, percent or points) and a qualifier (exact, approx,
over, under) read from the words around the figure.  :data:`NUMBER_REGEX` finds those
literals in running text.

Approach:

* A fast path reads the plain Arabic forms that make up most figures (``86``,
  ``16.2%``, ``3,604``) with one precompiled pattern.
* Everything else is first normalised character by character (full-width digits and
  signs, Traditional and financial numerals, Traditional qualifier words) and then
  taken apart from the outside in: a leading qualifier word, a trailing qualifier word,
  the unit shape (``百分之…``, ``…%``, ``…个百分点``, ``…成…``), a measure word, an inner
  余/多 with its multiplier, and finally the bare number.
* Chinese numerals go through a small strict converter of our own instead of cn2an:
  cn2an returns floats, rejects 3万余 and 十余万, reads 二〇二三 as 2023 and 二十两 as
  22, and its ``transform`` turns 一些 into 1些.  Being strict is the point here: a
  figure that cannot be read exactly and unambiguously raises :class:`NumberError`
  rather than producing a plausible guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

import regex

from reportmetrics.errors import NumberError

__all__ = [
    "CELL_NUMBER_REGEX",
    "LEADING_QUALIFIER_WORDS",
    "MEASURE_WORDS",
    "NUMBER_REGEX",
    "NUMERAL_CHARS",
    "NUMERAL_VARIANTS",
    "QUALIFIERS",
    "TRAILING_QUALIFIER_WORDS",
    "UNITS",
    "FoundNumber",
    "Number",
    "NumberError",
    "find_numbers",
    "literal_end",
    "parse_number",
    "split_cells",
]

UNITS = frozenset({"count", "percent", "points"})
QUALIFIERS = frozenset({"exact", "approx", "over", "under"})

# The largest figure Chinese numerals write with 千, 万 and 亿 (千万亿) has 16 integer
# digits, and no real report figure has more; the cap also bounds the
# work done on hostile input.
MAX_INTEGER_DIGITS = 16
# Longest normalised literal worth looking at, e.g. 一亿二千三百四十五万六千七百八十九点一二.
_MAX_LITERAL_CHARS = 64
# Inputs longer than this are shortened in error messages.
_MAX_SHOWN_CHARS = 200


@dataclass(frozen=True)
class Number:
    """One figure: exact value, its unit, how the text qualifies it, and the raw text."""

    value: Decimal
    qualifier: str
    unit: str
    raw: str


# ------------------------------------------------------------ the number vocabulary
# Defined once, here: parse_number reads with these words, the search regexes are built
# from them, and the packs' {measure} placeholder is MEASURE_WORDS (packs.MEASURE).

# Qualifier words, longest first so that 约为 wins over 约 and 超过 over 超.
LEADING_QUALIFIER_WORDS: tuple[tuple[str, str], ...] = (
    ("大约", "approx"),
    ("将近", "approx"),
    ("约为", "approx"),
    ("超过", "over"),
    ("多于", "over"),
    ("不足", "under"),
    ("不到", "under"),
    ("低于", "under"),
    ("少于", "under"),
    ("约", "approx"),
    ("近", "approx"),
    ("逾", "over"),
    ("超", "over"),
)
# After the number (or after its measure word: 300人以上). 以内 is a bound, as in
# 控制在15%以内 (under); whether the sentence states a result or a target is the
# matcher's business, not the number's.
TRAILING_QUALIFIER_WORDS: tuple[tuple[str, str], ...] = (
    ("以上", "over"),
    ("以下", "under"),
    ("以内", "under"),
    ("左右", "approx"),
)
# 余/多 written directly after the number (3万余, 30余万, 50多) mean "over".
_INNER_OVER = "余多"

# Measure words a count may carry, alone (1.97亿元) or before a trailing qualifier
# (300人以上); they are not part of the value.  Longest first, so 人次 wins over 人.
MEASURE_WORDS: tuple[str, ...] = (
    "人/次", "件/次", "场/次", "人次", "件次", "场次", "户次", "宗次",
    "件", "宗", "起", "个", "人", "名", "位", "项", "条", "份", "次", "本", "家", "所",
    "场", "期", "批", "户", "部", "篇", "卷", "例", "元", "幅", "张", "套", "类", "座", "台",
)  # fmt: skip

# Numeral characters beside the Simplified ones: 〇 for 零, Traditional 萬 億 兩 點 and
# the financial (大写) numerals. Text normalisation leaves them as written (壹佰 and 〇
# are Simplified characters too), so the search regexes always accept them.
NUMERAL_VARIANTS: dict[str, str] = {
    "〇": "零", "萬": "万", "億": "亿", "點": "点", "兩": "两", "餘": "余",
    "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四",
    "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九",
    "拾": "十", "佰": "百", "仟": "千",
}  # fmt: skip
# Archaic tens, read as two characters: 廿二 = 二十二.
_ARCHAIC_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}

# Character-level normalisation: full-width forms, Traditional and financial numerals,
# Traditional spellings of qualifier and measure words.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%", "．": ".", "，": ",",
        **NUMERAL_VARIANTS,
        "約": "约", "為": "为", "過": "过", "將": "将", "於": "于",
        "個": "个", "項": "项", "條": "条", "場": "场", "戶": "户", "張": "张", "類": "类",
    }
)  # fmt: skip

_CN_DIGITS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# Big units in the order the converter splits on them.
_CN_BIG_UNITS = (("亿", 10**8), ("万", 10**4))
_BIG_MAGNITUDE = {"万": 4, "亿": 8, "万亿": 12}
_ARABIC_MULTIPLIERS = {
    "百": 2, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "万亿": 12,
}  # fmt: skip

# ------------------------------------------------------------------- inner patterns
# These run on normalised text only, so they need no full-width or Traditional forms.

_ARABIC_INT = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+ [0-9]+|[0-9]+"
_ARABIC = re.compile(rf"(?P<int>{_ARABIC_INT})(?:\.(?P<frac>[0-9]+))?")
_ARABIC_SCALED = re.compile(
    rf"(?P<num>(?:{_ARABIC_INT})(?:\.[0-9]+)?)(?P<mult>十万|百万|千万|万亿|[百千万亿])?"
)
_CN_CHARS = "零一二两三四五六七八九十百千万亿"
# Every character a number written in numerals is made of, in any of its spellings
# (not 点 or 余: they are numerals only inside a number).
NUMERAL_CHARS: str = (
    _CN_CHARS
    + "".join(_ARCHAIC_TENS)
    + "".join(variant for variant, canonical in NUMERAL_VARIANTS.items() if canonical in _CN_CHARS)
)
_CN_DECIMAL = re.compile(
    rf"(?P<int>[{_CN_CHARS}]+)(?:点(?P<frac>[零一二三四五六七八九]+)(?P<mult>万亿|万|亿)?)?"
)
_TENTHS = re.compile(r"(?P<tens>[1-9一二两三四五六七八九])成(?P<tenth>[1-9一二三四五六七八九])?")
# Plain ASCII Arabic numbers, optionally with %: the common case, read without the
# normalisation step.
_FAST = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[1-9][0-9]*|0)(?:\.(?P<frac>[0-9]+))?(?P<pct>%)?")


# ------------------------------------------------------------------------ public API


def parse_number(text: str) -> Number:
    """Read one figure literal (with its own qualifier words) as an exact :class:`Number`.

    Raises :class:`NumberError`, whose message contains ``text``, for anything that is
    not a quantity: ordinals, idioms, years, section numbers, vague amounts, bad digit
    grouping, conflicting qualifiers, junk around the figure.
    """
    if not isinstance(text, str):
        raise NumberError(f"not a number literal: {text!r} is a {type(text).__name__}")
    stripped = text.strip()
    fast = _FAST.fullmatch(stripped)
    if fast is not None:
        value = _arabic_value(fast["int"].replace(",", ""), fast["frac"], text)
        unit = "percent" if fast["pct"] else "count"
        return Number(value=value, qualifier="exact", unit=unit, raw=text)
    # Pinyin that some converted pages put after a character (1.5萬(wàn)多) is no part of it.
    body = stripped.translate(_NORMALISE)
    if "(" in body or "（" in body:
        body = _PINYIN_DEBRIS.sub("", body)
    return _parse_general(body, text)


_PINYIN_DEBRIS = re.compile(r"(?<=[万亿千百十])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7}[)）]")


def _parse_general(body: str, raw: str) -> Number:
    if not body:
        raise _refuse(raw, "empty")
    if len(body) > _MAX_LITERAL_CHARS:
        raise _refuse(raw, "too long to be a figure")
    body, leading = _strip_leading_qualifier(body)
    body, trailing = _strip_trailing_qualifier(body)
    if not body:
        raise _refuse(raw, "a qualifier without a number")

    inner = ""
    if body.startswith("百分之"):
        unit, value = "percent", _plain_value(body[3:], raw)
    elif body.endswith("百分点"):
        unit = "points"
        body = body[:-3]
        if body.endswith("多"):
            body, inner = body[:-1], "over"
        value = _plain_value(body.removesuffix("个"), raw)
    elif body.endswith("%"):
        unit, value = "percent", _plain_value(body[:-1], raw)
    elif "成" in body:
        unit = "percent"
        if body[-1] in _INNER_OVER:
            body, inner = body[:-1], "over"
        value = _tenths_value(body, raw)
    else:
        unit = "count"
        value, inner = _count_value(_strip_measure_word(body), raw)
    qualifier = _combine_qualifiers(raw, leading, inner, trailing)
    return Number(value=value, qualifier=qualifier, unit=unit, raw=raw)


# ------------------------------------------------------------------------- helpers


def _refuse(raw: str, reason: str) -> NumberError:
    shown = raw if len(raw) <= _MAX_SHOWN_CHARS else f"{raw[:_MAX_SHOWN_CHARS]}… ({len(raw)} chars)"
    return NumberError(f"not a quantity: {shown} ({reason})")


def _strip_leading_qualifier(body: str) -> tuple[str, str]:
    for word, qualifier in LEADING_QUALIFIER_WORDS:
        if body.startswith(word):
            return body[len(word) :], qualifier
    return body, ""


def _strip_trailing_qualifier(body: str) -> tuple[str, str]:
    for word, qualifier in TRAILING_QUALIFIER_WORDS:
        if body.endswith(word):
            return body[: -len(word)], qualifier
    return body, ""


def _strip_measure_word(body: str) -> str:
    for word in MEASURE_WORDS:
        if body.endswith(word) and len(body) > len(word):
            return body[: -len(word)]
    return body


def _combine_qualifiers(raw: str, *qualifiers: str) -> str:
    found = {q for q in qualifiers if q}
    if len(found) > 1:
        raise _refuse(raw, "conflicting qualifiers " + "/".join(sorted(found)))
    return found.pop() if found else "exact"


def _count_value(body: str, raw: str) -> tuple[Decimal, str]:
    """A count, possibly with 余/多 before or after its multiplier: 3万余, 30余万, 一千多万."""
    positions = [i for i, ch in enumerate(body) if ch in _INNER_OVER]
    if not positions:
        return _scaled_value(body, raw), ""
    if len(positions) > 1:
        raise _refuse(raw, "more than one 余/多")
    left, right = body[: positions[0]], body[positions[0] + 1 :]
    value = _scaled_value(left, raw)
    if right:
        magnitude = _BIG_MAGNITUDE.get(right)
        if magnitude is None or _largest_big_magnitude(left) >= magnitude:
            raise _refuse(raw, f"unexpected {right!r} after 余/多")
        value = _shift(value, magnitude)
    return value, "over"


def _largest_big_magnitude(text: str) -> int:
    return max((_BIG_MAGNITUDE[ch] for ch in text if ch in "万亿"), default=0)


def _scaled_value(body: str, raw: str) -> Decimal:
    """A number that may carry a multiplier: 86, 3.5万, 1.97亿, 一千二百万, 三点五万."""
    arabic = _ARABIC_SCALED.fullmatch(body)
    if arabic is not None:
        value = _plain_arabic(arabic["num"], raw)
        return _shift(value, _ARABIC_MULTIPLIERS[arabic["mult"]]) if arabic["mult"] else value
    if any(ch in _ASCII_DIGITS for ch in body):
        body = _mixed_to_chinese(body, raw)
    return _chinese_value(body, raw, allow_multiplier=True)


_ASCII_DIGITS = frozenset("0123456789")
_UNIT_PLACES = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
_DIGIT_NAMES = "零一二三四五六七八九"
_MIXED_RUNS = re.compile(r"[0-9]+|[^0-9]+")


def _mixed_to_chinese(body: str, raw: str) -> str:
    """Arabic digits mixed with Chinese units, rewritten in Chinese numerals:
    100万三千 -> 一百万三千, 1万600 -> 一万零六百, 1百01 -> 一百零一, 一百点123 ->
    一百点一二三. A digit run after a unit fills the places below it: as many digits as
    places (四千230), or, from three digits, all places but the first (1万600); a shorter
    run is refused, since 2万3 may mean 23000 as 两万三 does."""
    runs = _MIXED_RUNS.findall(body)
    out: list[str] = []
    for index, run in enumerate(runs):
        if run[0] not in _ASCII_DIGITS:
            out.append(run)
            continue
        before = runs[index - 1][-1] if index else ""
        if before == "点":
            if index + 1 < len(runs):
                raise _refuse(raw, "decimals partly in digits, partly in numerals")
            out.append("".join(_DIGIT_NAMES[int(d)] for d in run))
            continue
        if run[0] == "0" and before not in _UNIT_PLACES:
            raise _refuse(raw, "leading zero: a code, not a quantity")
        value = int(run)
        after = runs[index + 1] if index + 1 < len(runs) else ""
        unit_next = after[:1] in ("百", "千", "万", "亿") or after[:2] in ("十万", "十亿")
        if after and (unit_next or (before and after[0] == "十")):
            # Digits before a unit, read as a numeral: 100万, 3万5千 (the converter
            # then checks the places are in order).
            if value == 0 or value >= 10**4 or run[0] == "0":
                raise _refuse(raw, "digits before a unit that are no section")
            out.append(_section_name(value, leading=not before))
        elif not before:
            raise _refuse(raw, "digits and numerals mixed without a unit between them")
        elif before == "零":
            if value == 0 or value >= 10**4:
                raise _refuse(raw, "a digit run after 零 that is no section")
            out.append(_section_name(value, leading=False))
        elif before in _UNIT_PLACES:
            places, digits = _UNIT_PLACES[before], len(run)
            if value == 0 or not (digits == places or digits == places - 1 >= 3) or places > 4:
                raise _refuse(raw, "digits after a unit that do not fill its places")
            zero = "零" if len(str(value)) < places else ""
            out.append(zero + _section_name(value, leading=False))
        else:
            raise _refuse(raw, "digits and numerals mixed without a unit between them")
    return "".join(out)


def _section_name(value: int, *, leading: bool) -> str:
    """The Chinese reading of 1 <= value < 10000, with 零 for skipped places; 十 for 10-19
    at the start of a numeral (十万), 一十 inside one (一百一十)."""
    parts: list[str] = []
    pending_zero = False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // place % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        bare_ten = leading and not parts and unit == "十" and digit == 1
        parts.append(unit if bare_ten else _DIGIT_NAMES[digit] + unit)
    return "".join(parts)


def _plain_value(body: str, raw: str) -> Decimal:
    """A number without multiplier, as inside 百分之…, …% and …个百分点."""
    if _ARABIC.fullmatch(body):
        return _plain_arabic(body, raw)
    return _chinese_value(body, raw, allow_multiplier=False)


def _plain_arabic(body: str, raw: str) -> Decimal:
    match = _ARABIC.fullmatch(body)
    if match is None:
        raise _refuse(raw, "malformed digits or digit grouping")
    digits = match["int"].replace(",", "").replace(" ", "")
    return _arabic_value(digits, match["frac"], raw)


def _arabic_value(digits: str, frac: str | None, raw: str) -> Decimal:
    if len(digits) > 1 and digits[0] == "0":
        raise _refuse(raw, "leading zero: a code, not a quantity")
    if len(digits) > MAX_INTEGER_DIGITS:
        raise _refuse(raw, f"more than {MAX_INTEGER_DIGITS} integer digits")
    return Decimal(f"{digits}.{frac}" if frac else digits)


def _tenths_value(body: str, raw: str) -> Decimal:
    match = _TENTHS.fullmatch(body)
    if match is None:
        raise _refuse(raw, "not a tenths figure like 九成 or 九成五")
    tens = _digit_value(match["tens"])
    tenth = _digit_value(match["tenth"]) if match["tenth"] else 0
    return Decimal(tens * 10 + tenth)


def _digit_value(ch: str) -> int:
    return int(ch) if ch.isascii() else _CN_DIGITS[ch]


def _shift(value: Decimal, magnitude: int) -> Decimal:
    """``value * 10**magnitude`` exactly, with a non-positive exponent so it prints plainly."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: built from validated digits
    exponent += magnitude
    if exponent > 0:
        digits, exponent = digits + (0,) * exponent, 0
    return Decimal((sign, digits, exponent))


# ----------------------------------------------------------------- Chinese numerals


def _chinese_value(body: str, raw: str, *, allow_multiplier: bool) -> Decimal:
    if any(ch in _ARCHAIC_TENS for ch in body):
        body = "".join(_ARCHAIC_TENS.get(ch, ch) for ch in body)
    match = _CN_DECIMAL.fullmatch(body)
    if match is None or (match["mult"] and not allow_multiplier):
        raise _refuse(raw, "not a number")
    if not allow_multiplier and any(ch in "万亿" for ch in match["int"]):
        raise _refuse(raw, "a multiplier where none belongs")
    try:
        integer = _cn_integer(match["int"])
    except ValueError as exc:
        raise _refuse(raw, str(exc)) from None
    if len(str(integer)) > MAX_INTEGER_DIGITS:
        raise _refuse(raw, f"more than {MAX_INTEGER_DIGITS} integer digits")
    if not match["frac"]:
        return Decimal(integer)
    frac = "".join(str(_CN_DIGITS[ch]) for ch in match["frac"])
    value = Decimal(f"{integer}.{frac}")
    return _shift(value, _BIG_MAGNITUDE[match["mult"]]) if match["mult"] else value


def _cn_integer(text: str) -> int:
    """Convert a Chinese integer numeral; raise ValueError if it is not a well-formed one."""
    if text == "零":
        return 0
    for i, ch in enumerate(text):
        # 两 only counts before 百/千/万/亿 (两万, 两千) or alone (两个); 二十两 is a weight.
        if ch == "两" and not (text[i + 1 : i + 2] in ("百", "千", "万", "亿") or text == "两"):
            raise ValueError("两 is not used as a digit there")
    return _cn_big(text, 0)


def _cn_big(text: str, level: int) -> int:
    """Value of ``text`` split on the big unit at ``level`` (亿, then 万), then sections."""
    if level == len(_CN_BIG_UNITS):
        return _cn_section(text)
    unit, size = _CN_BIG_UNITS[level]
    if unit not in text:
        return _cn_big(text, level + 1)
    high, low = text.split(unit, 1)
    if unit in low:
        raise ValueError(f"{unit} twice")
    if not high:
        if low:  # 万一 is an idiom; a bare 万 only stands for itself (万, 万余, 万亿).
            raise ValueError(f"bare {unit} followed by more")
        return size
    value = _cn_big(high, level + 1) * size
    if not low:
        return value
    if low.startswith("零"):
        # 十万零一千 and 一百九十万零三千九百七十一 are written so (a 零 after a big
        # unit); 一万零百一十一 leaves out the 一 of 一百.
        tail = low[1:]
        if tail[:1] in ("百", "千"):
            tail = "一" + tail
        rest = _cn_big(tail, level + 1)
        if rest == 0:
            raise ValueError("零 before nothing")
        return value + rest
    if len(low) == 1 and low in _CN_DIGITS:  # 一万五 = 15000: the next place is implied.
        return value + _CN_DIGITS[low] * (size // 10)
    rest = _cn_big(low, level + 1)
    if rest < size // 10:
        raise ValueError("missing 零 for a skipped place")
    return value + rest


def _cn_section(text: str) -> int:
    """Value of a numeral below 10000 (no 万/亿), with strict 零 and digit rules."""
    if text in ("百", "千"):  # 逾百, 千余, 百万
        return _CN_SMALL_UNITS[text]
    total, pending, last_unit, zero = 0, None, 10**4, False
    for i, ch in enumerate(text):
        if ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                raise ValueError("places out of order")
            if pending is None:
                # 十 stands for 一十 at the start (十五) and after a higher place
                # (一百十六, 一千零十); 百 and 千 need their digit.
                if unit != 10:
                    raise ValueError(f"{ch} without a digit")
                pending = 1
            if total and zero and unit * 10 >= last_unit:
                raise ValueError("零 where no place is skipped")
            total, pending, last_unit, zero = total + pending * unit, None, unit, False
        elif ch == "零":
            if pending is not None or zero or i == 0:
                raise ValueError("digit-by-digit reading (a year or code)")
            zero = True
        elif ch in _CN_DIGITS:
            if pending is not None:
                raise ValueError("digit-by-digit reading (a year or code)")
            pending = _CN_DIGITS[ch]
        else:
            raise ValueError(f"{ch} is not a numeral")
    if pending is None:
        if zero:
            raise ValueError("trailing 零")
        return total
    if zero:  # 一百零五; but 二十零五 has no place to skip
        if last_unit == 10:
            raise ValueError("零 misplaced")
        return total + pending
    if not total or last_unit == 10:
        return total + pending
    return total + pending * (last_unit // 10)  # 一百五 = 150, 三千五 = 3500


# ---------------------------------------------------------------- the search regex


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _spellings(words: tuple[str, ...], spell: bool = True) -> tuple[str, ...]:
    """``words`` plus every spelling that the normalisation table maps onto them."""
    if not spell:
        return tuple(sorted(set(words)))
    sources: dict[str, list[str]] = {}
    for source, target in _NORMALISE.items():
        sources.setdefault(str(target), []).append(chr(source))
    spelled: set[str] = set()
    for word in words:
        options = [[ch, *sources.get(ch, ())] for ch in word]
        spelled.update("".join(chars) for chars in product(*options))
    return tuple(sorted(spelled))


def _word_choice(words: tuple[str, ...], spell: bool = True) -> str:
    """Alternation of ``words`` in all their spellings, longest first."""
    return f"(?:{_alternatives(_spellings(words, spell))})"


def _char_class(chars: str, spell: bool = True) -> str:
    """A class of ``chars`` in their spellings; numeral characters always with their
    variants (〇, 壹, 萬…), which text normalisation leaves as written."""
    spelled = set("".join(_spellings(tuple(chars), spell)))
    spelled.update(variant for variant, canonical in NUMERAL_VARIANTS.items() if canonical in chars)
    return "[" + "".join(sorted(spelled)) + "]"


# The word alternatives of the number regex, by their named-list name.
_WORD_LISTS: dict[str, tuple[str, ...]] = {
    "measure": MEASURE_WORDS,
    "leading": tuple(w for w, _ in LEADING_QUALIFIER_WORDS),
    "trailing": tuple(w for w, _ in TRAILING_QUALIFIER_WORDS),
}


def _measure_lookahead(spell: bool) -> str:
    """What a lookahead for a measure word needs: the single-character measure words
    as one character class, when every longer measure word starts with one of them (so
    the two lookaheads agree); a class is much cheaper to compile than the word list."""
    words = _spellings(MEASURE_WORDS, spell)
    singles = {w for w in words if len(w) == 1}
    if all(w[0] in singles for w in words):
        return "[" + "".join(sorted(singles)) + "]"
    return _word_choice(MEASURE_WORDS, spell)


def _build_number_regex(
    spell: bool = True, unit: str | None = None, lists: bool = False, mode: str = "prose"
) -> str:
    """The search regex; with ``spell=False`` only the Simplified, half-width spellings
    of words (for text already normalised: a quarter of the size, so it compiles fast);
    with ``lists`` its word alternatives as the `regex` module's named lists
    (\\L<measure>, compile with NUMBER_LISTS); with ``unit`` only the figures of that
    unit; in ``mode="cell"`` whitespace always separates two numbers."""
    digit = "[0-9０-９]" if spell else "[0-9]"
    cn = _char_class(_CN_CHARS + "".join(_ARCHAIC_TENS), spell)
    # After a unit (or 零) Arabic digits may go on: 1万600, 一百01, 200亿零四千230.
    unit_before = f"(?<={_char_class('十百千万亿零', spell)})"
    tail = f"[0-9０-９{cn[1:-1]}]*+"
    cn_int = f"{cn}++(?:(?={digit}){unit_before}{digit}{tail})?"
    cn_frac = _char_class("零一二三四五六七八九", spell)
    nonzero = "[1-9１-９]" if spell else "[1-9]"
    tens = f"(?:{_char_class('一二两三四五六七八九', spell)}|{nonzero})"
    tenth = f"(?:{_char_class('一二三四五六七八九', spell)}|{nonzero})"
    big = _char_class("万亿", spell)
    point = _char_class("点", spell)
    over = _char_class(_INNER_OVER, spell)
    measure_ahead = _measure_lookahead(spell)
    if lists:
        measure, leading, trailing = r"\L<measure>", r"\L<leading>", r"\L<trailing>"
    else:
        measure, leading, trailing = (_word_choice(words, spell) for words in _WORD_LISTS.values())
    punct = r"[,，。.．;；:：、)）」”!！?？]"
    not_after_column = f"(?<!{digit} )"
    spaced = (
        # 29 757: thousands grouped by spaces, only before a measure word, 余/多,
        # punctuation or the end, so that table columns do not run together.
        f"|{not_after_column}{digit}{{1,3}}(?: {digit}{{3}})++(?={measure_ahead}|{over}|{punct}|\\n|\\Z)"
        # 1 5: a digit run broken by one space, only right before a measure word
        # (or at the very end, so that the literal given alone matches in full).
        f"|{not_after_column}{digit}++ {digit}++(?={measure_ahead}|\\Z)"
    )
    if mode == "cell":
        spaced = ""
    elif mode != "prose":
        raise ValueError(f"mode must be 'prose' or 'cell', not {mode!r}")
    arabic_int = f"(?:{digit}{{1,3}}(?:[,，]{digit}{{3}})++(?!{digit}){spaced}|{digit}++)"
    arabic = f"{arabic_int}(?:[.．]{digit}++)?"
    chinese = f"{cn}++(?:{point}{cn_frac}++)?"
    multiplier = f"(?:{_char_class('十百千', spell)}?{big}{{1,2}}|{_char_class('百千', spell)})"
    scaled = f"{arabic}(?:{multiplier}{tail})?"
    cn_count = f"{cn_int}(?:{point}(?:{cn_frac}++|{digit}++){big}{{0,2}})?"
    points = f"[个個]?多?百分{point}{trailing}?"
    percent = f"[%％]{trailing}?"
    # A measure word joins the match before a trailing qualifier (300人以上);
    # otherwise the lazy ?? leaves it out, unless regex.fullmatch needs it to reach
    # the end (a literal given alone, like 321余人).
    count = f"(?:{over}{big}{{0,2}})?(?:{measure}?{trailing}|{measure}??)"
    # Each number is read once and the unit decided by what follows it, rather than
    # one alternative per unit re-reading the number: that keeps scanning linear
    # and cheap on long runs of digits, numerals or separators. A pattern of one unit
    # embeds only that unit's branches: they are what its matches can use (a figure of
    # the other unit would be refused after matching), and the pattern compiles in
    # about 60% of the time.
    shares = f"百分之(?:{arabic}|{chinese}){trailing}?|{tens}成{tenth}?{over}?{trailing}?"
    if unit == "count":
        core = f"(?:{scaled}|{cn_count}){count}"
    elif unit == "percent":
        core = f"{shares}|(?:{arabic}|{chinese}){percent}"
    else:
        core = (
            f"{shares}"
            f"|{arabic}(?:{points}|{percent}|(?:{multiplier}{tail})?{count})"
            f"|{cn_int}(?:{point}(?:{cn_frac}++(?:{points}|{percent}|{big}{{0,2}}{count})|{digit}++{big}{{0,2}}{count})"
            f"|{points}|{percent}|{count})"
        )
    number_start = f"[0-9０-９{cn[1:-1]}]"
    # No qualifier word starts with a digit or numeral, so once one has matched, the
    # match cannot start without it: ?+ spares retrying the position.
    return f"(?:{leading})?+(?={number_start})(?:{core})"


NUMBER_REGEX: str = _build_number_regex()


def _named_lists(unit: str | None = None) -> str:
    """The regex for normalised text, with its word alternatives as the `regex`
    module's named lists: three times faster to compile, and every pack pattern embeds
    it. Compile it with ``**NUMBER_LISTS``."""
    return _build_number_regex(spell=False, unit=unit, lists=True)


# For text that went through reportmetrics.normalise (Simplified, half-width).
NORMALISED_NUMBER_REGEX = _named_lists()
# Named lists are sets inside `regex`: every spelling costs nothing to compile, so a
# Traditional 大約 or 個 in a Simplified document (left as written) is still read.
NUMBER_LISTS = {
    name: sorted(_spellings(words), key=lambda w: (-len(w), w)) for name, words in _WORD_LISTS.items()
}
"""Regex source (for the ``regex`` module, no groups) matching one figure literal in text."""
# The same, for patterns of one unit: only the figures that unit can take.
NORMALISED_NUMBER_REGEX_BY_UNIT = {unit: _named_lists(unit) for unit in ("count", "percent")}


# ----------------------------------------------------------- prose and cell modes
# Prose: a stray space inside digits joins them before a measure word (参加应诉案件1 5起
# is 15) and thousands grouped by spaces stay one number (29 757件). Cells (table rows
# as PDF and web tables give them): whitespace always separates numbers, so 95 0 is
# two cells, 95 and 0.
CELL_NUMBER_REGEX: str = _build_number_regex(mode="cell")
_SEARCH = {"prose": NUMBER_REGEX, "cell": CELL_NUMBER_REGEX}
_CELL_SEPARATORS = re.compile(r"[\s|｜]+")


@dataclass(frozen=True)
class FoundNumber:
    """A figure found in text: its span and what it reads as."""

    start: int
    end: int
    number: Number


def find_numbers(text: str, mode: str = "prose") -> list[FoundNumber]:
    """Every figure literal in ``text`` that reads as a quantity, in text order.
    ``mode`` is ``"prose"`` (running text) or ``"cell"`` (a table row: whitespace and
    ``|`` separate numbers)."""
    if mode not in _SEARCH:
        raise ValueError(f"mode must be 'prose' or 'cell', not {mode!r}")
    found = []
    for match in regex.finditer(_SEARCH[mode], text):
        try:
            number = parse_number(match.group())
        except NumberError:
            continue
        found.append(FoundNumber(match.start(), match.end(), number))
    return found


def split_cells(text: str) -> list[str]:
    """A table row's cells: whitespace and ``|`` separate them (cell mode), so
    ``合计 95 0`` is ``["合计", "95", "0"]``."""
    return [cell for cell in _CELL_SEPARATORS.split(text) if cell]


_AFTER_LITERAL = re.compile(
    f"(?:{_alternatives(MEASURE_WORDS)})?(?:{_alternatives(tuple(w for w, _ in TRAILING_QUALIFIER_WORDS))})"
)


def literal_end(text: str, start: int, end: int) -> int:
    """Where the figure ``text[start:end]`` ends once a qualifier written after its
    measure word is taken in: in 公职律师300人以上 the literal 300 ends after 以上, so it
    reads as over. ``end`` when no such qualifier follows (or the literal has one)."""
    if text[start:end].endswith(tuple(w for w, _ in TRAILING_QUALIFIER_WORDS)):
        return end
    after = _AFTER_LITERAL.match(text, end)
    return after.end() if after else end
