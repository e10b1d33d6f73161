"""Mutation catalogue: realistic backprop bugs that the test suite must catch.

Each mutant (:class:`nn.gradcheck.mistakes.Mutant`) is one exact text replacement in one file of
``nn/``; the known mistakes of a backward pass come first, from ``nn.gradcheck.mistakes.MISTAKES``,
which the gradient checker's diagnosis uses too, and the others follow here. The runner copies the project
to a temporary directory per mutant, applies the replacement (and stops loudly if the old text is
not found exactly once, so the catalogue cannot rot silently), runs the fast suite there, and
records whether the suite failed (killed) and which test failed first. It writes
``docs/mutations.md``.

Run from the project root (it takes a few minutes; it is not part of the normal test run):

    python -m tests.mutations [--workers 2] [--mutmut]

With ``--mutmut`` it also runs mutmut (``pip install -e .[mutation]``, mutmut 3.x) on the modules of ``nn/``
that hold the math, with the same fast suite, in a copy of the same snapshot, and adds its
score to the page with every survivor and the reason it hides no bug (:data:`SURVIVORS`); a
survivor that no reason fits makes the command fail. That takes a few more minutes.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from nn.gradcheck.mistakes import MISTAKES, Mutant

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not browser and not slow"]
IGNORE = shutil.ignore_patterns(".git", ".venv", "site", "__pycache__", ".hypothesis", ".ruff_cache", ".pytest_cache")
TIMEOUT = 600
MUTMUT_CONFIG = """
[tool.mutmut]
source_paths = ["nn/"]
pytest_add_cli_args_test_selection = ["tests/"]
also_copy = ["derivations/", "docs/", "tests/", "mkdocs.yml", "README.md"]
pytest_add_cli_args = ["-m", "not browser and not slow", "-p", "no:cacheprovider"]
"""
# the math; not checks, cli, gradcheck
MUTMUT_MODULES = ("network", "losses", "activations", "init", "train", "batchnorm")
MUTMUT_STATUS = {
    "🎉": "killed",
    "🙁": "survived",
    "⏰": "timeout",
    "🤔": "suspicious",
    "🫥": "no tests",
    "🔇": "skipped",
}


MUTANTS = [
    *MISTAKES,  # the known mistakes of a backward pass, shared with the diagnosis (nn/gradcheck/mistakes.py)
    Mutant("bce-output-gradient-multiplied", "nn/losses.py", "return (AL - Y) / (AL * (1 - AL))",
           "return (AL - Y) * (AL * (1 - AL))", "bce dA[L] = (A − Y) A(1 − A) instead of (A − Y)/(A(1 − A))"),
    Mutant("update-sign-flipped", "nn/train.py", "parameters[key] - learning_rate * grads",
           "parameters[key] + learning_rate * grads", "gradient ascent: W ← W + α dW"),
    Mutant("he-is-xavier", "nn/init.py", '"he": np.sqrt(2 / n_prev)', '"he": np.sqrt(1 / n_prev)',
           "He scaling √(2/n[l−1]) replaced by Xavier √(1/n[l−1])"),
    Mutant("bce-cost-summed", "nn/losses.py", "J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m",
           "J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))", "bce cost summed over samples, not averaged"),
    Mutant("mse-cost-summed", "nn/losses.py", "J = np.sum((AL - Y) ** 2) / m", "J = np.sum((AL - Y) ** 2)",
           "mse cost summed over samples, not averaged"),
    Mutant("softmax-jacobian-diagonal", "nn/activations.py",
           "return A * (dA - np.sum(A * dA, axis=0, keepdims=True))", "return A * (1 - A) * dA",
           "softmax backward dZ = A(1 − A) ⊙ dA, the diagonal of its Jacobian only, as if it were elementwise"),
    Mutant("softmax-no-max-shift", "nn/activations.py", "E = np.exp(Z - Z.max(axis=0, keepdims=True))",
           "E = np.exp(Z)", "softmax e^z / Σ e^z without subtracting each column's max (overflows for large z)"),
    Mutant("softmax-over-samples", "nn/activations.py", "return E / E.sum(axis=0, keepdims=True)",
           "return E / E.sum(axis=1, keepdims=True)", "softmax normalised over the samples (axis 1), not the classes"),
    Mutant("cross-entropy-cost-summed", "nn/losses.py", "J = -np.sum(Y * log_A) / m",
           "J = -np.sum(Y * log_A)", "cross-entropy cost (logits form) summed, not averaged"),
    Mutant("cross-entropy-log-normaliser-dropped", "nn/losses.py", "log_A = S - np.log(",
           "log_A = S + 0 * np.log(", "log A[L] taken as the shifted logits, without subtracting log Σ e^S"),
    Mutant("adam-no-bias-correction", "nn/optimizers.py",
           "v_hat = v[d] / (1 - beta1**t)\n        s_hat = s[d] / (1 - beta2**t)", "v_hat = v[d]\n        s_hat = s[d]",
           "Adam without bias correction: v and s used in place of v̂ = v/(1 − β₁ᵗ) and ŝ = s/(1 − β₂ᵗ)"),
    Mutant("adam-first-moment-uncorrected", "nn/optimizers.py", "v_hat = v[d] / (1 - beta1**t)", "v_hat = v[d]",
           "Adam corrects s but not v"),
    Mutant("adam-epsilon-inside-root", "nn/optimizers.py", "v_hat / (np.sqrt(s_hat) + epsilon)",
           "v_hat / np.sqrt(s_hat + epsilon)", "Adam divides by √(ŝ + ε) instead of √ŝ + ε"),
    Mutant("adam-t-never-advances", "nn/train.py", "        t += 1\n", "        t = 1\n",
           "train's Adam corrects every step with t = 1 instead of counting the steps"),
    Mutant("rmsprop-no-root", "nn/optimizers.py", "grads[d] / (np.sqrt(s[d]) + epsilon)", "grads[d] / (s[d] + epsilon)",
           "RMSprop divides by s + ε instead of √s + ε"),
    Mutant("rmsprop-gradient-not-squared", "nn/optimizers.py",
           "(1 - beta2) * grads[d] ** 2\n        parameters", "(1 - beta2) * abs(grads[d])\n        parameters",
           "RMSprop averages abs(dθ) instead of dθ²"),
    Mutant("momentum-beta-swapped", "nn/optimizers.py", "v[d] = beta * v[d] + (1 - beta) * grads[d]",
           "v[d] = (1 - beta) * v[d] + beta * grads[d]", "momentum v = (1 − β) v + β dθ: β and 1 − β swapped"),
    Mutant("momentum-steps-along-gradient", "nn/optimizers.py", "parameters[key] - learning_rate * v[d]",
           "parameters[key] - learning_rate * grads[d]", "momentum computes v but steps with dθ"),
    Mutant("mini-batch-labels-not-shuffled", "nn/optimizers.py", "X, Y = X[:, permutation], Y[:, permutation]",
           "X, Y = X[:, permutation], Y", "mini-batches shuffle X's columns but not Y's: labels leave their samples"),
    Mutant("epoch-cost-unweighted", "nn/train.py", "J * X_batch.shape[1] for J", "J * m / len(batches) for J",
           "epoch cost as the plain mean of the batch costs: the smaller last batch counts as much as a full one"),
    Mutant("batchnorm-dZ-without-mean-terms", "nn/batchnorm.py",
           "(m * dZ_hat - mean_share - Z_hat * variance_share)", "(m * dZ_hat)",
           "batch norm dZ = γ dZ̃/√(σ² + ε), as if μ and σ² did not depend on Z (no mean or variance terms)"),
    Mutant("batchnorm-dZ-without-variance-term", "nn/batchnorm.py",
           " - Z_hat * variance_share)", ")",
           "batch norm dZ without the σ² path, the Ẑ ⊙ Σ dẐ ⊙ Ẑ term"),
    Mutant("batchnorm-backward-without-epsilon", "nn/batchnorm.py", "/ (m * np.sqrt(var + EPSILON))",
           "/ (m * np.sqrt(var))", "batch norm backward divides by √σ², forward by √(σ² + ε)"),
    Mutant("batchnorm-dgamma-without-Zhat", "nn/batchnorm.py",
           "dgamma = (dZ_tilde * Z_hat).sum(axis=1, keepdims=True) / m",
           "dgamma = dZ_tilde.sum(axis=1, keepdims=True) / m", "dγ = (1/m) Σ dZ̃, the Ẑ factor dropped"),
    Mutant("batchnorm-running-average-swapped", "nn/batchnorm.py",
           "(1 - MOMENTUM) * parameters[f\"running_mean{l}\"] + MOMENTUM * cache[f\"mu{l}\"]",
           "MOMENTUM * parameters[f\"running_mean{l}\"] + (1 - MOMENTUM) * cache[f\"mu{l}\"]",
           "running mean moves 90% of the way to each batch's μ instead of 10%"),
    Mutant("dropout-backward-no-1/keep_prob", "nn/network.py",
           'dA_prev = dA_prev * cache[f"D{l - 1}"] / cache[f"keep_prob{l - 1}"]',
           'dA_prev = dA_prev * cache[f"D{l - 1}"]', "dropout backward dA[l] ⊙ D[l] without the 1/keep_prob"),
    Mutant("dropout-forward-not-inverted", "nn/network.py", "A = A * D / p", "A = A * D",
           "plain dropout A ⊙ D, not scaled by 1/keep_prob, while backward still divides"),
    Mutant("dropout-output-layer-dropped", "nn/checks.py", "values = values * (L - 1)", "values = values * L",
           "keep_prob applied to the output layer too"),
    Mutant("l2-on-b", "nn/network.py", 'grads[f"dW{l}"] += (lambd / m) * parameters[f"W{l}"]',
           'grads[f"dW{l}"] += (lambd / m) * parameters[f"W{l}"]\n'
           '            if f"b{l}" in parameters:\n'
           '                grads[f"db{l}"] = grads[f"db{l}"] + (lambd / m) * parameters[f"b{l}"]',
           "L2 gradient (λ/m) b added to db[l], as if the penalty regularized b"),
    Mutant("l2-dW-without-1/m", "nn/network.py", 'grads[f"dW{l}"] += (lambd / m) * parameters[f"W{l}"]',
           'grads[f"dW{l}"] += lambd * parameters[f"W{l}"]', "L2 gradient λ W instead of (λ/m) W"),
    Mutant("l2-cost-without-half", "nn/losses.py", "return lambd / (2 * m) * sum(", "return lambd / m * sum(",
           "L2 penalty (λ/m) Σ ‖W‖² while the gradient stays (λ/m) W"),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Explained:
    """Why mutmut's mutants of ``function`` whose mutated line matches ``change`` survive the suite
    without hiding a bug. ``category`` is "equivalent" (the same results for every input),
    "within rounding" (a change smaller than the rounding the input already carries),
    "unreachable" (a guard that no input reaches first) or "memory only"."""

    function: str  # a regex matched in full against "module.Class.method" or "module.function"
    change: str  # a regex searched for in the mutated line; it names the change, not the line
    category: str
    why: str


SURVIVORS = [
    Explained(r"activations\.(ELU|SELU)\.\w+", r"np\.minimum\(Z, 1\)", "equivalent",
              "np.where keeps the branch with np.minimum only where z ≤ 0, and there min(z, 1) = min(z, 0) = z; "
              "the minimum only keeps exp finite on the branch np.where throws away"),
    Explained(r"activations\.ELU\.derivative", r"np\.where\(None, ", "equivalent",
              "with the condition None np.where always takes exp(min(z, 0)), which is e⁰ = 1 for z > 0: "
              "ELU′ in one expression"),
    Explained(r"activations\.ELU\.derivative", r"np\.where\(Z > 1, ", "equivalent",
              "for 0 < z ≤ 1 the other branch gives exp(min(z, 0)) = e⁰ = 1, the same slope"),
    Explained(r"activations\.(ELU|SELU|LeakyReLU)\.(forward|derivative)", r"np\.where\(Z >= 0, ", "equivalent",
              "the two branches agree at z = 0 (elu: 0 = e⁰ − 1 and 1 = e⁰; selu: 0 = λα(e⁰ − 1); "
              "leaky relu: 0 = 0.01 · 0), so which one owns z = 0 does not matter"),
    Explained(r"activations\.Sigmoid\.forward", r"np\.where\(Z > 0, s, e \* s\)", "equivalent",
              "the two branches agree at z = 0: 1/(1 + e⁰) = e⁰/(1 + e⁰) = 1/2"),
    Explained(r"activations\.Mish\._tanh_softplus", r"positive = Z >= 0", "equivalent",
              "both branches give T = 3/5 and 1 − T = 2/5 at z = 0 (w = e⁰ = 1)"),
    Explained(r"activations\.LeakyReLU\.derivative", r"result_type\(Z, (?!0\.01\))[\d.]+\)", "equivalent",
              "np.result_type of Z and any Python float is Z's float dtype, or float64 for integer Z: "
              "the float's value plays no part"),
    Explained(r"activations\._normal_cdf", r"math\.sqrt\(2\)\), (dtype=None)?\)\)", "equivalent",
              "without dtype=float np.asarray keeps the object array of Python floats that math.erfc returns; "
              "0.5 times it, cast by .astype(Z.dtype), holds the same numbers"),
    Explained(r"activations\._normal_cdf", r"np\.asarray\(Z, (dtype=None)?\)", "within rounding",
              "float64 Z is unchanged; float32 Z has −z/√2 rounded to float32 before math.erfc, an error of the "
              "size the float32 Z already carries"),
    Explained(r"activations\.Softmax\.(forward|backward)|losses\._cost", r"axis=0, (keepdims=False)?\)", "equivalent",
              "a column reduction of shape (m,) broadcasts against (K, m) along the columns exactly as one "
              "of shape (1, m) does"),
    Explained(r"losses\._cost", r"np\.clip\(AL, np\.finfo\(AL\.dtype\)\.eps, (None|2)\)", "equivalent",
              "cross_entropy's A[L] is checked to hold distributions, so A ≤ 1 and the clip's upper bound "
              "never acts"),
    Explained(r"init\.initialize_parameters", r"\.astype\(dtype, (copy=(None|True))?\)", "memory only",
              "the product is a fresh array either way; copy= only decides whether astype may return it "
              "instead of a copy"),
    Explained(r"network\.predict", r"reshape\(1, -2\)", "equivalent",
              "numpy reads a negative size in reshape as the rest of the array, so (1, -2) gives (1, m) as "
              "(1, -1) does"),
    Explained(r"train\.train", r'errstate\(over="raise", (?!divide="raise", invalid="raise"\))', "unreachable",
              "with finite inputs, training meets a division by zero or an invalid value only after an "
              "overflow (bce's A(1 − A) is checked before it divides, softmax's sums are ≥ 1), and "
              "over='raise' still stops it there"),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Survivor:
    name: str  # mutmut's: "nn.activations.xǁELUǁderivative__mutmut_7"
    old: str  # the line before and after the mutation
    new: str

    @property
    def function(self) -> str:
        """ "activations.ELU.derivative" or "activations._normal_cdf" from mutmut's name."""
        found = re.fullmatch(r"nn\.(\w+)\.x(?:ǁ([^ǁ]+)ǁ|_)(\w+?)__mutmut_\d+", self.name)
        if not found:
            return self.name
        module, cls, function = found.groups()
        return ".".join(part for part in (module, cls, function) if part)

    def explained(self) -> Explained | None:
        return next(
            (e for e in SURVIVORS if re.fullmatch(e.function, self.function) and re.search(e.change, self.new)),
            None,
        )


