"""nbgrader configuration of the course (nbgrader 0.9.6).

solutions/ is the nbgrader source (with ### BEGIN SOLUTION regions and hidden tests), and
assignments/ is the student release that `make assignments` generates from it.  Run nbgrader
from the repository root with the venv's bin directory on PATH (nbgrader shells out to
alembic); `make assignments` and `make grade` do that for you.  The course's own preprocessors
and the time limits come from the instructor's package `grader/` beside this file.
"""

import importlib.util
import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)

HERE = os.path.dirname(os.path.abspath(__file__))
if importlib.util.find_spec("grader") is None:  # not installed, and started from elsewhere
    sys.path.append(HERE)

from grader.feedback import TEMPLATE_DIR as FEEDBACK_TEMPLATE_DIR  # noqa: E402
from grader.feedback import TEMPLATE_NAME as FEEDBACK_TEMPLATE  # noqa: E402
from grader.feedback import FeedbackExporter, FeedbackGrades  # noqa: E402
from grader.limits import timeout_for_command  # noqa: E402
from grader.nbgrader_ext import (  # noqa: E402
    IntegrityScan,
    LimitOutputSize,
    RestoreCells,
    SanitizeFeedback,
)
from grader.trusted import TrustedExecute  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# Seconds a single cell may run during autograding, per assignment (grader/limits.py, which
# `python -m grader grade` reads too).  A cell that runs longer is interrupted (infinite loops);
# a kernel that ignores the interrupt is killed and the submission reported as such.
c.Execute.timeout = timeout_for_command(sys.argv)
c.Execute.interrupt_on_timeout = True

# A student who deletes a test cell gets it back, and edited locked cells are restored.
c.OverwriteCells.add_missing_cells = True  # RestoreCells: answer cells too
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreCells, CheckCellMetadata,
    IntegrityScan,
]
# Each student's kernel runs in its own bubblewrap sandbox (grader/sandbox.py): no network, no
# view of solutions/, the gradebook or other students, limits on memory and processes.
# Without bubblewrap, autograde refuses to run (python -m grader grade --unsafe-no-sandbox
# grades unprotected).  Test cells never run in the student's kernel: the grader runs their
# checks in its own process and writes their results (grader/trusted.py).
c.Autograde.autograde_preprocessors = [
    TrustedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, LimitOutputSize,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
c.LimitOutput.max_lines = 400
c.LimitOutput.max_traceback = 60

# Feedback shows results and hints, never hidden test code or expected values.  It is made
# for reading offline (grader/feedback.py, grader/templates/dlcore_feedback): formulas are
# converted to MathML when the page is made (no MathJax, nothing loaded from the network),
# outputs wrap at the page's edge, and a written answer not graded yet shows as pending (its
# points are left out of the score so far) instead of as 0.
c.GenerateFeedback.preprocessors = [FeedbackGrades, SanitizeFeedback, CSSHTMLHeaderPreprocessor]
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.template_name = FEEDBACK_TEMPLATE
c.FeedbackExporter.extra_template_basedirs = [str(FEEDBACK_TEMPLATE_DIR)]

# For a class on JupyterHub, nbgrader's exchange moves files between instructors and
# students; see "Teaching with JupyterHub" in README.md.  Uncomment and adapt:
# c.Exchange.root = "/srv/nbgrader/exchange"
# c.Exchange.path_includes_course = True
