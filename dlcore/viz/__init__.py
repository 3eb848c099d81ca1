"""Plotting functions: pure matplotlib, one submodule per topic.

Each function takes an ``ax`` (and returns it) or returns a new ``Figure``; none calls
``plt.show()``.  Every plot gets a title, labelled axes and a colour-blind-safe palette
(``dlcore.viz.style``).

``_EXPORTS`` lists every public name with the module that defines it; a name is imported from
its module on first use (scientific Python's ``lazy_loader``), so matplotlib loads only when a
plotting function is first used.  After a module's ``__all__`` changes,
``python -m tests.exports viz`` prints the map to paste here.
"""

from .._lazy import attach

_SUBMODULES = [
    "activations", "architectures", "charlm", "conv", "conv_backprop", "graphs", "mlp", "neurons",
    "optim", "practice", "sequences", "style", "surfaces", "training",
]

_EXPORTS = {
    "activations": [
        "plot_activations", "plot_losses", "plot_softmax", "plot_layer_histograms",
        "plot_logit_gradients",
    ],
    "architectures": [
        "connectivity_graph", "conv_matrix_plot", "layer_share_bars", "conv_fc_split",
        "receptive_field_growth",
    ],
    "charlm": [
        "text_grid", "grid_image", "plot_text_heatmap", "plot_bits_per_char", "NEWLINE_MARK",
    ],
    "conv": [
        "number_grid", "conv_example", "pooling_example", "feature_maps", "smoothing_plot",
        "format_number", "colour_limits", "text_colours", "outline_segments",
    ],
    "conv_backprop": [
        "weight_gradient_sum", "input_gradient_route", "pool_routing", "filter_grid",
        "plot_confusion", "plot_loss_comparison",
    ],
    "graphs.chains": ["plot_chain_gradients"],
    "graphs.drawing": ["draw_graph", "graph_layout", "snake_layout", "draw_value_graph"],
    "mlp.network": [
        "mlp_layout", "mlp_colours", "mlp_title", "mlp_artists", "update_mlp_artists", "draw_mlp",
    ],
    "mlp.regions": [
        "plot_xor_spaces", "plot_half_planes", "plot_mlp_regions", "half_plane_segment",
        "region_grid",
    ],
    "mlp.towers": ["plot_towers", "plot_tower_approximation"],
    "neurons": [
        "plot_timeline", "timeline_positions", "plot_ilsvrc_results", "set_depth_axis",
        "plot_unit_square", "plot_perceptron", "plot_errors_per_epoch", "boundary_segment",
    ],
    "optim": [
        "OPTIMIZER_LABELS", "OPTIMIZER_STYLE", "contour_levels", "plot_optim_surface",
        "plot_optim_paths", "plot_optim_curves", "plot_stability_region",
    ],
    "practice": ["plot_digit_grid", "plot_curves", "plot_schedules", "plot_bn_comparison"],
    "sequences": ["plot_gradient_norms", "plot_sequence_training", "plot_gate_trace"],
    "style": ["PALETTE", "CYCLE", "CMAP", "DIVERGING", "axes_or_new"],
    "surfaces": [
        "loss_surface", "surface_views", "path_on_surface", "loss_by_step", "sigmoid_fits",
        "step_vs_sigmoid_plot",
    ],
    "training": ["plot_history", "plot_lr_curves", "plot_class_regions", "plot_layer_std"],
}

__getattr__, __dir__, __all__ = attach(__name__, _SUBMODULES, _EXPORTS)
