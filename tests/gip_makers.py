"""One invented GIP annual report (政府信息公开工作年度报告), in every form the reader
meets: raw PDF text (`label v1 … v7`, page breaks `\\f- 3 -`), `|` rows, a web page with
merged header cells and Word-pasted runs, a .docx with merged cells, and (through
scripts/make_gip_fixtures.py) a PDF. Words and numbers are our own.

`CELLS` maps each printed cell's id to its value as printed ("" for a blank cell).
"""

from __future__ import annotations

import html
import io

TITLE = "青禾县人民政府2022年政府信息公开工作年度报告"
PROSE_ONE = (
    "一、总体情况\n"
    "2022年，青禾县人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，全年共收到政府信息公开申请83件，"
    "本机关制发行政规范性文件6件，各项工作有序推进，群众满意度持续提升，公开平台运行平稳有序。\n"
)
PROSE_FIVE = (
    "五、存在的主要问题及改进情况\n"
    "依申请公开答复的规范性仍需提高，下一步将加强业务培训，完善工作机制，提升答复质量和效率。\n"
    "六、其他需要报告的事项\n"
    "本年度未收取信息处理费。\n"
)

COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
# Table 三, 2021 layout: (label, row id, values in template column order).
TABLE3 = (
    ("一、本年新收政府信息公开申请数量", "requests_new", "73 8 0 0 1 1 83"),
    ("二、上年结转政府信息公开申请数量", "requests_carried_in", "3 0 0 0 0 0 3"),
    ("三、本年度办理结果", None, ""),
    ("（一）予以公开", "outcome_disclosed", "40 5 0 0 1 0 46"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "outcome_partly_disclosed", "7 1 0 0 0 0 8"),
    ("（三）不予公开", None, ""),
    ("1.属于国家秘密", "outcome_withheld_state_secret", "0 0 0 0 0 0 0"),
    ("2.其他法律行政法规禁止公开", "outcome_withheld_other_law", "2 0 0 0 0 0 2"),
    ("3.危及“三安全一稳定”", "outcome_withheld_security_stability", "0 0 0 0 0 0 0"),
    ("4.保护第三方合法权益", "outcome_withheld_third_party", "0 0 0 0 0 0 0"),
    ("5.属于三类内部事务信息", "outcome_withheld_internal_affairs", "1 0 0 0 0 0 1"),
    ("6.属于四类过程性信息", "outcome_withheld_process_info", "0 0 0 0 0 0 0"),
    ("7.属于行政执法案卷", "outcome_withheld_enforcement_file", "0 0 0 0 0 0 0"),
    ("8.属于行政查询事项", "outcome_withheld_admin_query", "0 0 0 0 0 0 0"),
    ("（四）无法提供", None, ""),
    ("1.本机关不掌握相关政府信息", "outcome_unavailable_not_held", "12 2 0 0 0 1 15"),
    ("2.没有现成信息需要另行制作", "outcome_unavailable_needs_creation", "3 0 0 0 0 0 3"),
    ("3.补正后申请内容仍不明确", "outcome_unavailable_unclear", "1 0 0 0 0 0 1"),
    ("（五）不予处理", None, ""),
    ("1.信访举报投诉类申请", "outcome_not_processed_petition", "2 0 0 0 0 0 2"),
    ("2.重复申请", "outcome_not_processed_repeat", "1 0 0 0 0 0 1"),
    ("3.要求提供公开出版物", "outcome_not_processed_publication", "0 0 0 0 0 0 0"),
    ("4.无正当理由大量反复申请", "outcome_not_processed_mass_repeat", "0 0 0 0 0 0 0"),
    ("5.要求行政机关确认或重新出具已获取信息", "outcome_not_processed_confirmation", "0 0 0 0 0 0 0"),
    ("（六）其他处理", None, ""),
    (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "outcome_other_no_correction",
        "2 0 0 0 0 0 2",
    ),
    (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "outcome_other_fee_unpaid",
        "0 0 0 0 0 0 0",
    ),
    ("3.其他", "outcome_other_other", "1 0 0 0 0 0 1"),
    ("（七）总计", "outcome_total", "72 8 0 0 1 1 82"),
    ("四、结转下年度继续办理", "requests_carried_out", "4 0 0 0 0 0 4"),
)
# Table 二 (2021): (label, ids, values).
TABLE2 = (
    ("规章", ("regulations.issued", "regulations.repealed", "regulations.in_force"), "2 1 14"),
    (
        "行政规范性文件",
        ("normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force"),
        "6 3 41",
    ),
    ("行政许可", ("licensing.decisions",), "1234"),
    ("行政处罚", ("penalties.decisions",), "567"),
    ("行政强制", ("coercive_measures.decisions",), "8"),
    ("行政事业性收费", ("admin_fees.amount",), "12.5"),
)
T4_GROUPS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
TABLE4 = "3 1 2 1 7 1 0 0 1 2 0 0 1 0 1"
T3_HEADER_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def _split(values: str) -> list[str]:
    """A row's cells: `_` stands for a blank cell."""
    return ["" if v == "_" else v for v in values.split(" ")]


