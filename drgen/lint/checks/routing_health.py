"""DR032: weighted and latency records that keep answering with a dead endpoint.

Route 53 drops a weighted or latency record from its answers only when it knows the record is
unhealthy: through its ``health_check_id``, or, for an alias, ``evaluate_target_health =
true``. Without either the record is healthy forever, so a share of the clients (weighted) or
every client nearest the failed region (latency) keeps being sent there.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import first
from drgen.lint.checks.facts import is_set, truth, value_at
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Root

RECORD = "aws_route53_record"
_POLICIES = {"weighted_routing_policy": "weighted", "latency_routing_policy": "latency"}


def check_routing_record_health(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for record in root.of_type(RECORD):
        body = record.values
        policy = next((p for p in _POLICIES if first(body, p) is not None), None)
        if policy is None:
            continue
        if value_at(body, "weighted_routing_policy.weight") == 0:
            continue  # a record that receives no traffic
        health = is_set(body, "health_check_id")
        evaluates = truth(value_at(body, "alias.evaluate_target_health"))
        if health is True or evaluates is True:
            continue
        if health is None or evaluates is None:
            yield Violation(
                record,
                f"{record.address}: cannot tell whether Route 53 knows this "
                f"{_POLICIES[policy]} record's health",
                unresolved=True,
            )
            continue
        yield Violation(
            record,
            f"{record.address} is a {_POLICIES[policy]} record with no health_check_id and no "
            "alias evaluating target health: Route 53 treats it as healthy forever and keeps "
            "sending clients to its endpoint when that region fails; attach an "
            "aws_route53_health_check (health_check_id) or alias with "
            "evaluate_target_health = true.",
            line=body.line_of(policy),
        )
