"""Workbooks (openpyxl) whose cells are never read as formulas, with Vietnamese numbers.

Text safety: every string is stored as a string cell (data_type 's'), whatever it starts
with (`=`, `+`, `-`, `@`): a workbook of report text can never run a formula. Characters
that XML cannot hold (control characters) are dropped.

Number display: an Excel number format names its separators abstractly (`#,##0.0` means
"group, decimal" in the reader's locale), so no format string can force a decimal comma.
We choose, per cell: a whole number gets literal dots between its digit groups
(`0\\.000\\.000` shows 1.234.567 in every locale); a number with decimals gets
`[$-42A]#,##0.0…` (42A: Vietnamese), which a Vietnamese-locale Excel or LibreOffice shows as
1.234,5. `display()` renders a value as that format shows it in Vietnamese.
"""
from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from pipeline.write.compile import decimals, display  # noqa: F401  (display: re-exported)

BOLD = Font(bold=True)


def number_format(value: float) -> str:
    d = decimals(value)
    if d:
        return "[$-42A]#,##0." + "0" * d
    digits = len(str(abs(int(round(value)))))
    groups = []
    while digits > 0:
        groups.insert(0, "0" * min(3, digits))
        digits -= 3
    return "\\.".join(groups)


def cell(ws, value, *, bold: bool = False, fmt: str | None = None):
    """A write-only cell: text stays text, numbers get the Vietnamese display."""
    if isinstance(value, str):
        c = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value) if value else None)
        if value:
            c.data_type = "s"             # never a formula, whatever the text starts with
    else:
        c = WriteOnlyCell(ws, value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            c.number_format = fmt or number_format(value)
    if bold:
        c.font = BOLD
    return c


def set_widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(6, min(60, w + 2))


def width_of(value) -> int:
    return len(display(value)) if isinstance(value, (int, float)) else len(str(value or ""))
