"""Load the rule files of rules/ (YAML): one place that knows where rules live."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

RULES_DIR = Path(os.environ.get("CHISO_RULES", Path(__file__).resolve().parent.parent / "rules"))


@lru_cache(maxsize=None)
def load(name: str):
    """The parsed contents of rules/<name>.yaml."""
    with (RULES_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
