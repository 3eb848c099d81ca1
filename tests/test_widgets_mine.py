"""The machinery behind every widget's ``mine=``: the learner's function beside dlcore's."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.widgets._mine import require_function, run_mine, takes

REF = np.array([[1.0, 2.0], [3.0, 4.0]])
KW = dict(reference_name="dl.ref", where="x 2×2", fallback="the plot shows dl.ref",
          entries="cells")


def test_a_correct_function_matches_everything_and_its_result_is_used():
    mine = run_mine(lambda x: x * 1.0, (REF,), reference=REF, **KW)
    assert mine.used and mine.n_differ == 0
    assert "all 4 cells match dl.ref" in mine.message
    np.testing.assert_array_equal(mine.value, REF)


def test_the_differing_entries_are_counted_and_the_largest_error_located():
    def wrong(x):
        x = x.copy()
        x[1, 0] = 10.0
        x[0, 1] = 2.5
        return x

    mine = run_mine(wrong, (REF,), reference=REF, **KW)
    np.testing.assert_array_equal(mine.differ, [[False, True], [True, False]])
    assert "2 of 4 cells differ from dl.ref" in mine.message
    assert "largest error is 7 at out[1, 0]: yours 10, correct 3" in mine.message


def test_several_results_are_compared_one_by_one():
    ref = (np.array([1.0, 2.0]), np.array([3.0]))
    mine = run_mine(lambda: (np.array([1.0, 2.0]), np.array([5.0])), (), reference=ref,
                    outputs=("dx", "db"), **KW)
    assert mine.n_differ == 1 and "at db[0]: yours 5, correct 3" in mine.message
    one = run_mine(lambda: np.array([1.0, 2.0]), (), reference=ref, outputs=("dx", "db"),
                   **KW)
    assert not one.used and "should return 2 results (dx, db)" in one.message
    shape = run_mine(lambda: (np.zeros(3), np.zeros(1)), (), reference=ref,
                     outputs=("dx", "db"), **KW)
    assert "returned shape (3,) for dx" in shape.message


@pytest.mark.parametrize("fn, words", [
    (lambda x: (_ for _ in ()).throw(NotImplementedError), "is not written yet"),
    (lambda x: None, "is not written yet (it returns None)"),
    (lambda x: x[7], "raised IndexError: index 7 is out of bounds"),
    (lambda x: "four", "returned a str, not an array of numbers"),
    (lambda x: np.zeros(3), "returned shape (3,) on the x 2×2; the correct shape is (2, 2)"),
])
def test_a_function_that_cannot_be_used_is_described_and_the_reference_kept(fn, words):
    mine = run_mine(fn, (REF,), reference=REF, **KW)
    assert not mine.used and mine.differ is None
    assert words in mine.message and mine.message.endswith("the plot shows dl.ref.")


def test_the_learners_arguments_are_copies():
    x = REF.copy()

    def in_place(a):
        a *= 0
        return a

    run_mine(in_place, (x,), reference=REF, **KW)
    np.testing.assert_array_equal(x, REF)


def test_only_a_function_is_accepted():
    assert require_function(None, "my_f") is None
    with pytest.raises(TypeError, match=r"mine must be your function, e.g. mine=my_f "
                                        r"\(without parentheses\); got ndarray"):
        require_function(REF, "my_f")
    assert takes(lambda a, stride=1: a, "stride") and not takes(lambda a: a, "stride")
