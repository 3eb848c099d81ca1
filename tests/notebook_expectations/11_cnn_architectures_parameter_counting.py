"""What lecture 11's notebook must reproduce, evaluated in its executed kernel.

The values are the published counts of each network (LeCun et al. 1998, Krizhevsky et al.
2012, Zeiler and Fergus 2014, Simonyan and Zisserman 2015, torchvision), the numbers the slide
decks print, and hand arithmetic written out below; never the notebook's own output.
"""
from tests.notebook_checks import close, equal, true

PARAMETERS = {}  # nothing in this notebook trains

ALEXNET_TABLE = {  # Arya's AlexNet parameter table (one device, with biases)
    "conv1": 34_944, "conv2": 614_656, "conv3": 885_120, "conv4": 1_327_488,
    "conv5": 884_992, "fc6": 37_752_832, "fc7": 16_781_312, "fc8": 4_097_000}

EXPECTATIONS = [
    # 1. dense, local, shared
    equal("[out, dense, local, shared]", [3, 16 * 9, 9 * 4, 2 * 2],
          why="a 4x4 input and a 2x2 kernel: 144 dense, 36 local, 4 shared weights"),
    equal("h11", [1, 2, 5, 6], why="only pixels 1, 2, 5, 6 contribute to h11"),
    equal("stride2", {"h11": [1, 2, 5, 6], "h12": [3, 4, 7, 8],
                      "h21": [9, 10, 13, 14], "h22": [11, 12, 15, 16]}),
    equal("[features, dense_1000, conv1]", [224 * 224 * 3, 224 * 224 * 3 * 1000, 34_848],
          why="150,528 input features; conv1's 11*11*3*96 = 34,848 weights, as Arya's AlexNet "
              "table prints them"),
    equal("seen", [1, 2, 3, 5, 6, 7, 9, 10, 11]),
    # 2. the masked, tied matrix
    equal("[list(M.shape), int(np.count_nonzero(M)), int(np.unique(M[M != 0]).size)]",
          [[9, 16], 36, 4]),
    true("np.allclose(via_matrix, direct.ravel())", why="M vec(x) is the convolution"),
    # 3. counting a layer, and the slip of the input depth
    equal("[c1_weights, c1_params]", [150, 156], why="LeNet C1: Params = 150 are the weights"),
    equal("wide", 256 * 256 * 3 * 3, why="256 filters of 3x3 on 256 channels: 589,824"),
    equal("[grey_reading, rgb_reading]", [(5 * 5 + 1) * 6, (5 * 5 * 3 + 1) * 6],
          why="156 forgets the input depth; six 5x5 filters on RGB have 456"),
    # 4. LeNet-5
    equal("[lenet.row('C1').weights, lenet.row('C1').params]", [150, 156]),
    equal("lenet.total_params", 61_750),
    equal("dl.counting.summarize('lenet5_modern').total_params", 61_706),
    equal("lenet.row('C5').params", (16 * 5 * 5 + 1) * 120, why="48,120 parameters sit in C5"),
    # 5a. Khapra's variant
    equal("sizes", [55, 27, 23, 11, 9, 7, 5, 2]),
    equal("khapra.row('flatten').output_shape", [1024]),
    equal("khapra_conv_weights", [34_848, 614_400, 884_736, 1_327_104, 884_736]),
    equal("[dl.conv.output_size(27, 5), dl.conv.output_size(27, 5, pad=2)]", [23, 27]),
    equal("dl.conv.output_size(55, 3, stride=2)", (55 - 3) // 2 + 1),
    # 5b. Arya's table
    equal(f"{{name: alex1.row(name).params for name in {list(ALEXNET_TABLE)!r}}}", ALEXNET_TABLE),
    equal("alex1.total_params", 62_378_344),
    close("fc_share", 0.94, atol=0.005, why="the FC layers hold about 94% of the parameters"),
    # 5c. the grouped AlexNet and its units
    equal("alex2.total_params", 60_965_224),
    close("fc2 / 1e6", 58.6, atol=0.05, why="58.6M parameters in the FC layers"),
    close("alex2.row('fc7').params / 1e6", 16.8, atol=0.05),
    equal("units", [55 * 55 * 96, 27 * 27 * 256, 13 * 13 * 384, 13 * 13 * 384, 13 * 13 * 256],
          why="conv1 has 290,400 units; the other four match the paper's list"),
    equal("paper_conv1_units", 253_440, why="the figure the AlexNet paper's text gives"),
    equal("alex2.row('conv2').weights", 5 * 5 * 48 * 256, why="307K on Kiran's slide"),
    # 5d. torchvision
    equal("[tv.total_params, torch_count]", [61_100_840, 61_100_840]),
    # 6. ZFNet
    equal("[squared_sides, saved]", [4_608, (11 ** 2 - 7 ** 2) * 3 * 96],
          why="(11-7)^2*3*96 = 4,608 is the slip; the saving is 20,736"),
    true("zf.row('conv1').macs > alex2.row('conv1').macs", why="fewer weights, more compute"),
    equal("[zf.row('conv1').weights, list(zf.row('conv1').output_shape)]",
          [7 * 7 * 3 * 96, [96, 110, 110]], why="14,112 weights on 110x110 maps"),
    # 7. VGG-16
    equal("fc_last_1024", 102_760_448 + 16_777_216 + 4_194_304),
    equal("fc_weights", 123_633_664),
    close("conv_weights / 1e6", 14.7, atol=0.05),
    close("vgg19_conv / 1e6", 20.0, atol=0.05),
    equal("vgg.row('fc6').weights", 102_760_448),
    equal("vgg.total_params", 138_357_544),
    # 8. parameters in FC, compute in conv
    equal("alex2.total_params - sum(r.weights for r in alex2.rows)",
          96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000, why="10,568 biases in AlexNet"),
    close("vgg.total_macs / 1e9", 15.5, atol=0.05, why="15.5 billion multiply-adds per image"),
    true("fc2 / alex2.total_params > 0.95 and 0.90 < conv_macs < 0.95",
         why="Kiran's slide: FC about 95% of the parameters, conv 90-95% of the compute"),
    # 9. receptive fields
    equal("[f.size for f in three_3x3]", [3, 5, 7]),
    equal("[f.size for f in alex_fields]", [11, 19, 51, 67, 99, 131, 163, 195]),
    equal("list(h11_field)", [2, 1]),
    equal("[vgg_fields[-1].size, plain_18.size]", [212, 1 + 18 * 2]),
    # 10. your turn, run as shipped (unanswered): the walk through VGG-16 falls back on
    # dlcore's functions and gets the published numbers
    true("conv_params is not my_conv_params and receptive_field is not my_receptive_field",
         why="the exercises are not written: or_reference() gives dlcore's functions"),
    equal("vgg_conv_total", 138_357_544 - (25_088 * 4096 + 4096) - (4096 * 4096 + 4096)
          - (4096 * 1000 + 1000), why="VGG-16's total minus its three FC layers"),
    equal("[vgg_pool5_field, list(shape)]", [212, [512, 7, 7]]),
    # 11. where to go next: GoogLeNet's inception (3a) on 192 channels of 28x28 (Szegedy et al.
    # 2015, table 1: 64 | 96 -> 128 | 16 -> 32 | pool -> 32), and ResNet's bottleneck block
    equal("inception_total", (192 + 1) * 64 + (192 + 1) * 96 + (96 * 9 + 1) * 128
          + (192 + 1) * 16 + (16 * 25 + 1) * 32 + (192 + 1) * 32, why="163,696 with biases"),
    equal("no_reduction", (192 + 1) * 64 + (192 * 9 + 1) * 128 + (192 * 25 + 1) * 32,
          why="387,296: 3x3 and 5x5 filters straight on 192 channels"),
    equal("[bottleneck, two_3x3, projection]",
          [256 * 64 + 64 * 9 * 64 + 64 * 256, 2 * 256 * 9 * 256, 256 * 512],
          why="69,632 against 1,179,648 weights; the identity shortcut has none"),
]
