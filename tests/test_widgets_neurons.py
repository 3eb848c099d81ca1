"""Widgets of lectures 2-3 (dlcore.widgets.neurons), built headless: controls in, plots out.

Expected values come from ``dl.neurons`` (mp_neuron, step, train_perceptron), ``dl.data``,
the course's lecture map (movie neuron: θ = 3 fires only for (1,1,1), θ = 0 for all 8; the
slides' perceptron trace w = (0,0) -> (-1,1) -> (-1,1)) or closed forms; never from the
widgets.
"""

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgb

import dlcore as dl
from dlcore.widgets import neurons as wn
from dlcore.widgets.neurons import mp_neuron_playground, perceptron_trainer, threshold_plane

lec02 = pytest.mark.lec02
lec03 = pytest.mark.lec03
X3 = np.array(list(itertools.product([0, 1], repeat=3)), dtype=float)
X2 = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)


def with_bias(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def fired_rows(app):
    """1 where the truth-table bar is drawn in the 'fires' colour."""
    fire = to_rgb(dl.viz.PALETTE["blue"])
    return np.array([np.allclose(b.get_facecolor()[:3], fire) for b in app.rows], dtype=int)


def test_registered_factories():
    assert set(wn.__all__) == {"mp_neuron_playground", "threshold_plane", "perceptron_trainer"}
    for name in wn.__all__:
        assert getattr(dl.widgets, name) is getattr(wn, name)


# ---- mp_neuron_playground -----------------------------------------------------------------

@lec02
def test_movie_neuron_presets_reproduce_the_syllabus():
    app = mp_neuron_playground()
    assert app.controls["theta"].value == 3
    np.testing.assert_array_equal(fired_rows(app), [0] * 7 + [1])  # only (1, 1, 1)
    np.testing.assert_allclose([b.get_width() for b in app.rows], X3.sum(axis=1))
    assert "y = 1" in app.state()["decision"]
    app.controls["preset_0"].click()
    assert app.controls["theta"].value == 0
    np.testing.assert_array_equal(fired_rows(app), [1] * 8)
    assert "8 of 8" in app.summary
    app.controls["preset_n"].click()
    expected = [dl.neurons.mp_neuron(x, 3) for x in X3]
    np.testing.assert_array_equal(fired_rows(app), expected)


@lec02
def test_sum_bar_threshold_line_and_bias_form():
    app = mp_neuron_playground(x=[1, 0, 1])
    assert app.total.get_ydata()[0] == 2
    assert app.theta_line.get_ydata()[0] == 3
    assert sum(r.get_height() for r in app.stack) == 2
    text = app.state()["decision"]
    assert "= 2 < θ = 3" in text and "w0 = -θ = -3" in text and "= -1 < 0" in text
    assert "y = 0" in text
    rows = app.state()["table"]
    assert rows.count("<tr") == 9  # header + 8 rows


@lec02
def test_inhibitory_input_vetoes():
    app = mp_neuron_playground(threshold=1)
    app.controls["inh1"].value = True
    expected = [dl.neurons.mp_neuron(x, 1, inhibitory=(1,)) for x in X3]
    np.testing.assert_array_equal(fired_rows(app), expected)
    assert "Inhibitory input x2 is on" in app.state()["decision"]
    assert "vetoed" in app.summary
    app.controls["x1"].value = False
    assert "y = 1" in app.state()["decision"]


@lec02
def test_weighted_unit_matches_step():
    app = mp_neuron_playground()
    w = np.array([2.0, 0.5, -1.0])
    for i, wi in enumerate(w):
        app.controls[f"w{i}"].value = wi
    app.controls["theta"].value = 1.5
    np.testing.assert_allclose([b.get_width() for b in app.rows], X3 @ w)
    np.testing.assert_array_equal(fired_rows(app), dl.neurons.step(X3 @ w - 1.5))
    np.testing.assert_allclose(sum(r.get_height() for r in app.stack), w.sum())


@lec02
def test_two_inputs_name_the_function_and_mark_xor():
    app = mp_neuron_playground(n_inputs=2, threshold=2)
    assert "computes AND" in app.state()["function"]
    and_index = sum(int(v) << r for r, v in enumerate(dl.data.boolean_table("AND")[1]))
    assert app.highlight.get_x() == pytest.approx(and_index - 0.5)
    app.controls["theta"].value = 1
    assert "computes OR" in app.summary
    app.controls["w0"].value, app.controls["w1"].value = -1.0, -1.0
    app.controls["theta"].value = -1
    assert "computes NAND" in app.summary
    hatched = sorted(int(round(p.get_x() + 0.5)) for p in app.fig.axes[2].patches
                     if p.get_hatch())
    columns = [[(k >> r) & 1 for r in range(4)] for k in hatched]
    assert columns == [list(dl.data.boolean_table("XOR")[1]), list(dl.data.boolean_table(
        "XNOR")[1])]


@lec02
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_inputs": 5}, "between 1 and 4"),
    ({"weights": [1, 1]}, r"\(3,\)"),
    ({"x": [1, 2, 0]}, r"\{0, 1\}"),
    ({"inhibitory": (3,)}, r"\[0, 2\]"),
    ({"threshold": 9}, r"\[-5, 5\]"),
    ({"weights": [1, 1, np.inf]}, "non-finite"),
])
def test_playground_bad_presets(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mp_neuron_playground(**kwargs)


# ---- threshold_plane ----------------------------------------------------------------------

@lec02
def test_plane_and_or_presets():
    app = threshold_plane()
    line = app.line
    np.testing.assert_allclose(line.get_xdata() + line.get_ydata(), 2)
    assert len(app.wrong.get_offsets()) == 0
    np.testing.assert_array_equal(app.ones.get_offsets(), [[1, 1]])
    assert "4 of 4" in app.summary and "computes AND" in app.summary
    app.controls["or"].click()
    assert app.controls["theta"].value == 1 and app.controls["target"].value == "OR"
    np.testing.assert_allclose(line.get_xdata() + line.get_ydata(), 1)
    assert len(app.wrong.get_offsets()) == 0
    app.controls["and"].click()
    assert app.controls["theta"].value == 2 and app.controls["target"].value == "AND"


@lec02
def test_plane_region_matches_step():
    app = threshold_plane(w=(1.5, -0.5), theta=0.3, target="NOR")
    img = np.asarray(app.region.get_array())
    expected = dl.neurons.step(1.5 * app._gx - 0.5 * app._gy - 0.3)
    np.testing.assert_array_equal(img, expected)
    y_unit = dl.neurons.step(X2 @ np.array([1.5, -0.5]) - 0.3)
    wrong = y_unit != dl.data.boolean_table("NOR")[1]
    np.testing.assert_array_equal(app.wrong.get_offsets(), X2[wrong])


@lec02
def test_plane_xor_target_is_never_met():
    app = threshold_plane(target="XOR")
    grid = np.arange(-2, 2.01, 0.5)
    for w1, w2 in itertools.product(grid, grid):
        app.controls["w1"].value, app.controls["w2"].value = float(w1), float(w2)
        for theta in np.arange(-2, 3.01, 0.5):
            app.controls["theta"].value = float(theta)
            assert len(app.wrong.get_offsets()) >= 1
    assert "at most 3 of 4" in app.state()["result"]


@lec02
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"target": "MAYBE"}, "target must be one of AND"),
    ({"w": (1, 2, 3)}, r"\(2,\)"),
    ({"theta": 7}, r"\[-2, 3\]"),
    ({"w": (5, 0)}, r"\[-2, 2\]"),
])
def test_plane_bad_presets(kwargs, match):
    with pytest.raises(ValueError, match=match):
        threshold_plane(**kwargs)


