"""Output files that appear whole or not at all.

An `AtomicFile` is written as a hidden temporary file in the destination's own folder
(so the final rename never crosses file systems) and renamed over the destination only
when the writer finishes: a run that fails, is interrupted or is killed leaves the old
file as it was. The temporary file is made when the writer is opened, so an unwritable
destination fails before any input is read. Temporary files still open are removed on
every exit the process sees (an exception, Ctrl-C, SIGTERM through the CLI's handler,
`sys.exit`); only SIGKILL can leave one behind, hidden, beside the untouched old file.

A destination that exists and is not a regular file (`/dev/null`, a FIFO, a terminal)
is written directly: it cannot be replaced, and need not be.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import stat
import tempfile

from .errors import ReportMetricsError

_OPEN: set[str] = set()  # temporary files not yet renamed or removed
_OWNER = os.getpid()  # a forked worker inherits the set, but the files are not its own


class AtomicFile:
    """A destination path and the temporary file written in its place until `commit`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.direct = _is_special(path)
        if self.direct:
            try:
                self.fd = os.open(path, os.O_WRONLY)
            except OSError as exc:
                raise ReportMetricsError(f"{path}: cannot write ({exc.strerror})") from None
            self.temporary = path
            return
        folder = os.path.dirname(os.path.abspath(path))
        name = os.path.basename(path)
        if os.path.isdir(path):
            raise ReportMetricsError(f"{path}: cannot write (is a folder)")
        try:
            self.fd, self.temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise ReportMetricsError(f"{path}: cannot write ({exc.strerror})") from None
        _OPEN.add(self.temporary)

    def commit(self) -> None:
        """Rename the finished temporary file over the destination (an existing file
        keeps its permissions; a new one gets those the umask allows)."""
        if self.direct:
            return
        try:
            try:
                mode = stat.S_IMODE(os.stat(self.path).st_mode)
            except FileNotFoundError:
                mask = os.umask(0)
                os.umask(mask)
                mode = 0o666 & ~mask
            os.chmod(self.temporary, mode)
            os.replace(self.temporary, self.path)
        except OSError as exc:
            self.abort()
            raise ReportMetricsError(f"{self.path}: cannot write ({exc.strerror})") from None
        _OPEN.discard(self.temporary)

    def abort(self) -> None:
        """Remove the temporary file; the destination stays as it was."""
        if self.direct:
            return
        _remove(self.temporary)


def _is_special(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
    _OPEN.discard(path)


def remove_unfinished() -> None:
    """Remove every temporary file not yet renamed into place."""
    if os.getpid() != _OWNER:
        return
    for path in list(_OPEN):
        _remove(path)


atexit.register(remove_unfinished)
