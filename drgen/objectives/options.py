"""The cheapest change that brings one stateful Terraform resource within its RPO/RTO targets."""

from __future__ import annotations

from dataclasses import dataclass

from drgen.objectives.figures import Range, figure
from drgen.objectives.report import human_duration

# AWS Backup runs at most hourly; longer intervals first (cheaper).
BACKUP_HOURS = (24, 12, 8, 6, 4, 3, 2, 1)


@dataclass(frozen=True)
class Option:
    change: str  # what to do, in the imperative
    rpo: Range
    rto: Range


# Replication options per resource type, cheapest first.
_REPLICATION: dict[str, tuple[tuple[str, str, str], ...]] = {
    "aws_s3_bucket": (
        ("replicate it to another region with S3 Replication Time Control enabled",
         "s3-replication-rtc", "standing-replica"),
    ),
    "aws_dynamodb_table": (
        ("add a replica block in another region (global table)",
         "dynamodb-global-table", "standing-replica"),
        ("make it a multi-Region strongly consistent (MRSC) global table",
         "dynamodb-mrsc", "standing-replica"),
    ),
    "aws_db_instance": (
        ("add a cross-region read replica", "rds-replica-lag", "rds-replica-promotion"),
        ("move it to an Aurora global database", "aurora-global-lag", "aurora-global-failover"),
    ),
    "aws_rds_cluster": (
        ("make it the primary of an Aurora global database with a secondary in another region",
         "aurora-global-lag", "aurora-global-failover"),
    ),
}  # fmt: skip


def options(resource_type: str) -> list[Option]:
    """Every change drgen knows for the type, cheapest first: backup schedules, then replication."""
    copy, restore = figure("backup-copy").range, figure("restore-from-backup").range
    found = [
        Option(
            f"run its cross-region AWS Backup rule every {hours}h "
            f'(schedule = "{backup_cron(hours)}")',
            Range.schedule(hours * 3600) + copy,
            restore,
        )
        for hours in BACKUP_HOURS
    ]
    for change, rpo_id, rto_id in _REPLICATION.get(resource_type, ()):
        found.append(Option(change, figure(rpo_id).range, figure(rto_id).range))
    return found


def cheapest_option(
    resource_type: str, rpo: int | None, rto: int | None, rto_overhead: int = 0
) -> str:
    """The first option whose typical figures meet every given target, as a fix sentence.

    ``rto_overhead``: what the stack's failover adds to any recovery step (detection, decision,
    DNS caches; drgen.objectives.stack_timeline).
    """
    for option in options(resource_type):
        rto_total = option.rto.typical + rto_overhead
        meets_rpo = rpo is None or option.rpo.typical <= rpo
        if meets_rpo and (rto is None or rto_total <= rto):
            estimate = ", ".join(
                f"{key} {human_duration(seconds)}"
                for key, seconds, target in (
                    ("RPO", option.rpo.typical, rpo),
                    ("RTO", rto_total, rto),
                )
                if target is not None
            )
            return f"{option.change} (estimated {estimate})"
    return "no AWS option drgen knows meets this target for this resource type: relax the target"


def backup_cron(hours: int) -> str:
    if hours == 24:
        return "cron(0 5 ? * * *)"
    return "cron(0 * * * ? *)" if hours == 1 else f"cron(0 */{hours} * * ? *)"
