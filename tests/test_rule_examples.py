"""Every example of every rule file, run by one test: what must match does, what must not
does not.

An example is `text` with `expect` (a mapping of what the rule yields) or `not` (true: the
rule does not match; a list of raws: these figures of the text still come out). Each rule
file has a small checker below; the test id names the file, the rule and the text. Adding
a rule is one YAML entry with its examples; a regression names the rule."""
import re

import pytest

from pipeline import registry as rules
from pipeline.find.numbers import parse_number
from pipeline.find.sentences import collapse
from pipeline.stages import extract_text
from pipeline.segment.headings import match_heading


def _rows(text):
    return extract_text(text)


def _row(text, raw):
    rows = [r for r in _rows(text) if collapse(r.raw) == collapse(raw)]
    assert rows, f"no row with raw {raw!r} from {text!r}: {[r.raw for r in _rows(text)]}"
    return rows[0]


def _same(got, want):
    if isinstance(want, float) or isinstance(got, float):
        return got == pytest.approx(want)
    return got == want


def _got(row, key, want):
    got = getattr(row, key)
    if key == "basis" and "indicator=" not in want:      # the indicator's rule is checked elsewhere
        got = got.rsplit(";indicator=", 1)[0]
    return got


def _fields(row, expect, skip=("raw",)):
    """Each expected field of the row: the row's attribute of that name."""
    wrong = {k: _got(row, k, v) for k, v in expect.items() if k not in skip and not _same(_got(row, k, v), v)}
    assert not wrong, f"expected {expect}, got {wrong} ({row})"


def check_row(file, rule, ex):
    """Rules that shape a figure's row: the row whose raw is expected (else the first row)
    has every other expected field."""
    assert "not" not in ex, f"{file}: examples here only expect"
    expect = ex["expect"]
    row = _row(ex["text"], expect["raw"]) if "raw" in expect else _rows(ex["text"])[0]
    _fields(row, expect)


def check_unit(file, rule, ex):
    unit = rule["unit"]
    rows = _rows(ex["text"])
    if "not" in ex:
        assert all(r.unit != unit for r in rows), rows
        return
    _fields(rows[0], ex["expect"])


def check_counted(file, rule, ex):
    rows = [r for r in _rows(ex["text"]) if r.unit == "count"]
    if "not" in ex:
        assert not rows, rows
        return
    assert rows, f"no count from {ex['text']!r}"
    _fields(rows[0], ex["expect"])


def check_exclusion(file, rule, ex):
    from pipeline.find.figures import find_figures
    text = ex["text"]
    figures, excluded = find_figures(text, 0, len(text), block_start=True)
    if "expect" in ex:
        assert ex["expect"] == {"excluded": True}, "an exclusion's example expects {excluded: true}"
        assert not figures, figures
        if re.search(r"\d", text):     # numbers in words are not listed among excluded numbers
            assert any(x.reason == rule["reason"] for x in excluded), excluded
    elif ex["not"] is True:
        assert not any(x.reason == rule["reason"] for x in excluded), excluded
    else:
        for raw in ex["not"]:
            _row(text, raw)


def check_heading(file, rule, ex):
    if "pattern" not in rule:          # the file's own examples: heading style names
        from pipeline.read.docx import heading_style_level
        level = heading_style_level(ex["text"])
        assert level == (None if "not" in ex else ex["expect"]["level"]), level
        return
    c = match_heading(ex["text"])
    if "not" in ex:
        assert c is None or c.type.name != rule["name"], c
        return
    expect = ex["expect"]
    assert c is not None and c.type.name == rule["name"], c
    element = expect.get("num", expect.get("label"))
    if element is not None:
        assert c.element == element
    assert c.title == expect["title"]


def check_number(file, rule, ex):
    """A number alone (`text` is the number), or inside a sentence (`expect.raw` given)."""
    if "not" in ex:
        assert parse_number(ex["text"]) is None and not _rows(ex["text"]), ex
        return
    expect = ex["expect"]
    if "raw" in expect:
        _fields(_row(ex["text"], expect["raw"]), expect)
        return
    assert parse_number(ex["text"]) == pytest.approx(expect["value"])


def check_kind(file, rule, ex):
    from pipeline.link.cues import title_kind
    assert title_kind(ex["text"]) == ex["expect"]["kind"]


