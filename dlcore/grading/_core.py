"""The machinery behind every assignment's test cells.

An assignment module (``dlcore/grading/aNN_*.py``) declares its exercises; each exercise has
parts (``"shape"``, ``"values"``, ``"gradients"``...) that nbgrader test cells call one by one,
so partial credit follows the parts.  A test cell reads::

    check("conv_forward", "values")                 # visible case
    ### BEGIN HIDDEN TESTS
    check("conv_forward", "values", hidden=True)    # fresh cases, expected values never shown
    ### END HIDDEN TESTS

where ``check = aNN.checker(globals())`` was created in the assignment's first, locked cell.
The checker looks names up in the notebook's namespace at call time (so a renamed or missing
function gets a clear message, not a NameError), verifies the environment (no monkeypatched
numpy, see ``_integrity``), runs the student's code under the delegation profiler, and raises
``GradingError`` whose message is a hint: which misconception the answer matches, never the
expected value.

Hidden inputs are secret.  A visible case comes from ``case_rng(seed, hidden=False)``, exactly
``np.random.default_rng(seed)``, so the student's notebook reproduces it.  A hidden case comes
from ``case_rng(seed, hidden=True)``, seeded from the SHA-256 of the instructor's grading
secret and the seed: the seeds ship in the package, the secret does not, so no student can
compute the hidden inputs in advance (and hard-code their answers).  ``grading_secret`` reads
it from ``DLCORE_GRADING_SECRET``, else from the file named by ``DLCORE_GRADING_SECRET_FILE``,
else from ``$XDG_CONFIG_HOME/dlcore/grading-secret`` (``~/.config/dlcore/grading-secret``),
which is created with a random secret (mode 0600) on first use.  Keep it outside the
repository, and share it between the graders of one class so that everyone grades with the
same hidden cases.  Losing it is harmless: a new secret only changes which hidden cases are
drawn (the expected values are always computed from the references at check time).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._integrity import IntegrityError, calls_into, verify_environment

__all__ = ["GradingError", "Exercise", "Assignment", "Context", "lookup", "call", "expect_shape",
           "expect_close", "expect_true", "expect_function", "variant_rng", "grading_student",
           "close", "record_secret", "function_part", "matching_mistake", "case_rng",
           "grading_secret", "references_of"]


class GradingError(AssertionError):
    """A failed check; the message is the hint shown to the student."""


@dataclass
class Context:
    """What a part needs besides the namespace: whose numbers, and whether this is grading."""

    assignment: str
    student_id: str | None
    grading: bool


@dataclass
class Exercise:
    """``parts`` maps a part name to ``fn(namespace, context, hidden) -> None`` (raises on fail)."""

    title: str
    parts: dict[str, Callable]
    variant: bool = False  # numbers depend on the student id


@dataclass
class Assignment:
    """An assignment's exercises, in the notebook's order.

    ``references`` are dlcore's own versions of what the exercises ask the student to write
    (``references_of``): the sandbox that grades a notebook has them switched off, so a
    student's function cannot call them.  ``trained`` names the notebook objects that are
    trained with dlcore as a whole (a model fitted with ``dlcore.nn.fit``): those are graded
    where dlcore is complete, every function where the references are switched off.
    ``sent`` are the check modules' functions the grader hands to a student's function (a
    gradient to descend, by name): they stay in that sandbox.
    """

    id: str
    exercises: dict[str, Exercise] = field(default_factory=dict)
    references: tuple = ()
    trained: frozenset = frozenset()
    sent: tuple = ()

    @classmethod
    def of_groups(cls, assignment_id: str, *groups) -> Assignment:
        """The assignment whose exercises are the ``EXERCISES`` of each group module, in the
        notebook's order."""
        assignment = cls(assignment_id)
        for group in groups:
            assignment.exercises.update(group.EXERCISES)
        return assignment

    def with_references(self, *groups, extra=(), trained=(), sent=()) -> Assignment:
        """Declare ``references`` (``references_of(*groups, extra=extra)``), ``trained`` and
        ``sent``; returns the assignment."""
        self.references = references_of(*groups, extra=extra)
        self.trained = frozenset(trained)
        self.sent = tuple(sent)
        return self

    def checker(self, namespace: dict) -> Checker:
        """The ``check`` function of the notebook; ``namespace`` is the notebook's ``globals()``."""
        return Checker(self, namespace)


