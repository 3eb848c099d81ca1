"""Plotting functions: pure matplotlib, one submodule per topic.

Each function takes an ``ax`` (and returns it) or returns a new ``Figure``; none calls
``plt.show()``.  Every plot gets a title, labelled axes and a colour-blind-safe palette
(``dlcore.viz.style``).  matplotlib is imported only when a plotting function is first used.
"""

from .._lazy import lazy_package

__getattr__, __dir__, _index = lazy_package(__name__, __path__)
