"""The GIP report tables (gip.md): every cell of tables 二, 三 and 四, from every form
the tool reads, with evidence; the template identities in `check`; the wide panel."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import gip_makers as gm
import pytest
from conftest import ROOT, SHARED, csv_records, extract_rows, needs_shared, run_cli

from reportmetrics.api import extract_text
from reportmetrics.consistency import findings, load_rules
from reportmetrics.formats.docx import read_docx
from reportmetrics.formats.html import read_html
from reportmetrics.gip import load_template, read_tables

FIXTURE_PDF = ROOT / "tests" / "fixtures" / "gip_qinghe.pdf"
EXAMPLES = SHARED / "gip_examples"


def gip_values(rows) -> dict[str, str]:
    return {r.indicator: format(r.value, "f") for r in rows if r.indicator.startswith("gip.")}


def forms(table3=gm.TABLE3, table4=gm.TABLE4) -> dict[str, str]:
    """The same report as the text the tool sees for each kind of input."""
    return {
        "raw PDF text": gm.raw_text(table3),
        "| rows": gm.markdown_text(table3, table4),
        "web page": read_html(gm.web_page(table3, table4), "report.html"),
        "docx": read_docx(gm.docx_bytes(table3, table4), "report.docx"),
    }


@pytest.mark.parametrize("form", ["raw PDF text", "| rows", "web page", "docx"])
def test_the_same_report_in_every_form_gives_every_cell_in_template_order(form):
    rows = extract_text(forms()[form], packs=["gip"])
    assert gip_values(rows) == gm.expected_values()


def test_the_same_report_as_a_pdf_gives_the_same_cells():
    done = run_cli("extract", "-p", "gip", str(FIXTURE_PDF))
    assert done.returncode == 0, done.stderr.decode()
    got = {r["indicator"]: r["value"] for r in csv_records(done.stdout)}
    assert got == gm.expected_values()
    assert done.stderr == b""


@pytest.mark.parametrize("form", ["raw PDF text", "| rows", "web page", "docx"])
def test_every_cell_row_has_evidence_from_its_row_label_to_the_cell(form):
    text = forms()[form]
    rows = extract_text(text, packs=["gip"])
    for row in rows:
        assert text[row.start : row.end] == row.evidence
        assert row.evidence.endswith(row.raw)
        assert text[row.raw_start : row.raw_end] == row.raw
    by_id = {r.indicator: r for r in rows}
    assert by_id["gip.outcome_withheld_state_secret.total"].evidence.startswith("1.属于国家秘密")
    assert by_id["gip.litigation_after_reconsideration.total"].evidence.startswith("行政复议")
    assert by_id["gip.admin_fees.amount"].unit == "yuan"
    assert by_id["gip.admin_fees.amount"].raw == "12.5"


def test_header_text_out_of_column_order_does_not_move_the_columns():
    text = forms()["web page"]
    header = text[text.index("申请人情况") : text.index("一、本年新收")]
    assert header.index("总计") < header.index("商业")  # merged cells come out once
    rows = {r.indicator: r.value for r in extract_text(text, packs=["gip"])}
    assert rows["gip.requests_new.commercial"] == 8
    assert rows["gip.requests_new.total"] == 83


def test_word_pasted_runs_join_into_one_number():
    page = gm.web_page()
    assert b"<span>7</span><span>3</span>" in page
    rows = {r.indicator: r.value for r in extract_text(read_html(page, "p.html"), packs=["gip"])}
    assert rows["gip.requests_new.natural_person"] == 73


def test_page_furniture_inside_the_table_is_not_a_cell():
    text = gm.raw_text().replace("1.本机关不掌握相关政府信息", "- 4 -\n1.本机关不掌握相关政府信息")
    assert "\f- 3 -" in text
    assert gip_values(extract_text(text, packs=["gip"])) == gm.expected_values()


@pytest.mark.parametrize("form", ["| rows", "web page", "docx"])
def test_a_blank_total_gives_no_row_and_an_incomplete_finding(form):
    table3 = gm.with_cells(gm.TABLE3, {"outcome_partly_disclosed": "7 1 0 0 0 0 _"})
    text = forms(table3)[form]
    rows = extract_text(text, packs=["gip"])
    values = gip_values(rows)
    assert "gip.outcome_partly_disclosed.total" not in values
    assert values["gip.outcome_partly_disclosed.commercial"] == "1"
    found = findings(rows, text, load_rules())
    # The row's own total and the 总计 column's sum: both could hold with the blank unknown.
    assert sorted((f.rule, f.message.startswith("incomplete:")) for f in found) == [
        ("gip_outcome_sum", True),
        ("gip_row_total", True),
    ]


@pytest.mark.parametrize("form", ["| rows", "web page", "docx"])
def test_blank_cells_that_mean_zero_give_no_row_and_no_finding(form):
    table3 = gm.with_cells(
        gm.TABLE3, {"outcome_withheld_admin_query": "_ _ _ _ _ _ _", "requests_carried_in": "3 _ _ _ _ _ 3"}
    )
    text = forms(table3)[form]
    rows = extract_text(text, packs=["gip"])
    values = gip_values(rows)
    assert "gip.requests_carried_in.commercial" not in values
    assert values["gip.requests_carried_in.total"] == "3"
    assert findings(rows, text, load_rules()) == ()


def test_a_slash_is_no_row_and_a_note_after_the_number_keeps_the_number():
    table3 = gm.with_cells(gm.TABLE3, {"outcome_withheld_state_secret": "0 / / / / / 0"})
    text = gm.markdown_text(table3).replace("| 行政规范性文件 | 6 |", "| 行政规范性文件 | 6（其中修订2件） |")
    rows = {r.indicator: r for r in extract_text(text, packs=["gip"])}
    assert "gip.outcome_withheld_state_secret.commercial" not in rows
    assert rows["gip.outcome_withheld_state_secret.total"].value == 0
    issued = rows["gip.normative_documents.issued"]
    assert (issued.value, issued.raw) == (Decimal(6), "6（其中修订2件）")


def test_a_row_one_cell_short_gives_a_warning_and_no_rows(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text(
        gm.raw_text().replace("2.重复申请 1 0 0 0 0 0 1", "2.重复申请 1 0 0 0 0 1"), encoding="utf-8"
    )
    done = run_cli("extract", "-p", "gip", str(path))
    assert done.returncode == 0
    ids = {r["indicator"] for r in csv_records(done.stdout)}
    assert not any(i.startswith("gip.outcome_not_processed_repeat.") for i in ids)
    assert "gip.outcome_not_processed_petition.total" in ids
    assert f"warning: {path}: gip table 三 row 17: 6 cells, expected 7" in done.stderr.decode()


TABLE2_2019 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年新制作数量 本年新公开数量 对外公开总数量
规章 1 1 9
规范性文件 4 4 37
第二十条第（五）项
信息内容 上一年项目数量 本年增/减 处理决定数量
行政许可 120 -3 870
其他对外管理服务事项 15 0 42
第二十条第（六）项
信息内容 上一年项目数量 本年增/减 处理决定数量
行政处罚 300 12 2100
行政强制 25 0 16
第二十条第（八）项
信息内容 上一年项目数量 本年增/减
行政事业性收费 6 -1
第二十条第（九）项
信息内容 采购项目数量 采购总金额
政府集中采购 14 360000元
"""


