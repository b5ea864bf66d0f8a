"""Canonical indicator codes (rules/codes.yaml): the table of codes is consistent, released
codes never change, every row carries its code and direction, table cells are coded by
their row label, and the scorer counts code precision and recall."""
import re

from docx import Document

from builders import save
from pipeline import registry as rules
from pipeline.evaluate import score_document
from pipeline.link.codes import code_of, normalize
from pipeline.model import ROW_COLUMNS
from pipeline.stages import extract_file, extract_text

DIRECTIONS = {"up", "down", "none"}
NAME = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
REF = re.compile(r"^(NTM \d+(\.\d+)?)?$")

# The codes as released (code: unit, direction, ref). A released code is never renamed or
# given another meaning; new codes may be added to rules/codes.yaml.
RELEASED = {
    "econ.growth": ("%", "up", ""),
    "econ.growth.agri": ("%", "up", ""),
    "econ.growth.industry": ("%", "up", ""),
    "econ.growth.services": ("%", "up", ""),
    "econ.share.agri": ("%", "none", ""),
    "econ.share.industry": ("%", "none", ""),
    "econ.share.services": ("%", "none", ""),
    "econ.output_value": ("VND", "up", ""),
    "econ.income_per_capita": ("VND", "up", "NTM 10"),
    "econ.output_value.agri": ("VND", "up", ""),
    "econ.output_value.industry": ("VND", "up", ""),
    "econ.output_value.services": ("VND", "up", ""),
    "econ.household_businesses": ("count", "up", ""),
    "econ.investment": ("VND", "up", ""),
    "econ.enterprises": ("count", "up", ""),
    "econ.enterprises_new": ("count", "up", ""),
    "econ.cooperatives": ("count", "up", "NTM 13"),
    "budget.revenue": ("VND", "up", ""),
    "budget.revenue_growth": ("%", "up", ""),
    "budget.local_revenue": ("VND", "up", ""),
    "budget.expenditure": ("VND", "none", ""),
    "agri.sown_area": ("ha", "up", ""),
    "agri.rice.area": ("ha", "up", ""),
    "agri.rice.yield": ("tonne", "up", ""),
    "agri.rice.output": ("tonne", "up", ""),
    "agri.grain.output": ("tonne", "up", ""),
    "agri.grain.per_capita": ("tonne", "up", ""),
    "agri.value_per_ha": ("VND", "up", ""),
    "agri.maize.area": ("ha", "up", ""),
    "agri.maize.output": ("tonne", "up", ""),
    "agri.fishery.output": ("tonne", "up", ""),
    "agri.forest_planted": ("ha", "up", ""),
    "agri.land_consolidated": ("ha", "up", ""),
    "agri.crop_conversion": ("ha", "up", ""),
    "agri.aquaculture_area": ("ha", "up", ""),
    "agri.livestock": ("count", "up", ""),
    "agri.ocop": ("count", "up", ""),
    "ntm.communes": ("count", "up", ""),
    "ntm.communes_rate": ("%", "up", ""),
    "ntm.villages": ("count", "up", ""),
    "ntm.villages_rate": ("%", "up", ""),
    "ntm.criteria": ("count", "up", ""),
    "infra.roads_hardened_rate": ("%", "up", "NTM 2"),
    "infra.roads_built": ("km", "up", ""),
    "infra.urbanisation_rate": ("%", "up", ""),
    "social.poverty_rate": ("%", "down", "NTM 11"),
    "social.poverty_reduction": ("%", "up", ""),
    "social.poor_households": ("count", "down", ""),
    "social.near_poor_rate": ("%", "down", ""),
    "social.near_poor_households": ("count", "down", ""),
    "social.houses_built": ("count", "up", ""),
    "labour.trained_rate": ("%", "up", "NTM 14.3"),
    "labour.jobs_created": ("count", "up", ""),
    "labour.agri_share": ("%", "down", "NTM 12"),
    "pop.population": ("count", "none", ""),
    "pop.households": ("count", "none", ""),
    "pop.third_child_rate": ("%", "down", ""),
    "pop.growth_rate": ("%", "down", ""),
    "health.insurance_rate": ("%", "up", "NTM 15.1"),
    "health.malnutrition_rate": ("%", "down", ""),
    "health.standard_communes": ("count", "up", "NTM 15"),
    "edu.schools_standard": ("count", "up", "NTM 5"),
    "edu.schools_standard_rate": ("%", "up", "NTM 5"),
    "edu.enrolment_rate": ("%", "up", "NTM 14"),
    "edu.dropout_rate": ("%", "down", ""),
    "culture.families_rate": ("%", "up", "NTM 16"),
    "culture.villages_rate": ("%", "up", "NTM 16"),
    "env.clean_water_rate": ("%", "up", "NTM 17.1"),
    "env.waste_collection_rate": ("%", "up", "NTM 17"),
    "env.forest_cover": ("%", "up", ""),
    "land.natural_area": ("ha", "none", ""),
    "party.members": ("count", "up", ""),
    "party.new_members": ("count", "up", ""),
    "party.units_good_rate": ("%", "up", ""),
    "party.members_good_rate": ("%", "up", ""),
    "party.targets_met": ("count", "up", ""),
    "gov.admin_on_time_rate": ("%", "up", "NTM 18"),
    "security.conscription_rate": ("%", "up", "NTM 19"),
}


