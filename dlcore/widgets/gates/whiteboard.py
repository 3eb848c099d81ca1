"""``whiteboard``: compute ac(bd + a) + ad on a board with three slots by selective writing,
reading and erasing, each action written as the LSTM gates that would do it.

Shape legend: the board is a cell state c (3,); each action has gate vectors i, f, o (3,):
writing value v into slot k is ``c <- f * c + i * g`` with i = e_k, f = 1, g = v e_k; erasing
slot k is f = 1 - e_k; reading slots S for a computation is o = 1 on S.
"""

from __future__ import annotations

import numpy as np

from .._base import App, button, dropdown, make_figure, readout
from .._text import cached_text
from ..sequences._common import Box, FullFrames, control_rows

__all__ = ["whiteboard"]

_SLOTS = 3
# expression -> (expressions it reads from the board, how to compute it from the constants
# k and the values read r)
_EXPRESSIONS = {
    "ac": ((), lambda k, r: k["a"] * k["c"]),
    "bd": ((), lambda k, r: k["b"] * k["d"]),
    "bd + a": (("bd",), lambda k, r: r["bd"] + k["a"]),
    "ac(bd + a)": (("ac", "bd + a"), lambda k, r: r["ac"] * r["bd + a"]),
    "ad": ((), lambda k, r: k["a"] * k["d"]),
    "ac(bd + a) + ad": (("ac(bd + a)", "ad"), lambda k, r: r["ac(bd + a)"] + r["ad"]),
}
_GOAL = "ac(bd + a) + ad"
# The plan of Arya's whiteboard slides, completed to the end: (action, expr, slot)
PLAN = (("write", "ac", 1), ("write", "bd", 2), ("write", "bd + a", 3), ("erase", None, 2),
        ("write", "ac(bd + a)", 2), ("erase", None, 1), ("erase", None, 3), ("write", "ad", 1),
        ("write", "ac(bd + a) + ad", 3))


