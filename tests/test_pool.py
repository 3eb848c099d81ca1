"""dlcore.conv pooling: seed examples, tie rule and routing vs torch, loops vs vectorised.

Gradient checks (no ties) are the ``pool_*`` rows of tests/optable/conv.py.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlcore import conv

pytestmark = [pytest.mark.lec10, pytest.mark.lec12]

# 002_0ad103dc23bd7991.txt l. 3940-4012
P4 = np.array([[1, 4, 2, 1], [5, 8, 3, 4], [7, 6, 4, 5], [1, 3, 1, 2]], dtype=float)[None, None]
# 004_4f4f274075c2c478.txt l. 461-491
ACT = np.array([[0.1, 0.5, 1.2, -0.7], [0.8, -0.2, -0.5, 0.3], [0.4, 0.9, -0.1, -0.2],
                [-0.6, 0.1, 0.5, 0.3]])[None, None]


def _torch_pool(kind, x, dout, size, stride, pad):
    import torch
    import torch.nn.functional as F

    tx = torch.tensor(x, requires_grad=True)
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    out = fn(tx, size, stride, pad)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), tx.grad.numpy()


def test_seed_pooling_examples():
    out, _ = conv.max_pool2d_forward(P4, 2, stride=1)
    assert_array_equal(out[0, 0], [[8, 8, 4], [8, 8, 5], [7, 6, 5]])
    out, _ = conv.max_pool2d_forward(P4, 2)
    assert_array_equal(out[0, 0], [[8, 4], [7, 5]])
    out, _ = conv.avg_pool2d_forward(P4, 2, stride=2)
    assert_array_equal(out[0, 0], [[4.5, 2.5], [4.25, 3.0]])


def test_seed_stride_label_is_wrong():
    # the slide says "stride 1" but its 2x2 answer is the stride-2 result (errata)
    out1, _ = conv.max_pool2d_forward(P4, 2, stride=1)
    assert out1.shape[2:] == (3, 3)
    assert conv.output_size(4, 2, stride=2) == 2 and conv.output_size(4, 2, stride=1) == 3


def test_max_pool_backprop_seed_example():
    out, cache = conv.max_pool2d_forward(ACT, 2)
    assert_array_equal(out[0, 0], [[0.8, 1.2], [0.9, 0.5]])
    g = np.array([[[[1.3, 0.5], [0.4, 0.1]]]])
    routed = [[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]]
    assert_array_equal(conv.max_pool2d_backward(g, cache)[0, 0], routed)
    assert_array_equal(conv.max_unpool2d(g, cache)[0, 0], routed)


def test_overlapping_windows_accumulate():
    # with stride 1, the 8 is the maximum of all four windows that contain it
    _, cache = conv.max_pool2d_forward(P4, 2, stride=1)
    g = np.arange(1.0, 10).reshape(1, 1, 3, 3)
    dx = conv.max_pool2d_backward(g, cache)[0, 0]
    assert dx[1, 1] == 1 + 2 + 4 + 5
    assert dx.sum() == g.sum()
    # window (0, 2) = [[2, 1], [3, 4]] sends its 3 to the 4 at (1, 3)
    assert_array_equal(dx, [[0, 0, 0, 0], [0, 12, 0, 3], [7, 8, 0, 15], [0, 0, 0, 0]])


def test_avg_pool_spreads_evenly():
    _, cache = conv.avg_pool2d_forward(P4, 2)
    dx = conv.avg_pool2d_backward(np.array([[[[4.0, 8], [12, 16]]]]), cache)[0, 0]
    assert_array_equal(dx, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    _, cache = conv.avg_pool2d_forward(P4, 3, stride=1)
    dx = conv.avg_pool2d_backward(np.full((1, 1, 2, 2), 9.0), cache)[0, 0]
    assert_array_equal(dx, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


@pytest.mark.parametrize("size, stride, pad", [(2, None, 0), (2, 1, 0), (3, 2, 1),
                                               ((2, 3), (1, 2), (1, 0))])
def test_ties_go_to_the_first_maximum_like_torch(rng, size, stride, pad):
    # small integers: many ties inside windows
    x = rng.integers(0, 3, size=(2, 3, 7, 8)).astype(float)
    out, cache = conv.max_pool2d_forward(x, size, stride, pad)
    dout = rng.standard_normal(out.shape)
    t_out, t_dx = _torch_pool("max", x, dout, size, size if stride is None else stride, pad)
    assert_array_equal(out, t_out)
    assert_allclose(conv.max_pool2d_backward(dout, cache), t_dx, rtol=0, atol=1e-12)


def test_all_equal_window_sends_everything_to_its_first_cell():
    _, cache = conv.max_pool2d_forward(np.ones((1, 1, 2, 2)), 2)
    assert_array_equal(conv.max_pool2d_backward(np.full((1, 1, 1, 1), 5.0), cache)[0, 0],
                       [[5, 0], [0, 0]])


def test_indices_and_unpool_match_torch(rng):
    import torch
    import torch.nn.functional as F

    x = rng.permutation(2 * 3 * 6 * 8).reshape(2, 3, 6, 8).astype(float)
    out, cache = conv.max_pool2d_forward(x, (2, 2), pad=(1, 0))
    t_out, t_idx = F.max_pool2d(torch.tensor(x), 2, 2, (1, 0), return_indices=True)
    assert_array_equal(cache.indices, t_idx.numpy())
    unpooled = F.max_unpool2d(t_out, t_idx, 2, 2, (1, 0), output_size=x.shape[2:]).numpy()
    assert_array_equal(conv.max_unpool2d(out, cache), unpooled)
    with pytest.raises(ValueError, match="indices exist only for max pooling"):
        _ = conv.avg_pool2d_forward(x, 2)[1].indices


def test_unpooling_is_a_transposed_conv():
    # 14 -> 28: spreading each value over its 2x2 block = transposed conv with k=2, s=2
    rng = np.random.default_rng(5)
    g = rng.standard_normal((2, 3, 14, 14))
    _, cache = conv.avg_pool2d_forward(np.zeros((2, 3, 28, 28)), 2)
    spread = conv.avg_pool2d_backward(g, cache) * 4
    w = np.zeros((3, 3, 2, 2))
    w[range(3), range(3)] = 1.0
    assert_allclose(conv.conv_transpose2d(g, w, stride=2), spread, atol=1e-12)


@st.composite
def pool_configs(draw):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    h = max(1, kh - 2 * ph + draw(st.integers(0, 4)))
    w = max(1, kw - 2 * pw + draw(st.integers(0, 4)))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w)
    return shape, (kh, kw), (sh, sw), (ph, pw), draw(st.integers(0, 2**16))


@settings(max_examples=40, deadline=None)
@given(pool_configs())
def test_vectorised_matches_naive(cfg):
    shape, size, stride, pad, seed = cfg
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, size=shape).astype(float)  # ties on purpose
    for kind in ("max", "avg"):
        fwd, bwd = getattr(conv, f"{kind}_pool2d_forward"), getattr(conv, f"{kind}_pool2d_backward")
        fwd_n = getattr(conv, f"{kind}_pool2d_forward_naive")
        bwd_n = getattr(conv, f"{kind}_pool2d_backward_naive")
        out, cache = fwd(x, size, stride, pad)
        ref, ref_cache = fwd_n(x, size, stride, pad)
        assert_allclose(out, ref, rtol=0, atol=1e-12)
        dout = rng.standard_normal(out.shape)
        assert_allclose(bwd(dout, cache), bwd_n(dout, ref_cache), rtol=0, atol=1e-12)


def test_float32_stays_float32(rng):
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    for kind in ("max", "avg"):
        out, cache = getattr(conv, f"{kind}_pool2d_forward")(x, 3, 2, 1)
        assert out.dtype == np.float32
        dx = getattr(conv, f"{kind}_pool2d_backward")(np.ones(out.shape), cache)
        assert dx.dtype == np.float32 and dx.shape == x.shape


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("fn", [conv.max_pool2d_forward, conv.avg_pool2d_forward,
                                conv.max_pool2d_forward_naive])
def test_bad_pool_input(fn):
    with pytest.raises(ValueError, match=r"x must be a 4-D array of shape \(N, C, H, W\)"):
        fn(np.zeros((4, 4)), 2)
    with pytest.raises(ValueError, match=r"kernel height 5 is larger than the padded input "
                                         r"height 4"):
        fn(np.zeros((1, 1, 4, 4)), 5)
    with pytest.raises(ValueError, match=r"padding \(2, 2\) must be at most half the window size "
                                         r"\(3, 3\)"):
        fn(np.zeros((1, 1, 6, 6)), 3, pad=2)
    with pytest.raises(ValueError, match="size must be positive"):
        fn(np.zeros((1, 1, 4, 4)), 0)
    with pytest.raises(ValueError, match="stride must be positive"):
        fn(np.zeros((1, 1, 4, 4)), 2, stride=(1, 0))
    with pytest.raises(ValueError, match="x contains 1 non-finite"):
        fn(np.array([[[[0.0, np.nan], [1.0, 2.0]]]]), 2)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_bad_dout(kind):
    out, cache = getattr(conv, f"{kind}_pool2d_forward")(np.zeros((2, 3, 4, 4)), 2)
    bwd = getattr(conv, f"{kind}_pool2d_backward")
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward output "
                                         r"\(2, 3, 2, 2\); got \(2, 3, 4, 4\)"):
        bwd(np.zeros((2, 3, 4, 4)), cache)
    with pytest.raises(ValueError, match="dout contains 12 non-finite"):
        bwd(np.where(np.arange(24).reshape(2, 3, 2, 2) % 2, np.inf, 0.0), cache)


def test_avg_cache_cannot_drive_max_backward():
    _, cache = conv.avg_pool2d_forward(np.zeros((1, 1, 4, 4)), 2)
    with pytest.raises(ValueError, match="needs the cache of max_pool2d_forward"):
        conv.max_pool2d_backward(np.zeros((1, 1, 2, 2)), cache)
