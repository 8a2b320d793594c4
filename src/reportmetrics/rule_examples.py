"""Running the consistency rules' examples and counter-examples through the real
extraction and the checks (the test suite runs each one as its own test)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .consistency import findings
from .packs import pack_files
from .rows import format_decimal
from .rules import Rule, RuleExample


@dataclass(frozen=True)
class ExampleCase:
    """One example or counter-example of one rule, ready to run (and to name a test after)."""

    rule: Rule
    example: RuleExample
    counter: bool

    @property
    def name(self) -> str:
        kind = "counter" if self.counter else "example"
        return f"{self.rule.id}:{kind}:{self.example.text[:24]}"


def example_cases(rules: Sequence[Rule]) -> tuple[ExampleCase, ...]:
    """Every example and counter-example of every rule."""
    return tuple(
        ExampleCase(rule, example, counter)
        for rule in rules
        for counter, items in ((False, rule.examples), (True, rule.counter_examples))
        for example in items
    )


def check_example(case: ExampleCase, rules: Sequence[Rule], pattern_dirs: tuple[str, ...] = ()) -> str | None:
    """Run one example through the real extraction and every rule: None when it gives
    exactly the expected findings (none for a counter-example), else what went wrong."""
    from .api import extract_text

    text = case.example.text
    # Every pack, those that run only when named (gip) included.
    every = tuple(pack_files(pattern_dirs))
    got = findings(extract_text(text, packs=every, patterns=pattern_dirs), text, rules)
    have = sorted(((f.rule, f.values) for f in got), key=str)
    want = sorted(((e.rule, e.values) for e in case.example.findings), key=str)
    if have == want:
        return None

    def show(items: list[tuple[str, tuple[Decimal | None, ...]]]) -> str:
        def cell(v: Decimal | None) -> str:
            return "" if v is None else format_decimal(v)

        return "; ".join(f"{r} [{', '.join(cell(v) for v in vs)}]" for r, vs in items) or "nothing"

    return f"{case.rule.path}: rule {case.rule.id}: {text!r}: expected {show(want)}, got {show(have)}"
