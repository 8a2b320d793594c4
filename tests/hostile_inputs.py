"""Inputs a careless regex, or a careless loop over matches, would choke on: each a maker
of a text of the given number of characters. Shared by tests/test_robustness.py and
`benchmarks/run_benchmark.py --hostile`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def fill(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


@cache
def _flat_samples() -> str:
    """The sample reports with every line break removed."""
    texts = (p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DATA.glob("*.txt")))
    return "".join(text.replace("\r", "").replace("\n", "") for text in texts)


def _repeated(unit: str) -> Callable[[int], str]:
    return lambda size: fill(unit, size)


HOSTILE_INPUTS: dict[str, Callable[[int], str]] = {
    "digits, no separators": _repeated("8274619305"),
    "行政复议 repeated": _repeated("行政复议"),
    "百分之 repeated": _repeated("百分之"),
    "'1,' repeated": _repeated("1,"),
    "Chinese numerals": _repeated("一二三四五六七八九十百千万亿零两"),
    "sample reports, no line breaks": lambda size: fill(_flat_samples(), size),
    # A full mention every 11 characters: 90,909 rows per million characters.
    "审结行政复议案件12件 repeated": _repeated("审结行政复议案件12件"),
}
