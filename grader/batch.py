"""Grade a class: nbgrader's autograde -> generate_feedback -> export, robust to bad submissions.

Every submission is graded, or reported with a reason; none is silently scored 0, and one
bad notebook never stops the batch.  Before nbgrader runs, each submission is checked for a
missing notebook and for a file that is not valid notebook JSON.  Autograding runs in a worker
process that grades the students one after another (nbgrader's start-up is paid once); a
watchdog kills the worker when one student takes longer than ``student_limit`` seconds and
starts a fresh worker for the rest.  A kernel that died (``os._exit``), stopped responding (a
loop that ignores interrupts) or timed out in a cell is named in the report.  Student files
are only ever read: submissions are copied into the course's ``submitted/`` folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .limits import SANDBOX_LIMITS, timeout_for
from .sandbox import (
    DIED_IN,
    EVENTS,
    UNSAFE_ENV,
    Limits,
    SandboxUnavailable,
    prepare_runtime,
    sandbox_status,
    unsafe_warning,
)

__all__ = ["Course", "Result", "grade_batch", "load_course", "format_summary", "results_to_json",
           "export_grades", "regenerate_feedback", "RESULTS_DIR"]

#: Folder (in the course's output directory) of grades.csv and the summaries: git-ignored.
RESULTS_DIR = "grades"

_PACKAGE_PARENT = Path(__file__).resolve().parents[1]


class NoSubmissions(FileNotFoundError):
    """There is no folder of submissions to grade."""


@dataclass
class Course:
    """Where the course lives and how nbgrader is configured for it."""

    root: Path                       # course directory: gradebook.db, submitted/, autograded/...
    config_file: Path                # nbgrader_config.py to load
    source_dir: Path                 # the nbgrader source (solutions/)
    timeout: int                     # c.Execute.timeout for this assignment (seconds per cell)
    sandbox: bool = True             # each kernel in a bubblewrap sandbox (grader.sandbox)
    limits: Limits = field(default_factory=lambda: SANDBOX_LIMITS)
    runtime: Path | None = None      # prepare_runtime's clean copy of dlcore, for the sandbox

    def overrides(self) -> dict:
        over = {
            "CourseDirectory": {"root": str(self.root), "source_directory": str(self.source_dir),
                                "db_url": f"sqlite:///{self.root / 'gradebook.db'}"},
            "Execute": {"timeout": int(self.timeout)},
        }
        if self.sandbox:
            lim = self.limits
            over["SandboxedKernelManager"] = {
                "runtime_dir": str(self.runtime or ""), "memory_bytes": lim.memory_bytes,
                "processes": lim.processes, "cpu_seconds": lim.cpu_seconds,
                "file_bytes": lim.file_bytes, "tmp_bytes": lim.tmp_bytes}
        return over


@dataclass
class Result:
    student: str
    status: str = "graded"               # "graded" or "error"
    score: float | None = None
    max_score: float | None = None
    seconds: float | None = None
    reasons: list[str] = field(default_factory=list)    # why it errored, or notes on it
    failures: list[list[str]] = field(default_factory=list)  # [test cell id, hint]
    pending: float = 0.0                 # points waiting for manual grading (not in score)
    notebooks: dict[str, str] = field(default_factory=dict)  # autograded notebook -> sha256


def load_course(course_dir: Path, assignment: str, course_root: Path | None = None) -> Course:
    """The course in ``course_dir`` (its ``nbgrader_config.py`` and ``solutions/``).

    ``course_root`` puts the gradebook and the submitted/autograded/feedback folders elsewhere
    (default: ``course_dir`` itself).  The cell time limit comes from ``grader.limits``.
    """
    course_dir = Path(course_dir).resolve()
    config_file = course_dir / "nbgrader_config.py"
    if not config_file.is_file():
        raise FileNotFoundError(
            f"no nbgrader_config.py in {course_dir}: run from the course directory (a checkout "
            f"of the course repository) or pass its path with --course")
    return Course(root=Path(course_root or course_dir).resolve(), config_file=config_file,
                  source_dir=course_dir / "solutions", timeout=timeout_for(assignment))


def _nbgrader_config(course: Course):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    loader = PyFileConfigLoader(course.config_file.name, path=str(course.config_file.parent))
    cfg = loader.load_config()
    cfg.merge(Config(course.overrides()))
    return cfg


def _ensure_bin_on_path() -> None:
    """nbgrader shells out to ``alembic``, which lives next to this interpreter."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def _api(course: Course):
    _ensure_bin_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = _nbgrader_config(course)
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


