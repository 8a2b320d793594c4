"""`packs check`: every problem in the packs, each with its file and place."""

from __future__ import annotations

from .catalogue import CATALOGUE
from .errors import PackError
from .examples import cases, check_case
from .match import Matcher
from .packs import Pack, load_pack_file, pack_files, save_compiled


def check_packs(names: tuple[str, ...] = (), extra_dirs: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Validate the packs (all, or those named) and run their examples against the whole
    engine. Returns a summary line per pack and the problems found."""
    files = pack_files(extra_dirs)
    unknown = [n for n in names if n not in files]
    if unknown:
        raise PackError(f"unknown pack {', '.join(unknown)} (packs: {', '.join(files)})")
    problems: list[str] = []
    loaded: list[Pack] = []
    for name, path in files.items():
        pack, found = load_pack_file(path)
        if name in names or not names:
            problems.extend(str(p) for p in found)
        if pack is not None and not found:
            loaded.append(pack)
    save_compiled()
    matcher = Matcher(tuple(loaded))
    summary: list[str] = []
    for pack in loaded:
        if names and pack.name not in names:
            continue
        for indicator in pack.indicators:
            expected = CATALOGUE.get(indicator.id)
            if expected and expected != indicator.unit:
                problems.append(
                    f"{pack.path}: {indicator.id}: unit {indicator.unit}, the catalogue says {expected}"
                )
        run = failed = 0
        for case in cases((pack,)):
            run += 1
            message = check_case(case, matcher)
            if message:
                failed += 1
                problems.append(f"{pack.path}: {case.source}: {message}")
        patterns = len(pack.patterns)
        summary.append(
            f"{pack.name}: {len(pack.indicators)} indicators, {patterns} patterns, "
            f"{run} examples, {failed} failing"
        )
    return summary, problems
