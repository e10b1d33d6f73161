"""RNN and LSTM: numpy against the rnn.* and lstm.* derivations, finite differences, the complex step, errors.

The oracles are independent of ``nn.rnn``: the derivations' formulas lambdified at concrete sizes,
central differences of J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩ computed with nn's forward pass, and the complex
step through a forward pass written here from the equations (np.tanh and 1/(1 + e^(−z)) continue
to complex input; nn's stable sigmoid does not). Hypothesis sweeps and PyTorch are marked slow.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from support import central_differences, relative_error
from sympy.matrices.expressions.matexpr import MatrixElement

import derivations
from derivations import rnn as derived
from derivations.core import say
from nn import rnn
from nn.gradcheck.sequence import default_inputs
from nn.words import InputError

DOCS = Path(__file__).resolve().parents[1] / "docs"
CELL, BPTT, LSTM = (derivations.get(key) for key in ("rnn.cell_backward", "rnn.bptt", "lstm.cell_backward"))
RNN_KEYS, LSTM_KEYS = ("Wax", "Waa", "ba"), tuple(f"{p}{g}" for g in "fico" for p in "Wb")


def rnn_parameters(rng, n_x, n_a, n_y, dtype=np.float64):
    """Weights small enough that tanh bends but does not saturate over a few steps."""
    shapes = {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    return {key: (rng.normal(size=shape) / np.sqrt(shape[1] + 1)).astype(dtype) for key, shape in shapes.items()}


def lstm_parameters(rng, n_x, n_a, n_y, dtype=np.float64):
    shapes = {f"{p}{g}": (n_a, n_a + n_x) if p == "W" else (n_a, 1) for g in "fico" for p in "Wb"}
    shapes |= {"Wy": (n_y, n_a), "by": (n_y, 1)}
    return {key: rng.normal(size=shape).astype(dtype) for key, shape in shapes.items()}


#: Each network's parameters, forward and backward passes, and the parameters its gradients cover.
NETWORKS = {
    "rnn": (rnn_parameters, rnn.rnn_forward, rnn.rnn_backward, RNN_KEYS),
    "lstm": (lstm_parameters, rnn.lstm_forward, rnn.lstm_backward, LSTM_KEYS),
}


def sequence(rng, n_x, n_a, m, T):
    return rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m, T))


# --- numpy against the derivations, at concrete sizes ----------------------------------------------


def _matrix_rule(expression, sizes, values):
    """A matrix expression of the derivations at concrete sizes, evaluated with numpy arrays for its matrices
    (by name): products, transposes, entrywise products and powers, sums, matrices of ones."""
    expression = expression.subs(sizes)
    if isinstance(expression, sp.MatrixSymbol):
        return np.asarray(values[expression.name], dtype=float)
    if isinstance(expression, sp.OneMatrix):
        return np.ones(tuple(int(size) for size in expression.shape))
    if isinstance(expression, sp.HadamardPower):
        return _matrix_rule(expression.base, sizes, values) ** float(expression.exp)
    args = [_matrix_rule(arg, sizes, values) if arg.is_Matrix else float(arg) for arg in expression.args]
    if isinstance(expression, sp.Transpose):
        return args[0].T
    if isinstance(expression, sp.MatMul):
        return functools.reduce(lambda x, y: x @ y if np.ndim(x) and np.ndim(y) else x * y, args)
    if isinstance(expression, sp.HadamardProduct):
        return functools.reduce(np.multiply, args)
    if isinstance(expression, sp.MatAdd):
        return functools.reduce(np.add, args)
    raise TypeError(f"no numpy rule for {type(expression).__name__} in {expression}")


def test_rnn_cell_backward_is_the_derived_step():
    rng = np.random.default_rng(0)
    n_x, n_a, n_y, m = 2, 3, 2, 4
    parameters = rnn_parameters(rng, n_x, n_a, n_y)
    xt, a_prev, da_next = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
    a_next, _, cache = rnn.rnn_cell_forward(xt, a_prev, parameters)
    gradients = rnn.rnn_cell_backward(da_next, cache)
    step = CELL.steps[1]  # dtanh[i, k] = da_next[i, k] (1 − a⟨t⟩[i, k]²), in the cached output
    # the entry of the dtanh the later steps use, from the entries of da_next and a⟨t⟩ at the same indices
    assert step.lhs == sp.IndexedBase(derived.dtanh_.name)[derived.i, derived.k]
    entries = sorted(step.rhs.atoms(sp.Indexed), key=lambda entry: entry.base.name != "da_next")
    assert [(entry.base.name, entry.indices) for entry in entries] == [
        (name, (derived.i, derived.k)) for name in ("da_next", "a⟨t⟩")
    ]
    da_symbol, a_symbol = sp.symbols("da a")
    entrywise = step.rhs.xreplace(dict(zip(entries, (da_symbol, a_symbol), strict=True)))
    dtanh = sp.lambdify((da_symbol, a_symbol), entrywise, "numpy")(da_next, a_next)
    values = {"dtanh": dtanh, "x⟨t⟩": xt, "a⟨t−1⟩": a_prev, "Wax": parameters["Wax"], "Waa": parameters["Waa"]}
    sizes = {derived.n_a: n_a, derived.n_x: n_x, derived.m: m, derived.n_a_cols: n_a}
    rules = dict(zip(("dWax", "dWaa", "dba", "dxt"), CELL.steps[2:], strict=True)) | {"da_prev": CELL.result}
    for key, rule in rules.items():
        np.testing.assert_allclose(
            gradients[key], _matrix_rule(rule.rhs.parent, sizes, values), rtol=1e-12, err_msg=key
        )


def test_rnn_backward_is_the_derived_recursion_summed_over_the_steps():
    """The gradient reaching a⟨t⟩ is da⟨t⟩ + Waaᵀ[(1 − a⟨t+1⟩²) ⊙ g⟨t+1⟩] (rnn.bptt step 5), each parameter's the
    sum of its steps' (step 6)."""
    rng = np.random.default_rng(1)
    n_x, n_a, m, T = 2, 3, 2, 4
    parameters = rnn_parameters(rng, n_x, n_a, 2)
    x, a0, da = sequence(rng, n_x, n_a, m, T)
    a, _, caches = rnn.rnn_forward(x, a0, parameters)
    gradients = rnn.rnn_backward(da, caches)
    reaching = BPTT.steps[4].rhs  # da⟨t⟩[p, q] + (Waaᵀ ((1 − a⟨t+1⟩²) ⊙ g⟨t+1⟩))[p, q]
    sizes = {derived.n_a: n_a, derived.m: m}
    matrix_part = next(term for term in reaching.args if isinstance(term, MatrixElement))
    summed = BPTT.steps[5].rhs  # Σ_{s=1}^{T} G⟨s⟩

    def flows_back(Waa, a_next, g_next):
        values = {"Waa": Waa, "a⟨t+1⟩": a_next, "g⟨t+1⟩": g_next}
        return _matrix_rule(matrix_part.parent, sizes, values)

    previous = np.concatenate([a0[:, :, None], a[:, :, :-1]], axis=2)
    own, g = {}, da[:, :, T - 1]  # nothing flows back to step T (step 4)
    for t in range(T, 0, -1):  # steps counted from 1, as in the derivation
        own[t] = (g * (1 - a[:, :, t - 1] ** 2)) @ previous[:, :, t - 1].T  # G⟨t⟩ (rnn.cell_backward)
        if t > 1:
            g = flows_back(parameters["Waa"], a[:, :, t - 1], g) + da[:, :, t - 2]
    terms = sp.Add.make_args(summed.subs(derived.T, T).doit())  # G[1] + … + G[T]
    dWaa = sum(own[int(term.indices[0])] for term in terms)
    np.testing.assert_allclose(gradients["dWaa"], dWaa, rtol=1e-12)
    g0 = flows_back(parameters["Waa"], a[:, :, 0], g)  # a⟨0⟩ has no output of its own: no da term
    np.testing.assert_allclose(gradients["da0"], g0, rtol=1e-12)


