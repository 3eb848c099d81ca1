"""Tests for dlcore.counting: closed-form counts, layer tables and the built-in architectures.

Expected values come from PyTorch (modules built on the meta device, so VGG-16 allocates
nothing; shapes from running a meta tensor through them; multiply-adds from torch's
FlopCounterMode, which reports 2 flops per multiply-add) or from the numbers printed in the
syllabus and the seeds.  The seeds' wrong numbers appear only in "!=" assertions.
"""

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlcore import counting as C
from dlcore.counting import (
    AdaptiveAvgPool2dSpec,
    AvgPool2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    ReLUSpec,
    Subsample2dSpec,
    TanhSpec,
    conv2d_params,
    gru_params,
    linear_params,
    lstm_params,
    mlp_counts,
    rnn_params,
    summarize,
)

try:
    import torch
    from torch import nn
except ImportError:  # the closed-form tests still run without torch
    torch = nn = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch")
META = "meta"


def numel(module) -> int:
    return sum(p.numel() for p in module.parameters())


# --------------------------------------------------------------------------------------------
# Torch twins of the built-in architectures, written from the papers / torchvision's source,
# one child per row of the summary.

def _twin_lenet5():
    def sub(c):  # trainable subsampling: average, then one coefficient and bias per map
        return nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(c, c, 1, groups=c, device=META))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, device=META), nn.Tanh(), sub(6), nn.Tanh(),
        nn.Conv2d(6, 16, 5, device=META), nn.Tanh(), sub(16), nn.Tanh(),
        nn.Conv2d(16, 120, 5, device=META), nn.Tanh(), nn.Flatten(),
        nn.Linear(120, 84, device=META), nn.Tanh(), nn.Linear(84, 10, device=META))


def _twin_lenet5_modern():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, device=META), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5, device=META), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120, device=META), nn.Tanh(), nn.Linear(120, 84, device=META), nn.Tanh(),
        nn.Linear(84, 10, device=META))


def _caffe_classifier(n_in, dropout=True):
    layers = [nn.Linear(n_in, 4096, device=META), nn.ReLU()]
    layers += [nn.Dropout()] if dropout else []
    layers += [nn.Linear(4096, 4096, device=META), nn.ReLU()]
    layers += [nn.Dropout()] if dropout else []
    return [*layers, nn.Linear(4096, 1000, device=META)]


def _twin_alexnet(g):
    def lrn():
        return nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0)
    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4, device=META), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=g, device=META), nn.ReLU(), lrn(),
        nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1, device=META), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, groups=g, device=META), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=g, device=META), nn.ReLU(),
        nn.MaxPool2d(3, 2), nn.Flatten(), *_caffe_classifier(256 * 6 * 6))


def _twin_alexnet_torchvision():
    # torchvision.models.AlexNet: features, avgpool, flatten, classifier
    return nn.Sequential(
        nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2, device=META), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(64, 192, kernel_size=5, padding=2, device=META), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(192, 384, kernel_size=3, padding=1, device=META), nn.ReLU(),
        nn.Conv2d(384, 256, kernel_size=3, padding=1, device=META), nn.ReLU(),
        nn.Conv2d(256, 256, kernel_size=3, padding=1, device=META), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2), nn.AdaptiveAvgPool2d((6, 6)), nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(256 * 6 * 6, 4096, device=META), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(4096, 4096, device=META), nn.ReLU(),
        nn.Linear(4096, 1000, device=META))


def _twin_alexnet_khapra():
    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4, device=META), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, device=META), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, device=META), nn.ReLU(),
        nn.Conv2d(384, 384, 3, device=META), nn.ReLU(),
        nn.Conv2d(384, 256, 3, device=META), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), *_caffe_classifier(256 * 2 * 2, dropout=False))


def _twin_zfnet():
    def lrn():
        return nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0)
    return nn.Sequential(
        nn.Conv2d(3, 96, 7, stride=2, padding=1, device=META), nn.ReLU(),
        nn.MaxPool2d(3, 2, padding=1), lrn(),
        nn.Conv2d(96, 256, 5, stride=2, device=META), nn.ReLU(),
        nn.MaxPool2d(3, 2, padding=1), lrn(),
        nn.Conv2d(256, 384, 3, padding=1, device=META), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, device=META), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, device=META), nn.ReLU(),
        nn.MaxPool2d(3, 2), nn.Flatten(), *_caffe_classifier(256 * 6 * 6))


