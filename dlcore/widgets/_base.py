"""Shared plumbing for the course widgets: a figure the widget owns, labelled controls, readouts.

Every widget is an ``App``: an ``ipywidgets.VBox`` holding its controls, an ipympl canvas and a
text summary.  Controls are kept in ``app.controls`` (a dict name -> ipywidget), readouts in
``app.readouts`` (name -> ``HTML``), the figure in ``app.fig``.  Changing a control's ``value``
calls ``app.update()``, which moves the existing artists (``set_data``, ``set_offsets``...) and
asks the canvas to ``draw_idle()``: in-place updates are several times faster than redrawing and
do not flicker.  The same happens headless, so tests set ``app.controls["lr"].value = 0.5`` and
assert on the artists and on ``app.state()``.

Figures are created with ipympl's canvas directly, not through pyplot, so a widget works
whatever the notebook's matplotlib backend is and never leaves a second, static copy behind.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

__all__ = ["App", "PALETTE", "CYCLE", "CMAP", "DIVERGING", "make_figure", "slider",
           "log_slider", "int_slider", "dropdown", "checkbox", "button", "readout",
           "play_controls", "style_axes"]

from ..viz.style import CMAP, CYCLE, DIVERGING, PALETTE  # noqa: F401  (re-exported)

_STYLE = {"description_width": "initial"}
MAX_WIDTH_PX = 940


def _ipympl():
    """Import ipympl's canvas without letting it switch matplotlib's backend.

    ``import ipympl`` calls ``matplotlib.use("module://ipympl.backend_nbagg")`` when matplotlib
    is already imported, which would turn the notebook's later static plots into widgets (or,
    switched back, leave the inline backend unconfigured).  The widgets need only the canvas
    class, so ``matplotlib.use`` is made a no-op for the duration of that first import.
    """
    import matplotlib

    use = matplotlib.use
    matplotlib.use = lambda *args, **kwargs: None
    try:
        from ipympl.backend_nbagg import Canvas, FigureManager
    finally:
        matplotlib.use = use
    return Canvas, FigureManager


def make_figure(nrows: int = 1, ncols: int = 1, figsize=(6.4, 4.0), gridspec_kw=None,
                **subplot_kw):
    """A Figure on an ipympl canvas (not registered with pyplot) and its axes."""
    Canvas, FigureManager = _ipympl()

    # A notebook's output area is about 950 px wide: wider figures are drawn at a lower dpi,
    # which shrinks the whole figure (text included) instead of cutting off its right side.
    fig = Figure(figsize=figsize, layout="constrained", dpi=min(100.0, MAX_WIDTH_PX / figsize[0]))
    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.toolbar_position = "left"
    canvas.resizable = False
    axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None,
                        gridspec_kw=gridspec_kw)
    return fig, axes


def style_axes(ax, title: str, xlabel: str, ylabel: str) -> None:
    """Title and axis labels on every plot (house rule)."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def slider(description: str, value: float, lo: float, hi: float, step: float = 0.01,
           readout_format: str = ".2f", tooltip: str | None = None) -> W.FloatSlider:
    """A keyboard-operable float slider with a descriptive label."""
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=readout_format, continuous_update=True, style=_STYLE,
                         tooltip=tooltip or description, layout=W.Layout(width="320px"))


def log_slider(description: str, value: float, lo: float, hi: float,
               tooltip: str | None = None) -> W.FloatLogSlider:
    """A float slider on a log scale; ``lo``/``hi`` are the values, not their exponents."""
    return W.FloatLogSlider(value=value, base=10, min=np.log10(lo), max=np.log10(hi), step=0.05,
                            description=description, style=_STYLE, tooltip=tooltip or description,
                            layout=W.Layout(width="320px"), readout_format=".2e")


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1,
               tooltip: str | None = None) -> W.IntSlider:
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       style=_STYLE, tooltip=tooltip or description,
                       layout=W.Layout(width="320px"))


def dropdown(description: str, options, value=None, tooltip: str | None = None) -> W.Dropdown:
    opts = list(options.items()) if isinstance(options, dict) else list(options)
    first = opts[0][1] if isinstance(opts[0], tuple) else opts[0]
    return W.Dropdown(options=opts, value=first if value is None else value,
                      description=description, style=_STYLE, tooltip=tooltip or description)


def checkbox(description: str, value: bool = False, tooltip: str | None = None) -> W.Checkbox:
    return W.Checkbox(value=value, description=description, indent=False, style=_STYLE,
                      tooltip=tooltip or description)


def button(description: str, tooltip: str | None = None, icon: str = "") -> W.Button:
    return W.Button(description=description, tooltip=tooltip or description, icon=icon)


def readout(text: str = "") -> W.HTML:
    """A text readout; screen readers announce changes (aria-live on the container)."""
    return W.HTML(value=text)


def play_controls(n_steps: int, interval_ms: int = 300, description: str = "step"):
    """A Play button linked to a step slider: play, pause, or step with the arrow keys."""
    step = W.IntSlider(value=0, min=0, max=n_steps, description=description, style=_STYLE,
                       layout=W.Layout(width="320px"))
    play = W.Play(value=0, min=0, max=n_steps, interval=interval_ms, description="play",
                  tooltip="play / pause the steps")
    W.jslink((play, "value"), (step, "value"))
    return play, step


class App(W.VBox):
    """Base class of every course widget (see the module docstring)."""

    def __init__(self, controls: dict, fig=None, readouts: dict | None = None,
                 summary: str = "", title: str = "", layout: str = "column",
                 observe: bool = True):
        self.controls = dict(controls)
        self.readouts = dict(readouts or {})
        self.fig = fig
        self._title = W.HTML(f"<b>{html.escape(title)}</b>") if title else None
        self._summary = W.HTML()
        self.set_summary(summary)
        control_box = W.VBox([c for c in self.controls.values()],
                             layout=W.Layout(min_width="330px"))
        parts = [control_box] + ([fig.canvas] if fig is not None else [])
        body = W.HBox(parts) if layout == "row" else W.VBox(parts)
        texts = W.VBox(list(self.readouts.values()))
        children = ([self._title] if self._title else []) + [body, texts, self._summary]
        super().__init__(children=children)
        if observe:
            for c in self.controls.values():
                if hasattr(c, "value") and not isinstance(c, W.Button):
                    c.observe(self._on_change, names="value")

    def _on_change(self, _change=None) -> None:
        self.update()
        self.redraw()

    def redraw(self) -> None:
        if self.fig is not None:
            self.fig.canvas.draw_idle()

    def update(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def set_summary(self, text: str) -> None:
        """The one-line text summary of what the plot shows (also read by screen readers)."""
        self._summary.value = f"<p role='status' aria-live='polite'>{html.escape(text)}</p>"

    def set_readout(self, name: str, text: str) -> None:
        self.readouts[name].value = html.escape(text)

    @property
    def summary(self) -> str:
        return html.unescape(self._summary.value.split(">", 1)[1].rsplit("</p>", 1)[0])

    def state(self) -> dict:
        """Control values and readout texts, for tests and for printing."""
        out = {k: c.value for k, c in self.controls.items() if hasattr(c, "value")}
        out.update({k: html.unescape(r.value) for k, r in self.readouts.items()})
        return out
