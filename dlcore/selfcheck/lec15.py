"""Self-checks of lecture 15 (a character-level language model): exercises 15.1-15.5, and
15.6-15.8 where the learner writes one chunk of the batching pipeline, the backward pass of an
embedding table and the temperature softmax used for sampling.

Shape legend: L characters (indices, (L,)); N streams, T steps per chunk, chunks (N, T);
V vocabulary size, D embedding size, E (V, D); logits (N, V).  Expected values are computed
here and never printed; a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from ._answers import number as _number
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []

_V_STORY = 68  # distinct characters of the lecture's story


@exercise("15.1", "Bits per character of a uniform guess", hints=(
    "A model that knows nothing gives each of the V = 68 characters the same probability. "
    "What is that probability?",
    "Bits per character is the average of -log2 p(next character), with the base-2 logarithm.",
    "-log2(1/68) = log2(68): use np.log2, not the natural logarithm.",
), solution=r"""
Every character gets $p = 1/68$, so every step costs $-\log_2(1/68) = \log_2 68 \approx$
**6.09** bits. The natural logarithm would give 4.22, the same loss in nats. The unigram model
of the lecture (4.55 bits) already does better, because it knows that spaces and e are common.
""")
def _check_15_1(answer):
    value = _number(answer)
    expected = np.log2(_V_STORY)
    if np.isclose(value, np.log(_V_STORY), atol=5e-3):
        return "that is the loss in nats (natural logarithm); bits use log2"
    if np.isclose(value, 1 / _V_STORY, atol=1e-3):
        return "that is the probability of one character; the question asks for -log2 of it"
    if np.isclose(value, np.log10(_V_STORY), atol=5e-3):
        return "that is log10; bits use the base-2 logarithm"
    return None if np.isclose(value, expected, atol=5e-3) else \
        "every character has probability 1/68: compute -log2 of it"


@exercise("15.2", "A bigram probability with add-one smoothing", hints=(
    "List the pairs (previous, next) of 'abracadabra' whose previous character is a. The last "
    "a is followed by nothing.",
    "a is followed by b twice, by c once and by d once: 4 pairs. The vocabulary has V = 5 "
    "characters (a, b, c, d, r).",
    "Add-one smoothing adds 1 to every count: (n_ab + 1) / (n_a. + V).",
), solution=r"""
The pairs that start with a are ab, ac, ad, ab (the final a has no next character): $n_{ab} = 2$
out of $n_{a\cdot} = 4$. With add-one smoothing over the $V = 5$ characters a, b, c, d, r,

$$p(b \mid a) = \frac{n_{ab} + 1}{n_{a\cdot} + V} = \frac{3}{9} = \tfrac13 \approx 0.333 .$$

