"""Tests for dlcore.optim: update rules, optimizer classes, trajectories, surfaces, step limits.

Expected values come from torch.optim (run side by side in float64), from independent
re-derivations written here (the lecture's momentum and look-ahead NAG recursions, the toy
gradients), and from the numbers printed in SYLLABUS.md (L04, L09).
"""

import inspect
import itertools
import warnings

import numpy as np
import pytest

from dlcore import optim
from dlcore.gradcheck import numerical_gradient
from dlcore.nn import Parameter

pytestmark = pytest.mark.lec09

TOL = 1e-10


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


# -- a non-trivial objective over parameter arrays of several shapes ---------------------------

def _problem(rng):
    """Start values and data for: 0.5 mean((a tanh(X W^T + b) c - y)^2) + rosenbrock(v)."""
    X = rng.normal(size=(8, 4))
    y = rng.normal(size=8)
    start = [rng.normal(size=(3, 4)) * 0.5, rng.normal(size=3) * 0.1, rng.normal(size=3),
             np.array(0.8), np.array([-1.0, 1.5])]
    return X, y, start


def _loss(torch, tensors, X, y):
    W, b, c, a, v = tensors
    pred = a * torch.tanh(X @ W.T + b) @ c
    rosen = (1 - v[0]) ** 2 + 10 * (v[1] - v[0] ** 2) ** 2
    return 0.5 * ((pred - y) ** 2).mean() + rosen


def _run_both(torch, rng, ours_cls, theirs_cls, steps=100, closed_loop=False, **hyper):
    """Max abs difference between dlcore and torch parameters over all steps, and the travel.

    By default both optimizers receive the same gradients (torch autograd at torch's current
    parameters), so the comparison measures the update arithmetic alone.  With
    ``closed_loop=True`` dlcore's gradients are taken at its own parameters, as in training;
    adaptive methods can then amplify rounding differences (a coordinate whose gradient nears
    zero still moves by about lr), so only well-conditioned settings run that way.
    """
    X, y, start = _problem(rng)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    tparams = [torch.tensor(s, requires_grad=True) for s in start]
    params = [Parameter(s) for s in start]
    data_refs = [p.data for p in params]
    topt = theirs_cls(tparams, **hyper)
    opt = ours_cls(params, **hyper)
    worst = 0.0
    for _ in range(steps):
        topt.zero_grad()
        _loss(torch, tparams, Xt, yt).backward()
        opt.zero_grad()
        if closed_loop:
            mirror = [torch.tensor(p.data, requires_grad=True) for p in params]
            _loss(torch, mirror, Xt, yt).backward()
            grads = [m.grad for m in mirror]
        else:
            grads = [t.grad for t in tparams]
        for p, g in zip(params, grads):
            p.grad += g.numpy()
        topt.step()
        opt.step()
        for p, t in zip(params, tparams):
            worst = max(worst, float(np.max(np.abs(p.data - t.detach().numpy()))))
    assert all(p.data is ref for p, ref in zip(params, data_refs)), "update must be in place"
    travel = max(float(np.max(np.abs(p.data - s))) for p, s in zip(params, start))
    return worst, travel


SGD_CASES = {
    "plain": dict(lr=0.01),
    "momentum": dict(lr=0.01, momentum=0.9),
    "momentum+dampening": dict(lr=0.01, momentum=0.8, dampening=0.3),
    "nesterov": dict(lr=0.01, momentum=0.9, nesterov=True),
    "weight_decay": dict(lr=0.01, weight_decay=0.05),
    "momentum+weight_decay": dict(lr=0.005, momentum=0.7, weight_decay=0.1),
    "defaults": dict(),
}
ADAGRAD_CASES = {
    "plain": dict(lr=0.1),
    "lr_decay+initial_accumulator": dict(lr=0.2, lr_decay=0.05, initial_accumulator_value=0.3),
    "weight_decay+eps": dict(lr=0.1, weight_decay=0.02, eps=1e-3),
}
RMSPROP_CASES = {
    "plain": dict(lr=0.01),
    "centered": dict(lr=0.01, centered=True),
    "momentum": dict(lr=0.002, momentum=0.9),
    "centered+momentum+weight_decay": dict(lr=0.002, alpha=0.9, momentum=0.5, centered=True,
                                           weight_decay=0.01, eps=1e-6),
}
ADAM_CASES = {
    "defaults": dict(),
    "lr": dict(lr=0.05),
    "betas": dict(lr=0.02, betas=(0.5, 0.9)),
    "weight_decay": dict(lr=0.02, weight_decay=0.1),
    "amsgrad": dict(lr=0.05, amsgrad=True),
}


def _cases(table):
    return [pytest.param(kw, id=name) for name, kw in table.items()]


