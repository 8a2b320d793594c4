"""Output: write rows as they come, to stdout or a file, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Protocol

from .rows import COLUMNS, Row

FORMATS = ("csv", "jsonl")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class RowWriter(Protocol):
    def write(self, rows: Iterable[Row]) -> None: ...
    def close(self) -> None: ...


def format_for(output: str | None, requested: str | None) -> str:
    """The requested format, else the one -o's suffix names, else csv."""
    if requested:
        return requested
    if output and output != "-":
        for suffix, name in _SUFFIXES.items():
            if output.lower().endswith(suffix):
                return name
    return "csv"


class CsvWriter:
    """UTF-8 CSV with a header row; `excel=True` adds the byte-order mark Excel needs."""

    def __init__(self, stream: IO[str], excel: bool = False) -> None:
        if excel:
            stream.write("\ufeff")
        self._stream = stream
        self._writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        self._writer.writeheader()

    def write(self, rows: Iterable[Row]) -> None:
        self._writer.writerows(row.as_strings() for row in rows)

    def close(self) -> None:
        self._stream.flush()


class JsonLinesWriter:
    """One JSON object per row; `value` is a JSON number written exactly as stated."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, rows: Iterable[Row]) -> None:
        for row in rows:
            cells: dict[str, object] = dict(row.as_strings())
            cells["year"] = row.year
            cells["region"] = row.region
            cells["start"], cells["end"] = row.start, row.end
            line = json.dumps(cells, ensure_ascii=False)
            # json has no Decimal: put the exact digits in place of the quoted string.
            value = json.dumps(cells["value"], ensure_ascii=False)
            line = line.replace(f'"value": {value}', f'"value": {cells["value"]}', 1)
            self._stream.write(line + "\n")

    def close(self) -> None:
        self._stream.flush()


def writer_for(fmt: str, stream: IO[str], excel: bool = False) -> RowWriter:
    if fmt == "csv":
        return CsvWriter(stream, excel=excel)
    if fmt == "jsonl":
        return JsonLinesWriter(stream)
    raise ValueError(fmt)
