"""Every assignment through real nbgrader autograde in a temporary course (sqlite gradebook):
the solution gets full automatic marks, the untouched release gets 0, and each catalogued wrong
answer gets its expected partial score with its hint in the feedback."""

from __future__ import annotations

import pytest

from tests.grading_harness import (
    case_modules,
    feedback_text,
    grade,
    leaked_secrets,
    points,
    release_nb,
    secret_lines,
    solution_nb,
    variant,
    write_submission,
)

CASES = case_modules()
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("aid", sorted(CASES))
def test_assignment_grades_as_expected(aid, tmp_path, monkeypatch):
    cases = CASES[aid]
    secrets = tmp_path / "hidden-expected-values.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    sol = solution_nb(aid)
    pts = points(sol)
    total = sum(pts.values())
    subs = tmp_path / "submissions"
    write_submission(subs, "solution", aid, sol)
    write_submission(subs, "untouched", aid, release_nb(aid))
    assert len(cases.VARIANTS) >= 3, "at least three catalogued wrong variants per assignment"
    for name, (replace, _, _) in cases.VARIANTS.items():
        write_submission(subs, name, aid, variant(sol, replace=replace))
    results, course = grade(aid, subs, tmp_path / "course")

    good = results["solution"]
    assert good.status == "graded" and not good.failures, good
    assert good.score == pytest.approx(total)
    blank = results["untouched"]
    assert blank.status == "graded" and blank.score == 0, blank
    for name, (_, failing, hints) in cases.VARIANTS.items():
        r = results[name]
        assert r.status == "graded", (name, r)
        assert sorted(c for c, _ in r.failures) == sorted(failing), (name, r.failures)
        assert r.score == pytest.approx(total - sum(pts[c] for c in failing)), (name, r)
        text = feedback_text(course.root, name, aid)
        for hint in hints:
            assert hint in text, f"{name}: hint {hint!r} missing from the feedback"

    # Feedback never shows hidden test code, hidden expected values, or (to a student who
    # did not write it) solution code.
    hidden_lines, solution_lines = secret_lines(aid)
    assert secrets.exists() and secrets.read_text().strip(), "no hidden values were recorded"
    for student in results:
        text = feedback_text(course.root, student, aid)
        assert text, f"no feedback for {student}"
        assert not [ln for ln in hidden_lines if ln in text], student
        assert not leaked_secrets(text, secrets), (student, leaked_secrets(text, secrets)[:5])
    blank_text = feedback_text(course.root, "untouched", aid)
    assert not [ln for ln in solution_lines if ln in blank_text]
