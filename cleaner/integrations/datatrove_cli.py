"""cleaner-datatrove: clean folders of JSONL shards with datatrove, locally, on Slurm or on Ray.

    cleaner-datatrove INPUT OUTPUT [--tasks N] [--workers M] [--executor local|slurm|ray] ...

Reads every file under INPUT (a folder or an fsspec URL) that matches ``--glob``
(plain, ``.gz`` or ``.zst``), cleans the ``--text-field`` of each record and writes
``OUTPUT/<rank>.jsonl[.gz|.zst]``, one file per task. Each output record has the
input record's top-level fields, in the same order, with only the text changed
(``--keep-removed`` adds a ``cleaner_removed`` field). Records whose text is missing
or empty are skipped by datatrove's reader (it logs a warning).

The logs folder (``--logs``, default ``OUTPUT.logs``) holds per-task logs, stats and
completion markers: run the same command again and finished tasks are skipped.

Exit codes: 0 every task is done (Slurm: the job was submitted), 1 some tasks failed
or are unfinished, 2 usage, configuration or installation error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..config import Config, ConfigError
from ..rules import RuleError

__all__ = ["build_executor", "build_parser", "build_pipeline", "cleaner_stats", "load_config", "main"]

_COMPRESSION = {"gzip": "gzip", "zstd": "zstd", "none": None}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner-datatrove",
        description="Clean JSONL shards with cleaner on datatrove (local processes, Slurm or Ray). "
        "Rerun the same command to resume: finished tasks are skipped.",
    )
    parser.add_argument("input", metavar="INPUT", help="folder or fsspec URL (s3://...) of JSONL shards")
    parser.add_argument("output", metavar="OUTPUT", help="folder or fsspec URL for the cleaned shards")

    data = parser.add_argument_group("data").add_argument
    data("--glob", default="**/*.jsonl*",
         help="files under INPUT to read (default: %(default)s, for .jsonl, .jsonl.gz, .jsonl.zst)")
    data("--text-field", default="text", help="field with the text to clean (default: %(default)s)")
    data("--id-field", default="id",
         help="field with the record id, for the logs; else <file>/<line> (default: %(default)s)")
    data("--compression", choices=sorted(_COMPRESSION), default="gzip",
         help="of the output shards (default: %(default)s; zstd needs zstandard: the newsclean[zstd] extra)")
    data("--keep-removed", action="store_true",
         help="add a cleaner_removed field: a list of {id, reason, text}, one per removal")

    cleaning = parser.add_argument_group("cleaning").add_argument
    cleaning("--config", metavar="TOML",
             help="options from this file's [tool.cleaner] table, or its top level (default: the defaults)")
    cleaning("--disable", action="append", default=[], metavar="NAME",
             help="switch off a rule id, family or heuristic (repeatable)")

    run = parser.add_argument_group("execution").add_argument
    run("--executor", choices=("local", "slurm", "ray"), default="local", help="default: %(default)s")
    run("--tasks", type=int,
        help="tasks to spread the files over (default: one per file); keep it when you rerun to resume")
    run("--workers", type=int, help="tasks run at once (default: local: the CPU count; slurm, ray: no limit)")
    run("--logs", metavar="DIR", help="logs, stats and completion markers (default: OUTPUT.logs)")

    cluster = parser.add_argument_group("slurm and ray (the datatrove executor options of the same name)")
    opt = cluster.add_argument
    opt("--partition", help="slurm partition (required for slurm)")
    opt("--time", help="slurm: time limit such as 24:00:00 (required); ray: per-task limit in seconds")
    opt("--cpus-per-task", type=int, default=1, help="default: %(default)s")
    opt("--mem-per-cpu-gb", type=float, default=2, help="default: %(default)s (slurm: a whole number)")
    opt("--job-name", default="cleaner", help="slurm job name (default: %(default)s)")
    opt("--qos", default="normal", help="slurm QOS, '' for none (default: %(default)s)")
    opt("--venv-path", help="slurm: the venv's activate script, sourced in the job")
    opt("--sbatch-arg", action="append", default=[], metavar="KEY=VALUE",
        help="extra sbatch directive such as account=myproj (repeatable)")
    opt("--ray-address", help="ray: the cluster to join (default: RAY_ADDRESS, else a local one)")
    return parser


def load_config(path: str | None, disable: Sequence[str] = ()) -> Config:
    """The cleaner options from a TOML file's ``[tool.cleaner]`` table (or its top level),
    with ``rule_dirs`` made absolute against the file's folder, plus ``disable``."""
    values: dict[str, Any] = {}
    source = "command line"
    if path:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        values = dict(data.get("tool", {}).get("cleaner", data if "tool" not in data else {}))
        base = os.path.dirname(os.path.abspath(path))
        if isinstance(values.get("rule_dirs", values.get("rule-dirs")), list):
            key = "rule_dirs" if "rule_dirs" in values else "rule-dirs"
            values[key] = [os.path.join(base, d) if isinstance(d, str) else d for d in values[key]]
        source = path
    config = Config.from_mapping(values, source=source)
    if disable:
        more = {"disable": [*config.disable, *disable]}
        config = Config.from_mapping(more, base=config, source="--disable")
    return config


