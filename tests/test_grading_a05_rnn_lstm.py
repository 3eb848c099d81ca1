"""A5's checks without nbgrader: the solution passes, every catalogued mistake gets its hint
(never the expected value), and delegating to dlcore's references or torch scores 0."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import dlcore as dl
from dlcore.grading import GradingError, IntegrityError
from dlcore.grading import a05_rnn_lstm as a05
from dlcore.grading.a05_rnn_lstm.clipping import norm_cases
from dlcore.grading.a05_rnn_lstm.counts import COUNT_WRONG, count_cases
from dlcore.grading.a05_rnn_lstm.rnn import BPTT_WRONG, bptt_variant, rnn_cases
from tests.grading_cases.a05_rnn_lstm import VARIANTS
from tests.grading_harness import ROOT, leaked_secrets

pytestmark = [pytest.mark.lec13, pytest.mark.lec14]

AID = "a05_rnn_lstm"
_NB = nbformat.read(ROOT / "solutions" / AID / f"{AID}.ipynb", as_version=4)
_CELLS = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in _NB.cells}
_SOLUTION_CELLS = [gid for gid, c in _CELLS.items() if gid and c.cell_type == "code"
                   and c.metadata["nbgrader"].get("solution")]
_TEST_CELLS = [gid for gid, c in _CELLS.items() if gid and c.cell_type == "code"
               and c.metadata["nbgrader"].get("grade")
               and not c.metadata["nbgrader"].get("solution")]
_HIDDEN = re.compile(r"### (BEGIN|END) HIDDEN TESTS")


@pytest.fixture(scope="module")
def trained():
    """The solution's trained sine model (trained once; a few seconds)."""
    ns = {}
    exec(_CELLS["setup"].source, ns)
    exec(_CELLS["ex8_code"].source, ns)
    return ns["model"]


def namespace(trained, replace=None, extra=""):
    """The notebook's namespace after running the setup and solution cells.

    ``replace`` maps grade ids to replacement sources (as the catalogue); ``extra`` is code
    run last (to redefine one name).  The sine model comes from the ``trained`` fixture unless
    ex8_code is replaced.
    """
    replace = replace or {}
    ns = {}
    exec(_CELLS["setup"].source, ns)
    for gid in _SOLUTION_CELLS:
        if gid == "ex8_code" and gid not in replace:
            ns["model"] = trained
            continue
        exec(replace.get(gid, _CELLS[gid].source), ns)
    exec(extra, ns)
    return ns


def run_test_cell(ns, gid):
    """Run a test cell's checks (visible and hidden); the error, or None when it passes."""
    try:
        exec(_HIDDEN.sub("", _CELLS[gid].source), ns)
    except (GradingError, IntegrityError) as err:
        return err
    return None


def test_solution_passes_every_test_cell(trained, capsys):
    ns = namespace(trained)
    failures = {gid: run_test_cell(ns, gid) for gid in _TEST_CELLS}
    assert not {g: e for g, e in failures.items() if e}, failures
    out = capsys.readouterr().out
    assert out.count("hidden cases passed") >= 13


