"""dlcore.conv: convolution (vectorised vs loops vs torch), sizes, seed examples, bad input.

Expected numbers come from the syllabus (SYLLABUS.md L10-L12, with the errata applied), from
torch, or from an independent derivation written out in the test.  Pooling is in test_pool.py;
gradient checks against central differences and torch are the op-table rows in
tests/optable/conv.py.
"""

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlcore import conv
from dlcore.gradcheck import rel_error

lec10, lec11, lec12 = pytest.mark.lec10, pytest.mark.lec11, pytest.mark.lec12

# 004_4f4f274075c2c478.txt l. 68-76 (CNN-2 deck): 5x5 input and 3x3 kernel
A5 = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
               [2, 0, 0, 0, 1]], dtype=float)
K3 = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)


def _torch_conv(x, w, b=None, **kw):
    import torch
    import torch.nn.functional as F

    t = [None if a is None else torch.tensor(a) for a in (x, w, b)]
    return F.conv2d(*t, **kw).numpy()


# ---------------------------------------------------------------------------------------------
# seed examples, forward (L10)


@lec10
def test_cnn2_example_and_flipped_distractor():
    assert_array_equal(conv.correlate2d(A5, K3), [[12, 12, 17], [10, 17, 19], [9, 6, 14]])
    flipped = [[18, 20, 19], [10, 9, 17], [11, 8, 14]]
    assert_array_equal(conv.convolve2d(A5, K3), flipped)
    assert not np.array_equal(conv.correlate2d(A5, K3), flipped)


@lec10
def test_convolve2d_is_correlation_with_rotated_kernel_and_matches_scipy_definition():
    rng = np.random.default_rng(0)
    img, k = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    # true convolution by its definition: sum_{a,b} I[i - a + KH-1, j - b + KW-1] K[a, b]
    ref = np.array([[sum(img[i - a + 2, j - b + 1] * k[a, b] for a in range(3) for b in range(2))
                     for j in range(6)] for i in range(4)])
    assert_allclose(conv.convolve2d(img, k), ref, atol=1e-12)
    assert_allclose(conv.convolve2d(img, k), conv.correlate2d(img, conv.rot180(k)))


@lec10
def test_edge_kernel_full_output():
    # 002_0ad103dc23bd7991.txt l. 1586-1593: the right column of the kernel is -1
    img = np.array([[7, 2, 3, 3, 8], [4, 5, 3, 8, 4], [3, 3, 2, 8, 4], [2, 8, 7, 2, 7],
                    [5, 4, 4, 5, 4]], dtype=float)
    out = conv.correlate2d(img, conv.KERNELS["edge_vertical"])
    assert_array_equal(out, [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]])


@lec10
def test_bias_example():
    # 002 l. 1817-1852: 3x3 input, 2x2 kernel, bias 2
    x = np.array([[2, 2, 1], [3, 1, -1], [4, 3, 2]], dtype=float)
    k = np.array([[1, -1], [-1, 0]], dtype=float)
    out, _ = conv.conv2d_forward(x[None, None], k[None, None], np.array([2.0]))
    assert_array_equal(out[0, 0], [[-1, 2], [0, 1]])


SHARP_IMG = np.array([[105, 102, 100, 97, 96], [103, 99, 103, 101, 102], [101, 98, 104, 102, 100],
                      [99, 101, 106, 104, 99], [104, 104, 104, 100, 98]], dtype=float)


@lec10
def test_sharpen_padding_and_stride():
    # 002 l. 1931-1993: first value 320 with P=1; the stride-2 map is computed
    out1 = conv.correlate2d(SHARP_IMG, conv.KERNELS["sharpen"], pad=1)
    assert out1.shape == (5, 5) and out1[0, 0] == 320
    out2 = conv.correlate2d(SHARP_IMG, conv.KERNELS["sharpen"], stride=2, pad=1)
    assert_array_equal(out2, [[320, 198, 281], [205, 111, 197], [317, 210, 291]])
    assert_array_equal(out2, out1[::2, ::2])


