"""Lecture 6: sums over paths and Value networks (``dlcore.engine.paths``) and the gradients of
a deep thin chain (``dlcore.nn.thin_chain_gradients``), against the Value engine and torch."""

import math

import numpy as np
import pytest

from dlcore import engine, nn
from dlcore.engine import Value, topological_order

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.lec06


def _labelled(root):
    return {v.label: v for v in topological_order(root) if v.label}


# The worked chain (SYLLABUS L06) --------------------------------------------------------------

def test_chain_example_reproduces_the_syllabus_numbers():
    loss = engine.chain_example()
    loss.backward()
    v = _labelled(loss)
    assert v["y_hat"].data == pytest.approx(0.667843, abs=5e-7)
    assert loss.data == pytest.approx(0.0551642, abs=5e-8)
    assert v["w3"].grad == pytest.approx(-0.0257314, abs=5e-8)
    assert v["w2"].grad == pytest.approx(-0.0208467, abs=5e-8)
    assert v["w1"].grad == pytest.approx(0.0078705, abs=5e-8)
    assert v["b1"].grad == pytest.approx(0.0078705, abs=5e-8)


def test_chain_paths_are_single_and_give_the_gradients():
    loss = engine.chain_example()
    loss.backward()
    v = _labelled(loss)
    for name, expected in (("w3", -0.0257314), ("w2", -0.0208467), ("w1", 0.0078705)):
        paths = engine.path_products(loss, v[name])
        assert len(paths) == 1
        assert paths[0].product == pytest.approx(expected, abs=5e-8)
        assert math.prod(paths[0].factors) == pytest.approx(paths[0].product)
    # grad w_i is proportional to h_{i-1}: w2's first hop is da2/dw2 = h1.
    (p,) = engine.path_products(loss, v["w2"])
    assert [n.label for n in p.nodes] == ["w2", "a2", "h2", "a3", "y_hat", "y - y_hat",
                                          "(y - y_hat)^2", "L"]
    assert p.factors[0] == v["h1"].data
    assert p.factors[1] == pytest.approx(v["h2"].data * (1 - v["h2"].data))
    assert p.factors[-1] == 0.5


def test_local_derivatives():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    assert engine.local_derivatives(c) == [(a, -3.0), (b, 2.0)]
    s = a.sigmoid()
    sig = 1 / (1 + math.exp(-2.0))
    ((child, d),) = engine.local_derivatives(s)
    assert child is a and d == pytest.approx(sig * (1 - sig))
    assert engine.local_derivatives(a) == []
    sq = a * a
    assert engine.local_derivatives(sq) == [(a, 2.0), (a, 2.0)]
    assert a.grad == 0.0  # nothing accumulated
    with pytest.raises(TypeError, match="Value"):
        engine.local_derivatives(2.0)


def test_path_products_on_a_reused_node():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    out = c + a
    out.label = "out"
    out.backward()
    paths = engine.path_products(out, a)
    assert [[n.label for n in p.nodes] for p in paths] == [["a", "c", "out"], ["a", "out"]]
    assert [p.product for p in paths] == [-3.0, 1.0]
    assert sum(p.product for p in paths) == a.grad == -2.0


def test_path_products_bad_input():
    a = Value(1.0, "a")
    out = a * 2.0
    with pytest.raises(TypeError, match="root must be a Value"):
        engine.path_products(1.0, a)
    with pytest.raises(ValueError, match="not part of the graph"):
        engine.path_products(out, Value(3.0, "z"))


# The 2-2-2-1 network --------------------------------------------------------------------------

def _torch_net(x, weights, y):
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    h = torch.tensor(x, dtype=torch.float64)
    for w in ws:
        h = torch.sigmoid(w @ h)
    loss = torch.nn.functional.binary_cross_entropy(h, torch.tensor([float(y)],
                                                                    dtype=torch.float64))
    loss.backward()
    return loss, ws


