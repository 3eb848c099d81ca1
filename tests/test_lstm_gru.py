"""dlcore.recurrent, part 2: LSTM and GRU against torch.nn, the syllabus worked examples, the
gate values for the widgets, and validation of the step functions.

The RNN, clipping and the shared validation are in tests/test_recurrent.py.
"""

import numpy as np
import pytest

from dlcore import recurrent as rec
from dlcore.gradcheck import rel_error
from tests.optable.recurrent import make_weights, torch_module_grads

pytestmark = pytest.mark.lec14

LSTM_GRADS = ("dx", "dh0", "dc0", "dw_ih", "dw_hh", "db_ih", "db_hh")
GRU_GRADS = ("dx", "dh0", "dw_ih", "dw_hh", "db_ih", "db_hh")


def _assert_grads_match(ours, ref, names, tol=1e-10):
    assert len(ours) == len(names)
    for name, g in zip(names, ours):
        if ref[name] is None:
            assert g is None, f"{name} should be None"
        else:
            assert g is not None and g.shape == ref[name].shape, name
            assert rel_error(g, ref[name]) < tol, (name, rel_error(g, ref[name]))


CASES = [  # N, bias, b_hh, with_h0
    (3, True, True, True),
    (1, True, True, False),
    (4, False, False, True),
    (2, True, False, False),
]


@pytest.mark.parametrize("N, bias, b_hh, with_h0", CASES)
def test_lstm_sequence_matches_torch(rng, N, bias, b_hh, with_h0):
    T, D, H = 22, 5, 6
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) if with_h0 else None
    c0 = rng.standard_normal((N, H)) if with_h0 else None
    w = make_weights(rng, "lstm", D, H, bias=bias, b_hh=b_hh)
    dhs = rng.standard_normal((N, T, H))
    hs, cache = rec.lstm_forward(x, h0, c0, *w)
    ref_hs, ref = torch_module_grads("lstm", x, h0, c0, *w, dhs)
    assert hs.shape == (N, T, H)
    assert rel_error(hs, ref_hs) < 1e-10
    _assert_grads_match(rec.lstm_backward(dhs, cache), ref, LSTM_GRADS)


@pytest.mark.parametrize("N, bias, b_hh, with_h0", CASES)
def test_gru_sequence_matches_torch(rng, N, bias, b_hh, with_h0):
    T, D, H = 22, 5, 6
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) if with_h0 else None
    w = make_weights(rng, "gru", D, H, bias=bias, b_hh=b_hh)
    dhs = rng.standard_normal((N, T, H))
    hs, cache = rec.gru_forward(x, h0, *w)
    ref_hs, ref = torch_module_grads("gru", x, h0, None, *w, dhs)
    assert rel_error(hs, ref_hs) < 1e-10
    _assert_grads_match(rec.gru_backward(dhs, cache), ref, GRU_GRADS)


def test_lstm_only_h0_given(rng):
    N, T, D, H = 2, 5, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "lstm", D, H)
    dhs = rng.standard_normal((N, T, H))
    hs, cache = rec.lstm_forward(x, h0, None, *w)
    ref_hs, ref = torch_module_grads("lstm", x, h0, None, *w, dhs)
    assert rel_error(hs, ref_hs) < 1e-12
    _assert_grads_match(rec.lstm_backward(dhs, cache), ref, LSTM_GRADS)


def test_lstm_gradient_on_the_last_cell_state(rng):
    """``dc_n`` is a loss on c_n (torch's second state output) and adds to the BPTT result."""
    import torch

    N, T, D, H = 2, 6, 3, 4
    x, h0, c0 = (rng.standard_normal(s) for s in ((N, T, D), (N, H), (N, H)))
    w = make_weights(rng, "lstm", D, H)
    dhs, dc_n = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    _, cache = rec.lstm_forward(x, h0, c0, *w)
    ours = rec.lstm_backward(dhs, cache, dc_n=dc_n)
    tensors = [torch.tensor(a, requires_grad=True) for a in (x, h0, c0, *w)]
    tx, th, tc, *tw = tensors
    out, _, c_n = torch.lstm(tx, (th[None], tc[None]), tw, True, 1, 0.0, True, False, True)
    torch.autograd.backward([out, c_n[0]], [torch.tensor(dhs), torch.tensor(dc_n)])
    for g, t in zip(ours, tensors):
        assert rel_error(g, t.grad.numpy()) < 1e-12
    assert rel_error(rec.lstm_gates(cache)["c"][:, -1], c_n[0].detach().numpy()) < 1e-14


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_steps_compose_to_the_sequence(rng, cell):
    N, T, D, H = 2, 5, 3, 4
    x = rng.standard_normal((N, T, D))
    w = make_weights(rng, cell, D, H)
    dhs = rng.standard_normal((N, T, H))
    h, c = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    if cell == "lstm":
        hs, cache = rec.lstm_forward(x, h, c, *w)
        dx, dh0, dc0, *dparams = rec.lstm_backward(dhs, cache)
    else:
        hs, cache = rec.gru_forward(x, h, *w)
        dx, dh0, *dparams = rec.gru_backward(dhs, cache)
    caches = []
    for t in range(T):
        if cell == "lstm":
            h, c, cc = rec.lstm_step_forward(x[:, t], h, c, *w)
        else:
            h, cc = rec.gru_step_forward(x[:, t], h, *w)
        caches.append(cc)
        assert rel_error(h, hs[:, t]) < 1e-14
    dh, dc, total = np.zeros((N, H)), np.zeros((N, H)), [np.zeros_like(p) for p in w]
    for t in range(T - 1, -1, -1):
        if cell == "lstm":
            dxt, dh, dc, *dp = rec.lstm_step_backward(dhs[:, t] + dh, dc, caches[t])
        else:
            dxt, dh, *dp = rec.gru_step_backward(dhs[:, t] + dh, caches[t])
        assert rel_error(dxt, dx[:, t]) < 1e-12
        total = [a + b for a, b in zip(total, dp)]
    assert rel_error(dh, dh0) < 1e-12
    if cell == "lstm":
        assert rel_error(dc, dc0) < 1e-12
    for ours, chained in zip(dparams, total):
        assert rel_error(ours, chained) < 1e-12


