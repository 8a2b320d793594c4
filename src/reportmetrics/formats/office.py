"""Formats the tool does not read, each refused with one line that says how to convert.

No well-kept pure-Python library reads them well: the .doc readers on PyPI wrap the
antiword binary or are young one-person projects, WPS files are .doc-like OLE files, and
the OFD readers (easyofd, ofdparser) are unmaintained or little used. A file whose bytes
show it is really another kind (a .doc that is a .docx or an HTML page, as government
sites often serve) is read as that kind.
"""

from __future__ import annotations

from ..errors import InputError


def _sniffed(data: bytes, source: str) -> str | None:
    """Read a mislabelled file as what it is, or None."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK") and b"word/" in data[:65536]:
        from .docx import read_docx

        return read_docx(data, source)
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        from .html import read_html

        return read_html(data, source)
    return None


def read_doc(data: bytes, source: str) -> str:
    text = _sniffed(data, source)
    if text is not None:
        return text
    if data.lstrip().startswith(b"{\\rtf"):
        raise InputError(
            source,
            "RTF document (saved as .doc) is not read; convert it with "
            "`libreoffice --headless --convert-to docx FILE`",
        )
    raise InputError(
        source,
        "Word 97-2003 .doc is not read; convert it with `libreoffice --headless --convert-to docx FILE`",
    )


def read_wps(data: bytes, source: str) -> str:
    text = _sniffed(data, source)
    if text is not None:
        return text
    raise InputError(
        source,
        "WPS Writer .wps is not read; save it as .docx in WPS Office, or convert it with "
        "`libreoffice --headless --convert-to docx FILE`",
    )


def read_ofd(data: bytes, source: str) -> str:
    raise InputError(
        source,
        "OFD is not read; export it to PDF with an OFD reader (the issuing platform's reader, "
        "or Suwell/Foxit OFD Reader) and read the PDF",
    )
