"""Widgets of lecture 10 (dlcore.widgets.conv), built headless: controls in, plotted data out.

Expected values are the numbers of the course map (L10), typed in here, or come from
``dlcore.conv`` called on the same arrays; never from the widget itself.
"""

import numpy as np
import pytest

import dlcore as dl
from dlcore import conv
from dlcore.data.slide_examples import SLIDE_EXAMPLES
from dlcore.widgets import conv as wc
from tests.widget_helpers import pixels, watch_full_draws

pytestmark = pytest.mark.lec10

CNN2_OUT = np.array([[12, 12, 17], [10, 17, 19], [9, 6, 14]])
CNN2_FLIPPED = np.array([[18, 20, 19], [10, 9, 17], [11, 8, 14]])
SMOOTHED = [1.811, 1.967, 2.112, 2.269, 2.413, 2.569]



def _image(grid):
    return np.ma.getdata(grid.image.get_array())


# ---- smoothing_explorer ------------------------------------------------------------------

def test_smoothing_explorer_reproduces_the_corrected_smoother():
    app = wc.smoothing_explorer()
    np.testing.assert_allclose(app.line_s.get_ydata(), SMOOTHED, atol=5e-4)
    np.testing.assert_array_equal(app.line_s.get_xdata(), np.arange(6, 12))
    assert [b.get_height() for b in app.bars] == [0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5]
    app.controls["t"].value = 9
    st = app.state()
    assert st["formula"].endswith("= 2.269") and st["formula"].startswith("s_9")
    assert "2.4·0.5" in st["formula"]  # w_0 multiplies the newest reading x_9 = 2.4
    np.testing.assert_allclose(app.dot.get_ydata(), [2.269], atol=5e-4)
    assert "sum to 1" in st["sum"]
    assert app.fig.axes[1].get_title() and app.fig.axes[1].get_xlabel() == "time step t"
    assert "s_9 = 2.269" in app.summary


def test_smoothing_explorer_weights_and_normalising():
    app = wc.smoothing_explorer()
    for a in range(7):
        app.controls[f"w{a}"].value = 0.5
    x = SLIDE_EXAMPLES["smoother_signal"].value
    np.testing.assert_allclose(app.line_s.get_ydata(), 0.5 * np.convolve(x, np.ones(7),
                                                                          "valid"))
    assert "do not sum to 1" in app.state()["sum"]
    app.controls["normalise"].value = True
    np.testing.assert_allclose(app.line_s.get_ydata(), np.convolve(x, np.ones(7) / 7, "valid"))


def test_smoothing_explorer_own_signal_and_bad_input():
    app = wc.smoothing_explorer(signal=np.arange(10.0), taps=[0.5, 0.5])
    assert app.controls["signal"].value == "your signal"
    np.testing.assert_allclose(app.line_s.get_ydata(), np.arange(9) + 0.5)
    app.controls["signal"].value = "noisy track (40 readings, fixed noise)"
    assert app.controls["t"].max == 39 and len(app.line_s.get_ydata()) == 39
    with pytest.raises(ValueError, match=r"between 1 and 9"):
        wc.smoothing_explorer(taps=np.ones(12))
    with pytest.raises(ValueError, match="at least as many readings"):
        wc.smoothing_explorer(signal=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"1-D array of shape \(T,\)"):
        wc.smoothing_explorer(signal=np.ones((3, 3)))


# ---- conv_explorer -----------------------------------------------------------------------

def _run_to_end(app):
    app.controls["step"].value = app.controls["step"].max
    return _image(app.g_out)


