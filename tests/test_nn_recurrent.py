"""dlcore.nn RNN, LSTM, GRU and LastStep against torch.nn (batch_first=True, float64).

Every comparison loads dlcore's state_dict into the torch module, runs the same sequence
(T >= 20), initial state and upstream gradients (on the output and on the final state) through
both, and compares output, final states, dx, the initial-state gradients and every parameter
gradient (normwise relative error below 1e-10).
"""

from collections import OrderedDict

import numpy as np
import pytest

import dlcore.nn as nn
from dlcore.data import digits
from dlcore.gradcheck import numerical_gradient, rel_error
from dlcore.optim import Adam

torch = pytest.importorskip("torch")
tnn = torch.nn

TOL = 1e-10

KINDS = [
    pytest.param("rnn_tanh", marks=pytest.mark.lec13),
    pytest.param("rnn_relu", marks=pytest.mark.lec13),
    pytest.param("lstm", marks=pytest.mark.lec14),
    pytest.param("gru", marks=pytest.mark.lec14),
]


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # Small float64 ops: thread hand-off dominates, and the machine is shared.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def to_torch_state(state):
    return OrderedDict((k, torch.as_tensor(np.array(v))) for k, v in state.items())


def make(kind, d, h, bias=True, rng=None):
    """A dlcore module and its (uninitialised) float64 torch twin."""
    if kind.startswith("rnn"):
        nl = kind.split("_")[1]
        return (nn.RNN(d, h, nonlinearity=nl, bias=bias, rng=rng),
                tnn.RNN(d, h, nonlinearity=nl, bias=bias, batch_first=True).double())
    cls, tcls = {"lstm": (nn.LSTM, tnn.LSTM), "gru": (nn.GRU, tnn.GRU)}[kind]
    return cls(d, h, bias=bias, rng=rng), tcls(d, h, bias=bias, batch_first=True).double()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bias, with_state", [(True, True), (True, False), (False, True)])
def test_recurrent_module_matches_torch(kind, bias, with_state, rng):
    n, t, d, h = 3, 23, 4, 5
    layer, twin = make(kind, d, h, bias=bias, rng=rng)
    names = ["weight_ih_l0", "weight_hh_l0"] + (["bias_ih_l0", "bias_hh_l0"] if bias else [])
    assert list(layer.state_dict()) == list(twin.state_dict()) == names
    twin.load_state_dict(to_torch_state(layer.state_dict()))
    is_lstm = kind == "lstm"
    x = rng.standard_normal((n, t, d))
    # Modest initial states keep relu from blowing up over 23 steps.
    h0 = 0.5 * rng.standard_normal((1, n, h)) if with_state else None
    c0 = 0.5 * rng.standard_normal((1, n, h)) if with_state else None
    xt = torch.tensor(x, requires_grad=True)
    h0t = None if h0 is None else torch.tensor(h0, requires_grad=True)
    c0t = None if c0 is None else torch.tensor(c0, requires_grad=True)

    layer.zero_grad()
    if is_lstm:
        out, (h_n, c_n) = layer(x, None if h0 is None else (h0, c0))
        out_t, (h_n_t, c_n_t) = twin(xt, None if h0 is None else (h0t, c0t))
        assert c_n.shape == (1, n, h)
        assert rel_error(c_n, c_n_t.detach().numpy()) < TOL
    else:
        out, h_n = layer(x, h0)
        out_t, h_n_t = twin(xt, h0t)
    assert out.shape == (n, t, h) and h_n.shape == (1, n, h)
    assert rel_error(out, out_t.detach().numpy()) < TOL
    assert rel_error(h_n, h_n_t.detach().numpy()) < TOL

    dout = rng.standard_normal(out.shape)
    dh_n = rng.standard_normal(h_n.shape)
    t_loss = (out_t * torch.tensor(dout)).sum() + (h_n_t * torch.tensor(dh_n)).sum()
    if is_lstm:
        dc_n = rng.standard_normal(h_n.shape)
        dx = layer.backward(dout, dh_n, dc_n)
        t_loss = t_loss + (c_n_t * torch.tensor(dc_n)).sum()
    else:
        dx = layer.backward(dout, dh_n)
    t_loss.backward()
    assert rel_error(dx, xt.grad.numpy()) < TOL
    if with_state:
        assert layer.dh0.shape == (1, n, h)
        assert rel_error(layer.dh0, h0t.grad.numpy()) < TOL
        if is_lstm:
            assert rel_error(layer.dc0, c0t.grad.numpy()) < TOL
    else:
        assert layer.dh0 is None
    t_params = dict(twin.named_parameters())
    for name, p in layer.named_parameters():
        assert rel_error(p.grad, t_params[name].grad.numpy()) < TOL, name


