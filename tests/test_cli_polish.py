"""The command line as a new user meets it: help, short options, readable defaults, the
summary line at the end of a run."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from reportmetrics import __version__
from reportmetrics.cli import parse_size, show_size

COMMANDS = [
    (),
    ("extract",),
    ("text",),
    ("score",),
    ("check",),
    ("review",),
    ("packs",),
    ("packs", "list"),
    ("packs", "check"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_shows_metavars_without_python_types_or_braces(command: tuple[str, ...]) -> None:
    done = run_cli(*command, "-h")
    shown = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert shown.startswith("Usage: reportmetrics")
    for noise in ("<list", "<str>", "<int>", "{PATH}", "{", "}"):
        assert noise not in shown, f"{noise!r} in:\n{shown}"
    assert "-h, --help" in shown


def test_help_usage_lines_name_the_arguments_as_click_does() -> None:
    usages = {" ".join(c): run_cli(*c, "--help").stdout.decode().splitlines()[0] for c in COMMANDS[1:5]}
    assert usages == {
        "extract": "Usage: reportmetrics extract [OPTIONS] PATH...",
        "text": "Usage: reportmetrics text [OPTIONS] PATH",
        "score": "Usage: reportmetrics score [OPTIONS] PATH...",
        "check": "Usage: reportmetrics check [OPTIONS] PATH...",
    }
    assert "--gold FILE" in run_cli("score", "-h").stdout.decode()


def test_short_and_long_version_options_print_the_version() -> None:
    for option in ("-V", "--version"):
        done = run_cli(option)
        assert done.returncode == 0
        assert done.stdout.decode() == f"reportmetrics {__version__}\n"


def test_max_bytes_default_is_shown_in_megabytes() -> None:
    shown = " ".join(run_cli("extract", "-h").stdout.decode().split())
    assert "[default: 200 MB]" in shown
    assert "209715200" not in shown


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("200 MB", 200 * 2**20),
        ("200MB", 200 * 2**20),
        ("1.5gb", 3 * 2**29),
        ("512KB", 512 * 1024),
        ("77", 77),
    ],
)
def test_sizes_read_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_shown_sizes_read_back() -> None:
    for size in (200 * 2**20, 2**30, 3 * 1024, 1000):
        assert parse_size(show_size(size)) == size


def test_a_size_that_is_not_one_is_a_usage_error(tmp_path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("全年审结行政复议案件12件。", encoding="utf-8")
    done = run_cli("text", str(report), "--max-bytes", "lots")
    assert done.returncode == 2
    assert "'lots' is not a size" in done.stderr.decode()
    refused = run_cli("text", str(report), "--max-bytes", "10")
    assert refused.returncode == 1 and "is over --max-bytes" in refused.stderr.decode()


def test_shell_completion_is_offered() -> None:
    shown = run_cli("--help").stdout.decode()
    assert "--install-completion" in shown and "--show-completion" in shown


SUMMARY = re.compile(r"^(\d+) files? read, (\d+) rows?, (\d+) errors?, \d+\.\d s$", re.MULTILINE)


def test_verbose_prints_the_summary_line_when_stderr_is_a_pipe(sample_rows) -> None:
    done = run_cli("extract", "sample_data", "no_such_report.txt", "-v")
    found = SUMMARY.findall(done.stderr.decode())
    files = len(list((ROOT / "sample_data").glob("*.txt")))
    assert found == [(str(files), str(len(sample_rows)), "1")]


def test_no_summary_line_on_a_pipe_without_verbose_nor_with_quiet() -> None:
    for extra in ((), ("-q",), ("-q", "-v")):
        done = run_cli("extract", "sample_data", *extra)
        assert done.returncode == 0
        assert not SUMMARY.search(done.stderr.decode()), extra


def _stderr_on_a_terminal(*args: str) -> str:
    """Run the CLI with stderr on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    command = [sys.executable, "-c", "from reportmetrics.cli import run_cli; run_cli()", *args]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT, env=env) as child:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        child.wait(timeout=120)
    os.close(leader)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace")).replace(
        "\r", ""
    )


def test_summary_line_on_a_terminal_and_not_with_quiet(sample_rows) -> None:
    shown = _stderr_on_a_terminal("extract", "sample_data")
    files = len(list((ROOT / "sample_data").glob("*.txt")))
    assert SUMMARY.findall(shown) == [(str(files), str(len(sample_rows)), "0")]
    assert not SUMMARY.search(_stderr_on_a_terminal("extract", "sample_data", "-q"))
