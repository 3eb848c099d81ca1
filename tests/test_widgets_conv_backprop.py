"""Widgets of lecture 12 (dlcore.widgets.conv_backprop), built headless: controls in, plotted
data and readouts out.

Expected values are the numbers of SYLLABUS.md (L12) and of the seed
(``004_4f4f274075c2c478.txt``), typed in here, or come from ``dlcore.conv`` /
``dlcore.gradcheck`` called directly; never from the widget itself.
"""

from types import SimpleNamespace

import numpy as np
import pytest

import dlcore as dl
from dlcore import conv
from dlcore.data.slide_examples import SLIDE_EXAMPLES
from dlcore.widgets import conv_backprop as wb

pytestmark = pytest.mark.lec12

A = SLIDE_EXAMPLES["cnn2_input"].value
DW2 = np.array([[24, 16, 20], [8, 14, 11], [13, 5, 12]])
DA2 = np.array([[0, 1, 2, 2, 4], [2, 2, 4, 4, 0], [0, 4, 8, 6, 12], [6, 6, 8, 8, 0],
                [0, 3, 6, 4, 8]])
DW1 = np.array([[15, 15, 15], [9, 11, 16], [10, 7, 12]])
ROUTED = np.array([[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]])


def _image(grid):
    """The values the grid's colour mesh shows, (H, W)."""
    return grid.plotted()


def _highlighted(grid):
    """Cells tinted by the grid's highlight overlay, as (row, col) pairs."""
    return grid.highlighted()



# ---- conv_backprop_explorer ------------------------------------------------------------------

def test_explorer_reproduces_the_stride_2_gradients():
    app = wb.conv_backprop_explorer()
    np.testing.assert_array_equal(_image(app.grids["dw"]), DW2)
    np.testing.assert_array_equal(_image(app.grids["dx"]), DA2)
    st = app.state()
    assert st["equation"] == "dL/dw1 = a1·g1 + a3·g2 + a11·g3 + a13·g4"
    assert st["values"] == "= 3·1 + 2·2 + 3·3 + 2·4 = 24"
    assert "yes" in st["check"] and "db = ΣG = 10" in st["check"]
    # w1 meets a1, a3, a11, a13: cells (0,0), (0,2), (2,0), (2,2)
    assert _highlighted(app.grids["x"]) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert _highlighted(app.grids["dw"]) == [(0, 0)]
    assert "dL/dw1 = 24" in app.summary


def test_explorer_weight_nine_input_cell_and_output():
    app = wb.conv_backprop_explorer()
    app.controls["index"].value = 9
    assert app.state()["equation"] == "dL/dw9 = a13·g1 + a15·g2 + a23·g3 + a25·g4"
    assert app.state()["values"].endswith("= 12")
    app.select("input", 13)
    assert app.state()["equation"] == "dL/da13 = w9·g1 + w7·g2 + w3·g3 + w1·g4"
    assert app.state()["values"].endswith(f"= {int(DA2[2, 2])}")
    assert _highlighted(app.grids["g"]) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    app.select("output", 4)
    assert app.state()["equation"].startswith("z4 = w1·a13 + w2·a14")
    assert app.state()["values"].endswith("= 14")   # the stride-2 output [[12, 17], [9, 14]]
    assert app.controls["index"].max == 4


def test_explorer_stride_1_resets_g_to_ones():
    app = wb.conv_backprop_explorer()
    app.controls["stride"].value = 1
    assert app.controls["g"].value == "1 1 1\n1 1 1\n1 1 1"
    np.testing.assert_array_equal(_image(app.grids["dw"]), DW1)
    assert "db = ΣG = 9" in app.state()["check"]
    app.select("weight", 1)
    assert len(_highlighted(app.grids["x"])) == 9


