r"""Command line: ``python -m nn train ...`` trains a network on a bundled data set.

The hidden layers use ``--activation``. The output layer is one sigmoid unit for the binary
data sets and a softmax over the ten classes for ``digits10`` (with cross-entropy). Training
is batch gradient descent on all the training columns with ``nn.train``, whose ``callback``
drives the progress bar; the same seed gives the same parameters.

Example:
    python -m nn train --dataset planar --layers 4 --activation tanh --iterations 10000 --lr 1.2 --seed 3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from . import activations, datasets, gradcheck
from .init import INIT_METHODS, initialize_parameters
from .losses import LOSSES
from .network import forward_propagation, predict
from .train import train

# Per data set: the hidden sizes, hidden activation, init, learning rate and iterations of its worked example.
DEFAULTS = {
    "planar": {"layers": [4], "activation": "tanh", "init": "small", "lr": 1.2, "iterations": 10000},
    "breast_cancer": {"layers": [20, 10, 5], "activation": "relu", "init": "he", "lr": 0.05, "iterations": 2000},
    "digits": {"layers": [], "activation": "relu", "init": "zeros", "lr": 0.01, "iterations": 2000},
    "digits10": {"layers": [32], "activation": "relu", "init": "he", "lr": 0.5, "iterations": 1000},
}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"layer sizes are integers n[l] >= 1, got {text!r}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"every hidden layer needs n[l] >= 1 units, got {text!r}")
    return sizes


def _activation(name: str) -> str:
    if name not in activations.names(elementwise=True):
        raise argparse.ArgumentTypeError(
            f"unknown activation {name!r}; valid names: {', '.join(activations.names(elementwise=True))}"
        )
    return name


def _positive(kind):
    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if not value > 0 or not np.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    """Return the ``python -m nn`` argument parser."""
    parser = _Parser(prog="python -m nn", description="Train the hand-written numpy network on a bundled data set.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train", help="train a network and report its cost and accuracy")
    train.add_argument("--dataset", required=True, choices=datasets.NAMES)
    train.add_argument(
        "--layers",
        nargs="*",
        type=_sizes,
        metavar="N",
        help="hidden sizes n[1] ... n[L-1], space- or comma-separated; none for logistic regression",
    )
    train.add_argument(
        "--activation", type=_activation, help=f"hidden activation: {', '.join(activations.names(elementwise=True))}"
    )
    train.add_argument("--init", choices=INIT_METHODS)
    train.add_argument(
        "--loss", choices=LOSSES, help="default: cross_entropy for digits10 (softmax output), bce otherwise"
    )
    train.add_argument("--iterations", type=_positive(int))
    train.add_argument("--lr", type=_positive(float), help="learning rate alpha")
    train.add_argument("--seed", type=int, default=0, help="seed of the initialization (default 0)")
    train.add_argument(
        "--digits",
        nargs=2,
        type=int,
        default=[1, 0],
        metavar=("POS", "NEG"),
        help="for --dataset digits: the digit labelled 1 and the digit labelled 0",
    )
    train.add_argument("--plot", type=Path, metavar="DIR", help="write cost.png (and boundary.png for 2-D data) here")
    train.add_argument("--json", action="store_true", help="print a JSON summary instead of text")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    figures = commands.add_parser("figures", help="write the PNGs and tables of docs/experiments/ (about 15 s)")
    figures.add_argument("directory", type=Path, help="e.g. docs/experiments/img")
    return parser


def fit(X, Y, layer_dims, activation_names, *, loss, init, learning_rate, iterations, seed, progress=False):
    """``nn.train``, with a progress bar showing the cost when ``progress`` is set."""
    options = {"loss": loss, "init": init, "learning_rate": learning_rate, "num_iterations": iterations, "seed": seed}
    if not progress:
        return train(X, Y, layer_dims, activation_names, **options)
    from tqdm import tqdm

    with tqdm(total=iterations, file=sys.stderr, unit="it", leave=False) as bar:

        def show(iteration, cost):
            if iteration % 100 == 0 or iteration == iterations - 1:
                bar.set_postfix(cost=f"{cost:.4f}", refresh=False)
                bar.update(iteration + 1 - bar.n)

        return train(X, Y, layer_dims, activation_names, callback=show, **options)


def plot_costs(ax, costs, label=None):
    """Draw a cost curve J against the iteration on a matplotlib axis."""
    ax.plot(np.arange(len(costs)), costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")


def plot_boundary(ax, X, Y, parameters, activation_names, steps=200):
    """Shade the regions a 2-D classifier predicts as 0 and 1, and scatter the points X coloured by Y."""
    (x0, x1), (y0, y1) = [(row.min() - 1, row.max() + 1) for row in X]
    xx, yy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    P = predict(grid, parameters, activation_names).reshape(xx.shape)
    ax.contourf(xx, yy, P, levels=[-0.5, 0.5, 1.5], colors=["#f4c7a1", "#a9c6ea"])
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm_r", s=6, edgecolors="none")
    ax.set_xticks([])
    ax.set_yticks([])


def _train(args) -> dict:
    defaults = DEFAULTS[args.dataset]
    layers = defaults["layers"] if args.layers is None else [n for sizes in args.layers for n in sizes]
    activation = args.activation or defaults["activation"]
    init = args.init or defaults["init"]
    lr = args.lr or defaults["lr"]
    iterations = args.iterations or defaults["iterations"]
    options = {"positive": args.digits[0], "negative": args.digits[1]} if args.dataset == "digits" else {}
    data = datasets.load(args.dataset, **options)
    classes = data.Y_train.shape[0]
    output, loss = ("softmax", "cross_entropy") if classes > 1 else ("sigmoid", "bce")
    loss = args.loss or loss
    layer_dims = [data.X_train.shape[0], *layers, classes]
    names = [activation] * len(layers) + [output]

    start = time.perf_counter()
    parameters, costs = fit(
        data.X_train,
        data.Y_train,
        layer_dims,
        names,
        loss=loss,
        init=init,
        learning_rate=lr,
        iterations=iterations,
        seed=args.seed,
        progress=not (args.quiet or args.json) and sys.stderr.isatty(),
    )
    seconds = time.perf_counter() - start
    summary = {
        "dataset": args.dataset,
        "layers": layer_dims,
        "activation": activation,
        "init": init,
        "output": output,
        "loss": loss,
        "iterations": iterations,
        "lr": lr,
        "seed": args.seed,
        "final_cost": costs[-1],
        "train_accuracy": datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train),
        "test_accuracy": None
        if data.X_test is None
        else datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test),
        "seconds": round(seconds, 3),
    }
    if args.plot:
        _plot(args.plot, data, costs, parameters, names)
    return summary


def _plot(directory: Path, data, costs, parameters, names) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    plot_costs(ax, costs)
    fig.tight_layout()
    fig.savefig(directory / "cost.png", dpi=80)
    plt.close(fig)
    if data.X_train.shape[0] == 2:
        fig, ax = plt.subplots(figsize=(4, 4))
        plot_boundary(ax, data.X_train, data.Y_train, parameters, names)
        fig.tight_layout()
        fig.savefig(directory / "boundary.png", dpi=80)
        plt.close(fig)


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "train" and (args.digits[0] == args.digits[1] or not set(args.digits) <= set(range(10))):
        positive, negative = args.digits
        parser.error(f"argument --digits: needs two different digits in 0..9, got {positive} and {negative}")
    if args.command == "figures":
        _figures(args.directory)
        return 0
    try:
        summary = _train(args)
    except (ValueError, FloatingPointError) as error:
        print(f"python -m nn train: error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary))
    else:
        test = "" if summary["test_accuracy"] is None else f", test accuracy {summary['test_accuracy']:.2%}"
        print(
            f"{summary['dataset']} {summary['layers']} {summary['activation']}: "
            f"cost {summary['final_cost']:.4f} after {summary['iterations']} iterations, "
            f"train accuracy {summary['train_accuracy']:.2%}{test} ({summary['seconds']} s)"
        )
    return 0


# --- Worked examples: ``python -m nn figures DIR`` writes the PNGs and tables of docs/experiments/ ---

PLANAR_SIZES = (1, 2, 3, 4, 5, 20, 50)
# The numbers the seeds and the course report, put next to ours in the tables.
COURSE_PLANAR = {1: 0.675, 2: 0.6725, 3: 0.9075, 4: 0.905, 5: 0.9125, 20: 0.90, 50: 0.9025}
DIGIT_RATES = (0.01, 0.001, 0.0001)


# --8<-- [start:planar_experiment]
def planar_experiment(sizes=PLANAR_SIZES, iterations=10000):
    """Train the course's 2-layer network (tanh hidden, sigmoid output, lr 1.2) for each hidden size n_h."""
    X, Y = datasets.planar()
    names = ["tanh", "sigmoid"]
    results = {}
    for n_h in sizes:
        parameters, costs = train(
            X, Y, [2, n_h, 1], names, init="small", learning_rate=1.2, num_iterations=iterations, seed=3
        )
        results[n_h] = (parameters, costs, datasets.accuracy(predict(X, parameters, names), Y))
    return X, Y, results