@pytest.mark.parametrize("hyper", _cases(SGD_CASES))
def test_sgd_matches_torch(torch, rng, hyper):
    worst, travel = _run_both(torch, rng, optim.SGD, torch.optim.SGD, **hyper)
    assert worst < TOL
    assert travel > 0.05  # the parameters really moved


@pytest.mark.parametrize("hyper", _cases(ADAGRAD_CASES))
def test_adagrad_matches_torch(torch, rng, hyper):
    worst, travel = _run_both(torch, rng, optim.Adagrad, torch.optim.Adagrad, **hyper)
    assert worst < TOL
    assert travel > 0.05


@pytest.mark.parametrize("hyper", _cases(RMSPROP_CASES))
def test_rmsprop_matches_torch(torch, rng, hyper):
    worst, travel = _run_both(torch, rng, optim.RMSProp, torch.optim.RMSprop, **hyper)
    assert worst < TOL
    assert travel > 0.05


@pytest.mark.parametrize("hyper", _cases(ADAM_CASES))
def test_adam_matches_torch(torch, rng, hyper):
    worst, travel = _run_both(torch, rng, optim.Adam, torch.optim.Adam, **hyper)
    assert worst < TOL
    assert travel > 0.05


@pytest.mark.parametrize("cls, hyper", [
    pytest.param("SGD", SGD_CASES["nesterov"], id="SGD-nesterov"),
    pytest.param("SGD", SGD_CASES["momentum+dampening"], id="SGD-momentum+dampening"),
    pytest.param("Adagrad", ADAGRAD_CASES["lr_decay+initial_accumulator"], id="Adagrad"),
    pytest.param("RMSprop", RMSPROP_CASES["momentum"], id="RMSprop-momentum"),
    pytest.param("Adam", ADAM_CASES["defaults"], id="Adam-defaults"),
    pytest.param("Adam", ADAM_CASES["amsgrad"], id="Adam-amsgrad"),
])
def test_training_loop_matches_torch(torch, rng, cls, hyper):
    ours = optim.RMSProp if cls == "RMSprop" else getattr(optim, cls)
    worst, travel = _run_both(torch, rng, ours, getattr(torch.optim, cls), closed_loop=True,
                              **hyper)
    assert worst < TOL
    assert travel > 0.05


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam"])
def test_defaults_and_names_match_torch(torch, name):
    ours = inspect.signature(getattr(optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for key, param in ours.items():
        assert key in theirs, key
        assert param.default == theirs[key].default, key
    assert optim.RMSprop is optim.RMSProp


def test_sgd_first_step_buffer_is_the_gradient_so_dampening_starts_at_step_two():
    p = Parameter([1.0, -2.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5)
    p.grad[...] = [1.0, 2.0]
    opt.step()
    np.testing.assert_allclose(opt.state[0]["momentum_buffer"], [1.0, 2.0], rtol=0, atol=0)
    np.testing.assert_allclose(p.data, [0.9, -2.2], rtol=0, atol=1e-15)
    opt.step()  # same gradient: b = 0.9 b + 0.5 g
    np.testing.assert_allclose(opt.state[0]["momentum_buffer"], [1.4, 2.8], atol=1e-15)


def test_step_skips_parameters_without_grad_and_zero_grad_resets():
    a, b = Parameter([1.0, 2.0]), Parameter([3.0])
    opt = optim.Adam([a, b], lr=0.1)
    a.grad[...] = 1.0
    b.grad = None
    opt.step()
    assert b.data[0] == 3.0 and opt.state[1] == {}
    assert np.all(a.data < [1.0, 2.0])
    opt.zero_grad()
    assert np.all(a.grad == 0) and np.all(b.grad == 0)


def test_closure_and_lr_assignment():
    p = Parameter([2.0])
    opt = optim.SGD([p], lr=0.5)
    p.grad[...] = 1.0
    assert opt.step(lambda: 7.0) == 7.0
    opt.lr = 0.25
    opt.step()
    assert p.data[0] == pytest.approx(2.0 - 0.5 - 0.25, abs=1e-15)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0


@pytest.mark.parametrize("cls, hyper", [
    (optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.01)),
    (optim.RMSProp, dict(lr=0.01, momentum=0.5, centered=True)),
    (optim.Adam, dict(lr=0.05, amsgrad=True)),
])
def test_state_dict_round_trip_and_load_from_torch(torch, rng, cls, hyper):
    X, y, start = _problem(rng)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    tparams = [torch.tensor(s, requires_grad=True) for s in start]
    topt = getattr(torch.optim, cls.__name__.replace("RMSProp", "RMSprop"))(tparams, **hyper)
    params = [Parameter(s) for s in start]
    opt = cls(params, **hyper)

    def torch_step():
        topt.zero_grad()
        _loss(torch, tparams, Xt, yt).backward()
        topt.step()

    def our_step(opt, params):
        opt.zero_grad()
        mirror = [torch.tensor(p.data, requires_grad=True) for p in params]
        _loss(torch, mirror, Xt, yt).backward()
        for p, m in zip(params, mirror):
            p.grad += m.grad.numpy()
        opt.step()

    for _ in range(5):
        torch_step()
    # a fresh dlcore optimizer resumes from torch's state and torch's parameters
    for p, t in zip(params, tparams):
        p.data[...] = t.detach().numpy()
    opt.load_state_dict(topt.state_dict())
    for _ in range(5):
        torch_step()
        our_step(opt, params)
    for p, t in zip(params, tparams):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=TOL)

    # our own state_dict resumes a copy exactly
    clones = [Parameter(p.data) for p in params]
    opt2 = cls(clones, lr=1.0)
    opt2.load_state_dict(opt.state_dict())
    for _ in range(3):
        our_step(opt, params)
        our_step(opt2, clones)
    for p, q in zip(params, clones):
        np.testing.assert_array_equal(p.data, q.data)


def test_update_rules_are_pure_and_match_the_classes(rng):
    theta, grad = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    theta0, grad0 = theta.copy(), grad.copy()
    state = {}
    new, state1 = optim.adam_update(theta, grad, state, lr=0.1, amsgrad=True)
    np.testing.assert_array_equal(theta, theta0)
    np.testing.assert_array_equal(grad, grad0)
    assert state == {} and state1["step"] == 1
    new2, _ = optim.adam_update(new, grad, state1, lr=0.1, amsgrad=True)
    assert state1["step"] == 1

    p = Parameter(theta)
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    for expected in (new, new2):
        p.grad[...] = grad
        opt.step()
        np.testing.assert_array_equal(p.data, expected)

    for rule in (optim.sgd_update, optim.adagrad_update, optim.rmsprop_update):
        out, st = rule(theta, grad, None, lr=0.1)
        assert out.shape == theta.shape and isinstance(st, dict)
    new, st = optim.sgd_update(theta, grad, lr=0.1, momentum=0.9)
    assert st["momentum_buffer"] is not grad
    np.testing.assert_array_equal(new, theta - 0.1 * grad)


# -- trajectory ---------------------------------------------------------------------------------

def _torch_rosenbrock(torch, t):
    return (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2


TRAJ_CASES = [
    ("gd", "SGD", dict(lr=1e-3), {}),
    ("gd", "SGD", dict(lr=1e-3, weight_decay=0.1), {}),
    ("momentum", "SGD", dict(lr=1e-3), dict(momentum=0.9)),
    ("momentum", "SGD", dict(lr=5e-4, momentum=0.5, dampening=0.2), {}),
    ("nag", "SGD", dict(lr=1e-3), dict(momentum=0.9, nesterov=True)),
    ("adagrad", "Adagrad", dict(lr=0.3, lr_decay=0.01), {}),
    ("rmsprop", "RMSprop", dict(lr=0.01), {}),
    ("rmsprop", "RMSprop", dict(lr=1e-3, momentum=0.9, centered=True), {}),
    ("adam", "Adam", dict(lr=0.05), {}),
    ("adam", "Adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True), {}),
]


@pytest.mark.parametrize("name, cls, hyper, extra", TRAJ_CASES)
def test_trajectory_equals_torch_parameter_sequence(torch, name, cls, hyper, extra):
    _, grad_fn = optim.surface("rosenbrock")
    start = optim.SURFACES["rosenbrock"].start
    steps = 200
    path = optim.trajectory(name, grad_fn, start, steps, **hyper)
    assert path.shape == (steps + 1, 2)

    t = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, cls)([t], **hyper, **extra)
    expected = [t.detach().numpy().copy()]
    for _ in range(steps):
        topt.zero_grad()
        _torch_rosenbrock(torch, t).backward()
        topt.step()
        expected.append(t.detach().numpy().copy())
    np.testing.assert_allclose(path, np.array(expected), rtol=0, atol=TOL)
    assert np.max(np.abs(path[-1] - path[0])) > 0.05


def test_trajectory_names():
    assert optim.TRAJECTORY_NAMES == ("gd", "momentum", "nag", "adagrad", "rmsprop", "adam")


def test_momentum_worked_example_syllabus_l09():
    # E = w^2, w0 = 1, eta = 0.1, gamma = 0.9 (SYLLABUS L09)
    path = optim.trajectory("momentum", lambda w: 2 * w, [1.0], 4, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(path[1:, 0], [0.8, 0.46, 0.062, -0.3086], atol=1e-12)
    gd = optim.trajectory("gd", lambda w: 2 * w, [1.0], 3, lr=0.1)
    np.testing.assert_allclose(gd[1:, 0], [0.8, 0.64, 0.512], atol=1e-12)


def test_momentum_equals_the_seed_delta_w_form():
    # seed: dw_t = eta dE/dw + gamma dw_{t-1}, w <- w - dw_t
    _, grad_fn = optim.surface("valley")
    eta, gamma = 0.01, 0.8
    w, dw = np.array(optim.SURFACES["valley"].start), np.zeros(2)
    expected = [w]
    for _ in range(60):
        dw = eta * grad_fn(w) + gamma * dw
        w = w - dw
        expected.append(w)
    path = optim.trajectory("momentum", grad_fn, optim.SURFACES["valley"].start, 60, lr=eta,
                            momentum=gamma)
    np.testing.assert_allclose(path, expected, rtol=0, atol=1e-12)


def test_nag_path_is_the_lecture_look_ahead_point():
    # lecture: u_t = gamma u_{t-1} + eta grad(w_t - gamma u_{t-1}), w_{t+1} = w_t - u_t
    _, grad_fn = optim.surface("valley")
    eta, gamma, steps = 0.01, 0.9, 80
    start = np.array(optim.SURFACES["valley"].start)
    w, u = start.copy(), np.zeros(2)
    ws, look_ahead = [w], [w - gamma * u]
    for _ in range(steps):
        u = gamma * u + eta * grad_fn(w - gamma * u)
        w = w - u
        ws.append(w)
        look_ahead.append(w - gamma * u)
    path = optim.trajectory("nag", grad_fn, start, steps, lr=eta, momentum=gamma)
    np.testing.assert_allclose(path, look_ahead, rtol=0, atol=1e-12)
    assert np.max(np.abs(path - np.array(ws))) > 1e-3  # the two sequences really differ
    # the docstring's map back to the lecture's w_t, from the path alone
    recovered = [path[0]]
    for row in path[1:]:
        recovered.append((row + gamma * recovered[-1]) / (1 + gamma))
    np.testing.assert_allclose(recovered, ws, rtol=0, atol=1e-12)


@pytest.mark.lec04
def test_gd_on_the_two_point_sigmoid_toy_syllabus_l04():
    X, Y = np.array([0.5, 2.5]), np.array([0.2, 0.9])

    def grad(theta):
        w, b = theta
        f = 1 / (1 + np.exp(-(w * X + b)))
        d = (f - Y) * f * (1 - f)
        return np.array([np.sum(d * X), np.sum(d)])

    def loss(theta):
        f = 1 / (1 + np.exp(-(theta[0] * X + theta[1])))
        return 0.5 * np.sum((f - Y) ** 2)

    path = optim.trajectory("gd", grad, [-2.0, -2.0], 1000, lr=1.0)
    np.testing.assert_allclose(path[1], [-1.994508, -1.992289], atol=5e-7)
    np.testing.assert_allclose(path[1000], [1.79172, -2.28212], atol=5e-6)
    assert loss(path[90]) == pytest.approx(0.0295, abs=1e-4)
    np.testing.assert_allclose(path[1000], [np.log(6), -np.log(4) - 0.5 * np.log(6)], atol=1e-4)


@pytest.mark.lec04
def test_linear_toy_per_sample_update_with_lr_one_does_not_converge():
    # seed 001: for each sample, w = w + (y_n - w x_n) x_n (eta = 1), starting from w = 0
    x, y = np.array([10, 2, 3.5, 1.0]), np.array([10.1, 1.9, 3.4, 1.1])
    order = itertools.cycle(range(4))

    def sample_grad(w):
        i = next(order)
        return -(y[i] - w * x[i]) * x[i]

    path = optim.trajectory("gd", sample_grad, [0.0], 40, lr=1.0)[:, 0]
    np.testing.assert_allclose(path[:4], [0.0, 101.0, -299.2, 3377.9], atol=1e-9)
    # x_4 = 1 makes the fourth update w = y_4 exactly, so after the first epoch the iterates
    # repeat with period 4 instead of running off to infinity; they never settle
    np.testing.assert_allclose(path[4::4], 1.1, atol=1e-9)
    np.testing.assert_allclose(path[5:9], [-7.9, 27.5, -297.475, 1.1], atol=1e-9)
    assert np.max(np.abs(path[-4:] - 1.004691)) > 100


@pytest.mark.lec04
def test_linear_toy_small_lr_converges_to_least_squares():
    x, y = np.array([10, 2, 3.5, 1.0]), np.array([10.1, 1.9, 3.4, 1.1])
    w_star = 1.004691
    assert np.sum(x * y) / np.sum(x * x) == pytest.approx(w_star, abs=1e-6)

    def batch_grad(w):
        return -np.sum((y - w * x) * x, keepdims=True)

    limit = optim.stability_limit(np.sum(x * x))
    assert limit == pytest.approx(2 / 117.25)
    path = optim.trajectory("gd", batch_grad, [0.0], 3000, lr=0.99 * limit)
    assert path[-1, 0] == pytest.approx(w_star, abs=1e-6)
    diverged = optim.trajectory("gd", batch_grad, [0.0], 3000, lr=1.01 * limit)
    assert not np.abs(diverged[-1, 0]) < 1e6

    order = itertools.cycle(range(4))

    def sample_grad(w):
        i = next(order)
        return -(y[i] - w * x[i]) * x[i]

    sgd = optim.trajectory("gd", sample_grad, [0.0], 4000, lr=1e-3)[:, 0]
    assert np.max(np.abs(sgd[-8:] - w_star)) < 1e-3  # a small cycle around w*


@pytest.mark.lec04
@pytest.mark.parametrize("method, beta", [("gd", 0.0), ("momentum", 0.9), ("momentum", 0.5),
                                          ("nag", 0.9), ("nag", 0.3)])
def test_stability_limit_separates_convergence_from_divergence(method, beta):
    h = 3.0
    limit = optim.stability_limit(h, method=method, momentum=beta)
    name = {"gd": "gd", "momentum": "momentum", "nag": "nag"}[method]
    extra = {} if method == "gd" else {"momentum": beta}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        below = optim.trajectory(name, lambda w: h * w, [1.0], 3000, lr=0.99 * limit, **extra)
        above = optim.trajectory(name, lambda w: h * w, [1.0], 3000, lr=1.01 * limit, **extra)
    assert abs(below[-1, 0]) < 1e-6
    assert not abs(above[-1, 0]) < 1e6


def test_stability_limit_formulas():
    assert optim.stability_limit(4.0) == 0.5
    assert optim.stability_limit(4.0, "momentum", 0.9) == pytest.approx(2 * 1.9 / 4)
    assert optim.stability_limit(4.0, "nag", 0.9) == pytest.approx(2 * 1.9 / (2.8 * 4))
    assert optim.stability_limit(4.0, "momentum", 0.0) == 0.5


def test_divergence_keeps_rows_without_warnings():
    _, grad_fn = optim.surface("rosenbrock")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optim.trajectory("gd", grad_fn, [-1.2, 1.0], 50, lr=0.1)
    assert path.shape == (51, 2)
    finite = np.all(np.isfinite(path), axis=1)
    first_bad = int(np.argmin(finite))
    assert 0 < first_bad < 50 and finite[:first_bad].all() and not finite[first_bad:].any()
    assert np.all(np.isnan(path[first_bad + 1:]))
    assert np.max(np.abs(path[first_bad - 1])) > 1e10  # the escape is visible before overflow


def test_trajectory_zero_steps_and_copy_of_theta0():
    theta0 = np.array([1.0, 2.0])
    seen = []

    def grad_fn(theta):
        seen.append(theta)
        theta += 100.0  # must not corrupt the path
        return np.ones(2)

    path = optim.trajectory("gd", grad_fn, theta0, 2, lr=0.5)
    np.testing.assert_allclose(path, [[1, 2], [0.5, 1.5], [0, 1]])
    np.testing.assert_array_equal(theta0, [1.0, 2.0])
    assert optim.trajectory("adam", grad_fn, theta0, 0).shape == (1, 2)


# -- surfaces -----------------------------------------------------------------------------------

def test_surfaces_table():
    assert set(optim.SURFACES) == {"quadratic", "valley", "rosenbrock", "saddle", "bumpy"}
    for name, info in optim.SURFACES.items():
        assert info.name == name
        loss_fn, grad_fn = optim.surface(name)
        (x0, x1), (y0, y1) = info.xlim, info.ylim
        assert x0 < info.start[0] < x1 and y0 < info.start[1] < y1
        for m in info.minima:
            assert x0 < m[0] < x1 and y0 < m[1] < y1
            np.testing.assert_allclose(grad_fn(np.array(m)), 0.0, atol=1e-12)
            assert loss_fn(np.array(m)) < loss_fn(np.array(info.start))


@pytest.mark.parametrize("name, kw", [
    ("quadratic", {}), ("quadratic", {"kappa": 25.0}), ("valley", {}),
    ("valley", {"kappa": 5.0, "angle_deg": -70.0}), ("rosenbrock", {}),
    ("rosenbrock", {"a": 0.5, "b": 3.0}), ("saddle", {}), ("saddle", {"quartic": 0.0}),
    ("bumpy", {}), ("bumpy", {"amplitude": 1.5}),
])
def test_surface_gradients_and_vectorised_loss(rng, name, kw):
    loss_fn, grad_fn = optim.surface(name, **kw)
    for _ in range(5):
        theta = rng.uniform(-2, 2, size=2)
        num = numerical_gradient(lambda t: float(loss_fn(t)), theta)
        np.testing.assert_allclose(grad_fn(theta), num, rtol=1e-6, atol=1e-6)
    grid = rng.uniform(-2, 2, size=(4, 5, 2))
    values = loss_fn(grid)
    assert values.shape == (4, 5)
    assert values[2, 3] == pytest.approx(float(loss_fn(grid[2, 3])))
    assert grad_fn(grid).shape == (4, 5, 2)


def test_surface_properties():
    loss_fn, _ = optim.surface("quadratic", kappa=10.0)
    assert loss_fn(np.array([1.0, 1.0])) == pytest.approx(5.5)
    loss_fn, grad_fn = optim.surface("valley", kappa=50.0, angle_deg=30.0)
    along = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)])
    across = np.array([-np.sin(np.pi / 6), np.cos(np.pi / 6)])
    assert loss_fn(along) == pytest.approx(0.5) and loss_fn(across) == pytest.approx(25.0)
    loss_fn, grad_fn = optim.surface("saddle", quartic=0.0)
    np.testing.assert_allclose(grad_fn(np.zeros(2)), 0.0)
    assert loss_fn(np.array([0.0, 3.0])) == pytest.approx(-9.0)
    # bumpy: plain GD stops in a local minimum that momentum gets past
    info = optim.SURFACES["bumpy"]
    loss_fn, grad_fn = optim.surface("bumpy")
    gd = optim.trajectory("gd", grad_fn, info.start, 400, lr=0.1)[-1]
    mom = optim.trajectory("momentum", grad_fn, info.start, 400, lr=0.1, momentum=0.9)[-1]
    assert np.linalg.norm(grad_fn(gd)) < 1e-6 and loss_fn(gd) > loss_fn(np.zeros(2)) + 0.1
    assert loss_fn(mom) < loss_fn(gd)


