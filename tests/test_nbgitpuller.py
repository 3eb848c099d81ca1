"""The hub guide's nbgitpuller link pulls a fork's lecture notebooks into a student's server.

The course environment's JupyterLab serves nbgitpuller's ``/git-pull`` endpoint (the link of
docs/teaching-a-class-on-a-hub.md without the hub's ``user-redirect`` part): a first pull
clones the repository into the student's folder, a second one brings the instructor's new
commit and keeps the student's own edits.
"""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request

import pytest

from tests.browser import jupyter_lab

pytestmark = pytest.mark.slow


def _git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=Instructor", "-c", "user.email=i@example.org",
                    *args], cwd=cwd, check=True, capture_output=True)


def _pull(base, token, repo, target):
    query = urllib.parse.urlencode({"repo": repo.as_uri(), "branch": "main",
                                    "targetpath": target, "token": token})
    with urllib.request.urlopen(f"{base}/git-pull/api?{query}", timeout=120) as reply:
        events = [json.loads(line[5:]) for line in reply.read().decode().splitlines()
                  if line.startswith("data:")]
    assert events and events[-1].get("phase") == "finished", events


def test_a_link_clones_the_fork_then_brings_new_lectures_and_keeps_the_students_edits(tmp_path):
    fork, home = tmp_path / "fork", tmp_path / "home"
    (fork / "notebooks").mkdir(parents=True)
    home.mkdir()
    (fork / "notebooks" / "01_intro.ipynb").write_text('{"cells": []}\n')
    _git("init", "-q", "-b", "main", cwd=fork)
    _git("add", ".", cwd=fork)
    _git("commit", "-q", "-m", "lecture 1", cwd=fork)
    with jupyter_lab(home) as (base, token):
        _pull(base, token, fork, "course")
        first = home / "course" / "notebooks" / "01_intro.ipynb"
        assert first.read_text() == '{"cells": []}\n'
        first.write_text('{"cells": [], "mine": true}\n')           # the student works on it
        (fork / "notebooks" / "02_next.ipynb").write_text('{"cells": [1]}\n')
        _git("add", ".", cwd=fork)
        _git("commit", "-q", "-m", "lecture 2", cwd=fork)
        _pull(base, token, fork, "course")
    assert (home / "course" / "notebooks" / "02_next.ipynb").read_text() == '{"cells": [1]}\n'
    assert first.read_text() == '{"cells": [], "mine": true}\n'
