"""dlcore.data.history: the lecture 1 timeline and Khapra's ILSVRC table.

Expected numbers are typed in from the course's lecture map (L01 worked examples).  Where the
decks' text is available (``tests/_decks.py``), every year marked as printed on a slide is
looked up in the lines the record was typed in from, and every cited slide title is found
there too.  (No ``lec01`` marker exists in pyproject, so these tests carry none.)
"""

import re

import pytest

import dlcore as dl
from dlcore.data.decks import DECKS
from dlcore.data.history import (
    THEMES,
    ILSVRCResult,
    Milestone,
    ilsvrc_results,
    timeline,
)
from tests._decks import SEEDS, deck_lines

SYLLABUS_ILSVRC = [("AlexNet", 16.0, 8), ("ZFNet", 11.2, 8), ("VGGNet", 7.3, 19),
                   ("GoogLeNet", 6.7, 22), ("ResNet", 3.6, 152)]
NO_FILE_NAMES = re.compile(r"\d{3}_[0-9a-f]{16}|\blines? \d|\.txt\b|\bseeds?\b", re.I)


def test_ilsvrc_table_matches_the_syllabus():
    res = ilsvrc_results()
    assert [(r.network, r.top5_error, r.layers) for r in res] == SYLLABUS_ILSVRC
    assert all(isinstance(r, ILSVRCResult) for r in res)
    assert [r.year for r in res] == [2012, 2013, 2014, 2014, 2015]
    for r in res:
        assert r.deck == "khapra" and r.lines == (310, 351)
        assert r.source == "Khapra, Deep Learning Tutorial, the ILSVRC table of Chapter 3, " \
                           "'The Deep Revival'"
        assert not NO_FILE_NAMES.search(r.source + r.note), r


def test_lazy_names_reach_the_module():
    assert dl.data.timeline is timeline
    assert dl.data.ilsvrc_results is ilsvrc_results


def test_timeline_records_are_well_formed_and_cited():
    records = timeline()
    assert len(records) >= 40
    years = [r.year for r in records]
    assert years == sorted(years)
    for r in records:
        assert isinstance(r, Milestone)
        assert r.theme in THEMES
        assert r.deck in DECKS and r.slide
        assert 1 <= r.lines[0] <= r.lines[1]
        assert r.event and isinstance(r.year_on_slides, bool)
        assert r.source == dl.data.cite(r.deck, r.slide)
        assert r.source.startswith(DECKS[r.deck].short)
        # what a learner reads names no text file, line or "seed"
        assert not NO_FILE_NAMES.search(f"{r.event} {r.people} {r.source} {r.note}"), r
    assert {r.theme for r in records} == set(THEMES)
    assert {r.deck for r in records} == {"khapra", "ift6758"}


def test_a_citation_reads_like_a_lecture_reference():
    mp = next(r for r in timeline() if r.year == 1943)
    assert mp.source == "Khapra, Deep Learning Tutorial, slide 'McCulloch Pitts Neuron'"
    perceptron = next(r for r in timeline() if r.event.startswith("The perceptron"))
    assert perceptron.source == "IFT6758, Deep Learning, slide 'Crash Course to Deep Learning'"


def test_timeline_covers_the_syllabus_milestones():
    by_event = {r.event: r for r in timeline()}

    def find(pattern):
        hits = [r for e, r in by_event.items() if re.search(pattern, e, re.I)]
        assert hits, pattern
        return hits[0]

    assert find("simplified threshold model").year == 1943
    assert find(r"^The perceptron").year == 1957
    assert find("'Perceptrons'").people == "Marvin Minsky, Seymour Papert"
    assert find("AI winter").year_on_slides is False
    assert find("Universal approximation").year == 1989
    assert find("LeNet-5").year == 1998
    assert find("Long short-term memory").year == 1997
    assert find("ResNet").year == 2015


def test_backprop_is_credited_to_three_authors_with_werbos_earlier():
    """The IFT6758 slides credit 1986 backpropagation to Hinton alone; the course does not."""
    backprop = [r for r in timeline() if "ackpropagation" in r.event]
    popular = [r for r in backprop if r.year == 1986]
    assert len(popular) == 1
    assert popular[0].people == "David Rumelhart, Geoffrey Hinton, Ronald Williams"
    assert "Hinton alone" in popular[0].note and "three authors" in popular[0].note
    werbos = [r for r in backprop if "Werbos" in r.people]
    assert werbos and all(r.year < 1986 for r in werbos)


def test_theme_filter_and_bad_theme():
    vision = timeline("vision")
    assert vision and all(r.theme == "vision" for r in vision)
    assert len(vision) == sum(r.theme == "vision" for r in timeline())
    with pytest.raises(ValueError, match="theme must be one of 'biology'"):
        timeline("cats")


def test_returns_fresh_lists():
    a = timeline()
    a.clear()
    assert timeline()
    b = ilsvrc_results()
    b.pop()
    assert len(ilsvrc_results()) == 5


def _text(deck, lines):
    all_lines = deck_lines(deck)
    assert lines[1] <= len(all_lines), (deck, lines)
    return "\n".join(all_lines[lines[0] - 1:lines[1]])


def _titles(slide):
    """The quoted titles in a slide reference: "slide 'A'" -> ["A"]."""
    return re.findall(r"'([^']+)'", slide)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the decks' text is not available")
def test_years_on_the_slides_are_printed_in_the_cited_lines():
    for r in timeline():
        text = _text(r.deck, r.lines)
        assert text.strip(), f"{r.source}: the cited lines {r.lines} are empty"
        if r.year_on_slides:
            assert str(r.year) in text, f"{r.year} is not printed at {r.deck} {r.lines}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the decks' text is not available")
def test_cited_slide_titles_are_in_the_cited_lines():
    """A title heads its slide: it is in the cited lines or at most 20 lines above them."""
    for r in timeline():
        first, last = r.lines
        text = _text(r.deck, (max(1, first - 20), last)).lower().replace("*", "")
        titles = _titles(r.slide)
        if r.slide.startswith("the ILSVRC table"):
            assert "alexnet" in text, r
            continue
        assert titles, r.slide
        for title in titles:
            assert title.lower() in text, f"{title!r} not at {r.deck} {r.lines}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the decks' text is not available")
def test_ilsvrc_numbers_are_printed_in_the_deck():
    text = "\n".join(deck_lines("khapra")[309:351])
    for name, err, layers in SYLLABUS_ILSVRC:
        assert re.search(rf"{name}\s+{err}%\s+{layers}", text), name
    chapter = "\n".join(deck_lines("khapra")[222:310])
    assert "The Deep Revival" in chapter