def references_of(*groups, extra=()) -> tuple:
    """Every reference function the checks of ``groups`` forbid: the module-level lists named
    ``*FORBIDDEN*`` or ``_GRADIENT_TOOLS`` of each group module, plus ``extra``, in order and
    without repeats."""
    found = []
    for group in groups:
        for name, value in vars(group).items():
            if ("FORBIDDEN" in name or name == "_GRADIENT_TOOLS") and \
                    isinstance(value, (list, tuple)):
                found.extend(value)
    found.extend(extra)
    out = []
    for f in found:
        if callable(f) and all(f is not g for g in out):
            out.append(f)
    return tuple(out)


class Checker:
    def __init__(self, assignment: Assignment, namespace: dict):
        self.assignment = assignment
        self.namespace = namespace

    def __call__(self, exercise: str, part: str = "values", hidden: bool = False) -> None:
        if exercise not in self.assignment.exercises:
            raise KeyError(f"no exercise {exercise!r} in {self.assignment.id}")
        ex = self.assignment.exercises[exercise]
        if part not in ex.parts:
            raise KeyError(f"exercise {exercise!r} has no part {part!r}; parts: {list(ex.parts)}")
        verify_environment()
        ctx = self.context(ex)
        _SECRETS["active"] = hidden
        try:
            ex.parts[part](self.namespace, ctx, hidden)
        except (GradingError, IntegrityError):
            raise
        except NotImplementedError:
            raise GradingError(f"{exercise}: not implemented yet (a cell still raises "
                               f"NotImplementedError)") from None
        finally:
            _SECRETS["active"] = False
        verify_environment()
        which = "hidden cases" if hidden else "visible case"
        print(f"{exercise} / {part}: {which} passed.")

    def context(self, ex: Exercise) -> Context:
        folder_id = grading_student(self.assignment.id)
        declared = self.namespace.get("STUDENT_ID")
        declared = str(declared).strip() if declared not in (None, Ellipsis) else None
        if folder_id is not None:
            if ex.variant and not declared:
                print(f"STUDENT_ID not set in the notebook; graded with {folder_id!r}'s numbers.")
            elif ex.variant and declared != folder_id:
                print(f"STUDENT_ID MISMATCH: the notebook declares {declared!r} but the "
                      f"submission belongs to {folder_id!r}; graded with {folder_id!r}'s numbers.")
            return Context(self.assignment.id, folder_id, True)
        if ex.variant and not declared:
            raise GradingError("set STUDENT_ID (your id as on the course roster) in the cell at "
                               "the top of the notebook; your numbers depend on it")
        return Context(self.assignment.id, declared, False)


# While a hidden part runs, expected values can be logged (``DLCORE_GRADING_SECRETS=<file>``)
# so that the grading tests can prove none of them reaches the feedback.
_SECRETS = {"active": False}


def record_secret(value) -> None:
    """Append a hidden expected value to the secrets file named by ``DLCORE_GRADING_SECRETS``
    (set only by the grading tests, which prove that no such value reaches the feedback)."""
    path = os.environ.get("DLCORE_GRADING_SECRETS")
    if not (path and _SECRETS["active"]):
        return
    values = value if isinstance(value, (tuple, list)) else (value,)
    with open(path, "a") as f:
        for v in values:
            try:
                arr = np.asarray(v, dtype=float).ravel()
            except (TypeError, ValueError):
                continue
            f.write(" ".join(repr(float(x)) for x in arr[:200]) + "\n")


