"""The slides' matrices of lectures 10-12 (``dlcore.data.SLIDE_EXAMPLES``) and the bundled
photo (``dlcore.data.sample_image``).

Expected values are the numbers of the course's lecture map (typed in here independently), and
the numbers found in the deck's text itself where it is available (``tests/_decks.py``).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcore import conv
from dlcore.data.decks import DECKS
from dlcore.data.images import sample_image
from dlcore.data.slide_examples import SLIDE_EXAMPLES, SlideExample
from tests._decks import SEEDS, deck_lines

pytestmark = [pytest.mark.lec10]

# Numbers as printed in SYLLABUS.md, section 3, L10 and L12.
SYLLABUS = {
    "smoother_taps": [0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5],
    "smoother_signal": [1.0, 1.1, 1.2, 1.4, 1.7, 1.8, 1.9, 2.1, 2.2, 2.4, 2.5, 2.7],
    "cnn2_input": [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                   [2, 0, 0, 0, 1]],
    "cnn2_kernel": [[0, 1, 2], [2, 2, 0], [0, 1, 2]],
    "cnn2_output": [[12, 12, 17], [10, 17, 19], [9, 6, 14]],
    "bias_output": [[-1, 2], [0, 1]],
    "rows_output": [[0, 30, 30, 0]] * 4,
    "pool_input": [[1, 4, 2, 1], [5, 8, 3, 4], [7, 6, 4, 5], [1, 3, 1, 2]],
    "pool_max_stride1_output": [[8, 8, 4], [8, 8, 5], [7, 6, 5]],
    "pool_backprop_input": [[0.1, 0.5, 1.2, -0.7], [0.8, -0.2, -0.5, 0.3],
                            [0.4, 0.9, -0.1, -0.2], [-0.6, 0.1, 0.5, 0.3]],
    "pool_backprop_output": [[0.8, 1.2], [0.9, 0.5]],
    "pool_backprop_upstream": [[1.3, 0.5], [0.4, 0.1]],
    "pool_backprop_routed": [[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]],
}
CORRECT_SMOOTHER = [1.811, 1.967, 2.112, 2.269, 2.413, 2.569]


def _numeric(name):
    return SLIDE_EXAMPLES[name].value.dtype.kind == "f"


@pytest.mark.parametrize("name", sorted(SYLLABUS))
def test_values_match_the_syllabus(name):
    np.testing.assert_allclose(SLIDE_EXAMPLES[name].value, SYLLABUS[name])


def test_every_entry_is_read_only_and_cited():
    assert len(SLIDE_EXAMPLES) >= 25
    for name, ex in SLIDE_EXAMPLES.items():
        assert isinstance(ex, SlideExample), name
        assert not ex.value.flags.writeable, name
        with pytest.raises(ValueError):
            ex.value.flat[0] = ex.value.flat[0]
        assert ex.deck in DECKS and ex.slide, name
        first, last = ex.lines
        assert 1 <= first <= last, name
        assert ex.description, name
        assert ex.source.startswith(DECKS[ex.deck].short) and ex.slide in ex.source
        assert not re.search(r"\d{3}_[0-9a-f]{16}|\blines? \d", ex.source), ex.source
    with pytest.raises(TypeError):
        SLIDE_EXAMPLES["new"] = SLIDE_EXAMPLES["cnn2_input"]  # the mapping itself is read-only


def test_source_and_array_protocol():
    ex = SLIDE_EXAMPLES["cnn2_input"]
    assert ex.source == ("Kiran, CNN/Deep Learning 2, slide 'Design choices: filter size, "
                         "number of filters'")
    assert SLIDE_EXAMPLES["pool_input"].source == "Khapra, Deep Learning Tutorial, slide 99/113 " \
        "(pooling)"
    arr = np.asarray(ex)
    assert arr.shape == (5, 5) and arr.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(ex, dtype=np.int64), SYLLABUS["cnn2_input"])
    # usable directly by dlcore.conv
    np.testing.assert_allclose(conv.correlate2d(ex, SLIDE_EXAMPLES["cnn2_kernel"]),
                               SYLLABUS["cnn2_output"])


def test_only_the_smoother_slide_values_are_flagged_wrong():
    flagged = {n for n, ex in SLIDE_EXAMPLES.items() if ex.erratum}
    assert flagged == {"smoother_slide_output"}
    slide = SLIDE_EXAMPLES["smoother_slide_output"].value
    np.testing.assert_allclose(slide, [1.80, 1.96, 2.11, 2.16, 2.28, 2.42])
    assert not np.allclose(slide, CORRECT_SMOOTHER, atol=5e-3)
    for v in ("2.269", "2.413", "2.569"):
        assert v in SLIDE_EXAMPLES["smoother_slide_output"].erratum


def test_slide_examples_reproduce_the_syllabus_results():
    ex = {n: e.value for n, e in SLIDE_EXAMPLES.items() if _numeric(n)}
    np.testing.assert_allclose(conv.correlate1d(ex["smoother_signal"], ex["smoother_taps"]),
                               CORRECT_SMOOTHER, atol=5e-4)
    np.testing.assert_allclose(conv.correlate2d(ex["edge_input"], ex["edge_kernel"]),
                               [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]])
    np.testing.assert_allclose(conv.correlate2d(ex["bias_input"], ex["bias_kernel"])
                               + ex["bias_b"], ex["bias_output"])
    sharp = conv.correlate2d(ex["sharpen_input"], ex["sharpen_kernel"], pad=1, stride=2)
    np.testing.assert_allclose(sharp, [[320, 198, 281], [205, 111, 197], [317, 210, 291]])
    np.testing.assert_allclose(conv.correlate2d(ex["rows_input"], ex["rows_kernel"]),
                               ex["rows_output"])
    out, _ = conv.conv2d_forward(ex["rgb_input"][None], ex["rgb_kernel"][None],
                                 np.array([ex["rgb_b"]]), pad=1)
    assert out[0, 0, 0, 0] == 308 - 498 + 164 + 1 == -25
    per_channel = [conv.correlate2d(ex["rgb_input"][c], ex["rgb_kernel"][c], pad=1)[0, 0]
                   for c in range(3)]
    assert per_channel == [308, -498, 164]
    pooled, cache = conv.max_pool2d_forward(ex["pool_backprop_input"][None, None])
    np.testing.assert_allclose(pooled[0, 0], ex["pool_backprop_output"])
    dx = conv.max_pool2d_backward(ex["pool_backprop_upstream"][None, None], cache)
    np.testing.assert_allclose(dx[0, 0], ex["pool_backprop_routed"])


def test_symbolic_letters_example():
    letters = SLIDE_EXAMPLES["letters_input"].value
    kernel = SLIDE_EXAMPLES["letters_kernel"].value
    out = SLIDE_EXAMPLES["letters_output"].value
    assert letters.shape == (3, 4) and kernel.shape == (2, 2) and out.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            terms = [letters[i + a, j + b] + kernel[a, b] for a in range(2) for b in range(2)]
            assert "+".join(terms) == out[i, j]
    assert out[0, 0] == "aw+bx+ey+fz"


def _seed_numbers(ex):
    lines = deck_lines(ex.deck)
    first, last = ex.lines
    assert last <= len(lines), f"{ex.deck} has {len(lines)} lines"
    text = "\n".join(lines[first - 1:last]).replace("−", "-")
    return text, np.array([float(t) for t in re.findall(r"-?\d+(?:\.\d+)?", text)])


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the decks' texts are not next to the repository")
@pytest.mark.parametrize("name", sorted(SLIDE_EXAMPLES))
def test_values_appear_in_the_cited_deck_text(name):
    ex = SLIDE_EXAMPLES[name]
    text, numbers = _seed_numbers(ex)
    if not _numeric(name):
        # PDF text: Cyrillic look-alikes, LaTeX \ell, and ℓ read as a capital I
        for old, new in (("$", ""), ("\\ell ", "ℓ"), ("а", "a"), ("с", "c"), ("е", "e"),
                         ("\tI", "\tℓ")):
            text = text.replace(old, new)
        kernel_letters = ("w", "x", "y", "z")  # the kernel figure is lost: read off the output
        for token in np.unique(ex.value):
            assert token in text or token in kernel_letters, token
        return
    for v in np.unique(ex.value):
        assert np.isclose(numbers, v).any(), f"{v} not printed in {ex.source}"


# --- sample_image (dlcore/data/images.py) ---------------------------------------------------

def _reference_rgb():
    from sklearn.datasets import load_sample_image

    return np.asarray(load_sample_image("china.jpg"), dtype=np.float64) / 255.0


def test_sample_image_grey_is_the_luma_of_the_bundled_photo():
    img = sample_image()
    assert img.shape == (427, 640) and img.dtype == np.float64
    assert 0.0 <= img.min() and img.max() <= 1.0
    rgb = _reference_rgb()
    luma = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    np.testing.assert_allclose(img, np.clip(luma, 0, 1), atol=1e-12)
    img[0, 0] = -1.0  # a fresh copy: changing it does not change the next call
    assert sample_image()[0, 0] >= 0


def test_sample_image_colour_and_downsampling():
    rgb = sample_image(grey=False)
    assert rgb.shape == (3, 427, 640)
    np.testing.assert_allclose(rgb, _reference_rgb().transpose(2, 0, 1))
    small = sample_image(downsample=4)
    assert small.shape == (106, 160)
    full = sample_image()
    np.testing.assert_allclose(small[1, 2], full[4:8, 8:12].mean())
    assert sample_image(downsample=3, grey=False).shape == (3, 142, 213)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"downsample": 0}, ValueError, r">= 1"),
    ({"downsample": 2.5}, TypeError, "downsample"),
    ({"downsample": 1000}, ValueError, r"at most 427"),
    ({"grey": "yes"}, TypeError, "True or False"),
])
def test_sample_image_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        sample_image(**kwargs)
