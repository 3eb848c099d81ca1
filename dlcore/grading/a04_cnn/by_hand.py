"""Exercise 8 of A4: the gradients of a strided convolution, worked out by hand.

The layer: a 7 x 7 input a_1..a_49 and a 3 x 3 kernel w_1..w_9, both numbered row by row from
1, stride 2, no padding, so the output is 3 x 3, z_1..z_9 (row by row), with g_j = dL/dz_j.
Lecture 12 writes out the 5 x 5 case; this size is not printed there.  Names the notebook
defines:

- ``CELLS_W6``: the cells i_1..i_9 with dL/dw6 = sum_j a_{i_j} g_j, in the order of g_1..g_9;
- ``TERMS_A31``: the pairs (k, j) of the terms w_k g_j of dL/da31, in any order.

The expected answers are computed from the windows here (the tests check them against
``dlcore.conv.conv_equations``); a wrong answer is compared with the answers that catalogued
slips give (stride 1, numbering from 0, the kernel not reversed...).
"""

from __future__ import annotations

import numbers

from .._core import Exercise, GradingError, lookup, record_secret

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order

SIZE, KERNEL, STRIDE = 7, 3, 2
WEIGHT, CELL = 6, 31
_OUT = (SIZE - KERNEL) // STRIDE + 1  # 3


def _starts(step: int = STRIDE):
    """(j, top row, left column) of every window, j from 1, rows and columns from 0."""
    for r in range(_OUT):
        for c in range(_OUT):
            yield r * _OUT + c + 1, r * step, c * step


def _cell_number(row: int, col: int, width: int = SIZE) -> int:
    return row * width + col + 1


def weight_cells(k: int = WEIGHT, step: int = STRIDE, kernel_by_column: bool = False,
                 input_by_column: bool = False, width: int = SIZE) -> list[int]:
    """The input cell that w_k multiplies in each window, in the order of g_1..g_9."""
    u, v = divmod(k - 1, KERNEL)
    if kernel_by_column:
        u, v = v, u
    cells = []
    for _, top, left in _starts(step):
        row, col = top + u, left + v
        cells.append(_cell_number(col, row, SIZE) if input_by_column
                     else _cell_number(row, col, width))
    return cells


def input_terms(cell: int = CELL, step: int = STRIDE, reversed_kernel: bool = True) -> set:
    """The pairs (k, j) of the terms w_k g_j of dL/da_cell."""
    row, col = divmod(cell - 1, SIZE)
    terms = set()
    for j, top, left in _starts(step):
        u, v = row - top, col - left
        if 0 <= u < KERNEL and 0 <= v < KERNEL:
            if not reversed_kernel:  # the weight at the mirrored position of the window
                u, v = KERNEL - 1 - u, KERNEL - 1 - v
            terms.add((u * KERNEL + v + 1, j))
    return terms


def _whole(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return int(value) if float(value).is_integer() else None


def _cells_answer(ns) -> list[int]:
    answer = lookup(ns, "CELLS_W6", "value")
    try:
        cells = [_whole(v) for v in answer] if not isinstance(answer, (str, bytes, dict)) \
            else None
    except TypeError:
        cells = None
    if cells is None or len(cells) != _OUT * _OUT or None in cells:
        raise GradingError("CELLS_W6 must be a list of nine whole numbers, the input cells in "
                           "the order of g_1, ..., g_9")
    return cells


CELLS_WRONG = [
    (weight_cells(step=1), "these are the cells for stride 1: at stride 2 each window starts 2 "
                           "cells to the right of (or below) the previous one, so w6 meets every "
                           "second cell"),
    ([c - 1 for c in weight_cells()], "the cells are numbered from 1, row by row (a_1 is the "
                                      "top-left cell, a_8 the first cell of the second row), "
                                      "not from 0"),
    (weight_cells(kernel_by_column=True), "the kernel is numbered row by row too: w6 is the "
                                          "last weight of the kernel's middle row"),
    (weight_cells(input_by_column=True), "the input is numbered row by row: a_8 is the first "
                                         "cell of the second row"),
    (weight_cells(width=5), "the input is 7 cells wide: the cell in row r, column c (from 1) "
                            "is a_(7 (r - 1) + c), not the numbering of lecture 12's 5 x 5 "
                            "input"),
]


def _cells(ns, ctx, hidden):
    cells = _cells_answer(ns)
    want = weight_cells()
    record_secret(want)
    if cells == want:
        return
    if sorted(cells) == sorted(want):
        raise GradingError("CELLS_W6 has the right cells in the wrong order: list them in the "
                           "order of g_1, ..., g_9 (the outputs numbered row by row)")
    for value, hint in CELLS_WRONG:
        if cells == value:
            raise GradingError(f"CELLS_W6: {hint}")
    raise GradingError("CELLS_W6 is not right: w6 sits in row 2, column 3 of the kernel, so in "
                       "each window it multiplies the input cell at that position of the "
                       "window; draw the nine windows on the 7 x 7 grid")


def _terms_answer(ns) -> set:
    answer = lookup(ns, "TERMS_A31", "value")
    message = ("TERMS_A31 must be a list of pairs (k, j) of whole numbers, one pair per term "
               "w_k g_j")
    if isinstance(answer, (str, bytes, dict)):
        raise GradingError(message)
    try:
        pairs = [tuple(_whole(v) for v in pair) for pair in answer]
    except TypeError:
        raise GradingError(message) from None
    if not pairs or any(len(p) != 2 or None in p for p in pairs):
        raise GradingError(message)
    if len(set(pairs)) != len(pairs):
        raise GradingError("TERMS_A31 lists a term twice: each window that contains a_31 "
                           "contributes one term")
    return set(pairs)


TERMS_WRONG = [
    (input_terms(reversed_kernel=False),
     "each g_j must be paired with the weight that sits on a_31 in window j. Seen from the "
     "input the kernel runs backwards: in the window that starts above and to the left of "
     "a_31, the cell is near the window's bottom-right corner (lecture 12, section 3)"),
    (input_terms(cell=CELL + 1), "these are the terms of the cell to the right of a_31: cells "
                                 "are numbered from 1, row by row"),
    (input_terms(step=1), "these are the windows at stride 1: at stride 2 window j starts 2 "
                          "cells further than window j - 1"),
    ({(j, k) for k, j in input_terms()}, "the pairs are (k, j): first the weight's number, "
                                         "then the output's"),
]


def _terms(ns, ctx, hidden):
    terms = _terms_answer(ns)
    want = input_terms()
    record_secret(sorted(want))
    if terms == want:
        return
    for value, hint in TERMS_WRONG:
        if terms == value:
            raise GradingError(f"TERMS_A31: {hint}")
    if terms < want:
        raise GradingError("TERMS_A31: terms are missing: a_31 lies in more than one window, "
                           "and each of them contributes a term")
    if terms > want:
        raise GradingError("TERMS_A31: some of these windows do not contain a_31")
    raise GradingError("TERMS_A31 is not right: find every window that contains a_31, and in "
                       "each one the weight that sits on a_31")


EXERCISES["by_hand"] = Exercise(
    "Gradients by hand at stride 2", {"weight": _cells, "input": _terms})
