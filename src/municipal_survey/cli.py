"""Command line: python -m municipal_survey {synth,verify} ..."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths
from .errors import DataError


def _synth(args: argparse.Namespace) -> int:
    import tempfile

    from .assumptions import load_assumptions
    from .codebook import load_codebook
    from .published import load_published
    from .register import load_register
    from .responses import write_responses
    from .synthetic import generate

    frame = generate(load_codebook(), load_register(), load_published(), load_assumptions())
    target = Path(args.output)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "responses.csv"
            write_responses(frame, fresh)
            same = target.exists() and fresh.read_bytes() == target.read_bytes()
        print(f"{target}: {'up to date' if same else 'differs from a fresh generation'}")
        return 0 if same else 1
    write_responses(frame, target)
    print(f"wrote {len(frame)} answers from {frame['municipality'].nunique()} municipalities to {target}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .survey import load_survey
    from .verify import failures, verify

    survey = load_survey(Path(args.responses) if args.responses else None)
    table = verify(survey.published, survey.responses, survey.codebook)
    print(table["status"].value_counts().to_string())
    bad = failures(table)
    if len(bad):
        print("\nNot reproduced:")
        print(bad[["id", "section", "question", "statistic", "value", "recomputed"]].to_string(index=False))
        return 1
    print(f"\nall {len(table)} published numbers reproduced or explained ({survey.dataset.label_da})")
    return 0


def _fingerprint(args: argparse.Namespace) -> int:
    from .fingerprint import refresh_cache

    cleared = refresh_cache(Path(args.build_dir))
    print("inputs changed: execution cache cleared" if cleared else "inputs unchanged: cache kept")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    synth = sub.add_parser("synth", help="regenerate the calibrated synthetic responses")
    synth.add_argument("--output", default=str(paths.SYNTHETIC_RESPONSES))
    synth.add_argument("--check", action="store_true", help="only check the file is up to date")
    synth.set_defaults(func=_synth)
    ver = sub.add_parser("verify", help="recompute every published number")
    ver.add_argument("--responses", help="tidy responses CSV (default: the active dataset)")
    ver.set_defaults(func=_verify)
    fp = sub.add_parser("fingerprint", help="clear the book's execution cache if data or code changed")
    fp.add_argument("--build-dir", default="_build")
    fp.set_defaults(func=_fingerprint)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
