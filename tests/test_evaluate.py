"""The scorer: found figures, fields, rows with every field right, table-cell F1."""
from pipeline.evaluate import score_document


def _row(raw, value, sentence, **fields):
    base = dict(doc_id="x", raw=raw, value=value, unit="ha", sentence=sentence, indicator="diện tích lúa",
                qualifier="=", change="", kind="actual", period="2024", counted="", denominator=None,
                per="", section_path="")
    return base | fields


def test_rows_right_and_cell_f1():
    text, cells = "Diện tích lúa 10 ha, ngô 5 ha.", "1 | Diện tích lúa | ha | 10"
    gold = [_row("10 ha", 10, text), _row("5 ha", 5, text), _row("10", 10, cells), _row("7", 7, cells)]
    rows = [_row("10 ha", 10, text), _row("5 ha", 5, text, period="2023"), _row("10", 10, cells),
            _row("3", 3, cells)]
    s = score_document(rows, gold)
    assert (s.tp, s.required, s.predicted) == (3, 4, 4)
    assert s.rows_right == 2 / 3                       # the 5 ha row has a wrong period
    assert s.cells["required"] == 2 and s.cells["tp"] == 1 and s.cells["predicted"] == 2
    assert s.cell_f1 == 0.5
