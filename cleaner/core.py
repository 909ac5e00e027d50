"""clean() and clean_and_explain(): run the steps in order. No file I/O here.

bytes are the caller's business; text -> glitch fixes -> lines -> rules -> heuristics
-> text + hits. Nothing flows back up.
"""

from __future__ import annotations

import bisect
import difflib
import functools
from collections.abc import Mapping
from typing import Any

from .article import find_article
from .blocks import SignalMemo
from .config import BUILTIN_IDS, Config, ConfigError
from .fixers import fix_lines
from .heuristics import drop_duplicates, extract_html, looks_like_html
from .model import Hit, Result
from .rules import RuleSet, load_rules
from .segments import render, split_blobs, split_lines
from .engine import RuleTimeout, apply_rules

__all__ = ["clean", "clean_and_explain", "clean_document", "rules_for"]

_DEFAULT = Config()


def clean(text: str, config: Config | Mapping[str, Any] | None = None) -> str:
    """Return ``text`` without boilerplate leftovers and with text glitches fixed.

    ``config`` is a :class:`Config` or a ``[tool.cleaner]``-style mapping
    (``{"disable": ["read_more"]}``).

    >>> clean("Wu said the city would comply.\\nRead More: Boston budget passes\\n")
    'Wu said the city would comply.\\n'
    """
    return _run(text, _config_of(config), None).text


def clean_and_explain(text: str, config: Config | Mapping[str, Any] | None = None) -> Result:
    """Like :func:`clean`, and also every hit: which fix, rule or heuristic changed
    what, where in the input, and why. Hits come in the order of their place in the
    text (hits after an HTML extraction refer to the extracted text and follow it).

    >>> result = clean_and_explain("Wu said no.\\nRead More: Boston budget passes\\n")
    >>> [(h.id, h.removed) for h in result.hits]
    [('read_more.prefixed-headline', 'Read More: Boston budget passes')]
    """
    return _run(text, _config_of(config), [])


def clean_document(text: str, config: Config | Mapping[str, Any] | None = None, *,
                   explain: bool = False) -> Result:
    """:func:`clean` (hits only with ``explain``), and whether the text was passed
    through unchanged instead of cleaned: ``Result.passed_through`` is ``"too-large"``
    (over ``max_document_chars``) or ``"timed-out"`` (a rule tripped the
    ``regex_timeout`` guard), with the reason in ``Result.problem``. What the command
    and the datatrove step call, so that they can count and report such documents.

    >>> clean_document("Hi.\\n", Config(max_document_chars=2)).passed_through
    'too-large'
    """
    return _run(text, _config_of(config), [] if explain else None)


def _config_of(config: Config | Mapping[str, Any] | None) -> Config:
    if config is None:
        return _DEFAULT
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_mapping(config)
    raise TypeError(f"config must be a cleaner.Config or a mapping of its options, not {type(config).__name__}")


def rules_for(config: Config) -> RuleSet:
    """The rules that ``config`` selects (loaded once per distinct selection).

    Raises :class:`ConfigError` for a disabled name that is no rule id, family, fix
    or heuristic id, with the closest one as a hint.
    """
    return _rules_for(config.rule_dirs, config.builtin_rules, config.disable, config.languages)


@functools.lru_cache(maxsize=32)
def _rules_for(dirs: tuple[str, ...], builtin: bool, disable: tuple[str, ...], langs: tuple[str, ...]) -> RuleSet:
    ruleset = load_rules(*dirs, builtin=builtin)
    _check_disabled(ruleset, disable)
    return ruleset.select(disable, langs)


def _check_disabled(ruleset: RuleSet, disable: tuple[str, ...]) -> None:
    """Each disabled name must switch something off: a rule, a family, or a prefix of rule ids."""
    builtin_families = {name.split(".", 1)[0] for name in BUILTIN_IDS}
    names = {rule.id for rule in ruleset} | {rule.family for rule in ruleset}
    for name in disable:
        if name in BUILTIN_IDS or name in builtin_families or name in names:
            continue
        if any(rule.id.startswith(name + ".") for rule in ruleset):
            continue
        hint = difflib.get_close_matches(name, sorted(names | set(BUILTIN_IDS)), n=1)
        raise ConfigError(f"disable: no rule, family, fix or heuristic has the id {name!r}"
                          + (f" (did you mean {hint[0]!r}?)" if hint else "")
                          + "; cleaner --list-rules lists them")


def _run(text: str, config: Config, hits: list[Hit] | None) -> Result:
    if not isinstance(text, str):
        what = "None" if text is None else type(text).__name__
        hint = "; decode bytes first" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"clean() takes a str, not {what}{hint}")
    ruleset = rules_for(config)  # before anything else: broken rules clean nothing
    config = config.effective()  # disabled fix and heuristic ids as their options
    if config.max_document_chars and len(text) > config.max_document_chars:
        return _passed_through(text, hits, "too-large", f"{len(text):,} characters is over max_document_chars="
                               f"{config.max_document_chars}")
    try:
        out = _clean(text, ruleset, config, hits)
    except RuleTimeout as exc:
        if hits is not None:
            hits.clear()  # nothing of this document is changed, so nothing to explain
        return _passed_through(text, hits, "timed-out", str(exc))
    return Result(out, tuple(hits) if hits else ())


