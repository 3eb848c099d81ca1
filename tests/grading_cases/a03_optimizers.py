"""Catalogued wrong answers for A3: each gets its expected partial score and hint."""

ASSIGNMENT = "a03_optimizers"

_SGD = '''
def sgd_momentum_step(theta, grad, state, lr, momentum=0.0, weight_decay=0.0):
    g = {g}
    old = state.get("momentum_buffer", np.zeros_like(theta))
    v = {v}
    return theta - lr * v, {{"momentum_buffer": v}}
'''

_NAG_SIGN = '''
def nesterov_step(theta, grad, state, lr, momentum, weight_decay=0.0):
    g = grad + weight_decay * theta
    v = momentum * state.get("momentum_buffer", np.zeros_like(theta)) + g
    return theta - lr * (g - momentum * v), {"momentum_buffer": v}
'''

_ADAGRAD_EPS_INSIDE = '''
def adagrad_step(theta, grad, state, lr=1e-2, eps=1e-10):
    G = state.get("sum", np.zeros_like(theta)) + grad * grad
    return theta - lr * grad / np.sqrt(G + eps), {"sum": G}
'''

_RMSPROP_SWAPPED = '''
def rmsprop_step(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8):
    s = (1 - alpha) * state.get("square_avg", np.zeros_like(theta)) + alpha * grad * grad
    return theta - lr * grad / (np.sqrt(s) + eps), {"square_avg": s}
'''

_ADAM = '''
def adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    beta1, beta2 = betas
    t = state.get("step", 0){t_inc}
    m = beta1 * state.get("exp_avg", np.zeros_like(theta)) + (1 - beta1) * grad
    v = beta2 * state.get("exp_avg_sq", np.zeros_like(theta)) + (1 - beta2) * grad * grad
    m_hat = {m_hat}
    v_hat = {v_hat}
    theta_new = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta_new, {{"step": {t_new}, "exp_avg": m, "exp_avg_sq": v}}
'''

_LIMIT = '''
def max_stable_lr(h, momentum=0.0):
    return {expr}
'''

_DROPOUT = '''
def dropout_forward(x, p, training=True, rng=None):
    if not training or p == 0:
        return {eval_out}, None
    rng = np.random.default_rng() if rng is None else rng
    keep = {keep}
    scale = {scale}
    return x * scale, scale


def dropout_backward(dout, cache):
    return dout.copy() if cache is None else dout * cache
'''

_BN_BACKWARD = '''
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std, training = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    g = dout * gamma
    if not training:
        return g * inv_std, dgamma, dbeta
    n = dout.shape[0]
    dx = {dx}
    return dx, dgamma, dbeta
'''
_BN_DX = "inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))"

_BN_FORWARD = '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                      eps=1e-5):
    n = x.shape[0]
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0{ddof})
    else:
        mean, var = running_mean.copy(), running_var.copy()
    if {update_when}:
        bm, bv = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1 - momentum
        running_mean += momentum * bm
        running_var *= 1 - momentum
        running_var += momentum * bv * n / (n - 1)
    inv_std = 1.0 / {denom}
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std, training)
'''


def _bn(ddof="", update_when="training", denom="np.sqrt(var + eps)", dx=_BN_DX):
    return _BN_FORWARD.format(ddof=ddof, update_when=update_when, denom=denom) + \
        _BN_BACKWARD.format(dx=dx)


# name -> (cell replacements, failing test cells, hint substrings expected in the feedback)
VARIANTS = {
    "sgd_lr_twice": ({"ex1_code": _SGD.format(g="grad + weight_decay * theta",
                                              v="momentum * old + lr * g")},
                     ["ex1_test_momentum", "ex1_test_weight_decay"],
                     ["the learning rate is applied twice"]),
    "sgd_gamma_on_g": ({"ex1_code": _SGD.format(g="grad + weight_decay * theta",
                                                v="old + momentum * g")},
                       ["ex1_test_momentum", "ex1_test_weight_decay"],
                       ["momentum multiplies the gradient instead of the old velocity"]),
    "sgd_no_weight_decay": ({"ex1_code": _SGD.format(g="grad", v="momentum * old + g")},
                            ["ex1_test_weight_decay"], ["weight_decay has no effect"]),
    "nesterov_sign": ({"ex2_code": _NAG_SIGN}, ["ex2_test"],
                      ["the look-ahead term has the wrong sign"]),
    "adagrad_eps_inside": ({"ex3_code": _ADAGRAD_EPS_INSIDE}, ["ex3_test_values"],
                           ["eps is inside the square root"]),
    "rmsprop_alpha_swapped": ({"ex4_code": _RMSPROP_SWAPPED}, ["ex4_test_values"],
                              ["alpha and 1 - alpha are swapped"]),
    "adam_no_bias_correction": ({"ex5_code": _ADAM.format(t_inc=" + 1", m_hat="m", v_hat="v",
                                                          t_new="t")},
                                ["ex5_test_values"], ["there is no bias correction"]),
    "adam_m_uncorrected": ({"ex5_code": _ADAM.format(t_inc=" + 1", m_hat="m",
                                                     v_hat="v / (1 - beta2 ** t)", t_new="t")},
                           ["ex5_test_values"], ["about 10x too small"]),
    "adam_t_from_zero": ({"ex5_code": _ADAM.format(t_inc="", m_hat="m / (1 - beta1 ** t)",
                                                   v_hat="v / (1 - beta2 ** t)",
                                                   t_new="t + 1")},
                         ["ex5_test_values"], ["if t starts at 0"]),
    "limit_one_over_h": ({"ex6_code": _LIMIT.format(expr="(1 + momentum) / float(np.max(h))")},
                         ["ex6_test_gd", "ex6_test_momentum", "ex6_test_hessian"],
                         ["1/h is the learning rate whose step lands exactly on the minimum"]),
    "limit_smallest_curvature": ({"ex6_code": _LIMIT.format(
        expr="2 * (1 + momentum) / float(np.min(h))")}, ["ex6_test_hessian"],
        ["the LARGEST h"]),
    "dropout_keep_probability": ({"ex7_code": _DROPOUT.format(
        eval_out="x.copy()", keep="rng.random(x.shape) < p", scale="keep / p")},
        ["ex7_test_statistics", "ex7_test_train", "ex7_test_gradients"],
        ["p is the DROP probability"]),
    "dropout_test_time_scaling": ({"ex7_code": _DROPOUT.format(
        eval_out="x * (1 - p)", keep="rng.random(x.shape) >= p", scale="keep * 1.0")},
        ["ex7_test_statistics", "ex7_test_train", "ex7_test_eval", "ex7_test_gradients"],
        ["scale during training, not at test time"]),
    "batchnorm_ddof1": ({"ex8_code": _bn(ddof=", ddof=1")},
                        ["ex8_test_train", "ex8_test_gradients"],
                        ["the batch variance must be the biased one"]),
    "batchnorm_no_eps": ({"ex8_code": _bn(denom="np.sqrt(var)")},
                         ["ex8_test_train", "ex8_test_eval", "ex8_test_gradients"],
                         ["eps is missing"]),
    "batchnorm_running_in_eval": ({"ex8_code": _bn(update_when="True")}, ["ex8_test_eval"],
                                  ["updates running_mean or running_var in eval mode"]),
    "batchnorm_dx_constant_stats": ({"ex8_code": _bn(dx="g * inv_std")},
                                    ["ex8_test_gradients"],
                                    ["treats the batch mean and variance as constants"]),
}
