"""The review page in Chromium: Chinese names beside the ids, a verdict CSV that Excel
opens in Chinese (UTF-8 with a byte-order mark), and marks that a page written again
keeps, since they are stored under each row's document, span and indicator."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from test_review import Watched, browser, build_results, visible_rows  # noqa: F401 (fixture)

from reportmetrics.dictionary import names
from reportmetrics.packs import load_packs
from reportmetrics.review import write_review


def export(page, tmp_path: Path) -> bytes:
    with page.expect_download() as download_info:
        page.click("#export")
    saved = tmp_path / "verdicts.csv"
    download_info.value.save_as(saved)
    return saved.read_bytes()


def test_names_bom_and_marks_kept_across_a_regenerated_page(browser, tmp_path: Path) -> None:  # noqa: F811
    results = build_results(tmp_path)
    chinese = names(load_packs())
    page_file = tmp_path / "review.html"
    write_review(iter(results), str(page_file), names=chinese)
    all_rows = [row for result in results for row in result.rows]
    watched = Watched(browser)
    page = watched.page
    try:
        watched.open(page_file)
        shown = visible_rows(page)
        assert [cells[1:3] for cells in shown] == [[r.indicator, chinese[r.indicator]] for r in all_rows]
        labels = page.eval_on_selector_all("#f-ind option", "os => os.map(o => o.textContent)")
        assert any(label.startswith("normative_documents.repealed 废止规范性文件 (") for label in labels)

        rows = page.locator("#row-body .tr")
        rows.nth(0).locator("button.ok").click()
        rows.nth(2).locator("button.no").click()
        rows.nth(2).locator("input").fill("12")
        data = export(page, tmp_path)
        assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
        exported = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert [(e["doc"], e["indicator"], e["verdict"]) for e in exported] == [
            (all_rows[0].doc, all_rows[0].indicator, "right"),
            (all_rows[2].doc, all_rows[2].indicator, "wrong"),
        ]
        assert exported[1]["evidence"] == all_rows[2].evidence

        # The page written again with a new report first: every row moves down, the page's
        # own id changes, and the two marks stay on their rows.
        (tmp_path / "aaa_2020.txt").write_text("某县2020年报告\n审结行政复议案件5件。\n", encoding="utf-8")
        from reportmetrics.load import Source
        from reportmetrics.pipeline import run

        first = list(run([Source(str(tmp_path / "aaa_2020.txt"))], keep_text=True))
        write_review(iter(first + results), str(page_file), names=chinese)
        watched.open(page_file)
        moved = len(first[0].rows)
        assert moved > 0
        marks = page.eval_on_selector_all(
            "#row-body .tr",
            "trs => trs.map(tr => ['right', 'wrong'].find(m => tr.classList.contains(m)) || '')",
        )
        assert [k for k, m in enumerate(marks) if m] == [moved, moved + 2]
        assert (marks[moved], marks[moved + 2]) == ("right", "wrong")
        assert rows.nth(moved + 2).locator("input").input_value() == "12"
        assert "2 marked (1 right, 1 wrong)" in page.inner_text("#marked")
        assert watched.errors == [] and watched.dialogs == []
    finally:
        watched.close()
