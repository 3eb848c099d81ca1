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

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"pytorch": "torch"}
CONDA_ONLY = {"python", "pip"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split_req(req: str) -> tuple[str, str]:
    """'numpy>=1.24' -> ('numpy', '>=1.24'); extras and markers are not used in this project."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", req)
    assert m, f"cannot parse requirement {req!r}"
    return _norm(CONDA_TO_PYPI.get(m.group(1), m.group(1))), m.group(2).replace(" ", "")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_requirements() -> dict[str, str]:
    """The course environment: the dependencies and the lab and course extras (the course extra
    names the lab extra as ``<this distribution>[lab]``, which is not a package to install)."""
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    reqs = list(project["dependencies"]) + list(extras["lab"]) + list(extras["course"])
    own = _norm(project["name"])
    return dict(_split_req(r) for r in reqs if _norm(r.split("[")[0]) != own)


def _environment_requirements() -> dict[str, str]:
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"], "environment.yml must use conda-forge only"
    reqs: dict[str, str] = {}
    python = None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_req in dep.get("pip", []):
                if not pip_req.startswith("-"):
                    name, spec = _split_req(pip_req)
                    reqs[name] = spec
            continue
        name, spec = _split_req(dep)
        if name == "python":
            python = spec
        if name not in CONDA_ONLY:
            reqs[name] = spec
    assert python == "=3.11", f"environment.yml must pin python=3.11; got {python!r}"
    return reqs


def test_environment_yml_matches_pyproject():
    py, env = _pyproject_requirements(), _environment_requirements()
    assert set(env) == set(py), (
        f"package sets differ: only in pyproject {sorted(set(py) - set(env))}, "
        f"only in environment.yml {sorted(set(env) - set(py))}")
    mismatched = {n: (py[n], env[n]) for n in py if py[n] != env[n]}
    assert not mismatched, f"version specs differ (pyproject, environment.yml): {mismatched}"


def test_pins_that_matter():
    py = _pyproject_requirements()
    # A looser torch spec pulls a multi-GB CUDA build; nbgrader CLI and config are version-bound.
    assert py["torch"] == "==2.13.0"
    assert py["nbgrader"] == "==0.9.6"


def test_consistency_check_can_fail(tmp_path, monkeypatch):
    """The comparison above really compares: a drifted pin is reported."""
    env_text = (ROOT / "environment.yml").read_text()
    text = env_text.replace("nbgrader==0.9.6", "nbgrader==0.9.5")
    fake = tmp_path / "environment.yml"
    fake.write_text(text)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="nbgrader"):
        test_environment_yml_matches_pyproject()


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
    """`make -q` exits 0 when the install stamp is newer than pyproject.toml."""
    stamp = ROOT / ".venv" / ".installed"
    if not stamp.exists():
        pytest.skip("not running inside the Makefile's .venv")
    result = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT)
    assert result.returncode == 0, "make would reinstall although pyproject.toml is unchanged"
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
