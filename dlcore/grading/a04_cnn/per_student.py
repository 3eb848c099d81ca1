"""The per-student numbers of A4: layer settings drawn from the student id.

Exercises 1 (``MY_OUTPUT_SIZES``), 4 and 5 draw their layer settings from the student id
(``my_numbers(student_id)`` prints and returns them; ``variant_rng``).  Under autograde the id
is the submission's folder name, whatever the notebook declares; ``graded_id(STUDENT_ID)``
returns that id (or STUDENT_ID outside autograde), so code that computes the answers from the
numbers reads the same ones as the grader.
"""

from __future__ import annotations

import numpy as np

from .._core import GradingError, grading_student, variant_rng

AID = "a04_cnn"


def _sid(student_id) -> str:
    return "" if student_id is None or student_id is Ellipsis else str(student_id).strip()


def _numbers(student_id) -> dict:
    """The layer settings of one student (the same every time for the same id)."""
    sid = _sid(student_id)
    rng = variant_rng(sid, AID, "sizes")
    # q1 stride 1; q2 a stride that does not tile (the floor matters); q3 dilated
    q1 = (int(rng.integers(20, 65)), int(rng.choice([3, 5, 7])), int(rng.integers(0, 4)), 1, 1)
    s2, k2, p2 = int(rng.choice([2, 3])), int(rng.choice([3, 4, 5, 7])), int(rng.integers(0, 3))
    n2 = int(rng.integers(24, 100))
    while (n2 + 2 * p2 - k2) % s2 == 0:
        n2 += 1
    q3 = (int(rng.integers(30, 100)), int(rng.choice([3, 5])), int(rng.integers(0, 3)),
          int(rng.choice([1, 2])), int(rng.choice([2, 3])))
    rng = variant_rng(sid, AID, "net")
    k1 = int(rng.choice([3, 5]))
    net = {"input": (3, *(2 * [int(rng.choice([28, 30, 32, 36, 40]))])),
           "conv1": (int(rng.choice([6, 8, 10, 12, 16])), k1, int(rng.integers(0, k1 // 2 + 1))),
           "conv2": (int(rng.choice([12, 16, 20, 24, 32])), int(rng.choice([3, 5]))),
           "fc1": int(rng.choice([64, 84, 100, 120, 128, 200, 256])),
           "classes": int(rng.choice([5, 10, 20, 26, 100]))}
    rng = variant_rng(sid, AID, "shrink")
    a = int(rng.choice([5, 7, 9, 11]))
    c_in = int(rng.choice([16, 32, 48, 64, 96, 128]))
    c_out = int(rng.choice([32, 64, 96, 128, 192, 256]))
    shrink = (c_in, c_out, a, int(rng.choice(np.arange(3, a, 2))))
    return {"sizes": [q1, (n2, k2, p2, s2, 1), q3], "net": net, "shrink": shrink}


def _describe_numbers(sid: str, nums: dict) -> str:
    lines = [f"Numbers for STUDENT_ID {sid!r}", "",
             "Exercise 1: output sizes along one axis (n input, k kernel, pad, stride, dilation)"]
    for i, (n, k, p, s, d) in enumerate(nums["sizes"], 1):
        lines.append(f"  setting {i}: n={n}, k={k}, pad={p}, stride={s}, dilation={d}")
    net = nums["net"]
    c0, h, w = net["input"]
    (f1, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    lines += ["", f"Exercise 4: a network for {c0} x {h} x {w} images (C x H x W)",
              f"  conv1: {f1} filters {k1}x{k1}, stride 1, pad {p1}, then ReLU",
              "  pool1: max pooling 2x2, stride 2",
              f"  conv2: {f2} filters {k2}x{k2}, stride 1, pad 0, then ReLU",
              "  pool2: max pooling 2x2, stride 2",
              "  flatten",
              f"  fc1:   {net['fc1']} units, then ReLU",
              f"  fc2:   one output per class, {net['classes']} classes"]
    c, f, a, b = nums["shrink"]
    lines += ["", f"Exercise 5: a conv layer with {c} input channels and {f} filters; the "
                  f"kernel shrinks from {a}x{a} to {b}x{b}"]
    return "\n".join(lines)


def my_numbers(student_id, show: bool = True):
    """Print and return the student's own settings for exercises 1, 4 and 5.

    Returns ``{"sizes": [(n, k, pad, stride, dilation)] * 3, "net": {"input": (C, H, W),
    "conv1": (filters, k, pad), "conv2": (filters, k), "fc1": units, "classes": K},
    "shrink": (c_in, c_out, k_old, k_new)}``, or None (with a message) when the id is empty.
    """
    sid = _sid(student_id)
    if not sid:
        if show:
            print("STUDENT_ID is empty: set it (your id as on the course roster) in the cell "
                  "above, then run this cell again.")
        return None
    nums = _numbers(sid)
    if show:
        print(_describe_numbers(sid, nums))
    return nums


def graded_id(declared) -> str:
    """The id whose numbers the grader uses: the submission's folder under autograde, else
    ``declared`` (the notebook's STUDENT_ID)."""
    folder = grading_student(AID)
    return folder if folder is not None else _sid(declared)


def _exact(value, expected) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(v)) and abs(v - float(expected)) < 1e-9


def _copied_hint(ns, ctx, what: str, answer_for) -> None:
    """Raise when the answer is right for the declared STUDENT_ID but graded for another id."""
    declared = _sid(ns.get("STUDENT_ID"))
    if ctx.grading and declared and declared != ctx.student_id and answer_for(declared):
        raise GradingError(f"{what}: these are the answers for the numbers of STUDENT_ID "
                           f"{declared!r}, but this submission belongs to {ctx.student_id!r}, "
                           f"and it is graded with the numbers of {ctx.student_id!r}")
