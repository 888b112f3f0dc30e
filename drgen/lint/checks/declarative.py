"""Run a user policy's declarative ``match`` (resource types + attribute conditions)."""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import has, value_at
from drgen.lint.engine import Violation
from drgen.lint.model import Block, Expression, Resource, Root, Value
from drgen.lint.policies import Condition, Policy


def match_violations(policy: Policy, root: Root) -> Iterator[Violation]:
    match = policy.match
    if match is None:
        return
    for resource in root.of_type(*match.resource_types):
        verdicts = [_holds(c, resource) for c in match.conditions]
        if False in verdicts:
            continue
        where = f"{resource.address} ({resource.region or 'region unknown'})"
        if None in verdicts:
            yield Violation(
                resource, f"{where}: cannot evaluate the conditions of {policy.id}", unresolved=True
            )
            continue
        template = (
            match.message or "{address} ({region}): " + f"{policy.title}: {policy.remediation}"
        )
        message = template.replace("{address}", resource.address).replace(
            "{region}", resource.region or "region unknown"
        )
        yield Violation(resource, message, line=_line(resource.values, match.conditions[0]))


def _holds(condition: Condition, resource: Resource) -> bool | None:
    present, value = _lookup(condition.attribute, resource)
    if condition.test == "absent":
        return not present
    if condition.test == "present":
        return present
    if isinstance(value, Expression | list | dict):
        return None
    equal_to = condition.operand if isinstance(condition.operand, tuple) else (condition.operand,)
    found = present and any(_same(value, o) for o in equal_to)
    return found if condition.test in ("equals", "in") else not found


def _lookup(attribute: str, resource: Resource) -> tuple[bool, Value]:
    if attribute.startswith("tags."):
        key = attribute.removeprefix("tags.")
        return key in resource.tags, resource.tags.get(key)
    return has(resource.values, attribute), value_at(resource.values, attribute)


def _same(value: Value, operand: object) -> bool:
    if isinstance(operand, bool) or isinstance(value, bool):
        return value is operand or str(value).lower() == str(operand).lower()
    return value == operand or str(value) == str(operand)


def _line(body: Block, condition: Condition) -> int:
    first = condition.attribute.split(".")[0]
    return body.line if first == "tags" else body.line_of(first)
