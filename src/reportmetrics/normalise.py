"""Normalise a document's text for matching, keeping a map back to the original.

Patterns are written once, in Simplified script with half-width punctuation and single
spaces. Reports come in Traditional script (with Taiwan vocabulary), with full-width
digits and punctuation, runs of blanks and conversion debris such as 調(diào)解. This
stage rewrites the text into the form the patterns expect and records, for every
rewrite that changes the length, where it happened, so every offset found in the
normalised text maps back to the original (`text[start:end] == evidence`).
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

# Full-width ASCII (U+FF01..U+FF5E) to half-width, and the ideographic space.
# 。、《》“” are kept: they have no half-width twin that patterns would rather see.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH[0x3000] = 0x20
_HALF_WIDTH[0x00A0] = 0x20
_HALF_WIDTH[ord("．")] = ord(".")
_HALF_WIDTH[ord("﹪")] = ord("%")

_FULL_WIDTH_RUN = regex.compile("[" + "".join(map(chr, sorted(_HALF_WIDTH))) + "]+")
# Frequent characters that exist only in Traditional script; Simplified text has none.
_TRADITIONAL_ONLY = re.compile(
    "[這個們於為與區會國發經對說時實現業務關開應當從動進過還點長後來門問題間體機產區"
    "單處辦議審結複訴訟規範檔決構見總組織權協調導專執紀錄據覽報環職轉變類務費術設認識證"
    "讓員響條連擊樣價龍鄉鎮縣濟選聽購萬億餘兩網絡絕廣營勞戰歷黨傳]"
)
# Pinyin readings that some Traditional pages carry after a character: 調(diào)解.
_PINYIN_DEBRIS = regex.compile(r"(?<=\p{Han})\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7}\)")
# Only runs that change: blanks around or between line breaks (-> one \n), runs of two
# or more blanks and lone tabs (-> one space). Single spaces and newlines stay as they are.
_BLANK_RUNS = regex.compile(r"[ \t\f\v\r]+\n[ \t\f\v\r\n]*|\n[ \t\f\v\r\n]+|[ \t\f\v\r]{2,}|[\t\f\v\r]")
_HAN_RUN = regex.compile(r"\p{Han}+")

# Share of characters that must be Traditional-only before a document is treated as
# Traditional; Simplified reports score 0, Traditional ones well above 0.03.
_TRADITIONAL_SHARE = 0.01


@dataclass(frozen=True)
class OffsetMap:
    """Piecewise map from positions in one stage's output back to its input.

    Between breakpoints the two texts advance together; at a breakpoint the input
    position jumps (text was removed, or a phrase changed length). A position inside a
    rewritten phrase maps into that phrase, never past it.
    """

    out_points: tuple[int, ...]
    in_points: tuple[int, ...]
    in_length: int

    def back(self, position: int) -> int:
        i = bisect.bisect_right(self.out_points, position) - 1
        if i < 0:
            return position
        mapped = self.in_points[i] + (position - self.out_points[i])
        if i + 1 < len(self.in_points):
            mapped = min(mapped, self.in_points[i + 1])
        return min(mapped, self.in_length)


@dataclass(frozen=True)
class Normalised:
    """A document's text as the patterns see it, and the way back to the original."""

    text: str
    original: str
    maps: tuple[OffsetMap, ...]  # latest stage first
    traditional: bool

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that produced normalised `text[start:end]`."""
        for stage in self.maps:
            start, end = stage.back(start), stage.back(end)
        return start, max(start, end)


class _Rewriter:
    """Accumulates a rewritten text and the breakpoints of its offset map."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.out_points: list[int] = []
        self.in_points: list[int] = []
        self.length = 0

    def keep(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def replace(self, in_start: int, in_end: int, replacement: str) -> None:
        self.out_points.append(self.length)
        self.in_points.append(in_start)
        self.keep(replacement)
        self.out_points.append(self.length)
        self.in_points.append(in_end)

    def result(self, in_length: int) -> tuple[str, OffsetMap | None]:
        if not self.out_points:
            return "".join(self.parts), None
        points = OffsetMap(tuple(self.out_points), tuple(self.in_points), in_length)
        return "".join(self.parts), points


def _rewrite(
    text: str, pattern: regex.Pattern[str], replace: Callable[[regex.Match[str]], str]
) -> tuple[str, OffsetMap | None]:
    out = _Rewriter()
    last = 0
    for match in pattern.finditer(text):
        replacement = replace(match)
        if replacement == match.group():
            continue
        out.keep(text[last : match.start()])
        out.replace(match.start(), match.end(), replacement)
        last = match.end()
    out.keep(text[last:])
    return out.result(len(text))


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2sp")


@lru_cache(maxsize=1)
def _char_converter():
    import opencc

    return opencc.OpenCC("t2s")


def looks_traditional(text: str, sample: int = 4000) -> bool:
    """True when enough of the opening's characters are Traditional-only ones."""
    head = text[:sample]
    return bool(head) and len(_TRADITIONAL_ONLY.findall(head)) / len(head) >= _TRADITIONAL_SHARE


def _to_simplified(text: str) -> tuple[str, OffsetMap | None]:
    """Phrase-level Traditional(Taiwan)->Simplified. Where a phrase changes length
    (最佳化 -> 优化) the map pins the change to the stretch that differs from a
    character-by-character conversion, so the words around it keep exact offsets."""
    convert = _converter().convert
    whole = convert(text)
    if _same_shape(whole, text):
        return whole, None
    out = _Rewriter()
    lines, converted = text.split("\n"), whole.split("\n")
    if len(lines) != len(converted):  # never seen: OpenCC leaves line breaks alone
        _phrase_by_phrase(out, text, 0, len(text))
        return out.result(len(text))
    # No phrase spans a line break, so only the lines whose shape changed are redone
    # phrase by phrase.
    start = 0
    for line, simplified in zip(lines, converted, strict=True):
        if start:
            out.keep("\n")
        if _same_shape(simplified, line):
            out.keep(simplified)
        else:
            _phrase_by_phrase(out, text, start, start + len(line))
        start += len(line) + 1
    return out.result(len(text))


def _phrase_by_phrase(out: _Rewriter, text: str, start: int, end: int) -> None:
    """Convert text[start:end] run of Han characters by run, recording each run
    whose length changes."""
    convert = _converter().convert
    by_char = _char_converter().convert
    last = start
    for match in _HAN_RUN.finditer(text, start, end):
        run = match.group()
        phrase = convert(run)
        if len(phrase) == len(run):
            continue
        chars = by_char(run)
        head = 0
        while head < min(len(phrase), len(chars)) and phrase[head] == chars[head]:
            head += 1
        tail = 0
        while tail < min(len(phrase), len(chars)) - head and phrase[-1 - tail] == chars[-1 - tail]:
            tail += 1
        out.keep(convert(text[last : match.start()]) + phrase[:head])
        out.replace(match.start() + head, match.end() - tail, phrase[head : len(phrase) - tail])
        out.keep(phrase[len(phrase) - tail :])
        last = match.end()
    out.keep(convert(text[last:end]))


def _same_shape(converted: str, text: str) -> bool:
    """True when every ASCII character (digit, punctuation, space) kept its place:
    then no phrase changed length and no offset map is needed."""
    return len(converted) == len(text) and converted.encode("ascii", _SHAPE) == text.encode("ascii", _SHAPE)


# Each run of non-ASCII characters becomes as many \x01 bytes: one call per run.
_SHAPE = "reportmetrics-shape"


def _shape(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return ("\x01" * (error.end - error.start), error.end)


codecs.register_error(_SHAPE, _shape)


def _one_blank(match: regex.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def normalise(text: str) -> Normalised:
    """Rewrite `text` into the form patterns match against, with offset maps back."""
    # One for one: needs no map.
    current = _FULL_WIDTH_RUN.sub(lambda m: m.group().translate(_HALF_WIDTH), text)
    traditional = looks_traditional(current)
    stages: list[Callable[[str], tuple[str, OffsetMap | None]]] = []
    # Pages converted by some sites carry pinyin after characters (提(ti)案), whichever script.
    if _PINYIN_DEBRIS.search(current):
        stages.append(lambda t: _rewrite(t, _PINYIN_DEBRIS, lambda m: ""))
    stages.append(lambda t: _rewrite(t, _BLANK_RUNS, _one_blank))
    if traditional:
        stages.append(_to_simplified)
    maps: list[OffsetMap] = []
    for stage in stages:
        current, stage_map = stage(current)
        if stage_map is not None:
            maps.insert(0, stage_map)
    return Normalised(current, text, tuple(maps), traditional)
