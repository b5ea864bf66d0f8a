"""Every rule file's examples, run: what must match does, what must not does not.

Adding a rule is one YAML entry with its examples; a regression names the rule."""
import re

import pytest

from pipeline import registry as rules
from pipeline.process import extract_text
from pipeline.find.numbers import parse_number
from pipeline.segment.headings import match_heading
from pipeline.find.sentences import collapse

RULE_FILES = sorted(p.stem for p in rules.RULES_DIR.glob("*.yaml"))


def _row(text, raw):
    rows = [r for r in extract_text(text) if collapse(r.raw) == collapse(raw)]
    assert rows, f"no row with raw {raw!r} from {text!r}: {[r.raw for r in extract_text(text)]}"
    return rows[0]


def _entries(name):
    data = rules.load(name)
    if isinstance(data, dict) and "rules" in data:
        return data["rules"]
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize("name", RULE_FILES)
def test_every_rule_has_examples(name):
    for entry in _entries(name):
        assert entry.get("examples") or entry.get("not"), f"{name}: {entry.get('name', '(file)')} has no example"


@pytest.mark.parametrize("rule", rules.load("headings")["rules"], ids=lambda r: r["name"])
def test_heading_rule_examples(rule):
    for ex in rule["examples"]:
        c = match_heading(ex["text"])
        assert c is not None and c.type.name == rule["name"], (rule["name"], ex["text"], c)
        element = ex.get("num", ex.get("label"))
        if element is not None:
            assert c.element == element, (rule["name"], ex["text"])
        assert c.title == ex["title"], (rule["name"], ex["text"])
    for text in rule.get("not", []):
        c = match_heading(text)
        assert c is None or c.type.name != rule["name"], (rule["name"], text)


@pytest.mark.parametrize("ex", rules.load("numbers")["examples"], ids=lambda e: e["text"])
def test_number_examples(ex):
    if ex.get("none"):                   # no figure in this sentence
        assert not extract_text(ex["text"]), ex
    elif "raw" in ex:                    # a number inside a sentence, read as a figure
        r = _row(ex["text"], ex["raw"])
        assert (r.value, r.denominator, r.unit) == (pytest.approx(ex["value"]), ex.get("denominator"),
                                                     ex.get("unit", r.unit)), (ex, r)
    else:
        assert parse_number(ex["text"]) == pytest.approx(ex["value"])


@pytest.mark.parametrize("ex", [dict(e, rule=r["name"]) for r in rules.load("units")["rules"]
                                for e in r["examples"]],
                         ids=lambda e: f"{e['rule']}:{e['text']}")
def test_unit_examples(ex):
    rows = extract_text(ex["text"])
    if ex.get("none"):
        assert all(r.unit != rules_unit(ex["rule"]) for r in rows), (ex, rows)
        return
    r = rows[0]
    assert (r.value, r.unit) == (pytest.approx(ex["value"]), ex["unit"]), ex
    assert r.per == ex.get("per", r.per)


def rules_unit(name):
    return next(r["unit"] for r in rules.load("units")["rules"] if r["name"] == name)


@pytest.mark.parametrize("ex", rules.load("counted")["examples"], ids=lambda e: e["text"])
def test_counted_examples(ex):
    rows = [r for r in extract_text(ex["text"]) if r.unit == "count"]
    if ex.get("none"):
        assert not rows, rows
    else:
        assert rows and rows[0].counted == ex["counted"], rows


@pytest.mark.parametrize("ex", rules.load("per")["examples"], ids=lambda e: e["text"])
def test_per_examples(ex):
    assert extract_text(ex["text"])[0].per == ex["per"]


@pytest.mark.parametrize("ex", [dict(text=e, rule=r["name"], reason=r["reason"]) for r in rules.load("exclusions")
                                for e in r["examples"]], ids=lambda e: f"{e['rule']}:{e['text']}")
def test_exclusion_examples(ex):
    from pipeline.find.figures import find_figures
    figures, excluded = find_figures(ex["text"], 0, len(ex["text"]), block_start=True)
    assert not figures, (ex, figures)
    if re.search(r"\d", ex["text"]):     # numbers in words are not listed among excluded numbers
        assert any(x.reason == ex["reason"] for x in excluded), (ex, excluded)


@pytest.mark.parametrize("ex", [dict(e, rule=r["name"]) for r in rules.load("exclusions") for e in r.get("keep", [])],
                         ids=lambda e: f"{e['rule']}:{e['text']}")
def test_exclusion_keeps(ex):
    _row(ex["text"], ex["raw"])


@pytest.mark.parametrize("ex", [dict(e, rule=r["name"]) for r in rules.load("qualifiers")["rules"]
                                for e in r["examples"]], ids=lambda e: f"{e['rule']}:{e['text']}")
def test_qualifier_examples(ex):
    assert _row(ex["text"], ex["raw"]).qualifier == ex["qualifier"]


@pytest.mark.parametrize("ex", rules.load("changes")["examples"], ids=lambda e: e["text"])
def test_change_examples(ex):
    assert _row(ex["text"], ex["raw"]).change == ex["change"]


@pytest.mark.parametrize("ex", rules.load("periods")["examples"], ids=lambda e: e["text"])
def test_period_examples(ex):
    assert _row(ex["text"], ex["raw"]).period == ex["period"]


@pytest.mark.parametrize("ex", rules.load("targets")["examples"], ids=lambda e: e["title"])
def test_kind_examples(ex):
    from pipeline.link.cues import title_kind
    assert title_kind(ex["title"]) == ex["kind"]


@pytest.mark.parametrize("ex", rules.load("tables")["examples"], ids=lambda e: e["header"])
def test_table_header_examples(ex):
    from pipeline.tables.cells import column_of
    col = column_of(ex["header"])
    if "role" in ex:
        assert col.role.rstrip("?") == ex["role"]
    for key in ("kind", "change", "period"):
        if key in ex:
            assert getattr(col, key) == ex[key], (ex, col)
    if ex.get("unit") == "%":
        assert col.percent
    elif "unit" in ex:
        assert col.unit and col.unit[0] == ex["unit"], col
    if "indicator" in ex:                # a row "Chỉ tiêu" of a table without a plan column
        from pipeline.tables.cells import _indicator
        assert _indicator("Chỉ tiêu", col, False) == ex["indicator"], (ex, col)


@pytest.mark.parametrize("ex", rules.load("indicators")["examples"], ids=lambda e: e["text"])
def test_indicator_examples(ex):
    assert _row(ex["text"], ex["raw"]).indicator == ex["indicator"]


@pytest.mark.parametrize("ex", rules.load("encodings")["examples"], ids=lambda e: e["text"])
def test_legacy_encoding_examples(ex):
    from pipeline.read.legacy import decode, encode
    assert decode(ex["text"], ex["encoding"], ex.get("upper", False)) == ex["unicode"]
    if not ex.get("upper"):
        assert decode(encode(ex["unicode"], ex["encoding"]), ex["encoding"]) == ex["unicode"]
