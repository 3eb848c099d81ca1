"""Lecture 6 widgets, headless: step the backward pass, pick weights, vary depth, train."""

import math

import numpy as np
import pytest

import dlcore as dl
from tests.test_widgets_mlp import redraw_matches_full_draw

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.lec06


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


# graph_stepper -------------------------------------------------------------------------------

def test_graph_stepper_walks_the_worked_example():
    app = dl.widgets.graph_stepper()
    texts = [app.box_text(i) for i in app.index.values()]
    assert all(t.endswith("grad ?") for t in texts)
    assert "Step 0" in app.state()["step"]
    app.controls["next"].click()
    assert "start at the output" in app.state()["step"] and "dL/dL = 1" in app.state()["step"]
    assert app.value_grads()["L"] == 1.0 and app.value_grads()["w3"] is None
    n = app.controls["step"].max
    assert n == 11  # dL/dL = 1, then one step per operation (10 operations)
    for _ in range(n + 3):  # clicking past the end stays at the end
        app.controls["next"].click()
    grads = app.value_grads()
    assert grads["w3"] == pytest.approx(-0.0257314, abs=5e-8)
    assert grads["w2"] == pytest.approx(-0.0208467, abs=5e-8)
    assert grads["w1"] == pytest.approx(0.0078705, abs=5e-8)
    assert grads["b1"] == pytest.approx(0.0078705, abs=5e-8)
    assert "Done" in app.state()["step"] and "-0.0257314" in app.state()["step"]
    # The edge from y_hat's pre-activation into its sigmoid carries y_hat (1 - y_hat).
    y_hat = 0.667843
    labels = [a.get_text() for g, a in app._artists.items() if g.startswith("label-")]
    assert f"{y_hat * (1 - y_hat):.3g}" in labels
    assert all(labels)  # every edge derivative is shown at the end
    app.controls["prev"].click()
    assert app.controls["step"].value == n - 1
    app.controls["reset"].click()
    assert app.controls["step"].value == 0


def test_graph_stepper_shows_reused_upstream_gradients():
    app = dl.widgets.graph_stepper()
    app.controls["step"].value = 4  # the sigmoid that made y_hat
    text = app.state()["step"]
    assert "computed once and reused" in text
    assert "0.332157" in app.state()["cache"]  # dL/d(y - y_hat) = y - y_hat, cached


def test_graph_stepper_inputs_change_the_values():
    app = dl.widgets.graph_stepper()
    app.controls["step"].value = app.controls["step"].max
    app.controls["w3"].value = 1.0
    w = torch.tensor([0.5, 0.0, -1.0, 1.0], dtype=torch.float64, requires_grad=True)
    h1 = torch.sigmoid(w[0] * 1.0 + w[1])
    y_hat = torch.sigmoid(w[3] * torch.sigmoid(w[2] * h1))
    (0.5 * (1.0 - y_hat) ** 2).backward()
    assert app.value_grads()["w3"] == pytest.approx(w.grad[3].item(), rel=1e-10)
    box = app.box_text(app.index[app.root])
    assert f"data {(0.5 * (1 - y_hat) ** 2).item():.4g}" in box


def test_graph_stepper_with_a_learner_expression():
    def build(a=2.0, b=-3.0):
        c = a * b
        c.label = "c"
        return c + a

    app = dl.widgets.graph_stepper(build)
    assert set(app.controls) >= {"a", "b"}
    app.controls["step"].value = app.controls["step"].max
    grads = app.value_grads()
    assert grads["a"] == -3.0 + 1.0 and grads["b"] == 2.0  # d(ab + a)/da = b + 1
    assert "a second path" in app.state()["step"]
    app.controls["a"].value = 1.0
    assert app.value_grads()["b"] == 1.0
    app3 = dl.widgets.graph_stepper(lambda a=2.0: a.log() * a)
    app3.controls["a"].value = -1.0  # log is undefined there: reported, nothing raised
    assert "cannot be evaluated" in app3.state()["step"]
    app2 = dl.widgets.graph_stepper(lambda p, q: (p * q).tanh(), inputs={"p": 0.5, "q": 2.0})
    app2.controls["step"].value = app2.controls["step"].max
    assert app2.value_grads()["p"] == pytest.approx(2.0 * (1 - math.tanh(1.0) ** 2))


