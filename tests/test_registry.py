"""The rule registry: a missing or malformed rule file is a RuleError naming the file and
the entry, raised when the rules load, never reported as a fault of a document."""
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import registry
from pipeline.errors import ChisoError, RuleError

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT / "corpus" / "d01.docx"


@pytest.fixture
def rules_dir(tmp_path, monkeypatch):
    """A copy of the rule files, used through CHISO_RULES; caches are reset around the test."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv(registry.ENV, str(folder))
    registry.reset()
    yield folder
    monkeypatch.delenv(registry.ENV)
    registry.reset()


def _edit(folder, name, change):
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _message(name):
    with pytest.raises(RuleError) as info:
        registry.load(name)
    return str(info.value)


def test_every_declared_file_is_in_rules_and_every_rule_file_is_declared():
    assert sorted(p.stem for p in (ROOT / "rules").glob("*.yaml")) == sorted(registry.FILES)
    registry.load_all()


def test_rules_come_from_this_checkout():
    assert Path(str(registry.path_of("units"))).resolve() == ROOT / "rules" / "units.yaml"


def test_override_folder_is_used(rules_dir):
    _edit(rules_dir, "per", lambda d: d["per"].append("thửa"))
    assert "thửa" in registry.load("per")["per"]


def test_rule_error_is_not_a_bad_input_file():
    assert not issubclass(RuleError, ChisoError)
    err = RuleError("rules/units.yaml", "entry 'hectare'", "missing key 'unit'")
    assert str(err) == "rules/units.yaml: entry 'hectare': missing key 'unit'"
    assert str(pickle.loads(pickle.dumps(err))) == str(err)       # crosses worker processes


def test_missing_file(rules_dir):
    (rules_dir / "encodings.yaml").unlink()
    msg = _message("encodings")
    assert msg.startswith(str(rules_dir / "encodings.yaml")) and "missing" in msg


def test_missing_key_in_an_entry(rules_dir):
    _edit(rules_dir, "units", lambda d: next(u for u in d["rules"] if u["name"] == "hectare").pop("unit"))
    assert _message("units") == f"{rules_dir / 'units.yaml'}: entry 'hectare': missing key 'unit'"


@pytest.mark.parametrize("name, change, where, problem", [
    ("units", lambda d: d["rules"][1].update(factor="một"), "entry 'hectare': key 'factor'", "expected a number"),
    ("headings", lambda d: d["rules"][0].update(pattern="(?P<num>"), "entry 'part': key 'pattern'",
     "not a valid regular expression"),
    ("headings", lambda d: d["rules"][0].update(flags=["IGNORE"]), "entry 'part': key 'flags'", "re flag names"),
    ("exclusions", lambda d: d[1].update(name="date"), "entry 'date'", "duplicate name"),
    ("qualifiers", lambda d: d["rules"][4].update(before="gần"), "entry 'about': key 'before'",
     "expected a list of strings"),
    ("changes", lambda d: d.pop("stop"), "", "missing key 'stop'"),
    ("numbers", lambda d: d["magnitudes"].update(nghìn="1000"), "key 'magnitudes'", "mapping of words to numbers"),
    ("tables", lambda d: d["roles"].pop("unit"), "key 'roles'", "missing key 'unit'"),
    ("units", lambda d: d["rules"][0]["examples"][0].pop("expect"), "entry 'percent': example 1 ('8,58%')",
     "exactly one of 'expect'"),
    ("units", lambda d: d["rules"][0]["examples"][0].update(unit="%"), "entry 'percent': example 1 ('8,58%')",
     "unknown key 'unit'"),
    ("per", lambda d: d["examples"][0].update(expect=[]), "example 1 ('3 – 5%/năm')", "non-empty mapping"),
    ("encodings", lambda d: d["examples"][0].pop("font"), "example 1", "missing key 'font'"),
])
def test_malformed_file(rules_dir, name, change, where, problem):
    _edit(rules_dir, name, change)
    msg = _message(name)
    assert msg.startswith(f"{rules_dir / (name + '.yaml')}: {where}"), msg
    assert problem in msg, msg


def test_not_yaml_or_wrong_shape(rules_dir):
    (rules_dir / "per.yaml").write_text("per: [năm\n", encoding="utf-8")
    assert "not valid YAML" in _message("per")
    (rules_dir / "units.yaml").write_text("- name: percent\n", encoding="utf-8")
    assert "expected a mapping at the top level" in _message("units")


def test_a_document_does_not_hide_a_broken_rule_file(rules_dir):
    """Reading a document that needs a missing rule file raises RuleError, not a
    ChisoError that would call the document corrupt."""
    from pipeline.read import legacy
    from pipeline.read.docx import read_blocks
    (rules_dir / "encodings.yaml").unlink()
    legacy._spec.cache_clear()
    legacy.encoding_of.cache_clear()
    try:
        with pytest.raises(RuleError, match="encodings.yaml"):
            read_blocks(DOCX)
    finally:
        legacy._spec.cache_clear()
        legacy.encoding_of.cache_clear()


def test_batch_stops_on_a_rule_error(monkeypatch):
    from pipeline import stages
    from pipeline.batch.engines import process_file

    def broken(path, limits=None):
        raise RuleError("rules/units.yaml", "entry 'hectare'", "missing key 'unit'")
    monkeypatch.setattr(stages, "process", broken)
    with pytest.raises(RuleError):
        process_file(str(DOCX))


def test_cli_reports_a_rule_error_in_one_line(rules_dir, tmp_path):
    _edit(rules_dir, "units", lambda d: next(u for u in d["rules"] if u["name"] == "hectare").pop("unit"))
    env = dict(os.environ, **{registry.ENV: str(rules_dir)})
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(DOCX), "-o", str(out), "-q"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 3, run.stderr
    assert run.stderr.splitlines() == [
        f"chiso: lỗi quy tắc: {rules_dir / 'units.yaml'}: entry 'hectare': missing key 'unit'"]
    assert not (out / "indicators.csv").exists() and not (out / "errors.csv").exists()
