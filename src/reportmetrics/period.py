"""Period: the year a row's figure is for.

A pure function of the normalised text, the number's span (and the evidence's start),
and the document's year, so it gives every row its period whatever pattern found it:

- the document's year, unless the text ties the number to another year;
- a year written in the number's own clause, the nearest before it (较2022年的558件 ->
  2022); 上年/去年/上一年 -> the year before, 前年 -> two before; 今年/本年/当年 -> the
  document's year;
- a year that opens an earlier clause of the sentence (2022年,全市…,办结40件 -> 2022);
  one said in passing there (同比/较上年…, 含上年度结转) does not carry over;
- a list over a run of years (2018年至2021年…分别为a、b、c、d): the year at the
  number's place in the list;
- a figure over several years (五年来, 近三年, 2018年以来, 2018年至2021年共…, 历年): none;
- no year known: none.
"""

from __future__ import annotations

import regex

# Searched backwards (REVERSE): the nearest sentence or clause end before a number.
_SENTENCE_END = regex.compile(r"[。;；!！?？\n]", regex.REVERSE)
_CLAUSE_END = regex.compile(r"[,，:：]", regex.REVERSE)
_LOOKBACK = 200  # characters of the sentence looked at before the number

_NUMERAL = r"[\d一二三四五六七八九十两]"
# A stretch over several years: the figure is for none of them alone.
_SEVERAL_YEARS = regex.compile(
    rf"{_NUMERAL}+年(?:以)?来|近{_NUMERAL}+年|(?:19|20)\d{{2}}年?(?:以来|至今)|历年|"
    r"(?:19|20)\d{2}年?\s*(?:至|到|-|—|–|~|－)\s*(?:19|20)\d{2}年"
)
_RANGE = regex.compile(r"(?P<first>(?:19|20)\d{2})年?\s*(?:至|到|-|—|–|~|－)\s*(?P<last>(?:19|20)\d{2})年")
_RESPECTIVELY = regex.compile(r"分别(?:为|是|达到?|有)?|依次(?:为|是)")
_LIST_SEPARATOR = regex.compile(r"[、,，和及]")
# One year named: written out, or said relative to the report's year.
_YEAR_REF = regex.compile(
    r"(?P<year>(?:19|20)\d{2})\s?年(?!\d|以来|至今)|(?P<last>上一?年度?|去年|上年度)|(?P<before>前年)|"
    r"(?P<this>今年|本年度?|当年)"
)
# What may stand before a year that sets the scene for the rest of the sentence.
_SCENE_LEAD = regex.compile(r"[\s“\"《【(（]*(?:截至|截止|在|于|至|自)?")


def period_of(
    text: str, value_start: int, value_end: int, year: int | None, evidence_start: int | None = None
) -> int | None:
    """The year the number at text[value_start:value_end] is for (see the module)."""
    sentence_start = _sentence_start(text, value_start)
    if evidence_start is not None and evidence_start < sentence_start:
        sentence_start = max(evidence_start, value_start - _LOOKBACK)
    before = text[sentence_start:value_start]
    if "年" not in before:
        return year  # no year named, none several: the report's
    listed = _year_in_list(text, sentence_start, value_start)
    if listed is not None:
        return listed or None  # 0: a list over years that does not say which
    clause_start = _clause_start(before)
    own = before[clause_start:]
    if _SEVERAL_YEARS.search(own):
        return None
    refs = list(_YEAR_REF.finditer(own))
    if refs:
        return _resolve(refs[-1], year)
    # Earlier clauses: a year that sets the scene, not a comparison made there.
    earlier = before[:clause_start]
    several = [m.end() for m in _SEVERAL_YEARS.finditer(earlier)]
    for ref in reversed(list(_YEAR_REF.finditer(earlier))):
        lead = earlier[_clause_start(earlier[: ref.start()]) : ref.start()]
        if not _SCENE_LEAD.fullmatch(lead):
            continue  # said in passing (含上年度结转), or a comparison: not the scene
        if several and several[-1] > ref.start():
            return None
        return _resolve(ref, year)
    return None if several else year


def _sentence_start(text: str, position: int) -> int:
    low = max(0, position - _LOOKBACK)
    end = _SENTENCE_END.search(text, low, position)
    return end.end() if end else low


def _clause_start(before: str) -> int:
    end = _CLAUSE_END.search(before)
    return end.end() if end else 0


def _resolve(ref: regex.Match, year: int | None) -> int | None:
    if ref.group("year"):
        return int(ref.group("year"))
    if year is None:
        return None
    if ref.group("last"):
        return year - 1
    if ref.group("before"):
        return year - 2
    return year


def _year_in_list(text: str, sentence_start: int, value_start: int) -> int | None:
    """Within `2018年至2021年…分别为a、b、c、d`, the year of the number's place in the
    list; 0 for a list over years where the place gives no year; None for no such list."""
    before = text[sentence_start:value_start]
    if "分别" not in before and "依次" not in before:
        return None
    found = list(_RESPECTIVELY.finditer(before))
    if not found:
        return None
    respectively = found[-1]
    head = before[: respectively.start()]
    years = _listed_years(head)
    if not years:
        return None
    items = before[respectively.end() :]
    position = len(_LIST_SEPARATOR.findall(items))
    return years[position] if position < len(years) else 0


def _listed_years(head: str) -> list[int]:
    ranges = list(_RANGE.finditer(head))
    if ranges:
        first, last = int(ranges[-1].group("first")), int(ranges[-1].group("last"))
        return list(range(first, last + 1)) if 0 < last - first < 30 else []
    named = [int(m.group("year")) for m in _YEAR_REF.finditer(head) if m.group("year")]
    return named if len(named) > 1 else []
