"""Robustness: hostile input, the regex time budget as the last guard, and properties
that must hold for any text.

No test here asserts a wall-clock time: how fast hostile input goes is measured by
`python benchmarks/run_benchmark.py --hostile`. What is asserted is that hostile input
finishes without ever reaching the matching time budget (MatchTimeout), which is
there for patterns gone wrong, not for ordinary input.
"""

from __future__ import annotations

import functools

import pytest
from conftest import SAMPLE_DATA, run_cli
from hostile_inputs import HOSTILE_INPUTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportmetrics import extract_text
from reportmetrics.errors import MatchTimeout, ReportMetricsError

# About a megabyte of text (2-3 MB of UTF-8 for the Chinese inputs): far beyond any
# report, small enough to keep the suite quick. Text that is nothing but mentions makes
# 90,000 rows a million characters (a few seconds): a fifth of that size is enough here.
HOSTILE_CHARS = 1_000_000
SIZES = {name: HOSTILE_CHARS for name in HOSTILE_INPUTS} | {"审结行政复议案件12件 repeated": 200_000}


@functools.lru_cache(maxsize=1)
def _samples() -> tuple[tuple[str, str], ...]:
    return tuple((p.stem, p.read_text(encoding="utf-8")) for p in sorted(SAMPLE_DATA.glob("*.txt")))


@pytest.mark.parametrize("name", list(HOSTILE_INPUTS))
def test_hostile_input_finishes_without_hitting_the_time_budget(name: str) -> None:
    text = HOSTILE_INPUTS[name](SIZES[name])
    try:
        rows = extract_text(text, doc=name)
    except MatchTimeout as error:  # pragma: no cover - the failure being guarded against
        pytest.fail(f"{name}: the time budget was the only thing that stopped the search: {error}")
    for row in rows:
        assert text[row.start : row.end] == row.evidence


# --- the time budget as the last guard --------------------------------------------

CATASTROPHIC_PACK = """\
pack: catastrophe
title: a pattern with catastrophic backtracking, for the time-budget test
priority: 50
indicators:
  - id: catastrophe.cases
    unit: count
    name: 灾难 a deliberately catastrophic pattern
    patterns:
      - id: 1
        note: (a|aa)+ tries exponentially many splits of a run of a's that no b follows.
        keywords: [a]
        regex: '(?:a|aa)+b{num}'
        examples:
          - {text: aab5, value: 5}
          - {text: 共aaab12件, value: 12}
          - {text: ab7, value: 7}
        counter_examples:
          - aaa
"""


def _catastrophe_pack(tmp_path) -> str:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "catastrophe.yaml").write_text(CATASTROPHIC_PACK, encoding="utf-8")
    return str(packs)


