"""The chiso command line: argv → the pipeline stages; nothing else lives here."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import ChisoError
from .files import find_docx, write_atomic
from .reader import read_blocks
from .sections import segment


def _sections(args) -> int:
    failed = 0
    paths = list(find_docx(args.paths))
    for path in paths:
        try:
            seg = segment(read_blocks(path))
        except ChisoError as exc:
            print(f"chiso: lỗi: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            lines = [json.dumps({"section_path": s.section_path, "title": s.title, "level": s.level,
                                 "block": s.block, "text": s.text}, ensure_ascii=False)
                     for s in seg.sections]
        else:
            lines = []
            for s in seg.sections:
                head = s.path[-1]
                lines.append("  " * (s.level - 1) + (head if head == s.title else f"{head}. {s.title}"))
        out = "\n".join(lines) + ("\n" if lines else "")
        if args.output:
            suffix = ".sections.jsonl" if args.json else ".sections.txt"
            write_atomic(Path(args.output) / "sections" / (path.stem + suffix), out)
        else:
            if len(paths) > 1:
                print(f"== {path}")
            sys.stdout.write(out)
    return 2 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chiso", description="Chỉ số: bảng chỉ tiêu từ báo cáo .docx")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sections", help="in cây đề mục của báo cáo (section tree)")
    p.add_argument("paths", nargs="+", help=".docx files or folders")
    p.add_argument("--json", action="store_true", help="one JSON object per heading")
    p.add_argument("-o", "--output", help="write OUTDIR/sections/<doc>.sections.* instead of printing")
    p.set_defaults(func=_sections)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ChisoError as exc:
        print(f"chiso: lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
