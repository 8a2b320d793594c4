"""Consistency checks: stated rates against their stated counts, parts against totals,
percents above 100.

The rules are data: `patterns/_consistency.yaml` (a `_consistency.yaml` in a `--patterns`
folder replaces it). Each rule names its kind, the indicators it compares, the scope in
which mentions may be paired (one sentence or one paragraph of the report's text), a note
in plain words, examples with the findings they must give and counter-examples that must
give none. `load_rules` reads and validates the file; `findings(rows, text, rules)` is the
pure check over one document's rows; `findings_for(result, rules)` applies it to a
pipeline `Result`. All arithmetic is Decimal.

Kinds:
- `ratio`: a rate against numerator / denominator counts stated before it in scope;
  consistent when the difference is at most one unit of the rate's last stated digit.
- `parts`: parts stated with a total must not add up to more than the total.
- `percent_max`: a percent above a limit (100).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .catalogue import CATALOGUE
from .errors import PackError
from .packs import Problem, builtin_pack_dir, check_keys, load_packs, read_yaml
from .rows import Row, format_decimal

FINDING_COLUMNS: tuple[str, ...] = ("doc", "path", "rule", "indicators", "values", "message")
RULES_FILE = "_consistency.yaml"

KINDS: dict[str, tuple[str, ...]] = {
    # kind -> the roles its `indicators` mapping must name
    "ratio": ("rate", "numerator", "denominator"),
    "parts": ("parts", "total"),
    "percent_max": ("percent",),
}
SCOPES: dict[str, tuple[str, ...]] = {
    "ratio": ("sentence", "paragraph"),
    "parts": ("sentence", "paragraph"),
    "percent_max": ("mention",),
}
# Where a sentence and a paragraph end, in the original text (full- and half-width marks).
SENTENCE_STOPS = "。；;!?！？\n"
PARAGRAPH_STOPS = "\n"
_SENTENCE_STOP = re.compile(f"[{SENTENCE_STOPS}]")
ANY = "any"

_FILE_KEYS = {"title", "description", "rules"}
_RULE_KEYS = {"id", "kind", "scope", "note", "indicators", "limit", "unless", "examples", "counter_examples"}
_EXAMPLE_KEYS = {"text", "findings"}
_EXPECTED_KEYS = {"rule", "values"}
# The unit each role's indicators must have.
_ROLE_UNITS = {
    "rate": "percent",
    "numerator": "count",
    "denominator": "count",
    "parts": "count",
    "total": "count",
    "percent": "percent",
}
_SINGLE_ROLES = {"rate", "denominator"}


@dataclass(frozen=True)
class ExpectedFinding:
    """A finding an example must give: the rule and the values, in the rule's order."""

    rule: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class RuleExample:
    """Report text and the findings it must give (none for a counter-example)."""

    text: str
    findings: tuple[ExpectedFinding, ...]


@dataclass(frozen=True)
class Rule:
    """One consistency rule, as written in the rules file."""

    id: str
    kind: str  # ratio | parts | percent_max
    scope: str  # sentence | paragraph | mention
    note: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # role -> indicator ids, e.g. ("rate", (...,))
    limit: Decimal | None = None  # percent_max only
    unless: tuple[str, ...] = ()  # ratio: a rate whose evidence holds one of these is not compared
    examples: tuple[RuleExample, ...] = ()
    counter_examples: tuple[RuleExample, ...] = ()
    path: str = ""

    def role(self, name: str) -> tuple[str, ...]:
        """The indicator ids of one role (empty when the rule has no such role)."""
        return dict(self.roles).get(name, ())


@dataclass(frozen=True)
class Finding:
    """One inconsistency in one document."""

    doc: str
    rule: str
    indicators: tuple[str, ...]
    values: tuple[Decimal, ...]
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
            ";".join(format_decimal(v) for v in self.values),
            self.message,
        ]


# ---------------------------------------------------------------------------------------
# Loading and validating the rules file


def rules_path(extra_dirs: Iterable[str] = ()) -> Path:
    """The rules file in force: the built-in one, or the last `--patterns` folder's."""
    found = builtin_pack_dir() / RULES_FILE
    for folder in map(Path, extra_dirs):
        if not folder.is_dir():
            raise PackError(f"{folder}: no such pattern folder")
        if (folder / RULES_FILE).is_file():
            found = folder / RULES_FILE
    return found


