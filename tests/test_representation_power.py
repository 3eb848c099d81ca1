"""Lecture 5, representation power: threshold networks (``dlcore.neurons``: XOR, half-planes)
and sums of sigmoid towers (``dlcore.nn.tower_sum_weights``, ``tower_mlp``).

Expected values are the slides' truth tables and inequalities written out by hand.
"""

import numpy as np
import pytest

import dlcore as dl

pytestmark = pytest.mark.lec05

SQUARE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _inside(X, angles, offsets):
    """Membership of each half-plane cos t x1 + sin t x2 >= d, written out by hand."""
    t = np.radians(np.asarray(angles, dtype=float))
    return (X[:, :1] * np.cos(t) + X[:, 1:] * np.sin(t)) >= np.asarray(offsets)


# Threshold networks -----------------------------------------------------------------------------

def test_xor_layers_hidden_units_are_or_and_and_output_is_xor():
    (w1, b1), (w2, b2) = dl.neurons.xor_layers()
    # Dripta MJ's OR and AND units, in the course's (out, in) layout.
    np.testing.assert_array_equal(w1, [[1, 1], [1, 1]])
    np.testing.assert_array_equal(b1, [-0.5, -1.5])
    np.testing.assert_array_equal(w2, [[1, -1]])
    np.testing.assert_array_equal(b2, [-0.5])
    X, xor = dl.data.boolean_table("XOR")
    out, (h, o) = dl.neurons.threshold_net_forward(X, dl.neurons.xor_layers(), return_hidden=True)
    np.testing.assert_array_equal(h[:, 0], dl.data.boolean_table("OR")[1])
    np.testing.assert_array_equal(h[:, 1], dl.data.boolean_table("AND")[1])
    np.testing.assert_array_equal(out[:, 0], xor)
    assert o is out and out.dtype == np.int64


def test_threshold_units_fire_at_zero():
    # step(0) = 1: a sum exactly at the threshold fires (the course's convention).
    out = dl.neurons.threshold_net_forward(np.array([[1.0, 0.0]]), [(np.array([[1.0, 0.0]]),
                                                            np.array([-1.0]))])
    assert out[0, 0] == 1


def test_xnor_by_negating_the_output_unit():
    out = dl.neurons.threshold_net_forward(SQUARE, dl.neurons.xor_layers((-1, 1), 0.5))[:, 0]
    np.testing.assert_array_equal(out, dl.data.boolean_table("XNOR")[1])


def test_half_plane_intersection_and_union_match_inequalities(rng):
    X = rng.uniform(-3, 3, size=(400, 2))
    angles, offsets = [0, 90, 200, 300], [-1.0, -0.5, -1.2, 0.3]
    inside = _inside(X, angles, offsets)
    out = dl.neurons.threshold_net_forward(X, dl.neurons.half_plane_layers(angles, offsets))[:, 0]
    np.testing.assert_array_equal(out, inside.all(axis=1))
    groups = [[0, 1], [2, 3]]
    layers = dl.neurons.half_plane_layers(angles, offsets, groups)
    out = dl.neurons.threshold_net_forward(X, layers)[:, 0]
    expected = inside[:, :2].all(axis=1) | inside[:, 2:].all(axis=1)
    np.testing.assert_array_equal(out, expected)


def test_moons_presets_union_beats_intersections():
    X, y = dl.data.moons()
    P = dl.neurons.MOONS_HALF_PLANES
    inside = _inside(X, P["angles"], P["offsets"])
    acc = {
        "left": np.mean(inside[:, :3].all(axis=1) == y),
        "all": np.mean(inside.all(axis=1) == y),
        "union": np.mean((inside[:, :3].all(axis=1) | inside[:, 3:].all(axis=1)) == y),
    }
    for name, groups, n in (("left", None, 3), ("all", None, 6), ("union", P["groups"], 6)):
        layers = dl.neurons.half_plane_layers(P["angles"][:n], P["offsets"][:n], groups)
        assert np.mean(dl.neurons.threshold_net_forward(X, layers)[:, 0] == y) == acc[name]
    assert acc["union"] >= 0.97 > acc["left"] > acc["all"]


