"""Hidden inputs are secret: every hidden case of the assignments is drawn from the instructor's
grading secret (``case_rng(seed, hidden=True)``), so the seeds that ship in the package do not
give them; visible cases are ``np.random.default_rng(seed)``, the same with or without a secret."""

from __future__ import annotations

import ast
import re
import secrets
import warnings
from pathlib import Path

import numpy as np
import pytest

import dlcore.grading
from dlcore.grading import GradingError
from dlcore.grading import a01_neurons_perceptron as a01
from dlcore.grading._core import case_rng, grading_secret
from dlcore.grading.a01_neurons_perceptron import perceptron as a01_perceptron
from dlcore.grading.a01_neurons_perceptron import towers as a01_towers
from dlcore.grading.a04_cnn.backward import backward_cases
from dlcore.grading.a04_cnn.pooling import pool_cases
from dlcore.grading.a05_rnn_lstm.clipping import norm_cases
from dlcore.grading.a05_rnn_lstm.counts import count_cases
from dlcore.grading.a05_rnn_lstm.rnn import rnn_cases
from tests.test_grading_a01_neurons_perceptron import reference_namespace as a01_honest
from tests.test_grading_a01_neurons_perceptron import tower_weights as a01_tower_weights
from tests.test_grading_a01_neurons_perceptron import train_perceptron as a01_train

pytestmark = pytest.mark.setup

SECRET_A, SECRET_B = "one class's secret", "another class's secret"


def _tower_net(w1, b1, w2, b2, x):
    """The two-sigmoid network of A1's towers, written here: hidden sigmoid(x w1^T + b1),
    output h w2^T + b2."""
    h = 1 / (1 + np.exp(-(x[:, None] @ np.asarray(w1).T + b1)))
    return (h @ np.asarray(w2).T + b2).ravel()


def _a01_inputs(exercise: str, part: str = "values", name: str | None = None):
    """The inputs an honest ``name`` (by default the exercise's function) receives from A1's
    check ``exercise``/``part``: a spy around the honest answer, which passes the check."""
    name = name or exercise

    def cases(hidden: bool):
        seen = []
        ns = a01_honest()
        honest = ns[name]

        def spy(*args, **kwargs):
            seen.append(([np.array(a, dtype=float) for a in args], dict(kwargs)))
            return honest(*args, **kwargs)
        ns[name] = spy
        a01.checker(ns)(exercise, part, hidden=hidden)  # an honest answer passes
        return seen
    return cases


# Case generators whose hidden inputs are compared: A1's through its checker (every A1 check
# that calls a function of the notebook), A4's and A5's through their public case functions.
GENERATORS = {"a01 mp_neuron": _a01_inputs("mp_neuron"),
              "a01 perceptron_step": _a01_inputs("perceptron_step"),
              "a01 train_perceptron separable": _a01_inputs("train_perceptron", "separable"),
              "a01 train_perceptron xor": _a01_inputs("train_perceptron", "xor"),
              "a01 mlp_counts": _a01_inputs("mlp_counts"),
              "a01 tower_weights": _a01_inputs("towers", "values", "tower_weights"),
              "a04 pool_cases": pool_cases, "a04 backward_cases": backward_cases,
              "a05 rnn_cases": rnn_cases, "a05 count_cases": count_cases,
              "a05 norm_cases": norm_cases}


def _numbers(cases) -> list[np.ndarray]:
    """Every value of a case structure, in order, as arrays."""
    out = []

    def walk(obj):
        if isinstance(obj, dict):
            for key in sorted(obj):
                out.append(np.asarray(key))
                walk(obj[key])
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                walk(item)
        else:
            out.append(np.asarray(obj))
    walk(cases)
    return out


def _same(a, b) -> bool:
    na, nb = _numbers(a), _numbers(b)
    return len(na) == len(nb) and all(x.shape == y.shape and np.array_equal(x, y)
                                      for x, y in zip(na, nb))


