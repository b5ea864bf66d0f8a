"""The chiso command line: argv → the pipeline stages; nothing else lives here."""
from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from pipeline import registry
from pipeline.batch.engines import DEFAULT_TIMEOUT
from pipeline.errors import ChisoError, Interrupted, OutputError, RuleError
from pipeline.write.files import doc_ids, find_docx, write_atomic
from pipeline.read import read_blocks
from pipeline.segment.headings import outline, segment


def _error(exc: ChisoError) -> None:
    print(f"chiso: lỗi: {exc}", file=sys.stderr)


def _sections(args) -> int:
    failed = 0
    paths = list(find_docx(args.paths))
    ids = doc_ids(paths)
    for path in paths:
        try:
            seg = segment(read_blocks(path))
        except OutputError:
            raise
        except ChisoError as exc:
            _error(exc)
            failed += 1
            continue
        lines = outline(seg, as_json=args.json)
        out = "\n".join(lines) + ("\n" if lines else "")
        if args.output:
            suffix = ".sections.jsonl" if args.json else ".sections.txt"
            write_atomic(Path(args.output) / "sections" / (ids[str(path)] + suffix), out)
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
                          show_progress=False if args.quiet else None, file_timeout=args.file_timeout)
    for path, reason in result.errors:
        print(f"chiso: lỗi: {path}: {reason}", file=sys.stderr)
    for path, warning in result.warnings:
        print(f"chiso: cảnh báo: {path}: {warning}", file=sys.stderr)
    if not result.written:
        kept = (f"bảng cũ {result.table} và manifest giữ nguyên (previous outputs kept)" if result.table.exists()
                else "không ghi bảng nào (no table written)")
        print(f"chiso: lỗi: không tệp nào đọc được (no file succeeded); {kept}, lỗi trong errors.csv",
              file=sys.stderr)
        return 1
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
    from pipeline.audit.verify import OK, audit_table, document_summary, missing_sources, summary
    table = Path(args.table)
    if table.is_dir():
        table = table / "indicators.csv"
    if not table.is_file():
        raise ChisoError(table, "không tìm thấy bảng chỉ tiêu (no such table)")
    results = audit_table(table)
    target = table.parent / "audit.csv"
    write_atomic(target, results.to_csv(index=False))
    for source in missing_sources(results):
        print(f"chiso: cảnh báo: không tìm thấy tệp nguồn {source} (source missing)", file=sys.stderr)
    print("\n".join([*document_summary(results), summary(results)]))
    print(f"→ {target}", file=sys.stderr)
    return 0 if results["status"].isin(OK).all() else 1


def _report(args) -> int:
    from pipeline.audit.report import missing_sources, write_report
    out = Path(args.outdir)
    table = out / "indicators.csv" if out.is_dir() else out
    if not table.is_file():
        raise ChisoError(table, "không tìm thấy bảng chỉ tiêu; hãy chạy chiso extract trước (no such table)")
    target = write_report(table)
    missing = missing_sources(table)
    for source in missing:
        print(f"chiso: cảnh báo: không tìm thấy tệp nguồn {source} (source missing)", file=sys.stderr)
    print(f"→ {target}", file=sys.stderr)
    return 1 if missing else 0


def _annotate(args) -> int:
    from pipeline.audit.annotate import annotate, check_output, plan_copies
    from pipeline.read.package import DEFAULT_LIMITS, Limits
    limits = Limits.scaled(args.max_size) if args.max_size else DEFAULT_LIMITS
    check_output(args.files, args.output)
    failed = 0
    for path, target in plan_copies(args.files, Path(args.output)):
        try:
            print(f"→ {annotate(path, target=target, limits=limits)}", file=sys.stderr)
        except OutputError:
            raise
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