def test_a_2019_table_two_and_the_one_row_other_outcome():
    table3 = tuple(row for row in gm.TABLE3 if not (row[1] or "").startswith("outcome_other_"))
    table3 = tuple(
        (
            label,
            "outcome_other" if label == "（六）其他处理" else row,
            "3 0 0 0 0 0 3" if label == "（六）其他处理" else values,
        )
        for label, row, values in table3
    )
    text = gm.raw_text(table3)
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理")
    text = text[:start] + TABLE2_2019 + text[end:]
    rows = extract_text(text.replace("2022年", "2019年"), packs=["gip"])
    values = gip_values(rows)
    assert {r.pattern for r in rows} == {"gip/table2/2019", "gip/table3/2019", "gip/table4/2019"}
    assert values["gip.normative_documents.made_2019"] == "4"
    assert values["gip.licensing.items_change"] == "-3"
    assert values["gip.procurement.amount"] == "360000"
    assert values["gip.outcome_other.total"] == "3"
    assert "gip.outcome_other_other.total" not in values
    assert len(values) == 22 + 23 * 7 + 15
    catalogue = [r for r in extract_text(text, packs=["normative_documents"]) if r.pattern.startswith("gip/")]
    assert [(r.indicator, r.value) for r in catalogue] == [("normative_documents.issued", 4)]


