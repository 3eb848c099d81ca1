"""Shared plumbing for the course widgets: a figure the widget owns, labelled controls, readouts.

Every widget is an ``App``: an ``ipywidgets.VBox`` holding its controls, an ipympl canvas and a
text summary.  Controls are kept in ``app.controls`` (a dict name -> ipywidget), readouts in
``app.readouts`` (name -> ``HTML``), the figure in ``app.fig``.  Changing a control's ``value``
calls ``app.update()``, which moves the existing artists (``set_data``, ``set_offsets``...) and
then ``app.redraw()``: in-place updates are several times faster than re-creating artists and
do not flicker.  The same happens headless, so tests set ``app.controls["lr"].value = 0.5`` and
assert on the artists and on ``app.state()``.

Fitting the screen.  Each App carries a ``WidthProbe``, an invisible widget that reports the
width the notebook gives the widget (and again whenever it changes: a browser window resized,
the file browser opened or closed).  ``app.fit(width)`` then sizes the figure for that width at
a fixed resolution, so text keeps its size on screen; a figure of side-by-side panels is
stacked into a column when its panels would get too narrow, and a widget whose controls sit
beside its figure puts them above it when both do not fit.  Headless (no browser), the width
stays 0 and the figure keeps its designed size; tests call ``app.fit(848)`` themselves.

Speed.  A full matplotlib draw costs 50-300 ms, most of it in text and ticks.  The layout
engine runs only for the first draw after a (re)size and is then frozen, and a widget may name
the artists that change with its controls (``app.set_dynamic(artists)``): everything else is
drawn once into a cached background, and an update redraws only those artists onto it
(blitting), as long as no axis limits changed.

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
           "play_controls", "style_axes", "WidthProbe", "DPI", "text_width", "human", "view",
           "in_range", "draw_at_once"]

from ..viz.style import CMAP, CYCLE, DIVERGING, PALETTE  # noqa: F401  (re-exported)

_STYLE = {"description_width": "initial"}
#: Figures are drawn at this resolution: 10-point text is 14 px on screen at any width.
DPI = 100.0
#: A panel narrower than this (px) is stacked under its neighbour instead of beside it.
MIN_PANEL_PX = 240
#: Width (px) of the column of controls when it sits beside the figure.
CONTROLS_PX = 340
#: Figures never grow past this factor of their designed width, nor shrink the height
#: below this factor of the designed height (so plots stay readable when narrow).
MAX_GROW, MIN_HEIGHT = 1.25, 0.7
#: Sliders keep a track at least this wide (px).
MIN_TRACK_PX = 150
_READOUT_PX = 70


def text_width(text: str, px_per_char: float = 7.6) -> int:
    """Rough on-screen width (px) of a control label in JupyterLab's 13 px UI font."""
    return int(len(str(text)) * px_per_char) + 8


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


def _fast_png_canvas(Canvas):
    """ipympl's canvas with a faster PNG encoder (level 1: a few KB more, several ms less),
    whose ``draw_idle`` can draw at once (``draw_at_once``).

    ipympl's ``draw_idle`` asks the browser to ask for a draw: a round trip through the
    notebook server before the kernel even starts drawing.  That suits the draws nobody waits
    for (a page of widgets being laid out, which the browser paces); a learner's change is
    drawn at once instead.  Before a browser has shown the canvas (headless, or not displayed
    yet) every draw goes ipympl's way.
    """
    global _FastCanvas
    if _FastCanvas is None:
        from io import BytesIO

        from PIL import Image

        class FastCanvas(Canvas):
            at_once = False  # set by draw_at_once for the draw it asks for

            def draw_idle(self, *args, **kwargs):
                if not self.at_once or self.syncing_data_url:
                    return super().draw_idle(*args, **kwargs)
                self.draw()

            def get_diff_image(self):
                if not self._png_is_old:
                    return None
                pixels = np.asarray(self.get_renderer().buffer_rgba())
                buff = pixels.view(np.uint32).squeeze(2)
                if (self._force_full or buff.shape != self._last_buff.shape
                        or (pixels[:, :, 3] != 255).any()):
                    self.set_image_mode("full")
                    output = buff
                else:
                    self.set_image_mode("diff")
                    output = np.where(buff != self._last_buff, buff, 0)
                self._last_buff = buff.copy()
                self._force_full = False
                self._png_is_old = False
                data = output.view(dtype=np.uint8).reshape((*output.shape, 4))
                with BytesIO() as png:
                    Image.fromarray(data).save(png, format="png", compress_level=1)
                    return png.getvalue()

        _FastCanvas = FastCanvas
    return _FastCanvas


_FastCanvas = None


