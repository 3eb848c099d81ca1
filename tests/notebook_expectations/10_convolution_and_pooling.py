"""What lecture 10's notebook must reproduce, evaluated in its executed kernel.

Expected values are the course map's L10 worked examples (the corrected smoother, Kiran's 5x5
example and its flipped distractor, Arya's edge, bias, sharpening, weight-sharing and RGB
examples, the slides' output sizes, the pooling tables) and closed forms written out here
(ceil(n/2) and floor((n - 3)/2) + 1 for a 3-tap kernel at stride 2, 6 (3*5*5 + 1) parameters).
Nothing trains, so the notebook has no parameters cell.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {}

EXPECTATIONS = [
    # 1. the 1-D smoother
    close("s", [1.811, 1.967, 2.112, 2.269, 2.413, 2.569], atol=5e-4, after="terms = [",
          why="the correct weighted sums s_6 ... s_11"),
    true("np.isclose(sum(terms), s[0])", after="terms = [", why="s_6 term by term"),
    # 2. cross-correlation vs convolution
    equal("S_sym.tolist()", [["aw+bx+ey+fz", "bw+cx+fy+gz", "cw+dx+gy+hz"],
                             ["ew+fx+iy+jz", "fw+gx+jy+kz", "gw+hx+ky+ℓz"]],
          why="Khapra's symbolic example is a cross-correlation"),
    equal("Z.tolist()", [[12, 12, 17], [10, 17, 19], [9, 6, 14]], after="Z_flip = dl.conv",
          why="Kiran's 5x5 example as printed"),
    true("np.array_equal(Z, ex['cnn2_output'].value)", after="Z_flip = dl.conv"),
    equal("top_left", 12, why="the top-left window by hand"),
    equal("Z_flip.tolist()", [[18, 20, 19], [10, 9, 17], [11, 8, 14]], after="Z_flip = dl.conv",
          why="the flipped distractor"),
    true("np.array_equal(Z_flip, dl.conv.correlate2d(X, dl.conv.rot180(K)))",
         after="Z_flip = dl.conv", why="convolution = correlation with the rotated kernel"),
    # the slip box: the kernel slides over the input, one output value per placement
    equal("n_pos", 3, after="placements = {", why="5 - 3 + 1 placements along each axis"),
    equal("len(placements)", 9, after="placements = {", why="9 placements, 9 output cells"),
    true("all(placements[i, j] == Z[i, j] for i in range(3) for j in range(3))",
         after="placements = {", why="each placement on the input gives one output value"),
    # 3. kernels as feature detectors
    equal("float(E[0, 0])", 6.0, why="the slide's value: (7 + 4 + 3) - (3 + 3 + 2)"),
    equal("E.tolist()", [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]], why="the full 3x3 output"),
    equal("B.tolist()", [[-1, 2], [0, 1]], why="Arya's bias example"),
    equal("[float(S1[0, 0]), float(S2[0, 0])]", [320.0, 320.0], why="the slides' corner value"),
    equal("S2.tolist()", [[320, 198, 281], [205, 111, 197], [317, 210, 291]],
          why="the stride-2 sharpening output"),
    true("np.array_equal(S2, S1[::2, ::2])", why="stride 2 keeps every second cell"),
    equal("R.tolist()", [[0, 30, 30, 0]] * 4, why="weight sharing: the edge lights up"),
    # 4. channels
    equal("per_channel.tolist()", [308, -498, 164], after="per_channel = ",
          why="the slide's three channel sums"),
    equal("float(out[0, 0, 0, 0])", 308 - 498 + 164 + 1.0, after="per_channel = ",
          why="all three channels plus the bias: -25"),
    equal("list(out_a.shape)", [1, 6, 28, 28], why="six 5x5 filters on 32x32x3"),
    equal("list(out_b.shape)", [1, 2, 3, 3], why="5x5x3, K = 2, F = 3, S = 2, P = 1"),
    # 5. output sizes
    equal("sizes", [5, 3, 7, 4, 28, 55, 3], why="the sizes the slides give"),
    equal("halving[8][0]", 4, why="(8, 3, 1, 2): floor(3.5) + 1"),
    true("not dl.conv.tiles_exactly(8, 3, stride=2, pad=1)"),
    equal("[halving[n][0] for n in range(5, 13)]", [3, 3, 4, 4, 5, 5, 6, 6],
          why="ceil(n / 2) with k = 3, p = 1, s = 2"),
    equal("[halving[n][1] for n in range(5, 13)]", [2, 2, 3, 3, 4, 4, 5, 5],
          why="floor((n - 3) / 2) + 1 without padding"),
    equal("[list(v) for v in same.values()]", [[1, 10], [2, 10], [3, 10], [2, 10]],
          why="same padding p = d (k - 1) / 2 keeps 10 cells"),
    # 6. pooling
    equal("max_s1[0, 0].tolist()", [[8, 8, 4], [8, 8, 5], [7, 6, 5]], why="Khapra's table"),
    equal("max_s2[0, 0].tolist()", [[8, 4], [7, 5]]),
    close("avg_s2[0, 0]", [[4.5, 2.5], [4.25, 3.0]], atol=1e-8, rtol=1e-5),
    equal("pool_sizes", [3, 2], why="2x2 windows on 4x4: 3 at stride 1, 2 at stride 2"),
    equal("[n_pool, n_conv]", [0, 6 * (3 * 5 * 5 + 1)], why="pooling has no parameters"),
    true("mx < av < raw", why="after a one-pixel shift max pooling changes least"),
    # 8. equivariance and invariance: the 7 of the test set shifted one pixel to the right
    true("np.array_equal(maps[4][:, 1:], maps[1][:, :-1]) and moves_along",
         why="convolution is equivariant: the response moves one column"),
    true("np.array_equal(maps[3][:, 1:], maps[0][:, :-1]) and not maps[0][:, -1].any()",
         why="the digit has a blank last column, so the shift loses nothing"),
    true("0 < unchanged < 8", why="a 2x2 max pool keeps fewer than half of its 16 cells"),
    true("maps[1].max() == maps[4].max()", why="a global max pool is invariant"),
]