# -- syllabus worked examples (L14) -------------------------------------------------------------
def _half_weights(G):
    return np.full((G, 1), 0.5), np.full((G, 1), 0.5), np.zeros(G), None


def test_lstm_worked_example():
    """All weights 0.5, b = 0, x = 1, h0 = c0 = 0.5, D = H = 1."""
    x, h0, c0 = np.ones((1, 1)), np.full((1, 1), 0.5), np.full((1, 1), 0.5)
    h, c, cache = rec.lstm_step_forward(x, h0, c0, *_half_weights(4))
    gates = rec.lstm_gates(cache)
    for name in "ifo":
        assert gates[name][0, 0] == pytest.approx(0.679179, abs=1e-6)
    assert gates["g"][0, 0] == pytest.approx(0.635149, abs=1e-6)
    assert c[0, 0] == pytest.approx(0.770969, abs=1e-6)
    assert h[0, 0] == pytest.approx(0.439763, abs=1e-6)
    hs, seq_cache = rec.lstm_forward(x[:, None], h0, c0, *_half_weights(4))
    assert hs[0, 0, 0] == pytest.approx(0.439763, abs=1e-6)
    assert rec.lstm_gates(seq_cache)["c"][0, 0, 0] == pytest.approx(0.770969, abs=1e-6)


def test_gru_worked_example_uses_the_torch_form():
    x, h0 = np.ones((1, 1)), np.full((1, 1), 0.5)
    h, cache = rec.gru_step_forward(x, h0, *_half_weights(3))
    gates = rec.gru_gates(cache)
    assert gates["r"][0, 0] == pytest.approx(0.679179, abs=1e-6)
    assert gates["z"][0, 0] == pytest.approx(0.679179, abs=1e-6)
    assert gates["n"][0, 0] == pytest.approx(0.584845, abs=1e-6)
    assert h[0, 0] == pytest.approx(0.527220, abs=1e-6)
    assert abs(h[0, 0] - 0.557625) > 1e-2  # the seed's (Cho et al.) form, z and 1 - z swapped


