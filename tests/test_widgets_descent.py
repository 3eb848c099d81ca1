"""Widgets of lecture 4 (dlcore.widgets.descent), built headless: controls in, plotted data out.

Expected values come from the syllabus (L04 worked examples), from ``dl.optim.trajectory`` run
on gradients written here, or from closed forms; never from the widget itself.
"""

from types import SimpleNamespace

import numpy as np
import pytest

import dlcore as dl
from dlcore.widgets import descent
from tests.widget_helpers import blit_check

pytestmark = pytest.mark.lec04

X = np.array([0.5, 2.5])
Y = np.array([0.2, 0.9])
XL = np.array([10.0, 2.0, 3.5, 1.0])
YL = np.array([10.1, 1.9, 3.4, 1.1])
SLIDE_GUESSES = [(0.5, 0.0), (-0.1, 0.0), (0.94, -0.94), (1.42, -1.73), (1.65, -2.08),
                 (1.78, -2.27)]
SLIDE_L = [0.0730, 0.1481, 0.0214, 0.0028, 0.0003, 0.0000]
EXACT_L = [0.073114, 0.148132, 0.021672, 0.002892, 0.000344, 0.000002]


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss(theta):
    return 0.5 * np.sum((Y - sig(theta[0] * X + theta[1])) ** 2)


def grad(theta):
    f = sig(theta[0] * X + theta[1])
    d = (f - Y) * f * (1 - f)
    return np.array([np.sum(d * X), np.sum(d)])



def test_widgets_leave_pyplot_backend_alone():
    # importing ipympl switches pyplot to its backend; later static plots must stay inline
    import matplotlib

    before = matplotlib.get_backend()
    descent.step_vs_sigmoid()
    assert matplotlib.get_backend() == before
    assert "ipympl" not in before


# ---- step_vs_sigmoid ---------------------------------------------------------------------

def test_step_vs_sigmoid_default_reproduces_the_syllabus():
    app = descent.step_vs_sigmoid()
    st = app.state()
    assert "step -> 0 (dislike)" in st["r0"] and "0.4975" in st["r0"]
    assert "step -> 1 (like)" in st["r1"] and "0.5025" in st["r1"]
    np.testing.assert_allclose(app.sigmoid_marks.get_offsets()[:, 1], sig(np.array([-0.01,
                                                                                   0.01])))
    np.testing.assert_allclose(app.step_marks.get_offsets()[:, 1], [0, 1])
    assert app.fig.axes[0].get_title() and app.fig.axes[0].get_xlabel() == "criticsRating x"
    assert "changes by 1" in app.summary and "0.0050" in app.summary


def test_step_vs_sigmoid_controls():
    app = descent.step_vs_sigmoid()
    app.controls["w0"].value = -0.3
    assert app.threshold_line.get_xdata()[0] == pytest.approx(0.3)
    assert "0.300" in app.state()["threshold"]
    app.controls["w0"].value = -0.5
    app.controls["sharpness"].value = 100.0
    # sigma(100 * (0.51 - 0.5)) = sigma(1)
    assert app.sigmoid_marks.get_offsets()[1, 1] == pytest.approx(sig(1.0))
    xs, ys = app.sigmoid_line.get_data()
    np.testing.assert_allclose(ys, sig(100 * (np.asarray(xs) - 0.5)), atol=1e-12)
    app.controls["w1"].value = 0.0
    assert "ignores the rating" in app.state()["threshold"]
    assert not app.threshold_line.get_visible()


def test_step_vs_sigmoid_bad_presets():
    with pytest.raises(ValueError, match=r"w0 must lie in \[-3, 3\]"):
        descent.step_vs_sigmoid(w0=10)
    with pytest.raises(ValueError, match=r"ratings must be criticsRating values in \[0, 1\]"):
        descent.step_vs_sigmoid(ratings=(0.5, 1.5))
    with pytest.raises(TypeError, match="w1 must be a real number"):
        descent.step_vs_sigmoid(w1="1")


# ---- sigmoid_fit -------------------------------------------------------------------------

