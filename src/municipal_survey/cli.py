"""Command line: python -m municipal_survey COMMAND ...

Commands: synth, verify, validate, index, import, export-fixture, transcription, fingerprint, execute-cache,
site-current, settings, publish-check.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .data import paths
from .data.errors import DataError
from .data.settings import PRINTED


def _synth(args: argparse.Namespace) -> int:
    import tempfile

    from .data.codebook import load_codebook
    from .data.published import load_published
    from .data.register import load_register
    from .data.responses import write_responses
    from .synthetic.assumptions import load_assumptions
    from .synthetic.generator import generate

    assumptions = load_assumptions()
    if args.seed is not None:
        if args.output is None:
            print("synth --seed N needs --output DIR (the shipped data/synthetic/responses.csv keeps its seed)",
                  file=sys.stderr)
            return 2
        assumptions = {**assumptions, "seed": args.seed}
    wave = int(assumptions["wave"])  # the synthetic data's own wave, calibrated to that wave's report
    frame = generate(load_codebook(), load_register(year=wave), load_published(wave=wave), assumptions)
    target = Path(args.output) if args.output else paths.SYNTHETIC_RESPONSES
    if target.suffix.lower() != ".csv":  # a folder: write responses.csv into it
        target.mkdir(parents=True, exist_ok=True)
        target = target / "responses.csv"
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
    from .analysis.verification import failures, verify
    from .data.survey import load_survey

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
    from .build.fingerprint import refresh_cache

    cleared = refresh_cache(Path(args.build_dir))
    print("inputs changed: execution cache cleared" if cleared else "inputs unchanged: cache kept")
    return 0


def _site_current(args: argparse.Namespace) -> int:
    from .build import site_stamp

    build_dir = Path(args.build_dir)
    if args.record:
        site_stamp.record(build_dir)
    elif args.forget:
        site_stamp.forget(build_dir)
    elif site_stamp.is_current(build_dir):
        print(f"{build_dir}/html is current: nothing the book reads changed since make book built it")
        return 0
    else:
        return 1
    return 0


def _execute_cache(args: argparse.Namespace) -> int:
    from .build.parallel_execution import main

    return main(Path(args.build_dir), args.jobs)


MAX_PROBLEMS_SHOWN = 200


def _publish_check(args: argparse.Namespace) -> int:
    from .build import publication
    problems = publication.publish_problems(publication.read_config(Path(args.root) if args.root else None))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("The book is not ready to publish: fill in the publisher's fields above.", file=sys.stderr)
        return 1
    print("Ready to publish: the publisher's fields are set.")
    return 0


def _print_problems(problems: list, stream=None) -> None:
    """Every problem, the export's structural ones first; identical problems collapsed into one line."""
    from .data.errors import summary_lines

    stream = stream or sys.stdout
    lines = summary_lines(problems)
    print(f"{len(problems)} problem(s); nothing was imported:", file=stream)
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        print(f"  - {line}", file=stream)
    if len(lines) > MAX_PROBLEMS_SHOWN:
        print(f"  ... and {len(lines) - MAX_PROBLEMS_SHOWN} more lines", file=stream)


def _summary(report) -> str:
    """Per export: what it holds; then the columns read as not answers."""
    lines = []
    for export, part in zip(report.exports, report.reports):
        frame = part.responses
        waves = ", ".join(str(w) for w in sorted(frame["wave"].unique()))
        lines.append(f"{export.export}: OK - {frame['municipality'].nunique()} municipalities, "
                     f"{frame['question'].nunique()} questions, {len(frame)} answers (wave {waves})")
    if report.ignored:  # never silently: every column read as not an answer is named
        lines.append(f"ignored {len(report.ignored)} columns: {', '.join(report.ignored)}")
    lines += report.derived  # nor an answer read from a blank cell
    return "\n".join(lines)


def _check_waves(args: argparse.Namespace, stream):
    """import_waves on the command's exports and mappings (paired in order); None after printing the
    problems."""
    from .data.wave_exports import import_waves, pair_exports

    try:
        exports = pair_exports(args.file, args.mapping)
    except ValueError as error:
        print(error, file=sys.stderr)
        return None
    report = import_waves(exports)
    if report.problems:
        _print_problems(report.problems, stream)
        return None
    return report


def _validate(args: argparse.Namespace) -> int:
    report = _check_waves(args, sys.stdout)
    if report is None:
        return 2
    print(_summary(report))
    return 0


