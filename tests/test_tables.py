"""Tables whose labels form a header row above a row of numbers: each column is read as
its label above its cell, and the rows point back into the text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportmetrics import extract_text
from reportmetrics.tables import header_columns

TABLE = "行政复议工作情况\n收到复议申请 | 受理 | 审结 | 纠错率\n125 | 120 | 110 | 8.2%\n"


def test_each_column_of_a_header_row_gives_its_indicator() -> None:
    rows = extract_text(TABLE, doc="t")
    assert [(r.indicator, r.value) for r in rows] == [
        ("reconsideration.applications_received", Decimal(125)),
        ("reconsideration.cases_accepted", Decimal(120)),
        ("reconsideration.cases_concluded", Decimal(110)),
        ("reconsideration.correction_rate", Decimal("8.2")),
    ]
    for row in rows:
        assert TABLE[row.start : row.end] == row.evidence
        assert TABLE[row.raw_start : row.raw_end] == row.raw


@pytest.mark.parametrize("separator", ["\t", "    "])
def test_tabs_and_runs_of_blanks_separate_cells_too(separator: str) -> None:
    text = f"收到复议申请{separator}审结\n64{separator}58\n"
    assert [c.cell_end - c.cell_start for c in header_columns(text)] == [2, 2]
    assert [r.value for r in extract_text(text, doc="t")] == [Decimal(64), Decimal(58)]


@pytest.mark.parametrize(
    "text",
    [
        "收到复议申请 | 审结 | 纠错率\n125 | 120\n",  # one cell short: which is which?
        "2022年 | 2023年\n125 | 120\n",  # a header with digits is no header of labels
        "收到复议申请 | 审结\n较多 | 120\n",  # a cell that is no number
    ],
)
def test_rows_that_are_not_a_clean_header_and_numbers_pair_give_no_columns(text: str) -> None:
    assert header_columns(text) == []


def test_a_header_tables_other_labels_are_no_exclusion_words() -> None:
    # 公职律师 excludes clauses about 法律顾问; the neighbouring label is another column.
    rows = extract_text("法律顾问 公职律师\n56 12\n", doc="t")
    assert [(r.indicator, r.value) for r in rows] == [
        ("legal_services.legal_advisors", Decimal(56)),
        ("legal_services.public_lawyers", Decimal(12)),
    ]


@pytest.mark.parametrize("text", ["收到复议申请 审结 维持\n125 110\n", "审结\n29 757\n"])
def test_numbers_alone_on_a_line_are_cells_never_one_number(text: str) -> None:
    # Which label goes with which cell is not certain here: no row, never 125110.
    assert extract_text(text, doc="t") == []