def test_conv_explorer_default_is_the_slide_example():
    app = wc.conv_explorer()
    first = _image(app.g_out)
    assert first[0, 0] == 12 and np.isnan(first.ravel()[1:]).all()  # only cell 0 written
    np.testing.assert_array_equal(_image(app.g_in), SLIDE_EXAMPLES["cnn2_input"].value)
    assert app.g_prod.labels()[2] == "2×2\n=4"  # X[0, 2] K[0, 2]
    assert app.controls["step"].max == 8
    np.testing.assert_array_equal(_run_to_end(app), CNN2_OUT)
    st = app.state()
    assert st["cell"].endswith("= 14") and "out[2, 2]" in st["cell"]
    assert "⌊2/1⌋ + 1 = 3" in st["size"] and st["warning"] == ""
    assert "cross-correlation" in st["mode"]
    mask = app.g_in.mask
    assert mask[2:5, 2:5].all() and mask.sum() == 9


def test_conv_explorer_flip_gives_the_distractor():
    app = wc.conv_explorer(flip=True)
    np.testing.assert_array_equal(_run_to_end(app), CNN2_FLIPPED)
    assert "rotated by 180" in app.state()["mode"]
    app.controls["flip"].value = False
    np.testing.assert_array_equal(_image(app.g_out), CNN2_OUT)


def test_conv_explorer_presets_bias_padding_stride():
    app = wc.conv_explorer(preset="bias example", kernel_preset="bias example", bias=2)
    np.testing.assert_array_equal(_run_to_end(app), [[-1, 2], [0, 1]])
    app = wc.conv_explorer(preset="sharpen", kernel_preset="sharpen", pad=1, stride=2)
    np.testing.assert_array_equal(_run_to_end(app),
                                  [[320, 198, 281], [205, 111, 197], [317, 210, 291]])
    assert _image(app.g_in).shape == (7, 7)  # padded input is drawn
    app = wc.conv_explorer(preset="halves", kernel_preset="vertical edge")
    np.testing.assert_array_equal(_run_to_end(app), SLIDE_EXAMPLES["rows_output"].value)
    app.controls["image"].value = "edge example 5×5 (Arya)"
    np.testing.assert_array_equal(_run_to_end(app), [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]])


def test_conv_explorer_kernel_editing_and_presets():
    app = wc.conv_explorer()
    app.controls["kernel_preset"].value = "box blur (ones / 9)"
    assert app.controls["kernel"].value == "1/9 1/9 1/9\n1/9 1/9 1/9\n1/9 1/9 1/9"
    img = SLIDE_EXAMPLES["cnn2_input"].value
    np.testing.assert_allclose(_run_to_end(app), conv.correlate2d(img, np.ones((3, 3)) / 9))
    app.controls["kernel"].value = "1, -1\n0 0.5"
    np.testing.assert_allclose(_run_to_end(app), conv.correlate2d(img, [[1, -1], [0, 0.5]]))
    app.controls["kernel"].value = "1 2\n3"
    assert "same number of entries" in app.state()["warning"]
    assert np.isnan(_image(app.g_out)).all()
    app.controls["kernel"].value = "a b"
    assert "Error" in app.state()["warning"] and "1/9" in app.state()["warning"]


def test_conv_explorer_stride_warning_dilation_and_misfit():
    app = wc.conv_explorer(stride=2)
    st = app.state()
    assert "⌊2/2⌋ + 1 = 2" in st["size"] and st["warning"] == ""
    app.controls["pad"].value = 1  # (5 + 2 - 3) / 2 = 2: tiles; stride 3 does not
    app.controls["stride"].value = 3
    st = app.state()
    assert "does not tile" in st["warning"] and "last 1 padded rows" in st["warning"]
    np.testing.assert_array_equal(_run_to_end(app), conv.correlate2d(
        SLIDE_EXAMPLES["cnn2_input"].value, SLIDE_EXAMPLES["cnn2_kernel"].value, stride=3, pad=1))
    app.controls["stride"].value = 1
    app.controls["pad"].value = 0
    app.controls["dilation"].value = 2  # spans 5 cells: one output cell
    np.testing.assert_array_equal(_image(app.g_out), conv.correlate2d(
        SLIDE_EXAMPLES["cnn2_input"].value, SLIDE_EXAMPLES["cnn2_kernel"].value, dilation=2))
    mask = app.g_in.mask
    assert mask[::2, ::2].all() and mask.sum() == 9
    app.controls["dilation"].value = 3  # spans 7 > 5 cells
    assert "does not fit" in app.state()["warning"]
    app.controls["dilation"].value = 1
    assert app.state()["warning"] == ""


