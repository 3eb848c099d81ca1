"""Architecture calculator: a layer table (output shapes, parameters, multiply-adds) for a
built-in network or the learner's own layer list, with bars of where parameters and compute live.

Shape legend: activation shapes (C, H, W) or (D,) without the batch axis; one multiply-add is
one weight times one input, for one example.
"""

from __future__ import annotations

import dataclasses
import html

import ipywidgets as W

from ... import counting as _counting
from ...counting import split_by_kind, weighted_rows
from ...viz import architectures as _va
from .._base import App, checkbox, dropdown, make_figure, readout
from .._mine import mine_name, require_function, run_mine
from ..conv._redraw import GridApp
from ._common import CUSTOM

__all__ = ["architecture_calculator"]

_NETWORKS = {"LeNet-5 (LeCun et al. 1998)": "lenet5",
             "LeNet-5 (modern re-implementation)": "lenet5_modern",
             "AlexNet, grouped (the original, two GPUs)": "alexnet",
             "AlexNet, ungrouped (one device)": "alexnet_ungrouped",
             "AlexNet, torchvision": "alexnet_torchvision",
             "AlexNet, lecture slides' variant (no padding)": "alexnet_khapra",
             "ZFNet": "zfnet",
             "VGG-16": "vgg16"}
#: Height of the scrolling layer table (px): about ten rows, so that the controls, the bars
#: and the table fit on one screen.
TABLE_PX = 270


def _strip_biases(layers):
    return [dataclasses.replace(layer, bias=False)
            if dataclasses.is_dataclass(layer)
            and any(f.name == "bias" for f in dataclasses.fields(layer)) else layer
            for layer in layers]


def _count(v: float) -> str:
    v = float(v)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.6g}"


def _params_cell(r, mine) -> str:
    """The parameters of row ``r``; "yours≠correct" in colour where the learner's count
    differs (``mine``: row index -> (yours, differ))."""
    if mine and r.index in mine and mine[r.index][1]:
        return (f"<span style='color:#D55E00;font-weight:bold' title='your count ≠ the "
                f"correct one'>{_count(mine[r.index][0])}≠{r.params:,}</span>")
    return f"{r.params:,}"


def _html_table(summary, compact: bool, mine=None) -> str:
    tp, tm = max(summary.total_params, 1), max(summary.total_macs, 1)
    head = ("<tr><th align='left'>layer</th><th align='left'>type</th>"
            "<th align='left'>output shape</th><th align='right'>weights</th>"
            "<th align='right'>biases</th><th align='right'>parameters</th>"
            "<th align='right'>multiply-adds</th><th align='right'>% params</th>"
            "<th align='right'>% MACs</th></tr>")
    body, prev = [], summary.input_shape
    for r in summary.rows:
        hidden = compact and r.params == 0 and r.output_shape == prev
        prev = r.output_shape
        if hidden:
            continue
        shape = "x".join(str(s) for s in r.output_shape)
        body.append(f"<tr><td>{html.escape(r.name)}</td><td>{r.kind}</td><td>{shape}</td>"
                    f"<td align='right'>{r.weights:,}</td><td align='right'>{r.biases:,}</td>"
                    f"<td align='right'>{_params_cell(r, mine)}</td>"
                    f"<td align='right'>{r.macs:,}</td>"
                    f"<td align='right'>{100 * r.params / tp:.1f}</td>"
                    f"<td align='right'>{100 * r.macs / tm:.1f}</td></tr>")
    foot = (f"<tr><th align='left'>total</th><th></th><th></th>"
            f"<th align='right'>{summary.total_weights:,}</th>"
            f"<th align='right'>{summary.total_biases:,}</th>"
            f"<th align='right'>{summary.total_params:,}</th>"
            f"<th align='right'>{summary.total_macs:,}</th><th></th><th></th></tr>")
    # the header and the totals stay in view while the rows scroll
    sticky = ("<style>.dl-layers th {position: sticky; background: var(--jp-layout-color0, "
              "white);} .dl-layers thead th {top: 0;} .dl-layers tfoot th {bottom: 0;}"
              ".dl-layers td, .dl-layers th {line-height: 1.3; padding: 1px 6px;}"
              "</style>")
    return (f"{sticky}<table class='dl-layers' style='font-size:85%'><thead>{head}</thead>"
            f"<tbody>{''.join(body)}</tbody><tfoot>{foot}</tfoot></table>")


