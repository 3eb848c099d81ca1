"""Lecture 12: which input meets which weight in a convolution (``dlcore.conv.conv_terms``)
and the slides' equations written from it (``conv_equations``).

Expected numbers are the seed's printed equations (``004_4f4f274075c2c478.txt``, line 418) or
``dlcore.conv.inputs_feeding`` (an independent listing of the cells under each window); never
the output of the function under test.
"""

import pytest

from dlcore import conv

pytestmark = pytest.mark.lec12

# 004_4f4f274075c2c478.txt, line 418 (the correct table), input indices per weight
SEED_TABLE = [[1, 3, 11, 13], [2, 4, 12, 14], [3, 5, 13, 15], [6, 8, 16, 18], [7, 9, 17, 19],
              [8, 10, 18, 20], [11, 13, 21, 23], [12, 14, 22, 24], [13, 15, 23, 25]]


@pytest.mark.parametrize("shape, kernel, stride", [((5, 5), (3, 3), 2), ((5, 5), (3, 3), 1),
                                                   ((6, 7), (2, 3), (2, 1)), ((4, 4), (2, 2), 2)])
def test_conv_terms_match_inputs_feeding(shape, kernel, stride):
    terms = conv.conv_terms(shape, kernel, stride)
    sh, sw = stride if isinstance(stride, tuple) else (stride, stride)
    ho, wo = conv.output_size(shape[0], kernel[0], sh), conv.output_size(shape[1], kernel[1], sw)
    assert len(terms) == ho * wo * kernel[0] * kernel[1]
    for j in range(ho * wo):
        cells = conv.inputs_feeding(j // wo, j % wo, kernel, stride, input_shape=shape)
        mine = [(t.k, t.inp) for t in terms if t.out == j]
        assert [k for k, _ in mine] == list(range(kernel[0] * kernel[1]))
        assert [divmod(i, shape[1]) for _, i in mine] == cells


def test_weight_equations_reproduce_the_seed_table():
    eqs = conv.conv_equations("weight", (5, 5), (3, 3), 2)
    for k, (eq, idx) in enumerate(zip(eqs, SEED_TABLE)):
        rhs = " + ".join(f"a{i} g{j + 1}" for j, i in enumerate(idx))
        assert eq == f"dL/dw{k + 1} = {rhs}"


def test_forward_and_input_equations():
    fwd = conv.conv_equations("forward")
    assert len(fwd) == 4 and fwd[3].endswith("w9 a25") and fwd[2].endswith("w9 a23")
    inp = conv.conv_equations("input")
    assert inp[12] == "dL/da13 = w9 g1 + w7 g2 + w3 g3 + w1 g4"
    assert inp[0] == "dL/da1 = w1 g1"
    six = conv.conv_equations("input", input_shape=(6, 6))
    assert six[35] == "dL/da36 = 0" and six[5] == "dL/da6 = 0"
    latex = conv.conv_equations("weight", latex=True)
    assert latex[0].startswith(r"\frac{\partial L}{\partial w_{1}} &= a_{1}\,g_{1}")


def test_conv_equations_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        conv.conv_equations("backward")
    with pytest.raises(ValueError, match="does not fit"):
        conv.conv_equations("weight", input_shape=(2, 2))
    with pytest.raises(TypeError, match="input_shape must be an int or a pair of ints"):
        conv.conv_terms((5.5, 5), (3, 3))
    with pytest.raises(ValueError, match=">= 1"):
        conv.conv_terms((5, 5), (3, 3), stride=0)
