"""Build a realistic benchmark corpus of report texts from the sample and dev texts.

    python benchmarks/make_corpus.py [OUT] [--files 2000] [--seed 1]

writes OUT/full/ (FILES .txt reports, about 12.5 KB each, about 25 MB for 2,000) and
OUT/half/ (hard links to the first half of them, for the memory comparison), plus
OUT/corpus.json describing what was built. OUT defaults to a folder in the system's
temporary directory, outside the repository.

Each report is a title line (a region and a year from fixed lists) followed by runs of
consecutive paragraphs (1-6 lines, so tables keep a label and its number together) drawn
from random source texts, until the report reaches a size drawn between 5.5 and 17.5 KB.
In about half of the paragraphs every Arabic number that is not a year is replaced by a
random number with as many digits, so no two reports are alike. All paragraphs are first
brought to Simplified script; then about 15% of reports are converted to Traditional
(OpenCC s2tw), about 20% get full-width punctuation (and a few full-width digits), and
about 15% get CRLF line ends. Everything is UTF-8. The same seed gives the same corpus.

The sources are pinned in benchmarks/corpus_sources.txt (each file with its SHA-256):
sample_data/*.txt and, when ../shared sits beside the clone, the dev texts as they were
when pinned; without ../shared the corpus is built from sample_data alone. A pinned file
that changed stops the build (the dev set grows; figures must stay comparable), and every
corpus carries a hash of what it was built from, printed beside the figures.
`--pin` rewrites the list from the files as they are now.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
DEV_TEXTS = ROOT.parent / "shared" / "dev" / "texts"
# Bump when the way reports are built changes, so run_benchmark.py rebuilds old corpora.
VERSION = 1

_REGION_NAMES = """
浏阳市 花都区 江海区 潭埠镇 肇庆市 宁国市 方城县 邹城市 定安县
南京市 坪山区 巩留县 大口屯镇 唐村镇 海珠区 黄埔区 番禺区 南山区
福田区 宝安区 龙岗区 江宁区 鼓楼区 秦淮区 余杭区 萧山区 鄞州区
慈溪市 义乌市 昆山市 江阴市 常熟市 长沙县 望城区 岳麓区 天河区
越秀区 荔湾区 武侯区 锦江区 青羊区 金牛区 郫都区 新都区 温江区
东城区 西城区 朝阳区 海淀区 丰台区 浦东新区 闵行区 宝山区 嘉定区
"""
REGIONS = _REGION_NAMES.split()
KINDS = [
    "{region}人民政府{year}年法治政府建设年度报告",
    "{region}{year}年法治政府建设情况报告",
    "{region}{year}年政府信息公开工作年度报告",
    "{region}司法局{year}年度法治政府建设工作报告",
    "关于{region}{year}年度法治政府建设情况的报告",
]
YEARS = list(range(2016, 2025))

_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_FULL_WIDTH_PUNCT = str.maketrans(
    {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "%": "％", "!": "！", "?": "？"}
)
_FULL_WIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})


PINNED = Path(__file__).resolve().parent / "corpus_sources.txt"


def _resolve(name: str) -> Path:
    return (ROOT.parent if name.startswith("shared/") else ROOT) / name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned_sources() -> list[tuple[str, str]]:
    """(name, SHA-256) of each pinned source, in order."""
    entries = []
    for line in PINNED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, digest = line.split()
            entries.append((name, digest))
    return entries


def source_files() -> list[Path]:
    """The pinned sources present here (shared/ ones only when ../shared is beside the
    clone); a pinned file whose bytes changed stops the build."""
    files = []
    for name, digest in pinned_sources():
        path = _resolve(name)
        if name.startswith("shared/") and not DEV_TEXTS.is_dir():
            continue
        if not path.is_file():
            raise SystemExit(f"pinned corpus source missing: {path}")
        if _digest(path) != digest:
            raise SystemExit(f"pinned corpus source changed: {path} (re-pin with --pin, on purpose)")
        files.append(path)
    return files


def corpus_hash(files: list[Path], count: int, seed: int) -> str:
    """What a corpus is built from, in 12 hex digits: sources, size, seed, build version."""
    h = hashlib.sha256(f"{VERSION} {count} {seed}".encode())
    for path in files:
        h.update(_digest(path).encode())
    return h.hexdigest()[:12]


def pin() -> int:
    """Rewrite corpus_sources.txt from sample_data and the dev texts as they are now."""
    header = [line for line in PINNED.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    dev = sorted(DEV_TEXTS.glob("*.txt")) if DEV_TEXTS.is_dir() else []
    rows = [f"{p.relative_to(ROOT)} {_digest(p)}" for p in sorted(SAMPLE_DATA.glob("*.txt"))]
    rows += [f"{p.relative_to(ROOT.parent)} {_digest(p)}" for p in dev]
    PINNED.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"pinned {len(rows)} sources in {PINNED}", file=sys.stderr)
    return 0


def paragraph_runs(files: list[Path]) -> list[list[str]]:
    """Each source's non-empty lines, in Simplified script, as one list per source."""
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    sources = []
    for path in files:
        text = to_simplified.convert(path.read_text(encoding="utf-8"))
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            sources.append(lines)
    return sources


