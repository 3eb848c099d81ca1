"""What lecture 12's notebook must reproduce, evaluated in its executed kernel.

Expected values are the course's worked numbers for the slides' examples (the 5x5 input and
3x3 kernel of Kiran's slides at stride 2 and 1, Arya's 3x3 example, Kiran's pooling example),
the equations as Kiran's slides print them, and hand arithmetic; never the notebook's output.
"""
import math

from tests.notebook_checks import close, equal, true

PARAMETERS = {}  # nothing in this notebook trains

# Kiran's second copy of the nine weight-gradient equations, as printed (four index slips).
SLIDE_SECOND_TABLE = [
    "dL/dw1 = a1 g1 + a3 g2 + a1 g3 + a13 g4",
    "dL/dw2 = a2 g1 + a4 g2 + a12 g3 + a14 g4",
    "dL/dw3 = a3 g1 + a5 g2 + a13 g3 + a15 g4",
    "dL/dw4 = a6 g1 + a8 g2 + a16 g3 + a18 g4",
    "dL/dw5 = a7 g1 + a9 g2 + a17 g3 + a19 g4",
    "dL/dw6 = a8 g1 + a10 g2 + a18 g3 + a20 g4",
    "dL/dw7 = a11 g1 + a3 g2 + a21 g3 + a23 g4",
    "dL/dw8 = a12 g1 + a4 g2 + a22 g3 + a24 g4",
    "dL/dw9 = a13 g1 + a5 g2 + a23 g3 + a25 g4",
]
_SLIPS = ("sum(p != c for printed, right in zip({table!r}, weight_eqs) "
          "for p, c in zip(printed.split(' + '), right.split(' + ')))")

DA = [[0, 1, 2, 2, 4], [2, 2, 4, 4, 0], [0, 4, 8, 6, 12], [6, 6, 8, 8, 0], [0, 3, 6, 4, 8]]
ROUTED = [[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]]


def _chain_gradient(depth, shortcut, w=0.5):
    """d h_L / d h_0 through L layers F(h) = tanh(w h), by the product of local derivatives."""
    h, grad = 1.0, 1.0
    for _ in range(depth):
        t = math.tanh(w * h)
        local = w * (1.0 - t * t)
        grad *= (1.0 + local) if shortcut else local
        h = h + t if shortcut else t
    return grad


DEPTHS = [1, 5, 10, 20, 50]

