"""chiso: the figures of Vietnamese government reports (.docx) as an indicator table.

    >>> import pipeline
    >>> df = pipeline.extract("corpus/binh-thanh-dong-2020-2025.docx")
"""
from __future__ import annotations


def extract(path):
    """The indicator table of one .docx as a pandas DataFrame (contract columns first).

    Raises pipeline.errors.ChisoError with a one-line reason when the file cannot be read."""
    from pipeline.process import extract_file
    from pipeline.write.frame import to_frame
    return to_frame(extract_file(path))


__all__ = ["extract"]