@pytest.fixture
def no_secret(tmp_path, monkeypatch):
    """No secret anywhere: an empty HOME and XDG_CONFIG_HOME, no secret variables."""
    monkeypatch.delenv("DLCORE_GRADING_SECRET", raising=False)
    monkeypatch.delenv("DLCORE_GRADING_SECRET_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "home").mkdir()
    return tmp_path


# -- case_rng -----------------------------------------------------------------------------------
def test_a_visible_generator_is_default_rng_whatever_the_secret(monkeypatch):
    for secret in (SECRET_A, SECRET_B):
        monkeypatch.setenv("DLCORE_GRADING_SECRET", secret)
        for seed in (0, 101, 4300):
            assert np.array_equal(case_rng(seed, hidden=False).random(8),
                                  np.random.default_rng(seed).random(8))


def test_a_hidden_generator_depends_on_the_secret_and_the_seed(monkeypatch):
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    a = case_rng(101, hidden=True).random(8)
    assert np.array_equal(a, case_rng(101, hidden=True).random(8))
    assert not np.array_equal(a, np.random.default_rng(101).random(8))
    assert not np.array_equal(a, case_rng(102, hidden=True).random(8))
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_B)
    assert not np.array_equal(a, case_rng(101, hidden=True).random(8))


# -- the assignments' cases ---------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_the_same_secret_gives_the_same_hidden_cases(name, monkeypatch):
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    first = GENERATORS[name](True)
    assert first and _same(first, GENERATORS[name](True))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_another_secret_gives_other_hidden_inputs(name, monkeypatch):
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    a = GENERATORS[name](True)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_B)
    b = GENERATORS[name](True)
    assert not _same(a, b)
    assert len(a) == len(b)  # the same kinds of cases, other numbers


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_visible_cases_neither_depend_on_nor_read_the_secret(name, monkeypatch, no_secret):
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    a = GENERATORS[name](False)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_B)
    assert _same(a, GENERATORS[name](False))
    # without any secret (a student's notebook): the same cases, and no secret file written
    monkeypatch.delenv("DLCORE_GRADING_SECRET")
    monkeypatch.setenv("DLCORE_GRADING_SECRET_FILE", str(no_secret / "missing"))  # would raise
    assert _same(a, GENERATORS[name](False))
    assert not [p for p in no_secret.rglob("*") if p.is_file()]


# -- A1: the towers, the separable sets and the XOR run come from the secret --------------------
A1_PARTS = [(ex, part) for ex, e in a01.ASSIGNMENT.exercises.items() for part in e.parts]
N_RANDOM_SECRETS = 5


def _random_secret(monkeypatch) -> str:
    """A fresh random secret for this test (drawn inside the test, so that parallel workers
    collect the same tests); the failure message shows it, to reproduce."""
    secret = secrets.token_hex(16)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", secret)
    return secret


@pytest.mark.parametrize("exercise, part", A1_PARTS)
@pytest.mark.parametrize("draw", range(N_RANDOM_SECRETS))
def test_an_honest_a1_passes_every_hidden_check_whatever_the_secret(exercise, part, draw,
                                                                      monkeypatch):
    secret = _random_secret(monkeypatch)
    try:
        a01.checker(a01_honest())(exercise, part, hidden=True)
    except GradingError as exc:
        pytest.fail(f"with the secret {secret!r}: {exc}")


def _tower_wrong_sign(a, b, c, k, m1, m2):
    w1, b1, w2, b2 = a01_tower_weights(a, b, c, k, m1, m2)
    return w1, -b1, w2, b2


def _tower_no_b2(a, b, c, k, m1, m2):
    w1, b1, w2, _ = a01_tower_weights(a, b, c, k, m1, m2)
    return w1, b1, w2, np.zeros(1)


def _tower_visible_only(a, b, c, k, m1, m2):
    """The exercise's tower, whatever is asked: right on the visible case only."""
    return a01_tower_weights(2.0, -1.0, 4.0, 8.0, -0.5, 1.5)


def _tower_old_constants(a, b, c, k, m1, m2):
    """Memorized answers for the hidden towers that used to ship in the package."""
    known = [(2.0, -1.0, 4.0, 8.0, -0.5, 1.5), (1.0, 0.5, -2.0, 12.0, -1.0, 2.0),
             (-3.0, 2.0, 1.0, 6.0, 0.0, 3.0)]
    if (a, b, c, k, m1, m2) in known:
        return a01_tower_weights(a, b, c, k, m1, m2)
    return a01_tower_weights(0.0, 0.0, 0.0, 1.0, 0.0, 1.0)


def _train_fixed_15(X, y, max_epochs=100):
    """Runs the visible case's 15 epochs whatever max_epochs says."""
    return a01_train(X, y, max_epochs=15)


def _train_one_short(X, y, max_epochs=100):
    return a01_train(X, y, max_epochs=max_epochs - 1)


