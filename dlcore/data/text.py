"""A bundled story for character-level language models, and the way a long text is cut into
mini-batches for truncated backpropagation through time.

Shape legend::

    L   characters of a text (indices, (L,))     N   parallel streams (``batch_size``)
    S   characters per stream                    T   steps per chunk (``seq_len``)

- ``scandal_in_bohemia``: Arthur Conan Doyle's short story "A Scandal in Bohemia" (1891),
  about 46,000 characters, shipped inside the package (no download; checked against a fixed
  SHA-256 so that a changed file is noticed).
- ``split_text``: the first part of a text to train on, the rest to validate on, cut where a
  paragraph ends.
- ``char_streams`` and ``char_chunks``: the text as N contiguous streams read side by side,
  cut into chunks of T steps; the targets are the inputs shifted by one character.  Chunk k+1
  of stream n continues chunk k of the same stream, so a model may carry its state from one
  chunk to the next (detached: no gradient crosses the boundary).

The story is in the public domain: it was first published in The Strand Magazine in July
1891, and its author died in 1930.  The text is the one distributed by Project Gutenberg
(eBook #1661, *The Adventures of Sherlock Holmes*, the first story), with the book's header,
the other stories and the licence removed, line breaks as in that edition.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from .._checks import check_int
from .sequences import check_text_digest

__all__ = ["scandal_in_bohemia", "STORY_SHA256", "split_text", "char_streams", "char_chunks"]

_STORY_FILE = "scandal_in_bohemia.txt"
#: SHA-256 of the bundled story (UTF-8).
STORY_SHA256 = "b523c02b18847d171bbe1946ae592e9a338517f9cf5ac1c04d633231e0494d24"


@lru_cache(maxsize=1)
def _read_story() -> str:
    try:
        raw = resources.files(__package__).joinpath(_STORY_FILE).read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"the story file {_STORY_FILE} is missing from the installed "
                                f"dlcore.data package; reinstall dlcore") from None
    return raw.decode("utf-8")


def scandal_in_bohemia(check: bool = True) -> str:
    """The text of "A Scandal in Bohemia" (Arthur Conan Doyle, 1891), a str of 46,475
    characters over 69 distinct symbols (letters, digits, punctuation, space, newline and one
    accented letter).

    Lines are wrapped at about 70 characters as in the printed edition, paragraphs are
    separated by an empty line, and the dialogue is in double quotes.  With ``check`` the
    text must match ``STORY_SHA256`` (a RuntimeError otherwise).
    """
    text = _read_story()
    if check:
        check_text_digest(text, STORY_SHA256, "scandal_in_bohemia: the bundled text has changed")
    return text


def split_text(text: str, val_fraction: float = 0.1) -> tuple[str, str]:
    """``(train, val)``: ``text`` cut once, the last ``val_fraction`` of it for validation.

    The cut is moved forward to the next empty line (the end of a paragraph), so that
    validation starts at the beginning of a paragraph; if there is none, the cut is exact.
    ``train + val == text``.  ``val_fraction`` lies strictly between 0 and 1.
    """
    if not isinstance(text, str) or len(text) < 4:
        got = f"{len(text)} characters" if isinstance(text, str) else type(text).__name__
        raise TypeError(f"text must be a string of at least 4 characters; got {got}")
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)) or \
            not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be a number strictly between 0 and 1; got "
                         f"{val_fraction!r}")
    cut = int(round(len(text) * (1 - val_fraction)))
    cut = min(max(cut, 2), len(text) - 2)
    paragraph = text.find("\n\n", cut)
    if paragraph != -1 and paragraph + 2 <= len(text) - 2:
        cut = paragraph + 2
    return text[:cut], text[cut:]


def _check_ids(ids, where: str) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        got = f"dtype {arr.dtype}" if arr.ndim == 1 else f"shape {arr.shape}"
        raise TypeError(f"{where}: ids must be a 1-D array of integer character indices (L,); "
                        f"got {got}; encode a text first with CharVocab.encode")
    return arr.astype(np.int64, copy=False)


def char_streams(ids, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The text as ``batch_size`` contiguous streams: inputs X (N, S) and targets Y (N, S).

    With L characters, each stream holds S = (L - 1) // N of them: stream n is the stretch
    ``ids[n S : (n + 1) S]`` and its targets are the next characters,
    ``Y[n, j] = ids[n S + j + 1]``.  The last ``L - 1 - N S`` characters are left out.
    """
    ids = _check_ids(ids, "char_streams")
    n = check_int(batch_size, "batch_size", minimum=1)
    s = (ids.size - 1) // n
    if s < 1:
        raise ValueError(f"char_streams: {ids.size} characters cannot fill {n} streams of at "
                         f"least one input and one target each; use a smaller batch_size "
                         f"(at most {max(ids.size - 1, 0)})")
    X = ids[:n * s].reshape(n, s)
    Y = ids[1:n * s + 1].reshape(n, s)
    return X.copy(), Y.copy()


def char_chunks(ids, batch_size: int, seq_len: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The streams of ``char_streams`` cut into chunks of ``seq_len`` steps, in reading order.

    Returns a list of pairs ``(x, y)``, each (N, T) int64: chunk k holds the steps
    ``k T .. (k + 1) T - 1`` of every stream (the last chunk may be shorter), and ``y`` is
    ``x`` shifted by one character.  Row n of chunk k + 1 continues row n of chunk k, which is
    what lets a model carry its state across chunks.
    """
    t = check_int(seq_len, "seq_len", minimum=1)
    X, Y = char_streams(ids, batch_size)
    return [(X[:, k:k + t], Y[:, k:k + t]) for k in range(0, X.shape[1], t)]