def _index(args: argparse.Namespace) -> int:
    from .data.register import load_register
    from .data.socioeconomic import load_index

    try:
        index = load_index(Path(args.file), load_register())
    except DataError as error:
        print(f"{len(error.problems)} problem(s) in the socioeconomic index file:", file=sys.stderr)
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  - {problem}", file=sys.stderr)
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  ... and {len(error.problems) - MAX_PROBLEMS_SHOWN} more", file=sys.stderr)
        return 2
    print(f"{args.file}: {len(index.values)} municipalities, year {index.year}, index "
          f"{index.values.min():.3f}-{index.values.max():.3f}; "
          f"build with make book SOCIOECONOMIC_INDEX={args.file}")
    return 0


def _write_atomically(target: Path, write) -> str:
    """Write through a temporary file beside `target`; returns it, renamed by the caller."""
    import os
    import tempfile

    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    os.close(handle)
    try:
        write(Path(tmp))
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _import(args: argparse.Namespace) -> int:
    import hashlib
    import os

    from .data.importers import source_path
    from .data.responses import write_responses
    from .data.wave_exports import waves_record

    report = _check_waves(args, sys.stderr)
    if report is None:
        return 2
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the targets and rename, so a failed write never leaves half a file. The record of the
    # export (for the dataset banner) holds the responses' hash, so a stale record is never believed.
    responses = _write_atomically(target, lambda tmp: write_responses(report.responses, tmp))
    digest = hashlib.sha256(Path(responses).read_bytes()).hexdigest()
    record = _write_atomically(source_path(target), lambda tmp: tmp.write_text(
        waves_record(report, digest), encoding="utf-8"))
    os.replace(responses, target)
    os.replace(record, source_path(target))
    print(_summary(report))
    print(f"wrote {target} and {source_path(target).name}")
    return 0


def _transcription_sheet(args: argparse.Namespace) -> int:
    from .report.transcription_sheet import write_sheet

    count = write_sheet(Path(args.output))
    print(f"wrote {args.output}: {count} numbers to transcribe from the report's PDF (instructions on its "
          "first sheet)")
    return 0


def _transcription_import(args: argparse.Namespace) -> int:
    from .data.responses import write_responses
    from .synthetic.transcription_import import prepare

    files = [Path(args.file)] + ([Path(args.second)] if args.second else [])
    try:
        prepared = prepare(files, args.transcriber or [], args.date)
    except DataError as error:
        _print_problems(error.problems, sys.stderr)
        return 2
    if prepared.rows.empty:
        print(f"nothing new: {prepared.unchanged} numbers are published already with the same values; "
              "nothing was written")
        return 0
    # A snapshot is never overwritten ("x"); the responses are replaced in one step.
    with open(prepared.snapshot, "xb") as handle:
        handle.write(prepared.snapshot_bytes)
    target = paths.SYNTHETIC_RESPONSES
    responses = _write_atomically(target, lambda tmp: write_responses(prepared.responses, tmp))
    os.replace(responses, target)
    corrections = int((prepared.rows["supersedes"] != "").sum())
    print(f"wrote {prepared.snapshot} ({len(prepared.rows)} numbers, {corrections} of them corrections; "
          f"{prepared.unchanged} already published)")
    print(f"recalibrated {target}: all {len(prepared.verified)} published numbers reproduced or explained")
    return 0


def _export_fixture(args: argparse.Namespace) -> int:
    from .data.codebook import load_codebook
    from .data.importers import export_wide
    from .data.responses import load_responses

    codebook = load_codebook()
    responses = load_responses(Path(args.responses) if args.responses else None, codebook=codebook)
    suffix = {"csv": ".csv", "csv-semicolon": ".csv", "xlsx": ".xlsx", "sav": ".sav"}[args.format]
    out = Path(args.output)
    export = out / f"export{suffix}"
    mapping = export_wide(responses, codebook, export, args.format, mapping_path=out / "mapping.yml",
                          encoding=args.encoding)
    print(f"wrote {export} and {mapping} ({responses['municipality'].nunique()} municipalities)")
    return 0


