"""Run a user policy's declarative ``match`` (resource types + conditions).

Conditions are three-valued: True, False, or None when drgen cannot evaluate what they read
(an expression it cannot resolve). A resource is a finding when every condition is True;
any None makes it an unresolved case (reported under --strict only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from drgen.lint.checks.facts import (
    blocks_at,
    has,
    is_resolvable,
    pointing_at,
    targets,
    unresolved_pointers,
    value_at,
)
from drgen.lint.engine.catalog import COMPARISONS, Condition, Policy
from drgen.lint.engine.run import Violation
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value


def match_violations(policy: Policy, root: Root) -> Iterator[Violation]:
    match = policy.match
    if match is None:
        return
    for resource in root.of_type(*match.resource_types):
        verdict = _all(_holds(c, resource.values, resource, root) for c in match.conditions)
        if verdict is False:
            continue
        where = f"{resource.address} ({resource.region or 'region unknown'})"
        if verdict is None:
            yield Violation(
                resource,
                f"{where}: cannot evaluate the conditions of {policy.id}",
                unresolved=True,
                kind="undecided",
            )
            continue
        template = (
            match.message or "{address} ({region}): " + f"{policy.title}: {policy.remediation}"
        )
        message = template.replace("{address}", resource.address).replace(
            "{region}", resource.region or "region unknown"
        )
        yield Violation(resource, message, line=_line(resource.values, match.conditions[0]))


def _all(verdicts: Iterable[bool | None]) -> bool | None:
    """True when every verdict is True, False when one is False, else None."""
    seen = list(verdicts)
    if False in seen:
        return False
    return None if None in seen else True


def _any(verdicts: Iterable[bool | None]) -> bool | None:
    """True when one verdict is True, False when every one is False (or there is none)."""
    seen = list(verdicts)
    if True in seen:
        return True
    return None if None in seen else False


def _holds(condition: Condition, body: Block, resource: Resource, root: Root) -> bool | None:
    """Whether ``condition`` holds on ``body`` (the resource's values or one nested block)."""
    test = condition.test
    nested = condition.conditions
    if test in ("any", "all"):
        blocks = blocks_at(body, condition.attribute)
        verdicts = [_all(_holds(c, b, resource, root) for c in nested) for b in blocks]
        if test == "any":
            return _any(verdicts)
        return _all(verdicts) if blocks else False
    if test == "not":
        inner = _all(_holds(c, body, resource, root) for c in nested)
        return None if inner is None else not inner
    if test == "referenced":
        return _referenced(condition, body, resource, root)
    if test == "referenced_by":
        return _referenced_by(condition, resource, root)
    present, value = _lookup(condition.attribute, body, resource)
    if test == "absent":
        return not present
    if test == "present":
        return present
    if present and isinstance(value, Expression | list | dict):
        return None
    if test in COMPARISONS:
        return _compare(test, value, condition.operand) if present else False
    if test in ("matches", "not_matches"):
        found = present and re.search(str(condition.operand), _text(value)) is not None
        return found if test == "matches" else not found
    equal_to = condition.operand if isinstance(condition.operand, tuple) else (condition.operand,)
    found = present and any(_same(value, o) for o in equal_to)
    return found if test in ("equals", "in") else not found


def _referenced(condition: Condition, body: Block, resource: Resource, root: Root) -> bool | None:
    value = value_at(body, condition.attribute)
    if value is None:
        return False
    reached = targets(root, resource, value, *condition.resource_types)
    verdict = _any(_on_resource(condition.conditions, r, root) for r in reached)
    if verdict is not True and not is_resolvable(root, resource, value):
        return None  # it may refer to something drgen cannot follow
    return verdict


def _referenced_by(condition: Condition, resource: Resource, root: Root) -> bool | None:
    pointers = pointing_at(root, resource, condition.resource_types, condition.attribute)
    verdict = _any(_on_resource(condition.conditions, r, root) for r in pointers)
    if verdict is not True and unresolved_pointers(
        root, condition.resource_types, condition.attribute
    ):
        return None  # some resource of those types points somewhere drgen cannot tell
    return verdict


def _on_resource(conditions: tuple[Condition, ...], other: Resource, root: Root) -> bool | None:
    home = root.home(other)
    return _all(_holds(c, other.values, other, home) for c in conditions)


def _lookup(attribute: str, body: Block, resource: Resource) -> tuple[bool, Value]:
    if attribute.startswith("tags.") and body is resource.values:
        key = attribute.removeprefix("tags.")
        return key in resource.tags, resource.tags.get(key)
    return has(body, attribute), value_at(body, attribute)


def _compare(test: str, value: Value, operand: object) -> bool:
    """A numeric comparison; a literal that is not a number never compares."""
    number = _number(value)
    limit = _number(operand)
    if number is None or limit is None:
        return False
    if test == "less_than":
        return number < limit
    if test == "at_most":
        return number <= limit
    if test == "greater_than":
        return number > limit
    return number >= limit


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _same(value: Value, operand: object) -> bool:
    if isinstance(operand, bool) or isinstance(value, bool):
        return value is operand or str(value).lower() == str(operand).lower()
    return value == operand or str(value) == str(operand)


def _line(body: Block, condition: Condition) -> int:
    if condition.test == "not":
        return body.line
    first = condition.attribute.split(".")[0]
    return body.line if first == "tags" else body.line_of(first)
