"""Document fields: the reporting government (`region`) and the year reported on.

Read from normalised (Simplified) text, so a Traditional report gets a Simplified
region. The title wins (肇庆市2023年法治政府建设年度报告 -> 肇庆市, 2023); then the
opening sentences (2022年,某某区政府办公室… -> 某某区, 2022); then a source line
(来源:黄石市司法局). Web-page debris (发布时间, 浏览次数, breadcrumbs) is never read
as either: publication dates are not the year reported on.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

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
_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"

_LEADING_NOISE = regex.compile(r"^(?:关于|位于|于)+")
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
_SOURCE_LINE = regex.compile(rf"(?:来源|发布机构|发布单位)\s*[:：|]?\s*(?P<region>{_REGION})", _FLAGS)

_OPENING = 1500  # characters of the opening that may name the region and year


@dataclass(frozen=True)
class DocumentFields:
    region: str | None
    year: int | None


def document_fields(text: str) -> DocumentFields:
    """Region and year as the text states them (None where it does not)."""
    opening = "\n".join(line for line in text[:_OPENING].split("\n") if not _DEBRIS.search(line))
    region: str | None = None
    year: int | None = None
    title = _TITLE.search(opening)
    if title:
        year = int(title.group("year"))
        region = _clean_region(title.group("region"))
    if year is None:
        found = _YEAR_OPENING.search(opening) or _YEAR_ANY.search(opening[:300])
        year = int(found.group("year")) if found else None
    for finder, where in (
        (_REGION_BODY, opening[:600]),
        (_REGION_SUBJECT, opening[:600]),
        (_SOURCE_LINE, text[:_OPENING]),
        (_REGION_BODY, opening),
    ):
        if region is not None:
            break
        found = finder.search(where)
        region = _clean_region(found.group("region")) if found else None
    bare = _BARE_BODY.search(opening[:600])
    if region and bare and not title:
        region = _at_level(region, bare.group("unit"))
    return DocumentFields(region, year)


def _at_level(region: str, unit: str) -> str:
    """A report that calls itself 县司法局 is a county's: 定安县新竹镇 -> 定安县."""
    cut = region.find(unit, 1)
    return region[: cut + 1] if cut > 0 else region


def _clean_region(name: str | None) -> str | None:
    if not name:
        return None
    name = _LEADING_NOISE.sub("", name)
    return name if len(name) >= 2 else None
