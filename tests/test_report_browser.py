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
def page(report):
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        pg.errors = []
        pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                 else route.abort())      # self-contained: nothing may come from the network
        pg.goto(report.as_uri())
        yield pg
        browser.close()


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
