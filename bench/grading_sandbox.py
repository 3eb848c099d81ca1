"""Autograding speed: sandbox and trusted scoring against grading in the student's kernel.
Not a test.

Grades N copies of an assignment's solution notebook (honest students) through the real
batch grader (``grader.batch.grade_batch``: nbgrader autograde, one worker) three ways:
"kernel" (test cells run in the student's kernel, no sandbox: how grading worked before),
"trusted" (test cells graded by the grader, no sandbox: ``--unsafe-no-sandbox``) and
"sandbox+trusted" (the default), and prints seconds per submission, submissions per minute
and the overhead against "kernel".  Feedback generation is left out (it runs no student
code).

    python bench/grading_sandbox.py                       # a01 and a04, 8 students each
    python bench/grading_sandbox.py --students 40 --workers 2 a04_cnn
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


MODES = {"kernel": (False, True), "trusted": (False, False), "sandbox+trusted": (True, False)}


def run(aid: str, students: int, mode: str, workers: int = 1) -> dict:
    from grader.trusted import UNTRUSTED_ENV

    sandbox, in_kernel = MODES[mode]
    os.environ[UNTRUSTED_ENV] = "1" if in_kernel else "0"
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
        results = grade_batch(course, aid, tmp / "subs", feedback=False, log=lambda *_: None,
                              workers=workers)
        wall = time.perf_counter() - t0
    per = [r.seconds for r in results if r.seconds is not None]
    bad = [r.student for r in results if r.status != "graded"]
    return {"assignment": aid, "mode": mode, "students": students, "workers": workers,
            "wall_seconds": round(wall, 1), "autograde_mean": round(sum(per) / len(per), 2),
            "autograde_max": round(max(per), 2), "per_minute": round(60 * students / wall, 1),
            "not_graded": bad}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=["a01_neurons_perceptron", "a04_cnn"])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--modes", nargs="*", default=list(MODES), choices=list(MODES),
                        help="the one-worker modes to time (none: only --workers)")
    parser.add_argument("--workers", type=int, default=0,
                        help="also time the default mode with this many workers (e.g. 2)")
    args = parser.parse_args(argv)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    rows = []
    for aid in args.assignments:
        for mode in args.modes:
            row = run(aid, args.students, mode)
            rows.append(row)
            print(json.dumps(row), flush=True)
    for aid in args.assignments if args.workers > 1 else []:
        row = run(aid, args.students, "sandbox+trusted", args.workers)
        row["mode"] = f"sandbox+trusted x{args.workers}"
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(f"{'assignment':<24} {'mode':>20} {'autograde s':>11} {'wall s/sub':>10} "
          f"{'per minute':>10} {'overhead':>8}")
    for aid in args.assignments:
        base = next((r for r in rows if r["assignment"] == aid and r["mode"] == "kernel"),
                    next(r for r in rows if r["assignment"] == aid))
        for r in (r for r in rows if r["assignment"] == aid):
            over = f"{100 * (r['autograde_mean'] / base['autograde_mean'] - 1):+.0f}%"
            print(f"{aid:<24} {r['mode']:>20} {r['autograde_mean']:>11.2f} "
                  f"{r['wall_seconds'] / r['students']:>10.2f} {r['per_minute']:>10.1f} "
                  f"{over:>8}")
    out = ROOT / "bench" / "results" / "grading-sandbox.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