def check_table_header(file, rule, ex):
    from pipeline.tables.cells import column_of
    col = column_of(ex["text"])
    expect = ex["expect"]
    if "role" in expect:
        assert col.role.rstrip("?") == expect["role"]
    for key in ("kind", "change", "period", "places"):
        if key in expect:
            assert getattr(col, key) == expect[key], col
    if expect.get("unit") == "%":
        assert col.percent
    elif "unit" in expect:
        assert col.unit and col.unit[0] == expect["unit"], col
    if "indicator" in expect:          # a row "Chỉ tiêu" of a table without a plan column
        from pipeline.tables.cells import _indicator
        assert _indicator("Chỉ tiêu", col, False) == expect["indicator"], col
    if "caption" in expect:            # a caption line above the table gives its unit
        from pipeline.tables.cells import _caption
        assert (_caption([ex["text"]]).unit or ("",))[0] == expect["caption"]
    if "caption_period" in expect:
        from pipeline.tables.cells import _caption
        assert _caption([ex["text"]]).period == expect["caption_period"]
    if "breakdown" in expect:          # a row label opening the parts of the row above
        from pipeline.tables.cells import _spec
        m = _spec()["breakdown"].match(ex["text"])
        assert m and ex["text"][m.end():].strip().lower() == expect["breakdown"]
    if "prose" in expect:              # a label-column cell read as a sentence or not
        from pipeline.model import Block
        from pipeline.tables.cells import is_prose
        assert is_prose(Block(0, ex["text"], kind="cell"), True, False) == expect["prose"]


def check_encoding(file, rule, ex):
    from pipeline.read.legacy import decode, encode, encoding_of
    found = encoding_of(ex["font"])
    assert found is not None, f"font {ex['font']!r} is no legacy font"
    encoding, upper = found
    unicode = ex["expect"]["unicode"]
    assert decode(ex["text"], encoding, upper) == unicode
    if not upper:
        assert decode(encode(unicode, encoding), encoding) == unicode


def check_code(file, rule, ex):
    """A sentence: the row with the expected raw (else the first row) has the rule's code;
    `not: true`: no row of the sentence has it."""
    rows = _rows(ex["text"])
    if "not" in ex:
        assert all(r.code != rule["name"] for r in rows), [(r.raw, r.indicator, r.code) for r in rows]
        return
    expect = ex["expect"]
    assert expect["code"] == rule["name"], "a code's example expects that code"
    row = _row(ex["text"], expect["raw"]) if "raw" in expect else rows[0]
    _fields(row, expect)
    assert row.direction == rule["direction"], row


CHECKERS = {
    "changes": check_row,
    "codes": check_code,
    "counted": check_counted,
    "encodings": check_encoding,
    "exclusions": check_exclusion,
    "headings": check_heading,
    "indicators": check_row,
    "numbers": check_number,
    "per": check_row,
    "periods": check_row,
    "qualifiers": check_row,
    "tables": check_table_header,
    "targets": check_kind,
    "units": check_unit,
}


def _rule_name(file, name, ex):
    if file == "encodings":            # the file holds one rule per legacy encoding
        from pipeline.read.legacy import encoding_of
        return (encoding_of(ex["font"]) or ("?",))[0]
    return name


def _cases():
    for file in rules.FILES:
        for name, rule in rules.entries(file):
            for ex in rule.get("examples", []):
                yield pytest.param(file, rule, ex, id=f"{file}:{_rule_name(file, name, ex)}:{ex['text']}")


def test_every_rule_file_has_a_checker():
    assert set(CHECKERS) == set(rules.FILES)


@pytest.mark.parametrize("file", list(rules.FILES))
def test_every_rule_has_examples(file):
    bare = [name for name, rule in rules.entries(file) if not rule.get("examples")]
    assert not bare, f"{file}: rules without an example: {bare}"
    if file == "encodings":
        shown = {_rule_name(file, file, ex) for ex in rules.load(file)["examples"]}
        assert shown == set(rules.load(file)["fonts"]), f"encodings without an example: {shown}"


@pytest.mark.parametrize("file, rule, ex", list(_cases()))
def test_rule_example(file, rule, ex):
    CHECKERS[file](file, rule, ex)
