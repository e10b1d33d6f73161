r"""The square-error post's own network, rerun as written: the right output gradient and the buggy one.

The post's setting: one sample x of 4 inputs, two hidden layers of 4 and an output of 4, three
4×4 weights, no bias, identity activations, the summed square error
\(\mathcal{L} = \sum_j (p_j - t_j)^2\) with target \(t = (0.5, 0.7, 0.3, 0.1)\), learning rate
\(10^{-7}\), 500000 epochs, x and every weight drawn uniformly on [0, 1). The post writes the
sample as a row and multiplies ``x @ W``; here the sample is a column and
\(W^{[l]} = W_{\text{post}}^\top\), so \(p = W^{[3]} W^{[2]} W^{[1]} x\) is the same number.
The buggy run starts its backward pass from \(2p\) instead of \(2(p - t)\).

Stepping 300 million epochs one by one takes hours, so after the exact steps the run goes on
along the gradient flow those steps follow (time \(\tau = 10^{-7} \times\) epochs), integrated
by SciPy; :func:`rerun` reports how closely the two agree where both are computed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import gradcheck
from .plots import drawing, save, write_table
from .words import LANGUAGES, localized, words

TARGET = np.array([0.5, 0.7, 0.3, 0.1])
LEARNING_RATE = 1e-7
POST_EPOCHS = 500_000
#: The buggy run has settled when its loss stays within this relative distance of Σ t².
SETTLED = 1e-3
#: The words of the figure and the two tables.
WORDS = words(
    correct=("2(p − t): correct", "2(p − t)：正确"),
    buggy=("2p: the post's line", "2p：文章里的那一行"),
    steps=("{gradient}, exact steps", "{gradient}，逐步精确计算"),
    flow=("{gradient}, gradient flow", "{gradient}，梯度流"),
    epoch=("epoch (the post stops at the grey line)", "轮次（文章在灰线处停止）"),
    loss=("loss Σ (p − t)²", "损失 Σ (p − t)²"),
    both=("both gradients", "两种梯度"),
    zoom=("the buggy run from epoch 100000, linear scale", "错误梯度的运行，从第 100000 轮起，线性坐标"),
    header=("| figure | value |", "| 指标 | 数值 |"),
    start=("loss at epoch 0", "第 0 轮的损失"),
    correct_at_post_end=("correct gradient: loss at epoch 500000", "正确梯度：第 500000 轮的损失"),
    correct_below=("correct gradient: loss below 0.001 from epoch", "正确梯度：损失低于 0.001 的起始轮次"),
    correct_final=("correct gradient: loss at the end of the flow", "正确梯度：梯度流终点的损失"),
    buggy_at_post_end=("buggy gradient: loss at epoch 500000", "错误梯度：第 500000 轮的损失"),
    dip=("buggy gradient: lowest loss, and its epoch", "错误梯度：最低损失及其轮次"),
    dip_at=("{loss:.4g} at {epoch:.3g}", "{loss:.4g}（第 {epoch:.3g} 轮）"),
    settled=(
        "buggy gradient: within 0.1% of Σ t² = {floor:.2f} from epoch",
        "错误梯度：与 Σ t² = {floor:.2f} 相差不到 0.1% 的起始轮次",
    ),
    not_settled=("not within the run", "运行结束时仍未达到"),
    buggy_final=("buggy gradient: loss at the end of the flow", "错误梯度：梯度流终点的损失"),
    flow_gap=(
        "flow against exact steps at epoch 500000 (relative difference)",
        "第 500000 轮时梯度流与逐步计算的相对差",
    ),
    check_correct=("gradient check at epoch 0, correct gradient", "第 0 轮的梯度检验，正确梯度"),
    check_buggy=("gradient check at epoch 0, buggy gradient", "第 0 轮的梯度检验，错误梯度"),
    draw_dip=("{loss:.3g} ({epoch:.2g})", "{loss:.3g}（{epoch:.2g}）"),
    draws_header=(
        "| seed | loss at epoch 0 | buggy loss at epoch 500000 | lowest buggy loss (epoch) "
        "| within 0.1% of Σ t² from epoch |",
        "| 随机种子 | 第 0 轮的损失 | 错误梯度在第 500000 轮的损失 | 错误梯度的最低损失（轮次） "
        "| 与 Σ t² 相差不到 0.1% 的起始轮次 |",
    ),
)


# --8<-- [start:setting]
def post_setting(seed: int = 0):
    """x (4, 1) and W[1], W[2], W[3] (4, 4) drawn uniformly on [0, 1), as the post draws them, in columns."""
    rng = np.random.default_rng(seed)
    x = rng.random((4, 1))
    row_weights = [rng.random((4, 4)) for _ in range(3)]  # the post's W, used as x @ W
    return x, [W.T for W in row_weights]  # the course's W[l] is the post's W transposed


def output_gradient(p, t, *, buggy: bool = False):
    """∂ℒ/∂p = 2(p − t) for ℒ = Σ (p − t)²; the post's line drops t and gives 2p, the gradient of Σ p²."""
    return 2 * p if buggy else 2 * (p - t)


