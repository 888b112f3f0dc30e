"""Estimate RPO/RTO for one stateful resource of existing Terraform, from its cross-region copies.

Recovery paths found: S3 replication rules (with or without Replication Time Control), DynamoDB
replicas (global tables, MRSC), Aurora global database members, RDS and Aurora cross-region
read replicas, RDS automated-backups replication, and AWS Backup plan rules that select the
resource and copy to a vault in another region (their ``schedule`` sets the RPO). A fact that
cannot be established (an unresolved region, selection or schedule) is listed in ``unknowns``.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.checks.backup import selects, vault_region
from drgen.lint.checks.dynamodb import replicas
from drgen.lint.checks.facts import is_enabled, other_region, targets, text
from drgen.lint.checks.rds import copies_of, global_members, is_read_replica, is_secondary
from drgen.lint.checks.s3 import replications
from drgen.lint.model import Block, Resource, Root
from drgen.objectives.figures import Range, figure
from drgen.objectives.report import human_duration
from drgen.objectives.schedule import ScheduleError, interval_seconds

STATEFUL_TYPES = (
    "aws_s3_bucket",
    "aws_dynamodb_table",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_ebs_volume",
)

# What AWS Backup runs when a rule has no schedule (BackupRule.ScheduleExpression, API reference).
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"


@dataclass(frozen=True)
class RecoveryPath:
    rpo: Range
    rto: Range
    basis: str  # e.g. "AWS Backup plan aws_backup_plan.daily rule daily every 24h + copy"
    backup_interval: int | None = None  # seconds, for AWS Backup paths


@dataclass(frozen=True)
class ResourceEstimate:
    resource: Resource
    paths: tuple[RecoveryPath, ...]
    unknowns: tuple[str, ...]

    @property
    def best_rpo(self) -> RecoveryPath | None:
        return min(self.paths, key=lambda p: (p.rpo.typical, p.basis), default=None)

    @property
    def best_rto(self) -> RecoveryPath | None:
        return min(self.paths, key=lambda p: (p.rto.typical, p.basis), default=None)


def is_copy(root: Root, resource: Resource) -> bool:
    """Replicas and secondaries are the copies of something else, not data to recover."""
    if resource.type == "aws_db_instance":
        return is_read_replica(resource)
    if resource.type == "aws_rds_cluster":
        return is_secondary(root, resource)
    if resource.type == "aws_s3_bucket":
        return any(
            any(d is resource for d in r.destinations) and not any(s is resource for s in r.sources)
            for r in replications(root)
        )
    return False


def estimate_resource(root: Root, resource: Resource) -> ResourceEstimate:
    paths: list[RecoveryPath] = []
    unknowns: list[str] = []
    finder = {
        "aws_s3_bucket": _s3_paths,
        "aws_dynamodb_table": _dynamodb_paths,
        "aws_db_instance": _database_paths,
        "aws_rds_cluster": _database_paths,
    }.get(resource.type)
    if finder is not None:
        finder(root, resource, paths, unknowns)
    _backup_paths(root, resource, paths, unknowns)
    return ResourceEstimate(resource, tuple(paths), tuple(unknowns))


def _path(rpo_id: str, rto_id: str, basis: str) -> RecoveryPath:
    return RecoveryPath(figure(rpo_id).range, figure(rto_id).range, basis)


def _s3_paths(root: Root, bucket: Resource, paths: list[RecoveryPath], unknowns: list[str]) -> None:
    for replication in replications(root):
        if not any(s is bucket for s in replication.sources):
            continue
        if is_enabled(replication.rule) is False:
            continue
        where = replication.configuration.address
        elsewhere = {other_region(bucket.region, d.region) for d in replication.destinations}
        if not replication.destination_known:
            elsewhere.add(None)
        if True in elsewhere:
            rtc = is_enabled(_rtc(replication.rule))
            if rtc is None:
                unknowns.append(f"whether {where} enables Replication Time Control")
            with_rtc = "s3-replication-rtc" if rtc else "s3-replication"
            paths.append(_path(with_rtc, "standing-replica", f"{figure(with_rtc).title} ({where})"))
        elif None in elsewhere:
            unknowns.append(f"the destination region of {where}")


def _rtc(rule: Block) -> Block | None:
    destination = rule.first("destination")
    return destination.first("replication_time") if destination else None


def _dynamodb_paths(
    root: Root, table: Resource, paths: list[RecoveryPath], unknowns: list[str]
) -> None:
    found = replicas(root, table)
    elsewhere = found.elsewhere(table.region)
    if elsewhere is None:
        unknowns.append(f"the regions of {table.address}'s replicas")
    if not elsewhere:
        return
    modes = {text(block.get("consistency_mode")) for block in found.blocks}
    lag = "dynamodb-mrsc" if modes == {"STRONG"} else "dynamodb-global-table"
    paths.append(_path(lag, "standing-replica", figure(lag).title))


def _database_paths(
    root: Root, database: Resource, paths: list[RecoveryPath], unknowns: list[str]
) -> None:
    members = global_members(root, database) if database.type == "aws_rds_cluster" else []
    for copy in [*members, *copies_of(root, database)]:
        if copy is database:
            continue
        elsewhere = other_region(database.region, copy.region)
        if elsewhere is None:
            unknowns.append(f"the region of {copy.address}")
        if not elsewhere:
            continue
        if copy in members:
            kind = ("aurora-global-lag", "aurora-global-failover")
        elif copy.type == "aws_db_instance_automated_backups_replication":
            kind = ("rds-backup-replication", "restore-from-backup")
        else:
            kind = ("rds-replica-lag", "rds-replica-promotion")
        paths.append(_path(*kind, f"{figure(kind[0]).title} ({copy.address})"))


def _backup_paths(
    root: Root, resource: Resource, paths: list[RecoveryPath], unknowns: list[str]
) -> None:
    copy, restore = figure("backup-copy"), figure("restore-from-backup")
    for selection in root.of_type("aws_backup_selection"):
        selected = selects(root, selection, resource)
        if selected is False:
            continue
        if selected is None:
            unknowns.append(f"whether {selection.address} selects {resource.address}")
            continue
        plans = targets(root, selection, selection.body.get("plan_id"), "aws_backup_plan")
        for plan in plans:
            for rule in plan.body.blocks_named("rule"):
                _rule_path(root, resource, plan, rule, paths, unknowns, copy.range, restore.range)


def _rule_path(
    root: Root,
    resource: Resource,
    plan: Resource,
    rule: Block,
    paths: list[RecoveryPath],
    unknowns: list[str],
    copy: Range,
    restore: Range,
) -> None:
    name = f"{plan.address} rule {text(rule.get('rule_name')) or '?'}"
    regions = {
        other_region(resource.region, vault_region(root, plan, action))
        for action in rule.blocks_named("copy_action")
    }
    if True not in regions:
        if None in regions:
            unknowns.append(f"the copy destination region of {name}")
        return
    schedule = text(rule.get("schedule", DEFAULT_SCHEDULE))
    if schedule is None:
        unknowns.append(f"the schedule of {name} (not a literal)")
        return
    try:
        interval = interval_seconds(schedule)
    except ScheduleError as error:
        unknowns.append(f"the schedule of {name}: {error}")
        return
    paths.append(
        RecoveryPath(
            Range.schedule(interval) + copy,
            restore,
            f"AWS Backup {name} every {human_duration(interval)} + cross-region copy",
            backup_interval=interval,
        )
    )