def test_explorer_edited_g_and_clicks():
    app = wb.conv_backprop_explorer()
    app.controls["g"].value = "0 0\n0 1"           # only z4: dL/dW is window 4 of the input
    np.testing.assert_array_equal(_image(app.grids["dw"]), A[2:5, 2:5])
    app.on_click(SimpleNamespace(inaxes=app.axes["x"], xdata=4.1, ydata=0.2))   # a5
    assert app.state()["kind"] == "input" and app.state()["index"] == 5
    app.on_click(SimpleNamespace(inaxes=app.axes["w"], xdata=1.0, ydata=1.0))   # w5
    assert app.state()["kind"] == "weight" and app.state()["index"] == 5
    app.controls["g"].value = "1 2\n3"
    assert app.state()["check"].startswith("Error:") and "same number" in app.summary
    app.controls["g"].value = "1 2 3\n4 5 6"
    assert "must have the output's shape 2x2" in app.state()["check"]


def test_explorer_symbols_and_own_arrays():
    app = wb.conv_backprop_explorer(symbols=True)
    assert app.grids["x"].labels()[:3] == ["a1", "a2", "a3"]
    assert app.grids["w"].labels()[-1] == "w9"
    x = np.arange(16.0).reshape(4, 4)
    w = np.array([[1.0, -1.0], [2.0, 0.0]])
    g = np.array([[1.0, 0.5], [-1.0, 2.0]])
    app = wb.conv_backprop_explorer(x, w, g, stride=2)
    _, cache = conv.conv2d_forward(x[None, None], w[None, None], stride=2)
    dx, dw, _ = conv.conv2d_backward(g[None, None], cache)
    np.testing.assert_allclose(_image(app.grids["dw"]), dw[0, 0])
    np.testing.assert_allclose(_image(app.grids["dx"]), dx[0, 0])


def test_explorer_uncovered_input_cell():
    app = wb.conv_backprop_explorer(np.arange(36.0).reshape(6, 6), kind="input", index=36)
    assert app.state()["equation"] == "dL/da36 = 0"
    assert "no window covers a36" in app.summary
    assert not _image(app.grids["dx"])[5].any()


def test_explorer_bad_presets():
    with pytest.raises(ValueError, match="stride must be 1 or 2"):
        wb.conv_backprop_explorer(stride=3)
    with pytest.raises(ValueError, match="at most 7x7"):
        wb.conv_backprop_explorer(np.ones((8, 8)))
    with pytest.raises(ValueError, match=r"output's shape \(H_out, W_out\) = \(2, 2\)"):
        wb.conv_backprop_explorer(g=np.ones((3, 3)))
    with pytest.raises(ValueError, match="between 1 and 9"):
        wb.conv_backprop_explorer(index=10)
    with pytest.raises(ValueError, match="kind must be one of"):
        wb.conv_backprop_explorer(kind="bias")
    with pytest.raises(ValueError, match="does not fit"):
        wb.conv_backprop_explorer(np.ones((2, 2)))


# ---- input_gradient_explorer -----------------------------------------------------------------

def test_input_gradient_default_is_the_lecture_example():
    app = wb.input_gradient_explorer()
    np.testing.assert_array_equal(_image(app.grids["full"]), DA2)
    padded = _image(app.grids["padded"])
    assert padded.shape == (7, 7)
    np.testing.assert_array_equal(padded[2:5:2, 2:5:2], [[1, 2], [3, 4]])
    np.testing.assert_array_equal(_image(app.grids["rot"]),
                                  SLIDE_EXAMPLES["cnn2_kernel"].value[::-1, ::-1])
    app.controls["cell"].value = 13                 # dL/dX[2, 2] = 8
    assert app.state()["cell"].endswith("= 8")
    assert _highlighted(app.grids["padded"]) == [(r, c) for r in range(2, 5) for c in range(2, 5)]
    np.testing.assert_array_equal(_image(app.grids["sum"]), np.zeros((5, 5)))


def test_input_gradient_stamps_add_up():
    app = wb.input_gradient_explorer()
    w = SLIDE_EXAMPLES["cnn2_kernel"].value
    app.controls["step"].value = 1
    stamp = np.zeros((5, 5))
    stamp[:3, :3] = 1 * w
    np.testing.assert_array_equal(_image(app.grids["stamp"]), stamp)
    app.controls["step"].value = 4
    np.testing.assert_array_equal(_image(app.grids["sum"]), DA2)
    assert "yes" in app.state()["agree"]


