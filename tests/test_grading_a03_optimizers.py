"""A3's grading module without nbgrader: the solution notebook's answers pass every part, each
catalogued wrong answer fails exactly its cells with its hint, delegation scores 0, no hint
shows a hidden expected value, and the solution's rules agree with torch.optim and torch.nn."""

from __future__ import annotations

from functools import partial

import nbformat
import numpy as np
import pytest

from dlcore.grading import GradingError, IntegrityError
from dlcore.grading import a03_optimizers as a03
from dlcore.grading.a03_optimizers import adaptive, batchnorm, momentum, stability
from tests.grading_cases import a03_optimizers as cases
from tests.grading_harness import ROOT, leaked_secrets

pytestmark = [pytest.mark.lec08, pytest.mark.lec09]

NB = nbformat.read(ROOT / "solutions" / cases.ASSIGNMENT / f"{cases.ASSIGNMENT}.ipynb",
                   as_version=4)


def _is_test(c) -> bool:
    meta = c.get("metadata", {}).get("nbgrader", {})
    return c.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


TEST_CELLS = {c.metadata["nbgrader"]["grade_id"]: c.source for c in NB.cells if _is_test(c)}


def _namespace(replace: dict | None = None) -> dict:
    """Run the notebook's non-test code cells (the solution, or a variant) into a namespace."""
    ns: dict = {"__name__": "__main__"}
    for c in NB.cells:
        if c.cell_type != "code" or _is_test(c):
            continue
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        exec((replace or {}).get(gid, c.source), ns)
    return ns


def _run_cells(ns) -> dict[str, str]:
    """grade_id -> failure message for every test cell that fails (visible and hidden)."""
    failures = {}
    for gid, src in TEST_CELLS.items():
        try:
            exec(src, ns)
        except (GradingError, IntegrityError) as err:
            failures[gid] = str(err)
    return failures


@pytest.fixture(scope="module")
def solution():
    return _namespace()


def test_the_solution_passes_every_cell(solution, capsys):
    assert _run_cells(solution) == {}
    out = capsys.readouterr().out
    assert out.count("hidden cases passed") == len(TEST_CELLS)


def test_points_and_exercises():
    pts = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
           for c in NB.cells if _is_test(c)}
    assert sum(pts.values()) == 29
    assert len(a03.ASSIGNMENT.exercises) == 8
    written = [c for c in NB.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("grade")]
    assert len(written) == 1


@pytest.mark.parametrize("name", sorted(cases.VARIANTS))
def test_catalogued_variant_fails_its_cells_with_its_hint(name, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.txt"
    monkeypatch.setenv("DLCORE_GRADING_SECRETS", str(secrets))
    replace, failing, hints = cases.VARIANTS[name]
    failures = _run_cells(_namespace(replace))
    assert sorted(failures) == sorted(failing), failures
    text = "\n".join(failures.values())
    for hint in hints:
        assert hint in text, (hint, failures)
    assert not leaked_secrets(text, secrets)


# -- every catalogued mistake is reachable and gets its own hint -------------------------------
def _opt_wrongs():
    out = []
    for ex, name, parts, wrong in [
            ("sgd_momentum", "sgd_momentum_step", ["momentum", "weight_decay"],
             momentum.SGD_WD_WRONG),
            ("nesterov", "nesterov_step", ["values"], momentum.NAG_WRONG),
            ("adagrad", "adagrad_step", ["values"], adaptive.ADAGRAD_WRONG),
            ("rmsprop", "rmsprop_step", ["values"], adaptive.RMSPROP_WRONG),
            ("adam", "adam_step", ["values"], adaptive.ADAM_WRONG),
            ("stability", "max_stable_lr", ["gd", "momentum", "hessian"], stability.LIMIT_WRONG)]:
        out += [pytest.param(ex, name, parts, fn, hint, id=f"{ex}-{i}")
                for i, (fn, hint) in enumerate(wrong)]
    return out


@pytest.mark.parametrize("ex, name, parts, fn, hint", _opt_wrongs())
def test_each_catalogued_mistake_gets_its_hint(ex, name, parts, fn, hint, solution):
    ns = dict(solution)
    ns[name] = fn
    messages = []
    for part in parts:
        for hidden in (False, True):
            try:
                a03.checker(ns)(ex, part, hidden=hidden)
            except GradingError as err:
                messages.append(str(err))
    assert messages, "the mistake passes every part"
    assert any(hint in m for m in messages), messages


@pytest.mark.parametrize("mistake, hint", batchnorm.BN_OUT_WRONG + batchnorm.BN_RUNNING_WRONG)
def test_each_batchnorm_mistake_gets_its_hint(mistake, hint, solution):
    def forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                eps=1e-5):
        out = batchnorm.batchnorm_variant(x, gamma, beta, running_mean, running_var, training,
                                          momentum, eps, mistake=mistake)
        return out, None

    ns = dict(solution, batchnorm_forward=forward)
    with pytest.raises(GradingError, match="batchnorm_forward") as err:
        a03.checker(ns)("batchnorm", "train", hidden=True)
    assert hint in str(err.value)