def test_sigmoid_fit_live_loss_and_curve():
    app = descent.sigmoid_fit()
    assert "0.073114" in app.state()["loss"]
    app.controls["w"].value, app.controls["b"].value = 1.0, -1.0
    assert f"{loss((1.0, -1.0)):.6f}" in app.state()["loss"]
    xs, ys = app.curve.get_data()
    np.testing.assert_allclose(ys, sig(1.0 * np.asarray(xs) - 1.0))
    np.testing.assert_allclose(app.preds.get_offsets()[:, 1], sig(X - 1.0))
    assert app.current.get_xdata()[0] == 1.0 and app.current.get_ydata()[0] == -1.0


def test_sigmoid_fit_replays_the_six_guesses_from_the_slides():
    app = descent.sigmoid_fit()
    assert app.controls["replay"].description == "next slide guess"
    assert "seed" not in app.controls["replay"].tooltip
    for _ in range(6):
        app.controls["replay"].click()
    g = np.array(app.guesses)
    np.testing.assert_allclose(g[:, :2], SLIDE_GUESSES)
    np.testing.assert_allclose(g[:, 2], EXACT_L, atol=5e-7)
    np.testing.assert_allclose(g[:, 2], SLIDE_L, atol=5e-4)
    np.testing.assert_allclose(app.trail.get_xdata(), [w for w, _ in SLIDE_GUESSES])
    assert (app.controls["w"].value, app.controls["b"].value) == SLIDE_GUESSES[-1]
    log = app.state()["log"]
    assert "0.021672" in log and "0.148132" in log and log.count("\n") == 6
    app.controls["clear"].click()
    assert app.guesses == [] and len(app.trail.get_xdata()) == 0
    app.controls["w"].value = 2.0
    app.controls["log"].click()
    assert app.guesses == [(2.0, -2.27, pytest.approx(loss((2.0, -2.27))))]


def test_sigmoid_fit_learner_loss_and_bad_presets():
    app = descent.sigmoid_fit(loss_fn=lambda t: 2 * loss(t))
    assert f"{2 * loss((0.5, 0.0)):.6f}" in app.state()["loss"]
    with pytest.raises(ValueError, match=r"w must lie in \[-6, 6\]"):
        descent.sigmoid_fit(w=7)
    with pytest.raises(TypeError, match="loss_fn must be a function"):
        descent.sigmoid_fit(loss_fn=0.5)
    with pytest.raises(TypeError, match="must return one number"):
        descent.sigmoid_fit(loss_fn=lambda t: [1.0, 2.0])
    with pytest.raises(ValueError, match=r"same shape \(N,\)"):
        descent.sigmoid_fit(data_xy=([1.0, 2.0], [0.5]))


# ---- random_search -----------------------------------------------------------------------

def test_random_search_marks_the_best_guess():
    app = descent.random_search(rng=0)
    assert "no guesses yet" in app.state()["tries"]
    app.controls["draw"].click()
    pts = np.asarray(app.tries.get_offsets())
    assert pts.shape == (10, 2) and np.all(np.abs(pts) <= 6)
    vals = np.array([loss(p) for p in pts])
    k = int(np.argmin(vals))
    np.testing.assert_allclose([app.best_mark.get_xdata()[0], app.best_mark.get_ydata()[0]],
                               pts[k])
    np.testing.assert_allclose(app.best_line.get_ydata(), np.minimum.accumulate(vals))
    assert f"{vals[k]:.6f}" in app.state()["best"]
    app.controls["per_click"].value = 100
    app.controls["draw"].click()
    assert len(app.tries.get_offsets()) == 110
    app.controls["reset"].click()
    assert len(app.tries.get_offsets()) == 0


def test_random_search_is_seeded_and_takes_a_loss():
    a = descent.random_search(rng=3)
    b = descent.random_search(rng=3)
    a.draw(5)
    b.draw(5)
    np.testing.assert_array_equal(a.points, b.points)
    app = descent.random_search(loss_fn=lambda t: (t[0] - 1) ** 2 + (t[1] - 2) ** 2, rng=0,
                                   window=(-3, 3, -3, 3))
    assert app.optimum == pytest.approx((1.0, 2.0))  # grid point of the minimum
    app.draw(50)
    assert np.all(np.abs(app.points) <= 3)
    with pytest.raises(ValueError, match="per_click must be one of 1, 10, 100, 1000"):
        descent.random_search(per_click=5)
    with pytest.raises(TypeError, match="rng must be"):
        descent.random_search(rng="seed")


# ---- error_surface -----------------------------------------------------------------------

