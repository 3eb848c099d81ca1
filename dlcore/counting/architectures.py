"""Built-in layer lists of classic CNNs (LeNet-5, AlexNet variants, ZFNet, VGG-16).

Shape legend: ``input_shape`` is (C, H, W) without the batch axis.  Layer names follow the
papers (LeNet's C1, S2, ...; Caffe's conv1, norm1, pool1, fc6 for AlexNet, ZFNet and VGG).

Choices made where a paper leaves room (each total is checked against PyTorch in the tests):

- "lenet5": LeCun et al. (1998) layer by layer, with tanh squashing, the trainable
  subsampling S2/S4 (one coefficient and one bias per map: 12 and 32 parameters) and two
  common substitutions: C3 connects every S2 map to every C3 map (2,416 parameters; the
  paper's connection table gives 1,516) and the output is Linear(10) (850; the paper's
  Euclidean RBF units have 84 x 10 = 840 hand-set weights and no bias).  Total 61,750.
- "lenet5_modern": the usual simplification (d2l, PyTorch tutorials): parameter-free average
  pooling, full C3, C5 as Linear(120) on the flattened 16x5x5 maps.  Total 61,706.
- "alexnet_khapra": the variant on Khapra's slides (Deep Learning Tutorial) with
  no padding anywhere (maps 55, 27, 23, 11, 9, 7, 5, 2; flatten 1024).  The slides print no
  FC numbers: fc6-fc8 are AlexNet's 4096, 4096, 1000, without dropout.
- AlexNet uses a 227x227 input (the paper's 224 does not give its 55x55 conv1 maps).
- "zfnet": conv1 7x7 stride 2 with padding 1, pools 3x3 stride 2 with padding 1 after
  layers 1 and 2: the padding reproduces the paper's map sizes 110, 55, 26, 13, 6.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from .specs import (
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
)

__all__ = ["ARCHITECTURES", "Architecture", "get_architecture"]


class Architecture(NamedTuple):
    """A built-in network: its layer specs, its default input (C, H, W) and a citation."""

    name: str
    description: str
    citation: str
    input_shape: tuple[int, int, int]
    layers: tuple


def _lenet5():
    return (
        Conv2dSpec(6, 5, name="C1"), TanhSpec(),
        Subsample2dSpec(2, name="S2"), TanhSpec(),
        Conv2dSpec(16, 5, name="C3"), TanhSpec(),
        Subsample2dSpec(2, name="S4"), TanhSpec(),
        Conv2dSpec(120, 5, name="C5"), TanhSpec(),
        FlattenSpec(name="flatten"),
        LinearSpec(84, name="F6"), TanhSpec(),
        LinearSpec(10, name="OUTPUT"),
    )


def _lenet5_modern():
    return (
        Conv2dSpec(6, 5, name="C1"), TanhSpec(),
        AvgPool2dSpec(2, name="S2"),
        Conv2dSpec(16, 5, name="C3"), TanhSpec(),
        AvgPool2dSpec(2, name="S4"),
        FlattenSpec(name="flatten"),
        LinearSpec(120, name="C5"), TanhSpec(),
        LinearSpec(84, name="F6"), TanhSpec(),
        LinearSpec(10, name="OUTPUT"),
    )


def _lrn():
    return LocalResponseNormSpec(5, alpha=1e-4, beta=0.75, k=2.0)


def _classifier(dropout_first: bool = False, dropout: bool = True):
    """fc6-fc8 as in Caffe (fc, relu, drop) or torchvision (drop, fc, relu)."""
    layers = []
    for i, width in ((6, 4096), (7, 4096)):
        fc, relu = LinearSpec(width, name=f"fc{i}"), ReLUSpec(name=f"relu{i}")
        if not dropout:
            layers += [fc, relu]
        elif dropout_first:
            layers += [DropoutSpec(0.5, name=f"drop{i}"), fc, relu]
        else:
            layers += [fc, relu, DropoutSpec(0.5, name=f"drop{i}")]
    return [*layers, LinearSpec(1000, name="fc8")]


def _alexnet(groups: int):
    g = groups
    return (
        Conv2dSpec(96, 11, stride=4, name="conv1"), ReLUSpec(name="relu1"), _lrn(),
        MaxPool2dSpec(3, 2, name="pool1"),
        Conv2dSpec(256, 5, padding=2, groups=g, name="conv2"), ReLUSpec(name="relu2"), _lrn(),
        MaxPool2dSpec(3, 2, name="pool2"),
        Conv2dSpec(384, 3, padding=1, name="conv3"), ReLUSpec(name="relu3"),
        Conv2dSpec(384, 3, padding=1, groups=g, name="conv4"), ReLUSpec(name="relu4"),
        Conv2dSpec(256, 3, padding=1, groups=g, name="conv5"), ReLUSpec(name="relu5"),
        MaxPool2dSpec(3, 2, name="pool5"),
        FlattenSpec(name="flatten"),
        *_classifier(),
    )


def _alexnet_khapra():
    return (
        Conv2dSpec(96, 11, stride=4, name="conv1"), ReLUSpec(name="relu1"),
        MaxPool2dSpec(3, 2, name="pool1"),
        Conv2dSpec(256, 5, name="conv2"), ReLUSpec(name="relu2"),
        MaxPool2dSpec(3, 2, name="pool2"),
        Conv2dSpec(384, 3, name="conv3"), ReLUSpec(name="relu3"),
        Conv2dSpec(384, 3, name="conv4"), ReLUSpec(name="relu4"),
        Conv2dSpec(256, 3, name="conv5"), ReLUSpec(name="relu5"),
        MaxPool2dSpec(3, 2, name="pool5"),
        FlattenSpec(name="flatten"),
        *_classifier(dropout=False),
    )


def _alexnet_torchvision():
    return (
        Conv2dSpec(64, 11, stride=4, padding=2, name="conv1"), ReLUSpec(name="relu1"),
        MaxPool2dSpec(3, 2, name="pool1"),
        Conv2dSpec(192, 5, padding=2, name="conv2"), ReLUSpec(name="relu2"),
        MaxPool2dSpec(3, 2, name="pool2"),
        Conv2dSpec(384, 3, padding=1, name="conv3"), ReLUSpec(name="relu3"),
        Conv2dSpec(256, 3, padding=1, name="conv4"), ReLUSpec(name="relu4"),
        Conv2dSpec(256, 3, padding=1, name="conv5"), ReLUSpec(name="relu5"),
        MaxPool2dSpec(3, 2, name="pool5"),
        AdaptiveAvgPool2dSpec(6, name="avgpool"),
        FlattenSpec(name="flatten"),
        *_classifier(dropout_first=True),
    )


def _zfnet():
    return (
        Conv2dSpec(96, 7, stride=2, padding=1, name="conv1"), ReLUSpec(name="relu1"),
        MaxPool2dSpec(3, 2, padding=1, name="pool1"), _lrn(),
        Conv2dSpec(256, 5, stride=2, name="conv2"), ReLUSpec(name="relu2"),
        MaxPool2dSpec(3, 2, padding=1, name="pool2"), _lrn(),
        Conv2dSpec(384, 3, padding=1, name="conv3"), ReLUSpec(name="relu3"),
        Conv2dSpec(384, 3, padding=1, name="conv4"), ReLUSpec(name="relu4"),
        Conv2dSpec(256, 3, padding=1, name="conv5"), ReLUSpec(name="relu5"),
        MaxPool2dSpec(3, 2, name="pool5"),
        FlattenSpec(name="flatten"),
        *_classifier(),
    )


def _vgg16():
    layers = []
    for block, (width, depth) in enumerate(((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)),
                                           start=1):
        for j in range(1, depth + 1):
            layers += [Conv2dSpec(width, 3, padding=1, name=f"conv{block}_{j}"),
                       ReLUSpec(name=f"relu{block}_{j}")]
        layers.append(MaxPool2dSpec(2, 2, name=f"pool{block}"))
    return (*layers, FlattenSpec(name="flatten"), *_classifier())


_KRIZHEVSKY = ("Krizhevsky, Sutskever & Hinton, ImageNet classification with deep "
               "convolutional neural networks, NIPS 2012")

ARCHITECTURES = MappingProxyType({a.name: a for a in (
    Architecture("lenet5", "LeNet-5 with trainable subsampling, full C3, linear output "
                 "(61,750 parameters)",
                 "LeCun, Bottou, Bengio & Haffner, Gradient-based learning applied to document "
                 "recognition, Proc. IEEE 1998", (1, 32, 32), _lenet5()),
    Architecture("lenet5_modern", "LeNet-5 as usually re-implemented: parameter-free average "
                 "pooling (61,706 parameters)",
                 "LeCun et al. 1998, as simplified in d2l.ai section 7.6", (1, 32, 32),
                 _lenet5_modern()),
    Architecture("alexnet", "AlexNet as trained on two GPUs: conv2, conv4, conv5 with groups=2 "
                 "(60,965,224 parameters)", _KRIZHEVSKY, (3, 227, 227), _alexnet(2)),
    Architecture("alexnet_ungrouped", "AlexNet on one device, every conv dense, conv2 padding 2 "
                 "(62,378,344 parameters)", _KRIZHEVSKY, (3, 227, 227), _alexnet(1)),
    Architecture("alexnet_torchvision", "torchvision's AlexNet: 64/192/384/256/256 channels, "
                 "adaptive 6x6 pool (61,100,840 parameters)",
                 "torchvision.models.alexnet, after Krizhevsky, One weird trick for "
                 "parallelizing convolutional neural networks, arXiv:1404.5997, 2014",
                 (3, 224, 224), _alexnet_torchvision()),
    Architecture("alexnet_khapra", "The lecture slides' AlexNet variant: no padding, maps "
                 "27-23-11-9-7-5-2, flatten 1024 (FC widths as AlexNet)",
                 "Khapra, Deep Learning tutorial slides (NCC 2017), after Krizhevsky et al. 2012",
                 (3, 227, 227), _alexnet_khapra()),
    Architecture("zfnet", "ZFNet: conv1 7x7 stride 2, conv2 stride 2, dense conv3-5 "
                 "(62,357,608 parameters)",
                 "Zeiler & Fergus, Visualizing and understanding convolutional networks, "
                 "ECCV 2014 (arXiv:1311.2901)", (3, 224, 224), _zfnet()),
    Architecture("vgg16", "VGG-16 (configuration D): thirteen 3x3 convs, three FC layers "
                 "(138,357,544 parameters)",
                 "Simonyan & Zisserman, Very deep convolutional networks for large-scale image "
                 "recognition, ICLR 2015", (3, 224, 224), _vgg16()),
)})


def get_architecture(name: str) -> Architecture:
    """The built-in :class:`Architecture` called ``name`` (one of ``ARCHITECTURES``)."""
    if not isinstance(name, str) or name not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {name!r}; built-in names: "
                         f"{', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[name]
