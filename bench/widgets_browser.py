"""Every widget in a real browser: does it fit, how fast does it answer a key press?  Not a test.

Opens JupyterLab in Debian's chromium (Playwright, as the browser tests) at a given window size
with the file browser open, as a student's laptop shows it, runs one notebook that builds every
widget factory of ``dl.widgets``, and measures per widget:

- ``hidden``: pixels of the widget that need a sideways scroll (the largest overflow of the
  widget or of any scrolling box inside it, and how far it reaches past the output area);
- ``track``: the narrowest slider track (px), and ``tracks<120`` how many are narrower than 120;
- ``truncated``: buttons, labels and dropdowns whose text does not fit;
- ``height``: the widget's height (px);
- latency: for up to ``--sliders`` sliders per widget, ``--presses`` presses each (right,
  left, right...; ``--sweep``: right only), the time from an arrow-key press on a focused
  slider to the first change of the widget's figure pixels (median, p90, max, in ms).  The
  page's first four presses warm it up and are not recorded.

    python bench/widgets_browser.py                      # 1280x900, every widget
    python bench/widgets_browser.py --width 1920 --only conv_explorer error_surface
    python bench/widgets_browser.py --no-latency         # layout only
    python bench/widgets_browser.py --by-lecture         # each lecture's widgets on their page

Writes ``bench/results/widgets-<width>.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.browser import ARM_JS, LAYOUT_JS, widgets_notebook  # noqa: E402


def _factories(only):
    import dlcore as dl

    names = sorted(n for n in dir(dl.widgets)
                   if not n.startswith("_") and callable(getattr(dl.widgets, n)))
    return [n for n in names if not only or n in only]


def _by_lecture(names):
    """``names`` grouped by the lecture notebook that first shows them (as a student meets
    them: one notebook's widgets on one page); widgets no notebook shows come last."""
    import re

    import nbformat

    groups, seen = [], set()
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        used = [n for n in dict.fromkeys(re.findall(r"dl\.widgets\.(\w+)\(", code))
                if n in names and n not in seen]
        seen.update(used)
        if used:
            groups.append(used)
    rest = [n for n in names if n not in seen]
    return groups + ([rest] if rest else [])


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(names, width, height, presses, sliders_per_widget, latency=True, shots=None,
            sweep=False):
    from tests.browser import browser_page, jupyter_lab, open_notebook, run_all

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        widgets_notebook(names, Path(tmp))
        with jupyter_lab(Path(tmp)) as (base, token), browser_page(width, height) as page:
            open_notebook(page, base, token, "widgets.ipynb")
            run_all(page, timeout=900)
            time.sleep(3)
            cells = page.locator(".jp-Notebook .jp-CodeCell")
            warmed = False
            for i, name in enumerate(names, start=1):
                cell = cells.nth(i)
                cell.scroll_into_view_if_needed()
                time.sleep(0.5)
                root = cell.locator(".jp-OutputArea-output .widget-vbox").first
                if root.count() == 0:
                    rows.append({"widget": name, "error": "no widget rendered"})
                    continue
                lay = root.evaluate(LAYOUT_JS)
                settled = time.monotonic()  # as the browser test: let the figure take its size
                while lay["hidden"] > 0 and time.monotonic() - settled < 20:
                    time.sleep(0.5)
                    lay = root.evaluate(LAYOUT_JS)
                row = {"widget": name, **lay, "settle_s": round(time.monotonic() - settled, 1)}
                if shots is not None:
                    shots.mkdir(parents=True, exist_ok=True)
                    out = cell.locator(".jp-OutputArea").first
                    out.screenshot(path=str(shots / f"{name}-{width}.png"))
                if latency:
                    times, nochange = [], 0
                    handles = root.locator(".widget-slider .noUi-handle, "
                                           ".widget-slider [role=slider]")
                    for k in range(min(handles.count(), sliders_per_widget)):
                        handle = handles.nth(k)
                        try:
                            handle.scroll_into_view_if_needed(timeout=3000)
                            handle.focus()
                        except Exception:
                            continue
                        # the page's first presses pay for its warm-up: a few unrecorded ones
                        warmup = 4 if not warmed else 0
                        warmed = True
                        for p in range(-warmup, presses):
                            if root.evaluate(ARM_JS) == 0:
                                break
                            key = "ArrowRight" if sweep or p % 2 == 0 else "ArrowLeft"
                            page.keyboard.press(key)
                            deadline = time.time() + 3
                            t = None
                            while time.time() < deadline:
                                t = page.evaluate("() => (window.__t1 && window.__t0) ? "
                                                  "window.__t1 - window.__t0 : null")
                                if t is not None:
                                    break
                                time.sleep(0.01)
                            page.evaluate("() => { window.__stop = true; }")
                            if p < 0:
                                pass
                            elif t is None:
                                nochange += 1
                            else:
                                times.append(t)
                            time.sleep(0.15)
                    if times:
                        row.update(median=statistics.median(times), p90=_percentile(times, 0.9),
                                   max=max(times), presses=len(times), times=times)
                    row["no_change"] = nochange
                rows.append(row)
    return rows


def _table(rows):
    head = f"{'widget':28} {'hidden':>6} {'track':>5} {'<120':>4} {'trunc':>5} {'height':>6} " \
           f"{'med':>6} {'p90':>6} {'max':>6}"
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['widget']:28} {r['error']}")
            continue
        tracks = r["tracks"]
        lines.append(
            f"{r['widget']:28} {r['hidden']:6d} {min(tracks) if tracks else '-':>5} "
            f"{sum(t < 120 for t in tracks):4d} {len(r['truncated']):5d} {r['height']:6d} "
            + " ".join(f"{r[k]:6.0f}" if k in r else f"{'-':>6}" for k in ("median", "p90", "max")))
    medians = [r["median"] for r in rows if "median" in r]
    if medians:
        lines.append(f"median of widget medians: {statistics.median(medians):.0f} ms")
        presses = [t for r in rows for t in r.get("times", [])]
        lines.append(f"all {len(presses)} presses on {sum('times' in r for r in rows)} widgets: "
                     f"median {statistics.median(presses):.0f} ms, "
                     f"p90 {_percentile(presses, 0.9):.0f} ms, max {max(presses):.0f} ms")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--presses", type=int, default=10, help="key presses per slider")
    parser.add_argument("--sliders", type=int, default=2, help="sliders measured per widget")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--sweep", action="store_true",
                        help="press only the right arrow (every press a new value, so nothing "
                             "drawn before can be reused) instead of right, left, right...")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--by-lecture", action="store_true",
                        help="one page per lecture notebook with that lecture's widgets (as a "
                             "student meets them) instead of all widgets on one page")
    parser.add_argument("--shots", type=Path, default=None,
                        help="folder for a screenshot of each widget")
    args = parser.parse_args(argv)
    names = _factories(args.only)
    groups = _by_lecture(names) if args.by_lecture else [names]
    rows = [row for group in groups
            for row in measure(group, args.width, args.height, args.presses, args.sliders,
                               latency=not args.no_latency, shots=args.shots, sweep=args.sweep)]
    rows.sort(key=lambda r: r["widget"])
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    name = f"widgets-{args.width}" + ("-by-lecture" if args.by_lecture else "") + \
        ("-sweep" if args.sweep else "") + ("-some" if args.only else "")
    (out / f"{name}.json").write_text(json.dumps(rows, indent=1))
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
