"""Widgets of lecture 9 (dlcore.widgets.optimizers), built headless: controls in, plotted data out.

Expected values come from the syllabus (L09 worked examples), from closed forms written here
(gradients, stability limits, Adagrad/RMSProp/Adam accumulators, softmax-regression gradients),
or from ``dl.optim.trajectory``; never from the widget itself.
"""

import numpy as np
import pytest

import dlcore as dl
from dlcore.widgets import optimizers as O
from dlcore.widgets.optimizers import adaptive, noise, race
from tests.widget_helpers import blits_after_warming, full_draws

pytestmark = pytest.mark.lec09

NAMES = ("gd", "momentum", "nag", "adagrad", "rmsprop", "adam")


def valley_grad(kappa=50.0, angle_deg=30.0):
    a = np.deg2rad(angle_deg)
    c, s = np.cos(a), np.sin(a)

    def grad(p):
        u, v = c * p[0] + s * p[1], -s * p[0] + c * p[1]
        return np.array([c * u - s * kappa * v, s * u + c * kappa * v])
    return grad


def quad_grad(h1, h2):
    return lambda p: np.array([h1 * p[0], h2 * p[1]])


def hyper_of(app, name):
    c = app.controls
    h = {"lr": c[f"lr_{name}"].value}
    if name in ("momentum", "nag"):
        h["momentum"] = c["momentum"].value
    if name == "rmsprop":
        h["alpha"] = c["alpha"].value
    if name == "adam":
        h["betas"] = (c["beta1"].value, c["beta2"].value)
    return h



# ---- optimizer_race ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def race_app():
    return O.optimizer_race(steps=60)


def test_race_draws_every_optimizer_on_the_valley(race_app):
    app = race_app
    assert app.controls["surface"].value == "valley"
    assert app.controls["kappa"].value == 50
    grad = valley_grad(50.0)
    for name in NAMES:
        expected = dl.optim.trajectory(name, grad, (-4.0, -1.5), 60, **hyper_of(app, name))
        xs, ys = app.lines[name].get_data()
        np.testing.assert_allclose(np.column_stack([xs, ys]), expected, atol=1e-10)
        assert app.lines[name].get_visible()
        # loss gap of the valley 0.5 (u^2 + 50 v^2), minimum 0
        a = np.deg2rad(30.0)
        u = np.cos(a) * expected[:, 0] + np.sin(a) * expected[:, 1]
        v = -np.sin(a) * expected[:, 0] + np.cos(a) * expected[:, 1]
        np.testing.assert_allclose(app.curves[name].get_ydata(), 0.5 * (u ** 2 + 50 * v ** 2),
                                   rtol=1e-9)
    assert app.ax_loss.get_yscale() == "log"
    for ax in (app.ax_path, app.ax_loss):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert "valley" in app.summary and "lowest" in app.summary


def test_race_step_play_and_checkboxes():
    app = O.optimizer_race("quadratic", steps=40, optimizers=("gd", "adam"))
    assert app.controls["step"].max == 40 and app.play.max == 40
    assert not app.lines["momentum"].get_visible()
    app.controls["step"].value = 10
    path = dl.optim.trajectory("gd", quad_grad(1.0, 10.0), (-4.5, 2.0), 40,
                               lr=app.controls["lr_gd"].value)
    assert len(app.lines["gd"].get_xdata()) == 11
    np.testing.assert_allclose(np.ravel(app.heads["gd"].get_data()), path[10], atol=1e-12)
    assert list(app.step_line.get_xdata()) == [10, 10]
    app.step_button.click()
    assert app.controls["step"].value == 11 and len(app.lines["gd"].get_xdata()) == 12
    assert "Step 11 of 40" in app.state()["where"]
    app.controls["use_adam"].value = False
    assert not app.lines["adam"].get_visible()
    # one legend for both panels, below them (it covered the loss curves)
    assert app.ax_loss.get_legend() is None
    assert [t.get_text() for t in app.legend.get_texts()] == ["GD"]
    app.controls["use_gd"].value = False
    assert "No optimizer" in app.summary
    assert app.legend is None


def test_race_step_button_restarts_at_the_last_step():
    # The widget opens at the last step (every path drawn); there "step ▸" did nothing.
    app = O.optimizer_race("quadratic", steps=20, optimizers=("gd",))
    button = app.step_button
    assert app.controls["step"].value == 20
    assert button.description == "↺ restart" and "step 0" in button.tooltip
    button.click()
    assert app.controls["step"].value == 0 and len(app.lines["gd"].get_xdata()) == 1
    assert button.description == "step ▸"
    button.click()
    assert app.controls["step"].value == 1 and len(app.lines["gd"].get_xdata()) == 2
    app.controls["step"].value = 19
    button.click()
    assert app.controls["step"].value == 20 and button.description == "↺ restart"
    for widget in (O.momentum_explorer(steps=10), O.adaptive_steps(steps=10)):
        assert widget.step_button.description == "↺ restart"
        widget.step_button.click()
        assert widget.controls["step"].value == 0
        assert widget.step_button.description == "step ▸"


