"""The numbers lecture 12c's notebook states for its default run (the suite runs the notebook
with shorter training; these runs use the default lengths).  Each experiment is recomputed
through the public API exactly as the notebook does it."""

from contextlib import nullcontext

import numpy as np
import pytest

import dlcore as dl

pytestmark = [pytest.mark.lec12, pytest.mark.slow]


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # only speed is at stake
        limits = nullcontext()
    else:
        limits = threadpool_limits(1)
    with limits:
        yield


@pytest.fixture(scope="module")
def data():
    X, y, X_test, y_test = dl.data.digits(flatten=False)
    mu = dl.data.channel_mean(X)
    return X, y, dl.data.subtract_channel_mean(X, mu), dl.data.subtract_channel_mean(X_test, mu), \
        y_test, mu


def test_augmentation_on_200_digits(data):
    X, y, Xc, Xtc, yt, mu = data
    small = dl.data.class_subset(y, range(10), per_class=20, rng=0)
    augment = dl.data.Augment(max_shift=1, max_angle=10.0, noise_std=0.02)
    acc = {}
    for name, X_in, aug in (("plain", Xc, None), ("augmented", X, lambda xb, rng: (
            dl.data.subtract_channel_mean(augment(xb, rng), mu)))):
        model = dl.optim.digits_cnn(rng=0)
        h = dl.optim.train_model(model, X_in[small], y[small],
                                 dl.optim.Adam(model.parameters(), lr=0.002), num_epochs=100,
                                 batch_size=32, augment=aug, X_val=Xtc, y_val=yt, rng=0,
                                 progress=False)
        acc[name] = h.val_acc[-1]
    assert round(acc["plain"] * 450) == 425 and round(acc["augmented"] * 450) == 435  # 94.4, 96.7


def test_transfer_from_0_4_to_5_9():
    state, pre_acc = dl.optim.pretrain(num_epochs=10)
    task = dl.optim.transfer_task(per_class=5)
    acc = {m: dl.optim.transfer_run(task, state, mode=m, num_epochs=60)[1].val_acc[-1]
           for m in dl.optim.TRANSFER_MODES}
    assert round(pre_acc, 3) == 0.987
    assert [round(acc[m] * 225) for m in ("scratch", "finetune", "freeze")] == [204, 201, 201]


def test_schedules_rescue_a_rate_too_large(data):
    _, y, Xc, Xtc, yt, _ = data
    total, acc = 15 * 43, {}
    for name in ("constant", "cosine"):
        model = dl.optim.digits_cnn(rng=0)
        opt = dl.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
        h = dl.optim.train_model(model, Xc, y, opt, num_epochs=15, batch_size=32,
                                 scheduler=dl.optim.schedule(name, opt, total),
                                 step_every="batch", X_val=Xtc, y_val=yt, rng=0,
                                 progress=False)
        acc[name] = h.val_acc[-1]
    assert round(acc["constant"], 3) == 0.431 and round(acc["cosine"], 3) == 0.991


def test_batch_norm_at_two_learning_rates(data):
    _, y, Xc, Xtc, yt, _ = data
    acc = {}
    for lr in (0.05, 0.5):
        for bn in (False, True):
            model = dl.optim.deep_mlp(depth=5, width=64, batch_norm=bn, rng=0)
            h = dl.optim.train_model(model, Xc.reshape(-1, 64), y,
                                     dl.optim.SGD(model.parameters(), lr=lr), num_epochs=15,
                                     batch_size=32, drop_last=True, X_val=Xtc.reshape(-1, 64),
                                     y_val=yt, rng=0, progress=False)
            acc[lr, bn] = round(h.val_acc[-1], 3)
    assert acc == {(0.05, False): 0.24, (0.05, True): 0.978, (0.5, False): 0.836,
                   (0.5, True): 0.973}


def test_where_dropout_goes(data):
    _, y, Xc, Xtc, yt, _ = data
    small = dl.data.class_subset(y, range(10), per_class=20, rng=0)
    out = {}
    for label, (p_fc, p_conv) in {"none": (0.0, 0.0), "fc": (0.5, 0.0), "conv": (0.0, 0.5),
                                  "both": (0.5, 0.5)}.items():
        model = dl.optim.digits_cnn(hidden=128, dropout=p_fc, conv_dropout=p_conv, rng=0)
        h = dl.optim.train_model(model, Xc[small], y[small],
                                 dl.optim.Adam(model.parameters(), lr=0.002), num_epochs=60,
                                 batch_size=32, X_val=Xtc, y_val=yt, rng=0, progress=False)
        out[label] = (round(h.train_acc[-1], 3), round(h.val_acc[-1], 3))
    assert out == {"none": (1.0, 0.931), "fc": (0.995, 0.938), "conv": (0.94, 0.936),
                   "both": (0.875, 0.916)}
    assert np.argmax([out[k][1] for k in out]) == 1
