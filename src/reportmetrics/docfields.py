"""Document fields: the reporting government (`region`, its `adcode`), the reporting
body (`agency`) and the year reported on.

Read from normalised (Simplified) text, so a Traditional report gets Simplified names.
The title wins (肇庆市2023年法治政府建设年度报告 -> 肇庆市, 2023); then the opening
sentences (2022年,榕城区政府办公室… -> 榕城区, 2022); then a source line
(来源:黄石市司法局). Web-page debris (发布时间, 浏览次数, breadcrumbs) is never read
as either: publication dates are not the year reported on.

Where the surface rules below find a name, the division list (`divisions.py`) decides
whether it is one: the region is always a real division, written in full (四川高院 ->
四川省, 秀山县 -> 秀山土家族苗族自治县), with the code researchers join on; a name that is
no division (新一届区, 省委省) is passed over for the next place the text offers.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .divisions import Division, Place, place_at, places

# Lines a saved web page carries around a report that say nothing about it.
_DEBRIS = regex.compile(
    r"发布(?:时间|日期)|更新时间|撰写时间|生成日期|浏览(?:次数|数)|访问量|阅读次数|字体|字号|"
    r"索引号|当前位置|现在位置|您现在|首页\s*>|分享到|打印|关闭窗口|版权所有|网站标识码"
)
_ADMIN_UNIT = r"(?:特别行政区|自治区|自治州|自治县|地区|街道|新区|省|市|州|盟|区|县|旗|镇|乡)"
# Characters a place name does not contain: function words that precede names in prose.
_NAME_CHAR = r"[\p{Han}--[与和及的在对为等是了我本该其年度共之从向把被将由经据全各欢迎访问不出]]"
_NAME_PART = rf"{_NAME_CHAR}{{1,5}}{_ADMIN_UNIT}"
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# A place name: up to four levels closed by administrative units, or a province's short
# name where a body follows it (四川高院, 河南全省).
_REGION = rf"(?:(?:{_NAME_PART}){{1,4}}|(?:{_PROVINCES})(?=高院|高级人民法院|全省))"
_BODY = (
    r"(?:人民政府|政府|司法局|人民法院|中级人民法院|高级人民法院|高院|法院|法律援助中心|"
    r"依法治[市区县]|行政复议办公室)"
)
_REPORT = r"(?:法治政府|依法行政|政府信息公开|政务公开|行政复议|行政应诉|行政执法|法治|工作)"
_YEAR = r"(?P<year>(?:19|20)\d{2}) ?年度?"

_LEADING_NOISE = regex.compile(r"(?:关于|位于|于)+")
_FLAGS = regex.MULTILINE | regex.V1

_TITLE = regex.compile(
    rf"^[^\n]{{0,30}}?(?P<region>{_REGION})?(?:{_BODY})?[^\n\d]{{0,6}}?{_YEAR}[^\n]{{0,30}}?"
    rf"{_REPORT}[^\n]{{0,30}}?(?:报告|情况|总结)",
    _FLAGS,
)
# 2020年,我市… / 2022年,某某区政府办公室… : the year the opening sentence reports on.
_YEAR_OPENING = regex.compile(rf"(?:^|[\n。])[^\n\d]{{0,12}}?{_YEAR}[,，]", _FLAGS)
_YEAR_ANY = regex.compile(rf"{_YEAR}(?!以来|至今|起)", _FLAGS)
_REGION_BODY = regex.compile(rf"(?P<region>{_REGION})(?:{_BODY})", _FLAGS)
# A name that opens a clause and acts as its subject: …,大口屯镇紧紧围绕…
_REGION_SUBJECT = regex.compile(
    rf"(?:^|[,。\n])(?P<region>{_REGION})(?!{_ADMIN_UNIT}|[域场级民委长内外直属属])", _FLAGS
)
# The reporting body named by its level alone (2020年,县司法局…): the report's level.
_BARE_BODY = regex.compile(r"(?:^|[,。\n】\]])(?P<unit>[省市区县镇乡])(?:司法局|人民政府|政府)", _FLAGS)
# A government department named with its division (泰安市商务局), where nothing else is.
_REGION_DEPARTMENT = regex.compile(rf"(?P<region>{_REGION})\p{{Han}}{{1,6}}?局", _FLAGS)
# A short name before a court or a province's whole (四川高院, 青岛两级法院, 江苏全省).
_SHORT_BEFORE_COURT = regex.compile(
    r"(?P<region>\p{Han}{2,3}?)(?=高院|高级人民法院|中院|两级法院|全省)", _FLAGS
)
_SOURCE_LINE = regex.compile(rf"(?:来源|发布机构|发布单位)\s*[:：|]?\s*(?P<region>{_REGION})", _FLAGS)

# 报告中所列数据统计期限自2023年1月1日起至2023年12月31日止: the year the figures are for.
_STATISTICS_PERIOD = regex.compile(r"统计期限[^\n。]{0,8}?(?P<year>(?:19|20)\d{2}) ?年", _FLAGS)
# The reporting body as a title or a source line names it: a division's name, then a body.
_AGENCY_BODY = (
    r"\p{Han}{0,16}?(?:人民政府办公室|人民政府办公厅|政府办公室|人民政府|政府|管理委员会|委员会|"
    r"中级人民法院|高级人民法院|人民法院|人民检察院|法律援助中心|司法局|办公室|局|厅|中心|法院)"
)
_AGENCY_IN_TITLE = regex.compile(rf"{_AGENCY_BODY}(?=\s*(?:(?:19|20)\d{{2}} ?年|关于|《|$))", _FLAGS)
_AGENCY_AS_AUTHOR = regex.compile(rf"{_AGENCY_BODY}(?=根据|依据|按照|编制|发布|[,，\s]|$)", _FLAGS)
_AUTHOR_LEAD = regex.compile(r"报告由|(?:来源|发布机构|发布单位)\s*[:：|]?\s*", _FLAGS)

_OPENING = 1500  # characters of the opening that may name the region and year
_AUTHOR_WINDOW = 800  # characters of the opening that may name the report's author


@dataclass(frozen=True)
class DocumentFields:
    region: str | None
    year: int | None
    adcode: str | None = None
    agency: str | None = None


def document_fields(text: str) -> DocumentFields:
    """Region (with its code), agency and year as the text states them (None where it
    does not)."""
    lines = text[:_OPENING].split("\n")
    opening = "\n".join(line for line in lines if not _DEBRIS.search(line))
    year: int | None = None
    title = _TITLE.search(opening)
    title_text = _title_lines(opening, title) if title else ""
    if title:
        year = int(title.group("year"))
    if year is None:
        found = (
            _STATISTICS_PERIOD.search(opening)
            or _YEAR_ANY.search(opening[:300])
            or _YEAR_OPENING.search(opening)
        )
        year = int(found.group("year")) if found else None
    in_title = places(title_text) if title_text else []
    place = in_title[0] if in_title else None
    if place is None:
        place = _headline_place(opening)
    for finder, where in (
        (_REGION_BODY, opening[:600]),
        (_REGION_SUBJECT, opening[:600]),
        (_SOURCE_LINE, text[:_OPENING]),
        (_REGION_BODY, opening),
        (_REGION_DEPARTMENT, opening),
        (_SHORT_BEFORE_COURT, opening[:600]),
    ):
        if place is not None:
            break
        place = _first_division(finder, where)
    division = _resolved(place, opening) if place else None
    region = place.full_name if place else None
    bare = _BARE_BODY.search(opening[:600])
    if place and bare and not title:
        division, region = _at_level(place, division, bare.group("unit"))
    agency = _agency(title_text, in_title, text[:_AUTHOR_WINDOW])
    return DocumentFields(region, year, division.code if division else None, agency)


def _title_lines(opening: str, title: regex.Match) -> str:
    """The title's line, and the line before it where the title begins with its year
    (洪泽区人民政府 / 2023年政府信息公开工作年度报告)."""
    start = opening.rfind("\n", 0, title.start("year")) + 1
    line_end = opening.find("\n", title.end())
    text = opening[start : line_end if line_end >= 0 else len(opening)]
    if not text[: title.start("year") - start].strip() and start > 0:
        before = opening.rfind("\n", 0, start - 1) + 1
        text = opening[before : start - 1] + "\n" + text
    return text


_HEADLINE_AFTER = regex.compile(r"[\s:：]|(?:19|20)\d{2}|人民政府|政府|司法局|法院|高院|高级人民法院|全省")
_HEADLINE_BEFORE = regex.compile(r"(?:^|[!！。:：])[\s《【「“]*$")


_HEADLINE_MAX = 60


def _headline_place(opening: str) -> Place | None:
    """A division that opens one of the first two lines, or stands in them before a
    body, a year or a verb (沂源县:巧用…; 郊区举行…; 河南方城 行政机关…)."""
    seen = 0
    for line in opening.split("\n"):
        if not line.strip():
            continue
        if len(line) > _HEADLINE_MAX:
            break  # a sentence, not a headline
        seen += 1
        for place in places(line[:80]):
            if _HEADLINE_BEFORE.search(line[: place.start]) or _HEADLINE_AFTER.match(line, place.end):
                return place
        if seen == 2:
            break
    return None


def _first_division(finder: regex.Pattern, where: str) -> Place | None:
    """The first name the finder gives that the division list knows: the last division
    in it (the one that stands before the body: 顺利完成省委省 holds none)."""
    for found in finder.finditer(where):
        start = found.start("region")
        noise = _LEADING_NOISE.match(where, start)
        named = places(where, noise.end() if noise else start, found.end("region"))
        if named:
            return named[-1]
    return None


_CONTEXT = 600  # characters of the opening whose divisions may tell a shared name apart


def _resolved(place: Place, opening: str) -> Division | None:
    """The division the place names; where its name is shared (郊区, 鼓楼区), the one
    whose city or province the opening names, if only one's is."""
    if place.division is not None:
        return place.division
    window = opening[:_CONTEXT]
    inside = [
        c for c in place.levels[-1].candidates if any(outer.name in window for outer in c.lineage()[:-1])
    ]
    return inside[0] if len(inside) == 1 else None


def _at_level(place: Place, division: Division | None, unit: str) -> tuple[Division | None, str]:
    """A report that calls itself 县司法局 is a county's: 定安县新竹镇 -> 定安县."""
    for k, level in enumerate(place.levels[:-1]):
        if level.written.endswith(unit) or any(c.name.endswith(unit) for c in level.candidates):
            kept = Place(place.levels[: k + 1])
            return (kept.division if division is not None else None), kept.full_name
    return division, place.full_name


def _agency(title: str, in_title: list[Place], opening: str) -> str | None:
    """The reporting body as the title names it; else as the opening or the source line
    names the author (本报告由…办公室…编制; 来源:黄石市司法局)."""
    for place in in_title:
        found = _AGENCY_IN_TITLE.match(title, place.start)
        if found:
            return found.group()
    for lead in _AUTHOR_LEAD.finditer(opening):
        if place_at(opening, lead.end(), lead.end() + 20) is not None:
            found = _AGENCY_AS_AUTHOR.match(opening, lead.end())
            if found and "\n" not in found.group():
                return found.group()
    return None