def _jacobian_fd(parameters, x, a0, t):
    """∂a⟨T⟩/∂a⟨t⟩ for sample 0 (steps counted from 1), by central differences on a⟨t⟩ and nn's forward pass."""
    a, _, _ = rnn.rnn_forward(x, a0, parameters)
    start, rest = (a0, x) if t == 0 else (a[:, :, t - 1], x[:, :, t:])
    n_a, h = a0.shape[0], 1e-6
    columns = []
    for q in range(n_a):
        bump = np.zeros_like(start)
        bump[q, 0] = h
        plus, minus = (
            rnn.rnn_forward(rest, start + bump, parameters)[0],
            rnn.rnn_forward(rest, start - bump, parameters)[0],
        )
        columns.append((plus[:, 0, -1] - minus[:, 0, -1]) / (2 * h))
    return np.stack(columns, axis=1), a


def test_the_jacobian_product_and_its_norm_bound():
    """∂a⟨T⟩/∂a⟨t⟩ is 𝒥⟨T⟩ ⋯ 𝒥⟨t+1⟩ with 𝒥⟨s⟩ = diag(1 − a⟨s⟩²) Waa (rnn.bptt steps 1-3), each new factor on the
    side step 2 proves; its norm is at most (γ ‖Waa‖₂)^(T − t) <= ‖Waa‖₂^(T − t), with γ <= 1 (steps 9, 10)."""
    rng = np.random.default_rng(2)
    n_x, n_a, T, t = 2, 3, 6, 2
    parameters = rnn_parameters(rng, n_x, n_a, 1)
    x, a0, _ = sequence(rng, n_x, n_a, 1, T)
    fd, a = _jacobian_fd(parameters, x, a0, t)
    one_step = BPTT.steps[0].rhs.subs({derived.k: 0, derived.l: 0})  # (1 − a⟨t⟩_p0²) Waa_pq, sample 0
    back_one = BPTT.steps[1].rhs.parent  # ∂a⟨T⟩/∂a⟨t−1⟩ as the product of ∂a⟨T⟩/∂a⟨t⟩ and 𝒥⟨t⟩, in its order
    new_on_the_right = back_one.args[-1] == derived.step_jacobian(derived.t)
    product = np.eye(n_a)
    for s in range(T, t, -1):  # from ∂a⟨T⟩/∂a⟨T⟩ = I back to ∂a⟨T⟩/∂a⟨t⟩
        jacobian = np.array(
            [
                [
                    float(
                        one_step.subs({derived.p: p, derived.q: q}).subs(
                            {derived.a_t[p, 0]: a[p, 0, s - 1], derived.Waa[p, q]: parameters["Waa"][p, q]}
                        )
                    )
                    for q in range(n_a)
                ]
                for p in range(n_a)
            ]
        )
        product = product @ jacobian if new_on_the_right else jacobian @ product
    np.testing.assert_allclose(fd, product, rtol=1e-7, atol=1e-9)
    gamma = max(np.max(np.abs(1 - a[:, 0, s - 1] ** 2)) for s in range(t + 1, T + 1))
    bound = sp.lambdify((derived.gamma, derived.w_norm, derived.T, derived.t), BPTT.result.rhs, "numpy")
    assert np.linalg.norm(fd, 2) <= bound(gamma, np.linalg.norm(parameters["Waa"], 2), T, t) * (1 + 1e-9)
    slopes = BPTT.steps[8]  # every 1 − a² in (0, 1], so γ <= 1
    assert all(bool(slopes.rhs.contains(float(1 - value**2))) for value in a[:, 0, :].ravel())
    weaker = BPTT.steps[9]  # so the bound is at most ‖Waa‖₂^(T − t)
    at = {derived.gamma: gamma, derived.w_norm: np.linalg.norm(parameters["Waa"], 2), derived.T: T, derived.t: t}
    assert float(weaker.lhs.subs(at)) <= float(weaker.rhs.subs(at))
    assert np.linalg.norm(fd, 2) <= float(weaker.rhs.subs(at)) * (1 + 1e-9)