def test_race_controls_without_effect_are_disabled_with_a_reason():
    app = O.optimizer_race("valley", steps=10, optimizers=("gd", "adam"))
    c = app.controls
    assert not c["kappa"].disabled and "curvature" in c["kappa"].tooltip
    for name in ("momentum", "nag", "adagrad", "rmsprop"):
        assert c[f"lr_{name}"].disabled and "tick" in c[f"lr_{name}"].tooltip
    assert not c["lr_gd"].disabled and c["lr_gd"].tooltip == "learning rate η of GD"
    assert c["momentum"].disabled and "Momentum or Nesterov (NAG)" in c["momentum"].tooltip
    assert c["alpha"].disabled and "RMSProp" in c["alpha"].tooltip
    assert not c["beta1"].disabled and not c["beta2"].disabled
    c["use_nag"].value = True
    assert not c["momentum"].disabled and not c["lr_nag"].disabled
    assert "velocity" in c["momentum"].tooltip
    c["use_adam"].value = False
    assert c["beta1"].disabled and c["beta2"].disabled and "Adam" in c["beta2"].tooltip
    for name in ("rosenbrock", "saddle", "bumpy"):
        c["surface"].value = name
        assert c["kappa"].disabled
        assert f"the {name} surface has a fixed shape" in c["kappa"].tooltip
    c["surface"].value = "quadratic"
    assert not c["kappa"].disabled and "curvature" in c["kappa"].tooltip
    custom = O.optimizer_race(loss_fn=lambda p: p @ p, steps=5)
    assert custom.controls["kappa"].disabled
    assert "your function has a fixed shape" in custom.controls["kappa"].tooltip


def test_race_lr_sliders_show_human_readouts_and_fit():
    app = O.optimizer_race("valley", steps=10)
    c = app.controls
    box = app._controls_box
    shown = [w for row in box.children for w in _leaves(row)]
    for name in NAMES:  # each log slider sits with its readout label (view(control))
        assert c[f"lr_{name}"]._dl_display in shown
        assert c[f"lr_{name}"].readout is False
    assert c["kappa"]._dl_display in shown
    label = c["lr_gd"]._dl_display.children[1]
    c["lr_gd"].value = 0.0316
    assert label.value == "0.032"
    c["kappa"].value = 10 ** 1.7                    # the browser's grid point next to 50
    assert label.value == "0.032" and c["kappa"]._dl_display.children[1].value == "50"
    assert "κ = 50)" in app.ax_path.get_title()     # as the readout says, not 50.1187
    expected = dl.optim.trajectory("gd", valley_grad(50.0), (-4.0, -1.5), 10,
                                   lr=c["lr_gd"].value)
    np.testing.assert_allclose(app.paths["gd"], expected)  # computed with κ = 50 too
    for width in (848, 1488, 800, 420):
        app.fit(width)
        w, _ = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5
    app.fit(420)
    assert app.legend._ncols < 6                    # the legend wraps on a narrow figure
    app.fit(848)
    assert app.legend._ncols == 6


def _leaves(widget):
    """The widget and every widget inside it."""
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(_leaves(child))
    return out


def test_race_gd_diverges_above_its_stability_limit():
    app = O.optimizer_race("quadratic", kappa=20.0, steps=30)
    limit = dl.optim.stability_limit(20.0)          # 2 / 20 = 0.1
    assert limit == pytest.approx(0.1)
    app.controls["lr_gd"].value = 0.09
    assert "GD: loss gap" in app.state()["race"]
    app.controls["lr_gd"].value = 0.15             # 0.15 * 20 = 3 > 2
    xs = app.lines["gd"].get_xdata()
    ys = app.lines["gd"].get_ydata()
    assert abs(ys[-1]) > 100 * abs(ys[0])          # |1 - 0.15 * 20| = 2 per step along y
    assert "GD: diverg" in app.state()["race"]
    assert "diverg" in app.summary and "GD" in app.summary
    assert len(xs) == 31


def test_race_hyperparameters_reach_their_optimizers(race_app):
    app = race_app
    before = {n: app.paths[n].copy() for n in NAMES}
    contours = app._contours
    app.controls["momentum"].value = 0.5
    app.controls["beta1"].value = 0.5
    app.controls["alpha"].value = 0.9
    changed = {n for n in NAMES if not np.allclose(app.paths[n], before[n])}
    assert changed == {"momentum", "nag", "rmsprop", "adam"}
    assert app._contours is contours
    grad = valley_grad(50.0)
    expected = dl.optim.trajectory("nag", grad, (-4.0, -1.5), 60,
                                   lr=app.controls["lr_nag"].value, momentum=0.5)
    np.testing.assert_allclose(app.paths["nag"], expected, atol=1e-10)
    expected = dl.optim.trajectory("adam", grad, (-4.0, -1.5), 60,
                                   lr=app.controls["lr_adam"].value, betas=(0.5, 0.999))
    np.testing.assert_allclose(app.paths["adam"], expected, atol=1e-10)


