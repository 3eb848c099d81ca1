"""Repository, packaging and environment checks: the set-up a new user relies on."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.setup

LOCK = "requirements/lock.txt"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split_req(req: str) -> tuple[str, str]:
    """'numpy>=1.24' -> ('numpy', '>=1.24'); extras and markers are not used in this project."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", req)
    assert m, f"cannot parse requirement {req!r}"
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


#: The extras `make lab` / `make test` install (course names lab); the lock covers them all.
LOCKED_EXTRAS = ["course", "lab", "hub", "test"]


def _pyproject_requirements() -> dict[str, str]:
    """The course environment: the dependencies and the extras the Makefile installs (the
    course extra names the lab extra as ``<this distribution>[lab]``, which is not a package)."""
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    reqs = list(project["dependencies"]) + [r for e in LOCKED_EXTRAS for r in extras[e]]
    own = _norm(project["name"])
    return dict(_split_req(r) for r in reqs if _norm(r.split("[")[0]) != own)


def _lock() -> dict[str, str]:
    """requirements/lock.txt as {name: version}; every line is an exact ``name==version``."""
    pins: dict[str, str] = {}
    for line in (ROOT / LOCK).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.fullmatch(r"([a-z0-9][a-z0-9-]*)==([0-9][A-Za-z0-9.!]*)", line.strip())
        assert m, f"{LOCK}: not a normalised exact pin: {line!r}"
        assert m.group(1) not in pins, f"{LOCK}: {m.group(1)} listed twice"
        pins[m.group(1)] = m.group(2)
    assert pins, f"{LOCK} pins nothing"
    return pins


def _lock_python() -> str:
    """The Python series the lock was made with, from its header ('3.11')."""
    m = re.search(r"^# Made with CPython (\d+\.\d+)\.\S+ on ", (ROOT / LOCK).read_text(),
                  re.M)
    assert m, f"{LOCK}: no 'Made with CPython X.Y.Z on <platform>:' header line"
    return m.group(1)


def _environment() -> tuple[list[str], list[str], dict[str, str]]:
    """environment.yml as (conda packages, pip option lines, {pip name: version})."""
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"], "environment.yml must use conda-forge only"
    conda, options, pins = [], [], {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep.get("pip", []):
                if line.startswith("-"):
                    options.append(line)
                    continue
                name, spec = _split_req(line)
                assert spec.startswith("==") and "*" not in spec, \
                    f"environment.yml: pip requirement {line!r} is not an exact pin"
                assert name not in pins, f"environment.yml: {name} listed twice"
                pins[name] = spec[2:]
        else:
            conda.append(dep)
    return conda, options, pins


def _hub_extra() -> set[str]:
    """Locked but not installed on Binder, whose jupyterhub-singleuser (from repo2docker) must
    match mybinder.org's hub."""
    return {_split_req(r)[0] for r in _pyproject()["project"]["optional-dependencies"]["hub"]}


def test_environment_yml_installs_exactly_the_lock():
    """Binder gets the versions CI tests: conda gives Python (the lock's series) and pip, and
    the pip section pins every package of the lock at its version, nothing else (the hub extra
    is left out, see _hub_extra)."""
    conda, options, pins = _environment()
    assert conda == [f"python={_lock_python()}", "pip"], (
        f"environment.yml's conda packages must be python={_lock_python()} (the lock's Python) "
        f"and pip only, the rest comes from pip at the locked versions; got {conda}")
    lock = {n: v for n, v in _lock().items() if n not in _hub_extra()}
    assert set(pins) == set(lock), (
        f"environment.yml and {LOCK} list different packages: only in the lock "
        f"{sorted(set(lock) - set(pins))}, only in environment.yml {sorted(set(pins) - set(lock))}"
        " (run `make lock`)")
    differ = {n: (lock[n], pins[n]) for n in lock if lock[n] != pins[n]}
    assert not differ, f"versions differ ({LOCK}, environment.yml): {differ} (run `make lock`)"
    # torch: PyPI's Linux wheel is the CUDA build; the CPU index's X.Y.Z+cpu sorts above it
    assert options == [f"--extra-index-url {CPU_INDEX}"], options


def test_lock_covers_pyproject():
    """Every dependency the Makefile installs is in the lock, at a version its specifier allows
    (an ``==`` pin of pyproject at exactly that version)."""
    from packaging.specifiers import SpecifierSet

    lock = _lock()
    missing = sorted(set(_pyproject_requirements()) - set(lock))
    assert not missing, f"in pyproject.toml but not in {LOCK}: {missing} (run `make lock`)"
    disagree = {n: (spec, lock[n]) for n, spec in _pyproject_requirements().items()
                if spec and lock[n] not in SpecifierSet(spec)}
    assert not disagree, (f"pyproject.toml's specifier does not allow the locked version: "
                          f"{disagree} (run `make lock`)")


def test_binder_python_is_the_lock_python():
    """The lock, environment.yml and the notebooks' saved metadata agree on the Python series."""
    from tests.notebook_checks import PYTHON_SERIES

    series = _lock_python()
    assert f"python={series}" in _environment()[0]
    assert PYTHON_SERIES == series


def test_postbuild_installs_dlcore_only():
    """Everything else is in environment.yml; postBuild adds the checkout without touching a
    locked version (--no-deps)."""
    path = ROOT / "postBuild"
    assert os.access(path, os.X_OK), "postBuild must be executable"
    installs = [ln.strip() for ln in path.read_text().splitlines()
                if "pip install" in ln and not ln.lstrip().startswith("#")]
    assert installs == ["python -m pip install --no-deps -e ."], installs


def test_pins_that_matter():
    py, lock = _pyproject_requirements(), _lock()
    # A looser torch spec pulls a multi-GB CUDA build; nbgrader CLI and config are version-bound.
    assert py["torch"] == "==2.13.0" and lock["torch"] == "2.13.0"
    assert py["nbgrader"] == "==0.9.6" and lock["nbgrader"] == "0.9.6"
    cuda = [n for n in lock if n.startswith(("nvidia-", "triton", "cuda-"))]
    assert not cuda, f"{LOCK} locks CUDA packages (torch's CUDA build): {cuda}"


def _copy_setup(tmp_path, monkeypatch, edit: dict[str, tuple[str, str]]):
    """Copy the files the checks read to ``tmp_path`` (each ``edit[file] = (old, new)`` applied
    once) and point ROOT there."""
    for rel in ["environment.yml", "pyproject.toml", LOCK, "postBuild"]:
        text = (ROOT / rel).read_text()
        if rel in edit:
            old, new = edit[rel]
            assert old in text, f"{old!r} not in {rel}"
            text = text.replace(old, new, 1)
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)


