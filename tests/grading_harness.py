"""Helpers for the grading tests: build submissions from the solution notebooks and grade
them with the real nbgrader pipeline in a temporary course."""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
from pathlib import Path

import nbformat

from dlcore.grading.batch import grade_batch, load_course

ROOT = Path(__file__).resolve().parents[1]


def solution_nb(aid: str):
    return nbformat.read(ROOT / "solutions" / aid / f"{aid}.ipynb", as_version=4)


def release_nb(aid: str):
    return nbformat.read(ROOT / "assignments" / aid / f"{aid}.ipynb", as_version=4)


def cell(nb, grade_id: str):
    for c in nb.cells:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def points(nb) -> dict[str, float]:
    """grade_id -> points of every autograded test cell."""
    out = {}
    for c in nb.cells:
        meta = c.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and c.cell_type == "code":
            out[meta["grade_id"]] = float(meta.get("points", 0))
    return out


def variant(nb, replace: dict | None = None, append: list[str] | None = None,
            delete: list[str] | None = None, insert_after: dict | None = None):
    """A copy of ``nb`` with cell sources replaced (by grade_id), cells deleted, or new
    free code cells appended / inserted after a given cell."""
    nb = copy.deepcopy(nb)
    for gid, src in (replace or {}).items():
        cell(nb, gid).source = src
    for gid in delete or []:
        nb.cells.remove(cell(nb, gid))
    for gid, src in (insert_after or {}).items():
        idx = nb.cells.index(cell(nb, gid))
        nb.cells.insert(idx + 1, nbformat.v4.new_code_cell(src))
    for src in append or []:
        nb.cells.append(nbformat.v4.new_code_cell(src))
    return nb


def write_submission(subs: Path, student: str, aid: str, nb=None, raw: str | None = None):
    folder = subs / student / aid
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{aid}.ipynb"
    if raw is not None:
        path.write_text(raw)
    elif nb is not None:
        nbformat.write(nb, path)
    return folder


def grade(aid: str, subs: Path, course_root: Path, timeout: int | None = None, feedback=True):
    course = load_course(ROOT, aid, course_root=course_root)
    if timeout is not None:
        course.timeout = timeout
    results = grade_batch(course, aid, subs, feedback=feedback, log=lambda *_: None,
                          export_to=course.root / "grades.csv")
    return {r.student: r for r in results}, course


def case_modules():
    """The wrong-variant catalogue of every assignment (tests/grading_cases/<aid>.py)."""
    import tests.grading_cases as pkg

    mods = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"tests.grading_cases.{info.name}")
        mods[mod.ASSIGNMENT] = mod
    return mods


def feedback_text(course_root: Path, student: str, aid: str) -> str:
    return "\n".join(p.read_text() for p in
                     (course_root / "feedback" / student / aid).glob("*.html"))


def json_dump(obj) -> str:
    return json.dumps(obj, indent=1, default=str)
