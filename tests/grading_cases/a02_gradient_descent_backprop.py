"""Catalogued wrong answers for A2: each gets its expected partial score and hint."""

ASSIGNMENT = "a02_gradient_descent_backprop"

_LOSSES = '''
def squared_error(y_hat, y):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float({sq})


def mse(y_hat, y):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(d * d))
'''

_TOY = '''
def toy_loss(w, b, X, Y):
    f = 1.0 / (1.0 + np.exp(-(w * X + b)))
    return float(0.5 * np.sum((Y - f) ** 2))


def toy_grad(w, b, X, Y):
    f = 1.0 / (1.0 + np.exp(-(w * X + b)))
    delta = {delta}
    return float(np.sum(delta * X)), float(np.sum(delta))
'''

_GD = '''
def gradient_descent(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for _ in range(steps):
{update}
        path.append(theta.copy())
    return np.array(path)


def toy_optimum(X, Y):
    z = np.log(Y / (1 - Y))
    w = (z[1] - z[0]) / (X[1] - X[0])
    return w, z[0] - w * X[0]
'''

_CHAIN_ETA = '''
def chain_forward(x, w1, b1, w2, w3):
    f1 = 1 / (1 + np.exp(-(w1 * x + b1)))
    f2 = 1 / (1 + np.exp(-(w2 * f1)))
    return 1 / (1 + np.exp(-(w3 * f2)))


def chain_grads(x, y, w1, b1, w2, w3):
    eta = 0.1
    f1 = 1 / (1 + np.exp(-(w1 * x + b1)))
    f2 = 1 / (1 + np.exp(-(w2 * f1)))
    f3 = 1 / (1 + np.exp(-(w3 * f2)))
    d3 = -eta * (y - f3) * f3 * (1 - f3)     # as on the slide
    d2 = d3 * w3 * f2 * (1 - f2)
    d1 = d2 * w2 * f1 * (1 - f1)
    return d1 * x, d1, d2 * f1, d3 * f2
'''

_LINEAR = '''
def linear_forward(x, w, b):
    return {out}, (x, w)


def linear_backward(dout, cache):
    x, w = cache
    return {grads}
'''

_CE = '''
def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    {body}
    dlogits = p.copy()
    dlogits[np.arange(n), labels] -= 1.0
    return float(loss), dlogits / n
'''
_CE_NAIVE = ("p = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)\n"
             "    loss = -np.mean(np.log(p[np.arange(n), labels]))")
_CE_LOG_OF_P = ("z = logits - logits.max(axis=1, keepdims=True)\n"
                "    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)\n"
                "    loss = -np.mean(np.log(p[np.arange(n), labels]))")

_MOONS_LINEAR = '''
X_train, y_train = dl.data.moons(n_samples=400, noise=0.2, seed=0)
model = dl.nn.MLP([2, 2], rng=0)     # no hidden layer: a straight boundary
dl.nn.fit(model, X_train, y_train, lr=0.5, num_epochs=300, progress=False)
'''

# name -> (cell replacements, failing test cells, hint substrings expected in the feedback)
VARIANTS = {
    "squared_error_is_mean": ({"ex1_code": _LOSSES.format(sq="np.mean(d * d)")},
                              ["ex1_test_squared_error"], ["off by a factor of 2/N"]),
    "toy_grad_without_slope": ({"ex2_code": _TOY.format(delta="f - Y")}, ["ex2_test_grad"],
                               ["f(x)(1 - f(x)) is missing"]),
    "gd_not_simultaneous": ({"ex3_code": _GD.format(update=(
        "        theta[0] = theta[0] - lr * grad_fn(theta)[0]\n"
        "        theta[1:] = theta[1:] - lr * grad_fn(theta)[1:]"))},
        ["ex3_test_values"], ["the update is not simultaneous"]),
    "gd_ascent": ({"ex3_code": _GD.format(update="        theta = theta + lr * grad_fn(theta)")},
                  ["ex3_test_values"], ["gradient ASCENT"]),
    "chain_eta_in_derivative": ({"ex4_code": _CHAIN_ETA}, ["ex4_test_grad"],
                                ["learning rate sits inside the derivative"]),
    "linear_seed_layout": ({"ex5_code": _LINEAR.format(
        out="x @ w + b", grads="dout @ w.T, x.T @ dout, dout.sum(axis=0)")},
        ["ex5_test_shape", "ex5_test_values", "ex5_test_grad"], ["w and w.T are swapped"]),
    "db_wrong_axis": ({"ex5_code": _LINEAR.format(
        out="x @ w.T + b", grads="dout @ w, dout.T @ x, dout.sum(axis=1)")},
        ["ex5_test_grad"], ["db is summed over the wrong axis"]),
    "softmax_overflows": ({"ex6_code": _CE.format(body=_CE_NAIVE)}, ["ex6_test_stable"],
                          ["logits near 1000 overflow exp"]),
    "log_of_softmax": ({"ex6_code": _CE.format(body=_CE_LOG_OF_P)}, ["ex6_test_stable"],
                       ["underflows to 0"]),
    "moons_linear_model": ({"ex7_code": _MOONS_LINEAR},
                           ["ex7_test_nonlinear", "ex7_test_target"],
                           ["what a straight boundary achieves"]),
    "ascent_answer_a": ({"ex8_code": 'ANSWER_8 = "a"'}, ["ex8_test"], ["(a) descends"]),
}