# --8<-- [end:planar_experiment]


# --8<-- [start:square_error]
def square_error_loss(parameters, X, T):
    """L = Σ over samples and units of (p − t)², the seed's loss: m times the project's mse J."""
    P, _ = forward_propagation(X, parameters, ["identity", "identity"])
    return float(np.sum((P - T) ** 2))


def square_error_gradients(parameters, X, T, *, buggy=False):
    """dL/dW1, dL/dW2 of the no-bias 4-4-4 identity network; ``buggy`` uses the seed's dP = 2p."""
    W1, W2 = parameters["W1"], parameters["W2"]
    A1 = W1 @ X
    P = W2 @ A1
    dP = 2 * P if buggy else 2 * (P - T)  # the seed's bug drops the target
    dW2 = dP @ A1.T
    dW1 = (W2.T @ dP) @ X.T
    return {"dW1": dW1, "dW2": dW2}


def central_differences(parameters, X, T, h=1e-6):
    """(L(W + h) − L(W − h)) / 2h for every entry of W1 and W2: an oracle independent of backprop."""
    grads = {}
    for key in ("W1", "W2"):
        W = parameters[key]
        grad = np.zeros_like(W)
        for index in np.ndindex(W.shape):
            original = W[index]
            W[index] = original + h
            plus = square_error_loss(parameters, X, T)
            W[index] = original - h
            minus = square_error_loss(parameters, X, T)
            W[index] = original
            grad[index] = (plus - minus) / (2 * h)
        grads[f"d{key}"] = grad
    return grads