def test_input_gradient_uncovered_border_and_stride_1():
    app = wb.input_gradient_explorer(extra=1)
    dx = _image(app.grids["full"])
    assert dx.shape == (6, 6) and not dx[5].any() and not dx[:, 5].any()
    np.testing.assert_array_equal(dx[:5, :5], DA2)
    app.controls["cell"].value = 36
    assert "no window" in app.state()["cell"]
    assert "no window" in app.axes[0, 2].get_xlabel()
    assert not app.controls["extra"].disabled
    app.controls["stride"].value = 1
    # at stride 1 there is no border to add: the box is cleared and disabled, and says why
    assert app.controls["extra"].value is False and app.controls["extra"].disabled
    assert "stride 1" in app.controls["extra"].tooltip
    assert _image(app.grids["full"]).shape == (4, 4)
    assert app.axes[0, 2].get_xlabel() == "column"
    g = np.array([[1.0, 2.0], [3.0, 4.0]])
    w = SLIDE_EXAMPLES["cnn2_kernel"].value
    _, cache = conv.conv2d_forward(np.zeros((1, 1, 4, 4)), w[None, None])
    np.testing.assert_array_equal(_image(app.grids["full"]),
                                  conv.conv2d_backward(g[None, None], cache)[0][0, 0])


def test_input_gradient_bad_input():
    with pytest.raises(ValueError, match="0 <= extra < stride = 2"):
        wb.input_gradient_explorer(extra=2)
    with pytest.raises(ValueError, match="at most 3x3"):
        wb.input_gradient_explorer(np.ones((4, 4)))
    with pytest.raises(ValueError, match="stride must be 1 or 2"):
        wb.input_gradient_explorer(stride=0)
    app = wb.input_gradient_explorer()
    app.controls["w"].value = "1 x"
    assert app.state()["agree"].startswith("Error:") and app.dx is None


# ---- pooling_router --------------------------------------------------------------------------

def test_router_reproduces_the_seed_routing():
    app = wb.pooling_router()
    np.testing.assert_allclose(_image(app.grids[1]), [[0.8, 1.2], [0.9, 0.5]])
    np.testing.assert_allclose(_image(app.grids[3]), ROUTED)
    assert app.controls["upstream"].value == "1.3 0.5\n0.4 0.1"
    assert "x[1, 0]" in app.state()["route"] and "1.3" in app.state()["route"]
    visible = [a for a in app.arrows if a.get_visible()]
    assert len(visible) == 1 and visible[0].xy1 == (0, 0) and visible[0].xy2 == (0, 1)
    app.controls["step"].value = 1                   # window (0, 1): max 1.2 at x[0, 2]
    visible = [a for a in app.arrows if a.get_visible()]
    assert visible[0].xy1 == (1, 0) and visible[0].xy2 == (2, 0)
    assert "parameters: 0" in app.state()["params"]


def test_router_average_spreads_and_totals_are_kept():
    app = wb.pooling_router(mode="avg")
    up = SLIDE_EXAMPLES["pool_backprop_upstream"].value
    np.testing.assert_allclose(_image(app.grids[3]), np.kron(up, np.ones((2, 2))) / 4)
    assert sum(a.get_visible() for a in app.arrows) == 4
    assert "0.325" in app.state()["route"]
    assert "total gradient in = 2.3, total routed out = 2.3" in app.state()["totals"]


def test_router_overlapping_windows_and_resized_upstream():
    app = wb.pooling_router(preset="overlapping")
    assert app.controls["stride"].value == 1
    x = SLIDE_EXAMPLES["pool_input"].value
    up = np.arange(1.0, 10.0).reshape(3, 3)
    _, cache = conv.max_pool2d_forward(x[None, None], size=2, stride=1)
    np.testing.assert_allclose(_image(app.grids[3]), conv.max_pool2d_backward(
        up[None, None], cache)[0, 0])
    assert "windows overlap" in app.state()["totals"]
    app.controls["size"].value = 3                   # 2x2 pooled map: upstream resets to 1..4
    assert app.controls["upstream"].value == "1 2\n3 4"
    app.controls["upstream"].value = "1 0\n0 0"
    assert np.count_nonzero(_image(app.grids[3])) == 1