@pytest.mark.parametrize("kind", ["constant_stats", "no_mean_term", "no_var_term", "no_gamma"])
def test_each_batchnorm_dx_mistake_gets_its_hint(kind, solution):
    def backward(dout, cache):
        x_hat, gamma, inv_std, _ = cache
        dx = batchnorm.batchnorm_dx_variant(dout, x_hat, gamma, inv_std, kind)
        return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)

    ns = dict(solution, batchnorm_backward=backward)
    with pytest.raises(GradingError, match="batchnorm_backward: dx"):
        a03.checker(ns)("batchnorm", "gradients")


def test_eval_with_batch_statistics_is_named(solution):
    def forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                eps=1e-5):
        return solution["batchnorm_forward"](x, gamma, beta, running_mean, running_var, True,
                                             momentum, eps)

    with pytest.raises(GradingError, match="normalises with the batch's statistics.*running "
                                           "stats changed"):
        a03.checker(dict(solution, batchnorm_forward=forward))("batchnorm", "eval")


def test_dropout_mask_not_from_rng_is_named(solution):
    def forward(x, p, training=True, rng=None):
        keep = np.random.default_rng().random(x.shape) >= p
        return (x * keep / (1 - p), keep / (1 - p)) if training else (x.copy(), None)

    ns = dict(solution, dropout_forward=forward)
    with pytest.raises(GradingError, match="same seed.*rng argument"):
        a03.checker(ns)("dropout", "train")
    a03.checker(ns)("dropout", "statistics")  # statistically right: that part passes


def test_dropout_other_mask_convention_is_named(solution):
    def forward(x, p, training=True, rng=None):
        if not training or p == 0:
            return x.copy(), None
        scale = (rng.random(x.shape) < 1 - p) / (1 - p)
        return x * scale, scale

    ns = dict(solution, dropout_forward=forward)
    a03.checker(ns)("dropout", "statistics")
    with pytest.raises(GradingError, match="keep the units where u >= p"):
        a03.checker(ns)("dropout", "train")


def test_dropout_backward_mistakes(solution):
    ns = dict(solution, dropout_backward=lambda dout, cache: dout * (cache != 0))
    with pytest.raises(GradingError, match="dx needs the forward's scale"):
        a03.checker(ns)("dropout", "gradients")
    ns = dict(solution, dropout_backward=lambda dout, cache: dout.copy())
    with pytest.raises(GradingError, match="dropped units get no gradient"):
        a03.checker(ns)("dropout", "gradients")


# -- contracts: shapes, state keys, in-place changes, names --------------------------------------
def test_in_place_update_is_named(solution):
    def step(theta, grad, state, lr, momentum=0.0, weight_decay=0.0):
        theta -= lr * grad
        return theta, {"momentum_buffer": grad.copy()}

    with pytest.raises(GradingError, match="changed theta in place"):
        a03.checker(dict(solution, sgd_momentum_step=step))("sgd_momentum", "shape")


