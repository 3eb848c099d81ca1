"""Self-checks of lecture 8 (training tips): exercises 08.1-08.5.

Expected values are computed here with dlcore (``counting``, ``layers``, ``nn``) and never
printed; a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from .. import counting, layers
from ._answers import close as _close
from ._answers import number as _number
from ._answers import numbers as _numbers
from ._registry import exercise

__all__: list[str] = []


@exercise("08.1", "Parameters of a 784-100-10 network", solution=r"""
Each layer has (inputs + 1) x outputs parameters (one bias per unit):
$(784 + 1) \cdot 100 + (100 + 1) \cdot 10 = 78{,}500 + 1{,}010 = 79{,}510$.

```python
answer = dl.counting.mlp_counts([784, 100, 10]).parameters
```
""")
def _check_count(answer):
    got = _number(answer)
    c = counting.mlp_counts([784, 100, 10])
    if got == c.weights:
        return "that counts the weights only: add one bias per hidden and output unit"
    if got == c.neurons:
        return "that is the number of units; count the weights and biases that feed them"
    if got == 784 * 100:
        return "that is the first layer's weights only; add its biases and the second layer"
    return None if got == c.parameters else "sum (n_in + 1) * n_out over the layers"


@exercise("08.2", "From keep probabilities to torch's drop probability", solution=r"""
A slide that *retains* input units with probability 0.9 and hidden units with probability 0.6
describes `nn.Dropout(p)` with the drop probability $p = 1 - \text{keep}$: $p = 0.1$ for the
inputs and $p = 0.4$ for the hidden units.  `nn.Dropout(0.9)` would drop 90 % of the inputs.

```python
answer = [1 - 0.9, 1 - 0.6]
```
""")
def _check_drop_probability(answer):
    got = _numbers(answer, 2)
    keep = np.array([0.9, 0.6])
    if _close(got, keep):
        return ("those are the keep probabilities (the p of the slides); torch's p is the "
                "probability of DROPPING a unit")
    if _close(got, (1 - keep)[::-1]):
        return "right values, wrong order: the input probability comes first"
    return None if _close(got, 1 - keep) else "the drop probability is 1 - keep"


@exercise("08.3", "Batch norm of [2, 4, 6, 8] with gamma = 3, beta = -1 (eps = 0)", solution=r"""
Mean $\mu = 5$, biased variance $\sigma^2 = (9 + 1 + 1 + 9)/4 = 5$, so
$\hat z = (z - 5)/\sqrt5 \approx [-1.341641, -0.447214, 0.447214, 1.341641]$ (the same as for
[1, 2, 3, 4]: batch norm ignores shift and scale of its input).  Then
$y = 3\hat z - 1 \approx [-5.024922, -2.341641, 0.341641, 3.024922]$.

```python
out, _ = dl.layers.batchnorm_forward(np.array([[2.0], [4.0], [6.0], [8.0]]), np.array([3.0]),
                                     np.array([-1.0]), eps=0.0)
answer = out.ravel()
```
""")
def _check_batchnorm(answer):
    got = _numbers(answer, 4)
    z = np.array([[2.0], [4.0], [6.0], [8.0]])

    def bn(gamma, beta):
        return layers.batchnorm_forward(z, np.array([gamma]), np.array([beta]), eps=0.0)[0]

    expected = bn(3.0, -1.0).ravel()
    if _close(got, bn(-1.0, 3.0).ravel()):
        return "gamma and beta are swapped: gamma scales, beta shifts"
    x_hat_unbiased = (z.ravel() - z.mean()) / z.std(ddof=1)
    if _close(got, 3.0 * x_hat_unbiased - 1.0):
        return "batch norm uses the biased variance (divide by N, not N - 1)"
    if _close(got, bn(1.0, 0.0).ravel()):
        return "that is z_hat; apply the scale gamma and the shift beta"
    return None if _close(got, expected) else (
        "z_hat = (z - mean) / std with the biased std, then gamma * z_hat + beta")


@exercise("08.4", "He-normal std for a Linear(256, 128) layer", solution=r"""
He initialisation draws $w \sim \mathcal N(0, 2/n_{in})$ with $n_{in} = 256$ inputs, so the
std is $\sqrt{2/256} \approx 0.088388$.  (Xavier would use $\sqrt{2/(256 + 128)} \approx
0.072169$.)

```python
fan_in, fan_out = dl.nn.fan_in_fan_out((128, 256))   # weight shape (M, D)
answer = np.sqrt(2 / fan_in)
```
""")
def _check_he(answer):
    from ..nn import fan_in_fan_out

    got = _number(answer)
    fan_in, fan_out = fan_in_fan_out((128, 256))
    expected = np.sqrt(2.0 / fan_in)
    if _close(got, expected ** 2, atol=1e-6):
        return "that is the variance 2 / fan_in; the std is its square root"
    if _close(got, np.sqrt(2.0 / (fan_in + fan_out))):
        return "that is Xavier's std, 2 / (fan_in + fan_out); He uses 2 / fan_in"
    if _close(got, np.sqrt(2.0 / fan_out)):
        return "fan_in is the number of INPUTS of the layer (256)"
    if _close(got, np.sqrt(1.0 / fan_in)):
        return "He doubles the variance for ReLU: 2 / fan_in, not 1 / fan_in"
    return None if _close(got, expected, atol=1e-5) else "std = sqrt(2 / fan_in)"


@exercise("08.5", "Mean and std of a batch-norm output with gamma = 0.5, beta = 3", solution=r"""
In training mode $\hat z$ has mean 0 and std 1 over the batch (up to $\epsilon$), so
$y = \gamma \hat z + \beta$ has mean $\beta = 3$ and std $|\gamma| = 0.5$: $\gamma$ scales,
$\beta$ shifts (swapping the two is a common slip).

```python
answer = (3.0, 0.5)
```
""")
def _check_bn_moments(answer):
    got = _numbers(answer, 2)
    z = np.random.default_rng(0).normal(5.0, 2.0, size=(1000, 1))
    out, _ = layers.batchnorm_forward(z, np.array([0.5]), np.array([3.0]), eps=0.0)
    expected = np.array([out.mean(), out.std()])
    if _close(got, expected[::-1], atol=1e-3):
        return "mean and std are swapped: beta sets the mean and gamma the std"
    return None if _close(got, expected, atol=1e-3) else (
        "z_hat has mean 0 and std 1; what do gamma * z_hat + beta have?")
