"""Turn jsonschema errors into located problems that say what is wrong and how to fix it."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from jsonschema import ValidationError  # type: ignore[import-untyped]  # no stubs in the venv

from drgen.errors import Problem
from drgen.yamldoc.schema_walk import (
    Schema,
    allowed_keys,
    conditional_rule,
    description_of,
    resolve,
    walk,
)
from drgen.yamldoc.source_map import SourceMap

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping (key: value lines)",
    "array": "a list (- item lines)",
    "null": "nothing",
}


def explain(
    error: ValidationError, root: Schema, document: Any, source_map: SourceMap, see: str
) -> Iterator[Problem]:
    """One or more problems for one jsonschema error; ``see`` is the fix of last resort
    (where the format is documented) when the schema describes nothing better."""
    path = list(error.absolute_path)
    schema_path = list(error.schema_path)
    kind = error.validator

    def problem(
        message: str, hint: str | None, at: Sequence[str | int], key: bool = False
    ) -> Problem:
        return source_map.problem(message, at, hint, key=key)

    if kind == "required":
        rule = conditional_rule(root, schema_path)
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                why = f" ({rule})" if rule else ""
                about = description_of(root, [*path, key]) or see
                yield problem(
                    f"missing required key {key!r}{why}", f"add `{key}:` here. {about}", path
                )
    elif kind == "additionalProperties":
        allowed = allowed_keys(root, path)
        for key in sorted(set(error.instance) - set(allowed)):
            yield problem(
                f"unknown key {key!r}", _unknown_key_hint(key, allowed), [*path, key], True
            )
    elif kind is None:  # a `false` subschema: a key that a conditional rule forbids
        hint = f"remove it: {conditional_rule(root, schema_path)}"
        for key_path in _forbidden_keys(walk(root, schema_path)[-1], path, document):
            yield problem(f"key {key_path[-1]!r} is not allowed here", hint, key_path, True)
    elif kind == "oneOf" and _required_keys(error.validator_value, root):
        yield _one_of_keys(error, root, path, source_map, see)
    elif "propertyNames" in schema_path:
        hint = description_of(root, path) or "rename the key"
        name_rule = (
            error.schema.get("description", hint) if isinstance(error.schema, dict) else hint
        )
        yield problem(
            f"key {error.instance!r} is not allowed", name_rule, [*path, error.instance], True
        )
    else:
        message, hint = _value_problem(error, root, path, see)
        yield problem(message, hint, path)


def _required_keys(branches: list[Any], root: Schema) -> list[str]:
    """The keys a ``oneOf`` of ``required`` branches chooses between, else []."""
    keys = [resolve(root, branch).get("required", []) for branch in branches]
    return [key for required in keys for key in required] if all(keys) else []


def _one_of_keys(
    error: ValidationError, root: Schema, path: list[str | int], source_map: SourceMap, see: str
) -> Problem:
    """Exactly one of several keys must be written: say which are missing or clash."""
    keys = _required_keys(error.validator_value, root)
    written = [key for key in keys if isinstance(error.instance, dict) and key in error.instance]
    choice = " or ".join(repr(key) for key in keys)
    if len(written) > 1:
        clash = " and ".join(repr(key) for key in written)
        message = f"keys {clash} cannot be used together: write exactly one of {choice}"
        return source_map.problem(message, [*path, written[-1]], "keep only one of them", key=True)
    about = description_of(root, path) or see
    return source_map.problem(f"missing one of the keys {choice}", path, f"add one. {about}")


def _forbidden_keys(schema: Any, path: list[str | int], document: Any) -> list[list[str | int]]:
    """Paths of the keys a ``false`` subschema rejected.

    jsonschema reports such an error at the enclosing object (with ``properties`` last in the
    schema path) rather than at the key, so the keys are found again here.
    """
    if schema is False:
        return [path]
    parent = document
    for step in path:
        parent = parent[step]
    return [[*path, key] for key in sorted(parent) if schema.get(key) is False]


def _value_problem(
    error: ValidationError, root: Schema, path: list[str | int], see: str
) -> tuple[str, str]:
    value, limit = error.instance, error.validator_value
    about = _own_description(error) or description_of(root, path) or see
    shown = _show(value)
    match error.validator:
        case "type":
            expected: list[str] = limit if isinstance(limit, list) else [limit]
            names = " or ".join(_TYPE_NAMES.get(name, name) for name in expected)
            return f"expected {names}, got {shown}", _type_hint(expected, value, about)
        case "enum":
            allowed = [str(item) for item in limit]
            close = difflib.get_close_matches(str(value), allowed, n=1) or [
                item for item in allowed if str(value) in item
            ]
            guess = f"did you mean {close[0]!r}? " if close else ""
            return f"{shown} is not an allowed value", f"{guess}use one of: {', '.join(allowed)}"
        case "const":
            return f"expected {json.dumps(limit)}, got {shown}", about
        case "pattern":
            return f"{shown} has the wrong format", about
        case "minimum" | "exclusiveMinimum":
            return f"{shown} is below the minimum of {limit}", about
        case "maximum" | "exclusiveMaximum":
            return f"{shown} is above the maximum of {limit}", about
        case "minLength":
            return f"the text is shorter than {limit} characters", about
        case "maxLength":
            return f"the text is longer than {limit} characters ({len(value)})", about
        case "minItems":
            return f"the list has {len(value)} items, fewer than {limit}", about
        case "maxItems":
            return f"the list has {len(value)} items, more than {limit}", about
        case "uniqueItems":
            return "the list holds the same item more than once", "remove the duplicates"
        case "minProperties":
            return f"{len(value)} entries, fewer than {limit}", about
        case "maxProperties":
            return f"{len(value)} entries, more than {limit}", about
    return error.message, about


def _own_description(error: ValidationError) -> str | None:
    """The failing subschema's description: for shared definitions it explains the format."""
    if isinstance(error.schema, dict) and "description" in error.schema:
        return str(error.schema["description"])
    return None


def _type_hint(expected: list[str], value: Any, about: str) -> str:
    if expected == ["string"] and isinstance(value, bool | int | float | date):
        return (
            "quote the value: unquoted yes/no/on/off/true/false are booleans, digits are "
            "numbers and 2024-01-31 is a date"
        )
    return about


def _unknown_key_hint(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"{guess}allowed keys here: {', '.join(allowed)}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