def test_race_surface_and_condition_number():
    app = O.optimizer_race(steps=20)
    app.controls["surface"].value = "saddle"
    assert app.controls["kappa"].disabled
    assert app.controls["lr_gd"].value == race.PRESET_LR["saddle"]["gd"]
    # saddle x^2 - y^2 + y^4/4: gradient (2x, -2y + y^3), minima at y = +-sqrt(2), E = -1
    grad = lambda p: np.array([2 * p[0], -2 * p[1] + p[1] ** 3])  # noqa: E731
    path = dl.optim.trajectory("gd", grad, (2.0, 0.01), 20, lr=app.controls["lr_gd"].value)
    np.testing.assert_allclose(app.paths["gd"], path, atol=1e-12)
    loss = path[:, 0] ** 2 - path[:, 1] ** 2 + 0.25 * path[:, 1] ** 4
    np.testing.assert_allclose(app.losses["gd"], loss + 1.0, atol=1e-12)
    np.testing.assert_allclose(np.sort(app.minima_marker.get_ydata()),
                               [-np.sqrt(2), np.sqrt(2)])
    app.controls["surface"].value = "quadratic"
    assert not app.controls["kappa"].disabled and app.controls["kappa"].value == 10
    app.controls["kappa"].value = 100.0
    path = dl.optim.trajectory("adam", quad_grad(1.0, 100.0), (-4.5, 2.0), 20,
                               **hyper_of(app, "adam"))
    np.testing.assert_allclose(app.paths["adam"], path, atol=1e-12)
    assert "κ = 100" in app.ax_path.get_title()
    for name in ("rosenbrock", "bumpy"):
        app.controls["surface"].value = name
        assert app.ax_path.get_xlim() == dl.optim.SURFACES[name].xlim


def test_race_with_a_learners_surface():
    def my_loss(p):
        return (p[0] - 1.0) ** 2 + 2.0 * (p[1] + 0.5) ** 2

    def my_grad(p):
        return np.array([2.0 * (p[0] - 1.0), 4.0 * (p[1] + 0.5)])

    app = O.optimizer_race(loss_fn=my_loss, grad_fn=my_grad, xlim=(-2, 3), ylim=(-2, 2),
                           start=(-1.5, 1.5), steps=25)
    assert app.controls["surface"].value == "custom"
    assert app.ax_loss.get_yscale() == "linear"
    for name in NAMES:
        expected = dl.optim.trajectory(name, my_grad, (-1.5, 1.5), 25, **hyper_of(app, name))
        np.testing.assert_allclose(app.paths[name], expected, atol=1e-12)
        np.testing.assert_allclose(app.losses[name], [my_loss(p) for p in expected])
    assert app.ax_path.get_xlim() == (-2.0, 3.0)
    # loss only: the gradient comes from central differences
    app2 = O.optimizer_race(loss_fn=my_loss, start=(-1.5, 1.5), steps=25)
    np.testing.assert_allclose(app2.paths["gd"], app.paths["gd"], atol=1e-6)
    assert "your function" in app2.summary
    app2.controls["surface"].value = "valley"  # the named surfaces stay available
    assert app2.ax_loss.get_yscale() == "log"


def test_race_bad_presets():
    with pytest.raises(ValueError, match="surface must be one of"):
        O.optimizer_race("moon")
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        O.optimizer_race(lrs={"sgd": 0.1})
    with pytest.raises(ValueError, match=r"learning rate in \[0.0001, 3\]"):
        O.optimizer_race(lrs={"gd": -0.1})
    with pytest.raises(ValueError, match="optimizers must be names from"):
        O.optimizer_race(optimizers=("gd", "lbfgs"))
    with pytest.raises(TypeError, match="grad_fn needs its loss_fn"):
        O.optimizer_race(grad_fn=lambda p: p)
    with pytest.raises(ValueError, match="loss_fn must return one number"):
        O.optimizer_race(loss_fn=lambda p: np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        O.optimizer_race(loss_fn=lambda p: p @ p, grad_fn=lambda p: np.zeros(3))
    with pytest.raises(ValueError, match=r"start must be a point \(x, y\) of shape \(2,\)"):
        O.optimizer_race(start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="steps must be >= 1"):
        O.optimizer_race(steps=0)
    with pytest.raises(ValueError, match=r"kappa \(condition number\) must be a number in"):
        O.optimizer_race(kappa=0.0)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 0.99\]"):
        O.optimizer_race(momentum=1.5)
    with pytest.raises(TypeError, match="loss_fn must be a function"):
        O.optimizer_race(loss_fn="x^2")


