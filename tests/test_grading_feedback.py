"""The feedback page a student receives reads well offline (issue 13, point 5).

Two submissions of a01 go through the real grading command: ``wrong`` fails a check (its hint
is one long line) and still waits for its written answer to be graded by hand; ``by_hand`` is
then graded by hand through nbgrader's gradebook and its feedback regenerated with
``python -m grader feedback``.  The page must wrap long outputs, draw formulas as MathML with
nothing loaded from the network, show points awaiting manual grading as pending (not as 0),
show the real score once graded, and still hide hidden tests and tracebacks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader.feedback import formulas, tex_to_mathml
from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available
from tests.grading_harness import (
    ROOT,
    cell,
    feedback_text,
    grade,
    secret_lines,
    solution_nb,
    variant,
    write_submission,
)
from tests.test_grading_learner_text import assignment_problems

AID = "a01_neurons_perceptron"
MANUAL = "ex8_answer"      # the written answer of a01, graded by hand (2 points)
WRONG_STEP = ("def perceptron_step(w, x, y):\n    w = np.asarray(w, dtype=float)\n"
              "    return w + y * np.asarray(x, dtype=float)\n")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feedback")
    sol = solution_nb(AID)
    subs = tmp / "submissions"
    write_submission(subs, "wrong", AID, variant(sol, replace={"ex2_code": WRONG_STEP}))
    write_submission(subs, "by_hand", AID, variant(sol))
    results, course = grade(AID, subs, tmp / "course")
    return results, course


def page(course, student: str) -> str:
    """The whole feedback HTML of ``student``, styles and scripts included."""
    return (course.root / "feedback" / student / AID / f"{AID}.html").read_text()


# -- what the checks look for ----------------------------------------------------------------
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def wrapping_selectors(html: str) -> set[str]:
    """Selectors of the page's CSS rules that make text wrap (pre-wrap, anywhere)."""
    css = "\n".join(re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.S | re.I))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = set()
    for selectors, body in _RULE.findall(css):
        decl = re.sub(r"\s+", "", body.lower())
        if "white-space:pre-wrap" in decl and re.search(r"overflow-wrap:(anywhere|break-word)",
                                                        decl):
            found |= {re.sub(r"\s+", " ", s).strip() for s in selectors.split(",")}
    return found


def network_loads(html: str) -> list[str]:
    """Everything the page would fetch from the network when opened, and any MathJax."""
    found = re.findall(r"<(?:script|link|img|iframe)\b[^>]*?(?:src|href)\s*=\s*[\"']?"
                       r"((?:https?:)?//[^\"'\s>]+)", html, flags=re.I)
    found += re.findall(r"@import\s+(?:url\()?[\"']?((?:https?:)?//[^\"')\s]+)", html, flags=re.I)
    found += re.findall(r"url\(\s*[\"']?((?:https?:)?//[^\"')\s]+)", html, flags=re.I)
    found += [m.group(0) for m in re.finditer(r"mathjax", html, flags=re.I)]
    return found


def score_line(html: str) -> str:
    m = re.search(r'<h4 id="total-score">(.*?)</h4>', html, flags=re.S)
    assert m, "the feedback page has no total score"
    return re.sub(r"<[^>]+>", "", m.group(1))


def cell_heading(html: str, grade_id: str) -> str:
    """Text of the panel heading of the cell ``grade_id`` (its score)."""
    m = re.search(rf'<a name="{grade_id}"></a><div class="panel-heading">(.*?)</div>', html,
                  flags=re.S)
    assert m, f"no heading for {grade_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))).strip()


def error_outputs(html: str, grade_id: str) -> list[str]:
    """The error outputs (as HTML) that follow the test cell ``grade_id``."""
    start = html.index(f'<a name="{grade_id}"></a>')
    end = html.find('<div class="cell ', start)
    return re.findall(r'<div class="output_subarea output_text output_error">\s*(<pre>.*?</pre>)',
                      html[start:end if end > 0 else None], flags=re.S)