def test_conv_explorer_own_image_and_kernel():
    rng = np.random.default_rng(0)
    img, k = rng.integers(-3, 4, (6, 7)).astype(float), np.array([[1.0, 2.0, 0.0]])
    app = wc.conv_explorer(image=img, kernel=k, bias=-1.0)
    assert app.controls["image"].value == "your image"
    assert app.controls["kernel_preset"].value == "your kernel"
    np.testing.assert_allclose(_run_to_end(app), conv.correlate2d(img, k) - 1.0)
    app.controls["image"].value = "handwritten digit 8×8 (counts 0–16)"
    assert _image(app.g_in).shape == (8, 8) and _image(app.g_in).max() <= 16


def test_conv_explorer_bad_arguments():
    with pytest.raises(ValueError, match="preset must be one of"):
        wc.conv_explorer(preset="no such image")
    with pytest.raises(ValueError, match="kernel_preset must be one of"):
        wc.conv_explorer(kernel_preset="002")  # several presets contain it
    with pytest.raises(ValueError, match="at most 32x32"):
        wc.conv_explorer(image=np.zeros((40, 40)))
    with pytest.raises(ValueError, match="at most 7x7|between 1x1 and 7x7"):
        wc.conv_explorer(kernel=np.ones((9, 9)))
    with pytest.raises(ValueError, match=r"2-D array of shape \(H, W\)"):
        wc.conv_explorer(image=np.zeros(5))
    with pytest.raises(ValueError, match="stride must be between 1 and 4"):
        wc.conv_explorer(stride=0)
    with pytest.raises(ValueError, match="dilation must be between 1 and 3"):
        wc.conv_explorer(dilation=5)
    with pytest.raises(TypeError, match="pad"):
        wc.conv_explorer(pad=1.5)
    with pytest.raises(ValueError, match="bias must be between"):
        wc.conv_explorer(bias=100)


# ---- output_size_explorer ----------------------------------------------------------------

@pytest.mark.parametrize("n, k, p, s, expected", [
    (7, 3, 0, 1, 5), (7, 5, 0, 1, 3), (7, 3, 1, 1, 7), (7, 3, 1, 2, 4), (8, 3, 1, 2, 4),
])
def test_output_size_explorer_syllabus_sizes(n, k, p, s, expected):
    app = wc.output_size_explorer(n=n, k=k, pad=p, stride=s)
    assert app.n_out == expected
    assert app.state()["formula"].endswith(f"= {expected}")
    assert len(app.anchors.get_offsets()) == expected ** 2
    assert np.ma.getdata(app.grid.get_array()).shape == (n + 2 * p, n + 2 * p)


def test_output_size_explorer_warnings():
    app = wc.output_size_explorer(n=8, k=3, pad=1, stride=2)
    st = app.state()
    assert "3.5 is not an integer" in st["warning"] and "last 1" in st["warning"]
    assert "n/s = 8/2 = 4" in st["estimate"]
    cat = np.ma.getdata(app.grid.get_array())
    assert (cat[-1] % 2 == 1).all() and (cat[:-1, :-1] % 2 == 0).all()  # last row never reached
    app.controls["n"].value = 7
    assert "tiles the padded input exactly" in app.state()["warning"]
    assert "n/s = 7/2 = 3.5" in app.state()["estimate"]
    app.controls["stride"].value = 4  # 7 + 2 - 3 = 6 = 1*4 + 2: two padded lines missed
    assert app.n_out == 2 and "last 2" in app.state()["warning"]
    app.controls.update()
    app.controls["k"].value = 7
    app.controls["pad"].value = 0
    app.controls["dilation"].value = 2
    assert app.n_out is None and "does not fit" in app.state()["formula"]
    assert len(app.anchors.get_offsets()) == 0


