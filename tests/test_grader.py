"""The instructor's tools (``grader/``): one place for the time limits, the command line and its
course directory, and the package split: ``grader`` runs from a non-editable install, outside
the repository, and ``import dlcore`` needs nothing but numpy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import grader
from grader import limits
from grader.batch import load_course

ROOT = Path(__file__).resolve().parents[1]
AIDS = sorted(p.name for p in (ROOT / "solutions").iterdir()
              if p.is_dir() and list(p.glob("*.ipynb")))
AID = "a01_neurons_perceptron"


def _nbgrader_timeout(argv: list[str], monkeypatch) -> int:
    """c.Execute.timeout as nbgrader_config.py sets it for the command line ``argv``."""
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setattr(sys, "argv", argv)
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    return cfg.Execute.timeout


@pytest.mark.parametrize("aid", [*AIDS, "not_an_assignment"])
def test_nbgrader_and_the_batch_grader_use_the_same_limit(aid, monkeypatch):
    from_config = _nbgrader_timeout(["nbgrader", "autograde", aid, "--force"], monkeypatch)
    assert from_config == load_course(ROOT, aid).timeout == limits.timeout_for(aid)


def test_changing_the_one_table_changes_both_readers(monkeypatch):
    monkeypatch.setitem(limits.TIMEOUTS, AID, 7)
    assert load_course(ROOT, AID).timeout == 7
    assert _nbgrader_timeout(["nbgrader", "autograde", AID], monkeypatch) == 7


def test_load_course_splits_course_and_output(tmp_path):
    course = load_course(ROOT, AID, course_root=tmp_path)
    assert course.root == tmp_path.resolve()
    assert course.config_file == ROOT / "nbgrader_config.py"
    assert (course.source_dir / AID / f"{AID}.ipynb").is_file()
    with pytest.raises(FileNotFoundError, match="--course"):
        load_course(tmp_path, AID)


def _run(args, cwd, env=None, timeout=300):
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_help_runs_from_outside_the_repository(tmp_path):
    out = _run(["-m", "grader", "--help"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "assignments" in out.stdout and "grade" in out.stdout
    sub = _run(["-m", "grader", "grade", "--help"], cwd=tmp_path)
    assert "--course" in sub.stdout and "--output" in sub.stdout


def test_a_folder_that_is_not_a_course_is_refused(tmp_path):
    out = _run(["-m", "grader", "assignments"], cwd=tmp_path)
    assert out.returncode == 2
    assert "not a course directory" in out.stderr and "--course" in out.stderr
    out = _run(["-m", "grader", "grade", AID, "--course", str(tmp_path)], cwd=ROOT)
    assert out.returncode == 2 and "not a course directory" in out.stderr


def test_grading_with_nothing_collected_says_what_to_do(tmp_path):
    out = _run(["-m", "grader", "grade", AID, "--output", str(tmp_path)], cwd=ROOT,
               env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "no submissions to grade" in out.stderr and "nbgrader collect" in out.stderr
    assert "Traceback" not in out.stderr


def test_dlcore_does_not_ship_the_instructor_tools():
    import dlcore.grading

    folder = Path(dlcore.grading.__file__).parent
    assert not any((folder / f"{name}.py").exists() for name in ("batch", "nbgrader_ext",
                                                                   "__main__"))
    assert Path(grader.__file__).parent == ROOT / "grader"


# -- installed copies ------------------------------------------------------------------------------
def _source_copy(dest: Path) -> Path:
    """The files a build reads, copied, so that builds never write into the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("dlcore", "grader"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def _pip(python, *args, timeout=300):
    return subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.setup
def test_grader_runs_from_a_non_editable_install(tmp_path):
    """``pip install --target``, then from a course folder outside the repository: the student
    versions it generates are the committed ones, and a solution is graded in full."""
    src = _source_copy(tmp_path / "src")
    site = tmp_path / "site"
    out = _pip(sys.executable, "install", "--quiet", "--no-deps", "--target", str(site), str(src))
    assert out.returncode == 0, out.stdout + out.stderr
    assert (site / "grader" / "__main__.py").is_file() and (site / "dlcore").is_dir()

    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions" / AID, course / "solutions" / AID)
    shutil.copy2(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    env = dict(os.environ, PYTHONPATH=str(site))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"

    where = _run(["-c", "import dlcore, grader; print(dlcore.__file__); print(grader.__file__)"],
                 cwd=course, env=env)
    assert where.returncode == 0, where.stderr
    assert all(Path(p).is_relative_to(site) for p in where.stdout.split()), where.stdout

    gen = _run(["-m", "grader", "assignments"], cwd=course, env=env)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    fresh = course / "assignments" / AID / f"{AID}.ipynb"
    assert fresh.read_bytes() == (ROOT / "assignments" / AID / f"{AID}.ipynb").read_bytes()

    subs = tmp_path / "submissions" / "solution"
    subs.mkdir(parents=True)
    shutil.copy2(ROOT / "solutions" / AID / f"{AID}.ipynb", subs / f"{AID}.ipynb")
    graded = _run(["-m", "grader", "grade", AID, "--course", str(course), "--submissions",
                   str(subs.parent), "--output", str(tmp_path / "out"), "--no-feedback"],
                  cwd=tmp_path, env=env)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    summary = (tmp_path / "out" / "grades" / f"summary-{AID}.json").read_text()
    (result,) = json.loads(summary)
    nb = nbformat.read(ROOT / "solutions" / AID / f"{AID}.ipynb", as_version=4)
    auto = sum(float(c.metadata["nbgrader"].get("points", 0)) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade")
               and not c.metadata["nbgrader"].get("solution"))
    assert result["status"] == "graded" and result["failures"] == [], result
    assert result["score"] == pytest.approx(auto), result
    assert not (course / "gradebook.db").exists()  # --output took the gradebook


@pytest.mark.slow
@pytest.mark.setup
def test_dlcore_imports_with_numpy_alone(tmp_path):
    """A fresh virtual environment with numpy and this distribution (no other dependency)
    imports the math: dlcore, dlcore.nn, dlcore.conv, dlcore.recurrent."""
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                          text=True, timeout=300)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment here: {made.stderr[-300:]}")
    python = venv / "bin" / "python"
    out = _pip(python, "install", "--quiet", "numpy")
    assert out.returncode == 0, out.stdout + out.stderr
    src = _source_copy(tmp_path / "src")
    out = _pip(python, "install", "--quiet", "--no-deps", str(src))
    assert out.returncode == 0, out.stdout + out.stderr
    code = ("import sys, dlcore, dlcore.nn, dlcore.conv, dlcore.recurrent\n"
            "import importlib.metadata as md, json\n"
            "print(json.dumps(md.distribution('dlcourse-core').requires or []))\n"
            "print(dlcore.__file__)")
    ran = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    requires, location = ran.stdout.splitlines()
    assert Path(location).is_relative_to(venv), location
    hard = [r for r in json.loads(requires) if "extra ==" not in r]
    assert [r.split(">")[0].split("=")[0].strip() for r in hard] == ["numpy"], requires
