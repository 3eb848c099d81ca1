"""Static plots for the convolution and pooling lecture: grids with numbers, feature maps.

Shape legend: image (H, W), kernel (KH, KW), output (H_out, W_out); maps (M, H, W) for a row
of feature maps; signal (T,) and taps (K,) for the 1-D smoother.  Every function takes an
``ax`` (or creates a figure with pyplot when it is None), returns the Axes or the Figure, and
never calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array
from ..conv.sizes import torch_keywords
from .style import CMAP, DIVERGING, PALETTE, axes_or_new

__all__ = ["number_grid", "conv_example", "pooling_example", "feature_maps", "smoothing_plot",
           "format_number", "colour_limits", "text_colours", "outline_segments"]


def format_number(v) -> str:
    """A cell label: integers without decimals, other values with up to 4 significant digits."""
    v = float(v)
    if np.isnan(v):
        return ""
    if v == round(v) and abs(v) < 1e6:
        return str(int(round(v)))
    return f"{v:.4g}"


def colour_limits(values, vmin=None, vmax=None, diverging=None):
    """``(vmin, vmax, diverging)`` for colouring ``values`` (NaN and inf ignored).

    ``diverging`` (None: when the values have both signs) centres the limits on 0; limits given
    are kept; equal limits are widened by 1 on each side so that a constant grid still draws.
    """
    finite = values[np.isfinite(values)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if diverging is None:
        diverging = lo < 0 < hi
    if diverging:
        m = max(-lo, hi, 1e-12)
        vmin, vmax = (-m if vmin is None else vmin), (m if vmax is None else vmax)
    vmin = lo if vmin is None else vmin
    vmax = hi if vmax is None else vmax
    if vmax <= vmin:
        vmin, vmax = vmin - 1.0, vmax + 1.0
    return vmin, vmax, diverging


def text_colours(values, vmin: float, vmax: float, diverging: bool) -> np.ndarray:
    """The colour of the number written in each cell (H, W): white on the dark cells of the
    map (cividis runs dark to light; a diverging map is light in the middle, dark at both
    ends), black elsewhere and on NaN cells."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        norm = (values - vmin) / (vmax - vmin)
        dark = np.abs(norm - 0.5) > 0.3 if diverging else norm < 0.55
    return np.where(dark & np.isfinite(values), "white", "black")