def _codes():
    return rules.load("codes")["codes"]


def test_every_released_code_is_declared_unchanged():
    declared = {c["name"]: (c["unit"], c["direction"], c["ref"]) for c in _codes()}
    missing = sorted(set(RELEASED) - set(declared))
    assert not missing, f"released codes missing from rules/codes.yaml: {missing}"
    changed = {k: (declared[k], v) for k, v in RELEASED.items() if declared[k] != v}
    assert not changed, f"released codes whose unit, direction or ref changed: {changed}"


def test_the_table_of_codes_is_consistent():
    base_units = set(rules.load("units")["base_units"])
    names = [c["name"] for c in _codes()]
    assert len(names) == len(set(names))
    for c in _codes():
        where = c["name"]
        assert NAME.match(where), where
        assert c["unit"] in base_units, where
        assert c["direction"] in DIRECTIONS, where
        assert REF.match(c["ref"]), where
        assert c["title"].strip() and c["per"], where
        assert all(p == "" or re.fullmatch(r"[^\s/]+(/[^\s/]+)?", p) for p in c["per"]), where
        assert set(c.get("change", [])) <= {"", "+", "-"}, where
        assert any("expect" in ex for ex in c["examples"]), f"{where}: no example that must map"
        assert any("not" in ex for ex in c["examples"]), f"{where}: no example that must not map"


def test_rows_carry_code_and_direction_after_the_provenance():
    i = ROW_COLUMNS.index("source_sha256")
    assert ROW_COLUMNS[i + 1: i + 3] == ["code", "direction"]
    rows = extract_text("Năm 2024, tỷ lệ hộ nghèo còn 2,4%, giảm 50 hộ nghèo; kết nạp 12 đảng viên mới.")
    got = [(r.raw, r.code, r.direction) for r in rows]
    assert got == [("2,4%", "social.poverty_rate", "down"), ("50 hộ nghèo", "social.poor_households", "down"),
                   ("12 đảng viên", "party.new_members", "up")]


def test_no_code_without_the_codes_unit_or_against_a_plan():
    assert code_of("thu nhập bình quân đầu người", "VND", "người/năm") == "econ.income_per_capita"
    assert code_of("thu nhập bình quân đầu người so với năm 2020", "times", "", "+") == ""
    assert code_of("sản lượng lúa xuân so với kế hoạch", "%") == ""
    assert code_of("sản lượng lúa xuân so với cùng kỳ năm 2023", "%") == ""
    assert code_of("sản lượng lúa vượt nghị quyết", "tonne", "", "+") == ""
    assert code_of("năng suất lúa", "tonne", "ha/năm") == ""            # per outside the code's
    assert code_of("", "%") == ""


