"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool in a scratch git repo.

pre-commit installs the hook repository into its own virtualenv from a git commit, so
the test commits a snapshot of this checkout's working tree (package, rules, hook
manifest) into a temporary repository and points a ``.pre-commit-config.yaml`` at it.
Needs ``pre-commit`` and ``git``, and pip access to the package's dependencies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_samples import CLEAN, DIRTY, REPO, cleaned_record_line

from cleaner import clean

pytest.importorskip("pre_commit")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")]

GIT_ID = ["-c", "user.name=cleaner tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false"]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *GIT_ID, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("PYTHONPATH", None)  # the hook must run the installed package, not this checkout
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args], check=False, cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=900)
    log = home / "pre-commit.log"
    if result.returncode == 3 and log.exists() and any(
            msg in log.read_text() for msg in ("No matching distribution", "Could not find a version")):
        pytest.skip("pre-commit could not install the hook's dependencies (no package index?)")
    return result


def snapshot_hook_repo(dest: Path) -> str:
    """Commit this checkout's package, rules and manifest to a new repo; return the commit."""
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("cleaner", "rules"):
        shutil.copytree(REPO / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    if not (dest / "README.md").exists():  # pyproject names it; the build fails without it
        (dest / "README.md").write_text("# cleaner\n")
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest).strip()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("precommit")
    rev = snapshot_hook_repo(base / "hooks")
    work = base / "work"
    (work / "news").mkdir(parents=True)
    (work / "vendor").mkdir()
    (work / "news" / "a.txt").write_text(DIRTY, encoding="utf-8")
    (work / "news" / "ok.txt").write_text(CLEAN, encoding="utf-8")
    (work / "news" / "s.jsonl").write_text(json.dumps({"id": 1, "text": DIRTY}) + "\n", encoding="utf-8")
    (work / "vendor" / "v.txt").write_text(DIRTY, encoding="utf-8")  # excluded in [tool.cleaner]
    (work / "notes.md").write_text(DIRTY, encoding="utf-8")  # not a .txt/.jsonl file
    (work / "pyproject.toml").write_text('[tool.cleaner]\nexclude = ["vendor"]\n')
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {base / 'hooks'}\n  rev: {rev}\n  hooks:\n  - id: cleaner\n  - id: cleaner-check\n"
        "    stages: [manual]\n")
    git("init", "-q", cwd=work)
    git("add", "-A", cwd=work)
    return work, base / "pre-commit-home"


def test_fix_hook_fails_then_passes(project: tuple[Path, Path]) -> None:
    work, home = project
    first = pre_commit("run", "cleaner", "--all-files", cwd=work, home=home)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (work / "news" / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    assert (work / "news" / "s.jsonl").read_bytes() == cleaned_record_line({"id": 1, "text": DIRTY})
    assert (work / "news" / "ok.txt").read_text(encoding="utf-8") == CLEAN
    assert (work / "vendor" / "v.txt").read_text(encoding="utf-8") == DIRTY  # --force-exclude honoured
    assert (work / "notes.md").read_text(encoding="utf-8") == DIRTY
    git("add", "-A", cwd=work)
    second = pre_commit("run", "cleaner", "--all-files", cwd=work, home=home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout


def test_check_hook_fails_without_writing(project: tuple[Path, Path]) -> None:
    work, home = project
    new = work / "news" / "new.txt"
    new.write_text(DIRTY, encoding="utf-8")
    git("add", "-A", cwd=work)
    result = pre_commit("run", "cleaner-check", "--hook-stage", "manual", "--files", "news/new.txt",
                        cwd=work, home=home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "would clean news/new.txt" in result.stdout
    assert "files were modified" not in result.stdout
    assert new.read_text(encoding="utf-8") == DIRTY


def test_try_repo(project: tuple[Path, Path], tmp_path: Path) -> None:
    """``pre-commit try-repo``, the way a user tries the hooks before adding them."""
    work, _ = project
    hooks = work.parent / "hooks"
    new = work / "news" / "try.txt"
    new.write_text(DIRTY, encoding="utf-8")
    git("add", "news/try.txt", cwd=work)
    result = pre_commit("try-repo", str(hooks), "cleaner", "--files", "news/try.txt", cwd=work, home=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout and "cleaned news/try.txt" in result.stdout
    assert new.read_text(encoding="utf-8") == clean(DIRTY)
