"""dlcore.viz.neurons: static plots of lectures 1-3, drawn headless (Agg).

Expected data come from ``dl.data`` (the timeline, the ILSVRC table, Boolean tables), from
``dl.neurons`` or from closed forms; never from the plot functions themselves.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlcore as dl  # noqa: E402
from dlcore.viz import neurons as vz  # noqa: E402

lec02 = pytest.mark.lec02
lec03 = pytest.mark.lec03


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _titled(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_names_are_registered():
    for name in vz.__all__:
        assert getattr(dl.viz, name) is getattr(vz, name)


@lec02
@pytest.mark.parametrize(("w", "b"), [((1.0, 1.0), -2.0), ((0.0, 2.0), -1.0), ((3.0, 0.5), 1.0)])
def test_boundary_segment_lies_on_the_line(w, b):
    xs, ys = vz.boundary_segment(w, b, (-1, 2), (-1, 2))
    assert xs.shape == ys.shape == (2,)
    np.testing.assert_allclose(w[0] * xs + w[1] * ys + b, 0, atol=1e-12)
    assert not np.allclose([xs[0], ys[0]], [xs[1], ys[1]])


@lec02
def test_boundary_segment_degenerate_and_bad_input():
    xs, ys = vz.boundary_segment([0.0, 0.0], 1.0)
    assert xs.size == ys.size == 0
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        vz.boundary_segment([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="non-finite"):
        vz.boundary_segment([np.nan, 1.0])


def test_timeline_plot_has_every_record():
    ax = vz.plot_timeline()
    _titled(ax)
    pts = np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert len(pts) == len(dl.data.timeline())
    assert sorted(pts[:, 0]) == sorted(r.year for r in dl.data.timeline())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dl.data.history.THEMES)
    # one filled marker style for every milestone, so no legend is needed to read it
    assert ax.get_legend() is None
    for c in ax.collections:
        if len(c.get_offsets()):
            assert c.get_facecolors().shape[0] and c.get_facecolors()[:, 3].min() > 0


def test_ilsvrc_plot_points():
    ax = vz.plot_ilsvrc_results()
    _titled(ax)
    pts = ax.collections[0].get_offsets()
    np.testing.assert_allclose(pts, [[8, 16.0], [8, 11.2], [19, 7.3], [22, 6.7], [152, 3.6]])
    assert ax.get_xscale() == "log"
    assert vz.plot_ilsvrc_results(log_depth=False).get_xscale() == "linear"


@lec02
def test_unit_square_and_line():
    fig, ax = plt.subplots()
    out = vz.plot_unit_square("AND", w=[1, 1], theta=2, ax=ax)
    assert out is ax
    _titled(ax)
    assert "AND" in ax.get_title()
    on, off = ax.collections[-2].get_offsets(), ax.collections[-1].get_offsets()
    np.testing.assert_array_equal(on, [[1, 1]])
    assert len(off) == 3
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata() + line.get_ydata(), 2)
    with pytest.raises(ValueError, match="theta together with w"):
        vz.plot_unit_square("OR", w=[1, 1])
    with pytest.raises(ValueError, match="name must be one of"):
        vz.plot_unit_square("MAYBE")
    with pytest.raises(ValueError, match=r"shape \(4,\)|\(4,\)"):
        vz.plot_unit_square([0, 1, 1])
    with pytest.raises(ValueError, match=r"\{0, 1\}"):
        vz.plot_unit_square([0, 1, 2, 1])


@lec03
def test_perceptron_plot_boundary_matches_weights():
    X, y = dl.data.blobs(20, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5, labels="pm")
    X1 = np.hstack([X, np.ones((20, 1))])
    w, _ = dl.neurons.train_perceptron(X1, y)
    ax = vz.plot_perceptron(X, y, w)
    _titled(ax)
    line = ax.lines[0]
    np.testing.assert_allclose(w[0] * line.get_xdata() + w[1] * line.get_ydata() + w[2], 0,
                               atol=1e-9)
    assert len(ax.collections[0].get_offsets()) == np.sum(y == 1)
    with pytest.raises(ValueError, match=r"\(2,\) or \(3,\)"):
        vz.plot_perceptron(X, y, [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="N=20"):
        vz.plot_perceptron(X, y[:5], w)


@lec03
def test_errors_per_epoch_plot():
    errors = [2, 3, 3, 2, 1, 0]
    ax = vz.plot_errors_per_epoch(errors, label="AND")
    _titled(ax)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(1, 7))
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), errors)
    with pytest.raises(ValueError, match=">= 0"):
        vz.plot_errors_per_epoch([1, -1])
    with pytest.raises(ValueError, match="1-D"):
        vz.plot_errors_per_epoch([[1, 2]])


def test_timeline_positions_spread_shared_years():
    records = dl.data.timeline()
    pos = vz.timeline_positions(records)
    assert pos.shape == (len(records), 2)
    np.testing.assert_array_equal(pos[:, 0], [r.year for r in records])
    rows = np.array([dl.data.history.THEMES.index(r.theme) for r in records])
    assert np.all(np.abs(pos[:, 1] - rows) < 0.5)
    assert len({tuple(p) for p in pos}) == len(records)  # no two markers on the same spot


def test_depth_axis_ticks():
    fig, ax = plt.subplots()
    vz.set_depth_axis(ax, log=True)
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["8", "20", "50", "150"]
    vz.set_depth_axis(ax, log=False)
    assert ax.get_xscale() == "linear"


@lec02
def test_unit_square_line_label_drops_unit_coefficients():
    ax = vz.plot_unit_square("NAND", w=[-1, -2], theta=-1.5)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "$-x_1 - 2x_2 = -1.5$" in labels
