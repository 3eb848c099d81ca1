"""Letting other accounts reach a Python installation that lives where they cannot enter.

Grading as an unprivileged account, or serving a class's users from a clone under ``/root``
(``deploy/hub/trial.py``), needs the Python installation and the course to be reachable by
other users.  When a folder above them is closed (mode 700, as ``/root`` is), ``exposure``
writes the shell lines that, run as root inside a private mount namespace, cover that folder
with an empty tmpfs and bind the needed folders back at their own paths: nothing changes on
disk, and nothing outside the namespace sees it.
"""

from __future__ import annotations

import shlex
import stat
from collections.abc import Iterable
from pathlib import Path

__all__ = ["others_can_enter", "blocker", "outermost", "exposure"]


def others_can_enter(path: Path) -> bool:
    """Whether users other than the owner and group may enter ``path`` (its o+x bit)."""
    return bool(path.stat().st_mode & stat.S_IXOTH)


def blocker(path: Path) -> Path | None:
    """The outermost folder above ``path`` that other users cannot enter, if any."""
    for parent in reversed(path.parents):
        if not others_can_enter(parent):
            return parent
    return None


def outermost(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without those inside another of them, shortest first."""
    kept: list[Path] = []
    for p in sorted(set(paths), key=lambda p: len(p.parts)):
        if not any(p == k or k in p.parents for k in kept):
            kept.append(p)
    return kept


def exposure(needed: Iterable[Path], stage: Path) -> list[str]:
    """Shell lines (as root, in a private mount namespace) that let other users reach every
    ``needed`` folder: the folder above it that blocks them is covered by an empty tmpfs (mode
    755) and the needed folder bound back at its own path, staged under ``stage``."""
    by_blocker: dict[Path, list[Path]] = {}
    for p in needed:
        b = blocker(p)
        if b is not None:
            by_blocker.setdefault(b, []).append(p)
    lines, n = [], 0
    for closed, inside in by_blocker.items():
        moves = []
        for p in inside:
            n += 1
            lines += [f"mkdir -p {stage / str(n)}",
                      f"mount --bind {shlex.quote(str(p))} {stage / str(n)}"]
            moves += [f"mkdir -p {shlex.quote(str(p))}",
                      f"mount --move {stage / str(n)} {shlex.quote(str(p))}"]
        lines += [f"mount -t tmpfs -o mode=755 tmpfs {shlex.quote(str(closed))}", *moves]
    return lines
