"""The grading machinery without nbgrader: checks, hints, integrity and delegation detection,
and the nbgrader preprocessors on synthetic notebooks."""

from __future__ import annotations

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import dlcore as dl
from dlcore.grading import GradingError, IntegrityError
from dlcore.grading import a01_neurons_perceptron as a01
from dlcore.grading._core import expect_close, expect_function, grading_student, lookup, variant_rng
from dlcore.grading._integrity import calls_into, verify_environment
from grader.nbgrader_ext import LimitOutputSize, SanitizeFeedback, scan_source

pytestmark = pytest.mark.setup


def _reference_namespace():
    """A01 answered with dlcore's own functions re-implemented plainly (a correct student)."""
    def mp_neuron(x, threshold, inhibitory=()):
        x = np.asarray(x)
        return 0 if any(x[i] for i in inhibitory) else int(x.sum() >= threshold)

    def perceptron_step(w, x, y):
        w = np.asarray(w, float)
        return w + y * np.asarray(x, float) if (1 if w @ x >= 0 else -1) != y else w.copy()

    return {"mp_neuron": mp_neuron, "THETA_AND": 7, "THETA_OR": 1,
            "perceptron_step": perceptron_step}


def test_correct_answers_pass_visible_and_hidden(capsys):
    check = a01.checker(_reference_namespace())
    check("mp_neuron", "values")
    check("mp_neuron", "values", hidden=True)
    check("perceptron_step", "values", hidden=True)
    assert "hidden cases passed" in capsys.readouterr().out


def test_catalogued_mistake_gets_its_hint_not_the_expected_value():
    ns = _reference_namespace()
    ns["mp_neuron"] = lambda x, t, inhibitory=(): 0 if any(x[i] for i in inhibitory) \
        else int(np.sum(x) > t)
    with pytest.raises(GradingError, match="strictly greater") as err:
        a01.checker(ns)("mp_neuron", "values", hidden=True)
    assert "hidden case" in str(err.value)


def test_the_hint_that_explains_every_case_wins():
    ns = _reference_namespace()
    ns["perceptron_step"] = lambda w, x, y: np.asarray(w, float) + y * np.asarray(x, float)
    with pytest.raises(GradingError, match="update only on a mistake"):
        a01.checker(ns)("perceptron_step", "values")


def test_missing_renamed_and_unanswered_names():
    ns = _reference_namespace()
    ns["perceptron_stp"] = ns.pop("perceptron_step")
    with pytest.raises(GradingError, match="rename.*perceptron_stp"):
        a01.checker(ns)("perceptron_step", "values")
    ns["THETA_AND"] = ...
    with pytest.raises(GradingError, match="THETA_AND is not answered yet"):
        a01.checker(ns)("mp_neuron", "thresholds")
    with pytest.raises(GradingError, match="should be a function"):
        lookup({"f": 3}, "f")


def test_not_implemented_is_reported_plainly():
    def stub(*args):
        raise NotImplementedError()

    ns = dict(_reference_namespace(), mp_neuron=stub)
    with pytest.raises(GradingError, match="not implemented yet"):
        a01.checker(ns)("mp_neuron", "values")


def test_delegation_to_the_reference_is_caught_even_through_an_alias():
    from dlcore.neurons import perceptron_step as ref  # an alias hides nothing

    ns = dict(_reference_namespace(), perceptron_step=lambda w, x, y: ref(w, x, y))
    with pytest.raises(IntegrityError, match="dlcore.neurons.perceptron_step"):
        a01.checker(ns)("perceptron_step", "values")


def test_delegation_to_torch_is_caught():
    import torch

    def f(x):
        return torch.tensor(x).sum().item()

    result, culprit = calls_into(f, (np.ones(3),), {}, forbidden=[])
    assert result == 3 and culprit.startswith("torch")
    _, culprit = calls_into(np.sum, (np.ones(3),), {}, forbidden=[])
    assert culprit is None


def test_monkeypatched_numpy_is_detected(monkeypatch):
    verify_environment()
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    with pytest.raises(IntegrityError, match="replaced np.allclose"):
        verify_environment()
    with pytest.raises(IntegrityError):
        a01.checker(_reference_namespace())("mp_neuron", "values")


