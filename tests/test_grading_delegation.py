"""A student's function cannot call dlcore's own version of what it is asked to write.

The kernel that grades a notebook imports a copy of dlcore in which each assignment's
references are switched off (``grader.sandbox.prepare_runtime``): their code is not in the
sandbox at all, so switching the profiler off, calling from a thread, re-executing their
source, importing another copy from disk or faking the kernel's delegation check all fail the
same way.  torch and scipy cannot be imported there.  A2 and A5 train a model with dlcore:
their functions are called in a second kernel with the references switched off, while the
trained model is graded in the notebook's own kernel (``grader.trusted``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.sandbox import prepare_runtime, sandbox_status
from tests.grading_harness import ROOT, grade, points, solution_nb, variant, write_submission

AIDS = ["a01_neurons_perceptron", "a02_gradient_descent_backprop", "a03_optimizers", "a04_cnn",
        "a05_rnn_lstm"]


def _assignment(aid):
    return importlib.import_module(f"dlcore.grading.{aid}").ASSIGNMENT


def _run_in(runtime: Path, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=runtime, env={"PYTHONPATH": str(runtime), "PATH": "/usr/bin:/bin",
                                            "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120)


@pytest.fixture(scope="module")
def a04_runtime(tmp_path_factory):
    a = _assignment("a04_cnn")
    return prepare_runtime(tmp_path_factory.mktemp("rt") / "site", a.references,
                           stub_grading=True)


def test_a_switched_off_reference_says_so_and_its_code_is_gone(a04_runtime):
    out = _run_in(a04_runtime, (
        "import inspect, numpy as np, dlcore, dlcore.conv as c\n"
        "assert dlcore.__file__.startswith(" + repr(str(a04_runtime)) + "), dlcore.__file__\n"
        "f = inspect.unwrap(c.conv2d_forward)\n"
        "print('SOURCE', 'tensordot' in inspect.getsource(f) or 'einsum' in "
        "inspect.getsource(f) or 'im2col' in inspect.getsource(f))\n"
        "try:\n    c.conv2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1))\n"
        "except RuntimeError as e:\n    print('RAISED', e)\n"
        "x = dlcore.data.moons(n_samples=10, seed=0)[0]\nprint('DATA', x.shape)\n"))
    assert out.returncode == 0, out.stderr
    assert "SOURCE False" in out.stdout
    assert "RAISED dlcore's own conv2d_forward is switched off" in out.stdout
    assert "DATA (10, 2)" in out.stdout  # the rest of dlcore works


def test_the_check_modules_keep_no_reference_computation(a04_runtime):
    """A check module's private reference (``_conv_ref``) is switched off too."""
    out = _run_in(a04_runtime, (
        "import numpy as np\nfrom dlcore.grading.a04_cnn import convolution as m\n"
        "try:\n    m._conv_ref(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1), 1, 0)\n"
        "    print('COMPUTED')\nexcept RuntimeError as e:\n    print('RAISED', e)\n"))
    assert out.returncode == 0, out.stderr
    assert "RAISED" in out.stdout and "COMPUTED" not in out.stdout


def test_torch_and_scipy_are_stand_ins_that_refuse(a04_runtime):
    for name in ("torch", "scipy", "sklearn"):
        stand_in = a04_runtime / "_blocked" / name / "__init__.py"
        out = _run_in(a04_runtime, f"import runpy\nrunpy.run_path({str(stand_in)!r})")
        assert "is not available while a notebook is graded" in out.stderr, (name, out.stderr)


def test_a_function_that_is_not_in_dlcore_cannot_be_switched_off(tmp_path):
    def mine(x):
        return x

    with pytest.raises(ValueError, match="not part of dlcore"):
        prepare_runtime(tmp_path / "site", [mine])


def _solution_cells(aid):
    nb = solution_nb(aid)
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield cell.source


class _Recording:
    """A notebook function, called the way the grader calls one in a kernel (a handle with
    ``_dlcore_remote_call``): it records the forbidden list each call carries."""

    def __init__(self, func, seen: list):
        self.func, self.seen, self.__name__ = func, seen, func.__name__
        self.__doc__ = func.__doc__

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def _dlcore_remote_call(self, args, kwargs, forbidden, op="call"):
        self.seen.extend(forbidden)
        return self.func(*args, **kwargs), None


@pytest.mark.slow
@pytest.mark.parametrize("aid", AIDS)
def test_every_function_a_check_forbids_is_switched_off(aid, monkeypatch):
    """Grade the solution in this process, recording what each call of a student's function
    forbids: all of it is in the assignment's references (switched off in the sandbox)."""
    import inspect

    seen: list = []
    monkeypatch.chdir(ROOT / "solutions" / aid)
    namespace = {"__name__": "__main__"}
    for source in _solution_cells(aid):
        for name, value in list(namespace.items()):
            if inspect.isfunction(value) and value.__module__ == "__main__":
                namespace[name] = _Recording(value, seen)
        exec(compile(source, f"<{aid}>", "exec"), namespace)  # noqa: S102
    assert seen, "no check called a student's function"
    refs = _assignment(aid).references
    missing = {f"{f.__module__}.{f.__qualname__}" for f in seen if all(f is not r for r in refs)}
    assert not missing, f"forbidden by a check but not switched off in the sandbox: {missing}"


