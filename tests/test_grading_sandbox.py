"""Hostile submissions graded in one batch, each in its own bubblewrap sandbox.

Every attacker is an honest solution of A1 plus a cell that tries to reach beyond its own
submission: the course's solutions and gradebook, other students' notebooks, dlcore and the
virtual environment (to persist into later runs), HOME, the network, processes that outlive
the kernel, memory and processes without limit.  The honest students graded before and after
them get full marks, nothing outside the sandbox changes (hashed before and after), and no
process survives the batch.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from grader.sandbox import sandbox_status
from tests.grading_harness import (
    ROOT,
    feedback_text,
    grade,
    points,
    solution_nb,
    variant,
    write_submission,
)

AID = "a01_neurons_perceptron"
pytestmark = pytest.mark.slow
MARK = "sleep 4242"  # the daemons' command line, to look for survivors


def _tree_hash(*roots: Path) -> str:
    h = hashlib.sha256()
    for root in roots:
        if not root.exists():
            h.update(f"missing {root}".encode())
            continue
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            h.update(str(path).encode())
            if path.is_file() and not path.is_symlink():
                h.update(path.read_bytes())
    return h.hexdigest()


def _protected() -> dict[str, Path]:
    import dlcore

    venv = Path(sys.prefix)
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    home = Path.home()
    return {"dlcore": Path(dlcore.__file__).resolve().parent, "solutions": ROOT / "solutions",
            "site-packages .pth": site, "kernelspecs": venv / "share" / "jupyter",
            "ipython startup": home / ".ipython/profile_default/startup",
            "user kernelspecs": home / ".local/share/jupyter/kernels"}


def _snapshot() -> dict[str, str]:
    out = {}
    for name, path in _protected().items():
        if name == "site-packages .pth":
            files = sorted(path.glob("*.pth"))
            out[name] = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes()
                                                for p in files)).hexdigest()
        else:
            out[name] = _tree_hash(path)
    return out


class _Listener:
    """A TCP server on this machine's loopback that records every connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def _attacks(course: Path, port: int) -> dict[str, str]:
    import dlcore

    dl_init = Path(dlcore.__file__).resolve()
    site = next(p for p in sys.path if p.endswith("site-packages"))
    kernels = Path(sys.prefix) / "share" / "jupyter" / "kernels"
    gradebook = course / "gradebook.db"
    return {
        "reads_solutions": (
            f"import os\nfor p in [{str(ROOT / 'solutions')!r}, {str(gradebook)!r}, "
            f"'../../../gradebook.db', '../../../submitted', {str(ROOT)!r}]:\n"
            f"    print('SE' + 'EN' if os.path.exists(p) else 'HIDDEN', p)\n"
            f"print('parent holds', sorted(os.listdir('../..')))"),
        "writes_gradebook": (
            f"import sqlite3\nfor p in [{str(gradebook)!r}, '../../../gradebook.db']:\n"
            f"    try:\n        db = sqlite3.connect(p)\n"
            f"        db.execute('update grade set auto_score = 0')\n        db.commit()\n"
            f"    except Exception as e:\n        print('blocked', type(e).__name__)"),
        "overwrites_classmate": (
            f"import glob, json\nfor p in glob.glob({str(course / 'submitted')!r} + "
            f"'/*/*/*.ipynb') + glob.glob('../../../submitted/*/*/*.ipynb'):\n"
            f"    open(p, 'w').write('{{}}')\nprint('done')"),
        "rewrites_dlcore": (
            f"for p in [{str(dl_init)!r}, __import__('dlcore').__file__]:\n    try:\n"
            f"        open(p, 'a').write('\\nraise SystemExit')\n"
            f"    except OSError as e:\n        print('blocked', type(e).__name__)"),
        "drops_pth_file": (
            f"try:\n    open({site + '/zz_evil.pth'!r}, 'w').write('import os')\n"
            f"except OSError as e:\n    print('blocked', type(e).__name__)"),
        "ipython_startup": (
            "import os\nd = os.path.expanduser('~/.ipython/profile_default/startup')\n"
            "os.makedirs(d, exist_ok=True)\nopen(d + '/00-evil.py', 'w').write('check = None')\n"
            "print('written in', d)"),
        "rewrites_kernelspec": (
            f"import os\nfor d in [{str(kernels)!r}, os.path.expanduser("
            f"'~/.local/share/jupyter/kernels')]:\n    try:\n"
            f"        os.makedirs(d + '/python3', exist_ok=True)\n"
            f"        open(d + '/python3/kernel.json', 'w').write('{{}}')\n"
            f"    except OSError as e:\n        print('blocked', type(e).__name__)"),
        "network": (
            f"import socket\nfor host in [('127.0.0.1', {port}), ('pypi.org', 443)]:\n"
            f"    try:\n        socket.create_connection(host, timeout=2)\n"
            f"        print('CONNECTED', host)\n"
            f"    except OSError as e:\n        print('no network', type(e).__name__)"),
        "daemon": (
            f"import subprocess\nsubprocess.Popen(['sh', '-c', '{MARK}; echo late >> "
            f"{course / 'daemon-was-here'}'], start_new_session=True)\n"
            f"import os\nif os.fork() == 0:\n    os.setsid()\n    os.execvp('sh', ['sh', '-c', "
            f"'{MARK}'])"),
        "fork_bomb": (
            "import os, time\nkids = 0\ntry:\n    for _ in range(10000):\n"
            "        if os.fork() == 0:\n            time.sleep(60)\n            os._exit(0)\n"
            "        kids += 1\nexcept OSError as e:\n    print('fork refused after', kids)"),
        "memory_hog": "import numpy as np\nblocks = [np.ones(2**27) for _ in range(64)]",
        "non_utf8_output": "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe\\x80 bytes\\n' * 10)",
        "huge_output": "print('y' * 3_000_000)",
        "env_and_home": (
            "import os\nprint('HOME', os.path.expanduser('~'), sorted(os.listdir(os.path."
            "expanduser('~'))))\nprint('SECRETS' if any('SECRET' in k for k in os.environ) "
            "else 'clean env')"),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    ok, why = sandbox_status()
    if not ok:
        pytest.fail(f"bubblewrap must work for these tests (CI installs it): {why}")
    tmp = tmp_path_factory.mktemp("sandbox")
    course = tmp / "course"
    subs = tmp / "submissions"
    sol = solution_nb(AID)
    listener = _Listener()
    attacks = _attacks(course, listener.port)
    corpus = {"aa_honest_before": variant(sol)}
    corpus.update({name: variant(sol, append=[src]) for name, src in attacks.items()})
    corpus["zz_honest_after"] = variant(sol)
    for name, nb in corpus.items():
        write_submission(subs, name, AID, nb)
    originals = {name: _tree_hash(subs / name) for name in corpus}
    before = _snapshot()
    # two workers at once, as on a 2-core grading machine: one submission never affects
    # another even when they are graded side by side
    results, course_obj = grade(AID, subs, course, timeout=20, workers=2)
    after = _snapshot()
    survivors = subprocess.run(["pgrep", "-f", MARK], capture_output=True, text=True).stdout
    return {"results": results, "course": course, "subs": subs, "points": points(sol),
            "before": before, "after": after, "originals": originals, "survivors": survivors,
            "listener": listener, "attacks": attacks}


def _output(g, student: str) -> str:
    nb = nbformat.read(g["course"] / "autograded" / student / AID / f"{AID}.ipynb",
                       as_version=4)
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    text = []
    for out in last.get("outputs", []):
        text.append(out.get("text", "") or str(out.get("data", {}).get("text/plain", ""))
                    or f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(text)


def test_honest_students_around_the_attackers_get_full_marks(graded):
    full = sum(graded["points"].values())
    for student in ("aa_honest_before", "zz_honest_after"):
        r = graded["results"][student]
        assert (r.status, r.score) == ("graded", full), (student, r)


def test_every_attacker_is_graded_or_reported_with_a_reason(graded):
    full = sum(graded["points"].values())
    for name in graded["attacks"]:
        r = graded["results"][name]
        assert r.status == "graded" or r.reasons, (name, r)
        assert r.score is None or r.score <= full


def test_nothing_outside_the_sandbox_changed(graded):
    assert graded["after"] == graded["before"]
    for name, digest in graded["originals"].items():
        assert _tree_hash(graded["subs"] / name) == digest, f"{name}'s files changed"
    # every student's copy in submitted/ is still the notebook they handed in
    for name in graded["originals"]:
        copy = graded["course"] / "submitted" / name / AID / f"{AID}.ipynb"
        assert copy.read_bytes() == (graded["subs"] / name / AID / f"{AID}.ipynb").read_bytes()


def test_the_course_and_the_gradebook_are_out_of_sight(graded):
    out = _output(graded, "reads_solutions")
    assert "SEEN" not in out and out.count("HIDDEN") == 5, out
    assert "parent holds ['reads_solutions']" in out  # no classmate in autograded/
    assert "blocked" in _output(graded, "rewrites_dlcore")
    assert "blocked" in _output(graded, "drops_pth_file")
    assert not (Path(next(p for p in sys.path if p.endswith("site-packages")))
                / "zz_evil.pth").exists()


def test_home_is_fresh_and_the_environment_clean(graded):
    out = _output(graded, "env_and_home")
    assert "HOME /home/student" in out and "clean env" in out
    assert os.path.expanduser("~") not in out.replace("/home/student", "")


def test_no_network_not_even_this_machine(graded):
    out = _output(graded, "network")
    assert "CONNECTED" not in out and out.count("no network") == 2, out
    assert graded["listener"].connections == 0


def test_no_process_outlives_its_sandbox(graded):
    assert graded["survivors"] == ""
    # the daemon's late write never reached the course folder
    assert not (graded["course"] / "daemon-was-here").exists()


def test_limits_stop_a_fork_bomb_and_a_memory_hog_with_a_reason(graded):
    assert "fork refused after" in _output(graded, "fork_bomb")
    hog = graded["results"]["memory_hog"]
    # the hog is the notebook's last cell, one the student added (no grade id)
    cells = len(solution_nb(AID).cells) + 1
    assert any(f"memory limit 2 GB exceeded in cell {cells}" in reason
               for reason in hog.reasons), hog


def test_feedback_of_an_attacker_holds_nothing_from_the_course(graded):
    text = feedback_text(graded["course"], "reads_solutions", AID)
    assert f"HIDDEN {ROOT / 'solutions'}" in text and f"SEEN {ROOT}" not in text


def test_grading_refuses_without_bubblewrap_unless_told(tmp_path, monkeypatch):
    from grader.batch import SandboxUnavailable, grade_batch, load_course

    monkeypatch.setattr("grader.batch.sandbox_status", lambda: (False, "no bwrap here"))
    course = load_course(ROOT, AID, course_root=tmp_path / "course")
    with pytest.raises(SandboxUnavailable, match="refusing to grade without a sandbox: no "
                                                  "bwrap here.*--unsafe-no-sandbox"):
        grade_batch(course, AID, tmp_path, log=lambda *_: None)
    empty = tmp_path / "none"
    empty.mkdir()
    out = subprocess.run([sys.executable, "-m", "grader", "grade", AID, "--course", str(ROOT),
                          "--output", str(tmp_path / "c2"), "--submissions",
                          str(empty), "--unsafe-no-sandbox", "--no-feedback"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "WARNING: grading WITHOUT a sandbox" in out.stdout + out.stderr
