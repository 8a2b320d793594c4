"""The pipeline: load -> normalise -> match -> rows, one document at a time.

`process` chains the stages for one document; `run` streams a batch of inputs through
it (in order, optionally in worker processes) and yields one `Result` per input, so
memory does not grow with the number of documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .docfields import DocumentFields, document_fields
from .errors import ReportMetricsError
from .load import DEFAULT_MAX_BYTES, Document, Source, read_source
from .match import Matcher
from .normalise import normalise
from .packs import load_packs
from .rows import Row, Unreadable, build_rows


@dataclass(frozen=True)
class Result:
    """What one input gave: its rows, or the error that stopped it."""

    source: Source
    doc: str
    fields: DocumentFields | None
    rows: tuple[Row, ...]
    unreadable: tuple[Unreadable, ...] = ()
    error: ReportMetricsError | None = None


@lru_cache(maxsize=8)
def matcher_for(packs: tuple[str, ...] = (), pattern_dirs: tuple[str, ...] = ()) -> Matcher:
    """Load and compile packs once per process and selection."""
    return Matcher(load_packs(packs, pattern_dirs))


def process(document: Document, matcher: Matcher) -> tuple[DocumentFields, list[Row], list[Unreadable]]:
    """One document through normalise -> match -> rows."""
    normalised = normalise(document.text)
    info = document_fields(normalised.text)
    mentions = matcher.mentions(normalised.text)
    rows, unreadable = build_rows(document.doc, document.path, info, normalised, mentions)
    return info, rows, unreadable


def process_source(
    source: Source, packs: tuple[str, ...], pattern_dirs: tuple[str, ...], max_bytes: int
) -> Result:
    """Read one input and process it; any expected failure becomes the Result's error."""
    try:
        document = read_source(source, max_bytes)
        info, rows, unreadable = process(document, matcher_for(packs, pattern_dirs))
    except ReportMetricsError as error:
        return Result(source, source.doc, None, (), (), error)
    return Result(source, source.doc, info, tuple(rows), tuple(unreadable))


def run(
    sources: Iterable[Source],
    packs: tuple[str, ...] = (),
    pattern_dirs: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
) -> Iterator[Result]:
    """Results in input order. With jobs > 1, worker processes read and match while
    results still come back in order; stdin is always read in this process. Packs are
    loaded here, before any input is read, so an invalid pack fails the call itself."""
    matcher_for(packs, pattern_dirs)
    return _results(list(sources), packs, pattern_dirs, max_bytes, jobs)


def _results(
    sources: list[Source],
    packs: tuple[str, ...],
    pattern_dirs: tuple[str, ...],
    max_bytes: int,
    jobs: int,
) -> Iterator[Result]:
    if jobs <= 1 or len(sources) < 2 or any(s.path == "-" for s in sources):
        for source in sources:
            yield process_source(source, packs, pattern_dirs, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    work = partial(process_source, packs=packs, pattern_dirs=pattern_dirs, max_bytes=max_bytes)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(work, sources, chunksize=4)
