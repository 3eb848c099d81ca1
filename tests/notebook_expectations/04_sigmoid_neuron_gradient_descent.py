"""What lecture 4's notebook must reproduce, evaluated in its executed kernel.

Expected values are the lecture's worked examples (the slides' numbers and the values computed
for the course: exact losses, the gradient at (0.5, 0), the gradient-descent run from (-2, -2)
with eta = 1, the least-squares w, the per-sample iterates), never the notebook's own output.
The notebook trains nothing that needs shrinking, so it has no parameters cell.
"""

import math

from tests.notebook_checks import close, equal, true

PARAMETERS = {}

W_STAR, B_STAR = math.log(6), -math.log(4) - 0.5 * math.log(6)   # 1.791759, -2.282174
EXACT_L = [0.073114, 0.148132, 0.021672, 0.002892, 0.000344, 0.000002]
SLIDE_L = [0.0730, 0.1481, 0.0214, 0.0028, 0.0003, 0.0000]

EXPECTATIONS = [
    # 1. step vs sigmoid
    equal("list(step_out)", [0, 1], why="the step flips between ratings 0.49 and 0.51"),
    close("sigmoid_out", [0.4975, 0.5025], atol=5e-5),
    true("dl.gradcheck.rel_error(slope, numeric) < 1e-7", after="sigmoid_backward(np.ones_like"),
    # 2. the toy's loss is dlcore's 1/2-sum squared error
    close("loss((0.5, 0.0))", 0.073114, atol=5e-7),
    true("np.isclose(loss((0.5, 0.0)), dl.losses.squared_error(f(0.5, 0.0, X), Y))"),
    # 3. the 1/2 on the first term only (0.139) against the 1/2 on the whole sum (0.073)
    close("as_printed", 0.139, atol=5e-4, why="the 1/2 on the square of (2.5, 0.9) only"),
    close("as_meant", 0.073, atol=5e-4, why="the 1/2 on the whole sum"),
    close("other_order", 0.0806, atol=5e-4, why="the 1/2 on the square of (0.5, 0.2) only"),
    # the guess table: exact losses, the slides' values within 5e-4, and how each row matches
    close("exact_L", EXACT_L, atol=5e-7),
    close("exact_L", SLIDE_L, atol=5e-4),
    equal("row_match", ["neither", "rounded or truncated", "neither", "truncated",
                        "rounded or truncated", "rounded or truncated"],
          why="0.073114 -> 0.0731 either way (printed 0.0730); 0.021672 -> 0.0217 or 0.0216 "
              "(printed 0.0214); 0.002892 -> 0.0028 by truncation only"),
    # 5. the first-order Taylor change differs from the true one by O(eta^2)
    true("max(gaps) < eta ** 2", after="gaps.append("),
    true("len(gaps) == 5", after="gaps.append("),
    # 6. the gradient, against the computed value and central differences
    close("grad((0.5, 0.0))", [-0.008528, 0.067904], atol=5e-7),
    true("all(dl.gradcheck.rel_error(grad(p), dl.gradcheck.numerical_gradient(loss, np.array(p)))"
         " < 1e-6 for p in [(0.5, 0.0), (-2.0, -2.0), (1.0, -1.0)])"),
    # 7. gradient descent from (-2, -2) with eta = 1
    equal("len(path)", 1001, after="path = gradient_descent(",
          why="the loop advances t and stops after max_iterations = 1000 steps"),
    true("np.allclose(path, dl.optim.trajectory('gd', grad, [-2.0, -2.0], 1000, lr=1.0))",
         after="path = gradient_descent("),
    close("path[1]", [-1.994508, -1.992289], atol=5e-7, after="path = gradient_descent("),
    true("np.all(L_path[:71] > 0.39)", after="path = gradient_descent(",
         why="the plateau: L stays near 0.41 for about 70 steps"),
    close("L_path[90]", 0.0295, atol=1e-4, after="path = gradient_descent("),
    close("path[1000]", [1.79172, -2.28212], atol=5e-6, after="path = gradient_descent("),
    close("[w_star, b_star]", [W_STAR, B_STAR], atol=1e-12,
          after="after 1000 steps gradient descent is"),
    close("f(w_star, b_star, X)", [0.2, 0.9], atol=1e-8),
    close("path[-1]", [W_STAR, B_STAR], atol=1e-4, after="after 1000 steps gradient descent is"),
    # 8. the linear toy: least squares, the per-sample loop with eta = 1, the batch limit
    close("w_ls", 1.004691, atol=5e-7),
    close("iterates[:4]", [0.0, 101.0, -299.2, 3377.9], atol=1e-8, rtol=1e-5),
    close("iterates[4::4]", [1.1, 1.1, 1.1], atol=1e-8, rtol=1e-5,
          why="every epoch ends at y_4 = 1.1"),
    close("iterates[5:9]", [-7.9, 27.5, -297.475, 1.1], atol=1e-8, rtol=1e-5),
    close("limit", 2 / 117.25, atol=1e-12),
    true("np.isclose(limit, dl.optim.stability_limit(h))"),
    true("abs(batch_runs[0.99][-1] - w_ls) < abs(w_ls) < abs(batch_runs[1.01][-1] - w_ls)"),
    close("abs(batch_runs[1.0][-1] - w_ls)", 1.004691, atol=1e-6,
          why="at the limit itself the error flips sign and keeps its size: no convergence"),
    # 9. your turn, shipped unanswered: the checks fail gracefully and section 7's run is
    # repeated with dlcore's step
    true("not result and gd_step is dl.selfcheck.exercises()['04.7'].checker.reference",
         after="gd_step = result.or_reference()",
         why="my_gd_step is not written: or_reference() gives dlcore's step"),
    close("[w_run[0], b_run]", [1.79172, -2.28212], atol=5e-6,
          after="gd_step = result.or_reference()",
          why="1000 steps with eta = 1 from (-2, -2), as in section 7"),
]
