"""Widgets for lecture 13, recurrent networks and backpropagation through time.

Shape legend: x_t (1, n) input row, h_t (1, d) hidden state, y_t (1, k) output; a sequence is
(N, T, D) batch first; weights W_ih (d, n), W_hh (d, d), W_hy (k, d) (PyTorch's layout; the
slides' U, W, V are their transposes).

- ``unrolled_rnn``: T, n, d, k -> the unrolled graph, every shape, a parameter count that does
  not depend on T.
- ``sequence_architectures``: task -> one/many-to-one/many diagram.
- ``deep_toy_stepper``: step through "deep" -> softmax bars and per-step cross-entropy.
- ``bptt_terms``: pick L_t and a window of k-step truncation per loss -> explicit and implicit
  BPTT terms.
- ``bptt_gradient_flow``: lag, largest singular value lambda = ||W_hh||_2, kind of W_hh,
  activation, clipping -> gradient norm at every step vs the bound (gamma lambda)^(T-k) (and the
  spectral radius, which is no bound).
- ``clipping_explorer``: a dragged gradient and tau -> clipped by norm and by value, and the
  squared-norm bug.

The math is done by ``dlcore.recurrent``, ``layers``, ``activations``, ``losses`` and
``counting``; the widgets only draw it.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "clipping": ["clipping_explorer"],
    "deep_toy": ["deep_toy_stepper"],
    "flow": ["bptt_gradient_flow"],
    "terms": ["bptt_terms"],
    "unrolled": ["sequence_architectures", "unrolled_rnn"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
