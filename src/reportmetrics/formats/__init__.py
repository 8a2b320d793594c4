"""Readers for the real-world formats reports come in: HTML pages, PDF text layers,
.docx files, and clear refusals for .doc, .wps and .ofd.

Each module exposes a reader `read_*(data: bytes, source: str) -> str` that returns plain
text with `\\n` line ends or raises `InputError(source, problem)`. `load.READERS` imports
these modules lazily, so their libraries (selectolax, pypdfium2, python-docx) load only
when a file of that kind is read.
"""

import re

# Han characters (CJK unified ideographs, extension A, compatibility ideographs), and the
# CJK blocks more broadly (radicals, CJK punctuation, full-width forms), shared by the
# readers that decide where text lines join.
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_RANGES = "\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
