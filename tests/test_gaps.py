"""`reportmetrics gaps`: numbers in keyword sentences that gave no row and were not set aside."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_records, run_cli

from reportmetrics.api import extract_text
from reportmetrics.gaps import GAP_COLUMNS, candidates, catalogue_keywords, gaps
from reportmetrics.pipeline import matcher_for

KEYWORDS = catalogue_keywords(matcher_for().patterns)
# 审结41件 gives a row; 投诉举报的12件 (a split by kind) gives none and is a gap; 同比上升3%
# is a change, 2023年 a year; the last sentence holds no catalogue keyword at all.
TEXT = (
    "2023年，全县受理行政复议案件46件，同比上升3%，审结41件。"
    "行政复议案件中，涉及投诉举报的12件。\n"
    "全县绿地面积37公顷。"
)


def _gaps(text: str) -> list:
    return gaps("doc", "doc.txt", text, extract_text(text), KEYWORDS)


def test_a_number_in_a_keyword_sentence_without_a_row_is_a_gap() -> None:
    found = _gaps(TEXT)
    assert [(g.number, g.keyword) for g in found] == [("12", "行政复议案件")]
    gap = found[0]
    assert TEXT[gap.start : gap.end] == "12"
    assert gap.sentence == "行政复议案件中，涉及投诉举报的12件"


def test_numbers_that_gave_rows_or_were_set_aside_are_no_gaps() -> None:
    kinds = {c.number: c.set_aside for c in candidates("doc", "doc.txt", TEXT, extract_text(TEXT), KEYWORDS)}
    assert kinds["2023"] == "year"
    assert kinds["3%"] == "change"
    assert "46" not in kinds and "41" not in kinds  # they gave rows
    assert "37" not in kinds  # no catalogue keyword in its sentence


def test_numerals_in_place_names_are_no_numbers() -> None:
    assert _gaps("七里河区受理行政复议案件的情况良好。") == []


def test_gap_offsets_index_into_the_original_text() -> None:
    text = "全縣受理行政復議案件４６件。行政復議案件中，涉及投訴舉報的１２件。"
    [gap] = _gaps(text)
    assert text[gap.start : gap.end] == gap.number == "１２"


def test_gaps_command_writes_the_contract_columns(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(TEXT, encoding="utf-8")
    done = run_cli("gaps", str(report))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[0] == ",".join(GAP_COLUMNS)
    records = csv_records(done.stdout)
    assert [(r["doc"], r["number"], r["sentence"]) for r in records] == [
        ("report", "12", "行政复议案件中，涉及投诉举报的12件")
    ]
    assert TEXT[int(records[0]["start"]) : int(records[0]["end"])] == "12"


def test_gaps_command_reports_an_unreadable_input_and_goes_on(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(TEXT, encoding="utf-8")
    done = run_cli("gaps", str(tmp_path / "missing.txt"), str(report))
    assert done.returncode == 1
    assert "missing.txt" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
    assert [r["number"] for r in csv_records(done.stdout)] == ["12"]
