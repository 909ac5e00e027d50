"""Rule files are checked on load, and every error names the file, the rule and the field.

Each case writes a small rule folder into ``tmp_path`` and loads it with
``load_rules(folder, builtin=False)``. A broken folder must stop ``clean()`` before it
does anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write_rule_file
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, RuleError, clean, clean_and_explain, load_rules
from cleaner.rules import lint_pattern


# ----------------------------------------------------------------------------- helpers
def toml_value(value: Any) -> str:
    """A TOML literal for strings, ints, bools, lists and (inline) tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are valid TOML basic strings
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


GOOD_RULE: dict[str, Any] = {
    "id": "promo.banner",
    "description": "A whole 'Special offer' promo line.",
    "scope": "line",
    "action": "drop",
    "pattern": r"^special offer\b",
    "flags": ["ignorecase"],
    "keywords": ["special offer"],
    "hit": ["Special offer: 50% off a subscription"],
    "miss": ["The special offer the minister described was rejected by the unions."],
}


def rule_file(rules: list[dict[str, Any]], family: str | None = "promo", extra: str = "") -> str:
    out = []
    if family is not None:
        out.append(f'[family]\nname = "{family}"\ndescription = "Promotional lines."\n{extra}')
    for rule in rules:
        out.append("[[rule]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in rule.items()))
    return "\n".join(out)


def rule(**changes: Any) -> dict[str, Any]:
    """GOOD_RULE with fields changed; a value of ``None`` removes the field."""
    new = dict(GOOD_RULE)
    for key, value in changes.items():
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
    return new


def load_error(folder: Path) -> str:
    with pytest.raises(RuleError) as info:
        load_rules(folder, builtin=False)
    return str(info.value)


def assert_names(message: str, path: Path, rule_id: str | None, field: str | None) -> None:
    assert str(path) in message, f"file not named: {message}"
    if rule_id is not None:
        assert repr(rule_id) in message, f"rule id not named: {message}"
    if field is not None:
        assert f"field {field!r}" in message, f"field not named: {message}"


# ----------------------------------------------------------------------------- a good folder
def test_good_rule_folder_loads(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]))
    rules = load_rules(tmp_path, builtin=False)
    assert [r.id for r in rules] == ["promo.banner"]
    loaded = rules.get("promo.banner")
    assert loaded.languages == ("en",)  # from the folder name
    assert loaded.family == "promo"
    assert loaded.reason == GOOD_RULE["description"]  # reason defaults to the description
    assert [e.expect_hit for e in loaded.examples] == [True, False]


def test_flat_folder_rules_are_language_neutral(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "promo.toml", rule_file([GOOD_RULE]))
    assert load_rules(tmp_path, builtin=False).get("promo.banner").languages == ()


def test_family_language_overrides_folder(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE], extra='language = "common"\n'))
    assert load_rules(tmp_path, builtin=False).get("promo.banner").languages == ()


def test_good_user_rules_work_with_clean(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]))
    text = ("The council approved the budget on Monday after a long debate.\n"
            "Special offer: 50% off a subscription\n"
            "The mayor said the vote would stand, and that the city would comply.\n")
    config = Config(rule_dirs=(str(tmp_path),))
    assert clean(text, config) == text.replace("Special offer: 50% off a subscription\n", "")
    hits = [h for h in clean_and_explain(text, config).hits if h.id == "promo.banner"]
    assert len(hits) == 1 and hits[0].removed == "Special offer: 50% off a subscription"
    # the built-in rules are still there, and disabling the family switches it off
    assert clean(text, Config(rule_dirs=(str(tmp_path),), disable=("promo",))) == text
    assert clean(text, Config(rule_dirs=(str(tmp_path),), builtin_rules=False, dedupe=False,
                              article_heuristic=False)) == clean(text, config)


def test_user_rules_load_after_builtin(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]))
    ids = [r.id for r in load_rules(tmp_path)]
    assert ids[-1] == "promo.banner" and len(ids) > 1


