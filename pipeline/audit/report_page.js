"use strict";
// chiso report: the rows arrive as JSON (columns + lists), never as script text.
const DATA = JSON.parse(document.getElementById("rows-data").textContent);
const LABELS = JSON.parse(document.getElementById("labels").textContent);
const ROWS = DATA.rows.map(v => {          // a shared column holds an index into DATA.shared
  const r = {};
  DATA.columns.forEach((c, j) => { const s = DATA.shared[c]; r[c] = s ? s[v[j]] : v[j]; });
  return r;
});
const BY_ROW = new Map(ROWS.map(r => [Number(r.row), r]));
const LIMIT = 100;                 // rows drawn at once: a filter touches at most these
const tbody = document.querySelector("#rows tbody");
let KEYS = null;                   // each row's search text, folded, built on the first search
let LAST = null;                   // the last filter and its hits (row positions)

function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

// "ho ngheo" finds "hộ nghèo": drop the marks, đ → d, lower case
function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase(); }

// the contract's 448.3 and 11665.0 as a Vietnamese reader writes them: 448,3 and 11.665
function vn(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s).trim());
  if (!m) {
    const x = Number(s);
    return s === "" || !isFinite(x) ? String(s) : vn(x.toFixed(6).replace(/0+$/, ""));
  }
  const whole = m[2].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = (m[3] || "").replace(/0+$/, "");
  return m[1] + whole + (frac ? "," + frac : "");
}

function unitName(r) {
  const name = r.unit === "count" && r.counted ? r.counted : (LABELS.units[r.unit] || r.unit);
  return name + (r.per ? "/" + r.per : "");
}

function basisText(b) {
  return b.split(";").filter(Boolean).map(p => {
    const [f, s] = p.split("=");
    return (LABELS.basis[f] || f) + ": " + (LABELS.basis[s] || s);
  }).join("; ");
}

// a field of a row as the page shows it; the contract's value beside it when they differ
function shown(r, k) {
  const v = r[k];
  if (v === "") return "—";
  let t = v;
  if (k === "value" || k === "denominator") t = vn(v);
  else if (k === "unit") t = unitName(r);
  else if (k === "kind") t = LABELS.kinds[v] || v;
  else if (k === "change") t = LABELS.changes[v] || v;
  else if (k === "qualifier") t = LABELS.qualifiers[v] || v;
  else if (k === "basis") t = basisText(v);
  const same = t === v || k === "value" || k === "denominator";
  return esc(t) + (same ? "" : ' <span class="code">(' + esc(v) + ")</span>");
}

function show(i) {
  const r = BY_ROW.get(i); if (!r) return;
  const detail = document.getElementById("detail");
  document.getElementById("detail-body").innerHTML = "<dl>" + LABELS.fields.map(([k, l]) =>
    "<dt>" + esc(l) + "</dt><dd>" + shown(r, k) + "</dd>").join("") + "</dl>";
  detail.classList.add("open");
  document.querySelectorAll("mark.active").forEach(m => m.classList.remove("active"));
  document.querySelectorAll("#rows tr.sel").forEach(t => t.classList.remove("sel"));
  const m = document.getElementById("fig-" + i); if (m) m.classList.add("active");
  const tr = tbody.querySelector('tr[data-row="' + i + '"]'); if (tr) tr.classList.add("sel");
}

// to a row's figure: on this page, or on its document's page
function jump(i) {
  const m = document.getElementById("fig-" + i), r = BY_ROW.get(i);
  const narrow = matchMedia("(max-width: 899px)").matches;       // the detail covers the lower half there
  if (m) { m.scrollIntoView({block: narrow ? "start" : "center"}); show(i); }
  else if (r && r.page) location.href = r.page + "#fig-" + i;
  else show(i);
}

