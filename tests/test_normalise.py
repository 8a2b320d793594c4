"""Normalised text is what patterns see; offsets always lead back to the original."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmetrics.normalise import normalise


def spans_of(word: str, normalised) -> list[str]:
    found = []
    for match in regex.finditer(regex.escape(word), normalised.text):
        start, end = normalised.original_span(match.start(), match.end())
        found.append(normalised.original[start:end])
    return found


def test_traditional_taiwan_vocabulary_reads_as_simplified() -> None:
    text = "區政府著力最佳化營商環境，審查行政規範性檔案14份，更新程式。" * 3
    normalised = normalise(text)
    assert normalised.traditional
    assert "优化营商环境" in normalised.text
    assert "规范性文件" in normalised.text
    assert "程序" in normalised.text


def test_length_changing_conversions_keep_offsets_exact() -> None:
    text = "區政府著力最佳化營商環境，審結86宗行政複議案件。" * 3
    normalised = normalise(text)
    assert spans_of("审结86宗", normalised) == ["審結86宗"] * 3
    assert spans_of("优化营商", normalised) == ["最佳化營商"] * 3


def test_only_lines_whose_length_changed_are_redone_and_offsets_stay_exact() -> None:
    unchanged = "區政府審結行政複議案件23宗，同比增長5%。"
    changed = "著力最佳化營商環境，公開政府資訊1,204條。"
    text = "\n".join([unchanged, changed, "", unchanged, changed, unchanged])
    normalised = normalise(text)
    assert spans_of("审结行政复议案件23宗", normalised) == ["審結行政複議案件23宗"] * 3
    assert spans_of("1,204条", normalised) == ["1,204條"] * 2
    assert spans_of("优化营商", normalised) == ["最佳化營商"] * 2


def test_full_width_digits_and_punctuation_become_half_width() -> None:
    normalised = normalise("纠错率１６．２％；审结８６宗（含上年）")
    assert normalised.text == "纠错率16.2%;审结86宗(含上年)"
    assert spans_of("16.2%", normalised) == ["１６．２％"]


def test_pinyin_debris_is_removed_in_traditional_pages() -> None:
    text = "堅持調(diào)解優先，人民調(diào)解委員會調(diào)解糾紛109宗。"
    normalised = normalise(text)
    assert "调解纠纷109宗" in normalised.text
    assert spans_of("调解纠纷109宗", normalised) == ["調(diào)解糾紛109宗"]


def test_runs_of_blanks_and_blank_lines_collapse() -> None:
    normalised = normalise("一、总体情况\n\n\n   2021年，审结   86宗\t案件")
    assert normalised.text == "一、总体情况\n2021年,审结 86宗 案件"
    assert spans_of("审结 86宗", normalised) == ["审结   86宗"]


def test_simplified_text_is_not_converted() -> None:
    text = "依法审查程序合法性，软件和程序均已更新。"
    normalised = normalise(text)
    assert not normalised.traditional
    assert normalised.text == text.replace("，", ",")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("審結宗案件複議最佳化檔案程式調(diào)解 \n\t１２３.,，。%％abc"), max_size=80
    )
)
def test_every_normalised_span_maps_inside_the_original(text: str) -> None:
    normalised = normalise(text)
    for start in range(len(normalised.text) + 1):
        for end in (start, min(start + 3, len(normalised.text))):
            s, e = normalised.original_span(start, end)
            assert 0 <= s <= e <= len(text)
