"""Every differentiable op, in float64, against central differences and torch.autograd."""

import pytest

from dlcore.gradcheck import check_op
from tests.optable import all_rows

ROWS = all_rows()


@pytest.mark.parametrize(
    "row", [pytest.param(r, id=r.id, marks=[getattr(pytest.mark, m) for m in r.marks])
            for r in ROWS])
def test_op_gradients(row, rng):
    args, kwargs = row.make(rng)
    result = check_op(row.forward, row.backward, args, kwargs, wrt=row.wrt, names=row.names,
                      torch_fn=row.torch_fn, tol=row.tol, name=row.id, raise_on_fail=False)
    assert result.ok, str(result)
    # Every differentiable input was checked against both references.
    assert result.numeric, f"{row.id}: no gradient was checked"
    if row.torch_fn is not None:
        assert set(result.torch) == set(result.numeric)
        assert result.forward_vs_torch is not None


def test_table_is_not_empty():
    assert len(ROWS) >= 10