def expected_notebooks(course: Course, assignment: str) -> list[str]:
    return sorted(p.name for p in (course.source_dir / assignment).glob("*.ipynb"))


def collect(course: Course, assignment: str, submissions: Path | None) -> dict[str, Path]:
    """Copy submissions into ``submitted/<student>/<assignment>/``; return student -> folder.

    ``submissions`` holds one folder per student, either in nbgrader's layout
    (``<student>/<assignment>/*.ipynb``) or flat (``<student>/*.ipynb``).
    """
    dest_root = course.root / "submitted"
    if submissions is None:
        submissions = dest_root
    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise NoSubmissions(
            f"no submissions to grade: {submissions} does not exist. Collect them first "
            f"(`nbgrader collect {assignment}` with the exchange), or pass --submissions DIR "
            f"with one folder per student")
    folders = {}
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        src = student_dir / assignment if (student_dir / assignment).is_dir() else student_dir
        dest = dest_root / student_dir.name / assignment
        if src.resolve() != dest.resolve():
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest)
        folders[student_dir.name] = dest
    return folders


def precheck(folder: Path, expected: list[str]) -> list[str]:
    """Reasons a submission cannot be autograded at all (empty when it can)."""
    import nbformat

    reasons = []
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    for name in expected:
        path = folder / name
        if not path.exists():
            found = f"; found {', '.join(present)}" if present else "; the folder has no notebook"
            reasons.append(f"missing notebook {name}{found}")
            continue
        try:
            nbformat.read(path, as_version=4)
        except Exception as exc:  # JSON errors, wrong schema, binary junk
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            reasons.append(f"{name} is not a valid notebook file ({first[:160]})")
    return reasons


def _classify_failure(text: str) -> str:
    t = text or ""
    if "DeadKernelError" in t or "Kernel died" in t or "kernel died" in t:
        return ("the kernel died while running the notebook (os._exit, a crash, or out of "
                "memory); the cells after that point did not run")
    if ("UnresponsiveKernelError" in t or "did not respond" in t or "Kernel didn't respond" in t
            or "CellTimeoutError" in t or "Timeout waiting" in t):
        return ("a cell ran past the time limit and the kernel stopped responding to the "
                "interrupt (a loop that ignores interrupts?); the kernel was stopped and the "
                "notebook could not be graded")
    if "NotJSONError" in t or "Notebook does not appear to be JSON" in t:
        return "the notebook file is not valid JSON"
    if "No notebooks were matched" in t or "No submitted file" in t:
        return "no notebook was found in the submission"
    cause = _real_cause(t)
    if cause:
        return f"nbgrader could not grade it: {cause}"
    lines = [ln for ln in t.strip().splitlines() if ln.strip()
             and "see the the above traceback" not in ln and "see the above traceback" not in ln]
    return "nbgrader could not grade it: " + (lines[-1][:200] if lines else "unknown error")


_KNOWN_CAUSES = {
    "MissingEntry": "the gradebook has no record of this notebook or one of its cells (was the "
                    "assignment released from this solutions/ folder?)",
    "checksum": "a locked cell's checksum does not match the one handed out",
}


def _real_cause(log: str) -> str:
    """The exception at the bottom of the last traceback in nbgrader's log, in words
    ("KeyError: 'ex2_code'"), instead of nbgrader's 'please see the above traceback'."""
    import re

    found = re.findall(r"^\s*((?:[\w.]+\.)?(\w*(?:Error|Exception|Entry|Exit)))(?::\s*(.*))?$",
                       log, flags=re.M)
    found = [f for f in found if f[1] not in ("Traceback",)]
    if not found:
        return ""
    full, name, message = found[-1]
    text = f"{name}: {message.strip()}" if message else name
    for key, words in _KNOWN_CAUSES.items():
        if key in name or key in message:
            return f"{words} ({text[:200]})"
    return text[:240]


