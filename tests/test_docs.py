"""docs/ is what the packs and the spec say: the catalogue page is generated from the
packs, the contract and the gold format are copies of the spec, and the README links
them."""

from __future__ import annotations

import pytest
from conftest import ROOT, needs_shared
from test_readme import make_docs

from reportmetrics.catalogue import CATALOGUE

DOCS = ROOT / "docs"


def test_the_catalogue_page_is_what_the_packs_make() -> None:
    committed = (DOCS / "indicators.md").read_text(encoding="utf-8")
    assert committed == make_docs.catalogue_page(), "run python scripts/make_docs.py"


def test_the_catalogue_page_gives_each_id_its_chinese_name_unit_and_meaning() -> None:
    rows = {
        line.split("|")[1].strip(" `"): [cell.strip() for cell in line.split("|")[2:5]]
        for line in (DOCS / "indicators.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    assert set(CATALOGUE) <= set(rows)
    for ident, unit in CATALOGUE.items():
        name, shown_unit, meaning = rows[ident]
        assert shown_unit == unit
        assert name and not name.isascii(), ident
        assert meaning and meaning.isascii(), ident
    assert rows["reconsideration.terminated"][0] == "终止"


@needs_shared()
@pytest.mark.parametrize("page", sorted(make_docs.COPIES))
def test_the_contract_and_gold_pages_copy_the_spec(page: str) -> None:
    assert (DOCS / page).read_text(encoding="utf-8") == make_docs.copied_page(page)


def test_the_readme_links_every_page_of_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted(DOCS.glob("*.md")):
        assert f"](docs/{page.name})" in readme, page.name


def test_the_docs_link_each_other_and_nothing_outside_the_repository() -> None:
    for page in DOCS.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "spec/" not in text, page.name
