"""``augment_explorer``: a digit and randomly augmented copies of it.

Shapes: one digit (8, 8); the copies (K, 8, 8).  The random choices come from
``dl.data.Augment.draw`` and the transforms from ``dl.data`` (``rotate_images``,
``shift_images``, ``flip_images``, ``add_noise``), in ``Augment``'s order.  With ``mine=``
the shift is done by the learner's ``my_shift(image, dy, dx)`` (exercise 12.12) and every copy
whose shifted image differs from dlcore's gets a red frame.
"""

from __future__ import annotations

import numpy as np

from ... import data as D
from ..._checks import check_int
from .._base import (
    CMAP,
    PALETTE,
    App,
    button,
    checkbox,
    int_slider,
    make_figure,
    readout,
    slider,
)
from .._mine import mine_name, require_function, run_mine
from ..optimizers._common import ipympl_workarounds

__all__ = ["augment_explorer"]

_COPIES = 11


class _AugmentExplorer(App):
    def __init__(self, index, max_shift, max_angle, noise_std, seed, mine=None):
        self.mine = require_function(mine, "my_shift", "your shift function")
        self.X, self.y, _, _ = D.digits(flatten=False)
        self.seed = check_int(seed, "seed", minimum=0)
        self.draws = 0
        self.differ = np.zeros(_COPIES, dtype=bool)
        fig, axes = make_figure(2, 6, figsize=(8.4, 3.5))
        self.images, self.titles = [], []
        for ax in axes.flat:
            ax.set_xticks([])
            ax.set_yticks([])
            self.images.append(ax.imshow(np.zeros((8, 8)), cmap=CMAP, vmin=0, vmax=1,
                                         interpolation="nearest"))
            self.titles.append(ax.set_title("", fontsize=8))
        self.axes = list(axes.flat)
        controls = {
            "index": int_slider("training image", index, 0, self.X.shape[0] - 1,
                                tooltip="which training digit to augment"),
            "shift": int_slider("max shift (pixels)", max_shift, 0, 3,
                                tooltip="each copy moves by up to this many pixels in each "
                                        "direction"),
            "angle": slider("max rotation (degrees)", max_angle, 0.0, 90.0, 5.0, ".0f",
                            tooltip="each copy turns by a random angle up to this size"),
            "noise": slider("noise std", noise_std, 0.0, 0.5, 0.01,
                            tooltip="standard deviation of the Gaussian noise added to "
                                    "every pixel"),
            "flip": checkbox("mirror left-right (half of the copies)",
                             tooltip="AlexNet's reflection: does a mirrored digit keep its "
                                     "label?"),
            "redraw": button("draw new copies", icon="refresh",
                             tooltip="new random shifts, angles and noise"),
        }
        controls["redraw"].on_click(self._redraw_copies)
        readouts = {"draws": readout(), **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Data augmentation: one digit, eleven "
                                                        "random copies")
        self.update()
        ipympl_workarounds(self)

    def _redraw_copies(self, _button=None):
        self.draws += 1
        self.update()
        self.redraw(full=True)

    def copies(self):
        """The digit (1, 1, 8, 8), its copies (K, 1, 8, 8) and the random choices."""
        c = self.controls
        aug = D.Augment(int(c["shift"].value), float(c["angle"].value),
                        float(c["noise"].value), bool(c["flip"].value))
        digit = self.X[int(c["index"].value)][None]
        rng = np.random.default_rng([self.seed, self.draws])
        batch = np.repeat(digit, _COPIES, axis=0)
        d = aug.draw(_COPIES, rng)
        turned = D.rotate_images(batch, d["angles"])
        shifted = D.shift_images(turned, d["dy"], d["dx"])
        if self.mine is not None:
            shifted = self._shift_with_mine(turned, d, shifted)
        out = shifted.copy()
        out[d["flip"]] = out[d["flip"]][..., ::-1]
        out = D.add_noise(out, aug.noise_std, rng)
        return digit, out, d

    def _shift_with_mine(self, turned, d, reference):
        fn = self.mine
        mine_rows, messages, self.differ = [], [], np.zeros(_COPIES, dtype=bool)
        for k in range(_COPIES):
            dy, dx = int(d["dy"][k]), int(d["dx"][k])
            m = run_mine(fn, (turned[k, 0].copy(), dy, dx), reference=reference[k, 0],
                         reference_name="dl.data.shift_images",
                         where=f"copy {k + 1}: an 8x8 image, dy = {dy}, dx = {dx}",
                         fallback="the copies show dl.data.shift_images", entries="pixels")
            if not m.used:
                self.set_readout("mine", m.message)
                self.differ[:] = False
                return reference
            mine_rows.append(m.value)
            self.differ[k] = m.n_differ > 0
            if m.n_differ:
                messages.append(m.message)
        n_bad = int(self.differ.sum())
        name = mine_name(fn)
        if n_bad:
            self.set_readout("mine", f"The copies are shifted by {name}: {n_bad} of {_COPIES} "
                                     f"differ from dl.data.shift_images (red frames). First: "
                                     f"{messages[0]}")
        else:
            self.set_readout("mine", f"The copies are shifted by {name}: all {_COPIES} match "
                                     f"dl.data.shift_images.")
        return np.stack(mine_rows)[:, None]

    def update(self):
        digit, out, d = self.copies()
        label = int(self.y[int(self.controls["index"].value)])
        self.images[0].set_data(digit[0, 0])
        self.titles[0].set_text(f"original ({label})")
        for k in range(_COPIES):
            self.images[k + 1].set_data(np.clip(out[k, 0], 0, 1))
            flip = " mirrored" if d["flip"][k] else ""
            self.titles[k + 1].set_text(f"{d['angles'][k]:+.0f}°, ({d['dy'][k]:+d}, "
                                        f"{d['dx'][k]:+d}){flip}")
            bad = bool(self.differ[k]) if self.mine is not None else False
            for spine in self.axes[k + 1].spines.values():
                spine.set_edgecolor(PALETTE["vermillion"] if bad else "black")
                spine.set_linewidth(3 if bad else 0.8)
        self.set_readout("draws", "Titles: rotation angle, then the shift (rows down, columns "
                                  "right). Pixels pushed past the edge are lost; the uncovered "
                                  "border is black (0).")
        c = self.controls
        self.set_summary(f"A training digit {label} and {_COPIES} random copies: shifts up to "
                         f"{c['shift'].value} pixels, rotations up to {c['angle'].value:.0f}°, "
                         f"noise of standard deviation {c['noise'].value:.2f}"
                         f"{', half mirrored' if c['flip'].value else ''}.")


