from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
# ../shared sits beside a developer's or CI's clone; a user's clone has none.
SHARED = ROOT.parent / "shared"


CACHE_DIR_VARIABLE = "REPORTMETRICS_CACHE_DIR"  # as in reportmetrics.regexcache
_previous_cache_dir: list[str | None] = []


def pytest_configure(config: pytest.Config) -> None:
    """Tests (and the CLI runs they start) share a cache of compiled patterns of their
    own, not the user's: set before any test module is collected, since collecting
    may load packs."""
    _previous_cache_dir.append(os.environ.get(CACHE_DIR_VARIABLE))
    os.environ[CACHE_DIR_VARIABLE] = tempfile.mkdtemp(prefix="reportmetrics-tests-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get(CACHE_DIR_VARIABLE, ""), ignore_errors=True)
    previous = _previous_cache_dir.pop() if _previous_cache_dir else None
    if previous is None:
        os.environ.pop(CACHE_DIR_VARIABLE, None)
    else:
        os.environ[CACHE_DIR_VARIABLE] = previous


@pytest.fixture(scope="session")
def builtin_packs():
    """The built-in packs, loaded and compiled once for the session."""
    from reportmetrics.packs import load_packs

    return load_packs()


@pytest.fixture(scope="session")
def builtin_matcher(builtin_packs):
    from reportmetrics.match import Matcher

    return Matcher(builtin_packs)


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside this clone")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command if there is one, else the package from src/."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", "from reportmetrics.cli import run_cli; run_cli()", *args]
    return subprocess.run(command, input=stdin, capture_output=True, cwd=cwd or ROOT, env=env, timeout=300)


def csv_records(data: bytes) -> list[dict[str, str]]:
    """A CSV the CLI wrote, as one dict per row."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def extract_rows(*args: str, stdin: bytes | None = None) -> list[dict[str, str]]:
    """`reportmetrics extract ARGS`, which must succeed, as one dict per CSV row."""
    done = run_cli("extract", *args, stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    return csv_records(done.stdout)


@pytest.fixture(scope="session")
def sample_rows() -> list[dict[str, str]]:
    """`extract sample_data`, run once for the whole session."""
    return extract_rows("sample_data")