# ----------------------------------------------------------------------------- bad rules
# (name, file contents, rule id named in the error or None, field named or None, words in the message)
BAD_RULES = [
    ("unknown-scope", rule_file([rule(scope="sentence")]), "promo.banner", "scope", "unknown scope"),
    ("unknown-action", rule_file([rule(action="delete")]), "promo.banner", "action", "unknown action"),
    ("unknown-field-typo", rule_file([rule(keyword=["special offer"])]), "promo.banner", "keyword", "unknown field"),
    ("missing-hit", rule_file([rule(hit=None)]), "promo.banner", "hit", "missing"),
    ("empty-hit", rule_file([rule(hit=[])]), "promo.banner", "hit", "missing"),
    ("missing-miss", rule_file([rule(miss=None)]), "promo.banner", "miss", "missing"),
    ("replace-without-replacement", rule_file([rule(action="replace")]), "promo.banner", "replacement",
     "required by action 'replace'"),
    ("truncate-hit-without-output", rule_file([rule(scope="tail", action="truncate")]), "promo.banner", "hit",
     "'output'"),
    ("id-without-family", rule_file([rule(id="banner")]), "banner", "id", "family name"),
    ("id-other-family", rule_file([rule(id="ads.banner")]), "ads.banner", "id", "family name"),
    ("id-family-only", rule_file([rule(id="promo.")]), "promo.", "id", "family name"),
    ("bad-regex", rule_file([rule(pattern="^special (offer")]), "promo.banner", "pattern", "bad regex"),
    ("empty-match", rule_file([rule(pattern=r"^(?:special offer)?")]), "promo.banner", "pattern",
     "matches the empty string"),
    ("nested-repeats", rule_file([rule(pattern=r"^(\w+\s?)*$")]), "promo.banner", "pattern",
     "nested unbounded repeats"),
    ("nested-repeats-nonempty", rule_file([rule(pattern=r"^special (?:offer\s*)+$")]), None, None, None),
    ("nested-repeats-plus", rule_file([rule(pattern=r"(?:[a-z]+)+!")]), "promo.banner", "pattern",
     "nested unbounded repeats"),
    ("nested-repeats-in-patterns", rule_file([rule(pattern=None, patterns=["^ok$", r"(x|(\d+)+)y"])]),
     "promo.banner", "pattern", "nested unbounded repeats"),
    ("unknown-flag", rule_file([rule(flags=["ignorecase", "unicode"])]), "promo.banner", "flags", "unknown flag"),
    ("upper-case-keyword", rule_file([rule(keywords=["Special offer"])]), "promo.banner", "keywords", "lower-case"),
    ("empty-keyword", rule_file([rule(keywords=[""])]), "promo.banner", "keywords", "lower-case"),
    ("keyword-with-line-break", rule_file([rule(keywords=["special\noffer"])]), "promo.banner", "keywords", "line break"),
    ("guard-on-line-rule", rule_file([rule(guard="list")]), "promo.banner", "guard", "only a truncate rule"),
    ("unknown-guard", rule_file([rule(scope="tail", action="truncate", guard="prose",
                                      hit=[{"text": "Special offer", "output": ""}])]),
     "promo.banner", "guard", "unknown guard"),
    ("phrases-on-inline", rule_file([rule(scope="inline", pattern=None, phrases=["special offer"])]),
     "promo.banner", "phrases", "inline rule needs a pattern"),
    ("phrases-with-replace", rule_file([rule(action="replace", replacement="", pattern=None,
                                             phrases=["special offer"])]),
     "promo.banner", "phrases", "cannot replace"),
    ("empty-phrase", rule_file([rule(pattern=None, phrases=["--"])]), "promo.banner", "phrases", "non-empty"),
    ("inline-truncate", rule_file([rule(scope="inline", action="truncate")]), "promo.banner", "action",
     "inline rule can only"),
    ("unknown-strength", rule_file([rule(strength="medium")]), "promo.banner", "strength", "unknown strength"),
    ("pattern-and-patterns", rule_file([rule(patterns=["^special"])]), "promo.banner", "patterns", "not both"),
    ("empty-pattern", rule_file([rule(pattern="")]), "promo.banner", "pattern", "non-empty"),
    ("no-pattern", rule_file([rule(pattern=None)]), "promo.banner", "pattern", "missing"),
    ("wrong-type", rule_file([rule(max_chars="80")]), "promo.banner", "max_chars", "must be of type int"),
    ("bool-for-int", rule_file([rule(max_chars=True)]), "promo.banner", "max_chars", "must be of type int"),
    ("negative-window", rule_file([rule(window=-1)]), "promo.banner", "window", "0 or more"),
    ("languages-not-strings", rule_file([rule(languages=[1])]), "promo.banner", "languages", "language codes"),
    ("missing-description", rule_file([rule(description=None)]), "promo.banner", "description", "missing"),
    ("missing-scope", rule_file([rule(scope=None)]), "promo.banner", "scope", "missing"),
    ("missing-id", rule_file([rule(id=None)]), None, "id", "rule #1"),
    ("short-fixed-text", rule_file([rule(pattern=None, texts=["Special offer"])]), "promo.banner", "texts",
     "at least 40 characters"),
    ("fixed-text-with-replace", rule_file([rule(pattern=None, action="replace", replacement="",
                                                texts=["Special offer: half price on every subscription today."])]),
     "promo.banner", "texts", "cannot be replaced"),
    ("errors-without-texts", rule_file([GOOD_RULE]).replace("[[rule]]\n", "[[rule]]\nerrors = 0.2\n"),
     "promo.banner", "errors", "only a rule with 'texts'"),
    ("errors-out-of-range", rule_file([rule(pattern=None, texts=["Special offer: half price on every "
                                                                   "subscription today."])]
                                      ).replace("[[rule]]\n", "[[rule]]\nerrors = 0.7\n"),
     "promo.banner", "errors", "from 0 to 0.5"),
    ("errors-not-a-float", rule_file([rule(pattern=None, texts=["Special offer: half price on every "
                                                                  "subscription today."])]
                                     ).replace("[[rule]]\n", "[[rule]]\nerrors = 1\n"),
     "promo.banner", "errors", "must be of type float"),
    ("example-not-text", rule_file([rule(hit=[3])]), "promo.banner", "hit", "strings or tables"),
    ("example-unknown-field", rule_file([rule(miss=[{"text": "x", "expected": "y"}])]), "promo.banner", "miss",
     "unknown example field"),
    ("example-field-not-string", rule_file([rule(hit=[{"text": "Special offer", "xfail": True}])]),
     "promo.banner", "hit", "must be a string"),
    ("example-empty-text", rule_file([rule(miss=[""])]), "promo.banner", "miss", "non-empty 'text'"),
    ("second-rule-named", rule_file([GOOD_RULE, rule(id="promo.second", scope="body")]), "promo.second", "scope",
     "unknown scope"),
]