def load_rules(extra_dirs: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """Read and validate the rules file in force; PackError lists every problem, each
    naming the file and the place in it."""
    path = rules_path(extra_dirs)
    rules, problems = load_rules_file(path, known_indicators(extra_dirs))
    if problems:
        raise PackError("\n".join(str(p) for p in problems))
    return rules


def known_indicators(extra_dirs: Iterable[str] = ()) -> dict[str, str]:
    """Indicator id -> unit: the catalogue, plus whatever the packs define (an invalid
    pack raises PackError, as it would when the packs are loaded to run)."""
    known = dict(CATALOGUE)
    for pack in load_packs((), tuple(extra_dirs)):
        known.update((indicator.id, indicator.unit) for indicator in pack.indicators)
    return known


def load_rules_file(
    path: Path, known: dict[str, str] | None = None
) -> tuple[tuple[Rule, ...], list[Problem]]:
    """Parse and validate one rules file; return the usable rules and the problems.
    `known` (indicator id -> unit) lets the check catch misspelt ids and wrong units."""
    data, problems = read_yaml(path)
    if problems:
        return (), problems
    return parse_rules(data, str(path), known)


def parse_rules(
    data: Any, shown: str = "<rules>", known: dict[str, str] | None = None
) -> tuple[tuple[Rule, ...], list[Problem]]:
    """Validate parsed YAML; return the rules and the problems (file name `shown`)."""
    problems: list[Problem] = []

    def problem(place: str, message: str) -> None:
        problems.append(Problem(shown, place, message))

    if not isinstance(data, dict):
        problem("", "a rules file is a mapping with the key rules (a list of rules)")
        return (), problems
    check_keys(data, _FILE_KEYS, {"rules"}, "", problem)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        problem("rules", "must be a non-empty list")
        raw_rules = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        rule = _build_rule(raw, f"rules[{i}]", shown, known, problem)
        if rule is None:
            continue
        if rule.id in seen:
            problem(f"rules[{i}].id", f"rule id {rule.id!r} used twice")
        seen.add(rule.id)
        rules.append(rule)
    for i, rule in enumerate(rules):
        for kind, items in (("examples", rule.examples), ("counter_examples", rule.counter_examples)):
            for k, example in enumerate(items):
                for expected in example.findings:
                    if expected.rule not in seen:
                        problem(f"rules[{i}].{kind}[{k}].findings", f"no rule with id {expected.rule!r}")
    return tuple(rules), problems


def _build_rule(
    raw: Any, place: str, shown: str, known: dict[str, str] | None, problem: Callable[[str, str], None]
) -> Rule | None:
    if not isinstance(raw, dict):
        problem(place, "a rule is a mapping with keys id, kind, scope, note, indicators, examples")
        return None
    required = {"id", "kind", "scope", "note", "indicators", "examples", "counter_examples"}
    check_keys(raw, _RULE_KEYS, required, place, problem)
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident.strip() or any(c in ident for c in ";, \n"):
        problem(f"{place}.id", f"must be a name without spaces, commas or ';', not {ident!r}")
        ident = str(ident)
    kind = raw.get("kind")
    if kind not in KINDS:
        problem(f"{place}.kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
        return None
    scope = raw.get("scope")
    if scope not in SCOPES[kind]:
        problem(f"{place}.scope", f"a {kind} rule's scope is one of {', '.join(SCOPES[kind])}, not {scope!r}")
    note = raw.get("note")
    if not isinstance(note, str) or not note.strip():
        problem(f"{place}.note", "must say in plain words what the rule checks")
    roles = _build_roles(raw.get("indicators"), kind, f"{place}.indicators", known, problem)
    limit = None
    if "limit" in raw:
        if kind != "percent_max":
            problem(f"{place}.limit", f"only a percent_max rule has a limit, not a {kind} rule")
        limit = _decimal(raw["limit"], f"{place}.limit", problem)
    elif kind == "percent_max":
        limit = Decimal(100)
    unless: tuple[str, ...] = ()
    if "unless" in raw:
        if kind != "ratio":
            problem(f"{place}.unless", f"only a ratio rule has unless words, not a {kind} rule")
        value = raw["unless"]
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            problem(f"{place}.unless", "must be a list of words")
        else:
            unless = tuple(value)
    examples = _build_examples(raw.get("examples"), ident, f"{place}.examples", problem)
    counters = _build_counter_examples(raw.get("counter_examples"), f"{place}.counter_examples", problem)
    return Rule(
        id=ident,
        kind=kind,
        scope=str(scope),
        note=str(note or ""),
        roles=roles,
        limit=limit,
        unless=unless,
        examples=examples,
        counter_examples=counters,
        path=shown,
    )


def _build_roles(
    raw: Any, kind: str, place: str, known: dict[str, str] | None, problem: Callable[[str, str], None]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    wanted = KINDS[kind]
    if not isinstance(raw, dict):
        problem(place, f"a {kind} rule's indicators are a mapping with keys {', '.join(wanted)}")
        return ()
    check_keys(raw, set(wanted), set(wanted), place, problem)
    roles: list[tuple[str, tuple[str, ...]]] = []
    for role in wanted:
        if role not in raw:
            continue
        value = raw[role]
        if role == "percent" and value == ANY:
            roles.append((role, ()))  # every percent row
            continue
        ids = value if isinstance(value, list) else [value]
        if not ids or not all(isinstance(v, str) and v for v in ids):
            problem(f"{place}.{role}", "must be an indicator id or a list of ids")
            continue
        if role in _SINGLE_ROLES and len(ids) != 1:
            problem(f"{place}.{role}", "must be one indicator id")
        for j, ident in enumerate(ids):
            where = f"{place}.{role}" if len(ids) == 1 else f"{place}.{role}[{j}]"
            if known is None:
                continue
            if ident not in known:
                problem(where, f"unknown indicator {ident!r} (not in the catalogue or any pack)")
            elif known[ident] != _ROLE_UNITS[role]:
                problem(
                    where, f"{ident} is a {known[ident]} indicator; a {role} must be a {_ROLE_UNITS[role]}"
                )
        roles.append((role, tuple(ids)))
    return tuple(roles)


def _build_examples(
    raw: Any, rule: str, place: str, problem: Callable[[str, str], None]
) -> tuple[RuleExample, ...]:
    if not isinstance(raw, list) or not raw:
        problem(place, "must be a non-empty list of {text, findings}")
        return ()
    examples: list[RuleExample] = []
    for k, item in enumerate(raw):
        where = f"{place}[{k}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or "findings" not in item:
            problem(where, "an example needs text and findings (the findings it must give)")
            continue
        check_keys(item, _EXAMPLE_KEYS, {"text", "findings"}, where, problem)
        found = item["findings"]
        if not isinstance(found, list) or not found:
            problem(
                f"{where}.findings",
                "must be a non-empty list of {values} (a text with none is a counter-example)",
            )
            continue
        expected: list[ExpectedFinding] = []
        for m, entry in enumerate(found):
            at = f"{where}.findings[{m}]"
            if not isinstance(entry, dict) or "values" not in entry:
                problem(at, "a finding needs values (and, for another rule's finding, rule)")
                continue
            check_keys(entry, _EXPECTED_KEYS, {"values"}, at, problem)
            values = entry["values"] if isinstance(entry["values"], list) else [entry["values"]]
            decimals = [_decimal(v, f"{at}.values", problem) for v in values]
            if any(d is None for d in decimals):
                continue
            expected.append(
                ExpectedFinding(str(entry.get("rule", rule)), tuple(d for d in decimals if d is not None))
            )
        examples.append(RuleExample(item["text"], tuple(expected)))
    return tuple(examples)


def _build_counter_examples(
    raw: Any, place: str, problem: Callable[[str, str], None]
) -> tuple[RuleExample, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(t, str) and t for t in raw):
        problem(place, "must be a non-empty list of texts that give no finding")
        return ()
    return tuple(RuleExample(text, ()) for text in raw)


def _decimal(value: Any, place: str, problem: Callable[[str, str], None]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problem(place, f"not a number: {value!r}")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problem(place, f"not a number: {value!r}")
        return None
    if not number.is_finite():
        problem(place, f"not a number: {value!r}")
        return None
    return number


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


_CHECKS: dict[str, Callable[[Rule, list[_Mention], _Scopes, str], Iterable[Finding]]] = {
    "ratio": _ratio,
    "parts": _parts,
    "percent_max": _percent_max,
}


# ---------------------------------------------------------------------------------------
# Running a rule's examples


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
    got = findings(extract_text(text, patterns=pattern_dirs), text, rules)
    have = sorted((f.rule, f.values) for f in got)
    want = sorted((e.rule, e.values) for e in case.example.findings)
    if have == want:
        return None

    def show(items: list[tuple[str, tuple[Decimal, ...]]]) -> str:
        return "; ".join(f"{r} [{', '.join(format_decimal(v) for v in vs)}]" for r, vs in items) or "nothing"

    return f"{case.rule.path}: rule {case.rule.id}: {text!r}: expected {show(want)}, got {show(have)}"
