"""dlcore.nn.fit, predict, accuracy, batch_order and History, checked against torch training loops.

A torch model loaded with the same initial weights (state_dict), trained by torch.optim on
the same batch order, must follow the same per-epoch loss curve (float64, relative 1e-8).
"""

import numpy as np
import pytest

import dlcore.nn as nn
from dlcore import losses, optim
from dlcore.data import moons
from dlcore.gradcheck import rel_error

torch = pytest.importorskip("torch")
tnn = torch.nn

pytestmark = pytest.mark.lec06


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # Tiny float64 ops: thread hand-off dominates, and on a shared machine it is ~20x slower.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def to_torch_state(state):
    return {k: torch.as_tensor(np.array(v)) for k, v in state.items()}


def torch_fit(model, make_opt, X, y, loss_fn, order):
    """The reference loop: zero_grad, forward, loss, backward, step on the given batches."""
    Xt, yt = torch.tensor(X), torch.tensor(y)
    opt = make_opt(model.parameters())
    curve = []
    for epoch in order:
        model.train()
        total = 0.0
        for idx in epoch:
            idx = torch.as_tensor(idx)
            opt.zero_grad()
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        curve.append(total / len(X))
    return np.array(curve)


@pytest.fixture(scope="module")
def moons_split():
    X, y = moons(n_samples=400, noise=0.1, seed=0)
    perm = np.random.default_rng(0).permutation(len(X))
    train, test = perm[:300], perm[300:]
    return X[train], y[train], X[test], y[test]


@pytest.mark.lec05
@pytest.mark.parametrize("opt_name", ["adam", "sgd_momentum"])
def test_fit_moons_accuracy_and_same_loss_curve_as_torch(opt_name, moons_split):
    X, y, X_test, y_test = moons_split
    model = nn.MLP([2, 16, 16, 2], activation="relu", rng=0)
    torch_model = tnn.Sequential(tnn.Linear(2, 16), tnn.ReLU(), tnn.Linear(16, 16), tnn.ReLU(),
                                 tnn.Linear(16, 2)).double()
    torch_model.load_state_dict(to_torch_state(model.state_dict()))
    if opt_name == "adam":
        opt = optim.Adam(model.parameters(), lr=0.01)
        make_opt = lambda p: torch.optim.Adam(p, lr=0.01)  # noqa: E731
    else:
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        make_opt = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)  # noqa: E731
    epochs, batch = 60, 32
    history = nn.fit(model, X, y, optimizer=opt, num_epochs=epochs, batch_size=batch,
                     X_val=X_test, y_val=y_test, progress=False, rng=3)
    assert nn.accuracy(model, X_test, y_test) >= 0.97
    assert history.val_acc[-1] == nn.accuracy(model, X_test, y_test)
    order = nn.batch_order(len(X), batch, epochs, rng=3)
    expected = torch_fit(torch_model, make_opt, X, y, tnn.CrossEntropyLoss(), order)
    assert len(history.train_loss) == epochs
    assert np.max(np.abs(np.array(history.train_loss) / expected - 1)) < 1e-8
    for key, value in torch_model.state_dict().items():
        assert rel_error(model.state_dict()[key], value.numpy()) < 1e-8, key


def test_fit_default_sgd_full_batch_matches_torch(moons_split):
    X, y, _, _ = moons_split
    model = nn.MLP([2, 8, 2], activation="tanh", rng=1)
    torch_model = tnn.Sequential(tnn.Linear(2, 8), tnn.Tanh(), tnn.Linear(8, 2)).double()
    torch_model.load_state_dict(to_torch_state(model.state_dict()))
    history = nn.fit(model, X, y, lr=0.5, num_epochs=40, progress=False)
    order = [[np.arange(len(X))]] * 40
    expected = torch_fit(torch_model, lambda p: torch.optim.SGD(p, lr=0.5), X, y,
                         tnn.CrossEntropyLoss(), order)
    assert np.max(np.abs(np.array(history.train_loss) / expected - 1)) < 1e-8
    assert expected[-1] < 0.5 * expected[0]  # it did learn something


@pytest.mark.lec08
def test_fit_with_batchnorm_matches_torch(moons_split):
    X, y, _, _ = moons_split
    model = nn.Sequential(nn.Linear(2, 12, rng=4), nn.BatchNorm1d(12), nn.ReLU(),
                          nn.Linear(12, 2, rng=5))
    torch_model = tnn.Sequential(tnn.Linear(2, 12), tnn.BatchNorm1d(12), tnn.ReLU(),
                                 tnn.Linear(12, 2)).double()
    torch_model.load_state_dict(to_torch_state(model.state_dict()))
    history = nn.fit(model, X, y, lr=0.2, num_epochs=15, batch_size=64, progress=False, rng=9)
    order = nn.batch_order(len(X), 64, 15, rng=9)
    expected = torch_fit(torch_model, lambda p: torch.optim.SGD(p, lr=0.2), X, y,
                         tnn.CrossEntropyLoss(), order)
    assert np.max(np.abs(np.array(history.train_loss) / expected - 1)) < 1e-8
    for key in ("1.running_mean", "1.running_var", "1.num_batches_tracked"):
        assert rel_error(model.state_dict()[key], torch_model.state_dict()[key].numpy()) < 1e-8


