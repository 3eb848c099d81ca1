"""Widgets for lecture 12, backprop through convolution and pooling (ipywidgets + ipympl).

Shape legend: input A or x (H, W), kernel W (KH, KW), upstream gradient G = dL/dZ
(H_out, W_out); gradient-check layers use images (N, C, H, W) and conv weights (F, C, KH, KW).

- ``conv_backprop_explorer``: pick w_k, a_i or z_j -> the products g_j·a_i behind its gradient.
- ``input_gradient_explorer``: G -> dL/dX by dilate + pad + rot180, beside the stamping view.
- ``pooling_router``: max or average pooling forward, and where each gradient is routed.
- ``gradcheck_panel``: a layer -> analytic vs central-difference gradient, relative error.

All math is done by ``dlcore.conv``, ``dlcore.layers``, ``dlcore.activations`` and
``dlcore.gradcheck``; the widgets only draw it.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "explorer": ["conv_backprop_explorer"],
    "gradcheck": ["gradcheck_panel"],
    "input_gradient": ["input_gradient_explorer"],
    "router": ["pooling_router"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
