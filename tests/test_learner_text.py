"""Every word a learner sees speaks to a learner.

A student has only this repository: not the slide decks' text files, not the course's internal
lecture map, not the test suite.  So nothing a student reads (notebook cells, the sources page,
the README, the assignments, and every string dlcore prints or draws) names a text extract by
its hashed file name or line numbers, mentions the internal documents, or uses "seed" for a
slide deck ("seed" means a random seed; the decks are "the slides").  Lecture notebooks and
the strings dlcore shows also avoid the suite's own vocabulary (test suite, CI, fast mode, BLAS
threads).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HASHED = re.compile(r"\b00[0-4]_[0-9a-f]{16}(\.txt)?\b")
INTERNAL = re.compile(r"SYLLABUS|shared/seeds|\.\./shared|CONVENTIONS\.md")
LINE_REF = re.compile(r"\blines? \d+(?:\s*[-–]\s*\d+)?(?:,| of| in| and|\)|$)", re.M)
SUITE = re.compile(r"\btest suite\b|\bthe suite\b|\bCI\b|DLCORE_FAST|\bfast mode\b|\bBLAS\b|"
                   r"shared machine|\bpytest\b", re.I)
SEED_WORD = re.compile(r"\bseeds?\b", re.I)
# "seed" in the random-number sense: an argument or variable, or said of a generator.
RANDOM_SEED = re.compile(
    r"seeds?\s*[=:(\[]|\bseeds?\s*\d|[(,]\s*seeds?\b|\brandom(?:\s+\w+){0,2}\s+seeds?\b|"
    r"\bseeds?\s+(?:of|for)\s+(?:the\s+)?(?:random|generator|rng|draw|shuffle)|"
    r"\b(?:rng|generator)\W+(?:\w+\W+){0,3}seeds?\b|`seeds?`|(?-i:\bSEED\b)|"
    r"\bseeds?\s+(?:must|or)\b|\b(?:int|integer|or)\s+seeds?\b|"
    r"\b(?:same|fixed|different|new|another|each|its|a|every)\s+(?:random\s+)?seeds?\b(?!\s+(?:slide|deck|text))",
    re.I)


def deck_meaning_seeds(text: str) -> list[str]:
    """Each use of "seed" in ``text`` that is not about random numbers, with its context."""
    found = []
    if re.fullmatch(r"\s*seeds?\s*", text):  # an argument's name, as in check_int(seed, "seed")
        return found
    for m in SEED_WORD.finditer(text):
        window = text[max(0, m.start() - 40):m.end() + 40]
        local = text[max(0, m.start() - 12):m.end() + 12]
        if not (RANDOM_SEED.search(local) or "random" in window.lower()
                or "set_seed" in window or "get_rng" in window):
            found.append(window.replace("\n", " "))
    return found


def problems(text: str, *, suite_words: bool = True, line_refs: bool = True) -> list[str]:
    out = [f"hashed deck name: {m.group(0)}" for m in HASHED.finditer(text)]
    out += [f"internal document: {m.group(0)}" for m in INTERNAL.finditer(text)]
    out += [f"'seed' used for a slide deck: ...{w}..." for w in deck_meaning_seeds(text)]
    if line_refs:
        out += [f"line reference: {m.group(0)}" for m in LINE_REF.finditer(text)]
    if suite_words:
        out += [f"test vocabulary: {m.group(0)}" for m in SUITE.finditer(text)]
    return out


# --- what is scanned ----------------------------------------------------------------------

def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"])


LECTURE_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ASSIGNMENT_NOTEBOOKS = sorted(p for d in ("assignments", "solutions")
                              for p in (ROOT / d).rglob("*.ipynb")
                              if ".ipynb_checkpoints" not in p.parts)
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "notebooks").glob("*.md"),
                    *(ROOT / "assignments").glob("*.md"), *(ROOT / "solutions").glob("*.md")])


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("path", LECTURE_NOTEBOOKS, ids=_rel)
def test_lecture_notebooks_speak_to_learners(path):
    assert problems(_notebook_text(path)) == []


@pytest.mark.parametrize("path", ASSIGNMENT_NOTEBOOKS, ids=_rel)
def test_assignment_notebooks_speak_to_learners(path):
    assert problems(_notebook_text(path)) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=_rel)
def test_documents_name_no_internal_files(path):
    # The README also guides contributors (how to run the tests), so only the names are banned.
    assert problems(path.read_text(encoding="utf-8"), suite_words=False) == []


def _dlcore_strings() -> list[tuple[str, int, str, bool]]:
    """(file, line, text, is_docstring) for every string constant in dlcore."""
    found = []
    for path in sorted((ROOT / "dlcore").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)) and ast.get_docstring(node) is not None:
                docstrings.add(id(node.body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((_rel(path), node.lineno, node.value, id(node) in docstrings))
    return found


DLCORE_STRINGS = _dlcore_strings()


def test_dlcore_strings_name_no_internal_files():
    """Docstrings included: help() shows them to learners."""
    bad = [f"{f}:{n}: {p}" for f, n, text, _ in DLCORE_STRINGS
           for p in problems(text, suite_words=False)]
    assert bad == []


def test_strings_dlcore_prints_use_no_test_vocabulary():
    """Messages, labels and hints (not docstrings, which may explain maintainers' settings)."""
    bad = [f"{f}:{n}: {p}" for f, n, text, doc in DLCORE_STRINGS
           if not doc and not re.fullmatch(r"[A-Z_]+", text)  # environment variable names
           for p in problems(text, line_refs=False)]
    assert bad == []


# --- the scanner can fail -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "as in 000_e2730a764dfba2d6.txt",
    "see 004_4f4f274075c2c478.txt, lines 68-76",
    "the numbers of SYLLABUS.md",
    "read ../shared/seeds first",
    "The seed's table has six rows.",
    "as the seeds print it",
    "This example is not in any seed.",
    "the test suite sets DLCORE_FAST",
    "one BLAS thread",
    "the slide at lines 1410-1424,",
])
def test_the_scanner_flags_what_a_learner_must_not_read(text):
    assert problems(text), text


@pytest.mark.parametrize("text", [
    "dl.set_seed(0)",
    "X, y = dl.data.moons(200, noise=0.2, seed=0)",
    "Every generator takes a random seed, so the draws repeat.",
    "Change the seed and run the cell again: the random draws change.",
    "rng = np.random.default_rng(SEED)",
    "`seed` may be an int or a Generator",
    "the same seed gives the same points",
    "Khapra, Deep Learning Tutorial, slide 67/113",
])
def test_the_scanner_accepts_random_seeds_and_citations(text):
    assert problems(text) == [], problems(text)