# ---- momentum_explorer ---------------------------------------------------------------------

def test_momentum_explorer_starts_where_the_slides_demo_starts():
    app = O.momentum_explorer()
    st = app.state()
    assert st["lr"] == 0.003 and st["momentum"] == 0.0   # Kiran, slide "Optimizer Comparison"
    # E = 0.5 (10 x^2 + 400 y^2): plain GD, x shrinks by 1 - 0.003 * 10 = 0.97 per step
    path = dl.optim.trajectory("gd", quad_grad(10.0, 400.0), (-1.0, 0.4), 150, lr=0.003)
    xs, ys = app.path_line.get_data()
    np.testing.assert_allclose(np.column_stack([xs, ys]), path, atol=1e-12)
    np.testing.assert_allclose(xs[1:] / xs[:-1], 0.97)
    assert "0.9700" in st["rate"] and "stable" in st["stability"]
    assert "α·h_max = 1.2" in st["stability"]
    for ax in app.fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_momentum_explorer_reproduces_the_worked_example():
    # E = w^2 (h = 2), w0 = 1, eta = 0.1, gamma = 0.9: 0.8, 0.46, 0.062, -0.3086 (syllabus L09)
    app = O.momentum_explorer(lr=0.1, momentum=0.9, curvatures=(2.0, 2.0), start=(1.0, 0.0),
                              steps=10)
    np.testing.assert_allclose(app.path_line.get_xdata()[:5], [1.0, 0.8, 0.46, 0.062, -0.3086],
                               atol=1e-12)
    app.controls["momentum"].value = 0.0      # plain GD: 0.8, 0.64, 0.512
    np.testing.assert_allclose(app.path_line.get_xdata()[:4], [1.0, 0.8, 0.64, 0.512],
                               atol=1e-12)


def test_momentum_explorer_stability_boundary():
    app = O.momentum_explorer(steps=60)
    betas = app.boundary.get_ydata()
    np.testing.assert_allclose(app.boundary.get_xdata(), 2 * (1 + betas) / 400)
    app.controls["lr"].value = 0.006            # 0.006 * 400 = 2.4 > 2
    assert "unstable" in app.state()["stability"] and not app.stable
    assert abs(app.path_line.get_ydata()[-1]) > 1   # y grows by |1 - 2.4| = 1.4 per step
    app.controls["momentum"].value = 0.5        # 2.4 < 2 (1 + 0.5) = 3
    assert app.stable and "→ stable" in app.state()["stability"]
    assert app.point.get_xdata()[0] == 0.006 and app.point.get_ydata()[0] == 0.5
    app.controls["method"].value = "nag"        # 2 (1.5) / 2 = 1.5 < 2.4
    np.testing.assert_allclose(app.boundary.get_xdata(),
                               2 * (1 + betas) / ((1 + 2 * betas) * 400))
    assert not app.stable
    path = dl.optim.trajectory("nag", quad_grad(10.0, 400.0), (-1.0, 0.4), 60, lr=0.006,
                               momentum=0.5)
    n = np.isfinite(path[:, 0]).sum()
    np.testing.assert_allclose(app.path[:n], path[:n])


def test_momentum_explorer_contraction_matches_the_path():
    app = O.momentum_explorer(lr=0.004, momentum=0.6, steps=400)
    # heavy ball on h: roots of z^2 - (1 + b - a h) z + b; the flat direction (h = 10)
    rho = max(abs(np.roots([1, -(1 + 0.6 - 0.004 * 10), 0.6])))
    assert app.rho[0] == pytest.approx(rho)
    x = np.abs(app.path[:, 0])
    assert (x[400] / x[300]) ** (1 / 100) == pytest.approx(rho, rel=1e-2)
    app.controls["step"].value = 5
    assert len(app.loss_line.get_xdata()) == 6 and "Step 5" in app.state()["position"]


def test_momentum_explorer_bad_presets():
    with pytest.raises(ValueError, match="method must be one of"):
        O.momentum_explorer(method="adam")
    with pytest.raises(ValueError, match="0 < h1 <= h2"):
        O.momentum_explorer(curvatures=(400.0, 10.0))
    with pytest.raises(ValueError, match=r"lr must be a number in \[5e-05, 0.01245\]"):
        O.momentum_explorer(lr=-0.1)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 0.99\]"):
        O.momentum_explorer(momentum=1.0)


# ---- momentum_explorer(mine=...): the learner's momentum step beside dlcore's ------------------

def _my_momentum_step(w, delta, grad, lr, momentum):
    new_delta = lr * grad + momentum * delta
    return w - new_delta, new_delta