# -- the checks can fail ----------------------------------------------------------------------
NBGRADER_PAGE = """<html><head>
<style>pre { white-space: pre; } div.output_area pre { margin: 0; }</style>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"></script>
<link rel="stylesheet" href="//cdn.example.org/x.css">
</head><body><h4 id="total-score">a01 (Score: 20.0 / 22.0)</h4>
<a name="ex8_answer"></a><div class="panel-heading">Score: 0.0 / 2.0</div></body></html>"""


def test_the_checks_fail_on_nbgraders_own_page():
    assert not wrapping_selectors(NBGRADER_PAGE)
    assert len(network_loads(NBGRADER_PAGE)) >= 3
    assert "pending" not in score_line(NBGRADER_PAGE)
    assert "pending" not in cell_heading(NBGRADER_PAGE, MANUAL)
    assert wrapping_selectors("<style>div.x pre { white-space: pre-wrap; "
                              "overflow-wrap: anywhere }</style>") == {"div.x pre"}


# -- 1. long hints wrap ------------------------------------------------------------------------
def test_a_failed_checks_hint_is_shown_in_a_wrapping_output(graded):
    results, course = graded
    assert "ex2_test" in dict(results["wrong"].failures)
    html = page(course, "wrong")
    errors = error_outputs(html, "ex2_test")
    assert errors, "the failed check shows no error output"
    hint = re.sub(r"<[^>]+>", "", errors[0])
    assert "GradingError" in hint and len(hint) > 120, hint  # one long line
    assert wrapping_selectors(html) & {"div.output_subarea pre", "div.output_error pre",
                                       "div.output_area pre"}, wrapping_selectors(html)


@pytest.mark.skipif(not chromium_available(), reason="needs Debian's chromium")
def test_the_page_fits_a_laptop_screen_and_loads_nothing(graded):
    """At 1280 px no output scrolls sideways, formulas are drawn, nothing is fetched."""
    from playwright.sync_api import sync_playwright

    _, course = graded
    path = course.root / "feedback" / "wrong" / AID / f"{AID}.html"
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            view = browser.new_page(viewport={"width": 1280, "height": 900})
            view.on("request", lambda r: requests.append(r.url))
            view.goto(path.as_uri())
            state = view.evaluate("""() => {
                const pres = Array.from(document.querySelectorAll('.output_error pre'));
                return {
                  page: document.documentElement.scrollWidth,
                  errors: pres.length,
                  wide: pres.filter(e => e.scrollWidth > e.clientWidth + 1).length,
                  white: pres.map(e => getComputedStyle(e).whiteSpace),
                  tall: pres.filter(e => e.getBoundingClientRect().height > 30).length,
                  maths: Array.from(document.querySelectorAll('math'))
                              .filter(m => m.getBoundingClientRect().width > 0).length,
                };
            }""")
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert state["page"] <= 1280 and state["errors"] >= 1 and state["wide"] == 0, state
    assert set(state["white"]) == {"pre-wrap"}, state
    assert state["tall"] >= 1, state  # the long hint takes more than one line
    assert state["maths"] >= 10, state


# -- 2. maths without the network --------------------------------------------------------------
def test_formulas_are_mathml_and_nothing_comes_from_the_network(graded):
    _, course = graded
    html = page(course, "wrong")
    assert network_loads(html) == []
    nb = solution_nb(AID)
    expected = [f for c in nb.cells if c.cell_type == "markdown" for f in formulas(c.source)]
    assert len(expected) >= 20
    assert html.count("<math") == len(expected)
    assert 'class="tex-fallback"' not in html
    # "x_i \in \{0, 1\}" of exercise 1, as MathML
    assert re.search(r"<math[^>]*><mrow><msub><mi>x</mi><mi>i</mi></msub><mo>(?:∈|&#x0?2208;)</mo>",
                     html), "the first formula of exercise 1 is not MathML"
    text = feedback_text(course.root, "wrong", AID)
    rendered = re.findall(r'<div class="text_cell_render[^"]*">(.*?)</div>', text, flags=re.S)
    assert rendered and not [r for r in rendered if "$" in re.sub(r"<math.*?</math>", "", r,
                                                                   flags=re.S)]


@pytest.mark.parametrize("aid", sorted(p.name for p in (ROOT / "solutions").iterdir()
                                       if list(p.glob("*.ipynb"))))