def test_router_tie_goes_to_the_first_maximum():
    app = wb.pooling_router(preset="tie")
    routed = _image(app.grids[3])
    # upstream 1..4; window (1, 0) holds 0, 5 / 5, 1: its first 5, at (2, 1), takes it all
    assert routed[2, 1] == 3 and routed[3, 0] == 0
    assert routed[2, 2] == 4 and np.count_nonzero(routed) == 4   # four equal 2s: the first


def test_router_own_activations_and_bad_input():
    x = np.array([[1.0, 2.0], [4.0, 3.0]])
    app = wb.pooling_router(x, np.array([[5.0]]))
    np.testing.assert_array_equal(_image(app.grids[3]), [[0, 0], [5, 0]])
    with pytest.raises(ValueError, match="mode must be 'max' or 'avg'"):
        wb.pooling_router(mode="min")
    with pytest.raises(ValueError, match="at most 6x6"):
        wb.pooling_router(np.ones((7, 7)))
    with pytest.raises(ValueError, match=r"pooled shape \(H_out, W_out\) = \(1, 1\)"):
        wb.pooling_router(x, np.ones((2, 2)))
    with pytest.raises(ValueError, match="preset must be one of"):
        wb.pooling_router(preset="nothing like it")
    app = wb.pooling_router()
    app.controls["size"].value = 4
    app.controls["stride"].value = 4
    app.controls["upstream"].value = "a"
    assert app.state()["route"].startswith("Error:")


# ---- pooling_router(mine=...): the learner's max-pooling backward beside dlcore's ----------

def _my_maxpool_backward(dout, x, size=2, stride=2):
    """Written out here: each window's first maximum (row-major) collects its gradient."""
    dx = np.zeros(np.shape(x))
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            best = None
            for a in range(size):
                for b in range(size):
                    r, q = i * stride + a, j * stride + b
                    if best is None or x[r, q] > x[best]:
                        best = (r, q)
            dx[best] += dout[i, j]
    return dx


def _every_tie(dout, x, size=2, stride=2):
    """A slip: every cell equal to its window's maximum gets the gradient."""
    dx = np.zeros(np.shape(x))
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size]
            dx[i * stride:i * stride + size, j * stride:j * stride + size] += \
                dout[i, j] * (window == window.max())
    return dx


def test_router_mine_a_correct_function_matches_every_cell():
    app = wb.pooling_router(mine=_my_maxpool_backward)
    assert "all 16 cells match dl.conv.max_pool2d_backward" in app.state()["mine"]
    assert app.mismatch is not None and not app.mismatch.any()
    np.testing.assert_allclose(_image(app.grids[3]), ROUTED)
    assert "≠" not in " ".join(app.grids[3].labels())
    app.controls["preset"].value = next(k for k in app.controls["preset"].options
                                        if "overlapping" in k)
    assert app.controls["stride"].value == 1
    assert "all 16 cells match" in app.state()["mine"]


def test_router_mine_a_wrong_function_marks_the_cells_that_differ():
    app = wb.pooling_router(preset="tie", mine=_every_tie)
    # upstream 1..4 on [[1, 3, 3, 0], [2, 0, 1, 1], [0, 5, 2, 2], [5, 1, 2, 2]]: the 3s of
    # window (0, 0), the 5s of window (1, 0) and the four 2s of window (1, 1) are ties
    x = np.array([[1.0, 3, 3, 0], [2, 0, 1, 1], [0, 5, 2, 2], [5, 1, 2, 2]])
    yours = _every_tie(np.arange(1.0, 5.0).reshape(2, 2), x)
    right = _my_maxpool_backward(np.arange(1.0, 5.0).reshape(2, 2), x)
    differ = ~np.isclose(yours, right)
    assert int(differ.sum()) == 4            # x[2, 3], x[3, 0], x[3, 2], x[3, 3]
    np.testing.assert_array_equal(app.mismatch, differ)
    np.testing.assert_allclose(_image(app.grids[3]), yours)     # the panel shows yours
    state = app.state()["mine"]
    assert "4 of 16 cells differ" in state and "largest error is 4 at dx[2, 3]" in state
    labels = app.grids[3].labels()
    assert labels[2 * 4 + 3] == "4≠0" and labels[3 * 4 + 0] == "3≠0"
    assert sum("≠" in t for t in labels) == 4
    assert app.axes[3].get_title() == "your dL/dx"
    app.controls["mode"].value = "avg"       # average pooling: nothing to compare
    assert "choose max pooling to compare it" in app.state()["mine"]
    assert app.mismatch is None and "≠" not in " ".join(app.grids[3].labels())