def test_size_and_volume_bad_arguments():
    with pytest.raises(ValueError, match="n must be between 1 and 16"):
        wc.output_size_explorer(n=40)
    with pytest.raises(ValueError, match="stride must be between 1 and 4"):
        wc.output_size_explorer(stride=0)
    with pytest.raises(ValueError, match="n_filters must be between 1 and 8"):
        wc.channel_volume(n_filters=12)
    with pytest.raises(ValueError, match="depth must be between 1 and 8"):
        wc.channel_volume(depth=0)


def test_output_size_explorer_dilation_gaps():
    app = wc.output_size_explorer(n=9, k=3, stride=2, dilation=2)
    assert app.n_out == conv.output_size(9, 3, stride=2, dilation=2) == 3
    assert len(app.first.get_offsets()) == 9
    np.testing.assert_array_equal(np.unique(app.first.get_offsets()), [0, 2, 4])
    assert "fall between the taps" in app.state()["warning"]


# ---- channel_volume ----------------------------------------------------------------------

def test_channel_volume_shapes_and_presets():
    app = wc.channel_volume()
    assert app.out_shape == (1, 2, 3, 3)
    assert "(2, 3, 3, 3)" in app.state()["shapes"] and "56 parameters" in app.state()["params"]
    visible = [b.polys[0].get_visible() for b in app.out_boxes]
    assert visible == [True, True] + [False] * 6
    assert sum(b.polys[0].get_visible() for b in app.in_boxes) == 3
    app.controls["example"].value = "RGB 5×5, K=2, F=3, S=2, P=1 (Arya)"
    assert app.out_shape == (1, 2, 3, 3) and app.controls["pad"].value == 1
    app.controls["example"].value = "32×32×3, six 5×5 filters (Arya)"
    assert app.out_shape == (1, 6, 28, 28)
    assert app.controls["example"].value.startswith("32×32×3")  # the menu keeps the example
    assert app.t_out.get_text() == "output 28×28×6"
    assert sum(b.polys[0].get_visible() for b in app.filters) == 6
    app.controls["n_filters"].value = 4  # leaving the example resets the menu
    assert app.controls["example"].value == "choose with the sliders"
    assert app.out_shape == (1, 4, 28, 28)
    # the filter boxes are as deep as the input: C channels
    depth = np.ptp(app.filters[0].polys[1].get_xy()[:, 0]) - 5 * 3.2 / 32
    assert depth == pytest.approx(3 * 0.3 * 0.45)


def test_channel_volume_misfit():
    app = wc.channel_volume(n=3, k=5)
    assert app.out_shape is None and "Error" in app.state()["shapes"]
    app.controls["pad"].value = 1
    assert app.out_shape == (1, 2, 1, 1)


# ---- photo_filter ------------------------------------------------------------------------

def test_photo_filter_matches_correlate2d_on_the_photo():
    photo = dl.data.sample_image(downsample=4)
    app = wc.photo_filter()
    k = SLIDE_EXAMPLES["edge_kernel"].value
    np.testing.assert_allclose(app.response, conv.correlate2d(photo, k, pad=1))
    np.testing.assert_allclose(np.ma.getdata(app.im_out.get_array()), app.response)
    assert "detector" in app.state()["meaning"]
    assert app.im_out.get_cmap().name == "PuOr"
    app.controls["kernel"].value = "blur: ones / 9 (Arya)"
    np.testing.assert_allclose(app.response, conv.correlate2d(photo, np.ones((3, 3)) / 9, pad=1))
    assert "sum to 1" in app.state()["meaning"] and app.im_out.get_cmap().name == "gray"
    app.controls["same"].value = False
    app.controls["stride"].value = 2
    assert app.response.shape == (52, 79)
    assert "→ 52×79" in app.state()["shape"]
    app.controls["magnitude"].value = True
    assert np.ma.getdata(app.im_out.get_array()).min() >= 0


