"""``dropout_explorer`` and ``batchnorm_explorer``: two layers that behave differently in training.

Shapes: dropout acts on one activation vector h (Hd,), repeated for S Monte-Carlo samples
(S, Hd); batch norm on a batch of pre-activations z (N, 1) of one feature.  With ``mine=``,
the dropout explorer also runs the learner's ``my_dropout_forward(x, mask, keep_prob)`` on the
same masks (exercise 08.6).
"""

from __future__ import annotations

import numbers

import numpy as np

from ... import layers as F
from ..._checks import check_int
from ..._random import get_rng
from .._base import (
    CMAP,
    CYCLE,
    PALETTE,
    App,
    button,
    dropdown,
    int_slider,
    log_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from .._mine import mine_name, require_function, run_mine
from ..optimizers._common import ipympl_workarounds, sticky_limits

__all__ = ["dropout_explorer", "batchnorm_explorer"]


def _in_range(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}] (the slider range); got {value}")
    return value


_SAMPLES_TIP = "how many thinned networks are averaged"
_RESAMPLE_TIP = "sample a fresh set of masks"
_NO_DROP = "with p = 0 no unit is dropped: every mask keeps all units and the mean is exact"
_WARMUP_TIP = "how many batches updated the running statistics (each moves them 10 % of the way)"


