"""Data-only encoding of a ParsedFile for the parse cache: compact JSON, strictly decoded.

A cache folder may come from an untrusted source (CI caches restored across branches),
so an entry is data, never code: decoding builds only drgen's own model classes and
rejects anything that does not have exactly the expected shape.

Layout (JSON arrays keep it compact)::

    file        [body, error | null, [suppression...], [comment line...]]
    block       [type, [label...], {name: value}, [block...], line, end_line, {name: line}]
    error       [line, column, message]
    suppression [[rule id...], reason, file, line, "YYYY-MM-DD" | null, problem]

Values: str, int, finite float, bool and null are themselves, a list is an array,
and every JSON object carries exactly one tag, so no HCL map can pass for another type:
``{"m": {...}}`` a map, ``{"e": source, "r": [reference...]}`` an Expression,
``{"f": "inf" | "-inf" | "nan"}`` a non-finite float.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from drgen.lint.frontends.parsed import ParsedFile, SyntaxProblem
from drgen.lint.model.roots import Block, Expression, Suppression, Value


class InvalidEntry(ValueError):
    """The bytes are not an entry this version wrote."""


_NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def encode_parsed_file(parsed: ParsedFile) -> bytes:
    """Raises TypeError for a value outside the model, RecursionError when nested too deep."""
    error = parsed.error
    document = [
        _encode_block(parsed.body),
        None if error is None else [error.line, error.column, error.message],
        [_encode_suppression(s) for s in parsed.suppressions],
        sorted(parsed.comment_lines),
    ]
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def decode_parsed_file(data: bytes) -> ParsedFile:
    """Raises InvalidEntry for anything but an entry ``encode_parsed_file`` wrote."""
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
        body, error, suppressions, comment_lines = _array(document, 4)
        return ParsedFile(
            _decode_block(body),
            None if error is None else _decode_error(error),
            tuple(_decode_suppression(s) for s in _array(suppressions)),
            frozenset(_int(line) for line in _array(comment_lines)),
        )
    except RecursionError as too_deep:
        raise InvalidEntry("nested too deep") from too_deep
    except InvalidEntry:
        raise
    except (ValueError, TypeError) as error:  # JSONDecodeError, UnicodeDecodeError, bad dates
        raise InvalidEntry(str(error)) from error


def _encode_block(block: Block) -> list[Any]:
    return [
        block.type,
        list(block.labels),
        {_key(name): _encode_value(value) for name, value in block.attributes.items()},
        [_encode_block(child) for child in block.blocks],
        block.line,
        block.end_line,
        {_key(name): line for name, line in block.attribute_lines.items()},
    ]


def _encode_value(value: Value) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        assert isinstance(value, float)
        if math.isfinite(value):
            return value
        return {"f": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if kind is list:
        assert isinstance(value, list)
        return [_encode_value(item) for item in value]
    if kind is dict:
        assert isinstance(value, dict)
        return {"m": {_key(k): _encode_value(v) for k, v in value.items()}}
    if kind is Expression:
        assert isinstance(value, Expression)
        return {"e": value.source, "r": list(value.references)}
    raise TypeError(f"cannot cache a {kind.__name__} value")


def _key(name: object) -> str:
    if type(name) is not str:
        raise TypeError(f"cannot cache a {type(name).__name__} key")
    return name


def _encode_suppression(suppression: Suppression) -> list[Any]:
    until = suppression.until
    return [
        list(suppression.rule_ids),
        suppression.reason,
        suppression.file,
        suppression.line,
        None if until is None else until.isoformat(),
        suppression.problem,
    ]


def _decode_block(encoded: object) -> Block:
    kind, labels, attributes, blocks, line, end_line, attribute_lines = _array(encoded, 7)
    return Block(
        type=_str(kind),
        labels=tuple(_str(label) for label in _array(labels)),
        attributes={k: _decode_value(v) for k, v in _object(attributes).items()},
        blocks=[_decode_block(child) for child in _array(blocks)],
        line=_int(line),
        end_line=_int(end_line),
        attribute_lines={k: _int(v) for k, v in _object(attribute_lines).items()},
    )


def _decode_value(encoded: object) -> Value:
    kind = type(encoded)
    if kind is str or kind is int or kind is float or kind is bool or encoded is None:
        return encoded  # type: ignore[return-value]  # exactly one of Value's scalar types
    if kind is list:
        return [_decode_value(item) for item in encoded]  # type: ignore[attr-defined]
    tagged = _object(encoded)
    if len(tagged) == 1 and "m" in tagged:
        return {k: _decode_value(v) for k, v in _object(tagged["m"]).items()}
    if len(tagged) == 2 and "e" in tagged and "r" in tagged:
        references = tuple(_str(r) for r in _array(tagged["r"]))
        return Expression(_str(tagged["e"]), references)
    if len(tagged) == 1 and "f" in tagged and _str(tagged["f"]) in _NON_FINITE:
        return _NON_FINITE[tagged["f"]]
    raise InvalidEntry(f"unknown value tag {sorted(tagged)}")


def _decode_error(encoded: object) -> SyntaxProblem:
    line, column, message = _array(encoded, 3)
    return SyntaxProblem(_int(line), _int(column), _str(message))


def _decode_suppression(encoded: object) -> Suppression:
    rule_ids, reason, file, line, until, problem = _array(encoded, 6)
    return Suppression(
        rule_ids=tuple(_str(r) for r in _array(rule_ids)),
        reason=_str(reason),
        file=_str(file),
        line=_int(line),
        until=None if until is None else date.fromisoformat(_str(until)),
        problem=_str(problem),
    )


def _array(encoded: object, length: int | None = None) -> list[Any]:
    if type(encoded) is not list or (length is not None and len(encoded) != length):
        raise InvalidEntry("expected an array" + ("" if length is None else f" of {length}"))
    return encoded


def _object(encoded: object) -> dict[str, Any]:
    """JSON object keys are always strings; only the values need checking."""
    if type(encoded) is not dict:
        raise InvalidEntry("expected an object")
    return encoded


def _str(encoded: object) -> str:
    if type(encoded) is not str:
        raise InvalidEntry("expected a string")
    return encoded


def _int(encoded: object) -> int:
    if type(encoded) is not int:
        raise InvalidEntry("expected an integer")
    return encoded


def _reject_constant(name: str) -> float:
    raise InvalidEntry(f"{name} is not written by this cache")