def test_surface_loss_of_diverged_points_is_silent():
    loss_fn, grad_fn = optim.surface("rosenbrock")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not np.isfinite(loss_fn(np.array([1e200, 1e200])))
        assert not np.all(np.isfinite(grad_fn(np.array([1e200, np.inf]))))


# -- bad input ----------------------------------------------------------------------------------

def _p():
    return [Parameter(np.ones(3))]


@pytest.mark.parametrize("cls, kw, match", [
    (optim.SGD, dict(lr=-0.1), r"lr must be a finite number >= 0"),
    (optim.SGD, dict(lr=float("nan")), r"lr .*nan"),
    (optim.SGD, dict(momentum=-0.5), r"momentum .*>= 0"),
    (optim.SGD, dict(weight_decay=float("inf")), r"weight_decay"),
    (optim.SGD, dict(nesterov=True), r"nesterov=True requires momentum > 0 and dampening = 0"),
    (optim.SGD, dict(nesterov=True, momentum=0.9, dampening=0.1), r"dampening = 0"),
    (optim.SGD, dict(dampening=float("nan"), momentum=0.9), r"dampening"),
    (optim.Adagrad, dict(lr_decay=-1.0), r"lr_decay .*>= 0"),
    (optim.Adagrad, dict(initial_accumulator_value=-1.0), r"initial_accumulator_value"),
    (optim.Adagrad, dict(eps=float("nan")), r"eps"),
    (optim.RMSProp, dict(alpha=-0.1), r"alpha .*>= 0"),
    (optim.RMSProp, dict(momentum=float("nan")), r"momentum"),
    (optim.Adam, dict(betas=(1.0, 0.999)), r"betas\[0\] must lie in \[0, 1\)"),
    (optim.Adam, dict(betas=(0.9, -0.1)), r"betas\[1\] must lie in \[0, 1\)"),
    (optim.Adam, dict(betas=(0.9, float("nan"))), r"betas\[1\] must lie in \[0, 1\)"),
    (optim.Adam, dict(lr=-1e-3), r"lr"),
])
def test_bad_hyperparameters(cls, kw, match):
    with pytest.raises(ValueError, match=match):
        cls(_p(), **kw)


