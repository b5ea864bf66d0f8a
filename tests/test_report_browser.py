"""The HTML report in a real headless browser (Debian's chromium driven by Playwright)."""
import os
import shutil
from pathlib import Path

import pytest

from builders import CORPUS
from pipeline.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["extract", str(CORPUS / "binh-thanh-dong-2020-2025.docx"), str(CORPUS / "d04.docx"),
                 "-o", str(out), "-q"]) == 0
    assert main(["report", str(out)]) == 0
    return out / "report.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    pg = browser.new_page(viewport={"width": 1400, "height": 900})
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
             else route.abort())      # self-contained: nothing may come from the network
    pg.goto(path.as_uri())
    return pg


@pytest.fixture(scope="module")
def page(browser, report):
    pg = open_page(browser, report)
    yield pg
    pg.close()


def test_loads_without_console_errors(page):
    assert page.title().startswith("chiso")
    assert page.errors == []


def show_all(page):
    """Draw every row: the table draws 100 at a time, the button the next 100."""
    while page.locator("#more").is_visible():
        page.locator("#more").click()


def test_one_highlight_per_row(page):
    assert page.locator("#rows tbody tr").count() == 100          # a hundred drawn at once
    assert page.locator("#count").inner_text() == "139 / 139 dòng (hiện 100 dòng đầu)"
    assert page.locator("#more").inner_text() == "Hiện thêm 39 dòng"
    show_all(page)
    rows = page.locator("#rows tbody tr").count()
    assert rows == 97 + 42 and page.locator("#count").inner_text() == "139 / 139 dòng"
    assert page.locator("mark.fig").count() == rows
    assert page.locator(".other").count() > 20          # numbers that are no rows, with reasons
    assert page.locator('.other[data-reason="số hiệu văn bản"]').count() >= 1


def test_click_on_a_table_row_scrolls_to_and_marks_its_figure(page):
    show_all(page)
    target = page.locator('#rows tbody tr[data-row="120"]')
    target.click()
    mark = page.locator("#fig-120")
    assert "active" in mark.get_attribute("class")
    assert page.locator("mark.active").count() == 1
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900          # scrolled into view
    assert page.locator("#detail").inner_text().count("\n") > 5


def test_click_on_a_figure_shows_its_row(page):
    page.locator("#fig-3").click()
    detail = page.locator("#detail").inner_text()
    assert "67" in detail and "ha" in detail


def test_filter_by_unit_narrows_the_table(page):
    total = page.locator("#rows tbody tr").count()
    page.select_option("#unit", "ha")
    narrowed = page.locator("#rows tbody tr").count()
    units = page.locator("#rows tbody tr td:nth-child(5)").all_inner_texts()
    assert 0 < narrowed < total and set(units) == {"héc-ta"}
    assert page.locator("#count").inner_text() == f"{narrowed} / 139 dòng"
    page.select_option("#unit", "")
    assert page.locator("#rows tbody tr").count() == 100          # a new filter draws the first hundred again


# --- a compiled folder: the target/result table, a colour per status ------------------------

