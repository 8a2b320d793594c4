"""Pattern packs: YAML files of indicators, their patterns and their examples.

A pack is data a domain expert can read: each pattern names its keywords, a regular
expression built from shared placeholders (`{num}` for the number, `{gap}` for a few
words inside one clause, …), a note in plain words, examples that must match and
counter-examples that must not. This module loads packs, checks them against the
schema and compiles them; `examples.py` runs their examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .errors import PackError
from .numbers import MEASURE_WORDS, NUMERAL_CHARS, TRAILING_QUALIFIER_WORDS

UNITS = ("count", "percent")
DEFAULT_PRIORITY = 50
QUALIFIERS = ("exact", "approx", "over", "under")

# Measure words that close a count: 件 宗 起 … (人次, 件次, 宗次 before 人, 件, 宗), the
# one list numbers.py reads figures with.
# Longer words first, then the one-character words as one class (a class is much
# cheaper to match than an alternative per word, and every pattern embeds it).
_LONGER_MEASURES = sorted((w for w in MEASURE_WORDS if len(w) > 1), key=len, reverse=True)
MEASURE = (
    "(?:"
    + "|".join(regex.escape(w) for w in _LONGER_MEASURES)
    + "|["
    + "".join(w for w in MEASURE_WORDS if len(w) == 1)
    + "])"
)
# A count that already ends in its qualifier (300人以上, 15件以内) needs no measure word.
ENDS_QUALIFIED = "(?<=" + "|".join(w for w, _ in TRAILING_QUALIFIER_WORDS) + ")"
_REACHES = (
    r"(?:(?:同比|较上年|比上年|较去年|比去年|与上年相比)?"
    r"(?:下降|降低|降|上升|提高|提升|升|增长|回升|回落)(?:至|到)"
    r"|为|是|仅为|达|达到|保持在|保持|控制在|稳定在|实现)?"
)
# What ends a clause and a sentence after normalisation (full-width punctuation is
# half-width), commonest first (match.py looks for them one by one).
CLAUSE_STOPS = ",。\n;:!?"
SENTENCE_STOPS = "。\n;!?"


def placeholders(number: str | None = None, unit: str | None = None) -> dict[str, str]:
    """The shared sub-patterns every pack uses, by placeholder name, for a pattern of
    `unit`. `number` replaces the number's regex (error messages use a trivial one, so
    that positions point into the pattern as written, not into the number's regex)."""
    from .numbers import NORMALISED_NUMBER_REGEX, NORMALISED_NUMBER_REGEX_BY_UNIT

    if number is None:
        number = NORMALISED_NUMBER_REGEX_BY_UNIT.get(unit or "", NORMALISED_NUMBER_REGEX)
    num = f"(?P<value>{number})"
    return {
        "num": num,
        # A count: the number and its measure word (unless the number already ends in
        # one with its qualifier, as in 300人以上).
        "count": f"{num}(?:{ENDS_QUALIFIED}|{MEASURE}(?![多余]?百分点))",
        "measure": MEASURE,
        # The words between a rate and its level: 为, 达到, 保持在, and a level reached
        # through a change (下降至16.4%: the level, not the change).
        "reaches": _REACHES,
        "gap": f"[^{CLAUSE_STOPS}]{{0,12}}?",
        "long": f"[^{CLAUSE_STOPS}]{{0,36}}?",
        "wide": f"[^{SENTENCE_STOPS}]{{0,48}}?",
    }


