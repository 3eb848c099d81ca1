"""dl.optim.train_model and the networks and transfer task of lecture 12c: frozen layers stay
fixed, a scheduled run follows PyTorch's loss curve, augmentation leaves the batch order alone,
and drop_last drops the short batch."""

from collections import OrderedDict

import numpy as np
import pytest

import dlcore as dl

torch = pytest.importorskip("torch")
tnn = torch.nn

pytestmark = pytest.mark.lec12


@pytest.fixture(scope="module")
def digits():
    return dl.data.digits(flatten=False)


def _twin(channels=(4, 8)):
    c1, c2 = channels
    return tnn.Sequential(OrderedDict([
        ("conv1", tnn.Conv2d(1, c1, 3, padding=1)), ("relu1", tnn.ReLU()),
        ("pool1", tnn.MaxPool2d(2)), ("conv2", tnn.Conv2d(c1, c2, 3, padding=1)),
        ("relu2", tnn.ReLU()), ("pool2", tnn.MaxPool2d(2)), ("flatten", tnn.Flatten()),
        ("head", tnn.Linear(c2 * 4, 10))])).double()


def test_a_scheduled_run_follows_torch(digits):
    X, y = digits.X_train[:96], digits.y_train[:96]
    model = dl.optim.digits_cnn(channels=(4, 8), rng=0)
    twin = _twin()
    twin.load_state_dict(OrderedDict((k, torch.tensor(v)) for k, v in model.state_dict().items()))
    opt = dl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    hist = dl.optim.train_model(model, X, y, opt, num_epochs=3, batch_size=16,
                                scheduler=dl.optim.StepLR(opt, step_size=5, gamma=0.5),
                                step_every="batch", rng=0, progress=False)
    topt = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
    tsched = torch.optim.lr_scheduler.StepLR(topt, step_size=5, gamma=0.5)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    losses, rates = [], []
    for epoch in dl.nn.batch_order(len(y), 16, 3, rng=0):
        total = 0.0
        for idx in epoch:
            rates.append(topt.param_groups[0]["lr"])
            topt.zero_grad()
            loss = tnn.functional.cross_entropy(twin(Xt[idx]), yt[idx])
            loss.backward()
            topt.step()
            tsched.step()
            total += loss.item() * len(idx)
        losses.append(total / len(y))
    np.testing.assert_allclose(hist.batch_lr, rates, rtol=1e-12)
    np.testing.assert_allclose(hist.train_loss, losses, rtol=1e-9)
    assert hist.lr == [rates[0], rates[6], rates[12]]


def test_frozen_layers_never_change_and_the_rest_learns(digits):
    task = dl.optim.transfer_task(per_class=3)
    state, _ = dl.optim.pretrain(num_epochs=1)
    model, hist = dl.optim.transfer_run(task, state, mode="freeze", num_epochs=3)
    for name in ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"):
        np.testing.assert_array_equal(model.state_dict()[name], state[name])
    fresh = dl.optim.digits_cnn(5, rng=np.random.default_rng([0, 1]))
    assert not np.allclose(model.head.weight.data, fresh.head.weight.data)
    assert len(hist.val_acc) == 3 and len(task.y_test) == 225
    tuned, _ = dl.optim.transfer_run(task, state, mode="finetune", num_epochs=3)
    assert not np.array_equal(tuned.conv1.weight.data, state["conv1.weight"])
    scratch, _ = dl.optim.transfer_run(task, state, mode="scratch", num_epochs=1)
    assert not np.allclose(scratch.conv1.weight.data, state["conv1.weight"])


def test_freezing_matches_torch_requires_grad(digits):
    """Frozen conv layers in dlcore = requires_grad_(False) in torch: same head, same losses."""
    X, y = digits.X_train[:64], digits.y_train[:64]
    model = dl.optim.digits_cnn(channels=(4, 8), rng=1)
    twin = _twin()
    twin.load_state_dict(OrderedDict((k, torch.tensor(v)) for k, v in model.state_dict().items()))
    params = dl.optim.trainable_parameters(model, ["conv1", "conv2"])
    assert len(params) == 2
    hist = dl.optim.train_model(model, X, y, dl.optim.Adam(params, lr=0.01), num_epochs=2,
                                batch_size=16, rng=0, progress=False)
    for name in ("conv1", "conv2"):
        getattr(twin, name).requires_grad_(False)
    topt = torch.optim.Adam([p for p in twin.parameters() if p.requires_grad], lr=0.01)
    for epoch in dl.nn.batch_order(64, 16, 2, rng=0):
        for idx in epoch:
            topt.zero_grad()
            tnn.functional.cross_entropy(twin(torch.tensor(X[idx])),
                                         torch.tensor(y[idx])).backward()
            topt.step()
    np.testing.assert_allclose(model.head.weight.data, twin.head.weight.detach().numpy(),
                               rtol=1e-9, atol=1e-12)
    assert len(hist.train_loss) == 2


def test_augmentation_keeps_the_batch_order_and_drop_last_drops_the_short_batch(digits):
    X, y = digits.X_train[:70], digits.y_train[:70]

    def run(**kw):
        model = dl.optim.digits_cnn(channels=(2, 2), rng=0)
        return dl.optim.train_model(model, X, y, dl.optim.SGD(model.parameters(), lr=0.05),
                                    num_epochs=2, batch_size=32, rng=0, progress=False, **kw)

    plain = run()
    same = run(augment=lambda xb, rng: xb)        # an augmentation that changes nothing
    assert plain.train_loss == same.train_loss
    a, b = run(augment=dl.data.Augment()), run(augment=dl.data.Augment())
    assert a.train_loss == b.train_loss != plain.train_loss
    assert len(plain.batch_lr) == 6 and len(run(drop_last=True).batch_lr) == 4


def test_trainable_parameters_and_bad_input(digits):
    model = dl.optim.digits_cnn(rng=0)
    assert sum(p.size for p in dl.optim.trainable_parameters(model, ["conv1", "conv2"])) == 2570
    assert len(dl.optim.trainable_parameters(model)) == 6
    with pytest.raises(ValueError, match="sub-module the model does not have: 'conv3'"):
        dl.optim.trainable_parameters(model, ["conv3"])
    opt = dl.optim.SGD(model.parameters(), lr=0.1)
    other = dl.optim.SGD(dl.optim.digits_cnn(rng=1).parameters(), lr=0.1)
    with pytest.raises(ValueError, match="scheduler must be built on this optimizer"):
        dl.optim.train_model(model, digits.X_train[:8], digits.y_train[:8], opt, num_epochs=1,
                             scheduler=dl.optim.StepLR(other, 2))
    with pytest.raises(TypeError, match="augment must be a function"):
        dl.optim.train_model(model, digits.X_train[:8], digits.y_train[:8], opt, num_epochs=1,
                             augment="shift")
    with pytest.raises(ValueError, match="pretrained=dl.optim.pretrain"):
        dl.optim.transfer_run(dl.optim.transfer_task(1), None, mode="finetune", num_epochs=1)
    with pytest.raises(ValueError, match="give hidden"):
        dl.optim.digits_cnn(dropout=0.5)


def test_deep_mlp_layers():
    plain = dl.optim.deep_mlp(depth=3, width=8, rng=0)
    normed = dl.optim.deep_mlp(depth=3, width=8, batch_norm=True, rng=0)
    assert len(plain) == 7 and len(normed) == 10
    assert sum(isinstance(m, dl.nn.BatchNorm1d) for m in normed) == 3
    assert normed(np.ones((4, 64))).shape == (4, 10)