@lec10
def test_rgb_example_sums_to_minus_25():
    # 002 l. 1995-2076: three channels, one filter, bias 1 -> 308 - 498 + 164 + 1 = -25
    red = [[156, 155, 156, 158, 158], [153, 154, 157, 159, 159], [149, 151, 155, 158, 159],
           [146, 146, 149, 153, 158], [145, 143, 143, 148, 158]]
    green = [[167, 166, 167, 169, 169], [164, 165, 168, 170, 170], [160, 162, 166, 169, 170],
             [156, 156, 159, 163, 168], [155, 153, 153, 158, 168]]
    blue = [[163, 162, 163, 165, 165], [160, 161, 164, 166, 166], [156, 158, 162, 165, 166],
            [155, 155, 158, 162, 167], [154, 152, 152, 157, 167]]
    w = np.array([[[-1, -1, 1], [0, 1, -1], [0, 1, 1]], [[1, 0, 0], [1, -1, -1], [1, 0, -1]],
                  [[0, 1, 1], [0, 1, 0], [1, -1, 1]]], dtype=float)
    x = np.array([[red, green, blue]], dtype=float)
    per_channel = [conv.correlate2d(x[0, c], w[c], pad=1)[0, 0] for c in range(3)]
    assert per_channel == [308, -498, 164]
    out, _ = conv.conv2d_forward(x, w[None], np.array([1.0]), pad=1)
    assert out[0, 0, 0, 0] == -25


@lec10
def test_vertical_edge_rows():
    # 002 l. 2258-2277
    img = np.tile([10.0, 10, 10, 0, 0, 0], (6, 1))
    assert_array_equal(conv.correlate2d(img, conv.KERNELS["edge_vertical"]),
                       np.tile([0.0, 30, 30, 0], (4, 1)))


@lec10
def test_symbolic_3x4_first_entry():
    # 000 l. 3499-3544: 3x4 input a..l, kernel [[w, x], [y, z]] -> first entry aw + bx + ey + fz
    img = np.arange(1.0, 13).reshape(3, 4)  # a=1, b=2, ..., l=12
    k = np.array([[2.0, 3.0], [5.0, 7.0]])  # w, x, y, z
    out = conv.correlate2d(img, k)
    assert out.shape == (2, 3)
    assert out[0, 0] == 1 * 2 + 2 * 3 + 5 * 5 + 6 * 7


SMOOTH_W = [0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5]
SMOOTH_X = [1.0, 1.1, 1.2, 1.4, 1.7, 1.8, 1.9, 2.1, 2.2, 2.4, 2.5, 2.7]


@lec10
def test_1d_smoother_correct_values():
    # s_t = sum_a x_{t-a} w_{-a}; out[i] = s_{i+6}
    s = conv.correlate1d(SMOOTH_X, SMOOTH_W)
    assert s.shape == (6,)
    assert_allclose(s, [1.811, 1.967, 2.112, 2.269, 2.413, 2.569], atol=5e-4)
    # s_6 written out by hand: w_0 on x_6, w_{-1} on x_5, ..., w_{-6} on x_0
    x, w = SMOOTH_X, SMOOTH_W
    assert s[0] == pytest.approx(sum(x[6 - a] * w[6 - a] for a in range(7)))
    assert_allclose(s, np.correlate(SMOOTH_X, SMOOTH_W, "valid"))


@lec10
def test_1d_smoother_is_not_the_seed_values():
    # the slides print s_9..s_11 = 2.16, 2.28, 2.42 (errata); the code must not give them
    s = conv.correlate1d(SMOOTH_X, SMOOTH_W)
    for got, wrong in zip(s[3:], [2.16, 2.28, 2.42]):
        assert abs(got - wrong) > 0.05


# ---------------------------------------------------------------------------------------------
# sizes (L10, L11)


@lec10
@pytest.mark.parametrize("args, expected", [
    ((7, 3), 5), ((7, 5), 3), ((7, 3, 1, 1), 7), ((7, 3, 2, 1), 4), ((32, 5), 28),
    ((227, 11, 4), 55), ((5, 3, 2, 1), 3), ((8, 3, 2, 1), 4),
    ((7, 3, 1, 0, 2), 3), ((4, 2, 2), 2),
])
def test_output_size_examples(args, expected):
    assert conv.output_size(*args) == expected


@lec10
def test_output_volumes():
    # 32x32x3 with six 5x5 filters -> 28x28x6; 5x5x3 with K=2 filters of size F=3, S=2, P=1
    # -> 3x3x2 (the slides' K is the number of filters, F the filter size)
    out, _ = conv.conv2d_forward(np.zeros((1, 3, 32, 32)), np.zeros((6, 3, 5, 5)))
    assert out.shape == (1, 6, 28, 28)
    out, _ = conv.conv2d_forward(np.zeros((1, 3, 5, 5)), np.zeros((2, 3, 3, 3)), stride=2, pad=1)
    assert out.shape == (1, 2, 3, 3)


