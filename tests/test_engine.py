"""Tests for dlcore.engine: Value autograd against torch, the L06 chain, drawing, bad input."""

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcore.engine import BackwardStep, Value, backward_steps, topological_order
from dlcore.gradcheck import numerical_gradient
from dlcore.viz import draw_graph

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.lec06


def _tensors(*values):
    return [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]


def _close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# Composite expressions against torch --------------------------------------------------------

def _reused(a, b):
    return a * a + a


def _two_branches(a, b):
    c = a * b
    return c.exp() + c.tanh() * c


def _neuron(x1, x2, w1, w2, b):
    n = x1 * w1 + x2 * w2 + b
    return n.tanh()


def _kitchen_sink(a, b):
    # micrograd's "more ops" test, with log, sigmoid and relu added.
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    return g + (a * a + 1).log() - (b * 0.1).sigmoid() * (a / b)


@pytest.mark.parametrize("fn, inputs", [
    (_reused, (-1.3, 0.0)),
    (_two_branches, (0.7, -1.2)),
    (_neuron, (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)),
    (_kitchen_sink, (-4.0, 2.0)),
], ids=["a*a+a", "two_branches", "neuron", "kitchen_sink"])
def test_composite_matches_torch(fn, inputs):
    vals = [Value(x) for x in inputs]
    out = fn(*vals)
    out.backward()
    ts = _tensors(*inputs)
    t_out = fn(*ts)
    t_out.backward()
    assert _close(out.data, t_out.item())
    for v, t in zip(vals, ts):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert _close(v.grad, expected), (v.grad, expected)


def test_reused_node_gets_both_contributions():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    a2 = Value(3.0)
    (a2 * a2).backward()
    assert a2.grad == 6.0  # 2a, not a: both uses contribute


def test_micrograd_neuron_values():
    # Independent derivation: n = 0.8814, o = tanh(n) = 0.7071, do/dn = 1 - o^2 = 0.5.
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = _neuron(x1, x2, w1, w2, b)
    o.backward()
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert w1.grad == pytest.approx(0.5 * 2.0, abs=1e-12)
    assert x1.grad == pytest.approx(0.5 * -3.0, abs=1e-12)
    assert w2.grad == pytest.approx(0.0, abs=1e-12)
    assert x2.grad == pytest.approx(0.5 * 1.0, abs=1e-12)
    assert b.grad == pytest.approx(0.5, abs=1e-12)


def test_relu_kink_follows_torch():
    a = Value(0.0)
    a.relu().backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    torch.relu(t).backward()
    assert a.grad == t.grad.item() == 0.0


def test_sigmoid_is_stable_far_from_zero():
    lo, hi = Value(-800.0).sigmoid(), Value(800.0).sigmoid()
    assert lo.data == 0.0 and hi.data == 1.0
    v = Value(-30.0)
    v.sigmoid().backward()
    expected = torch.sigmoid(torch.tensor(-30.0, dtype=torch.float64))
    assert _close(v.grad, (expected * (1 - expected)).item())


def test_numpy_scalars_and_sum_work():
    a = Value(2.0)
    out = np.float64(3.0) * a + sum([a, a])
    assert isinstance(out, Value)
    out.backward()
    assert out.data == 10.0 and a.grad == 5.0


def test_repr():
    assert repr(Value(0.5)) == "Value(data=0.5000, grad=0.0000)"
    a = Value(-1.25)
    a.grad = 2.0
    assert repr(a) == "Value(data=-1.2500, grad=2.0000)"


# The L06 worked example (SYLLABUS section 3, thin chain) --------------------------------------

def _l06_chain(x, y, w1, b1, w2, w3):
    h1 = (w1 * x + b1).sigmoid()
    h2 = (w2 * h1).sigmoid()
    y_hat = (w3 * h2).sigmoid()
    loss = 0.5 * (y - y_hat) ** 2
    return y_hat, loss


