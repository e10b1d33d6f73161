r"""Command line: ``python -m nn train ...`` trains a network on a bundled data set;
``python -m nn check FILE.py`` checks the gradients of a learner's own code.

The hidden layers use ``--activation``. The output layer is one sigmoid unit for the binary
data sets and a softmax over the ten classes for ``digits10`` (with cross-entropy). Training
is ``nn.train``: batch gradient descent on all the training columns unless ``--optimizer`` and
``--mini-batch-size`` say otherwise (then ``--iterations`` counts epochs); its ``callback``
drives the progress bar; the same seed gives the same parameters.

``train`` checks every input before it trains, the ``--plot`` directory included (and with
``--lang zh`` a font for the figures' Chinese words). Exit status:
0 when it trained; 2, with one line on stderr, for a bad input; 1, with one line, when training
diverged (lower ``--lr``).

Every command takes ``--lang en|zh``, after its name or before it (``python -m nn --lang zh check
FILE``): the language of what it prints, its report or summary and its one error line, argparse's
refusals of a flag included (``--lang`` is read before the flags it follows), and the error that
lists the commands when none is given. The numbers, names and flags are the same in both; a message
the system or the learner's own code wrote is printed as written, and ``--help`` is in English.

Example:
    python -m nn train --dataset planar --layers 4 --activation tanh --iterations 10000 --lr 1.2 --seed 3
    python -m nn train --dataset moons --optimizer adam --mini-batch-size 64 --lr 0.0007 --iterations 2000
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

import numpy as np

from . import activations, datasets, gradcheck
from .init import INIT_METHODS
from .losses import LOSSES
from .network import predict
from .optimizers import OPTIMIZERS
from .train import TrainingDiverged, train
from .words import LANGUAGES, Bilingual, InputError, Text, say

# Per data set: the hidden sizes, hidden activation, init, learning rate and iterations of its worked example.
DEFAULTS = {
    "planar": {"layers": [4], "activation": "tanh", "init": "small", "lr": 1.2, "iterations": 10000},
    "moons": {"layers": [5, 2], "activation": "relu", "init": "he", "lr": 0.0007, "iterations": 10000},
    "breast_cancer": {"layers": [20, 10, 5], "activation": "relu", "init": "he", "lr": 0.05, "iterations": 2000},
    "digits": {"layers": [], "activation": "relu", "init": "zeros", "lr": 0.01, "iterations": 2000},
    "digits10": {"layers": [32], "activation": "relu", "init": "he", "lr": 0.5, "iterations": 1000},
}


#: ``python -m nn check``'s default limit, in seconds, on running the learner's file and the check.
TIMEOUT = 60.0
CHECK_EPILOG = """exit status:
  0  every block passes: within the tolerance, or within the noise bound of its estimate
  1  a block fails: it differs beyond both (or a gradient has the wrong shape)
  3  nothing fails, but a block cannot be told right or wrong: its gradient is below the
     noise floor of the cost (try --mode complex, float64, or rescaling)
  2  the file cannot be checked: it is missing, lacks the names above, raises, calls
     sys.exit or exit(), is interrupted, or runs past --timeout; one line on stderr says why
"""


#: argparse's own refusals of a flag, as Python words them, and their Chinese; a message that none of them
#: matches keeps argparse's English (the messages of this module's own converters are already in ``--lang``).
ARGPARSE_ZH = (
    (r"invalid choice: (.*) \(choose from (.*)\)", "无效的选择 {0}（可选：{1}）"),
    (r"invalid (\w+) value: (.*)", "无效的 {0} 值：{1}"),
    (r"expected one argument", "需要一个值"),
    (r"expected (\d+) arguments?", "需要 {0} 个值"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
    (r"ambiguous option: (\S+) could match (.*)", "有歧义的选项：{0} 可以是 {1}"),
    (r"ignored explicit argument (.*)", "这个选项不接受值，却给了 {0}"),
)


def _argparse_zh(message: str) -> str:
    """argparse's ``message`` in Chinese: its ``argument X:`` prefix, and the rest by :data:`ARGPARSE_ZH`."""
    if prefixed := re.fullmatch(r"argument (\S+): (.*)", message, re.DOTALL):
        return f"参数 {prefixed[1]}：{_argparse_zh(prefixed[2])}"
    for pattern, chinese in ARGPARSE_ZH:
        if found := re.fullmatch(pattern, message, re.DOTALL):
            return chinese.format(*found.groups())
    return message


