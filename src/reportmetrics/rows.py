"""Rows: mentions in normalised text become rows that point into the original text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from .docfields import DocumentFields
from .errors import NumberError
from .match import Mention
from .normalise import Normalised
from .numbers import parse_number
from .period import period_of


@dataclass(frozen=True)
class Row:
    """One indicator mention: the long table's columns, in the contract's order, and
    where `raw` itself sits in the text (not a column: `raw` and `evidence` are)."""

    doc: str
    path: str
    region: str | None
    adcode: str | None
    agency: str | None
    year: int | None
    period: int | None
    indicator: str
    value: Decimal
    unit: str
    qualifier: str
    raw: str
    evidence: str
    start: int
    end: int
    pattern: str
    raw_start: int = field(default=-1, compare=False, metadata={"column": False})
    raw_end: int = field(default=-1, compare=False, metadata={"column": False})


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Row) if f.metadata.get("column", True))


def format_decimal(value: Decimal) -> str:
    """A plain decimal as written: never exponent form (30000, 16.2, 33.34)."""
    return format(value, "f")


@dataclass(frozen=True)
class Unreadable:
    """A number a pattern found but that does not read back exactly from the original."""

    raw: str
    start: int
    pattern: str
    message: str = ""  # set: a warning of its own (a table cell that could not be placed)


def document_row(
    doc: str,
    path: str,
    info: DocumentFields,
    text: str,
    period: int | None,
    indicator: str,
    value: Decimal,
    unit: str,
    qualifier: str,
    raw: tuple[int, int],
    evidence: tuple[int, int],
    pattern: str,
) -> Row:
    """A row of one document: its identity columns from `info`, its `raw` and `evidence`
    cut from `text` (the original) at the given spans."""
    return Row(
        doc=doc,
        path=path,
        region=info.region,
        adcode=info.adcode,
        agency=info.agency,
        year=info.year,
        period=period,
        indicator=indicator,
        value=value,
        unit=unit,
        qualifier=qualifier,
        raw=text[raw[0] : raw[1]],
        evidence=text[evidence[0] : evidence[1]],
        start=evidence[0],
        end=evidence[1],
        pattern=pattern,
        raw_start=raw[0],
        raw_end=raw[1],
    )


def build_rows(
    doc: str, path: str, info: DocumentFields, normalised: Normalised, mentions: list[Mention]
) -> tuple[list[Row], list[Unreadable]]:
    """Map each mention back to the original text; where the original writes the
    number differently (萬, １２), read the number from the original."""
    rows: list[Row] = []
    unreadable: list[Unreadable] = []
    original = normalised.original
    for mention in mentions:
        raw_start, raw_end = normalised.original_span(mention.value_start, mention.value_end)
        start, end = normalised.original_span(mention.evidence_start, mention.evidence_end)
        raw = original[raw_start:raw_end]
        number = mention.number
        if raw != normalised.text[mention.value_start : mention.value_end]:
            try:  # written differently in the original (萬, １２, 29  757): read it from there
                number = parse_number(raw)
            except NumberError:
                unreadable.append(Unreadable(raw, raw_start, mention.pattern.id))
                continue
        period = period_of(
            normalised.text, mention.value_start, mention.value_end, info.year, mention.evidence_start
        )
        rows.append(
            document_row(
                doc,
                path,
                info,
                original,
                period,
                mention.pattern.indicator,
                number.value,
                number.unit,
                number.qualifier,
                (raw_start, raw_end),
                (start, end),
                mention.pattern.id,
            )
        )
    return rows, unreadable
