"""The diagrams, tower plots and region plots of lecture 5 (``dlcore.viz.mlp``).

What they draw is computed, and tested, in the core: tests/test_representation_power.py.
"""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import dlcore as dl
from dlcore.viz import mlp as V

pytestmark = pytest.mark.lec05

SQUARE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _inside(X, angles, offsets):
    """Membership of each half-plane cos t x1 + sin t x2 >= d, written out by hand."""
    t = np.radians(np.asarray(angles, dtype=float))
    return (X[:, :1] * np.cos(t) + X[:, 1:] * np.sin(t)) >= np.asarray(offsets)


# Diagrams -----------------------------------------------------------------------------------

def test_mlp_layout_counts_match_the_3_4_2_example():
    lay = V.mlp_layout([3, 4, 2])
    assert [len(p) for p in lay["neurons"]] == [3, 4, 2]
    assert lay["edges"].shape == (3 * 4 + 4 * 2, 2, 2)  # 20 weights
    assert lay["bias_edges"].shape == (4 + 2, 2, 2)      # one bias per neuron
    assert lay["bias"].shape == (2, 2)
    assert lay["edge_index"][0] == (1, 0, 0) and lay["edge_index"][-1] == (2, 1, 3)
    assert V.mlp_layout([3, 4, 2], bias=False)["bias_edges"].shape == (0, 2, 2)


def test_draw_mlp_title_and_artists():
    ax = V.draw_mlp([3, 4, 2])
    assert "6 neurons, 20 weights, 26 parameters" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.collections[0].get_segments()) == 20
    assert len(ax.collections[1].get_segments()) == 6


@pytest.mark.parametrize("sizes, exc, match", [
    ([3], ValueError, "at least two"), ([3, 0, 2], ValueError, ">= 1"),
    ("3-4-2", TypeError, "sequence"), ([3, 2.5], TypeError, "integer"),
])
def test_mlp_layout_bad_sizes(sizes, exc, match):
    with pytest.raises(exc, match=match):
        V.mlp_layout(sizes)


# Tower plots ---------------------------------------------------------------------------------


def test_plot_towers_reproduces_the_lecture_example():
    # a=3, b=1, c=2, k=10, m=(-1, 1): y_hat(1) = 3.5, plateaus 1, 3, 4 (lecture 5).
    x = np.array([-10.0, 0.0, 1.0, 10.0])
    ax = V.plot_towers(3, 1, 2, 10, (-1, 1), x=x)
    y = ax.lines[0].get_ydata()
    assert y[2] == pytest.approx(3.5, abs=1e-8)
    np.testing.assert_allclose(y[[0, 1, 3]], [1, 3, 4], atol=1e-3)
    levels = sorted(line.get_ydata()[0] for line in ax.lines[3:])
    assert levels == [1, 2, 3, 4]  # the plateaus b, a, a + c - b and the level c
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_tower_approximation_reports_its_error():
    ax = V.plot_tower_approximation(np.sin, 8, 50.0)
    x, y = ax.lines[1].get_data()
    err = np.max(np.abs(y - np.sin(x)))
    assert f"max error {err:.3f}" in ax.get_title()


# Region plots ---------------------------------------------------------------------------------

def test_plot_xor_spaces_colours_the_xor_inputs():
    fig = V.plot_xor_spaces()
    ax_in, ax_h = fig.axes[:2]
    ones = ax_in.collections[1].get_offsets()
    np.testing.assert_array_equal(np.asarray(ones), [[0, 1], [1, 0]])
    assert to_rgba(ax_in.collections[1].get_facecolor()[0]) == to_rgba(dl.viz.PALETTE["orange"])
    for ax in (ax_in, ax_h):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    img = ax_in.images[0].get_array()
    assert img.min() == 0 and img.max() == 1


def test_region_grid_and_half_plane_segment():
    xx, yy, pts = V.region_grid(SQUARE, 11, margin=0.5)
    assert xx.shape == (11, 11) and pts.shape == (121, 2)
    assert pts.min() == -0.5 and pts.max() == 1.5
    xs, ys = V.half_plane_segment(30.0, 0.7)
    t = np.radians(30.0)
    np.testing.assert_allclose(np.cos(t) * xs + np.sin(t) * ys, 0.7)


def test_plot_half_planes_title_accuracy():
    P = dl.neurons.MOONS_HALF_PLANES
    X, y = dl.data.moons()
    inside = _inside(X, P["angles"], P["offsets"])
    acc = np.mean((inside[:, :3].all(axis=1) | inside[:, 3:].all(axis=1)) == y)
    ax = V.plot_half_planes(P["angles"], P["offsets"], P["groups"])
    assert f"accuracy {acc:.1%}" in ax.get_title()
    assert ax.get_xlabel() == "x1"


def test_plot_mlp_regions_shades_class_one_probability():
    model = dl.nn.Linear(2, 2, rng=0)
    model.weight.data = np.array([[0.0, 0.0], [1.0, 0.0]])
    model.bias.data = np.zeros(2)
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [2.0, 1.0]])
    y = np.array([0, 1, 0])
    ax = V.plot_mlp_regions(model, X, y, n=20)
    assert "67%" in ax.get_title()
    xx, _, _ = V.region_grid(X, 20)
    np.testing.assert_allclose(ax.images[0].get_array(), _sig(xx), atol=1e-12)
