"""Lecture 4: the error-surface grid (``dlcore.optim.surface_grid``) and the static plots of
``dlcore.viz.surfaces``, drawn headless with Agg."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlcore as dl  # noqa: E402
from dlcore.viz import surfaces as S  # noqa: E402

pytestmark = pytest.mark.lec04

X = np.array([0.5, 2.5])
Y = np.array([0.2, 0.9])


def toy_loss(theta):
    f = 1.0 / (1.0 + np.exp(-(theta[0] * X + theta[1])))
    return 0.5 * np.sum((Y - f) ** 2)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_found_through_the_lazy_package():
    assert dl.viz.loss_surface is S.loss_surface
    assert "path_on_surface" in dir(dl.viz)


def test_surface_grid_layout_and_values():
    W, B, Z = dl.optim.surface_grid(toy_loss, (-6, 6, -4, 4), resolution=5)
    assert W.shape == B.shape == Z.shape == (5, 5)
    np.testing.assert_allclose(W[0], np.linspace(-6, 6, 5))   # w along axis 1
    np.testing.assert_allclose(B[:, 0], np.linspace(-4, 4, 5))  # b along axis 0
    assert Z[2, 2] == pytest.approx(toy_loss((0.0, 0.0)))
    assert Z[0, 4] == pytest.approx(toy_loss((6.0, -4.0)))
    # Khapra's first guess (0.5, 0), at a grid point
    W, B, Z = dl.optim.surface_grid(toy_loss, (0.5, 1.5, 0.0, 1.0), resolution=2)
    assert Z[0, 0] == pytest.approx(0.073114, abs=5e-7)


def test_contour_and_3d():
    ax = S.loss_surface(toy_loss, (-6, 6, -6, 6), resolution=21)
    assert ax.get_title() and ax.get_xlabel() == "w" and ax.get_ylabel() == "b"
    assert ax.collections  # filled contours drawn
    fig = plt.figure()
    ax3 = fig.add_subplot(projection="3d")
    out = S.loss_surface(toy_loss, (-6, 6, -6, 6), ax=ax3, kind="3d", resolution=11)
    assert out is ax3 and ax3.get_zlabel() == "loss L"
    grid = dl.optim.surface_grid(toy_loss, (-1, 1, -1, 1), 7)
    ax = S.loss_surface(None, (-1, 1, -1, 1), grid=grid, colorbar=False)
    assert ax.get_title() == "Error surface L(w, b)"


def test_surface_bad_input():
    with pytest.raises(ValueError, match=r"kind must be one of 'contour', '3d'"):
        S.loss_surface(toy_loss, (-1, 1, -1, 1), kind="surface")
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="3-D Axes"):
        S.loss_surface(toy_loss, (-1, 1, -1, 1), ax=ax, kind="3d")
    with pytest.raises(ValueError, match=r"4 numbers \(w_min, w_max, b_min, b_max\)"):
        dl.optim.surface_grid(toy_loss, (-1, 1, 2))
    with pytest.raises(ValueError, match="w_min < w_max"):
        dl.optim.surface_grid(toy_loss, (1, -1, -1, 1))
    with pytest.raises(ValueError, match="non-finite"):
        dl.optim.surface_grid(toy_loss, (-1, np.inf, -1, 1))
    with pytest.raises(TypeError, match="loss_fn must be a function"):
        dl.optim.surface_grid("loss", (-1, 1, -1, 1))
    with pytest.raises(TypeError, match="one number"):
        dl.optim.surface_grid(lambda t: np.array([1.0, 2.0]), (-1, 1, -1, 1), 3)
    with pytest.raises(ValueError, match="must be finite on the whole window"):
        dl.optim.surface_grid(lambda t: np.inf if t[0] < 0 else 0.0, (-1, 1, -1, 1), 3)
    with pytest.raises(ValueError, match="resolution must be >= 2"):
        dl.optim.surface_grid(toy_loss, (-1, 1, -1, 1), 1)
    with pytest.raises(ValueError, match=r"same shape \(R, R\)"):
        S.loss_surface(None, (-1, 1, -1, 1), grid=(np.zeros((3, 3)), np.zeros((3, 3)),
                                                  np.zeros((2, 3))))


def test_path_on_contours_and_3d():
    path = np.array([[-2.0, -2.0], [-1.0, -1.5], [0.0, -1.0], [np.nan, np.nan]])
    ax = S.loss_surface(toy_loss, (-6, 6, -6, 6), resolution=11)
    S.path_on_surface(path, ax)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), path[:3, 0])
    np.testing.assert_allclose(line.get_ydata(), path[:3, 1])
    assert ax.lines[1].get_xdata()[0] == -2.0  # start marker
    fig = plt.figure()
    ax3 = fig.add_subplot(projection="3d")
    S.path_on_surface(path, ax3, loss_fn=toy_loss)
    xs, ys, zs = ax3.lines[0].get_data_3d()
    np.testing.assert_allclose(zs, [toy_loss(p) for p in path[:3]])
    with pytest.raises(ValueError, match="needs loss_fn"):
        S.path_on_surface(path, ax3)
    with pytest.raises(ValueError, match=r"shape \(S \+ 1, 2\)"):
        S.path_on_surface(np.zeros((4, 3)), ax)
    with pytest.raises(ValueError, match="2-D array"):
        S.path_on_surface(np.zeros(4), ax)


def test_path_every_keeps_the_end():
    path = np.column_stack([np.arange(10.0), np.zeros(10)])
    _, ax = plt.subplots()
    S.path_on_surface(path, ax, every=4, label=None)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0, 4, 8, 9])


def test_loss_by_step():
    ax = S.loss_by_step({"η = 1": [0.4, 0.3, 0.1], "η = 0.1": [0.4, 0.39]}, marks=[1],
                        logy=True)
    assert ax.get_xlabel() == "step t" and ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.4, 0.3, 0.1])
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match=r"1-D array of shape \(S \+ 1,\)"):
        S.loss_by_step(np.zeros((2, 2)))
    ax = S.loss_by_step({"a": [1, 0.5], "b": [1, 2]}, colors=["#000000", "#E69F00"])
    assert ax.lines[1].get_color() == "#E69F00"
    with pytest.raises(ValueError, match="one colour per run"):
        S.loss_by_step({"a": [1, 0.5], "b": [1, 2]}, colors=["#000000"])


def test_sigmoid_fits_and_step_plot():
    ax = S.sigmoid_fits(X, Y, [(0.5, 0.0), (np.log(6), -np.log(4) - 0.5 * np.log(6))])
    curve = ax.lines[1]
    xs, ys = curve.get_xdata(), curve.get_ydata()
    np.testing.assert_allclose(np.interp([0.5, 2.5], xs, ys), Y, atol=2e-3)
    with pytest.raises(ValueError, match="shape of X"):
        S.sigmoid_fits(X, [0.2], [(1, 0)])
    ax = S.step_vs_sigmoid_plot(-0.5, 1.0)
    sig_marks = ax.collections[1].get_offsets()
    np.testing.assert_allclose(sig_marks[:, 1], [0.4975, 0.5025], atol=5e-5)  # syllabus
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], [0, 1])
    with pytest.raises(TypeError, match="w0 must be a finite real number"):
        S.step_vs_sigmoid_plot("a", 1.0)


def test_surface_views_draws_paths_on_both():
    path = np.array([[-2.0, -2.0], [0.0, -1.0], [1.5, -2.0]])
    fig = S.surface_views(toy_loss, (-6, 6, -6, 6), {"a": path, "b": path[:2]}, resolution=11)
    ax, ax3 = fig.axes[0], [a for a in fig.axes if a.name == "3d"][0]
    np.testing.assert_allclose(ax.lines[0].get_xdata(), path[:, 0])
    _, _, zs = ax3.lines[0].get_data_3d()
    np.testing.assert_allclose(zs, [toy_loss(p) for p in path])
    labels = ax.get_legend_handles_labels()[1]
    assert labels.count("start") == 1 and "a" in labels and "b" in labels
    assert ax.get_title().endswith("contours") and ax3.get_title().endswith("3-D")