def test_every_formula_of_the_assignments_converts(aid):
    nb = solution_nb(aid)
    found = [f for c in nb.cells if c.cell_type == "markdown" for f in formulas(c.source)]
    assert found
    bad = [tex for tex, display in found if not (tex_to_mathml(tex, display) or "").startswith(
        "<math") or "merror" in tex_to_mathml(tex, display)]
    assert bad == []


def test_a_formula_that_cannot_be_converted_stays_as_text(monkeypatch):
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    from grader.feedback import FeedbackExporter, MathMLRenderer

    html = MarkdownWithMath(renderer=MathMLRenderer(escape=False)).render(
        r"fine $a^2$ and broken $\frac{1}{$ and $$x <y$$")
    assert "<math" in html and r"\frac{1}{" in html and "tex-fallback" in html
    assert "<math" in FeedbackExporter.latex2mathml("$$a_1$$")
    tex_to_mathml.cache_clear()
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)  # not installed
    try:
        assert tex_to_mathml("a^2") is None
        html = MarkdownWithMath(renderer=MathMLRenderer(escape=False)).render("$a^2$")
        assert "<math" not in html and "$a^2$" in html
    finally:
        tex_to_mathml.cache_clear()


# -- 3. points awaiting manual grading -----------------------------------------------------------
def test_a_written_answer_not_graded_yet_is_pending_not_zero(graded):
    results, course = graded
    assert results["wrong"].pending == 2
    html = page(course, "wrong")
    heading = cell_heading(html, MANUAL)
    assert "2 points pending manual grading" in heading and "0 / 2" not in heading, heading
    total = score_line(html)
    score, max_score = results["wrong"].score, results["wrong"].max_score
    assert "pending" in total and "2 points pending manual grading" in total, total
    # not "15 / 22": the score so far is out of the points graded so far
    assert f"{score:g} / {max_score - 2:g}" in total and f"/ {max_score:g}" not in total, total
    assert re.search(rf'href="#{MANUAL}">[^<]*</a>\s*\(<span class="pending">2 points pending',
                     html)


def test_after_manual_grading_the_real_score_shows(graded):
    from nbgrader.api import Gradebook

    results, course = graded
    assert "pending" in cell_heading(page(course, "by_hand"), MANUAL)
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        g = gb.find_grade(MANUAL, AID, AID, "by_hand")
        g.manual_score = 1.5
        gb.db.commit()
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run([sys.executable, "-m", "grader", "feedback", AID, "--course",
                           str(ROOT), "--output", str(course.root)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = page(course, "by_hand")
    assert "pending" not in feedback_text(course.root, "by_hand", AID)
    assert cell_heading(html, MANUAL).startswith("Your answer Score: 1.5 / 2")
    full = results["by_hand"].max_score
    assert score_line(html) == f"{AID} (Score: {full - 0.5:g} / {full:g})"
    # the other student still waits
    assert "pending" in cell_heading(page(course, "wrong"), MANUAL)


# -- 4. still no hidden tests, tracebacks reduced to the hint ---------------------------
def test_feedback_still_hides_hidden_tests_and_tracebacks(graded):
    _, course = graded
    text = feedback_text(course.root, "wrong", AID)
    hidden, _ = secret_lines(AID)
    assert hidden and [ln for ln in hidden if ln in text] == []
    assert "Traceback" not in text and 'File "' not in text
    for err in error_outputs(page(course, "wrong"), "ex2_test"):
        assert len(re.sub(r"<[^>]+>", "", err).strip().splitlines()) == 1
    assert cell(solution_nb(AID), "ex2_test")  # the cell the hint belongs to exists


def test_the_pages_own_words_speak_to_students(graded):
    _, course = graded
    html = page(course, "wrong")
    chrome = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S | re.I)
    chrome = chrome.split('<div id="notebook"')[0]  # heading, total and list, before the cells
    words = re.sub(r"<[^>]+>", " ", chrome)
    assert "graded by hand" in words
    assert assignment_problems(words) == []
    template = (ROOT / "grader" / "templates" / "dlcore_feedback" / "index.html.j2").read_text()
    assert assignment_problems(re.sub(r"\{#.*?#\}|\{[{%].*?[%}]\}|<[^>]+>", " ", template,
                                      flags=re.S)) == []
