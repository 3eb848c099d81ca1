"""A character-level language model: predict the next character of a text, one step at a time.

Shape legend: N streams read side by side (batch), T steps per chunk, V vocabulary size,
H hidden size; ids (N, T) integer character indices, logits (N, T, V), states (1, N, H) as
``torch.nn.RNN``/``LSTM``.

``CharLM`` is a one-hot input, one recurrent layer (``dlcore.nn.RNN`` or ``LSTM``) and a linear
read-out to V scores per step: ``p(x_{t+1} | x_1 .. x_t) = softmax(h_t W^T + b)``.  Its
``state_dict`` has the keys of a torch module with attributes ``rnn`` (``torch.nn.LSTM(V, H,
batch_first=True)``) and ``head`` (``torch.nn.Linear(H, V)``), so the same weights load there.

Training (``train_char_lm``) is truncated backpropagation through time over chunks with a
detached state: the text is read as N streams (``dlcore.data.char_chunks``); each chunk of T
steps starts from the state the previous chunk ended in, but that state is a constant for the
gradient (``h.detach()`` in PyTorch), so BPTT stops at the chunk boundary.  The gradient is
clipped by its global norm before each Adam step.  Losses are reported in bits per character.

Generation (``sample_text``): warm the state up on a prompt, then repeat "turn the scores into
probabilities with a temperature, pick a character (draw it, or take the most likely one),
feed it back".  ``state_trace`` and ``text_features``/``unit_correlations`` look inside the
trained state: which units follow quotations, the position in a line, the position in a word.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_choice, check_flag, check_int, check_positive
from .._random import get_rng
from ..nn.module import Module
from .clip import clip_grad_norm
from .ngram import bits_per_char

__all__ = ["CharLM", "char_lm_loss", "train_char_lm", "CharLMHistory", "evaluate_bits_per_char",
           "temperature_softmax", "sample_text", "Sample", "state_trace", "text_features",
           "FEATURES", "unit_correlations"]

_LN2 = float(np.log(2.0))


def _ids2d(ids, vocab_size: int, where: str) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{where}: ids must be integer character indices (N, T); got dtype "
                        f"{arr.dtype}")
    if arr.ndim == 1:
        arr = arr[None]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{where}: ids must have shape (N, T) with T >= 1 (or (T,) for one "
                         f"stream); got shape {np.asarray(ids).shape}")
    if arr.min() < 0 or arr.max() >= vocab_size:
        raise ValueError(f"{where}: ids must lie in [0, {vocab_size - 1}] (V={vocab_size}); got "
                         f"values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64, copy=False)


class CharLM(Module):
    """One-hot characters -> RNN or LSTM -> linear read-out: the next character's V scores.

    ``CharLM(vocab_size, hidden_size, cell="lstm")`` holds ``rnn`` (``dlcore.nn.LSTM(V, H)`` or
    ``RNN(V, H)``, tanh) and ``head`` (``Linear(H, V)``), initialised as torch does from
    ``rng``.  ``forward(ids, state=None)`` takes ids (N, T) (or (T,)) and the state to start
    from (None for zeros; LSTM: a pair (h, c), RNN: h, each (1, N, H)) and returns
    ``(logits (N, T, V), state)``; the returned state is a fresh copy, detached from this
    forward pass.  ``backward(dlogits)`` adds every parameter's gradient into ``.grad``; the
    gradient that reaches the initial state is not carried further (the state is detached).
    """

    def __init__(self, vocab_size: int, hidden_size: int, cell: str = "lstm", rng=None):
        from ..nn.layers import Linear
        from ..nn.recurrent import LSTM, RNN

        super().__init__()
        self.vocab_size = check_int(vocab_size, "vocab_size", minimum=1)
        self.hidden_size = check_int(hidden_size, "hidden_size", minimum=1)
        self.cell = check_choice(cell, "cell", ("lstm", "rnn"))
        rng = get_rng(rng)
        layer = LSTM if self.cell == "lstm" else RNN
        self.rnn = layer(self.vocab_size, self.hidden_size, rng=rng)
        self.head = Linear(self.hidden_size, self.vocab_size, rng=rng)

    def initial_state(self, batch_size: int = 1):
        """Zeros: (h, c) for the LSTM, h for the RNN, each (1, N, H)."""
        n = check_int(batch_size, "batch_size", minimum=1)
        zeros = np.zeros((1, n, self.hidden_size))
        return (zeros, zeros.copy()) if self.cell == "lstm" else zeros

    def forward(self, ids, state=None):
        """ids (N, T) -> (logits (N, T, V), the state after the last step)."""
        ids = _ids2d(ids, self.vocab_size, "CharLM.forward")
        n, t = ids.shape
        out, final = self.rnn(np.eye(self.vocab_size)[ids], state)
        logits = self.head(out.reshape(n * t, self.hidden_size)).reshape(n, t, self.vocab_size)
        object.__setattr__(self, "_shape", (n, t))
        if self.cell == "lstm":
            final = (final[0].copy(), final[1].copy())
        else:
            final = final.copy()
        return logits, final

    def backward(self, dlogits):
        """dlogits (N, T, V) -> None; parameter gradients are added into ``.grad``."""
        shape = self.__dict__.get("_shape")
        if shape is None:
            raise RuntimeError("CharLM.backward() needs a forward() call first")
        n, t = shape
        dlogits = np.asarray(dlogits, dtype=np.float64)
        if dlogits.shape != (n, t, self.vocab_size):
            raise ValueError(f"CharLM.backward: dlogits must have the shape of the logits, "
                             f"(N, T, V) = ({n}, {t}, {self.vocab_size}); got {dlogits.shape}")
        dout = self.head.backward(dlogits.reshape(n * t, self.vocab_size))
        self.rnn.backward(dout.reshape(n, t, self.hidden_size))

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, hidden_size={self.hidden_size}, cell={self.cell!r}"


def char_lm_loss(logits, targets):
    """Mean cross-entropy (nats) over every step of every stream, and its gradient.

    logits (N, T, V), targets (N, T) -> ``(loss, dlogits)`` with
    ``dlogits = (softmax(logits) - one_hot(targets)) / (N T)`` of shape (N, T, V), as
    ``torch.nn.functional.cross_entropy`` on the flattened steps.
    """
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets)
    if z.ndim != 3 or t.shape != z.shape[:2]:
        raise ValueError(f"char_lm_loss: logits must be (N, T, V) and targets (N, T); got "
                         f"{z.shape} and {t.shape}")
    v = z.shape[-1]
    flat = z.reshape(-1, v)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(flat.shape[0])
    labels = t.reshape(-1).astype(np.int64)
    loss = float(-log_p[rows, labels].mean())
    d = np.exp(log_p)
    d[rows, labels] -= 1.0
    return loss, (d / flat.shape[0]).reshape(z.shape)


@dataclass
class CharLMHistory:
    """What ``train_char_lm`` records.

    ``chunk_loss``: the training loss (nats per character) of every chunk, before its update;
    ``grad_norm``: the gradient's global norm before clipping, per chunk; ``train_bpc`` and
    ``val_bpc``: per epoch, in bits per character (train: the mean of that epoch's chunk
    losses; val: measured after the epoch); ``seconds``: the training time; ``diverged``: a
    non-finite loss stopped training.
    """

    cell: str
    chunk_loss: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)
    train_bpc: list = field(default_factory=list)
    val_bpc: list = field(default_factory=list)
    chunks_per_epoch: int = 0
    clipped: int = 0
    seconds: float = 0.0
    diverged: bool = False

    @property
    def chunk_bpc(self) -> np.ndarray:
        """``chunk_loss`` in bits per character."""
        return np.asarray(self.chunk_loss) / _LN2


def evaluate_bits_per_char(model: CharLM, ids, seq_len: int = 500) -> float:
    """Bits per character of ``model`` on a text: read ``ids`` as one stream from a zero state,
    predicting ``ids[1:]`` from what came before (``seq_len`` steps per forward call, the state
    carried between calls).  ids (L,) with L >= 2."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size < 2:
        raise ValueError(f"evaluate_bits_per_char: ids must be a 1-D array of at least 2 "
                         f"character indices; got shape {ids.shape}")
    t = check_int(seq_len, "seq_len", minimum=1)
    state, total = None, 0.0
    for k in range(0, ids.size - 1, t):
        x, y = ids[k:k + t], ids[k + 1:k + t + 1]
        x = x[:y.size]
        logits, state = model(x[None], state)
        total += bits_per_char(logits[0], y) * y.size
    return total / (ids.size - 1)


