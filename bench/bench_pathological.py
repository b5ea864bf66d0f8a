"""Time on pathological paragraphs (a script, not a test): each shape at 1x and 8x, in one
process; a ratio near 8 is linear, near 64 quadratic.

    .venv/bin/python bench/bench_pathological.py
"""
from __future__ import annotations

import time

from pipeline.stages import extract_text

SHAPES = {
    "commas": (lambda n: ", ".join(f"xã {i} có {i % 97 + 1} hộ nghèo" for i in range(n)), 150),
    "digits": (lambda n: "Tổng số " + "1" * n + " hộ", 10_000),
    "semicolons": (lambda n: "; ".join(f"tăng {i}% so với năm 2020" for i in range(n)), 150),
    "in words": (lambda n: "; ".join(f"mười {['hai', 'ba', 'bốn'][i % 3]} hộ" for i in range(n)), 300),
    "years": (lambda n: ", ".join(f"năm {2000 + i % 25} xã {i} có {i % 97 + 1} hộ nghèo" for i in range(n)), 150),
    "closed years": (lambda n: ", ".join(f"(năm {2000 + i % 25}) xã {i} có {i % 97 + 1} hộ" for i in range(n)), 150),
    "labels": (lambda n: "gồm: " + ", ".join(f"xã {i}: {i % 97 + 1} hộ" for i in range(n)), 150),
    "dates": (lambda n: ", ".join(f"ngày {i % 28 + 1}/{i % 12 + 1}/20{i % 30:02d}" for i in range(n)), 300),
}


def main() -> None:
    extract_text("Tổng thu đạt 5 tỷ đồng.")            # rules and models loaded
    print(f"{'shape':12} {'chars 1x':>9} {'1x s':>8} {'8x s':>8} {'ratio':>6}")
    for name, (gen, base) in SHAPES.items():
        extract_text(gen(10))              # what this shape loads first (underthesea models) is not timed
        times = []
        for k in (1, 8):
            text = gen(base * k)
            t = time.process_time()
            extract_text(text)
            times.append(time.process_time() - t)
        print(f"{name:12} {len(gen(base)):9d} {times[0]:8.3f} {times[1]:8.3f} {times[1] / times[0]:6.1f}")


if __name__ == "__main__":
    main()
