"""Consistency checks: stated rates against their stated counts, parts against totals,
percents above 100.

`findings(rows, text, rules)` is the pure check over one document's rows;
`findings_for(result, rules)` applies it to a pipeline `Result`. All arithmetic is
Decimal. The rules themselves, their schema and their loading are in `rules.py` (and
what this module re-exports from there, `load_rules` among them, keeps working);
running each rule's examples is `rule_examples.py`.

- `ratio`: consistent when the difference is at most one unit of the rate's last stated
  digit.
- `parts`: parts stated with a total must not add up to more than the total.
- `percent_max`: a percent above a limit (100).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .rows import Row, format_decimal
from .rules import (
    RULES_FILE,
    ExpectedFinding,
    Rule,
    RuleExample,
    known_indicators,
    load_rules,
    load_rules_file,
    parse_rules,
    rules_path,
)

__all__ = [
    "FINDING_COLUMNS",
    "RULES_FILE",
    "ExpectedFinding",
    "Finding",
    "Rule",
    "RuleExample",
    "findings",
    "findings_for",
    "known_indicators",
    "load_rules",
    "load_rules_file",
    "parse_rules",
    "rules_path",
    "unit_of_last_digit",
]

FINDING_COLUMNS: tuple[str, ...] = ("doc", "path", "rule", "indicators", "values", "message")
# Where a sentence and a paragraph end, in the original text (full- and half-width marks).
SENTENCE_STOPS = "。；;!?！？\n"
PARAGRAPH_STOPS = "\n"
_SENTENCE_STOP = re.compile(f"[{SENTENCE_STOPS}]")


@dataclass(frozen=True)
class Finding:
    """One inconsistency in one document."""

    doc: str
    rule: str
    indicators: tuple[str, ...]
    values: tuple[Decimal | None, ...]  # None: a cell not stated (sum rules)
    message: str
    start: int  # offsets in the document's text of the stretch the finding is about
    end: int
    path: str = ""  # the input's path, as given or found

    def cells(self) -> list[str]:
        """The finding as CSV cells, in FINDING_COLUMNS order."""
        return [
            self.doc,
            self.path,
            self.rule,
            ";".join(self.indicators),
            ";".join("" if v is None else format_decimal(v) for v in self.values),
            self.message,
        ]


# ---------------------------------------------------------------------------------------
# The checks


@dataclass(frozen=True)
class _Mention:
    row: Row
    at: int  # offset of the number in the text (its raw form inside the evidence)

    @property
    def indicator(self) -> str:
        return self.row.indicator

    @property
    def value(self) -> Decimal:
        return self.row.value


def findings_for(result: Any, rules: Sequence[Rule]) -> tuple[Finding, ...]:
    """The findings for one pipeline Result (which must keep its text); none for an
    input that could not be read."""
    if result.error is not None or not result.rows:
        return ()
    if result.text is None:
        raise ValueError("consistency checks need the document's text: run the pipeline with keep_text=True")
    return findings(result.rows, result.text, rules, doc=result.doc, path=result.source.path)


def findings(
    rows: Sequence[Row], text: str, rules: Sequence[Rule], doc: str | None = None, path: str | None = None
) -> tuple[Finding, ...]:
    """Every finding of `rules` over one document's rows, whose offsets index into `text`.
    In text order, then rule order. `doc` and `path` default to the rows'."""
    name = doc if doc is not None else (rows[0].doc if rows else "")
    where = path if path is not None else (rows[0].path if rows else "")
    mentions = sorted((_Mention(row, _number_offset(row)) for row in rows), key=lambda m: m.at)
    scopes = _Scopes(text)
    found: list[tuple[int, int, Finding]] = []
    for order, rule in enumerate(rules):
        for finding in _CHECKS[rule.kind](rule, mentions, scopes, name):
            found.append((finding.start, order, finding))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(replace(item[2], path=where) for item in found)


def _number_offset(row: Row) -> int:
    """Where the row's number stands: where the rows stage put it, else (a row made by
    hand) its raw form inside the evidence, else the evidence."""
    if row.raw_start >= 0:
        return row.raw_start
    inside = row.evidence.rfind(row.raw) if row.raw else -1
    return row.start + inside if inside >= 0 else row.start


