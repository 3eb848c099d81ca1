"""Self-checks for the notebook exercises: ``dl.check("04.2", answer)`` and ``dl.solution("04.2")``.

Each lecture registers its exercises in ``selfcheck/lecNN.py`` with the ``exercise`` decorator.
A checker receives the learner's answer (a number, an array, a function...) and returns None
when it is right, or a hint when it is not: a hint names the likely mistake (a missing 1/2, a
flipped sign, ``np.sign(0) = 0``) and never reveals the expected value.  ``check`` prints the
verdict and returns a ``CheckResult`` (true when the answer is right); it never raises on a
wrong or unfinished answer, so "run all" works on a fresh notebook.  ``solution`` shows the
worked solution for self-study (rendered Markdown in a notebook, plain text in a terminal);
``hint`` gives the next hint of an exercise's ladder, the solution last.  ``progress`` shows
which exercises are solved, kept across kernel restarts in the learner's own data folder.
"""

from ._functions import Case, Gradients, implement
from ._progress import progress, progress_path
from ._registry import (
    CheckResult,
    Exercise,
    UnknownExerciseError,
    check,
    exercise,
    exercises,
    hint,
    solution,
)

__all__ = ["CheckResult", "Exercise", "UnknownExerciseError", "check", "exercise", "exercises",
           "solution", "hint", "progress", "progress_path", "Case", "Gradients", "implement"]