def relative_error(g, g_hat):
    """The course's gradient-check difference over all the gradients, dW1 and dW2 together."""
    g, g_hat = (np.concatenate([d[k].ravel() for k in ("dW1", "dW2")]) for d in (g, g_hat))
    return gradcheck.relative_error(g, g_hat)


def square_error_experiment(learning_rate=1e-3, iterations=2000, m=32, seed=0):
    """Train with the right and with the buggy gradient (b stays 0: db is never applied); check both."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((4, m))
    T = 0.5 * rng.standard_normal((4, 4)) @ X  # a linear teacher the network can represent exactly
    start = initialize_parameters([4, 4, 4], "xavier", seed)
    curves, checks = {}, {}
    for buggy in (False, True):
        parameters = {key: value.copy() for key, value in start.items()}
        checks[buggy] = relative_error(
            square_error_gradients(parameters, X, T, buggy=buggy), central_differences(parameters, X, T)
        )
        losses = []
        for _ in range(iterations):
            losses.append(square_error_loss(parameters, X, T))
            grads = square_error_gradients(parameters, X, T, buggy=buggy)
            for key in ("W1", "W2"):
                parameters[key] = parameters[key] - learning_rate * grads[f"d{key}"]
        curves[buggy] = losses
    return curves, checks, float(np.sum(T**2))


# --8<-- [end:square_error]


def _figures(directory: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)

    def save(fig, name, dpi=60):
        fig.tight_layout()
        fig.savefig(directory / name, dpi=dpi)
        plt.close(fig)

    # 1. Planar flower: the sweep over hidden sizes, and the cost curve of n_h = 4.
    X, Y, results = planar_experiment()
    fig, axes = plt.subplots(2, 4, figsize=(10, 5))
    for ax, (n_h, (parameters, _, acc)) in zip(axes.flat, results.items(), strict=False):
        plot_boundary(ax, X, Y, parameters, ["tanh", "sigmoid"], steps=100)
        ax.set_title(f"n_h = {n_h}: {acc:.1%}", fontsize=10)
    X_raw = axes.flat[-1]
    X_raw.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm_r", s=6, edgecolors="none")
    X_raw.set_title("the data", fontsize=10)
    X_raw.set_xticks([])
    X_raw.set_yticks([])
    save(fig, "planar-sweep.png", dpi=50)
    fig, ax = plt.subplots(figsize=(5, 3))
    plot_costs(ax, results[4][1])
    save(fig, "planar-cost.png")
    rows = ["| n_h | our training accuracy | course's | final cost |", "|---|---|---|---|"]
    rows += [
        f"| {n_h} | {acc:.2%} | {COURSE_PLANAR[n_h]:.2%} | {costs[-1]:.4f} |"
        for n_h, (_, costs, acc) in results.items()
    ]
    (directory / "planar-table.txt").write_text("\n".join(rows) + "\n")

    # 2. Breast cancer: [30, 20, 10, 5, 1] ReLU network, sigmoid output.
    rows = ["| seed | train accuracy | test accuracy | seed project's test accuracy |", "|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(5, 3))
    # --8<-- [start:breast_cancer]
    data = datasets.breast_cancer()
    names = ["relu"] * 3 + ["sigmoid"]
    for seed in range(3):
        parameters, costs = train(
            data.X_train,
            data.Y_train,
            [30, 20, 10, 5, 1],
            names,
            init="he",
            learning_rate=0.05,
            num_iterations=2000,
            seed=seed,
        )
        # --8<-- [end:breast_cancer]
        plot_costs(ax, costs, label=f"seed {seed}")
        rows.append(
            f"| {seed} | {datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train):.2%} | "
            f"{datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test):.2%} | 92% |"
        )
    ax.set_yscale("log")
    ax.legend()
    save(fig, "breast-cancer-cost.png")
    (directory / "breast-cancer-table.txt").write_text("\n".join(rows) + "\n")

    # 3. Logistic regression on two digits, three learning rates.
    rows = ["| digits | learning rate | final cost | train accuracy | test accuracy |", "|---|---|---|---|---|"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3))
    for ax, (positive, negative) in zip(axes, [(1, 0), (3, 8)], strict=True):
        # --8<-- [start:digits]
        data = datasets.digits(positive, negative)
        for lr in DIGIT_RATES:
            parameters, costs = train(
                data.X_train, data.Y_train, [64, 1], ["sigmoid"], init="zeros", learning_rate=lr, num_iterations=2000
            )
            # --8<-- [end:digits]
            plot_costs(ax, costs, label=f"lr = {lr:g}")
            rows.append(
                f"| {positive} vs {negative} | {lr:g} | {costs[-1]:.4f} | "
                f"{datasets.accuracy(predict(data.X_train, parameters, ['sigmoid']), data.Y_train):.2%} | "
                f"{datasets.accuracy(predict(data.X_test, parameters, ['sigmoid']), data.Y_test):.2%} |"
            )
        ax.set_title(f"{positive} (Y = 1) vs {negative} (Y = 0)", fontsize=10)
        ax.legend()
    save(fig, "digits-lr.png")
    (directory / "digits-table.txt").write_text("\n".join(rows) + "\n")

    # 4. The seed's square-error network, with the right and with the buggy output gradient.
    curves, checks, floor = square_error_experiment()
    fig, ax = plt.subplots(figsize=(5, 3))
    plot_costs(ax, curves[False], label="2(p − t): correct")
    plot_costs(ax, curves[True], label="2p: the seed's bug")
    ax.axhline(floor, color="gray", linestyle=":", label="Σ t², where the bug goes")
    ax.set_yscale("log")
    ax.set_ylabel("loss Σ (p − t)²")
    ax.legend(fontsize=8)
    save(fig, "square-error.png")
    rows = [
        "| output gradient | loss at start | loss after 2000 steps | gradient check (relative error) |",
        "|---|---|---|---|",
    ]
    for buggy, label in ((False, "`2*(p - t)`"), (True, "`2*p` (seed)")):
        rows.append(f"| {label} | {curves[buggy][0]:.4g} | {curves[buggy][-1]:.4g} | {checks[buggy]:.1e} |")
    (directory / "square-error-table.txt").write_text("\n".join(rows) + "\n")

    # 5. All ten digits: a softmax output with categorical cross-entropy.
    rows = ["| seed | final cost | train accuracy | test accuracy |", "|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(5, 3))
    # --8<-- [start:digits10]
    data = datasets.digits10()
    names = ["relu", "softmax"]
    for seed in range(3):
        parameters, costs = train(
            data.X_train,
            data.Y_train,
            [64, 32, 10],
            names,
            loss="cross_entropy",
            init="he",
            learning_rate=0.5,
            num_iterations=1000,
            seed=seed,
        )
        # --8<-- [end:digits10]
        plot_costs(ax, costs, label=f"seed {seed}")
        rows.append(
            f"| {seed} | {costs[-1]:.4f} | "
            f"{datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train):.2%} | "
            f"{datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test):.2%} |"
        )
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (np.argmax(data.Y_test, axis=0), predict(data.X_test, parameters, names)[0]), 1)
    ax.set_yscale("log")
    ax.legend()
    save(fig, "digits10-cost.png")
    (directory / "digits10-table.txt").write_text("\n".join(rows) + "\n")
    header = "| true \\ predicted | " + " | ".join(map(str, range(10))) + " |"
    lines = [header, "|---" * 11 + "|"]
    lines += [f"| **{k}** | " + " | ".join(str(n) if n else "·" for n in confusion[k]) + " |" for k in range(10)]
    (directory / "digits10-confusion.txt").write_text("\n".join(lines) + "\n")
