"""Catalogued wrong answers for A5: each gets its expected partial score and hint."""

ASSIGNMENT = "a05_rnn_lstm"

_COUNT = '''
def rnn_param_count(n_in, n_hidden, n_out, bias=True):
    weights = {weights}
    return weights + {biases}

N_INPUTS = {n}
'''

_FORWARD = '''
def rnn_forward(x, h0, w_ih, w_hh, b):
    N, T, _ = x.shape
    hs = np.zeros((N, T, w_hh.shape[0]))
    h = h0
    for t in range(T):
        h = np.tanh(x[:, t] @ w_ih.T + {recurrent} + b)
        hs[:, t] = h
    return hs, (x, h0, w_ih, w_hh, hs)
'''

_BACKWARD = '''
def rnn_backward(dhs, cache):
    x, h0, w_ih, w_hh, hs = cache
    T = x.shape[1]
    dx = np.zeros_like(x)
    dw_ih, dw_hh = np.zeros_like(w_ih), np.zeros_like(w_hh)
    db = np.zeros(w_hh.shape[0])
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        h = hs[:, t]
        h_prev = hs[:, t - 1] if t > 0 else h0
        da = ({dh}) * ({slope})
        dx[:, t] = da @ w_ih
        dw_ih += da.T @ x[:, t]
        dw_hh += da.T @ {state}
        db += da.sum(axis=0)
        dh_next = da @ w_hh
    return dx, dh_next, dw_ih, dw_hh, {db}
'''
# A forward that keeps the pre-activations, and a backward that takes tanh' there.
_FORWARD_PRE = """
def rnn_forward(x, h0, w_ih, w_hh, b):
    N, T, _ = x.shape
    hs = np.zeros((N, T, w_hh.shape[0]))
    pre = np.zeros_like(hs)
    h = h0
    for t in range(T):
        pre[:, t] = x[:, t] @ w_ih.T + h @ w_hh.T + b
        h = np.tanh(pre[:, t])
        hs[:, t] = h
    return hs, (x, h0, w_ih, w_hh, hs, pre)
"""
_BACKWARD_PRE = _BACKWARD.replace("x, h0, w_ih, w_hh, hs = cache",
                                  "x, h0, w_ih, w_hh, hs, pre = cache").format(
    dh="dhs[:, t] + dh_next", slope="1 - pre[:, t] ** 2", state="h_prev", db="db")
_BWD_OK = {"dh": "dhs[:, t] + dh_next", "slope": "1 - h ** 2", "state": "h_prev", "db": "db"}

_CLIP = '''
def clip_grad_norm(grads, max_norm):
    {norm_body}

def clip_grad_value(grads, clip):
    for g in grads:
        {value_line}
'''
_NORM_OK = '''norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return norm'''
_NORM_SQUARED = '''grad_norm = float(sum(np.sum(g * g) for g in grads))
    if grad_norm > max_norm:
        for g in grads:
            g *= max_norm / grad_norm
    return grad_norm'''
_NORM_PER_ARRAY = '''total = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    for g in grads:
        norm = np.sqrt(np.sum(g * g))
        if norm > max_norm:
            g *= max_norm / norm
    return total'''
_VALUE_OK = "np.clip(g, -clip, clip, out=g)"

_BOUND = '''
def gradient_bound(activation, lam, t, k):
    gamma = {gamma}
    return (gamma * lam) ** (t - k)

ANSWER_5 = {answer!r}
'''
_GAMMA_OK = '{"sigmoid": 0.25, "tanh": 1.0}[activation]'

_LSTM = '''
def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b):
    H = h_prev.shape[1]
    a = x_t @ w_ih.T + h_prev @ w_hh.T + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    {go}
    c = f * c_prev + i * g
    return o * np.tanh({c_for_h}), c
'''
_GO_OK = "g = np.tanh(a[:, 2 * H:3 * H])\n    o = sigmoid(a[:, 3 * H:])"
_GO_IFOG = "o = sigmoid(a[:, 2 * H:3 * H])\n    g = np.tanh(a[:, 3 * H:])"

_GRU = '''
def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    gi = x_t @ w_ih.T + b_ih
    gh = h_prev @ w_hh.T + b_hh
    r = sigmoid(gi[:, :H] + gh[:, :H])
    z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gi[:, 2 * H:] + {candidate})
    return {update}
'''
_GRU_R_OK = "r * gh[:, 2 * H:]"
_GRU_R_BEFORE = "(r * h_prev) @ w_hh[2 * H:].T + b_hh[2 * H:]"
_GRU_PT = "(1 - z) * n + z * h_prev"
_GRU_CHO = "(1 - z) * h_prev + z * n"