def build_pipeline(input_path: str, output_path: str, *, config: Config, glob: str = "**/*.jsonl*",
                   text_field: str = "text", id_field: str = "id", compression: str | None = "gzip",
                   keep_removed: bool = False) -> list:
    """Reader, :class:`CleanerFormatter`, writer: the pipeline every executor runs."""
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from .datatrove import CleanerFormatter, document_to_record, record_to_document

    return [
        JsonlReader(input_path, glob_pattern=glob, text_key=text_field, id_key=id_field,
                    adapter=record_to_document),
        CleanerFormatter(config, keep_removed=keep_removed),
        JsonlWriter(output_path, output_filename="${rank}.jsonl", compression=compression,
                    adapter=document_to_record),
    ]


def build_executor(args: argparse.Namespace, pipeline: list, tasks: int, logs: str):
    """The datatrove executor that ``--executor`` names, with the options given."""
    if args.executor == "local":
        from datatrove.executor import LocalPipelineExecutor

        workers = args.workers if args.workers is not None else min(tasks, os.cpu_count() or 1)
        return LocalPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=logs)
    if args.executor == "slurm":
        from datatrove.executor import SlurmPipelineExecutor

        sbatch_args = dict(_key_value(a) for a in args.sbatch_arg)
        if not float(args.mem_per_cpu_gb).is_integer():  # written as --mem-per-cpu=<n>G
            raise UsageError("with --executor slurm, --mem-per-cpu-gb is a whole number")
        return SlurmPipelineExecutor(
            pipeline, tasks=tasks, time=args.time, partition=args.partition,
            workers=args.workers if args.workers is not None else -1,
            cpus_per_task=args.cpus_per_task, mem_per_cpu_gb=int(args.mem_per_cpu_gb), job_name=args.job_name,
            qos=args.qos, venv_path=args.venv_path, sbatch_args=sbatch_args or None, logging_dir=logs,
        )
    from datatrove.executor.ray import RayPipelineExecutor

    return RayPipelineExecutor(
        pipeline, tasks=tasks, workers=args.workers if args.workers is not None else -1,
        cpus_per_task=args.cpus_per_task, mem_per_cpu_gb=args.mem_per_cpu_gb,
        time=int(args.time) if args.time else None, logging_dir=logs,
    )


def cleaner_stats(logs: str) -> Counter:
    """The cleaner step's stats summed over every task that finished, from ``logs/stats/``
    (datatrove's merged ``stats.json`` only covers the tasks of the last run)."""
    from datatrove.io import get_datafolder

    from .datatrove import CleanerFormatter

    folder = get_datafolder(logs)
    totals: Counter = Counter()
    for name in folder.list_files("stats"):
        with folder.open(name, "r") as f:
            for step in json.load(f):
                if step.get("name", "").endswith(CleanerFormatter.name):
                    for label, value in step.get("stats", {}).items():
                        totals[label] += value["total"] if isinstance(value, dict) else value
    return totals


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (ConfigError, RuleError, UsageError, ImportError) as exc:
        print(f"cleaner-datatrove: {exc}", file=sys.stderr)
        return 2


class UsageError(Exception):
    """Options that cannot work together."""


