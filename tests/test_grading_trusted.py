"""Blank notebooks that try to get marks they did not earn, graded in one batch (A4).

Each attacker is the handed-out notebook of A4, nothing answered, plus a cell that fools a
grader whose checks run in the student's kernel: ``check`` redefined, an IPython hook that
hides errors, an input transformer that empties test cells, the exercise table or the checker
class patched, a custom exception handler, forged answers to the grader's requests, the
instructor's secret looked for.  The test cells never run in the kernel (grader.trusted), so
each scores what it deserves: 0 of the autograded points.  An honest solution before and
after them gets every point.
"""

from __future__ import annotations

import pytest

from tests.grading_harness import (
    grade,
    points,
    release_nb,
    solution_nb,
    variant,
    write_submission,
)

AID = "a04_cnn"
pytestmark = pytest.mark.slow

ATTACKS = {
    "redefines_check": "def check(*args, **kwargs):\n    print('passed')",
    "post_run_cell_hook": (
        "ip = get_ipython()\n"
        "def hide(result):\n    result.error_in_exec = None\n"
        "ip.events.register('post_run_cell', hide)"),
    "input_transformer": (
        "def empty(lines):\n"
        "    return ['pass\\n'] if any('check(' in line for line in lines) else lines\n"
        "get_ipython().input_transformers_post.append(empty)"),
    "patches_exercise_table": (
        "for ex in grading.ASSIGNMENT.exercises.values():\n"
        "    ex.parts = {k: (lambda *a, **k: None) for k in ex.parts}"),
    "patches_checker_class": "type(check).__call__ = lambda self, *a, **k: None",
    "custom_exception_handler": (
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
    "forges_replies": (
        "import json\n"
        "def forge(lines):\n"
        "    code = ''.join(lines)\n"
        "    if '_dlcore_request' in code:\n"
        "        return ['_dlcore_reply = ' + repr(json.dumps({'ok': {'kind': 'object', "
        "'value': 7, 'callable': False, 'type': 'int'}})) + '\\n']\n"
        "    return lines\n"
        "get_ipython().input_transformers_post.append(forge)"),
    "looks_for_the_secret": (
        "import os, glob\n"
        "print([k for k in os.environ if 'SECRET' in k], "
        "glob.glob(os.path.expanduser('~/.config/dlcore/*')))"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trusted")
    blank = release_nb(AID)
    subs = tmp / "submissions"
    write_submission(subs, "aa_honest_before", AID, solution_nb(AID))
    for name, src in ATTACKS.items():
        # the attack runs first, right after the notebook's set-up cells
        write_submission(subs, name, AID, variant(blank, insert_after={"numbers": src}))
    write_submission(subs, "zz_honest_after", AID, solution_nb(AID))
    results, course = grade(AID, subs, tmp / "course")
    return results, course, points(solution_nb(AID))


def test_honest_students_get_every_autograded_point(graded):
    results, _, pts = graded
    for name in ("aa_honest_before", "zz_honest_after"):
        assert results[name].status == "graded" and results[name].score == sum(pts.values())


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_blank_notebook_scores_nothing_whatever_it_does_in_its_kernel(graded, name):
    r = graded[0][name]
    assert r.score == 0, (name, r)
    failed = {cell for cell, _ in r.failures}
    assert set(graded[2]) <= failed, (name, set(graded[2]) - failed)


def test_the_hints_are_the_graders_own(graded):
    """What the student's kernel printed in a test cell is not what the grader wrote there."""
    r = graded[0]["redefines_check"]
    hints = dict(r.failures)
    assert "conv2d_forward is not implemented yet" in hints["ex2_test_values"]


def test_the_kernel_never_sees_the_instructors_secret(graded):
    import nbformat

    _, course, _ = graded
    nb = nbformat.read(course.root / "autograded" / "looks_for_the_secret" / AID /
                       f"{AID}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "[] []" in printed, printed


@pytest.mark.parametrize("assignment", ["a01_neurons_perceptron", "a05_rnn_lstm"])
def test_each_notebook_gets_its_assignments_time_limit_whoever_starts_grading(
        monkeypatch, assignment):
    """The formgrader's Autograde button runs nbgrader in a server whose command line names no
    assignment, so the configured limit is the default; the notebook's own assignment decides."""
    from grader.limits import TIMEOUTS
    from grader.trusted import TrustedExecute

    seen = []
    base = TrustedExecute.__mro__[1]
    monkeypatch.setattr(base, "preprocess",
                        lambda self, nb, resources=None, km=None: seen.append(self.timeout))
    ex = TrustedExecute(timeout=7)
    ex.preprocess({}, {"nbgrader": {"assignment": assignment, "student": "s"}})
    ex.preprocess({}, {"nbgrader": {"assignment": "not_a_course_assignment", "student": "s"}})
    assert TIMEOUTS[assignment] != 7
    assert seen == [TIMEOUTS[assignment], 7]