def train_char_lm(model: CharLM, train_ids, *, num_epochs: int, batch_size: int = 32,
                  seq_len: int = 64, lr: float = 3e-3, clip: float | None = 1.0, val_ids=None,
                  optimizer=None, progress: bool = True, desc: str | None = None,
                  max_chunks: int | None = None) -> CharLMHistory:
    """Train ``model`` by truncated BPTT over chunks with a detached state; returns a history.

    Each epoch reads ``char_chunks(train_ids, batch_size, seq_len)`` in order, starting from a
    zero state.  For every chunk: zero the gradients, forward from the carried state, mean
    cross-entropy of the next characters, backward (stopping at the chunk's start), clip the
    global gradient norm at ``clip`` (None: no clipping), an optimizer step (Adam with ``lr``
    unless ``optimizer`` is given); the state the chunk ended in is carried into the next chunk
    as plain numbers.  ``val_ids`` (optional) is scored after every epoch with
    ``evaluate_bits_per_char``.  ``max_chunks`` stops each epoch after that many chunks (a
    shorter run).  ``progress`` shows a tqdm bar over all chunks.
    """
    from ..data.text import char_chunks
    from ..optim import Adam

    if not isinstance(model, CharLM):
        raise TypeError(f"train_char_lm: model must be a CharLM; got {type(model).__name__}")
    num_epochs = check_int(num_epochs, "num_epochs", minimum=1)
    progress = check_flag(progress, "progress")
    if clip is not None:
        clip = check_positive(clip, "clip")
    chunks = char_chunks(train_ids, batch_size, seq_len)
    if max_chunks is not None:
        chunks = chunks[:check_int(max_chunks, "max_chunks", minimum=1)]
    if chunks and int(max(x.max() for x, _ in chunks)) >= model.vocab_size:
        raise ValueError(f"train_char_lm: the text holds indices up to "
                         f"{int(max(x.max() for x, _ in chunks))}, but the model has "
                         f"vocab_size={model.vocab_size}")
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=check_positive(lr, "lr"))
    params = model.parameters()
    history = CharLMHistory(model.cell, chunks_per_epoch=len(chunks))
    clipped = 0
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=num_epochs * len(chunks), desc=desc or f"{model.cell} training",
                   unit="chunk")
    start = time.perf_counter()
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(num_epochs):
                state, losses = None, []
                for x, y in chunks:
                    optimizer.zero_grad()
                    logits, state = model(x, state)   # the carried state: plain numbers
                    loss, dlogits = char_lm_loss(logits, y)
                    if not np.isfinite(loss):
                        history.diverged = True
                        break
                    model.backward(dlogits)
                    norm = clip_grad_norm([p.grad for p in params], clip) if clip else \
                        float(np.sqrt(sum(float(np.sum(p.grad ** 2)) for p in params)))
                    clipped += bool(clip and norm > clip)
                    optimizer.step()
                    history.chunk_loss.append(loss)
                    history.grad_norm.append(float(norm))
                    losses.append(loss)
                    if bar is not None:
                        bar.update(1)
                if history.diverged:
                    break
                history.train_bpc.append(float(np.mean(losses)) / _LN2)
                if val_ids is not None:
                    history.val_bpc.append(evaluate_bits_per_char(model, val_ids))
                if bar is not None:
                    post = {"epoch": epoch + 1, "train bits/char": f"{history.train_bpc[-1]:.3f}"}
                    if history.val_bpc:
                        post["val bits/char"] = f"{history.val_bpc[-1]:.3f}"
                    bar.set_postfix(post, refresh=False)
    finally:
        if bar is not None:
            bar.close()
    history.seconds = time.perf_counter() - start
    history.clipped = clipped
    return history