#: The steps of rnn.bptt that docs/rnn.md cites by number, each with words its note must hold.
CITED_STEPS = {
    9: ("γ ≤ 1: every factor 1 − a²", "γ ≤ 1：𝒥⟨s⟩ 的每个因子 1 − a²"),
    10: ("≤ ‖Waa‖₂^(T−t)", "≤ ‖Waa‖₂^(T−t)"),
}


@pytest.mark.parametrize(("lang", "pattern"), [("en", r"\(step (\d+)\)"), ("zh", r"（第 (\d+) 步）")])
def test_the_step_numbers_the_page_cites_are_the_derivations(lang, pattern):
    """The vanishing-gradient section cites rnn.bptt's steps 9 (γ <= 1) and 10 (the bound without γ) by number:
    a step added or moved in the derivation must not leave the page pointing at another step."""
    page = (DOCS / ("rnn.md" if lang == "en" else "rnn.zh.md")).read_text()
    section = page[page.index("{#rnn-vanishing}") :]
    assert {int(number) for number in re.findall(pattern, section)} == set(CITED_STEPS)
    for number, words in CITED_STEPS.items():
        note = BPTT.steps[number - 1].note
        assert words[lang == "zh"] in say(note, lang), number


def test_lstm_cell_backward_is_the_derived_step():
    """Every gate's gradient and dc_prev from lstm.cell_backward's formulas, the matrices by the linear layer's rule."""
    rng = np.random.default_rng(3)
    n_x, n_a, m = 2, 3, 4
    parameters = lstm_parameters(rng, n_x, n_a, 2)
    xt, a_prev, c_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
    da_next, dc_next = rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
    _, c_next, _, cache = rnn.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    ft, it, cct, ot = cache[4:8]
    gradients = rnn.lstm_cell_backward(da_next, dc_next, cache)
    values = {derived.f: ft, derived.i_gate: it, derived.cc: cct, derived.o: ot, derived.c: c_next}
    values |= {derived.c_prev: c_prev, derived.da_next: da_next, derived.dc_next: dc_next}

    def evaluate(expression):
        symbols = sorted(expression.free_symbols, key=str)
        return sp.lambdify(symbols, expression, "numpy")(*(values[s] for s in symbols))

    values[derived.dc] = evaluate(LSTM.steps[0].rhs)  # both paths into c⟨t⟩
    dz = dict(zip("ocif", (evaluate(step.rhs) for step in LSTM.steps[1:5]), strict=True))
    stack = np.concatenate([a_prev, xt])
    for gate in "fico":
        np.testing.assert_allclose(gradients[f"dW{gate}"], dz[gate] @ stack.T, rtol=1e-12, err_msg=gate)
        np.testing.assert_allclose(gradients[f"db{gate}"], dz[gate].sum(axis=1, keepdims=True), rtol=1e-12)
    through_stack = sum(parameters[f"W{gate}"].T @ dz[gate] for gate in "fico")
    np.testing.assert_allclose(gradients["da_prev"], through_stack[:n_a], rtol=1e-12)
    np.testing.assert_allclose(gradients["dxt"], through_stack[n_a:], rtol=1e-12)
    np.testing.assert_allclose(gradients["dc_prev"], evaluate(LSTM.result.rhs), rtol=1e-12)


# --- finite differences and the complex step on whole sequences ------------------------------------


@pytest.mark.parametrize("network", ["rnn", "lstm"])
def test_backward_through_time_matches_finite_differences(network):
    rng = np.random.default_rng(4)
    n_x, n_a, m, T = 2, 3, 2, 3
    make, forward, backward, keys = {
        "rnn": (rnn_parameters, rnn.rnn_forward, rnn.rnn_backward, RNN_KEYS),
        "lstm": (lstm_parameters, rnn.lstm_forward, rnn.lstm_backward, LSTM_KEYS),
    }[network]
    parameters = make(rng, n_x, n_a, 2)
    x, a0, da = sequence(rng, n_x, n_a, m, T)
    gradients = backward(da, forward(x, a0, parameters)[-1])

    def J():
        return float(np.sum(forward(x, a0, parameters)[0] * da))

    for key, array in [*((key, parameters[key]) for key in keys), ("x", x), ("a0", a0)]:
        assert relative_error(gradients[f"d{key}"], central_differences(J, array)) < 1e-8, key


