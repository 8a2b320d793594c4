"""Bounds on what a compressed input may expand to, checked before any reader parses it.

`--max-bytes` limits the bytes read from disk; a zip package (.docx) or a PDF holds
compressed parts that a reader would inflate in memory, so a 1 MB file could become
gigabytes. Here, before the reader sees the file:

- a zip package is refused when its parts together expand beyond an eighth of the
  limit (`ZIP_SHARE`: parsing Word's XML takes up to 15 times its size in memory, so the
  default 200 MB allows 25 MB of XML, some thousands of pages, and about 400 MB), or when a
  large part expands more than `MAX_RATIO` times (no real document compresses so well;
  zip bombs do). The sizes come from the zip's own directory, and Python's zipfile never
  inflates a part beyond the size stated there, so no part is inflated to check;
- a PDF is refused when one of its compressed streams (a page's content, most often)
  inflates beyond the limit: each Flate stream is inflated in small pieces that are
  counted and thrown away (through a second layer of Flate too), so the check holds at
  most a few hundred kilobytes whatever the stream holds.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from .errors import InputError

# A part larger than this that expands more than MAX_RATIO times its compressed size
# is refused. Word's XML parts expand 5 to 20 times; deflate's ceiling is about 1,030.
MAX_RATIO = 100
ZIP_SHARE = 8  # a zip package's parts may expand to max_bytes / ZIP_SHARE
RATIO_FLOOR = 4 * 1024 * 1024
_CHUNK = 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def check_expansion(data: bytes, source: str, max_bytes: int) -> None:
    """Raise InputError when `data` (a zip package or a PDF) would expand beyond
    `max_bytes` or as only a bomb does; other data passes unlooked at."""
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, source, max_bytes)
    elif b"%PDF-" in data[:1024]:
        check_pdf(data, source, max_bytes)


def size_text(size: int) -> str:
    """A size as people read it: 1.1 GB, 350 MB, 12 kB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}" if size < 10 * scale else f"{size // scale} {unit}"
    return f"{size} bytes"


def check_zip(data: bytes, source: str, max_bytes: int) -> None:
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not readable as a zip: the reader says so in its own words
    total = sum(part.file_size for part in parts)
    limit = max_bytes // ZIP_SHARE
    if total > limit:
        raise InputError(
            source,
            f"expands to {size_text(total)}, over the {size_text(limit)} a zip package may expand to "
            f"(--max-bytes / {ZIP_SHARE}); not read",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(
                source,
                f"part {part.filename} expands {ratio:,.0f} times to {size_text(part.file_size)} "
                f"(a zip bomb?); not read",
            )


def check_pdf(data: bytes, source: str, max_bytes: int) -> None:
    for match in _STREAM.finditer(data):
        start = match.end()
        if not _zlib_header(data[start : start + 2]):  # not Flate: nothing inflates
            continue
        end = data.find(b"endstream", start)
        size = _inflated_size(data, start, len(data) if end < 0 else end, max_bytes)
        if size > max_bytes:
            raise InputError(
                source,
                f"a compressed stream expands to over {size_text(max_bytes)} (--max-bytes); not read",
            )


def _inflated_size(data: bytes, start: int, end: int, limit: int) -> int:
    """How many bytes data[start:end] inflates to, counting up to just past `limit`
    (through a second layer of Flate when the first gives zlib data again)."""
    outer = zlib.decompressobj()
    inner = None
    first = True
    size = 0
    view = memoryview(data)
    for offset in range(start, end, _CHUNK):
        pending = bytes(view[offset : min(offset + _CHUNK, end)])
        while pending:
            try:
                piece = outer.decompress(pending, _CHUNK)
            except zlib.error:
                return size  # not (or no longer) Flate: what the reader makes of it
            pending = outer.unconsumed_tail
            if first and piece:
                first = False
                if _zlib_header(piece):
                    inner = zlib.decompressobj()
            if inner is not None:
                size += _count_inner(inner, piece)
            size += len(piece)
            if size > limit:
                return size
        if outer.eof:
            break
    return size


def _count_inner(inner, piece: bytes) -> int:
    count = 0
    try:
        out = inner.decompress(piece, _CHUNK)
        count += len(out)
        while inner.unconsumed_tail:
            out = inner.decompress(inner.unconsumed_tail, _CHUNK)
            count += len(out)
            if not out:
                break
    except zlib.error:
        return count
    return count


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
