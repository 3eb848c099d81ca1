"""Scores decided by the grader, never inside the student's interpreter.

``TrustedExecute`` is the Execute preprocessor of ``python -m grader grade`` (and of ``nbgrader
autograde`` with the course's configuration).  The student's kernel, in its sandbox, runs the
cells the student could edit and the locked cells that set the notebook up, as before.  A test
cell is not sent to the kernel at all: the grader reads its ``check(exercise, part,
hidden=...)`` calls, runs those checks (``dlcore.grading``) in its own process against a
``RemoteNamespace`` (the student's functions are handles into the kernel, called with data),
and writes the cell's outputs itself: the lines the check printed, and for a failed check an
error whose message is its hint.  nbgrader scores the cell from those outputs.

So redefining ``check``, an IPython hook that hides errors, an input transformer that empties
test cells, a patched checker class, numpy or builtins, all inside the kernel, change nothing:
the test cells' code never runs there, and what the kernel can send back is data about the
student's own functions.  Hidden cases are drawn in the grader (``dlcore.grading.case_rng``,
from the instructor's secret, which the sandbox never sees).
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import contextlib
import hmac
import importlib
import io
import json
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from nbformat import NotebookNode

from .limits import TIMEOUTS
from .remote import (
    FRAME_HEADER,
    MAX_REPLY_CHARS,
    KernelGone,
    RemoteError,
    RemoteNamespace,
    frame,
    kernel_loop,
    parse_frame,
)
from .sandbox import DIED_IN, EVENTS, SandboxedKernelManager, _sandboxed_execute, prepare_runtime

__all__ = ["parse_checks", "grade_test_cell", "NotGradable"]  # and TrustedExecute (lazy)

#: Longest text a test cell's output keeps (what the checks printed).
MAX_TEXT = 20_000


class NotGradable(ValueError):
    """A test cell holds something else than ``check(...)`` calls."""


def parse_checks(source: str) -> list[tuple[str, str, bool]]:
    """The ``check("exercise", "part", hidden=...)`` calls of a test cell, in order.

    A test cell of the course holds only such calls (and comments); anything else raises
    ``NotGradable``, so that an instructor who writes other test code hears of it instead of
    having it run in the student's kernel.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotGradable(f"the test cell is not valid Python ({exc.msg})") from None
    calls = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "check"):
            raise NotGradable(f"line {node.lineno}: a test cell may only call check(...)")
        try:
            args = [ast.literal_eval(a) for a in call.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        except ValueError:
            raise NotGradable(f"line {node.lineno}: check(...) takes literal arguments") \
                from None
        if not (1 <= len(args) <= 3) or set(kwargs) - {"part", "hidden"} or \
                not all(isinstance(a, (str, bool)) for a in args):
            raise NotGradable(f"line {node.lineno}: check(exercise, part, hidden=...)")
        exercise = args[0]
        part = args[1] if len(args) > 1 else kwargs.get("part", "values")
        hidden = args[2] if len(args) > 2 else kwargs.get("hidden", False)
        if not (isinstance(exercise, str) and isinstance(part, str)
                and isinstance(hidden, bool)):
            raise NotGradable(f"line {node.lineno}: check(exercise, part, hidden=...)")
        calls.append((exercise, part, hidden))
    return calls


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _assignment(aid: str):
    module = importlib.import_module(f"dlcore.grading.{aid}")
    found = getattr(module, "ASSIGNMENT", None)
    if found is None:
        found = module.checker.__self__
    return found


#: What the grader says when the student's code did not answer in time (``{}``: seconds).
_TIMED_OUT = "your code did not finish within the time limit ({} s) and was interrupted"
_DIED = "the kernel died while your code ran (a crash, os._exit, or the memory limit)"
_UNREADABLE = "the kernel's answer could not be read ({})"


class _TimedOut(Exception):
    pass


class _Closed(Exception):
    pass


class _Bridge:
    """``request(dict) -> dict``, from the check's thread, answered by the notebook client's
    kernel over a unix socket.

    The first request starts one execute in the kernel, ``_dlcore_loop`` (grader.remote), which
    connects to a socket the grader listens on in the directory of the kernel's connection
    file (shared with the sandbox) and answers frames until ``close``/``aclose`` (once per test
    cell) sends it an empty one or the grader goes away.  A request is then a write and a read
    on that socket from the check's thread: no execute, no hop to the event loop.  Only
    starting and ending the loop, a request that takes more than a second (is the kernel
    alive?), and a time-out (interrupt) use the client's connection, on its event loop.

    A request past ``client.timeout`` seconds interrupts the kernel and raises ``KernelGone``
    (the next request starts a new loop); a kernel that dies raises ``KernelGone``; a frame
    that is too large, or not JSON of the expected form, raises ``KernelGone`` ("could not be
    read"): whatever the kernel sends is only ever parsed as data (``parse_frame``).
    """

    #: Seconds to wait for a loop's execute to end once told to stop, or once interrupted.
    END_WAIT, INTERRUPT_WAIT = 10.0, 5.0
    #: Seconds between looks at whether the kernel is alive while a request runs.
    ALIVE_EVERY = 1.0

    def __init__(self, client, loop, guard: bool = True):
        self.client, self.loop = client, loop
        # False: the kernel runs with dlcore's references switched off, so its delegation
        # check (a profiler around every call of the student's functions) has nothing to find
        self.guard = guard
        self._sock = None     # the connection to the running loop
        self._msg_id = None   # the execute that runs it
        self._lock = threading.Lock()

    # -- from the check's thread ------------------------------------------------------------

    def request(self, req: dict) -> dict:
        with self._lock:
            if self._sock is None:
                self._start()
            return self._exchange(json.dumps(req).encode("utf-8"))

    def close(self) -> None:
        """End the kernel's loop (from a thread other than the event loop's)."""
        with self._lock:
            msg_id = self._stop()
        if msg_id is not None:
            self._on_loop(self._await_end(msg_id, self.END_WAIT))

    # -- on the event loop ------------------------------------------------------------------

    async def aclose(self) -> None:
        """End the kernel's loop, and wait for its execute to end (the kernel is then free for
        the notebook's next cell); on the event loop, once no request is under way."""
        msg_id = self._stop()
        if msg_id is not None:
            await self._await_end(msg_id, self.END_WAIT)

    # -- the loop's life ----------------------------------------------------------------------

    def _deadline(self):
        timeout = self.client.timeout
        return time.monotonic() + timeout if timeout else None

    def _socket_path(self) -> tuple[str, str | None]:
        """Where to listen: the folder of the kernel's connection file (in a sandbox, the
        folder it shares with the grader); and a folder made for it, or None."""
        km = self.client.km
        connection_file = getattr(km, "connection_file", None) or \
            self.client.kc.connection_file
        name = f"dlcore-{secrets.token_hex(8)}.sock"
        path = os.path.join(os.path.dirname(os.path.abspath(connection_file)), name)
        if len(path.encode()) <= 100:
            return path, None
        folder = tempfile.mkdtemp(prefix="dlcore-")  # too long for a socket: no sandbox here
        return os.path.join(folder, name), folder

    def _start(self) -> None:
        kc = self.client.kc
        deadline = self._deadline()
        (path, folder), token = self._socket_path(), secrets.token_hex(16)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn = None
        try:
            listener.bind(path)
            os.chmod(path, 0o666)  # the sandbox's user; the directory guards it
            listener.listen(1)
            define = getattr(kc, "_dlcore_loop_defined", None) is not True
            self._msg_id = self._on_loop(self._execute(kernel_loop(path, token, define)))
            while conn is None:
                listener.settimeout(0.2)
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    reply = self._on_loop(self._poll_end(self._msg_id))
                    if reply is not None:
                        self._msg_id = None
                        content = reply.get("content", {})
                        if content.get("status") != "ok":
                            raise KernelGone(f"the kernel could not run the check "
                                             f"({content.get('ename')}: "
                                             f"{content.get('evalue')})") from None
                        raise KernelGone("the notebook's kernel did not answer the check") \
                            from None
                    if deadline is not None and time.monotonic() > deadline:
                        self._time_out()
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
                if folder is not None:
                    os.rmdir(folder)
        self._sock = conn
        try:
            hello = self._read_frame(deadline, limit=1024)
        except _Closed:
            self._closed()
        except _TimedOut:
            self._time_out()
        except ValueError:
            hello = b""
        if not hmac.compare_digest(hello, token.encode("ascii")):
            self._drop()
            raise KernelGone(_UNREADABLE.format("the kernel's loop did not say who it is"))
        kc._dlcore_loop_defined = True

    def _exchange(self, data: bytes) -> dict:
        deadline = self._deadline()
        try:
            try:
                self._sock.settimeout(None if deadline is None else
                                      max(deadline - time.monotonic(), 0.001))
                self._sock.sendall(frame(data))
            except TimeoutError:
                raise _TimedOut from None
            except OSError:
                raise _Closed from None
            body = self._read_frame(deadline)
        except _TimedOut:
            self._time_out()
        except _Closed:
            self._closed()
        except ValueError as exc:  # a frame larger than the grader reads
            self._drop()
            raise KernelGone(_UNREADABLE.format(exc)) from None
        try:
            return parse_frame(body)
        except RemoteError:
            raise  # the student's code raised: the check reports it
        except (ValueError, SyntaxError, TypeError, KeyError, MemoryError,
                RecursionError) as exc:
            raise KernelGone(_UNREADABLE.format(exc)) from None

    def _read_frame(self, deadline, limit: int = MAX_REPLY_CHARS) -> bytearray:
        size = FRAME_HEADER.unpack(self._recv_exact(FRAME_HEADER.size, deadline))[0]
        if size > limit:
            raise ValueError(f"a reply of {size} bytes, more than {limit}")
        return self._recv_exact(size, deadline)

    def _recv_exact(self, n: int, deadline) -> bytearray:
        buf = bytearray(n)
        view, got = memoryview(buf), 0
        checked = time.monotonic()
        while got < n:
            wait = self.ALIVE_EVERY if deadline is None else \
                min(self.ALIVE_EVERY, deadline - time.monotonic())
            if wait <= 0:
                raise _TimedOut
            self._sock.settimeout(wait)
            try:
                k = self._sock.recv_into(view[got:], min(n - got, 1 << 20))
            except TimeoutError:
                k = None
            except OSError:
                raise _Closed from None
            if k == 0:
                raise _Closed
            if k:
                got += k
            if time.monotonic() - checked >= self.ALIVE_EVERY:
                checked = time.monotonic()
                if not self._on_loop(self._alive()):
                    self._drop()
                    raise KernelGone(_DIED)
        return buf

    def _time_out(self):
        """Past the time limit: interrupt the kernel, end the loop, say so."""
        msg_id = self._msg_id
        self._drop()
        with contextlib.suppress(Exception):
            self._on_loop(self._interrupt())
        if msg_id is not None:  # (so that the interrupt cannot reach the next execute)
            self._on_loop(self._await_end(msg_id, self.INTERRUPT_WAIT))
        raise KernelGone(_TIMED_OUT.format(self.client.timeout)) from None

    def _closed(self):
        """The kernel's end of the socket closed: the kernel died, or its loop ended."""
        msg_id = self._msg_id
        self._drop()
        end = time.monotonic() + 5
        while msg_id is not None and time.monotonic() < end:
            if self._on_loop(self._poll_end(msg_id)) is not None:
                break
            time.sleep(0.05)
        raise KernelGone(_UNREADABLE.format("the kernel closed the connection")) from None

    def _drop(self) -> None:
        sock, self._sock, self._msg_id = self._sock, None, None
        if sock is not None:
            sock.close()

    def _stop(self):
        """Tell the loop to end (an empty frame) and hang up: the loop's execute, or None."""
        sock, msg_id = self._sock, self._msg_id
        self._sock = self._msg_id = None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.settimeout(1.0)
                sock.sendall(frame(b""))
            sock.close()
        return msg_id

    def _on_loop(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _execute(self, code: str) -> str:
        return self.client.kc.execute(code, silent=True, store_history=False,
                                      allow_stdin=False)

    async def _alive(self) -> bool:
        from jupyter_core.utils import ensure_async

        return bool(await ensure_async(self.client.kc.is_alive()))

    async def _interrupt(self) -> None:
        from jupyter_core.utils import ensure_async

        await ensure_async(self.client.km.interrupt_kernel())

    async def _poll_end(self, msg_id: str):
        """The loop's execute reply if it came (others are dropped: replies nobody waits
        for), else None; KernelGone when the kernel died."""
        from queue import Empty

        from jupyter_core.utils import ensure_async

        channel = self.client.kc.shell_channel
        while True:
            try:
                msg = await ensure_async(channel.get_msg(timeout=0))
            except Empty:
                break
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg
        if not await self._alive():
            raise KernelGone(_DIED)
        return None

    async def _await_end(self, msg_id: str, seconds: float):
        """Wait up to ``seconds`` for the loop's execute reply (None: it did not come, or the
        kernel died)."""
        from queue import Empty

        from jupyter_core.utils import ensure_async

        channel = self.client.kc.shell_channel
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await ensure_async(channel.get_msg(timeout=min(left, 0.5)))
            except Empty:
                if not await self._alive():
                    return None
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg
        return None


def _checker(assignment, namespace, student: str | None):
    from dlcore.grading._core import Checker, Context

    class TrustedChecker(Checker):
        """The notebook's ``check``, run by the grader: the student is the submission's."""

        def context(self, ex):
            declared = self.namespace.get("STUDENT_ID")
            declared = str(declared).strip() if declared not in (None, Ellipsis) else None
            if student is not None:
                if ex.variant and not declared:
                    print(f"STUDENT_ID not set in the notebook; graded with {student!r}'s "
                          f"numbers.")
                elif ex.variant and declared != student:
                    print(f"STUDENT_ID MISMATCH: the notebook declares {declared!r} but the "
                          f"submission belongs to {student!r}; graded with {student!r}'s "
                          f"numbers.")
                return Context(self.assignment.id, student, True)
            return Context(self.assignment.id, declared, True)

    return TrustedChecker(assignment, namespace)


class _Unavailable:
    """Stands for a function the notebook defines, but not when dlcore's references are
    switched off (a cell that fails before reaching its ``def`` there)."""

    def __init__(self, name: str):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        raise RemoteError("NameError", (
            f"{self.__name__} could not be defined when the notebook ran with dlcore's own "
            f"implementations of the exercises switched off: a cell of yours stops with an "
            f"error before it defines {self.__name__} (define it in a cell of its own, "
            f"without training or test code)"))


class _RoutedNamespace(RemoteNamespace):
    """The notebook as the checks see it when the assignment trains a model with dlcore: the
    trained names (``Assignment.trained``) and every value come from the notebook's kernel,
    where dlcore is complete; every function from a second kernel that ran the same cells
    with dlcore's references switched off, where no function can call them."""

    def __init__(self, bridge, functions, trained):
        super().__init__(bridge)
        self._functions = RemoteNamespace(functions)
        self._trained = frozenset(trained)

    def _function(self, name):
        """The shadow kernel's function ``name``, or None when it is not one there."""
        if name in self._trained or name not in self._functions:
            return None
        info = self._functions._lookup(name)
        if info["kind"] == "object" and info.get("callable") and not info.get("module"):
            return self._functions[name]
        return None

    def __contains__(self, name) -> bool:
        return self._function(name) is not None or super().__contains__(name)

    def __getitem__(self, name):
        found = self._function(name)
        if found is not None:
            return found
        if name not in self._trained:
            info = self._lookup(name)
            if info["kind"] == "object" and info.get("callable") and not info.get("module"):
                return _Unavailable(name)  # a function only where dlcore is whole
        return super().__getitem__(name)


def grade_test_cell(calls, assignment, bridge, student, functions=None
                    ) -> tuple[str, tuple | None]:
    """Run a test cell's checks in this process: (printed text, (ename, evalue) or None).

    ``functions``: a bridge to the kernel with dlcore's references switched off, where the
    student's functions are called (``_RoutedNamespace``); None: everything from ``bridge``.
    """
    from dlcore.grading import GradingError, IntegrityError
    from dlcore.grading._core import grading_as

    out = io.StringIO()
    error = None
    namespace = RemoteNamespace(bridge) if functions is None else \
        _RoutedNamespace(bridge, functions, getattr(assignment, "trained", ()))
    checker = _checker(assignment, namespace, student)
    with contextlib.redirect_stdout(out), grading_as(student):
        for exercise, part, hidden in calls:
            try:
                checker(exercise, part, hidden)
            except (GradingError, IntegrityError) as exc:
                error = (type(exc).__name__, str(exc))
            except KernelGone as exc:
                error = ("GradingError", f"{exercise}: {exc}")
            except KeyError as exc:  # an unknown exercise or part: the instructor's slip
                error = ("GradingError", str(exc.args[0]) if exc.args else str(exc))
            except Exception as exc:  # a check that could not handle the student's answer
                error = ("GradingError", f"{exercise}: your answer could not be checked "
                                         f"({type(exc).__name__}: {exc})")
            if error is not None:
                break
    return out.getvalue(), error


def _outputs(text: str, error) -> list:
    outputs = []
    if text:
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT] + "\n... (output cut by the grader)\n"
        outputs.append(NotebookNode(output_type="stream", name="stdout", text=text))
    if error is not None:
        ename, evalue = error
        outputs.append(NotebookNode(output_type="error", ename=ename, evalue=evalue,
                                    traceback=[f"{ename}: {evalue}"]))
    return outputs


_RUNTIMES: dict[tuple[str, bool], Path] = {}


def graded_runtime(assignment_id: str, switched_off: bool) -> Path:
    """The sandbox's copy of dlcore for an assignment (made once per process): with the
    assignment's references and the check modules switched off (``switched_off``), or whole
    (for the kernel that trains the notebook's model).  torch, scipy... are blocked in both."""
    key = (assignment_id, switched_off)
    if key not in _RUNTIMES:
        base = Path(tempfile.mkdtemp(prefix="dlcore-runtime-"))
        atexit.register(_remove_tree, base)
        assignment = _assignment(assignment_id)
        refs = assignment.references if switched_off else ()
        _RUNTIMES[key] = prepare_runtime(base / "site", refs, stub_grading=switched_off,
                                         keep=getattr(assignment, "sent", ()))
    return _RUNTIMES[key]


def _remove_tree(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        with contextlib.suppress(OSError):
            p.chmod(0o700 if p.is_dir() else 0o600)
    shutil.rmtree(path, ignore_errors=True)


def _trusted_execute():
    import copy

    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from nbclient.util import run_sync

    SandboxedExecute = _sandboxed_execute()

    class TrustedExecute(SandboxedExecute):
        """Execute in the sandbox, test cells graded by the grader (see the module)."""

        def preprocess(self, nb, resources=None, km=None):
            info = (resources or {}).get("nbgrader", {})
            self._assignment_id = info.get("assignment")
            self._student = info.get("student")
            # The assignment's own time limit, whoever started the grading: nbgrader's command
            # line names the assignment, but the formgrader's Autograde button runs in a server
            # whose command line does not.  Other notebooks keep the configured limit.
            if not hasattr(self, "_configured_timeout"):
                self._configured_timeout = self.timeout
            self.timeout = TIMEOUTS.get(self._assignment_id, self._configured_timeout)
            self._shadow = None
            self._shadow_gone = None
            self._bridges = None
            EVENTS.clear()  # what happened to this notebook's sandboxes, and where
            DIED_IN.clear()
            return super().preprocess(nb, resources, km=km)

        def _graded(self):
            try:
                return _assignment(self._assignment_id) if self._assignment_id else None
            except (ImportError, AttributeError):
                return None

        def _sandboxed(self) -> bool:
            return issubclass(self.kernel_manager_class, SandboxedKernelManager)

        def create_kernel_manager(self):
            km = super().create_kernel_manager()
            assignment = self._graded()
            if isinstance(km, SandboxedKernelManager):
                # the sandbox is thrown away with everything in it: no need to wait for the
                # kernel to shut down politely (seconds per notebook)
                self.shutdown_kernel = "immediate"
            if assignment is not None and isinstance(km, SandboxedKernelManager):
                # a notebook that trains a model with dlcore keeps dlcore whole in its own
                # kernel; its functions are then called in the shadow kernel (below)
                km.runtime_dir = str(graded_runtime(assignment.id, not assignment.trained))
            return km

        def _wants_shadow(self) -> bool:
            assignment = self._graded()
            return bool(assignment is not None and assignment.trained and self._sandboxed())

        async def _start_shadow(self):
            """A second sandboxed kernel, dlcore's references switched off, that runs the same
            cells (its outputs are thrown away): the student's functions are called there."""
            shadow = NotebookClient(copy.deepcopy(self.nb), timeout=self.timeout,
                                    kernel_name=self.kernel_name, allow_errors=True,
                                    interrupt_on_timeout=True, resources=self.resources,
                                    shutdown_kernel="immediate",
                                    kernel_manager_class=SandboxedKernelManager,
                                    extra_arguments=list(self.extra_arguments),
                                    startup_timeout=self.startup_timeout, config=self.config)
            shadow.km = shadow.create_kernel_manager()
            shadow.km.runtime_dir = str(graded_runtime(self._assignment_id, True))
            self._shadow = shadow
            try:
                await shadow.async_start_new_kernel()
                await shadow.async_start_new_kernel_client()
            except Exception as exc:  # noqa: BLE001 - reported when a function is checked
                self._shadow_gone = f"the second kernel could not start ({exc})"

        async def _shadow_cell(self, cell, cell_index):
            if self._shadow_gone is not None:
                return
            try:
                await self._shadow.async_execute_cell(copy.deepcopy(cell), cell_index,
                                                      store_history=True)
            except DeadKernelError:
                _note_death(cell, cell_index)
                self._shadow_gone = ("the kernel died while your code ran (a crash, os._exit, "
                                     "or the memory limit)")
            except Exception as exc:  # noqa: BLE001 - its outputs are not graded
                if not self._shadow.kc:
                    self._shadow_gone = f"the kernel stopped ({type(exc).__name__})"

        async def async_start_new_kernel(self, **kwargs):
            if self._wants_shadow() and self._shadow is None:  # both kernels start at once
                await asyncio.gather(super().async_start_new_kernel(**kwargs),
                                     self._start_shadow())
            else:
                await super().async_start_new_kernel(**kwargs)

        async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                     store_history=True):
            if self._wants_shadow() and self._shadow is None:
                await self._start_shadow()
            if not _is_test_cell(cell) or os.environ.get(UNTRUSTED_ENV) == "1":
                if cell.cell_type == "code":
                    await self._end_loops()  # the kernels run the student's code again
                try:
                    if self._shadow is not None and cell.cell_type == "code":
                        main, _ = await asyncio.gather(
                            super().async_execute_cell(cell, cell_index, execution_count,
                                                       store_history),
                            self._shadow_cell(cell, cell_index))
                        return main
                    return await super().async_execute_cell(cell, cell_index, execution_count,
                                                            store_history)
                except DeadKernelError:
                    _note_death(cell, cell_index)
                    raise
            try:
                calls = parse_checks(cell.source)
                assignment = _assignment(self._assignment_id)
            except (NotGradable, ImportError, AttributeError) as exc:
                text, error = "", ("GradingError", f"this test cell cannot be graded: {exc}")
            else:
                loop = asyncio.get_running_loop()
                if self._bridges is None:  # kept for the test cells that follow this one
                    switched_off = isinstance(self.km, SandboxedKernelManager) and \
                        not assignment.trained
                    bridge = _Bridge(self, loop, guard=not switched_off)
                    functions = None
                    if self._shadow is not None:
                        functions = _Bridge(self._shadow, loop, guard=False) \
                            if self._shadow_gone is None else _GoneBridge(self._shadow_gone)
                    self._bridges = (bridge, functions)
                bridge, functions = self._bridges
                text, error = await loop.run_in_executor(
                    None, grade_test_cell, calls, assignment, bridge, self._student, functions)
            cell.outputs = _outputs(text, error)
            self.code_cells_executed += 1
            cell.execution_count = execution_count or self.code_cells_executed
            return cell

        async def _end_loops(self):
            """End the kernels' request loops (one per run of consecutive test cells)."""
            bridges, self._bridges = getattr(self, "_bridges", None), None
            for bridge in bridges or ():
                if isinstance(bridge, _Bridge):
                    with contextlib.suppress(Exception):
                        await bridge.aclose()

        async def _async_cleanup_kernel(self):
            await self._end_loops()
            try:
                await super()._async_cleanup_kernel()
            finally:
                shadow, self._shadow = getattr(self, "_shadow", None), None
                if shadow is not None and shadow.km is not None:
                    with contextlib.suppress(Exception):
                        await shadow._async_cleanup_kernel()

        # nbconvert calls execute_cell, nbclient's synchronous wrapper of ITS coroutine:
        # wrap this one instead (and the same for the kernel's cleanup).
        execute_cell = run_sync(async_execute_cell)
        _cleanup_kernel = run_sync(_async_cleanup_kernel)
        start_new_kernel = run_sync(async_start_new_kernel)

    return TrustedExecute


def _note_death(cell, cell_index: int) -> None:
    """Remember the cell a kernel died in, for the sandbox's report of a limit it hit."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    DIED_IN.append(f"cell {cell_index + 1}" + (f" ({grade_id})" if grade_id else ""))


class _GoneBridge:
    """The shadow kernel is gone: every request says why."""

    def __init__(self, why: str):
        self.why = why

    def request(self, req: dict) -> dict:
        raise KernelGone(self.why)

    async def aclose(self) -> None:
        return None


#: "1" makes test cells run in the kernel again, as nbgrader does (the course's own tests of
#: the in-kernel checks use it; never for grading a class).
UNTRUSTED_ENV = "DLCORE_GRADE_IN_KERNEL"


def __getattr__(name):
    if name == "TrustedExecute":
        cls = _trusted_execute()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