# -- gates for the widgets ----------------------------------------------------------------------
def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def test_lstm_gates_of_a_sequence(rng):
    N, T, D, H = 3, 4, 2, 5
    x, h0, c0 = (rng.standard_normal(s) for s in ((N, T, D), (N, H), (N, H)))
    w_ih, w_hh, b_ih, b_hh = make_weights(rng, "lstm", D, H)
    hs, cache = rec.lstm_forward(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    gates = rec.lstm_gates(cache)
    assert set(gates) == {"i", "f", "g", "o", "c", "h"}
    h, c = h0, c0
    for t in range(T):
        a = x[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = (a[:, k * H:(k + 1) * H] for k in range(4))
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, val in zip("ifgoch", (i, f, g, o, c, h)):
            assert gates[name].shape == (N, T, H)
            assert rel_error(gates[name][:, t], val) < 1e-14, (name, t)
    gates["i"][:] = 0  # the helper returns copies, so the cache is untouched
    assert np.all(rec.lstm_gates(cache)["i"] > 0)


def test_gru_gates_of_a_sequence(rng):
    N, T, D, H = 2, 4, 3, 5
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w_ih, w_hh, b_ih, b_hh = make_weights(rng, "gru", D, H)
    hs, cache = rec.gru_forward(x, h0, w_ih, w_hh, b_ih, b_hh)
    gates = rec.gru_gates(cache)
    h = h0
    for t in range(T):
        gi, gh = x[:, t] @ w_ih.T + b_ih, h @ w_hh.T + b_hh
        r = _sigmoid(gi[:, :H] + gh[:, :H])
        z = _sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1 - z) * n + z * h
        for name, val in zip("rznh", (r, z, n, h)):
            assert rel_error(gates[name][:, t], val) < 1e-14, (name, t)
    assert rel_error(gates["h"], hs) == 0


def test_gate_helpers_reject_other_caches(rng):
    w = make_weights(rng, "rnn", 2, 3)
    _, cache = rec.rnn_forward(rng.standard_normal((1, 2, 2)), None, *w)
    with pytest.raises(TypeError, match="lstm_forward or lstm_step_forward"):
        rec.lstm_gates(cache)
    with pytest.raises(TypeError, match="gru_forward or gru_step_forward"):
        rec.gru_gates(cache)


def test_forget_gate_keeps_the_cell_gradient_alive(rng):
    """dc_{t-1} = dc_t * f_t on the cell path: with no recurrent weights (so c reaches later
    steps only through the cell) dc0 = dc_n * prod_t f_t, which stays near 1 when the forget
    gate is saturated open by a large forget bias."""
    N, T, D, H = 2, 30, 2, 3
    w_ih, w_hh, b_ih, _ = make_weights(rng, "lstm", D, H, scale=0.1)
    w_hh[:] = 0.0
    x = rng.standard_normal((N, T, D))
    dc_n = rng.standard_normal((N, H))
    for forget_bias, near_one in ((20.0, True), (0.0, False)):
        b_ih[H:2 * H] = forget_bias
        _, cache = rec.lstm_forward(x, None, np.zeros((N, H)), w_ih, w_hh, b_ih, None)
        dc0 = rec.lstm_backward(np.zeros((N, T, H)), cache, dc_n=dc_n)[2]
        f = _sigmoid(np.einsum("ntd,hd->nth", x, w_ih[H:2 * H]) + forget_bias)
        assert rel_error(dc0, dc_n * f.prod(axis=1)) < 1e-12
        assert np.allclose(dc0, dc_n, rtol=1e-6) == near_one


# -- validation of the step functions -----------------------------------------------------------
def test_step_functions_reject_bad_shapes(rng):
    N, D, H = 4, 3, 16
    x_t = rng.standard_normal((N, D))
    h, c = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    lw, gw = make_weights(rng, "lstm", D, H), make_weights(rng, "gru", D, H)
    with pytest.raises(ValueError,
                       match=r"c_prev must have shape \(N, H\) = \(4, 16\); got \(16,\)"):
        rec.lstm_step_forward(x_t, h, c[0], *lw)
    with pytest.raises(ValueError, match=r"w_hh must have shape \(G\*H, H\) with G=4 for an LSTM"):
        rec.lstm_step_forward(x_t, h, c, *gw)  # GRU weights given to the LSTM
    with pytest.raises(ValueError, match=r"w_hh must have shape \(G\*H, H\) with G=3 for a GRU"):
        rec.gru_step_forward(x_t, h, *lw)
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, D\) with D=3"):
        rec.gru_step_forward(h, h, *gw)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(N, H\) = \(4, 16\)"):
        rec.gru_step_forward(x_t, h[:2], *gw)
    h1, c1, cache = rec.lstm_step_forward(x_t, h, c, *lw)
    with pytest.raises(ValueError, match=r"dc must have the shape of the forward output, "
                                         r"\(N, H\) = \(4, 16\); got \(4, 15\)"):
        rec.lstm_step_backward(h1, c1[:, 1:], cache)
    with pytest.raises(TypeError, match="cache must be the cache returned"):
        rec.gru_step_backward(h1, cache)
    # dc=None means no gradient on c.
    full = rec.lstm_step_backward(h1, np.zeros_like(c1), cache)
    for a, b in zip(full, rec.lstm_step_backward(h1, None, cache)):
        np.testing.assert_array_equal(a, b)
    bad = x_t.copy()
    bad[1, 1] = np.inf
    with pytest.raises(ValueError, match="x_t contains 1 non-finite"):
        rec.gru_step_forward(bad, h, *gw)


def test_lstm_backward_rejects_bad_dc_n(rng):
    w = make_weights(rng, "lstm", 2, 3)
    hs, cache = rec.lstm_forward(rng.standard_normal((2, 4, 2)), None, None, *w)
    with pytest.raises(ValueError, match=r"dc_n must have the shape of the forward output, "
                                         r"\(N, H\) = \(2, 3\)"):
        rec.lstm_backward(hs, cache, dc_n=np.ones(3))


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_float32_stays_float32(rng, cell):
    N, T, D, H = 2, 6, 3, 4
    x = rng.standard_normal((N, T, D))
    w = make_weights(rng, cell, D, H)
    states = (None, None) if cell == "lstm" else (None,)
    fwd = rec.lstm_forward if cell == "lstm" else rec.gru_forward
    bwd = rec.lstm_backward if cell == "lstm" else rec.gru_backward
    hs64, c64 = fwd(x, *states, *w)
    hs32, c32 = fwd(x.astype(np.float32), *states, *[a.astype(np.float32) for a in w])
    assert hs32.dtype == np.float32 and rel_error(hs32, hs64) < 1e-5
    dhs = rng.standard_normal(hs64.shape)
    for g32, g64 in zip(bwd(dhs.astype(np.float32), c32), bwd(dhs, c64)):
        if g64 is not None:
            assert g32.dtype == np.float32 and rel_error(g32, g64) < 1e-4
