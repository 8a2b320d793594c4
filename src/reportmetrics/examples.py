"""Run the examples and counter-examples that every pattern carries.

An example passes when the pattern on its own finds the expected value (with its unit
and qualifier) in the example text, and the whole engine (all packs loaded, overlap rule
applied) reports that indicator with that value. A counter-example passes when the
whole engine reports nothing for the pattern's indicator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .match import Matcher, mentions_in
from .normalise import normalise
from .packs import Example, Pack, Pattern


@dataclass(frozen=True)
class Case:
    """One example or counter-example, ready to run (and to name a test after)."""

    pack: Pack
    pattern: Pattern
    text: str
    example: Example | None  # None for a counter-example

    @property
    def name(self) -> str:
        kind = "example" if self.example else "counter"
        return f"{self.pattern.id}:{kind}:{self.text[:24]}"


def cases(packs: tuple[Pack, ...]) -> Iterator[Case]:
    for pack in packs:
        for pattern in pack.patterns:
            for example in pattern.examples:
                yield Case(pack, pattern, example.text, example)
            for text in pattern.counter_examples:
                yield Case(pack, pattern, text, None)


def check_case(case: Case, matcher: Matcher) -> str | None:
    """None when the case passes, else what went wrong in one line."""
    text = normalise(case.text).text
    engine = [
        (m.number.value, m.number.qualifier)
        for m in matcher.mentions(text)
        if m.pattern.indicator == case.pattern.indicator
    ]
    if case.example is None:
        if engine:
            found = ", ".join(str(v) for v, _ in engine)
            return f"counter-example {case.text!r} gave {case.pattern.indicator} = {found}"
        return None
    if not any(keyword in text for keyword in case.pattern.keywords):
        return (
            f"example {case.text!r} holds none of the keywords "
            f"{', '.join(case.pattern.keywords)}, so the pattern never runs on such text"
        )
    alone = [
        (m.number.value, m.number.unit, m.number.qualifier)
        for match in case.pattern.compiled.finditer(text)
        for m in mentions_in(case.pattern, match, text)
    ]
    expected = case.example
    for value in expected.values:
        if (value, expected.unit, expected.qualifier) not in alone:
            got = ", ".join(f"{v} {u} {q}" for v, u, q in alone) or "nothing"
            return (
                f"example {case.text!r}: expected {value} {expected.unit} "
                f"{expected.qualifier}, the pattern found {got}"
            )
        if (value, expected.qualifier) not in engine:
            got = ", ".join(f"{v} {q}" for v, q in engine) or "nothing"
            return (
                f"example {case.text!r}: the pattern finds {value}, but the engine gives "
                f"{case.pattern.indicator} = {got} (another indicator took the number?)"
            )
    return None
