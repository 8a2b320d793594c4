"""The command line: a thin layer over the library.

stdout is data (CSV by default), stderr is chatter; `-` reads stdin; a closed pipe
(`| head`) ends the run quietly. Exit 0 when done, 1 when an input could not be read
or a pack is invalid, 2 on a usage error.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, List

import typer
import typer.core

from . import __version__, console
from .errors import PackError, ReportMetricsError
from .load import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from .rows import Row


class _Argument(typer.core.TyperArgument):
    """An argument shown as its metavar alone (`PATH...`), as click shows it: typer's
    help would add the Python type (`PATH <list[str]>`) and braces (`{PATH}...`)."""

    def display_type(self, ctx: Any) -> str:
        return ""

    def _usage_display_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")


class _Group(typer.core.TyperGroup):
    """Its commands' arguments shown as `_Argument`s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            for param in command.params:
                if type(param) is typer.core.TyperArgument:
                    param.__class__ = _Argument


HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="Turn Chinese government reports into tidy tables of indicators, with evidence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
    cls=_Group,
)
packs_app = typer.Typer(
    help="List and check the pattern packs.", no_args_is_help=True, context_settings=HELP_OPTIONS, cls=_Group
)
app.add_typer(packs_app, name="packs")


def _version(value: bool) -> None:
    if value:
        print(f"reportmetrics {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "-V", "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """reportmetrics: numbers out of rule-of-law and disclosure annual reports."""


_SIZE_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_size(text: str) -> int:
    """A size as a person writes it: `200 MB`, `200MB`, `1.5 GB`, `512 kb` or plain bytes
    (1024-based units)."""
    cleaned = text.strip().upper().replace(" ", "")
    digits = cleaned.rstrip("KMGB")
    unit = cleaned[len(digits) :]
    try:
        number = float(digits)
    except ValueError:
        number = -1.0
    if unit not in _SIZE_UNITS or number <= 0:
        raise typer.BadParameter(f"{text!r} is not a size (say 200MB, 1.5GB or a number of bytes)")
    return max(1, int(number * _SIZE_UNITS[unit]))


def show_size(size: int) -> str:
    """The size as `parse_size` reads it back: 209715200 -> `200 MB`."""
    for unit in ("GB", "MB", "KB"):
        if size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]} {unit}"
    return str(size)


PackOption = typer.Option(
    [], "-p", "--pack", metavar="PACK", help="Only this pack (repeatable; default all)."
)
PathsArgument = typer.Argument(..., metavar="PATH", help="Files, folders, globs, or - for stdin.")
JobsOption = typer.Option(1, "-j", "--jobs", min=1, metavar="N", help="Worker processes.")
MaxBytesOption = typer.Option(
    show_size(DEFAULT_MAX_BYTES),
    "--max-bytes",
    metavar="SIZE",
    parser=parse_size,
    help="Refuse inputs larger than this (200MB, 1GB, or bytes).",
)
DebugOption = typer.Option(False, "--debug", help="Show tracebacks.")
PatternsOption = typer.Option(
    [],
    "--patterns",
    metavar="DIR",
    help="Add the packs in DIR; a pack of the same file name replaces a built-in.",
)


@contextmanager
def _quiet_on_broken_pipe() -> Iterator[None]:
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python from complaining
        # while it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None


@contextmanager
def _errors_reported(debug: bool) -> Iterator[None]:
    """Expected errors become one line on stderr and exit 1; a traceback only with --debug."""
    try:
        yield
    except ReportMetricsError as exc:
        if debug:
            console.traceback()
        for line in str(exc).splitlines():
            console.error(line)
        raise typer.Exit(1) from None


