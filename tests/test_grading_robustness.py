"""A batch of malformed submissions: each is graded or reported with a reason, the others in
the same batch are graded correctly, and the gradebook stays intact (real nbgrader, sqlite)."""

from __future__ import annotations

import io
import json

import pytest

from tests.grading_harness import (
    cell,
    feedback_text,
    grade,
    points,
    solution_nb,
    variant,
    write_submission,
)

AID = "a01_neurons_perceptron"
pytestmark = pytest.mark.slow

WRONG_STEP = ("def perceptron_step(w, x, y):\n    w = np.asarray(w, dtype=float)\n"
              "    return w + y * np.asarray(x, dtype=float)\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robust")
    sol = solution_nb(AID)
    subs = tmp / "submissions"
    step_src = cell(sol, "ex2_code").source
    corpus = {
        "good_before": variant(sol),
        "infinite_loop": variant(sol, insert_after={"ex4_test": "while True:\n    pass"}),
        "ignores_sigint": variant(sol, insert_after={"ex4_test": (
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
            "    pass")}),
        "os_exit": variant(sol, insert_after={"ex4_test": "import os\nos._exit(1)"}),
        "sys_exit": variant(sol, append=["import sys\nsys.exit(3)"]),
        "deleted_test_cell": variant(sol, replace={"ex2_code": WRONG_STEP},
                                     delete=["ex2_test"]),
        "deleted_answer_and_test": variant(sol, delete=["ex2_code", "ex2_test"]),
        "edited_test_cell": variant(sol, replace={"ex2_code": WRONG_STEP, "ex2_test": "pass"}),
        "monkeypatch": variant(sol, replace={"ex2_code": WRONG_STEP + (
            "\nnp.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True")}),
        "huge_output": variant(sol, append=["print('x' * 5_000_000)"]),
        "delegates": variant(sol, replace={"ex2_code": (
            "def perceptron_step(w, x, y):\n    return dl.neurons.perceptron_step(w, x, y)")}),
        "renamed_function": variant(sol, replace={
            "ex2_code": step_src.replace("def perceptron_step", "def perceptron_stp")}),
        "good_after": variant(sol),
    }
    for name, nb in corpus.items():
        write_submission(subs, name, AID, nb)
    write_submission(subs, "invalid_json", AID, raw='{"cells": [ this is not json')
    (subs / "missing_notebook" / AID).mkdir(parents=True)
    (subs / "missing_notebook" / AID / "notes.txt").write_text("forgot the notebook")
    results, course = grade(AID, subs, tmp / "course", timeout=5)
    return results, course, points(sol)


def _full(pts):
    return sum(pts.values())


def test_good_submissions_around_the_bad_ones_get_full_marks(graded):
    results, _, pts = graded
    for name in ("good_before", "good_after", "sys_exit"):
        assert results[name].status == "graded" and results[name].score == _full(pts), \
            results[name]


def test_infinite_loop_is_interrupted_and_the_rest_graded(graded):
    r = graded[0]["infinite_loop"]
    assert r.status == "graded" and r.score == _full(graded[2])
    assert any("timed out" in reason for reason in r.reasons), r.reasons


@pytest.mark.parametrize("name, reason", [
    ("ignores_sigint", "stopped responding to the interrupt"),
    ("os_exit", "kernel died"),
    ("invalid_json", "not a valid notebook"),
    ("missing_notebook", "missing notebook"),
])
def test_fatal_submissions_are_reported_with_a_reason(graded, name, reason):
    r = graded[0][name]
    assert r.status == "error", r
    assert any(reason in text for text in r.reasons), r.reasons


def test_deleted_and_edited_test_cells_are_restored(graded):
    results, _, pts = graded
    for name in ("deleted_test_cell", "edited_test_cell"):
        r = results[name]
        assert r.status == "graded"
        failed = {c for c, _ in r.failures}
        assert "ex2_test" in failed, r.failures
        assert r.score <= _full(pts) - pts["ex2_test"]


