"""The lecture-14 demonstration: on "remember the first symbol" over 80 steps, an LSTM learns
and a vanilla RNN of the same size, with the same optimizer and budget, stays near chance.

The recipe is the one of ``notebooks/14_lstm_gru.ipynb`` (same data, random seeds, sizes and
optimizer); the short budget is the suite's override of the notebook's parameters cell
(``EPOCHS = 30`` in ``tests/notebook_expectations/14_lstm_gru.py``), the long one its default
``EPOCHS = 40``.  The notebook also passes the validation set to ``fit`` for its curves; that
is a forward pass in eval mode and does not change the training trajectory, so it is left out
here to save time.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl

pytestmark = [pytest.mark.lec14, pytest.mark.slow]

LAG, K, HIDDEN, LR, BATCH, GATE_BIAS = 80, 4, 16, 3e-3, 50, 4.0


def _data():
    X, y = dl.data.first_symbol_task(1000, LAG, K, seed=1)
    X_val, y_val = dl.data.first_symbol_task(500, LAG, K, seed=2)
    return X, y, X_val, y_val


def _models():
    rnn = dl.nn.Sequential(dl.nn.RNN(K + 1, HIDDEN, rng=0), dl.nn.LastStep(),
                           dl.nn.Linear(HIDDEN, K, rng=0))
    lstm_layer = dl.nn.LSTM(K + 1, HIDDEN, rng=0)
    H = HIDDEN
    lstm_layer.bias_ih_l0.data[:H] = -GATE_BIAS       # input gate: closed unless asked
    lstm_layer.bias_ih_l0.data[H:2 * H] = GATE_BIAS   # forget gate: keep by default
    lstm_layer.bias_hh_l0.data[:2 * H] = 0.0
    lstm = dl.nn.Sequential(lstm_layer, dl.nn.LastStep(), dl.nn.Linear(HIDDEN, K, rng=0))
    return {"RNN": rnn, "LSTM": lstm}


@pytest.mark.parametrize("epochs", [30, 40], ids=["suite-budget", "full-budget"])
def test_lstm_remembers_what_the_rnn_forgets(epochs):
    from threadpoolctl import threadpool_limits

    X, y, X_val, y_val = _data()
    results = {}
    with threadpool_limits(limits=1):
        for name, model in _models().items():
            hist = dl.nn.fit(model, X, y, optimizer=dl.optim.Adam(model.parameters(), lr=LR),
                             num_epochs=epochs, batch_size=BATCH, progress=False, rng=0)
            results[name] = (hist, dl.nn.accuracy(model, X_val, y_val))
    (h_rnn, acc_rnn), (h_lstm, acc_lstm) = results["RNN"], results["LSTM"]
    print(f"epochs={epochs}: RNN accuracy {acc_rnn:.3f}, loss {h_rnn.train_loss[-1]:.3f}; "
          f"LSTM accuracy {acc_lstm:.3f}, loss {h_lstm.train_loss[-1]:.3f}")
    assert not h_rnn.diverged and not h_lstm.diverged
    assert acc_lstm >= 0.9
    assert h_lstm.train_loss[-1] < 0.1
    chance = 1 / K
    assert abs(acc_rnn - chance) < 0.1, "the RNN should stay near chance (0.25)"
    assert h_rnn.train_loss[-1] > 0.8 * np.log(K)
    assert h_lstm.train_acc[-1] >= 0.9
