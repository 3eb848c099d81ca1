"""The bookkeeping behind every conv gradient (lecture 12): which input meets which weight.

Shape legend: one channel; input (H, W), kernel (KH, KW), output (H_out, W_out); indices are flat
and row-major, from 0 (the slides number a_1..a_25, w_1..w_9 and z_1..z_4 from 1).

``conv_terms`` lists every product ``w[k] * x[i]`` inside every output ``z[j]`` of a
cross-correlation without padding; ``conv_equations`` writes the slides' equations (forward,
weight gradient, input gradient) from that list, as plain text or LaTeX.
"""

from __future__ import annotations

from typing import NamedTuple

from .._checks import check_choice
from .sizes import output_size, pair

__all__ = ["Term", "conv_terms", "conv_equations"]


class Term(NamedTuple):
    """One product ``w[k] * x[i]`` inside output ``z[j]``; flat row-major indices from 0."""

    out: int
    k: int
    inp: int


def conv_terms(input_shape, kernel_shape, stride=1) -> list[Term]:
    """Every product of ``z[j] = sum_k w[k] x[i(j, k)]`` (cross-correlation, no padding):
    ``i = (r s + a) W + (c s + b)`` for output (r, c), kernel cell (a, b).

    input_shape (H, W), kernel_shape (KH, KW), stride an int or (sh, sw).  Returns the list of
    ``Term(out, k, inp)`` with flat row-major indices from 0 (add 1 for the slides' a_1..a_25).
    ``dL/dw_k`` sums ``x[inp] g[out]`` over the terms with that k, ``dL/dx_i`` sums
    ``w[k] g[out]`` over those with that inp (none: the cell gets 0).
    """
    h, w = pair(input_shape, "input_shape", minimum=1)
    kh, kw = pair(kernel_shape, "kernel_shape", minimum=1)
    sh, sw = pair(stride, "stride", minimum=1)
    ho, wo = output_size(h, kh, sh), output_size(w, kw, sw)
    return [Term(r * wo + c, a * kw + b, (r * sh + a) * w + c * sw + b)
            for r in range(ho) for c in range(wo) for a in range(kh) for b in range(kw)]


def conv_equations(kind: str = "weight", input_shape=(5, 5), kernel_shape=(3, 3), stride=2,
                   latex: bool = False) -> list[str]:
    """The equations of one conv layer in the slides' names a_i, w_k, z_j, g_j = dL/dz_j
    (numbered from 1): ``kind`` "forward" (z_j = sum w_k a_i), "weight"
    (dL/dw_k = sum a_i g_j) or "input" (dL/da_i = sum w_k g_j, "0" for an uncovered cell).

    Shapes as in ``conv_terms``; one string per equation, plain text or LaTeX.
    """
    check_choice(kind, "kind", ("forward", "weight", "input"))
    terms = conv_terms(input_shape, kernel_shape, stride)
    h, w = pair(input_shape, "input_shape", minimum=1)
    kh, kw = pair(kernel_shape, "kernel_shape", minimum=1)

    def sym(letter, n):
        return f"{letter}_{{{n + 1}}}" if latex else f"{letter}{n + 1}"

    def grad(letter, n):
        return (rf"\frac{{\partial L}}{{\partial {letter}_{{{n + 1}}}}}" if latex
                else f"dL/d{letter}{n + 1}")

    times = r"\," if latex else " "
    if kind == "forward":
        keys, lhs = range(terms[-1].out + 1), lambda n: sym("z", n)
        pick, rhs = (lambda t: t.out), (lambda t: sym("w", t.k) + times + sym("a", t.inp))
    elif kind == "weight":
        keys, lhs = range(kh * kw), lambda n: grad("w", n)
        pick, rhs = (lambda t: t.k), (lambda t: sym("a", t.inp) + times + sym("g", t.out))
    else:
        keys, lhs = range(h * w), lambda n: grad("a", n)
        pick, rhs = (lambda t: t.inp), (lambda t: sym("w", t.k) + times + sym("g", t.out))
    eq = " &= " if latex else " = "
    return [lhs(n) + eq + (" + ".join(rhs(t) for t in terms if pick(t) == n) or "0")
            for n in keys]