_PLACEHOLDER = regex.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True)
class Example:
    text: str
    values: tuple[Decimal, ...]
    qualifier: str  # of every value (the first's, when `qualifiers` differ)
    unit: str
    qualifiers: tuple[str, ...] = ()  # one per value, when the example lists them

    @property
    def expected(self) -> tuple[tuple[Decimal, str], ...]:
        """(value, qualifier) of every row the example lists."""
        qualifiers = self.qualifiers or (self.qualifier,) * len(self.values)
        return tuple(zip(self.values, qualifiers, strict=False))  # a length mismatch is a Problem


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern of one indicator."""

    id: str  # pack/indicator-name/n, e.g. reconsideration/correction_rate/2
    indicator: str
    unit: str
    priority: int
    keywords: tuple[str, ...]
    context: tuple[str, ...]  # one of these must stand shortly before the number
    not_context: tuple[str, ...]  # none of these may
    source: str  # the regex as written in the pack
    note: str
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]
    # The regex with its placeholders filled, compiled when the pack loads (a corpus
    # run uses nearly every pattern, and worker processes inherit them compiled).
    compiled: Any = field(compare=False, repr=False)
    # For a pattern the engine composed from an indicator's words (see Words):
    topic: tuple[str, ...] = ()  # the nearest object word before the number must be one of these
    exclude: tuple[str, ...] = ()  # none of these in the clause before the number
    scope: str = ""  # "years": a list gives rows only after a span of years
    shape: str = ""  # the lexicon shape it was composed from
    # Word groups a stretch of text must hold (one word of each) for the pattern to match
    # there: a cheap test before a search.
    requires: tuple[tuple[str, ...], ...] = ()
    table: bool = False  # a table cell: the label and the number on different lines


@dataclass(frozen=True)
class Words:
    """An indicator's own words, from which the engine composes its patterns in every
    shape of the lexicon: what is counted (objects), what was done to it (actions),
    words that make a clause about something else (exclude), and examples for them."""

    objects: tuple[str, ...]
    actions: tuple[str, ...]
    exclude: tuple[str, ...]
    alone: bool  # the object alone names the indicator (法律顾问120名)
    measures: tuple[str, ...]  # the measure words its counts take (empty: any)
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class Shape:
    """One phrase order of the lexicon, as a regex template over an indicator's words."""

    id: str
    note: str
    regex: str
    topic: bool = False
    alone: bool = False
    scope: str = ""
    table: bool = False
    priority: int = 0  # added to the indicator's priority
    requires: tuple[str, ...] = ()  # literal words every match holds (分别, 年的)
    reverse: bool = False  # search right to left (a shape that starts with its number)


