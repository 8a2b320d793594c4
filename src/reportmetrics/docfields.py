"""Document fields: the reporting government (`region`) and the year reported on.

Read from normalised (Simplified) text, so a Traditional report gets a Simplified
region. The title wins (肇庆市2023年法治政府建设年度报告 -> 肇庆市, 2023); then the
opening sentences (2021年,榕城区政府办公室… -> 榕城区, 2021); then a source line
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
# A place name: 1-7 Han characters closed by an administrative unit, up to four levels.
_NAME_PART = rf"\p{{Han}}{{1,7}}?{_ADMIN_UNIT}"
_REGION = rf"(?:{_NAME_PART}){{1,4}}"
_BODY = (
    r"(?:人民政府|政府|司法局|人民法院|中级人民法院|高级人民法院|高院|法院|法律援助中心|"
    r"依法治[市区县]|人大|政协|办公室|党委|委员会|机关)"
)
_REPORT = r"(?:法治政府|依法行政|政府信息公开|政务公开|行政复议|行政应诉|行政执法|法治|工作)"
_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"

# Words that often stand right before a place name and are not part of it.
_LEADING_NOISE = regex.compile(
    r"^(?:关于|我[市区县镇乡]|全[市区县镇乡省]|本[市区县镇]|根据|由|经|对|在|据|[年度])+"
)
_TRAILING_BODY = regex.compile(r"(?:人民政府|政府|司法局|高院|办公室)$")

_TITLE = regex.compile(
    rf"^[^\n]{{0,30}}?(?P<region>{_REGION})?(?:{_BODY})?[^\n\d]{{0,6}}?{_YEAR}[^\n]{{0,30}}?"
    rf"{_REPORT}[^\n]{{0,30}}?(?:报告|情况|总结)",
    regex.MULTILINE,
)
_YEAR_OPENING = regex.compile(rf"(?:^|[\n。])[^\n\d]{{0,12}}?{_YEAR}[,，以来]")
_YEAR_ANY = regex.compile(rf"{_YEAR}")
_REGION_BODY = regex.compile(rf"(?P<region>{_REGION})(?:{_BODY})")
_SOURCE_LINE = regex.compile(rf"(?:来源|发布机构|发布单位)\s*[:：]?\s*(?P<region>{_REGION})")

_OPENING = 1500  # characters of the opening that may name the region and year


@dataclass(frozen=True)
class DocumentFields:
    region: str | None
    year: int | None


def document_fields(text: str) -> DocumentFields:
    """Region and year as the text states them (None where it does not)."""
    opening = "\n".join(
        line for line in text[:_OPENING].split("\n") if not _DEBRIS.search(line)
    )
    region: str | None = None
    year: int | None = None
    title = _TITLE.search(opening)
    if title:
        year = int(title.group("year"))
        region = _clean_region(title.group("region"))
    if year is None:
        found = _YEAR_OPENING.search(opening) or _YEAR_ANY.search(opening[:300])
        year = int(found.group("year")) if found else None
    if region is None:
        found = _REGION_BODY.search(opening)
        region = _clean_region(found.group("region")) if found else None
    if region is None:
        found = _SOURCE_LINE.search(text[:_OPENING])
        region = _clean_region(found.group("region")) if found else None
    return DocumentFields(region, year)


def _clean_region(name: str | None) -> str | None:
    if not name:
        return None
    name = _LEADING_NOISE.sub("", name)
    name = _TRAILING_BODY.sub("", name)
    return name if len(name) >= 2 else None