# argparse's own messages, in Vietnamese like the rest (the English term in parentheses).
_VI = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn (options)",
    "positional arguments": "tham số (arguments)",
    "show this help message and exit": "in trợ giúp này rồi thoát (help)",
    "the following arguments are required: %s": "thiếu tham số bắt buộc (required): %s",
    "unrecognized arguments: %s": "tham số không nhận ra (unrecognized arguments): %s",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "giá trị không hợp lệ (invalid choice): %(value)r; chọn một trong %(choices)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (invalid value): %(value)r",
    "expected one argument": "cần một giá trị (expected one argument)",
    "expected at least one argument": "cần ít nhất một giá trị (expected at least one argument)",
    "expected at most one argument": "cần nhiều nhất một giá trị (expected at most one argument)",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn mơ hồ (ambiguous option): %(option)s có thể là %(matches)s",
    "not allowed with argument %s": "không dùng được cùng tham số %s (not allowed with)",
    "one of the arguments %s is required": "cần một trong các tham số %s (required)",
    "ignored explicit argument %r": "giá trị bị bỏ qua (ignored explicit argument): %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "lệnh không có (unknown command): %(parser_name)r; chọn một trong %(choices)s",
}


@contextmanager
def _vietnamese_argparse():
    """argparse looks its messages up through its module's `_` when it uses them."""
    english = argparse._
    argparse._ = lambda text: _VI.get(text, english(text))
    try:
        yield
    finally:
        argparse._ = english


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """One line, like every other chiso error (argparse prints the usage too)."""
        self.exit(2, f"chiso: lỗi: {message}\n")


def _whole(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"cần một số nguyên ≥ {minimum} (an integer ≥ {minimum}): {text!r}")
        return value
    parse.__name__ = "số nguyên"
    return parse


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"cần một số dương (a positive number): {text!r}")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("chiso")
    except PackageNotFoundError:
        return "(chưa cài đặt: not installed)"


EXAMPLES = """ví dụ (examples):
  chiso extract baocao/ -o ketqua                  # mọi .docx trong baocao/ → ketqua/indicators.csv
  chiso extract baocao/ -o ketqua --resume -j 4    # chỉ đọc lại tệp đã đổi, 4 tiến trình
  chiso report ketqua                              # ketqua/report.html để soát từng số liệu
  chiso audit ketqua                               # đối chiếu từng dòng với tệp nguồn
  chiso compile ketqua                             # bảng chung theo mã chỉ tiêu
  chiso sections baocao/d01.docx                   # cây đề mục

mã thoát (exit status): 0 ổn; 1 có tệp không đọc được (errors.csv) hoặc dòng kiểm tra sai;
2 tham số sai, hoặc tệp của sections/annotate không đọc được; 3 lỗi tệp quy tắc (rules/);
4 không ghi được kết quả (output); 130 bị ngắt (SIGINT, Ctrl-C); 143 bị dừng (SIGTERM)."""


