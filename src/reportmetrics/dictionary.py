"""The data dictionary: for each indicator the packs define, its id, Chinese name, unit
and meaning, in catalogue order and then the order of the packs.

A pack writes an indicator's `name` as the Chinese name, then its meaning in English
(`审结行政复议案件 cases concluded`); this module splits the two. The review page shows the
Chinese name beside each id, `.xlsx` output carries the dictionary as a sheet, `--wide`
orders its columns by it, and `scripts/make_docs.py` writes it to docs/indicators.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogue import CATALOGUE
from .packs import Pack, builtin_pack_dir

# The English meaning starts at the first ASCII letter that follows a space.
_MEANING = re.compile(r"\s+(?=[A-Za-z])")
COLUMNS = ("indicator", "name", "unit", "meaning")


@dataclass(frozen=True)
class Entry:
    """One indicator as the dictionary lists it."""

    id: str
    name: str  # Chinese (收到行政复议申请)
    unit: str
    meaning: str  # English (applications received)
    pack: str
    catalogue: bool  # one of the catalogue's ids (the output contract)
    own: bool  # from a pack in a user's --patterns folder

    def cells(self) -> tuple[str, str, str, str]:
        """The entry in COLUMNS order."""
        return (self.id, self.name, self.unit, self.meaning)


def split_name(name: str) -> tuple[str, str]:
    """A pack's `name` as (Chinese name, meaning): `败诉率 loss rate` -> (`败诉率`,
    `loss rate`). A name with no English part is all Chinese name."""
    parts = _MEANING.split(name.strip(), maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


def entries(packs: Iterable[Pack]) -> tuple[Entry, ...]:
    """Every indicator of `packs`: catalogue ids in catalogue order first, then the
    others in the order their packs define them."""
    builtin = builtin_pack_dir().resolve()
    found: list[Entry] = []
    for pack in packs:
        own = Path(pack.path).resolve().parent != builtin
        for indicator in pack.indicators:
            name, meaning = split_name(indicator.name)
            found.append(
                Entry(indicator.id, name, indicator.unit, meaning, pack.name, indicator.id in CATALOGUE, own)
            )
    rank = {ident: k for k, ident in enumerate(CATALOGUE)}
    position = {entry.id: k for k, entry in enumerate(found)}
    return tuple(sorted(found, key=lambda e: (rank.get(e.id, len(rank)), position[e.id])))


def names(packs: Iterable[Pack]) -> dict[str, str]:
    """Indicator id -> its Chinese name."""
    return {entry.id: entry.name for entry in entries(packs)}