_SINE = '''
SINE_T = grading.SINE_T
S = dl.data.sine_sequences(512, length=SINE_T + 1, seed=0)
X_train, y_train = S[:, :SINE_T], S[:, SINE_T]
model = dl.nn.Sequential(dl.nn.RNN(1, 16, rng=0), dl.nn.LastStep(), dl.nn.Linear(16, 1, rng=1))
history = dl.nn.fit(model, X_train, y_train, loss="mse", lr=0.01, num_epochs=2,
                    progress=False, rng=0)
'''

_BWD_CELLS = ["ex3_test_dx", "ex3_test_dweights", "ex3_test_db"]

# name -> (cell replacements, failing test cells, hint substrings expected in the feedback)
VARIANTS = {
    "count_with_biases_always": (
        {"ex1_code": _COUNT.format(weights="n_hidden * (n_in + n_hidden) + n_out * n_hidden",
                                   biases="n_hidden + n_out", n=20)},
        ["ex1_test_values"], ["the count must be the weights only"]),
    "count_whh_as_d_by_n": (
        {"ex1_code": _COUNT.format(weights="2 * n_hidden * n_in + n_out * n_hidden",
                                   biases="(n_hidden + n_out if bias else 0)", n=16)},
        ["ex1_test_values", "ex1_test_solve"], ["W_hh was counted as n_hidden x n_in",
                                                "N_INPUTS solves the count with W_hh"]),
    "forward_w_hh_untransposed": (
        {"ex2_code": _FORWARD.format(recurrent="h @ w_hh")},
        ["ex2_test_values"] + _BWD_CELLS, ["w_hh is used untransposed", "fix rnn_forward first"]),
    "bptt_without_the_recurrence": (
        {"ex3_code": _BACKWARD.format(**dict(_BWD_OK, dh="dhs[:, t]"))},
        _BWD_CELLS, ["does not flow back through the recurrence"]),
    "bptt_tanh_slope_at_preactivation": (
        {"ex2_code": _FORWARD_PRE, "ex3_code": _BACKWARD_PRE},
        _BWD_CELLS, ["tanh' is taken at the pre-activation"]),
    "bptt_dw_hh_with_current_state": (
        {"ex3_code": _BACKWARD.format(**dict(_BWD_OK, state="h"))},
        ["ex3_test_dweights"], ["dw_hh pairs da_t with h_t"]),
    "clip_squared_norm_and_one_sided_value": (
        {"ex4_code": _CLIP.format(norm_body=_NORM_SQUARED,
                                  value_line="np.minimum(g, clip, out=g)")},
        ["ex4_test_norm", "ex4_test_value"], ["squared norm sum(g * g)",
                                              "only the upper side is clamped"]),
    "clip_per_array_norm": (
        {"ex4_code": _CLIP.format(norm_body=_NORM_PER_ARRAY, value_line=_VALUE_OK)},
        ["ex4_test_norm"], ["each array was clipped by its own norm"]),
    "clip_not_in_place": (
        {"ex4_code": _CLIP.format(norm_body=_NORM_OK.replace("g *= max_norm / norm",
                                                             "g = g * max_norm / norm"),
                                  value_line=_VALUE_OK)},
        ["ex4_test_norm"], ["did not change the arrays in grads"]),
    "bound_gamma_one_and_explodes": (
        {"ex5_code": _BOUND.format(gamma="1.0", answer="a")},
        ["ex5_test_values", "ex5_test_meaning"], ["gamma = 1 was used for the sigmoid",
                                                  "it is an upper bound"]),
    # Exercise 5's answer: (c), the bound allows exploding gradients without forcing them.
    "bound_answer_vanish": (
        {"ex5_code": _BOUND.format(gamma=_GAMMA_OK, answer="b")},
        ["ex5_test_meaning"], ["only then does the bound itself go to 0"]),
    "bound_answer_at_most_one": (
        {"ex5_code": _BOUND.format(gamma=_GAMMA_OK, answer="d")},
        ["ex5_test_meaning"], ["does not keep the norm below 1"]),
    "lstm_ifog_gate_order": (
        {"ex6_code": _LSTM.format(go=_GO_IFOG, c_for_h="c")},
        ["ex6_test_values"], ["the order (i, f, o, g)"]),
    "lstm_h_from_previous_cell": (
        {"ex6_code": _LSTM.format(go=_GO_OK, c_for_h="c_prev")},
        ["ex6_test_values"], ["h is computed from c_{t-1}"]),
    "gru_cho_convention": (
        {"ex7_code": _GRU.format(candidate=_GRU_R_OK, update=_GRU_CHO)},
        ["ex7_test_values"], ["z and 1 - z are swapped"]),
    "gru_reset_before_matmul": (
        {"ex7_code": _GRU.format(candidate=_GRU_R_BEFORE, update=_GRU_PT)},
        ["ex7_test_values"], ["r is applied before the matrix product"]),
    "sine_barely_trained": (
        {"ex8_code": _SINE},
        ["ex8_test_baseline", "ex8_test_target"], ["mean squared error on held-out sine"]),
}
