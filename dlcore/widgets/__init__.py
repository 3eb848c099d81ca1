"""Interactive widgets for the lecture notebooks (ipywidgets + ipympl).

One submodule per widget family (``neurons``, ``descent``, ``conv``...); each factory is called
in one line from a notebook, e.g. ``dl.widgets.conv_explorer()``, and returns an ``App``
(see ``_base.py``): a VBox with labelled, keyboard-operable controls, a figure it owns and
updates in place, text readouts and a one-line summary of what the plot shows.
ipywidgets and matplotlib are imported only when a widget is first used.
"""

from .._lazy import lazy_package

__getattr__, __dir__, _index = lazy_package(__name__, __path__)


def available() -> list[str]:
    """Names of every widget factory, for a table of contents."""
    return sorted(_index())
