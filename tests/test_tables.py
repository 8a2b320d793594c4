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
