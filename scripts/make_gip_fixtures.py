"""Make tests/fixtures/gip_qinghe.pdf: the invented GIP report of tests/gip_makers.py as a
PDF with a text layer (run it again to remake it; the tests read the committed file).

    pip install ".[fixtures]" && python scripts/make_gip_fixtures.py

ReportLab's built-in STSong-Light CID font needs no font file, so no CJK font and no
LibreOffice are needed. Table cells are drawn in fixed columns (the PDF reader splits a
line at column gaps), every page has a `- N -` footer, and table 三 runs across a page
break.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from gip_makers import raw_text
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = ROOT / "tests" / "fixtures" / "gip_qinghe.pdf"
    page = canvas.Canvas(str(out))
    number = 1
    y = 800.0

    def new_page() -> None:
        nonlocal number, y
        page.setFont("STSong-Light", 9)
        page.drawCentredString(297, 30, f"- {number} -")
        page.showPage()
        number += 1
        y = 800.0

    row = re.compile(r"^(\S+?)((?: -?[\d.]+)+)$")
    for line in raw_text().replace("\f- 3 -", "").split("\n"):
        if not line:
            continue
        page.setFont("STSong-Light", 8)
        m = row.match(line)
        if m and len(m.group(1)) > 1:
            page.drawString(40, y, m.group(1))
            for k, value in enumerate(m.group(2).split()):
                page.drawRightString(330 + k * 36, y, value)
        elif len(line) > 45:  # prose: wrap at the margin
            for start in range(0, len(line), 45):
                page.drawString(40, y, line[start : start + 45])
                y -= 14
            y += 14
        else:
            page.drawString(40, y, line)
        y -= 14
        if y < 60 or line.startswith("8.属于行政查询事项"):
            new_page()
    new_page()
    page.save()
    print(out)


if __name__ == "__main__":
    main()
