"""The consistency rules file: its schema, and reading and validating it.

The rules are data: `patterns/_consistency.yaml` (a `_consistency.yaml` in a `--patterns`
folder replaces it). Each rule names its kind, the indicators it compares, the scope in
which mentions may be paired (one sentence or one paragraph of the report's text), a note
in plain words, examples with the findings they must give and counter-examples that must
give none. `load_rules` reads and validates the file in force, naming the file and the
place of every problem; `consistency.py` runs the rules, `rule_examples.py` their examples.

Kinds:
- `ratio`: a rate against numerator / denominator counts stated before it in scope.
- `parts`: parts stated with a total must not add up to more than the total.
- `percent_max`: a percent above a limit (100).
- `sum`: the stated cells of `left` add up to those of `right` (a table identity; a
  blank cell is unknown).
- `domain`: every cell of a pack is a whole number >= 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .catalogue import CATALOGUE
from .errors import PackError
from .packs import Problem, builtin_pack_dir, check_keys, load_packs, pack_files, read_yaml

RULES_FILE = "_consistency.yaml"

KINDS: dict[str, tuple[str, ...]] = {
    # kind -> the roles its `indicators` mapping must name
    "ratio": ("rate", "numerator", "denominator"),
    "parts": ("parts", "total"),
    "percent_max": ("percent",),
    # A table's identity: the stated cells of `left` add up to those of `right`
    # (ids may hold `{}`, filled in from `for_each`; ids the report's layout lacks are
    # left out). A blank cell is unknown: see _sum.
    "sum": ("left", "right"),
    # Every cell of a pack (`family`) is a whole number >= 0 (`signed` ids may be
    # negative); an amount (unit yuan) is >= 0.
    "domain": ("family", "signed"),
}
SCOPES: dict[str, tuple[str, ...]] = {
    "ratio": ("sentence", "paragraph"),
    "parts": ("sentence", "paragraph"),
    "percent_max": ("mention",),
    "sum": ("document",),
    "domain": ("mention",),
}
ANY = "any"

_FILE_KEYS = {"title", "description", "rules"}
_RULE_KEYS = {"id", "kind", "scope", "note", "indicators", "limit", "unless", "examples", "counter_examples"}
_RULE_KEYS |= {"for_each"}
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
    "left": "count",
    "right": "count",
    "signed": "count",
}
_SINGLE_ROLES = {"rate", "denominator"}


@dataclass(frozen=True)
class ExpectedFinding:
    """A finding an example must give: the rule and the values, in the rule's order."""

    rule: str
    values: tuple[Decimal | None, ...]


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
    for_each: tuple[tuple[str, str], ...] = ()  # sum: (what fills `{}`, its name in messages)

    def role(self, name: str) -> tuple[str, ...]:
        """The indicator ids of one role (empty when the rule has no such role)."""
        return dict(self.roles).get(name, ())


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
    """Indicator id -> unit: the catalogue, plus whatever the packs define, those that
    run only when named included (an invalid pack raises PackError, as it would when
    the packs are loaded to run)."""
    known = dict(CATALOGUE)
    for pack in load_packs(tuple(pack_files(tuple(extra_dirs))), tuple(extra_dirs)):
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
    fills = tuple(str(k) for k in raw["for_each"]) if isinstance(raw.get("for_each"), dict) else ("",)
    roles = _build_roles(raw.get("indicators"), kind, f"{place}.indicators", known, problem, fills)
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
    for_each: tuple[tuple[str, str], ...] = ()
    if "for_each" in raw:
        value = raw["for_each"]
        if kind != "sum":
            problem(f"{place}.for_each", f"only a sum rule has for_each, not a {kind} rule")
        elif not isinstance(value, dict) or not value:
            problem(f"{place}.for_each", "must map what fills {} in the ids to its name")
        else:
            for_each = tuple((str(k), str(v)) for k, v in value.items())
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
        for_each=for_each,
    )


def _build_roles(
    raw: Any,
    kind: str,
    place: str,
    known: dict[str, str] | None,
    problem: Callable[[str, str], None],
    fills: tuple[str, ...] = ("",),
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
        if role == "family":
            if not isinstance(value, str) or not value:
                problem(f"{place}.{role}", "must be a pack name")
            roles.append((role, (str(value),)))
            continue
        if role == "signed" and value == []:
            roles.append((role, ()))
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
            filled = [ident.replace("{}", fill) for fill in fills]
            if "{}" in ident and all(f in known for f in filled):
                continue
            if ident not in known:
                problem(where, f"unknown indicator {ident!r} (not in the catalogue or any pack)")
            elif ident in known and known[ident] != _ROLE_UNITS[role]:
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
            # null: a cell not stated (a sum rule's unknown)
            decimals = [None if v is None else _decimal(v, f"{at}.values", problem) for v in values]
            if any(d is None for v, d in zip(values, decimals, strict=True) if v is not None):
                continue
            expected.append(ExpectedFinding(str(entry.get("rule", rule)), tuple(decimals)))
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
