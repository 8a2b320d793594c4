"""Builders of the forms one report arrives in, shared by tests/test_variants.py and
benchmarks/variants.py.

Each builder turns a plain text (str) into the bytes of one form of the same report: a
government web page (UTF-8, or declared gb2312 and saved as GB18030), a Word .docx (one
paragraph per line), GB18030 text, UTF-8 text with a byte-order mark and CRLF line ends,
and the text rewritten with full-width punctuation and digits. A PDF with a text layer is
made from the .docx by LibreOffice (`soffice --headless --convert-to pdf`), all files in
one call, when LibreOffice is installed.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
SHARED = ROOT.parent / "shared"
DEV_TEXTS = SHARED / "dev" / "texts"

# --- the texts -------------------------------------------------------------------------


def sample_texts() -> dict[str, Path]:
    """The sample reports (always in the repository), by name."""
    return {f"sample/{path.stem}": path for path in sorted(SAMPLE_DATA.glob("*.txt"))}


def dev_texts() -> dict[str, Path]:
    """The dev passages, read from ../shared at run time (empty when it is not there)."""
    if not DEV_TEXTS.is_dir():
        return {}
    return {f"dev/{path.stem}": path for path in sorted(DEV_TEXTS.glob("*.txt"))}


def title_of(text: str) -> str:
    """The report's title as a site would put it in <h1>: the first short line that names
    a report, else the first line with Chinese text (cut to 40 characters)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:12]:
        if re.search(r"报告|報告", line) and len(line) < 60:
            return line
    for line in lines:
        if re.search(r"[\u4e00-\u9fff]", line):
            return line[:40]
    return "政府信息公开"


# --- web pages -------------------------------------------------------------------------

_STYLE = """<style type="text/css">
body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px}
.nav li{float:left;padding:0 18px} .TRS_Editor p{text-indent:2em;line-height:2}
</style>"""
_SCRIPTS = """<script type="text/javascript">var _hmt = _hmt || [];
(function(){var hm=document.createElement("script");hm.src="https://hm.baidu.com/hm.js?x";
var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);})();
function doZoom(size){document.getElementById('zoom').style.fontSize=size+'px';}
</script>"""


def _page(text: str, charset: str) -> str:
    title = title_of(text)
    paragraphs = "\n".join(
        f"<p>{html.escape(line.strip(), quote=False)}</p>" for line in text.splitlines() if line.strip()
    )
    safe_title = html.escape(title, quote=False)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="keywords" content="法治政府建设,政务公开" />
