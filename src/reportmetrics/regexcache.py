"""Compiled pattern regexes kept on disk, so that start-up does not compile ~100 large
regexes on every run.

`regex` pickles a compiled pattern as its compiled program, not its source, so loading
one back skips parsing and optimising: some forty times faster than compiling (about
0.01 s instead of 0.5 s for the built-in packs). The cache is one file in the user's
cache folder, valid for one `regex` version, one Python version and one set of named
lists; anything wrong with it (missing, unreadable, stale, damaged, a read-only disk)
just means compiling as before. `REPORTMETRICS_CACHE_DIR` moves it; setting it to an
empty string turns it off.

A pickle can run code, so the file is read only when it is this user's, not writable by
anyone else, in a folder (made 0700 here) that no one else can write either; and even
then only through an unpickler that knows nothing but `regex`'s compiled patterns. A file
that fails any of this is ignored, silently, and the patterns compiled afresh.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import sys
import tempfile
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

CACHE_DIR_VARIABLE = "REPORTMETRICS_CACHE_DIR"
# At most this many entries are kept: those the current run used, then the most
# recent others (packs of other selections or folders); older ones are dropped.
MAX_ENTRIES = 500


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "reportmetrics"
    try:
        return Path.home() / ".cache" / "reportmetrics"
    except RuntimeError:  # no home folder to be found: no cache
        return None


class RegexCache:
    """Compile through the cache: `compile` looks a regex up before compiling it,
    `save` writes back what was compiled."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self._lists = lists
        self._key = (regex.__version__, sys.version_info[:3], sorted((k, tuple(v)) for k, v in lists.items()))
        folder = cache_dir()
        self._path = folder / "patterns.pickle" if folder is not None else None
        self._stored = self._read()
        self._used: dict[str, Any] = {}
        self._compiled_here = False

    def compile(self, source: str) -> Any:
        """The compiled regex for `source` with the named lists; regex.error as
        compiling raises it."""
        found = self._stored.get(source)
        if found is None:
            found = regex.compile(source, ignore_unused=True, **self._lists)  # type: ignore[arg-type]
            self._compiled_here = True
        self._used[source] = found
        return found

    def save(self) -> None:
        """Write the cache when this run compiled something; never fails the run."""
        if self._path is None or not self._compiled_here:
            return
        room = max(0, MAX_ENTRIES - len(self._used))
        older = [item for item in self._stored.items() if item[0] not in self._used]
        entries = dict(older[len(older) - room :] if room else [])
        entries.update(self._used)
        folder, written = self._path.parent, None
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(os.stat(folder)):
                return  # others could replace the file: it would never be read back
            with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as handle:
                written = handle.name
                pickle.dump((self._key, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(written, self._path)
        except (OSError, pickle.PicklingError):
            if written is not None:
                with suppress(OSError):
                    os.unlink(written)
            return
        self._stored, self._compiled_here = entries, False

    def _read(self) -> dict[str, Any]:
        if self._path is None:
            return {}
        try:
            key, entries = load_private(self._path)
        except Exception:  # any damage or doubt about a cache file means: compile
            return {}
        return entries if key == self._key and isinstance(entries, dict) else {}


def load_private(path: Path) -> Any:
    """What a cache file holds, read only when this user alone can have written it (the
    file and its folder), and then only through an unpickler that knows plain data and
    compiled `regex` patterns, nothing that runs code. Raises on any doubt."""
    if not _private(os.stat(path.parent)):
        raise PermissionError(f"{path.parent}: others can write it")
    with open(path, "rb") as handle:
        if not _private(os.fstat(handle.fileno())):
            raise PermissionError(f"{path}: not this user's alone")
        return _PatternUnpickler(io.BytesIO(handle.read())).load()


def _private(status: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (group and others included)."""
    owner = os.getuid() if hasattr(os, "getuid") else status.st_uid
    return status.st_uid == owner and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class _PatternUnpickler(pickle.Unpickler):
    """Unpickles compiled `regex` patterns and plain data, and nothing else: a crafted
    file that names any other callable (os.system, say) fails to load."""

    ALLOWED = frozenset({("regex._regex", "compile"), ("builtins", "frozenset"), ("builtins", "set")})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the pattern cache")
        return super().find_class(module, name)


@lru_cache(maxsize=1)
def shared_cache() -> RegexCache:
    """The process's cache for pack patterns (read once; `cache_clear()` to reread)."""
    from .numbers import NUMBER_LISTS

    return RegexCache(NUMBER_LISTS)
