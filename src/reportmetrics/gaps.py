"""What the packs miss: numbers in indicator sentences that gave no row.

`reportmetrics gaps PATH...` lists every number standing in a sentence that holds a
catalogue keyword (a pack keyword), gave no row, and was not set aside by the engine as
a change, a plan, a date, a year, a document number or an ordinal
(`match.set_aside`). It shows a pack author, and a user with a corpus of their own,
which phrasings the packs do not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .match import set_aside
from .normalise import normalise
from .numbers import find_numbers
from .packs import MEASURE, SENTENCE_STOPS, Pattern
from .rows import Row
from .sections import plan_sections

GAP_COLUMNS = ("doc", "path", "start", "end", "number", "keyword", "sentence")


@dataclass(frozen=True)
class Candidate:
    """A number in a keyword sentence that gave no row: a gap when `set_aside` is None,
    else why the engine leaves it (change, plan, date, year, document number, ordinal).
    Offsets index into the document's text as `reportmetrics text` prints it."""

    doc: str
    path: str
    start: int
    end: int
    number: str
    keyword: str
    sentence: str
    set_aside: str | None

    def cells(self) -> list[str]:
        """The CSV cells of the gaps table, in GAP_COLUMNS order."""
        return [self.doc, self.path, str(self.start), str(self.end), self.number, self.keyword, self.sentence]


def catalogue_keywords(patterns: Iterable[Pattern]) -> tuple[str, ...]:
    """Every keyword of the packs' patterns (Matcher.patterns), longest first."""
    words = {k for pattern in patterns for k in pattern.keywords}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def candidates(
    doc: str, path: str, text: str, rows: Iterable[Row], keywords: Iterable[str]
) -> list[Candidate]:
    """Every number in a sentence of `text` holding one of `keywords` that is not the
    number of one of `rows` (rows of this text, as extract gives them), with the reason
    the engine sets it aside, if any."""
    words = tuple(keywords)
    if not words:
        return []
    scan = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    normalised = normalise(text)
    plain = normalised.text
    taken = [(row.raw_start, row.raw_end) for row in rows]
    plans = plan_sections(plain)
    found: list[Candidate] = []
    for start, end in _sentences(plain):
        keyword = scan.search(plain, start, end)
        if keyword is None:
            continue
        sentence_start, sentence_end = normalised.original_span(start, end)
        sentence = normalised.original[sentence_start:sentence_end].strip()
        for number in find_numbers(plain[start:end]):
            value_start, value_end = start + number.start, start + number.end
            if not _figure(plain, value_start, value_end):
                continue
            raw_start, raw_end = normalised.original_span(value_start, value_end)
            if any(s < raw_end and raw_start < e for s, e in taken):
                continue
            reason = set_aside(plain, value_start, value_end, plans)
            found.append(
                Candidate(
                    doc,
                    path,
                    raw_start,
                    raw_end,
                    normalised.original[raw_start:raw_end],
                    keyword.group(),
                    sentence,
                    reason,
                )
            )
    return found


def gaps(doc: str, path: str, text: str, rows: Iterable[Row], keywords: Iterable[str]) -> list[Candidate]:
    """The candidates that the engine does not set aside: what the packs miss."""
    return [c for c in candidates(doc, path, text, rows, keywords) if c.set_aside is None]


_DIGIT = re.compile(r"[0-9]")
_FIGURE_AFTER = re.compile(f"(?:{MEASURE})|[%余多]|个?百分点|成")


def _figure(text: str, start: int, end: int) -> bool:
    """Whether the literal is a figure at all: digits are; a numeral in words only with
    a measure word, a share or 余/多 after it (七里河, 一把手 and 三项制度 of place
    names and set phrases are not counted as numbers)."""
    literal = text[start:end]
    return (
        bool(_DIGIT.search(literal))
        or literal.endswith(("%", "以上", "以下", "以内", "左右"))
        or bool(_FIGURE_AFTER.match(text, end))
    )


_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_STOPS)}]")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for stop in _SENTENCE_END.finditer(text):
        if stop.start() > start:
            spans.append((start, stop.start()))
        start = stop.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
