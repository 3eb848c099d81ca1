"""Widgets of the history lecture (L01): the timeline, the ILSVRC chart and a matching game.

- ``timeline_explorer``: theme filter and milestone selector (or a click on a point) -> the
  milestones on a year axis, and the selected one's people, details and the slide it comes
  from.
- ``ilsvrc_chart``: network selector (or hover over a point) -> top-5 error by year and against
  depth, with the error ratios to AlexNet and to the previous network.
- ``matching_cards``: one dropdown per contribution to choose a person; "check my answers"
  scores them and names a likely mix-up (such as crediting backpropagation to Hinton alone).

The records come from ``dlcore.data.history`` (``timeline()``, ``ilsvrc_results()``).
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "cards": ["matching_cards"],
    "ilsvrc": ["ilsvrc_chart"],
    "timeline": ["timeline_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