def inspect_autograded(path: Path) -> tuple[list[str], list[list[str]]]:
    """Notes (timeouts, integrity, id mismatch) and failing test cells of a graded notebook."""
    import nbformat

    from .nbgrader_ext import REPORT_MARKER

    nb = nbformat.read(path, as_version=4)
    notes, failures = [], []
    code_number = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (REPORT_MARKER in cell.get("metadata", {})
                                             or cell.source.startswith("**Integrity check:**")):
            flags = [ln[2:] for ln in cell.source.splitlines() if ln.startswith("- ")]
            notes.append("integrity: " + "; ".join(flags))
        if cell.cell_type != "code":
            continue
        code_number += 1
        meta = cell.get("metadata", {}).get("nbgrader", {})
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "STUDENT_ID MISMATCH" in out.get("text", ""):
                line = next(ln for ln in out["text"].splitlines() if "STUDENT_ID MISMATCH" in ln)
                if line not in notes:
                    notes.append(line)
            if out.get("output_type") != "error":
                continue
            ename, evalue = out.get("ename", ""), (out.get("evalue") or "").strip()
            if ename == "CellTimeoutError" or (ename == "KeyboardInterrupt" and not is_test):
                notes.append(f"code cell {code_number} timed out and was interrupted")
            if is_test:
                hint = f"{ename}: {evalue}".strip(": ")
                failures.append([meta.get("grade_id", f"cell {code_number}"), hint[:300]])
    return notes, failures


def _scores(course: Course, assignment: str | None = None
            ) -> dict[str, tuple[float, float, float]]:
    """student -> (score, max score, points still waiting for manual grading); with no
    ``assignment``, keys are (assignment, student)."""
    from nbgrader.api import Gradebook

    _ensure_bin_on_path()
    out = {}
    with Gradebook(course.overrides()["CourseDirectory"]["db_url"]) as gb:
        ids = [assignment] if assignment else [a.name for a in gb.assignments]
        for aid in ids:
            for sub in gb.assignment_submissions(aid):
                # a cell nobody scored yet (a written answer before manual grading); nbgrader's
                # needs_manual_grade can stay set after a score was entered
                pending = sum(float(g.max_score) for nb in sub.notebooks for g in nb.grades
                              if g.manual_score is None and g.auto_score is None)
                key = sub.student.id if assignment else (aid, sub.student.id)
                out[key] = (sub.score, sub.max_score, pending)
    return out


# -- worker: autograde students one after another, reporting each as a JSON line --------------
_WORKER = "import sys; from grader.batch import _worker; _worker(sys.argv[1], sys.argv[2])"


def _worker(job_file: str, results_file: str) -> None:
    job = json.loads(Path(job_file).read_text())
    course = Course(Path(job["root"]), Path(job["config_file"]), Path(job["source_dir"]),
                    job["timeout"], sandbox=job["sandbox"], limits=Limits(**job["limits"]),
                    runtime=Path(job["runtime"]) if job["runtime"] else None)
    if not course.sandbox:
        os.environ[UNSAFE_ENV] = "1"
    api = _api(course)
    with open(results_file, "a") as out:
        for student in job["students"]:
            out.write(json.dumps({"student": student, "event": "start"}) + "\n")
            out.flush()
            start = time.perf_counter()
            EVENTS.clear()
            DIED_IN.clear()
            try:
                res = api.autograde(job["assignment"], student, force=True, create=True)
            except Exception as exc:  # nbgrader itself blew up on this submission
                res = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
            out.write(json.dumps({
                "student": student, "event": "done", "success": bool(res.get("success")),
                "error": res.get("error") or "", "log": (res.get("log") or "")[-20000:],
                "sandbox": list(EVENTS),
                "seconds": round(time.perf_counter() - start, 3)}) + "\n")
            out.flush()