def test_own_section_numbering_is_matched_by_text_not_ordinal():
    text = gm.raw_text()
    for old, new in (
        ("二、主动公开政府信息情况", "一、主动公开政府信息情况"),
        ("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况"),
        ("四、政府信息公开行政复议、行政诉讼情况", "三、政府信息公开行政复议、行政诉讼情况"),
        ("五、存在的主要问题", "四、存在的主要问题"),
    ):
        text = text.replace(old, new)
    assert gip_values(extract_text(text, packs=["gip"])) == gm.expected_values()


def test_prose_rows_stay_and_table_numbers_are_read_only_by_the_table_reader():
    rows = extract_text(gm.raw_text())  # the default packs
    table_start = gm.raw_text().index("二、主动公开政府信息情况")
    prose = [(r.indicator, r.value) for r in rows if not r.pattern.startswith("gip/")]
    assert ("disclosure.requests_received", 83) in prose
    assert all(r.raw_start < table_start for r in rows if not r.pattern.startswith("gip/"))
    table = sorted((r.indicator, r.value) for r in rows if r.pattern.startswith("gip/"))
    assert table == [
        ("disclosure.requests_received", 83),
        ("normative_documents.issued", 6),
        ("normative_documents.repealed", 3),
    ]
    assert not any(r.indicator.startswith("gip.") for r in rows)  # gip runs only when named


def test_reports_without_gip_tables_give_no_gip_rows():
    done = run_cli("extract", "-p", "gip", "sample_data")
    assert done.returncode == 0
    assert csv_records(done.stdout) == []


def test_the_cells_file_gives_226_ids_with_the_2021_ones_first():
    ids = load_template().ids()
    assert len(ids) == 226
    assert ids[199] == "gip.litigation_after_reconsideration.total"
    done = run_cli("packs", "check", "gip")
    assert done.returncode == 0, done.stderr.decode()


# --- the development reports (../shared/gip_examples) ---------------------------------

APPENDIX_T3_HUAIAN = """3001 53 0 0 61 4 3119|34 0 0 0 0 0 34|1288 21 0 0 50 3 1362|447 7 0 0 0 0 454
|2 0 0 0 0 0 2
|30 1 0 0 0 0 31|5 0 0 0 0 0 5|6 0 0 0 0 0 6|7 1 0 0 0 0 8|12 0 0 0 0 0 12|9 0 0 0 0 0 9|105 0 0 0 0 0 105
|746 12 0 0 10 1 769|11 0 0 0 0 0 11|1 0 0 0 0 0 1|56 6 0 0 0 0 62|25 0 0 0 0 0 25|0 0 0 0 0 0 0
|0 0 0 0 0 0 0|1 0 0 0 0 0 1|67 3 0 0 1 0 71|6 0 0 0 0 0 6|108 2 0 0 0 0 110|2932 53 0 0 61 4 3050
|103 0 0 0 0 0 103"""
APPENDIX_NATURAL = {
    "hongze_2023": "21 0 0 4 1 0 0 0 0 1 1 0 10 3 0 1 0 0 0 0 0 21 0",
    "hongze_2024": "95 0 50 9 0 0 1 0 0 1 1 0 31 1 0 1 0 0 0 0 0 95 0",
}
APPENDIX_T4_T2 = {
    "huaian_city_2024": (
        "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20",
        "1 0 11 8 26 66 447228 3985758 88283 961716000",
    ),
    "hongze_2023": ("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0", "0 0 0 0 5 5 550 4119 195 77302800"),
    "hongze_2024": ("1 1 0 0 2 1 0 0 0 1 2 0 1 0 3", "0 0 0 3 0 8 9487 2776 84 75450000"),
}


