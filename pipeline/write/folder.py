"""What `chiso compile` writes into OUTDIR beside indicators.csv: compiled.csv, the
workbook and datapackage.json (compile.py computes; this module writes)."""
from __future__ import annotations

from pathlib import Path

from pipeline.write.compile import COLUMNS, Compiled, compile_table, compiled_row, to_csv
from pipeline.write.datapackage import write_datapackage
from pipeline.write.files import write_atomic
from pipeline.write.workbook import compiled_workbook


def write_compiled(outdir: Path) -> Compiled:
    """OUTDIR/compiled.csv, compiled.xlsx and datapackage.json from OUTDIR/indicators.csv."""
    outdir = Path(outdir)
    result = compile_table(outdir / "indicators.csv")
    write_atomic(outdir / "compiled.csv", to_csv([compiled_row(e) for e in result.entries], COLUMNS))
    write_atomic(outdir / "compiled.xlsx", compiled_workbook(result))
    write_datapackage(outdir)
    return result