def test_error_surface_reproduces_the_syllabus_run():
    app = descent.error_surface()
    path = dl.optim.trajectory("gd", grad, [-2.0, -2.0], 1000, lr=1.0)
    np.testing.assert_allclose(app.path, path, atol=1e-12)
    app.controls["next"].click()
    assert app.controls["t"].value == 1
    assert "(-1.994508, -1.992289)" in app.state()["point"]
    app.controls["t"].value = 90
    assert loss(path[90]) == pytest.approx(0.0295, abs=1e-4)
    assert f"L = {loss(path[90]):.6f}" in app.state()["point"]
    xs, ys = app.path2d.get_data()
    assert len(xs) == 91
    np.testing.assert_allclose(ys, path[:91, 1])
    _, _, zs = app.path3d.get_data_3d()
    np.testing.assert_allclose(zs, [loss(p) for p in path[:91]], atol=1e-12)
    np.testing.assert_allclose(app.loss_now.get_ydata(), zs)
    app.controls["t"].value = 1000
    np.testing.assert_allclose(app.now2d.get_xydata()[0], [1.79172, -2.28212], atol=5e-6)
    assert "1000" in app.summary


def test_error_surface_learning_rate_and_start():
    app = descent.error_surface()
    assert list(app.controls["lr"].options) == [0.1, 1.0, 10.0]
    app.controls["lr"].value = 10.0
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", grad, [-2, -2], 1000,
                                                             lr=10.0))
    app.controls["t"].value = 5
    app._on_click(SimpleNamespace(inaxes=app.ax, xdata=1.0, ydata=0.5))
    assert (app.controls["w0"].value, app.controls["b0"].value) == (1.0, 0.5)
    assert app.controls["t"].value == 0
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", grad, [1.0, 0.5], 1000,
                                                             lr=10.0))
    app._on_click(SimpleNamespace(inaxes=app.ax_loss, xdata=3.0, ydata=3.0))  # ignored
    assert app.controls["w0"].value == 1.0
    app2 = descent.error_surface(lr=0.5, steps=20)
    assert 0.5 in app2.controls["lr"].options and app2.path.shape == (21, 2)


def test_error_surface_accepts_the_learners_gradient():
    def my_grad(theta):  # a sign mistake: ascends
        return -grad(theta)

    app = descent.error_surface(grad_fn=my_grad, start=(0.5, 0.0), steps=50)
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", my_grad, [0.5, 0.0], 50,
                                                             lr=1.0))
    assert app.losses[-1] > app.losses[0]
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        descent.error_surface(grad_fn=lambda t: np.zeros(3))
    with pytest.raises(TypeError, match="grad_fn must be a function"):
        descent.error_surface(grad_fn=[1, 2])
    with pytest.raises(ValueError, match=r"start\[0\] \(w\) must lie in \[-6, 6\]"):
        descent.error_surface(start=(9, 0))
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        descent.error_surface(lr=0)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        descent.error_surface(steps=0)


# ---- taylor_direction --------------------------------------------------------------------

def test_taylor_direction_first_order_vs_true_change():
    app = descent.taylor_direction(lr=0.5)
    g = np.array([-0.008528, 0.067904])  # syllabus: gradient at (0.5, 0)
    k = np.linalg.norm(g)
    assert f"{k:.4f}" in app.state()["k"]
    betas, pred = app.pred_line.get_data()
    np.testing.assert_allclose(pred, 0.5 * k * np.cos(np.deg2rad(betas)), rtol=1e-4)
    _, true = app.true_line.get_data()
    ghat = grad((0.5, 0.0)) / np.linalg.norm(grad((0.5, 0.0)))
    theta = np.array([0.5, 0.0])
    assert true[0] == pytest.approx(loss(theta + 0.5 * ghat) - loss(theta))
    assert true[180] == pytest.approx(loss(theta - 0.5 * ghat) - loss(theta))
    assert np.argmin(pred) == 180  # beta = 180 degrees
    offs = app.marks.get_offsets()
    assert offs[0, 1] == pytest.approx(-0.5 * k, rel=1e-4)
    app.controls["beta"].value = 90.0
    assert abs(app.marks.get_offsets()[0, 1]) < 1e-12


