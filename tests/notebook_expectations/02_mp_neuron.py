"""What lecture 2's notebook must reproduce, evaluated in its executed kernel.

The numbers are the course's lecture map (the movie neuron fires only for (1,1,1) at θ = 3 and
for all 8 inputs at θ = 0; AND at θ = 2, OR at θ = 1; XOR and XNOR are not threshold
functions) and hand counts, never the notebook's own output.
"""

from tests.notebook_checks import close, equal, true

PARAMETERS = {}

EXPECTATIONS = [
    # section 1: inputs (1, 0, 1) sum to 2
    equal("[fires_at_2, fires_at_3, vetoed]", [1, 0, 0],
          why="fires at θ = 2 (sum = θ), not at θ = 3, silenced by an inhibitory input"),
    # section 2: the movie neuron (inputs in binary order 000, 001, ..., 111)
    equal("X[y_selective == 1].tolist()", [[1, 1, 1]], why="θ = 3: only (1, 1, 1)"),
    equal("int(y_buff.sum())", 8, why="θ = 0: every movie"),
    equal("counts", [8, 7, 4, 1, 0], why="C(3, k) inputs have k active ones"),
    equal("y_veto.tolist()", [0, 1, 0, 0, 1, 1, 0, 0],
          why="θ = 1 with the thriller input vetoing: 001, 100, 101"),
    # section 3: the bias form agrees with the threshold form at θ = 3
    equal("y_bias.tolist()", [0, 0, 0, 0, 0, 0, 0, 1]),
    equal("y_bias.tolist() == y_selective.tolist()", True),
    # the critics' rating: w0 = -0.5, w1 = 1
    equal("decisions", [0, 1], why="0.49 dislike, 0.51 like"),
    close("[transition, sigma]", [0.5, 0.5], atol=1e-12, why="switch at -w0 / w1; σ(0) = 0.5"),
    # section 4: AND and OR, and the thresholds on the grid that give them
    equal("units['AND'].tolist()", [0, 0, 0, 1]),
    equal("units['OR'].tolist()", [0, 1, 1, 1]),
    equal("gives_and.tolist()", [1.25, 1.5, 1.75, 2.0], why="θ in (1, 2]"),
    equal("gives_or.tolist()", [0.25, 0.5, 0.75, 1.0], why="θ in (0, 1]"),
    # section 5: 14 of the 16 two-input functions; XOR (code 6) and XNOR (code 9) missing
    equal("len(found)", 14),
    equal("sorted(set(range(16)) - found)", [6, 9]),
    true("code_of(y_xor) not in found and code_of(y_xnor) not in found"),
    # section 6 (your turn), shipped unanswered: the check fails gracefully and the demo runs
    # on dlcore's unit
    true("not result and mp is dl.selfcheck.exercises()['02.6'].checker.reference",
         after="mp = result.or_reference()",
         why="my_mp_neuron is not written: or_reference() gives dlcore's unit"),
    equal("y_no_thriller.tolist()", [0, 0, 0, 0, 0, 1, 0, 0], after="mp = result.or_reference()",
          why="θ = 2 with the thriller vetoing: only (1, 0, 1)"),
]