def test_the_references_are_switched_off_in_every_assignment(tmp_path):
    """Each assignment's references, switched off in a copy, raise when called."""
    for aid in AIDS:
        refs = _assignment(aid).references
        assert refs, aid
        runtime = prepare_runtime(tmp_path / aid, refs, stub_grading=True)
        names = [(f.__module__, f.__qualname__) for f in refs]
        out = _run_in(runtime, (
            "import importlib, inspect\nbad = []\n"
            f"for module, qual in {names!r}:\n"
            "    obj = importlib.import_module(module)\n"
            "    for part in qual.split('.'):\n        obj = getattr(obj, part)\n"
            "    src = inspect.getsource(inspect.unwrap(obj))\n"
            "    if 'is switched off while this notebook is graded' not in src:\n"
            "        bad.append(qual)\nprint('BAD', bad)\n"))
        assert out.returncode == 0, (aid, out.stderr)
        assert "BAD []" in out.stdout, (aid, out.stdout)


# -- hostile submissions through the real grading command --------------------------------------

_CACHE = "(x, w, b, stride, pad)"
_HEAD = "def conv2d_forward(x, w, b, stride=1, pad=0):\n"
A4_ATTACKS = {
    "profiler_off": (
        "import sys, dlcore.conv\n" + _HEAD +
        "    sys.setprofile(None)\n"
        f"    return dlcore.conv.conv2d_forward(x, w, b, stride=stride, padding=pad), {_CACHE}"),
    "thread": (
        "import threading, dlcore.conv\n" + _HEAD +
        "    box = []\n"
        "    t = threading.Thread(target=lambda: box.append(dlcore.conv.conv2d_forward("
        "x, w, b, stride=stride, padding=pad)))\n"
        f"    t.start(); t.join()\n    return box[0], {_CACHE}"),
    "exec_source": (
        "import inspect, sys, dlcore.conv\n"
        "_ref = inspect.unwrap(dlcore.conv.conv2d_forward)\n"
        "_g = dict(vars(sys.modules[_ref.__module__]))\n"
        "exec(inspect.getsource(_ref), _g)\n" + _HEAD +
        f"    return _g[_ref.__name__](x, w, b, stride=stride, padding=pad), {_CACHE}"),
    "copy_from_disk": (
        "import glob, importlib.util\n_found = []\n"
        "for root in ['/venv', '/dlcore-runtime', '/work', '/root', '/home', '/opt', '/srv',"
        " '/tmp', '/usr/local']:\n"
        "    _found += glob.glob(root + '/**/dlcore/conv/conv2d.py', recursive=True)\n"
        "print('copies of dlcore found:', len(_found))\n" + _HEAD +
        "    for path in _found:\n"
        "        spec = importlib.util.spec_from_file_location('dlcore.conv._mine', path)\n"
        "        mod = importlib.util.module_from_spec(spec)\n"
        "        try:\n            spec.loader.exec_module(mod)\n"
        f"            return mod.conv2d_forward(x, w, b, stride=stride, padding=pad), {_CACHE}\n"
        "        except Exception:\n            pass\n"
        "    raise RuntimeError('no working copy')"),
    "torch": (
        _HEAD + "    import torch\n"
        "    out = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b),"
        " stride=stride, padding=pad)\n"
        f"    return out.numpy(), {_CACHE}"),
    "scipy": (
        _HEAD + "    from scipy.signal import correlate\n    import numpy as np\n"
        "    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n"
        "    out = np.stack([np.stack([sum(correlate(xp[n, c], w[f, c], mode='valid') "
        "for c in range(x.shape[1])) + b[f] for f in range(w.shape[0])]) "
        "for n in range(x.shape[0])])\n"
        f"    return out[:, :, ::stride, ::stride], {_CACHE}"),
    "check_module_reference": (
        "from dlcore.grading.a04_cnn import convolution as _c\n" + _HEAD +
        f"    return _c._conv_ref(x, w, b, stride, pad), {_CACHE}"),
    "fakes_the_delegation_check": (
        "import dlcore.conv, dlcore.grading._integrity as _i\n"
        "def _quiet(func, args, kwargs, forbidden, *a, **k):\n"
        "    return func(*args, **kwargs), None\n"
        "_i.calls_into = _quiet\n" + _HEAD +
        f"    return dlcore.conv.conv2d_forward(x, w, b, stride=stride, padding=pad), {_CACHE}"),
}
A4_CONV = ["ex2_test_shape", "ex2_test_values"]


