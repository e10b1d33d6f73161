"""Time nn's training step in an ordinary process against PyTorch, hand-written loops and the bare matrix products.

Usage::

    python benchmarks/bench_step.py                              # every figure, about 3 minutes
    python benchmarks/bench_step.py --write docs/performance.md  # also put the tables into the page and its twin

The process is an ordinary one: glibc's malloc keeps its defaults, nothing is preloaded. Every
figure is a median over runs that take turns in one process (round 1: each variant once, round
2: each once again, ...), so a busy machine slows all variants of a table alike. Three tables:

1. One step on [1024, 512, 256, 1] (relu, relu, sigmoid; bce), m = 512, float64 and float32:
   ``nn.train``'s step (timed between the callbacks of a running ``nn.train``), the same step
   through the public functions (``forward_propagation``, ``compute_cost``,
   ``backward_propagation``, ``update_parameters``), PyTorch's CPU autograd, and the eight matrix
   products of the step alone, written into arrays allocated once. Each block of steps starts
   after a pause of ``SETTLE`` seconds, because numpy's OpenBLAS threads and PyTorch's OpenMP
   threads spin for a while after a call and would take a core from the other. Per step the
   table shows the page faults (``getrusage``'s ``ru_minflt``) and the most memory allocated at
   once (``tracemalloc``'s peak above what was held before the step, in a separate untimed run;
   PyTorch's allocator is not traced).
2. The planar task (n_h = 4, tanh then sigmoid, 10000 iterations): ``nn.train`` against a
   hand-unrolled numpy loop doing the same work.
3. Mini-batches and the optimizers on the moons data (m = 300, [2, 5, 2, 1], relu, relu,
   sigmoid; batches of 64; 500 epochs): ``nn.train`` against a hand-unrolled numpy loop and
   against PyTorch (``torch.optim``'s SGD with dampened momentum, RMSprop and Adam, which take
   the course's steps; one thread, since the tensors have at most 64 columns).

PyTorch is optional: without it its rows are left out.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn  # noqa: E402
from nn import datasets, inplace  # noqa: E402

DIMS, M, NAMES = [1024, 512, 256, 1], 512, ["relu", "relu", "sigmoid"]
RATE = 0.01
SETTLE = 0.25  # seconds: longer than OpenBLAS's and OpenMP's busy-waits after a call
STEPS = 4  # timed steps per block
PROFILE_LINES = 12  # lines shown in the line-level profile
COMMAND = "python benchmarks/bench_step.py"

try:
    import torch
except ImportError:
    torch = None


def faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed_steps(step, k):
    """Call ``step()`` once untimed, then k times; return each call's (seconds, page faults)."""
    step()
    samples = []
    for _ in range(k):
        before, start = faults(), time.perf_counter()
        step()
        samples.append((time.perf_counter() - start, faults() - before))
    return samples


# --- table 1: one step on the big network ------------------------------------------------------


