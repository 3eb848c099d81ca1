"""Headless tests of the lecture-11 widgets: set controls, assert on the plotted data.

Expected values come from the syllabus (144 / 36 / 4 weights, h11 sees pixels 1, 2, 5, 6, the
AlexNet and VGG totals), from dlcore.counting / dlcore.conv, or from torch.
"""

from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.colors import to_hex

import dlcore as dl
from dlcore import counting as C
from dlcore.viz import architectures as va
from dlcore.widgets import architectures as W
from tests.widget_helpers import pixels, watch_full_draws

pytestmark = pytest.mark.lec11



# ---------------------------------------------------------------- connectivity_explorer
def _highlighted_pixels(app):
    """Input pixels (1-based) of the edges drawn thick, read back from the segments."""
    n = app.controls["input_size"].value
    pin, _ = va.node_positions(n * n, 1)
    segs = app.edges.get_segments()
    thick = np.asarray(app.edges.get_linewidths()) > 2
    starts = [tuple(s[0]) for s, t in zip(segs, thick) if t]
    return sorted(int(np.argmin(np.hypot(*(pin - p).T))) + 1 for p in starts)


def test_connectivity_counts_match_the_syllabus():
    app = W.connectivity_explorer()
    expected = {"dense": 144, "local": 36, "shared": 4}
    assert expected["dense"] == C.linear_params(16, 9, bias=False)
    assert expected["shared"] == C.conv2d_params(1, 1, 2, bias=False)
    for mode, n_weights in expected.items():
        app.controls["mode"].value = mode
        segs = app.edges.get_segments()
        colours = {to_hex(c, keep_alpha=False) for c in app.edges.get_colors()}
        assert len(segs) == (144 if mode == "dense" else 36)
        assert len(colours) == n_weights  # one colour per distinct weight
        assert app.state()["weights"].startswith(f"{mode}: {n_weights:,} weights")
        assert f"{n_weights:,} weights" in app.summary


def test_connectivity_highlights_the_units_inputs():
    app = W.connectivity_explorer()
    app.controls["unit"].value = "h11"
    assert app.state()["unit"] == "h11 is fed by pixels 1, 2, 5, 6."
    assert _highlighted_pixels(app) == [1, 2, 5, 6]
    app.controls["stride"].value = 2
    assert list(app.controls["unit"].options) == ["none", "h11", "h12", "h21", "h22"]
    seen = {}
    for unit in ("h12", "h21", "h22"):
        app.controls["unit"].value = unit
        seen[unit] = _highlighted_pixels(app)
    assert seen == {"h12": [3, 4, 7, 8], "h21": [9, 10, 13, 14], "h22": [11, 12, 15, 16]}


def test_connectivity_keeps_kernel_within_input():
    app = W.connectivity_explorer(kernel_size=3)
    app.controls["input_size"].value = 2
    assert app.controls["kernel_size"].value == 2
    assert len(app.inputs.get_offsets()) == 4
    assert len(app.outputs.get_offsets()) == 1
    visible = [t.get_text() for t in app.in_text if t.get_visible()]
    assert visible == ["1", "2", "3", "4"]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"mode": "sparse"}, ValueError, "mode must be one of dense, local, shared"),
    ({"input_size": 10}, ValueError, "input_size must be between 2 and 6"),
    ({"input_size": 4.0}, TypeError, "input_size must be an int"),
    ({"kernel_size": 5}, ValueError, "kernel_size must be between 1 and 4"),
    ({"stride": 0}, ValueError, "stride must be between 1 and 3"),
])
def test_connectivity_bad_presets(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        W.connectivity_explorer(**kwargs)


# ---------------------------------------------------------------- conv_matrix_explorer
def _torch_conv(x, w, stride):
    torch = pytest.importorskip("torch")
    out = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None],
                                     stride=stride)
    return out[0, 0].numpy()


def _output_texts(app):
    return np.array([float(t.get_text()) for t in app.o_text if t.get_visible()])


def test_conv_matrix_shows_tied_masked_matrix():
    app = W.conv_matrix_explorer()
    ties = app.im_m.get_array()
    assert ties.shape == (9, 16)
    assert np.count_nonzero(ties) == 36
    assert set(np.unique(ties)) == {0, 1, 2, 3, 4}
    # h11 uses pixels 1, 2, 5, 6 with kernel cells 1..4
    assert np.flatnonzero(ties[0]).tolist() == [0, 1, 4, 5]
    x = np.arange(1.0, 17.0).reshape(4, 4)
    expected = _torch_conv(x, app.kernel(), 1).ravel()
    np.testing.assert_allclose(_output_texts(app), expected)
    assert "144 entries" in app.state()["matrix"] and "36" in app.state()["matrix"]
    assert "largest difference 0.0e+00" in app.state()["check"]


