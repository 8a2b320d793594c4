"""One number vocabulary: cn2an's own test suite, numbers inside sentences as the
extraction reads them, prose and cell modes, qualifiers after a measure word."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
import regex
from test_numbers import ACCEPTED, Case, case_id

from reportmetrics.api import extract_text
from reportmetrics.normalise import normalise
from reportmetrics.numbers import (
    MEASURE_WORDS,
    NumberError,
    find_numbers,
    literal_end,
    parse_number,
    split_cells,
)
from reportmetrics.packs import MEASURE, compile_pattern

# ----------------------------------------------------------- cn2an's own test suite

_MONEY = ("元", "圆", "角", "分")
_DIGIT_NAMES = set("零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖点")


def _outside_contract(text: str) -> str | None:
    """Why a form of cn2an's suite is no quantity this project reads, or None."""
    if any(word in text for word in _MONEY):
        return "money (元角分): amounts are not counts, and 元 with 角/分 is no measure word"
    if text.startswith(("负", "-")):
        return "negative (负): report indicators are never negative"
    integer = text.split("点")[0]
    if len(integer) > 1 and set(integer) <= _DIGIT_NAMES:
        return "digit-by-digit reading (一七二零): how years and codes are written, refused"
    return None


def _cn2an_forms() -> list:
    suite = importlib.import_module("cn2an.cn2an_test").Cn2anTest()
    suite.setUp()
    forms: dict[str, object] = {}
    for name in ("strict_data_dict", "normal_data_dict", "smart_data_dict"):
        forms.update(getattr(suite, name))
    params = []
    for text, expected in forms.items():
        reason = _outside_contract(text)
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(text, expected, marks=marks, id=text))
    for text, expected in suite.direct_data_dict.items():  # 二〇〇二 -> "2002"
        reason = "digit-by-digit reading (cn2an's direct mode): years and codes, refused"
        params.append(pytest.param(text, expected, marks=[pytest.mark.skip(reason=reason)], id=text))
    return params


CN2AN_FORMS = _cn2an_forms()


def test_cn2an_suite_holds_at_least_a_hundred_quantity_forms() -> None:
    in_contract = [p for p in CN2AN_FORMS if not p.marks]
    assert len(in_contract) >= 100


@pytest.mark.parametrize(("text", "expected"), CN2AN_FORMS)
def test_parse_number_reads_every_quantity_form_of_cn2an_suite(text: str, expected: object) -> None:
    number = parse_number(text)
    assert number.value == Decimal(repr(expected))
    assert (number.unit, number.qualifier) == ("count", "exact")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百九十万零三千九百七十一", 1903971),
        ("十万零一千", 101000),
        ("壹拾万零叁仟肆佰伍拾叁", 103453),
        ("一百十六", 116),
        ("一千一十", 1010),
        ("一千零十", 1010),
    ],
)
def test_zero_after_wan_and_bare_ten_after_a_higher_place_read(text: str, value: int) -> None:
    assert parse_number(text).value == value


@pytest.mark.parametrize("text", ["2万3", "一百5", "1十", "二十零五", "一千零五百", "二〇二三"])
def test_ambiguous_or_misplaced_forms_stay_refused(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


# ------------------------------------------- every form found and read in a sentence
# The regex extraction runs: a pack pattern compiled as packs compile it, over text
# normalised as documents are.

SENTENCE = "据统计，本年度共受理{}，办理情况良好。"


def _extraction_pattern(unit: str):
    return compile_pattern("共受理{num}", unit if unit in ("count", "percent") else None)


# 參 (financial 3, Traditional) becomes 参 (as in 参加) when a Traditional document is
# converted to Simplified, and 参 is no numeral: reading it as one would turn 参加 into 3.
_CONVERTED_AWAY = {"參萬"}
SENTENCE_CASES = [
    pytest.param(case, id=case_id(case), marks=[pytest.mark.xfail(strict=True, reason="参 after conversion")])
    if case.text in _CONVERTED_AWAY
    else pytest.param(case, id=case_id(case))
    for case in ACCEPTED
]


@pytest.mark.parametrize("case", SENTENCE_CASES)
def test_every_accepted_literal_is_found_and_read_inside_a_sentence(case: Case) -> None:
    assert case.expected is not None
    value, unit, qualifier = case.expected
    # A count stands before its measure word, as in reports (where 1 5件 is 15).
    measure = "件" if unit == "count" and not case.text.endswith(MEASURE_WORDS) else ""
    text = normalise(SENTENCE.format(case.text + measure)).text
    found = _extraction_pattern(unit).search(text, timeout=5.0)
    assert found is not None, f"{case.text} not found in {text}"
    literal = found["value"]
    end = literal_end(text, found.start("value"), found.end("value"))
    number = parse_number(text[found.start("value") : end])
    assert (format(number.value, "f"), number.unit, number.qualifier) == (value, unit, qualifier), literal


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("全年受理行政复议案件一百〇五件。", "105", "exact"),
        ("全年受理行政复议案件壹佰贰拾叁件。", "123", "exact"),
        ("全市现有公职律师300人以上。", "300", "over"),
        ("全年受理行政复议案件10万八千件。", "108000", "exact"),
    ],
)
def test_extraction_reads_the_whole_numeral_with_its_qualifier(text: str, value: str, qualifier: str) -> None:
    rows = extract_text(text)
    assert [(r.value, r.qualifier) for r in rows] == [(Decimal(value), qualifier)]
    assert parse_number(rows[0].raw).value == Decimal(value)


def test_yiinei_is_a_bound_read_as_under() -> None:
    number = parse_number("15%以内")
    assert (number.value, number.unit, number.qualifier) == (Decimal(15), "percent", "under")


# --------------------------------------------------------------- prose and cell modes


def test_prose_mode_joins_a_stray_space_inside_digits_before_a_measure_word() -> None:
    found = find_numbers("参加应诉案件1 5起")
    assert [(f.number.value, f.start, f.end) for f in found] == [(15, 6, 9)]


def test_cell_mode_separates_numbers_at_whitespace() -> None:
    assert [f.number.value for f in find_numbers("合计 95 0", mode="cell")] == [95, 0]
    assert [f.number.value for f in find_numbers("29 757件", mode="cell")] == [29, 757]
    assert [f.number.value for f in find_numbers("合计 95 0")] == [950]


def test_find_numbers_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        find_numbers("12", mode="table")


def test_split_cells_splits_a_row_at_whitespace_and_bars() -> None:
    assert split_cells("合计 | 95 0\t3") == ["合计", "95", "0", "3"]
    assert split_cells("  ") == []


def test_literal_end_takes_a_qualifier_after_the_measure_word() -> None:
    text = "公职律师300人以上,律师20名"
    assert text[4 : literal_end(text, 4, 7)] == "300人以上"
    assert literal_end(text, 16, 18) == 18
    assert literal_end("96%以上", 0, 5) == 5


def test_packs_measure_placeholder_is_the_number_vocabulary() -> None:
    assert all(regex.fullmatch(MEASURE, word) for word in MEASURE_WORDS)
    assert not regex.fullmatch(MEASURE, "年")
