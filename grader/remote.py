"""The student's objects, seen from the grader: handles into the sandboxed kernel, data only.

The checks of ``dlcore.grading`` run in the grader's own process.  They look names up in a
``RemoteNamespace`` instead of the notebook's ``globals()``: a function, a class or any other
object of the student's is a ``RemoteObject`` (a handle); a number, a string, an array, or a
tuple/list/dict of those arrives as a copy.  Calling a handle sends its arguments to the kernel
as data and brings the result back as data (or as a new handle when it is not data), so that
nothing the student wrote ever runs in the grader, and nothing the kernel sends can be more
than data: JSON with numeric arrays as base64 ``.npy`` (``allow_pickle=False``), size-capped.

The kernel side is ``KERNEL_CODE``, defined once per kernel (it keeps only a table of handles
between requests).  During a test cell one execute runs ``_dlcore_loop``, which answers the
grader's requests over a unix socket (frames: a 4-byte big-endian length, then UTF-8 JSON;
``frame``, ``parse_frame``) until the grader sends an empty frame or disconnects.  Whatever
the kernel answers only ever stands for the student's own objects: a student who tampers with
it can only misreport their own functions' results, which they could as well compute in
those functions.
"""

from __future__ import annotations

import ast
import base64
import functools
import io
import json
import math
import re
import struct
import warnings

import numpy as np

__all__ = ["encode", "decode", "RemoteObject", "RemoteFunction", "RemoteNamespace", "RemoteError",
           "KernelGone", "KERNEL_CODE", "MAX_REPLY_CHARS", "kernel_request", "kernel_loop",
           "frame", "parse_frame", "parse_reply", "npy_bytes", "npy_array"]

#: The largest reply the grader reads from the kernel (characters of JSON).
MAX_REPLY_CHARS = 64_000_000
_MAX_DEPTH = 32


