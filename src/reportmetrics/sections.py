"""Plans by section: the headings of a report, and the stretches under plan headings.

A report's closing section (四、下一步工作打算, （三）2024年工作计划, 存在的问题和下一步
打算) states what it will do, and its numbers are plans or targets, not results, even
where their own sentence has no plan word (全面完成80件规范性文件清理). This module finds
the headings, gives each a level by its ordinal style, and returns the spans under plan
headings, up to the next heading of the same or a higher level. A number there is a plan
unless its own clause states it as done (已, 了, 全年共, a year before the plan's).

Pure functions over normalised text (half-width punctuation, one newline per paragraph);
the words are data, in patterns/_lexicon.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import PackError

__all__ = [
    "Heading",
    "PlanSections",
    "PlanWords",
    "headings",
    "is_target",
    "plan_sections",
    "plan_words",
]

# A heading is a short line: longer lines are paragraphs, even without 。.
MAX_HEADING_CHARS = 40
# Ordinal styles, highest level first (a lower rank is a higher level).
_CN = "一二三四五六七八九十"
_ORDINALS: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (1, "第一", re.compile(rf"第[{_CN}]+(?:部分|章|节|篇|、|\s|$)")),
    (2, "一、", re.compile(rf"[{_CN}]+[、.]")),
    (3, "(一)", re.compile(rf"[(（][{_CN}]+[)）]")),
    (4, "1.", re.compile(r"[0-9]{1,2}(?:[、]|[.．](?![0-9]))")),
    (5, "(1)", re.compile(r"[(（][0-9]{1,2}[)）]")),
    (6, "①", re.compile(r"[①-⑳]")),
)
# A line standing alone as a title: no clause punctuation, a few Han characters.
TITLE_RANK = 7
_CLAUSE_MARKS = re.compile(r"[,，;；:：。!！?？、]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# An unnumbered plan title holds its numbered sub-items: it ends at the next title or
# at a heading of these ranks (第一, 一、).
_TITLE_ENDS_AT = 2
_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_CLAUSE_STOPS = ",。\n;:!?"


@dataclass(frozen=True)
class Heading:
    """One heading line: its span in the text, its level (rank 1 = 第一 … 7 = a bare
    title; a lower rank is a higher level), its ordinal style and its words."""

    start: int
    end: int
    rank: int
    style: str
    text: str


@dataclass(frozen=True)
class PlanWords:
    """The words of plan sections, from patterns/_lexicon.yaml."""

    headings: tuple[str, ...]
    exceptions: tuple[str, ...]
    done: tuple[str, ...]
    not_done: tuple[str, ...]


@lru_cache(maxsize=4)
def plan_words(folder: str | None = None) -> PlanWords:
    """The plan-section words of the lexicon in `folder` (default: the built-in one)."""
    from .packs import lexicon_file

    path, data = lexicon_file(folder)

    def words(key: str) -> tuple[str, ...]:
        raw = data.get(key)
        if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
            raise PackError(f"{path}: {key} must be a list of words")
        return tuple(raw)

    return PlanWords(
        words("plan_headings"), words("plan_heading_exceptions"), words("done_words"), words("not_done_words")
    )


def headings(text: str) -> list[Heading]:
    """Every heading line of `text`, in order."""
    found = []
    start = 0
    for line in text.split("\n"):
        heading = _heading(line, start)
        if heading is not None:
            found.append(heading)
        start += len(line) + 1
    return found


def _heading(line: str, start: int) -> Heading | None:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or "。" in stripped:
        return None
    offset = start + line.index(stripped[0])
    for rank, style, ordinal in _ORDINALS:
        if ordinal.match(stripped):
            return Heading(offset, offset + len(stripped), rank, style, stripped)
    if _CLAUSE_MARKS.search(stripped) or len(_HAN.findall(stripped)) < 2:
        return None
    return Heading(offset, offset + len(stripped), TITLE_RANK, "title", stripped)


@dataclass(frozen=True)
class PlanSections:
    """The plan sections of one text: spans (start, end, the plan's year or None)."""

    spans: tuple[tuple[int, int, int | None], ...]
    words: PlanWords

    def __bool__(self) -> bool:
        return bool(self.spans)

    def section_at(self, position: int) -> tuple[int, int, int | None] | None:
        for span in self.spans:
            if span[0] <= position < span[1]:
                return span
        return None

    def is_plan(self, text: str, start: int, end: int, year: int | None = None) -> bool:
        """True when the number at text[start:end] stands in a plan section and its own
        clause does not state it as done. `year` is the report's year, used when the
        plan heading names none (2024年工作计划 names 2024)."""
        section = self.section_at(start)
        if section is None:
            return False
        reference = section[2] if section[2] is not None else (year + 1 if year is not None else None)
        return not stated_as_done(text, start, end, self.words, reference)


def plan_sections(text: str, words: PlanWords | None = None) -> PlanSections:
    """The spans under plan headings: from the end of the heading to the next heading
    of the same or a higher level (for a bare title: the next title, 第一 or 一、
    heading), or the end of the text."""
    words = words or plan_words()
    if not any(word in text for word in words.headings):
        return PlanSections((), words)
    found = headings(text)
    spans = []
    for index, heading in enumerate(found):
        if not any(w in heading.text for w in words.headings) or any(
            w in heading.text for w in words.exceptions
        ):
            continue
        limit = _TITLE_ENDS_AT if heading.rank == TITLE_RANK else heading.rank
        end = len(text)
        for later in found[index + 1 :]:
            if later.rank <= limit or (heading.rank == TITLE_RANK and later.rank == TITLE_RANK):
                end = later.start
                break
        years = [int(y) for y in _YEAR.findall(heading.text)]
        spans.append((heading.end, end, max(years) if years else None))
    return PlanSections(tuple(spans), words)


def stated_as_done(text: str, start: int, end: int, words: PlanWords, plan_year: int | None) -> bool:
    """True when the clause of the number at text[start:end] states it as done: a done
    word (已, 了, 全年共; not inside 了解, 为了) or a year before `plan_year`."""
    clause_start = max(text.rfind(stop, 0, start) for stop in _CLAUSE_STOPS) + 1
    ends = [i for i in (text.find(stop, end) for stop in _CLAUSE_STOPS) if i != -1]
    clause = text[clause_start : min(ends) if ends else len(text)]
    for word in words.not_done:
        clause = clause.replace(word, "")
    if any(word in clause for word in words.done):
        return True
    return plan_year is not None and any(int(y) < plan_year for y in _YEAR.findall(clause))


_TARGET = re.compile(r"控制在[^,。;:!?\n]{0,8}$")


def is_target(text: str, start: int, end: int) -> bool:
    """A bound set as a target: 控制在15%以内 (the number ends in 以内, after 控制在)."""
    return text.endswith("以内", start, end) and bool(_TARGET.search(text, max(0, start - 20), start))
