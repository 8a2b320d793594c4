"""Do the forms a report arrives in give the same rows as its plain text?

Run from the repository root: ``python benchmarks/variants.py [--out DIR]``. For every
sample report (sample_data/*.txt) and, when ../shared is beside the clone, every dev
passage (../shared/dev/texts/*.txt), it writes each variant (a government web page in
UTF-8 and in declared gb2312 saved as GB18030, a .docx, a PDF exported from that .docx by
LibreOffice when it is installed, GB18030 text, UTF-8 with BOM and CRLF, full-width
punctuation and digits), extracts each, and compares the (indicator, value, qualifier)
rows as a multiset with the plain text's. It prints a table of variant kind x agree/total,
each disagreement with the differing rows, and the rows whose evidence is not
text[start:end]. Exit status 0 when everything agrees and every offset is exact, else 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from variant_makers import (  # noqa: E402
    KINDS,
    VARIANTS,
    Extraction,
    dev_texts,
    difference,
    docx_to_pdf,
    extract,
    sample_texts,
    soffice,
    variant_name,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the variant files in this folder")
    args = parser.parse_args()
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        return run(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp))


def run(out: Path) -> int:
    texts = {**sample_texts(), **dev_texts()}
    started = time.perf_counter()
    plain: dict[str, Extraction] = {name: extract(path) for name, path in texts.items()}
    files: dict[tuple[str, str], Path] = {}
    for name, path in texts.items():
        text = path.read_text(encoding="utf-8")
        for kind, variant in VARIANTS.items():
            target = out / variant_name(name, kind, variant.suffix)
            target.write_bytes(variant.make(text))
            files[name, kind] = target
    if soffice():
        pdf_dir = out / "pdf"
        pdfs = docx_to_pdf([files[name, "docx"] for name in texts], pdf_dir)
        for name in texts:
            files[name, "pdf"] = pdfs[files[name, "docx"]]
    else:
        print("LibreOffice (soffice) not found: no PDF variants\n")

    agree = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    disagreements: list[str] = []
    offset_faults: list[str] = []
    rows_checked = 0
    for name, base in plain.items():
        for row in base.bad_offsets():
            offset_faults.append(f"{name} (plain): {row.start}:{row.end} {row.evidence!r}")
        rows_checked += len(base.rows)
        for kind in KINDS:
            path = files.get((name, kind))
            if path is None:
                continue
            total[kind] += 1
            try:
                got = extract(path)
            except Exception as exc:  # an unreadable variant is a disagreement
                disagreements.append(f"{name} [{kind}]: {type(exc).__name__}: {exc}")
                continue
            rows_checked += len(got.rows)
            for row in got.bad_offsets():
                offset_faults.append(
                    f"{name} [{kind}]: text[{row.start}:{row.end}] = "
                    f"{got.text[row.start : row.end]!r} != evidence {row.evidence!r}"
                )
            if got.keys == base.keys:
                agree[kind] += 1
                continue
            missing, extra = difference(base.keys, got.keys)
            lines = [f"{name} [{kind}]: {len(base.rows)} plain rows, {len(got.rows)} variant rows"]
            lines += [f"    only in plain:   {_key(k)}" for k in missing]
            lines += [f"    only in variant: {_key(k)}" for k in extra]
            disagreements.append("\n".join(lines))

    print(
        f"{len(texts)} texts ({len(sample_texts())} samples, {len(dev_texts())} dev passages), "
        f"{sum(len(e.rows) for e in plain.values())} plain rows\n"
    )
    print(f"{'variant':<16}{'agree':>7}{'total':>7}")
    for kind in KINDS:
        if total[kind]:
            print(f"{kind:<16}{agree[kind]:>7}{total[kind]:>7}")
    print(f"{'all':<16}{sum(agree.values()):>7}{sum(total.values()):>7}")
    exact = rows_checked - len(offset_faults)
    print(f"\noffsets: {exact}/{rows_checked} rows with text[start:end] == evidence")
    for fault in offset_faults:
        print("  " + fault)
    if disagreements:
        print(f"\n{len(disagreements)} disagreements:")
        for entry in disagreements:
            print(entry)
    print(f"\n{time.perf_counter() - started:.1f} s; files in {out}")
    return 0 if not disagreements and not offset_faults else 1


def _key(key: tuple) -> str:
    indicator, value, qualifier = key
    return f"({indicator}, {value}, {qualifier or '-'})"


if __name__ == "__main__":
    sys.exit(main())
