"""The still picture a widget shows on the course website (dlcore/widgets/_static.py), headless.

With ``DLCORE_STATIC_WIDGETS=1`` a displayed widget carries, beside its live view, an HTML
picture of itself: its figures as PNG images, its texts, its controls as one line of labels and
values, and a note that it is interactive in JupyterLab.  Built here from real course widgets.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import ipywidgets as W
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import dlcore as dl
from dlcore.widgets import _static

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMG = re.compile(r'<img class="dl-static-figure" src="data:image/png;base64,([^"]+)"[^>]*'
                 r'width="(\d+)"')


def _images(html: str) -> list[Image.Image]:
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data, _ in IMG.findall(html)]


def test_a_widget_shows_its_figure_controls_texts_and_the_note():
    app = dl.widgets.step_size_limit()
    html = _static.render_html(app)
    images = _images(html)
    assert len(images) == 1
    width, height = images[0].size
    design_w, design_h = (round(v * app.fig.dpi) for v in app.fig.get_size_inches())
    assert (width, height) == (design_w, design_h)
    assert int(IMG.search(html).group(2)) == design_w
    # the picture has ink (a plot), not a blank canvas
    assert len(images[0].convert("L").getcolors(maxcolors=2**16)) > 20
    # every control with its value, on one line; the log slider's value from its readout label
    line = re.search(r'<p class="dl-static-controls"[^>]*>(.*?)</p>', html).group(1)
    for control in app.controls.values():
        if not isinstance(control, W.Play):  # the play button: its step slider shows the step
            assert control.description in line
    assert "learning rate η = <b>0.01</b>" in line
    # readouts and the summary as text; the note, in plain words, at the end
    for readout in app.readouts.values():
        assert readout.value in html
    assert app.summary.split(":")[0] in html
    assert html.rstrip().endswith("</div>")
    assert _static.NOTE in html and "JupyterLab" in _static.NOTE
    # nothing of the invisible width probe or of the play button
    assert "play" not in line.lower()


def test_the_picture_follows_the_widget_state():
    """The picture is of the widget as it is when displayed (here: after a change)."""
    app = dl.widgets.conv_explorer()
    before = _static.render_html(app)
    app.controls["stride"].value = 2
    after = _static.render_html(app)
    assert "stride s = <b>1</b>" in before and "stride s = <b>2</b>" in after
    assert _images(before)[0].tobytes() != _images(after)[0].tobytes()
    # an editable matrix is shown as its text
    assert "<pre" in after and app.controls["kernel"].value.splitlines()[0] in after


@pytest.mark.parametrize("factory", ["variant_switcher", "mp_neuron_playground",
                                     "output_size_explorer", "char_sampler"])
def test_more_widgets_render(factory):
    html = _static.render_html(getattr(dl.widgets, factory)())
    assert len(_images(html)) >= 1
    assert 'class="dl-static-controls"' in html and _static.NOTE in html


def test_equations_are_left_for_the_pages_mathjax():
    """HTMLMath's dollars become the delimiters MathJax reads on a page; a dollar sign stays."""
    html = _static.render_html(dl.widgets.variant_switcher())
    assert 'class="dl-static-text mathjax_process"' in html
    assert "\\(i_t = \\sigma(" in html and "$i_t" not in html
    assert _static.render_html(W.HTMLMath(r"costs \$5, $x^2$ and $$y$$")).count("\\") == 5


def test_generic_ipywidgets():
    """Plain ipywidgets: boxes are walked, hidden parts left out, selections by their label."""
    hidden = W.HTML("secret", layout=W.Layout(display="none"))
    box = W.VBox([W.HTML("<i>hello</i>"),
                  W.HBox([W.Dropdown(options=[("first", 1), ("second", 2)], value=2,
                                     description="pick"),
                          W.Checkbox(value=True, description="show"),
                          W.Button(description="Go")]),
                  hidden, W.Play(), W.Label("a label")])
    html = _static.render_html(box)
    assert "<i>hello</i>" in html and "secret" not in html
    assert "pick = <b>second</b>" in html and "show = <b>on</b>" in html and ">Go<" in html
    assert "a label" in html and "dl-static-figure" not in html


def test_activate_adds_the_picture_beside_the_live_view():
    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    assert _static.activate(shell)
    app = dl.widgets.output_size_explorer()
    data, _ = shell.display_formatter.format(app)
    assert WIDGET_VIEW in data  # JupyterLab still gets the live widget
    assert data["text/html"].startswith('<div class="dl-static-widget"')
    assert _static.NOTE in data["text/html"]


def test_activate_outside_ipython_does_nothing(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert _static.activate() is False


def _run(code: str, **env) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, **env}).stdout.strip()


def test_the_environment_variable_switches_it_on_and_nothing_is_imported_without_it():
    code = ("import sys\n"
            "from IPython.core.interactiveshell import InteractiveShell\n"
            "shell = InteractiveShell.instance()\n"
            "import dlcore as dl, dlcore.widgets\n"
            "html = shell.display_formatter.formatters['text/html']\n"
            "print('dlcore.widgets._static' in sys.modules,\n"
            "      ('ipywidgets.widgets.widget', 'Widget') in html.deferred_printers,\n"
            "      'ipywidgets' in sys.modules)")
    assert _run(code, DLCORE_STATIC_WIDGETS="1") == "True True False"
    assert _run(code, DLCORE_STATIC_WIDGETS="0") == "False False False"
    env = {k: v for k, v in os.environ.items() if k != "DLCORE_STATIC_WIDGETS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.strip()
    assert out == "False False False"


def test_a_widget_that_changes_while_its_cell_runs_is_drawn_again(monkeypatch):
    """A progress bar is displayed at 0 % and ends at 100 %: the end of the cell publishes its
    final picture, marked with the number of the one it replaces; an unchanged widget is not
    drawn twice."""
    import IPython.display

    published = []
    monkeypatch.setattr(IPython.display, "publish_display_data",
                        lambda data, metadata=None, **_: published.append((data, metadata)))
    _static._shown.clear()
    bar = W.HBox([W.HTML("training:"), W.IntProgress(value=0, max=10), W.HTML("0/10")])
    first = _static._format(bar)
    number = int(re.search(r'data-dl-static="(\d+)"', first).group(1))
    assert '<progress value="0" max="10"' in first
    assert _static.NOTE not in first  # a progress bar is not something to play with
    _static._format(dl.widgets.output_size_explorer())
    bar.children[1].value = 10
    bar.children[2].value = "10/10"
    _static._after_cell()
    assert len(published) == 1
    data, metadata = published[0]
    assert metadata == {"dlcore_static": {"replaces": number}}
    assert '<progress value="10" max="10"' in data["text/html"] and "10/10" in data["text/html"]
    assert f'data-dl-static="{number}"' in data["text/html"]
    _static._after_cell()  # the next cell: nothing left to update
    assert len(published) == 1


def test_nothing_visible_gives_an_empty_picture():
    assert _static.render_html(W.VBox([W.HTML("x", layout=W.Layout(visibility="hidden"))])) == ""
