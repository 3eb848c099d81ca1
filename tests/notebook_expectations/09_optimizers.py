"""What lecture 9's notebook must reproduce, evaluated in its executed kernel.

Expected values are the course map's worked examples (L09: gradient descent and momentum on
E = w^2, the stability limits 2 and 2(1 + beta)), closed forms written out here (the
ascent 1.2^t, Nesterov's iterates by hand, Adagrad's and RMSProp's steps, Adam's first step, the
valley's Hessian R diag(1, 50) R^T with R a 30-degree rotation, the contraction factor
1 - eta mean(x^2) of batch descent on the linear toy) and the bounds the teaching cells used
to assert.  The training run is checked at the suite's length (NUM_EPOCHS = 4).  The "your
turn" section is checked as shipped (unanswered): its demo falls back to dlcore's Adam step,
whose 20 steps on E = c w^2 / 2 are written out here.
"""

import numpy as np

from tests.notebook_checks import close, equal, true

PARAMETERS = {"NUM_EPOCHS": 4}

_C, _S, _KAPPA = np.cos(np.pi / 6), np.sin(np.pi / 6), 50.0
_VALLEY_HESSIAN = [[_C * _C + _KAPPA * _S * _S, _C * _S * (1 - _KAPPA)],
                   [_C * _S * (1 - _KAPPA), _S * _S + _KAPPA * _C * _C]]  # 13.25, -21.2176, 37.75



