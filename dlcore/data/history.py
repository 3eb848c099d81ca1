"""Lecture 1 data: a timeline of neural-network history and the ILSVRC results table.

Each record cites the slide it comes from (``.source``, e.g. "Khapra, Deep Learning Tutorial,
slide 'McCulloch Pitts Neuron'"; see ``dlcore.data.DECKS``).  Several of those slides show an
event without its year (the timeline figures carry the dates); the year given here is then
the one from the literature.  Records are plain named tuples; nothing here is random.

Shape legend: none (lists of records).
"""

from __future__ import annotations

from typing import NamedTuple

from .._checks import check_choice
from .decks import cite

__all__ = ["Milestone", "ILSVRCResult", "THEMES", "timeline", "ilsvrc_results"]

THEMES = ("biology", "neuron models", "training", "vision", "sequences", "applications", "eras")


class Milestone(NamedTuple):
    """One timeline event: when, what, who, its theme and the slide that mentions it.

    ``deck`` is a key of ``dlcore.data.DECKS`` and ``slide`` the slide's title; ``source``
    joins them into a citation.  ``note`` adds a detail worth knowing (empty when there is
    none).  ``lines`` (where the slide's text starts and ends in the course's copy of the deck)
    and ``year_on_slides`` (whether that slide prints the year, or the decade, given here) are
    the maintainers' bookkeeping for checking the data; nothing displays them.
    """

    year: int
    event: str
    people: str
    theme: str
    deck: str
    slide: str
    lines: tuple[int, int]
    year_on_slides: bool
    note: str = ""

    @property
    def source(self) -> str:
        """The citation: deck and slide, such as "Khapra, Deep Learning Tutorial, slide ..."."""
        return cite(self.deck, self.slide)


class ILSVRCResult(NamedTuple):
    """One row of the ILSVRC table: top-5 error in percent, depth in layers, ILSVRC edition.

    The slides list the networks without their years; ``year`` is the edition of the ImageNet
    challenge each one entered.  ``deck``, ``slide`` and ``lines`` as in ``Milestone``.
    """

    network: str
    top5_error: float
    layers: int
    year: int
    deck: str
    slide: str
    lines: tuple[int, int]
    note: str = ""

    @property
    def source(self) -> str:
        """The citation of the table: deck and slide."""
        return cite(self.deck, self.slide)