def _error(prog: str, message: str, lang: str) -> None:
    """Print ``message`` (a :class:`~nn.words.Text`, or a str written by someone else) as ``prog``'s one error line."""
    print(say(Text(f"{prog}: error: ", f"{prog}：错误："), lang) + say(message, lang), file=sys.stderr)


def _once(lang: str) -> type[argparse.Action]:
    """argparse's ``store`` action, refusing (in ``lang``) a flag given twice, whose first value would be dropped
    without a word (``--dataset planar --dataset moons`` trained on moons)."""

    class Once(argparse._StoreAction):
        given = False

        def __call__(self, parser, namespace, values, option_string=None):
            if self.given:
                raise argparse.ArgumentError(self, say(Text(
                    "given twice: it takes one value, and the first would be dropped; give it once",
                    "给了两次：它只取一个值，第一次给的会被丢掉；请只给一次",
                ), lang))  # fmt: skip
            self.given = True
            super().__call__(parser, namespace, values, option_string)

    return Once


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr, in ``lang``, and exit status 2; a flag that takes a
    value may be given once."""

    def __init__(self, *args, lang: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.register("action", None, _once(lang))

    def error(self, message):
        _error(self.prog, _argparse_zh(message) if self.lang == "zh" else message, self.lang)
        self.exit(2)

    def add_subparsers(self, **kwargs):
        """The commands, kept as ``self.commands`` so that the error of a missing one can list them."""
        self.commands = super().add_subparsers(**kwargs)
        return self.commands


def _refuse(rule: Text, text: str, lang: str) -> argparse.ArgumentTypeError:
    """argparse's refusal of the value ``text``, stating ``rule`` in ``lang``."""
    return argparse.ArgumentTypeError(say(Text(f"{rule}, got {text!r}", f"{rule.zh}，而给出的是 {text!r}"), lang))


def _sizes(lang: str):
    """An argparse type: hidden sizes, comma-separated, each an integer n[l] >= 1 (an empty one, as in
    ``3,,4``, is no size)."""

    def convert(text: str) -> list[int]:
        try:
            sizes = [int(part) for part in text.split(",")]
        except ValueError:
            raise _refuse(
                Text("layer sizes are integers n[l] >= 1", "隐藏层大小是整数 n[l] >= 1"), text, lang
            ) from None
        if any(n < 1 for n in sizes):
            raise _refuse(
                Text("every hidden layer needs n[l] >= 1 units", "每个隐藏层都需要 n[l] >= 1 个单元"), text, lang
            )
        return sizes

    return convert


def _activation(lang: str):
    """An argparse type: the name of an elementwise activation (one a hidden layer can use)."""

    def convert(name: str) -> str:
        valid = activations.names(elementwise=True)
        if name not in valid:
            raise argparse.ArgumentTypeError(say(Text(
                f"unknown activation {name!r}; valid names: {', '.join(valid)}",
                f"未知的激活函数 {name!r}；可用的名称：{'、'.join(valid)}",
            ), lang))  # fmt: skip
        return name

    return convert


#: The rule of a positive number of each kind a flag takes, and of a count that may be 0 (``--seed``).
POSITIVE = {
    int: Text("expected a positive int", "需要一个正整数（int）"),
    float: Text("expected a positive float", "需要一个正数（float）"),
}
NONNEGATIVE = Text("expected an int >= 0", "需要一个 >= 0 的整数（int）")


def _nonnegative(lang: str):
    """An argparse type: an int >= 0 (a seed of ``np.random.default_rng``)."""

    def convert(text):
        try:
            value = int(text)
        except ValueError:
            raise _refuse(NONNEGATIVE, text, lang) from None
        if value < 0:
            raise _refuse(NONNEGATIVE, text, lang)
        return value

    return convert


def _positive(kind, lang: str):
    """An argparse type: a positive finite ``kind`` (int or float)."""

    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            raise _refuse(POSITIVE[kind], text, lang) from None
        if not value > 0 or (kind is float and not np.isfinite(value)):  # an int is finite, beyond int64 too
            raise _refuse(POSITIVE[kind], text, lang)
        return value

    return convert


