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


class OutputError(ChisoError):
    """An output chiso could not write (the -o folder is a file, read-only, the disk is
    full): the run stops with exit status 4 and leaves no temporary file behind."""

    def __init__(self, path, exc: OSError):
        super().__init__(path, f"không ghi được kết quả (could not write the output): {exc.strerror or exc}")


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT received by the command: it ends with status 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
