"""The tables of the 政府信息公开工作年度报告 (government information disclosure annual
report): tables 二, 三 and 四, one row per printed cell (spec: gip.md).

The reader works on the text the tool sees (`reportmetrics text`), whatever the input
was: raw PDF text with page breaks (`\\f- 5 -`), the project's PDF text (a cell a line,
narrow cells sharing one: `95 0`), web pages and Word files (a cell a line, an empty
cell an empty line), and `|`-delimited or markdown rows. It never relies on the order
in which header text comes out: columns are the template's (`gip_cells.tsv`).

How a table is read:

1. Section headings are found by their key phrase, never by their ordinal; a table runs
   from its heading to the next heading (table 四 also ends at prose). It is read only
   when the span holds the table's own header cells (信息内容; 申请人情况 with rows 一 and
   （七）; 未经复议直接起诉), so a report without these tables gives nothing.
2. Row labels are searched, in template order, in a compact view of the span (no
   whitespace, no page furniture, full-width folded), so wrapped and page-split labels
   are whole. A label that matches neither exactly nor by alias is accepted only between
   its found neighbours, with its own sub-row number and a close spelling.
3. A row's cells are the tokens between its label and the next label: numbers (spaces
   and line breaks separate them), empty cells (an empty line, an empty `|` cell) and
   cells that state nothing (`/`, `—`, `无`). The template fixes how many a row has; a
   row with any other count gives no rows and a warning, never a guess.

`read_tables(text, year)` gives the recognised tables, their cells and their warnings;
`gip_rows` turns them into rows for the pipeline.
"""

from __future__ import annotations

import csv
import difflib
import heapq
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .catalogue import family
from .docfields import DocumentFields
from .errors import NumberError, PackError
from .numbers import parse_number
from .rows import Row, Unreadable, document_row

PACK = "gip"
CELLS_FILE = "gip_cells.tsv"
CELL_COLUMNS = ("layout", "table", "row_no", "row_label_path", "column", "id", "unit", "note", "catalogue")
LAYOUTS = ("2021", "2021-other-collapsed", "2019")
UNITS = ("count", "yuan")
TABLE_NAMES = {"二": "table2", "三": "table3", "四": "table4"}


# ---------------------------------------------------------------------------------------
# The template: gip_cells.tsv


@dataclass(frozen=True)
class Cell:
    """One cell of the template, as `gip_cells.tsv` lists it."""

    layout: str
    table: str  # 二 | 三 | 四
    row_no: int
    row_label_path: str
    column: str
    id: str
    unit: str  # count | yuan
    note: str
    catalogue: str  # the catalogue indicator this cell also means, or ""

    @property
    def label(self) -> str:
        """The row's own printed label: the last part of its label path."""
        return self.row_label_path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class TemplateRow:
    """One data row of a table: its label and its cells in column order."""

    table: str
    number: int  # data row within the table, as gip_cells.tsv numbers it
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Template:
    """Every cell of every layout, and the rows each table has in each layout."""

    cells: tuple[Cell, ...]

    def ids(self) -> tuple[str, ...]:
        """Catalogue order: file order, each id at its first appearance."""
        return tuple(dict.fromkeys(c.id for c in self.cells))

    def units(self) -> dict[str, str]:
        return {c.id: c.unit for c in self.cells}

    def rows(self, table: str, layout: str) -> tuple[TemplateRow, ...]:
        """The data rows of `table` in `layout` (2021; 2019 for table 二's trial layout;
        `23` for the 23-row table 三, whose （六） is one row)."""
        return _rows(self, table, layout)

    def layout_ids(self, layout: str) -> frozenset[str]:
        """The ids a report of `layout` can state (tables 二, 三 and 四)."""
        table2 = "2019" if layout == "2019" else "2021"
        table3 = "2021" if layout == "2021" else "23"
        return frozenset(
            c.id
            for table, shape in (("二", table2), ("三", table3), ("四", "2021"))
            for row in self.rows(table, shape)
            for c in row.cells
        )