def _train_silent(X, y, max_epochs=100):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return a01_train(X, y, max_epochs=max_epochs)


def _train_visible_line(X, y, max_epochs=100):
    """The visible set's own line (normal (1, 2) through (3, -2)), one error-free epoch."""
    return np.array([1.0, 2.0, 1.0]), [0]


def _train_no_bias(X, y, max_epochs=100):
    w, errors = a01_train(X, y, max_epochs)
    return w[:-1], errors


# (exercise, part, name, wrong answer, passes the visible case, hint of the hidden check)
A1_WRONG = [
    ("towers", "values", "tower_weights", _tower_wrong_sign, False,
     "the hidden biases have the wrong sign"),
    ("towers", "values", "tower_weights", _tower_no_b2, False,
     "the network does not compute b + (a - b)"),
    ("towers", "values", "tower_weights", _tower_visible_only, True,
     "the network does not compute b + (a - b)"),
    ("towers", "values", "tower_weights", _tower_old_constants, True,
     "the network does not compute b + (a - b)"),
    ("train_perceptron", "xor", "train_perceptron", _train_fixed_15, True,
     "must run all max_epochs epochs and report one error count per epoch"),
    ("train_perceptron", "xor", "train_perceptron", _train_one_short, False,
     "on a hidden case it reported fewer counts"),
    ("train_perceptron", "xor", "train_perceptron", _train_silent, False,
     "the perceptron did not converge"),
    ("train_perceptron", "separable", "train_perceptron", _train_visible_line, True,
     "must reach an error-free epoch and then classify every point correctly"),
    ("train_perceptron", "separable", "train_perceptron", _train_no_bias, False,
     "returned w with D entries"),
]


@pytest.mark.parametrize("exercise, part, name, wrong, visible_passes, hint", A1_WRONG,
                         ids=[w[3].__name__ for w in A1_WRONG])
@pytest.mark.parametrize("draw", range(N_RANDOM_SECRETS))
def test_a_wrong_a1_answer_fails_the_hidden_check_with_its_hint(
        exercise, part, name, wrong, visible_passes, hint, draw, monkeypatch):
    secret = _random_secret(monkeypatch)
    check = a01.checker(a01_honest(**{name: wrong}))
    if visible_passes:  # only the hidden cases tell it apart: they must not be the visible ones
        check(exercise, part)
    with pytest.raises(GradingError) as err:
        check(exercise, part, hidden=True)
    assert hint in str(err.value), f"with the secret {secret!r}: {err.value}"


def test_the_hidden_xor_run_does_not_show_its_epoch_count(monkeypatch):
    for _ in range(N_RANDOM_SECRETS):
        secret = _random_secret(monkeypatch)
        epochs = a01_perceptron.xor_epochs(True)
        for wrong in (_train_fixed_15, _train_one_short):
            with pytest.raises(GradingError) as err:
                a01.checker(a01_honest(train_perceptron=wrong))("train_perceptron", "xor",
                                                                 hidden=True)
            assert not re.search(rf"\b({epochs}|{epochs - 1}|15)\b", str(err.value)), secret


# Many secrets, for the ranges that keep the hidden A1 cases well conditioned.
SWEEP = [f"sweep secret {i}" for i in range(300)]


def test_hidden_towers_are_clearly_visible_towers(monkeypatch):
    x = a01_towers.TOWER_X
    for secret in SWEEP:
        monkeypatch.setenv("DLCORE_GRADING_SECRET", secret)
        cases = a01_towers.tower_cases(True)
        assert len(cases) == 2 and a01_towers.tower_cases(False) == [(2.0, -1.0, 4.0, 8.0,
                                                                      -0.5, 1.5)]
        for a, b, c, k, m1, m2 in cases:
            assert 4 <= k <= 12 and -3 <= m1 and m1 + 1.5 <= m2 <= 4, secret
            assert abs(m1 + m2) >= 1, secret  # wrong-sign biases: steps at -m1, -m2
            assert 1 <= abs(a - b) <= 3 and 1 <= abs(c - b) <= 3, secret
            # each step is sharp on the grid: within 5% of its plateaus halfway between the
            # steps and at both ends of x
            for m in (m1, m2):
                for at in (x[0], (m1 + m2) / 2, x[-1]):
                    s = 1 / (1 + np.exp(-k * (at - m)))
                    assert min(s, 1 - s) < 0.05, (secret, m, at)
            target = a01_towers.tower_target(a, b, c, k, m1, m2)
            w1, b1, w2, b2 = a01_tower_weights(a, b, c, k, m1, m2)
            assert np.allclose(_tower_net(w1, b1, w2, b2, x), target, atol=1e-8)
            # the wrong-sign mistake is far outside the tolerance, so its hint can name it
            wrong = _tower_net(w1, -b1, w2, b2, x)
            assert np.max(np.abs(wrong - target)) > 0.5, secret


