"""Headless tests of the lecture-12c widgets: augmentation, freezing, schedules.

Expected values come from dl.data's transforms and dl.optim's schedulers and training; the
learner's functions (``mine=``) are written out here, right and wrong."""

import math

import numpy as np
import pytest

import dlcore as dl
from dlcore.widgets.practice import augment_explorer, freeze_explorer, schedule_explorer

pytestmark = pytest.mark.lec12


def right_shift(image, dy, dx):
    out = np.zeros(image.shape)
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if 0 <= i - dy < image.shape[0] and 0 <= j - dx < image.shape[1]:
                out[i, j] = image[i - dy, j - dx]
    return out


def right_schedule(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return base_lr * (start_factor + (1 - start_factor) * t / warmup)
    return base_lr * (1 + math.cos(math.pi * (t - warmup) / (total - warmup))) / 2


def test_augment_explorer_shows_the_digit_and_its_copies():
    app = augment_explorer(index=3)
    X, y, _, _ = dl.data.digits(flatten=False)
    np.testing.assert_array_equal(app.images[0].get_array(), X[3, 0])
    assert f"({y[3]})" in app.titles[0].get_text()
    app.controls["shift"].value, app.controls["angle"].value, app.controls["noise"].value = 0, 0, 0
    for im in app.images[1:]:                # nothing to change: eleven exact copies
        np.testing.assert_array_equal(im.get_array(), X[3, 0])
    app.controls["shift"].value = 2
    before = [np.array(im.get_array()) for im in app.images[1:]]
    app.controls["redraw"].click()
    after = [np.array(im.get_array()) for im in app.images[1:]]
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))
    assert "shifts up to 2 pixels" in app.summary


def test_augment_explorer_with_the_learners_shift():
    good = augment_explorer(mine=right_shift)
    assert "all 11 match" in good.state()["mine"] and not good.differ.any()
    rolled = augment_explorer(mine=lambda image, dy, dx: np.roll(image, (dy, dx), (0, 1)),
                              max_shift=2, max_angle=0.0)
    assert rolled.differ.any() and "differ from dl.data.shift_images" in rolled.state()["mine"]
    framed = [k for k in range(11) if rolled.axes[k + 1].spines["top"].get_linewidth() == 3]
    assert framed == list(np.flatnonzero(rolled.differ))

    def broken(image, dy, dx):
        raise NotImplementedError

    blank = augment_explorer(mine=broken)
    assert "not written yet" in blank.state()["mine"]
    with pytest.raises(TypeError, match="mine=my_shift"):
        augment_explorer(mine="my_shift")


def test_schedule_explorer_draws_torchs_rates():
    app = schedule_explorer(name="step", lr=0.1, total=60)
    app.controls["step_size"].value, app.controls["gamma"].value = 20, 0.5
    t, r = app.line.get_data()
    np.testing.assert_allclose(r, 0.1 * 0.5 ** (np.arange(60) // 20), rtol=1e-12)
    assert app.controls["warmup"].disabled and not app.controls["gamma"].disabled
    app.controls["name"].value = "cosine"
    np.testing.assert_allclose(app.line.get_data()[1],
                               0.05 * (1 + np.cos(np.pi * np.arange(60) / 60)), rtol=1e-10)
    assert "ends at" in app.summary


def test_schedule_explorer_with_the_learners_schedule():
    good = schedule_explorer(mine=right_schedule)
    assert "all 100 steps match" in good.state()["mine"]
    assert len(good.marks.get_data()[0]) == 0
    # the legend names what is drawn: no entry for the hidden reference or the empty marks
    assert [t.get_text() for t in good.legend.get_texts()] == [
        "warm-up, then cosine (LinearLR + CosineAnnealingLR)", "yours: right_schedule"]

    def from_zero(t, base_lr, warmup, total, start_factor=0.1):
        return right_schedule(t, base_lr, warmup, total, 0.0)

    bad = schedule_explorer(mine=from_zero)
    assert "10 of 100 steps differ" in bad.state()["mine"]
    np.testing.assert_array_equal(bad.marks.get_data()[0], np.arange(10))
    bad.controls["warmup"].value = 20
    assert "20 of 100 steps differ" in bad.state()["mine"]

    def crashes(t, base_lr, warmup, total, start_factor=0.1):
        return 1 / 0

    assert "ZeroDivisionError" in schedule_explorer(mine=crashes).state()["mine"]


def test_freeze_explorer_retrains_and_keeps_four_curves():
    state, _ = dl.optim.pretrain(num_epochs=1)
    app = freeze_explorer(pretrained=state, per_class=2, num_epochs=5)
    assert "1,285 of 20,101 parameters learn" in app.state()["params"]
    app.controls["conv1"].value = False
    assert "1,605 of 20,101" in app.state()["params"]
    app.controls["train"].click()
    assert len(app.runs) == 1 and "pre-trained start, conv2 frozen" in app.state()["run"]
    _, hist = dl.optim.transfer_run(dl.optim.transfer_task(2), state, frozen=["conv2"],
                                    num_epochs=5)
    np.testing.assert_allclose(app.lines[0].get_data()[1], hist.val_acc)
    for _ in range(4):
        app.controls["train"].click()
    assert len(app.runs) == 4 and all(ln.get_visible() for ln in app.lines)
    app.controls["clear"].click()
    assert app.runs == [] and not any(ln.get_visible() for ln in app.lines)
    with pytest.raises(ValueError, match="state_dict of the lecture's CNN"):
        freeze_explorer(pretrained={"x": np.zeros(1)})
