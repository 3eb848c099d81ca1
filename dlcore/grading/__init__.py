"""Checks and hints for the nbgrader assignments.

Assignment notebooks create their ``check`` function in a first, locked cell::

    import dlcore as dl
    from dlcore.grading import a04_cnn
    check = a04_cnn.checker(globals())

and each test cell calls one part of one exercise, ``check("conv_forward", "values")``.  A
failed check raises ``GradingError`` whose message is a targeted hint (the count without
biases, a flipped kernel, a GRU with Cho's convention...), never a hidden expected value.
See ``_core`` for the machinery and ``_integrity`` for monkeypatch and delegation detection.
Assignment modules (``a01_*`` ... ``a05_*``) are imported on demand.  The tools that grade a
class (batch autograding, nbgrader's preprocessors) are the instructor's, in the course
repository's ``grader`` package, not part of ``dlcore``.
"""

from ._core import Assignment, Exercise, GradingError, matching_mistake
from ._integrity import IntegrityError

__all__ = ["Assignment", "Exercise", "GradingError", "IntegrityError", "matching_mistake"]