def test_hidden_separable_sets_are_separable_within_the_epochs(monkeypatch):
    visible = a01_perceptron.separable_sets(False)
    for secret in SWEEP:
        monkeypatch.setenv("DLCORE_GRADING_SECRET", secret)
        sets = a01_perceptron.separable_sets(True)
        assert len(sets) == 3
        for X, y in sets:
            assert X.shape[0] >= 15 and set(y.tolist()) == {-1, 1}, secret
            assert not any(X.shape == V.shape and np.allclose(X, V) for V, _ in visible)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # must converge: no warning
                w, errors = a01_train(X, y, max_epochs=200)
            assert errors[-1] == 0 and len(errors) <= 150, (secret, len(errors))


def test_hidden_xor_epoch_counts_spread_over_a_small_range(monkeypatch):
    counts = []
    for secret in SWEEP:
        monkeypatch.setenv("DLCORE_GRADING_SECRET", secret)
        counts.append(a01_perceptron.xor_epochs(True))
    assert min(counts) >= 16 and max(counts) <= 40  # never the visible 15
    assert len(set(counts)) >= 20
    assert a01_perceptron.xor_epochs(False) == 15


# The comparisons above can fail: a generator that ignores the secret is caught.
def _without_secret(seed, hidden):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("name, module", [
    ("a01 tower_weights", a01_towers), ("a01 train_perceptron xor", a01_perceptron),
    ("a01 train_perceptron separable", a01_perceptron)])
def test_a_hidden_case_that_ignores_the_secret_is_caught(name, module, monkeypatch):
    monkeypatch.setattr(module, "case_rng", _without_secret)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    a = GENERATORS[name](True)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_B)
    assert _same(a, GENERATORS[name](True))  # test_another_secret_gives_other_hidden_inputs fails


def test_literal_hidden_towers_are_caught(monkeypatch):
    monkeypatch.setattr(a01_towers, "tower_cases", lambda hidden: [
        (1.0, 0.5, -2.0, 12.0, -1.0, 2.0), (-3.0, 2.0, 1.0, 6.0, 0.0, 3.0)] if hidden
        else [(2.0, -1.0, 4.0, 8.0, -0.5, 1.5)])
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_A)
    a = GENERATORS["a01 tower_weights"](True)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", SECRET_B)
    assert _same(a, GENERATORS["a01 tower_weights"](True))

# -- where the secret comes from ----------------------------------------------------------------
def test_the_secret_file_is_created_private_on_first_use(no_secret):
    first = case_rng(7, hidden=True).random(4)
    path = no_secret / "config" / "dlcore" / "grading-secret"
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}", path.read_text().strip())
    assert grading_secret() == path.read_text().strip()
    assert np.array_equal(first, case_rng(7, hidden=True).random(4))  # kept, not redrawn
    assert not list((no_secret / "home").iterdir())