def temperature_softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """``p = softmax(logits / tau)`` along the last axis, computed stably.

    logits (..., V), ``temperature`` tau > 0 -> p (..., V).  tau = 1 gives the model's own
    distribution; tau < 1 sharpens it towards the most likely symbol (tau -> 0 is greedy,
    ``argmax``); tau > 1 flattens it towards uniform.
    """
    tau = check_positive(temperature, "temperature")
    z = np.asarray(logits, dtype=np.float64) / tau
    if z.ndim < 1 or z.shape[-1] == 0:
        raise ValueError(f"temperature_softmax: logits must have a last axis of V >= 1 scores; "
                         f"got shape {z.shape}")
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Sample:
    """A generated text: ``prompt`` and the ``text`` that followed it; per generated step the
    ``chosen`` index (n,), the probability ``probs`` (n,) the model gave it (after the
    temperature), and the whole distribution ``dists`` (n, V); ``logits`` (n, V) the raw
    scores.  ``bits`` is the mean of ``-log2 probs``."""

    prompt: str
    text: str
    chosen: np.ndarray
    probs: np.ndarray
    dists: np.ndarray
    logits: np.ndarray
    temperature: float
    greedy: bool

    @property
    def bits(self) -> float:
        return float(-np.mean(np.log2(np.maximum(self.probs, 1e-300)))) if self.probs.size \
            else 0.0


