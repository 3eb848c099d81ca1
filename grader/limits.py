"""Time limits of autograding, per assignment: the one place they are set.

``nbgrader_config.py`` (nbgrader's own commands) and the batch grader (``python -m grader
grade``) both read them from here.  A cell that runs longer than its assignment's limit is
interrupted (an infinite loop); a kernel that ignores the interrupt is stopped and the
submission reported as such.  The CNN and RNN assignments train small models, hence their
longer limits.
"""

from __future__ import annotations

from collections.abc import Iterable

from .sandbox import GB, MB, Limits

__all__ = ["DEFAULT_TIMEOUT", "TIMEOUTS", "timeout_for", "timeout_for_command", "SANDBOX_LIMITS"]

#: What one submission's sandboxed kernel may use (``python -m grader grade --memory`` etc.
#: override them for a run): memory and processes (a cgroup where the grader may create one),
#: CPU seconds and the size of a written file (rlimits), and the size of HOME and /tmp.
SANDBOX_LIMITS = Limits(memory_bytes=2 * GB, processes=64, cpu_seconds=900,
                        file_bytes=256 * MB, tmp_bytes=256 * MB)

#: Seconds a single cell may run during autograding, per assignment id.
TIMEOUTS: dict[str, int] = {
    "a01_neurons_perceptron": 30,
    "a02_gradient_descent_backprop": 60,
    "a03_optimizers": 30,
    "a04_cnn": 60,
    "a05_rnn_lstm": 90,
}
#: The limit of an assignment that is not listed in ``TIMEOUTS``.
DEFAULT_TIMEOUT = 60


def timeout_for(assignment: str) -> int:
    """Seconds a cell of ``assignment`` may run (``DEFAULT_TIMEOUT`` when it is not listed)."""
    return TIMEOUTS.get(assignment, DEFAULT_TIMEOUT)


def timeout_for_command(argv: Iterable[str]) -> int:
    """The limit for an nbgrader command line (``nbgrader autograde a04_cnn ...``).

    nbgrader reads its configuration before it parses the assignment id from the command line,
    so ``nbgrader_config.py`` finds the id among the arguments; ``DEFAULT_TIMEOUT`` when no
    listed assignment is named.
    """
    return next((TIMEOUTS[a] for a in argv if a in TIMEOUTS), DEFAULT_TIMEOUT)
