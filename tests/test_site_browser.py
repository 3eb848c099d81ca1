"""The course website (``make site``, site/build.py), read in chromium as a learner would.

A session fixture builds the site once with the suite's short training runs (``--quick``) into a
temporary folder (or uses ``DLCORE_SITE_HTML``, a folder already built, when set), and serves it
on localhost.  The test starts at the index page and follows the "next" link through every
lecture in teaching order to the sources page.  On each lecture page: the lecture's title, every
image loaded, no error output, the maths typeset by MathJax (served by the site itself), the
widgets' still pictures, and the download and Binder links.  Every request that would leave
localhost is blocked and reported.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = ROOT / ".venv-site" / "bin" / "jupyter-book"
REPO, BRANCH = "https://github.com/example-org/example-course", "main"
REPORT = ROOT / ".pytest_cache" / "site-report.json"
# An error a cell raised (a lecture may print an error message on purpose: lecture 10 shows
# what conv2d_forward says about mismatched channels).
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Error displaying widget")


def _builder():
    """site/build.py as a module (``site`` itself is the name of a standard module)."""
    spec = importlib.util.spec_from_file_location("site_build", ROOT / "site" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _builder()
LECTURES = build.lectures()


# --- the builder's pieces, without a browser ---------------------------------------------------

def test_lectures_come_in_teaching_order():
    stems = [p.name.split("_")[0] for p in LECTURES]
    assert stems == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
                     "12b", "12c", "13", "14", "15"]
    assert build.lectures("3") == [] and build.lectures("1") == []  # whole numbers only
    assert [p.name.split("_")[0] for p in build.lectures("12b,03")] == ["03", "12b"]


def test_clean_drops_live_widgets_and_reports_errors():
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
            "execute_result", data={build.WIDGET_VIEW: view, "text/plain": "VBox()",
                                    "text/html": "<div>still</div>"}, execution_count=1)]),
        nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
            "display_data", data={build.WIDGET_VIEW: view, "text/plain": "VBox()"})]),
        nbformat.v4.new_code_cell("1/0", outputs=[nbformat.v4.new_output(
            "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])]),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    problems, _ = build.clean(nb)
    assert "widgets" not in nb.metadata
    assert build.WIDGET_VIEW not in nb.cells[0].outputs[0].data
    assert nb.cells[0].outputs[0].data["text/html"] == "<div>still</div>"
    assert len(problems) == 2
    assert "cell 1 shows a widget without a still picture" in problems[0]
    assert "ZeroDivisionError" in problems[1]


def test_a_picture_published_at_the_end_of_the_cell_replaces_the_first():
    """A progress bar's final picture (dlcore/widgets/_static.py) takes the first one's place."""
    first = '<div class="dl-static-widget" data-dl-static="7">0 %</div>'
    final = '<div class="dl-static-widget" data-dl-static="7">100 %</div>'
    cell = nbformat.v4.new_code_cell("train()", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": first}),
        nbformat.v4.new_output("stream", name="stdout", text="done\n"),
        nbformat.v4.new_output("display_data", data={"text/html": final},
                               metadata={"dlcore_static": {"replaces": 7}})])
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert build.clean(nb) == ([], [])
    assert [o.output_type for o in cell.outputs] == ["display_data", "stream"]
    assert cell.outputs[0].data["text/html"] == final


def test_links_out_of_the_book_point_at_the_repository():
    text = "see [errata](../docs/errata.md) and [lecture 1](01_neurons_and_history.ipynb)"
    assert build.repo_links(text, REPO, "main") == (
        f"see [errata]({REPO}/blob/main/docs/errata.md) and "
        "[lecture 1](01_neurons_and_history.ipynb)")


# --- the built site in a browser ---------------------------------------------------------------

@pytest.fixture(scope="session")
def site_html(tmp_path_factory):
    """The built site's folder: ``DLCORE_SITE_HTML`` if set, else a quick build (timed)."""
    given = os.environ.get("DLCORE_SITE_HTML")
    if given:
        return Path(given)
    if not chromium_available():
        pytest.skip(f"no chromium at {CHROMIUM}")
    if not JUPYTER_BOOK.exists():
        pytest.skip(".venv-site is missing: `make site-venv` (run by `make test`) creates it")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--quick",
                           "--jobs", "2", "--out", str(out), "--repo", REPO, "--branch", BRANCH],
                          capture_output=True, text=True, env=env, timeout=1500)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    report = json.loads((out / "build-report.json").read_text())
    report["wall_seconds"] = round(time.perf_counter() - start, 1)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1))
    return out / "html"


