"""Make the committed fixtures of tests/test_formats.py (run it again to remake them).

    . /work/venv/bin/activate && python scripts/make_fixtures.py

Needs python-docx, pypdfium2 and pypdf (in the venv), and LibreOffice with CJK fonts
(Debian: `apt-get install -y libreoffice-writer-nogui fonts-noto-cjk`). The tests do not
need LibreOffice: they read the PDFs this script commits.

What it writes to tests/fixtures/:
- report_a.docx/.pdf/.txt: a multi-page report from sample_data/liuyang_2020.txt,
  justified, a running header on every page, `- N -` page-number footers, a table of
  label/number cells, and a full-width number (１２０７７) that the word processor breaks
  across a line end. The .txt is the same content as plain text (what the PDF should read
  back as, up to line breaks), for comparing extracted rows.
- report_b.docx/.pdf/.txt: another report (sample_data/jianghai_2017.txt), sans-serif,
  other margins, `第 N 页 共 M 页` footers.
- scanned.pdf: page 1 of report_a rendered to an image, no text layer.
- encrypted.pdf: report_b encrypted with a user password.
- truncated.pdf: the first 40% of report_a.pdf's bytes.
- page_trs.html, page_zoom_gb2312.html, page_nested_tables.html, page_wrong_charset.html:
  the same report in four government-site layouts (see each builder below).
"""

from __future__ import annotations

import itertools
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from variant_makers import docx_to_pdf, set_east_asian_font, soffice  # noqa: E402

SAMPLES = ROOT / "sample_data"
OUT = ROOT / "tests" / "fixtures"

TABLE_A = [
    ("项目", "数量"),
    ("收到行政复议申请", "62件"),
    ("审结行政复议案件", "54件"),
    ("行政复议案件纠错率", "33.34%"),
    ("行政诉讼案件", "128件"),
]
SPLIT_NUMBER = "１２０７７"
SPLIT_SENTENCE = f"全年共办理群众来信来访{SPLIT_NUMBER}件,办结率100%。"
# Padding before the split sentence: its length is searched so the number breaks.
PADDING_SOURCE = (
    "坚持和发展新时代枫桥经验,推动矛盾纠纷多元化解,把非诉讼纠纷解决机制挺在前面,"
    "畅通群众诉求表达渠道,做到小事不出村、大事不出镇、矛盾不上交"
)


def body_paragraphs(name: str, limit: int) -> tuple[str, list[str]]:
    """A sample report's title and its first `limit` paragraphs (web debris left out)."""
    lines = [line.strip() for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title_at = next(i for i, line in enumerate(lines) if "报告" in line and len(line) < 60)
    title = lines[title_at]
    paragraphs = []
    for line in lines[title_at + 1 :]:
        if line == title or re.search(r"发布时间|来源[:：]|字体|分享|版权|网站|打印|保护视力|〔", line):
            continue
        paragraphs.append(line)
        if len(paragraphs) >= limit:
            break
    return title, paragraphs


def _page_field(paragraph, instr: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def build_docx(
    path: Path,
    title: str,
    paragraphs: list[str],
    *,
    font: str,
    size: int,
    margins_cm: float,
    footer: str,
    header: str | None,
    table: list[tuple[str, str]] | None,
    table_after: int,
) -> list[str]:
    """Write a report .docx; return its content as plain-text lines (table cells one a line)."""
    document = Document()
    set_east_asian_font(document.styles["Normal"], font, size)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margins_cm))
    if header:
        head = section.header.paragraphs[0]
        head.text = header
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer == "dash":
        foot.add_run("- ")
        _page_field(foot, "PAGE")
        foot.add_run(" -")
    else:
        foot.add_run("第 ")
        _page_field(foot, "PAGE")
        foot.add_run(" 页 共 ")
        _page_field(foot, "NUMPAGES")
        foot.add_run(" 页")

    lines = [title]
    heading = document.add_paragraph(title)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
        lines.append(text)
        if table and i == table_after:
            grid = document.add_table(rows=len(table), cols=2)
            grid.style = "Table Grid"
            for r, (label, number) in enumerate(table):
                grid.cell(r, 0).text = label
                grid.cell(r, 1).text = number
                lines.extend([label, number])
    document.save(path)
    return lines