def test_router_mine_errors_are_shown_and_the_widget_keeps_working():
    def broken(dout, x, size=2, stride=2):
        return x[size * 10]

    app = wb.pooling_router(mine=broken)
    state = app.state()["mine"]
    assert "broken raised IndexError" in state and "size 2, stride 2" in state
    np.testing.assert_allclose(_image(app.grids[3]), ROUTED)   # dlcore's routing instead
    app.controls["step"].value = 3                              # still answers the controls
    assert "window (1, 1)" in app.state()["route"]
    app.controls["stride"].value = 1
    assert "stride 1" in app.state()["mine"] and app.mismatch is None

    def blank(dout, x, size=2, stride=2):
        raise NotImplementedError

    assert "not written yet" in wb.pooling_router(mine=blank).state()["mine"]
    assert "not written yet (it returns None)" in wb.pooling_router(
        mine=lambda dout, x, size=2, stride=2: None).state()["mine"]
    assert "returned shape (2, 2)" in wb.pooling_router(
        mine=lambda dout, x, size=2, stride=2: dout).state()["mine"]
    assert "mine" not in wb.pooling_router().state()
    with pytest.raises(TypeError, match="mine must be your max-pooling backward function"):
        wb.pooling_router(mine=ROUTED)


# ---- gradcheck_panel ---------------------------------------------------------------------------

def test_gradcheck_conv_passes_and_the_planted_bug_fails():
    app = wb.gradcheck_panel()
    assert app.error < 1e-6 and "pass" in app.state()["result"]
    spec_args = [a.copy() for a in app.args]
    num = dl.gradcheck.numerical_vjp(lambda: conv.conv2d_forward(*spec_args)[0], spec_args[0],
                                     app.dout)
    x_an, *_ = conv.conv2d_backward(app.dout, conv.conv2d_forward(*app.args)[1])
    np.testing.assert_allclose(app.points.get_xdata(), x_an.ravel())
    np.testing.assert_allclose(app.points.get_ydata(), num.ravel(), atol=1e-8)
    app.controls["wrt"].value = "w"
    assert app.error < 1e-6
    app.controls["bug"].value = True
    assert app.error > 1e-2 and "FAIL" in app.state()["result"]
    assert "true convolution" in app.state()["bug"]


@pytest.mark.parametrize("layer", list(wb.gradcheck.LAYERS))
def test_gradcheck_every_layer_passes_and_its_bug_is_caught(layer):
    app = wb.gradcheck_panel(layer=layer)
    for wrt in app.controls["wrt"].options:
        app.controls["wrt"].value = wrt
        assert app.error < 1e-6, (layer, wrt)
    caught = []
    app.controls["bug"].value = True
    for wrt in app.controls["wrt"].options:
        app.controls["wrt"].value = wrt
        caught.append(app.error > 1e-3)
    assert any(caught), layer


def test_gradcheck_step_size_curve_and_new_inputs():
    app = wb.gradcheck_panel(layer="tanh (smooth: truncation error shows)")
    errors = app.errors
    assert errors.shape == (12,) and errors[7] < 1e-8       # h = 1e-5
    assert errors[-1] > 1e3 * errors[7] and errors[0] > 1e3 * errors[7]   # the V shape
    np.testing.assert_allclose(app.curve.get_xdata(), 10.0 ** np.arange(-12, 0))
    app.controls["h"].value = 1e-2
    assert app.mark.get_xdata()[0] == pytest.approx(1e-2)
    assert app.error > 1e-6
    before = app.args[0].copy()
    app.controls["new"].click()
    assert not np.array_equal(before, app.args[0])
    pool = wb.gradcheck_panel(layer="max pooling 2×2")
    assert pool.errors[-1] > 1e-3 > 1e-6 > pool.errors[-2]    # h = 0.1 crosses a tie


