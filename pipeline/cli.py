"""The chiso command line: argv → the pipeline stages; nothing else lives here."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from pipeline import registry
from pipeline.errors import ChisoError, RuleError
from pipeline.write.files import find_docx, write_atomic
from pipeline.read.docx import read_blocks
from pipeline.segment.headings import segment


def _error(exc: ChisoError) -> None:
    print(f"chiso: lỗi: {exc}", file=sys.stderr)


def _sections(args) -> int:
    failed = 0
    paths = list(find_docx(args.paths))
    for path in paths:
        try:
            seg = segment(read_blocks(path))
        except ChisoError as exc:
            _error(exc)
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
                sep = " – " if s.kind == "part" else ". "
                lines.append("  " * (s.level - 1) + (head if head == s.title else f"{head}{sep}{s.title}"))
        out = "\n".join(lines) + ("\n" if lines else "")
        if args.output:
            suffix = ".sections.jsonl" if args.json else ".sections.txt"
            write_atomic(Path(args.output) / "sections" / (path.stem + suffix), out)
        else:
            if len(paths) > 1:
                print(f"== {path}")
            sys.stdout.write(out)
    return 2 if failed else 0


def _extract(args) -> int:
    from pipeline.batch.engines import default_jobs, progress, run_dask, run_local
    from pipeline.process import sha256_of
    from pipeline.write.stream import MANIFEST, TableWriter, load_manifest, manifest_text, previous_rows
    from pipeline.read.package import DEFAULT_LIMITS, Limits
    out = Path(args.output)
    limits = Limits.scaled(args.max_size) if args.max_size else DEFAULT_LIMITS
    files = [str(p) for p in find_docx(args.paths)]
    manifest = load_manifest(out, args.format) if args.resume else {}
    carried: dict[str, str] = {}
    todo = []
    for f in files:
        if manifest.get(f) and Path(f).is_file() and sha256_of(f) == manifest[f]:
            carried[f] = manifest[f]           # unchanged since the last run: keep its rows
        else:
            todo.append(f)
    target = out / f"indicators.{args.format}"
    writer = TableWriter(target, args.format)
    errors, done, n_rows = [], {}, 0
    try:
        for batch in previous_rows(target, args.format, set(carried)):
            writer.write(batch)
        if args.engine == "dask":
            results = run_dask(todo, limits, args.scheduler)
        else:
            results = run_local(todo, limits, args.jobs or default_jobs())
        for path, rows, reason in progress(results, len(todo), False if args.quiet else None):
            if reason is not None:
                errors.append((path, reason))
                continue
            writer.write(rows)
            done[path] = rows[0][-1] if rows else sha256_of(path)
        n_rows = writer.count
        writer.commit()
    except BaseException:
        writer.abort()                          # the previous output stays whole
        raise
    buf = io.StringIO()
    csv.writer(buf).writerows([("file", "reason"), *errors])
    write_atomic(out / "errors.csv", buf.getvalue())
    write_atomic(out / MANIFEST, manifest_text(args.format, carried | done))
    for path, reason in errors:
        print(f"chiso: lỗi: {path}: {reason}", file=sys.stderr)
    kept = f", {len(carried)} tệp không đổi giữ nguyên" if carried else ""
    print(f"{len(files) - len(errors)}/{len(files)} tệp{kept}, {n_rows} dòng → {target}", file=sys.stderr)
    return 1 if errors else 0


def _eval(args) -> int:
    from pipeline.evaluate import evaluate_dir, format_report
    from pipeline.process import extract_file
    per_doc, total = evaluate_dir(Path(args.folder), lambda p: [asdict(r) for r in extract_file(p)])
    if not per_doc:
        print(f"chiso: lỗi: {args.folder}: không có cặp X.docx + X.gold.jsonl nào", file=sys.stderr)
        return 2
    print(format_report(per_doc, total, misses=args.misses))
    return 0


def _audit(args) -> int:
    from pipeline.audit.verify import audit_table, summary
    table = Path(args.table)
    if table.is_dir():
        table = table / "indicators.csv"
    if not table.is_file():
        raise ChisoError(table, "không tìm thấy bảng chỉ tiêu (no such table)")
    results = audit_table(table)
    write_atomic(table.parent / "audit.csv", results.to_csv(index=False))
    print(summary(results))
    return 0 if (results["status"] == "ok").all() else 1


def _report(args) -> int:
    from pipeline.audit.report import build_report
    out = Path(args.outdir)
    table = out / "indicators.csv" if out.is_dir() else out
    if not table.is_file():
        raise ChisoError(table, "không tìm thấy bảng chỉ tiêu; hãy chạy chiso extract trước (no such table)")
    target = table.parent / "report.html"
    write_atomic(target, build_report(table))
    print(f"→ {target}", file=sys.stderr)
    return 0


def _annotate(args) -> int:
    from pipeline.audit.annotate import annotate
    failed = 0
    for path in find_docx(args.files):
        try:
            print(f"→ {annotate(path, Path(args.output))}", file=sys.stderr)
        except ChisoError as exc:
            _error(exc)
            failed += 1
    return 2 if failed else 0


def _show(args) -> int:
    from pipeline.process import extract_sentences
    from pipeline.audit.show import render, sentence_doc
    docs = []
    for text, s0, s1, figures, excluded in extract_sentences(Path(args.file)):
        doc = sentence_doc(text, s0, s1, figures, excluded)
        if doc.spans[args.spans]:
            docs.append(doc)
    html = render(docs, key=args.spans)
    if args.output:
        write_atomic(Path(args.output), html)
    else:
        sys.stdout.write(html)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chiso", description="Chỉ số: bảng chỉ tiêu từ báo cáo .docx")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sections", help="in cây đề mục của báo cáo (section tree)")
    p.add_argument("paths", nargs="+", help=".docx files or folders")
    p.add_argument("--json", action="store_true", help="one JSON object per heading")
    p.add_argument("-o", "--output", help="write OUTDIR/sections/<doc>.sections.* instead of printing")
    p.set_defaults(func=_sections)

    p = sub.add_parser("extract", help="trích xuất mọi số liệu thành bảng chỉ tiêu")
    p.add_argument("paths", nargs="+", help=".docx files or folders (searched recursively)")
    p.add_argument("-o", "--output", required=True, help="output folder: indicators.<format>, errors.csv")
    p.add_argument("--format", choices=["csv", "jsonl", "parquet"], default="csv")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true",
                   help="skip files whose sha256 has not changed since the last run into OUTDIR")
    p.add_argument("--max-size", type=float, default=0, metavar="MB",
                   help="largest .docx to read, in MB (default 50; what it inflates to: 10×)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--engine dask)")
    p.set_defaults(func=_extract)

    p = sub.add_parser("eval", help="chấm điểm so với tệp gold (X.docx + X.gold.jsonl)")
    p.add_argument("folder")
    p.add_argument("--misses", action="store_true", help="list missed, extra and wrong rows")
    p.set_defaults(func=_eval)

    p = sub.add_parser("audit", help="kiểm tra lại từng dòng của bảng với tệp nguồn")
    p.add_argument("table", help="OUTDIR/indicators.csv (or OUTDIR)")
    p.set_defaults(func=_audit)

    p = sub.add_parser("report", help="trang HTML để kiểm tra từng số liệu (OUTDIR/report.html)")
    p.add_argument("outdir", help="the folder of indicators.csv (or the CSV itself)")
    p.set_defaults(func=_report)

    p = sub.add_parser("annotate", help="bản .docx có tô màu và chú thích (comment) cho từng số liệu")
    p.add_argument("files", nargs="+", help=".docx files or folders")
    p.add_argument("-o", "--output", required=True, help="OUTDIR: writes OUTDIR/<name>.annotated.docx")
    p.set_defaults(func=_annotate)

    p = sub.add_parser("show", help="xem các câu có số liệu (displaCy, HTML)")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="write the HTML page here instead of stdout")
    p.add_argument("--spans", choices=["figures", "excluded", "cues"], default="figures")
    p.set_defaults(func=_show)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        registry.load_all()       # a broken rule file stops the run before any document is read
        return args.func(args)
    except RuleError as exc:
        print(f"chiso: lỗi quy tắc: {exc}", file=sys.stderr)
        return 3
    except ChisoError as exc:
        _error(exc)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:       # `chiso eval corpus | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