_K, _I = "khapra", "ift6758"
_CRASH = "slide 'Crash Course to Deep Learning'"
_TABLE = "the ILSVRC table of Chapter 3, 'The Deep Revival'"
_SEQ2SEQ = "slides 'Sequence To Sequence Learning' and 'Machine Translation'"
# (year, event, people, theme, deck, slide, (first, last line), year on the slide, note)
_RECORDS = (
    (1847, "Gradient descent, to compute the orbits of heavenly bodies", "Augustin-Louis Cauchy",
     "training", _K, "slide 'Gradient Descent'", (201, 203), False),
    (1871, "Reticular theory: the nervous system as one continuous network",
     "Joseph von Gerlach", "biology", _K, "slide 'Reticular Theory'", (67, 69), False),
    (1873, "A staining technique that shows nervous tissue in fine detail", "Camillo Golgi",
     "biology", _K, "slide 'Staining Technique'", (75, 79), False),
    (1888, "Neuron doctrine: the nervous system is made of discrete cells",
     "Santiago Ramon y Cajal", "biology", _K, "slide 'Neuron Doctrine'", (85, 87), False),
    (1891, "The term 'neuron' is coined; the neuron doctrine is consolidated",
     "Heinrich Wilhelm Gottfried von Waldeyer-Hartz", "biology", _K, "slide 'The Term Neuron'",
     (95, 99), True),
    (1906, "Shared Nobel Prize for the two rival views of the nervous system",
     "Camillo Golgi, Santiago Ramon y Cajal", "biology", _K, "slide 'Nobel Prize'", (107, 109),
     True),
    (1943, "A highly simplified threshold model of the neuron (the MP neuron)",
     "Warren McCulloch, Walter Pitts", "neuron models", _K, "slide 'McCulloch Pitts Neuron'",
     (133, 139), True),
    (1950, "Electron microscopy shows neurons are separate cells joined by synapses",
     "several groups", "biology", _K, "slide 'The Final Word'", (115, 117), True,
     "the slides give the decade, the 1950s"),
    (1957, "The perceptron: a threshold unit that learns its weights", "Frank Rosenblatt",
     "neuron models", _I, _CRASH, (29, 31), True,
     "the press of the time promised machines that would walk, talk and see (quoted on "
     "Khapra's slides 'Perceptron')"),
    (1959, "Cells in the visual cortex respond to a fixed receptive field",
     "David Hubel, Torsten Wiesel", "vision", _K, "slide 'Hubel and Wiesel Experiment'",
     (361, 363), False),
    (1965, "First multilayer perceptrons trained layer by layer", "Alexey Ivakhnenko et al.",
     "neuron models", _K, "slide 'First generation Multilayer Perceptrons'", (161, 163), False),
    (1969, "The book 'Perceptrons' sets out what single-layer perceptrons cannot do",
     "Marvin Minsky, Seymour Papert", "neuron models", _I, _CRASH, (33, 33), True,
     "also on Khapra's slide 'Perceptron Limitations'"),
    (1970, "AI winter of connectionism: neural-network research nearly abandoned",
     "the research community", "neuron models", _K, "slide 'AI Winter of connectionism'",
     (185, 187), False, "roughly the 1970s to the mid-1980s"),
    (1980, "Neocognitron for handwritten character and pattern recognition",
     "Kunihiko Fukushima", "vision", _K, "slide 'Neocognitron'", (369, 371), False),
    (1982, "Backpropagation first used for artificial neural networks", "Paul Werbos",
     "training", _K, "slide 'Backpropagation'", (191, 194), True,
     "the method was found several times in the 1960s and 1970s; Werbos's 1974 thesis "
     "already described it"),
    (1982, "Hopfield network: content-addressable memory", "John Hopfield", "sequences", _K,
     "slide 'Hopfield Network'", (449, 451), False),
    (1986, "Backpropagation popularised for training multilayer networks",
     "David Rumelhart, Geoffrey Hinton, Ronald Williams", "training", _K,
     "slide 'Backpropagation'", (191, 195), True,
     "often credited to Hinton alone: the paper has three authors, and Werbos used the "
     "method on neural networks before them"),
    (1986, "Jordan network: the output is fed back to the next time step", "Michael Jordan",
     "sequences", _K, "slide 'Jordan Network'", (457, 459), False),
    (1989, "Universal approximation: one hidden layer can approximate any continuous function",
     "George Cybenko; Kurt Hornik et al.", "neuron models", _K,
     "slide 'Universal Approximation Theorem'", (211, 213), False),
    (1989, "Handwritten digit recognition with a convolutional network trained by backprop",
     "Yann LeCun et al.", "vision", _K, "slide 'Convolutional Neural Network'", (376, 378),
     False),
    (1990, "Elman network: the hidden state is fed back to the next time step",
     "Jeffrey Elman", "sequences", _K, "slide 'Elman Network'", (467, 469), False),
    (1990, "Age of the graphical model", "", "eras", _I, _CRASH, (42, 42), True,
     "the slides give the decade, the 1990s"),
    (1991, "Unsupervised pre-training of a 'very deep learner'", "Jurgen Schmidhuber",
     "training", _K, "slide 'Unsupervised Pre-Training'", (243, 245), True,
     "the slides give 1991-1993"),
    (1991, "Recurrent networks that learn where to look by reinforcement learning",
     "Jurgen Schmidhuber, Rudolf Huber", "sequences", _K, "slide 'RL for Attention'",
     (498, 500), False),
    (1991, "Exploding and vanishing gradients make RNNs hard to train",
     "Sepp Hochreiter; Yoshua Bengio et al.", "sequences", _K, "slide 'Drawbacks of RNNs'",
     (475, 477), False, "Hochreiter in 1991, Bengio et al. in 1994"),
    (1997, "Long short-term memory solves long time-lag tasks",
     "Sepp Hochreiter, Jurgen Schmidhuber", "sequences", _K, "slide 'Long Short Term Memory'",
     (481, 483), False),
    (1998, "LeNet-5 and the MNIST data set", "Yann LeCun et al.", "vision", _K,
     "slide 'LeNet-5'", (384, 386), False),
    (2000, "Age of the support vector machine", "", "eras", _I, _CRASH, (44, 44), True,
     "the slides give the decade, the 2000s"),
    (2006, "Layer-wise pre-training lets deep autoencoders learn", "Geoffrey Hinton, "
     "Ruslan Salakhutdinov", "training", _K, "slide 'Unsupervised Pre-Training'", (231, 241),
     True),
    (2007, "Studies of why unsupervised pre-training helps", "Yoshua Bengio et al.; "
     "Dumitru Erhan et al.; Hugo Larochelle et al.", "training", _K,
     "slide 'More insights (2007-2009)'", (251, 255), True,
     "three studies from 2007 to 2009"),
    (2009, "Best entry in an international Arabic handwriting competition",
     "Alex Graves et al.", "applications", _K, "slide 'Success in Handwriting Recognition'",
     (259, 277), True),
    (2010, "Speech recognition: relative error cut by 16.0% and 23.2%", "George Dahl et al.",
     "applications", _K, "slide 'Success in Speech Recognition'", (269, 279), True),
    (2010, "Record MNIST error with plain backprop on GPUs", "Dan Ciresan et al.", "training",
     _K, "slide 'New record on MNIST'", (289, 291), False),
    (2010, "Recurrent language models", "Tomas Mikolov et al.", "applications", _K,
     "slide 'Language Modeling'", (510, 512), True),
    (2010, "Age of the deep network: known algorithms + computing power + big data", "",
     "eras", _I, _CRASH, (47, 49), True, "the slides give the decade, the 2010s"),
    (2011, "0.56% error on traffic signs, better than humans", "Dan Ciresan et al.", "vision",
     _K, "slide 'First Superhuman Visual Pattern Recognition'", (302, 304), False),
    (2012, "Deep networks for speech recognition", "Geoffrey Hinton et al.", "applications", _K,
     "slide 'Speech Recognition'", (521, 523), True),
    (2012, "AlexNet: 16.0% top-5 error with 8 layers", "Alex Krizhevsky, Ilya Sutskever, "
     "Geoffrey Hinton", "vision", _K, _TABLE, (310, 317), False, "ILSVRC-2012"),
    (2013, "ZFNet: 11.2% top-5 error with 8 layers", "Matthew Zeiler, Rob Fergus", "vision", _K,
     _TABLE, (316, 318), False, "ILSVRC-2013"),
    (2013, "Variational autoencoders", "Diederik Kingma et al.", "applications", _K,
     "slide 'Generating Authentic Photos'", (695, 701), True),
    (2014, "VGGNet: 7.3% top-5 error with 19 layers", "Karen Simonyan, Andrew Zisserman",
     "vision", _K, _TABLE, (325, 328), False, "ILSVRC-2014, runner-up"),
    (2014, "GoogLeNet: 6.7% top-5 error with 22 layers", "Christian Szegedy et al.", "vision",
     _K, _TABLE, (334, 338), False, "ILSVRC-2014, winner"),
    (2014, "Sequence-to-sequence learning with LSTMs", "Ilya Sutskever et al.", "sequences", _K,
     _SEQ2SEQ, (489, 538), True),
    (2014, "Generative adversarial networks", "Ian Goodfellow et al.", "applications", _K,
     "slide 'Generating Authentic Photos'", (695, 697), True),
    (2015, "Attention for machine translation", "Dzmitry Bahdanau et al.", "sequences", _K,
     _SEQ2SEQ, (489, 535), True),
    (2015, "ResNet: 3.6% top-5 error with 152 layers", "Kaiming He et al. (Microsoft)",
     "vision", _K, _TABLE, (346, 351), False, "ILSVRC-2015"),
    (2015, "Image captioning with CNNs and RNNs", "Andrej Karpathy et al.; Oriol Vinyals "
     "et al.", "applications", _K, "slide 'Image Captioning'", (645, 655), True),
    (2016, "WaveNet generates raw audio", "Aaron van den Oord et al.", "applications", _K,
     "slide 'Generating Raw Audio'", (705, 707), True),
)

