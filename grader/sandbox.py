"""One throwaway bubblewrap sandbox per submission: the student's kernel runs inside it.

``SandboxedKernelManager`` is the kernel manager of nbgrader's ``Execute`` preprocessor when
the batch grader runs (``python -m grader grade``).  For each notebook it starts the kernel
under ``bwrap`` with:

- a read-only view of the system (``/usr``, ``/etc``), of the Python installation and of the
  grading virtual environment, and of a clean, non-editable copy of ``dlcore``
  (``prepare_runtime``) that comes first on ``sys.path``: nothing the student writes can
  change what the next submission runs;
- no view of the course directory (``solutions/``, the gradebook, ``submitted/``, other
  students' folders) nor of the instructor's HOME: only the folder being graded, as a
  private copy (its only writable place, thrown away afterwards), a fresh tmpfs HOME and
  ``/tmp``;
- no network (``--unshare-all``): the kernel talks to the grader over unix sockets in a
  directory shared with the sandbox (jupyter's ``ipc`` transport);
- its own PID namespace, killed whole when the notebook is done (``--die-with-parent``; the
  cgroup's processes are killed too): nothing outlives it;
- limits (``Limits``): memory and processes through a cgroup when the grader may create one
  (root in a container, or a delegated cgroup), CPU time and file size through rlimits, and
  the size of HOME and ``/tmp``.  A kernel killed for memory is recorded in ``EVENTS`` so the
  batch can say why ("memory limit 2 GB exceeded").

``sandbox_status()`` says whether bubblewrap works here; the batch refuses to grade without it
unless the instructor passes ``--unsafe-no-sandbox``.
"""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, Unicode

__all__ = ["Limits", "SandboxedKernelManager", "SandboxUnavailable", "prepare_runtime",
           "sandbox_status", "EVENTS", "DIED_IN", "bwrap_command", "unsafe_warning", "UNSAFE_ENV"]


class SandboxUnavailable(RuntimeError):
    """Grading was asked for with a sandbox, and bubblewrap cannot make one here."""

#: What happened to the sandboxes of the current notebook: dicts with "kind" ("memory",
#: "processes", "cpu") and "message"; the batch worker reads and clears it per student.
EVENTS: list[dict] = []

#: The cell each kernel of the current notebook died in ("cell 14 (ex2_code)"), noted by the
#: executor (grader.trusted), so that a limit's message can say where it was hit.
DIED_IN: list[str] = []

GB = 1024 ** 3
MB = 1024 ** 2


@dataclass(frozen=True)
class Limits:
    """What one submission's kernel may use (defaults in ``grader.limits``)."""

    memory_bytes: int = 2 * GB
    processes: int = 64
    cpu_seconds: int = 900
    file_bytes: int = 256 * MB
    tmp_bytes: int = 256 * MB

    def describe(self) -> str:
        """The limits and how each is enforced here ("memory 2 GB (cgroup)")."""
        working = _working_controllers(self)
        memory = "cgroup" if "memory" in working else "address space: no cgroup here"
        pids = ("cgroup" if "pids" in working else
                "rlimit; NOT enforced for root without a cgroup" if os.geteuid() == 0 else
                "rlimit")
        return (f"memory {_size(self.memory_bytes)} ({memory}), {self.processes} processes "
                f"({pids}), CPU time {self.cpu_seconds} s, files up to "
                f"{_size(self.file_bytes)}, HOME and /tmp up to {_size(self.tmp_bytes)}")


def _working_controllers(limits: Limits) -> set[str]:
    """The controllers a sandbox's cgroup really gets here (a trial cgroup, removed at once):
    a writable cgroup folder is not enough on a cgroup v2 host whose controllers are not
    enabled for the grader's children."""
    trial = _Cgroups(f"dlcore-probe-{os.getpid()}", limits)
    try:
        return set(trial.dirs)
    finally:
        trial.remove()


def _size(n: int) -> str:
    return f"{n / GB:g} GB" if n >= GB else f"{n / MB:g} MB"


