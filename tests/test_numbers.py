"""Tests for reportmetrics.numbers: the case file, properties, the search regex, cn2an pins."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmetrics.numbers import (
    NUMBER_REGEX,
    QUALIFIERS,
    UNITS,
    Number,
    NumberError,
    parse_number,
)

CASE_FILE = Path(__file__).with_name("number_cases.txt")
SRC_DIR = Path(__file__).resolve().parents[1] / "src"
REGEX_TIMEOUT_S = 5.0
# Measure words in all the spellings the case file uses (for the search contract).
MEASURE_WORD_ENDINGS = tuple("件宗起个個人名项項条條份次本家所场場期批户戶部篇元幅张張套类類座台")


class Case(NamedTuple):
    line: int
    text: str
    expected: tuple[str, str, str] | None  # (value, unit, qualifier); None: must refuse


def load_cases(path: Path = CASE_FILE) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, arrow, outcome = line.partition("=>")
        fields = outcome.split()
        if not arrow or (fields != ["error"] and len(fields) != 3):
            raise ValueError(
                f"{path.name}:{number}: want 'input => value unit qualifier' or 'input => error'"
            )
        expected = None if fields == ["error"] else (fields[0], fields[1], fields[2])
        cases.append(Case(number, text.strip(), expected))
    return cases


CASES = load_cases()
ACCEPTED = [case for case in CASES if case.expected is not None]


def case_id(case: Case) -> str:
    return case.text or "<empty>"


def assert_well_formed(number: Number, text: str) -> None:
    assert isinstance(number, Number)
    assert type(number.value) is Decimal
    assert number.value.is_finite()
    assert "E" not in format(number.value, "f").upper()
    assert number.unit in UNITS
    assert number.qualifier in QUALIFIERS
    assert number.raw == text


# ------------------------------------------------------------------- the case file


def test_case_file_is_large_and_covers_refusals() -> None:
    assert len(CASES) >= 220
    assert sum(case.expected is None for case in CASES) >= 40
    assert len({case.text for case in CASES}) == len(CASES), "duplicate inputs in the case file"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_parse_number_reads_case_file_line(case: Case) -> None:
    if case.expected is None:
        with pytest.raises(NumberError) as refused:
            parse_number(case.text)
        assert case.text in str(refused.value)
        return
    value, unit, qualifier = case.expected
    number = parse_number(case.text)
    assert_well_formed(number, case.text)
    assert number.value.normalize() == Decimal(value).normalize()
    assert format(number.value, "f") == value, "digits must be kept as written, without exponent"
    assert (number.unit, number.qualifier) == (unit, qualifier)


@pytest.mark.parametrize("case", ACCEPTED, ids=case_id)
def test_number_regex_fullmatches_every_accepted_case(case: Case) -> None:
    assert regex.fullmatch(NUMBER_REGEX, case.text, timeout=REGEX_TIMEOUT_S)


@pytest.mark.parametrize(
    "case", [c for c in ACCEPTED if not c.text.endswith(MEASURE_WORD_ENDINGS)], ids=case_id
)
def test_number_regex_finds_exactly_the_literal_in_running_text(case: Case) -> None:
    found = regex.search(NUMBER_REGEX, "审结行政复议案件" + case.text + "件。", timeout=REGEX_TIMEOUT_S)
    assert found is not None
    assert found.group() == case.text


# ---------------------------------------------------------------------- properties

NUMBER_ALPHABET = "0123456789.,%万亿千百十一二三四五六七八九零〇两余多约近超过以上左右个百分点成 "


@settings(max_examples=200)  # as many of each kind as the two tests this replaces ran
@given(st.one_of(st.text(), st.text(alphabet=NUMBER_ALPHABET, max_size=16)))
def test_parse_number_returns_number_or_raises_number_error_on_any_text(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert_well_formed(number, text)


@given(st.text(alphabet=NUMBER_ALPHABET, max_size=16))
def test_number_regex_fullmatches_whatever_parse_number_accepts(text: str) -> None:
    try:
        parse_number(text)
    except NumberError:
        return
    assert regex.fullmatch(NUMBER_REGEX, text.strip(), timeout=REGEX_TIMEOUT_S)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_comma_grouped_integers_read_back_exactly(value: int) -> None:
    number = parse_number(f"{value:,}")
    assert number.value == value
    assert (number.unit, number.qualifier) == ("count", "exact")


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=3))
def test_decimal_percentages_keep_their_digits(value: Decimal) -> None:
    text = format(value, "f")
    number = parse_number(text + "%")
    assert format(number.value, "f") == text
    assert number.unit == "percent"


# ------------------------------------------------------------------ single behaviours


def test_raw_is_the_input_as_given_and_surrounding_whitespace_is_ignored() -> None:
    number = parse_number("  3万余\n")
    assert number == Number(Decimal(30000), "over", "count", "  3万余\n")


def test_number_is_frozen() -> None:
    number = parse_number("86")
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.value = Decimal(1)  # type: ignore[misc]


def test_number_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_number("一些")


def test_multiplied_values_print_without_exponent() -> None:
    for text, plain in [("1.97亿", "197000000"), ("3.5万", "35000"), ("1.5万亿", "1500000000000")]:
        value = parse_number(text).value
        assert str(value) == plain
        assert format(value, "f") == plain


def test_sixteen_integer_digits_are_accepted_seventeen_refused() -> None:
    assert parse_number("9" * 16).value == Decimal("9" * 16)
    with pytest.raises(NumberError, match="16 integer digits"):
        parse_number("9" * 17)


def test_huge_input_is_refused_with_a_shortened_message() -> None:
    with pytest.raises(NumberError) as refused:
        parse_number("1" * 1_000_000)
    assert len(str(refused.value)) < 1_000
    with pytest.raises(NumberError):
        parse_number("一" * 1_000_000)


# ---------------------------------------------------------------- the search regex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("行政执法人员超过4000名", "超过4000"),
        ("累计调解纠纷近90万件", "近90万"),
        ("调解成功率达96%以上", "96%以上"),
        ("共50多宗", "50多"),
        ("321余人次", "321余"),
        ("300人以上", "300人以上"),
        ("约50件左右", "约50件左右"),
        ("纠错率33.34%。", "33.34%"),
        ("比例为百分之九十六。", "百分之九十六"),
        ("满意度九成五", "九成五"),
        ("提高5.42个百分点", "5.42个百分点"),
        ("提高1个多百分点", "1个多百分点"),
        ("办理12,077件", "12,077"),
        ("受理29 757件", "29 757"),
        ("参加应诉案件1 5起", "1 5"),
        ("办件１２０７７宗", "１２０７７"),
        ("調處3萬餘宗", "3萬餘"),
        ("共一百二十三件", "一百二十三"),
        ("十二个部门", "十二"),
        ("投入1.97亿元", "1.97亿"),
        ("惠及十余万人", "十余万"),
        ("百分之十二點五", "百分之十二點五"),
        ("提高5.42個百分點", "5.42個百分點"),
    ],
)
def test_number_regex_matches_the_literal_with_its_own_qualifiers(text: str, expected: str) -> None:
    found = regex.search(NUMBER_REGEX, text, timeout=REGEX_TIMEOUT_S)
    assert found is not None
    assert found.group() == expected


def test_number_regex_does_not_join_table_columns() -> None:
    found = [m.group() for m in regex.finditer(NUMBER_REGEX, "12 34 56", timeout=REGEX_TIMEOUT_S)]
    assert found == ["12", "34", "56"]
    found = [m.group() for m in regex.finditer(NUMBER_REGEX, "合计 12 34 56\n", timeout=REGEX_TIMEOUT_S)]
    assert found == ["12", "34", "56"]


def test_number_regex_keeps_non_numeral_neighbours_out() -> None:
    found = [m.group() for m in regex.finditer(NUMBER_REGEX, "一些，统一；一审。", timeout=REGEX_TIMEOUT_S)]
    assert found == ["一", "一", "一"]


def test_number_regex_has_no_capturing_groups() -> None:
    assert regex.compile(NUMBER_REGEX).groups == 0


def test_number_regex_source_is_the_same_in_every_process() -> None:
    code = "import reportmetrics.numbers as n; print(n.NUMBER_REGEX)"
    sources = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": str(SRC_DIR), "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert sources == {NUMBER_REGEX + "\n"}


MEGABYTE = 1_000_000


@pytest.mark.parametrize(
    "unit",
    ["1,", "1234567890", "百分之", "一二三四五六七八九十百千万", "1 ", "约", "3万余", "12,34", "1 5 "],
    ids=[
        "commas",
        "digits",
        "percent-words",
        "numerals",
        "spaced-digits",
        "qualifier",
        "over",
        "bad-groups",
        "split",
    ],
)
def test_number_regex_scans_a_megabyte_of_hostile_text_within_timeout(unit: str) -> None:
    text = unit * (MEGABYTE // len(unit))
    # The regex module raises TimeoutError past the timeout: finishing is the assertion.
    for _ in regex.finditer(NUMBER_REGEX, text, timeout=REGEX_TIMEOUT_S):
        pass


# -------------------------------------------------------------------------- imports


def test_importing_numbers_does_not_import_cn2an() -> None:
    code = "import reportmetrics.numbers, sys; assert 'cn2an' not in sys.modules"
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
        check=True,
    )


# --------------------------------------------------------------------- cn2an pins
# cn2an is what one would reach for; these pin where it is wrong for report figures,
# next to our answer, so an upgrade that changes its behaviour gets noticed.


@pytest.fixture(scope="module")
def cn2an() -> ModuleType:
    import cn2an

    return cn2an


@pytest.mark.parametrize("text", ["3万余", "十余万", "一千多万", "12,077", "九成", "百分之九十六"])
def test_cn2an_rejects_report_figures_that_we_read(cn2an, text: str) -> None:
    with pytest.raises(ValueError):
        cn2an.cn2an(text, "smart")
    parse_number(text)


def test_cn2an_transform_misreads_traditional_decimal_point(cn2an) -> None:
    assert cn2an.transform("百分之十二點五", "cn2an") == "12%點5"
    assert parse_number("百分之十二點五") == Number(Decimal("12.5"), "exact", "percent", "百分之十二點五")


@pytest.mark.parametrize(
    ("text", "transformed"),
    [("一些", "1些"), ("统一", "统1"), ("第一", "第1"), ("一网通办", "1网通办")],
)
def test_cn2an_transform_reads_words_as_numbers_that_we_refuse(cn2an, text: str, transformed: str) -> None:
    assert cn2an.transform(text, "cn2an") == transformed
    with pytest.raises(NumberError):
        parse_number(text)


def test_cn2an_transform_does_not_understand_tenths(cn2an) -> None:
    assert cn2an.transform("九成五", "cn2an") == "9成5"
    assert parse_number("九成五").value == 95


@pytest.mark.parametrize(
    ("text", "as_float", "ours"),
    [
        ("86", 86.0, "86"),
        ("4.30", 4.3, "4.30"),
        ("１２０７７", 12077.0, "12077"),
        ("三十三点三四", 33.34, "33.34"),
    ],
)
def test_cn2an_returns_floats_and_drops_trailing_zeros(cn2an, text: str, as_float: float, ours: str) -> None:
    result = cn2an.cn2an(text, "smart")
    assert type(result) is float
    assert result == as_float
    assert format(parse_number(text).value, "f") == ours


def test_cn2an_loses_precision_on_long_digit_strings(cn2an) -> None:
    digits = "123456789012345678901234"
    assert cn2an.cn2an(digits, "smart") != int(digits)
    with pytest.raises(NumberError):
        parse_number(digits)


@pytest.mark.parametrize(("text", "value"), [("二〇二三", 2023), ("二十两", 22)])
def test_cn2an_reads_years_and_weights_as_quantities_that_we_refuse(cn2an, text: str, value: int) -> None:
    assert cn2an.cn2an(text, "smart") == value
    with pytest.raises(NumberError):
        parse_number(text)


def test_cn2an_an2cn_drops_the_zero_of_an_empty_wan_section(cn2an) -> None:
    # 116700002244 is 一千一百六十七亿零二千二百四十四: the 零 marks the empty 万 section.
    assert cn2an.an2cn(116700002244) == "一千一百六十七亿二千二百四十四"
    assert parse_number("一千一百六十七亿零二千二百四十四").value == 116700002244
    with pytest.raises(NumberError):
        parse_number("一千一百六十七亿二千二百四十四")


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_chinese_numerals_written_by_cn2an_read_back_exactly(value: int) -> None:
    # Below 亿, cn2an.an2cn writes standard numerals, so it can generate our inputs.
    import cn2an

    assert parse_number(cn2an.an2cn(value)).value == value
