"""China's administrative divisions, from the data that the `jionlp` package ships.

jionlp keeps the national division list (民政部 codes for provinces, prefectures and
counties; the names of the townships under each county) up to date in one file,
`jionlp/dictionary/china_location.zip`, with a short name for each division (花都 for
花都区). This module reads that file only: jionlp itself (a large NLP toolkit) is never
imported. Reading and indexing the file takes about a third of a second, so the index is
kept, pickled, in the user's cache folder next to the compiled patterns (see
`regexcache.cache_dir`), keyed by jionlp's version; later runs load it in a few
hundredths of a second.

`places(text)` finds the divisions a stretch of text names, each a `Place`: a chain of
one or more levels written one after the other (广州市花都区炭步镇), each level resolved to
a division consistent with the one before it. A name that is not a division (新一届区,
促进城乡) is never found, and zones that are no division (开发区, 工业园) are not in the
index, so a chain stops before them (重庆市大足区海棠新城开发区 -> 重庆市大足区).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import tempfile
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ReportMetricsError

DATA_PACKAGE = "jionlp"
DATA_FILE = "dictionary/china_location.zip"  # beside jionlp/__init__.py
INDEX_VERSION = 5  # bump when the index's layout or rules change

PROVINCE, PREFECTURE, COUNTY, TOWNSHIP = 1, 2, 3, 4
# Placeholder levels of the national list that are no division of their own.
_PSEUDO = ("市辖区", "市辖行政区划", "省直辖县级行政区划", "自治区直辖县级行政区划", "县", "省辖")
# Township-level entries that are divisions: towns, townships, sub-districts, sumu.
_TOWNSHIP_ENDINGS = ("镇", "乡", "街道", "苏木")
_AUTONOMOUS = (("自治县", "县"), ("自治州", "州"), ("自治旗", "旗"))


@dataclass(frozen=True)
class Division:
    """One administrative division: its full name, its code (6 digits; a township
    carries its county's, as the data has no township codes), level and parent."""

    name: str
    code: str
    level: int
    parent: Division | None

    def lineage(self) -> tuple[Division, ...]:
        """From the province down to this division."""
        chain: list[Division] = []
        node: Division | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(reversed(chain))

    def within(self, other: Division) -> bool:
        """True when this division is `other` or lies inside it."""
        node: Division | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


@dataclass(frozen=True)
class Index:
    """Full names (秀山县 and 佳荣里街 count as full names of 秀山土家族苗族自治县 and
    佳荣里街道) and short names (花都, 四川) to the divisions they may mean. Kept flat
    (numbered nodes), so that the pickled index loads fast; `Division`s are made on
    demand."""

    nodes: tuple[tuple[str, str, int, int], ...]  # name, code, level, parent node (-1: none)
    names: dict[str, tuple[int, ...]]
    aliases: dict[str, tuple[int, ...]]
    lengths: dict[str, tuple[int, ...]]  # first character -> lengths of names, longest first
    source: str  # the data package and its version
    starts: frozenset[str] = frozenset()  # the first two characters of every name

    def division(self, node: int) -> Division:
        return _division(self, node)

    def lookup(self, name: str) -> tuple[Division, ...]:
        """The divisions a full name may mean."""
        return tuple(self.division(n) for n in self.names.get(name, ()))


def _division(table: Index, node: int) -> Division:
    made = _MADE.get((id(table), node))
    if made is None:
        name, code, level, parent = table.nodes[node]
        made = Division(name, code, level, _division(table, parent) if parent >= 0 else None)
        _MADE[(id(table), node)] = made
    return made


_MADE: dict[tuple[int, int], Division] = {}


@dataclass(frozen=True)
class Level:
    """One name in a chain as written, with the divisions it may still mean."""

    start: int
    end: int
    written: str
    candidates: tuple[Division, ...]
    alias: bool  # written as a short name (花都, 四川)


@dataclass(frozen=True)
class Place:
    """A chain of division names written one after the other (广州市花都区炭步镇)."""

    levels: tuple[Level, ...]

    @property
    def start(self) -> int:
        return self.levels[0].start

    @property
    def end(self) -> int:
        return self.levels[-1].end

    @property
    def division(self) -> Division | None:
        """The division the last level names, where the chain says which one."""
        last = self.levels[-1].candidates
        return last[0] if len(last) == 1 else None

    @property
    def full_name(self) -> str:
        """Each level in full (四川 -> 四川省; 秀山县 -> 秀山土家族苗族自治县)."""
        return "".join(_full(level) for level in self.levels)


def _full(level: Level) -> str:
    names = {d.name for d in level.candidates}
    return names.pop() if len(names) == 1 else level.written


# ---------------------------------------------------------------------- building


def data_file() -> Path:
    """The division file inside the installed data package (found without importing it)."""
    spec = importlib.util.find_spec(DATA_PACKAGE)
    if spec is None or spec.origin is None:
        raise ReportMetricsError(
            f"the division data package {DATA_PACKAGE!r} is not installed (pip install {DATA_PACKAGE})"
        )
    return Path(spec.origin).parent / DATA_FILE


def data_version() -> str:
    """The data package and its version, as the README and `Index.source` name it."""
    import importlib.metadata

    return f"{DATA_PACKAGE} {importlib.metadata.version(DATA_PACKAGE)}"


def _read_lines(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        data = archive.read(archive.namelist()[0])
    text = data.decode("utf-8").replace("\r", "")
    # Villages (four tabs deep) are not wanted: leave them out before splitting.
    return [line for line in text.split("\n") if line and not line.startswith("\t\t\t\t")]


def build_index(lines: list[str], source: str) -> Index:
    """The index from the data file's lines: a tab per level; name, code, short name."""
    nodes: list[tuple[str, str, int, int]] = []
    names: dict[str, list[int]] = {}
    aliases: dict[str, list[int]] = {}
    stack: list[int] = [-1, -1, -1, -1]

    def add(table: dict[str, list[int]], key: str, node: int) -> None:
        if key and node not in table.setdefault(key, []):
            table[key].append(node)

    for line in lines:
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3:
            continue
        cells = line.strip().split("\t")
        name = cells[0]
        parent = next((stack[k] for k in range(depth - 1, -1, -1) if stack[k] >= 0), -1)
        if depth == 3:
            if not name.endswith(_TOWNSHIP_ENDINGS):
                continue  # a development zone, farm or park: no division
            nodes.append((name, nodes[parent][1] if parent >= 0 else "", TOWNSHIP, parent))
            add(names, name, len(nodes) - 1)
            if name.endswith("街道"):
                add(names, name[:-1], len(nodes) - 1)  # 佳荣里街 -> 佳荣里街道
            continue
        stack[depth:] = [-1] * (4 - depth)
        if name in _PSEUDO:
            continue  # its children hang on the level above
        if parent >= 0 and nodes[parent][0] == name:  # a municipality's city level
            stack[depth] = parent
            continue
        code = cells[1] if len(cells) > 1 else ""
        nodes.append((name, code, depth + 1, parent))
        node = len(nodes) - 1
        stack[depth] = node
        add(names, name, node)
        short = cells[2] if len(cells) > 2 else ""
        if short and short != name:
            add(aliases, short, node)
            for ending, unit in _AUTONOMOUS:
                if name.endswith(ending):
                    add(names, short + unit, node)  # 秀山县 -> 秀山土家族苗族自治县
    alias_table = {k: v for k, v in aliases.items() if k not in names}
    lengths: dict[str, set[int]] = {}
    for key in (*names, *alias_table):
        lengths.setdefault(key[0], set()).add(len(key))
    return Index(
        tuple(nodes),
        {k: tuple(v) for k, v in names.items()},
        {k: tuple(v) for k, v in alias_table.items()},
        {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        source,
        frozenset(key[:2] for key in (*names, *alias_table)),
    )


@lru_cache(maxsize=1)
def index() -> Index:
    """The division index, from the cache folder when it holds this data version."""
    from .regexcache import cache_dir, load_private

    found = data_file()
    try:
        stat = found.stat()
    except OSError as exc:
        raise ReportMetricsError(f"{found}: cannot read the division data ({exc.strerror})") from None
    key = (INDEX_VERSION, str(found), stat.st_size, stat.st_mtime_ns)
    folder = cache_dir()
    path = folder / "divisions.pickle" if folder is not None else None
    if path is not None:
        with suppress(Exception):  # damaged, stale or not trusted: build it again
            stored_key, stored = load_private(path)
            if stored_key == key:
                return Index(*stored)
    built = build_index(_read_lines(found), data_version())
    if path is not None:
        fields = (built.nodes, built.names, built.aliases, built.lengths, built.source, built.starts)
        _store(path, (key, fields))
    return built


def _store(path, payload) -> None:
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as handle:
            written = handle.name
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, path)
    except (OSError, pickle.PicklingError, RecursionError):
        if written is not None:
            with suppress(OSError):
                os.unlink(written)


# ---------------------------------------------------------------------- finding


def places(text: str, start: int = 0, end: int | None = None, table: Index | None = None) -> list[Place]:
    """The chains of division names in text[start:end], left to right. A short name
    (四川, 方城) counts only inside a chain whose levels nest (河南方城) or before a body
    (四川高院); see `Place`."""
    table = table or index()
    stop = len(text) if end is None else min(end, len(text))
    found: list[Place] = []
    i = start
    while i < stop:
        place = _chain_at(text, i, stop, table)
        if place is None:
            i += 1
            continue
        found.append(place)
        i = place.end
    return found


def place_at(text: str, i: int, stop: int | None = None) -> Place | None:
    """The chain of division names that starts at text[i], if one does."""
    return _chain_at(text, i, len(text) if stop is None else min(stop, len(text)), index())


def _names_at(text: str, i: int, stop: int, table: Index) -> list[Level]:
    """Every name (full or short) starting at i, longest first."""
    out: list[Level] = []
    if i >= stop or text[i : i + 2] not in table.starts:
        return out
    for size in table.lengths.get(text[i], ()):
        if i + size > stop:
            continue
        piece = text[i : i + size]
        full = table.names.get(piece)
        if full:
            out.append(Level(i, i + size, piece, tuple(map(table.division, full)), False))
        short = table.aliases.get(piece)
        if short:
            # A short name shared by a city and a county (铁岭) means the city.
            top = min(table.nodes[n][2] for n in short)
            meant = tuple(table.division(n) for n in short if table.nodes[n][2] == top)
            out.append(Level(i, i + size, piece, meant, True))
    return out


def _chain_at(text: str, i: int, stop: int, table: Index) -> Place | None:
    best: Place | None = None
    for first in _names_at(text, i, stop, table):
        levels = [first]
        while True:
            following = _next_level(text, levels[-1], stop, table)
            if following is None:
                break
            levels[-1] = following[0]
            levels.append(following[1])
        place = Place(tuple(levels))
        if not _acceptable(place, text):
            continue
        if best is None or place.end > best.end:
            best = place
    return best


def _next_level(text: str, previous: Level, stop: int, table: Index) -> tuple[Level, Level] | None:
    """The name right after `previous` that lies inside it, with `previous` narrowed to
    the divisions that contain it."""
    for candidate in _names_at(text, previous.end, stop, table):
        outer = previous.candidates
        inside = tuple(d for d in candidate.candidates if any(d is not p and d.within(p) for p in outer))
        if not inside:
            continue
        parents = tuple(p for p in previous.candidates if any(d.within(p) for d in inside))
        narrowed = Level(previous.start, previous.end, previous.written, parents, previous.alias)
        return narrowed, Level(candidate.start, candidate.end, candidate.written, inside, candidate.alias)
    return None


_BODY_AFTER_SHORT = (
    "高院",
    "高级人民法院",
    "中院",
    "两级法院",
    "全省",
    "省委",
    "省政府",
    "市委",
    "市政府",
    "法院",
)


def _acceptable(place: Place, text: str) -> bool:
    """A chain of full names always; a short name alone only before a body (四川高院);
    a chain that holds a short name only when it nests (河南方城)."""
    if len(place.levels) > 1:
        return True
    level = place.levels[0]
    if not level.alias:
        return True
    after = text[level.end : level.end + 6]
    return len(level.written) >= 2 and after.startswith(_BODY_AFTER_SHORT)
