"""Match: find indicator mentions in normalised text.

One scan over the text finds every pack keyword; each pattern then runs only in the
sentences where one of its keywords occurs (and the sentence after, for table rows whose
number sits on the next line), never from every character of the text. Matching a
document has a CPU-time budget. Candidates then pass the engine-wide rules that no
pattern should have to repeat (a change is not a level, a plan is not a result, the
unit must be the indicator's) and the overlap rule: one number, one indicator.
"""

from __future__ import annotations

import bisect
import re
import signal
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from .docfields import document_fields
from .errors import MatchTimeout, NumberError
from .numbers import NUMERAL_CHARS, Number, literal_end, parse_number, split_cells
from .packs import _PLACEHOLDER, CLAUSE_STOPS, SENTENCE_STOPS, Pack, Pattern, load_lexicon
from .sections import PlanSections, is_target, plan_sections
from .tables import Column, header_columns

# The standard library's engine where a search is simple and done often: a smaller
# fixed cost per call than `regex`.
_NEXT_SENTENCE_END = re.compile(f"[{SENTENCE_STOPS}]")
_NEXT_CLAUSE_END = re.compile(f"[{CLAUSE_STOPS}]")
# How far (in characters) a pattern may reach from the keyword that triggered it, so
# long sentences cost no more than short ones; a window that ends there runs on to the
# end of its clause, so it never cuts a number or its measure word in two.
WINDOW_REACH = 80
CLAUSE_RUN_ON = 60
# Bound on looking back for the start of a sentence, and of a clause (no clause in the
# reports we have read is longer than 150 characters; a plan word further back than
# CLAUSE_REACH is no longer in the same clause in any useful sense).
MAX_REACH = 400
CLAUSE_REACH = 200
# A sentence longer than this is not searched whole: only around each keyword hit.
LONG_SENTENCE = 400
# Windows of one pattern this close are searched in one call: each call has a fixed
# cost that outweighs scanning a short gap (measured: the optimum is flat from 50 to 200).
MERGE_GAP = 200
# How far before a match a pattern's `context` words are looked for (`not_context`
# words are looked for in the match's own sentence).
CONTEXT_REACH = 150
# Time budget (CPU seconds) for matching one document: a floor plus a share per
# character, about a hundred times what real reports take. Where the timer signal
# cannot be used (another thread than the main one, or the signal already taken),
# each search carries its own budget instead, a floor plus a share per character
# searched: the same guard, at a cost of a clock call per search.
TIMEOUT_FLOOR = 1.0
TIMEOUT_PER_CHAR = 1e-4
SEARCH_TIMEOUT_FLOOR = 0.25
SEARCH_TIMEOUT_PER_CHAR = 2e-5

# A change is not a level: words of change between the indicator words and the number,
# unless they say where the figure ended up (下降至16.4%, 提高到98%) or give another
# year's level (较2022年的558件).
_CHANGE = re.compile(
    r"(?:同比|环比|比上年|较上年|较去年|比去年|上年同期|[较比](?:19|20)\d\d年度?(?!的))[^至到为]{0,6}$"
    r"|(?:上升|下降|增长|增加|减少|提高|提升|降低|回落|增幅|降幅|多出|少了|多了)了?$"
)
# A plan or target is not a result: these words earlier in the same clause.
_PLAN = regex.compile(
    r"力争|争取|目标|预计|预期|拟|确保|要达到|达到[^,;。]{0,8}要求"
    r"|(?:计划|将)(?:到|在|于|年内|全年|力争|达|实现|完成|提|出台|制定|办理|审结|受理|新增|建成|开展|组织|推出|举办|培训|配备|聘请"
    r"|审查|评查|调解|调处|备案|报备|公开|承办|立案|办结|答复|化解)"
)


@dataclass(frozen=True)
class Mention:
    """A number bound to an indicator by a pattern, in normalised-text offsets."""

    pattern: Pattern
    number: Number
    value_start: int
    value_end: int
    evidence_start: int
    evidence_end: int