#: The LSTM backward equations as printed in public copies of the course's notebook "Building your Recurrent
#: Neural Network - Step by Step", transcribed into the derivation's symbols (Γ_u = i, Γ_f = f, Γ_o = o,
#: c̃ = cc, c_next = c⟨t⟩), each read as printed: a product binds tighter than a sum. v3 is
#: ashishupadhyaa/Deep-Learning-Specialization, "Sequence Models/Building a Recurrent Neural Network - Step by
#: Step - v3.ipynb" (commit 29db966); v3a, with the same equations (7)-(17), and the later version are
#: amanchadha/coursera-deep-learning-specialization, "C5 - Sequence Models/Week 1/Building a Recurrent Neural
#: Network - Step by Step/Building_a_Recurrent_Neural_Network_Step_by_Step_v3a.ipynb" and "…_Step_by_Step.ipynb"
#: (commit e9de0f4). docs/lstm.md#lstm-course-equations states what this test finds.
_f, _i, _cc, _o, _c, _c_prev = derived.f, derived.i_gate, derived.cc, derived.o, derived.c, derived.c_prev
_da, _dc = derived.da_next, derived.dc_next
_through_a = _o * (1 - sp.tanh(_c) ** 2)  # Γ_o (1 − tanh²(c_next))
_c_tilde_prev = sp.Symbol("c̃_prev")  # printed in v3's (10); the step has no such quantity
PRINTED = {
    "v3": {
        "o": _da * sp.tanh(_c) * _o * (1 - _o),  # (7)
        "c": _dc * _i + _through_a * _i * _da * _cc * (1 - sp.tanh(_cc) ** 2),  # (8)
        "i": _dc * _cc + _through_a * _cc * _da * _i * (1 - _i),  # (9)
        "f": _dc * _c_tilde_prev + _through_a * _c_prev * _da * _f * (1 - _f),  # (10)
        "dc_prev": _dc * _f + _through_a * _f * _da,  # (16)
    },
    "later": {
        "o": _da * sp.tanh(_c) * _o * (1 - _o),  # (7)
        "c": (_dc * _i + _through_a * _i * _da) * (1 - _cc**2),  # (8)
        "i": (_dc * _cc + _through_a * _cc * _da) * _i * (1 - _i),  # (9)
        "f": (_dc * _c_prev + _through_a * _c_prev * _da) * _f * (1 - _f),  # (10)
        "dc_prev": _dc * _f + _through_a * _f * _da,  # (20)
    },
}
#: What docs/lstm.md says of each: which printed formulas are the derivation's, which are not.
AGREES = {"v3": {"o", "dc_prev"}, "later": {"o", "c", "i", "f", "dc_prev"}}


@pytest.mark.parametrize("version", PRINTED)
def test_the_course_printed_lstm_equations_against_the_derivation(version):
    """An agreement is proved (SymPy, for all values); a disagreement is shown by one point where the two differ."""
    derived_rules = dict(zip("ocif", (step.rhs for step in LSTM.steps[1:5]), strict=True))
    derived_rules["dc_prev"] = LSTM.result.rhs
    for name, printed in PRINTED[version].items():
        difference = derived._in_z(printed) - derived._in_z(derived_rules[name])
        if name in AGREES[version]:
            assert derived._rational_zero(difference), name
        else:
            symbols = sorted(difference.free_symbols, key=str)
            at_a_point = sp.lambdify(symbols, difference, "math")(*(0.3 + 0.1 * k for k in range(len(symbols))))
            assert abs(at_a_point) > 1e-3, name


def test_the_course_printed_weight_slices():
    """v3 slices W_f[:n_a, :] for da_prev and W_f[n_a:, :] for dx⟨t⟩: all of W_f's n_a rows, then none. The later
    version's W_f[:, :n_a] and W_f[:, n_a:] are the blocks that multiply a⟨t−1⟩ and x⟨t⟩ in W_f [a⟨t−1⟩; x⟨t⟩]."""
    rng = np.random.default_rng(4)
    n_x, n_a, m = 2, 3, 4
    W = lstm_parameters(rng, n_x, n_a, 2)["Wf"]
    a_prev, xt = rng.normal(size=(n_a, m)), rng.normal(size=(n_x, m))
    assert W[:n_a, :].shape == W.shape == (n_a, n_a + n_x)  # v3's block for da_prev: the whole matrix
    assert W[n_a:, :].shape == (0, n_a + n_x)  # v3's block for dx⟨t⟩: no row at all
    stacked = W @ np.concatenate([a_prev, xt])
    np.testing.assert_allclose(stacked, W[:, :n_a] @ a_prev + W[:, n_a:] @ xt, rtol=1e-12)


def _complex_forward(network, x, a0, parameters):
    """The forward equations again, written here for complex input: a⟨1⟩ … a⟨T⟩ as (n_a, m, T)."""
    p, a, c, states = parameters, a0, np.zeros_like(a0), []
    for t in range(x.shape[2]):
        if network == "rnn":
            a = np.tanh(p["Waa"] @ a + p["Wax"] @ x[:, :, t] + p["ba"])
        else:
            stack = np.concatenate([a, x[:, :, t]])
            f, i, o = (1 / (1 + np.exp(-(p[f"W{g}"] @ stack + p[f"b{g}"]))) for g in "fio")
            c = f * c + i * np.tanh(p["Wc"] @ stack + p["bc"])
            a = o * np.tanh(c)
        states.append(a)
    return np.stack(states, axis=2)


@pytest.mark.parametrize("network", ["rnn", "lstm"])
def test_backward_through_time_matches_the_complex_step(network):
    rng = np.random.default_rng(5)
    n_x, n_a, m, T = 2, 2, 2, 4
    make, forward, backward, keys = NETWORKS[network]
    parameters = make(rng, n_x, n_a, 2)
    x, a0, da = sequence(rng, n_x, n_a, m, T)
    a, *_, caches = forward(x, a0, parameters)
    np.testing.assert_allclose(_complex_forward(network, x, a0, parameters), a, rtol=1e-13)  # the same equations
    gradients = backward(da, caches)
    for key in keys:
        step = np.zeros(parameters[key].shape, dtype=complex)
        estimate = np.zeros(parameters[key].shape)
        for index in np.ndindex(step.shape):
            step[index] = 1e-20j
            moved = {**parameters, key: parameters[key] + step}
            estimate[index] = np.sum(_complex_forward(network, x, a0, moved) * da).imag / 1e-20
            step[index] = 0
        np.testing.assert_allclose(gradients[f"d{key}"], estimate, rtol=1e-12, atol=1e-14, err_msg=key)


