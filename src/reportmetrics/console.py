"""The console: everything the tool says to a person goes to stderr through here.

stdout is data only. Errors are one line each, naming the input; a traceback only with
--debug. rich is imported on first use, not at start-up.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """A line of chatter on stderr (never on stdout)."""
    _console().print(message, markup=False)


def error(message: str) -> None:
    _console().print(f"error: {message}", style="red", markup=False)


def warning(message: str) -> None:
    _console().print(f"warning: {message}", style="yellow", markup=False)


def traceback() -> None:
    _console().print_exception()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def progress(total: int) -> Any:
    """A progress bar on stderr: files done, rows found, errors."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rows]} rows, {task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
    )
