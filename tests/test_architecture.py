"""The dependency direction of dlcore, checked on the source (nothing is imported).

Layers, from the bottom up::

    core      activations, conv, counting, data, engine, gradcheck, layers, losses, neurons,
              nn, optim, recurrent, _checks, _random   (numpy only: the math of the lectures)
    viz       draws what the core computes (matplotlib)
    widgets   compose controls, call the core to compute and viz to draw
    selfcheck, grading   check answers against the core

A layer may import the layers below it, never one above: the core imports no plotting or widget
library and no dlcore.viz / widgets / selfcheck / grading; viz imports no widgets, selfcheck or
grading; selfcheck and grading import neither viz nor widgets.  And no module imports a private
name (``_x``) or a private module from another dlcore package: what two packages share is
public in one of them.  The root's own private modules (``dlcore._checks``, ``_random``,
``_lazy``) belong to the whole package and are shared by design.

Every import statement counts, also one inside a function (a lazy import is still a
dependency).
"""

from __future__ import annotations

import ast
import pathlib
from typing import NamedTuple

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "dlcore"

CORE = ("activations", "conv", "counting", "data", "engine", "gradcheck", "layers", "losses",
        "neurons", "nn", "optim", "recurrent", "_checks", "_random")
GUI_LIBRARIES = ("matplotlib", "ipywidgets", "anywidget", "IPython")
# package -> what it must never import (top-level libraries and dlcore packages)
FORBIDDEN = {
    **{pkg: GUI_LIBRARIES + ("dlcore.viz", "dlcore.widgets", "dlcore.selfcheck",
                             "dlcore.grading") for pkg in CORE},
    "viz": ("ipywidgets", "anywidget", "dlcore.widgets", "dlcore.selfcheck", "dlcore.grading"),
    "selfcheck": ("dlcore.viz", "dlcore.widgets"),
    "grading": ("dlcore.viz", "dlcore.widgets"),
}
SHARED_PRIVATE = ("_checks", "_random", "_lazy")  # dlcore's own internals, shared by design


class Import(NamedTuple):
    line: int
    module: str        # absolute module imported from ("dlcore.conv.sizes", "numpy")
    name: str | None   # the name imported from it (None for a plain ``import module``)