def sample_text(model: CharLM, vocab, prompt: str, length: int = 200, temperature: float = 1.0,
                greedy: bool = False, rng=None, probs_fn=None) -> Sample:
    """Generate ``length`` characters after ``prompt``: read the prompt, then at every step
    turn the scores into probabilities (``probs_fn(logits (1, V), temperature)``, by default
    ``temperature_softmax``), pick the next character (the most likely with ``greedy``, else a
    draw from ``rng``) and feed it back as the next input.

    ``vocab`` is the ``dlcore.data.CharVocab`` the model was trained with; every character of
    the prompt must be in it.  Returns a ``Sample``.
    """
    if not isinstance(model, CharLM):
        raise TypeError(f"sample_text: model must be a CharLM; got {type(model).__name__}")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("sample_text: prompt must be a non-empty string (at least one "
                         "character to start from)")
    unknown = sorted({ch for ch in prompt if ch not in vocab})
    if unknown:
        raise ValueError(f"sample_text: the prompt uses characters the model never saw: "
                         f"{', '.join(repr(c) for c in unknown)}")
    length = check_int(length, "length", minimum=0)
    greedy = check_flag(greedy, "greedy")
    tau = check_positive(temperature, "temperature")
    probs_fn = probs_fn or temperature_softmax
    rng = get_rng(rng)
    logits, state = model(vocab.encode(prompt)[None])
    last = logits[0, -1]
    chosen, probs, dists, raw = [], [], [], []
    for _ in range(length):
        p = np.asarray(probs_fn(last[None], tau), dtype=np.float64).reshape(-1)
        k = int(np.argmax(p)) if greedy else int(rng.choice(p.size, p=p / p.sum()))
        chosen.append(k)
        probs.append(p[k])
        dists.append(p)
        raw.append(last)
        logits, state = model(np.array([[k]]), state)
        last = logits[0, -1]
    v = model.vocab_size
    return Sample(prompt, vocab.decode(np.array(chosen, dtype=np.int64)),
                  np.array(chosen, dtype=np.int64), np.array(probs),
                  np.array(dists).reshape(-1, v), np.array(raw).reshape(-1, v), tau, greedy)


def state_trace(model: CharLM, ids) -> dict:
    """The state after every character of one stream read from zeros.

    ids (T,) -> {"h": (T, H)} and, for an LSTM, "c": (T, H) the cell state too.
    """
    from .lstm import lstm_forward, lstm_gates
    from .rnn import rnn_forward

    if not isinstance(model, CharLM):
        raise TypeError(f"state_trace: model must be a CharLM; got {type(model).__name__}")
    ids = _ids2d(ids, model.vocab_size, "state_trace")
    if ids.shape[0] != 1:
        raise ValueError(f"state_trace: give one stream, ids of shape (T,); got {ids.shape}")
    layer = model.rnn
    weights = (layer.weight_ih_l0.data, layer.weight_hh_l0.data, layer.bias_ih_l0.data,
               layer.bias_hh_l0.data)
    x = np.eye(model.vocab_size)[ids]
    if model.cell == "lstm":
        hs, cache = lstm_forward(x, None, None, *weights)
        return {"h": hs[0], "c": lstm_gates(cache)["c"][0]}
    hs, _ = rnn_forward(x, None, *weights)
    return {"h": hs[0]}


#: The text features ``text_features`` computes, with what each measures.
FEATURES = {
    "quote": "inside a quotation (1 between an opening and a closing double quote)",
    "line": "position in the line (characters since the last line break)",
    "word": "position in the word (characters since the last space or line break)",
}


def text_features(text: str) -> dict:
    """Per character of ``text``, the features of ``FEATURES``, each (T,) float64.

    "quote" is 1 from an opening double quote up to its closing one (both included); a
    quotation that runs on over several paragraphs reopens at each of them, so a paragraph
    break ends it.  "line" counts the characters since the last line break (0 on the line
    break itself), "word" the characters since the last space or line break.
    """
    if not isinstance(text, str) or not text:
        raise TypeError("text_features: text must be a non-empty string")
    quote, line, word = (np.zeros(len(text)) for _ in range(3))
    inside, col, pos, prev = False, 0, 0, ""
    for t, ch in enumerate(text):
        if ch == "\n" and prev == "\n":
            inside = False
        if ch == '"':
            quote[t] = 1.0
            inside = not inside
        else:
            quote[t] = float(inside)
        col = 0 if ch == "\n" else col + 1
        pos = 0 if ch in " \n" else pos + 1
        line[t], word[t] = col, pos
        prev = ch
    return {"quote": quote, "line": line, "word": word}


def unit_correlations(states, feature) -> np.ndarray:
    """Pearson correlation of every unit's activation with a feature over time.

    states (T, H), feature (T,) -> (H,) in [-1, 1]; a constant unit (or feature) gets 0.
    """
    s = np.asarray(states, dtype=np.float64)
    f = np.asarray(feature, dtype=np.float64)
    if s.ndim != 2 or f.shape != (s.shape[0],):
        raise ValueError(f"unit_correlations: states must be (T, H) and feature (T,); got "
                         f"{s.shape} and {f.shape}")
    s = s - s.mean(axis=0)
    f = f - f.mean()
    denom = np.sqrt((s ** 2).sum(axis=0) * (f ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(denom > 0, (s * f[:, None]).sum(axis=0) / np.where(denom > 0, denom, 1),
                     0.0)
    return r
