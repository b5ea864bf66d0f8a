"""Tables: one row per numeric cell, named by its row label and read with its column
header (kind, period, unit, comparison); see cells.py."""
