"""The grader's view of a student's notebook: data only, through handles (grader.remote).

A fake kernel runs the real kernel-side code (``KERNEL_CODE``) on a namespace of its own, so
these tests cover both ends of the wire without starting a kernel.
"""

from __future__ import annotations

import base64
import io
import json
import pickle

import numpy as np
import pytest

from grader.remote import (
    RemoteError,
    RemoteNamespace,
    RemoteObject,
    decode,
    encode,
    kernel_request,
    parse_reply,
)
from grader.trusted import NotGradable, parse_checks


class FakeKernel:
    """Answers requests the way the student's kernel does, on ``user_ns``."""

    def __init__(self, user_ns: dict):
        self.user_ns = user_ns
        self.requests = []

    def request(self, req: dict) -> dict:
        self.requests.append(req)
        shell = type("Shell", (), {"user_ns": self.user_ns})()
        env = self.__dict__.setdefault("env", {"get_ipython": lambda: shell})
        exec(kernel_request(req, define="_dlcore_serve" not in env), env)  # noqa: S102
        return parse_reply(repr(env["_dlcore_reply"]))


def test_values_travel_as_data_both_ways():
    value = (np.arange(6.0).reshape(2, 3), np.array([True, False]), 3, -2.5, float("inf"),
             {"w": [1, 2.0], 7: None}, "text", [np.int64(4), np.float32(0.5)])
    back = decode(json.loads(json.dumps(encode(value))))
    np.testing.assert_array_equal(back[0], value[0])
    assert back[0].dtype == np.float64 and back[1].dtype == bool
    assert back[2:7] == (3, -2.5, float("inf"), {"w": [1, 2.0], 7: None}, "text")
    assert back[7] == [4, 0.5]


@pytest.mark.parametrize("bad", [
    {"nd": base64.b64encode(pickle.dumps(np.array([1, 2]))).decode()},  # a pickle, not .npy
    {"handle": 3},                                   # no client to own a handle
    {"nope": 1}, {"tuple": 5}, {"float": "1e999"}, [1, 2], {"a": 1, "b": 2},
])
def test_anything_but_data_is_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        decode(bad)


def test_object_arrays_and_pickles_never_load():
    buf = io.BytesIO()
    np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        decode({"nd": base64.b64encode(buf.getvalue()).decode()})
    with pytest.raises(TypeError, match="cannot be sent"):
        encode(np.array(["a"], dtype=object))
    with pytest.raises(TypeError, match="cannot be sent"):
        encode(lambda x: x)


def test_the_namespace_answers_lookups_with_data_and_handles():
    def double(x):
        return 2 * x

    ns = RemoteNamespace(FakeKernel({"double": double, "N": 5, "SIZES": [1, 2, 3],
                                     "answer": ..., "W": np.eye(2)}))
    assert "double" in ns and "missing" not in ns
    f = ns["double"]
    assert isinstance(f, RemoteObject) and f.__name__ == "double"
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [2.0, 4.0])
    assert ns["N"] == 5 and ns["SIZES"] == [1, 2, 3] and ns["answer"] is Ellipsis
    np.testing.assert_array_equal(ns["W"], np.eye(2))
    assert ns.get("missing", "default") == "default"
    names = dict(ns.items())
    assert callable(names["double"]) and not callable(names["N"])


def test_the_students_errors_come_back_as_their_own_exceptions():
    def broken(x):
        raise ValueError("shapes do not match")

    def blank(x):
        raise NotImplementedError

    ns = RemoteNamespace(FakeKernel({"broken": broken, "blank": blank}))
    with pytest.raises(RemoteError) as info:
        ns["broken"](1)
    assert type(info.value).__name__ == "ValueError" and str(info.value) == "shapes do not match"
    with pytest.raises(NotImplementedError):
        ns["blank"](1)


def test_objects_that_are_not_data_stay_in_the_kernel():
    class Net:
        def __init__(self, scale):
            self.scale = scale

        def forward(self, x):
            return self.scale * x

    kernel = FakeKernel({"Net": Net})
    net = RemoteNamespace(kernel)["Net"](3.0)
    assert isinstance(net, RemoteObject)          # an instance: a handle, not a copy
    assert net.scale == 3.0
    np.testing.assert_array_equal(net.forward(np.ones(2)), [3.0, 3.0])


def test_in_place_changes_come_back_to_the_graders_arguments():
    def step(params, grads, lr=0.1):
        for k in params:
            params[k] -= lr * grads[k]
        grads.clear()

    params = {"w": np.array([1.0, 2.0])}
    grads = {"w": np.array([10.0, 10.0])}
    RemoteNamespace(FakeKernel({"step": step}))["step"](params, grads, lr=0.1)
    np.testing.assert_allclose(params["w"], [0.0, 1.0])
    assert grads == {}


def test_delegation_is_reported_from_the_kernel():
    import dlcore as dl
    from dlcore.grading import IntegrityError
    from dlcore.grading._core import call

    def relu(x):
        return dl.activations.relu(x)

    f = RemoteNamespace(FakeKernel({"relu": relu}))["relu"]
    with pytest.raises(IntegrityError, match="calls dlcore.activations.relu"):
        call(f, "relu", (np.array([-1.0, 2.0]),), forbidden=[dl.activations.relu])