@pytest.mark.parametrize(("contents", "rule_id", "field", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_RULES])
def test_bad_rule_is_rejected_with_a_clear_message(tmp_path: Path, contents: str, rule_id, field, words) -> None:
    path = write_rule_file(tmp_path, "en/promo.toml", contents)
    if words is None:  # a control: nested but bounded by a literal, so it is fine
        load_rules(tmp_path, builtin=False)
        return
    message = load_error(tmp_path)
    assert_names(message, path, rule_id, field)
    assert words in message


@pytest.mark.parametrize(("contents", "rule_id", "field"), [
    pytest.param(rule_file([rule(id="promo.banner\nFAKE: rule ok")]), "promo.banner\nFAKE: rule ok", "id",
                 id="newline-in-id"),
    pytest.param(rule_file([rule(id="promo.\x1b[2Jbanner")]), "promo.\x1b[2Jbanner", "id", id="escape-in-id"),
    pytest.param(rule_file([rule(id="promo.bänner")]), "promo.bänner", "id", id="non-ascii-id"),
    pytest.param(rule_file([rule(description="Promo \x1b]0;owned\x07 lines.")]), "promo.banner", "description",
                 id="escape-in-description"),
    pytest.param(rule_file([rule(reason="promo \u202egnirts")]), "promo.banner", "reason", id="bidi-in-reason"),
])
def test_ids_and_texts_printed_to_terminals_are_safe(tmp_path: Path, contents: str, rule_id: str,
                                                     field: str) -> None:
    # Ids, descriptions and reasons go to --explain, --list-rules, reports and terminals.
    path = write_rule_file(tmp_path, "en/promo.toml", contents)
    message = load_error(tmp_path)
    assert_names(message, path, rule_id, field)
    assert message.isprintable()  # the culprit is shown escaped


