"""PDF reports: the text layer (pypdfium2), with the page furniture taken out and the
lines that page wrapping broke joined back together. No OCR: a scan is refused.

PDFium gives each page's text in reading order with a line break at every visual line.
This module uses the character boxes PDFium also gives to

- drop the gaps PDFium fills with generated spaces where Chinese meets digits or Latin
  letters (a word processor's CJK/Latin autospace: `政府 2020 年` -> `政府2020年`), and turn
  a gap wider than two characters into a line break, so table cells sit on lines of their
  own, as they do in the HTML and .docx readers;
- tell a line that runs to the right margin (the page wrapped it) from one that stops
  short (a paragraph's last line, a heading, a table cell): a full line that does not end
  a sentence is joined to the next when that one continues it (a Han character, a digit:
  `１２０７` + `７件`, punctuation), across page breaks too;
- drop running headers and footers (the same first or last line on most pages) and page
  numbers (`- 3 -`, `第3页`, `第 3 页 共 12 页`, `3/12`, a bare page number).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from . import CJK_RANGES, HAN

_CJK = re.compile(f"[{CJK_RANGES}\u201c\u201d\u2018\u2019]")  # with curly quotes
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\ufffe\uffff]")
# A line that ends a sentence (closing quotes and brackets after the stop are fine).
_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)》〉\]】]*$")
# A line that starts a new numbered item rather than continuing the last one.
_NEW_ITEM = re.compile(
    r"^([（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+[章节条部分])"
)
# What may continue a sentence at the start of the next line.
_CONTINUES = re.compile(
    r"^[《“‘（(「『〈【\u3400-\u9fff\uf900-\ufaff0-9０-９A-Za-zＡ-Ｚａ-ｚ"
    r"%％，,、。．.：:；;）)》〉”’」』】\]·\-—~～+＋×/]"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~～·•]\s*\d{1,4}\s*[-—–－~～·•]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|[-—–]?\s*[ivxlcIVXLC]{1,6}\s*[-—–]?)$"
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_DIGITS = re.compile(r"\d+")

# A gap wider than this many character widths between two glyphs on one line is a
# column (table cell) boundary; a generated space narrower than it is spacing only.
_COLUMN_GAP = 2.0
# A line whose right end is within this many character widths of the margin is full.
_FULL_SLACK = 1.5


@dataclass
class _Line:
    text: str
    right: float  # x of the right edge of its last glyph, in points
    cells: bool  # held a column gap: a table row, never joined to the next line
    em: float = 10.0  # the page's character width
    full: bool = False


def read_pdf(data: bytes, source: str) -> str:
    """The text layer of a PDF as plain text, or InputError saying why there is none."""
    import pypdfium2 as pdfium

    head = data[:1024].lstrip()
    if b"%PDF-" not in head:
        if head[:1] == b"<":
            raise InputError(source, "not a PDF file (it holds HTML or XML)")
        raise InputError(source, "not a PDF file")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(source, "not a readable PDF (truncated or damaged)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise InputError(source, "encrypted PDF (needs a password)") from None
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_SECURITY:
            raise InputError(source, "encrypted PDF (unsupported security handler)") from None
        raise InputError(source, "not a readable PDF (truncated or damaged)") from None
    try:
        pages = []
        drawn = 0  # page objects (images, paths, text): none at all means damaged or blank
        for index in range(len(document)):
            page = document[index]
            drawn += pdfium.raw.FPDFPage_CountObjects(page.raw)
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage, pdfium.raw))
            textpage.close()
            page.close()
    except pdfium.PdfiumError:
        raise InputError(source, "not a readable PDF (truncated or damaged)") from None
    finally:
        document.close()
    if not any(line.text.strip() for page in pages for line in page):
        if drawn == 0:
            raise InputError(source, "not a readable PDF (damaged, or every page is blank)")
        raise InputError(source, "no text layer (scanned PDF?)")
    return lines_to_text(pages)


def _page_lines(textpage, raw) -> list[_Line]:
    """One page's lines, with spacing gaps dropped and column gaps made line breaks."""
    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        # Characters outside the BMP make text and box indices disagree: fall back to
        # plain lines (no geometry), each its own line.
        return [_Line(_CONTROL.sub("", t).strip(), 0.0, True) for t in re.split(r"\r\n|\r|\n", text)]
    lines: list[_Line] = []
    start = 0
    em = _em(textpage, text)
    for match in re.finditer(r"\r\n|\r|\n|$", text):
        end = match.start()
        if end > start or match.group():
            lines.extend(_split_line(textpage, raw, text, start, end, em))
        start = match.end()
        if not match.group():
            break
    return lines


