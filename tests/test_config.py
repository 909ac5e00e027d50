"""The one immutable Config: defaults, from_mapping, type checks, disable prefixes."""

from __future__ import annotations

import dataclasses

import pytest

from cleaner import Config, ConfigError, clean, clean_and_explain

DEFAULTS = {
    "rule_dirs": (),
    "builtin_rules": True,
    "disable": (),
    "languages": (),
    "regex_timeout": 1.0,
    "fix_encoding": True,
    "fix_whitespace": True,
    "strip_markup": True,
    "strip_markdown": True,
    "max_blank_lines": 2,
    "html_input": True,
    "dedupe": True,
    "dedupe_min_chars": 40,
    "article_heuristic": True,
    "max_removal_fraction": 0.8,
    "max_document_chars": 50_000_000,
}


def test_defaults() -> None:
    values = dataclasses.asdict(Config())
    assert {k: values.get(k) for k in DEFAULTS} == DEFAULTS


def test_every_default_is_in_the_docstring() -> None:
    doc = " ".join((Config.__doc__ or "").split())
    for field in dataclasses.fields(Config):
        default = field.default
        shown = f"{default:_}" if isinstance(default, int) and not isinstance(default, bool) else repr(default)
        at = doc.find(f"{field.name}:")
        assert at >= 0, f"{field.name} is not described in Config's docstring"
        end = doc.find("Default ``", at)
        assert end >= 0 and doc.startswith(f"Default ``{shown}``", end), (field.name, shown)


def test_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.dedupe = False  # type: ignore[misc]
    assert config == Config()
    assert hash(config) == hash(Config())  # usable as a cache key


def test_keyword_only() -> None:
    with pytest.raises(TypeError):
        Config(())  # type: ignore[misc]


def test_replace_makes_a_variant() -> None:
    config = dataclasses.replace(Config(), dedupe=False)
    assert config.dedupe is False and Config().dedupe is True


# ----------------------------------------------------------------------------- from_mapping
def test_from_mapping_accepts_dashes_and_underscores() -> None:
    config = Config.from_mapping({"max-blank-lines": 1, "dedupe_min_chars": 60, "fix-encoding": False})
    assert (config.max_blank_lines, config.dedupe_min_chars, config.fix_encoding) == (1, 60, False)


def test_from_mapping_turns_lists_into_tuples() -> None:
    config = Config.from_mapping({"disable": ["read_more", "heuristic.dedupe"], "rule-dirs": ["my_rules"]})
    assert config.disable == ("read_more", "heuristic.dedupe")
    assert config.rule_dirs == ("my_rules",)


def test_from_mapping_empty_gives_defaults() -> None:
    assert Config.from_mapping({}) == Config()


def test_from_mapping_builds_on_a_base() -> None:
    base = Config(dedupe=False, max_blank_lines=0)
    config = Config.from_mapping({"max-blank-lines": 3}, base=base)
    assert config.dedupe is False and config.max_blank_lines == 3
    assert base.max_blank_lines == 0  # the base is not changed