# ---- perceptron_trainer -------------------------------------------------------------------

@lec03
def test_slide_example_preset_reproduces_the_syllabus():
    app = perceptron_trainer()
    assert app.controls["data"].value == "slide example" and not app.controls["bias"].value
    assert "the slides' two points" in app.controls["data"].options[0][0]
    assert "t = 0" in app.state()["step"]
    app.controls["next"].click()
    np.testing.assert_allclose(app.weights(), [-1, 1])
    np.testing.assert_allclose(app.arrow._posA_posB[1], (-1, 1))
    np.testing.assert_allclose(app.ring.get_offsets()[0], [1, -1])
    assert app.delta.get_visible()
    text = app.state()["step"]
    assert "w · x = 0" in text and "ŷ = +1" in text and "mistake" in text
    assert "(0, 0)" in app.state()["rows"] and "(-1, 1)" in app.state()["rows"]
    line = app.line
    np.testing.assert_allclose(-line.get_xdata() + line.get_ydata(), 0, atol=1e-12)
    app.controls["next"].click()
    np.testing.assert_allclose(app.weights(), [-1, 1])
    assert "w · x = 2" in app.state()["step"] and "match" in app.state()["step"]
    assert not app.delta.get_visible()
    assert "converges" in app.state()["status"]
    app.controls["reset"].click()
    assert app.controls["step"].value == 0


