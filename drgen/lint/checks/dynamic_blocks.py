"""Nested blocks as Terraform would produce them, ``dynamic`` blocks included.

A ``dynamic "replica"`` block whose ``for_each`` is a literal collection (after the model's
evaluation) becomes one block per element, with ``replica.value``, ``replica.key`` and
``replica.value.<attribute>`` substituted; one whose ``for_each`` drgen cannot evaluate stays a
single block standing for all its iterations, whose values are mostly unknown expressions.
"""

from __future__ import annotations

import re

from drgen.lint.evaluation.expressions import evaluate
from drgen.lint.evaluation.scope import is_known
from drgen.lint.model.roots import Block, Expression, Value
from drgen.lint.model.values import UNKNOWN, Resolved

_ELEMENT = re.compile(
    r"^(?P<iterator>[A-Za-z_][\w-]*)\.(?P<part>key|value)(?:\.(?P<field>[\w-]+))?$"
)


def nested(block: Block, name: str) -> list[Block]:
    """Nested blocks of a type: written ones, then each ``dynamic "<name>"`` block's iterations
    (none when its ``for_each`` is a literal empty collection)."""
    found = block.blocks_named(name)
    for dynamic in _dynamic(block, name):
        found = found + _iterations(dynamic)
    return found


def optional_nested(block: Block, name: str) -> list[Block]:
    """The ``content`` of ``dynamic "<name>"`` blocks that may iterate zero times."""
    unknown = [d for d in _dynamic(block, name) if _elements(d) is None]
    return [content for d in unknown for content in d.blocks_named("content")]


def first(block: Block, name: str) -> Block | None:
    found = nested(block, name)
    return found[0] if found else None


def _dynamic(block: Block, name: str) -> list[Block]:
    return [d for d in block.blocks_named("dynamic") if d.labels[:1] == (name,)]


def _elements(dynamic: Block) -> list[tuple[Value, Value]] | None:
    """(key, value) per iteration, or None when ``for_each`` is not a literal collection."""
    for_each = dynamic.get("for_each")
    if isinstance(for_each, list):
        return [(item, item) for item in for_each]
    if isinstance(for_each, dict):
        return list(for_each.items())
    return None


def _iterations(dynamic: Block) -> list[Block]:
    contents = dynamic.blocks_named("content")
    elements = _elements(dynamic)
    if elements is None:
        return contents
    iterator = dynamic.get("iterator")
    name = iterator if isinstance(iterator, str) else dynamic.labels[0]
    return [_substitute(c, name, key, value) for key, value in elements for c in contents]


def _substitute(block: Block, iterator: str, key: Value, value: Value) -> Block:
    bindings: dict[str, Resolved] = {iterator: {"key": key, "value": value}}

    def resolve(item: Value) -> Value:
        if isinstance(item, Expression):
            found = _ELEMENT.match(item.source.strip())
            if found is None or found.group("iterator") != iterator:
                return _evaluated(item, iterator, bindings)
            picked = key if found.group("part") == "key" else value
            field = found.group("field")
            if field is None:
                return picked
            return picked.get(field, item) if isinstance(picked, dict) else item
        if isinstance(item, list):
            return [resolve(i) for i in item]
        if isinstance(item, dict):
            return {k: resolve(v) for k, v in item.items()}
        return item

    return Block(
        type=block.type,
        labels=block.labels,
        attributes={k: resolve(v) for k, v in block.attributes.items()},
        blocks=[_substitute(b, iterator, key, value) for b in block.blocks],
        line=block.line,
        end_line=block.end_line,
        attribute_lines=block.attribute_lines,
    )


def _evaluated(item: Expression, iterator: str, bindings: dict[str, Resolved]) -> Value:
    """An expression of the iteration (``try(rule.value.copy_actions, [])``) evaluated with
    the iterator bound; left as written when anything else it needs is unknown."""
    if not any(r.split(".")[0] == iterator for r in item.references):
        return item
    result = evaluate(item.source, lambda _kind, _name: UNKNOWN, bindings)
    return result if is_known(result) else item  # type: ignore[return-value]
