"""Sequence data for the RNN and LSTM lectures: a character vocabulary, a small text corpus and
long-dependency tasks.

Shape legend::

    N   number of sequences     T   time steps (``length``)     V   vocabulary size
    K   symbols of a recall task (the classes)

- ``CharVocab``: symbols <-> indices, with ``encode``, ``decode`` and ``one_hot``; a symbol is a
  character or a token such as ``"<stop>"``.
- ``deep_toy``: the lectures' auto-completion toy, the word "deep" over {d, e, p, <stop>}.
- ``zen_corpus``: the Zen of Python, decoded from the standard library's ``this`` module
  (no download; checked against a fixed SHA-256 so that a changed text is noticed).
- ``first_symbol_task`` (remember the first symbol over T steps, a classification) and
  ``adding_task`` (add two marked numbers, a regression): the long-lag problems on which a
  vanilla RNN fails and an LSTM succeeds.

Randomness: every generator takes ``seed`` (a non-negative int, a ``numpy.random.Generator``
or None for the package generator), as in the rest of ``dlcore.data``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io

import numpy as np

from .._checks import check_int
from .._random import get_rng

__all__ = ["CharVocab", "deep_toy", "zen_corpus", "ZEN_SHA256", "first_symbol_task",
           "adding_task"]

# SHA-256 of the decoded Zen of Python (unchanged since Python 2.2).
ZEN_SHA256 = "e250f274f33b9b621a04264025d50e5fb9b1f989f444d13bb373882e734e996f"


class CharVocab:
    """A vocabulary: symbol <-> index, in the order given (index k is ``symbols[k]``).

    ``CharVocab("dep")`` has the three characters d, e, p; ``CharVocab(["d", "e", "p",
    "<stop>"])`` adds a multi-character token; ``CharVocab.from_text(text)`` takes the sorted
    distinct characters of a text.  ``stop`` (optional) is a token appended to the symbols
    (if missing) and added by ``encode(..., add_stop=True)``.
    """

    def __init__(self, symbols, stop: str | None = None):
        if isinstance(symbols, str):
            symbols = list(symbols)
        try:
            symbols = list(symbols)
        except TypeError:
            raise TypeError(f"symbols must be a string or a list of strings; got "
                            f"{type(symbols).__name__}") from None
        if stop is not None and stop not in symbols:
            symbols.append(stop)
        for s in symbols:
            if not isinstance(s, str) or not s:
                raise TypeError(f"every symbol must be a non-empty string; got {s!r}")
        if len(set(symbols)) != len(symbols):
            dup = sorted({s for s in symbols if symbols.count(s) > 1})
            raise ValueError(f"symbols must be distinct; repeated: {dup}")
        if not symbols:
            raise ValueError("a vocabulary needs at least one symbol; got none")
        self.symbols = tuple(symbols)
        self.stop = stop
        self._index = {s: k for k, s in enumerate(self.symbols)}

    @classmethod
    def from_text(cls, text: str, stop: str | None = None) -> CharVocab:
        """The sorted distinct characters of ``text`` (plus ``stop``, if given)."""
        if not isinstance(text, str) or not text:
            raise TypeError(f"text must be a non-empty string; got {type(text).__name__}")
        return cls(sorted(set(text)), stop=stop)

    def __len__(self) -> int:
        return len(self.symbols)

    @property
    def size(self) -> int:
        """V, the number of symbols."""
        return len(self.symbols)

    def __contains__(self, symbol) -> bool:
        return symbol in self._index

    def __repr__(self) -> str:
        shown = "".join(s if len(s) == 1 else f"[{s}]" for s in self.symbols[:40])
        more = "..." if len(self.symbols) > 40 else ""
        return f"CharVocab(size={self.size}, symbols={shown!r}{more})"

    def index(self, symbol: str) -> int:
        """The index of one symbol."""
        if not isinstance(symbol, str):
            raise TypeError(f"a symbol must be a string; got {type(symbol).__name__} {symbol!r}")
        if symbol not in self._index:
            raise ValueError(f"{symbol!r} is not in the vocabulary; known symbols: "
                             f"{', '.join(repr(s) for s in self.symbols[:40])}")
        return self._index[symbol]

    def encode(self, text, add_stop: bool = False) -> np.ndarray:
        """Symbols -> indices: ``text`` is a string (one symbol per character) or a list of
        symbols.  ``add_stop`` appends the stop token.  Returns (T,) int64."""
        if isinstance(text, str):
            items = list(text)
        elif isinstance(text, (list, tuple)):
            items = list(text)
        else:
            raise TypeError(f"text must be a string or a list of symbols; got "
                            f"{type(text).__name__}")
        if add_stop:
            if self.stop is None:
                raise ValueError("add_stop=True needs a vocabulary built with stop=...; this "
                                 "one has no stop token")
            items.append(self.stop)
        return np.array([self.index(s) for s in items], dtype=np.int64)

    def decode(self, indices) -> str:
        """Indices (any 1-D sequence of ints in [0, V)) -> the joined symbols."""
        idx = self._check_indices(indices)
        if idx.ndim != 1:
            raise ValueError(f"indices must be a 1-D sequence (T,); got shape {idx.shape}")
        return "".join(self.symbols[k] for k in idx)

    def one_hot(self, indices) -> np.ndarray:
        """Indices (any shape S, or a string) -> one-hot rows, shape S + (V,), float64."""
        idx = self.encode(indices) if isinstance(indices, str) else self._check_indices(indices)
        out = np.zeros(idx.shape + (self.size,))
        np.put_along_axis(out, idx[..., None], 1.0, axis=-1)
        return out

    def _check_indices(self, indices) -> np.ndarray:
        arr = np.asarray(indices)
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
            if arr.size == 0 and arr.dtype == np.float64:
                return arr.astype(np.int64)
            raise TypeError(f"indices must be integers in [0, {self.size - 1}]; got dtype "
                            f"{arr.dtype}")
        if arr.size and (arr.min() < 0 or arr.max() >= self.size):
            raise ValueError(f"indices must lie in [0, {self.size - 1}] (V={self.size} "
                             f"symbols); got values from {arr.min()} to {arr.max()}")
        return arr.astype(np.int64)


def deep_toy():
    """The auto-completion toy: read "deep" one character at a time, predict the next one.

    Vocabulary {d, e, p, <stop>} (Arya's slides, the RNN example).  The inputs are
    d, e, e, p and the targets e, e, p, <stop>.  Returns ``(vocab, x, targets)`` with x
    (1, 4, 4) one-hot (N=1, T=4, V=4) and targets (4,) int64 indices.
    """
    vocab = CharVocab("dep", stop="<stop>")
    ids = vocab.encode("deep", add_stop=True)
    return vocab, vocab.one_hot(ids[:-1])[None], ids[1:]


def zen_corpus(check: bool = True) -> str:
    """The Zen of Python (``import this``), decoded with its ROT13 table ``this.d``.

    Importing ``this`` prints the text; the import here is silenced.  With ``check`` the
    decoded text must match ``ZEN_SHA256`` (a RuntimeError otherwise, so that a change in a
    future Python cannot silently change a course result).  Returns a str of 856 characters.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        this = importlib.import_module("this")
    text = "".join(this.d.get(ch, ch) for ch in this.s)
    if check:
        check_text_digest(text, ZEN_SHA256, "zen_corpus: the text of the 'this' module has "
                                            "changed in this Python")
    return text


def check_text_digest(text: str, expected: str, changed: str) -> None:
    """A RuntimeError that starts with ``changed`` unless ``text``'s UTF-8 SHA-256 is
    ``expected`` (a course result must never change silently with its text)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != expected:
        raise RuntimeError(f"{changed} (SHA-256 {digest[:12]}..., expected {expected[:12]}...); "
                           f"pass check=False to use it anyway")


def first_symbol_task(n: int = 1000, length: int = 80, n_symbols: int = 4, seed=0):
    """Remember the first symbol: ``y_n = s_n0`` after ``length`` steps of random symbols.

    Every step shows one symbol ``s_nt ~ U{0, ..., K-1}`` one-hot in the first K channels; an
    extra channel K is 1 at t = 0 only (it marks the symbol to remember, so that a gate can
    learn when to write).  The answer depends on the first step alone and the other
    ``length - 1`` symbols are distractors, so a model must carry one symbol across the whole
    sequence; chance accuracy is 1/K.

    Returns X (N, T, K + 1) float64 and y (N,) int64 in [0, K), with N = n, T = length,
    K = n_symbols.
    """
    n = check_int(n, "n", minimum=1)
    length = check_int(length, "length", minimum=1)
    k = check_int(n_symbols, "n_symbols", minimum=2)
    rng = get_rng(seed, "seed")
    symbols = rng.integers(0, k, size=(n, length))
    X = np.zeros((n, length, k + 1))
    np.put_along_axis(X, symbols[..., None], 1.0, axis=-1)
    X[:, 0, k] = 1.0
    return X, symbols[:, 0].astype(np.int64)


def adding_task(n: int = 1000, length: int = 50, seed=0):
    """The adding problem: ``y_n = v_na + v_nb``, the sum of the two marked values.

    Channel 0 holds values ``v_nt ~ U[0, 1)``, channel 1 is a marker that is 1 at two steps:
    a in the first half (t < T/2) and b in the second half.  Predicting the constant 1 gives
    a mean squared error of 1/6, the baseline a model must beat (Hochreiter & Schmidhuber
    1997).  ``length`` >= 2.

    Returns X (N, T, 2) float64 and y (N,) float64, with N = n and T = length.
    """
    n = check_int(n, "n", minimum=1)
    length = check_int(length, "length", minimum=2)
    rng = get_rng(seed, "seed")
    half = length // 2
    X = np.zeros((n, length, 2))
    X[:, :, 0] = rng.random((n, length))
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    rows = np.arange(n)
    X[rows, first, 1] = 1.0
    X[rows, second, 1] = 1.0
    y = X[rows, first, 0] + X[rows, second, 0]
    return X, y