def test_a_huge_or_malformed_reply_is_refused():
    with pytest.raises(ValueError):
        parse_reply("'" + "x" * 10 + "'")  # not JSON
    with pytest.raises(ValueError):
        parse_reply(repr(json.dumps({"neither": 1})))
    with pytest.raises(ValueError, match="too large"):
        parse_reply("x" * 64_000_001)


@pytest.mark.parametrize("source, calls", [
    ('check("conv_forward", "shape")', [("conv_forward", "shape", False)]),
    ('check("a", "values")\n### BEGIN HIDDEN TESTS\ncheck("a", "values", hidden=True)\n'
     '### END HIDDEN TESTS', [("a", "values", False), ("a", "values", True)]),
    ('check("a")', [("a", "values", False)]),
    ("# only a comment", []),
])
def test_test_cells_are_read_not_run(source, calls):
    assert parse_checks(source) == calls


@pytest.mark.parametrize("source", [
    'import os\ncheck("a", "values")', 'check(name, "values")', 'print("hi")',
    'check("a", "values", hidden=flag)', "def check(): pass", 'check("a", "b", "c", "d")',
])
def test_a_test_cell_with_other_code_is_not_gradable(source):
    with pytest.raises(NotGradable):
        parse_checks(source)


def test_ellipsis_sets_and_generators_are_data():
    ns = RemoteNamespace(FakeKernel({"PARAMS": {"conv1": 10, "fc": ...},
                                     "TERMS": {(3, 1), (2, 2)}}))
    assert ns["PARAMS"] == {"conv1": 10, "fc": ...}
    assert ns["TERMS"] == {(3, 1), (2, 2)}

    def draw(shape, rng):
        return rng.random(shape)

    rng = np.random.default_rng(7)
    twin = np.random.default_rng(7)
    got = RemoteNamespace(FakeKernel({"draw": draw}))["draw"]((3,), rng)
    np.testing.assert_array_equal(got, twin.random(3))
    np.testing.assert_array_equal(rng.random(2), twin.random(2))  # the state came back


def _grad_at(c, theta):
    return 2 * (np.asarray(theta) - c)


def test_a_graders_function_built_from_a_module_function_can_be_passed():
    import functools

    def descend(grad_fn, theta, lr, steps):
        for _ in range(steps):
            theta = theta - lr * grad_fn(theta)
        return theta

    f = RemoteNamespace(FakeKernel({"descend": descend}))["descend"]
    got = f(functools.partial(_grad_at, np.array([1.0, -1.0])), np.zeros(2), 0.25, 20)
    np.testing.assert_allclose(got, [1.0, -1.0], atol=1e-5)
    with pytest.raises(TypeError, match="cannot be sent"):
        f(lambda t: t, np.zeros(2), 0.1, 1)


def test_warnings_given_in_the_kernel_are_given_again():
    import warnings

    def noisy(x):
        warnings.warn("did not converge", RuntimeWarning, stacklevel=2)
        return x

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        RemoteNamespace(FakeKernel({"noisy": noisy}))["noisy"](1)
    assert [(w.category, str(w.message)) for w in caught] == \
        [(RuntimeWarning, "did not converge")]


def test_a_graders_wrapper_passes_its_forbidden_list_down_to_the_kernel():
    import dlcore as dl
    from dlcore.grading import IntegrityError
    from dlcore.grading._core import call

    def relu(x):
        return dl.activations.relu(x)

    f = RemoteNamespace(FakeKernel({"relu": relu}))["relu"]

    def wrapper(g, x):  # the grader's own helper, as dropout's _drop_apply
        return g(x) + 0

    with pytest.raises(IntegrityError, match="calls dlcore.activations.relu"):
        call(wrapper, "relu", (f, np.array([-1.0, 2.0])), forbidden=[dl.activations.relu])


def test_a_forbidden_method_is_found_by_its_qualified_name():
    import dlcore as dl
    from dlcore.grading import IntegrityError
    from dlcore.grading._core import call

    def grads(a, b):
        x, y = dl.Value(a), dl.Value(b)
        z = x * y
        z.backward()
        return x.grad, y.grad

    f = RemoteNamespace(FakeKernel({"grads": grads}))["grads"]
    with pytest.raises(IntegrityError, match="Value.backward"):
        call(f, "grads", (2.0, 3.0), forbidden=[dl.Value.backward])


def test_a_students_model_is_predicted_in_the_kernel_and_its_instances_are_not_callable():
    import dlcore as dl

    model = dl.nn.Sequential(dl.nn.Linear(2, 2, rng=np.random.default_rng(0)))
    remote = RemoteNamespace(FakeKernel({"model": model, "cfg": object()}))
    handle = remote["model"]
    assert handle._dlcore_is_module
    X = np.random.default_rng(1).normal(size=(5, 2))
    np.testing.assert_array_equal(handle._dlcore_predict(X), dl.nn.predict(model, X))
    assert not callable(remote["cfg"])
