"""The pipeline: load -> normalise -> match -> rows, one document at a time.

`process` chains the stages for one document; `run` streams a batch of inputs through
it (in order, optionally in worker processes) and yields one `Result` per document (a
file, or a row of a corpus file), so memory does not grow with the number of documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import lru_cache, partial

from .docfields import DocumentFields, document_fields
from .errors import InputError, MatchTimeout, ReportMetricsError
from .gip import gip_rows
from .load import (
    DEFAULT_MAX_BYTES,
    STDIN,
    CorpusColumns,
    Document,
    Source,
    is_corpus,
    iter_corpus,
    read_source,
)
from .match import Matcher
from .normalise import normalise
from .packs import Pack, load_packs
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
    text: str | None = None  # the document's text, when the caller asked to keep it
    # With run(render=...): the rows as output text, made where the document was
    # processed; the rows themselves are then left there (`count` says how many).
    rendered: str | None = None
    count: int = 0  # rows found


@lru_cache(maxsize=8)
def packs_for(packs: tuple[str, ...] = (), pattern_dirs: tuple[str, ...] = ()) -> tuple[Pack, ...]:
    """Load and check the packs once per process and selection."""
    return load_packs(packs, pattern_dirs)


@lru_cache(maxsize=8)
def matcher_for(packs: tuple[str, ...] = (), pattern_dirs: tuple[str, ...] = ()) -> Matcher:
    """Load, check and compile the packs once per process and selection."""
    return Matcher(packs_for(packs, pattern_dirs))


def process(document: Document, matcher: Matcher) -> tuple[DocumentFields, list[Row], list[Unreadable]]:
    """One document through normalise -> match -> rows."""
    normalised = normalise(document.text)
    info = document_fields(normalised.text)
    mentions = matcher.mentions(normalised.text)
    rows, unreadable = build_rows(document.doc, document.path, info, normalised, mentions)
    # GIP report tables: their cells' rows, and no prose-pack row from inside them.
    original = normalised.original
    rows, warnings = gip_rows(document.doc, document.path, original, info, rows, matcher.pack_names)
    return info, rows, unreadable + warnings


def process_item(
    item: Source | Document,
    packs: tuple[str, ...],
    pattern_dirs: tuple[str, ...],
    max_bytes: int,
    keep_text: bool = False,
    render: Callable[[Result], str] | None = None,
) -> Result:
    """Read (a file) and process one document; an expected failure becomes the error."""
    source = item if isinstance(item, Source) else Source(item.path)
    doc = item.doc
    try:
        document = read_source(item, max_bytes) if isinstance(item, Source) else item
        info, rows, unreadable = process(document, matcher_for(packs, pattern_dirs))
    except MatchTimeout as error:
        # The matcher does not know which file (or corpus row) it was reading; the user must.
        where = source.path if doc == source.doc else f"{source.path} ({doc})"
        return Result(source, doc, None, (), (), MatchTimeout(f"{where}: {error}"))
    except ReportMetricsError as error:
        return Result(source, doc, None, (), (), error)
    text = document.text if keep_text else None
    result = Result(source, doc, info, tuple(rows), tuple(unreadable), None, text, count=len(rows))
    if render is not None:
        return replace(result, rows=(), rendered=render(result))
    return result


def run(
    sources: Iterable[Source],
    packs: tuple[str, ...] = (),
    pattern_dirs: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
    columns: CorpusColumns = CorpusColumns(),
    keep_text: bool = False,
    render: Callable[[Result], str] | None = None,
) -> Iterator[Result]:
    """Results in input order, one per document (a corpus file gives one per row).
    With jobs > 1, worker processes read and match while results still come back in
    order, with a bounded number in flight. Packs are loaded here, before any input is
    read, so an invalid pack fails the call itself. `keep_text` puts each document's
    text on its Result (for the review page and the consistency checks). `render`
    (a module-level function, so that workers can be sent it) turns each Result's rows
    into output text where the document is processed: under -j the workers then
    format, and only text comes back."""
    matcher_for(packs, pattern_dirs)
    items = _items(sources, columns, max_bytes)
    work = partial(
        process_item,
        packs=packs,
        pattern_dirs=pattern_dirs,
        max_bytes=max_bytes,
        keep_text=keep_text,
        render=render,
    )
    if jobs <= 1:
        return (_result_of(item, work) for item in items)
    return _in_parallel(items, work, jobs)


def _items(
    sources: Iterable[Source], columns: CorpusColumns, max_bytes: int
) -> Iterator[Source | Document | InputError]:
    """What to process: files as sources (read where they are processed), each row of
    a corpus file as a document, and stdin read here, since only this process has it."""
    for source in sources:
        if is_corpus(source.path):
            yield from iter_corpus(source, columns)
        elif source.path == STDIN:
            try:
                yield read_source(source, max_bytes)
            except InputError as error:
                yield error
        else:
            yield source


def _result_of(item: Source | Document | InputError, work: Callable[..., Result]) -> Result:
    if isinstance(item, InputError):
        return Result(Source(item.source), Source(item.source).doc, None, (), (), item)
    return work(item)


BATCH = 4  # documents per task: fewer round trips to the workers


def _in_parallel(
    items: Iterator[Source | Document | InputError], work: Callable[..., Result], jobs: int
) -> Iterator[Result]:
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[Result]] | list[Result]] = deque()
        batch: list[Source | Document] = []
        for item in items:
            if isinstance(item, InputError):
                if batch:
                    pending.append(pool.submit(_work_batch, work, batch))
                    batch = []
                pending.append([_result_of(item, work)])
            else:
                batch.append(item)
                if len(batch) == BATCH:
                    pending.append(pool.submit(_work_batch, work, batch))
                    batch = []
            while len(pending) > jobs * 4 or (pending and isinstance(pending[0], list)):
                yield from _ready(pending.popleft())
        if batch:
            pending.append(pool.submit(_work_batch, work, batch))
        while pending:
            yield from _ready(pending.popleft())


def _work_batch(work: Callable[..., Result], batch: list[Source | Document]) -> list[Result]:
    return [work(item) for item in batch]


def _ready(entry: Future[list[Result]] | list[Result]) -> list[Result]:
    return entry if isinstance(entry, list) else entry.result()
