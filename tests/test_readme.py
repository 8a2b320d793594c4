"""The README is true: it renders (checked with a CommonMark parser), and every shell and
Python block in it runs, the way sqlite-utils tests its documentation.

Shell blocks run with bash in a sandbox folder that holds the `reports/`, `corpus/`,
`gold.jsonl`, ... they name (`scripts/make_docs.py` makes it); a `console` block must print
exactly what it shows; Python blocks run in order in one namespace, as a reader would
type them, `>>>` blocks as doctests. A block marked `readme-test: skip network: ...` or
`skip cluster: ...` is skipped with that reason; no other reason is accepted.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
assert spec is not None and spec.loader is not None
make_docs = importlib.util.module_from_spec(spec)
sys.modules["make_docs"] = make_docs
spec.loader.exec_module(make_docs)

TEXT = make_docs.README.read_text(encoding="utf-8")
BLOCKS = make_docs.readme_blocks(TEXT)
RUNNABLE = ("sh", "console", "python")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_docs.make_sandbox(tmp_path_factory.mktemp("readme"))


def expected_headings(text: str) -> list[str]:
    """Headings as a reader of the source sees them: `#` lines outside ``` fences."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            found.append(line.lstrip("#").strip())
    return found


def test_every_heading_renders_as_a_heading() -> None:
    tokens = make_docs.readme_tokens(TEXT)
    rendered = [tokens[k + 1].content for k, t in enumerate(tokens) if t.type == "heading_open"]
    assert rendered == expected_headings(TEXT)
    assert "Development" in rendered and "Library" in rendered


def test_every_code_block_is_fenced_with_a_language_and_closed() -> None:
    for block in BLOCKS:
        assert block.language in RUNNABLE, f"{block.name}: fence a block as sh, console or python"
        assert "```" not in block.code, f"{block.name}: a fence inside a block (one left open?)"


def test_blocks_are_skipped_only_for_a_network_or_a_cluster() -> None:
    marked = [block.skip for block in BLOCKS if block.skip]
    assert marked, "the set-up commands (pip install) are marked"
    for kind, reason in marked:
        assert kind in make_docs.SKIP_KINDS and reason


def test_the_set_up_commands_come_first() -> None:
    first, second = BLOCKS[0], BLOCKS[1]
    assert first.code.strip().endswith("pip install . && reportmetrics extract sample_data/")
    assert second.code.strip().endswith('pip install ".[test]" && python -m pytest')
    assert second.code.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_first_set_up_command_runs_after_its_install(sandbox: Path) -> None:
    after_install = BLOCKS[0].code.strip().rpartition("pip install . && ")[2]
    done = make_docs.run_shell(after_install, sandbox)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("doc,path,")
    assert len(done.stdout.decode().splitlines()) > 10


_NAMESPACE: dict[str, Any] = {}


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_readme_block_runs(block, sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if block.skip:
        assert block.skip[0] in make_docs.SKIP_KINDS
        pytest.skip(f"{block.skip[0]}: {block.skip[1]}")
    if block.language == "sh":
        done = make_docs.run_shell(block.code, sandbox)
        assert done.returncode == 0, done.stderr.decode()
    elif block.language == "console":
        assert make_docs.console_output(block, sandbox) == block.code, (
            "the output shown is stale: run python scripts/make_docs.py"
        )
    else:
        monkeypatch.chdir(sandbox)
        run_python(block, _NAMESPACE)


def run_python(block, namespace: dict[str, Any]) -> None:
    if block.code.lstrip().startswith(">>>"):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.code, namespace, block.name, "README.md", block.first + 1)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        failures = []
        runner.run(test, out=failures.append, clear_globs=False)
        assert runner.failures == 0, "".join(failures)
    else:
        exec(compile(block.code, f"README.md:{block.first + 2}", "exec"), namespace)


def block_with(words: str):
    (found,) = [b for b in BLOCKS if words in b.code and b.language == "python"]
    return found


def test_the_dask_example_writes_parquet_with_exact_decimal_values(
    sandbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import reportmetrics as rm

    shutil.copytree(sandbox / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    run_python(block_with("dd.read_parquet"), {})
    table = pq.read_table(tmp_path / "metrics")
    assert table.schema.field("value").type == pa.decimal128(38, 6)
    columns = ("doc", "start", "value")
    written = sorted(zip(*(table[c].to_pylist() for c in columns), strict=True))
    expected = rm.extract(sandbox / "sample_data")
    assert written == sorted(zip(*(expected[c] for c in columns), strict=True))
    assert all(isinstance(v, Decimal) for _, _, v in written)
    assert any(v != v.to_integral_value() for _, _, v in written), "a rate with decimals, kept exactly"


def test_the_spark_partition_function_gives_exact_strings_in_the_schema_columns(sandbox: Path) -> None:
    namespace: dict[str, Any] = {}
    run_python(block_with("def extract_partitions"), namespace)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((sandbox / "sample_data").glob("*.txt"))}
    frames = [pd.DataFrame({"doc": [d], "text": [t]}) for d, t in texts.items()]
    out = pd.concat(list(namespace["extract_partitions"](iter(frames))))
    columns = [part.split("`")[1] for part in namespace["SCHEMA"].split(", ")]
    assert list(out.columns) == columns
    assert all(isinstance(v, str) for v in out["value"])
    assert [Decimal(v) for v in out["value"]] == list(pd.concat(map(_extract_frame, frames))["value"])
    assert "`value` string" in namespace["SCHEMA"] and "`start` long" in namespace["SCHEMA"]


def _extract_frame(frame: pd.DataFrame) -> pd.DataFrame:
    import reportmetrics as rm

    return rm.extract_frame(frame)