@functools.lru_cache(maxsize=1)
def sandbox_status() -> tuple[bool, str]:
    """(True, "") when bubblewrap can make a sandbox here, else (False, the reason)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False, ("bubblewrap (bwrap) is not installed: on Debian or Ubuntu, "
                       "`apt install bubblewrap`")
    try:
        # the same namespaces and ids as a grading sandbox (bwrap_command): a setuid bwrap on
        # a host without user namespaces fails here, not in every student's kernel
        out = subprocess.run([bwrap, "--unshare-all", "--die-with-parent", "--uid", "65534",
                              "--gid", "65534", "--hostname", "sandbox", "--ro-bind", "/",
                              "/", "--proc", "/proc", "--dev", "/dev", "true"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bubblewrap could not start: {exc}"
    if out.returncode != 0:
        return False, (f"bubblewrap cannot create namespaces on this host "
                       f"({out.stderr.strip()[:200]}); unprivileged user namespaces may be "
                       f"disabled (sysctl kernel.unprivileged_userns_clone on Debian, "
                       f"user.max_user_namespaces, or AppArmor's "
                       f"kernel.apparmor_restrict_unprivileged_userns on Ubuntu)")
    return True, ""


def prepare_runtime(dest: Path, references=(), stub_grading: bool = False,
                    keep=()) -> Path:
    """A clean copy of the installed ``dlcore`` in ``dest`` (made read-only in the sandbox).

    The sandbox puts ``dest`` first on ``sys.path``, so the kernel imports this copy, never an
    editable checkout a previous kernel could have written to.  ``references`` (functions of
    ``dlcore``, an assignment's ``references``) are switched off in the copy: their bodies are
    replaced by an error that says so, so their code is not in the sandbox at all and no
    student function can call it, however it hides the call.  ``stub_grading`` does the same
    to every function of the assignments' check modules (``dlcore/grading/a*/``, which hold
    reference computations), except what the notebooks themselves call in their kernel
    (``per_student``, the packages' ``__init__``) and the functions ``keep`` (which the grader
    hands to the student's functions, such as a gradient to descend).  ``dest/_blocked`` holds
    stand-ins for torch, scipy and the other libraries that would do an exercise for the
    student (``bwrap_command`` mounts them over the real ones).
    """
    import dlcore

    src = Path(dlcore.__file__).resolve().parent
    dest = Path(dest)
    target = dest / "dlcore"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    by_file: dict[Path, list[str]] = {}
    for ref in references:
        func = inspect.unwrap(getattr(ref, "__func__", ref))
        code = getattr(func, "__code__", None)
        if code is None:
            raise ValueError(f"{ref!r} is not a Python function: it cannot be switched off")
        path = Path(code.co_filename).resolve()
        try:
            rel = path.relative_to(src)
        except ValueError:
            raise ValueError(f"{func.__qualname__} is not part of dlcore") from None
        by_file.setdefault(target / rel, []).append(func.__qualname__)
    kept: set[str] = set()
    if stub_grading:
        checks = sorted((target / "grading").glob("a*/*.py"))
        kept = _called_on_import(checks, [getattr(f, "__name__", "") for f in keep])
        for path in checks:
            if path.name not in ("__init__.py", "per_student.py"):
                by_file.setdefault(path, []).append("*")
    for path, names in by_file.items():
        _switch_off(path, names, kept)
    blocked = dest / "_blocked"
    for name in BLOCKED_MODULES:
        (blocked / name).mkdir(parents=True, exist_ok=True)
        (blocked / name / "__init__.py").write_text(
            f"raise ImportError({name!r} + ' is not available while a notebook is graded: '\n"
            f"                  'the exercises are to be written with numpy')\n")
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return dest


#: Libraries that would do an exercise for the student: not importable in the sandbox.
BLOCKED_MODULES = ("torch", "scipy", "sklearn", "tensorflow", "jax", "keras", "torchvision")


def _called_on_import(paths, also=()) -> set[str]:
    """Names of the functions the modules ``paths`` call while they are imported (outside any
    def), and ``also``, and of every function those call in turn."""
    import ast

    def called(node) -> set[str]:
        out = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                func = sub.func
                out.add(func.id if isinstance(func, ast.Name) else
                        func.attr if isinstance(func, ast.Attribute) else "")
        return out

    roots, calls = set(), {}
    for path in paths:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                calls.setdefault(node.name, set()).update(called(node))
            elif not isinstance(node, ast.ClassDef):
                roots |= called(node)
    keep, todo = set(), list(roots) + list(also)
    while todo:
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo.extend(calls.get(name, ()))
    return keep


def _switch_off(path: Path, qualnames: list[str], keep: set[str] = frozenset()) -> None:
    """Replace the bodies of the functions ``qualnames`` of the module ``path`` ("*": every
    function but those named in ``keep``) by an error that names the function; the rest of
    the module stays."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    wanted = set(qualnames)
    found: set[str] = set()

    def visit(body, prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qual = f"{prefix}{node.name}"
                if qual in wanted or ("*" in wanted and qual not in keep):
                    found.add(qual)
                    doc = ast.get_docstring(node, clean=False)
                    message = (f"dlcore's own {node.name} is switched off while this notebook "
                               f"is graded: the exercise asks you to write it yourself, so "
                               f"your code may not call it")
                    stub = ast.parse(f"raise RuntimeError({message!r})").body
                    node.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + stub

    visit(tree.body, "")
    missing = wanted - found - {"*"}
    if missing:
        raise ValueError(f"{path.name}: no function {', '.join(sorted(missing))} to switch off")
    path.write_text(ast.unparse(ast.fix_missing_locations(tree)) + "\n", encoding="utf-8")


def _system_binds() -> list[str]:
    args = []
    for top in ("/usr", "/etc", "/opt"):
        if os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


#: Where the grading virtual environment appears in the sandbox (its real path, inside the
#: course folder, stays hidden).
VENV_AT = "/venv"


def _python_binds() -> list[str]:
    """The interpreter's installation read-only at its own path, the virtual environment
    read-only at ``VENV_AT``."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent}
    args = []
    if sys.prefix != sys.base_prefix:
        args += ["--ro-bind", str(Path(sys.prefix).resolve()), VENV_AT]
    for path in sorted(paths, key=lambda p: len(p.parts)):
        if str(path).startswith(("/usr/", "/etc/", "/opt/")) or str(path) == "/usr":
            continue
        args += ["--ro-bind", str(path), str(path)]
    return args


def bwrap_command(command: list[str], *, work: Path, work_at: Path, shared: Path,
                  runtime: Path | None, limits: Limits, env: dict[str, str],
                  extra: list[str] = ()) -> list[str]:
    """The bwrap command line that runs ``command`` in a fresh sandbox.

    ``work`` (a private copy of the folder being graded) is mounted writable at ``work_at``
    and is the working directory; ``shared`` (the ipc sockets and the connection file) is
    mounted at its own path; ``runtime`` (``prepare_runtime``) read-only at /dlcore-runtime
    (without one, the installed ``dlcore`` package is mounted there read-only).
    """
    home = "/home/student"
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
            *_system_binds(), *_python_binds(),
            "--proc", "/proc", "--dev", "/dev",
            "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
            "--size", str(limits.tmp_bytes), "--tmpfs", "/home",
            "--dir", home,
            "--bind", str(shared), str(shared),
            "--bind", str(work), str(work_at),
            *extra, "--chdir", str(work_at), "--clearenv"]
    if runtime is not None:
        args += ["--ro-bind", str(runtime), "/dlcore-runtime"]
        args += _shadowing_binds(Path(runtime))
    else:  # the installed package itself, read-only
        import dlcore

        args += ["--ro-bind", str(Path(dlcore.__file__).resolve().parent),
                 "/dlcore-runtime/dlcore"]
    pythonpath = ["/dlcore-runtime"]
    base_env = {"HOME": home, "USER": "student", "LANG": "C.UTF-8",
                "PATH": f"{_sandbox_python().parent}:/usr/local/bin:/usr/bin:/bin",
                "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.config/matplotlib",
                "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
                **({"PYTHONPATH": ":".join(pythonpath)} if pythonpath else {}), **env}
    for key, value in base_env.items():
        args += ["--setenv", key, value]
    return args + ["--", *command]


def _site_dirs() -> list[tuple[Path, str]]:
    """(real path, path in the sandbox) of every site-packages folder the kernel sees."""
    import site

    out = []
    for d in site.getsitepackages():
        real = Path(d).resolve()
        if not real.is_dir():
            continue
        prefix = Path(sys.prefix).resolve()
        inside = (str(Path(VENV_AT) / real.relative_to(prefix))
                  if sys.prefix != sys.base_prefix and real.is_relative_to(prefix) else str(real))
        out.append((real, inside))
    return out


def _shadowing_binds(runtime: Path) -> list[str]:
    """Mount the runtime's copies over what else the kernel could import instead: its dlcore
    over an installed (non-editable) dlcore, its ``_blocked`` stand-ins over torch, scipy..."""
    args = []
    for real, inside in _site_dirs():
        if (real / "dlcore").is_dir():
            args += ["--ro-bind", str(runtime / "dlcore"), f"{inside}/dlcore"]
        for name in BLOCKED_MODULES:
            stand_in = runtime / "_blocked" / name
            if (real / name).is_dir() and stand_in.is_dir():
                args += ["--ro-bind", str(stand_in), f"{inside}/{name}"]
    return args


def _sandbox_python() -> Path:
    """This interpreter as the sandbox sees it."""
    if sys.prefix != sys.base_prefix:
        return Path(VENV_AT) / Path(sys.executable).relative_to(sys.prefix)
    return Path(sys.executable)


# -- cgroups: memory and process limits, and a sure way to kill everything -------------------

def _own_cgroup(controller: str) -> Path | None:
    """The writable cgroup directory of this process for ``controller`` (v1 or v2)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            base = Path("/sys/fs/cgroup") / controller
        elif controllers == "" and (Path("/sys/fs/cgroup") / "cgroup.controllers").exists():
            base = Path("/sys/fs/cgroup")
        else:
            continue
        where = base / path.lstrip("/")
        if where.is_dir() and os.access(where, os.W_OK):
            return where
    return None


class _Cgroups:
    """A memory and a pids cgroup for one sandbox (v1 here, v2 where that is what there is)."""

    def __init__(self, name: str, limits: Limits):
        self.dirs: dict[str, Path] = {}
        self.limits = limits
        v2 = (Path("/sys/fs/cgroup") / "cgroup.controllers").exists()
        for controller in ("memory", "pids"):
            parent = _own_cgroup(controller)
            if parent is None:
                continue
            path = parent / name
            try:
                path.mkdir(exist_ok=True)
                if controller == "memory":
                    limit_file = "memory.max" if v2 and not (path / "memory.limit_in_bytes"
                                                             ).exists() else \
                        "memory.limit_in_bytes"
                    (path / limit_file).write_text(str(limits.memory_bytes))
                    swap = path / "memory.memsw.limit_in_bytes"
                    if swap.exists():
                        try:
                            swap.write_text(str(limits.memory_bytes))
                        except OSError:
                            pass
                else:
                    (path / "pids.max").write_text(str(limits.processes))
            except OSError:
                _rmdir(path)
                continue
            self.dirs[controller] = path

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs.values()]

    def oom_kills(self) -> int:
        d = self.dirs.get("memory")
        if d is None:
            return 0
        for name in ("memory.events", "memory.oom_control"):
            try:
                text = (d / name).read_text()
            except OSError:
                continue
            for line in text.splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        try:
            return 1 if int((d / "memory.failcnt").read_text()) > 0 else 0
        except (OSError, ValueError):
            return 0

    def pids_refused(self) -> int:
        d = self.dirs.get("pids")
        if d is None:
            return 0
        try:
            for line in (d / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def kill_all(self) -> None:
        for _ in range(50):
            pids = set()
            for f in self.procs_files():
                try:
                    pids |= {int(p) for p in Path(f).read_text().split()}
                except (OSError, ValueError):
                    pass
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)

    def remove(self) -> None:
        self.kill_all()
        for d in self.dirs.values():
            _rmdir(d)


def _rmdir(path: Path) -> None:
    for _ in range(20):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.05)


