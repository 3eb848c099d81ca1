"""nbgrader configuration of the course (nbgrader 0.9.6).

solutions/ is the nbgrader source (with ### BEGIN SOLUTION regions and hidden tests), and
assignments/ is the student release that `make assignments` generates from it.  Run nbgrader
from the repository root with the venv's bin directory on PATH (nbgrader shells out to
alembic); `make assignments` and `make grade` do that for you.
"""

import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from dlcore.grading.nbgrader_ext import IntegrityScan, LimitOutputSize, SanitizeFeedback

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# Seconds a single cell may run during autograding, per assignment: the CNN and RNN
# assignments train small models.  A cell that runs longer is interrupted (infinite loops);
# a kernel that ignores the interrupt is killed and the submission reported as such.
TIMEOUTS = {
    "a01_neurons_perceptron": 30,
    "a02_gradient_descent_backprop": 60,
    "a03_optimizers": 30,
    "a04_cnn": 60,
    "a05_rnn_lstm": 90,
}
DEFAULT_TIMEOUT = 60
c.Execute.timeout = next((TIMEOUTS[a] for a in sys.argv if a in TIMEOUTS), DEFAULT_TIMEOUT)
c.Execute.interrupt_on_timeout = True

# A student who deletes a test cell gets it back, and edited locked cells are restored.
c.OverwriteCells.add_missing_cells = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata,
    IntegrityScan,
]
c.Autograde.autograde_preprocessors = [
    Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, LimitOutputSize,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
c.LimitOutput.max_lines = 400
c.LimitOutput.max_traceback = 60

# Feedback shows results and hints, never hidden test code or expected values.
c.GenerateFeedback.preprocessors = [GetGrades, SanitizeFeedback, CSSHTMLHeaderPreprocessor]

# For a class on JupyterHub, nbgrader's exchange moves files between instructors and
# students; see "Teaching with JupyterHub" in README.md.  Uncomment and adapt:
# c.Exchange.root = "/srv/nbgrader/exchange"
# c.Exchange.path_includes_course = True
