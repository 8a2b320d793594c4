"""Output: write results as they come, to stdout or a file.

Long formats (one row per mention): CSV (default), JSON Lines, Excel (.xlsx) and
Parquet. `--wide` writes one row per document read instead, in any of them. Values stay
exact everywhere: CSV and JSON Lines write the digits as stated, Excel stores numbers,
Parquet a decimal(38, 6) column.

Files are written whole or not at all (`atomic.AtomicFile`). Spreadsheets are safe to
open: every text cell of an .xlsx is a string, never a formula, and the CSV meant for
Excel (`--excel`) puts a `'` before text that Excel would read as a formula (OWASP's
advice); plain CSV stays raw, as csvkit and pandas write it. Excel's limits lose
nothing: text over 32,767 characters continues in the sheet `overflow`, and rows past
1,048,576 continue in a sheet `rows 2` (then `rows 3`, ...), each with a warning.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import IO, Any, Protocol

from . import console
from .atomic import AtomicFile
from .catalogue import CATALOGUE, family
from .dictionary import COLUMNS as DICTIONARY_COLUMNS
from .errors import ReportMetricsError
from .pipeline import Result
from .rows import COLUMNS, Row, format_decimal
from .table import PARQUET_SCALE, parquet_schema

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".parquet": "parquet"}
WIDE_FIXED = ("doc", "path", "region", "adcode", "agency", "year")
WIDE_TAIL = ("mentions", "notes")


class Writer(Protocol):
    def add(self, result: Result) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...  # stop: the destination is left as it was


def renderer_for(fmt: str, wide: bool = False, excel: bool = False) -> Callable[[Result], str] | None:
    """The function that formats a Result's rows ahead of time, where the document is
    processed (in pipeline.run's workers), for the writers that take text so made."""
    if fmt != "csv" or wide:
        return None
    return render_excel_csv_rows if excel else render_csv_rows


def format_for(output: str | None, requested: str | None) -> str:
    """The requested format, else the one -o's suffix names, else csv."""
    if requested:
        return requested
    if output and output != "-":
        for suffix, name in _SUFFIXES.items():
            if output.lower().endswith(suffix):
                return name
    return "csv"


def wide_indicators(
    packs: Sequence[str], pattern_dirs: Sequence[str] = (), own: Sequence[str] = ()
) -> list[str]:
    """The wide table's indicator columns: catalogue ids of the selected packs (all packs
    when none is named) in catalogue order; then the ids of each named table pack (gip:
    one per cell, in its cells file's order); then `own` (the indicators of a user's own
    packs, in their order) of the selected packs."""
    ids = [i for i in CATALOGUE if not packs or family(i) in packs]
    if packs:
        from .packs import load_packs

        tables = [p for p in load_packs(tuple(packs), tuple(pattern_dirs)) if p.kind == "table"]
        ids += [ind.id for p in tables for ind in p.indicators if ind.id not in CATALOGUE]
    return ids + [i for i in own if i not in ids and (not packs or family(i) in packs)]


def open_writer(
    fmt: str,
    output: str | None,
    *,
    excel: bool = False,
    wide: bool = False,
    indicators: Sequence[str] = (),
    dictionary: Sequence[Sequence[str]] = (),
) -> Writer:
    """A writer for `fmt` to `output` (a path, or stdout for None or `-`). `dictionary`
    (rows of id, Chinese name, unit, meaning) becomes a sheet of its own in `.xlsx`."""
    columns = (*WIDE_FIXED, *indicators, *WIDE_TAIL) if wide else COLUMNS
    records = _wide_records(indicators) if wide else _long_records
    if fmt not in FORMATS:
        raise ReportMetricsError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    render = renderer_for(fmt, wide, excel)
    if render is not None:
        # The common case, kept lean: each row's cells straight from its fields.
        return _LongCsvWriter(_CsvSink(_TextTarget(output), columns, excel), render)
    if fmt in ("csv", "jsonl"):
        target = _TextTarget(output)
        sink: _Sink = _CsvSink(target, columns, excel) if fmt == "csv" else _JsonSink(target, columns)
    elif fmt == "xlsx":
        sink = _XlsxSink(output, columns, dictionary)
    else:
        sink = _ParquetSink(output, columns, wide)
    return _RecordWriter(sink, records)


# ---------------------------------------------------------------- records


def _long_records(result: Result) -> list[dict[str, Any]]:
    return [row_record(row) for row in result.rows]


def row_record(row: Row) -> dict[str, Any]:
    """A long-table row as typed cells: Decimal value, int year and offsets."""
    return dict(zip(COLUMNS, _ROW_CELLS(row), strict=True))


def _wide_records(indicators: Sequence[str]):
    wanted = set(indicators)

    def records(result: Result) -> list[dict[str, Any]]:
        if result.error is not None:
            return []  # not read: reported on stderr, no row
        fields = result.fields
        record: dict[str, Any] = {
            "doc": result.doc,
            "path": result.source.path,
            "region": fields.region if fields else None,
            "adcode": fields.adcode if fields else None,
            "agency": fields.agency if fields else None,
            "year": fields.year if fields else None,
        }
        notes = []
        for row in result.rows:
            shown = f"{row.indicator} {format_decimal(row.value)}"
            if row.indicator not in wanted:  # an indicator of the user's own packs
                notes.append(f"{shown} {row.qualifier} ({row.raw}), no column")
            elif row.period != record["year"]:  # a figure for another year, or for several
                period = row.period if row.period is not None else "no single year"
                notes.append(f"{shown} {row.qualifier} for {period} at {row.start} ({row.evidence})")
            elif record.get(row.indicator) is None:
                record[row.indicator] = row.value
                if row.qualifier != "exact":
                    notes.append(f"{shown} {row.qualifier} ({row.raw})")
            else:
                notes.append(f"{shown} {row.qualifier} also at {row.start} ({row.evidence})")
        record["mentions"] = len(result.rows)
        record["notes"] = "; ".join(notes)
        return [record]

    return records


# ---------------------------------------------------------------- sinks


class _Sink(Protocol):
    def write(self, records: list[dict[str, Any]]) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


_ROW_CELLS = attrgetter(*COLUMNS)
_VALUE_CELL = COLUMNS.index("value")


class _LongCsvWriter:
    def __init__(self, sink: _CsvSink, render: Callable[[Result], str]) -> None:
        self._sink = sink
        self._render = render

    def add(self, result: Result) -> None:
        rendered = result.rendered if result.rendered is not None else self._render(result)
        self._sink.write_text(rendered)

    def close(self) -> None:
        self._sink.close()

    def abort(self) -> None:
        self._sink.abort()


def render_csv_rows(result: Result) -> str:
    """A result's rows as the CSV lines the long table writes for them (no header)."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(map(_long_cells, result.rows))
    return text.getvalue()


def render_excel_csv_rows(result: Result) -> str:
    """As render_csv_rows, with text cells Excel would take for a formula defused."""
    text = io.StringIO()
    rows = (
        [excel_text(c) if k != _VALUE_CELL else c for k, c in enumerate(_long_cells(row))]
        for row in result.rows
    )
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_text(value: Any) -> Any:
    """A text cell as a CSV for Excel must hold it: with a leading `'` when it starts
    with `= + - @`, a tab or a carriage return, which Excel would read as a formula
    (OWASP's advice). Anything else (numbers, None) as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _long_cells(row: Row) -> list[Any]:
    """A row's CSV cells: the csv module writes None as an empty cell and ints as
    digits, as _cell does; the value keeps its digits as stated."""
    cells = list(_ROW_CELLS(row))
    cells[_VALUE_CELL] = format_decimal(cells[_VALUE_CELL])
    return cells


class _RecordWriter:
    def __init__(self, sink: _Sink, records) -> None:
        self._sink = sink
        self._records = records

    def add(self, result: Result) -> None:
        records = self._records(result)
        if records:
            self._sink.write(records)

    def close(self) -> None:
        self._sink.close()

    def abort(self) -> None:
        self._sink.abort()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


class _TextTarget:
    """stdout, or a file written atomically (opened now, renamed into place at close)."""

    def __init__(self, output: str | None) -> None:
        self._file: AtomicFile | None = None
        if output is None or output == "-":
            self.stream: IO[str] = sys.stdout
            return
        self._file = AtomicFile(output)
        self.stream = open(self._file.fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close/abort)

    def close(self) -> None:
        self.stream.flush()
        if self._file is not None:
            try:
                self.stream.close()
            except OSError as exc:
                self._file.abort()
                raise ReportMetricsError(f"{self._file.path}: cannot write ({exc.strerror})") from None
            self._file.commit()

    def abort(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self.stream.close()
            self._file.abort()


class _CsvSink:
    """UTF-8 CSV with a header row; `excel` adds the byte-order mark Excel needs and
    defuses text cells Excel would read as formulas."""

    def __init__(self, target: _TextTarget, columns: Sequence[str], excel: bool) -> None:
        stream = target.stream
        if excel:
            stream.write("\ufeff")
        self._target = target
        self._stream = stream
        self._writer = csv.writer(stream, lineterminator="\n")
        self._columns = columns
        self._excel = excel
        self._writer.writerow(columns)

    def write(self, records: list[dict[str, Any]]) -> None:
        if self._excel:
            cells = ([_cell(excel_text(r.get(c))) for c in self._columns] for r in records)
        else:
            cells = ([_cell(r.get(c)) for c in self._columns] for r in records)
        self._writer.writerows(cells)

    def write_text(self, lines: str) -> None:
        self._stream.write(lines)

    def close(self) -> None:
        self._target.close()

    def abort(self) -> None:
        self._target.abort()


class _JsonSink:
    """One JSON object per line, every column present; numbers with their exact digits."""

    def __init__(self, target: _TextTarget, columns: Sequence[str]) -> None:
        self._target = target
        self._stream = target.stream
        self._columns = columns

    def write(self, records: list[dict[str, Any]]) -> None:
        lines = (_json_line({c: r.get(c) for c in self._columns}) for r in records)
        self._stream.write("".join(line + "\n" for line in lines))

    def close(self) -> None:
        self._target.close()

    def abort(self) -> None:
        self._target.abort()


def _json_line(record: dict[str, Any]) -> str:
    """The record as JSON, each Decimal written as a JSON number with its digits exactly
    as stated (30000, 4.30): json has no Decimal, and going through float would write
    30000.0 and 4.3. Each is dumped as a string, then its quotes are taken off."""
    exact = {k: format_decimal(v) for k, v in record.items() if isinstance(v, Decimal)}
    line = json.dumps({k: exact.get(k, v) for k, v in record.items()}, ensure_ascii=False)
    for key, digits in exact.items():
        quoted = f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(digits)}"
        line = line.replace(quoted, quoted[: -len(digits) - 2] + digits, 1)
    return line


def _binary_target(output: str | None, fmt: str) -> tuple[Any, AtomicFile | None]:
    """Where a binary format goes: stdout's buffer, or the path of an atomic file's
    temporary (opened now, so that a bad destination fails before any work)."""
    if output is None or output == "-":
        if sys.stdout.isatty():
            raise ReportMetricsError(f"{fmt} is binary: give a file with -o, or redirect stdout")
        return sys.stdout.buffer, None
    file = AtomicFile(output)
    os.close(file.fd)
    return file.temporary, file


# Excel's limits: characters in a cell, rows in a sheet. Text over the first continues
# in the `overflow` sheet; rows past the second continue in a sheet `rows 2`, ...
XLSX_MAX_CELL = 32_767
XLSX_MAX_ROWS = 1_048_576
# What openpyxl refuses in a cell (XML 1.0 forbids it): shown as \xNN instead.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _XlsxSink:
    """A streamed workbook: frozen header row, sensible widths, numbers as numbers, text
    as strings (never formulas), Excel's cell and row limits kept without loss."""

    def __init__(
        self, output: str | None, columns: Sequence[str], dictionary: Sequence[Sequence[str]] = ()
    ) -> None:
        from openpyxl import Workbook

        self._output = output or "stdout"
        self._target, self._file = _binary_target(output, "xlsx")
        self._book = Workbook(write_only=True)
        self._columns = columns
        self._sheets = 0
        self._overflow: Any = None
        self._dictionary = dictionary
        self._new_sheet()

    def _new_sheet(self) -> None:
        from openpyxl.utils import get_column_letter

        self._sheets += 1
        self._sheet = self._book.create_sheet("rows" if self._sheets == 1 else f"rows {self._sheets}")
        self._sheet.freeze_panes = "A2"
        for index, column in enumerate(self._columns, 1):
            self._sheet.column_dimensions[get_column_letter(index)].width = _xlsx_width(column)
        self._sheet.append(list(self._columns))
        self._rows = 1

    def write(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            if self._rows == XLSX_MAX_ROWS:
                self._new_sheet()
                console.warning(
                    f"{self._output}: more than {XLSX_MAX_ROWS - 1:,} rows, Excel's limit for one sheet: "
                    f"the rows go on in sheet {self._sheet.title!r}"
                )
            self._rows += 1
            self._sheet.append([self._xlsx_cell(record, c) for c in self._columns])

    def _xlsx_cell(self, record: dict[str, Any], column: str) -> Any:
        """A cell's value, or for text that needs it a cell made a string explicitly
        (openpyxl takes any text starting with `=` for a formula)."""
        from openpyxl.cell import WriteOnlyCell

        value = record.get(column)
        if not isinstance(value, str):
            return value
        if _XLSX_ILLEGAL.search(value):
            value = _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
        if len(value) > XLSX_MAX_CELL:
            value = self._overflowing(record, column, value)
        elif not value.startswith("="):
            return value
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def _overflowing(self, record: dict[str, Any], column: str, value: str) -> str:
        """Text too long for one cell: its first part stays, saying where the rest
        is; the whole text goes, in cell-sized parts, to the `overflow` sheet."""
        from openpyxl.cell import WriteOnlyCell

        if self._overflow is None:
            self._overflow = self._book.create_sheet("overflow")
            self._overflow.append(["sheet", "row", "column", "doc", "part", "text"])
            self._overflow_rows = 1
        first = self._overflow_rows + 1
        for part, start in enumerate(range(0, len(value), XLSX_MAX_CELL), 1):
            piece = WriteOnlyCell(self._overflow, value=value[start : start + XLSX_MAX_CELL])
            piece.data_type = "s"
            self._overflow.append([self._sheet.title, self._rows, column, record.get("doc"), part, piece])
            self._overflow_rows += 1
        console.warning(
            f"{self._output}: {record.get('doc')}: {column} has {len(value):,} characters, over Excel's "
            f"{XLSX_MAX_CELL:,} per cell: the whole text is in sheet 'overflow' from row {first}"
        )
        note = f" … [{len(value):,} characters: the whole text is in sheet overflow from row {first}]"
        return value[: XLSX_MAX_CELL - len(note)] + note

    def abort(self) -> None:
        # Finish openpyxl's half-written sheets (and remove their own temporary files),
        # or they complain when collected.
        for sheet in self._book.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()
                sheet._writer.cleanup()
        if self._file is not None:
            self._file.abort()

    def _add_dictionary(self) -> None:
        """The data dictionary sheet: what each indicator id means."""
        from openpyxl.utils import get_column_letter

        sheet = self._book.create_sheet("indicators")
        sheet.freeze_panes = "A2"
        for index, width in enumerate((40, 22, 9, 48), 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append(list(DICTIONARY_COLUMNS))
        for entry in self._dictionary:
            sheet.append(list(entry))

    def close(self) -> None:
        if self._dictionary:
            self._add_dictionary()
        try:
            if self._file is not None:
                self._book.save(self._target)
                self._file.commit()
                return
            # To a pipe, the workbook is finished before any byte is sent: a reader
            # that goes away (| head) then interrupts a plain copy, not openpyxl's
            # half-written sheet (which would complain at exit).
            with tempfile.SpooledTemporaryFile(max_size=64 << 20) as finished:
                self._book.save(finished)
                finished.seek(0)
                shutil.copyfileobj(finished, self._target)
        except BrokenPipeError:
            raise  # the reader went away (| head): the CLI ends quietly
        except OSError as exc:
            self.abort()
            raise ReportMetricsError(f"{self._output}: cannot write ({exc.strerror})") from None


_XLSX_WIDTHS = {"evidence": 60, "path": 30, "indicator": 38, "pattern": 36, "notes": 60, "raw": 12}


def _xlsx_width(column: str) -> float:
    if column in _XLSX_WIDTHS:
        return _XLSX_WIDTHS[column]
    if "." in column:  # a wide table's indicator column
        return max(12, len(column) * 0.9)
    return 12


class _ParquetSink:
    """Parquet in row groups as results arrive; `value` columns are decimal(38, 6)."""

    def __init__(self, output: str | None, columns: Sequence[str], wide: bool) -> None:
        import pyarrow as pa

        self._pa = pa
        self._schema = parquet_schema(columns, wide)
        self._output = output or "stdout"
        self._target, self._file = _binary_target(output, "parquet")
        self._writer: Any = None
        self._pending: list[dict[str, Any]] = []

    def write(self, records: list[dict[str, Any]]) -> None:
        self._pending.extend(records)
        if len(self._pending) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        import pyarrow.parquet as pq

        if self._writer is None:
            self._writer = pq.ParquetWriter(self._target, self._schema)
        columns = {
            field.name: [_parquet_cell(r.get(field.name), field.type) for r in self._pending]
            for field in self._schema
        }
        self._writer.write_table(self._pa.table(columns, schema=self._schema))
        self._pending = []

    def close(self) -> None:
        try:
            self._flush()
            self._writer.close()
        except OSError as exc:
            self.abort()
            raise ReportMetricsError(f"{self._output}: cannot write ({exc.strerror or exc})") from None
        except BaseException:
            self.abort()
            raise
        if self._file is not None:
            self._file.commit()

    def abort(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        if self._file is not None:
            self._file.abort()


def _parquet_cell(value: Any, kind: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > PARQUET_SCALE:
            raise ReportMetricsError(
                f"value {value} has more than {PARQUET_SCALE} decimals; write csv or jsonl"
            )
        return value
    if str(kind) == "string":
        return str(value)
    return value
