"""Consistency checks: every rule's examples run through the real extraction as tests of
their own; the arithmetic, the scopes, the pairing and the qualifiers are pinned down on
hand-made rows; a broken rules file is reported with its file and place."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, SHARED, csv_records, needs_shared, run_cli

from reportmetrics.api import extract_text
from reportmetrics.consistency import (
    FINDING_COLUMNS,
    Finding,
    check_example,
    example_cases,
    findings,
    findings_for,
    load_rules,
    parse_rules,
    rules_path,
    unit_of_last_digit,
)
from reportmetrics.errors import InputError, PackError
from reportmetrics.load import Source
from reportmetrics.packs import builtin_pack_dir, pack_files
from reportmetrics.pipeline import Result
from reportmetrics.rows import Row

RULES = load_rules()
CASES = example_cases(RULES)
BUILTIN = builtin_pack_dir() / "_consistency.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_example(case) -> None:
    assert check_example(case, RULES) is None


def test_every_rule_has_two_examples_and_a_counter_example() -> None:
    thin = [r.id for r in RULES if len(r.examples) < 2 or not r.counter_examples]
    assert thin == []


def test_builtin_rules_cover_the_three_kinds() -> None:
    assert {r.kind for r in RULES} == {"ratio", "parts", "percent_max"}


def test_the_rules_file_is_not_a_pack() -> None:
    assert BUILTIN.is_file()
    assert "_consistency" not in pack_files()


# --- the arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "raw", "unit"),
    [("16.2", "16.2%", "0.1"), ("33.34", "33.34%", "0.01"), ("67", "67%", "1"), ("100", "100%", "1"),
     ("90", "九成", "10"), ("96", "百分之九十六", "1")],
)  # fmt: skip
def test_tolerance_is_one_unit_of_the_last_stated_digit(value: str, raw: str, unit: str) -> None:
    assert unit_of_last_digit(Decimal(value), raw) == Decimal(unit)


def row(
    indicator: str, value: str, raw: str, text: str, unit: str = "count", qualifier: str = "exact"
) -> Row:
    """A row whose evidence is its raw number, found in `text` (first occurrence)."""
    start = text.index(raw)
    return Row(
        doc="t", path="", region=None, adcode=None, agency=None, year=None, period=None,
        indicator=indicator, value=Decimal(value),
        unit=unit, qualifier=qualifier, raw=raw, evidence=raw, start=start, end=start + len(raw),
        pattern="test",
    )  # fmt: skip


def direct_rate_rows(text: str, rate: str, corrected: str = "14", concluded: str = "86", **kw) -> list[Row]:
    return [
        row("reconsideration.cases_concluded", concluded, f"{concluded}宗", text),
        row("reconsideration.corrected", corrected, f"{corrected}件", text),
        row("reconsideration.direct_correction_rate", rate, f"{rate}%", text, unit="percent", **kw),
    ]


def rule_ids(found: tuple[Finding, ...]) -> list[str]:
    return [f.rule for f in found]


@pytest.mark.parametrize("rate", ["16.2", "16.3", "16.28", "16"])
def test_a_rate_within_one_unit_of_its_last_digit_is_consistent(rate: str) -> None:
    text = f"审结86宗,撤改14件,直接纠错率{rate}%。"
    assert findings(direct_rate_rows(text, rate), text, RULES) == ()


@pytest.mark.parametrize("rate", ["16.4", "16.1", "16.26", "18"])
def test_a_rate_further_than_one_unit_from_its_counts_is_a_finding(rate: str) -> None:
    text = f"审结86宗,撤改14件,直接纠错率{rate}%。"
    (finding,) = findings(direct_rate_rows(text, rate), text, RULES)
    assert finding.rule == "direct_correction_rate"
    assert finding.values == (Decimal(rate), Decimal(14), Decimal(86))
    assert finding.indicators == (
        "reconsideration.direct_correction_rate",
        "reconsideration.corrected",
        "reconsideration.cases_concluded",
    )
    assert "14 / 86 = " in finding.message


def test_33_34_percent_for_18_of_54_is_consistent() -> None:
    text = "审结54宗,纠错18件,纠错率33.34%。"
    rows = [
        row("reconsideration.cases_concluded", "54", "54宗", text),
        row("reconsideration.corrected", "18", "18件", text),
        row("reconsideration.correction_rate", "33.34", "33.34%", text, unit="percent"),
    ]
    assert findings(rows, text, RULES) == ()


def test_a_zero_denominator_is_reported_as_such_not_as_100_percent() -> None:
    text = "审结0宗,撤改0件,直接纠错率100%。"
    (finding,) = findings(direct_rate_rows(text, "100", corrected="0", concluded="0"), text, RULES)
    assert "denominator is 0" in finding.message
    assert finding.values == (Decimal(100), Decimal(0), Decimal(0))


def test_a_rate_without_its_counts_gives_no_finding() -> None:
    text = "审结54宗,纠错率33.34%。"
    rows = [
        row("reconsideration.cases_concluded", "54", "54宗", text),
        row("reconsideration.correction_rate", "33.34", "33.34%", text, unit="percent"),
    ]
    assert findings(rows, text, RULES) == ()


def test_counts_stated_after_the_rate_are_not_paired_with_it() -> None:
    text = "直接纠错率50%,审结86宗,撤改14件。"
    assert findings(direct_rate_rows(text, "50"), text, RULES) == ()


def test_a_ratio_in_paragraph_scope_pairs_across_sentences_but_not_across_lines() -> None:
    same = "审结86宗。撤改14件。直接纠错率50%。"
    assert rule_ids(findings(direct_rate_rows(same, "50"), same, RULES)) == ["direct_correction_rate"]
    split = "审结86宗。撤改14件。\n直接纠错率50%。"
    assert findings(direct_rate_rows(split, "50"), split, RULES) == ()


def test_each_rate_takes_the_nearest_counts_since_the_previous_rate() -> None:
    text = "审结86宗,撤改14件,直接纠错率16.2%;审结10宗,撤改5件,直接纠错率16.2%。"
    second = len("审结86宗,撤改14件,直接纠错率16.2%;")
    tail = text[second:]
    rows = direct_rate_rows(text, "16.2")
    rows += [
        replace(r, start=r.start + second, end=r.end + second)
        for r in direct_rate_rows(tail, "16.2", corrected="5", concluded="10")
    ]
    (finding,) = findings(rows, text, RULES)
    assert finding.values == (Decimal("16.2"), Decimal(5), Decimal(10))
    assert finding.start >= second


def test_an_approximate_count_skips_the_comparison() -> None:
    text = "审结86宗,撤改14件,直接纠错率50%。"
    rows = direct_rate_rows(text, "50")
    rows[0] = replace(rows[0], qualifier="over")
    assert findings(rows, text, RULES) == ()


def test_a_rate_with_yishang_is_a_lower_bound() -> None:
    text = "调处620件,调处成功598件,调处成功率96%以上。"

    def rows(rate: str) -> tuple[str, list[Row]]:
        body = text.replace("96", rate)
        return body, [
            row("mediation.disputes_mediated", "620", "620件", body),
            row("mediation.successes", "598", "598件", body),
            row("mediation.success_rate", rate, f"{rate}%以上", body, unit="percent", qualifier="over"),
        ]

    body, low = rows("96")
    assert findings(low, body, RULES) == ()  # 96.45 is at least 96
    body, high = rows("98")
    assert rule_ids(findings(high, body, RULES)) == ["mediation_success_rate"]


def outcomes(total: int) -> tuple[str, list]:
    """A reconsideration total and its four outcomes (2+5+34+13 = 54), as text and rows."""
    text = f"审结{total}起,其中不予受理2起、撤销5起、维持34起、终止13起。"
    parts = [("cases_concluded", total), ("not_accepted", 2), ("revoked", 5)]
    parts += [("upheld", 34), ("terminated", 13)]
    return text, [row(f"reconsideration.{name}", str(n), f"{n}起", text) for name, n in parts]


def test_parts_larger_than_their_total_are_a_finding() -> None:
    text, rows = outcomes(50)
    (finding,) = findings(rows, text, RULES)
    assert finding.rule == "reconsideration_outcomes"
    assert finding.values == tuple(Decimal(v) for v in (50, 2, 5, 34, 13))
    assert "54" in finding.message and "50" in finding.message


def test_parts_equal_to_their_total_are_fine() -> None:
    text, rows = outcomes(54)
    assert findings(rows, text, RULES) == ()


def test_a_percent_above_100_is_a_finding() -> None:
    text = "报备率120%。"
    rows = [row("normative_documents.filing_rate", "120", "120%", text, unit="percent")]
    (finding,) = findings(rows, text, RULES)
    assert (finding.rule, finding.values) == ("percent_max", (Decimal(120),))
    assert "above 100%" in finding.message


def test_a_finding_is_one_csv_row_with_indicators_and_values_joined_by_semicolons() -> None:
    finding = Finding("d", "r", ("a.x", "a.y"), (Decimal("16.2"), Decimal("30000")), "m", 0, 1, "in/d.txt")
    assert FINDING_COLUMNS == ("doc", "path", "rule", "indicators", "values", "message")
    assert finding.cells() == ["d", "in/d.txt", "r", "a.x;a.y", "16.2;30000", "m"]


def test_a_finding_names_the_input_path_of_its_document() -> None:
    text = "报备率120%。"
    rows = [row("normative_documents.filing_rate", "120", "120%", text, unit="percent")]
    result = Result(Source("2023/report.txt"), "2023/report", None, tuple(rows), text=text)
    (finding,) = findings_for(result, RULES)
    assert (finding.doc, finding.path) == ("2023/report", "2023/report.txt")


# --- results and the samples ----------------------------------------------------------


def result_of(text: str, doc: str = "doc") -> Result:
    rows = tuple(extract_text(text, doc=doc))
    return Result(Source(f"{doc}.txt"), doc, None, rows, text=text)


def test_findings_for_a_result_name_its_doc() -> None:
    found = findings_for(result_of("共收到依申请公开20件，答复18件，答复率100%。", "report"), RULES)
    assert [(f.doc, f.rule) for f in found] == [("report", "disclosure_response_rate")]


def test_an_unreadable_input_has_no_findings() -> None:
    result = Result(Source("x.txt"), "x", None, (), error=InputError("x.txt", "empty file"))
    assert findings_for(result, RULES) == ()


def test_findings_for_needs_the_text() -> None:
    result = result_of("共收到依申请公开20件，答复18件，答复率100%。")
    with pytest.raises(ValueError, match="keep_text"):
        findings_for(Result(result.source, result.doc, None, result.rows), RULES)


def sample_findings(path: Path) -> tuple[Finding, ...]:
    text = path.read_text(encoding="utf-8")
    return findings(extract_text(text, doc=path.stem), text, RULES)


@pytest.mark.parametrize(
    "name", ["huadu_2020", "liuyang_2020", "tanbu_2022", "jianghai_2017", "zhaoqing_2023"]
)
def test_the_sample_reports_are_consistent(name: str) -> None:
    assert sample_findings(SAMPLE_DATA / f"{name}.txt") == ()


def test_huadu_14_of_86_is_checked_against_16_2_percent_and_agrees() -> None:
    text = (SAMPLE_DATA / "huadu_2020.txt").read_text(encoding="utf-8")
    rows = extract_text(text)
    assert findings(rows, text, RULES) == ()
    # the same passage with another rate would be a finding: the pairing did happen
    changed = text.replace("16.2%", "19.2%")
    assert [(f.rule, f.values) for f in findings(extract_text(changed), changed, RULES)] == [
        ("direct_correction_rate", (Decimal("19.2"), Decimal(14), Decimal(86)))
    ]


@needs_shared()
def test_dev03_84_appearances_of_84_hearings_at_100_percent_is_consistent() -> None:
    path = SHARED / "dev" / "texts" / "dev03.txt"
    assert sample_findings(path) == ()
    text = path.read_text(encoding="utf-8").replace("出庭应诉84件", "出庭应诉80件")
    assert [f.values for f in findings(extract_text(text), text, RULES)] == [
        (Decimal(100), Decimal(80), Decimal(84))
    ]


# --- the rules file -------------------------------------------------------------------

GOOD = BUILTIN.read_text(encoding="utf-8")


def write_rules(folder: Path, body: str) -> Path:
    path = folder / "_consistency.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "place", "message"),
    [
        ("    kind: parts\n", "    kind: part\n",
         "rules[5].kind", "must be one of ratio, parts, percent_max"),
        ("scope: sentence\n", "scope: chapter\n", "rules[4].scope", "scope is one of sentence, paragraph"),
        ("rate: reconsideration.correction_rate", "rate: reconsideration.corection_rate",
         "rules[0].indicators.rate", "unknown indicator 'reconsideration.corection_rate'"),
        ("denominator: reconsideration.cases_concluded\n", "denominator: reconsideration.correction_rate\n",
         "rules[0].indicators.denominator", "a denominator must be a count"),
        ("    indicators:\n      rate: reconsideration.correction_rate",
         "    indicator:\n      rate: reconsideration.correction_rate",
         "rules[0]", "unknown key 'indicator'"),
        ("          - {values: [33.34, 20, 54]}", "          - {values: [33.34, twenty, 54]}",
         "rules[0].examples[0].findings[0].values", "not a number"),
        ("          - {rule: direct_correction_rate, values: [100, 0, 0]}",
         "          - {rule: direct_rate, values: [100, 0, 0]}",
         "rules[0].examples[2].findings", "no rule with id 'direct_rate'"),
        ("    limit: 100\n", "    limit: lots\n", "rules[8].limit", "not a number"),
        ("  - id: direct_correction_rate", "  - id: correction_rate", "rules[1].id", "used twice"),
    ],
)  # fmt: skip
def test_a_malformed_rules_file_names_the_file_and_the_place(
    tmp_path: Path, old: str, new: str, place: str, message: str
) -> None:
    assert old in GOOD
    path = write_rules(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(PackError) as caught:
        load_rules((str(tmp_path),))
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: {place}: ") and message in line for line in lines), lines


def test_a_rule_without_note_or_examples_is_refused() -> None:
    data = {
        "rules": [{"id": "x", "kind": "percent_max", "scope": "mention", "indicators": {"percent": "any"}}]
    }
    _, problems = parse_rules(data, "f.yaml")
    shown = [str(p) for p in problems]
    assert "f.yaml: rules[0]: missing 'note'" in shown
    assert "f.yaml: rules[0]: missing 'examples'" in shown
    assert any(s.startswith("f.yaml: rules[0].examples: must be a non-empty list") for s in shown)


def test_rules_file_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = write_rules(tmp_path, "rules:\n  - id: [\n")
    with pytest.raises(PackError, match=rf"{path}: line \d+: not valid YAML"):
        load_rules((str(tmp_path),))


def test_a_rules_file_in_a_patterns_folder_replaces_the_builtin(tmp_path: Path) -> None:
    start = GOOD.index("  - id: percent_max")
    write_rules(tmp_path, "rules:\n" + GOOD[start:])
    assert rules_path((str(tmp_path),)) == tmp_path / "_consistency.yaml"
    assert [r.id for r in load_rules((str(tmp_path),))] == ["percent_max"]


def test_a_patterns_folder_without_rules_keeps_the_builtin(tmp_path: Path) -> None:
    assert rules_path((str(tmp_path),)) == BUILTIN


def test_a_missing_patterns_folder_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no such pattern folder"):
        load_rules((str(tmp_path / "nowhere"),))


# --- the command ----------------------------------------------------------------------


def test_check_on_the_samples_prints_the_header_only_and_exits_0() -> None:
    done = run_cli("check", str(SAMPLE_DATA))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").splitlines() == [",".join(FINDING_COLUMNS)]


def test_check_writes_one_csv_row_per_finding_and_findings_are_not_errors(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "全年审结行政复议案件54件，其中纠错20件，纠错率33.34%。\n报备率120%。\n", encoding="utf-8"
    )
    done = run_cli("check", str(report))
    assert done.returncode == 0, done.stderr
    rows = csv_records(done.stdout)
    assert [(r["doc"], r["rule"], r["indicators"], r["values"]) for r in rows] == [
        ("report", "correction_rate",
         "reconsideration.correction_rate;reconsideration.corrected;reconsideration.cases_concluded",
         "33.34;20;54"),
        ("report", "percent_max", "normative_documents.filing_rate", "120"),
    ]  # fmt: skip


def test_check_with_a_broken_rules_file_exits_1_naming_it(tmp_path: Path) -> None:
    path = write_rules(tmp_path, GOOD.replace("    kind: parts\n", "    kind: part\n", 1))
    done = run_cli("check", "--patterns", str(tmp_path), str(SAMPLE_DATA))
    assert done.returncode == 1
    assert f"{path}: rules[5].kind" in done.stderr.decode("utf-8")