def test_float32_stays_float32_and_softmax_gives_distributions():
    rng = np.random.default_rng(6)
    x, a0, da = (array.astype(np.float32) for array in sequence(rng, 2, 3, 4, 5))
    for make, forward, backward in (
        (rnn_parameters, rnn.rnn_forward, rnn.rnn_backward),
        (lstm_parameters, rnn.lstm_forward, rnn.lstm_backward),
    ):
        parameters = make(rng, 2, 3, 4, dtype=np.float32)
        a, y, *_, caches = forward(x, a0, parameters)
        assert a.dtype == y.dtype == np.float32
        assert all(value.dtype == np.float32 for value in backward(da, caches).values())
        np.testing.assert_allclose(y.sum(axis=0), 1, rtol=1e-6)  # softmax over the n_y rows of every step
        assert y.shape == (4, 4, 5)


def test_the_forward_pass_is_the_course_equations_with_c0_zero():
    rng = np.random.default_rng(7)
    parameters = lstm_parameters(rng, 2, 3, 2)
    x, a0, _ = sequence(rng, 2, 3, 2, 3)
    a, y, c, caches = rnn.lstm_forward(x, a0, parameters)
    a1, c1, y1, _ = rnn.lstm_cell_forward(x[:, :, 0], a0, np.zeros_like(a0), parameters)
    np.testing.assert_array_equal(a[:, :, 0], a1)
    np.testing.assert_array_equal(c[:, :, 0], c1)
    np.testing.assert_array_equal(y[:, :, 0], y1)
    assert len(caches[0]) == 3
    assert caches[1] is x


def test_huge_pre_activations_give_no_warning():
    """The gates and the softmax exponentiate only −|z|: no overflow (pytest turns warnings into errors)."""
    rng = np.random.default_rng(8)
    parameters = {key: 1e3 * value for key, value in lstm_parameters(rng, 2, 3, 2).items()}
    a, y, c, _ = rnn.lstm_forward(1e3 * rng.normal(size=(2, 2, 3)), np.zeros((3, 2)), parameters)
    for array in (a, y, c):
        assert np.all(np.isfinite(array))


