"""chiso compile: one table across many reports (compiled.csv, compiled.xlsx, datapackage.json),
and chiso extract --format xlsx. Fixture tables carry codes; the end-to-end test checks structure."""
import csv
import io

import pytest
from openpyxl import load_workbook

from builders import CORPUS
from pipeline.cli import main
from pipeline.model import ROW_COLUMNS
from pipeline.write.compile import COLUMNS, Value, compile_records, status
from pipeline.write.xlsx import display, number_format

BASE = {c: "" for c in ROW_COLUMNS} | {"block": "0", "start": "0", "end": "1", "qualifier": "=", "kind": "actual"}


def row(doc, code, value, kind="actual", period="2025", unit="%", direction="up", **kw):
    r = dict(BASE, doc_id=doc, code=code, value=str(value), kind=kind, period=period, unit=unit,
             direction=direction, indicator=kw.pop("indicator", code), source_path=f"{doc}.docx",
             source_sha256=f"sha-{doc}", raw=str(value))
    r.update({k: str(v) for k, v in kw.items()})
    if "start" not in kw:          # each row its own raw unless told
        r["start"], r["end"] = str(len(value.__str__()) * 7 + hash((doc, code, value, kind)) % 1000), "9999"
    return r


def table(rows) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, ROW_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


ROWS = [
    row("a", "social.poverty_rate", 2, "target", direction="down", qualifier="<",
        sentence="=HYPERLINK(\"http://x\") tỷ lệ hộ nghèo dưới 2%"),                         # 1
    row("a", "social.poverty_rate", 1.8, direction="down", sentence="+84 tỷ lệ hộ nghèo còn 1,8%"),   # 2
    row("a", "econ.income_per_capita", 90000000, "target", unit="VND", per="người/năm"),          # 3
    row("a", "econ.income_per_capita", 95500000.5, unit="VND", per="người/năm"),                  # 4
    row("a", "econ.income_per_capita", 5000000, unit="VND", change="+"),                           # 5: a change
    row("a", "health.insurance_rate", 95, "target"),                                              # 6
    row("a", "health.insurance_rate", 93.5),                                                      # 7
    row("a", "health.insurance_rate", 94.1, indicator="-tỷ lệ BHYT"),                             # 8: conflict
    row("b", "health.insurance_rate", 95, "target", qualifier=">=", sentence="@cmd"),             # 9
    row("b", "health.insurance_rate", 95),                                                        # 10
    row("b", "health.insurance_rate", 95, indicator="lặp lại"),                                   # 11: same value
    row("b", "pop.population", 12345, "actual", unit="count", direction="none", period=""),       # 12
    row("b", "", 7, unit="count"),                                                                # 13: no code
]


@pytest.fixture()
def outdir(tmp_path):
    (tmp_path / "indicators.csv").write_text(table(ROWS), encoding="utf-8")
    assert main(["compile", str(tmp_path)]) == 0
    return tmp_path


def compiled(outdir):
    with (outdir / "compiled.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["doc_id"], r["code"], r["period"]): r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("direction, target, actual, expected", [
    ("down", Value(2, "<", []), Value(1.8, "=", []), "đạt"),          # dưới 2% met by 1,8%
    ("down", Value(2, "<", []), Value(2, "=", []), "không đạt"),
    ("down", Value(2, "=", []), Value(1.8, "=", []), "vượt"),         # down: below the target is better
    ("down", Value(2, "=", []), Value(2.1, "=", []), "không đạt"),
    ("up", Value(90, "=", []), Value(90, "=", []), "đạt"),
    ("up", Value(90, "=", []), Value(91, "=", []), "vượt"),
    ("up", Value(90, "~", []), Value(89, "=", []), "không đạt"),
    ("up", Value(95, ">=", []), Value(95, "=", []), "đạt"),           # từ 95% trở lên: met at
    ("up", Value(95, ">=", []), Value(96, "=", []), "vượt"),
    ("up", Value(95, ">", []), Value(95, "=", []), "không đạt"),      # trên 95%: not met at 95
    ("up", Value(95, ">", []), Value(97, "=", []), "đạt"),
    ("up", Value(85, ">=", [], far=90), Value(88, "=", []), "đạt"),   # a range 85-90%
    ("up", Value(85, ">=", [], far=90), Value(91, "=", []), "vượt"),
    ("down", Value(2, "<=", [], far=1.5), Value(1.2, "=", []), "vượt"),
    ("none", Value(10, "=", []), Value(12, "=", []), ""),
    ("up", None, Value(12, "=", []), ""),
])
def test_status_reads_the_direction_and_the_qualifier(direction, target, actual, expected):
    assert status(direction, target, actual) == expected


