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
from tests.widget_helpers import blit_check

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


# ---- screen fit, speed and the shared helpers (issue 10) ----------------------------------

def test_timeline_table_shows_a_window_around_the_selection():
    app = timeline_explorer()
    records = dl.data.timeline()
    app.controls["event"].value = 20
    events = app.state()["events"]
    assert events.count("<tr") == 1 + milestones.timeline.WINDOW  # header + window, not 48
    assert f"max-height:{milestones.timeline.EVENTS_PX}px" in events
    bold = re.search(r"<tr style='font-weight:bold'><td[^>]*>(\d+)</td><td[^>]*>([^<]*)<",
                     events)
    assert bold and bold.group(2) == records[20].event.replace("'", "&#x27;")
    assert "Milestones 18 to 23 of 48" in events
    app.controls["event"].value = 47  # the end: the window stops at the last milestone
    assert "Milestones 43 to 48 of 48" in app.state()["events"]
    app.controls["theme"].value = "eras"
    n = len(dl.data.timeline("eras"))
    assert app.state()["events"].count("<tr") == 1 + min(n, milestones.timeline.WINDOW)


def test_timeline_zoom_and_selection_are_blitted():
    app = timeline_explorer()
    full, bad = blit_check(app, lambda: setattr(app.controls["start"], "value", 1900))
    assert full == 0 and bad < 30  # the year axis is redrawn with the points
    assert app.ax.get_xlim()[0] == pytest.approx(1895)
    full, bad = blit_check(app, lambda: setattr(app.controls["event"], "value", 9))
    assert full == 0 and bad < 30
    full, bad = blit_check(app, lambda: setattr(app.controls["theme"], "value", "vision"))
    assert full == 0 and bad < 30


def test_ilsvrc_selection_is_blitted_and_log_toggle_is_not():
    app = ilsvrc_chart()
    full, bad = blit_check(app, lambda: setattr(app.controls["network"], "value", "VGGNet"))
    assert full == 0 and bad < 30
    full, bad = blit_check(app, lambda: setattr(app.controls["human"], "value", True))
    assert full == 0 and bad < 30
    full, _ = blit_check(app, lambda: setattr(app.controls["log_depth"], "value", False))
    assert full == 1  # new axis scale: a full draw


@pytest.mark.parametrize("factory", [timeline_explorer, ilsvrc_chart])
def test_milestone_figures_fit_the_output_area(factory):
    app = factory()
    for width in (848, 1488, 800, 400):
        app.fit(width)
        w, h = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5 and h <= 600


def test_matching_cards_show_whole_card_texts_and_disable_reset():
    app = matching_cards()
    labels = [c for row in app._controls_box.children[:9] for c in row.children
              if not hasattr(c, "options")]
    for k, (label, card) in enumerate(zip(labels, app.cards)):
        assert label.value == f"{k + 1}. {card}".replace("'", "&#x27;")  # not cut off
        assert app.controls[f"card_{k}"].tooltip == card
    reset = app.controls["reset"]
    assert reset.disabled and reset.tooltip == "nothing chosen yet"
    app.controls["card_0"].value = app.key[app.cards[0]]
    assert not reset.disabled and reset.tooltip == "clear every choice"
    reset.click()
    assert reset.disabled
    app.controls["check"].click()  # checked with no answer: reset clears the feedback
    assert not reset.disabled


def test_steady_limits_change_only_when_needed():
    from dlcore.widgets.milestones._common import steady_limits

    first = steady_limits(None, 0.0, 1.0)
    assert first[0] < 0.0 and first[1] > 1.0
    assert steady_limits(first, 0.1, 0.9) == first  # still fits, still fills it: kept
    assert steady_limits(first, 0.0, 2.0) != first  # no longer fits
    assert steady_limits(first, 0.0, 0.1) != first  # fills too little of it
    lo, hi = steady_limits(None, 1e-6, 1e2, log=True)
    assert lo < 1e-6 and hi > 1e2
    assert steady_limits((lo, hi), 1e-5, 1e1, log=True) == (lo, hi)


def test_html_helpers():
    from dlcore.widgets.milestones._common import html_columns, html_table, scroll_box

    table = html_table(("a", "b"), [(1, "<x>"), (2, 3)], bold_row=1, style="font-size:12px")
    assert table.startswith("<table style='font-size:12px'>") and "&lt;x&gt;" in table
    assert "<tr style='font-weight:bold'><td style='padding-right:8px'>2<" in table
    cols = html_columns([("x", "00", "01"), ("y", 0, 1)], bold_col=1)
    assert cols.count("<tr>") == 2 and cols.count("font-weight:bold") == 2
    assert "max-height:99px" in scroll_box("z", 99)


def test_image_goes_out_before_texts_and_first_blit_is_full():
    app = timeline_explorer()
    c = app.fig.canvas
    c.syncing_data_url = False
    app.fit(848)
    c.draw()
    order = []
    c.send_binary = lambda data: order.append(("image", c._current_image_mode))
    for name, w in app.readouts.items():
        w.send_state = lambda key=None, name=name: order.append(("text", name))
    app.controls["event"].value = 3
    assert order[0] == ("image", "full")  # right after a full draw: a full image
    assert ("text", "selected") in order[1:] and ("text", "events") in order[1:]
    order.clear()
    app.controls["event"].value = 4
    assert order[0] == ("image", "diff")  # later: only the changed pixels