def test_taylor_direction_small_steps_agree():
    app = descent.taylor_direction(lr=0.01, beta=150.0)
    pred, true = app.marks.get_offsets()[:, 1]
    assert true == pytest.approx(pred, rel=0.02)
    app.controls["lr"].value = 5.0  # a long step: the first-order term is far off
    pred, true = app.marks.get_offsets()[:, 1]
    assert abs(true - pred) > 0.1 * abs(pred)


def test_taylor_direction_presets():
    app = descent.taylor_direction(theta=(1.0, -1.0), loss_fn=loss, grad_fn=grad)
    assert f"{np.linalg.norm(grad((1.0, -1.0))):.6f}" in app.state()["k"]
    with pytest.raises(ValueError, match="zero or not finite"):
        descent.taylor_direction(theta=(np.log(6), -np.log(4) - 0.5 * np.log(6)))
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 360\]"):
        descent.taylor_direction(beta=400)
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\)"):
        descent.taylor_direction(theta=(1.0, 2.0, 3.0))


# ---- step_size_limit ---------------------------------------------------------------------

def batch_path(lr, steps, w=0.0):
    out = [w]
    for _ in range(steps):
        w = w + lr * np.sum((YL - w * XL) * XL)
        out.append(w)
    return np.array(out)


def test_step_size_limit_batch():
    app = descent.step_size_limit()
    np.testing.assert_allclose(app.path, batch_path(0.01, 40))
    st = app.state()
    assert "0.017058" in st["limit"] and "1.004691" in st["limit"]
    assert st["status"].startswith("converges")
    assert app.factor_dot.get_ydata()[0] == pytest.approx(abs(1 - 0.01 * 117.25))
    assert app.limit_line.get_xdata()[0] == pytest.approx(2 / 117.25)
    limit = 2 / np.sum(XL ** 2)
    app.controls["lr"].value = 0.98 * limit
    assert app.state()["status"].startswith("converges")
    app.controls["lr"].value = 1.02 * limit
    assert app.state()["status"].startswith("diverges")
    app.controls["lr"].value = 1.0
    app.controls["t"].value = 3
    np.testing.assert_allclose(app.iter_line.get_xdata(), batch_path(1.0, 3))
    assert app.state()["status"].startswith("diverges")


def test_step_size_limit_per_sample_loop_cycles():
    app = descent.step_size_limit(lr=1.0, mode="sample")
    assert [label for label, _ in app.controls["mode"].options] == [
        "batch GD (sum over all points)", "per-sample (one step per point)"]
    app.controls["t"].value = 12
    it = app.state()["iterates"]
    assert "0, 101, -299.2, 3377.9, 1.1, -7.9, 27.5, -297.475, 1.1" in it
    status = app.state()["status"]
    assert "4-step cycle" in status and "does not converge" in status
    np.testing.assert_allclose(app.path[4::4], 1.1, atol=1e-9)
    assert app.factor == 0.0  # (1 - 1 * 1^2) = 0 for the fourth point
    app.controls["mode"].value = "batch"
    assert app.state()["status"].startswith("diverges")
    app.controls["mode"].value = "sample"
    app.controls["lr"].value = 0.05  # |prod(1 - 0.05 x^2)| = 4 * ... > 1
    assert app.state()["status"].startswith("diverges")


def test_step_size_limit_bad_presets():
    with pytest.raises(ValueError, match="mode must be one of 'batch', 'sample'"):
        descent.step_size_limit(mode="online")
    with pytest.raises(ValueError, match=r"lr must lie in \[0.001, 2\]"):
        descent.step_size_limit(lr=5)
    with pytest.raises(TypeError, match="steps must be an integer"):
        descent.step_size_limit(steps=2.5)


# ---- screen fit, speed, disabled controls, readouts (issue 10) ----------------------------

def set_value(control, value):
    return lambda: setattr(control, "value", value)


@pytest.mark.parametrize("name", sorted(descent.__all__))
def test_descent_figures_and_legends_fit(name):
    app = getattr(descent, name)()
    for width in (848, 1488, 800, 400):
        app.fit(width)
        app.fig.canvas.draw()
        fig_w = app.fig.get_figwidth() * app.fig.dpi
        assert fig_w <= width - 12 + 0.5
        for ax in app.fig.axes:
            leg = ax.get_legend()
            if leg is not None:  # below or beside its panel, never cut off at the edge
                box = leg.get_window_extent()
                assert box.x0 >= -1 and box.x1 <= fig_w + 1, (name, width, box)


