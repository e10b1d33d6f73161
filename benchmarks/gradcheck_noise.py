"""A labelled set of correct and buggy gradient functions, and how each checker classifies them.

Run from the project root: ``python benchmarks/gradcheck_noise.py`` prints the confusion matrix
(false alarms, misses, "cannot tell") of ``nn.gradcheck.check_function`` in each mode, of
``torch.autograd.gradcheck`` at its defaults (when PyTorch is installed), and of the course's
check (one vector of all parameters, ε = 1e-7, a bug above 2e-7), side by side; ``--write``
also writes that table into docs/gradcheck.md and its Chinese twin, ``--cases`` lists every
case with each checker's verdict.

The set: six families of costs (the saturated logistic unit is the logistic one with weights ×6),
each a function with its exact gradient, moved to other
scales by \\(J_{c,s}(\\theta) = c\\,J(\\theta / s)\\), whose gradient is \\((c/s)\\,\\nabla J(\\theta / s)\\), so
the cost spans 1e-8 to 1e8 and the parameters 1e-4 to 1e3 in float64 (in float32: costs 1e-8, 1
and 1e8, parameters unscaled, and its bugs, a factor and a sign, at scale 1). The bugs are
changes to the correct gradient: a factor 1.001 on a block, one entry off by 1 % of the block's
largest, a sign, a transpose of a square block, a missing or an extra 1/m, and known mistakes
written into the family's own backward pass (the output delta without its target, tanh′ as
1 − A, the softmax Jacobian's diagonal only).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn.gradcheck import WeakCheckWarning, check_function  # noqa: E402

MODES = ("full", "directional", "complex")


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def softplus(Z):
    """log(1 + e^z) by a formula that also takes complex z (no max, no abs)."""
    return np.log1p(np.exp(Z))


# Each family: family(rng, dtype, mistake) -> (cost, gradients, parameters, m), m None for a sum.
def summed_square(rng, dtype, mistake=""):
    """J = ½‖A W‖² + ½‖b − t‖²: a sum of squares with no 1/m, W square."""
    A, t = rng.standard_normal((10, 6)).astype(dtype), rng.standard_normal(6).astype(dtype)

    def cost(p):
        return 0.5 * np.sum((A @ p["W"]) ** 2) + 0.5 * np.sum((p["b"] - t) ** 2)

    def gradients(p):
        return {"W": A.T @ (A @ p["W"]), "b": p["b"] - t}

    return cost, gradients, {"W": rng.standard_normal((6, 6)), "b": rng.standard_normal(6)}, None


def logistic(rng, dtype, mistake="", weight=1.0):
    """Mean cross-entropy of one logistic unit; ``weight`` scales w (6: saturated units)."""
    m = 60
    X = rng.standard_normal((3, m)).astype(dtype)
    Y = (rng.random((1, m)) < sigmoid(X[:1] - X[1:2])).astype(dtype)

    def cost(p):
        Z = p["w"].T @ X + p["b"]
        return np.sum(Y * softplus(-Z) + (1 - Y) * softplus(Z)) / m

    def gradients(p):
        A = sigmoid(p["w"].T @ X + p["b"])
        dZ = A if mistake == "output-no-target" else A - Y
        return {"w": X @ dZ.T / m, "b": np.sum(dZ, axis=1) / m}

    return cost, gradients, {"w": weight * rng.standard_normal((3, 1)), "b": np.array([0.3])}, m


def saturated_logistic(rng, dtype, mistake=""):
    return logistic(rng, dtype, mistake, weight=6.0)


def softmax_regression(rng, dtype, mistake=""):
    """Mean cross-entropy of a softmax over 4 classes, W square."""
    m = 40
    X = rng.standard_normal((4, m)).astype(dtype)
    Y = np.eye(4, dtype=dtype)[:, rng.integers(0, 4, m)]

    def softmax(Z):
        E = np.exp(Z)
        return E / E.sum(axis=0, keepdims=True)

    def cost(p):
        Z = p["W"] @ X + p["b"]
        return -np.sum(Y * (Z - np.log(np.sum(np.exp(Z), axis=0, keepdims=True)))) / m

    def gradients(p):
        S = softmax(p["W"] @ X + p["b"])
        dZ = -Y * (1 - S) if mistake == "softmax-diagonal" else S - Y  # diagonal: S(1 − S) ⊙ (−Y/S)
        return {"W": dZ @ X.T / m, "b": dZ.sum(axis=1, keepdims=True) / m}

    return cost, gradients, {"W": rng.standard_normal((4, 4)), "b": 0.1 * rng.standard_normal((4, 1))}, m


def tanh_network(rng, dtype, mistake=""):
    """A tanh hidden layer of 5 units and a sigmoid output, mean cross-entropy, W1 square."""
    m = 30
    X = rng.standard_normal((5, m)).astype(dtype)
    Y = (rng.random((1, m)) < 0.5).astype(dtype)

    def cost(p):
        Z2 = p["W2"] @ np.tanh(p["W1"] @ X + p["b1"]) + p["b2"]
        return np.sum(Y * softplus(-Z2) + (1 - Y) * softplus(Z2)) / m

    def gradients(p):
        A1 = np.tanh(p["W1"] @ X + p["b1"])
        A2 = sigmoid(p["W2"] @ A1 + p["b2"])
        dZ2 = A2 - Y
        slope = 1 - A1 if mistake == "tanh-1-A" else 1 - A1**2
        dZ1 = (p["W2"].T @ dZ2) * slope
        return {
            "W1": dZ1 @ X.T / m,
            "b1": dZ1.sum(axis=1, keepdims=True) / m,
            "W2": dZ2 @ A1.T / m,
            "b2": dZ2.sum(axis=1, keepdims=True) / m,
        }

    parameters = {
        "W1": rng.standard_normal((5, 5)),
        "b1": 0.1 * rng.standard_normal((5, 1)),
        "W2": rng.standard_normal((1, 5)),
        "b2": np.zeros((1, 1)),
    }
    return cost, gradients, parameters, m


def one_large_block(rng, dtype, mistake=""):
    """A 30 × 40 W (1200 entries) beside a scalar c whose slope is a thousandth of W's: mean square error."""
    m = 20
    X, Y = rng.standard_normal((40, m)).astype(dtype), rng.standard_normal((30, m)).astype(dtype)

    def cost(p):
        return 0.5 * np.sum((p["W"] @ X - Y) ** 2) / m + 1e-3 * np.sum(np.tanh(p["c"]))

    def gradients(p):
        return {"W": (p["W"] @ X - Y) @ X.T / m, "c": 1e-3 * (1 - np.tanh(p["c"]) ** 2)}

    return cost, gradients, {"W": 0.2 * rng.standard_normal((30, 40)), "c": np.array([0.4])}, m


