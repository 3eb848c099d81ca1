"""Self-checks of lectures 5 and 6: right answers pass, catalogued mistakes get their hints."""

import math

import numpy as np
import pytest

import dlcore as dl

torch = pytest.importorskip("torch")


def _verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


# Expected values are derived by hand or with torch, never from the checkers.

def _chain_dw3(w3):
    w = torch.tensor([0.5, 0.0, -1.0, w3], dtype=torch.float64, requires_grad=True)
    y_hat = torch.sigmoid(w[3] * torch.sigmoid(w[2] * torch.sigmoid(w[0] + w[1])))
    (0.5 * (1.0 - y_hat) ** 2).backward()
    return w.grad[3].item(), y_hat.item()


def _path_net_grad():
    net = dl.engine.PATH_NET
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net["weights"]]
    h = torch.tensor(net["x"], dtype=torch.float64)
    hidden = []
    for w in ws:
        h = torch.sigmoid(w @ h)
        hidden.append(h)
    (-torch.log(h)).sum().backward()
    return ws, hidden


CASES = {
    "05.1": (25, [(18, "weights only"), (7, "number of neurons"), (27, "no bias"),
                  (30, "Not yet")]),
    "05.2": ((-1, 1, 0.5), [((1, -1, -0.5), "computes XOR"), ((1, 0, -0.5), "computes OR"),
                            ((0, 0, 1), "[1, 1, 1, 1]"), ((1, 2), "three numbers")]),
    "05.3": (3.0, [(1.5, "that is c"), (2.0, "middle plateau"), (0.5, "left plateau"),
                   (3.5, "subtract"), (7, "Not yet")]),
    "05.4": (49, [(48, "output unit's bias"), (32, "weights only"), (25, "two hidden units"),
                  (50, "Not yet")]),
    "06.4": (_sig(0.3) - 1, [(1 - _sig(0.3), "sign"),
                             ((_sig(0.3) - 1) / (_sig(0.3) * (1 - _sig(0.3))), "dL/dy_hat"),
                             ((_sig(0.3) - 1) * _sig(0.3) * (1 - _sig(0.3)), "squared-error"),
                             (0.1, "Not yet")]),
    # w3 - eta dL/dw3 with eta = 0.5 and dL/dw3 = -0.0257314 (the worked chain of lecture 6).
    "06.5": (2 + 0.5 * 0.0257314, [(2 - 0.25 * 0.0257314, "two slips"),
                                   (2 - 0.5 * 0.0257314, "sign is flipped"),
                                   (2 + 0.25 * 0.0257314, "eta appears twice"),
                                   (2.5, "Not yet")]),
}


def _marked(ids):
    return [pytest.param(i, marks=pytest.mark.lec05 if i.startswith("05") else pytest.mark.lec06)
            for i in ids]


@pytest.mark.parametrize("exercise_id", _marked(sorted(CASES)))
def test_numeric_exercises(capsys, exercise_id):
    right, wrongs = CASES[exercise_id]
    ok, out = _verdict(capsys, exercise_id, right)
    assert ok and "Correct" in out
    for answer, hint in wrongs:
        ok, out = _verdict(capsys, exercise_id, answer)
        assert not ok and hint in out, (answer, out)


@pytest.mark.lec06
def test_06_1_dw3_with_w3_1(capsys):
    g, y_hat = _chain_dw3(1.0)
    h2 = _sig(-_sig(0.5))
    assert _verdict(capsys, "06.1", g)[0]
    assert _verdict(capsys, "06.1", -0.035028)[0]  # the value in the worked solution
    for answer, hint in ((-g, "sign is flipped"), (0.5 * g, "no learning rate"),
                         ((y_hat - 1) * h2, "local derivative"),
                         ((y_hat - 1) * y_hat * (1 - y_hat), "da3/dw3 = h2"),
                         (0.3, "Not yet")):
        ok, out = _verdict(capsys, "06.1", answer)
        assert not ok and hint in out, (answer, out)


@pytest.mark.lec06
def test_06_2_sum_over_paths(capsys):
    ws, (z1, z2, _) = _path_net_grad()
    g = ws[0].grad[1, 0].item()  # w1_21: x1 -> z2(1)
    assert _verdict(capsys, "06.2", g)[0]
    # One path alone (via z1(2)), multiplied out by hand from torch's forward values.
    y = _path_net_grad()[1][2].item()
    dl_dy = -1.0 / y
    w2, w3 = dl.engine.PATH_NET["weights"][1], dl.engine.PATH_NET["weights"][2]
    x1 = dl.engine.PATH_NET["x"][0]
    z1, z2 = z1.detach().numpy(), z2.detach().numpy()
    one_path = (dl_dy * y * (1 - y) * w3[0][0] * z2[0] * (1 - z2[0]) * w2[0][1]
                * z1[1] * (1 - z1[1]) * x1)
    ok, out = _verdict(capsys, "06.2", one_path)
    assert not ok and "one path's product" in out
    ok, out = _verdict(capsys, "06.2", 0.0)
    assert not ok and "would contribute 0" in out


