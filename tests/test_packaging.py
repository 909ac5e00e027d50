"""The install name: ``newsclean`` (``cleaner`` on PyPI is an unrelated project with a
``cleaner`` command of its own), used in pyproject, the README and every message; the
import and the command stay ``cleaner``."""

from __future__ import annotations

import re
import sys
from importlib import metadata

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NAME = "newsclean"


def test_distribution_name_and_entry_points() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == NAME
    assert project["scripts"]["cleaner"] == "cleaner.cli:main"
    assert any(dep.startswith("tqdm>=") for dep in project["dependencies"])  # progress is not an extra
    assert "progress" not in project["optional-dependencies"]
    assert metadata.distribution(NAME).metadata["Name"] == NAME  # what this environment has installed


def test_no_message_or_document_points_at_the_other_project() -> None:
    # "cleaner[extra]" would install PyPI's unrelated `cleaner`
    files = [*REPO.glob("cleaner/**/*.py"), REPO / "README.md", REPO / "pyproject.toml",
             *REPO.glob("benchmarks/*.py"), REPO / ".pre-commit-hooks.yaml"]
    offenders = [(str(path.relative_to(REPO)), m.group(0)) for path in files
                 for m in re.finditer(r"""pip install +["']?cleaner\b|\bcleaner\[\w+\]""", path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_readme_starts_with_commands_that_install_this_project() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    first, tests = blocks[0], blocks[1]
    assert ".venv/bin/python -m pip install -q . && .venv/bin/cleaner --explain --output-dir cleaned fixtures/seeds" \
        in first
    assert tests.endswith('pip install -q ".[test]" && .venv/bin/python -m pytest -q')
    assert '-m "not slow"' in blocks[2]
    assert f"The package is called `{NAME}`" in readme
    assert "cleaned/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