def test_conv_matrix_follows_kernel_edits_and_stride():
    app = W.conv_matrix_explorer()
    app.controls["w00"].value = -2.5
    app.controls["w11"].value = 3.0
    app.controls["image"].value = "random"
    x = app.image()
    np.testing.assert_allclose(_output_texts(app), _torch_conv(x, app.kernel(), 1).ravel())
    values = sorted({float(t.get_text()) for t in app.m_text if t.get_visible()})
    assert values == sorted(set(app.kernel().ravel()))
    app.controls["stride"].value = 2
    assert app.im_m.get_array().shape == (4, 16)
    np.testing.assert_allclose(_output_texts(app), _torch_conv(x, app.kernel(), 2).ravel())


def test_conv_matrix_with_a_learner_image_and_kernel():
    img = np.array([[0.0, 1, 2], [3, 4, 5], [6, 7, 8]])
    kernel = np.array([[1.0, 0, -1], [1, 0, -1], [1, 0, -1]])
    app = W.conv_matrix_explorer(kernel=kernel, image=img)
    assert app.controls["image"].value == "user"
    assert app.im_m.get_array().shape == (1, 9)
    np.testing.assert_allclose(_output_texts(app), _torch_conv(img, kernel, 1).ravel())


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"kernel": [1.0, 2.0]}, ValueError, r"kernel must be a 2-D array of shape \(KH, KW\)"),
    ({"kernel": np.ones((4, 4))}, ValueError, "at most 3x3"),
    ({"image": np.ones((3, 4))}, ValueError, r"square \(n, n\) with 2 <= n <= 6"),
    ({"image": np.ones((7, 7))}, ValueError, r"square \(n, n\) with 2 <= n <= 6"),
    ({"kernel": np.ones((3, 3)), "image": np.ones((2, 2))}, ValueError, "does not fit"),
    ({"stride": 3}, ValueError, "stride must be 1 or 2"),
    ({"kernel": [[1.0, np.nan]]}, ValueError, "kernel"),
    ({"kernel": "edge"}, TypeError, "kernel must be an array of numbers"),
])
def test_conv_matrix_bad_presets(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        W.conv_matrix_explorer(**kwargs)


# ---------------------------------------------------------------- architecture_calculator
def _bar_widths(collection):
    return np.array([p.vertices[:, 0].max() for p in collection.get_paths()])


def test_calculator_totals_and_bars():
    app = W.architecture_calculator()
    assert "60,965,224 parameters" in app.state()["totals"]
    ref = C.summarize("alexnet")
    rows = [r for r in ref.rows if r.params]
    np.testing.assert_allclose(_bar_widths(app.bars_p),
                               [100 * r.params / ref.total_params for r in rows])
    np.testing.assert_allclose(_bar_widths(app.bars_m),
                               [100 * r.macs / ref.total_macs for r in rows])
    assert [t.get_text() for t in app.ax_p.get_yticklabels()] == [r.name for r in rows]
    fc = sum(r.params for r in rows if r.kind == "Linear") / ref.total_params
    assert f"{100 * fc:.1f}% of the parameters" in app.state()["totals"]


@pytest.mark.parametrize("name, total", [
    ("alexnet_ungrouped", "62,378,344"), ("alexnet_torchvision", "61,100,840"),
    ("vgg16", "138,357,544"), ("lenet5", "61,750"),
])
def test_calculator_presets(name, total):
    app = W.architecture_calculator()
    app.controls["network"].value = name
    assert f"{total} parameters (with biases)" in app.state()["totals"]


def test_calculator_tables_the_slides_numbers():
    app = W.architecture_calculator(architecture="alexnet_ungrouped")
    table = app.state()["table"]
    for value in ("34,944", "614,656", "885,120", "1,327,488", "884,992", "37,752,832",
                  "16,781,312", "4,097,000"):
        assert value in table
    app.controls["network"].value = "alexnet_khapra"
    table = app.state()["table"]
    for shape in ("256x23x23", "256x11x11", "384x9x9", "384x7x7", "256x5x5", "256x2x2", "1024"):
        assert shape in table
    for weights in ("34,848", "614,400", "884,736", "1,327,104"):
        assert weights in table


def test_calculator_bias_toggle():
    app = W.architecture_calculator(architecture="vgg16")
    app.controls["bias"].value = False
    total = C.summarize("vgg16").total_weights
    assert f"{total:,} parameters (weights only)" in app.state()["totals"]
    assert app.summary_table.total_biases == 0


def test_calculator_compact_table_hides_shape_preserving_layers():
    app = W.architecture_calculator(architecture="lenet5")
    assert "Tanh" not in app.state()["table"]
    app.controls["compact"].value = False
    assert "Tanh" in app.state()["table"]


def test_calculator_custom_layers():
    layers = [C.Conv2dSpec(6, 5), C.ReLUSpec(), C.MaxPool2dSpec(2), C.FlattenSpec(),
              C.LinearSpec(10)]
    app = W.architecture_calculator(layers=layers, input_shape=(3, 32, 32))
    assert app.controls["network"].value == "custom"
    expected = C.conv2d_params(3, 6, 5) + C.linear_params(6 * 14 * 14, 10)
    assert f"{expected:,} parameters" in app.state()["totals"]
    assert "456" in app.state()["table"]
    app.controls["network"].value = "lenet5"
    app.controls["network"].value = "custom"
    assert f"{expected:,} parameters" in app.state()["totals"]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"architecture": "resnet50"}, ValueError, "unknown architecture 'resnet50'"),
    ({"layers": [C.Conv2dSpec(6, 5)]}, ValueError, "input_shape .* is required"),
    ({"layers": [C.Conv2dSpec(6, 5), C.LinearSpec(10)], "input_shape": (3, 32, 32)}, ValueError,
     "add Flatten"),
    ({"layers": [C.Conv2dSpec(6, 50)], "input_shape": (3, 32, 32)}, ValueError,
     "does not fit input height 32"),
    ({"layers": ["conv"], "input_shape": (3, 32, 32)}, TypeError, "layer spec"),
    ({"input_shape": (3, 32, 32)}, ValueError, "only used with layers"),
    ({"bias": "yes"}, TypeError, "bias must be True or False"),
])
def test_calculator_bad_presets(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        W.architecture_calculator(**kwargs)


# ---------------------------------------------------------------- receptive_field_explorer
def _seen(app):
    mask = app.im_in.get_array()
    n = mask.shape[0]
    return sorted(int(r * n + c + 1) for r, c in zip(*np.nonzero(mask)))


def test_receptive_field_slides_examples():
    app = W.receptive_field_explorer()
    assert _seen(app) == [1, 2, 5, 6]
    assert "sees pixels 1, 2, 5, 6" in app.state()["field"]
    app.controls["preset"].value = "slides: 4x4 input, 2x2 kernel, stride 2"
    seen = {}
    for i in (1, 2):
        for j in (1, 2):
            app.controls["row"].value, app.controls["col"].value = i, j
            seen[(i, j)] = _seen(app)
    assert seen == {(1, 1): [1, 2, 5, 6], (1, 2): [3, 4, 7, 8], (2, 1): [9, 10, 13, 14],
                    (2, 2): [11, 12, 15, 16]}


def test_receptive_field_matches_the_recurrence():
    app = W.receptive_field_explorer(preset="three 3x3 convs on 9x9 (the field of one 7x7)")
    app.controls["layer"].value = 3
    assert app.controls["row"].max == 3
    app.controls["row"].value = app.controls["col"].value = 2
    r = dl.conv.receptive_field([(3, 1)] * 3).size
    assert r == 7
    mask = app.im_in.get_array()
    rows, cols = np.nonzero(mask)
    assert mask.sum() == r * r and np.ptp(rows) + 1 == r and np.ptp(cols) + 1 == r
    assert app.window.get_width() == r
    assert "r = 1 -> 3 -> 5 -> 7" in app.state()["formula"]


def test_receptive_field_alexnet_and_padding_clip():
    app = W.receptive_field_explorer(preset="AlexNet conv1, pool1, conv2 on 227x227")
    app.controls["layer"].value = 3
    app.controls["row"].value = app.controls["col"].value = 10
    r = dl.conv.receptive_field([(11, 4), (3, 2), (5, 1)]).size
    assert int(app.im_in.get_array().sum()) == r * r
    app.controls["row"].value = app.controls["col"].value = 1
    assert int(app.im_in.get_array().sum()) < r * r
    assert "padding" in app.state()["field"]


def test_receptive_field_custom_stack_and_click():
    stack = [(3, 1), (2, 2), (3, 1), (3, 1)]
    app = W.receptive_field_explorer(layers=stack, input_size=16)
    assert app.controls["preset"].value == "your layers"
    app.controls["layer"].value = 4
    size = dl.conv.receptive_field(stack).size
    assert int(app.im_in.get_array().sum()) == size * size
    app._on_click(SimpleNamespace(inaxes=app.ax_l, xdata=2.0, ydata=1.0))
    assert (app.controls["row"].value, app.controls["col"].value) == (2, 3)
    rows, cols = np.nonzero(app.im_in.get_array())
    jump = dl.conv.receptive_field(stack).jump
    assert (rows.min(), cols.min()) == (1 * jump, 2 * jump)
    # a click in the same column still moves the field (one update for both sliders)
    app._on_click(SimpleNamespace(inaxes=app.ax_l, xdata=2.2, ydata=2.1))
    rows, cols = np.nonzero(app.im_in.get_array())
    assert (rows.min(), cols.min()) == (2 * jump, 2 * jump)
    app._on_click(SimpleNamespace(inaxes=app.ax_in, xdata=0.0, ydata=0.0))  # other panel
    assert (app.controls["row"].value, app.controls["col"].value) == (3, 3)


def test_receptive_field_accepts_counting_specs():
    layers = [C.Conv2dSpec(8, 3, padding=1), C.ReLUSpec(), C.MaxPool2dSpec(2),
              C.Conv2dSpec(8, 3, padding=1)]
    app = W.receptive_field_explorer(layers=layers, input_size=16)
    app.controls["layer"].value = 3
    app.controls["row"].value = app.controls["col"].value = 3  # away from the padding
    assert int(app.im_in.get_array().sum()) == dl.conv.receptive_field(
        [(3, 1), (2, 2), (3, 1)]).size ** 2


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"preset": "resnet"}, ValueError, "unknown preset 'resnet'"),
    ({"layers": [(3, 1)]}, ValueError, "input_size .* is required"),
    ({"layers": [C.FlattenSpec()], "input_size": 8}, ValueError, "no receptive field geometry"),
    ({"layers": [(9, 1)], "input_size": 4}, ValueError, "layer 0: .*does not fit"),
    ({"layers": [(3, 1, 1, 1)], "input_size": 8}, ValueError, r"\(kernel, stride\)"),
    ({"layers": [(3, 0)], "input_size": 8}, ValueError, "stride must be between 1"),
    ({"layers": [C.Conv2dSpec(4, (3, 5))], "input_size": 8}, ValueError, "only square kernels"),
    ({"layers": [C.ReLUSpec()], "input_size": 8}, ValueError, "at least one conv or pooling"),
])
def test_receptive_field_bad_presets(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        W.receptive_field_explorer(**kwargs)


# ------------------------------------------------------- fitting, reading, speed (issue 10)
@pytest.mark.parametrize("name, changes", [
    ("connectivity_explorer", [("input_size", 5), ("kernel_size", 3), ("mode", "dense"),
                               ("unit", "h11"), ("stride", 2), ("input_size", 6)]),
    ("conv_matrix_explorer", [("w00", 1.5), ("w11", -2.0), ("image", "edge"), ("stride", 2),
                              ("w01", 0.0)]),
    ("receptive_field_explorer", [("row", 2), ("col", 3),
                                  ("preset", "two 2x2 convs on a 4x4 input"), ("layer", 2),
                                  ("preset", "VGG blocks 1-2 on 32x32 (3x3 convs, padding 1)"),
                                  ("layer", 3), ("row", 5)]),
    ("architecture_calculator", [("bias", False), ("network", "zfnet"), ("network", "vgg16"),
                                 ("compact", False)]),
])
def test_fast_redraws_paint_what_a_full_draw_paints(name, changes):
    """Every change is shown by a blit or a panel repaint (no full draw, no round trip to the
    browser) and gives the same pixels as drawing the whole figure again."""
    app = getattr(W, name)()
    app.fit(848)
    full_draws = watch_full_draws(app)
    app.fig.canvas.draw()
    for key, value in changes:
        full_draws.clear()
        app.controls[key].value = value
        assert not full_draws, f"{key} = {value!r} needed a full draw"
        fast = pixels(app)
        app.fig.canvas.draw()
        differ = np.abs(fast.astype(int) - pixels(app).astype(int)).max(axis=2) > 40
        assert not differ.any(), f"{key} = {value!r}: {differ.sum()} stale pixels"


def test_receptive_field_single_layer_disables_the_layer_slider():
    app = W.receptive_field_explorer()  # the slides' one-layer stack
    layer = app.controls["layer"]
    assert layer.disabled and "single layer" in layer.tooltip and layer.value == 1
    assert layer.max > layer.min  # a slider that can be drawn, not a dead one
    assert not app.controls["row"].disabled and app.controls["row"].max == 3
    app.controls["preset"].value = "three 3x3 convs on 9x9 (the field of one 7x7)"
    assert not layer.disabled and layer.max == 3
    assert layer.tooltip == "which layer the unit lives in"
    app.controls["preset"].value = "slides: 4x4 input, 2x2 kernel, stride 2"
    assert layer.disabled


def test_receptive_field_one_unit_layer_disables_row_and_column():
    app = W.receptive_field_explorer(layers=[(2, 1), (3, 1)], input_size=4)  # 4 -> 3 -> 1
    app.controls["layer"].value = 2
    for key in ("row", "col"):
        assert app.controls[key].disabled and "only unit" in app.controls[key].tooltip
        assert app.controls[key].value == 1
    assert "h11 of layer 2" in app.state()["field"]
    app.controls["layer"].value = 1
    assert not app.controls["row"].disabled and app.controls["row"].max == 3
    assert app.controls["row"].tooltip == "the unit's row in layer l"


def test_connectivity_controls_sit_beside_the_graph_at_848():
    app = W.connectivity_explorer()
    app.fit(848)
    assert app._body.layout.flex_flow == "row"
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w <= 848 - app._controls_px - 12 and h <= 560
    assert [t.get_text() for t in app.in_text if t.get_visible()] == [str(i) for i in
                                                                        range(1, 17)]
    app.controls["input_size"].value = 6
    app.controls["kernel_size"].value = 1
    shown = [t for t in app.in_text + app.out_text if t.get_visible()]
    assert shown and min(t.get_fontsize() for t in shown) >= 7.5
    app.fig.canvas.draw()
    for texts in (app.in_text, app.out_text):  # 36 nodes: every other one is labelled
        ys = sorted(t.get_window_extent().y0 for t in texts if t.get_visible())
        assert len(ys) == 18 and min(np.diff(ys)) >= 12
    app.fit(400)
    assert app._body.layout.flex_flow == "column"


def test_conv_matrix_numbers_fit_or_hide_and_ticks_thin_out():
    app = W.conv_matrix_explorer(kernel=np.full((3, 3), -1.5), image=np.ones((6, 6)))
    app.fit(848)
    m_rows, m_cols = app.im_m.get_array().shape
    assert (m_rows, m_cols) == (16, 36)
    assert app.m_numbers_hidden and not any(t.get_visible() for t in app.m_text)
    assert "numbers are hidden" in app.state()["matrix"]
    assert 0 < len(app.ax_m.get_xticks()) < 36  # every k-th pixel is labelled
    app = W.conv_matrix_explorer()
    app.fit(848)
    assert not app.m_numbers_hidden
    assert min(t.get_fontsize() for t in app.m_text if t.get_visible()) >= 7.5
    assert len(app.ax_m.get_xticks()) == 16
    assert "hidden" not in app.state()["matrix"]


def test_conv_matrix_weight_sliders_are_laid_out_as_the_kernel():
    app = W.conv_matrix_explorer(kernel=np.arange(6.0).reshape(2, 3))
    header, row0, row1, last = app._controls_box.children
    assert [c.description for c in row0.children] == ["w[0,0]", "w[0,1]", "w[0,2]"]
    assert [c.description for c in row1.children] == ["w[1,0]", "w[1,1]", "w[1,2]"]
    assert "kernel weight w[1,2]" in app.controls["w12"].tooltip
    assert list(last.children) == [app.controls["stride"], app.controls["image"]]


def test_calculator_fits_one_screen():
    """Controls, bars and a ten-row scrolling table: the whole widget stays under 900 px."""
    from dlcore.widgets.architectures.calculator import TABLE_PX

    app = W.architecture_calculator(architecture="vgg16")
    app.fit(848)
    table = app.readouts["table"]
    assert table.layout.max_height == f"{TABLE_PX}px" and table.layout.overflow == "auto"
    assert "position: sticky" in table.value  # header and totals stay in view
    _, h = app.fig.get_size_inches() * app.fig.dpi
    assert h + TABLE_PX + 250 <= 900
    assert app.fig.legends and app.ax_m.get_legend() is None  # the legend is below the bars
    ticks = app.ax_p.get_yticklabels()
    assert len(ticks) == 16 and all(t.get_fontsize() >= 7.5 for t in ticks)


def test_conv_matrix_with_a_non_square_kernel():
    img = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 0.0, -1.0]])
    app = W.conv_matrix_explorer(kernel=kernel, image=img)
    assert app.im_m.get_array().shape == (8, 16)  # a 4x2 output
    np.testing.assert_allclose(_output_texts(app), _torch_conv(img, kernel, 1).ravel())
    assert app.ax_o.get_title() == "M vec(x) as 4x2"
    assert [t.get_text() for t in app.ax_m.get_yticklabels()][:3] == ["h11", "h12", "h21"]