@dataclasses.dataclass
class Outcome:
    mutant: Mutant
    killed: bool
    killer: str
    seconds: float


def copy_project(source: Path, destination: Path) -> Path:
    target = destination / "project"
    shutil.copytree(source, target, ignore=IGNORE)
    return target


def patched(mutant: Mutant, project: Path) -> str:
    """The text of the mutant's file in ``project`` with the replacement made; raise unless it matches once."""
    text = (project / mutant.file).read_text()
    count = text.count(mutant.old)
    if count != 1:
        raise SystemExit(
            f"mutant {mutant.name}: the old text {mutant.old!r} occurs {count} times in {mutant.file}, not once; "
            f"update the catalogue in tests/mutations.py to match the code"
        )
    return text.replace(mutant.old, mutant.new)


def run_suite(project: Path, extra: list[str], exitfirst: bool = True) -> tuple[int, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = PYTEST + extra if exitfirst else [arg for arg in PYTEST if arg != "-x"] + extra
    try:
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, f"TIMEOUT after {TIMEOUT} s"
    return done.returncode, done.stdout + done.stderr


def failures(output: str) -> list[str]:
    """Node ids of the FAILED / ERROR lines of pytest's short summary, in order."""
    return re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", output, flags=re.MULTILINE)


def grouped(nodes: list[str]) -> dict[str, int]:
    """Failing node ids counted per test function (parameters dropped)."""
    counts: dict[str, int] = {}
    for node in nodes:
        test = re.sub(r"\[.*\]$", "", node)
        counts[test] = counts.get(test, 0) + 1
    return counts


def run_mutant(mutant: Mutant, snapshot: Path, deselect: list[str]) -> Outcome:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        project = copy_project(snapshot, Path(tmp))
        (project / mutant.file).write_text(patched(mutant, project))
        code, output = run_suite(project, deselect)
    found = failures(output)
    killer = found[0] if found else ("timeout" if code == -1 else f"exit code {code}" if code else "")
    return Outcome(mutant, code != 0, killer, time.perf_counter() - start)


def run_mutmut(snapshot: Path, workers: int) -> tuple[dict[str, dict[str, int]], list[Survivor]]:
    """Run mutmut on the modules of MUTMUT_MODULES in a copy of ``snapshot``; count its results per
    module and return each survivor with its mutated line."""
    with tempfile.TemporaryDirectory(prefix="mutmut-") as tmp:
        project = copy_project(snapshot, Path(tmp))
        with (project / "pyproject.toml").open("a") as pyproject:
            pyproject.write(MUTMUT_CONFIG)
        names = [f"nn.{module}*" for module in MUTMUT_MODULES]
        mutmut = [sys.executable, "-m", "mutmut"]
        done = subprocess.run(
            [*mutmut, "run", "--max-children", str(workers), *names], cwd=project, capture_output=True, text=True
        )
        # after the run mutmut lists one line per mutant: "🎉 nn.network.x__backward__mutmut_3"
        results = re.findall(r"^(\S) (nn\.(\w+)\.\S+)$", done.stdout.replace("\r", "\n"), flags=re.MULTILINE)
        if done.returncode or not results:
            raise SystemExit(f"mutmut failed (exit code {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
        counts = {module: dict.fromkeys(MUTMUT_STATUS.values(), 0) for module in MUTMUT_MODULES}
        survivors = []
        for emoji, name, module in results:
            if emoji in MUTMUT_STATUS and module in counts:
                counts[module][MUTMUT_STATUS[emoji]] += 1
            if MUTMUT_STATUS.get(emoji) == "survived":
                shown = subprocess.run([*mutmut, "show", name], cwd=project, capture_output=True, text=True).stdout
                old, new = (re.search(rf"^\{sign}(?!\{sign}\{sign} )(.*)$", shown, flags=re.MULTILINE) for sign in "-+")
                survivors.append(Survivor(name, old[1].strip() if old else "?", new[1].strip() if new else "?"))
    return counts, survivors


def mutmut_section(counts: dict[str, dict[str, int]], survivors: list[Survivor]) -> list[str]:
    statuses = list(MUTMUT_STATUS.values())
    total = {status: sum(module[status] for module in counts.values()) for status in statuses}
    rows = [*counts.items(), ("**all**", total)]
    tested = total["killed"] + total["survived"] + total["timeout"] + total["suspicious"]
    lines = [
        "",
        "## mutmut",
        "",
        f"Every mutant mutmut {version('mutmut')} makes of the modules that hold the math, against the same",
        "fast suite (generated by `python -m tests.mutations --mutmut`, which runs `mutmut run` on",
        "`nn.network*`, `nn.losses*`, `nn.activations*`, `nn.init*` and `nn.train*` with this configuration):",
        "",
        "```toml",
        MUTMUT_CONFIG.strip(),
        "```",
        "",
        "| module | " + " | ".join(statuses) + " |",
        "|---|" + "---|" * len(statuses),
        *[f"| {module} | " + " | ".join(str(row[status]) for status in statuses) + " |" for module, row in rows],
        "",
        f"**Score: {total['killed']} killed of {tested} mutants run ({total['killed'] / max(tested, 1):.1%}).**",
    ]
    if not survivors:
        return lines
    groups: dict[Explained | None, list[Survivor]] = {}
    for survivor in survivors:
        groups.setdefault(survivor.explained(), []).append(survivor)
    lines += [
        "",
        "### Why the survivors survive",
        "",
        "Each survivor, with the mutated line before and after, grouped by the reason it hides no bug",
        "(the reasons are data in `tests/mutations.py`, matched to each mutant by its function and change;",
        "a survivor that matches none is listed as unexplained).",
    ]
    for explained, group in sorted(groups.items(), key=lambda item: item[0] is None):
        heading = (
            f"**unexplained** ({len(group)})"
            if explained is None
            else f"**{explained.category}** ({len(group)}): {explained.why}."
        )
        lines += ["", heading, ""]
        lines += [f"- `{s.function}` (`{s.name.rsplit('_', 1)[1]}`): `{s.old}` → `{s.new}`" for s in group]
    return lines


def markdown(
    outcomes: list[Outcome], baseline: list[str], mutmut: tuple[dict[str, dict[str, int]], list[Survivor]] | None
) -> str:
    killed = sum(outcome.killed for outcome in outcomes)
    lines = [
        "# Mutation catalogue",
        "",
        "Each row is a realistic backprop bug, applied as one exact text replacement to a copy of the",
        "project; the fast test suite then runs on the copy. *Killed* means the suite failed, and the",
        "last column names the first test that failed. Generated by",
        "",
        "```",
        "python -m tests.mutations",
        "```",
        "",
        f"which ran `{shlex.join(['python', *PYTEST[1:]])}` per mutant.",
        "",
        f"**{killed} of {len(outcomes)} mutants killed.**",
        "",
    ]
    if baseline:
        lines += [
            f"The unmutated suite failed {len(baseline)} tests when the catalogue ran (work in progress);",
            "they were deselected, so no mutant counts as killed by them:",
            "",
            *[f"- `{test}`: {count}" for test, count in grouped(baseline).items()],
            "",
        ]
    lines += [
        "The mutants with a derivation are the known mistakes that the gradient checker's diagnosis",
        "recognises in a learner's code ([Check your own backprop](check-your-own.md)); they come from",
        "`nn/gradcheck/mistakes.py`, which both use.",
        "",
        "| mutant | file | the bug | derivation | result | killing test |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        result = "killed" if o.killed else "**SURVIVED**"
        derivation = f"`{o.mutant.derivation}`" if o.mutant.derivation else "—"
        lines.append(
            f"| `{o.mutant.name}` | `{o.mutant.file}` | {o.mutant.words} | {derivation} | {result} "
            f"| `{o.killer or '—'}` |"
        )
    if mutmut:
        lines += mutmut_section(*mutmut)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mutmut", action="store_true", help="also run mutmut over nn/ and report its score")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "mutations.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        # one snapshot, so that edits made to the working tree meanwhile cannot mix into the run
        snapshot = copy_project(ROOT, Path(tmp))
        for mutant in MUTANTS:  # every old text must match before any suite runs
            patched(mutant, snapshot)
        code, output = run_suite(snapshot, [], exitfirst=False)
        baseline = failures(output) if code else []
        if code and not baseline:
            raise SystemExit(f"the unmutated suite did not run (exit code {code}):\n{output[-3000:]}")
        for test, count in grouped(baseline).items():
            print(f"baseline: {test} fails {count} time(s) without any mutation; deselected", flush=True)
        deselect = [arg for node in baseline for arg in ("--deselect", node)]
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            outcomes = list(pool.map(lambda mutant: run_mutant(mutant, snapshot, deselect), MUTANTS))
        width = max(len(mutant.name) for mutant in MUTANTS)
        for o in outcomes:
            status = "killed  " if o.killed else "SURVIVED"
            print(f"{o.mutant.name:<{width}}  {status}  {o.seconds:5.1f} s  {o.killer}", flush=True)
        args.output.write_text(markdown(outcomes, baseline, None))
        mutmut = run_mutmut(snapshot, args.workers) if args.mutmut else None
    unexplained = []
    if mutmut:
        counts, survivors = mutmut
        for module, row in counts.items():
            print(f"mutmut nn/{module}.py:", ", ".join(f"{key} {value}" for key, value in row.items()))
        unexplained = [survivor for survivor in survivors if survivor.explained() is None]
        for survivor in unexplained:
            print(f"mutmut survivor without an explanation: {survivor.name}: {survivor.old} -> {survivor.new}")
    args.output.write_text(markdown(outcomes, baseline, mutmut))
    survived = [o.mutant.name for o in outcomes if not o.killed]
    print(f"{len(outcomes) - len(survived)} of {len(outcomes)} killed; wrote {args.output}")
    return 1 if survived or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