@lec10
def test_output_size_strict_and_tiles_exactly():
    # syllabus (n, k, p, s) = (8, 3, 1, 2): (8 + 2 - 3)/2 + 1 = 4.5 -> 4, one row left over
    with pytest.raises(ValueError, match=r"7/2 is not an integer; 1 row\(s\)/column\(s\) are "
                                         r"left over"):
        conv.output_size(8, 3, stride=2, pad=1, strict=True)
    assert conv.output_size(7, 3, stride=2, pad=1, strict=True) == 4
    assert not conv.tiles_exactly(8, 3, stride=2, pad=1)
    assert conv.tiles_exactly(227, 11, stride=4)


@lec10
def test_output_size_agrees_with_torch():
    for n, k, s, p, d in [(9, 3, 2, 1, 2), (10, 4, 3, 0, 1), (6, 2, 1, 2, 3)]:
        x = np.zeros((1, 1, n, n))
        w = np.zeros((1, 1, k, k))
        out = _torch_conv(x, w, stride=s, padding=p, dilation=d)
        assert conv.output_size(n, k, s, p, d) == out.shape[-1]


@lec10
def test_same_padding():
    assert conv.same_padding(3) == 1 and conv.same_padding(5) == 2
    assert conv.same_padding(3, dilation=2) == 2
    for k, d in [(3, 1), (5, 1), (3, 3), (7, 2)]:
        assert conv.output_size(11, k, 1, conv.same_padding(k, d), d) == 11
    with pytest.raises(ValueError, match="even effective kernel size 4"):
        conv.same_padding(4)


@lec11
def test_receptive_field():
    assert conv.receptive_field([(3, 1)] * 3) == (7, 1)
    assert conv.receptive_field([(3, 1, 2)]) == (5, 1)
    assert conv.receptive_field([]) == (1, 1)
    assert conv.receptive_field([(2, 2), (2, 2)]) == (4, 4)
    # AlexNet conv1..pool5: the commonly quoted 195 pixels, jump 32
    alexnet = [(11, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 1), (3, 1), (3, 2)]
    fields = conv.receptive_fields(alexnet)
    assert [f.size for f in fields] == [11, 19, 51, 67, 99, 131, 163, 195]
    assert fields[-1].jump == 32


@lec11
def test_receptive_field_matches_inputs_feeding_on_a_stack():
    # two 3x3 convs, the second at stride 2: the cells reaching one output of layer 2
    layers = [(3, 1), (3, 2)]
    cells = {rc for r1 in conv.inputs_feeding(1, 1, 3, stride=2)
             for rc in conv.inputs_feeding(*r1, 3)}
    rows = {r for r, _ in cells}
    assert len(rows) == conv.receptive_field(layers).size == 5


@lec11
def test_inputs_feeding_slides_example():
    def pixels(i, j, stride):
        # 4x4 input numbered 1..16 row by row, 2x2 kernel
        return [r * 4 + c + 1 for r, c in conv.inputs_feeding(i, j, 2, stride=stride,
                                                                input_shape=(4, 4))]
    assert pixels(0, 0, 1) == [1, 2, 5, 6]  # the slides' h11
    assert [pixels(i, j, 2) for i, j in [(0, 1), (1, 0), (1, 1)]] == [
        [3, 4, 7, 8], [9, 10, 13, 14], [11, 12, 15, 16]]
    # padding cells drop out; dilation spreads the taps
    assert conv.inputs_feeding(0, 0, 3, pad=1) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert conv.inputs_feeding(0, 1, 2, dilation=2) == [(0, 1), (0, 3), (2, 1), (2, 3)]
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        conv.inputs_feeding(3, 0, 2, input_shape=(4, 4))


# ---------------------------------------------------------------------------------------------
# vectorised vs loops vs torch


@st.composite
def conv_configs(draw):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h = max(1, dh * (kh - 1) + 1 - 2 * ph + draw(st.integers(0, 4)))
    w = max(1, dw * (kw - 1) + 1 - 2 * pw + draw(st.integers(0, 4)))
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return dict(x=(n, c, h, w), w=(f, c, kh, kw), stride=(sh, sw), pad=(ph, pw),
                dilation=(dh, dw), bias=draw(st.booleans()), seed=draw(st.integers(0, 2**16)))


