"""Table: rows as a pandas DataFrame (pandas is imported only here, when needed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .rows import COLUMNS, Row


def rows_to_frame(rows: Iterable[Row]) -> Any:
    """A DataFrame with the long table's columns. `value` holds exact `Decimal`s
    (object dtype): convert with `.astype(float)` only where rounding is acceptable."""
    import pandas as pd

    records = [tuple(getattr(row, c) for c in COLUMNS) for row in rows]
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["period"] = frame["period"].astype("Int64")
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    return frame


PARQUET_SCALE = 6
_INTEGERS = {"year": "int32", "period": "int32", "mentions": "int32", "start": "int64", "end": "int64"}


def parquet_schema(columns: Sequence[str] = COLUMNS, wide: bool = False) -> Any:
    """The Arrow schema Parquet output uses: `value` (and, with `wide`, each indicator
    column) as decimal(38, 6), years and offsets as integers, the rest as strings.

    Pass it to a distributed writer so that values stay exact decimals, whatever the
    first partition holds: `rows.to_parquet("metrics/", schema=rm.parquet_schema(),
    write_index=False)` with Dask."""
    import pyarrow as pa

    decimal = pa.decimal128(38, PARQUET_SCALE)
    fields = []
    for column in columns:
        if column == "value" or (wide and "." in column):
            kind = decimal
        elif column in _INTEGERS:
            kind = pa.type_for_alias(_INTEGERS[column])
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.schema(fields)