def _twin_vgg16():
    layers, c = [], 3
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
              512, 512, 512, "M"]:  # torchvision's cfgs["D"]
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(c, v, kernel_size=3, padding=1, device=META), nn.ReLU()]
            c = v
    return nn.Sequential(*layers, nn.Flatten(), *_caffe_classifier(512 * 7 * 7))


TWINS = {
    "lenet5": _twin_lenet5,
    "lenet5_modern": _twin_lenet5_modern,
    "alexnet": lambda: _twin_alexnet(2),
    "alexnet_ungrouped": lambda: _twin_alexnet(1),
    "alexnet_torchvision": _twin_alexnet_torchvision,
    "alexnet_khapra": _twin_alexnet_khapra,
    "zfnet": _twin_zfnet,
    "vgg16": _twin_vgg16,
}


def _torch_trace(net, input_shape):
    """(output shape without batch, parameters, multiply-adds) of every child of ``net``."""
    from torch.utils.flop_counter import FlopCounterMode

    net.eval()
    x = torch.empty(1, *input_shape, device=META)
    out = []
    for child in net:
        with FlopCounterMode(display=False) as counter:
            x = child(x)
        out.append((tuple(x.shape[1:]), numel(child), counter.get_total_flops() // 2))
    return out


# --------------------------------------------------------------------------------------------
# Built-in architectures against their torch twins

@needs_torch
@pytest.mark.lec11
def test_every_builtin_has_a_twin():
    assert set(TWINS) == set(C.ARCHITECTURES)


@needs_torch
@pytest.mark.lec11
@pytest.mark.parametrize("name", list(TWINS))
def test_builtin_matches_torch_twin(name):
    summary = summarize(name)
    twin = TWINS[name]()
    assert summary.total_params == numel(twin)
    torch_rows = _torch_trace(twin, summary.input_shape)
    assert len(torch_rows) == len(summary.rows)
    for row, (shape, params, macs) in zip(summary.rows, torch_rows):
        assert (row.name, row.output_shape) == (row.name, shape)
        assert (row.name, row.params) == (row.name, params)
        assert (row.name, row.macs) == (row.name, macs)


@needs_torch
@pytest.mark.lec11
@pytest.mark.parametrize("name", list(TWINS))
def test_to_torch_matches_twin(name):
    built = C.to_torch(name, device=META)
    twin = TWINS[name]()
    assert numel(built) == numel(twin)
    assert list(dict(built.named_children())) == [r.name for r in summarize(name).rows]
    arch = C.ARCHITECTURES[name]
    assert _torch_trace(built, arch.input_shape) == _torch_trace(twin, arch.input_shape)


@needs_torch
@pytest.mark.lec11
def test_to_torch_of_a_layer_list_with_bias_free_layers():
    layers = [Conv2dSpec(8, 3, padding=1, bias=False), Subsample2dSpec(2, bias=False),
              FlattenSpec(), LinearSpec(5, bias=False)]
    built = C.to_torch(layers, input_shape=(2, 6, 6), device=META)
    assert numel(built) == 2 * 9 * 8 + 8 + 8 * 3 * 3 * 5
    assert summarize(layers, (2, 6, 6)).total_params == numel(built)
    assert summarize(layers, (2, 6, 6)).total_biases == 0


@pytest.mark.lec11
def test_syllabus_totals():
    assert summarize("alexnet").total_params == 60_965_224
    assert summarize("alexnet_ungrouped").total_params == 62_378_344
    assert summarize("alexnet_torchvision").total_params == 61_100_840
    assert summarize("vgg16").total_params == 138_357_544


@pytest.mark.lec11
def test_alexnet_with_biases_layer_table():
    # 002_0ad103dc23bd7991.txt l. 4193-4208 (P=2 in conv2, no grouping)
    s = summarize("alexnet_ungrouped")
    names = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
    assert [s.row(n).params for n in names] == [
        34_944, 614_656, 885_120, 1_327_488, 884_992, 37_752_832, 16_781_312, 4_097_000]
    assert [s.row(n).output_shape for n in ["conv1", "pool1", "conv2", "pool2", "pool5"]] == [
        (96, 55, 55), (96, 27, 27), (256, 27, 27), (256, 13, 13), (256, 6, 6)]
    fc = sum(s.row(n).params for n in ["fc6", "fc7", "fc8"])
    assert round(fc / s.total_params, 2) == 0.94


@pytest.mark.lec11
def test_grouped_alexnet_numbers_from_the_errata():
    # 004_4f4f274075c2c478.txt l. 552-560
    s = summarize("alexnet")
    assert s.row("conv1").neurons == 55 * 55 * 96 == 290_400
    assert s.row("conv1").neurons != 253_440
    assert s.row("conv2").params == (5 * 5 * 48 + 1) * 256
    fc = sum(s.row(n).params for n in ["fc6", "fc7", "fc8"])
    assert round(fc / 1e6, 1) == 58.6
    assert round(fc / 1e6) != 57
    assert round(s.row("fc7").params / 1e6, 1) == 16.8


@pytest.mark.lec11
def test_khapra_alexnet_variant():
    # 000_e2730a764dfba2d6.txt l. 5786-5914: P=0 everywhere, weights only
    s = summarize("alexnet_khapra")
    convs = ["conv1", "conv2", "conv3", "conv4", "conv5"]
    assert [s.row(n).weights for n in convs] == [34_848, 614_400, 884_736, 1_327_104, 884_736]
    assert [s.row(n).output_shape[1] for n in ["pool1", "conv2", "pool2", "conv3", "conv4",
                                               "conv5", "pool5"]] == [27, 23, 11, 9, 7, 5, 2]
    assert s.row("flatten").output_shape == (1024,)
    assert round(s.row("conv3").weights / 1e6, 2) == 0.88  # the slide's "0.8M" rounds badly
    # conv2 keeps 27x27 only with P=2 (errata for 002_0ad103dc23bd7991.txt l. 4175-4179)
    assert summarize([Conv2dSpec(256, 5, padding=2)], (96, 27, 27)).output_shape == (256, 27, 27)


@pytest.mark.lec10
@pytest.mark.lec11
def test_alexnet_pool_sizes_from_the_seed():
    # 002_0ad103dc23bd7991.txt l. 4045-4100: (55-3)/2+1 = 27, (27-3)/2+1 = 13
    assert summarize([MaxPool2dSpec(3, 2)], (96, 55, 55)).output_shape == (96, 27, 27)
    assert summarize([MaxPool2dSpec(3, 2)], (256, 27, 27)).output_shape == (256, 13, 13)


@pytest.mark.lec11
def test_zfnet_conv1_change():
    alex = summarize("alexnet_ungrouped").row("conv1")
    zf = summarize("zfnet").row("conv1")
    assert alex.params - zf.params == (11**2 - 7**2) * 3 * 96 == 20_736
    assert alex.params - zf.params != (11 - 7) ** 2 * 3 * 96  # the slide's 4.6K
    z = summarize("zfnet")
    sizes = [z.row(n).output_shape[1] for n in ["conv1", "pool1", "conv2", "pool2", "pool5"]]
    assert sizes == [110, 55, 26, 13, 6]  # the paper's figure 3


@pytest.mark.lec11
def test_vgg_numbers():
    s = summarize("vgg16")
    fc = ["fc6", "fc7", "fc8"]
    assert sum(s.row(n).weights for n in fc) == 123_633_664
    # the slide's sum with a 4096x1024 last layer: 123.7M, not "~122M"
    slide = (linear_params(512 * 7 * 7, 4096, bias=False) + linear_params(4096, 4096, bias=False)
             + linear_params(4096, 1024, bias=False))
    assert slide == 102_760_448 + 16_777_216 + 4_194_304 == 123_731_968
    assert round(slide / 1e6) != 122
    conv_weights = sum(r.weights for r in s.rows if r.kind == "Conv2d")
    assert round(conv_weights / 1e6, 1) == 14.7
    assert round(conv_weights / 1e6) != 16
    assert s.row("pool5").output_shape == (512, 7, 7)


@pytest.mark.lec11
def test_vgg19_conv_weights_from_a_layer_list():
    layers = []
    for width, depth in ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4)):
        layers += [Conv2dSpec(width, 3, padding=1), ReLUSpec()] * depth + [MaxPool2dSpec(2)]
    s = summarize(layers, (3, 224, 224))
    assert round(s.total_weights / 1e6, 1) == 20.0
    assert s.output_shape == (512, 7, 7)