class Matcher:
    """Packs compiled for matching: the keyword scan and the patterns behind it."""

    def __init__(self, packs: tuple[Pack, ...]) -> None:
        self.patterns: tuple[Pattern, ...] = tuple(p for pack in packs for p in pack.patterns)
        self.pack_names: tuple[str, ...] = tuple(pack.name for pack in packs)
        owners: dict[str, set[int]] = defaultdict(set)
        for index, pattern in enumerate(self.patterns):
            for keyword in pattern.keywords:
                owners[keyword].add(index)
        keywords = sorted(owners, key=lambda k: (-len(k), k))
        # The scan reports non-overlapping hits, the longest at each position, so a hit
        # on 行政复议申请 must also wake the patterns of every keyword inside it or
        # overlapping it (复议申请, 行政复议): such words lie in the same sentence, and
        # a pattern's window is the sentence of the hit. Each keyword wakes a set of
        # patterns, held as the bits of an int so that a sentence's hits combine cheaply.
        self._woken: dict[str, int] = {
            k: sum(1 << i for i in set().union(*(owners[j] for j in keywords if _overlap(k, j))))
            for k in keywords
        }
        self._order = {pattern.id: i for i, pattern in enumerate(self.patterns)}
        self._required = tuple(required_words(p.source) for p in self.patterns)
        # Composed patterns say so by their shape (their filled-in source holds newlines
        # inside character classes, which is no sign of spanning lines).
        self._spans_lines = tuple(
            p.table if p.shape else ("\\n" in p.source or "\n" in p.source) for p in self.patterns
        )
        # The standard library's engine scans literal alternatives several times faster
        # than `regex`; the keywords are plain words, so nothing else is needed here.
        self._scan = re.compile("|".join(re.escape(k) for k in keywords)) if keywords else None
        self._indices: dict[int, tuple[int, ...]] = {}
        self._table_patterns = tuple(p for p in self.patterns if p.table and p.shape)
        # Every object word of every indicator, to find the topic a bare action refers to.
        objects = {w for pack in packs for ind in pack.indicators if ind.words for w in ind.words.objects}
        self._topics = _word_scan(objects | set(load_lexicon().elsewhere))
        # Object words that stand inside longer ones (议案 in 复议案): each longer word and
        # where the shorter one sits in it.
        self._containing = {
            word: tuple((other, other.index(word)) for other in objects if word in other and other != word)
            for word in objects
        }

    def mentions(self, text: str, year: int | None = None) -> list[Mention]:
        """Every mention in `text` after the engine-wide rules, in text order. `year`, the
        report's year where the caller has read it, dates the plan sections' clauses."""
        budget = TIMEOUT_FLOOR + len(text) * TIMEOUT_PER_CHAR
        try:
            with cpu_budget(budget) as timed:
                found = self._search(text, per_search=not timed)
        except BudgetExceeded:
            raise MatchTimeout(f"matching ran past its time budget ({budget:.1f} s of CPU)") from None
        columns = header_columns(text) if "\n" in text else []
        if columns:
            # In a row of cells, digits apart are different cells (64 58), never one number.
            found = [m for m in found if not _across_cells(m, columns)]
            found.extend(self._header_tables(text, columns))
        return resolve_overlaps(drop_plans(text, found, year), self._order)

    def _header_tables(self, text: str, columns: list[Column]) -> list[Mention]:
        """Mentions in tables whose labels form a header row above a row of numbers:
        each column is read as its label (with the text before it, for a label that
        names only the action) above its cell (tables.py), by the table shapes, and
        placed back in the text."""
        found: list[Mention] = []
        for column in columns:
            label = text[column.label_start : column.label_end]
            cell = text[column.cell_start : column.cell_end]
            for pattern in self._table_patterns:
                if not any(word in label for word in pattern.keywords):
                    continue
                # The label alone, or for a label that names only the action, the text
                # before it too (where its object is named); never the other labels as
                # the clause that exclusion words are looked for in.
                before = max(0, column.label_start - CONTEXT_REACH) if pattern.topic else column.label_start
                prefix = text[before : column.label_end]
                pair = f"{prefix}\n{cell}"
                for match in pattern.compiled.finditer(pair, len(prefix) - len(label)):
                    for mention in mentions_in(pattern, match, pair, self._topics, self._containing):
                        if mention.value_start > len(prefix):
                            found.append(_placed(mention, column, before, len(prefix)))
        return found

    def _search(self, text: str, per_search: bool) -> list[Mention]:
        found: list[Mention] = []
        patterns, required = self.patterns, self._required
        groups = tuple(p.requires for p in patterns)
        for index, start, end in self._windows(text):
            # A window without the words every match of the pattern contains cannot
            # match: skip the search (a third of them, on real reports).
            for word in required[index]:
                if text.find(word, start, end) == -1:
                    break
            else:
                if not _holds(text, start, end, groups[index]):
                    continue
                pattern = patterns[index]
                # A shape that leaves its object out needs one named shortly before.
                if pattern.topic and not _holds(text, max(0, start - CONTEXT_REACH), end, (pattern.topic,)):
                    continue
                if per_search:
                    budget = SEARCH_TIMEOUT_FLOOR + (end - start) * SEARCH_TIMEOUT_PER_CHAR
                    matches = pattern.compiled.finditer(text, start, end, timeout=budget)
                else:  # the document's budget guards it (even timeout=None costs 0.5 µs a call)
                    matches = pattern.compiled.finditer(text, start, end)
                try:
                    for match in matches:
                        found.extend(mentions_in(pattern, match, text, self._topics, self._containing))
                except TimeoutError:
                    where = f"pattern {pattern.id} ran past its time budget at offset {start}"
                    raise MatchTimeout(where) from None
        return found

    def _windows(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern, start, end) to search: the spans where the pattern's keywords occur
        (see _spans). A pattern's windows less than MERGE_GAP apart are merged, so no
        stretch of text is searched twice by the same pattern."""
        spans_lines = self._spans_lines
        open_start: dict[int, int] = {}
        open_end: dict[int, int] = {}
        windows: list[tuple[int, int, int]] = []
        for start, end, beyond, mask in self._spans(text):
            for index in self._indices_of(mask):
                stop = beyond if spans_lines[index] else end
                previous = open_end.get(index)
                if previous is not None and start <= previous + MERGE_GAP:
                    if stop > previous:
                        open_end[index] = stop
                    continue
                if previous is not None:
                    windows.append((index, open_start[index], previous))
                open_start[index] = start
                open_end[index] = stop
        windows.extend((index, open_start[index], end) for index, end in open_end.items())
        return windows

    def _spans(self, text: str) -> list[tuple[int, int, int, int]]:
        """(start, end, end for patterns that span lines, woken patterns as a mask),
        sorted by start: each sentence where keywords occur (with the next sentence
        for patterns that span lines, as table rows with the number on the next line
        do). In a sentence longer than LONG_SENTENCE, only WINDOW_REACH either side of
        each hit; there, one keyword's hits less than MERGE_GAP apart make one span, so
        that text dense with keywords does not give one span per hit."""
        if self._scan is None:
            return []
        stops = [m.start() for m in _NEXT_SENTENCE_END.finditer(text)]
        stops.append(len(text))
        last = len(stops) - 1
        spans: list[tuple[int, int, int, int]] = []
        masks = self._woken
        start = sentence_end = beyond = -1
        woken = 0
        long_sentence = False
        around: dict[int, list[int]] = {}  # by mask, the open span in long sentences
        for hit in self._scan.finditer(text):
            position = hit.start()
            if position > sentence_end:  # the first hit in a new sentence
                if woken:
                    spans.append((start, sentence_end, min(beyond, sentence_end + LONG_SENTENCE), woken))
                sentence = bisect.bisect_left(stops, position)
                start = stops[sentence - 1] + 1 if sentence else 0
                sentence_end = stops[sentence]
                beyond = stops[min(sentence + 1, last)]
                long_sentence = sentence_end - start > LONG_SENTENCE
                woken = 0
            if not long_sentence:
                woken |= masks[hit.group()]
                continue
            reach = max(start, position - WINDOW_REACH)
            end = _clip(text, sentence_end, hit.end())
            # Far from the sentence's end both clip at the same clause end.
            far = sentence_end > hit.end() + WINDOW_REACH + CLAUSE_RUN_ON
            next_end = end if far else _clip(text, beyond, hit.end())
            mask = masks[hit.group()]
            current = around.get(mask)
            if current is not None and reach <= current[1] + MERGE_GAP:
                current[1], current[2] = max(current[1], end), max(current[2], next_end)
                continue
            if current is not None:
                spans.append((current[0], current[1], current[2], mask))
            around[mask] = [reach, end, next_end]
        if woken:
            spans.append((start, sentence_end, min(beyond, sentence_end + LONG_SENTENCE), woken))
        spans.extend((reach, end, next_end, mask) for mask, (reach, end, next_end) in around.items())
        spans.sort(key=lambda span: span[0])
        return spans

    def _indices_of(self, mask: int) -> tuple[int, ...]:
        """The pattern indices set in `mask`, remembered: few combinations recur."""
        indices = self._indices.get(mask)
        if indices is None:
            indices = tuple(i for i in range(mask.bit_length()) if mask >> i & 1)
            self._indices[mask] = indices
        return indices


def _holds(text: str, start: int, end: int, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether text[start:end] holds a word of every group."""
    for group in groups:
        for word in group:
            if text.find(word, start, end) != -1:
                break
        else:
            return False
    return True


