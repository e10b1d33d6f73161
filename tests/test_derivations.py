"""Every derivation verifies, and verify() goes red when a formula is broken."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest
import sympy as sp
from support import NUMBER_WORDS, assert_page_says, stated

import derivations
from derivations import __main__ as cli
from derivations import activations, linear, output, relu
from derivations.core import TEX_NAMES, Text
from derivations.shapes import ShapeMismatch, architecture_shapes, product

#: The proofs that take SymPy most of a second or more each (measured on an idle 2-core machine
#: with ``--durations``). They run with the slow tests, and ``python -m derivations`` (CI's first
#: step, and ``dev.py serve`` before it builds) verifies every one of them; the everyday suite still
#: binds each of their results to numpy in the test file of its topic. For example, init.he (the
#: sympy.stats moments it shares with init.xavier) in test_initialization.py, whose variance tests go
#: red when its result 2/n[l-1] is broken; conv.backward's steps and pool.average's result in
#: test_conv_derivations.py, lambdified and compared with nn.conv entry by entry.
SLOW_PROOFS = {
    "activation.tanh",
    "batchnorm.backward",
    "conv.backward",
    "init.he",
    "init.xavier",
    "linear.chain_tanh",
    "lstm.cell_backward",
    "output.softmax_cross_entropy",
    "pool.average",
    "rnn.cell_backward",
    "samples.batch_average",
}
EVERYDAY_PROOFS = [key for key in derivations.keys() if key not in SLOW_PROOFS]


@pytest.mark.parametrize(
    "key", [pytest.param(key, marks=pytest.mark.slow) if key in SLOW_PROOFS else key for key in derivations.keys()]
)
def test_every_derivation_verifies(key):
    result = derivations.get(key).verify()
    assert result.ok, f"{key}: steps that SymPy could not prove: {result.failed_steps}"
    if result.numeric_error is not None:
        assert result.numeric_error < 1e-7, f"{key}: finite-difference cross-check {result.numeric_error:.2e}"


def _with_result(key: str, wrong: sp.Basic) -> derivations.Derivation:
    d = derivations.get(key)
    return dataclasses.replace(d, result=dataclasses.replace(d.result, rhs=wrong))


a, y = output.a, output.y
_n_L, _m = sp.Symbol("n[L]", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
MSE_A, MSE_Y = sp.MatrixSymbol("A[L]", _n_L, _m), sp.MatrixSymbol("Y", _n_L, _m)
W, A, dZ, m, p, q = linear.W_, linear.A_prev_, linear.dZ_, linear.m, linear.p, linear.q

BROKEN_RESULTS = {
    "output gradient without the target (dz = a)": ("output.sigmoid_bce", a),
    "output gradient with the sign flipped (dz = y − a)": ("output.sigmoid_bce", y - a),
    "square error gradient 2a, the seed's 2*p": ("output.mse", 2 * MSE_A),
    "square error gradient missing the factor 2": ("output.mse", MSE_A - MSE_Y),
    "masked ReLU backward claimed equal to dA g' with g'(0) = 1": (
        "relu.masked_backward",
        relu.dA * relu.SLOPE_ONE_AT_ZERO,
    ),
    "tanh' written as 1 − a": ("activation.tanh", activations.da * (1 - activations.a)),
    "sigmoid' written as a(1 + a)": ("activation.sigmoid", activations.da * activations.a * (1 + activations.a)),
    "softmax + cross-entropy with the sign flipped (dz = y − a)": (
        "output.softmax_cross_entropy",
        output.y_[output.q_] - output.a_[output.q_],
    ),
    "softmax treated as elementwise: dz = (a − y) a(1 − a)": (
        "output.softmax_cross_entropy",
        (output.a_[output.q_] - output.y_[output.q_]) * output.a_[output.q_] * (1 - output.a_[output.q_]),
    ),
    "softmax cost without the logsumexp term": (
        "output.softmax_logsumexp",
        -sp.Sum(output.y_[output.p_] * output.z_[output.p_], (output.p_, 0, output.K - 1)),
    ),
    "dW missing 1/m": ("linear.dW", dZ * A.T),
    "dW with A[l] in place of A[l-1]": ("linear.dW", dZ * dZ.T / m),
    "db summed over the wrong axis": ("linear.db", sp.OneMatrix(1, linear.n) * dZ / m),
    "dA_prev with a spurious 1/m": ("linear.dA_prev", W.T * dZ / m),
    "dZ1 with (1 − A1) instead of (1 − A1²)": (
        "linear.chain_tanh",
        sp.HadamardProduct(
            sp.MatrixSymbol("W[2]", sp.Symbol("n[2]"), sp.Symbol("n[1]")).T * sp.MatrixSymbol("dZ[2]", 1, 1),
            sp.OneMatrix(1, 1),
        ),
    ),
}


#: One to three seconds of SymPy each (a false claim is slower to refute than a true one to prove),
#: so these run with the slow tests. The everyday suite still breaks the same formulas elsewhere:
#: the softmax ones at the step level (test_softmax's broken Jacobian steps), tanh's derivative in
#: "tanh' written as 1 − a", whose chain "dZ1 with (1 − A1)" repeats it one layer down.
SLOW_BUGS = {
    "softmax treated as elementwise: dz = (a − y) a(1 − a)",
    "softmax + cross-entropy with the sign flipped (dz = y − a)",
    "softmax cost without the logsumexp term",
    "dZ1 with (1 − A1) instead of (1 − A1²)",
}


@pytest.mark.parametrize(
    "bug", [pytest.param(bug, marks=pytest.mark.slow) if bug in SLOW_BUGS else bug for bug in BROKEN_RESULTS]
)
def test_verify_rejects_a_broken_result(bug):
    """The broken step's own proof fails, so ``verify()``, which proves every step, rejects the
    derivation (``test_a_wrong_kink_convention_is_rejected`` runs that whole path); the other steps
    are the registered ones, which ``test_every_derivation_verifies`` proves."""
    key, wrong = BROKEN_RESULTS[bug]
    broken = _with_result(key, wrong)
    changed = broken.result
    if key in {"linear.chain_tanh"}:
        # The headline proof compares against the entrywise formula; break that one instead.
        broken = dataclasses.replace(
            derivations.get(key),
            steps=(
                *derivations.get(key).steps[:-1],
                dataclasses.replace(
                    derivations.get(key).steps[-1],
                    rhs=derivations.get(key)
                    .steps[-1]
                    .rhs.subs(1 - sp.IndexedBase("A[1]")[p, q] ** 2, 1 - sp.IndexedBase("A[1]")[p, q]),
                ),
            ),
        )
        changed = broken.steps[-1]
    assert not changed.holds(), f"the proof accepted a known bug: {bug}"


def test_a_wrong_kink_convention_is_rejected():
    relu = activations.get("relu")
    wrong = dataclasses.replace(relu, kinks=(dataclasses.replace(relu.kinks[0], derivative=sp.Rational(1, 2)),))
    assert not wrong.derivation().verify().ok


def test_an_undeclared_kink_is_rejected():
    relu = activations.get("relu")
    assert not dataclasses.replace(relu, kinks=()).derivation().verify().ok


def test_shape_algebra_rejects_mismatched_products():
    n, k = sp.symbols("n k", positive=True, integer=True)
    with pytest.raises(ShapeMismatch, match="columns"):
        product(sp.MatrixSymbol("W", n, k), sp.MatrixSymbol("X", k + 1, 3))


def test_architecture_shapes_for_a_concrete_network():
    shapes = architecture_shapes([2, 4, 1])
    assert shapes[1].W == (4, 2)
    assert shapes[2].W == (1, 4)
    assert shapes[2].dW == shapes[2].W
    assert shapes[1].Z == (4, derivations.shapes.m)


def test_cli_prints_a_mark_per_derivation_and_succeeds(capsys):
    assert cli.main(["--quiet", "--jobs", "1", *EVERYDAY_PROOFS]) == 0
    out = capsys.readouterr().out
    for key in EVERYDAY_PROOFS:
        assert f"✓ {key}" in out


def test_cli_verifies_and_counts_a_key_named_twice_once(capsys):
    """`python -m derivations output.mse output.mse` printed it twice and "2 of 2 derivations verified"."""
    assert cli.main(["--quiet", "--jobs", "1", "output.mse", "output.mse"]) == 0
    out = capsys.readouterr().out
    assert out.count("✓ output.mse") == 1
    assert "1 of 1 derivations verified" in out


def test_cli_exits_nonzero_on_a_failed_derivation(monkeypatch, capsys):
    broken = _with_result("output.sigmoid_bce", a)
    monkeypatch.setattr(derivations, "get", lambda key: broken)
    assert cli.main(["output.sigmoid_bce", "--quiet"]) == 1
    assert "✗ output.sigmoid_bce" in capsys.readouterr().out


def test_the_help_names_the_command_that_drafts_an_activation(capsys):
    """docs/extending.md starts from ``python -m derivations new-activation``; --help must lead a reader to it."""
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert 'python -m derivations new-activation NAME "EXPR" --summary EN --summary-zh ZH' in shown, shown
    with pytest.raises(SystemExit) as done:
        cli.main(["new-activation", "--help"])
    assert done.value.code == 0
    assert "--summary-zh" in capsys.readouterr().out


@pytest.mark.parametrize("key", ["no.such.derivation", None, ["output.mse"], 3])
def test_get_of_a_key_the_registry_lacks_is_a_key_error_listing_the_keys(key):
    """A list (the keys of several derivations, say) met dict's TypeError "unhashable type: 'list'"."""
    with pytest.raises(KeyError, match=rf"no derivation {re.escape(repr(key))}; known: output.sigmoid_bce, "):
        derivations.get(key)


