"""dlcore.recurrent, part 1: the RNN, backprop through time (full, truncated per loss and over
chunks), the vanishing/exploding bound, gradient clipping, and input validation shared by all
cells.

LSTM and GRU are in tests/test_lstm_gru.py; every step and short sequence is also in the op
table (tests/optable/recurrent.py).
"""

import numpy as np
import pytest

from dlcore import recurrent as rec
from dlcore.gradcheck import rel_error
from tests.optable.recurrent import make_weights, torch_module_grads

pytestmark = pytest.mark.lec13

GRAD_NAMES = ("dx", "dh0", "dw_ih", "dw_hh", "db_ih", "db_hh")


def _assert_grads_match(ours, ref, names, tol=1e-10):
    for name, g in zip(names, ours):
        if ref[name] is None:
            assert g is None, f"{name} should be None"
        else:
            assert g is not None and g.shape == ref[name].shape, name
            assert rel_error(g, ref[name]) < tol, (name, rel_error(g, ref[name]))


# -- RNN against torch.nn.RNN -------------------------------------------------------------------
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("N, bias, b_hh, with_h0", [
    (3, True, True, True),
    (1, True, True, False),
    (4, False, False, True),
    (2, True, False, False),  # the lecture's single bias
])
def test_rnn_sequence_matches_torch(rng, nonlinearity, N, bias, b_hh, with_h0):
    T, D, H = 24, 5, 6
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) if with_h0 else None
    w = make_weights(rng, "rnn", D, H, bias=bias, b_hh=b_hh, scale=0.4)
    dhs = rng.standard_normal((N, T, H))
    hs, cache = rec.rnn_forward(x, h0, *w, nonlinearity=nonlinearity)
    ref_hs, ref = torch_module_grads("rnn", x, h0, None, *w, dhs, nonlinearity=nonlinearity)
    assert hs.shape == (N, T, H)
    assert rel_error(hs, ref_hs) < 1e-10
    _assert_grads_match(rec.rnn_backward(dhs, cache), ref, GRAD_NAMES)


def test_rnn_steps_compose_to_the_sequence(rng):
    N, T, D, H = 2, 6, 3, 4
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H)
    hs, cache = rec.rnn_forward(x, h0, *w)
    dhs = rng.standard_normal((N, T, H))
    h, caches = h0, []
    for t in range(T):
        h, c = rec.rnn_step_forward(x[:, t], h, *w)
        caches.append(c)
        assert rel_error(h, hs[:, t]) < 1e-14
    # Backward by chaining the step backward, summing parameter gradients over steps.
    dx, dh0, *dparams = rec.rnn_backward(dhs, cache)
    dh, total = np.zeros((N, H)), [np.zeros_like(p) for p in w]
    for t in range(T - 1, -1, -1):
        dxt, dh, *dp = rec.rnn_step_backward(dhs[:, t] + dh, caches[t])
        assert rel_error(dxt, dx[:, t]) < 1e-12
        total = [a + b for a, b in zip(total, dp)]
    assert rel_error(dh, dh0) < 1e-12
    for ours, chained in zip(dparams, total):
        assert rel_error(ours, chained) < 1e-12


def test_rnn_single_bias_is_the_lecture_form(rng):
    """h_t = tanh(x_t U + h_{t-1} W + b) with w_ih = U^T, w_hh = W^T, b_ih = b, b_hh = None."""
    N, T, D, H = 2, 4, 3, 5
    U, W, b = rng.standard_normal((D, H)), 0.3 * rng.standard_normal((H, H)), rng.standard_normal(H)
    x = rng.standard_normal((N, T, D))
    h = np.zeros((N, H))
    expected = []
    for t in range(T):
        h = np.tanh(x[:, t] @ U + h @ W + b)
        expected.append(h)
    hs, _ = rec.rnn_forward(x, None, U.T, W.T, b, None)
    assert rel_error(hs, np.stack(expected, axis=1)) < 1e-14


