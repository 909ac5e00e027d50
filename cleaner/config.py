"""The one immutable configuration object, and how it is read from ``[tool.cleaner]``."""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from .languages import LANGUAGE_NAMES, language_hint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["BUILTIN_IDS", "Config", "ConfigError", "MIN_REGEX_TIMEOUT", "NO_GUARD_REGEX_TIMEOUT",
           "find_project_config", "read_config_file"]

#: Below this, the regex_timeout guard would trip on ordinary documents and pass them
#: through uncleaned: it allows regex_timeout seconds per 50,000 characters searched,
#: and the built-in rules need 0.007-0.012 s for that (measured on 2-4 MB pages).
MIN_REGEX_TIMEOUT = 0.1
#: The regex_timeout that disabling ``document.timed-out`` sets: about 32 years, so no
#: wall-clock guard in effect (the option stays a finite number of seconds).
NO_GUARD_REGEX_TIMEOUT = 1e9

#: Every id a fix or heuristic hit can carry: the option that ``disable`` switches for
#: it (with the value it takes; None: handled where the heuristic runs), and what it is.
BUILTIN_IDS: dict[str, tuple[str | None, Any, str]] = {
    "fix.encoding": ("fix_encoding", False, "mojibake, HTML entities, control characters and escapes (ftfy)"),
    "fix.whitespace": ("fix_whitespace", False, "no-break and zero-width spaces, soft hyphens, extra spaces"),
    "fix.markup": ("strip_markup", False, "leftover HTML tags and markdown link syntax"),
    "fix.markdown": ("strip_markdown", False, "Markdown emphasis, escapes, rules, fences and table rows "
                     "in an article written as Markdown"),
    "heuristic.html": ("html_input", False, "an HTML page: its main text extracted with trafilatura"),
    "heuristic.dedupe": ("dedupe", False, "repeated paragraphs after their first copy"),
    "heuristic.article": ("article_heuristic", False, "menus, teasers and link lists around the article"),
    "heuristic.comments": (None, None, "the comment thread after the article (part of heuristic.article)"),
    "heuristic.cap": ("max_removal_fraction", 1.0,
                      "the cap on what the heuristics may remove (disabled: no cap but all of the prose)"),
    "document.too-large": ("max_document_chars", 0, "documents over max_document_chars, passed through"),
    "document.timed-out": ("regex_timeout", NO_GUARD_REGEX_TIMEOUT,
                           "documents on which a rule pattern trips the regex_timeout guard, passed through "
                           "(disabled: no guard)"),
}
#: The first part of every id in BUILTIN_IDS: a disabled name under one of these must be one of them.
_BUILTIN_FAMILIES = frozenset(name.split(".", 1)[0] for name in BUILTIN_IDS)


class ConfigError(ValueError):
    """A configuration value is unknown or has the wrong type."""