@pytest.mark.parametrize("y", [1.0, 0.0, 0.3])
def test_value_network_matches_torch(y):
    net = engine.value_network(engine.PATH_NET["x"], engine.PATH_NET["weights"], y)
    net["loss"].backward()
    t_loss, t_ws = _torch_net(engine.PATH_NET["x"], engine.PATH_NET["weights"], y)
    assert net["loss"].data == pytest.approx(t_loss.item(), rel=1e-12)
    for l, tw in enumerate(t_ws, start=1):
        for j in range(tw.shape[0]):
            for i in range(tw.shape[1]):
                w = net["weights"][f"w{l}_{j + 1}{i + 1}"]
                assert w.grad == pytest.approx(tw.grad[j, i].item(), rel=1e-10, abs=1e-15)
                # Chain rule as a sum over paths = reverse mode.
                total = sum(p.product for p in engine.path_products(net["loss"], w))
                assert total == pytest.approx(tw.grad[j, i].item(), rel=1e-10, abs=1e-15)


def test_w1_22_has_two_paths_and_none_through_z1_1():
    # 003_10b403b49c24009b.txt l. 311: the red path via z1(1) is wrong; both paths go via z2(1).
    net = engine.value_network(engine.PATH_NET["x"], engine.PATH_NET["weights"], 1.0)
    net["loss"].backward()
    paths = engine.path_products(net["loss"], net["weights"]["w1_22"])
    routes = [[n.label for n in p.nodes] for p in paths]
    assert routes == [["w1_22", "z1_2", "z2_1", "y_hat", "L"],
                      ["w1_22", "z1_2", "z2_2", "y_hat", "L"]]
    assert all("z1_1" not in r for r in routes)
    assert len(engine.path_products(net["loss"], net["weights"]["w3_12"])) == 1


def test_value_network_bad_input():
    with pytest.raises(ValueError, match=r"\(M, 2\)"):
        engine.value_network((1.0, 2.0), ([[1.0, 2.0, 3.0]],), 1.0)
    with pytest.raises(ValueError, match="one unit"):
        engine.value_network((1.0, 2.0), ([[1.0, 2.0], [0.5, 0.5]],), 1.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        engine.value_network((1.0, 2.0), ([[1.0, 2.0]],), 2.0)
    with pytest.raises(ValueError, match="at least one input"):
        engine.value_network((), ([[1.0]],), 1.0)


# Thin chains ------------------------------------------------------------------------------------

def _value_chain(depth, w, x, act):
    ws = [Value(w) for _ in range(depth)]
    h = Value(x)
    for wi in ws:
        a = wi * h
        h = a.sigmoid() if act == "sigmoid" else a.tanh()
    loss = 0.5 * (1.0 - h) ** 2
    loss.backward()
    return loss.data, np.array([wi.grad for wi in ws])


@pytest.mark.parametrize("depth, w, x, act", [(1, 1.0, 1.0, "sigmoid"), (6, 1.5, -0.7, "sigmoid"),
                                              (8, -1.2, 0.4, "tanh")])
def test_thin_chain_gradients_match_the_value_engine(depth, w, x, act):
    g = nn.thin_chain_gradients(depth, w=w, x=x, activation=act)
    loss, grads = _value_chain(depth, w, x, act)
    assert g.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(g.grad_w, grads, rtol=1e-10)
    assert g.a.shape == g.dact.shape == g.sigma_product.shape == (depth,)
    assert g.h.shape == (depth + 1,) and g.h[0] == x
    np.testing.assert_allclose(g.sigma_product, np.cumprod(g.dact[::-1])[::-1])


def test_sigmoid_products_are_bounded_by_quarter_powers():
    depth = 12
    g = nn.thin_chain_gradients(depth, w=2.0)
    assert np.all(g.dact <= 0.25)
    k = np.arange(depth, 0, -1)  # factors in the product for layer i = depth - i + 1
    assert np.all(g.sigma_product <= 0.25 ** k)
    assert abs(g.grad_w[0]) < 1e-4 * abs(g.grad_w[-1])


def test_thin_chain_bad_input():
    with pytest.raises(ValueError, match=">= 1"):
        nn.thin_chain_gradients(0)
    with pytest.raises(ValueError, match="'sigmoid', 'tanh'"):
        nn.thin_chain_gradients(3, activation="relu")
    with pytest.raises(ValueError, match="depth=3 weights"):
        nn.thin_chain_gradients(3, w=[1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        nn.thin_chain_gradients(3, x=float("nan"))
