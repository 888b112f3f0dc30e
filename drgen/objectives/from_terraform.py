"""Estimate RPO/RTO for one stateful resource of existing Terraform, from its cross-region copies.

Recovery paths found: S3 replication rules (with or without Replication Time Control), DynamoDB
replicas (global tables, MRSC), Aurora global database members, RDS and Aurora cross-region
read replicas, RDS automated-backups replication, and scheduled cross-region copies (AWS Backup
plan rules, DLM policies: drgen.objectives.backup_paths). A fact that cannot be established
(an unresolved region, selection or schedule) is listed in ``unknowns``.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.checks.dynamodb import replicas
from drgen.lint.checks.facts import is_enabled, other_region, text
from drgen.lint.checks.rds import copies_of, global_members, is_read_replica, is_secondary
from drgen.lint.checks.s3 import replications
from drgen.lint.model.roots import Block, Resource, Root
from drgen.objectives.backup_paths import RecoveryPath, backup_paths
from drgen.objectives.figures import figure

STATEFUL_TYPES = (
    "aws_s3_bucket",
    "aws_dynamodb_table",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_ebs_volume",
)


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
        return is_read_replica(resource) is True  # None (may be null) is not a copy
    if resource.type == "aws_rds_cluster":
        return is_secondary(root, resource) is True
    if resource.type == "aws_s3_bucket":
        return any(
            any(d is resource for d in r.destinations) and not any(s is resource for s in r.sources)
            for r in replications(root, linked=True)
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
    backup_paths(root, resource, paths, unknowns)
    return ResourceEstimate(resource, tuple(paths), tuple(unknowns))


def _path(rpo_id: str, rto_id: str, basis: str) -> RecoveryPath:
    return RecoveryPath(figure(rpo_id).range, figure(rto_id).range, basis)


def _s3_paths(root: Root, bucket: Resource, paths: list[RecoveryPath], unknowns: list[str]) -> None:
    for replication in replications(root, linked=True):
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
    """Aurora global members, cross-region read replicas and replicated automated backups."""
    is_cluster = database.type == "aws_rds_cluster"
    members = {m.address for m in global_members(root, database)} if is_cluster else set()
    for copy in copies_of(root, database):
        elsewhere = other_region(database.region, copy.region)
        if elsewhere is None:
            unknowns.append(f"the region of {copy.address}")
        if not elsewhere:
            continue
        if copy.address in members:
            kind = ("aurora-global-lag", "aurora-global-failover")
        elif copy.type == "aws_db_instance_automated_backups_replication":
            kind = ("rds-backup-replication", "restore-from-backup")
        else:
            kind = ("rds-replica-lag", "rds-replica-promotion")
        paths.append(_path(*kind, f"{figure(kind[0]).title} ({copy.address})"))
