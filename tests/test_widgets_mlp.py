"""Lecture 5 widgets, headless: build, move controls, assert on the plotted data and readouts."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import dlcore as dl

pytestmark = pytest.mark.lec05

ORANGE, BLUE = to_rgba(dl.viz.PALETTE["orange"]), to_rgba(dl.viz.PALETTE["blue"])
SQUARE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _step(z):
    return (np.asarray(z) >= 0).astype(int)


def redraw_matches_full_draw(app, *changes, width: int = 848):
    """Set the controls in ``changes`` ((name, value) pairs) one at a time, as a learner would,
    and check that the widget's cheap redraws (blitting, redrawing only what changed) leave
    exactly the pixels of a full draw.  Returns how many full draws the changes needed.

    Headless, ipympl's ``draw_idle`` waits for a browser that never asks: here it draws.
    """
    canvas = app.fig.canvas
    canvas.syncing_data_url = False
    full = []
    canvas.draw_idle = lambda: (full.append(1), canvas.draw())
    app.fit(width)
    canvas.draw()
    full.clear()
    for name, value in changes:
        app.controls[name].value = value
    shown = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    redrawn = np.asarray(canvas.buffer_rgba())
    diff = np.abs(shown.astype(int) - redrawn.astype(int)).max(axis=2)
    assert (diff > 40).sum() == 0 and (diff > 0).sum() < 30, \
        f"{(diff > 0).sum()} pixels differ from a full draw"
    return len(full)


def _xor_net(v_or, v_and, c, X):
    """The OR/AND threshold net written out with inequalities."""
    h_or, h_and = _step(X.sum(axis=1) - 0.5), _step(X.sum(axis=1) - 1.5)
    return _step(v_or * h_or + v_and * h_and + c)


# xor_network ---------------------------------------------------------------------------------

def test_xor_network_default_computes_xor():
    app = dl.widgets.xor_network()
    assert "computes XOR (4 of 4 rows)" in app.state()["verdict"]
    colours = [to_rgba(c) for c in app.pts_in.get_facecolors()]
    expected = dl.data.boolean_table("XOR")[1]
    assert colours == [ORANGE if e else BLUE for e in expected]
    img = app.img_in.get_array()
    np.testing.assert_array_equal(img.ravel(), _xor_net(1, -1, -0.5, app._grid))
    assert "(0,1), (1,0)" in app.summary
    assert "x1 x2 | h_OR h_AND" in app.state()["table"]


@pytest.mark.parametrize("v_or, v_and, c, name", [(1, 0, -0.5, "OR"), (0, 1, -0.5, "AND"),
                                                  (-1, 1, 0.5, "XNOR")])
def test_xor_network_other_gates(v_or, v_and, c, name):
    app = dl.widgets.xor_network()
    app.controls["v_or"].value = v_or
    app.controls["v_and"].value = v_and
    app.controls["bias"].value = c
    out = _xor_net(v_or, v_and, c, SQUARE)
    np.testing.assert_array_equal(out, dl.data.boolean_table(name)[1])
    assert f"computes {name}" in app.state()["verdict"]
    np.testing.assert_array_equal(app.img_h.get_array().ravel(),
                                  _step(v_or * app._grid[:, 0] + v_and * app._grid[:, 1] + c))


def test_xor_network_hidden_line_is_the_output_boundary():
    app = dl.widgets.xor_network(output_weights=(1.5, -2.0), output_bias=-0.7)
    xs, ys = app.line_h.get_data()
    np.testing.assert_allclose(1.5 * np.asarray(xs) - 2.0 * np.asarray(ys) - 0.7, 0, atol=1e-12)
    app.controls["v_and"].value = 0.0  # vertical boundary h_OR = 0.7 / 1.5
    xs, _ = app.line_h.get_data()
    np.testing.assert_allclose(xs, 0.7 / 1.5)


def test_xor_network_redraws_only_the_regions_and_points():
    app = dl.widgets.xor_network()
    assert app.img_in in app._dynamic and app.pts_h in app._dynamic
    assert app.line_h in app._dynamic and app.ax_in.get_legend() is None  # legend under both
    assert len(app.fig.legends) == 1
    assert redraw_matches_full_draw(app, ("v_or", 0.4), ("bias", 0.6), ("v_and", 1.3)) == 0


def test_xor_network_bad_presets():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        dl.widgets.xor_network(output_weights=(1, 2, 3))
    with pytest.raises(ValueError, match="non-finite"):
        dl.widgets.xor_network(output_bias=float("inf"))


# xor_network(mine=...): the learner's forward pass beside dlcore's ---------------------------

def _my_threshold_forward(X, W1, b1, W2, b2):
    return _step(_step(X @ W1.T + b1) @ W2.T + b2).astype(float)


def _strict_forward(X, W1, b1, W2, b2):  # step(0) = 0: a sum of exactly 0 does not fire
    strict = lambda z: (np.asarray(z) > 0).astype(float)  # noqa: E731
    return strict(strict(X @ W1.T + b1) @ W2.T + b2)


def test_xor_network_with_a_correct_forward_pass():
    app = dl.widgets.xor_network(mine=_my_threshold_forward)
    assert app.mismatch is not None and not app.mismatch.any()
    assert "all 4 outputs match" in app.state()["mine"]
    np.testing.assert_array_equal(app.output, [0, 1, 1, 0])
    assert len(app.bad_in.get_offsets()) == 0 and "≠" not in app.state()["table"]
    np.testing.assert_array_equal(app.img_in.get_array().ravel(), _xor_net(1, -1, -0.5,
                                                                            app._grid))
    assert "mine" not in dl.widgets.xor_network().state()


def test_xor_network_marks_the_inputs_a_wrong_forward_pass_gets_wrong():
    app = dl.widgets.xor_network(mine=_strict_forward)
    assert not app.mismatch.any()  # the sums are +-0.5 here: step(0) never matters
    app.controls["bias"].value = 0.0
    # output sums v_or h_or + v_and h_and + 0: 0 on (0,0) and on (1,1), where step(0) = 1
    np.testing.assert_array_equal(app.mismatch, [True, False, False, True])
    assert "2 of 4 outputs differ" in app.state()["mine"]
    np.testing.assert_array_equal(app.output, [0, 1, 1, 0])
    np.testing.assert_array_equal(app.bad_in.get_offsets(), [[0, 0], [1, 1]])
    assert len(app.bad_h.get_offsets()) == 2
    table = app.state()["table"]
    assert table.count("0≠1") == 2
    (w1, b1), (w2, b2) = app.layers()
    shading = app.img_in.get_array().ravel()  # the input-space shading is your network's too
    np.testing.assert_array_equal(shading, _strict_forward(app._grid, w1, b1, w2, b2)[:, 0])
    assert not np.array_equal(shading, _xor_net(1, -1, 0.0, app._grid))
    colours = [to_rgba(c) for c in app.pts_in.get_facecolors()]
    assert colours == [BLUE, ORANGE, ORANGE, BLUE]  # your outputs, crossed where wrong
    assert redraw_matches_full_draw(app, ("bias", -0.5), ("bias", 0.0)) == 0


def test_xor_network_shows_an_error_and_keeps_working():
    def broken(X, W1, b1, W2, b2):
        return X @ W2  # (4, 2) @ (1, 2): the shapes do not fit

    def blank(X, W1, b1, W2, b2):
        raise NotImplementedError

    app = dl.widgets.xor_network(mine=broken)
    message = app.state()["mine"]
    assert "broken raised ValueError" in message and "output unit (1, -1), bias -0.5" in message
    assert app.mismatch is None
    np.testing.assert_array_equal(app.output, [0, 1, 1, 0])  # dlcore's
    app.controls["v_and"].value = 0.0  # still answers the sliders: OR
    np.testing.assert_array_equal(app.output, [0, 1, 1, 1])
    assert "not written yet" in dl.widgets.xor_network(mine=blank).state()["mine"]
    assert "not written yet" in \
        dl.widgets.xor_network(mine=lambda X, W1, b1, W2, b2: None).state()["mine"]
    shape = dl.widgets.xor_network(mine=lambda X, W1, b1, W2, b2: X @ W1.T).state()["mine"]
    assert "returned shape (4, 2)" in shape and "correct shape is (4, 1)" in shape
    with pytest.raises(TypeError, match="mine must be your forward function"):
        dl.widgets.xor_network(mine=[0, 1, 1, 0])


# layer_counter -------------------------------------------------------------------------------

def test_layer_counter_default_is_the_3_4_2_example():
    app = dl.widgets.layer_counter()
    assert app.state()["counts"].startswith("6 neurons, 20 weights, 26 parameters")
    assert len(app.arts["edges"].get_segments()) == 20
    assert len(app.arts["bias_edges"].get_segments()) == 6
    assert len(app.arts["neurons"].get_offsets()) == 9
    assert "(3+1)x4 + (4+1)x2 = 26" in app.state()["formula"]
    assert app.controls["hidden2"].disabled and not app.controls["hidden1"].disabled


def test_layer_counter_follows_the_sliders():
    app = dl.widgets.layer_counter()
    app.controls["n_hidden"].value = 2
    app.controls["hidden2"].value = 3
    # 3-4-3-2 by hand: neurons 4 + 3 + 2, weights 12 + 12 + 6, parameters + 9 biases.
    assert app.sizes() == [3, 4, 3, 2]
    assert app.state()["counts"].startswith("9 neurons, 30 weights, 39 parameters")
    assert len(app.arts["edges"].get_segments()) == 30
    assert "3-4-3-2 network" in app.ax.get_title()
    app.controls["bias"].value = False
    assert len(app.arts["bias_edges"].get_segments()) == 0
    app.controls["n_hidden"].value = 0
    assert app.state()["counts"].startswith("2 neurons, 6 weights, 8 parameters")


def test_layer_counter_unused_layers_are_disabled_and_say_why():
    app = dl.widgets.layer_counter()
    h2, h3 = app.controls["hidden2"], app.controls["hidden3"]
    assert h2.disabled and "no effect" in h2.tooltip and "raise 'hidden layers'" in h2.tooltip
    app.controls["n_hidden"].value = 2
    assert not h2.disabled and h2.tooltip == "neurons in hidden layer 2"
    assert h3.disabled and "2 hidden layers" in h3.tooltip
    app.controls["n_hidden"].value = 0
    assert app.controls["hidden1"].disabled and "0 hidden layers" in app.controls[
        "hidden1"].tooltip


def test_layer_counter_keeps_its_axes_and_redraws_the_diagram():
    app = dl.widgets.layer_counter()
    limits = (app.ax.get_xlim(), app.ax.get_ylim())
    full = redraw_matches_full_draw(app, ("n_hidden", 3), ("hidden3", 8), ("inputs", 1),
                                    ("bias", False), ("n_hidden", 0))
    assert full == 0 and (app.ax.get_xlim(), app.ax.get_ylim()) == limits
    names = [t.get_text() for t in app.layer_names if t.get_visible()]
    assert names == ["input", "output"]
    xs = np.unique(app.arts["neurons"].get_offsets()[:, 0])
    assert xs.min() >= limits[0][0] and xs.max() <= limits[0][1]  # the diagram stays inside


def test_layer_counter_controls_follow_the_width():
    app = dl.widgets.layer_counter()
    app.fit(1488)  # wide: the controls beside the figure, one per line
    assert app._body.layout.flex_flow == "row"
    assert len(app._controls_box.children) == len(app.controls)
    app.fit(848)  # a notebook beside the file browser: controls above, two or three a line
    assert app._body.layout.flex_flow == "column" and len(app._controls_box.children) == 3


@pytest.mark.parametrize("sizes, exc, match", [
    ([3], ValueError, "2 to 5 widths"), ([3, 9, 2], ValueError, r"\[1, 8\]"),
    ([3, 0, 2], ValueError, ">= 1"), ("342", TypeError, "list of layer widths"),
])
def test_layer_counter_bad_presets(sizes, exc, match):
    with pytest.raises(exc, match=match):
        dl.widgets.layer_counter(sizes)


# half_plane_regions --------------------------------------------------------------------------

def _inside(X, angles, offsets):
    t = np.radians(np.asarray(angles, dtype=float))
    return (X[:, :1] * np.cos(t) + X[:, 1:] * np.sin(t)) >= np.asarray(offsets)


def test_half_plane_regions_intersection_then_union():
    X, y = dl.data.moons()
    P = dl.neurons.MOONS_HALF_PLANES
    inside = _inside(X, P["angles"], P["offsets"])
    app = dl.widgets.half_plane_regions()
    acc3 = np.mean(inside[:, :3].all(axis=1) == y)
    assert f"accuracy {acc3:.1%}" in app.state()["accuracy"]
    app.controls["n_active"].value = 6
    acc6 = np.mean(inside.all(axis=1) == y)
    assert f"accuracy {acc6:.1%}" in app.state()["accuracy"]
    app.controls["mode"].value = "or"
    union = np.mean((inside[:, :3].all(axis=1) | inside[:, 3:].all(axis=1)) == y)
    assert f"accuracy {union:.1%}" in app.state()["accuracy"]
    assert union > acc3 > acc6
    grid_in = _inside(app._grid, P["angles"], P["offsets"])
    expected = grid_in[:, :3].all(axis=1) | grid_in[:, 3:].all(axis=1)
    np.testing.assert_array_equal(app.img.get_array().ravel(), expected)
    assert all(line.get_visible() for line in app.lines)


def test_half_plane_regions_editing_moves_one_boundary():
    app = dl.widgets.half_plane_regions(n_active=2)
    assert not app.lines[2].get_visible()
    app.controls["edit"].value = 1
    assert app.controls["angle"].value == dl.neurons.MOONS_HALF_PLANES["angles"][1]
    app.controls["angle"].value = 45
    app.controls["offset"].value = 0.5
    assert app.angles[1] == 45 and app.offsets[1] == 0.5
    xs, ys = app.lines[1].get_data()
    np.testing.assert_allclose((np.asarray(xs) + np.asarray(ys)) / np.sqrt(2), 0.5)
    assert to_rgba(app.lines[1].get_color()) == to_rgba(dl.viz.PALETTE["vermillion"])
    assert app.angles[0] == dl.neurons.MOONS_HALF_PLANES["angles"][0]  # the others stay put
    X, y = dl.data.moons()
    ins = _inside(X, app.angles[:2], app.offsets[:2]).all(axis=1)
    assert f"accuracy {np.mean(ins == y):.1%}" in app.state()["accuracy"]


def test_half_plane_regions_edits_only_planes_in_use():
    app = dl.widgets.half_plane_regions(n_active=4)
    edit = app.controls["edit"]
    assert list(edit.options) == [("half-plane 1", 0), ("half-plane 2", 1),
                                  ("half-plane 3", 2), ("half-plane 4", 3)]
    edit.value = 3
    assert app.controls["angle"].value == dl.neurons.MOONS_HALF_PLANES["angles"][3]
    app.controls["n_active"].value = 2  # plane 4 is no longer in use: edit the last one
    assert edit.value == 1 and len(edit.options) == 2
    assert app.controls["angle"].value == dl.neurons.MOONS_HALF_PLANES["angles"][1]
    assert app.angles[3] == dl.neurons.MOONS_HALF_PLANES["angles"][3]  # nothing was overwritten
    app.controls["n_active"].value = 6
    assert edit.value == 1 and len(edit.options) == 6


def test_half_plane_regions_mode_says_when_the_union_is_the_intersection():
    app = dl.widgets.half_plane_regions(n_active=3, mode="or")
    assert "one group" in app.controls["mode"].tooltip
    app.controls["n_active"].value = 5
    assert app.controls["mode"].tooltip == "how the hidden units are combined"


def test_half_plane_regions_redraws_without_a_full_draw():
    app = dl.widgets.half_plane_regions()
    assert app.img in app._dynamic and app.ax.title in app._dynamic
    assert app.ax.get_legend() not in app._dynamic  # beside the plot, drawn once
    assert redraw_matches_full_draw(app, ("n_active", 6), ("edit", 4), ("angle", 120.0),
                                    ("mode", "or"), ("offset", 0.5)) == 0


def test_half_plane_regions_bad_presets():
    with pytest.raises(ValueError, match="1 to 6 values"):
        dl.widgets.half_plane_regions(angles=[0] * 7, offsets=[0] * 7)
    with pytest.raises(ValueError, match="'and', 'or'"):
        dl.widgets.half_plane_regions(mode="xor")
    with pytest.raises(ValueError, match=r"\[1, 6\]"):
        dl.widgets.half_plane_regions(n_active=7)
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        dl.widgets.half_plane_regions(data=(np.ones((5, 3)), np.zeros(5)))


# tower_builder -------------------------------------------------------------------------------

def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_tower_builder_default_plateaus():
    app = dl.widgets.tower_builder()
    x, y = app.l_out.get_data()
    expected = 1 + 2 * _sig(10 * (x + 1)) + 1 * _sig(10 * (x - 1))
    np.testing.assert_allclose(y, expected, atol=1e-12)
    assert [line.get_ydata()[0] for line in app.plateaus] == [1, 3, 4]  # b, a, a + c - b
    assert y[0] == pytest.approx(1, abs=1e-3) and y[-1] == pytest.approx(4, abs=1e-3)
    assert "a + c - b = 4, not c = 2" in app.state()["steps"]
    app.controls["c"].value = 3.0
    assert app.plateaus[2].get_ydata()[0] == pytest.approx(5.0)


def test_tower_builder_sin_approximation_and_error():
    app = dl.widgets.tower_builder()
    app.controls["n_towers"].value = 12
    x, y = app.l_fn.get_data()
    n, k = 12, app.controls["tower_k"].value
    t = np.linspace(0, 2 * np.pi, n + 1)
    h = np.sin((t[:-1] + t[1:]) / 2)
    expected = sum(h[i] * (_sig(k * (x - t[i])) - _sig(k * (x - t[i + 1]))) for i in range(n))
    np.testing.assert_allclose(y, expected, atol=1e-10)
    np.testing.assert_allclose(app.l_err.get_ydata(), np.abs(expected - np.sin(x)), atol=1e-10)
    assert app.l_now.get_data()[0][0] == 12
    assert "1-24-1 network, 73 parameters" in app.state()["towers"]
    assert len(app.l_n.get_xdata()) == 40


def test_tower_builder_accepts_a_learner_function():
    app = dl.widgets.tower_builder(fn=lambda x: x ** 2, fn_name="x^2", lo=-1.0, hi=1.0,
                                   n_towers=4, tower_k=200.0)
    x, y = app.l_fn.get_data()
    inside = (x > -0.9) & (x < -0.6)  # the first tower: height (-0.75)^2
    np.testing.assert_allclose(y[inside], 0.5625, atol=1e-3)
    assert "x^2" in app.summary


def test_tower_builder_error_curve_is_the_networks_error():
    from dlcore.nn import tower_mlp, tower_sum_weights

    app = dl.widgets.tower_builder()
    x, target = app._x_fn, np.sin(app._x_fn)
    for n in (1, 7, 40):
        approx = tower_mlp(*tower_sum_weights(np.sin, n, 50.0, 0.0, 2 * np.pi))(x[:, None])
        assert app.l_n.get_ydata()[n - 1] == pytest.approx(np.max(np.abs(approx[:, 0] -
                                                                           target)), rel=1e-9)


def test_tower_builder_blits_and_keeps_its_axes_on_small_steps():
    app = dl.widgets.tower_builder()
    ylim = app.ax_step.get_ylim()
    full = redraw_matches_full_draw(app, ("a", 3.1), ("a", 3.0), ("k", 12.0), ("m1", -0.8),
                                    ("n_towers", 9), ("n_towers", 8))
    assert full == 0 and app.ax_step.get_ylim() == ylim
    app.controls["a"].value = 5.0  # the top plateau leaves the axes: they grow
    assert app.ax_step.get_ylim()[1] > 5 + 2.0 - 1.0
    redraw_matches_full_draw(app, ("tower_k", 300.0), ("b", -2.0))


# tower_builder(mine=...): the sum of the learner's towers beside dlcore's ---------------------

def _my_tower(x, m1, m2, k):
    return 0.5 * (np.tanh(0.5 * k * (x - m1)) - np.tanh(0.5 * k * (x - m2)))  # sigma = tanh


def _sin_towers(x, n, k, tower):
    t = np.linspace(0, 2 * np.pi, n + 1)
    h = np.sin((t[:-1] + t[1:]) / 2)
    return sum(h[i] * tower(x, t[i], t[i + 1], k) for i in range(n))


def test_tower_builder_with_a_correct_tower():
    app = dl.widgets.tower_builder(mine=_my_tower)
    assert app.mismatch is not None and not app.mismatch.any()
    assert "all 500 points match the sum of dlcore's towers" in app.state()["mine"]
    assert len(app.l_bad.get_xdata()) == 0 and len(app.l_ref.get_xdata()) == 0
    x, y = app.l_fn.get_data()
    np.testing.assert_allclose(y, _sin_towers(x, 8, 50.0, _my_tower), atol=1e-10)
    assert "mine" not in dl.widgets.tower_builder().state()


def test_tower_builder_marks_the_points_a_wrong_tower_gets_wrong():
    def shift_not_scaled(x, m1, m2, k):  # sigma(k x - m1): the step sits at m1 / k
        return _sig(k * x - m1) - _sig(k * x - m2)

    app = dl.widgets.tower_builder(mine=shift_not_scaled, n_towers=2, tower_k=10.0)
    x = app._x_fn
    yours = _sin_towers(x, 2, 10.0, shift_not_scaled)
    right = _sin_towers(x, 2, 10.0, _my_tower)
    expected = ~np.isclose(yours, right, rtol=1e-6, atol=1e-9)
    assert expected.any()
    np.testing.assert_array_equal(app.mismatch, expected)
    assert f"{int(expected.sum())} of 500 points differ" in app.state()["mine"]
    np.testing.assert_allclose(app.l_fn.get_ydata(), yours, atol=1e-12)
    np.testing.assert_allclose(app.l_ref.get_ydata(), right, atol=1e-10)  # dlcore's, dashed
    marked = np.asarray(app.l_bad.get_xdata())
    assert 0 < len(marked) <= 45 and np.all(np.isin(marked, x[expected]))
    np.testing.assert_allclose(app.l_err.get_ydata(), np.abs(yours - np.sin(x)), atol=1e-12)
    assert redraw_matches_full_draw(app, ("n_towers", 3), ("n_towers", 2)) == 0


def test_tower_builder_shows_an_error_and_keeps_working():
    def broken(x, m1, m2, k):
        raise ZeroDivisionError("k")

    def blank(x, m1, m2, k):
        raise NotImplementedError

    app = dl.widgets.tower_builder(mine=broken)
    message = app.state()["mine"]
    assert "broken raised ZeroDivisionError: k" in message and "8 towers of steepness 50" in \
        message
    assert app.mismatch is None
    app.controls["n_towers"].value = 12  # still answers its sliders, with dlcore's towers
    np.testing.assert_allclose(app.l_fn.get_ydata(), _sin_towers(app._x_fn, 12, 50.0,
                                                                 _my_tower), atol=1e-10)
    assert "12 towers" in app.state()["mine"]
    assert "not written yet" in dl.widgets.tower_builder(mine=blank).state()["mine"]
    assert "not written yet" in \
        dl.widgets.tower_builder(mine=lambda x, m1, m2, k: None).state()["mine"]
    assert "returned shape (3,)" in \
        dl.widgets.tower_builder(mine=lambda x, m1, m2, k: x[:3]).state()["mine"]
    with pytest.raises(TypeError, match="mine must be your tower function"):
        dl.widgets.tower_builder(mine="my_tower")


def test_tower_builder_weights_are_written_for_people():
    app = dl.widgets.tower_builder(tower_k=1000.0)
    towers = app.state()["towers"]
    assert "w1 = [1,000, 1,000]" in towers and "e+" not in towers


def test_tower_builder_fits_a_notebook():
    app = dl.widgets.tower_builder()
    app.fit(848)
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w <= 836 and h <= 500  # with 4 rows of sliders, under 900 px in all
    app.fit(1488)
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert 900 < w <= 1476 and h <= 540  # wider, not much higher
    assert len(app._controls_box.children) == 4
    assert app.ax_step.get_legend().get_bbox_to_anchor().y1 < app.ax_step.bbox.y0


def test_tower_builder_bad_presets():
    with pytest.raises(TypeError, match="function"):
        dl.widgets.tower_builder(fn=3)
    with pytest.raises(ValueError, match=r"\[1, 40\]"):
        dl.widgets.tower_builder(n_towers=41)
    with pytest.raises(ValueError, match="pair"):
        dl.widgets.tower_builder(m=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"shape \(N,\)"):
        dl.widgets.tower_builder(fn=lambda x: np.ones(3))
