"""``python -m derivations``: derive every result with SymPy, print it, and verify it.

Exits with status 1 if any derivation fails its symbolic proof.
``python -m derivations new-activation NAME "EXPR"`` drafts a new activation instead
(see ``derivations/scaffold.py``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import derivations


def _checked(key: str) -> tuple[str, derivations.Verification]:
    """Build and verify one derivation: its text and its verification (picklable, for a worker process)."""
    d = derivations.get(key)
    return d.text(), d.verify()


def verify_all(keys: list[str] | None, quiet: bool, jobs: int = 1) -> int:
    """Verify the derivations (all when ``keys`` is empty) in ``jobs`` processes; print them in order."""
    start = time.perf_counter()
    failures = 0
    chosen = keys or derivations.keys()
    if jobs > 1 and len(chosen) > 1:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_checked, chosen))
    else:
        results = [_checked(key) for key in chosen]
    for key, (text, result) in zip(chosen, results, strict=True):
        mark = "✓" if result.ok else "✗"
        numeric = (
            "" if result.numeric_error is None else f"   (finite-difference rel. error {result.numeric_error:.1e})"
        )
        if not quiet:
            print(text)
        print(f"{mark} {key}{numeric}")
        for step in result.failed_steps:
            print(f"    failed step: {step}")
        if not quiet:
            print()
        failures += not result.ok
    elapsed = time.perf_counter() - start
    print(f"{len(chosen) - failures} of {len(chosen)} derivations verified in {elapsed:.1f} s")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["new-activation"]:
        from derivations import scaffold

        return scaffold.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m derivations", description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="derivations to run (default: all); e.g. output.sigmoid_bce")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the ✓/✗ lines")
    parser.add_argument("--list", action="store_true", help="list the derivation keys and exit")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)"
    )
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(derivations.keys()))
        return 0
    unknown = [k for k in args.keys if k not in derivations.keys()]
    if unknown:
        parser.error(f"unknown derivation(s) {', '.join(unknown)}; use --list to see the keys")
    if args.jobs < 1:
        parser.error(f"--jobs needs at least 1 worker process, got {args.jobs}")
    return verify_all(args.keys, args.quiet, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
