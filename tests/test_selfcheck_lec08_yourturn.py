"""Lecture 8's hands-on part: the hint ladders of 08.1-08.5, and the exercises 08.6 (inverted
dropout with a given mask), 08.7 (the batch-norm forward pass) and 08.8 (the gradients of gamma
and beta) where the learner writes the function.

The learner's functions are written here from the lecture's formulas (never from dlcore); the
numbers are worked out by hand (batch norm of [2, 4, 6, 8]: mean 5, variance 5) or by central
differences computed here.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from tests.selfcheck_helpers import climb_hint_ladder

pytestmark = pytest.mark.lec08


def _verdict(exercise_id, answer, capsys):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out


# --- hint ladders ---------------------------------------------------------------------------

ANSWERS = {"08.1": ("79510", "79,510", "79 510"), "08.2": ("0.1, 0.4", "[0.1", "0.4]"),
           "08.3": ("-5.02", "3.02", "-2.34", "0.34"), "08.4": ("0.0883", "0.088"),
           "08.5": ("(3, 0.5)", "3.0, 0.5", "mean 3", "std 0.5")}


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_hint_ladders_climb_to_the_solution_without_the_answer(exercise_id, monkeypatch,
                                                              capsys):
    climb_hint_ladder(exercise_id, ANSWERS[exercise_id], capsys, monkeypatch)


# --- the learner's functions, from the lecture's formulas --------------------------------------

def _my_dropout_forward(x, mask, keep_prob):
    return x * mask / keep_prob


def _my_batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.sum(axis=0) / len(x)
    var = ((x - mu) ** 2).sum(axis=0) / len(x)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def _my_batchnorm_param_grads(dout, x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return np.einsum("nd,nd->d", dout, x_hat), np.einsum("nd->d", dout)


@pytest.mark.parametrize("exercise_id, fn", [("08.6", _my_dropout_forward),
                                             ("08.7", _my_batchnorm_forward),
                                             ("08.8", _my_batchnorm_param_grads)])
def test_a_function_written_from_the_formulas_passes(exercise_id, fn, capsys):
    ok, out = _verdict(exercise_id, fn, capsys)
    assert ok, out


def test_the_references_agree_with_the_hand_computations():
    ex = dl.selfcheck.exercises()
    out = ex["08.6"].checker.reference(np.array([[2.0, 3.0, -1.0]]), np.array([[1, 0, 1]]), 0.8)
    np.testing.assert_allclose(out, [[2.5, 0.0, -1.25]])
    # [2, 4, 6, 8]: mean 5, biased variance 5; gamma 3, beta -1
    y = ex["08.7"].checker.reference(np.array([[2.0], [4.0], [6.0], [8.0]]), np.array([3.0]),
                                     np.array([-1.0]), eps=0.0)
    np.testing.assert_allclose(y.ravel(), 3 * np.array([-3, -1, 1, 3]) / np.sqrt(5) - 1)
    # a constant feature: eps keeps it finite and its output is beta
    y = ex["08.7"].checker.reference(np.array([[3.0, 1.0], [3.0, 2.0]]), np.array([2.0, 1.0]),
                                     np.array([-1.0, 0.5]))
    np.testing.assert_allclose(y[:, 0], [-1.0, -1.0])


def test_the_gradient_reference_matches_central_differences_computed_here():
    rng = np.random.default_rng(4)
    dout, x = rng.normal(size=(5, 3)), rng.normal(2.0, 3.0, size=(5, 3))
    gamma, beta = rng.uniform(0.5, 2.0, 3), rng.normal(size=3)
    dgamma, dbeta = dl.selfcheck.exercises()["08.8"].checker.reference(dout, x, gamma, beta)

    def loss(g, b):
        return np.sum(dout * _my_batchnorm_forward(x, g, b))

    h, eye = 1e-6, np.eye(3)
    num_g = [(loss(gamma + h * e, beta) - loss(gamma - h * e, beta)) / (2 * h) for e in eye]
    num_b = [(loss(gamma, beta + h * e) - loss(gamma, beta - h * e)) / (2 * h) for e in eye]
    np.testing.assert_allclose(dgamma, num_g, rtol=1e-6)
    np.testing.assert_allclose(dbeta, num_b, rtol=1e-6)


def test_the_checks_name_the_slips(capsys):
    ok, out = _verdict("08.6", lambda x, mask, keep_prob: x * mask, capsys)
    assert not ok and "not rescaled" in out and "one unit kept, one dropped" in out
    with np.errstate(divide="ignore", invalid="ignore"):  # the case keep_prob = 1
        ok, out = _verdict("08.6", lambda x, mask, keep_prob: x * mask / (1 - keep_prob), capsys)
    assert not ok and "drop probability" in out and "keep probability 0.8" in out  # 0.5 hides it

    def layer_norm(x, gamma, beta, eps=1e-5):
        mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        return gamma * (x - mu) / np.sqrt(var + eps) + beta

    ok, out = _verdict("08.7", layer_norm, capsys)
    assert not ok and "over the batch" in out

    def unbiased(x, gamma, beta, eps=1e-5):
        return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta

    ok, out = _verdict("08.7", unbiased, capsys)
    assert not ok and "N − 1" in out

    def mean_grads(dout, x, gamma, beta, eps=1e-5):
        dgamma, dbeta = _my_batchnorm_param_grads(dout, x, gamma, beta, eps)
        return dgamma / len(x), dbeta / len(x)

    ok, out = _verdict("08.8", mean_grads, capsys)
    assert not ok and "SUM" in out

    def half_dbeta(dout, x, gamma, beta, eps=1e-5):  # not catalogued: set against differences
        dgamma, dbeta = _my_batchnorm_param_grads(dout, x, gamma, beta, eps)
        return dgamma, dbeta / 2

    ok, out = _verdict("08.8", half_dbeta, capsys)
    assert not ok and "the dbeta of your my_batchnorm_param_grads is not the gradient" in out
    assert "central differences" in out

    def blank(dout, x, gamma, beta, eps=1e-5):
        raise NotImplementedError

    ok, out = _verdict("08.8", blank, capsys)
    assert not ok and "my_batchnorm_param_grads is not written yet" in out
