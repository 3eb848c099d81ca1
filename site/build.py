"""Build the course website: run every lecture notebook, then render the book with Jupyter Book.

    .venv/bin/python site/build.py             # what `make site` runs (the notebooks' own settings)
    .venv/bin/python site/build.py --quick     # the test suite's short training runs

1. Execute.  Each lecture of ``notebooks/`` runs top to bottom in a fresh kernel of the course's
   environment (nbclient, ``--jobs`` notebooks at a time), from ``notebooks/`` as the notebook
   would in JupyterLab.  ``DLCORE_STATIC_WIDGETS=1`` makes every widget add a still picture of
   itself to its output (``dlcore/widgets/_static.py``); ``DLCORE_PROGRESS`` points the
   self-checks' progress file at a scratch folder.  ``--quick`` overrides the ``parameters``
   cell with the suite's values (``tests/notebook_expectations/*.py``) and sets ``DLCORE_FAST``.
2. Clean.  The live widget view (which a static page cannot show) and the saved widget state are
   dropped, so the page shows the still picture and loads no widget JavaScript.  An error
   output, a traceback, or a widget without a picture fails the build.
3. Render.  The executed notebooks, an index page, ``SOURCES.md``, ``_config.yml`` (from
   ``site/_config.yml``) and a table of contents in teaching order go to ``<out>/source``;
   Jupyter Book 1.x from ``.venv-site`` (its own environment, ``site/requirements.txt``)
   renders them to ``<out>/html`` without executing anything.  The download button then offers
   the lecture as it is in the repository (no outputs, ready to run), not the executed copy.

The build report (times, sizes, problems) goes to ``<out>/build-report.json``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Until the instructor sets SITE_REPO, links point at this placeholder (docs/course-website.md).
PLACEHOLDER_REPO = "https://github.com/OWNER/REPO"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)")


def lectures(only: str | None = None) -> list[Path]:
    """The lecture notebooks in teaching order (01 ... 12, 12b, 12c, 13 ...), or those whose
    names start with one of the comma-separated prefixes in ``only``."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))
    if only:
        prefixes = tuple(p.strip() + ("" if p.strip().endswith("_") else "_")
                         for p in only.split(",") if p.strip())
        paths = [p for p in paths if p.name.startswith(prefixes)]
    return paths


def title_of(nb) -> str:
    """The notebook's first level-1 heading (the lecture's title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


# --- 1 and 2: execute and clean ---------------------------------------------------------------

def _swap_updated_pictures(cell) -> None:
    """A widget that changed while its cell ran (a progress bar) published a new picture at the
    end of the cell (``dlcore/widgets/_static.py``): it takes the place of the first one."""
    outputs = cell.get("outputs", [])
    updates = [o for o in outputs if o.get("metadata", {}).get("dlcore_static")]
    for update in updates:
        mark = f'data-dl-static="{update.metadata["dlcore_static"]["replaces"]}"'
        for out in outputs:
            if out is not update and mark in out.get("data", {}).get("text/html", ""):
                out.data["text/html"] = update.data["text/html"]
                break
    cell.outputs = [o for o in outputs if not any(o is u for u in updates)]


def clean(nb) -> tuple[list[str], list[str]]:
    """Drop the live widget views and the widget state; return (problems, stderr texts)."""
    problems, stderr = [], []
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # nbclient's timestamps: noise in the page source
        _swap_updated_pictures(cell)
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"cell {index} raised {out.get('ename')}: {out.get('evalue')}")
            elif kind == "stream" and out.get("name") == "stderr":
                text = out.get("text", "")
                stderr.append(f"cell {index}: {text.strip()[:300]}")
                if TRACEBACK.search(text):
                    problems.append(f"cell {index} printed a traceback:\n{text[-800:]}")
            data = out.get("data")
            if data and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if "text/html" not in data:
                    problems.append(f"cell {index} shows a widget without a still picture "
                                    "(is DLCORE_STATIC_WIDGETS set in the kernel?)")
    return problems, stderr


def execute(path: Path, dest: Path, quick: bool, timeout: float) -> dict:
    """Run one notebook (in a worker process), clean it and write it to ``dest``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if quick:
        sys.path.insert(0, str(ROOT))
        from tests.notebook_checks import inject_parameters, load_spec

        inject_parameters(nb, load_spec(path).parameters)
    # The still pictures from the first widget on, even one shown before the notebook touches
    # dl.widgets (a training loop's progress bar): the kernel imports dlcore.widgets at start.
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}},
                            extra_arguments=["--IPKernelApp.exec_lines=['import dlcore.widgets']"])
    start = time.perf_counter()
    try:
        # the kernel's own log (not the cells' output) would only say it runs over TCP
        client.execute(stderr=subprocess.DEVNULL)
        problems = []
    except Exception as exc:  # a dead kernel or a cell over the timeout
        problems = [f"execution stopped: {type(exc).__name__}: {str(exc)[-800:]}"]
    seconds = time.perf_counter() - start
    more, stderr = clean(nb)
    nbformat.write(nb, dest)
    return {"notebook": path.name, "title": title_of(nb), "seconds": round(seconds, 1),
            "problems": problems + more, "stderr": stderr}