def _run(args: argparse.Namespace) -> int:
    try:
        import datatrove  # noqa: F401
        import orjson  # noqa: F401  datatrove's JSONL reader and writer need it
    except ImportError:
        raise ImportError("the datatrove step needs datatrove and orjson: pip install 'datatrove>=0.5' orjson "
                          "(the newsclean[datatrove] extra)") from None
    from datatrove.io import get_datafolder

    if args.executor == "slurm" and not (args.partition and args.time):
        raise UsageError("--executor slurm needs --partition and --time")
    if args.executor == "ray":
        if args.time and not args.time.isdigit():
            raise UsageError("with --executor ray, --time is a per-task limit in whole seconds")
        try:
            import ray
        except ImportError:
            raise ImportError("--executor ray needs ray: pip install 'ray[default]'") from None
    logs = args.logs or args.output.rstrip("/") + ".logs"
    _check_paths(args.input, args.output, logs)
    compression = _COMPRESSION[args.compression]

    files = get_datafolder(args.input).list_files(glob_pattern=args.glob)
    if not files:
        raise UsageError(f"no files matching {args.glob!r} in {args.input}")
    if compression == "zstd" or any(f.endswith((".zst", ".zstd")) for f in files):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise ImportError("zstd files need zstandard: pip install zstandard (the newsclean[zstd] extra)") from None
    tasks = args.tasks if args.tasks is not None else len(files)
    if tasks < 1:
        raise UsageError("--tasks must be 1 or more")
    _check_same_tasks(logs, tasks)

    config = load_config(args.config, args.disable)
    pipeline = build_pipeline(args.input, args.output, config=config, glob=args.glob,
                              text_field=args.text_field, id_field=args.id_field, compression=compression,
                              keep_removed=args.keep_removed)
    executor = build_executor(args, pipeline, tasks, logs)
    done_before = tasks - len(executor.get_incomplete_ranks())
    print(f"cleaner-datatrove: {len(files)} input files, {tasks} tasks, {args.executor} executor, "
          f"logs in {logs}")
    if done_before:
        print(f"cleaner-datatrove: skipping {done_before} of {tasks} tasks already completed")
    sys.stdout.flush()

    if args.executor == "ray":
        ray.init(address=args.ray_address)
    try:
        executor.run()
    except Exception as exc:  # a task raised: datatrove logged the traceback in the task's log
        print(f"cleaner-datatrove: a task failed ({type(exc).__name__}: {exc}); see {logs}/logs/",
              file=sys.stderr)
        return 1
    if args.executor == "slurm":
        print(f"cleaner-datatrove: submitted slurm job {executor.job_id}; "
              "rerun this command to resume if it stops")
        return 0

    missing = executor.get_incomplete_ranks()
    stats = cleaner_stats(logs)
    print(f"cleaner-datatrove: {tasks - len(missing)}/{tasks} tasks done, {int(stats['total'])} documents, "
          f"{int(stats['changed'])} changed; output in {args.output}")
    if missing:
        print(f"cleaner-datatrove: unfinished tasks {missing[:20]}; rerun to resume", file=sys.stderr)
        return 1
    return 0


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise UsageError(f"--sbatch-arg wants KEY=VALUE, not {text!r}")
    return key, value


def _check_paths(input_path: str, output_path: str, logs: str) -> None:
    # with a recursive glob, shards written under INPUT would be read as input by the next run
    def norm(p: str) -> str:
        return (os.path.abspath(p) if "://" not in p else p).rstrip("/") + "/"

    for name, path in (("OUTPUT", output_path), ("--logs", logs)):
        if norm(path).startswith(norm(input_path)):
            raise UsageError(f"{name} ({path}) must not be inside INPUT ({input_path})")


def _check_same_tasks(logs: str, tasks: int) -> None:
    # completion markers are per task number: a different task count would skip the wrong files
    from datatrove.io import get_datafolder

    folder = get_datafolder(logs)
    if not folder.isfile("executor.json"):
        return
    with folder.open("executor.json", "r") as f:
        before = json.load(f).get("world_size")
    if before is not None and before != tasks:
        raise UsageError(f"{logs} is from a run with {before} tasks; use --tasks {before} to resume, "
                         "or a new --logs folder")


if __name__ == "__main__":
    raise SystemExit(main())