def test_cli_rejects_unknown_keys(capsys):
    with pytest.raises(SystemExit):
        cli.main(["no.such.derivation"])
    assert "unknown derivation" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [(["activation.not_registered"], "未知的推导 activation.not_registered；用 --list 查看所有的键"),
     (["--jobs", "0"], "--jobs 至少需要 1 个工作进程，而给出的是 0")],
)  # fmt: skip
def test_cli_refuses_in_the_language_asked(capsys, argv, chinese):
    """A key typed before its activation is registered is refused in --lang. (Not softsign2: docs/extending.md's
    reader registers it and then runs every test whose name holds it.)"""
    with pytest.raises(SystemExit):
        cli.main([*argv, "--lang", "zh"])
    assert capsys.readouterr().err.rstrip().endswith(f"error: {chinese}")


def test_an_activation_declared_twice_is_refused_in_both_languages(monkeypatch):
    """Raised at import, before any --lang is read: the message gives the English, then the Chinese."""
    monkeypatch.setattr(activations, "REGISTRY", dict(activations.REGISTRY))
    with pytest.raises(ValueError, match="activation 'tanh' is declared twice") as caught:
        activations.register("tanh", activations.z, Text("tanh again", "又一个 tanh"))
    english, chinese = str(caught.value).split("\n")
    assert chinese == "激活函数 'tanh' 在 derivations/activations.py 中声明了两次：每个 register(...) 都要有自己的名称"
    assert english == str.__str__(caught.value.args[0])