FAMILIES = {
    "summed square": summed_square,
    "logistic": logistic,
    "saturated logistic": saturated_logistic,
    "softmax": softmax_regression,
    "tanh network": tanh_network,
    "one large block": one_large_block,
}
#: (c, s): the cost is multiplied by c and the parameters by s.
SCALES = [(1.0, 1.0), (1e8, 1.0), (1e-8, 1.0), (1.0, 1e3), (1.0, 1e-4), (1e4, 1e-2)]


@dataclasses.dataclass
class Case:
    name: str
    buggy: bool
    dtype: np.dtype
    cost: Callable
    gradients: Callable
    parameters: dict


def scaled(family, c, s, dtype, seed, mistake="", change=None) -> Case:
    """The family's problem with J multiplied by c and θ by s, in ``dtype``; ``change(grads, m)``
    plants a bug in the gradient, ``mistake`` one of the family's known mistakes."""
    cost, gradients, parameters, m = FAMILIES[family](np.random.default_rng(seed), dtype, mistake)
    parameters = {key: (s * value).astype(dtype) for key, value in parameters.items()}

    def scaled_cost(p):
        return c * cost({key: value / s for key, value in p.items()})

    def scaled_gradients(p):
        grads = {key: (c / s) * value for key, value in gradients({key: v / s for key, v in p.items()}).items()}
        return change(grads, m) if change else grads

    label = f"{family}, J×{c:g}, θ×{s:g}, {np.dtype(dtype).name}"
    bug = mistake or (change.__doc__ if change else "")
    name = f"{label}: {bug}" if bug else label
    return Case(name, bool(bug), np.dtype(dtype), scaled_cost, scaled_gradients, parameters)


def first_block(grads):
    return next(iter(grads))


def factor(grads, m):
    """a factor 1.001 on the first block"""
    key = first_block(grads)
    return {**grads, key: grads[key] * 1.001}