@lec03
def test_blobs_match_train_perceptron():
    app = perceptron_trainer(data="blobs")
    X, y = dl.data.blobs(20, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5, labels="pm")
    np.testing.assert_allclose(np.vstack([app.pos.get_offsets(), app.neg.get_offsets()]),
                               np.vstack([X[y == 1], X[y == -1]]))
    expected = dl.neurons.train_perceptron(with_bias(X), y, max_epochs=10)
    assert expected.converged
    app.controls["step"].value = app.controls["step"].max
    np.testing.assert_allclose(app.weights(), expected.w)
    np.testing.assert_array_equal(app.err_line.get_ydata(), expected.errors_per_epoch)
    for _ in range(3):
        app.controls["next"].click()
    assert app.controls["step"].value == app.controls["step"].max
    assert "converges" in app.state()["status"]


@lec03
def test_xor_cycles_and_matches_train_perceptron():
    app = perceptron_trainer(data="XOR", max_epochs=8)
    X, y = dl.data.boolean_table("XOR", labels="pm")
    with pytest.warns(dl.neurons.DidNotConverge):
        expected = dl.neurons.train_perceptron(with_bias(X), y, max_epochs=8)
    app.controls["step"].value = app.controls["step"].max
    assert app.controls["step"].max == 8 * 4
    np.testing.assert_array_equal(app.err_line.get_ydata(), expected.errors_per_epoch)
    np.testing.assert_allclose(app.weights(), expected.w)
    status = app.state()["status"]
    assert "No error-free epoch" in status and "cycles" in status
    app.controls["max_epochs"].value = 3
    assert app.controls["step"].max == 12 and app.controls["step"].value == 0


@lec03
def test_sign_zero_toggle_changes_the_mistakes():
    X, y = np.array([[1.0, -1.0], [2.0, 1.0]]), np.array([1, 1])
    app = perceptron_trainer(X=X, y=y, bias=False)
    assert app.controls["data"].value == "custom"
    app.controls["next"].click()  # w . x = 0: sign(0) = +1 = y, a match
    np.testing.assert_allclose(app.weights(), [0, 0])
    app.controls["sign0"].value = 0
    assert app.controls["step"].value == 0
    app.controls["next"].click()  # np.sign(0) = 0 != y: a mistake, w = y x
    np.testing.assert_allclose(app.weights(), [1, -1])
    assert "ŷ = 0;" in app.state()["step"]


@lec03
def test_custom_data_with_bias_and_switching_presets():
    X, y = dl.data.blobs(12, std=0.3, labels="pm", seed=4)
    app = perceptron_trainer(X=X, y=y)
    assert app.controls["bias"].value
    expected = dl.neurons.train_perceptron(with_bias(X), y)
    app.controls["step"].value = app.controls["step"].max
    np.testing.assert_allclose(app.weights(), expected.w)
    app.controls["data"].value = "slide example"
    assert not app.controls["bias"].value and app.controls["step"].max == 4
    app.controls["data"].value = "custom"
    assert app.controls["bias"].value


@lec03
def test_bias_toggle_on_xor():
    app = perceptron_trainer(data="XOR")
    app.controls["bias"].value = False
    X, y = dl.data.boolean_table("XOR", labels="pm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dl.neurons.DidNotConverge)
        expected = dl.neurons.train_perceptron(X, y, max_epochs=10)
    app.controls["step"].value = app.controls["step"].max
    np.testing.assert_allclose(app.weights(), expected.w)
    assert app.weights().shape == (2,)


@lec03
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"data": "moons"}, "data must be one of"),
    ({"sign_zero": -1}, "sign_zero must be 1"),
    ({"X": np.zeros((3, 2))}, "give both X"),
    ({"X": np.zeros((2, 2)), "y": [0, 1]}, r"\{-1, \+1\}"),
    ({"X": np.zeros((2, 3)), "y": [1, -1]}, r"\(N, 2\)"),
    ({"X": np.zeros((2, 2)), "y": [1, -1, 1]}, "N=2"),
    ({"max_epochs": 0}, ">= 1"),
])
def test_trainer_bad_presets(kwargs, match):
    with pytest.raises(ValueError, match=match):
        perceptron_trainer(**kwargs)