Without smoothing it would be $2/4 = 0.5$. In code:
`dl.recurrent.bigram_model(vocab.encode("abracadabra"), 5)[0, 1]`.
""")
def _check_15_2(answer):
    value = _number(answer)
    if np.isclose(value, 0.5, atol=1e-3):
        return "that is the estimate without smoothing; add one to every count first"
    if np.isclose(value, 3 / 10, atol=1e-3) or np.isclose(value, 2 / 5, atol=1e-3):
        return "the final a is followed by nothing: count only the 4 pairs that start with a"
    if np.isclose(value, 3 / 6, atol=1e-3) or np.isclose(value, 3 / 8, atol=1e-3):
        return "add-one smoothing adds 1 to each of the V = 5 counts, so V = 5 to the total"
    return None if np.isclose(value, 1 / 3, atol=1e-3) else \
        "count the pairs that start with a, then (n_ab + 1) / (n_a. + V)"


_QUIZ_LETTERS = ("A", "B", "C", "D")


def _letter(answer):
    if not isinstance(answer, str) or answer.strip().upper()[:1] not in _QUIZ_LETTERS:
        return None
    return answer.strip().upper()[:1]


@exercise("15.3", "What a language model estimates at step t", hints=(
    "At step t the model has read the characters before t, and it outputs a distribution "
    "over the next one.",
    "Which option conditions on what was read and not on the answer itself?",
), solution=r"""
**C**: $P(y^{\langle t\rangle} \mid y^{\langle 1\rangle}, \dots, y^{\langle t-1\rangle})$. The
softmax at step $t$ is a distribution over the next symbol given everything read so far. (A)
is the probability of the past, (B) ignores the context (a unigram model), and (D) conditions
on $y^{\langle t\rangle}$ itself, the answer it should predict.
""")
def _check_15_3(answer):
    letter = _letter(answer)
    if letter is None:
        return "answer with one letter: 'A', 'B', 'C' or 'D'"
    return {"A": "that is the probability of the symbols already read, not of the next one",
            "B": "that ignores the context: it is what the unigram model estimates",
            "D": "that conditions on y<t>, the very symbol to predict"}.get(letter)


@exercise("15.4", "Generating text: what goes into the next step?", hints=(
    "When the model writes on its own, is there a training text to copy the next input from?",
    "Greedy or drawn: in both cases the character the model picked must become its next input.",
), solution=r"""
**D**: draw the next symbol from the model's distribution, then feed **that** symbol in as the
next input. When the model generates there is no ground truth to feed (that is training, called
teacher forcing); taking the most likely symbol (C) is the greedy variant, which tends to
repeat itself, as the sampler of this lecture shows.
""")
def _check_15_4(answer):
    letter = _letter(answer)
    if letter is None:
        return "answer with one letter: 'A', 'B', 'C' or 'D'"
    return {"A": "when generating there is no training text to feed: the model's own pick "
                 "goes in",
            "B": "when generating there is no training text to feed: the model's own pick "
                 "goes in",
            "C": "the most likely symbol every time is greedy decoding; sampling draws from the "
                 "distribution"}.get(letter)


@exercise("15.5", "From bits per character to perplexity", hints=(
    "Perplexity is 2 to the power of the bits per character.",
    "A model at b bits per character is as unsure as a fair choice among 2^b characters.",
), solution=r"""
$2^{2.0} =$ **4**: at 2 bits per character the model is, on average, as unsure as if it had to
pick fairly among 4 characters (out of 68). The unigram model's 4.55 bits is a perplexity of
about 23.
""")
def _check_15_5(answer):
    value = _number(answer)
    if np.isclose(value, np.exp(2.0), atol=1e-2):
        return "with bits use base 2: 2 ** bits (e ** loss is for a loss in nats)"
    if np.isclose(value, 0.25, atol=1e-3):
        return "that is the probability of one of the equally likely characters; perplexity " \
               "is how many of them there are"
    return None if np.isclose(value, 4.0, atol=1e-6) else "compute 2 ** 2.0"


# 15.6 -- your turn: one chunk of the batching pipeline ---------------------------------------

def _chunk(ids, batch_size, seq_len, k):
    from ..data.text import char_chunks

    return char_chunks(np.asarray(ids), batch_size, seq_len)[k]


def _chunk_streams_interleaved(ids, batch_size, seq_len, k):
    ids = np.asarray(ids)
    s = (ids.size - 1) // batch_size
    X = ids[:batch_size * s].reshape(s, batch_size).T
    Y = ids[1:batch_size * s + 1].reshape(s, batch_size).T
    return X[:, k * seq_len:(k + 1) * seq_len], Y[:, k * seq_len:(k + 1) * seq_len]


def _chunk_no_shift(ids, batch_size, seq_len, k):
    x, _ = _chunk(ids, batch_size, seq_len, k)
    return x, x.copy()


def _chunk_all_characters(ids, batch_size, seq_len, k):
    ids = np.asarray(ids)
    s = ids.size // batch_size
    X = ids[:batch_size * s].reshape(batch_size, s)
    Y = np.roll(ids[:batch_size * s], -1).reshape(batch_size, s)
    return X[:, k * seq_len:(k + 1) * seq_len], Y[:, k * seq_len:(k + 1) * seq_len]


def _chunk_index_as_step(ids, batch_size, seq_len, k):
    ids = np.asarray(ids)
    s = (ids.size - 1) // batch_size
    X = ids[:batch_size * s].reshape(batch_size, s)
    Y = ids[1:batch_size * s + 1].reshape(batch_size, s)
    return X[:, k:k + seq_len], Y[:, k:k + seq_len]


_IDS13 = np.arange(13)
_IDS_TEXT = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3])

implement(
    "15.6", "Write one chunk of the batching pipeline", reference=_chunk, name="my_chunk",
    outputs=("x", "y"),
    reference_name="dlcore's chunk (dl.data.char_chunks(ids, batch_size, seq_len)[k])",
    cases=[
        Case("one stream, the first chunk", (_IDS13, 1, 4, 0)),
        Case("two streams, the first chunk", (_IDS13, 2, 3, 0)),
        Case("two streams, the second chunk", (_IDS13, 2, 3, 1)),
        Case("three streams, a short last chunk", (_IDS_TEXT, 3, 3, 2)),
    ],
    mistakes=[
        (_chunk_streams_interleaved, "the streams are interleaved: stream n must be one "
                                     "contiguous stretch of the text, ids[n S : (n + 1) S], so "
                                     "reshape to (N, S) (not (S, N) and transpose)"),
        (_chunk_no_shift, "the targets are the inputs themselves: y must be the next "
                          "character, the same stretch shifted by one"),
        (_chunk_all_characters, "each stream needs one character more than it reads (its last "
                                "target): take S = (L - 1) // N, and the targets from "
                                "ids[1 : N S + 1]"),
        (_chunk_index_as_step, "chunk k starts at step k * seq_len of the streams, not at "
                               "step k"),
    ],
    hints=(
        "First the streams: with L characters and N streams, each stream reads "
        "S = (L - 1) // N characters (one is kept for the last target).",
        "Stream n is the stretch ids[n S : (n + 1) S] and its targets are shifted by one: "
        "`X = ids[:N * S].reshape(N, S)` and `Y = ids[1:N * S + 1].reshape(N, S)`.",
        "Chunk k is the columns k * seq_len to (k + 1) * seq_len of both: "
        "`X[:, k * seq_len:(k + 1) * seq_len]` (the last chunk may be shorter).",
    ),
    solution=r"""
