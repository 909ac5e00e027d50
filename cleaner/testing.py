"""Run the examples embedded in rule files: used by the test suite and ``cleaner --test-rules``."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .engine import RuleTimeout, apply_rules
from .fixers import fix_lines
from .model import Hit
from .rules import Example, Rule, RuleSet
from .segments import render, split_lines

__all__ = ["ExampleOutcome", "run_example", "check_rules"]

_CONFIG = Config()


@dataclass(frozen=True)
class ExampleOutcome:
    """How one example of one rule fared. ``problem`` is None when it behaved as written."""

    rule: Rule
    number: int  # 1-based, hits first, then misses, as written in the file
    example: Example
    problem: str | None

    @property
    def label(self) -> str:
        kind = "hit" if self.example.expect_hit else "miss"
        return f"{self.rule.source}: {self.rule.id}: {kind} example {self.number}"

    @property
    def status(self) -> str:
        """``ok``, ``FAIL``, ``xfail`` (known and recorded) or ``XPASS`` (a known failure now passes)."""
        if self.example.xfail:
            return "xfail" if self.problem else "XPASS"
        return "ok" if self.problem is None else "FAIL"


def run_example(rule: Rule, text: str) -> tuple[list[Hit], str]:
    """Clean ``text`` with this one rule alone (after glitch fixing, as in clean())."""
    lines = split_lines(text)
    fix_lines(lines, text, _CONFIG, None)
    hits: list[Hit] = []
    apply_rules(RuleSet((rule,)), lines, _CONFIG.regex_timeout, hits)
    return hits, render(lines, _CONFIG.max_blank_lines)


def check_example(rule: Rule, example: Example) -> str | None:
    """None if the example behaves as written, else what went wrong."""
    try:
        hits, output = run_example(rule, example.text)
    except RuleTimeout as exc:
        return f"{exc}: {example.text!r}"
    mine = [h for h in hits if h.id == rule.id]
    if example.expect_hit:
        if not mine:
            return f"should hit but did not: {example.text!r}"
        if example.output is not None and output != example.output:
            return f"wrong output for {example.text!r}: expected {example.output!r}, got {output!r}"
        return None
    if mine:
        return f"should not hit but did ({mine[0].action} {mine[0].removed!r}): {example.text!r}"
    return None


def check_rules(ruleset: RuleSet) -> list[ExampleOutcome]:
    """Every example of every rule, in file order."""
    outcomes = []
    for rule in ruleset:
        for number, example in enumerate(rule.examples, 1):
            outcomes.append(ExampleOutcome(rule, number, example, check_example(rule, example)))
    return outcomes