# -- truncated BPTT ------------------------------------------------------------------------------
def _torch_truncated_reference(x, h0, w_ih, w_hh, b_ih, b_hh, dhs, k):
    """Brute force with torch autograd: for every loss term t, rebuild steps t-k+1..t on top of a
    detached h_{t-k} (or on h0 when the window reaches step 0) and backpropagate dhs[:, t]."""
    import torch

    N, T, _ = x.shape
    hs, _ = rec.rnn_forward(x, h0, w_ih, w_hh, b_ih, b_hh)
    tt = {name: torch.tensor(a, requires_grad=True)
          for name, a in (("x", x), ("h0", h0), ("w_ih", w_ih), ("w_hh", w_hh), ("b_ih", b_ih),
                          ("b_hh", b_hh))}
    for t in range(T):
        start = t - k + 1
        if start <= 0:
            start, h = 0, tt["h0"]
        else:
            h = torch.tensor(hs[:, start - 1])  # a constant: the gradient stops here
        for j in range(start, t + 1):
            h = torch.rnn_tanh_cell(tt["x"][:, j], h, tt["w_ih"], tt["w_hh"], tt["b_ih"],
                                    tt["b_hh"])
        (h * torch.tensor(dhs[:, t])).sum().backward()
    return {f"d{name}": v.grad.numpy() for name, v in tt.items()}


@pytest.mark.parametrize("k", [1, 2, 5])
def test_truncated_bptt_matches_brute_force(rng, k):
    N, T, D, H = 2, 9, 3, 4
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H, scale=0.7)
    dhs = rng.standard_normal((N, T, H))
    _, cache = rec.rnn_forward(x, h0, *w)
    ref = _torch_truncated_reference(x, h0, *w, dhs, k)
    _assert_grads_match(rec.rnn_backward(dhs, cache, truncate=k), ref, GRAD_NAMES, tol=1e-12)
    full = rec.rnn_backward(dhs, cache)
    assert rel_error(rec.rnn_backward(dhs, cache, truncate=k)[3], full[3]) > 1e-6


def test_truncate_1_keeps_only_the_explicit_terms(rng):
    """With k = 1, dw_hh = sum_t (dhs_t * tanh'(a_t))^T h_{t-1}: no gradient through h_{t-1}."""
    N, T, D, H = 3, 7, 2, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H)
    dhs = rng.standard_normal((N, T, H))
    hs, cache = rec.rnn_forward(x, h0, *w)
    da = dhs * (1 - hs ** 2)
    h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    dw_hh = np.einsum("nth,ntk->hk", da, h_prev)
    dx, dh0, dw_ih, ours, *_ = rec.rnn_backward(dhs, cache, truncate=1)
    assert rel_error(ours, dw_hh) < 1e-13
    assert rel_error(dh0, da[:, 0] @ w[1]) < 1e-13


@pytest.mark.parametrize("k", [12, 13, 50])
def test_truncate_at_least_T_is_full_bptt(rng, k):
    N, T, D, H = 2, 12, 3, 5
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H)
    dhs = rng.standard_normal((N, T, H))
    _, cache = rec.rnn_forward(x, h0, *w)
    _, ref = torch_module_grads("rnn", x, h0, None, *w, dhs)
    _assert_grads_match(rec.rnn_backward(dhs, cache, truncate=k), ref, GRAD_NAMES)


def test_truncate_T_minus_1_cuts_only_the_last_path_to_h0(rng):
    N, T, D, H = 2, 6, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H)
    dhs = rng.standard_normal((N, T, H))
    _, cache = rec.rnn_forward(x, h0, *w)
    ref = _torch_truncated_reference(x, h0, *w, dhs, T - 1)
    _assert_grads_match(rec.rnn_backward(dhs, cache, truncate=T - 1), ref, GRAD_NAMES, 1e-12)
    assert rel_error(ref["dh0"], rec.rnn_backward(dhs, cache)[1]) > 1e-6


# -- truncated BPTT over chunks with a detached state --------------------------------------------
def _chunk_bounds(T, chunk):
    return [(s, min(s + chunk, T)) for s in range(0, T, chunk)]


