from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
# ../shared sits beside a developer's or CI's clone; a user's clone has none.
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _compiled_patterns_cached_for_the_session(tmp_path_factory):
    """Tests (and the CLI runs they start) share a cache of compiled patterns of their
    own, not the user's."""
    from reportmetrics.regexcache import CACHE_DIR_VARIABLE, shared_cache

    previous = os.environ.get(CACHE_DIR_VARIABLE)
    os.environ[CACHE_DIR_VARIABLE] = str(tmp_path_factory.mktemp("regexcache"))
    shared_cache.cache_clear()
    yield
    if previous is None:
        del os.environ[CACHE_DIR_VARIABLE]
    else:
        os.environ[CACHE_DIR_VARIABLE] = previous
    shared_cache.cache_clear()


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
