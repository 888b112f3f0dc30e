"""Resolve the few expressions drgen can know statically: literals, var.x, local.x.

Anything else (function calls, data sources, resource attributes) is UNKNOWN;
drgen never guesses a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TypeAlias

from drgen.lint.model import Block, Expression, Value


class _Unknown:
    """A value that cannot be established statically."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
Resolved: TypeAlias = "Value | _Unknown"

_STEP = r"(?:\.[A-Za-z_][\w-]*|\[\s*(?:\"[^\"]*\"|[0-9]+)\s*\])"
_LOOKUP = re.compile(rf"(var|local)\.([A-Za-z_][\w-]*)((?:{_STEP})*)")
_STEPS = re.compile(r"\.([A-Za-z_][\w-]*)|\[\s*\"([^\"]*)\"\s*\]|\[\s*([0-9]+)\s*\]")
_SOLE_INTERPOLATION = re.compile(r'"\$\{\s*(.*?)\s*\}"', re.DOTALL)


class Scope:
    """Variable values and locals of one module instance."""

    def __init__(self, variables: Mapping[str, Resolved], local_values: Mapping[str, Value]):
        self.variables = variables
        self.local_values = local_values
        self._resolving: set[str] = set()

    def resolve(self, value: Value) -> Resolved:
        if isinstance(value, Expression):
            return self._expression(value.source)
        if isinstance(value, list):
            return [_known_or_expression(self.resolve(v), v) for v in value]
        if isinstance(value, dict):
            return {k: _known_or_expression(self.resolve(v), v) for k, v in value.items()}
        return value

    def _expression(self, source: str) -> Resolved:
        sole = _SOLE_INTERPOLATION.fullmatch(source)
        if sole:
            inner = self._expression(sole.group(1))
            return inner if isinstance(inner, str) else UNKNOWN
        match = _LOOKUP.fullmatch(source)
        if not match:
            return UNKNOWN
        kind, name, steps = match.groups()
        start = self.variables.get(name, UNKNOWN) if kind == "var" else self._local(name)
        return _walk(start, steps)

    def _local(self, name: str) -> Resolved:
        if name not in self.local_values or name in self._resolving:
            return UNKNOWN
        self._resolving.add(name)
        try:
            return self.resolve(self.local_values[name])
        finally:
            self._resolving.discard(name)


def _known_or_expression(resolved: Resolved, original: Value) -> Value:
    """Inside a collection an unknown element stays the expression it was."""
    return original if isinstance(resolved, _Unknown) else resolved


def _walk(value: Resolved, steps: str) -> Resolved:
    for match in _STEPS.finditer(steps):
        key, quoted, index = match.groups()
        if isinstance(value, dict) and (key or quoted) is not None:
            value = value.get(key if key is not None else quoted, UNKNOWN)
        elif isinstance(value, list) and index is not None and int(index) < len(value):
            value = value[int(index)]
        else:
            return UNKNOWN
    if isinstance(value, Expression):
        return UNKNOWN
    return value


def is_known(value: Resolved) -> bool:
    """True when ``value`` holds no unknown part anywhere."""
    if isinstance(value, (_Unknown, Expression)):
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


def references_in(value: Value) -> Iterator[str]:
    """Every traversal mentioned anywhere in a value."""
    if isinstance(value, Expression):
        yield from value.references
    elif isinstance(value, list):
        for item in value:
            yield from references_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from references_in(item)


def block_references(block: Block) -> Iterator[str]:
    """Every traversal in a block's attributes and nested blocks."""
    for value in block.attributes.values():
        yield from references_in(value)
    for nested in block.blocks:
        yield from block_references(nested)