def gradients(weights, x, t, *, buggy: bool = False):
    """dW[1], dW[2], dW[3] of ℒ for p = W[3] W[2] W[1] x: each dW[l] = dz[l] a[l-1]ᵀ, dz[l-1] = W[l]ᵀ dz[l]."""
    activations = [x]
    for W in weights:
        activations.append(W @ activations[-1])
    dz = output_gradient(activations[-1], t, buggy=buggy)
    grads = []
    for W, a_prev in zip(reversed(weights), reversed(activations[:-1]), strict=True):
        grads.append(dz @ a_prev.T)
        dz = W.T @ dz
    return grads[::-1]


# --8<-- [end:setting]


def loss(weights, x, t) -> float:
    """ℒ = Σ_j (p_j − t_j)², the post's summed square error of its one sample."""
    p = weights[2] @ weights[1] @ weights[0] @ x
    return float(np.sum((p - t) ** 2))


# --8<-- [start:steps]
def descend(weights, x, t, epochs: int, *, buggy: bool = False, record_every: int = 1000):
    """Plain gradient descent at the post's learning rate; the loss every ``record_every`` epochs."""
    W1, W2, W3 = (W.copy() for W in weights)
    t, x = t.ravel(), x.ravel()
    losses = []
    for epoch in range(epochs):
        a1 = W1 @ x
        a2 = W2 @ a1
        p = W3 @ a2
        if epoch % record_every == 0:
            losses.append(float(np.sum((p - t) ** 2)))
        dz3 = 2 * p if buggy else 2 * (p - t)
        dz2 = W3.T @ dz3
        dz1 = W2.T @ dz2
        W3 -= LEARNING_RATE * np.outer(dz3, a2)
        W2 -= LEARNING_RATE * np.outer(dz2, a1)
        W1 -= LEARNING_RATE * np.outer(dz1, x)
    return np.array(losses), [W1, W2, W3]


# --8<-- [end:steps]


def flow(weights, x, t, epochs, *, buggy: bool = False):
    """The gradient flow dW/dτ = −∂ℒ/∂W that the steps follow, from ``weights``; ℒ at each of ``epochs``."""
    from scipy.integrate import solve_ivp

    def rate(_, state):
        grads = gradients(list(state.reshape(3, 4, 4)), x, t, buggy=buggy)
        return -np.concatenate([g.ravel() for g in grads])

    start = np.concatenate([W.ravel() for W in weights])
    taus = LEARNING_RATE * np.asarray(epochs, dtype=float)
    solution = solve_ivp(rate, (0.0, taus[-1]), start, t_eval=taus, method="LSODA", rtol=1e-10, atol=1e-13)
    if not solution.success:
        raise RuntimeError(f"the gradient-flow integration failed: {solution.message}")
    return np.array([loss(list(state.reshape(3, 4, 4)), x, t) for state in solution.y.T])


def rerun(seed: int = 0, record_every: int = 1000, flow_until: float = 1e11):
    """Both gradients over the post's 500000 epochs, exactly, then along the gradient flow.

    Returns a dict per gradient (``"correct"``, ``"buggy"``): the exact ``steps`` losses at
    ``step_epochs`` (every ``record_every`` epochs), the ``flow_epochs`` and ``flow`` losses after them, and
    ``flow_gap``, the relative difference between the flow and the exact steps at epoch 500000
    (the flow is also integrated from epoch 0 for that comparison).
    """
    x, weights = post_setting(seed)
    t = TARGET.reshape(4, 1)
    later = np.unique(np.geomspace(1, flow_until / POST_EPOCHS, 200).round(6)) * POST_EPOCHS
    runs = {}
    for name, buggy in (("correct", False), ("buggy", True)):
        steps, end = descend(weights, x, t, POST_EPOCHS + 1, buggy=buggy, record_every=record_every)
        continued = flow(end, x, t, later - POST_EPOCHS, buggy=buggy)
        from_start = flow(weights, x, t, [0.0, POST_EPOCHS], buggy=buggy)[-1]
        runs[name] = {
            "step_epochs": np.arange(len(steps)) * record_every,
            "steps": steps,
            "flow_epochs": later,
            "flow": continued,
            "flow_gap": abs(from_start - steps[-1]) / steps[-1],
        }
    return runs


