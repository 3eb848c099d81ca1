"""Static plots for the optimizer lecture: paths on error-surface contours, curves, stability.

Each function draws on ``ax`` (a new figure when ``ax`` is None) and returns the Axes; none
calls ``plt.show()``.  Surfaces are given by name (``dlcore.optim.SURFACES``: "quadratic",
"valley", "rosenbrock", "saddle", "bumpy", with their keywords such as ``kappa``) or as a
learner's own loss function of a point (resolved and evaluated on a grid by
``dlcore.optim.resolve_surface`` and ``loss_grid``).  The optimizers' colours, markers and labels
(``OPTIMIZER_STYLE``, ``OPTIMIZER_LABELS``) are shared with the lecture's widgets.

Shapes: S steps; a path is (S + 1, 2), row t the point theta_t = (x, y); a curve is (S + 1,);
a loss function maps points (..., 2) -> (...) (or one point (2,) -> a number).
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_int, check_positive, shape_str
from ..optim.surfaces import ResolvedSurface, loss_grid, resolve_surface
from .style import CMAP, CYCLE, PALETTE, axes_or_new

__all__ = ["OPTIMIZER_LABELS", "OPTIMIZER_STYLE", "contour_levels", "plot_optim_surface",
           "plot_optim_paths", "plot_optim_curves", "plot_stability_region"]

OPTIMIZER_LABELS = {"gd": "GD", "momentum": "Momentum", "nag": "Nesterov (NAG)",
                    "adagrad": "Adagrad", "rmsprop": "RMSProp", "adam": "Adam"}
# Colour, marker and dash differ per optimizer, so the paths stay apart in grey scale too.
OPTIMIZER_STYLE = {
    "gd": {"color": PALETTE["blue"], "marker": "o", "linestyle": "-"},
    "momentum": {"color": PALETTE["orange"], "marker": "s", "linestyle": "--"},
    "nag": {"color": PALETTE["green"], "marker": "^", "linestyle": "-."},
    "adagrad": {"color": PALETTE["vermillion"], "marker": "v", "linestyle": ":"},
    "rmsprop": {"color": PALETTE["purple"], "marker": "D", "linestyle": "-"},
    "adam": {"color": PALETTE["sky"], "marker": "P", "linestyle": "--"},
}
_MARKERS = ("o", "s", "^", "v", "D", "P", "X")
_DASHES = ("-", "--", "-.", ":")


def contour_levels(Z: np.ndarray, base: float | None, n: int = 14) -> np.ndarray:
    """Contour levels spaced evenly in log(loss - base), so valleys keep their detail.

    Z (R, R) a loss grid (non-finite cells ignored); base the minimum loss if known (else the
    grid's minimum).  Returns n increasing levels (3 for a flat window).
    """
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("the loss is not finite anywhere in the window; check loss_fn and "
                         "xlim/ylim")
    base = float(finite.min()) if base is None else min(float(base), float(finite.min()))
    gap = finite - base
    hi = float(np.quantile(gap, 0.98))
    if hi <= 0:
        return np.array([base - 1.0, base, base + 1.0])  # a flat window: any levels will do
    lo = max(float(np.quantile(gap, 0.003)), hi * 1e-4)
    return base + np.geomspace(lo, hi, n)


def _style(name, i: int) -> dict:
    if name in OPTIMIZER_STYLE:
        return dict(OPTIMIZER_STYLE[name])
    return {"color": CYCLE[i % len(CYCLE)], "marker": _MARKERS[i % len(_MARKERS)],
            "linestyle": _DASHES[i % len(_DASHES)]}


def _label(name) -> str:
    return OPTIMIZER_LABELS.get(name, str(name))


def _draw_contours(ax, surf: ResolvedSurface, levels: int = 14):
    X, Y, Z = loss_grid(surf.loss_fn, surf.xlim, surf.ylim)
    cs = ax.contour(X, Y, Z, levels=contour_levels(Z, surf.lstar, levels), cmap=CMAP,
                    linewidths=0.8)
    for m in surf.minima:
        ax.plot(*m, linestyle="none", marker="*", markersize=12, color=PALETTE["black"],
                zorder=4)
    ax.set_xlim(surf.xlim)
    ax.set_ylim(surf.ylim)
    return cs


def plot_optim_surface(surface="valley", ax=None, *, xlim=None, ylim=None, levels: int = 14,
                       title: str | None = None, **surface_kw):
    """Contour lines of an error surface ``E(x, y)``, levels evenly spaced in log(E - E_min).

    ``surface`` is a name from ``dlcore.optim.SURFACES`` (keywords such as ``kappa=50`` pass
    through) or a loss function of points (..., 2) or of one point (2,); minimisers of named
    surfaces are marked with stars.  Returns the Axes.
    """
    levels = check_int(levels, "levels", minimum=2)
    surf = resolve_surface(surface, surface_kw, xlim, ylim)
    ax = axes_or_new(ax, (5.6, 4.2))
    _draw_contours(ax, surf, levels)
    ax.set_title(title or f"Error surface: {surf.label}")
    ax.set_xlabel("x (first parameter)")
    ax.set_ylabel("y (second parameter)")
    return ax


def _paths(paths) -> dict:
    if not isinstance(paths, dict) or not paths:
        raise TypeError("paths must be a non-empty dict name -> path of shape (S + 1, 2), e.g. "
                        "{'gd': dl.optim.trajectory('gd', grad_fn, theta0, 100, lr=0.1)}")
    out = {}
    for name, path in paths.items():
        arr = as_array(path, f"paths[{name!r}]", ndim=2, finite=False, spec="(S + 1, 2)")
        if arr.shape[1] != 2 or arr.shape[0] < 1:
            raise ValueError(f"paths[{name!r}] must have shape (S + 1, 2), one point (x, y) per "
                             f"step; got shape {shape_str(arr.shape)}")
        out[name] = arr
    return out


def plot_optim_paths(paths, surface="valley", ax=None, *, xlim=None, ylim=None,
                     title: str | None = None, **surface_kw):
    """Optimizer paths ``theta_0, theta_1, ..., theta_S`` drawn on the contours of a surface.

    paths: dict name -> (S + 1, 2) array, as returned by ``dlcore.optim.trajectory``; keys
    that name an optimizer ("gd", "momentum"...) get its colour, marker and label.  The start
    is a white circle, each path ends in its marker; a path that diverges leaves the window.
    ``surface`` as in ``plot_optim_surface``.  Returns the Axes.
    """
    paths = _paths(paths)
    ax = plot_optim_surface(surface, ax, xlim=xlim, ylim=ylim, title=title, **surface_kw)
    if title is None:
        steps = max(p.shape[0] for p in paths.values()) - 1
        ax.set_title(f"{steps} steps on {ax.get_title().removeprefix('Error surface: ')}")
    for i, (name, path) in enumerate(paths.items()):
        st = _style(name, i)
        ax.plot(path[:, 0], path[:, 1], color=st["color"], linestyle=st["linestyle"],
                linewidth=1.4, label=_label(name))
        last = path[np.all(np.isfinite(path), axis=1)][-1]
        ax.plot(*last, marker=st["marker"], color=st["color"], markersize=8,
                markeredgecolor=PALETTE["black"], linestyle="none", zorder=5)
    start = next(iter(paths.values()))[0]
    ax.plot(*start, marker="o", markersize=9, markerfacecolor="white",
            markeredgecolor=PALETTE["black"], linestyle="none", zorder=6, label="start")
    ax.legend(loc="best", fontsize="small", framealpha=0.85)
    return ax


def plot_optim_curves(curves, ax=None, *, logy: bool = True, xlabel: str = "step t",
                      ylabel: str = "loss", title: str = "Loss vs step"):
    """One line per entry of ``curves`` (dict name -> (S + 1,) values at steps 0..S).

    With ``logy`` the y axis is logarithmic and values <= 0 are left out (plot a gap to the
    minimum, E(theta_t) - E_min, to see linear convergence as a straight line).  Keys that
    name an optimizer get its style and label.  Returns the Axes.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict name -> values of shape (S + 1,)")
    ax = axes_or_new(ax, figsize=(5.6, 3.8))
    for i, (name, values) in enumerate(curves.items()):
        arr = as_array(values, f"curves[{name!r}]", ndim=1, finite=False, spec="(S + 1,)")
        if logy:
            arr = np.where(arr > 0, arr, np.nan)
        st = _style(name, i)
        ax.plot(np.arange(arr.size), arr, color=st["color"], linestyle=st["linestyle"],
                marker=st["marker"], markevery=max(1, arr.size // 10), markersize=5,
                label=_label(name))
    if logy:
        ax.set_yscale("log")
    if not logy:
        ax.axhline(0.0, color=PALETTE["grey"], linewidth=0.6)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_stability_region(h: float = 1.0, ax=None, *, point=None, max_beta: float = 0.99,
                          title: str | None = None):
    """Largest stable ``eta h`` against the momentum ``beta`` on ``E = h w^2 / 2``.

    Lines from ``dlcore.optim.stability_limit``: GD ``eta h < 2``, heavy-ball momentum
    ``eta h < 2 (1 + beta)`` (shaded: its stable region), Nesterov ``eta h < 2 (1 + beta) /
    (1 + 2 beta)``.  ``point=(beta, eta)`` marks one setting (green inside the momentum
    region, vermillion outside).  Returns the Axes.
    """
    from ..optim import stability_limit

    h = check_positive(h, "h")
    if not 0 < max_beta < 1:
        raise ValueError(f"max_beta must lie in (0, 1); got {max_beta}")
    betas = np.linspace(0.0, max_beta, 200)
    mom = np.array([stability_limit(h, "momentum", b) * h for b in betas])
    nag = np.array([stability_limit(h, "nag", b) * h for b in betas])
    ax = axes_or_new(ax, figsize=(5.6, 3.8))
    ax.fill_between(betas, 0.0, mom, color=PALETTE["sky"], alpha=0.3,
                    label="momentum stable: 0 < ηh < 2(1+β)")
    ax.plot(betas, mom, color=PALETTE["blue"], linewidth=2, label="momentum limit 2(1+β)")
    ax.plot(betas, nag, color=PALETTE["green"], linestyle="-.", linewidth=2,
            label="Nesterov limit 2(1+β)/(1+2β)")
    ax.axhline(stability_limit(h, "gd") * h, color=PALETTE["vermillion"], linestyle="--",
               linewidth=1.5, label="GD limit ηh = 2")
    if point is not None:
        beta, eta = (float(v) for v in as_array(point, "point", ndim=1, spec="(2,)"))
        ok = 0 < eta * h < stability_limit(h, "momentum", beta) * h
        ax.plot(beta, eta * h, marker="o", markersize=9, linestyle="none",
                color=PALETTE["green"] if ok else PALETTE["vermillion"],
                markeredgecolor=PALETTE["black"], label=f"β = {beta:g}, ηh = {eta * h:g}")
    ax.set_xlim(0.0, max_beta)
    ax.set_ylim(0.0, 4.2)
    ax.set_title(title or "Stable step sizes on a quadratic")
    ax.set_xlabel("momentum β")
    ax.set_ylabel("η h (learning rate × curvature)")
    ax.legend(loc="upper left", fontsize="small")
    return ax
