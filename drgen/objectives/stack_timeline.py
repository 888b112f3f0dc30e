"""The RTO timeline of existing Terraform: assess's entries, where the stack holds their facts.

``drgen assess`` adds up detection (Route 53 health check interval x failure threshold), the
decision (``failover.decision_time``), the runbook's serial steps and the record's TTL
(drgen.objectives.timeline). For Terraform drgen did not render, the same entries are counted
only where the linted stack (the root and the roots linked with it) says what they are:

- detection: the fastest endpoint health check (``aws_route53_health_check`` of an HTTP(S) or
  TCP type) with its ``request_interval`` and ``failure_threshold`` (AWS defaults 30 and 3);
- decision: ``failover.decision_time`` of the spec given with ``--spec`` (none when its
  ``failover.mode`` is automatic); the Terraform cannot say how long people take to decide;
- the recovery step: the resource's own recovery path (promotion, restore, ...);
- DNS caches: the longest TTL of the failover records (60 s for an alias).

An entry whose facts are not literal is not counted, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.checks.facts import text, value_at
from drgen.lint.model.roots import Root, Value
from drgen.objectives.report import human_duration
from drgen.objectives.timeline import ALIAS_TTL, FAILURE_THRESHOLD, HEALTH_CHECK_INTERVAL

_ENDPOINT_CHECKS = frozenset({"HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"})


@dataclass(frozen=True)
class StackEntry:
    label: str  # "detection 1m 30s (aws_route53_health_check.api: every 30s, 3 failures)"
    seconds: int


def stack_entries(root: Root, decision_seconds: int | None) -> tuple[StackEntry, ...]:
    """What a failover of this stack adds to every resource's own recovery step."""
    entries = [e for e in (_detection(root), _decision(decision_seconds), _dns(root)) if e]
    return tuple(entries)


def _detection(root: Root) -> StackEntry | None:
    found: list[tuple[int, str, int, int]] = []
    for check in root.linked_of_type("aws_route53_health_check"):
        kind = text(check.values.get("type"))
        interval = _number(check.values.get("request_interval"), HEALTH_CHECK_INTERVAL)
        threshold = _number(check.values.get("failure_threshold"), FAILURE_THRESHOLD)
        if kind is None or kind.upper() not in _ENDPOINT_CHECKS or not interval or not threshold:
            continue
        found.append((interval * threshold, check.address, interval, threshold))
    if not found:
        return None
    seconds, address, interval, threshold = min(found)
    return StackEntry(
        f"detection {human_duration(seconds)} ({address}: every {interval}s, {threshold} failures)",
        seconds,
    )


def _decision(decision_seconds: int | None) -> StackEntry | None:
    if decision_seconds is None:
        return None
    return StackEntry(
        f"decision {human_duration(decision_seconds)} (failover.decision_time)", decision_seconds
    )


def _dns(root: Root) -> StackEntry | None:
    found: list[tuple[int, str]] = []
    for record in root.linked_of_type("aws_route53_record"):
        if value_at(record.values, "failover_routing_policy.type") is None:
            continue
        ttl = ALIAS_TTL if record.values.first("alias") else _number(record.values.get("ttl"))
        if ttl is not None:
            found.append((ttl, record.address))
    if not found:
        return None
    seconds, address = max(found)
    return StackEntry(f"DNS TTL {human_duration(seconds)} ({address})", seconds)


def _number(value: Value, default: int | None = None) -> int | None:
    """A literal whole number (or its digits as a string); ``default`` when the argument is
    absent; None when it is not literal."""
    if value is None:
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
