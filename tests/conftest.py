"""Shared fixtures and helpers for the test suite.

Tests must pass on a fresh clone: anything that needs the development corpus in
``../shared/corpus/dev`` (beside the repository) is marked ``needs_corpus`` and skips
cleanly when it is absent.

Import the plain helpers with ``from conftest import ...`` (pytest puts ``tests/`` on
``sys.path``); fixtures need no import.
"""

from __future__ import annotations

import itertools
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: The atheris harness is run by hand (see tests/fuzz/README.md), never collected: atheris
#: is not a test dependency, and ``--doctest-modules`` would otherwise import it.
collect_ignore = ["fuzz"]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
MOJIBAKE_DIR = FIXTURES / "mojibake"
SHARED = REPO.parent / "shared"
CORPUS_DEV = SHARED / "corpus" / "dev"
CORPUS_SHAPES = SHARED / "corpus" / "dev-shapes"

#: Marks a test that reads the dev corpus; it is skipped when the corpus is absent.
needs_corpus = pytest.mark.skipif(
    not CORPUS_DEV.is_dir() or not any(CORPUS_DEV.glob("*.jsonl")),
    reason=f"dev corpus not found at {CORPUS_DEV} (only present beside the main checkout)",
)
#: The same, for the dev pages through seven more extractors (../shared/corpus/dev-shapes).
needs_shapes = pytest.mark.skipif(
    not CORPUS_SHAPES.is_dir() or not any(CORPUS_SHAPES.glob("*.jsonl")),
    reason=f"dev-shapes corpus not found at {CORPUS_SHAPES} (only present beside the main checkout)",
)

# Property tests must be deterministic in CI: derandomize, and no deadline (the
# first call of a test pays for loading rules, ftfy tables and stoplists).
settings.register_profile(
    "cleaner",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("cleaner")


#: Above this many characters, a failed ``==`` between strings is explained by where they
#: first differ: pytest's own diff (difflib, quadratic) of two megabyte-long lines runs
#: for hours, and once held CI past its time limit on one failing scaling test.
LONG_DIFF_CHARS = 20_000


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    if op != "==" or not isinstance(left, str) or not isinstance(right, str):
        return None
    if max(len(left), len(right)) <= LONG_DIFF_CHARS:
        return None
    at = next((i for i, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
    return [f"two long strings ({len(left):,} and {len(right):,} characters) differ from character {at:,} on:",
            f"  left:  {left[max(0, at - 60):at + 120]!r}", f"  right: {right[max(0, at - 60):at + 120]!r}"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Reading and scoring the dev corpus takes most of a minute: the quick run
    # (`pytest -m "not slow"`) leaves the corpus tests out with the other slow ones.
    for item in items:
        if item.get_closest_marker("corpus") is not None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The repository root (the folder holding ``cleaner/`` and ``rules/``)."""
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (may not exist on a fresh clone)."""
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The dev corpus folder; skips the test when it is absent."""
    if not CORPUS_DEV.is_dir() or not any(CORPUS_DEV.glob("*.jsonl")):
        pytest.skip(f"dev corpus not found at {CORPUS_DEV}")
    return CORPUS_DEV


def corpus_files() -> list[Path]:
    """The dev corpus ``*.jsonl`` files, or ``[]`` when the corpus is absent."""
    return sorted(CORPUS_DEV.glob("*.jsonl")) if CORPUS_DEV.is_dir() else []


def corpus_docs(path: Path, limit: int | None = None) -> Iterator[dict]:
    """The first ``limit`` records of one corpus JSONL file."""
    with path.open(encoding="utf-8") as fh:
        for line in itertools.islice(fh, limit):
            if line.strip():
                yield json.loads(line)


def write_rule_file(folder: Path, relpath: str, text: str) -> Path:
    """Write a rule file (dedented) under ``folder`` and return its path."""
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path
