"""Indicator tables: one row per numeric cell.

"STT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | So sánh (%)": the label column names the
indicator, the unit column (or a unit in the header: "(%)", "Giá trị (tỷ đồng)") the
unit, a value column's header the kind, the period and whether it is a comparison.
Header rows (one to three, merged cells spread over the columns they cover) hold no
figures; nor do STT cells. Group rows ("I | Kinh tế") hold none either, and a sub-item
("- Lúa" under "Sản lượng lương thực") is named with the row it belongs to.

Statistics tables as statistics offices print them: years as columns ("2015 | 2016 |
Ước 2024 | KH 2025": each column's period and kind); a unit outside the cell, taken in
this order: the cell's own ("45.000 tấn"), a "(%)" header, the ĐVT column, the row
label's "(…)" ("Số ca mắc (Ca)"), the column header's "(…)" ("Năm 2023 (tỷ đồng)"), the
caption ("ĐVT: Triệu đồng" just above the table, or a title row across it); a period in
the row label ("Tổng thu ngân sách năm 2023") when the column names none; signed cells
under a change header ("Tăng (+), giảm (-)"). Cells written as sentences, and one-column
tables (a boxed paragraph), are read as paragraphs (`is_prose`): their rows' sentence is
the cell's own sentence, not the ` | `-joined row, since the figure is stated by that
sentence and the row around it adds nothing to it. A value cell of a few words ("Đạt
94,5%") is read by the paragraph finder too, but keeps the row as sentence and the row
label as indicator, like a number cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.find import lexicon as lx
from pipeline.link import cues as link
from pipeline import registry as rules
from pipeline.find.figures import counted_noun_at
from pipeline.find.numbers import NUMBER, magnitudes, parse_digits
from pipeline.model import Block, Row
from pipeline.find.sentences import collapse

# NUMBER reads "184 320" too: statistics offices group thousands with a space (also NBSP,
# narrow NBSP, thin space); a group after a space is exactly 3 digits and the first group
# 1-3 digits, so "12 15" stays two numbers (and is no number cell).
CELL_NUMBER = re.compile(r"^\s*(?P<q>≥|≤|>=|<=|>|<|~)?\s*(?P<sign>[-+−])?\s*(?P<num>%s)\s*(?P<pct>%%)?\s*$" % NUMBER)
STT_MARK = re.compile(r"^\s*(?:\d{1,3}|[IVXLC]+|[a-zđA-ZĐ])\s*[.)]?\s*$")
ROMAN_MARK = re.compile(r"^\s*[IVXLC]+\s*[.)]?\s*$")
SUB_ITEM = re.compile(r"^\s*[-+•–*]\s*")
HEADER_UNIT = re.compile(r"\(([^()]+)\)")
LAST_PARENS = re.compile(r"\s*\(([^()]+)\)\s*$")
QUALIFIERS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "~": "~"}
YEAR_CELL = re.compile(r"\s*(?:19|20)\d\d\s*")


@lru_cache(maxsize=1)
def _cell_patterns():
    """What a value cell may hold: a number, perhaps opened by a qualifier symbol or word
    (rules/qualifiers.yaml: "trên 95", "≥ 95"), a sign, and closed by "%" or its own unit
    ("45.000 tấn", "97 415 học sinh"); a range "85 - 90" (two rows, as in running text);
    a ratio "1.200/1.500" (value and denominator)."""
    words = {w.lower(): r["qualifier"] for r in rules.load("qualifiers")["rules"] for w in r["before"]
             if w[:1].isalpha()}
    q = r"(?P<q>≥|≤|>=|<=|>|<|~|(?:%s)(?=\s))?" % lx.alternation(words)
    lead = r"^\s*%s\s*(?P<sign>[-+−])?\s*(?P<num>%s)\s*" % (q, NUMBER)
    two = r"^\s*(?P<num>%s)\s*(?P<sep>[-–—/]|đến)\s*(?P<hi>%s)\s*(?P<pct>%%)?\s*$" % (NUMBER, NUMBER)
    return dict(words=words, number=re.compile(lead + r"(?P<pct>%)?\s*$", re.IGNORECASE),
                figure=re.compile(lead + r"(?P<unit>[^\W\d_][^\d()]{0,30}?)\s*$", re.IGNORECASE),
                two=re.compile(two, re.IGNORECASE))


@dataclass
class _Num:
    """A number read from a value cell."""
    start: int                 # raw span in the cell text
    end: int
    num: str                   # the number as written ("184 320")
    qualifier: str = "="
    sign: str = ""
    pct: bool = False
    own: tuple | None = None   # the cell's own unit
    denominator: str = ""      # "1.500" of "1.200/1.500"


@lru_cache(maxsize=1)
def _spec():
    t = rules.load("tables")

    def any_of(words):
        return re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % lx.alternation(words), re.IGNORECASE)
    return dict(
        stt=[re.compile(p, re.IGNORECASE) for p in t["roles"]["stt"]],
        label=any_of(t["roles"]["label"]),
        unit=re.compile(r"(?:%s)" % lx.alternation(t["roles"]["unit"]), re.IGNORECASE),
        comparison=re.compile(r"(?:%s)" % "|".join(
            (re.escape(w) if not w[0].isalpha() else r"(?<![^\W_])%s(?![^\W_])" % re.escape(w))
            for w in t["comparison"]), re.IGNORECASE),
        target=any_of(t["target"]), actual=any_of(t["actual"]),
        increase=any_of(t["increase"]), decrease=any_of(t["decrease"]),
        signed=any_of(t["signed"]), rate_names=any_of(t["rate_names"]),
        empty=set(t["empty"]),
        compared_from=t["compared_from"],
        plan_marks=any_of(t["plan_marks"]),
        compared_with_plan=t["compared_with_plan"],
        caption=re.compile(r"(?<![^\W_])(?:%s)\s*[:：]\s*(?P<unit>[^():;\n]+?)\s*(?:[);\n]|$)"
                           % lx.alternation(t["roles"]["unit"]), re.IGNORECASE),
        count_units={w.lower() for w in t["count_units"]}, unit_or_place=set(t["unit_or_place"]),
        breakdown=re.compile(r"\s*(?:%s)(?![^\W_])\s*:?" % lx.alternation(t["breakdown"]), re.IGNORECASE),
        places=re.compile(r"(?:%s)" % lx.alternation(t["places"]), re.IGNORECASE),
        abbreviations=sorted(t["unit_abbreviations"].items(), key=lambda kv: -len(kv[0])),
        prose=t["prose"], verbs=any_of(t["prose"]["verbs"]),
        caption_titles=re.compile(r"\W*(?:%s)(?![^\W_])" % lx.alternation(t["caption_titles"]), re.IGNORECASE),
    )


@dataclass
class Column:
    role: str              # stt | label | unit | value (label? until the body tells)
    header: str
    kind: str | None = None
    period: str = ""
    comparison: bool = False
    percent: bool = False
    change: str = ""       # "+" / "-" from the header; "±" when the sign of each cell says
    unit: tuple | None = None   # from the header: "Giá trị (tỷ đồng)"
    numbers: bool = False       # some body cell holds a number
    places: bool = False        # a label column of places ("Xã | Dân số | …"): headers name the measures


def _header_change(h: str) -> str:
    """"±" when the header names both directions ("Tăng (+), giảm (-)", "Tăng/giảm"), "+" or
    "-" for one ("Tăng so với cùng kỳ (%)" too); a named rate ("Tốc độ tăng (%)") none."""
    s = _spec()
    if s["rate_names"].search(h):
        return ""
    up, down = bool(s["increase"].search(h)), bool(s["decrease"].search(h))
    if s["signed"].search(h) or (up and down) or re.search(r"\(\s*\+\s*\).*\(\s*[-−]\s*\)", h):
        return "±"
    return "+" if up else "-" if down else ""


def column_of(header: str) -> Column:
    s = _spec()
    h = collapse(header)
    if any(p.search(h) for p in s["stt"]):
        return Column("stt", h)
    if s["unit"].fullmatch(h.strip(" .:")):   # "ĐVT", "Đơn vị tính"; not "Đơn vị hành chính"
        return Column("unit", h)
    col = Column("value", h)
    if s["label"].search(h) and not re.search(r"\d", h):
        col.role = "label?"          # "Chỉ tiêu" names rows, or (over numbers) the target column
    col.places = bool(s["places"].fullmatch(h.strip(" .:")))
    col.comparison = bool(s["comparison"].search(h))
    col.percent = "%" in h
    col.change = _header_change(h)
    if col.comparison:
        col.kind = "actual"
    elif s["target"].search(h):
        col.kind = "target"
    elif s["actual"].search(h):
        col.kind = "actual"
    for inside in HEADER_UNIT.findall(h):
        if "%" not in inside:
            col.unit = known_unit(inside)
    ms = [m for m in link.mentions(h) if not m.base]
    col.period = ms[0].period if ms else ""
    return col


def _value_of(num: str) -> float:
    return parse_digits(num)


def _is_number_cell(text: str) -> bool:
    return bool(CELL_NUMBER.match(text)) and not YEAR_CELL.fullmatch(text)


def cell_numbers(text: str) -> list[_Num]:
    """The numbers of a value cell (see _cell_patterns); none for a year alone, a span of
    years, text or two numbers side by side."""
    p = _cell_patterns()
    m = p["number"].match(text) or p["figure"].match(text)
    if m:
        own = known_unit(m.group("unit")) if "unit" in m.groupdict() else None
        if YEAR_CELL.fullmatch(text) or ("unit" in m.groupdict() and not own):
            return []
        q = m.group("q") or ""
        return [_Num(m.start("num"), m.end("num"), m.group("num"), QUALIFIERS.get(q) or p["words"].get(q.lower(), "="),
                     m.group("sign") or "", bool(m.groupdict().get("pct")), own)]
    m = p["two"].match(text)
    if not m or (YEAR_CELL.fullmatch(m.group("num")) and YEAR_CELL.fullmatch(m.group("hi"))):
        return []
    pct = bool(m.group("pct"))
    if m.group("sep") == "/":
        return [_Num(m.start("num"), m.end("hi"), m.group("num"), pct=pct, denominator=m.group("hi"))]
    raw = (m.start("num"), m.end("hi"))           # a cell's raw is the number(s) alone
    return [_Num(*raw, m.group("num"), ">=", pct=pct), _Num(*raw, m.group("hi"), "<=", pct=pct)]


def _names_periods(cells: list[Block]) -> bool:
    """A row of year headers: "2015 | 2016 | Ước 2024 | KH 2025" (bold or not)."""
    named = [c for c in cells if c.text.strip() and [m for m in link.mentions(collapse(c.text)) if not m.base]]
    return len(named) >= 2


def _is_header_row(cells: list[Block], first: bool) -> bool:
    if any(_is_number_cell(c.text) for c in cells[1:]):
        return False
    if first or _names_periods(cells) or min(c.col for c in cells) > 0:
        return True        # a row of years, or the lower header row under cells merged down
    filled = [c for c in cells if c.text.strip()]
    return bool(filled) and all(c.bold for c in filled) and not STT_MARK.match(cells[0].text)


def unit_from(text: str):
    """(unit, factor, per, counted) from a ĐVT cell: "tạ/ha" → tonne × 0.1 per ha."""
    t = collapse(text)
    if not t:
        return None
    short = next((kv for kv in _spec()["abbreviations"] if t.lower().startswith(kv[0])), None)
    if short:
        t = short[1] + t[len(short[0]):].lstrip()         # "Tr.đồng" → "triệu đồng"
    scale = 1.0
    mag = lx.magnitude_pattern().match(t)
    pos = 0
    if mag:
        scale = magnitudes()[mag.group("mag").lower()]
        pos = mag.end()
    m = lx.unit_pattern().match(t, pos)
    if m:
        rule = lx.unit_by_word()[m.group("unit").lower()]
        per = lx.per_pattern().match(t, m.end())
        return rule["unit"], float(rule["factor"]) * scale, per.group("per").lower() if per else "", ""
    money, magnitudes_of_money = lx.money_without_unit()
    if mag and mag.group("mag").lower() in magnitudes_of_money:
        return money, scale, "", ""
    noun = counted_noun_at(t, pos, len(t))
    if noun:
        per = lx.per_pattern().match(t, noun[1])
        return "count", scale, per.group("per").lower() if per else "", noun[0].lower()
    return "count", scale, "", t[pos:].strip().lower()


def known_unit(text: str, label: str = ""):
    """unit_from for a unit written outside a ĐVT column (a label's or header's "(…)", a
    cell's own unit), when the text is a unit: a unit word, a magnitude, a listed counted
    noun or ĐVT noun (rules/tables.yaml count_units), or one word the label repeats
    ("Số ca mắc (Ca)"); "(quy thóc)" or "(DN)" is none."""
    t = collapse(text)
    short = next((kv for kv in _spec()["abbreviations"] if t.lower().startswith(kv[0])), None)
    t = short[1] + t[len(short[0]):].lstrip() if short else t
    if not t or len(t) > 30:
        return None
    if lx.magnitude_pattern().match(t) or lx.unit_pattern().match(t):
        return unit_from(t)            # "m2", "nghìn tấn", "tạ/ha"
    if re.search(r"\d", t):
        return None
    noun = counted_noun_at(t, 0, len(t))
    word = t.lower()
    per = lx.per_pattern().match(t, noun[1]) if noun else None
    if (noun and (noun[1] == len(t) or (per and per.end() == len(t)))) or word in _spec()["count_units"] or \
            (" " not in word and not t.isupper() and word in label.lower().split()):
        return unit_from(t)
    return None


def _columns(rows: dict[int, list[Block]], ordered: list[int], n_head: int) -> dict[int, Column]:
    headers: dict[int, list[str]] = {}
    for r in ordered[:n_head]:
        for c in rows[r]:
            for col in range(c.col, c.col + c.col_span):
                if collapse(c.text):
                    headers.setdefault(col, []).append(collapse(c.text))
    columns = {col: column_of(" ".join(dict.fromkeys(h))) for col, h in headers.items()}
    body = [c for r in ordered[n_head:] for c in rows[r]]
    for k in sorted({c.col for c in body} | set(columns)):
        c = columns.setdefault(k, Column("value", ""))
        texts = [x.text for x in body if x.col == k and x.text.strip()]
        numeric = sum(bool(cell_numbers(t)) for t in texts)
        c.numbers = numeric > 0
        if c.role == "unit" and c.header.lower().strip(" .:") in _spec()["unit_or_place"] and _names_places(texts):
            c.role, c.places = "label", True   # "Đơn vị | Tổng số": the rows are administrative units
        if c.role == "value" and k == min(columns) and texts and all(STT_MARK.match(t) for t in texts):
            c.role = "stt"         # an unnamed first column of 1, 2, 3 … or I, II …
        elif c.role == "label?":
            c.role = "value" if texts and numeric * 2 > len(texts) else "label"
        elif c.role == "value" and texts and numeric * 2 <= len(texts) and \
                not any(x.role == "label" for x in columns.values()):
            c.role = "label"       # the first mostly-text column names the rows
    if any(c.kind == "target" and c.role == "value" for c in columns.values()):
        for c in columns.values():   # beside a plan column, a bare year column holds results
            if c.role == "value" and c.period and not c.kind:
                c.kind = "actual"
    return columns


def _names_places(texts: list[str]) -> bool:
    """Most texts of a column are names ("Xã Tân An", "Phường 2"), not units."""
    names = [t for t in texts if not known_unit(t) and (len(t.split()) >= 2 or re.search(r"\d", t))]
    return bool(texts) and len(names) * 2 > len(texts)


@dataclass
class Caption:
    """What a table's caption says of all its cells: the paragraph just above the table
    ("ĐVT: Triệu đồng", "Biểu 3. Dân số trung bình năm 2023") or a title row across it."""
    unit: tuple | None = None
    period: str = ""


def _caption(texts: list[str]) -> Caption:
    cap = Caption()
    for t in texts:
        m = _spec()["caption"].search(t)
        if m and not cap.unit:
            cap.unit = unit_from(m.group("unit"))
        ms = [x for x in link.mentions(t) if not x.base]
        if ms and not cap.period and (m or t.rstrip().endswith(":") or _spec()["caption_titles"].match(t)):
            cap.period = ms[0].period     # "Biểu 3. Dân số năm 2023", "… năm 2024 như sau:"
    return cap


def _caption_texts(ctx, first: Block) -> list[str]:
    """The nearest non-empty paragraph before the table, unless a table ends there."""
    for i in range(first.index - 1, max(-1, first.index - 4), -1):
        b = ctx.blocks[i]
        if b.kind != "paragraph":
            return []
        if b.text.strip():
            return [collapse(b.text)]
    return []


COLUMN_NUMBER = re.compile(r"^\s*\(?\s*(?:(?P<n>\d{1,2})|[A-Z])\s*\)?\s*(?:=.*)?$")


def _is_numbering_row(cells: list[Block]) -> bool:
    """The row under the header that numbers the columns: "A | B | 1 | 2 | 3=2/1", "(1) | (2)"."""
    marks = [COLUMN_NUMBER.match(c.text) for c in cells if c.text.strip()]
    numbers = [int(m.group("n")) for m in marks if m and m.group("n")]
    return len(marks) >= 3 and all(marks) and len(numbers) >= 2 and \
        numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_title_row(cells: list[Block], width: int) -> bool:
    """One cell across the whole table: its title or "ĐVT: …" line, no column header."""
    return width > 1 and len(cells) == 1 and cells[0].col == 0 and cells[0].col_span >= width


def is_prose(cell: Block, in_label: bool, header: bool) -> bool:
    """A cell written as a sentence ("Tổng sản lượng lương thực đạt 45.000 tấn, tăng 5% so với
    năm 2023."): no number cell but words with numbers, ending like a sentence, long, or
    in a column of values; a label ("Tổng thu ngân sách năm 2023") or header is none."""
    t = collapse(cell.text)
    if not re.search(r"\d", t) or cell_numbers(cell.text):
        return False
    p = _spec()["prose"]
    words = len(t.split())
    if words < p["min_words"]:
        return False
    ends = t.endswith(tuple(p["ends"]))
    if header:
        return ends
    return ends or words >= p["long_words"] or (not in_label and bool(_spec()["verbs"].search(t)))


@dataclass
class _Table:
    doc_id: str
    ctx: object
    columns: dict[int, Column]
    caption: Caption
    label_col: int | None = None
    unit_col: int | None = None
    has_plan: bool = False
    header_unit: tuple | None = None   # the one unit the value headers name ("Năm 2023 (tỷ đồng)")
    read_prose: object = None          # (cell, period, kind) -> rows of a cell read as a paragraph
    places: bool = False               # the rows are places: "dân số xã Tân An"


@dataclass
class _Label:
    name: str                 # the indicator part: "Tỷ lệ hộ dùng nước sạch", "Tổng thu ngân sách"
    unit: tuple | None = None  # "(%)", "(Ca)", "(nghìn tấn)"
    period: str = ""           # "năm 2023", "giai đoạn 2016 - 2020"


def _label(text: str) -> _Label:
    out = _Label(text)
    m = LAST_PARENS.search(text)
    if m:
        unit = known_unit(m.group(1), text[:m.start()])
        if unit:
            out.unit, out.name = unit, text[:m.start()].rstrip()
    ms = [x for x in link.mentions(out.name) if not x.base]
    if ms:
        out.period = ms[0].period
        rest = out.name[:ms[0].start] + out.name[ms[0].end:]
        out.name = re.sub(r"\s+", " ", rest).strip(" ,;:-–")
    return out


def _cell_unit(t: _Table, col: Column, n: _Num, dvt: tuple | None, label: _Label):
    """The cell's own unit, a "(%)" header, the ĐVT column, the label's "(…)", the header's
    "(…)" (or the one unit all value headers name: a change column beside "Năm 2023 (tỷ
    đồng)" counts in tỷ đồng too), the caption; else a count."""
    if n.pct:
        return "%", 1.0, "", ""
    if n.own:
        return n.own
    if col.percent:
        return "%", 1.0, "", ""
    beside = t.header_unit if col.change else None
    return dvt or label.unit or col.unit or beside or t.caption.unit or ("count", 1.0, "", "")


def _change(col: Column, sign: str | None) -> str:
    """A signed-change header gives each cell its sign ("-37" → "-"); under a one-way header
    ("Tăng so với cùng kỳ") a written sign still wins. The value is the number as written."""
    if not col.change:
        return ""
    if sign:
        return "-" if sign in "-−" else "+"
    return "+" if col.change == "±" else col.change


def table_rows(doc_id: str, ctx, cells: list[Block], read_prose=None) -> list[Row]:
    """One row per numeric cell; read_prose(cell, period, kind) reads a cell written as a
    sentence, and every cell of a one-column table (a boxed paragraph), as a paragraph."""
    rows: dict[int, list[Block]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    ordered = sorted(rows)
    width = max(c.col + c.col_span for c in cells)
    if width == 1:
        return [r for c in cells if c.text.strip() and read_prose for r in read_prose(c, "", "")]
    titles = []
    while len(ordered) > 1 and _is_title_row(rows[ordered[0]], width):
        titles.append(collapse(rows[ordered.pop(0)][0].text))
    n_head = 0
    while n_head < min(3, len(ordered) - 1) and _is_header_row(rows[ordered[n_head]], n_head == 0):
        n_head += 1
    if n_head < len(ordered) - 1 and _is_numbering_row(rows[ordered[n_head]]):
        ordered.pop(n_head)            # "A | B | 1 | 2 | 3=2/1" numbers the columns
    columns = _columns(rows, ordered, n_head)
    t = _Table(doc_id, ctx, columns, _caption(titles + _caption_texts(ctx, min(cells, key=lambda c: c.index))),
               read_prose=read_prose)
    t.label_col = next((k for k, c in sorted(columns.items()) if c.role == "label"), None)
    t.places = t.label_col is not None and columns[t.label_col].places
    t.unit_col = next((k for k, c in sorted(columns.items()) if c.role == "unit"), None)
    t.has_plan = any(c.kind == "target" and c.role == "value" for c in columns.values())
    units = {c.unit for c in columns.values() if c.role == "value" and c.unit}
    t.header_unit = units.pop() if len(units) == 1 else None
    out: list[Row] = []
    parent = ""
    for i, r in enumerate(ordered):
        row = sorted(rows[r], key=lambda c: c.col)
        label = _label(_row_label(t, row))
        prose = [c for c in row if is_prose(c, c.col == t.label_col, i < n_head)]
        for c in prose:
            col = columns.get(c.col, Column("value", ""))
            out.extend(read_prose(c, col.period or label.period or t.caption.period, col.kind or "")
                       if read_prose else [])
        if i < n_head:
            continue
        label.name, parent = _part_name(label.name, parent)
        out.extend(_cells_of_row(t, row, label, prose))
    return out


def _kind_period(t: _Table, cell: Block, label_text: str, col: Column) -> dict:
    """The chain of pipeline/link/context.py for a cell: its row label, its column (or the
    table's caption), then the headings and the title."""
    got = t.ctx.cell(cell.index, label_text, col.kind, col.period or t.caption.period)
    got.sources.append(("indicator", "row-label"))       # a cell is named by its row's label
    return dict(kind=got.kind, period=got.period, basis=got.basis)


def _part_name(name: str, parent: str) -> tuple[str, str]:
    """(the row's name, the parent for the rows below): "- Lúa" under "Sản lượng lương
    thực" is "Sản lượng lương thực lúa"; "Trong đó:" opens the parts of the row above."""
    opener = _spec()["breakdown"].match(name)
    if opener and not name[opener.end():].strip():
        name = parent
    elif opener:
        name = "- " + name[opener.end():].strip()   # "Trong đó: Lúa" is a part
    sub = bool(SUB_ITEM.match(name))
    name = SUB_ITEM.sub("", name)
    if sub and parent:
        return f"{parent} {_lower_first(name)}", parent
    return name, (parent if sub else name)


def _row_label(t: _Table, row: list[Block]) -> str:
    by_col = {c.col: c for c in row}
    return collapse(by_col[t.label_col].text) if t.label_col in by_col else ""


def _cells_of_row(t: _Table, row: list[Block], label: _Label, prose: list[Block]) -> list[Row]:
    """The rows of a table row's number cells; a group row ("I | Kinh tế") has none."""
    by_col = {c.col: c for c in row}
    sentence = " | ".join(collapse(c.text) for c in row)
    dvt = unit_from(by_col[t.unit_col].text) if t.unit_col in by_col else None
    section = t.ctx.seg.section_of(row[0].index)
    fallback = label.period or t.caption.period or t.ctx.section_period(row[0].index)
    label_text = _row_label(t, row)
    out = []
    for cell in row:
        col = t.columns.get(cell.col, Column("value", ""))
        if col.role != "value" or cell in prose:
            continue
        nums = cell_numbers(cell.text)
        if not nums and t.read_prose and re.search(r"\d", cell.text) and \
                (col.numbers or col.kind or col.period or col.comparison):
            out.extend(_short_text_cell(t, cell, col, label, sentence, col.period or fallback))
        for n in nums:
            unit, factor, per, counted = _cell_unit(t, col, n, dvt, label)
            out.append(Row(
                doc_id=t.doc_id, section_path=section.section_path if section else "",
                section_title=section.title if section else "", block=cell.index, start=n.start,
                end=n.end, sentence=sentence, raw=cell.text[n.start:n.end],
                indicator=_indicator(_name(t, label, col), col, t.has_plan),
                value=round(_value_of(n.num) * factor, 9), unit=unit,
                counted=counted if unit == "count" else "",
                denominator=round(_value_of(n.denominator) * factor, 9) if n.denominator else None,
                qualifier=n.qualifier, change="" if n.denominator else _change(col, n.sign),
                per=per, **_kind_period(t, cell, label_text, col)))
    return out


def _short_text_cell(t: _Table, cell: Block, col: Column, label: _Label, sentence: str, period: str):
    """A value cell of a few words ("Đạt 105%", "Vượt 5%", "12/12 xã"): the paragraph finder
    reads its figures; the row's label names them and the row is their sentence."""
    rows = t.read_prose(cell, period, col.kind or "")
    ind = _indicator(_name(t, label, col), col, t.has_plan)
    return [replace(r, sentence=sentence, indicator=ind, change=r.change or _change(col, "")) for r in rows]


def _name(t: _Table, label: _Label, col: Column) -> str:
    """What a cell measures: its row label; the column header when the row is labelled
    only by its year ("2020 | 95 000"); both when the rows are places ("dân số xã Tân An")."""
    header = " ".join(w if w.isupper() else w.lower() for w in HEADER_UNIT.sub("", col.header).split())
    if t.places and header and label.name:
        return f"{header} {_lower_first(label.name)}"
    return label.name or header


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if not text[:2].isupper() else text


def _indicator(name: str, col: Column, has_plan: bool) -> str:
    ind = _lower_first(name)
    header = col.header.lower()
    s = _spec()
    compared = next((header[header.find(w):] for w in s["compared_from"] if w in header), "")
    if col.comparison and (compared or not col.period):
        # "So sánh (%)" beside a plan column compares the result with the plan;
        # "Năm 2024 so với năm 2023 (%)" names its base
        if not compared and (has_plan or s["plan_marks"].search(header)):
            compared = s["compared_with_plan"]
        return f"{ind} {compared}".strip()
    if col.kind and not col.period:
        return f"{ind} ({header})"
    return ind
