"""What lecture 14's notebook must reproduce, evaluated in its executed kernel.

The numbers are the lecture map's (the whiteboard's 5, 33, 34 and 170, 11, 181; the worked
LSTM step 0.679179, 0.635149, 0.770969, 0.439763; the GRU step 0.584845, 0.527220 and 0.557625
in the form of Cho et al.; the parameter counts), hand computations with ``math`` below (the
peephole step, the forget-gate products) and the training outcome that
``tests/test_sequence_training.py`` checks for the same recipe at 30 epochs, never the
notebook's own output.
"""

from math import exp, tanh

from tests.notebook_checks import close, equal, true

PARAMETERS = {"EPOCHS": 30}


def _sigma(a):
    return 1 / (1 + exp(-a))


# the peephole step of section 7: the worked example (pre-activations 0.75, c_0 = 0.5) with
# peephole weights 0.5; input and forget gates read c_0, the output gate c_1 (or c_0)
_I = _sigma(0.75 + 0.5 * 0.5)
_C1 = _I * 0.5 + _I * tanh(0.75)
_O_NEW, _O_OLD = _sigma(0.75 + 0.5 * _C1), _sigma(0.75 + 0.5 * 0.5)

# section 9: the pulse the explorer's "write once, then keep" presets write at t = 3
_WRITTEN = _sigma(8.0 - 4.0) * tanh(3.0)

EXPECTATIONS = [
    # section 1: the whiteboard
    equal("[ac, bd, bd_a]", [5, 33, 34], after="bd_a = bd + a"),
    equal("[ac * bd_a, a * d, ac * bd_a + a * d]", [170, 11, 181], after="bd_a = bd + a"),
    equal("written.tolist()", [5.0, 33.0, 34.0], why="write bd + a into slot 3"),
    equal("board.tolist()", [5.0, 0.0, 34.0], why="then erase bd"),
    # section 2: the worked LSTM step, and the slides' layout loads into the course layout
    close("[float(gates[k][0, 0]) for k in 'ifo']", [0.679179] * 3, atol=1e-6,
          after="lstm_step_forward(one"),
    close("gates['g'][0, 0]", 0.635149, atol=1e-6, after="lstm_step_forward(one"),
    close("[c1[0, 0], h1[0, 0]]", [0.770969, 0.439763], atol=1e-6,
          after="lstm_step_forward(one"),
    true("np.allclose(h_course[0], h_slides) and np.allclose(c_course[0], c_slides)"),
    # section 3: the cell path is an elementwise product with f
    true("np.allclose(dc_prev, dc * dl.recurrent.lstm_gates(cache)['f'])", after="dc_prev = "),
    true("1e-25 < sigma(0.0) ** 80 < 1e-23", why="the text says about 1e-24"),
    close("sigma(4.0)", _sigma(4.0), atol=1e-12, why="f is about 0.982"),
    close("sigma(4.0) ** 80", _sigma(4.0) ** 80, atol=1e-12, why="about a quarter survives"),
    true("0.2 < sigma(4.0) ** 80 < 0.3"),
    # section 4: the worked GRU step and the form of Cho et al.
    close("n", 0.584845, atol=1e-6, after="gru_step_forward(one"),
    close("h1[0, 0]", 0.527220, atol=1e-6, after="gru_step_forward(one"),
    close("h1_cho_form", 0.557625, atol=1e-6),
    true("np.isclose(h1_flip[0, 0], h1_cho_form)", why="negating the z rows swaps z and 1 - z"),
    # section 5: parameter counts
    equal("counts", {"RNN": [197_000, 197_200], "GRU": [591_000, 591_600],
                     "LSTM": [788_000, 788_800]}),
    equal("modules", {"GRU": 591_600, "LSTM": 788_800}),
    # section 6: with the suite's 30 epochs the LSTM learns and the RNN stays near chance
    true("not histories['RNN'].diverged and not histories['LSTM'].diverged"),
    true("histories['LSTM'].val_acc[-1] >= 0.9"),
    true("histories['LSTM'].train_loss[-1] < 0.1"),
    true("abs(histories['RNN'].val_acc[-1] - 0.25) < 0.1", why="chance is 1/4"),
    true("histories['RNN'].train_loss[-1] > 0.8 * np.log(4)", why="chance loss is ln 4"),
    # section 7: the peephole slip (o reads c_t, not c_(t-1)) and coupled gates
    close("[i_p, c_1]", [_I, _C1], atol=1e-12),
    close("[o_new, o_old]", [_O_NEW, _O_OLD], atol=1e-12),
    true("abs(o_new - o_old) > 0.01", why="the two readings give different output gates"),
    true("largest <= 1.0", why="a coupled cell is a weighted average: it stays in [-1, 1]"),
    # section 8: NaN from one unclipped step, finite states after clipping
    true("norm > 1e10 and broken > 0.5 and np.isfinite(hs_clipped).all()"),
    # section 9, run as shipped (unanswered): the steps fall back on dlcore's, and the pulse
    # is written as i g = sigma(8 - 4) tanh(3), then kept with f = sigma(4) or f = sigma(0)
    true("lstm_step is not my_lstm_step and gru_step is not my_gru_step",
         why="the exercises are not written: or_reference() gives dlcore's steps"),
    close("kept", [0.0, 0.0] + [_WRITTEN * _sigma(4.0) ** k for k in range(10)], atol=1e-12),
    close("leaky", [0.0, 0.0] + [_WRITTEN * 0.5 ** k for k in range(10)], atol=1e-12),
    close("gru_kept", [0.0, 0.0] + [_WRITTEN * _sigma(4.0) ** k for k in range(10)],
          atol=1e-12, why="z = sigma(-8 x + 4) plays the part of f: 1 - z writes, z keeps"),
    true("cell_backward is not my_lstm_cell_backward"),
    close("[carried_back(kept, 4.0), carried_back(leaky, 0.0)]", [_sigma(4.0) ** 9, 0.5 ** 9],
          atol=1e-12, why="with dh = 0 the cell path multiplies by f at each of the 9 steps"),
    # section 10: dot-product attention over six LSTM encoder states, recomputed with numpy
    equal("list(enc.shape)", [6, 8]),
    true("np.allclose(attention, np.exp(10 * enc @ decoder_state)"
         " / np.exp(10 * enc @ decoder_state).sum())", why="softmax of the scaled dot products"),
    true("np.isclose(attention.sum(), 1.0) and int(np.argmax(attention)) == 2",
         why="at sharpness 10 the weights concentrate on step 3"),
    true("np.allclose(context, (attention[:, None] * enc).sum(axis=0))",
         why="the context is the weighted average of the encoder states"),
]