def _add_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="tệp .docx hoặc thư mục, tìm cả thư mục con (files or folders)")
    p.add_argument("-o", "--output", required=True,
                   help="thư mục kết quả: indicators.<format>, errors.csv (output folder)")
    p.add_argument("--format", choices=["csv", "jsonl", "parquet", "xlsx"], default="csv",
                   help="dạng bảng kết quả (format), mặc định csv")
    p.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến độ (no progress bar)")
    p.add_argument("-j", "--jobs", type=_whole(1), default=0, metavar="N",
                   help="số tiến trình xử lý (worker processes); mặc định: mọi lõi CPU")
    p.add_argument("--resume", action="store_true",
                   help="bỏ qua tệp có sha256 không đổi từ lần chạy trước vào OUTDIR (resume)")
    p.add_argument("--max-size", type=_positive, default=0, metavar="MB",
                   help="tệp .docx lớn nhất được đọc, MB (max size); mặc định 50, giải nén tối đa 10×")
    p.add_argument("--file-timeout", type=_positive, default=DEFAULT_TIMEOUT, metavar="GIÂY",
                   help="thời hạn cho một tệp, giây (file timeout); quá hạn thì tệp vào errors.csv, "
                        f"lô vẫn chạy tiếp; mặc định {DEFAULT_TIMEOUT:g} (không áp dụng cho --engine dask)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="chạy trên máy này hay trên cụm Dask (engine)")
    p.add_argument("--scheduler", help="địa chỉ Dask scheduler, ví dụ tcp://10.0.0.5:8786 (--engine dask)")
    p.set_defaults(func=_extract)


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="chiso", description="Chỉ số: bảng chỉ tiêu từ báo cáo .docx", epilog=EXAMPLES,
                     formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"chiso {_version()}",
                        help="in phiên bản rồi thoát (version)")
    sub = parser.add_subparsers(dest="command", required=True, title="lệnh (commands)", metavar="LỆNH")

    p = sub.add_parser("sections", help="in cây đề mục của báo cáo (section tree)", formatter_class=fmt)
    p.add_argument("paths", nargs="+", help="tệp .docx hoặc thư mục (files or folders)")
    p.add_argument("--json", action="store_true", help="mỗi đề mục một đối tượng JSON (one JSON object per heading)")
    p.add_argument("-o", "--output", help="ghi OUTDIR/sections/<doc>.sections.* thay vì in ra (output folder)")
    p.set_defaults(func=_sections)

    _add_extract(sub.add_parser("extract", help="trích xuất mọi số liệu thành bảng chỉ tiêu (extract)",
                                formatter_class=fmt, epilog="ví dụ (example): chiso extract baocao/ -o ketqua --jobs 4 --file-timeout 600"))

    p = sub.add_parser("compile", help="một bảng chung cho nhiều báo cáo: chỉ tiêu theo mã, mục tiêu và kết quả",
                       formatter_class=fmt)
    p.add_argument("outdir", help="thư mục có indicators.csv: ghi compiled.csv, compiled.xlsx, datapackage.json")
    p.set_defaults(func=_compile)

    p = sub.add_parser("eval", help="chấm điểm so với tệp gold (X.docx + X.gold.jsonl)", formatter_class=fmt)
    p.add_argument("folder", help="thư mục có các cặp X.docx + X.gold.jsonl")
    p.add_argument("--misses", action="store_true", help="liệt kê dòng thiếu, thừa, sai trường (misses)")
    p.set_defaults(func=_eval)

    p = sub.add_parser("audit", help="kiểm tra lại từng dòng của bảng với tệp nguồn", formatter_class=fmt)
    p.add_argument("table", help="OUTDIR/indicators.csv (hoặc OUTDIR)")
    p.set_defaults(func=_audit)

    p = sub.add_parser("report", help="trang HTML để kiểm tra từng số liệu (OUTDIR/report.html)", formatter_class=fmt)
    p.add_argument("outdir", help="thư mục có indicators.csv (hoặc chính tệp CSV)")
    p.set_defaults(func=_report)

    p = sub.add_parser("annotate", help="bản .docx có tô màu và chú thích (comment) cho từng số liệu",
                       formatter_class=fmt)
    p.add_argument("files", nargs="+", help="tệp .docx hoặc thư mục (files or folders)")
    p.add_argument("-o", "--output", required=True,
                   help="OUTDIR, không nằm trong thư mục đầu vào: ghi OUTDIR/<đường dẫn dưới thư mục đầu vào>"
                        ".annotated.docx (output folder, not inside an input folder)")
    p.add_argument("--max-size", type=_positive, default=0, metavar="MB",
                   help="tệp .docx lớn nhất được đọc, MB (max size); mặc định 50, như extract")
    p.set_defaults(func=_annotate)

    p = sub.add_parser("show", help="xem các câu có số liệu (displaCy, HTML)", formatter_class=fmt)
    p.add_argument("file", help="tệp .docx")
    p.add_argument("-o", "--output", help="ghi trang HTML vào đây thay vì in ra (output file)")
    p.add_argument("--spans", choices=["figures", "excluded", "cues"], default="figures",
                   help="tô gì (spans): số liệu, số bị loại, hay từ tín hiệu")
    p.set_defaults(func=_show)
    return parser


def _on_signal(signum, _frame):
    for s in (signal.SIGINT, signal.SIGTERM):   # a second signal must not break the clean-up
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


@contextmanager
def _signals_end_the_run():
    """SIGTERM and SIGINT raise Interrupted in the command: outputs and workers are cleaned
    up by the code they interrupt, then the command ends with 128 + the signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def main(argv=None) -> int:
    with _vietnamese_argparse():
        args = build_parser().parse_args(argv)
    try:
        with _signals_end_the_run():
            registry.load_all()       # a broken rule file stops the run before any document is read
            return args.func(args)
    except RuleError as exc:
        print(f"chiso: lỗi quy tắc: {exc}", file=sys.stderr)
        return 3
    except OutputError as exc:
        _error(exc)
        return 4
    except ChisoError as exc:
        _error(exc)
        return 2
    except Interrupted as exc:
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:       # `chiso eval corpus | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
