"""The pipeline: load -> normalise -> match -> rows, one document at a time.

`process` chains the stages for one document; `run` streams a batch of inputs through
it (in order, optionally in worker processes) and yields one `Result` per document (a
file, or a row of a corpus file), so memory does not grow with the number of documents.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
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
    mentions = matcher.mentions(normalised.text, info.year)
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
    on_worker_death: Callable[[str], None] | None = None,
) -> Iterator[Result]:
    """Results in input order, one per document (a corpus file gives one per row).
    With jobs > 1, worker processes read and match while results still come back in
    order, with a bounded number in flight. Packs are loaded here, before any input is
    read, so an invalid pack fails the call itself. `keep_text` puts each document's
    text on its Result (for the review page and the consistency checks). `render`
    (a module-level function, so that workers can be sent it) turns each Result's rows
    into output text where the document is processed: under -j the workers then
    format, and only text comes back. `on_worker_death` is told, in one message, of a
    worker process that died and the inputs it held (default: a RuntimeWarning)."""
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
    return _in_parallel(items, work, jobs, on_worker_death)


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


@dataclass
class _Task:
    """Documents sent to a worker together, and what came of them."""

    items: list[Source | Document]
    future: Future[list[Result]]


def _in_parallel(
    items: Iterator[Source | Document | InputError],
    work: Callable[..., Result],
    jobs: int,
    on_worker_death: Callable[[str], None] | None = None,
) -> Iterator[Result]:
    """Results in input order from worker processes. A worker that dies (killed by the
    OOM killer, say) breaks the pool: the documents not yet done are named in one
    message and read again, one at a time in a fresh pool, so that a document whose
    worker dies again is known for certain and gets an error; the others give their
    rows. An exception here (Ctrl-C, SIGTERM through the CLI, the caller closing the
    generator) ends the workers at once: none outlives the run."""
    from collections import deque

    pool = _new_pool(jobs)
    pending: deque[_Task | list[Result]] = deque()

    def submit(batch: list[Source | Document]) -> Future[list[Result]]:
        try:
            return pool.submit(_work_batch, work, batch)
        except BrokenProcessPool as broken:  # found broken before its turn came: the same
            future: Future[list[Result]] = Future()
            future.set_exception(broken)
            return future

    def alone(item: Source | Document) -> Result:
        nonlocal pool
        try:
            return submit([item]).result()[0]
        except BrokenProcessPool:
            _end_pool(pool)
            pool = _new_pool(jobs)
            return _died_twice(item)

    def ready(entry: _Task | list[Result]) -> list[Result]:
        nonlocal pool
        if isinstance(entry, list):
            return entry
        try:
            return entry.future.result()
        except BrokenProcessPool:
            pass
        # The pool is broken: every task not finished is lost with it.
        lost = [entry, *(t for t in pending if isinstance(t, _Task) and not _finished(t))]
        _end_pool(pool)
        pool = _new_pool(jobs)
        names = [item.path if isinstance(item, Source) else item.doc for t in lost for item in t.items]
        (on_worker_death or _warn)(
            f"a worker process died (killed, perhaps out of memory) while {len(names)} inputs were "
            f"in work: {', '.join(names)}; they are read again, one at a time"
        )
        for task in lost:
            done: Future[list[Result]] = Future()
            done.set_result([alone(item) for item in task.items])
            task.future = done
        return entry.future.result()

    try:
        batch: list[Source | Document] = []
        for item in items:
            if isinstance(item, InputError):
                if batch:
                    pending.append(_Task(batch, submit(batch)))
                    batch = []
                pending.append([_result_of(item, work)])
            else:
                batch.append(item)
                if len(batch) == BATCH:
                    pending.append(_Task(batch, submit(batch)))
                    batch = []
            while len(pending) > jobs * 4 or (pending and isinstance(pending[0], list)):
                yield from ready(pending.popleft())
        if batch:
            pending.append(_Task(batch, submit(batch)))
        while pending:
            yield from ready(pending.popleft())
    except BaseException:
        _end_pool(pool)
        raise
    _POOLS.discard(pool)
    pool.shutdown()


def _finished(task: _Task) -> bool:
    return task.future.done() and task.future.exception() is None


def _died_twice(item: Source | Document) -> Result:
    """The error result of a document whose worker died when it was read alone."""
    source = item if isinstance(item, Source) else Source(item.path)
    where = source.path if item.doc == source.doc else f"{source.path} ({item.doc})"
    error = InputError(where, "the worker process reading it died twice (killed, perhaps out of memory)")
    return Result(source, item.doc, None, (), (), error)


def _warn(message: str) -> None:
    import warnings

    warnings.warn(message, RuntimeWarning, stacklevel=3)


_POOLS: set[ProcessPoolExecutor] = set()  # pools of this process not yet shut down


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start)
    _POOLS.add(pool)
    return pool


def end_workers() -> None:
    """End every worker process this process started (on Ctrl-C or SIGTERM)."""
    for pool in list(_POOLS):
        _end_pool(pool)


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued work dropped, running workers ended, none left behind."""
    _POOLS.discard(pool)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with suppress(Exception):
            process.terminate()
    with suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with suppress(Exception):
            process.join(5)


def _worker_start() -> None:
    """In each worker: Ctrl-C is the parent's to handle (it ends the workers), SIGTERM
    ends the worker plainly, and the worker dies with its parent (Linux)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            if os.getppid() == 1:  # the parent died before prctl took effect
                os._exit(1)


def _work_batch(work: Callable[..., Result], batch: list[Source | Document]) -> list[Result]:
    return [work(item) for item in batch]
