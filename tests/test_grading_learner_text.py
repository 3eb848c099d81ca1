"""Every word of an assignment speaks to a student.

A student has the assignment notebook, the lecture notebooks and ``dlcore``: not the slide
decks, not their extracted text, not the course's internal documents or tests.  So the
assignments, their sources in ``solutions/`` (read after trying, in self-study) and every string
constant of ``dlcore.grading`` (hints, messages, summaries, feedback, and the docstrings that
``help()`` shows) pass the course's learner-text rules (``tests/test_learner_text.py``: no
hashed file names, no line numbers of text extracts, no internal documents, "seed" only for
random seeds, no test vocabulary), with two stricter rules: docstrings of ``dlcore.grading``
get no exemption, and nothing points a student to the slides or a deck as something to look
at (a statement is made as a claim, or cited to a lecture notebook: "lecture 12, section 3").
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.test_learner_text import problems

ROOT = Path(__file__).resolve().parents[1]

# "the slides", "a slide's", "some decks"... (the verb, "the window slides over", is fine).
SLIDES = re.compile(r"\bslide's|\bslides'|\bdecks?\b|\bslides?\b(?!'|\s+(?:a|an|the|its|one|"
                    r"over|across|along|down|right|left|by|from|to)\b)", re.I)


def assignment_problems(text: str) -> list[str]:
    """What a student must not read in ``text``; empty when it is fine."""
    found = problems(text)
    found += [f"refers to slides or a deck: ...{text[max(0, m.start() - 30):m.end() + 30]}..."
              .replace("\n", " ") for m in SLIDES.finditer(text)]
    return found


def notebook_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every cell of a notebook: markdown, code and code comments."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [(f"{rel} cell {i}", "".join(c["source"])) for i, c in enumerate(nb["cells"])]


def module_strings(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every string constant of a module, docstrings and f-string parts
    included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [(f"{rel}:{node.lineno}", node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and not re.fullmatch(r"[A-Z_]+", node.value)]  # environment variable names


def scan(items) -> list[str]:
    return [f"{where}: {p}" for where, text in items for p in assignment_problems(text)]


NOTEBOOKS = sorted(p for d in ("assignments", "solutions") for p in (ROOT / d).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
DOCUMENTS = sorted([*(ROOT / "assignments").glob("*.md"), *(ROOT / "solutions").glob("*.md")])
# The grader's preprocessors write into the feedback a student reads, so grader/ is scanned too.
GRADING_MODULES = sorted([*(ROOT / "dlcore" / "grading").rglob("*.py"),
                          *(ROOT / "grader").glob("*.py")])


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_assignment_notebooks_speak_to_students(path):
    assert scan(notebook_texts(path)) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=_rel)
def test_assignment_documents_speak_to_students(path):
    assert scan([(_rel(path), path.read_text(encoding="utf-8"))]) == []


@pytest.mark.parametrize("path", GRADING_MODULES, ids=_rel)
def test_grading_strings_speak_to_students(path):
    assert scan(module_strings(path)) == []


def test_everything_is_scanned():
    assert len(NOTEBOOKS) >= 10 and len(GRADING_MODULES) >= 30
    assert any("slip of lecture" in text for p in GRADING_MODULES
               for _, text in module_strings(p))


# -- the scanner fails on planted text -----------------------------------------------------------
@pytest.mark.parametrize("text", [
    "One of these statements, all taken from the lecture slides, is wrong.",
    "(the slide's 4.6K mistake)",
    "the slides' convention",
    "as the deck prints it",
    "x @ w is the seed's x U layout",
    "copied from 004_4f4f274075c2c478.txt, lines 240-248,",
    "see SYLLABUS.md, section 4",
    "the decks are in ../shared/seeds",
    "the test suite runs it with DLCORE_FAST=1",
    "keep CI times stable with one BLAS thread",
])
def test_the_scanner_flags_planted_text(text):
    assert assignment_problems(text), text


@pytest.mark.parametrize("text", [
    "Pooling moves a window; the window slides over the input.",
    "a kernel that slides across the image",
    "draw the mask so that the same seed gives the same mask",
    "X_train, y_train = dl.data.moons(n_samples=400, noise=0.2, seed=0)",
    "lecture 12, section 3 takes the slip apart",
    "Explain in two or three lines why",
])
def test_the_scanner_accepts_student_text(text):
    assert assignment_problems(text) == [], assignment_problems(text)


def test_a_planted_hint_in_a_grading_module_fails(tmp_path):
    module = tmp_path / "planted.py"
    module.write_text('"""Checks."""\n\nHINT = ("the update is wrong (see the slide\'s table, "\n'
                      '        "lines 12-14)")\n')
    found = scan(module_strings(module))
    assert len(found) == 2 and all("planted.py:3" in f for f in found), found


def test_a_planted_cell_in_a_notebook_fails(tmp_path):
    nb = tmp_path / "planted.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["## 1. A question\n"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["x = 1  # as in the seed's example\n"]}]
    nb.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                              "nbformat_minor": 5}))
    found = scan(notebook_texts(nb))
    assert len(found) == 1 and found[0].startswith("planted.ipynb cell 1:"), found