def _overflowing(kind):
    """Inputs of ``kind``'s passes whose finite entries overflow: x = 1e308 against weights of 10 forward, and
    upstream gradients of 1.7e308 backward (one step's and the whole pass's)."""
    x, a0, parameters = default_inputs(kind)
    weights = [name for name in parameters if name.startswith("W")]
    large = {**parameters, **{name: np.full(parameters[name].shape, 10.0) for name in weights}}
    x_large = np.full(x.shape, 1e308)
    caches = (rnn.rnn_forward if kind == "rnn" else rnn.lstm_forward)(x, a0, parameters)[-1]
    da = np.full((a0.shape[0], *x.shape[1:]), 1.7e308)
    if kind == "rnn":
        return {
            rnn.rnn_forward: (x_large, a0, large), rnn.rnn_cell_forward: (x_large[:, :, 0], a0, large),
            rnn.rnn_backward: (da, caches), rnn.rnn_cell_backward: (da[:, :, 0], caches[0][0]),
        }  # fmt: skip
    return {
        rnn.lstm_forward: (x_large, a0, large), rnn.lstm_cell_forward: (x_large[:, :, 0], a0, a0, large),
        rnn.lstm_backward: (da, caches), rnn.lstm_cell_backward: (da[:, :, 0], da[:, :, 0], caches[0][0]),
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_finite_entries_whose_products_or_sums_overflow_are_named(kind):
    """Too large for a float result, forward or backward, one step or all of them: a ValueError naming what
    overflowed and which inputs to rescale, not a RuntimeWarning and inf (pytest turns warnings into errors)."""
    for function, arguments in _overflowing(kind).items():
        what = r"a step's gradients" if "backward" in function.__name__ else re.escape(
            "a step's Waa a⟨t-1⟩ + Wax x⟨t⟩ + ba or Wya a⟨t⟩ + by" if kind == "rnn"
            else "a gate's W [a⟨t-1⟩; x⟨t⟩] + b or Wy a⟨t⟩ + by"
        )  # fmt: skip
        with pytest.raises(ValueError, match=rf"^{what} overflowed \(overflow encountered in \w+\): the entries of "):
            function(*arguments)


# --- clip -----------------------------------------------------------------------------------------


def test_clip_bounds_every_entry_and_returns_a_new_dict():
    gradients = {"dWaa": np.array([[-7.0, 0.5], [12.0, -5.0]]), "db": np.array([[5.5]])}
    clipped = rnn.clip(gradients, 5)
    np.testing.assert_array_equal(clipped["dWaa"], [[-5.0, 0.5], [5.0, -5.0]])
    np.testing.assert_array_equal(clipped["db"], [[5.0]])
    assert gradients["dWaa"][0, 0] == -7.0  # the input is not changed


@pytest.mark.parametrize("maxValue", [10**400, 1e10, np.float32(1e30)])
def test_clip_to_a_bound_past_a_gradients_dtype_cuts_nothing(maxValue):
    """A bound beyond the largest entry a dtype holds (an int past the floats, 1e10 for float16, a float32 bound
    beyond float16's) leaves every entry as it is, with no error and no RuntimeWarning of a cast's overflow."""
    gradients = {"dWaa": np.array([[-7.0, 6e4]], np.float16), "dba": np.array([[-1e5], [5.0]])}
    clipped = rnn.clip(gradients, maxValue)
    for key, gradient in gradients.items():
        assert clipped[key].dtype == gradient.dtype
        np.testing.assert_array_equal(clipped[key], gradient)
    # a numpy bound is compared as its value: np.float32(3) cuts a float64 gradient at 3
    np.testing.assert_array_equal(rnn.clip(gradients, np.float32(3))["dba"], [[-3.0], [3.0]])


@pytest.mark.parametrize(
    ("gradients", "maxValue", "message"),
    [
        ({"dWaa": np.ones(2)}, 0, "maxValue must be a positive finite number; got 0"),
        ({"dWaa": np.ones(2)}, np.inf, "positive finite"),
        ({"dWaa": np.ones(2)}, "5", "maxValue must be a positive number; got str"),
        ([np.ones(2)], 5, "gradients must be a dict of arrays"),
        ({"dWaa": "big"}, 5, r"gradients\['dWaa'\] must be a real array"),
    ],
)
def test_clip_errors(gradients, maxValue, message):
    with pytest.raises(ValueError, match=message):
        rnn.clip(gradients, maxValue)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_clip_refuses_a_gradient_that_is_not_finite(bad):
    """np.clip would pass a NaN on and cut an inf to ±maxValue; clip names the entry instead (docs/rnn.md)."""
    gradients = {"dWax": np.ones((2, 2)), "dWaa": np.array([[0.5, 1.0], [bad, -7.0]])}
    with pytest.raises(InputError) as caught:
        rnn.clip(gradients, 5)
    assert str(caught.value) == (
        "gradients['dWaa'] contains NaN or inf (1 entries, the first at index (1, 0)): "
        "every entry of gradients['dWaa'] must be finite"
    )
    assert "第一个在下标 (1, 0) 处" in caught.value.text("zh")


# --- clear errors in the docs' notation ------------------------------------------------------------


def _broken(kind, **changes):
    rng = np.random.default_rng(9)
    parameters = (rnn_parameters if kind == "rnn" else lstm_parameters)(rng, 2, 3, 2)
    for key, value in changes.items():
        if value is None:
            del parameters[key]
        else:
            parameters[key] = value
    return parameters


def _caches(kind, m=4):
    """The caches of a 5-step forward pass with n_x = 2, n_a = 3 and m samples."""
    forward = rnn.rnn_forward if kind == "rnn" else rnn.lstm_forward
    return forward(np.ones((2, m, 5)), np.ones((3, m)), _broken(kind))[-1]


def _step(kind, entry, value, m=4):
    """The first step cache of a forward pass with n_x = 2, n_a = 3 and m samples, with entry ``entry`` set to
    ``value`` (None: as it is)."""
    cache = list(_caches(kind, m)[0][0])
    if value is not None:
        cache[entry] = value
    return tuple(cache)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: rnn.rnn_forward(np.ones((2, 4)), np.ones((3, 4)), _broken("rnn")),
            r"x must be 3-D, shape \(n_x, m, T_x\)",
        ),
        (
            lambda: rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((3, 2)), _broken("rnn")),
            r"a0 has 2 columns but the input has m = 4",
        ),
        (
            lambda: rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("rnn", Waa=None)),
            "parameters lacks Waa",
        ),
        (
            lambda: rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("rnn", Wax=np.ones((3, 3)))),
            r"Wax has shape \(3, 3\) but n_x = 2, n_a = 3 \(the rows of x and a0\): Wax must be \(n_a, n_x\)",
        ),
        (
            lambda: rnn.rnn_cell_forward(np.ones((2, 4)), np.ones((3, 4)), _broken("rnn", ba=np.ones(3))),
            r"ba must be 2-D, of shape \(n_a, 1\)",
        ),
        (
            lambda: rnn.lstm_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("lstm", Wf=np.ones((3, 2)))),
            r"Wf has shape \(3, 2\) but n_x = 2, n_a = 3 \(the rows of x and a0\): Wf must be \(n_a, n_a \+ n_x\)",
        ),
        (
            lambda: rnn.lstm_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("lstm", bo=None)),
            "parameters lacks bo",
        ),
        (
            lambda: rnn.lstm_cell_forward(np.ones((2, 4)), np.ones((3, 4)), np.ones((2, 4)), _broken("lstm")),
            r"c_prev has 2 rows but the hidden state has n_a = 3",
        ),
        (
            lambda: rnn.rnn_forward(np.ones((2, 4, 5), dtype=int), np.ones((3, 4)), _broken("rnn")),
            "x must be a floating-point",
        ),
        (lambda: rnn.rnn_forward(np.full((2, 4, 5), np.nan), np.ones((3, 4)), _broken("rnn")), "x contains NaN or inf"),
        (lambda: rnn.rnn_backward(np.ones((3, 4, 5)), ([], np.ones((2, 4, 5)))), "caches must be"),
        (
            lambda: rnn.rnn_cell_backward(np.ones((3, 4)), (1, 2)),
            r"cache must be the tuple \(a_next, a_prev, xt, parameters\)",
        ),
        (  # a0 with 4 rows against parameters made for n_a = 3: the message says where n_a = 4 comes from
            lambda: rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((4, 4)), _broken("rnn")),
            r"Wax has shape \(3, 2\) but n_x = 2, n_a = 4 \(the rows of x and a0\): Wax must be \(n_a, n_x\)",
        ),
        (
            lambda: rnn.lstm_cell_forward(np.ones((2, 4)), np.ones((4, 4)), np.ones((4, 4)), _broken("lstm")),
            r"Wf has shape \(3, 5\) but n_x = 2, n_a = 4 \(the rows of xt and a_prev\)",
        ),
        (
            lambda: rnn.rnn_cell_backward(np.ones((3, 4)), (1, 2, 3, 4)),
            r"cache must be the tuple \(a_next, a_prev, xt, parameters\) that rnn_cell_forward returns: 2-D arrays",
        ),
        (
            lambda: rnn.lstm_backward(np.ones((3, 4, 5)), ([*_caches("lstm")[0][:-1], (1,) * 10], None)),
            r"cache must be the tuple \(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters\) that "
            "lstm_cell_forward returns: 2-D arrays",
        ),
        (
            lambda: rnn.rnn_backward(np.ones((3, 4, 5)), (_caches("rnn")[0], None)),
            r"caches\[1\] must be the x of \(n_x, m, T_x\) = \(2, 4, 5\) that rnn_forward ran on; got a NoneType",
        ),
        (  # the x of a shorter run: T_x = 3 where the step caches are 5
            lambda: rnn.lstm_backward(np.ones((3, 4, 5)), (_caches("lstm")[0], np.ones((2, 4, 3)))),
            r"caches\[1\] must be the x of \(n_x, m, T_x\) = \(2, 4, 5\) that lstm_forward ran on; got shape \(2, 4, 3",
        ),
        # a step cache whose entries do not fit one another: a raw KeyError or matmul error, or (a_prev, a gate,
        # xt of the wrong rows) a gradient of the wrong shape, broadcast without a word
        (
            lambda: rnn.rnn_cell_backward(np.ones((3, 4)), _step("rnn", 3, {"Wax": np.ones((3, 2))})),
            r"parameters lacks Waa, Wya, ba, by: this network needs Wax, Waa, Wya, ba, by",
        ),
        (
            lambda: rnn.rnn_cell_backward(np.ones((3, 4)), _step("rnn", 3, _broken("rnn", Waa=np.ones((2, 2))))),
            r"Waa has shape \(2, 2\) but n_x = 2, n_a = 3 \(the rows of xt and a_next\): Waa must be \(n_a, n_a\)",
        ),
        (
            lambda: rnn.rnn_cell_backward(np.ones((3, 4)), _step("rnn", 1, np.ones((1, 4)))),
            r"a_prev has 1 rows but the hidden state has n_a = 3: a_prev must be \(n_a, m\)",
        ),
        (
            lambda: rnn.lstm_cell_backward(np.ones((3, 4)), np.ones((3, 4)), _step("lstm", 4, np.ones((1, 4)))),
            r"ft has 1 rows but the hidden state has n_a = 3: ft must be \(n_a, m\)",
        ),
        (
            lambda: rnn.lstm_cell_backward(np.ones((3, 4)), np.ones((3, 4)), _step("lstm", 8, np.ones((1, 4)))),
            r"Wf has shape \(3, 5\) but n_x = 1, n_a = 3 \(the rows of xt and a_next\)",
        ),
        (
            lambda: rnn.lstm_cell_backward(np.ones((3, 4)), np.ones((3, 4)), _step("lstm", 2, np.ones((3, 4), int))),
            r"a_prev must be a floating-point numpy array",
        ),
        (  # step 2 of a run on 2 samples among the steps of a run on 4
            lambda: rnn.rnn_backward(np.ones((3, 4, 5)), ([*_caches("rnn")[0][:2], _step("rnn", 0, None, m=2),
                                                            *_caches("rnn")[0][3:]], np.ones((2, 4, 5)))),
            r"caches\[0\]\[2\] has a_next \(3, 2\) and xt \(2, 2\) but caches\[0\]\[0\] has \(3, 4\) and \(2, 4\): "
            r"every step of one rnn_forward has the same n_a, n_x and m",
        ),
    ],
)  # fmt: skip
def test_bad_inputs_are_named_in_the_docs_notation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("page", "lang", "start"), [("rnn.md", "en", "Wax has shape"), ("rnn.zh.md", "zh", "Wax 的维度是")]
)
def test_the_error_the_page_quotes_is_the_one_raised(page, lang, start):
    text = re.sub(r"\s+", " ", (DOCS / page).read_text())
    quoted = re.search(rf"`({start} [^`]*)`", text).group(1)
    with pytest.raises(ValueError, match="Wax has shape") as raised:
        rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("rnn", Wax=np.ones((3, 3))))
    assert raised.value.text(lang) == quoted


