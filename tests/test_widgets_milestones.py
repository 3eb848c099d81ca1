"""Widgets of lecture 1 (dlcore.widgets.milestones), built headless: controls in, plots out.

Expected values come from ``dl.data.timeline()`` / ``dl.data.ilsvrc_results()`` and the
syllabus numbers (AlexNet 16.0%/8 ... ResNet 3.6%/152), never from the widgets.  (No
``lec01`` marker exists in pyproject, so these tests carry none.)
"""

import re

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

import dlcore as dl
from dlcore.widgets import milestones
from dlcore.widgets.milestones import ilsvrc_chart, matching_cards, timeline_explorer

SYLLABUS = {"AlexNet": (8, 16.0), "ZFNet": (8, 11.2), "VGGNet": (19, 7.3),
            "GoogLeNet": (22, 6.7), "ResNet": (152, 3.6)}


def _move(app, ax, xy, name="motion_notify_event"):
    """Send a mouse event at data coordinates xy of ax, as ipympl would."""
    app.fig.canvas.draw()
    x, y = ax.transData.transform(xy)
    event = MouseEvent(name, app.fig.canvas, x, y, button=1 if "press" in name else None)
    app.fig.canvas.callbacks.process(name, event)


def _shown_years(app):
    pts = app.points.get_offsets()
    return sorted(pts[:, 0]) if len(pts) else []


def test_registered_factories():
    assert set(milestones.__all__) == {"timeline_explorer", "ilsvrc_chart", "matching_cards"}
    for name in milestones.__all__:
        assert getattr(dl.widgets, name) is getattr(milestones, name)


# ---- timeline_explorer --------------------------------------------------------------------

def test_timeline_shows_every_record_with_its_source():
    app = timeline_explorer()
    records = dl.data.timeline()
    assert _shown_years(app) == sorted(r.year for r in records)
    assert app.controls["event"].max == len(records) - 1
    assert set(app.controls) == {"theme", "event", "start"}  # no filter on the slides' years
    assert app.ax.get_legend() is None
    app.controls["event"].value = 6
    r = records[6]
    assert r.year == 1943
    state = app.state()
    assert r.source in state["selected"] and r.event in state["selected"]
    np.testing.assert_allclose(app.ring.get_offsets()[0, 0], 1943)
    assert "Khapra, Deep Learning Tutorial, slide 'McCulloch Pitts Neuron'" in state["events"]
    assert app.ax.get_title() and app.ax.get_xlabel() and app.ax.get_ylabel()


def test_timeline_speaks_of_slides_not_files():
    app = timeline_explorer()
    texts = []
    for k in range(app.controls["event"].max + 1):
        app.controls["event"].value = k
        state = app.state()
        texts += [state["selected"], state["events"], app.summary]
    text = " ".join(texts)
    assert not re.search(r"\.txt|\blines? \d|\bseeds?\b|supplied", text, re.I)
    assert "<th" in app.state()["events"] and "source" in app.state()["events"]


def test_timeline_theme_filter():
    app = timeline_explorer()
    app.controls["theme"].value = "sequences"
    expected = dl.data.timeline("sequences")
    assert _shown_years(app) == sorted(r.year for r in expected)
    assert app.controls["event"].max == len(expected) - 1
    assert "sequences" in app.summary
    app.controls["theme"].value = "vision"
    assert _shown_years(app) == sorted(r.year for r in dl.data.timeline("vision"))
    app.controls["theme"].value = "all"
    assert len(_shown_years(app)) == len(dl.data.timeline())


def test_timeline_selected_milestone_shows_its_note():
    app = timeline_explorer(theme="training")
    records = dl.data.timeline("training")
    k = next(i for i, r in enumerate(records) if r.year == 1986)
    app.controls["event"].value = k
    selected = app.state()["selected"]
    assert "Rumelhart" in selected and "Hinton alone" in selected


def test_timeline_click_selects_nearest_and_zoom():
    app = timeline_explorer(theme="neuron models")
    records = dl.data.timeline("neuron models")
    k = [r.year for r in records].index(1969)
    _move(app, app.ax, app._pos[app.shown()[k]], "button_press_event")
    assert app.controls["event"].value == k
    assert "Perceptrons" in app.state()["selected"]
    app.controls["start"].value = 1940
    assert app.ax.get_xlim()[0] == pytest.approx(1935)


