"""Lecture 1 data: a timeline of neural-network history and the ILSVRC results table.

Typed in from the seed slides (``/shared/seeds``), with the file and line range each record
comes from.  Where a seed names an event without a year (its figure was lost in the PDF text),
the year is *supplied* from the literature and the record says so: ``in_seed`` is False and
``note`` gives the detail.  Records are plain named tuples; nothing here is random.

Shape legend: none (lists of records).
"""

from __future__ import annotations

from typing import NamedTuple

from .._checks import check_choice

__all__ = ["Milestone", "ILSVRCResult", "THEMES", "SEED_FILES", "timeline", "ilsvrc_results"]

SEED_FILES = (
    "000_e2730a764dfba2d6.txt",
    "001_83a7a452e11fa9a5.txt",
    "002_0ad103dc23bd7991.txt",
    "003_10b403b49c24009b.txt",
    "004_4f4f274075c2c478.txt",
)
THEMES = ("biology", "neuron models", "training", "vision", "sequences", "applications", "eras")


class Milestone(NamedTuple):
    """One timeline event: when, what, who, its theme and where the seeds mention it.

    ``in_seed`` is True when the seed lines print the year (or decade) given here, False when
    the year is supplied for the course.  ``lines`` is an inclusive (first, last) range.
    """

    year: int
    event: str
    people: str
    theme: str
    file: str
    lines: tuple[int, int]
    in_seed: bool
    note: str = ""

    @property
    def source(self) -> str:
        """Citation such as ``"000_e2730a764dfba2d6.txt, lines 133-139"``."""
        first, last = self.lines
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        return f"{self.file}, {where}"


class ILSVRCResult(NamedTuple):
    """One row of the ILSVRC table: top-5 error in percent and depth in layers.

    The seed table prints no years; ``year`` (the ILSVRC edition) is supplied, so ``in_seed``
    (which refers to the year) is False.
    """

    network: str
    top5_error: float
    layers: int
    year: int
    file: str
    lines: tuple[int, int]
    in_seed: bool
    note: str = ""