def test_photo_filter_own_image_and_kernel():
    img = np.zeros((10, 12))
    img[:, 6:] = 1.0
    app = wc.photo_filter(kernel=[[1.0, -1.0]], image=img, same=False)
    assert app.controls["kernel"].value == "your kernel"
    np.testing.assert_allclose(app.response, conv.correlate2d(img, [[1.0, -1.0]]))
    assert app.response[0, 5] == -1.0
    app = wc.photo_filter(kernel="sharpen", image=img)
    np.testing.assert_allclose(app.response, conv.correlate2d(img, conv.KERNELS["sharpen"],
                                                              pad=1))
    with pytest.raises(ValueError, match="kernel must be one of"):
        wc.photo_filter(kernel="emboss")
    with pytest.raises(ValueError, match="at least 8x8"):
        wc.photo_filter(image=np.zeros((4, 4)))


# ---- pooling_explorer --------------------------------------------------------------------

def test_pooling_explorer_slide_examples():
    app = wc.pooling_explorer()
    np.testing.assert_array_equal(_image(app.g_ref), [[8, 4], [7, 5]])
    app.controls["stride"].value = 1
    np.testing.assert_array_equal(_image(app.g_ref), [[8, 8, 4], [8, 8, 5], [7, 6, 5]])
    assert "⌊(4 − 2)/1⌋ + 1 = 3" in app.state()["formula"]
    app.controls["stride"].value = 2
    app.controls["mode"].value = "average pooling"
    np.testing.assert_allclose(_image(app.g_ref), [[4.5, 2.5], [4.25, 3.0]])
    assert "parameters: 0" in app.state()["params"]
    app.controls["step"].value = 3
    mask = app.g_in.mask
    assert mask[2:, 2:].all() and mask.sum() == 4
    assert "window (1, 1) gives 3" in app.state()["formula"]


def test_pooling_explorer_shift_invariance():
    x = np.zeros((4, 4))
    x[0, 0], x[2, 3] = 5.0, 7.0  # the 5 stays in its window after a shift, the 7 leaves
    app = wc.pooling_explorer(x=x, shift=1)
    np.testing.assert_array_equal(_image(app.g_ref), [[5, 0], [0, 7]])
    np.testing.assert_array_equal(_image(app.g_new), [[5, 0], [0, 0]])
    np.testing.assert_array_equal(app.pooled_shifted, conv.max_pool2d_forward(
        np.pad(x, ((0, 0), (1, 0)))[None, None, :, :4])[0][0, 0])
    assert "changes 1 of 4 pooled values" in app.state()["invariance"]
    app.controls["shift"].value = 0
    assert "move the shift slider" in app.state()["invariance"]


def test_pooling_explorer_presets_and_errors():
    app = wc.pooling_explorer(preset="digit", mode="avg", size=2, stride=2)
    assert _image(app.g_ref).shape == (4, 4)
    app.controls["size"].value = 4
    app.controls["stride"].value = 4
    assert _image(app.g_ref).shape == (2, 2)
    app = wc.pooling_explorer(preset="slide example 4×4", size=4)
    app.controls["size"].value = 4
    app.controls["input"].value = "second slide example 4×4 (Khapra)"
    assert _image(app.g_ref).shape == (1, 1) and _image(app.g_ref)[0, 0] == 8
    with pytest.raises(ValueError, match="'max' or 'avg'"):
        wc.pooling_explorer(mode="min")
    with pytest.raises(ValueError, match="at most 16x16"):
        wc.pooling_explorer(x=np.zeros((20, 20)))
    with pytest.raises(ValueError, match="preset must be one of"):
        wc.pooling_explorer(preset="nothing")
    with pytest.raises(ValueError, match="shift must be between 0 and 2"):
        wc.pooling_explorer(shift=3)


