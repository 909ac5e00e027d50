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
from .config import Config, ConfigError, find_project_config, read_config_file
from .core import rules_for
from .corpus import DEFAULT_INCLUDE, find_files, remove_unfinished
from .report import Reporter, Summary
from .rules import RuleError, load_rules
from .runner import EXIT_CHANGED, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, POOL_MIN_BYTES, Job, exit_code, run
from .workers import temp_files_removed_on_stop

__all__ = ["build_parser", "main"]

#: [tool.cleaner] keys that belong to the command, not to :class:`Config`.
COMMAND_KEYS: dict[str, type] = {
    "include": list, "exclude": list, "force_exclude": bool, "text_field": str, "jobs": int,
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped news text in place: remove boilerplate leftovers, fix text glitches. "
                    "Files are .txt (one document each) or .jsonl/.jsonl.gz/.jsonl.zst (one record per line).",
        epilog="Exit codes: 0 nothing needed changing; 1 files were changed (or would be, with --check/--diff); "
               "2 usage, config or rule error, or a file that could not be processed; 130 interrupted.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files and folders (searched recursively)")
    mode = p.add_argument_group("what to do (default: clean files in place)")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file would be cleaned")
    mode.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    mode.add_argument("--output-dir", metavar="DIR", help="write cleaned copies into a mirror tree under DIR; "
                      "inputs are left alone")
    mode.add_argument("--explain", action="store_true",
                      help="print every change: file:line, rule or heuristic id, what went, and why")
    mode.add_argument("--stats", action="store_true", help="print hits and characters removed per rule family")
    sel = p.add_argument_group("which files")
    sel.add_argument("--include", action="append", metavar="GLOB",
                     help=f"file names to take in folders (repeatable; default: {' '.join(DEFAULT_INCLUDE)})")
    sel.add_argument("--exclude", action="append", metavar="GLOB",
                     help="paths or path parts to skip in folders (repeatable; .git, .venv, ... always skipped)")
    sel.add_argument("--force-exclude", action="store_true",
                     help="apply --exclude to files named on the command line too (for pre-commit)")
    sel.add_argument("--text-field", metavar="NAME", help="the JSONL field to clean (default: text)")
    cfg = p.add_argument_group("configuration (flags override [tool.cleaner] in the nearest pyproject.toml)")
    cfg.add_argument("--config", metavar="FILE", help="read options from FILE ([tool.cleaner] or a bare table)")
    cfg.add_argument("--disable", action="append", metavar="ID", help="switch off a rule, family or heuristic id")
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
    how.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    how.add_argument("-v", "--verbose", action="store_true",
                     help="also name unchanged and excluded files; full text in --explain")
    how.add_argument("--no-progress", action="store_true", help="no progress bar")
    how.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    # Tuning knobs for tests and benchmarks: JSONL batch size, least input worth a pool.
    how.add_argument("--chunk-bytes", type=int, default=1 << 20, help=argparse.SUPPRESS)
    how.add_argument("--pool-min-bytes", type=int, default=POOL_MIN_BYTES, help=argparse.SUPPRESS)
    info = p.add_argument_group("information")
    info.add_argument("--list-rules", action="store_true", help="list the rules in use and exit")
    info.add_argument("--test-rules", nargs="?", const="", metavar="DIR",
                      help="run the examples embedded in a rule folder (the built-in rules without DIR)")
    info.add_argument("--version", action="store_true", help="print the version and exit")
    return p


def _file_options(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """[tool.cleaner] split into (Config options, command options, where it came from)."""
    path = args.config or find_project_config(args.paths)
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
    rules = list(rules_for(config))
    width = max([len("id")] + [len(r.id) for r in rules])
    fam = max([len("family")] + [len(r.family) for r in rules])
    print(f"{'id':<{width}}  {'family':<{fam}}  {'scope':<9}  {'action':<8}  description")
    for r in rules:
        print(f"{r.id:<{width}}  {r.family:<{fam}}  {r.scope:<9}  {r.action:<8}  {r.description}")
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


def _clean(args: argparse.Namespace, config: Config, command: dict[str, Any], source: str | None) -> int:
    reporter = Reporter("diff" if args.diff else "check" if args.check else "fix", quiet=args.quiet,
                        verbose=args.verbose, debug=args.debug, progress=not args.no_progress)
    if source and args.verbose:
        reporter.message(f"using configuration from {source}")
    jobs = args.jobs if args.jobs is not None else command.get("jobs", 0)
    if jobs < 0:
        raise ConfigError("--jobs must be 0 (all cores) or more")
    selection = find_files(args.paths, include=args.include or command.get("include") or DEFAULT_INCLUDE,
                           exclude=(command.get("exclude") or []) + (args.exclude or []),
                           force_exclude=args.force_exclude or command.get("force_exclude", False),
                           skip_dir=args.output_dir, in_place=not args.output_dir or args.check or args.diff)
    for error in selection.errors:
        reporter.error(error)
    for skipped in selection.skipped:
        reporter.message(f"skipped {skipped}")
    if args.verbose:
        for note in selection.notes:
            reporter.message(note)
    job = Job(config=config, mode=reporter.mode, output_dir=None if args.check or args.diff else args.output_dir,
              text_field=args.text_field or command.get("text_field", "text"), explain=args.explain,
              stats=args.stats, full_explain=args.verbose, debug=args.debug, chunk_bytes=max(1, args.chunk_bytes))
    if not selection.files:
        reporter.message("no files to clean")
        return EXIT_ERROR if selection.errors else EXIT_OK
    failed, skipped = len(selection.errors), len(selection.skipped)
    summary = run(selection.files, job, reporter, jobs=jobs or os.cpu_count() or 1,
                  summary=Summary(seen=failed + skipped, failed=failed, skipped=skipped),
                  pool_min_bytes=args.pool_min_bytes)
    return exit_code(summary)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (argparse printed it)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.version:
        print(f"cleaner {__version__} (Python {platform.python_version()}, {platform.python_implementation()})")
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
    except (ConfigError, RuleError) as exc:
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