class _DropoutExplorer(App):
    def __init__(self, p, n_units, n_samples, n_show, seed, mine=None):
        self.mine = require_function(mine, "my_dropout_forward",
                                     "your inverted-dropout function")
        self.mismatch = None  # (S, Hd): where your outputs differ from dlcore's (with mine=)
        p = _in_range(p, "p (the drop probability)", 0.0, 0.9)
        self.n_units = check_int(n_units, "n_units", minimum=1)
        if self.n_units > 20:
            raise ValueError(f"n_units must lie in [1, 20] (one column per unit); got {n_units}")
        n_samples = check_int(n_samples, "n_samples", minimum=10)
        if n_samples > 100_000:
            raise ValueError(f"n_samples must lie in [10, 100000]; got {n_samples}")
        self.n_show = check_int(n_show, "n_show", minimum=1)
        self.seed = check_int(seed, "seed", minimum=0)
        self.draws = 0
        self.h = np.round(get_rng(self.seed).uniform(0.5, 2.0, self.n_units), 2)
        x = np.arange(self.n_units)
        fig, (ax_m, ax_v) = make_figure(1, 2, figsize=(9.6, 3.8))
        self.image = ax_m.imshow(np.ones((self.n_show, self.n_units)), cmap=CMAP, vmin=0,
                                 vmax=1, aspect="auto", interpolation="nearest")
        style_axes(ax_m, "Sampled masks (yellow = kept)", "unit", "sample")
        self.eval_line, = ax_v.plot(x, self.h, "_", color=PALETTE["black"], ms=18, mew=2.5,
                                    label="eval output = h (inverted)")
        self.inv_line, = ax_v.plot(x, self.h, "o", color=CYCLE[0], ms=7,
                                   label="MC mean, inverted: h·m/(1−p)")
        self.keep_test, = ax_v.plot(x, self.h, "_", color=CYCLE[1], ms=18, mew=2.5,
                                    label="slides' test output (1−p)·h")
        self.keep_line, = ax_v.plot(x, self.h, "s", color=CYCLE[1], ms=5,
                                    label="MC mean, slides' form: h·m")
        self.mine_line = self.mine_marks = None
        if mine is not None:
            self.mine_line, = ax_v.plot(x, self.h, "x", color=PALETTE["black"], ms=8, mew=2,
                                        label=f"MC mean, yours: {mine_name(mine)}(h, m, 1−p)")
            self.mine_marks, = ax_m.plot([], [], "x", color=PALETTE["vermillion"], ms=7,
                                         mew=2, linestyle="none", label="yours ≠ correct")
        ax_v.set_ylim(0, 2.4)
        ax_v.set_xticks(x)
        # under the axes (inside, it covered the markers of the first units)
        ax_v.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                    frameon=False, columnspacing=1.0, handletextpad=0.4)
        style_axes(ax_v, "Monte-Carlo mean vs. evaluation output", "unit", "output")
        self.ax_m, self.ax_v = ax_m, ax_v
        controls = {
            "p": slider("drop probability p", p, 0.0, 0.9, 0.05,
                        tooltip="each unit is dropped with probability p (torch's p)"),
            "samples": log_slider("Monte-Carlo samples", n_samples, 10, 100_000,
                                  tooltip=_SAMPLES_TIP),
            "resample": button("draw new masks", tooltip=_RESAMPLE_TIP, icon="refresh"),
        }
        controls["samples"].continuous_update = False
        controls["resample"].on_click(self._resample)
        readouts = {"keep": readout(), "error": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Dropout: masks and expectations")
        self.update()
        self.set_dynamic([self.image, self.eval_line, self.inv_line, self.keep_test,
                          self.keep_line, self.mine_line, self.mine_marks])
        ipympl_workarounds(self)

    def _resample(self, _button=None):
        self.draws += 1
        self.update()
        self.redraw()

    def sample(self):
        """Inverted-dropout outputs of S copies of h, their masks and the eval output."""
        p = float(self.controls["p"].value)
        s = int(round(float(self.controls["samples"].value)))
        rng = np.random.default_rng([self.seed, self.draws])
        batch = np.broadcast_to(self.h, (s, self.n_units))
        out, (scale, _) = F.dropout_forward(batch, p=p, training=True, rng=rng)
        mask = np.ones_like(out) if scale is None else (scale > 0).astype(float)
        evaluation, _ = F.dropout_forward(self.h[None, :], p=p, training=False)
        return p, out, mask, evaluation[0]

    def update(self):
        p, out, mask, evaluation = self.sample()
        for key, tip in (("samples", _SAMPLES_TIP), ("resample", _RESAMPLE_TIP)):
            self.controls[key].disabled = p == 0
            self.controls[key].tooltip = _NO_DROP if p == 0 else tip
        top = self._compare_mine(p, mask, out) if self.mine is not None else 0.0
        inv_mean = out.mean(axis=0)
        keep_mean = (out * (1.0 - p)).mean(axis=0)  # h * m: the slides' training output
        keep_test = (1.0 - p) * self.h  # the slides' test output: scaled by keep probability
        self.image.set_data(mask[:self.n_show])
        self.eval_line.set_ydata(evaluation)
        self.inv_line.set_ydata(inv_mean)
        self.keep_line.set_ydata(keep_mean)
        self.keep_test.set_ydata(keep_test)
        top = max(float(inv_mean.max()), top if np.isfinite(top) else 0.0)
        sticky_limits(self.ax_v, 0.0, max(2.4, top * 1.15), pad=0.0)
        n = self.n_units
        self.set_readout("keep", f"p = {p:.2f} drops, so the keep probability is {1 - p:.2f}; "
                         f"{n} units give 2^{n} = {2 ** n:,} thinned networks; "
                         f"{1 - mask.mean():.1%} of the sampled units were dropped")
        err_inv = float(np.max(np.abs(inv_mean - evaluation)))
        err_keep = float(np.max(np.abs(keep_mean - keep_test)))
        self.set_readout("error", f"{out.shape[0]:,} samples: max |MC mean − eval output| = "
                         f"{err_inv:.3f} (inverted), {err_keep:.3f} (slides' form)")
        self.set_summary(f"Left: {self.n_show} sampled masks at p = {p:.2f}. Right: per unit, "
                         f"the average training output matches the evaluation output in both "
                         f"conventions (largest gap {max(err_inv, err_keep):.3f}); inverted "
                         f"dropout needs no change at evaluation.")

    def _compare_mine(self, p, mask, reference) -> float:
        """Your dropout on the same samples and masks: its mean (×) and the cells that differ;
        returns the largest mean, so that the axis shows it."""
        self.mismatch = None
        batch = np.broadcast_to(self.h, reference.shape)
        mine = run_mine(self.mine, (np.array(batch), mask, 1.0 - p), reference=reference,
                        reference_name="dl.layers.dropout_forward",
                        where=f"{reference.shape[0]:,} samples of h ({self.n_units} units), "
                              f"keep_prob = {1.0 - p:.2f}",
                        fallback="the × show dl.layers.dropout_forward's mean", entries="outputs")
        self.set_readout("mine", mine.message.replace("(marked yours≠correct)",
                                                      "(a red × on the masks shown)"))
        shown = mine.value if mine.used else reference
        mean = shown.mean(axis=0)
        self.mine_line.set_ydata(mean)
        rows = cols = np.array([], dtype=int)
        if mine.used:
            self.mismatch = mine.differ
            rows, cols = np.nonzero(mine.differ[:self.n_show])
        self.mine_marks.set_data(cols, rows)
        return float(np.max(mean, initial=0.0))


def dropout_explorer(p: float = 0.5, n_units: int = 10, n_samples: int = 1000, n_show: int = 12,
                     seed: int = 0, mine=None) -> App:
    """Slide the drop probability p; see sampled masks and Monte-Carlo means vs. eval output.

    Inverted dropout (``dlcore.layers.dropout_forward``, the course's form) scales kept units
    by 1/(1 - p) in training, so the mean equals the evaluation output h.  The slides' form keeps
    units unscaled (h·m) and multiplies by the keep probability 1 - p at test time; both have
    the same expectation.

    ``mine``: your own inverted dropout with a given mask, called as
    ``mine(x, mask, keep_prob)`` like exercise 08.6's ``my_dropout_forward``, on the same
    samples and masks as dlcore's (x (S, Hd), mask of 0s and 1s, keep_prob = 1 - p).  The
    right panel adds the Monte-Carlo mean of your outputs (black ×), the masks get a red ×
    on each shown cell where your output differs from dlcore's, and a readout counts the
    differing outputs with the largest error.  An error in your function, a blank, None or
    a wrong shape is shown in that readout; the black × then show dlcore's mean.
    """
    mine = require_function(mine, "my_dropout_forward", "your inverted-dropout function")
    return _DropoutExplorer(p, n_units, n_samples, n_show, seed, mine=mine)


_GAMMA, _BETA, _BIN = (0.1, 3.0), (-3.0, 3.0), 0.4


class _BatchNormExplorer(App):
    def __init__(self, gamma, beta, training, warmup, batch_size, seed):
        gamma = _in_range(gamma, "gamma", *_GAMMA)
        beta = _in_range(beta, "beta", *_BETA)
        if not isinstance(training, bool):
            raise TypeError(f"training must be True or False; got {training!r}")
        warmup = check_int(warmup, "warmup", minimum=0)
        if warmup > 100:
            raise ValueError(f"warmup must lie in [0, 100] training batches; got {warmup}")
        batch_size = check_int(batch_size, "batch_size", minimum=2)
        rng = get_rng(check_int(seed, "seed", minimum=0))
        self.z = rng.normal(3.0, 2.0, size=(256, 1))
        mean, var = np.zeros(1), np.ones(1)  # torch's initial running statistics
        self.running = [(mean.copy(), var.copy())]
        for _ in range(100):
            F.batchnorm_forward(rng.normal(3.0, 2.0, size=(batch_size, 1)), None, None,
                                running_mean=mean, running_var=var, training=True)
            self.running.append((mean.copy(), var.copy()))
        fig, (ax_in, ax_out) = make_figure(1, 2, figsize=(9.0, 3.4))
        edges = np.linspace(-4, 10, 36)
        ax_in.stairs(np.histogram(self.z, bins=edges)[0] / self.z.size, edges, fill=True,
                     color=CYCLE[0], alpha=0.85)
        ax_in.axvline(float(self.z.mean()), color=PALETTE["black"], ls="--", lw=1.5,
                      label=f"batch mean {self.z.mean():.2f}")
        ax_in.legend(fontsize=8)
        style_axes(ax_in, "Input z (one feature, N = 256)", "z", "fraction of the batch")
        self.step = ax_out.stairs(np.zeros(35), edges, fill=True, color=CYCLE[2], alpha=0.85)
        # β drawn wide under the dashed mean: in training mode the two coincide
        self.mean_line = ax_out.axvline(0, color=PALETTE["black"], ls="--", lw=1.5, zorder=4,
                                        label="output mean")
        self.beta_line = ax_out.axvline(0, color=PALETTE["vermillion"], ls="-", lw=4,
                                        alpha=0.6, zorder=3, label="β")
        # under the axes: β moves the bars across the whole panel
        ax_out.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                      frameon=False)
        style_axes(ax_out, "Output γ·ẑ + β", "output", "fraction of the batch")
        ax_out.set_ylim(0, 0.2)
        self.ax_out = ax_out
        controls = {
            "gamma": slider("scale γ (sets the std)", gamma, *_GAMMA, 0.05),
            "beta": slider("shift β (sets the mean)", beta, *_BETA, 0.05),
            "training": dropdown("mode", {"training: batch statistics": True,
                                          "evaluation: running statistics": False}, training),
            "warmup": int_slider("training batches seen", warmup, 0, 100, tooltip=_WARMUP_TIP),
        }
        readouts = {"out": readout(), "stats": readout()}
        super().__init__(controls, fig, readouts, title="Batch normalisation")
        self.update()
        self.set_dynamic([self.step, self.mean_line, self.beta_line])
        ipympl_workarounds(self)

    def output(self):
        """The batch-norm output of the displayed batch with the current controls, (256, 1)."""
        gamma = np.array([float(self.controls["gamma"].value)])
        beta = np.array([float(self.controls["beta"].value)])
        mean, var = self.running[int(self.controls["warmup"].value)]
        out, _ = F.batchnorm_forward(self.z, gamma, beta, running_mean=mean.copy(),
                                     running_var=var.copy(),
                                     training=bool(self.controls["training"].value))
        return out

    def _on_change(self, change=None):
        # the sliders keep the axes while the bars fit them (only the bars are redrawn); a
        # new mode gets axes fitted to its output
        owner = None if change is None else change.get("owner")
        self._tight = owner is None or owner is self.controls["training"]
        super()._on_change(change)

    def output_range(self) -> tuple:
        """Where the output can lie for any γ and β of the sliders, in the current mode.

        The x axis covers it (and the input's -4..10), so moving γ or β moves the histogram
        on a fixed axis: the shift and the spread are seen, and only the bars are redrawn.
        """
        k = int(self.controls["warmup"].value)
        if bool(self.controls["training"].value):
            mean, var = self.z.mean(), self.z.var()
        else:
            mean, var = (float(v[0]) for v in self.running[k])
        zhat = (self.z - mean) / np.sqrt(var + 1e-5)
        lo = min(_GAMMA[0] * float(zhat.min()), _GAMMA[1] * float(zhat.min())) + _BETA[0]
        hi = max(_GAMMA[0] * float(zhat.max()), _GAMMA[1] * float(zhat.max())) + _BETA[1]
        return min(-4.0, lo), max(10.0, hi)

    def update(self):
        out = self.output()
        gamma, beta = float(self.controls["gamma"].value), float(self.controls["beta"].value)
        training = bool(self.controls["training"].value)
        warmup = self.controls["warmup"]
        warmup.disabled = training
        warmup.tooltip = ("training mode normalises with the batch's own mean and variance; "
                          "the running statistics this sets are used in evaluation mode"
                          if training else _WARMUP_TIP)
        lo, hi = self.output_range()
        tight = getattr(self, "_tight", True)
        sticky_limits(self.ax_out, lo, hi, axis="x", slack=1.6, pad=0.0, force=tight)
        lo, hi = self.ax_out.get_xlim()
        # bins as wide as the input's (0.4), on one grid whatever the axis
        edges = np.arange(np.floor(lo / _BIN) * _BIN, hi + _BIN, _BIN)
        counts = np.histogram(out, bins=edges)[0] / out.size
        self.step.set_data(counts, edges)
        sticky_limits(self.ax_out, 0.0, counts.max() * 1.15, slack=2.5, pad=0.0, force=tight)
        self.mean_line.set_xdata([out.mean()] * 2)
        self.beta_line.set_xdata([beta] * 2)
        self.set_readout("out", f"output mean {out.mean():.3f}, std {out.std():.3f} "
                         f"(β = {beta:.2f}, γ = {gamma:.2f})")
        k = int(self.controls["warmup"].value)
        mean, var = self.running[k]
        if training:
            stats = (f"training mode: normalised with this batch's mean {self.z.mean():.3f} "
                     f"and biased variance {self.z.var():.3f}")
        else:
            stats = (f"evaluation mode: normalised with the running mean {mean[0]:.3f} and "
                     f"running variance {var[0]:.3f} after {k} training batches")
        self.set_readout("stats", stats)
        mode = "training" if training else "evaluation"
        self.set_summary(f"Histogram of the batch-norm output in {mode} mode: mean "
                         f"{out.mean():.2f} and std {out.std():.2f}, against β = {beta:.2f} and "
                         f"γ = {gamma:.2f}.")


def batchnorm_explorer(gamma: float = 1.0, beta: float = 0.0, training: bool = True,
                       warmup: int = 5, batch_size: int = 32, seed: int = 0) -> App:
    """Set γ, β and train/eval mode; see the histogram of the batch-norm output.

    The input is a batch of 256 values of one feature drawn from N(3, 2²).  In training mode
    the output has mean β and std γ (``dlcore.layers.batchnorm_forward``); in evaluation mode
    it is normalised with running statistics that ``warmup`` earlier training batches of
    ``batch_size`` (momentum 0.1) moved from torch's start (mean 0, variance 1).
    """
    return _BatchNormExplorer(gamma, beta, training, warmup, batch_size, seed)
