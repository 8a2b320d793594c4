"""HTML pages from government sites: the report's own text, one line per paragraph and
per table cell, without the page around it.

Decoding respects the declared charset (`<meta charset>`, `http-equiv`, an XML
declaration), reads gb2312/gbk as GB18030, and falls back to `decode.decode_text`'s
detection when the declaration is missing or wrong (bytes that are valid UTF-8 are read
as UTF-8 whatever the page says: no GB text of any length is valid UTF-8 by chance).

The report is the first known content container of the common site templates
(`.TRS_Editor`, `#zoom`, ...) that holds a fair share of the page's Chinese text; failing
that, the block that directly holds the most Chinese text. Navigation, headers, footers,
share bars, scripts and styles are dropped, and so are short lines of page furniture
(发布时间, 来源, 字体大小, 版权所有, 网站标识码, 分享到, ...). The article title comes first as
its own line when the container does not start with it, because the region and the year
are read from the title.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ..decode import clean_text, decode_text
from ..errors import InputError
from . import CJK_RANGES, HAN

# Known content containers of common government-site templates, most specific first.
CONTAINERS = (
    ".TRS_Editor",
    "#UCAP-CONTENT",
    "#zoom",
    ".pages_content",
    ".article-content",
    "#content",
    ".content",
    ".article",
)

# Elements that are never report text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "select",
    "button",
    "input",
    "textarea",
    "map",
    "link",
    "meta",
    "nav",
    "header",
    "footer",
    "aside",
)
# class/id words of page furniture (matched as whole words of the class or id).
_DEBRIS_WORDS = {
    "nav",
    "navbar",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "dqwz",
    "position",
    "location",
    "footer",
    "foot",
    "header",
    "share",
    "bdshare",
    "copyright",
    "toolbar",
    "sidebar",
    "friendlink",
    "yqlj",
    "search",
    "login",
    "skip",
}

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "hr",
        "center",
        "figure",
        "figcaption",
        "address",
        "form",
        "fieldset",
        "legend",
        "body",
        "html",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
# Blocks that may hold a report; their score is the Han text they hold directly.
_CANDIDATE_TAGS = frozenset({"div", "td", "article", "section", "main", "body", "center", "form"})
_STRUCTURE_TAGS = frozenset({"div", "td", "th", "table", "article", "section", "main", "ul", "ol", "dl"})

_SOFT = "\ue000"  # a source line break inside running text
_SOFT_RUN = rf"[{_SOFT} ]*{_SOFT}[{_SOFT} ]*"
_SOFT_BETWEEN_CJK = re.compile(rf"(?<=[{CJK_RANGES}]){_SOFT_RUN}|{_SOFT_RUN}(?=[{CJK_RANGES}])")
_SPACES = re.compile(rf"[ \t\r\f\v\xa0{_SOFT}]+")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
    "unicode": "utf-8",
}

# Short lines of page furniture. Only lines up to _DEBRIS_MAX characters are tested, so a
# paragraph of the report that mentions one of these words is never dropped.
_DEBRIS_MAX = 80
_DEBRIS_LINE = re.compile(
    r"(发布|發布|更新|成文|印发|撰写|撰寫)(时间|時間|日期)\s*[:：]"
    r"|^(时间|日期)\s*[:：]\s*\d"
    r"|(来源|來源|作者|编辑|編輯|责任编辑|責任編輯|浏览次数|瀏覽次數|阅读次数|访问量|点击数|點擊數|信息来源|文章来源)\s*[:：]"
    r"|字体|字號|字号|保护视力|護眼|视力保护"
    r"|分享到|分享至|打印本页|打印本頁|关闭窗口|關閉窗口|【\s*打印\s*】|\[\s*打印\s*\]|【\s*关闭\s*】"
    r"|版权所有|版權所有|网站标识码|網站標識碼|ICP\s*备|ICP\s*證|ICP\s*证|公网安备|公網安備"
    r"|(主办|主辦|承办|承辦)单位\s*[:：]|技术支持\s*[:：]|联系我们|網站地圖|网站地图|网站声明|网站无障碍|網站無障礙"
    r"|^无障碍(浏览|阅读)?$|长者模式|适老化|关怀版"
    r"|当前位置|當前位置|您现在的位置|现在位置|您的位置|所在位置"
    r"|^首页\s*[>》»/]|[>》»]\s*正文\s*$"
    r"|^(上一篇|下一篇|相关链接|相关文章|相关阅读|扫一扫|【?\s*收藏\s*】?)"
    r"|^[\[【(（]?\s*[大中小]\s*[\]】)）]?\s*[\[【(（]?\s*[大中小]\s*[\]】)）]?",
)
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|--|—+|–|(?<!\d)-(?!\d))\s*")


def read_html(data: bytes, source: str) -> str:
    """The report's text from an HTML page's bytes."""
    from selectolax.lexbor import LexborHTMLParser

    markup = decode_html(data, source)
    try:
        tree = LexborHTMLParser(markup)
    except Exception as exc:  # selectolax raises plain errors on markup it cannot take
        raise InputError(source, f"not readable HTML ({exc})") from None
    body = tree.body or tree.root
    if body is None:
        raise InputError(source, "not readable HTML (no document)")
    title = _title(tree)
    container = _known_container(tree, body)
    if container is None:
        _drop_furniture(body)
        container = _densest_block(body)
    else:
        _drop_furniture(container)
    lines = [line for line in _lines(container) if line != EMPTY_CELL and not _is_debris(line)]
    if title and not _starts_with(lines, title):
        lines.insert(0, title)
    return "\n".join(lines) + ("\n" if lines else "")


# --- decoding --------------------------------------------------------------------------


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace").strip().lower()
    return _ENCODING_ALIASES.get(name, name)


def decode_html(data: bytes, source: str) -> str:
    """Decode by BOM, then valid UTF-8, then the declared charset if the result reads as
    Chinese, then detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, source)
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _plausible(text):
            return clean_text(text)
    return decode_text(data, source)