def one_entry(grads, m):
    """one entry of the last block off by 1 % of its largest"""
    key = list(grads)[-1]
    G = np.array(grads[key], copy=True)
    G.flat[G.size // 2] += 0.01 * np.max(np.abs(G))
    return {**grads, key: G}


def sign(grads, m):
    """the last block's sign flipped"""
    key = list(grads)[-1]
    return {**grads, key: -grads[key]}


def transpose(grads, m):
    """the square block transposed"""
    key = next(key for key, G in grads.items() if G.ndim == 2 and G.shape[0] == G.shape[1] > 1)
    return {**grads, key: grads[key].T}


def missing_one_over_m(grads, m):
    """the first block without its 1/m"""
    key = first_block(grads)
    return {**grads, key: grads[key] * m}


def extra_one_over_m(grads, m):
    """the last block divided by m twice"""
    key = list(grads)[-1]
    return {**grads, key: grads[key] / m}


def cases() -> list[Case]:
    """The labelled set, in a fixed order."""
    correct, buggy = [], []
    for i, family in enumerate(FAMILIES):
        for j, (c, s) in enumerate(SCALES):
            correct.append(scaled(family, c, s, np.float64, seed=10 * i + j))
        for c, s in SCALES[:3]:
            correct.append(scaled(family, c, s, np.float32, seed=10 * i))
    changes = [factor, one_entry, sign, transpose, missing_one_over_m, extra_one_over_m]
    for i, family in enumerate(FAMILIES):
        for j, change in enumerate(changes):
            if change is transpose and family in ("logistic", "saturated logistic", "one large block"):
                continue
            if change in (missing_one_over_m, extra_one_over_m) and family == "summed square":
                continue
            c, s = SCALES[(i + j) % len(SCALES)]
            buggy.append(scaled(family, c, s, np.float64, seed=10 * i + j, change=change))
        buggy.append(scaled(family, 1.0, 1.0, np.float32, seed=10 * i, change=factor))
        buggy.append(scaled(family, 1.0, 1.0, np.float32, seed=10 * i, change=sign))
    for family, mistake in [
        ("logistic", "output-no-target"),
        ("saturated logistic", "output-no-target"),
        ("softmax", "softmax-diagonal"),
        ("tanh network", "tanh-1-A"),
    ]:
        for c, s in SCALES[:4]:
            buggy.append(scaled(family, c, s, np.float64, seed=7, mistake=mistake))
    return correct + buggy


# Each checker: checker(case) -> "pass", "fail" or "cannot tell".
def ours(mode):
    def checker(case):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WeakCheckWarning)
            report = check_function(case.cost, case.gradients, case.parameters, mode=mode)
        return "fail" if report.failed else "cannot tell" if report.undecided else "pass"

    return checker


def course(case, epsilon=1e-7, threshold=2e-7):
    """The course's check: all parameters as one vector, a central difference with ε = 1e-7 per
    entry, and difference = ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) above 2e-7 read as a bug."""
    keys, params = list(case.parameters), case.parameters
    theta = np.concatenate([params[key].ravel() for key in keys])
    grads = case.gradients(params)
    g = np.concatenate([np.asarray(grads[key], dtype=np.float64).ravel() for key in keys])

    def unflatten(vector):
        out, start = {}, 0
        for key in keys:
            size = params[key].size
            out[key] = vector[start : start + size].reshape(params[key].shape).astype(params[key].dtype)
            start += size
        return out

    numeric = np.empty_like(g)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        numeric[i] = (float(case.cost(unflatten(plus))) - float(case.cost(unflatten(minus)))) / (2 * epsilon)
    difference = np.linalg.norm(g - numeric) / (np.linalg.norm(g) + np.linalg.norm(numeric))
    return "fail" if difference > threshold else "pass"


