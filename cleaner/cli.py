"""The ``cleaner`` command: argparse, configuration, and a call into the runner. Thin.

Exit codes: 0 nothing needed changing, 1 files were (or would be) changed, 2 usage,
config or rule error or a file that could not be processed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import platform
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from . import __version__
from .config import BUILTIN_IDS, Config, ConfigError, find_project_config, read_config_file
from .core import rules_for
from .corpus import DEFAULT_INCLUDE, CorpusError, find_files, remove_unfinished
from .report import Reporter, Summary
from .review import ReviewFiles, check_report_path, inside_inputs
from .rules import RuleError, load_rules
from .runner import (
    EXIT_CHANGED,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    HTML_SUFFIXES,
    POOL_MIN_BYTES,
    Job,
    exit_code,
    run,
    text_target,
)
from .stdio import clean_stdin
from .workers import temp_files_removed_on_stop

__all__ = ["DISTRIBUTION", "build_parser", "main"]

#: The name to pip install (the command and the import are ``cleaner``).
DISTRIBUTION = "newsclean"

#: [tool.cleaner] keys that belong to the command, not to :class:`Config`.
COMMAND_KEYS: dict[str, type] = {
    "include": list, "exclude": list, "force_exclude": bool, "text_field": str, "jobs": int, "id_field": str,
}


class UsageError(Exception):
    """Flags that contradict each other or ask for something unsafe: exit 2, nothing read."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped news text in place: remove boilerplate leftovers, fix text glitches. "
                    "Files are .txt (one document each) or .jsonl/.jsonl.gz/.jsonl.zst (one record per line).",
        epilog="Exit codes: 0 nothing needed changing; 1 files were changed (or would be, with --check/--diff); "
               "2 usage, config or rule error, or a file that could not be processed; 130 interrupted.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files and folders (searched recursively); - reads standard input and writes the "
                        "cleaned text to standard output")
    mode = p.add_argument_group("what to do (default: clean files in place)")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file would be cleaned")
    mode.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    mode.add_argument("--output-dir", metavar="DIR",
                      help="write cleaned copies to DIR, at their paths below the inputs' common folder; "
                           "inputs are left alone")
    mode.add_argument("--write", action="store_true",
                      help="clean in place even with --explain, --report or --keep-removed (which alone "
                           "write nothing)")
    mode.add_argument("--explain", action="store_true",
                      help="print every change: file:line, rule or heuristic id, what went, and why; "
                           "alone, writes nothing (as --check)")
    mode.add_argument("--stats", action="store_true",
                      help="print a table per rule family (per rule with -v): documents, hits removed, "
                           "replaced and flagged, characters removed, and totals")
    mode.add_argument("--report", action="append", metavar="PATH",
                      help="write a review of every hit: PATH.jsonl (one JSON object per hit) or PATH.html "
                           "(a page to look at the removals; repeatable); alone, writes nothing else")
    mode.add_argument("--keep-removed", metavar="PATH",
                      help="write the text each document lost to PATH (.jsonl: one line per document)")
    sel = p.add_argument_group("which files")
    sel.add_argument("--include", action="append", metavar="GLOB",
                     help=f"file names to take in folders (repeatable; default: {' '.join(DEFAULT_INCLUDE)})")
    sel.add_argument("--exclude", action="append", metavar="GLOB",
                     help="paths or path parts to skip in folders (repeatable; .git, .venv, ... always skipped)")
    sel.add_argument("--force-exclude", action="store_true",
                     help="apply --exclude to files named on the command line too (for pre-commit)")
    sel.add_argument("--text-field", metavar="NAME", help="the JSONL field to clean (default: text)")
    sel.add_argument("--id-field", metavar="NAME", help="the JSONL field that names a record in reports "
                                                        "(default: id)")
    sel.add_argument("--html", action="store_true",
                     help="take HTML pages too (.html/.htm, or text holding a whole page; skipped otherwise) "
                          "and write their main text to --output-dir or standard output, never over the page")
    sel.add_argument("--stdin-filename", metavar="NAME",
                     help="with -: the name standard input stands for (finds the configuration, picks "
                          ".jsonl handling, names it in messages)")
    cfg = p.add_argument_group("configuration (flags override [tool.cleaner] in the nearest pyproject.toml)")
    cfg.add_argument("--config", metavar="FILE", help="read options from FILE ([tool.cleaner] or a bare table)")
    cfg.add_argument("--disable", action="append", metavar="ID",
                     help="switch off a rule, family, fix or heuristic id (repeatable; --list-rules lists them)")
    cfg.add_argument("--rules", action="append", metavar="DIR", help="an extra folder of rule files (repeatable)")
    cfg.add_argument("--no-builtin-rules", action="store_true", help="do not load the rules shipped with cleaner")
    cfg.add_argument("--language", action="append", metavar="LANG",
                     help="only rules for these languages (repeatable or comma-separated, e.g. en,de)")
    cfg.add_argument("--no-html", action="store_true", help="never treat input as an HTML page")
    cfg.add_argument("--no-dedupe", action="store_true", help="keep repeated paragraphs")
    cfg.add_argument("--no-article", action="store_true", help="switch off the article-finding heuristic")
    cfg.add_argument("--max-removal-fraction", type=float, metavar="F",
                     help="most of a document (0-1) the heuristics may remove")
    how = p.add_argument_group("how to run")
    how.add_argument("-j", "--jobs", type=int, metavar="N", help="processes to use (default: all cores)")
    how.add_argument("-q", "--quiet", action="store_true", help="print only errors (and no progress bar)")
    how.add_argument("-v", "--verbose", action="store_true",
                     help="also name unchanged and excluded files; full text in --explain; --stats per rule")
    how.add_argument("--no-progress", action="store_true",
                     help="no progress bar (shown on a terminal: records for JSONL, files otherwise)")
    how.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    # Tuning knobs for tests and benchmarks: JSONL batch size, least input worth a pool.
    how.add_argument("--chunk-bytes", type=int, default=1 << 20, help=argparse.SUPPRESS)
    how.add_argument("--pool-min-bytes", type=int, default=POOL_MIN_BYTES, help=argparse.SUPPRESS)
    how.add_argument("--progress-delay", type=float, default=1.0, help=argparse.SUPPRESS)  # seconds before the bar
    info = p.add_argument_group("information")
    info.add_argument("--list-rules", action="store_true",
                      help="list the rules, fixes and heuristics in use (ids for --disable) and exit")
    info.add_argument("--test-rules", nargs="?", const="", metavar="DIR",
                      help="run the examples embedded in a rule folder (the built-in rules without DIR)")
    info.add_argument("--version", action="store_true", help="print the version and exit")
    return p