def _em(textpage, text: str) -> float:
    """The page's typical Han character width (its font size), from a sample."""
    widths = []
    for index, char in enumerate(text):
        if HAN.match(char):
            left, _, right, _ = textpage.get_charbox(index)
            if right > left:
                widths.append(right - left)
            if len(widths) >= 60:
                break
    if not widths:
        return 6.0
    widths.sort()
    return widths[len(widths) // 2]


def _split_line(textpage, raw, text: str, start: int, end: int, em: float) -> list[_Line]:
    """Characters start..end of the page text (one visual line) as one or more lines."""
    pieces: list[str] = []
    parts: list[tuple[str, float]] = []
    last_right = 0.0
    index = start
    while index < end:
        char = text[index]
        if char in " \t\xa0\u3000":
            following = index + 1
            while following < end and text[following] in " \t\xa0\u3000":
                following += 1
            if following < end and pieces:
                gap = textpage.get_charbox(following)[0] - last_right
                generated = all(
                    raw.FPDFText_IsGenerated(textpage.raw, i) == 1 for i in range(index, following)
                )
                if gap > _COLUMN_GAP * em:
                    parts.append(("".join(pieces).strip(), last_right))
                    pieces = []
                elif not generated:
                    pieces.append(text[index:following])
                elif not (_CJK.match(pieces[-1][-1:] or " ") or _CJK.match(text[following])):
                    pieces.append(" ")
                # else: a word processor's spacing between Chinese and Latin: no character
            index = following
            continue
        if not _CONTROL.match(char):
            pieces.append(char)
            if index == end - 1 or text[index + 1] in " \t\xa0\u3000\r\n":
                last_right = textpage.get_charbox(index)[2]
        index += 1
    cells = bool(parts)
    if pieces or not parts:
        parts.append(("".join(pieces).strip(), last_right))
    return [_Line(part, right, cells, em) for part, right in parts]


def _margin(pages: list[list[_Line]]) -> float:
    """The right margin of the body text: a high percentile of long lines' right ends."""
    rights = sorted(line.right for page in pages for line in page if len(line.text) >= 10 and not line.cells)
    if not rights:
        return float("inf")
    return rights[int(len(rights) * 0.9)] if len(rights) >= 10 else rights[-1]


def _furniture(lines_by_page: list[list[str]]) -> tuple[set[str], set[str]]:
    """Running headers and footers: the same first (last) line, digits aside, on most
    pages of a document of two or more pages."""
    if len(lines_by_page) < 2:
        return set(), set()
    firsts: Counter[str] = Counter()
    lasts: Counter[str] = Counter()
    for lines in lines_by_page:
        texts = [t for t in lines if t]
        if texts:
            firsts[_DIGITS.sub("#", texts[0])] += 1
            lasts[_DIGITS.sub("#", texts[-1])] += 1
    need = max(2, int(len(lines_by_page) * 0.6 + 0.5))
    heads = {key for key, count in firsts.items() if count >= need}
    feet = {key for key, count in lasts.items() if count >= need}
    return heads, feet


def _strip_page(
    lines: list[_Line],
    heads: set[str],
    feet: set[str],
    page_number: int,
    first_page: bool,
    bare: bool = True,
) -> list[_Line]:
    body = [line for line in lines if line.text]
    # Footers and page numbers at the bottom (up to two lines), then at the top.
    for _ in range(2):
        if body and _is_furniture(body[-1].text, feet, page_number, bare):
            body.pop()
    for _ in range(2):
        if not body or not _is_furniture(body[0].text, heads, page_number, bare):
            break
        if (
            first_page
            and _DIGITS.sub("#", body[0].text) in heads
            and not any(line.text == body[0].text for line in body[1:4])
        ):
            break  # on page 1 a running header may be the title itself: keep it once
        body.pop(0)
    return body


def _is_furniture(text: str, repeated: set[str], page_number: int, bare: bool = True) -> bool:
    compact = text.strip()
    if _PAGE_NUMBER.match(compact):
        return True
    if bare and _BARE_NUMBER.match(compact) and abs(int(compact) - page_number) <= 2:
        return True
    return _DIGITS.sub("#", compact) in repeated


def _bare_page_numbers(pages: list[list[_Line]]) -> bool:
    """Whether most pages carry a bare page number (`3`) as their first or last line.
    Only then is such a line page furniture: elsewhere it is a table cell that ends a
    page (the 总计 of a row that closes page 3 reads `3`)."""
    if len(pages) < 2:
        return True
    carrying = 0
    for number, page in enumerate(pages, start=1):
        texts = [line.text.strip() for line in page if line.text.strip()]
        ends = texts[:1] + texts[-1:]
        if any(_BARE_NUMBER.match(t) and abs(int(t) - number) <= 2 for t in ends):
            carrying += 1
    return carrying >= max(2, int(len(pages) * 0.6 + 0.5))


def lines_to_text(pages: list[list[_Line]]) -> str:
    """Pages of lines to one text: furniture dropped, wrapped lines joined."""
    heads, feet = _furniture([[line.text for line in page] for page in pages])
    bare = _bare_page_numbers(pages)
    margin = _margin(pages)
    body: list[_Line] = []
    for number, page in enumerate(pages, start=1):
        for line in _strip_page(page, heads, feet, number, number == 1, bare):
            line.full = not line.cells and line.right >= margin - _FULL_SLACK * line.em
            body.append(line)
    return join_lines(body)


def join_lines(lines: list[_Line]) -> str:
    """Join each full line that does not end a sentence to a next line that continues it."""
    out: list[str] = []
    current = ""
    joinable = False
    for line in lines:
        text = line.text
        if current and joinable and _CONTINUES.match(text) and not _NEW_ITEM.match(text):
            current += " " + text if _both_latin(current[-1], text[0]) else text
        else:
            if current:
                out.append(current)
            current = text
        joinable = line.full and not line.cells and not _SENTENCE_END.search(text)
    if current:
        out.append(current)
    return "\n".join(out) + ("\n" if out else "")


def _both_latin(left: str, right: str) -> bool:
    return left.isascii() and right.isascii() and left.isalpha() and right.isalpha()
