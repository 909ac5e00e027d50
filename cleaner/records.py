"""One JSONL record line: find its text field, splice a new value in, keep every other byte.

Only the text value of a changed record is re-serialized; keys, their order, spacing,
number formatting and escapes of every other field stay exactly as they were read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["MalformedRecord", "TextRecord", "parse_record", "split_eol"]


class MalformedRecord(ValueError):
    """One JSONL line is not a JSON object; it is kept as it is."""


def split_eol(line: bytes) -> tuple[bytes, bytes]:
    """``b'{...}\\r\\n'`` -> ``(b'{...}', b'\\r\\n')``."""
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith(b"\n"):
        return line[:-1], b"\n"
    return line, b""


# Only the text value is used; the other values are parsed for their extent alone.
# Integers are not converted: int() refuses more than 4,300 digits (valid JSON).
_NUMBER = object()
_DECODER = json.JSONDecoder(parse_int=lambda _: _NUMBER)
_WS = " \t\r\n"


@dataclass(frozen=True)
class TextRecord:
    """A JSONL line and where its text field's value sits in it."""

    line: str
    start: int
    end: int
    text: str | None  # None: the field is missing or not a string

    def with_text(self, text: str) -> str:
        """The line with only the text value replaced; every other byte kept.
        Non-ASCII is escaped only if the original value was written that way."""
        escaped = self.line[self.start:self.end].isascii() and not (self.text or "").isascii()
        return self.line[:self.start] + json.dumps(text, ensure_ascii=escaped) + self.line[self.end:]


def parse_record(line: str, field: str) -> TextRecord:
    """Find ``field`` at the top level of the JSON object on ``line``.

    >>> r = parse_record('{"id": 1, "text": "Hi"}', "text")
    >>> r.text, r.with_text("Hello")
    ('Hi', '{"id": 1, "text": "Hello"}')
    """
    def skip(i: int) -> int:
        while i < len(line) and line[i] in _WS:
            i += 1
        return i

    i = skip(0)
    if i >= len(line) or line[i] != "{":
        raise MalformedRecord("not a JSON object")
    span: tuple[int, int, Any] | None = None
    i = skip(i + 1)
    try:
        if line[i:i + 1] == "}":
            i += 1
        else:
            while True:
                if line[i:i + 1] != '"':
                    raise MalformedRecord(f"expected a key at character {i + 1}")
                key, i = json.decoder.scanstring(line, i + 1)  # type: ignore[attr-defined]
                i = skip(i)
                if line[i:i + 1] != ":":
                    raise MalformedRecord(f"expected ':' at character {i + 1}")
                i = skip(i + 1)
                value, end = _DECODER.raw_decode(line, i)
                if key == field:
                    span = (i, end, value)  # the last duplicate wins, as in json.loads
                i = skip(end)
                if line[i:i + 1] == "}":
                    i += 1
                    break
                if line[i:i + 1] != ",":
                    raise MalformedRecord(f"expected ',' or '}}' at character {i + 1}")
                i = skip(i + 1)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(f"invalid JSON: {exc.msg} at character {exc.pos + 1}") from None
    except RecursionError:
        raise MalformedRecord(f"a value nested too deeply for the JSON parser at character {i + 1}") from None
    if skip(i) != len(line):
        raise MalformedRecord(f"extra data after the object at character {i + 1}")
    if span is None or not isinstance(span[2], str):
        return TextRecord(line, 0, 0, None)
    return TextRecord(line, span[0], span[1], span[2])