def test_labels_cite_decks_by_author_not_by_file():
    """Dropdown options are learner-facing: a deck's author, never a text file, line or 'seed'."""
    import re

    from dlcore.widgets.conv import _presets as presets
    from dlcore.widgets.conv.volume import _VOLUME_PRESETS

    labels = [*presets.IMAGE_PRESETS, *presets.KERNEL_PRESETS, *presets.PHOTO_KERNELS,
              *presets.POOL_PRESETS, *_VOLUME_PRESETS,
              *wc.smoothing_explorer().controls["signal"].options]
    for label in labels:
        assert not re.search(r"seed|\bl\. ?\d|\b00[0-4]\b|lines? \d", label, re.I), label
    assert "slide example 5×5 (Kiran)" in presets.IMAGE_PRESETS
    assert "slide example 4×4 (Khapra)" in presets.POOL_PRESETS
    assert sum("Arya" in label for label in labels) >= 10


# ---- fitting the screen, readable numbers, fast redraws (issue 10) -----------------------

def _assert_fast_redraws_match_full_draws(app, changes, width=848):
    """Every change is shown by a blit or a panel repaint (no full draw) and gives the same
    pixels as drawing the whole figure again."""
    app.fit(width)
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


@pytest.mark.parametrize("name, changes", [
    ("conv_explorer", [("step", 1), ("bias", 1.5), ("stride", 2), ("pad", 1), ("flip", True),
                       ("image", "edge example 5×5 (Arya)"), ("dilation", 2), ("pad", 0)]),
    ("pooling_explorer", [("step", 1), ("shift", 1), ("size", 3), ("stride", 1), ("step", 3),
                          ("mode", "average pooling"), ("input", "isolated peaks 8×8")]),
    ("smoothing_explorer", [("w6", 0.5), ("t", 8), ("w0", 0.9), ("normalise", True),
                            ("signal", "noisy track (40 readings, fixed noise)"), ("t", 30)]),
    ("output_size_explorer", [("n", 8), ("k", 4), ("pad", 1), ("stride", 2), ("dilation", 2),
                              ("n", 2)]),
    ("channel_volume", [("depth", 5), ("n_filters", 4), ("n", 12), ("k", 5), ("pad", 2)]),
    ("photo_filter", [("stride", 2), ("kernel", "Gaussian blur"), ("magnitude", True),
                      ("same", False), ("stride", 1)]),
])
def test_fast_redraws_paint_what_a_full_draw_paints(name, changes):
    _assert_fast_redraws_match_full_draws(getattr(wc, name)(), changes)


def test_conv_explorer_step_is_blitted_and_cheap():
    """The output-cell slider redraws the window, the products and the output only: the
    input's numbers stay in the cached background."""
    app = wc.conv_explorer()
    dynamic = set(map(id, app._dynamic))
    assert not any(id(t) in dynamic for t in app.g_in.texts)
    assert all(id(t) in dynamic for t in app.g_out.texts + app.g_prod.texts)
    assert len(app.g_in.texts) <= 64  # text pools grow with the grids, not up front


def test_grid_numbers_are_readable_or_hidden():
    """Cell numbers are at least 7.5 pt (10 px); when they do not fit the cells they are
    hidden and the readout says so."""
    app = wc.conv_explorer(preset="photo patch", pad=3)
    app.fit(848)
    for grid in (app.g_in, app.g_prod, app.g_out):
        sizes = {t.get_fontsize() for t in grid.texts if t.get_visible()}
        assert all(s >= 7.5 for s in sizes)
    assert app.g_in.numbers_hidden  # 16 cells of up to 255 in a 300 px panel
    assert "numbers hidden in the input and output panels" in app.state()["cell"]
    app.controls["image"].value = "slide example 5×5 (Kiran)"
    app.controls["pad"].value = 0
    assert not app.g_in.numbers_hidden and len(app.g_in.labels()) == 25
    assert "hidden" not in app.state()["cell"]
    # a 7x7 kernel: the products fall back to their values alone
    app.controls["kernel"].value = "\n".join(["1 0 -1 2 0 1 1"] * 7)
    app.controls["pad"].value = 3
    labels = app.g_prod.labels()
    assert labels and all("×" not in label for label in labels)