@pytest.mark.parametrize("kind", KINDS)
def test_backward_without_final_state_gradient(kind, rng):
    # dh_n=None (the Sequential case) equals an explicit zero gradient on h_n.
    layer, _ = make(kind, 2, 3, rng=rng)
    x = rng.standard_normal((2, 20, 2))
    dout = rng.standard_normal((2, 20, 3))
    layer(x)
    dx = layer.backward(dout)
    grads = [p.grad.copy() for p in layer.parameters()]
    layer.zero_grad()
    layer(x)
    dx0 = layer.backward(dout, np.zeros((1, 2, 3)))
    assert np.array_equal(dx, dx0)
    assert all(np.array_equal(g, p.grad) for g, p in zip(grads, layer.parameters()))


@pytest.mark.lec13
def test_rnn_gradient_matches_central_differences(rng):
    layer = nn.RNN(2, 3, rng=rng)
    x = rng.standard_normal((2, 6, 2))
    h0 = rng.standard_normal((1, 2, 3))
    dout = rng.standard_normal((2, 6, 3))
    dh_n = rng.standard_normal((1, 2, 3))

    def f():
        out, h_n = layer(x, h0)
        return np.sum(out * dout) + np.sum(h_n * dh_n)

    layer(x, h0)
    dx = layer.backward(dout, dh_n)
    assert rel_error(dx, numerical_gradient(f, x)) < 1e-8
    assert rel_error(layer.dh0, numerical_gradient(f, h0)) < 1e-8
    assert rel_error(layer.weight_hh_l0.grad, numerical_gradient(f, layer.weight_hh_l0.data)) \
        < 1e-8


@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_round_trip_with_torch(kind, rng):
    layer, twin = make(kind, 3, 4, rng=rng)
    layer.load_state_dict(twin.state_dict())  # torch's own initial weights
    x = rng.standard_normal((2, 20, 3))
    out = layer(x)[0]
    out_t = twin(torch.tensor(x))[0].detach().numpy()
    assert rel_error(out, out_t) < TOL
    _, back = make(kind, 3, 4)
    back.load_state_dict(to_torch_state(layer.state_dict()))
    for key, value in twin.state_dict().items():
        assert torch.equal(back.state_dict()[key], value), key


@pytest.mark.parametrize("kind", KINDS)
def test_default_init_matches_torch_bounds(kind):
    h = 64
    bound = 1 / np.sqrt(h)
    layer, twin = make(kind, 10, h, rng=0)
    t_params = dict(twin.named_parameters())
    for name, p in layer.named_parameters():
        tp = t_params[name].detach().numpy()
        assert p.shape == tp.shape
        assert np.abs(p.data).max() <= bound and np.abs(tp).max() <= bound
        assert np.abs(p.data).max() > 0.9 * bound  # at least 64 draws fill U(-a, a)
    w = layer.weight_hh_l0.data
    # U(-a, a) has variance a^2/3; >= 4,096 draws: relative standard error below 1.4%.
    assert abs(w.var() / (bound**2 / 3) - 1) < 0.08
    again, _ = make(kind, 10, h, rng=0)
    assert all(np.array_equal(p.data, q.data)
               for p, q in zip(layer.parameters(), again.parameters()))