_S = "year supplied; the seed gives none"
# (year, event, people, theme, seed index, (first, last line), year printed in the seed, note)
_RECORDS = (
    (1847, "Gradient descent, to compute the orbits of heavenly bodies", "Augustin-Louis Cauchy",
     "training", 0, (201, 203), False, _S),
    (1871, "Reticular theory: the nervous system as one continuous network",
     "Joseph von Gerlach", "biology", 0, (67, 69), False, _S),
    (1873, "A staining technique that shows nervous tissue in fine detail", "Camillo Golgi",
     "biology", 0, (75, 79), False, _S),
    (1888, "Neuron doctrine: the nervous system is made of discrete cells",
     "Santiago Ramon y Cajal", "biology", 0, (85, 87), False, _S),
    (1891, "The term 'neuron' is coined; the neuron doctrine is consolidated",
     "Heinrich Wilhelm Gottfried von Waldeyer-Hartz", "biology", 0, (95, 99), True),
    (1906, "Shared Nobel Prize for the two rival views of the nervous system",
     "Camillo Golgi, Santiago Ramon y Cajal", "biology", 0, (107, 109), True),
    (1943, "A highly simplified threshold model of the neuron (the MP neuron)",
     "Warren McCulloch, Walter Pitts", "neuron models", 0, (133, 139), True),
    (1950, "Electron microscopy shows neurons are separate cells joined by synapses",
     "several groups", "biology", 0, (115, 117), True, "the seed gives the decade (1950s)"),
    (1957, "The perceptron: a threshold unit that learns its weights", "Frank Rosenblatt",
     "neuron models", 1, (29, 31), True,
     "the perceptron quotes are in 000_e2730a764dfba2d6.txt, lines 145-155"),
    (1959, "Cells in the visual cortex respond to a fixed receptive field",
     "David Hubel, Torsten Wiesel", "vision", 0, (361, 363), False, _S),
    (1965, "First multilayer perceptrons trained layer by layer", "Alexey Ivakhnenko et al.",
     "neuron models", 0, (161, 163), False, _S),
    (1969, "The book 'Perceptrons' sets out what single-layer perceptrons cannot do",
     "Marvin Minsky, Seymour Papert", "neuron models", 1, (33, 33), True,
     "also 000_e2730a764dfba2d6.txt, lines 169-175, without the year"),
    (1970, "AI winter of connectionism: neural-network research nearly abandoned",
     "the research community", "neuron models", 0, (185, 187), False,
     "year supplied: roughly the 1970s to the mid-1980s"),
    (1980, "Neocognitron for handwritten character and pattern recognition",
     "Kunihiko Fukushima", "vision", 0, (369, 371), False, _S),
    (1982, "Backpropagation first used for artificial neural networks", "Paul Werbos",
     "training", 0, (191, 194), True,
     "rediscovered several times in the 1960s-70s; Werbos's 1974 thesis already described it"),
    (1982, "Hopfield network: content-addressable memory", "John Hopfield", "sequences", 0,
     (449, 451), False, _S),
    (1986, "Backpropagation popularised for training multilayer networks",
     "David Rumelhart, Geoffrey Hinton, Ronald Williams", "training", 0, (191, 195), True,
     "erratum: 001_83a7a452e11fa9a5.txt, line 39 credits Hinton alone; Werbos came earlier"),
    (1986, "Jordan network: the output is fed back to the next time step", "Michael Jordan",
     "sequences", 0, (457, 459), False, _S),
    (1989, "Universal approximation: one hidden layer can approximate any continuous function",
     "George Cybenko; Kurt Hornik et al.", "neuron models", 0, (211, 213), False, _S),
    (1989, "Handwritten digit recognition with a convolutional network trained by backprop",
     "Yann LeCun et al.", "vision", 0, (376, 378), False, _S),
    (1990, "Elman network: the hidden state is fed back to the next time step",
     "Jeffrey Elman", "sequences", 0, (467, 469), False, _S),
    (1990, "Age of the graphical model", "", "eras", 1, (42, 42), True,
     "the seed gives the decade (1990s)"),
    (1991, "Unsupervised pre-training of a 'very deep learner'", "Jurgen Schmidhuber",
     "training", 0, (243, 245), True, "the seed gives 1991-1993"),
    (1991, "Recurrent networks that learn where to look by reinforcement learning",
     "Jurgen Schmidhuber, Rudolf Huber", "sequences", 0, (498, 500), False, _S),
    (1991, "Exploding and vanishing gradients make RNNs hard to train",
     "Sepp Hochreiter; Yoshua Bengio et al.", "sequences", 0, (475, 477), False,
     "year supplied (Hochreiter 1991, Bengio et al. 1994)"),
    (1997, "Long short-term memory solves long time-lag tasks",
     "Sepp Hochreiter, Jurgen Schmidhuber", "sequences", 0, (481, 483), False, _S),
    (1998, "LeNet-5 and the MNIST data set", "Yann LeCun et al.", "vision", 0, (384, 386),
     False, _S),
    (2000, "Age of the support vector machine", "", "eras", 1, (44, 44), True,
     "the seed gives the decade (2000s)"),
    (2006, "Layer-wise pre-training lets deep autoencoders learn", "Geoffrey Hinton, "
     "Ruslan Salakhutdinov", "training", 0, (231, 241), True),
    (2007, "Studies of why unsupervised pre-training helps", "Yoshua Bengio et al.; "
     "Dumitru Erhan et al.; Hugo Larochelle et al.", "training", 0, (251, 255), True,
     "the seed gives 2007-2009 and the paper titles; authors supplied"),
    (2009, "Best entry in an international Arabic handwriting competition",
     "Alex Graves et al.", "applications", 0, (259, 277), True,
     "year from the slide's timeline labels"),
    (2010, "Speech recognition: relative error cut by 16.0% and 23.2%", "George Dahl et al.",
     "applications", 0, (269, 279), True, "year from the slide's timeline labels"),
    (2010, "Record MNIST error with plain backprop on GPUs", "Dan Ciresan et al.", "training",
     0, (289, 291), False, _S),
    (2010, "Recurrent language models", "Tomas Mikolov et al.", "applications", 0, (510, 512),
     True),
    (2010, "Age of the deep network: known algorithms + computing power + big data", "",
     "eras", 1, (47, 49), True, "the seed gives the decade (2010s)"),
    (2011, "0.56% error on traffic signs, better than humans", "Dan Ciresan et al.", "vision",
     0, (302, 304), False, _S),
    (2012, "Deep networks for speech recognition", "Geoffrey Hinton et al.", "applications", 0,
     (521, 523), True),
    (2012, "AlexNet: 16.0% top-5 error with 8 layers", "Alex Krizhevsky, Ilya Sutskever, "
     "Geoffrey Hinton", "vision", 0, (310, 317), False, "ILSVRC-2012; year supplied"),
    (2013, "ZFNet: 11.2% top-5 error with 8 layers", "Matthew Zeiler, Rob Fergus", "vision", 0,
     (316, 318), False, "ILSVRC-2013; year supplied"),
    (2013, "Variational autoencoders", "Diederik Kingma et al.", "applications", 0, (701, 701),
     True),
    (2014, "VGGNet: 7.3% top-5 error with 19 layers", "Karen Simonyan, Andrew Zisserman",
     "vision", 0, (325, 328), False, "ILSVRC-2014; year supplied"),
    (2014, "GoogLeNet: 6.7% top-5 error with 22 layers", "Christian Szegedy et al.", "vision",
     0, (334, 338), False, "ILSVRC-2014; year supplied"),
    (2014, "Sequence-to-sequence learning with LSTMs", "Ilya Sutskever et al.", "sequences", 0,
     (489, 538), True, "the seed lists Sutskever et al. (2014) at line 538"),
    (2014, "Generative adversarial networks", "Ian Goodfellow et al.", "applications", 0,
     (695, 697), True),
    (2015, "Attention for machine translation", "Dzmitry Bahdanau et al.", "sequences", 0,
     (489, 535), True, "the seed lists Bahdanau et al. (2015) at line 535"),
    (2015, "ResNet: 3.6% top-5 error with 152 layers", "Kaiming He et al. (Microsoft)",
     "vision", 0, (346, 351), False, "ILSVRC-2015; year supplied"),
    (2015, "Image captioning with CNNs and RNNs", "Andrej Karpathy et al.; Oriol Vinyals "
     "et al.", "applications", 0, (645, 655), True),
    (2016, "WaveNet generates raw audio", "Aaron van den Oord et al.", "applications", 0,
     (705, 707), True),
)

