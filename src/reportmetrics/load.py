"""Load: turn paths (files, folders, globs, `-`) into decoded documents.

Each input becomes a `Document` (its name, its path and its plain text with `\\n` line
ends) or an `InputError` that names it. Text files: decoding never guesses silently:
UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, GB18030 for
GBK/GB2312, and whatever charset-normalizer is confident of; anything else is refused.
Web pages, PDFs and Word files go to their readers in `formats/`; a Parquet or JSON
Lines corpus gives one document per row.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .bounds import check_expansion
from .decode import clean_text, decode_text
from .errors import InputError

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
STDIN = "-"

# Readers turn a file's bytes into plain text; the suffix picks the reader.
Reader = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Document:
    """One report as the tool sees it: its name, where it came from, its plain text."""

    doc: str
    path: str
    text: str


@dataclass(frozen=True)
class Source:
    """One input to read: a path as given or found (or `-` for stdin)."""

    path: str
    name: str | None = None  # the doc id, where the file's stem alone is not unique in the run

    @property
    def doc(self) -> str:
        if self.name is not None:
            return self.name
        if self.path == STDIN:
            return "stdin"
        return _stem(os.path.basename(self.path.rstrip("/\\")))


def _stem(name: str) -> str:
    stem, _, _ = name.rpartition(".")
    return stem or name


def unique_docs(sources: list[Source]) -> list[Source]:
    """Sources whose doc ids are unique: where two share a stem, each id keeps the
    folders that tell them apart (2022/anyuan.txt, 2023/anyuan.htm -> 2022/anyuan,
    2023/anyuan)."""
    by_doc: dict[str, list[int]] = {}
    for k, source in enumerate(sources):
        by_doc.setdefault(source.doc, []).append(k)
    named = list(sources)
    for indices in by_doc.values():
        if len(indices) < 2:
            continue
        parts = {k: [*Path(sources[k].path).parent.parts, sources[k].doc] for k in indices}
        longest = max(len(p) for p in parts.values())
        for depth in range(2, longest + 1):
            ids = {k: "/".join(p[-depth:]) for k, p in parts.items()}
            if len(set(ids.values())) == len(ids) or depth == longest:
                break
        for k in indices:
            named[k] = Source(sources[k].path, ids[k])
    return named


@dataclass(frozen=True)
class CorpusColumns:
    """Where a corpus file (.parquet, .jsonl: one report per row) keeps each report."""

    text: str = "text"
    id: str = "doc"


CORPUS_SUFFIXES = (".parquet", ".jsonl", ".ndjson")


def is_corpus(path: str) -> bool:
    return path.lower().endswith(CORPUS_SUFFIXES)


@dataclass(frozen=True)
class Expansion:
    """What a list of command-line paths expands to."""

    sources: tuple[Source, ...]
    skipped: int  # files in folders whose kind the tool does not read
    not_regular: int = 0  # FIFOs, sockets and devices in folders: never opened


def _lazy(module: str, function: str) -> Reader:
    """A reader that imports its format module (and that module's libraries) on first use."""

    def read(data: bytes, source: str) -> str:
        from importlib import import_module

        return getattr(import_module(f"reportmetrics.formats.{module}"), function)(data, source)

    read.__name__ = function
    return read


READERS: dict[str, Reader] = {
    ".txt": decode_text,
    ".text": decode_text,
    ".html": _lazy("html", "read_html"),
    ".htm": _lazy("html", "read_html"),
    ".shtml": _lazy("html", "read_html"),
    ".pdf": _lazy("pdf", "read_pdf"),
    ".docx": _lazy("docx", "read_docx"),
    ".doc": _lazy("office", "read_doc"),
    ".wps": _lazy("office", "read_wps"),
    ".ofd": _lazy("office", "read_ofd"),
}


def reader_for(path: str) -> Reader:
    """The reader for a path's suffix; plain text for anything unknown."""
    return READERS.get(Path(path).suffix.lower(), decode_text)


def expand_paths(paths: list[str]) -> Expansion:
    """Files as named, folders searched recursively (known kinds only), globs expanded.
    A missing path is kept: reading it reports the error in its place in the batch."""
    sources: list[Source] = []
    skipped = not_regular = 0
    for given in paths:
        if given == STDIN:
            sources.append(Source(STDIN))
        elif os.path.isdir(given):
            found, left_out, special = _walk(given)
            sources.extend(found)
            skipped, not_regular = skipped + left_out, not_regular + special
        elif not os.path.exists(given) and glob.has_magic(given):
            for match in sorted(glob.glob(given, recursive=True)):
                if os.path.isdir(match):
                    found, left_out, special = _walk(match)
                    sources.extend(found)
                    skipped, not_regular = skipped + left_out, not_regular + special
                elif _is_regular(match):
                    sources.append(Source(match))
                else:
                    not_regular += 1
        else:
            sources.append(Source(given))  # named by the user: read as named (a pipe too)
    return Expansion(tuple(unique_docs(sources)), skipped, not_regular)


def _is_regular(path: str) -> bool:
    """A regular file (or a link to one): never a FIFO, whose reading would wait for a
    writer forever, nor a socket or a device."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # gone or unreadable: reading it reports the error in its place


def _walk(folder: str) -> tuple[list[Source], int, int]:
    found: list[Source] = []
    skipped = not_regular = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if Path(name).suffix.lower() not in READERS:
                skipped += 1
            elif not _is_regular(path):
                not_regular += 1
            else:
                found.append(Source(path))
    return found, skipped, not_regular


def read_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and decode one source, or raise InputError naming it."""
    data = _read_bytes(source.path, max_bytes)
    if not data.strip():
        raise InputError(_display(source.path), "empty file")
    check_expansion(data, _display(source.path), max_bytes)
    text = reader_for(source.path)(data, _display(source.path))
    if not text.strip():
        raise InputError(_display(source.path), "holds no text")
    return Document(source.doc, source.path, text)


def _display(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def _read_bytes(path: str, max_bytes: int) -> bytes:
    if path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            size = os.path.getsize(path)
            if size > max_bytes:
                raise InputError(path, f"{size} bytes is over --max-bytes ({max_bytes})")
            with open(path, "rb") as handle:
                # Sized to the file (asking for max_bytes would allocate that much for
                # every file), and then whatever it grew by, up to the limit.
                data = handle.read(size + 1)
                if len(data) > size:
                    data += handle.read(max_bytes + 1 - len(data))
        except FileNotFoundError:
            raise InputError(path, "no such file or folder") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder") from None
        except PermissionError:
            raise InputError(path, "permission denied") from None
        except OSError as exc:
            raise InputError(path, exc.strerror or "cannot be read") from None
    if len(data) > max_bytes:
        raise InputError(_display(path), f"over --max-bytes ({max_bytes} bytes)")
    return data


def iter_corpus(source: Source, columns: CorpusColumns = CorpusColumns()) -> Iterator[Document | InputError]:
    """The reports in a corpus file, one per row: doc from the id column (else
    `name:row`), text from the text column. A bad row is an error naming file and row."""
    path = source.path
    if not os.path.exists(path):
        yield InputError(path, "no such file or folder")
        return
    stem = source.doc
    rows = _parquet_rows(path, columns) if path.lower().endswith(".parquet") else _jsonl_rows(path)
    try:
        for number, row in rows:
            where = f"{path}:{number}"
            if isinstance(row, InputError):
                yield row
                continue
            text = row.get(columns.text)
            if not isinstance(text, str) or not text.strip():
                problem = f"no text in column {columns.text!r}" if text is None else "empty text"
                yield InputError(where, problem)
                continue
            ident = row.get(columns.id)
            doc = str(ident) if ident is not None else f"{stem}:{number}"
            yield Document(doc, path, clean_text(text))
    except InputError as error:
        yield error


def _jsonl_rows(path: str) -> Iterator[tuple[int, dict | InputError]]:
    """(line number, row) for each line that is not blank."""
    import json

    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, InputError(f"{path}:{number}", f"not a JSON object ({exc.msg})")
                    continue
                if not isinstance(row, dict):
                    row = InputError(f"{path}:{number}", "not a JSON object")
                yield number, row
    except UnicodeDecodeError:
        raise InputError(path, "a JSON Lines corpus must be UTF-8") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None


def _parquet_rows(path: str, columns: CorpusColumns) -> Iterator[tuple[int, dict]]:
    """(row number, row), counting from 1."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, "reading Parquet needs pyarrow (pip install pyarrow)") from None
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
        if columns.text not in names:
            raise InputError(path, f"no column {columns.text!r} (columns: {', '.join(names)})")
        wanted = [c for c in (columns.text, columns.id) if c in names]
        number = 0
        for batch in table.iter_batches(columns=wanted, batch_size=256):
            for row in batch.to_pylist():
                number += 1
                yield number, row
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise InputError(path, f"not a readable Parquet file ({exc})") from None