def _independent_chunk_runs(x, h0, w, dhs, chunk):
    """Brute force: each chunk is its own sequence, started from the carried (detached) state;
    returns the per-chunk gradients [(dx, dh0, dw_ih, dw_hh, db_ih, db_hh), ...]."""
    h, runs = h0, []
    for s, e in _chunk_bounds(x.shape[1], chunk):
        hs, cache = rec.rnn_forward(x[:, s:e], h, *w)
        runs.append(rec.rnn_backward(dhs[:, s:e], cache))
        h = hs[:, -1].copy()  # carried forward as a plain array: no gradient flows back
    return runs


def _torch_chunked_reference(x, h0, w_ih, w_hh, b_ih, b_hh, dhs, chunk):
    """torch autograd with ``h.detach()`` at every chunk boundary, the usual training loop."""
    import torch

    tt = {name: torch.tensor(a, requires_grad=True)
          for name, a in (("x", x), ("h0", h0), ("w_ih", w_ih), ("w_hh", w_hh), ("b_ih", b_ih),
                          ("b_hh", b_hh))}
    h = tt["h0"]
    for s, e in _chunk_bounds(x.shape[1], chunk):
        loss = 0.0
        for t in range(s, e):
            h = torch.rnn_tanh_cell(tt["x"][:, t], h, tt["w_ih"], tt["w_hh"], tt["b_ih"],
                                    tt["b_hh"])
            loss = loss + (h * torch.tensor(dhs[:, t])).sum()
        loss.backward()
        h = h.detach()
    return {f"d{name}": v.grad.numpy() for name, v in tt.items()}


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 9])
def test_chunked_bptt_equals_independent_runs_from_the_carried_state(rng, chunk):
    N, T, D, H = 2, 10, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H, scale=0.7)
    dhs = rng.standard_normal((N, T, H))
    _, cache = rec.rnn_forward(x, h0, *w)
    dx, dh0, *dparams = rec.rnn_backward_chunked(dhs, cache, chunk)
    runs = _independent_chunk_runs(x, h0, w, dhs, chunk)
    for (s, e), run in zip(_chunk_bounds(T, chunk), runs):
        assert rel_error(dx[:, s:e], run[0]) < 1e-12  # each chunk's input gradient
    assert rel_error(dh0, runs[0][1]) < 1e-12          # h0 feeds the first chunk only
    for j, name in enumerate(GRAD_NAMES[2:], start=2):
        assert rel_error(dparams[j - 2], sum(run[j] for run in runs)) < 1e-12, name
    ref = _torch_chunked_reference(x, h0, *w, dhs, chunk)
    _assert_grads_match((dx, dh0, *dparams), ref, GRAD_NAMES, tol=1e-12)


def test_chunked_and_per_loss_truncation_keep_different_terms(rng):
    """A loss at position p of its chunk (0-based) keeps p + 1 steps: the same as
    ``truncate=p + 1`` for that loss alone, not ``truncate=chunk``; chunk >= T is full BPTT."""
    N, T, D, H, chunk = 1, 9, 2, 3, 3
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    w = make_weights(rng, "rnn", D, H, scale=0.8)
    _, cache = rec.rnn_forward(x, h0, *w)
    for t in range(T):
        dhs = np.zeros((N, T, H))
        dhs[:, t] = rng.standard_normal((N, H))
        chunked = rec.rnn_backward_chunked(dhs, cache, chunk)[3]
        steps = t % chunk + 1
        assert rel_error(chunked, rec.rnn_backward(dhs, cache, truncate=steps)[3]) < 1e-12
        if t >= chunk and steps < chunk:  # the per-loss window reaches further back
            assert rel_error(chunked, rec.rnn_backward(dhs, cache, truncate=chunk)[3]) > 1e-6
    dhs = rng.standard_normal((N, T, H))
    for a, b in zip(rec.rnn_backward_chunked(dhs, cache, T), rec.rnn_backward(dhs, cache)):
        assert rel_error(a, b) < 1e-13
    for a, b in zip(rec.rnn_backward_chunked(dhs, cache, 1),
                    rec.rnn_backward(dhs, cache, truncate=1)):
        assert rel_error(a, b) < 1e-13


