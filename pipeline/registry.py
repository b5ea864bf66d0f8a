"""The rule files of rules/ (YAML): each declared once here with its schema, loaded once,
checked when it loads, and cached.

Where the rules live: the folder named by the environment variable CHISO_RULES if set;
else the package data `pipeline.rules` (found with importlib.resources: inside the wheel,
or the checkout's top-level rules/ folder that pyproject maps to it). Code that runs from
a checkout which is not the installed one reads that checkout's own rules/.

A file that is missing or does not match its schema raises RuleError naming the file,
the entry and the problem, e.g. "rules/units.yaml: entry 'hectare': missing key 'unit'".
"""
from __future__ import annotations

import importlib.resources
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.errors import RuleError

ENV = "CHISO_RULES"


# --- value types: each says what it expects and finds what is wrong with a value ---------

@dataclass(frozen=True)
class Type:
    what: str
    ok: object                       # value -> bool
    detail: object = None            # value -> str | None: a finer problem once ok(value)

    def problem(self, value) -> str | None:
        if not self.ok(value):
            return f"expected {self.what}, got {_show(value)}"
        return self.detail(value) if self.detail else None


def _show(value) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _is_str(v):
    return isinstance(v, str)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _regex_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


TEXT = Type("a string", _is_str)
WORDS = Type("a list of strings", lambda v: isinstance(v, list) and all(map(_is_str, v)))
INT = Type("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
NUMBER = Type("a number", _is_number)
BOOL = Type("true or false", lambda v: isinstance(v, bool))
REGEX = Type("a string (a regular expression)", _is_str, _regex_problem)
REGEXES = Type("a list of strings (regular expressions)", WORDS.ok,
               lambda v: next(filter(None, map(_regex_problem, v)), None))
TABLE = Type("a mapping of strings to strings",
             lambda v: isinstance(v, dict) and all(_is_str(k) and _is_str(x) for k, x in v.items()))
NUMBER_TABLE = Type("a mapping of words to numbers",
                    lambda v: isinstance(v, dict) and all(_is_str(k) and _is_number(x) for k, x in v.items()))
REGEX_TABLE = Type("a mapping of names to regular expressions", TABLE.ok,
                   lambda v: next(filter(None, map(_regex_problem, v.values())), None))
FLAGS = Type("a list of re flag names (IGNORECASE, DOTALL …)",
             lambda v: isinstance(v, list) and all(_is_str(f) and isinstance(getattr(re, f, None), re.RegexFlag)
                                                   for f in v))


def mapping(**keys: Type) -> Type:
    """A mapping that must hold these keys, of these types."""
    def detail(v):
        for k, t in keys.items():
            if k not in v:
                return f"missing key {k!r}"
            p = t.problem(v[k])
            if p:
                return f"key {k!r}: {p}"
        return None
    return Type("a mapping", lambda v: isinstance(v, dict), detail)


# --- the rule files -----------------------------------------------------------------------

@dataclass(frozen=True)
class RuleFile:
    """One rule file. `entries`: None when the file is one rule (a mapping); "" when the file
    is a list of rules; a key when the list of rules is under that key of a mapping. `top`
    and `entry`: the required keys and their types; `optional_*`: keys that may be absent.
    `example_keys`: what an example may say besides text, expect and not."""
    name: str
    top: dict = field(default_factory=dict)
    optional_top: dict = field(default_factory=dict)
    entries: str | None = None
    entry: dict = field(default_factory=dict)
    optional_entry: dict = field(default_factory=dict)
    example_keys: dict = field(default_factory=dict)


FILES: dict[str, RuleFile] = {f.name: f for f in (
    RuleFile("changes", top=dict(increase=WORDS, decrease=WORDS, multiplier_increase=WORDS, between=WORDS,
                                 level_after=WORDS, named_rate=WORDS, with_base=WORDS, stop=WORDS)),
    RuleFile("codes", top=dict(not_coded=REGEXES, never_coded=REGEXES, ratio_to_base=REGEXES), entries="codes",
             entry=dict(name=TEXT, title=TEXT, unit=TEXT, per=WORDS, direction=TEXT, ref=TEXT, words=REGEXES),
             optional_entry=dict(with_change=REGEXES, without=REGEXES, change=WORDS, report=BOOL)),
    RuleFile("counted", top=dict(nouns=WORDS, classifiers=WORDS, lists=WORDS, not_nouns=WORDS)),
    RuleFile("encodings", top=dict(fonts=REGEX_TABLE, upper_fonts=REGEX, tcvn3=TABLE, vni=TABLE),
             example_keys=dict(font=TEXT)),
    RuleFile("exclusions", entries="", entry=dict(name=TEXT, reason=TEXT, pattern=REGEX),
             optional_entry=dict(flags=FLAGS)),
    RuleFile("headings", entries="rules", entry=dict(name=TEXT, rank=INT, pattern=REGEX),
             optional_entry=dict(flags=FLAGS, bullet=BOOL)),
    RuleFile("indicators", top=dict(measures=WORDS, trailing=WORDS, leading=WORDS, generic=WORDS, bases=REGEXES)),
    RuleFile("numbers", top=dict(magnitudes=NUMBER_TABLE, digits=NUMBER_TABLE, ten=TEXT, tens=TEXT, hundred=TEXT,
                                 zero_filler=WORDS)),
    RuleFile("per", top=dict(per=WORDS, yearly=WORDS)),
    RuleFile("periods", top=dict(mention=REGEX, base=WORDS, lead=REGEX)),
    RuleFile("qualifiers", top=dict(comparatives=WORDS), entries="rules",
             entry=dict(name=TEXT, qualifier=TEXT, before=WORDS), optional_entry=dict(after=WORDS)),
    RuleFile("tables", top=dict(roles=mapping(stt=REGEXES, label=WORDS, unit=WORDS), comparison=WORDS,
                                target=WORDS, actual=WORDS, signed=WORDS, increase=WORDS, decrease=WORDS,
                                empty=WORDS)),
    RuleFile("targets", top=dict(target_titles=WORDS, actual_titles=WORDS, target_cues=WORDS, actual_cues=WORDS)),
    RuleFile("units", top=dict(base_units=Type("a mapping of base units to name, colour",
                                               lambda v: isinstance(v, dict) and all(
                                                   isinstance(b, dict) and {"name", "colour"} <= set(b)
                                                   for b in v.values()))),
             entries="rules", entry=dict(name=TEXT, words=WORDS, unit=TEXT, factor=NUMBER)),
)}


# --- where the rules live -----------------------------------------------------------------

def root():
    """The folder of the rule files (a Path, or an importlib.resources Traversable)."""
    override = os.environ.get(ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent              # the pipeline package
    checkout = here.parent / "rules"                    # a source checkout's top-level rules/
    try:
        packaged = importlib.resources.files("pipeline.rules")
    except ModuleNotFoundError:                         # a checkout that is not installed
        return checkout
    if isinstance(packaged, Path) and packaged.resolve() not in (here / "rules", checkout):
        return checkout                                 # another checkout's editable install
    return packaged


def path_of(name: str):
    return root().joinpath(f"{name}.yaml")


def _label(path) -> str:
    """The file as users should read it: relative to the working folder when inside it."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel


# --- loading ------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def load(name: str):
    """The parsed contents of rules/<name>.yaml, checked against its schema (RuleError)."""
    spec = FILES.get(name)
    if spec is None:
        raise RuleError(f"rules/{name}.yaml", "", f"no such rule file is declared (known: {', '.join(FILES)})")
    path = path_of(name)
    label = _label(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(label, "", "rule file missing (no such file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(label, "", f"cannot read rule file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(label, "", f"not valid YAML ({' '.join(str(exc).split())})") from None
    _check(spec, data, label)
    return data


def load_all() -> None:
    """Load and check every declared rule file (so a broken one stops a run before it starts)."""
    for name in FILES:
        load(name)


def reset() -> None:
    """Forget what was loaded (after CHISO_RULES changed)."""
    load.cache_clear()


def entries(name: str) -> list[tuple[str, dict]]:
    """(rule name, rule) for each rule of a file: its entries, or the file itself when it is
    one rule. A rule's examples are under its key `examples`."""
    spec, data = FILES[name], load(name)
    if spec.entries is None:
        return [(name, data)]
    items = data if spec.entries == "" else data[spec.entries]
    own = [(name, data)] if isinstance(data, dict) and data.get("examples") else []
    return own + [(e.get("name", str(i + 1)), e) for i, e in enumerate(items)]


# --- checking -----------------------------------------------------------------------------

def _check(spec: RuleFile, data, label: str) -> None:
    if spec.entries == "":
        if not isinstance(data, list):
            raise RuleError(label, "", f"expected a list of rules at the top level, got {_show(data)}")
        _check_entries(spec, data, label)
        return
    if not isinstance(data, dict):
        raise RuleError(label, "", f"expected a mapping at the top level, got {_show(data)}")
    _check_keys(data, spec.top, spec.optional_top, label, "")
    if spec.entries is None:
        _check_examples(spec, data, label, "")
        return
    if spec.entries not in data:
        raise RuleError(label, "", f"missing key {spec.entries!r}")
    if not isinstance(data[spec.entries], list):
        raise RuleError(label, f"key {spec.entries!r}", f"expected a list of rules, got {_show(data[spec.entries])}")
    _check_entries(spec, data[spec.entries], label)
    _check_examples(spec, data, label, "")          # the file's own examples, beside its rules


def _check_entries(spec: RuleFile, items: list, label: str) -> None:
    seen = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise RuleError(label, f"entry {i + 1}", f"expected a mapping, got {_show(item)}")
        name = item.get("name")
        where = f"entry {name!r}" if isinstance(name, str) else f"entry {i + 1}"
        _check_keys(item, spec.entry, spec.optional_entry, label, where)
        if name in seen:
            raise RuleError(label, where, "duplicate name")
        seen.add(name)
        _check_examples(spec, item, label, where)


def _check_keys(data: dict, required: dict, optional: dict, label: str, where: str) -> None:
    for key, t in required.items():
        if key not in data:
            raise RuleError(label, where, f"missing key {key!r}")
    for key, t in (required | optional).items():
        if key in data:
            p = t.problem(data[key])
            if p:
                raise RuleError(label, ": ".join(filter(None, (where, f"key {key!r}"))), p)


def _check_examples(spec: RuleFile, rule: dict, label: str, where: str) -> None:
    """Every example: `text`, and either `expect` (a mapping of what the rule yields) or
    `not` (true: the rule does not match the text; a list of raws: these figures of the
    text still come out); `cue` may name the cue word list of the file it shows."""
    examples = rule.get("examples", [])
    if not isinstance(examples, list):
        raise RuleError(label, ": ".join(filter(None, (where, "key 'examples'"))),
                        f"expected a list of examples, got {_show(examples)}")
    allowed = {"text", "expect", "not", "cue"} | set(spec.example_keys)
    for i, ex in enumerate(examples):
        at = ": ".join(filter(None, (where, f"example {i + 1}")))
        if not isinstance(ex, dict):
            raise RuleError(label, at, f"expected a mapping (text, expect or not), got {_show(ex)}")
        if not isinstance(ex.get("text"), str):
            raise RuleError(label, at, "missing key 'text' (a string)")
        at = f"{at} ({ex['text'][:40]!r})"
        extra = sorted(set(ex) - allowed)
        if extra:
            raise RuleError(label, at, f"unknown key {extra[0]!r} (an example has text, and expect or not)")
        if ("expect" in ex) == ("not" in ex):
            raise RuleError(label, at, "needs exactly one of 'expect' (a mapping) and 'not'")
        if "expect" in ex and not (isinstance(ex["expect"], dict) and ex["expect"]):
            raise RuleError(label, at, f"'expect' must be a non-empty mapping, got {_show(ex['expect'])}")
        if "not" in ex and ex["not"] is not True and not (WORDS.ok(ex["not"]) and ex["not"]):
            raise RuleError(label, at, f"'not' must be true or a list of raws, got {_show(ex['not'])}")
        for key, t in spec.example_keys.items():
            if key not in ex:
                raise RuleError(label, at, f"missing key {key!r}")
            p = t.problem(ex[key])
            if p:
                raise RuleError(label, f"{at}: key {key!r}", p)
