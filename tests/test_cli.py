"""The command line as users and their scripts rely on it (../shared/spec/interface.md)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATA, SHARED, csv_records, needs_shared, run_cli

from reportmetrics.numbers import parse_number
from reportmetrics.rows import COLUMNS

CONTRACT_COLUMNS = [
    "doc",
    "path",
    "region",
    "adcode",
    "agency",
    "year",
    "period",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "raw",
    "evidence",
    "start",
    "end",
    "pattern",
]


def test_columns_are_the_contract_in_order(sample_rows) -> None:
    assert list(COLUMNS) == CONTRACT_COLUMNS
    assert list(sample_rows[0]) == CONTRACT_COLUMNS


def test_every_row_points_at_its_evidence_and_raw_reads_back(sample_rows) -> None:
    texts: dict[str, str] = {}
    for row in sample_rows:
        if row["path"] not in texts:
            texts[row["path"]] = run_cli("text", row["path"]).stdout.decode("utf-8")
        text = texts[row["path"]]
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["evidence"]
        assert row["raw"] in row["evidence"]
        number = parse_number(row["raw"])
        assert (number.value, number.unit, number.qualifier) == (
            Decimal(row["value"]),
            row["unit"],
            row["qualifier"],
        )
        assert "E" not in row["value"]


def test_rows_come_in_path_order_then_text_order(sample_rows) -> None:
    keys = [(row["path"], int(row["start"])) for row in sample_rows]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    for path in {k[0] for k in keys}:
        starts = [s for p, s in keys if p == path]
        assert starts == sorted(starts)


def test_traditional_report_keeps_its_own_script_in_evidence(sample_rows) -> None:
    huadu = [r for r in sample_rows if r["doc"] == "huadu_2020"]
    assert huadu and all(r["region"] == "广州市花都区" and r["year"] == "2020" for r in huadu)
    assert any("審結" in r["evidence"] for r in huadu)


def test_a_bad_batch_reports_each_problem_once_and_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 50)
    original = (SAMPLE_DATA / "liuyang_2020.txt").read_text(encoding="utf-8")
    # GB18030 writes every GBK character with GBK's bytes, and also the page's • and
    # no-break spaces, which plain GBK cannot.
    (folder / "liuyang_gbk.txt").write_bytes(original.encode("gb18030"))
    missing = str(tmp_path / "missing.txt")
    done = run_cli("extract", str(folder), missing)
    stderr = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in stderr
    error_lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 3
    for name in ("empty.txt", "binary.txt", "missing.txt"):
        assert sum(name in line for line in error_lines) == 1
    gbk_rows = [(r["indicator"], r["value"], r["qualifier"], r["start"]) for r in csv_records(done.stdout)]
    utf8 = csv_records(run_cli("extract", str(SAMPLE_DATA / "liuyang_2020.txt")).stdout)
    assert gbk_rows == [(r["indicator"], r["value"], r["qualifier"], r["start"]) for r in utf8]
    assert gbk_rows


def test_stdin_is_read_with_a_dash() -> None:
    text = "2020年，区政府审结行政复议案件86宗，纠错率16.2%。".encode()
    done = run_cli("extract", "-", stdin=text)
    rows = csv_records(done.stdout)
    assert done.returncode == 0
    assert [(r["doc"], r["indicator"], r["value"]) for r in rows] == [
        ("stdin", "reconsideration.cases_concluded", "86"),
        ("stdin", "reconsideration.correction_rate", "16.2"),
    ]


def test_jsonl_output_keeps_values_exact(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    done = run_cli("extract", "sample_data/liuyang_2020.txt", "-o", str(out))
    assert done.returncode == 0 and done.stdout == b""
    import json

    rows = [json.loads(line, parse_float=Decimal) for line in out.read_text(encoding="utf-8").splitlines()]
    assert any(r["value"] == Decimal("33.34") for r in rows)


def test_excel_flag_adds_a_byte_order_mark() -> None:
    done = run_cli("extract", "--excel", "sample_data/liuyang_2020.txt")
    assert done.stdout.startswith("\ufeff".encode())


def test_version_and_usage_errors() -> None:
    assert run_cli("--version").stdout.decode().startswith("reportmetrics ")
    assert run_cli("extract").returncode == 2
    assert run_cli("extract", "--no-such-option", "x").returncode == 2


def test_an_invalid_pack_stops_the_run_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("pack: broken\nindicators: []\n", encoding="utf-8")
    done = run_cli("extract", "--patterns", str(tmp_path), "sample_data")
    assert done.returncode == 1
    assert done.stdout == b""
    assert "broken.yaml" in done.stderr.decode() and "Traceback" not in done.stderr.decode()


def test_packs_check_passes_and_lists_every_pack() -> None:
    done = run_cli("packs", "check")
    assert done.returncode == 0, done.stderr.decode()
    listed = run_cli("packs", "list").stdout.decode()
    assert "reconsideration.correction_rate" in listed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_closed_pipe_ends_quietly(fmt: str) -> None:
    # Enough output (thirty copies of the samples) to overflow the pipe's buffer.
    env_cmd = [
        sys.executable,
        "-c",
        "from reportmetrics.cli import run_cli; run_cli()",
        "extract",
        "-f",
        fmt,
        *["sample_data"] * 30,
    ]
    import os

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    producer = subprocess.Popen(env_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert producer.stdout is not None
    producer.stdout.read(8)
    producer.stdout.close()
    _, stderr = producer.communicate(timeout=120)
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr


def test_text_prints_exactly_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeff第一行\r\n第二行\r\n".encode())
    assert run_cli("text", str(path)).stdout == "第一行\n第二行\n".encode()


@needs_shared()
def test_score_on_the_sample_gold_prints_the_overall_line_last() -> None:
    done = run_cli("score", "--gold", str(SHARED / "gold" / "sample_reports.jsonl"), "sample_data")
    last = done.stdout.decode().strip().splitlines()[-1]
    assert done.returncode == 0 and last.startswith("overall: precision")


def test_two_jobs_give_the_same_rows_in_the_same_order_and_survive_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    one = run_cli("extract", "sample_data", str(tmp_path), "-j", "1")
    two = run_cli("extract", "sample_data", str(tmp_path), "-j", "2")
    assert one.returncode == two.returncode == 1
    assert "Traceback" not in two.stderr.decode()
    assert two.stdout == one.stdout and one.stdout.count(b"\n") > 40