def execute_all(paths: list[Path], dest: Path, quick: bool, jobs: int, timeout: float,
                order_hint: dict) -> list[dict]:
    """Execute ``paths`` with ``jobs`` workers, the longest (by the last build) first."""
    os.environ["DLCORE_STATIC_WIDGETS"] = "1"
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    scratch = tempfile.TemporaryDirectory(prefix="dlcore-site-")
    os.environ.setdefault("DLCORE_PROGRESS", str(Path(scratch.name) / "progress.json"))
    if quick:
        os.environ["DLCORE_FAST"] = "1"
    # Unknown durations: later lectures train longer, so they go first.
    order = sorted(paths, key=lambda p: (-order_hint.get(p.name, 0.0), -paths.index(p)))
    results = {}
    context = multiprocessing.get_context("fork")
    with scratch, futures.ProcessPoolExecutor(max_workers=max(1, jobs),
                                              mp_context=context) as pool:
        jobs_ = {pool.submit(execute, p, dest / p.name, quick, timeout): p for p in order}
        for done in futures.as_completed(jobs_):
            path = jobs_[done]
            try:
                result = done.result()
            except Exception as exc:
                result = {"notebook": path.name, "title": "", "seconds": 0.0, "stderr": [],
                          "problems": [f"the builder failed: {type(exc).__name__}: {exc}"]}
            results[path.name] = result
            flag = "  PROBLEMS" if result["problems"] else ""
            print(f"  {result['seconds']:6.1f} s  {path.name}{flag}", flush=True)
    return [results[p.name] for p in paths]


# --- 3: the book ------------------------------------------------------------------------------

def repo_links(markdown: str, repo: str, branch: str) -> str:
    """Links to repository files outside the book (``../docs/x.md``) point at the repository."""
    def fix(match):
        target = match.group(1)
        return f"]({repo.rstrip('/')}/blob/{branch}/{target})"
    return re.sub(r"\]\(\.\./([^)\s]+)\)", fix, markdown)


