"""Widgets of lectures 2-3 (dlcore.widgets.neurons), built headless: controls in, plots out.

Expected values come from ``dl.neurons`` (mp_neuron, step, train_perceptron), ``dl.data``,
the course's lecture map (movie neuron: θ = 3 fires only for (1,1,1), θ = 0 for all 8; the
slides' perceptron trace w = (0,0) -> (-1,1) -> (-1,1)) or closed forms; never from the
widgets.
"""

import itertools
import re
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgb

import dlcore as dl
from dlcore.widgets.neurons import mp_neuron_playground, perceptron_trainer, threshold_plane
from tests.widget_helpers import blit_check

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
    table = app.state()["table"]
    # on its side: a row of inputs, a row of sums, a row of outputs, 8 columns each
    assert table.count("<tr") == 3 and table.count("<td") == 2 * 8
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    assert cells[1:9] == ["".join(map(str, r)) for r in X3.astype(int)]
    assert cells[10:18] == [f"{v:g}" for v in X3.sum(axis=1)]
    assert cells[19:27] == ["0"] * 7 + ["1"]
    bold = re.findall(r"<t[hd] style='[^']*font-weight:bold[^']*'>([^<]*)<", table)
    assert bold == ["101", "2", "0"]  # the current input's column


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
    from matplotlib.path import Path

    app = threshold_plane(w=(1.5, -0.5), theta=0.3, target="NOR")
    g = np.linspace(-0.49, 1.49, 67)
    pts = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    inside = Path(app.region.get_xy()).contains_points(pts)
    expected = dl.neurons.step(pts @ np.array([1.5, -0.5]) - 0.3).astype(bool)
    near = np.abs(pts @ np.array([1.5, -0.5]) - 0.3) < 1e-9
    np.testing.assert_array_equal(inside[~near], expected[~near])  # shaded = fires
    y_unit = dl.neurons.step(X2 @ np.array([1.5, -0.5]) - 0.3)
    wrong = y_unit != dl.data.boolean_table("NOR")[1]
    np.testing.assert_array_equal(app.wrong.get_offsets(), X2[wrong])
    # a unit that never fires on the square has no shaded region; one that always fires, all
    app.controls["theta"].value = 3.0
    app.controls["w1"].value, app.controls["w2"].value = 1.0, 1.0
    assert not app.region.get_visible()
    app.controls["theta"].value = -2.0
    assert app.region.get_visible()
    assert Path(app.region.get_xy()).contains_points(pts).all()


@lec02
def test_half_plane_polygon_clips_the_box():
    from dlcore.widgets.neurons._common import half_plane_polygon

    square = half_plane_polygon([1.0, 1.0], -1.0, (0, 1), (0, 1))  # x1 + x2 >= 1
    np.testing.assert_allclose(sorted(map(tuple, square)), [(0, 1), (1, 0), (1, 1)])
    assert half_plane_polygon([0.0, 0.0], -1.0, (0, 1), (0, 1)).shape == (0, 2)
    assert len(half_plane_polygon([0.0, 0.0], 0.0, (0, 1), (0, 1))) == 4


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


# ---- screen fit, speed, disabled controls (issue 10) --------------------------------------

def legends_inside(fig):
    fig.canvas.draw()
    width = fig.get_figwidth() * fig.dpi
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is not None:
            box = leg.get_window_extent()
            assert box.x0 >= -1 and box.x1 <= width + 1, (box, width)


@pytest.mark.parametrize("factory", [mp_neuron_playground, threshold_plane, perceptron_trainer,
                                     lambda: mp_neuron_playground(n_inputs=2)])
def test_neuron_figures_and_legends_fit(factory):
    app = factory()
    for width in (848, 1488, 800, 400):
        app.fit(width)
        w, _ = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5
        legends_inside(app.fig)