@pytest.mark.parametrize("cls, kw, match", [
    (optim.SGD, dict(lr="0.1"), r"lr must be a real number"),
    (optim.SGD, dict(nesterov=1), r"nesterov must be True or False"),
    (optim.RMSProp, dict(centered="yes"), r"centered must be True or False"),
    (optim.Adam, dict(betas=0.9), r"betas must be a pair"),
    (optim.Adam, dict(amsgrad=None), r"amsgrad must be True or False"),
])
def test_bad_hyperparameter_types(cls, kw, match):
    with pytest.raises(TypeError, match=match):
        cls(_p(), **kw)


@pytest.mark.parametrize("params, err, match", [
    (np.ones(3), TypeError, r"iterable of dlcore.nn.Parameter"),
    (Parameter(np.ones(3)), TypeError, r"single Parameter, pass \[param\]"),
    ([np.ones(3)], TypeError, r"params\[0\] must be a dlcore.nn.Parameter; got ndarray"),
    ([{"params": []}], TypeError, r"parameter groups"),
    (5, TypeError, r"iterable of dlcore.nn.Parameter"),
    ([], ValueError, r"empty parameter list"),
])
def test_bad_params(params, err, match):
    with pytest.raises(err, match=match):
        optim.SGD(params, lr=0.1)