EXPECTATIONS = [
    # 1. the stride that gives a 2x2 output, and the forward equations
    equal("[dl.conv.output_size(5, 3, stride=1), dl.conv.output_size(5, 3, stride=2)]", [3, 2],
          why="only stride 2 gives the slides' 2x2 output"),
    true("forward[3].endswith('w9 a25') and forward[2].endswith('w9 a23')",
         why="z4 ends with w9 a25; a23 ends z3"),
    # 2. dL/dW
    equal("weight_eqs[0]", "dL/dw1 = a1 g1 + a3 g2 + a11 g3 + a13 g4"),
    equal("weight_eqs[8]", "dL/dw9 = a13 g1 + a15 g2 + a23 g3 + a25 g4"),
    equal(_SLIPS.format(table=SLIDE_SECOND_TABLE), 4,
          why="the second printed table differs from the right equations in four terms"),
    equal("[one_path, all_paths]", [3.0, 3 * 1 + 2 * 2 + 3 * 3 + 2 * 4],
          why="one path a1 g1 = 3; all four paths 24"),
    equal("[w8_top_row, w8]", [1 * 1 + 1 * 2 + 0 * 3 + 0 * 4, 1 * 1 + 2 * 2 + 0 * 3 + 0 * 4],
          why="w8 with a4 (top row of window 2) gives 3; with a14, 5"),
    equal("dW", [[24, 16, 20], [8, 14, 11], [13, 5, 12]]),
    equal("[float(db[0]), float(G.sum())]", [10.0, 10.0]),
    true("np.array_equal(dW, dW_by_xcorr)", why="dL/dW = xcorr(A, dilate(G, 2))"),
    true("plain.shape == (4, 4) and dl.conv.correlate2d(A, dl.conv.dilate(G, 2)).shape == W.shape"),
    equal("dW1[0, 0]", [[15, 15, 15], [9, 11, 16], [10, 7, 12]], why="stride 1, L = sum Z"),
    equal("float(db1[0])", 9.0),
    true("dW1[0, 0, 0, 0] == A[:3, :3].sum()", why="w1 meets the top-left 3x3 block"),
    # 3. dL/dA
    equal("input_eqs[12]", "dL/da13 = w9 g1 + w7 g2 + w3 g3 + w1 g4"),
    equal("dA", DA),
    true("np.array_equal(route, dA) and np.array_equal(stamps, dA)",
         why="full correlation with rot180(W) and stamping agree"),
    true("np.all(dA6[5, :] == 0) and np.all(dA6[:, 5] == 0)", why="cells in no window get 0"),
    true("np.array_equal(dA6[:5, :5], dA)"),
    # 4. Arya's 3x3 example
    equal("O[0, 0]", [[7, 9], [13, 15]], after="squared_error_backward"),
    equal("float(loss)", 18.0, after="squared_error_backward", why="L = 1/2 sum (O - T)^2"),
    equal("dW2[0, 0]", [[-36, -48], [-72, -84]], after="squared_error_backward"),
    equal("dX2[0, 0]", [[-3, -3, 0], [0, -6, -6], [3, -3, -6]], after="squared_error_backward"),
    equal("float(np.sum((O[0, 0] - T) ** 2))", 36.0, after="squared_error_backward",
          why="without the 1/2 the loss would be 36"),
    # 5. pooling
    close("pooled[0, 0]", [[0.8, 1.2], [0.9, 0.5]], atol=1e-12),
    close("routed", ROUTED, atol=1e-12, why="Kiran's 'unpooling' of the upstream gradient"),
    true("len(dl.nn.MaxPool2d(2).parameters()) == 0 and np.any(routed != 0)",
         why="no parameters, but a gradient passes"),
    true("np.allclose(spread, np.kron(up, np.ones((2, 2))) / 4)"),
    true("np.isclose(spread.sum(), up.sum()) and np.isclose(routed.sum(), up.sum())"),
    # 6. the transpose
    true("np.allclose(M @ A.ravel(), Z.ravel())"),
    true("np.allclose(M.T @ G.ravel(), dA.ravel())"),
    true("np.array_equal(upsampled, dA)"),
    equal("list(repeated.shape[2:])", [28, 28]),
    true("np.array_equal(repeated[0, 0], np.kron(small[0, 0], np.ones((2, 2))))"),
    true("np.allclose(unpooled, routed)"),
    # 7. gradient checks
    true("res.ok and res.max_error < 1e-7"),
    true("res_pool.ok"),
    true("res_torch.ok and max(res_torch.torch.values()) < 1e-10"),
    # 8. your turn: shipped unanswered, the chain runs on dlcore's backward passes
    true("maxpool_backward is dl.selfcheck.exercises()['12.9'].checker.reference and "
         "conv_backward is dl.selfcheck.exercises()['12.11'].checker.reference",
         why="a blank exercise falls back to dlcore's function"),
    equal("int(np.count_nonzero(dz))", 4, why="one routed cell per pooling window"),
    close("dz.sum()", 1.0 - 2.0 + 0.5 + 3.0, atol=1e-12, why="max pooling passes U on whole"),
    true("dl.gradcheck.rel_error(dkernel, numeric) < 1e-7",
         why="pooling then convolution backward agree with central differences"),
    # 9. where to go next: gradients through plain and residual chains, by dl.Value's
    # backpropagation, against the product of local derivatives written out above
    close("plain_grads", [_chain_gradient(n, False) for n in DEPTHS], atol=0, rtol=1e-9),
    close("residual_grads", [_chain_gradient(n, True) for n in DEPTHS], atol=0, rtol=1e-9),
    true("plain_grads[-1] < 1e-15 and min(residual_grads) > 1",
         why="50 plain layers vanish; with shortcuts every factor is at least 1"),
]