@dataclass(frozen=True)
class Lexicon:
    fillers: tuple[str, ...]
    negations: tuple[str, ...]
    elsewhere: tuple[str, ...]  # topics of no indicator: after them a bare action is not ours
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class Indicator:
    id: str
    unit: str
    name: str
    patterns: tuple[Pattern, ...]
    words: Words | None = None


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    path: str
    indicators: tuple[Indicator, ...]
    # `kind: table`: the pack's rows come from a table reader (`reader`), not from
    # patterns; `default: false`: the pack runs only when named (-p).
    kind: str = "patterns"
    reader: str = ""
    default: bool = True

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return tuple(p for ind in self.indicators for p in ind.patterns)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a pack, with the file and the place inside it."""

    path: str
    place: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.place}: {self.message}" if self.place else (f"{self.path}: {self.message}")
        )


_PACK_KEYS = {"pack", "title", "priority", "description", "indicators"}
_INDICATOR_KEYS = {"id", "unit", "name", "note", "priority", "patterns", "words"}
_WORDS_KEYS = {"objects", "actions", "exclude", "alone", "measures", "examples", "counter_examples"}
# A table pack: `kind: table`, the `reader` that gives its rows, the `cells` file that
# lists its indicators, and whether it runs by `default`.
_TABLE_PACK_KEYS = {"pack", "title", "description", "kind", "reader", "cells", "default"}
TABLE_READERS = ("gip",)
_PATTERN_KEYS = {
    "id",
    "note",
    "keywords",
    "context",
    "not_context",
    "regex",
    "priority",
    "examples",
    "counter_examples",
}
_EXAMPLE_KEYS = {"text", "value", "qualifier", "unit"}


def builtin_pack_dir() -> Path:
    """Packs shipped in the wheel (reportmetrics/patterns), or the repository's
    top-level patterns/ when running from a source checkout."""
    here = Path(__file__).resolve().parent
    shipped = here / "patterns"
    if shipped.is_dir():
        return shipped
    return here.parent.parent / "patterns"


def pack_files(extra_dirs: Iterable[str] = ()) -> dict[str, Path]:
    """Pack name -> file. A pack in an extra folder replaces a built-in of that name."""
    files: dict[str, Path] = {}
    for folder in (builtin_pack_dir(), *map(Path, extra_dirs)):
        if not folder.is_dir():
            raise PackError(f"{folder}: no such pattern folder")
        for path in sorted(folder.glob("*.yaml")):
            if not path.name.startswith("_"):
                files[path.stem] = path
    return files


def load_packs(names: Iterable[str] = (), extra_dirs: Iterable[str] = ()) -> tuple[Pack, ...]:
    """Load and compile packs (all, or those named); raise PackError listing every
    problem found, so an invalid pack stops a run before any extraction."""
    files = pack_files(extra_dirs)
    wanted = list(dict.fromkeys(names)) or list(files)
    unknown = [n for n in wanted if n not in files]
    if unknown:
        known = ", ".join(files)
        raise PackError(f"unknown pack {', '.join(unknown)} (packs: {known})")
    packs: list[Pack] = []
    problems: list[Problem] = []
    for name in wanted:
        pack, found = load_pack_file(files[name])
        problems.extend(found)
        if pack is not None and (pack.default or names):
            packs.append(pack)
    save_compiled()
    if problems:
        raise PackError("\n".join(str(p) for p in problems))
    return tuple(packs)


def save_compiled() -> None:
    """Keep what this process compiled for the next run (see regexcache)."""
    from .regexcache import shared_cache

    shared_cache().save()


def load_pack_file(path: Path) -> tuple[Pack | None, list[Problem]]:
    """Parse and validate one pack file; return it (if usable) and its problems."""
    data, problems = read_yaml(path)
    if problems:
        return None, problems
    return _build_pack(str(path), path.stem, data)


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """A YAML file's data, or the problem that it cannot be read or parsed (with the
    line, where YAML says it)."""
    import yaml

    try:
        # The C loader when PyYAML has it: ten times faster, and packs load at every run.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "", f"cannot be read ({exc})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else ""
        return None, [Problem(str(path), place, f"not valid YAML: {getattr(exc, 'problem', exc)}")]


def _build_pack(shown: str, stem: str, data: Any) -> tuple[Pack | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(place: str, message: str) -> None:
        problems.append(Problem(shown, place, message))

    if not isinstance(data, dict):
        problem("", "a pack is a mapping with keys pack, title, indicators")
        return None, problems
    if data.get("kind") == "table":
        return _build_table_pack(shown, stem, data, problem), problems
    check_keys(data, _PACK_KEYS, {"pack", "indicators"}, "", problem)
    name = data.get("pack")
    if name != stem:
        problem("pack", f"pack name {name!r} must equal the file name {stem!r}")
    pack_priority = _int(data.get("priority", DEFAULT_PRIORITY), "priority", problem)
    indicators: list[Indicator] = []
    raw_indicators = data.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problem("indicators", "must be a non-empty list")
        raw_indicators = []
    seen: set[str] = set()
    # Every object word of the pack: a word inside a longer one of another indicator
    # (纠错率 in 直接纠错率) must not be read where the longer one stands.
    pack_objects = {
        str(w)
        for raw in raw_indicators
        if isinstance(raw, dict) and isinstance(raw.get("words"), dict)
        for w in raw["words"].get("objects") or []
    }
    for i, raw in enumerate(raw_indicators):
        place = f"indicators[{i}]"
        indicator = _build_indicator(raw, stem, place, pack_priority, problem, pack_objects)
        if indicator is None:
            continue
        if indicator.id in seen:
            problem(place, f"indicator {indicator.id} defined twice")
        seen.add(indicator.id)
        indicators.append(indicator)
    pack = Pack(stem, str(data.get("title", "")), shown, tuple(indicators))
    return pack, problems


def _build_table_pack(shown: str, stem: str, data: dict, problem) -> Pack | None:
    """A pack whose rows a table reader gives; its indicators are its cells file's ids."""
    check_keys(data, _TABLE_PACK_KEYS, {"pack", "kind", "reader", "cells"}, "", problem)
    if data.get("pack") != stem:
        problem("pack", f"pack name {data.get('pack')!r} must equal the file name {stem!r}")
    if data.get("reader") not in TABLE_READERS:
        problem("reader", f"must be one of {', '.join(TABLE_READERS)}, not {data.get('reader')!r}")
        return None
    default = data.get("default", True)
    if not isinstance(default, bool):
        problem("default", "must be true or false")
    from .gip import read_template

    cells = Path(shown).parent / str(data.get("cells", ""))
    template, found = read_template(cells)
    for message in found:
        problem("cells", f"{cells.name}: {message}")
    if template is None:
        return None
    units = template.units()
    names = {c.id: c.row_label_path.rsplit("/", 1)[-1] + " / " + c.column for c in template.cells}
    indicators = tuple(Indicator(i, units[i], names[i], ()) for i in template.ids())
    title = str(data.get("title", ""))
    return Pack(stem, title, shown, indicators, "table", str(data["reader"]), default is not False)


