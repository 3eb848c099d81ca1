"""Course commands behind ``make assignments`` and ``make grade``.

    python -m grader assignments [--course DIR] [--release-dir DIR] [ASSIGNMENT ...]
    python -m grader grade ASSIGNMENT [--course DIR] [--submissions DIR] [--output DIR]
                           [--no-feedback] [--memory 2G] [--processes 64] [--workers 2]
                           [--unsafe-no-sandbox]
    python -m grader feedback ASSIGNMENT [--course DIR] [--output DIR]

The course directory (``--course``, default: the current directory) is a checkout of the
course repository: its ``nbgrader_config.py`` and ``solutions/``.  ``assignments`` regenerates
the student versions from ``solutions/`` with nbgrader's generate_assignment (into the course's
``assignments/`` unless told otherwise).  ``grade`` runs autograde, generate_feedback and export
over a folder of submissions (default: the course's ``submitted/``), prints a per-student
summary and writes ``grades/grades.csv`` and ``grades/summary-<ASSIGNMENT>.json`` in the
course directory (or in ``--output``, with the gradebook and nbgrader's folders); ``grades/``
is git-ignored, so grades are never committed by accident.  ``feedback`` regenerates the
feedback and ``grades.csv`` after manual grading (nbgrader keeps stale feedback otherwise).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from .batch import (
    RESULTS_DIR,
    NoSubmissions,
    _api,
    export_grades,
    format_summary,
    grade_batch,
    load_course,
    regenerate_feedback,
    results_to_json,
)
from .sandbox import SandboxUnavailable


def _assignments(args) -> int:
    source = args.course / "solutions"
    ids = args.assignment or sorted(p.name for p in source.iterdir()
                                    if p.is_dir() and list(p.glob("*.ipynb")))
    release = Path(args.release_dir or args.course / "assignments").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        for aid in ids:
            course = load_course(args.course, aid, course_root=Path(tmp))
            api = _api(course)
            api.coursedir.release_directory = str(release)
            target = release / aid
            if target.exists():
                shutil.rmtree(target)
            res = api.generate_assignment(aid, force=True, create=True)
            if not res.get("success"):
                print(res.get("log", ""), file=sys.stderr)
                print(f"generate_assignment failed for {aid}: {res.get('error')}", file=sys.stderr)
                return 1
            print(f"{aid} -> {target.relative_to(release.parent)}")
    return 0


def _size(text: str) -> int:
    """'2G', '512M', '1.5g' or a number of bytes."""
    t = text.strip().upper().removesuffix("B")
    scale = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(t[-1:], 1)
    try:
        value = float(t[:-1] if scale > 1 else t) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 2G or 512M; got {text!r}") \
            from None
    if value < 64 * 1024 ** 2:
        raise argparse.ArgumentTypeError(f"a kernel needs at least 64M; got {text!r}")
    return int(value)


def _grade(args) -> int:
    course = load_course(args.course, args.assignment, course_root=args.output)
    course.sandbox = not args.unsafe_no_sandbox
    course.limits = replace(course.limits, **{k: v for k, v in (
        ("memory_bytes", args.memory), ("processes", args.processes)) if v is not None})
    submissions = Path(args.submissions).resolve() if args.submissions else None
    out = course.root / RESULTS_DIR
    try:
        results = grade_batch(course, args.assignment, submissions,
                              feedback=not args.no_feedback, export_to=out / "grades.csv",
                              workers=args.workers)
    except (SandboxUnavailable, NoSubmissions) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print()
    print(format_summary(args.assignment, results))
    summary = out / f"summary-{args.assignment}.json"
    summary.write_text(results_to_json(results))
    print(f"\nFeedback: {course.root / 'feedback'}\nGrades:   {out / 'grades.csv'}\n"
          f"Summary:  {summary}")
    return 0


def _feedback(args) -> int:
    """After manual grading: regenerate every student's feedback and grades.csv."""
    course = load_course(args.course, args.assignment, course_root=args.output)
    students = regenerate_feedback(course, args.assignment)
    export_grades(course, course.root / RESULTS_DIR / "grades.csv")
    print(f"Feedback regenerated for {len(students)} student(s) of {args.assignment}: "
          f"{course.root / 'feedback'}\nGrades:   {course.root / RESULTS_DIR / 'grades.csv'}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader",
                                     description=__doc__.split("\n\n")[0])
    course = argparse.ArgumentParser(add_help=False)
    course.add_argument("--course", type=Path, default=Path.cwd(),
                        help="course directory, with nbgrader_config.py and solutions/ "
                             "(default: the current directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assignments", parents=[course],
                       help="regenerate assignments/ from solutions/")
    p.add_argument("assignment", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--release-dir", help="write here instead of the course's assignments/")
    p.set_defaults(func=_assignments)
    g = sub.add_parser("grade", parents=[course],
                       help="autograde, feedback and export for one assignment")
    g.add_argument("assignment")
    g.add_argument("--submissions", help="folder with one sub-folder per student "
                                         "(default: the course's submitted/)")
    g.add_argument("--output", type=Path, help="gradebook, nbgrader's folders and results here "
                                               "(default: the course directory)")
    g.add_argument("--no-feedback", action="store_true", help="skip generate_feedback")
    g.add_argument("--memory", type=_size, help="memory limit of one submission's kernel, "
                                                "e.g. 2G (default: grader/limits.py)")
    g.add_argument("--processes", type=int, help="process limit of one submission's kernel "
                                                 "(default: grader/limits.py)")
    g.add_argument("--workers", type=int, default=1,
                   help="submissions graded at once (at most one per core; default 1)")
    g.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="run student code WITHOUT the bubblewrap sandbox, as you, with your "
                        "files and network (only for trusted submissions)")
    g.set_defaults(func=_grade)
    f = sub.add_parser("feedback", parents=[course],
                       help="after manual grading: regenerate feedback and grades.csv")
    f.add_argument("assignment")
    f.add_argument("--output", type=Path, help="where grade put the gradebook and nbgrader's "
                                               "folders (default: the course directory)")
    f.set_defaults(func=_feedback)
    args = parser.parse_args(argv)
    args.course = args.course.resolve()
    if not (args.course / "nbgrader_config.py").is_file():
        parser.error(f"{args.course} is not a course directory (no nbgrader_config.py): run "
                     f"from the course repository's root or pass --course DIR")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