@pytest.fixture(scope="module")
def catastrophe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("catastrophe")
    packs = _catastrophe_pack(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    # A run of a's with no b: every split of it is tried from every start.
    (reports / "a_hostile.txt").write_text("报告\n" + "a" * 300 + "\n", encoding="utf-8")
    normal = SAMPLE_DATA / "liuyang_2020.txt"
    (reports / "b_normal.txt").write_text(normal.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("extract", str(reports), "--patterns", packs, "-q")
    return result, reports


def _error_lines(result) -> list[str]:
    return [line for line in result.stderr.decode("utf-8").splitlines() if line.startswith("error:")]


def test_time_budget_stops_one_document_and_the_batch_goes_on(catastrophe) -> None:
    result, _ = catastrophe
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    errors = _error_lines(result)
    assert len(errors) == 1, stderr
    assert "time budget" in errors[0]
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].startswith("doc,path,")
    docs = {line.split(",", 1)[0] for line in lines[1:]}
    assert docs == {"b_normal"}, "rows of the normal report, none (not even partial) of the hostile one"
    assert any(",reconsideration." in line for line in lines[1:])


def test_time_budget_error_names_the_document(catastrophe) -> None:
    result, _ = catastrophe
    errors = _error_lines(result)
    assert len(errors) == 1
    assert "a_hostile" in errors[0], errors[0]


def test_time_budget_stops_one_document_in_a_worker_process_too(catastrophe) -> None:
    one, reports = catastrophe
    packs = str(reports.parent / "packs")
    two = run_cli("extract", str(reports), "--patterns", packs, "-q", "-j", "2")
    assert two.returncode == 1 and two.stdout == one.stdout
    errors = _error_lines(two)
    assert len(errors) == 1 and "a_hostile" in errors[0] and "time budget" in errors[0]


def test_time_budget_also_guards_matching_off_the_main_thread(tmp_path) -> None:
    # Off the main thread no timer signal can be used: each search carries its own budget.
    from concurrent.futures import ThreadPoolExecutor

    packs = _catastrophe_pack(tmp_path)
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(extract_text, "报告\n" + "a" * 300, packs="catastrophe", patterns=packs)
        with pytest.raises(MatchTimeout, match="time budget"):
            future.result(timeout=60)
        assert pool.submit(extract_text, "共aaab12件", packs="catastrophe", patterns=packs).result()


def test_time_budget_leaves_the_timer_signal_as_it_found_it(tmp_path) -> None:
    import signal

    packs = _catastrophe_pack(tmp_path)
    before = signal.getsignal(signal.SIGVTALRM)
    with pytest.raises(MatchTimeout):
        extract_text("报告\n" + "a" * 300, packs="catastrophe", patterns=packs)
    assert [row.value for row in extract_text("共aaab12件", packs="catastrophe", patterns=packs)] == [12]
    assert signal.getsignal(signal.SIGVTALRM) == before
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_a_program_that_handles_the_timer_signal_keeps_its_handler(tmp_path) -> None:
    import signal

    packs = _catastrophe_pack(tmp_path)
    calls = []
    previous = signal.signal(signal.SIGVTALRM, lambda *_: calls.append(1))
    try:
        with pytest.raises(MatchTimeout):  # per-search budgets instead
            extract_text("报告\n" + "a" * 300, packs="catastrophe", patterns=packs)
        assert signal.getsignal(signal.SIGVTALRM) is not signal.SIG_DFL
        assert calls == []
    finally:
        signal.signal(signal.SIGVTALRM, previous)


# --- properties ---------------------------------------------------------------------

VOCABULARY = [
    "行政复议", "審結", "审结", "纠错率", "糾錯率", "案件", "件", "宗", "起", "%", "％", "百分之",
    "万", "萬", "余", "餘", "多", "约", "一", "二", "三", "十", "百", "两", "零",
    "0", "1", "2", "5", "9", "１", "２", ".", ",", "，", "。", ";", "；", ":", "\n", "\n\n",
    " ", "\u3000", "\r\n", "行政訴訟", "应诉", "出庭", "年", "2020年", "同比上升", "力争", "达到",
    "受理", "办结", "人次", "个百分点", "調(diào)解", "第", "以上", "左右", "不足",
]  # fmt: skip

report_like = st.lists(st.sampled_from(VOCABULARY), max_size=60).map("".join)


def _check_rows(text: str) -> None:
    try:
        rows = extract_text(text)
    except ReportMetricsError:
        return
    for row in rows:
        assert text[row.start : row.end] == row.evidence, row


@settings(deadline=None, max_examples=150)
@given(st.text(max_size=300))
def test_any_text_gives_rows_with_exact_evidence(text: str) -> None:
    _check_rows(text)


@settings(deadline=None, max_examples=300)
@given(report_like)
def test_report_like_text_gives_rows_with_exact_evidence(text: str) -> None:
    _check_rows(text)


# Han characters that are no numerals, no qualifiers (多 余 约 近 超 ...), and the same in
# Simplified and Traditional script, so the paragraph changes neither numbers nor the
# document's script detection.
FILLER = "的是了在和有人中大我以要他用生到作地出就分成可主同工也能下子而方定行所民得法上"
paragraph = st.text(alphabet=FILLER, min_size=1, max_size=120)


def _comparable(rows, shift: int) -> list[tuple]:
    """Rows as the report states them, with offsets moved back by `shift`; region and
    year are left out (a paragraph before the title may change what the title is)."""
    return [
        (
            r.indicator,
            r.value,
            r.unit,
            r.qualifier,
            r.raw,
            r.evidence,
            r.start - shift,
            r.end - shift,
            r.pattern,
        )
        for r in rows
    ]


@functools.cache
def _base_rows(name: str) -> list[tuple]:
    text = dict(_samples())[name].rstrip("\n")
    return _comparable(extract_text(text, doc=name), 0)


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from([name for name, _ in _samples()]), extra=paragraph, before=st.booleans())
def test_a_paragraph_without_numbers_changes_no_row(name: str, extra: str, before: bool) -> None:
    text = dict(_samples())[name].rstrip("\n")
    if before:
        combined, shift = extra + "\n\n" + text, len(extra) + 2
    else:
        combined, shift = text + "\n\n" + extra, 0
    rows = extract_text(combined, doc=name)
    assert _comparable(rows, shift) == _base_rows(name)
    for row in rows:
        assert combined[row.start : row.end] == row.evidence