def test_family_name_is_restricted_too(tmp_path: Path) -> None:
    path = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE], family="promo\\u001b[31m"))
    message = load_error(tmp_path)
    assert str(path) in message and "field 'name'" in message and message.isprintable()


def test_deeply_nested_toml_is_a_rule_error_naming_the_file(tmp_path: Path) -> None:
    # tomllib recurses: once a RecursionError, an "internal error" naming no file
    path = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]) + "x = " + "[" * 50_000 + "]" * 50_000)
    message = load_error(tmp_path)
    assert_names(message, path, None, None)
    assert "nested too deeply" in message


def test_bad_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]) + '\n[[rule]]\nid = "promo.x\n')
    message = load_error(tmp_path)
    assert_names(message, path, None, None)
    assert "invalid TOML" in message and "line" in message


def test_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "promo.toml"
    path.write_bytes(rule_file([GOOD_RULE]).encode("utf-8") + b"# caf\xe9\n")
    message = load_error(tmp_path)
    assert_names(message, path, None, None)
    assert "not UTF-8" in message


def test_duplicate_id_across_two_files(tmp_path: Path) -> None:
    first = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE]))
    second = write_rule_file(tmp_path, "fr/promo.toml", rule_file([GOOD_RULE]))
    message = load_error(tmp_path)
    assert_names(message, second, "promo.banner", "id")
    assert "duplicate id" in message and str(first) in message


def test_duplicate_id_within_one_file(tmp_path: Path) -> None:
    path = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE, GOOD_RULE]))
    message = load_error(tmp_path)
    assert_names(message, path, "promo.banner", "id")
    assert "duplicate id" in message


def test_duplicate_of_a_builtin_id(tmp_path: Path) -> None:
    builtin = next(iter(load_rules()))
    family = builtin.family
    write_rule_file(tmp_path, f"{family}.toml", rule_file([rule(id=builtin.id)], family=family))
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(tmp_path)


def test_missing_family(tmp_path: Path) -> None:
    path = write_rule_file(tmp_path, "en/promo.toml", rule_file([GOOD_RULE], family=None))
    message = load_error(tmp_path)
    assert_names(message, path, None, None)
    assert "[family]" in message


@pytest.mark.parametrize(("contents", "words"), [
    pytest.param('[family]\ndescription = "no name"\n', "missing [family]", id="family-without-name"),
    pytest.param('[family]\nname = "promo"\nowner = "me"\n', "unknown field(s) ['owner']", id="family-unknown-field"),
    pytest.param('[family]\nname = "promo"\nlanguage = 1\n', "'language' must be a string", id="family-language-type"),
    pytest.param('[family]\nname = "promo"\n', "no [[rule]] entries", id="no-rules"),
    pytest.param('[family]\nname = "promo"\n[[rules]]\nid = "promo.x"\n', "unknown top-level key", id="top-level-typo"),
    pytest.param('rule = [1]\n[family]\nname = "promo"\n', "must be a table", id="rule-not-a-table"),
])
def test_bad_file_structure(tmp_path: Path, contents: str, words: str) -> None:
    path = write_rule_file(tmp_path, "promo.toml", contents)
    message = load_error(tmp_path)
    assert_names(message, path, None, None)
    assert words in message


def test_missing_rule_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(RuleError, match="rule folder not found"):
        load_rules(missing, builtin=False)


def test_first_bad_file_stops_the_whole_load(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "a_good.toml", rule_file([GOOD_RULE]))
    write_rule_file(tmp_path, "b_bad.toml", rule_file([rule(id="other.x")], family="other").replace("line", "lines"))
    with pytest.raises(RuleError, match="b_bad.toml"):
        load_rules(tmp_path, builtin=False)


def test_deeply_nested_pattern_is_a_rule_error(tmp_path: Path) -> None:
    write_rule_file(tmp_path, "promo.toml", rule_file([rule(pattern="(" * 1500 + "x" + ")" * 1500)]))
    message = load_error(tmp_path)
    assert "field 'pattern'" in message


# ----------------------------------------------------------------------------- clean() with broken rules
BAD_DIR_CASES = [
    pytest.param(rule_file([rule(pattern="^special (offer")]), id="bad-regex"),
    pytest.param(rule_file([GOOD_RULE]) + "\n[[rule\n", id="bad-toml"),
    pytest.param(rule_file([rule(scope="sentence")]), id="unknown-scope"),
]


