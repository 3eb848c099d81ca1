"""Catalogued wrong answers for A4: each gets its expected partial score and hint."""

ASSIGNMENT = "a04_cnn"

_SIZE_NO_FLOOR = '''
def output_size(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (k - 1) - 1) / stride + 1
'''

_MY_SIZES_NO_PLUS_ONE = '''
numbers = grading.my_numbers(grading.graded_id(STUDENT_ID), show=False)
MY_OUTPUT_SIZES = [(n + 2 * p - d * (k - 1) - 1) // s for n, k, p, s, d in numbers["sizes"]]
'''

_CONV_FLIPPED = '''
def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    wf = w[:, :, ::-1, ::-1]  # "convolution" flips the kernel
    H_out = (H + 2 * pad - KH) // stride + 1
    W_out = (W + 2 * pad - KW) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            win = xp[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
            out[:, :, i, j] = np.tensordot(win, wf, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, stride, pad)
'''

_POOL = '''
def _windows(x, size, stride):
    H, W = x.shape[2:]
    for i in range((H - size) // stride + 1):
        for j in range((W - size) // stride + 1):
            yield i, j, slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)


def max_pool_forward(x, size, stride):
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - size) // stride + 1, (W - size) // stride + 1))
    for i, j, r, q in _windows(x, size, stride):
        out[:, :, i, j] = x[:, :, r, q].max(axis=(2, 3))
    return out


def avg_pool_forward(x, size, stride):
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - size) // stride + 1, (W - size) // stride + 1))
    for i, j, r, q in _windows(x, size, stride):
        out[:, :, i, j] = x[:, :, r, q].sum(axis=(2, 3)){avg_div}
    return out


def max_pool_backward(dout, x, size, stride):
    N, C = x.shape[:2]
    dx = np.zeros(x.shape)
    for i, j, r, q in _windows(x, size, stride):
        win = x[:, :, r, q]
        {max_route}
    return dx


def avg_pool_backward(dout, x, size, stride):
    dx = np.zeros(x.shape)
    for i, j, r, q in _windows(x, size, stride):
        dx[:, :, r, q] += dout[:, :, i, j][:, :, None, None]{avg_div}
    return dx
'''
_ROUTE_FIRST = '''first = win.reshape(N, C, -1).argmax(axis=2)
        for n in range(N):
            for c in range(C):
                a, b = divmod(int(first[n, c]), size)
                dx[n, c, r.start + a, q.start + b] += dout[n, c, i, j]'''
_ROUTE_ALL_TIES = '''mask = win == win.max(axis=(2, 3), keepdims=True)
        dx[:, :, r, q] += mask * dout[:, :, i, j][:, :, None, None]'''

_TABLE = '''
numbers = grading.my_numbers(grading.graded_id(STUDENT_ID), show=False)
net = numbers["net"]
c0, h, w = net["input"]
f1, k1, p1 = net["conv1"]
f2, k2 = net["conv2"]
h_pool1 = (h + 2 * p1 - k1 + 1) // 2
h_conv2 = h_pool1 - k2 + 1
FLATTEN = {flatten}
PARAMS = {{"conv1": {conv1}, "pool1": {pool1}, "conv2": (k2 * k2 * f1 + 1) * f2, "pool2": 0,
          "fc1": (FLATTEN + 1) * net["fc1"], "fc2": {fc2}}}
'''
_TABLE_OK = dict(flatten="f2 * (h_conv2 // 2) ** 2", conv1="(k1 * k1 * c0 + 1) * f1", pool1="0",
                 fc2='(net["fc1"] + 1) * net["classes"]')

_SHRINK_SQUARED_DIFFERENCE = '''
numbers = grading.my_numbers(grading.graded_id(STUDENT_ID), show=False)
c_in, c_out, a, b = numbers["shrink"]
PARAMS_SAVED = (a - b) ** 2 * c_in * c_out
'''