def test_chunked_bptt_rejects_bad_chunks(rng):
    x = rng.standard_normal((1, 4, 2))
    hs, cache = rec.rnn_forward(x, None, *make_weights(rng, "rnn", 2, 3))
    with pytest.raises(ValueError, match=r"chunk must be an integer >= 1"):
        rec.rnn_backward_chunked(hs, cache, 0)
    with pytest.raises(TypeError, match="chunk must be an integer"):
        rec.rnn_backward_chunked(hs, cache, 2.0)
    with pytest.raises(ValueError, match="dhs must have the shape"):
        rec.rnn_backward_chunked(hs[:, :2], cache, 2)
    assert rec.rnn_backward_chunked(hs, cache, 2)[1] is None  # h0 was None


# -- vanishing and exploding gradients ----------------------------------------------------------
@pytest.mark.parametrize("lam", [0.5, 0.9, 2.0])
def test_gradient_to_h0_is_bounded_by_gamma_lambda_power(rng, lam):
    """||dh_t/dh_{-1}|| <= (gamma lambda)^(t+1) with gamma = 1 for tanh and lambda = ||W_hh||;
    in the linear regime (tiny states) the bound is attained for W_hh = lambda * orthogonal."""
    H, T = 4, 20
    q, _ = np.linalg.qr(rng.standard_normal((H, H)))
    w_hh, w_ih = lam * q, np.zeros((H, 1))
    x = np.zeros((1, T, 1))
    for h0 in (rng.standard_normal((1, H)), 1e-15 * rng.standard_normal((1, H))):
        _, cache = rec.rnn_forward(x, h0, w_ih, w_hh)
        for t in (0, 5, T - 1):
            u = rng.standard_normal(H)
            dhs = np.zeros((1, T, H))
            dhs[0, t] = u / np.linalg.norm(u)
            dh0 = rec.rnn_backward(dhs, cache)[1]
            bound = lam ** (t + 1)
            assert np.linalg.norm(dh0) <= bound * (1 + 1e-12)
            if abs(h0).max() < 1e-6:  # linear regime: tanh' = 1, the bound is tight
                assert np.linalg.norm(dh0) == pytest.approx(bound, rel=1e-9)
    if lam ** T < 1e-5:
        assert np.linalg.norm(dh0) < 1e-5  # vanished after 20 steps
    elif lam > 1:
        assert np.linalg.norm(dh0) > 1e5  # exploded


# -- clipping -----------------------------------------------------------------------------------
def test_clip_by_norm_seed_example_uses_the_true_norm():
    g = np.array([3.0, 4.0])
    norm = rec.clip_grad_norm([g], 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(g, [0.6, 0.8], atol=1e-6)
    assert not np.allclose(g, [0.12, 0.16], atol=1e-3)  # the seed's squared-norm bug


def test_clip_by_value_and_by_norm_differ():
    by_value, by_norm = np.array([0.6, -0.8]), np.array([0.6, -0.8])
    assert rec.clip_grad_value([by_value], 0.7) is None
    np.testing.assert_array_equal(by_value, [0.6, -0.7])
    assert rec.clip_grad_norm([by_norm], 0.7) == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(by_norm, [0.42, -0.56], atol=1e-6)


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 100.0])
def test_clip_grad_norm_matches_torch(rng, max_norm):
    import torch

    shapes = [(3, 4), (5,), (2, 3, 2), ()]
    grads = [rng.standard_normal(s) for s in shapes]
    params = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in shapes]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    ref_norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    norm = rec.clip_grad_norm(grads, max_norm)
    assert isinstance(norm, float)
    assert norm == pytest.approx(float(ref_norm), rel=1e-14)
    assert np.sqrt(sum(float(np.sum(g0 ** 2)) for g0 in [p.grad.numpy() for p in params])) \
        <= max_norm + 1e-12
    for g, p in zip(grads, params):
        assert rel_error(g, p.grad.numpy()) < 1e-14