@pytest.mark.parametrize("loss, torch_loss, width", [
    ("bce_with_logits", tnn.BCEWithLogitsLoss(), 1),
    ("mse", tnn.MSELoss(), 1),
    ("squared_error", lambda out, target: 0.5 * torch.sum((out - target) ** 2), 1),
    ("mse", tnn.MSELoss(), 2),
])
def test_fit_other_losses_match_torch(loss, torch_loss, width, moons_split):
    X, y, _, _ = moons_split
    if width == 1:
        target = y.astype(float)  # (N,) targets for a (N, 1) output
        t_target = target[:, None]
    else:
        target = t_target = np.stack([X[:, 0] * X[:, 1], np.sin(X[:, 0])], axis=1)
    model = nn.MLP([2, 8, width], activation="sigmoid", rng=2)
    torch_model = tnn.Sequential(tnn.Linear(2, 8), tnn.Sigmoid(), tnn.Linear(8, width)).double()
    torch_model.load_state_dict(to_torch_state(model.state_dict()))
    lr = 0.001 if loss == "squared_error" else 0.3
    history = nn.fit(model, X, target, loss=loss, lr=lr, num_epochs=10, batch_size=50,
                     progress=False, rng=1)
    order = nn.batch_order(len(X), 50, 10, rng=1)
    expected = torch_fit(torch_model, lambda p: torch.optim.SGD(p, lr=lr), X, t_target,
                         torch_loss, order)
    assert np.max(np.abs(np.array(history.train_loss) / expected - 1)) < 1e-8
    assert bool(history.train_acc) == (loss == "bce_with_logits")


def test_fit_custom_loss_pair_equals_named_loss(moons_split):
    X, y, _, _ = moons_split
    a, b = nn.MLP([2, 6, 2], rng=0), nn.MLP([2, 6, 2], rng=0)
    pair = (losses.softmax_cross_entropy_forward, losses.softmax_cross_entropy_backward)
    named = nn.fit(a, X, y, num_epochs=5, batch_size=100, progress=False, rng=2)
    custom = nn.fit(b, X, y, loss=pair, num_epochs=5, batch_size=100, progress=False, rng=2)
    assert named.train_loss == custom.train_loss
    assert named.train_acc and not custom.train_acc


def test_batch_order_is_seeded_and_covers_every_sample():
    order = nn.batch_order(10, batch_size=4, num_epochs=3, rng=0)
    assert len(order) == 3
    for epoch in order:
        assert [len(b) for b in epoch] == [4, 4, 2]
        assert sorted(np.concatenate(epoch)) == list(range(10))
    assert not np.array_equal(np.concatenate(order[0]), np.concatenate(order[1]))
    again = nn.batch_order(10, batch_size=4, num_epochs=3, rng=0)
    assert all(np.array_equal(p, q) for e, f in zip(order, again) for p, q in zip(e, f))
    ordered = nn.batch_order(10, batch_size=4, num_epochs=1, shuffle=False)
    assert np.array_equal(np.concatenate(ordered[0]), np.arange(10))
    gen = np.random.default_rng(0)
    full = nn.batch_order(10, batch_size=None, num_epochs=2, rng=gen)
    assert all(np.array_equal(e[0], np.arange(10)) for e in full)
    assert gen.random() == np.random.default_rng(0).random()  # full batch draws nothing


def test_fit_is_deterministic_given_rng(moons_split):
    X, y, _, _ = moons_split
    runs = []
    for seed in (5, 5, 6):
        model = nn.MLP([2, 6, 2], rng=0)
        runs.append(nn.fit(model, X, y, num_epochs=3, batch_size=16, progress=False,
                           rng=seed).train_loss)
    assert runs[0] == runs[1] and runs[0] != runs[2]