def _lock_line(name: str) -> str:
    return f"{name}=={_lock()[name]}\n"


@pytest.mark.parametrize("case", ["env-version", "env-missing", "env-extra", "env-hub",
                                  "env-python", "lock-missing", "pyproject-pin"])
def test_consistency_check_can_fail(case, tmp_path, monkeypatch):
    """The comparisons above really compare: each kind of drift is reported, by name."""
    tqdm, matplotlib, hub = (_lock_line(n) for n in ("tqdm", "matplotlib", "jupyterhub"))
    check, edit, match = {
        "env-version": (test_environment_yml_installs_exactly_the_lock,
                        {"environment.yml": ("nbgrader==0.9.6", "nbgrader==0.9.5")}, "nbgrader"),
        "env-missing": (test_environment_yml_installs_exactly_the_lock,
                        {"environment.yml": (f"      - {tqdm}", "")}, "tqdm"),
        "env-extra": (test_environment_yml_installs_exactly_the_lock,
                      {"environment.yml": (f"      - {tqdm}", f"      - {tqdm}      - six==1.0\n")},
                      "six"),
        "env-hub": (test_environment_yml_installs_exactly_the_lock,
                    {"environment.yml": (f"      - {tqdm}", f"      - {tqdm}      - {hub}")},
                    "jupyterhub"),
        "env-python": (test_environment_yml_installs_exactly_the_lock,
                       {"environment.yml": (f"python={_lock_python()}", "python=3.12")}, "python"),
        "lock-missing": (test_lock_covers_pyproject, {LOCK: (matplotlib, "")}, "matplotlib"),
        "pyproject-pin": (test_lock_covers_pyproject,
                          {"pyproject.toml": ('"latex2mathml==', '"latex2mathml==0.')},
                          "latex2mathml"),
    }[case]
    _copy_setup(tmp_path, monkeypatch, edit)
    with pytest.raises(AssertionError, match=match):
        check()


def _make_lock_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_lock", ROOT / "requirements/make_lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_lock_writes_plain_sorted_pins():
    """`make lock`'s writer: names normalised and sorted, pip left out, the CPU build's local
    label dropped (==2.13.0 matches 2.13.0+cpu), a direct reference and torch's CUDA build
    refused."""
    make_lock = _make_lock_module()
    pins, dropped = make_lock.parse_freeze("PyYAML==6.0.4\ntorch==2.13.0+cpu\npip==26.3\n"
                                           "lazy_loader==0.6\n")
    assert pins == ["lazy-loader==0.6", "pyyaml==6.0.4", "torch==2.13.0"]
    assert dropped == ["torch 2.13.0+cpu"]
    with pytest.raises(SystemExit, match="lazy-loader @ file"):
        make_lock.parse_freeze("lazy-loader @ file:///tmp/lazy_loader-0.6-py3-none-any.whl\n")
    with pytest.raises(SystemExit, match="CPU build"):  # PyPI's CUDA build would be locked
        make_lock.parse_freeze("torch==2.13.0\nnvidia-cublas-cu12==12.8.4.1\n")
    env = make_lock.environment_text(pins + ["jupyterhub==6.1.1"], "3.11.7")
    assert "  - python=3.11\n" in env and "      - torch==2.13.0\n" in env
    assert "jupyterhub==" not in env  # the hub extra is not for Binder
    assert make_lock.binder_exclude() == sorted(_hub_extra())


