"""Benchmark dlcore.conv against torch (CPU): conv2d and max-pool forward + backward.

Run through ``python bench/run.py conv`` (``--quick`` for small sizes).  Rows: dlcore's
vectorised conv (im2col + matrix products), the three matrix products alone (the floor of the
im2col approach with numpy's BLAS), the loop reference (timed on a reduced batch and scaled
linearly in N, as the note says), and torch autograd in the same dtype.  Not a test: nothing
here asserts on time.  The machine's cores may be shared: run it more than once.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from _timing import best_of


@contextmanager
def _threads(count):
    """Limit numpy's BLAS and torch to ``count`` threads (None: leave the defaults)."""
    if count is None:
        yield
        return
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        with threadpool_limits(count):
            yield
    finally:
        torch.set_num_threads(before)


def _conv_rows(n, c, hw, f, k, dtype, naive_n, repeats, one_thread=False):
    import torch

    from dlcore import conv

    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, hw, hw)).astype(dtype)
    w = (rng.standard_normal((f, c, k, k)) / np.sqrt(c * k * k)).astype(dtype)
    b = rng.standard_normal(f).astype(dtype)
    g = rng.standard_normal((n, f, hw, hw)).astype(dtype)
    pad = k // 2
    group = f"conv2d fwd+bwd N={n} C={c} {hw}x{hw} F={f} k={k} p={pad} {np.dtype(dtype).name}"
    if one_thread:
        group += " 1 thread"

    def dlcore_step():
        out, cache = conv.conv2d_forward(x, w, b, pad=pad)
        conv.conv2d_backward(g, cache)

    tx = torch.tensor(x, requires_grad=True)
    tw = torch.tensor(w, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    tg = torch.tensor(g)

    def torch_step():
        tx.grad = tw.grad = tb.grad = None
        torch.nn.functional.conv2d(tx, tw, tb, padding=pad).backward(tg)

    # The floor of any im2col implementation: its three matrix products alone, on the
    # exact-size (unpadded) column matrix, without building it.
    cols = rng.standard_normal((c * k * k, n * hw * hw)).astype(dtype)
    gm = rng.standard_normal((f, n * hw * hw)).astype(dtype)
    wm = w.reshape(f, -1)

    def gemm_step():
        wm @ cols
        cols @ gm.T
        wm.T @ gm

    with _threads(1 if one_thread else None):
        rows = [
            {"group": group, "impl": "dlcore", "seconds": best_of(dlcore_step, repeats, 2),
             "note": "im2col (as_strided) + 3 matmuls, in blocks of samples"},
            {"group": group, "impl": "numpy 3 matmuls",
             "seconds": best_of(gemm_step, repeats, 2),
             "note": "lower bound of im2col: the products alone"},
            {"group": group, "impl": "torch", "seconds": best_of(torch_step, repeats, 2),
             "note": f"autograd, {torch.get_num_threads()} thread(s)"},
        ]
    if naive_n:
        xs, gs = x[:naive_n], g[:naive_n]

        def naive_step():
            out, cache = conv.conv2d_forward_naive(xs, w, b, pad=pad)
            conv.conv2d_backward_naive(gs, cache)

        t = best_of(naive_step, repeats=1, warmup=0)
        rows.append({"group": group, "impl": "dlcore naive", "seconds": t * n / naive_n,
                     "note": f"timed once at N={naive_n}, scaled x{n // naive_n}"})
    return rows


def _pool_rows(n, c, hw, dtype, repeats):
    import torch

    from dlcore import conv

    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, c, hw, hw)).astype(dtype)
    g = rng.standard_normal((n, c, hw // 2, hw // 2)).astype(dtype)
    group = f"max_pool2d 2x2 fwd+bwd ({n}, {c}, {hw}, {hw}) {np.dtype(dtype).name}"

    def dlcore_step():
        out, cache = conv.max_pool2d_forward(x, 2)
        conv.max_pool2d_backward(g, cache)

    tx = torch.tensor(x, requires_grad=True)
    tg = torch.tensor(g)

    def torch_step():
        tx.grad = None
        torch.nn.functional.max_pool2d(tx, 2).backward(tg)

    return [
        {"group": group, "impl": "dlcore", "seconds": best_of(dlcore_step, repeats, 2),
         "note": "loop over the 4 window offsets"},
        {"group": group, "impl": "torch", "seconds": best_of(torch_step, repeats, 2),
         "note": "autograd"},
    ]


def run(quick: bool = False) -> list[dict]:
    if quick:
        return (_conv_rows(4, 3, 12, 4, 3, np.float32, naive_n=1, repeats=3)
                + _pool_rows(4, 3, 12, np.float32, repeats=3))
    return (_conv_rows(32, 16, 28, 32, 3, np.float32, naive_n=1, repeats=20)
            + _conv_rows(32, 16, 28, 32, 3, np.float32, naive_n=0, repeats=10, one_thread=True)
            + _conv_rows(32, 16, 28, 32, 3, np.float64, naive_n=0, repeats=10)
            + _pool_rows(32, 32, 28, np.float32, repeats=20)
            + _pool_rows(32, 32, 28, np.float64, repeats=10))
