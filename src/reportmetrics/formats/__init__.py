"""Readers for the real-world formats reports come in: HTML pages, PDF text layers,
.docx files, and clear refusals for .doc, .wps and .ofd.

Each module exposes a reader `read_*(data: bytes, source: str) -> str` that returns plain
text with `\\n` line ends or raises `InputError(source, problem)`. `load.READERS` imports
these modules lazily, so their libraries (selectolax, pypdfium2, python-docx) load only
when a file of that kind is read.
"""