def test_gradcheck_learner_layer():
    def square_forward(x):
        return x * x, x

    def square_backward(dout, cache):
        return 2 * cache * dout

    def wrong_backward(dout, cache):
        return cache * dout

    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    app = wb.gradcheck_panel(layers={"my square": (square_forward, square_backward, (x,)),
                                     "my wrong square": (square_forward, wrong_backward, (x,))})
    assert app.controls["layer"].value == "my square" and app.error < 1e-6
    app.controls["layer"].value = "my wrong square"
    assert app.error > 0.1 and app.controls["bug"].disabled


def test_gradcheck_bad_input():
    with pytest.raises(ValueError, match="layer must be one of"):
        wb.gradcheck_panel(layer="conv3d")
    with pytest.raises(ValueError, match="between 1e-12 and 1e-1"):
        wb.gradcheck_panel(h=1.0)
    with pytest.raises(TypeError, match="layers must be a dict"):
        wb.gradcheck_panel(layers=[1, 2])
    with pytest.raises(TypeError, match=r"\(forward, backward, args\)"):
        wb.gradcheck_panel(layers={"x": (1, 2, 3)})


# ---- the words a learner reads -------------------------------------------------------------

def test_labels_name_the_slides_not_text_files():
    """Preset, stride and layer labels speak of the slides, never of a "seed" or a line."""
    import re

    from dlcore.widgets.conv_backprop import _layers, explorer, router

    labels = [*router.PRESETS, *explorer.STRIDES, *_layers.LAYERS]
    assert not [s for s in labels if re.search(r"\bseed|\bl\. ?\d|\.txt", s, re.I)]
    assert "Kiran's example: 4x4 activations, stride 2" in router.PRESETS
    assert "2 (the slides' example)" in explorer.STRIDES
    assert wb.pooling_router().controls["preset"].value.startswith("Kiran's example")
    app = wb.conv_backprop_explorer()
    assert app.controls["stride"].label == "2 (the slides' example)"
    assert "seed" not in app.controls["symbols"].tooltip


# ---- on screen: layout for the width, redraw speed, controls (issue 10) --------------------

GRID_WIDGETS = {"conv_backprop_explorer": ("row", "two rows"),
                "input_gradient_explorer": ("two rows", "three rows"),
                "pooling_router": ("row", "two rows")}


@pytest.mark.parametrize("name", sorted(GRID_WIDGETS))
def test_panels_rearrange_for_the_width_and_fit(name):
    """848 px (1280 with the file browser): one row of panels; 400 px: more rows, never a
    column of five.  Every panel's title, labels and numbers stay inside the figure and off
    its neighbours."""
    app = getattr(wb, name)()
    for width, layout in zip((848, 400), GRID_WIDGETS[name]):
        app.fit(width)
        assert app.panels.layout == layout
        fig = app.fig
        fig.canvas.draw()
        w, h = fig.get_size_inches() * fig.dpi
        assert w <= width - 12 + 0.5 and h <= 600
        r = fig.canvas.get_renderer()
        boxes = [ax.get_tightbbox(r) for ax in app.panels.axes]
        for box in boxes:
            assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= w + 1 and box.y1 <= h + 1, \
                (name, width, box)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert overlap_x <= 1 or overlap_y <= 1, (name, width, a, b)


BLITTED = [("conv_backprop_explorer", {}, "index", 5),
           ("conv_backprop_explorer", {}, "kind", "input"),
           ("conv_backprop_explorer", {}, "stride", 1),         # G 2x2 -> 3x3
           ("conv_backprop_explorer", {}, "symbols", True),
           ("input_gradient_explorer", {}, "cell", 13),
           ("input_gradient_explorer", {}, "step", 3),
           ("input_gradient_explorer", {}, "stride", 1),        # every grid smaller
           ("input_gradient_explorer", {}, "w", "1 0\n0 2"),
           ("pooling_router", {}, "step", 2),
           ("pooling_router", {}, "size", 3),                   # pooled 2x2 -> 1x1
           ("gradcheck_panel", {}, "h", 10 ** -4.5)]