def _plausible(text: str) -> bool:
    """Text decoded by a declared charset reads as Chinese: its non-ASCII characters are
    mostly common Han (Latin-1 or Big5 bytes misread are not), or it has almost none."""
    wide = [ch for ch in text[:50000] if ord(ch) > 0x7F and ch not in "\xa0\u3000"]
    if len(wide) < 20:
        return not any("\x80" <= ch <= "\x9f" for ch in wide)
    common = 0
    for ch in wide[:4000]:
        encoded = ch.encode("gb2312", errors="ignore")
        common += len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xD7
    return common / min(len(wide), 4000) >= 0.6


# --- finding the report ----------------------------------------------------------------


def _han_count(node) -> int:
    return len(HAN.findall(node.text(deep=True) or ""))


def _known_container(tree, body):
    """The first known container (in priority order) holding a fair share of the text."""
    total = _han_count(body)
    if total == 0:
        return None
    for selector in CONTAINERS:
        best, best_han = None, 0
        for node in tree.css(selector):
            han = _han_count(node)
            if han > best_han:
                best, best_han = node, han
        if best is not None and (best_han >= 0.3 * total or best_han >= 300):
            return best
    return None


def _words(node) -> set[str]:
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return set(re.split(r"[\s_-]+", names)) - {""}


def _drop_furniture(root) -> None:
    """Remove scripts, styles, navigation, headers, footers and share bars below root,
    but never an element that holds most of the text (a page that wraps its report in
    <header> or a 'nav' class would otherwise lose it)."""
    total = max(_han_count(root), 1)
    doomed = []
    for index, node in enumerate(root.traverse(include_text=False)):
        if index == 0 or node.tag is None or node.tag.startswith("-"):  # 0: root itself
            continue
        tag = node.tag.lower()
        furniture = tag in _DROP_TAGS or _words(node) & _DEBRIS_WORDS
        never_text = tag in ("script", "style", "noscript", "template")
        if furniture and (never_text or _han_count(node) < 0.4 * total):
            doomed.append(node)
    for node in doomed:
        with contextlib.suppress(Exception):  # already removed with an ancestor
            node.decompose()


def _densest_block(body):
    """The block with the most Han text of its own: direct text, inline children and
    leaf blocks (paragraph-like <div>s and <p>s), but not nested containers."""
    best, best_score = body, -1
    for node in body.traverse(include_text=False):
        if node.tag is None or node.tag.lower() not in _CANDIDATE_TAGS:
            continue
        score = 0
        child = node.first_child
        while child is not None:
            tag = (child.tag or "").lower()
            if tag == "-text":
                score += len(HAN.findall(child.text_content or ""))
            elif (
                tag and not tag.startswith("-") and (tag not in _STRUCTURE_TAGS or not _has_structure(child))
            ):
                score += _han_count(child)
            child = child.next
        if score > best_score:
            best, best_score = node, score
    return _widened(best, body)


