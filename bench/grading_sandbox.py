"""Autograding speed with and without the bubblewrap sandbox.  Not a test.

Grades N copies of an assignment's solution notebook (honest students) through the real
batch grader (``grader.batch.grade_batch``: nbgrader autograde, one worker), once with each
kernel in its own sandbox and once with ``--unsafe-no-sandbox``, and prints seconds per
submission, submissions per minute and the sandbox's overhead.  Feedback generation is left
out (it does not run student code).

    python bench/grading_sandbox.py                       # a01 and a04, 8 students each
    python bench/grading_sandbox.py --students 20 a04_cnn
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(aid: str, students: int, sandbox: bool) -> dict:
    import nbformat

    from grader.batch import grade_batch, load_course

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        nb = nbformat.read(ROOT / "solutions" / aid / f"{aid}.ipynb", as_version=4)
        for i in range(students):
            folder = tmp / "subs" / f"s{i:03d}" / aid
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{aid}.ipynb")
        course = load_course(ROOT, aid, course_root=tmp / "course")
        course.sandbox = sandbox
        t0 = time.perf_counter()
        results = grade_batch(course, aid, tmp / "subs", feedback=False, log=lambda *_: None)
        wall = time.perf_counter() - t0
    per = [r.seconds for r in results if r.seconds is not None]
    bad = [r.student for r in results if r.status != "graded"]
    return {"assignment": aid, "sandbox": sandbox, "students": students,
            "wall_seconds": round(wall, 1), "autograde_mean": round(sum(per) / len(per), 2),
            "autograde_max": round(max(per), 2), "per_minute": round(60 * students / wall, 1),
            "not_graded": bad}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=["a01_neurons_perceptron", "a04_cnn"])
    parser.add_argument("--students", type=int, default=8)
    args = parser.parse_args(argv)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    rows = []
    for aid in args.assignments:
        for sandbox in (False, True):
            row = run(aid, args.students, sandbox)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(f"{'assignment':<32} {'sandbox':>7} {'s/submission':>12} {'per minute':>10} "
          f"{'overhead':>8}")
    for aid in args.assignments:
        plain, boxed = (next(r for r in rows if r["assignment"] == aid and r["sandbox"] is s)
                        for s in (False, True))
        for r in (plain, boxed):
            over = (f"{100 * (r['wall_seconds'] / plain['wall_seconds'] - 1):+.0f}%"
                    if r is boxed else "")
            print(f"{aid:<32} {'yes' if r['sandbox'] else 'no':>7} "
                  f"{r['wall_seconds'] / r['students']:>12.2f} {r['per_minute']:>10.1f} "
                  f"{over:>8}")
    out = ROOT / "bench" / "results" / "grading-sandbox.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
