"""For people: re-verification of a table (verify.py), the HTML report (report.py), the
annotated Word copy (annotate.py) and the displaCy view (show.py). They read the Document
that pipeline.stages.process returns; none runs a stage of its own."""
