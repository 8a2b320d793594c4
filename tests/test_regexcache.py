"""Compiled patterns kept on disk: a later run reads them instead of compiling, and
nothing wrong with the cache can fail a run."""

from __future__ import annotations

import pickle

import pytest
import regex

from reportmetrics import regexcache
from reportmetrics.match import Matcher
from reportmetrics.packs import load_packs
from reportmetrics.regexcache import CACHE_DIR_VARIABLE, shared_cache

TEXT = "2023年，区政府共收到行政复议申请86件，纠错率为16.2%，主动公开政府信息1,204条。"


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path))
    shared_cache.cache_clear()
    yield tmp_path / "patterns.pickle"
    shared_cache.cache_clear()


def _values(packs) -> list[tuple[str, str]]:
    return [(m.pattern.indicator, str(m.number.value)) for m in Matcher(packs).mentions(TEXT)]


def _no_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled although the cache holds the pattern")

    monkeypatch.setattr(regexcache.regex, "compile", refuse)


def test_a_second_load_reads_the_compiled_patterns_and_matches_the_same(cache_in, monkeypatch) -> None:
    first = load_packs()
    assert cache_in.is_file()
    expected = _values(first)
    assert len(expected) == 3
    shared_cache.cache_clear()
    _no_compiling(monkeypatch)
    assert _values(load_packs()) == expected


def test_a_damaged_cache_file_is_ignored_and_written_anew(cache_in) -> None:
    cache_in.write_bytes(b"\x80\x04not a pickle")
    assert len(_values(load_packs())) == 3
    key, entries = pickle.loads(cache_in.read_bytes())
    assert key[0] == regex.__version__ and len(entries) == sum(len(p.patterns) for p in load_packs())


def test_a_cache_of_another_regex_version_is_not_used(cache_in, monkeypatch) -> None:
    load_packs()
    key, entries = pickle.loads(cache_in.read_bytes())
    stale = ("0.0", *key[1:])
    cache_in.write_bytes(pickle.dumps((stale, {source: regex.compile("x") for source in entries})))
    shared_cache.cache_clear()
    assert len(_values(load_packs())) == 3


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_DIR_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shared_cache.cache_clear()
    try:
        assert regexcache.cache_dir() is None
        assert len(_values(load_packs())) == 3
        assert list(tmp_path.iterdir()) == []
    finally:
        shared_cache.cache_clear()


def test_a_cache_folder_that_cannot_be_made_does_not_fail_the_run(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("in the way")
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(blocker / "cache"))
    shared_cache.cache_clear()
    try:
        assert len(_values(load_packs())) == 3
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]
    finally:
        shared_cache.cache_clear()