def test_the_notebook_has_the_exercises_and_points_of_the_brief():
    points = {gid: _CELLS[gid].metadata["nbgrader"]["points"] for gid in _TEST_CELLS}
    exercises = {gid.split("_")[0] for gid in points}
    assert len(exercises) == 8
    assert sum(points.values()) == 26
    written = [c for c in _NB.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("solution")]
    assert len(written) == 1


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_catalogued_variant_fails_its_cells_with_its_hint(trained, name, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    replace, failing, hints = VARIANTS[name]
    ns = namespace(trained, replace)
    errors = {gid: run_test_cell(ns, gid) for gid in _TEST_CELLS}
    assert sorted(g for g, e in errors.items() if e) == sorted(failing)
    text = "\n".join(str(e) for e in errors.values() if e)
    for hint in hints:
        assert hint in text
    assert not leaked_secrets(text, secrets)


# -- targeted hints beyond the catalogue ----------------------------------------------------------
_HINT_CASES = {
    "count_without_output_layer": (
        "def rnn_param_count(n_in, n_hidden, n_out, bias=True):\n"
        "    return n_hidden * (n_in + n_hidden) + (n_hidden if bias else 0)\n",
        "rnn_param_count", "values", "output layer (n_out, n_hidden)"),
    "count_torch_biases": (
        "def rnn_param_count(n_in, n_hidden, n_out, bias=True):\n"
        "    return n_hidden * (n_in + n_hidden) + n_out * n_hidden + "
        "(2 * n_hidden + n_out if bias else 0)\n",
        "rnn_param_count", "values", "PyTorch's b_ih and b_hh"),
    "count_never_biases": (
        "def rnn_param_count(n_in, n_hidden, n_out, bias=True):\n"
        "    return n_hidden * (n_in + n_hidden) + n_out * n_hidden\n",
        "rnn_param_count", "values", "short by the biases"),
    "puzzle_wrong": ("N_INPUTS = 24\n", "rnn_param_count", "solve", "does not have 140 weights"),
    "puzzle_not_divisible": ("N_INPUTS = 21\n", "rnn_param_count", "solve", "divisible by 4"),
    "forward_time_major": (
        "_f = rnn_forward\n"
        "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
        "    hs, cache = _f(x, h0, w_ih, w_hh, b)\n"
        "    return hs.transpose(1, 0, 2), cache\n",
        "rnn_forward", "shape", "time-major"),
    "forward_includes_h0": (
        "_f = rnn_forward\n"
        "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
        "    hs, cache = _f(x, h0, w_ih, w_hh, b)\n"
        "    return np.concatenate([h0[:, None], hs], axis=1), cache\n",
        "rnn_forward", "shape", "not the initial state h0"),
    "forward_only_hs": (
        "_f = rnn_forward\n"
        "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
        "    return _f(x, h0, w_ih, w_hh, b)[0]\n",
        "rnn_forward", "values", "a pair (hs, cache)"),
    "forward_h0_every_step": (
        "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
        "    hs = np.stack([np.tanh(x[:, t] @ w_ih.T + h0 @ w_hh.T + b)\n"
        "                   for t in range(x.shape[1])], axis=1)\n"
        "    return hs, (x, h0, w_ih, w_hh, hs)\n",
        "rnn_forward", "values", "every step uses h0"),
    "forward_no_tanh": (
        "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
        "    h, out = h0, []\n"
        "    for t in range(x.shape[1]):\n"
        "        h = x[:, t] @ w_ih.T + h @ w_hh.T + b\n"
        "        out.append(h)\n"
        "    return np.stack(out, axis=1), None\n",
        "rnn_forward", "values", "the tanh is missing"),
    "backward_dw_ih_transposed": (
        "_g = rnn_backward\n"
        "def rnn_backward(dhs, cache):\n"
        "    dx, dh0, dw_ih, dw_hh, db = _g(dhs, cache)\n"
        "    return dx, dh0, dw_ih.T, dw_hh, db\n",
        "rnn_backward", "dweights", "dw_ih is transposed"),
    "backward_db_per_example": (
        "_g = rnn_backward\n"
        "def rnn_backward(dhs, cache):\n"
        "    dx, dh0, dw_ih, dw_hh, db = _g(dhs, cache)\n"
        "    return dx, dh0, dw_ih, dw_hh, np.tile(db / len(dx), (len(dx), 1))\n",
        "rnn_backward", "db", "sum da_t over the batch"),
    "backward_four_results": (
        "_g = rnn_backward\n"
        "def rnn_backward(dhs, cache):\n"
        "    return _g(dhs, cache)[:4]\n",
        "rnn_backward", "dx", "five arrays"),
    "backward_dh0_zero": (
        "_g = rnn_backward\n"
        "def rnn_backward(dhs, cache):\n"
        "    dx, dh0, dw_ih, dw_hh, db = _g(dhs, cache)\n"
        "    return dx, 0 * dh0, dw_ih, dw_hh, db\n",
        "rnn_backward", "dx", "dh0 is zero"),
    "clip_always": (
        "def clip_grad_norm(grads, max_norm):\n"
        "    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))\n"
        "    for g in grads:\n"
        "        g *= max_norm / norm\n"
        "    return norm\n",
        "clipping", "norm", "did not exceed max_norm"),
    "clip_returns_norm_after": (
        "def clip_grad_norm(grads, max_norm):\n"
        "    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))\n"
        "    if norm > max_norm:\n"
        "        for g in grads:\n"
        "            g *= max_norm / norm\n"
        "    return float(np.sqrt(sum(np.sum(g * g) for g in grads)))\n",
        "clipping", "norm", "the norm after clipping"),
    "clip_returns_squared": (
        "def clip_grad_norm(grads, max_norm):\n"
        "    sq = float(sum(np.sum(g * g) for g in grads))\n"
        "    if np.sqrt(sq) > max_norm:\n"
        "        for g in grads:\n"
        "            g *= max_norm / np.sqrt(sq)\n"
        "    return sq\n",
        "clipping", "norm", "returns the squared norm"),
    "clip_returns_new_list": (
        "def clip_grad_norm(grads, max_norm):\n"
        "    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))\n"
        "    return [g * min(1.0, max_norm / norm) for g in grads]\n",
        "clipping", "norm", "returned new arrays"),
    "clip_value_by_norm": (
        "def clip_grad_value(grads, clip):\n"
        "    clip_grad_norm(grads, clip)\n",
        "clipping", "value", "that is clipping by norm"),
    "clip_norm_by_value": (
        "def clip_grad_norm(grads, max_norm):\n"
        "    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))\n"
        "    clip_grad_value(grads, max_norm)\n"
        "    return norm\n",
        "clipping", "norm", "that is clipping by value"),
    "bound_swapped": (
        "def gradient_bound(activation, lam, t, k):\n"
        "    return ({'sigmoid': 1.0, 'tanh': 0.25}[activation] * lam) ** (t - k)\n",
        "gradient_bound", "values", "the two gammas are swapped"),
    "bound_one_factor_too_many": (
        "def gradient_bound(activation, lam, t, k):\n"
        "    return ({'sigmoid': 0.25, 'tanh': 1.0}[activation] * lam) ** (t - k + 1)\n",
        "gradient_bound", "values", "one factor too many"),
    "bound_gamma_not_raised": (
        "def gradient_bound(activation, lam, t, k):\n"
        "    return {'sigmoid': 0.25, 'tanh': 1.0}[activation] * lam ** (t - k)\n",
        "gradient_bound", "values", "raised to the power t - k"),
    "meaning_vanish": ("ANSWER_5 = 'b'\n", "gradient_bound", "meaning", "gamma * lambda < 1"),
    "meaning_not_a_letter": ("ANSWER_5 = 'e'\n", "gradient_bound", "meaning", "one letter"),
    "lstm_g_sigmoid": (
        "def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b):\n"
        "    H = h_prev.shape[1]\n"
        "    a = sigmoid(x_t @ w_ih.T + h_prev @ w_hh.T + b)\n"
        "    c = a[:, H:2 * H] * c_prev + a[:, :H] * a[:, 2 * H:3 * H]\n"
        "    return a[:, 3 * H:] * np.tanh(c), c\n",
        "lstm_step_forward", "values", "g is squashed with a sigmoid"),
    "lstm_gates_returned": (
        "def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b):\n"
        "    a = x_t @ w_ih.T + h_prev @ w_hh.T + b\n"
        "    return a, a\n",
        "lstm_step_forward", "shape", "column blocks of width H"),
    "gru_rz_swapped": (
        "def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):\n"
        "    H = h_prev.shape[1]\n"
        "    gi, gh = x_t @ w_ih.T + b_ih, h_prev @ w_hh.T + b_hh\n"
        "    z = sigmoid(gi[:, :H] + gh[:, :H])\n"
        "    r = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])\n"
        "    n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])\n"
        "    return (1 - z) * n + z * h_prev\n",
        "gru_step_forward", "values", "r and z are swapped"),
    "gru_both_slide_forms": (
        "def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):\n"
        "    H = h_prev.shape[1]\n"
        "    gi, gh = x_t @ w_ih.T + b_ih, h_prev @ w_hh.T + b_hh\n"
        "    r = sigmoid(gi[:, :H] + gh[:, :H])\n"
        "    z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])\n"
        "    n = np.tanh(gi[:, 2 * H:] + (r * h_prev) @ w_hh[2 * H:].T + b_hh[2 * H:])\n"
        "    return (1 - z) * h_prev + z * n\n",
        "gru_step_forward", "values", "two differences from PyTorch's GRU"),
    "sine_model_not_a_model": ("model = 3\n", "sine_model", "baseline", "dlcore.nn.Module"),
    "sine_model_zero": ("def model(x):\n    return np.zeros((len(x), 1))\n", "sine_model",
                        "baseline", "predicting 0"),
    "sine_model_last_value": ("def model(x):\n    return x[:, -1]\n", "sine_model", "baseline",
                              "copying the last value"),
    "sine_model_wrong_size": ("def model(x):\n    return x[:, -2:, 0]\n", "sine_model",
                              "target", "one prediction per sequence"),
    "sine_model_nan": ("def model(x):\n    return np.full((len(x), 1), np.nan)\n",
                       "sine_model", "target", "NaN or inf"),
}


@pytest.mark.parametrize("name", sorted(_HINT_CASES))
def test_targeted_hints(trained, name, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    extra, exercise, part, hint = _HINT_CASES[name]
    check = a05.checker(namespace(trained, extra=extra))
    for hidden in (False, True):
        with pytest.raises(GradingError) as err:
            check(exercise, part, hidden=hidden)
        assert hint in str(err.value), (hidden, str(err.value))
        assert not leaked_secrets(str(err.value), secrets)
        if hidden:  # nothing about the hidden inputs either, not even their shapes
            assert not re.search(r"\(\d+,", str(err.value)), str(err.value)


def test_hints_do_not_show_the_expected_numbers(trained):
    ns = namespace(trained, extra="def rnn_param_count(n_in, n_hidden, n_out, bias=True):\n"
                                  "    return n_hidden * (n_in + n_hidden) + n_out * n_hidden\n"
                                  "N_INPUTS = 24\n")
    check = a05.checker(ns)
    with pytest.raises(GradingError) as err:
        check("rnn_param_count", "values")
    assert str(dl.counting.rnn_params(10, 6) + dl.counting.linear_params(6, 3)) not in \
        str(err.value)
    with pytest.raises(GradingError) as err:
        check("rnn_param_count", "solve")
    assert "20" not in str(err.value)


def test_visible_hints_name_the_case_and_hidden_ones_do_not(trained):
    extra = ("def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b):\n"
             "    H = h_prev.shape[1]\n"
             "    a = x_t @ w_ih.T + h_prev @ w_hh.T + b\n"
             "    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])\n"
             "    c = f * c_prev + i * np.tanh(a[:, 3 * H:])\n"
             "    return o * np.tanh(c), c\n")
    check = a05.checker(namespace(trained, extra=extra))
    with pytest.raises(GradingError, match=r"visible case \(N=3, D=2, H=4\)"):
        check("lstm_step_forward", "values")
    with pytest.raises(GradingError, match="on a hidden case") as err:
        check("lstm_step_forward", "values", hidden=True)
    assert "N=" not in str(err.value)


# -- delegation and integrity ---------------------------------------------------------------------
_DELEGATING = {
    "rnn_param_count": ("import dlcore.counting as C\n"
                        "def rnn_param_count(n_in, n_hidden, n_out, bias=True):\n"
                        "    return C.rnn_params(n_in, n_hidden, bias) + "
                        "C.linear_params(n_hidden, n_out, bias)\n", "values"),
    "rnn_forward": ("from dlcore.recurrent import rnn_forward as _ref\n"
                    "def rnn_forward(x, h0, w_ih, w_hh, b):\n"
                    "    return _ref(x, h0, w_ih, w_hh, b)\n", "values"),
    "rnn_backward": ("def rnn_backward(dhs, cache):\n"
                     "    x, h0, w_ih, w_hh, hs = cache\n"
                     "    c = dl.recurrent.rnn_forward(x, h0, w_ih, w_hh, None)[1]\n"
                     "    return dl.recurrent.rnn_backward(dhs, c)[:5]\n", "dx"),
    "clipping": ("def clip_grad_norm(grads, max_norm):\n"
                 "    return dl.recurrent.clip_grad_norm(grads, max_norm)\n", "norm"),
    "lstm_step_forward": ("def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b):\n"
                          "    return dl.recurrent.lstm_step_forward(x_t, h_prev, c_prev, w_ih,\n"
                          "                                          w_hh, b)[:2]\n", "values"),
    "gru_step_forward": ("def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):\n"
                         "    return dl.recurrent.gru_step_forward(x_t, h_prev, w_ih, w_hh,\n"
                         "                                         b_ih, b_hh)[0]\n", "shape"),
}


@pytest.mark.parametrize("exercise", sorted(_DELEGATING))
def test_delegating_to_the_reference_is_an_integrity_error(trained, exercise):
    extra, part = _DELEGATING[exercise]
    check = a05.checker(namespace(trained, extra=extra))
    with pytest.raises(IntegrityError, match="scores 0"):
        check(exercise, part)


def test_numerical_gradients_inside_rnn_backward_are_delegation(trained):
    extra = ("_g = rnn_backward\n"
             "def rnn_backward(dhs, cache):\n"
             "    out = _g(dhs, cache)\n"
             "    dl.gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2))\n"
             "    return out\n")
    with pytest.raises(IntegrityError, match="numerical_gradient"):
        a05.checker(namespace(trained, extra=extra))("rnn_backward", "db")


def test_torch_is_delegation(trained):
    pytest.importorskip("torch")
    extra = ("import torch\n"
             "def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):\n"
             "    cell = torch.nn.GRUCell(x_t.shape[1], h_prev.shape[1]).double()\n"
             "    with torch.no_grad():\n"
             "        for p, v in zip(cell.parameters(), (w_ih, w_hh, b_ih, b_hh)):\n"
             "            p.copy_(torch.from_numpy(v))\n"
             "        return cell(torch.from_numpy(x_t), torch.from_numpy(h_prev)).numpy()\n")
    with pytest.raises(IntegrityError, match="torch"):
        a05.checker(namespace(trained, extra=extra))("gru_step_forward", "values")


def test_a_monkeypatched_numpy_fails_every_check(trained, monkeypatch):
    check = a05.checker(namespace(trained))
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    with pytest.raises(IntegrityError, match="np.allclose"):
        check("clipping", "value")


def test_unanswered_and_renamed_names(trained):
    stub = "def gru_step_forward(*args):\n    raise NotImplementedError()\n"
    with pytest.raises(GradingError, match="not implemented yet"):
        a05.checker(namespace(trained, extra=stub))("gru_step_forward", "values")
    ns = namespace(trained, extra="ANSWER_5 = ...\nlstm_step = lstm_step_forward\n"
                                  "del lstm_step_forward\n")
    with pytest.raises(GradingError, match="not answered yet"):
        a05.checker(ns)("gradient_bound", "meaning")
    with pytest.raises(GradingError, match="Did you rename it.*lstm_step"):
        a05.checker(ns)("lstm_step_forward", "shape")


def test_a_model_that_is_a_function_is_accepted(trained):
    ns = namespace(trained, extra="_m = model\n"
                                  "def model(x):\n"
                                  "    return dl.nn.predict(_m, x, labels=False)[:, 0]\n")
    a05.checker(ns)("sine_model", "target", hidden=True)


def test_wrong_variants_of_the_grader_are_wrong():
    """The catalogued mistakes really differ from the reference on the visible cases."""
    for (n_in, n_hidden, n_out), kwargs in count_cases(False):
        bias = 1 if kwargs["bias"] else 0  # one bias per unit
        ref = n_hidden * (n_in + n_hidden + bias) + n_out * (n_hidden + bias)
        assert sum(fn(n_in, n_hidden, n_out, **kwargs) != ref for fn, _ in COUNT_WRONG) >= 3
    for case in rnn_cases(False):
        x, h0, w_ih, w_hh, b, dhs = case
        cache = dl.recurrent.rnn_forward(x, h0, w_ih, w_hh, b, None)[1]
        ref = dl.recurrent.rnn_backward(dhs, cache)[:5]
        assert all(np.allclose(a, b) for a, b in zip(bptt_variant(*case), ref))
        for fn, _ in BPTT_WRONG:
            assert not all(np.allclose(a, b) for a, b in zip(fn(*case), ref))
    for grads, tau in norm_cases(True):
        squared_norm = sum(float(np.sum(g * g)) for g in grads)
        if np.sqrt(squared_norm) > tau:
            want = [g.copy() for g in grads]
            dl.recurrent.clip_grad_norm(want, tau)
            divided_by_square = [g * (tau / squared_norm) for g in grads]  # the slip: no sqrt
            assert not all(np.allclose(a, w) for a, w in zip(divided_by_square, want))


def test_hidden_values_cannot_be_confused_with_the_feedback_page(trained, tmp_path, monkeypatch):
    """The feedback page embeds nbgrader's CSS (bootstrap...); no hidden expected value may
    print like one of its numbers, or the leak check of the suite could not tell them apart."""
    import nbgrader

    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    ns = namespace(trained)
    assert not [gid for gid in _TEST_CELLS if run_test_cell(ns, gid)]
    base = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    files = [base / "static" / "node_modules" / "bootstrap" / "dist" / "css" /
             "bootstrap.min.css"] + sorted((base / "templates" / "feedback").rglob("*"))
    page = "\n".join(p.read_text(errors="ignore") for p in files if p.is_file())
    assert len(page) > 100_000 and secrets.read_text().strip()
    assert not leaked_secrets(page, secrets)
