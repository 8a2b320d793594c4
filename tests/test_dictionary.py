"""The data dictionary: each indicator's id, Chinese name, unit and meaning, from the packs;
as a sheet of every .xlsx output and beside the ids on the review page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, run_cli

from reportmetrics.catalogue import CATALOGUE
from reportmetrics.dictionary import entries, split_name
from reportmetrics.packs import load_packs


@pytest.fixture(scope="module")
def builtin_packs():
    return load_packs()


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("审结行政复议案件 cases concluded", ("审结行政复议案件", "cases concluded")),
        (
            "行政诉讼/应诉案件 administrative lawsuits (instance not stated)",
            ("行政诉讼/应诉案件", "administrative lawsuits (instance not stated)"),
        ),
        ("败诉率", ("败诉率", "")),
        ("来信 2 letters", ("来信 2", "letters")),
    ],
)
def test_a_pack_name_splits_into_chinese_name_and_meaning(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_catalogue_ids_come_first_in_catalogue_order_each_named(builtin_packs) -> None:
    listed = entries(builtin_packs)
    assert [e.id for e in listed][: len(CATALOGUE)] == list(CATALOGUE)
    for entry in listed[: len(CATALOGUE)]:
        assert entry.catalogue and not entry.own
        assert entry.unit == CATALOGUE[entry.id]
        assert entry.name and not entry.name.isascii() and entry.meaning.isascii()


def test_xlsx_output_has_a_data_dictionary_sheet(tmp_path: Path, builtin_packs) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    done = run_cli("extract", str(SAMPLE_DATA), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["rows", "indicators"]
    sheet = [list(r) for r in book["indicators"].iter_rows(values_only=True)]
    assert sheet[0] == ["indicator", "name", "unit", "meaning"]
    assert sheet[1:] == [list(e.cells()) for e in entries(builtin_packs)]
    named = {row[0]: row[1] for row in sheet[1:]}
    assert named["reconsideration.terminated"] == "终止"
    rows = book["rows"].iter_rows(values_only=True)
    at = list(next(rows)).index("indicator")
    used = {row[at] for row in rows}
    assert used <= set(named)


def test_a_pack_selection_lists_only_its_indicators_in_the_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    assert run_cli("extract", str(SAMPLE_DATA), "-p", "litigation", "-o", str(out)).returncode == 0
    rows = list(load_workbook(out, read_only=True)["indicators"].iter_rows(min_row=2, values_only=True))
    assert rows and all(row[0].startswith("litigation.") for row in rows)


def test_the_review_page_carries_each_indicators_chinese_name(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    assert run_cli("review", str(SAMPLE_DATA), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    meta = json.loads(
        re.search(r'<script type="application/json" id="rm-meta">(.*?)</script>', page, re.S)[1]
    )
    names = dict(zip(meta["indicators"], meta["names"], strict=True))
    assert names["normative_documents.repealed"] == "废止规范性文件"
    assert all(names.values())
