"""The report for 1 000 documents: an index page with every row and one page per document.

The table is generated: two corpus reports extracted once, their rows repeated under 1 000
document names (every name pointing at one of the two files). No timed asserts: the
timings, measured inside the browser with performance.now(), are printed (`pytest -s`);
what is asserted are the properties that keep the pages fast: the index holds no text, its
size is bounded by the rows, each document's page is small, a filter draws a bounded
number of table rows (100; a button draws more)."""
import csv
from pathlib import Path

import pytest

from builders import CORPUS
from pipeline.audit.report import PAGES, write_report
from pipeline.cli import main
from test_report_browser import browser, open_page      # noqa: F401  (the shared chromium)

N_DOCS = 1000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    out = tmp_path_factory.mktemp("big")
    assert main(["extract", str(CORPUS / "d04.docx"), str(CORPUS / "d07.docx"), "-o", str(out / "two"), "-q"]) == 0
    with (out / "two" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    per_doc: dict[str, list] = {}
    for r in rows:
        assert Path(r["source_path"]).is_file()          # given as absolute paths: found from anywhere
        per_doc.setdefault(r["doc_id"], []).append(r)
    groups = list(per_doc.values())
    with (out / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        for n in range(N_DOCS):
            w.writerows(r | {"doc_id": f"xa-{n:04d}"} for r in groups[n % len(groups)])
    write_report(out / "indicators.csv")
    return out


def test_one_page_per_document_and_a_bounded_index(big):
    pages = sorted((big / PAGES).glob("*.html"))
    assert len(pages) == N_DOCS
    with (big / "indicators.csv").open(encoding="utf-8") as fh:
        n_rows = sum(1 for _ in csv.DictReader(fh))
    index = (big / "report.html").read_bytes()
    sizes = [p.stat().st_size for p in pages]
    print(f"\n{N_DOCS} documents, {n_rows} rows: report.html {len(index) / 1e6:.1f} MB "
          f"({len(index) / n_rows:.0f} bytes a row); document pages {min(sizes) // 1000}-{max(sizes) // 1000} kB")
    assert b'<mark class="fig' not in index                        # no document text in the index
    assert len(index) < 400 * n_rows + 300_000              # the index grows with the rows only
    assert max(sizes) < 300_000


FILTER = """q => { const el = document.getElementById('q'); el.value = q; const t = performance.now();
  el.dispatchEvent(new Event('input')); document.getElementById('rows').offsetHeight;   // with the table's layout
  return [performance.now() - t,
  document.querySelectorAll('#rows tbody tr').length, document.getElementById('count').textContent]; }"""
NAV = "() => { const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"


def test_index_opens_filters_and_leads_to_a_document(browser, big):   # noqa: F811
    pg = open_page(browser, big / "report.html")
    pg.wait_for_function("document.getElementById('count').textContent !== ''")
    dcl, load = pg.evaluate(NAV)
    print(f"\nreport.html: DOMContentLoaded {dcl:.0f} ms, load {load:.0f} ms")
    assert pg.errors == []
    pg.wait_for_timeout(200)                                 # the search keys are built after the first paint
    for q in ("ho ngheo", "2022", "xa-0999", "dien tich", "ngân sách"):
        pg.evaluate(FILTER, "")
        times = []
        for n in range(1, len(q) + 1):                       # typed, a keystroke at a time
            ms, drawn, count = pg.evaluate(FILTER, q[:n])
            times.append(ms)
            assert drawn <= 100                              # a keystroke touches a bounded number of rows
        print(f"typing {q!r}: slowest keystroke {max(times):.1f} ms, mean {sum(times) / len(times):.1f} ms; {count}")
    ms, drawn, count = pg.evaluate(FILTER, "")
    print(f"clearing the search: {ms:.1f} ms, {drawn} rows drawn")
    assert "hiện 100 dòng đầu" in pg.locator("#count").inner_text()
    pg.fill("#q", "xa-0999")
    first = pg.locator("#rows tbody tr").first
    row = first.get_attribute("data-row")
    first.click()
    pg.wait_for_url(f"**/{PAGES}/1000.html#fig-{row}")
    pg.wait_for_selector(f"#fig-{row}.active")
    dcl, load = pg.evaluate(NAV)
    print(f"{PAGES}/1000.html: DOMContentLoaded {dcl:.0f} ms, load {load:.0f} ms")
    assert pg.errors == []
    assert "Căn cứ" in pg.locator("#detail").inner_text()
    assert pg.locator("a[href='../report.html']").count() == 1
    pg.close()


def test_a_smaller_report_removes_the_pages_of_a_larger_one(big, tmp_path):
    with (big / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, [r for r in reader if r["doc_id"] == "xa-0001"]
    with (tmp_path / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)
    (tmp_path / PAGES).mkdir()
    (tmp_path / PAGES / "0007.html").write_text("an earlier run's page")
    (tmp_path / PAGES / "notes.html").write_text("not ours")
    write_report(tmp_path / "indicators.csv")
    assert [p.name for p in (tmp_path / PAGES).iterdir()] == ["notes.html"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count('<mark class="fig') == len(rows)


@pytest.mark.parametrize("page_name", ["report.html", f"{PAGES}/0001.html"])
def test_index_and_document_pages_fit_a_phone(browser, big, page_name):   # noqa: F811
    pg = browser.new_page(viewport={"width": 390, "height": 844})
    pg.goto((big / page_name).as_uri())
    got = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert got[0] <= got[1], got
    pg.close()