@pytest.mark.parametrize("contents", BAD_DIR_CASES)
@pytest.mark.parametrize("text", [
    pytest.param("Special offer: 50% off\nAdvertisement\nThe mayor said no.\n", id="boilerplate"),
    pytest.param("", id="empty"),
    pytest.param("<!DOCTYPE html><html><body><p>The mayor said no.</p></body></html>", id="html"),
    pytest.param("Caf\u00c3\u00a9 &amp; bar\n", id="glitches"),
])
def test_clean_refuses_to_run_with_broken_rules(tmp_path: Path, contents: str, text: str) -> None:
    write_rule_file(tmp_path, "en/promo.toml", contents)
    config = Config(rule_dirs=(str(tmp_path),))
    with pytest.raises(RuleError, match="promo.toml"):
        clean(text, config)
    with pytest.raises(RuleError, match="promo.toml"):
        clean_and_explain(text, config)


def test_broken_rules_fail_even_for_oversized_documents(tmp_path: Path) -> None:
    # an oversized document would be passed through unchanged; the rule error still comes first
    write_rule_file(tmp_path, "en/promo.toml", rule_file([rule(action="delete")]))
    config = Config(rule_dirs=(str(tmp_path),), max_document_chars=5)
    with pytest.raises(RuleError, match="unknown action"):
        clean("Advertisement\n" * 10, config)


def test_rule_folder_fixed_after_an_error_loads(tmp_path: Path) -> None:
    # a failed load is not cached: fixing the file makes the next call work
    bad, good = tmp_path / "one", tmp_path / "two"
    write_rule_file(bad, "promo.toml", rule_file([rule(scope="sentence")]))
    write_rule_file(good, "promo.toml", rule_file([GOOD_RULE]))
    with pytest.raises(RuleError):
        clean("x\n", Config(rule_dirs=(str(bad),)))
    assert clean("Special offer: today only\n", Config(rule_dirs=(str(good),), article_heuristic=False)) == ""


# ----------------------------------------------------------------------------- lint_pattern
@pytest.mark.parametrize("pattern", [
    r"^(\w+\s?)*$", r"(a+)+", r"(?:a*)*b", r"(?:x|\d+)+y", r"(\s*\w+)*$", r"(?P<w>[a-z]+){2,}q", r"(?i:\w+)+z",
])
def test_lint_rejects_nested_unbounded_repeats(pattern: str) -> None:
    assert lint_pattern(pattern) is not None


@pytest.mark.parametrize("pattern", [
    r"(?:small\s+|affiliate\s+)*commission", r"^(\w+\s)?end$", r"(a+b)+", r"(\w{1,5}\s?){1,10}$",
    r"[(]+a+[)]*", r"\(+a+\)*", r"^\W{0,3}read more:", r"(?:ab)+", r"a{2}(b+)c",
])
def test_lint_accepts_safe_patterns(pattern: str) -> None:
    assert lint_pattern(pattern) is None


@settings(max_examples=300)
@given(st.text(alphabet="()[]{}|?*+\\:^$.,-aw0123456789<>=!P", max_size=30))
def test_lint_never_raises_on_short_patterns(pattern: str) -> None:
    # Any text: lint must answer (or leave the syntax error to the compiler), not crash.
    result = lint_pattern(pattern)
    assert result is None or "nested unbounded repeats" in result


@settings(max_examples=300)
@given(st.text(alphabet="()[]{}|?*+\\:^$.,-aw0123456789<>=!P#pL", min_size=1, max_size=25))
def test_any_pattern_loads_or_is_a_rule_error(tmp_path_factory, pattern: str) -> None:
    # Whatever a user writes in 'pattern', loading ends in a Rule or a RuleError that
    # names the field, never in another exception.
    folder = tmp_path_factory.mktemp("rules")
    write_rule_file(folder, "promo.toml", rule_file([rule(pattern=pattern, keywords=None, hit=["x"])]))
    try:
        load_rules(folder, builtin=False)
    except RuleError as exc:
        assert "field 'pattern'" in str(exc) or "field 'hit'" in str(exc)
