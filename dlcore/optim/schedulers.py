"""Learning-rate schedules with torch.optim.lr_scheduler's names, arguments and numbers.

A scheduler owns no parameters: it rewrites its optimizer's ``lr`` each time ``step()`` is
called (once per epoch or once per batch, after ``optimizer.step()``, as in torch).  With base
rate eta_0 (the optimizer's lr when the first scheduler was attached) and t = ``last_epoch``
(the number of ``step()`` calls so far):

- ``StepLR(opt, step_size, gamma=0.1)``: eta_t = eta_0 gamma^floor(t / step_size).
- ``MultiStepLR(opt, milestones, gamma=0.1)``: eta_0 gamma^(number of milestones <= t).
- ``ExponentialLR(opt, gamma)``: eta_t = eta_0 gamma^t.
- ``CosineAnnealingLR(opt, T_max, eta_min=0)``:
  eta_t = eta_min + (eta_0 - eta_min) (1 + cos(pi t / T_max)) / 2.
- ``LinearLR(opt, start_factor=1/3, end_factor=1, total_iters=5)``: the factor moves linearly
  from start_factor to end_factor over total_iters steps (a warm-up when start_factor < 1).
- ``ConstantLR(opt, factor=1/3, total_iters=5)``: eta_0 factor until total_iters, then eta_0.
- ``PolynomialLR(opt, total_iters=5, power=1)``: eta_0 (1 - min(t, total_iters)/total_iters)^power.
- ``LambdaLR(opt, lr_lambda)``: eta_0 lr_lambda(t); ``MultiplicativeLR(opt, lr_lambda)``:
  eta_t = eta_{t-1} lr_lambda(t).
- ``SequentialLR(opt, schedulers, milestones)``: one schedule after another (warm-up, then
  cosine).

Like torch, each ``step()`` updates the rate from the previous one (the "chainable" form, so
several schedulers can act on one optimizer), which equals the closed forms above to rounding;
the two differ only after a cosine schedule passes T_max, where both follow torch.
``get_last_lr()`` returns ``[lr]``, a one-element list as torch's (dlcore optimizers have one
parameter group).  ``lr_curve`` and ``schedule`` draw a schedule without training anything.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable

import numpy as np

from .._checks import check_choice, check_int, check_positive, check_real
from .optimizers import SGD, Optimizer

__all__ = [
    "LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR",
    "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "SequentialLR",
    "SCHEDULE_NAMES", "schedule", "lr_curve",
]


def _factor(value, name: str, lo: float, hi: float, *, open_lo: bool = False) -> float:
    value = check_real(value, name)
    if value > hi or value < lo or (open_lo and value == lo):
        left = "(" if open_lo else "["
        raise ValueError(f"{name} must lie in {left}{lo:g}, {hi:g}]; got {value}")
    return value


class LRScheduler:
    """Base class: attaches to an optimizer, keeps ``base_lrs`` and ``last_epoch``.

    Subclasses define ``get_lr()`` (the next rate, from the current one) and, when there is
    one, ``_get_closed_form_lr()`` (the rate at ``last_epoch`` from the base rate).
    """

    def __init__(self, optimizer, last_epoch: int = -1):
        name = type(self).__name__
        if type(self) is LRScheduler:
            raise TypeError("LRScheduler is a base class; use StepLR, CosineAnnealingLR, ...")
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}: optimizer must be a dlcore.optim optimizer (SGD, Adam, "
                            f"...); got {type(optimizer).__name__}")
        last_epoch = check_int(last_epoch, "last_epoch", minimum=-1)
        self.optimizer = optimizer
        if last_epoch == -1:
            # torch keeps the first scheduler's starting rate as the group's "initial_lr"
            if getattr(optimizer, "initial_lr", None) is None:
                optimizer.initial_lr = optimizer.lr
        elif getattr(optimizer, "initial_lr", None) is None:
            raise ValueError(f"{name}: resuming with last_epoch={last_epoch} needs the "
                             f"optimizer's initial_lr, which a scheduler sets; start with "
                             f"last_epoch=-1")
        self.base_lrs = [float(optimizer.initial_lr)]
        self.last_epoch = last_epoch
        self._is_initial = False
        self._initial_step()

    # -- torch's protocol ------------------------------------------------------------------
    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def step(self) -> None:
        """Advance one step (an epoch or a batch) and set the optimizer's lr."""
        self._step_count += 1
        self.last_epoch += 1
        self._set(self.get_lr())

    def _update_lr(self, epoch: int) -> None:
        """Jump to ``epoch`` through the closed form (used by SequentialLR at a milestone)."""
        self.last_epoch = epoch
        closed = getattr(self, "_get_closed_form_lr", None)
        self._set(closed() if closed is not None else self.get_lr())

    def _set(self, values) -> None:
        lr = float(values[0])
        self.optimizer.lr = lr
        self._last_lr = [self.optimizer.lr]

    def get_last_lr(self) -> list[float]:
        """``[lr]``: the rate the last ``step()`` set (a list, as torch's)."""
        return list(self._last_lr)

    @property
    def _lr(self) -> float:
        return self.optimizer.lr

    def state_dict(self) -> dict:
        """Every attribute but the optimizer (torch's layout)."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        self.__dict__.update(state_dict)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(last_epoch={self.last_epoch}, "
                f"lr={self._last_lr[0]:.6g})")


def _callable(fn, name: str):
    if not callable(fn):
        raise TypeError(f"{name}: lr_lambda must be a function of the step t, e.g. "
                        f"lambda t: 0.95 ** t; got {type(fn).__name__}")
    return fn


class LambdaLR(LRScheduler):
    """eta_t = eta_0 * lr_lambda(t), for any function ``lr_lambda`` of the step t."""

    def __init__(self, optimizer, lr_lambda: Callable[[int], float], last_epoch: int = -1):
        self.lr_lambda = _callable(lr_lambda, "LambdaLR")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base * self.lr_lambda(self.last_epoch) for base in self.base_lrs]


class MultiplicativeLR(LRScheduler):
    """eta_t = eta_{t-1} * lr_lambda(t) (the rate at construction is left unchanged)."""

    def __init__(self, optimizer, lr_lambda: Callable[[int], float], last_epoch: int = -1):
        self.lr_lambda = _callable(lr_lambda, "MultiplicativeLR")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return [self._lr]
        return [self._lr * self.lr_lambda(self.last_epoch)]


class StepLR(LRScheduler):
    """eta_t = eta_0 * gamma ** (t // step_size): divide by 1/gamma every step_size steps."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self.step_size = check_int(step_size, "step_size", minimum=1)
        self.gamma = check_positive(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [self._lr]
        return [self._lr * self.gamma]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size)
                for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """eta_t = eta_0 * gamma ** (number of milestones <= t)."""

    def __init__(self, optimizer, milestones, gamma: float = 0.1, last_epoch: int = -1):
        if isinstance(milestones, (str, bytes)) or not hasattr(milestones, "__iter__"):
            raise TypeError(f"MultiStepLR: milestones must be a list of step numbers, e.g. "
                            f"[30, 80]; got {milestones!r}")
        self.milestones = Counter(check_int(m, "milestones[i]", minimum=0) for m in milestones)
        self.gamma = check_positive(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return [self._lr]
        return [self._lr * self.gamma ** self.milestones[self.last_epoch]]

    def _get_closed_form_lr(self):
        milestones = sorted(self.milestones.elements())
        return [base * self.gamma ** bisect_right(milestones, self.last_epoch)
                for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """eta_0 * factor for the first total_iters steps, then eta_0."""

    def __init__(self, optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1):
        self.factor = _factor(factor, "factor", 0.0, 1.0)
        self.total_iters = check_int(total_iters, "total_iters", minimum=0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [self._lr * self.factor]
        if self.last_epoch != self.total_iters:
            return [self._lr]
        return [self._lr * (1.0 / self.factor)]

    def _get_closed_form_lr(self):
        return [base * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base in self.base_lrs]


class LinearLR(LRScheduler):
    """A factor that moves linearly from start_factor to end_factor over total_iters steps:
    eta_t = eta_0 (s + (e - s) min(t, total_iters) / total_iters).  start_factor < 1 and
    end_factor = 1 is a linear warm-up."""

    def __init__(self, optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1):
        self.start_factor = _factor(start_factor, "start_factor", 0.0, 1.0, open_lo=True)
        self.end_factor = _factor(end_factor, "end_factor", 0.0, 1.0)
        self.total_iters = check_int(total_iters, "total_iters", minimum=1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [self._lr * self.start_factor]
        if self._is_initial or self.last_epoch > self.total_iters:
            return [self._lr]
        s, e = self.start_factor, self.end_factor
        return [self._lr * (1.0 + (e - s) / (self.total_iters * s + (self.last_epoch - 1)
                                             * (e - s)))]

    def _get_closed_form_lr(self):
        s, e = self.start_factor, self.end_factor
        return [base * (s + (e - s) * min(self.total_iters, self.last_epoch) / self.total_iters)
                for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """eta_t = eta_0 * gamma ** t: the rate shrinks by the same factor every step."""

    def __init__(self, optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = check_positive(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return [self._lr]
        return [self._lr * self.gamma]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """eta_t = eta_0 (1 - min(t, total_iters) / total_iters) ** power (0 from total_iters on)."""

    def __init__(self, optimizer, total_iters: int = 5, power: float = 1.0,
                 last_epoch: int = -1):
        self.total_iters = check_int(total_iters, "total_iters", minimum=1)
        self.power = check_positive(power, "power")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial or self.last_epoch > self.total_iters:
            return [self._lr]
        t, n = self.last_epoch, self.total_iters
        return [self._lr * ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power]

    def _get_closed_form_lr(self):
        n = self.total_iters
        return [base * (1.0 - min(n, self.last_epoch) / n) ** self.power
                for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """eta_t = eta_min + (eta_0 - eta_min)(1 + cos(pi t / T_max)) / 2: from eta_0 at t = 0 down
    to eta_min at t = T_max along half a cosine (it climbs back after T_max, as torch's)."""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0,  # noqa: N803 (torch's name)
                 last_epoch: int = -1):
        self.T_max = check_int(T_max, "T_max", minimum=1)
        self.eta_min = check_positive(eta_min, "eta_min", allow_zero=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T, lo = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return [self._lr]
        if self._step_count == 1 and t > 0:
            return [lo + (base - lo) * (1 + math.cos(t * math.pi / T)) / 2
                    for base in self.base_lrs]
        if (t - 1 - T) % (2 * T) == 0:  # at the bottom the ratio below would divide by 0
            return [self._lr + (base - lo) * (1 - math.cos(math.pi / T)) / 2
                    for base in self.base_lrs]
        return [(1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
                * (self._lr - lo) + lo]

    def _get_closed_form_lr(self):
        lo = self.eta_min
        return [lo + (base - lo) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class SequentialLR(LRScheduler):
    """Run ``schedulers[0]`` until ``milestones[0]``, then ``schedulers[1]`` (restarted at its
    own step 0), and so on: e.g. a LinearLR warm-up for 5 steps, then CosineAnnealingLR."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"SequentialLR: optimizer must be a dlcore.optim optimizer; got "
                            f"{type(optimizer).__name__}")
        schedulers, milestones = list(schedulers), [check_int(m, "milestones[i]", minimum=1)
                                                    for m in milestones]
        if not schedulers:
            raise ValueError("SequentialLR expects at least one scheduler; got none")
        for i, s in enumerate(schedulers):
            if not isinstance(s, LRScheduler):
                raise TypeError(f"SequentialLR: schedulers[{i}] must be a scheduler (StepLR, "
                                f"...); got {type(s).__name__}")
            if s.optimizer is not optimizer:
                raise ValueError(f"SequentialLR: schedulers[{i}] ({type(s).__name__}) belongs "
                                 f"to another optimizer; all must share this one")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(f"SequentialLR: {len(schedulers)} schedulers need "
                             f"{len(schedulers) - 1} milestones; got {len(milestones)}")
        if milestones != sorted(milestones):
            raise ValueError(f"SequentialLR: milestones must increase; got {milestones}")
        self._schedulers, self._milestones = schedulers, milestones
        self.last_epoch = check_int(last_epoch, "last_epoch", minimum=-1) + 1
        self.optimizer = optimizer
        self.base_lrs = [float(optimizer.initial_lr)]
        self._is_initial = False
        # each scheduler took its own first step when it was built: undo them, start afresh
        optimizer.lr = optimizer.initial_lr
        for s in schedulers:
            s.last_epoch -= 1
        idx = bisect_right(milestones, 0)
        schedulers[idx]._initial_step()
        self._last_lr = schedulers[idx].get_last_lr()

    def step(self) -> None:
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        current = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            current._update_lr(0)
        else:
            current.step()
        self._last_lr = current.get_last_lr()

    def state_dict(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        state = dict(state_dict)
        for s, sd in zip(self._schedulers, state.pop("_schedulers")):
            s.load_state_dict(sd)
        self.__dict__.update(state)


# -- the lecture's schedules by name, and their curves ---------------------------------------

#: The schedules of lecture 12c, by name (``schedule(name, optimizer, total_steps)``).
SCHEDULE_NAMES = ("constant", "step", "exponential", "cosine", "warmup_cosine")


def schedule(name: str, optimizer, total_steps: int, *, gamma: float | None = None,
             step_size: int | None = None, warmup: int | None = None,
             start_factor: float = 0.1, eta_min: float = 0.0) -> LRScheduler:
    """One of ``SCHEDULE_NAMES`` for a run of ``total_steps`` scheduler steps, as torch builds it.

    - "constant": ``LambdaLR(opt, lambda t: 1.0)``;
    - "step": ``StepLR(opt, step_size, gamma)``, by default step_size = total_steps // 3 and
      gamma = 0.1 (the rate is divided by 10 twice);
    - "exponential": ``ExponentialLR(opt, gamma)``, by default the gamma that ends at 1 % of
      the base rate, ``0.01 ** (1 / total_steps)``;
    - "cosine": ``CosineAnnealingLR(opt, T_max=total_steps, eta_min)``;
    - "warmup_cosine": ``SequentialLR`` of ``LinearLR(opt, start_factor, 1.0, warmup)`` and
      ``CosineAnnealingLR(opt, total_steps - warmup, eta_min)`` with milestone ``warmup``
      (by default a tenth of the run, at least 1 step).
    """
    check_choice(name, "name", SCHEDULE_NAMES)
    total_steps = check_int(total_steps, "total_steps", minimum=2)
    if name == "constant":
        return LambdaLR(optimizer, lambda t: 1.0)
    if name == "step":
        size = max(1, total_steps // 3) if step_size is None else step_size
        return StepLR(optimizer, size, 0.1 if gamma is None else gamma)
    if name == "exponential":
        return ExponentialLR(optimizer, 0.01 ** (1.0 / total_steps) if gamma is None else gamma)
    if name == "cosine":
        return CosineAnnealingLR(optimizer, total_steps, eta_min)
    warmup = max(1, total_steps // 10) if warmup is None else check_int(warmup, "warmup",
                                                                         minimum=1)
    if warmup >= total_steps:
        raise ValueError(f"warmup must be shorter than the run (total_steps={total_steps}); "
                         f"got {warmup}")
    ramp = LinearLR(optimizer, start_factor=start_factor, end_factor=1.0, total_iters=warmup)
    decay = CosineAnnealingLR(optimizer, T_max=total_steps - warmup, eta_min=eta_min)
    return SequentialLR(optimizer, [ramp, decay], milestones=[warmup])


def lr_curve(make, lr: float, num_steps: int) -> np.ndarray:
    """The rate of each of ``num_steps`` steps under a schedule, without training anything.

    ``make(optimizer) -> scheduler`` builds the schedule on a throwaway optimizer (e.g.
    ``lambda opt: StepLR(opt, 30)``), or ``make`` is a name of ``SCHEDULE_NAMES`` (then run
    over ``num_steps``).  Entry t is the rate used by step t: the rate before the t-th call
    of ``scheduler.step()``.  Returns an array (num_steps,).
    """
    from ..nn.module import Parameter

    num_steps = check_int(num_steps, "num_steps", minimum=1)
    opt = SGD([Parameter(np.zeros(1))], lr=check_positive(lr, "lr", allow_zero=True))
    if isinstance(make, str):
        sched = schedule(make, opt, max(num_steps, 2))
    elif callable(make):
        sched = make(opt)
        if not isinstance(sched, LRScheduler):
            raise TypeError(f"make(optimizer) must return a scheduler (StepLR, ...); got "
                            f"{type(sched).__name__}")
    else:
        raise TypeError(f"make must be a schedule name ({', '.join(SCHEDULE_NAMES)}) or a "
                        f"function optimizer -> scheduler; got {type(make).__name__}")
    rates = np.empty(num_steps)
    for t in range(num_steps):
        rates[t] = opt.lr
        sched.step()
    return rates