# -- In a Sequential ------------------------------------------------------------------------------

class TorchLastStep(tnn.Module):
    def forward(self, out_and_state):
        return out_and_state[0][:, -1, :]


@pytest.mark.lec14
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh"])
def test_sequential_with_last_step_matches_torch(kind, rng):
    layer, t_layer = make(kind, 1, 8, rng=rng)
    model = nn.Sequential(layer, nn.LastStep(), nn.Linear(8, 10, rng=rng))
    twin = tnn.Sequential(t_layer, TorchLastStep(), tnn.Linear(8, 10)).double()
    assert list(model.state_dict()) == list(twin.state_dict())
    twin.load_state_dict(to_torch_state(model.state_dict()))
    x = rng.standard_normal((6, 24, 1))
    y = rng.integers(0, 10, size=6)
    criterion = nn.CrossEntropyLoss()
    loss = criterion(model(x), y)
    dx = model.backward(criterion.backward())
    xt = torch.tensor(x, requires_grad=True)
    t_loss = tnn.functional.cross_entropy(twin(xt), torch.tensor(y))
    t_loss.backward()
    assert abs(loss - t_loss.item()) < 1e-12 * abs(t_loss.item())
    assert rel_error(dx, xt.grad.numpy()) < TOL
    t_params = dict(twin.named_parameters())
    for name, p in model.named_parameters():
        assert rel_error(p.grad, t_params[name].grad.numpy()) < TOL, name