function searchKeys() {
  const f = ["doc_id", "indicator", "raw", "period", "code", "section_path", "section_title", "counted"];
  const text = ROWS.map(r => f.map(k => r[k]).join(" ") + " " + vn(r.value) + " " + unitName(r)).join("\n");
  return fold(text).split("\n");       // one fold of one text: fast for many rows
}

function matches() {
  const q = fold(document.getElementById("q").value.trim());
  const u = document.getElementById("unit").value, k = document.getElementById("kind").value;
  const c = document.getElementById("code").value;
  if (q && !KEYS) KEYS = searchKeys();
  // a longer query with the same selects narrows the last hits: a keystroke scans fewer rows
  const from = LAST && LAST.u === u && LAST.k === k && LAST.c === c && q.includes(LAST.q) ? LAST.hits : ROWS.keys();
  const hits = [];
  for (const j of from) {
    const r = ROWS[j];
    if ((!u || r.unit === u) && (!k || r.kind === k) && (!c || (c === "-" ? !r.code : r.code === c)) &&
        (!q || KEYS[j].includes(q))) hits.push(j);
  }
  LAST = {q, u, k, c, hits};
  return hits;
}

function rowHtml(r) {
  return '<tr tabindex="0" data-row="' + r.row + '"><td>' + (Number(r.row) + 1) + "</td><td>" + esc(r.doc_id) +
      "</td><td>" + esc(r.raw) + "</td><td>" + esc(vn(r.value)) + "</td><td>" + esc(unitName(r)) + "</td><td>" +
      esc(r.indicator) + "</td><td>" + esc(LABELS.kinds[r.kind] || r.kind) + "</td><td>" + esc(r.period) +
      "</td><td>" + esc(r.code) + "</td></tr>";
}

// the first `drawn` hits in the table; the button draws LIMIT more
function draw(drawn) {
  const hits = LAST.hits, n = Math.min(drawn, hits.length);
  tbody.insertAdjacentHTML("beforeend", hits.slice(tbody.rows.length, n).map(j => rowHtml(ROWS[j])).join(""));
  document.getElementById("count").textContent = hits.length + " / " + ROWS.length + " dòng" +
      (hits.length > n ? " (hiện " + n + " dòng đầu)" : "");
  const more = document.getElementById("more");
  more.hidden = hits.length <= n;
  more.textContent = "Hiện thêm " + Math.min(LIMIT, hits.length - n) + " dòng";
}

function render() {
  matches();
  tbody.textContent = "";
  draw(LIMIT);
}

function onRow(e) {
  if (e.type === "keydown" && e.key !== "Enter") return;
  const tr = e.target.closest("tr[data-row]"); if (!tr) return;
  jump(Number(tr.dataset.row));
}
function onFigure(e) {
  if (e.type === "keydown" && e.key !== "Enter" && e.key !== " ") return;
  const m = e.target.closest("mark.fig"); if (!m) return;
  e.stopPropagation(); e.preventDefault();
  show(Number(m.dataset.row));
}
tbody.addEventListener("click", onRow);
tbody.addEventListener("keydown", onRow);
document.getElementById("text").addEventListener("click", onFigure);
document.getElementById("text").addEventListener("keydown", onFigure);
const compiled = document.getElementById("compiled-table");
if (compiled) compiled.addEventListener("click", onRow);
const close = () => document.getElementById("detail").classList.remove("open");
document.getElementById("close").addEventListener("click", close);
document.addEventListener("keydown", e => { if (e.key === "Escape") close(); });
document.getElementById("more").addEventListener("click", () => draw(tbody.rows.length + LIMIT));
["q", "unit", "kind", "code"].forEach(id => document.getElementById(id).addEventListener("input", render));
render();
// the search keys are built once the page has loaded, ready before the first keystroke
addEventListener("load", () => setTimeout(() => { KEYS = KEYS || searchKeys(); }, 0));
const hash = /^#fig-(\d+)$/.exec(location.hash);
if (hash) jump(Number(hash[1]));
