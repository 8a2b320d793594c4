"""Indicators declared by their words: the engine composes the lexicon's shapes from
them, and the rules that keep broad shapes from binding a number to the wrong thing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reportmetrics.match import Matcher
from reportmetrics.normalise import normalise
from reportmetrics.packs import load_lexicon, load_pack_file, load_packs

WORDED_PACK = """
pack: demo
indicators:
  - id: demo.concluded
    unit: count
    name: 审结复议案件
    words:
      objects: [复议案件, 复议申请]
      actions: [审结, 办结]
      exclude: [以市政府为被申请人]
      examples:
        - {text: 审结复议案件12件, value: 12}
        - {text: 复议案件共审结30件, value: 30}
        - {text: 审结9件复议案件, value: 9}
      counter_examples: [尚未审结复议案件4件]
  - id: demo.advisers
    unit: count
    name: 顾问
    words:
      objects: [顾问]
      alone: true
      measures: [名, 人]
      examples:
        - {text: 顾问共15名, value: 15}
        - {text: 聘请8名顾问, value: 8}
        - {text: 顾问为20人, value: 20}
      counter_examples: [为30个村配备顾问]
"""


@pytest.fixture(scope="module")
def demo_matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    folder = tmp_path_factory.mktemp("packs")
    (folder / "demo.yaml").write_text(WORDED_PACK, encoding="utf-8")
    pack, problems = load_pack_file(folder / "demo.yaml")
    assert problems == [] and pack is not None
    return Matcher((pack,))


def found(matcher: Matcher, text: str) -> list[tuple[str, Decimal]]:
    return [(m.pattern.indicator, m.number.value) for m in matcher.mentions(normalise(text).text)]


@pytest.fixture(scope="module")
def builtin() -> Matcher:
    return Matcher(load_packs())


def test_an_indicators_words_give_one_pattern_per_shape_they_can_fill(demo_matcher: Matcher) -> None:
    shapes = {s.id: s for s in load_lexicon().shapes}
    concluded = {p.shape for p in demo_matcher.patterns if p.indicator == "demo.concluded"}
    advisers = {p.shape for p in demo_matcher.patterns if p.indicator == "demo.advisers"}
    assert concluded == {s for s, shape in shapes.items() if not shape.alone}
    # An indicator without actions takes only the shapes that need none.
    assert advisers == {s for s, shape in shapes.items() if "{action}" not in shape.regex}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("审结复议案件12件", 12),  # action, object, number
        ("审结9件复议案件", 9),  # action, number, object
        ("复议案件共审结30件", 30),  # object, action, number
        ("7件复议申请已全部办结", 7),  # number, object, action
        ("全年共审结复议案件3811,较上年有所增加", 3811),  # a bare number closing its clause
        ("复议案件\n审结\n\n41\n", 41),  # a table: the label above, the number below
        ("收到复议申请50件,审结46件", 46),  # the object named before a bare action
        ("收到复议申请50件,其余44件全部办结", 44),  # a number before its action
    ],
)
def test_every_phrase_order_reads_the_number(demo_matcher: Matcher, text: str, value: int) -> None:
    assert ("demo.concluded", Decimal(value)) in found(demo_matcher, text)


def test_a_bare_action_belongs_to_the_nearest_object_named_before_it(demo_matcher: Matcher) -> None:
    assert found(demo_matcher, "受理复议申请20件,审结18件") == [("demo.concluded", Decimal(18))]
    # After a topic of no indicator (a court), 审结 is the court's.
    assert found(demo_matcher, "受理复议申请20件;法院审结行政案件18件") == []
    assert found(demo_matcher, "审结15件") == []


def test_exclusion_words_anywhere_in_the_clause_drop_the_match(demo_matcher: Matcher) -> None:
    assert found(demo_matcher, "以市政府为被申请人的复议案件审结6件") == []
    assert found(demo_matcher, "审结6件以市政府为被申请人的复议案件") == []
    # The clause ends at a comma: words beyond it are another clause's.
    assert found(demo_matcher, "审结复议案件6件,以市政府为被申请人的2件") == [("demo.concluded", Decimal(6))]


def test_a_negation_before_an_action_undoes_it(demo_matcher: Matcher) -> None:
    assert found(demo_matcher, "尚未审结复议案件4件") == []
    assert found(demo_matcher, "未办结的复议申请3件") == []


def test_declared_measure_words_limit_what_a_count_may_be(demo_matcher: Matcher) -> None:
    assert found(demo_matcher, "聘请8名顾问") == [("demo.advisers", Decimal(8))]
    assert found(demo_matcher, "为30个村配备顾问") == []
    assert found(demo_matcher, "顾问3万多家") == []


def test_an_object_inside_a_longer_object_word_is_not_that_object(builtin: Matcher) -> None:
    # 议案 (an NPC motion) stands inside 复议案件 (reconsideration cases).
    rows = found(builtin, "市政府办结行政复议案件1 024件")
    assert rows == [("reconsideration.cases_concluded", Decimal(1024))]


def test_a_year_list_gives_a_row_per_year_and_a_list_by_kind_none(builtin: Matcher) -> None:
    by_year = "2018年至2021年受理一审行政案件数分别为812件、905件、940件、1002件"
    assert [v for _, v in found(builtin, by_year)] == [Decimal(v) for v in (812, 905, 940, 1002)]
    by_kind = "受理一审行政案件分别为征收类312件、登记类95件"
    assert [i for i, _ in found(builtin, by_kind) if i == "litigation.first_instance_cases"] == []


def test_another_years_level_is_a_level_and_the_change_is_not(builtin: Matcher) -> None:
    text = "收到行政复议案件1262件,比2017年的824件增长53%"
    assert found(builtin, text) == [
        ("reconsideration.applications_received", Decimal(1262)),
        ("reconsideration.applications_received", Decimal(824)),
    ]


def test_a_number_cut_from_another_is_never_read(builtin: Matcher) -> None:
    # 百分之百 is a percent: its last 百 is not a count of 100.
    assert found(builtin, "依申請公開辦結率達百分之百") == [("disclosure.response_rate", Decimal(100))]


def test_a_congress_session_is_not_a_count(builtin: Matcher) -> None:
    assert found(builtin, "做好政协十届四次会议提案办理工作") == []


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("      objects: [复议(案件)]\n      actions: [审结]\n", "plain text, not a regular expression"),
        ("      objects: [复议案件]\n", "give actions, or say `alone: true`"),
    ],
)
def test_words_problems_are_reported_with_their_place(tmp_path: Path, words: str, message: str) -> None:
    body = (
        "pack: demo\nindicators:\n  - id: demo.concluded\n    unit: count\n    name: x\n"
        "    words:\n" + words + "      examples:\n        - {text: 审结复议案件1件, value: 1}\n"
    )
    path = tmp_path / "demo.yaml"
    path.write_text(body, encoding="utf-8")
    _, problems = load_pack_file(path)
    assert any(message in p.message and "words" in p.place for p in problems), problems


@pytest.mark.parametrize(
    "text",
    ["收到复议申请后5个工作日内作出决定", "收到复议申请3个月后审结", "复议案件审结平均用时2小时"],
)
def test_a_span_of_time_is_not_a_count(demo_matcher: Matcher, text: str) -> None:
    assert found(demo_matcher, text) == []


def test_a_paired_list_gives_each_number_to_the_object_in_its_place(builtin: Matcher) -> None:
    assert found(builtin, "全年共办理代表建议、提案分别为512件、733件") == [
        ("oversight.npc_suggestions", Decimal(512)),
        ("oversight.cppcc_proposals", Decimal(733)),
    ]
    # Lists of different lengths pair nothing.
    assert found(builtin, "全年共办理代表建议、提案分别为512件、733件、40件") == []
