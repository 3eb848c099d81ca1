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


# -- a real kernel, reached over the socket (grader.trusted._Bridge) ---------------------------

class LiveKernel:
    """A kernel and its nbclient client on an event loop of their own, as the grader has them
    (in a sandbox when ``sandboxed``); ``bridge()`` is a test cell's bridge."""

    def __init__(self, timeout: int, sandboxed: bool = False):
        import asyncio
        import threading

        import nbformat
        from nbclient import NotebookClient

        kwargs = {}
        if sandboxed:
            from grader.sandbox import SandboxedKernelManager

            kwargs["kernel_manager_class"] = SandboxedKernelManager
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = NotebookClient(nbformat.v4.new_notebook(), timeout=timeout,
                                     kernel_name="python3", **kwargs)
        self.run(self._start())

    async def _start(self):
        self.client.create_kernel_manager()
        await self.client.async_start_new_kernel()
        await self.client.async_start_new_kernel_client()

    def run(self, coro):
        import asyncio

        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def execute(self, code: str) -> str:
        """Run a cell of the notebook: its status ("ok", "error"; "none" past the time limit)."""
        async def go():
            msg_id = self.client.kc.execute(code)
            return await self.client.async_wait_for_reply(msg_id)

        reply = self.run(go())
        return "none" if reply is None else reply["content"]["status"]

    def bridge(self):
        from grader.trusted import _Bridge

        return _Bridge(self.client, self.loop)

    def alive(self) -> bool:
        return self.run(self.client.km.is_alive())

    def shutdown(self):
        if self.client.km is not None:
            self.run(self.client._async_cleanup_kernel())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


STUDENT = '''
import numpy as np, warnings

def double(x):
    return 2 * x

def step(params, grads, lr=0.1):
    for k in params:
        params[k] -= lr * grads[k]

def noisy(n):
    for i in range(n):
        print("line", i, "x" * 200)
    warnings.warn("chatty", RuntimeWarning)
    return n

def hang():
    while True:
        pass
'''


def _sandboxes():
    from grader.sandbox import sandbox_status

    ok, why = sandbox_status()
    return ["plain", pytest.param("sandbox", marks=pytest.mark.skipif(not ok, reason=why))]


@pytest.fixture(scope="module", params=_sandboxes())
def live(request):
    kernel = LiveKernel(timeout=3, sandboxed=request.param == "sandbox")
    assert kernel.execute(STUDENT) == "ok"
    yield kernel
    kernel.shutdown()


def test_a_test_cell_talks_to_the_kernel_over_one_loop(live):
    import warnings

    bridge = live.bridge()
    ns = RemoteNamespace(bridge)
    np.testing.assert_array_equal(ns["double"](np.arange(3.0)), [0.0, 2.0, 4.0])
    params = {"w": np.array([1.0, 2.0])}
    ns["step"](params, {"w": np.array([10.0, 10.0])})
    np.testing.assert_allclose(params["w"], [0.0, 1.0])          # the in-place change
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert ns["noisy"](2000) == 2000                          # printing breaks nothing
    assert [str(w.message) for w in caught] == ["chatty"]
    assert bridge._sock is not None                               # one loop served them all
    bridge.close()
    assert live.execute("after = 1") == "ok"                      # the loop ended
    # the next test cell starts a loop of its own
    second = live.bridge()
    assert RemoteNamespace(second)["double"](21) == 42
    live.run(second.aclose())
    assert live.execute("after = 2") == "ok"


def test_the_loop_ends_when_the_grader_hangs_up(live):
    bridge = live.bridge()
    assert RemoteNamespace(bridge)["double"](1) == 2
    bridge._drop()                                                # no goodbye
    assert live.execute("after = 3") == "ok"


def test_a_call_past_the_time_limit_is_interrupted_and_the_next_call_works(live):
    from grader.remote import KernelGone

    bridge = live.bridge()
    ns = RemoteNamespace(bridge)
    with pytest.raises(KernelGone, match=r"did not finish within the time limit \(3 s\) and "
                                         r"was interrupted"):
        ns["hang"]()
    assert ns["double"](4) == 8                                   # same test cell, new loop
    bridge.close()
    assert live.execute("after = 4") == "ok" and live.alive()