@pytest.mark.parametrize(("name", "control", "value"), [
    ("step_vs_sigmoid", "w0", -0.2), ("step_vs_sigmoid", "sharpness", 10.0),
    ("sigmoid_fit", "w", 1.5), ("sigmoid_fit", "b", -2.0),
    ("error_surface", "t", 40), ("error_surface", "w0", 1.0), ("error_surface", "b0", 3.0),
    ("taylor_direction", "beta", 100.0), ("taylor_direction", "lr", 0.08),
    ("taylor_direction", "lr", 5.0),  # a new range of changes: the y axis is blitted too
    ("step_size_limit", "lr", 0.012), ("step_size_limit", "lr", 1.5),
    ("step_size_limit", "t", 10),
])
def test_slider_changes_are_blitted(name, control, value):
    app = getattr(descent, name)()
    full, bad = blit_check(app, set_value(app.controls[control], value))
    assert full == 0, f"{name}.{control}: a full draw (not a blit)"
    assert bad < 30, f"{name}.{control}: the blitted frame differs from a full draw"


def test_step_size_limit_mode_change_draws_the_new_title():
    app = descent.step_size_limit()
    full, bad = blit_check(app, set_value(app.controls["mode"], "sample"))
    assert full == 1 and app.ax_f.get_title() == "Error factor per epoch"
    assert app.ax_f.get_ylabel() == "|Π(1 - ηx_i²)|"


def test_fast_toy_path_is_the_trajectory():
    from dlcore.widgets.descent import _common as C

    for lr, start in ((1.0, (-2.0, -2.0)), (10.0, (5.0, -6.0)), (0.1, (0.5, 0.0))):
        path = dl.optim.trajectory("gd", grad, list(start), 300, lr=lr)
        np.testing.assert_allclose(C.toy_gd_path(start, 300, lr), path, rtol=0, atol=1e-13)
        np.testing.assert_allclose(C.toy_losses(path), [loss(p) for p in path], atol=1e-15)
    bad = np.array([[0.0, 0.0], [np.inf, 1.0]])
    assert np.isnan(C.toy_losses(bad)[1]) and np.isfinite(C.toy_losses(bad)[0])


def test_error_surface_remembers_paths_and_disables_next_at_the_end():
    app = descent.error_surface(steps=30)
    first = app.path
    app.controls["w0"].value = 1.0
    app.controls["w0"].value = -2.0
    assert app.path is first  # the same start again: no new run
    nxt = app.controls["next"]
    assert not nxt.disabled
    app.controls["t"].value = 30
    assert nxt.disabled and "ends at step 30" in nxt.tooltip
    app.controls["t"].value = 29
    assert not nxt.disabled and nxt.tooltip == "advance gradient descent by one step"


def test_random_search_reset_disabled_without_guesses():
    app = descent.random_search(rng=0)
    reset = app.controls["reset"]
    assert reset.disabled and reset.tooltip == "no guesses to forget yet"
    app.controls["draw"].click()
    assert not reset.disabled and reset.tooltip == "forget every guess"
    reset.click()
    assert reset.disabled


def test_sigmoid_fit_clear_disabled_when_log_empty_and_log_box_bounded():
    app = descent.sigmoid_fit()
    clear = app.controls["clear"]
    assert clear.disabled and clear.tooltip == "the log is empty"
    for _ in range(9):
        app.controls["replay"].click()
    assert not clear.disabled
    assert "max-height:150px;overflow-y:auto" in app.state()["log"]  # 10 lines, fixed box
    clear.click()
    assert clear.disabled


def test_readouts_use_numbers_as_people_write_them():
    app = descent.taylor_direction()
    assert "Step η = 0.05 at angle 180°" in app.summary  # not 0.0501
    assert app.controls["beta"].description == "angle β to ∇L (°)"
    app = descent.step_size_limit(lr=0.0123456)
    assert "η = 0.0123 is below it" in app.state()["limit"]
    assert app.limit_line.get_label() == "2/Σx² = 0.0171"
    app = descent.error_surface(lr=0.5, steps=5)
    assert "with η = 0.5 from" in app.summary