def test_a_deleted_answer_cell_and_its_test_come_back_and_the_rest_is_graded(graded):
    """nbgrader alone fails on the whole notebook (KeyError) and the student scores 0."""
    results, course, pts = graded
    r = results["deleted_answer_and_test"]
    assert r.status == "graded", r
    failed = {c for c, _ in r.failures}
    assert "ex2_test" in failed and "ex1_test_values" not in failed
    # train_perceptron calls perceptron_step, which is back as handed out (not implemented)
    assert r.score == _full(pts) - pts["ex2_test"] - pts["ex3_test_separable"] - \
        pts["ex3_test_xor"]
    nb = json.loads((course.root / "autograded" / "deleted_answer_and_test" / AID /
                     f"{AID}.ipynb").read_text())
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in nb["cells"]]
    assert ids.index("ex2_code") + 1 == ids.index("ex2_test")


def test_nbgraders_own_failures_are_reported_with_their_cause():
    from grader.batch import _classify_failure

    log = ("[ERROR] Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
           "    KeyError: 'ex2_code'\n[ERROR] Please see the the above traceback for details "
           "on the specific errors on the above failures.\n")
    assert _classify_failure(log) == "nbgrader could not grade it: KeyError: 'ex2_code'"
    missing = "Traceback ...\nnbgrader.api.MissingEntry: No such grade cell ex9\n"
    assert "the gradebook has no record" in _classify_failure(missing)
    assert "ex9" in _classify_failure(missing)


def test_monkeypatch_is_flagged_and_changes_nothing(graded):
    """np.allclose replaced in the kernel: the report flags it, and the checks, which run in
    the grader's own process, see through it (the wrong step fails as it would anyway)."""
    r = graded[0]["monkeypatch"]
    assert any("integrity" in reason and "np.allclose" in reason for reason in r.reasons)
    failed = dict(r.failures)
    assert "ex2_test" in failed and "replaced np.allclose" not in failed["ex2_test"]


def test_huge_output_is_truncated(graded):
    results, course, pts = graded
    r = results["huge_output"]
    assert r.status == "graded" and r.score == _full(pts)
    notebook = course.root / "autograded" / "huge_output" / AID / f"{AID}.ipynb"
    assert notebook.stat().st_size < 1_000_000
    assert len(feedback_text(course.root, "huge_output", AID)) < 1_000_000


def test_delegating_to_the_reference_scores_zero_for_that_exercise(graded):
    results, _, pts = graded
    r = results["delegates"]
    failed = dict(r.failures)
    assert "dlcore's own perceptron_step is switched off" in failed["ex2_test"]
    # train_perceptron uses the delegating perceptron_step, so it delegates too
    assert r.score == _full(pts) - pts["ex2_test"] - pts["ex3_test_separable"] - \
        pts["ex3_test_xor"]


def test_renamed_function_gets_a_helpful_message(graded):
    failed = dict(graded[0]["renamed_function"].failures)
    assert "perceptron_stp" in failed["ex2_test"] and "rename" in failed["ex2_test"]


def test_gradebook_is_intact(graded):
    from nbgrader.api import Gradebook

    results, course, pts = graded
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        graded_ids = {s.student.id for s in gb.assignment_submissions(AID)}
        for name, r in results.items():
            if r.status == "graded":
                assert name in graded_ids
                assert gb.find_submission(AID, name).score == r.score
    csv = (course.root / "grades.csv").read_text()
    assert "good_after" in csv and "good_before" in csv
    # grades.csv agrees with the gradebook, row by row, re-read from both
    import csv as csvmod
    import hashlib

    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        book = {s.student.id: (s.score, s.max_score) for s in gb.assignment_submissions(AID)}
    rows = list(csvmod.DictReader(io.StringIO(csv)))
    assert {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in rows
            if r["assignment"] == AID} == book
    # the summary records the hash of each graded notebook as it is on disk
    good = results["good_after"]
    path = course.root / "autograded" / "good_after" / AID / f"{AID}.ipynb"
    assert good.notebooks == {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    summary = json.loads(json.dumps([r.__dict__ for r in results.values()]))
    assert len(summary) == 15


def test_autograde_time_per_submission(graded):
    """Recorded for the closing note (goal <= 2 s); not a timing assertion."""
    results = graded[0]
    times = {n: r.seconds for n, r in results.items() if r.seconds is not None}
    assert times, "no timing recorded"