def appendix(report: str) -> dict[str, str]:
    """The spec appendix's cells of one development report, by id."""
    template = load_template()
    t2 = [c.id for r in template.rows("二", "2021") for c in r.cells]
    t4 = [c.id for c in template.rows("四", "2021")[0].cells]
    t4_values, t2_values = APPENDIX_T4_T2[report]
    cells = dict(zip(t2, t2_values.split(), strict=True)) | dict(zip(t4, t4_values.split(), strict=True))
    if report == "huaian_city_2024":
        rows = template.rows("三", "2021")
        for row, values in zip(rows, APPENDIX_T3_HUAIAN.replace("\n", "").split("|"), strict=True):
            cells |= dict(zip((c.id for c in row.cells), values.split(), strict=True))
    else:
        rows = template.rows("三", "23")
        for row, value in zip(rows, APPENDIX_NATURAL[report].split(), strict=True):
            cells |= {c.id: (value if c.column in ("自然人", "总计") else "0") for c in row.cells}
    return cells


@needs_shared()
@pytest.mark.parametrize("report", ["huaian_city_2024", "hongze_2023", "hongze_2024"])
@pytest.mark.parametrize("suffix", [".pdf", ".pypdfium2.txt"])
def test_every_cell_of_the_development_reports(report, suffix):
    path = EXAMPLES / f"{report}{suffix}"
    rows = extract_rows("-p", "gip", str(path))
    assert {r["indicator"]: r["value"] for r in rows} == appendix(report)
    assert len(rows) == (200 if report == "huaian_city_2024" else 186)
    text = run_cli("text", str(path)).stdout.decode()
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["evidence"]
        assert row["evidence"].endswith(row["raw"])
    pattern = "2021" if report == "huaian_city_2024" else "2021-other-collapsed"
    assert {r["pattern"].rsplit("/", 1)[1] for r in rows} == {pattern}


@needs_shared()
@pytest.mark.parametrize("packs", [("-p", "gip"), ()])
def test_check_finds_only_the_two_table_four_sum_errors(packs):
    paths = [str(EXAMPLES / f"{r}.pdf") for r in ("hongze_2023", "hongze_2024")]
    done = run_cli("check", *packs, *paths)
    assert done.returncode == 0, done.stderr.decode()
    found = [(r["doc"], r["rule"], r["values"]) for r in csv_records(done.stdout)]
    if packs:
        assert found == [
            ("hongze_2023", "gip_t4_total", "0;10;1;0;0"),
            ("hongze_2023", "gip_t4_total", "0;5;0;0;0"),
        ]
    else:
        assert found == []


@needs_shared()
def test_check_finds_nothing_in_the_consistent_city_report_with_gip():
    done = run_cli("check", "-p", "gip", str(EXAMPLES / "huaian_city_2024.pdf"))
    assert done.returncode == 0
    assert csv_records(done.stdout) == []


@needs_shared()
def test_wide_gives_a_report_per_row_and_a_column_per_cell():
    done = run_cli("extract", "--wide", "-p", "gip", *(str(p) for p in sorted(EXAMPLES.glob("*.pdf"))))
    assert done.returncode == 0, done.stderr.decode()
    records = list(csv.DictReader(io.StringIO(done.stdout.decode())))
    columns = list(records[0])
    assert columns[:6] == ["doc", "path", "region", "adcode", "agency", "year"]
    assert columns[6:-2] == list(load_template().ids())
    fees = {r["doc"]: r["gip.admin_fees.amount"] for r in records}
    assert fees == {"hongze_2023": "77302800", "hongze_2024": "75450000", "huaian_city_2024": "961716000"}
    assert [r["gip.outcome_other.total"] for r in records] == ["0", "0", ""]
    assert [r["gip.outcome_other_other.total"] for r in records] == ["", "", "110"]


@needs_shared()
def test_the_template_docx_gives_no_gip_rows():
    done = run_cli("extract", "-p", "gip", str(EXAMPLES / "gip_template_2021_govnianbao.docx"))
    assert done.returncode == 0
    assert csv_records(done.stdout) == []


@needs_shared()
def test_in_the_dev_set_only_the_gip_excerpts_give_gip_rows():
    texts = sorted(p for p in (SHARED / "dev" / "texts").glob("dev*.txt") if int(p.stem[3:]) < 70)
    with_rows = sorted(p.stem for p in texts if extract_text(p.read_text(encoding="utf-8"), packs=["gip"]))
    assert with_rows == ["dev25", "dev37"]


def test_reading_is_cheap_for_reports_without_the_tables():
    assert (
        read_tables(Path(ROOT / "sample_data" / "liuyang_2020.txt").read_text(encoding="utf-8")).tables == ()
    )