def _widened(block, body):
    """The block, or the outermost ancestor that adds only text of its own to it: text
    nested block in block (unclosed <div>s, say, a thousand deep) is one report, not
    its innermost two lines. An ancestor with another block holding Han text beside
    this one (a header, a menu) ends the climb."""
    node = block
    while node.mem_id != body.mem_id and node.parent is not None:
        parent = node.parent
        child = parent.first_child
        while child is not None:
            tag = (child.tag or "").lower()
            if child.mem_id != node.mem_id and tag in _STRUCTURE_TAGS and _han_count(child):
                return node
            child = child.next
        node = parent
    return node


def _has_structure(node) -> bool:
    return any(
        index > 0 and (d.tag or "").lower() in _STRUCTURE_TAGS  # 0: the node itself
        for index, d in enumerate(node.traverse(include_text=False))
    )


# --- title -----------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text.replace("\xa0", " ").replace("\u3000", " ")).strip()


def _title(tree) -> str:
    """The article's title: an <h1> that looks like one, else the page <title> without
    the site name (its longest part)."""
    page_title = ""
    node = tree.css_first("title")
    if node is not None:
        page_title = _collapse(node.text(deep=True) or "")
    parts = [p for p in _TITLE_SEPARATORS.split(page_title) if HAN.search(p)]
    from_page = max(parts, key=len) if parts else ""
    for heading in tree.css("h1"):
        text = _collapse(heading.text(deep=True) or "")
        if len(HAN.findall(text)) < 4:
            continue
        if re.search(r"报告|報告|年度|\d{4}\s*年", text) or (from_page and from_page in text):
            return text
    return from_page


def _starts_with(lines: list[str], title: str) -> bool:
    wanted = re.sub(r"\s+", "", title)
    head = "".join(re.sub(r"\s+", "", line) for line in lines[:4])
    return wanted in head


# --- text ------------------------------------------------------------------------------


def _lines(root) -> list[str]:
    """Walk the tree: blocks and <br> end lines, each table cell is its own line."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if not buffer:
            return
        line = _SOFT_BETWEEN_CJK.sub("", "".join(buffer))
        line = _SPACES.sub(" ", line).strip(" \u3000")
        buffer.clear()
        if line:
            lines.append(line)

    # An explicit stack: reports nested in tables nest deep.
    stack: list[tuple[Any, bool, bool]] = [(root, False, False)]
    starts: list[int] = []  # where each open table row and cell began in `lines`
    while stack:
        node, leaving, pre = stack.pop()
        tag = (node.tag or "").lower()
        if leaving:
            if tag in _BLOCK_TAGS:
                flush()
            if tag in _CELL_TAGS and starts:
                if len(lines) == starts.pop():
                    lines.append(EMPTY_CELL)
            elif tag == "tr" and starts:
                start = starts.pop()
                lines[start:] = empty_cells_kept(lines[start:])
            continue
        if tag == "-text":
            text = node.text_content or ""
            if pre:
                parts = text.split("\n")
                for i, part in enumerate(parts):
                    if i:
                        flush()
                    buffer.append(part)
            else:
                buffer.append(re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v\n]*", _SOFT, text))
            continue
        if tag.startswith("-"):
            continue  # comments, doctype
        if tag == "br":
            flush()
            continue
        if tag in _BLOCK_TAGS:
            flush()
        if tag in _CELL_TAGS or tag == "tr":
            starts.append(len(lines))
        stack.append((node, True, pre))
        children = []
        child = node.first_child
        while child is not None:
            children.append(child)
            child = child.next
        inner_pre = pre or tag in ("pre", "textarea")
        for child in reversed(children):
            stack.append((child, False, inner_pre))
    flush()
    return lines


EMPTY_CELL = "\x00"  # an empty table cell, until its row is known (see empty_cells_kept)
_NUMBER_CELL = re.compile(r"[-−－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")


def empty_cells_kept(row: list[str]) -> list[str]:
    """A table row's lines, its empty cells marked EMPTY_CELL: in a row that holds a
    number, an empty cell after the row's first text is an empty line (a blank cell of
    a statistics table keeps its column); elsewhere empty cells leave no line."""
    if not any(_NUMBER_CELL.fullmatch(line.strip()) for line in row if line != EMPTY_CELL):
        return [line for line in row if line != EMPTY_CELL]
    out: list[str] = []
    for line in row:
        if line != EMPTY_CELL:
            out.append(line)
        elif out:
            out.append("")
    return out


def _is_debris(line: str) -> bool:
    return len(line) <= _DEBRIS_MAX and _DEBRIS_LINE.search(line) is not None
