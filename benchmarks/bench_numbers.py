"""Time reportmetrics.numbers.parse_number over a realistic mix of report figures.

Run from the repository root: ``python benchmarks/bench_numbers.py``.  Prints calls per
second for the whole mix and for each category; it asserts nothing about speed.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reportmetrics.numbers import NumberError, parse_number

# Literals as the sample reports write them, by category.
CATEGORIES: dict[str, list[str]] = {
    "arabic": ["86", "3364", "19256", "116", "7", "54", "33.34", "4.30", "2254", "839"],
    "percent": ["16.2%", "96%", "100%", "99.87%", "84.15%", "96.08%", "67%"],
    "grouped": ["3,604", "12,077", "1,257", "29,323", "12,077.50"],
    "multiplier": ["3万余", "30余万", "1.97亿", "3.5万", "近90万", "2800餘", "110余", "15000余"],
    "qualified": ["超过4000", "96%以上", "300人以上", "50多", "60余人次", "约1.5亿"],
    "chinese": ["一百二十三", "十二", "两万", "一万零一十二", "百分之九十六", "九成五", "十余万"],
    "points": ["5.42个百分点", "1个多百分点", "0.5个百分点"],
    "refused": ["一些", "统一", "第一", "十四五", "二〇二三", "1.2.3"],
}
# How often each category turns up among candidate numbers: mostly plain Arabic.
WEIGHTS = {
    "arabic": 40,
    "percent": 20,
    "grouped": 10,
    "multiplier": 10,
    "qualified": 8,
    "chinese": 5,
    "points": 3,
    "refused": 4,
}
# Length of one timed round; the best of three rounds is reported.
ROUND_SECONDS = 0.2


def time_rounds(literals: list[str], repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        for text in literals:
            with contextlib.suppress(NumberError):
                parse_number(text)
    return time.perf_counter() - start


def calls_per_second(literals: list[str]) -> float:
    repeats = 1
    while (elapsed := time_rounds(literals, repeats)) < ROUND_SECONDS / 4:
        repeats *= 2
    repeats = max(1, round(repeats * ROUND_SECONDS / elapsed))
    best = min(time_rounds(literals, repeats) for _ in range(3))
    return repeats * len(literals) / best


def realistic_mix() -> list[str]:
    mix = []
    for category, weight in WEIGHTS.items():
        literals = CATEGORIES[category]
        mix.extend(literals[i % len(literals)] for i in range(weight))
    return mix


def main() -> None:
    print(f"{'category':<12} {'calls/s':>12}")
    print(f"{'mix':<12} {calls_per_second(realistic_mix()):>12,.0f}")
    for category, literals in CATEGORIES.items():
        print(f"{category:<12} {calls_per_second(literals):>12,.0f}")


if __name__ == "__main__":
    main()