class RemoteError(Exception):
    """The student's code raised in the kernel: ``kind`` is the exception's class name."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind, self.message = kind, message


def remote_exception(kind: str, message: str) -> RemoteError:
    """An exception whose class is named as the student's (``ValueError``...), so that a
    check reports "calling f raised ValueError: ..."; a NotImplementedError is one."""
    name = kind if kind.isidentifier() else "Error"
    bases = (NotImplementedError, RemoteError) if kind == "NotImplementedError" else \
        (RemoteError,)
    cls = type(name, bases, {"__str__": lambda self: self.message})
    exc = cls.__new__(cls)
    RemoteError.__init__(exc, kind, message)
    return exc


class KernelGone(Exception):
    """The kernel did not answer (it died, hit a limit, or ran past the time limit)."""


# -- the wire format, grader side ------------------------------------------------------------

def encode(value, depth: int = 0):
    """A value as JSON-able data (see the module's docstring); TypeError for anything else."""
    if depth > _MAX_DEPTH:
        raise TypeError("value nested too deeply")
    if isinstance(value, RemoteObject):
        return {"handle": [value._handle, callable(value)]}
    if value is None or isinstance(value, (bool, str)):
        return value
    if value is Ellipsis:
        return {"ellipsis": 0}
    if isinstance(value, np.random.Generator):
        return {"rng": encode(value.bit_generator.state, depth + 1)}
    if isinstance(value, functools.partial) and _importable(value.func):
        return {"partial": [value.func.__module__, value.func.__qualname__,
                            encode(tuple(value.args), depth + 1),
                            encode(dict(value.keywords), depth + 1)]}
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else {"float": repr(v)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise TypeError(f"arrays of {value.dtype} cannot be sent")
        return {"nd": base64.b64encode(npy_bytes(value)).decode("ascii")}
    if isinstance(value, tuple):
        return {"tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return {"list": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        tag = "set" if isinstance(value, set) else "frozenset"
        return {tag: [encode(v, depth + 1) for v in value]}
    raise TypeError(f"a {type(value).__name__} cannot be sent to the kernel")


def _importable(func) -> bool:
    """A module-level function the kernel can import by name (no closure, no lambda)."""
    qual = getattr(func, "__qualname__", "")
    return bool(getattr(func, "__module__", None)) and "<" not in qual and \
        getattr(func, "__closure__", None) is None


def decode(data, client=None, depth: int = 0):
    """The value ``encode`` made (a handle becomes a ``RemoteObject`` of ``client``)."""
    if depth > _MAX_DEPTH:
        raise ValueError("reply nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):  # never produced by encode: a malformed reply
        raise ValueError("malformed reply")
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("malformed reply")
    (tag, body), = data.items()
    if tag == "nd":
        raw = base64.b64decode(str(body), validate=True)
        arr = npy_array(raw)
        if arr.dtype.kind not in "biuf":
            raise ValueError("reply array is not numeric")
        return arr
    if tag == "float":
        if body not in ("nan", "inf", "-inf"):
            raise ValueError("malformed reply")
        return float(body)
    if tag == "tuple":
        return tuple(decode(v, client, depth + 1) for v in _items(body))
    if tag == "list":
        return [decode(v, client, depth + 1) for v in _items(body)]
    if tag == "dict":
        out = {}
        for pair in _items(body):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("malformed reply")
            key = decode(pair[0], client, depth + 1)
            if not isinstance(key, (str, int, float, bool, tuple)) and key is not None:
                raise ValueError("malformed reply")
            out[key] = decode(pair[1], client, depth + 1)
        return out
    if tag == "handle":
        if client is None or not (isinstance(body, list) and len(body) == 2
                                  and isinstance(body[0], int) and isinstance(body[1], bool)):
            raise ValueError("malformed reply")
        return (RemoteFunction if body[1] else RemoteObject)(client, body[0])
    if tag == "ellipsis":
        return Ellipsis
    if tag in ("set", "frozenset"):
        items = [decode(v, client, depth + 1) for v in _items(body)]
        try:
            return set(items) if tag == "set" else frozenset(items)
        except TypeError:
            raise ValueError("malformed reply") from None
    if tag == "rng":
        state = decode(body, client, depth + 1)
        try:
            rng = np.random.Generator(getattr(np.random, str(state["bit_generator"]))())
            rng.bit_generator.state = state
        except Exception:  # noqa: BLE001 - anything wrong with it is a malformed reply
            raise ValueError("malformed reply") from None
        return rng
    raise ValueError("malformed reply")


def npy_bytes(value: np.ndarray) -> bytes:
    """A numeric array as a ``.npy`` file (what ``np.save`` writes, C order), quicker."""
    value = np.ascontiguousarray(value)
    header = f"{{'descr': {value.dtype.str!r}, 'fortran_order': False, " \
             f"'shape': {tuple(value.shape)!r}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    if len(header) > 65535 or value.dtype.kind not in "biuf":
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        return buf.getvalue()
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + \
        header.encode("latin1") + value.tobytes()


#: The header ``np.save`` (and ``npy_bytes``) writes for a numeric array: anything else is left
#: to ``np.load``.
_NPY_HEADER = re.compile(rb"\{'descr': '([<>|][biuf][1248])', 'fortran_order': (True|False), "
                         rb"'shape': \(((?:\d{1,12}, )*(?:\d{1,12},?)?)\), \} *\n")


def npy_array(raw: bytes) -> np.ndarray:
    """The array of a ``.npy`` file, never unpickled: a plain numeric header is read here (10x
    quicker than ``np.load`` for a small array), any other with ``np.load(allow_pickle=False)``;
    ValueError when malformed."""
    if raw[:8] == b"\x93NUMPY\x01\x00" and len(raw) >= 10:
        end = 10 + int.from_bytes(raw[8:10], "little")
        found = _NPY_HEADER.fullmatch(raw[10:end])
        if found:
            try:
                dtype = np.dtype(found[1].decode("ascii"))
            except TypeError:  # ">b2"
                raise ValueError("reply array is not numeric") from None
            shape = tuple(int(n) for n in found[3].split(b",") if n.strip())
            count = math.prod(shape)
            if len(raw) - end != count * dtype.itemsize:
                raise ValueError("the array's data does not match its shape")
            flat = np.frombuffer(raw, dtype=dtype, count=count, offset=end)
            order = "F" if found[2] == b"True" else "C"
            return flat.reshape(shape, order=order).copy(order="K")
    return np.load(io.BytesIO(raw), allow_pickle=False)


def _items(body):
    if not isinstance(body, list):
        raise ValueError("malformed reply")
    return body


# -- the kernel side -------------------------------------------------------------------------

#: Defines ``_dlcore_serve(request_json) -> reply_json`` and ``_dlcore_loop(path, token)`` in
#: the student's kernel, once per kernel (compiling it takes 30 ms); ``kernel_loop`` makes the
#: code of the execute that serves one test cell, ``kernel_request`` that of one request
#: answered into ``_dlcore_reply`` (the tests' stand-in kernel).  The handles live in
#: ``sys._dlcore_handles``.
KERNEL_CODE = r'''
def _dlcore_serve(request):
    import base64, functools, importlib, io, json, math, re, sys, warnings
    import numpy as np
    ns = get_ipython().user_ns
    npy = re.compile(rb"\{'descr': '([<>|][biuf][1248])', 'fortran_order': (True|False), "
                     rb"'shape': \(((?:\d{1,12}, )*(?:\d{1,12},?)?)\), \} *\n")
    table = sys.__dict__.setdefault("_dlcore_handles", [])

    def handle(obj):
        table.append(obj)
        return {"handle": [len(table) - 1, callable(obj)]}

    def enc(v, depth=0):
        if depth > 32:
            raise TypeError("value nested too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if v is Ellipsis:
            return {"ellipsis": 0}
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, (float, np.floating)):
            f = float(v)
            return f if math.isfinite(f) else {"float": repr(f)}
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.ndarray) and v.dtype.kind in "biuf":
            v = np.ascontiguousarray(v)
            head = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (v.dtype.str,
                                                                             tuple(v.shape))
            head += " " * (63 - (len(head) + 10) % 64) + "\n"
            raw = (b"\x93NUMPY\x01\x00" + len(head).to_bytes(2, "little")
                   + head.encode("latin1") + v.tobytes())
            return {"nd": base64.b64encode(raw).decode("ascii")}
        if isinstance(v, np.random.Generator):
            return {"rng": enc(v.bit_generator.state, depth + 1)}
        if isinstance(v, tuple):
            return {"tuple": [enc(x, depth + 1) for x in v]}
        if isinstance(v, list):
            return {"list": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"dict": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        if isinstance(v, (set, frozenset)):
            return {"set" if isinstance(v, set) else "frozenset": [enc(x, depth + 1) for x in v]}
        return handle(v)

    def walk(module, qualname):
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        return obj

    def dec(d):
        if d is None or isinstance(d, (bool, int, float, str)):
            return d
        (tag, body), = d.items()
        if tag == "nd":
            raw = base64.b64decode(body)
            found = npy.fullmatch(raw[10:10 + int.from_bytes(raw[8:10], "little")])
            if raw[:8] != b"\x93NUMPY\x01\x00" or not found:
                return np.load(io.BytesIO(raw), allow_pickle=False)
            dtype = np.dtype(found[1].decode("ascii"))
            shape = tuple(int(n) for n in found[3].split(b",") if n.strip())
            flat = np.frombuffer(raw, dtype=dtype, count=math.prod(shape),
                                 offset=10 + int.from_bytes(raw[8:10], "little"))
            return flat.reshape(shape, order="F" if found[2] == b"True" else "C").copy(order="K")
        if tag == "float":
            return float(body)
        if tag == "ellipsis":
            return Ellipsis
        if tag == "tuple":
            return tuple(dec(x) for x in body)
        if tag == "list":
            return [dec(x) for x in body]
        if tag == "dict":
            return {dec(k): dec(x) for k, x in body}
        if tag == "set":
            return {dec(x) for x in body}
        if tag == "frozenset":
            return frozenset(dec(x) for x in body)
        if tag == "rng":
            state = dec(body)
            rng = np.random.Generator(getattr(np.random, state["bit_generator"])())
            rng.bit_generator.state = state
            return rng
        if tag == "partial":
            module, qualname, args, kwargs = body
            return functools.partial(walk(module, qualname), *dec(args), **dec(kwargs))
        if tag == "handle":
            return table[body[0]]
        raise ValueError(tag)

    def is_module(v):
        nn = sys.modules.get("dlcore.nn")
        return nn is not None and isinstance(v, nn.Module)

    req = json.loads(request)
    op = req["op"]
    try:
        if op == "names":
            out = [[k, callable(v)] for k, v in list(ns.items())
                   if isinstance(k, str) and not k.startswith("_")]
            return json.dumps({"ok": out})
        if op == "lookup":
            name = req["name"]
            if name not in ns:
                return json.dumps({"ok": {"kind": "missing"}})
            v = ns[name]
            if v is Ellipsis:
                return json.dumps({"ok": {"kind": "ellipsis"}})
            try:
                data = handle(v) if callable(v) or is_module(v) else enc(v)
            except TypeError:
                data = handle(v)
            return json.dumps({"ok": {"kind": "object", "value": data,
                                      "callable": callable(v), "module": is_module(v),
                                      "type": type(v).__name__}})
        target = table[req["handle"]]
        if op == "getattr":
            return json.dumps({"ok": enc(getattr(target, req["name"]))})
        if op in ("call", "predict"):
            args, kwargs = dec(req["args"]), dec(req["kwargs"])
            forbidden = []
            for module, qualname in req.get("forbidden", []):
                try:
                    forbidden.append(walk(module, qualname))
                except Exception:
                    pass
            from dlcore.grading._integrity import calls_into
            if op == "predict":
                from dlcore.nn import predict
                call, args = predict, (target,) + tuple(args)
            else:
                call = target
            with warnings.catch_warnings(record=True) as caught, np.errstate(**req["errstate"]):
                warnings.simplefilter("always")
                if req.get("guard", True):
                    result, culprit = calls_into(call, args, kwargs, forbidden)
                else:  # dlcore's references are switched off in this kernel: nothing to watch
                    result, culprit = call(*args, **kwargs), None
            out = {"ok": enc(result), "culprit": culprit,
                   "warnings": [[w.category.__name__, str(w.message)[:2000]] for w in caught]}
            if req.get("return_args"):
                out["args"] = enc(args if op == "call" else args[1:])
                out["kwargs"] = enc(kwargs)
            return json.dumps(out)
        raise ValueError(op)
    except BaseException as exc:  # the student's error, reported as data
        return json.dumps({"error": [type(exc).__name__, str(exc)[:2000]]})


def _dlcore_loop(path, token):
    """Answer the grader's requests on the unix socket ``path`` until it says stop (an empty
    frame) or goes away; ``token`` (first frame) tells the grader it is this execute."""
    import socket, struct
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)

    def send(data):
        sock.sendall(struct.pack(">I", len(data)) + data)

    def recv(n):
        buf = bytearray()
        while len(buf) < n:
            chunk = sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    try:
        sock.connect(path)
        send(token.encode("ascii"))
        while True:
            head = recv(4)
            size = struct.unpack(">I", head)[0] if head else 0
            body = recv(size) if size else None
            if body is None:
                return
            send(_dlcore_serve(body.decode("utf-8")).encode("utf-8"))
    except OSError:  # the grader went away
        return
    finally:
        sock.close()
'''


def kernel_loop(path: str, token: str, define: bool) -> str:
    """The code of the execute that serves the grader on the unix socket ``path`` (see the
    module), defining the server first when ``define``."""
    call = f"_dlcore_loop({path!r}, {token!r})\n"
    return (KERNEL_CODE + "\n" + call) if define else call


#: The header of a frame: the length of its JSON, in bytes.
FRAME_HEADER = struct.Struct(">I")


def frame(data: bytes) -> bytes:
    """``data`` as one frame of the socket (header and body)."""
    return FRAME_HEADER.pack(len(data)) + data


def kernel_request(req: dict, define: bool) -> str:
    """The code that answers ``req`` in the kernel (into ``_dlcore_reply``), defining the
    server first when ``define``."""
    call = f"_dlcore_reply = _dlcore_serve({json.dumps(req)!r})\n"
    return (KERNEL_CODE + "\n" + call) if define else call


class RemoteObject:
    """A handle to one of the student's objects in the kernel (not callable: see
    ``RemoteFunction``)."""

    def __init__(self, client, handle: int, name: str = "", module: bool = False):
        self._client, self._handle = client, handle
        self.__name__ = name or f"object {handle}"
        self._dlcore_is_module = module

    def _dlcore_remote_call(self, args, kwargs, forbidden, op: str = "call"):
        """Call in the kernel: (result, culprit) where culprit names a forbidden function the
        student's code called (the kernel's delegation check), or None.  Arrays, lists and
        dicts among the arguments that the student's code changed in place are changed here
        the same way, as a check that reads them afterwards expects; warnings the code gave
        are given again here."""
        from dlcore.grading import _integrity

        forbidden = list(forbidden) + _integrity.active_forbidden()
        names = [[getattr(f, "__module__", "") or "", getattr(f, "__qualname__", "") or ""]
                 for f in forbidden]
        reply = self._client.request({"op": op, "handle": self._handle,
                                      "args": encode(tuple(args)),
                                      "kwargs": encode(dict(kwargs)), "forbidden": names,
                                      "errstate": {k: v for k, v in np.geterr().items()},
                                      "return_args": True,
                                      "guard": bool(getattr(self._client, "guard", True))})
        result = decode(reply["ok"], self._client)
        if "args" in reply:
            _sync(tuple(args), decode(reply["args"], self._client))
            _sync(dict(kwargs), decode(reply["kwargs"], self._client))
        for category, message in reply.get("warnings") or []:
            warnings.warn(str(message), _warning_class(str(category)), stacklevel=2)
        culprit = reply.get("culprit")
        culprit = culprit if isinstance(culprit, str) else None
        if culprit is not None:
            _integrity.report_culprit(culprit)
        return result, culprit

    def _dlcore_predict(self, X, labels: bool = True):
        """``dlcore.nn.predict`` of the student's model, run in the kernel."""
        result, culprit = self._dlcore_remote_call((X,), {"labels": labels}, (), op="predict")
        return result

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        reply = self._client.request({"op": "getattr", "handle": self._handle, "name": name})
        return decode(reply["ok"], self._client)

    def __repr__(self) -> str:
        return f"<the notebook's {self.__name__}>"


class RemoteFunction(RemoteObject):
    """A handle to a function (or any callable) of the student's."""

    def __call__(self, *args, **kwargs):
        result, culprit = self._dlcore_remote_call(args, kwargs, ())
        return result


def _warning_class(name: str) -> type:
    import builtins

    found = getattr(builtins, name, None)
    if isinstance(found, type) and issubclass(found, Warning):
        return found
    return type(name if name.isidentifier() else "Warning", (UserWarning,), {})


def _sync(original, changed, depth: int = 0) -> None:
    """Copy in-place changes of the kernel's copy of an argument back into ``original``."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        original.bit_generator.state = changed.bit_generator.state
    elif isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
        if original.shape == changed.shape and original.flags.writeable:
            try:
                original[...] = changed
            except (TypeError, ValueError):
                pass
    elif isinstance(original, (tuple, list)) and isinstance(changed, (tuple, list)):
        if isinstance(original, list) and len(original) != len(changed):
            original[:] = list(changed)
            return
        for o, c in zip(original, changed):
            _sync(o, c, depth + 1)
        if isinstance(original, list):
            for i, (o, c) in enumerate(zip(original, changed)):
                if not isinstance(o, (np.ndarray, list, dict)):
                    original[i] = c
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key, value in changed.items():
            if key in original and isinstance(original[key], (np.ndarray, list, dict)):
                _sync(original[key], value, depth + 1)
            else:
                original[key] = value
        for key in [k for k in original if k not in changed]:
            del original[key]


class RemoteNamespace:
    """The notebook's namespace as the checks read it (``ns[name]``, ``name in ns``,
    ``ns.get``, ``ns.items()``), answered by the kernel."""

    def __init__(self, client):
        self._client = client
        self._cache: dict = {}

    def _lookup(self, name: str):
        if name not in self._cache:
            self._cache[name] = self._client.request({"op": "lookup", "name": name})["ok"]
        return self._cache[name]

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and self._lookup(name)["kind"] != "missing"

    def __getitem__(self, name):
        info = self._lookup(name)
        if info["kind"] == "missing":
            raise KeyError(name)
        if info["kind"] == "ellipsis":
            return Ellipsis
        value = info["value"]
        if isinstance(value, dict) and set(value) == {"handle"}:
            cls = RemoteFunction if info.get("callable") else RemoteObject
            return cls(self._client, int(value["handle"][0]), name, bool(info.get("module")))
        return decode(value, self._client)

    def get(self, name, default=None):
        return self[name] if name in self else default

    def items(self):
        """(name, stand-in) for every public name: the stand-in is callable when the
        notebook's object is (enough to suggest a close name, nothing more)."""
        names = self._client.request({"op": "names"})["ok"]
        return [(str(n), _callable_stub if c else None) for n, c in names]

    def keys(self):
        return [n for n, _ in self.items()]


def _callable_stub(*args, **kwargs):  # stands for a function of the notebook in items()
    raise TypeError("only a stand-in for one of the notebook's functions")


def parse_reply(text: str) -> dict:
    """The kernel's answer (the repr of a JSON string) as a dict; ValueError when malformed."""
    if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
        raise ValueError("reply too large or missing")
    raw = ast.literal_eval(text)
    if not isinstance(raw, str):
        raise ValueError("malformed reply")
    return _checked(json.loads(raw))


def parse_frame(body: bytes) -> dict:
    """The body of a frame the kernel sent (UTF-8 JSON) as a dict, as ``parse_reply``:
    ValueError (or TypeError, RecursionError) when malformed, the student's error raised."""
    if not isinstance(body, (bytes, bytearray)) or len(body) > MAX_REPLY_CHARS:
        raise ValueError("reply too large or missing")
    return _checked(json.loads(bytes(body).decode("utf-8")))


def _checked(reply) -> dict:
    if not isinstance(reply, dict):
        raise ValueError("malformed reply")
    if "error" in reply:
        kind, message = reply["error"]
        raise remote_exception(str(kind), str(message))
    if "ok" not in reply:
        raise ValueError("malformed reply")
    return reply