class Whiteboard(FullFrames, App):
    """Three slots with what they hold; a 3x3 map of the gates (i, f, o per slot) of the last
    action."""

    def __init__(self, a=1.0, b=3.0, c=5.0, d=11.0):
        self.constants = {}
        for name, v in zip("abcd", (a, b, c, d)):
            v = float(v)
            if not np.isfinite(v):
                raise ValueError(f"{name} must be a finite number; got {v}")
            self.constants[name] = v
        controls = {
            "expr": dropdown("expression", list(_EXPRESSIONS), "ac",
                             tooltip="what to write next"),
            "slot": dropdown("slot", [1, 2, 3], 1, tooltip="which slot of the board"),
            "write": button("write (input gate)", tooltip="write the expression into the "
                                                          "slot; it must be empty"),
            "erase": button("erase (forget gate)", tooltip="wipe the slot"),
            "plan": button("lecture's plan: next step", tooltip="one step of the plan that "
                                                                "reaches 181 with 3 slots"),
            "reset": button("reset", tooltip="clear the board"),
        }
        fig, (ax_b, ax_g) = make_figure(1, 2, figsize=(9.0, 3.4))
        self.ax_board, self.ax_gates = ax_b, ax_g
        self.boxes = [Box(ax_b, (0.0, 2.0 - j), width=3.4, height=0.75, fontsize=10)
                      for j in range(_SLOTS)]
        ax_b.set_xlim(-2.0, 2.0)
        ax_b.set_ylim(-0.6, 2.6)
        ax_b.set_xticks([])
        ax_b.set_yticks([2.0, 1.0, 0.0], ["slot 1", "slot 2", "slot 3"])
        kv = (", ".join(self.constants) + " = "
              + ", ".join(self._num(v) for v in self.constants.values()))
        ax_b.set_title("board (cell state c), 3 slots")
        ax_b.set_xlabel(f"{kv}; goal ac(bd + a) + ad")
        self.image = ax_g.imshow(np.zeros((3, _SLOTS)), cmap="cividis", vmin=0, vmax=1)
        self.gate_text = [[cached_text(ax_g, j, r, "", ha="center", va="center", fontsize=10)
                           for j in range(_SLOTS)] for r in range(3)]
        ax_g.set_xticks(range(_SLOTS), [f"slot {j + 1}" for j in range(_SLOTS)])
        ax_g.set_yticks(range(3), ["i (write)", "f (keep)", "o (read)"])
        ax_g.set_title("gates of the last action")
        ax_g.set_xlabel("input, forget and output gate per slot")
        readouts = {"message": readout(), "board": readout(), "gates": readout(),
                    "progress": readout()}
        super().__init__(controls, fig, readouts, title="Selective write, read and forget")
        control_rows(self, ["expr", "slot"], ["write", "erase", "plan", "reset"])
        # The board changes with every action: the slots and the gate map are redrawn on a
        # cached background.
        self.set_dynamic([part for box in self.boxes for part in (box.patch, box.text)]
                         + [self.image] + [t for row in self.gate_text for t in row])
        controls["write"].on_click(lambda _b: self.write(self.controls["expr"].value,
                                                         self.controls["slot"].value))
        controls["erase"].on_click(lambda _b: self.erase(self.controls["slot"].value))
        controls["plan"].on_click(lambda _b: self.plan_step())
        controls["reset"].on_click(lambda _b: self.reset())
        self.reset()

    @staticmethod
    def _num(v: float) -> str:
        return f"{v:g}"

    # --- the state and the actions -----------------------------------------------------------
    def reset(self) -> None:
        """Empty board; the plan starts again."""
        self.c = np.zeros(_SLOTS)
        self.labels: list[str | None] = [None] * _SLOTS
        self.gates = {"i": np.zeros(_SLOTS), "f": np.ones(_SLOTS), "o": np.zeros(_SLOTS)}
        self.steps = 0
        self.message = "empty board: write ac into a slot to begin"
        self._plan_pos = 0
        self._refresh()

    def _apply(self, i, f, o, g) -> None:
        """One cell update c <- f * c + i * g, remembering the gates for the display."""
        self.c = f * self.c + i * g
        self.gates = {"i": i, "f": f, "o": o}
        self.steps += 1

    def write(self, expr: str, slot: int, *, _from_plan: bool = False) -> bool:
        """Write ``expr`` into ``slot`` (1-3) if the slot is empty and the operands can be read
        from the board.  Returns True when the write happened."""
        if expr not in _EXPRESSIONS:
            raise ValueError(f"expr must be one of {', '.join(map(repr, _EXPRESSIONS))}; got "
                             f"{expr!r}")
        k = self._slot(slot)
        if not _from_plan:
            self._plan_pos = None
        needs, compute = _EXPRESSIONS[expr]
        if self.labels[k] is not None:
            self.message = (f"slot {slot} holds {self.labels[k]}: erase it first (forget "
                            f"gate), the board has only {_SLOTS} slots")
            self._refresh()
            return False
        missing = [n for n in needs if n not in self.labels]
        if missing:
            self.message = (f"to write {expr} you must read {' and '.join(missing)} from the "
                            f"board, and it is not there: write it first")
            self._refresh()
            return False
        o = np.array([1.0 if lab in needs else 0.0 for lab in self.labels])
        read = {lab: float(v) for lab, v, oo in zip(self.labels, o * self.c, o) if oo}
        value = float(compute(self.constants, read))
        i = np.eye(_SLOTS)[k]
        self._apply(i, np.ones(_SLOTS), o, value * i)
        self.labels[k] = expr
        what = (f" reading {', '.join(f'{n} = {self._num(v)}' for n, v in read.items())}"
                if read else "")
        self.message = f"wrote {expr} = {self._num(value)} into slot {slot}{what}"
        self._refresh()
        return True

    def erase(self, slot: int, *, _from_plan: bool = False) -> bool:
        """Erase ``slot`` (1-3): forget gate 0 there, 1 elsewhere.  True if it held something."""
        k = self._slot(slot)
        if not _from_plan:
            self._plan_pos = None
        if self.labels[k] is None:
            self.message = f"slot {slot} is already empty"
            self._refresh()
            return False
        f = 1.0 - np.eye(_SLOTS)[k]
        old = self.labels[k]
        self._apply(np.zeros(_SLOTS), f, np.zeros(_SLOTS), np.zeros(_SLOTS))
        self.labels[k] = None
        self.message = f"erased {old} from slot {slot} (selective forget)"
        self._refresh()
        return True

    def plan_step(self) -> None:
        """The next step of the lecture's plan (from an empty board if you changed it)."""
        if self._plan_pos is None or self._plan_pos >= len(PLAN):
            self.reset()
        action, expr, slot = PLAN[self._plan_pos]
        self._plan_pos += 1
        if action == "write":
            self.write(expr, slot, _from_plan=True)
        else:
            self.erase(slot, _from_plan=True)

    @staticmethod
    def _slot(slot) -> int:
        if isinstance(slot, bool) or slot not in (1, 2, 3):
            raise ValueError(f"slot must be 1, 2 or 3; got {slot!r}")
        return int(slot) - 1

    @property
    def solved(self) -> bool:
        return _GOAL in self.labels

    def value_of(self, expr: str) -> float | None:
        """The value held for ``expr`` on the board (None if it is not there)."""
        return float(self.c[self.labels.index(expr)]) if expr in self.labels else None

    # --- drawing ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.update()
        self.redraw()

    def update(self) -> None:
        for j, box in enumerate(self.boxes):
            lab = self.labels[j]
            text = "(empty)" if lab is None else f"{lab} = {self._num(self.c[j])}"
            colour = "#FFFFFF" if lab is None else ("#CDEFE3" if lab == _GOAL else "#FBE3B8")
            box.set(text, colour=colour)
        grid = np.vstack([self.gates["i"], self.gates["f"], self.gates["o"]])
        self.image.set_array(grid)
        for r in range(3):
            for j in range(_SLOTS):
                self.gate_text[r][j].set_text(f"{grid[r, j]:g}")
                self.gate_text[r][j].set_color("black" if grid[r, j] > 0.5 else "white")
        board = " | ".join(f"slot {j + 1}: " + ("empty" if lab is None else
                                                 f"{lab} = {self._num(self.c[j])}")
                           for j, lab in enumerate(self.labels))
        self.set_readout("message", self.message)
        self.set_readout("board", board)
        g = {k: "[" + ", ".join(f"{x:g}" for x in v) + "]" for k, v in self.gates.items()}
        self.set_readout("gates", f"last action: input gate i = {g['i']}, forget gate f = "
                                  f"{g['f']}, output gate o = {g['o']}; c ← f ⊙ c + i ⊙ g")
        if self.solved:
            done = f"done in {self.steps} actions: ac(bd + a) + ad = " \
                   f"{self._num(self.value_of(_GOAL))}"
        else:
            done = f"{self.steps} action(s) so far; goal ac(bd + a) + ad not written yet"
        self.set_readout("progress", done)
        self.set_summary(f"Board: {board}. Last action: {self.message}.")


def whiteboard(a: float = 1, b: float = 3, c: float = 5, d: float = 11) -> Whiteboard:
    """Write, read and erase actions on a board of 3 slots -> reach ac(bd + a) + ad (181 for
    the lecture's a=1, b=3, c=5, d=11), with each action shown as the LSTM gates (input gate
    writes, forget gate erases, output gate reads) of ``c <- f * c + i * g``.

    Methods ``write(expr, slot)``, ``erase(slot)``, ``plan_step()`` and ``reset()`` do what
    the buttons do.
    """
    return Whiteboard(a=a, b=b, c=c, d=d)
