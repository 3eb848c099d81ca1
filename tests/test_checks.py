"""The shared input checks: errors must name what was expected."""

import numpy as np
import pytest

import dlcore
from dlcore._checks import (
    as_array,
    check_choice,
    check_flag,
    check_int,
    check_labels,
    check_positive,
    check_probability,
    check_real,
    check_shapes,
)

pytestmark = pytest.mark.setup


def test_as_array_converts_and_keeps_float_dtypes():
    assert as_array([1, 2], "x").dtype == np.float64
    assert as_array(np.zeros(2, np.float32), "x").dtype == np.float32
    assert as_array(np.array([True, False]), "x").dtype == np.float64


@pytest.mark.parametrize("bad, exc, msg", [
    ("abc", TypeError, "x must be an array of numbers"),
    ([[1, 2], [3]], TypeError, "same length"),
    ([1j], TypeError, "real-valued"),
    ([np.nan], ValueError, "non-finite"),
    ([np.inf, 1.0], ValueError, "non-finite"),
])
def test_as_array_rejects(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        as_array(bad, "x")


def test_as_array_ndim_message():
    with pytest.raises(ValueError, match=r"x must be a 2-D array of shape \(N, D\); got 1-D"):
        as_array(np.zeros(3), "x", ndim=2, spec="(N, D)")


def test_check_shapes_binds_symbols_across_arrays():
    dims = check_shapes("f", x=(np.zeros((4, 3)), "N D"), w=(np.zeros((5, 3)), "M D"),
                        b=(None, "M"))
    assert dims == {"N": 4, "D": 3, "M": 5}
    with pytest.raises(ValueError, match=r"f: w must have shape \(M, D\) with D=3 \(from x\); "
                                         r"got shape \(5, 2\)"):
        check_shapes("f", x=(np.zeros((4, 3)), "N D"), w=(np.zeros((5, 2)), "M D"))
    with pytest.raises(ValueError, match=r"axis 1 must be 1"):
        check_shapes("f", y=(np.zeros((4, 2)), "N 1"))
    with pytest.raises(ValueError, match=r"must be 2-D with shape \(N, D\)"):
        check_shapes("f", x=(np.zeros(3), "N D"))


def test_scalar_checks():
    assert check_int(np.int64(3), "k", minimum=1) == 3
    with pytest.raises(TypeError, match="k must be an integer"):
        check_int(2.5, "k")
    with pytest.raises(TypeError, match="k must be an integer"):
        check_int(True, "k")
    with pytest.raises(ValueError, match="k must be >= 1; got 0"):
        check_int(0, "k", minimum=1)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        check_positive(-0.1, "lr")
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\)"):
        check_probability(1.0, "p")
    with pytest.raises(ValueError, match="mode must be one of 'a', 'b'"):
        check_choice("c", "mode", ("a", "b"))


def test_check_real_and_check_flag():
    assert check_real(np.float32(-2.5), "a") == -2.5 and type(check_real(3, "a")) is float
    with pytest.raises(TypeError, match="a must be a real number; got True"):
        check_real(True, "a")
    with pytest.raises(ValueError, match="a must be a finite real number; got nan"):
        check_real(float("nan"), "a")
    assert check_flag(np.True_, "training") is True
    with pytest.raises(TypeError, match="training must be True or False; got 1"):
        check_flag(1, "training")


def test_check_labels():
    assert check_labels([0, 2, 1], 3).dtype == np.int64
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\] \(C=3 classes\)"):
        check_labels([0, 3], 3)
    with pytest.raises(TypeError, match="integer class indices"):
        check_labels([0.5, 1], 3)
    with pytest.raises(ValueError, match=r"shape \(N,\) with N=2"):
        check_labels([0, 1, 1], 3, n=2)


def test_seed_makes_draws_reproducible():
    dlcore.set_seed(7)
    a = dlcore.get_rng().standard_normal(3)
    dlcore.set_seed(7)
    assert np.array_equal(a, dlcore.get_rng().standard_normal(3))
    assert np.array_equal(dlcore.get_rng(5).standard_normal(2),
                          np.random.default_rng(5).standard_normal(2))
    with pytest.raises(TypeError, match="rng must be"):
        dlcore.get_rng("seed")
    with pytest.raises(ValueError, match="non-negative integer"):
        dlcore.set_seed(-1)