@lru_cache(maxsize=16)
def _rows(template: Template, table: str, layout: str) -> tuple[TemplateRow, ...]:
    def grouped(cells) -> list[TemplateRow]:
        out: dict[int, list[Cell]] = {}
        for cell in cells:
            out.setdefault(cell.row_no, []).append(cell)
        return [TemplateRow(table, n, cs[0].label, tuple(cs)) for n, cs in out.items()]

    full = [c for c in template.cells if c.layout == "2021" and c.table == table]
    if table == "二" and layout == "2019":
        return tuple(grouped(c for c in template.cells if c.layout == "2019" and c.table == "二"))
    if table == "三" and layout == "23":
        collapsed = grouped(c for c in template.cells if c.layout == "2019" and c.table == "三")
        rows = grouped(full)
        return tuple([r for r in rows if r.number <= 20] + collapsed + [r for r in rows if r.number >= 24])
    return tuple(grouped(full))


def read_template(path: Path) -> tuple[Template | None, list[str]]:
    """Parse and validate a cells file; return the template (if usable) and its problems."""
    from .catalogue import CATALOGUE

    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"cannot be read ({exc})"]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, [])
    if tuple(header) != CELL_COLUMNS:
        return None, [f"line 1: the columns must be {', '.join(CELL_COLUMNS)}"]
    cells: list[Cell] = []
    seen: set[tuple[str, str]] = set()
    for number, values in enumerate(reader, start=2):
        if len(values) != len(CELL_COLUMNS):
            problems.append(f"line {number}: {len(values)} columns, expected {len(CELL_COLUMNS)}")
            continue
        row = dict(zip(CELL_COLUMNS, values, strict=True))
        where = f"line {number}"
        if row["layout"] not in ("2021", "2019"):
            problems.append(f"{where}: layout must be 2021 or 2019, not {row['layout']!r}")
        if row["table"] not in TABLE_NAMES:
            problems.append(f"{where}: table must be 二, 三 or 四, not {row['table']!r}")
        if not row["row_no"].isdigit():
            problems.append(f"{where}: row_no must be a whole number")
            continue
        if not re.fullmatch(r"gip\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", row["id"]):
            problems.append(f"{where}: id {row['id']!r} must be gip.<row>.<column>")
        if row["unit"] not in UNITS:
            problems.append(f"{where}: unit must be one of {', '.join(UNITS)}, not {row['unit']!r}")
        if (row["layout"], row["id"]) in seen:
            problems.append(f"{where}: id {row['id']} twice in layout {row['layout']}")
        seen.add((row["layout"], row["id"]))
        if row["catalogue"] and CATALOGUE.get(row["catalogue"]) != row["unit"]:
            problems.append(f"{where}: catalogue {row['catalogue']!r} is not a catalogue {row['unit']} id")
        fields: dict[str, Any] = {**row, "row_no": int(row["row_no"])}
        cells.append(Cell(**fields))
    if not cells:
        problems.append("no cells")
    return (Template(tuple(cells)) if not problems else None), problems


def builtin_cells_path() -> Path:
    from .packs import builtin_pack_dir

    return builtin_pack_dir() / CELLS_FILE


@lru_cache(maxsize=4)
def load_template(path: str = "") -> Template:
    """The template of `path` (default: the built-in gip_cells.tsv); PackError if invalid."""
    where = Path(path) if path else builtin_cells_path()
    template, problems = read_template(where)
    if template is None:
        raise PackError("\n".join(f"{where}: {p}" for p in problems))
    return template


# ---------------------------------------------------------------------------------------
# Text: furniture masked, headings, compact view

# Whitespace, including the ideographic space and no-break space of web pages and Word.
_WS = " \t\r\n\f\v\u3000\xa0\u200b\ufeff"
_PAGE_MARK = r"(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)"
_FURNITURE = re.compile(rf"\f[ \t]*{_PAGE_MARK}?|^[ \t\u3000]*{_PAGE_MARK}[ \t\u3000]*$", re.M)
_BARE_PAGE = re.compile(r"\f[ \t]*(\d{1,4})(?=[ \t]*(?:\r?\n|$))")

