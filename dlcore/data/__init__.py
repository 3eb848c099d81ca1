"""Offline, seeded data sets for the lectures; nothing is downloaded.

Shape legend::

    N   number of points (or sequences)     T   time steps      C   classes

Randomness: every generator takes ``seed``, with a fixed default of 0, so a call such as
``moons()`` returns identical arrays every time and the hidden assignment tests can
regenerate the same data.  ``seed`` may be a non-negative int (a fresh generator seeded with
it), a ``numpy.random.Generator`` (drawn from and advanced, for several independent draws), or
None (the package generator that ``dlcore.set_seed`` resets).

- ``tables``: ``boolean_table``, ``two_point_toy``, ``linear_toy``, ``one_hot``.
- ``synthetic``: ``blobs``, ``moons``, ``spirals``, ``sine_sequences``.
- ``bundled``: ``digits`` (scikit-learn's bundled 8x8 digits, imported only when called) and
  its ``Split``.
- ``decks``: ``DECKS`` and ``cite``, the slide decks the lectures follow, cited by author,
  title and slide.
"""

from __future__ import annotations

from .._lazy import lazy_package
from .bundled import Split, digits
from .synthetic import blobs, moons, sine_sequences, spirals
from .tables import BOOLEAN_FUNCTIONS, boolean_table, linear_toy, one_hot, two_point_toy

__all__ = [
    "BOOLEAN_FUNCTIONS",
    "boolean_table",
    "two_point_toy",
    "linear_toy",
    "one_hot",
    "blobs",
    "moons",
    "spirals",
    "sine_sequences",
    "Split",
    "digits",
]

# Data for later lectures lives in further submodules of this package; their public names
# (their ``__all__``) are found on first use, e.g. ``dl.data.timeline``.
__getattr__, _lazy_dir, _index = lazy_package(__name__, __path__)


def __dir__():
    return sorted(set(__all__) | set(_lazy_dir()))
