"""Lecture 15 widgets (dlcore.widgets.charlm), built headless around a small trained model: set
controls, press buttons, and check the drawn data against dl.recurrent's sampling, state
traces and correlations; a learner's function given as mine= is drawn, compared, and never
allowed to break the widget."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl

W = pytest.importorskip("ipywidgets")


@pytest.fixture(scope="module")
def trained():
    text = dl.data.scandal_in_bohemia()[:4000]
    vocab = dl.data.CharVocab.from_text(text)
    train, val = dl.data.split_text(text, 0.25)
    model = dl.recurrent.CharLM(len(vocab), 16, "lstm", rng=0)
    dl.recurrent.train_char_lm(model, vocab.encode(train), num_epochs=2, batch_size=8,
                               seq_len=32, progress=False)
    return model, vocab, val


def _softmax_rows(z, t):
    z = z / t
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_sampler_draws_what_sample_text_returns(trained):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="the ", temperature=0.7, length=60,
                                  seed=3)
    want = dl.recurrent.sample_text(model, vocab, "the ", 60, 0.7, rng=3)
    assert app.sample.text == want.text
    x, y = app.line.get_data()
    np.testing.assert_array_equal(x, np.arange(1, 61))
    np.testing.assert_allclose(y, want.probs)
    # the grid: the prompt uncoloured, then one coloured cell per generated character
    img = app.grid.image.get_array()
    assert np.isfinite(img).sum() == 60
    assert app.grid.labels.strings[:4] == list("the ")
    assert "the " in app.state()["text"] and "60 characters" in app.state()["stats"]


def test_sampler_controls_resample(trained):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="a", length=40)
    first = app.sample.text
    app.controls["seed"].value = 7
    assert app.sample.text != first
    app.controls["greedy"].value = True
    assert app.controls["temperature"].disabled
    np.testing.assert_array_equal(app.sample.chosen, app.sample.dists.argmax(axis=1))
    app.controls["greedy"].value = False
    app.controls["temperature"].value = 0.1
    assert app.sample.probs.mean() > 0.5            # nearly greedy: confident picks
    app.controls["prompt"].value = "q"
    app.controls["sample"].click()
    assert app.sample.prompt == "q"


def test_sampler_refuses_unknown_prompt_characters_in_the_readout(trained):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="a", length=30)
    before = app.sample
    app.controls["prompt"].value = "a#"
    app.controls["sample"].click()
    assert app.sample is before and "never saw '#'" in app.state()["stats"]


def test_sampler_with_a_correct_mine_marks_nothing(trained):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="a", length=30, mine=_softmax_rows)
    assert app.mine_run.used and app.mine_run.n_differ == 0
    np.testing.assert_allclose(app.mine_line.get_data()[1], app.sample.probs)
    assert len(app.wrong.get_data()[0]) == 0
    assert "all" in app.state()["mine"] and "match" in app.state()["mine"]


def test_sampler_with_a_wrong_mine_marks_every_step(trained):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="a", length=30, temperature=0.5,
                                  mine=lambda z, t: _softmax_rows(z * t, 1.0))
    assert app.mine_run.used and len(app.wrong.get_data()[0]) == 30
    assert "differ" in app.state()["mine"]
    app.controls["temperature"].value = 1.0      # at tau = 1 the slip does not show
    assert len(app.wrong.get_data()[0]) == 0


@pytest.mark.parametrize("mine, words", [
    (lambda z, t: (_ for _ in ()).throw(NotImplementedError()), "not written yet"),
    (lambda z, t: 1 / 0, "ZeroDivisionError"),
    (lambda z, t: z[0], "shape"),
    (lambda z, t: None, "not written yet"),
])
def test_sampler_shows_a_broken_mine_in_the_widget(trained, mine, words):
    model, vocab, _ = trained
    app = dl.widgets.char_sampler(model, vocab, prompt="a", length=20, mine=mine)
    assert not app.mine_run.used and words in app.state()["mine"]
    assert app.sample is not None and len(app.mine_line.get_data()[0]) == 0


def test_sampler_argument_errors(trained):
    model, vocab, _ = trained
    with pytest.raises(TypeError, match="CharLM"):
        dl.widgets.char_sampler("model", vocab)
    with pytest.raises(ValueError, match="vocabulary"):
        dl.widgets.char_sampler(model, dl.data.CharVocab("ab"))
    with pytest.raises(TypeError, match="my_temperature_probs"):
        dl.widgets.char_sampler(model, vocab, mine=3)
    with pytest.raises(ValueError, match="temperature"):
        dl.widgets.char_sampler(model, vocab, temperature=5.0)


def test_unit_explorer_ranks_units_by_correlation(trained):
    model, vocab, val = trained
    app = dl.widgets.unit_explorer(model, vocab, val, feature="word", state="c", length=128)
    trace = dl.recurrent.state_trace(model, vocab.encode(val))
    r = dl.recurrent.unit_correlations(trace["c"], dl.recurrent.text_features(val)["word"])
    assert app.unit == int(np.argmax(np.abs(r)))
    x, y = app.unit_line.get_data()
    np.testing.assert_allclose(y, trace["c"][:128, app.unit])
    app.controls["rank"].value = 2
    assert app.unit == int(np.argsort(-np.abs(r))[1])
    app.controls["state"].value = "h"
    np.testing.assert_allclose(app.unit_line.get_data()[1], trace["h"][:128, app.unit])
    app.controls["start"].value = 32
    assert app.unit_line.get_data()[0][0] == 32
    assert "r = " in app.state()["unit"] and "unit" in app.summary


def test_unit_explorer_on_an_rnn_has_one_state_and_clear_errors(trained):
    model, vocab, val = trained
    rnn = dl.recurrent.CharLM(model.vocab_size, 8, "rnn", rng=0)
    app = dl.widgets.unit_explorer(rnn, vocab, val, state="c")
    assert app.controls["state"].value == "h" and len(app.controls["state"].options) == 1
    with pytest.raises(ValueError, match="never saw"):
        dl.widgets.unit_explorer(model, vocab, val + "#" * 50)
    with pytest.raises(ValueError, match="feature"):
        dl.widgets.unit_explorer(model, vocab, val, feature="vowel")


@pytest.mark.parametrize("factory", ["char_sampler", "unit_explorer"])
def test_without_a_model_the_widget_says_its_model_is_untrained(factory, trained):
    app = getattr(dl.widgets, factory)()
    assert app.summary.startswith("An untrained model"), app.summary
    assert isinstance(app.model, dl.recurrent.CharLM)
    model, vocab, _ = trained
    with pytest.raises(TypeError, match="both the trained model and its vocabulary"):
        getattr(dl.widgets, factory)(model)
    given = getattr(dl.widgets, factory)(model, vocab)
    assert "untrained" not in given.summary
