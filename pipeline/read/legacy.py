"""Text typed in legacy Vietnamese fonts (TCVN3/ABC, VNI) converted to Unicode.

Which encoding a run uses is told by its font (rules/encodings.yaml): the same bytes
mean "Tỷ lệ" in .VnTime and "Tû lÖ" in Times New Roman.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import registry as rules


@lru_cache(maxsize=1)
def _spec():
    e = rules.load("encodings")
    vni = e["vni"]
    return dict(
        fonts={name: re.compile(p) for name, p in e["fonts"].items()},
        upper=re.compile(e["upper_fonts"]),
        tcvn3=str.maketrans(e["tcvn3"]),
        vni=re.compile("|".join(re.escape(k) for k in sorted(vni, key=len, reverse=True))),
        vni_map=vni,
    )


@lru_cache(maxsize=256)
def encoding_of(font: str | None) -> tuple[str, bool] | None:
    """("tcvn3" | "vni", upper-case font) for a legacy font name, else None."""
    if not font:
        return None
    spec = _spec()
    for name, pattern in spec["fonts"].items():
        if pattern.search(font):
            return name, name == "tcvn3" and bool(spec["upper"].search(font))
    return None


def decode(text: str, encoding: str, upper: bool = False) -> str:
    spec = _spec()
    if encoding == "tcvn3":
        out = text.translate(spec["tcvn3"])
        return out.upper() if upper else out
    if encoding == "vni":
        return spec["vni"].sub(lambda m: spec["vni_map"][m.group(0)], text)
    raise ValueError(encoding)


def encode(text: str, encoding: str) -> str:
    """Unicode → legacy text (for tests and fixtures): the inverse of decode."""
    table = rules.load("encodings")[encoding]
    inverse = {}
    for k, v in sorted(table.items(), key=lambda kv: len(kv[0])):
        inverse.setdefault(v, k)
    return "".join(inverse.get(ch, ch) for ch in text)
