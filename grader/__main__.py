"""Course commands behind ``make assignments`` and ``make grade``.

    python -m grader assignments [--course DIR] [--release-dir DIR] [ASSIGNMENT ...]
    python -m grader grade ASSIGNMENT [--course DIR] [--submissions DIR] [--output DIR]
                           [--no-feedback]

The course directory (``--course``, default: the current directory) is a checkout of the
course repository: its ``nbgrader_config.py`` and ``solutions/``.  ``assignments`` regenerates
the student versions from ``solutions/`` with nbgrader's generate_assignment (into the course's
``assignments/`` unless told otherwise).  ``grade`` runs autograde, generate_feedback and export
over a folder of submissions (default: the course's ``submitted/``), prints a per-student
summary and writes ``grades.csv`` and ``grading-summary-<ASSIGNMENT>.json`` in the course
directory (or in ``--output``, with the gradebook and nbgrader's folders).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .batch import _api, format_summary, grade_batch, load_course, results_to_json


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


def _grade(args) -> int:
    course = load_course(args.course, args.assignment, course_root=args.output)
    submissions = Path(args.submissions).resolve() if args.submissions else None
    results = grade_batch(course, args.assignment, submissions, feedback=not args.no_feedback,
                          export_to=course.root / "grades.csv")
    print()
    print(format_summary(args.assignment, results))
    summary = course.root / f"grading-summary-{args.assignment}.json"
    summary.write_text(results_to_json(results))
    print(f"\nFeedback: {course.root / 'feedback'}\nGrades:   {course.root / 'grades.csv'}\n"
          f"Summary:  {summary}")
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
    g.set_defaults(func=_grade)
    args = parser.parse_args(argv)
    args.course = args.course.resolve()
    if not (args.course / "nbgrader_config.py").is_file():
        parser.error(f"{args.course} is not a course directory (no nbgrader_config.py): run "
                     f"from the course repository's root or pass --course DIR")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