class SandboxedKernelManager(AsyncKernelManager):
    """Start every kernel inside its own bubblewrap sandbox (see the module's docstring)."""

    runtime_dir = Unicode("", help="prepare_runtime's folder (empty: the venv's dlcore)").tag(
        config=True)
    memory_bytes = Integer(Limits.memory_bytes).tag(config=True)
    processes = Integer(Limits.processes).tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds).tag(config=True)
    file_bytes = Integer(Limits.file_bytes).tag(config=True)
    tmp_bytes = Integer(Limits.tmp_bytes).tag(config=True)

    def limits(self) -> Limits:
        return Limits(self.memory_bytes, self.processes, self.cpu_seconds, self.file_bytes,
                      self.tmp_bytes)

    async def _async_pre_start_kernel(self, **kw):
        self._run_dir = Path(tempfile.mkdtemp(prefix="dlcore-sb-"))
        self._run_dir.chmod(0o777)
        shared = self._run_dir / "ipc"
        shared.mkdir()
        shared.chmod(0o777)
        self.transport = "ipc"
        self.connection_file = str(shared / "kernel.json")
        self.ip = str(shared / "k")
        work_at = Path(kw.pop("cwd", None) or os.getcwd()).resolve()
        work = self._run_dir / "work"
        shutil.copytree(work_at, work, symlinks=True)
        for path in [work, *work.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o777 if path.is_dir() else 0o666)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A signal sent to bwrap does not reach the kernel in its own session: interrupt
        # (a cell past its time limit) by a message on the control channel instead.
        self.kernel_spec.interrupt_mode = "message"
        kernel = [str(_sandbox_python()), "-m", "ipykernel_launcher", "-f", self.connection_file,
                  "--HistoryManager.hist_file=:memory:"]
        limits = self.limits()
        self._cgroups = _Cgroups(f"dlcore-{self._run_dir.name}", limits)
        env = {"JPY_PARENT_PID": "1"}
        for key in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING"):
            if key in os.environ:
                env[key] = os.environ[key]
        extra = []
        secrets = os.environ.get("DLCORE_GRADING_SECRETS")
        if secrets:  # the grading tests' log of hidden values (dlcore.grading.record_secret)
            folder = str(Path(secrets).resolve().parent)
            extra, env["DLCORE_GRADING_SECRETS"] = ["--bind", folder, folder], secrets
        inner = bwrap_command(kernel, work=work, work_at=work_at, shared=shared,
                              runtime=Path(self.runtime_dir) if self.runtime_dir else None,
                              limits=limits, env=env, extra=extra)
        rlimits = ["prlimit", f"--cpu={limits.cpu_seconds}", f"--fsize={limits.file_bytes}",
                   f"--nproc={limits.processes}", "--core=0"]
        if "memory" not in self._cgroups.dirs:  # no cgroup: address space instead
            rlimits.append(f"--as={limits.memory_bytes + 2 * GB}")
        enter = " ".join(f'echo $$ > "{f}" &&' for f in self._cgroups.procs_files())
        wrapped = ["/bin/sh", "-c", f'{enter} exec "$@"', "sandbox", *rlimits, "--", *inner]
        kw["cwd"] = str(self._run_dir)
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        return wrapped, kw

    def _sandbox_events(self) -> None:
        groups = getattr(self, "_cgroups", None)
        if groups is None:
            return
        limits = self.limits()
        where = f" in {DIED_IN[-1]}" if DIED_IN else ""
        if groups.oom_kills():
            EVENTS.append({"kind": "memory", "message": f"memory limit "
                                                        f"{_size(limits.memory_bytes)} exceeded"
                                                        f"{where}"})
        if groups.pids_refused():
            EVENTS.append({"kind": "processes", "message": f"process limit "
                                                           f"({limits.processes}) reached"})

    def _destroy_sandbox(self) -> None:
        groups = getattr(self, "_cgroups", None)
        if groups is not None:
            self._sandbox_events()
            groups.remove()
            self._cgroups = None
        run = getattr(self, "_run_dir", None)
        if run is not None and run.exists():
            for path in [run, *run.rglob("*")]:
                try:
                    if not path.is_symlink():
                        path.chmod(0o700 if path.is_dir() else 0o600)
                except OSError:
                    pass
            shutil.rmtree(run, ignore_errors=True)
            self._run_dir = None

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        self._destroy_sandbox()

    async def _async_kill_kernel(self, restart: bool = False) -> None:
        await super()._async_kill_kernel(restart=restart)
        groups = getattr(self, "_cgroups", None)
        if groups is not None:
            groups.kill_all()

    # nbclient calls these by their public names (for a kernel that died on its own, only
    # cleanup_resources): they must reach the overrides above.
    cleanup_resources = _async_cleanup_resources
    kill_kernel = _async_kill_kernel