def _number(rule: Text, holds, lang: str):
    """An argparse type: a float for which ``holds(value)``; otherwise one line that states ``rule`` in ``lang``."""

    def convert(text):
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not holds(value):
            raise _refuse(rule, text, lang)
        return value

    return convert


#: The rules of the flags that take a number in a range, and the test each value must pass.
RANGES = {
    "rate": (
        Text("an averaging rate β is a number with 0 <= β < 1", "滑动平均的系数 β 是满足 0 <= β < 1 的数"),
        lambda value: 0 <= value < 1,
    ),
    "l2_strength": (
        Text("the L2 strength λ is a finite number >= 0", "L2 强度 λ 是 >= 0 的有限数"),
        lambda value: 0 <= value < np.inf,
    ),
    "keep_prob": (
        Text(
            "keep_prob is the probability of keeping a unit, in (0, 1]", "keep_prob 是保留一个单元的概率，在 (0, 1] 中"
        ),
        lambda value: 0 < value <= 1,
    ),
}


def _asked_language(argv) -> str:
    """The language ``--lang`` asks for in ``argv`` (English if none, or one not in :data:`~nn.words.LANGUAGES`),
    read before argparse reads the flags, so that its refusal of a flag before ``--lang`` speaks it too."""
    lang = "en"
    for arg, following in itertools.pairwise([*argv, None]):
        value = following if arg == "--lang" else arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        lang = value if value in LANGUAGES else lang
    return lang


