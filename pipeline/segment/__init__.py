"""Segmenting: the section tree of a report (typed numbering, heading styles, Word's
automatic numbering labels); see headings.py."""