def to_pdf(docx: Path, workdir: Path) -> Path:
    if soffice() is None:
        sys.exit("LibreOffice is needed: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    return docx_to_pdf([docx], workdir)[docx]


def raw_lines(pdf_path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    lines = []
    for page in pdf:
        lines.extend(page.get_textpage().get_text_range().replace("\r\n", "\n").split("\n"))
    pdf.close()
    return lines


def number_is_split(pdf_path: Path) -> bool:
    lines = raw_lines(pdf_path)
    for line, following in itertools.pairwise(lines):
        head, tail = line.rstrip(), following.lstrip()
        if head and tail and head[-1] in SPLIT_NUMBER and tail[0] in SPLIT_NUMBER and "件" in tail:
            return (re.findall(r"[０-９]+$", head)[0] + re.findall(r"^[０-９]+", tail)[0]) == SPLIT_NUMBER
    return False


def make_report_a(workdir: Path) -> None:
    title, paragraphs = body_paragraphs("liuyang_2020.txt", 14)
    for pad in range(len(PADDING_SOURCE)):
        filler = PADDING_SOURCE[:pad] + ("。" if pad else "")
        content = [*paragraphs[:9], paragraphs[9] + filler + SPLIT_SENTENCE, *paragraphs[10:]]
        docx = workdir / "report_a.docx"
        lines = build_docx(
            docx,
            title,
            content,
            font="Noto Serif CJK SC",
            size=12,
            margins_cm=2.5,
            footer="dash",
            header=title,
            table=TABLE_A,
            table_after=4,
        )
        pdf = to_pdf(docx, workdir)
        if number_is_split(pdf):
            print(f"report_a: {SPLIT_NUMBER} breaks at a line end with {pad} padding characters")
            break
    else:
        sys.exit("no padding made the number break at a line end")
    shutil.copy(docx, OUT / "report_a.docx")
    shutil.copy(pdf, OUT / "report_a.pdf")
    (OUT / "report_a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_report_b(workdir: Path) -> None:
    title, paragraphs = body_paragraphs("jianghai_2017.txt", 26)
    docx = workdir / "report_b.docx"
    lines = build_docx(
        docx,
        title,
        paragraphs,
        font="Noto Sans CJK SC",
        size=11,
        margins_cm=3.0,
        footer="of",
        header=None,
        table=None,
        table_after=-1,
    )
    pdf = to_pdf(docx, workdir)
    shutil.copy(docx, OUT / "report_b.docx")
    shutil.copy(pdf, OUT / "report_b.pdf")
    (OUT / "report_b.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_scanned() -> None:
    """Page 1 of report_a as an image on a page of its own: a scan, no text layer."""
    source = pdfium.PdfDocument(str(OUT / "report_a.pdf"))
    bitmap = source[0].render(scale=0.8, grayscale=True)
    scan = pdfium.PdfDocument.new()
    width, height = source[0].get_size()
    page = scan.new_page(width, height)
    image = pdfium.PdfImage.new(scan)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    scan.save(str(OUT / "scanned.pdf"))


def make_encrypted() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(OUT / "report_b.pdf")))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(OUT / "encrypted.pdf", "wb") as handle:
        writer.write(handle)


def make_truncated() -> None:
    data = (OUT / "report_a.pdf").read_bytes()
    (OUT / "truncated.pdf").write_bytes(data[: len(data) * 2 // 5])


# --- HTML pages --------------------------------------------------------------------------

STYLE = "<style>body{font-family:SimSun} .nav li{float:left}</style>"
SCRIPT = "<script>var _hmt = _hmt || []; function share(){ return '分享到微信'; }</script>"


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "\n".join(f'<p style="text-indent:2em">&nbsp;&nbsp;{p}</p>' for p in paragraphs)


def _table_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{label}</td><td>{number}</td></tr>" for label, number in rows)
    return f'<table border="1" cellspacing="0">{cells}</table>'


def page_trs(title: str, paragraphs: list[str]) -> str:
    """A TRS WCM site: div layout, <h1> outside the content div, .TRS_Editor body."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_浏阳市人民政府门户网站</title>{STYLE}{SCRIPT}</head>
<body>
<div class="header"><div class="logo">浏阳市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 计划总结</div>
<div class="main">
<h1 class="title">{title}</h1>
<div class="info">发布时间：2021-03-11 15:30 来源：浏阳市司法局 浏览次数：1024
【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="TRS_Editor">
{_paragraphs_html(paragraphs[:3])}
{_table_html(TABLE_A)}
{_paragraphs_html(paragraphs[3:])}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="print">【打印本页】 【关闭窗口】</div>
</div>
<div class="footer"><p>版权所有：浏阳市人民政府 主办单位：浏阳市人民政府办公室</p>
<p>网站标识码：4301810001 湘ICP备05003207号 湘公网安备 43018102000123号</p></div>
<script>document.write('<img src=x>')</script>
</body></html>
"""


def page_zoom(title: str, paragraphs: list[str]) -> str:
    """An older site: table layout, title in a <td>, body in <div id="zoom">, gb2312."""
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}--江门市江海区人民政府网</title>{STYLE}</head>
<body>
<table width="980" align="center"><tr><td class="top"><img src="banner.jpg"> 江海区人民政府</td></tr>
<tr><td class="daohang">首页 | 政务公开 | 网上办事 | 公众参与</td></tr></table>
<table width="980" align="center"><tr>
<td width="200" valign="top" class="left"><table><tr><td>通知公告</td></tr><tr><td>政策法规</td></tr>
<tr><td>规划计划</td></tr></table></td>
<td valign="top">
<table width="100%"><tr><td>您现在的位置：首页 &gt; 政务公开 &gt; 通知公告</td></tr>
<tr><td align="center" class="biaoti"><b>{title}</b></td></tr>
<tr><td align="center">日期：2018-01-19&nbsp;&nbsp;来源：区法制局&nbsp;&nbsp;【字号：大 中 小】</td></tr>
<tr><td><div id="zoom">
{_paragraphs_html(paragraphs)}
</div></td></tr>
<tr><td align="right">【打印】【关闭】</td></tr></table>
</td></tr></table>
<table width="980" align="center"><tr><td class="bottom">
版权所有：江门市江海区人民政府 网站标识码：4407040001<br>
粤ICP备05012345号</td></tr></table>
</body></html>
"""


def page_nested(title: str, paragraphs: list[str]) -> str:
    """A county site with no known container: the report is deep in nested tables, its
    paragraphs split by <br>, inside <font> tags. The page says gb2312 but is UTF-8."""
    body = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;<font size=3>{p}</font>" for p in paragraphs)
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title></head>
<body><table width="100%"><tr><td>
 <table><tr><td><a href="/">网站首页</a> | <a>机构概况</a> | <a>政务公开</a>
 | <a>联系我们</a></td></tr></table>
 <table width="900"><tr>
  <td width="180"><table><tr><td>栏目导航</td></tr><tr><td>工作动态</td></tr></table></td>
  <td><table width="100%"><tr><td>
   <table width="96%"><tr><td align="center"><font size="4"><b>{title}</b></font></td></tr>
   <tr><td align="center">发布日期：2023-02-10 点击数：368</td></tr>
   <tr><td>{body}</td></tr></table>
  </td></tr></table></td>
 </tr></table>
 <table><tr><td>版权所有 花都区炭步镇人民政府 技术支持：某某网络</td></tr></table>
</td></tr></table></body></html>
"""


def page_wrong_charset(title: str, paragraphs: list[str]) -> str:
    """A page that declares UTF-8 but is saved as GBK; #UCAP-CONTENT body."""
    return f"""<!DOCTYPE html><html><head><meta charset="UTF-8"><title>{title}-肇庆市人民政府</title>
</head><body>
<nav><a>首页</a><a>信息公开</a><a>政务服务</a></nav>
<div class="position">现在位置: 首页 &gt; 信息公开 &gt; 政策法规 &gt; 最新文件</div>
<div class="article"><h1>{title}</h1>
<p class="meta">来源：肇庆市人民政府 撰写时间：2024-01-29 17:22 字体大小：[大] [中] [小]</p>
<div id="UCAP-CONTENT">{_paragraphs_html(paragraphs)}</div>
</div>
<footer><p>网站标识码：4412000001 粤ICP备12345678号</p><p>分享到：</p></footer>
</body></html>
"""


def make_pages() -> None:
    title_a, paragraphs_a = body_paragraphs("liuyang_2020.txt", 6)
    (OUT / "page_trs.html").write_text(page_trs(title_a, paragraphs_a), encoding="utf-8")
    title_b, paragraphs_b = body_paragraphs("jianghai_2017.txt", 6)
    (OUT / "page_zoom_gb2312.html").write_bytes(page_zoom(title_b, paragraphs_b).encode("gb18030"))
    title_c, paragraphs_c = body_paragraphs("tanbu_2022.txt", 6)
    (OUT / "page_nested_tables.html").write_text(page_nested(title_c, paragraphs_c), encoding="utf-8")
    title_d, paragraphs_d = body_paragraphs("zhaoqing_2023.txt", 5)
    (OUT / "page_wrong_charset.html").write_bytes(page_wrong_charset(title_d, paragraphs_d).encode("gb18030"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    make_pages()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        make_report_a(workdir)
        make_report_b(workdir)
    make_scanned()
    make_encrypted()
    make_truncated()
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