def exact_against_flow(epochs: int = 40_000_000, seed: int = 0, record_every: int = 100_000) -> dict:
    """The buggy run stepped exactly for ``epochs`` epochs, against the flow the page draws after 500000.

    Too slow for the figures command (about 25 µs a step: 40 million steps take over 15 minutes);
    run it as ``python -m nn.experiments.square_error`` to check the flow where it matters most.
    """
    x, weights = post_setting(seed)
    t = TARGET.reshape(4, 1)
    exact, _ = descend(weights, x, t, epochs + 1, buggy=True, record_every=record_every)
    marks = np.arange(len(exact)) * record_every
    along_flow = flow(weights, x, t, marks.astype(float), buggy=True)
    gap = np.abs(along_flow - exact) / exact
    return {"epochs": marks, "exact": exact, "flow": along_flow, "max_gap": float(gap.max())}


def summary(runs, floor: float = float(np.sum(TARGET**2))) -> dict:
    """The figures the page quotes: start, end of the post's run, the dip and where the bug settles."""
    buggy = runs["buggy"]
    epochs = np.concatenate([buggy["step_epochs"], buggy["flow_epochs"]])
    values = np.concatenate([buggy["steps"], buggy["flow"]])
    low = int(np.argmin(values))
    outside = np.flatnonzero(np.abs(values - floor) > SETTLED * floor)
    settled = epochs[outside[-1] + 1] if outside.size and outside[-1] + 1 < len(epochs) else None
    correct = runs["correct"]
    correct_epochs = np.concatenate([correct["step_epochs"], correct["flow_epochs"]])
    correct_values = np.concatenate([correct["steps"], correct["flow"]])
    return {
        "start": float(values[0]),
        "correct_below_1e-3": float(correct_epochs[np.argmax(correct_values < 1e-3)]),
        "buggy_at_post_end": float(buggy["steps"][-1]),
        "correct_at_post_end": float(runs["correct"]["steps"][-1]),
        "correct_final": float(runs["correct"]["flow"][-1]),
        "dip": float(values[low]),
        "dip_epoch": float(epochs[low]),
        "settled_epoch": None if settled is None else float(settled),
        "buggy_final": float(values[-1]),
        "floor": floor,
        "flow_gap": max(run["flow_gap"] for run in runs.values()),
    }


def gradient_check(seed: int = 0, h: float = 1e-6):
    """The course's relative error of each gradient against central differences of step ``h``, at the post's start."""
    x, weights = post_setting(seed)
    t = TARGET.reshape(4, 1)
    numeric = []
    for index in range(3):

        def loss_of(W, index=index):
            return loss([W if i == index else V for i, V in enumerate(weights)], x, t)

        numeric.append(central_differences(loss_of, weights[index], h))
    flat = _flat(numeric)
    return {
        buggy: gradcheck.relative_error(_flat(gradients(weights, x, t, buggy=buggy)), flat) for buggy in (False, True)
    }


def _flat(grads) -> np.ndarray:
    return np.concatenate([g.ravel() for g in grads])


def central_differences(f, W, h=1e-6):
    """(f(W + h e_ij) − f(W − h e_ij)) / 2h for every entry of W."""
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        bumped = W.copy()
        bumped[index] += h
        plus = f(bumped)
        bumped[index] -= 2 * h
        grad[index] = (plus - f(bumped)) / (2 * h)
    return grad