@pytest.mark.parametrize("name", wc.__all__)
def test_figures_fit_848_and_400_px(name):
    """At 848 px the figure (and its controls) leave the widget under 900 px; at 400 px the
    panels are stacked, inside the figure, never on top of each other, text still >= 7.5 pt."""
    app = getattr(wc, name)()
    for width in (848, 400):
        app.fit(width)
        w, h = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12, (width, w)
        assert width == 400 or h <= 460, h
        app.fig.canvas.draw()
        boxes = [ax.get_window_extent() for ax in app.fig.axes if ax.get_label() != "<colorbar>"]
        for i, a in enumerate(boxes):
            assert a.x0 >= -1 and a.x1 <= w + 1 and a.y0 >= -1 and a.y1 <= h + 1
            assert not any(a.overlaps(b) for b in boxes[i + 1:])
        texts = [t for t in app.fig.findobj(lambda a: hasattr(a, "get_fontsize"))
                 if t.get_visible() and getattr(t, "get_text", lambda: "")().strip()]
        assert min(t.get_fontsize() for t in texts) >= 7.5


def test_two_columns_keeps_a_log_sliders_readout():
    from dlcore.widgets._base import App, log_slider, slider
    from dlcore.widgets.conv._grid import two_columns

    lr = log_slider("learning rate", 0.05, 1e-4, 1.0)
    app = App({"lr": lr, "m": slider("momentum", 0.9, 0.0, 1.0)}, observe=False)
    app.update = lambda: None
    two_columns(app, ["lr"], ["m"])
    (row,) = app._controls_box.children
    left, right = row.children
    assert left.children == (lr._dl_display,) and right.children == (app.controls["m"],)
    assert lr._dl_display.children[1].value == "0.05"


def test_photo_filter_same_padding_needs_an_odd_kernel():
    img = np.zeros((10, 12))
    app = wc.photo_filter(kernel=[[1.0, -1.0]], image=img)
    same = app.controls["same"]
    assert same.disabled and "odd kernel" in same.tooltip and "1×2" in same.tooltip
    assert app.response.shape == (10, 11)  # no padding for an even kernel
    app.controls["kernel"].value = "Sobel x"
    assert not same.disabled and "(k-1)/2" in same.tooltip
    assert app.response.shape == (10, 12)


def test_photo_filter_colour_scale_does_not_follow_the_stride():
    app = wc.photo_filter()
    clim = app.im_out.get_clim()
    app.controls["stride"].value = 3
    assert app.im_out.get_clim() == clim


def test_smoothing_explorer_keeps_its_y_range_for_small_changes():
    app = wc.smoothing_explorer()
    ylim = app.ax_s.get_ylim()
    app.controls["w6"].value = 0.05
    assert app.ax_s.get_ylim() == ylim  # blitted: the axis does not move
    for a in range(7):
        app.controls[f"w{a}"].value = 1.0  # s_t = 7 x_t: the range must follow
    y0, y1 = app.ax_s.get_ylim()
    assert y1 > app.smoothed().max() and y0 < 1.0


def test_smoothing_explorer_weights_in_two_columns():
    app = wc.smoothing_explorer()
    signal, columns, normalise = app._controls_box.children
    left, right = columns.children
    assert [c.description for c in left.children] == ["w_-6 (oldest)", "w_-5", "w_-4",
                                                      "w_-3"]
    assert right.children[-1] is app.controls["t"] and normalise is app.controls["normalise"]
    assert all("weight w_" in app.controls[f"w{a}"].tooltip for a in range(7))


def test_pooling_explorer_titles_fit_one_line():
    app = wc.pooling_explorer(shift=2)
    assert all("\n" not in ax.get_title() for ax in app.fig.axes)
    assert app.axes[2].get_title() == "max pool, shifted by 2"


