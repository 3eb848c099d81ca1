"""Tests of the lecture-11 static plots (Agg backend, headless), and of what they draw:
``dlcore.counting.connections``, ``tie_pattern``, ``split_by_kind``, ``weighted_rows``.

Expected numbers come from the syllabus (144 / 36 / 4 weights; h11 sees pixels 1, 2, 5, 6;
three 3x3 convs see 7x7), from an independent loop, or from dlcore.counting.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex

from dlcore import conv
from dlcore import counting as C
from dlcore.viz import architectures as va

pytestmark = pytest.mark.lec11


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("mode, n_edges, n_weights", [
    ("dense", 144, 144), ("local", 36, 36), ("shared", 36, 4)])
def test_connections_counts(mode, n_edges, n_weights):
    edges, ids, count, out = C.connections(mode, 4, 2, 1)
    assert (len(edges), count, out) == (n_edges, n_weights, 3)
    assert len(set(ids.tolist())) == n_weights
    h11 = sorted(a + 1 for a, b in edges if b == 0)
    assert h11 == (list(range(1, 17)) if mode == "dense" else [1, 2, 5, 6])


def test_connections_stride_two_windows():
    edges, _, _, out = C.connections("local", 4, 2, 2)
    assert out == 2
    fed = [sorted(a + 1 for a, b in edges if b == u) for u in range(4)]
    assert fed == [[1, 2, 5, 6], [3, 4, 7, 8], [9, 10, 13, 14], [11, 12, 15, 16]]


def test_connectivity_graph_draws_every_edge():
    ax = va.connectivity_graph("shared")
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and len(lines[0].get_segments()) == 36
    assert len({to_hex(c) for c in lines[0].get_colors()}) == 4
    assert _labelled(ax) and "4 weights" in ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert "16" in texts and "h33" in texts
    assert "144 weights" in va.connectivity_graph("dense").get_title()


def test_tie_pattern_matches_a_loop():
    ties = C.tie_pattern((2, 2), 4)
    expected = np.zeros((9, 16))
    for i in range(3):
        for j in range(3):
            for a in range(2):
                for b in range(2):
                    expected[i * 3 + j, (i + a) * 4 + (j + b)] = a * 2 + b + 1
    np.testing.assert_array_equal(ties, expected)


def test_conv_matrix_plot_shows_the_tie_pattern():
    kernel = np.array([[1.0, 2.0], [-1.0, 0.5]])
    ax = va.conv_matrix_plot(kernel, 4)
    img = ax.images[0].get_array()
    np.testing.assert_array_equal(img, C.tie_pattern((2, 2), 4))
    values = sorted(float(t.get_text()) for t in ax.texts)
    assert len(values) == 36 and sorted(set(values)) == sorted(kernel.ravel())
    assert _labelled(ax) and "144 entries" in ax.get_title()
    ax2 = va.conv_matrix_plot(kernel, 4, stride=2, annotate=False)
    assert ax2.images[0].get_array().shape == (4, 16) and not ax2.texts


def test_split_and_share_bars_alexnet():
    s = C.summarize("alexnet")
    parts = C.split_by_kind(s)
    assert parts["total_params"] == 60_965_224
    assert parts["params"]["fc"] == 37_752_832 + 16_781_312 + 4_097_000
    assert parts["params"]["conv"] + parts["params"]["fc"] == s.total_params
    ax = va.layer_share_bars(s)
    orange = [p for p in ax.patches if to_hex(p.get_facecolor()) == va.PALETTE["orange"].lower()]
    blue = [p for p in ax.patches if to_hex(p.get_facecolor()) == va.PALETTE["blue"].lower()]
    assert sum(p.get_width() for p in orange) == pytest.approx(100)
    assert sum(p.get_width() for p in blue) == pytest.approx(100)
    assert len(orange) == 8 and _labelled(ax)
    assert "alexnet" in ax.get_title()


def test_layer_share_bars_accepts_a_name():
    ax = va.layer_share_bars("lenet5")
    assert len(ax.get_yticklabels()) == 7  # C1, S2, C3, S4, C5, F6, OUTPUT


def test_conv_fc_split_stacks_to_100_percent():
    ax = va.conv_fc_split(["alexnet", C.summarize("vgg16")])
    assert len(ax.patches) == 2 * 2 * 3
    heights = np.array([p.get_height() for p in ax.patches]).reshape(2, 2, 3)
    np.testing.assert_allclose(heights.sum(axis=2), 100)
    vgg = C.summarize("vgg16")
    fc = sum(r.params for r in vgg.rows if r.kind == "Linear")
    assert heights[1, 0, 1] == pytest.approx(100 * fc / vgg.total_params)
    assert _labelled(ax)


def test_receptive_field_growth_lines():
    ax = va.receptive_field_growth({"three 3x3": [(3, 1)] * 3,
                                    "AlexNet": [(11, 4), (3, 2), (5, 1)]})
    first, second = ax.get_lines()
    assert list(first.get_ydata()) == [3, 5, 7]
    assert list(second.get_ydata()) == [f.size for f in conv.receptive_fields(
        [(11, 4), (3, 2), (5, 1)])]
    assert _labelled(ax)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: C.connections("sparse"), ValueError, "mode must be one of"),
    (lambda: va.connectivity_graph("dense", input_size=2, kernel_size=3), ValueError,
     "does not fit"),
    (lambda: va.conv_matrix_plot([1.0, 2.0]), ValueError, r"\(KH, KW\)"),
    (lambda: va.conv_fc_split([]), ValueError, "at least one"),
    (lambda: va.receptive_field_growth({}), ValueError, "non-empty dict"),
    (lambda: va.receptive_field_growth({"x": [(3,)]}), ValueError, r"\(kernel, stride\)"),
    (lambda: va.layer_share_bars("resnet"), ValueError, "unknown architecture"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