def _passed_through(text: str, hits: list[Hit] | None, kind: str, why: str) -> Result:
    reason = f"{why}; passed through unchanged"
    if hits is not None:
        hits.append(Hit(f"document.{kind}", "heuristic", "flag", 0, len(text), "", reason))
    return Result(text, tuple(hits) if hits else (), kind, reason)


def _clean(text: str, ruleset: RuleSet, config: Config, hits: list[Hit] | None) -> str:
    html = config.html_input and looks_like_html(text)
    out = _clean_text(text, html, ruleset, config, hits)
    if config.html_input and not html and out != text and looks_like_html(out):
        # The text ended up as an HTML document once the lines above it went ("Menu",
        # "Terms of Use", then a pasted page): clean it as one now, or a second
        # clean() would, and clean(clean(x)) == clean(x) would not hold. Spans of
        # the hits that follow refer to this intermediate text.
        out = _clean_text(out, True, ruleset, config, hits)
    return out


def _clean_text(text: str, html: bool, ruleset: RuleSet, config: Config, hits: list[Hit] | None) -> str:
    if html:
        extracted = extract_html(text)
        if extracted:
            if hits is not None:
                hits.append(Hit("heuristic.html", "heuristic", "replace", 0, len(text), text,
                                "input is an HTML document: main text extracted with trafilatura; "
                                "later spans refer to the extracted text", extracted))
            text = extracted
        elif hits is not None:
            hits.append(Hit("heuristic.html", "heuristic", "flag", 0, len(text), "",
                            "input looks like HTML but trafilatura found no main text; cleaned as text"))

    lines = split_lines(text)
    fix_lines(lines, text, config, hits)
    lines = split_blobs(lines)
    # Rules and heuristics judge lines in context (the tail, the article body, the
    # longest paragraph), and a removal changes the context: repeat them until nothing
    # more goes, so that clean(clean(x)) == clean(x). One pass settles most documents.
    # (Rules settle on their own: only a heuristic's removal, or a blob split, calls for another round.)
    index = apply_rules(ruleset, lines, config.regex_timeout, hits)
    memo = SignalMemo()  # the article heuristic's block signals, for its next pass
    for _ in range(_MAX_PASSES):
        pieces = split_blobs(lines)  # what is left may now be a one-line blob
        if pieces is not lines:
            lines = pieces
            index = apply_rules(ruleset, lines, config.regex_timeout, hits)
        removed = _removed(lines)
        if config.dedupe and not config.is_disabled("heuristic.dedupe"):
            drop_duplicates(lines, config.dedupe_min_chars, hits)
        if config.article_heuristic and not config.is_disabled("heuristic.article"):
            _find_article(lines, text, config, hits, memo)
        if _removed(lines) == removed:
            break
        index = apply_rules(ruleset, lines, config.regex_timeout, hits, index)
    if hits:
        _drop_repeated_flags(hits)
        _in_text_order(hits)
    return render(lines, config.max_blank_lines)


def _find_article(lines, text: str, config: Config, hits: list[Hit] | None, memo: SignalMemo) -> None:
    if not config.is_disabled("heuristic.comments"):
        find_article(lines, text, config, hits, memo)
        return
    # The thread is found as part of the article's edges: keep what the heuristic
    # calls a comment thread, and only that.
    before = [line.removed for line in lines]
    found: list[Hit] = []
    find_article(lines, text, config, found, memo)
    starts = [line.start for line in lines]
    for hit in found:
        if hit.id != "heuristic.comments":
            if hits is not None:
                hits.append(hit)
            continue
        first = bisect.bisect_left(starts, hit.start)
        last = bisect.bisect_right(starts, hit.end)
        for n in range(first, last):
            lines[n].removed = before[n]


def _in_text_order(hits: list[Hit]) -> None:
    """Sort hits by where they start, stably (a fix before the removal of its line).

    An HTML extraction (a ``heuristic.html`` replacement) closes a phase: the spans
    after it refer to the extracted text, so they stay after it, and it stays after
    the hits on the text it replaced."""
    phase = 0
    keyed = []
    for order, hit in enumerate(hits):
        extraction = hit.id == "heuristic.html" and hit.replacement is not None
        keyed.append(((phase, extraction, hit.start, order), hit))
        phase += extraction
    hits[:] = [hit for _, hit in sorted(keyed, key=lambda k: k[0])]


_MAX_PASSES = 4


def _removed(lines) -> int:
    return sum(1 for line in lines if line.removed)


def _drop_repeated_flags(hits: list[Hit]) -> None:
    """Each pass flags what it keeps again: report each flag once."""
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for hit in hits:
        if hit.action == "flag":
            key = (hit.id, hit.start, hit.end)
            if key in seen:
                continue
            seen.add(key)
        kept.append(hit)
    hits[:] = kept
