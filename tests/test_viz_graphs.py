"""The graph drawings of lecture 6 (``dlcore.viz.graphs``), headless.

What they draw is computed, and tested, in the core: tests/test_engine_paths.py.
"""

import numpy as np
import pytest

from dlcore import engine, nn
from dlcore.engine import Value, topological_order
from dlcore.viz import graphs as G

pytestmark = pytest.mark.lec06


def test_plot_chain_gradients_lines():
    ax = G.plot_chain_gradients(depth=5, w=1.0)
    grads = nn.thin_chain_gradients(5, w=1.0).grad_w  # checked against the Value engine
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.abs(grads), rtol=1e-10)
    np.testing.assert_allclose(ax.lines[2].get_ydata(), 0.25 ** np.arange(5, 0, -1))
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


# Drawing ----------------------------------------------------------------------------------------

def test_draw_value_graph_wraps_and_labels():
    loss = engine.chain_example()
    loss.backward()
    order = topological_order(loss)
    lay = G.snake_layout(loss, max_columns=8)
    assert lay["rows"] >= 2 and lay["columns"] == 8
    xs = [x for x, _ in lay["values"].values()]
    assert max(xs) - min(xs) <= 7.0
    fig = G.draw_value_graph(loss, max_columns=8)
    ax = fig.axes[0]
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    for i, v in enumerate(order):
        assert f"data {v.data:.4g}" in texts[f"value-{i}"]
        assert f"grad {v.grad:.4g}" in texts[f"value-{i}"]
    n_edges = sum(len(v._args) for v in order)
    assert sum(1 for g in texts if g.startswith("label-")) == n_edges
    assert "grad -0.02573" in "\n".join(texts.values())  # dL/dw3 (SYLLABUS L06)
    assert ax.get_title()


def test_draw_value_graph_bad_input():
    with pytest.raises(TypeError, match="Value"):
        G.draw_value_graph(3.0)
    with pytest.raises(ValueError, match=">= 2"):
        G.draw_value_graph(Value(1.0) * 2.0, max_columns=1)
    with pytest.raises(TypeError, match="True or False"):
        G.draw_value_graph(Value(1.0) * 2.0, show_grad=1)


def test_one_layout_row_or_wrapped():
    loss = engine.chain_example()
    row = G.graph_layout(loss)
    wrapped = G.graph_layout(loss, max_columns=4)
    assert row["rows"] == 1 and wrapped["rows"] >= 3 and wrapped["columns"] == 4
    # Same node order inside a column: wrapping only moves columns, it never reorders rows.
    assert set(row["values"]) == set(wrapped["values"]) == set(topological_order(loss))
    xs = {round(x, 9) for x, _ in wrapped["values"].values()}
    assert max(xs) - min(xs) <= 3.0  # four columns one unit apart
    assert G.snake_layout(loss, max_columns=4) == wrapped
    with pytest.raises(ValueError, match="left-to-right"):
        G.graph_layout(loss, rankdir="TB", max_columns=4)


def test_draw_graph_wraps_like_draw_value_graph():
    loss = engine.chain_example()
    loss.backward()
    one = G.draw_graph(loss, max_columns=8).axes[0]
    other = G.draw_value_graph(loss).axes[0]

    def pos(ax):
        return {t.get_gid(): t.get_position() for t in ax.texts if t.get_gid()}

    assert pos(one) == pos(other) and len(pos(one)) > 17
    assert "\n" in one.get_title() and "\n" not in other.get_title()