@pytest.mark.lec06
def test_06_5_solution_states_both_steps_and_their_ratio():
    g, _ = _chain_dw3(2.0)  # dL/dw3 of the worked chain, from torch
    eta = 0.5
    right, slip = 2.0 - eta * g, 2.0 + eta * (eta * g)
    text = dl.selfcheck.exercises()["06.5"].solution
    assert f"{right:.7f}" in text and f"{slip:.7f}" in text
    # the classmate's step is eta^2 g, the right one -eta g: half as large, the other way
    assert (slip - 2.0) / (right - 2.0) == pytest.approx(-0.5)
    assert "half as large and in the wrong direction" in text


@pytest.mark.lec06
def test_06_3_dense_backward(capsys):
    def right(delta, X, W):
        return delta.T @ X, delta.sum(axis=0), delta @ W

    def stub(delta, X, W):
        dW = ...
        db = ...
        dX = ...
        return dW, db, dX

    wrongs = [
        (lambda d, X, W: (X.T @ d, d.sum(axis=0), d @ W), "the shape of W"),
        (lambda d, X, W: (d.T @ X, d.mean(axis=0), d @ W), "mean over the batch"),
        (lambda d, X, W: (d.T @ X, d.sum(axis=1), d @ W), "one entry per output unit"),
        (lambda d, X, W: (d.T @ X, d.sum(axis=0), d), "the shape of X"),
        (lambda d, X, W: (d.T @ X, d.sum(axis=0), d @ W * 2), "dX is not yet right"),
        (lambda d, X, W: (d.T @ X * 2, d.sum(axis=0), d @ W), "dW is not yet right"),
        (lambda d, X, W: (d.T @ X, d.sum(axis=0)), "tuple (dW, db, dX)"),
        (stub, "fill in"),
        (right(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1))), "no parentheses"),
    ]
    assert _verdict(capsys, "06.3", right)[0]
    for answer, hint in wrongs:
        ok, out = _verdict(capsys, "06.3", answer)
        assert not ok and hint in out, (hint, out)




# Your turn (05.5, 05.6, 06.6, 06.7): functions written here pass; slips get their hints ---------

def test_05_5_a_loop_written_threshold_network_passes(capsys):
    def my_threshold_forward(X, W1, b1, W2, b2):
        out = []
        for x in X:  # unit by unit, with the course's step(0) = 1
            h = [1.0 if w @ x + b >= 0 else 0.0 for w, b in zip(W1, b1)]
            out.append([1.0 if v @ np.array(h) + c >= 0 else 0.0 for v, c in zip(W2, b2)])
        return np.array(out)

    ok, out = _verdict(capsys, "05.5", my_threshold_forward)
    assert ok, out

    def strict(X, W1, b1, W2, b2):
        return (((X @ W1.T + b1 > 0) @ W2.T + b2) > 0).astype(float)

    ok, out = _verdict(capsys, "05.5", strict)
    assert not ok and "step(0) is 1 in this course" in out
    assert "sums that are exactly 0" in out  # the case that shows it


def test_05_6_a_tower_from_math_exp_passes_and_an_upside_down_one_does_not(capsys):
    def my_tower(x, m1, m2, k):
        return np.array([_sig(k * (v - m1)) - _sig(k * (v - m2)) if abs(k * (v - m2)) < 700
                         else float(k * (v - m1) > 0) - float(k * (v - m2) > 0) for v in x])

    ok, out = _verdict(capsys, "05.6", my_tower)
    assert ok, out
    ok, out = _verdict(capsys, "05.6", lambda x, m1, m2, k: -my_tower(x, m1, m2, k))
    assert not ok and "upside down" in out


def _torch_local_grads(op, *values):
    """Gradients of sum(dout * op(inputs)) by torch's autograd; the last value is dout."""
    *inputs, dout = values
    ts = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in inputs]
    op(*ts).backward(torch.tensor(float(dout), dtype=torch.float64))
    return tuple(t.grad.item() for t in ts)


def test_06_6_and_06_7_torch_autograd_gives_the_same_rules(capsys):
    ok, out = _verdict(capsys, "06.6",
                       lambda a, b, dout: _torch_local_grads(torch.mul, a, b, dout))
    assert ok, out
    ok, out = _verdict(capsys, "06.7",
                       lambda x, dout: _torch_local_grads(torch.tanh, x, dout)[0])
    assert ok, out


def test_06_7_an_uncatalogued_slip_is_set_against_central_differences(capsys):
    ok, out = _verdict(capsys, "06.7", lambda x, dout: (1 - math.tanh(x) ** 2) * dout * 2)
    assert not ok and "is not the gradient: central differences of the forward pass give" in out
    assert "x = 0, upstream 1" in out  # the smallest case already shows it
    ok, out = _verdict(capsys, "06.6", lambda a, b, dout: (b * dout, a))
    assert not ok and "the db of your my_mul_backward is not the gradient" in out


def test_hint_ladders_of_lectures_5_and_6_end_with_the_solution(capsys, monkeypatch):
    from dlcore.selfcheck import _registry as R

    monkeypatch.setattr(R, "_HINTS_SHOWN", {})
    for exercise_id in [f"05.{k}" for k in range(1, 7)] + [f"06.{k}" for k in range(1, 8)]:
        n = len(dl.selfcheck.exercises()[exercise_id].hints)
        assert 2 <= n <= 4, exercise_id
        for k in range(1, n + 1):
            dl.hint(exercise_id)
            assert f"Hint {k} of {n} for {exercise_id}" in capsys.readouterr().out
        dl.hint(exercise_id)
        assert "That was the last hint; here is the worked solution." in \
            capsys.readouterr().out
