"""HTML pages for auditors: `chiso report OUTDIR` writes OUTDIR/report.html.

Each document's text by section, every figure of the table highlighted (a colour per
unit; a click or Enter shows its row), every other number marked with the reason it is no
row, and a filterable table of all rows where a click jumps to the figure. No network: the
CSS and the script are inline. Interface text in Vietnamese; values, units and kinds shown
as a Vietnamese reader writes them (the CSV keeps the contract's values).

Scale: while the documents' texts stay small they are all in report.html; beyond
INLINE_BUDGET characters report.html is an index (every row, the filters, a list of the
documents) and each document gets a page of its own in report_files/, holding its text and
its rows. The rows travel as JSON in a `<script type="application/json">` block with every
`<` written `\\u003c`, so no text of a report can change the page's structure.
"""
from __future__ import annotations

import html
import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from pipeline.errors import ChisoError
from pipeline.find import lexicon as lx
from pipeline.stages import process
from pipeline.write.files import write_atomic

INLINE_BUDGET = 2_000_000          # characters of document text report.html holds before it splits
PAGES = "report_files"             # the per-document pages, next to report.html
FIELDS = [("value", "Giá trị"), ("unit", "Đơn vị"), ("indicator", "Chỉ tiêu"), ("qualifier", "Dấu so sánh"),
          ("change", "Biến động"), ("kind", "Loại"), ("period", "Kỳ"), ("per", "Tính trên"),
          ("counted", "Đối tượng đếm"), ("denominator", "Mẫu số"), ("code", "Mã chỉ tiêu"),
          ("basis", "Căn cứ"), ("section_path", "Mục"), ("section_title", "Tên mục"), ("raw", "Nguyên văn")]
COLUMNS = ["row", "doc_id", "page"] + [k for k, _ in FIELDS]      # what a row carries into the page
SHARED = ["doc_id", "page", "unit", "qualifier", "change", "kind", "period", "per", "counted", "code", "basis",
          "section_path", "section_title"]                                # columns of few values, sent once
KINDS = {"actual": "thực hiện", "target": "mục tiêu"}
CHANGES = {"+": "tăng", "-": "giảm"}
QUALIFIERS = {"=": "bằng", "~": "khoảng", ">": "trên", ">=": "từ … trở lên", "<": "dưới", "<=": "không quá"}
# where an inferred field came from (rule names of pipeline/link/context.py); others show as written
BASIS = {"period": "kỳ", "kind": "loại", "indicator": "chỉ tiêu", "clause": "trong câu",
         "base": "năm của mốc so sánh", "row-label": "nhãn dòng của bảng", "column": "tiêu đề cột",
         "lead": "phần đầu câu/đoạn", "heading": "đề mục", "title": "tên văn bản", "none": "không có",
         "default": "mặc định"}


def _marked_text(text: str, figures: list[tuple[int, int, int, str]], others: list[tuple[int, int, str]]) -> str:
    """text with <mark> around figures (start, end, row, unit) and <span> around others."""
    events: list[tuple[int, int, str]] = []
    spans = sorted(figures, key=lambda f: (f[0], -f[1], f[2]))
    for start, end, row, unit in spans:
        cls = "u-" + {"%": "pct"}.get(unit, unit)
        events.append((start, 0, f'<mark class="fig {html.escape(cls)}" id="fig-{row}" data-row="{row}" tabindex="0">'))
        events.append((end, 1, "</mark>"))
    taken = [(f[0], f[1]) for f in figures]
    for start, end, reason in others:
        if any(a < end and start < b for a, b in taken):
            continue
        events.append((start, 0, f'<span class="other" title="{html.escape(reason)}" data-reason="'
                                 f'{html.escape(reason)}">'))
        events.append((end, 1, f'<sup class="why">{html.escape(reason)}</sup></span>'))
    # at one offset, closing tags come before opening ones; openings keep their order
    out, pos = [], 0
    for offset, _kind, tag in sorted(events, key=lambda e: (e[0], 0 if e[1] else 1)):
        out.append(html.escape(text[pos:offset]).replace("\n", "<br>"))
        out.append(tag)
        pos = offset
    out.append(html.escape(text[pos:]).replace("\n", "<br>"))
    return "".join(out)


