"""``bptt_gradient_flow``: how much of the gradient of a loss at step T reaches each earlier
state of an RNN, against the bound (gamma lambda)^(T-k), with and without clipping.

lambda is the largest singular value of W_hh, its spectral norm ||W_hh||_2: the bound
||dh_t/dh_k|| <= (gamma lambda)^(t-k) needs a bound on ||W_hh||.  The spectral radius rho (the
largest |eigenvalue|) is no such bound: it equals lambda for the orthogonal choice of W_hh
and is smaller for the non-normal one, where the gradient can grow while rho < 1.

Shape legend: N = 1 sequence, T time steps, D input features, H hidden units; x (1, T, D),
hidden states (1, H), W_ih (H, D), W_hh (H, H).
"""

from __future__ import annotations

import numpy as np

from ... import activations, layers, recurrent
from .._base import (
    PALETTE,
    App,
    checkbox,
    dropdown,
    int_slider,
    log_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from .._mine import mine_name, require_function, run_mine
from ._common import (
    FullFrames,
    LegendFits,
    choice,
    control_rows,
    figure_legend,
    in_range,
    num,
    real_in_range,
    sticky_limits,
)

__all__ = ["bptt_gradient_flow"]

_GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}
_T_FLOW = 80
# label shown in the dropdown -> the ``matrix`` argument
_MATRICES = {"λQ, Q orthogonal (ρ = λ)": "orthogonal",
             "non-normal, triangular (ρ < λ)": "non-normal"}


def _sigmoid_step_forward(x_t, h, w_ih, w_hh):
    a_x, cx = layers.linear_forward(x_t, w_ih)
    a_h, ch = layers.linear_forward(h, w_hh)
    out, cs = activations.sigmoid_forward(a_x + a_h)
    return out, (cx, ch, cs)


def _sigmoid_step_backward(dh, cache):
    cx, ch, cs = cache
    da = activations.sigmoid_backward(dh, cs)
    dh_prev, dw_hh, _ = layers.linear_backward(da, ch)
    _, dw_ih, _ = layers.linear_backward(da, cx)
    return dh_prev, dw_ih, dw_hh


def recurrent_matrix(q: np.ndarray, norm: float, matrix: str = "orthogonal") -> np.ndarray:
    """W_hh (H, H) with largest singular value ``norm`` built on the orthogonal q (H, H).

    "orthogonal": ``norm * q``; every singular value and every |eigenvalue| is ``norm``.
    "non-normal": ``q (D + S) q^T`` rescaled to spectral norm ``norm``, with D diagonal
    (entries evenly spaced from 0.5 to -0.5) and S ones just above the diagonal.  The
    triangular D + S has its eigenvalues on the diagonal, so the spectral radius is about
    0.37 ``norm``: below 1 for ``norm`` < 2.7 while the norm is above 1.
    """
    if matrix == "orthogonal":
        return norm * q
    H = q.shape[0]
    m = q @ (np.diag(np.linspace(0.5, -0.5, H)) + np.eye(H, k=1)) @ q.T
    return norm * m / np.linalg.norm(m, 2)


def spectral(w_hh: np.ndarray) -> tuple[float, float]:
    """(largest singular value ||W_hh||_2, spectral radius max |eigenvalue|) of w_hh (H, H)."""
    return float(np.linalg.norm(w_hh, 2)), float(np.max(np.abs(np.linalg.eigvals(w_hh))))


