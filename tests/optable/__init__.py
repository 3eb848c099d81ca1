"""The op table: one row per differentiable op, checked by tests/test_op_table.py.

Each module of dlcore contributes its rows in ``tests/optable/<module>.py`` as a list named
``ROWS``.  Adding an op means adding a row.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class OpRow:
    """One gradient check.

    ``make(rng) -> (args, kwargs)`` builds float64 inputs (away from kinks); ``forward`` and
    ``backward`` are the dlcore pair; ``torch_fn(*tensors, **kwargs)`` is the same op in torch.
    ``wrt``/``names`` as in ``dlcore.gradcheck.check_op``.  ``marks`` are pytest marker names
    (the lecture, e.g. "lec06").
    """

    id: str
    forward: Callable
    backward: Callable
    make: Callable
    torch_fn: Callable | None
    wrt: tuple | None = None
    names: tuple | None = None
    tol: float = 1e-7
    marks: tuple = field(default_factory=tuple)


def all_rows() -> list[OpRow]:
    rows = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        rows.extend(getattr(mod, "ROWS", []))
    ids = [r.id for r in rows]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate op-table ids: {sorted(dupes)}")
    return rows
