"""Collecting the tests touches nothing of the user's: no compiled-pattern cache is
written in their cache folder, and no pack is compiled before a test runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import CACHE_DIR_VARIABLE, ROOT


def test_collecting_the_tests_writes_nothing_in_the_users_cache_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != CACHE_DIR_VARIABLE}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout.decode()[-2000:]
    assert "tests/test_packs.py: " in done.stdout.decode()
    assert list(home.rglob("*")) == []
