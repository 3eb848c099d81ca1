"""Self-checks of lecture 5 (multilayer networks and representation power)."""

from __future__ import annotations

import numpy as np

from ._answers import number
from ._functions import Case, implement
from ._registry import exercise


@exercise("05.1", "Parameters of a 2-3-3-1 network", hints=(
    "Go layer by layer, from the first hidden layer to the output; the inputs carry no "
    "parameters.",
    "A neuron has one weight per input it receives plus one bias, so a layer of n_l units fed"
    " by n_(l-1) values has (n_(l-1) + 1) n_l parameters.",
    "Add (2 + 1) x 3, (3 + 1) x 3 and (3 + 1) x 1.",
), solution="""
Count layer by layer with $(n_{l-1} + 1)\\,n_l$: every neuron has one weight per input plus one
bias.

- hidden layer 1: $(2 + 1) \\times 3 = 9$
- hidden layer 2: $(3 + 1) \\times 3 = 12$
- output layer: $(3 + 1) \\times 1 = 4$

In all **25 parameters** (18 weights and 7 biases).  `dl.counting.mlp_counts([2, 3, 3, 1])`
gives the same numbers.
""")
def _check_params(answer):
    from ..counting import mlp_counts

    c = mlp_counts([2, 3, 3, 1])
    value = number(answer, strict=True)
    if value == c.weights:
        return "that counts the weights only: every neuron also has a bias"
    if value == c.neurons:
        return "that is the number of neurons; count the weights and biases that feed them"
    if value == c.parameters + 2:
        return "the inputs are not neurons: they have no bias"
    return None if value == c.parameters else \
        "add (inputs + 1) x neurons for each layer after the input"


@exercise("05.2", "An output unit that turns (OR, AND) into XNOR", hints=(
    "Write down where the four inputs land in hidden space (h_OR, h_AND): only three distinct"
    " points appear.",
    "XNOR must fire on (0, 0) and (1, 1) of hidden space but not on (1, 0): the XOR output "
    "unit does the opposite, so try negating it.",
    "Find (v_OR, v_AND, c) with c >= 0, v_OR + c < 0 and v_OR + v_AND + c >= 0 (remember "
    "step(0) = 1).",
), solution="""
XNOR is 1 on (0, 0) and (1, 1).  In hidden space these inputs sit at $(h_{OR}, h_{AND}) =
(0, 0)$ and $(1, 1)$, and the other two both at $(1, 0)$.  Negate the XOR unit:
$v = (-1, 1)$ with bias $0.5$ gives sums $0.5,\\; -0.5,\\; -0.5,\\; 0.5$ on the four rows,
so the unit fires exactly on (0, 0) and (1, 1).  Any $(v_{OR}, v_{AND}, c)$ with $c \\ge 0$,
$v_{OR} + c < 0$ and $v_{OR} + v_{AND} + c \\ge 0$ works, e.g. `(-2, 2, 1)`.
""")
def _check_xnor(answer):
    from ..data import boolean_table
    from ..neurons import threshold_net_forward, xor_layers

    if not isinstance(answer, (tuple, list, np.ndarray)) or len(answer) != 3:
        return "give three numbers: (weight from OR, weight from AND, output bias)"
    v_or, v_and, bias = (number(a, strict=True) for a in answer)
    X, _ = boolean_table("XNOR")
    out = threshold_net_forward(X, xor_layers((v_or, v_and), bias))[:, 0]
    if np.array_equal(out, boolean_table("XNOR")[1]):
        return None
    for name in ("XOR", "OR", "AND", "NAND", "NOR"):
        if np.array_equal(out, boolean_table(name)[1]):
            extra = (": negate the XOR unit, and check the sums at 0 (step(0) = 1)"
                     if name == "XOR" else "")
            return f"this output unit computes {name}{extra}"
    return (f"the output is {out.tolist()} on the rows (0,0), (0,1), (1,0), (1,1); XNOR is "
            f"[1, 0, 0, 1]")


