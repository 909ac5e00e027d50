"""Every built-in rule runs its own examples: text it must hit and nearby text it must keep.

One test per example, with ids like ``read_more.prefixed-headline-hit1``. An example
with ``xfail = "..."`` in its rule file is a known miss: it runs as a strict xfail,
so it fails loudly the day it starts to pass.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import pytest

from cleaner import load_rules
from cleaner.rules import builtin_rules_dir
from cleaner.testing import ExampleOutcome, check_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = load_rules()
RULES_DIR = builtin_rules_dir()


def _example_params() -> list:
    params = []
    counters: collections.Counter[tuple[str, str]] = collections.Counter()
    for outcome in check_rules(RULES):
        kind = "hit" if outcome.example.expect_hit else "miss"
        counters[outcome.rule.id, kind] += 1
        test_id = f"{outcome.rule.id}-{kind}{counters[outcome.rule.id, kind]}"
        marks = [pytest.mark.xfail(strict=True, reason=outcome.example.xfail)] if outcome.example.xfail else []
        params.append(pytest.param(outcome, id=test_id, marks=marks))
    return params


@pytest.mark.parametrize("outcome", _example_params())
def test_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.problem is None, f"{outcome.label}: {outcome.problem}"


def test_there_are_builtin_rules() -> None:
    assert len(RULES) >= 10
    assert len(check_rules(RULES)) >= 2 * len(RULES)


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_rule_has_hit_and_miss_examples(rule) -> None:
    assert any(e.expect_hit for e in rule.examples), f"{rule.id}: no hit example"
    assert any(not e.expect_hit for e in rule.examples), f"{rule.id}: no miss example"


def test_rule_ids_unique_across_files() -> None:
    # Read the files directly, so this does not depend on the loader's own check.
    where: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted(RULES_DIR.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data.get("rule", []):
            where[raw["id"]].append(str(path.relative_to(RULES_DIR)))
    dupes = {rid: files for rid, files in where.items() if len(files) > 1}
    assert not dupes
    assert len(where) == len(RULES)


def test_every_builtin_file_is_loaded() -> None:
    sources = {Path(rule.source).resolve() for rule in RULES}
    assert sources == {p.resolve() for p in RULES_DIR.rglob("*.toml")}


@pytest.mark.parametrize("rule", [r for r in RULES if r.keywords], ids=lambda r: r.id)
def test_hit_examples_contain_a_keyword(rule) -> None:
    # The engine only runs a keyworded rule's pattern on lines holding a keyword: a hit
    # example without one passes only through a phrase, or not at all.
    for example in rule.examples:
        if example.expect_hit and not rule.phrases:
            low = example.text.lower()
            assert any(kw in low for kw in rule.keywords), f"{rule.id}: no keyword in {example.text!r}"


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_rule_language_matches_folder(rule) -> None:
    rel = Path(rule.source).resolve().relative_to(RULES_DIR.resolve())
    folder = rel.parts[0] if len(rel.parts) > 1 else "common"
    if folder == "common":
        assert rule.languages == (), f"{rule.id}: a common rule must not be tied to {rule.languages}"
    else:
        assert folder in rule.languages, f"{rule.id} sits in rules/{folder}/ but has languages {rule.languages}"


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_rule_family_matches_file_name(rule) -> None:
    assert Path(rule.source).stem == rule.family
    assert rule.id.startswith(rule.family + ".")


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_examples_are_unique_within_a_rule(rule) -> None:
    texts = [e.text for e in rule.examples]
    assert len(texts) == len(set(texts)), f"{rule.id}: the same example text twice"
    both = {e.text for e in rule.examples if e.expect_hit} & {e.text for e in rule.examples if not e.expect_hit}
    assert not both, f"{rule.id}: {both} is both a hit and a miss"


# ----------------------------------------------------------------------------- the example runner itself
_RUNNER_RULES = '''
[family]
name = "promo"
description = "Promotional lines."

[[rule]]
id = "promo.banner"
description = "A 'Special offer' line."
scope = "line"
action = "drop"
pattern = '^special offer'
flags = ["ignorecase"]
keywords = ["special offer"]
hit = [
  "Special offer: today only",
  { text = "Special deal: today only", xfail = "'deal' is not matched yet" },
  { text = "Special offer: today only", xfail = "listed as a known miss, but it passes" },
  "A special offer, the minister said.",
]
miss = [
  "The special offer was rejected.",
  "Special offer: this miss is wrong",
]

[[rule]]
id = "promo.tag"
description = "A trailing '(sponsored)' tag."
scope = "inline"
action = "drop"
pattern = '\\s*\\(sponsored\\)$'
keywords = ["(sponsored)"]
hit = [
  { text = "Five ways to save (sponsored)", output = "Five ways to save" },
  { text = "Ten ways to save (sponsored)", output = "Ten ways" },
]
miss = ["Sponsored by the city council."]
'''


def test_check_rules_reports_every_status(tmp_path: Path) -> None:
    (tmp_path / "promo.toml").write_text(_RUNNER_RULES, encoding="utf-8")
    outcomes = check_rules(load_rules(tmp_path, builtin=False))
    got = [(o.rule.id, o.number, o.status) for o in outcomes]
    assert got == [
        ("promo.banner", 1, "ok"), ("promo.banner", 2, "xfail"), ("promo.banner", 3, "XPASS"),
        ("promo.banner", 4, "FAIL"), ("promo.banner", 5, "ok"), ("promo.banner", 6, "FAIL"),
        ("promo.tag", 1, "ok"), ("promo.tag", 2, "FAIL"), ("promo.tag", 3, "ok"),
    ]
    problems = {(o.rule.id, o.number): o.problem for o in outcomes}
    assert problems["promo.banner", 4].startswith("should hit but did not")
    assert problems["promo.banner", 6].startswith("should not hit but did (drop")
    assert problems["promo.tag", 2] == ("wrong output for 'Ten ways to save (sponsored)': "
                                        "expected 'Ten ways', got 'Ten ways to save'")
    assert outcomes[3].label.endswith("promo.toml: promo.banner: hit example 4")
    assert outcomes[5].label.endswith("promo.banner: miss example 6")