@pytest.mark.lec11
def test_lenet_c1():
    assert conv2d_params(1, 6, 5) == 156
    assert conv2d_params(1, 6, 5, bias=False) == 150
    row = summarize("lenet5").row("C1")
    assert (row.weights, row.biases, row.params, row.output_shape) == (150, 6, 156, (6, 28, 28))
    assert summarize("lenet5").row("C3").params == (5 * 5 * 6 + 1) * 16 == 2_416
    assert summarize("lenet5").row("S2").params == 2 * 6


@pytest.mark.lec11
def test_six_filters_on_rgb_is_456_not_156():
    # 002_0ad103dc23bd7991.txt l. 2304-2308
    assert conv2d_params(3, 6, 5) == 456
    assert conv2d_params(3, 6, 5) != 156
    s = summarize([Conv2dSpec(6, 5)], (3, 32, 32))
    assert (s.output_shape, s.total_params) == ((6, 28, 28), 456)


@pytest.mark.lec11
def test_256_to_256_3x3_weights():
    # 002_0ad103dc23bd7991.txt l. 2125: 589,824 (the seed rounds to 0.5M)
    assert conv2d_params(256, 256, 3, bias=False) == 589_824


@pytest.mark.lec10
@pytest.mark.parametrize("n, k, s, p, expected", [
    (7, 3, 1, 0, 5), (7, 5, 1, 0, 3), (7, 3, 1, 1, 7), (7, 3, 2, 1, 4), (32, 5, 1, 0, 28),
    (227, 11, 4, 0, 55), (5, 3, 2, 1, 3), (8, 3, 2, 1, 4)])
