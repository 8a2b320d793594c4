"""Trust under hostile and unlucky input (issue 16): no formula cells, no memory bombs,
no half-written or clobbered files, no hung or crashed batches, no code from the cache,
no silent loss. Every fixture is built here, small: a bomb is a few lines of zipfile."""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, csv_records, run_cli

from reportmetrics import extract_text
from reportmetrics.decode import decode_text
from reportmetrics.errors import InputError
from reportmetrics.load import Source, read_source
from reportmetrics.output import XLSX_MAX_CELL, excel_text, open_writer
from reportmetrics.rows import COLUMNS

REPORT = "2023年，区政府共收到行政复议申请86件，纠错率为16.2%，主动公开政府信息1,204条。\n"


# --- decoding -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_chinese_without_byte_order_mark_is_read(encoding: str) -> None:
    text = REPORT * 10
    assert decode_text(text.encode(encoding), "r.txt") == text


def test_utf16_english_without_byte_order_mark_is_read() -> None:
    text = "Annual report 2023, 86 cases\n" * 10
    assert decode_text(text.encode("utf-16-le"), "r.txt") == text


def test_broken_utf16_without_byte_order_mark_is_called_what_it_is() -> None:
    data = ("Annual report 2023\n" * 20).encode("utf-16-le") + b"\x3d\xd8"  # a lone surrogate
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        decode_text(data, "r.txt")


def test_the_html_reader_does_not_import_load_so_there_is_no_cycle() -> None:
    code = "import sys, reportmetrics.formats.html; print('reportmetrics.load' in sys.modules)"
    env_path = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": env_path}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# --- spreadsheets: text is never a formula ---------------------------------------------

EVIL = '=HYPERLINK("evil.example","y")'


@pytest.fixture
def evil_report(tmp_path: Path) -> Path:
    path = tmp_path / f"{EVIL}.txt"
    path.write_text(REPORT * 3, encoding="utf-8")
    return path


def _formula_cells(path: Path) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("wide", [False, True], ids=["long", "wide"])
def test_xlsx_text_cells_are_strings_never_formulas(tmp_path: Path, evil_report: Path, wide: bool) -> None:
    import openpyxl

    out = tmp_path / "out.xlsx"
    done = run_cli("extract", str(evil_report), "-o", str(out), *(["--wide"] if wide else []))
    assert done.returncode == 0, done.stderr.decode()
    assert _formula_cells(out) == []
    docs = [row[0] for row in openpyxl.load_workbook(out)["rows"].iter_rows(min_row=2, values_only=True)]
    assert docs and set(docs) == {EVIL}


@pytest.mark.parametrize("wide", [False, True], ids=["long", "wide"])
def test_excel_csv_defuses_formula_text_and_plain_csv_stays_raw(evil_report: Path, wide: bool) -> None:
    extra = ["--wide"] if wide else []
    excel = run_cli("extract", str(evil_report), "--excel", *extra)
    plain = run_cli("extract", str(evil_report), *extra)
    assert excel.returncode == plain.returncode == 0
    excel_rows = csv_records(excel.stdout.removeprefix("\ufeff".encode()))
    plain_rows = csv_records(plain.stdout)
    assert {r["doc"] for r in excel_rows} == {"'" + EVIL}
    assert {r["doc"] for r in plain_rows} == {EVIL}
    assert {r["path"][:1] for r in excel_rows} != {"="}


@pytest.mark.parametrize("text", ["=1+2", "+1", "-A1", "@SUM(A1)", "\tx", "\rx"])
def test_excel_text_prefixes_every_formula_start(text: str) -> None:
    assert excel_text(text) == "'" + text


