"""The library as a notebook user meets it: paths of any kind, names that tab-complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATA

import reportmetrics as rm

REPORT = SAMPLE_DATA / "tanbu_2022.txt"


def triples(frame) -> list[tuple[str, str, str]]:
    return [(r.doc, r.indicator, str(r.value)) for r in frame.itertuples()]


@pytest.fixture(scope="module")
def from_str():
    return rm.extract(str(REPORT))


def test_extract_reads_a_path_object_as_a_string_path(from_str) -> None:
    assert len(from_str) > 0
    assert triples(rm.extract(REPORT)) == triples(from_str)


def test_extract_reads_a_list_mixing_paths_and_strings(from_str) -> None:
    both = rm.extract([REPORT, str(SAMPLE_DATA / "liuyang_2020.txt")])
    assert triples(both)[: len(from_str)] == triples(from_str)
    assert {r.doc for r in both.itertuples()} == {"tanbu_2022", "liuyang_2020"}


def test_extract_reads_any_os_pathlike(from_str) -> None:
    class Located:
        def __fspath__(self) -> str:
            return str(REPORT)

    assert isinstance(Located(), os.PathLike)
    assert triples(rm.extract([Located()])) == triples(from_str)


def test_a_pattern_folder_may_be_a_path(tmp_path: Path) -> None:
    rows = rm.extract_text("全年审结行政复议案件12件。", patterns=[tmp_path])
    assert [(r.indicator, r.value) for r in rows] == [("reconsideration.cases_concluded", 12)]


def test_dir_lists_the_lazy_api_for_tab_completion() -> None:
    listed = dir(rm)
    for name in rm.__all__:
        assert name in listed
    assert "extract" in listed and "parse_number" in listed and "Row" in listed
    assert "TYPE_CHECKING" not in listed and "Any" not in listed


def test_listing_the_api_imports_nothing_heavy() -> None:
    code = (
        "import reportmetrics, sys; dir(reportmetrics); "
        "print('pandas' in sys.modules, 'regex' in sys.modules)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
    assert done.stdout.decode().split() == ["False", "False"]
