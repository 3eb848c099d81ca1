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

from .explorer import conv_backprop_explorer
from .gradcheck import gradcheck_panel
from .input_gradient import input_gradient_explorer
from .router import pooling_router

__all__ = ["conv_backprop_explorer", "input_gradient_explorer", "pooling_router",
           "gradcheck_panel"]