def _torch_epoch_losses(twin, X, y, order, lr):
    opt = torch.optim.Adam(twin.parameters(), lr=lr)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    losses = []
    for epoch in order:
        total = 0.0
        for idx in epoch:
            opt.zero_grad()
            loss = tnn.functional.cross_entropy(twin(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses


@pytest.mark.lec14
def test_lstm_last_step_linear_trains_with_fit_like_torch():
    # Digits read as sequences of 8 rows of 8 pixels (SYLLABUS L13), a 240-image subset.
    data = digits(flatten=False)
    X, y = data.X_train[:240, 0], data.y_train[:240]
    model = nn.Sequential(nn.LSTM(8, 16, rng=0), nn.LastStep(), nn.Linear(16, 10, rng=0))
    twin = tnn.Sequential(tnn.LSTM(8, 16, batch_first=True), TorchLastStep(),
                          tnn.Linear(16, 10)).double()
    twin.load_state_dict(to_torch_state(model.state_dict()))
    hist = nn.fit(model, X, y, optimizer=Adam(model.parameters(), lr=0.03), num_epochs=8,
                  batch_size=48, progress=False, rng=5)
    order = nn.batch_order(len(X), 48, num_epochs=8, rng=5)
    t_losses = _torch_epoch_losses(twin, X, y, order, lr=0.03)
    assert rel_error(np.array(hist.train_loss), np.array(t_losses)) < 1e-9
    assert hist.train_loss[-1] < 0.5 * hist.train_loss[0]
    t_params = dict(twin.named_parameters())
    for name, p in model.named_parameters():
        assert rel_error(p.data, t_params[name].detach().numpy()) < 1e-9, name
    assert nn.predict(model, X).shape == (240,)
    assert 0.0 <= nn.accuracy(model, X, y) <= 1.0


@pytest.mark.lec13
def test_last_step_forward_and_backward(rng):
    seq = rng.standard_normal((3, 5, 4))
    step = nn.LastStep()
    assert np.array_equal(step(seq), seq[:, -1])
    assert np.array_equal(step((seq, seq[:, -1][None])), seq[:, -1])  # an (output, h_n) tuple
    dout = rng.standard_normal((3, 4))
    dseq = step.backward(dout)
    assert dseq.shape == (3, 5, 4)
    assert np.array_equal(dseq[:, -1], dout) and not dseq[:, :-1].any()
    with pytest.raises(ValueError, match=r"LastStep: the sequence output must be a 3-D array "
                                         r"\(N, T, H\).*got 2-D"):
        step(rng.standard_normal((3, 4)))
    with pytest.raises(ValueError, match=r"dout must have shape \(N, H\) = \(3, 4\)"):
        step.backward(np.zeros((3, 5, 4)))
    with pytest.raises(RuntimeError, match="needs a forward"):
        nn.LastStep().backward(dout)


# -- Bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_recurrent_bad_input(kind, rng):
    layer, _ = make(kind, 3, 4, rng=rng)
    name = type(layer).__name__
    with pytest.raises(ValueError, match=rf"{name}: x must be a 3-D array of shape \(N, T, 3\) "
                                         r"\(batch first\); got 2-D.*x\[None\]"):
        layer(rng.standard_normal((5, 3)))
    with pytest.raises(ValueError, match=rf"{name}\(input_size=3\): x must have shape "
                                         r"\(N, T, 3\); got shape \(2, 5, 4\)"):
        layer(rng.standard_normal((2, 5, 4)))
    with pytest.raises(ValueError, match=r"T >= 1"):
        layer(np.zeros((2, 0, 3)))
    bad = rng.standard_normal((2, 5, 3))
    bad[1, 2, 0] = np.inf
    with pytest.raises(ValueError, match="non-finite"):
        layer(bad)
    x = rng.standard_normal((2, 5, 3))
    wrong_states = [np.zeros((2, 4)), np.zeros((1, 3, 4)), np.zeros((1, 2, 5))]
    for h0 in wrong_states:
        state = (h0, np.zeros((1, 2, 4))) if kind == "lstm" else h0
        with pytest.raises(ValueError, match=r"h0 must have shape \(num_layers, N, H\) "
                                             r"\(1, N, H\) = \(1, 2, 4\)"):
            layer(x, state)
    if kind == "lstm":
        with pytest.raises(ValueError, match=r"c0 must have shape .* = \(1, 2, 4\)"):
            layer(x, (np.zeros((1, 2, 4)), np.zeros((2, 4))))
        with pytest.raises(TypeError, match=r"state must be a pair \(h0, c0\)"):
            layer(x, np.zeros((1, 2, 4)))
    layer(x)
    with pytest.raises(ValueError, match=r"dout must have the shape of the output "
                                         r"\(N, T, H\) = \(2, 5, 4\)"):
        layer.backward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"dh_n must have the shape of h_n, \(1, N, H\) = "
                                         r"\(1, 2, 4\)"):
        layer.backward(np.zeros((2, 5, 4)), np.zeros((2, 4)))


@pytest.mark.parametrize("kind", KINDS)
def test_recurrent_bad_arguments(kind):
    cls = {"rnn_tanh": nn.RNN, "rnn_relu": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    name = cls.__name__
    with pytest.raises(ValueError, match=rf"{name} supports batch_first=True only"):
        cls(3, 4, batch_first=False)
    with pytest.raises(ValueError, match=rf"{name} has a single layer \(num_layers=1\); got "
                                         r"num_layers=2"):
        cls(3, 4, num_layers=2)
    with pytest.raises(ValueError, match="hidden_size must be >= 1"):
        cls(3, 0)
    with pytest.raises(TypeError, match="input_size must be an integer"):
        cls(2.5, 4)
    with pytest.raises(RuntimeError, match="needs a forward"):
        cls(3, 4).backward(np.zeros((1, 1, 4)))


@pytest.mark.lec13
def test_rnn_nonlinearity_and_repr():
    with pytest.raises(ValueError, match="nonlinearity must be one of 'tanh', 'relu'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    assert repr(nn.LSTM(1, 32)) == repr(tnn.LSTM(1, 32, batch_first=True))
    assert repr(nn.GRU(2, 3, bias=False)) == repr(tnn.GRU(2, 3, bias=False, batch_first=True))
    assert "relu" in repr(nn.RNN(2, 3, nonlinearity="relu"))