def test_duplicate_params_and_bad_grad_shape():
    p = Parameter(np.ones(3))
    with pytest.raises(ValueError, match="more than once"):
        optim.Adam([p, p])
    q = Parameter(np.ones((2, 2)))
    opt = optim.SGD([p, q], lr=0.1)
    p.grad[...] = 1.0
    q.grad = np.ones(3)
    with pytest.raises(ValueError, match=r"params\[1\].grad must have the shape of its data "
                                         r"\(2, 2\); got shape \(3,\)"):
        opt.step()
    np.testing.assert_array_equal(p.data, 1.0)  # nothing changed


def test_bad_state_dict():
    opt = optim.SGD(_p(), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="this optimizer has 1"):
        opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.1, "params": [0, 1]}]})
    with pytest.raises(ValueError, match=r"must have shape \(3,\)"):
        opt.load_state_dict({"state": {0: {"momentum_buffer": np.ones(2)}},
                             "param_groups": [{"lr": 0.1, "momentum": 0.9, "params": [0]}]})


def test_bad_rule_arguments():
    with pytest.raises(ValueError, match=r"grad must have the shape of theta \(2,\); got "
                                         r"shape \(3,\)"):
        optim.sgd_update(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"state\['exp_avg'\] must have the shape of theta"):
        optim.adam_update(np.ones(2), np.ones(2), {"exp_avg": np.ones(3), "step": 1})
    with pytest.raises(TypeError, match="state must be a dict"):
        optim.rmsprop_update(np.ones(2), np.ones(2), [1, 2])
    with pytest.raises(ValueError, match="lr"):
        optim.adagrad_update(np.ones(2), np.ones(2), lr=-1)


