"""Corpus benchmark: reportmetrics against two numeral-only peers, as whole commands.

    python benchmarks/run_benchmark.py [--files N] [--runs 3]
    python benchmarks/run_benchmark.py --hostile

The first form builds the corpus if it is missing (benchmarks/make_corpus.py: about
2,000 reports, ~25 MB, in the temp directory), then times each command over it, each in
a fresh process, `--runs` times, and reports the median wall time:

- `reportmetrics extract FULL -q -o /dev/null`, with one job and with `-j 2`, with
  compiled patterns cached (in a cache of the benchmark's own, filled by one untimed
  run), and with one job and the cache off (what the first run on a machine pays);
- `reportmetrics extract HALF -q -o /dev/null` (half the files), for peak memory;
- `cn2an.transform(text, "cn2an")` and `chinese2digits.takeNumberFromString(text)` in a
  `python -c` loop over the same files: baselines that find numerals and bind nothing;
- `reportmetrics --help` (median of 10), the start-up cost every command pays.

chars/s is the corpus's characters (decoded) divided by the median wall time. Peak
memory is the maximum resident set size of the command, from `/usr/bin/time -v` (or, if
that is missing, from getrusage of a wrapper's one child); with `-j 2` it is the largest
single process, not the sum. Then it checks, outside the timed runs, that `-j 2` writes
exactly the rows `-j 1` writes.

`--hostile` times, in this process, extract_text on a few megabytes of hostile input
(digits with no separators, 行政复议 repeated, ...) and prints each one's throughput as
a share of the throughput on normal reports from the corpus.

The command under test is `reportmetrics` from PATH if installed, else this checkout's
package (`python -c "from reportmetrics.cli import run_cli; run_cli()"` with
PYTHONPATH=src); `--src DIR` runs the package in DIR instead (`--src src` for this
checkout even when another version is installed). `--hostile` always imports from
`--src` or this checkout's src.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import make_corpus  # noqa: E402
from hostile_inputs import HOSTILE_INPUTS  # noqa: E402

CN2AN_LOOP = (
    "import sys, pathlib, cn2an\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):\n"
    "    cn2an.transform(p.read_bytes().decode('utf-8'), 'cn2an')\n"
)
CHINESE2DIGITS_LOOP = (
    "import sys, pathlib, chinese2digits\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):\n"
    "    chinese2digits.takeNumberFromString(p.read_bytes().decode('utf-8'))\n"
)
# Runs its arguments as one child and writes that child's peak RSS (KiB) and exit status
# to the file named first: getrusage(RUSAGE_CHILDREN) of a process with a single child
# is that child's own figure.
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(f'{peak} {code}')\n"
)


def command_prefix(src: Path | None) -> tuple[list[str], dict[str, str], str]:
    """How to run reportmetrics: the installed command, or the package in `src`."""
    env = dict(os.environ)
    installed = shutil.which("reportmetrics")
    if installed and src is None:
        return [installed], env, installed
    src = src or ROOT / "src"
    env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    prefix = [sys.executable, "-c", "from reportmetrics.cli import run_cli; run_cli()"]
    return prefix, env, f"{sys.executable} -c run_cli() with PYTHONPATH={src}"


def gnu_time() -> str | None:
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path is None:
        return None
    probe = subprocess.run([path, "-v", "true"], capture_output=True, text=True)
    return path if "Maximum resident set size" in probe.stderr else None


def measure(command: list[str], env: dict[str, str], timer: str | None) -> tuple[float, int, int]:
    """One run in a fresh process: (wall seconds, peak RSS in KiB, exit status)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as report:
        if timer:
            wrapped = [timer, "-v", "-o", report.name, *command]
        else:
            wrapped = [sys.executable, "-c", RUSAGE_WRAPPER, report.name, *command]
        start = time.perf_counter()
        done = subprocess.run(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        text = Path(report.name).read_text()
    if timer:
        peak = code = 0
        for line in text.splitlines():
            if "Maximum resident set size" in line:
                peak = int(line.rsplit(":", 1)[1])
            elif "Exit status" in line:
                code = int(line.rsplit(":", 1)[1])
        if "Command exited with non-zero status" in text or "Command terminated by signal" in text:
            code = code or 1
    else:
        peak_text, code_text = text.split()
        peak, code = int(peak_text), int(code_text)
    if code != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        print(f"  warning: exit status {code}: {' '.join(command[-6:])}: {' | '.join(tail)}", file=sys.stderr)
    return wall, peak, code


Command = tuple[str, list[str], dict[str, str]]  # label, argv, environment


def timed_together(commands: list[Command], timer: str | None, runs: int) -> dict:
    """Each command `runs` times, interleaved (round after round, every command once a
    round), so that a machine that speeds up or slows down mid-benchmark affects all of
    them alike. Returns each label's result: median wall, the walls, peak, exit codes."""
    walls: dict[str, list[float]] = {label: [] for label, _, _ in commands}
    peaks: dict[str, list[int]] = {label: [] for label, _, _ in commands}
    codes: dict[str, set[int]] = {label: set() for label, _, _ in commands}
    for round_number in range(1, runs + 1):
        for label, command, env in commands:
            wall, peak, code = measure(command, env, timer)
            walls[label].append(wall)
            peaks[label].append(peak)
            codes[label].add(code)
        shown = ", ".join(f"{label} {walls[label][-1]:.2f} s" for label, _, _ in commands)
        print(f"  round {round_number}: {shown}", file=sys.stderr)
    return {
        label: {
            "label": label,
            "wall": statistics.median(walls[label]),
            "walls": walls[label],
            "peak": max(peaks[label]),
            "codes": sorted(codes[label]),
        }
        for label, _, _ in commands
    }


def paired_ratio(slower: dict, faster: dict) -> float:
    """The median over rounds of slower/faster wall time: a speed ratio that holds
    when the machine's speed drifts between rounds."""
    return statistics.median(s / f for s, f in zip(slower["walls"], faster["walls"], strict=True))


def corpus(files: int, seed: int, out: Path | None) -> tuple[Path, dict]:
    folder = out or make_corpus.default_out(files, seed)
    info = make_corpus.current(folder, files, seed)
    if info is None:
        print(f"building the corpus in {folder} ...", file=sys.stderr)
        info = make_corpus.build(folder, files, seed)
    return folder, info


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores{', ' + model if model else ''}; Python {sys.version.split()[0]}"


def benchmark(args: argparse.Namespace) -> int:
    folder, info = corpus(args.files, args.seed, args.corpus)
    full, half = folder / "full", folder / "half"
    chars, half_chars = info["chars"], info["half_chars"]
    prefix, env, how = command_prefix(args.src)
    timer = gnu_time()
    print(f"machine: {machine()}")
    print(f"reportmetrics: {how}")
    print(f"peak memory from: {timer + ' -v' if timer else 'getrusage(RUSAGE_CHILDREN) of a wrapper'}")
    print(
        f"corpus: {folder}: {info['files']} reports, {info['bytes'] / 1e6:.1f} MB, "
        f"{chars:,} characters; half: {info['half_files']} reports, {half_chars:,} characters; "
        f"corpus hash {info.get('hash', '?')} (pinned sources: benchmarks/corpus_sources.txt)"
    )
    print(f"runs per command: {args.runs} (median wall time)\n", flush=True)

    def extract(where: Path, jobs: int, output: str = os.devnull) -> list[str]:
        return [*prefix, "extract", str(where), "-q", "-o", output, *(["-j", str(jobs)] if jobs > 1 else [])]

    # Compiled patterns are cached between runs (reportmetrics/regexcache.py): in a
    # cache of the benchmark's own, filled by one untimed run; one row is timed with
    # the cache off, for what a first run on a machine costs.
    cache = tempfile.TemporaryDirectory()
    env = {**env, "REPORTMETRICS_CACHE_DIR": cache.name}
    first = sorted(full.iterdir())[0]
    subprocess.run(extract(first, 1), env=env, capture_output=True, check=False)
    uncached = {**env, "REPORTMETRICS_CACHE_DIR": ""}
    commands = [
        ("extract -j 1", extract(full, 1), env, chars),
        ("extract -j 1, no pattern cache", extract(full, 1), uncached, chars),
        ("extract -j 2", extract(full, 2), env, chars),
        ("extract -j 1, half corpus", extract(half, 1), env, half_chars),
    ]
    baseline_labels = []
    baselines_wanted = (
        ("cn2an.transform", "cn2an", CN2AN_LOOP),
        ("chinese2digits.takeNumberFromString", "chinese2digits", CHINESE2DIGITS_LOOP),
    )
    if args.no_baselines:
        print("baselines skipped (--no-baselines)")
        baselines_wanted = ()
    for name, module, loop in baselines_wanted:
        if importlib.util.find_spec(module) is None:
            print(f"baseline {name}: SKIPPED, {module} is not installed (pip install {module})")
            continue
        command = [sys.executable, "-W", "ignore", "-c", loop, str(full)]
        commands.append((f"{name} loop", command, dict(os.environ), chars))
        baseline_labels.append(f"{name} loop")
    together = [(label, command, where) for label, command, where, _ in commands]
    by_label = timed_together(together, timer, args.runs)
    results = [(by_label[label], count) for label, _, _, count in commands]
    baselines = [by_label[label] for label in baseline_labels]
    help_runs = [measure([*prefix, "--help"], env, timer)[0] for _ in range(10)]
    help_wall = statistics.median(help_runs)

    print(f"\n{'command':<46}{'median s':>10}{'chars/s':>13}{'peak MiB':>10}")
    for result, count in results:
        flag = "" if result["codes"] == [0] else f"  (exit {result['codes']})"
        print(
            f"{result['label']:<46}{result['wall']:>10.2f}{count / result['wall']:>13,.0f}"
            f"{result['peak'] / 1024:>10.0f}{flag}"
        )
    print(f"{'reportmetrics --help (median of 10)':<46}{help_wall:>10.3f}")

    j1, j2 = by_label["extract -j 1"], by_label["extract -j 2"]
    cold, half_run = by_label["extract -j 1, no pattern cache"], by_label["extract -j 1, half corpus"]
    print("\nratios (speed, as the median over rounds of the two commands' wall times):")
    if baselines:
        fastest = min(baselines, key=lambda r: r["wall"])
        print(f"  extract -j 1 / {fastest['label']}: {paired_ratio(fastest, j1):.2f}")
        print(f"  extract -j 1 with no pattern cache / {fastest['label']}: {paired_ratio(fastest, cold):.2f}")
        for baseline in baselines:
            if baseline is not fastest:
                print(f"  {fastest['label']} / {baseline['label']}: {paired_ratio(baseline, fastest):.2f}")
    print(f"  extract -j 2 / extract -j 1: {paired_ratio(j1, j2):.2f}")
    print(
        f"  peak memory, full / half corpus (extract -j 1): {j1['peak'] / half_run['peak']:.2f} "
        f"({j1['peak'] / 1024:.0f} / {half_run['peak'] / 1024:.0f} MiB)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        one, two = Path(scratch) / "j1.csv", Path(scratch) / "j2.csv"
        codes = [
            subprocess.run(extract(full, jobs, str(path)), env=env, capture_output=True).returncode
            for jobs, path in ((1, one), (2, two))
        ]
        same = one.exists() and two.exists() and filecmp.cmp(one, two, shallow=False)
        rows = max(0, len(one.read_text(encoding="utf-8").splitlines()) - 1) if one.exists() else 0
    print(f"  -j 2 output identical to -j 1 output: {'yes' if same else 'NO'} ({rows:,} rows; exit {codes})")
    cache.cleanup()
    return 0 if same else 1


# --- hostile inputs ---------------------------------------------------------------


def hostile(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(args.src or ROOT / "src"))
    from reportmetrics import extract_text
    from reportmetrics.errors import MatchTimeout

    folder, _ = corpus(args.files, args.seed, args.corpus)
    normal = [p.read_bytes().decode("utf-8") for p in sorted((folder / "full").glob("*.txt"))[:200]]
    extract_text(normal[0])  # compile the packs before timing
    start = time.perf_counter()
    for text in normal:
        extract_text(text)
    base = sum(map(len, normal)) / (time.perf_counter() - start)
    print(f"machine: {machine()}")
    print(f"normal throughput (extract_text, first 200 corpus reports): {base:,.0f} chars/s")
    sizes = [args.hostile_size // 16, args.hostile_size // 4, args.hostile_size]
    print(
        f"hostile inputs of {', '.join(f'{n:,}' for n in sizes)} characters (a size is skipped "
        f"once the one before it took over {args.hostile_limit:.0f} s; share = chars/s / normal):\n"
    )
    print(f"{'input':<36}{'chars':>11}{'seconds':>9}{'chars/s':>12}{'share':>8}{'rows':>9}")
    for name, make in HOSTILE_INPUTS.items():
        for size in sizes:
            text = make(size)
            start = time.perf_counter()
            try:
                rows = f"{len(extract_text(text)):,}"
            except MatchTimeout as error:
                rows = f"TIMEOUT ({error})"
            seconds = time.perf_counter() - start
            rate = len(text) / seconds
            print(
                f"{name:<36}{size:>11,}{seconds:>9.2f}{rate:>12,.0f}{rate / base:>8.0%}{rows:>9}",
                flush=True,
            )
            if seconds > args.hostile_limit:
                break
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="reports in the corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: in the temp directory)")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    parser.add_argument(
        "--src", type=lambda p: Path(p).resolve(), help="run the package in this src folder, not PATH's"
    )
    parser.add_argument("--no-baselines", action="store_true", help="skip cn2an and chinese2digits")
    parser.add_argument("--hostile", action="store_true", help="time hostile inputs instead")
    parser.add_argument("--hostile-size", type=int, default=2_000_000, help="largest input, in characters")
    parser.add_argument(
        "--hostile-limit", type=float, default=20.0, help="seconds after which larger sizes are skipped"
    )
    args = parser.parse_args(argv)
    return hostile(args) if args.hostile else benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
