"""The review page (`reportmetrics review`): the HTML itself, then the page in a real browser.

The browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright from PyPI
(never `playwright install`); `.ci/run` installs Chromium and a CJK font, and where either
Chromium or Playwright is missing those tests skip and say why.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, run_cli

from reportmetrics.api import extract_text
from reportmetrics.load import Source
from reportmetrics.pipeline import Result, run
from reportmetrics.review import script_json, write_review

EVIL = "</script><img src=x onerror=alert(1)>"
EVIL_TEXT = (
    "某某市2021年法治政府建设年度报告\n"
    f"全年共收到行政复议申请12件{EVIL}，审结行政复议案件10件。<!-- & \u2028 --> <b>粗</b>\n"
)
QUIET_TEXT = "某某县2022年法治政府建设年度报告\n本年度持续推进依法行政，各项工作稳步开展。\n"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_results(folder: Path) -> list[Result]:
    """The five samples, a report holding `</script>` and markup, a report with no rows,
    and an empty file (an error)."""
    (folder / "evil_2021.txt").write_text(EVIL_TEXT, encoding="utf-8")
    (folder / "quiet_2022.txt").write_text(QUIET_TEXT, encoding="utf-8")
    (folder / "blank.txt").write_text("", encoding="utf-8")
    paths = sorted(str(p) for p in SAMPLE_DATA.glob("*.txt"))
    paths += [str(folder / name) for name in ("evil_2021.txt", "quiet_2022.txt", "blank.txt")]
    return list(run([Source(p) for p in paths], keep_text=True))


def data_blocks(page: str) -> tuple[list[dict], dict]:
    data = re.search(r'<script type="application/json" id="rm-data">(.*?)</script>', page, re.S)
    meta = re.search(r'<script type="application/json" id="rm-meta">(.*?)</script>', page, re.S)
    assert data and meta
    return json.loads(data.group(1)), json.loads(meta.group(1))


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> list[Result]:
    return build_results(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def page_file(results, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "review.html"
    write_review(iter(results), str(path))
    return path


# ---- the HTML ------------------------------------------------------------------------------


def test_script_json_escapes_what_could_end_a_script_and_reads_back() -> None:
    value = {"text": f"a{EVIL}<!-- b & c \u2028 d \u2029 e -->", "n": [1, "x>y"]}
    text = script_json(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_report_text_cannot_break_out_of_the_data_block(page_file: Path, results) -> None:
    page = page_file.read_text(encoding="utf-8")
    assert EVIL not in page
    assert "<img" not in page and "<b>" not in page
    # Exactly the page's own elements: two data blocks and one script.
    assert page.count("</script>") == 3
    assert page.lower().count("<script") == 3
    docs, _ = data_blocks(page)
    by_doc = {d["doc"]: d for d in docs}
    assert by_doc["evil_2021"]["text"] == EVIL_TEXT


def test_page_is_self_contained_and_only_its_own_script_may_run(page_file: Path) -> None:
    page = page_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<link\b|<script[^>]*\bsrc=|<iframe|<object|<embed", page, re.I)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in style and "@import" not in style
    assert "http://" not in page.split('id="rm-data"')[0]  # nothing in head or chrome
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy and "default-src 'none'" in policy.group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in policy.group(1)
    assert "<style>" in page and "innerHTML" not in script


def test_every_document_is_listed_with_its_rows_text_and_error(page_file: Path, results) -> None:
    docs, meta = data_blocks(page_file.read_text(encoding="utf-8"))
    assert [d["doc"] for d in docs] == [r.doc for r in results]
    assert len(docs) == 8
    by_doc = {d["doc"]: d for d in docs}
    assert by_doc["blank"]["error"] and "empty" in by_doc["blank"]["error"]
    assert by_doc["blank"]["rows"] == [] and by_doc["blank"]["text"] is None
    assert by_doc["quiet_2022"]["rows"] == [] and by_doc["quiet_2022"]["error"] is None
    assert by_doc["huadu_2020"]["region"] == "广州市花都区" and by_doc["huadu_2020"]["year"] == 2020
    assert meta["counts"]["documents"] == 8 and meta["counts"]["errors"] == 1
    assert meta["counts"]["rows"] == sum(len(r.rows) for r in results)
    for doc, result in zip(docs, results, strict=True):
        assert len(doc["rows"]) == len(result.rows)
        for cells, row in zip(doc["rows"], result.rows, strict=True):
            ind, value, unit, qualifier, raw, start, end, raw_start, raw_end, pattern = cells
            assert meta["indicators"][ind] == row.indicator
            assert Decimal(value) == row.value and "E" not in value
            assert (unit, qualifier, raw, start, end, pattern) == (
                row.unit,
                row.qualifier,
                row.raw,
                row.start,
                row.end,
                row.pattern,
            )
            text = doc["text"]
            assert text[start:end] == row.evidence
            assert text[raw_start:raw_end] == row.raw
            assert start <= raw_start < raw_end <= end


def test_overlapping_evidence_puts_each_value_where_it_is() -> None:
    text = "废止6件市政府规范性文件和7件部门规范性文件。审查备案政府规范性文件7件,部门规范性文件7件。"
    rows = extract_text(text)
    spans = [(row.raw_start, row.raw_end) for row in rows]
    assert [text[s:e] for s, e in spans] == ["6", "7", "7", "7"]
    assert len(set(spans)) == 4  # the two 7s after one verb are two places, not one
    assert all(row.start <= s < e <= row.end for row, (s, e) in zip(rows, spans, strict=True))


def test_cli_writes_the_page_and_lists_unreadable_inputs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "blank.txt").write_text("", encoding="utf-8")
    for sample in SAMPLE_DATA.glob("*.txt"):
        (tmp_path / "in" / sample.name).write_bytes(sample.read_bytes())
    out = tmp_path / "review.html"
    done = run_cli("review", str(tmp_path / "in"), "-o", str(out))
    assert done.returncode == 1  # an input could not be read; the page is still written
    assert "blank.txt: empty file" in done.stderr.decode()
    docs, meta = data_blocks(out.read_text(encoding="utf-8"))
    assert len(docs) == 6 and meta["counts"]["errors"] == 1
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".review-")]
    done = run_cli("review", str(SAMPLE_DATA), "-o", str(out))
    assert done.returncode == 0, done.stderr
    done = run_cli("review", str(SAMPLE_DATA), "-o", str(tmp_path / "missing" / "review.html"))
    assert done.returncode == 1
    assert "cannot write" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
    done = run_cli("review", str(SAMPLE_DATA / "huadu_2020.txt"), "-o", "-")
    assert done.returncode == 0 and done.stdout.startswith(b"<!DOCTYPE html>")


# ---- in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is missing: pip install playwright (never playwright install)",
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with every dialog, page error, console error and request recorded."""

    def __init__(self, browser, **options) -> None:
        self.context = browser.new_context(
            viewport={"width": 1500, "height": 900}, accept_downloads=True, **options
        )
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> float:
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_selector('body[data-ready="1"]', state="attached", timeout=20_000)
        return time.perf_counter() - started

    def close(self) -> None:
        self.context.close()


