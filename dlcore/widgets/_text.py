"""Figure text rendered once and then stamped, for widgets that redraw on every key press.

A matplotlib ``Text`` lays its string out and renders every glyph again at each draw (0.5 to
1 ms with matplotlib 3.11), so a widget that blits a grid of 45 numbers spends 25-50 ms of
each key press on text.  Here each distinct look of a text (string, font, colour, alignment,
resolution) is rendered once, by matplotlib's own Agg renderer on a small transparent
canvas, cropped to its ink and kept (``stamp``); a draw then pastes that image at the text's
place, in a few hundredths of a millisecond.  Layout boxes are cached as well.  The anchor
is rounded to a whole pixel, so a stamped text may sit up to one pixel away from where
``Text`` would put it.

- ``CachedText``: a drop-in ``Text`` (``cached_text(ax, x, y, s, ...)`` for ``ax.text``).
  What a stamp cannot reproduce is drawn as usual: rotated, math or usetex text, text with
  a box or path effects, and any renderer but Agg (a figure saved as PDF or SVG keeps real
  text).
- ``Labels``: one artist holding many short one-line labels (the numbers of a grid), with
  their positions, strings and colours given as arrays.
"""

from __future__ import annotations

import numbers
from collections import OrderedDict

import numpy as np
from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

__all__ = ["CachedText", "cached_text", "Labels", "stamp"]

#: How many stamps are kept (the least recently used are dropped first).
CACHE_SIZE = 4096
_CACHE: OrderedDict = OrderedDict()
_EMPTY = np.zeros((0, 0, 4), dtype=np.uint8)


def _agg(renderer) -> bool:
    from matplotlib.backends.backend_agg import RendererAgg

    return type(renderer) is RendererAgg


def _cached(key, render):
    entry = _CACHE.get(key)
    if entry is None:
        entry = _CACHE[key] = render()
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return entry


_SCRATCH: dict = {}  # dpi -> a canvas to render on, reused (matplotlib caches text metrics
#                      per renderer)


def _scratch(dpi: float, width: int, height: int):
    from matplotlib.backends.backend_agg import RendererAgg

    scratch = _SCRATCH.get(dpi)
    if scratch is None or scratch.width < width or scratch.height < height:
        w, h = (max(width, 256, scratch.width if scratch else 0),
                max(height, 128, scratch.height if scratch else 0))
        scratch = _SCRATCH[dpi] = RendererAgg(w, h, dpi)
    else:
        scratch.clear()
    return scratch


def _render(text: Text, dpi: float):
    """Render ``text`` alone; return (RGBA image with its bottom row first, cropped to the
    ink; the anchor's column and row counted from the image's lower left corner)."""
    pad = 3
    saved = (text._x, text._y, text.get_transform(), text.get_clip_on(), text._renderer)
    try:
        text.set_transform(IdentityTransform())
        text.set_clip_on(False)
        text._x, text._y = 0.0, 0.0
        box = Text.get_window_extent(text, _scratch(dpi, 1, 1))
        # the anchor at whole pixels (Agg rounds glyph positions too), the box inside
        left, bottom = int(np.ceil(-box.x0)) + pad, int(np.ceil(-box.y0)) + pad
        width = int(np.ceil(box.width)) + 2 * pad + 2
        height = int(np.ceil(box.height)) + 2 * pad + 2
        scratch = _scratch(dpi, width, height)
        text._x, text._y = float(left), float(bottom)
        Text.draw(text, scratch)
    finally:
        text._x, text._y = saved[0], saved[1]
        text.set_transform(saved[2])
        text.set_clip_on(saved[3])
        text._renderer = saved[4]
    # draw_image wants the bottom row first; the text sits in the lower left corner
    image = np.asarray(scratch.buffer_rgba())[::-1][:height, :width]
    rows, cols = np.nonzero(image[..., 3])
    if not rows.size:
        return _EMPTY, 0, 0
    image = np.ascontiguousarray(image[rows.min():rows.max() + 1, cols.min():cols.max() + 1])
    return image, left - int(cols.min()), bottom - int(rows.min())


def stamp(s: str, fontsize: float, color, dpi: float):
    """(image, anchor column, baseline row) of ``s`` in the widgets' font, left-aligned on
    its baseline: the image's bottom row comes first and it is cropped to the ink."""
    from matplotlib.figure import Figure

    color = to_rgba(color)

    def render():
        text = Text(0, 0, s, fontsize=fontsize, color=color, ha="left", va="baseline")
        text.set_figure(Figure(dpi=dpi))
        return _render(text, dpi)

    return _cached(("stamp", s, float(fontsize), color, float(dpi)), render)


