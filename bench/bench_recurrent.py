"""Benchmark: RNN, LSTM and GRU sequence forward + backward, dlcore against torch.nn (CPU).

Sizes T=50, N=32, D=64, H=128 (``--quick``: T=10, N=8, D=16, H=32).  Each case runs the
whole sequence forward and backpropagates a fixed random upstream gradient on every hidden
state; torch uses ``torch.nn.RNN/LSTM/GRU(batch_first=True)`` with autograd.  The goal is the
LSTM within 3x of torch.  Each case runs twice: with the default threads, and with numpy's
BLAS and torch both limited to one thread (the per-step matrix products are small, and on a
busy machine a second BLAS thread often costs more than it gains).  Not a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _timing import best_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dlcore import recurrent as rec  # noqa: E402

CELLS = {  # name: (gates G, dlcore forward, dlcore backward, torch module name)
    "lstm": (4, rec.lstm_forward, rec.lstm_backward, "LSTM"),
    "gru": (3, rec.gru_forward, rec.gru_backward, "GRU"),
    "rnn": (1, rec.rnn_forward, rec.rnn_backward, "RNN"),
}


def _case(cell: str, T: int, N: int, D: int, H: int, dtype, repeats: int,
          one_thread: bool) -> list[dict]:
    import torch

    G, fwd, bwd, torch_name = CELLS[cell]
    rng = np.random.default_rng(0)
    k = 1.0 / np.sqrt(H)  # torch's default init range
    x = rng.standard_normal((N, T, D)).astype(dtype)
    h0 = rng.standard_normal((N, H)).astype(dtype)
    w_ih, w_hh = (rng.uniform(-k, k, (G * H, n)).astype(dtype) for n in (D, H))
    b_ih, b_hh = (rng.uniform(-k, k, G * H).astype(dtype) for _ in range(2))
    dhs = rng.standard_normal((N, T, H)).astype(dtype)
    states = (h0, np.zeros_like(h0)) if cell == "lstm" else (h0,)

    def run_dlcore():
        _, cache = fwd(x, *states, w_ih, w_hh, b_ih, b_hh)
        return bwd(dhs, cache)

    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    mod = getattr(torch.nn, torch_name)(D, H, batch_first=True).to(tdtype)
    with torch.no_grad():
        for name, arr in (("weight_ih_l0", w_ih), ("weight_hh_l0", w_hh),
                          ("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            getattr(mod, name).copy_(torch.from_numpy(arr))
    xt = torch.from_numpy(x).requires_grad_(True)
    t_states = tuple(torch.from_numpy(s)[None].requires_grad_(True) for s in states)
    t_dhs = torch.from_numpy(dhs)

    def run_torch():
        mod.zero_grad(set_to_none=True)
        xt.grad = None
        out, _ = mod(xt, t_states if cell == "lstm" else t_states[0])
        out.backward(t_dhs)

    group = (f"{cell} fwd+bwd T={T} N={N} D={D} H={H} "
             f"{'float32' if dtype == np.float32 else 'float64'}"
             f"{' 1 thread' if one_thread else ''}")
    if not one_thread:
        t_ours, t_torch = best_of(run_dlcore, repeats), best_of(run_torch, repeats)
    else:
        from threadpoolctl import threadpool_limits

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with threadpool_limits(1):
                t_ours, t_torch = best_of(run_dlcore, repeats), best_of(run_torch, repeats)
        finally:
            torch.set_num_threads(threads)
    note = "numpy BLAS and torch limited to 1 thread" if one_thread else ""
    return [
        {"group": group, "impl": "dlcore", "seconds": t_ours, "note": note},
        {"group": group, "impl": "torch", "seconds": t_torch, "note": note},
    ]


def run(quick: bool = False) -> list[dict]:
    sizes = dict(T=10, N=8, D=16, H=32) if quick else dict(T=50, N=32, D=64, H=128)
    repeats = 3 if quick else 10
    try:
        import threadpoolctl  # noqa: F401  (installed with scikit-learn)

        thread_modes = (False, True)
    except ImportError:
        thread_modes = (False,)
    cases = [("lstm", np.float32), ("lstm", np.float64), ("gru", np.float32),
             ("rnn", np.float32)]
    rows = []
    for one_thread in thread_modes:
        for cell, dtype in cases:
            rows += _case(cell, **sizes, dtype=dtype, repeats=repeats, one_thread=one_thread)
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['group']:<60} {r['impl']:<8} {1e3 * r['seconds']:8.2f} ms")
