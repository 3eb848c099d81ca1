"""Self-checks 01.1-01.4, 02.1-02.7, 03.1-03.7: right answers pass and catalogued mistakes get
their hint (what every exercise shares is in ``test_selfcheck_registry.py``).

Expected values are derived here independently (the syllabus numbers, hand counts, a
hand-written perceptron loop), not taken from the checkers.
"""

import numpy as np
import pytest

import dlcore as dl
from tests.selfcheck_helpers import climb_hint_ladder

IDS = ["01.1", "01.2", "01.3", "01.4", "02.1", "02.2", "02.3", "02.4", "02.5",
       "03.1", "03.2", "03.3", "03.4"]
lec02 = pytest.mark.lec02
lec03 = pytest.mark.lec03


def verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out


def perceptron_mistakes(X, y, sign, max_epochs=100):
    """Hand-written perceptron: total mistakes until a clean epoch (sign = the sign function)."""
    w, total = np.zeros(X.shape[1]), 0
    for _ in range(max_epochs):
        wrong = 0
        for x, label in zip(X, y):
            if sign(w @ x) != label:
                w, wrong = w + label * x, wrong + 1
        total += wrong
        if not wrong:
            break
    return total


def sign_plus(z):
    return 1 if z >= 0 else -1



# ---- lecture 1 ------------------------------------------------------------------------------

def test_01_1_error_ratio(capsys):
    assert verdict(capsys, "01.1", 16.0 / 3.6)[0]
    assert verdict(capsys, "01.1", 4.44)[0]
    for wrong, hint in ((3.6 / 16.0, "inverted"), (12.4, "percentage points"),
                        (19.0, "depths"), (5.0, "divide")):
        ok, out = verdict(capsys, "01.1", wrong)
        assert not ok and hint in out
    ok, out = verdict(capsys, "01.1", [1.0, 2.0])
    assert not ok and "could not be checked" in out


def test_01_2_backprop_credit(capsys):
    assert verdict(capsys, "01.2", "b")[0]
    assert verdict(capsys, "01.2", " B ")[0]
    for wrong, hint in (("a", "three authors"), ("c", "1986 paper"), ("d", "limits of perceptrons"),
                        ("ab", "exactly one")):
        ok, out = verdict(capsys, "01.2", wrong)
        assert not ok and hint in out


def test_01_3_ingredients(capsys):
    for right in ("acd", ["a", "c", "d"], {"D", "C", "A"}, "a, c, d"):
        assert verdict(capsys, "01.3", right)[0]
    for wrong, hint in (("abcd", "not new"), ("acde", "iteration"), ("ac", "missing"),
                        ("xyz", "letters a to e")):
        ok, out = verdict(capsys, "01.3", wrong)
        assert not ok and hint in out


def test_01_4_relative_reduction(capsys):
    err = {"ZFNet": (16.0 - 11.2) / 16.0, "VGGNet": (11.2 - 7.3) / 11.2,
           "GoogLeNet": (7.3 - 6.7) / 7.3, "ResNet": (6.7 - 3.6) / 6.7}
    best = max(err, key=err.get)
    assert best == "ResNet"
    assert verdict(capsys, "01.4", best)[0]
    assert verdict(capsys, "01.4", "resnet")[0]
    for wrong, hint in (("ZFNet", "percentage points"), ("AlexNet", "no predecessor"),
                        ("GoogLeNet", "previous error"), ("LeNet", "one of the network")):
        ok, out = verdict(capsys, "01.4", wrong)
        assert not ok and hint in out


# ---- lecture 2 ------------------------------------------------------------------------------

@lec02
def test_02_1_movie_count(capsys):
    X = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)])
    k = X.sum(axis=1)
    assert verdict(capsys, "02.1", int(np.sum(k >= 2)))[0]
    for wrong, hint in ((int(np.sum(k > 2)), "strict"), (int(np.sum(k == 2)), "(1, 1, 1)"),
                        (8, "movie buff"), (5, "sum >= 2")):
        ok, out = verdict(capsys, "02.1", wrong)
        assert not ok and hint in out


@lec02
def test_02_2_bias(capsys):
    assert verdict(capsys, "02.2", -3)[0]
    ok, out = verdict(capsys, "02.2", 3)
    assert not ok and "opposite sign" in out
    ok, out = verdict(capsys, "02.2", 0)
    assert not ok and "left side" in out


