"""Decoding never guesses silently, and every unreadable input names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportmetrics.errors import InputError
from reportmetrics.load import Source, decode_text, expand_paths, read_source

REPORT = "廣州市花都區人民政府2020年法治政府建設年度報告\n審結86宗行政複議案件，直接糾錯率16.2%。\n" * 20


@pytest.mark.parametrize(
    "encoded",
    [
        REPORT.encode("utf-8"),
        b"\xef\xbb\xbf" + REPORT.encode("utf-8"),
        REPORT.encode("gb18030"),
        REPORT.encode("utf-16"),
        REPORT.encode("big5hkscs"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16-bom", "big5"],
)
def test_decodes_the_encodings_reports_come_in(encoded: bytes) -> None:
    assert decode_text(encoded, "x.txt") == REPORT


def test_simplified_gbk_text_decodes_exactly() -> None:
    simplified = "肇庆市2023年法治政府建设年度报告\n全年审结行政复议案件86宗。\n" * 30
    assert decode_text(simplified.encode("gbk"), "x") == simplified


def test_crlf_and_cr_line_ends_become_newlines() -> None:
    assert decode_text("一\r\n二\r三".encode(), "x") == "一\n二\n三"


def test_binary_data_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_text(bytes(range(256)) * 40, "x.txt")


def test_empty_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        read_source(Source(str(path)))


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_source(Source(str(tmp_path / "nope.txt")))


def test_input_over_max_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(InputError, match="max-bytes"):
        read_source(Source(str(path)), max_bytes=100)


def test_folders_expand_recursively_in_path_order_and_count_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.txt", "b/1.txt", "notes.xyz"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    expansion = expand_paths([str(tmp_path)])
    assert [Path(s.path).relative_to(tmp_path).as_posix() for s in expansion.sources] == [
        "a.txt",
        "b/1.txt",
        "b/2.txt",
    ]
    assert expansion.skipped == 1


def test_globs_expand_and_missing_paths_are_kept_to_report(tmp_path: Path) -> None:
    (tmp_path / "x1.txt").write_text("x", encoding="utf-8")
    (tmp_path / "x2.txt").write_text("x", encoding="utf-8")
    expansion = expand_paths([str(tmp_path / "x*.txt"), str(tmp_path / "gone.txt")])
    assert [Path(s.path).name for s in expansion.sources] == ["x1.txt", "x2.txt", "gone.txt"]


def test_doc_is_the_file_name_without_its_last_suffix() -> None:
    assert Source("reports/huadu_2020.txt").doc == "huadu_2020"
    assert Source("a/report.v2.html").doc == "report.v2"
    assert Source("-").doc == "stdin"


def test_files_sharing_a_stem_get_doc_ids_that_keep_the_telling_folder(tmp_path) -> None:
    from reportmetrics.load import expand_paths

    for year in ("2022", "2023"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "report.txt").write_text("全年办理案件5件。", encoding="utf-8")
    (tmp_path / "2023" / "other.txt").write_text("全年办理案件6件。", encoding="utf-8")
    docs = [s.doc for s in expand_paths([str(tmp_path)]).sources]
    assert docs == ["2022/report", "other", "2023/report"]  # a stem of its own stays as it is