# ---------------------------------------------------------------- architecture_calculator(mine=)
# The learner's counts are written here from the rule of lecture 11 (one filter: k x k x c_in
# weights and one bias), not from dlcore; the expected numbers are the syllabus's AlexNet.

def _my_conv_params(c_in, c_out, k, bias=True):
    return (k * k * c_in + (1 if bias else 0)) * c_out


def _no_bias(c_in, c_out, k, bias=True):
    return k * k * c_in * c_out


def test_calculator_mine_correct_counts_match():
    app = W.architecture_calculator(architecture="alexnet_ungrouped", mine=_my_conv_params)
    message = app.state()["mine"]
    assert "_my_conv_params counted the 5 conv layers: all 5 counts match" in message
    assert sorted(v for v, _ in app.mine_rows.values()) == sorted(
        [34_944, 614_656, 885_120, 1_327_488, 884_992])
    assert not any(d for _, d in app.mine_rows.values()) and "≠" not in app.state()["table"]
    app.controls["bias"].value = False                   # now called with bias=False
    assert "all 5 counts match" in app.state()["mine"]
    assert sorted(v for v, _ in app.mine_rows.values())[0] == 34_848


def test_calculator_mine_wrong_counts_are_marked():
    app = W.architecture_calculator(architecture="alexnet_ungrouped", mine=_no_bias)
    message = app.state()["mine"]
    assert "5 of 5 counts differ from dl.counting.conv2d_params" in message
    assert "conv1, conv2, conv3, conv4, conv5" in message
    # the largest error is the largest number of filters: 384 biases (conv3 and conv4)
    assert "the largest error is 384 at conv3: yours 884,736, correct 885,120" in message
    table = app.state()["table"]
    assert "34,848≠34,944" in table and "1,327,104≠1,327,488" in table
    assert "62,378,344 parameters" in app.state()["totals"]  # the totals stay dlcore's
    app.controls["bias"].value = False                       # without biases it is right
    assert "all 5 counts match" in app.state()["mine"] and "≠" not in app.state()["table"]