@lec10
@lec12
@settings(max_examples=40, deadline=None)
@given(conv_configs())
def test_vectorised_matches_naive(cfg):
    rng = np.random.default_rng(cfg["seed"])
    x, w = rng.standard_normal(cfg["x"]), rng.standard_normal(cfg["w"])
    b = rng.standard_normal(cfg["w"][0]) if cfg["bias"] else None
    hyper = dict(stride=cfg["stride"], pad=cfg["pad"], dilation=cfg["dilation"])
    out, cache = conv.conv2d_forward(x, w, b, **hyper)
    ref, ref_cache = conv.conv2d_forward_naive(x, w, b, **hyper)
    assert out.shape == ref.shape
    assert rel_error(out, ref) < 1e-12
    dout = rng.standard_normal(out.shape)
    grads = conv.conv2d_backward(dout, cache)
    ref_grads = conv.conv2d_backward_naive(dout, ref_cache)
    for g, r in zip(grads, ref_grads):
        if b is None and r is None:
            assert g is None
            continue
        assert g.shape == r.shape and rel_error(g, r) < 1e-12


@lec10
def test_forward_matches_torch_on_a_larger_case(rng):
    x, w, b = (rng.standard_normal((4, 5, 13, 11)), rng.standard_normal((6, 5, 3, 4)),
               rng.standard_normal(6))
    out, _ = conv.conv2d_forward(x, w, b, stride=(2, 1), pad=(1, 2), dilation=(1, 2))
    ref = _torch_conv(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2))
    assert rel_error(out, ref) < 1e-12


@lec10
@lec12
@pytest.mark.parametrize("x_shape, w_shape, hyper", [
    # stride 1 with little padding waste: samples stacked, several blocks of samples
    ((13, 8, 20, 20), (5, 8, 3, 3), dict(pad=1)),
    # stride 1, kernel large for the image: one row of slots per output row
    ((14, 3, 20, 17), (4, 3, 5, 5), dict(dilation=(1, 2))),
    # strided
    ((11, 6, 19, 21), (3, 6, 3, 3), dict(stride=2, pad=(0, 1))),
])
def test_larger_batches_match_torch(rng, x_shape, w_shape, hyper):
    import torch
    import torch.nn.functional as F

    x, w, b = (rng.standard_normal(x_shape), rng.standard_normal(w_shape),
               rng.standard_normal(w_shape[0]))
    out, cache = conv.conv2d_forward(x, w, b, **hyper)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv.conv2d_backward(dout, cache)
    t = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    kw = {("padding" if k == "pad" else k): v for k, v in hyper.items()}
    t_out = F.conv2d(*t, **kw)
    t_out.backward(torch.tensor(dout))
    assert rel_error(out, t_out.detach().numpy()) < 1e-12
    for g, tt in zip((dx, dw, db), t):
        assert rel_error(g, tt.grad.numpy()) < 1e-12


@lec10
@lec12
def test_float32_stays_float32(rng):
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    out, cache = conv.conv2d_forward(x, w, b, stride=2, pad=1)
    assert out.dtype == np.float32
    dx, dw, db = conv.conv2d_backward(np.ones(out.shape), cache)
    assert dx.dtype == dw.dtype == db.dtype == np.float32
    ref, _ = conv.conv2d_forward(x.astype(float), w.astype(float), b.astype(float), stride=2,
                                 pad=1)
    assert rel_error(out, ref) < 1e-5
    y, tcache = conv.conv_transpose2d_forward(x, w.transpose(1, 0, 2, 3))
    assert y.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.conv_transpose2d_backward(y, tcache)[:2])


@lec10
def test_integer_input_is_converted():
    assert conv.correlate2d(A5.astype(int), K3.astype(int)).dtype == np.float64


# ---------------------------------------------------------------------------------------------
# backward: seed examples and identities (L12)