@exercise("05.3", "Top plateau of two sigmoid steps", hints=(
    "Far to the right, what are both sigmoids worth?",
    "Set both sigmoids to 1 in y = b + (a - b) s1 + (c - b) s2 and simplify.",
    "The constant b appears once with a plus sign and twice with a minus sign: the plateau is"
    " a + c - b.",
), solution="""
Far to the right both sigmoids are 1, so
$\\bar y = b + (a - b) + (c - b) = a + c - b = 2 + 1.5 - 0.5 = 3$.
The formula reads like a staircase from $b$ to $a$ to $c$, but the second step adds $c - b$ on
top of $a$; a staircase $b \\to a \\to c$ would need the second coefficient $c - a$.
""")
def _check_plateau(answer):
    from ..nn import tower_mlp, tower_weights

    a, b, c = 2.0, 0.5, 1.5
    expected = float(tower_mlp(*tower_weights(a, b, c, 8.0, (0.0, 2.0)))(np.array([[50.0]]))[0, 0])
    value = number(answer, strict=True)
    if np.isclose(value, c):
        return "that is c, the value the formula seems to promise; far right both sigmoids are 1"
    if np.isclose(value, a):
        return "that is the middle plateau, between the two steps"
    if np.isclose(value, b):
        return "that is the left plateau, before the first step"
    if np.isclose(value, a + c):
        return "close: the constant b is added once but both coefficients subtract it"
    return None if np.isclose(value, expected, atol=1e-3) else \
        "set both sigmoids to 1 in b + (a - b) s1 + (c - b) s2"


@exercise("05.4", "Parameters of a sum of 8 towers", hints=(
    "How many hidden sigmoid units does one tower, a difference of two steps, need?",
    "8 towers make a 1-H-1 network; count (1 + 1) H for the hidden layer and (H + 1) for the "
    "output unit.",
    "With H = 16: (1 + 1) x 16 + (16 + 1) x 1.",
), solution="""
Each tower $\\sigma(k(x - l)) - \\sigma(k(x - r))$ needs two hidden sigmoid units, so 8 towers
make a 1-16-1 network: $(1 + 1) \\times 16 + (16 + 1) \\times 1 = 32 + 17 = 49$ parameters.
`dl.counting.mlp_counts([1, 16, 1]).parameters` agrees.
""")
def _check_towers(answer):
    from ..counting import mlp_counts

    expected = mlp_counts([1, 16, 1]).parameters
    value = number(answer, strict=True)
    if value == expected - 1:
        return "you forgot the output unit's bias"
    if value == mlp_counts([1, 16, 1]).weights:
        return "that counts the weights only: every neuron also has a bias"
    if value == mlp_counts([1, 8, 1]).parameters:
        return "each tower is the difference of two sigmoids: two hidden units per tower"
    return None if value == expected else \
        "how many hidden units do 8 towers need, and what does each one carry?"


# Your turn: a threshold network's forward pass, and a sigmoid tower ----------------------------


def threshold_forward(X, W1, b1, W2, b2) -> np.ndarray:
    """step(step(X W1^T + b1) W2^T + b2) with step(0) = 1: X (N, D) -> (N, M)."""
    from ..neurons import threshold_net_forward

    return threshold_net_forward(X, [(W1, b1), (W2, b2)])


def _step(z):
    return (np.asarray(z, dtype=float) >= 0).astype(float)


def _strict_step(X, W1, b1, W2, b2):
    h = (X @ W1.T + b1 > 0).astype(float)
    return (h @ W2.T + b2 > 0).astype(float)


def _linear_output(X, W1, b1, W2, b2):
    return _step(X @ W1.T + b1) @ W2.T + b2


def _no_hidden_step(X, W1, b1, W2, b2):
    return _step((X @ W1.T + b1) @ W2.T + b2)


def _untransposed(X, W1, b1, W2, b2):
    return _step(_step(X @ W1 + b1) @ W2.T + b2)


def _xor_case(rows):
    (W1, b1), (W2, b2) = [(np.array(w, dtype=float), np.array(b, dtype=float)) for w, b in (
        ([[1.0, 1.0], [1.0, 1.0]], [-0.5, -1.5]), ([[1.0, -1.0]], [-0.5]))]
    return (np.array(rows, dtype=float), W1, b1, W2, b2)