def test_clip_grad_norm_leaves_small_gradients_and_float32(rng):
    g = rng.standard_normal(10) * 0.01
    before = g.copy()
    rec.clip_grad_norm([g], 1.0)
    np.testing.assert_array_equal(g, before)
    g32 = rng.standard_normal((4, 4)).astype(np.float32) * 10
    expected = np.linalg.norm(g32.astype(np.float64))
    assert rec.clip_grad_norm([g32], 2.0) == pytest.approx(expected, rel=1e-12)
    assert g32.dtype == np.float32
    assert np.linalg.norm(g32.astype(np.float64)) == pytest.approx(2.0, rel=1e-5)


def test_clip_grad_norm_handles_huge_finite_gradients_and_parameters():
    g = np.array([3e200, 4e200])
    assert rec.clip_grad_norm([g], 1.0) == pytest.approx(5e200, rel=1e-14)
    np.testing.assert_allclose(g, [0.6, 0.8], atol=1e-6)
    from dlcore.nn import Parameter

    p = Parameter(np.zeros(2))
    p.grad[:] = [3.0, 4.0]
    assert rec.clip_grad_norm([p], 1.0) == 5.0
    np.testing.assert_allclose(p.grad, [0.6, 0.8], atol=1e-6)
    rec.clip_grad_value([p], 0.7)
    np.testing.assert_allclose(p.grad, [0.6, 0.7], atol=1e-6)


def test_clip_grad_value_matches_torch(rng):
    import torch

    g = 2 * rng.standard_normal((4, 5))
    p = torch.zeros(4, 5, dtype=torch.float64, requires_grad=True)
    p.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_value_([p], 0.5)
    rec.clip_grad_value([g], 0.5)
    np.testing.assert_array_equal(g, p.grad.numpy())


@pytest.mark.parametrize("fn", [rec.clip_grad_norm, rec.clip_grad_value])
def test_clipping_rejects_bad_input(fn):
    with pytest.raises(TypeError, match=r"grads\[0\] must be a numpy array"):
        fn([[3.0, 4.0]], 1.0)
    with pytest.raises(TypeError, match=r"grads\[1\] must be a floating-point array.*int64"):
        fn([np.ones(2), np.array([3, 4])], 1.0)
    ro = np.ones(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fn([ro], 1.0)
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="must be a finite number > 0"):
            fn([np.ones(2)], bad)
    with pytest.raises(TypeError, match="must be a real number"):
        fn([np.ones(2)], "1")
    with pytest.raises(TypeError, match="list of numpy arrays"):
        fn(3.0, 1.0)


def test_clip_grad_norm_rejects_nan_gradients():
    with pytest.raises(ValueError, match="NaN or inf"):
        rec.clip_grad_norm([np.array([1.0, np.nan])], 1.0)


# -- validation (all three cells share it) ------------------------------------------------------
def _seq_args(cell, N=4, T=5, D=3, H=16):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, D))
    states = [rng.standard_normal((N, H))] * (2 if cell == "lstm" else 1)
    return x, states, list(make_weights(rng, cell, D, H))