class CachedText(Text):
    """A ``Text`` drawn from a cache of rendered images on the Agg renderer.

    Every draw is a stamp, the first one too (a text redrawn in place never moves by a
    pixel); the layout box (``get_window_extent``) is cached the same way.
    """

    def _stampable(self, renderer) -> bool:
        return (_agg(renderer) and self.get_rotation() == 0 and not self.get_usetex()
                and self._bbox_patch is None and not self.get_path_effects()
                and "$" not in self.get_text())

    def _anchor(self):
        """The text's position in pixels."""
        x, y = self._x, self._y
        if not isinstance(x, numbers.Real):
            x = self.convert_xunits(x)
        if not isinstance(y, numbers.Real):
            y = self.convert_yunits(y)
        return self.get_transform().transform((float(x), float(y)))

    def _key(self, dpi):
        return (self.get_text(), hash(self.get_fontproperties()), to_rgba(self.get_color()),
                self.get_alpha(), self.get_horizontalalignment(),
                self.get_verticalalignment(), self._multialignment, self.get_linespacing(),
                self.get_rotation(), self._antialiased, float(dpi))

    def get_window_extent(self, renderer=None, dpi=None):
        renderer = renderer if renderer is not None else self._renderer
        if (dpi is not None or not self.get_visible() or self.get_text() == ""
                or renderer is None or not _agg(renderer)):
            return super().get_window_extent(renderer, dpi)
        x, y = self._anchor()
        key = ("box", *self._key(self.get_figure(root=True).dpi))
        box = _CACHE.get(key)
        if box is None or not (np.isfinite(x) and np.isfinite(y)):
            extent = super().get_window_extent(renderer)
            if np.isfinite(x) and np.isfinite(y):
                _cached(key, lambda: extent.translated(-x, -y))
            return extent
        _CACHE.move_to_end(key)
        return box.translated(x, y)

    def draw(self, renderer):
        if renderer is None or not self.get_visible() or self.get_text() == "" \
                or not self._stampable(renderer):
            return super().draw(renderer)
        x, y = self._anchor()
        key = self._key(renderer.dpi)
        if not (np.isfinite(x) and np.isfinite(y)):
            return super().draw(renderer)
        self._renderer = renderer
        image, left, bottom = _cached(key, lambda: _render(self, renderer.dpi))
        if image.size:
            gc = renderer.new_gc()
            self._set_gc_clip(gc)
            renderer.draw_image(gc, int(round(x)) - left, int(round(y)) - bottom, image)
            gc.restore()
        self.stale = False


def cached_text(ax, x, y, s, **kwargs) -> CachedText:
    """``ax.text(x, y, s, **kwargs)``, drawn from stamps (see ``CachedText``)."""
    text = CachedText(x, y, s, **{"clip_on": False, **kwargs})
    ax.add_artist(text)
    return text


class Labels(Artist):
    """Short one-line texts (cell numbers, row and column numbers) in one artist, stamped.

    ``xy`` are in the artist's transform; ``ha`` ("left", "center", "right") aligns the ink,
    ``va`` ("center", "top") the height of the digits, keeping the baseline; ``offset``
    moves every label (points).
    """

    def __init__(self, transform, fontsize: float, ha: str = "center", va: str = "center",
                 offset=(0.0, 0.0), zorder: float = 4):
        super().__init__()
        self.set_transform(transform)
        self.set_zorder(zorder)
        self.set_clip_on(False)
        self.fontsize = float(fontsize)
        self.ha, self.va, self.offset = ha, va, tuple(offset)
        self.xy = np.zeros((0, 2))
        self.strings: list = []
        self.colors: list = []

    def set_labels(self, xy, strings, colors) -> None:
        self.xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        self.strings = [str(t) for t in strings]
        self.colors = list(colors)
        self.stale = True

    def set_fontsize(self, size: float) -> None:
        self.fontsize = float(size)
        self.stale = True

    def get_fontsize(self) -> float:
        return self.fontsize

    def _placed(self, renderer):
        """(x, y, image) of every non-empty label: the image's lower left corner (px)."""
        dpi = renderer.dpi if renderer is not None else self.figure.dpi
        digit, _, digit_base = stamp("0", self.fontsize, "black", dpi)
        digit_h = digit.shape[0] - digit_base
        dx, dy = (v * dpi / 72 for v in self.offset)
        points = self.get_transform().transform(self.xy) if len(self.xy) else []
        for (x, y), text, color in zip(points, self.strings, self.colors):
            image, _, base = stamp(text, self.fontsize, color, dpi) if text else (_EMPTY, 0, 0)
            if not image.size:
                continue
            x0 = x + dx - {"left": 0, "center": image.shape[1] / 2, "right": image.shape[1]}[
                self.ha]
            baseline = y + dy - (digit_h / 2 if self.va == "center" else digit_h)
            yield round(x0), round(baseline - base), image

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        for x0, y0, image in self._placed(renderer):
            renderer.draw_image(gc, x0, y0, image)
        gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None) -> Bbox:
        corners = [(x0, y0, x0 + image.shape[1], y0 + image.shape[0])
                   for x0, y0, image in self._placed(renderer)]
        if not corners:
            return Bbox.null()
        x0, y0, x1, y1 = zip(*corners)
        return Bbox([[min(x0), min(y0)], [max(x1), max(y1)]])

    def visible_strings(self) -> list:
        return [t for t in self.strings if t] if self.get_visible() else []
