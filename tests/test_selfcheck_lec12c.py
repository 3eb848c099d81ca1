"""Self-checks 12.12-12.16 (lecture 12c): right answers pass, catalogued mistakes get their
hint, and no hint gives the answer away.  The right functions are written out here, not taken
from the checkers."""

import math

import numpy as np
import pytest

import dlcore as dl
from dlcore.selfcheck import lec12c as L
from tests.selfcheck_helpers import climb_hint_ladder

pytestmark = pytest.mark.lec12


def my_shift(image, dy, dx):
    out = np.zeros(np.shape(image))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            if 0 <= i - dy < out.shape[0] and 0 <= j - dx < out.shape[1]:
                out[i, j] = image[i - dy][j - dx]
    return out


def my_center(X_train, X):
    X_train, X = np.asarray(X_train), np.asarray(X)
    means = [X_train[:, c].mean() for c in range(X_train.shape[1])]
    return np.stack([X[:, c] - means[c] for c in range(X.shape[1])], axis=1)


def my_warmup_cosine(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return base_lr * (start_factor + (1 - start_factor) * t / warmup)
    return base_lr * (1 + math.cos(math.pi * (t - warmup) / (total - warmup))) / 2


@pytest.mark.parametrize("exercise_id, fn", [("12.12", my_shift), ("12.13", my_center),
                                             ("12.14", my_warmup_cosine)])
def test_right_functions_pass(exercise_id, fn, capsys):
    assert dl.check(exercise_id, fn)
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id, fn, words", [
    ("12.12", L._shift_rolled, "np.roll"), ("12.12", L._shift_swapped, "swapped"),
    ("12.12", L._shift_backwards, "wrong way"), ("12.13", L._center_global, "one mean for all"),
    ("12.13", L._center_per_pixel, "mean image"), ("12.13", L._center_own_mean, "X_train"),
    ("12.13", L._center_standardized, "standard deviation"),
    ("12.14", L._wc_no_restart, "end of the warm-up"),
    ("12.14", L._wc_ramp_from_zero, "starts at 0"),
    ("12.14", L._wc_full_cosine, "(1 + ...) / 2"), ("12.14", L._wc_degrees, "radians"),
])
def test_catalogued_mistakes_get_their_hint(exercise_id, fn, words, capsys):
    assert not dl.check(exercise_id, fn)
    assert words in capsys.readouterr().out


def test_unwritten_and_crashing_functions_are_reported(capsys):
    def blank(t, base_lr, warmup, total, start_factor=0.1):
        raise NotImplementedError

    assert not dl.check("12.14", blank)
    assert "not written yet" in capsys.readouterr().out
    assert not dl.check("12.12", lambda image, dy, dx: image[dy])
    assert "shape" in capsys.readouterr().out
    assert not dl.check("12.13", lambda X_train, X: X.mean(axis=5))
    assert "raised" in capsys.readouterr().out


@pytest.mark.parametrize("answer, ok, words", [
    (0.0005, True, "Correct"), (0.005, False, "second drop"), (0.00005, False, "one drop too"),
])
def test_step_lr_value(answer, ok, words, capsys):
    assert bool(dl.check("12.15", answer)) is ok
    assert words in capsys.readouterr().out


@pytest.mark.parametrize("answer, ok, words", [
    (1285, True, "Correct"), (1280, False, "biases"), (2570, False, "5 outputs"),
    (20101, False, "do not learn"),
])
def test_head_parameter_count(answer, ok, words, capsys):
    assert bool(dl.check("12.16", answer)) is ok
    assert words in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id, answers", [
    ("12.12", ["def my_shift"]), ("12.13", ["def my_center"]),
    ("12.14", ["def my_warmup_cosine"]), ("12.15", ["0.0005"]), ("12.16", ["1285", "1,285"]),
])
def test_hint_ladders(exercise_id, answers, capsys, monkeypatch):
    climb_hint_ladder(exercise_id, answers, capsys, monkeypatch)
