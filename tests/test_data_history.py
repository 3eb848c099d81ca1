"""dlcore.data.history: the lecture 1 timeline and the seed's ILSVRC table.

Expected numbers are typed in from the syllabus (L01 worked examples); where the seed files are
present (``../shared/seeds``), every year marked as printed in a seed is looked up in the
cited lines.  (No ``lec01`` marker exists in pyproject, so these tests carry none.)
"""

import re
from pathlib import Path

import pytest

import dlcore as dl
from dlcore.data.history import (
    SEED_FILES,
    THEMES,
    ILSVRCResult,
    Milestone,
    ilsvrc_results,
    timeline,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SYLLABUS_ILSVRC = [("AlexNet", 16.0, 8), ("ZFNet", 11.2, 8), ("VGGNet", 7.3, 19),
                   ("GoogLeNet", 6.7, 22), ("ResNet", 3.6, 152)]


def test_ilsvrc_table_matches_the_syllabus():
    res = ilsvrc_results()
    assert [(r.network, r.top5_error, r.layers) for r in res] == SYLLABUS_ILSVRC
    assert all(isinstance(r, ILSVRCResult) for r in res)
    assert [r.year for r in res] == [2012, 2013, 2014, 2014, 2015]
    assert all(not r.in_seed and r.file == "000_e2730a764dfba2d6.txt" for r in res)
    assert all(r.lines == (310, 351) for r in res)


def test_lazy_names_reach_the_module():
    assert dl.data.timeline is timeline
    assert dl.data.ilsvrc_results is ilsvrc_results


def test_timeline_records_are_well_formed():
    records = timeline()
    assert len(records) >= 40
    years = [r.year for r in records]
    assert years == sorted(years)
    for r in records:
        assert isinstance(r, Milestone)
        assert r.theme in THEMES
        assert r.file in SEED_FILES
        assert 1 <= r.lines[0] <= r.lines[1]
        assert r.event and isinstance(r.in_seed, bool)
        if not r.in_seed:
            assert "suppl" in r.note, f"{r.year} {r.event}: a supplied year must say so"
        assert r.source.startswith(r.file)
    assert {r.theme for r in records} == set(THEMES)


def test_timeline_covers_the_syllabus_milestones():
    by_event = {r.event: r for r in timeline()}

    def find(pattern):
        hits = [r for e, r in by_event.items() if re.search(pattern, e, re.I)]
        assert hits, pattern
        return hits[0]

    assert find("simplified threshold model").year == 1943
    assert find(r"^The perceptron").year == 1957
    assert find("'Perceptrons'").people == "Marvin Minsky, Seymour Papert"
    assert find("AI winter").in_seed is False
    assert find("Universal approximation").year == 1989
    assert find("LeNet-5").year == 1998
    assert find("Long short-term memory").year == 1997
    assert find("ResNet").year == 2015


def test_backprop_credit_follows_the_erratum():
    """001_83a7a452e11fa9a5.txt, line 39 credits Hinton alone; the course does not."""
    backprop = [r for r in timeline() if "ackpropagation" in r.event]
    popular = [r for r in backprop if r.year == 1986]
    assert len(popular) == 1
    assert popular[0].people == "David Rumelhart, Geoffrey Hinton, Ronald Williams"
    assert "erratum" in popular[0].note
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


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed files not available")
def test_years_marked_in_seed_are_printed_in_the_cited_lines():
    cache = {}
    for r in timeline():
        lines = cache.setdefault(r.file, (SEEDS / r.file).read_text().splitlines())
        assert r.lines[1] <= len(lines), r
        text = "\n".join(lines[r.lines[0] - 1:r.lines[1]])
        assert text.strip(), f"{r.source} is empty"
        if r.in_seed:
            assert str(r.year) in text, f"{r.year} is not printed in {r.source}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed files not available")
def test_ilsvrc_numbers_are_printed_in_the_seed():
    lines = (SEEDS / SEED_FILES[0]).read_text().splitlines()[309:351]
    text = "\n".join(lines)
    for name, err, layers in SYLLABUS_ILSVRC:
        assert re.search(rf"{name}\s+{err}%\s+{layers}", text), name