_BACKWARD = '''
def conv2d_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    H_out, W_out = dout.shape[2:]
    for i in range(H_out):
        for j in range(W_out):
            {where}
            rows, cols = slice(r0, r0 + KH), slice(c0, c0 + KW)
            g = dout[:, :, i, j]
            dw += np.tensordot({g_dw}, xp[:, :, rows, cols], axes=([0], [0]))
            dxp[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    {tail}
    return dx, dw, dout.sum(axis=(0, 2, 3))
'''
_BWD_OK = dict(where="r0, c0 = i * stride, j * stride", g_dw="g", tail="pass")
# dX and dW as if the stride were 1 (G not dilated)
_BWD_UNDILATED = dict(_BWD_OK, where="r0, c0 = i, j")
# dW correlates X with the flipped G (true convolution)
_BWD_FLIPPED_G = dict(_BWD_OK, g_dw="dout[:, :, H_out - 1 - i, W_out - 1 - j]")
# the rows/columns no window reads are filled by extending the border
_BWD_EDGE = dict(_BWD_OK, tail=(
    "last_r, last_c = (H_out - 1) * stride + KH - pad, (W_out - 1) * stride + KW - pad\n"
    "    covered = dx[:, :, :last_r, :last_c]\n"
    "    dx = np.pad(covered, ((0, 0), (0, 0), (0, H - covered.shape[2]), "
    "(0, W - covered.shape[3])), mode=\"edge\")"))

_MATRIX_COLUMN_MAJOR = '''
def conv_as_matrix(w, input_shape, stride=1, pad=0):
    F, C, KH, KW = w.shape
    _, H, W = input_shape
    H_out = (H + 2 * pad - KH) // stride + 1
    W_out = (W + 2 * pad - KW) // stride + 1
    M = np.zeros((F * H_out * W_out, C * H * W))
    for f in range(F):
        for i in range(H_out):
            for j in range(W_out):
                row = (f * H_out + i) * W_out + j
                for c in range(C):
                    for a in range(KH):
                        for b in range(KW):
                            r, q = i * stride - pad + a, j * stride - pad + b
                            if 0 <= r < H and 0 <= q < W:
                                M[row, c + C * (r + H * q)] = w[f, c, a, b]
    return M
'''

_BY_HAND = '''
CELLS_W6 = {cells}
TERMS_A31 = {terms}
'''
_CELLS_OK = "[10, 12, 14, 24, 26, 28, 38, 40, 42]"
_TERMS_OK = "[(9, 4), (7, 5), (3, 7), (1, 8)]"

# A student who copies a neighbour's notebook: the neighbour's id and answers.
_COPY_SIZES = '''
STUDENT_ID = "neighbour"
numbers = grading.my_numbers(STUDENT_ID, show=False)
MY_OUTPUT_SIZES = [(n + 2 * p - d * (k - 1) - 1) // s + 1 for n, k, p, s, d in numbers["sizes"]]
'''
_COPY_TABLE = _TABLE.format(**_TABLE_OK).replace("grading.graded_id(STUDENT_ID)", "STUDENT_ID")
_COPY_SHRINK = '''
numbers = grading.my_numbers(STUDENT_ID, show=False)
c_in, c_out, a, b = numbers["shrink"]
PARAMS_SAVED = (a * a - b * b) * c_in * c_out
'''
COPY_VARIANT = "copies_neighbour"
MISMATCH = "STUDENT_ID MISMATCH: the notebook declares 'neighbour'"

