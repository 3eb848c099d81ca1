"""Benchmark a full CNN training run on the bundled 8x8 digits: dlcore against torch (CPU).

Run through ``python bench/run.py cnn_digits`` (``--quick`` for 2 epochs).  The network is
Conv2d(1, 32, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(32, 64, 3, padding=1), ReLU,
MaxPool2d(2), Flatten, Linear(256, 10), trained with Adam (lr 0.002), batch size 32, 20 epochs,
as ``tests/test_cnn_digits.py``.  Every implementation starts from the same weights (dlcore's
seeded initialisation, loaded through ``state_dict``) and sees the same batches
(``batch_order``).  Each row is the wall time of one whole training run (not a best-of), with
the resulting test accuracy in the note.  dlcore runs twice: with OpenBLAS's default thread
count and limited to one thread (small matrices on a shared machine often run faster on one).
Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from contextlib import nullcontext

import numpy as np

LR, BATCH_SIZE, SEED = 0.002, 32, 0


def _build(rng):
    import dlcore.nn as nn

    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 2 * 2, 10, rng=rng))


def _build_torch(dtype):
    import torch
    from torch import nn

    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 2 * 2, 10)).to(getattr(torch, dtype))


def _blas_limit(threads):
    if threads is None:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(threads)


def _dlcore_row(data, epochs, group, blas_threads):
    import dlcore.nn as nn
    from dlcore.optim import Adam

    with _blas_limit(blas_threads):
        model = _build(np.random.default_rng(SEED))
        t0 = time.perf_counter()
        nn.fit(model, data.X_train, data.y_train, optimizer=Adam(model.parameters(), lr=LR),
               num_epochs=epochs, batch_size=BATCH_SIZE, progress=False, rng=SEED)
        seconds = time.perf_counter() - t0
        acc = nn.accuracy(model, data.X_test, data.y_test)
    threads = "default BLAS threads" if blas_threads is None else f"{blas_threads} BLAS thread"
    impl = "dlcore" if blas_threads is None else f"dlcore {blas_threads}thr"
    return {"group": group, "impl": impl, "seconds": seconds,
            "note": f"test acc {acc:.4f}, float64, {threads}"}


def _torch_row(data, epochs, group, dtype, start, threads=None):
    import torch

    import dlcore.nn as nn

    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        twin = _build_torch(dtype)
        tdtype = getattr(torch, dtype)
        twin.load_state_dict(OrderedDict((k, torch.tensor(v, dtype=tdtype))
                                         for k, v in start.items()))
        X = torch.tensor(data.X_train, dtype=tdtype)
        y = torch.tensor(data.y_train)
        order = [[torch.as_tensor(idx) for idx in epoch]
                 for epoch in nn.batch_order(len(X), BATCH_SIZE, num_epochs=epochs, rng=SEED)]
        opt = torch.optim.Adam(twin.parameters(), lr=LR)
        t0 = time.perf_counter()
        for epoch in order:
            for idx in epoch:
                opt.zero_grad()
                torch.nn.functional.cross_entropy(twin(X[idx]), y[idx]).backward()
                opt.step()
        seconds = time.perf_counter() - t0
        with torch.no_grad():
            scores = twin(torch.tensor(data.X_test, dtype=tdtype))
        used = torch.get_num_threads()
    finally:
        torch.set_num_threads(before)
    acc = float((scores.argmax(1).numpy() == data.y_test).mean())
    impl = "torch" if dtype == "float64" else "torch f32"
    if threads is not None:
        impl += f" {threads}thr"
    return {"group": group, "impl": impl, "seconds": seconds,
            "note": f"test acc {acc:.4f}, {dtype}, {used} torch threads"}


def run(quick: bool = False) -> list[dict]:
    """Rows of one group; the float64 torch run with default threads is the reference."""
    from dlcore.data import digits

    data = digits(flatten=False)
    epochs = 2 if quick else 20
    group = f"digits CNN train {epochs} ep (N={len(data.y_train)}, bs {BATCH_SIZE}, Adam)"
    start = _build(np.random.default_rng(SEED)).state_dict()
    return [_dlcore_row(data, epochs, group, None), _dlcore_row(data, epochs, group, 1),
            _torch_row(data, epochs, group, "float64", start),
            _torch_row(data, epochs, group, "float64", start, threads=1),
            _torch_row(data, epochs, group, "float32", start)]
