"""A user's own packs (`--patterns DIR`): their indicators get `--wide` columns after the
catalogue's, and a pack mistake YAML hides (a keyword read as a number) is named as such."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import run_cli

from reportmetrics.catalogue import CATALOGUE

VISITS_PACK = """\
pack: visits
title: 来访 visits
indicators:
  - id: visits.reception_days
    unit: count
    name: 接待日 reception days
    patterns:
      - id: 1
        note: 开展接待日活动N次
        keywords: [接待日]
        regex: 接待日{gap}{count}
        examples:
          - {text: 全年开展领导接待日活动15次, value: 15}
  - id: visits.letters
    unit: count
    name: 来信 letters
    patterns:
      - id: 1
        note: 来信N封
        keywords: [KEYWORDS]
        regex: 来信{gap}{num}封
        examples:
          - {text: 收到群众来信42封, value: 42}
"""
REPORT = "某县2023年工作报告\n全年开展领导接待日活动15次，收到群众来信42封，审结行政复议案件9件。\n"


@pytest.fixture
def own(tmp_path: Path) -> tuple[Path, Path]:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "visits.yaml").write_text(VISITS_PACK.replace("KEYWORDS", "来信"), encoding="utf-8")
    report = tmp_path / "county_2023.txt"
    report.write_text(REPORT, encoding="utf-8")
    return packs, report


def wide(*args: str) -> list[dict[str, str]]:
    done = run_cli("extract", "--wide", *args)
    assert done.returncode == 0, done.stderr.decode()
    return list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))


def test_own_indicators_get_wide_columns_after_the_catalogues(own) -> None:
    packs, report = own
    (record,) = wide(str(report), "--patterns", str(packs))
    columns = list(record)
    own_at = [columns.index("visits.reception_days"), columns.index("visits.letters")]
    assert own_at == sorted(own_at)
    assert min(own_at) > max(columns.index(i) for i in CATALOGUE)
    assert columns[-2:] == ["mentions", "notes"]
    assert (record["visits.reception_days"], record["visits.letters"]) == ("15", "42")
    assert record["reconsideration.cases_concluded"] == "9"
    assert "no column" not in record["notes"]


def test_naming_packs_keeps_only_their_columns(own) -> None:
    packs, report = own
    (record,) = wide(str(report), "--patterns", str(packs), "-p", "visits")
    assert [c for c in record if "." in c] == ["visits.reception_days", "visits.letters"]


def test_without_own_packs_the_wide_columns_are_the_catalogues(own) -> None:
    _, report = own
    (record,) = wide(str(report))
    assert [c for c in record if "." in c] == list(CATALOGUE)


@pytest.mark.parametrize("keyword", ["12345", "1.5"])
def test_a_keyword_yaml_reads_as_a_number_is_named_as_such(own, keyword: str) -> None:
    packs, report = own
    (packs / "visits.yaml").write_text(VISITS_PACK.replace("KEYWORDS", f"来信, {keyword}"), encoding="utf-8")
    done = run_cli("extract", str(report), "--patterns", str(packs))
    errors = done.stderr.decode().strip().splitlines()
    assert done.returncode == 1 and done.stdout == b""
    assert errors == [
        f"error: {packs / 'visits.yaml'}: indicators[1].patterns[0].keywords[1]: "
        f"{keyword} was read as a number, not a word: put it in quotes ('{keyword}')"
    ]


def test_a_quoted_number_is_a_keyword(own) -> None:
    packs, _ = own
    (packs / "visits.yaml").write_text(VISITS_PACK.replace("KEYWORDS", "来信, '12345'"), encoding="utf-8")
    assert run_cli("packs", "check", "visits", "--patterns", str(packs)).returncode == 0
