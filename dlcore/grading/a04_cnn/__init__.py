"""Checks for assignment A4, convolutional networks (lectures 10-12).

Exercises and the names the notebook defines (shapes: N batch, C channels, H x W input,
F filters, KH x KW kernel, H_out x W_out output):

1. ``output_size(n, k, stride=1, pad=0, dilation=1)`` on visible and hidden cases, and
   ``MY_OUTPUT_SIZES``, three ints for the student's own settings (per student).
2. ``conv2d_forward(x, w, b, stride=1, pad=0) -> (out, cache)``: x (N, C, H, W),
   w (F, C, KH, KW), b (F,), out (N, F, H_out, W_out), ``cache = (x, w, b, stride, pad)``.
3. ``max_pool_forward(x, size, stride)`` and ``avg_pool_forward(x, size, stride)`` -> out
   (N, C, H_out, W_out); ``max_pool_backward(dout, x, size, stride)`` and
   ``avg_pool_backward(dout, x, size, stride)`` -> dx (N, C, H, W).
4. ``PARAMS`` (layer name -> parameter count) and ``FLATTEN`` for the student's own network.
5. ``PARAMS_SAVED``: parameters saved when the student's layer gets a smaller kernel.
6. ``conv2d_backward(dout, cache) -> (dx, dw, db)`` at stride 1 and 2; the grader builds
   ``cache = (x, w, b, stride, pad)`` itself, so the backward pass is graded on its own.
7. ``conv_as_matrix(w, input_shape, stride=1, pad=0) -> M`` of shape (F*H_out*W_out, C*H*W),
   C-order flattening: ``M @ x.ravel() == conv(x).ravel()`` and ``M.T @ g.ravel() == dx``.
8. ``CELLS_W6`` and ``TERMS_A31``: the gradients of a 7 x 7 input and a 3 x 3 kernel at
   stride 2, worked out by hand (which cells feed dL/dw6, which terms make dL/da31).

Per-student numbers: exercises 1 (``MY_OUTPUT_SIZES``), 4 and 5 draw their layer settings
from the student id (``my_numbers(student_id)`` prints and returns them; ``variant_rng``).
Under autograde the id is the submission's folder name, whatever the notebook declares;
``graded_id(STUDENT_ID)`` returns that id (or STUDENT_ID outside autograde), so code that
computes the answers from the numbers reads the same ones as the grader.

Expected values come from dlcore's references at check time (``dlcore.conv``,
``dlcore.counting.summarize``); functions that call them (or torch) score 0.

Modules, one per exercise group: ``sizes`` (1), ``convolution`` (2), ``pooling`` (3),
``param_counts`` (4, 5), ``backward`` (6), ``matrix`` (7), ``by_hand`` (8); ``per_student``
draws the per-student numbers.
"""

from __future__ import annotations

from .._core import Assignment
from . import backward, by_hand, convolution, matrix, param_counts, pooling, sizes
from .per_student import AID, graded_id, my_numbers

__all__ = ["checker", "ASSIGNMENT", "my_numbers", "graded_id"]

# Exercises are registered in the notebook's order.
ASSIGNMENT = Assignment.of_groups(AID,
                                  sizes, convolution, pooling, param_counts, backward, matrix,
                                  by_hand).with_references(
    sizes, convolution, pooling, param_counts, backward, matrix, by_hand)
checker = ASSIGNMENT.checker
