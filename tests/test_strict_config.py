"""Strict configuration: a name that switches nothing off, or a language code that is no
code, is an error with a hint (library, command, datatrove step); every id a hit can
carry can be disabled and then no longer acts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import FIXTURES
from corpus_samples import DIRTY

from cleaner import Config, ConfigError, clean, clean_and_explain
from cleaner import engine
from cleaner.cli import main
from cleaner.config import BUILTIN_IDS
from cleaner.runner import EXIT_ERROR, EXIT_OK

GATE = sorted(p for p in (FIXTURES / "gate").glob("*.txt") if not p.name.endswith(".gold.txt"))


# --- unknown ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "hint"), [
    ("read_mor", "read_more"),
    ("read_more.prefixed-headlin", "read_more.prefixed-headline"),
    ("advertisment", "advertisement"),
    ("nonexistent.rule", None),
])
def test_unknown_rule_id_is_an_error_when_rules_load(name: str, hint: str | None) -> None:
    config = Config(disable=(name,))  # rule ids are only known once the rules are loaded
    with pytest.raises(ConfigError) as info:
        clean("The mayor said no.\n", config)
    message = str(info.value)
    assert f"no rule, family, fix or heuristic has the id {name!r}" in message
    assert (f"(did you mean {hint!r}?)" in message) if hint else "did you mean" not in message


@pytest.mark.parametrize(("name", "hint"), [("fix.encodng", "fix.encoding"), ("heuristic.dedup", "heuristic.dedupe"),
                                            ("heuristic.articles", "heuristic.article"), ("fix.zzz", None)])
def test_unknown_fix_or_heuristic_id_is_an_error_at_once(name: str, hint: str | None) -> None:
    with pytest.raises(ConfigError) as info:
        Config(disable=(name,))
    message = str(info.value)
    assert message.startswith(f"disable: unknown id {name!r}")
    assert (f"(did you mean {hint!r}?)" in message) if hint else "did you mean" not in message
    assert "fix.encoding, fix.whitespace" in message  # the valid ones are named


@pytest.mark.parametrize("name", ["", " read_more", "read_more.", ".x"])
def test_malformed_disable_names(name: str) -> None:
    with pytest.raises(ConfigError, match="is not a rule, family, fix or heuristic id"):
        Config(disable=(name,))


def test_families_prefixes_and_builtin_namespaces_are_accepted() -> None:
    for names in (("read_more",), ("read_more.prefixed-headline",), ("fix",), ("heuristic",), ("document",)):
        clean("The mayor said no.\n", Config(disable=names))


def test_a_family_of_custom_rules_is_known(tmp_path: Path) -> None:
    (tmp_path / "house.toml").write_text(
        '[family]\nname = "house"\n[[rule]]\nid = "house.tip"\ndescription = "tip"\nscope = "line"\n'
        'action = "drop"\npattern = "^Got a tip"\nhit = ["Got a tip? Mail us."]\nmiss = ["A tip."]\n')
    assert clean("Got a tip? Mail us.\n", Config(rule_dirs=(str(tmp_path),), disable=("house",))) \
        == "Got a tip? Mail us.\n"
    with pytest.raises(ConfigError, match="did you mean 'house'"):
        clean("x\n", Config(rule_dirs=(str(tmp_path),), disable=("hous",)))


# --- languages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "hint"), [("english", "en"), ("German", "de"), ("EN", "en"), ("xx", None),
                                            ("en-US", None)])
def test_unknown_language_code_is_an_error(code: str, hint: str | None) -> None:
    with pytest.raises(ConfigError) as info:
        Config(languages=(code,))
    message = str(info.value)
    assert message.startswith(f"languages: {code!r} is not an ISO 639-1 language code")
    assert f"(did you mean {hint!r}?)" in message if hint else "such as 'en'" in message


def test_valid_language_codes() -> None:
    assert Config(languages=("en", "de", "zh")).languages == ("en", "de", "zh")
    # a language with no rules of its own keeps the language-neutral ones: valid, not an error
    assert "Read More" in clean(DIRTY, Config(languages=("it",)))


# --- the command and the datatrove step ---------------------------------------------------------------


@pytest.mark.parametrize(("flags", "words"), [
    (["--disable", "read_mor"], "disable: no rule, family, fix or heuristic has the id 'read_mor' "
                                "(did you mean 'read_more'?)"),
    (["--disable", "fix.encodng"], "unknown id 'fix.encodng' (did you mean 'fix.encoding'?)"),
    (["--language", "xx"], "command line: languages: 'xx' is not an ISO 639-1 language code"),
    (["--language", "en,english"], "'english' is not an ISO 639-1 language code (did you mean 'en'?)"),
])
def test_command_refuses_unknown_names_before_touching_files(tmp_path: Path, flags: list[str], words: str,
                                                             capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    assert main([*flags, str(path)]) == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == DIRTY
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cleaner: error: ") and words in err[0], err


def test_command_refuses_unknown_names_in_pyproject(tmp_path: Path, capsys) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nlanguages = ["english"]\n')
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    assert main([str(path)]) == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == DIRTY
    err = capsys.readouterr().err
    assert "pyproject.toml: languages: 'english' is not an ISO 639-1 language code (did you mean 'en'?)" in err


@pytest.mark.skipif(importlib.util.find_spec("datatrove") is None, reason="datatrove not installed")
@pytest.mark.parametrize(("options", "words"), [({"disable": ["read_mor"]}, "did you mean 'read_more'"),
                                                ({"languages": ["english"]}, "did you mean 'en'"),
                                                ({"disable": ["heuristic.dedup"]}, "did you mean 'heuristic.dedupe'")])
def test_datatrove_step_refuses_unknown_names_when_built(options: dict, words: str) -> None:
    from cleaner.integrations.datatrove import CleanerFormatter

    with pytest.raises(ConfigError, match=words):
        CleanerFormatter(options)


# --- every id a hit can carry can be disabled ------------------------------------------------------


def _gate_doc(hit_id: str, config: Config) -> str:
    """A labelled gate document on which ``hit_id`` acts under ``config``."""
    for path in GATE:
        text = path.read_text(encoding="utf-8")
        if any(h.id == hit_id for h in clean_and_explain(text, config).hits):
            return text
    raise AssertionError(f"no document in fixtures/gate/ has a {hit_id} hit")  # the fixtures changed: pick another


ARTICLE = "The council voted on the budget on Monday, and the mayor said she was pleased with it.\n"
#: A text (and a config) on which each id acts by default.
CASES = {
    "fix.encoding": (lambda: "Bostonâ€™s mayor said no to the plan on Monday.\n", Config()),
    "fix.whitespace": (lambda: "The mayor said no.\u00a0Then she left.   \n", Config()),
    "fix.markup": (lambda: "The mayor said <b>no</b> to the plan.\n", Config()),
    "fix.markdown": (lambda: "The mayor said **no** to the [plan](https://e.com/plan).\n\n---\n\n"
                     "She will [meet](https://e.com/m) the *council* again.\n", Config()),
    "heuristic.html": (lambda: "<!DOCTYPE html><html><head><title>Vote</title></head><body><article><p>"
                       + ARTICLE * 3 + "</p></article></body></html>\n", Config()),
    "heuristic.dedupe": (lambda: ARTICLE + "\n" + ARTICLE, Config()),
    "heuristic.article": (lambda: _gate_doc("heuristic.article", Config()), Config()),
    "heuristic.comments": (lambda: _gate_doc("heuristic.comments", Config()), Config()),
    "heuristic.cap": (lambda: _gate_doc("heuristic.cap", Config(max_removal_fraction=0.05)),
                      Config(max_removal_fraction=0.05)),
    "document.too-large": (lambda: ARTICLE + "Advertisement\n", Config(max_document_chars=20)),
    # under a clock that runs 1,000 s a call (see _racing_clock), the guard trips on any document
    "document.timed-out": (lambda: ARTICLE + "Advertisement\nRead More: Council votes on new budget\n",
                           Config()),
}


def _racing_clock():
    """A clock that moves 1,000 seconds each time it is read: any pattern search runs past
    regex_timeout's allowance, but not past the 1e9 s that disabling document.timed-out sets."""
    now = [0.0]

    def monotonic() -> float:
        now[0] += 1000.0
        return now[0]

    return monotonic