def _l06_values():
    return (Value(0.5, "w1"), Value(0.0, "b1"), Value(-1.0, "w2"), Value(2.0, "w3"))


def test_l06_worked_example():
    w1, b1, w2, w3 = _l06_values()
    y_hat, loss = _l06_chain(1.0, 1.0, w1, b1, w2, w3)
    loss.backward()
    # Syllabus numbers, to half a unit in their last printed digit.
    assert y_hat.data == pytest.approx(0.667843, abs=5e-7)
    assert loss.data == pytest.approx(0.0551642, abs=5e-8)
    assert w3.grad == pytest.approx(-0.0257314, abs=5e-8)
    assert w2.grad == pytest.approx(-0.0208467, abs=5e-8)
    assert w1.grad == pytest.approx(0.0078705, abs=5e-8)
    assert b1.grad == pytest.approx(0.0078705, abs=5e-8)
    # And exactly what torch computes.
    tw1, tb1, tw2, tw3 = _tensors(0.5, 0.0, -1.0, 2.0)
    _, t_loss = _l06_chain(1.0, 1.0, tw1, tb1, tw2, tw3)
    t_loss.backward()
    for v, t in zip((w1, b1, w2, w3), (tw1, tb1, tw2, tw3)):
        assert _close(v.grad, t.grad.item())


def test_l06_gradient_step_descends():
    # The seed flips the update sign; w <- w - lr * grad must lower the loss.
    params = _l06_values()
    _, loss = _l06_chain(1.0, 1.0, *params)
    loss.backward()
    stepped = [Value(p.data - 1.0 * p.grad) for p in params]
    _, new_loss = _l06_chain(1.0, 1.0, *stepped)
    assert new_loss.data < loss.data


# Accumulation, zero_grad, deep chains --------------------------------------------------------

def test_backward_twice_accumulates_like_torch():
    w1, b1, w2, w3 = _l06_values()
    _, loss = _l06_chain(1.0, 1.0, w1, b1, w2, w3)
    order = topological_order(loss)
    loss.backward()
    first = [v.grad for v in order]
    loss.backward()
    assert [v.grad for v in order] == pytest.approx([2 * g for g in first], rel=1e-14)
    tw = _tensors(0.5, 0.0, -1.0, 2.0)
    _, t_loss = _l06_chain(1.0, 1.0, *tw)
    t_loss.backward(retain_graph=True)
    t_loss.backward()
    for v, t in zip((w1, b1, w2, w3), tw):
        assert _close(v.grad, t.grad.item())


def test_zero_grad_clears_every_node():
    a, b = Value(1.5), Value(-2.0)
    out = (a * b + a).tanh()
    out.backward()
    assert a.grad != 0.0
    out.zero_grad()
    assert all(v.grad == 0.0 for v in topological_order(out))
    out.backward()
    t_a, t_b = _tensors(1.5, -2.0)
    (t_a * t_b + t_a).tanh().backward()
    assert _close(a.grad, t_a.grad.item()) and _close(b.grad, t_b.grad.item())


def test_chain_of_5000_nodes():
    x = Value(1.0)
    v = x
    for _ in range(5000):
        v = v * 0.999
    assert len(topological_order(v)) == 1 + 2 * 5000  # x, then a constant and a product each
    v.backward()
    assert x.grad == pytest.approx(0.999**5000, rel=1e-10)
    v.zero_grad()
    assert x.grad == 0.0


def test_backward_steps_equals_backward():
    def build():
        params = _l06_values()
        return params, _l06_chain(1.0, 1.0, *params)[1]

    params_a, loss_a = build()
    loss_a.backward()
    params_b, loss_b = build()
    steps = list(backward_steps(loss_b))
    assert [p.grad for p in params_b] == [p.grad for p in params_a]
    assert all(isinstance(s, BackwardStep) for s in steps)
    assert steps[0].node is loss_b
    op_nodes = [v for v in reversed(topological_order(loss_b)) if v._prev]
    assert [s.node for s in steps] == op_nodes
    for step in steps:
        assert {c for c, _ in step.contributions} == set(step.node._prev)