def test_output_sizes_from_the_syllabus(n, k, s, p, expected):
    shape = summarize([Conv2dSpec(2, k, stride=s, padding=p)], (3, n, n)).output_shape
    assert shape == (2, expected, expected)


# --------------------------------------------------------------------------------------------
# Closed forms: syllabus numbers

@pytest.mark.lec05
def test_mlp_counts_3_4_2():
    counts = mlp_counts([3, 4, 2])
    assert counts == (6, 20, 6, 26)
    assert (counts.neurons, counts.weights, counts.parameters) == (6, 20, 26)
    assert summarize([LinearSpec(4), ReLUSpec(), LinearSpec(2)], (3,)).total_params == 26


@pytest.mark.lec08
def test_3072_50_10_net():
    assert mlp_counts([3072, 50, 10]).parameters == 154_160


@pytest.mark.lec13
def test_161_weight_quiz_solves_to_14():
    # n inputs, n/2 hidden units, 2 outputs, weights only
    def weights(n):
        return rnn_params(n, n // 2, bias=False) + linear_params(n // 2, 2, bias=False)
    assert [n for n in range(2, 400, 2) if weights(n) == 161] == [14]


@pytest.mark.lec13
def test_rnn_784_200_2():
    w = rnn_params(784, 200, bias=False) + linear_params(200, 2, bias=False)
    p = rnn_params(784, 200) + linear_params(200, 2)
    assert (w, p) == (197_200, 197_402)


@pytest.mark.lec14
def test_recurrent_counts_784_200():
    assert [f(784, 200) for f in (rnn_params, gru_params, lstm_params)] == [
        197_000, 591_000, 788_000]
    assert [f(784, 200, torch_biases=True) for f in (rnn_params, gru_params, lstm_params)] == [
        197_200, 591_600, 788_800]
    assert lstm_params(784, 200, bias=False, torch_biases=True) == 4 * 200 * 984


# --------------------------------------------------------------------------------------------
# Property tests against torch modules

PROP = settings(max_examples=40, deadline=None)


@needs_torch
@pytest.mark.lec11
@PROP
@given(groups=st.integers(1, 4), a=st.integers(1, 5), b=st.integers(1, 5),
       kh=st.integers(1, 7), kw=st.integers(1, 7), bias=st.booleans())
def test_conv2d_params_match_torch(groups, a, b, kh, kw, bias):
    c_in, c_out = groups * a, groups * b
    m = nn.Conv2d(c_in, c_out, (kh, kw), groups=groups, bias=bias, device=META)
    assert conv2d_params(c_in, c_out, (kh, kw), bias=bias, groups=groups) == numel(m)
    if kh == kw:
        assert conv2d_params(c_in, c_out, kh, bias=bias, groups=groups) == numel(m)


@needs_torch
@pytest.mark.lec05
@PROP
@given(n_in=st.integers(1, 3000), n_out=st.integers(1, 3000), bias=st.booleans())
def test_linear_params_match_torch(n_in, n_out, bias):
    assert linear_params(n_in, n_out, bias=bias) == numel(
        nn.Linear(n_in, n_out, bias=bias, device=META))


@needs_torch
@pytest.mark.lec13
@pytest.mark.lec14
@PROP
@given(kind=st.sampled_from([("RNN", 1), ("LSTM", 4), ("GRU", 3)]),
       d=st.integers(1, 300), h=st.integers(1, 300))
def test_recurrent_params_match_torch(kind, d, h):
    cls, gates = kind
    fn = {"RNN": rnn_params, "LSTM": lstm_params, "GRU": gru_params}[cls]
    with_bias = numel(getattr(nn, cls)(d, h, device=META))
    no_bias = numel(getattr(nn, cls)(d, h, bias=False, device=META))
    assert fn(d, h, torch_biases=True) == with_bias
    assert fn(d, h, bias=False) == no_bias
    assert fn(d, h) == with_bias - gates * h


@needs_torch
@pytest.mark.lec10
@PROP
@given(n=st.integers(1, 40), k=st.integers(1, 9), s=st.integers(1, 4), p=st.integers(0, 4),
       d=st.integers(1, 3), groups=st.integers(1, 3))
def test_conv_layer_shapes_and_macs_match_torch(n, k, s, p, d, groups):
    from torch.utils.flop_counter import FlopCounterMode

    layers = [Conv2dSpec(2 * groups, k, stride=s, padding=p, dilation=d, groups=groups)]
    m = nn.Conv2d(3 * groups, 2 * groups, k, stride=s, padding=p, dilation=d, groups=groups,
                  device=META)
    x = torch.empty(1, 3 * groups, n, n + 1, device=META)
    if n + 2 * p < d * (k - 1) + 1:
        with pytest.raises(ValueError, match=f"kernel {k}.*does not fit input height {n}"):
            summarize(layers, (3 * groups, n, n + 1))
        with pytest.raises(RuntimeError):
            m(x)
        return
    s_ = summarize(layers, (3 * groups, n, n + 1))
    with FlopCounterMode(display=False) as counter:
        y = m(x)
    assert s_.output_shape == tuple(y.shape[1:])
    assert s_.total_macs == counter.get_total_flops() // 2
    assert s_.total_params == numel(m)


@needs_torch
@pytest.mark.lec10
@PROP
@given(n=st.integers(1, 30), k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 2),
       kind=st.sampled_from(["MaxPool2d", "AvgPool2d"]))