def _run_workers(course: Course, assignment: str, students: list[str], student_limit: float,
                 log) -> dict[str, dict]:
    """Autograde ``students``; restart the worker after a student that hangs it."""
    done: dict[str, dict] = {}
    remaining = list(students)
    with tempfile.TemporaryDirectory() as tmp:
        while remaining:
            job = Path(tmp) / "job.json"
            results = Path(tmp) / f"results-{len(done)}.jsonl"
            job.write_text(json.dumps({
                "root": str(course.root), "config_file": str(course.config_file),
                "source_dir": str(course.source_dir), "timeout": course.timeout,
                "sandbox": course.sandbox, "limits": asdict(course.limits),
                "runtime": str(course.runtime or ""),
                "assignment": assignment, "students": remaining}))
            results.touch()
            env = dict(os.environ)
            env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
            # The worker imports this package wherever it was found (a checkout, an install).
            env["PYTHONPATH"] = os.pathsep.join(
                [str(_PACKAGE_PARENT)] + [p for p in [env.get("PYTHONPATH")] if p])
            proc = subprocess.Popen(
                [sys.executable, "-c", _WORKER, str(job), str(results)],
                cwd=str(course.root), env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
            current, started = None, time.monotonic()
            while True:
                events = [json.loads(ln) for ln in results.read_text().splitlines() if ln.strip()]
                for ev in events:
                    if ev["event"] == "done" and ev["student"] not in done:
                        done[ev["student"]] = ev
                        log(f"  {ev['student']}: {'ok' if ev['success'] else 'failed'} "
                            f"({ev['seconds']:.1f} s)")
                starts = [ev["student"] for ev in events if ev["event"] == "start"]
                if starts and starts[-1] not in done and starts[-1] != current:
                    current, started = starts[-1], time.monotonic()
                if proc.poll() is not None:
                    break
                if current is not None and current not in done and \
                        time.monotonic() - started > student_limit:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    done[current] = {"student": current, "success": False, "seconds": None,
                                     "error": f"grading did not finish within {student_limit:.0f}"
                                              f" s and was stopped", "log": "", "killed": True}
                    log(f"  {current}: stopped after {student_limit:.0f} s")
                    break
                time.sleep(0.1)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            progressed = [s for s in remaining if s in done]
            if not progressed and remaining:  # the worker could not even start
                for s in remaining:
                    done[s] = {"student": s, "success": False, "seconds": None, "log": "",
                               "error": "the grading worker exited before grading anyone"}
            remaining = [s for s in remaining if s not in done]
    return done


def _parallel_workers(course, assignment, students, limit, log, workers: int) -> dict:
    """``_run_workers`` on ``workers`` shares of the students at once."""
    workers = max(1, min(int(workers), len(students) or 1))
    if workers == 1:
        return _run_workers(course, assignment, students, limit, log)
    from concurrent.futures import ThreadPoolExecutor

    shares = [students[i::workers] for i in range(workers)]
    outcomes: dict = {}
    with ThreadPoolExecutor(workers) as pool:
        for done in pool.map(lambda share: _run_workers(course, assignment, share, limit, log),
                             shares):
            outcomes.update(done)
    return outcomes


def grade_batch(course: Course, assignment: str, submissions: Path | None = None,
                student_limit: float | None = None, feedback: bool = True,
                export_to: Path | None = None, log=print, workers: int = 1) -> list[Result]:
    """Autograde, generate feedback and export grades for every submission; return results.

    ``workers`` autograding processes share the students (round robin); one per core is
    the most that pays.
    """
    if course.sandbox:
        ok, why = sandbox_status()
        if not ok:
            raise SandboxUnavailable(
                f"refusing to grade without a sandbox: {why}. Student code would run as you, "
                f"with your files and network. Install bubblewrap, or pass "
                f"--unsafe-no-sandbox to grade unprotected.")
    expected = expected_notebooks(course, assignment)
    if not expected:
        raise ValueError(f"no assignment {assignment!r} in {course.source_dir} (expected a folder "
                         f"{course.source_dir / assignment} with its notebook)")
    course.root.mkdir(parents=True, exist_ok=True)
    api = _api(course)
    with tempfile.TemporaryDirectory() as release:  # registers the assignment in the gradebook
        api.coursedir.release_directory = release
        res = api.generate_assignment(assignment, force=True, create=True)
        if not res.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment failed: {res.get('error')}")
    folders = collect(course, assignment, submissions)
    results = {s: Result(s) for s in folders}
    gradable = []
    for student, folder in folders.items():
        problems = precheck(folder, expected)
        if problems:
            results[student].status = "error"
            results[student].reasons.extend(problems)
        else:
            gradable.append(student)
    log(f"Autograding {len(gradable)} of {len(folders)} submissions of {assignment} "
        f"(cell timeout {course.timeout} s)")
    limit = student_limit or max(120.0, 8.0 * course.timeout)
    with tempfile.TemporaryDirectory(prefix="dlcore-runtime-") as runtime:
        if course.sandbox:
            course.runtime = prepare_runtime(Path(runtime) / "site")
            log(f"Each submission runs in its own sandbox: {course.limits.describe()}; no "
                f"network, no view of the course folder")
        else:
            log(unsafe_warning())
        try:
            outcomes = _parallel_workers(course, assignment, gradable, limit, log, workers)
        finally:
            if course.runtime is not None:
                for path in [course.runtime, *course.runtime.rglob("*")]:
                    path.chmod(0o755 if path.is_dir() else 0o644)
                course.runtime = None
    scores = _scores(course, assignment)
    for student in gradable:
        r, ev = results[student], outcomes.get(student, {})
        r.seconds = ev.get("seconds")
        graded_dir = course.root / "autograded" / student / assignment
        if graded_dir.is_dir():
            for nb in sorted(graded_dir.glob("*.ipynb")):
                r.notebooks[nb.name] = hashlib.sha256(nb.read_bytes()).hexdigest()
                notes, failures = inspect_autograded(nb)
                r.reasons.extend(notes)
                r.failures.extend(failures)
        limits_hit = [e["message"] for e in ev.get("sandbox", [])]
        if not ev.get("success"):
            r.status = "error"
            cause = _classify_failure(f"{ev.get('error', '')}\n{ev.get('log', '')}")
            if limits_hit:
                cause = f"{'; '.join(limits_hit)}: the kernel was stopped and the notebook " \
                        f"could not be graded"
            r.reasons.insert(0, cause)
        elif limits_hit:
            r.reasons.insert(0, "; ".join(limits_hit) + " (the kernel was stopped; later "
                                                         "cells ran in a fresh kernel or not "
                                                         "at all)")
        if student in scores:
            r.score, r.max_score, r.pending = scores[student]
    if feedback:
        for student in gradable:
            if (course.root / "autograded" / student / assignment).is_dir():
                api.generate_feedback(assignment, student, force=True)
    if export_to is not None:
        export_grades(course, export_to)
    return [results[s] for s in sorted(results)]


def regenerate_feedback(course: Course, assignment: str) -> list[str]:
    """Feedback of every autograded student, made again (``force``): after manual grading,
    nbgrader would otherwise keep the feedback it made before.  Returns the students."""
    api = _api(course)
    students = sorted(p.parent.name for p in (course.root / "autograded").glob(f"*/{assignment}")
                      if p.is_dir())
    for student in students:
        res = api.generate_feedback(assignment, student, force=True)
        if not res.get("success"):
            raise RuntimeError(f"nbgrader generate_feedback failed for {student}: "
                               f"{res.get('error')}")
    return students


def export_grades(course: Course, to: Path) -> None:
    """nbgrader's CSV export of the whole gradebook, plus a column ``pending_manual_points``:
    the points still waiting for manual grading (they are in ``max_score``, not in
    ``score``)."""
    import csv

    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    plugin = CsvExportPlugin(to=str(to))
    with Gradebook(course.overrides()["CourseDirectory"]["db_url"]) as gb:
        plugin.export(gb)
    pending = _scores(course)
    with open(to, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0]) if rows else ["assignment", "student_id", "score", "max_score"]
    with open(to, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields + ["pending_manual_points"])
        writer.writeheader()
        for row in rows:
            key = (row.get("assignment"), row.get("student_id"))
            writer.writerow({**row, "pending_manual_points": f"{pending.get(key, (0, 0, 0))[2]:g}"})