def test_other_entries_of_the_parameters_play_no_part():
    """Only the network's own parameters set the dtype: a name or a float64 note beside float32 weights is ignored."""
    parameters = {key: value.astype(np.float32) for key, value in _broken("rnn").items()}
    parameters |= {"name": "rnn", "note": np.ones(2)}
    x, a0 = np.ones((2, 4, 5), np.float32), np.ones((3, 4), np.float32)
    a, y, caches = rnn.rnn_forward(x, a0, parameters)
    assert a.dtype == y.dtype == np.float32
    assert all(value.dtype == np.float32 for value in rnn.rnn_backward(np.ones_like(a), caches).values())


def test_da_must_match_the_forward_pass():
    parameters = _broken("rnn")
    _, _, caches = rnn.rnn_forward(np.ones((2, 4, 5)), np.ones((3, 4)), parameters)
    with pytest.raises(ValueError, match=r"da has shape \(3, 4, 4\) but the forward pass had n_a = 3, m = 4, T_x = 5"):
        rnn.rnn_backward(np.ones((3, 4, 4)), caches)
    _, _, _, caches = rnn.lstm_forward(np.ones((2, 4, 5)), np.ones((3, 4)), _broken("lstm"))
    with pytest.raises(ValueError, match=r"dc_next has 2 rows"):
        rnn.lstm_cell_backward(np.ones((3, 4)), np.ones((2, 4)), caches[0][0])