def test_momentum_explorer_with_a_correct_step_matches_every_point():
    app = O.momentum_explorer(lr=0.003, momentum=0.6, mine=_my_momentum_step)
    w, delta, path = np.array([-1.0, 0.4]), np.zeros(2), [np.array([-1.0, 0.4])]
    for _ in range(150):  # the slides' form by hand on E = (10 x^2 + 400 y^2) / 2
        w, delta = _my_momentum_step(w, delta, quad_grad(10.0, 400.0)(w), 0.003, 0.6)
        path.append(w)
    np.testing.assert_allclose(app.mine_path, np.array(path), rtol=1e-9, atol=1e-12)
    assert not app.mine_differ.any()
    assert "all 151 points match dlcore's momentum" in app.state()["mine"]
    app.controls["momentum"].value = 0.0  # plain descent: still compared
    assert "all 151 points match" in app.state()["mine"]


def test_momentum_explorer_marks_where_a_wrong_step_leaves_the_path():
    def old_velocity(w, delta, grad, lr, momentum):  # steps by the previous delta
        return w - delta, lr * grad + momentum * delta

    app = O.momentum_explorer(lr=0.003, momentum=0.5, steps=40, mine=old_velocity)
    reference = dl.optim.trajectory("momentum", quad_grad(10.0, 400.0), (-1.0, 0.4), 40,
                                    lr=0.003, momentum=0.5)
    w, delta, wrong = np.array([-1.0, 0.4]), np.zeros(2), [np.array([-1.0, 0.4])]
    for _ in range(40):
        w, delta = old_velocity(w, delta, quad_grad(10.0, 400.0)(w), 0.003, 0.5)
        wrong.append(w)
    wrong = np.array(wrong)
    expected_bad = ~np.all(np.isclose(wrong, reference, rtol=1e-6, atol=1e-9), axis=1)
    np.testing.assert_array_equal(app.mine_differ, expected_bad)
    state = app.state()["mine"]
    assert f"{int(expected_bad.sum())} of 41 points differ from dlcore's momentum" in state
    assert "the first at step 1" in state
    np.testing.assert_allclose(app.mine_marks.get_xydata(), wrong[expected_bad])
    app.controls["method"].value = "nag"  # a heavy-ball step is not Nesterov's
    assert "choose 'heavy ball" in app.state()["mine"] and not app.mine_line.get_visible()
    app.controls["method"].value = "momentum"
    assert app.mine_line.get_visible()


def test_momentum_explorer_shows_the_learners_error_and_keeps_working():
    def breaks(w, delta, grad, lr, momentum):
        if np.abs(w[1]) < 0.3:
            raise FloatingPointError("too close")
        return _my_momentum_step(w, delta, grad, lr, momentum)

    def blank(w, delta, grad, lr, momentum):
        raise NotImplementedError  # your code here

    app = O.momentum_explorer(lr=0.001, momentum=0.0, mine=breaks)
    state = app.state()["mine"]
    assert "raised FloatingPointError: too close at step t = " in state
    rows = app.mine_rows
    assert np.isnan(app.mine_path[rows:]).all() and np.isfinite(app.mine_path[:rows]).all()
    app.controls["lr"].value = 0.002  # the widget still answers its controls
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", quad_grad(10.0, 400.0),
                                                             (-1.0, 0.4), 150, lr=0.002))
    assert "not written yet" in O.momentum_explorer(mine=blank).state()["mine"]
    one = O.momentum_explorer(mine=lambda w, d, g, lr, mu: w - lr * g)
    assert "should return 2 results (w, delta)" in one.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your momentum step function"):
        O.momentum_explorer(mine=0.9)


# ---- adaptive_steps ------------------------------------------------------------------------

def test_adaptive_steps_adagrad_rates_are_lr_over_root_sum():
    app = O.adaptive_steps(steps=30)
    path = dl.optim.trajectory("adagrad", quad_grad(1.0, 20.0), (-4.5, 2.0), 30, lr=1.0)
    np.testing.assert_allclose(app.path, path, atol=1e-12)
    g = np.array([quad_grad(1.0, 20.0)(p) for p in path[:-1]])
    expected = 1.0 / (np.sqrt(np.cumsum(g ** 2, axis=0)) + 1e-10)
    np.testing.assert_allclose(app.rates, expected, rtol=1e-12)
    np.testing.assert_allclose(app.rate_x.get_ydata(), expected[:, 0])
    np.testing.assert_allclose(app.rate_y.get_ydata(), expected[:, 1])
    assert app.gd_rate.get_ydata()[0] == pytest.approx(2 / 21)
    assert app.ideal_y.get_ydata()[0] == pytest.approx(1 / 20) and app.ideal_y.get_visible()
    contours, line = app._contours, app.path_line
    app.controls["lr"].value = 0.5                # artists move in place; contours stay
    assert app._contours is contours and app.path_line is line
    app.controls["lr"].value = 1.0
    app.controls["step"].value = 4
    assert len(app.rate_x.get_xdata()) == 4
    assert f"{expected[3, 0]:.3g}" in app.state()["rates"]


