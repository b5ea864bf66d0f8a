"""The Document that flows through the stages, and the reader registry."""
from builders import CORPUS, SEED

import pipeline
from pipeline.read import READERS, reader_for
from pipeline.read import doc as doc_reader
from pipeline.read import docx as docx_reader


def test_one_document_carries_what_every_stage_added():
    doc = pipeline.process(CORPUS / f"{SEED}.docx")
    assert doc.doc_id == SEED and len(doc.sha256) == 64
    assert doc.blocks and doc.segmentation.sections
    assert len(doc.rows) == 97 and all(r.source_sha256 == doc.sha256 for r in doc.rows)
    # every row's raw is where it says, and no excluded number overlaps a paragraph figure
    for r in doc.rows:
        assert doc.blocks[r.block].text[r.start:r.end] == r.raw
    figures = {(s.block, f.start, f.end) for s in doc.sentences for f in s.figures}
    assert len(figures) >= 80
    for s in doc.sentences:
        for x in s.excluded:
            assert not any(b == s.block and a < x.end and x.start < e for b, a, e in figures)
    reasons = {x.reason for xs in doc.excluded.values() for x in xs}
    assert "số trong đề mục" in reasons          # heading numbers are kept, with their reason


def test_the_reader_is_chosen_by_the_file_not_its_name(tmp_path):
    assert set(READERS) == {doc_reader, docx_reader}
    assert reader_for(CORPUS / "d01.docx") is docx_reader
    renamed = tmp_path / "report.doc"
    renamed.write_bytes((CORPUS / "d01.docx").read_bytes())
    assert reader_for(renamed) is docx_reader
    from builders import write_cfb
    legacy = write_cfb(tmp_path / "old.docx", "WordDocument", b"\xec\xa5" + b"\0" * 64)
    assert reader_for(legacy) is doc_reader
