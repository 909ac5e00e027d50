"""The datatrove step and the cleaner-datatrove command, on real executors over generated shards.

Needs the datatrove extra (datatrove + orjson); skipped without it, except the test of
the message shown when it is missing.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cleaner import Config, ConfigError, clean, clean_and_explain

REPO = Path(__file__).resolve().parents[1]
MISSING = "the datatrove step needs datatrove and orjson: pip install 'datatrove>=0.5' orjson (the newsclean[datatrove] extra)"


@pytest.fixture
def dt():
    """datatrove and what its JSONL reader/writer need, or a clean skip."""
    datatrove = pytest.importorskip("datatrove")
    pytest.importorskip("orjson")
    return datatrove


# -- generated corpus ------------------------------------------------------------------------------------

_PARAGRAPHS = [
    "The city council approved the transit budget on Tuesday after a debate that ran past midnight.",
    "Residents of the east side said the new bus routes would cut their commute by half an hour.",
    "The mayor's office said construction would begin in the spring and last about two years.",
    "Opponents argued that the plan did little for neighbourhoods without a rail station nearby.",
    "A spokeswoman for the transit agency declined to say how many drivers would be hired.",
    "State officials are expected to review the proposal before the end of the fiscal year.",
]


def _record(shard: int, i: int) -> dict:
    n = shard * 100 + i
    first, second, third = (_PARAGRAPHS[(n + k) % len(_PARAGRAPHS)] for k in range(3))
    kind = n % 4
    if kind == 0:  # prose only: comes out as it went in
        text = f"{first} Story {n}.\n\n{second}\n"
    elif kind == 1:
        text = f"{first} Story {n}.\nAdvertisement\n{second}\nRead More: Council weighs ferry plan {n}\n"
    elif kind == 2:  # the same paragraph twice
        text = f"{first} Story {n}.\n\n{second}\n\n{first} Story {n}.\n\n{third}\n"
    else:
        text = (f"Read More: Budget vote delayed again {n}\n{first} Story {n}.\nAdvertisement\n\n"
                f"{second}\n\n{second}\n")
    # text in the middle, falsy values and a nested "metadata" field: all must come back as they were
    return {"id": f"s{shard}-{i}", "url": f"https://news.example/{n}", "text": text,
            "score": 0, "tags": [], "metadata": {"section": "metro", "n": n}, "lang": "en"}


def _write_shards(folder: Path, shards: int = 8, per_shard: int = 30) -> dict[str, dict]:
    """8 shards: plain, .gz and (when zstandard is there) .zst. Returns the records by id."""
    folder.mkdir(parents=True)
    try:
        import zstandard
    except ImportError:
        zstandard = None
    records: dict[str, dict] = {}
    for s in range(shards):
        rows = [_record(s, i) for i in range(per_shard + s)]  # uneven shard sizes
        records.update((r["id"], r) for r in rows)
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        if s % 3 == 1:
            (folder / f"shard_{s:02d}.jsonl.gz").write_bytes(gzip.compress(data))
        elif s % 3 == 2 and zstandard is not None:
            (folder / f"shard_{s:02d}.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
        else:
            (folder / f"shard_{s:02d}.jsonl").write_bytes(data)
    return records


def _read_output(folder: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted(folder.iterdir()):
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        out[path.name] = [json.loads(line) for line in raw.decode().splitlines()]
    return out


def _expected(record: dict, hits: tuple | None = None, config: Config | None = None) -> dict:
    """The record as it should come out: text cleaned, and cleaner_removed when ``hits`` are given."""
    out = {k: (clean(v, config) if k == "text" else v) for k, v in record.items()}
    if hits is not None:
        removals = [h for h in hits if h.action in ("drop", "truncate")]
        out["cleaner_removed"] = [{"id": h.id, "reason": h.reason, "text": h.removed} for h in removals]
    return out


def _step_stats(stats_files: list[Path]) -> Counter:
    """Sum the cleaner step's stats straight from datatrove's stats json files."""
    totals: Counter = Counter()
    for path in stats_files:
        for step in json.loads(path.read_text()):
            if "cleaner" in step["name"]:
                for label, value in step["stats"].items():
                    totals[label] += value["total"] if isinstance(value, dict) else value
    return totals


# -- the step --------------------------------------------------------------------------------------------

def test_missing_extra_gives_one_line_message():
    code = (
        "import sys; sys.modules['datatrove'] = None\n"
        "try:\n    import cleaner.integrations.datatrove\n"
        "except ImportError as exc:\n    print('import:', exc)\n"
        "from cleaner.integrations.datatrove_cli import main\n"
        "print('exit:', main(['in', 'out']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert f"import: {MISSING}" in proc.stdout.splitlines()
    assert "exit: 2" in proc.stdout.splitlines()
    assert proc.stderr.strip() == f"cleaner-datatrove: {MISSING}"


def test_step_keeps_id_and_metadata_and_pickles(dt):
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFormatter

    step = CleanerFormatter({"disable": ["heuristic.dedupe"]}, keep_removed=True)
    assert step.config == Config(disable=("heuristic.dedupe",))
    for copy in (pickle.loads(pickle.dumps(step)), pytest.importorskip("dill").copy(step)):
        assert copy.config == step.config and copy.keep_removed
    text = _record(0, 1)["text"]
    doc = Document(text=text, id="x1", metadata={"url": "u", "n": 0})
    [out] = list(step.run(iter([doc])))
    assert (out.id, out.text) == ("x1", clean(text, step.config))
    assert out.metadata["url"] == "u" and out.metadata["n"] == 0
    assert [r["id"] for r in out.metadata["cleaner_removed"]] == [
        h.id for h in clean_and_explain(text, step.config).removals]
    [plain] = list(CleanerFormatter().run(iter([Document(text=text, id="x2")])))
    assert plain.metadata == {}
    with pytest.raises(ConfigError):
        CleanerFormatter({"no_such_option": 1})


def test_pipeline_pickles_for_every_executor(dt, tmp_path):
    """Local (multiprocess) and Slurm serialize with dill, Ray with cloudpickle."""
    from cleaner.integrations.datatrove_cli import build_pipeline

    (tmp_path / "in").mkdir()
    config = Config(disable=("read_more",))
    pipeline = build_pipeline(str(tmp_path / "in"), str(tmp_path / "out"), config=config)
    picklers = [pytest.importorskip("dill")]
    try:
        import cloudpickle
        picklers.append(cloudpickle)
    except ImportError:
        try:
            from ray import cloudpickle
            picklers.append(cloudpickle)
        except ImportError:
            pass
    for pickler in picklers:
        reader, step, writer = pickler.loads(pickler.dumps(pipeline))
        assert step.config.disable == ("read_more",)
        doc = reader.adapter({"id": 7, "text": "T", "x": 0}, "f.jsonl", 0)
        assert doc["id"] == "7"


# -- (a) LocalPipelineExecutor, 2 workers, 5 tasks, 8 shards ---------------------------------------------

def test_local_executor_cleans_every_record_once(dt, tmp_path):
    from datatrove.executor import LocalPipelineExecutor

    from cleaner.integrations.datatrove_cli import build_pipeline, cleaner_stats

    records = _write_shards(tmp_path / "in")
    pipeline = build_pipeline(str(tmp_path / "in"), str(tmp_path / "out"), config=Config(),
                              compression="gzip", keep_removed=True)
    LocalPipelineExecutor(pipeline, tasks=5, workers=2, logging_dir=str(tmp_path / "logs")).run()

    outputs = _read_output(tmp_path / "out")
    assert sorted(outputs) == [f"{r:05d}.jsonl.gz" for r in range(5)]
    written = [rec for recs in outputs.values() for rec in recs]
    ids = [rec["id"] for rec in written]
    assert len(ids) == len(set(ids)) and set(ids) == set(records)  # none lost, none twice
    hits = {key: clean_and_explain(r["text"]).hits for key, r in records.items()}
    changed = 0
    for rec in written:
        source = records[rec["id"]]
        expected = _expected(source, hits[rec["id"]])
        assert list(rec) == list(expected)  # same top-level fields in the same order
        assert rec == expected
        changed += rec["text"] != source["text"]
    assert 0 < changed < len(written)  # both cleaned and untouched texts went through

    families = Counter(h.family for doc_hits in hits.values() for h in doc_hits)
    assert {"advertisement", "read_more", "heuristic"} <= set(families)
    logs = tmp_path / "logs"
    per_task = _step_stats(sorted((logs / "stats").glob("*.json")))
    merged = _step_stats([logs / "stats.json"])
    for stats in (per_task, merged):
        assert {k[5:]: v for k, v in stats.items() if k.startswith("hits_")} == families
        assert stats["total"] == len(records) and stats["changed"] == changed
    assert cleaner_stats(str(logs)) == per_task
    assert len(list((logs / "completions").iterdir())) == 5


# -- the command on Slurm, without a cluster: sbatch is faked, array tasks run here as Slurm would -------

def test_slurm_executor_runs_the_same_pipeline(dt, tmp_path, monkeypatch):
    import datatrove.executor.slurm as slurm
    import dill

    from cleaner.integrations.datatrove_cli import main

    records = _write_shards(tmp_path / "in", shards=4, per_shard=10)
    scripts = []

    def fake_sbatch(script, job_id_retriever, *args):
        scripts.append(script)
        return "4242"

    monkeypatch.setattr(slurm, "launch_slurm_job", fake_sbatch)
    logs = tmp_path / "logs"
    argv = [str(tmp_path / "in"), str(tmp_path / "out"), "--executor", "slurm", "--partition", "cpu",
            "--time", "01:00:00", "--tasks", "3", "--mem-per-cpu-gb", "4", "--job-name", "clean-news",
            "--sbatch-arg", "account=proj", "--logs", str(logs), "--compression", "none",
            "--config", str(tmp_path / "pyproject.toml"), "--disable", "advertisement"]
    pyproject = '[project]\nname = "x"\n\n[tool.cleaner]\ndisable = ["read_more"]\n'
    (tmp_path / "pyproject.toml").write_text(pyproject)
    assert main(argv) == 0
    script = scripts[0]
    for directive in ("--partition=cpu", "--time=01:00:00", "--mem-per-cpu=4G", "--job-name=clean-news",
                      "--account=proj", "--array=0-2"):
        assert f"#SBATCH {directive}" in script
    assert "launch_pickled_pipeline" in script

    # what launch_pickled_pipeline does on each array task
    # no scontrol here (datatrove < 0.10 has no such call)
    monkeypatch.setattr(slurm, "expand_slurm_nodelist", lambda nodelist: ["node1"], raising=False)
    saved_env = dict(os.environ)
    try:
        for task in range(3):
            os.environ.update(SLURM_ARRAY_TASK_ID=str(task), SLURM_NODELIST="node1")
            with open(logs / "executor.pik", "rb") as f:
                dill.load(f).run()
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    written = [rec for recs in _read_output(tmp_path / "out").values() for rec in recs]
    assert sorted(r["id"] for r in written) == sorted(records)
    config = Config(disable=("read_more", "advertisement"))  # from --config, then --disable
    assert all(rec == _expected(records[rec["id"]], config=config) for rec in written)
    assert any("Read More:" in rec["text"] for rec in written)


@pytest.mark.slow
def test_ray_executor_runs_the_same_pipeline(dt, tmp_path):
    """A local Ray instance; about 15 s, and only where ray is installed."""
    ray = pytest.importorskip("ray")
    from datatrove.executor import RayPipelineExecutor

    from cleaner.integrations.datatrove_cli import build_pipeline

    records = _write_shards(tmp_path / "in", shards=3, per_shard=5)
    pipeline = build_pipeline(str(tmp_path / "in"), str(tmp_path / "out"), config=Config(), compression=None)
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        RayPipelineExecutor(pipeline, tasks=3, workers=2, logging_dir=str(tmp_path / "logs")).run()
    finally:
        ray.shutdown()
    written = [rec for recs in _read_output(tmp_path / "out").values() for rec in recs]
    assert sorted(r["id"] for r in written) == sorted(records)
    assert all(rec == _expected(records[rec["id"]]) for rec in written)


# -- (b) kill the command mid-way, rerun, and it resumes -------------------------------------------------

def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleaner.integrations.datatrove_cli", *args]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.mark.slow
def test_killed_run_resumes_and_skips_finished_tasks(dt, tmp_path, capsys):
    from cleaner.integrations.datatrove_cli import main

    records = _write_shards(tmp_path / "in", per_shard=1500)  # ~0.3 s of cleaning per task
    out, logs = tmp_path / "out", tmp_path / "logs"
    args = [str(tmp_path / "in"), str(out), "--tasks", "8", "--logs", str(logs), "--compression", "none"]
    # one worker runs the tasks in order, each about 0.3 s of cleaning: polling every 20 ms
    # catches the run after its third task, with the fourth one writing its output
    proc = subprocess.Popen(_cli(*args, "--workers", "1"), cwd=tmp_path, env=_env(), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    completions = logs / "completions"
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        done = sorted(p.name for p in completions.iterdir()) if completions.is_dir() else []
        if len(done) >= 3 and (out / f"{len(done):05d}.jsonl").exists():
            break
        assert proc.poll() is None, proc.stdout.read().decode()
        time.sleep(0.02)
    else:
        pytest.fail("the run did not finish 3 tasks in time")
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its multiprocessing manager
    proc.wait(10)
    done = sorted(p.name for p in completions.iterdir())
    assert 3 <= len(done) < 8, done
    assert done == [f"{r:05d}" for r in range(len(done))]

    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.stem in done}
    logs_before = {p.name: p.stat().st_mtime_ns for p in (logs / "logs").iterdir() if p.stem[-5:] in done}
    assert len(before) == len(logs_before) == len(done)
    rerun = subprocess.run(_cli(*args, "--workers", "2"), cwd=tmp_path, env=_env(), capture_output=True,
                           text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipping {len(done)} of 8 tasks already completed" in rerun.stdout
    assert f"Skipping {len(done)} already completed tasks" in rerun.stderr  # datatrove's own word
    # finished tasks were not run again: their output and task logs are untouched
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.stem in done} == before
    task_logs = (logs / "logs").iterdir()
    assert {p.name: p.stat().st_mtime_ns for p in task_logs if p.stem[-5:] in done} == logs_before
    assert f"8/8 tasks done, {len(records)} documents" in rerun.stdout

    # the same as one clean run, file for file
    single_args = [str(tmp_path / "in"), str(tmp_path / "single"), "--tasks", "8", "--workers", "2",
                   "--compression", "none", "--logs", str(tmp_path / "single_logs")]
    assert main(single_args) == 0
    assert _read_output(out) == _read_output(tmp_path / "single")
    written = [rec for recs in _read_output(out).values() for rec in recs]
    assert sorted(r["id"] for r in written) == sorted(records)
    assert all(rec == _expected(records[rec["id"]]) for rec in written)

    # a different task count would skip the wrong files: refused
    assert main([*args[:2], "--tasks", "3", "--logs", str(logs)]) == 2
    assert "use --tasks 8" in capsys.readouterr().err