def _file_options(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """[tool.cleaner] split into (Config options, command options, where it came from)."""
    paths = [args.stdin_filename] if args.paths == ["-"] and args.stdin_filename else \
        [p for p in args.paths if p != "-"]
    path = args.config or find_project_config(paths)
    if path is None:
        return {}, {}, None
    table = read_config_file(path)
    command: dict[str, Any] = {}
    for key in list(table):
        name = key.replace("-", "_")
        if name in COMMAND_KEYS:
            value = table.pop(key)
            kind = COMMAND_KEYS[name]
            if kind is list:
                valid = isinstance(value, list) and all(isinstance(v, str) for v in value)
            else:
                valid = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
            if not valid:
                raise ConfigError(f"{path}: {key} must be {'a list of strings' if kind is list else kind.__name__}")
            command[name] = value
    return table, command, str(path)


def _config(args: argparse.Namespace, table: dict[str, Any], source: str | None) -> Config:
    config = Config.from_mapping(table, source=source or "config")
    flags: dict[str, Any] = {}
    if args.disable:
        flags["disable"] = config.disable + tuple(args.disable)
    if args.rules:
        flags["rule_dirs"] = config.rule_dirs + tuple(os.path.abspath(d) for d in args.rules)
    if args.no_builtin_rules:
        flags["builtin_rules"] = False
    if args.language:
        flags["languages"] = tuple(code.strip() for arg in args.language for code in arg.split(",") if code.strip())
    if args.no_html:
        flags["html_input"] = False
    if args.no_dedupe:
        flags["dedupe"] = False
    if args.no_article:
        flags["article_heuristic"] = False
    if args.max_removal_fraction is not None:
        flags["max_removal_fraction"] = args.max_removal_fraction
    try:
        return dataclasses.replace(config, **flags)
    except ConfigError as exc:
        raise ConfigError(f"command line: {exc}") from None


def _list_rules(config: Config) -> int:
    """Every id a hit can carry, as --disable takes them: fixes, heuristics, then rules."""
    rows = []
    effective = config.effective()
    for name, (option, value, what) in BUILTIN_IDS.items():
        if config.is_disabled(name) or (option is not None and getattr(effective, option) == value):
            continue
        if name == "heuristic.comments" and not effective.article_heuristic:
            continue  # the thread is found by the article heuristic
        kind = name.split(".", 1)[0]
        rows.append((name, "fix" if kind == "fix" else "heuristic", kind, "-", "-", "any", "", what))
    for r in rules_for(config):
        rows.append((r.id, "rule", r.family, r.scope, r.action, ",".join(r.languages) or "any",
                     "weak" if r.strength == "weak" else "", r.description))
    head = ("id", "kind", "family", "scope", "action", "language", "weak", "description")
    widths = [max(len(row[n]) for row in [head, *rows]) for n in range(len(head) - 1)]
    for row in [head, *rows]:
        print("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths)) + "  " + row[-1])
    return EXIT_OK


def _test_rules(folder: str, verbose: bool) -> int:
    from .testing import check_rules

    ruleset = load_rules(folder, builtin=False) if folder else load_rules()
    outcomes = check_rules(ruleset)
    counts = {status: 0 for status in ("ok", "xfail", "FAIL", "XPASS")}
    for outcome in outcomes:
        counts[outcome.status] += 1
        if outcome.status in ("FAIL", "XPASS") or verbose:
            problem = outcome.problem or ("known failure now passes: remove its xfail"
                                          if outcome.status == "XPASS" else "")
            print(f"{outcome.status} {outcome.label}" + (f": {problem}" if problem else ""))
    print(f"{len(outcomes)} examples in {len(ruleset)} rules: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return EXIT_CHANGED if counts["FAIL"] or counts["XPASS"] else EXIT_OK


def _mode(args: argparse.Namespace) -> tuple[str, bool]:
    """The run's mode (fix, check or diff), and whether it is check only because
    report flags were given alone (--explain, --report, --keep-removed write nothing
    without --write or --output-dir). Raises :class:`UsageError` for contradictions."""
    if args.write and (args.check or args.diff):
        raise UsageError("--write contradicts --check and --diff, which write nothing")
    if args.output_dir and (args.check or args.diff):
        raise UsageError("--output-dir writes files; --check and --diff write nothing: drop one")
    if args.output_dir and args.write:
        raise UsageError("--write cleans in place; --output-dir writes copies: drop one")
    if args.diff:
        return "diff", False
    if args.check:
        return "check", False
    reports = args.explain or args.report or args.keep_removed
    if reports and not (args.write or args.output_dir):
        return "check", True
    return "fix", False


def _check_usage(args: argparse.Namespace, mode: str) -> None:
    stdin = "-" in args.paths
    if stdin and args.paths != ["-"]:
        raise UsageError("- (standard input) cannot be mixed with other paths")
    if args.stdin_filename and not stdin:
        raise UsageError("--stdin-filename names standard input: give - as the path")
    if stdin and args.output_dir:
        raise UsageError("with -, the cleaned text goes to standard output: drop --output-dir")
    if stdin and mode == "fix" and (args.explain or args.stats):
        raise UsageError("with - the cleaned text goes to standard output; --explain and --stats would go there "
                         "too: use --report PATH, or add --check")
    if args.html and args.no_html:
        raise UsageError("--html and --no-html contradict each other")
    if args.html and mode == "fix" and not args.output_dir and not stdin:
        raise UsageError("--html writes the main text of HTML pages, and never over a page: give --output-dir DIR "
                         "(or use -, --check, --diff)")
    for path in args.report or []:
        check_report_path(path, args.paths)
    if args.keep_removed:
        if not args.keep_removed.endswith(".jsonl"):
            raise UsageError(f"--keep-removed {args.keep_removed}: name a .jsonl file")
        inside_inputs(args.keep_removed, args.paths, "--keep-removed")


def _check_output_dir(output_dir: str, paths: Sequence[str], job: Job, files: Sequence[Any]) -> None:
    """Refuse an output folder in an input folder (its copies would be read back as
    inputs, or be the inputs), or a layout that would write over an input."""
    out = os.path.realpath(output_dir)
    for given in paths:
        if os.path.isdir(given):
            folder = os.path.realpath(given)
            if os.path.commonpath([out, folder]) == folder:
                raise UsageError(f"--output-dir {output_dir} is inside the input folder {given}: its copies would "
                                 "be cleaned as inputs next time; write them outside it")
    for src in files:
        target = os.path.realpath(job.target(src))
        if target == src.real or text_target(target) == src.real:
            raise UsageError(f"--output-dir {output_dir} would write {src.path} over itself; pick another folder")


def _reviews(args: argparse.Namespace, mode: str) -> ReviewFiles | None:
    if not args.report and not args.keep_removed:
        return None
    kinds = {check_report_path(path, args.paths): path for path in args.report or []}
    title = "cleaner review: " + ", ".join(args.paths if args.paths != ["-"] else [args.stdin_filename or "-"])
    return ReviewFiles(hits=kinds.get("hits"), html=kinds.get("html"), kept=args.keep_removed, title=title)


def _clean(args: argparse.Namespace, config: Config, command: dict[str, Any], source: str | None) -> int:
    mode, report_only = _mode(args)
    _check_usage(args, mode)
    jobs = args.jobs if args.jobs is not None else command.get("jobs", 0)
    if jobs < 0:
        raise ConfigError("--jobs must be 0 (all cores) or more")
    review = _reviews(args, mode)
    reporter = Reporter(mode, quiet=args.quiet, verbose=args.verbose, debug=args.debug,
                        progress=not args.no_progress, review=review, progress_delay=args.progress_delay)
    if source and args.verbose:
        reporter.message(f"using configuration from {source}")
    job = Job(config=config, mode=mode, output_dir=args.output_dir,
              text_field=args.text_field or command.get("text_field", "text"), explain=args.explain,
              stats=args.stats, full_explain=args.verbose, debug=args.debug, chunk_bytes=max(1, args.chunk_bytes),
              review=review.wants if review else Job.review, html_pages=args.html,
              id_field=args.id_field or command.get("id_field", "id"))
    try:
        if args.paths == ["-"]:
            summary = clean_stdin(args, job, command, reporter)
        else:
            summary = _clean_files(args, job, command, reporter, jobs)
    except BaseException:
        if review is not None:
            review.discard()
        raise
    if summary is None:
        return EXIT_ERROR
    if report_only and summary.changed and not args.quiet:
        reporter.message("no input was changed: --explain, --report and --keep-removed alone only report "
                         "(add --write to clean in place, or --output-dir DIR for cleaned copies)")
    return exit_code(summary)


def _clean_files(args: argparse.Namespace, job: Job, command: dict[str, Any], reporter: Reporter,
                 jobs: int) -> Summary | None:
    include = args.include or command.get("include") or list(DEFAULT_INCLUDE)
    if args.html:
        include = list(include) + [f"*{suffix}" for suffix in HTML_SUFFIXES]
    selection = find_files(args.paths, include=include,
                           exclude=(command.get("exclude") or []) + (args.exclude or []),
                           force_exclude=args.force_exclude or command.get("force_exclude", False),
                           skip_dir=args.output_dir, in_place=not job.output_dir or job.mode != "fix")
    if job.output_dir and job.mode == "fix":
        _check_output_dir(job.output_dir, args.paths, job, selection.files)
    for error in selection.errors:
        reporter.error(error)
    for skipped in selection.skipped:
        reporter.message(f"skipped {skipped}")
    if args.verbose:
        for note in selection.notes:
            reporter.message(note)
    if not selection.files:
        reporter.message("no files to clean")
        if reporter.review is not None:
            reporter.review.discard()
        return None if selection.errors else Summary()
    failed, skipped = len(selection.errors), len(selection.skipped)
    return run(selection.files, job, reporter, jobs=jobs or os.cpu_count() or 1,
               summary=Summary(seen=failed + skipped, failed=failed, skipped=skipped),
               pool_min_bytes=args.pool_min_bytes)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (argparse printed it)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.version:
        print(f"cleaner {__version__} (distribution {DISTRIBUTION}; Python {platform.python_version()}, "
              f"{platform.python_implementation()})")
        return EXIT_OK
    if not args.paths and not args.list_rules and args.test_rules is None:
        parser.print_usage(sys.stderr)
        print("cleaner: error: no PATH given (try: cleaner --check .)", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.test_rules is not None:
            return _test_rules(args.test_rules, args.verbose)
        table, command, source = _file_options(args)
        config = _config(args, table, source)
        rules_for(config)  # load and validate every rule before touching any file
        if args.list_rules:
            return _list_rules(config)
        with temp_files_removed_on_stop():
            return _clean(args, config, command, source)
    except (ConfigError, RuleError, UsageError, CorpusError) as exc:
        if args.debug:
            traceback.print_exc()
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        remove_unfinished()
        print("cleaner: interrupted; every file is either as it was or fully cleaned", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `cleaner --diff . | head`: stop quietly; files written so far are complete
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  # a bug: one line, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        print(f"cleaner: error: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
