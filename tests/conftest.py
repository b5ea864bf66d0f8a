import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import settings  # noqa: E402

# Property tests run the same examples on every run (derandomize: drawn from a seed fixed
# by the test's name) and without hypothesis's per-example deadline (a clock: on a loaded
# machine an example past 200 ms would fail the run). A failure is then the same failure
# on every run, found by `pytest` alone; `--hypothesis-seed=N` explores further.
settings.register_profile("chiso", derandomize=True, deadline=None, database=None)
settings.load_profile("chiso")
