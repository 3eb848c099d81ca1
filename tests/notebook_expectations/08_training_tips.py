"""What lecture 8's notebook must reproduce, evaluated in its executed kernel.

The slides give no numbers here; the parameter count of the 3072-50-10 net (154,160) and the
batch norm of [1, 2, 3, 4] were computed independently of the notebook.  The training runs are
shortened (``PARAMETERS``); the bounds on them hold for those lengths and for the defaults.
The "your turn" section is checked as shipped (unanswered): its demo falls back to dlcore's
batch norm, whose moments are the closed forms beta and gamma sqrt(var / (var + eps)).
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {"ZERO_INIT_EPOCHS": 5, "SPIRAL_EPOCHS": 150}

INIT = "stats = {label: dl.nn.layer_activations"
SPIRALS = "trials = {label:"
WIDE, REG, SMALL = ("trials['width 64, λ = 0'][1]", "trials['width 64, λ = 1e-3'][1]",
                    "trials['width 2, λ = 0'][1]")
BN = "y_bias, _ = dl.layers.batchnorm_forward"
RUNNING = "bn = dl.nn.BatchNorm1d(3)"
YOURS = "bn_forward = result.or_reference()"

EXPECTATIONS = [
    # Section 1: the split of the 1,797 digits, standardised with training statistics.
    equal("X_tr.shape[0] + X_val.shape[0] + X_test.shape[0]", 1797),
    true("np.allclose(X_tr.mean(axis=0), 0)"),
    equal("slides_net.parameters", 154_160, why="(3072 + 1) * 50 + (50 + 1) * 10"),
    equal("[dl.nn.MLP([64, 50, 10]).num_parameters(), digits_net.parameters]", [3760, 3760]),
    # Section 2: zero weights keep the 50 hidden units identical.
    true("np.allclose(W1, W1[:1]) and np.allclose(W2, W2[:, :1])", after="W1, W2 = model"),
    # Too small vanishes, too large saturates, Xavier and He keep the scale.
    true("stats['N(0, 0.01²)'].std()[-1] < 1e-5", after=INIT),
    true("np.mean(np.abs(stats['N(0, 1)'].post[-1]) > 0.99) > 0.5", after=INIT),
    true("all(0.3 < stats[k].std()[-1] / stats[k].std()[0] < 3"
         " for k in ('Xavier normal', 'He normal, ReLU'))", after=INIT),
    true("abs(layer.weight.data.std() / np.sqrt(2 / 256) - 1) < 0.05", after=INIT,
         why="He-normal std sqrt(2 / 256) = 0.0884"),
    # Section 3: flat, good and diverging curves; a straight line at lr = 1e-6.
    equal("[dl.nn.loss_curve_verdict(lr_runs[r]) for r in (1e-6, 0.1, 10.0)]",
          ["flat", "good", "diverged"]),
    true("np.ptp(drops) < 0.05 * drops.mean()"),
    # Section 4: L2 penalty and weight decay.
    close("R", 0.1 / 2 * (1 + 4 + 0.25 + 9), atol=1e-12, after="l2_penalty_forward"),
    true("all(np.allclose(d, lam * w) for d, w in zip(dW, W))", after="l2_penalty_forward"),
    true("np.allclose(layer.weight.data, before - 0.5 * (0.3 + lam * before))",
         after="l2_penalty_forward"),
    # Over- and underfitting on the spirals (with the suite's 150 epochs, and with 500).
    true(f"{WIDE}.val_loss[-1] > 1.25 * min({WIDE}.val_loss)", after=SPIRALS,
         why="overfitting: the validation loss turned up"),
    true(f"{REG}.val_loss[-1] < {WIDE}.val_loss[-1]", after=SPIRALS,
         why="weight decay helps"),
    true(f"{SMALL}.train_acc[-1] < 0.75", after=SPIRALS, why="underfitting"),
    # Section 5: keep probabilities 0.5 and 0.8 are torch's p = 0.5 and 0.2; 2^10 masks.
    equal("p", {"hidden": 0.5, "input": 0.2}, after="keep = {"),
    equal("len(masks)", 1024, after="keep = {"),
    true("np.allclose(out.mean(axis=0), h[0], rtol=0.02) and np.array_equal(evaluation, h)",
         after="keep_train = "),
    true("np.allclose(keep_train.mean(axis=0), keep_test, rtol=0.02)", after="keep_train = "),
    close("[np.mean(intended > 0), np.mean(copied > 0)]", [0.8, 0.2], atol=0.02,
          why="Dropout(0.8) keeps a fifth of the inputs, not four fifths"),
    # Section 6: batch norm of [1, 2, 3, 4] (eps = 0), then gamma = 2, beta = 1.
    close("z_hat.ravel()", [-1.341641, -0.447214, 0.447214, 1.341641], atol=5e-7, after=BN),
    close("y.ravel()", [-1.683282, 0.105573, 1.894427, 3.683282], atol=5e-7, after=BN),
    true("np.allclose(y_bias, y)", after=BN, why="a bias before batch norm changes nothing"),
    close("[y.mean(), y.std()]", [1.0, 2.0], atol=1e-9, after=BN,
          why="mean beta, std gamma: gamma scales, beta shifts"),
    true("result.ok", after="dl.layers.batchnorm_backward,"),
    true("np.allclose(bn.running_mean, 0.1 * batch.mean(axis=0))", after=RUNNING),
    true("np.allclose(bn.running_var, 0.9 + 0.1 * batch.var(axis=0, ddof=1))", after=RUNNING),
    true("np.allclose(eval_out, (batch - bn.running_mean) / np.sqrt(bn.running_var + 1e-5))",
         after=RUNNING),
    true("np.allclose(out.mean(axis=(0, 2, 3)), 0)"
         " and np.allclose(out.var(axis=(0, 2, 3)), 1, atol=1e-4)", after="bn2 = "),
    true("bn2.weight.shape == (3,) and bn2.num_parameters() == 6", after="bn2 = "),
    # Section 7 (your turn, unanswered): the demo uses dlcore's batch norm.
    true("not result and bn_forward is dl.selfcheck.exercises()['08.7'].checker.reference",
         after=YOURS, why="an unwritten my_batchnorm_forward falls back to dlcore's"),
    true("np.allclose(y_two.mean(axis=0), [0.0, 3.0])", after=YOURS, why="the means are beta"),
    true("np.allclose(y_two.std(axis=0), [1.0, 0.5] * np.sqrt(z_two.var(axis=0)"
         " / (z_two.var(axis=0) + 1e-5)))", after=YOURS,
         why="the stds are gamma sqrt(var / (var + eps))"),
    true("0.45 < y_two.std(axis=0)[1] < 0.49", after=YOURS,
         why="the narrative: a little below gamma = 0.5, because eps is a tenth of the variance"),
    # Section 8: a 64-12-64 autoencoder trained on the pixels alone (inputs as targets) beats
    # the average training digit by more than a factor of 3 on the test digits
    equal("[autoencoder.num_parameters(), ae_history.epochs]",
          [(64 + 1) * 12 + (12 + 1) * 64, 50], why="AUTOENCODER_EPOCHS = 50"),
    true("ae_history.train_loss[-1] < ae_history.train_loss[0] / 3",
         why="the reconstruction error falls during training"),
    true("ae_error < mean_digit_error / 3", why="12 numbers keep most of a digit"),
]
