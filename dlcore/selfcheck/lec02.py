"""Self-checks of lecture 2 (the McCulloch-Pitts neuron): exercises 02.1-02.5, and the
"your turn" exercises 02.6 (the unit on a batch of inputs) and 02.7 (the threshold of a truth
table).

Expected values are computed here with ``dlcore.neurons`` and ``dlcore.data`` and never
printed.
"""

from __future__ import annotations

import numpy as np

from .. import neurons
from ..data.tables import BOOLEAN_FUNCTIONS, boolean_table
from ._answers import number as _number
from ._functions import Case, implement
from ._registry import exercise

__all__: list[str] = []


def _movie_count(theta: float) -> int:
    """How many of the 8 movies the unit-weight movie neuron fires for at threshold theta."""
    _, y = neurons.truth_table(lambda x: neurons.mp_neuron(x, theta), 3)
    return int(np.sum(y))


@exercise("02.1", "Movie neuron: how many movies at θ = 2?", hints=(
    "With unit weights the sum is just the number of active inputs: list the 8 inputs by how "
    "many 1s they hold.",
    "The unit fires when the sum *reaches* θ: an input whose sum equals 2 counts.",
    "Count the inputs with exactly two 1s, then add the ones with three.",
), solution=r"""
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


@exercise("02.2", "Fold θ = 3 into a bias w0", hints=(
    "Start from the firing condition Σ xᵢ ≥ θ and move θ to the left-hand side.",
    "The new left-hand side is θ's term plus the old sum; the term that goes with the constant "
    "input x0 = 1 is the bias w0.",
), solution=r"""
$\sum_{i=1}^n w_i x_i \ge \theta \iff \sum_{i=1}^n w_i x_i - \theta \ge 0$, so with the
constant input $x_0 = 1$ the bias is $w_0 = -\theta = $ **-3**.
""")
def _check_02_2(answer):
    a = _number(answer)
    if a == 3:
        return ("that is θ itself: firing needs sum - θ >= 0, so the bias carries the "
                "opposite sign")
    return None if a == -3 else "move θ to the left side of sum >= θ"


@exercise("02.3", "At which rating does a critic-rating unit switch?", hints=(
    "The unit switches where its argument w0 + w1 x1 crosses zero.",
    "Set w0 + w1 x1 = 0 and solve for x1; watch the sign of w0.",
    "x1 = -w0 / w1, with the weights of this exercise (not those of the lecture's example).",
), solution=r"""
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


@exercise("02.4", "Weights and threshold for NAND", hints=(
    "NAND is the opposite of AND: it should stop firing as inputs turn on, so think about the "
    "sign of the weights.",
    "With w = (-1, -1) write the sum at the four corners; which θ leaves only (1, 1) below it?",
    "Any θ above the sum at (1, 1) and at most the sum at (1, 0) works; check the unit on "
    "`dl.data.boolean_table(\"NAND\")` before answering.",
), solution=r"""
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
          hints=(
    "Section 5 of the lecture proves one of them impossible; its complement fails for the "
    "same reason.",
    "The playground with `n_inputs=2` hatches the functions no unit can land on; the grid "
    "search of section 5 prints their codes.",
), solution=r"""
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


# --- Your turn: exercises 02.6 and 02.7 ------------------------------------------------------

def reference_mp_neuron(X, threshold, inhibitory=()):
    """dlcore's McCulloch-Pitts unit on every row of X (N, n): outputs (N,) in {0, 1}."""
    X = np.asarray(X, dtype=float)
    return np.array([neurons.mp_neuron(row, threshold, inhibitory=tuple(inhibitory))
                     for row in X], dtype=float)


def _strict_mp(X, threshold, inhibitory=()):
    X = np.asarray(X, dtype=float)
    fires = X.sum(axis=1) > threshold
    if len(inhibitory):
        fires &= ~np.any(X[:, list(inhibitory)] == 1, axis=1)
    return fires.astype(float)


def _no_veto_mp(X, threshold, inhibitory=()):
    return (np.asarray(X, dtype=float).sum(axis=1) >= threshold).astype(float)


def _subtracting_mp(X, threshold, inhibitory=()):
    X = np.asarray(X, dtype=float)
    sign = np.ones(X.shape[1])
    sign[list(inhibitory)] = -1.0
    return (X @ sign >= threshold).astype(float)


def _all_veto_mp(X, threshold, inhibitory=()):
    X = np.asarray(X, dtype=float)
    fires = X.sum(axis=1) >= threshold
    if len(inhibitory):
        fires &= ~np.all(X[:, list(inhibitory)] == 1, axis=1)
    return fires.astype(float)


def _table(n: int) -> np.ndarray:
    return neurons.truth_table(lambda row: 0, n)[0].astype(float)


implement(
    "02.6", "Write the McCulloch-Pitts unit for a batch of inputs",
    reference=reference_mp_neuron, name="my_mp_neuron",
    reference_name="dlcore's McCulloch-Pitts unit (dl.neurons.mp_neuron on each row)",
    cases=[
        Case("one input, the sum equal to θ", (np.array([[1.0], [0.0]]), 1.0)),
        Case("two inputs, θ = 0, x1 inhibitory", (_table(2), 0.0), {"inhibitory": (0,)}),
        Case("the movie neuron at θ = 2", (_table(3), 2.0)),
        Case("three inputs, θ = 1, x1 and x3 inhibitory", (_table(3), 1.0),
             {"inhibitory": (0, 2)}),
        Case("a batch of one input", (np.array([[1.0, 1.0, 0.0, 1.0]]), 3.0),
             {"inhibitory": (2,)}),
    ],
    mistakes=[
        (_strict_mp, "the unit fires when the sum *reaches* θ: a sum equal to θ gives 1 "
                     "(a strict '>' leaves those inputs silent)"),
        (_no_veto_mp, "the inhibitory inputs are not used: when any of them is 1 the unit "
                      "outputs 0, whatever the sum"),
        (_subtracting_mp, "an inhibitory input is a veto, not a weight of -1: one active "
                          "inhibitory input silences the unit even when the rest of the sum "
                          "is large enough"),
        (_all_veto_mp, "one active inhibitory input is enough to veto: the unit is silenced "
                       "when *any* of them is 1, not only when all of them are"),
    ],
    hints=(
        "Work on all rows at once: `X.sum(axis=1)` gives one sum per input row, to compare "
        "with θ.",
        "The veto: `X[:, list(inhibitory)]` holds the inhibitory columns; a row is vetoed when "
        "any of its entries there is 1 (`np.any(..., axis=1)`).",
        "Fire where `sum >= threshold` and not vetoed; return the result as 0s and 1s "
        "(`.astype(float)`).",
    ),
    solution=r"""
Add each row, compare with $\theta$ (firing at equality), and silence every row in which an
inhibitory input is on:

```python
def my_mp_neuron(X, threshold, inhibitory=()):
    X = np.asarray(X, dtype=float)
    fires = X.sum(axis=1) >= threshold
    if len(inhibitory):
        fires &= ~np.any(X[:, list(inhibitory)] == 1, axis=1)
    return fires.astype(float)
```

The veto does not take part in the sum: it overrides it, which is what made the original
model able to say "never a thriller".
""")


def reference_threshold(y):
    """The smallest whole θ for which the unit-weight unit computes the truth column y (2**n,)."""
    y = np.asarray(y)
    n = int(round(np.log2(y.size)))
    for theta in range(n + 2):
        if np.array_equal(neurons.truth_table(lambda x, t=theta: neurons.mp_neuron(x, t), n)[1],
                          y):
            return float(theta)
    raise ValueError("no McCulloch-Pitts unit computes this truth column")


def _counts(y):
    n = int(round(np.log2(np.asarray(y).size)))
    return _table(n).sum(axis=1), n


def _firing_rows(y):
    return float(np.sum(y))


def _largest_silent(y):
    k, _ = _counts(y)
    silent = k[np.asarray(y) == 0]
    return float(silent.max()) if silent.size else 0.0


def _never_is_n(y):
    k, n = _counts(y)
    firing = k[np.asarray(y) == 1]
    return float(firing.min()) if firing.size else float(n)


implement(
    "02.7", "Find the threshold from a truth table",
    reference=reference_threshold, name="my_threshold",
    reference_name="dlcore's threshold search (dl.neurons.mp_neuron at θ = 0, 1, ..., n + 1)",
    cases=[
        Case("one input, y = x1", (np.array([0.0, 1.0]),)),
        Case("AND of two inputs", (np.array([0.0, 0.0, 0.0, 1.0]),)),
        Case("OR of three inputs", (np.array([0.0, 1, 1, 1, 1, 1, 1, 1]),)),
        Case("majority of three", (np.array([0.0, 0, 0, 1, 0, 1, 1, 1]),)),
        Case("fires for every input", (np.ones(4),)),
        Case("never fires", (np.zeros(4),)),
    ],
    mistakes=[
        (_firing_rows, "that is how many rows fire; θ is a sum of inputs, the smallest number "
                       "of active inputs that makes the unit fire"),
        (_never_is_n, "a unit that never fires needs a θ above every possible sum: with n "
                      "inputs the largest sum is n, so θ = n fires on the all-ones row"),
        (_largest_silent, "that is the largest sum for which the unit stays silent; a unit "
                          "with that θ would fire there too, since it fires when the sum "
                          "equals θ"),
    ],
    hints=(
        "With unit weights the unit only sees how many inputs are on: compute that count for "
        "each row of the table (`dl.neurons.truth_table` or the bits of the row number give "
        "the rows; n = log2 of the number of rows).",
        "The unit fires exactly on the rows whose count is at least θ: look at the counts of "
        "the rows where y = 1.",
        "θ is the smallest count among the firing rows; when no row fires, take one more "
        "than the largest possible count.",
    ),
    solution=r"""
Build the table's rows, count the active inputs in each, and take the smallest count among
the rows that fire ($n + 1$ when none does):

```python
def my_threshold(y):
    y = np.asarray(y)
    n = int(np.log2(len(y)))
    X, _ = dl.neurons.truth_table(lambda x: 0, n)
    counts = X.sum(axis=1)
    firing = counts[y == 1]
    return float(firing.min()) if firing.size else float(n + 1)
```

Any θ between the largest silent count (excluded) and the smallest firing count (included)
gives the same unit; the smallest whole one is the smallest firing count.
""")