def other_draws(seeds=range(1, 6), until: float = 1e11) -> list[dict]:
    """The buggy run for other draws of x and W, along the gradient flow only (cheap): its dip and its end."""
    epochs = np.concatenate([[0.0, POST_EPOCHS], np.geomspace(1e3, until, 161)])
    epochs = np.unique(epochs)
    floor = float(np.sum(TARGET**2))
    rows = []
    for seed in seeds:
        x, weights = post_setting(seed)
        losses = flow(weights, x, TARGET.reshape(4, 1), epochs, buggy=True)
        outside = np.flatnonzero(np.abs(losses - floor) > SETTLED * floor)
        rows.append(
            {
                "seed": seed,
                "start": float(losses[0]),
                "at_post_end": float(losses[epochs == POST_EPOCHS][0]),
                "dip": float(losses.min()),
                "dip_epoch": float(epochs[np.argmin(losses)]),
                "settled_epoch": float(epochs[outside[-1] + 1]),
                "final": float(losses[-1]),
            }
        )
    return rows


def write(directory: Path) -> None:
    """Loss curves of both gradients over the whole run, and the tables of the figures it measures."""
    runs = rerun()
    figures = summary(runs)
    checks = gradient_check()
    draws = other_draws()
    for lang in LANGUAGES:
        with drawing(lang) as plt:
            _draw(directory, lang, plt, runs, figures)
        _write_tables(directory, lang, figures, checks, draws)


def _draw(directory: Path, lang: str, plt, runs: dict, figures: dict) -> None:
    said = WORDS[lang]
    fig, (both, zoom) = plt.subplots(1, 2, figsize=(8, 3.2))
    for name, color in (("correct", "#3f51b5"), ("buggy", "#e65100")):
        run = runs[name]
        for ax in (both, zoom) if name == "buggy" else (both,):
            steps, flow_ = said["steps"].format(gradient=said[name]), said["flow"].format(gradient=said[name])
            ax.plot(run["step_epochs"][1:], run["steps"][1:], color=color, label=steps)
            ax.plot(run["flow_epochs"], run["flow"], color=color, linestyle="--", label=flow_)
    for ax in (both, zoom):
        ax.axhline(figures["floor"], color="gray", linestyle=":", label="Σ t² = 0.84")
        ax.axvline(POST_EPOCHS, color="gray", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_xlabel(said["epoch"])
    both.set_yscale("log")
    both.set_ylim(1e-4, 100)
    both.set_ylabel(said["loss"])
    both.set_title(said["both"], fontsize=9)
    both.legend(fontsize=6)
    zoom.set_xlim(1e5, None)
    zoom.set_ylim(0, 2)
    zoom.set_title(said["zoom"], fontsize=9)
    save(fig, directory / localized("square-error.png", lang), dpi=80)


def _write_tables(directory: Path, lang: str, figures: dict, checks: dict, draws: list[dict]) -> None:
    said = WORDS[lang]
    settled = figures["settled_epoch"]
    cells = (
        ("start", f"{figures['start']:.4g}"),
        ("correct_at_post_end", f"{figures['correct_at_post_end']:.3g}"),
        ("correct_below", f"{figures['correct_below_1e-3']:.3g}"),
        ("correct_final", f"{figures['correct_final']:.3g}"),
        ("buggy_at_post_end", f"{figures['buggy_at_post_end']:.4g}"),
        ("dip", said["dip_at"].format(loss=figures["dip"], epoch=figures["dip_epoch"])),
        ("settled", said["not_settled"] if settled is None else f"{settled:.3g}"),
        ("buggy_final", f"{figures['buggy_final']:.4g}"),
        ("flow_gap", f"{figures['flow_gap']:.1e}"),
        ("check_correct", f"{checks[False]:.1e}"),
        ("check_buggy", f"{checks[True]:.1e}"),
    )
    rows = [said["header"], "|---|---|"]
    rows += [f"| {said[name].format(floor=figures['floor'])} | {value} |" for name, value in cells]
    write_table(directory / localized("square-error-table.txt", lang), rows)
    rows = [said["draws_header"], "|---|---|---|---|---|"]
    for draw in draws:
        rows.append(
            f"| {draw['seed']} | {draw['start']:.4g} | {draw['at_post_end']:.4g} | "
            f"{said['draw_dip'].format(loss=draw['dip'], epoch=draw['dip_epoch'])} | {draw['settled_epoch']:.2g} |"
        )
    write_table(directory / localized("square-error-draws.txt", lang), rows)


if __name__ == "__main__":
    check = exact_against_flow()
    low = int(np.argmin(check["exact"]))
    print(
        f"exact steps to epoch {check['epochs'][-1]}: lowest loss {check['exact'][low]:.4g} at epoch "
        f"{check['epochs'][low]}, final loss {check['exact'][-1]:.6g}; "
        f"largest relative gap to the flow {check['max_gap']:.1e}"
    )
