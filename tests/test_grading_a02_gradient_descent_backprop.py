"""A2's grading module without nbgrader: the references reproduce the lectures' numbers, a
correct namespace passes every part, each catalogued mistake gets its hint (never the expected
value), and delegation to dlcore's reference scores 0."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from dlcore.grading import GradingError, IntegrityError
from dlcore.grading import a02_gradient_descent_backprop as a02
from dlcore.grading.a02_gradient_descent_backprop.chain import chain_reference
from dlcore.grading.a02_gradient_descent_backprop.descent import toy_optimum_reference
from dlcore.grading.a02_gradient_descent_backprop.neuron import toy_grad_reference
from tests.grading_harness import leaked_secrets

pytestmark = [pytest.mark.lec04, pytest.mark.lec06, pytest.mark.lec07]


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _gd(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for _ in range(steps):
        theta = theta - lr * np.asarray(grad_fn(theta.copy()))
        path.append(theta.copy())
    return np.array(path)


def _toy_grad(w, b, X, Y):
    f = _sig(w * X + b)
    d = (f - Y) * f * (1 - f)
    return float(np.sum(d * X)), float(np.sum(d))


def _chain_grads(x, y, w1, b1, w2, w3):
    f1 = _sig(w1 * x + b1)
    f2 = _sig(w2 * f1)
    f3 = _sig(w3 * f2)
    d3 = (f3 - y) * f3 * (1 - f3)
    d2 = d3 * w3 * f2 * (1 - f2)
    d1 = d2 * w2 * f1 * (1 - f1)
    return d1 * x, d1, d2 * f1, d3 * f2


def _ce(logits, labels):
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    d = np.exp(log_p)
    d[np.arange(n), labels] -= 1
    return -np.mean(log_p[np.arange(n), labels]), d / n


def _optimum(X, Y):
    z = np.log(Y / (1 - Y))
    w = (z[1] - z[0]) / (X[1] - X[0])
    return w, z[0] - w * X[0]


@pytest.fixture(scope="module")
def trained_model():
    X, y = dl.data.moons(n_samples=400, noise=0.2, seed=0)
    model = dl.nn.MLP([2, 16, 2], activation="relu", rng=0)
    dl.nn.fit(model, X, y, lr=0.5, num_epochs=1000, progress=False)
    return model


@pytest.fixture
def ns(trained_model):
    """A correct student, written independently of the grading module's references."""
    return {
        "squared_error": lambda a, b: 0.5 * float(np.sum((np.asarray(a) - b) ** 2)),
        "mse": lambda a, b: float(np.mean((np.asarray(a) - b) ** 2)),
        "toy_loss": lambda w, b, X, Y: 0.5 * float(np.sum((Y - _sig(w * X + b)) ** 2)),
        "toy_grad": _toy_grad,
        "gradient_descent": _gd,
        "toy_optimum": _optimum,
        "chain_forward": lambda x, w1, b1, w2, w3: _sig(w3 * _sig(w2 * _sig(w1 * x + b1))),
        "chain_grads": _chain_grads,
        "linear_forward": lambda x, w, b: (x @ w.T + b, (x, w)),
        "linear_backward": lambda dout, c: (dout @ c[1], dout.T @ c[0], dout.sum(axis=0)),
        "softmax_cross_entropy": _ce,
        "model": trained_model,
        "ANSWER_8": "d",
    }


PARTS = [(ex, part) for ex, e in a02.ASSIGNMENT.exercises.items() for part in e.parts]


# -- the references against the lectures' numbers and independent derivations ----------------
def test_chain_reference_reproduces_the_lecture_example():
    y_hat, loss, dw1, db1, dw2, dw3 = chain_reference(1.0, 1.0, 0.5, 0.0, -1.0, 2.0)
    assert y_hat == pytest.approx(0.667843, abs=5e-7)
    assert loss == pytest.approx(0.0551642, abs=5e-8)
    assert (dw3, dw2) == (pytest.approx(-0.0257314, abs=5e-8), pytest.approx(-0.0208467, abs=5e-8))
    assert dw1 == db1 == pytest.approx(0.0078705, abs=5e-8)