def _row_of_cells(text: str, position: int) -> bool:
    """Whether the line at `position` holds nothing but two or more numbers (a table row,
    whose numbers blanks separate)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    cells = split_cells(text[start : end if end != -1 else len(text)])
    return len(cells) > 1 and all(_read_number(cell) is not None for cell in cells)


def _across_cells(mention: Mention, columns: list[Column]) -> bool:
    """Whether a mention's number runs over more than one cell of a row of cells."""
    touched = [c for c in columns if c.cell_start < mention.value_end and mention.value_start < c.cell_end]
    return len(touched) > 1


def _placed(mention: Mention, column: Column, before: int, prefix_length: int) -> Mention:
    """A mention found in `text[before:label_end] + "\n" + cell` placed back in the text."""

    def place(position: int) -> int:
        if position <= prefix_length:
            return before + position
        return column.cell_start + position - prefix_length - 1

    return replace(
        mention,
        value_start=place(mention.value_start),
        value_end=place(mention.value_end),
        evidence_start=place(mention.evidence_start),
        evidence_end=place(mention.evidence_end),
    )


class BudgetExceeded(Exception):
    """Raised inside matching by the CPU timer of `cpu_budget`."""


def _budget_exceeded(signum: int, frame: object) -> None:
    raise BudgetExceeded