def test_adaptive_steps_rmsprop_and_adam():
    app = O.adaptive_steps("rmsprop", surface="valley", kappa=10.0, steps=20)
    grad = valley_grad(10.0)
    path = dl.optim.trajectory("rmsprop", grad, (-4.0, -1.5), 20, lr=0.1)
    np.testing.assert_allclose(app.path, path, atol=1e-12)
    s, rates = np.zeros(2), []
    for p in path[:-1]:
        s = 0.99 * s + 0.01 * grad(p) ** 2
        rates.append(0.1 / (np.sqrt(s) + 1e-8))
    np.testing.assert_allclose(app.rates, rates, rtol=1e-10)
    assert not app.ideal_x.get_visible()
    app.controls["method"].value = "adam"
    assert app.controls["lr"].value == adaptive.PRESET_LR["adam"]
    lr = app.controls["lr"].value
    path = dl.optim.trajectory("adam", grad, (-4.0, -1.5), 20, lr=lr)
    np.testing.assert_allclose(app.path, path, atol=1e-12)
    v, rates = np.zeros(2), []
    for t, p in enumerate(path[:-1], start=1):
        v = 0.999 * v + 0.001 * grad(p) ** 2
        rates.append(lr / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8))
    np.testing.assert_allclose(app.rates, rates, rtol=1e-10)
    assert "Adam" in app.summary


def test_adaptive_steps_bad_presets():
    with pytest.raises(ValueError, match="method must be one of"):
        O.adaptive_steps("sgd")
    with pytest.raises(ValueError, match="surface must be 'quadratic' or 'valley'"):
        O.adaptive_steps(surface="rosenbrock")
    with pytest.raises(ValueError, match=r"kappa must be a number in \[1, 200\]"):
        O.adaptive_steps(kappa=0.5)


# ---- batch_noise ---------------------------------------------------------------------------

def softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_per_example_gradients_of_softmax_regression(rng):
    X = rng.random((7, 64))
    y = rng.integers(0, 10, 7)
    model = dl.nn.Linear(64, 10, rng=1)
    G = noise.per_example_gradients(model, X, y)
    # dL_i/dW = (softmax(s_i) - onehot(y_i)) x_i^T, dL_i/db = softmax(s_i) - onehot(y_i)
    d = softmax(X @ model.weight.data.T + model.bias.data) - np.eye(10)[y]
    expected = np.hstack([np.einsum("nm,nd->nmd", d, X).reshape(7, -1), d])
    np.testing.assert_allclose(G, expected, atol=1e-12)
    mb = noise.minibatch_gradients(G, 7, 3, rng=0)
    np.testing.assert_allclose(mb, np.tile(G.mean(axis=0), (3, 1)), atol=1e-12)
    one = noise.minibatch_gradients(G, 1, 20, rng=0)
    assert all(np.any(np.all(np.isclose(G, r), axis=1)) for r in one)
    assert noise.theory_spread(2.0, 7, 1) == pytest.approx(np.sqrt(2.0))
    assert noise.theory_spread(2.0, 7, 7) == 0.0


def test_batch_noise_widget():
    app = O.batch_noise(batch_size=16, draws=400, seed=0)
    assert app.cloud.get_offsets().shape == (400, 2)
    gs = app.gradient_set()
    n = gs.grads.shape[0]
    assert n == dl.data.digits().X_train.shape[0]
    assert "B = 16" in app.state()["spread"]
    assert app.rms == pytest.approx(app.theory, rel=0.15)
    theory = np.sqrt(gs.sigma2 * (n - 16) / (16 * (n - 1)))
    assert app.theory == pytest.approx(theory)
    np.testing.assert_allclose(app.measured.get_data(), [[16], [app.rms]])
    app.controls["batch_size"].value = 256
    assert app.rms < 0.5 * np.sqrt(gs.sigma2 * (n - 16) / (16 * (n - 1)))
    assert f"⌈N/B⌉ = {-(-n // 256)}" in app.state()["cosine"]
    app.controls["batch_size"].value = n
    np.testing.assert_allclose(app.cloud.get_offsets(),
                               np.tile(gs.axes @ gs.full, (400, 1)), atol=1e-12)
    assert "no noise" in app.state()["spread"]
    app.controls["batch_size"].value = 16
    first = app.cloud.get_offsets().copy()
    app.resample.click()
    assert not np.allclose(first, app.cloud.get_offsets())
    assert not app.resample.disabled
    app.controls["batch_size"].value = n            # every draw is the full batch
    assert app.resample.disabled and "B = N" in app.resample.tooltip
    app.controls["batch_size"].value = 16
    assert not app.resample.disabled
    app.controls["weights"].value = "trained"
    assert np.linalg.norm(app.gradient_set().full) < np.linalg.norm(gs.full)
    for ax in app.fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_batch_noise_bad_presets():
    with pytest.raises(ValueError, match="batch_size must be one of 1, 2, 4"):
        O.batch_noise(batch_size=3)
    with pytest.raises(ValueError, match="model must be 'linear' or 'mlp'"):
        O.batch_noise(model="cnn")
    with pytest.raises(ValueError, match="weights must be 'initial' or 'trained'"):
        O.batch_noise(weights="pretrained")
    with pytest.raises(ValueError, match=r"draws must be an integer in \[10, 2000\]"):
        O.batch_noise(draws=5)