def expected_cells(table3: tuple = TABLE3, table4: str = TABLE4) -> dict[str, str]:
    """Every printed cell: gip id -> the cell as printed (values, not yet scaled)."""
    cells: dict[str, str] = {}
    for _, ids, values in TABLE2:
        for ident, value in zip(ids, _split(values), strict=True):
            cells[f"gip.{ident}"] = value
    for _, row, values in table3:
        if row:
            for column, value in zip(COLUMNS, _split(values), strict=True):
                cells[f"gip.{row}.{column}"] = value
    values4 = _split(table4)
    for g, group in enumerate(T4_GROUPS):
        for k, column in enumerate(T4_COLUMNS):
            cells[f"gip.{group}.{column}"] = values4[g * 5 + k]
    return cells


def expected_values(table3: tuple = TABLE3, table4: str = TABLE4) -> dict[str, str]:
    """gip id -> the row's value as written in the output (the fee in 元)."""
    from decimal import Decimal

    out = {}
    for ident, value in expected_cells(table3, table4).items():
        if value in ("", "/", "—") or not any(c.isdigit() for c in value):
            continue
        if ident == "gip.admin_fees.amount":
            value = format((Decimal(value) * 10000).normalize(), "f")
        out[ident] = value
    return out


# --- raw PDF text: label then values on one line, a page break inside table 三 ------------