def make_figure(nrows: int = 1, ncols: int = 1, figsize=(6.4, 4.0), gridspec_kw=None,
                **subplot_kw):
    """A Figure on an ipympl canvas (not registered with pyplot) and its axes.

    ``figsize`` is the designed size in inches at ``DPI``; ``App.fit`` adapts it to the width
    the notebook gives the widget.
    """
    Canvas, FigureManager = _ipympl()
    fig = Figure(figsize=figsize, layout="constrained", dpi=DPI)
    canvas = _fast_png_canvas(Canvas)(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.footer_visible = False
    # The toolbar (pan, zoom, save) covered the y axis on hover; the widgets' own controls
    # are what a learner should use.
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None,
                        gridspec_kw=gridspec_kw)
    fig._dl_design = tuple(float(v) for v in figsize)
    return fig, axes


def _panel_columns(fig) -> int:
    """Side-by-side panels in the figure's top-level grid (1 when it has several rows)."""
    cols = 1
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None:
            continue
        nrows, ncols = spec.get_topmost_subplotspec().get_gridspec().get_geometry()
        if nrows == 1:
            cols = max(cols, ncols)
    return cols


def _stack(fig, stacked: bool) -> None:
    """Move the panels of one-row grids into one column (``stacked``) or back into a row."""
    new_grids = {}
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None:
            continue
        original = getattr(ax, "_dl_row_spec", None)
        if original is None:
            gs = spec.get_gridspec()
            nrows, ncols = gs.get_geometry()
            if nrows != 1 or ncols < 2 or spec.get_topmost_subplotspec() is not spec:
                continue
            ax._dl_row_spec = original = spec
        if not stacked:
            ax.set_subplotspec(original)
            continue
        gs = original.get_gridspec()
        ncols = gs.get_geometry()[1]
        if id(gs) not in new_grids:
            ratios = gs.get_width_ratios()
            new_grids[id(gs)] = fig.add_gridspec(ncols, 1, height_ratios=ratios)
        column = new_grids[id(gs)]
        ax.set_subplotspec(column[original.colspan.start:original.colspan.stop, 0])