# ---- in the browser: blitting, repaint, fit (issue 10) --------------------------------------

def test_slider_moves_blit_instead_of_drawing_everything():
    race = O.optimizer_race(steps=100)
    c = race.controls
    assert blits_after_warming(race, c["lr_gd"], 0.04, 0.035)
    assert blits_after_warming(race, c["kappa"], 40.0, 50.0)
    assert blits_after_warming(race, c["step"], 50, 60)
    assert blits_after_warming(race, c["momentum"], 0.8, 0.9)
    assert "κ = 50)" in race.ax_path.get_title()
    mom = O.momentum_explorer()
    c = mom.controls
    for key, up, down in (("lr", 0.0031, 0.003), ("momentum", 0.1, 0.0), ("step", 100, 101)):
        assert blits_after_warming(mom, c[key], up, down), key
    ada = O.adaptive_steps()
    c = ada.controls
    for key, up, down in (("lr", 1.1, 1.0), ("kappa", 25.0, 20.0), ("step", 50, 51)):
        assert blits_after_warming(ada, c[key], up, down), key
    noise_app = O.batch_noise()
    assert blits_after_warming(noise_app, noise_app.controls["batch_size"], 64, 32)
    assert full_draws(noise_app, [noise_app.resample.click]) == 0
    # a change of surface (new window and scale) draws everything again
    assert full_draws(race, [lambda: setattr(race.controls["surface"], "value",
                                              "rosenbrock")]) >= 1


def test_the_first_image_after_a_full_draw_is_whole():
    # ipympl's browser side drops an image that a newer one replaces before it is painted;
    # a diff (blit) right after a full draw left only the moving artists on a blank canvas.
    for app, key in ((O.optimizer_race(steps=20), "lr_gd"), (O.momentum_explorer(steps=20),
                     "momentum"), (O.adaptive_steps(steps=20), "step"),
                     (O.batch_noise(), "batch_size")):
        control = app.controls[key]
        values = [16, 64] if key == "batch_size" else \
            [control.value * 0.9, control.value] if key != "momentum" else [0.1, 0.0]
        values = [int(v) for v in values] if key == "step" else values
        full_draws(app, [])
        canvas, modes = app.fig.canvas, []
        canvas.send_binary = lambda data, c=canvas, m=modes: m.append(c._current_image_mode)
        for v in values:
            control.value = v
        del canvas.send_binary
        assert modes == ["full", "diff"], (key, modes)


def _titles_fit(app):
    """Every axes title lies inside the figure and no two titles overlap."""
    fig = app.fig
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    width = fig.bbox.width
    inside = all(b.x0 >= -0.5 and b.x1 <= width + 0.5 for b in boxes)
    apart = not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    return inside and apart


def test_titles_fit_at_the_usual_widths():
    for app in (O.optimizer_race(steps=20), O.momentum_explorer(steps=20),
                O.adaptive_steps(steps=20), O.batch_noise()):
        for width in (848, 800, 1488):
            app.fit(width)
            assert _titles_fit(app), (type(app).__name__, width)


def test_momentum_step_size_slider_holds_the_slides_value():
    app = O.momentum_explorer()
    s = app.controls["lr"]
    assert s.step == pytest.approx(5e-5) and s.min == pytest.approx(5e-5)
    assert (0.003 - s.min) / s.step == pytest.approx(round((0.003 - s.min) / s.step))
    assert s.readout is False and s._dl_display.children[1].value == "0.003"
    s.value = 0.00305
    assert s._dl_display.children[1].value == "0.00305"
    assert app.ax_stab.get_ylim()[0] < 0              # the point at β = 0 is drawn whole
    assert app.ax_stab.get_legend() is None
    assert {t.get_text() for t in app.region_labels} == {"stable", "unstable"}


def test_figures_have_whole_pixel_sizes():
    # 836 x 334.4 px: the browser scaled the 334 px bitmap to 334.4 px and blurred it
    for app in (O.optimizer_race(steps=20), O.momentum_explorer(steps=20),
                O.adaptive_steps(steps=20), O.batch_noise()):
        for width in (848, 800, 1488, 420):
            app.fit(width)
            size = app.fig.get_size_inches() * app.fig.dpi
            np.testing.assert_allclose(size, np.round(size), atol=1e-6)


