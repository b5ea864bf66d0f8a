"""chiso as a real package: the wheel holds every sub-package and the rule files, and an
install of it in a fresh virtual environment extracts the seed report from a folder
outside the checkout, with its own code and rules. No network: the wheel is built without
build isolation, and the new environment sees this interpreter's installed dependencies
through a .pth file."""
import csv
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "binh-thanh-dong-2020-2025.docx"

# Building without isolation needs setuptools>=70.1 (its own bdist_wheel): the test extra
# installs it, so `make test` always runs this file; it never skips.


def _run(args, cwd, env=None, timeout=120):
    run = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, f"{args}\n{run.stdout}\n{run.stderr}"
    return run


def _source_copy(dest: Path) -> Path:
    """What the build reads, copied: the checkout gets no build/ or egg-info of it."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("pipeline", "rules"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _pip(python, *args, cwd):
    return _run([python, "-m", "pip", "--disable-pip-version-check", "-q", *args], cwd)


def _venv(folder: Path) -> tuple[Path, dict]:
    """A fresh venv without pip of its own: it sees this interpreter's site-packages (pip and
    the dependencies) after its own, so what it installs wins."""
    _run([sys.executable, "-m", "venv", "--without-pip", folder], folder.parent)
    python = folder / "bin" / "python"
    own = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], folder.parent)
    site_dirs = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    site_dirs |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)}
    (Path(own.stdout.strip()) / "_chiso_test_deps.pth").write_text("\n".join(sorted(site_dirs)) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("CHISO_RULES", "PYTHONPATH", "PYTHONHOME")}
    return python, env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = _source_copy(tmp / "src")
    _pip(sys.executable, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", tmp / "dist", src,
         cwd=tmp)
    (found,) = (tmp / "dist").glob("chiso-*.whl")
    return found


def test_wheel_holds_every_module_and_rule_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")}
    rule_files = {f"pipeline/rules/{p.name}" for p in (ROOT / "rules").iterdir() if p.suffix in (".yaml", ".py")}
    assets = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*") if p.suffix in (".css", ".js")}
    assert modules - names == set()
    assert rule_files - names == set()
    assert assets and assets - names == set()          # the report's page parts (package data)


def test_installed_wheel_extracts_the_seed_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    python, env = _venv(venv)
    _pip(python, "install", "--no-deps", "--no-index", "--ignore-installed", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    doc = shutil.copy2(SEED, elsewhere / SEED.name)

    where = _run([python, "-c", "import pipeline, pipeline.cli; from pipeline import registry; "
                  "print(pipeline.__file__); print(registry.path_of('units'))"], elsewhere, env)
    code, rules = map(Path, where.stdout.split())
    assert code.is_relative_to(venv) and rules.is_relative_to(venv), where.stdout
    assert rules == code.parent / "rules" / "units.yaml"

    _run([venv / "bin" / "chiso", "extract", doc, "-o", "out", "-q"], elsewhere, env)
    with open(elsewhere / "out" / "indicators.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    from pipeline.stages import extract_file
    expected = extract_file(SEED)              # the checkout's own code on the same report
    assert len(rows) == len(expected) >= 94
    assert [(r["raw"], r["unit"], r["indicator"]) for r in rows] == [(r.raw, r.unit, r.indicator) for r in expected]
    assert {r["source_path"] for r in rows} == {str(doc)}


def test_editable_install_finds_the_rules_of_its_checkout(tmp_path):
    src = _source_copy(tmp_path / "src")
    python, env = _venv(tmp_path / "venv")
    _pip(python, "install", "--no-deps", "--no-index", "--ignore-installed", "--no-build-isolation", "-e", src,
         cwd=tmp_path)
    run = _run([python, "-c", "import importlib.resources as r; from pipeline import registry; "
                "print(r.files('pipeline.rules')); print(registry.path_of('units')); registry.load_all()"],
               tmp_path, env)
    packaged, units = map(Path, run.stdout.split())
    assert packaged == src / "rules" and units == src / "rules" / "units.yaml"