def test_bad_trajectory_arguments():
    def grad2(theta):
        return 2 * theta

    with pytest.raises(ValueError, match=r"name must be one of 'gd', 'momentum', 'nag', "
                                         r"'adagrad', 'rmsprop', 'adam'; got 'sgd'"):
        optim.trajectory("sgd", grad2, [1.0, 1.0], 5)
    with pytest.raises(ValueError, match=r"grad_fn must return an array of shape \(2,\), the "
                                         r"shape of theta0; got shape \(3,\) at step 0"):
        optim.trajectory("gd", lambda t: np.ones(3), [1.0, 1.0], 5)
    with pytest.raises(ValueError, match=r"theta0 must be a 1-D array of shape \(dim,\)"):
        optim.trajectory("gd", grad2, [[1.0, 1.0]], 5)
    with pytest.raises(ValueError, match="theta0 contains 1 non-finite"):
        optim.trajectory("gd", grad2, [1.0, np.nan], 5)
    with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
        optim.trajectory("adam", grad2, [1.0, 1.0], 5, lr=-0.1)
    with pytest.raises(ValueError, match=r"lr .*nan"):
        optim.trajectory("rmsprop", grad2, [1.0, 1.0], 5, lr=float("nan"))
    with pytest.raises(ValueError, match=r"betas\[0\]"):
        optim.trajectory("adam", grad2, [1.0, 1.0], 5, betas=(np.nan, 0.9))
    with pytest.raises(ValueError, match="nesterov=True requires momentum > 0"):
        optim.trajectory("nag", grad2, [1.0, 1.0], 5, momentum=0.0)
    with pytest.raises(TypeError, match=r"trajectory\('gd'\) got unexpected hyperparameter\(s\) "
                                        r"momentum; it accepts lr, weight_decay"):
        optim.trajectory("gd", grad2, [1.0, 1.0], 5, momentum=0.9)
    with pytest.raises(TypeError, match="grad_fn must be a function"):
        optim.trajectory("gd", [1.0], [1.0, 1.0], 5)
    with pytest.raises(ValueError, match="steps must be >= 0"):
        optim.trajectory("gd", grad2, [1.0, 1.0], -1)
    with pytest.raises(TypeError, match="steps must be an integer"):
        optim.trajectory("gd", grad2, [1.0, 1.0], 2.5)


