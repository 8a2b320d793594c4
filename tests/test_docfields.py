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
        ("石碣镇2020年政府信息公开工作年度报告\n", ("石碣镇", 2020)),
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


def found(text: str):
    return document_fields(normalise(text).text)


def test_the_region_comes_with_its_division_code() -> None:
    info = found("佛山市顺德区人民政府2022年法治政府建设年度报告\n")
    assert (info.region, info.adcode) == ("佛山市顺德区", "440606")


def test_a_town_keeps_its_district_and_takes_the_district_code() -> None:
    info = found("佛山市南海区西樵镇人民政府2021年法治政府建设年度报告\n")
    assert (info.region, info.adcode) == ("佛山市南海区西樵镇", "440605")


def test_a_name_that_is_no_division_is_never_a_region() -> None:
    text = "会议强调,新一届区政府要抓好落实。\n2021年,全区共办理行政复议案件12件。"
    assert found(text).region is None


def test_a_short_or_informal_name_is_written_in_full() -> None:
    assert found("7月3日,湖南高院发布2023年行政审判白皮书。").region == "湖南省"
    assert found("酉阳县2020年法治政府建设工作报告\n").region == "酉阳土家族苗族自治县"


def test_a_zone_that_is_no_division_gives_the_division_around_it() -> None:
    info = found("成都市双流区空港新城管理委员会2022年政府信息公开工作年度报告\n")
    assert (info.region, info.adcode) == ("成都市双流区", "510116")


def test_a_two_line_title_names_the_agency_and_the_year() -> None:
    title = "- 1 -\n常州市武进区人民政府\n2022 年政府信息公开工作年度报告\n"
    info = found(title + "本报告由常州市武进区人民政府办公室编制。")
    assert (info.agency, info.region, info.year) == ("常州市武进区人民政府", "常州市武进区", 2022)


def test_without_a_body_in_the_title_the_author_named_in_the_opening_is_the_agency() -> None:
    text = "2021年政府信息公开工作年度报告\n本报告由常州市武进区人民政府办公室根据《条例》编制。"
    assert found(text).agency == "常州市武进区人民政府办公室"


def test_a_title_in_traditional_script_gives_a_simplified_agency() -> None:
    assert found("佛山市順德區人民政府2020年法治政府建設年度報告\n").agency == "佛山市顺德区人民政府"


def test_no_body_named_gives_no_agency() -> None:
    assert found("2020年,我市共办理行政复议案件30件。").agency is None


def test_the_statistics_period_gives_the_year_reported_on() -> None:
    text = "政府信息公开工作年度报告\n报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"
    assert found(text).year == 2022
