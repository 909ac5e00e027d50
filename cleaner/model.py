"""The small records every step shares: a Hit (one explained change) and a Result."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Hit", "Result"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One change (or flag) made by a fix, a rule or a heuristic.

    ``start``/``end`` is the span in the input text that the change covers (for an
    edit inside a line that glitch fixing also changed: the whole input line).
    ``removed`` is the text that went (for a replacement: the text before it),
    ``replacement`` what took its place (``None`` for removals and flags).
    ``kind`` is ``"fix"``, ``"rule"`` or ``"heuristic"``; ``action`` is ``drop``,
    ``truncate``, ``replace`` or ``flag``.
    """

    id: str
    kind: str
    action: str
    start: int
    end: int
    removed: str
    reason: str
    replacement: str | None = None

    @property
    def family(self) -> str:
        """The part of the id before the first dot (``read_more`` for ``read_more.x``)."""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Result:
    """What :func:`cleaner.clean_and_explain` returns: the cleaned text and every hit.

    ``passed_through`` is None for a cleaned document, else why the text came back
    unchanged without being cleaned: ``"too-large"`` (over ``max_document_chars``) or
    ``"timed-out"`` (a pattern tripped the ``regex_timeout`` guard); ``problem`` says
    it in words.
    """

    text: str
    hits: tuple[Hit, ...] = field(default=())
    passed_through: str | None = None
    problem: str = ""

    @property
    def removals(self) -> tuple[Hit, ...]:
        """Hits that removed text (drop and truncate)."""
        return tuple(h for h in self.hits if h.action in ("drop", "truncate"))

    @property
    def flags(self) -> tuple[Hit, ...]:
        """Hits that only report (nothing changed)."""
        return tuple(h for h in self.hits if h.action == "flag")
