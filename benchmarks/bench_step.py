"""Time one gradient-descent step of ``nn`` against PyTorch and the bare matrix products; print a table.

All variants of one figure run in the same process, interleaved round by round, and the table
shows medians, so ratios hold on a noisy machine. Two things would otherwise make a variant's
time depend on what ran before it, so for the one-step figures:

- Each timed call starts from idle thread pools: numpy's OpenBLAS worker threads spin for about
  0.1 s after a matrix product, PyTorch's OpenMP threads for a few ms, and on 2 cores either
  takes a core from the other library (PyTorch timed right after numpy ran 2x slower). So the
  benchmark pauses ``SETTLE`` seconds, calls the variant once untimed, then times it.
- The heap is kept. glibc's ``free`` returns the top of the heap to the kernel once more than a
  threshold is free, and that threshold moves with what the process freed earlier. A step
  frees its outputs (cache, gradients, new parameters: 16 MB in float64) together, so
  depending on the process's history the next step faults them back in page by page (about
  6000 page faults per float64 step, 8-13 ms here) or not at all. ``keep_heap`` fixes the
  thresholds with ``mallopt`` once the inputs exist, for every variant alike;
  ``--malloc-default`` leaves glibc's defaults. The table shows the page faults per step.

Usage::

    python benchmarks/bench_step.py                    # everything, 15 repeats
    python benchmarks/bench_step.py --skip-suite --skip-docs --repeats 7
    python benchmarks/bench_step.py --write docs/performance.md
    python benchmarks/bench_step.py --skip-suite --skip-docs --skip-derivations --malloc-default

PyTorch is optional: without it the torch rows are left out.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn  # noqa: E402
from nn import datasets  # noqa: E402

DIMS = [1024, 512, 256, 1]
M = 512
NAMES = ["relu", "relu", "sigmoid"]
SETTLE = 0.25  # seconds: longer than OpenBLAS's and OpenMP's busy-waits after a call


def interleaved(functions: dict, repeats: int, settle: float = 0.0) -> tuple[dict[str, float], dict[str, float]]:
    """Run every function once per round, ``repeats`` rounds; return the median seconds and page faults of each.

    With ``settle``, each timed call is preceded by a pause of ``settle`` seconds and one untimed call.
    """
    times = {name: [] for name in functions}
    faults = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            if settle:
                time.sleep(settle)
                function()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
            faults[name].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return (
        {name: statistics.median(values) for name, values in times.items()},
        {name: statistics.median(values) for name, values in faults.items()},
    )


def keep_heap() -> str:
    """Stop glibc's malloc from handing freed heap memory back to the kernel; say what was done."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return "malloc defaults (not glibc)"
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    if libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30):
        return "glibc heap kept (mallopt: mmap threshold 32 MiB, trim threshold 1 GiB)"
    return "malloc defaults (mallopt failed)"


def step_functions(dtype) -> dict:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((DIMS[0], M)).astype(dtype)
    Y = (rng.random((1, M)) > 0.5).astype(dtype)
    parameters = nn.initialize_parameters(DIMS, "he", seed=0, dtype=dtype)

    def nn_step():
        AL, cache = nn.forward_propagation(X, parameters, NAMES)
        grads = nn.backward_propagation(AL, Y, cache, parameters, NAMES)
        nn.update_parameters(parameters, grads, 0.01)

    W = [parameters[f"W{l}"] for l in (1, 2, 3)]
    dZ = [np.ones((n, M), dtype=dtype) for n in DIMS[1:]]
    A = [X, *(np.ones((n, M), dtype=dtype) for n in DIMS[1:-1])]

    def gemm_floor():  # the matrix products of one step and nothing else
        for l in range(3):
            W[l] @ A[l]
        for l in range(2, -1, -1):
            dZ[l] @ A[l].T
            if l > 0:
                W[l].T @ dZ[l]

    functions = {"nn": nn_step, "matrix products alone": gemm_floor}
    try:
        import torch
    except ImportError:
        return functions
    torch.set_num_threads(os.cpu_count() or 1)
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    tW = [torch.from_numpy(parameters[f"W{l}"].copy()).requires_grad_() for l in (1, 2, 3)]
    tb = [torch.from_numpy(parameters[f"b{l}"].copy()).requires_grad_() for l in (1, 2, 3)]

    def torch_step():
        A = tX
        for l in range(3):
            Z = tW[l] @ A + tb[l]
            A = torch.relu(Z) if l < 2 else Z
        J = torch.nn.functional.binary_cross_entropy_with_logits(A, tY)
        J.backward()
        with torch.no_grad():
            for p in (*tW, *tb):
                p -= 0.01 * p.grad
                p.grad = None

    functions["PyTorch CPU autograd"] = torch_step
    return functions


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