@dataclass(frozen=True, kw_only=True)
class Config:
    """Every option of :func:`cleaner.clean`, with its default.

    Make a variant with ``dataclasses.replace(config, option=value)`` or
    ``Config.from_mapping({...})``. The command line fills it from ``[tool.cleaner]``
    in ``pyproject.toml`` and then from its flags.

    Rules
        rule_dirs: extra folders of rule files (``<lang>/<family>.toml`` or flat
            ``*.toml``), loaded after the built-in rules. Default ``()``.
        builtin_rules: load the rules shipped with cleaner. Default ``True``.
        disable: rule ids, family names, fix or heuristic ids to switch off, e.g.
            ``("read_more", "affiliate.purchase-compensation", "heuristic.dedupe",
            "fix.encoding")``. A name disables itself and everything under it
            (``read_more`` disables ``read_more.*``, ``fix`` every fix). Every id a hit
            can carry can be disabled: ``fix.encoding`` is ``fix_encoding=False``,
            ``heuristic.cap`` lifts the cap (``max_removal_fraction=1``),
            ``document.too-large`` the size limit (``max_document_chars=0``),
            ``document.timed-out`` the wall-clock guard (``regex_timeout`` becomes
            ``1e9`` seconds, ``NO_GUARD_REGEX_TIMEOUT``: no guard in effect). A name
            that matches nothing is an error: fix and heuristic ids here, rule ids
            and families when the rules are loaded (the first ``clean()``, or
            ``cleaner.core.rules_for``). Default ``()``.
        languages: only use rules for these ISO 639-1 codes (plus language-neutral
            rules). ``()`` means every language: patterns are written in their own
            language, so a German rule does not fire on English text. A code that is
            not ISO 639-1 (``"english"``, ``"xx"``) is an error. Default ``()``.
        regex_timeout: a last-resort guard against a pathological rule pattern, in
            seconds: what pattern searches may take on one document, plus as much again
            per 50,000 characters they search. Patterns are bounded by size (none
            searches more than 100,000 characters at a time), so a sane one never comes
            near it and the output does not depend on the machine's speed. When it
            trips, the document is passed through unchanged and reported as timed out
            (``document.timed-out``). At least ``0.1``; disabling ``document.timed-out``
            sets it to ``1e9`` (no guard). Default ``1.0``.

    Glitch fixes
        fix_encoding: repair mojibake, HTML entities, C0/C1 control characters and
            terminal escapes with ftfy, without touching typography: curly quotes,
            dashes, ellipses, ligatures and full-width forms stay as written.
            Default ``True``.
        fix_whitespace: NBSP and narrow NBSP become spaces; zero-width spaces, word
            joiners and soft hyphens are removed; trailing spaces and runs of spaces
            inside a line are trimmed. Default ``True``.
        strip_markup: remove leftover HTML tags and comments, and turn markdown links
            ``[text](https://...)`` into ``text``. Default ``True``.
        strip_markdown: in an article written as Markdown (trafilatura's Markdown
            output: at least four pieces of Markdown syntax of two kinds, links
            among them, and no page navigation), remove emphasis markers and
            backslash escapes (the text stays) and lines of syntax only: horizontal
            rules, code fences, table separator rows, rows of empty cells, empty
            bullets. A whole page dumped as Markdown (html2text) is left to the
            article heuristic. Default ``True``.
        max_blank_lines: runs of more blank lines than this are folded to this many.
            Default ``2``.

    Heuristics
        html_input: when the input is an HTML document rather than text, extract its
            main text with trafilatura first. Default ``True``.
        dedupe: remove exact and near-exact (same words, ignoring case and punctuation)
            repeats of a paragraph, keeping the first copy. Default ``True``.
        dedupe_min_chars: paragraphs shorter than this are never deduplicated
            ("Yes.", "Advertisement" are handled by rules). Default ``40``.
        article_heuristic: find the article as the dominant run of prose and remove
            menus, teasers and link lists around it. Default ``True``.
        max_removal_fraction: the heuristics together may remove at most this share of
            a document's characters; beyond it they keep the text and report the
            document with a ``heuristic.cap`` flag. Rules are not capped. Default ``0.8``.
        max_document_chars: documents longer than this are passed through unchanged
            and reported (``document.too-large``). ``0`` means no limit; negative
            values are an error.
            Default ``50_000_000``.
    """

    rule_dirs: tuple[str, ...] = ()
    builtin_rules: bool = True
    disable: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    regex_timeout: float = 1.0

    fix_encoding: bool = True
    fix_whitespace: bool = True
    strip_markup: bool = True
    strip_markdown: bool = True
    max_blank_lines: int = 2

    html_input: bool = True
    dedupe: bool = True
    dedupe_min_chars: int = 40
    article_heuristic: bool = True
    max_removal_fraction: float = 0.8
    max_document_chars: int = 50_000_000

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check_type(f.name, getattr(self, f.name), f.type)
        if not 0.0 <= self.max_removal_fraction <= 1.0:
            raise ConfigError(f"max_removal_fraction must be between 0 and 1, not {self.max_removal_fraction}")
        if self.max_blank_lines < 0:
            raise ConfigError("max_blank_lines must be 0 or more")
        if not (math.isfinite(self.regex_timeout) and self.regex_timeout > 0):
            raise ConfigError(f"regex_timeout must be a positive number of seconds, not {self.regex_timeout!r}")
        if self.regex_timeout < MIN_REGEX_TIMEOUT:
            raise ConfigError(f"regex_timeout={self.regex_timeout!r} would stop the rules on every document, "
                              f"so nothing would be cleaned: it must be at least {MIN_REGEX_TIMEOUT} seconds")
        if self.max_document_chars < 0:
            raise ConfigError(f"max_document_chars must be 0 (no limit) or more, not {self.max_document_chars}; "
                              "a negative limit would pass every document through uncleaned")
        for name in self.disable:
            _check_builtin_id(name)
        for code in self.languages:
            if code not in LANGUAGE_NAMES:
                hint = language_hint(code)
                raise ConfigError(f"languages: {code!r} is not an ISO 639-1 language code"
                                  + (f" (did you mean {hint!r}?)" if hint else " (such as 'en', 'de', 'fr')"))

    def effective(self) -> Config:
        """This config with each disabled fix or heuristic id turned into its option
        (``disable=("fix.encoding",)`` -> ``fix_encoding=False``): what the steps read.

        >>> Config(disable=("fix",)).effective().fix_whitespace
        False
        """
        changes = {option: value for name, (option, value, _) in BUILTIN_IDS.items()
                   if option is not None and self.is_disabled(name)}
        return dataclasses.replace(self, **changes) if changes else self

    def is_disabled(self, name: str) -> bool:
        """True if ``name`` or one of its dotted parents is in ``disable``.

        >>> Config(disable=("read_more",)).is_disabled("read_more.prefixed-headline")
        True
        """
        return any(name == d or name.startswith(d + ".") for d in self.disable)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], base: Config | None = None, source: str = "config") -> Config:
        """Build a Config from a ``[tool.cleaner]``-style table (dashes or underscores).

        Unknown keys raise :class:`ConfigError` with a "did you mean" hint.

        >>> Config.from_mapping({"max-blank-lines": 1}).max_blank_lines
        1
        """
        names = {f.name for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in names:
                hint = difflib.get_close_matches(name, sorted(names), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise ConfigError(f"{source}: unknown option {key!r}{extra}")
            if isinstance(value, list):
                value = tuple(value)
            changes[name] = value
        try:
            return dataclasses.replace(base or cls(), **changes)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None


def _check_builtin_id(name: str) -> None:
    if not name or name != name.strip() or name.startswith(".") or name.endswith("."):
        raise ConfigError(f"disable: {name!r} is not a rule, family, fix or heuristic id")
    if name.split(".", 1)[0] in _BUILTIN_FAMILIES and name not in _BUILTIN_FAMILIES and name not in BUILTIN_IDS:
        hint = difflib.get_close_matches(name, sorted(BUILTIN_IDS), n=1)
        raise ConfigError(f"disable: unknown id {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                          + f"; the fix and heuristic ids are {', '.join(BUILTIN_IDS)}")


_TYPES = {"bool": bool, "int": int, "float": (int, float), "str": str}


def _check_type(name: str, value: Any, annotation: Any) -> None:
    ann = str(annotation)
    if ann.startswith("tuple"):
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} must be a list of strings, not {value!r}")
        return
    expected = _TYPES.get(ann)
    if expected is None:
        return
    if isinstance(value, bool) and ann != "bool":
        raise ConfigError(f"{name} must be a number, not {value!r}")
    if not isinstance(value, expected):
        raise ConfigError(f"{name} must be of type {ann}, not {value!r}")


def find_project_config(paths: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The ``pyproject.toml`` that configures a run over ``paths``, found black's way.

    Walk up from the common parent of ``paths`` (the current folder if none) and
    return the first ``pyproject.toml`` that has a ``[tool.cleaner]`` table; stop at
    the project root (a folder with ``.git`` or ``.hg``). None if there is none.
    """
    folders = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    folders = [f if os.path.isdir(f) else os.path.dirname(f) for f in folders]
    here = Path(os.path.commonpath(folders))
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "cleaner" in _read_toml(candidate).get("tool", {}):
            return candidate
        if (folder / ".git").exists() or (folder / ".hg").is_dir():
            return None
    return None


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``[tool.cleaner]`` table of a TOML file, or the whole file if it has no
    ``[tool]`` table (a bare ``cleaner.toml``). ``rule-dirs`` are made relative to
    the file's folder. Raises :class:`ConfigError` for unreadable or invalid TOML.
    """
    data = _read_toml(Path(path))
    if "tool" in data:
        table = data["tool"].get("cleaner", {}) if isinstance(data["tool"], dict) else None
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cleaner] must be a table")
    table = dict(table)
    for key in ("rule-dirs", "rule_dirs"):
        if isinstance(table.get(key), list):
            folder = Path(path).resolve().parent
            table[key] = [str(folder / d) if isinstance(d, str) else d for d in table[key]]
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply to read") from None
