"""A still picture of a widget, for pages that cannot run Python (the course website).

A widget needs a running kernel and the widget JavaScript of JupyterLab; a static web page has
neither, so a notebook executed for the website would show an empty box.  With
``DLCORE_STATIC_WIDGETS=1`` in the kernel's environment, ``dlcore.widgets`` calls ``activate()``
on import, which registers an IPython ``text/html`` formatter for every ipywidgets widget: when
a cell displays a widget, its output carries, beside the live view, a picture of the widget:

- figures (ipympl canvases) as PNG images, drawn with ``savefig`` in their current state;
- HTML and label widgets (readouts, summaries, tables) as their HTML; progress bars as bars;
- controls (sliders, dropdowns, check boxes, text boxes, buttons) as one short line of their
  labels and values;
- and, when the widget has controls, a note that it is interactive in JupyterLab.

A widget that changes while its cell still runs (a training loop's progress bar) is shown as it
is when the cell ends: after each cell, a widget whose texts or controls changed since it was
displayed is drawn again, and that picture is published with the metadata
``{"dlcore_static": {"replaces": <n>}}``, ``n`` being the ``data-dl-static`` number of the
picture it replaces.  The website builder (``site/build.py``) swaps it in, and drops the live
view from the saved outputs, so the page shows the picture.

Nothing here is specific to one widget: the renderer walks the widget tree (``Box.children``)
and knows only ipywidgets' and ipympl's own classes.  In JupyterLab (the variable unset) nothing
of this module is even imported.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import re

__all__ = ["activate", "render_html", "NOTE"]

#: What a reader of the website learns about the picture (plain words: learners read it).
NOTE = ("This is a still picture of an interactive widget. Open the notebook in JupyterLab "
        "(or launch it on Binder) and run it to move the sliders and watch the plot change.")

#: The class every widget derives from, named so that registering needs no import of it.
_WIDGET = ("ipywidgets.widgets.widget", "Widget")
_numbers = itertools.count(1)
#: Widgets displayed by the running cell: (number, widget, picture without its figures).
_shown: list = []


def activate(ip=None) -> bool:
    """Register the still picture for widgets in the running IPython shell (once).

    Returns False (and does nothing) outside IPython.  Registering by the class's name defers
    the import of ipywidgets to the first widget displayed.
    """
    if ip is None:
        import sys

        if "IPython" not in sys.modules:
            return False
        ip = sys.modules["IPython"].get_ipython()
    if ip is None:
        return False
    formatter = ip.display_formatter.formatters["text/html"]
    formatter.for_type_by_name(*_WIDGET, _format)
    events = getattr(ip, "events", None)
    if events is not None and _after_cell not in events.callbacks.get("post_run_cell", []):
        events.register("post_run_cell", _after_cell)
    return True


def _format(widget) -> str:
    """The formatter: the picture, remembered so that the end of the cell can update it."""
    number = next(_numbers)
    _shown.append((number, widget, render_html(widget, number, figures=False)))
    return render_html(widget, number)


def _after_cell(*_args) -> None:
    """Publish a new picture of each widget of this cell whose texts or controls changed."""
    shown = list(_shown)
    _shown.clear()
    for number, widget, before in shown:
        if render_html(widget, number, figures=False) != before:
            from IPython.display import publish_display_data

            publish_display_data({"text/html": render_html(widget, number)},
                                 metadata={"dlcore_static": {"replaces": number}})


def render_html(widget, number: int | None = None, figures: bool = True) -> str:
    """The still picture of ``widget`` (and of everything in it) as an HTML fragment.

    ``number`` marks the picture (``data-dl-static``) for a later update; ``figures=False``
    leaves the figures out (a cheap signature of everything else).  An empty string when
    nothing of the widget is visible.
    """
    walk = _Walk(figures)
    walk.visit(widget)
    walk.flush()
    if not walk.parts:
        return ""
    body = "\n".join(walk.parts)
    note = (f'\n<p class="dl-static-note" style="margin:0.4em 0 0;font-size:90%;color:#555">'
            f"<em>{html.escape(NOTE)}</em></p>" if walk.interactive else "")
    mark = f' data-dl-static="{number}"' if number is not None else ""
    return (f'<div class="dl-static-widget"{mark} style="border-left:3px solid #0072B2;'
            f'padding:0.3em 0 0.3em 0.8em;margin:0.2em 0">\n{body}{note}\n</div>')


# --- the walk -------------------------------------------------------------------------------

def _hidden(w) -> bool:
    layout = getattr(w, "layout", None)
    return layout is not None and (getattr(layout, "display", None) == "none"
                                   or getattr(layout, "visibility", None) == "hidden")


def _has_figure(w) -> bool:
    if hasattr(getattr(w, "figure", None), "savefig"):
        return True
    return any(_has_figure(c) for c in getattr(w, "children", ()))


def _label(w) -> str:
    return str(getattr(w, "description", "") or "").strip()


class _Walk:
    """Collects the picture's parts in the order of the widget tree."""

    def __init__(self, figures: bool):
        self.figures = figures
        self.parts: list[str] = []
        self.controls: list[str] = []  # the current line of controls
        self.interactive = False  # met a control: the note is worth showing

    def flush(self) -> None:
        """Write the controls met so far as one line."""
        if self.controls:
            self.parts.append('<p class="dl-static-controls" style="margin:0.2em 0;'
                              'font-size:90%">' + " &nbsp;·&nbsp; ".join(self.controls)
                              + "</p>")
            self.controls = []

    def block(self, text: str) -> None:
        self.flush()
        self.parts.append(text)

    def control(self, text: str) -> None:
        self.interactive = True
        self.controls.append(text)

    def row(self, box) -> None:
        """An HBox: controls alone join the current line; with texts (a progress bar and its
        numbers), the whole row is one line of its own."""
        sub = _Walk(self.figures)
        for child in box.children:
            sub.visit(child)
        self.interactive |= sub.interactive
        if not sub.parts:
            self.controls += sub.controls
            return
        sub.flush()
        items = "".join(f'<div style="min-width:0;overflow-wrap:anywhere">{part}</div>'
                        for part in sub.parts)
        self.block('<div style="display:flex;flex-wrap:wrap;align-items:center;gap:0 0.5em">'
                   + items + "</div>")

    def visit(self, w) -> None:
        import ipywidgets as W

        if _hidden(w):
            return
        figure = getattr(w, "figure", None)
        if figure is not None and hasattr(figure, "savefig"):  # an ipympl canvas
            self.block(_figure_html(figure) if self.figures else f"<img figure {id(figure)}>")
        elif isinstance(w, W.HBox) and not _has_figure(w):
            self.row(w)
        elif isinstance(w, W.Box):
            for child in w.children:
                self.visit(child)
        elif isinstance(w, W.Image):
            data = base64.b64encode(bytes(w.value)).decode("ascii")
            self.block(f'<img src="data:image/{w.format or "png"};base64,{data}" alt="" '
                       f'style="max-width:100%;height:auto">')
        elif isinstance(w, (W.HTML, W.HTMLMath)):
            if str(w.value).strip():
                label = _label(w)
                prefix = f"{html.escape(label)}: " if label else ""
                if isinstance(w, W.HTMLMath):  # for the page's MathJax
                    self.block(f'<div class="dl-static-text mathjax_process">{prefix}'
                               f"{_tex_delimiters(w.value)}</div>")
                else:
                    self.block(f'<div class="dl-static-text">{prefix}{w.value}</div>')
        elif isinstance(w, (W.FloatProgress, W.IntProgress)):
            label = _label(w)
            self.controls.append(f"{html.escape(label)} " if label else "")
            self.controls[-1] += (f'<progress value="{w.value - w.min}" max="{w.max - w.min}" '
                                  f'style="vertical-align:middle"></progress>')
        elif isinstance(w, W.Button):
            if w.description:
                self.control(f'<span style="border:1px solid #aaa;border-radius:3px;'
                             f'padding:0 0.4em">{html.escape(w.description)}</span>')
        elif isinstance(w, W.Label):
            # a label next to a control (a log slider's readout) joins the control's line
            text = html.escape(str(w.value).strip())
            if text and self.controls and self.controls[-1].endswith(" ="):
                self.controls[-1] += f" <b>{text}</b>"
            elif text:
                self.controls.append(text)
        elif isinstance(w, W.Textarea):
            label = _label(w)
            self.interactive = True
            self.block(f'<div class="dl-static-controls" style="font-size:90%">'
                       f'{html.escape(label)}{":" if label else ""}'
                       f'<pre style="margin:0.1em 0 0.3em;padding:0.2em 0.4em">'
                       f"{html.escape(str(w.value))}</pre></div>")
        elif isinstance(w, W.Play):
            return  # the slider it drives shows the value
        elif hasattr(w, "value") and isinstance(w, W.DOMWidget):
            text, label = _value_text(w), html.escape(_label(w))
            if text == "":  # the value is shown by the Label that follows
                self.control(f"{label} =")
            elif text is not None:
                value = f"<b>{html.escape(text)}</b>"
                self.control(f"{label} = {value}" if label else value)


