"""Self-checks of lecture 2 (the McCulloch-Pitts neuron): exercises 02.1-02.5.

Expected values are computed here with ``dlcore.neurons`` and ``dlcore.data`` and never
printed.
"""

from __future__ import annotations

import numpy as np

from .. import neurons
from ..data.tables import BOOLEAN_FUNCTIONS, boolean_table
from ._answers import number as _number
from ._registry import exercise

__all__: list[str] = []


def _movie_count(theta: float) -> int:
    """How many of the 8 movies the unit-weight movie neuron fires for at threshold theta."""
    _, y = neurons.truth_table(lambda x: neurons.mp_neuron(x, theta), 3)
    return int(np.sum(y))


@exercise("02.1", "Movie neuron: how many movies at θ = 2?", solution=r"""
With unit weights the sum is the number of active inputs $k$, and the unit fires when
$k \ge 2$: three inputs with $k = 2$ and one with $k = 3$, so **4** of the 8.

```python
X, y = dl.neurons.truth_table(lambda x: dl.neurons.mp_neuron(x, 2), 3)
answer = int(y.sum())
```
""")
def _check_02_1(answer):
    a = _number(answer)
    if a == _movie_count(2.5):  # strict '>' at theta = 2 behaves like theta = 3 here
        return "that is the count for a strict '>': the unit fires when the sum equals θ"
    if a == 3:
        return "you counted the inputs with exactly two 1s; (1, 1, 1) also reaches θ"
    if a == _movie_count(0):
        return "that is the movie buff's count (θ = 0)"
    return None if a == _movie_count(2) else "list the 8 inputs and count sum >= 2"


@exercise("02.2", "Fold θ = 3 into a bias w0", solution=r"""
$\sum_{i=1}^n w_i x_i \ge \theta \iff \sum_{i=1}^n w_i x_i - \theta \ge 0$, so with the
constant input $x_0 = 1$ the bias is $w_0 = -\theta = $ **-3**.
""")
def _check_02_2(answer):
    a = _number(answer)
    if a == 3:
        return ("that is θ itself: firing needs sum - θ >= 0, so the bias carries the "
                "opposite sign")
    return None if a == -3 else "move θ to the left side of sum >= θ"


@exercise("02.3", "At which rating does a critic-rating unit switch?", solution=r"""
The unit fires when $w_0 + w_1 x_1 \ge 0$.  With $w_0 = -1.5$ and $w_1 = 2$ the switch is
where the argument is 0:

$$w_0 + w_1 x_1 = 0 \iff x_1 = -\frac{w_0}{w_1} = \frac{1.5}{2} = 0.75 .$$

So ratings of **0.75** and above mean "like".  $-w_0 = 1.5$ is the threshold on the weighted
input $w_1 x_1$, not on the rating itself; and $w_0$ with its own sign would be a negative
rating, outside the range $[0, 1]$.

```python
w0, w1 = -1.5, 2.0
answer = -w0 / w1
```
""")
def _check_02_3(answer):
    a = _number(answer)
    w0, w1 = -1.5, 2.0
    if np.isclose(a, w0):
        return ("that is w0 itself: the unit fires when w0 + w1 x1 >= 0, so solve "
                "w0 + w1 x1 = 0 for x1")
    if np.isclose(a, -w0):
        return "-w0 is the threshold on w1 x1; divide by w1 to get the rating"
    if np.isclose(a, w0 / w1):
        return "the sign is flipped: w0 + w1 x1 = 0 gives x1 = -w0 / w1"
    return None if np.isclose(a, -w0 / w1) else "solve w0 + w1 x1 = 0 for x1"


@exercise("02.4", "Weights and threshold for NAND", solution=r"""
NAND is 0 only at (1, 1).  Negative weights make the sum fall as inputs turn on:
$w = (-1, -1)$ gives sums $0, -1, -1, -2$; any θ in $(-2, -1]$ separates the last one,
e.g. **(w1, w2, θ) = (-1, -1, -1.5)** (or θ = -1, since the unit fires at sum = θ).

```python
X, y = dl.data.boolean_table("NAND")
assert np.array_equal(dl.neurons.step(X @ np.array([-1, -1]) + 1.5), y)
```
""")
def _check_02_4(answer):
    arr = np.asarray(answer, dtype=float).reshape(-1)
    if arr.size != 3:
        return f"answer with three numbers (w1, w2, theta); got {arr.size}"
    X, target = boolean_table("NAND")
    y = np.asarray(neurons.step(X @ arr[:2] - arr[2]))
    if np.array_equal(y, target):
        return None
    for name in ("AND", "NOR", "OR"):
        if np.array_equal(y, boolean_table(name)[1]):
            hint = {"AND": "this unit computes AND; NAND is its opposite: try negative weights",
                    "NOR": "this unit computes NOR (fires only at (0, 0)): lower θ so that "
                           "one active input still lets it fire",
                    "OR": "this unit computes OR; NAND must be 0 at (1, 1) only"}
            return hint[name]
    return "NAND outputs 1, 1, 1, 0 for (0,0), (0,1), (1,0), (1,1)"


@exercise("02.5", "Which two-input functions does no single threshold unit compute?",
          solution=r"""
**XOR and XNOR.**  For XOR a unit would need $0 < \theta$ (from (0,0) off),
$w_1 \ge \theta$ and $w_2 \ge \theta$ (from (1,0), (0,1) on) and $w_1 + w_2 < \theta$
(from (1,1) off).  Adding the middle two gives $w_1 + w_2 \ge 2\theta > \theta$: a
contradiction.  XNOR is the complement of XOR, with the inequalities reversed.  The other
14 functions of two inputs are all realisable (the playground with `n_inputs=2` shows a unit
for each).
""")
def _check_02_5(answer):
    items = [answer] if isinstance(answer, str) else list(answer)
    got = {str(a).strip().upper() for a in items}
    unknown = got - set(BOOLEAN_FUNCTIONS)
    if unknown:
        return (f"use the names {', '.join(BOOLEAN_FUNCTIONS)}; "
                f"got {', '.join(sorted(unknown))}")
    realisable = sorted(got - {"XOR", "XNOR"})
    if realisable:
        return f"{realisable[0]} is realisable: find its weights on the threshold plane"
    if got == {"XOR"}:
        return "one more: the complement of XOR cannot be computed either"
    return None if got == {"XOR", "XNOR"} else "name both functions"
