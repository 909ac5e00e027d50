"""A load-time lint for rule patterns: reject the shapes behind catastrophic backtracking.

The regex timeout (Config.regex_timeout) bounds what slips through; this catches the
obvious cases early, with a message that says what to change.
"""

from __future__ import annotations

import regex

__all__ = ["lint_pattern"]

_QUANT = regex.compile(r"\?|\*|\+|\{(\d*)(,?)(\d*)\}")


def _atoms(src: str, pos: int = 0, stop: str = "") -> tuple[list[list[tuple[str, str]]], int]:
    """Split regex source into branches of (atom, quantifier) pairs, down to ``stop``."""
    branches: list[list[tuple[str, str]]] = [[]]
    n = len(src)
    while pos < n:
        c = src[pos]
        if c == stop:
            return branches, pos + 1
        if c == "|":
            branches.append([])
            pos += 1
            continue
        start = pos
        if c == "\\":
            pos += 2
        elif c == "[":
            pos += 2 if src[pos + 1 : pos + 2] == "^" else 1
            pos += 1 if src[pos : pos + 1] == "]" else 0
            while pos < n and src[pos] != "]":
                pos += 2 if src[pos] == "\\" else 1
            pos += 1
        elif c == "(":
            _, pos = _atoms(src, pos + 1, ")")
        else:
            pos += 1
        atom = src[start:pos]
        m = _QUANT.match(src, pos)
        quant = ""
        if m and not (m.group().startswith("{") and not m.group(1) and not m.group(3)):
            quant = m.group()
            pos = m.end()
            if src[pos : pos + 1] in ("?", "+"):
                pos += 1
        branches[-1].append((atom, quant))
    return branches, pos


def _unbounded(quant: str) -> bool:
    return quant in ("*", "+") or (quant.startswith("{") and quant.endswith(",}"))


def _optional(quant: str) -> bool:
    return quant in ("?", "*") or quant.startswith("{0,") or quant.startswith("{,")


_MAX_REPEAT = 10_000  # bounded repeats multiply: x{100}{100} is 10,000 copies at compile time


def _repeat_count(quant: str) -> int:
    """The upper bound of a counted repeat ({n}, {m,n}, {n,}); 1 for anything else."""
    if not quant.startswith("{"):
        return 1
    numbers = [int(x) for x in regex.findall(r"\d+", quant)]
    return max(numbers) if numbers else 1


def _largest_expansion(branches: list[list[tuple[str, str]]]) -> int:
    """How many times the most repeated atom gets copied when the pattern compiles."""
    largest = 1
    for branch in branches:
        for atom, quant in branch:
            inner = 1
            if atom.startswith("("):
                inner = _largest_expansion(_atoms(atom, 1 + _group_prefix(atom), ")")[0])
            largest = max(largest, inner * _repeat_count(quant))
    return largest


def lint_pattern(src: str) -> str | None:
    r"""Reject the shape behind catastrophic backtracking before compiling: a group
    repeated without bound whose body is, apart from optional parts, one atom that is
    itself repeated without bound, so the same text splits in exponentially many ways.

    >>> lint_pattern(r"^(\w+\s?)*$")
    'nested unbounded repeats (\\w+\\s?)* can take exponential time; bound the inner or outer repeat'
    >>> lint_pattern(r"(?:small\s+|affiliate\s+)*commission") is None
    True
    """
    try:
        branches, _ = _atoms(src)
    except IndexError:
        return None  # let the compiler report the syntax error
    if _largest_expansion(branches) > _MAX_REPEAT:
        return (f"counted repeats expand to more than {_MAX_REPEAT:,} copies when compiled; "
                "use + or * or a smaller bound")
    stack = [b for b in branches]
    while stack:
        branch = stack.pop()
        for atom, quant in branch:
            if not atom.startswith("("):
                continue
            inner, _ = _atoms(atom, 1 + _group_prefix(atom), ")")
            stack.extend(inner)
            if not _unbounded(quant):
                continue
            for body in inner:
                mandatory = [(a, q) for a, q in body if not _optional(q)]
                if not mandatory or (len(mandatory) == 1 and _unbounded(mandatory[0][1])):
                    return (f"nested unbounded repeats {atom}{quant} can take exponential time; "
                            "bound the inner or outer repeat")
    return None


def _group_prefix(atom: str) -> int:
    """Length of a group's ``?:``/``?P<name>``/``?i:`` prefix after the opening parenthesis."""
    m = regex.match(r"\?(?:P?<[^>]*>|[:=!>|]|<[=!]|[a-zA-Z-]+:)", atom[1:])
    return m.end() if m else 0