@app.command()
def extract(
    paths: List[str] = PathsArgument,
    output: str | None = typer.Option(
        None, "-o", "--output", metavar="FILE", help="Write here (default stdout)."
    ),
    fmt: str | None = typer.Option(
        None,
        "-f",
        "--format",
        metavar="FORMAT",
        help="csv, jsonl, xlsx or parquet (default csv, or from -o's suffix).",
    ),
    pack: List[str] = PackOption,
    patterns: List[str] = PatternsOption,
    wide: bool = typer.Option(
        False, "--wide", help="One row per document, one column per indicator (first mention)."
    ),
    excel: bool = typer.Option(
        False, "--excel", help="CSV for Excel: byte-order mark; formula-like text gets a leading '."
    ),
    text_column: str = typer.Option(
        "text",
        "--text-column",
        metavar="NAME",
        help="In a .parquet or .jsonl corpus: the column holding each report.",
    ),
    id_column: str = typer.Option(
        "doc",
        "--id-column",
        metavar="NAME",
        help="In a .parquet or .jsonl corpus: the column naming each report.",
    ),
    jobs: int = JobsOption,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar, no summary."),
    verbose: bool = typer.Option(
        False, "-v", "--verbose", help="The summary line even when stderr is not a terminal."
    ),
    max_bytes: int = MaxBytesOption,
    debug: bool = DebugOption,
) -> None:
    """Extract indicator mentions: one row per mention, CSV on stdout."""
    started = time.monotonic()
    from .load import CorpusColumns, expand_paths
    from .output import FORMATS, format_for, open_writer, renderer_for, wide_indicators
    from .pipeline import run

    chosen = format_for(output, fmt)
    if chosen not in FORMATS:
        console.error(f"format {chosen!r} is not one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    with _errors_reported(debug), _quiet_on_broken_pipe():
        expansion = expand_paths(paths)
        _say_skipped(expansion, quiet)
        _refuse_output_among_inputs(output, expansion.sources)
        columns = CorpusColumns(text_column, id_column)
        sources, render = expansion.sources, renderer_for(chosen, wide, excel)
        results = _Reported((), debug)
        found = run(
            sources,
            tuple(pack),
            tuple(patterns),
            max_bytes,
            jobs,
            columns,
            render=render,
            on_worker_death=results.worker_died,
        )
        results.follow(found)
        own = _own_indicators(tuple(pack), tuple(patterns)) if wide and patterns else ()
        dictionary = _dictionary(tuple(pack), tuple(patterns)) if chosen == "xlsx" else ()
        columns_wide = wide_indicators(pack, patterns, own)
        # Opened before any input is read: a bad destination fails at once, and the
        # file appears (renamed into place) only when the batch is done.
        writer = open_writer(
            chosen, output, excel=excel, wide=wide, indicators=columns_wide, dictionary=dictionary
        )
        show_progress = not quiet and console.stderr_is_terminal()
        tally = Tally()
        try:
            with _progress(len(expansion.sources), show_progress) as advance:
                for result in results:
                    writer.add(result)
                    tally.add(result.count, result.error is not None)
                    advance(result.count, result.error is not None)
            writer.close()
        except BaseException:
            writer.abort()
            _close(found)
            raise
        if not quiet and (verbose or console.stderr_is_terminal()):
            console.say(tally.summary(time.monotonic() - started))
    results.exit_if_failed()


def _own_indicators(packs: tuple[str, ...], pattern_dirs: tuple[str, ...]) -> tuple[str, ...]:
    """The ids the packs of the user's --patterns folders define, in their order."""
    from .dictionary import entries
    from .pipeline import packs_for

    return tuple(entry.id for entry in entries(packs_for(packs, pattern_dirs)) if entry.own)


def _dictionary(packs: tuple[str, ...], pattern_dirs: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """Id, Chinese name, unit and meaning of every indicator the selected packs define."""
    from .dictionary import entries
    from .pipeline import packs_for

    return [entry.cells() for entry in entries(packs_for(packs, pattern_dirs))]


class Tally:
    """What a run did, for the summary line at its end."""

    def __init__(self) -> None:
        self.read = self.rows = self.errors = 0

    def add(self, rows: int, error: bool) -> None:
        self.errors += error
        self.read += not error
        self.rows += rows

    def summary(self, seconds: float) -> str:
        """`12 files read, 340 rows, 1 error, 2.4 s`."""

        def counted(n: int, word: str) -> str:
            return f"{n:,} {word}{'' if n == 1 else 's'}"

        return (
            f"{counted(self.read, 'file')} read, {counted(self.rows, 'row')}, "
            f"{counted(self.errors, 'error')}, {seconds:.1f} s"
        )


def _say_skipped(expansion, quiet: bool) -> None:
    if quiet:
        return
    if expansion.skipped:
        console.say(f"skipped {expansion.skipped} files of kinds the tool does not read")
    if expansion.not_regular:
        console.say(
            f"skipped {expansion.not_regular} files that are not regular files (FIFOs, sockets, devices)"
        )


def _refuse_output_among_inputs(output: str | None, sources) -> None:
    """An -o that is one of the inputs would be overwritten while (or before) it is read."""
    if output is None or output == "-" or not os.path.exists(output):
        return
    for source in sources:
        try:
            same = source.path != "-" and os.path.samefile(source.path, output)
        except OSError:
            continue
        if same:
            console.error(f"-o {output} is also an input: choose another output file")
            raise typer.Exit(2)


def _close(results) -> None:
    """End a results generator now (its worker processes with it)."""
    close = getattr(results, "close", None)
    if close is not None:
        close()


class _Reported:
    """A command's results, each input's problems said on stderr as it comes by."""

    def __init__(self, results: Iterable, debug: bool) -> None:
        self._results = results
        self._debug = debug
        self.failed = False  # some input could not be read

    def follow(self, results: Iterable) -> _Reported:
        """Report on these results (made after self, so that they can tell it of a
        worker process that died)."""
        self._results = results
        return self

    def close(self) -> None:
        _close(self._results)

    def worker_died(self, message: str) -> None:
        """A worker process died (pipeline.run's on_worker_death): one error line."""
        console.error(message)
        self.failed = True

    def __iter__(self) -> Iterator:
        for result in self._results:
            self.failed |= _report(result, self._debug)
            yield result

    def exit_if_failed(self) -> None:
        if self.failed:
            raise typer.Exit(1)


def _report(result, debug: bool) -> bool:
    """Say on stderr what went wrong with one input; True when it could not be read."""
    for unreadable in result.unreadable:
        if unreadable.message:
            console.warning(f"{result.source.path}: {unreadable.message}")
            continue
        console.warning(
            f"{result.source.path}: cannot read the number {unreadable.raw!r} "
            f"at offset {unreadable.start} ({unreadable.pattern}); no row written"
        )
    if result.error is None:
        return False
    if debug:
        console.say(f"{type(result.error).__name__} on {result.source.path}")
    console.error(str(result.error))
    return True


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator:
    if not enabled or total < 2:
        yield lambda rows, error: None
        return
    with console.progress(total) as bar:
        task = bar.add_task("extract", total=total, rows=0, errors=0)
        counts = {"rows": 0, "errors": 0}

        def advance(rows: int, error: bool) -> None:
            counts["rows"] += rows
            counts["errors"] += error
            bar.update(task, advance=1, **counts)

        yield advance


@app.command()
def text(
    path: str = typer.Argument(..., metavar="PATH", help="A report file, or - for stdin."),
    max_bytes: int = MaxBytesOption,
    debug: bool = DebugOption,
) -> None:
    """Print the plain text the tool sees (offsets in extract's output index into it)."""
    from .load import Source, read_source

    with _errors_reported(debug), _quiet_on_broken_pipe():
        document = read_source(Source(path), max_bytes)
        sys.stdout.buffer.write(document.text.encode("utf-8"))


@app.command()
def score(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="The texts the gold file describes."),
    gold: str = typer.Option(..., "--gold", metavar="FILE", help="Gold file (JSON Lines, docs/gold.md)."),
    pack: List[str] = PackOption,
    patterns: List[str] = PatternsOption,
    misses: bool = typer.Option(False, "--misses", help="List each miss and false positive."),
    jobs: int = JobsOption,
    debug: bool = DebugOption,
) -> None:
    """Compare extraction with a gold file: precision, recall, F1; qualifier, region, year."""
    from .docfields import DocumentFields
    from .load import expand_paths
    from .pipeline import run
    from .score import read_gold, report
    from .score import score as score_rows

    failed = False
    with _errors_reported(debug), _quiet_on_broken_pipe():
        truth = read_gold(gold)
        rows: list[Row] = []
        fields_by_doc = {}
        for result in run(expand_paths(paths).sources, tuple(pack), tuple(patterns), jobs=jobs):
            if result.error is not None:
                failed = True
                console.error(str(result.error))
                continue
            rows.extend(result.rows)
            fields_by_doc[result.doc] = result.fields or DocumentFields(None, None)
        print(report(score_rows(truth, rows, fields_by_doc, pack), misses=misses))
    if failed:
        raise typer.Exit(1)


@app.command()
def check(
    paths: List[str] = PathsArgument,
    pack: List[str] = PackOption,
    patterns: List[str] = PatternsOption,
    jobs: int = JobsOption,
    max_bytes: int = MaxBytesOption,
    debug: bool = DebugOption,
) -> None:
    """Consistency findings (rates against their counts, parts against totals), CSV on stdout."""
    from .consistency import FINDING_COLUMNS, findings_for, load_rules

    with _errors_reported(debug), _quiet_on_broken_pipe():
        rules = load_rules(tuple(patterns))
        results = _results_with_text(paths, pack, patterns, max_bytes, jobs, debug)
        _write_csv(FINDING_COLUMNS, (f.cells() for r in results for f in findings_for(r, rules)))
    results.exit_if_failed()


@app.command()
def review(
    paths: List[str] = PathsArgument,
    output: str = typer.Option(..., "-o", "--output", metavar="FILE", help="The HTML file to write."),
    pack: List[str] = PackOption,
    patterns: List[str] = PatternsOption,
    jobs: int = JobsOption,
    max_bytes: int = MaxBytesOption,
    debug: bool = DebugOption,
) -> None:
    """Write one self-contained HTML page to check every extracted number in its text."""
    from .dictionary import names
    from .pipeline import packs_for
    from .review import write_review

    with _errors_reported(debug), _quiet_on_broken_pipe():
        results = _results_with_text(paths, pack, patterns, max_bytes, jobs, debug, output)
        write_review(results, output, names=names(packs_for(tuple(pack), tuple(patterns))))
    results.exit_if_failed()


def _results_with_text(paths, pack, patterns, max_bytes, jobs, debug, output=None) -> _Reported:
    """Results that carry their document's text (for check and review)."""
    from .load import expand_paths
    from .pipeline import run

    expansion = expand_paths(paths)
    _refuse_output_among_inputs(output, expansion.sources)
    reported = _Reported((), debug)
    found = run(
        expansion.sources,
        tuple(pack),
        tuple(patterns),
        max_bytes,
        jobs,
        keep_text=True,
        on_worker_death=reported.worker_died,
    )
    return reported.follow(found)


@app.command("gaps")
def gaps_command(
    paths: List[str] = PathsArgument,
    pack: List[str] = PackOption,
    patterns: List[str] = PatternsOption,
    jobs: int = JobsOption,
    max_bytes: int = MaxBytesOption,
    debug: bool = DebugOption,
) -> None:
    """Numbers in indicator sentences that gave no row and were not set aside, CSV on stdout."""
    from .gaps import GAP_COLUMNS, catalogue_keywords, gaps
    from .pipeline import matcher_for

    with _errors_reported(debug), _quiet_on_broken_pipe():
        keywords = catalogue_keywords(matcher_for(tuple(pack), tuple(patterns)).patterns)
        results = _results_with_text(paths, pack, patterns, max_bytes, jobs, debug)
        found = (
            gap.cells()
            for r in results
            if r.text is not None
            for gap in gaps(r.doc, r.source.path, r.text, r.rows, keywords)
        )
        _write_csv(GAP_COLUMNS, found)
    results.exit_if_failed()


def _write_csv(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """A header and rows as CSV on stdout, each row as soon as it is made."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)


@packs_app.command("list")
def packs_list(
    patterns: List[str] = PatternsOption,
    debug: bool = DebugOption,
) -> None:
    """List the packs, their indicators and how many patterns each has."""
    from .packs import load_packs, pack_files

    with _errors_reported(debug), _quiet_on_broken_pipe():
        # Every pack, those that run only when named (gip) included.
        for loaded in load_packs(tuple(pack_files(patterns)), tuple(patterns)):
            print(f"{loaded.name}\t{loaded.title}\t{loaded.path}")
            for indicator in loaded.indicators:
                count = len(indicator.patterns)
                print(f"  {indicator.id}\t{indicator.unit}\t{count} patterns\t{indicator.name}")


@packs_app.command("check")
def packs_check(
    names: List[str] = typer.Argument(None, metavar="PACK", help="Packs to check (default all)."),
    patterns: List[str] = PatternsOption,
    debug: bool = DebugOption,
) -> None:
    """Check packs: schema, regex, and every example and counter-example."""
    from .checks import check_packs

    with _errors_reported(debug), _quiet_on_broken_pipe():
        summary, problems = check_packs(tuple(names or ()), tuple(patterns))
        for line in summary:
            print(line)
        for problem in problems:
            console.error(problem)
        if problems:
            raise PackError(f"{len(problems)} problems in the packs")


class _Interrupted(BaseException):
    """SIGINT or SIGTERM, raised where the main thread is, so that everything on the way
    out runs: output files not finished are removed, worker processes ended."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _on_signal(signum: int, frame: object) -> None:
    raise _Interrupted(128 + signum)


def run_cli() -> None:
    """Entry point: typer's usage errors exit 2; nothing else escapes as a traceback.
    Ctrl-C and SIGTERM stop the run with one "interrupted" line, exit 130 / 143."""
    import signal

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)
    try:
        app(prog_name="reportmetrics")
    except (_Interrupted, KeyboardInterrupt) as stop:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)  # one line, however many signals follow
        from .atomic import remove_unfinished
        from .pipeline import end_workers

        end_workers()
        remove_unfinished()
        console.error("interrupted")
        sys.exit(getattr(stop, "status", 130))
