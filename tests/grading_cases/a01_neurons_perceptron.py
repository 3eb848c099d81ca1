"""Catalogued answers for A1: each wrong one gets its expected partial score and hint, and
the other valid thresholds of exercise 1 get full marks."""

ASSIGNMENT = "a01_neurons_perceptron"

_MP = '''
def mp_neuron(x, threshold, inhibitory=()):
    x = np.asarray(x)
    if any(x[i] == 1 for i in inhibitory):
        return 0
    return int(x.sum() {op} threshold)

THETA_AND = {theta_and}
THETA_OR = {theta_or}
'''


def _mp(op=">=", theta_and=7, theta_or=1):
    return _MP.format(op=op, theta_and=theta_and, theta_or=theta_or)


_STEP = '''
def perceptron_step(w, x, y):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    {body}
'''

_TRAIN_NO_BIAS = '''
def train_perceptron(X, y, max_epochs=100):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            new_w = perceptron_step(w, x_i, y_i)
            mistakes += int(not np.array_equal(new_w, w))
            w = new_w
        errors.append(mistakes)
        if mistakes == 0:
            return w, errors
    warnings.warn("did not converge")
    return w, errors
'''

_TOWER = '''
def tower_weights(a, b, c, k, m1, m2):
    w1 = np.array([[k], [k]], dtype=float)
    b1 = np.array([-k * m1, -k * m2], dtype=float)
    return w1, b1, np.array([[a - b, c - b]], dtype=float), np.array([b], dtype=float)
'''

# name -> (cell replacements, failing test cells, hint substrings expected in the feedback)
VARIANTS = {
    "strict_gt": ({"ex1_code": _mp(op=">")}, ["ex1_test_values"],
                  ["strictly greater than the threshold"]),
    # Thresholds are graded by the truth table they give: every theta in (6, 7] is AND and
    # every theta in (0, 1] is OR, so these get full marks.
    "theta_6_5": ({"ex1_code": _mp(theta_and=6.5, theta_or=0.5)}, [], []),
    "theta_near_edges": ({"ex1_code": _mp(theta_and=6.01, theta_or=1.0)}, [], []),
    "theta_for_strict_unit": ({"ex1_code": _mp(theta_and=6, theta_or=1)},
                              ["ex1_test_thresholds"],
                              ["fires when at least 6 of the 7 inputs are on",
                               "not only when it is strictly greater"]),
    "theta_swapped": ({"ex1_code": _mp(theta_and=1, theta_or=7)}, ["ex1_test_thresholds"],
                      ["fires as soon as one input is on: that is OR"]),
    "np_sign": ({"ex2_code": _STEP.format(
        body="return w + y * x if np.sign(w @ x) != y else w.copy()")},
        ["ex2_test"], ["np.sign(0) is 0"]),
    "always_update": ({"ex2_code": _STEP.format(body="return w + y * x")},
                      ["ex2_test", "ex3_test_separable"], ["update only on a mistake"]),
    "no_bias_feature": ({"ex3_code": _TRAIN_NO_BIAS}, ["ex3_test_separable"],
                        ["append a constant-1 feature"]),
    "or_not_xor": ({"ex4_code": "W1 = np.array([[1.0, 1.0], [1.0, 1.0]])\n"
                                "b1 = np.array([-0.5, -1.5])\nw2 = np.array([1.0, 0.0])\n"
                                "b2 = -0.5"}, ["ex4_test"], ["computes OR, not XOR"]),
    "counts_without_biases": ({"ex5_code": "def mlp_counts(sizes):\n    sizes = list(sizes)\n"
                               "    n = sum(sizes[1:])\n    w = sum(a * b for a, b in "
                               "zip(sizes[:-1], sizes[1:]))\n    return n, w, w"},
                              ["ex5_test"], ["short by one bias per non-input neuron"]),
    "plateau_c": ({"ex6_code": _TOWER + "\nPLATEAU_RIGHT = 4"}, ["ex6_test_plateau"],
                  ["that is c"]),
}