@pytest.mark.parametrize("name, kwargs, control, value", BLITTED)
def test_slider_changes_are_blitted_and_look_like_a_full_draw(name, kwargs, control, value):
    """A control that changes the grids (values, highlight, shape of the same aspect) is
    blitted (no full draw), and the pixels are those of a plain draw of the same state."""
    app = getattr(wb, name)(**kwargs)
    app.fit(848)
    canvas = app.fig.canvas
    canvas.draw()
    before = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    full_draws = []
    canvas.draw_idle = lambda: full_draws.append(1)
    app.controls[control].value = value
    assert not full_draws, f"{name}: changing {control} asked for a full draw"
    blitted = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    assert (blitted != before).any(), f"{name}: changing {control} changed no pixel"
    # the same state drawn the plain way: every artist in its z-order, nothing blitted
    for artist in app._dynamic:
        artist.set_animated(False)
    app._dynamic = []
    canvas.draw()
    np.testing.assert_array_equal(blitted, np.asarray(canvas.get_renderer().buffer_rgba()))


def test_a_new_aspect_or_label_draws_everything():
    """A matrix of another aspect moves its panel's box, and the titles and labels around it:
    that needs a full draw, as does a changed label."""
    app = wb.pooling_router(np.arange(24.0).reshape(4, 6))
    app.fit(848)
    app.fig.canvas.draw()
    full_draws = []
    app.fig.canvas.draw_idle = lambda: full_draws.append(1)
    app.controls["size"].value = 3                   # pooled 2x3 -> 1x2
    assert full_draws == [1]
    app.controls["step"].value = 1                   # the highlight only: blitted
    assert full_draws == [1]
    ig = wb.input_gradient_explorer()
    ig.fit(848)
    ig.fig.canvas.draw()
    ig.fig.canvas.draw_idle = lambda: full_draws.append(2)
    ig.controls["extra"].value = True                # the x label of dL/dX changes
    assert full_draws == [1, 2]


@pytest.mark.parametrize("name", sorted(GRID_WIDGETS))
def test_cell_numbers_are_at_least_10_px(name):
    """The cell, row and column numbers are bitmaps, not Text: check their size here."""
    from dlcore.widgets._text import Labels

    app = getattr(wb, name)()
    cells = {}
    for width in (848, 1488):
        app.fit(width)
        sizes = [a.get_fontsize() for a in app.fig.findobj(Labels) if a.visible_strings()]
        assert sizes and all(s >= 7.5 for s in sizes), (name, sizes)
        cells[width] = [g.numbers.get_fontsize() for g in app._grids]
        assert all(7.5 <= s <= 11 for s in cells[width]), (name, width, cells)
    # numbers grow with the cells on a wide screen (unless the figure stops growing)
    if app.max_fit_width is None:
        assert min(cells[1488]) >= 9.0 > max(cells[848]), cells
    # the bitmaps are where the numbers are: inside their cells
    app.fit(848)
    app.fig.canvas.draw()
    grid = app._grids[0]
    r = app.fig.canvas.get_renderer()
    ink = grid.numbers.get_window_extent(r)
    assert grid.ax.bbox.x0 <= ink.x0 and ink.x1 <= grid.ax.bbox.x1
    assert grid.ax.bbox.y0 <= ink.y0 and ink.y1 <= grid.ax.bbox.y1


def test_pooling_window_slider_disabled_when_there_is_one_window():
    app = wb.pooling_router()
    assert not app.controls["step"].disabled and not app.controls["play"].disabled
    app.controls["size"].value = 4                   # 4x4 activations, 4x4 window: 1 window
    for key in ("step", "play"):
        assert app.controls[key].disabled
        assert "only one window" in app.controls[key].tooltip
    app.controls["size"].value = 2
    assert not app.controls["step"].disabled and not app.controls["play"].disabled


