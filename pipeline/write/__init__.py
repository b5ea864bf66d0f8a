"""Writing: the DataFrame of the Python API (frame.py), the streamed table files of a batch
(stream.py), and atomic whole-file writes (files.py)."""
