"""The review page: one self-contained HTML file to check every extracted number in place.

`write_review` streams results into the page, one document at a time, so memory does not
grow with the corpus: each document (its text, fields, error and rows) becomes one JSON
entry in a `<script type="application/json">` block. The page's own script (inline, from
`review_assets/`) renders the selected document's text with `textContent`, never as HTML,
and the JSON is written with `<`, `>`, `&` and U+2028/U+2029 escaped, so a report holding
`</script>` or markup is shown literally and cannot break out of the data block. A
Content-Security-Policy that allows only the page's own script (by its hash) and no
network loads backs that up.

Each row carries where its value sits in the text (`Row.raw_start`, `raw_end`, kept by
the rows stage), so that overlapping evidence ("废止6件市政府规范性文件和7件部门规范性文件")
highlights each value where it is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, TextIO

from .catalogue import CATALOGUE, family
from .errors import ReportMetricsError
from .pipeline import Result
from .rows import format_decimal

ASSETS = "review_assets"
DATA_ID = "rm-data"
META_ID = "rm-meta"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(ASSETS).joinpath(name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside a `<script>` element: no `<`, `>` or `&` (so no `</script>` and no
    `<!--`), and no U+2028/U+2029. These only occur inside JSON strings, where the
    `\\uXXXX` escapes read back as the same characters."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Indicators:
    """Indicator ids in first-seen order, numbered for compact rows."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def number(self, indicator: str) -> int:
        return self.index.setdefault(indicator, len(self.index))


def document_entry(result: Result, indicators: _Indicators) -> dict[str, Any]:
    """One document as the page's script reads it."""
    fields = result.fields
    rows = []
    for row in result.rows:
        rows.append(
            [
                indicators.number(row.indicator),
                format_decimal(row.value),
                row.unit,
                row.qualifier,
                row.raw,
                row.start,
                row.end,
                row.raw_start,
                row.raw_end,
                row.pattern,
            ]
        )
    return {
        "doc": result.doc,
        "path": result.source.path,
        "region": fields.region if fields else None,
        "adcode": fields.adcode if fields else None,
        "agency": fields.agency if fields else None,
        "year": fields.year if fields else None,
        "error": str(result.error) if result.error is not None else None,
        "text": result.text,
        "rows": rows,
    }


def _families(indicators: Iterable[str]) -> list[str]:
    """Families in catalogue order, then any others in the order met."""
    ordered: list[str] = []
    for indicator in [*CATALOGUE, *indicators]:
        name = family(indicator)
        if name not in ordered:
            ordered.append(name)
    return ordered


def _indicator_order(indicators: Iterable[str]) -> list[str]:
    catalogue = list(CATALOGUE)
    rank = {indicator: k for k, indicator in enumerate(catalogue)}
    return sorted(indicators, key=lambda i: (rank.get(i, len(catalogue)), i))


def write_page(
    results: Iterable[Result],
    out: TextIO,
    title: str = "reportmetrics review",
    names: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Write the page to `out`, one document at a time. Returns counts (documents, rows,
    errors, characters of text). `names` (indicator id -> Chinese name) are shown beside
    the ids."""
    import html

    template = _asset("review.html")
    css = _asset("review.css")
    script = _asset("review.js")
    if "</script" in script.lower() or "</style" in css.lower():
        raise RuntimeError("review assets must not close their own element")
    script = "\n" + script.strip("\n") + "\n"  # the exact text between the tags, for its hash
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    head, marker, tail = template.partition("<!--DATA-->")
    if not marker:
        raise RuntimeError("review.html has no <!--DATA--> marker")
    fill = {
        "{{TITLE}}": html.escape(title),
        "{{CSS}}": css,
        "{{SCRIPT_HASH}}": f"sha256-{digest}",
    }
    for key, value in fill.items():
        head = head.replace(key, value)
    tail = tail.replace("{{SCRIPT}}", script)

    indicators = _Indicators()
    hasher = hashlib.sha256()
    counts = {"documents": 0, "rows": 0, "errors": 0, "characters": 0}
    out.write(head)
    out.write(f'<script type="application/json" id="{DATA_ID}">[')
    for k, result in enumerate(results):
        entry = script_json(document_entry(result, indicators))
        hasher.update(entry.encode("utf-8"))
        out.write(("," if k else "") + "\n" + entry)
        counts["documents"] += 1
        counts["rows"] += len(result.rows)
        counts["errors"] += result.error is not None
        counts["characters"] += len(result.text or "")
    out.write("\n]</script>\n")
    numbered = sorted(indicators.index, key=indicators.index.__getitem__)
    meta = {
        "title": title,
        "page": hasher.hexdigest()[:16],  # names this page's saved verdicts in the browser
        "indicators": numbered,  # by the number rows use
        "names": [(names or {}).get(indicator, "") for indicator in numbered],
        "order": _indicator_order(numbered),  # for the filter
        "families": _families(numbered),
        "counts": counts,
    }
    out.write(f'<script type="application/json" id="{META_ID}">{script_json(meta)}</script>\n')
    out.write(tail)
    return counts


def write_review(
    results: Iterable[Result],
    output: str,
    title: str = "reportmetrics review",
    names: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Write the review page to `output` (`-` for stdout). The file appears whole or not
    at all: it is written beside its destination and then renamed."""
    if output == "-":
        return write_page(results, sys.stdout, title, names)
    from .atomic import AtomicFile

    file = AtomicFile(output)  # before any report is read: a bad destination fails at once
    try:
        with os.fdopen(file.fd, "w", encoding="utf-8", newline="\n") as out:
            counts = write_page(results, out, title, names)
    except OSError as exc:
        file.abort()
        raise ReportMetricsError(f"{output}: cannot write ({exc.strerror})") from None
    except BaseException:
        file.abort()
        close = getattr(results, "close", None)
        if close is not None:
            close()  # a results generator's worker processes end with it
        raise
    file.commit()
    return counts