def test_toy_references_match_the_lecture_and_central_differences():
    X, Y = dl.data.two_point_toy()
    assert toy_grad_reference(0.5, 0.0, X, Y) == (pytest.approx(-0.008528, abs=5e-7),
                                                 pytest.approx(0.067904, abs=5e-7))
    w, b = toy_optimum_reference(X, Y)
    assert (w, b) == (pytest.approx(np.log(6)), pytest.approx(-np.log(4) - 0.5 * np.log(6)))
    rng = np.random.default_rng(0)
    for _ in range(5):
        theta = rng.uniform(-2, 2, size=2)
        num = dl.gradcheck.numerical_gradient(
            lambda t: dl.losses.squared_error(dl.activations.sigmoid(t[0] * X + t[1]), Y), theta)
        assert dl.gradcheck.rel_error(np.array(toy_grad_reference(*theta, X, Y)), num) < 1e-7


def test_the_exercise_toy_is_not_the_lecture_toy():
    X, Y = dl.data.two_point_toy()
    assert not np.array_equal(a02.TOY_X, X) and not np.array_equal(a02.TOY_Y, Y)


# -- a correct namespace passes everything ----------------------------------------------------
@pytest.mark.parametrize("exercise, part", PARTS)
def test_correct_answers_pass_visible_and_hidden(ns, exercise, part, capsys):
    check = a02.checker(ns)
    check(exercise, part)
    check(exercise, part, hidden=True)
    out = capsys.readouterr().out
    assert "visible case passed" in out and "hidden cases passed" in out


