"""Table: rows as a pandas DataFrame (pandas is imported only here, when needed)."""

from __future__ import annotations

from collections.abc import Iterable
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