def test_backward_steps_is_lazy_and_records_reuse():
    a = Value(3.0)
    out = a * a
    gen = backward_steps(out)
    assert out.grad == 0.0  # nothing happens before the first next()
    node, contributions = next(gen)
    assert node is out and out.grad == 1.0
    assert contributions == [(a, 3.0), (a, 3.0)]
    assert a.grad == 6.0
    assert list(gen) == []


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d.exp() * c
    order = topological_order(e)
    assert order[-1] is e
    assert len(order) == len(set(order)) == 6  # a, b, c, d, exp(d), e
    pos = {v: i for i, v in enumerate(order)}
    for v in order:
        assert all(pos[child] < pos[v] for child in v._prev)
    assert order[:2] == [a, b]


# Drawing ------------------------------------------------------------------------------------

def _texts(fig):
    return "\n".join(t.get_text() for t in fig.axes[0].texts)


def test_draw_graph_shows_values_and_grads():
    from matplotlib.figure import Figure

    w1, b1, w2, w3 = _l06_values()
    _, loss = _l06_chain(1.0, 1.0, w1, b1, w2, w3)
    loss.label = "L"
    loss.backward()
    fig = draw_graph(loss)
    assert isinstance(fig, Figure)
    text = _texts(fig)
    for v in topological_order(loss):
        assert f"data {v.data:.4g}" in text
        assert f"grad {v.grad:.4g}" in text
    assert "grad -0.02573" in text  # dL/dw3 from the syllabus, to 4 significant digits
    for label in ("w1", "b1", "w2", "w3", "L"):
        assert label in text
    assert fig.axes[0].get_title()
    n_values = len(topological_order(loss))
    value_texts = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("value-")]
    op_texts = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("op-")]
    assert len(value_texts) == n_values
    assert len(op_texts) == sum(1 for v in topological_order(loss) if v._prev)


def test_draw_graph_into_given_axes_and_options():
    from matplotlib.figure import Figure

    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * a + a * b
    c.backward()
    fig = Figure()
    ax = fig.add_subplot()
    assert draw_graph(c, ax=ax) is fig
    assert "grad 1" in _texts(fig)  # dc/da = 2a + b = 1
    no_grad = draw_graph(c, show_grad=False, rankdir="TB")
    assert "grad" not in _texts(no_grad)
    assert "data -2" in _texts(no_grad)
    single = draw_graph(Value(0.25, "x"))
    assert "data 0.25" in _texts(single)


def test_draw_graph_bad_input():
    with pytest.raises(ValueError, match="rankdir must be 'LR' or 'TB'"):
        draw_graph(Value(1.0), rankdir="BT")
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_graph(1.0)
    with pytest.raises(TypeError, match="show_grad must be True or False"):
        draw_graph(Value(1.0), show_grad="yes")


