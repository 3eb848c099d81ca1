"""Optimizer classes over ``dlcore.nn.Parameter``: SGD (momentum, Nesterov), Adagrad, RMSProp, Adam.

torch.optim's hyperparameter names, defaults and semantics, without parameter groups: every
Parameter shares one set of hyperparameters.  ``step()`` reads each ``param.grad`` and updates
``param.data`` in place (arrays held elsewhere stay valid), through the update rules of
``rules.py``; a Parameter whose ``grad`` is None is skipped, as in torch.

Shapes: each Parameter's ``data`` and ``grad`` have the same shape P; state arrays too.
"""

from __future__ import annotations

import numpy as np

from .._checks import shape_str
from ..nn.module import Parameter
from . import rules

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSProp", "RMSprop", "Adam"]


def _param_list(params, owner: str) -> list:
    if isinstance(params, Parameter):
        raise TypeError(f"{owner}: params must be an iterable of Parameters (e.g. "
                        f"model.parameters()); got a single Parameter, pass [param]")
    if isinstance(params, (str, bytes, dict, np.ndarray)) or not hasattr(params, "__iter__"):
        raise TypeError(f"{owner}: params must be an iterable of dlcore.nn.Parameter (e.g. "
                        f"model.parameters()); got {type(params).__name__}")
    params = list(params)
    if not params:
        raise ValueError(f"{owner}: got an empty parameter list; pass model.parameters() of a "
                         f"model that has parameters")
    for i, p in enumerate(params):
        if isinstance(p, dict):
            raise TypeError(f"{owner}: parameter groups (dicts) are not supported; pass one "
                            f"iterable of Parameters")
        if not isinstance(p, Parameter):
            raise TypeError(f"{owner}: params[{i}] must be a dlcore.nn.Parameter; got "
                            f"{type(p).__name__}")
    if len({id(p) for p in params}) != len(params):
        raise ValueError(f"{owner}: the same Parameter appears more than once in params")
    return params


def _to_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor; torch is not imported here
        value = value.detach().cpu().numpy()
    return value