@contextmanager
def cpu_budget(seconds: float) -> Iterator[bool]:
    """Raise BudgetExceeded inside the block once it has used `seconds` of CPU time.
    `regex` checks for signals while it matches, so a timer signal stops even a
    search that backtracks without end, and the block pays two system calls, not one
    clock call per search. Yields False, arming nothing, where the signal cannot be
    used: off the main thread, on systems without interval timers, or when the
    program already handles SIGVTALRM."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGVTALRM) in (signal.SIG_DFL, _budget_exceeded)
    )
    if not usable:
        yield False
        return
    previous = signal.signal(signal.SIGVTALRM, _budget_exceeded)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield True
    finally:
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        finally:
            signal.signal(signal.SIGVTALRM, previous)


def mentions_in(
    pattern: Pattern,
    match: regex.Match[str],
    text: str,
    topics: re.Pattern[str] | None = None,
    containing: dict[str, tuple[tuple[str, int], ...]] | None = None,
) -> list[Mention]:
    """The mentions one match of `pattern` gives, after the engine-wide rules. `topics`
    finds every indicator's object words (for a pattern that leaves its object out);
    without it, only the pattern's own objects are looked for."""
    value_spans = match.spans("value")
    item_spans = match.spans("item") if "item" in pattern.compiled.groupindex else []
    if not _composed_acceptable(pattern, match, text, topics, containing):
        return []
    if pattern.scope == "paired":
        value_spans = _paired_value(match, text, value_spans)
    mentions = []
    for k, (value_start, value_end) in enumerate(value_spans):
        if value_start == value_end or not _acceptable(pattern, match, text, value_start):
            continue
        if _DURATION.match(text, value_end):
            continue  # 5个工作日, 3个月: a span of time, not a count
        if " " in text[value_start:value_end] and _row_of_cells(text, value_start):
            continue  # 125 110 on a line of numbers alone: two cells, not 125110
        value_end = literal_end(text, value_start, value_end)  # 300人以上: over
        number = _read_number(text[value_start:value_end])
        if number is None:
            continue
        if number.unit != pattern.unit:
            continue
        # With a repeated `item` group (废止6件…和7件…) each number's evidence runs from
        # the shared words at the start to the end of its own item.
        evidence_end = item_spans[k][1] if k < len(item_spans) else match.end()
        mentions.append(
            Mention(pattern, number, value_start, value_end, match.start(), max(evidence_end, value_end))
        )
    return mentions


