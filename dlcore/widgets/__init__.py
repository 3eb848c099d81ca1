"""Interactive widgets for the lecture notebooks (ipywidgets + ipympl).

One subpackage per widget family (``neurons``, ``descent``, ``conv``...); each factory is called
in one line from a notebook, e.g. ``dl.widgets.conv_explorer()``, and returns an ``App``
(see ``_base.py``): a VBox with labelled, keyboard-operable controls, a figure it owns and
updates in place, text readouts and a one-line summary of what the plot shows.

``_EXPORTS`` lists every widget factory with the module that defines it; a factory is imported
from its module on first use (scientific Python's ``lazy_loader``): ``dl.widgets.conv_explorer``
imports the widget base and ``conv/explorer.py``, never the other widgets.  A new widget goes
into its family's ``__init__`` and here (``python -m tests.exports widgets`` prints the map).
"""

import os as _os

from .._lazy import attach

_FAMILIES = [
    "activations", "architectures", "backprop", "charlm", "conv", "conv_backprop", "descent",
    "gates", "milestones", "mlp", "neurons", "optimizers", "practice", "sequences",
    "training_tips",
]

_EXPORTS = {
    "activations.depth": ["activation_histograms"],
    "activations.functions": ["activation_explorer"],
    "activations.losses": ["loss_explorer", "softmax_temperature"],
    "architectures.calculator": ["architecture_calculator"],
    "architectures.connectivity": ["connectivity_explorer"],
    "architectures.matrix": ["conv_matrix_explorer"],
    "architectures.receptive": ["receptive_field_explorer"],
    "backprop.paths": ["path_sums"],
    "backprop.stepper": ["graph_stepper"],
    "backprop.trainer": ["moons_trainer"],
    "backprop.vanishing": ["vanishing_products"],
    "charlm.sampler": ["char_sampler"],
    "charlm.units": ["unit_explorer"],
    "conv.explorer": ["conv_explorer"],
    "conv.photo": ["photo_filter"],
    "conv.pooling": ["pooling_explorer"],
    "conv.sizes": ["output_size_explorer"],
    "conv.smoothing": ["smoothing_explorer"],
    "conv.volume": ["channel_volume"],
    "conv_backprop.explorer": ["conv_backprop_explorer"],
    "conv_backprop.gradcheck": ["gradcheck_panel"],
    "conv_backprop.input_gradient": ["input_gradient_explorer"],
    "conv_backprop.router": ["pooling_router"],
    "descent.neuron": ["step_vs_sigmoid", "sigmoid_fit"],
    "descent.steps": ["taylor_direction", "step_size_limit"],
    "descent.surface": ["random_search", "error_surface"],
    "gates.explorer": ["lstm_gate_explorer"],
    "gates.products": ["forget_products"],
    "gates.recall": ["long_lag_recall"],
    "gates.variants": ["variant_switcher"],
    "gates.whiteboard": ["whiteboard"],
    "milestones.cards": ["matching_cards"],
    "milestones.ilsvrc": ["ilsvrc_chart"],
    "milestones.timeline": ["timeline_explorer"],
    "mlp.counter": ["layer_counter"],
    "mlp.regions": ["half_plane_regions"],
    "mlp.towers": ["tower_builder"],
    "mlp.xor": ["xor_network"],
    "neurons.mp": ["mp_neuron_playground"],
    "neurons.plane": ["threshold_plane"],
    "neurons.trainer": ["perceptron_trainer"],
    "optimizers.adaptive": ["adaptive_steps"],
    "optimizers.momentum": ["momentum_explorer"],
    "optimizers.noise": ["batch_noise"],
    "optimizers.race": ["optimizer_race"],
    "practice.augment": ["augment_explorer"],
    "practice.schedules": ["schedule_explorer"],
    "practice.transfer": ["freeze_explorer"],
    "sequences.clipping": ["clipping_explorer"],
    "sequences.deep_toy": ["deep_toy_stepper"],
    "sequences.flow": ["bptt_gradient_flow"],
    "sequences.terms": ["bptt_terms"],
    "sequences.unrolled": ["unrolled_rnn", "sequence_architectures"],
    "training_tips.fitting": ["regularization_explorer", "learning_rate_explorer"],
    "training_tips.init": ["init_explorer"],
    "training_tips.layers": ["dropout_explorer", "batchnorm_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, _FAMILIES, _EXPORTS)

# For the course website (site/build.py): widgets also show a still picture (``_static.py``).
if _os.environ.get("DLCORE_STATIC_WIDGETS", "") not in ("", "0"):
    from ._static import activate as _activate_static

    _activate_static()


def available() -> list[str]:
    """Names of every widget factory, for a table of contents."""
    return sorted(__all__)
