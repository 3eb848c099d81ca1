"""Benchmarks: dlcore against torch (CPU) and against its own naive loops.  Not a test.

Each ``bench/bench_*.py`` defines ``run(quick: bool) -> list[dict]`` whose rows have keys
``group`` (what is measured, e.g. "conv2d fwd+bwd N=32 C=16 28x28 F=32 k=3"), ``impl``
("dlcore", "dlcore naive", "torch"), ``seconds`` (best of several repeats) and optionally
``note``.  This script prints one table with each implementation's time relative to torch.

    python bench/run.py            # full sizes
    python bench/run.py --quick    # small sizes, for a smoke run
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("only", nargs="*", help="run only these bench modules (e.g. conv)")
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    print(f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
          f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}")
    sys.path.insert(0, str(HERE))  # bench modules share bench/_timing.py
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.run(quick=args.quick))

    groups = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    width = max((len(g) for g in groups), default=10)
    print(f"\n{'case':<{width}}  {'impl':<14} {'ms':>10} {'x torch':>8}  note")
    for group, items in groups.items():
        ref = next((r["seconds"] for r in items if r["impl"] == "torch"), None)
        for r in items:
            ratio = f"{r['seconds'] / ref:8.2f}" if ref else f"{'-':>8}"
            print(f"{group:<{width}}  {r['impl']:<14} {1e3 * r['seconds']:10.2f} {ratio}  "
                  f"{r.get('note', '')}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
