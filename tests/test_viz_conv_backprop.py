"""Static plots and index bookkeeping of lecture 12 (``dlcore.viz.conv_backprop``), headless.

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
from dlcore import conv  # noqa: E402
from dlcore.data.slide_examples import SLIDE_EXAMPLES  # noqa: E402
from dlcore.viz import conv_backprop as V  # noqa: E402

pytestmark = pytest.mark.lec12

A = SLIDE_EXAMPLES["cnn2_input"].value
W = SLIDE_EXAMPLES["cnn2_kernel"].value
G = np.array([[1.0, 2.0], [3.0, 4.0]])
DW = [[24, 16, 20], [8, 14, 11], [13, 5, 12]]
DA = [[0, 1, 2, 2, 4], [2, 2, 4, 4, 0], [0, 4, 8, 6, 12], [6, 6, 8, 8, 0], [0, 3, 6, 4, 8]]
# 004_4f4f274075c2c478.txt, line 418 (the correct table), input indices per weight
SEED_TABLE = [[1, 3, 11, 13], [2, 4, 12, 14], [3, 5, 13, 15], [6, 8, 16, 18], [7, 9, 17, 19],
              [8, 10, 18, 20], [11, 13, 21, 23], [12, 14, 22, 24], [13, 15, 23, 25]]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _numbers(ax):
    return [float(t.get_text()) for t in ax.texts if t.get_text()]


def test_names_are_found_through_dl_viz():
    for name in V.__all__:
        assert getattr(dl.viz, name) is getattr(V, name)


@pytest.mark.parametrize("shape, kernel, stride", [((5, 5), (3, 3), 2), ((5, 5), (3, 3), 1),
                                                   ((6, 7), (2, 3), (2, 1)), ((4, 4), (2, 2), 2)])
def test_conv_terms_match_inputs_feeding(shape, kernel, stride):
    terms = V.conv_terms(shape, kernel, stride)
    sh, sw = stride if isinstance(stride, tuple) else (stride, stride)
    ho, wo = conv.output_size(shape[0], kernel[0], sh), conv.output_size(shape[1], kernel[1], sw)
    assert len(terms) == ho * wo * kernel[0] * kernel[1]
    for j in range(ho * wo):
        cells = conv.inputs_feeding(j // wo, j % wo, kernel, stride, input_shape=shape)
        mine = [(t.k, t.inp) for t in terms if t.out == j]
        assert [k for k, _ in mine] == list(range(kernel[0] * kernel[1]))
        assert [divmod(i, shape[1]) for _, i in mine] == cells


def test_weight_equations_reproduce_the_seed_table():
    eqs = V.conv_equations("weight", (5, 5), (3, 3), 2)
    for k, (eq, idx) in enumerate(zip(eqs, SEED_TABLE)):
        rhs = " + ".join(f"a{i} g{j + 1}" for j, i in enumerate(idx))
        assert eq == f"dL/dw{k + 1} = {rhs}"


def test_forward_and_input_equations():
    fwd = V.conv_equations("forward")
    assert len(fwd) == 4 and fwd[3].endswith("w9 a25") and fwd[2].endswith("w9 a23")
    inp = V.conv_equations("input")
    assert inp[12] == "dL/da13 = w9 g1 + w7 g2 + w3 g3 + w1 g4"
    assert inp[0] == "dL/da1 = w1 g1"
    six = V.conv_equations("input", input_shape=(6, 6))
    assert six[35] == "dL/da36 = 0" and six[5] == "dL/da6 = 0"
    latex = V.conv_equations("weight", latex=True)
    assert latex[0].startswith(r"\frac{\partial L}{\partial w_{1}} &= a_{1}\,g_{1}")


def test_conv_equations_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        V.conv_equations("backward")
    with pytest.raises(ValueError, match="does not fit"):
        V.conv_equations("weight", input_shape=(2, 2))
    with pytest.raises(TypeError, match="integer"):
        V.conv_terms((5.5, 5), (3, 3))
    with pytest.raises(ValueError, match=">= 1"):
        V.conv_terms((5, 5), (3, 3), stride=0)


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


def test_confusion_matrix_counts():
    cm = V.confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 1], [0, 0, 2]])
    assert cm.dtype == np.int64
    assert V.confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match=r"shape \(N,\) with N=3"):
        V.confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\]"):
        V.confusion_matrix([0, 3], [0, 1], n_classes=3)
    with pytest.raises(ValueError, match=">= 0"):
        V.confusion_matrix([0, -1], [0, 1])
    with pytest.raises(TypeError, match="integer class indices"):
        V.confusion_matrix([0.5, 1], [0, 1])


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
