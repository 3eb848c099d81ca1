"""Checks of the two reference documents: docs/errata.md (instructors) and notebooks/SOURCES.md.

The errata must list every known mistake of the five slide decks, attributed, with corrected
numbers that are actually correct (recomputed here with numpy), and map each entry to a lecture.
Both documents must cite the decks as a learner can find them: by author, title and slide, never
by internal file names or line numbers of text extracts.
"""

import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ERRATA = ROOT / "docs" / "errata.md"
SOURCES = ROOT / "notebooks" / "SOURCES.md"
NOTEBOOKS = ROOT / "notebooks"

# The course map's errata table has 58 rows; the errata add at least two more (among them
# Arya's "the kernel slides over the output"), so at least 60 entries.
MIN_ERRATA_ENTRIES = 58 + 2

DECK_PREFIXES = {
    "KH": "Khapra",
    "MT": "IFT6758",
    "AR": "Arya",
    "DM": "Dripta MJ",
    "RK": "Kiran",
}
ENTRY_HEADING = re.compile(r"^### (KH|MT|AR|DM|RK)-(\d{2})\. (.+)$", re.MULTILINE)
TABLE_ROW = re.compile(r"^\| (KH|MT|AR|DM|RK)-(\d{2}) \|(.*)\|\s*$", re.MULTILINE)

# Built from parts so that this file does not itself contain the strings it forbids.
_MAP_NAME = "SYLL" + "ABUS"
_EXTRACTS_DIR = "shared" + "/" + "se" + "eds"
_EXTRACT_WORD = "se" + "eds?"
FORBIDDEN = [
    (re.compile(r"\b00[0-4]_[0-9a-f]{16}"), "an internal file name of a text extract"),
    (re.compile(_MAP_NAME, re.IGNORECASE), "the name of the internal course map"),
    (re.compile(re.escape(_EXTRACTS_DIR)), "the path of the internal text extracts"),
    (re.compile(r"\blines?\s+\d+", re.IGNORECASE), "a line reference"),
    (re.compile(r"\bl\.\s*\d+"), "an abbreviated line reference"),
    (re.compile(r"\b" + _EXTRACT_WORD + r"\b", re.IGNORECASE), "the internal word for a deck"),
]


def _read(path):
    return path.read_text(encoding="utf-8")


def _flat(path):
    """The text with every run of whitespace (including line breaks) collapsed to one space."""
    return " ".join(_read(path).split())


def _entries(text):
    """Map 'KH-01' -> the text of that entry (up to the next heading)."""
    heads = list(ENTRY_HEADING.finditer(text))
    out = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else text.find("\n## ", m.end())
        out[f"{m.group(1)}-{m.group(2)}"] = text[m.start() : end if end != -1 else None]
    return out


def _lecture_sections(text):
    """Map lecture number ('01', ..., '12b') -> the text of its section in SOURCES.md."""
    heads = list(re.finditer(r"^### (\d\d[a-z]?)\. ", text, re.MULTILINE))
    out = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else text.find("\n## ", m.end())
        out[m.group(1)] = text[m.start() : end if end != -1 else None]
    return out


def _lecture_notebooks():
    return sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))


# --- both files -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ERRATA, SOURCES], ids=["errata", "sources"])
def test_document_exists_and_is_substantial(path):
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    assert len(_read(path)) > 5000, f"{path.relative_to(ROOT)} looks truncated"


@pytest.mark.parametrize("path", [ERRATA, SOURCES], ids=["errata", "sources"])
def test_no_internal_references(path):
    text = _read(path)
    for pattern, what in FORBIDDEN:
        hit = pattern.search(text)
        assert hit is None, f"{path.name} contains {what}: {hit.group(0)!r}"


# --- docs/errata.md ---------------------------------------------------------------------------


def test_errata_has_every_entry():
    entries = _entries(_read(ERRATA))
    assert len(entries) >= MIN_ERRATA_ENTRIES, (
        f"{len(entries)} errata entries, expected at least {MIN_ERRATA_ENTRIES}"
    )


def test_errata_ids_are_unique_and_consecutive_per_deck():
    ids = [(m.group(1), int(m.group(2))) for m in ENTRY_HEADING.finditer(_read(ERRATA))]
    assert len(ids) == len(set(ids)), "duplicate erratum id"
    for prefix in DECK_PREFIXES:
        numbers = [n for p, n in ids if p == prefix]
        assert numbers, f"no erratum for the {DECK_PREFIXES[prefix]} deck"
        assert numbers == list(range(1, len(numbers) + 1)), f"{prefix} ids are not 01, 02, ..."


