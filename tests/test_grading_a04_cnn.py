"""The A4 grading module without nbgrader: a correct namespace passes every part, each
catalogued mistake gets its hint, delegation scores 0, hints never show expected values, and
the per-student numbers follow the submission's id.  One slow test grades the solution and a
copied notebook through real nbgrader and checks the STUDENT_ID MISMATCH report."""

from __future__ import annotations

import re

import numpy as np
import pytest

import dlcore as dl
from dlcore.grading import GradingError, IntegrityError
from dlcore.grading import a04_cnn as a04
from dlcore.grading.a04_cnn.backward import backward_cases, uncovered_cells
from dlcore.grading.a04_cnn.param_counts import net_summary
from dlcore.grading.a04_cnn.pooling import pool_cases
from tests.grading_harness import leaked_secrets

pytestmark = [pytest.mark.lec10, pytest.mark.lec11, pytest.mark.lec12]

AID = "a04_cnn"


# -- a correct student, written independently of dlcore ------------------------------------------
def output_size(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (k - 1) - 1) // stride + 1


def conv2d_forward(x, w, b, stride=1, pad=0):
    n, _, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, f, (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            win = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.einsum("ncab,fcab->nf", win, w) + b
    return out, (x, w, b, stride, pad)


def conv2d_backward(dout, cache, dilate_g=True, flip_g=False):
    x, w, b, stride, pad = cache
    _, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
    ho, wo = dout.shape[2:]
    step = stride if dilate_g else 1
    for i in range(ho):
        for j in range(wo):
            rows, cols = slice(i * step, i * step + kh), slice(j * step, j * step + kw)
            g = dout[:, :, ho - 1 - i, wo - 1 - j] if flip_g else dout[:, :, i, j]
            dw += np.einsum("nf,ncab->fcab", g, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nf,fcab->ncab", dout[:, :, i, j], w)
    return dxp[:, :, pad:pad + h, pad:pad + wd], dw, dout.sum(axis=(0, 2, 3))


def _windows(x, size, stride):
    h, w = x.shape[2:]
    for i in range((h - size) // stride + 1):
        for j in range((w - size) // stride + 1):
            yield i, j, slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)


def _pool_out(x, size, stride):
    h, w = x.shape[2:]
    return np.zeros((*x.shape[:2], (h - size) // stride + 1, (w - size) // stride + 1))


def max_pool_forward(x, size, stride):
    out = _pool_out(x, size, stride)
    for i, j, r, q in _windows(x, size, stride):
        out[:, :, i, j] = x[:, :, r, q].max(axis=(2, 3))
    return out


def avg_pool_forward(x, size, stride):
    out = _pool_out(x, size, stride)
    for i, j, r, q in _windows(x, size, stride):
        out[:, :, i, j] = x[:, :, r, q].mean(axis=(2, 3))
    return out


def max_pool_backward(dout, x, size, stride):
    dx = np.zeros(x.shape)
    for i, j, r, q in _windows(x, size, stride):
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                a, b = divmod(int(np.argmax(x[n, c, r, q])), size)
                dx[n, c, r.start + a, q.start + b] += dout[n, c, i, j]
    return dx


def avg_pool_backward(dout, x, size, stride):
    dx = np.zeros(x.shape)
    for i, j, r, q in _windows(x, size, stride):
        dx[:, :, r, q] += dout[:, :, i, j][:, :, None, None] / size ** 2
    return dx


def conv_as_matrix(w, input_shape, stride=1, pad=0):
    f, c, kh, kw = w.shape
    _, h, wd = input_shape
    ho, wo = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    m = np.zeros((f, ho, wo, c, h + 2 * pad, wd + 2 * pad))
    for i in range(ho):
        for j in range(wo):
            m[:, i, j, :, i * stride:i * stride + kh, j * stride:j * stride + kw] = w
    m = m[..., pad:pad + h, pad:pad + wd]
    return m.reshape(f * ho * wo, c * h * wd)


def answers_for(sid: str) -> dict:
    """The variant answers of student ``sid``, computed from the printed settings by hand."""
    nums = a04.my_numbers(sid, show=False)
    net = nums["net"]
    c0, h, _ = net["input"]
    (f1, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    h2 = ((h + 2 * p1 - k1 + 1) // 2 - k2 + 1) // 2
    flat = f2 * h2 * h2
    c, f, a, b = nums["shrink"]
    return {
        "MY_OUTPUT_SIZES": [output_size(n, k, s, p, d) for n, k, p, s, d in nums["sizes"]],
        "FLATTEN": flat,
        "PARAMS": {"conv1": (k1 * k1 * c0 + 1) * f1, "pool1": 0, "conv2": (k2 * k2 * f1 + 1) * f2,
                   "pool2": 0, "fc1": (flat + 1) * net["fc1"],
                   "fc2": (net["fc1"] + 1) * net["classes"]},
        "PARAMS_SAVED": (a * a - b * b) * c * f,
    }


def reference_namespace(sid: str = "alice") -> dict:
    ns = {name: globals()[name] for name in (
        "output_size", "conv2d_forward", "conv2d_backward", "max_pool_forward",
        "avg_pool_forward", "max_pool_backward", "avg_pool_backward", "conv_as_matrix")}
    ns.update(answers_for(sid), STUDENT_ID=sid, CELLS_W6=[10, 12, 14, 24, 26, 28, 38, 40, 42],
              TERMS_A31=[(9, 4), (7, 5), (3, 7), (1, 8)])
    return ns


PARTS = [(ex, part) for ex, e in a04.ASSIGNMENT.exercises.items() for part in e.parts]


@pytest.mark.parametrize("exercise, part", PARTS)
@pytest.mark.parametrize("hidden", [False, True])
def test_reference_namespace_passes(exercise, part, hidden, capsys):
    a04.checker(reference_namespace())(exercise, part, hidden=hidden)
    assert "passed" in capsys.readouterr().out


def test_solution_numbers_hold_for_many_students():
    """Every student's settings fit, and each catalogued mistake changes the answer."""
    for i in range(300):
        sid = f"student{i:03d}"
        nums = a04.my_numbers(sid, show=False)
        (n1, k1, p1, s1, d1), (n2, k2, p2, s2, d2), (n3, k3, p3, s3, d3) = nums["sizes"]
        assert s1 == d1 == 1 and d2 == 1 and d3 > 1 and s2 > 1
        assert (n2 + 2 * p2 - k2) % s2 != 0  # the floor matters
        assert dl.conv.output_size(n3, k3, stride=s3, pad=p3, dilation=d3) != \
            (n3 + 2 * p3 - k3) // s3 + 1  # the dilation matters
        ans = answers_for(sid)
        assert ans["FLATTEN"] > 0 and ans["PARAMS_SAVED"] > 0
        s = net_summary(nums["net"])
        assert s.row("flatten").output_shape[0] == ans["FLATTEN"]
        assert {k: s.row(k).params for k in ans["PARAMS"]} == ans["PARAMS"]
        assert s.total_params == sum(ans["PARAMS"].values())


def test_numbers_are_per_student_and_stable(capsys):
    assert a04.my_numbers("alice", show=False) == a04.my_numbers(" alice ", show=False)
    assert a04.my_numbers("alice", show=False) != a04.my_numbers("bob", show=False)
    differ = sum(answers_for(f"s{i}")["PARAMS"] != answers_for(f"s{i + 1}")["PARAMS"]
                 for i in range(50))
    assert differ >= 48  # neighbours get different tables
    a04.my_numbers("alice")
    out = capsys.readouterr().out
    assert "STUDENT_ID 'alice'" in out and "conv1:" in out and "Exercise 5" in out
    assert a04.my_numbers("") is None
    assert "STUDENT_ID is empty" in capsys.readouterr().out


@pytest.mark.parametrize("case", backward_cases(False) + backward_cases(True)[:3])
def test_conv_references_pass_a_gradient_check(case):
    """The expected gradients (dlcore.conv) agree with central differences on the test cases."""
    x, w, b, s, p, dout = case
    def conv(x, w, b):
        return dl.conv.conv2d_forward(x, w, b, stride=s, pad=p)[0]

    dx, dw, db = dl.conv.conv2d_backward(dout, dl.conv.conv2d_forward(x, w, b, stride=s, pad=p)[1])
    num_dx = dl.gradcheck.numerical_vjp(lambda x_: conv(x_, w, b), x, dout)
    num_dw = dl.gradcheck.numerical_vjp(lambda w_: conv(x, w_, b), w, dout)
    num_db = dl.gradcheck.numerical_vjp(lambda b_: conv(x, w, b_), b, dout)
    assert dl.gradcheck.rel_error(dx, num_dx) < 1e-7
    assert dl.gradcheck.rel_error(dw, num_dw) < 1e-7
    assert dl.gradcheck.rel_error(db, num_db) < 1e-7


def test_cases_contain_ties_and_uncovered_cells():
    for x, size, stride, dout in pool_cases(False) + pool_cases(True):
        ties = _wrong_pool_backward(dout, x, size, stride)  # every tied maximum gets dout
        cache = dl.conv.max_pool2d_forward(x, size, stride)[1]
        assert not np.allclose(ties, dl.conv.max_pool2d_backward(dout, cache))
    for cases in (backward_cases(False), backward_cases(True)):
        assert {c[3] for c in cases} >= {1, 2}
        assert any(uncovered_cells(x, w, s, p).any() for x, w, _, s, p, _ in cases)


# -- catalogued mistakes -------------------------------------------------------------------------
def _wrong_pool_backward(dout, x, size, stride):
    dx = np.zeros(x.shape)
    for i, j, r, q in _windows(x, size, stride):
        win = x[:, :, r, q]
        dx[:, :, r, q] += (win == win.max(axis=(2, 3), keepdims=True)) * \
            dout[:, :, i, j][:, :, None, None]
    return dx


def _uncovered_edge(dout, cache):
    dx, dw, db = conv2d_backward(dout, cache)
    x, w, _, s, p = cache
    mask = uncovered_cells(x, w, s, p)
    dx = dx.copy()
    dx[mask] = 0.5
    return dx, dw, db


def _column_major(w, input_shape, stride=1, pad=0):
    m = conv_as_matrix(w, input_shape, stride, pad)
    c, h, wd = input_shape
    out = np.zeros_like(m)
    idx_f = np.arange(c * h * wd).reshape(input_shape, order="F").ravel()
    out[:, idx_f] = m
    return out


def _table(**changes):
    ans = answers_for("alice")
    params = dict(ans["PARAMS"], **{k: v for k, v in changes.items() if k != "FLATTEN"})
    out = {"PARAMS": params}
    if "FLATTEN" in changes:
        out["FLATTEN"] = changes["FLATTEN"]
    return out


_NUMS = a04.my_numbers("alice", show=False)
_NET = _NUMS["net"]
_C, _F, _A, _B = _NUMS["shrink"]
_K1, _F1 = _NET["conv1"][1], _NET["conv1"][0]

WRONG = {
    "no_floor": ("output_size", "function", {
        "output_size": lambda n, k, stride=1, pad=0, dilation=1:
            (n + 2 * pad - dilation * (k - 1) - 1) / stride + 1}, "no floor"),
    "no_plus_one": ("output_size", "function", {
        "output_size": lambda n, k, stride=1, pad=0, dilation=1:
            (n + 2 * pad - dilation * (k - 1) - 1) // stride}, "missing +1"),
    "no_dilation": ("output_size", "function", {
        "output_size": lambda n, k, stride=1, pad=0, dilation=1:
            (n + 2 * pad - k) // stride + 1}, "dilation ignored"),
    "my_sizes_no_floor": ("my_output_sizes", "values", {"MY_OUTPUT_SIZES": [
        (n + 2 * p - d * (k - 1) - 1) / s + 1 for n, k, p, s, d in _NUMS["sizes"]]}, "no floor"),
    "my_sizes_no_dilation": ("my_output_sizes", "values", {"MY_OUTPUT_SIZES": [
        (n + 2 * p - k) // s + 1 for n, k, p, s, d in _NUMS["sizes"]]}, "dilation ignored"),
    "true_convolution": ("conv_forward", "values", {
        "conv2d_forward": lambda x, w, b, stride=1, pad=0:
            conv2d_forward(x, w[..., ::-1, ::-1], b, stride, pad)}, "true convolution"),
    "no_bias": ("conv_forward", "values", {
        "conv2d_forward": lambda x, w, b, stride=1, pad=0:
            conv2d_forward(x, w, 0 * b, stride, pad)}, "bias is missing"),
    "no_padding": ("conv_forward", "shape", {
        "conv2d_forward": lambda x, w, b, stride=1, pad=0:
            conv2d_forward(x, w, b, stride, 0)}, "padding is ignored"),
    "avg_sum": ("pooling", "forward", {
        "avg_pool_forward": lambda x, size, stride:
            avg_pool_forward(x, size, stride) * size * size}, "by the number of cells"),
    "avg_backward_sum": ("pooling", "backward", {
        "avg_pool_backward": lambda d, x, size, stride:
            avg_pool_backward(d, x, size, stride) * size * size}, "dout / size^2"),
    "all_ties": ("pooling", "backward", {"max_pool_backward": _wrong_pool_backward},
                 "not to every tied cell"),
    "conv_no_bias": ("param_table", "conv", _table(conv1=_K1 * _K1 * 3 * _F1),
                     "short by C_out"),
    "conv_no_depth": ("param_table", "conv", _table(conv1=(_K1 * _K1 + 1) * _F1),
                      "456 parameters, not 156"),
    "pool_counted": ("param_table", "pool_flatten", _table(pool2=4), "no parameters"),
    "flatten_no_channels": ("param_table", "pool_flatten", _table(
        FLATTEN=answers_for("alice")["FLATTEN"] // _NET["conv2"][0]), "number of channels"),
    "fc2_1024": ("param_table", "fc", _table(fc2=(_NET["fc1"] + 1) * 1024), "not 1024"),
    "fc1_wrong_flatten": ("param_table", "fc", _table(fc1=(answers_for("alice")["FLATTEN"] + 7)
                                                      * _NET["fc1"]), "input size of fc1"),
    "shrink_squared": ("kernel_shrink", "values", {"PARAMS_SAVED": (_A - _B) ** 2 * _C * _F},
                       "(a - b)^2 is not a^2 - b^2"),
    "shrink_no_depth": ("kernel_shrink", "values", {"PARAMS_SAVED": (_A ** 2 - _B ** 2) * _F},
                        "spans all C_in"),
    "dx_not_dilated": ("conv_backward", "dx", {
        "conv2d_backward": lambda d, c: conv2d_backward(d, c, dilate_g=False)},
        "G must be dilated first"),
    "dw_not_dilated": ("conv_backward", "dw", {
        "conv2d_backward": lambda d, c: conv2d_backward(d, c, dilate_g=False)},
        "G must be dilated first"),
    "dw_true_convolution": ("conv_backward", "dw", {
        "conv2d_backward": lambda d, c: conv2d_backward(d, c, flip_g=True)},
        "true convolution used for dW"),
    "uncovered": ("conv_backward", "dx", {"conv2d_backward": _uncovered_edge},
                  "no window covers"),
    "db_mean": ("conv_backward", "db", {
        "conv2d_backward": lambda d, c: (*conv2d_backward(d, c)[:2],
                                         d.mean(axis=(0, 2, 3)))}, "not the mean"),
    "db_wrong_axes": ("conv_backward", "db", {
        "conv2d_backward": lambda d, c: (*conv2d_backward(d, c)[:2], d.sum(axis=0))},
        "one entry per filter"),
    "column_major": ("conv_matrix", "values", {"conv_as_matrix": _column_major},
                     "column-major"),
    "matrix_transposed": ("conv_matrix", "shape", {
        "conv_as_matrix": lambda w, s, stride=1, pad=0: conv_as_matrix(w, s, stride, pad).T},
        "transposed"),
    "cells_stride_1": ("by_hand", "weight", {"CELLS_W6": [10, 11, 12, 17, 18, 19, 24, 25, 26]},
                       "cells for stride 1"),
    "cells_from_0": ("by_hand", "weight", {"CELLS_W6": [9, 11, 13, 23, 25, 27, 37, 39, 41]},
                     "not from 0"),
    "cells_order": ("by_hand", "weight", {"CELLS_W6": [10, 24, 38, 12, 26, 40, 14, 28, 42]},
                    "wrong order"),
    "cells_format": ("by_hand", "weight", {"CELLS_W6": "a10 a12"}, "nine whole numbers"),
    "terms_not_reversed": ("by_hand", "input", {"TERMS_A31": [(1, 4), (3, 5), (7, 7), (9, 8)]},
                           "the kernel runs backwards"),
    "terms_missing": ("by_hand", "input", {"TERMS_A31": [(9, 4), (7, 5)]}, "terms are missing"),
    "terms_swapped_pairs": ("by_hand", "input", {"TERMS_A31": [(4, 9), (5, 7), (7, 3), (8, 1)]},
                            "first the weight's number"),
    "terms_format": ("by_hand", "input", {"TERMS_A31": [9, 4]}, "list of pairs (k, j)"),
}


_HIDDEN = ("output_size", "conv_forward", "pooling", "conv_backward", "conv_matrix")


@pytest.mark.parametrize("name, hidden", [(name, hidden) for name in sorted(WRONG)
                                          for hidden in (False, True)
                                          if not hidden or WRONG[name][0] in _HIDDEN])
def test_catalogued_mistake_gets_its_hint(name, hidden, tmp_path, monkeypatch):
    exercise, part, change, hint = WRONG[name]
    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    ns = dict(reference_namespace(), **change)
    with pytest.raises(GradingError, match=re.escape(hint)) as err:
        a04.checker(ns)(exercise, part, hidden=hidden)
    message = str(err.value)
    assert not leaked_secrets(message, secrets)
    assert not re.search(r"\d\.\d{4,}", message)  # no expected float printed
    if hidden:
        assert "hidden case" in message or "for x" not in message


def test_variant_hints_never_print_the_expected_answer():
    ans = answers_for("alice")
    cases = [("kernel_shrink", "values", {"PARAMS_SAVED": 12345}, ans["PARAMS_SAVED"]),
             ("param_table", "fc", _table(fc1=999), ans["PARAMS"]["fc1"]),
             ("param_table", "pool_flatten", _table(FLATTEN=3), ans["FLATTEN"])]
    for exercise, part, change, expected in cases:
        with pytest.raises(GradingError) as err:
            a04.checker(dict(reference_namespace(), **change))(exercise, part)
        assert str(expected) not in str(err.value)


@pytest.mark.parametrize("exercise, part, name, fn", [
    ("output_size", "function", "output_size",
     lambda n, k, stride=1, pad=0, dilation=1: dl.conv.output_size(n, k, stride, pad, dilation)),
    ("conv_forward", "values", "conv2d_forward",
     lambda x, w, b, stride=1, pad=0: (dl.conv.conv2d_forward(x, w, b, stride, pad)[0], None)),
    ("conv_forward", "values", "conv2d_forward",
     lambda x, w, b, stride=1, pad=0: (np.stack([np.stack([
         sum(dl.conv.correlate2d(xn[c], wf[c], stride, pad) for c in range(x.shape[1])) + bf
         for wf, bf in zip(w, b)]) for xn in x]), None)),
    ("pooling", "forward", "max_pool_forward",
     lambda x, size, stride: dl.conv.max_pool2d_forward(x, size, stride)[0]),
    ("pooling", "backward", "avg_pool_backward",
     lambda d, x, size, stride: dl.conv.avg_pool2d_backward(
         d, dl.conv.avg_pool2d_forward(x, size, stride)[1])),
    ("conv_backward", "dw", "conv2d_backward",
     lambda d, c: dl.conv.conv2d_backward(d, dl.conv.conv2d_forward(*c[:3], c[3], c[4])[1])),
    ("conv_backward", "dx", "conv2d_backward",
     lambda d, c: (dl.gradcheck.numerical_vjp(
         lambda x_: conv2d_forward(x_, *c[1:])[0], c[0], d), None, None)),
    ("conv_matrix", "values", "conv_as_matrix",
     lambda w, s, stride=1, pad=0: dl.conv.conv_as_matrix(w, s, stride=stride, pad=pad)),
])
def test_delegation_scores_zero(exercise, part, name, fn):
    ns = dict(reference_namespace(), **{name: fn})
    with pytest.raises(IntegrityError, match="supposed to replace"):
        a04.checker(ns)(exercise, part)


def test_missing_and_malformed_answers():
    ns = reference_namespace()
    ns["PARAMS"] = {"conv1": 1}
    with pytest.raises(GradingError, match="exactly the keys"):
        a04.checker(ns)("param_table", "conv")
    for bad in ([1, 2], "123", {"a": 1, "b": 2, "c": 3}, 7):
        ns = dict(reference_namespace(), MY_OUTPUT_SIZES=bad)
        with pytest.raises(GradingError, match="three numbers"):
            a04.checker(ns)("my_output_sizes", "values")
    ns = dict(reference_namespace(), conv2d_forward=lambda x, w, b, stride=1, pad=0: x)
    with pytest.raises(GradingError, match="pair"):
        a04.checker(ns)("conv_forward", "shape")
    ns = dict(reference_namespace(), conv2d_backward=lambda d, c: (1, 2))
    with pytest.raises(GradingError, match="triple"):
        a04.checker(ns)("conv_backward", "db")


# -- per-student ids under self-study and under autograde ----------------------------------------
@pytest.mark.parametrize("declared", ["", None, "   "])
def test_self_study_asks_for_the_student_id(declared):
    ns = dict(reference_namespace(), STUDENT_ID=declared)
    with pytest.raises(GradingError, match="set STUDENT_ID"):
        a04.checker(ns)("kernel_shrink", "values")
    a04.checker(ns)("output_size", "function")  # not a per-student exercise


def _autograde_as(monkeypatch, tmp_path, folder_id):
    folder = tmp_path / "autograded" / folder_id / AID
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def test_graded_id_is_the_folder_under_autograde(monkeypatch, tmp_path):
    assert a04.graded_id(" alice ") == "alice"
    _autograde_as(monkeypatch, tmp_path, "bob")
    assert a04.graded_id("alice") == "bob"
    assert a04.graded_id("") == "bob"


def test_autograde_uses_the_folder_id(monkeypatch, tmp_path, capsys):
    _autograde_as(monkeypatch, tmp_path, "bob")
    ns = dict(reference_namespace("bob"), STUDENT_ID="bob")
    for exercise, part in PARTS:
        a04.checker(ns)(exercise, part)
    assert "MISMATCH" not in capsys.readouterr().out


def test_copied_answers_fail_and_report_the_mismatch(monkeypatch, tmp_path, capsys):
    _autograde_as(monkeypatch, tmp_path, "bob")
    ns = reference_namespace("alice")  # alice's notebook, filed under bob
    for exercise, part in [("my_output_sizes", "values"), ("param_table", "conv"),
                           ("param_table", "pool_flatten"), ("param_table", "fc"),
                           ("kernel_shrink", "values")]:
        with pytest.raises(GradingError, match="answers for the numbers of STUDENT_ID 'alice'"):
            a04.checker(ns)(exercise, part)
        out = capsys.readouterr().out
        assert "STUDENT_ID MISMATCH: the notebook declares 'alice' but the submission belongs " \
               "to 'bob'" in out
    a04.checker(ns)("conv_backward", "dx")  # shared exercises are unaffected
    assert "MISMATCH" not in capsys.readouterr().out


@pytest.mark.slow
def test_nbgrader_reports_the_copied_notebook(tmp_path):
    """Real autograde: the copied notebook loses the per-student points and the summary says
    why; the solution (which declares the sample STUDENT_ID) gets full automatic marks, with
    the numbers of the id it is filed under."""
    from tests.grading_cases import a04_cnn as cases
    from tests.grading_harness import (
        grade,
        points,
        solution_nb,
        variant,
        write_submission,
    )

    sol = solution_nb(AID)
    pts = points(sol)
    subs = tmp_path / "submissions"
    write_submission(subs, "solution", AID, sol)
    replace, failing, _ = cases.VARIANTS[cases.COPY_VARIANT]
    write_submission(subs, cases.COPY_VARIANT, AID, variant(sol, replace=replace))
    results, _ = grade(AID, subs, tmp_path / "course", feedback=False)
    good, copied = results["solution"], results[cases.COPY_VARIANT]
    assert good.status == "graded" and not good.failures and good.score == sum(pts.values())
    assert copied.status == "graded"
    assert sorted(c for c, _ in copied.failures) == sorted(failing)
    assert copied.score == sum(pts.values()) - sum(pts[c] for c in failing)
    assert any(r.startswith(cases.MISMATCH) for r in copied.reasons), copied.reasons
    assert all("neighbour" in hint for _, hint in copied.failures)


# -- exercise 8: gradients by hand at a size the lecture does not print --------------------------
def test_by_hand_answers_agree_with_the_printed_equations():
    from dlcore.grading.a04_cnn import by_hand

    weight = dl.conv.conv_equations("weight", input_shape=(7, 7), kernel_shape=(3, 3), stride=2)
    cells = [int(t.split()[0][1:]) for t in weight[by_hand.WEIGHT - 1].split(" = ")[1].split(" + ")]
    assert cells == by_hand.weight_cells() == reference_namespace()["CELLS_W6"]
    inputs = dl.conv.conv_equations("input", input_shape=(7, 7), kernel_shape=(3, 3), stride=2)
    terms = {tuple(int(s[1:]) for s in t.split()) for t in
             inputs[by_hand.CELL - 1].split(" = ")[1].split(" + ")}
    assert terms == by_hand.input_terms() == set(reference_namespace()["TERMS_A31"])
    # each catalogued slip gives an answer of its own
    slips = [tuple(v) for v, _ in by_hand.CELLS_WRONG]
    assert len(set(slips)) == len(slips) and tuple(by_hand.weight_cells()) not in slips
    slips = [frozenset(v) for v, _ in by_hand.TERMS_WRONG]
    assert len(set(slips)) == len(slips) and frozenset(by_hand.input_terms()) not in slips


def test_the_lecture_prints_the_5x5_case_only():
    """Exercise 8 asks for a size lecture 12 does not print (it shows the 5 x 5 input)."""
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" /
                     "12_backprop_conv_pooling.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    for answer in ("a10 g1 + a12 g2", "a_{10} g_1", "w9 g4 + w7 g5", "w_9 g_4",
                   "input_shape=(7, 7)"):
        assert answer not in text, answer


@pytest.mark.parametrize("answer", [[10, 12, 14, 24, 26, 28, 38, 40, 42],
                                    np.array([10, 12, 14, 24, 26, 28, 38, 40, 42]),
                                    (10.0, 12, 14, 24, 26, 28, 38, 40, 42)])
def test_by_hand_accepts_any_sequence_of_whole_numbers(answer):
    a04.checker(dict(reference_namespace(), CELLS_W6=answer))("by_hand", "weight")
    terms = {(9, 4), (7, 5), (3, 7), (1, 8)}
    a04.checker(dict(reference_namespace(), TERMS_A31=terms))("by_hand", "input")
    a04.checker(dict(reference_namespace(), TERMS_A31=np.array(sorted(terms))))(
        "by_hand", "input")