Cut the text into N contiguous streams (one character kept back for the last target), shift
by one for the targets, and take the columns of chunk k:

```python
def my_chunk(ids, batch_size, seq_len, k):
    S = (len(ids) - 1) // batch_size
    X = ids[:batch_size * S].reshape(batch_size, S)
    Y = ids[1:batch_size * S + 1].reshape(batch_size, S)
    cols = slice(k * seq_len, (k + 1) * seq_len)
    return X[:, cols], Y[:, cols]
```

Row n of chunk k + 1 continues row n of chunk k: that is what lets the model carry its state
from one chunk to the next. `dl.data.char_chunks` returns all the chunks.
""")


# 15.7 -- your turn: the backward pass of an embedding table -----------------------------------

def _embedding_backward(dout, ids, E):
    from ..recurrent.embedding import embedding_backward, embedding_forward

    _, cache = embedding_forward(np.asarray(ids, dtype=np.int64), E)
    return embedding_backward(dout, cache)


def _embedding_lookup(ids, E):
    return np.asarray(E, dtype=np.float64)[np.asarray(ids, dtype=np.int64)]


def _emb_buffered(dout, ids, E):
    dE = np.zeros(np.shape(E))
    dE[np.asarray(ids, dtype=np.int64)] += dout
    return dE


def _emb_forward_values(dout, ids, E):
    dE = np.zeros(np.shape(E))
    np.add.at(dE, np.asarray(ids, dtype=np.int64), np.asarray(E)[np.asarray(ids, dtype=np.int64)])
    return dE


def _emb_mean(dout, ids, E):
    ids = np.asarray(ids, dtype=np.int64)
    dE = np.zeros(np.shape(E))
    np.add.at(dE, ids, dout)
    counts = np.bincount(ids, minlength=np.shape(E)[0])[:, None]
    return dE / np.maximum(counts, 1)


_E43 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [2.2, -0.4, 0.6]])

implement(
    "15.7", "Write the backward pass of an embedding table", reference=_embedding_backward,
    name="my_embedding_backward",
    reference_name="dlcore's embedding backward (dl.recurrent.embedding_backward)",
    gradients=Gradients(_embedding_lookup, wrt=(2,), dout=0, inputs=(1, 2)),
    cases=[
        Case("three different symbols", (np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0],
                                                   [-1.0, 1.0, 3.0]]), np.array([2, 0, 3]),
                                         _E43)),
        Case("a symbol that occurs twice", (np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0],
                                                      [4.0, 0.0, -2.0]]), np.array([1, 3, 1]),
                                            _E43)),
        Case("a batch (N, T) = (2, 3) of indices, with repeats",
             (np.arange(18.0).reshape(2, 3, 3) / 4 - 1, np.array([[0, 2, 0], [2, 2, 1]]),
              _E43)),
    ],
    mistakes=[
        (_emb_buffered, "a symbol that occurs several times collects only one gradient: "
                        "`dE[ids] += dout` writes each repeated row once. Use "
                        "`np.add.at(dE, ids, dout)`, which adds them all"),
        (_emb_mean, "the rows are averaged: each occurrence of a symbol adds its own gradient, "
                    "so the row of a symbol seen k times is the sum of k gradients"),
        (_emb_forward_values, "the gradient of E[ids] sends dout back into the rows, not the "
                              "rows of E themselves"),
    ],
    hints=(
        "out = E[ids] copies row ids[t] of E to position t, so the gradient of position t goes "
        "back into row ids[t] of dE. Start from dE = np.zeros_like(E).",
        "A symbol that appears several times receives several gradients, which add up. "
        "`dE[ids] += dout` does not add them: NumPy writes each repeated row once.",
        "`np.add.at(dE, ids.reshape(-1), dout.reshape(-1, D))` adds every occurrence, whatever "
        "the shape of ids.",
    ),
    solution=r"""
