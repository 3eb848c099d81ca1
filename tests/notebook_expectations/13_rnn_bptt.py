"""What lecture 13's notebook must reproduce, evaluated in its executed kernel.

The numbers are the lecture map's (197,200 and 197,402 parameters, the 161-weight quiz's
n = 14, the clipping examples [0.12, 0.16], [0.6, 0.8], [0.6, -0.7] and [0.42, -0.56]), hand
computations (the largest singular value of [[0.5, 2], [0, 0.5]] is 0.5 + (1 + sqrt 5)/2) and
the relations the text states (the bound holds, chunks keep fewer steps than a window per
loss), never the notebook's own output.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {"EPOCHS": 20}

_L3_ONLY = "dhs * (np.arange(4) == 2)[None, :, None]"  # the loss at step 3 alone

EXPECTATIONS = [
    # section 1: five steps of one cell are rnn_forward, and the slides' x U + h W is the same
    close("np.abs(step_by_step - hs).max()", 0.0, atol=1e-8),
    close("np.abs(slides_form - hs[:, 0]).max()", 0.0, atol=1e-8),
    equal("list(longer.shape)", [2, 50, 4], why="50 steps with the same three arrays"),
    # section 2: the video example and the quiz
    equal("[weights, total]", [197_200, 197_402]),
    equal("[torch_style, dl.counting.rnn_params(784, 200, torch_biases=True)]",
          [197_200, 197_200], why="PyTorch's second bias vector adds d = 200"),
    equal("answers", [14], why="3/4 n^2 + n = 161 has the one even solution n = 14"),
    # section 3: the sine predictor beats "repeat the last value" with the suite's 20 epochs
    true("hist.train_loss[-1] < baseline"),
    # section 4: the summed loss and the slip box on its indices
    true("np.isclose(L, 4 * dl.losses.softmax_cross_entropy(logits, targets))",
         why="the sequence loss is T times the mean cross-entropy"),
    true("np.allclose(full_cross_entropy, step_losses)"),
    equal("inputs.tolist()", [0, 1, 1, 2], why="d, e, e, p"),
    equal("np.flatnonzero(mixed).tolist()", [1],
          why="with i = the input only step 2 (e -> e) keeps a term"),
    true("zen_vocab.decode(ids) == line"),
    # section 5: BPTT by hand = rnn_backward = central differences
    true("np.allclose(dw_hh, dl.recurrent.rnn_backward(dhs, cache_all)[3])",
         after="numeric = dl.gradcheck"),
    true("dl.gradcheck.rel_error(dw_hh, numeric) < 1e-7", after="numeric = dl.gradcheck"),
    # truncated BPTT: chunks by hand = rnn_backward_chunked; k = T = 4 is full BPTT for both
    true("np.abs(dw_hh_chunks - chunked_2).max() < 1e-12"),
    true("np.allclose(dl.recurrent.rnn_backward_chunked(dhs, cache_all, 4)[3], full) and "
         "np.allclose(dl.recurrent.rnn_backward(dhs, cache_all, truncate=4)[3], full)"),
    true("np.linalg.norm(chunked_2 - dl.recurrent.rnn_backward(dhs, cache_all, truncate=2)[3])"
         " > 1e-3 * np.linalg.norm(full)", why="chunks of 2 and a window of 2 differ"),
    true(f"np.allclose(dl.recurrent.rnn_backward_chunked({_L3_ONLY}, cache_all, 2)[3], "
         f"dl.recurrent.rnn_backward({_L3_ONLY}, cache_all, truncate=1)[3])",
         why="L_3 starts the second chunk: it keeps its explicit term only"),
    true(f"not np.allclose(dl.recurrent.rnn_backward({_L3_ONLY}, cache_all, truncate=2)[3], "
         f"dl.recurrent.rnn_backward({_L3_ONLY}, cache_all, truncate=1)[3])",
         why="a window of 2 gives L_3 one implicit term more"),
    # section 6: the bound holds; gamma lambda > 1 lets tanh vanish and relu explode
    true("all(np.all(curves[c] <= bounds[c] * (1 + 1e-9)) for c in curves)"),
    true("curves['tanh, λ = 2.0'][0] < 1e-3 < 1e3 < curves['relu, λ = 2.0'][0]"),
    true("1e-5 < curves['tanh, λ = 2.0'][0] and curves['relu, λ = 2.0'][0] < 1e5",
         why="the slip box says about 1e-4 and about 1e4"),
    # the spectral norm, not the spectral radius
    close("np.abs(np.linalg.eigvals(small)).max()", 0.5, atol=1e-12),
    close("np.linalg.norm(small, 2)", 0.5 + (1 + 5 ** 0.5) / 2, atol=1e-12),
    close("np.linalg.norm(np.array([1.0, 0.0]) @ small)", 4.25 ** 0.5, atol=1e-12),
    close("lam", 2.0, atol=1e-12, after="W_nn = Q @ tri"),
    true("rho < 1 < lam", after="W_nn = Q @ tri", why="spectral radius < 1 < spectral norm"),
    true("np.all(nn_norms <= lam ** (T - np.arange(T + 1)) * (1 + 1e-9))",
         after="W_nn = Q @ tri", why="the bound with the largest singular value holds"),
    true("0.1 < nn_norms.min() and nn_norms.max() < 10 and 1e-6 < rho ** 40 < 1e-4",
         after="W_nn = Q @ tri",
         why="the gradient stays of order 1 where rho^40 would promise about 1e-5"),
    # section 7: clipping
    close("grad", [0.12, 0.16], atol=1e-8, why="the squared norm 25 instead of the norm 5"),
    equal("norm_before", 5.0),
    close("g", [0.6, 0.8], atol=1e-6),
    close("by_value", [0.6, -0.7], atol=1e-8),
    close("by_norm", [0.42, -0.56], atol=1e-6),
    # section 8, your turn: shipped unanswered, the demo runs on dlcore's step and BPTT
    true("rnn_step is dl.selfcheck.exercises()['13.7'].checker.reference and "
         "bptt is dl.selfcheck.exercises()['13.8'].checker.reference",
         why="a blank exercise falls back to dlcore's function"),
    close("np.abs(np.array(demo_states) - whole[0]).max()", 0.0, atol=1e-12),
    true("all(reach[t] <= 0.9 ** t for t in reach)", why="the bound (gamma lambda)^T holds"),
    true("reach[40] < 1e-6 * reach[5]", why="the text says: orders of magnitude"),
    # section 9: ten two-tap convolutions with dilations 1, 2, ..., 512 over 1,024 samples
    # (weights 1): one output, the sum of every sample; fields 1 + (1 + 2 + ... + 512) and 1 + 10
    equal("list(h.shape)", [1, 1, 1, 1]),
    true("np.isclose(h.item(), clip.sum(), rtol=0, atol=1e-9)",
         why="the single output sees all 1,024 samples"),
    equal("[wavenet_field.size, plain_field.size]", [1 + sum(2 ** i for i in range(10)), 11]),
]
