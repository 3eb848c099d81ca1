"""Static plots of lecture 9 (dlcore.viz.optim), drawn headless with Agg."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlcore as dl  # noqa: E402
from dlcore.viz import optim as V  # noqa: E402

pytestmark = pytest.mark.lec09


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_found_through_the_lazy_package():
    assert dl.viz.plot_optim_paths is V.plot_optim_paths
    assert "plot_stability_region" in dir(dl.viz)


def test_surface_contours_named_and_custom():
    ax = V.plot_optim_surface("quadratic", kappa=4.0)
    assert ax.get_title() == "Error surface: quadratic (κ = 4)"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == dl.optim.SURFACES["quadratic"].xlim
    stars = [ln for ln in ax.lines if ln.get_marker() == "*"]
    assert [tuple(np.ravel(s.get_data())) for s in stars] == [(0.0, 0.0)]
    cs = ax.collections[0]
    levels = np.asarray(cs.levels)
    assert np.all(np.diff(levels) > 0) and np.all(levels > 0)
    # log-spaced: constant ratio between consecutive levels
    np.testing.assert_allclose(np.diff(np.log(levels)), np.diff(np.log(levels))[0])

    def one_point(p):  # written for a single point (2,), not vectorised
        return float((p[0] - 1) ** 2 + p[1] ** 2)

    ax = V.plot_optim_surface(one_point, xlim=(-1, 3), ylim=(-2, 2))
    assert ax.get_xlim() == (-1.0, 3.0) and "one_point" in ax.get_title()
    X, Y, Z = dl.optim.loss_grid(one_point, (-1, 3), (-2, 2), n=5)
    np.testing.assert_allclose(Z, (X - 1) ** 2 + Y ** 2)


def test_paths_on_contours():
    loss, grad = dl.optim.surface("valley")
    start = dl.optim.SURFACES["valley"].start
    paths = {n: dl.optim.trajectory(n, grad, start, 30, lr=0.01) for n in ("gd", "momentum")}
    paths["mine"] = paths["gd"][::2]
    fig, ax = plt.subplots()
    out = V.plot_optim_paths(paths, "valley", ax=ax)
    assert out is ax
    assert ax.get_title() == "30 steps on valley (κ = 50)"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["GD", "Momentum", "mine", "start"]
    drawn = [ln for ln in ax.lines if ln.get_label() == "Momentum"][0]
    np.testing.assert_allclose(np.column_stack(drawn.get_data()), paths["momentum"])
    assert drawn.get_color() == V.OPTIMIZER_STYLE["momentum"]["color"]


def test_paths_that_diverge_end_at_their_last_finite_point():
    loss, grad = dl.optim.surface("quadratic", kappa=10.0)
    path = dl.optim.trajectory("gd", grad, (1.0, 1.0), 2000, lr=0.5)  # 0.5 * 10 > 2
    assert not np.all(np.isfinite(path))
    ax = V.plot_optim_paths({"gd": path}, "quadratic")
    ends = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_label() != "start"]
    assert np.all(np.isfinite(np.ravel(ends[0].get_data())))


def test_curves_linear_and_log():
    w_gd = np.array([1.0, 0.8, 0.64, 0.512])
    w_mom = np.array([1.0, 0.8, 0.46, 0.062, -0.3086])
    ax = V.plot_optim_curves({"gd": w_gd, "momentum": w_mom}, logy=False, ylabel="w_t",
                             title="E = w²")
    assert ax.get_yscale() == "linear" and ax.get_ylabel() == "w_t"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), w_mom)
    ax = V.plot_optim_curves({"gd": w_gd, "momentum": w_mom})
    assert ax.get_yscale() == "log"
    assert np.isnan(ax.lines[1].get_ydata()[-1])  # a negative value has no log
    assert ax.get_title() == "Loss vs step" and ax.get_xlabel() == "step t"


def test_stability_region_lines():
    ax = V.plot_stability_region(h=2.0, point=(0.9, 0.1))
    lines = {ln.get_label(): ln for ln in ax.lines}
    mom = lines["momentum limit 2(1+β)"]
    b = mom.get_xdata()
    np.testing.assert_allclose(mom.get_ydata(), 2 * (1 + b))
    np.testing.assert_allclose(lines["Nesterov limit 2(1+β)/(1+2β)"].get_ydata(),
                               2 * (1 + b) / (1 + 2 * b))
    assert lines["GD limit ηh = 2"].get_ydata()[0] == 2.0
    point = lines["β = 0.9, ηh = 0.2"]
    assert point.get_color() == dl.viz.PALETTE["green"]     # 0.2 < 3.8: stable
    ax = V.plot_stability_region(h=2.0, point=(0.0, 1.5))   # eta h = 3 > 2
    assert [ln for ln in ax.lines if ln.get_label().startswith("β = 0")][0].get_color() \
        == dl.viz.PALETTE["vermillion"]
    assert ax.get_xlabel() == "momentum β" and ax.get_title()


def test_bad_input():
    with pytest.raises(ValueError, match="surface must be one of"):
        V.plot_optim_surface("moon")
    with pytest.raises(TypeError, match="unexpected keyword"):
        V.plot_optim_surface("rosenbrock", kappa=3.0)
    with pytest.raises(ValueError, match=r"xlim must be a pair \(low, high\) with low < high"):
        V.plot_optim_surface(lambda p: p @ p, xlim=(2, 1))
    with pytest.raises(TypeError, match="surface keywords"):
        V.plot_optim_surface(lambda p: p @ p, kappa=2.0)
    with pytest.raises(TypeError, match="paths must be a non-empty dict"):
        V.plot_optim_paths([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"paths\['gd'\] must have shape \(S \+ 1, 2\)"):
        V.plot_optim_paths({"gd": np.zeros((3, 3))})
    with pytest.raises(ValueError,
                       match=r"curves\['gd'\] must be a 1-D array of shape \(S \+ 1,\)"):
        V.plot_optim_curves({"gd": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        V.plot_stability_region(h=0.0)
    with pytest.raises(ValueError, match=r"max_beta must lie in \(0, 1\)"):
        V.plot_stability_region(max_beta=1.0)
    with pytest.raises(ValueError, match="loss_fn must return one number"):
        V.plot_optim_surface(lambda p: np.ones(3))


def test_contour_levels_are_spaced_in_log_of_the_gap():
    X, Y = np.meshgrid(np.linspace(-1, 1, 41), np.linspace(-1, 1, 41))
    Z = 2.0 + X ** 2 + Y ** 2
    levels = V.contour_levels(Z, 2.0, n=6)
    assert len(levels) == 6 and np.all(np.diff(levels) > 0) and levels[0] > 2.0
    gaps = np.log(levels - 2.0)
    np.testing.assert_allclose(np.diff(gaps), np.diff(gaps)[0])  # a geometric series
    assert len(V.contour_levels(np.full((3, 3), 5.0), None)) == 3  # a flat window
    with pytest.raises(ValueError, match="not finite anywhere"):
        V.contour_levels(np.full((2, 2), np.nan), None)


def test_axes_or_new_uses_the_given_axes_or_makes_one_of_the_asked_size():
    from dlcore.viz.style import axes_or_new

    fig, ax = plt.subplots()
    assert axes_or_new(ax, (9.0, 1.0)) is ax
    new = axes_or_new(None, (3.0, 2.0))
    assert new is not ax and tuple(new.figure.get_size_inches()) == (3.0, 2.0)
    assert new.figure.get_layout_engine() is not None  # constrained, labels stay inside