def _takes_lang(parser: argparse.ArgumentParser, default: str) -> None:
    """Give ``parser`` the flag ``--lang en|zh``, with ``default``."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help="the language of what it prints (its report or summary, its error line): en (English) or zh (简体中文) "
        "(default en)",
    )


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """Return the ``python -m nn`` argument parser, whose refusals are in ``lang``."""
    parser = _Parser(
        prog="python -m nn",
        description="Train the hand-written numpy network on a bundled data set, or check your own backprop.",
        lang=lang,
    )
    # --lang, which every command takes, after its name or before it (python -m nn --lang zh check FILE); the top
    # parser alone has the default, so that a command's own --lang, when given, is the one kept
    _takes_lang(parser, "en")
    speaks = argparse.ArgumentParser(add_help=False)
    _takes_lang(speaks, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)  # none given: main says so, in lang
    train = commands.add_parser(
        "train",
        parents=[speaks],
        lang=lang,
        help="train a network and report its cost and accuracy",
        epilog="exit status: 0 trained; 2 a bad input (one line on stderr, before any training); "
        "1 training diverged (lower --lr)",
    )
    train.add_argument("--dataset", required=True, choices=datasets.NAMES)
    train.add_argument(
        "--layers",
        nargs="*",
        type=_sizes(lang),
        metavar="N",
        help="hidden sizes n[1] ... n[L-1], space- or comma-separated; none for logistic regression",
    )
    train.add_argument(
        "--activation",
        type=_activation(lang),
        help=f"hidden activation: {', '.join(activations.names(elementwise=True))}",
    )
    train.add_argument("--init", choices=INIT_METHODS)
    train.add_argument(
        "--loss", choices=LOSSES, help="default: cross_entropy for digits10 (softmax output), bce otherwise"
    )
    train.add_argument("--iterations", type=_positive(int, lang))
    train.add_argument("--lr", type=_positive(float, lang), help="learning rate alpha")
    train.add_argument(
        "--seed",
        type=_nonnegative(lang),
        default=0,
        help="seed of the initialization, shuffles and dropout masks (default 0)",
    )
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="gd", help="the update rule (default gd)")
    train.add_argument(
        "--mini-batch-size", type=_positive(int, lang), metavar="N", help="columns per mini-batch; default all m"
    )
    rate, l2_strength, keep_prob = (_number(*RANGES[name], lang) for name in ("rate", "l2_strength", "keep_prob"))
    train.add_argument("--beta", type=rate, default=0.9, help="momentum's β (default 0.9)")
    train.add_argument("--beta1", type=rate, default=0.9, help="Adam's β1 (default 0.9)")
    train.add_argument("--beta2", type=rate, default=0.999, help="Adam's and RMSprop's β2 (default 0.999)")
    train.add_argument(
        "--epsilon", type=_positive(float, lang), default=1e-8, help="RMSprop's and Adam's ε (default 1e-8)"
    )
    train.add_argument("--lambd", type=l2_strength, default=0.0, help="L2 strength lambda >= 0 (default 0: none)")
    train.add_argument(
        "--keep-prob", type=keep_prob, default=1.0, help="dropout: probability of keeping a hidden unit, in (0, 1]"
    )
    train.add_argument("--batch-norm", action="store_true", help="batch normalization in the hidden layers")
    train.add_argument(
        "--digits",
        nargs=2,
        type=int,
        metavar=("POS", "NEG"),
        help="for --dataset digits: the digit labelled 1 and the digit labelled 0 (default 1 0)",
    )
    train.add_argument("--plot", type=Path, metavar="DIR", help="write cost.png (and boundary.png for 2-D data) here")
    train.add_argument("--json", action="store_true", help="print a JSON summary instead of text")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    check = commands.add_parser(
        "check",
        help="check the gradients of your own backprop code in a Python file",
        description="Check the gradients your own code computes against numeric differences of its cost.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[speaks],
        lang=lang,
    )
    check.add_argument(
        "file",
        type=Path,
        help="defines " + "; or ".join(", ".join(names) for names in gradcheck.adapters.FILE_NAMES.values()),
    )
    check.add_argument(
        "--kind",
        choices=list(gradcheck.adapters.FILE_NAMES),
        help="which of those sets of names to check, when the file defines several "
        "(default: every one it defines; pooling is checked in max and average modes)",
    )
    check.add_argument(
        "--mode",
        choices=gradcheck.MODES,
        default="full",
        help="full: a central difference on every entry (small networks); directional: along 4 random "
        "directions of all parameters at once (large networks); complex: the complex step, exact to "
        "rounding, for code that accepts complex numbers and has no kink (default full)",
    )
    check.add_argument(
        "--timeout",
        type=_positive(float, lang),
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"stop a file that runs longer than this (default {TIMEOUT:g})",
    )
    figures = commands.add_parser(
        "figures", help="write the PNGs and tables of docs/experiments/ (a few minutes)", parents=[speaks], lang=lang
    )
    figures.add_argument("directory", type=Path, help="e.g. docs/experiments/img")
    return parser


def fit(X, Y, layer_dims, activation_names, *, loss, init, learning_rate, iterations, seed, progress=False, **extra):
    """``nn.train``, with a progress bar showing the cost when ``progress`` is set; ``extra`` are
    train's other keywords (the optimizer's, ``lambd``, ``keep_prob``, ``batch_norm``)."""
    options = {"loss": loss, "init": init, "learning_rate": learning_rate, "num_iterations": iterations, "seed": seed}
    options |= extra
    if not progress:
        return train(X, Y, layer_dims, activation_names, **options)
    from tqdm import tqdm

    with tqdm(total=iterations, file=sys.stderr, unit="it", leave=False) as bar:

        def show(iteration, cost):
            if iteration % 100 == 0 or iteration == iterations - 1:
                bar.set_postfix(cost=f"{cost:.4f}", refresh=False)
                bar.update(iteration + 1 - bar.n)

        return train(X, Y, layer_dims, activation_names, callback=show, **options)


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
    rule = {"optimizer": args.optimizer, "mini_batch_size": args.mini_batch_size, "beta": args.beta}
    rule |= {"beta1": args.beta1, "beta2": args.beta2, "epsilon": args.epsilon}

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
        **rule,
        lambd=args.lambd,
        keep_prob=args.keep_prob,
        batch_norm=args.batch_norm,
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
        "optimizer": args.optimizer,
        "mini_batch_size": args.mini_batch_size,
        "lambd": args.lambd,
        "keep_prob": args.keep_prob,
        "batch_norm": args.batch_norm,
        "final_cost": costs[-1],
        "train_accuracy": datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train),
        "test_accuracy": None
        if data.X_test is None
        else datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test),
        "seconds": round(seconds, 3),
    }
    if args.plot:
        per = "iteration" if args.mini_batch_size is None else "epoch"
        _plot(args.plot, data, costs, parameters, names, args.lang, per)
    return summary


def _writable(directory: Path) -> Text | None:
    """Why the figures cannot be written to ``directory`` (created if missing), or None: checked before training."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        why = error.strerror or error  # the system's words
        return Text(
            f"argument --plot: cannot write the figures to {str(directory)!r}: {why}",
            f"参数 --plot：无法把图写到 {str(directory)!r}：{why}",
        )
    return None


