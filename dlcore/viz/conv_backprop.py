"""Static plots for lecture 12: backprop through convolution and pooling, and the plots of
training a small CNN.

Shape legend: x (H, W) input of one channel, w (KH, KW) kernel, g = dL/dZ (H_out, W_out);
filters (F, C, KH, KW); y_true, y_pred (N,) class labels; a confusion matrix (C, C) with rows
the true class and columns the predicted class.

The bookkeeping behind every conv gradient (``conv_terms``, ``conv_equations``) and the
confusion matrix are in the core (``dlcore.conv``, ``dlcore.nn.confusion_matrix``).  The
figures take arrays, compute with ``dlcore.conv``, draw with ``dlcore.viz.conv.number_grid``
and return the Figure (or Axes when they take ``ax``); none calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_choice, check_int
from ..conv.sizes import torch_keywords
from .conv import format_number, number_grid
from .style import CMAP, CYCLE, DIVERGING

__all__ = ["weight_gradient_sum", "input_gradient_route", "pool_routing", "filter_grid",
           "plot_confusion", "plot_loss_comparison"]


def _pair(v, name):
    items = tuple(v) if isinstance(v, (tuple, list)) else (v, v)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or an (h, w) pair; got {v!r}")
    return check_int(items[0], name, minimum=1), check_int(items[1], name, minimum=1)


def _figure(ncols, widths, height, nrows=1):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(0.45 * sum(widths) + 1.2 * ncols, height),
                             width_ratios=widths, layout="constrained", squeeze=False)
    return fig, axes


def weight_gradient_sum(x, g, kernel_shape=(3, 3), stride=1, title: str = ""):
    """Figure ``dL/dW = sum_j g_j * (window j of x)``: each window of the input scaled by its
    upstream gradient, and the sum (``dlcore.conv.conv2d_backward``'s dw).

    x (H, W), g (H_out, W_out) with H_out = floor((H - KH)/s) + 1; at most 9 output cells.
    Returns the Figure.
    """
    from .. import conv

    x = as_array(x, "x", ndim=2, spec="(H, W)")
    g = as_array(g, "g", ndim=2, spec="(H_out, W_out)")
    kh, kw = _pair(kernel_shape, "kernel_shape")
    sh, sw = _pair(stride, "stride")
    ho, wo = conv.output_size(x.shape[0], kh, sh), conv.output_size(x.shape[1], kw, sw)
    if g.shape != (ho, wo):
        raise ValueError(f"g must have shape (H_out, W_out) = ({ho}, {wo}) for a {kh}x{kw} "
                         f"kernel at stride {stride} on a {x.shape} input; got {g.shape}")
    if ho * wo > 9:
        raise ValueError(f"weight_gradient_sum draws at most 9 windows; this layer has "
                         f"{ho * wo} output cells")
    _, cache = conv.conv2d_forward(x[None, None], np.zeros((1, 1, kh, kw)), stride=stride)
    dw = conv.conv2d_backward(g[None, None], cache)[1][0, 0]
    fig, axes = _figure(ho * wo + 1, [kw] * (ho * wo + 1), 0.45 * kh + 1.6)
    for j, ax in enumerate(axes[0][:-1]):
        r, c = divmod(j, wo)
        window = x[r * sh:r * sh + kh, c * sw:c * sw + kw]
        number_grid(window, ax, title=f"window {j + 1} × g{j + 1} = {format_number(g[r, c])}",
                    xlabel="b", ylabel="a")
    number_grid(dw, axes[0][-1], title="sum = dL/dW", xlabel="b", ylabel="a")
    fig.suptitle(title or f"dL/dW: every window times its g_j, added up (stride {stride})")
    return fig


def input_gradient_route(g, w, stride=1, input_shape=None, title: str = ""):
    """Figure of ``dL/dX = full_xcorr(dilate_s(G), rot180(W))``: G, G dilated and padded by
    KH-1 (KW-1), the rotated kernel, and dX (rows/columns no window covers are 0).

    g (H_out, W_out), w (KH, KW); input_shape (H, W) defaults to the smallest input with this
    output, ((H_out - 1) s + KH, (W_out - 1) s + KW).  The dX panel is
    ``dlcore.conv.conv2d_backward``'s dx.  Returns the Figure.
    """
    from .. import conv

    g = as_array(g, "g", ndim=2, spec="(H_out, W_out)")
    w = as_array(w, "w", ndim=2, spec="(KH, KW)")
    (sh, sw), (kh, kw) = _pair(stride, "stride"), w.shape
    smallest = ((g.shape[0] - 1) * sh + kh, (g.shape[1] - 1) * sw + kw)
    h, wd = smallest if input_shape is None else _pair(input_shape, "input_shape")
    if (conv.output_size(h, kh, sh), conv.output_size(wd, kw, sw)) != g.shape:
        raise ValueError(f"input_shape {(h, wd)} does not give a {g.shape} output with a "
                         f"{kh}x{kw} kernel at stride {stride}")
    _, cache = conv.conv2d_forward(np.zeros((1, 1, h, wd)), w[None, None], stride=stride)
    dx = conv.conv2d_backward(g[None, None], cache)[0][0, 0]
    padded = np.pad(conv.dilate(g, (sh, sw)), ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    panels = [(g, "G = dL/dZ"), (padded, f"dilate by {stride}, pad {kh - 1}"),
              (conv.rot180(w), "rot180(W)"), (dx, "dL/dX")]
    fig, axes = _figure(4, [max(p.shape[1], 2) for p, _ in panels],
                        0.45 * max(padded.shape[0], h) + 1.6)
    uncovered = [(r, c) for r in range(h) for c in range(wd)
                 if r >= smallest[0] or c >= smallest[1]]
    if uncovered:
        panels[3] = (dx, "dL/dX (outlined: no window)")
    for n, (ax, (values, name)) in enumerate(zip(axes[0], panels)):
        number_grid(values, ax, title=name, fontsize=8,
                    highlight=uncovered if n == 3 and uncovered else None)
    fig.suptitle(title or "dL/dX = full cross-correlation of the dilated G with rot180(W)")
    return fig


@torch_keywords
def pool_routing(x, dout, kernel_size: int = 2, stride=None, mode: str = "max", title: str = ""):
    """Figure of pooling forward and backward: the activations (max: each window's argmax
    outlined), the pooled map, the upstream gradient and the routed gradient dL/dx.

    x (H, W), dout (H_out, W_out); kernel_size (alias size); mode "max" or "avg"; computed with
    ``dlcore.conv``
    (``max_pool2d_backward`` sends each gradient to its argmax, ``avg_pool2d_backward``
    spreads it evenly).  Returns the Figure.
    """
    from .. import conv

    x = as_array(x, "x", ndim=2, spec="(H, W)")
    check_choice(mode, "mode", ("max", "avg"))
    fwd = conv.max_pool2d_forward if mode == "max" else conv.avg_pool2d_forward
    bwd = conv.max_pool2d_backward if mode == "max" else conv.avg_pool2d_backward
    out, cache = fwd(x[None, None], kernel_size=kernel_size, stride=stride)
    dout = as_array(dout, "dout", ndim=2, spec=f"(H_out, W_out) = {out.shape[2:]}")
    if dout.shape != out.shape[2:]:
        raise ValueError(f"dout must have the pooled shape (H_out, W_out) = {out.shape[2:]}; "
                         f"got {dout.shape}")
    dx = bwd(dout[None, None], cache)[0, 0]
    argmax = None
    if mode == "max":
        idx = cache.indices[0, 0].ravel()
        argmax = [divmod(int(i), x.shape[1]) for i in idx]
    name = "max" if mode == "max" else "average"
    fig, axes = _figure(4, [x.shape[1], out.shape[3], out.shape[3], x.shape[1]],
                        0.45 * x.shape[0] + 1.6)
    number_grid(x, axes[0][0], title="activations" + (" (argmax outlined)" if argmax else ""),
                highlight=argmax)
    number_grid(out[0, 0], axes[0][1], title=f"{name} pooled")
    number_grid(dout, axes[0][2], title="upstream dL/d(pooled)")
    number_grid(dx, axes[0][3], title="routed dL/dx", highlight=argmax)
    fig.suptitle(title or f"{kernel_size}x{kernel_size} {name} pooling: forward, then the "
                          f"gradient routed back")
    return fig


def filter_grid(w, ncols: int = 8, title: str = "Learned filters"):
    """The first input channel of every filter of a conv weight w (F, C, KH, KW), tiled into
    one image (``ncols`` filters per row, a blank line between tiles), on one colour scale
    centred on 0 (diverging map), with a colour bar.  Filter k sits in tile row k // ncols,
    tile column k % ncols.  Returns the Figure.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    w = as_array(w, "w", ndim=4, spec="(F, C, KH, KW)")
    f, _, kh, kw = w.shape
    ncols = max(1, min(check_int(ncols, "ncols", minimum=1), f))
    nrows = -(-f // ncols)
    mosaic = np.full((nrows * (kh + 1) - 1, ncols * (kw + 1) - 1), np.nan)
    for k in range(f):
        r, c = divmod(k, ncols)
        mosaic[r * (kh + 1):r * (kh + 1) + kh, c * (kw + 1):c * (kw + 1) + kw] = w[k, 0]
    lim = float(np.abs(w[:, 0]).max()) or 1.0
    cmap = matplotlib.colormaps[DIVERGING].with_extremes(bad="white")  # gaps between tiles
    fig, ax = plt.subplots(figsize=(0.32 * mosaic.shape[1] + 1.8, 0.32 * mosaic.shape[0] + 1.0),
                           layout="constrained")
    im = ax.imshow(mosaic, cmap=cmap, vmin=-lim, vmax=lim)
    ax.set_xticks([c * (kw + 1) + (kw - 1) / 2 for c in range(ncols)], labels=range(ncols))
    ax.set_yticks([r * (kh + 1) + (kh - 1) / 2 for r in range(nrows)],
                  labels=[r * ncols for r in range(nrows)])
    ax.set_xlabel("filter number: row label + column label")
    ax.set_ylabel("first filter of the row")
    fig.colorbar(im, ax=ax, shrink=0.8, label="weight")
    ax.set_title(title)
    return fig


def plot_confusion(cm, ax=None, title: str = "Confusion matrix (test set)"):
    """A confusion matrix (C, C), rows true and columns predicted, with every count written in
    its cell (off-diagonal zeros left blank).  Returns the Axes."""
    import matplotlib.pyplot as plt

    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or not np.issubdtype(cm.dtype, np.integer):
        raise ValueError(f"cm must be a square (C, C) array of integer counts; got shape "
                         f"{cm.shape} and dtype {cm.dtype}")
    if ax is None:
        ax = plt.subplots(figsize=(0.45 * cm.shape[0] + 2.4, 0.45 * cm.shape[0] + 2.0),
                          layout="constrained")[1]
    im = ax.imshow(cm, cmap=CMAP, vmin=0, vmax=max(int(cm.max()), 1))
    half = cm.max() / 2
    for t in range(cm.shape[0]):
        for p in range(cm.shape[1]):
            if cm[t, p] or t == p:
                ax.text(p, t, str(cm[t, p]), ha="center", va="center", fontsize=8,
                        color="black" if cm[t, p] > half else "white")
    ax.set_xticks(range(cm.shape[1]))
    ax.set_yticks(range(cm.shape[0]))
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="count")
    ax.set_title(title)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    return ax


def plot_loss_comparison(curves: dict, ax=None, title: str = "Training loss per epoch",
                         ylabel: str = "cross-entropy"):
    """Several per-epoch loss curves on one axes, ``curves`` mapping a label to a sequence of
    losses (E,); each curve gets its own colour, line style and marker, so two curves that lie
    on top of each other both stay visible.  Returns the Axes."""
    import matplotlib.pyplot as plt

    if not isinstance(curves, dict) or not curves:
        raise ValueError("curves must be a non-empty dict label -> sequence of losses")
    if ax is None:
        ax = plt.subplots(figsize=(6.0, 3.8), layout="constrained")[1]
    styles = [("-", "o", 7), ("--", "x", 7), (":", "s", 5), ("-.", "^", 5)]
    for n, (label, losses) in enumerate(curves.items()):
        values = as_array(losses, f"curves[{label!r}]", ndim=1, spec="(E,)", finite=False)
        ls, marker, size = styles[n % len(styles)]
        ax.plot(np.arange(1, values.size + 1), values, ls=ls, marker=marker, ms=size, lw=2,
                color=CYCLE[n % len(CYCLE)], label=label, mfc="none" if marker == "o" else None)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return ax
