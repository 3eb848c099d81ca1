"""nbgrader preprocessors the course adds (registered in ``nbgrader_config.py``).

- ``IntegrityScan`` (autograde, before execution): reads the cells a student can edit and
  flags statements that tamper with the grader - assigning attributes of imported modules
  (``np.allclose = ...``), ``setattr``/``delattr`` on them, ``sys.modules`` or ``builtins``
  edits, rebinding ``check`` - and puts a report cell at the top of the notebook.  The checks
  themselves (``dlcore.grading``) also refuse to pass when a guarded function was replaced; the
  scan makes the reason visible to the instructor and in the feedback.
- ``LimitOutputSize`` (autograde, after execution): truncates text outputs larger than
  ``max_chars`` and drops oversized rich outputs, so that megabytes of prints cannot bloat
  the autograded notebook or the feedback.
- ``SanitizeFeedback`` (generate_feedback): removes hidden-test regions from test cells and
  replaces the traceback of an error in a test cell by its last line (the hint), so feedback
  never shows hidden test code, hidden inputs or expected values.
"""

from __future__ import annotations

import ast
import re

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, Unicode

REPORT_MARKER = "dlcore-integrity-report"
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?",
                     re.S | re.M)
_PROTECTED_NAMES = {"check", "dl", "dlcore", "np", "numpy", "grading", "math", "builtins"}


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _is_locked(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked") or _is_test_cell(cell))


def scan_source(source: str) -> list[str]:
    """Statements in ``source`` that tamper with modules or the checker (empty when clean)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)  # %magics -> plain Python
    except Exception:  # IPython missing or the transform failed: scan the raw text
        pass
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    modules: set[str] = {"np", "numpy", "dl", "dlcore", "math", "builtins", "sys", "torch"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if isinstance(node, ast.Import) or alias.name[:1].islower():
                    modules.add((alias.asname or alias.name).split(".")[0])
    flags = []

    def root_name(expr):
        while isinstance(expr, (ast.Attribute, ast.Subscript)):
            expr = expr.value
        return expr.id if isinstance(expr, ast.Name) else None

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for t in targets:
            if isinstance(t, (ast.Attribute, ast.Subscript)) and root_name(t) in (
                    modules | {"__builtins__", "globals"}):
                flags.append(f"line {t.lineno}: assigns {ast.unparse(t)}")
            elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Call) and \
                    isinstance(t.value.func, ast.Name) and t.value.func.id in ("globals", "vars"):
                flags.append(f"line {t.lineno}: assigns {ast.unparse(t)}")
            elif isinstance(t, ast.Name) and t.id in ("check", "__builtins__"):
                flags.append(f"line {t.lineno}: rebinds {t.id}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("setattr", "delattr") and node.args and \
                root_name(node.args[0]) in modules:
            flags.append(f"line {node.lineno}: calls {node.func.id} on {ast.unparse(node.args[0])}")
    return flags


class IntegrityScan(NbGraderPreprocessor):
    """Flag student cells that tamper with imported modules or the checker."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if c.get("id") != REPORT_MARKER
                    and REPORT_MARKER not in c.get("metadata", {})]
        flags = []
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code_cells, start=1):
            if _is_locked(cell):
                continue
            flags.extend(f"code cell {number}, {f}" for f in scan_source(cell.source))
        if flags:
            text = ("**Integrity check:** this notebook changes functions the grader relies on; "
                    "the affected tests score 0 and an instructor will review it.\n\n"
                    + "\n".join(f"- {f}" for f in flags))
            report = new_markdown_cell(text, metadata={REPORT_MARKER: flags})
            nb.cells.insert(0, report)
        resources.setdefault("dlcore", {})["integrity_flags"] = flags
        return nb, resources


class LimitOutputSize(NbGraderPreprocessor):
    """Cap the size of every output (characters of text, bytes of rich data)."""

    max_chars = Integer(20_000, help="longest text output kept, in characters").tag(config=True)
    max_data = Integer(2_000_000, help="largest rich output kept (images...), in bytes").tag(
        config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and len(out.get("text", "")) > self.max_chars:
                n = len(out["text"])
                out["text"] = (out["text"][: self.max_chars]
                               + f"\n... output truncated by the grader ({n:,} characters) ...\n")
            data = out.get("data")
            if data:
                for mime in list(data):
                    size = len(str(data[mime]))
                    limit = self.max_chars if mime.startswith("text/") else self.max_data
                    if size > limit:
                        data[mime] = (f"[{mime} output of {size:,} characters removed by the "
                                      f"grader]") if mime == "text/plain" else ""
                        if mime != "text/plain":
                            del data[mime]
                if not data:
                    data["text/plain"] = "[output removed by the grader: too large]"
        return cell, resources


class SanitizeFeedback(NbGraderPreprocessor):
    """Feedback shows test results and hints, never hidden test code or expected values."""

    notice = Unicode("(hidden tests run here; only their result is shown)").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not _is_test_cell(cell):
            return cell, resources
        if _HIDDEN.search(cell.source):
            cell.source = _HIDDEN.sub(f"# {self.notice}\n", cell.source).rstrip("\n")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename, evalue = out.get("ename", "Error"), out.get("evalue", "")
                out["traceback"] = [f"{ename}: {evalue}"]
        return cell, resources