@lru_cache(maxsize=8)
def _processed(path: str, mtime: float):
    """One reading of a source, however many documents of the table name it."""
    return process(Path(path))


def _document_html(doc_id: str, path: Path, rows: list[dict]) -> str:
    doc = _processed(str(path.resolve()), path.stat().st_mtime)
    seg = doc.segmentation
    by_block: dict[int, list] = {}
    for r in rows:
        by_block.setdefault(int(r["block"]), []).append((int(r["start"]), int(r["end"]), r["row"], r["unit"]))
    # the numbers extraction set aside, with its reason; those the table holds are shown as rows
    others = {b: [(x.start, x.end, x.reason) for x in xs] for b, xs in doc.excluded.items()}
    parts = [f'<section class="doc" id="doc-{html.escape(doc_id)}"><h2>{html.escape(doc_id)}</h2>']
    table_open = row_open = None
    for b in doc.blocks:
        body = _marked_text(b.text, by_block.get(b.index, []), others.get(b.index, []))
        if b.kind == "cell":
            if table_open != b.table:
                parts.append("</tr></table></div>" if table_open is not None else "")
                parts.append('<div class="scroll"><table class="src">')
                table_open, row_open = b.table, None
            if row_open != b.row:
                parts.append("</tr><tr>" if row_open is not None else "<tr>")
                row_open = b.row
            span = f' colspan="{b.col_span}"' if b.col_span > 1 else ""
            parts.append(f"<td{span}>{body}</td>")
            continue
        if table_open is not None:
            parts.append("</tr></table></div>")
            table_open = None
        if not b.text.strip():
            continue
        section = seg.section_of(b.index)
        if b.index in seg.heading_blocks and section is not None:
            level = min(6, section.level + 2)
            parts.append(f'<h{level} class="head" title="{html.escape(section.section_path)}">{body}</h{level}>')
        else:
            parts.append(f"<p>{body}</p>")
    parts.append("</tr></table></div>" if table_open is not None else "")
    parts.append("</section>")
    return "".join(parts)


def _missing_html(source: str) -> str:
    return (f'<section class="doc"><h2>{html.escape(source)}</h2><p class="missing">'
            f"Không tìm thấy tệp nguồn.</p></section>")


STATUS_CLASS = {"đạt": "st-dat", "vượt": "st-vuot", "không đạt": "st-khong"}
COMPILED_HEAD = ["Tài liệu", "Mã", "Chỉ tiêu", "Kỳ", "Mục tiêu", "Thực hiện", "Đơn vị", "Tỷ lệ", "Đánh giá"]


