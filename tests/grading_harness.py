"""Helpers for the grading tests: build submissions from the solution notebooks and grade
them with the real nbgrader pipeline in a temporary course."""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
from pathlib import Path

import nbformat
import numpy as np

from grader.batch import grade_batch, load_course

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


def grade(aid: str, subs: Path, course_root: Path, timeout: int | None = None, feedback=True,
          workers: int = 1):
    course = load_course(ROOT, aid, course_root=course_root)
    if timeout is not None:
        course.timeout = timeout
    results = grade_batch(course, aid, subs, feedback=feedback, log=lambda *_: None,
                          export_to=course.root / "grades.csv", workers=workers)
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
    """The feedback HTML a student receives, without its stylesheets and scripts (their
    numbers, such as ``line-height: 1.3333``, are not the student's content)."""
    import re

    html = "\n".join(p.read_text() for p in
                     (course_root / "feedback" / student / aid).glob("*.html"))
    return re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S | re.I)


def json_dump(obj) -> str:
    return json.dumps(obj, indent=1, default=str)


def _number_forms(x: float) -> set[str]:
    """Ways a hidden number could be printed, for the numbers worth hiding."""
    if not np.isfinite(x):
        return set()
    if float(x).is_integer():
        return {str(int(x))} if abs(x) >= 1000 else set()
    forms = set()
    for text in (repr(x), *(f"{x:.{digits}g}" for digits in (4, 5, 6))):
        # "0.5" or "-1.25" also occur in CSS and prose; only distinctive numbers count.
        if len(text.lstrip("-").replace(".", "").lstrip("0")) >= 4 and "e" not in text:
            forms.add(text)
    return forms


def leaked_secrets(text: str, secrets_file: Path) -> list[str]:
    """Hidden expected values (logged during grading) that appear in ``text``."""
    if not secrets_file.exists():
        return []
    forms = set()
    for line in secrets_file.read_text().splitlines():
        for tok in line.split():
            forms |= _number_forms(float(tok))
    return sorted(f for f in forms if f in text)


def region_lines(source: str, begin: str, end: str) -> list[str]:
    """Lines inside ``begin``/``end`` markers (solution or hidden-test regions)."""
    out, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
            continue
        if end in line:
            inside = False
            continue
        if inside:
            out.append(line.strip())
    return out


def secret_lines(aid: str) -> tuple[list[str], list[str]]:
    """(hidden test lines, solution lines) of an assignment's source, long enough to be
    distinctive and not also present outside the regions."""
    nb = solution_nb(aid)
    hidden, solution, public = [], [], []
    for c in nb.cells:
        src = c.source
        hidden += region_lines(src, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        solution += region_lines(src, "### BEGIN SOLUTION", "### END SOLUTION")
        meta = c.get("metadata", {}).get("nbgrader", {})
        if c.cell_type == "markdown" and meta.get("solution"):
            solution += [ln.strip() for ln in src.splitlines()]
        else:
            keep, skip = [], False
            for ln in src.splitlines():
                if "### BEGIN" in ln:
                    skip = True
                elif "### END" in ln:
                    skip = False
                elif not skip:
                    keep.append(ln.strip())
            public += keep
    public_set = set(public)

    def distinctive(lines):
        return sorted({ln for ln in lines if len(ln) >= 16 and ln not in public_set
                       and not ln.startswith("#")})

    return distinctive(hidden), distinctive(solution)
