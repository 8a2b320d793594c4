"""The library API: what a notebook user calls, and what the CLI is a thin layer over."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import Any, Union

from .load import DEFAULT_MAX_BYTES, Document, expand_paths
from .pipeline import matcher_for, process, run
from .rows import Row
from .table import rows_to_frame

PathLike = Union[str, "os.PathLike[str]"]


def _names(value: PathLike | Iterable[PathLike] | None) -> tuple[str, ...]:
    """One name or path, or several, as strings (`Path`s and other path-likes too)."""
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (os.fspath(value),)
    return tuple(os.fspath(v) for v in value)


def extract_text(
    text: str,
    doc: str = "text",
    path: str = "",
    packs: str | Iterable[str] | None = None,
    patterns: PathLike | Iterable[PathLike] | None = None,
) -> list[Row]:
    """Rows for one text already in memory; offsets index into `text` itself.

    `packs` limits extraction to some packs (default all); `patterns` names extra pack
    folders, whose packs replace built-in packs of the same file name.
    """
    matcher = matcher_for(_names(packs), _names(patterns))
    _, rows, _ = process(Document(doc, path, text), matcher)
    return rows


def extract_frame(
    frame: Any,
    text_column: str = "text",
    doc_column: str = "doc",
    packs: str | Iterable[str] | None = None,
    patterns: PathLike | Iterable[PathLike] | None = None,
) -> Any:
    """The long table for a DataFrame of texts (`doc` and `text` columns by default).

    Made to map over the partitions of a distributed DataFrame: with Dask,
    `ddf.map_partitions(rm.extract_frame, meta=rm.extract_frame(ddf._meta))`; with
    PySpark, `df.mapInPandas(lambda frames: map(rm.extract_frame, frames), schema)`.
    Empty or missing texts give no rows.
    """
    matcher = matcher_for(_names(packs), _names(patterns))
    rows: list[Row] = []
    docs = frame[doc_column] if doc_column in frame else frame.index.astype(str)
    for doc, text in zip(docs, frame[text_column], strict=True):
        if isinstance(text, str) and text.strip():
            rows.extend(process(Document(str(doc), "", text), matcher)[1])
    return rows_to_frame(rows)


def extract(
    paths: PathLike | Iterable[PathLike],
    packs: str | Iterable[str] | None = None,
    patterns: PathLike | Iterable[PathLike] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
) -> Any:
    """Read reports (files, folders, globs) and return the long table as a DataFrame.

    `paths` is one path or several, each a `str` or a `pathlib.Path` (any `os.PathLike`).

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
