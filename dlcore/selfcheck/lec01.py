"""Self-checks of lecture 1 (neurons and history): exercises 01.1-01.4.

Numbers come from ``data.ilsvrc_results()`` (Khapra's ILSVRC table); expected values are
computed here and never printed.
"""

from __future__ import annotations

import numpy as np

from ..data.history import ilsvrc_results
from ._answers import number as _number
from ._registry import exercise

__all__: list[str] = []


def _letters(answer) -> set[str]:
    """'acd', ['a', 'c', 'd'] or {'A', 'C', 'D'} -> {'a', 'c', 'd'}."""
    if isinstance(answer, str):
        items = [c for c in answer if c.isalpha()]
    else:
        items = [str(a).strip() for a in answer]
    return {c.lower() for c in items}


def _name(answer) -> str:
    if not isinstance(answer, str):
        raise TypeError(f"expected a network name as a string, got {type(answer).__name__}")
    return answer.strip().lower().replace("ms ", "")


@exercise("01.1", "How many times lower is ResNet's top-5 error than AlexNet's?", hints=(
    "AlexNet is the first row of `dl.data.ilsvrc_results()` and ResNet the last; each row has "
    "a `.top5_error` in percent.",
    "\"How many times lower\" asks for a ratio, not a difference: which error goes on top?",
), solution=r"""
The ILSVRC table gives AlexNet 16.0% and ResNet 3.6%.  "How many times lower" is the ratio
of the old error to the new one:

$16.0 / 3.6 \approx 4.44$.

The difference $16.0 - 3.6 = 12.4$ is in percentage points, not a factor.

```python
res = dl.data.ilsvrc_results()
answer = res[0].top5_error / res[-1].top5_error
```
""")
def _check_01_1(answer):
    res = ilsvrc_results()
    first, last = res[0], res[-1]
    a = _number(answer)
    if np.isclose(a, last.top5_error / first.top5_error, rtol=1e-2):
        return "that ratio is inverted: divide AlexNet's error by ResNet's"
    if np.isclose(a, first.top5_error - last.top5_error, rtol=1e-3):
        return "that is the drop in percentage points; the question asks for a ratio"
    if np.isclose(a, last.layers / first.layers, rtol=1e-3):
        return "that is the ratio of the depths, not of the errors"
    expected = first.top5_error / last.top5_error
    return None if np.isclose(a, expected, rtol=5e-3) else \
        "take the two top-5 errors from dl.data.ilsvrc_results() and divide"


@exercise("01.2", "Who should be credited with backpropagation?", hints=(
    "Two questions separate the statements: who *first* applied backpropagation to neural "
    "networks, and who *made it popular*?",
    "The 1986 paper that made it popular has three authors; section 3 of the lecture names "
    "someone who applied it to neural networks before them.",
), solution=r"""
**b.**  Rumelhart, Hinton and Williams popularised backpropagation for training multilayer
networks in 1986; Werbos had applied it to neural networks before them (in 1982; his 1974
thesis already described it), and the idea was found several times in the 1960s and 1970s.

Statement a is a common shortcut: Hinton was one of three authors of the 1986 paper, and not
the first to use the method.  Minsky and Papert's 1969 book (d) was about the limits of
single-layer perceptrons.
""")
def _check_01_2(answer):
    got = _letters(answer)
    if got == {"b"}:
        return None
    if got == {"a"}:
        return ("Hinton is one of three authors of the 1986 paper, and someone used backprop "
                "for neural networks earlier")
    if got == {"c"}:
        return "Werbos used it first, but he did not write the 1986 paper that made it popular"
    if got == {"d"}:
        return "Minsky and Papert wrote about the limits of perceptrons, not backpropagation"
    return "choose exactly one letter: 'a', 'b', 'c' or 'd'"


@exercise("01.3", "Why did deep learning take off after 2010?", hints=(
    "The lecture sums it up as three ingredients that came together around 2010.",
    "When did the first artificial neuron appear on the timeline? And do experts get a model "
    "right at the first try?",
), solution=r"""
**a, c, d.**  The IFT6758 *Deep Learning* slides sum it up as
"deep learning = known algorithms + computing power + big data", and Dripta MJ's
*Deep Learning: The Basics* lists big data, hardware (GPUs) and software (open-source
toolboxes).

- b is false: the timeline starts with the McCulloch-Pitts neuron in 1943.
- e is false: even experienced practitioners iterate over several models (a quiz question in
  Arya's *Introduction to Deep Learning*).
""")
def _check_01_3(answer):
    got = _letters(answer)
    if not got or not got <= set("abcde"):
        return "give the letters of every true statement, e.g. 'ab' (letters a to e only)"
    if "b" in got:
        return "neural networks are not new: look at the first milestones of the timeline"
    if "e" in got:
        return "deep learning needs iteration over models, even for experts"
    if got == {"a", "c", "d"}:
        return None
    return "one of the three ingredients is missing: algorithms, compute and data"


@exercise("01.4", "Which network cut its predecessor's error by the largest fraction?",
          hints=(
              "Compare each network with the one just before it in the table: AlexNet has "
              "no predecessor.",
              "A fraction of the previous error: (previous - new) / previous. The largest "
              "drop in percentage points is not the largest fraction.",
          ), solution=r"""
The relative reduction of each network over the one before it in the table is
$(e_{\text{prev}} - e)/e_{\text{prev}}$:

| network | error | reduction |
|---|---|---|
| ZFNet | 11.2% | 4.8/16.0 = 30% |
| VGGNet | 7.3% | 3.9/11.2 = 35% |
| GoogLeNet | 6.7% | 0.6/7.3 = 8% |
| ResNet | 3.6% | 3.1/6.7 = 46% |

**ResNet**: the largest fraction, although ZFNet has the largest drop in percentage points.

```python
res = dl.data.ilsvrc_results()
err = np.array([r.top5_error for r in res])
answer = res[1 + np.argmax((err[:-1] - err[1:]) / err[:-1])].network
```
""")
def _check_01_4(answer):
    res = ilsvrc_results()
    err = np.array([r.top5_error for r in res])
    names = [r.network.lower() for r in res]
    got = _name(answer)
    if got not in names:
        return f"answer with one of the network names: {', '.join(r.network for r in res)}"
    absolute = names[1 + int(np.argmax(err[:-1] - err[1:]))]
    relative = names[1 + int(np.argmax((err[:-1] - err[1:]) / err[:-1]))]
    if got == relative:
        return None
    if got == names[0]:
        return "AlexNet has no predecessor in the table; compare each network with the one before"
    if got == absolute:
        return ("that is the largest drop in percentage points; divide each drop by the "
                "previous error")
    return "compute (previous error - error) / previous error for each network"