def _tex_delimiters(text: str) -> str:
    """HTMLMath's ``$...$`` and ``$$...$$`` as ``\\(...\\)`` and ``\\[...\\]``, the delimiters
    MathJax reads on a web page by default."""
    text = re.sub(r"\$\$(.+?)\$\$", r"\\[\1\\]", text, flags=re.S)
    return re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", r"\\(\1\\)", text, flags=re.S)


def _value_text(w) -> str | None:
    """A control's value as its own readout shows it ("": shown by a Label beside it)."""
    import ipywidgets as W

    if isinstance(w, (W.Checkbox, W.ToggleButton)):
        return "on" if w.value else "off"
    if getattr(w, "label", None) is not None and hasattr(w, "options"):
        return str(w.label)  # a selection: the option's label, not its value
    value = w.value
    if isinstance(w, W.FloatLogSlider) and not w.readout:
        return ""
    if isinstance(value, float):
        fmt = getattr(w, "readout_format", None)
        try:
            return format(value, fmt) if fmt else f"{value:.4g}"
        except ValueError:
            return f"{value:.4g}"
    if isinstance(value, (tuple, list)):
        return " – ".join(str(v) for v in value)
    if value is None:
        return None
    return str(value)


def _figure_html(figure) -> str:
    """The figure as a PNG at its own size (scaled down on narrow screens)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    alt = html.escape("Plot: " + "; ".join(titles) if titles else "Plot of the widget",
                      quote=True)
    width = int(round(figure.get_figwidth() * figure.dpi))
    return (f'<img class="dl-static-figure" src="data:image/png;base64,{data}" alt="{alt}" '
            f'width="{width}" style="max-width:100%;height:auto">')