def _compiled_html(folder: Path) -> str:
    """The target/result table of a compiled folder (compiled.csv), a colour per status."""
    from pipeline.write.compile import display
    path = folder / "compiled.csv"
    if not path.is_file():
        return ""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    head = "".join(f"<th>{h}</th>" for h in COMPILED_HEAD)
    body = []
    for _, r in df.iterrows():
        first = r["rows"].replace(";", " ").split()[0] if r["rows"].strip() else ""
        rate = f"{display(round(float(r['achievement']) * 100, 1))}%" if r["achievement"] else ""
        unit = r["unit"] + (f"/{r['per']}" if r["per"] else "")
        cells = [r["doc_id"], r["code"], r["name"], r["period"],
                 _qualified(r["target_qualifier"], r["target"], display), _qualified(r["actual_qualifier"],
                 r["actual"], display), unit, rate, r["status"] + (" ⚠" if r["conflict"] else "")]
        title = f' title="{html.escape(r["conflict"])}"' if r["conflict"] else ""
        row = f' data-row="{int(first) - 1}"' if first.isdigit() else ""
        body.append(f'<tr class="{STATUS_CLASS.get(r["status"], "st-none")}"{row}{title}>' +
                    "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return (f'<section id="compiled"><h2>Mục tiêu và kết quả ({len(df)} dòng tổng hợp)</h2>'
            f'<p class="legend"><span class="st-dat">đạt</span> <span class="st-vuot">vượt</span> '
            f'<span class="st-khong">không đạt</span> · ⚠ mâu thuẫn</p><div class="scroll">'
            f'<table id="compiled-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f"</div></section>")


def _qualified(qualifier: str, value: str, display) -> str:
    if value == "":
        return ""
    q = {">=": "≥ ", "<=": "≤ ", ">": "> ", "<": "< ", "~": "~ "}.get(qualifier, "")
    return q + display(float(value))


def _code_options(rows: list[dict]) -> str:
    codes = Counter(r["code"] for r in rows)
    opts = [f'<option value="{html.escape(c)}">{html.escape(c)} ({n})</option>'
            for c, n in sorted(codes.items()) if c]
    return '<option value="-">(không mã)</option>' + "".join(opts)


def json_block(element_id: str, data) -> str:
    """data as a JSON block that no text can end or comment out: every `<` is \\u003c."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _rows_data(rows: list[dict]) -> dict:
    """The rows as lists under one list of column names; a column in SHARED holds the index of
    its value in `shared[column]` (a document's rows repeat their page, section and basis)."""
    shared = {c: {} for c in SHARED}
    for r in rows:
        for c in SHARED:
            shared[c].setdefault(r[c], len(shared[c]))
    lists = [[shared[c][r[c]] if c in shared else r[c] for c in COLUMNS] for r in rows]
    return {"columns": COLUMNS, "shared": {c: list(v) for c, v in shared.items()}, "rows": lists}


def _labels() -> dict:
    units = {u: ("%" if u == "%" else b["name"]) for u, b in lx.base_units().items()}
    return {"fields": FIELDS, "units": units, "kinds": KINDS, "changes": CHANGES, "qualifiers": QUALIFIERS,
            "basis": BASIS}


@lru_cache(maxsize=1)
def _asset(name: str) -> str:
    return resources.files("pipeline.audit").joinpath(name).read_text(encoding="utf-8")


def _page(rows: list[dict], text_html: str, title: str, compiled: str = "", home: str = "") -> str:
    """One page: text_html on the left (below on a phone), the detail and the row table beside it."""
    units = lx.base_units()          # rules/units.yaml: name, colour and highlight of each base unit
    legend = "".join(f'<span class="fig u-{"pct" if u == "%" else u}" title="{html.escape(b["name"])}">'
                     f'{html.escape(u if u == "%" else b["name"])}</span> ' for u, b in units.items())
    css_units = "".join(f'.u-{"pct" if u == "%" else u}{{background:{b["colour"]}}}' for u, b in units.items())
    unit_opts = "".join(f'<option value="{html.escape(u)}">{html.escape(b["name"])} ({html.escape(u)})</option>'
                        for u, b in units.items())
    back = f'<p class="home"><a href="{html.escape(home)}">← Mục lục báo cáo</a></p>' if home else ""
    return TEMPLATE.format(
        title=html.escape(title), css=_asset("report_page.css") + css_units, legend=legend, back=back,
        compiled=compiled, text=text_html, codes=_code_options(rows), units=unit_opts,
        data=json_block("rows-data", _rows_data(rows)), labels=json_block("labels", _labels()),
        script=_asset("report_page.js"))


def _table(table_path: Path) -> list[dict]:
    """The table's rows as dicts of text, each with its 0-based number `row`."""
    df = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    if "source_path" not in df.columns:
        raise ChisoError(table_path, "bảng không có cột source_path (no source_path column)")
    blank = dict.fromkeys(COLUMNS, "")
    return [blank | r | {"row": i} for i, r in enumerate(df.to_dict("records"))]


def _source(table_path: Path, source: str) -> Path | None:
    """The file a row's source_path names, found as the audit finds it: as given, against
    the folder the extract ran in (OUTDIR/.chiso-run.json), or beside the table."""
    from pipeline.audit.sources import resolve_source
    return resolve_source(source, table_path.parent)


def missing_sources(table_path) -> list[str]:
    """The source paths of the table that no file is found for."""
    table_path = Path(table_path)
    sources = dict.fromkeys(r["source_path"] for r in _table(table_path))
    return [s for s in sources if _source(table_path, s) is None]


def build_pages(table_path) -> dict[str, str]:
    """report.html and, for a large table, report_files/NNNN.html: file name → HTML."""
    table_path = Path(table_path)
    rows = _table(table_path)
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["doc_id"], r["source_path"]), []).append(r)
    docs = []        # (doc_id, rows, html)
    for (doc_id, source), group in groups.items():
        path = _source(table_path, source)
        docs.append((doc_id, group, _document_html(doc_id, path, group) if path else _missing_html(source)))
    title = f"{len(docs)} tài liệu, {len(rows)} số liệu"
    compiled = _compiled_html(table_path.parent)
    if sum(len(h) for _, _, h in docs) <= INLINE_BUDGET:
        return {"report.html": _page(rows, "".join(h for _, _, h in docs), title, compiled)}
    pages, links = {}, []
    for n, (doc_id, group, text) in enumerate(docs, 1):
        name = f"{PAGES}/{n:04d}.html"
        for r in group:
            r["page"] = name
        pages[name] = _page(group, text, f"{doc_id} — {len(group)} số liệu", home="../report.html")
        links.append(f'<li><a href="{html.escape(name)}">{html.escape(doc_id)}</a> · {len(group)} số liệu</li>')
    index = f'<section id="doc-list"><h2>Tài liệu</h2><ol>{"".join(links)}</ol></section>'
    return {"report.html": _page(rows, index, title, compiled)} | pages


