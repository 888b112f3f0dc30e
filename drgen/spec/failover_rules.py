"""The `failover:` rules the JSON Schema cannot express: automatic only where no store waits,
a Region switch plan only where it has failover records and the ARC gate to drive.

Automatic DNS failover sends writes to the secondary region on a health check alone, so it is
safe only when every store is writable there without a promotion (see
``domain.writable_without_promotion``); anything else would send writes to a read-only copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drgen.domain import Pattern, StoreType, WriteMode, writable_without_promotion

Found = tuple[tuple[str | int, ...], str, str]  # (json path, message, fix), as in semantics
_MODE = ("failover", "mode")
_PLAN = ("failover", "region_switch_plan")


def failover_errors(doc: dict[str, Any]) -> Iterator[Found]:
    yield from _region_switch_plan_errors(doc)
    yield from _arc_partition_errors(doc)
    failover = doc.get("failover") or {}
    if failover.get("mode") != "automatic":
        return
    pattern = Pattern(doc["pattern"])
    if pattern is Pattern.BACKUP_RESTORE:
        yield (
            _MODE,
            "backup-restore cannot fail over automatically: the secondary region has no live "
            "copy to send traffic to until the stores are restored from backups",
            "remove failover.mode (manual is the default), or choose pilot-light, warm-standby "
            "or active-active",
        )
        return
    write_mode = WriteMode(doc["write_mode"]) if doc.get("write_mode") else None
    waiting = [
        (index, store)
        for index, store in enumerate(doc.get("data") or ())
        if not writable_without_promotion(StoreType(store["type"]), pattern, write_mode)
    ]
    if waiting:
        listed = ", ".join(
            f"data[{index}] {store['name']!r} ({_needs(store['type'])})" for index, store in waiting
        )
        yield (
            _MODE,
            "automatic failover would send writes to the secondary region before its stores "
            f"accept them: {listed}",
            "use failover.mode: manual (the default; the runbook promotes the data, then opens "
            "the secondary region's gate)" + _s3_hint(waiting, pattern),
        )


def _region_switch_plan_errors(doc: dict[str, Any]) -> Iterator[Found]:
    """The plan is active/passive (approval, databases, compute, then the routing controls),
    so it needs failover records, a recovery group to scale and the ARC gate: nothing but a
    custom Lambda could drive the alarm gate."""
    failover = doc.get("failover") or {}
    if failover.get("region_switch_plan") is not True:
        return
    pattern = doc["pattern"]
    if (
        pattern not in ("pilot-light", "warm-standby")
        or not doc.get("compute")
        or not doc.get("dns")
    ):
        why = {
            "backup-restore": "backup-restore has no live copy there until the stores are restored",
            "active-active": "active-active serves from both regions already (the plan drgen "
            "renders is active/passive)",
        }.get(pattern, "this spec renders no compute or no DNS records to switch")
        yield (
            _PLAN,
            f"a Region switch plan moves traffic and compute to the secondary region, but {why}",
            "remove failover.region_switch_plan (the runbook scripts still cover the failover), "
            "or choose pilot-light or warm-standby with compute: and dns:",
        )
    elif failover.get("gate") != "arc-routing-control":
        yield (
            _PLAN,
            "a Region switch plan shifts traffic by setting ARC routing controls; the "
            "cloudwatch-alarm gate has no execution block (it would need a custom Lambda)",
            "add failover.gate: arc-routing-control, or remove failover.region_switch_plan",
        )


def _arc_partition_errors(doc: dict[str, Any]) -> Iterator[Found]:
    failover = doc.get("failover") or {}
    regions = doc.get("regions") or {}
    if failover.get("gate") == "arc-routing-control" and any(
        str(region).startswith(("cn-", "us-gov-")) for region in regions.values()
    ):
        yield (
            ("failover", "gate"),
            "ARC routing controls exist only in the AWS commercial partition, not in "
            "China or GovCloud regions",
            "remove failover.gate (the cloudwatch-alarm gate works in every partition)",
        )


def failover_warnings(doc: dict[str, Any]) -> Iterator[Found]:
    failover = doc.get("failover") or {}
    pattern = doc["pattern"]
    if pattern == "backup-restore" and "gate" in failover:
        yield (
            ("failover", "gate"),
            "backup-restore routes no traffic, so failover.gate is not rendered",
            "remove failover.gate (decision_time still counts in the RTO)",
        )
    if failover.get("mode") == "automatic":
        if "decision_time" in failover:
            yield (
                ("failover", "decision_time"),
                "automatic failover waits for no decision, so decision_time is not counted",
                "remove failover.decision_time, or use mode: manual",
            )
        if pattern == "pilot-light":
            yield (
                _MODE,
                "pilot light runs no instances in the secondary region: its load balancer check "
                "stays unhealthy, so Route 53 keeps answering with the primary until someone "
                "scales the recovery Auto Scaling group",
                "choose warm-standby for a failover without an operator, or keep mode: manual",
            )


def _needs(store_type: str) -> str:
    if store_type == "s3":
        return "S3 replicates one way: writes in the secondary region would not reach the primary"
    return f"{'Aurora' if store_type == 'aurora' else 'RDS'} needs a promotion"


def _s3_hint(waiting: list[tuple[int, dict[str, Any]]], pattern: Pattern) -> str:
    only_s3 = all(store["type"] == "s3" for _, store in waiting)
    if only_s3 and pattern is Pattern.ACTIVE_ACTIVE:
        return ", or write_mode: write-origin, which replicates S3 both ways"
    if only_s3:
        return (
            ", or pattern: active-active with write_mode: write-origin, which replicates S3 "
            "both ways"
        )
    return ""
