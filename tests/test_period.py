"""Period: the year a figure is for, read from the text around its number."""

from __future__ import annotations

import pytest

from reportmetrics.period import period_of


def period(text: str, number: str, year: int | None = 2023, nth: int = 1) -> int | None:
    at = -1
    for _ in range(nth):
        at = text.index(number, at + 1)
    return period_of(text, at, at + len(number), year)


def test_a_level_stated_for_an_earlier_year_takes_that_year() -> None:
    text = "本年度共受理复议申请210件,较2021年的340件明显减少。"
    assert period(text, "340") == 2021
    assert period(text, "210") == 2023


@pytest.mark.parametrize("word", ["上年", "去年", "上一年"])
def test_last_year_said_in_words_is_the_year_before(word: str) -> None:
    assert period(f"全年化解纠纷75起,{word}化解纠纷61起。", "61") == 2022


def test_each_number_of_a_list_over_a_run_of_years_takes_its_year() -> None:
    text = "2016年至2019年行政应诉败诉率分别为21.5%、17.25%、12%、8.75%。"
    assert [period(text, n) for n in ("21.5", "17.25", "12", "8.75")] == [2016, 2017, 2018, 2019]


def test_a_list_over_named_years_takes_each_number_its_year() -> None:
    text = "2020年、2021年、2022年分别聘请法律顾问9名、11名、14名。"
    assert period(text, "11") == 2021


@pytest.mark.parametrize(
    "text",
    [
        "三年来共办结行政复议案件480件。",
        "2017年至2021年共办结行政复议案件480件。",
        "自2018年以来办结案件480件。",
    ],
)
def test_a_figure_over_several_years_has_no_period(text: str) -> None:
    assert period(text, "480") is None


def test_a_year_opening_the_sentence_carries_to_its_later_clauses() -> None:
    text = "2022年,全区收到信息公开申请88件,同比增长12%,按时答复86件。"
    assert period(text, "86", year=2023) == 2022


def test_a_year_said_in_passing_does_not_carry_over() -> None:
    text = "共审结申请60件(含上年度结转),其中撤销11件。"
    assert period(text, "11") == 2023


def test_without_any_year_known_there_is_no_period() -> None:
    assert period("全市共调解纠纷420件。", "420", year=None) is None


def test_with_no_other_year_named_the_period_is_the_reports_year() -> None:
    assert period("全年累计审结各类案件66起。", "66") == 2023