FORWARD = {"rnn": rec.rnn_forward, "lstm": rec.lstm_forward, "gru": rec.gru_forward}
G = {"rnn": 1, "lstm": 4, "gru": 3}


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_forward_rejects_bad_shapes(cell):
    fwd = FORWARD[cell]
    x, states, (w_ih, w_hh, b_ih, b_hh) = _seq_args(cell)
    with pytest.raises(ValueError, match=r"x must be a 3-D array of shape \(N, T, D\)"):
        fwd(x[0], *states, w_ih, w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D=3 .*\(4, 5, 2\)"):
        fwd(x[..., :2], *states, w_ih, w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(4, 16\); got \(16,\)"):
        fwd(x, states[0][0], *states[1:], w_ih, w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(4, 16\); got \(3, 16\)"):
        fwd(x, states[0][:3], *states[1:], w_ih, w_hh, b_ih, b_hh)
    gh = G[cell] * 16
    with pytest.raises(ValueError, match=rf"w_ih must have shape \(G\*H, D\) .*= {gh}"):
        fwd(x, *states, w_ih[:-1], w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=rf"w_hh must have shape \(G\*H, H\) with G={G[cell]}"):
        fwd(x, *states, w_ih, w_hh[:, :-1], b_ih, b_hh)
    with pytest.raises(ValueError, match=rf"b_hh must have shape \(G\*H,\) = \({gh},\)"):
        fwd(x, *states, w_ih, w_hh, b_ih, b_hh[:-1])
    with pytest.raises(ValueError, match=r"b_ih must be a 1-D array"):
        fwd(x, *states, w_ih, w_hh, b_ih[None], b_hh)
    with pytest.raises(ValueError, match="at least one time step"):
        fwd(x[:, :0], *states, w_ih, w_hh, b_ih, b_hh)
    bad = x.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="x contains 1 non-finite"):
        fwd(bad, *states, w_ih, w_hh, b_ih, b_hh)
    with pytest.raises(TypeError, match="w_hh must be an array of numbers"):
        fwd(x, *states, w_ih, "w", b_ih, b_hh)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_backward_rejects_bad_upstream(cell):
    x, states, w = _seq_args(cell)
    hs, cache = FORWARD[cell](x, *states, *w)
    bwd = {"rnn": rec.rnn_backward, "lstm": rec.lstm_backward, "gru": rec.gru_backward}[cell]
    with pytest.raises(ValueError, match=r"dhs must have the shape of the forward output, "
                                         r"\(N, T, H\) = \(4, 5, 16\); got \(4, 16\)"):
        bwd(hs[:, 0], cache)
    with pytest.raises(TypeError, match="cache must be the cache returned"):
        bwd(hs, {"kind": "other"})
    other = "gru" if cell != "gru" else "rnn"
    x2, states2, w2 = _seq_args(other)
    _, other_cache = FORWARD[other](x2, *states2, *w2)
    with pytest.raises(TypeError, match="cache must be the cache returned"):
        bwd(hs, other_cache)


def test_rnn_rejects_bad_hyperparameters():
    x, (h0,), w = _seq_args("rnn")
    with pytest.raises(ValueError, match="nonlinearity must be one of 'tanh', 'relu'"):
        rec.rnn_forward(x, h0, *w, nonlinearity="sigmoid")
    hs, cache = rec.rnn_forward(x, h0, *w)
    with pytest.raises(ValueError, match=r"truncate must be None \(full BPTT\) or an integer >= 1"):
        rec.rnn_backward(hs, cache, truncate=0)
    with pytest.raises(TypeError, match="truncate must be None or an integer"):
        rec.rnn_backward(hs, cache, truncate=2.5)


def test_rnn_step_rejects_bad_shapes(rng):
    w_ih, w_hh, b_ih, b_hh = make_weights(rng, "rnn", 3, 5)
    x_t, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 5))
    with pytest.raises(ValueError, match=r"x_t must be a 2-D array of shape \(N, D\)"):
        rec.rnn_step_forward(x_t[None], h, w_ih, w_hh)
    with pytest.raises(TypeError, match=r"h_prev must be an array of shape \(N, H\) = \(2, 5\)"):
        rec.rnn_step_forward(x_t, None, w_ih, w_hh)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(N, H\) = \(2, 5\)"):
        rec.rnn_step_forward(x_t, h.T, w_ih, w_hh)
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, D\) with D=3"):
        rec.rnn_step_forward(h, h, w_ih, w_hh)
    _, cache = rec.rnn_step_forward(x_t, h, w_ih, w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=r"dh must have the shape of the forward output, "
                                         r"\(N, H\) = \(2, 5\)"):
        rec.rnn_step_backward(np.ones((5, 2)), cache)


def test_float32_stays_float32(rng):
    x, (h0,), w = _seq_args("rnn")
    hs32, cache = rec.rnn_forward(x.astype(np.float32), h0.astype(np.float32),
                                  *[a.astype(np.float32) for a in w])
    hs64, _ = rec.rnn_forward(x, h0, *w)
    assert hs32.dtype == np.float32
    assert rel_error(hs32, hs64) < 1e-5
    grads = rec.rnn_backward(np.ones(hs32.shape, np.float32), cache)
    assert all(g.dtype == np.float32 for g in grads)
