"""The reference graph of a root: which resources each resource's arguments mention.

A traversal like ``aws_s3_bucket.x.arn`` resolves within the same module instance;
``local.x`` follows the local's expression, ``var.x`` the module call's argument
in the parent, and ``module.m.out`` the child's output expression, so a bucket ARN
handed through a module still links the two resources.
"""

from __future__ import annotations

from collections.abc import Iterable

from drgen.lint.evaluation.instances import Instance
from drgen.lint.evaluation.scope import block_references, references_in
from drgen.lint.model.roots import Resource

_NOT_RESOURCES = frozenset({"var", "local", "module", "each", "count", "self", "path", "terraform"})
_MAX_HOPS = 16


def reference_graph(instances: list[Instance], resources: list[Resource]) -> dict[str, set[str]]:
    """Address -> addresses it refers to, read from each body as written."""
    existing = {r.address for r in resources}
    by_path = {i.module_path: i for i in instances}
    graph: dict[str, set[str]] = {}
    for resource in resources:
        instance = by_path[resource.module_path]
        targets: set[str] = set()
        for reference in set(block_references(resource.body)):
            targets |= _resolve(reference, instance, 0)
        targets &= existing
        targets.discard(resource.address)
        graph[resource.address] = targets
    return graph


def output_targets(root: Instance, resources: list[Resource]) -> dict[str, set[str]]:
    """Root output name -> addresses of the resources its value refers to."""
    existing = {r.address for r in resources}
    return {
        name: _resolve_all(references_in(value), root, 0) & existing
        for name, value in root.module.outputs.items()
    }


def _resolve(reference: str, instance: Instance, hops: int) -> set[str]:
    """Resource addresses ``reference`` (seen inside ``instance``) leads to."""
    if hops > _MAX_HOPS:
        return set()
    parts = reference.split(".")
    head = parts[0]
    if head == "data":
        return {f"{instance.prefix}data.{parts[1]}.{parts[2]}"} if len(parts) >= 3 else set()
    if head == "local":
        value = instance.module.locals.get(parts[1])
        return _resolve_all(references_in(value), instance, hops)
    if head == "var":
        if instance.call is None or instance.parent is None:
            return set()
        argument = instance.call.block.attributes.get(parts[1])
        return _resolve_all(references_in(argument), instance.parent, hops)
    if head == "module":
        child = instance.children.get(parts[1])
        if child is None or len(parts) < 3:
            return set()
        output = child.module.outputs.get(parts[2])
        return _resolve_all(references_in(output), child, hops)
    if head in _NOT_RESOURCES:
        return set()
    return {f"{instance.prefix}{parts[0]}.{parts[1]}"}


def _resolve_all(references: Iterable[str], instance: Instance, hops: int) -> set[str]:
    found: set[str] = set()
    for reference in references:
        found |= _resolve(reference, instance, hops + 1)
    return found
