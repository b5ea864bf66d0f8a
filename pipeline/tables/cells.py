"""Indicator tables: one row per numeric cell.

"STT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | So sánh (%)": the label column names the
indicator, the unit column (or a unit in the header: "(%)", "Giá trị (tỷ đồng)") the
unit, a value column's header the kind, the period and whether it is a comparison.
Header rows (one to three, merged cells spread over the columns they cover) hold no
figures; nor do STT cells. Group rows ("I | Kinh tế") hold none either, and a sub-item
("- Lúa" under "Sản lượng lương thực") is named with the row it belongs to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.find import lexicon as lx
from pipeline.link import cues as link
from pipeline import registry as rules
from pipeline.find.figures import counted_noun_at
from pipeline.find.numbers import NUMBER, magnitudes, parse_digits
from pipeline.model import Block, Row
from pipeline.find.sentences import collapse

CELL_NUMBER = re.compile(r"^\s*(?P<q>≥|≤|>=|<=|>|<|~)?\s*(?P<sign>[-+−])?\s*(?P<num>%s)\s*(?P<pct>%%)?\s*$" % NUMBER)
STT_MARK = re.compile(r"^\s*(?:\d{1,3}|[IVXLC]+|[a-zđA-ZĐ])\s*[.)]?\s*$")
ROMAN_MARK = re.compile(r"^\s*[IVXLC]+\s*[.)]?\s*$")
SUB_ITEM = re.compile(r"^\s*[-+•–*]\s*")
HEADER_UNIT = re.compile(r"\(([^()]+)\)")
QUALIFIERS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "~": "~"}


@lru_cache(maxsize=1)
def _spec():
    t = rules.load("tables")

    def any_of(words):
        return re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % lx.alternation(words), re.IGNORECASE)
    return dict(
        stt=[re.compile(p, re.IGNORECASE) for p in t["roles"]["stt"]],
        label=any_of(t["roles"]["label"]), unit=any_of(t["roles"]["unit"]),
        comparison=re.compile(r"(?:%s)" % "|".join(
            (re.escape(w) if not w[0].isalpha() else r"(?<![^\W_])%s(?![^\W_])" % re.escape(w))
            for w in t["comparison"]), re.IGNORECASE),
        target=any_of(t["target"]), actual=any_of(t["actual"]),
        increase=any_of(t["increase"]), decrease=any_of(t["decrease"]),
        signed=any_of(t["signed"]),
        empty=set(t["empty"]),
        compared_from=t["compared_from"],
        plan_marks=any_of(t["plan_marks"]),
        compared_with_plan=t["compared_with_plan"],
    )


@dataclass
class Column:
    role: str              # stt | label | unit | value (label? until the body tells)
    header: str
    kind: str | None = None
    period: str = ""
    comparison: bool = False
    percent: bool = False
    change: str = ""       # "+" / "-" from the header; "±" when the sign of each cell says
    unit: tuple | None = None   # from the header: "Giá trị (tỷ đồng)"


def column_of(header: str) -> Column:
    s = _spec()
    h = collapse(header)
    if any(p.search(h) for p in s["stt"]):
        return Column("stt", h)
    if s["unit"].search(h) and len(h) < 20:
        return Column("unit", h)
    col = Column("value", h)
    if s["label"].search(h) and not re.search(r"\d", h):
        col.role = "label?"          # "Chỉ tiêu" names rows, or (over numbers) the target column
    col.comparison = bool(s["comparison"].search(h))
    col.percent = "%" in h
    if s["signed"].search(h) and not col.percent:
        col.change = "±"
    elif s["increase"].search(h) and not col.percent:
        col.change = "+"
    elif s["decrease"].search(h) and not col.percent:
        col.change = "-"
    if col.comparison:
        col.kind = "actual"
    elif s["target"].search(h):
        col.kind = "target"
    elif s["actual"].search(h):
        col.kind = "actual"
    for inside in HEADER_UNIT.findall(h):
        if "%" not in inside:
            col.unit = unit_from(inside) if lx.unit_pattern().match(inside) or \
                lx.magnitude_pattern().match(inside) else None
    ms = [m for m in link.mentions(h) if not m.base]
    col.period = ms[0].period if ms else ""
    return col


def _is_number_cell(text: str) -> bool:
    return bool(CELL_NUMBER.match(text)) and not re.fullmatch(r"\s*(?:19|20)\d\d\s*", text)


def _is_header_row(cells: list[Block], first: bool) -> bool:
    if any(_is_number_cell(c.text) for c in cells[1:]):
        return False
    if first:
        return True
    filled = [c for c in cells if c.text.strip()]
    return bool(filled) and all(c.bold for c in filled) and not STT_MARK.match(cells[0].text)


def unit_from(text: str):
    """(unit, factor, per, counted) from a ĐVT cell: "tạ/ha" → tonne × 0.1 per ha."""
    t = collapse(text)
    if not t:
        return None
    scale = 1.0
    mag = lx.magnitude_pattern().match(t)
    pos = 0
    if mag:
        scale = magnitudes()[mag.group("mag").lower()]
        pos = mag.end()
    m = lx.unit_pattern().match(t, pos)
    if m:
        rule = lx.unit_by_word()[m.group("unit").lower()]
        per = lx.per_pattern().match(t, m.end())
        return rule["unit"], float(rule["factor"]) * scale, per.group("per").lower() if per else "", ""
    money, magnitudes_of_money = lx.money_without_unit()
    if mag and mag.group("mag").lower() in magnitudes_of_money:
        return money, scale, "", ""
    noun = counted_noun_at(t, 0, len(t))
    if noun:
        per = lx.per_pattern().match(t, noun[1])
        return "count", 1.0, per.group("per").lower() if per else "", noun[0].lower()
    return "count", 1.0, "", t.lower()


def _columns(rows: dict[int, list[Block]], ordered: list[int], n_head: int) -> dict[int, Column]:
    headers: dict[int, list[str]] = {}
    for r in ordered[:n_head]:
        for c in rows[r]:
            for col in range(c.col, c.col + c.col_span):
                if collapse(c.text):
                    headers.setdefault(col, []).append(collapse(c.text))
    columns = {col: column_of(" ".join(dict.fromkeys(h))) for col, h in headers.items()}
    body = [c for r in ordered[n_head:] for c in rows[r]]
    for k in sorted({c.col for c in body} | set(columns)):
        c = columns.setdefault(k, Column("value", ""))
        texts = [x.text for x in body if x.col == k and x.text.strip()]
        numeric = sum(_is_number_cell(t) for t in texts)
        if c.role == "value" and k == min(columns) and texts and all(STT_MARK.match(t) for t in texts):
            c.role = "stt"         # an unnamed first column of 1, 2, 3 … or I, II …
        elif c.role == "label?":
            c.role = "value" if texts and numeric * 2 > len(texts) else "label"
        elif c.role == "value" and texts and numeric * 2 <= len(texts) and \
                not any(x.role == "label" for x in columns.values()):
            c.role = "label"       # the first mostly-text column names the rows
    return columns


def table_rows(doc_id: str, ctx, cells: list[Block]):
    rows: dict[int, list[Block]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    ordered = sorted(rows)
    n_head = 0
    while n_head < min(3, len(ordered) - 1) and _is_header_row(rows[ordered[n_head]], n_head == 0):
        n_head += 1
    columns = _columns(rows, ordered, n_head)
    label_col = next((k for k, c in sorted(columns.items()) if c.role == "label"), None)
    has_plan = any(c.kind == "target" and c.role == "value" for c in columns.values())
    unit_col = next((k for k, c in sorted(columns.items()) if c.role == "unit"), None)
    out = []
    parent = ""
    for r in ordered[n_head:]:
        row = sorted(rows[r], key=lambda c: c.col)
        by_col = {c.col: c for c in row}
        sentence = " | ".join(collapse(c.text) for c in row)
        label = collapse(by_col[label_col].text) if label_col in by_col else ""
        values = [c for c in row if columns.get(c.col, Column("value", "")).role == "value"
                  and _is_number_cell(c.text)]
        sub = bool(SUB_ITEM.match(label))
        name = SUB_ITEM.sub("", label)
        if sub and parent:
            name = f"{parent} {_lower_first(name)}"      # "- Lúa" under "Sản lượng lương thực"
        elif not sub:
            parent = name
        if not values:
            continue                       # a group row: "I | Kinh tế"
        unit_info = unit_from(by_col[unit_col].text) if unit_col in by_col else None
        section = ctx.seg.section_of(row[0].index)
        for cell in values:
            col = columns[cell.col]
            m = CELL_NUMBER.match(cell.text)
            if col.percent or m.group("pct"):
                unit, factor, per, counted = "%", 1.0, "", ""
            else:
                unit, factor, per, counted = col.unit or unit_info or ("count", 1.0, "", "")
            change = col.change
            if change == "±":
                change = "-" if m.group("sign") in ("-", "−") else "+"
            start = cell.text.index(m.group("num"))
            got = ctx.cell(cell.index, name, col.kind, col.period)   # a sub-item keeps its group's year
            out.append(Row(
                doc_id=doc_id, section_path=section.section_path if section else "",
                section_title=section.title if section else "", block=cell.index, start=start,
                end=start + len(m.group("num")), sentence=sentence, raw=m.group("num"),
                indicator=_indicator(name, col, has_plan), value=round(parse_digits(m.group("num")) * factor, 9), unit=unit,
                counted=counted if unit == "count" else "", denominator=None,
                qualifier=QUALIFIERS.get(m.group("q") or "", "="), change=change,
                kind=got.kind, period=got.period, per=per, basis=got.basis))
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if not text[:2].isupper() else text


def _indicator(name: str, col: Column, has_plan: bool) -> str:
    ind = _lower_first(name)
    header = col.header.lower()
    if col.comparison and not col.period:
        # "So sánh (%)" beside a plan column compares the result with the plan
        s = _spec()
        compared = next((header[header.find(w):] for w in s["compared_from"] if w in header), "")
        if not compared and (has_plan or s["plan_marks"].search(header)):
            compared = s["compared_with_plan"]
        return f"{ind} {compared}".strip()
    if col.kind and not col.period:
        return f"{ind} ({header})"
    return ind
