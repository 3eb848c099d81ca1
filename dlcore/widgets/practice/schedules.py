"""``schedule_explorer``: the learning rate at every step of a schedule.

Shapes: the rates of S steps, (S,).  The schedules are ``dl.optim.schedule`` (torch's
schedulers); with ``mine=`` the learner's ``my_warmup_cosine(t, base_lr, warmup, total,
start_factor)`` (exercise 12.14) is called for every step and drawn beside dlcore's warm-up +
cosine schedule, with a red × at each step where the two differ.
"""

from __future__ import annotations

import numpy as np

from ...optim.schedulers import SCHEDULE_NAMES, lr_curve, schedule
from .._base import (
    CYCLE,
    PALETTE,
    App,
    dropdown,
    int_slider,
    log_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from .._mine import mine_name, require_function, run_mine
from ..optimizers._common import ipympl_workarounds, shown_value

__all__ = ["schedule_explorer"]

_LABELS = {"constant": "constant", "step": "step (StepLR)",
           "exponential": "exponential (ExponentialLR)", "cosine": "cosine (CosineAnnealingLR)",
           "warmup_cosine": "warm-up, then cosine (LinearLR + CosineAnnealingLR)"}
_START = 0.1


def warmup_cosine_rates(base_lr: float, warmup: int, total: int,
                        start_factor: float = _START) -> np.ndarray:
    """dlcore's warm-up + cosine schedule (torch's SequentialLR), rates of steps 0..total-1."""
    return lr_curve(lambda o: schedule("warmup_cosine", o, total, warmup=warmup,
                                       start_factor=start_factor), base_lr, total)


class _ScheduleExplorer(App):
    def __init__(self, name, lr, total, mine=None):
        self.mine = require_function(mine, "my_warmup_cosine", "your schedule function")
        self.differ = None
        fig, ax = make_figure(1, 1, figsize=(7.2, 3.6))
        self.line, = ax.plot([], [], color=CYCLE[0], lw=2.5, label=_LABELS[name])
        self.ref_line = self.mine_line = self.marks = None
        if mine is not None:
            self.ref_line, = ax.plot([], [], color=CYCLE[1], lw=2, ls="--",
                                     label="warm-up + cosine (dlcore)")
            self.mine_line, = ax.plot([], [], ":", color=PALETTE["black"], lw=2,
                                      label=f"yours: {mine_name(mine)}")
            self.marks, = ax.plot([], [], "x", color=PALETTE["vermillion"], ms=7, mew=2,
                                  ls="none", label="yours ≠ correct")
        style_axes(ax, "Learning rate at every step", "step t", "learning rate η")
        ax.grid(alpha=0.3)
        self.legend = ax.legend(fontsize=8, loc="upper right")
        self.ax = ax
        controls = {
            "name": dropdown("schedule", {v: k for k, v in _LABELS.items()}, value=name),
            "lr": log_slider("base rate η₀", lr, 1e-3, 1.0, tooltip="the optimizer's lr at the "
                                                                     "start"),
            "total": int_slider("steps in the run", total, 10, 300, 10,
                                tooltip="how many times scheduler.step() is called"),
            "gamma": slider("gamma (step, exponential)", 0.1, 0.05, 0.99, 0.01,
                            tooltip="StepLR multiplies by gamma every step_size steps; "
                                    "ExponentialLR by gamma every step"),
            "step_size": int_slider("step_size (step)", 30, 1, 150,
                                    tooltip="StepLR: steps between two drops"),
            "warmup": int_slider("warm-up steps", 10, 1, 100,
                                 tooltip="LinearLR: steps from 0.1 η₀ up to η₀"),
        }
        readouts = {"values": readout(), **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Learning-rate schedules")
        self.update()
        ipympl_workarounds(self)

    def rates(self) -> np.ndarray:
        c = self.controls
        name, total = c["name"].value, int(c["total"].value)
        lr = shown_value(c["lr"])
        kw = {}
        if name == "step":
            kw = {"gamma": float(c["gamma"].value), "step_size": int(c["step_size"].value)}
        elif name == "exponential":
            kw = {"gamma": float(c["gamma"].value)}
        elif name == "warmup_cosine":
            kw = {"warmup": min(int(c["warmup"].value), total - 1), "start_factor": _START}
        return lr_curve(lambda o: schedule(name, o, total, **kw), lr, total)

    def update(self):
        c = self.controls
        name, total = c["name"].value, int(c["total"].value)
        lr = shown_value(c["lr"])
        warmup = min(int(c["warmup"].value), total - 1)
        for key, used in (("gamma", name in ("step", "exponential")),
                          ("step_size", name == "step"), ("warmup", name == "warmup_cosine"
                                                          or self.mine is not None)):
            c[key].disabled = not used
        r = self.rates()
        t = np.arange(total)
        self.line.set_data(t, r)
        self.line.set_label(_LABELS[name])
        top = float(np.max(r))
        if self.mine is not None:
            ref = warmup_cosine_rates(lr, warmup, total)
            self.ref_line.set_data(t, ref)
            self.ref_line.set_visible(name != "warmup_cosine")
            top = max(top, self._compare_mine(lr, warmup, total, ref))
        self.ax.set_xlim(0, total)
        self.ax.set_ylim(0, 1.08 * max(top, 1e-12))
        # only what is drawn: a hidden or empty line gets no entry
        shown = [ln for ln in (self.line, self.ref_line, self.mine_line, self.marks)
                 if ln is not None and ln.get_visible() and len(ln.get_xdata())]
        self.legend.remove()
        self.legend = self.ax.legend(handles=shown, fontsize=8, loc="upper right")
        self.set_readout("values", f"η at steps 0, {total // 2} and {total - 1}: {r[0]:.4g}, "
                                   f"{r[total // 2]:.4g}, {r[-1]:.4g}; mean rate over the run "
                                   f"{r.mean():.4g} ({r.mean() / lr:.0%} of η₀).")
        self.set_summary(f"The {_LABELS[name]} schedule over {total} steps from η₀ = {lr:g}: "
                         f"it ends at {r[-1]:.3g}.")

    def _compare_mine(self, lr, warmup, total, ref) -> float:
        fn = self.mine

        def all_steps(base_lr, warmup, total, start_factor):
            values = [fn(t, base_lr, warmup, total, start_factor) for t in range(total)]
            if any(v is None for v in values):
                return None
            return np.array([float(np.asarray(v)) for v in values])

        all_steps.__name__ = mine_name(fn)
        m = run_mine(all_steps, (lr, warmup, total, _START), reference=ref,
                     reference_name="dlcore's warm-up + cosine schedule",
                     where=f"base_lr = {lr:g}, warmup = {warmup}, total = {total}, "
                           f"start_factor = {_START}",
                     fallback="no curve of yours is drawn", entries="steps", label="rate")
        self.set_readout("mine", m.message.replace("rate[", "step ").replace("]:", ":"))
        self.differ = m.differ if m.used else None
        t = np.arange(total)
        if m.used:
            self.mine_line.set_data(t, m.value)
            bad = np.flatnonzero(m.differ)
            self.marks.set_data(t[bad], m.value[bad])
            finite = m.value[np.isfinite(m.value)]
            return float(np.max(finite, initial=0.0))
        self.mine_line.set_data([], [])
        self.marks.set_data([], [])
        return 0.0


def schedule_explorer(name: str = "warmup_cosine", lr: float = 0.1, total: int = 100,
                      mine=None) -> App:
    """Pick a schedule (constant, step, exponential, cosine, warm-up then cosine) and its
    settings; see the learning rate of every step as torch's schedulers set it.

    ``mine``: your warm-up + cosine schedule, called as ``mine(t, base_lr, warmup, total,
    start_factor)`` for every step t like exercise 12.14's ``my_warmup_cosine``; it is drawn
    (dotted) beside dlcore's with a red × at every step where it differs, and the readout
    names the first and the largest difference.  An error, a blank or None is shown in the
    readout instead.
    """
    if name not in SCHEDULE_NAMES:
        raise ValueError(f"name must be one of {', '.join(map(repr, SCHEDULE_NAMES))}; got "
                         f"{name!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 1e-3 <= lr <= 1.0:
        raise ValueError(f"lr must be a number in [0.001, 1] (the slider range); got {lr!r}")
    from .._base import in_range

    return _ScheduleExplorer(name, float(lr), in_range(total, "total", 10, 300),
                             mine=require_function(mine, "my_warmup_cosine",
                                                   "your schedule function"))
