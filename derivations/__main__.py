"""``python -m derivations``: derive every result with SymPy, print it, and verify it.

Exits with status 1 if any derivation fails its symbolic proof.
``python -m derivations new-activation NAME "EXPR" --summary EN --summary-zh ZH`` drafts a new
activation instead, with its one-line summary in English and Chinese (see ``derivations/scaffold.py``).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import derivations
from derivations.core import Text, say

#: The report's own sentences.
NUMERIC = Text("   (finite-difference rel. error {error:.1e})", "   （有限差分相对误差 {error:.1e}）")
#: The same for a numeric check of another kind, which the derivation names (Derivation.numeric_check).
NUMERIC_CHECK = Text("   ({check}: rel. error {error:.1e})", "   （{check}：相对误差 {error:.1e}）")
FAILED = Text("    failed step: {step}", "    未能证明的步骤：{step}")
SUMMARY = Text(
    "{passed} of {total} derivations verified in {seconds:.1f} s",
    "{total} 个推导中 {passed} 个验证通过，用时 {seconds:.1f} 秒",
)


#: Where --help points at the other command, which has options of its own.
EPILOG = (
    'python -m derivations new-activation NAME "EXPR" --summary EN --summary-zh ZH drafts a new activation '
    "instead (python -m derivations new-activation --help: its options)."
)


def _checked(key: str, lang: str = "en") -> tuple[str, derivations.Verification]:
    """Build and verify one derivation: its text and its verification (picklable, for a worker process)."""
    d = derivations.get(key)
    return d.text(lang), d.verify()


def _checked_together(keys: list[str], lang: str = "en") -> dict[str, tuple[str, derivations.Verification]]:
    """:func:`_checked` for several keys in one worker process, by key."""
    return {key: _checked(key, lang) for key in keys}


def _tasks(keys: list[str]) -> list[list[str]]:
    """The keys grouped for the worker processes, largest groups first, the modules before the activations.

    A module builds all its derivations at once, so its keys go to one process, which builds them
    once; each activation builds alone. The modules start first, the largest first (a module of one
    derivation too: batchnorm's takes most of a second), and the activations fill in after them, so
    the processes finish at about the same time.
    """
    groups: dict[str, list[str]] = {}
    for key in keys:
        family = derivations._index()[key]
        groups.setdefault(key if family == "activations" else family, []).append(key)

    def order(task: list[str]) -> tuple[int, bool]:
        return len(task), derivations._index()[task[0]] != "activations"

    return sorted(groups.values(), key=order, reverse=True)


def verify_all(keys: list[str] | None, quiet: bool, jobs: int = 1, lang: str = "en") -> int:
    """Verify the derivations (all when ``keys`` is empty) in ``jobs`` processes; print them in order, in ``lang``."""
    start = time.perf_counter()
    failures = 0
    chosen = keys or derivations.keys()
    if jobs > 1 and len(chosen) > 1:
        tasks = _tasks(chosen)
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = {}
            for checked in pool.map(_checked_together, tasks, [lang] * len(tasks)):
                done |= checked
        results = [done[key] for key in chosen]
    else:
        results = [_checked(key, lang) for key in chosen]
    for key, (text, result) in zip(chosen, results, strict=True):
        mark = "✓" if result.ok else "✗"
        numeric = "" if result.numeric_error is None else say(NUMERIC, lang).format(error=result.numeric_error)
        if result.numeric_error is not None and result.numeric_check is not None:
            numeric = say(NUMERIC_CHECK, lang).format(check=say(result.numeric_check, lang), error=result.numeric_error)
        if not quiet:
            print(text)
        print(f"{mark} {key}{numeric}")
        for step in result.failed_steps:
            print(say(FAILED, lang).format(step=step))
        if not quiet:
            print()
        failures += not result.ok
    elapsed = time.perf_counter() - start
    print(say(SUMMARY, lang).format(passed=len(chosen) - failures, total=len(chosen), seconds=elapsed))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["new-activation"]:
        from derivations import scaffold

        return scaffold.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m derivations", description=__doc__.splitlines()[0], epilog=EPILOG)
    parser.add_argument("keys", nargs="*", help="derivations to run (default: all); e.g. output.sigmoid_bce")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the ✓/✗ lines")
    parser.add_argument("--list", action="store_true", help="list the derivation keys and exit")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "--lang", choices=derivations.LANGUAGES, default="en", help="language of the prose: en (default) or zh"
    )
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(derivations.keys()))
        return 0
    unknown = [k for k in args.keys if k not in derivations.keys()]
    if unknown:
        parser.error(say(Text(
            f"unknown derivation(s) {', '.join(unknown)}; use --list to see the keys",
            f"未知的推导 {'、'.join(unknown)}；用 --list 查看所有的键",
        ), args.lang))  # fmt: skip
    if args.jobs < 1:
        parser.error(say(Text(
            f"--jobs needs at least 1 worker process, got {args.jobs}",
            f"--jobs 至少需要 1 个工作进程，而给出的是 {args.jobs}",
        ), args.lang))  # fmt: skip
    keys = list(dict.fromkeys(args.keys))  # a key named twice is one derivation, verified and counted once
    return verify_all(keys, args.quiet, args.jobs, args.lang)


if __name__ == "__main__":
    # SymPy makes many short-lived objects: with Python's default thresholds the collector runs a
    # thousand times in a proof's process; collecting less often frees the same garbage, sooner or later.
    gc.set_threshold(50_000, 20, 100)
    sys.exit(main())