def package_of(module: str) -> str:
    """The dlcore package a module belongs to: "dlcore.conv.sizes" -> "conv"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Every import in ``source`` (the code of ``module``), relative ones made absolute."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [Import(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out += [Import(node.lineno, target, alias.name) for alias in node.names]
    return out


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """What is wrong with the imports of ``module`` (its dotted name, e.g. "dlcore.nn.train")."""
    pkg = package_of(module)
    found = []
    for imp in imports(source, module, is_package):
        targets = [imp.module] + ([f"{imp.module}.{imp.name}"] if imp.name else [])
        for banned in FORBIDDEN.get(pkg, ()):
            if any(_under(t, banned) for t in targets):
                found.append(f"{module}:{imp.line} ({pkg}) imports {targets[-1]}, "
                             f"which {pkg} must not depend on")
                break
        if not _under(imp.module, "dlcore"):
            continue
        target_pkg = package_of(imp.module) or (imp.name or "")
        if target_pkg in (pkg, *SHARED_PRIVATE):
            continue
        path = imp.module.split(".")[1:] + ([imp.name] if imp.name else [])
        private = [p for p in path if p.startswith("_") and not p.startswith("__")]
        if private:
            found.append(f"{module}:{imp.line} imports the private {private[0]!r} of "
                         f"dlcore.{target_pkg} ({'.'.join(['dlcore', *path])})")
    return found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("").parts
        is_package = rel[-1] == "__init__"
        yield path, ".".join(rel[:-1] if is_package else rel), is_package


def test_every_layer_imports_only_layers_below_it():
    problems = [v for path, module, is_package in _modules()
                for v in violations(path.read_text(), module, is_package)]
    assert not problems, "\n".join(problems)


def test_every_package_is_in_a_layer():
    """A new top-level package or module gets a place in the layers above (or the test says so)."""
    known = set(CORE) | {"viz", "widgets", "selfcheck", "grading", "_lazy", "__init__"}
    tops = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()
            if (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert tops <= known, f"place these in a layer of tests/test_architecture.py: {tops - known}"


# --- the scanner finds what it is meant to find ------------------------------------------------

@pytest.mark.parametrize("module, source, expected", [
    # the core drawing (also lazily, inside a function)
    ("dlcore.nn.train", "def f():\n    import matplotlib.pyplot as plt\n", "matplotlib"),
    ("dlcore.activations", "from IPython.display import display\n", "IPython"),
    # the core calling up into viz, widgets or grading, relative or absolute
    ("dlcore.optim.surfaces", "from ..viz.optim import contour_levels\n", "dlcore.viz"),
    ("dlcore.conv.sizes", "from .. import widgets\n", "dlcore.widgets"),
    ("dlcore.neurons", "from dlcore.grading import close\n", "dlcore.grading"),
    # viz reaching widgets; selfcheck and grading reaching viz
    ("dlcore.viz.mlp.network", "from ...widgets.mlp import counter\n", "dlcore.widgets"),
    ("dlcore.selfcheck.lec06", "from ..viz.graphs import draw_graph\n", "dlcore.viz"),
    ("dlcore.grading.a04_cnn.sizes", "import dlcore.viz\n", "dlcore.viz"),
    # private names and modules of another package
    ("dlcore.widgets.optimizers.race", "from ...viz.optim import _Surface\n", "'_Surface'"),
    ("dlcore.grading.a04_cnn.convolution", "from ...conv import _im2col\n", "'_im2col'"),
    ("dlcore.grading.a04_cnn.sizes", "from ...conv._common import pair\n", "'_common'"),
])
def test_scanner_reports_a_planted_violation(module, source, expected):
    found = violations(source, module)
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("module, source", [
    ("dlcore.nn.train", "import numpy as np\nfrom ..optim import SGD\n"
                        "from .._checks import as_array\n"),
    ("dlcore.widgets.conv.explorer", "from ._grid import NumberGrid\nfrom .._base import App\n"
                                     "import matplotlib\nfrom ...viz.conv import number_grid\n"),
    ("dlcore.viz.optim", "from ..optim.surfaces import loss_grid\nimport matplotlib.pyplot\n"),
    ("dlcore.grading.a04_cnn.sizes", "from .._core import Exercise\nfrom ... import conv\n"),
    ("dlcore.conv", "from ._common import pair\nfrom .im2col import im2col\n"),
])
def test_scanner_accepts_allowed_imports(module, source):
    assert violations(source, module, is_package=module == "dlcore.conv") == []


def test_relative_imports_resolve_from_packages_and_modules():
    assert imports("from . import x", "dlcore.conv", is_package=True) == [
        Import(1, "dlcore.conv", "x")]
    assert imports("from ..viz import y", "dlcore.conv.sizes") == [Import(1, "dlcore.viz", "y")]


# -- the tests use the grading packages through their public names --------------------------
TESTS = pathlib.Path(__file__).resolve().parent


def private_grading_names(source: str) -> list[str]:
    """Private names (``_x``) a test takes from dlcore.grading: imported, or read as
    ``module._x`` from a grading module it imported.  The grading core's own unit tests may
    import its private modules (``dlcore.grading._core``); names starting with ``_`` never."""
    found, grading_names = [], set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dlcore.grading"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"from {node.module} import {alias.name}")
                grading_names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dlcore.grading"):
                    grading_names.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in grading_names \
                    and (base.id != "dlcore" or "grading" in ast.unparse(node.value)):
                found.append(f"{ast.unparse(node)}")
    return found


def test_tests_use_no_private_name_of_the_grading_packages():
    bad = {str(p.relative_to(TESTS)): v for p in sorted(TESTS.rglob("*.py"))
           if (v := private_grading_names(p.read_text(encoding="utf-8")))}
    assert not bad, bad


@pytest.mark.parametrize("source", [
    "from dlcore.grading.a04_cnn.backward import _bwd_cases\n",
    "from dlcore.grading import a02_gradient_descent_backprop as a02\na02._chain_ref(1)\n",
    "from dlcore.grading.a04_cnn import by_hand\nby_hand._CELLS_WRONG\n",
    "import dlcore.grading.a05_rnn_lstm\ndlcore.grading.a05_rnn_lstm._count_ref(1, 2, 3)\n",
])
def test_private_grading_scanner_reports_a_planted_use(source):
    assert len(private_grading_names(source)) == 1


def test_private_grading_scanner_accepts_public_names():
    source = ("import dlcore as dl\nfrom dlcore.grading import a04_cnn as a04\n"
              "from dlcore.grading.a04_cnn.backward import backward_cases\n"
              "a04.checker({})\ndl.conv._common\nx = object()\nx._private\n")
    assert private_grading_names(source) == []
