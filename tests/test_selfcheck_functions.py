""""Your turn" exercises: the learner writes a function and dl.check runs it on small cases."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from dlcore.selfcheck import Case, Gradients, implement
from dlcore.selfcheck import _registry as R

IMPLEMENTED = sorted(i for i, ex in dl.selfcheck.exercises().items()
                     if getattr(ex.checker, "reference", None) is not None)


def test_every_lecture_from_2_to_14_has_hands_on_exercises():
    """At least two "write it yourself" exercises in each of lectures 02-14, 30 or more."""
    per_lecture = {f"{n:02d}": [i for i in IMPLEMENTED if i.startswith(f"{n:02d}.")]
                   for n in range(2, 15)}
    thin = {lec: ids for lec, ids in per_lecture.items() if len(ids) < 2}
    assert not thin, thin
    assert len(IMPLEMENTED) >= 30


def test_every_exercise_has_a_hint_ladder():
    """dl.hint gives at least two hints before the worked solution, for every exercise
    from lecture 2 on (lecture 1's history questions included)."""
    short = [i for i, ex in dl.selfcheck.exercises().items() if len(ex.hints) < 2]
    assert not short, short


@pytest.mark.parametrize("exercise_id", IMPLEMENTED)
def test_the_reference_passes_and_a_blank_says_not_written(exercise_id, capsys):
    ex = dl.selfcheck.exercises()[exercise_id]
    assert dl.check(exercise_id, ex.checker.reference)

    def blank(*args, **kwargs):
        raise NotImplementedError

    result = dl.check(exercise_id, blank)
    assert not result and "is not written yet" in result.message
    assert "is not written yet: it returns None" in dl.check(exercise_id,
                                                              lambda *a, **k: None).message
    assert len(ex.hints) >= 2 and ex.solution


@pytest.mark.parametrize("exercise_id", IMPLEMENTED)
def test_each_catalogued_mistake_gets_its_own_hint(exercise_id):
    ex = dl.selfcheck.exercises()[exercise_id]
    assert len(ex.checker.mistakes) >= 2
    for wrong, hint in ex.checker.mistakes:
        result = dl.check(exercise_id, wrong, quiet=True)
        assert not result
        assert hint in result.message, (wrong.__name__, result.message)


GRADIENT_EXERCISES = [i for i in IMPLEMENTED
                      if dl.selfcheck.exercises()[i].checker.gradients is not None]


@pytest.mark.parametrize("exercise_id", GRADIENT_EXERCISES)
def test_central_differences_agree_with_the_reference_backward(exercise_id):
    """The yardstick of a backward exercise is right: on every case, central differences of
    the forward pass give the reference's gradients (float64, relative error below 1e-7)."""
    checker = dl.selfcheck.exercises()[exercise_id].checker
    for case in checker.cases:
        want = case.call(checker.reference)
        want = list(want) if len(checker.outputs) > 1 else [want]
        for got, ref in zip(checker.gradients.numerical(case), want):
            assert dl.gradcheck.rel_error(got, np.asarray(ref, float)) < 1e-7, case.label


def _fake(monkeypatch):
    """Exercise 99.5: write ``double(x) = 2 x``; the slip ``x + 2``."""
    R._load()
    implement("99.5", "double", reference=lambda x: 2 * np.asarray(x, float), name="my_double",
              cases=[Case("one number", (np.array([1.0]),)),
                     Case("a vector", (np.array([1.0, -3.0, 0.5]),))],
              mistakes=[(lambda x: np.asarray(x) + 2, "that adds 2")], solution="2 * x")
    monkeypatch.setitem(R._REGISTRY, "99.5", R._REGISTRY.pop("99.5"))


def test_the_first_failing_case_is_shown_with_what_came_back(monkeypatch):
    _fake(monkeypatch)
    msg = dl.check("99.5", lambda x: 2 * np.asarray(x) * (np.asarray(x) > 0), quiet=True).message
    assert "on the case a vector: (np.array([ 1. , -3. ,  0.5]))" in msg
    assert "returned np.array([ 2., -0.,  1.])" in msg
    assert "the correct result is np.array([ 2., -6.,  1.])" in msg
    assert "the largest difference: at [1]: yours -0, correct -6" in msg
    assert "that adds 2 (seen on the case one number" in dl.check("99.5", lambda x: x + 2,
                                                                  quiet=True).message
    shape = dl.check("99.5", lambda x: np.zeros((2, 2)), quiet=True).message
    assert "has shape (2, 2); it should have shape (1,)" in shape


def test_a_broken_function_is_reported_not_raised(monkeypatch):
    _fake(monkeypatch)
    msg = dl.check("99.5", lambda x: x[5], quiet=True).message
    assert "raised IndexError" in msg and "on the case one number" in msg
    assert "pass your function itself" in dl.check("99.5", 3.0, quiet=True).message
    assert "should return a NumPy array" in dl.check("99.5", lambda x: "2x", quiet=True).message


def test_the_learners_arrays_are_not_shared_between_cases(monkeypatch):
    _fake(monkeypatch)

    def in_place(x):
        x *= 2  # changes its argument: must not change the case for the reference
        return x

    assert dl.check("99.5", in_place, quiet=True)


def test_or_reference_gives_yours_when_it_passes_and_says_which(monkeypatch, capsys):
    _fake(monkeypatch)
    mine = lambda x: 2 * np.asarray(x, float)  # noqa: E731
    assert dl.check("99.5", mine, quiet=True).or_reference() is mine
    assert "Using your function (it passes 99.5)" in capsys.readouterr().out
    ref = R._REGISTRY["99.5"].checker.reference
    assert dl.check("99.5", lambda x: x, quiet=True).or_reference() is ref
    assert "does not pass 99.5 yet" in capsys.readouterr().out
    with pytest.raises(TypeError, match="asks for a value"):
        dl.check("10.1", 3.0, quiet=True).or_reference()


def _fake_backward(monkeypatch):
    """Exercise 99.6: the backward of ``y = x * w`` (elementwise), returning (dx, dw)."""
    R._load()

    def forward(x, w):
        return x * w

    def backward(dout, x, w):
        return dout * w, dout * x

    implement("99.6", "product backward", reference=backward, name="my_backward",
              outputs=("dx", "dw"), gradients=Gradients(forward, wrt=(1, 2)),
              reference_name="the product's backward",
              cases=[Case("two entries", (np.array([1.0, -2.0]), np.array([3.0, 0.5]),
                                          np.array([2.0, 4.0])))],
              mistakes=[(lambda dout, x, w: (w, x), "the upstream gradient is missing")],
              solution="dout * w, dout * x")
    monkeypatch.setitem(R._REGISTRY, "99.6", R._REGISTRY.pop("99.6"))
    return backward


def test_a_backward_pass_is_set_against_central_differences(monkeypatch):
    backward = _fake_backward(monkeypatch)
    assert dl.check("99.6", backward, quiet=True)
    # the swapped gradients: dw is reported against the finite-difference estimate
    msg = dl.check("99.6", lambda dout, x, w: (dout * w, dout * w), quiet=True).message
    assert "the dw of your my_backward is not the gradient" in msg
    assert "central differences of the forward pass give np.array([ 3., -1.])" in msg
    assert "yours is np.array([ 2., -8.])" in msg and "at [1]: yours -8, differences -1" in msg
    assert "the upstream gradient is missing" in dl.check(
        "99.6", lambda dout, x, w: (w, x), quiet=True).message
    one = dl.check("99.6", lambda dout, x, w: dout * w, quiet=True).message
    assert "should return the 2 results (dx, dw), in that order" in one
    assert "returns None" in dl.check("99.6", lambda dout, x, w: (dout * w, None),
                                      quiet=True).message


def test_or_reference_names_a_reference_by_its_given_name(monkeypatch, capsys):
    _fake_backward(monkeypatch)
    dl.check("99.6", lambda dout, x, w: (w, w), quiet=True).or_reference()
    assert "Using the product's backward: your function does not pass 99.6 yet" in \
        capsys.readouterr().out


def test_gradients_must_name_one_input_per_result():
    with pytest.raises(ValueError, match="gradients.wrt has 1 entries; the function returns 2"):
        implement("99.7", "x", reference=lambda d, x: (d, x), outputs=("a", "b"), cases=[],
                  gradients=Gradients(lambda x: x, wrt=(1,)), solution="")
