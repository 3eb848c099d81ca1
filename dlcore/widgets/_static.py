"""A still picture of a widget, for pages that cannot run Python (the course website).

A widget needs a running kernel and the widget JavaScript of JupyterLab; a static web page has
neither, so a notebook executed for the website would show an empty box.  With
``DLCORE_STATIC_WIDGETS=1`` in the kernel's environment, ``dlcore.widgets`` calls ``activate()``
on import, which registers an IPython ``text/html`` formatter for every ipywidgets widget: when
a cell displays a widget, its output carries, beside the live view, a picture of the widget as it
first appears:

- figures (ipympl canvases) as PNG images, drawn with ``savefig`` in their current state;
- HTML and label widgets (readouts, summaries, tables) as their HTML;
- controls (sliders, dropdowns, check boxes, text boxes, buttons) as one short line of their
  labels and values;
- and a note that the widget is interactive in JupyterLab.

The website builder (``site/build.py``) then drops the live view from the saved output, so the
page shows the picture.  Nothing here is specific to one widget: the renderer walks the widget
tree (``Box.children``) and knows only ipywidgets' and ipympl's own classes.  In JupyterLab
(the variable unset) nothing changes.
"""

from __future__ import annotations

import base64
import html
import io

__all__ = ["activate", "render_html", "NOTE"]

#: What a reader of the website learns about the picture (plain words: learners read it).
NOTE = ("This is a still picture of an interactive widget. Open the notebook in JupyterLab "
        "(or launch it on Binder) and run it to move the sliders and watch the plot change.")

#: The class every widget derives from, named so that registering needs no import of it.
_WIDGET = ("ipywidgets.widgets.widget", "Widget")


def activate(ip=None) -> bool:
    """Register the static ``text/html`` picture for widgets in the running IPython shell.

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
    formatter.for_type_by_name(*_WIDGET, render_html)
    return True


def render_html(widget) -> str:
    """The still picture of ``widget`` (and of everything in it) as an HTML fragment."""
    parts: list[str] = []
    controls: list[str] = []
    _walk(widget, parts, controls)
    _flush(parts, controls)
    body = "\n".join(parts)
    note = (f'<p class="dl-static-note" style="margin:0.4em 0 0;font-size:90%;color:#555">'
            f"<em>{html.escape(NOTE)}</em></p>")
    return (f'<div class="dl-static-widget" style="border-left:3px solid #0072B2;'
            f'padding:0.3em 0 0.3em 0.8em;margin:0.2em 0">\n{body}\n{note}\n</div>')


# --- the walk -------------------------------------------------------------------------------

def _hidden(w) -> bool:
    layout = getattr(w, "layout", None)
    return layout is not None and (getattr(layout, "display", None) == "none"
                                   or getattr(layout, "visibility", None) == "hidden")


def _flush(parts: list[str], controls: list[str]) -> None:
    """Write the controls met so far as one line."""
    if controls:
        parts.append('<p class="dl-static-controls" style="margin:0.2em 0;font-size:90%">'
                     + " &nbsp;·&nbsp; ".join(controls) + "</p>")
        controls.clear()


def _walk(w, parts: list[str], controls: list[str]) -> None:
    import ipywidgets as W

    if _hidden(w):
        return
    figure = getattr(w, "figure", None)
    if figure is not None and hasattr(figure, "savefig"):  # an ipympl canvas
        _flush(parts, controls)
        parts.append(_figure_html(figure))
    elif isinstance(w, W.Box):
        for child in w.children:
            _walk(child, parts, controls)
    elif isinstance(w, W.Image):
        _flush(parts, controls)
        fmt = getattr(w, "format", "png") or "png"
        data = base64.b64encode(bytes(w.value)).decode("ascii")
        parts.append(f'<img src="data:image/{fmt};base64,{data}" alt="" '
                     f'style="max-width:100%;height:auto">')
    elif isinstance(w, (W.HTML, W.HTMLMath)):
        if str(w.value).strip():
            _flush(parts, controls)
            label = _label(w)
            prefix = f"{html.escape(label)}: " if label else ""
            parts.append(f'<div class="dl-static-text">{prefix}{w.value}</div>')
    elif isinstance(w, W.Button):
        if w.description:
            controls.append(f'<span style="border:1px solid #aaa;border-radius:3px;'
                            f'padding:0 0.4em">{html.escape(w.description)}</span>')
    elif isinstance(w, W.Label):
        # a label next to a control (a log slider's readout) belongs on the controls' line
        text = html.escape(str(w.value).strip())
        if text and controls and controls[-1].endswith(" ="):
            controls[-1] += f" <b>{text}</b>"
        elif text:
            controls.append(text)
    elif isinstance(w, (W.Textarea,)):
        _flush(parts, controls)
        label = _label(w)
        parts.append(f'<div class="dl-static-controls" style="font-size:90%">'
                     f'{html.escape(label)}{":" if label else ""}'
                     f'<pre style="margin:0.1em 0 0.3em;padding:0.2em 0.4em">'
                     f"{html.escape(str(w.value))}</pre></div>")
    elif isinstance(w, W.Play):
        return  # the slider it drives shows the value
    elif hasattr(w, "value") and isinstance(w, W.DOMWidget):
        text = _value_text(w)
        label = _label(w)
        if text == "":  # the value is shown by the Label that follows
            controls.append(f"{html.escape(label)} =")
        elif text is not None:
            controls.append(f"{html.escape(label)} = <b>{html.escape(text)}</b>" if label
                            else f"<b>{html.escape(text)}</b>")


def _label(w) -> str:
    return str(getattr(w, "description", "") or "").strip()


def _value_text(w) -> str | None:
    """A control's value as its own readout shows it (None: nothing worth a word)."""
    import ipywidgets as W

    if isinstance(w, (W.Checkbox, W.ToggleButton)):
        return "on" if w.value else "off"
    if getattr(w, "label", None) is not None and hasattr(w, "options"):
        return str(w.label)  # a selection: the option's label, not its value
    value = w.value
    if isinstance(w, W.FloatLogSlider) and not w.readout:
        return ""  # its readout is the Label beside it
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