class _Scopes:
    """Sentence and paragraph spans of one text, looked up by offset."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        sentence = [m.start() for m in _SENTENCE_STOP.finditer(text)]
        # Paragraph stops are sentence stops too: pick them from that one scan.
        self.stops = {"sentence": sentence, "paragraph": [i for i in sentence if text[i] in PARAGRAPH_STOPS]}

    def span(self, scope: str, at: int) -> tuple[int, int]:
        """[start, end) of the sentence or paragraph holding offset `at`."""
        stops = self.stops[scope]
        k = bisect.bisect_left(stops, at)
        start = stops[k - 1] + 1 if k > 0 else 0
        end = stops[k] if k < len(stops) else self.length
        return start, end


def unit_of_last_digit(value: Decimal, raw: str = "") -> Decimal:
    """One unit of the last stated digit: 16.2 -> 0.1, 33.34 -> 0.01, 67 -> 1 (九成 -> 10)."""
    if raw.rstrip().endswith("成"):
        return Decimal(10)
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _ratio(rule: Rule, mentions: list[_Mention], scopes: _Scopes, doc: str) -> Iterable[Finding]:
    (rate_id,) = rule.role("rate") or ("",)
    numerators = rule.role("numerator")
    (denominator_id,) = rule.role("denominator") or ("",)
    previous: dict[tuple[int, int], int] = {}  # scope -> offset after the last rate seen in it
    for rate in (m for m in mentions if m.indicator == rate_id):
        start, end = scopes.span(rule.scope, rate.at)
        since = previous.get((start, end), start)
        previous[(start, end)] = rate.at + 1
        if any(word in rate.row.evidence for word in rule.unless):
            continue
        before = [m for m in mentions if since <= m.at < rate.at]
        counts = [_nearest_before(before, ident) for ident in (*numerators, denominator_id)]
        if any(c is None for c in counts):
            continue  # a count is not stated here: nothing to compare
        parts = [c for c in counts if c is not None]
        *tops, bottom = parts
        indicators = (rate_id, *numerators, denominator_id)
        values = (rate.value, *(m.value for m in tops), bottom.value)
        first = min(m.row.start for m in (*parts, rate))
        if bottom.value == 0:
            yield Finding(
                doc, rule.id, indicators, values,
                f"denominator is 0: {denominator_id} = 0, so no {rate_id} can be computed "
                f"(stated as {_stated(rate)}%)",
                first, rate.row.end,
            )  # fmt: skip
            continue
        if rate.row.qualifier == "approx" or any(m.row.qualifier != "exact" for m in parts):
            continue  # an approximate figure: no honest comparison (see the rule's note)
        numerator = sum((m.value for m in tops), Decimal(0))
        computed = numerator * 100 / bottom.value
        tolerance = unit_of_last_digit(rate.value, rate.row.raw)
        stated = rate.value
        if rate.row.qualifier == "over":  # 96%以上: a lower bound
            consistent = computed >= stated - tolerance
        elif rate.row.qualifier == "under":  # 不到96%: an upper bound
            consistent = computed <= stated + tolerance
        else:
            consistent = abs(stated - computed) <= tolerance
        if consistent:
            continue
        shown = computed.quantize(tolerance / 100) if tolerance < 1 else computed.quantize(Decimal("0.01"))
        top = " + ".join(format_decimal(m.value) for m in tops)
        yield Finding(
            doc, rule.id, indicators, values,
            f"{rate_id} stated as {_stated(rate)}% but {top} / {format_decimal(bottom.value)} = "
            f"{format_decimal(shown)}% ({'+'.join(numerators)} / {denominator_id}); "
            f"allowed difference {format_decimal(tolerance)}",
            first, rate.row.end,
        )  # fmt: skip


def _stated(mention: _Mention) -> str:
    words = {"over": "at least ", "under": "at most "}
    return words.get(mention.row.qualifier, "") + format_decimal(mention.value)


def _nearest_before(mentions: list[_Mention], ident: str) -> _Mention | None:
    found = [m for m in mentions if m.indicator == ident]
    return found[-1] if found else None


def _parts(rule: Rule, mentions: list[_Mention], scopes: _Scopes, doc: str) -> Iterable[Finding]:
    totals_ids = rule.role("total")
    part_ids = rule.role("parts")
    totals = [m for m in mentions if m.indicator in totals_ids]
    for i, total in enumerate(totals):
        start, end = scopes.span(rule.scope, total.at)
        # Parts belong to the nearest total: the window runs between the neighbouring totals.
        low = max(start, totals[i - 1].at + 1) if i > 0 else start
        high = min(end, totals[i + 1].at) if i + 1 < len(totals) else end
        window = [m for m in mentions if low <= m.at < high and m is not total]
        chosen: list[_Mention] = []
        for ident in part_ids:
            candidates = [m for m in window if m.indicator == ident]
            if candidates:
                chosen.append(min(candidates, key=lambda m: abs(m.at - total.at)))
        if not chosen or total.row.qualifier in ("over", "approx"):
            continue  # nothing to add up, or the total is only a lower bound
        # Exact parts and lower bounds (120余) count; 约/不到 figures are left out of the sum,
        # which stays a lower bound since counts are never negative.
        counted = [m for m in chosen if m.row.qualifier in ("exact", "over")]
        if not counted:
            continue
        chosen.sort(key=lambda m: m.at)
        counted.sort(key=lambda m: m.at)
        whole = sum((m.value for m in counted), Decimal(0))
        if whole <= total.value:
            continue
        listing = " + ".join(f"{m.indicator} {format_decimal(m.value)}" for m in counted)
        yield Finding(
            doc, rule.id,
            (total.indicator, *(m.indicator for m in counted)),
            (total.value, *(m.value for m in counted)),
            f"parts add up to {format_decimal(whole)} ({listing}), more than "
            f"{total.indicator} {format_decimal(total.value)}",
            min(m.row.start for m in (total, *counted)), max(m.row.end for m in (total, *counted)),
        )  # fmt: skip


def _percent_max(rule: Rule, mentions: list[_Mention], scopes: _Scopes, doc: str) -> Iterable[Finding]:
    limit = rule.limit if rule.limit is not None else Decimal(100)
    wanted = rule.role("percent")
    for m in mentions:
        if m.row.unit != "percent" or (wanted and m.indicator not in wanted):
            continue
        if m.row.qualifier == "under" or m.value <= limit:
            continue
        yield Finding(
            doc, rule.id, (m.indicator,), (m.value,),
            f"{m.indicator} {_stated(m)}% is above {format_decimal(limit)}%",
            m.row.start, m.row.end,
        )  # fmt: skip


def _sum(rule: Rule, mentions: list[_Mention], scopes: _Scopes, doc: str) -> Iterable[Finding]:
    """Each identity left = right over one report's table (gip.md §9). A cell with no
    row is unknown: all unknown, or equal sums, give nothing; unequal sums give an
    `incomplete:` finding when the smaller side has an unknown cell (blanks read as 0
    make it fail, but it could hold), else an inconsistency."""
    from .gip import layout_of_pattern, load_template

    layout = next((lay for m in mentions if (lay := layout_of_pattern(m.row.pattern))), None)
    if layout is None:
        return
    allowed = load_template().layout_ids(layout)
    first: dict[str, _Mention] = {}
    for m in mentions:
        first.setdefault(m.indicator, m)
    for fill, name in rule.for_each or (("", ""),):
        left = [i.replace("{}", fill) for i in rule.role("left") if i.replace("{}", fill) in allowed]
        right = [i.replace("{}", fill) for i in rule.role("right") if i.replace("{}", fill) in allowed]
        if not left or not right:
            continue
        stated = [first[i] for i in (*left, *right) if i in first]
        if not stated:
            continue  # all unknown
        k_left = sum((first[i].value for i in left if i in first), Decimal(0))
        k_right = sum((first[i].value for i in right if i in first), Decimal(0))
        if k_left == k_right:
            continue
        smaller = left if k_left < k_right else right
        incomplete = any(i not in first for i in smaller)
        values = tuple(first[i].value if i in first else None for i in (*left, *right))

        def shown(ids: list[str]) -> str:
            return "+".join(i.rsplit(".", 1)[-1] if rule.for_each else i for i in ids)

        message = f"{shown(right)} = {format_decimal(k_right)}, {shown(left)} {format_decimal(k_left)}"
        if name:
            message = f"{name}: {message}"
        if incomplete:
            message = f"incomplete: {message} (blanks read as 0; a blank could make it hold)"
        yield Finding(
            doc, rule.id, (*left, *right), values, message,
            min(m.row.start for m in stated), max(m.row.end for m in stated),
        )  # fmt: skip


def _domain(rule: Rule, mentions: list[_Mention], scopes: _Scopes, doc: str) -> Iterable[Finding]:
    (family,) = rule.role("family") or ("",)
    signed = set(rule.role("signed"))
    for m in mentions:
        if m.indicator.partition(".")[0] != family:
            continue
        whole = m.value == m.value.to_integral_value()
        if m.row.unit == "count" and whole and (m.value >= 0 or m.indicator in signed):
            continue
        if m.row.unit != "count" and m.value >= 0:
            continue
        what = "a whole number" if m.indicator in signed else "a whole number >= 0"
        if m.row.unit != "count":
            what = "an amount >= 0"
        yield Finding(
            doc, rule.id, (m.indicator,), (m.value,),
            f"{m.indicator} is {format_decimal(m.value)}, not {what}",
            m.row.start, m.row.end,
        )  # fmt: skip


_CHECKS: dict[str, Callable[[Rule, list[_Mention], _Scopes, str], Iterable[Finding]]] = {
    "ratio": _ratio,
    "parts": _parts,
    "percent_max": _percent_max,
    "sum": _sum,
    "domain": _domain,
}
