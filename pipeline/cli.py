"""The chiso command line: argv → the pipeline stages; nothing else lives here."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from pipeline import registry
from pipeline.errors import ChisoError, RuleError
from pipeline.write.files import find_docx, write_atomic
from pipeline.read import read_blocks
from pipeline.segment.headings import outline, segment


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
        lines = outline(seg, as_json=args.json)
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
    from pipeline.batch import extract_many
    from pipeline.read.package import DEFAULT_LIMITS, Limits
    limits = Limits.scaled(args.max_size) if args.max_size else DEFAULT_LIMITS
    result = extract_many(args.paths, args.output, fmt=args.format, jobs=args.jobs, resume=args.resume,
                          limits=limits, engine=args.engine, scheduler=args.scheduler,
                          show_progress=False if args.quiet else None)
    for path, reason in result.errors:
        print(f"chiso: lỗi: {path}: {reason}", file=sys.stderr)
    kept = f", {len(result.carried)} tệp không đổi giữ nguyên" if result.carried else ""
    print(f"{result.succeeded}/{len(result.files)} tệp{kept}, {result.rows} dòng → {result.table}", file=sys.stderr)
    return 1 if result.errors else 0


def _compile(args) -> int:
    from pipeline.write.compile import number
    from pipeline.write.folder import write_compiled
    out = Path(args.outdir)
    result = write_compiled(out)
    for c in result.conflicts:
        print(f"chiso: mâu thuẫn: {c['doc_id']} {c['code']} {c['period'] or '—'} {c['kind']}: "
              f"{number(c['kept'])} (dòng {c['kept_rows']}) ≠ {number(c['other'])} (dòng {c['other_rows']})",
              file=sys.stderr)
    coded = len({n for e in result.entries for n in e.rows})
    print(f"{coded} dòng có mã (mức, không tính biến động) → {len(result.entries)} dòng tổng hợp, {len(result.conflicts)} mâu thuẫn → "
          f"{out / 'compiled.csv'}, {out / 'compiled.xlsx'}", file=sys.stderr)
    return 0


def _eval(args) -> int:
    from pipeline.evaluate import evaluate_dir, format_report
    from pipeline.stages import extract_file
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
    from pipeline.audit.report import write_report
    out = Path(args.outdir)
    table = out / "indicators.csv" if out.is_dir() else out
    if not table.is_file():
        raise ChisoError(table, "không tìm thấy bảng chỉ tiêu; hãy chạy chiso extract trước (no such table)")
    target = write_report(table)
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
    from pipeline.audit.show import document_view
    from pipeline.stages import process
    html = document_view(process(Path(args.file)), key=args.spans)
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
    p.add_argument("--format", choices=["csv", "jsonl", "parquet", "xlsx"], default="csv")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true",
                   help="skip files whose sha256 has not changed since the last run into OUTDIR")
    p.add_argument("--max-size", type=float, default=0, metavar="MB",
                   help="largest .docx to read, in MB (default 50; what it inflates to: 10×)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--engine dask)")
    p.set_defaults(func=_extract)

    p = sub.add_parser("compile", help="một bảng chung cho nhiều báo cáo: chỉ tiêu theo mã, mục tiêu và kết quả")
    p.add_argument("outdir", help="the folder of indicators.csv: writes compiled.csv, compiled.xlsx, datapackage.json")
    p.set_defaults(func=_compile)

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