_FOLD: dict[int, str] = {i: chr(i - 0xFEE0) for i in range(0xFF01, 0xFF5F)}
_FOLD.update({ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'", ord("〔"): "(", ord("〕"): ")"})
_FOLD_TABLE = str.maketrans(_FOLD)
_SKIP = frozenset(_WS + "|")


def fold(text: str) -> str:
    """Full-width forms to half-width, curly quotes to straight ones (one char each)."""
    return text.translate(_FOLD_TABLE)


def _masked(text: str) -> str:
    """The text with page furniture blanked out (same length, same line breaks):
    `\\f- 5 -`, a `- 5 -` or `第5页` line, and a bare page number after a page break
    where most pages start with one."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "

    for m in _FURNITURE.finditer(text):
        blank(m.start(), m.end())
    pages = text.count("\f") + 1
    bare = [m for k, m in enumerate(_BARE_PAGE.finditer(text)) if abs(int(m.group(1)) - (k + 2)) <= 2]
    if pages >= 3 and len(bare) >= max(2, int((pages - 1) * 0.6 + 0.5)):
        for m in bare:
            blank(m.start(), m.end())
    return "".join(chars)


@dataclass(frozen=True)
class _Compact:
    """A span of the text without whitespace, `|` and furniture, folded; `at[i]` is
    the offset in the text of compact character i."""

    text: str
    at: tuple[int, ...]

    def start(self, i: int) -> int:
        return self.at[i]

    def end(self, j: int) -> int:
        """The text offset just after compact characters ..j (exclusive end j)."""
        return self.at[j - 1] + 1


def _compact(work: str, start: int, end: int) -> _Compact:
    chars: list[str] = []
    at: list[int] = []
    for i in range(start, end):
        ch = work[i]
        if ch in _SKIP:
            continue
        chars.append(ch)
        at.append(i)
    return _Compact(fold("".join(chars)), tuple(at))


_ORDINAL = "一二三四五六七八九十"
_HEADING = re.compile(rf"^[ \t\u3000]*[{_ORDINAL}]{{1,3}}[、.．，,][^\n。]{{2,40}}$", re.M)
# Section -> what its heading must hold (all words of one alternative).
_SECTIONS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("一", (("总体情况",),)),
    ("二", (("主动公开政府信息情况",), ("主动公开政府信息",))),
    ("三", (("收到和处理政府信息公开申请情况",), ("收到和处理政府信息公开申请",))),
    ("四", (("行政复议、行政诉讼情况",), ("行政复议,行政诉讼情况",), ("被申请行政复议", "提起行政诉讼"))),
    ("五", (("存在的主要问题",),)),
    ("六", (("其他需要报告的事项",),)),
)


@dataclass(frozen=True)
class Heading:
    section: str  # 一 … 六, by key phrase
    start: int  # the heading line's start and end in the text
    end: int


def headings(work: str) -> list[Heading]:
    """Section headings by their key phrase (a short line, no 。, ordinal + 、)."""
    found: list[Heading] = []
    for m in _HEADING.finditer(work):
        line = fold(re.sub(f"[{_WS}]", "", m.group(0))).replace(",", "、")
        if line.startswith("四、结转下年度"):
            continue  # table 三's last row, not a heading
        for section, alternatives in _SECTIONS:
            if any(all(fold(w).replace(",", "、") in line for w in words) for words in alternatives):
                found.append(Heading(section, m.start(), m.end()))
                break
    return found


# ---------------------------------------------------------------------------------------
# Tokens: the cells between two labels


@dataclass(frozen=True)
class Token:
    """One cell: a number, an empty cell (kind blank) or a cell that states nothing
    (kind nil: `/`, `—`, `无`)."""

    kind: str  # number | blank | nil
    start: int
    end: int
    number: str = ""  # the digits, half-width, without grouping commas
    unit: str = ""  # 元 / 万元 printed in the cell


_NIL = frozenset({"/", "／", "-", "－", "—", "——", "–", "―", "无", "\\"})
_CHUNK = re.compile(r"(?:[（(][^）)\n]*[）)]?|[^\s（(|\u3000\xa0])+")
_CELL_NUMBER = re.compile(
    r"(?P<lead>[\u3400-\u9fff]*?)"
    r"(?P<num>[-−－]?(?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?)"
    r"(?P<unit>万元|元|件|个|项)?"
    r"(?P<note>[（(][^）)]*[）)]?)?"
)


def _chunk_tokens(work: str, start: int, end: int) -> list[Token]:
    tokens: list[Token] = []
    for m in _CHUNK.finditer(work, start, end):
        chunk = m.group(0)
        if chunk in _NIL:
            tokens.append(Token("nil", m.start(), m.end()))
            continue
        c = _CELL_NUMBER.fullmatch(chunk)
        if c is None or c.group("lead").endswith("第"):
            continue  # text: a header fragment, a group label, a note
        number = fold(c.group("num")).replace(",", "").replace("−", "-")
        unit = c.group("unit") if c.group("unit") in ("元", "万元") else ""
        tokens.append(Token("number", m.start() + c.start("num"), m.end(), number, unit))
    return tokens


def _line_tokens(work: str, start: int, end: int, head: bool, tail: bool) -> list[Token]:
    """The cells on one line (work[start:end]). `head`: the line holds the row label
    before `start`; `tail`: the next row label follows `end` on this line. Neither
    kind of part line is an empty cell by itself."""
    line = work[start:end]
    stripped = line.strip(_WS)
    if "|" not in line:
        if not stripped:
            return [] if head or tail else [Token("blank", start, start)]
        return _chunk_tokens(work, start, end)
    if stripped == "|" and not head and not tail:
        return [Token("blank", start + line.index("|"), start + line.index("|"))]
    pieces: list[tuple[int, int]] = []
    at = start
    for part in line.split("|"):
        pieces.append((at, at + len(part)))
        at += len(part) + 1
    if head or stripped.startswith("|"):
        pieces = pieces[1:]
    if tail or stripped.endswith("|"):
        pieces = pieces[:-1]
    tokens: list[Token] = []
    for a, b in pieces:
        if not work[a:b].strip(_WS):
            tokens.append(Token("blank", a, a))
        else:
            tokens.extend(_chunk_tokens(work, a, b))
    return tokens


def tokens_between(work: str, start: int, end: int, head: bool = True, tail: bool = True) -> list[Token]:
    """The cells in work[start:end]: its first line continues a label's line (`head`),
    its last line is the start of the next label's line (`tail`)."""
    tokens: list[Token] = []
    lines = work[start:end].split("\n")
    at = start
    for k, line in enumerate(lines):
        if k and _another_row(line):
            break  # a delimited row of its own (a label the template lacks): not our cells
        tokens.extend(_line_tokens(work, at, at + len(line), head and k == 0, tail and k == len(lines) - 1))
        at += len(line) + 1
    return tokens


_HAN = re.compile(r"[\u3400-\u9fff]")


def _another_row(line: str) -> bool:
    """A `|`-delimited line whose first cell is text: another row's label."""
    if "|" not in line:
        return False
    first = next((piece for piece in line.split("|") if piece.strip(_WS)), "")
    return bool(_HAN.search(first))


# ---------------------------------------------------------------------------------------
# Labels


_PREFIX = re.compile(rf"^(?:([{_ORDINAL}]+)、|（([{_ORDINAL}]+)）|(\d+)\.)")
# Printed instead of the template's words (gip.md §4): 规范性文件 for 行政规范性文件.
ALIASES = {"行政规范性文件": ("规范性文件",)}


@dataclass(frozen=True)
class _Label:
    regexes: tuple[re.Pattern[str], ...]  # exact, then aliases
    number: str  # the sub-row number (1. / 1、), or ""
    folded: str  # the label folded, for the close-spelling test


@lru_cache(maxsize=512)
def _label(label: str) -> _Label:
    m = _PREFIX.match(label)
    body = label[m.end() :] if m else label
    if m and m.group(1):
        prefix = rf"{m.group(1)}[、.,]"
    elif m and m.group(2):
        prefix = rf"\({m.group(2)}\)"
    elif m:
        prefix = rf"{m.group(3)}[.、,]"
    else:
        prefix = ""
    # Short bodies (总计, 其他, 重复申请) need their ordinal; long ones are unambiguous.
    optional = "?" if prefix and len(body) >= 6 else ""
    regexes = []
    for text in (body, *ALIASES.get(body, ())):
        folded = fold(text)
        key, paren, rest = folded.partition("(")
        tail = f"(?:{re.escape(paren + rest)})?" if paren else ""
        head = f"(?:{prefix}){optional}" if prefix else ""
        regexes.append(re.compile(head + re.escape(key) + tail))
    return _Label(tuple(regexes), m.group(3) if m and m.group(3) else "", fold(label))


def find_labels(compact: str, labels: list[str], start: int = 0) -> list[tuple[int, int] | None]:
    """Where each label is in `compact` (compact offsets), searched in order, each after
    the one before; a label not found exactly or by alias is accepted only between its
    found neighbours, with its own sub-row number and difflib ratio >= 0.8."""
    spans: list[tuple[int, int] | None] = []
    pos = start
    for label in labels:
        hit = None
        for rx in _label(label).regexes:
            m = rx.search(compact, pos)
            if m:
                hit = (m.start(), m.end())
                break
        spans.append(hit)
        if hit:
            pos = hit[1]
    for i, label in enumerate(labels):
        if spans[i] is not None or not _label(label).number:
            continue
        low = next((s[1] for s in reversed(spans[:i]) if s), start)
        high = next((s[0] for s in spans[i + 1 :] if s), len(compact))
        spans[i] = _close_spelling(compact, low, high, _label(label))
    return spans


def _close_spelling(compact: str, low: int, high: int, label: _Label) -> tuple[int, int] | None:
    best: tuple[float, int, int] | None = None
    for m in re.finditer(rf"{label.number}[.、,]", compact[low:high]):
        a = low + m.start()
        b = a + m.end() - m.start()
        while b < high and not compact[b].isdigit():
            b += 1
        candidate = compact[a:b]
        ratio = difflib.SequenceMatcher(None, candidate, label.folded).ratio()
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, a, b)
    if best is None:
        return None
    # Two close candidates cannot be told apart: accept none.
    return (best[1], best[2])


# ---------------------------------------------------------------------------------------
# Reading the tables


@dataclass(frozen=True)
class CellValue:
    """A stated cell: its template cell and where it stands."""

    cell: Cell
    value: Decimal
    raw_start: int
    raw_end: int
    label_start: int  # where the evidence starts (the row label, or 行政复议 in table 四)


@dataclass(frozen=True)
class Table:
    """A recognised table: its span in the text and the cells read from it."""

    name: str  # 二 | 三 | 四
    start: int
    end: int
    layout: str  # the table's own shape: 2021 / 2019 (二), 25 / 23 (三), 2021 (四)
    cells: tuple[CellValue, ...]


@dataclass(frozen=True)
class Reading:
    """What the reader found in one text."""

    tables: tuple[Table, ...] = ()
    layout: str = ""  # the report's layout (gip.md §4): 2021, 2021-other-collapsed, 2019
    warnings: tuple[tuple[str, bool], ...] = ()  # (message, concerns a catalogue cell)
    _spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    def covers(self, offset: int) -> bool:
        """True when `offset` lies inside a recognised table."""
        starts = [s for s, _ in self._spans]
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset < self._spans[k][1]


_WS_RUN = re.compile(f"[{_WS}|]+")
_QUICK = ("信息内容", "申请人情况", "未经复议直接起诉", "复议后起诉")


def read_tables(text: str, year: int | None = None, template: Template | None = None) -> Reading:
    """Tables 二, 三 and 四 of a GIP report in `text` (nothing for other reports)."""
    if not any(word in text for word in _QUICK) and not any(word in _WS_RUN.sub("", text) for word in _QUICK):
        return Reading()
    template = template or load_template()
    work = _masked(text)
    found = headings(work)
    tables: list[Table] = []
    warnings: list[tuple[str, bool]] = []
    for name, reader in (("二", _table2), ("三", _table3), ("四", _table4)):
        for k, heading in enumerate(found):
            if heading.section != name:
                continue
            end = next((h.start for h in found[k + 1 :] if h.section != name), len(work))
            table = reader(work, heading, end, template, warnings)
            if table is not None:
                tables.append(table)
                break
    if not tables:
        return Reading(warnings=tuple(warnings))
    shapes = {t.name: t.layout for t in tables}
    if shapes.get("二") == "2019":
        layout = "2019"
    elif shapes.get("三") == "23":
        recent = "二" in shapes or year is None or year > 2020
        layout = "2021-other-collapsed" if recent else "2019"
    else:
        layout = "2021"
    spans = tuple(sorted((t.start, t.end) for t in tables))
    return Reading(tuple(tables), layout, tuple(warnings), spans)


def _read_rows(
    work: str,
    compact: _Compact,
    rows: tuple[TemplateRow, ...],
    end: int,
    table: str,
    warnings: list[tuple[str, bool]],
    search_from: int = 0,
) -> list[CellValue]:
    labels = [row.label for row in rows]
    spans = find_labels(compact.text, labels, search_from)
    out: list[CellValue] = []
    found = [(i, s) for i, s in enumerate(spans) if s is not None]
    for k, (i, (a, b)) in enumerate(found):
        row = rows[i]
        gap_end = compact.start(found[k + 1][1][0]) if k + 1 < len(found) else end
        label_start, label_end = compact.start(a), compact.end(b)
        tokens = _trimmed(tokens_between(work, label_end, gap_end), len(row.cells))
        if not tokens:
            continue  # nothing printed at all: not stated
        if len(tokens) != len(row.cells):
            warnings.append(
                (
                    f"gip table {table} row {row.number}: {len(tokens)} cells, expected {len(row.cells)}",
                    any(c.catalogue for c in row.cells),
                )
            )
            continue
        for cell, token in zip(row.cells, tokens, strict=True):
            value = _value(cell, token, work, warnings)
            if value is not None:
                out.append(CellValue(cell, value, token.start, token.end, label_start))
    for i, s in enumerate(spans):
        if s is None:
            warnings.append(
                (f"gip table {table} row {rows[i].number}: label {rows[i].label} not found", False)
            )
    return out


def _value(cell: Cell, token: Token, work: str, warnings: list[tuple[str, bool]]) -> Decimal | None:
    """A cell's value (None: not stated). Amounts in 万元 are × 10000, exactly."""
    if token.kind != "number":
        return None
    negative = token.number.startswith("-")  # 2019's 本年增/减 may be negative
    try:
        value = parse_number(token.number.lstrip("-")).value
        value = -value if negative else value
    except NumberError:
        warnings.append(
            (f"gip {cell.id}: cannot read {work[token.start : token.end]!r}", bool(cell.catalogue))
        )
        return None
    if cell.unit == "yuan":
        if token.unit == "万元" or (not token.unit and "万元" in cell.column):
            value = value * 10000
        elif not token.unit and "元" not in cell.column:
            warnings.append((f"gip {cell.id}: no unit for {work[token.start : token.end]!r}", False))
            return None
        value = Decimal(format(value.normalize(), "f"))
    return value


def _table2(work: str, heading: Heading, end: int, template: Template, warnings) -> Table | None:
    compact = _compact(work, heading.end, end)
    if "信息内容" not in compact.text:
        return None
    if any(w in compact.text for w in ("本年新制作数量", "上一年项目数量", "本年增/减", "第二十条第(九)项")):
        shape = "2019"
    elif any(w in compact.text for w in ("本年制发件数", "现行有效件数", "本年收费金额")):
        shape = "2021"
    else:
        warnings.append(("gip table 二: layout not recognised (neither 2021 nor 2019 column headers)", True))
        return None
    rows = template.rows("二", shape)
    # The 2019 amount's unit may stand in its column header.
    if shape == "2019":
        unit = re.search(r"采购总金额(?:\((?:单位:)?(万元|元)\))?", compact.text)
        if unit and unit.group(1):
            rows = tuple(
                TemplateRow(
                    r.table, r.number, r.label, tuple(_with_header_unit(c, unit.group(1)) for c in r.cells)
                )
                for r in rows
            )
    cells = _read_rows(work, compact, rows, end, "二", warnings)
    return Table("二", heading.start, end, shape, tuple(cells))


def _with_header_unit(cell: Cell, unit: str) -> Cell:
    if cell.unit != "yuan":
        return cell
    from dataclasses import replace

    return replace(cell, column=f"{cell.column}（单位：{unit}）")


def _table3(work: str, heading: Heading, end: int, template: Template, warnings) -> Table | None:
    compact = _compact(work, heading.end, end)
    text = compact.text
    if "申请人情况" not in text or "新收政府信息公开申请" not in text or not re.search(r"\(七\)总计", text):
        return None
    shape = "25" if ("逾期不补正" in text or "逾期未按收费通知" in text) else "23"
    rows = template.rows("三", "2021" if shape == "25" else "23")
    header = text.find("申请人情况")
    cells = _read_rows(work, compact, rows, end, "三", warnings, search_from=header)
    return Table("三", heading.start, end, shape, tuple(cells))


# Characters of table 四's header fragments (结果维持 … 总计, 未经复议直接起诉, 复议后起诉).
_T4_HEADER = frozenset("行政复议诉讼结果维持纠正其他尚未审结总计经直接起后()")
T4_CELLS = 15


def _is_t4_header(words: str) -> bool:
    folded = fold(re.sub(f"[{_WS}|]", "", words))
    return bool(folded) and set(folded) <= _T4_HEADER


def _table4(work: str, heading: Heading, end: int, template: Template, warnings) -> Table | None:
    compact = _compact(work, heading.end, end)
    if "未经复议直接起诉" not in compact.text:
        return None
    first = compact.text.find("行政复议")
    if first < 0:
        return None
    evidence_start = compact.start(first)
    cells = template.rows("四", "2021")[0].cells
    table_end = _t4_end(work, evidence_start, end)
    tokens = _trimmed(_t4_tokens(work, evidence_start, table_end), len(cells))
    if not tokens:
        return Table("四", heading.start, table_end, "2021", ())
    last = max(t.end for t in tokens)
    if len(tokens) != len(cells):
        warnings.append((f"gip table 四: {len(tokens)} cells, expected {len(cells)}", False))
        return Table("四", heading.start, last, "2021", ())
    values = []
    for cell, token in zip(cells, tokens, strict=True):
        value = _value(cell, token, work, warnings)
        if value is not None:
            values.append(CellValue(cell, value, token.start, token.end, evidence_start))
    return Table("四", heading.start, last, "2021", tuple(values))


def _t4_end(work: str, start: int, end: int) -> int:
    """Where table 四 ends: at the first text after its values that is not a header
    fragment (prose, a note), else at `end`."""
    seen_value = False
    for m in _CHUNK.finditer(work, start, end):
        tokens = _chunk_tokens(work, m.start(), m.end())
        if tokens:
            lead = work[m.start() : tokens[0].start]
            if seen_value and lead and not _is_t4_header(lead):
                return _line_start(work, m.start())
            seen_value = True
        elif not _is_t4_header(m.group(0)) and seen_value:
            return _line_start(work, m.start())
    return end


def _line_start(work: str, at: int) -> int:
    return work.rfind("\n", 0, at) + 1


def _t4_tokens(work: str, start: int, end: int) -> list[Token]:
    """Table 四's cells after its header: three delimited rows of five, one delimited
    row of fifteen, or the cells after the last header fragment (a number glued to it
    included), empty lines and `|` cells counted."""
    lines: list[tuple[int, int]] = []
    at = start
    for line in work[start:end].split("\n"):
        lines.append((at, at + len(line)))
        at += len(line) + 1
    groups = []
    for a, b in lines:
        if "|" in work[a:b]:
            cells = _line_tokens(work, a, b, head=False, tail=False)
            if len(cells) >= 5 and any(t.kind == "number" for t in cells):
                groups.append(cells)
    if len(groups) == 1 and len(groups[0]) == T4_CELLS:
        return groups[0]
    if len(groups) == 3 and all(len(g) == 5 for g in groups):
        return [t for g in groups for t in g]
    last_header = -1
    for k, (a, b) in enumerate(lines):
        if _is_t4_header(re.sub(r"[0-9０-９]", "", work[a:b])):
            last_header = k
    out: list[Token] = []
    if last_header >= 0:
        a, b = lines[last_header]
        out.extend(_chunk_tokens(work, a, b))
    after = lines[last_header + 1 :]
    for k, (a, b) in enumerate(after):
        out.extend(_line_tokens(work, a, b, False, k == len(after) - 1))
    return out


def _trimmed(tokens: list[Token], expected: int) -> list[Token]:
    """Empty lines after a table's last cell are not cells: drop trailing empty cells
    beyond the count the template fixes."""
    tokens = list(tokens)
    while len(tokens) > expected and tokens[-1].kind == "blank":
        tokens.pop()
    return tokens


# ---------------------------------------------------------------------------------------
# Rows


def pattern_of(table: str, layout: str) -> str:
    return f"gip/{TABLE_NAMES[table]}/{layout}"


def layout_of_pattern(pattern: str) -> str | None:
    """The report layout a gip row's pattern names (gip/table3/2021 -> 2021)."""
    parts = pattern.split("/")
    return parts[2] if len(parts) >= 3 and parts[0] == PACK and parts[2] in LAYOUTS else None


def gip_rows(
    doc: str, path: str, text: str, info: DocumentFields, rows: list[Row], packs: tuple[str, ...]
) -> tuple[list[Row], list[Unreadable]]:
    """The pipeline's hook: `rows` (the prose packs') without those whose number lies in
    a recognised GIP table, merged in text order with the tables' own rows: every stated
    cell when the gip pack runs, and a catalogue cell's indicator when its pack runs.
    Also the warnings about cells that could not be placed (for the packs that run)."""
    reading = read_tables(text, info.year)
    selected = set(packs)
    warnings = [
        Unreadable("", -1, PACK, message)
        for message, catalogue in reading.warnings
        if PACK in selected or (catalogue and selected & _catalogue_packs())
    ]
    if not reading.tables:
        return rows, warnings
    kept = [row for row in rows if not reading.covers(row.raw_start if row.raw_start >= 0 else row.start)]
    made: list[Row] = []
    for table in reading.tables:
        pattern = pattern_of(table.name, reading.layout)
        for stated in table.cells:
            cell = stated.cell
            ids = [cell.id] if PACK in selected else []
            if cell.catalogue and family(cell.catalogue) in selected:
                ids.append(cell.catalogue)
            for ident in ids:
                made.append(
                    document_row(
                        doc,
                        path,
                        info,
                        text,
                        info.year,  # the tables are the report year's
                        ident,
                        stated.value,
                        cell.unit,
                        "exact",
                        (stated.raw_start, stated.raw_end),
                        (stated.label_start, stated.raw_end),
                        pattern,
                    )
                )
    made.sort(key=lambda row: row.raw_start)
    return list(heapq.merge(kept, made, key=lambda row: row.raw_start)), warnings


@lru_cache(maxsize=1)
def _catalogue_packs() -> frozenset[str]:
    return frozenset(family(c.catalogue) for c in load_template().cells if c.catalogue)
