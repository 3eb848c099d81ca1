"""Self-checks 07.1-07.5 and 08.1-08.5: right answers pass, catalogued mistakes get their hint.

Right answers are derived here by hand (numbers from the syllabus or written-out formulas),
not read from the checkers.
"""

import numpy as np
import pytest

import dlcore as dl

IDS_07 = [f"07.{k}" for k in range(1, 6)]
IDS_08 = [f"08.{k}" for k in range(1, 6)]


def _verdict(exercise_id, answer, capsys):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out


def _softmax_ok(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_naive(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_wrong_axis(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=0, keepdims=True)


def _softmax_unnormalised(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z - z.max(axis=-1, keepdims=True))


RIGHT = {
    "07.1": 0.731058578630 * (1 - 0.731058578630),
    "07.2": [0.5, 0.25, 0.0, 0.0],
    "07.3": _softmax_ok,
    "07.4": -np.log(np.exp(3) / (np.exp(1) + np.exp(2) + np.exp(3))),
    "07.5": 0.25 ** 10,
    "08.1": 785 * 100 + 101 * 10,
    "08.2": [0.1, 0.4],
    "08.3": [3 * v - 1 for v in (np.array([-3.0, -1.0, 1.0, 3.0]) / np.sqrt(5.0))],
    "08.4": np.sqrt(2 / 256),
    "08.5": (3.0, 0.5),
}

WRONG = [
    ("07.1", 0.731059, "sigma(1) itself"),
    ("07.1", 1 - np.tanh(1.0) ** 2, "slope of tanh"),
    ("07.1", 0.25, "z = 0"),
    ("07.1", 0.3, "sigma(z) (1 - sigma(z))"),
    ("07.2", [0.5, 0.25, 0.5, 0.0], "max(0, 1 - y * y_hat)"),
    ("07.2", [0.5, 0.5, 0.0, 0.0], "squares the difference"),
    ("07.2", [0.5, 0.25, 0.0, 1.0], "sign of the label"),
    ("07.2", [0.4, 0.25, 0.0, 0.0], "L1 and L2"),
    ("07.3", _softmax_naive, "Subtract the maximum"),
    ("07.3", _softmax_wrong_axis, "each ROW must sum to 1"),
    ("07.3", _softmax_unnormalised, "sum to 1"),
    ("07.3", np.tanh, "sum to 1"),
    ("07.3", 0.5, "the function itself"),
    ("07.4", -np.log(np.exp(1) / (np.exp(1) + np.exp(2) + np.exp(3))), "TRUE class"),
    ("07.4", np.exp(3) / (np.exp(1) + np.exp(2) + np.exp(3)), "negative logarithm"),
    ("07.4", -np.log10(np.exp(3) / (np.exp(1) + np.exp(2) + np.exp(3))), "log10"),
    ("07.5", 2.5, "multiplies"),
    ("07.5", 1.0, "tanh"),
    ("07.5", 0.25, "ten in all"),
    ("07.5", 3.9013e-7, "actually reaches"),
    ("08.1", 784 * 100 + 100 * 10, "weights only"),
    ("08.1", 110, "number of units"),
    ("08.1", 78_400, "first layer"),
    ("08.2", [0.9, 0.6], "keep probabilities"),
    ("08.2", [0.4, 0.1], "wrong order"),
    ("08.3", [-v + 3 for v in (np.array([-3.0, -1.0, 1.0, 3.0]) / np.sqrt(5.0))], "swapped"),
    ("08.3", [3 * v - 1 for v in (np.array([-3.0, -1.0, 1.0, 3.0]) / np.std([2, 4, 6, 8],
                                                                             ddof=1))],
     "biased variance"),
    ("08.3", np.array([-3.0, -1.0, 1.0, 3.0]) / np.sqrt(5.0), "apply the scale"),
    ("08.4", 2 / 256, "variance"),
    ("08.4", np.sqrt(2 / 384), "Xavier"),
    ("08.4", np.sqrt(2 / 128), "INPUTS"),
    ("08.4", np.sqrt(1 / 256), "doubles"),
    ("08.5", (0.5, 3.0), "swapped"),
    ("08.5", (0.0, 1.0), "Not yet"),
]


@pytest.mark.lec07
@pytest.mark.parametrize("exercise_id", IDS_07)
def test_lec07_right_answers_pass(exercise_id, capsys):
    ok, out = _verdict(exercise_id, RIGHT[exercise_id], capsys)
    assert ok, out
    assert "Correct" in out


@pytest.mark.lec08
@pytest.mark.parametrize("exercise_id", IDS_08)
def test_lec08_right_answers_pass(exercise_id, capsys):
    ok, out = _verdict(exercise_id, RIGHT[exercise_id], capsys)
    assert ok, out


@pytest.mark.lec07
@pytest.mark.lec08
@pytest.mark.parametrize("exercise_id, answer, hint", WRONG,
                         ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_catalogued_mistakes_get_their_hint(exercise_id, answer, hint, capsys):
    ok, out = _verdict(exercise_id, answer, capsys)
    assert not ok
    assert hint in out
    right = RIGHT[exercise_id]
    if not callable(right):  # hints never reveal the expected value
        for v in np.atleast_1d(np.asarray(right, dtype=float)):
            if v != round(v) and v != 0.5:  # integers and 1/2 appear in the questions
                assert f"{v:.4f}" not in out and f"{v:.4g}" not in out



def _chain_slope_product(z1, depth=10):
    """sigma'(z_1) ... sigma'(z_depth) along a chain of unit weights, z_{i+1} = sigma(z_i)."""
    z, product = np.asarray(z1, dtype=float), 1.0
    for _ in range(depth):
        s = 1.0 / (1.0 + np.exp(-z))
        product = product * s * (1.0 - s)
        z = s
    return product


@pytest.mark.lec07
def test_07_5_asks_for_a_bound_that_the_chain_does_not_reach():
    z1 = np.linspace(-20.0, 20.0, 400_001)
    products = _chain_slope_product(z1)
    best = products.max()
    assert best < 0.25 ** 10  # the bound is a supremum over free z_i, not reached here
    text = dl.selfcheck.exercises()["07.5"].solution
    assert "9.54" in text and f"{best:.2e}".replace("e-07", "") in text  # 3.90
    assert f"{z1[products.argmax()]:.2f}" in text                         # -0.16
    assert f"{best / 0.25 ** 10:.0%}".replace("%", " %") in text         # 41 %
    assert "supremum" in text


@pytest.mark.lec07
def test_a_malformed_answer_is_reported(capsys):
    ok, out = _verdict("07.2", [0.5, 0.25], capsys)
    assert not ok and "expected 4 numbers" in out
    ok, out = _verdict("07.3", lambda z: z[None], capsys)
    assert not ok and "same shape" in out


# Your turn 07.6 and 07.7 (lecture 7): torch agrees, unstable versions are caught -------------

def test_07_6_and_07_7_torch_cross_entropy_with_probability_targets_passes(capsys):
    torch = pytest.importorskip("torch")

    def loss_and_grad(logits, targets):
        z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(z, torch.tensor(targets, dtype=torch.float64))
        loss.backward()
        return loss.item(), z.grad.numpy()

    ok, out = _verdict("07.6", lambda z, t: loss_and_grad(z, t)[0], capsys)
    assert ok, out
    ok, out = _verdict("07.7", lambda z, t: loss_and_grad(z, t)[1], capsys)
    assert ok, out


def test_07_6_unstable_cross_entropies_fail_on_the_large_logits(capsys):
    def naive(logits, targets):  # exp of the raw logits
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return float(-(targets * np.log(p)).sum(axis=1).mean())

    def log_of_softmax(logits, targets):  # stable softmax, but log(0) = -inf
        return float(-(targets * np.log(_softmax_ok(logits))).sum(axis=1).mean())

    with np.errstate(all="ignore"):
        ok, out = _verdict("07.6", naive, capsys)
        assert not ok and "large logits (exp(1000) overflows)" in out and "nan" in out
        ok, out = _verdict("07.6", log_of_softmax, capsys)
    assert not ok and "softmax rounds the true class to 0" in out and "inf" in out
    assert "the correct result is 1000" in out  # -log softmax([0, 1000])[0]


def test_07_7_a_gradient_without_the_mean_gets_its_hint(capsys):
    ok, out = _verdict("07.7", lambda z, t: _softmax_ok(z) - t, capsys)
    assert not ok and "divided by N" in out and "a batch of 2" in out


def test_hint_ladders_of_lecture_7(capsys, monkeypatch):
    from dlcore.selfcheck import _registry as R

    monkeypatch.setattr(R, "_HINTS_SHOWN", {})
    for exercise_id in [f"07.{k}" for k in range(1, 8)]:
        n = len(dl.selfcheck.exercises()[exercise_id].hints)
        assert 2 <= n <= 4, exercise_id
        for k in range(1, n + 1):
            dl.hint(exercise_id)
            assert f"Hint {k} of {n} for {exercise_id}" in capsys.readouterr().out
        dl.hint(exercise_id)
        assert "here is the worked solution" in capsys.readouterr().out
