"""The module instances of a plan, and the reference graph between its resource instances.

A plan's ``configuration`` is per module (``module_calls`` nest the called module's
configuration); its ``planned_values`` are per module instance (``module.logs["audit"]``). A
traversal written in a module resolves within the instance it is seen in: a resource
(``aws_s3_bucket.b.arn`` -> every instance of ``aws_s3_bucket.b``, ``aws_s3_bucket.b[0]`` -> that
one), ``var.x`` through the calling module's argument in the parent instance, ``module.m.out``
through the output of each instance of ``m``. ``local.x`` leads nowhere: a plan does not record
locals' expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

_SEGMENT = re.compile(r'module\.([A-Za-z_][\w-]*)((?:\[(?:"(?:[^"\\]|\\.)*"|-?\d+)\])?)')
_INDEX = re.compile(r'^\[(?:"(?:[^"\\]|\\.)*"|-?\d+)\]')
_NOT_RESOURCES = frozenset({"local", "each", "count", "self", "path", "terraform"})
_MAX_HOPS = 16


@dataclass
class PlanInstance:
    """One module instance: its address segments and the configuration of its module."""

    path: tuple[str, ...]  # ('logs["audit"]',), () for the root
    config: dict[str, Any]  # the module's configuration (resources, module_calls, outputs)
    call: dict[str, Any] | None = None  # the calling module_calls entry in the parent
    parent: PlanInstance | None = None
    children: dict[str, list[PlanInstance]] = field(default_factory=dict)  # call name -> keys
    resources: dict[str, list[str]] = field(default_factory=dict)  # "type.name" -> addresses

    @property
    def prefix(self) -> str:
        return "".join(f"module.{m}." for m in self.path)


def module_segments(address: str) -> tuple[str, ...] | None:
    """``module.a["x"].module.b`` -> ``('a["x"]', 'b')``; None when it is no module address."""
    segments: list[str] = []
    position = 0
    while position < len(address):
        match = _SEGMENT.match(address, position)
        if match is None:
            return None
        segments.append(match.group(1) + match.group(2))
        position = match.end()
        if position < len(address):
            if address[position] != ".":
                return None
            position += 1
    return tuple(segments)


def call_name(segment: str) -> str:
    return segment.split("[", 1)[0]


def expression_references(config: Any) -> Iterator[str]:
    """Every traversal in a configuration object (expressions, nested blocks, meta-arguments)."""
    if isinstance(config, dict):
        found = config.get("references")
        if isinstance(found, list):
            yield from (r for r in found if isinstance(r, str))
        for key, value in config.items():
            if key != "references" and isinstance(value, (dict, list)):
                yield from expression_references(value)
    elif isinstance(config, list):
        for item in config:
            yield from expression_references(item)


def resolve(reference: str, instance: PlanInstance, hops: int = 0) -> set[str]:
    """Addresses of the resource instances ``reference`` (seen in ``instance``) leads to."""
    if hops > _MAX_HOPS:
        return set()
    parts = reference.split(".")
    head = parts[0]
    if head in _NOT_RESOURCES or len(parts) < 2:
        return set()
    if head == "var":
        return _through_call(parts[1], instance, hops)
    if head == "module":
        return _through_output(reference, instance, hops)
    if head == "data":
        return _instances(instance, f"data.{parts[1]}", parts[2]) if len(parts) > 2 else set()
    return _instances(instance, head, parts[1])


def resolve_all(references: Iterable[str], instance: PlanInstance, hops: int) -> set[str]:
    found: set[str] = set()
    for reference in references:
        found |= resolve(reference, instance, hops + 1)
    return found


def _instances(instance: PlanInstance, kind: str, name: str) -> set[str]:
    """Instances of resource ``kind.name`` in ``instance``; only the one named when ``name``
    carries an index (``b[0]`` of ``aws_s3_bucket.b[0].arn``)."""
    base = name.split("[", 1)[0]
    addresses = instance.resources.get(f"{kind}.{base}", [])
    if base == name:
        return set(addresses)
    wanted = f"{instance.prefix}{kind}.{name}"
    return {a for a in addresses if a == wanted}


def _through_call(variable: str, instance: PlanInstance, hops: int) -> set[str]:
    if instance.call is None or instance.parent is None:
        return set()
    expressions = instance.call.get("expressions")
    argument = expressions.get(variable) if isinstance(expressions, dict) else None
    return resolve_all(expression_references(argument), instance.parent, hops)


def _through_output(reference: str, instance: PlanInstance, hops: int) -> set[str]:
    """``module.m.out`` / ``module.m["k"].out``: each matching instance's output ``out``."""
    rest = reference[len("module.") :]
    name = re.match(r"[A-Za-z_][\w-]*", rest)
    if name is None:
        return set()
    after = rest[name.end() :]
    index_match = _INDEX.match(after)
    index = index_match.group() if index_match else ""
    after = after[len(index) :]
    output = after[1:].split(".", 1)[0].split("[", 1)[0] if after.startswith(".") else ""
    found: set[str] = set()
    for child in instance.children.get(name.group(), []):
        if index and child.path[-1] != name.group() + index:
            continue
        outputs = child.config.get("outputs")
        names = [output] if output else sorted(outputs) if isinstance(outputs, dict) else []
        for each in names:
            entry = outputs.get(each) if isinstance(outputs, dict) else None
            value = entry.get("expression") if isinstance(entry, dict) else None
            found |= resolve_all(expression_references(value), child, hops)
    return found