class Optimizer:
    """Base class: the Parameters, their per-array state and one set of hyperparameters.

    Subclasses set ``_rule`` (a core from ``rules.py``) and ``_hyper`` (its validator).
    ``state[i]`` is the state dict of ``params[i]``, with torch's keys.
    """

    _rule = None
    _hyper = None

    def __init__(self, params, **hyper):
        name = type(self).__name__
        if type(self)._rule is None:
            raise TypeError("Optimizer is a base class; use SGD, Adagrad, RMSProp or Adam")
        self.params = _param_list(params, name)
        self.hyper = type(self)._hyper(**hyper)
        self.state = [{} for _ in self.params]

    @property
    def lr(self) -> float:
        """The learning rate; assigning it (a schedule) is validated like the constructor."""
        return self.hyper["lr"]

    @lr.setter
    def lr(self, value) -> None:
        self.hyper = type(self)._hyper(**{**self.hyper, "lr": value})

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zeros (gradients accumulate between steps)."""
        for p in self.params:
            p.zero_grad()

    def step(self, closure=None):
        """Update every Parameter from its ``.grad``; returns ``closure()`` if one is given."""
        loss = closure() if closure is not None else None
        grads = []
        for i, p in enumerate(self.params):  # check all before changing any
            if p.grad is None:
                grads.append(None)
                continue
            grad = np.asarray(p.grad, dtype=np.float64)
            if grad.shape != p.data.shape:
                raise ValueError(f"{type(self).__name__}.step: params[{i}].grad must have the "
                                 f"shape of its data {shape_str(p.data.shape)}; got shape "
                                 f"{shape_str(grad.shape)}")
            grads.append(grad)
        rule = type(self)._rule
        for i, (p, grad) in enumerate(zip(self.params, grads)):
            if grad is None:
                continue
            theta_new, self.state[i] = rule(p.data, grad, self.state[i], **self.hyper)
            p.data[...] = theta_new
        return loss

    def state_dict(self) -> dict:
        """Copies of the state and hyperparameters, in torch's layout (one parameter group)."""
        state = {i: {k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v)
                     for k, v in s.items()} for i, s in enumerate(self.state) if s}
        group = dict(self.hyper, params=list(range(len(self.params))))
        return {"state": state, "param_groups": [group]}

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a ``state_dict()`` of this class, or of the equivalent torch.optim optimizer."""
        name = type(self).__name__
        groups = state_dict.get("param_groups") if isinstance(state_dict, dict) else None
        if not groups or len(groups) != 1 or "state" not in state_dict:
            raise ValueError(f"{name}.load_state_dict: expected a dict with 'state' and one "
                             f"entry in 'param_groups'")
        group = groups[0]
        ids = list(group.get("params", []))
        if len(ids) != len(self.params):
            raise ValueError(f"{name}.load_state_dict: the state is for {len(ids)} parameters; "
                             f"this optimizer has {len(self.params)}")
        for flag in ("maximize", "decoupled_weight_decay"):
            if group.get(flag):
                raise ValueError(f"{name}.load_state_dict: {flag}=True is not supported")
        hyper = type(self)._hyper(**{k: group[k] for k in self.hyper if k in group})
        new_state = [{} for _ in self.params]
        for key, entry in state_dict["state"].items():
            if key not in ids:
                raise ValueError(f"{name}.load_state_dict: state for unknown parameter {key!r}")
            i = ids.index(key)
            for k, v in entry.items():
                v = _to_numpy(v)
                if v is None:
                    continue
                if k == "step":
                    new_state[i][k] = int(round(float(v)))
                    continue
                arr = np.array(v, dtype=np.float64)
                if arr.shape != self.params[i].data.shape:
                    raise ValueError(f"{name}.load_state_dict: state[{key!r}][{k!r}] must have "
                                     f"shape {shape_str(self.params[i].data.shape)}; got "
                                     f"{shape_str(arr.shape)}")
                new_state[i][k] = arr
        self.hyper, self.state = hyper, new_state

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v}" for k, v in self.hyper.items())
        return f"{type(self).__name__}({len(self.params)} parameters, {hyper})"


class SGD(Optimizer):
    """Gradient descent with optional momentum: ``b = mu b + (1 - dampening) g``, ``theta -= lr b``.

    ``b`` starts at the first gradient; ``nesterov=True`` steps by ``lr (g + mu b)``; without
    momentum ``theta -= lr g``.  Weight decay adds ``weight_decay theta`` to ``g``.  The slides'
    ``dw_t = eta g + gamma dw_{t-1}`` is the same path with ``dw = lr b`` (see ``trajectory``).
    """

    _rule = staticmethod(rules._sgd)
    _hyper = staticmethod(rules.sgd_hyper)

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening,
                         weight_decay=weight_decay, nesterov=nesterov)


class Adagrad(Optimizer):
    """Adagrad: ``G += g^2``, ``theta -= lr_t g / (sqrt(G) + eps)``.

    ``lr_t = lr / (1 + (t - 1) lr_decay)``; ``G`` starts at ``initial_accumulator_value``.
    """

    _rule = staticmethod(rules._adagrad)
    _hyper = staticmethod(rules.adagrad_hyper)

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                         initial_accumulator_value=initial_accumulator_value, eps=eps)


class RMSProp(Optimizer):
    """RMSProp: ``s = alpha s + (1 - alpha) g^2``, ``theta -= lr g / (sqrt(s) + eps)``.

    ``centered`` subtracts the squared running mean of ``g`` under the root; ``momentum``
    accumulates the scaled step ``b = mu b + g / (sqrt(s) + eps)``.  Also exported as
    ``RMSprop``, torch's spelling.
    """

    _rule = staticmethod(rules._rmsprop)
    _hyper = staticmethod(rules.rmsprop_hyper)

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                         momentum=momentum, centered=centered)


RMSprop = RMSProp


class Adam(Optimizer):
    """Adam: ``theta -= lr m_hat / (sqrt(v_hat) + eps)``, bias-corrected moving averages.

    ``m`` and ``v`` are exponential moving averages of ``g`` and ``g^2`` with rates ``betas``,
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``;
    ``amsgrad`` uses the running maximum of ``v``.  Weight decay is the L2 form (torch.optim.Adam,
    not AdamW).
    """

    _rule = staticmethod(rules._adam)
    _hyper = staticmethod(rules.adam_hyper)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad)
