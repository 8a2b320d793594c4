"""Trust under hostile and unlucky input (issue 16): no formula cells, no memory bombs,
no half-written or clobbered files, no hung or crashed batches, no code from the cache,
no silent loss. Every fixture is built here, small: a bomb is a few lines of zipfile."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from reportmetrics.decode import decode_text
from reportmetrics.errors import InputError

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
