"""The small experiments of lectures 6 to 8, run on ``dlcore.nn`` models.

Shapes: X (N, D) samples, y (N,) integer labels; a chain of ``depth`` one-unit layers has one
entry per layer; a layer's activations are (N, width).

- ``thin_chain_gradients`` (lecture 6): gradients along a deep chain of one-unit layers, and
  why they shrink (``ChainGradients``).
- ``layer_activations`` (lectures 7 and 8): activations and gradients of a deep stack of
  ``Linear -> f`` blocks under an initialisation scheme (``LayerStats``).
- ``lr_trial``, ``regularization_trial`` and ``loss_curve_verdict`` (lecture 8): a training run
  at one learning rate on digits, one with weight decay on spirals, and the name of a loss
  curve's shape.
- ``class_grid``: the class a model predicts on a grid covering 2-D data (decision regions).
- ``recall_model`` and ``train_recall`` (lecture 14): an RNN, LSTM or GRU trained to remember
  the first symbol of a long sequence (X (N, T, K + 1) one-hot symbols plus a marker channel,
  y (N,) in [0, K), K = ``RECALL_SYMBOLS``), with the gate-bias initialisation of the slides.

The lecture notebooks and their widgets call these, so that both show the same numbers; the
``dlcore.viz`` functions only draw the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._checks import as_array, check_choice, check_int, check_positive
from .._random import get_rng
from ..activations import ACTIVATION_NAMES, activation_values
from ..losses import squared_error_backward, squared_error_forward
from .containers import ACTIVATIONS, MLP, Sequential
from .init import init_weights
from .layers import Linear
from .recurrent import GRU, LSTM, RNN, LastStep
from .train import fit, predict

__all__ = ["ChainGradients", "thin_chain_gradients", "LayerStats", "layer_activations",
           "lr_trial", "loss_curve_verdict", "regularization_trial", "class_grid",
           "RECALL_SYMBOLS", "recall_model", "train_recall"]


class ChainGradients(NamedTuple):
    """What a backward pass through the thin chain produced (arrays of length ``depth``).

    ``a`` pre-activations, ``h`` outputs (``h[0]`` is x, so length depth + 1), ``dact``
    f'(a_i), ``grad_w`` dL/dw_i, ``sigma_product[i]`` the product of f'(a_j) for j >= i
    (the activation factors in dL/dw_i), ``loss``.
    """

    a: np.ndarray
    h: np.ndarray
    dact: np.ndarray
    grad_w: np.ndarray
    sigma_product: np.ndarray
    loss: float


def _real(v, name):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number; got {v!r}")
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite; got {v}")
    return v


def thin_chain_gradients(depth: int, w=1.0, x: float = 1.0, y: float = 1.0,
                         activation: str = "sigmoid") -> ChainGradients:
    """Forward and backward pass of the chain ``h_i = f(w_i h_{i-1})`` with ``L = 1/2 (y - h_L)^2``.

    Built as ``dlcore.nn.MLP([1] * (depth + 1), activation, output_activation=activation,
    bias=False)`` and differentiated by its ``backward``.  ``w`` is one number (every layer)
    or a sequence of ``depth`` weights.  Returns a ``ChainGradients``.
    """
    depth = check_int(depth, "depth", minimum=1)
    check_choice(activation, "activation", ("sigmoid", "tanh"))
    x, y = _real(x, "x"), _real(y, "y")
    ws = as_array(w, "w", ndim=(0, 1))
    if ws.ndim == 0:
        ws = np.full(depth, float(ws))
    if ws.shape != (depth,):
        raise ValueError(f"w must be one number or a sequence of depth={depth} weights; got "
                         f"shape {tuple(ws.shape)}")
    model = MLP([1] * (depth + 1), activation=activation, output_activation=activation,
                bias=False, rng=0)
    linears = [m for m in model if m._parameters]
    for lin, wi in zip(linears, ws):
        lin.weight.data = np.array([[wi]])
    a, h, out = [], [x], np.array([[x]])
    for m in model:
        out = m(out)
        (a if m._parameters else h).append(float(out[0, 0]))
    loss, cache = squared_error_forward(out, np.array([[y]]))
    model.zero_grad()
    model.backward(squared_error_backward(1.0, cache))
    a = np.array(a)
    if activation == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-a))
        dact = s * (1.0 - s)
    else:
        dact = 1.0 - np.tanh(a) ** 2
    grad_w = np.array([lin.weight.grad[0, 0] for lin in linears])
    sigma_product = np.cumprod(dact[::-1])[::-1]
    return ChainGradients(a, np.array(h), dact, grad_w, sigma_product, float(loss))



@dataclass
class LayerStats:
    """What ``layer_activations`` records, one entry per layer (lists of length depth).

    ``pre[l]`` and ``post[l]`` are the (N, Hd) inputs and outputs of layer l's activation,
    ``local_grad[l]`` is ``f'(pre[l])`` (N, Hd), and ``weight_grad_std[l]`` the standard
    deviation of dL/dW of layer l's Linear for a random upstream gradient (a float).
    """

    activation: str
    scheme: str
    pre: list
    post: list
    local_grad: list
    weight_grad_std: list

    @property
    def depth(self) -> int:
        return len(self.post)

    def std(self, quantity: str = "post") -> np.ndarray:
        """Standard deviation of ``quantity`` ("pre", "post", "local_grad") per layer, (depth,)."""
        check_choice(quantity, "quantity", ("pre", "post", "local_grad"))
        return np.array([float(np.std(a)) for a in getattr(self, quantity)])


def layer_activations(activation: str = "tanh", depth: int = 5, width: int = 100, n: int = 500,
                      scheme: str = "xavier_normal", std: float = 0.01,
                      rng=0) -> LayerStats:
    """Push N(0, 1) inputs through ``depth`` blocks ``Linear(width, width) -> f`` and record them.

    The network is a ``dlcore.nn.Sequential`` initialised with ``init_weights(model, scheme,
    std=std)`` (std is used by "normal" only).  After the forward pass the output receives a
    N(0, 1) upstream gradient and ``model.backward`` fills every weight gradient, so the
    returned ``weight_grad_std`` shows whether gradients vanish or explode towards the input.
    Inputs x (n, width); the activations are recorded as (n, width) arrays.
    """
    check_choice(activation, "activation", ACTIVATION_NAMES)
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    n = check_int(n, "n", minimum=2)
    check_positive(std, "std", allow_zero=True)
    rng = get_rng(rng)
    blocks = []
    for _ in range(depth):
        blocks += [Linear(width, width, rng=rng), ACTIVATIONS[activation]()]
    model = Sequential(*blocks)
    init_weights(model, scheme, rng=rng, std=std)
    x = rng.standard_normal((n, width))
    pre, post, local = [], [], []
    with np.errstate(over="ignore", under="ignore"):
        for i, module in enumerate(model):
            x = module(x)
            if i % 2 == 0:
                pre.append(x)
            else:
                post.append(x)
                local.append(activation_values(activation, pre[-1], negative_slope=0.01)[1])
        model.backward(rng.standard_normal(x.shape))
    grad_std = [float(np.std(m.weight.grad)) for m in model if isinstance(m, Linear)]
    return LayerStats(activation, scheme, pre, post, local, grad_std)



def lr_trial(lr: float, num_epochs: int = 20, hidden: int = 50, batch_size: int = 100,
             seed: int = 0):
    """Train the IFT6758 slides' two-layer net (here 64-hidden-10) on digits, plain SGD at ``lr``.

    Mini-batches of ``batch_size``, cross-entropy, validation on the held-out split.  A loss
    that overflows stops training with ``History.diverged`` set (see ``fit``).
    Returns the ``History``.
    """
    from ..data.prepared import digits_prepared  # dlcore.data loads only when needed
    from ..optim import SGD

    lr = check_positive(lr, "lr")
    X_tr, y_tr, X_val, y_val, _, _ = digits_prepared(seed)
    model = MLP([64, check_int(hidden, "hidden", minimum=1), 10], rng=seed)
    opt = SGD(model.parameters(), lr=lr)
    return fit(model, X_tr, y_tr, optimizer=opt, num_epochs=num_epochs,
                  batch_size=batch_size, X_val=X_val, y_val=y_val, progress=False, rng=seed)


def loss_curve_verdict(losses) -> str:
    """Name the shape of a loss curve: "diverged", "unstable", "flat", "slow" or "good".

    diverged: a NaN or infinite value (or ``History.diverged``); unstable: the last loss is
    above the first; flat: the loss fell by less than 1 %; slow: by less than 50 %; good:
    otherwise.  losses (E,) per-epoch losses, or a ``History``.
    """
    if hasattr(losses, "train_loss"):
        if losses.diverged:
            return "diverged"
        losses = losses.train_loss
    values = np.asarray(losses, dtype=np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"loss_curve_verdict: need a 1-D curve of at least 2 losses; got "
                         f"shape {values.shape}")
    if not np.all(np.isfinite(values)):
        return "diverged"
    first, last = values[0], values[-1]
    if last > first:
        return "unstable"
    drop = (first - last) / abs(first) if first != 0 else 0.0
    if drop < 0.01:
        return "flat"
    return "slow" if drop < 0.5 else "good"


def regularization_trial(width: int = 32, lam: float = 0.0, num_epochs: int = 500,
                         lr: float = 0.01, seed: int = 0, n_per_class: int = 20,
                         noise: float = 0.6):
    """Train ``MLP([2, width, width, 3])`` on ``spirals_prepared`` with Adam and weight decay.

    ``weight_decay=lam`` adds ``lam * W`` to each gradient, the gradient of the L2 penalty
    ``lam / 2 * ||W||^2`` (biases included, as torch.optim does).  Full-batch training;
    validation loss and accuracy every epoch.  Returns ``(model, history)``.
    """
    from ..data.prepared import spirals_prepared
    from ..optim import Adam

    width = check_int(width, "width", minimum=1)
    lam = check_positive(lam, "lam (the weight decay)", allow_zero=True)
    X, y, X_val, y_val = spirals_prepared(n_per_class, noise, seed)
    model = MLP([2, width, width, 3], rng=seed)
    opt = Adam(model.parameters(), lr=lr, weight_decay=lam)
    history = fit(model, X, y, optimizer=opt, num_epochs=num_epochs, X_val=X_val,
                     y_val=y_val, progress=False, rng=seed)
    return model, history


def class_grid(model, X, resolution: int = 120, margin: float = 0.3):
    """Predicted class of ``model`` on a resolution x resolution grid covering X (N, 2).

    Returns ``(labels, extent)``: labels (resolution, resolution) int, row i at the i-th y
    value from the bottom; extent (xmin, xmax, ymin, ymax) for ``imshow(origin="lower")``.
    """
    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    if X.shape[1] != 2:
        raise ValueError(f"class_grid: X must have shape (N, 2) (2-D inputs); got {X.shape}")
    resolution = check_int(resolution, "resolution", minimum=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(gx, gy)
    labels = predict(model, np.column_stack([xx.ravel(), yy.ravel()]))
    return labels.reshape(resolution, resolution), (lo[0], hi[0], lo[1], hi[1])


# The first-symbol task of lecture 14 uses K = 4 symbols (chance: accuracy 1/4, loss ln 4).
RECALL_SYMBOLS = 4


def recall_model(cell: str, hidden: int, gate_bias: float = 0.0, n_symbols: int = RECALL_SYMBOLS,
                 rng=0):
    """``Sequential(cell(K + 1, H), LastStep(), Linear(H, K))`` for the first-symbol task.

    ``cell`` is "rnn", "lstm" or "gru".  A nonzero ``gate_bias`` b sets, for the LSTM, the
    forget-gate bias to +b and the input-gate bias to -b (a slow, leaky memory from the start:
    f = sigma(b) close to 1), and for the GRU the update-gate bias to +b (z close to 1 keeps
    h_{t-1}); the other bias vector of those gates is zeroed.  Weights otherwise use torch's
    default initialisation from ``rng``.
    """
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    module = {"rnn": RNN, "lstm": LSTM, "gru": GRU}[cell]
    rec = module(n_symbols + 1, hidden, rng=rng)
    H = hidden
    if gate_bias and cell == "lstm":
        rec.bias_ih_l0.data[:H] = -gate_bias
        rec.bias_ih_l0.data[H:2 * H] = gate_bias
        rec.bias_hh_l0.data[:2 * H] = 0.0
    elif gate_bias and cell == "gru":
        rec.bias_ih_l0.data[H:2 * H] = gate_bias
        rec.bias_hh_l0.data[H:2 * H] = 0.0
    return Sequential(rec, LastStep(), Linear(hidden, n_symbols, rng=rng))


def train_recall(cell: str, lag: int, gate_bias: float = 0.0, *, n_train: int = 400,
                 n_val: int = 300, hidden: int = 12, num_epochs: int = 12, batch_size: int = 40,
                 lr: float = 0.01, seed: int = 0):
    """Train ``recall_model(cell, hidden, gate_bias)`` on ``first_symbol_task(n_train, lag)``
    (``RECALL_SYMBOLS`` symbols) with Adam, validating on ``n_val`` other sequences.

    Returns the ``History`` (train loss, validation loss and accuracy per epoch).
    """
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    from ..data.sequences import first_symbol_task
    from ..optim import Adam

    X, y = first_symbol_task(n_train, lag, RECALL_SYMBOLS, seed=seed + 1)
    Xv, yv = first_symbol_task(n_val, lag, RECALL_SYMBOLS, seed=seed + 2)
    model = recall_model(cell, hidden, gate_bias, rng=seed)
    # The matrices are tiny: extra BLAS threads only add start-up and spinning costs (several
    # times slower on a busy two-core machine).
    with threadpool_limits(limits=1):
        return fit(model, X, y, optimizer=Adam(model.parameters(), lr=lr),
                      num_epochs=num_epochs, batch_size=batch_size, X_val=Xv, y_val=yv,
                      progress=False, rng=seed)