def test_pool_shapes_match_torch(n, k, s, p, kind):
    assume(p <= k // 2)
    spec = {"MaxPool2d": MaxPool2dSpec, "AvgPool2d": AvgPool2dSpec}[kind](k, s, padding=p)
    x = torch.empty(1, 2, n, n, device=META)
    if n + 2 * p < k:
        with pytest.raises(ValueError, match="does not fit"):
            summarize([spec], (2, n, n))
        return
    y = getattr(nn, kind)(k, s, padding=p)(x)
    assert summarize([spec], (2, n, n)).output_shape == tuple(y.shape[1:])


# --------------------------------------------------------------------------------------------
# Summary object

@pytest.mark.lec11
def test_table_text_contains_totals_and_names():
    s = summarize("alexnet")
    text = str(s)
    assert "60,965,224" in text
    assert f"{s.total_macs:,}" in text
    for r in s.rows:
        assert r.name in text
    assert "(96, 55, 55)" in text
    lines = text.splitlines()
    assert lines[0] == "alexnet: input (3, 227, 227)"
    compact = s.table(compact=True)
    assert "relu1" not in compact and "drop6" not in compact and "norm1" not in compact
    assert "conv1" in compact and "pool1" in compact and "flatten" in compact
    assert "60,965,224" in compact


@pytest.mark.lec11
def test_html_table():
    h = summarize("lenet5")._repr_html_()
    assert h.startswith("<table>") and "61,750" in h
    assert h.count("<tr>") == len(summarize("lenet5").rows) + 2  # header + rows + total


@pytest.mark.lec11
def test_records_round_trip():
    s = summarize("zfnet")
    records = s.to_records()
    assert len(records) == len(s.rows)
    assert records[0]["name"] == "conv1" and records[0]["params"] == 14_208
    assert set(records[0]) == set(C.LayerRow._fields)
    back = C.Summary.from_records(json.loads(json.dumps(records)), s.input_shape, s.name)
    assert back == s
    assert back.total_params == s.total_params


@pytest.mark.lec11
def test_rows_are_consistent():
    for name in C.ARCHITECTURES:
        s = summarize(name)
        assert s.total_params == s.total_weights + s.total_biases
        assert [r.index for r in s.rows] == list(range(len(s.rows)))
        assert len({r.name for r in s.rows}) == len(s.rows)
        assert s.input_shape == C.ARCHITECTURES[name].input_shape
        assert C.ARCHITECTURES[name].description and C.ARCHITECTURES[name].citation


@pytest.mark.lec11
def test_input_shape_override_and_auto_names():
    s = summarize("alexnet_torchvision", input_shape=(3, 320, 320))
    # the adaptive pool makes the classifier independent of the input size
    assert s.total_params == 61_100_840
    assert s.row("pool5").output_shape != (256, 6, 6)
    auto = summarize([Conv2dSpec(4, 3), ReLUSpec(), Conv2dSpec(4, 3, name="conv1"), ReLUSpec(),
                      LocalResponseNormSpec(3), DropoutSpec(0.1), TanhSpec(),
                      AdaptiveAvgPool2dSpec((2, 3)), FlattenSpec(), LinearSpec(3)], (1, 9, 9))
    assert [r.name for r in auto.rows] == ["conv2", "relu1", "conv1", "relu2", "norm1", "drop1",
                                           "tanh1", "avgpool1", "flatten1", "fc1"]
    assert auto.row("avgpool1").output_shape == (4, 2, 3)
    assert auto.output_shape == (3,)


@pytest.mark.lec11
def test_specs_are_not_the_nn_modules_and_keep_the_torch_kind():
    import dlcore as dl

    assert dl.counting.Conv2dSpec is not dl.nn.Conv2d
    assert {"Conv2dSpec", "LinearSpec", "ReLUSpec"} <= set(C.__all__)
    assert not {"Conv2d", "Linear", "ReLU"} & set(C.__all__)
    s = summarize([Conv2dSpec(2, 3), ReLUSpec(), FlattenSpec(), LinearSpec(4)], (1, 5, 5))
    assert [r.kind for r in s.rows] == ["Conv2d", "ReLU", "Flatten", "Linear"]
    assert s.total_params == (3 * 3 * 1 + 1) * 2 + (2 * 3 * 3 + 1) * 4
    # A notebook saved with the old names is told the new one.
    with pytest.raises(AttributeError, match=r"counting.Conv2d is now dlcore.counting.Conv2dSpec"):
        C.Conv2d(2, 3)
    with pytest.raises(AttributeError, match="has no attribute 'Conv3d'"):
        C.Conv3d(2, 3)


# --------------------------------------------------------------------------------------------
# Bad input

@pytest.mark.lec11
def test_non_positive_sizes():
    with pytest.raises(ValueError, match="n_in must be >= 1; got 0"):
        linear_params(0, 3)
    with pytest.raises(ValueError, match="c_out must be >= 1"):
        conv2d_params(3, -1, 3)
    with pytest.raises(ValueError, match="n_hidden must be >= 1"):
        lstm_params(3, 0)
    with pytest.raises(ValueError, match=r"k\[1\] must be >= 1"):
        conv2d_params(3, 4, (3, 0))
    with pytest.raises(ValueError, match=r"sizes\[1\] must be >= 1"):
        mlp_counts([3, 0, 2])
    with pytest.raises(ValueError, match="out_channels must be >= 1"):
        Conv2dSpec(0, 3)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        MaxPool2dSpec(2, stride=0)
    with pytest.raises(ValueError, match=r"input_shape\[1\] must be >= 1"):
        summarize([ReLUSpec()], (3, 0, 4))


@pytest.mark.lec11
def test_wrong_types():
    with pytest.raises(TypeError, match="n_in must be an integer"):
        linear_params(2.5, 3)
    with pytest.raises(TypeError, match="bias must be True or False"):
        rnn_params(3, 4, bias="yes")
    with pytest.raises(TypeError, match="sizes must be a sequence"):
        mlp_counts(5)
    with pytest.raises(ValueError, match="at least two widths"):
        mlp_counts([3])
    with pytest.raises(ValueError, match=r"k must be an int or a pair \(height, width\)"):
        conv2d_params(3, 4, (3, 3, 3))
    with pytest.raises(TypeError, match="layer 1 must be a layer spec"):
        summarize([ReLUSpec(), "conv"], (3, 8, 8))
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\)"):
        DropoutSpec(1.5)


