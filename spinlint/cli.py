"""Command line: argument parsing, orchestration and exit codes.

Exit codes: 0 clean (or only diagnostics below ``--fail-level``), 1 findings, 2 usage,
configuration, unreadable input or internal error.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from spinlint import __version__
from spinlint.config import ConfigError
from spinlint.reporters import FORMATS, Context, get
from spinlint.runner import (
    FileResult,
    Options,
    deep_notice,
    discover,
    engine_errors,
    engine_for,
    lint_file,
    lint_paths,
    loaded_engines,
)

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _codes(value: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in value.split(",") if c.strip())


def add_selection(p: argparse.ArgumentParser) -> None:
    """The rule-selection options ``spinlint`` and ``spinlint screen`` share."""
    p.add_argument("--select", type=_codes, help="comma-separated codes or prefixes to enable (ALL for all)")
    p.add_argument("--extend-select", type=_codes, default=(), help="codes to enable on top of the selection")
    p.add_argument("--ignore", type=_codes, default=(), help="codes or prefixes to disable")
    p.add_argument("--extend-ignore", type=_codes, default=(), help="more codes to disable")
    p.add_argument("--min-confidence", type=float, help="drop diagnostics below this confidence (0..1)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="spinlint",
        description="Lint prose for the traces synonym spinners leave. "
        "Subcommands: 'spinlint rules' lists rules, 'spinlint rule CODE' explains one, "
        "'spinlint screen INPUT... -o OUTDIR' screens a corpus (see 'spinlint screen --help'), "
        "'spinlint clean' empties the result cache and trims the lexicon cache.",
    )
    p.add_argument("paths", nargs="*", default=["."], help="files, directories or globs; '-' for stdin")
    p.add_argument(
        "--format", choices=FORMATS, help="output format (default: full on a terminal, else concise)"
    )
    add_selection(p)
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    p.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply unsafe fixes (with --fix or --diff)"
    )
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    p.add_argument("--show-fixes", action="store_true", help="show the suggested fix with each diagnostic")
    p.add_argument("--statistics", action="store_true", help="print counts per rule and per-file verdicts")
    p.add_argument(
        "--summary", action="store_true", help="with --format json: add per-file density and verdict"
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument(
        "--fail-level",
        choices=("info", "warning", "error"),
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument(
        "--fail-on-verdict",
        choices=("suspicious", "likely-spun"),
        help="exit 1 only when a document's verdict is at least this",
    )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("-o", "--output-file", help="write the report to this file")
    p.add_argument("--config", help="use this configuration file (no discovery)")
    p.add_argument("-j", "--jobs", type=int, default=1, help="files in parallel processes (0: one per core)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    p.add_argument("--cache-dir", help="cache folder (default: .spinlint_cache, or $SPINLINT_CACHE_DIR)")
    p.add_argument("--stdin-filename", help="the name to report (and pick the format by) for stdin")
    p.add_argument(
        "--deep",
        action="store_true",
        help="after the default pass, re-read the suspicious words with a neural language model "
        "(SmolLM2-135M; needs the 'deep' extra; slow: tens to hundreds of words a second)",
    )
    p.add_argument("--version", action="version", version=f"spinlint {__version__}")
    return p


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list[:1] == ["rules"]:
            from spinlint.explain import list_rules

            return list_rules(args_list[1:])
        if args_list[:1] == ["rule"]:
            from spinlint.explain import explain_rule

            return explain_rule(args_list[1:])
        if args_list[:1] == ["screen"]:
            from spinlint.screen import main as screen

            return screen(args_list[1:])
        if args_list[:1] == ["clean"]:
            from spinlint.clean import main as clean

            return clean(args_list[1:])
        return check(args_list)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def check(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        parser.error("--min-confidence must be between 0 and 1")
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    options = Options(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        extend_ignore=args.extend_ignore,
        min_confidence=args.min_confidence,
        config_path=args.config,
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir,
        jobs=jobs,
        stdin_filename=args.stdin_filename,
        deep=args.deep,
    )
    failed_input = False
    errors: list[str] = []
    try:
        if args.paths == ["-"]:
            files = ["-"]
        else:
            files, errors = discover(args.paths, options)
        for message in engine_errors(files or ["."], options):
            print(f"spinlint: error: {message}", file=sys.stderr)
            failed_input = True
        notice = deep_notice(files or ["."], options)
        if notice:
            print(f"spinlint: warning: {notice}", file=sys.stderr)
    except ConfigError as exc:
        print(f"spinlint: error: {exc}", file=sys.stderr)
        return 2
    for message in errors:
        print(f"spinlint: error: {message}", file=sys.stderr)
        failed_input = True

    results: list[FileResult] = []
    if files == ["-"]:
        results.append(lint_file("-", options, data=sys.stdin.buffer.read()))
    else:
        results = _run_with_progress(files, options)
    for r in results:
        if r.notice:
            print(f"spinlint: warning: {r.notice}", file=sys.stderr)
        if r.error:
            print(f"spinlint: error: {r.error}", file=sys.stderr)
            failed_input = True
    ok = [r for r in results if r.source is not None]

    if args.fix or args.diff:
        _apply_fixes(ok, options, args, files == ["-"])

    fmt = args.format or ("full" if sys.stdout.isatty() and not args.output_file else "concise")
    buffer = io.StringIO()
    out_stream: TextIO = buffer if args.output_file else sys.stdout
    color = _use_color(args.color, sys.stdout) and not args.output_file and fmt == "full"
    engines = loaded_engines() or [engine_for(())]  # every configuration's packs in play
    ctx = Context(
        color=color,
        show_fixes=args.show_fixes,
        summary=args.summary,
        rules={r.code: r for e in engines for r in e.rules},
        owners={k: v for e in engines for k, v in e.owners.items()},
        version=__version__,
    )
    if not args.diff:
        get(fmt)(ok, out_stream, ctx)
    if args.statistics:
        # HTML must stay one document: its statistics go to the terminal, never into the page.
        if fmt == "html":
            stats_out: TextIO = sys.stdout if args.output_file else sys.stderr
        else:
            stats_out = sys.stdout if not args.output_file else out_stream
        _statistics(ok, stats_out, fmt)
    if args.output_file:
        from spinlint.fixes import write_atomic

        write_atomic(args.output_file, buffer.getvalue().encode("utf-8"))

    if failed_input:
        return 2
    if args.exit_zero:
        return 0
    if args.fail_on_verdict:
        from spinlint.verdict import VERDICTS, verdict

        floor = VERDICTS.index(args.fail_on_verdict)
        return 1 if any(VERDICTS.index(verdict(r)) >= floor for r in ok) else 0
    floor = SEVERITY_RANK[args.fail_level]
    remaining = [d for r in ok for d in r.diagnostics if SEVERITY_RANK[d.severity.value] >= floor]
    return 1 if remaining else 0


def _run_with_progress(files: list[str], options: Options) -> list[FileResult]:
    if len(files) < 20 or not sys.stderr.isatty():
        return list(lint_paths(files, options))
    from rich.progress import Progress

    results = []
    with Progress(transient=True) as progress:
        task = progress.add_task("linting", total=len(files))
        for r in lint_paths(files, options):
            results.append(r)
            progress.advance(task)
    return results


def _apply_fixes(results: list[FileResult], options: Options, args: argparse.Namespace, stdin: bool) -> None:
    """Fix until nothing changes (at most 10 passes), then write atomically or print a diff."""
    from spinlint.fixes import applicable, apply, encode, unified_diff, write_atomic

    for i, r in enumerate(results):
        assert r.source is not None
        original = r.source.text
        current, result = original, r
        total = 0
        for _ in range(10):
            fixes = applicable(result.diagnostics, args.unsafe_fixes)
            if not fixes:
                break
            current, n = apply(current, fixes)
            total += n
            result = lint_file(
                r.path, Options(**{**options.__dict__, "use_cache": False}), data=encode(r.source, current)
            )
        if current == original:
            continue
        if args.diff:
            sys.stdout.write(unified_diff(r.path, original, current))
        elif stdin:
            sys.stdout.write(current)
        else:
            write_atomic(r.path, encode(r.source, current))
            print(f"Fixed {total} issue(s) in {r.path}", file=sys.stderr)
        results[i] = result


def _statistics(results: list[FileResult], out: TextIO, fmt: str) -> None:
    from spinlint.verdict import file_summary, paragraph_lines

    counts = Counter((d.code, d.rule) for r in results for d in r.diagnostics)
    summaries = [file_summary(r) for r in results]
    if fmt in ("json", "json-lines", "sarif"):
        return  # machine formats carry their own summary (--summary / run properties)
    for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{n:>6}  {code}  {rule}\n")
    for s in summaries:
        score = "" if s["score"] is None else f" (P(spun) = {s['score']:.2f})"
        out.write(
            f"{s['filename']}: {s['words']} words, {s['diagnostics']} diagnostics, "
            f"density {s['density']:.2f}/1000 words, {s['verdict']}{score}\n"
        )
        spun = [p for p in s["paragraphs"] if p["verdict"] != "clean"]
        for p in spun:
            out.write(
                f"    {paragraph_lines(p)}: {p['verdict']} (P(spun) = {p['score']:.2f}, {p['words']} words)\n"
            )
        if spun:
            out.write(f"    {len(spun)} of {len(s['paragraphs'])} paragraphs judged spun\n")


if __name__ == "__main__":
    raise SystemExit(main())