# -- catalogued mistakes get their hint -------------------------------------------------------
def _gd_sequential(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for _ in range(steps):
        theta[0] -= lr * grad_fn(theta)[0]       # w first ...
        theta[1:] -= lr * grad_fn(theta)[1:]     # ... then b at the new w
        path.append(theta.copy())
    return np.array(path)


def _gd_aliased(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(steps):
        theta -= lr * grad_fn(theta)
        path.append(theta)
    return np.array(path)


def _chain_eta(x, y, w1, b1, w2, w3, eta=0.1):
    return tuple(eta * g for g in _chain_grads(x, y, w1, b1, w2, w3))


def _chain_slope_of_input(x, y, w1, b1, w2, w3):
    a1 = w1 * x + b1
    a2 = w2 * _sig(a1)
    a3 = w3 * _sig(a2)
    d3 = (_sig(a3) - y) * a3 * (1 - a3)
    d2 = d3 * w3 * a2 * (1 - a2)
    d1 = d2 * w2 * a1 * (1 - a1)
    return d1 * x, d1, d2 * _sig(a1), d3 * _sig(a2)


def _ce_naive(logits, labels):
    n = logits.shape[0]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    d = p.copy()
    d[np.arange(n), labels] -= 1
    return -np.mean(np.log(p[np.arange(n), labels])), d / n


def _ce_log_of_p(logits, labels):
    return _ce_naive(logits - logits.max(axis=1, keepdims=True), labels)


def _ce_sum(logits, labels):
    loss, d = _ce(logits, labels)
    return loss * logits.shape[0], d


def _ce_grad_not_mean(logits, labels):
    loss, d = _ce(logits, labels)
    return loss, d * logits.shape[0]


MISTAKES = [
    ("losses", "squared_error", {"squared_error": lambda a, b: float(np.mean((a - b) ** 2))},
     "off by a factor of 2/N"),
    ("losses", "squared_error", {"squared_error": lambda a, b: float(np.sum((a - b) ** 2))},
     "off by a factor of 2: "),
    ("losses", "squared_error",
     {"squared_error": lambda a, b: 0.5 * ((a - b).ravel()[0]) ** 2
      + float(np.sum(((a - b).ravel()[1:]) ** 2))}, "only the first square"),
    ("losses", "mse", {"mse": lambda a, b: 0.5 * float(np.sum((a - b) ** 2))},
     "off by a factor of N/2"),
    ("toy", "loss", {"toy_loss": lambda w, b, X, Y: float(np.mean((Y - _sig(w * X + b)) ** 2))},
     "mean of the squares"),
    ("toy", "gradients", {"toy_grad": lambda w, b, X, Y: (
        float(np.sum((_sig(w * X + b) - Y) * X)), float(np.sum(_sig(w * X + b) - Y)))},
     "f(x)(1 - f(x)) is missing"),
    ("toy", "gradients", {"toy_grad": lambda w, b, X, Y: (_toy_grad(w, b, X, Y)[0],) * 2},
     "db has a factor x"),
    ("toy", "gradients", {"toy_grad": lambda w, b, X, Y: tuple(-g for g in _toy_grad(w, b, X, Y))},
     "the sign is flipped"),
    ("gradient_descent", "values", {"gradient_descent": _gd_sequential},
     "the update is not simultaneous"),
    ("gradient_descent", "values",
     {"gradient_descent": lambda g, t0, lr, s: _gd(lambda t: -np.asarray(g(t)), t0, lr, s)},
     "gradient ASCENT"),
    ("gradient_descent", "values", {"gradient_descent": _gd_aliased}, "store a copy"),
    ("gradient_descent", "shape", {"gradient_descent": lambda g, t0, lr, s: _gd(g, t0, lr, s)[1:]},
     "one row short"),
    ("gradient_descent", "optimum", {"toy_optimum": lambda X, Y: tuple(-v for v in _optimum(X, Y))},
     "the signs are flipped"),
    ("gradient_descent", "optimum", {"toy_optimum": lambda X, Y: (
        (Y[1] - Y[0]) / (X[1] - X[0]), Y[0] - (Y[1] - Y[0]) / (X[1] - X[0]) * X[0])},
     "logit(y_i)"),
    ("chain", "gradients", {"chain_grads": _chain_eta}, "learning rate sits inside the derivative"),
    ("chain", "gradients", {"chain_grads": lambda *a: tuple(-g for g in _chain_grads(*a))},
     "wrong sign"),
    ("chain", "gradients", {"chain_grads": _chain_slope_of_input}, "the unit's OUTPUT"),
    ("chain", "forward", {"chain_forward": lambda x, w1, b1, w2, w3:
                          w3 * _sig(w2 * _sig(w1 * x + b1))}, "output unit is a sigmoid"),
    ("linear", "shape", {"linear_forward": lambda x, w, b: (x @ w + b, (x, w))},
     "w and w.T are swapped"),
    ("linear", "values", {"linear_forward": lambda x, w, b: (x @ w + b, (x, w))},
     "w and w.T are swapped"),
    ("linear", "shape", {"linear_forward": lambda x, w, b: (w @ x.T + b[:, None], (x, w))},
     "batch first"),
    ("linear", "values", {"linear_forward": lambda x, w, b: (x @ w.T, (x, w))},
     "bias b is missing"),
    ("linear", "gradients", {"linear_backward": lambda d, c: (d @ c[1], c[0].T @ d, d.sum(axis=0))},
     "dw is transposed"),
    ("linear", "gradients", {"linear_backward": lambda d, c: (d @ c[1], d.T @ c[0], d.sum(axis=1))},
     "db is summed over the wrong axis"),
    ("linear", "gradients", {"linear_backward": lambda d, c: (d @ c[1], d.T @ c[0], d)},
     "summed over the batch"),
    ("softmax_ce", "values", {"softmax_cross_entropy": _ce_sum}, "SUM over the batch"),
    ("softmax_ce", "gradients", {"softmax_cross_entropy": _ce_grad_not_mean}, "divide by N"),
    ("softmax_ce", "stable", {"softmax_cross_entropy": _ce_naive}, "logits near 1000 overflow"),
    ("softmax_ce", "stable", {"softmax_cross_entropy": _ce_log_of_p}, "underflows to 0"),
    ("moons", "target", {"model": lambda X: np.zeros(len(X), dtype=int)}, "about one class"),
    ("multiple_choice", "answer", {"ANSWER_8": "a"}, "(a) descends"),
    ("multiple_choice", "answer", {"ANSWER_8": "c"}, "(c) descends"),
    ("multiple_choice", "answer", {"ANSWER_8": "ascent"}, "must be one letter"),
]


@pytest.mark.parametrize("exercise, part, replace, hint", MISTAKES,
                         ids=[f"{m[0]}-{m[1]}-{m[3][:20]}" for m in MISTAKES])
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
def test_catalogued_mistake_gets_its_hint_and_no_expected_value(ns, exercise, part, replace,
                                                                  hint, hidden, tmp_path,
                                                                  monkeypatch):
    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    ns.update(replace)
    with np.errstate(all="ignore"), pytest.raises(GradingError) as err:
        a02.checker(ns)(exercise, part, hidden=hidden)
    message = str(err.value)
    assert hint in message
    assert not leaked_secrets(message, secrets)


def test_a_linear_boundary_on_moons_gets_the_nonlinearity_hint(ns):
    X, y = dl.data.moons(n_samples=400, noise=0.2, seed=0)
    linear = dl.nn.MLP([2, 2], rng=0)
    dl.nn.fit(linear, X, y, lr=0.5, num_epochs=300, progress=False)
    ns["model"] = linear
    for part in ("nonlinear", "target"):
        with pytest.raises(GradingError, match="straight boundary"):
            a02.checker(ns)("moons", part, hidden=True)


def test_toy_grad_of_a_wrong_loss_points_at_the_loss(ns):
    # a consistent pair for the wrong loss 3/2 sum (y - f)^2: its gradient is 3 times the true one
    ns["toy_loss"] = lambda w, b, X, Y: 1.5 * float(np.sum((Y - _sig(w * X + b)) ** 2))
    ns["toy_grad"] = lambda w, b, X, Y: tuple(3.0 * g for g in _toy_grad(w, b, X, Y))
    with pytest.raises(GradingError, match="fix toy_loss first"):
        a02.checker(ns)("toy", "gradients")


def test_softmax_must_return_a_pair_and_linear_a_triple(ns):
    ns["softmax_cross_entropy"] = lambda z, y: _ce(z, y)[0]
    with pytest.raises(GradingError, match=r"pair \(loss, dlogits\)"):
        a02.checker(ns)("softmax_ce", "values")
    ns["linear_backward"] = lambda d, c: (d @ c[1], d.T @ c[0])
    with pytest.raises(GradingError, match=r"triple \(dx, dw, db\)"):
        a02.checker(ns)("linear", "gradients")


# -- delegation, missing names ----------------------------------------------------------------
DELEGATIONS = [
    ("losses", "squared_error", {"squared_error": lambda a, b: dl.losses.squared_error(a, b)},
     "squared_error"),
    ("losses", "mse", {"mse": lambda a, b: dl.losses.mse_forward(a, b)[0]}, "mse_forward"),
    ("toy", "gradients", {"toy_grad": lambda w, b, X, Y: tuple(dl.gradcheck.numerical_gradient(
        lambda t: 0.5 * np.sum((Y - _sig(t[0] * X + t[1])) ** 2), np.array([w, b], float)))},
     "numerical_gradient"),
    ("gradient_descent", "values",
     {"gradient_descent": lambda g, t0, lr, s: dl.optim.trajectory("gd", g, t0, s, lr=lr)},
     "trajectory"),
    ("chain", "gradients", {"chain_grads": lambda *a: chain_reference(*a)[2:]}, "backward"),
    ("linear", "values", {"linear_forward": lambda x, w, b: dl.layers.linear_forward(x, w, b)},
     "linear_forward"),
    ("linear", "gradients",
     {"linear_backward": lambda d, c: dl.layers.linear_backward(d, (c[0], c[1], True))},
     "linear_backward"),
    ("softmax_ce", "stable", {"softmax_cross_entropy": lambda z, y: (
        dl.losses.softmax_cross_entropy(z, y), _ce(z, y)[1])}, "softmax_cross_entropy"),
    ("softmax_ce", "values", {"softmax_cross_entropy": lambda z, y: (
        -np.mean(dl.activations.log_softmax(z)[np.arange(len(y)), y]), _ce(z, y)[1])},
     "log_softmax"),
]


@pytest.mark.parametrize("exercise, part, replace, culprit", DELEGATIONS,
                         ids=[f"{d[0]}-{d[3]}" for d in DELEGATIONS])
def test_delegation_to_the_reference_scores_zero(ns, exercise, part, replace, culprit):
    ns.update(replace)
    with pytest.raises(IntegrityError, match=culprit):
        a02.checker(ns)(exercise, part)


def test_missing_renamed_and_unanswered_names(ns):
    ns["gradient_decent"] = ns.pop("gradient_descent")
    with pytest.raises(GradingError, match="Did you rename it.*gradient_decent"):
        a02.checker(ns)("gradient_descent", "values")
    ns["model"] = ...
    with pytest.raises(GradingError, match="model is not answered yet"):
        a02.checker(ns)("moons", "nonlinear")
    ns["model"] = "a string"
    with pytest.raises(GradingError, match="dlcore.nn.Module"):
        a02.checker(ns)("moons", "nonlinear")


def test_not_implemented_is_reported(ns):
    def toy_loss(w, b, X, Y):
        raise NotImplementedError()

    ns["toy_loss"] = toy_loss
    with pytest.raises(GradingError, match="not implemented yet"):
        a02.checker(ns)("toy", "loss")


def test_a_failing_student_function_shows_its_own_error(ns):
    ns["linear_forward"] = lambda x, w, b: (x @ w[:, :1].T, None)
    with pytest.raises(GradingError, match="calling linear_forward raised ValueError"):
        a02.checker(ns)("linear", "shape")