def perturb(paragraph: str, rng: random.Random) -> str:
    """Every number that is not a year becomes a random number of the same length."""

    def replace(match: re.Match[str]) -> str:
        digits = match.group()
        if _YEAR.fullmatch(digits):
            return digits
        first = str(rng.randint(1, 9)) if digits[0] != "0" else "0"
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    return _NUMBER.sub(replace, paragraph)


def build_report(sources: list[list[str]], rng: random.Random) -> str:
    region = rng.choice(REGIONS)
    year = rng.choice(YEARS)
    title = rng.choice(KINDS).format(region=region, year=year)
    target = rng.randint(5_500, 17_500)  # bytes of UTF-8
    lines = [title, ""]
    size = len(title.encode("utf-8"))
    while size < target:
        source = rng.choice(sources)
        start = rng.randrange(len(source))
        for paragraph in source[start : start + rng.randint(1, 6)]:
            if rng.random() < 0.5:
                paragraph = perturb(paragraph, rng)
            lines.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
        if rng.random() < 0.3:
            lines.append("")  # a blank line between sections, now and then
    return "\n".join(lines) + "\n"


def vary(text: str, rng: random.Random, traditional) -> tuple[str, list[str]]:
    """Script, punctuation and line-end variants; returns the text and what was applied."""
    applied = []
    if rng.random() < 0.15:
        text = traditional(text)
        applied.append("traditional")
    if rng.random() < 0.20:
        text = text.translate(_FULL_WIDTH_PUNCT)
        applied.append("fullwidth")
        if rng.random() < 0.25:
            text = text.translate(_FULL_WIDTH_DIGITS)
            applied.append("fullwidth-digits")
    if rng.random() < 0.15:
        text = text.replace("\n", "\r\n")
        applied.append("crlf")
    return text, applied


def default_out(files: int, seed: int) -> Path:
    return Path(tempfile.gettempdir()) / f"reportmetrics-corpus-{files}-s{seed}"


def build(out: Path, files: int = 2000, seed: int = 1) -> dict:
    """Write the corpus to `out` (replacing what is there) and return its description."""
    import opencc

    to_traditional = opencc.OpenCC("s2tw").convert
    sources = paragraph_runs(source_files())
    if not sources:
        raise SystemExit(f"no source texts in {SAMPLE_DATA}")
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    full, half = out / "full", out / "half"
    full.mkdir(parents=True)
    half.mkdir()
    counts: dict[str, int] = {}
    total_bytes = total_chars = half_bytes = half_chars = 0
    for n in range(files):
        text, applied = vary(build_report(sources, rng), rng, to_traditional)
        for name in applied:
            counts[name] = counts.get(name, 0) + 1
        path = full / f"report_{n:05d}.txt"
        data = text.encode("utf-8")
        path.write_bytes(data)
        total_bytes += len(data)
        total_chars += len(text)
        if n < files // 2:
            os.link(path, half / path.name)
            half_bytes += len(data)
            half_chars += len(text)
    info = {
        "version": VERSION,
        "files": files,
        "seed": seed,
        "bytes": total_bytes,
        "chars": total_chars,
        "half_files": files // 2,
        "half_bytes": half_bytes,
        "half_chars": half_chars,
        "variants": counts,
        "sources": [str(p) for p in source_files()],
        "hash": corpus_hash(source_files(), files, seed),
    }
    (out / "corpus.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def current(out: Path, files: int, seed: int) -> dict | None:
    """The corpus description if `out` holds a complete corpus built with these settings."""
    try:
        info = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"version": VERSION, "files": files, "seed": seed}
    if any(info.get(key) != value for key, value in wanted.items()):
        return None
    if info.get("hash") != corpus_hash(source_files(), files, seed):
        return None
    if len(list((out / "full").glob("*.txt"))) != files:
        return None
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, help="output folder (default: in the temp dir)")
    parser.add_argument("--files", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--pin", action="store_true", help="re-pin the source list and exit")
    args = parser.parse_args(argv)
    if args.pin:
        return pin()
    out = args.out or default_out(args.files, args.seed)
    info = build(out, args.files, args.seed)
    print(
        f"{out}: {info['files']} reports, {info['bytes'] / 1e6:.1f} MB, {info['chars'] / 1e6:.2f} M chars "
        f"(half: {info['half_files']} reports, {info['half_bytes'] / 1e6:.1f} MB); "
        f"variants {info['variants']}; from {len(info['sources'])} source texts; corpus {info['hash']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