def augment_explorer(index: int = 0, max_shift: int = 1, max_angle: float = 10.0,
                     noise_std: float = 0.05, seed: int = 0, mine=None) -> App:
    """One training digit and eleven augmented copies; sliders set the largest shift, the
    largest rotation and the noise, a check box adds left-right mirroring, and a button draws
    new random copies.

    ``mine``: your shift, called as ``mine(image, dy, dx)`` on an (8, 8) image like exercise
    12.12's ``my_shift``; the copies are then shifted by it, and each copy whose shifted image
    differs from ``dl.data.shift_images``'s gets a red frame, with the first difference in
    the readout.  An error, a blank, None or a wrong shape is shown in the readout and the
    copies use dlcore's shift.
    """
    from .._base import in_range

    in_range(max_shift, "max_shift", 0, 3)
    mine = require_function(mine, "my_shift", "your shift function")
    for value, name, hi in ((max_angle, "max_angle", 90.0), (noise_std, "noise_std", 0.5)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not 0 <= value <= hi:
            raise ValueError(f"{name} must be a number in [0, {hi:g}] (the slider range); got "
                             f"{value!r}")
    app = _AugmentExplorer(in_range(index, "index", 0, 1346), max_shift, float(max_angle),
                           float(noise_std), seed, mine=mine)
    return app