@lru_cache(maxsize=8192)
def _read_number(literal: str) -> Number | None:
    """parse_number, remembered: reports repeat the same literals (100%, 1, 2) often."""
    try:
        return parse_number(literal)
    except NumberError:
        return None


def _acceptable(pattern: Pattern, match: regex.Match[str], text: str, value_start: int) -> bool:
    before = text[value_start - 1 : value_start] if value_start else ""
    if before.isdigit() or before in _CUT_AFTER:
        return False  # the number was cut (百分之|百, 一百|零五), or it is an ordinal
    if before in _NUMERALS and text[value_start] in _NUMERALS:
        return False
    if _SESSION.match(text, value_start):
        return False  # 十三届五次会议: a session, not a count
    lead = text[match.start() : value_start]
    if _CHANGE.search(lead):
        return False
    if pattern.context:
        near = text[max(0, match.start() - CONTEXT_REACH) : value_start]
        if not any(word in near for word in pattern.context):
            return False
    if pattern.not_context:
        # The sentence lies within MAX_REACH before the match: look for its start only
        # when one of the words is there at all.
        reach = text[max(0, match.start() - MAX_REACH) : value_start]
        if any(word in reach for word in pattern.not_context):
            sentence = text[_sentence_start(text, match.start()) : value_start]
            if any(word in sentence for word in pattern.not_context):
                return False
    return not _PLAN.search(text, _clause_start(text, value_start), value_start)


# After these a number is the tail of another (百分之百, 3.5) or an ordinal (第一).
_CUT_AFTER = frozenset(".第之")
_NUMERALS = frozenset(NUMERAL_CHARS)
# What makes a number a span of time (5个工作日内, 3个月后, 2小时), not a count.
_DURATION = re.compile(r"个?(?:工作日|自然日|月|小时|季度|星期|周|学时)")
# A number that names a congress or a session (十三届, 四次会议, 五次全会).
_SESSION = re.compile(r"[零〇一二两三四五六七八九十0-9]+(?:届|次(?:会议|全会|全体会议|常委会))")
# A span of years before a list (2019年至2022年, 2019-2022年): each item is that year's.
_YEAR_SPAN = re.compile(r"(?:19|20)\d\d年?(?:至|到|-|—|~)(?:19|20)\d\d年")


