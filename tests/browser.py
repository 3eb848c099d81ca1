"""Drive JupyterLab in Debian's chromium with Playwright, as a learner would.

Used by ``tests/test_browser.py`` (CI) and by ``tests/browser_tour.py`` (a full tour of every
notebook with screenshots, for a person to look at).  Playwright uses the system chromium
(``executable_path``); it never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("DLCORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
ERROR_PATTERN = re.compile(r"Traceback \(most recent call last\)|^\w*Error: |Error displaying "
                           r"widget", re.M)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(notebook_dir: Path = ROOT / "notebooks", timeout: float = 90):
    """Start JupyterLab the way ``make lab`` does; yield its base URL (with token)."""
    port, token = _free_port(), "dlcore-browser-test"
    env = dict(os.environ, DLCORE_FAST="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
           f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
           f"--notebook-dir={notebook_dir}",
           "--ServerApp.disable_check_xsrf=True"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            yield page
        finally:
            browser.close()


def open_notebook(page, base: str, token: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=90_000)
    page.wait_for_function(
        "() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator, "
        ".jp-KernelStatus'); return !!document.querySelector('.jp-NotebookPanel'); }",
        timeout=60_000)
    time.sleep(2)


def run_all(page, timeout: float = 300) -> float:
    """Run > Run All Cells, wait until no cell is queued or running; return the seconds."""
    start = time.time()
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    time.sleep(1)
    deadline = start + timeout
    while time.time() < deadline:
        busy = page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-InputPrompt'))"
            ".some(e => e.textContent.includes('[*]'))")
        if not busy:
            time.sleep(1)  # widget views render after the reply
            return time.time() - start
        time.sleep(0.5)
    raise TimeoutError(f"cells still running after {timeout} s")


def output_errors(page) -> list[str]:
    texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
        ".map(e => e.innerText)")
    return [t[:300] for t in texts if ERROR_PATTERN.search(t)]


def widget_counts(page) -> dict[str, int]:
    return page.evaluate("""() => ({
        widgets: document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets.widget-vbox')
                 .length,
        figures: document.querySelectorAll('.jupyter-matplotlib-figure, .jupyter-matplotlib')
                 .length,
        sliders: document.querySelectorAll('.widget-slider [role=slider], '
                 + '.widget-slider .noUi-handle').length,
        images: document.querySelectorAll('.jp-RenderedImage img').length,
    })""")


def nudge_sliders(page, presses: int = 3, limit: int = 60) -> int:
    """Focus each slider and move it with the arrow keys (keyboard operability)."""
    handles = page.locator(".widget-slider [role=slider], .widget-slider .noUi-handle")
    moved = 0
    for i in range(min(handles.count(), limit)):
        handle = handles.nth(i)
        try:
            handle.scroll_into_view_if_needed(timeout=5_000)
            handle.focus()
            for _ in range(presses):
                page.keyboard.press("ArrowRight")
            moved += 1
        except Exception:  # a slider hidden in a collapsed box, or detached by an update
            continue
    time.sleep(1)
    return moved


def shutdown_kernels(base: str, token: str) -> None:
    """Stop every running kernel (each opened notebook starts one)."""
    import json

    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as r:
        kernels = json.loads(r.read())
    for k in kernels:
        req = urllib.request.Request(f"{base}/api/kernels/{k['id']}?token={token}",
                                     method="DELETE")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(req, timeout=10).close()


def wait_kernels_idle(base: str, token: str, timeout: float = 120) -> None:
    """Wait until every kernel has been idle for two polls in a row (widget updates done)."""
    import json

    deadline, calm = time.time() + timeout, 0
    while time.time() < deadline:
        with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as r:
            states = [k.get("execution_state") for k in json.loads(r.read())]
        calm = calm + 1 if all(s == "idle" for s in states) else 0
        if calm >= 2:
            return
        time.sleep(0.5)
    raise TimeoutError(f"kernels still busy after {timeout} s")


# Layout of one widget's output, measured in the page: hidden px (the largest sideways
# overflow of the widget or of a scrolling box in it, or how far it reaches past the output
# area), the slider tracks' widths, texts that do not fit, and the widget's height.
LAYOUT_JS = r"""
(root) => {
  const area = root.closest('.jp-OutputArea-output') || root;
  const right = area.getBoundingClientRect().right;
  let hidden = Math.max(0, root.scrollWidth - root.clientWidth);
  let reach = 0;
  for (const el of root.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|hidden)/.test(style.overflowX) && el.clientWidth > 0)
      hidden = Math.max(hidden, el.scrollWidth - el.clientWidth);
    const r = el.getBoundingClientRect();
    if (r.width > 0 && style.visibility !== 'hidden') reach = Math.max(reach, r.right - right);
  }
  hidden = Math.max(hidden, Math.round(reach));
  const trackSel = '.widget-slider .slider-container, .widget-slider .noUi-target';
  const tracks = Array.from(root.querySelectorAll(trackSel))
      .map(e => e.getBoundingClientRect().width).filter(w => w >= 0);
  const truncated = [];
  const textSel = 'button, .widget-label, .widget-label-basic, label, .widget-readout';
  for (const el of root.querySelectorAll(textSel)) {
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      truncated.push((el.innerText || el.title || '').trim().slice(0, 40));
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const sel of root.querySelectorAll('select')) {
    const opt = sel.options[sel.selectedIndex];
    if (!opt) continue;
    ctx.font = getComputedStyle(sel).font;
    if (ctx.measureText(opt.text).width + 28 > sel.clientWidth)
      truncated.push(opt.text.slice(0, 40));
  }
  return {hidden: Math.round(hidden), height: Math.round(root.getBoundingClientRect().height),
          tracks: tracks.map(Math.round), truncated};
}
"""

# Arms a watcher on a widget's figure canvases: records the first keydown and the first change
# of their pixels (window.__t0, window.__t1), for keypress-to-pixels latency.
ARM_JS = r"""
(root) => {
  const sel = '.jupyter-matplotlib-canvas-div canvas:first-child';
  const canvases = Array.from(root.querySelectorAll(sel));
  const sums = c => { try {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let s = 0; for (let i = 0; i < d.length; i += 28) s = (s * 31 + d[i]) % 1000000007;
      return s;
    } catch (e) { return -1; } };
  const base = canvases.map(sums);
  window.__t0 = null; window.__t1 = null;
  const onKey = () => { if (window.__t0 === null) window.__t0 = performance.now(); };
  document.addEventListener('keydown', onKey, {capture: true, once: true});
  const tick = () => {
    if (window.__t0 !== null && canvases.some((c, i) => sums(c) !== base[i])) {
      window.__t1 = performance.now(); return;
    }
    if (!window.__stop) requestAnimationFrame(tick);
  };
  window.__stop = false;
  requestAnimationFrame(tick);
  return canvases.length;
}
"""


def widgets_notebook(names, folder: Path) -> Path:
    """A notebook that builds each widget factory in ``names`` in its own cell."""
    import platform

    import nbformat

    from tests.notebook_checks import normalize

    cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport dlcore as dl")]
    cells += [nbformat.v4.new_code_cell(f"dl.widgets.{n}()") for n in names]
    path = Path(folder) / "widgets.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    normalize(path, platform.python_version())
    return path


def widget_layouts(page, names, settle: float = 20.0) -> dict:
    """``LAYOUT_JS`` for the widget of each cell of ``widgets_notebook(names)``.

    A widget sizes its figure once the page has told the kernel how wide its output area is (a
    round trip that takes longer on a busy machine, and that starts only when JupyterLab renders
    the cell); so each widget is measured again, for up to ``settle`` seconds, until nothing
    needs a sideways scroll.  What still overflows after that is reported as it is.
    """
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    out = {}
    for i, name in enumerate(names, start=1):
        cell = cells.nth(i)
        cell.scroll_into_view_if_needed()
        time.sleep(0.3)
        root = cell.locator(".jp-OutputArea-output .widget-vbox").first
        if not root.count():
            out[name] = None
            continue
        deadline = time.monotonic() + settle
        layout = root.evaluate(LAYOUT_JS)
        while layout["hidden"] > 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            layout = root.evaluate(LAYOUT_JS)
        out[name] = layout
    return out
