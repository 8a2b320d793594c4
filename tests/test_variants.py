"""The same report in any form it arrives in gives the same rows as its plain text.

Each sample report and each dev passage (../shared/dev/texts, read at run time) is saved
as a government web page (UTF-8, and declared gb2312 saved as GB18030), a .docx, GB18030
text, UTF-8 with BOM and CRLF, and with full-width punctuation and digits; and, when
LibreOffice is installed, as a PDF exported from the .docx. Every variant must give the
plain text's (indicator, value, qualifier) rows as a multiset, and on every row of every
variant the evidence must be the reader's text at the row's offsets.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from conftest import needs_shared
from variant_makers import (
    VARIANTS,
    Extraction,
    dev_texts,
    difference,
    docx_bytes,
    docx_to_pdf,
    extract,
    full_width,
    html_gb2312,
    html_utf8,
    sample_texts,
    soffice,
    utf8_bom_crlf,
    variant_name,
)

SAMPLES = sample_texts()
DEVS = dev_texts()
TEXTS = {**SAMPLES, **DEVS}

# Variants known to disagree: (text, kind) -> the reader or engine defect. Marked
# xfail(strict=True) so the suite stays green and the defect stays visible.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


def _params(names: list[str], kinds: list[str], marks: tuple = ()) -> list:
    params = []
    for name in names:
        for kind in kinds:
            case_marks = list(marks)
            if (name, kind) in KNOWN_DEFECTS:
                case_marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name, kind]))
            params.append(pytest.param(name, kind, id=f"{name}-{kind}", marks=case_marks))
    return params


def _cases(kinds: list[str]) -> list:
    cases = _params(sorted(SAMPLES), kinds)
    if DEVS:
        cases += _params(sorted(DEVS), kinds, (needs_shared(),))
    else:  # no ../shared/dev/texts: one visible skip in place of the dev passages
        no_devs = pytest.mark.skip(reason="../shared/dev/texts is not beside this clone")
        cases += [pytest.param("dev", kind, id=f"dev-{kind}", marks=no_devs) for kind in kinds]
    return cases


@functools.cache
def plain(name: str) -> Extraction:
    return extract(TEXTS[name])


def _write_variant(name: str, kind: str, folder: Path) -> Path:
    variant = VARIANTS[kind]
    path = folder / variant_name(name, kind, variant.suffix)
    path.write_bytes(variant.make(TEXTS[name].read_text(encoding="utf-8")))
    return path


def _assert_same_rows(name: str, kind: str, got: Extraction) -> None:
    missing, extra = difference(plain(name).keys, got.keys)
    assert not missing and not extra, f"{name} as {kind}: only in plain {missing}, only in {kind} {extra}"


def _assert_exact_offsets(got: Extraction) -> None:
    for row in got.rows:
        assert got.text[row.start : row.end] == row.evidence, (row.start, row.end, row.evidence)


# --- text, web page and Word variants (fast, always run) ------------------------------


@pytest.mark.parametrize(("name", "kind"), _cases(list(VARIANTS)))
def test_variant_gives_the_same_rows_as_the_plain_text(name: str, kind: str, tmp_path: Path) -> None:
    got = extract(_write_variant(name, kind, tmp_path))
    _assert_same_rows(name, kind, got)


@pytest.mark.parametrize(("name", "kind"), _cases(list(VARIANTS)))
def test_variant_row_evidence_is_the_read_text_at_its_offsets(name: str, kind: str, tmp_path: Path) -> None:
    _assert_exact_offsets(extract(_write_variant(name, kind, tmp_path)))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_plain_text_row_evidence_is_the_text_at_its_offsets(name: str) -> None:
    _assert_exact_offsets(plain(name))


# --- PDF exported by LibreOffice (slow; needs soffice) ---------------------------------

needs_soffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed: no PDF variants"
)


@pytest.fixture(scope="module")
def pdf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every text's .docx exported to PDF in one LibreOffice call."""
    folder = tmp_path_factory.mktemp("pdf_variants")
    docx_files = {name: _write_variant(name, "docx", folder) for name in TEXTS}
    pdfs = docx_to_pdf(docx_files.values(), folder / "pdf")
    return {name: pdfs[path] for name, path in docx_files.items()}


@needs_soffice
@pytest.mark.parametrize(("name", "kind"), _cases(["pdf"]))
def test_pdf_variant_gives_the_same_rows_with_exact_offsets(
    name: str, kind: str, pdf_files: dict[str, Path]
) -> None:
    got = extract(pdf_files[name])
    _assert_exact_offsets(got)
    _assert_same_rows(name, kind, got)


# --- the variants are the forms they claim to be ---------------------------------------

SAMPLE_LINES = "浏阳市2020年法治政府建设年度报告\n全年收到行政复议申请62件(其中撤回3件),纠错率33.34%。\n"


def test_web_page_variant_has_site_furniture_around_the_report() -> None:
    page = html_utf8(SAMPLE_LINES).decode("utf-8")
    for furniture in ("首页</a> &gt; <a", "发布时间", "来源", "字体", "版权所有", "网站标识码", "分享到"):
        assert furniture in page
    for markup in ('<div class="TRS_Editor">', "<h1", "<script", "<style", "charset=utf-8"):
        assert markup in page
    assert "<p>全年收到行政复议申请62件(其中撤回3件),纠错率33.34%。</p>" in page


def test_gb2312_page_variant_is_gb18030_bytes_and_keeps_characters_outside_gbk() -> None:
    text = SAMPLE_LINES + "𠮷字不在GBK之中。\n"
    data = html_gb2312(text)
    assert b"charset=gb2312" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "𠮷字不在GBK之中" in data.decode("gb18030")


def test_bom_crlf_and_full_width_variants_change_only_what_they_say() -> None:
    data = utf8_bom_crlf(SAMPLE_LINES)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 2 and b"\n\n" not in data
    assert full_width("62件(其中3件),33.34%;是否?是!:") == "６２件（其中３件），３３.３４％；是否？是！："


def test_docx_variant_has_one_paragraph_per_line() -> None:
    import io

    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_bytes(SAMPLE_LINES))).paragraphs]
    assert paragraphs == SAMPLE_LINES.splitlines()