# ---- optimizer_race(mine=...): the learner's Adam step beside dlcore's --------------------------

def _my_adam_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _uncorrected_adam_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * m / (np.sqrt(v) + eps), m, v


def _path_of(step, grad_fn, start, steps, lr, betas):
    w, m, v, path = np.array(start, float), np.zeros(2), np.zeros(2), [np.array(start, float)]
    for t in range(1, steps + 1):
        w, m, v = step(w, grad_fn(w), m, v, t, lr=lr, beta1=betas[0], beta2=betas[1])
        path.append(w)
    return np.array(path)


def test_race_with_a_correct_adam_step_matches_every_point():
    app = O.optimizer_race("valley", steps=40, mine=_my_adam_step)
    expected = _path_of(_my_adam_step, valley_grad(), app.surf.start, 40,
                        app.controls["lr_adam"].value, (0.9, 0.999))
    np.testing.assert_allclose(app.mine_path, expected, rtol=1e-9)
    assert not app.mine_differ.any()
    assert "all 41 points match dlcore's Adam" in app.state()["mine"]
    assert app.mine_marks.get_xydata().size == 0 and app.mine_line.get_visible()
    assert "yours (_my_adam_step)" in [t.get_text() for t in app.legend.get_texts()]


def test_race_marks_the_points_where_a_wrong_adam_step_leaves_adams_path():
    app = O.optimizer_race("quadratic", kappa=10.0, steps=30, mine=_uncorrected_adam_step)
    lr, start = app.controls["lr_adam"].value, app.surf.start
    reference = dl.optim.trajectory("adam", quad_grad(1.0, 10.0), start, 30, lr=lr)
    wrong = _path_of(_uncorrected_adam_step, quad_grad(1.0, 10.0), start, 30, lr, (0.9, 0.999))
    expected_bad = ~np.all(np.isclose(wrong, reference, rtol=1e-6, atol=1e-9), axis=1)
    assert expected_bad[1] and not expected_bad[0]
    np.testing.assert_array_equal(app.mine_differ, expected_bad)
    state = app.state()["mine"]
    assert f"{int(expected_bad.sum())} of 31 points differ from dlcore's Adam" in state
    assert "the first at step 1" in state and "largest distance" in state
    np.testing.assert_allclose(app.mine_marks.get_xydata(), wrong[expected_bad])
    app.controls["step"].value = 3  # marks only up to the step shown
    assert len(app.mine_marks.get_xydata()) == int(expected_bad[:4].sum())


def test_race_shows_the_learners_error_and_keeps_racing():
    def breaks_at_step_4(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if t == 4:
            return w[10]
        return _my_adam_step(w, grad, m, v, t, lr, beta1, beta2, eps)

    app = O.optimizer_race("valley", steps=20, mine=breaks_at_step_4)
    state = app.state()["mine"]
    assert "raised IndexError" in state and "at step t = 4" in state
    assert "all 4 points match" in state
    assert np.isnan(app.mine_path[4:]).all()
    old = app.paths["adam"].copy()
    app.controls["lr_adam"].value = 0.05  # the race still answers its controls
    assert not np.allclose(app.paths["adam"], old)
    np.testing.assert_allclose(app.paths["adam"],
                               dl.optim.trajectory("adam", valley_grad(), app.surf.start, 20,
                                                   lr=app.controls["lr_adam"].value))
    assert "raised IndexError" in app.state()["mine"]


def test_race_with_a_blank_or_misshapen_adam_step_races_dlcores():
    def blank(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError  # your code here

    app = O.optimizer_race("valley", steps=10, optimizers=("gd",), mine=blank)
    assert app.controls["use_adam"].value  # ticked for your step
    assert "not written yet" in app.state()["mine"] and app.mine_path is None
    assert not app.mine_line.get_visible()
    assert "Adam: loss gap" in app.state()["race"]
    two = O.optimizer_race("valley", steps=10, mine=lambda w, g, m, v, t, **k: (w, m))
    assert "should return 3 results (w, m, v)" in two.state()["mine"]
    flat = O.optimizer_race("valley", steps=10, mine=lambda w, g, m, v, t, **k: (w, m, v[:1]))
    assert "returned shape (1,) for v" in flat.state()["mine"]
    hidden = O.optimizer_race("valley", steps=10, mine=_my_adam_step)
    hidden.controls["use_adam"].value = False
    assert "Tick Adam to see it" in hidden.state()["mine"]
    assert not hidden.mine_line.get_visible()
    with pytest.raises(TypeError, match="mine must be your Adam step function"):
        O.optimizer_race(mine=np.zeros(2))
