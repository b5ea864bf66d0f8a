"""Indicator tables: one row per numeric cell.

"STT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | So sánh (%)": the label column names the
indicator, the unit column (or a "(%)" header) the unit, a value column's header the kind,
the period and whether it is a comparison. Header rows (one or two) hold no figures;
nor do STT cells. Group rows ("I | Kinh tế") qualify the sub-items under them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon as lx
from . import link, rules
from .find import counted_noun_at
from .numbers import NUMBER, parse_digits
from .reader import Block
from .sentences import collapse

CELL_NUMBER = re.compile(r"^\s*(?P<q>≥|≤|>=|<=|>|<|~)?\s*(?P<num>%s)\s*(?P<pct>%%)?\s*$" % NUMBER)


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
        empty=set(t["empty"]),
    )


@dataclass
class Column:
    role: str              # stt | label | unit | value
    header: str
    kind: str | None = None
    period: str = ""
    comparison: bool = False
    percent: bool = False
    change: str = ""


def column_of(header: str) -> Column:
    s = _spec()
    h = collapse(header)
    if any(p.search(h) for p in s["stt"]):
        return Column("stt", h)
    if s["unit"].search(h) and len(h) < 20:
        return Column("unit", h)
    col = Column("value", h)
    if s["label"].search(h) and not re.search(r"\d", h):
        col.role = "label?"          # "Chỉ tiêu" names rows, or (with numbers) the target column
    col.comparison = bool(s["comparison"].search(h))
    col.percent = "%" in h
    if s["increase"].search(h) and not col.percent:
        col.change = "+"
    elif s["decrease"].search(h) and not col.percent:
        col.change = "-"
    if col.comparison:
        col.kind = "actual"
    elif s["target"].search(h):
        col.kind = "target"
    elif s["actual"].search(h):
        col.kind = "actual"
    ms = [m for m in link.mentions(h) if not m.base]
    col.period = ms[0].period if ms else ""
    return col


def _is_number_cell(text: str) -> bool:
    return bool(CELL_NUMBER.match(text)) and not re.fullmatch(r"\s*(?:19|20)\d\d\s*", text)


def _header_rows(rows: dict[int, list[Block]]) -> int:
    """How many leading rows are headers: rows with no figure cell (a year is no figure)."""
    n = 0
    for r in sorted(rows)[:3]:
        cells = rows[r]
        if any(_is_number_cell(c.text) for c in cells[1:]) or (n and not any(c.bold for c in cells)):
            break
        n += 1
    return n or 1


def _unit_from(text: str):
    """(unit, factor, per, counted) from a ĐVT cell: "tạ/ha" → tonne × 0.1 per ha."""
    t = collapse(text)
    if not t:
        return None
    scale = 1.0
    from .numbers import magnitudes
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
    if mag and mag.group("mag").lower() in ("triệu", "tỷ", "tỉ"):
        return "VND", scale, "", ""
    noun = counted_noun_at(t, 0, len(t))
    if noun:
        per = lx.per_pattern().match(t, noun[1])
        return "count", 1.0, per.group("per").lower() if per else "", noun[0].lower()
    return "count", 1.0, "", t.lower()


def table_rows(doc_id: str, ctx, cells: list[Block]):
    from .extractor import Row
    rows: dict[int, list[Block]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    n_head = _header_rows(rows)
    ordered = sorted(rows)
    headers: dict[int, list[str]] = {}
    for r in ordered[:n_head]:
        for c in rows[r]:
            for col in range(c.col, c.col + c.col_span):
                if collapse(c.text):
                    headers.setdefault(col, []).append(collapse(c.text))
    columns = {col: column_of(" ".join(dict.fromkeys(h))) for col, h in headers.items()}
    body = [c for r in ordered[n_head:] for c in rows[r]]
    for k, c in columns.items():
        texts = [x.text for x in body if x.col == k and x.text.strip()]
        numeric = sum(_is_number_cell(t) for t in texts)
        if c.role == "label?":
            c.role = "value" if texts and numeric * 2 > len(texts) else "label"
        elif c.role == "value" and texts and numeric * 2 <= len(texts) and \
                not any(x.role == "label" for x in columns.values()):
            c.role = "label"       # the first mostly-text column names the rows
    label_col = next((k for k, c in sorted(columns.items()) if c.role == "label"), None)
    unit_col = next((k for k, c in sorted(columns.items()) if c.role == "unit"), None)
    out = []
    group = ""
    for r in ordered[n_head:]:
        row = sorted(rows[r], key=lambda c: c.col)
        by_col = {c.col: c for c in row}
        sentence = " | ".join(collapse(c.text) for c in row)
        label = collapse(by_col[label_col].text) if label_col in by_col else ""
        values = [c for c in row if columns.get(c.col, Column("value", "")).role == "value" and _is_number_cell(c.text)]
        if not values:
            group = label.lstrip("-+• ").strip() or group
            continue
        sub = label.startswith(("-", "+", "•"))
        name = label.lstrip("-+• ").strip()
        if sub and group:
            name = f"{group} {name}"
        unit_info = _unit_from(by_col[unit_col].text) if unit_col in by_col else None
        first = row[0]
        section = ctx.seg.section_of(first.index)
        section_kind = ctx.section_kind(first.index)
        fallback = ctx.section_period(first.index)
        for cell in values:
            col = columns.get(cell.col, Column("value", ""))
            m = CELL_NUMBER.match(cell.text)
            value = parse_digits(m.group("num"))
            if col.percent or m.group("pct"):
                unit, factor, per, counted = "%", 1.0, "", ""
            elif unit_info:
                unit, factor, per, counted = unit_info
            else:
                unit, factor, per, counted = "count", 1.0, "", ""
            q = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "~": "~"}.get(m.group("q") or "", "=")
            start = cell.text.index(m.group("num"))
            header = col.header.lower()
            ind = name[:1].lower() + name[1:]
            if col.comparison and not col.period:
                compared = header[header.find("so với"):] if "so với" in header else ""
                ind = f"{ind} {compared}" if compared else f"{ind} so với kế hoạch" if "kh" in header else ind
            elif col.kind and not col.period:
                ind = f"{ind} ({header})"
            out.append(Row(
                doc_id=doc_id, section_path=section.section_path if section else "",
                section_title=section.title if section else "", block=cell.index, start=start,
                end=start + len(m.group("num")) + (1 if m.group("pct") else 0) * 0, sentence=sentence,
                raw=m.group("num"), indicator=ind, value=value * factor, unit=unit, counted=counted,
                denominator=None, qualifier=q, change=col.change, kind=col.kind or section_kind,
                period=col.period or fallback, per=per))
    return out