def planar_functions() -> dict:
    X, Y = datasets.planar()
    Yf = Y.astype(float)
    return {
        "nn.train": lambda: nn.train(
            X, Y, [2, 4, 1], ["tanh", "sigmoid"], init="small", learning_rate=1.2, num_iterations=10000, seed=3
        ),
        "hand-unrolled numpy": lambda: unrolled_planar(X, Yf, 4, 1.2, 10000, 3),
    }


def wall(command: list[str]) -> tuple[float, str]:
    """Run a command in the project root; return its wall time and a note if it failed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start, "" if done.returncode == 0 else f"exit status {done.returncode}; "


def machine() -> str:
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
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__} ({blas})"


def main(argv=None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--skip-planar", action="store_true")
    parser.add_argument("--skip-suite", action="store_true")
    parser.add_argument("--skip-derivations", action="store_true")
    parser.add_argument("--skip-docs", action="store_true")
    parser.add_argument(
        "--malloc-default",
        action="store_true",
        help="leave glibc's heap trimming on (the step figures then depend on the process's history)",
    )
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write the table into this Markdown file")
    args = parser.parse_args(argv)

    steps = {dtype: step_functions(dtype) for dtype in (np.float64, np.float32)}  # inputs made before keep_heap
    heap = "malloc defaults (--malloc-default)" if args.malloc_default else keep_heap()
    rows = []
    for dtype, functions in steps.items():
        t, faults = interleaved(functions, args.repeats, settle=SETTLE)
        label = f"one step [1024, 512, 256, 1], m = 512, {np.dtype(dtype).name}"
        paged = {name: f"{count:.0f} page faults per step" for name, count in faults.items()}
        rows.append((label, "nn", t["nn"], paged["nn"]))
        if "PyTorch CPU autograd" in t:
            ratio = t["nn"] / t["PyTorch CPU autograd"]
            rows.append(
                (
                    label,
                    "PyTorch CPU autograd",
                    t["PyTorch CPU autograd"],
                    f"nn / torch = {ratio:.2f} (target <= 0.9); {paged['PyTorch CPU autograd']}",
                )
            )
        ratio = t["nn"] / t["matrix products alone"]
        rows.append(
            (
                label,
                "matrix products alone",
                t["matrix products alone"],
                f"nn / products = {ratio:.2f} (target <= 1.2); {paged['matrix products alone']}",
            )
        )
    if not args.skip_planar:
        t, _ = interleaved(planar_functions(), max(3, args.repeats // 3))
        ratio = t["nn.train"] / t["hand-unrolled numpy"]
        rows.append(("planar, n_h = 4, 10000 iterations", "nn.train", t["nn.train"], ""))
        rows.append(
            (
                "planar, n_h = 4, 10000 iterations",
                "hand-unrolled numpy",
                t["hand-unrolled numpy"],
                f"nn / unrolled = {ratio:.2f} (target <= 1.3)",
            )
        )
    python = sys.executable
    if not args.skip_suite:
        seconds, failed = wall([python, "-m", "pytest", "-q", "-m", "not browser", "-p", "no:cacheprovider"])
        rows.append(("test suite", 'pytest -q -m "not browser"', seconds, failed))
    if not args.skip_derivations:
        seconds, failed = wall([python, "-m", "derivations"])
        rows.append(("derivations", "python -m derivations", seconds, failed))
    if not args.skip_docs:
        mkdocs = str(Path(python).with_name("mkdocs"))
        seconds, failed = wall([mkdocs, "build", "--strict", "-d", "/tmp/bench-site"])
        rows.append(("docs", "mkdocs build --strict", seconds, f"{failed}budget 60 s"))

    lines = ["| task | implementation | median time | ratio |", "|---|---|---|---|"]
    for task, implementation, seconds, note in rows:
        shown = f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        lines.append(f"| {task} | {implementation} | {shown} | {note} |")
    table = "\n".join(lines)
    setup = f"One-step figures: {heap}; a {SETTLE} s pause and a warm-up call before each timed call"
    report = f"Machine: {machine()}\n{setup}\n\n{table}\n"
    print(report)
    if args.write:
        text = args.write.read_text() if args.write.exists() else ""
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        block = f"{start}\n{report}{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            text += "\n" + block + "\n"
        args.write.write_text(text)
    return report


if __name__ == "__main__":
    main()
