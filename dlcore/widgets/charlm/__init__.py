"""Widgets for lecture 15, a character-level language model.

Shape legend: T characters; V vocabulary size; H hidden units; a text is drawn as a grid of
character cells, coloured by one value per character.

- ``char_sampler``: prompt, temperature, length, greedy or sampled, random seed and a "sample"
  button -> a generated text, each character coloured by the probability the model gave it,
  and those probabilities step by step; ``mine=my_temperature_probs`` draws your own
  temperature softmax's probabilities over dlcore's.
- ``unit_explorer``: feature (quotation, position in the line, position in the word), state
  and unit -> a stretch of text coloured by that unit's state, with the units ranked by how
  closely they follow the feature.

The model is a trained ``dlcore.recurrent.CharLM``; sampling, state traces and correlations are
computed by ``dlcore.recurrent``, the text grid is laid out by ``dlcore.viz.charlm``.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "sampler": ["char_sampler"],
    "units": ["unit_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
