"""Counting baselines for a character-level language model: unigram and bigram models, and
the cross-entropy of any model in bits per character.

Shape legend: L characters (indices, (L,)), V vocabulary size.

A unigram model ignores the context: ``p(c) = (n_c + alpha) / (L + alpha V)``, with n_c the
count of character c in the training text.  A bigram model looks at the previous character
only: ``p(c | b) = (n_bc + alpha) / (n_b + alpha V)``, with n_bc the number of times c follows b
and n_b the number of times b is followed by anything.  ``alpha`` is additive smoothing
(``alpha = 1`` is Laplace's add-one rule): without it, a character never seen after b would get
probability 0 and an infinite loss the first time it appears in new text.

Bits per character is the average of ``-log2 p(next character)`` over a text, the
cross-entropy measured in bits: a model that spreads its probability evenly over V symbols
scores ``log2 V``; a model that is always sure and right scores 0.  Every model here scores
the same positions, the characters ``ids[1:]``, so the numbers compare directly (the first
character has no previous character for the bigram model to look at).
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int, check_positive

__all__ = ["unigram_model", "bigram_model", "unigram_bits_per_char", "bigram_bits_per_char",
           "bits_per_char"]


def _ids(ids, vocab_size: int, where: str, minimum: int = 1) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        got = f"dtype {arr.dtype}" if arr.ndim == 1 else f"shape {arr.shape}"
        raise TypeError(f"{where}: ids must be a 1-D array of integer character indices (L,); "
                        f"got {got}; encode a text first with CharVocab.encode")
    if arr.size < minimum:
        raise ValueError(f"{where}: ids must hold at least {minimum} characters; got {arr.size}")
    if arr.size and (arr.min() < 0 or arr.max() >= vocab_size):
        raise ValueError(f"{where}: every index must lie in [0, {vocab_size - 1}] "
                         f"(vocab_size={vocab_size}); got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64, copy=False)


def _alpha(alpha) -> float:
    return check_positive(alpha, "alpha", allow_zero=True)


def unigram_model(ids, vocab_size: int, alpha: float = 1.0) -> np.ndarray:
    """``p(c) = (n_c + alpha) / (L + alpha V)``: character frequencies with add-alpha smoothing.

    ids (L,) int indices of the training text, ``vocab_size`` = V.  Returns p (V,), summing
    to 1.  With ``alpha = 0`` an unseen character gets probability 0.
    """
    v = check_int(vocab_size, "vocab_size", minimum=1)
    ids = _ids(ids, v, "unigram_model")
    alpha = _alpha(alpha)
    counts = np.bincount(ids, minlength=v).astype(np.float64)
    return (counts + alpha) / (counts.sum() + alpha * v)


def bigram_model(ids, vocab_size: int, alpha: float = 1.0) -> np.ndarray:
    """``P[b, c] = p(c | b) = (n_bc + alpha) / (n_b + alpha V)``: row b is the distribution of
    the character that follows b, counted over the L - 1 pairs ``(ids[t], ids[t + 1])``.

    ids (L,) with L >= 2, ``vocab_size`` = V.  Returns P (V, V), every row summing to 1.  A row
    whose character is never followed by anything is uniform (with alpha > 0) or all zero
    (alpha = 0).
    """
    v = check_int(vocab_size, "vocab_size", minimum=1)
    ids = _ids(ids, v, "bigram_model", minimum=2)
    alpha = _alpha(alpha)
    counts = np.zeros((v, v))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    totals = counts.sum(axis=1, keepdims=True) + alpha * v
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, (counts + alpha) / np.where(totals > 0, totals, 1.0), 0.0)


def _bits(p: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log2(p)))


def unigram_bits_per_char(p, ids) -> float:
    """``-mean_t log2 p(ids[t])`` over t = 1 .. L - 1, for a unigram model p (V,)."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"unigram_bits_per_char: p must be a unigram model (V,); got shape "
                         f"{p.shape}")
    ids = _ids(ids, p.size, "unigram_bits_per_char", minimum=2)
    return _bits(p[ids[1:]])


def bigram_bits_per_char(P, ids) -> float:
    """``-mean_t log2 P[ids[t - 1], ids[t]]`` over t = 1 .. L - 1, for a bigram model P (V, V)."""
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1]:
        raise ValueError(f"bigram_bits_per_char: P must be a bigram model (V, V); got shape "
                         f"{P.shape}")
    ids = _ids(ids, P.shape[0], "bigram_bits_per_char", minimum=2)
    return _bits(P[ids[:-1], ids[1:]])


def bits_per_char(logits, targets) -> float:
    """Mean cross-entropy in bits: ``-mean log2 softmax(logits)[target]``.

    logits (..., V) scores of any model (any leading shape, e.g. (N, T, V)), targets (...)
    integer indices with the leading shape of logits.  Equals the mean softmax cross-entropy
    in nats divided by ln 2.
    """
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets)
    if z.ndim < 1 or t.shape != z.shape[:-1]:
        raise ValueError(f"bits_per_char: targets must have the leading shape of logits; got "
                         f"logits {z.shape} and targets {t.shape}")
    if t.dtype == bool or not np.issubdtype(t.dtype, np.integer):
        raise TypeError(f"bits_per_char: targets must be integer indices; got dtype {t.dtype}")
    if t.size and (t.min() < 0 or t.max() >= z.shape[-1]):
        raise ValueError(f"bits_per_char: targets must lie in [0, {z.shape[-1] - 1}]; got "
                         f"values from {t.min()} to {t.max()}")
    z = z - z.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_p, t[..., None].astype(np.int64), axis=-1)[..., 0]
    return float(-picked.mean() / np.log(2.0))