# --- slow: Hypothesis over the sizes, PyTorch, the derivations rejecting the known mistakes ----------


@pytest.mark.slow
def test_any_sizes_match_the_complex_step():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(
        network=st.sampled_from(["rnn", "lstm"]),
        sizes=st.tuples(*(st.integers(1, 4) for _ in range(5))),
        seed=st.integers(0, 2**16),
    )
    def check(network, sizes, seed):
        n_x, n_a, n_y, m, T = sizes
        rng = np.random.default_rng(seed)
        make, forward, backward, keys = NETWORKS[network]
        parameters = make(rng, n_x, n_a, n_y)
        x, a0, da = sequence(rng, n_x, n_a, m, T)
        a, y, *_, caches = forward(x, a0, parameters)
        assert a.shape == (n_a, m, T)
        assert y.shape == (n_y, m, T)
        gradients = backward(da, caches)
        assert gradients["dx"].shape == x.shape
        assert gradients["da0"].shape == a0.shape
        for key in keys:
            direction = rng.normal(size=parameters[key].shape)
            moved = {**parameters, key: parameters[key] + 1e-20j * direction}
            estimate = np.sum(_complex_forward(network, x, a0, moved) * da).imag / 1e-20
            assert np.sum(gradients[f"d{key}"] * direction) == pytest.approx(estimate, rel=1e-9, abs=1e-12), key

    check()


@pytest.mark.slow
@pytest.mark.parametrize("network", ["rnn", "lstm"])
def test_agrees_with_pytorch_autograd(network):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(10)
    n_x, n_a, m, T = 3, 4, 5, 6
    make, forward, backward, keys = NETWORKS[network]
    parameters = make(rng, n_x, n_a, 2)
    x, a0, da = sequence(rng, n_x, n_a, m, T)
    gradients = backward(da, forward(x, a0, parameters)[-1])
    p = {key: torch.tensor(parameters[key], requires_grad=True) for key in keys}
    x_, a = torch.tensor(x, requires_grad=True), torch.tensor(a0, requires_grad=True)
    c, J = torch.zeros_like(a), 0
    for t in range(T):
        if network == "rnn":
            a_next = torch.tanh(p["Waa"] @ a + p["Wax"] @ x_[:, :, t] + p["ba"])
        else:
            stack = torch.cat([a, x_[:, :, t]])
            f, i, o = (torch.sigmoid(p[f"W{g}"] @ stack + p[f"b{g}"]) for g in "fio")
            c = f * c + i * torch.tanh(p["Wc"] @ stack + p["bc"])
            a_next = o * torch.tanh(c)
        J = J + (a_next * torch.tensor(da[:, :, t])).sum()
        a = a_next
    J.backward()
    for key in keys:
        assert relative_error(gradients[f"d{key}"], p[key].grad.numpy()) < 1e-12, key
    assert relative_error(gradients["dx"], x_.grad.numpy()) < 1e-12


PARTIAL_T = BPTT.steps[1].rhs.parent.args[0]  # ∂a⟨T⟩/∂a⟨t⟩
DTANH_FROM_A_PREV = 1 - derived.a_prev[derived.p, derived.k] ** 2  # tanh′ from the step's input, not its output


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "index", "wrong"),
    [
        ("lstm.cell_backward", "result", derived.dc_next * derived.f),  # dc_prev without the path through tanh(c)
        ("lstm.cell_backward", "result", derived.dc),  # dc_prev without f
        (
            "rnn.cell_backward",
            1,
            derived.indexed("da_next", "da_{next}")[derived.i, derived.k] * (1 - derived.a_t[derived.i, derived.k]),
        ),  # 1 − a, not 1 − a²
        ("rnn.bptt", 6, sp.Sum(derived.G[derived.s], (derived.s, derived.t + 1, derived.T))),  # step t's own dropped
        ("rnn.bptt", 5, sp.Sum(derived.G[derived.s], (derived.s, 2, derived.T))),  # the first step's own dropped
        ("rnn.bptt", 1, MatrixElement(derived.step_jacobian(derived.t) * PARTIAL_T, derived.r, derived.q)),  # J P
        (
            "rnn.bptt",
            0,
            sp.KroneckerDelta(derived.k, derived.l) * DTANH_FROM_A_PREV * derived.Waa[derived.p, derived.q],
        ),
        ("rnn.bptt", "result", (derived.gamma * derived.w_norm) ** (derived.T - derived.t + 1)),
        ("rnn.bptt", 8, sp.Interval.open(0, 1)),  # tanh′(0) = 1, so the slope's bound 1 is reached
        ("rnn.bptt", 8, sp.Interval.Lopen(0, sp.Rational(1, 2))),  # a bound tighter than 1
        ("rnn.bptt", 9, derived.w_norm ** (derived.T - derived.t - 1)),  # one power too few
        ("rnn.bptt", 9, derived.gamma ** (derived.T - derived.t)),  # ‖Waa‖₂ dropped: it may exceed 1
    ],
)
def test_the_derivations_reject_the_known_mistakes(key, index, wrong):
    step = derivations.get(key).result if index == "result" else derivations.get(key).steps[index]
    meaning = step.lhs if step.meaning is None else step.meaning
    assert step.proof(meaning.doit(), step.rhs)
    assert not step.proof(meaning.doit(), wrong)