def _missing_font() -> Text | None:
    """Why the figures' Chinese words cannot be drawn (no font has them), or None: checked before training."""
    from .experiments.plots import MissingFontError, cjk_font

    try:
        cjk_font()
    except MissingFontError as error:
        return error.args[0]
    return None


def _plot(directory: Path, data, costs, parameters, names, lang: str, per: str) -> None:
    """cost.png, the cost against the iteration (or, ``per="epoch"``, the epoch), and for 2-D data boundary.png;
    their words in ``lang``."""
    from .experiments.plots import drawing, plot_boundary, plot_costs, save

    directory.mkdir(parents=True, exist_ok=True)
    with drawing(lang) as plt:
        fig, ax = plt.subplots(figsize=(5, 3.5))
        plot_costs(ax, costs, lang=lang, per=per)
        save(fig, directory / "cost.png", dpi=80)
        if data.X_train.shape[0] == 2:
            fig, ax = plt.subplots(figsize=(4, 4))
            plot_boundary(ax, data.X_train, data.Y_train, parameters, names)
            save(fig, directory / "boundary.png", dpi=80)


class _Timeout(Exception):
    """The learner's file ran past ``--timeout``."""


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise :class:`_Timeout` after ``seconds`` of wall time, where a timer signal can be set (the
    main thread, on a system with SIGALRM: not Windows)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where(error, path: Path) -> Text:
    """' (at FILE:LINE, in FUNCTION)' for the last frame of the traceback in the learner's file, or '', with its
    Chinese twin."""
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).resolve() == path.resolve()
    ]
    if isinstance(error, SyntaxError) or not frames:
        return Text("", "")
    frame = frames[-1]
    at = f"{path}:{frame.lineno}"
    if frame.name == "<module>":
        return Text(f" (at {at}, in the file's top level)", f"（位于 {at}，在文件的顶层）")
    return Text(f" (at {at}, in {frame.name}())", f"（位于 {at}，在 {frame.name}() 中）")


def _check(path: Path, mode: str, timeout: float = TIMEOUT, kind: str | None = None, lang: str = "en") -> int:
    """Print the report on a learner's file, in ``lang``, and return the exit status: 0 if it passes, 1
    if a block fails, 3 if none fails but one cannot be told, 2 (one line on stderr, in ``lang`` but for the
    message of an error the learner's own code raised) if it cannot be checked."""

    def cannot(message) -> int:
        _error("python -m nn check", message, lang)
        return 2

    try:
        with warnings.catch_warnings(), _time_limit(timeout):
            warnings.simplefilter("ignore", gradcheck.WeakCheckWarning)  # the report says it in its own words
            report = gradcheck.adapters.check_file(path, mode, kind)
    except gradcheck.GradientShapeError as error:
        print(("失败：" if lang == "zh" else "FAIL: ") + error.text(lang))
        return 1
    except gradcheck.adapters.LearnerFileError as error:
        return cannot(error.args[0])
    except _Timeout:
        return cannot(Text(
            f"{path}: still running after {timeout:g} s (--timeout); nothing was checked",
            f"{path}：运行 {timeout:g} 秒后仍未结束（--timeout）；没有检查任何内容",
        ))  # fmt: skip
    except KeyboardInterrupt:
        return cannot(Text(f"{path}: interrupted; nothing was checked", f"{path}：被中断；没有检查任何内容"))
    except SystemExit as error:
        code, where = "" if error.code is None else repr(error.code), _where(error, path)
        return cannot(Text(
            f"{path}: the file called sys.exit({code}) or exit() (SystemExit){where}; nothing was checked: remove "
            f'the call, or put it under if __name__ == "__main__":',
            f"{path}：文件调用了 sys.exit({code}) 或 exit()（SystemExit）{where.zh}；没有检查任何内容：请删掉这个调用，"
            f'或把它放到 if __name__ == "__main__": 之下',
        ))  # fmt: skip
    except Exception as error:  # the learner's own code failed, or nn refused an input: say where, in one line
        # nn's refusal carries its Chinese twin (a ValueError, or a TypeError for a class such as an activation that
        # lacks its derivative, to the learner); the learner's message is as raised
        builtin = next(kind for kind in type(error).__mro__ if kind.__module__ == "builtins")
        name = (builtin if isinstance(error, Bilingual) else type(error)).__name__
        en, zh = (error.text(each) if isinstance(error, Bilingual) else str(error) for each in LANGUAGES)
        where = _where(error, path)
        en, zh = (message.replace("\n", " ") for message in (en, zh))
        said = Text(f"{path}: {name}: {en}", f"{path}：{name}：{zh}")
        return cannot(Text(said + where, said.zh + where.zh))
    print(report.text(lang))
    return 0 if report.passed else 1 if report.failed else 3


