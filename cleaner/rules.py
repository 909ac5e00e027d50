"""Rule files: load, validate and compile them.

A rule file is TOML, one family per file (``rules/<lang>/<family>.toml``)::

    [family]
    name = "read_more"
    description = "Teaser links to other stories."
    language = "en"                 # default: the folder name (en, de, ...); "common" = any

    [[rule]]
    id = "read_more.prefixed-headline"
    description = "A whole line 'Read more: <headline>'."
    scope = "line"                  # line | paragraph | head | tail | inline
    action = "drop"                 # drop | truncate | replace | flag
    pattern = '''^\\W*read more:'''  # or patterns = [...]; the regex module, V0 syntax
    flags = ["ignorecase"]
    keywords = ["read more"]        # lower-case; the pattern only runs where one occurs
    hit = ["Read More: Council votes on new budget"]
    miss = ["You can read more about the vote in our report."]

A long fixed sentence (a publisher's disclaimer) is given as ``texts = [...]`` instead
of a pattern: it is found with typos anywhere in it, up to ``errors`` (a share of its
length, default 0.1) edits, case ignored (see :mod:`cleaner.fuzzy`). Without
``keywords``, its eight longest words are its keywords, so typos cannot hide it.

Everything is checked on load; an error names the file, the rule and the field, and
no rule at all is returned, so nothing is cleaned with half a rule set.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import ahocorasick
import regex

from .fuzzy import DEFAULT_ERRORS, FixedText
from .lint import lint_pattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Rule", "RuleSet", "RuleError", "Example", "load_rules", "builtin_rules_dir", "phrase_key",
           "SCOPES", "ACTIONS", "GUARDS", "STRENGTHS", "PATTERN_MAX_CHARS"]

SCOPES = ("line", "paragraph", "head", "tail", "inline")
ACTIONS = ("drop", "truncate", "replace", "flag")
#: What must follow a tail marker for ``truncate`` to cut: ``any`` (comment threads
#: are prose too) or ``list`` (only short, non-prose lines: headlines, links, names).
#: ``footer`` marks a line that only ever closes a post (a blog engine's "Bookmark the
#: permalink."): it cuts even under a short article, whose longest paragraph a comment
#: after it may outgrow.
GUARDS = ("any", "list", "footer")
#: ``strong`` rules act anywhere. ``weak`` rules match wording that readers and human
#: annotators often count as part of the article when it sits in it (a photo credit
#: under a figure, a "Related:" link between paragraphs, a syndication note after the
#: last paragraph): they remove it only away from the article, and inside the article
#: body or right next to it they only flag it.
STRENGTHS = ("strong", "weak")
FLAGS = {
    "ignorecase": regex.IGNORECASE,
    "multiline": regex.MULTILINE,
    "dotall": regex.DOTALL,
    "verbose": regex.VERBOSE,
    "bestmatch": regex.BESTMATCH,
    "enhancematch": regex.ENHANCEMATCH,
}
#: The work bound of every pattern: it never searches a longer line or paragraph, so
#: what one search costs is bounded by a constant and a document's searches grow with
#: its size only, whatever the pattern and the machine. (Boilerplate is short: on the
#: dev corpora the longest line any rule matched holds 24,798 characters, the longest
#: searched 61,528; a one-line blob is searched sentence by sentence.)
PATTERN_MAX_CHARS = 100_000
DEFAULT_WINDOW = {"head": 5}  # tail: from where the article has started (see engine)

_RULE_FIELDS = {
    "id": str, "description": str, "scope": str, "action": str, "pattern": str, "patterns": list, "phrases": list,
    "flags": list, "keywords": list, "languages": list, "max_chars": int, "window": int, "guard": str,
    "replacement": str, "reason": str, "hit": list, "miss": list, "strength": str, "texts": list,
    "errors": float,
}
#: A fixed text shorter than this is better written as a pattern: with few characters
#: the edit budget is too small to tolerate typos and too large to stay specific.
FIXED_TEXT_MIN_CHARS = 40
_EXAMPLE_FIELDS = {"text": str, "output": str, "xfail": str}


class RuleError(ValueError):
    """A rule file is broken: the message names the file, rule and field."""


@dataclass(frozen=True)
class Example:
    """Text a rule must hit (``expect_hit``) or leave alone, with an optional expected output."""

    text: str
    expect_hit: bool
    output: str | None = None
    xfail: str | None = None


@dataclass(frozen=True, eq=False)
class Rule:
    """One compiled rule. Built only by :func:`load_rules`."""

    id: str
    family: str
    description: str
    scope: str
    action: str
    patterns: tuple[Any, ...]
    phrases: frozenset[str]
    keywords: tuple[str, ...]
    languages: tuple[str, ...]
    source: str
    max_chars: int = 0
    window: int = 0
    guard: str = "any"
    strength: str = "strong"
    replacement: str = ""
    reason: str = ""
    examples: tuple[Example, ...] = field(default=(), repr=False)
    #: True when the rule has only phrases and fixed texts, no regex pattern: its work is
    #: bounded by the text's length (see fuzzy.py), so the engine's wall-clock guard
    #: against a backtracking pattern leaves it alone.
    bounded: bool = False

    def search(self, text: str, timeout: float | None = None) -> Any:
        """True-ish if ``text`` is one of the rule's phrases or matches one of its
        patterns (the first match object, or True for a phrase). A text longer than
        :data:`PATTERN_MAX_CHARS` matches no pattern."""
        if self.phrases and phrase_key(text) in self.phrases:
            return True
        if len(text) > PATTERN_MAX_CHARS:
            return None
        for pattern in self.patterns:
            m = pattern.search(text, timeout=timeout)
            if m:
                return m
        return None


# Ids and family names are printed in reports, --explain and terminals: no newlines
# or escape sequences can ride along.
_NAME = regex.compile(r"[A-Za-z0-9_-]+")
_ID = regex.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_NAME_RULE = "may hold only ASCII letters, digits, '_' and '-' (and '.' between the parts of an id)"
_UNSAFE = regex.compile(r"[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_EDGES = regex.compile(r"^[\W_]+|[\W_]+$")
# common edge characters, stripped at C speed before the regex has to look
_EDGE_CHARS = " \t-–—•·|»«›‹:;,.!?*#>/()[]\"'“”‘’…©®™+=_~"


def phrase_key(text: str) -> str:
    """How a line is compared with a rule's ``phrases``: case-folded, spaces collapsed,
    punctuation and symbols at both ends stripped.

    >>> phrase_key("  - Share this Article »")
    'share this article'
    """
    key = text.strip(_EDGE_CHARS)
    if key and not (key[0].isalnum() and key[-1].isalnum()):
        key = _EDGES.sub("", key)
    key = key.casefold()
    return " ".join(key.split()) if "  " in key or "\t" in key else key


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The loaded rules, in file order, with the folders they came from."""

    rules: tuple[Rule, ...]
    dirs: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    @functools.cached_property
    def keyword_automaton(self) -> Any:
        """An Aho-Corasick automaton over every rule keyword: one pass over a document
        finds them all, overlapping ones too (None if no rule has keywords)."""
        words = sorted({kw for rule in self.rules for kw in rule.keywords})
        if not words:
            return None
        automaton = ahocorasick.Automaton()
        for word in words:
            automaton.add_word(word, word)
        automaton.make_automaton()
        return automaton

    @functools.cached_property
    def rules_by_keyword(self) -> dict[str, tuple[Rule, ...]]:
        """Keyword -> the rules listing it (the engine's active rules per document)."""
        index: dict[str, tuple[Rule, ...]] = {}
        for rule in self.rules:
            for kw in rule.keywords:
                index[kw] = index.get(kw, ()) + (rule,)
        return index

    @functools.cached_property
    def phrase_index(self) -> tuple[dict[str, tuple[Rule, ...]], int]:
        """Phrase key -> the rules listing it, and the longest phrase's length."""
        index: dict[str, tuple[Rule, ...]] = {}
        for rule in self.rules:
            for phrase in rule.phrases:
                index[phrase] = index.get(phrase, ()) + (rule,)
        return index, max((len(p) for p in index), default=0)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def select(self, disabled: Iterable[str] = (), languages: Iterable[str] = ()) -> RuleSet:
        """The rules that are not disabled (by id or family) and fit ``languages``."""
        off = tuple(disabled)
        langs = set(languages)

        def keep(rule: Rule) -> bool:
            if any(rule.id == d or rule.id.startswith(d + ".") or rule.family == d for d in off):
                return False
            return not langs or not rule.languages or bool(langs & set(rule.languages))

        return RuleSet(tuple(r for r in self.rules if keep(r)), self.dirs)