@lec12
def test_stride2_backprop_example():
    # the seed's unstated stride is 2; G = [[1, 2], [3, 4]]
    out, cache = conv.conv2d_forward(A5[None, None], K3[None, None], np.zeros(1), stride=2)
    assert_array_equal(out[0, 0], [[12, 17], [9, 14]])
    dx, dw, db = conv.conv2d_backward(np.array([[[[1.0, 2], [3, 4]]]]), cache)
    assert_array_equal(dw[0, 0], [[24, 16, 20], [8, 14, 11], [13, 5, 12]])
    assert_array_equal(dx[0, 0], [[0, 1, 2, 2, 4], [2, 2, 4, 4, 0], [0, 4, 8, 6, 12],
                                  [6, 6, 8, 8, 0], [0, 3, 6, 4, 8]])
    assert db[0] == 10


@lec12
def test_symbolic_backprop_indices():
    # 004 l. 106-431: a_1..a_25 (row-major), stride 2.  With dL/dz_k = 1 and the others 0,
    # dW is the window that z_k sees: dW[0, 0] is a_1, a_3, a_11, a_13 for z_1..z_4 (the slide
    # writes a_1 for z_3 at l. 240) and z_4 = ... + w_9 a_25 (not a_23, l. 178/373).
    a = np.arange(1.0, 26).reshape(1, 1, 5, 5)
    out, cache = conv.conv2d_forward(a, np.ones((1, 1, 3, 3)), stride=2)
    firsts = []
    for k in range(4):
        g = np.zeros((1, 1, 2, 2))
        g.flat[k] = 1.0
        _, dw, _ = conv.conv2d_backward(g, cache)
        firsts.append(dw[0, 0, 0, 0])
        last = dw[0, 0, 2, 2]
    assert firsts == [1, 3, 11, 13]
    assert last == 25
    assert out[0, 0, 1, 1] == sum([13, 14, 15, 18, 19, 20, 23, 24, 25])


@lec12
def test_stride2_backprop_via_dilate_and_rot180():
    # dX = full cross-correlation of dilate_s(G) with rot180(W); dW = X correlated with dilated G
    g = np.array([[1.0, 2], [3, 4]])
    gd = conv.dilate(g, 2)
    assert_array_equal(gd, [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    dx = conv.correlate2d(gd, conv.rot180(K3), pad=2)
    _, cache = conv.conv2d_forward(A5[None, None], K3[None, None], stride=2)
    ref_dx, ref_dw, _ = conv.conv2d_backward(g[None, None], cache)
    assert_array_equal(dx, ref_dx[0, 0])
    assert_array_equal(conv.correlate2d(A5, gd), ref_dw[0, 0])


@lec12
def test_stride1_backprop_sum_loss():
    _, cache = conv.conv2d_forward(A5[None, None], K3[None, None], np.zeros(1))
    dx, dw, db = conv.conv2d_backward(np.ones((1, 1, 3, 3)), cache)
    assert_array_equal(dw[0, 0], [[15, 15, 15], [9, 11, 16], [10, 7, 12]])
    assert db[0] == 9
    # each input cell receives the sum of the kernel weights that touch it
    assert dx.sum() == 9 * K3.sum()


@lec12
def test_squared_loss_example():
    # 002 l. 4279-4285 forward equations, worked through with X = 1..9 and L = 1/2 sum (O - T)^2
    x = np.arange(1.0, 10).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0], [-1, 2]]]])
    target = np.array([[10.0, 12], [16, 18]])
    out, cache = conv.conv2d_forward(x, w)
    assert_array_equal(out[0, 0], [[7, 9], [13, 15]])
    assert 0.5 * np.sum((out[0, 0] - target) ** 2) == 18
    dx, dw, db = conv.conv2d_backward(out - target, cache)
    assert_array_equal(dw[0, 0], [[-36, -48], [-72, -84]])
    assert_array_equal(dx[0, 0], [[-3, -3, 0], [0, -6, -6], [3, -3, -6]])
    assert db is None


@lec12
def test_uncovered_input_cells_get_zero_gradient():
    # 6x6 input, k=3, s=2: the last row and column are never visited
    x = np.ones((1, 1, 6, 6))
    _, cache = conv.conv2d_forward(x, np.ones((1, 1, 3, 3)), stride=2)
    dx, _, _ = conv.conv2d_backward(np.ones((1, 1, 2, 2)), cache)
    assert np.all(dx[0, 0, 5, :] == 0) and np.all(dx[0, 0, :, 5] == 0)
    assert dx[0, 0, 2, 2] == 4


