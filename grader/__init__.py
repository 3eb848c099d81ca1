"""The instructor's tools: grade a class with nbgrader, and regenerate the student versions.

Not part of the student package ``dlcore`` (whose ``dlcore.grading`` holds the checks that the
assignments' test cells call).  Run from the course directory, a checkout of the course
repository, or name it with ``--course``::

    python -m grader assignments          # assignments/ from solutions/ (make assignments)
    python -m grader grade a04_cnn        # autograde, feedback, export (make grade)
    python -m grader feedback a04_cnn     # after manual grading: feedback and grades again

- ``limits``: the per-assignment cell time limits and sandbox limits, read by
  ``nbgrader_config.py`` and ``batch``;
- ``batch``: grade a folder of submissions, robust to bad ones, and summarise the results;
- ``sandbox``: each submission's kernel in its own bubblewrap sandbox;
- ``trusted`` and ``remote``: test cells graded in the grader's process, the student's
  functions reached in the sandbox with data only;
- ``nbgrader_ext``: the nbgrader preprocessors the course adds (``nbgrader_config.py``).
"""

from .batch import Course, Result, format_summary, grade_batch, load_course, results_to_json
from .limits import DEFAULT_TIMEOUT, TIMEOUTS, timeout_for

__all__ = ["DEFAULT_TIMEOUT", "TIMEOUTS", "Course", "Result", "format_summary", "grade_batch",
           "load_course", "results_to_json", "timeout_for"]
