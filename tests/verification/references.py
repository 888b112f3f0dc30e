"""Check `aws_x.name.attr` references: the block is declared and the provider exports `attr`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .aws_schema import KINDS, Declared, load_schema

_ESCAPED = re.compile(r"\$\$\{[^}]*\}")
_REFERENCE = re.compile(
    r"(?<![\w.\-])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)"
    r"((?:\[[^\]]*\])*)(?:\.([A-Za-z_][\w-]*))?"
)


def expressions(value: Any) -> Iterator[str]:
    """Every string in a hcl2json value that holds an expression (``${...}``)."""
    if isinstance(value, str):
        unescaped = _ESCAPED.sub("", value)  # "$${...}" is literal text, not an expression
        if "${" in unescaped:
            yield unescaped
    elif isinstance(value, list):
        for item in value:
            yield from expressions(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from expressions(key)
            yield from expressions(item)


def check_references(
    module: Sequence[Declared],
    other_expressions: Sequence[tuple[str, str]] = (),
    schema: Mapping[str, Any] | None = None,
) -> list[str]:
    """References made by the blocks of one module directory (plus outputs and locals).

    ``other_expressions`` are (where, expression) pairs from blocks that are not resources,
    such as outputs and locals, which may reference resources too.
    """
    schema = schema or load_schema()
    declared = {decl.address: decl for decl in module}
    sources = [(f"{d.file}: {d.address}", e) for d in module for e in expressions(d.body)]
    problems = []
    for where, expression in [*sources, *other_expressions]:
        for match in _REFERENCE.finditer(expression):
            problems += _check_one(where, match, declared, schema)
    return sorted(set(problems))


def _check_one(
    where: str, match: re.Match[str], declared: Mapping[str, Declared], schema: Mapping[str, Any]
) -> list[str]:
    data, type_name, name, index, attribute = match.groups()
    address = f"{data or ''}{type_name}.{name}"
    target = declared.get(address)
    if target is None:
        return [f"{where}: references {address}, which this module does not declare"]
    problems = []
    if target.expanded and not index and attribute:
        problems.append(f"{where}: {address} has count/for_each; index it before .{attribute}")
    if index and not target.expanded and index != "[*]":
        problems.append(f"{where}: {address} has no count/for_each; drop {index}")
    types = schema[KINDS[target.kind]]
    exported = types.get(type_name, {}).get("attributes", [])
    if attribute and type_name in types and attribute not in exported:
        problems.append(
            f"{where}: {address}.{attribute}: the provider exports no attribute '{attribute}'"
        )
    return problems