def test_missing_state_key_and_step_count(solution):
    def adagrad(theta, grad, state, lr=1e-2, eps=1e-10):
        G = state.get("G", 0.0) + grad * grad
        return theta - lr * grad / (np.sqrt(G) + eps), {"G": G}

    with pytest.raises(GradingError, match="no key 'sum'"):
        a03.checker(dict(solution, adagrad_step=adagrad))("adagrad", "shape")

    def adam(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        new, st = solution["adam_step"](theta, grad, dict(state, step=state.get("step", 1) - 1),
                                        lr, betas, eps)
        return new, dict(st, step=st["step"] + 1)

    with pytest.raises(GradingError, match=r"state\['step'\] counts the steps"):
        a03.checker(dict(solution, adam_step=adam))("adam", "shape")


def test_wrong_theta_shape_and_return_type(solution):
    def flat(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8):
        new, st = solution["rmsprop_step"](theta, grad, state, lr, alpha, eps)
        return new.ravel(), st

    with pytest.raises(GradingError, match=r"shape \(12,\); expected shape \(3, 4\)"):
        a03.checker(dict(solution, rmsprop_step=flat))("rmsprop", "shape")
    with pytest.raises(GradingError, match="the shape of theta on a hidden case"):
        a03.checker(dict(solution, rmsprop_step=flat))("rmsprop", "values", hidden=True)
    with pytest.raises(GradingError, match="must return a pair"):
        a03.checker(dict(solution, rmsprop_step=lambda *a, **k: a[0]))("rmsprop", "values")


def test_batchnorm_running_stats_not_updated(solution):
    def forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                eps=1e-5):
        rm, rv = running_mean.copy(), running_var.copy()  # updates a copy: lost
        return solution["batchnorm_forward"](x, gamma, beta, rm, rv, training, momentum, eps)

    with pytest.raises(GradingError, match="in place"):
        a03.checker(dict(solution, batchnorm_forward=forward))("batchnorm", "train")


def test_unimplemented_and_renamed(solution):
    def stub(*args, **kwargs):
        raise NotImplementedError()

    with pytest.raises(GradingError, match="not implemented yet"):
        a03.checker(dict(solution, adam_step=stub))("adam", "values")
    ns = dict(solution)
    ns["adam_stp"] = ns.pop("adam_step")
    with pytest.raises(GradingError, match="adam_stp"):
        a03.checker(ns)("adam", "values")


def test_nonfinite_path_names_the_step(solution):
    def sqrt_without_eps(theta, grad, state, lr=1e-2, eps=1e-10):
        G = state.get("sum", np.zeros_like(theta)) + grad * grad
        G[..., 0] = 0.0
        return theta - lr * grad / np.sqrt(G), {"sum": G}

    with pytest.raises(GradingError, match="NaN or inf at step 1: look for a division by zero"):
        a03.checker(dict(solution, adagrad_step=sqrt_without_eps))("adagrad", "values")


# -- delegation --------------------------------------------------------------------------------
def test_delegation_to_dlcore_is_caught(solution):
    from dlcore.layers import batchnorm_forward as bn_ref
    from dlcore.layers import dropout_forward as drop_ref
    from dlcore.optim import adam_update, sgd_update, stability_limit

    delegates = {
        ("sgd_momentum", "momentum"): ("sgd_momentum_step", lambda theta, grad, state, lr,
                                       momentum=0.0, weight_decay=0.0: sgd_update(
                                           theta, grad, state, lr=lr, momentum=momentum,
                                           weight_decay=weight_decay)),
        ("adam", "values"): ("adam_step", lambda theta, grad, state, lr=1e-3,
                             betas=(0.9, 0.999), eps=1e-8: adam_update(
                                 theta, grad, state, lr=lr, betas=betas, eps=eps)),
        ("stability", "gd"): ("max_stable_lr",
                              lambda h, momentum=0.0: stability_limit(h, "momentum", momentum)),
        ("dropout", "train"): ("dropout_forward", lambda x, p, training=True, rng=None: drop_ref(
            x, p=p, training=training, rng=rng)),
        ("batchnorm", "train"): ("batchnorm_forward", partial(_bn_delegate, bn_ref)),
    }
    for (ex, part), (name, fn) in delegates.items():
        with pytest.raises(IntegrityError, match="scores 0"):
            a03.checker(dict(solution, **{name: fn}))(ex, part)


def _bn_delegate(ref, x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                 eps=1e-5):
    return ref(x, gamma, beta, running_mean, running_var, training=training, momentum=momentum,
               eps=eps)