def _settings(args: argparse.Namespace) -> int:
    print(PRINTED[args.key]())
    return 0


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="+", help="the export: .csv, .xlsx or .sav; one per wave")
    parser.add_argument("--mapping", nargs="+", required=True,
                        help="the mapping file (YAML) of each export, in the same order; its wave: names the wave")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    synth = sub.add_parser("synth", help="regenerate the calibrated synthetic responses")
    synth.add_argument("--output", help="a folder (writes responses.csv in it) or a .csv file "
                                        "(default: data/synthetic/responses.csv)")
    synth.add_argument("--seed", type=int, help="another seed than the assumptions' (needs --output)")
    synth.add_argument("--check", action="store_true", help="only check the file is up to date")
    synth.set_defaults(func=_synth)
    ver = sub.add_parser("verify", help="recompute every published number")
    ver.add_argument("--responses", help="tidy responses CSV (default: the active dataset)")
    ver.set_defaults(func=_verify)
    val = sub.add_parser("validate", help="check survey exports against their mappings (exit 2 on problems)")
    _export_arguments(val)
    val.set_defaults(func=_validate)
    idx = sub.add_parser("index", help="check a socioeconomic index file (kommunekode;indeks;år; "
                                       "exit 2 on problems)")
    idx.add_argument("file", help="the index: .csv (semicolons) or .xlsx")
    idx.set_defaults(func=_index)
    imp = sub.add_parser("import", help="validate survey exports (one per wave) and write them as one tidy "
                                        "responses file")
    _export_arguments(imp)
    imp.add_argument("--output", default=str(paths.DATA_DIR / "imported" / "responses.csv"),
                     help="tidy responses CSV, written only when the export has no problems")
    imp.set_defaults(func=_import)
    fix = sub.add_parser("export-fixture", help="write the synthetic responses as a wide export + mapping")
    fix.add_argument("--format", required=True, choices=["csv", "csv-semicolon", "xlsx", "sav"])
    fix.add_argument("--output", required=True, help="directory for export.<ext> and mapping.yml")
    fix.add_argument("--responses", help="tidy responses CSV (default: the synthetic file)")
    fix.add_argument("--encoding", default="utf-8", help="CSV encoding, e.g. utf-8-sig or cp1252")
    fix.set_defaults(func=_export_fixture)
    tr = sub.add_parser("transcription", help="transcribe the report's numbers from its PDF: the sheet to "
                                              "fill in, and its import")
    tr_sub = tr.add_subparsers(dest="action", required=True)
    sheet = tr_sub.add_parser("sheet", help="write the transcription sheet (.xlsx) from the codebook")
    sheet.add_argument("--output", required=True, help="the .xlsx file to write")
    sheet.set_defaults(func=_transcription_sheet)
    tri = tr_sub.add_parser("import", help="check a filled sheet (and compare it with a second, independent "
                                           "one), add its numbers to the published table as a dated file and "
                                           "recalibrate the synthetic data; exit 2 and write nothing on problems")
    tri.add_argument("file", help="the filled sheet (.xlsx)")
    tri.add_argument("--second", help="a second, independent transcription of the same sheet")
    tri.add_argument("--transcriber", action="append", help="who transcribed the sheet (once per sheet, in order)")
    tri.add_argument("--date", required=True, help="the date of the transcription, YYYY-MM-DD")
    tri.set_defaults(func=_transcription_import)
    fp = sub.add_parser("fingerprint", help="clear the book's execution cache if data or code changed")
    fp.add_argument("--build-dir", default="_build")
    fp.set_defaults(func=_fingerprint)
    ex = sub.add_parser("execute-cache", help="execute the book's notebooks in parallel into the build's "
                                              "execution cache (make book does this before building)")
    ex.add_argument("--build-dir", default="_build")
    ex.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    ex.set_defaults(func=_execute_cache)
    site = sub.add_parser("site-current", help="exit 0 if the built site is current (make book then skips the "
                                               "build), 1 if not")
    site.add_argument("--build-dir", default="_build")
    what = site.add_mutually_exclusive_group()
    what.add_argument("--record", action="store_true", help="after a successful make book: the site is current")
    what.add_argument("--forget", action="store_true", help="before another build: the site is no longer current")
    site.set_defaults(func=_site_current)
    setting = sub.add_parser("settings", help="print one of the book's settings (data/settings.yml)")
    setting.add_argument("key", choices=list(PRINTED))
    setting.set_defaults(func=_settings)
    pub = sub.add_parser("publish-check", help="exit 1 until the publisher's fields in _config.yml are set "
                                               "(run before publishing)")
    pub.add_argument("--root", help="the project folder holding _config.yml (default: this project)")
    pub.set_defaults(func=_publish_check)
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