def test_every_builtin_id_has_a_case() -> None:
    assert set(CASES) == set(BUILTIN_IDS)


@pytest.mark.parametrize("hit_id", sorted(CASES))
def test_every_builtin_id_can_be_disabled(hit_id: str, monkeypatch) -> None:
    make, config = CASES[hit_id]
    if hit_id == "document.timed-out":
        monkeypatch.setattr(engine, "monotonic", _racing_clock())
    text = make()
    default = clean_and_explain(text, config)
    assert hit_id in {h.id for h in default.hits}
    off = Config(**{**{f: getattr(config, f) for f in config.__dataclass_fields__}, "disable": (hit_id,)})
    result = clean_and_explain(text, off)
    assert hit_id not in {h.id for h in result.hits}
    assert clean(text, off) == result.text
    if hit_id in ("heuristic.cap", "document.too-large", "document.timed-out"):
        # lifting a guard lets the cleaning happen that the guard held back
        assert result.text != text and default.text == (text if hit_id.startswith("document.") else default.text)
    else:
        assert result.text != default.text  # what the fix or heuristic did is not done


def test_disabling_comments_keeps_the_thread_and_nothing_else_changes() -> None:
    text = _gate_doc("heuristic.comments", Config())
    default = clean_and_explain(text)
    kept = clean_and_explain(text, Config(disable=("heuristic.comments",)))
    for hit in default.hits:
        if hit.id == "heuristic.comments":
            first_line = next(line for line in hit.removed.splitlines() if line.strip())
            assert first_line in kept.text
    others = [(h.id, h.start, h.end) for h in default.hits if h.id != "heuristic.comments"]
    assert [(h.id, h.start, h.end) for h in kept.hits] == others


def test_fix_encoding_disabled_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    text = "Bostonâ€™s mayor said no to the plan on Monday.\n"
    path.write_text(text, encoding="utf-8")
    assert main(["-q", "--disable", "fix.encoding", str(path)]) == EXIT_OK
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.skipif(importlib.util.find_spec("datatrove") is None, reason="datatrove not installed")
def test_cleaner_datatrove_command_refuses_unknown_ids(tmp_path: Path, capsys) -> None:
    from cleaner.integrations.datatrove_cli import main as datatrove_main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"id": "1", "text": "Advertisement"}\n', encoding="utf-8")
    assert datatrove_main([str(tmp_path / "in"), str(tmp_path / "out"), "--disable", "read_mor"]) == EXIT_ERROR
    assert "did you mean 'read_more'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