def test_bad_surface_and_stability_arguments():
    with pytest.raises(ValueError, match=r"name must be one of 'quadratic', 'valley', "
                                         r"'rosenbrock', 'saddle', 'bumpy'"):
        optim.surface("himmelblau")
    with pytest.raises(TypeError, match=r"surface\('quadratic'\) got unexpected keyword\(s\) "
                                        r"b; it accepts kappa"):
        optim.surface("quadratic", b=3)
    with pytest.raises(ValueError, match="kappa .* must be > 0"):
        optim.surface("valley", kappa=0.0)
    with pytest.raises(ValueError, match="kappa"):
        optim.surface("quadratic", kappa=float("nan"))
    loss_fn, grad_fn = optim.surface("bumpy")
    with pytest.raises(ValueError, match=r"theta must have shape \(\.\.\., 2\)"):
        loss_fn(np.ones(3))
    with pytest.raises(ValueError, match=r"theta must have shape \(\.\.\., 2\)"):
        grad_fn(np.ones((4, 3)))
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        optim.stability_limit(0.0)
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        optim.stability_limit(float("nan"))
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, 1\)"):
        optim.stability_limit(1.0, "momentum", 1.0)
    with pytest.raises(ValueError, match="method 'gd' has no momentum"):
        optim.stability_limit(1.0, "gd", 0.9)
    with pytest.raises(ValueError, match="method must be one of 'gd', 'momentum', 'nag'"):
        optim.stability_limit(1.0, "adam")


