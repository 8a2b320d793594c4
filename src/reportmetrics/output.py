"""Output: write results as they come, to stdout or a file.

Long formats (one row per mention): CSV (default), JSON Lines, Excel (.xlsx) and
Parquet. `--wide` writes one row per document read instead, in any of them. Values stay
exact everywhere: CSV and JSON Lines write the digits as stated, Excel stores numbers,
Parquet a decimal(38, 6) column.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import IO, Any, Protocol

from .catalogue import CATALOGUE, family
from .errors import ReportMetricsError
from .pipeline import Result
from .rows import COLUMNS, Row, format_decimal

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".parquet": "parquet"}
PARQUET_SCALE = 6
WIDE_FIXED = ("doc", "path", "region", "adcode", "agency", "year")
WIDE_TAIL = ("mentions", "notes")


class Writer(Protocol):
    def add(self, result: Result) -> None: ...
    def close(self) -> None: ...


def renderer_for(fmt: str, wide: bool = False) -> Callable[[Result], str] | None:
    """The function that formats a Result's rows ahead of time, where the document is
    processed (in pipeline.run's workers), for the writers that take text so made."""
    return render_csv_rows if fmt == "csv" and not wide else None


def format_for(output: str | None, requested: str | None) -> str:
    """The requested format, else the one -o's suffix names, else csv."""
    if requested:
        return requested
    if output and output != "-":
        for suffix, name in _SUFFIXES.items():
            if output.lower().endswith(suffix):
                return name
    return "csv"


def wide_indicators(packs: Sequence[str]) -> list[str]:
    """Catalogue ids of the selected packs (all packs when none is named), in order."""
    return [i for i in CATALOGUE if not packs or family(i) in packs]


def open_writer(
    fmt: str,
    output: str | None,
    *,
    excel: bool = False,
    wide: bool = False,
    indicators: Sequence[str] = (),
) -> Writer:
    """A writer for `fmt` to `output` (a path, or stdout for None or `-`)."""
    columns = (*WIDE_FIXED, *indicators, *WIDE_TAIL) if wide else COLUMNS
    records = _wide_records(indicators) if wide else _long_records
    if renderer_for(fmt, wide) is not None:
        # The common case, kept lean: each row's cells straight from its fields.
        return _LongCsvWriter(_CsvSink(_text_stream(output), columns, excel))
    if fmt in ("csv", "jsonl"):
        stream = _text_stream(output)
        sink: _Sink = _CsvSink(stream, columns, excel) if fmt == "csv" else _JsonSink(stream, columns)
    elif fmt == "xlsx":
        sink = _XlsxSink(output, columns)
    elif fmt == "parquet":
        sink = _ParquetSink(output, columns, wide)
    else:
        raise ReportMetricsError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
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


_ROW_CELLS = attrgetter(*COLUMNS)
_VALUE_CELL = COLUMNS.index("value")


class _LongCsvWriter:
    def __init__(self, sink: _CsvSink) -> None:
        self._sink = sink

    def add(self, result: Result) -> None:
        rendered = result.rendered if result.rendered is not None else render_csv_rows(result)
        self._sink.write_text(rendered)

    def close(self) -> None:
        self._sink.close()


def render_csv_rows(result: Result) -> str:
    """A result's rows as the CSV lines the long table writes for them (no header)."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(map(_long_cells, result.rows))
    return text.getvalue()


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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _text_stream(output: str | None) -> IO[str]:
    if output is None or output == "-":
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportMetricsError(f"{output}: cannot write ({exc.strerror})") from None


def _close_text_stream(stream: IO[str]) -> None:
    stream.flush()
    if stream is not sys.stdout:
        stream.close()


class _CsvSink:
    """UTF-8 CSV with a header row; `excel` adds the byte-order mark Excel needs."""

    def __init__(self, stream: IO[str], columns: Sequence[str], excel: bool) -> None:
        if excel:
            stream.write("\ufeff")
        self._stream = stream
        self._writer = csv.writer(stream, lineterminator="\n")
        self._columns = columns
        self._writer.writerow(columns)

    def write(self, records: list[dict[str, Any]]) -> None:
        self._writer.writerows([_cell(r.get(c)) for c in self._columns] for r in records)

    def write_text(self, lines: str) -> None:
        self._stream.write(lines)

    def close(self) -> None:
        _close_text_stream(self._stream)


class _JsonSink:
    """One JSON object per line, every column present; numbers with their exact digits."""

    def __init__(self, stream: IO[str], columns: Sequence[str]) -> None:
        self._stream = stream
        self._columns = columns

    def write(self, records: list[dict[str, Any]]) -> None:
        lines = (_json_line({c: r.get(c) for c in self._columns}) for r in records)
        self._stream.write("".join(line + "\n" for line in lines))

    def close(self) -> None:
        _close_text_stream(self._stream)


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


def _binary_target(output: str | None, fmt: str) -> Any:
    if output is None or output == "-":
        if sys.stdout.isatty():
            raise ReportMetricsError(f"{fmt} is binary: give a file with -o, or redirect stdout")
        return sys.stdout.buffer
    return output


class _XlsxSink:
    """A streamed workbook: frozen header row, sensible widths, numbers as numbers."""

    def __init__(self, output: str | None, columns: Sequence[str]) -> None:
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        self._target = _binary_target(output, "xlsx")
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("rows")
        self._sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, 1):
            self._sheet.column_dimensions[get_column_letter(index)].width = _xlsx_width(column)
        self._columns = columns
        self._sheet.append(list(columns))

    def write(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self._sheet.append([record.get(c) for c in self._columns])

    def close(self) -> None:
        try:
            if isinstance(self._target, str):
                self._book.save(self._target)
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
            raise ReportMetricsError(f"{self._target}: cannot write ({exc.strerror})") from None


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
        decimal = pa.decimal128(38, PARQUET_SCALE)
        types = {
            "year": pa.int32(),
            "period": pa.int32(),
            "start": pa.int64(),
            "end": pa.int64(),
            "value": decimal,
            "mentions": pa.int32(),
        }
        fields = []
        for column in columns:
            kind = types.get(column, decimal if wide and "." in column else pa.string())
            fields.append(pa.field(column, kind))
        self._schema = pa.schema(fields)
        self._target = _binary_target(output, "parquet")
        self._writer = None
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
        self._flush()
        self._writer.close()


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