def build_report(table_path) -> str:
    """report.html alone (the per-document pages, if any, are left out)."""
    return build_pages(table_path)["report.html"]


def write_report(table_path, folder=None) -> Path:
    """Write report.html (and report_files/ when the table is large) next to the table."""
    table_path = Path(table_path)
    folder = Path(folder) if folder else table_path.parent
    pages = build_pages(table_path)
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / name, text)
    for old in (folder / PAGES).glob("[0-9][0-9][0-9][0-9].html"):     # an earlier, larger report's pages
        if f"{PAGES}/{old.name}" not in pages:
            old.unlink()
    return folder / "report.html"


TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chiso — báo cáo kiểm tra số liệu</title>
<style>{css}</style></head><body>
<main id="text">{back}<h1>Báo cáo kiểm tra số liệu — {title}</h1>
<p class="legend">Màu theo đơn vị: {legend} · <span class="other">số gạch chân chấm</span>: không phải số liệu (lý do ghi bên cạnh)</p>
{compiled}{text}</main>
<aside id="side"><h2>Chi tiết</h2><div id="detail" tabindex="-1"><button type="button" id="close" aria-label="Đóng">×</button><div id="detail-body">Bấm (hoặc Enter) vào một số liệu được tô màu để xem dòng của nó.</div></div>
<h2>Bảng số liệu</h2>
<div class="filters"><input id="q" type="search" placeholder="Tìm chỉ tiêu, nguyên văn, kỳ, mã, mục…" aria-label="Tìm">
<select id="unit" aria-label="Đơn vị"><option value="">Mọi đơn vị</option>{units}</select>
<select id="kind" aria-label="Loại"><option value="">Mọi loại</option><option value="actual">thực hiện</option><option value="target">mục tiêu</option></select>
<select id="code" aria-label="Mã chỉ tiêu"><option value="">Mọi mã</option>{codes}</select>
<span id="count" aria-live="polite"></span></div>
<div class="scroll" id="rows-panel"><table id="rows"><thead><tr><th>#</th><th>Tài liệu</th><th>Nguyên văn</th><th>Giá trị</th><th>Đơn vị</th><th>Chỉ tiêu</th><th>Loại</th><th>Kỳ</th><th>Mã</th></tr></thead><tbody></tbody></table></div>
<button type="button" id="more" hidden></button>
</aside>
{data}{labels}
<script>{script}</script></body></html>
"""