def test_a_range_target_binds_at_the_end_the_direction_makes_binding():
    lo = row("a", "health.insurance_rate", 85, "target", qualifier=">=", start="5", end="11", raw="85-90%")
    hi = row("a", "health.insurance_rate", 90, "target", qualifier="<=", start="5", end="11", raw="85-90%")
    entry, = compile_records([lo, hi, row("a", "health.insurance_rate", 88)])
    target = entry.values["target"]
    assert (target.value, target.qualifier, target.far, target.rows) == (85, ">=", 90, [1, 2])
    assert entry.conflicts == [] and entry.rows == [1, 2, 3]


def test_compiled_csv_one_row_per_doc_code_period(outdir):
    text = (outdir / "compiled.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == COLUMNS
    got = compiled(outdir)
    assert set(got) == {("a", "social.poverty_rate", "2025"), ("a", "econ.income_per_capita", "2025"),
                        ("a", "health.insurance_rate", "2025"), ("b", "health.insurance_rate", "2025"),
                        ("b", "pop.population", "")}
    pov = got["a", "social.poverty_rate", "2025"]
    assert (pov["target"], pov["target_qualifier"], pov["actual"], pov["status"], pov["rows"]) == \
        ("2", "<", "1.8", "đạt", "1 2")
    assert pov["achievement"] == "0.9"
    inc = got["a", "econ.income_per_capita", "2025"]
    assert (inc["status"], inc["rows"], inc["per"], inc["unit"]) == ("vượt", "3 4", "người/năm", "VND")
    b = got["b", "health.insurance_rate", "2025"]
    assert (b["status"], b["rows"], b["conflict"]) == ("đạt", "9 10 11", "")
    assert got["b", "pop.population", ""]["status"] == ""


def test_two_values_of_one_kind_are_a_conflict_kept_first_and_listed(outdir):
    ins = compiled(outdir)["a", "health.insurance_rate", "2025"]
    assert ins["actual"] == "93.5" and ins["status"] == "không đạt"
    assert "94.1" in ins["conflict"] and "8" in ins["conflict"] and ins["rows"] == "6 7 8"
    ws = load_workbook(outdir / "compiled.xlsx")["Mâu thuẫn"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("doc_id", "code", "period", "kind") and len(rows) == 2
    assert rows[1][:6] == ("a", "health.insurance_rate", "2025", "actual", 93.5, "7")


def test_workbook_sheets_values_formats_and_no_formula(outdir):
    wb = load_workbook(outdir / "compiled.xlsx")
    assert wb.sheetnames == ["Tổng hợp", "Số liệu", "Mâu thuẫn", "Nguồn"]
    ws = wb["Tổng hợp"]
    assert ws.freeze_panes == "D3" and ws.auto_filter.ref
    head = [c.value for c in ws[2]]
    assert head == ["Mã", "Chỉ tiêu", "Đơn vị", "a", "b", "a", "b"]
    by_code = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    inc = by_code["econ.income_per_capita"]
    assert inc[2].value == "VND/người/năm"
    assert (inc[3].value, inc[5].value) == (95500000.5, 90000000)
    assert inc[5].number_format == "00\\.000\\.000" and display(inc[5].value) == "90.000.000"
    assert inc[3].number_format == "[$-42A]#,##0.0" and display(inc[3].value) == "95.500.000,5"
    assert by_code["health.insurance_rate"][4].value == 95 and by_code["pop.population"][4].value == 12345
    assert ws.column_dimensions["B"].width >= len("econ.income_per_capita")
    data = wb["Số liệu"]
    assert data.max_row == len(ROWS) + 1
    texts = {c.value: c.data_type for r in data.iter_rows(min_row=2) for c in r if isinstance(c.value, str)}
    assert texts['=HYPERLINK("http://x") tỷ lệ hộ nghèo dưới 2%'] == "s"
    assert texts["+84 tỷ lệ hộ nghèo còn 1,8%"] == texts["@cmd"] == texts["-tỷ lệ BHYT"] == "s"
    assert [list(r) for r in wb["Nguồn"].iter_rows(values_only=True)] == \
        [["doc_id", "source_path", "source_sha256"], ["a", "a.docx", "sha-a"], ["b", "b.docx", "sha-b"]]
    assert all(c.data_type != "f" for s in wb for r in s.iter_rows() for c in r)


def test_vietnamese_number_display():
    assert display(1234.5) == "1.234,5" and display(9876000000) == "9.876.000.000" and display(8.58) == "8,58"
    assert number_format(1234567) == "0\\.000\\.000" and number_format(12) == "00"
    assert number_format(8.58) == "[$-42A]#,##0.00"


def test_datapackage_validates_with_frictionless(outdir):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(outdir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(outdir / "datapackage.json"))
    assert [r.name for r in package.resources] == ["indicators", "compiled"]
    schema = package.get_resource("compiled").schema
    assert schema.primary_key == ["doc_id", "code", "period"]
    assert "%" in schema.get_field("unit").constraints["enum"]
    assert package.get_resource("indicators").schema.get_field("value").type == "number"


def test_extract_then_compile_end_to_end_structure(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d04.docx"), str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    assert (out / "datapackage.json").is_file()
    assert main(["compile", str(out)]) == 0
    assert (out / "compiled.csv").read_text(encoding="utf-8").splitlines()[0].split(",") == COLUMNS
    wb = load_workbook(out / "compiled.xlsx")
    assert wb.sheetnames == ["Tổng hợp", "Số liệu", "Mâu thuẫn", "Nguồn"]
    n_rows = len((out / "indicators.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert wb["Số liệu"].max_row == n_rows + 1
    assert [r[0] for r in wb["Nguồn"].iter_rows(min_row=2, values_only=True)] == ["d04", "d01"]   # as given
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_compile_without_a_table_is_an_error(tmp_path, capsys):
    assert main(["compile", str(tmp_path)]) == 2
    assert "indicators.csv" in capsys.readouterr().err


def test_extract_xlsx_is_the_table_as_a_text_safe_workbook(tmp_path):
    src = str(CORPUS / "d04.docx")
    assert main(["extract", src, "-o", str(tmp_path / "csv"), "-q"]) == 0
    assert main(["extract", src, "-o", str(tmp_path / "xl"), "-q", "--format", "xlsx"]) == 0
    with (tmp_path / "csv" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.reader(fh))
    wb = load_workbook(tmp_path / "xl" / "indicators.xlsx")
    ws = wb["Số liệu"]
    got = [["" if v is None else v for v in r] for r in ws.iter_rows(values_only=True)]
    assert got[0] == expected[0] == ROW_COLUMNS and len(got) == len(expected)
    value = ROW_COLUMNS.index("value")
    assert [float(r[value]) for r in expected[1:]] == [r[value] for r in got[1:]]
    assert [r[ROW_COLUMNS.index("sentence")] for r in expected[1:]] == [r[ROW_COLUMNS.index("sentence")] for r in got[1:]]
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    assert not list(tmp_path.joinpath("xl").glob(".*.tmp"))
    # --resume carries the rows of an unchanged file over from the workbook
    assert main(["extract", src, "-o", str(tmp_path / "xl"), "-q", "--format", "xlsx", "--resume"]) == 0
    again = load_workbook(tmp_path / "xl" / "indicators.xlsx")["Số liệu"]
    assert [["" if v is None else v for v in r] for r in again.iter_rows(values_only=True)] == got
