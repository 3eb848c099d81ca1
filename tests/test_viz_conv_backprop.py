"""The static plots of lecture 12 (``dlcore.viz.conv_backprop``), headless.

What they draw is computed, and tested, in the core: tests/test_conv_terms.py (``conv_terms``,
``conv_equations``), tests/test_nn_experiments.py (``confusion_matrix``), tests/test_conv.py.

Expected numbers are those of SYLLABUS.md (L12), the seed's printed equations
(``004_4f4f274075c2c478.txt``, line 418), or ``dlcore.conv.inputs_feeding`` (an independent
listing of the cells under each window); never the output of the function under test.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlcore as dl  # noqa: E402
from dlcore.data.slide_examples import SLIDE_EXAMPLES  # noqa: E402
from dlcore.viz import conv_backprop as V  # noqa: E402

pytestmark = pytest.mark.lec12

A = SLIDE_EXAMPLES["cnn2_input"].value
W = SLIDE_EXAMPLES["cnn2_kernel"].value
G = np.array([[1.0, 2.0], [3.0, 4.0]])
DW = [[24, 16, 20], [8, 14, 11], [13, 5, 12]]
DA = [[0, 1, 2, 2, 4], [2, 2, 4, 4, 0], [0, 4, 8, 6, 12], [6, 6, 8, 8, 0], [0, 3, 6, 4, 8]]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _numbers(ax):
    return [float(t.get_text()) for t in ax.texts if t.get_text()]


def test_names_are_found_through_dl_viz():
    for name in V.__all__:
        assert getattr(dl.viz, name) is getattr(V, name)


def test_weight_gradient_sum_panels():
    fig = V.weight_gradient_sum(A, G, kernel_shape=(3, 3), stride=2)
    axes = fig.axes
    assert len(axes) == 5
    assert _numbers(axes[0]) == A[:3, :3].ravel().tolist()
    assert _numbers(axes[3]) == A[2:5, 2:5].ravel().tolist()
    assert "g4 = 4" in axes[3].get_title()
    assert _numbers(axes[4]) == np.ravel(DW).tolist()
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in axes)
    assert fig._suptitle is not None


def test_weight_gradient_sum_bad_input():
    with pytest.raises(ValueError, match=r"g must have shape \(H_out, W_out\) = \(2, 2\)"):
        V.weight_gradient_sum(A, np.ones((3, 3)), stride=2)
    with pytest.raises(ValueError, match="at most 9 windows"):
        V.weight_gradient_sum(np.ones((6, 6)), np.ones((4, 4)), stride=1)
    with pytest.raises(ValueError, match="non-finite"):
        V.weight_gradient_sum(np.full((5, 5), np.nan), G, stride=2)


def test_input_gradient_route_panels():
    fig = V.input_gradient_route(G, W, stride=2)
    axes = fig.axes
    assert _numbers(axes[0]) == G.ravel().tolist()
    padded = _numbers(axes[1])
    assert len(padded) == 49 and sorted(v for v in padded if v) == [1, 2, 3, 4]
    assert _numbers(axes[2]) == W[::-1, ::-1].ravel().tolist()
    assert _numbers(axes[3]) == np.ravel(DA).tolist()


def test_input_gradient_route_uncovered_border():
    fig = V.input_gradient_route(G, W, stride=2, input_shape=(6, 6))
    values = np.array(_numbers(fig.axes[3])).reshape(6, 6)
    assert np.all(values[5] == 0) and np.all(values[:, 5] == 0)
    np.testing.assert_array_equal(values[:5, :5], DA)
    assert "no window" in fig.axes[3].get_title()
    with pytest.raises(ValueError, match="does not give a"):
        V.input_gradient_route(G, W, stride=2, input_shape=(7, 7))
    with pytest.raises(ValueError, match=r"\(KH, KW\)"):
        V.input_gradient_route(G, np.ones(3), stride=2)


def test_pool_routing_reproduces_the_seed():
    x = SLIDE_EXAMPLES["pool_backprop_input"].value
    up = SLIDE_EXAMPLES["pool_backprop_upstream"].value
    fig = V.pool_routing(x, up, size=2, mode="max")
    axes = fig.axes
    assert _numbers(axes[1]) == [0.8, 1.2, 0.9, 0.5]
    assert _numbers(axes[3]) == [0, 0, 0.5, 0, 1.3, 0, 0, 0, 0, 0.4, 0, 0, 0, 0, 0.1, 0]
    # the argmax outline is drawn (a line collection) on the activations and the routed map
    assert axes[0].collections and axes[3].collections
    avg = V.pool_routing(x, up, size=2, mode="avg")
    np.testing.assert_allclose(_numbers(avg.axes[3]), (np.kron(up, np.ones((2, 2))) / 4).ravel(),
                               atol=1e-3)


def test_pool_routing_bad_input():
    x = SLIDE_EXAMPLES["pool_backprop_input"].value
    with pytest.raises(ValueError, match="mode must be one of"):
        V.pool_routing(x, np.ones((2, 2)), mode="min")
    with pytest.raises(ValueError, match=r"pooled shape \(H_out, W_out\) = \(2, 2\)"):
        V.pool_routing(x, np.ones((3, 3)))


def test_filter_grid_draws_every_filter():
    w = np.arange(5 * 2 * 3 * 3, dtype=float).reshape(5, 2, 3, 3) - 40
    fig = V.filter_grid(w, ncols=3, title="filters")
    ax = fig.axes[0]
    mosaic = np.ma.getdata(ax.images[0].get_array())
    assert mosaic.shape == (2 * 4 - 1, 3 * 4 - 1)
    for k in range(5):
        r, c = divmod(k, 3)
        np.testing.assert_array_equal(mosaic[4 * r:4 * r + 3, 4 * c:4 * c + 3], w[k, 0])
    assert np.isnan(mosaic[3]).all() and np.isnan(mosaic[4:, 8:]).all()   # gaps, no filter 5
    assert ax.images[0].get_clim() == (-40.0, 40.0)
    assert ax.get_title() == "filters" and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match=r"\(F, C, KH, KW\)"):
        V.filter_grid(np.ones((3, 3)))


def test_plot_confusion_and_loss_comparison():
    cm = np.array([[5, 1], [0, 4]])
    ax = V.plot_confusion(cm)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "4", "5"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    np.testing.assert_array_equal(ax.images[0].get_array(), cm)
    with pytest.raises(ValueError, match=r"square \(C, C\)"):
        V.plot_confusion(np.ones((2, 3), dtype=int))
    ax = V.plot_loss_comparison({"dlcore": [1.0, 0.5, 0.2], "torch": [1.0, 0.5, 0.2]})
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.0, 0.5, 0.2])
    assert ax.lines[0].get_linestyle() != ax.lines[1].get_linestyle()
    assert ax.get_title() and ax.get_xlabel() == "epoch"
    with pytest.raises(ValueError, match="non-empty dict"):
        V.plot_loss_comparison({})
    with pytest.raises(ValueError, match=r"\(E,\)"):
        V.plot_loss_comparison({"a": np.ones((2, 2))})
