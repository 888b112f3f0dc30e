"""Look things up in a JSON Schema: the subschema for a spot in a document, a key's
description, and the rule (an ``allOf`` branch's description) a conditional error came from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Schema = dict[str, Any]


def resolve(root: Schema, schema: Any) -> Any:
    """Follow local ``$ref``s (``#/$defs/name``) until a schema without one."""
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def schema_for_instance(root: Schema, path: Sequence[str | int]) -> Any:
    """The (unresolved) subschema that describes the value at ``path``, or None."""
    schema: Any = root
    for step in path:
        schema = resolve(root, schema)
        if not isinstance(schema, dict):
            return None
        if isinstance(step, int):
            schema = schema.get("items")
        else:
            schema = schema.get("properties", {}).get(step, schema.get("additionalProperties"))
    return schema


def description_of(root: Schema, path: Sequence[str | int]) -> str | None:
    """A key's own description, else the one of the definition it refers to."""
    schema = schema_for_instance(root, path)
    if isinstance(schema, dict) and "description" in schema:
        return str(schema["description"])
    resolved = resolve(root, schema)
    return (
        str(resolved["description"])
        if isinstance(resolved, dict) and "description" in resolved
        else None
    )


def allowed_keys(root: Schema, path: Sequence[str | int]) -> list[str]:
    schema = resolve(root, schema_for_instance(root, path))
    return sorted(schema.get("properties", {})) if isinstance(schema, dict) else []


def walk(root: Schema, schema_path: Iterable[str | int]) -> list[Any]:
    """Every schema node along a jsonschema ``schema_path`` (which skips ``$ref`` hops)."""
    node: Any = root
    nodes = [node]
    for step in schema_path:
        if isinstance(node, dict) and step not in node and "$ref" in node:
            node = resolve(root, node)
        node = node[step]
        nodes.append(node)
    return nodes


def conditional_rule(root: Schema, schema_path: Sequence[str | int]) -> str | None:
    """The description of the innermost ``if``/``then`` branch the error came from."""
    nodes = walk(root, schema_path)
    for index in range(len(schema_path) - 1, -1, -1):
        if schema_path[index] == "then" and isinstance(nodes[index], dict):
            description = nodes[index].get("description")
            return str(description) if description else None
    return None
