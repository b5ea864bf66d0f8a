"""The project's own error types: one line that names the file and the reason."""


class ChisoError(Exception):
    """A file chiso cannot read. str() is the one-line message users see."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class RuleError(Exception):
    """A rule file (rules/*.yaml) that is missing or malformed: a fault of the installation,
    not of any input document, so it is never caught as a ChisoError and stops a batch.
    str() names the file, the entry (when there is one) and the problem:
    "rules/units.yaml: entry 'hectare': missing key 'unit'"."""

    def __init__(self, path, where: str, problem: str):
        self.path = str(path)
        self.where = where
        self.problem = problem
        super().__init__(": ".join(p for p in (self.path, where, problem) if p))

    def __reduce__(self):  # raised in a worker process, re-raised in the parent
        return type(self), (self.path, self.where, self.problem)
