"""reportmetrics: numbers out of Chinese government reports, each with its evidence.

import reportmetrics as rm
df = rm.extract(["reports/"])                 # pandas DataFrame, one row per mention
rows = rm.extract_text(text, doc="huadu_2020")
rm.parse_number("3万余")                       # Number(value=Decimal('30000'), ...)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, MatchTimeout, NumberError, PackError, ReportMetricsError

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "MatchTimeout",
    "Number",
    "NumberError",
    "PackError",
    "ReportMetricsError",
    "Row",
    "__version__",
    "extract",
    "extract_frame",
    "extract_text",
    "parquet_schema",
    "parse_number",
]

# The heavier modules load on first use, so `reportmetrics --help` starts fast.
_LAZY = {
    "extract": "api",
    "extract_frame": "api",
    "extract_text": "api",
    "parse_number": "numbers",
    "Number": "numbers",
    "Row": "rows",
    "parquet_schema": "table",
}

if TYPE_CHECKING:
    from .api import extract, extract_frame, extract_text
    from .numbers import Number, parse_number
    from .rows import Row
    from .table import parquet_schema


def __dir__() -> list[str]:
    """The public API, lazy names included, for tab completion and `help()`."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