def _adam_w20(c, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    """w after 20 Adam steps from w = 1 on E = c w^2 / 2, written out."""
    w, m, v = 1.0, 0.0, 0.0
    for t in range(1, 21):
        g = c * w
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        w -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return w


_SCALES = (0.001, 1.0, 1000.0)

EXPECTATIONS = [
    # 1. the update rule and its sign
    close("gd", [1.0, 0.8, 0.64, 0.512], atol=1e-8, rtol=1e-5, after="grad_E = lambda w",
          why="E = w^2, w0 = 1, eta = 0.1: each step multiplies w by 0.8"),
    close("ascent", [1.0, 1.2, 1.44, 1.728], atol=1e-8, rtol=1e-5,
          why="with a '+' each step multiplies w by 1.2 (gradient ascent)"),
    # 2. batch vs stochastic gradient descent on the linear toy
    true("errors['batch GD'][-1] < 1e-12", why="batch GD reaches w* to machine precision"),
    true("errors['SGD, constant η'][-100:].mean() > 1e-3",
         why="SGD with a constant step keeps hovering around w*"),
    true("errors['SGD, η_t = η/(1 + t/20)'][-100:].mean()"
         " < errors['SGD, constant η'][-100:].mean() / 3",
         why="decaying steps end at least three times closer"),
    close("factor", 1 - 0.01 * (100 + 4 + 12.25 + 1) / 4,
          atol=1e-6, why="the slip box's contraction factor 0.7069 = 1 - eta mean(x^2)"),
    # 3. momentum
    close("delta_form", [1.0, 0.8, 0.46, 0.062, -0.3086], atol=1e-8, rtol=1e-5,
          why="the course map's momentum iterates"),
    close("velocity_form", [1.0, 0.8, 0.46, 0.062, -0.3086], atol=1e-8, rtol=1e-5,
          why="PyTorch's velocity form gives the same iterates"),
    close("gd[:4]", [1.0, 0.8, 0.64, 0.512], atol=1e-8, rtol=1e-5, after="[1.0], 40, lr=eta)",
          why="plain descent with the same eta"),
    close("mom.min()", -0.708974, atol=5e-3, why="the narrative's 'momentum's -0.71'"),
    # 4. the Hessian and the stability limits
    close("H", _VALLEY_HESSIAN, atol=1e-4, why="Hessian of 0.5 (u^2 + 50 v^2), axes at 30 degrees"),
    close("curvatures", [1.0, 50.0], atol=1e-5, why="its eigenvalues are the curvatures"),
    close("limits['gd'] * 2.0", 2.0, atol=1e-12, why="GD is stable iff 0 < eta h < 2"),
    close("limits['momentum'] * 2.0", 2 * (1 + 0.9), rtol=1e-9,
          why="heavy ball is stable iff 0 < eta h < 2 (1 + beta)"),
    close("limits['nag'] * 2.0", 2 * (1 + 0.9) / (1 + 2 * 0.9), rtol=1e-9,
          why="Nesterov is stable iff 0 < eta h < 2 (1 + beta) / (1 + 2 beta)"),
    true("final['gd'][0] < 1e-3 and final['gd'][1] > 1e3", why="just below / above GD's limit"),
    true("final['momentum'][0] < 1e-3 and final['momentum'][1] > 1e3",
         why="just below / above the heavy-ball limit"),
    true("final['nag'][0] < 1e-3 and final['nag'][1] > 1e3", why="just below / above NAG's limit"),
    # 5. Nesterov
    close("lecture[:4]", [1.0, 0.8, 0.496, 0.17792], atol=1e-8, rtol=1e-5,
          why="u_t = gamma u + eta grad(w - gamma u) on E = w^2, by hand"),
    true("np.allclose(recovered, lecture)", why="torch's theta_t are the look-ahead points"),
    true("nag.min() > mom.min() and abs(nag[-1]) < abs(mom[-1])",
         why="Nesterov overshoots less and ends closer to 0"),
    close("nag.min()", -0.415718, atol=5e-3, why="the narrative's 'about -0.42'"),
    # 6. adaptive methods
    close("step_adagrad", 0.1 / np.sqrt(100), atol=1e-8, rtol=1e-5),
    close("step_rmsprop", 0.1 / np.sqrt(1 - 0.99 ** 100), atol=1e-8, rtol=1e-5),
    close("-theta1", [0.1, 0.1], rtol=1e-5, why="Adam's bias-corrected first step is about eta"),
    close("uncorrected / 0.1", [0.1 / np.sqrt(0.001)] * 2, rtol=1e-4,
          why="without the corrections the first step is 3.16 eta"),
    # 7. torch.optim
    equal("torch_defaults", {"momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False}),
    equal("our_defaults", {"momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False}),
    equal("len(largest_difference)", 7),
    true("max(largest_difference.values()) < 1e-12", why="dl.optim takes torch.optim's steps"),
    # 8. races
    true("gaps['momentum'][-1] < gaps['gd'][-1] and gaps['nag'][-1] < gaps['gd'][-1]",
         why="heavy-ball methods beat GD on the turned valley"),
    true("escape['adagrad'] < escape['gd'] and escape['rmsprop'] < escape['gd']",
         after='race("saddle")', why="adaptive methods leave the ridge first"),
    true("all(abs(abs(p[-1, 1]) - np.sqrt(2)) < 0.05 for p in paths.values())",
         after='race("saddle")', why="every optimizer ends in a well at y = +-sqrt(2)"),
    true("np.linalg.norm(paths['momentum'][-1]) < 1e-2 and np.linalg.norm(paths['gd'][-1]) > 1",
         after='race("bumpy")', why="momentum rolls to the global minimum, GD stops early"),
    # 9. training (NUM_EPOCHS = 4 in the suite)
    equal("[len(c) for c in curves.values()]", [4, 4, 4], why="the parameters cell is used"),
    true("all(np.all(np.isfinite(c)) and c[-1] < c[0] for c in curves.values())"),
    true("curves['SGD + momentum 0.9, η = 0.05'][-1] < curves['SGD, η = 0.05'][-1] and "
         "curves['Adam, η = 0.005'][-1] < curves['SGD, η = 0.05'][-1]",
         why="the plot's claim: momentum and Adam lower the loss faster"),
    true("test_accuracy['SGD + momentum 0.9, η = 0.05'] > 0.85 and "
         "test_accuracy['Adam, η = 0.005'] > 0.85 and test_accuracy['SGD, η = 0.05'] > 0.5"),
    # 10. your turn (shipped unanswered: the demo uses dlcore's Adam step)
    true("not result and adam_step is dl.selfcheck.exercises()['09.8'].checker.reference",
         after="adam_step = result.or_reference()",
         why="an unwritten my_adam_step falls back to dlcore's Adam step"),
    close("[adam_end[c] for c in (0.001, 1.0, 1000.0)]", [_adam_w20(c) for c in _SCALES],
          atol=1e-9, rtol=1e-9, after="adam_step = result.or_reference()",
          why="20 Adam steps with bias correction, written out"),
    close("[gd_end[c] for c in (0.001, 1.0, 1000.0)]", [(1 - 0.1 * c) ** 20 for c in _SCALES],
          rtol=1e-9, after="adam_step = result.or_reference()",
          why="gradient descent multiplies w by 1 - eta c per step"),
]