def style_axes(ax, title: str, xlabel: str, ylabel: str) -> None:
    """Title and axis labels on every plot (house rule)."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _control_width(description: str, extra: int = 0) -> str:
    """A slider wide enough for its label, a track of MIN_TRACK_PX and its readout."""
    return f"{max(320, text_width(description) + MIN_TRACK_PX + _READOUT_PX + extra)}px"


def slider(description: str, value: float, lo: float, hi: float, step: float = 0.01,
           readout_format: str = ".2f", tooltip: str | None = None) -> W.FloatSlider:
    """A keyboard-operable float slider with a descriptive label."""
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=readout_format, continuous_update=True, style=_STYLE,
                         tooltip=tooltip or description,
                         layout=W.Layout(width=_control_width(description)))


def human(value: float, digits: int = 2) -> str:
    """A number as people write it: 0.05, 1.4, 50, 0.000032 (never ``5.00e-2``)."""
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    return np.format_float_positional(value, precision=digits, unique=False, fractional=False,
                                      trim="-")


def log_slider(description: str, value: float, lo: float, hi: float,
               tooltip: str | None = None) -> W.FloatLogSlider:
    """A float slider on a log scale; ``lo``/``hi`` are the values, not their exponents.

    Its readout shows numbers as people write them (0.05, 1.4, 50, 0.0001), not ``5.00e-2``:
    the slider's own readout (d3's formats) is replaced by a label next to it, and the App shows
    both (``slider._dl_display``).
    """
    s = W.FloatLogSlider(value=value, base=10, min=np.log10(lo), max=np.log10(hi), step=0.05,
                         description=description, style=_STYLE, tooltip=tooltip or description,
                         readout=False,
                         layout=W.Layout(width=_control_width(description, -_READOUT_PX)))
    label = W.Label(human(value), layout=W.Layout(width=f"{_READOUT_PX}px"))
    s.observe(lambda change: setattr(label, "value", human(change["new"])), names="value")
    s._dl_display = W.HBox([s, label])
    return s


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1,
               tooltip: str | None = None) -> W.IntSlider:
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       style=_STYLE, tooltip=tooltip or description,
                       layout=W.Layout(width=_control_width(description)))


def dropdown(description: str, options, value=None, tooltip: str | None = None) -> W.Dropdown:
    """A dropdown wide enough for its label and its longest option."""
    opts = list(options.items()) if isinstance(options, dict) else list(options)
    first = opts[0][1] if isinstance(opts[0], tuple) else opts[0]
    labels = [str(o[0] if isinstance(o, tuple) else o) for o in opts]
    width = text_width(description) + max(text_width(t) for t in labels) + 40
    return W.Dropdown(options=opts, value=first if value is None else value,
                      description=description, style=_STYLE, tooltip=tooltip or description,
                      layout=W.Layout(width=f"{max(220, width)}px"))


def checkbox(description: str, value: bool = False, tooltip: str | None = None) -> W.Checkbox:
    return W.Checkbox(value=value, description=description, indent=False, style=_STYLE,
                      tooltip=tooltip or description,
                      layout=W.Layout(width=f"{max(200, text_width(description) + 40)}px"))


def button(description: str, tooltip: str | None = None, icon: str = "") -> W.Button:
    """A button as wide as its text (ipywidgets' default width cuts long labels off)."""
    extra = 28 if icon else 0
    return W.Button(description=description, tooltip=tooltip or description, icon=icon,
                    layout=W.Layout(width=f"{text_width(description) + 24 + extra}px"))


def readout(text: str = "") -> W.HTML:
    """A text readout; screen readers announce changes (aria-live on the container)."""
    return W.HTML(value=text)


def play_controls(n_steps: int, interval_ms: int = 300, description: str = "step"):
    """A Play button linked to a step slider: play, pause, or step with the arrow keys."""
    step = W.IntSlider(value=0, min=0, max=n_steps, description=description, style=_STYLE,
                       layout=W.Layout(width=_control_width(description)))
    play = W.Play(value=0, min=0, max=n_steps, interval=interval_ms, description="play",
                  tooltip="play / pause the steps")
    W.jslink((play, "value"), (step, "value"))
    return play, step


def view(control):
    """What to put on screen for a control (a log slider shows with its readout label)."""
    return getattr(control, "_dl_display", control)


def _width_probe_class():
    import anywidget
    import traitlets

    class WidthProbe(anywidget.AnyWidget):
        """Reports the width (px) its parent gives it; 0 until a browser shows it."""

        _esm = """
        function render({ model, el }) {
          el.style.width = "100%";
          el.style.height = "0px";
          el.style.margin = "0";
          let last = -1, timer = null;
          const report = (w) => {
            if (Math.abs(w - last) < 4) return;
            clearTimeout(timer);
            timer = setTimeout(() => { last = w; model.set("width", w); model.save_changes(); },
                               last < 0 ? 0 : 150);
          };
          const observer = new ResizeObserver((entries) => {
            report(Math.floor(entries[0].contentRect.width));
          });
          observer.observe(el);
          return () => observer.disconnect();
        }
        export default { render };
        """
        width = traitlets.Int(0).tag(sync=True)

    return WidthProbe


def WidthProbe():  # noqa: N802  (a factory that reads like the class it returns)
    """An invisible widget whose ``width`` trait follows the width the page gives it."""
    global _PROBE
    if _PROBE is None:
        _PROBE = _width_probe_class()
    return _PROBE()


_PROBE = None


class App(W.VBox):
    """Base class of every course widget (see the module docstring)."""

    def __init__(self, controls: dict, fig=None, readouts: dict | None = None,
                 summary: str = "", title: str = "", layout: str = "column",
                 observe: bool = True):
        self.controls = dict(controls)
        self.readouts = dict(readouts or {})
        self.fig = fig
        self._side_by_side = layout == "row"
        self._dynamic: list = []
        self._background = None
        self._limits = None
        self._width = 0
        self._title = W.HTML(f"<b>{html.escape(title)}</b>") if title else None
        self._summary = W.HTML()
        self.set_summary(summary)
        widths = [int(c.layout.width[:-2]) for c in self.controls.values()
                  if getattr(getattr(c, "layout", None), "width", None)
                  and str(c.layout.width).endswith("px")]
        self._controls_px = max([CONTROLS_PX] + [w + 10 for w in widths])
        self._controls_box = W.VBox([view(c) for c in self.controls.values()],
                                    layout=W.Layout(min_width=f"{self._controls_px - 10}px"))
        parts = [self._controls_box] + ([fig.canvas] if fig is not None else [])
        self._body = W.Box(parts, layout=W.Layout(
            display="flex", flex_flow="row" if self._side_by_side else "column",
            align_items="flex-start"))
        texts = W.VBox(list(self.readouts.values()))
        self.probe = WidthProbe()
        children = ([self._title] if self._title else []) + [self._body, texts, self._summary,
                                                             self.probe]
        super().__init__(children=children)
        if fig is not None:
            fig.canvas.mpl_connect("draw_event", self._after_full_draw)
        self.probe.observe(lambda change: self.fit(change["new"]), names="width")
        if observe:
            for c in self.controls.values():
                if hasattr(c, "value") and not isinstance(c, W.Button):
                    c.observe(self._on_change, names="value")

    def arrange(self, rows, width: int | None = None) -> None:
        """Lay the controls out as ``rows`` (widgets or boxes; use ``view(control)``).

        ``width``: the pixels the controls column needs when it is wider than its controls
        (e.g. a table under them), so that ``fit`` leaves the figure the rest."""
        self._controls_box.children = tuple(rows)
        if width is not None:
            self._controls_px = max(self._controls_px, int(width) + 10)
            self._controls_box.layout.min_width = f"{self._controls_px - 10}px"
            if self._width:
                self.fit(self._width)

    # --- fitting the width the notebook gives the widget ------------------------------------

    def fit(self, width: int) -> None:
        """Size the figure (and place the controls) for ``width`` pixels of output area."""
        if not width or width < 100:
            return
        self._width = int(width)
        design_w, design_h = ((v * DPI for v in self.fig._dl_design) if self.fig is not None
                              else (0.0, 0.0))
        # Controls beside the figure only when the figure keeps most of its designed width.
        side = self._side_by_side and \
            width - self._controls_px >= max(2 * MIN_PANEL_PX, 0.8 * design_w)
        self._body.layout.flex_flow = "row" if side else "column"
        if self.fig is None:
            return
        avail = width - (self._controls_px if side else 0) - 12  # margins of the canvas
        columns = _panel_columns(self.fig)
        stacked = columns > 1 and min(avail, design_w) / columns < MIN_PANEL_PX
        _stack(self.fig, stacked)
        if stacked:
            panel_w = design_w / columns
            w = min(avail, panel_w * 1.5)
            h = design_h * max(MIN_HEIGHT, min(1.0, w / panel_w)) * columns * 0.85
        else:
            w = min(avail, design_w * MAX_GROW)
            h = design_h * max(MIN_HEIGHT, min(MAX_GROW, w / design_w))
        self._resize(w, h)

    def _stacked_rows(self) -> int:
        """How many rows the figure's side-by-side panels are stacked into (1: not stacked)."""
        rows = 1
        for ax in self.fig.axes if self.fig is not None else []:
            if getattr(ax, "_dl_row_spec", None) is not None:
                rows = max(rows, ax.get_subplotspec().get_gridspec().get_geometry()[0])
        return rows

    def _resize(self, w_px: float, h_px: float) -> None:
        fig = self.fig
        fig.set_size_inches(max(w_px, 50) / DPI, max(h_px, 50) / DPI, forward=False)
        fig.set_layout_engine("constrained")
        self._background = None
        manager = getattr(fig.canvas, "manager", None)
        if manager is not None:
            manager.resize(*fig.bbox.size)
        fig.canvas.draw_idle()

    # --- drawing ------------------------------------------------------------------------------

    def set_dynamic(self, artists) -> None:
        """Name the artists an update changes; the rest is drawn once and cached (blitting)."""
        self._dynamic = [a for a in artists if a is not None]
        for a in self._dynamic:
            a.set_animated(True)
        self._background = None

    def _axis_limits(self):
        return tuple(tuple(np.round(ax.viewLim.bounds, 12)) for ax in self.fig.axes)

    def relayout(self) -> None:
        """Lay the figure out again at the next draw (after a change of its structure)."""
        if self.fig is not None:
            self.fig.set_layout_engine("constrained")
            self._background = None
            self.fig.canvas.draw_idle()

    def _after_full_draw(self, event) -> None:
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        fig = self.fig
        # Lay out once per size: later draws keep the positions (the layout engine is most of
        # the cost of a draw).
        if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            fig.set_layout_engine("none")
        if self._dynamic:
            self._background = fig.canvas.copy_from_bbox(fig.bbox)
            self._limits = self._axis_limits()
            for a in self._dynamic:
                if a.get_visible():
                    fig.draw_artist(a)

    def _on_change(self, _change=None) -> None:
        self.update()
        self.redraw()

    def redraw(self, full: bool = False) -> None:
        """Show the current state: blit the dynamic artists when possible, else draw all."""
        fig = self.fig
        if fig is None:
            return
        if (full or not self._dynamic or self._background is None
                or self._axis_limits() != self._limits):
            draw_at_once(fig)
            return
        canvas = fig.canvas
        canvas.restore_region(self._background)
        for a in self._dynamic:
            if a.get_visible():
                fig.draw_artist(a)
        canvas.blit(fig.bbox)

    def update(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    # --- text ---------------------------------------------------------------------------------

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


def in_range(value, name: str, lo: int, hi: int) -> int:
    """An int starting value for a slider, in [lo, hi] (a slider would clamp it silently)."""
    from .._checks import check_int

    value = check_int(value, name)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi} (the slider's range); got "
                         f"{value}")
    return value


def draw_at_once(fig) -> None:
    """Draw ``fig`` and send it to the browser now, not after a round trip (see
    ``_fast_png_canvas``), through ``draw_idle`` so that whatever watches it still sees it."""
    canvas = fig.canvas
    canvas.at_once = True
    try:
        canvas.draw_idle()
    finally:
        canvas.at_once = False