def in_view(page, selector: str) -> bool:
    """The element is inside both the window and its scrolling pane."""
    return page.eval_on_selector(
        selector,
        """el => {
            const box = el.getBoundingClientRect();
            const pane = el.closest('.reader, .side').getBoundingClientRect();
            return box.height > 0 && box.top >= pane.top && box.bottom <= pane.bottom
                && box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
    )


def visible_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#row-body .tr:not([hidden])",
        "trs => trs.map(tr => [...tr.children].slice(0, 5).map(td => td.textContent))",
    )


def test_click_filter_mark_and_export_in_chromium(browser, results, page_file, tmp_path: Path) -> None:
    watched = Watched(browser)
    page = watched.page
    try:
        watched.open(page_file)
        all_rows = [row for result in results for row in result.rows]
        assert page.locator("#row-body .tr").count() == len(all_rows)
        assert page.locator("#doc-list li").count() == 8

        # The report holding </script> and markup: shown literally, nothing runs or loads.
        page.locator("#doc-list button", has_text="evil_2021").click()
        assert page.get_attribute("body", "data-shown-doc") == "evil_2021"
        shown = page.inner_text("#text")
        assert EVIL in shown and "<b>粗</b>" in shown
        assert page.locator("#text img, #text b, img").count() == 0
        assert page.locator("#text .val").count() == 2

        # A report with no rows and an unreadable one are listed and say so.
        page.locator("#doc-list button", has_text="quiet_2022").click()
        assert "No indicator found" in page.inner_text("#text")
        page.locator("#doc-list button", has_text="blank").click()
        assert "empty file" in page.inner_text("#doc-error")
        assert page.is_visible("#doc-error")
        page.select_option("#f-doc", "")

        # Click a row: its report opens, the value scrolls into view and is highlighted.
        target = next(
            k
            for k, row in enumerate(all_rows)
            if row.indicator == "normative_documents.repealed" and row.raw == "7"
        )
        page.locator("#row-body .tr").nth(target).locator(".doc").click()
        assert page.get_attribute("body", "data-shown-doc") == "zhaoqing_2023"
        assert page.locator("#text .val.current").count() == 1
        assert page.inner_text("#text .val.current") == "7"
        assert in_view(page, "#text .val.current")
        assert "current" in page.locator("#row-body .tr").nth(target).get_attribute("class")
        # The overlapping evidence (废止6件… inside 废止6件…和7件…) is underlined twice.
        assert page.locator("#text .ev.d2", has_text="废止").count() == 1
        # The last mention of a long report, far down its text, also comes into view.
        last = max(k for k, row in enumerate(all_rows) if row.doc == "liuyang_2020")
        page.locator("#row-body .tr").nth(last).locator(".num").click()
        assert page.inner_text("#text .val.current") == all_rows[last].raw
        assert in_view(page, "#text .val.current")
        assert page.eval_on_selector(".reader", "el => el.scrollTop") > 0

        # Hovering a value shows its indicator, value, unit, qualifier and pattern.
        page.hover("#text .val.current")
        tip = page.inner_text("#tip")
        for expected in (
            all_rows[last].indicator,
            all_rows[last].unit,
            all_rows[last].qualifier,
            all_rows[last].pattern,
        ):
            assert expected in tip

        # Filters: by indicator, then by document as well.
        page.select_option("#f-ind", "normative_documents.repealed")
        shown_rows = visible_rows(page)
        assert len(shown_rows) == sum(r.indicator == "normative_documents.repealed" for r in all_rows)
        assert all(cells[1] == "normative_documents.repealed" for cells in shown_rows)
        page.select_option("#f-ind", "enforcement.officers")
        page.select_option(
            "#f-doc",
            label=next(
                o
                for o in page.eval_on_selector_all("#f-doc option", "os => os.map(o => o.textContent)")
                if o.startswith("huadu_2020")
            ),
        )
        shown_rows = visible_rows(page)
        expected = [r for r in all_rows if r.doc == "huadu_2020" and r.indicator == "enforcement.officers"]
        assert [cells[0] for cells in shown_rows] == ["huadu_2020"] * len(expected) and expected
        assert page.get_attribute("body", "data-shown-doc") == "huadu_2020"
        page.select_option("#f-ind", "")
        page.select_option("#f-doc", "")
        assert len(visible_rows(page)) == len(all_rows)

        # Mark rows right and wrong, type a right value, and export.
        rows = page.locator("#row-body .tr")
        rows.nth(0).locator("button.ok").click()
        rows.nth(1).locator("button.no").click()
        rows.nth(1).locator("input").fill("15")
        rows.nth(2).locator("input").fill("2,5")  # a value alone marks the row wrong
        rows.nth(3).locator("button.ok").click()
        rows.nth(3).locator("button.ok").click()  # pressed again: unmarked
        assert rows.nth(0).locator("button.ok").get_attribute("aria-pressed") == "true"
        assert "3 marked (1 right, 2 wrong)" in page.inner_text("#marked")
        page.select_option("#f-ver", "wrong")
        assert len(visible_rows(page)) == 2
        page.select_option("#f-ver", "")
        with page.expect_download() as download_info:
            page.click("#export")
        download = download_info.value
        assert download.suggested_filename == "verdicts.csv"
        saved = tmp_path / "verdicts.csv"
        download.save_as(saved)
        exported = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
        assert list(exported[0]) == [
            "doc",
            "path",
            "indicator",
            "value",
            "start",
            "end",
            "verdict",
            "corrected_value",
            "evidence",
        ]
        assert [(e["verdict"], e["corrected_value"]) for e in exported] == [
            ("right", ""),
            ("wrong", "15"),
            ("wrong", "2,5"),
        ]
        for line, row in zip(exported, all_rows[:3], strict=True):
            assert line["doc"] == row.doc and line["indicator"] == row.indicator
            assert line["path"] == row.path
            assert Decimal(line["value"]) == row.value
            cells = (int(line["start"]), int(line["end"]), line["evidence"])
            assert cells == (row.start, row.end, row.evidence)

        # Verdicts survive a reload of the page (kept in the browser's storage).
        watched.open(page_file)
        assert "3 marked" in page.inner_text("#marked")

        page.locator("#row-body .tr").nth(target).locator(".doc").click()
        page.hover("#text .val.current")
        shot = tmp_path / "review.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")

        assert watched.dialogs == []
        assert watched.errors == []
        assert [url for url in watched.requests if url != page_file.as_uri()] == []
    finally:
        watched.close()


def many_results(results: list[Result], count: int = 200) -> list[Result]:
    """`count` reports from the samples: renamed, each with a line of its own at the end
    (offsets stay valid), and one in twenty an error."""
    readable = [r for r in results if r.error is None and r.rows]
    made = []
    for k in range(count):
        base = readable[k % len(readable)]
        doc = f"{base.doc}_{k:03d}"
        if k % 20 == 19:
            made.append(
                dataclasses.replace(
                    base,
                    source=Source(f"many/{doc}.txt"),
                    doc=doc,
                    rows=(),
                    text=None,
                    error=results[-1].error,
                )
            )
            continue
        made.append(
            dataclasses.replace(
                base, source=Source(f"many/{doc}.txt"), doc=doc, text=base.text + f"\n（第{k}份）\n"
            )
        )
    return made


FILTER_TIMED = """([selector, value]) => {
    const select = document.querySelector(selector);
    const started = performance.now();
    select.value = value;
    select.dispatchEvent(new Event('change'));
    void document.body.offsetHeight;  // the layout the change causes
    return [performance.now() - started, Number(document.body.dataset.visibleRows)];
}"""


def test_two_hundred_reports_open_in_2_s_and_filter_in_200_ms(browser, results, tmp_path: Path) -> None:
    made = many_results(results)
    path = tmp_path / "review200.html"
    write_review(iter(made), str(path))
    watched = Watched(browser)
    page = watched.page
    try:
        wall = watched.open(path)
        ready_at = float(page.get_attribute("body", "data-ready-at"))
        n_rows = sum(len(r.rows) for r in made)
        print(
            f"200 reports: {path.stat().st_size / 1e6:.2f} MB, {n_rows} rows, "
            f"ready {ready_at:.0f} ms after navigation, {wall * 1000:.0f} ms wall"
        )
        assert ready_at < 2000
        assert wall < 2.0
        assert page.locator("#doc-list li").count() == 200

        timings = {}
        for selector, value in [
            ("#f-ind", "normative_documents.repealed"),
            ("#f-ind", "reconsideration.cases_concluded"),
            ("#f-doc", "57"),
            ("#f-ind", ""),
            ("#f-doc", ""),
        ]:
            elapsed, visible = page.evaluate(FILTER_TIMED, [selector, value])
            timings[f"{selector}={value}"] = elapsed
            assert visible == len(visible_rows(page))
        print("filter ms:", {k: round(v, 1) for k, v in timings.items()})
        assert max(timings.values()) < 200
        assert len(visible_rows(page)) == n_rows

        page.locator("#row-body .tr").nth(n_rows - 1).locator(".doc").click()
        assert in_view(page, "#text .val.current")
        page.screenshot(path=str(tmp_path / "review200.png"))
        assert watched.errors == [] and watched.dialogs == []
    finally:
        watched.close()
