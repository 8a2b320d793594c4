"""Corpora beyond one machine's folders: DataFrames, Dask partitions, Parquet and JSON
Lines files holding one report per row."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, extract_rows, run_cli

import reportmetrics as rm

TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DATA.glob("*.txt"))}


def triples(frame: pd.DataFrame) -> list[tuple[str, str, str, int]]:
    return [(r.doc, r.indicator, str(r.value), int(r.start)) for r in frame.itertuples()]


@pytest.fixture(scope="module")
def from_files() -> pd.DataFrame:
    return rm.extract([str(SAMPLE_DATA)])


def test_extract_frame_matches_extracting_the_files(from_files) -> None:
    frame = pd.DataFrame({"doc": list(TEXTS), "text": list(TEXTS.values())})
    assert triples(rm.extract_frame(frame)) == triples(from_files)


def test_extract_frame_skips_empty_texts_and_keeps_the_columns() -> None:
    result = rm.extract_frame(pd.DataFrame({"doc": ["a", "b"], "text": ["", None]}))
    assert result.empty
    assert list(result.columns) == list(rm.extract([str(SAMPLE_DATA / "tanbu_2022.txt")]).columns)


def test_extract_frame_maps_over_dask_partitions(from_files) -> None:
    import dask.dataframe as dd

    frame = pd.DataFrame({"doc": list(TEXTS), "text": list(TEXTS.values())})
    ddf = dd.from_pandas(frame, npartitions=3)
    meta = rm.extract_frame(frame.iloc[:0])
    result = ddf.map_partitions(rm.extract_frame, meta=meta).compute(scheduler="synchronous")
    assert triples(result.reset_index(drop=True)) == triples(from_files)


def cli_triples(*args: str) -> list[tuple[str, str, str, int]]:
    return [(r["doc"], r["indicator"], r["value"], int(r["start"])) for r in extract_rows(*args)]


def test_cli_reads_a_json_lines_corpus(tmp_path: Path, from_files) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": d, "body": t}, ensure_ascii=False) + "\n" for d, t in TEXTS.items()),
        encoding="utf-8",
    )
    got = cli_triples(str(corpus), "--text-column", "body", "--id-column", "id")
    assert got == triples(from_files)


def test_cli_reads_a_parquet_corpus_with_two_jobs(tmp_path: Path, from_files) -> None:
    corpus = tmp_path / "corpus.parquet"
    pd.DataFrame({"doc": list(TEXTS), "text": list(TEXTS.values())}).to_parquet(corpus)
    assert cli_triples(str(corpus), "-j", "2") == triples(from_files)


def test_bad_corpus_rows_are_errors_naming_file_and_row(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"doc": "ok", "text": "全年审结行政复议案件12件。"}\nnot json\n{"doc": "blank", "text": ""}\n',
        encoding="utf-8",
    )
    done = run_cli("extract", str(corpus))
    errors = [line for line in done.stderr.decode().splitlines() if line.startswith("error:")]
    assert done.returncode == 1
    assert len(errors) == 2 and f"{corpus}:2" in errors[0] and f"{corpus}:3" in errors[1]
    assert f"ok,{corpus}" in done.stdout.decode()


def test_corpus_rows_are_named_by_their_line_even_after_blank_lines(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"doc": "a", "text": "审结行政复议案件12件"}\n\n{"text": "审结行政复议案件13件"}\n\n"text"\n',
        encoding="utf-8",
    )
    done = run_cli("extract", str(corpus))
    docs = [line.split(",")[0] for line in done.stdout.decode().splitlines()[1:]]
    assert docs == ["a", "corpus:3"]
    assert f"error: {corpus}:5: not a JSON object" in done.stderr.decode()
