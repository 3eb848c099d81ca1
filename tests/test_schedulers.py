"""Learning-rate schedulers: the same rates as torch.optim.lr_scheduler, step by step.

Each case builds the scheduler in dlcore and in torch (same class name, same arguments) on an
optimizer with the same base rate, and compares the optimizer's rate and ``get_last_lr()``
after construction and after each of 100 ``step()`` calls (training steps in between, so the
rates are used).  The closed forms of the docstrings are checked separately, and so are the
errors for bad input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlcore as dl
from dlcore.nn import Parameter
from dlcore.optim import schedulers as S

torch = pytest.importorskip("torch")
lrs = torch.optim.lr_scheduler

pytestmark = pytest.mark.lec12

STEPS = 100

# (label, optimizer name, base lr, builder(module, optimizer) -> scheduler)
CASES = [
    ("StepLR", "SGD", 0.1, lambda m, o: m.StepLR(o, step_size=30, gamma=0.1)),
    ("StepLR-gamma0.5", "Adam", 0.01, lambda m, o: m.StepLR(o, step_size=7, gamma=0.5)),
    ("MultiStepLR", "SGD", 0.1, lambda m, o: m.MultiStepLR(o, milestones=[10, 40, 40, 75])),
    ("ExponentialLR", "SGD", 0.5, lambda m, o: m.ExponentialLR(o, gamma=0.95)),
    ("CosineAnnealingLR", "SGD", 0.1, lambda m, o: m.CosineAnnealingLR(o, T_max=100)),
    ("CosineAnnealingLR-restart", "Adam", 0.02,
     lambda m, o: m.CosineAnnealingLR(o, T_max=30, eta_min=0.001)),  # beyond T_max as well
    ("LinearLR", "SGD", 0.1, lambda m, o: m.LinearLR(o, start_factor=0.1, total_iters=10)),
    ("LinearLR-decay", "SGD", 0.1,
     lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=60)),
    ("ConstantLR", "SGD", 0.1, lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=20)),
    ("PolynomialLR", "SGD", 0.1, lambda m, o: m.PolynomialLR(o, total_iters=80, power=2.0)),
    ("LambdaLR", "SGD", 0.1, lambda m, o: m.LambdaLR(o, lambda t: 1 / (1 + 0.1 * t))),
    ("MultiplicativeLR", "SGD", 0.1, lambda m, o: m.MultiplicativeLR(o, lambda t: 0.97)),
    ("warm-up then cosine", "SGD", 0.1, lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, start_factor=0.1, total_iters=10), m.CosineAnnealingLR(o, T_max=90)],
        milestones=[10])),
    ("three phases", "Adam", 0.01, lambda m, o: m.SequentialLR(
        o, [m.ConstantLR(o, factor=0.5, total_iters=5), m.ExponentialLR(o, gamma=0.9),
            m.StepLR(o, step_size=10)], milestones=[20, 50])),
]


def _pair(opt_name: str, lr: float):
    w = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    p = Parameter(w)
    mine = getattr(dl.optim, opt_name)([p], lr=lr)
    tp = torch.nn.Parameter(torch.tensor(w))
    theirs = getattr(torch.optim, opt_name)([tp], lr=lr)
    return p, mine, tp, theirs


def _train_step(p, mine, tp, theirs):
    p.grad = 2 * p.data
    mine.step()
    theirs.zero_grad()
    (tp ** 2).sum().backward()
    theirs.step()


@pytest.mark.parametrize("label, opt_name, lr, build", CASES, ids=[c[0] for c in CASES])
def test_rates_match_torch_at_every_step(label, opt_name, lr, build):
    p, mine, tp, theirs = _pair(opt_name, lr)
    ours, ref = build(S, mine), build(lrs, theirs)
    ours_rates, torch_rates = [mine.lr], [theirs.param_groups[0]["lr"]]
    assert ours.get_last_lr() == pytest.approx(ref.get_last_lr(), rel=1e-12, abs=1e-15)
    for _ in range(STEPS):
        _train_step(p, mine, tp, theirs)
        ours.step()
        ref.step()
        ours_rates.append(mine.lr)
        torch_rates.append(theirs.param_groups[0]["lr"])
        assert ours.get_last_lr() == pytest.approx(ref.get_last_lr(), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(ours_rates, torch_rates, rtol=1e-12, atol=1e-15)
    assert len(set(np.round(torch_rates, 12))) > 1 or label == "constant"  # the rate moved
    # and the weights those rates produced are torch's
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_the_comparison_can_fail():
    """A schedule off by one step (gamma applied at t = 29 instead of 30) is caught."""
    _, mine, _, theirs = _pair("SGD", 0.1)
    ours = S.LambdaLR(mine, lambda t: 0.1 ** ((t + 1) // 30))
    ref = lrs.StepLR(theirs, step_size=30)
    diffs = []
    for _ in range(STEPS):
        theirs.step()  # torch warns when its scheduler steps before its optimizer
        ours.step()
        ref.step()
        diffs.append(abs(mine.lr - theirs.param_groups[0]["lr"]))
    assert max(diffs) > 1e-3


@pytest.mark.parametrize("name", S.SCHEDULE_NAMES)
def test_named_schedules_match_their_closed_forms(name):
    total, lr = 50, 0.2
    rates = dl.optim.lr_curve(name, lr, total)
    t = np.arange(total)
    if name == "constant":
        want = np.full(total, lr)
    elif name == "step":
        want = lr * 0.1 ** (t // (total // 3))
    elif name == "exponential":
        want = lr * (0.01 ** (1 / total)) ** t
    elif name == "cosine":
        want = lr * (1 + np.cos(np.pi * t / total)) / 2
    else:
        w = total // 10
        want = np.where(t < w, lr * (0.1 + 0.9 * t / w),
                        lr * (1 + np.cos(np.pi * (t - w) / (total - w))) / 2)
    np.testing.assert_allclose(rates, want, rtol=1e-10, atol=1e-14)


def test_lr_curve_with_a_builder_and_torchs_documented_example():
    # torch's docstring of StepLR: lr = 0.05 for epochs 0-29, 0.005 for 30-59, 0.0005 for 60-89
    rates = dl.optim.lr_curve(lambda o: S.StepLR(o, step_size=30, gamma=0.1), 0.05, 90)
    np.testing.assert_allclose(rates, np.repeat([0.05, 0.005, 0.0005], 30), rtol=1e-12)


def test_cosine_reaches_eta_min_at_t_max_and_warm_up_ramps_linearly():
    rates = dl.optim.lr_curve(lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.01), 0.1, 21)
    assert rates[0] == pytest.approx(0.1) and rates[20] == pytest.approx(0.01)
    assert rates[10] == pytest.approx(0.01 + 0.09 / 2)
    assert np.all(np.diff(rates) < 0)
    warm = dl.optim.lr_curve(lambda o: S.LinearLR(o, start_factor=0.2, total_iters=4), 1.0, 6)
    np.testing.assert_allclose(warm, [0.2, 0.4, 0.6, 0.8, 1.0, 1.0])


def test_the_scheduler_sets_the_optimizer_rate_used_by_the_next_step():
    p = Parameter(np.array([1.0]))
    opt = dl.optim.SGD([p], lr=1.0)
    sched = S.StepLR(opt, step_size=1, gamma=0.5)
    moves = []
    for _ in range(3):
        p.grad = np.array([1.0])
        before = p.data.copy()
        opt.step()
        sched.step()
        moves.append(float((before - p.data)[0]))
    assert moves == [1.0, 0.5, 0.25]


@pytest.mark.parametrize("build, match", [
    (lambda o: S.StepLR(o, step_size=0), "step_size must be >= 1"),
    (lambda o: S.StepLR(o, step_size=2.5), "step_size must be an integer"),
    (lambda o: S.ExponentialLR(o, gamma=-0.5), "gamma must be a finite number > 0"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), "T_max must be >= 1"),
    (lambda o: S.LinearLR(o, start_factor=0.0), r"start_factor must lie in \(0, 1\]"),
    (lambda o: S.ConstantLR(o, factor=1.5), r"factor must lie in \[0, 1\]"),
    (lambda o: S.LambdaLR(o, 0.5), "lr_lambda must be a function"),
    (lambda o: S.MultiStepLR(o, milestones=30), "milestones must be a list"),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 5)], milestones=[3]), "need 0 milestones"),
    (lambda o: S.StepLR("adam", step_size=3), "optimizer must be a dlcore.optim optimizer"),
    (lambda o: S.schedule("linear", o, 10), "name must be one of"),
    (lambda o: S.schedule("warmup_cosine", o, 10, warmup=10), "warmup must be shorter"),
])
def test_bad_input_names_what_was_expected(build, match):
    opt = dl.optim.SGD([Parameter(np.zeros(2))], lr=0.1)
    with pytest.raises((TypeError, ValueError), match=match):
        build(opt)


def test_schedulers_of_another_optimizer_are_refused():
    a = dl.optim.SGD([Parameter(np.zeros(2))], lr=0.1)
    b = dl.optim.SGD([Parameter(np.zeros(2))], lr=0.1)
    with pytest.raises(ValueError, match="another optimizer"):
        S.SequentialLR(a, [S.StepLR(a, 5), S.StepLR(b, 5)], milestones=[3])


def test_exported_from_dl_optim():
    for name in ("StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "SequentialLR",
                 "lr_curve", "schedule"):
        assert getattr(dl.optim, name) is getattr(S, name)
    assert math.isclose(S.schedule("cosine", dl.optim.SGD([Parameter(np.zeros(1))], lr=0.3),
                                   10).get_last_lr()[0], 0.3)
