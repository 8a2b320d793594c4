"""Plans by section: headings, plan spans, done clauses, targets, and the matcher's use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportmetrics.api import extract_text
from reportmetrics.match import set_aside
from reportmetrics.sections import headings, is_target, plan_sections, plan_words

REPORT = "\n".join(
    [
        "某县2023年法治政府建设情况报告",
        "一、主要工作",
        "（一）行政复议",
        "全年受理行政复议案件46件，审结41件。",
        "二、下一步工作打算",
        "（一）复议工作",
        "力度加大，全年审结行政复议案件60件。",
        "（二）应诉工作",
        "行政机关负责人出庭应诉案件达到30件。",
        "2023年已审结行政复议案件41件。",
        "三、其他情况",
        "全年受理行政复议案件12件。",
    ]
)


def _values(text: str, indicator: str) -> list[Decimal]:
    return [row.value for row in extract_text(text) if row.indicator == indicator]


# ------------------------------------------------------------------------ headings


@pytest.mark.parametrize(
    ("line", "rank", "style"),
    [
        ("第一部分 工作回顾", 1, "第一"),
        ("二、下一步工作打算", 2, "一、"),
        ("（三）2024年工作计划", 3, "(一)"),
        ("(三)2024年工作计划", 3, "(一)"),
        ("1.加强复议工作", 4, "1."),
        ("(2)规范应诉", 5, "(1)"),
        ("①审查备案", 6, "①"),
        ("下一步工作思路", 7, "title"),
    ],
)
def test_heading_level_is_its_ordinal_style(line: str, rank: int, style: str) -> None:
    [heading] = headings(f"正文。\n{line}\n正文。")
    assert (heading.rank, heading.style, heading.text) == (rank, style, line)


@pytest.mark.parametrize(
    "line",
    [
        "二、全年受理行政复议案件46件。",  # a sentence, not a heading
        "受理案件46件,审结41件",  # clause marks: prose
        "1.5",  # a number
        "一" * 41,  # too long
    ],
)
def test_lines_that_are_not_headings(line: str) -> None:
    assert headings(line) == []


def test_heading_offsets_index_into_the_text() -> None:
    text = "正文。\n  四、下一步工作安排\n正文。"
    [heading] = headings(text)
    assert text[heading.start : heading.end] == "四、下一步工作安排"


# -------------------------------------------------------------------- plan spans


def test_plan_section_runs_to_the_next_heading_of_the_same_or_higher_level() -> None:
    sections = plan_sections(REPORT)
    [(start, end, year)] = sections.spans
    assert REPORT[start:end].strip().startswith("（一）复议工作")
    assert REPORT[end:].startswith("三、其他情况")
    assert year is None


def test_plan_heading_year_is_the_plans_year() -> None:
    text = "正文。\n（三）2024年工作计划\n审结案件50件。"
    assert plan_sections(text).spans[0][2] == 2024


def test_a_heading_reporting_on_a_plan_opens_no_plan_section() -> None:
    assert not plan_sections("正文。\n三、2023年工作计划完成情况\n审结案件50件。")


def test_a_bare_plan_title_holds_its_numbered_items() -> None:
    text = "正文。\n下一步工作计划\n1.审结案件50件\n2.出庭应诉30件\n附件说明\n审结案件9件"
    [(start, end, _)] = plan_sections(text).spans
    assert "出庭应诉30件" in text[start:end]
    assert "审结案件9件" not in text[start:end]


def test_text_without_plan_words_has_no_plan_sections() -> None:
    assert not plan_sections("一、主要工作\n审结案件41件。")


def test_plan_words_are_data_in_the_lexicon() -> None:
    words = plan_words()
    assert "下一步" in words.headings and "已" in words.done


# ------------------------------------------------------------ the matcher uses them


def test_numbers_under_a_plan_heading_give_no_row() -> None:
    assert _values(REPORT, "reconsideration.cases_concluded") == [Decimal(41), Decimal(41)]
    assert _values(REPORT, "litigation.head_appearances") == []


def test_numbers_after_the_plan_section_are_levels_again() -> None:
    assert _values(REPORT, "reconsideration.cases_accepted") == [Decimal(46), Decimal(12)]


@pytest.mark.parametrize(
    "clause",
    [
        "已审结行政复议案件41件",
        "审结了行政复议案件41件",
        "全年共审结行政复议案件41件",
        "2023年审结行政复议案件41件",
    ],
)
def test_a_clause_stating_a_number_as_done_is_a_level_under_a_plan_heading(clause: str) -> None:
    text = f"某县2023年法治政府建设情况报告\n四、下一步工作安排\n{clause}。"
    assert _values(text, "reconsideration.cases_concluded") == [Decimal(41)]


def test_a_clause_naming_the_plans_own_year_stays_a_plan() -> None:
    text = "某县2023年法治政府建设情况报告\n四、2024年工作计划\n2024年审结行政复议案件60件。"
    assert _values(text, "reconsideration.cases_concluded") == []


def test_kept_within_a_bound_is_a_target() -> None:
    text = "行政复议纠错率控制在15%以内。"
    start = text.index("15%")
    assert is_target(text, start, start + len("15%以内"))
    assert not is_target(text, start, start + len("15%"))
    assert _values(text, "reconsideration.correction_rate") == []
    assert _values("行政复议纠错率为15%。", "reconsideration.correction_rate") == [Decimal(15)]


# -------------------------------------------------------------------- set_aside


@pytest.mark.parametrize(
    ("text", "literal", "reason"),
    [
        ("受理案件46件,同比上升11.9%", "11.9%", "change"),
        ("纠错率提高5.42个百分点", "5.42", "change"),
        ("力争审结案件60件", "60", "plan"),
        ("纠错率控制在15%以内", "15%以内", "plan"),
        ("2023年受理案件46件", "2023", "year"),
        ("2019-2022年受理案件", "2019", "year"),
        ("3月5日受理案件", "3", "date"),
        ("发布时间:2024-02-27 09:53", "09", "date"),
        ("依据《办法》(县政发〔2023〕5号)受理案件", "5", "document number"),
        ("依据〔2023〕5号文件", "2023", "document number"),
        ("第3批受理案件", "3", "ordinal"),
        ("受理案件46件", "46", None),
    ],
)
def test_set_aside_names_why_a_number_is_no_level(text: str, literal: str, reason: str | None) -> None:
    start = text.index(literal)
    assert set_aside(text, start, start + len(literal)) == reason


def test_set_aside_sees_plan_sections() -> None:
    start = REPORT.index("60件")
    assert set_aside(REPORT, start, start + 2) == "plan"
    start = REPORT.index("12件")
    assert set_aside(REPORT, start, start + 2) is None
