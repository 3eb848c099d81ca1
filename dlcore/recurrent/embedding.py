"""An embedding table: symbol indices -> learned vectors, ``out = one_hot(ids) @ E = E[ids]``.

Shape legend: ids of any shape S (integers in [0, V)), V vocabulary size, D embedding size;
E (V, D), out S + (D,).

A one-hot row times E picks one row of E, so the product and the lookup give the same numbers
(the lookup skips V - 1 multiplications by zero per symbol).  Their gradients agree too:
``dE = one_hot(ids)^T @ dout`` adds the upstream gradient of every position into the row of
its symbol, so a symbol that occurs k times collects k contributions.  In NumPy that needs
``np.add.at``: ``dE[ids] += dout`` writes each repeated row once and loses the rest.

``torch.nn.Embedding(V, D).weight`` is E, with the same layout.  An RNN fed one-hot inputs
computes ``one_hot(x_t) @ W_ih^T``, a lookup of the columns of W_ih: its first layer already
is an embedding table of size D = G H.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, shape_str

__all__ = ["embedding_forward", "embedding_backward"]


def _check_ids(ids, v: int, where: str) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{where}: ids must be integer indices in [0, {v - 1}]; got dtype "
                        f"{arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= v):
        raise ValueError(f"{where}: ids must lie in [0, {v - 1}] (E has V={v} rows); got "
                         f"values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64, copy=False)


def embedding_forward(ids, E):
    """``out = E[ids]``, the same as ``one_hot(ids) @ E``.

    ids any shape S of integers in [0, V), E (V, D).  Returns out S + (D,) and a cache.
    """
    E = as_array(E, "E", ndim=2, spec="(V, D)")
    ids = _check_ids(ids, E.shape[0], "embedding_forward")
    return E[ids], (ids, E.shape)


def embedding_backward(dout, cache):
    """``dE = one_hot(ids)^T @ dout``: row v of dE sums dout over the positions where ids == v.

    dout S + (D,) -> dE (V, D).  Built with ``np.add.at``, which adds every repeated index.
    """
    ids, (v, d) = cache
    dout = as_array(dout, "dout", spec="ids.shape + (D,)")
    if dout.shape != ids.shape + (d,):
        raise ValueError(f"embedding_backward: dout must have shape ids.shape + (D,) = "
                         f"{shape_str(ids.shape + (d,))}; got shape {shape_str(dout.shape)}")
    dE = np.zeros((v, d), dtype=np.result_type(dout.dtype, np.float64))
    np.add.at(dE, ids.reshape(-1), dout.reshape(-1, d))
    return dE
