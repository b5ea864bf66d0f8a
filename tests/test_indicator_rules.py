"""The named rules of the indicator finder, each run on its examples from
rules/indicators.yaml (`rules:`): the example's figure gets the expected indicator, and
the named rule is the one that made it."""
import pytest

from pipeline import registry as rules
from pipeline.link import indicators as ind
from pipeline.stages import extract_text
from pipeline.find.sentences import collapse

RULES = rules.load("indicators")["rules"]
STEPS = {r.__name__ for group in ind.COUNT_STEPS + ind.SUBJECT_STEPS + ind.FINISH_STEPS for r in group}
EXAMPLES = [dict(e, rule=r["name"]) for r in RULES for e in r.get("examples", [])]


def test_the_rules_are_those_of_the_code_in_order():
    assert [r["name"] for r in RULES] == ind.rule_names()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r["name"])
def test_every_rule_has_an_example(rule):
    assert rule.get("examples"), f"{rule['name']} has no example"


def _traced(text, raw):
    """The row of the figure `raw` in `text` and the rules that made its indicator."""
    with ind.traced() as log:
        rows = extract_text(text)
    rows = [r for r in rows if collapse(r.raw) == collapse(raw)]
    assert rows, f"no row with raw {raw!r} from {text!r}: {[r.raw for r in extract_text(text)]}"
    fired = [f for start, _, indicator, f in log if start == rows[0].start and indicator == rows[0].indicator]
    assert fired, (text, raw, log)
    return rows[0], fired[0]


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda e: f"{e['rule']}:{e['text']}")
def test_rule_example(ex):
    row, fired = _traced(ex["text"], ex["expect"]["raw"])
    assert row.indicator == ex["expect"]["indicator"], (ex, fired)
    if ex["rule"] in STEPS:
        assert ex["rule"] in fired[1:], (ex["rule"], fired)
    else:
        assert fired[0] == ex["rule"], (ex["rule"], fired)


def test_the_finder_keeps_the_rule_it_used():
    from pipeline.find.figures import find_figures
    text = "Sản lượng thóc đạt 888.132 tấn, giảm 0,34%."
    figs, _ = find_figures(text, 0, len(text), block_start=True)
    p = ind.ParagraphIndicators(text).sentence(0, len(text), figs)
    assert p(figs[0]) == "sản lượng thóc" and p.last_rule == "measure_in_clause"
    assert p(figs[1]) == "sản lượng thóc giảm"
    assert p.last_rules == ("carried_subject", "rate_of_change")
