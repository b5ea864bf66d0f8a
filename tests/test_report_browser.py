"""The HTML report in a real headless browser (Debian's chromium driven by Playwright)."""
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


def test_one_highlight_per_row(page):
    rows = page.locator("#rows tbody tr").count()
    assert rows == 97 + 42
    assert page.locator("mark.fig").count() == rows
    assert page.locator(".other").count() > 20          # numbers that are no rows, with reasons
    assert page.locator('.other[data-reason="số hiệu văn bản"]').count() >= 1


def test_click_on_a_table_row_scrolls_to_and_marks_its_figure(page):
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
    assert 0 < narrowed < total and set(units) == {"ha"}
    page.select_option("#unit", "")
    assert page.locator("#rows tbody tr").count() == total


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