def test_errata_stated_counts_match_the_entries():
    text = _read(ERRATA)
    stated = re.search(r"There are (\d+) entries", text)
    assert stated, "the introduction should state the number of entries"
    assert int(stated.group(1)) == len(_entries(text))


def test_errata_entries_have_all_fields():
    for eid, body in _entries(_read(ERRATA)).items():
        for field in ("**Deck:**", "**Where:**", "**The slide says:**", "**Correct:**", "**Why:**"):
            assert field in body, f"{eid} has no {field} line"
        deck = DECK_PREFIXES[eid[:2]]
        assert deck in body, f"{eid} does not name its deck ({deck})"


def test_errata_names_each_deck_and_author():
    text = _flat(ERRATA)
    for name in ("Khapra", "IFT6758", "Montréal", "Arya", "Dripta MJ", "Kiran"):
        assert name in text, f"errata.md never mentions {name}"


def test_errata_table_maps_every_entry_to_a_lecture():
    text = _read(ERRATA)
    entries = set(_entries(text))
    rows = {f"{m.group(1)}-{m.group(2)}": m.group(3) for m in TABLE_ROW.finditer(text)}
    assert set(rows) == entries, (
        f"table and entries differ: missing {sorted(entries - set(rows))}, "
        f"extra {sorted(set(rows) - entries)}"
    )
    valid = {f"{i:02d}" for i in range(1, 15)}
    for eid, cells in rows.items():
        lectures = re.findall(r"\d\d", cells.split("|")[-1])
        assert lectures, f"{eid}: no lecture in the last column"
        assert set(lectures) <= valid, f"{eid}: lecture outside 01-14: {lectures}"


def test_errata_includes_the_required_entries():
    entries = _entries(_read(ERRATA))
    output_slips = [
        eid for eid, body in entries.items() if "input, not the output" in body.splitlines()[0]
    ]
    assert any(e.startswith("KH") for e in output_slips), "Khapra's 'over the output' is missing"
    assert any(e.startswith("AR") for e in output_slips), "Arya's 'over the output' is missing"
    assert any(e.startswith("DM") and "Bengio" in body for e, body in entries.items()), (
        "'Bengio listed twice' (Dripta MJ) is missing"
    )


def test_khapra_slide_numbers_are_in_range():
    for eid, body in _entries(_read(ERRATA)).items():
        where = re.search(r"\*\*Where:\*\*(.*?)\n- \*\*", body, re.S).group(1)
        for n in re.findall(r"slides? (\d+)", where):
            assert eid.startswith("KH"), f"{eid}: only Khapra's deck prints slide numbers"
            assert 1 <= int(n) <= 113, f"{eid}: slide {n} is not in 1-113"


# --- the corrected numbers are right ----------------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _toy_loss(w, b):
    x, y = np.array([0.5, 2.5]), np.array([0.2, 0.9])
    return 0.5 * np.sum((y - _sigmoid(w * x + b)) ** 2)


