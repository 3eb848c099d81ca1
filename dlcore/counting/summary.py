"""Layer-by-layer tables of output shapes, parameters and multiply-adds.

Shape legend: activation shapes are (C, H, W) or (D,), without the batch axis; a multiply-add
(MAC) is one product of a weight and an input added to a sum, counted for one example.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import NamedTuple

from .._checks import check_int
from .architectures import ARCHITECTURES, get_architecture
from .specs import LayerSpec, _shape_str

__all__ = ["LayerRow", "Summary", "summarize", "to_torch", "split_by_kind", "weighted_rows"]


class LayerRow(NamedTuple):
    """One layer of a summary; ``neurons`` is the number of output units, prod(output_shape)."""

    index: int
    name: str
    kind: str
    output_shape: tuple[int, ...]
    weights: int
    biases: int
    params: int
    macs: int
    neurons: int


_COLUMNS = (("#", ">"), ("layer", "<"), ("type", "<"), ("output shape", "<"),
            ("params", ">"), ("MACs", ">"))


@dataclass(frozen=True)
class Summary:
    """Result of :func:`summarize`: ``rows`` (one :class:`LayerRow` per layer) and totals."""

    rows: tuple[LayerRow, ...]
    input_shape: tuple[int, ...]
    name: str | None = None

    @property
    def total_params(self) -> int:
        """Sum of the parameters of every layer (weights plus biases)."""
        return sum(r.params for r in self.rows)

    @property
    def total_weights(self) -> int:
        """Sum of the weights of every layer (the count without biases)."""
        return sum(r.weights for r in self.rows)

    @property
    def total_biases(self) -> int:
        """Sum of the biases of every layer."""
        return sum(r.biases for r in self.rows)

    @property
    def total_macs(self) -> int:
        """Multiply-adds of one forward pass on one example."""
        return sum(r.macs for r in self.rows)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Shape of the network's output (the last row's), or the input shape if empty."""
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def row(self, name: str) -> LayerRow:
        """The row of the layer called ``name``."""
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no layer named {name!r}; layers: {', '.join(r.name for r in self.rows)}")

    def to_records(self) -> list[dict]:
        """One dict per row (the :class:`LayerRow` fields), e.g. for a DataFrame or a plot."""
        return [r._asdict() for r in self.rows]

    @classmethod
    def from_records(cls, records, input_shape, name: str | None = None) -> Summary:
        """Rebuild a summary from :meth:`to_records` output (also after a JSON round trip)."""
        rows = []
        for rec in records:
            rec = dict(rec)
            rec["output_shape"] = tuple(rec["output_shape"])
            rows.append(LayerRow(**rec))
        return cls(rows=tuple(rows), input_shape=tuple(input_shape), name=name)

    def _visible(self, compact: bool):
        prev = self.input_shape
        for r in self.rows:
            # compact tables drop layers that neither hold parameters nor change the shape
            if not (compact and r.params == 0 and r.output_shape == prev):
                yield r
            prev = r.output_shape

    def _title(self) -> str:
        head = f"{self.name}: " if self.name else ""
        return f"{head}input {_shape_str(self.input_shape)}"

    def _totals(self) -> str:
        return (f"total parameters {self.total_params:,} (weights {self.total_weights:,}, "
                f"biases {self.total_biases:,}); multiply-adds {self.total_macs:,}")

    def table(self, compact: bool = False) -> str:
        """Fixed-width text table; ``compact=True`` hides activations, dropout and norms."""
        cells = [[str(r.index), r.name, r.kind, _shape_str(r.output_shape),
                  f"{r.params:,}", f"{r.macs:,}"] for r in self._visible(compact)]
        cells.append(["", "total", "", _shape_str(self.output_shape),
                      f"{self.total_params:,}", f"{self.total_macs:,}"])
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (h, _) in enumerate(_COLUMNS)]

        def line(values):
            parts = [f"{v:{a}{w}}" for v, (_, a), w in zip(values, _COLUMNS, widths)]
            return "  ".join(parts).rstrip()

        rule = "-" * len(line([h for h, _ in _COLUMNS]))
        body = [line(c) for c in cells[:-1]]
        return "\n".join([self._title(), line([h for h, _ in _COLUMNS]), rule, *body, rule,
                          line(cells[-1]), self._totals()])

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:{'right' if a == '>' else 'left'}'>{h}</th>"
                       for h, a in _COLUMNS)
        body = []
        for r in self.rows:
            cells = [str(r.index), html.escape(r.name), r.kind, _shape_str(r.output_shape),
                     f"{r.params:,}", f"{r.macs:,}"]
            body.append("<tr>" + "".join(
                f"<td style='text-align:{'right' if a == '>' else 'left'}'>{c}</td>"
                for c, (_, a) in zip(cells, _COLUMNS)) + "</tr>")
        foot = (f"<tr><th></th><th style='text-align:left'>total</th><th></th>"
                f"<th style='text-align:left'>{_shape_str(self.output_shape)}</th>"
                f"<th style='text-align:right'>{self.total_params:,}</th>"
                f"<th style='text-align:right'>{self.total_macs:,}</th></tr>")
        return (f"<table><caption>{html.escape(self._title())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"<tfoot>{foot}</tfoot></table><p>{self._totals()}</p>")


def _resolve(architecture, input_shape):
    """(name, layers, input shape) from a built-in name or a sequence of layer specs."""
    name = None
    if isinstance(architecture, str):
        arch = get_architecture(architecture)
        name, layers = arch.name, arch.layers
        if input_shape is None:
            input_shape = arch.input_shape
    else:
        if not hasattr(architecture, "__iter__"):
            raise TypeError(f"architecture must be a name ({', '.join(ARCHITECTURES)}) or a "
                            f"list of layer specs; got {type(architecture).__name__}")
        layers = tuple(architecture)
        for i, layer in enumerate(layers):
            if not isinstance(layer, LayerSpec):
                raise TypeError(f"layer {i} must be a layer spec from dlcore.counting "
                                f"(Conv2dSpec, LinearSpec, MaxPool2dSpec, ...); got {layer!r}")
        if input_shape is None:
            raise ValueError("input_shape (C, H, W) or (D,) is required for a list of layers")
    if isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") \
            or len(input_shape) not in (1, 3):
        raise ValueError(f"input_shape must be (C, H, W) or (D,); got {input_shape!r}")
    shape = tuple(check_int(s, f"input_shape[{i}]", minimum=1) for i, s in enumerate(input_shape))
    return name, layers, shape


def _names(layers) -> list[str]:
    explicit = [layer.name for layer in layers if layer.name is not None]
    dup = sorted({n for n in explicit if explicit.count(n) > 1})
    if dup:
        raise ValueError(f"layer names must be unique; repeated: {', '.join(dup)}")
    taken, counters, names = set(explicit), {}, []
    for layer in layers:
        if layer.name is not None:
            names.append(layer.name)
            continue
        prefix = layer._prefix
        n = counters.get(prefix, 0)
        while True:
            n += 1
            candidate = f"{prefix}{n}"
            if candidate not in taken:
                break
        counters[prefix] = n
        taken.add(candidate)
        names.append(candidate)
    return names


def _trace(layers, shape):
    """Yield (index, name, layer, input shape, output shape, weights, biases, macs)."""
    for i, (name, layer) in enumerate(zip(_names(layers), layers)):
        try:
            out = layer.output_shape(shape)
            weights, biases, macs = layer.counts(shape)
        except ValueError as exc:
            raise ValueError(f"layer {i} {name!r} ({layer.kind}) with input shape "
                             f"{_shape_str(shape)}: {exc}") from None
        yield i, name, layer, shape, out, weights, biases, macs
        shape = out


def summarize(architecture, input_shape=None) -> Summary:
    """Output shape, parameters (weights + biases) and multiply-adds of every layer.

    ``architecture`` is a built-in name (see ``ARCHITECTURES``) or a list of layer specs;
    ``input_shape`` is (C, H, W) or (D,) without the batch axis and defaults to the built-in
    network's input.  Conv MACs are H_o W_o F KH KW C/g, linear MACs D M, everything else 0.
    A layer whose input does not fit (a kernel larger than the padded input, an unflattened
    input to Linear) raises ValueError naming the layer index, its name and the shapes.
    """
    name, layers, shape = _resolve(architecture, input_shape)
    rows = []
    for i, lname, layer, _, out, weights, biases, macs in _trace(layers, shape):
        neurons = 1
        for s in out:
            neurons *= s
        rows.append(LayerRow(index=i, name=lname, kind=layer.kind, output_shape=out,
                             weights=weights, biases=biases, params=weights + biases,
                             macs=macs, neurons=neurons))
    return Summary(rows=tuple(rows), input_shape=shape, name=name)


def _torch_layer(nn, layer, in_shape, device):
    if layer.kind == "Conv2d":
        return nn.Conv2d(in_shape[0], layer.out_channels, layer.kernel_size, stride=layer.stride,
                         padding=layer.padding, dilation=layer.dilation, groups=layer.groups,
                         bias=layer.bias, device=device)
    if layer.kind == "Linear":
        return nn.Linear(in_shape[0], layer.out_features, bias=layer.bias, device=device)
    if layer.kind == "Subsample2d":
        c = in_shape[0]
        return nn.Sequential(nn.AvgPool2d(layer.kernel_size, layer.stride),
                             nn.Conv2d(c, c, 1, groups=c, bias=layer.bias, device=device))
    if layer.kind in ("MaxPool2d", "AvgPool2d"):
        return getattr(nn, layer.kind)(layer.kernel_size, layer.stride, layer.padding)
    if layer.kind == "AdaptiveAvgPool2d":
        return nn.AdaptiveAvgPool2d(layer.output_size)
    if layer.kind == "LocalResponseNorm":
        return nn.LocalResponseNorm(layer.size, layer.alpha, layer.beta, layer.k)
    if layer.kind == "Dropout":
        return nn.Dropout(layer.p)
    if layer.kind == "Flatten":
        # the spec has no batch axis, torch's Flatten keeps it
        return nn.Flatten()
    return getattr(nn, layer.kind)()


def to_torch(architecture, input_shape=None, device=None):
    """The same network as a ``torch.nn.Sequential`` whose children carry the row names.

    ``device="meta"`` builds it without allocating weights (VGG-16 included), so
    ``sum(p.numel() for p in net.parameters())`` equals ``summarize(...).total_params``.
    A Subsample2d becomes ``Sequential(AvgPool2d, depthwise 1x1 Conv2d)``.  Needs torch.
    """
    import collections

    import torch.nn as nn

    _, layers, shape = _resolve(architecture, input_shape)
    modules = collections.OrderedDict()
    for _, lname, layer, in_shape, *_ in _trace(layers, shape):
        modules[lname.replace(".", "_")] = _torch_layer(nn, layer, in_shape, device)
    return nn.Sequential(modules)


def split_by_kind(summary) -> dict:
    """Parameters and multiply-adds of a Summary by layer kind: {"params": {...}, "macs": {...}}
    with keys "conv" (Conv2d), "fc" (Linear) and "other", plus the totals."""
    out = {"params": {"conv": 0, "fc": 0, "other": 0}, "macs": {"conv": 0, "fc": 0, "other": 0}}
    for r in summary.rows:
        key = {"Conv2d": "conv", "Linear": "fc"}.get(r.kind, "other")
        out["params"][key] += r.params
        out["macs"][key] += r.macs
    out["total_params"], out["total_macs"] = summary.total_params, summary.total_macs
    return out


def weighted_rows(summary):
    """Rows that hold parameters or do multiply-adds (convs, linears, subsampling)."""
    return [r for r in summary.rows if r.params or r.macs]
