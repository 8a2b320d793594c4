"""Tables people open as they are: xlsx, parquet, jsonl and --wide, all exact."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import csv_records, extract_rows, run_cli

from reportmetrics.api import extract_text
from reportmetrics.catalogue import CATALOGUE


def test_jsonl_reads_back_to_the_csv_values(tmp_path: Path, sample_rows) -> None:
    out = tmp_path / "rows.jsonl"
    assert run_cli("extract", "sample_data", "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    values = [json.loads(line, parse_float=Decimal, parse_int=Decimal)["value"] for line in lines]
    assert values == [Decimal(r["value"]) for r in sample_rows]


def test_jsonl_writes_each_value_with_its_digits_as_stated() -> None:
    text = "审结行政复议案件12,077.50件，纠错率4.30%，全市行政执法人员3万余名。".encode()
    done = run_cli("extract", "-", "-f", "jsonl", stdin=text)
    lines = done.stdout.decode("utf-8").splitlines()
    assert [line[line.index('"value"') : line.index(', "unit"')] for line in lines] == [
        '"value": 12077.50',
        '"value": 4.30',
        '"value": 30000',
    ]


def test_wide_jsonl_has_every_indicator_column_in_catalogue_order() -> None:
    done = run_cli("extract", "--wide", "-f", "jsonl", "sample_data/liuyang_2020.txt")
    record = json.loads(done.stdout.decode("utf-8"))
    assert list(record)[:6] == ["doc", "path", "region", "adcode", "agency", "year"]
    assert list(record)[6:-2] == list(CATALOGUE)
    assert record["reconsideration.upheld"] == 34 and record["petitions.received"] is None


def test_xlsx_has_a_frozen_header_and_numbers_equal_to_the_csv(tmp_path: Path, sample_rows) -> None:
    import openpyxl

    out = tmp_path / "rows.xlsx"
    assert run_cli("extract", "sample_data", "-o", str(out)).returncode == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["doc", "path", "region", "adcode", "agency", "year", "period", "indicator", "value"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["M"].width >= 40  # evidence is readable
    values = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, (int, float)) for v in values)
    assert [Decimal(str(v)) for v in values] == [Decimal(r["value"]) for r in sample_rows]


def test_parquet_values_are_exact_decimals(tmp_path: Path, sample_rows) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "rows.parquet"
    assert run_cli("extract", "sample_data", "-o", str(out)).returncode == 0
    table = pq.read_table(out)
    assert str(table.schema.field("value").type) == "decimal128(38, 6)"
    assert table.column("value").to_pylist() == [Decimal(r["value"]) for r in sample_rows]
    assert table.column("evidence").to_pylist() == [r["evidence"] for r in sample_rows]


def test_wide_gives_every_document_read_a_row_and_marks_qualifiers(tmp_path: Path) -> None:
    (tmp_path / "quiet.txt").write_text("本报告不含任何指标数字。", encoding="utf-8")
    rows = extract_rows("--wide", "sample_data", str(tmp_path / "quiet.txt"))
    assert [r["doc"] for r in rows] == [
        "huadu_2020",
        "jianghai_2017",
        "liuyang_2020",
        "tanbu_2022",
        "zhaoqing_2023",
        "quiet",
    ]
    assert list(rows[0])[6 : 6 + len(CATALOGUE)] == list(CATALOGUE)
    liuyang = rows[2]
    assert liuyang["reconsideration.correction_rate"] == "33.34"
    assert liuyang["enforcement.officers"] == "4000"
    assert "enforcement.officers 4000 over (超过4000)" in liuyang["notes"]
    # the second filed count (部门规范性文件7件) is not lost: it is in the notes
    assert liuyang["normative_documents.filed"] == "7"
    assert "normative_documents.filed 7 exact also at" in liuyang["notes"]
    assert rows[-1]["mentions"] == "0" and rows[-1]["reconsideration.correction_rate"] == ""


def test_wide_columns_follow_the_selected_packs() -> None:
    rows = extract_rows("--wide", "-p", "litigation", "sample_data/zhaoqing_2023.txt")
    ids = [c for c in rows[0] if "." in c]
    assert ids == [i for i in CATALOGUE if i.startswith("litigation.")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_rows_rendered_where_they_are_found_are_the_csv_lines_of_those_rows(
    jobs: int, sample_rows, monkeypatch
) -> None:
    from conftest import ROOT

    from reportmetrics.load import expand_paths
    from reportmetrics.output import render_csv_rows, renderer_for
    from reportmetrics.pipeline import run

    assert renderer_for("csv") is render_csv_rows
    assert renderer_for("csv", wide=True) is None and renderer_for("xlsx") is None
    monkeypatch.chdir(ROOT)  # paths as the CLI run for `sample_rows` wrote them
    sources = expand_paths(["sample_data"]).sources
    results = list(run(sources, jobs=jobs, render=render_csv_rows))
    assert all(r.rows == () and r.rendered is not None for r in results)
    assert sum(r.count for r in results) == len(sample_rows)
    header = ",".join(sample_rows[0]) + "\n"
    parsed = list(csv.DictReader(io.StringIO(header + "".join(r.rendered for r in results))))
    assert parsed == sample_rows


def test_wide_notes_every_mention_of_an_indicator_without_a_column(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(
        "pack: demo\ntitle: demo\nindicators:\n"
        "  - id: demo.visits\n    unit: count\n    name: 走访\n    patterns:\n"
        "      - id: 1\n        note: 走访 N 次\n        keywords: [走访]\n"
        "        regex: 走访{gap}{count}\n"
        "        examples:\n          - {text: 走访企业12次, value: 12}\n"
        "        counter_examples: [走访企业]\n",
        encoding="utf-8",
    )
    text = "全年走访企业12次，走访群众30余人次。".encode()
    done = run_cli("extract", "-", "--wide", "--patterns", str(tmp_path), "-p", "demo", stdin=text)
    (row,) = csv_records(done.stdout)
    assert row["mentions"] == "2"
    assert row["notes"] == "demo.visits 12 exact (12), no column; demo.visits 30 over (30余), no column"


def test_wide_cell_takes_the_reports_year_and_notes_other_periods(tmp_path: Path) -> None:
    from dataclasses import replace

    from reportmetrics.docfields import DocumentFields
    from reportmetrics.load import Source
    from reportmetrics.output import open_writer
    from reportmetrics.pipeline import Result

    text = "全年共收到行政复议申请120件,较2022年的150件有所减少。"
    row, earlier = extract_text(text, doc="r")
    # The engine gives the other year's level its own row, with that year as its period.
    assert (earlier.value, earlier.period) == (Decimal(150), 2022)
    this_year = replace(row, period=2023)
    info = DocumentFields("佛山市顺德区", 2023, "440606", "佛山市顺德区人民政府")
    out = tmp_path / "wide.jsonl"
    writer = open_writer("jsonl", str(out), wide=True, indicators=list(CATALOGUE))
    writer.add(Result(Source("r.txt"), "r", info, (earlier, this_year)))
    writer.close()
    record = json.loads(out.read_text(encoding="utf-8"))
    assert (record["adcode"], record["agency"], record["year"]) == ("440606", "佛山市顺德区人民政府", 2023)
    assert record["reconsideration.applications_received"] == 120
    assert "reconsideration.applications_received 150 exact for 2022" in record["notes"]
