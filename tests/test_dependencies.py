"""What ships is what is used: every runtime dependency in pyproject.toml is imported by
some module of the package, and every third-party module the package imports is one."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions

import pytest
from conftest import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

SOURCE = ROOT / "src" / "reportmetrics"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    """The distribution's name in normal form: `PyYAML>=6` -> `pyyaml`."""
    bare = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert bare, requirement
    return re.sub(r"[-_.]+", "-", bare.group(0)).lower()


def imported_top_level_modules() -> set[str]:
    """Top-level names of every absolute import in the package, at any depth (the
    lazy imports inside functions too)."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.partition(".")[0])
    return found


def distributions_imported() -> set[str]:
    """Distributions the package imports, and those whose data it reads without importing
    them (the division list inside jionlp: see divisions.py)."""
    from reportmetrics.divisions import DATA_PACKAGE

    owners = packages_distributions()
    third_party = imported_top_level_modules() - set(sys.stdlib_module_names) - {"reportmetrics"}
    third_party.add(DATA_PACKAGE)
    return {_name(dist) for module in third_party for dist in owners.get(module, [module])}


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    declared = {_name(r) for r in _project()["dependencies"]}
    unused = declared - distributions_imported()
    assert not unused, f"runtime dependencies that no module imports: {sorted(unused)}"


def test_every_third_party_import_is_a_runtime_dependency() -> None:
    declared = {_name(r) for r in _project()["dependencies"]}
    undeclared = distributions_imported() - declared
    assert not undeclared, f"imported but not declared in [project] dependencies: {sorted(undeclared)}"


def test_cn2an_is_a_baseline_for_tests_and_benchmarks_only() -> None:
    project = _project()
    assert "cn2an" not in {_name(r) for r in project["dependencies"]}
    for extra in ("test", "bench"):
        assert "cn2an" in {_name(r) for r in project["optional-dependencies"][extra]}
    assert "cn2an" not in imported_top_level_modules()