def test_delegation_to_torch_is_caught(solution):
    torch = pytest.importorskip("torch")

    def adam(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        new, st = solution["adam_step"](theta, grad, state, lr, betas, eps)
        return torch.as_tensor(new).numpy(), st  # any torch call counts

    with pytest.raises(IntegrityError, match="torch"):
        a03.checker(dict(solution, adam_step=adam))("adam", "values")


# -- the notebook's rules agree with torch ------------------------------------------------------
def _torch_path(torch, cls, theta0, grads, **hyper):
    p = torch.tensor(theta0.copy(), requires_grad=True)
    opt = cls([p], **hyper)
    path = [theta0.copy()]
    for g in grads:
        p.grad = torch.tensor(g.copy())
        opt.step()
        path.append(p.detach().numpy().copy())
    return np.stack(path)


def _np_path(step, theta0, grads, **hyper):
    theta, state, path = theta0.copy(), {}, [theta0.copy()]
    for g in grads:
        theta, state = step(theta, g, state, **hyper)
        path.append(theta.copy())
    return np.stack(path)


def test_solution_rules_match_torch_optim(solution, rng):
    torch = pytest.importorskip("torch")
    theta0, grads = rng.normal(size=(3, 2)), rng.normal(size=(25, 3, 2)) * [1.0, 1e-3]
    table = [
        ("sgd_momentum_step", torch.optim.SGD,
         {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}, {}),
        ("nesterov_step", torch.optim.SGD, {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.01},
         {"nesterov": True}),
        ("adagrad_step", torch.optim.Adagrad, {"lr": 0.1, "eps": 1e-6}, {}),
        ("rmsprop_step", torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}, {}),
        ("adam_step", torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}, {}),
    ]
    for name, cls, hyper, extra in table:
        mine = _np_path(solution[name], theta0, grads, **hyper)
        ref = _torch_path(torch, cls, theta0, grads, **hyper, **extra)
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12, err_msg=name)


def test_solution_batchnorm_matches_torch(solution, rng):
    torch = pytest.importorskip("torch")
    n, d = 7, 3
    bn = torch.nn.BatchNorm1d(d, momentum=0.1, eps=1e-5).double()
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.bias.copy_(torch.tensor(beta))
    rm, rv = np.zeros(d), np.ones(d)
    for _ in range(3):
        x = rng.normal(size=(n, d)) * [1.0, 0.01, 5.0] + 2.0
        xt = torch.tensor(x, requires_grad=True)
        out_t = bn(xt)
        dout = rng.normal(size=(n, d))
        out_t.backward(torch.tensor(dout))
        out, cache = solution["batchnorm_forward"](x, gamma, beta, rm, rv)
        dx, dgamma, dbeta = solution["batchnorm_backward"](dout, cache)
        np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(dgamma, bn.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dbeta, bn.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
        bn.zero_grad()
    np.testing.assert_allclose(rm, bn.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, bn.running_var.numpy(), rtol=1e-12)
    bn.eval()
    x = rng.normal(size=(4, d))
    out, _ = solution["batchnorm_forward"](x, gamma, beta, rm, rv, training=False)
    np.testing.assert_allclose(out, bn(torch.tensor(x)).detach().numpy(), rtol=1e-10)


def test_solution_dropout_matches_torch_semantics(solution, rng):
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(50, 40))
    p = 0.3
    out, cache = solution["dropout_forward"](x, p, rng=np.random.default_rng(5))
    t = torch.nn.functional.dropout(torch.tensor(x), p=p, training=True)
    kept = out != 0
    # torch's kept units carry the same 1 / (1 - p) scale, and eval is the identity for both
    np.testing.assert_allclose(out[kept], x[kept] / (1 - p))
    t_kept = t.numpy() != 0
    np.testing.assert_allclose(t.numpy()[t_kept], x[t_kept] / (1 - p))
    np.testing.assert_array_equal(solution["dropout_forward"](x, p, training=False)[0], x)
    dx = solution["dropout_backward"](np.ones_like(x), cache)
    np.testing.assert_allclose(dx, kept / (1 - p))


def test_solution_stability_limit_is_sharp(solution):
    for h, beta in [(3.0, 0.0), (7.5, 0.4), (0.8, 0.9)]:
        limit = solution["max_stable_lr"](h, momentum=beta)
        for lr, converges in [(0.98 * limit, True), (1.02 * limit, False)]:
            w_prev, w = 1.0, 1.0
            for _ in range(3000):
                w, w_prev = (1 + beta - lr * h) * w - beta * w_prev, w
            assert (abs(w) < 1e-3) == converges, (h, beta, lr)
