"""Engine rules every pattern relies on, and the search shortcuts that must not change
what is found."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmetrics.api import extract_text
from reportmetrics.match import CLAUSE_REACH, _clause_start, required_words


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("(?:收到|新收)了?{long}(?:行政)?复议(?:申请|案件){gap}{count}", ("复议",)),
        ("审结?案件{num}", ("案件",)),  # 结 is optional, so 审 alone is not a word
        ("审结案件{0,3}{num}", ("审结案",)),
        ("[审结]案件{num}", ("案件",)),
        (r"审结\n{num}", ("审结",)),
        (r"\p{Han}审结{num}", ("审结",)),
        ("收到申请{num}|审结{num}", ()),  # top-level alternatives: nothing is certain
    ],
)
def test_required_words_are_only_what_every_match_contains(source: str, words: tuple[str, ...]) -> None:
    assert required_words(source) == words


def values(text: str) -> list[tuple[str, str, str]]:
    return [(r.indicator, str(r.value), r.qualifier) for r in extract_text(text)]


def test_a_change_is_not_a_level_but_a_level_reached_is() -> None:
    assert values("行政复议纠错率同比下降3.2%") == []
    assert values("行政复议纠错率同比下降至16.4%") == [("reconsideration.correction_rate", "16.4", "exact")]


def test_percentage_points_never_fill_a_rate() -> None:
    assert values("行政复议纠错率较上年提高5.42个百分点") == []


def test_plans_and_targets_are_not_results() -> None:
    assert values("2024年力争审结行政复议案件200件。") == []
    assert values("计划出台规范性文件10件。") == []
    plans = ("2025年计划审查规范性文件50件。", "明年将评查行政执法案卷300卷。", "将调解纠纷1000件。")
    for plan in plans:
        assert values(plan) == [], plan


def test_a_change_against_a_named_year_is_not_a_level() -> None:
    assert values("受理行政复议案件较2022年多12件。") == []
    assert values("受理行政复议案件比2021年度增加12件。") == []


def test_one_number_gets_one_indicator() -> None:
    rows = values("审查备案政府规范性文件7件。")
    assert rows == [("normative_documents.filed", "7", "exact")]


def test_two_numbers_after_a_shared_verb_give_two_rows() -> None:
    rows = extract_text("废止6件市政府规范性文件和7件部门规范性文件。")
    assert [(r.indicator, str(r.value)) for r in rows] == [
        ("normative_documents.repealed", "6"),
        ("normative_documents.repealed", "7"),
    ]
    assert rows[0].evidence == "废止6件市政府规范性文件"
    assert rows[1].evidence.startswith("废止") and rows[1].evidence.endswith("7件部门规范性文件")


def test_a_table_row_puts_the_number_on_the_next_line() -> None:
    assert ("reconsideration.upheld", "3509", "exact") in values("行政复议结果\n作出维持决定\n3509\n")


def test_qualifiers_travel_with_the_number() -> None:
    rows = extract_text("全市行政执法人员超过4000名。")
    assert [(r.value, r.qualifier, r.raw) for r in rows] == [(4000, "over", "超过4000")]


def test_a_plan_word_counts_only_within_its_own_clause() -> None:
    assert extract_text("力争明年审结行政复议案件100件") == []
    assert len(extract_text("力争做好复议工作,全年审结行政复议案件100件")) == 1
    # Without punctuation a clause is taken to reach back at most CLAUSE_REACH characters.
    filler = "的" * (CLAUSE_REACH + 10)
    assert len(extract_text("力争" + filler + "审结行政复议案件100件")) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="的,。\n;:!?a", max_size=2 * CLAUSE_REACH), st.data())
def test_the_clause_start_is_just_after_the_last_clause_end_in_reach(text: str, data) -> None:
    position = data.draw(st.integers(0, len(text)))
    floor = max(0, position - CLAUSE_REACH)
    ends = [i for i in range(floor, position) if text[i] in ",。\n;:!?"]
    assert _clause_start(text, position) == (ends[-1] + 1 if ends else floor)
