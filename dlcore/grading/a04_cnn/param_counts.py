"""Exercises 4 and 5 of A4: a parameter table for the student's own network, and the
parameters a smaller kernel saves.

Names the notebook defines: ``PARAMS`` (layer name -> parameter count) and ``FLATTEN`` (the
size C * H * W after the flatten) for the student's network, and ``PARAMS_SAVED`` for the
student's layer (both per student).  The reference is ``dlcore.counting.summarize``.
"""

from __future__ import annotations

from ... import counting
from .._core import Exercise, GradingError, lookup
from .per_student import _copied_hint, _exact, _numbers

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


# -- 4. parameter table ------------------------------------------------------------------------
_LAYERS = ("conv1", "pool1", "conv2", "pool2", "fc1", "fc2")


def net_summary(net: dict):
    """The ``counting`` summary of a student's network (``my_numbers(...)["net"]``)."""
    (f1, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    c = counting
    layers = [c.Conv2dSpec(f1, k1, padding=p1, name="conv1"), c.ReLUSpec(name="relu1"),
              c.MaxPool2dSpec(2, 2, name="pool1"), c.Conv2dSpec(f2, k2, name="conv2"),
              c.ReLUSpec(name="relu2"), c.MaxPool2dSpec(2, 2, name="pool2"),
              c.FlattenSpec(name="flatten"), c.LinearSpec(net["fc1"], name="fc1"),
              c.ReLUSpec(name="relu3"), c.LinearSpec(net["classes"], name="fc2")]
    return counting.summarize(layers, net["input"])


def _table_answers(ns):
    params = lookup(ns, "PARAMS", "value")
    if not isinstance(params, dict) or set(params) != set(_LAYERS):
        raise GradingError(f"PARAMS must be a dict with exactly the keys {', '.join(_LAYERS)}")
    for key in _LAYERS:
        if params[key] is Ellipsis:
            raise GradingError(f"PARAMS[{key!r}] is not answered yet (it is still ...)")
    return params


def _table_expected(sid):
    s = net_summary(_numbers(sid)["net"])
    return {name: s.row(name).params for name in _LAYERS}, s.row("flatten").output_shape[0]


def _table_right_for(ns, keys, flatten: bool):
    def right(sid):
        exp, flat = _table_expected(sid)
        ok = all(_exact(ns["PARAMS"][k], exp[k]) for k in keys)
        return ok and (not flatten or _exact(ns.get("FLATTEN"), flat))
    return right


def _table_conv(ns, ctx, hidden):
    params = _table_answers(ns)
    net = _numbers(ctx.student_id)["net"]
    exp, _ = _table_expected(ctx.student_id)
    depth = {"conv1": net["input"][0], "conv2": net["conv1"][0]}
    for name in ("conv1", "conv2"):
        got = params[name]
        if _exact(got, exp[name]):
            continue
        _copied_hint(ns, ctx, "PARAMS", _table_right_for(ns, ("conv1", "conv2"), False))
        f, k = net[name][0], net[name][1]
        c = depth[name]
        wrong = [(k * k * c * f, "short by C_out: each filter has one bias, so add one "
                                 "parameter per filter"),
                 ((k * k + 1) * f, "the input depth is missing: each filter spans all C_in "
                                   "input channels, k*k*C_in weights (six 5x5 filters on an "
                                   "RGB image have 456 parameters, not 156: lecture 11, "
                                   "section 3)"),
                 (k * k * f, "the input depth and the biases are missing: a filter has "
                             "k*k*C_in weights and one bias"),
                 ((k * k * net["input"][0] + 1) * f if name == "conv2" else None,
                  "conv2's input depth is the number of filters of conv1 (its output "
                  "channels), not the image's 3 channels")]
        for value, hint in wrong:
            if value is not None and _exact(got, value):
                raise GradingError(f"PARAMS[{name!r}]: {hint}")
        raise GradingError(f"PARAMS[{name!r}] is wrong: a conv layer has (k*k*C_in + 1) * "
                           f"C_out parameters")


def _table_pool_flatten(ns, ctx, hidden):
    params = _table_answers(ns)
    for name in ("pool1", "pool2"):
        if not _exact(params[name], 0):
            raise GradingError(f"PARAMS[{name!r}]: pooling has no parameters (no weights, no "
                               f"biases): it only takes the maximum of each window")
    got = lookup(ns, "FLATTEN", "value")
    net = _numbers(ctx.student_id)["net"]
    _, flat = _table_expected(ctx.student_id)
    if _exact(got, flat):
        return
    _copied_hint(ns, ctx, "FLATTEN", lambda sid: _exact(got, _table_expected(sid)[1]))
    h = net["input"][1]
    (_, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    h1 = h + 2 * p1 - k1 + 1
    h2 = h1 // 2 - k2 + 1
    wrong = [(f2 * h2 * h2, "FLATTEN: pool2 halves the height and the width of conv2's output "
                            "before the flatten"),
             ((h2 // 2) ** 2, "FLATTEN: multiply by the number of channels too (C * H * W)"),
             (f2 * (h2 / 2) ** 2, "FLATTEN: pooling sizes are whole numbers: "
                                  "floor((n - 2) / 2) + 1"),
             (f2 * ((((h - k1 + 1) // 2) - k2 + 1) // 2) ** 2 if p1 else None,
              "FLATTEN: conv1's padding is missing from the size"),
             (f2 * ((h1 - k2 + 1) // 2) ** 2, "FLATTEN: pool1 halves the size before conv2")]
    for value, hint in wrong:
        if value is not None and _exact(got, value):
            raise GradingError(hint)
    raise GradingError("FLATTEN is wrong: trace C x H x W layer by layer with "
                       "floor((n + 2p - k) / s) + 1, and multiply the three numbers of "
                       "pool2's output")


def _table_fc(ns, ctx, hidden):
    params = _table_answers(ns)
    net = _numbers(ctx.student_id)["net"]
    exp, flat = _table_expected(ctx.student_id)
    m, k = net["fc1"], net["classes"]
    for name in ("fc1", "fc2"):
        got = params[name]
        if _exact(got, exp[name]):
            continue
        _copied_hint(ns, ctx, "PARAMS", _table_right_for(ns, ("fc1", "fc2"), False))
        n_in, n_out = (flat, m) if name == "fc1" else (m, k)
        if _exact(got, n_in * n_out):
            raise GradingError(f"PARAMS[{name!r}]: short by one bias per output unit")
        if name == "fc2" and (_exact(got, (m + 1) * 1024) or _exact(got, m * 1024)):
            raise GradingError("PARAMS['fc2']: the last layer has one output per class (the "
                               "number of classes), not 1024")
        try:
            implied = float(got) / n_out - 1
        except (TypeError, ValueError):
            implied = None
        if name == "fc1" and implied is not None and implied.is_integer() and implied > 0:
            raise GradingError("PARAMS['fc1']: the input size of fc1 is wrong: it is the "
                               "flattened size of pool2's output (C * H * W)")
        raise GradingError(f"PARAMS[{name!r}] is wrong: a fully connected layer has "
                           f"(n_in + 1) * n_out parameters")


EXERCISES["param_table"] = Exercise(
    "A parameter table for your network",
    {"conv": _table_conv, "pool_flatten": _table_pool_flatten, "fc": _table_fc}, variant=True)


# -- 5. a smaller kernel -----------------------------------------------------------------------
def _saved(sid) -> int:
    c, f, a, b = _numbers(sid)["shrink"]
    return counting.conv2d_params(c, f, a) - counting.conv2d_params(c, f, b)


def _shrink(ns, ctx, hidden):
    got = lookup(ns, "PARAMS_SAVED", "value")
    c, f, a, b = _numbers(ctx.student_id)["shrink"]
    if _exact(got, _saved(ctx.student_id)):
        return
    _copied_hint(ns, ctx, "PARAMS_SAVED", lambda sid: _exact(got, _saved(sid)))
    wrong = [((a - b) ** 2 * c * f, "(a - b)^2 is not a^2 - b^2: compare the two counts, "
                                    "a*a*C_in*C_out and b*b*C_in*C_out (the slip of lecture "
                                    "11, section 6, about ZFNet's first layer)"),
             ((a * a - b * b) * f, "each filter spans all C_in input channels: the saving "
                                   "per filter is (a^2 - b^2) * C_in"),
             ((a * a - b * b) * c, "every one of the C_out filters shrinks: multiply by "
                                   "C_out too"),
             (-(a * a - b * b) * c * f, "PARAMS_SAVED is the number of parameters saved: a "
                                        "positive number"),
             ((a * a - b * b) * c * f + f, "the biases do not change: one bias per filter "
                                           "before and after")]
    for value, hint in wrong:
        if _exact(got, value):
            raise GradingError(f"PARAMS_SAVED: {hint}")
    raise GradingError("PARAMS_SAVED is wrong: subtract the parameter count with the small "
                       "kernel from the count with the large one")


EXERCISES["kernel_shrink"] = Exercise(
    "A smaller kernel", {"values": _shrink}, variant=True)