@lec02
def test_playground_controls_one_row_per_input_and_dead_presets():
    app = mp_neuron_playground()
    rows = app._controls_box.children
    assert len(rows) == 4  # x_i, w_i, inhibitory_i per row; then θ and its presets
    assert [c.description for c in rows[0].children] == [
        "x1 = 1 (isActorDamon)", "weight w1", "x1 is inhibitory"]
    p0, pn = app.controls["preset_0"], app.controls["preset_n"]
    assert pn.disabled and pn.tooltip == "θ is already 3"  # θ = 3 = n already
    assert not p0.disabled and p0.tooltip == "set the threshold θ to 0"
    p0.click()
    assert p0.disabled and p0.tooltip == "θ is already 0" and not pn.disabled


@lec02
def test_playground_sliders_are_blitted_even_when_the_range_changes():
    app = mp_neuron_playground()
    full, bad = blit_check(app, lambda: setattr(app.controls["w0"], "value", 0.5))
    assert full == 0 and bad < 30
    ylim = app.ax.get_ylim()
    full, bad = blit_check(app, lambda: setattr(app.controls["theta"], "value", -5.0))
    assert app.ax.get_ylim() != ylim  # a new range, still no full draw
    assert full == 0 and bad < 30
    assert "x = 111: fires" in app.verdict.get_text()


@lec02
def test_plane_presets_disabled_when_already_set_and_blitted():
    app = threshold_plane()  # w = (1, 1), θ = 2, AND: the AND preset would change nothing
    assert app.controls["and"].disabled and app.controls["and"].tooltip == \
        "already the AND preset"
    assert not app.controls["or"].disabled
    app.controls["or"].click()
    assert app.controls["or"].disabled and not app.controls["and"].disabled
    app.controls["w1"].value = 0.5
    assert not app.controls["or"].disabled
    assert app.readouts["corners"] in app._controls_box.children  # beside the plot
    full, bad = blit_check(app, lambda: setattr(app.controls["w2"], "value", -1.0))
    assert full == 0 and bad < 30


@lec03
def test_trainer_step_buttons_disabled_at_the_ends_and_steps_blitted():
    app = perceptron_trainer()
    nxt, reset = app.controls["next"], app.controls["reset"]
    assert reset.disabled and reset.tooltip == "already at t = 0, w = 0"
    assert not nxt.disabled
    for _ in range(app.controls["step"].max):
        nxt.click()
    assert nxt.disabled and "ends after 4 visits" in nxt.tooltip and not reset.disabled
    reset.click()
    assert reset.disabled and not nxt.disabled
    app = perceptron_trainer(data="blobs")
    full, bad = blit_check(app, lambda: setattr(app.controls["step"], "value", 9))
    assert full == 0 and bad < 30
    assert app.ax.get_title() == "Perceptron after step t = 9"
    assert app.state()["rows"].count("<tr") == 1 + 6  # the last six visits


@lec03
def test_trainer_regions_follow_the_weights():
    from matplotlib.path import Path

    app = perceptron_trainer(data="blobs")
    app.controls["step"].value = 7
    w = app.weights()
    lo, hi = app._box
    g = np.stack(np.meshgrid(np.linspace(lo[0], hi[0], 31)[1:-1],
                             np.linspace(lo[1], hi[1], 31)[1:-1]), axis=-1).reshape(-1, 2)
    score = g @ w[:2] + w[2]
    ok = np.abs(score) > 1e-9
    pos = Path(app.region_pos.get_xy()).contains_points(g)
    neg = Path(app.region_neg.get_xy()).contains_points(g)
    np.testing.assert_array_equal(pos[ok], score[ok] > 0)
    np.testing.assert_array_equal(neg[ok], score[ok] < 0)
    app.controls["step"].value = 0  # w = 0: ŷ = +1 everywhere
    assert app.region_pos.get_visible() and not app.region_neg.get_visible()