<title>{safe_title}_政务公开_某某市人民政府门户网站</title>
{_STYLE}
{_SCRIPTS}
</head>
<body>
<div class="top-bar"><span>欢迎访问某某市人民政府门户网站</span>
<a href="#">无障碍浏览</a> <a href="#">长者模式</a></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="某某市人民政府" /></div>
<div class="search"><input type="text" name="q" /><button>搜索</button></div></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjmc/">走进某某</a></li></ul>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
&gt; <a href="/zwgk/ghjh/">规划计划</a> &gt; 正文</div>
<div class="main">
<div class="article">
<h1 class="article-title">{safe_title}</h1>
<div class="article-info">发布时间：2023-03-28 10:15&nbsp;&nbsp;来源：某某市司法局&nbsp;&nbsp;浏览次数：1287
&nbsp;&nbsp;字体：[<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a>
<a href="javascript:doZoom(12)">小</a>]</div>
<div class="TRS_Editor">
{paragraphs}
</div>
<div class="bdshare">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
</div>
<div class="footer">
<p>版权所有：某某市人民政府&nbsp;&nbsp;主办单位：某某市人民政府办公室
&nbsp;&nbsp;<a href="#">网站地图</a>&nbsp;<a href="#">联系我们</a></p>
<p>网站标识码：4401000001&nbsp;&nbsp;粤ICP备05012345号&nbsp;&nbsp;粤公网安备 44010002000123号</p>
</div>
<script type="text/javascript">document.write('<span id="_ideConac"></span>');</script>
</body>
</html>
"""


def html_utf8(text: str) -> bytes:
    """A government web page, charset utf-8, the report in .TRS_Editor one <p> a line."""
    return _page(text, "utf-8").encode("utf-8")


def html_gb2312(text: str) -> bytes:
    """The same page declared gb2312 and saved as GB18030 (these texts hold characters
    outside GB2312 and GBK, which real sites save as GB18030 all the same)."""
    return _page(text, "gb2312").encode("gb18030")


# --- Word and PDF ----------------------------------------------------------------------


def docx_bytes(text: str) -> bytes:
    """A Word .docx, one paragraph per line, in a CJK font LibreOffice has."""
    import docx

    document = docx.Document()
    set_east_asian_font(document.styles["Normal"], "Noto Serif CJK SC", 12)
    for line in text.splitlines():
        document.add_paragraph(_xml_safe(line))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def set_east_asian_font(style, font: str, size: int) -> None:
    """Give a python-docx style `font` at `size` pt for every script, East Asian
    included (python-docx sets only the Latin one)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = font
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _xml_safe(line: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", line)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_files: Iterable[Path], outdir: Path) -> dict[Path, Path]:
    """Convert .docx files to PDF in one LibreOffice call; the PDF for each .docx."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    files = [Path(f) for f in docx_files]
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )
    return {f: outdir / (f.stem + ".pdf") for f in files}


# --- plain-text forms ------------------------------------------------------------------


def gb18030_txt(text: str) -> bytes:
    return text.encode("gb18030")


def utf8_bom_crlf(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


_FULL_WIDTH = str.maketrans(
    {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？", "%": "％"}
    | {str(d): chr(0xFF10 + d) for d in range(10)}
)


def full_width(text: str) -> str:
    """The text with , ; : ( ) ! ? % and the digits 0-9 in their full-width forms."""
    return text.translate(_FULL_WIDTH)


def full_width_txt(text: str) -> bytes:
    return full_width(text).encode("utf-8")


@dataclass(frozen=True)
class Variant:
    kind: str
    suffix: str
    make: Callable[[str], bytes]


# The variants made without LibreOffice, in table order; "pdf" comes from "docx".
VARIANTS: dict[str, Variant] = {
    v.kind: v
    for v in (
        Variant("html-utf8", ".html", html_utf8),
        Variant("html-gb2312", ".html", html_gb2312),
        Variant("docx", ".docx", docx_bytes),
        Variant("gb18030", ".txt", gb18030_txt),
        Variant("utf8-bom-crlf", ".txt", utf8_bom_crlf),
        Variant("fullwidth", ".txt", full_width_txt),
    )
}
KINDS = (*VARIANTS, "pdf")


def variant_name(text_name: str, kind: str, suffix: str) -> str:
    return f"{text_name.replace('/', '_')}.{kind}{suffix}"


# --- reading and comparing -------------------------------------------------------------

Key = tuple[str, object, str]


@dataclass(frozen=True)
class Extraction:
    text: str
    rows: tuple
    keys: Counter  # (indicator, value, qualifier) -> count

    def bad_offsets(self) -> list:
        """Rows whose evidence is not the text at their offsets."""
        return [row for row in self.rows if self.text[row.start : row.end] != row.evidence]


def extract(path: Path) -> Extraction:
    """Read a file as the tool does and extract its rows."""
    from reportmetrics.load import Source, read_source
    from reportmetrics.pipeline import matcher_for, process

    document = read_source(Source(str(path)))
    _, rows, _ = process(document, matcher_for())
    keys = Counter((row.indicator, row.value, row.qualifier) for row in rows)
    return Extraction(document.text, tuple(rows), keys)


def difference(expected: Counter, got: Counter) -> tuple[list[Key], list[Key]]:
    """(rows the plain text has and the variant lacks, rows only the variant has)."""
    missing = sorted((expected - got).elements(), key=repr)
    extra = sorted((got - expected).elements(), key=repr)
    return missing, extra
