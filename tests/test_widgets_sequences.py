"""Lecture 13 widgets (dlcore.widgets.sequences) and static plots (dlcore.viz.sequences), built
headless: set controls, click, and check the plotted data against dlcore, torch and the
syllabus numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import dlcore as dl
from tests.widget_helpers import blit_modes

pytestmark = pytest.mark.lec13

W = pytest.importorskip("ipywidgets")
torch = pytest.importorskip("torch")


def _end(line):
    return np.array([line.get_xdata()[-1], line.get_ydata()[-1]])


# --- unrolled_rnn -------------------------------------------------------------------------

def test_unrolled_rnn_counts_match_the_syllabus_and_do_not_depend_on_T():
    app = dl.widgets.unrolled_rnn()
    state = app.state()
    assert "197,200 weights" in state["count"] and "197,402" in state["count"]
    assert "156,800" in state["shapes"] and "40,000" in state["shapes"]
    total = dl.counting.rnn_params(784, 200) + dl.counting.linear_params(200, 2)
    for T in (1, 3, 8):
        app.controls["T"].value = T
        assert sum(b.visible for b in app.boxes["h"]) == T
        assert sum(b.visible for b in app.boxes["x"]) == T
        np.testing.assert_array_equal(app.line_shared.get_ydata(), total)
        assert app.marker.get_xdata()[0] == T and app.marker.get_ydata()[0] == total
    app.controls["n"].value, app.controls["d"].value, app.controls["k"].value = 14, 7, 2
    assert "161 weights" in app.state()["count"]  # the quiz on the slides: n = 14
    assert app.boxes["x"][0].text.get_text() == "x_1\n1×14"
    assert "170 parameters" in app.summary  # 161 weights + 7 + 2 biases


def test_unrolled_rnn_bad_presets():
    with pytest.raises(ValueError, match="between 1 and 8"):
        dl.widgets.unrolled_rnn(T=9)
    with pytest.raises(TypeError, match="integer"):
        dl.widgets.unrolled_rnn(n=2.5)


# --- sequence_architectures ---------------------------------------------------------------

@pytest.mark.parametrize("task, n_in, n_out, n_hidden", [
    ("one-to-one", 1, 1, 1), ("one-to-many", 1, 4, 4), ("many-to-one", 4, 1, 4),
    ("many-to-many (aligned)", 4, 4, 4), ("many-to-many (encoder-decoder)", 3, 3, 6)])
def test_sequence_architectures(task, n_in, n_out, n_hidden):
    app = dl.widgets.sequence_architectures()
    app.controls["task"].value = task
    assert sum(b.visible for b in app.ins) == n_in
    assert sum(b.visible for b in app.outs) == n_out
    assert sum(b.visible for b in app.hid) == n_hidden
    assert sum(a.get_visible() for a in app.sides) == n_hidden - 1
    assert task in app.summary


def test_sequence_architectures_bad_task():
    with pytest.raises(ValueError, match="task must be one of"):
        dl.widgets.sequence_architectures(task="two-to-two")


# --- deep_toy_stepper ---------------------------------------------------------------------

def _torch_probs(params, x):
    H = params["w_hh"].shape[0]
    rnn = torch.nn.RNN(4, H, batch_first=True, bias=True).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(params["w_ih"]))
        rnn.weight_hh_l0.copy_(torch.tensor(params["w_hh"]))
        rnn.bias_ih_l0.copy_(torch.tensor(params["b"]))
        rnn.bias_hh_l0.zero_()
        out, _ = rnn(torch.tensor(x))
        logits = out[0] @ torch.tensor(params["w_hy"]).T + torch.tensor(params["c"])
        return torch.softmax(logits, dim=1).numpy()


def test_deep_toy_stepper_matches_torch_and_sums_the_losses():
    app = dl.widgets.deep_toy_stepper()
    vocab, x, targets = dl.data.sequences.deep_toy()
    for stage, steps in (("random weights (untrained)", 0), ("after 200 gradient steps", 200)):
        app.controls["stage"].value = stage
        expected = _torch_probs(app._snapshots[steps], x)
        losses = -np.log(expected[np.arange(4), targets])
        for t in range(1, 5):
            app.controls["t"].value = t
            heights = np.array([b.get_height() for b in app.bars_p])
            np.testing.assert_allclose(heights, expected[t - 1], atol=1e-12)
            loss_bars = np.array([b.get_height() for b in app.bars_l])
            np.testing.assert_allclose(loss_bars[:t], losses[:t], atol=1e-12)
            assert np.all(loss_bars[t:] == 0)
            assert f"{losses[:t].sum():.3f}" in app.state()["loss"]
    trained = app._snapshots[200]
    probs = _torch_probs(trained, x)[np.arange(4), targets]
    assert np.all(probs > 0.9)  # training on the summed loss learned "deep"


def test_deep_toy_stepper_bad_presets():
    with pytest.raises(ValueError, match="stage must be one of"):
        dl.widgets.deep_toy_stepper(stage="trained")
    with pytest.raises(ValueError, match="between 1 and 4"):
        dl.widgets.deep_toy_stepper(t=5)


# --- bptt_terms ---------------------------------------------------------------------------

def test_bptt_terms_sum_to_the_torch_gradient_and_explicit_term_by_hand():
    from dlcore.widgets.sequences.terms import toy_rnn

    app = dl.widgets.bptt_terms(T=6, t=5)
    x, h0, w_ih, w_hh, b, w_hy, targets = toy_rnn(0)
    x = x[:, :6]
    # dL_5/dW_hh with torch autograd, loss = cross-entropy at step 5 only
    w = torch.tensor(w_hh, requires_grad=True)
    h = torch.tensor(h0)
    hs = []
    for t in range(6):
        h = torch.tanh(torch.tensor(x[:, t]) @ torch.tensor(w_ih).T + h @ w.T
                       + torch.tensor(b))
        hs.append(h)
    logits = hs[4] @ torch.tensor(w_hy).T
    torch.nn.functional.cross_entropy(logits, torch.tensor([targets[4]])).backward()
    np.testing.assert_allclose(sum(app.terms), w.grad.numpy(), rtol=1e-10, atol=1e-12)
    # explicit term: da_t^T h_(t-1) with da_t = dL/dh_t * (1 - h_t^2)
    h_np = [hh.detach().numpy() for hh in hs]
    y_hat = torch.softmax(logits, dim=1).detach().numpy()
    y_hat[0, targets[4]] -= 1
    da = (y_hat @ w_hy) * (1 - h_np[4] ** 2)
    np.testing.assert_allclose(app.terms[4], da.T @ h_np[3], rtol=1e-10)
    sizes = [np.linalg.norm(g) for g in app.terms]
    visible = [bar.get_height() for bar in app.bars if bar.get_visible()]
    np.testing.assert_allclose(visible, sizes)
    assert sum(bar.get_visible() for bar in app.bars) == 5


def test_bptt_terms_window_drops_old_terms():
    from dlcore.widgets.sequences.terms import toy_rnn

    app = dl.widgets.bptt_terms(T=6, t=5)
    app.controls["window"].value = 2
    hatched = [bar.get_hatch() for bar in app.bars[:5]]
    assert hatched == ["//", "//", "//", None, None]
    x, h0, w_ih, w_hh, b, w_hy, targets = toy_rnn(0)
    hs, cache = dl.recurrent.rnn_forward(x[:, :6], h0, w_ih, w_hh, b)
    from dlcore.widgets.sequences.terms import loss_grad_on_h

    dhs = loss_grad_on_h(hs, w_hy, targets, 4)
    truncated = dl.recurrent.rnn_backward(dhs, cache, truncate=2)[3]
    np.testing.assert_allclose(app.terms[3] + app.terms[4], truncated, atol=1e-12)
    full = dl.recurrent.rnn_backward(dhs, cache)[3]
    err = np.linalg.norm(truncated - full) / np.linalg.norm(full)
    assert f"{100 * err:.1f}%" in app.state()["check"]
    app.controls["T"].value = 3  # t and the window follow the shorter sequence
    assert app.controls["t"].value <= 3 and sum(b.get_visible() for b in app.bars) <= 3


def test_bptt_terms_bad_presets():
    with pytest.raises(ValueError, match="between 1 and 5"):
        dl.widgets.bptt_terms(T=5, t=6)
    with pytest.raises(ValueError, match="between 2 and 10"):
        dl.widgets.bptt_terms(T=11)


# --- bptt_gradient_flow -------------------------------------------------------------------

def _torch_flow(T, norm, activation, matrix="orthogonal"):
    from dlcore.widgets.sequences.flow import flow_weights

    x, w_ih, w_hh, u = flow_weights(T, norm, matrix=matrix)
    act = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation]
    h = torch.zeros(1, w_hh.shape[0], dtype=torch.float64, requires_grad=True)
    states = [h]
    for t in range(T):
        h = act(torch.tensor(x[:, t]) @ torch.tensor(w_ih).T + h @ torch.tensor(w_hh).T)
        h.retain_grad()
        states.append(h)
    (h * torch.tensor(u)).sum().backward()
    return np.array([float(s.grad.norm()) for s in states])


@pytest.mark.parametrize("activation, norm", [("tanh", 1.0), ("tanh", 2.5),
                                              ("sigmoid", 3.0), ("relu", 0.8)])
def test_gradient_flow_matches_torch_and_respects_the_bound(activation, norm):
    app = dl.widgets.bptt_gradient_flow(T=30, norm=norm, activation=activation)
    expected = _torch_flow(30, norm, activation)
    np.testing.assert_allclose(app.line.get_ydata(), np.maximum(expected, 1e-300),
                               rtol=1e-9)
    gamma = 0.25 if activation == "sigmoid" else 1.0
    k = np.arange(31)
    np.testing.assert_allclose(app.line_bound.get_ydata(), (gamma * norm) ** (30 - k))
    assert np.all(expected <= (gamma * norm) ** (30 - k) * (1 + 1e-9))
    assert not app.line_radius.get_visible()  # orthogonal W_hh: spectral radius = norm


def test_gradient_flow_bound_uses_the_spectral_norm_not_the_spectral_radius():
    """A non-normal W_hh with spectral radius < 1 < spectral norm: the gradient grows far above
    rho^(T-k) (so rho gives no bound), and the bound drawn is (gamma ||W_hh||_2)^(T-k)."""
    from dlcore.widgets.sequences.flow import flow_weights

    T = 40
    w_hh = flow_weights(T, 2.0, matrix="non-normal")[2]
    lam = np.linalg.svd(w_hh, compute_uv=False)[0]
    rho = np.abs(np.linalg.eigvals(w_hh)).max()
    assert rho < 1 < lam and lam == pytest.approx(2.0)
    app = dl.widgets.bptt_gradient_flow(T=T, norm=2.0, activation="relu", matrix="non-normal")
    expected = _torch_flow(T, 2.0, "relu", matrix="non-normal")
    np.testing.assert_allclose(app.line.get_ydata(), expected, rtol=1e-9)
    k = np.arange(T + 1)
    np.testing.assert_allclose(app.line_bound.get_ydata(), lam ** (T - k), rtol=1e-9)
    np.testing.assert_allclose(app.line_radius.get_ydata(), rho ** (T - k), rtol=1e-9)
    assert app.line_radius.get_visible()
    assert np.all(expected <= lam ** (T - k) * (1 + 1e-9))
    assert expected[0] > 1e2 > 1e-4 > rho ** T  # it explodes although rho < 1
    state = app.state()
    assert "spectral radius ρ = 0.75" in state["bound"] and "no bound" in state["bound"]
    assert "‖W_hh‖₂ = 2.00" in app.ax.get_title()
    app.controls["matrix"].value = "orthogonal"  # the same norm, now rho = lambda
    np.testing.assert_allclose(app.line_bound.get_ydata(), 2.0 ** (T - k), rtol=1e-9)
    assert "spectral radius ρ = 2.00" in app.state()["bound"]
    assert not app.line_radius.get_visible()


def test_gradient_flow_explosion_is_possible_not_certain():
    app = dl.widgets.bptt_gradient_flow(T=40, norm=2.5, activation="tanh")
    ys = app.line.get_ydata()
    assert app.line_bound.get_ydata()[0] > 1e15   # the bound allows explosion
    assert ys[0] < 1e-6 * app.line_bound.get_ydata()[0] and ys[0] < 100  # saturated tanh
    assert "not a prediction" in app.state()["bound"]
    app.controls["norm"].value = 1.0              # gamma lambda = 1: nothing to explain
    assert "not a prediction" not in app.state()["bound"]


def test_gradient_flow_clipping_scales_but_keeps_the_shape():
    app = dl.widgets.bptt_gradient_flow(T=20, norm=1.5, activation="relu", clip=0.5,
                                        clipping=True)
    from dlcore.widgets.sequences.flow import gradient_flow

    norms, grads = gradient_flow(20, 1.5, "relu")
    total = np.sqrt(sum(np.sum(g * g) for g in grads))
    assert total > 0.5
    np.testing.assert_allclose(app.line_clip.get_ydata(), norms * 0.5 / (total + 1e-6),
                               rtol=1e-9)
    assert app.line_clip.get_visible()
    app.controls["clipping"].value = False
    assert not app.line_clip.get_visible()


# bptt_gradient_flow(mine=...): the learner's RNN step beside dlcore's ---------------------

def _my_rnn_step(x_t, h_prev, w_ih, w_hh, b):
    return np.tanh(x_t @ w_ih.T + h_prev @ w_hh.T + b)


def _untransposed_step(x_t, h_prev, w_ih, w_hh, b):
    """A slip: W_hh used without its transpose."""
    return np.tanh(x_t @ w_ih.T + h_prev @ w_hh + b)


def test_gradient_flow_mine_a_correct_step_lies_on_dlcores_curve():
    app = dl.widgets.bptt_gradient_flow(T=30, norm=1.0, mine=_my_rnn_step)
    assert "all 480 state entries of the 30 steps match" in app.state()["mine"]
    assert app.mismatch.shape == (30, 16) and not app.mismatch.any()
    expected = _torch_flow(30, 1.0, "tanh")
    np.testing.assert_allclose(app.line_mine.get_ydata(), expected, rtol=1e-9)
    assert app.line_mine.get_visible() and not app.marks_mine.get_visible()
    assert "mine" not in dl.widgets.bptt_gradient_flow().state()


def test_gradient_flow_mine_a_wrong_step_marks_the_steps_that_differ():
    from dlcore.widgets.sequences.flow import flow_weights

    T = 12
    app = dl.widgets.bptt_gradient_flow(T=T, norm=1.5, mine=_untransposed_step)
    x, w_ih, w_hh, _ = flow_weights(T, 1.5)
    # your states, step by step, against the right step on the same inputs
    h, bad = np.zeros((1, 16)), []
    for t in range(T):
        right = _my_rnn_step(x[:, t], h, w_ih, w_hh, 0.0)
        h = _untransposed_step(x[:, t], h, w_ih, w_hh, 0.0)
        bad.append(~np.isclose(h, right, rtol=1e-6, atol=1e-9)[0])
    bad = np.array(bad)
    assert not bad[0].any() and bad[1:].any(axis=1).all()   # h_prev = 0 at the first step
    np.testing.assert_array_equal(app.mismatch, bad)
    state = app.state()["mine"]
    assert f"{int(bad.sum())} of {bad.size} state entries differ" in state
    assert f"at {T - 1} of the {T} steps (k = 2, 3, 4, 5, 6, 7, ...; marked ×)" in state
    assert "largest error is" in state
    np.testing.assert_array_equal(app.marks_mine.get_xdata(), np.arange(2, T + 1))
    assert app.marks_mine.get_visible()
    assert not np.allclose(app.line_mine.get_ydata(), app.line.get_ydata())
    app.controls["activation"].value = "relu"                 # not a tanh step: no comparison
    assert "choose the tanh activation" in app.state()["mine"]
    assert not app.line_mine.get_visible() and not app.marks_mine.get_visible()


def test_gradient_flow_mine_errors_are_shown_and_the_widget_keeps_working():
    def broken(x_t, h_prev, w_ih, w_hh, b):
        return h_prev[3]

    app = dl.widgets.bptt_gradient_flow(T=20, mine=broken)
    state = app.state()["mine"]
    assert "broken raised IndexError" in state and "step 1 of 20" in state
    assert not app.line_mine.get_visible()
    app.controls["T"].value = 25                          # still answers the controls
    assert "step 1 of 25" in app.state()["mine"] and "25 steps" in app.state()["flow"]

    def blank(x_t, h_prev, w_ih, w_hh, b):
        raise NotImplementedError

    assert "not written yet" in dl.widgets.bptt_gradient_flow(mine=blank).state()["mine"]
    assert "not written yet (it returns None)" in dl.widgets.bptt_gradient_flow(
        mine=lambda x_t, h_prev, w_ih, w_hh, b: None).state()["mine"]
    assert "returned shape (16,)" in dl.widgets.bptt_gradient_flow(
        mine=lambda x_t, h_prev, w_ih, w_hh, b: h_prev[0]).state()["mine"]
    with pytest.raises(TypeError, match="mine must be your RNN step function"):
        dl.widgets.bptt_gradient_flow(mine=np.zeros(3))


def test_gradient_flow_bad_presets():
    with pytest.raises(ValueError, match="activation must be one of"):
        dl.widgets.bptt_gradient_flow(activation="gelu")
    with pytest.raises(ValueError, match="between 0.1 and 3.0"):
        dl.widgets.bptt_gradient_flow(norm=5)
    with pytest.raises(ValueError, match="matrix must be one of"):
        dl.widgets.bptt_gradient_flow(matrix="diagonal")


# --- clipping_explorer --------------------------------------------------------------------

def test_clipping_slide_example_and_squared_norm_bug():
    app = dl.widgets.clipping_explorer(preset="slide example: g = [3, 4], τ = 1",
                                       squared_norm_bug=True)
    np.testing.assert_allclose(_end(app.line_norm), [0.6, 0.8], atol=1e-6)
    np.testing.assert_allclose(_end(app.line_value), [1.0, 1.0])
    np.testing.assert_allclose(_end(app.line_bug), [0.12, 0.16], atol=1e-12)
    assert app.line_bug.get_visible()
    assert "[0.12, 0.16]" in app.state()["bug"]
    assert app.state()["norm"] == "g = [3, 4], ‖g‖₂ = 5 (squared: 25); τ = 1"


def test_clipping_course_example_value_vs_norm():
    app = dl.widgets.clipping_explorer()
    app.controls["preset"].value = "course example: g = [0.6, −0.8], τ = 0.7"
    assert app.controls["tau"].value == pytest.approx(0.7)
    np.testing.assert_allclose(_end(app.line_value), [0.6, -0.7])
    np.testing.assert_allclose(_end(app.line_norm), [0.42, -0.56], atol=1e-6)
    assert app.ball.get_radius() == pytest.approx(0.7)
    assert app.box.get_width() == pytest.approx(1.4)
    assert not app.line_bug.get_visible()


def test_clipping_click_and_drag_set_the_gradient():
    app = dl.widgets.clipping_explorer(preset="slide example: g = [3, 4], τ = 1")
    app._on_press(SimpleNamespace(inaxes=app.ax, xdata=0.3, ydata=-0.4))
    assert app.controls["preset"].value == "custom"
    np.testing.assert_allclose(_end(app.line_g), [0.3, -0.4])
    np.testing.assert_allclose(_end(app.line_norm), [0.3, -0.4])  # inside the ball
    app._on_drag(SimpleNamespace(inaxes=app.ax, xdata=-4.0, ydata=3.0))
    np.testing.assert_allclose(_end(app.line_norm), [-0.8, 0.6], atol=1e-6)
    app._on_release(None)
    app._on_drag(SimpleNamespace(inaxes=app.ax, xdata=1.0, ydata=1.0))  # not pressed: ignored
    np.testing.assert_allclose(_end(app.line_g), [-4.0, 3.0])
    app.controls["g1"].value = 2.0
    expected = np.array([2.0, 3.0])
    dl.recurrent.clip_grad_norm([expected], 1.0)
    np.testing.assert_allclose(_end(app.line_norm), expected)


def test_clipping_bad_presets():
    with pytest.raises(ValueError, match=r"2-vector"):
        dl.widgets.clipping_explorer(g=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="between 0.05 and 5.0"):
        dl.widgets.clipping_explorer(tau=0.0)
    with pytest.raises(ValueError, match="preset must be one of"):
        dl.widgets.clipping_explorer(preset="mine")


def test_every_lecture_13_widget_is_registered():
    names = set(dl.widgets.available())
    assert {"unrolled_rnn", "sequence_architectures", "deep_toy_stepper", "bptt_terms",
            "bptt_gradient_flow", "clipping_explorer"} <= names


# --- static plots -------------------------------------------------------------------------

def test_plot_gradient_norms():
    import matplotlib.pyplot as plt

    norms = {"λ = 0.5": 0.5 ** np.arange(5)[::-1], "λ = 2": 2.0 ** np.arange(5)[::-1]}
    ax = dl.viz.plot_gradient_norms(norms, bounds={"λ = 2": 2.0 ** np.arange(5)[::-1]})
    assert ax.get_yscale() == "log" and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.get_lines()) == 3
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), norms["λ = 0.5"])
    with pytest.raises(ValueError, match="length of its curve"):
        dl.viz.plot_gradient_norms(norms, bounds={"λ = 2": [1.0, 2.0]})
    with pytest.raises(TypeError, match="non-empty dict"):
        dl.viz.plot_gradient_norms([])
    plt.close("all")


def test_plot_sequence_training_and_gate_trace():
    import matplotlib.pyplot as plt

    hist = {"RNN": {"train_loss": [1.4, 1.3], "val_acc": [0.25, 0.3]},
            "LSTM": {"train_loss": [1.4, 0.2], "train_acc": [0.3, 0.95]}}
    fig = dl.viz.plot_sequence_training(hist, chance_loss=np.log(4), chance_acc=0.25)
    ax_l, ax_a = fig.axes
    np.testing.assert_allclose(ax_l.get_lines()[1].get_ydata(), [1.4, 0.2])
    np.testing.assert_allclose(ax_a.get_lines()[1].get_ydata(), [0.3, 0.95])
    assert all(ax.get_title() and ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)
    with pytest.raises(ValueError, match="train_loss"):
        dl.viz.plot_sequence_training({"x": {"loss": [1.0]}})
    ax = dl.viz.plot_gate_trace({"i": [0.1, 0.2], "f": [0.9, 0.8]}, x=[1.0, 0.0])
    assert len(ax.get_lines()) == 3 and ax.get_title()
    with pytest.raises(ValueError, match="same length"):
        dl.viz.plot_gate_trace({"i": [0.1, 0.2], "f": [0.9]})
    plt.close("all")


# --- fitting the browser (issue 10): formats, layout, disabled controls, blitting ----------

SEQUENCE_WIDGETS = ["unrolled_rnn", "sequence_architectures", "deep_toy_stepper", "bptt_terms",
                    "bptt_gradient_flow", "clipping_explorer"]


@pytest.mark.parametrize("value, text", [
    (0.05, "0.05"), (1.4, "1.4"), (50, "50"), (0.0, "0"), (3.2e-5, "3.2 × 10⁻⁵"),
    (1.61e-8, "1.6 × 10⁻⁸"), (2.5e12, "2.5 × 10¹²"), (9.96e-5, "1 × 10⁻⁴"),
    (12345.6, "12,346")])
def test_readout_numbers_are_written_as_people_write_them(value, text):
    from dlcore.widgets.sequences._common import num

    assert num(value) == text


def test_sticky_limits_keep_the_axes_while_the_data_fits():
    from dlcore.widgets.sequences._common import sticky_limits

    first = sticky_limits(None, 0.0, 10.0)
    assert first[0] < 0.0 and first[1] > 10.0
    assert sticky_limits(first, 1.0, 9.0) == first            # fits and fills: kept
    assert sticky_limits(first, 0.0, 11.0) != first           # outside: new limits
    assert sticky_limits(first, 4.0, 5.0) != first            # too small a part: new limits
    lo, hi = sticky_limits(None, 1e-8, 1.0, log=True)
    assert lo < 1e-8 and hi > 1.0
    assert sticky_limits((lo, hi), 1e-7, 0.5, log=True) == (lo, hi)


def _dynamic(app):
    return {id(a) for a in app._dynamic}


@pytest.mark.parametrize("name", SEQUENCE_WIDGETS)
def test_sequence_widgets_fit_wide_and_narrow_output_areas(name):
    app = getattr(dl.widgets, name)()
    for width in (848, 1488, 800, 400):
        app.fit(width)
        app.fig.canvas.draw()
        w, h = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5, (name, width, w)
        renderer = app.fig.canvas.get_renderer()
        box = app.fig.get_tightbbox(renderer)  # inches: nothing drawn outside the figure
        assert box.x0 >= -0.02 and box.x1 <= app.fig.get_figwidth() + 0.02, (name, width)


def test_log_slider_keeps_its_readout_and_clip_threshold_is_disabled_without_clipping():
    app = dl.widgets.bptt_gradient_flow()
    clip = app.controls["clip"]
    shown = [w for row in app._controls_box.children for w in row.children]
    assert clip._dl_display in shown                 # the slider with its "1" label
    assert clip._dl_display.children[1].value == "1"
    assert clip.disabled and "tick" in clip.tooltip
    app.controls["clipping"].value = True
    assert not clip.disabled and clip.tooltip == "largest allowed norm of the whole gradient"
    clip.value = 0.05
    assert clip._dl_display.children[1].value == "0.05"
    app.controls["clipping"].value = False
    assert clip.disabled


def test_gradient_flow_readouts_and_legend_outside_the_data():
    app = dl.widgets.bptt_gradient_flow(T=40, norm=1.0)
    flow = app.state()["flow"]
    assert "1.6 × 10⁻⁸ times" in flow and "e-0" not in flow
    assert "(γλ)^T = 1 holds" in app.state()["bound"]
    legend = app.ax.get_legend()
    assert legend is not None and legend._loc == 2 and legend.get_bbox_to_anchor() is not None
    app.fit(400)                                      # narrow: the key goes under the plot
    assert app.ax.get_legend() is None and len(app.fig.legends) == 1
    assert "γλ" not in app.ax.get_title()             # and the title is shorter
    app.fit(848)
    assert app.ax.get_legend() is not None and not app.fig.legends


def test_gradient_flow_limits_stay_for_small_steps_so_only_the_curves_are_redrawn():
    app = dl.widgets.bptt_gradient_flow()
    app.fit(848)
    app.fig.canvas.draw()
    assert {id(app.line), id(app.line_bound), id(app.ax.title)} <= _dynamic(app)
    xlim, ylim = app.ax.get_xlim(), app.ax.get_ylim()
    for key, values in (("T", (41, 40, 41, 39, 40)), ("norm", (1.05, 1.0, 1.05, 1.0))):
        for v in values:  # the arrow keys, back and forth, one slider at a time
            app.controls[key].value = v
            assert app.ax.get_xlim() == xlim and app.ax.get_ylim() == ylim
    ys = app.line.get_ydata()
    assert ylim[0] < ys.min() and ys.max() < ylim[1]
    app.controls["norm"].value = 3.0                  # far away: the axes follow
    assert app.ax.get_ylim() != ylim
    assert app.ax.get_ylim()[1] > app.line_bound.get_ydata().max()


def test_bptt_terms_axes_never_move_and_terms_beyond_T_are_greyed():
    app = dl.widgets.bptt_terms(T=8, t=8)
    xlim, ylim = app.ax.get_xlim(), app.ax.get_ylim()
    for T, t, window in ((10, 10, 10), (3, 1, 1), (6, 4, 2), (2, 2, 1)):
        app.controls["T"].value = T
        app.controls["t"].value, app.controls["window"].value = t, window
        assert app.ax.get_xlim() == xlim and app.ax.get_ylim() == ylim
        heights = [b.get_height() for b in app.bars if b.get_visible()]
        assert ylim[0] < min(heights) and max(heights) < ylim[1]
    assert app.beyond.get_visible() and app.beyond.get_x() == pytest.approx(2.5)
    app.controls["T"].value = 10
    assert not app.beyond.get_visible()
    terms = app.state()["terms"]
    assert "e-" not in terms and "e+" not in terms
    assert "× 10⁻" in app.state()["check"]


def test_bptt_terms_formula_is_shortened_for_many_terms():
    app = dl.widgets.bptt_terms(T=8, t=8)
    assert "… (5 more) …" in app.state()["formula"]
    app.controls["t"].value = 3
    assert "more" not in app.state()["formula"]


def test_unrolled_rnn_cells_are_centred_and_the_axes_never_move():
    app = dl.widgets.unrolled_rnn(T=4)
    xlim = app.ax.get_xlim()
    centre = sum(xlim) / 2
    for T in (1, 4, 8):
        app.controls["T"].value = T
        assert app.ax.get_xlim() == xlim
        xs = np.array([app.h0.text.get_position()[0]] + [b.text.get_position()[0]
                                                           for b in app.boxes["h"][:T]])
        assert abs((xs[0] + xs[-1]) / 2 - centre) < 0.5   # centred, evenly spaced
        np.testing.assert_allclose(np.diff(xs), np.diff(xs)[0])
        assert xlim[0] < xs[0] and xs[-1] < xlim[1]
    from dlcore.widgets.sequences.unrolled import _count_label, _nice_ceiling

    assert _count_label(200_000) == "200k" and _count_label(1_500_000) == "1.5M"
    assert _nice_ceiling(1.7e6) == 2e6 and _nice_ceiling(2e6) == 2e6
    ylim = app.ax_count.get_ylim()
    app.controls["n"].value = 785                     # a small change keeps the count axis
    assert app.ax_count.get_ylim() == ylim


@pytest.mark.parametrize("name, key, values", [
    ("unrolled_rnn", "n", (785, 786, 785)), ("deep_toy_stepper", "t", (2, 3, 2)),
    ("bptt_terms", "window", (7, 6, 7)), ("bptt_gradient_flow", "T", (41, 40, 41)),
    ("clipping_explorer", "g1", (3.1, 3.2, 3.1))])
def test_sequence_widgets_blit_whole_frames(name, key, values):
    """A blit sends a whole frame: ipympl's front end drops a frame that arrives before the
    previous one has loaded, and a dropped difference would leave stale pixels."""
    app = getattr(dl.widgets, name)()
    app.fit(848)
    full, modes = blit_modes(app, [lambda v=v: setattr(app.controls[key], "value", v)
                                   for v in values])
    assert not full                                   # blitted, no full draw
    assert modes == ["full"] * len(values)


def test_clipping_explorer_is_shorter_and_its_legend_covers_no_data():
    app = dl.widgets.clipping_explorer()
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert h <= 420
    legend = app.ax.get_legend()
    assert legend is not None and legend.get_bbox_to_anchor() is not None
    assert len(legend.get_texts()) == 6
    assert {id(app.ball), id(app.box), id(app.line_g)} <= _dynamic(app)
    app.fit(400)                                      # narrow: key under a square plane
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert h >= w and len(app.fig.legends) == 1
    rows = [[getattr(c, "description", "") for c in row.children]
            for row in app._controls_box.children]
    assert rows[0] == ["example", "threshold τ"]


def test_deep_toy_stepper_blits_the_bars_and_titles():
    app = dl.widgets.deep_toy_stepper()
    assert {id(b) for b in app.bars_p} | {id(app.ax_p.title), id(app.total_text)} \
        <= _dynamic(app)
    ylim = app.ax_l.get_ylim()
    for t in (2, 3, 4):
        app.controls["t"].value = t
        assert app.ax_l.get_ylim() == ylim
    assert app.ax_l.get_title() == "per-step cross-entropy"


def test_sequence_architectures_title_shortens_when_narrow():
    app = dl.widgets.sequence_architectures(task="many-to-many (encoder-decoder)")
    assert app.ax.get_title().startswith("many-to-many (encoder-decoder):")
    app.fit(400)
    assert app.ax.get_title() == "3 input step(s) → 3 output step(s)"


@pytest.mark.parametrize("width", [400, 848])
def test_gradient_flow_mine_fits_the_width_with_its_longer_key(width):
    app = dl.widgets.bptt_gradient_flow(mine=_untransposed_step)
    app.fit(width)
    app.fig.canvas.draw()
    box = app.fig.get_tightbbox(app.fig.canvas.get_renderer())
    assert box.x0 >= -0.02 and box.x1 <= app.fig.get_figwidth() + 0.02
