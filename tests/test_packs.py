"""Every example and counter-example in every pack runs as its own test, and a broken
pack is reported with its file and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportmetrics.checks import check_packs
from reportmetrics.errors import PackError
from reportmetrics.examples import Case, cases, check_case
from reportmetrics.packs import load_pack_file, load_packs, pack_files, read_yaml


def case_keys() -> list[tuple[str, str, str]]:
    """(pattern id, example or counter, text) of every example in the built-in packs,
    read from the YAML alone: collecting the tests compiles no pattern (the packs are
    loaded by a fixture when the tests run)."""
    keys = []
    for name, path in pack_files().items():
        data, _ = read_yaml(path)
        for indicator in data.get("indicators", ()):  # a table pack has none
            short = indicator["id"].partition(".")[2]
            words = indicator.get("words", {})
            source = f"{name}/{short}/words"
            keys += [(source, "example", str(e["text"])) for e in words.get("examples", [])]
            keys += [(source, "counter", str(t)) for t in words.get("counter_examples", [])]
            for pattern in indicator.get("patterns", []):
                pattern_id = f"{name}/{short}/{pattern['id']}"
                keys += [(pattern_id, "example", str(e["text"])) for e in pattern["examples"]]
                keys += [(pattern_id, "counter", str(t)) for t in pattern.get("counter_examples", [])]
    return keys


def key_of(case: Case) -> tuple[str, str, str]:
    return (case.source, "example" if case.example else "counter", case.text)


KEYS = case_keys()


@pytest.fixture(scope="module")
def builtin_cases(builtin_packs) -> dict[tuple[str, str, str], Case]:
    return {key_of(case): case for case in cases(builtin_packs)}


def test_the_collected_examples_are_the_packs_examples(builtin_cases) -> None:
    assert sorted(builtin_cases) == sorted(KEYS)


@pytest.mark.parametrize("key", KEYS, ids=[f"{p}:{kind}:{text[:24]}" for p, kind, text in KEYS])
def test_pack_example(key, builtin_cases, builtin_matcher) -> None:
    assert check_case(builtin_cases[key], builtin_matcher) is None


def test_every_pattern_has_three_examples_and_a_counter_example(builtin_packs) -> None:
    written = [p for pack in builtin_packs for p in pack.patterns if not p.shape]
    thin = [p.id for p in written if len(p.examples) < 3 or not p.counter_examples]
    assert thin == []


def test_every_indicators_words_have_three_examples_and_a_counter_example(builtin_packs) -> None:
    worded = [ind for pack in builtin_packs for ind in pack.indicators if ind.words is not None]
    thin = [ind.id for ind in worded if len(ind.words.examples) < 3 or not ind.words.counter_examples]
    assert worded and thin == []


def test_builtin_packs_pass_their_own_check(builtin_packs) -> None:
    summary, problems = check_packs()
    assert problems == []
    # Every pack file, those that run only when named (the gip table pack) included.
    assert len(summary) == len(pack_files()) == len(builtin_packs) + 1


GOOD_PATTERN = """
      - id: 1
        note: 审结 N 件
        keywords: [审结]
        regex: 审结{gap}{count}
        examples:
          - {text: 审结案件12件, value: 12}
        counter_examples: [审结案件]
