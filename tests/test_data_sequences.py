"""dlcore.data.sequences: CharVocab, the "deep" toy, the Zen corpus and the long-lag tasks."""

from __future__ import annotations

import codecs
import hashlib
import sys

import numpy as np
import pytest

import dlcore as dl
from dlcore.data import sequences as S

pytestmark = [pytest.mark.lec13, pytest.mark.lec14]


# --- CharVocab ----------------------------------------------------------------------------

def test_vocab_round_trip_and_one_hot():
    v = S.CharVocab("dep", stop="<stop>")
    assert v.symbols == ("d", "e", "p", "<stop>") and len(v) == v.size == 4
    ids = v.encode("deep", add_stop=True)
    assert ids.tolist() == [0, 1, 1, 2, 3] and ids.dtype == np.int64
    assert v.decode(ids) == "deep<stop>"
    oh = v.one_hot(ids)
    assert oh.shape == (5, 4)
    np.testing.assert_array_equal(oh, np.eye(4)[[0, 1, 1, 2, 3]])
    np.testing.assert_array_equal(v.one_hot("pe"), np.eye(4)[[2, 1]])
    batch = v.one_hot(np.array([[0, 3], [2, 2]]))
    assert batch.shape == (2, 2, 4) and batch[1, 0, 2] == 1 and batch.sum() == 4
    assert "<stop>" in v and "x" not in v


def test_vocab_from_text_is_sorted_and_tokens_list():
    v = S.CharVocab.from_text("hello")
    assert v.symbols == ("e", "h", "l", "o")
    assert v.decode(v.encode("hole")) == "hole"
    tokens = S.CharVocab(["<pad>", "a", "b"])
    assert tokens.encode(["a", "<pad>"]).tolist() == [1, 0]


def test_vocab_bad_input():
    v = S.CharVocab("ab")
    with pytest.raises(ValueError, match=r"'z' is not in the vocabulary"):
        v.encode("az")
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        v.decode([0, 2])
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        v.one_hot([-1])
    with pytest.raises(TypeError, match="integers"):
        v.decode([0.5])
    with pytest.raises(ValueError, match="1-D"):
        v.decode([[0, 1]])
    with pytest.raises(ValueError, match="distinct"):
        S.CharVocab("aba")
    with pytest.raises(TypeError, match="non-empty string"):
        S.CharVocab(["a", 3])
    with pytest.raises(ValueError, match="stop"):
        v.encode("ab", add_stop=True)
    with pytest.raises(TypeError, match="string or a list"):
        v.encode(5)
    with pytest.raises(TypeError, match="non-empty string"):
        S.CharVocab.from_text("")
    with pytest.raises(TypeError, match="a symbol must be a string"):
        v.encode(["a", ["b"]])


def test_deep_toy():
    vocab, x, targets = S.deep_toy()
    assert vocab.symbols == ("d", "e", "p", "<stop>")
    assert x.shape == (1, 4, 4)
    assert np.argmax(x[0], axis=1).tolist() == [0, 1, 1, 2]  # d, e, e, p
    assert targets.tolist() == [1, 1, 2, 3]                  # e, e, p, <stop>


# --- Zen corpus ---------------------------------------------------------------------------

def test_zen_corpus_is_decoded_silently_and_hash_checked(capsys):
    text = S.zen_corpus()
    assert capsys.readouterr().out == ""
    assert text.startswith("The Zen of Python, by Tim Peters")
    assert "Beautiful is better than ugly." in text
    assert "Namespaces are one honking great idea" in text
    assert len(text) == 856
    assert hashlib.sha256(text.encode()).hexdigest() == S.ZEN_SHA256
    this = sys.modules["this"]
    assert text == codecs.decode(this.s, "rot13")  # an independent decoder
    vocab = dl.data.CharVocab.from_text(text)
    assert vocab.decode(vocab.encode(text)) == text


def test_zen_corpus_notices_a_changed_text(monkeypatch):
    S.zen_corpus()
    this = sys.modules["this"]
    monkeypatch.setattr(this, "s", this.s + " Tbbq.")
    with pytest.raises(RuntimeError, match="has changed"):
        S.zen_corpus()
    assert S.zen_corpus(check=False).endswith(" Good.")


# --- long-lag tasks -----------------------------------------------------------------------

def test_first_symbol_task_shapes_and_labels():
    X, y = S.first_symbol_task(200, 30, 4, seed=3)
    assert X.shape == (200, 30, 5) and y.shape == (200,) and y.dtype == np.int64
    np.testing.assert_array_equal(X[:, :, :4].sum(axis=2), np.ones((200, 30)))
    marker = X[:, :, 4]
    assert marker[:, 0].tolist() == [1.0] * 200 and marker[:, 1:].sum() == 0
    np.testing.assert_array_equal(np.argmax(X[:, 0, :4], axis=1), y)
    assert set(np.unique(y)) == {0, 1, 2, 3}
    assert np.all(np.bincount(y) > 30)  # roughly balanced: chance is 1/4
    X2, y2 = S.first_symbol_task(200, 30, 4, seed=3)
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(y, S.first_symbol_task(200, 30, 4, seed=4)[1])


def test_adding_task():
    X, y = S.adding_task(5000, 20, seed=0)
    assert X.shape == (5000, 20, 2) and y.shape == (5000,)
    marks = X[:, :, 1]
    np.testing.assert_array_equal(marks.sum(axis=1), np.full(5000, 2.0))
    np.testing.assert_array_equal(marks[:, :10].sum(axis=1), np.ones(5000))
    np.testing.assert_allclose(y, (X[:, :, 0] * marks).sum(axis=1))
    assert np.all((X[:, :, 0] >= 0) & (X[:, :, 0] < 1))
    # predicting 1 has mean squared error var(U + U') = 1/6
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.01)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: S.first_symbol_task(0, 10), ValueError, "n must be >= 1"),
    (lambda: S.first_symbol_task(10, 0), ValueError, "length must be >= 1"),
    (lambda: S.first_symbol_task(10, 5, n_symbols=1), ValueError, "n_symbols must be >= 2"),
    (lambda: S.first_symbol_task(10, 5, seed=-1), TypeError, "seed"),
    (lambda: S.first_symbol_task(10.5, 5), TypeError, "n must be an integer"),
    (lambda: S.adding_task(10, 1), ValueError, "length must be >= 2"),
])
def test_task_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_names_are_found_through_dl_data():
    assert dl.data.CharVocab is S.CharVocab
    assert dl.data.zen_corpus is S.zen_corpus
    assert dl.data.first_symbol_task is S.first_symbol_task
    assert dl.data.adding_task is S.adding_task