def builtin_rules_dir() -> Path:
    """The rules shipped with cleaner: ``cleaner/_rules`` in a wheel, ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def load_rules(*dirs: str | Path, builtin: bool = True) -> RuleSet:
    """Load and check the built-in rules (unless ``builtin=False``) and every ``*.toml``
    under ``dirs``. Raises :class:`RuleError` on the first problem.

    >>> rules = load_rules()
    >>> rules.get("read_more.prefixed-headline").scope
    'line'
    """
    folders = ([builtin_rules_dir()] if builtin else []) + [Path(d) for d in dirs]
    return _load(tuple(str(f) for f in folders))


@functools.lru_cache(maxsize=16)
def _load(folders: tuple[str, ...]) -> RuleSet:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            raise RuleError(f"{folder}: rule folder not found")
        inside = root.resolve()
        for path in sorted(root.rglob("*.toml")):
            if not path.resolve().is_relative_to(inside):
                raise RuleError(f"{path}: links outside the rule folder {folder}; rule files are read only "
                                "from inside it")
            for rule in _load_file(path, root):
                if rule.id in seen:
                    raise RuleError(f"{path}: rule {rule.id!r}: field 'id': duplicate id, "
                                    f"already defined in {seen[rule.id]}")
                seen[rule.id] = str(path)
                rules.append(rule)
    return RuleSet(tuple(rules), folders)


def _load_file(path: Path, root: Path) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise RuleError(f"{path}: invalid TOML: nested too deeply to read") from None
    unknown = set(data) - {"family", "rule"}
    if unknown:
        raise RuleError(f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [family] and [[rule]]")
    family = data.get("family")
    if not isinstance(family, dict) or not isinstance(family.get("name"), str) or not family["name"]:
        raise RuleError(f"{path}: missing [family] table with a 'name'")
    name = family["name"]
    if not _NAME.fullmatch(name):
        raise RuleError(f"{path}: [family]: field 'name': {name!r} {_NAME_RULE}")
    bad = set(family) - {"name", "description", "language"}
    if bad:
        raise RuleError(f"{path}: [family]: unknown field(s) {sorted(bad)}")
    rel = path.relative_to(root).parts
    default_lang = family.get("language", rel[0] if len(rel) > 1 else "common")
    if not isinstance(default_lang, str):
        raise RuleError(f"{path}: [family]: field 'language' must be a string")
    langs = () if default_lang in ("common", "*", "") else (default_lang,)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleError(f"{path}: no [[rule]] entries")
    return [_compile(path, name, langs, i, raw) for i, raw in enumerate(raw_rules, 1)]


def _compile(path: Path, family: str, langs: tuple[str, ...], index: int, raw: Any) -> Rule:
    rid = raw.get("id") if isinstance(raw, dict) else None
    where = f"{path}: rule {rid!r}" if isinstance(rid, str) else f"{path}: rule #{index}"

    def fail(fld: str, msg: str) -> RuleError:
        return RuleError(f"{where}: field {fld!r}: {msg}")

    if not isinstance(raw, dict):
        raise RuleError(f"{where}: must be a table")
    for key, value in raw.items():
        if key not in _RULE_FIELDS:
            raise fail(key, f"unknown field (known: {', '.join(sorted(_RULE_FIELDS))})")
        if not isinstance(value, _RULE_FIELDS[key]) or (isinstance(value, bool) and _RULE_FIELDS[key] is int):
            raise fail(key, f"must be of type {_RULE_FIELDS[key].__name__}, not {type(value).__name__}")
    for key in ("id", "description", "scope", "action"):
        if not raw.get(key):
            raise fail(key, "missing")
    if not rid.startswith(family + ".") or len(rid) <= len(family) + 1:
        raise fail("id", f"must start with the family name: '{family}.<name>'")
    if not _ID.fullmatch(rid):
        raise fail("id", f"{rid!r} {_NAME_RULE}")
    for key in ("description", "reason", "replacement"):
        if key in raw and _UNSAFE.search(raw[key]):
            raise fail(key, f"holds a control, line-separator or bidi character "
                            f"({_UNSAFE.search(raw[key]).group()!r}); it is printed to terminals and reports")
    scope, action = raw["scope"], raw["action"]
    if scope not in SCOPES:
        raise fail("scope", f"unknown scope {scope!r} (expected one of: {', '.join(SCOPES)})")
    if action not in ACTIONS:
        raise fail("action", f"unknown action {action!r} (expected one of: {', '.join(ACTIONS)})")
    if scope == "inline" and action not in ("drop", "replace", "flag"):
        raise fail("action", "an inline rule can only drop (the matched text), replace or flag")
    if action == "replace" and "replacement" not in raw:
        raise fail("replacement", "missing (required by action 'replace')")
    guard = raw.get("guard", "any")
    if guard not in GUARDS:
        raise fail("guard", f"unknown guard {guard!r} (expected one of: {', '.join(GUARDS)})")
    if "guard" in raw and action != "truncate":
        raise fail("guard", "only a truncate rule has a guard")

    strength = raw.get("strength", "strong")
    if strength not in STRENGTHS:
        raise fail("strength", f"unknown strength {strength!r} (expected one of: {', '.join(STRENGTHS)})")

    sources = [raw["pattern"]] if "pattern" in raw else list(raw.get("patterns", []))
    if "pattern" in raw and "patterns" in raw:
        raise fail("patterns", "give 'pattern' or 'patterns', not both")
    phrases = raw.get("phrases", [])
    if not all(isinstance(p, str) and phrase_key(p) for p in phrases):
        raise fail("phrases", "must be a list of non-empty strings")
    if phrases and scope == "inline":
        raise fail("phrases", "phrases match whole lines; an inline rule needs a pattern")
    if phrases and action == "replace":
        raise fail("phrases", "a phrase rule drops, truncates or flags whole lines; it cannot replace")
    if not all(isinstance(p, str) and p for p in sources):
        raise fail("pattern", "patterns must be non-empty regex strings")
    texts = raw.get("texts", [])
    if not all(isinstance(t, str) and len(t.strip()) >= FIXED_TEXT_MIN_CHARS for t in texts):
        raise fail("texts", f"must be a list of fixed sentences of at least {FIXED_TEXT_MIN_CHARS} characters "
                            "(shorter wording is a 'pattern')")
    if texts and action == "replace":
        raise fail("texts", "a fixed text is dropped, truncated at or flagged; it cannot be replaced")
    errors = raw.get("errors", DEFAULT_ERRORS)
    if "errors" in raw and not texts:
        raise fail("errors", "only a rule with 'texts' has an error share")
    if not 0 <= errors < 0.5:
        raise fail("errors", f"must be a share of the text's length from 0 to 0.5 (not {errors!r})")
    if not sources and not phrases and not texts:
        raise fail("pattern", "missing (give 'pattern', 'patterns', 'phrases' or 'texts')")
    flags = 0
    for flag in raw.get("flags", []):
        if flag not in FLAGS:
            raise fail("flags", f"unknown flag {flag!r} (known: {', '.join(FLAGS)})")
        flags |= FLAGS[flag]
    compiled = []
    for src in sources:
        try:
            problem = lint_pattern(src)
        except RecursionError:
            problem = "nested too deeply to check"
        if problem:
            raise fail("pattern", problem)
        try:
            compiled.append(regex.compile(src, flags))
        except (regex.error, ValueError, TypeError) as exc:  # regex raises several kinds
            raise fail("pattern", f"bad regex {src!r}: {exc}") from None
        except RecursionError:
            raise fail("pattern", "nested too deeply to compile") from None
        if compiled[-1].search(""):
            raise fail("pattern", f"{src!r} matches the empty string, so it would hit every line")

    compiled.extend(FixedText(t, errors) for t in texts)
    keywords = raw.get("keywords") or _longest_words(texts)
    if not all(isinstance(k, str) and k and k == k.lower() for k in keywords):
        raise fail("keywords", "must be non-empty lower-case strings")
    if any("\n" in k or "\r" in k for k in keywords):
        raise fail("keywords", "must not hold a line break: keywords are looked up line by line")
    rule_langs = tuple(raw.get("languages", langs))
    if not all(isinstance(x, str) for x in rule_langs):
        raise fail("languages", "must be a list of language codes")
    for key in ("max_chars", "window"):
        if raw.get(key, 0) < 0:
            raise fail(key, "must be 0 or more")

    examples = [_example(fail, "hit", e, True, action) for e in raw.get("hit", [])]
    if not examples:
        raise fail("hit", "missing: every rule needs text it must hit")
    misses = [_example(fail, "miss", e, False, action) for e in raw.get("miss", [])]
    if not misses:
        raise fail("miss", "missing: every rule needs nearby text it must leave alone")
    return Rule(
        id=rid, family=family, description=raw["description"], scope=scope, action=action,
        patterns=tuple(compiled), phrases=frozenset(phrase_key(p) for p in phrases), keywords=tuple(keywords), languages=rule_langs, source=str(path),
        max_chars=raw.get("max_chars", 0), window=raw.get("window", DEFAULT_WINDOW.get(scope, 0)),
        guard=guard, strength=strength, replacement=raw.get("replacement", ""), reason=raw.get("reason", raw["description"]),
        examples=tuple(examples + misses), bounded=not sources,
    )


def _longest_words(texts: list[str], n: int = 8) -> list[str]:
    """The ``n`` longest distinct words of each fixed text, lower-cased: its keywords."""
    words: set[str] = set()
    for text in texts:
        words.update(sorted(set(regex.findall(r"\w+", text.lower())), key=lambda w: (-len(w), w))[:n])
    return sorted(words)


def _example(fail, kind: str, entry: Any, expect_hit: bool, action: str) -> Example:
    if isinstance(entry, str):
        entry = {"text": entry}
    if not isinstance(entry, dict):
        raise fail(kind, "examples must be strings or tables with 'text'")
    for key, value in entry.items():
        if key not in _EXAMPLE_FIELDS:
            raise fail(kind, f"unknown example field {key!r} (known: text, output, xfail)")
        if not isinstance(value, str):
            raise fail(kind, f"example field {key!r} must be a string")
    if not entry.get("text"):
        raise fail(kind, "an example needs a non-empty 'text'")
    if expect_hit and action in ("replace", "truncate") and "output" not in entry:
        raise fail(kind, f"a {action} rule's hit examples need the expected 'output'")
    return Example(entry["text"], expect_hit, entry.get("output"), entry.get("xfail"))