"""


def write_pack(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def pack_text(pattern: str = GOOD_PATTERN, extra: str = "") -> str:
    return (
        "pack: demo\ntitle: demo\n" + extra + "indicators:\n"
        "  - id: demo.concluded\n    unit: count\n    name: 审结\n    patterns:" + pattern
    )


def test_a_valid_custom_pack_loads(tmp_path: Path) -> None:
    pack, problems = load_pack_file(write_pack(tmp_path, "demo", pack_text()))
    assert problems == []
    assert pack is not None and pack.patterns[0].id == "demo/concluded/1"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (GOOD_PATTERN.replace("regex:", "regx:"), "unknown key 'regx'"),
        (GOOD_PATTERN.replace("        keywords: [审结]\n", ""), "missing 'keywords'"),
        (GOOD_PATTERN.replace("审结{gap}{count}", "审结({count}"), "does not compile"),
        (GOOD_PATTERN.replace("审结{gap}{count}", "审结[0-9]+件"), "no {num}"),
        (GOOD_PATTERN.replace("{gap}", "{gpa}"), "unknown placeholder {gpa}"),
        (GOOD_PATTERN.replace("value: 12", "value: twelve"), "not a number"),
    ],
)
def test_pack_problems_name_the_file_and_the_place(tmp_path: Path, pattern: str, message: str) -> None:
    path = write_pack(tmp_path, "demo", pack_text(pattern))
    _, problems = load_pack_file(path)
    shown = [str(p) for p in problems]
    assert any(
        message in line and str(path) in line and "indicators[0].patterns[0]" in line for line in shown
    ), shown


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = write_pack(tmp_path, "demo", "pack: demo\nindicators: [\n")
    _, problems = load_pack_file(path)
    assert problems and "line" in problems[0].place and "not valid YAML" in problems[0].message


def test_an_invalid_pack_stops_loading_before_any_extraction(tmp_path: Path) -> None:
    write_pack(tmp_path, "demo", pack_text(GOOD_PATTERN.replace("regex:", "regx:")))
    with pytest.raises(PackError, match=r"demo\.yaml"):
        load_packs((), (str(tmp_path),))


def test_a_pack_in_an_extra_folder_replaces_the_builtin_of_that_name(tmp_path: Path) -> None:
    body = (
        pack_text()
        .replace("pack: demo", "pack: reconsideration")
        .replace("demo.concluded", "reconsideration.cases_concluded")
    )
    write_pack(tmp_path, "reconsideration", body)
    packs = load_packs(("reconsideration",), (str(tmp_path),))
    assert [p.id for p in packs[0].patterns] == ["reconsideration/cases_concluded/1"]


def test_failing_examples_are_reported_by_check(tmp_path: Path) -> None:
    write_pack(tmp_path, "demo", pack_text(GOOD_PATTERN.replace("value: 12", "value: 13")))
    _, problems = check_packs(("demo",), (str(tmp_path),))
    assert len(problems) == 1 and "expected 13" in problems[0] and "demo/concluded/1" in problems[0]


# -------------------------------------------------------------- strict examples
# An example passes only when its indicator's rows equal its listed values, as a
# multiset; rows of other indicators are not looked at.


def _example_problems(tmp_path: Path, example: str) -> list[str]:
    pattern = GOOD_PATTERN.replace("- {text: 审结案件12件, value: 12}", example)
    write_pack(tmp_path, "demo", pack_text(pattern))
    _, problems = check_packs(("demo",), (str(tmp_path),))
    return problems


def test_example_with_an_unlisted_row_of_its_indicator_fails(tmp_path: Path) -> None:
    problems = _example_problems(tmp_path, "- {text: 审结案件12件，又审结案件3件, value: 12}")
    assert len(problems) == 1 and "gives 12 exact, 3 exact" in problems[0]


def test_example_listing_every_row_of_its_indicator_passes(tmp_path: Path) -> None:
    assert _example_problems(tmp_path, "- {text: 审结案件12件，又审结案件3件, value: [12, 3]}") == []


def test_example_listing_a_value_twice_that_is_given_once_fails(tmp_path: Path) -> None:
    problems = _example_problems(tmp_path, "- {text: 审结案件12件, value: [12, 12]}")
    assert len(problems) == 1 and "must be exactly those listed" in problems[0]


def test_example_ignores_rows_of_other_indicators(tmp_path: Path) -> None:
    assert _example_problems(tmp_path, "- {text: 审结案件12件，受理行政复议案件40件, value: 12}") == []


def test_example_qualifiers_may_be_listed_one_per_value(tmp_path: Path) -> None:
    example = "- {text: 审结案件12件，又审结案件3件以上, value: [12, 3], qualifier: [exact, over]}"
    assert _example_problems(tmp_path, example) == []
    wrong = "- {text: 审结案件12件，又审结案件3件以上, value: [12, 3], qualifier: [exact]}"
    assert any("one per value" in p for p in _example_problems(tmp_path, wrong))