def _build_indicator(
    raw: Any, pack: str, place: str, priority: int, problem, pack_objects: Iterable[str] = ()
) -> Indicator | None:
    if not isinstance(raw, dict):
        problem(place, "an indicator is a mapping with keys id, unit, name, patterns")
        return None
    required = {"id", "unit", "name"} | (set() if "words" in raw else {"patterns"})
    check_keys(raw, _INDICATOR_KEYS, required, place, problem)
    ident = str(raw.get("id", ""))
    if not regex.fullmatch(rf"{regex.escape(pack)}\.[a-z][a-z0-9_]*", ident):
        problem(f"{place}.id", f"id {ident!r} must be '{pack}.<name>' in lower case")
    unit = raw.get("unit")
    if unit not in UNITS:
        problem(f"{place}.unit", f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
        unit = "count"
    priority = _int(raw.get("priority", priority), f"{place}.priority", problem)
    patterns: list[Pattern] = []
    words = _build_words(raw["words"], unit, f"{place}.words", problem) if "words" in raw else None
    raw_patterns = raw.get("patterns", [] if words else None)
    if not isinstance(raw_patterns, list) or (not raw_patterns and words is None):
        problem(f"{place}.patterns", "must be a non-empty list (or give the indicator its words)")
        raw_patterns = []
    short = ident.partition(".")[2]
    if words is not None:
        patterns.extend(
            _shape_patterns(words, f"{pack}/{short}", ident, unit, priority, place, problem, pack_objects)
        )
    ids: set[str] = set()
    for j, raw_pattern in enumerate(raw_patterns):
        pattern = _build_pattern(
            raw_pattern, f"{pack}/{short}", ident, unit, priority, f"{place}.patterns[{j}]", problem
        )
        if pattern is not None:
            if pattern.id in ids:
                problem(f"{place}.patterns[{j}].id", f"pattern id {pattern.id} used twice")
            ids.add(pattern.id)
            patterns.append(pattern)
    return Indicator(ident, unit, str(raw.get("name", "")), tuple(patterns), words)


def _build_words(raw: Any, unit: str, place: str, problem) -> Words | None:
    if not isinstance(raw, dict):
        problem(place, "words is a mapping with keys objects, actions, examples")
        return None
    check_keys(raw, _WORDS_KEYS, {"objects", "examples"}, place, problem)
    objects = _words(raw.get("objects", []), f"{place}.objects", problem)
    actions = _words(raw.get("actions", []), f"{place}.actions", problem)
    for word in (*objects, *actions):
        if regex.search(r"[\\()\[\]{}|?*+.^$]", word):
            problem(place, f"{word!r}: a word is plain text, not a regular expression")
    alone = raw.get("alone", False)
    if not isinstance(alone, bool):
        problem(f"{place}.alone", "must be true or false")
        alone = False
    if not actions and not alone:
        problem(place, "give actions, or say `alone: true` when the object alone names the indicator")
    examples = _build_examples(raw.get("examples"), unit, f"{place}.examples", problem)
    counters = raw.get("counter_examples", [])
    if not isinstance(counters, list) or not all(isinstance(c, str) for c in counters):
        problem(f"{place}.counter_examples", "must be a list of texts")
        counters = []
    return Words(
        objects=objects,
        actions=actions,
        exclude=_words(raw.get("exclude", []), f"{place}.exclude", problem),
        alone=alone,
        measures=_words(raw.get("measures", []), f"{place}.measures", problem),
        examples=tuple(examples),
        counter_examples=tuple(counters),
    )


def _shape_patterns(
    words: Words,
    prefix: str,
    indicator: str,
    unit: str,
    priority: int,
    place: str,
    problem,
    pack_objects: Iterable[str] = (),
) -> list[Pattern]:
    """The indicator's patterns in every lexicon shape its words can fill."""
    lexicon = load_lexicon()
    patterns: list[Pattern] = []
    for shape in lexicon.shapes:
        if shape.alone and not words.alone:
            continue
        if "{action}" in shape.regex and not words.actions:
            continue
        source = _fill_words(shape.regex, words, unit, lexicon, pack_objects)
        if shape.reverse:
            # Searched from the right: the match is anchored on its last words (the
            # action), not tried as a number at every position.
            source = "(?r)" + source
        try:
            compiled = compile_pattern(source, unit)
        except PackError as exc:
            problem(place, f"shape {shape.id}: {exc}")
            continue
        keywords = words.actions if shape.topic and words.actions else words.objects
        requires = tuple(
            group
            for placeholder, group in (("{action}", words.actions), ("{object}", words.objects))
            if placeholder in shape.regex
        ) + tuple((word,) for word in shape.requires)
        if "{label}" in shape.regex:
            requires += (words.actions, words.objects)
        patterns.append(
            Pattern(
                id=f"{prefix}/{shape.id}",
                indicator=indicator,
                unit=unit,
                priority=priority + shape.priority,
                keywords=keywords,
                context=(),
                not_context=(),
                source=source,
                note=shape.note,
                examples=(),
                counter_examples=(),
                compiled=compiled,
                topic=words.objects if shape.topic else (),
                exclude=words.exclude,
                scope=shape.scope,
                shape=shape.id,
                table=shape.table,
                requires=requires,
            )
        )
    return patterns


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


# A table cell's separation from its label: blanks, `|` and line breaks, at least one
# of the last two (a label and a number on one line are prose).
_CELL = r"(?:件数|数量|总数|数)?[ ]*(?:\([^()\n]{1,4}\))?[ ]*(?:[|\n][ ]*)+"
_FILL = f"[^{CLAUSE_STOPS}\\d]{{0,24}}?"


def _guarded(word: str, longer: Iterable[str]) -> str:
    """`word`, but not where it is part of one of the `longer` words."""
    before = {w[: w.index(word)] for w in longer if word in w and not w.startswith(word)}
    after = {w[len(word) :] for w in longer if w.startswith(word) and w != word}
    # The look-behind stands after the word (not before it): a search tries the literal
    # at each position first and fails fast, instead of a look-behind everywhere.
    guard = "".join(f"(?<!{regex.escape(b + word)})" for b in sorted(before))
    tail = "".join(f"(?!{regex.escape(a)})" for a in sorted(after))
    return regex.escape(word) + guard + tail


def _object_choice(words: Words, pack_objects: Iterable[str]) -> str:
    others = [w for w in pack_objects if w not in words.objects]
    ordered = sorted(set(words.objects), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_guarded(w, [o for o in others if w in o and o != w]) for w in ordered) + ")"


def _action_choice(words: Words, lexicon: Lexicon) -> str:
    """The actions, not where a negation stands before them (不予受理 is not 受理)."""
    if not lexicon.negations:
        return _alternatives(words.actions)
    # After the word, for speed (see _guarded): the action, not preceded by a negation.
    actions = _alternatives(words.actions)
    return f"{actions}(?<!{_alternatives(lexicon.negations)}{actions})"


def _fill_words(
    template: str, words: Words, unit: str, lexicon: Lexicon, pack_objects: Iterable[str] = ()
) -> str:
    """A shape's template with the indicator's words put in; the number placeholders
    stay for compile_pattern."""
    action = _action_choice(words, lexicon) if words.actions else "(?!)"
    obj = _object_choice(words, pack_objects)
    lead = f"(?:{_alternatives(lexicon.fillers)}){{0,3}}"
    measure = _alternatives(words.measures) if words.measures else "{measure}"
    count = "{num}(?:" + ENDS_QUALIFIED + "|" + measure + "(?![多余]?百分点))"
    # A bare number closes its clause only when it ends in a digit or numeral (not in a
    # measure word that the indicator does not take: 3万多家).
    close = f"(?<=[0-9{NUMERAL_CHARS}余多])(?=[,。;\\n]|$)"
    figure = "{num}" if unit != "count" else "{num}(?:" + ENDS_QUALIFIED + "|" + measure + "|" + close + ")"
    label = f"(?:{action}{_FILL}(?P<object>{obj})|(?P<object>{obj}){_FILL}{action})"
    subs = {
        "action": action,
        "object": f"(?P<object>{obj})",
        "count": count,
        "fill": _FILL,
        "lead": lead,
        "figure": figure,
        "label": label,
        "cell": _CELL,
        "item": f"[^{CLAUSE_STOPS}\\d、和及与]{{1,12}}?",
    }
    return _PLACEHOLDER.sub(lambda m: subs.get(m.group(1), m.group(0)), template)


_SHAPE_KEYS = {"id", "note", "regex", "topic", "alone", "scope", "table", "priority", "requires", "reverse"}


@lru_cache(maxsize=4)
def lexicon_file(folder: str | None = None) -> tuple[Path, dict[str, Any]]:
    """patterns/_lexicon.yaml (in `folder`, default the built-in packs'): its path and its
    mapping, read once for the engine's words and shapes and the plan-section words."""
    path = Path(folder or builtin_pack_dir()) / "_lexicon.yaml"
    data, problems = read_yaml(path)
    if problems:
        raise PackError("\n".join(str(p) for p in problems))
    if not isinstance(data, dict):
        raise PackError(f"{path}: the lexicon is a mapping with keys fillers and shapes")
    return path, data


@lru_cache(maxsize=4)
def load_lexicon(folder: str | None = None) -> Lexicon:
    """The shared lexicon (patterns/_lexicon.yaml): fillers and shapes."""
    path, data = lexicon_file(folder)
    shapes = []
    for i, raw in enumerate(data.get("shapes") or []):
        if not isinstance(raw, dict) or not {"id", "regex"} <= set(raw) or set(raw) - _SHAPE_KEYS:
            keys = ", ".join(sorted(_SHAPE_KEYS))
            raise PackError(f"{path}: shapes[{i}]: a shape is a mapping with id and regex (keys: {keys})")
        shapes.append(
            Shape(
                id=str(raw["id"]),
                note=str(raw.get("note", "")),
                regex=str(raw["regex"]),
                topic=bool(raw.get("topic", False)),
                alone=bool(raw.get("alone", False)),
                scope=str(raw.get("scope", "")),
                table=bool(raw.get("table", False)),
                requires=tuple(str(w) for w in raw.get("requires") or ()),
                reverse=bool(raw.get("reverse", False)),
                priority=int(raw.get("priority", 0)),
            )
        )
    fillers = tuple(str(w) for w in data.get("fillers") or [])
    negations = tuple(str(w) for w in data.get("negations") or [])
    elsewhere = tuple(str(w) for w in data.get("elsewhere") or [])
    return Lexicon(fillers, negations, elsewhere, tuple(shapes))


def _build_pattern(
    raw: Any, prefix: str, indicator: str, unit: str, priority: int, place: str, problem
) -> Pattern | None:
    if not isinstance(raw, dict):
        problem(place, "a pattern is a mapping with keys id, note, keywords, regex, examples")
        return None
    check_keys(raw, _PATTERN_KEYS, {"id", "note", "keywords", "regex", "examples"}, place, problem)
    keywords = raw.get("keywords")
    if isinstance(keywords, list) and _numbers_read(keywords, f"{place}.keywords", problem):
        keywords = []
    elif (
        not isinstance(keywords, list)
        or not keywords
        or not all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        problem(f"{place}.keywords", "must be a non-empty list of words")
        keywords = []
    context = _words(raw.get("context", []), f"{place}.context", problem)
    not_context = _words(raw.get("not_context", []), f"{place}.not_context", problem)
    source = raw.get("regex")
    compiled = None
    if not isinstance(source, str) or not source.strip():
        problem(f"{place}.regex", "must be a regular expression")
        source = ""
    else:
        try:
            compiled = compile_pattern(source, unit)
        except PackError as exc:
            problem(f"{place}.regex", str(exc))
    examples = _build_examples(raw.get("examples"), unit, f"{place}.examples", problem)
    counters = raw.get("counter_examples", [])
    if not isinstance(counters, list) or not all(isinstance(c, str) for c in counters):
        problem(f"{place}.counter_examples", "must be a list of texts")
        counters = []
    return Pattern(
        id=f"{prefix}/{raw.get('id')}",
        indicator=indicator,
        unit=unit,
        priority=_int(raw.get("priority", priority), f"{place}.priority", problem),
        keywords=tuple(str(k) for k in keywords),
        context=context,
        not_context=not_context,
        source=source,
        note=str(raw.get("note", "")),
        examples=tuple(examples),
        counter_examples=tuple(counters),
        compiled=compiled,
    )


def _build_examples(raw: Any, unit: str, place: str, problem) -> list[Example]:
    if not isinstance(raw, list) or not raw:
        problem(place, "must be a non-empty list of {text, value}")
        return []
    examples = []
    for k, item in enumerate(raw):
        where = f"{place}[{k}]"
        if not isinstance(item, dict) or "text" not in item or "value" not in item:
            problem(where, "an example needs text and value")
            continue
        check_keys(item, _EXAMPLE_KEYS, {"text", "value"}, where, problem)
        values = item["value"] if isinstance(item["value"], list) else [item["value"]]
        try:
            decimals = tuple(Decimal(str(v)) for v in values)
        except InvalidOperation:
            problem(f"{where}.value", f"not a number: {item['value']!r}")
            continue
        qualifier = item.get("qualifier", "exact")
        # A list gives each value its own qualifier (9 000余件 … 2 100件: [over, exact]).
        qualifiers = tuple(qualifier) if isinstance(qualifier, list) else ()
        if qualifiers and len(qualifiers) != len(decimals):
            problem(f"{where}.qualifier", "a list of qualifiers needs one per value")
        if not all(q in QUALIFIERS for q in qualifiers or (qualifier,)):
            problem(f"{where}.qualifier", f"must be one of {', '.join(QUALIFIERS)}")
        first = qualifiers[0] if qualifiers else str(qualifier)
        example_unit = item.get("unit", unit)
        examples.append(Example(str(item["text"]), decimals, first, example_unit, qualifiers))
    return examples


def _numbers_read(words: list, place: str, problem) -> bool:
    """Report each word YAML read as a number (`12345`, `1.5`); True if there was one."""
    found = False
    for k, word in enumerate(words):
        if isinstance(word, (int, float)) and not isinstance(word, bool):
            problem(
                f"{place}[{k}]",
                f"{word!r} was read as a number, not a word: put it in quotes ('{word}')",
            )
            found = True
    return found


def _words(raw: Any, place: str, problem) -> tuple[str, ...]:
    if isinstance(raw, list) and _numbers_read(raw, place, problem):
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
        problem(place, "must be a list of words")
        return ()
    return tuple(raw)


def check_keys(data: dict, allowed: set[str], required: set[str], place: str, problem) -> None:
    for key in data:
        if key not in allowed:
            problem(place or "top level", f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
    for key in sorted(required - set(data)):
        problem(place or "top level", f"missing {key!r}")


def _int(value: Any, place: str, problem) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    problem(place, f"must be a whole number, not {value!r}")
    return 0


def compile_pattern(source: str, unit: str | None = None) -> Any:
    """Fill in the placeholders and compile; the result must have a named group
    `value`. A regex that does not compile is reported as written in the pack."""
    from .regexcache import shared_cache

    try:
        compiled = shared_cache().compile(_fill(source, placeholders(unit=unit)))
    except regex.error as error:
        problem = error
        try:
            regex.compile(_fill(source, placeholders("0")))
        except regex.error as as_written:
            problem = as_written
        raise PackError(f"does not compile: {problem}") from None
    if "value" not in compiled.groupindex:
        raise PackError("has no {num} (no named group 'value' for the number)")
    return compiled


def _fill(source: str, subs: dict[str, str]) -> str:
    def expand(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in subs:
            raise PackError(f"unknown placeholder {{{name}}} (known: {', '.join(sorted(subs))})")
        return subs[name]

    return _PLACEHOLDER.sub(expand, source)