@lec12
def test_conv_transpose_is_the_input_gradient(rng):
    x, w = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2))
    out, cache = conv.conv2d_forward(x, w, stride=2, pad=1, dilation=(1, 2))
    dout = rng.standard_normal(out.shape)
    dx, _, _ = conv.conv2d_backward(dout, cache)
    # 7 = (4-1)*2 - 2 + 2 + 0 + 1 and 6 = (3-1)*2 - 2 + 2 + 1 + 1: output_padding settles it
    y = conv.conv_transpose2d(dout, w, stride=2, pad=1, dilation=(1, 2), output_padding=(0, 1))
    assert y.shape == x.shape and rel_error(y, dx) < 1e-12


@lec12
def test_conv_transpose_matches_torch(rng):
    import torch
    import torch.nn.functional as F

    x, w, b = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((3, 2, 3, 3)), np.ones(2)
    ref = F.conv_transpose2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=2,
                             padding=1, output_padding=1).numpy()
    out = conv.conv_transpose2d(x, w, b, stride=2, pad=1, output_padding=1)
    assert out.shape == (2, 2, 8, 10) and rel_error(out, ref) < 1e-12


@lec12
def test_dilate_and_rot180():
    g = np.arange(6.0).reshape(1, 2, 3)
    assert_array_equal(conv.dilate(g, (2, 3)), [[[0, 0, 0, 1, 0, 0, 2], [0] * 7,
                                                 [3, 0, 0, 4, 0, 0, 5]]])
    assert_array_equal(conv.dilate(g, 1), g)
    assert_array_equal(conv.rot180(K3), K3[::-1, ::-1])
    w = np.arange(24.0).reshape(2, 3, 2, 2)
    assert_array_equal(conv.rot180(conv.rot180(w)), w)


# ---------------------------------------------------------------------------------------------
# convolution as a matrix (L11, L12)


@lec11
@lec12
def test_conv_as_matrix_forward_and_transpose(rng):
    w = rng.standard_normal((3, 2, 3, 2))
    x = rng.standard_normal((2, 6, 7))
    hyper = dict(stride=(2, 1), pad=(1, 0), dilation=(1, 2))
    m = conv.conv_as_matrix(w, x.shape, **hyper)
    out, cache = conv.conv2d_forward(x[None], w, **hyper)
    assert m.shape == (out.size, x.size)
    assert rel_error(m @ x.ravel(), out.ravel()) < 1e-12
    g = rng.standard_normal(out.shape)
    dx, _, _ = conv.conv2d_backward(g, cache)
    assert rel_error(m.T @ g.ravel(), dx.ravel()) < 1e-12


@lec11
def test_conv_as_matrix_counts_dense_local_shared():
    # 4x4 input -> 3x3 output with a 2x2 kernel: 144 dense weights, 36 local, 4 shared
    k = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    m = conv.conv_as_matrix(k, (4, 4))
    assert m.shape == (9, 16) and m.size == 144
    assert np.count_nonzero(m) == 36
    assert len(np.unique(m[m != 0])) == 4
    # row of h11: pixels 1, 2, 5, 6 (1-based)
    assert list(np.flatnonzero(m[0]) + 1) == [1, 2, 5, 6]


# ---------------------------------------------------------------------------------------------
# kernels


@lec10
def test_kernels_are_read_only_and_behave():
    assert set(conv.KERNELS) >= {"identity", "edge_vertical", "edge_horizontal", "laplacian",
                                 "sobel_x", "sobel_y", "box_blur", "gaussian_blur", "sharpen"}
    for k in conv.KERNELS.values():
        assert k.shape == (3, 3) and not k.flags.writeable
    img = np.random.default_rng(3).standard_normal((6, 6))
    assert_allclose(conv.correlate2d(img, conv.KERNELS["identity"], pad=1), img)
    ramp = np.tile(np.arange(6.0), (6, 1))  # brightness grows to the right
    assert np.all(conv.correlate2d(ramp, conv.KERNELS["sobel_x"]) == 8)
    assert np.all(conv.correlate2d(ramp, conv.KERNELS["sobel_y"]) == 0)
    assert np.all(conv.correlate2d(ramp.T, conv.KERNELS["sobel_y"]) == 8)
    for name in ("box_blur", "gaussian_blur", "sharpen", "identity"):
        assert conv.KERNELS[name].sum() == pytest.approx(1.0)  # keep a flat image flat
    for name in ("edge_vertical", "edge_horizontal", "laplacian", "outline", "sobel_x"):
        assert conv.KERNELS[name].sum() == 0  # no response to a flat image