def test_history_repr_and_as_dict(moons_split):
    X, y, X_test, y_test = moons_split
    model = nn.MLP([2, 6, 2], rng=0)
    history = nn.fit(model, X, y, num_epochs=4, X_val=X_test, y_val=y_test, progress=False)
    d = history.as_dict()
    assert list(d) == ["train_loss", "train_acc", "val_loss", "val_acc"]
    assert all(len(v) == 4 for v in d.values()) and len(history) == 4
    text = repr(history)
    assert text.startswith("History(epochs=4, loss='cross_entropy', train_loss ")
    assert f"{history.val_acc[-1]:.4g}" in text
    # The running train accuracy counts the correct argmax of each training forward pass.
    assert all(0 <= a <= 1 for a in history.train_acc)
    # Validation runs in eval mode: with dropout, it equals the eval-mode loss of the model.
    dropout_model = nn.Sequential(nn.Linear(2, 16, rng=0), nn.ReLU(), nn.Dropout(0.5, rng=1),
                                  nn.Linear(16, 2, rng=2))
    h = nn.fit(dropout_model, X, y, num_epochs=2, X_val=X_test, y_val=y_test, progress=False)
    assert dropout_model.training
    scores = nn.predict(dropout_model, X_test, labels=False)
    assert h.val_loss[-1] == losses.softmax_cross_entropy(scores, y_test)
    assert h.val_acc[-1] == np.mean(np.argmax(scores, axis=1) == y_test)
    regression = nn.fit(nn.MLP([2, 3, 1], rng=0), X, y.astype(float), loss="mse",
                        num_epochs=2, progress=False)
    assert list(regression.as_dict()) == ["train_loss"]


def test_fit_stops_when_the_loss_diverges(moons_split):
    X, y, _, _ = moons_split
    model = nn.MLP([2, 16, 16, 2], rng=0)
    history = nn.fit(model, X * 1e3, y, lr=1e200, num_epochs=20, progress=False)
    assert history.diverged and len(history) < 20
    assert np.isnan(history.train_loss[-1])
    assert "diverged" in repr(history)


def test_fit_progress_bar(moons_split, capsys):
    X, y, _, _ = moons_split
    nn.fit(nn.MLP([2, 4, 2], rng=0), X, y, num_epochs=3, progress=True)
    err = capsys.readouterr().err
    assert "fit" in err and "loss=" in err and "3/3" in err


def test_predict_and_accuracy(rng):
    model = nn.Sequential(nn.Linear(3, 8, rng=rng), nn.Dropout(0.5), nn.ReLU(),
                          nn.Linear(8, 4, rng=rng))
    X = rng.standard_normal((20, 3))
    scores = model.eval()(X)
    model.train()
    labels = nn.predict(model, X)
    assert model.training  # restored
    assert np.array_equal(labels, np.argmax(scores, axis=1))  # eval mode: no dropout
    assert np.array_equal(nn.predict(model, X, labels=False), scores)
    y = labels.copy()
    y[:5] = (y[:5] + 1) % 4
    assert nn.accuracy(model, X, y) == 0.75
    binary = nn.Linear(3, 1, rng=rng)
    expected = (X @ binary.weight.data.T + binary.bias.data)[:, 0] > 0
    assert np.array_equal(nn.predict(binary, X), expected.astype(int))
    with pytest.raises(ValueError, match=r"y must lie in \[0, 3\]"):
        nn.accuracy(model, X, np.full(20, 4))


def test_fit_bad_input(moons_split):
    X, y, _, _ = moons_split
    model = nn.MLP([2, 4, 2], rng=0)
    kw = dict(num_epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] \(C=2 classes\)"):
        nn.fit(model, X, np.where(y == 1, 2, 0), **kw)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\]"):
        nn.fit(model, X, y - 1, **kw)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\).*in_features=2.*"
                                         r"got shape \(300, 3\)"):
        nn.fit(model, np.hstack([X, X[:, :1]]), y, **kw)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\).*got shape \(300,\)"):
        nn.fit(model, X[:, 0], y, **kw)
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=300"):
        nn.fit(model, X, y[:-1], **kw)
    with pytest.raises(TypeError, match="integer class indices"):
        nn.fit(model, X, y + 0.5, **kw)
    with pytest.raises(ValueError, match="non-finite"):
        nn.fit(model, np.where(X > 2, np.nan, X), y, **kw)
    with pytest.raises(ValueError, match="pass both X_val and y_val"):
        nn.fit(model, X, y, X_val=X, **kw)
    with pytest.raises(ValueError, match="loss must be one of 'cross_entropy', 'mse'"):
        nn.fit(model, X, y, loss="hinge", **kw)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\] for bce_with_logits"):
        nn.fit(nn.MLP([2, 4, 1]), X, 2.0 * y, loss="bce_with_logits", **kw)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        nn.fit(model, X, y, batch_size=0, **kw)
    with pytest.raises(ValueError, match="num_epochs must be >= 1"):
        nn.fit(model, X, y, num_epochs=0, progress=False)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        nn.fit(model, X, y, lr=-0.1, **kw)
    with pytest.raises(TypeError, match="model must be a dlcore.nn.Module"):
        nn.fit(lambda x: x, X, y, **kw)