# ---- error_surface(mine=...): the learner's gradient-descent step beside dlcore's ----------

def _my_gd_step(w, b, X, y, lr):
    f = sig(X @ w + b)
    d = (f - y) * f * (1 - f)
    return w - lr * (X.T @ d), b - lr * np.sum(d)


def test_error_surface_with_a_correct_step_matches_every_step():
    app = descent.error_surface(mine=_my_gd_step)
    assert "all 1000 steps match dlcore's gradient-descent step" in app.state()["mine"]
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", grad, [-2.0, -2.0], 1000,
                                                             lr=1.0), atol=1e-10)
    assert app.mine_wrong == []
    app.controls["t"].value = 1000
    assert len(app.wrong2d.get_xdata()) == 0
    np.testing.assert_allclose(app.ref2d.get_xydata(), app.path, atol=1e-10)


def test_error_surface_marks_the_steps_a_wrong_step_gets_wrong():
    def lr_missing(w, b, X, y, lr):  # the learning rate left out
        return _my_gd_step(w, b, X, y, 1.0)

    app = descent.error_surface(mine=lr_missing, lr=0.1, steps=30)
    # the learner's own path, and the correct step from each of its points
    path = [np.array([-2.0, -2.0])]
    for _ in range(30):
        w, b = _my_gd_step(path[-1][:1], path[-1][1], X[:, None], Y, 1.0)
        path.append(np.array([w[0], b]))
    path = np.array(path)
    np.testing.assert_allclose(app.path, path, atol=1e-12)
    correct = path[:-1] - 0.1 * np.array([grad(p) for p in path[:-1]])
    bad = [t + 1 for t in range(30) if not np.allclose(path[t + 1], correct[t], rtol=1e-6,
                                                         atol=1e-9)]
    assert len(bad) == 30 and app.mine_wrong == bad
    message = app.state()["mine"]
    assert "30 of 30 steps differ from dlcore's gradient-descent step" in message
    errors = np.abs(path[1:] - correct).max(axis=1)
    worst = int(np.argmax(errors))
    assert f"the largest error is {errors[worst]:.4g} at step {worst + 1}" in message
    app.controls["t"].value = 7
    np.testing.assert_allclose(app.wrong2d.get_xydata(), path[1:8])
    # dlcore's own path from the same start, dashed beside the learner's
    np.testing.assert_allclose(app.ref2d.get_xydata(),
                               dl.optim.trajectory("gd", grad, [-2.0, -2.0], 30, lr=0.1)[:8])
    full, diff = blit_check(app, lambda: setattr(app.controls["t"], "value", 12))
    assert full == 0 and diff == 0


def test_error_surface_shows_the_learners_error_and_keeps_working():
    def broken(w, b, X, y, lr):
        return w[3], b

    def blank(w, b, X, y, lr):
        raise NotImplementedError

    app = descent.error_surface(mine=broken, steps=40)
    message = app.state()["mine"]
    assert "broken raised IndexError" in message and "step 1, from (w, b) = (-2, -2)" in message
    assert app.mine_wrong is None
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", grad, [-2.0, -2.0], 40,
                                                             lr=1.0))
    app.controls["lr"].value = 10.0  # still answers its controls, with dlcore's path
    np.testing.assert_allclose(app.path, dl.optim.trajectory("gd", grad, [-2.0, -2.0], 40,
                                                             lr=10.0))
    assert "raised IndexError" in app.state()["mine"]
    assert "not written yet" in descent.error_surface(mine=blank).state()["mine"]
    none = descent.error_surface(mine=lambda w, b, X, y, lr: None)
    assert "not written yet (it returns None)" in none.state()["mine"]
    half = descent.error_surface(mine=lambda w, b, X, y, lr: (w, None))
    assert "not written yet (it returns None)" in half.state()["mine"]
    shape = descent.error_surface(mine=lambda w, b, X, y, lr: (np.zeros(2), b))
    assert "returned shape (2,) for w" in shape.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your gradient-descent step function"):
        descent.error_surface(mine=_my_gd_step(np.zeros(1), 0.0, X[:, None], Y, 1.0))
    with pytest.raises(ValueError, match="leave grad_fn and loss_fn out"):
        descent.error_surface(mine=_my_gd_step, grad_fn=grad)
    assert "mine" not in descent.error_surface(steps=5).readouts