def test_expect_close_never_prints_the_expected_value():
    expected = np.array([0.123456789, 2.718281828])
    with pytest.raises(GradingError) as err:
        expect_close(np.array([0.2, 2.7]), expected, "dw")
    assert "0.1234" not in str(err.value) and "2.718" not in str(err.value)
    with pytest.raises(GradingError, match="off by 2"):
        expect_close(2 * expected, expected, "dw", wrong=[(2 * expected, "off by 2")])
    with pytest.raises(GradingError, match=r"has shape \(3,\); expected shape \(2,\)"):
        expect_close(np.zeros(3), expected, "dw")


def test_expect_function_compares_tuples_and_sequences():
    expect_function(lambda s: [1, 2, 3], "f", lambda s: (1, 2, 3), [((0,), {})])
    with pytest.raises(GradingError, match="does not return the expected result"):
        expect_function(lambda s: (1, 2, 4), "f", lambda s: (1, 2, 3), [((0,), {})])


def test_variant_numbers_are_per_student_and_stable():
    a = variant_rng("alice", "a04_cnn", "q1").integers(0, 10**6, 5)
    assert np.array_equal(a, variant_rng("alice", "a04_cnn", "q1").integers(0, 10**6, 5))
    assert not np.array_equal(a, variant_rng("bob", "a04_cnn", "q1").integers(0, 10**6, 5))


def test_grading_student_reads_the_autograde_folder(tmp_path, monkeypatch):
    folder = tmp_path / "autograded" / "jdoe" / "a04_cnn"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    assert grading_student("a04_cnn") is None  # not under nbgrader
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert grading_student("a04_cnn") == "jdoe"
    assert grading_student("a01_neurons_perceptron") is None


@pytest.mark.parametrize("source, flagged", [
    ("np.allclose = lambda *a, **k: True", True),
    ("import numpy\nnumpy.testing.assert_allclose = print", True),
    ("setattr(np, 'isclose', None)", True),
    ("check = lambda *a, **k: None", True),
    ("globals()['check'] = print", True),
    ("import dlcore.grading as g\ng.a01 = None", True),
    ("x = np.zeros(3)\nx[0] = 1\nw.data = 2", False),
    ("%timeit np.ones(3)\ny = 1", False),
    ("def f(x):\n    return x", False),
])
def test_scan_source_flags_tampering_only(source, flagged):
    assert bool(scan_source(source)) == flagged, scan_source(source)


def _test_cell(src, outputs=()):
    cell = new_code_cell(src, metadata={"nbgrader": {"grade": True, "solution": False,
                                                     "grade_id": "t", "points": 1,
                                                     "locked": True, "schema_version": 3}})
    cell.outputs = list(outputs)
    return cell


def test_sanitize_feedback_removes_hidden_tests_and_tracebacks():
    err = new_output("error", ename="GradingError", evalue="dw: a hint",
                     traceback=["Traceback", "check('x', hidden=True)  # secret 1234.5678"])
    cell = _test_cell('check("x")\n### BEGIN HIDDEN TESTS\ncheck("x", hidden=True)\n'
                      '### END HIDDEN TESTS', [err])
    nb = new_notebook(cells=[cell])
    nb, _ = SanitizeFeedback().preprocess(nb, {})
    out = nb.cells[0]
    assert "hidden=True" not in out.source and 'check("x")' in out.source
    assert out.outputs[0]["traceback"] == ["GradingError: dw: a hint"]


def test_limit_output_size_truncates_huge_prints():
    cell = new_code_cell("print('x' * 10**6)")
    cell.outputs = [new_output("stream", name="stdout", text="x" * 10**6)]
    nb, _ = LimitOutputSize().preprocess(new_notebook(cells=[cell]), {})
    text = nb.cells[0].outputs[0]["text"]
    assert len(text) < 30_000 and "truncated" in text


def test_grading_package_imports_no_nbgrader():
    import subprocess
    import sys

    code = ("import sys, dlcore.grading.a01_neurons_perceptron; "
            "print('nbgrader' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"], out.stderr
    assert dl.grading.GradingError is GradingError