implement(
    "05.5", "Write the forward pass of a two-layer threshold network",
    reference=threshold_forward, name="my_threshold_forward",
    reference_name="dlcore's threshold network (dl.neurons.threshold_net_forward)",
    cases=[
        Case("XOR on the input (1, 0)", _xor_case([[1.0, 0.0]])),
        Case("the XOR truth table", _xor_case([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0],
                                               [1.0, 1.0]])),
        Case("sums that are exactly 0 (step(0) = 1)", (
            np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
            np.array([[1.0, 1.0], [1.0, -1.0]]), np.array([-1.0, 0.0]),
            np.array([[2.0, -1.0]]), np.array([-1.0]))),
        Case("3 inputs, 3 hidden units, 2 outputs", (
            np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]),
            np.array([[2.0, -1.0, 0.0], [0.0, 1.0, -3.0], [1.0, 1.0, 1.0]]),
            np.array([-1.5, 0.5, -2.5]),
            np.array([[1.0, 1.0, -1.0], [-1.0, 0.0, 1.0]]), np.array([-0.5, -0.5]))),
    ],
    mistakes=[
        (_linear_output, "the output layer needs its step too: every unit of this network, "
                         "hidden or output, is a threshold unit"),
        (_no_hidden_step, "the hidden units' sums go through the step before the output layer "
                          "reads them; without it the two layers collapse into one"),
        (_strict_step, "step(0) is 1 in this course: a unit fires when its sum is >= 0, so a "
                       "sum of exactly 0 counts as firing"),
        (_untransposed, "row j of W1 holds the weights of hidden unit j (PyTorch's (out, in) "
                        "order): the sums are X @ W1.T, not X @ W1"),
    ],
    hints=(
        "Two layers, the same recipe twice: a weighted sum plus the bias, then the step.",
        "The hidden layer is H = step(X @ W1.T + b1), one column per hidden unit; the output "
        "layer does the same to H with W2 and b2.",
        "With `step = lambda z: (z >= 0).astype(float)`, return "
        "`step(step(X @ W1.T + b1) @ W2.T + b2)`.",
    ),
    solution=r"""
Each layer forms its weighted sums (row $j$ of $W$ holds unit $j$'s weights) and passes them
through the step, with $\operatorname{step}(0) = 1$:

```python
def my_threshold_forward(X, W1, b1, W2, b2):
    step = lambda z: (z >= 0).astype(float)
    H = step(X @ W1.T + b1)        # (N, hidden units)
    return step(H @ W2.T + b2)     # (N, outputs)
```

Without the hidden step, the output would be a step of a linear function of $X$: one
half-plane, which cannot compute XOR.
""")


def _tower_swapped(x, m1, m2, k):
    return nn_tower(x, m2, m1, k)


def _tower_unscaled_shift(x, m1, m2, k):
    x = np.asarray(x, dtype=float)
    return _sigmoid(k * x - m1) - _sigmoid(k * x - m2)


def _tower_sum(x, m1, m2, k):
    x = np.asarray(x, dtype=float)
    return _sigmoid(k * (x - m1)) + _sigmoid(k * (x - m2))


def _sigmoid(z):
    from ..activations import sigmoid

    return sigmoid(np.asarray(z, dtype=float))


def nn_tower(x, m1, m2, k):
    """dlcore's tower sigma(k (x - m1)) - sigma(k (x - m2)) (``dl.nn.sigmoid_tower``)."""
    from ..nn import sigmoid_tower

    return sigmoid_tower(x, m1, m2, k)


implement(
    "05.6", "Write a sigmoid tower", reference=nn_tower, name="my_tower",
    reference_name="dl.nn.sigmoid_tower",
    cases=[
        Case("x at the left step", (np.array([0.25]), 0.25, 1.25, 10.0)),
        Case("five points, k = 50", (np.array([0.0, 0.5, 1.0, 1.5, 2.0]), 0.25, 1.25, 50.0)),
        Case("a gentle tower, k = 2", (np.array([-1.0, 0.0, 1.0, 2.0, 3.0]), 0.0, 2.0, 2.0)),
        Case("a very steep tower, k = 1000", (np.array([-5.0, 0.5, 5.0]), 0.0, 1.0, 1000.0)),
    ],
    mistakes=[
        (_tower_swapped, "the tower comes out upside down: subtract the step at m2 (the right "
                         "one) from the step at m1 (the left one)"),
        (_tower_sum, "adding the two steps gives a staircase from 0 to 2; a tower is their "
                     "difference"),
        (_tower_unscaled_shift, "the steepness multiplies the distance to the step, "
                                "k (x - m1); k x - m1 puts the step at m1 / k"),
    ],
    hints=(
        "A tower is one step up at m1 and one step down at m2: the difference of two steep "
        "sigmoids.",
        "The step at m is sigma(k (x - m)): it is 1/2 exactly at x = m and gets steeper as k "
        "grows.",
        "Return `sigmoid(k * (x - m1)) - sigmoid(k * (x - m2))`, with "
        "`dl.activations.sigmoid` or 1 / (1 + np.exp(-z)).",
    ),
    solution=r"""
Step up at $m_1$, step down at $m_2$:

```python
def my_tower(x, m1, m2, k):
    x = np.asarray(x, float)
    return dl.activations.sigmoid(k * (x - m1)) - dl.activations.sigmoid(k * (x - m2))
```

Between the steps the first sigmoid is close to 1 and the second close to 0, so the tower is
close to 1 there and close to 0 outside; the larger $k$, the sharper its walls.
""")
