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
- ``RestoreCells`` (autograde, sanitizing): nbgrader's OverwriteCells, which also puts back a
  deleted answer cell (nbgrader fails on the whole notebook when an answer cell and its test
  cell are both deleted).
- ``SanitizeFeedback`` (generate_feedback): removes hidden-test regions from test cells and
  replaces the traceback of an error in a test cell by its last line (the hint), so feedback
  never shows hidden test code, hidden inputs or expected values.
"""

from __future__ import annotations

import ast
import re

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
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


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, which also puts back a deleted answer cell.

    nbgrader restores a deleted test cell after the cell that came before it in the handed-out
    notebook, and fails with a ``KeyError`` (the whole notebook then scores 0) when that cell
    was deleted too: a student who deleted an exercise's answer cell and its test cell lost
    every point of the assignment.  Here every missing answer or test cell is put back, in
    the handed-out order, after the nearest earlier cell that is still there; an answer cell
    comes back as it was handed out (so its exercise scores 0) and the rest is graded.
    """

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        names = [c.name for c in source_cells]
        grade_cells = {c.name: c for c in source_nb.grade_cells}
        solution_ids = {c.name for c in source_nb.solution_cells}

        def position() -> dict[str, int]:
            out = {}
            for i, c in enumerate(nb.cells):
                meta = c.get("metadata", {}).get("nbgrader", {})
                if "grade_id" in meta:
                    out[meta["grade_id"]] = i
            return out

        for k, name in enumerate(names):
            if name not in grade_cells and name not in solution_ids:
                continue
            where = position()
            if name in where:
                continue
            before = next((where[p] for p in reversed(names[:k]) if p in where), -1)
            source = source_cells[k]
            if name in grade_cells:
                cell = self.missing_cell_transform(source, grade_cells[name].max_score,
                                                   is_solution=name in solution_ids)
            else:
                cell = _answer_cell(source, self.missing_cell_notification)
            self.log.warning(f"Missing cell {name} encountered, adding it back")
            nb.cells.insert(before + 1, cell)
        return nb, resources


def _answer_cell(source_cell, notification: str):
    """A deleted answer cell, as it was handed out."""
    from nbformat import from_dict

    text = notification.format(cell_id=source_cell.name)
    cell = {"cell_type": source_cell.cell_type,
            "metadata": {"nbgrader": {"grade": False, "solution": True, "locked": False,
                                      "grade_id": source_cell.name, "schema_version": 3}},
            "source": text + source_cell.source}
    if cell["cell_type"] == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
        cell["source"] = "".join("# " + line if line.strip() else line
                                 for line in text.splitlines(keepends=True)) + \
            source_cell.source
    return from_dict(cell)
