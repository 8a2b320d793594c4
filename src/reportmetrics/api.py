"""The library API: what a notebook user calls, and what the CLI is a thin layer over."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from .load import DEFAULT_MAX_BYTES, Document, expand_paths
from .pipeline import matcher_for, process, run
from .rows import Row
from .table import rows_to_frame


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def extract_text(
    text: str,
    doc: str = "text",
    path: str = "",
    packs: str | Iterable[str] | None = None,
    patterns: str | Iterable[str] | None = None,
) -> list[Row]:
    """Rows for one text already in memory; offsets index into `text` itself.

    `packs` limits extraction to some packs (default all); `patterns` names extra pack
    folders, whose packs replace built-in packs of the same file name.
    """
    matcher = matcher_for(_names(packs), _names(patterns))
    _, rows, _ = process(Document(doc, path, text), matcher)
    return rows


def extract(
    paths: str | Iterable[str],
    packs: str | Iterable[str] | None = None,
    patterns: str | Iterable[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
) -> Any:
    """Read reports (files, folders, globs) and return the long table as a DataFrame.

    An input that cannot be read is skipped with a warning; the messages are also kept
    in `frame.attrs["errors"]`.
    """
    sources = expand_paths(list(_names(paths))).sources
    rows: list[Row] = []
    errors: list[str] = []
    for result in run(sources, _names(packs), _names(patterns), max_bytes, jobs):
        if result.error is not None:
            errors.append(str(result.error))
            warnings.warn(str(result.error), stacklevel=2)
        rows.extend(result.rows)
    frame = rows_to_frame(rows)
    frame.attrs["errors"] = errors
    return frame
