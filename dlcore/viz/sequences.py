"""Static plots for the RNN and LSTM lectures: gradient norms through time, training curves of
sequence models, and gate traces.

Shape legend: T time steps; a curve of gradient norms is (T + 1,) for the states h_0 ... h_T;
a training history has one value per epoch; a gate trace maps a gate name to (T,).

Every function takes ``ax=None`` (a new figure is made) and returns the Axes, or returns a new
Figure when it draws several panels; none calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .style import CYCLE, PALETTE, axes_or_new

__all__ = ["plot_gradient_norms", "plot_sequence_training", "plot_gate_trace"]



def _curve(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers (one per step or "
                         f"epoch); got shape {arr.shape}")
    return arr


def plot_gradient_norms(curves: dict, bounds: dict | None = None, ax=None,
                        title: str = "Gradient norm reaching each time step"):
    """Log-scale ``||dL/dh_k||`` against k for each curve; dashed bounds in the same colour.

    curves: {label: norms (T + 1,)} for k = 0..T (the loss at k = T); bounds: {label: (T + 1,)}
    with the same labels (optional), e.g. ``(gamma * lam) ** (T - k)``.  Returns the Axes.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: norms}")
    ax = axes_or_new(ax, (6.4, 4.0))
    bounds = bounds or {}
    for j, (label, values) in enumerate(curves.items()):
        y = _curve(values, f"curves[{label!r}]")
        colour = CYCLE[j % len(CYCLE)]
        k = np.arange(y.size)
        ax.semilogy(k, np.maximum(y, 1e-300), "o-", ms=3, color=colour, label=label)
        if label in bounds:
            b = _curve(bounds[label], f"bounds[{label!r}]")
            if b.size != y.size:
                raise ValueError(f"bounds[{label!r}] must have the length of its curve "
                                 f"({y.size}); got {b.size}")
            ax.semilogy(k, b, "--", color=colour, lw=1.2, label=f"bound for {label}")
    ax.set_title(title)
    ax.set_xlabel("time step k (the loss is at the last step)")
    ax.set_ylabel("‖∂L/∂h_k‖ (log scale)")
    ax.legend(fontsize=8)
    return ax


def plot_sequence_training(histories: dict, chance_loss: float | None = None,
                           chance_acc: float | None = None,
                           title: str = "Training on a long-lag task"):
    """Two panels: training loss and accuracy per epoch for each model.

    histories: {label: dlcore.nn.History or dict with "train_loss" and "val_acc" or
    "train_acc" lists}.  ``chance_loss`` / ``chance_acc`` draw a dashed reference line.
    Returns the Figure (axes: loss, accuracy).
    """
    import matplotlib.pyplot as plt

    if not isinstance(histories, dict) or not histories:
        raise TypeError("histories must be a non-empty dict {label: History}")
    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10.0, 3.8), layout="constrained")
    for j, (label, hist) in enumerate(histories.items()):
        data = hist.as_dict() if hasattr(hist, "as_dict") else dict(hist)
        if "train_loss" not in data:
            raise ValueError(f"histories[{label!r}] needs a 'train_loss' list; got keys "
                             f"{sorted(data)}")
        colour = CYCLE[j % len(CYCLE)]
        loss = _curve(data["train_loss"], f"histories[{label!r}]['train_loss']")
        ax_l.plot(np.arange(1, loss.size + 1), loss, color=colour, lw=2, label=label)
        acc_key = "val_acc" if data.get("val_acc") else "train_acc"
        if data.get(acc_key):
            acc = _curve(data[acc_key], f"histories[{label!r}][{acc_key!r}]")
            ax_a.plot(np.arange(1, acc.size + 1), acc, color=colour, lw=2,
                      label=f"{label} ({acc_key.replace('_', ' ')})")
    if chance_loss is not None:
        ax_l.axhline(chance_loss, color=PALETTE["grey"], ls="--", lw=1, label="chance")
    if chance_acc is not None:
        ax_a.axhline(chance_acc, color=PALETTE["grey"], ls="--", lw=1, label="chance")
    ax_l.set_title(f"{title}: loss")
    ax_l.set_xlabel("epoch")
    ax_l.set_ylabel("cross-entropy")
    ax_a.set_title(f"{title}: accuracy")
    ax_a.set_xlabel("epoch")
    ax_a.set_ylabel("accuracy")
    ax_a.set_ylim(0, 1.05)
    ax_l.legend(fontsize=8)
    ax_a.legend(fontsize=8)
    return fig


def plot_gate_trace(trace: dict, x=None, ax=None, title: str = "Gates over a sequence"):
    """Lines of every gate and state in ``trace`` against the time step t = 1..T.

    trace: {name: values (T,)}, e.g. ``dlcore.recurrent.lstm_gates(cache)`` reduced to one
    unit; x (T,) optional, drawn as grey steps.  Returns the Axes.
    """
    if not isinstance(trace, dict) or not trace:
        raise TypeError("trace must be a non-empty dict {gate name: values}")
    ax = axes_or_new(ax, (6.4, 4.0))
    T = None
    for j, (name, values) in enumerate(trace.items()):
        y = _curve(values, f"trace[{name!r}]")
        if T is not None and y.size != T:
            raise ValueError(f"every trace must have the same length T={T}; trace[{name!r}] "
                             f"has {y.size}")
        T = y.size
        ax.plot(np.arange(1, T + 1), y, "o-", ms=3, color=CYCLE[j % len(CYCLE)], label=name)
    if x is not None:
        xs = _curve(x, "x")
        if xs.size != T:
            raise ValueError(f"x must have the length of the traces (T={T}); got {xs.size}")
        ax.step(np.arange(1, T + 1), xs, where="mid", color=PALETTE["grey"], label="input x_t")
    ax.set_title(title)
    ax.set_xlabel("time step t")
    ax.set_ylabel("value")
    ax.legend(fontsize=8)
    return ax