#: Set (to "1") by ``--unsafe-no-sandbox``: autograde in the grader's own account, unprotected.
UNSAFE_ENV = "DLCORE_UNSAFE_NO_SANDBOX"


def unsafe_warning() -> str:
    return ("WARNING: grading WITHOUT a sandbox (--unsafe-no-sandbox). Each student's code runs "
            "as you, with your files and network: it can read solutions/ and the gradebook, "
            "change the gradebook and other students' notebooks, edit dlcore or the virtual "
            "environment for every later run, leave processes behind, and use any amount of "
            "memory. Use it only for submissions you trust.")


def _sandboxed_execute():
    from nbgrader.preprocessors import Execute

    class SandboxedExecute(Execute):
        """nbgrader's Execute, with each kernel in a bubblewrap sandbox.

        Without bubblewrap it refuses to run, unless ``DLCORE_UNSAFE_NO_SANDBOX=1`` (what
        ``python -m grader grade --unsafe-no-sandbox`` sets) says to run unprotected.
        """

        def __init__(self, *args, **kwargs):
            if os.environ.get(UNSAFE_ENV) != "1":
                kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
            super().__init__(*args, **kwargs)

        def preprocess(self, nb, resources=None, km=None):
            if os.environ.get(UNSAFE_ENV) != "1":
                ok, why = sandbox_status()
                if not ok:
                    raise RuntimeError(f"refusing to autograde without a sandbox: {why}. "
                                       f"Install bubblewrap, or pass --unsafe-no-sandbox "
                                       f"to grade unprotected.")
            return super().preprocess(nb, resources, km=km)

    return SandboxedExecute


def __getattr__(name):  # SandboxedExecute imports nbgrader only when asked for
    if name == "SandboxedExecute":
        cls = _sandboxed_execute()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