@pytest.fixture(scope="module")
def a04_graded(tmp_path_factory):
    ok, why = sandbox_status()
    if not ok:
        pytest.fail(f"bubblewrap must work for these tests (CI installs it): {why}")
    aid = "a04_cnn"
    tmp = tmp_path_factory.mktemp("delegation")
    sol = solution_nb(aid)
    subs = tmp / "submissions"
    write_submission(subs, "aa_honest_before", aid, sol)
    for name, src in A4_ATTACKS.items():
        write_submission(subs, name, aid, variant(sol, replace={"ex2_code": src}))
    write_submission(subs, "zz_honest_after", aid, sol)
    results, course = grade(aid, subs, tmp / "course", workers=2)
    return results, course, points(sol)


@pytest.mark.slow
def test_honest_students_around_the_delegators_get_full_marks(a04_graded):
    results, _, pts = a04_graded
    for name in ("aa_honest_before", "zz_honest_after"):
        r = results[name]
        assert r.status == "graded" and not r.failures and r.score == sum(pts.values()), r


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(A4_ATTACKS))
def test_a_function_that_hands_its_work_to_a_library_scores_nothing_for_it(a04_graded, name):
    results, _, pts = a04_graded
    r = results[name]
    assert r.status == "graded", r
    failed = {cell for cell, _ in r.failures}
    assert set(A4_CONV) <= failed, (name, r.failures)
    # only the exercise that delegated is lost (conv2d_backward reads its own cache)
    assert r.score <= sum(pts.values()) - sum(pts[c] for c in A4_CONV), r


@pytest.mark.slow
def test_the_student_is_told_what_was_switched_off(a04_graded):
    results, _, _ = a04_graded
    hints = dict(results["profiler_off"].failures)
    assert "dlcore's own conv2d_forward is switched off" in hints["ex2_test_shape"], hints
    hints = dict(results["torch"].failures)
    assert "torch is not available while a notebook is graded" in hints["ex2_test_shape"], hints


@pytest.mark.slow
def test_no_copy_of_dlcore_on_disk_still_computes(a04_graded):
    _, course, _ = a04_graded
    aid = "a04_cnn"
    nb = nbformat.read(course.root / "autograded" / "copy_from_disk" / aid / f"{aid}.ipynb",
                       as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "copies of dlcore found:" in printed, printed[:2000]


A2 = "a02_gradient_descent_backprop"
A2_LINEAR = ["ex5_test_shape", "ex5_test_values", "ex5_test_grad"]
A2_ATTACKS = {
    "a2_profiler_off": (
        "import sys\n"
        "def linear_forward(x, w, b):\n    sys.setprofile(None)\n"
        "    return dl.layers.linear_forward(x, w, b)\n\n"
        "def linear_backward(dout, cache):\n    sys.setprofile(None)\n"
        "    return dl.layers.linear_backward(dout, cache)\n"),
    # a cell that calls dlcore's reference before it defines the answer: the function does
    # not exist where the references are switched off, and the student hears why
    "a2_reference_before_def": (
        "_probe = dl.layers.linear_forward(np.ones((1, 2)), np.ones((3, 2)))\n\n"
        "def linear_forward(x, w, b):\n    return x @ w.T + b, (x, w)\n\n"
        "def linear_backward(dout, cache):\n    x, w = cache\n"
        "    return dout @ w, dout.T @ x, dout.sum(axis=0)\n"),
}


@pytest.fixture(scope="module")
def a02_graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("delegation_a2")
    sol = solution_nb(A2)
    subs = tmp / "submissions"
    write_submission(subs, "honest", A2, sol)
    for name, src in A2_ATTACKS.items():
        write_submission(subs, name, A2, variant(sol, replace={"ex5_code": src}))
    results, course = grade(A2, subs, tmp / "course", workers=2)
    return results, points(sol)


@pytest.mark.slow
def test_a_model_trained_with_dlcore_is_graded_while_its_functions_cannot_delegate(a02_graded):
    results, pts = a02_graded
    honest = results["honest"]
    assert honest.status == "graded" and not honest.failures, honest
    assert honest.score == sum(pts.values())
    r = results["a2_profiler_off"]
    assert sorted(c for c, _ in r.failures) == sorted(A2_LINEAR), r.failures
    assert r.score == sum(pts.values()) - sum(pts[c] for c in A2_LINEAR)
    assert "dlcore's own linear_forward is switched off" in dict(r.failures)["ex5_test_shape"]


@pytest.mark.slow
def test_a_function_defined_after_a_reference_call_is_explained(a02_graded):
    results, _ = a02_graded
    r = results["a2_reference_before_def"]
    hints = dict(r.failures)
    assert set(A2_LINEAR) <= set(hints), r.failures
    assert "define it in a cell of its own" in hints["ex5_test_shape"], hints
