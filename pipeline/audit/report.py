"""A self-contained HTML page for auditors: `chiso report OUTDIR`.

Each document's text by section, every figure of the table highlighted (a colour per
unit; a click shows its row), every other number marked with the reason it is no row,
and a filterable table of all rows where a click jumps to the figure. No network: the
CSS and the script are inline. Interface text in Vietnamese.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from pipeline.errors import ChisoError
from pipeline.find import lexicon as lx
from pipeline.stages import process

FIELDS = [("value", "Giá trị"), ("unit", "Đơn vị"), ("indicator", "Chỉ tiêu"), ("qualifier", "Dấu so sánh"),
          ("change", "Biến động"), ("kind", "Loại"), ("period", "Kỳ"), ("per", "Tính trên"),
          ("counted", "Đối tượng đếm"), ("denominator", "Mẫu số"), ("section_path", "Mục"), ("raw", "Nguyên văn")]


def _marked_text(text: str, figures: list[tuple[int, int, int, str]], others: list[tuple[int, int, str]]) -> str:
    """text with <mark> around figures (start, end, row, unit) and <span> around others."""
    events: list[tuple[int, int, str]] = []
    spans = sorted(figures, key=lambda f: (f[0], -f[1], f[2]))
    for start, end, row, unit in spans:
        cls = "u-" + {"%": "pct"}.get(unit, unit)
        events.append((start, 0, f'<mark class="fig {cls}" id="fig-{row}" data-row="{row}" tabindex="0">'))
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


def _document_html(doc_id: str, path: Path, rows: pd.DataFrame) -> str:
    doc = process(path)
    blocks, seg = doc.blocks, doc.segmentation
    by_block: dict[int, list] = {}
    for i, r in rows.iterrows():
        by_block.setdefault(int(r["block"]), []).append((int(r["start"]), int(r["end"]), int(i), r["unit"]))
    # the numbers extraction set aside, with its reason; those the table holds are shown as rows
    others = {b: [(x.start, x.end, x.reason) for x in xs] for b, xs in doc.excluded.items()}
    parts = [f'<section class="doc" id="doc-{html.escape(doc_id)}"><h2>{html.escape(doc_id)}</h2>']
    table_open = None
    row_open = None
    for b in blocks:
        body = _marked_text(b.text, by_block.get(b.index, []), others.get(b.index, []))
        if b.kind == "cell":
            if table_open != b.table:
                if table_open is not None:
                    parts.append("</tr></table>")
                parts.append('<table class="src">')
                table_open, row_open = b.table, None
            if row_open != b.row:
                parts.append("</tr><tr>" if row_open is not None else "<tr>")
                row_open = b.row
            span = f' colspan="{b.col_span}"' if b.col_span > 1 else ""
            parts.append(f"<td{span}>{body}</td>")
            continue
        if table_open is not None:
            parts.append("</tr></table>")
            table_open = None
        if not b.text.strip():
            continue
        section = seg.section_of(b.index)
        if b.index in seg.heading_blocks and section is not None:
            level = min(6, section.level + 2)
            parts.append(f'<h{level} class="head" title="{html.escape(section.section_path)}">{body}</h{level}>')
        else:
            parts.append(f"<p>{body}</p>")
    if table_open is not None:
        parts.append("</tr></table>")
    parts.append("</section>")
    return "".join(parts)


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
            f'<span class="st-khong">không đạt</span> · ⚠ mâu thuẫn</p>'
            f'<table id="compiled-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f"</section>")


def _qualified(qualifier: str, value: str, display) -> str:
    if value == "":
        return ""
    q = {">=": "≥ ", "<=": "≤ ", ">": "> ", "<": "< ", "~": "~ "}.get(qualifier, "")
    return q + display(float(value))


def _code_options(df: pd.DataFrame) -> str:
    codes = df["code"].value_counts() if "code" in df.columns else pd.Series(dtype=int)
    opts = [f'<option value="{html.escape(c)}">{html.escape(c)} ({n})</option>'
            for c, n in sorted(codes.items()) if c]
    return '<option value="-">(không mã)</option>' + "".join(opts)


def build_report(table_path) -> str:
    table_path = Path(table_path)
    df = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    if "source_path" not in df.columns:
        raise ChisoError(table_path, "bảng không có cột source_path (no source_path column)")
    docs = []
    for source, group in df.groupby("source_path", sort=False):
        path = Path(source) if Path(source).is_file() else table_path.parent / source
        if not path.is_file():
            docs.append(f'<section class="doc"><h2>{html.escape(source)}</h2><p class="missing">'
                        f"Không tìm thấy tệp nguồn.</p></section>")
            continue
        docs.append(_document_html(group["doc_id"].iloc[0], path, group))
    records = [{k: r[k] for k in df.columns} | {"row": int(i)} for i, r in df.iterrows()]
    units = lx.base_units()          # rules/units.yaml: name, colour and highlight of each base unit
    legend = "".join(f'<span class="fig u-{"pct" if u == "%" else u}" title="{html.escape(b["name"])}">'
                     f'{html.escape(u)}</span> ' for u, b in units.items())
    css_units = "".join(f'.u-{"pct" if u == "%" else u}{{background:{b["colour"]}}}' for u, b in units.items())
    if "code" not in df.columns:
        records = [r | {"code": ""} for r in records]
    return TEMPLATE.format(
        css_units=css_units, legend=legend, docs="".join(docs), n_rows=len(df), n_docs=len(docs),
        compiled=_compiled_html(table_path.parent), codes=_code_options(df),
        data=json.dumps(records, ensure_ascii=False).replace("</", "<\\/"),
        fields=json.dumps(FIELDS, ensure_ascii=False),
        units="".join(f'<option value="{html.escape(u)}">{html.escape(u)} ({html.escape(b["name"])})</option>'
                      for u, b in units.items()))


TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chiso — báo cáo kiểm tra số liệu</title>
<style>
body{{font:15px/1.55 "Times New Roman",serif;margin:0;display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);height:100vh}}
#text{{overflow:auto;padding:1rem 2rem}} #side{{overflow:auto;border-left:1px solid #ccc;padding:1rem;font-family:sans-serif;font-size:13px}}
h1{{font-family:sans-serif;font-size:20px}} h2{{font-family:sans-serif;border-bottom:2px solid #333}}
.head{{font-family:sans-serif}} mark.fig{{cursor:pointer;border-radius:3px;padding:0 1px;color:#000}}
mark.fig mark.fig{{outline:1px dashed #555}}
mark.active{{outline:3px solid #d00!important;box-shadow:0 0 6px #d00}}
.other{{text-decoration:underline dotted #777;color:#555;cursor:help}} .other .why{{font-size:9px;color:#999;font-family:sans-serif;margin-left:1px}}
{css_units}
table.src{{border-collapse:collapse;margin:.5rem 0}} table.src td{{border:1px solid #999;padding:2px 6px}}
#rows{{border-collapse:collapse;width:100%}} #rows th,#rows td{{border-bottom:1px solid #ddd;padding:3px;text-align:left;vertical-align:top}}
#rows tbody tr{{cursor:pointer}} #rows tbody tr:hover{{background:#eef}} #rows tr.sel{{background:#fde}}
#detail{{background:#f7f7f7;border:1px solid #ccc;padding:.5rem;margin-bottom:1rem;min-height:3rem;position:sticky;top:0;z-index:1;max-height:45vh;overflow:auto}}
#rows td:nth-child(2){{max-width:7rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}}
#detail dt{{font-weight:bold}} #detail dd{{margin:0 0 .3rem 0}}
#compiled-table{{border-collapse:collapse;font-family:sans-serif;font-size:13px;margin-bottom:1rem}}
#compiled-table th,#compiled-table td{{border:1px solid #bbb;padding:2px 6px;text-align:left}}
#compiled-table tbody tr{{cursor:pointer}} #compiled-table td:nth-child(n+5):nth-child(-n+8){{text-align:right}}
.st-dat{{background:#c6efce}} .st-vuot{{background:#9bd8a8}} .st-khong{{background:#ffc7ce}} .st-none{{background:#fff}}
.filters{{display:flex;gap:.5rem;flex-wrap:wrap;margin-bottom:.5rem}} .legend span{{padding:0 4px;margin-right:2px}}
</style></head><body>
<main id="text"><h1>Báo cáo kiểm tra số liệu — {n_docs} tài liệu, {n_rows} số liệu</h1>
<p class="legend">Màu theo đơn vị: {legend} · <span class="other">số gạch chân chấm</span>: không phải số liệu (lý do ghi bên cạnh)</p>
{compiled}{docs}</main>
<aside id="side"><h2>Chi tiết</h2><div id="detail">Bấm vào một số liệu được tô màu để xem dòng của nó.</div>
<h2>Bảng số liệu</h2>
<div class="filters"><input id="q" type="search" placeholder="Tìm chỉ tiêu, nguyên văn…" aria-label="Tìm">
<select id="unit" aria-label="Đơn vị"><option value="">Mọi đơn vị</option>{units}</select>
<select id="kind" aria-label="Loại"><option value="">Mọi loại</option><option value="actual">thực hiện (actual)</option><option value="target">mục tiêu (target)</option></select>
<select id="code" aria-label="Mã chỉ tiêu"><option value="">Mọi mã</option>{codes}</select>
<span id="count"></span></div>
<table id="rows"><thead><tr><th>#</th><th>Tài liệu</th><th>Nguyên văn</th><th>Giá trị</th><th>Đơn vị</th><th>Chỉ tiêu</th><th>Loại</th><th>Kỳ</th><th>Mã</th></tr></thead><tbody></tbody></table>
</aside>
<script>
const ROWS = {data};
const FIELDS = {fields};
const tbody = document.querySelector("#rows tbody");
function esc(s){{return String(s).replace(/[&<>"]/g,c=>({{"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}}[c]));}}
function show(i){{
  const r = ROWS[i];
  document.getElementById("detail").innerHTML = "<dl>" + FIELDS.map(([k,l]) =>
    "<dt>"+esc(l)+"</dt><dd>"+(r[k]===""?"—":esc(r[k]))+"</dd>").join("") + "</dl>";
  document.querySelectorAll("mark.active").forEach(m=>m.classList.remove("active"));
  document.querySelectorAll("#rows tr.sel").forEach(t=>t.classList.remove("sel"));
  const m = document.getElementById("fig-"+i); if (m) m.classList.add("active");
  const tr = tbody.querySelector('tr[data-row="'+i+'"]'); if (tr) tr.classList.add("sel");
}}
function render(){{
  const q = document.getElementById("q").value.toLowerCase();
  const u = document.getElementById("unit").value, k = document.getElementById("kind").value;
  const c = document.getElementById("code").value;
  const shown = ROWS.filter(r => (!u || r.unit===u) && (!k || r.kind===k) &&
      (!c || (c==="-" ? !r.code : r.code===c)) &&
      (!q || (r.indicator+" "+r.raw+" "+r.doc_id).toLowerCase().includes(q)));
  tbody.innerHTML = shown.map(r => '<tr data-row="'+r.row+'"><td>'+(r.row+1)+"</td><td>"+esc(r.doc_id)+"</td><td>"+
      esc(r.raw)+"</td><td>"+esc(r.value)+"</td><td>"+esc(r.unit)+"</td><td>"+esc(r.indicator)+"</td><td>"+
      esc(r.kind)+"</td><td>"+esc(r.period)+"</td><td>"+esc(r.code)+"</td></tr>").join("");
  document.getElementById("count").textContent = shown.length + " / " + ROWS.length + " dòng";
}}
tbody.addEventListener("click", e => {{
  const tr = e.target.closest("tr"); if (!tr) return;
  const i = Number(tr.dataset.row); const m = document.getElementById("fig-"+i);
  if (m) m.scrollIntoView({{block:"center"}}); show(i);
}});
document.getElementById("text").addEventListener("click", e => {{
  const m = e.target.closest("mark.fig"); if (m) {{ e.stopPropagation(); show(Number(m.dataset.row)); }}
}});
const compiled = document.getElementById("compiled-table");
if (compiled) compiled.addEventListener("click", e => {{
  const tr = e.target.closest("tr[data-row]"); if (!tr) return;
  const i = Number(tr.dataset.row); const m = document.getElementById("fig-"+i);
  if (m) m.scrollIntoView({{block:"center"}}); show(i);
}});
["q","unit","kind","code"].forEach(id => document.getElementById(id).addEventListener("input", render));
render();
</script></body></html>
"""