def raw_text(table3: tuple = TABLE3, page_break_after: str = "8.属于行政查询事项") -> str:
    lines = [TITLE, PROSE_ONE.rstrip("\n"), "二、主动公开政府信息情况"]
    lines += ["第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数"]
    for label, _, values in TABLE2[:2]:
        lines.append(f"{label} {values}")
    lines += ["第二十条第（五）项", "信息内容 本年处理决定数量", f"行政许可 {TABLE2[2][2]}"]
    lines += ["第二十条第（六）项", "信息内容 本年处理决定数量"]
    lines += [f"行政处罚 {TABLE2[3][2]}", f"行政强制 {TABLE2[4][2]}"]
    lines += ["第二十条第（八）项", "信息内容 本年收费金额（单位：万元）", f"行政事业性收费 {TABLE2[5][2]}"]
    lines += [
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商 业 企",
        "业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    text = "\n".join(lines) + "\n"
    for label, row, values in table3:
        if row is None:
            text += label + "\n"
            continue
        printed = " ".join(v for v in _split(values) if v)  # a PDF's blank cell leaves no text
        text += f"{label} {printed}".rstrip() + "\n"
        if label == page_break_after:
            text = text[:-1] + "\f- 3 -\n"
    text += "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
    text += "结果\n维持\n结果\n纠正\n其他\n结果\n尚未\n审结\n总 计\n未经复议直接起诉 复议后起诉\n"
    text += ("结果\n维持\n结果\n纠正\n其他\n结果\n尚未\n审结\n总 计\n" * 2) + TABLE4 + "\n"
    return text + PROSE_FIVE


# --- a web page: merged header cells (text out of column order), Word-pasted runs ------


def _td(text: str, attrs: str = "") -> str:
    if text == "":
        return f"<td{attrs}><p><span>&nbsp;</span><o:p> </o:p></p></td>"
    if text.isdigit() and len(text) >= 2:  # a Word paste splits a number into runs
        return f"<td{attrs}><p><span>{text[:1]}</span><span>{text[1:]}</span></p></td>"
    return f"<td{attrs}><p>{html.escape(text)}</p></td>"


def web_page(table3: tuple = TABLE3, table4: str = TABLE4) -> bytes:
    parts = [f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"]
    parts.append("<div class='article-content'>")
    parts.append(f"<h1>{TITLE}</h1>")
    for line in PROSE_ONE.strip().split("\n"):
        parts.append(f"<p>{line}</p>")
    parts.append("<p>二、主动公开政府信息情况</p><table border='1'>")
    parts.append("<tr><td colspan='4'>第二十条第（一）项</td></tr>")
    parts.append("<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>")
    for label, _, values in TABLE2[:2]:
        parts.append("<tr>" + _td(label) + "".join(_td(v) for v in _split(values)) + "</tr>")
    for title, rows in (("第二十条第（五）项", TABLE2[2:3]), ("第二十条第（六）项", TABLE2[3:5])):
        parts.append(f"<tr><td colspan='4'>{title}</td></tr>")
        parts.append("<tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>")
        for label, _, values in rows:
            parts.append("<tr>" + _td(label) + _td(values, " colspan='3'") + "</tr>")
    parts.append("<tr><td colspan='4'>第二十条第（八）项</td></tr>")
    parts.append("<tr><td>信息内容</td><td colspan='3'>本年收费金额（单位：万元）</td></tr>")
    parts.append("<tr>" + _td("行政事业性收费") + _td(TABLE2[5][2], " colspan='3'") + "</tr></table>")
    parts.append("<p>三、收到和处理政府信息公开申请情况</p><table border='1'>")
    # The header: merged cells come out once, so its text is out of column order.
    parts.append(
        "<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为："
        "第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan='7'>申请人情况</td></tr>"
        "<tr><td rowspan='2'><span>自然</span><span>人</span></td><td colspan='5'>法人或其他组织</td>"
        "<td rowspan='2'>总计</td></tr>"
        "<tr><td><p>商业</p><p>企业</p></td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>"
        "<td>其他</td></tr>"
    )
    group = ""
    for label, row, values in table3:
        if row is None:
            group = label
            continue
        cells = _split(values) if values else [""] * 7
        heads = _td(group) if group else ""
        group = ""
        parts.append("<tr>" + heads + _td(label) + "".join(_td(v) for v in cells) + "</tr>")
    parts.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table border='1'>")
    parts.append("<tr><td colspan='5' rowspan='2'>行政复议</td><td colspan='10'>行政诉讼</td></tr>")
    parts.append("<tr><td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr><tr>")
    parts.append("".join(_td(h) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3))
    parts.append("</tr><tr>" + "".join(_td(v) for v in _split(table4)) + "</tr></table>")
    for line in PROSE_FIVE.strip().split("\n"):
        parts.append(f"<p>{line}</p>")
    parts.append("</div></body></html>")
    return "\n".join(parts).encode("utf-8")


# --- Word: a real table with merged cells ---------------------------------------------


def docx_bytes(table3: tuple = TABLE3, table4: str = TABLE4) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    for line in PROSE_ONE.strip().split("\n"):
        document.add_paragraph(line)
    document.add_paragraph("二、主动公开政府信息情况")
    t2 = document.add_table(rows=0, cols=4)

    def row(values: list[str], merge_from: int | None = None) -> None:
        cells = t2.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
        if merge_from is not None:
            cells[merge_from].merge(cells[3])
            cells[merge_from].text = values[merge_from]

    row(["第二十条第（一）项", "", "", ""])
    t2.rows[-1].cells[0].merge(t2.rows[-1].cells[3]).text = "第二十条第（一）项"
    row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    for label, _, values in TABLE2[:2]:
        row([label, *_split(values)])
    for title, rows, head in (
        ("第二十条第（五）项", TABLE2[2:3], "本年处理决定数量"),
        ("第二十条第（六）项", TABLE2[3:5], "本年处理决定数量"),
        ("第二十条第（八）项", TABLE2[5:6], "本年收费金额（单位：万元）"),
    ):
        row([title, "", "", ""])
        t2.rows[-1].cells[0].merge(t2.rows[-1].cells[3]).text = title
        row(["信息内容", head, "", ""], merge_from=1)
        for label, _, values in rows:
            row([label, values, "", ""], merge_from=1)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    t3 = document.add_table(rows=3, cols=9)
    corner = t3.cell(0, 0).merge(t3.cell(2, 1))
    corner.text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t3.cell(0, 2).merge(t3.cell(0, 8)).text = "申请人情况"
    t3.cell(1, 2).merge(t3.cell(2, 2)).text = "自然人"
    t3.cell(1, 3).merge(t3.cell(1, 7)).text = "法人或其他组织"
    t3.cell(1, 8).merge(t3.cell(2, 8)).text = "总计"
    for k, name in enumerate(T3_HEADER_COLUMNS[1:6]):
        t3.cell(2, 3 + k).text = name
    group_start = None
    group = ""
    for label, row_id, values in table3:
        if row_id is None:
            group = label
            continue
        cells = t3.add_row().cells
        if group:
            cells[0].text = group
            group_start = len(t3.rows) - 1
            group = ""
        elif group_start is not None and label[:1].isdigit():
            t3.cell(group_start, 0).merge(cells[0])  # the group label spans its sub-rows
        else:
            group_start = None
        cells[1].text = label
        if group_start is None:
            cells[0].merge(cells[1]).text = label
        for k, value in enumerate(_split(values) if values else [""] * 7):
            cells[2 + k].text = value if value else "\u3000"
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = document.add_table(rows=4, cols=15)
    t4.cell(0, 0).merge(t4.cell(1, 4)).text = "行政复议"
    t4.cell(0, 5).merge(t4.cell(0, 14)).text = "行政诉讼"
    t4.cell(1, 5).merge(t4.cell(1, 9)).text = "未经复议直接起诉"
    t4.cell(1, 10).merge(t4.cell(1, 14)).text = "复议后起诉"
    for k, name in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3):
        t4.cell(2, k).text = name
    for k, value in enumerate(_split(table4)):
        t4.cell(3, k).text = value
    for line in PROSE_FIVE.strip().split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- `|`-delimited rows (extractor or OCR markdown) ------------------------------------


def markdown_text(table3: tuple = TABLE3, table4: str = TABLE4) -> str:
    lines = [TITLE, PROSE_ONE.rstrip("\n"), "二、主动公开政府信息情况"]
    lines.append("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |")
    for label, _, values in TABLE2:
        lines.append(f"| {label} | " + " | ".join(_split(values)) + " |")
    lines += [
        "三、收到和处理政府信息公开申请情况",
        "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
    ]
    for label, row, values in table3:
        if row is None:
            lines.append(f"| {label} |")
            continue
        lines.append(f"| {label} | " + " | ".join(_split(values)) + " |")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "| 行政复议 | 未经复议直接起诉 | 复议后起诉 |"]
    values4 = _split(table4)
    for g in range(3):
        lines.append("| " + " | ".join(values4[g * 5 : g * 5 + 5]) + " |")
    return "\n".join(lines) + "\n" + PROSE_FIVE


def with_cells(table3: tuple, changes: dict[str, str]) -> tuple:
    """TABLE3 with some rows' values replaced (row id -> values, "" for a blank cell)."""
    return tuple((label, row, changes.get(row, values) if row else values) for label, row, values in table3)