@pytest.mark.lec11
def test_groups_must_divide_channels():
    with pytest.raises(ValueError, match="divisible by groups; got c_in=6, c_out=4, groups=4"):
        conv2d_params(6, 4, 3, groups=4)
    with pytest.raises(ValueError, match="out_channels=6, groups=4"):
        Conv2dSpec(6, 3, groups=4)
    with pytest.raises(ValueError, match=r"layer 0 'conv1' \(Conv2d\).*C=3.*groups=2"):
        summarize([Conv2dSpec(8, 3, groups=2)], (3, 8, 8))


@pytest.mark.lec11
def test_kernel_that_does_not_fit_names_layer_and_sizes():
    layers = [Conv2dSpec(6, 5), MaxPool2dSpec(2), Conv2dSpec(16, 5, name="c3")]
    with pytest.raises(ValueError, match=r"layer 2 'c3' \(Conv2d\) with input shape "
                                         r"\(6, 4, 4\): kernel 5 does not fit input height 4"):
        summarize(layers, (1, 12, 12))
    with pytest.raises(ValueError, match=r"layer 0 'conv1'.*kernel 3 does not fit input width 6 "
                                         r"with padding 0: the kernel width 3 \(dilation 3 "
                                         r"makes it 7\)"):
        summarize([Conv2dSpec(2, 3, dilation=3)], (1, 9, 6))
    with pytest.raises(ValueError, match=r"layer 1 'pool1' \(MaxPool2d\).*kernel 3 does not fit"):
        summarize([ReLUSpec(), MaxPool2dSpec(3)], (1, 2, 2))