def test_graph_stepper_fits_the_width_in_rows_of_columns():
    app = dl.widgets.graph_stepper()
    app.fit(848)
    assert app._max_columns == 10
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w <= 836 and h <= 520  # with three rows of controls and the texts: under 900 px
    app.fit(1488)
    assert app._max_columns == 12 and app.fig.get_size_inches()[1] * app.fig.dpi <= 560
    assert app.box_text(app.index[app.root]).startswith("L\ndata")
    fixed = dl.widgets.graph_stepper(max_columns=6)
    fixed.fit(1488)
    assert fixed._max_columns == 6
    texts = [t for t in app.ax.texts if t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= 7.5


def test_graph_stepper_previous_and_next_are_off_at_the_ends():
    app = dl.widgets.graph_stepper()
    prev, nxt = app.controls["prev"], app.controls["next"]
    assert prev.disabled and "forward pass" in prev.tooltip and not nxt.disabled
    app.controls["step"].value = 5
    assert not prev.disabled and not nxt.disabled
    assert nxt.tooltip == "run the next local backward"
    app.controls["step"].value = app.controls["step"].max
    assert nxt.disabled and "complete" in nxt.tooltip and not prev.disabled


def test_graph_stepper_numbers_are_written_for_people():
    app = dl.widgets.graph_stepper(lambda a=2e-5, b=3e4: a * b, inputs=None)
    app.controls["step"].value = app.controls["step"].max
    text = app.state()["step"] + app.state()["cache"] + app.box_text(0) + app.box_text(1)
    assert "e-0" not in text and "e+0" not in text
    assert "data 30,000" in text and "data 2 × 10⁻⁵" in text


def test_graph_stepper_redraws_only_what_a_step_changes():
    app = dl.widgets.graph_stepper()
    assert redraw_matches_full_draw(app, ("step", 3), ("step", 4), ("step", 11), ("w1", 0.7),
                                    ("step", 2), ("x", -0.5), ("step", 0)) == 0
    drawn = []
    app.fig.draw_artist = lambda a: drawn.append(a)
    app.controls["step"].value = 1  # the output's grad becomes 1: its box only
    root = app.index[app.root]
    assert {a.get_gid() for a in drawn} <= {f"box-{root}", f"value-{root}-2"}
    assert drawn


def test_graph_stepper_bad_presets():
    with pytest.raises(TypeError, match="must return a Value"):
        dl.widgets.graph_stepper(lambda a=1.0: 3.0)
    with pytest.raises(ValueError, match=r"inputs\['b'\] must be a finite number"):
        dl.widgets.graph_stepper(lambda a=1.0, b=None: a)
    with pytest.raises(ValueError, match="missing: q"):
        dl.widgets.graph_stepper(lambda p=1.0, *, q: p * q)
    with pytest.raises(ValueError, match="do not match"):
        dl.widgets.graph_stepper(lambda p, q: p * q, inputs={"p": 1.0, "z": 2.0})
    with pytest.raises(ValueError, match="finite number"):
        dl.widgets.graph_stepper(lambda p: p * 2.0, inputs={"p": float("nan")})
    with pytest.raises(TypeError, match="function"):
        dl.widgets.graph_stepper(build=3)
    with pytest.raises(ValueError, match=">= 2"):
        dl.widgets.graph_stepper(max_columns=1)


# graph_stepper(mine=...): the learner's local backward rules in the graph ----------------------

def _ab_plus_a(a=2.0, b=-3.0):
    c = a * b
    c.label = "c"
    out = c + a
    out.label = "out"
    return out


def _tanh_neuron(x1=2.0, w1=-3.0, x2=0.0, w2=1.0, b=6.88):
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_graph_stepper_with_correct_rules_matches_every_gradient():
    def mul(a, b, dout):
        return b * dout, a * dout

    def tanh(x, dout):
        return (1.0 - math.tanh(x) ** 2) * dout

    app = dl.widgets.graph_stepper(mine=mul)
    assert app.mismatch and not any(app.mismatch.values())
    # four multiplications in the thin chain (w1 x, w2 h1, w3 h2 and 1/2 times the square)
    assert "run at 4 multiplication nodes: all 8 gradients match" in app.state()["mine"]
    app.controls["step"].value = app.controls["step"].max
    assert app.mine_grads()["w3"] == pytest.approx(-0.0257314, abs=5e-8)
    assert not any("≠" in app.box_text(i) for i in app.index.values())

    neuron = dl.widgets.graph_stepper(_tanh_neuron, mine={"*": mul, "tanh": tanh})
    assert "run at 3 multiplication or tanh nodes: all 5 gradients match" in \
        neuron.state()["mine"]
    neuron.controls["step"].value = neuron.controls["step"].max
    slope = 1.0 - math.tanh(2.0 * -3.0 + 6.88) ** 2
    assert neuron.mine_grads()["w1"] == pytest.approx(2.0 * slope, rel=1e-12)
    assert "mine" not in dl.widgets.graph_stepper().state()


def test_graph_stepper_marks_what_a_wrong_rule_gets_wrong():
    def swapped(a, b, dout):  # each input gets its own value instead of the other's
        return a * dout, b * dout

    app = dl.widgets.graph_stepper(_ab_plus_a, mine=swapped)
    assert app.mismatch == {"c": True}
    # c = a * b with a = 2, b = -3 and upstream 1: yours (2, -3), correct (-3, 2)
    message = app.state()["mine"]
    assert "2 of 2 gradients differ" in message and "largest error is 5" in message
    assert "multiplication that made c: yours 2, correct -3" in message
    app.controls["step"].value = app.controls["step"].max
    assert app.mine_grads()["a"] == pytest.approx(2.0 + 1.0)   # through c and directly
    assert app.value_grads()["a"] == pytest.approx(-3.0 + 1.0)
    assert app.box_text(app.index[app.root.args[0].args[0]]).endswith("grad 3≠-2")
    assert app.box_text(app.index[app.root]).endswith("grad 1")  # above c: unchanged
    app.controls["step"].value = 3  # the multiplication's own step (after dout = 1, then +)
    assert "Your rule swapped gives da = 2, db = -3 here; dlcore's gives da = -3, db = 2" in \
        app.state()["step"]
    app.controls["b"].value = 1.0  # the controls still work: a new pass with your rule
    assert app.mismatch == {"c": True} and "largest error is 1," in app.state()["mine"]
    app.controls["b"].value = 2.0  # with a = b, swapping the inputs cannot be seen
    assert app.mismatch == {"c": False} and "all 2 gradients match" in app.state()["mine"]

    def no_square(x, dout):
        return (1.0 - math.tanh(x)) * dout

    neuron = dl.widgets.graph_stepper(_tanh_neuron, mine={"tanh": no_square})
    assert neuron.mismatch == {"o": True}
    assert "1 of 1 gradients differs" in neuron.state()["mine"]


def test_graph_stepper_shows_an_error_in_a_rule_and_keeps_working():
    def broken(a, b, dout):
        raise ValueError("oops")

    def blank(a, b, dout):
        raise NotImplementedError

    app = dl.widgets.graph_stepper(_ab_plus_a, mine=broken)
    message = app.state()["mine"]
    assert "broken raised ValueError: oops" in message
    assert "multiplication node c: inputs 2, -3, upstream 1" in message
    assert "dlcore's rule" in message
    app.controls["step"].value = app.controls["step"].max
    assert app.mine_grads()["a"] == app.value_grads()["a"] == -2.0
    app.controls["a"].value = 1.0
    assert app.value_grads()["b"] == 1.0 and "raised ValueError" in app.state()["mine"]
    assert "not written yet (it raises NotImplementedError)" in \
        dl.widgets.graph_stepper(mine=blank).state()["mine"]
    returns_none = dl.widgets.graph_stepper(mine=lambda a, b, dout: None).state()["mine"]
    assert "returns None" in returns_none or "returned a NoneType" in returns_none
    assert "not written yet (it returns None)" in \
        dl.widgets.graph_stepper(mine={"tanh": lambda x, dout: None},
                                 build=_tanh_neuron).state()["mine"]
    assert "should return 2 results (da, db)" in \
        dl.widgets.graph_stepper(mine=lambda a, b, dout: a * b).state()["mine"]
    assert "is not used" in dl.widgets.graph_stepper(mine={"tanh": blank}).state()["mine"]
    with pytest.raises(TypeError, match="mine must be your local backward function"):
        dl.widgets.graph_stepper(mine=3.0)
    with pytest.raises(ValueError, match="rule for 'sin'"):
        dl.widgets.graph_stepper(mine={"sin": blank})


# path_sums -----------------------------------------------------------------------------------

def _torch_grads(x, weights, y):
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    h = torch.tensor(x, dtype=torch.float64)
    for w in ws:
        h = torch.sigmoid(w @ h)
    torch.nn.functional.binary_cross_entropy(h, torch.tensor([float(y)],
                                                             dtype=torch.float64)).backward()
    return [w.grad.numpy() for w in ws]


def test_path_sums_default_weight_has_two_paths():
    app = dl.widgets.path_sums()
    net = dl.engine.PATH_NET
    g = _torch_grads(net["x"], net["weights"], 1.0)[0][1, 1]  # w1_22: unit 2 from x2
    paths = app.paths()
    assert len(paths) == 2
    assert sum(p.product for p in paths) == pytest.approx(g, rel=1e-10)
    assert f"{g:.6g}" in app.state()["total"] and "Sum over 2 path(s)" in app.state()["total"]
    assert "path 2: w1_22 -> z₂(1) -> z₂(2) -> y_hat -> L" in app.state()["paths"]
    coloured = [lab for lab, e in app.edges.items() if e.get_linewidth() == 3.0]
    assert sorted(coloured) == ["w2_12", "w2_22", "w3_11", "w3_12"]
    assert app.edges["w1_22"].get_linestyle() == "--"


def test_path_sums_selection_pick_and_inputs():
    app = dl.widgets.path_sums()
    app.controls["weight"].value = "w3_12"
    assert len(app.paths()) == 1 and "Sum over 1 path(s)" in app.state()["total"]

    class Pick:
        artist = app.edges["w2_21"]

    app._on_pick(Pick())
    assert app.controls["weight"].value == "w2_21"
    app.controls["x1"].value = -1.0
    app.controls["y"].value = 0
    g = _torch_grads((-1.0, 0.5), dl.engine.PATH_NET["weights"], 0.0)[1][1, 0]
    assert sum(p.product for p in app.paths()) == pytest.approx(g, rel=1e-10)
    assert f"{g:.6g}" in app.state()["total"]


def test_path_sums_redraws_only_what_changed():
    app = dl.widgets.path_sums()
    assert redraw_matches_full_draw(app, ("weight", "w3_12"), ("x1", 0.5), ("y", 0),
                                    ("weight", "w1_11"), ("x2", -1.0)) == 0
    drawn = []
    app.fig.draw_artist = lambda a: drawn.append(a)
    app.controls["x1"].value = 0.2  # the paths stay: only the title's sum changes
    assert drawn == [app.ax.title]


def test_path_sums_bad_presets():
    with pytest.raises(ValueError, match=r"\(2, 2\), \(2, 2\) and \(1, 2\)"):
        dl.widgets.path_sums(weights=([[1.0, 2.0]], [[1.0]], [[1.0]]))
    with pytest.raises(ValueError, match="weight must be one of"):
        dl.widgets.path_sums(weight="w9_99")
    with pytest.raises(ValueError, match="target 0 or 1"):
        dl.widgets.path_sums(y=2)
    with pytest.raises(ValueError, match="two finite inputs"):
        dl.widgets.path_sums(x=(1.0, 2.0, 3.0))


# vanishing_products --------------------------------------------------------------------------

def _chain_grads(depth, w, x, act="sigmoid"):
    ws = torch.full((depth,), float(w), dtype=torch.float64, requires_grad=True)
    h = torch.tensor(float(x), dtype=torch.float64)
    f = torch.sigmoid if act == "sigmoid" else torch.tanh
    for i in range(depth):
        h = f(ws[i] * h)
    (0.5 * (1.0 - h) ** 2).backward()
    return ws.grad.numpy()


def test_vanishing_products_default_and_depth():
    app = dl.widgets.vanishing_products()
    g = _chain_grads(10, 1.0, 1.0)
    np.testing.assert_allclose(app.l_grad.get_ydata(), np.abs(g), rtol=1e-10)
    np.testing.assert_allclose(app.l_bound.get_ydata(), 0.25 ** np.arange(10, 0, -1))
    mantissa, exponent = f"{abs(g[0]) / abs(g[-1]):.2e}".split("e")  # 1.88e-06
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    assert f"= {mantissa} × 10{str(int(exponent)).translate(superscript)}:" in \
        app.state()["ratio"]
    assert "e-0" not in app.state()["ratio"] and "e+0" not in app.state()["ratio"]
    app.controls["depth"].value = 3
    assert list(app.l_grad.get_xdata()) == [1, 2, 3]
    np.testing.assert_allclose(app.l_grad.get_ydata(), np.abs(_chain_grads(3, 1.0, 1.0)),
                               rtol=1e-10)
    assert np.all(app.l_dact.get_ydata() <= 0.25)


def test_vanishing_products_tanh_and_zero_input():
    app = dl.widgets.vanishing_products(depth=5, w=1.5, activation="tanh")
    np.testing.assert_allclose(app.l_grad.get_ydata(),
                               np.abs(_chain_grads(5, 1.5, 1.0, "tanh")), rtol=1e-10)
    assert np.all(app.l_bound.get_ydata() == 1.0)
    app.controls["x"].value = 0.0
    assert "exactly 0" in app.state()["ratio"]
    assert np.all(np.isnan(app.l_grad.get_ydata()))


def test_vanishing_products_axes_change_rarely():
    app = dl.widgets.vanishing_products()
    assert app.ax.get_xlim() == (0.5, 12.5)  # depths 8 to 12 share an axis
    assert app.ax.get_legend().get_bbox_to_anchor().y1 < app.ax.bbox.y0  # under the plot
    full = redraw_matches_full_draw(app, ("depth", 11), ("depth", 10), ("depth", 9),
                                    ("w", 1.05), ("x", 1.05))
    assert full == 0
    assert redraw_matches_full_draw(app, ("depth", 30), ("activation", "tanh"),
                                    ("w", -3.0), ("depth", 2)) > 0
    assert app.ax.get_xlim() == (0.5, 2.5)


def test_vanishing_products_bad_presets():
    with pytest.raises(ValueError, match=r"\[1, 30\]"):
        dl.widgets.vanishing_products(depth=31)
    with pytest.raises(ValueError, match="'sigmoid', 'tanh'"):
        dl.widgets.vanishing_products(activation="relu")
    with pytest.raises(TypeError, match="real number"):
        dl.widgets.vanishing_products(x="1")


# moons_trainer -------------------------------------------------------------------------------

def _softmax1(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e[:, 1] / e.sum(axis=1)


def test_moons_trainer_steps_train_and_redraw():
    app = dl.widgets.moons_trainer(width=8, epochs_per_step=10)
    assert len(app.l_loss.get_xdata()) == 0
    app.controls["step"].click()
    app.controls["step"].click()
    losses = app.l_loss.get_ydata()
    assert len(losses) == 20 and losses[-1] < losses[0]
    scores = app.model(app._grid)
    np.testing.assert_allclose(app.img.get_array().ravel(), _softmax1(scores), atol=1e-12)
    acc = np.mean(np.argmax(app.model(app.X), axis=1) == app.y)
    assert f"training accuracy {acc:.1%}" in app.state()["status"]
    app.controls["play"].value = 1  # a play tick trains one more step
    assert len(app.l_loss.get_xdata()) == 30
    app.controls["play"].value = 0  # rewinding the player does not train
    assert len(app.l_loss.get_xdata()) == 30


def test_moons_trainer_learns_and_resets():
    app = dl.widgets.moons_trainer(lr=1.0, epochs_per_step=100)
    for _ in range(5):
        app.train_step()
    assert np.mean(np.argmax(app.model(app.X), axis=1) == app.y) > 0.9
    app.controls["width"].value = 4
    assert app.model[0].weight.shape == (4, 2) and len(app.losses) == 0
    before = app.model[0].weight.data.copy()
    app.controls["reset"].click()
    assert not np.allclose(before, app.model[0].weight.data)


def test_moons_trainer_diverged_disables_training():
    app = dl.widgets.moons_trainer(lr=10.0, epochs_per_step=100)
    assert app.hint.get_visible() and not app.controls["step"].disabled
    for _ in range(20):
        app.train_step()
        if app.diverged:
            break
    if not app.diverged:
        app.diverged = True  # the net survived lr = 10: force the state under test
        app.update()
    for name in ("step", "play"):
        assert app.controls[name].disabled
        assert "diverged" in app.controls[name].tooltip
    app.controls["reset"].click()
    assert not app.controls["step"].disabled and app.controls["step"].tooltip == \
        "train one step"
    assert app.hint.get_visible() and app.ax_loss.get_xlim() == (0, 100)


def test_moons_trainer_says_what_the_next_step_will_do():
    app = dl.widgets.moons_trainer(lr=0.5, epochs_per_step=20)
    assert app.state()["plan"] == ("Each step: 20 epochs of full-batch gradient descent with "
                                   "learning rate η = 0.5.")
    app.controls["lr"].value = 0.0501187
    app.controls["epochs"].value = 5
    assert "5 epochs" in app.state()["plan"] and "η = 0.05." in app.state()["plan"]


def test_moons_trainer_loss_axis_doubles_and_redraws_cheaply():
    app = dl.widgets.moons_trainer(epochs_per_step=30)
    canvas = app.fig.canvas
    canvas.syncing_data_url = False
    full = []
    canvas.draw_idle = lambda: (full.append(1), canvas.draw())
    app.fit(848)
    canvas.draw()
    full.clear()
    for _ in range(8):
        app.controls["step"].click()
    assert app.ax_loss.get_xlim() == (0, 400) and len(full) == 2  # 100 -> 200 -> 400
    assert not app.hint.get_visible()
    app.controls["width"].value = 8  # a new net: the axes go back to 100 epochs
    assert app.ax_loss.get_xlim() == (0, 100)


def test_moons_trainer_bad_presets():
    with pytest.raises(ValueError, match=r"\[1, 64\]"):
        dl.widgets.moons_trainer(width=65)
    with pytest.raises(ValueError, match=r"\[0.001, 10\]"):
        dl.widgets.moons_trainer(lr=100)
    with pytest.raises(ValueError, match="'tanh', 'relu', 'sigmoid'"):
        dl.widgets.moons_trainer(activation="elu")
