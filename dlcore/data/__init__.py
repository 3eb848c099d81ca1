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
- ``history``: the milestones of the timeline and the ILSVRC results; ``images``: the bundled
  photo; ``sequences``: the toy sequence tasks and the small bundled text; ``text``: a bundled
  short story (``scandal_in_bohemia``) and its batching into streams and chunks
  (``char_streams``, ``char_chunks``) for character-level language models;
  ``slide_examples``: the worked examples of the slides.
- ``augment``: data augmentation for image batches (``shift_images``, ``rotate_images``,
  ``add_noise``, ``flip_images``, the random ``Augment``), per-channel mean subtraction
  (``channel_mean``, ``subtract_channel_mean``) and ``class_subset`` (lecture 12c).
- ``prepared``: the training recipe's data step (``split_train_val``, ``standardize``) and the
  prepared digits and spirals of lecture 8 (``digits_prepared``, ``spirals_prepared``).
"""

from __future__ import annotations

from .augment import (
    Augment,
    add_noise,
    channel_mean,
    class_subset,
    flip_images,
    rotate_images,
    shift_images,
    subtract_channel_mean,
)
from .bundled import Split, digits
from .decks import DECKS, Deck, cite
from .history import THEMES, ILSVRCResult, Milestone, ilsvrc_results, timeline
from .images import sample_image
from .prepared import digits_prepared, spirals_prepared, split_train_val, standardize
from .sequences import (
    ZEN_SHA256,
    CharVocab,
    adding_task,
    deep_toy,
    first_symbol_task,
    zen_corpus,
)
from .slide_examples import SLIDE_EXAMPLES, SlideExample
from .synthetic import blobs, moons, sine_sequences, spirals
from .tables import BOOLEAN_FUNCTIONS, boolean_table, linear_toy, one_hot, two_point_toy
from .text import STORY_SHA256, char_chunks, char_streams, scandal_in_bohemia, split_text

__all__ = [
    # tables
    "BOOLEAN_FUNCTIONS", "boolean_table", "two_point_toy", "linear_toy", "one_hot",
    # synthetic
    "blobs", "moons", "spirals", "sine_sequences",
    # bundled
    "Split", "digits",
    # decks
    "Deck", "DECKS", "cite",
    # history
    "Milestone", "ILSVRCResult", "THEMES", "timeline", "ilsvrc_results",
    # images
    "sample_image",
    # prepared
    "split_train_val", "standardize", "digits_prepared", "spirals_prepared",
    # sequences
    "CharVocab", "deep_toy", "zen_corpus", "ZEN_SHA256", "first_symbol_task", "adding_task",
    # text
    "scandal_in_bohemia", "STORY_SHA256", "split_text", "char_streams", "char_chunks",
    # slide_examples
    "SlideExample", "SLIDE_EXAMPLES",
    # augment
    "shift_images", "rotate_images", "add_noise", "flip_images", "Augment", "channel_mean",
    "subtract_channel_mean", "class_subset",
]
