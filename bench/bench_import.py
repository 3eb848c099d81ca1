"""Import time of ``dlcore`` (goal <= 0.3 s), each measured in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CODE = ("import time; t = time.perf_counter(); {stmt}; "
        "print(time.perf_counter() - t)")


def _fresh(stmt: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", CODE.format(stmt=stmt)], check=True,
                             capture_output=True, text=True).stdout
        times.append(float(out))
    return min(times)


def run(quick: bool = False) -> list[dict]:
    repeats = 3 if quick else 7
    every = ("import dlcore, dlcore.neurons, dlcore.engine, dlcore.nn, dlcore.optim, "
             "dlcore.conv, dlcore.recurrent, dlcore.counting, dlcore.data")
    return [
        {"group": "import (fresh interpreter)", "impl": "numpy",
         "seconds": _fresh("import numpy", repeats)},
        {"group": "import (fresh interpreter)", "impl": "dlcore",
         "seconds": _fresh("import dlcore", repeats), "note": "goal <= 300 ms"},
        {"group": "import (fresh interpreter)", "impl": "dlcore + subm.",
         "seconds": _fresh(every, repeats), "note": "all numpy-only submodules"},
        {"group": "import (fresh interpreter)", "impl": "torch",
         "seconds": _fresh("import torch", repeats), "note": "for scale"},
    ]
