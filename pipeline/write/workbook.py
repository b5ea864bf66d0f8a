"""The workbooks: `compiled.xlsx` (chiso compile) and the indicator sheet `Số liệu` that
`chiso extract --format xlsx` streams. Cells are text-safe and numbers Vietnamese (xlsx.py)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from pipeline.write.xlsx import cell, display, set_widths, width_of

DATA_SHEET = "Số liệu"
NUMERIC = {"block": int, "start": int, "end": int, "value": float, "denominator": float}
STATUS_FILL = {"đạt": "C6EFCE", "vượt": "9BD8A8", "không đạt": "FFC7CE"}
DATA_WIDTHS = {"sentence": 60, "indicator": 40, "section_title": 30, "source_path": 30, "source_sha256": 20,
               "basis": 30, "raw": 18}


def typed(column: str, value):
    """A CSV value as its cell holds it: numbers for the numeric columns, else text."""
    if column in NUMERIC:
        if value in ("", None):
            return None
        return NUMERIC[column](float(value)) if NUMERIC[column] is int else float(value)
    return "" if value is None else str(value)


def data_sheet(wb, columns: list[str]):
    ws = wb.create_sheet(DATA_SHEET)
    set_widths(ws, [DATA_WIDTHS.get(c, max(10, len(c))) for c in columns])
    ws.freeze_panes = "A2"
    ws.append([cell(ws, c, bold=True) for c in columns])
    return ws


def data_row(ws, columns: list[str], values) -> None:
    ws.append([cell(ws, typed(c, v)) for c, v in zip(columns, values)])


def _rows_sheet(wb, title: str, columns: list[str], rows: list[list], fills=None) -> None:
    ws = wb.create_sheet(title)
    widths = [max([len(c)] + [width_of(r[i]) for r in rows]) for i, c in enumerate(columns)]
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    ws.append([cell(ws, c, bold=True) for c in columns])
    for r in rows:
        ws.append([cell(ws, v) for v in r])


def summary_grid(compiled) -> tuple[list[str], list[dict]]:
    """Documents in order of appearance, and per code: name, unit, and for each document the
    actual and the target of its latest period that states one (with that period and rows)."""
    from pipeline.write.compile import period_key
    docs = list(dict.fromkeys(r["doc_id"] for r in compiled.records))
    codes: dict[str, dict] = {}
    for e in sorted(compiled.entries, key=lambda e: period_key(e.period)):
        row = codes.setdefault(e.code, {"code": e.code, "name": e.name, "unit": e.unit, "per": e.per,
                                        "actual": {}, "target": {}})
        for kind in ("actual", "target"):
            v = e.values.get(kind)
            if v is not None:      # later periods overwrite earlier ones
                row[kind][e.doc_id] = (v.value, v.qualifier, e.period, e.rows, e)
    return docs, [codes[c] for c in sorted(codes)]


def _summary_sheet(wb, compiled) -> None:
    from pipeline.write.compile import achievement, status
    docs, grid = summary_grid(compiled)
    ws = wb.create_sheet("Tổng hợp", 0)
    head = ["Mã", "Chỉ tiêu", "Đơn vị"] + [f"{d}" for d in docs] * 2
    n = len(head)
    widths = [max(len(h), 12) for h in head]
    widths[0] = max([4] + [len(g["code"]) for g in grid])
    widths[1] = min(50, max([8] + [len(g["name"]) for g in grid]))
    widths[2] = max([6] + [len(_unit(g)) for g in grid])
    ws.freeze_panes = "D3"
    ws.auto_filter.ref = f"A2:{get_column_letter(n)}{len(grid) + 2}"
    blocks = ["", "", ""] + ["Thực hiện (actual)"] + [""] * (len(docs) - 1) + ["Mục tiêu (target)"] + \
        [""] * (len(docs) - 1)
    rows = [[cell(ws, b, bold=True) for b in blocks[:n]], [cell(ws, h, bold=True) for h in head]]
    for g in grid:
        cells = [cell(ws, g["code"]), cell(ws, g["name"]), cell(ws, _unit(g))]
        for kind in ("actual", "target"):
            for d in docs:
                got = g[kind].get(d)
                c = cell(ws, got[0] if got else None)
                if got:
                    q = f"{got[1]} " if got[1] not in ("", "=") else ""
                    c.comment = Comment(f"{q}{display(got[0])} {_unit(g)}; kỳ {got[2] or '—'}; dòng {' '.join(map(str, got[3]))}", "chiso")
                    widths[len(cells)] = max(widths[len(cells)], width_of(got[0]))
                    e = got[4]
                    st = status(e.direction, e.values.get("target"), e.values.get("actual")) if kind == "actual" else ""
                    if st:
                        c.fill = PatternFill("solid", fgColor=STATUS_FILL[st])
                cells.append(c)
        rows.append(cells)
    set_widths(ws, widths)          # a write-only sheet takes its widths before its first row
    for r in rows:
        ws.append(r)


def _unit(g: dict) -> str:
    return g["unit"] + (f"/{g['per']}" if g["per"] else "")


def compiled_workbook(compiled) -> bytes:
    from pipeline.write.compile import CONFLICT_COLUMNS
    wb = Workbook(write_only=True)
    _summary_sheet(wb, compiled)
    ws = data_sheet(wb, compiled.columns)
    for r in compiled.records:
        data_row(ws, compiled.columns, [r.get(c, "") for c in compiled.columns])
    _rows_sheet(wb, "Mâu thuẫn", CONFLICT_COLUMNS, [[c[k] for k in CONFLICT_COLUMNS] for c in compiled.conflicts])
    sources = list(dict.fromkeys((r["doc_id"], r.get("source_path", ""), r.get("source_sha256", ""))
                                 for r in compiled.records))
    _rows_sheet(wb, "Nguồn", ["doc_id", "source_path", "source_sha256"], [list(s) for s in sources])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