def _word_scan(words: set[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


_LIST_MARKS = re.compile("[、和及与]")


def _paired_value(match: regex.Match[str], text: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A paired list (代表建议、提案分别为512件、733件): of the numbers, the one in the
    place of the pattern's own object among the named items; none when the two lists
    differ in length."""
    listing = match.start("items"), match.end("items")
    items = _LIST_MARKS.split(text[listing[0] : listing[1]])
    if len(items) != len(values):
        return []
    place = len(_LIST_MARKS.findall(text, listing[0], match.start("object")))
    return [values[place]]


def _composed_acceptable(
    pattern: Pattern,
    match: regex.Match[str],
    text: str,
    topics: re.Pattern[str] | None,
    containing: dict[str, tuple[tuple[str, int], ...]] | None = None,
) -> bool:
    """The rules of a pattern composed from an indicator's words (packs.Words)."""
    if pattern.exclude:
        # The clause's end, looked for at most CLAUSE_REACH on: text without punctuation
        # must not make each candidate read to the end of the document.
        limit = min(len(text), match.end() + CLAUSE_REACH)
        stop = _NEXT_CLAUSE_END.search(text, match.end(), limit)
        clause = text[_clause_start(text, match.start()) : stop.start() if stop else limit]
        if pattern.scope == "paired":  # the other items of a paired list are no exclusion
            clause = clause.replace(match.group("items"), "")
        if any(word in clause for word in pattern.exclude):
            return False
    if containing and "object" in match.re.groupindex:
        start, end = match.span("object")
        for longer, offset in containing.get(text[start:end], ()):
            if text.startswith(longer, start - offset):
                return False  # the object is part of another word (议案 in 复议案件)
    if not pattern.scope and "分别" in text[match.start() : match.starts("value")[0]]:
        return False  # a list (分别为…): only a list shape reads it, by its scope
    if pattern.scope == "paired" and match.start("object") < match.start("items"):
        return False
    if pattern.scope == "years":
        sentence = text[_sentence_start(text, match.start()) : match.start()]
        if not _YEAR_SPAN.search(sentence):
            return False
    if pattern.topic:
        scan = topics or _word_scan(set(pattern.topic))
        assert scan is not None
        # The last topic word before the match; only words before it: the match's own
        # words are the action (调解后终止 names no mediation topic).
        hits = scan.findall(text, max(0, match.start() - CONTEXT_REACH), match.start())
        last = hits[-1] if hits else None
        if last is None or last not in pattern.topic:
            return False
    return True


def drop_plans(text: str, found: list[Mention], year: int | None = None) -> list[Mention]:
    """The mentions that are not plans by section (a number under a plan heading whose
    clause does not state it as done; sections.py) nor targets (控制在15%以内). The plan
    sections are found once per document; the report's year is read here only when the
    caller has not (or found none)."""
    plans = plan_sections(text)
    if plans and year is None:
        year = document_fields(text).year
    return [
        m
        for m in found
        if not is_target(text, m.value_start, m.value_end)
        and not (plans and plans.is_plan(text, m.value_start, m.value_end, year))
    ]


# What gaps sets aside, besides plans and changes: dates, years, document numbers and
# ordinals are numbers that are no indicator's value.
_YEAR_LITERAL = re.compile(r"(?:19|20)[0-9]{2}")
_RANGE_MARKS = ("-", "—", "–", "~", "至", "到", "/")
_TIME_WORDS = ("年", "月", "日", "号", "时", "季度", "周", "天", "世纪")
_DATE_TIME = re.compile(
    r"[0-9]{4}\s?[-/.]\s?[0-9]{1,2}(?:\s?[-/.]\s?[0-9]{1,2})?|[0-9]{1,2}\s?:\s?[0-9]{2}(?:\s?:\s?[0-9]{2})?"
)
_DOCUMENT_NUMBER = re.compile(r"[〔\[【(][0-9]{4}[〕\]】)]\s?$")
_ORDINAL_BEFORE = re.compile(r"(?:第|编号|序号|No\.|NO\.)\s?$")
# A change stated by its unit (5.42个百分点) is one whatever the words before it.
_POINTS_AFTER = re.compile(r"\s?个?多?百分点")


def set_aside(text: str, start: int, end: int, plans: PlanSections | None = None) -> str | None:
    """Why the number at text[start:end] is no level of an indicator, or None:
    "document number" (〔2023〕5号), "year" (2023年, 2019-2022), "date" (3月5日, 近3年),
    "ordinal" (第3, a list item's 1.), "change" (同比上升11.9%, 5.42个百分点), "plan"
    (力争, 目标, 控制在…以内, a plan section). `plans`: the text's plan sections, when
    already found (plan_sections(text))."""
    literal, after = text[start:end], text[end : end + 4].lstrip(" ")
    before = text[max(0, start - 12) : start]
    if (before.endswith(("〔", "[", "【")) and after[:1] in "〕]】") or (
        _DOCUMENT_NUMBER.search(before) and after.startswith("号")
    ):
        return "document number"
    is_year = _YEAR_LITERAL.fullmatch(literal) is not None
    if is_year and (after.startswith(("年", *_RANGE_MARKS)) or before.endswith(_RANGE_MARKS)):
        return "year"
    if after.startswith(_TIME_WORDS) or any(
        m.start() <= start and end <= m.end()
        for m in _DATE_TIME.finditer(text, max(0, start - 16), min(len(text), end + 16))
    ):
        return "date"
    line_start = start == 0 or text[start - 1] == "\n"
    if _ORDINAL_BEFORE.search(before) or (line_start and after[:1] in (".", "、", ")")):
        return "ordinal"
    if _CHANGE.search(text, max(0, start - 30), start) or _POINTS_AFTER.match(text, end):
        return "change"
    if _PLAN.search(text, _clause_start(text, start), start) or is_target(text, start, end):
        return "plan"
    plans = plans if plans is not None else plan_sections(text)
    if plans and plans.is_plan(text, start, end, document_fields(text).year):
        return "plan"
    return None


def _clause_start(text: str, position: int) -> int:
    return _after_last(text, position, CLAUSE_STOPS, CLAUSE_REACH)


def _sentence_start(text: str, position: int) -> int:
    return _after_last(text, position, SENTENCE_STOPS, MAX_REACH)


def _after_last(text: str, position: int, stops: str, reach: int) -> int:
    """Just after the last of the `stops` characters before `position`, looking back at
    most `reach`. Each is looked for only after the latest one found so far (commonest
    first), so text without punctuation costs a few scans, not a character-by-character
    reverse search."""
    last = max(0, position - reach) - 1
    for stop in stops:
        found = text.rfind(stop, last + 1, position)
        if found > last:
            last = found
    return last + 1


def required_words(source: str) -> tuple[str, ...]:
    """Runs of two or more Han characters that every match of a pack regex contains:
    those outside any group, character class or placeholder and not made optional by
    a quantifier. Nothing when the regex has an alternative at its top level."""
    words: list[str] = []
    run = ""
    depth = 0
    i = 0

    def close() -> None:
        nonlocal run
        if len(run) >= 2:
            words.append(run)
        run = ""

    while i < len(source):
        char = source[i]
        if char == "\\":
            close()
            i += 2
        elif char == "[":
            close()
            i += 1
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            i += 1
        elif char in "()":
            close()
            depth += 1 if char == "(" else -1
            i += 1
        elif char == "|" and depth == 0:
            return ()
        elif char == "{" and _PLACEHOLDER.match(source, i):
            close()
            i = source.index("}", i) + 1
        elif char in "?*+{":
            run = run[:-1]  # the quantifier makes the last character optional
            close()
            i = source.index("}", i) + 1 if char == "{" else i + 1
        else:
            if depth == 0 and _HAN_CHAR.match(char):
                run += char
            else:
                close()
            i += 1
    close()
    return tuple(words)


_HAN_CHAR = regex.compile(r"\p{Han}")


def _clip(text: str, sentence_end: int, hit_end: int) -> int:
    """The window's end: the sentence's end, or WINDOW_REACH past the hit and then on
    to the end of that clause."""
    reach = hit_end + WINDOW_REACH
    if sentence_end <= reach:
        return sentence_end
    clause = _NEXT_CLAUSE_END.search(text, reach, min(sentence_end, reach + CLAUSE_RUN_ON))
    return clause.start() if clause else min(sentence_end, reach + CLAUSE_RUN_ON)


def _overlap(hit: str, other: str) -> bool:
    """True when `other` can stand inside `hit` or overlap either of its ends."""
    if other in hit:
        return True
    if hit[0] not in other and hit[-1] not in other:
        return False  # an overlap at either end shares that end's character
    longest = min(len(hit), len(other)) - 1
    return any(hit.endswith(other[:n]) or hit.startswith(other[-n:]) for n in range(1, longest + 1))


def resolve_overlaps(mentions: list[Mention], order: dict[str, int]) -> list[Mention]:
    """One number, one indicator: where mentions share a number, the higher priority
    wins, then the tighter evidence, then the pattern that comes first in the packs
    (`order`: pattern id -> place)."""
    ranked = sorted(
        mentions,
        key=lambda m: (
            -m.pattern.priority,
            m.evidence_end - m.evidence_start,
            order[m.pattern.id],
            m.value_start,
        ),
    )
    taken: set[int] = set()  # every character of a number already given an indicator
    kept: list[Mention] = []
    for mention in ranked:
        span = range(mention.value_start, mention.value_end)
        if any(position in taken for position in span):
            continue
        taken.update(span)
        kept.append(mention)
    kept.sort(key=lambda m: (m.value_start, m.pattern.indicator))
    return kept
