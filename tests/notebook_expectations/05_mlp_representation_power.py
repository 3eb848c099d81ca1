"""What lecture 5's notebook must reproduce, evaluated in its executed kernel.

Expected values are the lecture's worked examples (the truth tables of OR, AND and XOR, the
3-4-2 counts of the IFT6758 slides, the two-step example a=3, b=1, c=2, k=10, m=(-1, 1) with
y_hat(1) = 3.5 and plateaus 1, 3, 4), never the notebook's own output.  The notebook trains
nothing, so it has no parameters cell.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {}

EXPECTATIONS = [
    # 2. two threshold layers compute XOR
    equal("H[:, 0].tolist()", [0, 1, 1, 1], after="H = dl.neurons.step(",
          why="the first hidden unit is OR"),
    equal("H[:, 1].tolist()", [0, 0, 0, 1], after="H = dl.neurons.step(",
          why="the second hidden unit is AND"),
    equal("y_hat.tolist()", [0, 1, 1, 0], after="H = dl.neurons.step(", why="OR and not AND"),
    equal("list(layer.weight.shape)", [2, 3], why="(out, in): row j holds the weights of unit j"),
    # 3. counting: 6 neurons, 20 weights, 26 parameters for 3-4-2
    equal("[counts.neurons, counts.weights, counts.parameters]", [6, 20, 26]),
    equal("net.num_parameters()", 26, after="net = dl.nn.MLP([3, 4, 2])"),
    # 4. one hidden layer intersects, two hidden layers unite
    true("acc[names[2]] >= 0.97 > acc[names[0]] > acc[names[1]]"),
    # 5. the two-step example and its top plateau a + c - b
    true("np.allclose(y_net, y_formula)"),
    close("y_net[0]", 3.5, atol=1e-6, why="y_hat(1) = 1 + 2 + 1/2"),
    close("y_net[1:]", [1.0, 3.0, 4.0], atol=1e-3, why="plateaus b, a and a + c - b"),
    close("far_right", 3 + 2 - 1, atol=1e-3, why="the top plateau is a + c - b = 4, not c = 2"),
    close("staircase(np.array([[10.0]]))[0, 0]", 2.0, atol=1e-3,
          why="with second coefficient c - a the staircase ends at c"),
    # towers and sums of towers
    close("tower", [0, 1, 1, 0, 0], atol=1e-5),
    true("errors[4] > errors[8] > errors[16] > errors[32]"),
    # 6. flat outside the interval the towers cover
    close("tower_net(x_out[:, None])[:, 0]", [0.0, 0.0], atol=1e-3),
    # 7. the gradient of one sigmoid neuron against central differences
    true("dl.gradcheck.rel_error(grad_formula, grad_numeric) < 1e-7"),
    # 8. your turn, shipped unanswered: the checks fail gracefully and dlcore's functions run
    true("not forward_check and not tower_check", after="tower_check = dl.check"),
    true("threshold_forward is dl.selfcheck.lec05.threshold_forward "
         "and tower_fn is dl.selfcheck.lec05.nn_tower", after="tower_errors = {}"),
    equal("xor_out.ravel().tolist()", [0, 1, 1, 0], after="tower_errors = {}",
          why="the OR/AND network computes XOR"),
    true("tower_errors[16] < 0.6 * tower_errors[8] and tower_errors[8] < 0.25",
         after="tower_errors = {}", why="twice the towers, about half the largest error"),
]
