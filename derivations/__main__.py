"""``python -m derivations``: derive every result with SymPy, print it, and verify it.

Exits with status 1 if any derivation fails its symbolic proof.
``python -m derivations new-activation NAME "EXPR"`` drafts a new activation instead
(see ``derivations/scaffold.py``).
"""

from __future__ import annotations

import argparse
import sys
import time

import derivations


def verify_all(keys: list[str] | None, quiet: bool) -> int:
    start = time.perf_counter()
    failures = 0
    chosen = [derivations.get(k) for k in keys] if keys else derivations.all_derivations()
    for d in chosen:
        result = d.verify()
        mark = "✓" if result.ok else "✗"
        numeric = (
            "" if result.numeric_error is None else f"   (finite-difference rel. error {result.numeric_error:.1e})"
        )
        if not quiet:
            print(d.text())
        print(f"{mark} {d.key}{numeric}")
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
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(derivations.keys()))
        return 0
    unknown = [k for k in args.keys if k not in derivations.keys()]
    if unknown:
        parser.error(f"unknown derivation(s) {', '.join(unknown)}; use --list to see the keys")
    return verify_all(args.keys, args.quiet)


if __name__ == "__main__":
    sys.exit(main())
