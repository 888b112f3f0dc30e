"""DR011: Route 53 failover that cannot fail over.

A PRIMARY failover record needs health (a ``health_check_id`` or an alias with
``evaluate_target_health = true``) and a SECONDARY record of the same zone, name and type.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import is_set, text, truth, value_at
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Expression, Resource, Root, Value

RECORD = "aws_route53_record"


def check_failover_health(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    records = root.of_type(RECORD)
    secondaries = {_key(r) for r in records if _failover_type(r) == "SECONDARY"}
    for record in records:
        if _failover_type(record) != "PRIMARY":
            continue
        body = record.values
        evaluates = truth(value_at(body, "alias.evaluate_target_health"))
        health = is_set(body, "health_check_id")
        if health is False and evaluates is False:
            yield Violation(
                record,
                f"{record.address} is a PRIMARY failover record without health: Route 53 never "
                "fails over from it; set health_check_id to an aws_route53_health_check, or "
                "evaluate_target_health = true on its alias.",
                kind="primary-without-health",
            )
        elif not health and (health is None or evaluates is None):
            yield Violation(
                record,
                f"{record.address}: cannot tell whether its alias evaluates target health",
                unresolved=True,
                kind="undecided-alias-health",
            )
        if _key(record) not in secondaries:
            yield Violation(
                record,
                f"{record.address} is a PRIMARY failover record with no SECONDARY record of the "
                "same zone, name and type, so there is nothing to fail over to: add one with "
                'failover_routing_policy { type = "SECONDARY" }.',
                line=body.line_of("failover_routing_policy"),
                kind="no-secondary",
            )


def _failover_type(record: Resource) -> str | None:
    value = text(value_at(record.values, "failover_routing_policy.type"))
    return value.upper() if value else None


def _key(record: Resource) -> tuple[str, str, str]:
    body = record.values
    name = _comparable(body.get("name")).rstrip(".").lower()
    return (_comparable(body.get("zone_id")), name, _comparable(body.get("type")).upper())


def _comparable(value: Value) -> str:
    """Literal text, or an expression's source (two records naming one var compare equal)."""
    if isinstance(value, Expression):
        return value.source
    return text(value) or ""