# Khapra's table is built up over several builds of one slide; the full table is the last.
_ILSVRC = (
    ("AlexNet", 16.0, 8, 2012, "ILSVRC-2012 winner"),
    ("ZFNet", 11.2, 8, 2013, "ILSVRC-2013 winner"),
    ("VGGNet", 7.3, 19, 2014, "ILSVRC-2014 runner-up"),
    ("GoogLeNet", 6.7, 22, 2014, "ILSVRC-2014 winner"),
    ("ResNet", 3.6, 152, 2015, "ILSVRC-2015 winner; 'MS ResNet' (Microsoft) on the slide"),
)


def timeline(theme: str | None = None) -> list[Milestone]:
    """Milestones of neural-network history, sorted by year: ``[Milestone(year, event, ...)]``.

    theme: None for every record, or one of ``THEMES`` ("biology", "neuron models",
    "training", "vision", "sequences", "applications", "eras").  Returns a new list on every
    call.
    """
    if theme is not None:
        check_choice(theme, "theme", THEMES)
    records = [Milestone(*fields) for fields in _RECORDS]
    records.sort(key=lambda r: r.year)  # stable: same-year records keep the table order
    return [r for r in records if theme is None or r.theme == theme]


def ilsvrc_results() -> list[ILSVRCResult]:
    """Khapra's ILSVRC table: ``[ILSVRCResult(network, top5_error %, layers, year, ...)]``.

    AlexNet 16.0%/8, ZFNet 11.2%/8, VGGNet 7.3%/19, GoogLeNet 6.7%/22, ResNet 3.6%/152, in that
    order, each with the ILSVRC edition it entered (2012 to 2015).
    """
    return [ILSVRCResult(name, err, layers, year, _K, _TABLE, (310, 351), note)
            for name, err, layers, year, note in _ILSVRC]
