"""Backup-restore: bring each database back from the newest AWS Backup copy in a region.

The copies in ``to_region``'s vault keep the source resource's ARN, so the newest recovery
point is found by that ARN without calling the source region. RDS and Aurora recovery points
are RDS snapshots (restored with RDS's own restore calls, which take the staged subnet group
and security group); DynamoDB goes through AWS Backup's restore job. S3 needs no restore: its
replica bucket is live in every pattern.
"""

from __future__ import annotations

from drgen.domain import StoreType
from drgen.runbook.commands import arn, aws, expect, role_arn, shell_name, side_of, text_query
from drgen.runbook.context import RunbookContext
from drgen.runbook.model import Command, Join, Var
from drgen.spec.model import DataStore

NEWEST = "max_by(RecoveryPoints, &CreationDate).RecoveryPointArn"
SUBNET_GROUP, SECURITY_GROUP = "DB_SUBNET_GROUP", "DB_SECURITY_GROUP"


def source_arn(c: RunbookContext, store: DataStore, region: str) -> Join:
    side = side_of(c, region)
    if store.type is StoreType.RDS:
        return arn(c, "rds", region, f"db:{c.ids.rds_instance(store.name, side)}")
    if store.type is StoreType.AURORA:
        return arn(c, "rds", region, f"cluster:{c.ids.aurora_cluster(store.name, side)}")
    return arn(c, "dynamodb", region, f"table/{c.ids.dynamodb_table(store.name)}")


def newest_copy(c: RunbookContext, store: DataStore, from_region: str, to_region: str) -> Command:
    return aws(
        to_region, "backup list-recovery-points-by-backup-vault",
        "--backup-vault-name", c.ids.backup_vault(side_of(c, to_region)),
        "--by-resource-arn", source_arn(c, store, from_region), *text_query(NEWEST),
        capture=shell_name(store.name, "recovery_point"),
    )  # fmt: skip


def restore(
    c: RunbookContext, store: DataStore, from_region: str, to_region: str
) -> tuple[Command, ...]:
    """Commands restoring ``store`` (backed up in ``from_region``) into ``to_region``."""
    point = Var(shell_name(store.name, "recovery_point"))
    side = side_of(c, to_region)
    network = (
        "--db-subnet-group-name",
        Var(SUBNET_GROUP),
        "--vpc-security-group-ids",
        Var(SECURITY_GROUP),
    )
    first = newest_copy(c, store, from_region, to_region)
    if store.type is StoreType.RDS:
        instance = c.ids.rds_instance(store.name, side)
        return (
            first,
            aws(
                to_region, "rds restore-db-instance-from-db-snapshot",
                "--db-instance-identifier", instance, "--db-snapshot-identifier", point,
                *network, "--multi-az", "--deletion-protection",
            ),
            aws(to_region, "rds wait db-instance-available", "--db-instance-identifier", instance),
        )  # fmt: skip
    if store.type is StoreType.AURORA:
        cluster = c.ids.aurora_cluster(store.name, side)
        writer = c.ids.aurora_instance(store.name, side, 1)
        return (
            first,
            aws(
                to_region, "rds restore-db-cluster-from-snapshot",
                "--db-cluster-identifier", cluster, "--snapshot-identifier", point,
                "--engine", c.engine(store), *network, "--deletion-protection",
            ),
            aws(to_region, "rds wait db-cluster-available", "--db-cluster-identifier", cluster),
            aws(
                to_region, "rds create-db-instance", "--db-instance-identifier", writer,
                "--db-cluster-identifier", cluster, "--engine", c.engine(store),
                "--db-instance-class", c.instance_class(store),
            ),
            aws(to_region, "rds wait db-instance-available", "--db-instance-identifier", writer),
        )  # fmt: skip
    job = shell_name(store.name, "restore_job")
    return (
        first,
        aws(
            to_region, "backup start-restore-job", "--recovery-point-arn", point,
            "--iam-role-arn", role_arn(c, "backup"), "--resource-type", "DynamoDB",
            "--metadata", f"targetTableName={c.ids.dynamodb_table(store.name)}",
            *text_query("RestoreJobId"), capture=job,
        ),
        expect(
            "COMPLETED",
            aws(to_region, "backup describe-restore-job", "--restore-job-id", Var(job),
                *text_query("Status")),
        ),
    )  # fmt: skip