def write_book(src: Path, results: list[dict], *, repo: str, branch: str, hub: str,
               quick: bool) -> None:
    footer = ("A test build: the training runs were shortened, so some numbers differ from "
              "the lectures' own." if quick else "")
    config = (SITE / "_config.yml").read_text(encoding="utf-8")
    for key, value in {"REPO": repo, "BRANCH": branch, "HUB": hub, "FOOTER": footer}.items():
        config = config.replace(f"@{key}@", value.replace('"', "'"))
    (src / "_config.yml").write_text(config, encoding="utf-8")
    shutil.copytree(SITE / "_ext", src / "_ext", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    stems = [Path(r["notebook"]).stem for r in results]
    toc = ["format: jb-book", "root: index", "parts:", "  - caption: Lectures", "    chapters:"]
    toc += [f"      - file: {stem}" for stem in stems]
    toc += ["  - caption: Reference", "    chapters:", "      - file: SOURCES"]
    (src / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    items = "\n".join(f"1. [{r['title'] or Path(r['notebook']).stem}]({r['notebook']})"
                      for r in results)
    index = (SITE / "index.md").read_text(encoding="utf-8").replace("@LECTURES@", items)
    (src / "index.md").write_text(index, encoding="utf-8")
    sources = (NOTEBOOKS / "SOURCES.md").read_text(encoding="utf-8")
    (src / "SOURCES.md").write_text(repo_links(sources, repo, branch), encoding="utf-8")


def jupyter_book(src: Path, out: Path, jb: Path) -> tuple[int, str]:
    """Render ``src`` to ``out/html``; return (warnings, log tail)."""
    if not jb.exists():
        raise SystemExit(f"{jb} not found: `make site` creates .venv-site (site/requirements.txt)")
    work = out / "jb"
    shutil.rmtree(work, ignore_errors=True)
    proc = subprocess.run([str(jb), "build", str(src), "--path-output", str(work),
                           "--builder", "html", "--all"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS":
                                                               "ignore"})
    log = proc.stdout + proc.stderr
    (out / "jupyter-book.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"jupyter-book failed ({proc.returncode}):\n{log[-3000:]}")
    html = out / "html"
    shutil.rmtree(html, ignore_errors=True)
    os.replace(work / "_build" / "html", html)
    shutil.rmtree(work, ignore_errors=True)
    warnings = len(re.findall(r"WARNING", log))
    return warnings, log


def offer_clean_notebooks(html: Path, results: list[dict]) -> None:
    """The download button serves ``_sources/<lecture>.ipynb``: make it the repository's
    notebook (no outputs, no injected parameters), the one a learner should run."""
    for r in results:
        target = html / "_sources" / r["notebook"]
        if target.parent.exists():
            shutil.copyfile(NOTEBOOKS / r["notebook"], target)


#: MathJax's combined entry points: the pages load tex-chtml.js (sphinx-mathjax-offline's
#: mathjax_path); the others are alternatives no page loads, and latest.js would load MathJax
#: from a CDN.  Their extensions, fonts and menu folders stay.
_UNUSED_MATHJAX = ["tex-svg.js", "tex-svg-full.js", "tex-mml-svg.js", "tex-mml-chtml.js",
                   "tex-chtml-full.js", "tex-chtml-full-speech.js", "mml-chtml.js", "mml-svg.js",
                   "node-main.js", "latest.js"]


def trim_mathjax(html: Path) -> None:
    """Remove the MathJax entry points the pages never load (about 14 MB)."""
    for name in _UNUSED_MATHJAX:
        (html / "_static" / "mathjax" / name).unlink(missing_ok=True)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="the test suite's short training runs (parameters and DLCORE_FAST)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    parser.add_argument("--out", type=Path, default=SITE / "_build",
                        help="build folder (default site/_build); the site is <out>/html")
    parser.add_argument("--only", default=None,
                        help="comma-separated lecture prefixes, e.g. 01,12b (for trying things)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per cell")
    parser.add_argument("--no-execute", action="store_true",
                        help="reuse the executed notebooks of the last build (theme work)")
    parser.add_argument("--jupyter-book", type=Path,
                        default=ROOT / ".venv-site" / "bin" / "jupyter-book")
    parser.add_argument("--repo", default=os.environ.get("SITE_REPO") or PLACEHOLDER_REPO,
                        help="the course's public repository (env SITE_REPO), for Binder links")
    parser.add_argument("--branch", default=os.environ.get("SITE_BRANCH") or "main",
                        help="its branch (env SITE_BRANCH, default main)")
    parser.add_argument("--hub", default=os.environ.get("SITE_HUB") or "",
                        help="a JupyterHub URL for a second launch button (env SITE_HUB)")
    args = parser.parse_args(argv)

    out = args.out.resolve()
    src = out / "source"
    paths = lectures(args.only)
    if not paths:
        raise SystemExit(f"no lecture matches --only {args.only}")
    report_path = out / "build-report.json"
    previous = json.loads(report_path.read_text()) if report_path.exists() else {}
    hint = {r["notebook"]: r["seconds"] for r in previous.get("notebooks", [])}
    if args.repo == PLACEHOLDER_REPO:
        print(f"note: SITE_REPO is not set; the Binder and repository links use {args.repo}")

    start = time.perf_counter()
    if args.no_execute:
        import nbformat

        results = [{"notebook": p.name, "seconds": hint.get(p.name, 0.0), "problems": [],
                    "stderr": [], "title": title_of(nbformat.read(src / p.name, as_version=4))}
                   for p in paths]
    else:
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        mode = "quick parameters" if args.quick else "the notebooks' own parameters"
        print(f"Running {len(paths)} notebooks ({mode}, {args.jobs} at a time)...", flush=True)
        results = execute_all(paths, src, args.quick, args.jobs, args.timeout, hint)
    executed = time.perf_counter()
    problems = [f"{r['notebook']}: {p}" for r in results for p in r["problems"]]
    if problems:
        report_path.write_text(json.dumps({"quick": args.quick, "notebooks": results,
                                           "problems": problems}, indent=1), encoding="utf-8")
        print("The build stops: a notebook did not run cleanly.\n" + "\n".join(problems))
        return 1

    print("Rendering the website with Jupyter Book...", flush=True)
    write_book(src, results, repo=args.repo, branch=args.branch, hub=args.hub,
               quick=args.quick)
    warnings, _ = jupyter_book(src, out, args.jupyter_book)
    offer_clean_notebooks(out / "html", results)
    trim_mathjax(out / "html")
    rendered = time.perf_counter()

    size = folder_size(out / "html")
    mathjax = folder_size(out / "html" / "_static" / "mathjax")
    report = {"quick": args.quick, "jobs": args.jobs, "repo": args.repo, "branch": args.branch,
              "execute_seconds":
              round(executed - start, 1), "render_seconds": round(rendered - executed, 1),
              "total_seconds": round(rendered - start, 1), "site_bytes": size,
              "mathjax_bytes": mathjax, "sphinx_warnings": warnings, "notebooks": results}
    report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    stderr = sum(len(r["stderr"]) for r in results)
    print(f"Website: {out / 'html' / 'index.html'}\n"
          f"  {len(results)} lectures; run {executed - start:.0f} s, rendered "
          f"{rendered - executed:.0f} s; {size / 2**20:.1f} MB ({mathjax / 2**20:.1f} MB of it "
          f"MathJax); {warnings} Sphinx warnings (see {out / 'jupyter-book.log'}); "
          f"{stderr} stderr outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