def test_without_xdg_config_home_the_secret_is_in_home_config(no_secret, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    secret = grading_secret()
    path = no_secret / "home" / ".config" / "dlcore" / "grading-secret"
    assert path.read_text().strip() == secret
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_environment_variable_overrides_the_file(no_secret, monkeypatch):
    path = no_secret / "shared-secret"
    path.write_text("the secret in the file\n")
    monkeypatch.setenv("DLCORE_GRADING_SECRET_FILE", str(path))
    assert grading_secret() == "the secret in the file"
    from_file = count_cases(True)
    monkeypatch.setenv("DLCORE_GRADING_SECRET", "the secret in the environment")
    assert grading_secret() == "the secret in the environment"
    assert not _same(from_file, count_cases(True))
    monkeypatch.setenv("DLCORE_GRADING_SECRET", "the secret in the file")
    assert _same(from_file, count_cases(True))  # the secret decides, not where it came from
    assert path.read_text() == "the secret in the file\n"
    assert not (no_secret / "config").exists()  # no default file was created


def test_a_named_secret_file_that_is_missing_is_an_error(no_secret, monkeypatch):
    """A typo or an unmounted share must not silently grade with a new secret."""
    missing = no_secret / "share" / "grading-secret"
    monkeypatch.setenv("DLCORE_GRADING_SECRET_FILE", str(missing))
    with pytest.raises(FileNotFoundError, match="DLCORE_GRADING_SECRET_FILE"):
        case_rng(1, hidden=True)
    assert not missing.exists()


# -- no hidden case is drawn from a seed of the package alone -----------------------------------
GRADING = Path(dlcore.grading.__file__).resolve().parent

# The only default_rng calls left in dlcore/grading, and why none draws a hidden input from a
# seed of the package: (file, enclosing function) -> reason.
ALLOWED_DEFAULT_RNG = {
    ("_core.py", "variant_rng"): "per-student numbers, seeded by the student id",
    ("_core.py", "case_rng"): "the visible branch, and the hidden one seeded by the secret",
    ("a03_optimizers/dropout.py", "_drop_apply"): "the mask generator handed to the student's "
                                                  "dropout_forward, seeded by the case's mask "
                                                  "seed (_mask_seed: from case_rng when hidden)",
    ("a03_optimizers/dropout.py", "_u"): "the same mask, for the catalogued mistakes",
    ("a03_optimizers/dropout.py", "_drop_ref"): "the same mask, for the reference",
    ("a03_optimizers/dropout.py", "_drop_gradients"): "the same mask, for the reference",
}


def _calls_in(node, where: str, name: str):
    """(enclosing function, call) of every call of ``name`` under ``node``."""
    for child in ast.iter_child_nodes(node):
        func = getattr(child, "func", None)
        if isinstance(child, ast.Call) and getattr(func, "attr", getattr(func, "id", None)) \
                == name:
            yield where, child
        inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
            else where
        yield from _calls_in(child, inner, name)


def _default_rng_calls() -> list[tuple[str, str, ast.Call]]:
    """(file, enclosing function, call) of every ``default_rng(...)`` in dlcore/grading."""
    return [(path.relative_to(GRADING).as_posix(), where, call)
            for path in sorted(GRADING.rglob("*.py"))
            for where, call in _calls_in(ast.parse(path.read_text(encoding="utf-8")),
                                         "<module>", "default_rng")]


def test_every_remaining_default_rng_is_listed_with_its_reason():
    calls = _default_rng_calls()
    assert {(f, fn) for f, fn, _ in calls} == set(ALLOWED_DEFAULT_RNG)


def test_no_assignment_seeds_a_generator_with_a_constant():
    """``default_rng(101)`` or ``default_rng(4201 if hidden else 4200)`` in an assignment
    module would draw cases any student can compute; such seeds go through case_rng."""
    bad = [f"{f}:{call.lineno} ({fn})" for f, fn, call in _default_rng_calls()
           if f.startswith("a0") and _seeded_with_a_constant(call)]
    assert not bad, bad


def _seeded_with_a_constant(call: ast.Call) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, (int, float))
               for arg in call.args + call.keywords for n in ast.walk(arg))


@pytest.mark.parametrize("source, flagged", [
    ("rng = np.random.default_rng(101)", True),
    ("def f(hidden):\n    rng = np.random.default_rng(4301 if hidden else 4300)", True),
    ("def f(hidden):\n    return default_rng(3110 + int(hidden))", True),
    ("def f(x, seed):\n    return f(x, rng=np.random.default_rng(seed))", False),
    ("rng = case_rng(101, hidden=True)", None),
])
def test_the_scan_finds_a_planted_constant_seed(source, flagged):
    """(A seed passed down as a variable is not a constant: the list above catches that.)"""
    calls = list(_calls_in(ast.parse(source), "<module>", "default_rng"))
    assert [_seeded_with_a_constant(c) for _, c in calls] == ([] if flagged is None
                                                               else [flagged])


def test_data_sets_of_the_checks_are_drawn_through_case_rng():
    """The data the checks generate (moons, sine sequences...) get ``seed=case_rng(...)``, and
    no module reaches numpy's generators in a way the scan above would miss."""
    for path in sorted(GRADING.glob("a0*/*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.keyword) and node.arg == "seed":
                value = node.value
                assert isinstance(value, ast.Call) and getattr(value.func, "id", "") == \
                    "case_rng", f"{path.name}:{value.lineno}"
        assert "RandomState" not in source and "np.random.seed" not in source, path
        assert not re.search(r"import .*default_rng|from numpy\.random import", source), path