@lec02
def test_plane_keeps_its_designed_size_when_controls_go_above():
    app = threshold_plane()
    app.fit(848)  # room for controls beside the plot
    assert app._body.layout.flex_flow == "row"
    # beside the controls and the corners' table (about 345 px), at least its designed size
    assert 460 <= app.fig.get_figwidth() * app.fig.dpi <= 848 - 345 - 12
    app.fit(800)  # not enough: controls above, and the plot does not grow past its design
    assert app._body.layout.flex_flow == "column"
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w == pytest.approx(460) and h == pytest.approx(460)
    app.fit(400)
    assert app.fig.get_figwidth() * app.fig.dpi <= 388 + 0.5


# ---- mp_neuron_playground(mine=...): the learner's unit beside dlcore's --------------------

def _my_mp_neuron(X, threshold, inhibitory=()):
    X = np.asarray(X, dtype=float)
    fires = X.sum(axis=1) >= threshold
    for i in inhibitory:
        fires &= X[:, i] == 0
    return fires.astype(float)


@lec02
def test_playground_with_a_correct_unit_matches_every_row():
    app = mp_neuron_playground(threshold=2, inhibitory=(1,), mine=_my_mp_neuron)
    assert "all 8 rows match dl.neurons.mp_neuron" in app.state()["mine"]
    expected = [dl.neurons.mp_neuron(x, 2, inhibitory=(1,)) for x in X3]
    np.testing.assert_array_equal(fired_rows(app), expected)
    assert not app.mismatch.any() and "≠" not in app.state()["table"]
    assert "mine" not in mp_neuron_playground().readouts


@lec02
def test_playground_marks_the_rows_a_wrong_unit_gets_wrong():
    def strict(X, threshold, inhibitory=()):  # '>' instead of '>='
        return (np.asarray(X).sum(axis=1) > threshold).astype(float)

    app = mp_neuron_playground(threshold=2, mine=strict)
    bad = X3.sum(axis=1) == 2  # the sums equal to θ
    np.testing.assert_array_equal(app.mismatch, bad)
    assert f"{int(bad.sum())} of 8 rows differ from dl.neurons.mp_neuron" in app.state()["mine"]
    np.testing.assert_array_equal(fired_rows(app), X3.sum(axis=1) > 2)  # the learner's unit
    np.testing.assert_allclose(app.wrong_marks.get_offsets(),
                               [(2.0, r) for r in np.flatnonzero(bad)])  # at each bar's end
    assert app.state()["table"].count("0≠1") == int(bad.sum())
    app.controls["x1"].value = False  # x = (1, 0, 1): sum 2 = θ
    assert "That is your unit's output; dl.neurons.mp_neuron gives 1" in \
        app.state()["decision"]
    full, diff = blit_check(app, lambda: setattr(app.controls["theta"], "value", 1.0))
    assert full == 0 and diff == 0
    np.testing.assert_array_equal(app.mismatch, X3.sum(axis=1) == 1)


@lec02
def test_playground_shows_the_learners_error_and_keeps_working():
    def broken(X, threshold, inhibitory=()):
        return X[:, 5]

    app = mp_neuron_playground(mine=broken)
    message = app.state()["mine"]
    assert "broken raised IndexError" in message and "threshold 3" in message
    np.testing.assert_array_equal(fired_rows(app), [0] * 7 + [1])  # dlcore's unit
    app.controls["preset_0"].click()  # still answers its controls
    np.testing.assert_array_equal(fired_rows(app), [1] * 8)
    app.controls["w0"].value = 2.0
    assert "set every weight to 1 to compare it" in app.state()["mine"]

    def blank(X, threshold, inhibitory=()):
        raise NotImplementedError

    assert "not written yet" in mp_neuron_playground(mine=blank).state()["mine"]
    shape = mp_neuron_playground(mine=lambda X, threshold, inhibitory=(): np.zeros(3))
    assert "returned shape (3,)" in shape.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your McCulloch-Pitts unit"):
        mp_neuron_playground(mine=_my_mp_neuron(X3, 2))


# ---- perceptron_trainer(mine=...): the learner's step beside the rule's -----------------

def _my_perceptron_step(w, x, y):
    y_hat = 1 if w @ x >= 0 else -1
    mistake = float(y_hat != y)
    return (w + y * x if mistake else w.copy()), mistake