# name -> (cell replacements, failing test cells, hint substrings expected in the feedback)
VARIANTS = {
    "size_no_floor": ({"ex1_code": _SIZE_NO_FLOOR}, ["ex1_test_function"], ["no floor"]),
    "my_sizes_no_plus_one": ({"ex1_mine": _MY_SIZES_NO_PLUS_ONE}, ["ex1_test_mine"],
                             ["missing +1"]),
    "true_convolution": ({"ex2_code": _CONV_FLIPPED}, ["ex2_test_values"],
                         ["this is true convolution"]),
    "avg_pool_not_divided": ({"ex3_code": _POOL.format(avg_div="", max_route=_ROUTE_FIRST)},
                             ["ex3_test_forward", "ex3_test_backward"],
                             ["divides the window's sum by the number of cells",
                              "receives dout / size^2"]),
    "max_pool_all_ties": ({"ex3_code": _POOL.format(avg_div=" / (size * size)",
                                                    max_route=_ROUTE_ALL_TIES)},
                          ["ex3_test_backward"], ["not to every tied cell"]),
    "conv_params_no_bias": ({"ex4_code": _TABLE.format(**dict(
        _TABLE_OK, conv1="k1 * k1 * c0 * f1"))}, ["ex4_test_conv"], ["short by C_out"]),
    "conv_params_no_depth": ({"ex4_code": _TABLE.format(**dict(
        _TABLE_OK, conv1="(k1 * k1 + 1) * f1"))}, ["ex4_test_conv"],
        ["456 parameters, not 156"]),
    "pooling_counted": ({"ex4_code": _TABLE.format(**dict(_TABLE_OK, pool1="4"))},
                        ["ex4_test_pool_flatten"], ["pooling has no parameters"]),
    "flatten_before_pool2": ({"ex4_code": _TABLE.format(**dict(
        _TABLE_OK, flatten="f2 * h_conv2 ** 2"))}, ["ex4_test_pool_flatten", "ex4_test_fc"],
        ["pool2 halves the height", "the input size of fc1 is wrong"]),
    "fc2_1024": ({"ex4_code": _TABLE.format(**dict(_TABLE_OK, fc2='(net["fc1"] + 1) * 1024'))},
                 ["ex4_test_fc"], ["not 1024"]),
    "shrink_squared_difference": ({"ex5_code": _SHRINK_SQUARED_DIFFERENCE}, ["ex5_test"],
                                  ["(a - b)^2 is not a^2 - b^2"]),
    "g_not_dilated": ({"ex6_code": _BACKWARD.format(**_BWD_UNDILATED)},
                      ["ex6_test_dx", "ex6_test_dw"], ["G must be dilated first"]),
    "dw_true_convolution": ({"ex6_code": _BACKWARD.format(**_BWD_FLIPPED_G)}, ["ex6_test_dw"],
                            ["true convolution used for dW"]),
    "uncovered_not_zero": ({"ex6_code": _BACKWARD.format(**_BWD_EDGE)}, ["ex6_test_dx"],
                           ["no window covers"]),
    "matrix_column_major": ({"ex7_code": _MATRIX_COLUMN_MAJOR}, ["ex7_test_values"],
                            ["column-major (Fortran-order)"]),
    # Exercise 8, by hand: w6's cells at stride 1, and dL/da31 with the kernel not reversed.
    # (Its first test cell keeps the id ex8_test of the exercise it replaced, so that a
    # notebook of the earlier release can still be autograded.)
    "w6_cells_stride_1": ({"ex8_code": _BY_HAND.format(cells="[10, 11, 12, 17, 18, 19, 24, 25, 26]",
                                                       terms=_TERMS_OK)},
                          ["ex8_test"], ["these are the cells for stride 1"]),
    "a31_kernel_not_reversed": ({"ex8_code": _BY_HAND.format(
        cells=_CELLS_OK, terms="[(1, 4), (3, 5), (7, 7), (9, 8)]")}, ["ex8_test_input"],
        ["the kernel runs backwards"]),
    COPY_VARIANT: ({"ex1_mine": _COPY_SIZES, "ex4_code": _COPY_TABLE, "ex5_code": _COPY_SHRINK},
                   ["ex1_test_mine", "ex4_test_conv", "ex4_test_pool_flatten", "ex4_test_fc",
                    "ex5_test"],
                   ["these are the answers for the numbers of STUDENT_ID 'neighbour'"]),
}
