"""``.tf.json`` files -> model Blocks (best effort: JSON carries no schema for blocks).

Terraform's JSON syntax cannot tell a nested block from a map attribute without
the provider schema; drgen reads an object (or list of objects) as nested blocks,
except for the well-known map arguments below. Lines are found by searching for
the key in the text, so they point at the right place in ordinary files.
"""

from __future__ import annotations

import json
import re
from typing import Any

from drgen.lint.frontends.hcl_text import traversal_name
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.model.roots import Block, Expression, Value

_MAP_ARGUMENTS = frozenset({"tags", "tags_all", "default", "variables", "environment", "triggers"})
_ATTRIBUTE_ONLY = frozenset({"locals", "variable", "output", "module"})
_LABEL_DEPTH = {"resource": 2, "data": 2, "module": 1, "provider": 1, "variable": 1, "output": 1}
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_TRAVERSAL = re.compile(r"(?<![\w.\"-])[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+")


def parse_json(text: str) -> Block | SyntaxProblem:
    try:
        return _parse(text)
    except RecursionError:  # json.loads and the conversion both recurse per nesting level
        return SyntaxProblem(1, 1, "expressions nested too deeply to analyse")


def _parse(text: str) -> Block | SyntaxProblem:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return SyntaxProblem(error.lineno, error.colno, f"invalid JSON: {error.msg}")
    if not isinstance(data, dict):
        return SyntaxProblem(1, 1, "a .tf.json file must hold a JSON object")
    lines = _LineFinder(text)
    file_block = Block("", (), {}, [], 1, text.count("\n") + 1)
    for block_type, content in data.items():
        for item in content if isinstance(content, list) else [content]:
            if block_type in _LABEL_DEPTH or block_type in ("locals", "terraform"):
                file_block.blocks.extend(
                    _labelled(block_type, item, _LABEL_DEPTH.get(block_type, 0), (), lines)
                )
            else:
                file_block.attributes[block_type] = _value(item)
    return file_block


class _LineFinder:
    """Line of the next ``"key"`` occurrence, searching forward from the last hit."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def line_of(self, key: str) -> int:
        found = self.text.find(json.dumps(key), self.position)
        if found < 0:
            return self.text.count("\n", 0, self.position) + 1
        self.position = found + 1
        return self.text.count("\n", 0, found) + 1


def _labelled(
    block_type: str, item: Any, depth: int, labels: tuple[str, ...], lines: _LineFinder
) -> list[Block]:
    if depth == 0:
        bodies = item if isinstance(item, list) else [item]
        line = lines.line_of(labels[-1]) if labels else lines.line_of(block_type)
        attributes_only = block_type in _ATTRIBUTE_ONLY
        return [
            _block(block_type, labels, b, line, attributes_only)
            for b in bodies
            if isinstance(b, dict)
        ]
    if not isinstance(item, dict):
        return []
    blocks: list[Block] = []
    for label, inner in item.items():
        blocks.extend(_labelled(block_type, inner, depth - 1, (*labels, label), lines))
    return blocks


def _block(
    block_type: str, labels: tuple[str, ...], body: dict[str, Any], line: int, attributes_only: bool
) -> Block:
    block = Block(block_type, labels, {}, [], line, line)
    for key, value in body.items():
        nested = value if isinstance(value, list) else [value]
        is_block = (
            not attributes_only
            and key not in _MAP_ARGUMENTS
            and nested
            and all(isinstance(v, dict) for v in nested)
        )
        if is_block:
            block.blocks.extend(_block(key, (), v, line, False) for v in nested)
        else:
            block.attributes[key] = _value(value)
            block.attribute_lines[key] = line
    return block


def _value(value: Any) -> Value:
    if isinstance(value, str) and "${" in value:
        references = {
            name
            for inner in _INTERPOLATION.findall(value)
            for match in _TRAVERSAL.findall(inner)
            if (name := traversal_name(match.split("."))) is not None
        }
        source = value[2:-1] if _INTERPOLATION.fullmatch(value) else json.dumps(value)
        return Expression(source, tuple(sorted(references)))
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return value  # type: ignore[no-any-return]