def format_summary(assignment: str, results: list[Result]) -> str:
    lines = [f"Grades for {assignment}: {len(results)} submissions", ""]

    def score(r: Result) -> str:
        if r.score is None or r.status != "graded":
            return "-"
        text = f"{r.score:g} / {r.max_score:g}"
        return text + (f" ({r.pending:g} pending)" if r.pending else "")

    width = max([len(r.student) for r in results] + [7])
    swidth = max([len(score(r)) for r in results] + [5])
    lines.append(f"{'student':<{width}}  {'score':>{swidth}}  {'seconds':>7}  status")
    for r in results:
        secs = f"{r.seconds:.1f}" if r.seconds is not None else "-"
        status = "graded" if r.status == "graded" else "ERROR"
        lines.append(f"{r.student:<{width}}  {score(r):>{swidth}}  {secs:>7}  {status}")
    problems = [r for r in results if r.reasons or r.failures]
    if problems:
        lines += ["", "Details:"]
    for r in problems:
        lines.append(f"- {r.student}:")
        lines += [f"    {reason}" for reason in r.reasons]
        lines += [f"    failed {cell}: {hint}" for cell, hint in r.failures]
    waiting = [r for r in results if r.pending and r.status == "graded"]
    if waiting:
        lines += ["", f"Pending: {len(waiting)} submission(s) have points waiting for manual "
                      f"grading; their score counts the autograded points only. Grade them in "
                      f"nbgrader's formgrader, then run `python -m grader feedback "
                      f"{assignment}` to update the feedback and grades.csv."]
    graded = [r.seconds for r in results if r.seconds is not None]
    if graded:
        lines += ["", f"Autograde time per submission: mean {sum(graded) / len(graded):.2f} s, "
                      f"max {max(graded):.2f} s"]
    return "\n".join(lines)


def results_to_json(results: list[Result]) -> str:
    return json.dumps([asdict(r) for r in results], indent=1)