# ---------------------------------------------------------------------------------------------
# bad input


X1 = np.zeros((2, 1, 5, 5))
W3 = np.zeros((4, 3, 3, 3))


@lec10
def test_channel_mismatch_message():
    msg = (r"w has C=3 input channels but x has C=1: x \(N, C, H, W\) = \(2, 1, 5, 5\), "
           r"w \(F, C, KH, KW\) = \(4, 3, 3, 3\)")
    with pytest.raises(ValueError, match=msg):
        conv.conv2d_forward(X1, W3)
    with pytest.raises(ValueError, match=msg):
        conv.conv2d_forward_naive(X1, W3)
    with pytest.raises(ValueError, match="w has C=3 input channels but input_shape has C=1"):
        conv.conv_as_matrix(W3, (1, 5, 5))
    with pytest.raises(ValueError, match="w has C_in=4 input channels but x has C_in=1"):
        conv.conv_transpose2d(X1, W3)


@lec10
@pytest.mark.parametrize("fn", [conv.conv2d_forward, conv.conv2d_forward_naive])
def test_kernel_larger_than_padded_input(fn):
    w = np.zeros((1, 1, 7, 3))
    with pytest.raises(ValueError, match=r"kernel height 7 is larger than the padded input "
                                         r"height 5 \+ 2\*0 = 5"):
        fn(np.zeros((1, 1, 5, 5)), w)
    fn(np.zeros((1, 1, 5, 5)), w, pad=1)  # fits once padded
    with pytest.raises(ValueError, match=r"kernel width 3 \(dilation 3 makes it 7\) is larger"):
        fn(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 1, 3)), dilation=3)
    with pytest.raises(ValueError, match=r"kernel 5 does not fit input size 3 with padding 0: "
                                         r"the kernel size 5 is larger than the padded input"):
        conv.output_size(3, 5)
    with pytest.raises(ValueError, match=r"^f: kernel 6 does not fit input width 3 with padding 1"):
        conv.output_size(3, 6, pad=1, axis="width", where="f")
    with pytest.raises(ValueError, match="does not fit"):
        conv.tiles_exactly(3, 5)


