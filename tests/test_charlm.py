"""Lecture 15's character-level language model: the bundled text, the batching pipeline
(streams, chunks, a detached state) against brute-force references, the counting baselines on
a tiny text computed by hand, the model's gradients (central differences, torch with
``detach``), sampling and the state features.

The references here are written from the definitions, never from dlcore: chunks by walking
the text one position at a time; the chunked gradient by central differences of each chunk's
loss with the carried state held fixed, and by torch's ``h.detach()``.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict

import numpy as np
import pytest

import dlcore as dl
from dlcore.data import CharVocab, char_chunks, char_streams, scandal_in_bohemia, split_text
from dlcore.gradcheck import rel_error
from dlcore.recurrent import (
    CharLM,
    bigram_bits_per_char,
    bigram_model,
    bits_per_char,
    char_lm_loss,
    embedding_backward,
    embedding_forward,
    evaluate_bits_per_char,
    sample_text,
    state_trace,
    temperature_softmax,
    text_features,
    train_char_lm,
    unigram_bits_per_char,
    unigram_model,
    unit_correlations,
)

# --- the bundled text --------------------------------------------------------------------------


def test_the_story_is_bundled_and_checked():
    text = scandal_in_bohemia()
    assert len(text) == 46_475
    assert hashlib.sha256(text.encode()).hexdigest() == dl.data.STORY_SHA256
    assert text.startswith("A SCANDAL IN BOHEMIA\n\nI.\n\nTo Sherlock Holmes she is always THE")
    assert text.rstrip().endswith("under the honourable title of the woman.")
    assert len(set(text)) == 68 and text.count('"') == 551
    assert "Gutenberg" not in text and "\r" not in text


def test_a_changed_story_is_noticed(monkeypatch):
    from dlcore.data import text as module

    monkeypatch.setattr(module, "_read_story", lambda: "A Scandal in Bohemia, abridged")
    with pytest.raises(RuntimeError, match="changed"):
        scandal_in_bohemia()
    assert scandal_in_bohemia(check=False) == "A Scandal in Bohemia, abridged"


def test_split_text_cuts_at_a_paragraph():
    text = scandal_in_bohemia()
    train, val = split_text(text, 0.1)
    assert train + val == text
    assert train.endswith("\n\n") and not val.startswith("\n")
    assert 0.09 < len(val) / len(text) < 0.1
    assert split_text("abcdefgh", 0.5) == ("abcd", "efgh")  # no paragraph: an exact cut
    for bad in (0, 1, -0.1, True, "0.1"):
        with pytest.raises(ValueError, match="val_fraction"):
            split_text(text, bad)
    with pytest.raises(TypeError, match="at least 4"):
        split_text("abc")


# --- streams and chunks: brute force -------------------------------------------------------------


def _brute_force_chunks(ids, n, t):
    """Walk the text: stream j reads positions j*S .. j*S + S - 1, chunk k holds its steps
    k*t .. k*t + t - 1, and each target is the character one position later."""
    ids = list(ids)
    s = (len(ids) - 1) // n
    out = []
    for k in range(math.ceil(s / t)):
        steps = range(k * t, min((k + 1) * t, s))
        x = [[ids[j * s + i] for i in steps] for j in range(n)]
        y = [[ids[j * s + i + 1] for i in steps] for j in range(n)]
        out.append((np.array(x), np.array(y)))
    return out


@pytest.mark.parametrize("length, n, t", [(13, 1, 4), (13, 2, 3), (25, 3, 3), (100, 4, 7),
                                          (64, 7, 64), (10, 9, 1)])
def test_chunks_match_a_walk_through_the_text(length, n, t):
    ids = np.random.default_rng(length).integers(0, 20, size=length)
    got = char_chunks(ids, n, t)
    want = _brute_force_chunks(ids, n, t)
    assert len(got) == len(want)
    for (x, y), (wx, wy) in zip(got, want):
        np.testing.assert_array_equal(x, wx)
        np.testing.assert_array_equal(y, wy)
        assert x.dtype == np.int64
    # every character but the last L - 1 - N S is read once, and row n continues across chunks
    X = np.concatenate([x for x, _ in got], axis=1)
    np.testing.assert_array_equal(X.reshape(-1), ids[:X.size])


def test_streams_are_contiguous_and_shifted_by_one():
    ids = np.arange(23)
    X, Y = char_streams(ids, 4)
    assert X.shape == Y.shape == (4, 5)
    np.testing.assert_array_equal(X[2], [10, 11, 12, 13, 14])
    np.testing.assert_array_equal(Y, X + 1)


def test_pipeline_errors_name_what_was_expected():
    with pytest.raises(TypeError, match="integer character indices"):
        char_chunks(np.array([0.5, 1.0]), 1, 2)
    with pytest.raises(TypeError, match="CharVocab.encode"):
        char_streams("abc", 1)
    with pytest.raises(ValueError, match="smaller batch_size"):
        char_streams(np.arange(5), 5)
    with pytest.raises(ValueError, match="seq_len"):
        char_chunks(np.arange(5), 1, 0)


# --- the counting baselines, by hand on a tiny text --------------------------------------------


@pytest.fixture
def abracadabra():
    vocab = CharVocab("abcdr")
    return vocab, vocab.encode("abracadabra")


def test_unigram_by_hand(abracadabra):
    _, ids = abracadabra
    # counts a 5, b 2, c 1, d 1, r 2 of 11; add-one: (n + 1) / (11 + 5)
    np.testing.assert_allclose(unigram_model(ids, 5), [6 / 16, 3 / 16, 2 / 16, 2 / 16, 3 / 16])
    np.testing.assert_allclose(unigram_model(ids, 5, alpha=0), [5 / 11, 2 / 11, 1 / 11, 1 / 11,
                                                                 2 / 11])
    # scored on "bracadabra" (every character after the first), no smoothing
    p = {"a": 5 / 11, "b": 2 / 11, "c": 1 / 11, "d": 1 / 11, "r": 2 / 11}
    want = -sum(math.log2(p[ch]) for ch in "bracadabra") / 10
    assert unigram_bits_per_char(unigram_model(ids, 5, alpha=0), ids) == pytest.approx(want,
                                                                                       abs=1e-12)


def test_bigram_by_hand(abracadabra):
    _, ids = abracadabra
    P = bigram_model(ids, 5, alpha=0)
    # pairs: ab br ra ac ca ad da ab br ra -> a: b b c d; b: r r; c: a; d: a; r: a a
    np.testing.assert_allclose(P[0], [0, 0.5, 0.25, 0.25, 0])
    np.testing.assert_allclose(P[1], [0, 0, 0, 0, 1])
    np.testing.assert_allclose(P[4], [1, 0, 0, 0, 0])
    assert bigram_model(ids, 5)[0, 1] == pytest.approx(3 / 9)   # add-one: (2 + 1) / (4 + 5)
    np.testing.assert_allclose(bigram_model(ids, 5).sum(axis=1), 1.0)
    # scored on the text itself: 10 transitions, probabilities 1/2 1 1 1/4 1 1/4 1 1/2 1 1
    want = -(2 * math.log2(0.5) + 2 * math.log2(0.25)) / 10
    assert bigram_bits_per_char(P, ids) == pytest.approx(want, abs=1e-12)   # 0.6 bits
    # an unseen pair costs infinitely many bits without smoothing, a finite number with it
    other = CharVocab("abcdr").encode("rb")
    assert bigram_bits_per_char(P, other) == math.inf
    assert bigram_bits_per_char(bigram_model(ids, 5), other) == pytest.approx(-math.log2(1 / 7))


def test_a_bigram_row_never_followed_is_uniform():
    P = bigram_model(np.array([0, 1]), 3)
    np.testing.assert_allclose(P[2], [1 / 3] * 3)
    np.testing.assert_allclose(bigram_model(np.array([0, 1]), 3, alpha=0)[2], 0)


def test_bits_per_char_of_logits_is_cross_entropy_in_bits(rng):
    logits = rng.normal(size=(2, 3, 5)) * 3
    targets = rng.integers(0, 5, size=(2, 3))
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    want = -np.mean(np.log2(np.take_along_axis(p, targets[..., None], -1)))
    assert bits_per_char(logits, targets) == pytest.approx(want, abs=1e-12)
    assert bits_per_char(np.zeros((4, 8)), np.arange(4)) == pytest.approx(3.0)  # log2 8
    assert bits_per_char(np.array([[1000.0, 0.0]]), np.array([0])) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="leading shape"):
        bits_per_char(logits, targets[0])


def test_baseline_errors(abracadabra):
    _, ids = abracadabra
    with pytest.raises(ValueError, match=r"\[0, 3\]"):
        unigram_model(ids, 4)
    with pytest.raises(ValueError, match="alpha"):
        bigram_model(ids, 5, alpha=-1)
    with pytest.raises(ValueError, match="at least 2"):
        bigram_model(ids[:1], 5)
    with pytest.raises(ValueError, match=r"\(V, V\)"):
        bigram_bits_per_char(np.ones(5), ids)


# --- the model: gradients, detached state ------------------------------------------------------


def _model(cell, v=6, h=5, seed=0):
    return CharLM(v, h, cell, rng=seed)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_forward_state_continues_the_unbroken_pass(cell, rng):
    """Carrying the state across chunks gives the same logits as one pass over the streams:
    detaching changes the gradient, never the forward values."""
    m = _model(cell)
    ids = rng.integers(0, 6, size=40)
    X, _ = char_streams(ids, 3)
    whole, _ = m(X)
    state, parts = None, []
    for x, _ in char_chunks(ids, 3, 4):
        logits, state = m(x, state)
        parts.append(logits)
    np.testing.assert_allclose(np.concatenate(parts, axis=1), whole, rtol=0, atol=1e-12)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_chunk_gradient_matches_central_differences_with_the_state_held_fixed(cell, rng):
    """The brute-force reference of truncated BPTT: the gradient of a chunk's loss when the
    state carried into it is a constant, by central differences of every weight."""
    m = _model(cell)
    ids = rng.integers(0, 6, size=25)
    chunks = char_chunks(ids, 2, 4)
    state = None
    for x, _ in chunks[:2]:                      # carry a real, nonzero state into chunk 2
        _, state = m(x, state)
    x, y = chunks[2]
    fixed = state
    m.zero_grad()
    logits, _ = m(x, fixed)
    _, dlogits = char_lm_loss(logits, y)
    m.backward(dlogits)

    def loss():
        return char_lm_loss(m(x, fixed)[0], y)[0]

    for name, p in m.named_parameters():
        num = np.zeros_like(p.data)
        for i in np.ndindex(p.data.shape):
            old = p.data[i]
            p.data[i] = old + 1e-5
            up = loss()
            p.data[i] = old - 1e-5
            down = loss()
            p.data[i] = old
            num[i] = (up - down) / 2e-5
        assert rel_error(p.grad, num) < 1e-6, name


def test_rnn_chunked_training_gradient_is_rnn_backward_chunked(rng):
    """Chunk by chunk with a detached state, the RNN layer's gradients add up to
    dl.recurrent.rnn_backward_chunked on the whole stream, and differ from full BPTT."""
    m = _model("rnn", v=5, h=4)
    ids = rng.integers(0, 5, size=30)
    X, Y = char_streams(ids, 2)
    chunk = 4
    m.zero_grad()
    state = None
    for x, y in char_chunks(ids, 2, chunk):
        logits, state = m(x, state)
        m.backward(char_lm_loss(logits, y)[1] * (x.size / X.size))  # one mean over all steps
    layer = m.rnn
    w = (layer.weight_ih_l0.data, layer.weight_hh_l0.data, layer.bias_ih_l0.data,
         layer.bias_hh_l0.data)
    onehot = np.eye(5)[X]
    hs, cache = dl.recurrent.rnn_forward(onehot, None, *w)
    logits = hs @ m.head.weight.data.T + m.head.bias.data
    dhs = char_lm_loss(logits, Y)[1] @ m.head.weight.data
    chunked = dl.recurrent.rnn_backward_chunked(dhs, cache, chunk)
    full = dl.recurrent.rnn_backward(dhs, cache)
    np.testing.assert_allclose(layer.weight_hh_l0.grad, chunked[3], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(layer.weight_ih_l0.grad, chunked[2], rtol=1e-10, atol=1e-13)
    assert rel_error(layer.weight_hh_l0.grad, full[3]) > 1e-3   # truncation changes it


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_training_follows_torch_with_detach(cell):
    """Three epochs of train_char_lm and the same loop in torch (float64, the same initial
    weights through state_dict, state.detach() between chunks, clip_grad_norm_, Adam): the
    per-chunk losses agree to rounding error."""
    torch = pytest.importorskip("torch")
    text = scandal_in_bohemia()[:3000]
    vocab = CharVocab.from_text(text)
    ids = vocab.encode(text)
    v, h, n, t, lr, clip = len(vocab), 12, 4, 16, 0.01, 0.5
    m = CharLM(v, h, cell, rng=3)
    start = m.state_dict()
    hist = train_char_lm(m, ids, num_epochs=3, batch_size=n, seq_len=t, lr=lr, clip=clip,
                         progress=False)

    class Twin(torch.nn.Module):
        def __init__(self):
            super().__init__()
            layer = torch.nn.LSTM if cell == "lstm" else torch.nn.RNN
            self.rnn = layer(v, h, batch_first=True)
            self.head = torch.nn.Linear(h, v)

        def forward(self, x, state):
            out, state = self.rnn(x, state)
            return self.head(out), state

    twin = Twin().double()
    twin.load_state_dict(OrderedDict((k, torch.tensor(a)) for k, a in start.items()))
    opt = torch.optim.Adam(twin.parameters(), lr=lr)
    eye = torch.eye(v, dtype=torch.float64)
    losses = []
    for _ in range(3):
        state = None
        for x, y in char_chunks(ids, n, t):
            logits, state = twin(eye[torch.from_numpy(x)], state)
            state = tuple(s.detach() for s in state) if cell == "lstm" else state.detach()
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, v),
                                                     torch.from_numpy(y).reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(twin.parameters(), clip)
            opt.step()
            losses.append(loss.item())
    assert len(losses) == len(hist.chunk_loss) == 3 * hist.chunks_per_epoch
    np.testing.assert_allclose(hist.chunk_loss, losses, rtol=1e-9)
    assert hist.clipped > 0   # the clipping branch was exercised
    assert hist.chunk_loss[-1] < hist.chunk_loss[0]


def test_train_records_bits_per_char_and_is_deterministic():
    text = scandal_in_bohemia()[:2000]
    vocab = CharVocab.from_text(text)
    train, val = split_text(text, 0.2)
    a, b = (CharLM(len(vocab), 8, "lstm", rng=1) for _ in range(2))
    ha = train_char_lm(a, vocab.encode(train), num_epochs=2, batch_size=4, seq_len=10,
                       val_ids=vocab.encode(val), progress=False)
    hb = train_char_lm(b, vocab.encode(train), num_epochs=2, batch_size=4, seq_len=10,
                       val_ids=vocab.encode(val), progress=False)
    assert ha.chunk_loss == hb.chunk_loss and ha.val_bpc == hb.val_bpc
    assert len(ha.train_bpc) == len(ha.val_bpc) == 2
    per_epoch = np.array(ha.chunk_loss).reshape(2, -1).mean(axis=1) / math.log(2)
    np.testing.assert_allclose(ha.train_bpc, per_epoch)
    assert ha.val_bpc[-1] == pytest.approx(evaluate_bits_per_char(a, vocab.encode(val)))
    short = train_char_lm(CharLM(len(vocab), 8, rng=1), vocab.encode(train), num_epochs=1,
                          batch_size=4, seq_len=10, max_chunks=3, progress=False)
    assert len(short.chunk_loss) == 3


def test_evaluation_scores_every_next_character_once(rng):
    m = _model("lstm")
    ids = rng.integers(0, 6, size=37)
    logits, _ = m(ids[:-1][None])
    want = bits_per_char(logits[0], ids[1:])
    for seq_len in (1, 5, 36, 100):
        assert evaluate_bits_per_char(m, ids, seq_len=seq_len) == pytest.approx(want, abs=1e-12)


def test_model_errors_name_what_was_expected():
    m = _model("lstm")
    with pytest.raises(ValueError, match=r"\[0, 5\]"):
        m(np.array([[0, 6]]))
    with pytest.raises(TypeError, match="integer"):
        m(np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match="cell"):
        CharLM(5, 3, "gru")
    with pytest.raises(RuntimeError, match="forward"):
        _model("rnn").backward(np.zeros((1, 1, 6)))
    m(np.array([[1, 2]]))
    with pytest.raises(ValueError, match=r"\(N, T, V\)"):
        m.backward(np.zeros((1, 3, 6)))
    with pytest.raises(TypeError, match="CharLM"):
        train_char_lm(dl.nn.Linear(2, 2), np.arange(5), num_epochs=1)
    with pytest.raises(ValueError, match="vocab_size"):
        train_char_lm(m, np.arange(20), num_epochs=1, batch_size=2, seq_len=3, progress=False)


def test_state_dict_has_torch_names():
    m = CharLM(7, 4, "lstm", rng=0)
    assert list(m.state_dict()) == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                                    "rnn.bias_hh_l0", "head.weight", "head.bias"]
    assert m.state_dict()["rnn.weight_ih_l0"].shape == (16, 7)
    assert m.num_parameters() == 4 * (4 * 7 + 4 * 4 + 8) + 7 * 4 + 7


# --- embeddings: one-hot product and lookup -------------------------------------------------------


def test_embedding_is_a_one_hot_product_with_the_same_gradient(rng):
    E = rng.normal(size=(6, 3))
    ids = np.array([[4, 1, 4], [0, 4, 2]])        # 4 appears three times
    out, cache = embedding_forward(ids, E)
    one_hot = np.eye(6)[ids]
    np.testing.assert_array_equal(out, one_hot @ E)
    dout = rng.normal(size=(2, 3, 3))
    dE = embedding_backward(dout, cache)
    np.testing.assert_allclose(dE, one_hot.reshape(-1, 6).T @ dout.reshape(-1, 3), atol=1e-14)
    num = dl.gradcheck.numerical_gradient(lambda e: np.sum(embedding_forward(ids, e)[0] * dout),
                                          E.copy())
    assert rel_error(dE, num) < 1e-8
    buffered = np.zeros_like(E)
    buffered[ids] += dout                             # the slip: repeats are written once
    assert not np.allclose(buffered[4], dE[4])


def test_embedding_errors():
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        embedding_forward(np.array([3]), np.zeros((3, 2)))
    _, cache = embedding_forward(np.array([0, 1]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        embedding_backward(np.zeros((2, 3)), cache)


# --- sampling ------------------------------------------------------------------------------------


def test_temperature_softmax():
    z = np.array([[2.0, 1.0, 0.0]])
    np.testing.assert_allclose(temperature_softmax(z, 1.0), np.exp(z) / np.exp(z).sum())
    np.testing.assert_allclose(temperature_softmax(z, 0.5), np.exp(2 * z) / np.exp(2 * z).sum())
    assert temperature_softmax(z, 0.01)[0, 0] == pytest.approx(1.0)
    np.testing.assert_allclose(temperature_softmax(z, 1e6), 1 / 3, atol=1e-6)
    assert np.isfinite(temperature_softmax(np.array([1000.0, 0.0]), 0.1)).all()
    with pytest.raises(ValueError, match="temperature"):
        temperature_softmax(z, 0)


def test_sampling_feeds_its_own_choice_back():
    text = "abcabcabc abc"
    vocab = CharVocab.from_text(text)
    m = CharLM(len(vocab), 6, "lstm", rng=0)
    s = sample_text(m, vocab, "ab", 20, temperature=0.8, rng=5)
    assert len(s.text) == 20 and s.probs.shape == (20,) and s.dists.shape == (20, 4)
    np.testing.assert_allclose(s.dists.sum(axis=1), 1.0)
    np.testing.assert_allclose(s.probs, s.dists[np.arange(20), s.chosen])
    # the brute-force reference: run the model over prompt + text and read each distribution
    logits, _ = m(vocab.encode("ab" + s.text)[None])
    p = temperature_softmax(logits[0, 1:-1], 0.8)
    np.testing.assert_allclose(s.dists, p, atol=1e-12)
    again = sample_text(m, vocab, "ab", 20, temperature=0.8, rng=5)
    assert again.text == s.text
    greedy = sample_text(m, vocab, "ab", 10, greedy=True)
    np.testing.assert_array_equal(greedy.chosen, greedy.dists.argmax(axis=1))
    assert s.bits == pytest.approx(-np.mean(np.log2(s.probs)))
    with pytest.raises(ValueError, match="never saw"):
        sample_text(m, vocab, "abz", 5)
    with pytest.raises(ValueError, match="non-empty"):
        sample_text(m, vocab, "", 5)


# --- looking inside: state traces and features --------------------------------------------------


def test_state_trace_is_the_forward_pass(rng):
    for cell in ("lstm", "rnn"):
        m = _model(cell)
        ids = rng.integers(0, 6, size=15)
        trace = state_trace(m, ids)
        out, final = m.rnn(np.eye(6)[ids][None])
        np.testing.assert_allclose(trace["h"], out[0], atol=1e-14)
        if cell == "lstm":
            np.testing.assert_allclose(trace["c"][-1], final[1][0, 0], atol=1e-14)
        else:
            assert set(trace) == {"h"}


def test_text_features_by_hand():
    text = 'He said "no\nway." Then\n\n"A b'
    f = text_features(text)
    quote = [0] * 8 + [1] * 9 + [0] * 7 + [1] * 4
    np.testing.assert_array_equal(f["quote"], quote)
    # position in the line: the counter restarts at each line break
    np.testing.assert_array_equal(f["line"][:13], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1])
    np.testing.assert_array_equal(f["word"][:12], [1, 2, 0, 1, 2, 3, 4, 0, 1, 2, 3, 0])


def test_unit_correlations_against_numpy(rng):
    states = rng.normal(size=(50, 4))
    states[:, 3] = 1.0                                   # a constant unit
    feature = rng.normal(size=50)
    r = unit_correlations(states, feature)
    for k in range(3):
        assert r[k] == pytest.approx(np.corrcoef(states[:, k], feature)[0, 1], abs=1e-12)
    assert r[3] == 0.0
    with pytest.raises(ValueError, match=r"\(T, H\)"):
        unit_correlations(states, feature[:10])