def test_gradcheck_planted_bug_shows_in_the_view():
    """The default layer's bug is in dW: ticking the box must not leave dx (correct) on
    screen with a "pass" verdict."""
    app = wb.gradcheck_panel()
    assert app.controls["wrt"].value == "x" and app.error < 1e-6
    app.controls["bug"].value = True
    assert app.controls["wrt"].value == "w"
    assert app.error > 1e-2 and app.ax_s.get_title().endswith("FAIL")
    assert "planted bug in dw" in app.state()["bug"]
    assert "switched from dx to dw" in app.state()["bug"]
    app.controls["wrt"].value = "x"                  # the learner looks at dx again
    assert app.error < 1e-6 and "dx is computed correctly" in app.state()["bug"]
    app.controls["layer"].value = "linear"           # its bug is in db
    assert app.controls["wrt"].value == "b" and app.error > 1e-2
    assert wb.gradcheck_panel(bug=True).controls["wrt"].value == "w"


@pytest.mark.parametrize("layer", list(wb.gradcheck.LAYERS))
def test_gradcheck_the_planted_bug_fails_where_it_is_shown(layer):
    app = wb.gradcheck_panel(layer=layer, bug=True)
    assert app.controls["wrt"].value in app.bugged()
    assert app.error > 1e-3 and "FAIL" in app.state()["result"]


def test_gradcheck_controls_disabled_with_reason():
    app = wb.gradcheck_panel(layer="ReLU")
    assert app.controls["wrt"].disabled and "one input" in app.controls["wrt"].tooltip
    assert not app.controls["bug"].disabled and "mask" in app.controls["bug"].tooltip
    app.controls["layer"].value = "linear"
    assert not app.controls["wrt"].disabled

    def square_forward(x):
        return x * x, x

    app = wb.gradcheck_panel(layers={"mine": (square_forward, lambda d, c: 2 * c * d,
                                              (np.ones((2, 2)),))})
    assert app.controls["bug"].disabled
    assert "no catalogued mistake" in app.controls["bug"].tooltip


def test_gradcheck_numbers_for_people():
    from dlcore.widgets.conv_backprop.gradcheck import nice_ceil, sci

    assert [sci(v) for v in (1e-6, 1.12e-5, 1.4, 4.82e-11, 0.1)] == \
        ["10⁻⁶", "1.1 × 10⁻⁵", "1.4", "4.8 × 10⁻¹¹", "0.1"]
    assert [nice_ceil(v) for v in (0.93, 6.6, 7.2, 11.0, 0.0042)] == \
        [1.0, 8.0, 8.0, 15.0, 0.005]
    app = wb.gradcheck_panel()
    text = app.state()["result"] + app.summary
    assert "h = 10⁻⁵" in text and "pass mark 10⁻⁶" in text and "e-" not in text
    label = app.controls["h"]._dl_display.children[1]
    assert label.value == "10⁻⁵"
    limits = app.ax_s.get_xlim()
    app.controls["h"].value = 1e-12
    assert label.value == "10⁻¹²"
    assert app.ax_s.get_xlim() == limits             # nudging h does not move the axes


def test_gradcheck_legend_fits_when_stacked():
    app = wb.gradcheck_panel()
    for width in (848, 400):
        app.fit(width)
        app.fig.canvas.draw()
        w = app.fig.get_size_inches()[0] * app.fig.dpi
        legend = app.ax_h.get_legend().get_window_extent(app.fig.canvas.get_renderer())
        assert legend.x0 >= 0 and legend.x1 <= w, (width, legend)


def test_input_gradient_figure_stops_growing_on_wide_screens():
    app = wb.input_gradient_explorer()
    app.fit(848)
    h848 = app.fig.get_size_inches()[1] * app.fig.dpi
    app.fit(1488)
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w <= 900 and h <= 1.1 * h848


@pytest.mark.parametrize("width", [400, 620, 848])
def test_router_mine_fits_the_width(width):
    app = wb.pooling_router(preset="tie", mine=_every_tie)
    app.fit(width)
    app.fig.canvas.draw()
    box = app.fig.get_tightbbox(app.fig.canvas.get_renderer())
    assert box.x0 >= -0.02 and box.x1 <= app.fig.get_figwidth() + 0.02
