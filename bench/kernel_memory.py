"""Peak memory of each lecture notebook's kernel, as a student on Binder runs it.  Not a test.

Runs every ``notebooks/NN_*.ipynb`` top to bottom in a fresh ``python3`` kernel with nbclient
(the notebook's own parameters, i.e. what a student gets; ``--quick`` uses the short parameters
of the test suite instead) and reads the kernel process's peak resident set size (``VmHWM`` in
``/proc/<pid>/status``, Linux only) after the last cell.  The kernel's child processes, if any,
are sampled every 0.2 s and their largest total RSS is reported separately.  Writes a Markdown
table to ``bench/results/kernel_memory.md`` (and JSON beside it) for the Binder and hub sizing
docs.

    .venv/bin/python bench/kernel_memory.py               # all lectures, default parameters
    .venv/bin/python bench/kernel_memory.py --quick 12c   # test-suite parameters, one lecture

Thread environment: inherited.  Binder sets no ``OMP_NUM_THREADS``; ``make lab`` sets one BLAS
thread.  The machine's details go into the table's header.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _children_rss_kb(pid: int) -> int:
    try:
        import psutil
    except ImportError:  # no sampling of children without psutil
        return 0
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for k in kids:
        try:
            total += k.memory_info().rss // 1024
        except psutil.Error:
            pass
    return total


def _parameters(notebook: Path) -> dict:
    path = ROOT / "tests" / "notebook_expectations" / f"{notebook.stem}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"_params_{notebook.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT))  # the expectation files import tests.notebook_checks
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT))
    return dict(getattr(module, "PARAMETERS", {}))


def measure(notebook: Path, quick: bool, timeout: float) -> dict:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(notebook, as_version=4)
    if quick:
        sys.path.insert(0, str(ROOT))
        from tests.notebook_checks import inject_parameters

        nb = inject_parameters(nb, _parameters(notebook))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    error = ""
    children_peak = 0
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.pid
        baseline = _status_kb(pid, "VmRSS")  # a started kernel before any cell has run
        stop = threading.Event()

        def sample():
            nonlocal children_peak
            while not stop.wait(0.2):
                children_peak = max(children_peak, _children_rss_kb(pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1][:200]
        finally:
            stop.set()
            sampler.join()
        peak = _status_kb(pid, "VmHWM")
        end = _status_kb(pid, "VmRSS")
    return {"notebook": notebook.name, "seconds": round(time.perf_counter() - start, 1),
            "start_mb": round(baseline / 1024), "end_mb": round(end / 1024),
            "peak_mb": round(peak / 1024), "children_peak_mb": round(children_peak / 1024),
            "error": error}


def _machine() -> dict:
    import numpy as np
    import torch

    threads = {k: os.environ.get(k, "unset") for k in
               ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return {"python": platform.python_version(), "platform": f"{sys.platform}-{platform.machine()}",
            "cpus": os.cpu_count(), "numpy": np.__version__, "torch": torch.__version__,
            "threads": threads, "date": _dt.date.today().isoformat()}


def write_table(rows: list[dict], machine: dict, quick: bool, path: Path) -> None:
    threads = ", ".join(f"{k}={v}" for k, v in machine["threads"].items())
    lines = [
        "# Kernel memory per lecture notebook",
        "",
        "Written by `bench/kernel_memory.py`"
        + (" --quick (the test suite's short parameters)" if quick
           else " (each notebook's own parameters, as a student runs it)") + ".",
        f"Measured {machine['date']} on {machine['platform']}, {machine['cpus']} CPUs, Python "
        f"{machine['python']}, numpy {machine['numpy']}, torch {machine['torch']}; {threads}.",
        "",
        "Each notebook ran top to bottom in a fresh `python3` kernel (nbclient).  *Peak* is",
        "the kernel process's peak resident set size (`VmHWM`), *start* its RSS once started",
        "(before the first cell), *end* its RSS after the last cell; *children* is the largest",
        "total RSS of processes the kernel started (sampled every 0.2 s; 0 = none).",
        "MB = MiB (2^20 bytes).",
        "",
        "| notebook | peak MB | start MB | end MB | children MB | run s | error |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(f"| {r['notebook']} | {r['peak_mb']} | {r['start_mb']} | {r['end_mb']} | "
                     f"{r['children_peak_mb']} | {r['seconds']} | {r['error'] or ''} |")
    top = max(rows, key=lambda r: r["peak_mb"])
    lines += ["", f"Largest peak: **{top['peak_mb']} MB** ({top['notebook']}).", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))
    payload = {"machine": machine, "quick": quick, "rows": rows}
    path.with_suffix(".json").write_text(json.dumps(payload, indent=1) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the test suite's short parameters instead of the notebooks' own")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per cell")
    parser.add_argument("--out", type=Path, default=None,
                        help="Markdown table (default bench/results/kernel_memory[-quick].md)")
    parser.add_argument("only", nargs="*", help="lecture numbers or stems, e.g. 12c 15")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("needs Linux (/proc/<pid>/status)", file=sys.stderr)
        return 2
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks
                     if any(p.stem == o or p.stem.split("_")[0] == o for o in args.only)]
    machine = _machine()
    out = args.out or RESULTS / ("kernel_memory-quick.md" if args.quick else "kernel_memory.md")
    rows = []
    for nb in notebooks:
        row = measure(nb, args.quick, args.timeout)
        rows.append(row)
        print(f"{row['notebook']:<45} peak {row['peak_mb']:5d} MB  start {row['start_mb']:4d}  "
              f"end {row['end_mb']:5d}  children {row['children_peak_mb']:4d}  "
              f"{row['seconds']:6.1f} s  {row['error']}", flush=True)
    write_table(rows, machine, args.quick, out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
