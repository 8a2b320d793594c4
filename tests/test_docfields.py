"""Region and year: from the title, the opening sentence or the source line; never from
the page's publication date."""

from __future__ import annotations

import pytest

from reportmetrics.docfields import document_fields
from reportmetrics.normalise import normalise


def fields(text: str) -> tuple[str | None, int | None]:
    found = document_fields(normalise(text).text)
    return found.region, found.year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("清远市清城区人民政府2021年法治政府建设年度报告\n2021年，区政府……", ("清远市清城区", 2021)),
        ("关于佛山市南海区2019年法治政府建设情况的报告\n", ("佛山市南海区", 2019)),
        ("東莞市人民政府2022年法治政府建設年度報告\n2022年，市政府……", ("东莞市", 2022)),
        ("某某镇2020年政府信息公开工作年度报告\n", ("某某镇", 2020)),
    ],
)
def test_the_title_gives_region_and_year(text: str, expected: tuple[str, int]) -> None:
    assert fields(text) == expected


def test_publication_dates_in_page_furniture_are_not_the_year() -> None:
    text = "发布时间：2024-01-29 来源：本网\n2023年，韶关市武江区政府扎实推进依法行政……"
    assert fields(text) == ("韶关市武江区", 2023)


def test_a_source_line_names_the_region_when_the_text_does_not() -> None:
    text = "建议提案办理情况\n时间：2023-07-14 来源：湛江市人民政府门户网站\n全年办理建议45件。"
    assert fields(text)[0] == "湛江市"


def test_a_report_of_a_county_body_keeps_the_county_level() -> None:
    text = "2021年，县司法局认真开展人民调解工作。如3月，平远县大柘镇两户村民因宅基地发生纠纷……"
    assert fields(text) == ("平远县", 2021)


def test_a_cumulative_period_is_no_year() -> None:
    assert fields("自2019年以来，全市累计调解纠纷近90万件。")[1] is None
