"""Hidden inputs are secret: every hidden case of the assignments is drawn from the instructor's
grading secret (``case_rng(seed, hidden=True)``), so the seeds that ship in the package do not
give them; visible cases are ``np.random.default_rng(seed)``, the same with or without a secret."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import dlcore.grading
from dlcore.grading import a01_neurons_perceptron as a01
from dlcore.grading._core import case_rng, grading_secret
from dlcore.grading.a04_cnn.backward import backward_cases
from dlcore.grading.a04_cnn.pooling import pool_cases
from dlcore.grading.a05_rnn_lstm.clipping import norm_cases
from dlcore.grading.a05_rnn_lstm.counts import count_cases
from dlcore.grading.a05_rnn_lstm.rnn import rnn_cases

pytestmark = pytest.mark.setup

SECRET_A, SECRET_B = "one class's secret", "another class's secret"


def _a01_inputs(exercise: str):
    """The inputs a correct mp_neuron / perceptron_step receives from A1's checks (a spy)."""
    seen = []

    def mp_neuron(x, threshold, inhibitory=()):
        seen.append((np.array(x, dtype=float), threshold, tuple(inhibitory)))
        x = np.asarray(x)
        return 0 if any(x[i] for i in inhibitory) else int(x.sum() >= threshold)

    def perceptron_step(w, x, y):
        seen.append((np.array(w, dtype=float), np.array(x, dtype=float), y))
        w = np.asarray(w, dtype=float)
        return w + y * np.asarray(x, dtype=float) if (1 if w @ x >= 0 else -1) != y else w.copy()

    def cases(hidden: bool):
        seen.clear()
        ns = {"mp_neuron": mp_neuron, "perceptron_step": perceptron_step}
        a01.checker(ns)(exercise, "values", hidden=hidden)  # a correct answer passes
        return list(seen)
    return cases


# Case generators whose hidden inputs are compared: A1's through its checker, A4's and A5's
# through their public case functions.
GENERATORS = {"a01 mp_neuron": _a01_inputs("mp_neuron"),
              "a01 perceptron_step": _a01_inputs("perceptron_step"),
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
