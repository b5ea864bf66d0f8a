"""Linking: each figure with its sentence and document — qualifier, change, per, kind,
period (cues.py), the section context (context.py) and the indicator phrase (indicators.py)."""
