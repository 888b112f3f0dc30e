"""Parse JSON from an untrusted file: nesting depth checked before parsing, duplicate keys refused.

``json.loads`` recurses once per nesting level, so ten thousand ``[`` crash it with
RecursionError; a linear scan of the brackets outside strings rejects such input first.
"""

from __future__ import annotations

import json
from typing import Any


class JsonShapeError(ValueError):
    """Not JSON, nested too deep, or an object with a key twice; the message says which."""


def loads(text: str, *, max_depth: int) -> Any:
    """The JSON value in ``text``; JsonShapeError when it is invalid or deeper than max_depth."""
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonShapeError(f"nested {depth} levels deep (at most {max_depth} allowed)")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise JsonShapeError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting in ``text`` outside JSON strings (linear time)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonShapeError(f"key {key!r} appears twice in one object")
        result[key] = value
    return result
