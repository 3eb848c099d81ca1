"""Lecture 15's self-checks: the hint ladders of 15.1-15.5, and the exercises 15.6 (one chunk
of the batching pipeline), 15.7 (the backward pass of an embedding table) and 15.8 (the
temperature softmax) where the learner writes the function.

The learner's functions are written here from the lecture's definitions (never from dlcore),
and each catalogued slip is written out and must be named by its hint.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlcore as dl
from tests.selfcheck_helpers import climb_hint_ladder

EXPECTED = {"15.1": ("6.09", "6.087"), "15.2": ("0.333", "1/3", "3/9"), "15.3": ("'C'", "C,"),
            "15.4": ("'D'", "D,"), "15.5": ("= 4", "is 4")}


@pytest.mark.parametrize("exercise_id", sorted(EXPECTED))
def test_every_exercise_has_a_ladder_that_never_gives_the_answer(exercise_id, monkeypatch,
                                                                  capsys):
    climb_hint_ladder(exercise_id, EXPECTED[exercise_id], capsys, monkeypatch)


@pytest.mark.parametrize("exercise_id, right, wrong, hint", [
    ("15.1", math.log2(68), math.log(68), "nats"),
    ("15.1", 6.0875, 1 / 68, "probability of one character"),
    ("15.2", 1 / 3, 0.5, "without smoothing"),
    ("15.2", 0.3333, 0.3, "followed by nothing"),
    ("15.3", "C", "B", "unigram"),
    ("15.3", "c", "D", "the very symbol"),
    ("15.4", "D", "C", "greedy"),
    ("15.4", "d)", "A", "no training text"),
    ("15.5", 4, math.e ** 2, "base 2"),
])
def test_answers_and_their_hints(exercise_id, right, wrong, hint):
    assert dl.check(exercise_id, right, quiet=True)
    verdict = dl.check(exercise_id, wrong, quiet=True)
    assert not verdict and hint in str(verdict.message)


# --- 15.6: one chunk -----------------------------------------------------------------------------

def _chunk(ids, batch_size, seq_len, k):
    """Walk the text: stream n starts at n * S; chunk k holds its steps k*T .. k*T + T - 1."""
    ids = list(ids)
    s = (len(ids) - 1) // batch_size
    steps = range(k * seq_len, min((k + 1) * seq_len, s))
    x = [[ids[n * s + i] for i in steps] for n in range(batch_size)]
    y = [[ids[n * s + i + 1] for i in steps] for n in range(batch_size)]
    return np.array(x), np.array(y)


def _interleaved(ids, batch_size, seq_len, k):
    s = (len(ids) - 1) // batch_size
    X = ids[:batch_size * s].reshape(s, batch_size).T
    Y = ids[1:batch_size * s + 1].reshape(s, batch_size).T
    return X[:, k * seq_len:(k + 1) * seq_len], Y[:, k * seq_len:(k + 1) * seq_len]


def _not_shifted(ids, batch_size, seq_len, k):
    x, _ = _chunk(ids, batch_size, seq_len, k)
    return x, x


def _offset_by_k(ids, batch_size, seq_len, k):
    s = (len(ids) - 1) // batch_size
    X = ids[:batch_size * s].reshape(batch_size, s)
    Y = ids[1:batch_size * s + 1].reshape(batch_size, s)
    return X[:, k:k + seq_len], Y[:, k:k + seq_len]


def test_a_chunk_written_from_the_definition_passes():
    assert dl.check("15.6", _chunk, quiet=True)


@pytest.mark.parametrize("wrong, hint", [(_interleaved, "interleaved"),
                                         (_not_shifted, "next character"),
                                         (_offset_by_k, "k * seq_len")])
def test_chunk_slips_are_named(wrong, hint):
    verdict = dl.check("15.6", wrong, quiet=True)
    assert not verdict and hint in verdict.message


# --- 15.7: the embedding's gradient ---------------------------------------------------------

def _embedding_backward(dout, ids, E):
    one_hot = np.eye(E.shape[0])[ids.reshape(-1)]
    return one_hot.T @ dout.reshape(-1, E.shape[1])


def _buffered(dout, ids, E):
    dE = np.zeros_like(E)
    dE[ids] += dout
    return dE


def test_the_one_hot_product_gradient_passes_and_the_buffered_slip_is_named():
    assert dl.check("15.7", _embedding_backward, quiet=True)
    verdict = dl.check("15.7", _buffered, quiet=True)
    assert not verdict and "np.add.at" in verdict.message


def test_a_wrong_gradient_is_set_against_central_differences():
    verdict = dl.check("15.7", lambda dout, ids, E: 2 * _embedding_backward(dout, ids, E),
                       quiet=True)
    assert not verdict and "central differences" in verdict.message


# --- 15.8: the temperature softmax --------------------------------------------------------------

def _temperature(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("wrong, hint", [
    (lambda z, t: _temperature(z, 1.0), "not used"),
    (lambda z, t: _temperature(z * t * t, t), "multiplied"),
    (lambda z, t: _temperature(z.T, t).T, "last axis"),
])
def test_temperature_passes_and_slips_are_named(wrong, hint):
    assert dl.check("15.8", _temperature, quiet=True)
    verdict = dl.check("15.8", wrong, quiet=True)
    assert not verdict and hint in verdict.message


def test_an_overflowing_softmax_fails_on_the_large_scores():
    def unstable(z, t):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z / t)
            return e / e.sum(axis=1, keepdims=True)

    verdict = dl.check("15.8", unstable, quiet=True)
    assert not verdict and "large scores" in verdict.message


@pytest.mark.parametrize("exercise_id, name", [("15.6", "my_chunk"),
                                               ("15.7", "my_embedding_backward"),
                                               ("15.8", "my_temperature_probs")])
def test_the_worked_solution_passes(exercise_id, name):
    text = dl.selfcheck.exercises()[exercise_id].solution
    scope = {"np": np}
    exec(text.split("```python", 1)[1].split("```", 1)[0], scope)  # noqa: S102
    assert dl.check(exercise_id, scope[name], quiet=True)


def test_unwritten_functions_are_reported_not_graded():
    def my_chunk(ids, batch_size, seq_len, k):
        raise NotImplementedError

    verdict = dl.check("15.6", my_chunk, quiet=True)
    assert not verdict and "not written yet" in verdict.message
