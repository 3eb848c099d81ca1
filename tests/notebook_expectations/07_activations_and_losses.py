"""What lecture 7's notebook must reproduce, evaluated in its executed kernel.

The slides give formulas only; the values below were computed independently (sigma(2),
tanh(2), tanh'(2), the four losses at (0.3, 1), softmax([2, 1, 0.1]) and its cross-entropy).
The mean outputs on N(0, 1) inputs are exact expectations: E[max(z, 0)] = 1/sqrt(2 pi)
= 0.398942, and leaky ReLU with alpha = 0.01 gives 0.99 / sqrt(2 pi) = 0.394953.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {}  # nothing trains here

SLOPE = "slope = dl.activations.sigmoid_backward"
GRADS = "dlogits_expected ="
LOSSES = "zero_one_prob = "
SOFTMAX = "naive = np.exp(big)"

EXPECTATIONS = [
    # Section 1: three values of the activations.
    close("[s2, t2, dt2]", [0.880797, 0.964028, 0.070651], atol=5e-7),
    # sigma' <= 1/4, reached at 0; the factor per layer is |w| sigma'(z) <= |w| / 4.
    true("slope.max() <= 0.25", after=SLOPE),
    close("slope.max()", 0.25, atol=1e-8, after=SLOPE),
    close("[abs(w) * slope.max() for w in (0.5, 1.0, 6.0)]", [0.125, 0.25, 1.5], atol=1e-9,
          after=SLOPE, why="only weights of norm <= 1 guarantee a factor <= 1/4 per layer"),
    true("identity_gap < 1e-12", after=SLOPE, why="tanh z = 2 sigma(2z) - 1"),
    # Zero-centring: all-positive inputs give weight gradients of one sign.
    true("np.all(x > 0) and np.all(np.sign(dw) == np.sign(delta))", after="dw = delta * x"),
    # Mean output on symmetric inputs: leaky ReLU is not zero-centred.
    close("mean_out['leaky ReLU']", 0.394953, atol=3e-3, after="mean_out = ",
          why="0.99 / sqrt(2 pi): far from 0, almost ReLU's 0.3989"),
    close("mean_out['ReLU']", 0.398942, atol=3e-3, after="mean_out = "),
    close("[mean_out['tanh'], mean_out['sigmoid']]", [0.0, 0.5], atol=3e-3,
          after="mean_out = "),
    # Section 2: through five sigmoid layers the gradient shrinks; tanh and ReLU keep it.
    true("stats['sigmoid'].weight_grad_std[0] < 0.05 * stats['sigmoid'].weight_grad_std[-1]",
         after="stats = {}"),
    true("all(stats[n].weight_grad_std[0] > 0.5 * stats[n].weight_grad_std[-1]"
         " for n in ('tanh', 'relu'))", after="stats = {}"),
    # Section 3: fused losses send prediction minus target back.
    true("np.allclose(dz, (dl.activations.sigmoid(z) - y) / z.size)", after=GRADS),
    true("np.allclose(dlogits, (dl.activations.softmax(logits)"
         " - dl.data.one_hot(labels, 3)) / 2)", after=GRADS),
    # Section 4: the four losses at (y_hat, y) = (0.3, 1).
    close("[l1, l2, hinge]", [0.7, 0.49, 0.7], atol=1e-12, after=LOSSES),
    equal("[float(zero_one_score), float(zero_one_prob)]", [0.0, 1.0], after=LOSSES,
          why="0 as a score, 1 as a probability"),
    # Section 5: stable softmax and cross-entropy.
    close("p", [0.659001, 0.242433, 0.098566], atol=5e-7, after=SOFTMAX),
    true("np.all(np.isnan(naive)) and np.allclose(stable, p)", after=SOFTMAX),
    close("ce_sum", 0.417030, atol=5e-7, after="ce_fused = "),
    true("np.isclose(ce_fused, ce_sum)", after="ce_fused = "),
    # Section 6 (your turn), shipped unanswered: the checks fail gracefully, the descent runs
    # on dlcore's functions; -log softmax([2, 1, 0.1])[2] = 2.317030.
    true("not ce_check and not grad_check", after="grad_check = dl.check"),
    true("cross_entropy is dl.selfcheck.lec07.cross_entropy and "
         "cross_entropy_grad is dl.selfcheck.lec07.cross_entropy_grad", after="descent = []"),
    close("descent[0]", 2.317030, atol=5e-7, after="descent = []"),
    true("all(a > b for a, b in zip(descent, descent[1:]))", after="descent = []",
         why="every gradient step lowers the loss"),
    close("logits.sum()", 3.1, atol=1e-12, after="descent = []",
          why="each row of the gradient sums to 0"),
]
