"""Start-up cost: `import reportmetrics` and `reportmetrics --help`, each in a fresh process.

    python benchmarks/bench_startup.py                      # this checkout's src/
    python benchmarks/bench_startup.py --src A/src --src B/src --runs 30   # two trees, interleaved

Each round runs every command of every tree once, so that a shared machine's drift hits
them alike; the table gives the median wall time over the rounds and the number of
modules each command leaves in `sys.modules` (a count that does not drift).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "import reportmetrics": "import reportmetrics",
    "reportmetrics --help": (
        "import sys\nsys.argv = ['reportmetrics', '--help']\n"
        "from reportmetrics.cli import run_cli\n"
        "try:\n    run_cli()\nexcept SystemExit:\n    pass"
    ),
}
COUNT_MODULES = "\nimport sys as _s\n_s.stderr.write(f'\\nMODULES {len(_s.modules)}\\n')"


def run_once(src: Path, code: str) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(src), REPORTMETRICS_CACHE_DIR="")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code + COUNT_MODULES], env=env, capture_output=True, check=True
    )
    wall = time.perf_counter() - started
    modules = int(done.stderr.decode().rsplit("MODULES ", 1)[1])
    return wall, modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, action="append", help="a src folder (repeatable)")
    parser.add_argument("--runs", type=int, default=20, help="rounds (default 20)")
    args = parser.parse_args()
    trees = args.src or [ROOT / "src"]
    times: dict[tuple[Path, str], list[float]] = {}
    modules: dict[tuple[Path, str], int] = {}
    for _ in range(args.runs):
        for src in trees:
            for name, code in COMMANDS.items():
                wall, count = run_once(src, code)
                times.setdefault((src, name), []).append(wall)
                modules[(src, name)] = count
    print(f"{'tree':<40}{'command':<24}{'median s':>10}{'modules':>9}")
    for (src, name), walls in times.items():
        print(f"{str(src)[-39:]:<40}{name:<24}{statistics.median(walls):>10.4f}{modules[(src, name)]:>9}")


if __name__ == "__main__":
    main()
