"""Self-checks of lecture 8 (training tips): exercises 08.1-08.5, and 08.6-08.8 where the
learner writes inverted dropout with a given mask, the batch-norm forward pass in training
mode, and the gradients of batch norm's gamma and beta.

Expected values are computed here with dlcore (``counting``, ``layers``, ``nn``) and never
printed; a hint names the likely mistake.  The graded assignment's dropout draws its own mask
and its batch norm keeps running statistics and a cache; these exercises are smaller pieces
with plain arrays in and out.
"""

from __future__ import annotations

import numpy as np

from .. import counting, layers
from ._answers import close as _close
from ._answers import number as _number
from ._answers import numbers as _numbers
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []


@exercise("08.1", "Parameters of a 784-100-10 network", hints=(
    "Count layer by layer: every unit of a layer has one weight per input and one bias.",
    "A layer with n_in inputs and n_out units has (n_in + 1) * n_out parameters; this "
    "network has two such layers, 784 -> 100 and 100 -> 10.",
    "Add (784 + 1) * 100 and (100 + 1) * 10.",
), solution=r"""
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


@exercise("08.2", "From keep probabilities to torch's drop probability", hints=(
    "The slide gives KEEP probabilities; torch's nn.Dropout(p) takes the probability of "
    "DROPPING a unit.",
    "The drop probability is 1 minus the keep probability; give the input layer's value "
    "first, then the hidden layer's.",
), solution=r"""
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


@exercise("08.3", "Batch norm of [2, 4, 6, 8] with gamma = 3, beta = -1 (eps = 0)", hints=(
    "First the batch mean and the biased variance (divide by N = 4, not N - 1) of the four "
    "values.",
    "z_hat = (z - mean) / sqrt(variance) (eps = 0); batch norm ignores a shift and a scale of "
    "its input, so [2, 4, 6, 8] gives the same z_hat as [1, 2, 3, 4].",
    "Then y = gamma * z_hat + beta with gamma = 3 scaling and beta = -1 shifting: four "
    "numbers, symmetric around -1.",
), solution=r"""
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


@exercise("08.4", "He-normal std for a Linear(256, 128) layer", hints=(
    "He initialisation is made for ReLU layers and looks at the number of INPUTS of the "
    "layer (its fan-in). How many inputs has Linear(256, 128)?",
    "He draws the weights from N(0, 2 / fan_in): that is the variance. The question asks "
    "for the standard deviation.",
    "sqrt(2 / 256).",
), solution=r"""
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


@exercise("08.5", "Mean and std of a batch-norm output with gamma = 0.5, beta = 3", hints=(
    "In training mode z_hat has mean 0 and standard deviation 1 over the batch.",
    "Multiplying by gamma scales the spread (and the mean, which is 0); adding beta moves "
    "the mean. Which one sets which?",
), solution=r"""
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


# -- 08.6-08.8: write it yourself ---------------------------------------------------------------

def dropout_with_mask(x, mask, keep_prob):
    """Inverted dropout as ``dl.layers.dropout_forward`` computes it, with a given mask.

    ``dl.layers.dropout_forward`` draws its mask m ~ Bernoulli(keep) and returns x * m / keep;
    here the mask is an argument, so the result can be checked.
    """
    x, mask = np.asarray(x, dtype=np.float64), np.asarray(mask, dtype=np.float64)
    return x * mask / keep_prob


def _dropout_unscaled(x, mask, keep_prob):
    return np.asarray(x) * np.asarray(mask)


def _dropout_times_keep(x, mask, keep_prob):
    return np.asarray(x) * np.asarray(mask) * keep_prob


def _dropout_over_drop(x, mask, keep_prob):
    with np.errstate(divide="ignore", invalid="ignore"):  # keep_prob = 1 divides by 0
        return np.asarray(x) * np.asarray(mask) / (1.0 - keep_prob)


def _dropout_inverted_mask(x, mask, keep_prob):
    return np.asarray(x) * (1.0 - np.asarray(mask)) / keep_prob


implement(
    "08.6", "Write inverted dropout with a given mask", reference=dropout_with_mask,
    name="my_dropout_forward",
    reference_name="dlcore's inverted dropout with a given mask (the rule of "
                   "dl.layers.dropout_forward)",
    cases=[
        Case("one unit kept, one dropped", (np.array([[2.0, 3.0]]), np.array([[1.0, 0.0]]),
                                            0.5)),
        Case("keep probability 0.8, a batch of 2", (np.array([[1.0, -2.0, 0.5],
                                                               [4.0, 0.0, -1.0]]),
                                                     np.array([[1.0, 1.0, 0.0],
                                                               [0.0, 1.0, 1.0]]), 0.8)),
        Case("keep probability 1: nothing is dropped", (np.array([[0.5, -1.5], [2.0, 1.0]]),
                                                        np.ones((2, 2)), 1.0)),
        Case("a whole example dropped", (np.array([[1.0, 2.0], [3.0, -4.0], [0.5, 0.25]]),
                                         np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]),
                                         0.25)),
    ],
    mistakes=[
        (_dropout_unscaled, "the kept units are not rescaled: that is the slides' original "
                            "dropout, whose outputs shrink on average. Inverted dropout "
                            "divides them by the keep probability, so that evaluation needs "
                            "no change"),
        (_dropout_times_keep, "the kept units are multiplied by the keep probability: that is "
                              "the test-time scaling of the original dropout. Inverted "
                              "dropout divides by it during training"),
        (_dropout_over_drop, "you divide by the drop probability 1 − keep_prob: the kept "
                             "units are scaled by 1 / keep_prob"),
        (_dropout_inverted_mask, "the mask is read the wrong way round: 1 means the unit is "
                                 "kept, 0 that it is dropped"),
    ],
    hints=(
        "The mask already says which units survive: multiply x by it elementwise.",
        "The survivors are then scaled up so that the expected output equals x: what factor "
        "undoes keeping a unit only with probability keep_prob?",
        "`x * mask / keep_prob`.",
    ),
    solution=r"""
Zero the dropped units with the mask and divide the survivors by the keep probability:

```python
def my_dropout_forward(x, mask, keep_prob):
    return x * mask / keep_prob
```

Each unit survives with probability $q$ = `keep_prob` and is then worth $x/q$, so its expected
output is $q \cdot x/q = x$: at evaluation the layer is the identity.
""")


def batchnorm_train(x, gamma, beta, eps=1e-5):
    """``dl.layers.batchnorm_forward`` in training mode, without running statistics: out."""
    return layers.batchnorm_forward(x, gamma, beta, eps=eps)[0]


def _bn_parts(x, eps, axis=0, ddof=0):
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=ddof, keepdims=True)
    return x - mean, var


def _bn_per_example(x, gamma, beta, eps=1e-5):
    centred, var = _bn_parts(x, eps, axis=1)
    return gamma * centred / np.sqrt(var + eps) + beta


def _bn_unbiased(x, gamma, beta, eps=1e-5):
    centred, var = _bn_parts(x, eps, ddof=1)
    return gamma * centred / np.sqrt(var + eps) + beta


def _bn_eps_outside(x, gamma, beta, eps=1e-5):
    centred, var = _bn_parts(x, eps)
    return gamma * centred / (np.sqrt(var) + eps) + beta


def _bn_no_eps(x, gamma, beta, eps=1e-5):
    centred, var = _bn_parts(x, eps)
    with np.errstate(divide="ignore", invalid="ignore"):  # a constant feature divides 0 by 0
        return gamma * centred / np.sqrt(var) + beta


def _bn_swapped(x, gamma, beta, eps=1e-5):
    centred, var = _bn_parts(x, eps)
    return beta * centred / np.sqrt(var + eps) + gamma


implement(
    "08.7", "Write the batch-norm forward pass (training mode)", reference=batchnorm_train,
    name="my_batchnorm_forward",
    reference_name="dlcore's batch norm in training mode (dl.layers.batchnorm_forward)",
    cases=[
        Case("one feature, 4 examples", (np.array([[1.0], [2.0], [3.0], [4.0]]),
                                         np.array([2.0]), np.array([1.0]))),
        Case("two features on different scales", (np.array([[1.0, 100.0], [3.0, 300.0],
                                                            [8.0, 200.0]]),
                                                  np.array([1.0, 0.5]), np.array([0.0, -2.0]))),
        Case("a batch of 2 with a large eps", (np.array([[0.0, 1.0, -1.0], [2.0, 5.0, 1.0]]),
                                               np.array([1.5, 1.0, 2.0]),
                                               np.array([0.5, 0.0, -1.0])), {"eps": 0.5}),
        Case("a constant feature", (np.array([[3.0, 1.0], [3.0, 2.0], [3.0, 6.0]]),
                                    np.array([2.0, 1.0]), np.array([-1.0, 0.5]))),
    ],
    mistakes=[
        (_bn_per_example, "that normalises each example over its features (layer norm). "
                          "Batch norm normalises each feature (column) over the batch: the "
                          "mean and variance are taken down axis 0"),
        (_bn_unbiased, "the variance is the unbiased one (divided by N − 1); batch norm "
                       "divides by N, as np.var does by default"),
        (_bn_eps_outside, "ε is added outside the square root: batch norm divides by "
                          "√(σ² + ε)"),
        (_bn_no_eps, "ε is missing: divide by √(σ² + ε), not by σ; ε is what keeps a "
                     "feature with variance 0 from dividing by zero"),
        (_bn_swapped, "γ and β are swapped: γ scales ẑ and β shifts it"),
    ],
    hints=(
        "Work column by column: each feature gets its own mean and variance over the N "
        "examples (axis 0).",
        "ẑ = (x − μ) / √(σ² + ε) with the biased variance (np.var's default), then "
        "γ·ẑ + β; NumPy's broadcasting applies the (D,) vectors to every row.",
        "`x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)`, then "
        "`return gamma * x_hat + beta`.",
    ),
    solution=r"""
Standardise each feature over the batch, then let $\gamma$ and $\beta$ set its scale and
shift:

```python
def my_batchnorm_forward(x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return gamma * x_hat + beta
```

$\epsilon$ keeps a constant feature (variance 0) finite: its $\hat z$ is 0 and its output is
$\beta$.
""")


def batchnorm_param_grads(dout, x, gamma, beta, eps=1e-5):
    """dgamma, dbeta of batch norm in training mode, from ``dl.layers.batchnorm_backward``."""
    _, cache = layers.batchnorm_forward(x, gamma, beta, eps=eps)
    _, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    return dgamma, dbeta


def _x_hat(x, eps):
    centred, var = _bn_parts(x, eps)
    return centred / np.sqrt(var + eps)


def _bn_grads_raw_x(dout, x, gamma, beta, eps=1e-5):
    dout = np.asarray(dout)
    return (dout * np.asarray(x)).sum(axis=0), dout.sum(axis=0)


def _bn_grads_mean(dout, x, gamma, beta, eps=1e-5):
    dout = np.asarray(dout)
    return (dout * _x_hat(x, eps)).mean(axis=0), dout.mean(axis=0)


def _bn_grads_times_gamma(dout, x, gamma, beta, eps=1e-5):
    dout = np.asarray(dout)
    return (dout * _x_hat(x, eps) * gamma).sum(axis=0), dout.sum(axis=0)


implement(
    "08.8", "Write the gradients of batch norm's gamma and beta",
    reference=batchnorm_param_grads, name="my_batchnorm_param_grads",
    outputs=("dgamma", "dbeta"),
    gradients=Gradients(batchnorm_train, wrt=(2, 3), dout=0),
    reference_name="dlcore's batch-norm gradients (dl.layers.batchnorm_backward)",
    cases=[
        Case("one feature, 3 examples", (np.array([[1.0], [-2.0], [0.5]]),
                                         np.array([[1.0], [2.0], [4.0]]), np.array([2.0]),
                                         np.array([0.5]))),
        Case("two features, 4 examples", (np.array([[0.5, -1.0], [1.0, 0.0], [-0.5, 2.0],
                                                    [0.2, 1.0]]),
                                          np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0],
                                                    [3.0, 0.0]]),
                                          np.array([1.5, 0.5]), np.array([0.0, 1.0]))),
        Case("a batch of 2", (np.array([[1.0, -1.0, 0.5], [2.0, 0.5, -0.5]]),
                              np.array([[0.0, 1.0, 3.0], [1.0, -1.0, 2.0]]),
                              np.array([1.0, 3.0, 0.5]), np.array([0.0, -1.0, 2.0]))),
    ],
    mistakes=[
        (_bn_grads_raw_x, "dgamma multiplies dout by the raw input x: γ multiplies the "
                          "normalised ẑ, so its gradient is Σ dout·ẑ"),
        (_bn_grads_mean, "the gradients are averaged over the batch: γ and β are shared by "
                         "all N examples, so their gradients are the SUM of the N "
                         "contributions"),
        (_bn_grads_times_gamma, "dgamma has an extra factor γ: the output is γ·ẑ + β, whose "
                                "derivative in γ is ẑ alone"),
    ],
    hints=(
        "The output of example i and feature d is γ_d·ẑ_id + β_d. What is its derivative in "
        "γ_d, and in β_d?",
        "γ_d and β_d are used by every example of the batch, so their gradients add up the "
        "contributions dout_id·(that derivative) over i (axis 0).",
        "Compute `x_hat` as in the forward pass (biased variance, eps inside the root); then "
        "`dgamma = (dout * x_hat).sum(axis=0)` and `dbeta = dout.sum(axis=0)`.",
    ),
    solution=r"""
$y = \gamma\hat z + \beta$ is linear in $\gamma$ and $\beta$, and both are shared by the whole
batch, so the gradients sum over the examples:

```python
def my_batchnorm_param_grads(dout, x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return (dout * x_hat).sum(axis=0), dout.sum(axis=0)
```

Neither gradient depends on the values of $\gamma$ and $\beta$; the gradient with respect to
the input $x$ is the harder part, because every $\hat z$ depends on the whole batch.
""")