_GRADING_AS: list[str | None] = []  # set by grading_as: the grader checks this student


@contextlib.contextmanager
def grading_as(student_id: str | None):
    """While active, ``grading_student`` answers ``student_id``: the grader runs a
    submission's checks in its own process (``grader.trusted``), where neither the working
    directory nor the environment says whose submission it is."""
    _GRADING_AS.append(student_id)
    try:
        yield
    finally:
        _GRADING_AS.pop()


def grading_student(assignment_id: str) -> str | None:
    """The student id when running under ``nbgrader autograde`` (cwd autograded/<id>/<aid>),
    or the one ``grading_as`` names."""
    if _GRADING_AS:
        return _GRADING_AS[-1]
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return None
    parts = Path(os.getcwd()).parts
    if len(parts) >= 3 and parts[-3] == "autograded" and parts[-1] == assignment_id:
        return parts[-2]
    return None


def variant_rng(student_id: str, assignment_id: str, salt: str) -> np.random.Generator:
    """A generator seeded from the student id: the same numbers for a student, every time."""
    digest = hashlib.sha256(f"{assignment_id}/{salt}/{student_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


# -- hidden inputs are secret ------------------------------------------------------------------
# The seeds of the hidden cases ship in the package; the instructor's secret does not.
SECRET_ENV, SECRET_FILE_ENV = "DLCORE_GRADING_SECRET", "DLCORE_GRADING_SECRET_FILE"


def grading_secret_path() -> Path:
    """The file that holds the grading secret: ``DLCORE_GRADING_SECRET_FILE`` if set, else
    ``$XDG_CONFIG_HOME/dlcore/grading-secret`` (``~/.config/dlcore/grading-secret``)."""
    named = os.environ.get(SECRET_FILE_ENV)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME")
    base = Path(config) if config and os.path.isabs(config) else Path.home() / ".config"
    return base / "dlcore" / "grading-secret"


def grading_secret() -> str:
    """The instructor's grading secret, from which every hidden case is drawn (``case_rng``).

    ``DLCORE_GRADING_SECRET`` if set, else the contents of the file named by
    ``DLCORE_GRADING_SECRET_FILE`` (which must exist), else of
    ``$XDG_CONFIG_HOME/dlcore/grading-secret`` (``~/.config/dlcore/grading-secret``), which is
    created on first use with ``secrets.token_hex(32)``, mode 0600, its folders as needed.
    The secret keeps the hidden inputs out of a student's reach: keep it outside the
    repository, and give the same secret to every grader of a class (set the variable, or copy
    the file) so that everyone grades with the same hidden cases.  Losing it only changes
    which hidden cases are drawn.
    """
    value = os.environ.get(SECRET_ENV, "").strip()
    if value:
        return value
    path = grading_secret_path()
    if not path.exists():
        if os.environ.get(SECRET_FILE_ENV):
            # a named file that is missing is a typo or an unmounted share: a new secret
            # would silently grade with other hidden cases than the colleagues'
            raise FileNotFoundError(
                f"{SECRET_FILE_ENV} names {path}, which does not exist; copy the class's "
                f"secret there, set {SECRET_ENV}, or unset {SECRET_FILE_ENV} to use (or "
                f"create) ~/.config/dlcore/grading-secret")
        _create_secret(path)
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ValueError(f"the grading secret file {path} is empty")
    return value


def _create_secret(path: Path) -> None:
    """Write a new random secret to ``path`` (mode 0600); if another process wins the race,
    its secret is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".grading-secret-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic, and never replaces an existing secret
        except FileExistsError:  # another grading process created it first: keep its secret
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def case_rng(seed: int, hidden: bool) -> np.random.Generator:
    """The generator of a test case: ``np.random.default_rng(seed)`` for a visible case (the
    student's notebook draws the same numbers), and for a hidden case a generator seeded from
    the SHA-256 of the instructor's ``grading_secret()`` and ``seed``, so that the hidden inputs
    cannot be computed from the package.  The same secret gives the same hidden cases to every
    grader; another secret gives other hidden cases (their expected values come from the
    references at check time, so any secret grades correctly)."""
    if not hidden:
        return np.random.default_rng(seed)
    digest = hashlib.sha256(f"dlcore-grading/{grading_secret()}/{int(seed)}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest, "little"))


def lookup(namespace: dict, name: str, kind: str = "function"):
    """The object the notebook defines as ``name``, or a GradingError that helps find it."""
    if name in namespace and namespace[name] is not Ellipsis:
        obj = namespace[name]
        if kind == "function" and not callable(obj):
            raise GradingError(f"{name} should be a function; the notebook defines it as a "
                               f"{type(obj).__name__}")
        return obj
    if name in namespace:
        raise GradingError(f"{name} is not answered yet (it is still ...)")
    candidates = [k for k, v in namespace.items() if not k.startswith("_")
                  and (callable(v) if kind == "function" else True)]
    close = difflib.get_close_matches(name, candidates, n=2, cutoff=0.6)
    hint = (f" Did you rename it? Similar names in your notebook: {', '.join(close)}."
            if close else "")
    raise GradingError(f"the tests look for a {kind} named {name}, and the notebook does not "
                       f"define it (run the cell that defines it, and keep its name).{hint}")


def call(func, name: str, args=(), kwargs=None, forbidden=()):
    """Call the student's function; delegation to a reference or torch is a GradingError."""
    kwargs = kwargs or {}
    try:
        result, culprit = calls_into(func, args, kwargs, forbidden)
    except NotImplementedError:
        raise GradingError(f"{name} is not implemented yet (it raises NotImplementedError)") \
            from None
    except GradingError:
        raise
    except Exception as exc:  # the student's code failed: show their error, not our inputs
        raise GradingError(f"calling {name} raised {type(exc).__name__}: {exc}") from None
    if culprit is not None:
        raise IntegrityError(f"{name} calls {culprit}, the implementation it is supposed to "
                             f"replace; this exercise scores 0. Write it with numpy yourself.")
    return result


def expect_shape(actual, shape, what: str) -> np.ndarray:
    """``actual`` must be an array of exactly ``shape``."""
    arr = np.asarray(actual) if actual is not None else None
    if arr is None or arr.dtype == object:
        raise GradingError(f"{what} must be a numeric array; got {type(actual).__name__}")
    if arr.shape != tuple(shape):
        raise GradingError(f"{what} has shape {arr.shape}; expected shape {tuple(shape)}")
    return arr


def close(a, b, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """``|a - b| <= atol + rtol |b|`` everywhere, same shape, ``a`` finite; False when ``a``
    is not numeric.  Written with basic operations only (see ``_integrity``)."""
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and \
        bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def expect_close(actual, expected, what: str, wrong=(), rtol: float = 1e-6,
                 atol: float = 1e-8) -> None:
    """Compare with ``expected``; on mismatch, name the first matching misconception.

    ``wrong`` is a sequence of ``(value, hint)``: values a catalogued mistake would produce.
    The message never contains ``expected``.
    """
    try:
        arr = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        raise GradingError(f"{what} must be numeric; got {type(actual).__name__}") from None
    exp = np.asarray(expected, dtype=float)
    record_secret(exp)
    if arr.shape != exp.shape:
        raise GradingError(f"{what} has shape {arr.shape}; expected shape {exp.shape}")
    if close(arr, exp, rtol, atol):
        return
    for value, hint in wrong:
        if value is not None and close(arr, value, max(rtol, 1e-6), max(atol, 1e-8)):
            raise GradingError(f"{what}: {hint}")
    if not np.all(np.isfinite(arr)):
        raise GradingError(f"{what} contains NaN or inf")
    scale = max(float(np.max(np.abs(exp))), 1e-12) if exp.size else 1.0
    err = float(np.max(np.abs(arr - exp))) / scale if exp.size else 0.0
    raise GradingError(f"{what} does not match the expected values (largest difference is "
                       f"{err:.1%} of the largest expected magnitude)")


def expect_true(condition: bool, hint: str) -> None:
    if not condition:
        raise GradingError(hint)


def _same(a, b, rtol, atol) -> bool:
    """Equal within tolerance; a tuple ``b`` (several outputs) matches any sequence ``a``."""
    if isinstance(b, tuple):
        if not isinstance(a, (tuple, list, np.ndarray)) or len(a) != len(b):
            return False
        return all(_same(x, y, rtol, atol) for x, y in zip(a, b))
    try:
        return close(a, b, rtol, atol)
    except (TypeError, ValueError):
        return False


def expect_function(func, name: str, reference, cases, wrong=(), forbidden=(),
                    describe=None, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """The student's ``func`` must agree with ``reference`` on every case.

    ``cases`` is a list of ``(args, kwargs)``; outputs may be arrays, numbers or tuples of
    them.  On the first disagreement, each ``(wrong_function, hint)`` in ``wrong`` is tried on
    that case and the first one that reproduces the student's output gives the message.
    ``describe(args, kwargs)`` (visible cases only) names the input in the message.
    """
    cases = list(cases)
    outputs = [call(func, name, _copy(args), dict(kwargs), forbidden) for args, kwargs in cases]
    for (args, kwargs), got in zip(cases, outputs):
        want = reference(*_copy(args), **kwargs)
        record_secret(want)
        if _same(got, want, rtol, atol):
            continue
        where = f" for {describe(args, kwargs)}" if describe else " on a hidden case"
        hint = matching_mistake(wrong, (args, kwargs), got, list(zip(cases, outputs)),
                                rtol, atol)
        if hint is not None:
            raise GradingError(f"{name}{where}: {hint}")
        if not isinstance(got, (tuple, list)) and np.shape(got) != np.shape(want):
            raise GradingError(f"{name}{where} returned shape {np.shape(got)}; expected shape "
                               f"{np.shape(want)}")
        raise GradingError(f"{name}{where} does not return the expected result")


def function_part(name: str, reference, cases, wrong=(), forbidden=(), describe=None):
    """The part ``fn(namespace, context, hidden)`` that looks up the student's function ``name``
    and checks it with ``expect_function`` on ``cases(hidden)``; ``describe(args, kwargs)``
    names the input of a visible case (a hidden case's input stays hidden)."""
    def part(ns, ctx, hidden):
        expect_function(lookup(ns, name), name, reference, cases(hidden), wrong,
                        forbidden=forbidden, describe=None if hidden else describe)
    return part


def matching_mistake(wrong, case, got, pairs=(), rtol: float = 1e-6,
                     atol: float = 1e-8) -> str | None:
    """The hint of the catalogued mistake in ``wrong`` ((function, hint) pairs) that gives
    ``got`` on ``case`` ((args, kwargs)), preferring one that also reproduces every
    ((args, kwargs), output) pair in ``pairs``; None when no mistake explains it."""
    matching = [(fn, hint) for fn, hint in wrong if _explains(fn, [(case, got)], rtol, atol)]
    overall = [hint for fn, hint in matching if _explains(fn, pairs, rtol, atol)]
    return (overall or [hint for _, hint in matching] or [None])[0]


def _explains(wrong_fn, pairs, rtol, atol) -> bool:
    """True if the catalogued mistake ``wrong_fn`` reproduces every (case, output) pair."""
    for (args, kwargs), got in pairs:
        try:
            alt = wrong_fn(*_copy(args), **kwargs)
        except Exception:  # a catalogued mistake that cannot run on this case
            return False
        if not _same(got, alt, rtol, atol):
            return False
    return True


def _copy(args):
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)

