"""Run a lecture notebook the way the suite checks it, and evaluate its expectations.

Teaching cells show results; they do not assert them.  What a notebook must reproduce lives in
``tests/notebook_expectations/<notebook stem>.py``: a list ``EXPECTATIONS`` built with
``close``, ``equal`` and ``true`` below, and a dict ``PARAMETERS`` that overrides the
notebook's papermill-style ``parameters`` cell (a code cell tagged ``parameters``, such as
``EPOCHS = 20``) so that training runs stay short in the suite.

Each expectation is a Python expression evaluated in the notebook's own kernel (nbclient keeps
the kernel open), after the whole notebook has run or, with ``after="..."``, right after the
first code cell whose source contains that text (for names that a later cell reuses).  The
value travels back as JSON and is compared here, in the test process.
"""

from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS_DIR = Path(__file__).resolve().parent / "notebook_expectations"
_MARK = "@@dlcore-expectation@@"

# Converts a value to JSON-friendly data inside the kernel (numpy arrays and scalars included).
_KERNEL_HELPER = r'''
def __dl_expect_plain(v):
    import numpy as __np
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    if isinstance(v, __np.generic):
        return v.item()
    if isinstance(v, __np.ndarray):
        return v.tolist()
    if isinstance(v, dict):
        return {str(k): __dl_expect_plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        return [__dl_expect_plain(x) for x in v]
    try:
        return __np.asarray(v).tolist()
    except Exception:
        return repr(v)
'''


@dataclass(frozen=True)
class Expect:
    """One expectation: ``expr`` evaluated in the kernel, compared by ``kind``."""

    expr: str
    kind: str  # "close", "equal" or "true"
    expected: object = True
    atol: float = 0.0
    rtol: float = 0.0
    after: str | None = None
    why: str = ""


def close(expr: str, expected, *, atol: float = 1e-8, rtol: float = 0.0, after: str | None = None,
          why: str = "") -> Expect:
    """``expr`` equals ``expected`` elementwise within ``atol + rtol * |expected|`` (same shape)."""
    return Expect(expr, "close", expected, atol, rtol, after, why)


def equal(expr: str, expected, *, after: str | None = None, why: str = "") -> Expect:
    """``expr`` equals ``expected`` exactly (after numpy arrays become lists, tuples lists)."""
    return Expect(expr, "equal", expected, after=after, why=why)


def true(expr: str, *, after: str | None = None, why: str = "") -> Expect:
    """``bool(expr)`` is True in the kernel (for inequalities, counts, string contents)."""
    return Expect(expr, "true", True, after=after, why=why)


@dataclass
class Spec:
    """The expectations file of one notebook."""

    path: Path
    expectations: list[Expect]
    parameters: dict = field(default_factory=dict)


def expectations_path(notebook: Path) -> Path:
    return EXPECTATIONS_DIR / f"{Path(notebook).stem}.py"


