"""Self-checks of lecture 6 (backpropagation and computational graphs)."""

from __future__ import annotations

from functools import partial

import numpy as np

from ._answers import close, number
from ._functions import Case, Gradients, implement
from ._registry import exercise

_ETA = 0.5
_close = partial(close, rtol=1e-4, atol=1e-7)


def _chain(**kw):
    from ..engine import chain_example

    loss = chain_example(**kw)
    loss.backward()
    values = {}
    stack = [loss]
    while stack:
        v = stack.pop()
        if v.label and v.label not in values:
            values[v.label] = v
        stack.extend(v.children)
    return values


@exercise("06.1", "dL/dw3 of the thin chain with w3 = 1", hints=(
    "Run the forward pass first: h1, h2 and y_hat, with w3 = 1 this time.",
    "w3 reaches the loss through a3 = w3 h2, then y_hat = sigma(a3), then L = 1/2 (y - "
    "y_hat)^2: one local derivative per step.",
    "Multiply dL/dy_hat = -(y - y_hat), dy_hat/da3 = y_hat (1 - y_hat) and da3/dw3 = h2.",
), solution="""
Forward with $x = 1, y = 1, w_1 = 0.5, b_1 = 0, w_2 = -1, w_3 = 1$: $h_1 = \\sigma(0.5) =
0.62246$, $h_2 = \\sigma(-0.62246) = 0.34923$, $\\hat y = \\sigma(0.34923) = 0.58643$.
Then
$$\\frac{\\partial L}{\\partial w_3} = -(y - \\hat y)\\,\\hat y(1 - \\hat y)\\,h_2
= -(0.41357)(0.24253)(0.34923) = -0.035028.$$
In code: `L = dl.engine.chain_example(w3=1.0); L.backward()` and read the `grad` of the leaf
`w3` (or use `dl.widgets.graph_stepper` with w3 = 1).
""")
def _check_dw3(answer):
    v = _chain(w3=1.0)
    expected = v["w3"].grad
    value = number(answer, strict=True)
    y_hat, h2 = v["y_hat"].data, v["h2"].data
    if _close(value, -expected):
        return "the sign is flipped: dL/dy_hat = -(y - y_hat), which is negative here"
    if _close(value, _ETA * expected):
        return "there is no learning rate in a derivative: eta belongs only in the update"
    if _close(value, (y_hat - 1.0) * h2):
        return "you left out the sigmoid's local derivative y_hat (1 - y_hat)"
    if _close(value, (y_hat - 1.0) * y_hat * (1 - y_hat)):
        return "you left out da3/dw3 = h2, the input of the last weight"
    return None if _close(value, expected) else \
        "multiply dL/dy_hat, dy_hat/da3 and da3/dw3"


@exercise("06.2", "dL/dw1_21 of the 2-2-2-1 network as a sum over paths", hints=(
    "Which unit does w1_21 feed, and how many units of the next layer does that unit feed?",
    "Each path from the weight to the loss contributes the product of the local derivatives "
    "along it; the gradient adds the paths.",
    "`dl.engine.path_products(net[\"loss\"], net[\"weights\"][\"w1_21\"])` lists the two paths; add"
    " their `.product`.",
), solution="""
`w1_21` joins $x_1$ to $z_2^{(1)}$, and $z_2^{(1)}$ feeds both units of layer 2, so two paths
reach the loss: $w \\to z_2^{(1)} \\to z_1^{(2)} \\to y^* \\to L$ and
$w \\to z_2^{(1)} \\to z_2^{(2)} \\to y^* \\to L$.  The gradient is the sum of the two path
products:
```python
net = dl.engine.value_network(dl.engine.PATH_NET["x"], dl.engine.PATH_NET["weights"], 1.0)
net["loss"].backward()
paths = dl.engine.path_products(net["loss"], net["weights"]["w1_21"])
sum(p.product for p in paths)          # equals net["weights"]["w1_21"].grad
```
""")
def _check_paths(answer):
    from ..engine import PATH_NET, path_products, value_network

    net = value_network(PATH_NET["x"], PATH_NET["weights"], 1.0)
    net["loss"].backward()
    w = net["weights"]["w1_21"]
    paths = path_products(net["loss"], w)
    value = number(answer, strict=True)
    for p in paths:
        if _close(value, p.product):
            return "that is one path's product; z2(1) feeds both units of layer 2: add both paths"
    if value == 0.0:
        return ("the weight reaches the loss only through z2(1), and from there along two "
                "paths; a path through z1(1) would contribute 0, because z1(1) does not "
                "depend on this weight")
    return None if _close(value, w.grad) else \
        "list the paths with dl.engine.path_products and add their products"