@contextlib.contextmanager
def _serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _expected(html_dir: Path, path: Path) -> dict:
    """What the page of lecture ``path`` must show, from its executed notebook."""
    source = html_dir.parent / "source" / path.name
    nb = nbformat.read(source if source.exists() else path, as_version=4)
    html = [o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", [])]
    maths = any("$" in c.source for c in nb.cells if c.cell_type == "markdown")
    return {"title": build.title_of(nb), "maths": maths,
            "widgets": sum(h.count('class="dl-static-widget"') for h in html),
            "figures": sum(h.count('class="dl-static-figure"') for h in html)}


PAGE_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise)
    await MathJax.startup.promise;
  const article = document.querySelector('article.bd-article') || document.body;
  const imgs = Array.from(article.querySelectorAll('img'));
  await Promise.all(imgs.map(i => i.complete ? null
                             : new Promise(r => { i.onload = i.onerror = r; })));
  const h1 = article.querySelector('h1');
  const maths = Array.from(article.querySelectorAll('span.math, div.math'));
  return {
    h1: h1 ? h1.textContent.replace(/[#¶]\s*$/, '').trim() : '',
    title: document.title,
    images: imgs.length,
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
    outputs: Array.from(article.querySelectorAll('.cell_output .output, .cell_output'))
        .map(e => e.innerText),
    errorBlocks: article.querySelectorAll('.output.error, .output.traceback, .output.stderr')
        .length,
    mathElements: maths.length,
    untypeset: maths.concat(Array.from(article.querySelectorAll('.mathjax_process')))
        .filter(m => !m.querySelector('mjx-container')).length,
    mathErrors: article.querySelectorAll('mjx-merror').length,
    typeset: article.querySelectorAll('mjx-container').length,
    widgets: article.querySelectorAll('.dl-static-widget').length,
    widgetImages: article.querySelectorAll('.dl-static-widget img.dl-static-figure').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  };
}
"""


@pytest.mark.slow
@pytest.mark.timeout(1800)  # the first use of site_html builds the site
def test_every_lecture_page_reads_well_offline(site_html):
    from playwright.sync_api import sync_playwright

    if not chromium_available():
        pytest.skip(f"no chromium at {CHROMIUM}")
    built = site_html.parent / "build-report.json"  # the repository the site was built for
    report = json.loads(built.read_text()) if built.exists() else {}
    owner_repo = report.get("repo", REPO).removeprefix("https://github.com/").strip("/")
    branch = report.get("branch", BRANCH)
    outside, page_errors, problems = [], [], []
    with _serve(site_html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(r):
            if r.request.url.startswith(base):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: page_errors.append(f"{page.url}: {e}"))
        page.goto(f"{base}/index.html")
        index = page.evaluate(PAGE_JS)
        assert index["h1"] == "Deep learning, from the neuron to the LSTM"
        for path in LECTURES:  # the index lists every lecture, in order
            assert f"{path.stem}.html" in index["links"], path.name
        listed = [h for h in index["links"] if re.match(r"^\d\d\w*_\w+\.html$", h)]
        assert listed[:len(LECTURES)] == [f"{p.stem}.html" for p in LECTURES]

        for path in LECTURES:
            page.click("a.right-next")
            page.wait_for_load_state("load")
            assert page.url.split("#")[0].endswith(f"/{path.stem}.html"), (path.name, page.url)
            got, want = page.evaluate(PAGE_JS), _expected(site_html, path)
            where = path.stem
            if got["h1"] != want["title"] or not got["title"].startswith(want["title"]):
                problems.append(f"{where}: heading {got['h1']!r}, title {got['title']!r}")
            if not got["images"] or got["broken"]:
                problems.append(f"{where}: {got['images']} images, broken {got['broken']}")
            errors = [t[:200] for t in got["outputs"] if TRACEBACK.search(t)]
            if errors or got["errorBlocks"]:
                problems.append(f"{where}: error output {errors}")
            if want["maths"] and (not got["typeset"] or got["untypeset"] or got["mathErrors"]):
                problems.append(f"{where}: maths {got['typeset']} typeset, {got['untypeset']} "
                                f"not, {got['mathErrors']} TeX errors")
            if (got["widgets"], got["widgetImages"]) != (want["widgets"], want["figures"]):
                problems.append(f"{where}: {got['widgets']} widget pictures with "
                                f"{got['widgetImages']} figures, expected {want['widgets']} "
                                f"with {want['figures']}")
            download = f"_sources/{path.name}"
            binder = (f"https://mybinder.org/v2/gh/{owner_repo}/{branch}"
                      f"?urlpath=lab/tree/notebooks/{path.name}")
            if download not in got["links"]:
                problems.append(f"{where}: no download link {download}")
            if binder not in got["links"]:
                problems.append(f"{where}: no Binder link {binder}")
        # the download is the lecture as the repository has it (no outputs), ready to run
        with urllib.request.urlopen(f"{base}/_sources/{LECTURES[0].name}") as r:
            assert r.read() == LECTURES[0].read_bytes()

        page.click("a.right-next")
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith("/SOURCES.html")
        assert page.evaluate(PAGE_JS)["h1"] == "Sources"
        assert not page.locator("a.right-next").count(), "the sources page is the last"
        browser.close()
    assert not problems, "\n".join(problems)
    assert not outside, f"requests that left localhost: {sorted(set(outside))}"
    assert not page_errors, page_errors
