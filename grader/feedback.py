"""The HTML feedback a student receives (``nbgrader generate_feedback``, configured in
``nbgrader_config.py``), made to be read offline on a laptop screen.

- ``FeedbackExporter``: nbconvert's HTML exporter with the course's feedback template
  (``grader/templates/dlcore_feedback``) and the formulas of markdown cells converted to MathML
  when the feedback is made (``latex2mathml``), so that browsers draw them natively: nothing is
  loaded from the network when the page is opened.  A formula that cannot be converted stays
  as its TeX text.
- ``FeedbackGrades``: nbgrader's ``GetGrades``, which also marks the cells still waiting for
  manual grading and adds up their points, so that the page shows them as pending instead of
  as a score of 0.

The template wraps long outputs (a failed check's hint is often one long line) instead of
making the reader scroll sideways.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import GetGrades
from traitlets import default

try:
    from jinja2 import pass_context
except ImportError:  # jinja2 < 3
    from jinja2 import contextfilter as pass_context

__all__ = ["FeedbackExporter", "FeedbackGrades", "TEMPLATE_DIR", "TEMPLATE_NAME",
           "tex_to_mathml", "formulas"]

#: Folder of the course's nbconvert templates, and the name of the feedback template in it.
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "dlcore_feedback"


@lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """MathML for the TeX formula ``tex`` (without its ``$`` delimiters), or None when it
    cannot be converted (the caller then keeps the TeX as text)."""
    try:
        from latex2mathml.converter import convert
    except ImportError:  # not installed: formulas stay as TeX text
        return None
    tex = tex.strip()
    if not tex:
        return None
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception:  # a command the converter does not know, unbalanced braces...
        return None
    if "<math" not in mathml:
        return None
    # Screen readers and copy-paste get the TeX back; the page itself needs nothing else.
    return mathml.replace("<math ", f'<math alttext="{escape(tex, quote=True)}" ', 1)


def _fallback(tex: str, display: bool) -> str:
    delim = "$$" if display else "$"
    return f'<span class="tex-fallback">{delim}{escape(tex, quote=False)}{delim}</span>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with formulas as MathML instead of TeX for MathJax."""

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, True) or _fallback(body, True)

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, False) or _fallback(body, False)

    def latex_environment(self, name: str, body: str) -> str:
        tex = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return tex_to_mathml(tex, True) or _fallback(tex, True)


class _Collector(IPythonRenderer):
    """Renders nothing useful; records every formula the markdown parser finds."""

    def __init__(self):
        super().__init__(escape=False)
        self.found: list[tuple[str, bool]] = []

    def block_math(self, body: str) -> str:
        self.found.append((body, True))
        return ""

    def inline_math(self, body: str) -> str:
        self.found.append((body, False))
        return ""

    def latex_environment(self, name: str, body: str) -> str:
        self.found.append((f"\\begin{{{name}}}{body}\\end{{{name}}}", True))
        return ""


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """(TeX, display?) of every formula in a markdown text, as the feedback page finds them."""
    collector = _Collector()
    MarkdownWithMath(renderer=collector).render(markdown)
    return collector.found


_LATEX_OUTPUT = re.compile(r"^\s*(\$\$?)(.*?)\1\s*$", re.S)


class FeedbackExporter(HTMLExporter):
    """HTML exporter of the feedback: the course's template, formulas as MathML."""

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATE_DIR)]

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        attachments = cell.get("attachments", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = MathMLRenderer(
            escape=False, attachments=attachments, embed_images=self.embed_images, path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        return MarkdownWithMath(renderer=renderer).render(source)

    @staticmethod
    def latex2mathml(source: str) -> str:
        """A ``text/latex`` output (``$...$`` or ``$$...$$``) as MathML, else as text."""
        m = _LATEX_OUTPUT.match(source or "")
        tex, display = (m.group(2), m.group(1) == "$$") if m else (source or "", True)
        return tex_to_mathml(tex, display) or f"<pre>{escape(source or '', quote=False)}</pre>"

    def default_filters(self):
        yield from super().default_filters()
        yield ("latex2mathml", self.latex2mathml)


class FeedbackGrades(GetGrades):
    """``GetGrades`` that also tells which grades still wait for manual grading.

    A cell whose grade has neither a manual nor an automatic score yet (a written answer
    before the instructor grades it) gets ``metadata.nbgrader.pending = True``; the notebook's
    ``resources['nbgrader']['pending']`` is the sum of their points and ``graded_max_score``
    the points of everything already graded.  Once a manual score is set, the cell shows it.
    """

    def _get_score(self, cell, resources):
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id,
            self.student_id)
        pending = grade.manual_score is None and grade.auto_score is None
        cell.metadata.nbgrader["pending"] = bool(pending)
        if pending:
            resources["nbgrader"]["pending"] = (resources["nbgrader"].get("pending", 0.0)
                                                + float(grade.max_score or 0))

    def preprocess(self, nb, resources):
        resources.setdefault("nbgrader", {})["pending"] = 0.0
        nb, resources = super().preprocess(nb, resources)
        info = resources["nbgrader"]
        info["graded_max_score"] = float(info["max_score"]) - float(info["pending"])
        return nb, resources