@exercise("06.3", "Backward pass of a dense layer", hints=(
    "Each gradient has the shape of the thing it belongs to: dW like W (M, D), db like b "
    "(M,), dX like X (N, D).",
    "With delta of shape (N, M), find the product of delta with X or W (transposed or not) "
    "that gives each of those shapes.",
    "dW sums delta[n, m] X[n, d] over the batch, db sums delta over the rows (axis 0), and "
    "row n of dX is delta[n] @ W.",
), solution="""
For $Z = XW^\\top + b$ with upstream gradient $\\delta = \\partial L/\\partial Z$ (N, M):
```python
def dense_backward(delta, X, W):
    dW = delta.T @ X          # (M, D), the shape of W
    db = delta.sum(axis=0)    # (M,), one entry per output unit, summed over the batch
    dX = delta @ W            # (N, D), the shape of X
    return dW, db, dX
```
Each gradient has the shape of the thing it belongs to, which is a quick check on the order of
the products.  `dl.layers.linear_backward` computes the same three arrays.
""")
def _check_dense(answer):
    from ..layers import linear_backward, linear_forward

    if not callable(answer):
        return "pass your function dense_backward itself (no parentheses)"
    rng = np.random.default_rng(6)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    delta = rng.normal(size=(4, 2))
    _, cache = linear_forward(X, W, b)
    dX_e, dW_e, db_e = linear_backward(delta, cache)
    out = answer(delta.copy(), X.copy(), W.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        return "return the three gradients as a tuple (dW, db, dX)"
    if any(o is Ellipsis or o is None for o in out):
        return "fill in dW, db and dX (one of them is still ... or None)"
    dW, db, dX = (np.asarray(o, dtype=float) for o in out)
    if dW.shape == dW_e.T.shape and dW.shape != dW_e.shape:
        return (f"dW has shape {dW.shape}, but it must have the shape of W, (M, D): swap the "
                f"order of your product")
    if not np.allclose(dW, dW_e):
        return "dW is not yet right: each entry sums delta[n, m] * X[n, d] over the batch"
    if db.shape == (delta.shape[0],):
        return "db must have one entry per output unit: sum delta over the rows (axis 0)"
    if db.shape == db_e.shape and np.allclose(db, db_e / delta.shape[0]):
        return "db is the mean over the batch; the bias gets the sum of the rows"
    if not np.allclose(db, db_e):
        return "db is not yet right: sum delta over the batch rows"
    if dX.shape != dX_e.shape:
        return f"dX has shape {dX.shape}, but it must have the shape of X, (N, D)"
    return None if np.allclose(dX, dX_e) else \
        "dX is not yet right: row n of dX combines the rows of W weighted by delta[n]"


@exercise("06.4", "Sigmoid followed by binary cross-entropy", hints=(
    "Chain two derivatives: dL/dy_hat of the cross-entropy and dy_hat/dz = y_hat (1 - y_hat) "
    "of the sigmoid.",
    "With y = 1 the loss is -log y_hat, so dL/dy_hat = -1/y_hat; multiply the two and "
    "simplify.",
    "Everything cancels to y_hat - y: evaluate sigma(0.3) and subtract the label.",
), solution="""
With $\\hat y = \\sigma(z)$ and $L = -y\\log\\hat y - (1 - y)\\log(1 - \\hat y)$:
$$\\frac{\\partial L}{\\partial z} = \\frac{\\hat y - y}{\\hat y(1 - \\hat y)}\\cdot
\\hat y(1 - \\hat y) = \\hat y - y.$$
At $z = 0.3$, $y = 1$: $\\hat y = \\sigma(0.3) = 0.57444$, so $\\partial L/\\partial z =
-0.42556$.  The sigmoid's derivative cancels, which is why frameworks fuse the two
(`BCEWithLogitsLoss`).
""")
def _check_bce(answer):
    from ..engine import Value

    z = Value(0.3, "z")
    y_hat = z.sigmoid()
    loss = -(1.0 * y_hat.log())
    loss.backward()
    p = y_hat.data
    value = number(answer, strict=True)
    if _close(value, -z.grad):
        return "the sign is flipped: the gradient is y_hat - y, negative when y_hat < y = 1"
    if _close(value, (p - 1.0) / (p * (1 - p))):
        return "that is dL/dy_hat; multiply by dy_hat/dz = y_hat (1 - y_hat)"
    if _close(value, (p - 1.0) * p * (1 - p)):
        return ("that is the squared-error form (y_hat - y) sigma'(z); with cross-entropy the "
                "sigma' cancels")
    return None if _close(value, z.grad) else "differentiate L with respect to z"


@exercise("06.5", "One gradient step on w3, done right", hints=(
    "Two things to fix: where the learning rate belongs, and which way gradient descent "
    "steps.",
    "Compute dL/dw3 of the default chain (w3 = 2) without any eta, e.g. from "
    "`dl.engine.chain_example()` after `.backward()`.",
    "The update is w3 - eta * dL/dw3 with eta = 0.5 and the starting w3 = 2.",
), solution="""
A derivative of the loss has no learning rate in it, and gradient descent steps against the
gradient.  So $\\partial L/\\partial w_3 = -(y - \\hat y)\\,\\hat y(1-\\hat y)\\,h_2 = -0.0257314$
and
$$w_3 \\leftarrow w_3 - \\eta\\frac{\\partial L}{\\partial w_3} = 2 - 0.5\\,(-0.0257314)
= 2.0128657.$$
The classmate's version, $\\eta$ inside the derivative and a plus sign in the update, gives
$2 + 0.5 \\cdot 0.5\\,(-0.0257314) = 1.9935671$: a step of $\\eta^2 = 0.25$ times the gradient
instead of $-\\eta = -0.5$ times it, so half as large and in the wrong direction.  It raises the
loss.
""")
def _check_update(answer):
    v = _chain()
    w3, g = v["w3"].data, v["w3"].grad
    value = number(answer, strict=True)
    if _close(value, w3 + _ETA * _ETA * g):
        return ("that keeps the classmate's two slips: eta inside the derivative and a plus "
                "sign in the update")
    if _close(value, w3 + _ETA * g):
        return "the sign is flipped: gradient descent steps against the gradient"
    if _close(value, w3 - _ETA * _ETA * g):
        return "eta appears twice: it belongs in the update only, not in the derivative"
    return None if _close(value, w3 - _ETA * g) else \
        "the update is w3 - eta * dL/dw3 with eta = 0.5"


# Your turn: the local backward rules of the scalar autograd -----------------------------------
#
# The learner writes what a node of ``dl.Value`` does in the backward pass, with plain numbers:
# the inputs the node saw and the upstream gradient in, the gradients of its inputs out.  The
# references run dlcore's own ``Value`` operations, so they are what ``graph_stepper`` shows.


def _local_backward(out, dout) -> tuple:
    """``dout`` times each local derivative of the node ``out`` (one per input, in order)."""
    from ..engine import local_derivatives

    return tuple(float(d * dout) for _, d in local_derivatives(out))


def mul_backward(a, b, dout):
    """(da, db) of ``out = a * b`` for the upstream gradient ``dout`` (numbers)."""
    from ..engine import Value

    return _local_backward(Value(float(a)) * Value(float(b)), float(dout))


def tanh_backward(x, dout):
    """dx of ``out = tanh(x)`` for the upstream gradient ``dout`` (numbers)."""
    from ..engine import Value

    return _local_backward(Value(float(x)).tanh(), float(dout))[0]


def _mul_swapped(a, b, dout):
    return a * dout, b * dout


def _mul_no_dout(a, b, dout):
    return b, a


def _mul_like_add(a, b, dout):
    return dout, dout


implement(
    "06.6", "Write the local backward of a multiplication", reference=mul_backward,
    name="my_mul_backward", outputs=("da", "db"),
    reference_name="dlcore's local backward of Value.__mul__",
    gradients=Gradients(lambda a, b: a * b, wrt=(0, 1), dout=2),
    cases=[
        Case("2 × (-3), upstream 1", (2.0, -3.0, 1.0)),
        Case("4 × (-1.5), upstream 0.5", (4.0, -1.5, 0.5)),
        Case("an input that is 0", (0.0, 5.0, -2.0)),
        Case("the same number twice (a * a)", (3.0, 3.0, 1.5)),
    ],
    mistakes=[
        (_mul_swapped, "each input's gradient is the OTHER input times dout: nudging a by a "
                       "little changes a * b by b times as much"),
        (_mul_no_dout, "that is the local derivative alone; the chain rule multiplies it by "
                       "the upstream gradient dout that reached the node"),
        (_mul_like_add, "that is the rule of an addition, which passes dout on unchanged; a "
                        "multiplication scales it by the other input"),
    ],
    hints=(
        "Hold b fixed: how much does a * b change when a moves by a little? That is the local "
        "derivative d(out)/da; do the same for b.",
        "The chain rule: the gradient an input receives is its local derivative times the "
        "upstream gradient dout.",
        "da = b * dout and db = a * dout; return them as a pair, da first.",
    ),
    solution=r"""
The local derivatives of $\text{out} = a\,b$ are $\partial \text{out}/\partial a = b$ and
$\partial \text{out}/\partial b = a$; the chain rule multiplies each by the upstream gradient:

```python
def my_mul_backward(a, b, dout):
    return b * dout, a * dout
```

Each input's gradient is the *other* input times `dout`: a multiplication node swaps its
inputs on the way back.
""")


def _tanh_of_input(x, dout):
    return (1.0 - x * x) * dout


def _tanh_no_dout(x, dout):
    t = np.tanh(x)
    return 1.0 - t * t


def _tanh_sigmoid_rule(x, dout):
    t = np.tanh(x)
    return t * (1.0 - t) * dout


def _tanh_no_square(x, dout):
    return (1.0 - np.tanh(x)) * dout


implement(
    "06.7", "Write the local backward of tanh", reference=tanh_backward,
    name="my_tanh_backward", reference_name="dlcore's local backward of Value.tanh",
    gradients=Gradients(np.tanh, wrt=(0,), dout=1),
    cases=[
        Case("x = 0, upstream 1", (0.0, 1.0)),
        Case("x = 0.5, upstream 1", (0.5, 1.0)),
        Case("x = -1.5, upstream 2", (-1.5, 2.0)),
        Case("a saturated unit, x = 4", (4.0, -0.5)),
    ],
    mistakes=[
        (_tanh_of_input, "the derivative is 1 - tanh(x)**2, the square of the OUTPUT; 1 - x**2 "
                         "squares the input"),
        (_tanh_no_square, "the output is squared in 1 - tanh(x)**2; 1 - tanh(x) forgets the "
                          "square"),
        (_tanh_sigmoid_rule, "t * (1 - t) is the sigmoid's rule; tanh's derivative is "
                             "1 - t**2 with t = tanh(x)"),
        (_tanh_no_dout, "that is the local derivative alone; multiply it by the upstream "
                        "gradient dout"),
    ],
    hints=(
        "tanh's derivative is written with its own output: compute t = tanh(x) first.",
        "d tanh(x)/dx = 1 - tanh(x)**2; the chain rule then multiplies by dout.",
        "`t = np.tanh(x)`, then return `(1 - t**2) * dout`.",
    ),
    solution=r"""
With $t = \tanh x$, $\;d t/d x = 1 - t^2$, and the chain rule multiplies by the upstream
gradient:

```python
def my_tanh_backward(x, dout):
    t = np.tanh(x)
    return (1 - t**2) * dout
```

At $x = 0$ the slope is 1, its largest; for a saturated unit ($|x| \gtrsim 3$) it is almost
0, and so is every gradient that has to pass through it.
""")