def test_excel_text_leaves_numbers_and_plain_text() -> None:
    assert excel_text("行政复议") == "行政复议"
    assert excel_text(Decimal("-3")) == Decimal("-3")
    assert excel_text(None) is None


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_verdict_csv_of_the_review_page_defuses_formula_text() -> None:
    script = (ROOT / "src/reportmetrics/review_assets/review.js").read_text(encoding="utf-8")
    start = script.index("  var csvCell = function")
    end = script.index("  var verdictCsv = function")
    probe = (
        script[start:end]
        + """
  var row = ['=cmd|x', 'reconsideration.cases', '-3', 10, 20, 'wrong', '-5', '@SUM(A1)'];
  console.log(JSON.stringify(row.map(cell)));
  console.log(JSON.stringify(['a', 'b', 1, 2, 3, 'right', '=2+2', 'x'].map(cell)));
"""
    )
    done = subprocess.run(["node", "-e", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first == ["'=cmd|x", "reconsideration.cases", "-3", "10", "20", "wrong", "-5", "'@SUM(A1)"]
    assert second[6] == "'=2+2"


# --- Excel's limits: nothing lost ------------------------------------------------------


MENTION = "审结行政复议案件12件。"


def test_xlsx_cell_over_excels_limit_continues_in_the_overflow_sheet(tmp_path: Path) -> None:
    import openpyxl

    report = tmp_path / "many.txt"
    report.write_text("2023年法治政府建设年度报告\n" + MENTION * 1500, encoding="utf-8")
    done = run_cli("extract", str(report), "--wide", "-o", str(tmp_path / "w.xlsx"))
    assert done.returncode == 0, done.stderr.decode()
    assert "over Excel's 32,767 per cell" in done.stderr.decode()
    whole = run_cli("extract", str(report), "--wide", "-f", "jsonl")
    notes = json.loads(whole.stdout)["notes"]
    assert len(notes) > XLSX_MAX_CELL
    book = openpyxl.load_workbook(tmp_path / "w.xlsx")
    header, row = list(book["rows"].iter_rows(values_only=True))
    cell = row[header.index("notes")]
    assert len(cell) <= XLSX_MAX_CELL and "overflow" in cell
    parts = list(book["overflow"].iter_rows(min_row=2, values_only=True))
    assert "".join(part[-1] for part in parts) == notes
    assert all(len(part[-1]) <= XLSX_MAX_CELL for part in parts)


def test_xlsx_rows_past_the_sheet_limit_go_on_in_a_next_sheet(tmp_path: Path, monkeypatch, capsys) -> None:
    import openpyxl

    from reportmetrics import output
    from reportmetrics.load import Source
    from reportmetrics.pipeline import run

    monkeypatch.setattr(output, "XLSX_MAX_ROWS", 4)  # a header and 3 rows a sheet, for the test
    report = tmp_path / "eight.txt"
    report.write_text(MENTION * 8, encoding="utf-8")
    results = list(run([Source(str(report))]))
    assert results[0].count == 8
    writer = open_writer("xlsx", str(tmp_path / "r.xlsx"))
    for result in results:
        writer.add(result)
    writer.close()
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["rows", "rows 2", "rows 3"]
    at = COLUMNS.index("start")
    starts = [r[at] for s in book.worksheets for r in s.iter_rows(min_row=2, values_only=True)]
    assert starts == [row.start for row in results[0].rows]
    assert all(next(s.iter_rows(values_only=True))[0] == "doc" for s in book.worksheets)
    assert capsys.readouterr().err.count("Excel's limit for one sheet") == 2


def test_xlsx_control_characters_in_a_name_are_shown_not_a_crash(tmp_path: Path) -> None:
    import openpyxl

    report = tmp_path / "a\x01b.txt"
    report.write_text(REPORT, encoding="utf-8")
    done = run_cli("extract", str(report), "-o", str(tmp_path / "c.xlsx"))
    assert done.returncode == 0, done.stderr.decode()
    rows = openpyxl.load_workbook(tmp_path / "c.xlsx")["rows"].iter_rows(min_row=2, values_only=True)
    assert next(rows)[0] == "a\\x01b"


# --- bounded reading: bombs refused before parsing ---------------------------------------


def _docx(path: Path, document_xml: bytes) -> Path:
    """A minimal .docx whose body is `document_xml`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document_xml)
    return path


CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraphs(count: int) -> bytes:
    para = "<w:p><w:r><w:t>" + REPORT.strip() + "</w:t></w:r></w:p>"
    return f"<w:document {W}><w:body>{para * count}</w:body></w:document>".encode()


def test_docx_expanding_beyond_max_bytes_is_refused_before_parsing_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    bomb = _docx(tmp_path / "bomb.docx", _paragraphs(60_000))  # about 8 MB of XML, 60 kB zipped
    assert bomb.stat().st_size < 1_000_000
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    done = run_cli("extract", str(bomb), str(report), "--max-bytes", "16000000")
    assert done.returncode == 1
    assert done.stderr.decode().count("error:") == 1
    message = r"bomb\.docx: expands to 8\.\d MB, over the 2\.0 MB a zip package may expand to"
    assert re.search(message, done.stderr.decode())
    assert {r["doc"] for r in csv_records(done.stdout)} == {"report"}


def test_docx_part_with_an_absurd_compression_ratio_is_refused(tmp_path: Path) -> None:
    blank = b"<w:p/>" * 1_500_000  # 9 MB that zip to a few kB
    xml = f"<w:document {W}><w:body>".encode() + blank + b"</w:body></w:document>"
    bomb = _docx(tmp_path / "ratio.docx", xml)
    with pytest.raises(InputError, match=r"part word/document.xml expands [\d,]+ times"):
        read_source(Source(str(bomb)))


def test_docx_within_the_bounds_is_read(tmp_path: Path) -> None:
    document = read_source(Source(str(_docx(tmp_path / "ok.docx", _paragraphs(3)))))
    assert document.text == REPORT * 3


def test_docx_with_entity_expansion_is_still_refused(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{k} "{f"&l{k - 1};" * 10}">' for k in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{laughs}]>'
    xml += f"<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    with pytest.raises(InputError, match=r"not a readable \.docx"):
        read_source(Source(str(_docx(tmp_path / "laughs.docx", xml.encode()))))


def _pdf_with_stream(path: Path, stream: bytes) -> Path:
    """A one-page PDF whose page content is `stream` (already Flate-compressed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("layers", [1, 2], ids=["flate", "flate-in-flate"])
def test_pdf_stream_expanding_beyond_max_bytes_is_refused(tmp_path: Path, layers: int) -> None:
    stream = b"0 0 m 1 1 l S\n" * 600_000  # 8.4 MB of drawing
    for _ in range(layers):
        stream = zlib.compress(stream, 9)
    bomb = _pdf_with_stream(tmp_path / "bomb.pdf", stream)
    with pytest.raises(InputError, match=r"a compressed stream expands to over 2\.0 MB"):
        read_source(Source(str(bomb)), max_bytes=2_000_000)


def test_pdf_stream_within_the_bound_goes_to_the_reader(tmp_path: Path) -> None:
    small = _pdf_with_stream(tmp_path / "small.pdf", zlib.compress(b"0 0 m 1 1 l S\n" * 100))
    with pytest.raises(InputError, match="no text layer"):  # read, and found to have no text
        read_source(Source(str(small)), max_bytes=2_000_000)


# --- output: whole or not at all, never over an input ----------------------------------

linux_proc = pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc")


def _start_cli(*args: str, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", "from reportmetrics.cli import run_cli; run_cli()", *args]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_until_blocked_on_fifo(parent: int, timeout: float = 60) -> int:
    """The process of `parent`'s tree (itself or a worker) that waits to open a FIFO."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in [parent, *_children(parent)]:
            try:
                if (
                    "fifo" in Path(f"/proc/{pid}/wchan").read_text()
                    or "partner" in Path(f"/proc/{pid}/wchan").read_text()
                ):
                    return pid
            except OSError:
                continue
        time.sleep(0.05)
    raise AssertionError("no process came to wait on the FIFO")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for k in range(6):
        (folder / f"r{k}.txt").write_text(f"第{k}份\n" + REPORT, encoding="utf-8")
    return folder


@linux_proc
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl", ".xlsx"])
def test_sigkill_mid_run_leaves_the_old_output_intact(tmp_path: Path, reports: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"the previous run's output\n")
    many = tmp_path / "many.txt"  # enough rows that Parquet starts writing before the end
    many.write_text(MENTION * 10_500, encoding="utf-8")
    fifo = tmp_path / "slow.txt"
    os.mkfifo(fifo)
    run = _start_cli("extract", str(many), str(fifo), "-o", str(out), cwd=tmp_path)
    _wait_until_blocked_on_fifo(run.pid)
    run.kill()
    run.wait(timeout=60)
    assert out.read_bytes() == b"the previous run's output\n"


@linux_proc
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_the_pool_without_orphans_or_leftovers(
    tmp_path: Path, reports: Path, signum: int, status: int
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    fifo = tmp_path / "slow.txt"
    os.mkfifo(fifo)
    run = _start_cli("extract", str(reports), str(fifo), "-j", "2", "-o", str(out), cwd=tmp_path)
    _wait_until_blocked_on_fifo(run.pid)
    workers = _children(run.pid)
    assert len(workers) >= 2
    run.send_signal(signum)
    _, err = run.communicate(timeout=60)
    assert run.returncode == status
    assert err.decode().strip() == "error: interrupted"
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "reports", "slow.txt"]


@linux_proc
def test_workers_end_with_a_parent_killed_outright(tmp_path: Path, reports: Path) -> None:
    fifo = tmp_path / "slow.txt"
    os.mkfifo(fifo)
    out = str(tmp_path / "o.csv")
    run = _start_cli("extract", str(reports), str(fifo), "-j", "2", "-o", out, cwd=tmp_path)
    _wait_until_blocked_on_fifo(run.pid)
    workers = _children(run.pid)
    run.kill()
    run.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []


def test_output_that_is_an_input_is_refused_and_left_alone(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    done = run_cli("extract", str(report), "-o", str(report))
    assert done.returncode == 2
    assert "is also an input" in done.stderr.decode()
    assert report.read_text(encoding="utf-8") == REPORT


def test_review_page_over_an_input_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + REPORT + "</p></body></html>", encoding="utf-8")
    before = page.read_bytes()
    done = run_cli("review", str(tmp_path), "-o", str(page))
    assert done.returncode == 2
    assert page.read_bytes() == before


@linux_proc
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet", ".html"])
def test_unwritable_output_fails_at_once_before_any_input_is_read(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / "never.txt"
    os.mkfifo(fifo)  # reading it would wait forever: failing first proves nothing was read
    command = "review" if suffix == ".html" else "extract"
    done = run_cli(command, str(fifo), "-o", str(tmp_path / "missing" / f"out{suffix}"))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.count("\n") == 1 and "cannot write (No such file or directory)" in err
    assert "Traceback" not in err


def test_a_failed_write_removes_its_temporary_file_and_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    writer = open_writer("csv", str(out))
    assert len(list(tmp_path.iterdir())) == 2  # the old file and the temporary one beside it
    writer.abort()
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert out.read_text() == "old\n"


def test_output_to_dev_null_is_written_in_place() -> None:
    done = run_cli("extract", str(ROOT / "sample_data" / "huadu_2020.txt"), "-o", os.devnull)
    assert done.returncode == 0, done.stderr.decode()
    assert Path(os.devnull).exists() and not Path(os.devnull).is_file()


# --- batches: dead workers, FIFOs ------------------------------------------------------


@linux_proc
def test_a_killed_worker_is_one_error_line_and_every_other_row_is_written(
    tmp_path: Path, reports: Path
) -> None:
    fifo = reports / "r2_slow.txt"  # named by the user below, so it is read (and waits)
    os.mkfifo(fifo)
    files = sorted(str(p) for p in reports.iterdir())
    expected = run_cli("extract", *[f for f in files if f != str(fifo)])
    run = _start_cli("extract", *files, "-j", "2", cwd=tmp_path)
    blocked = _wait_until_blocked_on_fifo(run.pid)
    assert blocked != run.pid
    os.kill(blocked, signal.SIGKILL)
    # The FIFO's input is sent once more to a new worker: give it its text this time.
    blocked_again = _wait_until_blocked_on_fifo(run.pid)
    assert blocked_again != blocked
    fifo.write_text(REPORT, encoding="utf-8")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: a worker process died")
    assert str(fifo) in lines[0]
    rows = csv_records(out)
    expected_rows = csv_records(expected.stdout)
    assert [r for r in rows if r["doc"] != "r2_slow"] == expected_rows
    assert {r["doc"] for r in rows} == {p.stem for p in reports.iterdir()}


def test_a_document_whose_worker_dies_twice_gets_an_error_and_the_rest_are_read(tmp_path: Path) -> None:
    from reportmetrics.pipeline import _in_parallel

    items = [Source(f"doc{k}.txt") for k in range(10)]
    deaths: list[str] = []
    results = list(_in_parallel(iter(items), _die_on_doc3, 2, deaths.append))
    assert [r.doc for r in results] == [f"doc{k}" for k in range(10)]
    errors = {r.doc: str(r.error) for r in results if r.error is not None}
    assert list(errors) == ["doc3"] and "died twice" in errors["doc3"]
    assert len(deaths) == 1 and "doc3.txt" in deaths[0]


def _die_on_doc3(item: Source):
    from reportmetrics.pipeline import Result

    if item.doc == "doc3":
        os.kill(os.getpid(), signal.SIGKILL)
    return Result(item, item.doc, None, ())


def test_fifos_in_folders_are_skipped_with_a_count(tmp_path: Path, reports: Path) -> None:
    os.mkfifo(reports / "pipe.txt")
    done = run_cli("extract", str(reports))
    assert done.returncode == 0, done.stderr.decode()
    assert "skipped 1 files that are not regular files" in done.stderr.decode()
    assert {r["doc"] for r in csv_records(done.stdout)} == {f"r{k}" for k in range(6)}


# --- the cache runs no code ------------------------------------------------------------


class _RunsCommand:
    """What a crafted pickle holds: unpickling it calls os.system."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.fixture
def crafted_cache(tmp_path: Path, monkeypatch):
    """A private cache folder holding a pickle that, unpickled, touches a marker file."""
    from reportmetrics.regexcache import CACHE_DIR_VARIABLE, shared_cache

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    marker = tmp_path / "ran"
    with open(folder / "patterns.pickle", "wb") as handle:
        pickle.dump(_RunsCommand(f"touch {marker}"), handle)
    os.chmod(folder / "patterns.pickle", 0o600)
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(folder))
    shared_cache.cache_clear()
    yield folder, marker
    shared_cache.cache_clear()


def _extract_with_cache() -> list:
    from reportmetrics.pipeline import matcher_for, packs_for
    from reportmetrics.regexcache import shared_cache

    # Packs loaded earlier in the session would be reused without touching the cache.
    matcher_for.cache_clear()
    packs_for.cache_clear()
    shared_cache.cache_clear()
    try:
        return extract_text(REPORT)
    finally:
        matcher_for.cache_clear()
        packs_for.cache_clear()


def test_a_crafted_cache_file_runs_nothing_and_the_cache_is_rebuilt(crafted_cache) -> None:
    folder, marker = crafted_cache
    rows = _extract_with_cache()
    assert not marker.exists()
    assert {r.indicator for r in rows} >= {"reconsideration.applications_received"}
    with open(folder / "patterns.pickle", "rb") as handle:  # rebuilt: now the real thing
        _key, entries = pickle.load(handle)
    assert entries


def test_a_cache_file_owned_by_another_user_is_not_unpickled(crafted_cache, monkeypatch) -> None:
    from reportmetrics import regexcache

    folder, marker = crafted_cache
    monkeypatch.setattr(regexcache.os, "getuid", lambda: os.stat(folder).st_uid + 1)  # not ours
    unpickled = []
    monkeypatch.setattr(regexcache, "_PatternUnpickler", lambda *a: unpickled.append(a), raising=False)
    assert _extract_with_cache()
    assert unpickled == [] and not marker.exists()


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_others_can_write_is_not_unpickled(crafted_cache, monkeypatch, where: str) -> None:
    from reportmetrics import regexcache

    folder, marker = crafted_cache
    if where == "file":
        os.chmod(folder / "patterns.pickle", 0o666)
    else:
        os.chmod(folder, 0o777)
    unpickled = []
    monkeypatch.setattr(regexcache, "_PatternUnpickler", lambda *a: unpickled.append(a), raising=False)
    assert _extract_with_cache()
    assert unpickled == [] and not marker.exists()


# --- nothing lost: nesting, names --------------------------------------------------------


def test_html_text_is_kept_however_deeply_it_is_nested(tmp_path: Path) -> None:
    lines = [f"第{k}项：收到申请{k}件" for k in range(1000)]
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "".join(f"<div>{line}" for line in lines) + "</body></html>", "utf-8")
    assert read_source(Source(str(page))).text.splitlines() == lines


def test_control_characters_in_file_names_are_escaped_in_messages(tmp_path: Path) -> None:
    name = tmp_path / "a\x1b[2Jb\rc\u202ed.txt"
    name.write_bytes(b"")
    done = run_cli("extract", str(name))
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "\x1b" not in err and "\r" not in err and "\u202e" not in err
    assert err.count("\n") == 1
    assert "a\\x1b[2Jb\\rc\\u202ed.txt: empty file" in err


def test_a_crafted_division_index_in_the_cache_runs_nothing(crafted_cache) -> None:
    from reportmetrics import divisions

    folder, marker = crafted_cache
    with open(folder / "divisions.pickle", "wb") as handle:
        pickle.dump(_RunsCommand(f"touch {marker}"), handle)
    os.chmod(folder / "divisions.pickle", 0o600)
    divisions.index.cache_clear()
    try:
        built = divisions.index()
    finally:
        divisions.index.cache_clear()
    assert not marker.exists()
    assert built.names  # built again from the package's data instead
