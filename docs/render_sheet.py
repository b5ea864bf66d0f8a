"""Render a sheet of a workbook as its cells show (Vietnamese numbers, fills, bold) to a PNG
with chromium (LibreOffice is not needed): `python docs/render_sheet.py OUTDIR/compiled.xlsx
docs/compiled.png [--sheet "Tổng hợp"] [--rows 30] [--docs 6]`. A crop: the first rows, and the
first documents of each block."""
from __future__ import annotations

import argparse
import html
import shutil
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from pipeline.write.compile import display


def _cell_html(c, tag: str) -> str:
    text = display(c.value) if isinstance(c.value, (int, float)) else html.escape(str(c.value or ""))
    style = []
    if c.fill is not None and c.fill.fill_type == "solid":
        style.append(f"background:#{c.fill.fgColor.rgb[-6:]}")
    if isinstance(c.value, (int, float)):
        style.append("text-align:right")
    if c.font is not None and c.font.bold:
        style.append("font-weight:bold")
    note = f' title="{html.escape(c.comment.text)}"' if c.comment else ""
    return f'<{tag} style="{";".join(style)}"{note}>{text}</{tag}>'


def sheet_html(path: Path, sheet: str, rows: int, docs: int) -> str:
    ws = load_workbook(path)[sheet]
    n_docs = (ws.max_column - 3) // 2
    keep = list(range(3)) + [3 + i for i in range(min(docs, n_docs))] + \
        [3 + n_docs + i for i in range(min(docs, n_docs))]
    lines = []
    for i, r in enumerate(ws.iter_rows(max_row=rows + 2)):
        tag = "th" if i < 2 else "td"
        lines.append("<tr>" + "".join(_cell_html(r[j], tag) for j in keep) + "</tr>")
    return ('<!DOCTYPE html><meta charset="utf-8"><style>body{font:13px Calibri,Carlito,sans-serif;margin:8px}'
            "table{border-collapse:collapse}td,th{border:1px solid #d0d0d0;padding:2px 6px;white-space:nowrap;"
            "text-align:left}th{background:#f2f2f2}</style>"
            f"<p><b>{html.escape(path.name)} — {html.escape(sheet)}</b> (first {rows} rows, first {docs} documents "
            f"of each block)</p><table>{''.join(lines)}</table>")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--sheet", default="Tổng hợp")
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--docs", type=int, default=6)
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "sheet.html"
        page_path.write_text(sheet_html(a.xlsx, a.sheet, a.rows, a.docs), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1200, "height": 600})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(a.png), full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