@pytest.mark.parametrize("key", derivations.keys())
def test_every_derivation_renders(key):
    d = derivations.get(key)
    assert d.title in d.text()
    tex_ = d.latex()
    assert r"\[" in tex_
    assert "Derivative(" not in tex_


def test_the_registry_lists_exactly_the_keys_each_module_derives():
    """``keys()`` reads each module's KEYS without building; they must be what ``derivations()`` builds (the
    registry's one call of it, so the derivations the other tests build are not built again)."""
    listed = []
    for family in derivations.FAMILIES:
        module = importlib.import_module(f"derivations.{family}")
        if family == "activations":
            built = [f"activation.{name}" for name in module.names()]
        else:
            built = [d.key for d in derivations._derived(family)]
            assert list(module.KEYS) == built, f"derivations/{family}.py: KEYS do not match derivations()"
        listed += built
    assert derivations.keys() == listed  # in reading order, and no key claimed by two modules
    assert [d.key for d in derivations.all_derivations()] == listed
    assert SLOW_PROOFS <= set(listed), f"SLOW_PROOFS names keys that do not exist: {SLOW_PROOFS - set(listed)}"


def test_readme_counts_the_derivations_and_the_slow_proofs():
    """README.md's budgets table types both counts: a derivation added, or a proof moved to the slow tests,
    updates them."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    (count,) = stated(readme, r"\((\d+) derivations, one worker process per core")
    assert int(count) == len(derivations.keys()), f"README.md says {count}; the registry has {len(derivations.keys())}"
    (slow,) = stated(readme, r"the (\w+) slowest proofs verify in")
    assert NUMBER_WORDS["en"].index(slow) == len(SLOW_PROOFS), f"README.md says {slow}; there are {len(SLOW_PROOFS)}"


def test_cli_rejects_zero_jobs(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--jobs", "0"])
    assert "--jobs needs at least 1 worker process" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_in_worker_processes_prints_the_same_as_in_one(capsys):
    """``--jobs 2`` verifies in two forked processes; the marks and their order are the same."""
    assert cli.main(["--quiet", "--jobs", "1"]) == 0
    one = capsys.readouterr().out.splitlines()[:-1]  # the last line holds the time
    assert cli.main(["--quiet", "--jobs", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[:-1] == one


def test_the_m_sample_proof_covers_a_hidden_layer():
    """samples.batch_average claims its rules at every layer: its last step proves that a hidden layer keeps
    the columns apart (entry (i, k) of Z[l+1] depends on Z[l]_pq only when k = q), and without δ_kq it fails."""
    d = derivations.get("samples.batch_average")
    hidden = d.steps[-1]
    assert "Z^{[l+1]}" in hidden.latex()
    assert hidden.holds()
    k, q = sp.symbols("k q", integer=True, nonnegative=True)
    assert not dataclasses.replace(hidden, rhs=hidden.rhs.subs(sp.KroneckerDelta(k, q), 1)).holds()
    assert "step 8" in d.hypotheses[0]


def test_only_sums_of_array_entries_are_left_unevaluated():
    """Inside a proof, SymPy skips closed forms only for products varying through entries alone; others still sum."""
    k, n_ = sp.Symbol("k", integer=True), sp.Symbol("n", integer=True, positive=True)
    entries = sp.Sum(sp.IndexedBase("dZ")[p, k] * sp.IndexedBase("A")[q, k], (k, 0, n_ - 1))
    telescoping = sp.Sum(sp.IndexedBase("A")[k + 1] - sp.IndexedBase("A")[k], (k, 0, n_ - 1))
    with derivations.core._entry_sums_left_as_sums():
        assert entries.doit() == entries
        assert telescoping.doit() == sp.IndexedBase("A")[n_] - sp.IndexedBase("A")[0]
        assert sp.expand(sp.Sum(k, (k, 0, n_ - 1)).doit() - n_ * (n_ - 1) / 2) == 0
    assert entries.doit() == entries, "SymPy itself finds no closed form for it either"


def test_worker_tasks_hold_every_key_once_and_a_module_in_one_task():
    tasks = cli._tasks(derivations.keys())
    assert sorted(key for task in tasks for key in task) == sorted(derivations.keys())
    assert [len(task) for task in tasks] == sorted((len(task) for task in tasks), reverse=True)
    for task in tasks:
        assert len({derivations._index()[key] for key in task}) == 1
        assert len(task) == 1 or not task[0].startswith("activation.")
    modules = [not task[0].startswith("activation.") for task in tasks]
    assert modules == sorted(modules, reverse=True), "an activation starts before a module of one derivation"


#: Steps the pages name by number, in both languages: (page, its words, the derivation shown there, the step
#: number as displayed, words of that step's note). Reordering a derivation's steps must not leave a page
#: pointing at the wrong one.
STEP_REFERENCES = [
    ("output-layer", ("Step 3 is what `nn` runs", "`nn` 运行的就是第 3 步"), "output.softmax_cross_entropy", 3,
     "contract the Jacobian with the upstream gradient"),
    ("hidden-layers", ("step 3 above shows", "上面的第 3 步表明"), "relu.masked_backward", 3,
     "differ by −dA at z = 0 and by nothing elsewhere"),
    ("samples", ("step 7 of the [m-sample derivation]", "的第 7 步对"), "samples.batch_average", 7,
     "The other convention"),
    ("modes", ("Step 8\nis the post's own count", "第 8 步是文章自己的计数"), "modes.cost", 8,
     "The chain-rule post's own count"),
    ("initialization", ("on the way back (step 7)", "保持不变，见第 7 步"), "init.xavier", 7,
     "Backward, dA[l-1] = W[l]ᵀ dZ[l] sums n[l] terms"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "words", "key", "number", "note"), STEP_REFERENCES)
def test_a_step_a_page_names_by_number_is_that_step(page, words, key, number, note):
    docs = Path(__file__).resolve().parents[1] / "docs"
    for said, suffix in zip(words, (".md", ".zh.md"), strict=True):
        assert said in (docs / f"{page}{suffix}").read_text(encoding="utf-8"), f"docs/{page}{suffix}: {said!r}"
    assert note in str(derivations.get(key).steps[number - 1].note), f"{key}: step {number} is no longer that step"


def test_the_output_forms_are_derived_by_inverting_g_where_the_hidden_layers_page_points():
    """hidden-layers: 1 − A² and A(1 − A) hold because tanh and the sigmoid invert, which their derivations use:
    tanh's step is printed on that page, the sigmoid's derivation is on the activations page the page links."""
    assert_page_says(
        "hidden-layers",
        ('step("activation.tanh", 3))', "the sigmoid's on [the activations page](activations.md#sigmoid)"),
        ('step("activation.tanh", 3, lang="zh"))', "sigmoid 的见“[激活函数](activations.md#sigmoid)”一页"),
    )
    a = activations.a
    for name, output_form in (("tanh", 1 - a**2), ("sigmoid", a * (1 - a))):
        steps = derivations.get(f"activation.{name}").steps
        assert "solve for z" in str(steps[2].note), f"activation.{name}: step 3 no longer inverts g"
        assert sp.expand(steps[3].rhs - output_form) == 0, f"activation.{name}: step 4 is not {output_form}"


@pytest.mark.parametrize("key", [key for key in linear.KEYS if key != "linear.chain_tanh"])
def test_a_chain_rule_step_names_the_terms_its_deltas_keep(key):
    """A step that says "only the terms with i = p, j = q survive" names the Kronecker deltas SymPy's
    derivative of it holds, in both languages: dA[l-1] pins the sums over j and k and keeps the one over i,
    where dW[l] pins i and j."""
    (step,) = (step for step in derivations.get(key).steps if "surviv" in step.note)
    deltas = {frozenset(map(str, delta.args)) for delta in step.meaning.atoms(sp.KroneckerDelta)}
    assert deltas, f"{key}: the step's meaning holds no Kronecker delta to collapse"
    for note in (str(step.note), step.note.zh):
        named = {frozenset(pair) for pair in re.findall(r"\b([a-z]) = ([a-z])\b", note)}
        assert named == deltas, f"{key}: {note!r} names {named}, SymPy's deltas are {deltas}"


def test_every_kink_at_zero_takes_the_left_slope():
    """docs/hidden-layers.md: "The project takes the left slope at z = 0" (of g', and of g'' where only g'' jumps)."""
    checked = []
    for name in activations.names():
        act = activations.get(name)
        for kink in (k for k in act.kinks if k.at == 0):
            for order, value in ((1, kink.derivative), (2, kink.second_derivative)):
                if value is not None:
                    assert value == activations._one_sided(act.order(order), 0, -1), f"{name}: order {order}"
                    checked.append(name)
    assert {"relu", "leaky_relu", "selu", "elu"} <= set(checked)


#: A subscript of two index letters at the end of a symbol's name: dtanh_ik, or \mathit{dtanh}_{ik} in TeX.
INDICES_IN_A_NAME = re.compile(r"_\{?[ijklpq]{2}\}?$")


def test_an_entry_is_indexed_not_named_with_its_indices():
    """A step on one entry writes it as an entry, dtanh[i, k], as every indexed step does: the indices are then
    SymPy's, the same on both sides, and the entry is one of the matrix the other steps use. A symbol named
    dtanh_ik prints the same subscript but is one number, and its right side needs no indices at all."""
    found = [
        f"{d.key}: {name}"
        for d in derivations.all_derivations()
        for step in (*d.steps, d.result)
        for side in (step.lhs, step.rhs)
        if isinstance(side, sp.Basic)
        for name in (str(s) for s in side.free_symbols if isinstance(s, sp.Symbol))
        if INDICES_IN_A_NAME.search(name) or INDICES_IN_A_NAME.search(TEX_NAMES.get(name, ""))
    ]
    assert not found, f"entries named with their indices instead of indexed: {found}"


def test_a_derivation_is_rendered_with_its_own_chinese_after_an_equal_one_was():
    d = derivations.get("linear.dW")
    other = dataclasses.replace(d, statement=Text(str(d.statement), "另一种说法。"))
    assert other == d  # a Text equals its English: a cache keyed by equality would mix the two up
    for render in ("latex", "text"):
        shown, again = getattr(d, render)("zh"), getattr(other, render)("zh")
        assert "另一种说法。" in again
        assert "另一种说法。" not in shown
        assert getattr(other, render)("en") == getattr(d, render)("en")


@pytest.mark.parametrize("seed", [-1, True, 1.5, "0", None])
def test_verify_refuses_a_seed_that_is_not_a_whole_number_at_least_0(seed):
    from derivations.core import SeedError

    with pytest.raises(SeedError) as caught:
        derivations.get("activation.identity").verify(seed=seed)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == (
        f"seed = {seed!r}: the seed of the numeric cross-check's random draws must be an integer >= 0"
    )
    assert caught.value.text("zh") == f"seed = {seed!r}：数值交叉检验随机抽取所用的种子必须是 >= 0 的整数"
    assert derivations.get("activation.identity").verify(seed=3).ok
