"""Score extraction against gold files: `chiso eval DIR`.

A gold figure is found when a row of the same document has the same unit and value and
lies in the same sentence; optional gold rows neither count nor punish. Field accuracy
is over found figures; the indicator is scored by token F1 (lower-cased words). The
canonical code is scored over found figures whose gold row has a `code`: precision over
the non-empty codes predicted, recall over the gold rows with a non-empty code.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.find.sentences import collapse

FIELDS = ["qualifier", "change", "kind", "period", "counted", "denominator", "per", "section_path"]
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _same_value(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and \
               (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def token_f1(pred: str, gold: str) -> float:
    p = Counter(t.lower() for t in TOKEN.findall(pred or ""))
    g = Counter(t.lower() for t in TOKEN.findall(gold or ""))
    if not p and not g:
        return 1.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    required: int = 0
    field_hits: Counter = field(default_factory=Counter)
    indicator_f1: float = 0.0
    all_right: int = 0                               # found rows with every field right
    cells: Counter = field(default_factory=Counter)  # tp, predicted, required of table-cell rows
    misses: list = field(default_factory=list)       # gold rows not found
    extras: list = field(default_factory=list)       # rows matching no gold row
    wrong: list = field(default_factory=list)        # (gold, row, [fields])
    codes: Counter = field(default_factory=Counter)  # right, predicted (non-empty), gold (non-empty)
    code_wrong: list = field(default_factory=list)   # (gold, row) whose codes differ

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.required += other.required
        self.field_hits.update(other.field_hits)
        self.indicator_f1 += other.indicator_f1
        self.all_right += other.all_right
        self.cells.update(other.cells)
        self.misses += other.misses
        self.extras += other.extras
        self.wrong += other.wrong
        self.codes.update(other.codes)
        self.code_wrong += other.code_wrong

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self, name: str) -> float:
        return self.field_hits[name] / self.tp if self.tp else 1.0

    @property
    def indicator(self) -> float:
        return self.indicator_f1 / self.tp if self.tp else 1.0

    @property
    def rows_right(self) -> float:
        """Found rows whose every scored field is right (the indicator not counted)."""
        return self.all_right / self.tp if self.tp else 1.0

    @property
    def code_precision(self) -> float:
        return self.codes["right"] / self.codes["predicted"] if self.codes["predicted"] else 1.0

    @property
    def code_recall(self) -> float:
        return self.codes["right"] / self.codes["gold"] if self.codes["gold"] else 1.0

    def add_code(self, gold: dict, row: dict) -> None:
        """Score the code of a found figure whose gold row has one ("" included)."""
        if "code" not in gold:
            return
        want, got = gold["code"] or "", row.get("code") or ""
        self.codes["predicted"] += bool(got)
        self.codes["gold"] += bool(want)
        self.codes["right"] += bool(got) and got == want
        if got != want:
            self.code_wrong.append((gold, row))

    @property
    def cell_f1(self) -> float:
        """F1 over the figures of table cells (sentences that join a row's cells with " | ")."""
        c = self.cells
        p = c["tp"] / c["predicted"] if c["predicted"] else 1.0
        r = c["tp"] / c["required"] if c["required"] else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _field_equal(name: str, row: dict, gold: dict) -> bool:
    if name == "denominator":
        return _same_value(row.get(name), gold.get(name))
    return str(row.get(name) or "") == str(gold.get(name) or "")


def _is_cell(row: dict) -> bool:
    return " | " in row.get("sentence", "")


def _optional_hit(row: dict, gold: list[dict]) -> bool:
    return any(g.get("optional") and collapse(g["sentence"]) == collapse(row["sentence"])
               and g["unit"] == row["unit"] and _same_value(g["value"], row["value"]) for g in gold)


def score_document(rows: list[dict], gold: list[dict]) -> Score:
    s = Score()
    used = [False] * len(rows)
    by_sentence: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_sentence.setdefault(collapse(r["sentence"]), []).append(i)
    optional_hits = 0
    for g in gold:
        cands = [i for i in by_sentence.get(collapse(g["sentence"]), [])
                 if not used[i] and rows[i]["unit"] == g["unit"] and _same_value(rows[i]["value"], g["value"])]
        if not g.get("optional"):
            s.required += 1
            s.cells["required"] += _is_cell(g)
        if not cands:
            if not g.get("optional"):
                s.misses.append(g)
            continue
        # prefer the row whose raw is the gold raw, then the first in reading order
        best = min(cands, key=lambda i: (collapse(rows[i]["raw"]) != collapse(g["raw"]), i))
        used[best] = True
        if g.get("optional"):
            optional_hits += 1
            continue
        s.tp += 1
        r = rows[best]
        s.cells["tp"] += _is_cell(g)
        bad = [f for f in FIELDS if not _field_equal(f, r, g)]
        s.all_right += not bad
        for f in FIELDS:
            s.field_hits[f] += f not in bad
        f1 = token_f1(r.get("indicator", ""), g.get("indicator", ""))
        s.indicator_f1 += f1
        s.add_code(g, r)
        if bad or f1 < 0.5:
            s.wrong.append((g, r, bad, f1))
    s.predicted = len(rows) - optional_hits
    s.cells["predicted"] = sum(_is_cell(r) for i, r in enumerate(rows) if not (used[i] and _optional_hit(r, gold)))
    s.extras = [rows[i] for i in range(len(rows)) if not used[i]]
    return s


def evaluate_dir(folder: Path, extract) -> tuple[dict[str, Score], Score]:
    """Score every X.docx of folder that has X.gold.jsonl beside it; extract(path) → rows."""
    per_doc: dict[str, Score] = {}
    total = Score()
    for gold_path in sorted(Path(folder).glob("*.gold.jsonl")):
        doc = gold_path.name[: -len(".gold.jsonl")]
        docx = gold_path.with_name(doc + ".docx")
        if not docx.exists():
            continue
        rows = extract(docx)
        s = score_document(rows, load_gold(gold_path))
        per_doc[doc] = s
        total.add(s)
    return per_doc, total


def format_report(per_doc: dict[str, Score], total: Score, misses: bool = False) -> str:
    lines = []
    head = f"{'document':28} {'gold':>5} {'rows':>5} {'P':>6} {'R':>6} {'F1':>6} {'ind':>6} {'codeP':>6} {'codeR':>6}"
    lines.append(head)
    for doc, s in per_doc.items():
        lines.append(f"{doc:28} {s.required:5d} {s.predicted:5d} {s.precision:6.3f} {s.recall:6.3f} "
                     f"{s.f1:6.3f} {s.indicator:6.3f} {s.code_precision:6.3f} {s.code_recall:6.3f}")
    lines.append(f"{'TOTAL':28} {total.required:5d} {total.predicted:5d} {total.precision:6.3f} "
                 f"{total.recall:6.3f} {total.f1:6.3f} {total.indicator:6.3f} {total.code_precision:6.3f} "
                 f"{total.code_recall:6.3f}")
    lines.append("fields: " + "  ".join(f"{f}={total.field_accuracy(f):.3f}" for f in FIELDS))
    lines.append(f"rows with every field right: {total.rows_right:.3f}   table cells: F1 {total.cell_f1:.3f} "
                 f"({total.cells['required']} required)")
    if misses:
        lines.append("\n== missed (gold rows not found)")
        for g in total.misses:
            lines.append(f"- [{g['doc_id']}] {g['raw']!r} = {g['value']} {g['unit']} | {g['sentence'][:140]}")
        lines.append("\n== extra (rows matching no gold row)")
        for r in total.extras:
            lines.append(f"- [{r['doc_id']}] {r['raw']!r} = {r['value']} {r['unit']} | {r['sentence'][:140]}")
        lines.append("\n== wrong fields")
        for g, r, bad, f1 in total.wrong:
            diffs = ", ".join(f"{f}: {r.get(f)!r} ≠ gold {g.get(f)!r}" for f in bad)
            if f1 < 0.5:
                diffs += (", " if diffs else "") + f"indicator {r.get('indicator')!r} ≠ gold {g.get('indicator')!r}"
            lines.append(f"- [{g['doc_id']}] {g['raw']!r}: {diffs}")
        lines.append("\n== wrong codes")
        for g, r in total.code_wrong:
            lines.append(f"- [{g['doc_id']}] {g['raw']!r}: code {r.get('code')!r} ≠ gold {g.get('code')!r} "
                         f"| {r.get('indicator')!r} {r.get('unit')} per={r.get('per')!r} change={r.get('change')!r}")
    return "\n".join(lines)