def number_grid(values, ax=None, *, title: str = "", xlabel: str = "column j",
                ylabel: str = "row i", cmap=None, vmin=None, vmax=None, pad: int = 0,
                highlight=None, fontsize: float | None = None, show_numbers: bool = True):
    """Draw a matrix as coloured cells with each value written in its cell.

    values: (H, W) numbers, or strings (drawn on white cells).  ``pad``: the outer ``pad``
    rings are zero padding, drawn hatched.  ``highlight``: an iterable of (row, col) cells to
    outline, or a boolean (H, W) mask.  A diverging colormap centred on 0 is used when the
    values have both signs (unless ``cmap`` is given).  Returns the Axes.
    """
    arr = np.asarray(values)
    if arr.ndim != 2 or 0 in arr.shape:
        raise ValueError(f"values must be a non-empty 2-D array (H, W); got shape {arr.shape}")
    symbolic = arr.dtype.kind in "US"
    h, w = arr.shape
    ax = axes_or_new(ax, (0.55 * w + 1.5, 0.55 * h + 1.0))
    if symbolic:
        ax.imshow(np.zeros((h, w)), cmap="Greys", vmin=0, vmax=1)
        labels, colours = arr, np.full((h, w), "black")
    else:
        num = as_array(arr, "values", ndim=2, spec="(H, W)")
        vmin, vmax, diverging = colour_limits(num, vmin, vmax,
                                              diverging=None if cmap is None else False)
        cmap = cmap or (DIVERGING if diverging else CMAP)
        ax.imshow(num, cmap=cmap, vmin=vmin, vmax=vmax)
        labels = np.vectorize(format_number, otypes=[str])(num)
        colours = text_colours(num, vmin, vmax, diverging)
    if show_numbers:
        size = fontsize or (11 if max(h, w) <= 6 else 8 if max(h, w) <= 10 else 6)
        for i in range(h):
            for j in range(w):
                ax.text(j, i, labels[i, j], ha="center", va="center", fontsize=size,
                        color=colours[i, j])
    ax.set_xticks(np.arange(w))
    ax.set_yticks(np.arange(h))
    ax.set_xticks(np.arange(w + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(h + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white" if not symbolic else PALETTE["grey"], linewidth=1)
    ax.tick_params(which="minor", length=0)
    if pad:
        from matplotlib.patches import Rectangle

        inner = Rectangle((pad - 0.5, pad - 0.5), w - 2 * pad, h - 2 * pad, fill=False,
                          edgecolor=PALETTE["black"], linewidth=1.5)
        ax.add_patch(inner)
        mask = np.ones((h, w), dtype=bool)
        mask[pad:h - pad, pad:w - pad] = False
        for i, j in zip(*np.nonzero(mask)):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="//",
                                   edgecolor=PALETTE["grey"], linewidth=0))
    if highlight is not None:
        _outline(ax, highlight, (h, w))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def outline_segments(cells) -> list:
    """Unit line segments bounding a set of (row, col) cells; shared sides are left out."""
    cells = {(int(i), int(j)) for i, j in cells}
    segments = []
    for i, j in sorted(cells):
        x0, x1, y0, y1 = j - 0.5, j + 0.5, i - 0.5, i + 0.5
        for (di, dj), seg in (((-1, 0), [(x0, y0), (x1, y0)]), ((1, 0), [(x0, y1), (x1, y1)]),
                              ((0, -1), [(x0, y0), (x0, y1)]), ((0, 1), [(x1, y0), (x1, y1)])):
            if (i + di, j + dj) not in cells:
                segments.append(seg)
    return segments


def _outline(ax, highlight, shape):
    """Outline the boundary of a set of cells (a white band under a vermillion line, visible
    on every colour of the map); neighbouring cells share one outline."""
    from matplotlib.collections import LineCollection

    hl = np.asarray(highlight)
    cells = (list(zip(*np.nonzero(hl))) if hl.dtype == bool and hl.shape == shape
             else [tuple(c) for c in highlight])
    segments = outline_segments(cells)
    ax.add_collection(LineCollection(segments, colors="white", linewidths=5, zorder=3))
    ax.add_collection(LineCollection(segments, colors=PALETTE["vermillion"], linewidths=2.5,
                                     zorder=4))


@torch_keywords
def conv_example(image, kernel, output=None, *, stride=1, padding: int = 0, dilation=1,
                 bias: float = 0.0, flip: bool = False, title: str = "", cell=(0, 0)):
    """Figure ``input * kernel (+ bias) = output`` for one single-channel example.

    image (H, W), kernel (KH, KW); ``output`` (H_out, W_out) is computed with
    ``dlcore.conv.correlate2d`` (``convolve2d`` when ``flip``) plus ``bias`` when not given.
    The (padded) input is drawn with its padding hatched and the window that produces output
    ``cell`` outlined.  ``pad=`` is an alias of ``padding=``.  Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .. import conv

    image = as_array(image, "image", ndim=2, spec="(H, W)")
    kernel = as_array(kernel, "kernel", ndim=2, spec="(KH, KW)")
    if output is None:
        op = conv.convolve2d if flip else conv.correlate2d
        output = op(image, kernel, stride=stride, padding=padding, dilation=dilation) + bias
    output = as_array(output, "output", ndim=2, spec="(H_out, W_out)")
    padded = np.pad(image, padding) if padding else image
    h, w = padded.shape
    widths = [max(w, 2), max(kernel.shape[1], 2), max(output.shape[1], 2)]
    fig, axes = plt.subplots(1, 3, figsize=(0.5 * sum(widths) + 3.5, 0.5 * max(h, 3) + 1.4),
                             width_ratios=widths, layout="constrained")
    i, j = cell
    window = [(i * _pair(stride)[0] + a * _pair(dilation)[0],
               j * _pair(stride)[1] + b * _pair(dilation)[1])
              for a in range(kernel.shape[0]) for b in range(kernel.shape[1])]
    number_grid(padded, axes[0], title="input" + (f" (padding {padding})" if padding else ""),
                pad=padding, highlight=window)
    shown = conv.rot180(kernel) if flip else kernel
    number_grid(shown, axes[1], title="kernel, flipped" if flip else "kernel",
                xlabel="b", ylabel="a")
    number_grid(output, axes[2], title="output" + (f" (bias {format_number(bias)})"
                                                   if bias else ""),
                highlight=[cell])
    fig.suptitle(title or ("true convolution" if flip else "cross-correlation")
                 + f", stride {stride}")
    return fig


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


@torch_keywords
def pooling_example(x, kernel_size: int = 2, stride=None, mode: str = "max", title: str = ""):
    """Figure: a feature map and its max or average pooling, the first window outlined.

    x (H, W); kernel_size (alias size), stride (defaults to kernel_size) ints; mode "max" or
    "avg".  Uses ``dlcore.conv.max_pool2d_forward`` / ``avg_pool2d_forward``.  Returns the
    Figure.
    """
    import matplotlib.pyplot as plt

    from .. import conv

    x = as_array(x, "x", ndim=2, spec="(H, W)")
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg'; got {mode!r}")
    size = kernel_size
    stride = size if stride is None else stride
    op = conv.max_pool2d_forward if mode == "max" else conv.avg_pool2d_forward
    out, _ = op(x[None, None], kernel_size=size, stride=stride)
    out = out[0, 0]
    fig, axes = plt.subplots(1, 2, figsize=(0.5 * (x.shape[1] + out.shape[1]) + 3,
                                            0.5 * x.shape[0] + 1.4),
                             width_ratios=[x.shape[1], max(out.shape[1], 2)],
                             layout="constrained")
    number_grid(x, axes[0], title="feature map",
                highlight=[(a, b) for a in range(size) for b in range(size)])
    name = "max" if mode == "max" else "average"
    number_grid(out, axes[1], title=f"{name} pooling", highlight=[(0, 0)])
    fig.suptitle(title or f"{size}x{size} {name} pooling, stride {stride}")
    return fig


def feature_maps(maps, titles=None, *, suptitle: str = "", cmap=None, signed=None,
                 ncols: int | None = None, robust: bool = True, xlabel: str = "column",
                 ylabel: str = "row"):
    """A grid of images (a photo and its filtered versions), each with its own colour scale.

    maps: a sequence of (H, W) arrays (sizes may differ).  ``signed``: a sequence of bools;
    a signed map (default: one with negative values) is drawn with the diverging colormap
    centred on 0, others in grey.  ``ncols``: maps per row (default: all in one row).
    ``robust``: colour limits at the 0.5 and 99.5 percentiles, so that a few extreme values
    (zero padding next to a bright border) do not wash out the rest.  Returns the Figure.
    """
    import matplotlib.pyplot as plt

    maps = [as_array(m, f"maps[{k}]", ndim=2, spec="(H, W)") for k, m in enumerate(maps)]
    if not maps:
        raise ValueError("maps must hold at least one (H, W) array")
    titles = list(titles) if titles is not None else [f"map {k}" for k in range(len(maps))]
    if len(titles) != len(maps):
        raise ValueError(f"titles must have one entry per map ({len(maps)}); got {len(titles)}")
    signed = [bool(m.min() < 0) for m in maps] if signed is None else list(signed)
    if len(signed) != len(maps):
        raise ValueError(f"signed must have one entry per map ({len(maps)}); got "
                         f"{len(signed)}")
    ncols = len(maps) if ncols is None else max(1, min(int(ncols), len(maps)))
    nrows = -(-len(maps) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, 2.8 * nrows),
                             layout="constrained", squeeze=False)
    q = (0.5, 99.5) if robust else (0.0, 100.0)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(maps):
            ax.set_visible(False)
            continue
        m, t, s = maps[k], titles[k], signed[k]
        if s:
            lim = float(np.percentile(np.abs(m), q[1])) or 1.0
            im = ax.imshow(m, cmap=cmap or DIVERGING, vmin=-lim, vmax=lim)
        else:
            lo, hi = (float(v) for v in np.percentile(m, q))
            im = ax.imshow(m, cmap=cmap or "gray", vmin=lo, vmax=hi if hi > lo else lo + 1)
        fig.colorbar(im, ax=ax, shrink=0.8)
        ax.set_title(t)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def smoothing_plot(signal, taps, ax=None, *, slide_values=None, title: str = ""):
    """The signal x_t and its weighted moving average s_t = sum_a x_{t-a} w_{-a}.

    signal (T,), taps (K,) in the printed order w_-(K-1), ..., w_0; s_t is drawn for
    t = K-1, ..., T-1 (``dlcore.conv.correlate1d``).  ``slide_values`` (T-K+1,), optional:
    numbers to compare against (drawn as crosses).  Returns the Axes.
    """
    from .. import conv

    signal = as_array(signal, "signal", ndim=1, spec="(T,)")
    taps = as_array(taps, "taps", ndim=1, spec="(K,)")
    s = conv.correlate1d(signal, taps)
    t = np.arange(signal.size)
    ts = t[taps.size - 1:]
    ax = axes_or_new(ax, (6.4, 3.6))
    ax.plot(t, signal, "o-", color=PALETTE["grey"], label="readings $x_t$")
    ax.plot(ts, s, "s-", color=PALETTE["blue"], label="weighted average $s_t$")
    if slide_values is not None:
        sv = as_array(slide_values, "slide_values", ndim=1, spec="(T-K+1,)")
        if sv.shape != s.shape:
            raise ValueError(f"slide_values must have shape {s.shape} (one per output); got "
                             f"{sv.shape}")
        ax.plot(ts, sv, "x", color=PALETTE["vermillion"], markersize=9, mew=2,
                label="values printed on the slide")
    ax.set_title(title or "a 7-tap weighted average smooths the track")
    ax.set_xlabel("time step t")
    ax.set_ylabel("position")
    ax.legend(loc="upper left")
    return ax
