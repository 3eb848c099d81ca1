"""Exercise 8 of A3: batch norm, forward (training and eval) and backward.

Names the notebook defines (shapes: N batch, D features):
``batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
eps=1e-5) -> (out, cache)`` (running stats updated in place) and
``batchnorm_backward(dout, cache) -> (dx, dgamma, dbeta)``; x, out, dout, dx (N, D), the rest
(D,).  The reference is ``dlcore.layers``.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ... import gradcheck, layers
from ...nn.layers import BatchNorm1d
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret
from ._common import ATOL

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_BN_FORBIDDEN = [layers.batchnorm_forward, layers.batchnorm_backward, BatchNorm1d.forward,
                 BatchNorm1d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp]


def batchnorm_variant(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                      eps=1e-5, *, mistake=None):
    """Batch norm (N, D) with one catalogued mistake; updates the running stats in place."""
    use_batch = training or mistake == "eval_batch"
    if use_batch:
        mean = x.mean(axis=0)
        var = x.var(axis=0, ddof=1 if mistake == "ddof1" else 0)
        unbiased = x.var(axis=0, ddof=1)
        run_var = var if mistake == "biased_running" else unbiased
        m = 1 - momentum if mistake == "momentum_swapped" else momentum
        running_mean[:] = (1 - m) * running_mean + m * mean
        running_var[:] = (1 - m) * running_var + m * run_var
    else:
        mean, var = running_mean.copy(), running_var.copy()
    if mistake == "no_eps":
        x_hat = (x - mean) / np.sqrt(var)
    elif mistake == "eps_outside":
        x_hat = (x - mean) / (np.sqrt(var) + eps)
    else:
        x_hat = (x - mean) / np.sqrt(var + eps)
    return beta * x_hat + gamma if mistake == "swap_gamma_beta" else gamma * x_hat + beta


BN_OUT_WRONG = [
    ("ddof1", "the batch variance must be the biased one (divide by N, np.var's default "
              "ddof=0); the unbiased ddof=1 variance is only used to update running_var"),
    ("no_eps", "eps is missing: normalise with sqrt(var + eps)"),
    ("eps_outside", "batch norm adds eps inside the square root: (x - mean) / sqrt(var + eps)"),
    ("swap_gamma_beta", "gamma and beta are swapped: gamma scales x_hat and beta shifts it, "
                        "out = gamma * x_hat + beta"),
]
BN_RUNNING_WRONG = [
    ("momentum_swapped", "momentum weights the NEW batch statistic: running = (1 - momentum) * "
                         "running + momentum * batch_stat (torch's momentum = 0.1)"),
    ("biased_running", "running_var is updated with the UNBIASED batch variance (ddof=1, "
                       "N / (N - 1) times the biased one), as torch does, while the "
                       "normalisation uses the biased one"),
]


def _bn_case(rng, n, d, eps=1e-5, momentum=0.1, batches=3):
    scales = np.array([1.0, 0.1, 0.01, 3.0, 0.003, 0.5])[:d] if d <= 6 else \
        rng.uniform(0.003, 3.0, size=d)
    xs = [rng.normal(size=(n, d)) * scales + rng.normal(size=d) for _ in range(batches)]
    return xs, rng.normal(size=d), rng.normal(size=d), {"momentum": momentum, "eps": eps}


def _bn_train_cases(hidden: bool):
    rng = case_rng(3801 if hidden else 3800, hidden)
    if not hidden:
        return [_bn_case(rng, 8, 4)]
    return [_bn_case(rng, 16, 6), _bn_case(rng, 2, 3, eps=1e-3, momentum=0.3),
            _bn_case(rng, 5, 9, momentum=0.05, batches=4)]


def _bn_student(ns, x, gamma, beta, rm, rv, training, hyper):
    f = lookup(ns, "batchnorm_forward")
    out = call(f, "batchnorm_forward", (x.copy(), gamma.copy(), beta.copy(), rm, rv),
               dict(hyper, training=training), _BN_FORBIDDEN)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("batchnorm_forward must return a pair (out, cache)")
    try:
        arr = np.asarray(out[0], dtype=float)
    except (TypeError, ValueError):
        raise GradingError("batchnorm_forward must return out as a numeric array") from None
    return arr, out[1]


def _bn_train_run(fwd, case):
    """Outputs of the training batches in order, then the final running mean and var."""
    xs, gamma, beta, hyper = case
    d = xs[0].shape[1]
    rm, rv = np.zeros(d), np.ones(d)
    outs = [np.asarray(fwd(x, gamma, beta, rm, rv, True, hyper), dtype=float) for x in xs]
    return outs, rm, rv


def _ref_fwd(mistake=None):
    def fwd(x, gamma, beta, rm, rv, training, hyper):
        if mistake is None:
            return layers.batchnorm_forward(x, gamma, beta, rm, rv, training=training,
                                            **hyper)[0]
        return batchnorm_variant(x, gamma, beta, rm, rv, training, mistake=mistake, **hyper)
    return fwd


def _bn_shape(ns, ctx, hidden):
    rng = case_rng(3811 if hidden else 3810, hidden)
    for n, d in ([(2, 1), (7, 5)] if hidden else [(6, 3)]):
        x, gamma, beta = rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=d)
        for training in (True, False):
            rm, rv = np.zeros(d), np.ones(d)
            out, _ = _bn_student(ns, x, gamma, beta, rm, rv, training, {})
            if out.shape != (n, d):
                want = "the shape of x" if hidden else f"shape {(n, d)}, the shape of x"
                raise GradingError(f"batchnorm_forward returned out of shape {out.shape}; "
                                   f"expected {want} (one value per input, normalised per "
                                   f"feature over the batch axis 0)")
            if rm.shape != (d,) or rv.shape != (d,):
                raise GradingError("batchnorm_forward changed the shape of the running stats")


def _bn_train(ns, ctx, hidden):
    cases = _bn_train_cases(hidden)
    student = partial(_bn_student, ns)

    def fwd(x, gamma, beta, rm, rv, training, hyper):
        return student(x, gamma, beta, rm, rv, training, hyper)[0]

    got = [_bn_train_run(fwd, c) for c in cases]
    want = [_bn_train_run(_ref_fwd(), c) for c in cases]
    for outs, rm, rv in want:
        record_secret(tuple(outs) + (rm, rv))
    where = " on a hidden case" if hidden else " for the visible batches"
    out_ok = [all(close(a, b, atol=ATOL) for a, b in zip(g[0], w[0])) for g, w in zip(got, want)]
    if not all(out_ok):
        for mistake, hint in BN_OUT_WRONG:
            alt = [_bn_train_run(_ref_fwd(mistake), c) for c in cases]
            if all(all(close(a, b, atol=ATOL) for a, b in zip(g[0], w[0]))
                   for g, w in zip(got, alt)):
                raise GradingError(f"batchnorm_forward{where}: {hint}")
        shape = np.shape(got[0][0][0])
        if shape != np.shape(want[0][0][0]):
            raise GradingError(f"batchnorm_forward returned out of shape {shape}; it must have "
                               f"the shape of x")
        raise GradingError(f"batchnorm_forward{where}: out (training mode) does not equal "
                           f"gamma * (x - mean) / sqrt(var + eps) + beta with the batch's mean "
                           f"and biased variance per feature")
    for (_, rm, rv), (_, wm, wv), case in zip(got, want, cases):
        if close(rm, wm, atol=ATOL) and close(rv, wv, atol=ATOL):
            continue
        d = len(wm)
        if np.array_equal(rm, np.zeros(d)) and np.array_equal(rv, np.ones(d)):
            raise GradingError("batchnorm_forward does not update running_mean and running_var "
                               "in training mode: update them in place (running_mean[:] = "
                               "..., or *= and +=), since the function returns only (out, "
                               "cache)")
        for mistake, hint in BN_RUNNING_WRONG:
            _, am, av = _bn_train_run(_ref_fwd(mistake), case)
            if close(rm, am, atol=ATOL) and close(rv, av, atol=ATOL):
                raise GradingError(f"batchnorm_forward{where}: {hint}")
        raise GradingError(f"batchnorm_forward{where}: the running statistics do not match "
                           f"running = (1 - momentum) * running + momentum * batch_stat")


def _bn_eval(ns, ctx, hidden):
    rng = case_rng(3821 if hidden else 3820, hidden)
    specs = [(5, 6, 1e-5), (3, 2, 1e-2), (12, 4, 1e-5)] if hidden else [(6, 4, 1e-5)]
    for n, d, eps in specs:
        xs, gamma, beta, hyper = _bn_case(rng, n, d, eps=eps, batches=1)
        rm0 = rng.normal(size=d)
        rv0 = rng.uniform(0.5, 2.0, size=d) * np.array([1.0, 0.01, 1e-4, 1.0, 1.0, 1.0])[:d]
        rm, rv = rm0.copy(), rv0.copy()
        out, _ = _bn_student(ns, xs[0], gamma, beta, rm, rv, False, hyper)
        want = layers.batchnorm_forward(xs[0], gamma, beta, rm0.copy(), rv0.copy(),
                                        training=False, **hyper)[0]
        record_secret(want)
        changed = not (np.array_equal(rm, rm0) and np.array_equal(rv, rv0))
        also = " (and the running stats changed: in eval mode they stay as they are)" \
            if changed else ""
        if not close(out, want, atol=ATOL):
            if close(out, batchnorm_variant(xs[0], gamma, beta, rm0.copy(), rv0.copy(), False,
                                   mistake="eval_batch", **hyper), atol=ATOL):
                raise GradingError(f"batchnorm_forward in eval mode normalises with the batch's "
                                   f"statistics; eval (training=False) uses running_mean and "
                                   f"running_var{also}")
            for mistake, hint in BN_OUT_WRONG:
                if close(out, batchnorm_variant(xs[0], gamma, beta, rm0.copy(), rv0.copy(), False,
                                       mistake=mistake, **hyper), atol=ATOL):
                    raise GradingError(f"batchnorm_forward in eval mode: {hint}{also}")
            raise GradingError(f"batchnorm_forward in eval mode must compute gamma * (x - "
                               f"running_mean) / sqrt(running_var + eps) + beta{also}")
        if changed:
            raise GradingError("batchnorm_forward updates running_mean or running_var in eval "
                               "mode (training=False); update them only in training mode")


def batchnorm_dx_variant(dout, x_hat, gamma, inv_std, kind=None):
    """Batch norm's dx, or with ``kind`` one catalogued mistake of it (a term left out)."""
    n = x_hat.shape[0]
    g = dout if kind == "no_gamma" else dout * gamma
    if kind == "constant_stats":
        return g * inv_std
    s1 = 0.0 if kind == "no_mean_term" else g.sum(axis=0)
    s2 = 0.0 if kind == "no_var_term" else (g * x_hat).sum(axis=0)
    return inv_std / n * (n * g - s1 - x_hat * s2)


