"""Tables whose labels stand in a header row and whose numbers stand in the row below:

    收到复议申请 | 受理 | 审结 | 纠错率
    125 | 120 | 110 | 8.2%

Each column becomes a label and its cell, which the engine then reads as it reads a
label above its number. Only rows that are unmistakably such a pair are taken: the same
number of cells in both, no digit in any header cell, a number in every cell below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from .errors import NumberError
from .numbers import parse_number, split_cells

# Cells are separated by `|` or by blanks (the engine sees normalised text, where a run
# of blanks or a tab is one space; a header of labels has no digits to be split).
_SEPARATOR = re.compile(r"[ \t\u3000]*\|[ \t\u3000]*|[ \t\u3000]+")
_HAS_DIGIT = re.compile(r"[0-9]")
MAX_LABEL = 24


@dataclass(frozen=True)
class Column:
    """One column of a header row and the row below it, in text offsets."""

    label_start: int
    label_end: int
    cell_start: int
    cell_end: int


def header_columns(text: str) -> list[Column]:
    """Every column of every header row followed by a row of numbers, in text order."""
    columns: list[Column] = []
    lines = _lines(text)
    for (head_start, head), (row_start, row) in pairwise(lines):
        if "|" not in head and " " not in head and "\t" not in head:
            continue
        labels = _cells(head, head_start)
        if len(labels) < 2 or any(_HAS_DIGIT.search(text[s:e]) or e - s > MAX_LABEL for s, e in labels):
            continue
        cells = _cells(row, row_start)
        if len(cells) != len(labels) or not all(_is_number(text[s:e]) for s, e in cells):
            continue
        columns.extend(Column(ls, le, cs, ce) for (ls, le), (cs, ce) in zip(labels, cells, strict=True))
    return columns


def _lines(text: str) -> list[tuple[int, str]]:
    found, start = [], 0
    for line in text.split("\n"):
        found.append((start, line))
        start += len(line) + 1
    return found


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    """The non-empty cells of a line, as (start, end) in text offsets."""
    spans, start = [], 0
    for separator in _SEPARATOR.finditer(line):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(line)))
    return [(offset + s, offset + e) for s, e in spans if line[s:e].strip()]


def _is_number(cell: str) -> bool:
    tokens = split_cells(cell)
    if len(tokens) != 1:
        return False
    try:
        parse_number(tokens[0])
    except NumberError:
        return False
    return True
