import os

os.environ.setdefault("MPLBACKEND", "Agg")
# Hidden grading cases come from a fixed test secret, never from (or into) ~/.config/dlcore.
os.environ.setdefault("DLCORE_GRADING_SECRET", "dlcore-test-suite-grading-secret")
# The suite's dl.check calls (and the notebooks it runs) keep their progress in a scratch file,
# not in the user's data folder.
if "DLCORE_PROGRESS" not in os.environ:
    import tempfile

    os.environ["DLCORE_PROGRESS"] = os.path.join(
        tempfile.mkdtemp(prefix="dlcore-progress-"), "progress.json")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """A fresh seeded generator per test, so tests do not depend on their order."""
    return np.random.default_rng(1234)
