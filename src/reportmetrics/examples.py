"""Run the examples and counter-examples that every pattern carries.

An example passes when the pattern on its own finds one of the listed values (with
its unit and qualifier) in the example text, and the whole engine (all packs loaded, overlap rule
applied) reports for that indicator exactly the listed values, as a multiset: a row
the example does not list (an extra 9000) fails it, as does a listed value given
twice. Rows of other indicators are not looked at. A counter-example passes when the
whole engine reports nothing for the pattern's indicator.
"""

from __future__ import annotations

from collections import Counter
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
    # An example of an indicator's words: any of the patterns composed from them may
    # find it (empty: the pattern itself must).
    composed: tuple[Pattern, ...] = ()

    @property
    def name(self) -> str:
        kind = "example" if self.example else "counter"
        return f"{self.source}:{kind}:{self.text[:24]}"

    @property
    def source(self) -> str:
        """Where the case is written: a pattern id, or `pack/indicator/words`."""
        if self.composed:
            return f"{self.pattern.id.rsplit('/', 1)[0]}/words"
        return self.pattern.id


def cases(packs: tuple[Pack, ...]) -> Iterator[Case]:
    for pack in packs:
        for indicator in pack.indicators:
            composed = tuple(p for p in indicator.patterns if p.shape)
            if indicator.words is not None and composed:
                for example in indicator.words.examples:
                    yield Case(pack, composed[0], example.text, example, composed)
                for text in indicator.words.counter_examples:
                    yield Case(pack, composed[0], text, None, composed)
            for pattern in indicator.patterns:
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
    patterns = case.composed or (case.pattern,)
    if not any(keyword in text for p in patterns for keyword in p.keywords):
        return (
            f"example {case.text!r} holds none of the keywords "
            f"{', '.join(case.pattern.keywords)}, so the pattern never runs on such text"
        )
    alone = [
        (m.number.value, m.number.unit, m.number.qualifier)
        for pattern in patterns
        for match in pattern.compiled.finditer(text)
        for m in mentions_in(pattern, match, text)
    ]
    expected = case.example
    # The pattern shows itself: it finds one of the listed values on its own (the
    # others may be its indicator's rows from other patterns: a total beside its split).
    if not any((value, expected.unit, qualifier) in alone for value, qualifier in expected.expected):
        got = ", ".join(f"{v} {u} {q}" for v, u, q in alone) or "nothing"
        listed = ", ".join(f"{v} {expected.unit} {q}" for v, q in expected.expected)
        return f"example {case.text!r}: expected {listed}, the pattern found {got}"
    for value, qualifier in expected.expected:
        if (value, qualifier) not in engine:
            got = ", ".join(f"{v} {q}" for v, q in engine) or "nothing"
            return (
                f"example {case.text!r}: the pattern finds {value}, but the engine gives "
                f"{case.pattern.indicator} = {got} (another indicator took the number?)"
            )
    wanted, given = Counter(expected.expected), Counter(engine)
    if wanted != given:
        listed = ", ".join(f"{v} {q}" for v, q in expected.expected)
        got = ", ".join(f"{v} {q}" for v, q in engine)
        return (
            f"example {case.text!r}: lists {case.pattern.indicator} = {listed}, but the engine "
            f"gives {got}: the rows of the example's indicator must be exactly those listed"
        )
    return None
