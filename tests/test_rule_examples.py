"""Every rule file's examples: what must match does, what must not does not."""
import pytest

from pipeline import rules
from pipeline.sections import match_heading

HEADING_RULES = rules.load("headings")


@pytest.mark.parametrize("rule", HEADING_RULES, ids=lambda r: r["name"])
def test_heading_rule_examples(rule):
    assert rule.get("examples"), f"rule {rule['name']} has no example"
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
