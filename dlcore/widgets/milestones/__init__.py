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

from ._cards import matching_cards
from ._ilsvrc import ilsvrc_chart
from ._timeline import timeline_explorer

__all__ = ["timeline_explorer", "ilsvrc_chart", "matching_cards"]