# --- the grids behind the contour plots (public for viz and the widgets) -----------------------

@pytest.mark.parametrize("name", optim.SURFACE_NAMES)
def test_fast_grad_is_the_surface_gradient_at_one_point(name):
    _, grad_fn = optim.surface(name)
    fast = optim.fast_grad(name)
    for point in ([0.3, -0.7], [1.5, 0.25], [-1.0, 2.0]):
        np.testing.assert_allclose(fast(np.array(point)), grad_fn(np.array(point)), rtol=1e-12)


def test_loss_on_points_vectorised_or_one_point_at_a_time():
    points = np.array([[[0.0, 1.0], [2.0, -1.0]], [[1.0, 1.0], [-3.0, 0.5]]])
    expected = points[..., 0] ** 2 + 3.0 * points[..., 1] ** 2

    def one_point(theta):  # written for theta of shape (2,) only: float() fails on more
        x, y = float(theta[0]), float(theta[1])
        return x * x + 3.0 * y * y

    np.testing.assert_allclose(optim.loss_on_points(lambda t: t[..., 0] ** 2
                                                    + 3.0 * t[..., 1] ** 2, points), expected)
    np.testing.assert_allclose(optim.loss_on_points(one_point, points), expected)
    X, Y, Z = optim.loss_grid(one_point, (-1.0, 1.0), (0.0, 2.0), n=3)
    np.testing.assert_allclose(Z, X ** 2 + 3.0 * Y ** 2)
    assert Y[:, 0].tolist() == [0.0, 1.0, 2.0]  # rows follow y


def test_one_loss_grid_kept_or_checked():
    calls = []

    def one_point(theta):
        calls.append(np.shape(theta))
        return np.inf if theta[0] > 0.5 else theta[0] - 2.0 * theta[1]

    X, Y, Z = optim.loss_grid(one_point, (-1.0, 1.0), (0.0, 2.0), n=3)
    assert np.isinf(Z[:, 2]).all() and Z[1, 0] == -3.0  # non-finite values kept
    calls.clear()
    with pytest.raises(ValueError, match="must be finite"):
        optim.loss_grid(one_point, (-1.0, 1.0), (0.0, 2.0), n=3, checked=True)
    assert set(calls) == {(2,)}  # checked: one point at a time, no vectorised try
    W, B, Z = optim.surface_grid(lambda t: t[0] - 2.0 * t[1], (-1.0, 0.0, 0.0, 2.0), 3)
    assert Z[2, 0] == -5.0 and W[0].tolist() == [-1.0, -0.5, 0.0]


def test_resolve_surface_by_name_and_by_function():
    named = optim.resolve_surface("quadratic", {"kappa": 4.0})
    assert named.xlim == optim.SURFACES["quadratic"].xlim and named.lstar == 0.0
    assert "κ = 4" in named.label and named.grad_fn is not None
    mine = optim.resolve_surface(lambda t: t[..., 0] ** 2, {}, ylim=(0.0, 1.0))
    assert mine.label == "your function" and mine.grad_fn is None and mine.lstar is None
    assert mine.xlim == (-2.0, 2.0) and mine.ylim == (0.0, 1.0)
    with pytest.raises(TypeError, match="apply to named surfaces only"):
        optim.resolve_surface(lambda t: t[..., 0], {"kappa": 2.0})
    with pytest.raises(ValueError, match="xlim must be a pair"):
        optim.resolve_surface("valley", {}, xlim=(1.0, -1.0))


def test_window_and_loss_at_check_their_input():
    assert optim.check_window([-1, 1, 0, 2]) == (-1.0, 1.0, 0.0, 2.0)
    with pytest.raises(ValueError, match="w_min < w_max"):
        optim.check_window((1, -1, 0, 2))
    assert optim.loss_at(lambda t: t[0] - t[1], np.array([3.0, 1.0])) == 2.0
    with pytest.raises(ValueError, match="must be finite"):
        optim.loss_at(lambda t: np.inf, np.array([0.0, 0.0]))