@pytest.mark.parametrize(("key", "hint"), [
    ("max-blank-line", "max_blank_lines"),
    ("dedup", "dedupe"),
    ("rule_dir", "rule_dirs"),
    ("fix-encodings", "fix_encoding"),
])
def test_unknown_key_has_a_hint(key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_mapping({key: 1}, source="pyproject.toml [tool.cleaner]")
    message = str(info.value)
    assert message.startswith("pyproject.toml [tool.cleaner]: unknown option")
    assert repr(key) in message
    assert f"did you mean {hint!r}?" in message


def test_unknown_key_without_a_close_match() -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_mapping({"zzzz": 1})
    assert "unknown option 'zzzz'" in str(info.value)
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize(("values", "words"), [
    ({"dedupe": "yes"}, "dedupe must be of type bool"),
    ({"max-blank-lines": "2"}, "max_blank_lines must be of type int"),
    ({"max-blank-lines": 1.5}, "max_blank_lines must be of type int"),
    ({"max-blank-lines": True}, "max_blank_lines must be a number"),
    ({"regex-timeout": "1"}, "regex_timeout must be of type float"),
    ({"regex-timeout": False}, "regex_timeout must be a number"),
    ({"disable": "read_more"}, "disable must be a list of strings"),
    ({"disable": ["read_more", 3]}, "disable must be a list of strings"),
    ({"rule-dirs": [None]}, "rule_dirs must be a list of strings"),
    ({"max-removal-fraction": 1.5}, "max_removal_fraction must be between 0 and 1"),
    ({"max-removal-fraction": -0.1}, "max_removal_fraction must be between 0 and 1"),
    ({"max-blank-lines": -1}, "max_blank_lines must be 0 or more"),
    ({"regex-timeout": 0}, "regex_timeout must be a positive number"),
])
def test_wrong_values_are_config_errors(values: dict, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_mapping(values, source="cfg")
    assert str(info.value).startswith("cfg: ")
    assert words in str(info.value)


@pytest.mark.parametrize("kwargs", [
    {"dedupe": 1}, {"max_blank_lines": "2"}, {"languages": ["en"]}, {"languages": ("en", 1)},
    {"max_removal_fraction": 2.0}, {"regex_timeout": -1.0}, {"dedupe_min_chars": None},
])
def test_constructor_checks_types_too(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        Config(**kwargs)


def test_int_is_accepted_for_float() -> None:
    assert Config(regex_timeout=2).regex_timeout == 2
    assert Config.from_mapping({"max-removal-fraction": 1}).max_removal_fraction == 1


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


# ----------------------------------------------------------------------------- is_disabled
@pytest.mark.parametrize(("disable", "name", "expected"), [
    (("read_more",), "read_more", True),
    (("read_more",), "read_more.prefixed-headline", True),
    (("read_more",), "read_more_extra.x", False),  # a prefix only counts at a dot
    (("read_more",), "read", False),
    (("read_more.prefixed-headline",), "read_more.prefixed-headline", True),
    (("read_more.prefixed-headline",), "read_more.standalone", False),
    (("read_more.prefixed-headline",), "read_more", False),  # a child does not disable its parent
    (("heuristic",), "heuristic.dedupe", True),
    (("heuristic.dedupe",), "heuristic.article", False),
    ((), "read_more", False),
    (("a", "b.c"), "b.c.d", True),
])
def test_is_disabled(disable: tuple, name: str, expected: bool) -> None:
    assert Config(disable=disable).is_disabled(name) is expected


def test_disable_switches_rules_and_heuristics_off() -> None:
    text = ("The council voted on the budget on Monday, and the mayor said she was pleased.\n"
            "Read More: Council approves budget\n"
            "The council voted on the budget on Monday, and the mayor said she was pleased.\n")
    ids = {h.id for h in clean_and_explain(text).hits}
    assert "read_more.prefixed-headline" in ids and "heuristic.dedupe" in ids
    off = Config(disable=("read_more", "heuristic.dedupe"))
    assert clean(text, off) == text
    assert not {h.id for h in clean_and_explain(text, off).hits} & {"read_more.prefixed-headline", "heuristic.dedupe"}


def test_max_document_chars_passes_big_documents_through() -> None:
    text = "Advertisement\nThe mayor said no.\n"
    config = Config(max_document_chars=10)
    assert clean(text, config) == text
    (hit,) = clean_and_explain(text, config).hits
    assert hit.id == "document.too-large" and hit.action == "flag"
    assert clean(text, Config(max_document_chars=0)) != text  # 0 means no limit


def test_clean_rejects_bytes() -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        clean(b"The mayor said no.\n")  # type: ignore[arg-type]


def test_deeply_nested_toml_config_is_one_error_naming_the_file(tmp_path, capsys) -> None:
    from cleaner.cli import main

    config = tmp_path / "cleaner.toml"
    config.write_text("disable = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("Advertisement\nThe mayor said no.\n", encoding="utf-8")
    assert main(["--config", str(config), str(doc)]) == 2
    assert capsys.readouterr().err == f"cleaner: error: {config}: invalid TOML: nested too deeply to read\n"
    assert doc.read_text(encoding="utf-8") == "Advertisement\nThe mayor said no.\n"