class _Calculator(GridApp):
    def __init__(self, architecture, layers, input_shape, bias, mine=None):
        from matplotlib.collections import PolyCollection
        from matplotlib.patches import Patch

        options = dict(_NETWORKS)
        self.mine = mine
        #: with mine=: conv row index -> (your count, True where it differs from dlcore's)
        self.mine_rows = None
        self.custom = None
        if layers is not None:
            self.custom = (tuple(layers), tuple(input_shape))
            options = {CUSTOM: "custom", **options}
            architecture = "custom"
        controls = {
            "network": dropdown("network", options, value=architecture,
                                tooltip="a built-in architecture, or your own layer list"),
            "bias": checkbox("count biases (one per filter or unit)", bias,
                             tooltip="off: count the weights only"),
            "compact": checkbox("hide activation and dropout rows", True,
                                tooltip="hide the layers without weights that keep the shape "
                                        "(ReLU, Tanh, LRN, dropout); off: list every layer"),
        }
        fig, (ax_p, ax_m) = make_figure(1, 2, figsize=(9.0, 3.4))
        self.ax_p, self.ax_m = ax_p, ax_m
        self.bars_p = PolyCollection([], edgecolors="none")
        self.bars_m = PolyCollection([], edgecolors="none")
        ax_p.add_collection(self.bars_p)
        ax_m.add_collection(self.bars_m)
        for ax, what in ((ax_p, "parameters"), (ax_m, "multiply-adds")):
            ax.set_xlim(0, 100)
            ax.set_xlabel(f"% of all {what}")
        ax_p.set_ylabel("layer (with weights)")
        # below the panels, where it covers no bar
        fig.legend(handles=[Patch(color=_va.KIND_COLOURS["Conv2d"], label="conv"),
                            Patch(color=_va.KIND_COLOURS["Linear"], label="fully connected"),
                            Patch(color=_va.OTHER_COLOUR, label="other")],
                   loc="outside lower center", ncols=3, fontsize=8, frameon=False)
        ax_p.set_title("Where the parameters live")
        ax_m.set_title("Where the compute lives")
        self.summary_table = None
        table = readout()
        table.layout = W.Layout(max_height=f"{TABLE_PX}px", overflow="auto")
        readouts = {"totals": readout(), **({"mine": readout()} if mine is not None else {}),
                    "table": table}
        super().__init__(controls, fig, readouts=readouts, title="Architecture calculator")
        c = self.controls
        self.arrange([c["network"], W.HBox([c["bias"], c["compact"]],
                                           layout=W.Layout(flex_flow="row wrap"))])
        self.update()

    def layers(self):
        key = self.controls["network"].value
        if key == "custom":
            layers, shape = self.custom
            name = CUSTOM
        else:
            arch = _counting.get_architecture(key)
            layers, shape, name = arch.layers, arch.input_shape, arch.name
        if not self.controls["bias"].value:
            layers = _strip_biases(layers)
        return name, layers, shape

    def update(self):
        name, layers, shape = self.layers()
        summ = dataclasses.replace(_counting.summarize(layers, shape), name=name)
        self.summary_table = summ
        rows = weighted_rows(summ)
        colours = [_va.KIND_COLOURS.get(r.kind, _va.OTHER_COLOUR) for r in rows]
        self.bars_p.set_verts(_va.share_bar_verts([r.params for r in rows], summ.total_params))
        self.bars_m.set_verts(_va.share_bar_verts([r.macs for r in rows], summ.total_macs))
        self.bars_p.set_facecolor(colours)
        self.bars_m.set_facecolor(colours)
        names = [r.name for r in rows]
        if names != getattr(self, "_names", None):
            self._names = names
            self.touch(self.ax_p, self.ax_m)  # new tick labels: repaint the panels
        for ax, labels in ((self.ax_p, names), (self.ax_m, [""] * len(rows))):
            ax.set_yticks(range(len(rows)), labels, fontsize=8)
            ax.set_ylim(len(rows) - 0.5, -0.5)
        parts = split_by_kind(summ)
        tp, tm = max(summ.total_params, 1), max(summ.total_macs, 1)
        fc_p, conv_m = 100 * parts["params"]["fc"] / tp, 100 * parts["macs"]["conv"] / tm
        if self.mine is not None:
            self._compare_mine(layers, summ)
        self.readouts["table"].value = _html_table(summ, self.controls["compact"].value,
                                                   self.mine_rows)
        biases = "with biases" if self.controls["bias"].value else "weights only"
        self.set_readout("totals", f"{name}, input {'x'.join(map(str, shape))}: "
                         f"{summ.total_params:,} parameters ({biases}); "
                         f"{summ.total_macs:,} multiply-adds per image. Fully connected "
                         f"layers hold {fc_p:.1f}% of the parameters; conv layers do "
                         f"{conv_m:.1f}% of the multiply-adds.")
        self.set_summary(f"Bars: each weighted layer's share of the {summ.total_params:,} "
                         f"parameters (left) and of the {summ.total_macs:,} multiply-adds "
                         f"(right); blue conv, orange fully connected, green other.")
        # the bars are blitted; a network with another number of layers repaints the panels
        self.use_dynamic([self.bars_p, self.bars_m])


    def _compare_mine(self, layers, summ) -> None:
        """Count each conv layer's parameters with the learner's function and compare them
        with dlcore's (the table's); the first error stops the comparison."""
        self.mine_rows = None
        name = mine_name(self.mine)
        fallback = "the table shows dl.counting.conv2d_params"
        found, bad, worst = {}, [], None
        shapes = [summ.input_shape] + [r.output_shape for r in summ.rows]
        for r in summ.rows:
            if r.kind != "Conv2d":
                continue
            layer = layers[r.index]
            g, c_in = layer.groups, shapes[r.index][0]
            kh, kw = layer.kernel_size
            k = kh if kh == kw else (kh, kw)
            args = (c_in // g, layer.out_channels, k)
            where = (f"layer {r.name}: c_in={c_in // g}, c_out={layer.out_channels}, k={k}, "
                     f"bias={layer.bias}" + (f"; each filter sees {c_in // g} of the {c_in} "
                                             f"input channels (groups={g})" if g > 1 else ""))
            m = run_mine(self.mine, args, {"bias": layer.bias}, reference=r.params,
                         reference_name="dl.counting.conv2d_params", where=where,
                         fallback=fallback, entries="counts", label=r.name)
            if not m.used:
                self.set_readout("mine", m.message)
                return
            yours = float(m.value)
            found[r.index] = (yours, bool(m.differ))
            if m.differ:
                bad.append(r.name)
                err = abs(yours - r.params)
                if worst is None or not err <= worst[0]:
                    worst = (err, r.name, yours, r.params)
        self.mine_rows = found
        n = len(found)
        if not n:
            self.set_readout("mine", f"this network has no conv layer: nothing for {name} to "
                                     f"count.")
        elif not bad:
            self.set_readout("mine", f"{name} counted the {n} conv layers: all {n} counts match "
                                     f"dl.counting.conv2d_params.")
        else:
            self.set_readout("mine", f"{name} counted the {n} conv layers: {len(bad)} of {n} "
                                     f"counts differ from dl.counting.conv2d_params (marked "
                                     f"yours≠correct in the parameters column: "
                                     f"{', '.join(bad)}); the largest error is "
                                     f"{_count(worst[0])} at {worst[1]}: yours "
                                     f"{_count(worst[2])}, correct {worst[3]:,}. The totals and "
                                     f"the bars are dlcore's.")


def architecture_calculator(architecture: str = "alexnet", layers=None, input_shape=None,
                            bias: bool = True, mine=None) -> App:
    """Per-layer output shapes, parameters and multiply-adds of a network, with bars of where
    the parameters and the compute live (``counting.summarize``).

    ``architecture`` is a built-in name (lenet5, lenet5_modern, alexnet, alexnet_ungrouped,
    alexnet_torchvision, alexnet_khapra, zfnet, vgg16); ``layers`` your own list of
    ``dlcore.counting`` specs (Conv2d, MaxPool2d, Flatten, Linear, ...) with ``input_shape``
    (C, H, W) or (D,).  ``bias=False`` counts weights only.

    ``mine``: your parameter count of a conv layer, called as ``mine(c_in, c_out, k,
    bias=...)`` like ``my_conv_params`` of lecture 11 (``k`` the side of a square kernel, a
    pair (KH, KW) otherwise; for a grouped layer ``c_in`` is the number of channels each
    filter sees).  Each conv row's parameter count is then compared with yours: a count that
    differs is shown as ``yours≠correct`` and a readout names those layers with the largest
    error.  An error in your function is shown in the readout and the table stays dlcore's.
    """
    mine = require_function(mine, "my_conv_params", "your parameter-count function")
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {bias!r}")
    if layers is not None:
        if input_shape is None:
            raise ValueError("input_shape (C, H, W) or (D,) is required with layers=[...]")
        _counting.summarize(list(layers), input_shape)  # fail here, with the layer named
    elif architecture not in _NETWORKS.values():
        raise ValueError(f"unknown architecture {architecture!r}; built-in names: "
                         f"{', '.join(_NETWORKS.values())}")
    elif input_shape is not None:
        raise ValueError("input_shape is only used with layers=[...]")
    return _Calculator(architecture, layers, input_shape, bias, mine)


