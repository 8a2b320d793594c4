"""Format readers: HTML pages, PDF text layers, .docx, and the refused formats.

The PDFs in tests/fixtures were exported by LibreOffice from .docx files that
scripts/make_fixtures.py writes (the tests do not need LibreOffice); report_*.txt is the
same content as plain text. The HTML pages follow four government-site templates.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportmetrics.errors import InputError
from reportmetrics.formats import pdf as pdf_format
from reportmetrics.formats.docx import read_docx
from reportmetrics.formats.html import declared_charset, read_html
from reportmetrics.formats.office import read_doc, read_ofd, read_wps
from reportmetrics.formats.pdf import read_pdf
from reportmetrics.load import Source, read_source
from reportmetrics.pipeline import matcher_for, process

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PAGE_FURNITURE = (
    "版权所有",
    "网站标识码",
    "分享到",
    "发布时间",
    "发布日期",
    "来源：",
    "字体",
    "字号",
    "浏览次数",
    "点击数",
    "当前位置",
    "现在位置",
    "您现在的位置",
    "首页",
    "ICP",
    "公网安备",
    "打印",
    "关闭",
    "var _hmt",
    "function",
    "font-family",
    "栏目导航",
    "政务服务",
    "技术支持",
)


def text_of(name: str) -> str:
    return read_source(Source(str(FIXTURES / name))).text


def rows_of(name: str) -> list:
    document = read_source(Source(str(FIXTURES / name)))
    _, rows, _ = process(document, matcher_for())
    return rows


def summary(rows: list) -> list[tuple[str, str, str]]:
    return [(row.indicator, str(row.value), row.qualifier) for row in rows]


# --- HTML ------------------------------------------------------------------------------

HTML_PAGES = {
    # page: (title, sentences of the report that must be in the text)
    "page_trs.html": (
        "浏阳市人民政府2020年法治政府建设工作报告",
        ["现将一年的工作情况报告如下", "召开中共浏阳市委全面依法治市委员会第二次会议", "一、2020年工作总结"],
    ),
    "page_zoom_gb2312.html": (
        "关于江门市江海区2017年法治政府建设情况报告",
        ["全面推进依法行政、加快建设法治政府是新时代的要求", "(一)加强法治政府建设的组织保障"],
    ),
    "page_nested_tables.html": (
        "广州市花都区炭步镇人民政府2022年法治政府建设年度报告",
        ["炭步镇认", "(四)加强普法宣传。一是重点开展疫情防控法治宣传"],
    ),
    "page_wrong_charset.html": (
        "肇庆市2023年法治政府建设年度报告",
        ["2023年,我市坚持以习近平新时代中国特色社会主义思想为指导", "一、主要做法和成效"],
    ),
}


@pytest.mark.parametrize("name", sorted(HTML_PAGES))
def test_html_page_gives_title_first_then_report_text_without_page_furniture(name: str) -> None:
    title, sentences = HTML_PAGES[name]
    text = text_of(name)
    assert text.splitlines()[0] == title
    assert text.count(title) == 1
    for sentence in sentences:
        assert sentence in text
    for debris in PAGE_FURNITURE:
        assert debris not in text, debris
    assert "\r" not in text and "\xa0" not in text and "\ufffd" not in text


def test_html_table_cells_come_one_per_line() -> None:
    text = text_of("page_trs.html")
    assert "\n收到行政复议申请\n62件\n审结行政复议案件\n54件\n" in text


def test_html_declared_gb2312_is_read_as_gb18030() -> None:
    data = (FIXTURES / "page_zoom_gb2312.html").read_bytes()
    assert declared_charset(data) == "gb18030"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "法治政府建设的组织保障" in read_html(data, "zoom.html")


def test_html_wrong_declared_charset_falls_back_to_detection() -> None:
    gbk_declared_utf8 = (FIXTURES / "page_wrong_charset.html").read_bytes()
    assert declared_charset(gbk_declared_utf8) == "utf-8"
    assert "肇庆市2023年法治政府建设年度报告" in read_html(gbk_declared_utf8, "a.html")
    utf8_declared_gb2312 = (FIXTURES / "page_nested_tables.html").read_bytes()
    assert declared_charset(utf8_declared_gb2312) == "gb18030"
    assert "炭步镇" in read_html(utf8_declared_gb2312, "b.html")


def test_html_declared_western_charset_on_gbk_bytes_is_not_believed() -> None:
    sentence = "全年收到行政复议申请62件，审结行政复议案件54件，纠错率33.34%。"
    page = (
        '<html><head><meta charset="iso-8859-1"></head><body><div id="zoom">'
        f"<p>{sentence}</p></div></body></html>"
    )
    assert read_html(page.encode("gbk"), "p.htm") == sentence + "\n"


def test_html_charset_from_http_equiv_is_respected_for_gbk_bytes() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head>'
        "<body><div class='content'><p>全年收到行政复议申请62件。</p></div></body></html>"
    )
    assert read_html(page.encode("gbk"), "p.htm") == "全年收到行政复议申请62件。\n"


def test_html_paragraphs_breaks_and_cells_become_lines_and_source_wraps_vanish() -> None:
    page = """<html><body><div id="zoom">
    <p>&nbsp;&nbsp;全年共审结行政复议
       案件54起，其中
       维持34起。</p>
    第一行<br>第二行<br/>
    <table><tr><td>行政诉讼案件</td><td>128件</td></tr></table>
    <p>The   rule
       of law</p>
    </div></body></html>"""
    assert read_html(page.encode(), "p.html") == (
        "全年共审结行政复议案件54起，其中维持34起。\n第一行\n第二行\n行政诉讼案件\n128件\nThe rule of law\n"
    )


def test_html_without_known_container_takes_block_with_most_chinese_text() -> None:
    page = """<html><head><title>某县2021年法治政府建设年度报告_某县人民政府</title>
    <script>alert('首页')</script></head><body>
    <div class="nav">首页 政务公开 政务服务 互动交流 走进某县 机构设置</div>
    <div class="wrap"><div class="left"><ul><li>工作动态</li><li>通知公告</li></ul></div>
    <div class="right"><div class="txt">
      <div>2021年，县政府深入推进依法行政，全面建设法治政府。</div>
      <div>全年共收到行政复议申请31件，审结29件。</div>
      <div>行政机关负责人出庭应诉率达到100%。</div>
    </div></div></div>
    <div class="bottom">版权所有 某县人民政府 网站标识码1234567890</div>
    </body></html>"""
    text = read_html(page.encode(), "x.html")
    assert text == (
        "某县2021年法治政府建设年度报告\n2021年，县政府深入推进依法行政，全面建设法治政府。\n"
        "全年共收到行政复议申请31件，审结29件。\n行政机关负责人出庭应诉率达到100%。\n"
    )


def test_html_title_inside_content_is_not_repeated() -> None:
    page = """<html><head><title>某区2022年法治政府建设年度报告-某区政府网</title></head><body>
    <div class="TRS_Editor"><p>某区2022年法治政府建设年度报告</p>
    <p>2022年，区政府坚持依法行政，全年收到行政复议申请12件。</p></div></body></html>"""
    text = read_html(page.encode(), "x.html")
    assert text.count("某区2022年法治政府建设年度报告") == 1
    assert text.startswith("某区2022年法治政府建设年度报告\n")


def test_html_report_paragraph_mentioning_furniture_words_is_kept() -> None:
    long_line = (
        "本年度进一步规范政府网站管理，" * 4
        + "明确来源：各部门报送信息须经审核后发布，发布时间不得晚于三个工作日。"
    )
    page = f"<html><body><div class='content'><p>{long_line}</p><p>分享到：微信</p></div></body></html>"
    assert read_html(page.encode(), "x.html") == long_line + "\n"


# --- PDF -------------------------------------------------------------------------------


def test_pdf_text_reads_back_as_the_source_text() -> None:
    # Running header, `- N -` footers, a table, a full-width number broken at a line end.
    assert text_of("report_a.pdf") == (FIXTURES / "report_a.txt").read_text(encoding="utf-8")


def test_pdf_rejoins_lines_broken_by_page_wrapping_across_pages_too() -> None:
    text = text_of("report_b.pdf")
    source = (FIXTURES / "report_b.txt").read_text(encoding="utf-8")
    # Every paragraph of the source is whole in the PDF text; at most a line break after
    # a sentence that ended exactly at the right margin differs.
    assert text.replace("\n", "") == source.replace("\n", "")
    for paragraph in source.splitlines():
        assert paragraph in text.replace("。\n", "。")
    assert len(text.splitlines()) <= len(source.splitlines()) + 3


def test_pdf_number_broken_at_line_end_is_one_number_again() -> None:
    text = text_of("report_a.pdf")
    assert "全年共办理群众来信来访１２０７７件" in text


def test_pdf_drops_running_headers_and_page_numbers() -> None:
    for name, furniture in (("report_a.pdf", ("- 1 -", "- 2 -", "- 3 -")), ("report_b.pdf", ("第 1 页",))):
        text = text_of(name)
        for debris in furniture:
            assert debris not in text
        assert not any(line.strip().isdigit() for line in text.splitlines())
    title = "浏阳市人民政府2020年法治政府建设工作报告"
    assert text_of("report_a.pdf").count(title) == 1


def test_pdf_table_cells_stay_on_separate_lines() -> None:
    text = text_of("report_a.pdf")
    cells = ["项目", "数量", "收到行政复议申请", "62件", "审结行政复议案件", "54件"]
    cells += ["行政复议案件纠错率", "33.34%"]
    assert "\n" + "\n".join(cells) + "\n" in text


@pytest.mark.parametrize("name", ["report_a", "report_b"])
def test_pdf_gives_the_same_rows_as_its_source_text(name: str) -> None:
    from_pdf = summary(rows_of(f"{name}.pdf"))
    from_text = summary(rows_of(f"{name}.txt"))
    assert from_pdf == from_text


def _line(text: str, full: bool, cells: bool = False) -> pdf_format._Line:
    return pdf_format._Line(text, 500.0 if full else 200.0, cells, 12.0, full)


def test_pdf_join_rules_number_split_joined_short_lines_kept_sentences_kept() -> None:
    lines = [
        _line("全年共受理行政复议申请12", True),
        _line("077件，同比增长", True),
        _line("5%。", False),
        _line("项目", False),
        _line("数量", False),
        _line("收到申请", False),
        _line("120件", False),
        _line("本段在页边处恰好结束。", True),
        _line("下一段从这里开始，一直写到页边还没有写完", True),
        _line("（二）下一个标题", False),
        _line("a wrapped English", True),
        _line("word", False),
    ]
    assert pdf_format.join_lines(lines).splitlines() == [
        "全年共受理行政复议申请12077件，同比增长5%。",
        "项目",
        "数量",
        "收到申请",
        "120件",
        "本段在页边处恰好结束。",
        "下一段从这里开始，一直写到页边还没有写完",
        "（二）下一个标题",
        "a wrapped English word",
    ]


def test_pdf_table_row_is_never_joined_to_the_next_line() -> None:
    lines = [_line("收到申请", False, cells=True), _line("120件", True, cells=True), _line("审结", False)]
    assert pdf_format.join_lines(lines) == "收到申请\n120件\n审结\n"


@pytest.mark.parametrize(
    "footer", ["- 3 -", "—3—", "第3页", "第 3 页 共 12 页", "3/12", "3 / 12", "Page 3 of 12", "3"]
)
def test_pdf_page_number_forms_are_furniture(footer: str) -> None:
    assert pdf_format._is_furniture(footer, set(), page_number=3)


@pytest.mark.parametrize("line", ["128件", "33.34%", "2020年", "一、2020年工作总结", "97"])
def test_pdf_numbers_that_are_not_page_numbers_are_kept(line: str) -> None:
    assert not pdf_format._is_furniture(line, set(), page_number=3)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("scanned.pdf", "no text layer (scanned PDF?)"),
        ("encrypted.pdf", "encrypted PDF"),
        ("truncated.pdf", "not a readable PDF (truncated or damaged)"),
    ],
)
def test_pdf_that_cannot_be_read_gives_one_clear_input_error(name: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(Source(str(FIXTURES / name)))
    assert problem in caught.value.problem
    assert str(caught.value).startswith(str(FIXTURES / name) + ": ")
    assert "\n" not in str(caught.value)


def test_pdf_damaged_in_the_middle_or_not_a_pdf_gives_input_error() -> None:
    data = bytearray((FIXTURES / "report_a.pdf").read_bytes())
    with pytest.raises(InputError, match="not a PDF file"):
        read_pdf(b"<!DOCTYPE html><html><body>404</body></html>", "x.pdf")
    with pytest.raises(InputError, match="not a PDF file"):
        read_pdf(b"\x00\x01garbage" * 100, "x.pdf")
    data[200:60000] = b"\x00" * (60000 - 200)
    with pytest.raises(InputError, match="not a readable PDF"):
        read_pdf(bytes(data), "x.pdf")


# --- .docx -----------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某区2023年法治政府建设年度报告")
    document.add_paragraph("　　全年收到行政复议申请45件，审结41件。")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "行政诉讼案件"
    table.cell(1, 1).text = "17件"
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "合计说明"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "其中败诉"
    inner.cell(0, 1).text = "2件"
    document.add_paragraph("")
    paragraph = document.add_paragraph("行政机关负责人出庭应诉率100%。")
    paragraph.add_run().add_break()
    paragraph.add_run("下一行。")
    section = document.sections[0]
    section.footer.paragraphs[0].text = "- 1 -"
    section.header.paragraphs[0].text = "页眉文字"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_gives_paragraphs_and_table_cells_in_reading_order() -> None:
    assert read_docx(_docx_bytes(), "x.docx") == (
        "某区2023年法治政府建设年度报告\n全年收到行政复议申请45件，审结41件。\n指标\n数量\n行政诉讼案件\n"
        "17件\n其中败诉\n2件\n合计说明\n行政机关负责人出庭应诉率100%。\n下一行。\n"
    )


def test_docx_made_for_the_pdf_fixture_reads_as_its_source_text() -> None:
    for name in ("report_a", "report_b"):
        assert text_of(f"{name}.docx") == (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_docx_bytes()[:3000], "not a readable .docx file"),
        (b"PK\x03\x04" + b"\x00" * 200, "not a readable .docx file"),
        (b"just some text, not a zip", "not a readable .docx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word 97-2003"),
    ],
    ids=["truncated", "empty-zip", "text", "ole"],
)
def test_corrupt_docx_gives_one_clear_input_error(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_docx(data, "bad.docx")
    assert problem in caught.value.problem
    assert "\n" not in str(caught.value)


def test_docx_zip_without_a_document_part_gives_input_error() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match=r"not a readable \.docx file"):
        read_docx(buffer.getvalue(), "bad.docx")


# --- refused formats -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "words"),
    [
        (read_doc, ("Word 97-2003 .doc is not read", "libreoffice --headless --convert-to docx")),
        (read_wps, ("WPS Writer .wps is not read", "--convert-to docx")),
        (read_ofd, ("OFD is not read", "PDF")),
    ],
)
def test_unread_formats_say_what_they_are_and_how_to_convert(reader, words) -> None:
    with pytest.raises(InputError) as caught:
        reader(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.x")
    for word in words:
        assert word in caught.value.problem
    assert "\n" not in str(caught.value)


def test_doc_that_is_really_html_or_docx_is_read_as_such() -> None:
    page = "<html><body><div class='content'><p>全年收到行政复议申请8件。</p></div></body></html>"
    assert read_doc(page.encode(), "saved.doc") == "全年收到行政复议申请8件。\n"
    assert "全年收到行政复议申请45件" in read_wps(_docx_bytes(), "saved.wps")


# --- offsets, batch, start-up ----------------------------------------------------------

READABLE = [
    "page_trs.html",
    "page_zoom_gb2312.html",
    "page_nested_tables.html",
    "page_wrong_charset.html",
    "report_a.pdf",
    "report_b.pdf",
    "report_a.docx",
    "report_b.docx",
]


@pytest.mark.parametrize("name", READABLE)
def test_every_row_evidence_is_the_text_at_its_offsets(name: str) -> None:
    text = text_of(name)
    for row in rows_of(name):
        assert text[row.start : row.end] == row.evidence


def test_text_command_prints_the_reader_text(tmp_path: Path) -> None:
    result = _cli("text", str(FIXTURES / "report_a.pdf"))
    assert result.returncode == 0
    assert result.stdout == text_of("report_a.pdf")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-c", "from reportmetrics.cli import run_cli; run_cli()", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_batch_with_unreadable_files_completes_with_one_error_line_each(tmp_path: Path) -> None:
    bad = {
        "scan.pdf": (FIXTURES / "scanned.pdf").read_bytes(),
        "locked.pdf": (FIXTURES / "encrypted.pdf").read_bytes(),
        "cut.pdf": (FIXTURES / "truncated.pdf").read_bytes(),
        "broken.docx": b"PK\x03\x04 not really",
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "old.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "signed.ofd": b"PK\x03\x04 ofd",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.pdf"
    good.write_bytes((FIXTURES / "report_a.pdf").read_bytes())
    (tmp_path / "page.html").write_bytes((FIXTURES / "page_trs.html").read_bytes())
    result = _cli("extract", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad)
    for name in bad:
        assert sum(name in line for line in errors) == 1, name
    assert "good," in result.stdout and "page," in result.stdout
    assert "12077" in result.stdout


def test_loading_the_cli_imports_no_format_library() -> None:
    code = (
        "import sys, reportmetrics.load, reportmetrics.cli, reportmetrics.pipeline;"
        "print(sorted(m for m in ('selectolax', 'pypdfium2', 'docx') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "[]"