_ILSVRC = (  # 000_e2730a764dfba2d6.txt, lines 310-351 (the table is built up slide by slide)
    ("AlexNet", 16.0, 8, 2012, ""),
    ("ZFNet", 11.2, 8, 2013, ""),
    ("VGGNet", 7.3, 19, 2014, "runner-up of ILSVRC-2014"),
    ("GoogLeNet", 6.7, 22, 2014, "winner of ILSVRC-2014"),
    ("ResNet", 3.6, 152, 2015, "'MS ResNet' in the seed; its depth is printed as '152!!'"),
)


def timeline(theme: str | None = None) -> list[Milestone]:
    """Milestones of neural-network history, sorted by year: ``[Milestone(year, event, ...)]``.

    theme: None for every record, or one of ``THEMES`` ("biology", "neuron models",
    "training", "vision", "sequences", "applications", "eras").  Records whose year the seeds
    do not print have ``in_seed=False``.  Returns a new list on every call.
    """
    if theme is not None:
        check_choice(theme, "theme", THEMES)
    records = [Milestone(year, event, people, th, SEED_FILES[f], lines, in_seed, *note)
               for year, event, people, th, f, lines, in_seed, *note in _RECORDS]
    records.sort(key=lambda r: r.year)  # stable: same-year records keep the table order
    return [r for r in records if theme is None or r.theme == theme]


def ilsvrc_results() -> list[ILSVRCResult]:
    """The seed's ILSVRC table: ``[ILSVRCResult(network, top5_error %, layers, year, ...)]``.

    From ``000_e2730a764dfba2d6.txt``, lines 310-351: AlexNet 16.0%/8, ZFNet 11.2%/8,
    VGGNet 7.3%/19, GoogLeNet 6.7%/22, ResNet 3.6%/152, in that order (years supplied).
    """
    return [ILSVRCResult(name, err, layers, year, SEED_FILES[0], (310, 351), False,
                         note or "ILSVRC year supplied")
            for name, err, layers, year, note in _ILSVRC]