def _conv_params(c_in, c_out, k, groups=1, bias=True):
    return (k * k * c_in // groups + bias) * c_out


def _fc_params(n_in, n_out, bias=True):
    return (n_in + bias) * n_out


def _vgg16_conv_weights():
    cfg = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    total, c = 0, 3
    for f in cfg:
        total += 3 * 3 * c * f
        c = f
    return total


def _corrected_values():
    """The corrections the errata must print, each recomputed from first principles."""
    w = np.array([0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5])  # w_-6 ... w_0
    x = np.array([1.0, 1.1, 1.2, 1.4, 1.7, 1.8, 1.9, 2.1, 2.2, 2.4, 2.5, 2.7])
    smoother = [sum(x[t - a] * w[6 - a] for a in range(7)) for t in range(6, 12)]

    alexnet_fc = _fc_params(6 * 6 * 256, 4096) + _fc_params(4096, 4096) + _fc_params(4096, 1000)
    alexnet_grouped = (
        _conv_params(3, 96, 11)
        + _conv_params(96, 256, 5, groups=2)
        + _conv_params(256, 384, 3)
        + _conv_params(384, 384, 3, groups=2)
        + _conv_params(384, 256, 3, groups=2)
        + alexnet_fc
    )
    vgg_fc = 512 * 7 * 7 * 4096 + 4096 * 4096
    g = np.array([3.0, 4.0])
    f = _sigmoid(0.5 * np.array([0.5, 2.5]))
    printed_form = 0.5 * (0.9 - f[1]) ** 2 + (0.2 - f[0]) ** 2

    return {
        "smoother": ", ".join(f"{s:.3f}" for s in smoother),
        "LeNet C1 with biases": f"{_conv_params(1, 6, 5)}",
        "six 5x5 filters on RGB": f"{_conv_params(3, 6, 5)}",
        "256x256x3x3": f"{_conv_params(256, 256, 3, bias=False):,}",
        "ZFNet change": f"{(11**2 - 7**2) * 3 * 96:,}",
        "AlexNet grouped total": f"{alexnet_grouped:,}",
        "AlexNet FC": f"{alexnet_fc:,}",
        "AlexNet conv1 neurons": f"{55 * 55 * 96:,}",
        "VGG FC as written": f"{vgg_fc + 4096 * 1024:,}",
        "VGG FC, 1000 classes": f"{vgg_fc + 4096 * 1000:,}",
        "VGG-16 conv weights": f"{_vgg16_conv_weights():,}",
        "guess table row 3": f"{_toy_loss(0.94, -0.94):.6f}",
        "loss at (0.5, 0)": f"{_toy_loss(0.5, 0.0):.6f}",
        "loss as printed": f"{printed_form:.3f}",
        "clip by norm": "[{:.1f}, {:.1f}]".format(*(g / np.linalg.norm(g))),
        "clip by squared norm": "[{:.2f}, {:.2f}]".format(*(g / np.sum(g * g))),
        "least squares w": f"{np.dot([10, 2, 3.5, 1], [10.1, 1.9, 3.4, 1.1]) / 117.25:.6f}",
    }


@pytest.mark.parametrize("name", sorted(_corrected_values()))
def test_errata_prints_the_corrected_value(name):
    value = _corrected_values()[name]
    assert value in _flat(ERRATA), f"{name}: expected {value!r} in errata.md"


def test_corrected_values_are_what_the_course_expects():
    # Guards the recomputation above against a silent slip of its own.
    v = _corrected_values()
    assert v["smoother"] == "1.811, 1.967, 2.112, 2.269, 2.413, 2.569"
    assert v["six 5x5 filters on RGB"] == "456"
    assert v["ZFNet change"] == "20,736"
    assert v["AlexNet grouped total"] == "60,965,224"
    assert v["clip by norm"] == "[0.6, 0.8]"


def test_errata_does_not_repeat_a_slide_value_as_the_correction():
    # The wrong values may be quoted, but never on a **Correct:** line.
    wrong = ["2.16, 2.28, 2.42", "= 156", "4.6K", "≈ 122M", "253,440", "[0.12, 0.16]"]
    for eid, body in _entries(_read(ERRATA)).items():
        correct = re.search(r"\*\*Correct:\*\*(.*?)\n- \*\*", body, re.S).group(1)
        for value in wrong:
            assert value not in correct, f"{eid}: slide value {value!r} given as the correction"


# --- notebooks/SOURCES.md ---------------------------------------------------------------------


def test_sources_cites_all_five_decks():
    text = _flat(SOURCES)
    citations = [
        ("Mitesh M. Khapra", "Deep Learning Tutorial", "National Conference on Communications"),
        ("IFT6758", "Université de Montréal", "CS231n"),
        ("Arti Arya", "UE20CS302", "PES University"),
        ("Dripta MJ", "Deep Learning: The Basics", "RKMVERI"),
        ("Ravi Kiran", "CS7.403", "IIIT Hyderabad"),
    ]
    for parts in citations:
        for part in parts:
            assert part in text, f"SOURCES.md does not cite {part!r}"


def test_sources_covers_every_lecture_notebook():
    sections = _lecture_sections(_read(SOURCES))
    notebooks = _lecture_notebooks()
    assert notebooks, "no lecture notebooks found"
    for name in notebooks:
        number = name.split("_", 1)[0]
        assert number in sections, f"SOURCES.md has no section for lecture {number} ({name})"


def test_sources_each_lecture_follows_a_deck():
    decks = ("Khapra", "IFT6758", "Arya", "Dripta MJ", "Kiran")
    for number, body in _lecture_sections(_read(SOURCES)).items():
        assert any(d in body for d in decks), f"lecture {number} names no deck"


def test_sources_gives_the_standard_references():
    text = _flat(SOURCES)
    for ref in (
        "Glorot",
        "He, K.",
        "Kingma",
        "Hochreiter",
        "Cho, K.",
        "Krizhevsky",
        "Simonyan",
        "LeCun",
        "Rumelhart",
        "load_digits",
        "PyTorch documentation",
    ):
        assert ref in text, f"SOURCES.md does not cite {ref}"


def test_sources_links_the_errata():
    assert "docs/errata.md" in _read(SOURCES)