@lec10
def test_wrong_ndim_and_shapes():
    with pytest.raises(ValueError, match=r"x must be a 4-D array of shape \(N, C, H, W\); got "
                                         r"3-D"):
        conv.conv2d_forward(np.zeros((1, 5, 5)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"w must be a 4-D array of shape \(F, C, KH, KW\)"):
        conv.conv2d_forward(X1, np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"b must have shape \(F,\) = \(4,\)"):
        conv.conv2d_forward(X1, np.zeros((4, 1, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"image must be a 2-D array of shape \(H, W\)"):
        conv.correlate2d(np.zeros((1, 5, 5)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"signal must be a 1-D array"):
        conv.correlate1d(np.zeros((2, 5)), np.zeros(3))
    with pytest.raises(ValueError, match="kernel length 6 must be between 1 and the signal "
                                         "length 5"):
        conv.correlate1d(np.zeros(5), np.zeros(6))
    with pytest.raises(ValueError, match=r"input_shape must be \(C, H, W\)"):
        conv.conv_as_matrix(W3, (1, 3, 5, 5))
    with pytest.raises(ValueError, match="at least 2 axes"):
        conv.rot180(np.zeros(3))
    with pytest.raises(ValueError, match="at least 2 axes"):
        conv.dilate(np.zeros(3), 2)


@lec10
@lec12
@pytest.mark.parametrize("forward, backward", [
    (conv.conv2d_forward, conv.conv2d_backward),
    (conv.conv2d_forward_naive, conv.conv2d_backward_naive),
])
def test_dout_shape_must_match_forward_output(forward, backward):
    out, cache = forward(np.zeros((2, 1, 5, 5)), np.zeros((3, 1, 3, 3)), stride=2)
    assert out.shape == (2, 3, 2, 2)
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward output "
                                         r"\(2, 3, 2, 2\); got \(2, 3, 3, 3\)"):
        backward(np.zeros((2, 3, 3, 3)), cache)
    with pytest.raises(ValueError, match="non-finite"):
        backward(np.full(out.shape, np.nan), cache)


@lec10
def test_non_finite_input():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 2] = np.inf
    with pytest.raises(ValueError, match=r"x contains 1 non-finite value"):
        conv.conv2d_forward(x, np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"w contains 1 non-finite value"):
        conv.conv2d_forward(np.zeros((1, 1, 4, 4)), np.array([[[[np.nan]]]]))
    with pytest.raises(ValueError, match=r"kernel contains 1 non-finite value"):
        conv.correlate2d(np.zeros((4, 4)), np.array([[np.nan]]))


@lec10
def test_torch_keyword_names_and_their_short_aliases():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(1, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3))
    image, kernel = x[0, 0], w[0, 0]
    calls = {  # function, positional arguments, the short keyword and its torch name
        conv.conv2d_forward: ((x, w), "pad", "padding"),
        conv.conv2d_forward_naive: ((x, w), "pad", "padding"),
        conv.conv_transpose2d: ((x[:, :, :3, :3], np.swapaxes(w, 0, 1)[:2]), "pad", "padding"),
        conv.conv_transpose2d_forward: ((x[:, :, :3, :3], np.swapaxes(w, 0, 1)[:2]), "pad",
                                        "padding"),
        conv.correlate2d: ((image, kernel), "pad", "padding"),
        conv.convolve2d: ((image, kernel), "pad", "padding"),
        conv.conv_as_matrix: ((w, (2, 5, 5)), "pad", "padding"),
        conv.output_size: ((5, 3), "pad", "padding"),
        conv.tiles_exactly: ((6, 3, 3), "pad", "padding"),
        conv.inputs_feeding: ((0, 0, 3), "pad", "padding"),
        conv.max_pool2d_forward: ((x,), "size", "kernel_size"),
        conv.avg_pool2d_forward: ((x,), "size", "kernel_size"),
        conv.max_pool2d_forward_naive: ((x,), "size", "kernel_size"),
        conv.avg_pool2d_forward_naive: ((x,), "size", "kernel_size"),
    }

    def first(out):
        return out[0] if isinstance(out, tuple) else out

    for fn, (args, short, name) in calls.items():
        assert name in inspect.signature(fn).parameters, fn.__name__
        value = 1 if short == "pad" else 3
        plain = first(fn(*args))
        torch_named = first(fn(*args, **{name: value}))
        np.testing.assert_array_equal(first(fn(*args, **{short: value})), torch_named)
        assert np.shape(torch_named) != np.shape(plain) or not np.array_equal(torch_named, plain)
        with pytest.raises(TypeError, match=f"both {name}= and its alias {short}="):
            fn(*args, **{short: value, name: value})
    # the pooling functions take both aliases at once
    out, cache = conv.max_pool2d_forward(x, size=3, pad=1, stride=2)
    assert out.shape == (1, 2, 3, 3) and cache.pad == (1, 1) and cache.size == (3, 3)


@lec10
def test_hyperparameter_ranges():
    x, w = np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"stride must be positive \(>= 1\); got 0"):
        conv.conv2d_forward(x, w, stride=0)
    with pytest.raises(ValueError, match=r"padding must be non-negative \(>= 0\); got \(1, -1\)"):
        conv.conv2d_forward(x, w, padding=(1, -1))
    with pytest.raises(ValueError, match="dilation must be positive"):
        conv.conv2d_forward(x, w, dilation=0)
    with pytest.raises(TypeError, match=r"stride must be an int or a pair of ints"):
        conv.conv2d_forward(x, w, stride=1.5)
    with pytest.raises(ValueError, match=r"stride must be an int or a pair \(h, w\)"):
        conv.conv2d_forward(x, w, stride=(1, 2, 3))
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv.output_size(5, 3, stride=0)
    with pytest.raises(TypeError, match="k must be an integer"):
        conv.output_size(5, 2.5)
    with pytest.raises(ValueError, match="output_padding must be smaller than the stride"):
        conv.conv_transpose2d(x, w, stride=2, output_padding=2)
    with pytest.raises(ValueError, match=r"layer 1 must be a \(kernel, stride\)"):
        conv.receptive_field([(3, 1), 3])
    with pytest.raises(ValueError, match="layer 0 stride must be >= 1"):
        conv.receptive_field([(3, 0)])


@lec10
def test_non_numeric_input():
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        conv.conv2d_forward("image", np.zeros((1, 1, 1, 1)))
