"""The learner's progress through the exercises, kept across kernel restarts.

Every ``dl.check`` records whether the exercise is solved in a small JSON file in the learner's
own space, never inside the course folder and never sent anywhere:

- the file named by the environment variable ``DLCORE_PROGRESS``, if it is set;
- otherwise ``progress.json`` in the user data folder: ``$XDG_DATA_HOME/dlcore`` (by default
  ``~/.local/share/dlcore``) on Linux, ``~/Library/Application Support/dlcore`` on macOS,
  ``%APPDATA%\\dlcore`` on Windows.

An exercise once solved stays solved (a later wrong try does not undo it).  When the file
cannot be written (a read-only home folder), progress is kept for this session only and one
note says so.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["progress_path", "record", "load", "progress"]

_WARNED = False
_SESSION: dict = {}  # what could not be written, for this session


def progress_path() -> Path:
    """Where the progress file lives (see the module's docstring)."""
    explicit = os.environ.get("DLCORE_PROGRESS")
    if explicit:
        return Path(explicit).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    elif os.name == "nt":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "dlcore" / "progress.json"


def load() -> dict:
    """``{exercise id: {"solved": bool, "tries": int, "when": ISO time}}`` recorded so far."""
    try:
        data = json.loads(progress_path().read_text(encoding="utf-8"))
        done = data.get("exercises", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        done = {}
    return {**{k: v for k, v in done.items() if isinstance(v, dict)}, **_SESSION}


def record(exercise_id: str, solved: bool) -> None:
    """Note one try at ``exercise_id``; never raises."""
    global _WARNED
    done = load()
    entry = dict(done.get(exercise_id, {"solved": False, "tries": 0}))
    entry["tries"] = int(entry.get("tries", 0)) + 1
    if solved and not entry.get("solved"):
        entry["solved"] = True
        entry["when"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    done[exercise_id] = entry
    path = progress_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         suffix=".tmp", delete=False) as tmp:
            json.dump({"version": 1, "exercises": done}, tmp, indent=1, sort_keys=True)
        os.replace(tmp.name, path)
        _SESSION.pop(exercise_id, None)
    except OSError as exc:
        _SESSION[exercise_id] = entry
        if not _WARNED:
            _WARNED = True
            print(f"(Your progress is kept for this session only: {path} could not be "
                  f"written: {exc.strerror or exc}. Set DLCORE_PROGRESS to a file you can "
                  f"write to keep it.)")


def _lecture(exercise_id: str) -> str:
    return exercise_id.split(".")[0]


def progress(*, show: bool = True) -> dict:
    """Which exercises you have solved, lecture by lecture.

    Prints (in a notebook: shows as a table) one row per lecture: how many of its exercises
    are solved and which are still open.  Returns ``{lecture: {"solved": [ids], "open":
    [ids]}}``.  Your progress is kept in ``progress_path()`` across kernel restarts.
    """
    from ._registry import exercises

    done = load()
    table: dict = {}
    for ex_id in exercises():
        row = table.setdefault(_lecture(ex_id), {"solved": [], "open": []})
        row["solved" if done.get(ex_id, {}).get("solved") else "open"].append(ex_id)
    if show:
        _show(table)
    return table


def _show(table: dict) -> None:
    from ._registry import _in_notebook

    total = sum(len(r["solved"]) + len(r["open"]) for r in table.values())
    solved = sum(len(r["solved"]) for r in table.values())
    head = f"You have solved {solved} of the {total} exercises."
    if _in_notebook():
        import html

        from IPython.display import HTML, display

        rows = "".join(
            f"<tr><td>{lec}</td><td style='text-align:left'>"
            f"<progress value='{len(r['solved'])}' max='{len(r['solved']) + len(r['open'])}'>"
            f"</progress> {len(r['solved'])} / {len(r['solved']) + len(r['open'])}</td>"
            f"<td style='text-align:left'>{html.escape(', '.join(r['open']) or 'all solved')}"
            f"</td></tr>" for lec, r in table.items())
        display(HTML(f"<p>{html.escape(head)}</p><table><tr><th>lecture</th><th>solved</th>"
                     f"<th>still open</th></tr>{rows}</table>"))
        return
    lines = [head, f"{'lecture':8} {'solved':>8}  still open"]
    for lec, r in table.items():
        n = len(r["solved"]) + len(r["open"])
        lines.append(f"{lec:8} {len(r['solved']):>3} / {n:<3}  {', '.join(r['open']) or '-'}")
    print("\n".join(lines))