def step_variants(dtype) -> dict:
    """name -> run(k): k steady-state steps, returning each step's (seconds, page faults)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((DIMS[0], M)).astype(dtype)
    Y = (rng.random((1, M)) > 0.5).astype(dtype)

    def train(k):
        marks = []
        nn.train(X, Y, DIMS, NAMES, init="he", learning_rate=RATE, num_iterations=k + 2, seed=0,
                 callback=lambda i, cost: marks.append((time.perf_counter(), faults())))  # fmt: skip
        marks = marks[1:]  # from the end of the second step on: the arrays exist
        return [(t1 - t0, f1 - f0) for (t0, f0), (t1, f1) in itertools.pairwise(marks)]

    state = {"parameters": nn.initialize_parameters(DIMS, "he", seed=0, dtype=dtype)}

    def public():
        parameters = state["parameters"]
        AL, cache = nn.forward_propagation(X, parameters, NAMES)
        nn.compute_cost(AL, Y, "bce", cache["Z3"])
        grads = nn.backward_propagation(AL, Y, cache, parameters, NAMES)
        state["parameters"] = nn.update_parameters(parameters, grads, RATE)

    W = [state["parameters"][f"W{l}"] for l in (1, 2, 3)]
    A = [X, *(np.ones((n, M), dtype) for n in DIMS[1:-1])]
    Z = [np.empty((n, M), dtype) for n in DIMS[1:]]
    dZ = [np.ones((n, M), dtype) for n in DIMS[1:]]
    dW = [np.empty_like(w) for w in W]
    dA = [np.empty((n, M), dtype) for n in DIMS[1:-1]]

    def products():  # the eight matrix products of one step (3 Z, 3 dW, 2 dA), into arrays allocated once
        for l in range(3):
            np.matmul(W[l], A[l], out=Z[l])
        for l in range(2, -1, -1):
            np.matmul(dZ[l], A[l].T, out=dW[l])
            if l > 0:
                np.matmul(W[l].T, dZ[l], out=dA[l - 1])

    variants = {
        "nn.train": train,
        "public": lambda k: timed_steps(public, k),
        "products": lambda k: timed_steps(products, k),
    }
    if torch is not None:
        step = torch_step(X, Y, state["parameters"])

        def torch_steps(k):
            torch.set_num_threads(os.cpu_count() or 1)  # large products: every core, as numpy's OpenBLAS uses them
            return timed_steps(step, k)

        variants["torch"] = torch_steps
    return variants


def torch_step(X, Y, parameters):
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    tW = [torch.from_numpy(parameters[f"W{l}"].copy()).requires_grad_() for l in (1, 2, 3)]
    tb = [torch.from_numpy(parameters[f"b{l}"].copy()).requires_grad_() for l in (1, 2, 3)]

    def step():
        A = tX
        for l in range(3):
            Z = tW[l] @ A + tb[l]
            A = torch.relu(Z) if l < 2 else Z
        J = torch.nn.functional.binary_cross_entropy_with_logits(A, tY)
        J.backward()
        with torch.no_grad():
            for p in (*tW, *tb):
                p -= RATE * p.grad
                p.grad = None

    return step


def peak_allocation(run) -> float:
    """The median, over steady-state steps, of the most bytes allocated at once within a step (tracemalloc)."""
    peaks = []
    tracemalloc.start()
    try:
        for _ in range(3):
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            run(1)
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    return statistics.median(peaks)


def step_table(dtype, rounds) -> list[dict]:
    variants = step_variants(dtype)
    samples = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            time.sleep(SETTLE)
            samples[name] += run(STEPS)
    # the peak within one train step, as the callbacks see it: a train run of one steady step
    peaks = {name: peak_allocation(run) for name, run in variants.items() if name != "torch"}
    peaks["nn.train"] = train_step_peak(dtype)
    times = {name: statistics.median(t for t, _ in values) for name, values in samples.items()}
    counts = {name: statistics.median(f for _, f in values) for name, values in samples.items()}
    rows = []
    for name in variants:
        rows.append(
            {
                "variant": name,
                "seconds": times[name],
                "products": times[name] / times["products"],
                "torch": times[name] / times["torch"] if "torch" in times else None,
                "faults": counts[name],
                "peak": peaks.get(name),
            }
        )
    return rows


def train_step_peak(dtype) -> float:
    """tracemalloc's peak within each steady-state step of one nn.train run, measured between its callbacks."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((DIMS[0], M)).astype(dtype)
    Y = (rng.random((1, M)) > 0.5).astype(dtype)
    peaks, held = [], []

    def watch(iteration, cost):
        now, peak = tracemalloc.get_traced_memory()
        if iteration >= 2:
            peaks.append(peak - held[-1])
        tracemalloc.reset_peak()
        held.append(now)

    tracemalloc.start()
    try:
        nn.train(X, Y, DIMS, NAMES, init="he", learning_rate=RATE, num_iterations=5, seed=0, callback=watch)
    finally:
        tracemalloc.stop()
    return statistics.median(peaks)


