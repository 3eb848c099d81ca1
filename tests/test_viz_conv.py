"""Static plots of lecture 10 (``dlcore.viz.conv``), drawn headless with Agg.

Expected numbers are those of the course map (L10), typed in here.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcore.data.slide_examples import SLIDE_EXAMPLES  # noqa: E402
from dlcore.viz import conv as vc  # noqa: E402

pytestmark = pytest.mark.lec10

CNN2_OUT = [[12, 12, 17], [10, 17, 19], [9, 6, 14]]
CNN2_FLIPPED = [[18, 20, 19], [10, 9, 17], [11, 8, 14]]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _numbers(ax):
    return [float(t) for t in _texts(ax)]


def _outline_segments(ax):
    """Unit segments of the highlight outline (the top, vermillion line collection)."""
    return len(ax.collections[-1].get_segments()) if ax.collections else 0


def test_format_number():
    assert vc.format_number(12.0) == "12"
    assert vc.format_number(-3) == "-3"
    assert vc.format_number(4.25) == "4.25"
    assert vc.format_number(1.8111) == "1.811"
    assert vc.format_number(np.nan) == ""


def test_number_grid_writes_every_value_and_outlines_cells():
    x = SLIDE_EXAMPLES["pool_input"].value
    ax = vc.number_grid(x, title="feature map", highlight=[(0, 0), (1, 1)])
    assert _numbers(ax) == list(x.ravel())
    assert ax.get_title() == "feature map" and ax.get_xlabel() and ax.get_ylabel()
    assert _outline_segments(ax) == 8  # two separate cells: four sides each
    mask = np.zeros((4, 4), dtype=bool)
    mask[2:, 2:] = True
    ax2 = vc.number_grid(x, highlight=mask)
    assert _outline_segments(ax2) == 8  # a 2x2 block: two unit sides per edge of the block


def test_number_grid_padding_signed_and_symbolic():
    padded = np.pad(SLIDE_EXAMPLES["bias_input"].value, 1)
    ax = vc.number_grid(padded, pad=1)
    # one frame around the unpadded part + a hatched patch per padding cell (25 - 9 = 16)
    assert len(ax.patches) == 17
    assert ax.images[0].get_cmap().name == "PuOr"  # values of both signs: diverging, centred
    lo, hi = ax.images[0].get_clim()
    assert lo == -hi
    ax = vc.number_grid(SLIDE_EXAMPLES["letters_input"].value)
    assert _texts(ax)[-1] == "ℓ" and len(ax.texts) == 12


def test_number_grid_rejects_bad_input():
    with pytest.raises(ValueError, match=r"2-D array \(H, W\)"):
        vc.number_grid(np.zeros(4))
    with pytest.raises(ValueError, match="finite|NaN|inf"):
        vc.number_grid(np.array([[1.0, np.inf]]))


def test_conv_example_reproduces_the_slide_and_the_flipped_distractor():
    ex = SLIDE_EXAMPLES
    fig = vc.conv_example(ex["cnn2_input"].value, ex["cnn2_kernel"].value)
    ax_in, ax_k, ax_out = fig.axes
    assert _numbers(ax_out) == list(np.ravel(CNN2_OUT))
    assert _numbers(ax_k) == list(ex["cnn2_kernel"].value.ravel())
    assert _outline_segments(ax_in) == 12  # the first window: a 3x3 block
    assert "cross-correlation" in fig._suptitle.get_text()
    fig = vc.conv_example(ex["cnn2_input"].value, ex["cnn2_kernel"].value, flip=True)
    assert _numbers(fig.axes[2]) == list(np.ravel(CNN2_FLIPPED))
    assert _numbers(fig.axes[1]) == list(np.rot90(ex["cnn2_kernel"].value, 2).ravel())


def test_conv_example_with_bias_padding_and_stride():
    ex = SLIDE_EXAMPLES
    fig = vc.conv_example(ex["bias_input"].value, ex["bias_kernel"].value, bias=2)
    assert _numbers(fig.axes[2]) == [-1, 2, 0, 1]
    fig = vc.conv_example(ex["sharpen_input"].value, ex["sharpen_kernel"].value, pad=1,
                          stride=2)
    assert _numbers(fig.axes[2]) == [320, 198, 281, 205, 111, 197, 317, 210, 291]
    assert "padding 1" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match=r"\(KH, KW\)"):
        vc.conv_example(np.zeros((4, 4)), np.zeros(3))


def test_torch_keyword_names_with_short_aliases():
    x = np.arange(16.0).reshape(4, 4)
    short = vc.pooling_example(x, size=2, stride=2)
    torch_named = vc.pooling_example(x, kernel_size=2, stride=2)
    assert short.get_suptitle() == torch_named.get_suptitle() == "2x2 max pooling, stride 2"
    with pytest.raises(TypeError, match="both kernel_size= and its alias size="):
        vc.pooling_example(x, size=2, kernel_size=2)
    k = np.ones((3, 3))
    assert vc.conv_example(x, k, padding=1).axes[0].get_title() == "input (padding 1)"
    assert vc.conv_example(x, k, pad=1).axes[0].get_title() == "input (padding 1)"


def test_pooling_example_max_and_average():
    x = SLIDE_EXAMPLES["pool_input"].value
    fig = vc.pooling_example(x, 2, 2, "max")
    assert _numbers(fig.axes[1]) == [8, 4, 7, 5]
    fig = vc.pooling_example(x, 2, 1, "max")
    assert _numbers(fig.axes[1]) == [8, 8, 4, 8, 8, 5, 7, 6, 5]
    fig = vc.pooling_example(x, 2, mode="avg")
    assert _numbers(fig.axes[1]) == [4.5, 2.5, 4.25, 3.0]
    assert "average" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="'max' or 'avg'"):
        vc.pooling_example(x, mode="min")


def test_feature_maps():
    maps = [np.ones((4, 5)), -np.eye(4)]
    fig = vc.feature_maps(maps, ["flat", "signed"], suptitle="maps")
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in axes] == ["flat", "signed"]
    assert axes[1].images[0].get_cmap().name == "PuOr"
    assert axes[0].images[0].get_cmap().name == "gray"
    assert axes[1].images[0].get_clim() == (-1.0, 1.0)
    three = [np.ones((3, 3))] * 3
    fig = vc.feature_maps(three, ["a", "b", "c"], ncols=2)
    assert sum(ax.get_visible() and bool(ax.get_title()) for ax in fig.axes) == 3
    spiky = np.zeros((20, 20))
    spiky[0, 0] = 100.0  # one outlier: the robust colour scale ignores it
    spiky[5:, 5:] = -1.0
    fig = vc.feature_maps([spiky], ["spiky"])
    assert fig.axes[0].images[0].get_clim()[1] < 100
    with pytest.raises(ValueError, match="one entry per map"):
        vc.feature_maps(maps, ["only one"])
    with pytest.raises(ValueError, match="signed must have one entry per map"):
        vc.feature_maps(maps, ["a", "b"], signed=[True])
    with pytest.raises(ValueError, match="at least one"):
        vc.feature_maps([])


def test_smoothing_plot_draws_the_correct_averages():
    ex = SLIDE_EXAMPLES
    ax = vc.smoothing_plot(ex["smoother_signal"].value, ex["smoother_taps"].value,
                           slide_values=ex["smoother_slide_output"].value)
    x_line, s_line, slide = ax.lines
    np.testing.assert_allclose(s_line.get_ydata(), [1.811, 1.967, 2.112, 2.269, 2.413, 2.569],
                               atol=5e-4)
    np.testing.assert_array_equal(s_line.get_xdata(), np.arange(6, 12))
    np.testing.assert_allclose(slide.get_ydata(), [1.80, 1.96, 2.11, 2.16, 2.28, 2.42])
    assert ax.get_title() and ax.get_xlabel() == "time step t"
    with pytest.raises(ValueError, match=r"shape \(6,\)"):
        vc.smoothing_plot(ex["smoother_signal"].value, ex["smoother_taps"].value,
                          slide_values=[1.0, 2.0])


def test_colour_limits_centre_signed_values_and_widen_a_constant_grid():
    assert vc.colour_limits(np.array([-1.0, 3.0])) == (-3.0, 3.0, True)
    assert vc.colour_limits(np.array([1.0, 3.0, np.nan])) == (1.0, 3.0, False)
    assert vc.colour_limits(np.array([2.0, 2.0])) == (1.0, 3.0, False)
    assert vc.colour_limits(np.array([-1.0, 3.0]), vmin=-5.0) == (-5.0, 3.0, True)


def test_text_colours_are_white_on_dark_cells_only():
    values = np.array([[0.0, 1.0, 9.0, 10.0], [np.nan, 5.0, 5.0, 5.0]])
    ink = vc.text_colours(values, 0.0, 10.0, False)  # cividis: dark at the low end
    assert ink.tolist() == [["white", "white", "black", "black"],
                            ["black", "white", "white", "white"]]
    signed = np.array([[-10.0, -2.0, 0.0, 2.0, 10.0]])  # diverging: dark at both ends
    assert vc.text_colours(signed, -10.0, 10.0, True).tolist() == \
        [["white", "black", "black", "black", "white"]]


def test_number_grid_writes_white_on_its_darkest_cells():
    ax = vc.number_grid(np.array([[0.0, 10.0]]))
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours == {"0": "white", "10": "black"}