def test_a_change_keeps_its_code_and_a_growth_rate_has_its_own():
    assert code_of("diện tích lúa so với năm 2020", "ha", "", "+") == "agri.rice.area"
    assert code_of("giá trị sản xuất công nghiệp", "%", "năm", "+") == "econ.growth.industry"
    assert code_of("giá trị sản xuất công nghiệp", "%") == ""
    assert code_of("tỷ lệ hộ nghèo", "%", "năm", "-") == "social.poverty_reduction"
    assert code_of("tỷ lệ hộ nghèo", "%", "", "+") == "social.poverty_rate"


def test_old_tone_marks_and_punctuation_are_one_spelling():
    assert normalize("Tỷ lệ  che phủ rừng (độ che phủ)") == "tỷ lệ che phủ rừng độ che phủ"
    assert normalize("đô thị hoá, thuỷ sản; toàn quý") == "đô thị hóa thủy sản toàn quý"
    assert code_of("sản lượng thuỷ sản khai thác", "tonne") == "agri.fishery.output"


def test_table_cells_are_coded_by_their_row_label(tmp_path):
    doc = Document()
    doc.add_paragraph("I. KẾT QUẢ NĂM 2024")
    t = doc.add_table(rows=4, cols=5)
    for i, row in enumerate([["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"],
                             ["1", "Năng suất lúa", "tạ/ha", "60", "61,5"],
                             ["2", "Tỷ lệ hộ nghèo", "%", "2", "1,8"],
                             ["3", "Số lượt khách tham quan", "lượt", "900", "1.200"]]):
        for j, text in enumerate(row):
            t.cell(i, j).paragraphs[0].add_run(text).bold = i == 0
    rows = extract_file(save(doc, tmp_path / "codes.docx"))
    got = [(r.raw, r.code, r.direction) for r in rows]
    assert got == [("60", "agri.rice.yield", "up"), ("61,5", "agri.rice.yield", "up"),
                   ("2", "social.poverty_rate", "down"), ("1,8", "social.poverty_rate", "down"),
                   ("900", "", ""), ("1.200", "", "")]


def _row(raw, code, gold_code=None):
    base = dict(doc_id="x", raw=raw, value=float(raw), unit="%", sentence="s", indicator="tỷ lệ hộ nghèo",
                qualifier="=", change="", kind="actual", period="2024", counted="", denominator=None,
                per="", section_path="", code=code)
    return base if gold_code is None else base | {"code": gold_code}


def test_code_precision_and_recall_over_found_figures():
    gold = [_row("1", "", "social.poverty_rate"), _row("2", "", "social.poverty_rate"), _row("3", "", ""),
            _row("4", "", "pop.growth_rate"), _row("5", "", "")]
    rows = [_row("1", "social.poverty_rate"), _row("2", "social.near_poor_rate"), _row("3", "econ.growth"),
            _row("4", ""), _row("5", "")]
    s = score_document(rows, gold)
    assert (s.codes["right"], s.codes["predicted"], s.codes["gold"]) == (1, 3, 3)
    assert s.code_precision == 1 / 3 and s.code_recall == 1 / 3
    no_codes = [{k: v for k, v in g.items() if k != "code"} for g in gold]   # gold without codes: not scored
    s = score_document(rows, no_codes)
    assert s.codes["predicted"] == 0 and s.code_precision == 1.0 and s.code_recall == 1.0


def test_searched_together_searches_as_its_patterns_do():
    from pipeline.link.codes import searched_together
    plain = tuple(re.compile(p) for p in [r"^tổng\b", r"so với (năm|kỳ)", r"\bvượt\b"])
    grouped = tuple(re.compile(p) for p in [r"(a)\1", r"b"])        # a group by number: one by one
    assert searched_together(()) is None
    for patterns in (plain, grouped):
        joined = searched_together(patterns)
        for text in ["tổng thu", "thu tổng", "so với kỳ trước", "vượt kế hoạch", "vượtx", "aa", "b", "a", ""]:
            assert bool(joined.search(text)) == any(p.search(text) for p in patterns), (patterns, text)