@lec03
def test_trainer_with_a_correct_step_matches_every_visit():
    app = perceptron_trainer(data="blobs", mine=_my_perceptron_step)
    X, y = dl.data.blobs(20, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5, labels="pm",
                         seed=0)
    w, errors = dl.neurons.train_perceptron(with_bias(X), y)
    n = 20 * len(errors)
    assert f"all {n} visits match dl.neurons.perceptron_step" in app.state()["mine"]
    app.controls["step"].value = app.controls["step"].max
    np.testing.assert_allclose(app.weights(), w)
    assert app.state()["rows"].count("≠") == 1  # only the header's 1[y ≠ ŷ]
    assert len(app.wrong.get_offsets()) == 0
    assert "mine" not in perceptron_trainer().readouts


@lec03
def test_trainer_marks_the_visits_a_wrong_step_gets_wrong():
    def numpy_sign(w, x, y):  # np.sign(0) = 0: a point on the boundary is always a mistake
        wrong = np.sign(w @ x) != y
        return (w + y * x if wrong else w.copy()), float(wrong)

    app = perceptron_trainer(data="XOR", mine=numpy_sign, max_epochs=3)
    # the learner's own run on XOR with the bias feature, and where the course rule differs
    X, y = dl.data.boolean_table("XOR", labels="pm")
    w, bad, visits = np.zeros(3), [], []
    for _ in range(3):
        for x, label in zip(with_bias(X), y):
            visits.append(x[:2])
            if w @ x == 0 and label == 1:  # the course: a match; np.sign: a mistake
                bad.append(len(visits))
            w = numpy_sign(w, x, label)[0]
    assert bad  # the boundary is met on XOR
    message = app.state()["mine"]
    assert f"{len(bad)} of {len(visits)} visits differ from dl.neurons.perceptron_step" in message
    assert "largest error" in message
    app.controls["step"].value = app.controls["step"].max
    np.testing.assert_allclose(app.weights(), w)
    np.testing.assert_allclose(app.wrong.get_offsets(), [visits[t - 1] for t in bad])
    app.controls["step"].value = bad[0]
    assert "1≠0" in app.state()["rows"]  # the mistake flag, yours≠correct
    # with numpy's rule chosen as the reference, the same step matches every visit
    app.controls["sign0"].value = 0
    assert "visits match the np.sign rule" in app.state()["mine"]


@lec03
def test_trainer_shows_the_learners_error_and_keeps_working():
    def broken(w, x, y):
        return w[7], 0.0

    def blank(w, x, y):
        raise NotImplementedError

    app = perceptron_trainer(data="blobs", mine=broken)
    message = app.state()["mine"]
    assert "broken raised IndexError" in message and "visit t = 1: w = (0, 0, 0)" in message
    assert app.mine_wrong is None
    X, y = dl.data.blobs(20, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5, labels="pm",
                         seed=0)
    app.controls["step"].value = app.controls["step"].max  # dlcore's run
    np.testing.assert_allclose(app.weights(), dl.neurons.train_perceptron(with_bias(X), y).w)
    app.controls["data"].value = "slide example"  # still answers its controls
    app.controls["next"].click()
    np.testing.assert_allclose(app.weights(), [-1.0, 1.0])
    assert "raised IndexError" in app.state()["mine"]
    assert "not written yet" in perceptron_trainer(mine=blank).state()["mine"]
    shape = perceptron_trainer(mine=lambda w, x, y: (np.zeros(5), 0.0))
    assert "returned shape (5,) for w" in shape.state()["mine"]
    one = perceptron_trainer(mine=lambda w, x, y: w)
    assert "should return 2 results (w, mistake)" in one.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your perceptron step function"):
        perceptron_trainer(mine=_my_perceptron_step(np.zeros(2), np.ones(2), 1))
    app = perceptron_trainer(data="blobs", mine=_my_perceptron_step)
    full, diff = blit_check(app, lambda: app.controls["next"].click())
    assert full == 0 and diff == 0