def _with_codes(out: Path) -> None:
    """Give the fixture's first two % rows one code, as a target and its result (2025), and
    no other row a code: the page then has one known compiled row."""
    import csv
    with (out / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    for r in rows:
        r.update(code="", direction="")
    pct = [r for r in rows if r["unit"] == "%" and r["change"] == ""][:2]
    for r, kind in zip(pct, ("target", "actual")):
        r.update(code="demo.rate", direction="up", kind=kind, period="2025", qualifier="=")
    with (out / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def compiled_page(browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("compiled")
    assert main(["extract", str(CORPUS / "d04.docx"), "-o", str(out), "-q"]) == 0
    _with_codes(out)
    assert main(["compile", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    pg = open_page(browser, out / "report.html")
    yield pg
    pg.close()


def test_compiled_table_renders_with_status_colours(compiled_page):
    pg = compiled_page
    assert pg.errors == []
    rows = pg.locator("#compiled-table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[1] == "demo.rate" and cells[3] == "2025" and cells[8] in ("đạt", "vượt", "không đạt")
    colour = rows.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour in ("rgb(198, 239, 206)", "rgb(155, 216, 168)", "rgb(255, 199, 206)")
    rows.first.click()
    assert pg.locator("mark.active").count() == 1


def test_code_filter_narrows_the_row_table(compiled_page):
    pg = compiled_page
    total = pg.locator("#rows tbody tr").count()
    pg.select_option("#code", "demo.rate")
    assert pg.locator("#rows tbody tr td:nth-child(9)").all_inner_texts() == ["demo.rate", "demo.rate"]
    pg.select_option("#code", "-")
    assert pg.locator("#rows tbody tr").count() == total - 2
    pg.select_option("#code", "")
    assert pg.locator("#rows tbody tr").count() == total


# --- hostile text: no sentence may change the page's structure ----------------------------

HOSTILE = ["Thu ngân sách đạt 100 tỷ đồng <!--<script> ghi chú.",
           "Diện tích lúa đạt 200 ha </script><script>window.pwned=1</script> xong.",
           "Sản lượng lương thực đạt 300 tấn ]]> và\u2028dòng mới \u2029 tiếp.",
           'Có 40 hộ "nghèo" và \'cận nghèo\' & <b>đậm</b> {x} ${y} `z`.',
           "Tỷ lệ hộ nghèo giảm còn 2,5% <img src=x onerror=window.pwned=2>."]


@pytest.fixture(scope="module")
def hostile_page(browser, tmp_path_factory):
    import docx
    tmp = tmp_path_factory.mktemp("hostile")
    d = docx.Document()
    d.add_paragraph("BÁO CÁO KẾT QUẢ NĂM 2024")
    for text in HOSTILE:
        d.add_paragraph(text)
    d.save(str(tmp / "hostile.docx"))
    assert main(["extract", str(tmp / "hostile.docx"), "-o", str(tmp / "out"), "-q"]) == 0
    assert main(["report", str(tmp / "out")]) == 0
    pg = open_page(browser, tmp / "out" / "report.html")
    yield pg
    pg.close()


def test_hostile_sentences_leave_the_page_whole(hostile_page):
    pg = hostile_page
    assert pg.errors == []
    assert pg.evaluate("window.pwned") is None                 # nothing ran
    assert pg.locator("#rows tbody tr").count() == 5           # every row reached the table
    assert pg.locator("#count").inner_text().startswith("5 / 5")
    assert pg.locator("mark.fig").count() == 5
    assert pg.locator("#text img, #text script, #text b").count() == 0
    text = pg.evaluate("() => { const t = document.getElementById('text').cloneNode(true);"
                       " t.querySelectorAll('.why').forEach(w => w.remove()); return t.textContent; }")
    for piece in ("<!--<script>", "</script><script>window.pwned=1</script>", "]]>", '"nghèo"', "'cận nghèo'",
                  "<b>đậm</b>", "<img src=x onerror=window.pwned=2>"):
        assert piece in text
    pg.fill("#q", "ngan sach")                                  # filters still work
    assert pg.locator("#rows tbody tr").count() == 1
    pg.fill("#q", "")
    pg.locator("#rows tbody tr").nth(3).click()
    assert "nghèo" in pg.locator("#detail").inner_text()


def test_json_blocks_hold_no_raw_angle_bracket(hostile_page):
    blocks = hostile_page.evaluate("[...document.querySelectorAll('script[type=\"application/json\"]')]"
                                   ".map(s => s.textContent)")
    assert len(blocks) == 2 and all("<" not in b for b in blocks)


def test_json_block_escapes_every_angle_bracket():
    import json
    from pipeline.audit.report import json_block
    data = {"s": "</script><!--<script> ]]> \u2028 \u2029 \"'&"}
    block = json_block("x", data)
    inner = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in inner and json.loads(inner) == data


# --- layout: from a phone to a wide screen -------------------------------------------------

LAYOUT = """() => {
  const de = document.documentElement, vw = de.clientWidth, box = e => e.getBoundingClientRect();
  const panel = document.getElementById("rows-panel"), text = box(document.getElementById("text"));
  const side = box(document.getElementById("side"));
  const cells = [...document.querySelectorAll("#rows tbody tr:first-child td")];
  const heads = cells.filter(c => getComputedStyle(c).display !== "none").map(box);
  const size = s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
  const hs = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map(h => parseFloat(getComputedStyle(h).fontSize));
  return {scroll: de.scrollWidth, client: vw, panelScroll: panel.scrollWidth, panelClient: panel.clientWidth,
          heads: heads.map(b => [b.left, b.right, b.width]), text: [text.left, text.right, text.bottom],
          side: [side.left, side.top], body: size("#text p"), smallestHeading: Math.min(...hs)};
}"""


@pytest.mark.parametrize("width,height", [(1400, 1000), (390, 844), (360, 740)])
def test_layout_has_no_horizontal_overflow_and_every_column_shows(browser, report, width, height):
    pg = browser.new_page(viewport={"width": width, "height": height})
    pg.goto(report.as_uri())
    got = pg.evaluate(LAYOUT)
    assert got["scroll"] <= got["client"], got                 # the page never scrolls sideways
    assert got["panelScroll"] <= got["panelClient"], got       # the row table fits its panel
    assert len(got["heads"]) == 9
    for left, right, w in got["heads"]:                         # every column on screen, none clipped
        assert left >= 0 and right <= got["client"] + 0.5, got
    if width < 900:                                             # the panel below the text
        assert got["side"][1] >= got["text"][2] - 1, got
    else:                                                       # the panel beside the text
        assert got["side"][0] >= got["text"][1] - 1, got
    assert got["smallestHeading"] >= got["body"] >= 15, got    # headings never smaller than the text
    if os.environ.get("CHISO_SCREENSHOTS") and width in (1400, 390):
        name = "report-desktop.png" if width > 900 else "report-phone.png"
        pg.locator("#fig-3").click()
        pg.screenshot(path=str(Path(__file__).resolve().parent.parent / "docs" / name))
    pg.close()


# --- reading the table: Vietnamese numbers and names, search without diacritics, keyboard --

def test_values_units_and_kinds_read_in_vietnamese(page):
    page.fill("#q", "")
    page.select_option("#unit", "")
    values = page.locator("#rows tbody tr td:nth-child(4)").all_inner_texts()
    assert "448,3" in values and not [v for v in values if "." in v and "," not in v and len(v.split(".")[-1]) != 3]
    assert any("." in v for v in values)                         # thousands grouped: 11.665
    units = set(page.locator("#rows tbody tr td:nth-child(5)").all_inner_texts())
    assert "héc-ta" in units and "tonne" not in units and "count" not in units and "thành viên" in units
    kinds = set(page.locator("#rows tbody tr td:nth-child(7)").all_inner_texts())
    assert kinds <= {"thực hiện", "mục tiêu"} and kinds


def test_search_ignores_diacritics_and_covers_period_code_and_section(page):
    page.fill("#q", "hộ nghèo")
    marked = page.locator("#rows tbody tr").count()
    page.fill("#q", "ho ngheo")
    assert marked > 0 and page.locator("#rows tbody tr").count() == marked
    page.fill("#q", "2025")
    periods = page.locator("#rows tbody tr td:nth-child(8)").all_inner_texts()
    assert periods and sum("2025" in p for p in periods) > 0
    page.fill("#q", "DANG")                                     # a section's word, any case, no marks
    assert page.locator("#rows tbody tr").count() > 0
    page.fill("#q", "")


def test_enter_on_a_focused_figure_opens_its_row(page):
    page.locator("#fig-5").focus()
    page.keyboard.press("Enter")
    assert "active" in page.locator("#fig-5").get_attribute("class")
    assert "Căn cứ" in page.locator("#detail").inner_text()
    page.locator('#rows tbody tr[data-row="7"]').focus()
    page.keyboard.press("Enter")
    assert "active" in page.locator("#fig-7").get_attribute("class")


def test_detail_shows_the_basis_and_the_contract_values(page):
    page.locator("#fig-3").click()
    detail = page.locator("#detail").inner_text()
    assert "Căn cứ" in detail and ("kỳ:" in detail or "loại:" in detail)
    assert "(actual)" in detail or "(target)" in detail        # the CSV's value beside its name
    assert "trên (>)" in detail                                 # 67 hecta: "trên 67 hecta"


def test_on_a_phone_the_detail_opens_over_the_text_and_closes(browser, report):
    pg = browser.new_page(viewport={"width": 390, "height": 844})
    pg.goto(report.as_uri())
    pg.locator("#fig-3").click()
    detail = pg.locator("#detail")
    assert "open" in detail.get_attribute("class")
    assert detail.evaluate("e => getComputedStyle(e).position") == "fixed"
    box = detail.bounding_box()
    assert box["y"] + box["height"] <= 844 + 0.5 and box["width"] <= 390
    pg.keyboard.press("Escape")
    assert "open" not in detail.get_attribute("class")
    pg.close()


def test_the_detail_never_scrolls_sideways(browser, report):
    for width, height in ((390, 844), (1400, 1000)):
        pg = browser.new_page(viewport={"width": width, "height": height})
        pg.goto(report.as_uri())
        pg.locator("#fig-3").click()
        wide = pg.evaluate("() => { const d = document.getElementById('detail'); return [d.scrollWidth, d.clientWidth]; }")
        assert wide[0] <= wide[1], (width, wide)
        pg.close()


def test_the_compiled_table_scrolls_inside_its_panel_on_a_phone(compiled_page):
    pg = compiled_page
    pg.set_viewport_size({"width": 390, "height": 844})
    got = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    pg.set_viewport_size({"width": 1400, "height": 900})
    assert got[0] <= got[1], got