@lec02
def test_02_3_switching_rating(capsys):
    w0, w1 = -1.5, 2.0
    ratings = np.linspace(0, 1, 401)
    fires = w0 + w1 * ratings >= 0
    switch = ratings[np.argmax(fires)]  # the first rating that fires, found by scanning
    assert switch == 0.75
    assert verdict(capsys, "02.3", switch)[0]
    assert verdict(capsys, "02.3", "0.75")[0]
    for wrong, hint in ((w0, "w0 itself"), (-w0, "divide by w1"), (w0 / w1, "sign is flipped"),
                        (0.5, "solve")):
        ok, out = verdict(capsys, "02.3", wrong)
        assert not ok and hint in out


@lec02
def test_02_4_nand_weights(capsys):
    for right in ((-1, -1, -1.5), [-1, -1, -1], np.array([-2.0, -2.0, -3.0])):
        assert verdict(capsys, "02.4", right)[0]
    for wrong, hint in (((1, 1, 2), "AND"), ((-1, -1, 0), "NOR"), ((1, 1, 1), "OR"),
                        ((1, 0, 1), "1, 1, 1, 0"), ((1, 1), "three numbers")):
        ok, out = verdict(capsys, "02.4", wrong)
        assert not ok and hint in out


@lec02
def test_02_5_not_realisable(capsys):
    assert verdict(capsys, "02.5", ["XOR", "XNOR"])[0]
    assert verdict(capsys, "02.5", {"xnor", "xor"})[0]
    for wrong, hint in (("XOR", "complement"), (["XOR", "AND"], "AND is realisable"),
                        (["XOR", "IMPLIES"], "use the names"), (["XNOR"], "name both")):
        ok, out = verdict(capsys, "02.5", wrong)
        assert not ok and hint in out


# ---- lecture 3 ------------------------------------------------------------------------------

@lec03
def test_03_1_trace_step(capsys):
    assert verdict(capsys, "03.1", (-1, 1))[0]  # w . x = 0, sign(0) = +1 = y: no update
    ok, out = verdict(capsys, "03.1", (0, 2))
    assert not ok and "np.sign(0)" in out and "every point" in out
    ok, out = verdict(capsys, "03.1", (-2, 0))
    assert not ok and "never subtracts" in out
    ok, out = verdict(capsys, "03.1", (1, 1))
    assert not ok and "only on a mistake" in out


@lec03
def test_03_2_and_mistakes(capsys):
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([-1, -1, -1, 1])
    right = perceptron_mistakes(X, y, sign_plus)
    assert right == 2 + 3 + 3 + 2 + 1
    assert verdict(capsys, "03.2", right)[0]
    ok, out = verdict(capsys, "03.2", 6)
    assert not ok and "number of epochs" in out
    numpy_count = perceptron_mistakes(X, y, np.sign)
    assert numpy_count != right
    ok, out = verdict(capsys, "03.2", numpy_count)
    assert not ok and "np.sign" in out
    no_bias = perceptron_mistakes(X[:, :2], y, sign_plus)
    ok, out = verdict(capsys, "03.2", no_bias)
    assert not ok and "column of ones" in out


@lec03
def test_03_3_mistake_bound(capsys):
    X, y = dl.data.blobs(40, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5,
                         labels="pm", seed=0)
    X1 = np.hstack([X, np.ones((40, 1))])
    u = np.array([1.0, 1.0, -4.0])
    R = max(np.sqrt(row @ row) for row in X1)
    gamma = min(label * (row @ u) for row, label in zip(X1, y)) / np.sqrt(18)
    bound = (R / gamma) ** 2
    assert verdict(capsys, "03.3", bound)[0]
    assert perceptron_mistakes(X1, y, sign_plus) <= bound
    for wrong, hint in ((R / gamma, "square"), (bound / 18, "normalise"),
                        ((np.linalg.norm(X, axis=1).max() / gamma) ** 2, "constant-1"),
                        (bound * 2, "largest norm")):
        ok, out = verdict(capsys, "03.3", wrong)
        assert not ok and hint in out


@lec03
def test_03_4_update_function(capsys):
    def update(w, x, y):
        y_hat = 1 if w @ x >= 0 else -1
        return w + y * x if y_hat != y else w

    def always(w, x, y):
        return w + y * x

    def numpy_sign(w, x, y):
        return w + y * x if np.sign(w @ x) != y else w

    def flipped(w, x, y):
        y_hat = 1 if w @ x >= 0 else -1
        return w - y * x if y_hat != y else w

    assert verdict(capsys, "03.4", update)[0]
    for wrong, hint in ((always, "every point"), (numpy_sign, "np.sign(0) is 0"),
                        (flipped, "flipped"), (lambda w, x, y: w, "add y x only")):
        ok, out = verdict(capsys, "03.4", wrong)
        assert not ok and hint in out
    ok, out = verdict(capsys, "03.4", 3)
    assert not ok and "function" in out