def test_timeline_bad_theme():
    with pytest.raises(ValueError, match="theme must be 'all' or one of"):
        timeline_explorer(theme="cats")


# ---- ilsvrc_chart -------------------------------------------------------------------------

def test_ilsvrc_points_and_bars_match_the_syllabus():
    app = ilsvrc_chart()
    pts = app.points.get_offsets()
    np.testing.assert_allclose(pts, [SYLLABUS[n] for n in SYLLABUS])
    np.testing.assert_allclose([b.get_height() for b in app.bars],
                               [e for _, e in SYLLABUS.values()])
    for name, (layers, err) in SYLLABUS.items():
        app.controls["network"].value = name
        np.testing.assert_allclose(app.ring.get_offsets()[0], [layers, err])
        assert f"{err:.1f}% with {layers} layers" in app.state()["network"]
    assert f"error divided by {16.0 / 3.6:.2f}" in app.state()["network"]
    assert f"depth multiplied by {152 / 8:.2f}" in app.state()["network"]


def test_ilsvrc_hover_selects_network():
    app = ilsvrc_chart()
    _move(app, app.ax, (152, 3.6))
    assert app.controls["network"].value == "ResNet"
    _move(app, app.ax, (19, 7.3))
    assert app.controls["network"].value == "VGGNet"
    _move(app, app.ax, (60, 15.0))  # far from every point: no change
    assert app.controls["network"].value == "VGGNet"


def test_ilsvrc_toggles():
    app = ilsvrc_chart(network="GoogLeNet")
    assert app.ax.get_xscale() == "log"
    app.controls["log_depth"].value = False
    assert app.ax.get_xscale() == "linear"
    assert not app.human[0].get_visible()
    app.controls["human"].value = True
    assert app.human[0].get_visible() and app.human[0].get_ydata()[0] == 5.1
    assert "above the human estimate" in app.state()["network"]
    app.controls["network"].value = "ResNet"
    assert "below the human estimate" in app.state()["network"]
    with pytest.raises(ValueError, match="network must be one of AlexNet"):
        ilsvrc_chart(network="LeNet")


# ---- matching_cards -----------------------------------------------------------------------

def test_matching_default_cards_use_timeline_people():
    app = matching_cards()
    people = {r.people for r in dl.data.timeline()}
    assert len(app.cards) == 9
    assert set(app.key.values()) <= people
    opts = app.controls["card_0"].options
    assert "Geoffrey Hinton alone" in opts


def test_matching_scoring_and_hints():
    app = matching_cards()
    assert "0 of 9 answered" in app.state()["score"]
    k_bp = app.cards.index("The 1986 paper that popularised backpropagation")
    app.controls[f"card_{k_bp}"].value = "Geoffrey Hinton alone"
    k_mp = app.cards.index("A simplified threshold model of the neuron (1943)")
    app.controls[f"card_{k_mp}"].value = "Warren McCulloch, Walter Pitts"
    assert "2 of 9 answered" in app.state()["score"]
    app.controls["check"].click()
    state = app.state()
    assert "Score: 1 of 9" in state["score"]
    assert "three authors" in state["feedback"]
    app.controls["show"].click()
    assert "Score: 9 of 9" in app.state()["score"]
    assert app.score() == (9, 9)
    app.controls["reset"].click()
    assert "0 of 9 answered" in app.state()["score"]


def test_matching_custom_pairs_and_order():
    pairs = {"Step with sign(0) = +1": "the course", "np.sign(0) = 0": "numpy"}
    app = matching_cards(pairs=pairs, seed=3)
    assert sorted(app.cards) == sorted(pairs)
    assert list(app.controls["card_0"].options)[1:] == ["numpy", "the course"]
    assert sorted(matching_cards(seed=1).cards) == sorted(matching_cards(seed=2).cards)
    for bad in ({"only one": "x"}, {"a": ""}, ["a", "b"]):
        with pytest.raises(ValueError, match="at least 2 entries"):
            matching_cards(pairs=bad)