def torch_gradcheck():
    """``torch.autograd.gradcheck`` at its defaults on a Function whose forward is the case's cost
    and whose backward returns the case's gradients; None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None

    def checker(case):
        keys = list(case.parameters)

        class Learner(torch.autograd.Function):
            @staticmethod
            def forward(ctx, *tensors):
                params = {key: t.detach().numpy() for key, t in zip(keys, tensors, strict=True)}
                ctx.grads = case.gradients(params)
                return torch.tensor(float(case.cost(params)), dtype=tensors[0].dtype)

            @staticmethod
            def backward(ctx, out):
                return tuple(out * torch.from_numpy(np.asarray(ctx.grads[key], dtype=case.dtype)) for key in keys)

        inputs = tuple(torch.tensor(case.parameters[key], requires_grad=True) for key in keys)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ok = torch.autograd.gradcheck(Learner.apply, inputs, raise_exception=False)
        return "pass" if ok else "fail"

    return checker


def checkers(with_torch=True) -> dict[str, Callable]:
    named = {f"check_function, {mode}": ours(mode) for mode in MODES}
    torch_checker = torch_gradcheck() if with_torch else None
    if torch_checker:
        named["torch.autograd.gradcheck, defaults"] = torch_checker
    named["the course's check, 2e-7"] = course
    return named


def verdicts(named, labelled) -> dict[str, list[str]]:
    """{checker: [verdict per case]}; "refused" where the checker cannot run the case (a cost the
    complex step cannot take, say)."""
    table = {}
    for name, checker in named.items():
        row = []
        for case in labelled:
            with np.errstate(all="ignore"):
                try:
                    row.append(checker(case))
                except (ValueError, RuntimeError, TypeError):
                    row.append("refused")
        table[name] = row
    return table


def confusion(row, labelled, dtype) -> dict[str, int]:
    """Counts over the cases of ``dtype``: correct cases failed (false alarms), buggy ones passed
    (misses), each told "cannot tell", and refused."""
    pairs = [(v, case.buggy) for v, case in zip(row, labelled, strict=True) if case.dtype == dtype]
    return {
        "correct": sum(not buggy for _, buggy in pairs),
        "buggy": sum(buggy for _, buggy in pairs),
        "false alarms": sum(v == "fail" and not buggy for v, buggy in pairs),
        "misses": sum(v == "pass" and buggy for v, buggy in pairs),
        "cannot tell, correct": sum(v == "cannot tell" and not buggy for v, buggy in pairs),
        "cannot tell, buggy": sum(v == "cannot tell" and buggy for v, buggy in pairs),
        "refused": sum(v == "refused" for v, _ in pairs),
    }


HEADER = {
    "en": ("checker", "dtype", "false alarms", "misses", "cannot tell (correct / buggy)", "refused"),
    "zh": ("检查方法", "dtype", "误报", "漏报", "无法判断（正确 / 有错）", "拒绝"),
}


def table_lines(table, labelled, lang="en") -> list[str]:
    """The confusion matrix as Markdown rows, one per checker and dtype."""
    lines = ["| " + " | ".join(HEADER[lang]) + " |", "|---|---|---|---|---|---|"]
    for name, row in table.items():
        for dtype in (np.dtype(np.float64), np.dtype(np.float32)):
            n = confusion(row, labelled, dtype)
            lines.append(
                f"| {name} | {dtype.name} | {n['false alarms']} of {n['correct']} | {n['misses']} of {n['buggy']} | "
                f"{n['cannot tell, correct']} / {n['cannot tell, buggy']} | {n['refused']} |"
            )
    if lang == "zh":
        lines = [re.sub(r"(\d+) of (\d+)", r"\2 个中 \1 个", line) for line in lines]
        for english, chinese in (("the course's check, ", "课程的检验，"), (", defaults", "，默认设置")):
            lines = [line.replace(english, chinese) for line in lines]
    return lines


MARK = "<!-- generated by python benchmarks/gradcheck_noise.py --write: confusion -->"
END = "<!-- end of generated: confusion -->"


def write(page: Path, lines) -> None:
    """Replace the lines between MARK and END in ``page``."""
    text = page.read_text()
    start, stop = text.index(MARK) + len(MARK), text.index(END)
    page.write_text(text[:start] + "\n" + "\n".join(lines) + "\n" + text[stop:])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the table into docs/gradcheck.md and its twin")
    parser.add_argument("--cases", action="store_true", help="list every case with each checker's verdict")
    args = parser.parse_args(argv)
    labelled = cases()
    named = checkers()
    start = time.perf_counter()
    table = verdicts(named, labelled)
    seconds = time.perf_counter() - start
    correct = sum(not case.buggy for case in labelled)
    print(f"{len(labelled)} cases: {correct} correct, {len(labelled) - correct} buggy ({seconds:.0f} s)")
    if "torch.autograd.gradcheck, defaults" not in table:
        print("(PyTorch is not installed: no torch.autograd.gradcheck row)")
    print("\n".join(table_lines(table, labelled)))
    if args.cases:
        for i, case in enumerate(labelled):
            marks = "  ".join(f"{row[i]:<11}" for row in table.values())
            print(f"{'bug ' if case.buggy else 'ok  '} {marks}  {case.name}")
    if args.write:
        for lang, page in (("en", "gradcheck.md"), ("zh", "gradcheck.zh.md")):
            write(ROOT / "docs" / page, table_lines(table, labelled, lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
