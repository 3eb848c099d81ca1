r"""``batch_noise``: how far a mini-batch gradient falls from the full gradient, on the digits.

A fixed small model (softmax regression or a 64-32-10 MLP from ``dlcore.nn``) at fixed weights;
``dlcore.nn`` computes the gradient of the mean cross-entropy for every training image
(:math:`g_i`), so the full gradient is :math:`g = \frac1N \sum_i g_i` and a mini-batch
gradient is the mean over B images drawn without replacement.  Its spread around g is

.. math:: \mathbb E \lVert g_B - g \rVert^2 = \frac{\sigma^2}{B} \frac{N - B}{N - 1},
   \qquad \sigma^2 = \frac1N \sum_i \lVert g_i - g \rVert^2,

which the widget draws next to the measured spread.  Shapes: N training images, P parameters;
per-example gradients (N, P).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from ..._random import get_rng
from .._base import PALETTE, App, button, dropdown, make_figure, readout, style_axes, text_width
from ._common import ipympl_workarounds

__all__ = ["batch_noise"]

_RESAMPLE_TIP = "draw a fresh set of mini-batches"
MODELS = {"softmax regression (650 weights)": "linear", "MLP 64-32-10 (2,410 weights)": "mlp"}
WEIGHTS = {"at initialisation": "initial", "after 5 epochs of training": "trained"}


@dataclass(frozen=True)
class GradientSet:
    """Per-example gradients of one model at fixed weights, and what the plots need of them."""

    grads: np.ndarray   # (N, P) gradient of each image's loss
    full: np.ndarray    # (P,) full-batch gradient, the mean of the rows
    sigma2: float       # mean squared distance of a row from the full gradient
    axes: np.ndarray    # (2, P) unit vectors: along the full gradient, and the widest spread
    coords: np.ndarray  # (N, 2) each row projected on ``axes``


def _model(kind: str, seed: int):
    from ...nn import MLP, Linear

    return Linear(64, 10, rng=seed) if kind == "linear" else MLP([64, 32, 10], rng=seed)


def _flat_grad(model) -> np.ndarray:
    return np.concatenate([p.grad.ravel() for p in model.parameters()])


def per_example_gradients(model, X, y) -> np.ndarray:
    """Per-example gradients ``g_i = dL_i/dtheta`` (cross-entropy): X (N, D), y (N,) -> (N, P)."""
    from ...nn import CrossEntropyLoss

    criterion = CrossEntropyLoss()
    rows = []
    for i in range(X.shape[0]):
        model.zero_grad()
        criterion(model(X[i:i + 1]), y[i:i + 1])
        model.backward(criterion.backward())
        rows.append(_flat_grad(model))
    return np.array(rows)


def _training_set():
    from ...data import digits

    split = digits(seed=0)
    return split.X_train, split.y_train


def _gradient_set(kind: str, weights: str, seed: int) -> GradientSet:
    from ...nn import fit
    from ...optim import SGD

    X, y = _training_set()
    model = _model(kind, seed)
    if weights == "trained":
        fit(model, X, y, optimizer=SGD(model.parameters(), lr=0.1, momentum=0.9),
            num_epochs=5, batch_size=64, progress=False, rng=seed)
    grads = per_example_gradients(model, X, y)
    full = grads.mean(axis=0)
    dev = grads - full
    e1 = full / np.linalg.norm(full)
    dev_perp = dev - np.outer(dev @ e1, e1)
    # the widest spread across the full gradient: power iteration on dev_perp^T dev_perp
    e2 = get_rng(seed).standard_normal(full.size)
    for _ in range(50):
        e2 = dev_perp.T @ (dev_perp @ e2)
        e2 -= (e2 @ e1) * e1
        e2 /= np.linalg.norm(e2)
    axes = np.vstack([e1, e2])
    return GradientSet(grads, full, float(np.mean(np.sum(dev * dev, axis=1))), axes,
                       grads @ axes.T)


def theory_spread(sigma2: float, n: int, batch_size) -> np.ndarray:
    """RMS distance of a mini-batch gradient from the full one: ``sigma sqrt((N-B)/(B(N-1)))``."""
    b = np.asarray(batch_size, dtype=np.float64)
    return np.sqrt(sigma2 * (n - b) / (b * (n - 1)))


def minibatch_gradients(grads: np.ndarray, batch_size: int, draws: int, rng=None) -> np.ndarray:
    """``draws`` mini-batch gradients: means of ``batch_size`` rows drawn without replacement.

    grads (N, P) -> (draws, P).
    """
    batches = draw_batches(grads.shape[0], batch_size, draws, rng)
    return batch_means(grads, batches)


def draw_batches(n: int, batch_size: int, draws: int, rng=None) -> np.ndarray:
    """Row indices of ``draws`` mini-batches of ``batch_size`` among n, without replacement.

    Returns (draws, batch_size) ints; the same draws as ``minibatch_gradients`` with that rng.
    """
    rng = get_rng(rng)
    return np.array([rng.choice(n, size=batch_size, replace=False) for _ in range(draws)])


def batch_means(values: np.ndarray, batches: np.ndarray) -> np.ndarray:
    """Mean of ``values`` (N, ...) over each batch of row indices (draws, B) -> (draws, ...).

    Small batches gather their rows (cost ~ draws B P); large ones use one matrix product
    (cost ~ draws N P).
    """
    n, (draws, b) = values.shape[0], batches.shape
    if 4 * b <= n:
        return values[batches].mean(axis=1)
    select = np.zeros((draws, n))
    np.put_along_axis(select, batches, 1.0 / b, axis=1)
    return select @ values


def _slider_px(options) -> str:
    """Room for the label, a 150 px track and the longest readout ("1078 (full batch)")."""
    longest = max(text_width(label) for label, _ in options)
    return f"{text_width('batch size B') + 150 + longest + 20}px"


def _sizes(n: int) -> list:
    """Powers of two below N, then N itself (the full batch)."""
    return [2 ** k for k in range(20) if 2 ** k < n] + [n]


class BatchNoise(App):
    """Spread of mini-batch gradients against the batch size; see ``batch_noise``."""

    def __init__(self, batch_size, model, weights, draws, seed, n):
        self.draws, self.seed = draws, seed
        self.rng = get_rng(seed)
        self._sets: dict = {}
        self._derived_sets: dict = {}
        self._n = n
        options = [(f"{b}" if b < self._n else f"{b} (full batch)", b) for b in _sizes(n)]
        controls = {
            "batch_size": W.SelectionSlider(options=options, value=batch_size,
                                            description="batch size B",
                                            style={"description_width": "initial"},
                                            tooltip="images per mini-batch",
                                            layout=W.Layout(width=_slider_px(options))),
            "model": dropdown("model", MODELS, model, tooltip="the network whose gradient is "
                                                              "measured (weights fixed)"),
            "weights": dropdown("weights", WEIGHTS, weights,
                                tooltip="far from a minimum, or close to one"),
        }
        self.resample = button("new draws", tooltip=_RESAMPLE_TIP)
        self.resample.on_click(lambda _b: self._on_change())
        fig, (self.ax_cloud, self.ax_spread) = make_figure(1, 2, figsize=(10.5, 4.0))
        readouts = {"spread": readout(), "cosine": readout()}
        super().__init__(controls, fig, readouts, title="Mini-batch gradient noise (digits)")
        c = self.controls
        self.arrange([W.HBox([W.VBox([c["batch_size"], self.resample]),
                              W.VBox([c["model"], c["weights"]])],
                             layout=W.Layout(flex_flow="row wrap"))])
        self._build_artists()
        self.update()
        # a new B moves only the cloud and the measured point: the axes depend on the model
        # (the markers drawn over the cloud are redrawn with it, to stay on top)
        self.set_dynamic([self.cloud, self.zero_marker, self.full_marker, self.measured])
        ipympl_workarounds(self)

    def _build_artists(self) -> None:
        self.cloud = self.ax_cloud.scatter([], [], s=12, color=PALETTE["sky"], alpha=0.7,
                                           edgecolors="none", label="mini-batch gradients")
        self.full_marker, = self.ax_cloud.plot([], [], marker="*", markersize=16,
                                               color=PALETTE["vermillion"],
                                               markeredgecolor=PALETTE["black"],
                                               linestyle="none", label="full gradient g")
        self.zero_marker, = self.ax_cloud.plot(0, 0, marker="+", markersize=12,
                                               color=PALETTE["black"], linestyle="none",
                                               label="zero")
        # under the axes: the cloud can sit anywhere in the panel
        self.ax_cloud.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3,
                             fontsize="small", frameon=False, handletextpad=0.3,
                             columnspacing=1.0)
        style_axes(self.ax_cloud, "Mini-batch gradients", "component along g",
                   "component across g (widest spread)")
        b = np.arange(1, self._n)
        self.theory_line, = self.ax_spread.plot(b, np.ones(b.size), color=PALETTE["blue"],
                                                linewidth=2, label="σ √((N−B)/(B(N−1)))")
        self.signal_line = self.ax_spread.axhline(1.0, color=PALETTE["vermillion"],
                                                  linestyle="--", label="‖g‖ (signal)")
        self.measured, = self.ax_spread.plot([], [], marker="o", markersize=10, linestyle="none",
                                             color=PALETTE["orange"],
                                             markeredgecolor=PALETTE["black"],
                                             label="measured at your B")
        self.ax_spread.set_xscale("log", base=2)
        self.ax_spread.set_yscale("log")
        style_axes(self.ax_spread, "Gradient noise vs batch size", "batch size B (log)",
                   "RMS ‖g_B − g‖ (log)")
        self.ax_spread.legend(loc="lower left", fontsize="small")

    @property
    def samples(self) -> np.ndarray:
        """The drawn mini-batch gradients (draws, P) (computed when asked for)."""
        return batch_means(self.gradient_set().grads, self.batches)

    def _derived(self, gs: GradientSet):
        """``(g_i - g in float32 (N, P), g_i . g (N,))`` of a gradient set, computed once."""
        key = id(gs)
        if key not in self._derived_sets:
            self._derived_sets[key] = ((gs.grads - gs.full).astype(np.float32),
                                       gs.grads @ gs.full)
        return self._derived_sets[key]

    def gradient_set(self) -> GradientSet:
        """Per-example gradients for the selected model and weights (computed once each)."""
        key = (self.controls["model"].value, self.controls["weights"].value)
        if key not in self._sets:
            self._sets[key] = _gradient_set(*key, self.seed)
        return self._sets[key]

    def update(self) -> None:
        gs = self.gradient_set()
        n, bsz = gs.grads.shape[0], int(self.controls["batch_size"].value)
        self.batches = draw_batches(n, bsz, self.draws, self.rng)
        # Only the projections, the distances to g and the dot products with g are drawn:
        # batch means of (N, 2), (N,) and the deviations g_i - g in float32, not of the whole
        # (N, P) gradients in float64 (the slider answers several times faster).
        dev32, along_g = self._derived(gs)
        coords = batch_means(gs.coords, self.batches)
        dev_b = batch_means(dev32, self.batches)          # g_B - g, (draws, P)
        dist2 = np.einsum("dp,dp->d", dev_b, dev_b, dtype=np.float64)
        dot = batch_means(along_g, self.batches)           # g_B . g
        self.cloud.set_offsets(coords)
        full_xy = gs.axes @ gs.full
        self.full_marker.set_data([full_xy[0]], [full_xy[1]])
        lo, hi = np.quantile(gs.coords, [0.02, 0.98], axis=0)
        lo, hi = np.minimum(lo, [0.0, 0.0]), np.maximum(hi, full_xy)
        pad = 0.08 * (hi - lo)
        self.ax_cloud.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
        self.ax_cloud.set_ylim(lo[1] - pad[1], hi[1] + pad[1])

        self.rms = float(np.sqrt(np.mean(dist2)))
        self.theory = float(theory_spread(gs.sigma2, n, bsz))
        gnorm = float(np.linalg.norm(gs.full))
        b = np.arange(1, n)
        curve = theory_spread(gs.sigma2, n, b)
        self.theory_line.set_data(b, curve)
        self.signal_line.set_ydata([gnorm, gnorm])
        self.ax_spread.set_xlim(1, n)
        low = curve[b <= n // 2].min()  # the curve drops to 0 at B = N; keep the bulk in view
        self.ax_spread.set_ylim(min(low, gnorm) / 3, max(curve.max(), gnorm) * 2)
        self.measured.set_data([bsz], [self.rms] if bsz < n else [np.nan])
        with np.errstate(all="ignore"):
            # |g_B|^2 = |g_B - g|^2 + 2 (g_B - g).g + |g|^2
            norm_b = np.sqrt(np.maximum(dist2 + 2 * (dot - gnorm ** 2) + gnorm ** 2, 0.0))
            cos = dot / (norm_b * gnorm)
        self.cos = float(np.mean(cos))
        updates = -(-n // bsz)
        self.resample.disabled = bsz == n
        self.resample.tooltip = ("B = N: every draw is the whole training set, so new draws "
                                 "are the same full gradient" if bsz == n else _RESAMPLE_TIP)
        if bsz == n:
            self.set_readout("spread", f"B = N = {n}: every draw is the full gradient; no noise "
                                       f"(‖g‖ = {gnorm:.3g}).")
        else:
            self.set_readout("spread", f"B = {bsz}: RMS distance from the full gradient "
                                       f"{self.rms:.3g} (formula {self.theory:.3g}); "
                                       f"‖g‖ = {gnorm:.3g}.")
        self.set_readout("cosine", f"Mean cosine between a mini-batch gradient and g: "
                                   f"{self.cos:.3f}; one epoch is ⌈N/B⌉ = {updates} updates.")
        ratio = self.rms / gnorm
        self.set_summary(f"{self.draws} mini-batches of B = {bsz}: their gradients scatter "
                         f"around the full gradient with RMS {self.rms:.3g}, "
                         f"{ratio:.2g} times its length ‖g‖.")


def batch_noise(batch_size: int = 32, *, model: str = "linear", weights: str = "initial",
                draws: int = 200, seed: int = 0) -> BatchNoise:
    """Mini-batch size → spread of mini-batch gradients around the full gradient, on digits.

    Left: ``draws`` mini-batch gradients projected on the full gradient's direction and the
    direction of widest spread across it; right: the RMS distance ‖g_B − g‖ against B (the
    formula σ√((N−B)/(B(N−1))) and your B measured) next to ‖g‖.  ``model`` "linear"
    (softmax regression) or "mlp" (64-32-10); ``weights`` "initial" or "trained" (5 epochs of
    SGD, near a minimum: the full gradient shrinks, the noise does not).  Returns the widget.
    """
    n = _training_set()[0].shape[0]
    sizes = _sizes(n)
    if isinstance(batch_size, bool) or batch_size not in sizes:
        raise ValueError(f"batch_size must be one of {', '.join(map(str, sizes))} ({n} = the "
                         f"full training set); got {batch_size!r}")
    if model not in MODELS.values():
        raise ValueError(f"model must be 'linear' or 'mlp'; got {model!r}")
    if weights not in WEIGHTS.values():
        raise ValueError(f"weights must be 'initial' or 'trained'; got {weights!r}")
    if isinstance(draws, bool) or not isinstance(draws, numbers.Integral) \
            or not 10 <= draws <= 2000:
        raise ValueError(f"draws must be an integer in [10, 2000]; got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    return BatchNoise(int(batch_size), model, weights, int(draws), int(seed), n)