def flow_weights(T: int, norm: float, seed: int = 0, H: int = 16, D: int = 4,
                 input_scale: float = 1.0, matrix: str = "orthogonal"):
    """The RNN of the widget, drawn from a random seed: x (1, T, D), w_ih (H, D), w_hh (H, H)
    with largest singular value ``norm`` (``recurrent_matrix``), and the unit vector u (1, H)
    used as dL/dh_T.  The same random seed gives the same first steps for every T."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((H, H)))
    w_hh = recurrent_matrix(q, norm, matrix)
    w_ih = input_scale * rng.standard_normal((H, D)) / np.sqrt(D)
    x = rng.standard_normal((1, _T_FLOW, D))[:, :T]
    u = rng.standard_normal((1, H))
    return x, w_ih, w_hh, u / np.linalg.norm(u)


def gradient_flow(T: int, norm: float, activation: str = "tanh", seed: int = 0,
                  matrix: str = "orthogonal"):
    """Norms of the gradient dL/dh_k reaching every state of an RNN, for a loss on h_T.

    The RNN is ``flow_weights(T, norm, seed, matrix=matrix)``; dL/dh_T is its unit vector u.
    The steps use ``dlcore.recurrent.rnn_step_forward`` / ``rnn_step_backward`` (tanh, relu) or
    linear + sigmoid ops from ``dlcore.layers`` and ``dlcore.activations``.  Returns (norms (T + 1,)
    for k = 0..T, grads [dW_ih, dW_hh]).
    """
    x, w_ih, w_hh, u = flow_weights(T, norm, seed, matrix=matrix)
    H = w_hh.shape[0]
    h = np.zeros((1, H))
    caches = []
    for t in range(T):
        if activation == "sigmoid":
            h, cache = _sigmoid_step_forward(x[:, t], h, w_ih, w_hh)
        else:
            h, cache = recurrent.rnn_step_forward(x[:, t], h, w_ih, w_hh,
                                                  nonlinearity=activation)
        caches.append(cache)
    norms = np.zeros(T + 1)
    dw_ih, dw_hh = np.zeros_like(w_ih), np.zeros_like(w_hh)
    dh = u
    norms[T] = 1.0
    for t in range(T - 1, -1, -1):
        if activation == "sigmoid":
            dh, g_ih, g_hh = _sigmoid_step_backward(dh, caches[t])
        else:
            _, dh, g_ih, g_hh, _, _ = recurrent.rnn_step_backward(dh, caches[t])
        dw_ih += g_ih
        dw_hh += g_hh
        norms[t] = np.linalg.norm(dh)
    return norms, [dw_ih, dw_hh]


_CLIP_TIP = "largest allowed norm of the whole gradient"
_CLIP_OFF_TIP = "tick 'clip the gradient by norm' to use a threshold"


class BPTTGradientFlow(LegendFits, FullFrames, App):
    """Log-scale norms of dL/dh_k against k, the bound (gamma lambda)^(T-k) with lambda =
    ||W_hh||_2, the spectral radius for comparison, and the effect of clipping."""

    def __init__(self, T=40, norm=1.0, activation="tanh", clip=1.0, clipping=False, seed=0,
                 matrix="orthogonal", mine=None):
        self.mine = require_function(mine, "my_rnn_step", "your RNN step function")
        self.mine_norms = None  # the gradient norms through your states (with mine=)
        self.mismatch = None    # (T, H): the state entries where your step differs
        T = in_range(T, "T", 2, _T_FLOW)
        norm = real_in_range(norm, "norm", 0.1, 3.0)
        activation = choice(activation, "activation", _GAMMA)
        matrix = choice(matrix, "matrix", _MATRICES.values())
        clip = real_in_range(clip, "clip", 0.01, 100.0)
        self._seed = seed
        controls = {
            "T": int_slider("sequence length T", T, 2, _T_FLOW,
                            tooltip="the loss sits on h_T; how far back does its gradient go?"),
            "norm": slider("λ = ‖W_hh‖₂", norm, 0.1, 3.0, 0.05,
                           tooltip="λ = ‖W_hh‖₂, the largest singular value (spectral norm) "
                                   "of W_hh; the bound uses it, not the largest |eigenvalue|"),
            "activation": dropdown("activation φ", list(_GAMMA), activation,
                                   tooltip="γ = max φ′: 1 for tanh and relu, 1/4 for sigmoid"),
            "matrix": dropdown("W_hh", _MATRICES, matrix,
                               tooltip="orthogonal: spectral radius ρ = λ; non-normal: ρ < λ"),
            "clipping": checkbox("clip the gradient by norm", bool(clipping),
                                 tooltip="dlcore.recurrent.clip_grad_norm on (dW_ih, dW_hh)"),
            "clip": log_slider("clip threshold τ", clip, 0.01, 100.0, tooltip=_CLIP_TIP),
        }
        fig, ax = make_figure(1, 1, figsize=(7.6, 4.0))
        self.ax = ax
        self.line, = ax.semilogy([], [], "o-", color=PALETTE["blue"], ms=3, lw=1.8,
                                 label="‖∂L/∂h_k‖ (BPTT)")
        self.line_bound, = ax.semilogy([], [], "--", color=PALETTE["vermillion"], lw=1.6,
                                       label="bound (γλ)^(T−k)")
        self.line_radius, = ax.semilogy([], [], "-.", color=PALETTE["grey"], lw=1.2,
                                        label="(γρ)^(T−k): no bound")
        self.line_clip, = ax.semilogy([], [], ":", color=PALETTE["green"], lw=2.2,
                                      label="clipped by norm")
        self.line_mine, = ax.semilogy([], [], "--", color=PALETTE["orange"], lw=1.8,
                                      label="your step's ‖∂L/∂h_k‖", visible=False)
        self.marks_mine, = ax.semilogy([], [], "x", color=PALETTE["black"], ms=7, mew=1.8,
                                       label="h_k: yours≠correct", visible=False)
        style_axes(ax, "", "time step k (the loss is at k = T)", "gradient norm (log scale)")
        self._place_legend(False)
        readouts = {"flow": readout(), "bound": readout(), "clipped": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Gradient flow through time")
        control_rows(self, ["T", "norm"], ["activation", "matrix"], ["clipping", "clip"])
        self.norms = np.zeros(T + 1)
        self._xlim = self._ylim = None
        self.set_dynamic([self.line, self.line_bound, self.line_radius, self.line_clip,
                          self.line_mine, self.marks_mine, ax.title])
        self.update()

    def _place_legend(self, below: bool) -> None:
        mine = [self.line_mine, self.marks_mine] if self.mine is not None else []
        figure_legend(self.ax.figure, [self.line, self.line_bound, self.line_radius,
                                       self.line_clip, *mine], below=below, ncol=2)
        if hasattr(self, "norms"):
            self.update()  # the title follows the width

    def _compare_mine(self, T, norm, act, matrix):
        """Run your RNN step over the widget's sequence; draw the gradient norms through your
        states and mark the steps whose state differs from dlcore's step on the same inputs.
        Returns the finite positive norms drawn (None when your step is not used)."""
        self.mine_norms = self.mismatch = None
        for artist in (self.line_mine, self.marks_mine):
            artist.set_visible(False)
        name = mine_name(self.mine)
        fallback = "the plot shows dlcore's curve only"
        if act != "tanh":
            self.set_readout("mine", f"{name} is a tanh step: choose the tanh activation to "
                                     f"compare it; {fallback}.")
            return None
        x, w_ih, w_hh, u = flow_weights(T, norm, self._seed, matrix=matrix)
        H, D = w_ih.shape
        b = np.zeros(H)  # this RNN has no bias
        states, differ, refs = [np.zeros((1, H))], [], []
        for t in range(T):
            h_prev = states[-1]
            ref = recurrent.rnn_step_forward(x[:, t], h_prev, w_ih, w_hh)[0]
            where = (f"inputs of step {t + 1} of {T}: x_t (1, {D}), h_prev (1, {H}), "
                     f"w_ih ({H}, {D}), w_hh ({H}, {H}), b zeros ({H},)")
            with np.errstate(all="ignore"):
                got = run_mine(self.mine, (x[:, t], h_prev, w_ih, w_hh, b), reference=ref,
                               reference_name="dl.recurrent.rnn_step_forward", where=where,
                               fallback=fallback, entries="state entries", label=f"h_{t + 1}")
            if not got.used:
                self.set_readout("mine", got.message)
                return None
            states.append(got.value)
            differ.append(got.differ[0])
            refs.append(ref[0])
        hs = np.array([s[0] for s in states])       # (T + 1, H): h_0 = 0, ..., h_T
        self.mismatch = np.array(differ)             # (T, H): row t is h_(t+1)
        with np.errstate(all="ignore"):
            yours = np.zeros(T + 1)
            yours[T] = 1.0
            dh = u[0]
            for t in range(T, 0, -1):
                dh = (dh * (1 - hs[t] ** 2)) @ w_hh
                yours[t - 1] = np.linalg.norm(dh)
        self.mine_norms = yours
        drawn = np.where(np.isfinite(yours) & (yours > 0), yours, np.nan)
        ks = np.arange(T + 1)
        self.line_mine.set_data(ks, drawn)
        self.line_mine.set_visible(True)
        steps = np.flatnonzero(self.mismatch.any(axis=1)) + 1
        self.marks_mine.set_data(steps, drawn[steps])
        self.marks_mine.set_visible(bool(steps.size))
        n_bad, n = int(self.mismatch.sum()), self.mismatch.size
        if not n_bad:
            self.set_readout("mine", f"This is {name}'s result: all {n} state entries of the "
                                     f"{T} steps match dl.recurrent.rnn_step_forward, so the "
                                     f"dashed curve lies on dlcore's.")
        else:
            errors = np.where(self.mismatch, np.abs(hs[1:] - np.array(refs)), -1.0)
            errors = np.where(np.isnan(errors), np.inf, errors)
            t, j = np.unravel_index(int(np.argmax(errors)), errors.shape)
            listed = ", ".join(map(str, steps[:6])) + (", ..." if steps.size > 6 else "")
            self.set_readout("mine", f"This is {name}'s result: {n_bad} of {n} state entries "
                                     f"differ from dl.recurrent.rnn_step_forward on the same "
                                     f"inputs, at {steps.size} of the {T} steps (k = {listed}; "
                                     f"marked ×); the largest error is "
                                     f"{num(abs(hs[t + 1, j] - refs[t][j]))} at h_{t + 1}[{j}]: "
                                     f"yours {num(hs[t + 1, j])}, correct {num(refs[t][j])}. "
                                     f"The dashed curve is the gradient through your states"
                                     + (" (where it overflows, it is not drawn)."
                                        if not np.all(np.isfinite(yours)) else "."))
        return drawn[np.isfinite(drawn)]

    def update(self) -> None:
        c = self.controls
        T, act, matrix = c["T"].value, c["activation"].value, c["matrix"].value
        gamma = _GAMMA[act]
        norms, grads = gradient_flow(T, c["norm"].value, act, seed=self._seed, matrix=matrix)
        lam, rho = spectral(flow_weights(T, c["norm"].value, self._seed, matrix=matrix)[2])
        self.norms = norms
        ks = np.arange(T + 1)
        bound = (gamma * lam) ** (T - ks.astype(float))
        radius_curve = (gamma * rho) ** (T - ks.astype(float))
        total = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))
        clipped = [g.copy() for g in grads]
        if total > 0:
            recurrent.clip_grad_norm(clipped, c["clip"].value)
        after = float(np.sqrt(sum(float(np.sum(g * g)) for g in clipped)))
        coef = after / total if total > 0 else 1.0
        tiny = 1e-300
        self.line.set_data(ks, np.maximum(norms, tiny))
        self.line_bound.set_data(ks, bound)
        self.line_radius.set_data(ks, np.maximum(radius_curve, tiny))
        self.line_radius.set_visible(not np.isclose(rho, lam))
        self.line_clip.set_data(ks, np.maximum(norms * coef, tiny))
        self.line_clip.set_visible(c["clipping"].value)
        shown = np.concatenate([norms[norms > 0], bound, [1.0]])
        if self.line_radius.get_visible():
            shown = np.concatenate([shown, radius_curve[radius_curve > 0]])
        if c["clipping"].value:
            shown = np.concatenate([shown, norms[norms > 0] * coef])
        if self.mine is not None:
            yours = self._compare_mine(T, c["norm"].value, act, matrix)
            if yours is not None:
                shown = np.concatenate([shown, np.clip(yours, 1e-300, 1e300)])
        lo, hi = max(float(shown.min()), 1e-300), float(shown.max())
        # Limits that stay put while the curves fit (and fill them): most key presses then
        # redraw only the curves (blitting), not the axes.
        if self._xlim is None or not (T + 0.5 <= self._xlim[1] and T >= 0.75 * self._xlim[1]):
            self._xlim = (-0.5, T + 0.5 + round(0.05 * T))
        self._ylim = sticky_limits(self._ylim, lo / 10, hi * 10, log=True, fill=0.55,
                                   margin=0.15)
        self.ax.set_xlim(*self._xlim)
        self.ax.set_ylim(*self._ylim)
        clip_on = c["clipping"].value
        c["clip"].disabled = not clip_on
        c["clip"].tooltip = _CLIP_TIP if clip_on else _CLIP_OFF_TIP
        if self._legend_below:  # narrow: a shorter title
            self.ax.set_title(f"{act}, λ = ‖W_hh‖₂ = {lam:.2f}, ρ = {rho:.2f}")
        else:
            self.ax.set_title(f"{act} RNN, λ = ‖W_hh‖₂ = {lam:.2f}, ρ = {rho:.2f}, "
                              f"γλ = {gamma * lam:.3g}")
        first = norms[0]
        verdict = ("vanishes" if first < 1e-3 else "explodes" if first > 1e3 else
                   "stays moderate")
        self.set_readout("flow", f"gradient reaching h_0 after {T} steps: {num(first)} times "
                                 f"the gradient at h_T (it {verdict})")
        over = bool(np.any(norms > bound * (1 + 1e-9)))
        relation = (f"λ = ‖W_hh‖₂ = {lam:.2f}, spectral radius ρ = {rho:.2f}; the bound "
                    f"(γλ)^T = {num(bound[0])}"
                    + (" is violated (a bug!)" if over else " holds at every step"))
        if rho < lam - 1e-9 and np.any(norms > radius_curve * (1 + 1e-9)):
            relation += "; the gradient rises above (γρ)^(T−k): the spectral radius is no bound"
        if gamma * lam > 1 + 1e-9 and first < 1e-6 * bound[0]:
            relation += "; γλ > 1 only allows growth: here the gradient stays far below the " \
                        "bound (φ′ is mostly smaller than γ), so the bound is not a prediction"
        self.set_readout("bound", relation)
        if c["clipping"].value:
            self.set_readout("clipped", f"‖(dW_ih, dW_hh)‖ = {num(total)}; clipped at τ = "
                                     f"{num(c['clip'].value)} every term is scaled by "
                                     f"{num(coef)}: the curve moves down but keeps its shape, so "
                                     f"clipping tames explosion and does nothing for vanishing")
        else:
            self.set_readout("clipped", f"‖(dW_ih, dW_hh)‖ = {num(total)}; tick the box to clip it")
        self.set_summary(f"Log-scale gradient norm at each step k for a loss at T = {T}: "
                         f"{act}, ‖W_hh‖₂ = {lam:.2f}, spectral radius {rho:.2f}; after {T} "
                         f"steps it is {num(first)}, below the bound {num(bound[0])}.")


def bptt_gradient_flow(T: int = 40, norm: float = 1.0, activation: str = "tanh",
                       clip: float = 1.0, clipping: bool = False, seed: int = 0,
                       matrix: str = "orthogonal", mine=None) -> BPTTGradientFlow:
    """Sequence length, the largest singular value lambda = ||W_hh||_2 of the recurrent weights,
    the kind of W_hh, the activation and a clipping threshold -> the norm of the gradient
    reaching every time step of an unrolled RNN (log scale) with the bound
    ||dh_T/dh_k|| <= (gamma lambda)^(T-k), gamma = 1 for tanh and relu, 1/4 for sigmoid.

    The bound needs lambda = ||W_hh||_2, not the spectral radius rho (the largest |eigenvalue|,
    drawn for comparison): for ``matrix="orthogonal"`` (W_hh = lambda Q) the two are equal, for
    ``matrix="non-normal"`` rho is about 0.37 lambda and the gradient can grow while rho < 1.

    T in [2, 80]; norm in [0.1, 3]; activation "tanh", "sigmoid" or "relu"; matrix
    "orthogonal" or "non-normal"; clip in [0.01, 100].

    ``mine``: your own tanh RNN step, called as ``mine(x_t, h_prev, w_ih, w_hh, b)`` with rows
    x_t (1, D), h_prev (1, H), w_ih (H, D), w_hh (H, H) and b (H,) (zeros: this RNN has no
    bias), returning h_t (1, H) like ``dl.recurrent.rnn_step_forward``.  With the tanh
    activation the widget runs the sequence with your step, draws the gradient norms through
    your states as a dashed curve over dlcore's, marks (×) each step whose state differs from
    dlcore's step on the same inputs, and a readout counts the differing entries with the
    largest error; an error in your function (or a blank, None or a wrong shape) is shown in
    that readout, with the step it happened at, and the plot shows dlcore's curve.
    """
    return BPTTGradientFlow(T=T, norm=norm, activation=activation, clip=clip,
                            clipping=clipping, seed=seed, matrix=matrix, mine=mine)
