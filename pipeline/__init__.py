"""chiso: the figures of Vietnamese government reports (.docx) as an indicator table.

    >>> import pipeline
    >>> df = pipeline.extract("corpus/binh-thanh-dong-2020-2025.docx")     # one report
    >>> doc = pipeline.process("corpus/d01.docx")        # the Document: blocks, sections, rows …
    >>> pipeline.extract_many(["corpus"], "outputs")     # a batch → outputs/indicators.csv

A file that cannot be read raises pipeline.ChisoError (str(): one line naming the file and
the reason); a broken rule file raises pipeline.RuleError; an output that cannot be written
raises pipeline.OutputError (a ChisoError).
"""
from __future__ import annotations

from pipeline.errors import ChisoError, OutputError, RuleError


def extract(path):
    """The indicator table of one .docx as a pandas DataFrame (contract columns first).

    Raises pipeline.errors.ChisoError with a one-line reason when the file cannot be read."""
    from pipeline.stages import extract_file
    from pipeline.write.frame import to_frame
    return to_frame(extract_file(path))


def process(path):
    """The Document of one report with what every stage found (see pipeline.model)."""
    from pipeline.stages import process as run
    return run(path)


def extract_many(paths, outdir, **options):
    """Every report under paths into OUTDIR/indicators.csv; see pipeline.batch.extract_many."""
    from pipeline.batch import extract_many as run
    return run(paths, outdir, **options)


__all__ = ["ChisoError", "OutputError", "RuleError", "extract", "extract_many", "process"]