def _said(summary: dict) -> Text:
    """The one line that reports a training run's ``summary``."""
    head = f"{summary['dataset']} {summary['layers']} {summary['activation']}"
    cost, steps, train_accuracy = summary["final_cost"], summary["iterations"], summary["train_accuracy"]
    test = Text("", "")
    if summary["test_accuracy"] is not None:
        test = Text(f", test accuracy {summary['test_accuracy']:.2%}", f"，测试集准确率 {summary['test_accuracy']:.2%}")
    unit = Text("iterations", "次迭代") if summary["mini_batch_size"] is None else Text("epochs", "轮")
    return Text(
        f"{head}: cost {cost:.4f} after {steps} {unit}, train accuracy {train_accuracy:.2%}{test} "
        f"({summary['seconds']} s)",
        f"{head}：{steps} {unit.zh}后代价为 {cost:.4f}，训练集准确率 {train_accuracy:.2%}{test.zh}"
        f"（{summary['seconds']} 秒）",
    )


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_asked_language(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        *others, last = parser.commands.choices
        parser.error(say(Text(
            f"a command is missing: {', '.join(others)} or {last} (`python -m nn COMMAND --help` says what each takes)",
            f"缺少命令：{'、'.join(others)} 或 {last}（`python -m nn COMMAND --help` 说明每个命令接受什么）",
        ), args.lang))  # fmt: skip
    train_parser = parser.commands.choices["train"]  # its refusals name the command, as argparse's own do
    if args.command == "train" and args.digits is not None and args.dataset != "digits":
        train_parser.error(say(Text(
            f"argument --digits: picks the two classes of --dataset digits, not of --dataset {args.dataset}",
            f"参数 --digits：用于选出 --dataset digits 的两个类别，不能用于 --dataset {args.dataset}",
        ), args.lang))  # fmt: skip
    if args.command == "train" and args.digits is None:
        args.digits = [1, 0]
    if args.command == "train" and (args.digits[0] == args.digits[1] or not set(args.digits) <= set(range(10))):
        positive, negative = args.digits
        train_parser.error(say(Text(
            f"argument --digits: needs two different digits in 0..9, got {positive} and {negative}",
            f"参数 --digits：需要 0..9 中两个不同的数字，而给出的是 {positive} 和 {negative}",
        ), args.lang))  # fmt: skip
    if args.command == "train" and args.plot is not None:
        cannot = _writable(args.plot) or (_missing_font() if args.lang == "zh" else None)
        if cannot:
            _error("python -m nn train", cannot, args.lang)
            return 2
    if args.command == "check":
        return _check(args.file, args.mode, args.timeout, args.kind, args.lang)
    if args.command == "figures":
        from .experiments import write_all
        from .experiments.plots import MissingFontError

        try:
            write_all(args.directory)
        except MissingFontError as error:
            _error("python -m nn figures", error.args[0], args.lang)
            return 1
        return 0
    try:
        summary = _train(args)
    except (TrainingDiverged, FloatingPointError, OSError) as error:  # the inputs were fine
        _error("python -m nn train", _message(error), args.lang)
        return 1
    except ValueError as error:  # a bad input, which nn.train checks before its first step
        _error("python -m nn train", _message(error), args.lang)
        return 2
    print(json.dumps(summary) if args.json else say(_said(summary), args.lang))
    return 0


def _message(error: Exception) -> str:
    """``error``'s message: a :class:`~nn.words.Text` when nn wrote it, the words as written otherwise."""
    return error.args[0] if isinstance(error, InputError) else str(error)
