"""The console: everything the tool says to a person goes to stderr through here.

stdout is data only. Errors are one line each, naming the input; a traceback only with
--debug. rich is imported on first use, not at start-up.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


# Characters that would act on the terminal rather than show (escape sequences, carriage
# returns, line breaks, right-to-left overrides), as a file name may hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(message: str) -> str:
    """The message with control characters shown as escapes (`\x1b`, `\n`, `\u202e`):
    one line, and nothing in it drives the terminal."""
    return _CONTROL.sub(_escape, message)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return repr(char)[1:-1] if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def say(message: str) -> None:
    """A line of chatter on stderr (never on stdout)."""
    _console().print(printable(message), markup=False)


def error(message: str) -> None:
    _console().print(f"error: {printable(message)}", style="red", markup=False)


def warning(message: str) -> None:
    _console().print(f"warning: {printable(message)}", style="yellow", markup=False)


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