def test_calculator_mine_grouped_layers_and_other_networks():
    seen = []

    def spy(c_in, c_out, k, bias=True):
        seen.append((c_in, c_out, k))
        return _my_conv_params(c_in, c_out, k, bias)

    app = W.architecture_calculator(architecture="alexnet", mine=spy)
    assert "all 5 counts match" in app.state()["mine"]
    assert (48, 256, 5) in seen                 # conv2 of the two-GPU AlexNet: 96 / 2 channels
    app.controls["network"].value = "vgg16"
    assert "counted the 13 conv layers: all 13 counts match" in app.state()["mine"]


def test_calculator_mine_raising_blank_and_not_a_function():
    def broken(c_in, c_out, k, bias=True):
        return k[0] * c_in

    app = W.architecture_calculator(mine=broken)
    message = app.state()["mine"]
    assert "broken raised TypeError" in message and "layer conv1: c_in=3, c_out=96, k=11" in message
    assert "34,944" in app.state()["table"] and "≠" not in app.state()["table"]
    app.controls["network"].value = "lenet5"               # still answers its controls
    assert "61,750 parameters" in app.state()["totals"]
    assert "broken raised TypeError" in app.state()["mine"]

    def blank(c_in, c_out, k, bias=True):
        raise NotImplementedError

    assert "not written yet" in W.architecture_calculator(mine=blank).state()["mine"]
    none = W.architecture_calculator(mine=lambda c_in, c_out, k, bias=True: None)
    assert "not written yet (it returns None)" in none.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your parameter-count function"):
        W.architecture_calculator(mine=_my_conv_params(3, 96, 11))
    assert "mine" not in W.architecture_calculator().state()
