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