FORGED = {
    "not JSON": "_dlcore_serve = lambda request: 'not json'",
    "nested too deeply": "_dlcore_serve = lambda request: '[' * 200000 + ']' * 200000",
    "neither ok nor error": "_dlcore_serve = lambda request: '{\"neither\": 1}'",
    "a bad error": "_dlcore_serve = lambda request: '{\"error\": 7}'",
    "oversized": '''
def _dlcore_loop(path, token):
    import socket, struct
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(struct.pack(">I", len(token)) + token.encode())
    s.recv(1 << 16)
    s.sendall(struct.pack(">I", 2 ** 32 - 1) + b"{}" * 1000)
    while s.recv(1 << 16):
        pass
''',
    "a forged greeting": '''
def _dlcore_loop(path, token):
    import socket, struct
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(struct.pack(">I", 4) + b"mine")
    while s.recv(1 << 16):
        pass
''',
    "a closed connection": '''
def _dlcore_loop(path, token):
    import socket, struct
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(struct.pack(">I", len(token)) + token.encode())
    s.close()
''',
}


@pytest.mark.parametrize("forgery", sorted(FORGED))
def test_a_forged_or_oversized_frame_is_unreadable_not_a_crash(live, forgery):
    from grader.remote import KernelGone

    client = live.client
    warm = live.bridge()                           # the real kernel side, defined once
    assert RemoteNamespace(warm)["double"](1) == 2  # (whichever test ran before this one)
    warm.close()
    assert live.execute(FORGED[forgery]) == "ok"   # the student replaces the kernel's side
    client.kc._dlcore_loop_defined = True          # (defined already: not sent again)
    bridge = live.bridge()
    try:
        with pytest.raises(KernelGone, match="the kernel's answer could not be read"):
            RemoteNamespace(bridge).get("double")
    finally:
        bridge.close()
        client.kc._dlcore_loop_defined = False     # the next bridge defines the real one
    assert live.execute("after = 5") == "ok"
    assert RemoteNamespace(bridge)["double"](5) == 10
    bridge.close()


@pytest.mark.parametrize("sandbox", _sandboxes())
def test_a_kernel_that_dies_during_a_call_is_reported(sandbox):
    from grader.remote import KernelGone

    kernel = LiveKernel(timeout=30, sandboxed=sandbox == "sandbox")
    try:
        assert kernel.execute("import os\ndef die(x):\n    os._exit(1)") == "ok"
        bridge = kernel.bridge()
        with pytest.raises(KernelGone, match="the kernel died while your code ran"):
            RemoteNamespace(bridge)["die"](1)
        bridge.close()
        assert not kernel.alive()
    finally:
        kernel.shutdown()


@pytest.mark.parametrize("array", [
    np.arange(6.0).reshape(2, 3), np.array([True, False]), np.zeros((0, 3)),
    np.arange(5, dtype=">i4"), np.zeros((2, 3, 4), dtype=np.uint8), np.array([], np.float16),
    np.asfortranarray(np.arange(12).reshape(3, 4)), np.arange(24).reshape(2, 3, 4)[:, ::2],
])
def test_arrays_are_read_as_numpy_writes_them(array):
    from grader.remote import npy_array, npy_bytes

    ours = npy_bytes(array)
    for raw in (ours, _saved(array)):
        back = npy_array(raw)
        assert back.dtype == array.dtype and back.shape == array.shape
        np.testing.assert_array_equal(back, array)
        assert back.flags.writeable and back.flags.owndata
    theirs = np.load(io.BytesIO(ours), allow_pickle=False)
    assert theirs.dtype == array.dtype and theirs.shape == array.shape


def _saved(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


@pytest.mark.parametrize("raw", [
    _saved(np.arange(4.0))[:-8],                                      # data cut short
    _saved(np.arange(4.0)) + b"\0" * 8,                               # data left over
    _saved(np.arange(4.0)).replace(b"(4,)", b"(9,)"),                 # a shape it lacks
    _saved(np.arange(4.0)).replace(b"'<f8'", b"'|O8'"),               # objects
    _saved(np.arange(4.0)).replace(b"'<f8'", b"'>b8'"),               # no such type
    b"\x93NUMPY\x01\x00" + b"\xff\xff" + b"{" * 20,                    # a broken header
])
def test_an_array_whose_header_lies_is_refused(raw):
    with pytest.raises(ValueError):
        decode({"nd": base64.b64encode(raw).decode()})
