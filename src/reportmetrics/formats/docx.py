"""Word 2007+ (.docx) reports: paragraphs and table cells in reading order.

The body's block items are walked in document order, so a table comes where it stands
between paragraphs; each table cell is its own line (a merged cell once), nested tables
and content controls are read where they are. Headers, footers and comments are not
report text and are left out.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, source: str) -> str:
    """The text of a .docx file's body, one line per paragraph and per table cell."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            source,
            "not a .docx file (a Word 97-2003 document or an encrypted .docx); convert it with "
            "`libreoffice --headless --convert-to docx FILE`, after removing any password",
        )
    if not data.startswith(b"PK"):
        raise InputError(source, "not a readable .docx file (not a zip package)")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _blocks(document.element.body, document, lines)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, EOFError) as exc:
        raise InputError(source, f"not a readable .docx file (damaged: {_reason(exc)})") from None
    except Exception as exc:  # lxml syntax errors and the like from a damaged part
        if type(exc).__module__.startswith(("lxml", "docx", "zipfile")):
            raise InputError(source, f"not a readable .docx file (damaged: {_reason(exc)})") from None
        raise
    return "\n".join(lines) + ("\n" if lines else "")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _blocks(container, parent, lines: list[str]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            _add(lines, Paragraph(child, parent).text)
        elif tag == f"{_W}tbl":
            _table(Table(child, parent), lines)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _blocks(content, parent, lines)
        elif tag in (f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            _blocks(child, parent, lines)


def _table(table, lines: list[str]) -> None:
    from .html import EMPTY_CELL, empty_cells_kept

    seen = set()  # the cells' elements, kept alive so that identity is safe
    for row in table.rows:
        start = len(lines)
        for cell in row.cells:
            if cell._tc in seen:
                continue  # a merged cell repeats in every grid position it spans
            seen.add(cell._tc)
            before = len(lines)
            _blocks(cell._tc, cell, lines)
            if len(lines) == before:
                lines.append(EMPTY_CELL)
        # An empty cell of a row that holds a number is an empty line (it keeps its column).
        lines[start:] = empty_cells_kept(lines[start:])


def _add(lines: list[str], text: str) -> None:
    for part in text.replace("\r", "\n").split("\n"):
        part = part.strip(" \t\u3000\xa0")
        if part:
            lines.append(part)