def test_makefile_installs_with_the_lock():
    """The install stamp depends on the lock, and the install applies it (on the lock's
    Python; another Python installs unconstrained, with a note)."""
    dry = subprocess.run(["make", "-n", "-B", ".venv/.installed"], cwd=ROOT, capture_output=True,
                         text=True)
    install = [ln for ln in dry.stdout.splitlines() if "pip install" in ln and "-e " in ln]
    assert len(install) == 1 and "requirements/make_lock.py --pip-args" in install[0], dry.stdout
    db = subprocess.run(["make", "-p", "-n", "-q", "-f", "Makefile"], cwd=ROOT,
                        capture_output=True, text=True).stdout
    assert re.search(r"^\.venv/\.installed: .*\brequirements/lock\.txt\b", db, re.M), \
        "the install stamp does not depend on the lock"
    make_lock = _make_lock_module()
    major, minor = map(int, _lock_python().split("."))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        mp.setattr(make_lock.sys, "version_info", (major, minor, 0))
        assert make_lock.pip_args() == f"-c {LOCK}"
        mp.setattr(make_lock.sys, "version_info", (major, minor + 1, 0))
        assert make_lock.pip_args() == ""


def test_layout():
    for path in ["notebooks", "dlcore", "assignments", "solutions", "tests", "environment.yml",
                 "README.md", "pyproject.toml", "Makefile", ".ci/run", ".gitignore"]:
        assert (ROOT / path).exists(), f"missing {path}"
    assert os.access(ROOT / ".ci/run", os.X_OK), ".ci/run must be executable"
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no command block"
    commands = [line.strip() for line in blocks[0].splitlines() if line.strip()
                and not line.strip().startswith("#")]
    assert commands[:2] == ["make lab", "make test"], commands


def test_makefile_stamp_skips_install_when_nothing_changed():
    """`make -q` exits 0 when the install stamp is newer than pyproject.toml and the lock."""
    stamp = ROOT / ".venv" / ".installed"
    if not stamp.exists():
        pytest.skip("not running inside the Makefile's .venv")
    result = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT)
    assert result.returncode == 0, \
        "make would reinstall although pyproject.toml and the lock are unchanged"
    dry = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True)
    assert "pip install" not in dry.stdout


def test_gitignore_covers_generated_files():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in [".venv/", ".ipynb_checkpoints/", "__pycache__/", "gradebook.db", "submitted/",
                  "autograded/", "feedback/"]:
        assert entry in ignored, entry


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


HEAVY = ["torch", "matplotlib", "ipywidgets", "sklearn", "tqdm", "scipy", "pandas"]


def test_import_dlcore_is_light():
    code = (f"import sys, dlcore; heavy = [m for m in {HEAVY!r} if m in sys.modules]; "
            "print(','.join(heavy))")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"import dlcore imported {result.stdout.strip()}"


def test_numpy_only_submodules_import_nothing_heavy():
    light = ["neurons", "engine", "activations", "losses", "layers", "nn", "optim", "gradcheck",
             "data", "conv", "counting", "recurrent"]
    present = [m for m in light if (ROOT / "dlcore" / f"{m}.py").exists()
               or (ROOT / "dlcore" / m).is_dir()]
    code = ("import sys, importlib\n"
            f"for m in {present!r}: importlib.import_module('dlcore.' + m)\n"
            f"print(','.join(h for h in {HEAVY!r} if h in sys.modules))")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"dlcore submodules imported {result.stdout.strip()}"


def test_unknown_attribute_is_a_clear_error():
    import dlcore

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dlcore.nope  # noqa: B018


def test_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed in this environment")
    result = subprocess.run([ruff, "check", "dlcore", "grader", "tests", "bench"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_starts_jupyterlab_with_the_extensions():
    """`make lab` serves JupyterLab on notebooks/ with the widget and ipympl extensions."""
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("not running inside the Makefile's .venv")
    port = _free_port()
    token = "dlcore-test"
    args = f"--no-browser --port={port} --ServerApp.token={token} --ServerApp.ip=127.0.0.1"
    proc = subprocess.Popen(["make", "lab", f"LAB_ARGS={args}"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        status = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        output = proc.stdout.read() if proc.poll() is not None else ""
        assert status == 200, f"JupyterLab did not answer: {output}"
        with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as r:
            listing = r.read().decode()
        # The server root is notebooks/: its listing is of that folder, not of the repository.
        assert "README.md" in listing and "pyproject.toml" not in listing
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            page = r.read().decode()
        assert "jupyter-matplotlib" in page and "@jupyter-widgets/jupyterlab-manager" in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
