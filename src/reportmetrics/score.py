"""Score extracted rows against a gold file, by the rule in the annotation guide.

A row matches a gold line when doc, indicator and value (as exact decimals) are equal,
one to one. Ids outside the catalogue are ignored. Qualifier accuracy is over matched
rows. Region accuracy is over every document (where the gold has no region, only an
empty one is right); year accuracy over the documents whose gold states one; agency and
adcode accuracy over the documents whose gold line carries them, and period accuracy
over the matched rows whose gold line carries one.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import regex

from .catalogue import CATALOGUE, family
from .docfields import DocumentFields
from .errors import GoldError
from .rows import Row


@dataclass(frozen=True)
class GoldMention:
    doc: str
    indicator: str
    value: Decimal
    qualifier: str
    quote: str
    period: int | None = None
    has_period: bool = False  # the gold line carries `period` (null: no single year)


@dataclass(frozen=True)
class GoldDocument:
    doc: str
    region: str | None
    year: int | None
    agency: str | None = None
    adcode: str | None = None
    carries: frozenset[str] = frozenset()  # which of agency, adcode the gold line has


@dataclass(frozen=True)
class Gold:
    documents: dict[str, GoldDocument]
    mentions: tuple[GoldMention, ...]


def read_gold(path: str) -> Gold:
    documents: dict[str, GoldDocument] = {}
    mentions: list[GoldMention] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldError(f"{path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if item["kind"] == "document":
                documents[item["doc"]] = GoldDocument(
                    item["doc"],
                    item.get("region"),
                    item.get("year"),
                    item.get("agency"),
                    str(item["adcode"]) if item.get("adcode") is not None else None,
                    frozenset(k for k in ("agency", "adcode") if k in item),
                )
            elif item["kind"] == "indicator":
                mentions.append(
                    GoldMention(
                        item["doc"],
                        item["indicator"],
                        Decimal(str(item["value"])),
                        item.get("qualifier", "exact"),
                        item.get("quote", ""),
                        int(item["period"]) if item.get("period") is not None else None,
                        "period" in item,
                    )
                )
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise GoldError(f"{path}: line {number}: not a gold line ({exc})") from None
    return Gold(documents, tuple(mentions))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    overall: Tally = field(default_factory=Tally)
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_indicator: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    qualifiers_right: int = 0
    region: Counter = field(default_factory=Counter)
    year: Counter = field(default_factory=Counter)
    agency: Counter = field(default_factory=Counter)
    adcode: Counter = field(default_factory=Counter)
    period: Counter = field(default_factory=Counter)
    misses: list[GoldMention] = field(default_factory=list)
    false_positives: list[Row] = field(default_factory=list)
    wrong_fields: list[str] = field(default_factory=list)


def score(
    gold: Gold,
    rows: Iterable[Row],
    fields_by_doc: dict[str, DocumentFields],
    families: Iterable[str] = (),
) -> Score:
    """Compare rows (and each document's region, year, agency, adcode) with the gold."""
    wanted = set(families)

    def counted(indicator: str) -> bool:
        return indicator in CATALOGUE and (not wanted or family(indicator) in wanted)

    docs = set(fields_by_doc)
    open_gold: dict[tuple[str, str, Decimal], list[GoldMention]] = defaultdict(list)
    for mention in gold.mentions:
        if mention.doc in docs and counted(mention.indicator):
            open_gold[(mention.doc, mention.indicator, mention.value.normalize())].append(mention)
    result = Score()
    for row in rows:
        if not counted(row.indicator):
            continue
        key = (row.doc, row.indicator, row.value.normalize())
        tallies = (
            result.overall,
            result.by_family[family(row.indicator)],
            result.by_indicator[row.indicator],
        )
        if open_gold.get(key):
            mention = open_gold[key].pop(0)
            for tally in tallies:
                tally.tp += 1
            result.qualifiers_right += mention.qualifier == row.qualifier
            if mention.has_period:
                result.period[mention.period == row.period] += 1
        else:
            for tally in tallies:
                tally.fp += 1
            result.false_positives.append(row)
    for remaining in open_gold.values():
        for mention in remaining:
            for tally in (
                result.overall,
                result.by_family[family(mention.indicator)],
                result.by_indicator[mention.indicator],
            ):
                tally.fn += 1
            result.misses.append(mention)
    for doc, found in sorted(fields_by_doc.items()):
        expected = gold.documents.get(doc)
        if expected is None:
            continue
        right = region_matches(expected.region, found.region) if expected.region else not found.region
        result.region[right] += 1
        if not right:
            result.wrong_fields.append(f"{doc}: region {found.region!r}, gold {expected.region!r}")
        if expected.year:
            right = found.year == expected.year
            result.year[right] += 1
            if not right:
                result.wrong_fields.append(f"{doc}: year {found.year!r}, gold {expected.year!r}")
        for name in sorted(expected.carries):
            want, got = getattr(expected, name), getattr(found, name)
            right = (want or None) == (got or None)
            getattr(result, name)[right] += 1
            if not right:
                result.wrong_fields.append(f"{doc}: {name} {got!r}, gold {want!r}")
    return result


_REGION_TAIL = regex.compile(r"(?:人民政府|政府|司法局|高院)$")
_REGION_HEAD = regex.compile(r"^\p{Han}{1,6}?(?:省|自治区)")


def region_matches(gold: str, found: str | None) -> bool:
    """The annotation guide's rule: drop a trailing 人民政府/政府/司法局/高院 and a
    leading province, then one name must end with the other."""
    if not found:
        return False

    def bare(name: str) -> str:
        name = _REGION_TAIL.sub("", name.strip())
        return _REGION_HEAD.sub("", name) or name

    a, b = bare(gold), bare(found)
    return a.endswith(b) or b.endswith(a)


def report(result: Score, misses: bool = False) -> str:
    """The score as text: per indicator, per family, then the overall lines last."""
    lines = [f"{'indicator':48} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]

    def line(name: str, t: Tally) -> str:
        return f"{name:48} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}"

    for name in sorted(result.by_indicator, key=lambda n: list(CATALOGUE).index(n)):
        lines.append(line(name, result.by_indicator[name]))
    lines.append("")
    for name in sorted(result.by_family):
        lines.append(line(f"family {name}", result.by_family[name]))
    if misses:
        lines.append("")
        for mention in result.misses:
            lines.append(f"miss  {mention.doc}  {mention.indicator} = {mention.value}  «{mention.quote}»")
        for row in result.false_positives:
            lines.append(f"extra {row.doc}  {row.indicator} = {row.value}  «{row.evidence}»  ({row.pattern})")
        for wrong in result.wrong_fields:
            lines.append(f"field {wrong}")
    t = result.overall
    qualifier = f"{result.qualifiers_right}/{t.tp}" if t.tp else "n/a"
    lines.append("")
    accuracy = f"qualifier accuracy {qualifier}"
    for name in ("region", "year", "agency", "adcode", "period"):
        counts = getattr(result, name)
        if counts or name in ("region", "year"):
            accuracy += f"; {name} {counts[True]}/{sum(counts.values())}"
    lines.append(accuracy)
    lines.append(
        f"overall: precision {t.precision:.3f} recall {t.recall:.3f} F1 {t.f1:.3f} "
        f"(tp {t.tp}, fp {t.fp}, fn {t.fn})"
    )
    return "\n".join(lines)
