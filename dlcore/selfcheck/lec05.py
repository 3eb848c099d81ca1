"""Self-checks of lecture 5 (multilayer networks and representation power)."""

from __future__ import annotations

import numpy as np

from ._answers import number
from ._registry import exercise


@exercise("05.1", "Parameters of a 2-3-3-1 network", solution="""
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


@exercise("05.2", "An output unit that turns (OR, AND) into XNOR", solution="""
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


@exercise("05.3", "Top plateau of two sigmoid steps", solution="""
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


@exercise("05.4", "Parameters of a sum of 8 towers", solution="""
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