@pytest.mark.lec11
def test_linear_needs_a_flat_input():
    with pytest.raises(ValueError, match=r"layer 1 'fc1' \(Linear\) with input shape "
                                         r"\(6, 28, 28\): Linear expects a flat input .*Flatten"):
        summarize([Conv2dSpec(6, 5), LinearSpec(10)], (1, 32, 32))
    with pytest.raises(ValueError, match=r"Conv2d expects an image input of shape \(C, H, W\); "
                                         r"got \(10,\)"):
        summarize([LinearSpec(10), Conv2dSpec(3, 1)], (4,))


@pytest.mark.lec11
def test_unknown_architecture_lists_names():
    with pytest.raises(ValueError, match="unknown architecture 'resnet50'; built-in names: "
                                         "lenet5, .*alexnet, .*zfnet, vgg16"):
        summarize("resnet50")


@pytest.mark.lec11
def test_bad_architecture_arguments():
    with pytest.raises(ValueError, match=r"input_shape \(C, H, W\) or \(D,\) is required"):
        summarize([ReLUSpec()])
    with pytest.raises(ValueError, match=r"input_shape must be \(C, H, W\) or \(D,\)"):
        summarize("alexnet", input_shape=(3, 227))
    with pytest.raises(TypeError, match="architecture must be a name"):
        summarize(42)
    with pytest.raises(ValueError, match="layer names must be unique; repeated: a"):
        summarize([ReLUSpec(name="a"), ReLUSpec(name="a")], (3,))
    with pytest.raises(ValueError, match="padding must be at most half the kernel size"):
        MaxPool2dSpec(2, padding=2)
    with pytest.raises(KeyError, match="no layer named 'conv9'"):
        summarize("lenet5").row("conv9")
