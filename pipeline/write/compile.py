"""`chiso compile OUTDIR`: one table across many reports.

Reads OUTDIR/indicators.csv and keeps the rows with a canonical code (`code` column,
shared/spec/indicator-codes.md) that state a level (change ""): one compiled row per
(doc_id, code, period) with its target and its actual, the achievement (actual / target)
and a status read with the code's direction:

- a target with `<`/`<=` (dưới, tối đa) or `>`/`>=` (trên, từ … trở lên) is a bound: met
  when the actual is inside it, whatever the direction; a strict bound (`<`, `>`) met is
  `đạt`, never `vượt`;
- any other target is met at or above it for an `up` code, at or below it for `down`;
  met and strictly better is `vượt`;
- a range (`85-90%`, two rows of one raw with `>=` and `<=`) binds at its low end for an
  `up` code and its high end for `down`; beyond the other end is `vượt`;
- a `none` code (a size, a structure) has no status.

Two different values of the same kind for one (doc_id, code, period) are a conflict: the
first is kept, the compiled row says so in `conflict`, and the pair is listed.
`rows` names the 1-based data rows of indicators.csv (row 1 is the first after the header).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ChisoError

COLUMNS = ["doc_id", "code", "name", "unit", "per", "period", "target", "target_qualifier", "actual",
           "actual_qualifier", "achievement", "status", "rows", "conflict"]
CONFLICT_COLUMNS = ["doc_id", "code", "period", "kind", "kept", "kept_rows", "other", "other_rows"]
KINDS = ("target", "actual")


@dataclass
class Value:
    value: float
    qualifier: str
    rows: list[int]
    far: float | None = None          # a range's other end


@dataclass
class Entry:
    doc_id: str
    code: str
    period: str
    unit: str
    per: str
    direction: str
    name: str
    values: dict[str, Value] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


@dataclass
class Compiled:
    entries: list[Entry]
    conflicts: list[dict]
    records: list[dict]               # every row of indicators.csv, as read
    columns: list[str]


def read_table(path: Path) -> tuple[list[str], list[dict]]:
    if not path.is_file():
        raise ChisoError(path, "không tìm thấy bảng chỉ tiêu; hãy chạy chiso extract trước (no such table)")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        records = list(reader)
    columns = list(reader.fieldnames or [])
    if "code" not in columns:
        raise ChisoError(path, "bảng không có cột code (no code column)")
    return columns, records


def code_names() -> dict[str, str]:
    """Each code's Vietnamese title from rules/codes.yaml (an entry's `name` is the code)."""
    from pipeline import registry
    return {name: e["title"] for name, e in registry.entries("codes") if "title" in e}


def _values(items: list[tuple[int, dict]], direction: str) -> list[Value]:
    """The stated values of one kind, a range (one raw, `>=` and `<=`) taken as one."""
    spans: dict[tuple, list[tuple[int, dict]]] = {}
    for n, r in items:
        spans.setdefault((r.get("source_path"), r["block"], r["start"], r["end"]), []).append((n, r))
    out = []
    for group in spans.values():
        if len(group) == 2 and {r["qualifier"] for _, r in group} == {">=", "<="}:
            want = "<=" if direction == "down" else ">="
            bind = next(r for _, r in group if r["qualifier"] == want)
            other = next(r for _, r in group if r["qualifier"] != want)
            out.append(Value(float(bind["value"]), want, [n for n, _ in group], float(other["value"])))
        else:
            out.extend(Value(float(r["value"]), r["qualifier"], [n]) for n, r in group)
    return out


def _settle(entry: Entry, kind: str, values: list[Value]) -> None:
    """Keep the first value of a kind; an equal one adds its rows, a different one is a conflict."""
    for v in values:
        kept = entry.values.get(kind)
        if kept is None:
            entry.values[kind] = v
        elif abs(kept.value - v.value) <= 1e-9 * max(1.0, abs(kept.value)):
            kept.rows.extend(v.rows)
        else:
            entry.conflicts.append({"doc_id": entry.doc_id, "code": entry.code, "period": entry.period, "kind": kind,
                                    "kept": kept.value, "kept_rows": _rows(kept.rows), "other": v.value,
                                    "other_rows": _rows(v.rows)})
        entry.rows.extend(v.rows)


def compile_records(records: list[dict], names: dict[str, str] | None = None) -> list[Entry]:
    names = names or {}
    groups: dict[tuple[str, str, str], list[tuple[int, dict]]] = {}
    for n, r in enumerate(records, 1):
        if r.get("code") and r.get("change", "") == "" and r.get("kind") in KINDS and r.get("value") not in ("", None):
            groups.setdefault((r["doc_id"], r["code"], r.get("period", "")), []).append((n, r))
    entries = []
    for (doc_id, code, period), items in groups.items():
        first = items[0][1]
        direction = next((r["direction"] for _, r in items if r.get("direction")), "")
        entry = Entry(doc_id, code, period, first["unit"], first.get("per", ""), direction,
                      names.get(code) or first.get("indicator", ""))
        for kind in KINDS:
            _settle(entry, kind, _values([(n, r) for n, r in items if r["kind"] == kind], direction))
        entry.rows.sort()
        entries.append(entry)
    return entries


def status(direction: str, target: Value | None, actual: Value | None) -> str:
    if direction not in ("up", "down") or target is None or actual is None:
        return ""
    a, t, q = actual.value, target.value, target.qualifier
    sign = 1 if direction == "up" else -1
    eps = 1e-9 * max(1.0, abs(t))
    bounds = {"<": a < t - eps, "<=": a <= t + eps, ">": a > t + eps, ">=": a >= t - eps}
    met = bounds[q] if q in bounds else sign * (a - t) >= -eps
    if not met:
        return "không đạt"
    if q in ("<", ">"):
        return "đạt"
    bound = target.far if target.far is not None else t
    return "vượt" if sign * (a - bound) > eps else "đạt"


def achievement(target: Value | None, actual: Value | None) -> float | None:
    if target is None or actual is None or target.value == 0:
        return None
    return round(actual.value / target.value, 4)


def _rows(rows: list[int]) -> str:
    return " ".join(map(str, sorted(set(rows))))


MAX_DECIMALS = 3


def decimals(value: float) -> int:
    """How many decimals the value shows (at most MAX_DECIMALS)."""
    text = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def display(value: float | int | None) -> str:
    """The value as a Vietnamese reader writes it: 1.234,5 (the workbook's cells show it so)."""
    if value is None or value == "":
        return ""
    d = decimals(float(value))
    text = f"{float(value):,.{d}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def number(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def compiled_row(e: Entry) -> dict:
    t, a = e.values.get("target"), e.values.get("actual")
    conflict = "; ".join(f"{c['kind']}: {number(c['other'])} ≠ {number(c['kept'])} (dòng {c['other_rows']})"
                         for c in e.conflicts)
    return {"doc_id": e.doc_id, "code": e.code, "name": e.name, "unit": e.unit, "per": e.per, "period": e.period,
            "target": number(t.value if t else None), "target_qualifier": t.qualifier if t else "",
            "actual": number(a.value if a else None), "actual_qualifier": a.qualifier if a else "",
            "achievement": number(achievement(t, a)), "status": status(e.direction, t, a),
            "rows": _rows(e.rows), "conflict": conflict}


def compile_table(table: Path) -> Compiled:
    columns, records = read_table(table)
    entries = compile_records(records, code_names())
    return Compiled(entries, [c for e in entries for c in e.conflicts], records, columns)


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def period_key(period: str) -> tuple[int, str]:
    """Later periods sort last: by the last year named, then the text."""
    years = re.findall(r"\d{4}", period)
    return (int(years[-1]) if years else 0, period)