# ---- hint ladders and the "your turn" exercises 02.6, 02.7, 03.5, 03.6 ------------------------

@pytest.mark.parametrize("exercise_id, answer", [("02.2", "-3"), ("02.3", "0.75"),
                                                 ("03.2", "11"), ("03.3", "746")])
def test_hint_ladders_stop_short_of_the_answer(exercise_id, answer, capsys, monkeypatch):
    """2-3 hints, then the worked solution; no hint gives the number away."""
    climb_hint_ladder(exercise_id, (answer,), capsys, monkeypatch, most=3)


@lec02
def test_02_6_a_loop_written_unit_passes_and_a_half_veto_is_shown(capsys):
    def mine(X, threshold, inhibitory=()):
        out = []
        for row in X:
            vetoed = any(row[i] == 1 for i in inhibitory)
            out.append(0.0 if vetoed else float(sum(row) >= threshold))
        return np.array(out)

    ok, out = verdict(capsys, "02.6", mine)
    assert ok, out

    def first_veto_only(X, threshold, inhibitory=()):  # looks at the first inhibitory input only
        return mine(X, threshold, tuple(inhibitory)[:1])

    ok, out = verdict(capsys, "02.6", first_veto_only)
    # (0, 0, 1) is vetoed by x3: the learner's unit fires there
    assert not ok and "on the case three inputs, θ = 1, x1 and x3 inhibitory" in out
    assert "the correct result is np.array([0., 0., 1., 0., 0., 0., 0., 0.])" in out


@lec02
def test_02_7_thresholds_by_hand(capsys):
    def mine(y):
        n = int(np.log2(len(y)))
        counts = np.array([bin(r).count("1") for r in range(len(y))])
        for theta in range(n + 2):
            if np.array_equal((counts >= theta).astype(int), np.asarray(y, int)):
                return theta
        return None

    ok, out = verdict(capsys, "02.7", mine)
    assert ok, out
    ok, out = verdict(capsys, "02.7", lambda y: 2.0)
    # AND of two inputs needs 2 (θ = 2 is right there): the first wrong case is y = x1 (θ = 1)
    assert not ok and "on the case one input, y = x1" in out
    assert "your my_threshold returned 2; the correct result is 1" in out


@lec03
def test_03_5_prediction_by_hand(capsys):
    def mine(w, X):
        return np.array([1.0 if x @ w >= 0 else -1.0 for x in X])

    ok, out = verdict(capsys, "03.5", mine)
    assert ok, out
    ok, out = verdict(capsys, "03.5", lambda w, X: np.sign(X @ w))
    assert not ok and "np.sign(0) is 0" in out and "w = 0: every score is 0" in out
    ok, out = verdict(capsys, "03.5", lambda w, X: np.where(X @ w >= 0, 1.0, -1.0)[:, None])
    assert not ok and "has shape (2, 1); it should have shape (2,)" in out


@lec03
def test_03_6_step_with_its_flag(capsys):
    def mine(w, x, y):
        wrong = sign_plus(w @ x) != y
        if wrong:
            w = w + y * x
        return w, wrong  # a bool flag is fine

    ok, out = verdict(capsys, "03.6", mine)
    assert ok, out
    ok, out = verdict(capsys, "03.6", lambda w, x, y: mine(w, x, y)[0])
    assert not ok and "should return the 2 results (w, mistake), in that order" in out

    def negative_flag(w, x, y):  # an uncatalogued slip: -1 for a mistake
        w_new, wrong = mine(w, x, y)
        return w_new, -float(wrong)

    ok, out = verdict(capsys, "03.6", negative_flag)
    assert not ok and "on the case w = 0 and y = -1: a mistake on the boundary" in out
    assert "the mistake of your my_perceptron_step returned -1" in out


@lec03
def test_03_7_epoch_by_hand(capsys):
    def my_epoch(w, X, y):
        w, mistakes = np.array(w, dtype=float), 0
        for x, label in zip(X, y):
            if sign_plus(w @ x) != label:
                w, mistakes = w + label * x, mistakes + 1
        return w, mistakes

    ok, out = verdict(capsys, "03.7", my_epoch)
    assert ok, out
    # epochs on AND with the bias feature repeat until a clean one: 2, 3, 3, 2, 1, 0 mistakes
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([-1, -1, -1, 1])
    w, counts = np.zeros(3), []
    while not counts or counts[-1]:
        w, m = my_epoch(w, X, y)
        counts.append(m)
    assert counts == [2, 3, 3, 2, 1, 0]
    ok, out = verdict(capsys, "03.7", lambda w, X, y: (my_epoch(w, X, y)[0], 0))
    assert not ok and "the mistakes of your my_perceptron_epoch returned 0" in out