def _bn_gradients(ns, ctx, hidden):
    g_fn = lookup(ns, "batchnorm_backward")
    rng = case_rng(3831 if hidden else 3830, hidden)
    specs = [(16, 5), (2, 3), (9, 1)] if hidden else [(8, 4)]
    where = " on a hidden case" if hidden else ""
    for n, d in specs:
        xs, gamma, beta, hyper = _bn_case(rng, n, d, batches=1)
        x, dout = xs[0], rng.normal(size=(n, d))
        out, cache = _bn_student(ns, x, gamma, beta, np.zeros(d), np.ones(d), True, hyper)
        ref_out, ref_cache = layers.batchnorm_forward(x, gamma, beta, np.zeros(d), np.ones(d),
                                                      training=True, **hyper)
        if not close(out, ref_out, atol=ATOL):
            raise GradingError("batchnorm_backward is checked with the cache of your "
                               "batchnorm_forward, whose training output is not right yet: "
                               "fix batchnorm_forward first")
        res = call(g_fn, "batchnorm_backward", (dout.copy(), cache), {}, _BN_FORBIDDEN)
        if not (isinstance(res, (tuple, list)) and len(res) == 3):
            raise GradingError("batchnorm_backward must return a triple (dx, dgamma, dbeta)")
        dx, dgamma, dbeta = layers.batchnorm_backward(dout, ref_cache)
        record_secret((dx, dgamma, dbeta))
        x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + hyper["eps"])
        inv_std = 1.0 / np.sqrt(x.var(axis=0) + hyper["eps"])
        if not close(res[2], dbeta, atol=ATOL):
            if close(res[2], dgamma, atol=ATOL):
                raise GradingError("batchnorm_backward: dgamma and dbeta are swapped: dbeta = "
                                   "sum of dout over the batch, dgamma = sum of dout * x_hat")
            raise GradingError(f"batchnorm_backward{where}: dbeta must have shape (D,) and "
                               f"equal the sum of dout over the batch (axis 0)")
        if not close(res[1], dgamma, atol=ATOL):
            if close(res[1], (dout * x).sum(axis=0), atol=ATOL):
                raise GradingError("batchnorm_backward: dgamma multiplies dout by the "
                                   "normalised x_hat, not by x: dgamma = sum(dout * x_hat)")
            raise GradingError(f"batchnorm_backward{where}: dgamma must have shape (D,) and "
                               f"equal the sum over the batch of dout * x_hat")
        if close(res[0], dx, atol=ATOL):
            continue
        hints = {
            "constant_stats": "dx treats the batch mean and variance as constants; in training "
                              "mode they depend on x, which adds two terms: dx = inv_std / N * "
                              "(N g - sum(g) - x_hat * sum(g * x_hat)) with g = gamma * dout",
            "no_mean_term": "dx misses the term from the batch mean, - sum(g) (g = gamma * "
                            "dout)",
            "no_var_term": "dx misses the term from the batch variance, - x_hat * sum(g * "
                           "x_hat) (g = gamma * dout)",
            "no_gamma": "dx misses gamma: the gradient that reaches x_hat is g = gamma * dout",
        }
        for kind, hint in hints.items():
            if close(res[0], batchnorm_dx_variant(dout, x_hat, gamma, inv_std, kind), atol=ATOL):
                raise GradingError(f"batchnorm_backward: {hint}")
        raise GradingError(f"batchnorm_backward{where}: dx does not match the gradient of the "
                           f"training-mode forward")


EXERCISES["batchnorm"] = Exercise(
    "Batch norm forward and backward", {"shape": _bn_shape, "train": _bn_train,
                                        "eval": _bn_eval, "gradients": _bn_gradients})