def test_import_does_not_load_matplotlib_or_torch():
    code = ("import sys, dlcore.engine as e; e.Value(1.0).exp().backward(); "
            "print('matplotlib' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


# Property tests -----------------------------------------------------------------------------

_safe = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
_away_from_zero = _safe.filter(lambda x: abs(x) > 0.2)


def _expr1(a, b):
    return (a * b + b.exp()).tanh() * a - (a**2 + 1.0).log()


def _expr2(a, b):
    return (a / b).sigmoid() + b**3 / 7.0 - (a * 0.5).exp() * b


def _expr3(a, b):
    s = a + b
    return (s * s).sigmoid() * s + (b - a).tanh() / (1.0 + a * a)


@settings(max_examples=40, deadline=None)
@given(a=_safe, b=_away_from_zero)
@pytest.mark.parametrize("expr", [_expr1, _expr2, _expr3])
def test_gradient_matches_central_differences(expr, a, b):
    va, vb = Value(a), Value(b)
    expr(va, vb).backward()
    x = np.array([a, b])
    num = numerical_gradient(lambda x: expr(Value(x[0]), Value(x[1])).data, x)
    assert np.allclose([va.grad, vb.grad], num, rtol=1e-6, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(a=_away_from_zero)
def test_algebraic_identities(a):
    checks = [
        (lambda v: v - v, 0.0, 0.0),
        (lambda v: v / v, 1.0, 0.0),
        (lambda v: v + v, 2 * a, 2.0),
        (lambda v: v * v, a * a, 2 * a),
        (lambda v: v.exp().log(), a, 1.0),
        (lambda v: (v**2) ** 0.5, abs(a), math.copysign(1.0, a)),
        (lambda v: -(v * -1.0), a, 1.0),
        (lambda v: 2.0 * (2.0 * v).sigmoid() - 1.0, math.tanh(a), 1 - math.tanh(a) ** 2),
        (lambda v: v.relu() - (-v).relu(), a, 1.0),
    ]
    for fn, value, grad in checks:
        v = Value(a)
        out = fn(v)
        out.backward()
        assert out.data == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert v.grad == pytest.approx(grad, rel=1e-12, abs=1e-12)


# Bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["1.0", None, [1.0], True, 1 + 2j, np.array([1.0, 2.0])])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_value_rejects_non_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad)


def test_label_must_be_str():
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)


@pytest.mark.parametrize("x", [0.0, -2.5])
def test_log_domain(x):
    with pytest.raises(ValueError, match=f"domain x > 0.*x = {x:g}"):
        Value(x).log()
    with pytest.raises(ValueError, match="'a'"):
        Value(x, "a").log()


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError, match="division by zero.*nonzero"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        2.0 / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** -1


def test_pow_exponent_must_be_constant():
    with pytest.raises(TypeError, match="exponent must be a constant int or float"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="constant int or float; got str"):
        Value(2.0) ** "2"
    with pytest.raises(TypeError, match="exponent must be a constant"):
        2.0 ** Value(3.0)
    with pytest.raises(ValueError, match="finite"):
        Value(2.0) ** math.nan


def test_pow_negative_base_needs_integer_exponent():
    with pytest.raises(ValueError, match="negative base needs an integer exponent"):
        Value(-8.0) ** (1 / 3)
    assert (Value(-2.0) ** 3).data == -8.0
    assert (Value(-2.0) ** 2.0).data == 4.0


def test_pow_infinite_derivative_at_zero():
    out = Value(0.0) ** 0.5
    assert out.data == 0.0
    with pytest.raises(ValueError, match="infinite at x = 0"):
        out.backward()


def test_overflow_is_reported():
    with pytest.raises(ValueError, match="exp overflowed"):
        Value(800.0).exp()
    with pytest.raises(ValueError, match=r"\* overflowed"):
        Value(1e200) * Value(1e200)
    with pytest.raises(ValueError, match="overflowed"):
        Value(10.0) ** 400


def test_unsupported_operands():
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) + "a"
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(2.0) - [1.0]
    with pytest.raises(TypeError, match="root must be a Value"):
        topological_order(3.0)
    with pytest.raises(TypeError, match="root must be a Value"):
        next(backward_steps("L"))


def test_a_node_tells_its_operation_and_inputs():
    from dlcore.engine import Value

    a, b = Value(2.0, "a"), Value(3.0, "b")
    sq = a * a
    out = (sq + b).tanh()
    assert (a.op, a.args, a.children) == ("", (), ())
    assert sq.op == "*" and sq.args == (a, a) and sq.children == (a,)
    assert out.op == "tanh" and out.args[0].op == "+" and out.args[0].children == (sq, b)
    with pytest.raises(AttributeError):
        out.op = "+"  # read-only: the graph is what the operations built
