"""Grading as a dedicated unprivileged account, as docs/grading-on-jupyterhub.md sets it up.

The real command, ``python -m grader grade``, runs under a uid that is neither root nor anyone's
login (no passwd entry, no groups), with HOME and a copy of the course in a folder that uid
owns, on two submissions of A1: the solution notebook, and the blank release notebook with one
extra cell that reports where it ran.  Both are graded with the right scores, each kernel ran
in the bubblewrap sandbox (hostname ``sandbox``, uid 65534, its own HOME, and of the course
folder nothing but the way down to its own copy of the notebook), the grading secret was
created in that account's HOME with mode 600, the grader said which limits are in force
(address space and rlimit: the account has no cgroup of its own here), and none of the
account's processes outlive the run.

Needs root (to switch to the uid).  A Python installed where other users cannot reach it
(pyenv under a mode-700 /root) is made reachable for the run only, in a private mount namespace:
the blocking folder is covered with an empty tmpfs and the installation bound back into it.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from grader.reach import blocker, exposure, others_can_enter, outermost
from tests.grading_harness import ROOT, points, release_nb, solution_nb, write_submission

AID = "a01_neurons_perceptron"
pytestmark = pytest.mark.slow
PROBE = ("import os, socket\n"
         "print('PROBE', socket.gethostname(), os.getuid(), os.environ['HOME'], "
         "*sorted(os.listdir({course!r})))")


def _free_uid() -> int:
    """A uid and gid with no account, no group and no process on this machine."""
    running = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            line = next(ln for ln in status.read_text().splitlines() if ln.startswith("Uid:"))
            running.add(int(line.split()[1]))
        except (OSError, StopIteration):
            pass
    for uid in range(61000, 62000):
        try:
            pwd.getpwuid(uid)
            continue
        except KeyError:
            pass
        try:
            grp.getgrgid(uid)
            continue
        except KeyError:
            pass
        if uid not in running:
            return uid
    pytest.skip("no free uid in 61000-61999 to grade as")


def _needed() -> list[Path]:
    """What the grading account must reach: the Python installation, the virtual environment,
    and where dlcore and grader are imported from (an editable checkout)."""
    import dlcore
    import grader

    paths = {Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent,
             Path(sys.prefix).resolve(), Path(dlcore.__file__).resolve().parents[1],
             Path(grader.__file__).resolve().parents[1]}
    return outermost(paths)


def _expose(needed: list[Path], stage: Path) -> list[str]:
    """``grader.reach.exposure``'s shell lines, once every needed folder is readable by
    other users (a folder they could enter but not read could not be exposed)."""
    for p in needed:
        if not (others_can_enter(p) and p.stat().st_mode & stat.S_IROTH):
            pytest.skip(f"{p} is not readable by other users: the grading account could not "
                        f"run this Python installation")
    return exposure(needed, stage)


def _workdir() -> Path:
    """A fresh folder in a temporary directory that every user can enter."""
    for base in (tempfile.gettempdir(), "/tmp", "/var/tmp"):
        base = Path(base)
        if base.is_dir() and others_can_enter(base) and blocker(base) is None:
            return Path(tempfile.mkdtemp(prefix="dlcore-unprivileged-", dir=base))
    pytest.skip("no temporary directory that other users can enter")


def _as_user(uid: int, exposed: list[str], env: dict[str, str], command: list[str],
             cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """``command`` as ``uid`` (no groups, no capabilities), with the needed folders exposed."""
    run = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "env", "-i",
           *(f"{k}={v}" for k, v in env.items()), *command]
    script = "\n".join(["set -e", *exposed, f"cd {shlex.quote(str(cwd))}",
                        f"exec {shlex.join(run)}"])
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                          capture_output=True, text=True, timeout=timeout)


def _processes_of(uid: int) -> list[str]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        uids = next(ln for ln in text.splitlines() if ln.startswith("Uid:")).split()[1:]
        if str(uid) in uids:
            found.append(text.splitlines()[0])
    return found


@pytest.fixture(scope="module")
def graded():
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the grader as another, unprivileged uid (setpriv)")
    missing = [t for t in ("setpriv", "unshare", "bwrap", "prlimit") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (util-linux, bubblewrap)")
    uid = _free_uid()
    work = _workdir()
    try:
        course, subs, home = work / "course", work / "subs", work / "home"
        (course / "solutions").mkdir(parents=True)
        shutil.copy2(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "solutions" / AID, course / "solutions" / AID)
        home.mkdir()
        write_submission(subs, "solution", AID, solution_nb(AID))
        blank = release_nb(AID)
        blank.cells.append(nbformat.v4.new_code_cell(PROBE.format(course=str(course))))
        write_submission(subs, "blank", AID, blank)
        for path in [work, *work.rglob("*")]:
            os.chown(path, uid, uid, follow_symlinks=False)
        work.chmod(0o700)

        exposed = _expose(_needed(), work / ".stage")
        venv_bin = Path(sys.prefix) / "bin"
        env = {"HOME": str(home), "PATH": f"{venv_bin}:/usr/bin:/bin", "LANG": "C.UTF-8",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        python = str(venv_bin / "python")
        pre = _as_user(uid, exposed, env, [python, "-c", "import dlcore, grader, nbgrader"],
                       course, 120)
        if pre.returncode != 0:
            pytest.skip(f"an unprivileged uid cannot import this installation: "
                        f"{(pre.stderr.strip().splitlines() or ['?'])[-1]}")
        start = time.perf_counter()
        proc = _as_user(uid, exposed, env, [python, "-m", "grader", "grade", AID, "--course",
                                            str(course), "--submissions", str(subs)],
                        course, 600)
        yield {"proc": proc, "uid": uid, "course": course, "home": home,
               "seconds": time.perf_counter() - start}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_grader_runs_as_the_unprivileged_account(graded):
    proc = graded["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    grades = graded["course"] / "grades"
    assert grades.stat().st_uid == graded["uid"]
    assert (grades / "grades.csv").stat().st_uid == graded["uid"]
    assert _processes_of(graded["uid"]) == []


def test_both_submissions_get_the_right_scores(graded):
    summary = graded["course"] / "grades" / f"summary-{AID}.json"
    results = {r["student"]: r for r in json.loads(summary.read_text())}
    sol = solution_nb(AID)
    auto = sum(points(sol).values())
    total = sum(float(c.metadata.get("nbgrader", {}).get("points", 0)) for c in sol.cells)
    assert results["solution"]["status"] == "graded", results["solution"]
    assert results["solution"]["score"] == auto and auto > 0
    assert results["solution"]["max_score"] == total
    assert results["solution"]["pending"] == total - auto
    assert results["solution"]["failures"] == []
    assert results["blank"]["status"] == "graded", results["blank"]
    assert results["blank"]["score"] == 0
    assert len(results["blank"]["failures"]) == len(points(sol))


def test_each_kernel_ran_in_the_sandbox(graded):
    out = graded["proc"].stdout
    assert "Each submission runs in its own sandbox" in out
    assert "WITHOUT a sandbox" not in out + graded["proc"].stderr
    nb = nbformat.read(graded["course"] / "autograded" / "blank" / AID / f"{AID}.ipynb",
                       as_version=4)
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    # bwrap's hostname and uid, the sandbox's own HOME, and of the course folder only the
    # path down to the notebook's own copy (nbgrader runs it in autograded/): no solutions/,
    # gradebook, configuration or other students
    assert text.split() == ["PROBE", "sandbox", "65534", "/home/student", "autograded"], text


def test_the_grader_says_which_limits_are_in_force(graded):
    """The account has no cgroup of its own here: memory is capped by address space and
    processes by rlimit, and the grader's first lines say so."""
    line = next(ln for ln in graded["proc"].stdout.splitlines()
                if ln.startswith("Each submission runs in its own sandbox"))
    assert re.search(r"memory \d+(\.\d+)? [GM]B \(address space: no cgroup here\), "
                     r"\d+ processes \(rlimit\), CPU time \d+ s, files up to", line), line


def test_the_secret_is_created_private_in_the_accounts_home(graded):
    secret = graded["home"] / ".config" / "dlcore" / "grading-secret"
    st = secret.stat()
    assert st.st_uid == graded["uid"]
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert len(secret.read_text().strip()) >= 32