def test_threshold_bad_input():
    layers = dl.neurons.xor_layers()
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        dl.neurons.threshold_net_forward(np.ones(2), layers)
    with pytest.raises(ValueError, match="D"):
        dl.neurons.threshold_net_forward(np.ones((4, 3)), layers)
    with pytest.raises(ValueError, match="non-finite"):
        dl.neurons.threshold_net_forward(np.array([[np.nan, 0.0]]), layers)
    with pytest.raises(TypeError, match="list of"):
        dl.neurons.threshold_net_forward(SQUARE, [])
    with pytest.raises(TypeError, match=r"\(w, b\) pair"):
        dl.neurons.threshold_net_forward(SQUARE, [np.ones((1, 2))])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        dl.neurons.xor_layers((1, 2, 3))
    with pytest.raises(ValueError, match="K"):
        dl.neurons.half_plane_layers([0, 90], [1.0])
    with pytest.raises(ValueError, match=r"indices in \[0, 2\)"):
        dl.neurons.half_plane_layers([0, 90], [1.0, 1.0], groups=[[0, 2]])
    with pytest.raises(ValueError, match="at least one"):
        dl.neurons.half_plane_layers([], [])


# Towers --------------------------------------------------------------------------------------

def test_tower_sum_weights_equal_the_tower_formula():
    n, k = 5, 30.0
    w1, b1, w2, b2 = dl.nn.tower_sum_weights(np.sin, n, k, 0.0, np.pi)
    assert w1.shape == (2 * n, 1) and b1.shape == (2 * n,) and w2.shape == (1, 2 * n)
    assert b2.shape == (1,)
    x = np.linspace(-0.5, 3.5, 101)
    t = np.linspace(0, np.pi, n + 1)
    h = np.sin((t[:-1] + t[1:]) / 2)
    expected = sum(h[i] * (_sig(k * (x - t[i])) - _sig(k * (x - t[i + 1]))) for i in range(n))
    np.testing.assert_allclose(dl.nn.tower_mlp(w1, b1, w2, b2)(x[:, None])[:, 0], expected,
                               atol=1e-12)


def test_more_towers_approximate_sin_better():
    x = np.linspace(0, 2 * np.pi, 500)
    towers = {n: dl.nn.tower_sum_weights(np.sin, n, 20 * n, 0, 2 * np.pi) for n in (4, 16, 64)}
    errs = [np.max(np.abs(dl.nn.tower_mlp(*towers[n])(
        x[:, None])[:, 0] - np.sin(x))) for n in (4, 16, 64)]
    assert errs[0] > errs[1] > errs[2]


def test_tower_sum_weights_bad_input():
    with pytest.raises(TypeError, match="function"):
        dl.nn.tower_sum_weights(3.0, 4, 10, 0, 1)
    with pytest.raises(ValueError, match=">= 1"):
        dl.nn.tower_sum_weights(np.sin, 0, 10, 0, 1)
    with pytest.raises(ValueError, match="> 0"):
        dl.nn.tower_sum_weights(np.sin, 4, -1, 0, 1)
    with pytest.raises(ValueError, match="lo < hi"):
        dl.nn.tower_sum_weights(np.sin, 4, 10, 1, 1)
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        dl.nn.tower_sum_weights(lambda x: np.ones(2), 4, 10, 0, 1)


def test_tower_sum_errors_are_the_errors_of_the_tower_networks():
    x = np.linspace(0.0, np.pi, 301)
    errors = dl.nn.tower_sum_errors(np.sin, 12, 40.0, 0.0, np.pi, x)
    assert errors.shape == (12,)
    for n in (1, 5, 12):
        net = dl.nn.tower_mlp(*dl.nn.tower_sum_weights(np.sin, n, 40.0, 0.0, np.pi))
        expected = np.max(np.abs(net(x[:, None])[:, 0] - np.sin(x)))
        assert errors[n - 1] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert errors[11] < errors[4] < errors[0]


def test_tower_sum_errors_bad_input():
    x = np.linspace(0, 1, 5)
    with pytest.raises(TypeError, match="fn must be a function"):
        dl.nn.tower_sum_errors("sin", 3, 10.0, 0.0, 1.0, x)
    with pytest.raises(ValueError, match="lo < hi"):
        dl.nn.tower_sum_errors(np.sin, 3, 10.0, 1.0, 1.0, x)
    with pytest.raises(ValueError, match="max_towers"):
        dl.nn.tower_sum_errors(np.sin, 0, 10.0, 0.0, 1.0, x)