def line_profile(dtype, steps=6) -> list[tuple[str, float]]:
    """Where nn.train's step spends its time, line by line of ``nn/inplace.py`` (``sys.settrace``).

    Each interval between two events of a traced frame (a line starts, a call, a return) is
    charged to the line that was running; a call into numpy or into another module of nn is
    charged to the line that made it. Steps 3 to ``steps`` are traced; the tracing costs about a
    microsecond per line, against milliseconds for the lines that matter here.
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((DIMS[0], M)).astype(dtype)
    Y = (rng.random((1, M)) > 0.5).astype(dtype)
    source = inplace.__file__
    lines = Path(source).read_text().splitlines()
    charged: dict[int, float] = {}
    current = {"line": None, "since": 0.0}

    def tracer(frame, event, arg):
        now = time.perf_counter()
        if current["line"] is not None:
            charged[current["line"]] = charged.get(current["line"], 0.0) + now - current["since"]
        if event == "return":
            caller = frame.f_back
            current["line"] = caller.f_lineno if caller is not None and caller.f_code.co_filename == source else None
        else:
            current["line"] = frame.f_lineno
        current["since"] = time.perf_counter()
        return tracer

    def local(frame, event, arg):
        return tracer if frame.f_code.co_filename == source else None

    def watch(iteration, cost):
        if iteration == 1:
            sys.settrace(local)
        elif iteration == steps - 1:
            sys.settrace(None)

    try:
        nn.train(X, Y, DIMS, NAMES, init="he", learning_rate=RATE, num_iterations=steps, seed=0, callback=watch)
    finally:
        sys.settrace(None)
    traced = steps - 2
    return sorted(((lines[n - 1].strip(), t / traced) for n, t in charged.items()), key=lambda row: -row[1])


# --- table 2: the planar task ------------------------------------------------------------------


def unrolled_planar(X, Y, n_h, learning_rate, iterations, seed):
    """The planar training written out by hand, seed style: same init, same steps, cost included."""
    parameters = nn.initialize_parameters([2, n_h, 1], "small", seed)
    W1, b1, W2, b2 = (parameters[k] for k in ("W1", "b1", "W2", "b2"))
    m = X.shape[1]
    costs = []
    for _ in range(iterations):
        A1 = np.tanh(W1 @ X + b1)
        A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
        costs.append(float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m))
        dZ2 = A2 - Y
        dW2, db2 = dZ2 @ A1.T / m, np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (1 - A1**2)
        dW1, db1 = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
        W1, b1 = W1 - learning_rate * dW1, b1 - learning_rate * db1
        W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2
    return costs


def planar_table(rounds) -> list[dict]:
    X, Y = datasets.planar()
    Yf = Y.astype(float)
    variants = {
        "nn.train": lambda: nn.train(
            X, Y, [2, 4, 1], ["tanh", "sigmoid"], init="small", learning_rate=1.2, num_iterations=10000, seed=3
        ),
        "unrolled": lambda: unrolled_planar(X, Yf, 4, 1.2, 10000, 3),
    }
    return ratio_rows(variants, "unrolled", rounds)


def ratio_rows(variants, reference, rounds) -> list[dict]:
    samples = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            samples[name].append(one_call(run))
    times = {name: statistics.median(t for t, _ in values) for name, values in samples.items()}
    return [
        {
            "variant": name,
            "seconds": times[name],
            "ratio": times[name] / times[reference],
            "faults": statistics.median(f for _, f in samples[name]),
        }
        for name in variants
    ]


def one_call(run):
    before, start = faults(), time.perf_counter()
    run()
    return time.perf_counter() - start, faults() - before


# --- table 3: mini-batches and the optimizers --------------------------------------------------

MB_DIMS, MB_SIZE, MB_EPOCHS = [2, 5, 2, 1], 64, 500
MB_RATES = {"gd": 0.05, "momentum": 0.05, "rmsprop": 0.005, "adam": 0.005}
BETA, BETA1, BETA2, EPSILON = 0.9, 0.9, 0.999, 1e-8


def unrolled_mini_batches(X, Y, optimizer, learning_rate, epochs, seed):
    """Mini-batch training written out by hand: shuffle, cut, and per batch the unrolled step and the rule."""
    parameters = nn.initialize_parameters(MB_DIMS, "he", seed)
    theta = [parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
    v, s = [np.zeros_like(p) for p in theta], [np.zeros_like(p) for p in theta]
    m, t, costs = X.shape[1], 0, []
    for epoch in range(epochs):
        permutation = np.random.default_rng(seed + epoch).permutation(m)
        X_shuffled, Y_shuffled = X[:, permutation], Y[:, permutation]
        total = 0.0
        for k in range(0, m, MB_SIZE):
            Xb, Yb = X_shuffled[:, k : k + MB_SIZE], Y_shuffled[:, k : k + MB_SIZE]
            mb = Xb.shape[1]
            W1, b1, W2, b2, W3, b3 = theta
            A1 = np.maximum(W1 @ Xb + b1, 0)
            A2 = np.maximum(W2 @ A1 + b2, 0)
            A3 = 1 / (1 + np.exp(-(W3 @ A2 + b3)))
            total += float(-np.sum(Yb * np.log(A3) + (1 - Yb) * np.log(1 - A3)))
            dZ3 = A3 - Yb
            dZ2 = (W3.T @ dZ3) * (A2 > 0)
            dZ1 = (W2.T @ dZ2) * (A1 > 0)
            grads = [
                *(dZ1 @ Xb.T / mb, np.sum(dZ1, axis=1, keepdims=True) / mb),
                *(dZ2 @ A1.T / mb, np.sum(dZ2, axis=1, keepdims=True) / mb),
                *(dZ3 @ A2.T / mb, np.sum(dZ3, axis=1, keepdims=True) / mb),
            ]
            t += 1
            for i, d in enumerate(grads):
                if optimizer == "gd":
                    theta[i] = theta[i] - learning_rate * d
                elif optimizer == "momentum":
                    v[i] = BETA * v[i] + (1 - BETA) * d
                    theta[i] = theta[i] - learning_rate * v[i]
                elif optimizer == "rmsprop":
                    s[i] = BETA2 * s[i] + (1 - BETA2) * d**2
                    theta[i] = theta[i] - learning_rate * d / (np.sqrt(s[i]) + EPSILON)
                else:
                    v[i] = BETA1 * v[i] + (1 - BETA1) * d
                    s[i] = BETA2 * s[i] + (1 - BETA2) * d**2
                    v_hat, s_hat = v[i] / (1 - BETA1**t), s[i] / (1 - BETA2**t)
                    theta[i] = theta[i] - learning_rate * v_hat / (np.sqrt(s_hat) + EPSILON)
        costs.append(total / m)
    return costs


def torch_mini_batches(X, Y, optimizer, learning_rate, epochs, seed):
    """The same training with PyTorch: autograd and torch.optim, on the same shuffles."""
    parameters = nn.initialize_parameters(MB_DIMS, "he", seed)
    theta = [torch.from_numpy(parameters[k].copy()).requires_grad_() for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
    rules = {
        "gd": lambda: torch.optim.SGD(theta, lr=learning_rate),
        "momentum": lambda: torch.optim.SGD(theta, lr=learning_rate, momentum=BETA, dampening=BETA),
        "rmsprop": lambda: torch.optim.RMSprop(theta, lr=learning_rate, alpha=BETA2, eps=EPSILON),
        "adam": lambda: torch.optim.Adam(theta, lr=learning_rate, betas=(BETA1, BETA2), eps=EPSILON),
    }
    rule = rules[optimizer]()
    torch.set_num_threads(1)  # tensors of 64 columns: one thread, so that no OpenMP pool spins against numpy
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    m, costs = X.shape[1], []
    for epoch in range(epochs):
        permutation = torch.from_numpy(np.random.default_rng(seed + epoch).permutation(m))
        X_shuffled, Y_shuffled = tX[:, permutation], tY[:, permutation]
        total = 0.0
        for k in range(0, m, MB_SIZE):
            W1, b1, W2, b2, W3, b3 = theta
            Xb, Yb = X_shuffled[:, k : k + MB_SIZE], Y_shuffled[:, k : k + MB_SIZE]
            Z3 = W3 @ torch.relu(W2 @ torch.relu(W1 @ Xb + b1) + b2) + b3
            J = torch.nn.functional.binary_cross_entropy_with_logits(Z3, Yb)
            rule.zero_grad()
            J.backward()
            rule.step()
            total += J.item() * Xb.shape[1]
        costs.append(total / m)
    return costs


def optimizer_table(rounds) -> list[dict]:
    X, Y = datasets.moons()
    Yf = Y.astype(float)
    rows = []
    for optimizer, rate in MB_RATES.items():
        variants = {
            "nn.train": lambda optimizer=optimizer, rate=rate: nn.train(
                X,
                Y,
                MB_DIMS,
                NAMES,
                init="he",
                learning_rate=rate,
                num_iterations=MB_EPOCHS,
                seed=0,
                optimizer=optimizer,
                mini_batch_size=MB_SIZE,
            ),
            "unrolled": lambda optimizer=optimizer, rate=rate: unrolled_mini_batches(
                X, Yf, optimizer, rate, MB_EPOCHS, 0
            ),
        }
        if torch is not None:
            variants["torch"] = lambda optimizer=optimizer, rate=rate: torch_mini_batches(
                X, Yf, optimizer, rate, MB_EPOCHS, 0
            )
        rows += [{"optimizer": optimizer, **row} for row in ratio_rows(variants, "unrolled", rounds)]
    return rows


# --- the report ---------------------------------------------------------------------------------

WORDS = {
    "en": {
        "nn.train": "`nn.train`, its step (arrays allocated once)",
        "public": "public functions (forward, cost, backward, update)",
        "torch": "PyTorch CPU autograd",
        "products": "the matrix products alone",
        "unrolled": "hand-unrolled numpy loop",
        "step": ["implementation", "median per step", "÷ products", "÷ PyTorch", "page faults per step",
                 "peak allocation per step"],
        "ratio": ["task", "implementation", "median time", "÷ hand-unrolled", "page faults per run"],
        "planar": "planar, n_h = 4, 10000 iterations",
        "optimizer": "moons, {optimizer}, batches of 64, 500 epochs",
        "title": "One step, [1024, 512, 256, 1], m = 512, {dtype}",
        "untraced": "not traced",
        "step_target": "Targets: `nn.train`'s step ≤ 1.10 × the products alone and ≤ 0.90 × PyTorch's step; "
        "this run: {products} and {torch}.",
        "ratio_target": "Target: `nn.train` ≤ 1.2 × the hand-unrolled loop on each task; this run: {worst} at most.",
        "profile": "Line-level profile of `nn.train`'s step (nn/inplace.py), {dtype}",
        "lines": ["line", "ms per step", "share"],
        "rest": "the other {count} lines",
        "machine": "Machine: {model}, {cores} cores, Python {python}, {versions}",
        "process": "An ordinary process: glibc's malloc defaults; medians of runs taken in turns in one process.",
    },
    "zh": {
        "nn.train": "`nn.train` 的一步（数组只分配一次）",
        "public": "公开函数（前向、代价、反向、更新）",
        "torch": "PyTorch CPU 自动求导",
        "products": "仅矩阵乘法",
        "unrolled": "手写展开的 numpy 循环",
        "step": ["实现", "每步中位时间", "÷ 矩阵乘法", "÷ PyTorch", "每步缺页次数", "每步峰值分配"],
        "ratio": ["任务", "实现", "中位时间", "÷ 手写展开", "每次运行缺页次数"],
        "planar": "planar，n_h = 4，10000 次迭代",
        "optimizer": "moons，{optimizer}，每批 64 个样本，500 轮",
        "title": "一步，[1024, 512, 256, 1]，m = 512，{dtype}",
        "untraced": "未追踪",
        "step_target": "目标：`nn.train` 的一步 ≤ 1.10 × 仅矩阵乘法，且 ≤ 0.90 × PyTorch 的一步；"
        "本次运行：{products} 和 {torch}。",
        "ratio_target": "目标：每个任务上 `nn.train` ≤ 1.2 × 手写展开的循环；本次运行：最多 {worst}。",
        "profile": "`nn.train` 一步的逐行耗时（nn/inplace.py），{dtype}",
        "lines": ["代码行", "每步毫秒", "占比"],
        "rest": "其余 {count} 行",
        "machine": "机器：{model}，{cores} 核，Python {python}，{versions}",
        "process": "普通进程：glibc malloc 使用默认设置；同一进程内轮流运行，取中位数。",
    },
}  # fmt: skip


def duration(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def size(count) -> str:
    if count is None:
        return ""
    if count < 2**10:
        return f"{count:.0f} B"
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count / 2**10:.0f} KiB"


def render(results, lang) -> str:
    words = WORDS[lang]
    parts = [words["machine"].format(**results["machine"]), "", words["process"], ""]
    for dtype, rows in results["steps"].items():
        parts += [f"**{words['title'].format(dtype=dtype)}**", "", table(words["step"])]
        for row in rows:
            versus = f"{row['torch']:.2f}" if row["torch"] is not None else ""
            peak = size(row["peak"]) if row["peak"] is not None else words["untraced"]
            cells = [words[row["variant"]], duration(row["seconds"]), f"{row['products']:.2f}", versus,
                     f"{row['faults']:.0f}", peak]  # fmt: skip
            parts.append("| " + " | ".join(cells) + " |")
        step = next(row for row in rows if row["variant"] == "nn.train")
        versus = f"{step['torch']:.2f}" if step["torch"] is not None else "–"
        parts += ["", words["step_target"].format(products=f"{step['products']:.2f}", torch=versus), ""]
    for dtype, rows in results["profiles"].items():
        total = sum(seconds for _, seconds in rows)
        parts += [f"**{words['profile'].format(dtype=dtype)}**", "", table(words["lines"])]
        shown = rows[:PROFILE_LINES]
        for line, seconds in shown:
            code = line.replace("|", "\\|")
            parts.append(f"| `{code}` | {seconds * 1e3:.2f} | {seconds / total:.1%} |")
        rest = sum(seconds for _, seconds in rows[PROFILE_LINES:])
        others = words["rest"].format(count=len(rows) - len(shown))
        parts += [f"| {others} | {rest * 1e3:.2f} | {rest / total:.1%} |", ""]
    parts.append(table(words["ratio"]))
    for row in results["planar"] + results["optimizers"]:
        task = words["optimizer"].format(optimizer=row["optimizer"]) if "optimizer" in row else words["planar"]
        name = "`nn.train`" if row["variant"] == "nn.train" else words[row["variant"]]
        cells = [task, name, duration(row["seconds"]), f"{row['ratio']:.2f}", f"{row['faults']:.0f}"]
        parts.append("| " + " | ".join(cells) + " |")
    worst = max(row["ratio"] for row in results["planar"] + results["optimizers"] if row["variant"] == "nn.train")
    parts += ["", words["ratio_target"].format(worst=f"{worst:.2f}")]
    return "\n".join(parts) + "\n"


def table(header) -> str:
    return "| " + " | ".join(header) + " |\n" + "|" + "---|" * len(header)


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas['name']} {blas.get('version', '')}".strip()
    except Exception:  # np.show_config's dict form is numpy >= 1.25
        blas = "unknown BLAS"
    versions = f"numpy {np.__version__} ({blas})" + (f", PyTorch {torch.__version__}" if torch is not None else "")
    return {"model": model, "cores": os.cpu_count(), "python": platform.python_version(), "versions": versions}


def write(path: Path, report: str) -> None:
    """Put ``report`` between the page's ``<!-- bench:start -->`` and ``<!-- bench:end -->`` markers."""
    text = path.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} block to fill")
    path.write_text(text[: text.index(start) + len(start)] + "\n" + report + text[text.index(end) :])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the one-step table (default 7)")
    parser.add_argument(
        "--write", type=Path, metavar="PAGE.md", help="fill the tables of PAGE.md and of its twin PAGE.zh.md"
    )
    args = parser.parse_args(argv)
    print(f"{COMMAND}: an ordinary process, malloc defaults", flush=True)
    results = {"machine": machine(), "steps": {}, "profiles": {}}
    for dtype in (np.float64, np.float32):
        results["steps"][np.dtype(dtype).name] = step_table(dtype, args.rounds)
        results["profiles"][np.dtype(dtype).name] = line_profile(dtype)
        print(f"one step, {np.dtype(dtype).name}: done", flush=True)
    results["planar"] = planar_table(max(3, args.rounds // 2))
    print("planar: done", flush=True)
    results["optimizers"] = optimizer_table(3)
    report = render(results, "en")
    print("\n" + report)
    if args.write:
        write(args.write, render(results, "en"))
        write(args.write.with_suffix(".zh.md"), render(results, "zh"))
    return results


if __name__ == "__main__":
    main()