def load_spec(notebook: Path) -> Spec:
    """Load ``tests/notebook_expectations/<stem>.py`` for ``notebook``."""
    path = expectations_path(notebook)
    spec = importlib.util.spec_from_file_location(f"nb_expect_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Spec(path, list(module.EXPECTATIONS), dict(getattr(module, "PARAMETERS", {})))


def parameters_cell_index(nb) -> int | None:
    """Index of the cell tagged ``parameters`` (papermill's convention), or None."""
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def inject_parameters(nb, parameters: dict):
    """Insert papermill's ``injected-parameters`` cell after the ``parameters`` cell."""
    if not parameters:
        return nb
    index = parameters_cell_index(nb)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters' to override")
    source = "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, cell)
    return nb


def _compare(e: Expect, value) -> str | None:
    """None when ``value`` meets ``e``, else a message that says what differs."""
    if e.kind == "true":
        return None if value is True else "is not true"
    if e.kind == "equal":
        expected = json.loads(json.dumps(e.expected, default=lambda o: np.asarray(o).tolist()))
        return None if value == expected else f"= {value!r}, expected {expected!r}"
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return f"= {value!r} is not numeric"
    want = np.asarray(e.expected, dtype=float)
    if got.shape != want.shape:
        return f"has shape {got.shape}, expected {want.shape}"
    if np.allclose(got, want, atol=e.atol, rtol=e.rtol, equal_nan=True):
        return None
    return (f"= {np.array2string(got, precision=8)}, expected "
            f"{np.array2string(want, precision=8)} (atol {e.atol:g}, rtol {e.rtol:g})")


@dataclass
class RunResult:
    nb: object
    seconds: float
    errors: list[str]
    failures: list[str]
    checked: int


def _evaluate(client, e: Expect) -> str | None:
    expr = e.expr if e.kind != "true" else f"bool({e.expr})"
    code = (f"{_KERNEL_HELPER}\n"
            "import json as __dl_json\n"
            "try:\n"
            f"    __dl_v = {{'ok': True, 'value': __dl_expect_plain(eval({expr!r}))}}\n"
            "except Exception as __dl_e:\n"
            "    __dl_v = {'ok': False, 'error': f'{type(__dl_e).__name__}: {__dl_e}'}\n"
            f"print({_MARK!r} + __dl_json.dumps(__dl_v))\n"
            "del __dl_v, __dl_expect_plain")
    cell = nbformat.v4.new_code_cell(code)
    # nbclient stores an executed cell at its index: run the probe as a scratch last cell
    client.nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(client.nb.cells) - 1, store_history=False)
    finally:
        client.nb.cells.pop()
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith(_MARK)), None)
    if line is None:
        return f"`{e.expr}`: no value came back ({text[-300:]!r})"
    reply = json.loads(line[len(_MARK):])
    if not reply["ok"]:
        return f"`{e.expr}` raised {reply['error']}"
    problem = _compare(e, reply["value"])
    if problem is None:
        return None
    where = f" (after the cell containing {e.after!r})" if e.after else ""
    why = f": {e.why}" if e.why else ""
    return f"`{e.expr}`{where} {problem}{why}"


def run_notebook(path: Path, parameters: dict | None = None, expectations=(),
                 timeout: float = 300) -> RunResult:
    """Execute ``path`` cell by cell in a fresh kernel and evaluate ``expectations`` in it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = inject_parameters(nbformat.read(path, as_version=4), dict(parameters or {}))
    code_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    after: dict[int, list[Expect]] = {}
    errors: list[str] = []
    at_end = []
    for e in expectations:
        if e.after is None:
            at_end.append(e)
            continue
        match = next((i for i, c in code_cells if e.after in c.source
                      and "injected-parameters" not in c.metadata.get("tags", [])), None)
        if match is None:
            errors.append(f"no code cell contains {e.after!r} (expectation `{e.expr}`)")
        else:
            after.setdefault(match, []).append(e)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    failures: list[str] = []
    checked = 0
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as exc:
                errors.append(f"cell {index} raised:\n{str(exc)[-1500:]}")
                break
            for e in after.get(index, []):
                checked += 1
                if (msg := _evaluate(client, e)) is not None:
                    failures.append(msg)
        seconds = time.perf_counter() - start
        if not errors:
            for e in at_end:
                checked += 1
                if (msg := _evaluate(client, e)) is not None:
                    failures.append(msg)
    return RunResult(nb, seconds, errors, failures, checked)


# What JupyterLab writes into a notebook's metadata when it opens it with the course's kernel.
# A notebook committed with exactly this is not marked modified when a learner only reads it
# (JupyterLab compares the kernel's reply, Python version included, with what is saved).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}
PYTHON_SERIES = "3.11"  # environment.yml's python; the patch level is the CI machine's


def jupyterlab_metadata(python_version: str) -> dict:
    return {"kernelspec": dict(KERNELSPEC),
            "language_info": {**LANGUAGE_INFO, "version": python_version}}


def normalize(path: Path | str, python_version: str) -> bool:
    """Give ``path`` the metadata JupyterLab writes; return True when the file changed."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    before = path.read_text(encoding="utf-8")
    nb.metadata = nbformat.from_dict({**{k: v for k, v in nb.metadata.items()
                                         if k not in ("kernelspec", "language_info")},
                                      **jupyterlab_metadata(python_version)})
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":  # python -m tests.notebook_checks: normalise lectures and solutions
    import platform

    # (then run `make assignments`: the student versions take their metadata from solutions/)
    for nb_path in sorted([*(ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"),
                           *(ROOT / "solutions").glob("*/*.ipynb")]):
        if normalize(nb_path, platform.python_version()):
            print("normalised", nb_path.relative_to(ROOT))
