"""Cue words live in rules/: every list the code reads has an example, every base unit a colour.

The examples themselves run in tests/test_rule_examples.py (each in its file's example
style); an example names the list it shows with `cue:`."""
import re

import pytest

from pipeline import registry as rules

# rule file → the cue word lists the code reads from it (beyond the older keys with examples of their own)
CUE_KEYS = {
    "numbers": ["not_first", "word_number_first", "word_number_next", "word_number_not_after",
                "word_number_not_counting", "range_words", "written_ratio", "negative", "level_pair"],
    "units": ["not_units", "times_after", "money_without_unit"],
    "counted": ["list_tails", "subject_count", "not_before_year", "classifier_tails"],
    "qualifiers": ["after", "comparative_words", "change_words", "level_from", "level_to", "between_numbers"],
    "changes": ["level_inside", "from_level", "needs_base", "same_change", "base_clause_opens", "rise_to",
                "rise_not_after", "base_before"],
    "per": ["flows", "population_joiners", "population_amounts", "population_nouns"],
    "periods": ["not_dating", "naming", "standards", "open_span_after", "year_after_between", "year_after_names",
                "base_figure_after", "term_wide"],
    "tables": ["compared_from", "plan_marks", "compared_with_plan", "signed", "rate_names", "count_units", "prose",
               "unit_abbreviations", "caption_titles", "unit_or_place", "places", "breakdown"],
    "headings": ["heading_styles"],
    "indicators": ["kept_endings", "owner_units", "agents", "rate_owner_links"],
    "targets": ["weak_target_titles"],
}


def _cues(node):
    """Every `cue:` named by an example anywhere in a rule file."""
    if isinstance(node, dict):
        cue = node.get("cue")
        yield from ([cue] if isinstance(cue, str) else cue or [])
        for v in node.values():
            yield from _cues(v)
    elif isinstance(node, list):
        for v in node:
            yield from _cues(v)


def _keys(node):
    if isinstance(node, dict):
        yield from node
        for v in node.values():
            yield from _keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _keys(v)


@pytest.mark.parametrize("name,key", [(n, k) for n, ks in CUE_KEYS.items() for k in ks])
def test_cue_list_has_an_example(name, key):
    data = rules.load(name)
    assert key in set(_keys(data)), f"rules/{name}.yaml has no key {key}"
    assert key in set(_cues(data)), f"rules/{name}.yaml: no example names `cue: {key}`"


def test_examples_name_known_cues():
    for name, keys in CUE_KEYS.items():
        unknown = set(_cues(rules.load(name))) - set(keys)
        assert not unknown, (name, unknown)


def test_every_produced_unit_is_a_declared_base_unit():
    spec = rules.load("units")
    base = spec["base_units"]
    produced = {r["unit"] for r in spec["rules"]} | {"count", "times", spec["money_without_unit"]["unit"]}
    assert produced <= set(base), produced - set(base)
    for unit, b in base.items():
        assert b.get("name"), unit
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", b.get("colour", "")), unit


def test_report_and_annotate_read_base_units():
    from pipeline.audit.annotate import DEFAULT_FILL, fill
    base = rules.load("units")["base_units"]
    assert "#" + fill("ha") == base["ha"]["colour"].upper()
    assert fill("no such unit") == DEFAULT_FILL


def test_an_ending_search_finds_what_a_full_search_finds():
    from pipeline.find import lexicon as lx
    from pipeline.link.cues import Ending
    words = ["so với", "so", "giá so sánh năm"]
    ending, full = Ending(words), lx.words_ending(words)
    for text in ["tăng 5% so với  ", "tăng so   ", "theo giá so sánh năm", "so", "", "   ", "tăng sov ", "SO VỚI\n",
                 "x" * 60 + " so với"]:
        assert bool(ending.search(text)) == bool(full.search(text)), text