Every position sends its upstream gradient back into the row of its symbol; `np.add.at` adds
the contributions of repeated symbols (a plain `dE[ids] += dout` would keep one of them):

```python
def my_embedding_backward(dout, ids, E):
    D = E.shape[1]
    dE = np.zeros_like(E, dtype=float)
    np.add.at(dE, ids.reshape(-1), dout.reshape(-1, D))
    return dE
```

It equals `one_hot(ids).T @ dout`, the gradient of the product `one_hot(ids) @ E`, without
building the one-hot matrix.
""")


# 15.8 -- your turn: the temperature softmax of sampling ---------------------------------------

def _temperature(logits, temperature):
    from ..recurrent.charlm import temperature_softmax

    return temperature_softmax(logits, temperature)


def _softmax_rows(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _temp_times(logits, temperature):
    return _softmax_rows(np.asarray(logits, float) * temperature)


def _temp_after(logits, temperature):
    return _softmax_rows(np.asarray(logits, float)) ** (1.0 / temperature)


def _temp_columns(logits, temperature):
    z = np.asarray(logits, float) / temperature
    z = z - z.max(axis=0, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


def _temp_ignored(logits, temperature):
    return _softmax_rows(np.asarray(logits, float))


implement(
    "15.8", "Write the temperature softmax of sampling", reference=_temperature,
    name="my_temperature_probs",
    reference_name="dlcore's temperature softmax (dl.recurrent.temperature_softmax)",
    cases=[
        Case("one row, temperature 1", (np.array([[2.0, 1.0, 0.0, -1.0]]), 1.0)),
        Case("one row, temperature 0.5 (sharper)", (np.array([[2.0, 1.0, 0.0, -1.0]]), 0.5)),
        Case("two rows, temperature 2 (flatter)", (np.array([[2.0, 1.0, 0.0], [0.0, 3.0, -1.0]]),
                                                   2.0)),
        Case("large scores, temperature 0.25", (np.array([[400.0, 399.0, 390.0],
                                                          [-5.0, 0.0, 5.0]]), 0.25)),
    ],
    mistakes=[
        (_temp_ignored, "the temperature is not used: divide the scores by it before the "
                        "softmax"),
        (_temp_times, "the scores are multiplied by the temperature: divide by it, so that a "
                      "small temperature sharpens the distribution"),
        (_temp_after, "the temperature goes inside the softmax, p = softmax(scores / τ); "
                      "raising probabilities to a power does not keep them summing to 1"),
        (_temp_columns, "each row is one step's distribution: normalise along the last axis "
                        "(axis=-1), not down the columns"),
    ],
    hints=(
        "Divide the scores by the temperature first: z = logits / temperature.",
        "Then a softmax along each row (axis=-1). Subtract each row's maximum before np.exp, "
        "so that large scores do not overflow.",
        "`z = z - z.max(axis=-1, keepdims=True)`, `e = np.exp(z)`, "
        "`return e / e.sum(axis=-1, keepdims=True)`.",
    ),
    solution=r"""
Scale the scores, shift each row by its maximum (which changes nothing but keeps `np.exp`
finite), and normalise each row:

```python
def my_temperature_probs(logits, temperature):
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
```

$\tau < 1$ sharpens (as $\tau \to 0$ all the mass goes to the largest score: greedy), $\tau > 1$
flattens towards uniform, and $\tau = 1$ is the model's own distribution.
""")
