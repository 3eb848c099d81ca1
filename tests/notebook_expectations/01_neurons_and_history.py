"""What lecture 1's notebook must reproduce, evaluated in its executed kernel.

The numbers are the course's lecture map (Khapra's ILSVRC table, Dahl et al.'s relative error
cuts) and hand computations from them, never the notebook's own output.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {}

ILSVRC = [["AlexNet", 16.0, 8], ["ZFNet", 11.2, 8], ["VGGNet", 7.3, 19],
          ["GoogLeNet", 6.7, 22], ["ResNet", 3.6, 152]]

EXPECTATIONS = [
    # section 1: one threshold unit with weights (0.5, 0.8, 0.4) and threshold 0.8
    close("z", 0.9, atol=1e-12, why="inputs 1 and 3 active: 0.5 + 0.4"),
    equal("int(y)", 1, why="0.9 >= 0.8: the unit fires"),
    equal("int(y_off)", 0, why="only input 1 active: 0.5 < 0.8"),
    # section 3: backpropagation credited to three authors, with Werbos earlier
    equal("[r.year for r in backprop]", [1982, 1986]),
    equal("backprop[0].people", "Paul Werbos"),
    equal("backprop[-1].people", "David Rumelhart, Geoffrey Hinton, Ronald Williams"),
    # section 5: relative error cuts of 16.0% and 23.2% from a 25% baseline
    close("new_errors", [0.21, 0.192], atol=1e-12),
    # the ILSVRC table and the ratios computed from it
    equal("[[r.network, r.top5_error, r.layers] for r in results]", ILSVRC,
          after="ILSVRC {r.year}"),  # the exercise cells reload `results`
    close("err[0] / err[-1]", 16.0 / 3.6, atol=1e-12, why="error divided by 4.44"),
    close("reduction", [4.8 / 16.0, 3.9 / 11.2, 0.6 / 7.3, 3.1 / 6.7], atol=1e-12,
          why="ZFNet 30% lower than AlexNet, ResNet 46% lower than GoogLeNet"),
    # section 7: the 2010s hold the most milestones
    true("decades[2010] == max(decades.values())"),
    equal("busiest", 2010),
    # section 8: the milestones of 2013-2016 (Khapra's Chapter 7 and the ILSVRC table), with
    # the two generative models of the slide "Generating Authentic Photos"
    equal("[r.year for r in madness]",
          [2013, 2013, 2014, 2014, 2014, 2014, 2015, 2015, 2015, 2016]),
    true("{'Variational autoencoders', 'Generative adversarial networks'}"
         " <= {r.event for r in madness}"),
    true("any('WaveNet' in r.event for r in madness)"),
]
