"""The project's own error type: one line that names the file and the reason."""


class ChisoError(Exception):
    """A file chiso cannot read. str() is the one-line message users see."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