def test_conv_widgets_take_torchs_keyword_names_and_the_short_ones():
    a = wc.conv_explorer(preset="photo patch", padding=2)
    b = wc.conv_explorer(preset="photo patch", pad=2)
    assert a.controls["pad"].value == b.controls["pad"].value == 2
    assert wc.output_size_explorer(n=8, padding=1).state() == \
        wc.output_size_explorer(n=8, pad=1).state()
    assert wc.pooling_explorer(kernel_size=3, stride=3).state() == \
        wc.pooling_explorer(size=3, stride=3).state()
    with pytest.raises(TypeError, match="both padding= and its alias pad="):
        wc.channel_volume(padding=1, pad=1)


# conv_explorer(mine=...): the learner's cross-correlation beside dlcore's ------------------

def _my_correlate2d(image, kernel, stride=1, padding=0):
    padded = np.pad(np.asarray(image, float), padding)
    kh, kw = np.shape(kernel)
    ho, wo = (padded.shape[0] - kh) // stride + 1, (padded.shape[1] - kw) // stride + 1
    return np.array([[np.sum(padded[i * stride:i * stride + kh, j * stride:j * stride + kw]
                             * kernel) for j in range(wo)] for i in range(ho)])


def test_conv_explorer_with_a_correct_function_matches_every_cell():
    app = wc.conv_explorer(preset="photo patch", kernel_preset="sharpen", padding=1,
                           stride=2, mine=_my_correlate2d)
    assert app.mismatch is not None and not app.mismatch.any()
    n = app.output.size
    assert f"all {n} cells match dl.conv.correlate2d" in app.state()["mine"]
    app.controls["step"].value = app.controls["step"].max
    assert "≠" not in " ".join(app.g_out.labels())


def test_conv_explorer_marks_the_cells_a_wrong_function_gets_wrong():
    def flipped(image, kernel, stride=1, padding=0):  # convolution instead of correlation
        return _my_correlate2d(image, np.asarray(kernel)[::-1, ::-1], stride, padding)

    app = wc.conv_explorer(np.arange(16.0).reshape(4, 4) % 5, mine=flipped)
    app.controls["kernel"].value = "1 2\n0 -1"
    ref = dl.conv.correlate2d(app.image(), app.kernel())
    expected_bad = ~np.isclose(flipped(app.image(), app.kernel()), ref)
    assert expected_bad.any()
    np.testing.assert_array_equal(app.mismatch, expected_bad)
    state = app.state()["mine"]
    assert f"{int(expected_bad.sum())} of {expected_bad.size} cells differ" in state
    assert "largest error" in state
    app.controls["step"].value = app.controls["step"].max
    marked = [t for t in app.g_out.labels() if "≠" in t]
    assert len(marked) == int(expected_bad.sum())
    a, b = map(int, np.argwhere(expected_bad)[0])
    want = f"{dl.widgets.conv._grid.fmt(flipped(app.image(), app.kernel())[a, b])}≠" \
           f"{dl.widgets.conv._grid.fmt(ref[a, b])}"
    assert want in app.g_out.labels()


def test_conv_explorer_shows_the_learners_error_and_keeps_working():
    def broken(image, kernel, stride=1, padding=0):
        return image[100]

    def blank(image, kernel, stride=1, padding=0):
        raise NotImplementedError

    app = wc.conv_explorer(preset="photo patch", mine=broken)
    message = app.state()["mine"]
    assert "raised IndexError" in message and "stride 1, padding 0" in message
    np.testing.assert_allclose(app.output, dl.conv.correlate2d(app.image(), app.kernel()))
    app.controls["stride"].value = 2  # still answers the controls
    assert app.output.shape == dl.conv.correlate2d(app.image(), app.kernel(), stride=2).shape
    assert "not written yet" in wc.conv_explorer(mine=blank).state()["mine"]
    wrong_shape = wc.conv_explorer(mine=lambda image, kernel, stride=1, padding=0: np.zeros(3))
    assert "returned shape (3,)" in wrong_shape.state()["mine"]
    no_d = wc.conv_explorer(mine=_my_correlate2d, dilation=2)
    assert "takes no dilation" in no_d.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your cross-correlation function"):
        wc.conv_explorer(mine=_my_correlate2d(np.ones((3, 3)), np.ones((2, 2))))
