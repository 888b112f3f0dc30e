"""Database commands of the live patterns: promote in the recovery region, and the way back.

Aurora: ``failover-global-cluster --allow-data-loss`` against the secondary cluster's ARN (a
switchover would need the lost primary); back with ``switchover-global-cluster`` once Aurora has
added the old primary back as a secondary. RDS: ``promote-read-replica``; back by replacing the
stale old primary with a read replica of the promoted instance, then promoting that. Their
master credential is the Secrets Manager secret 3-primary replicates to the recovery region.
"""

from __future__ import annotations

from drgen.domain import StoreType
from drgen.render.identifiers import PRIMARY, RECOVERY
from drgen.runbook.commands import (
    ACCOUNT,
    aws,
    expect,
    shell_name,
    side_of,
    terraform_output,
    text_query,
)
from drgen.runbook.context import PRIMARY_ROOT, RECOVERY_ROOT, RunbookContext
from drgen.runbook.model import Command, Join, Var
from drgen.spec.model import DataStore

WRITER = "GlobalClusters[0].GlobalClusterMembers[?IsWriter].DBClusterArn | [0]"


def aurora_cluster_arn(c: RunbookContext, store: DataStore, region: str) -> Command:
    cluster = c.ids.aurora_cluster(store.name, side_of(c, region))
    return aws(
        region, "rds describe-db-clusters", "--db-cluster-identifier", cluster,
        *text_query("DBClusters[0].DBClusterArn"),
        capture=shell_name(store.name, side_of(c, region), "cluster"),
    )  # fmt: skip


def aurora_writer_is(c: RunbookContext, store: DataStore, region: str) -> Command:
    """Poll until the global database's writer is the cluster in ``region``."""
    target = Var(shell_name(store.name, side_of(c, region), "cluster"))
    return expect(
        target,
        aws(
            region, "rds describe-global-clusters",
            "--global-cluster-identifier", c.ids.aurora_global_cluster(store.name),
            *text_query(WRITER),
        ),
    )  # fmt: skip


def aurora_failover(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    return (
        aurora_cluster_arn(c, store, c.recovery),
        aws(
            c.recovery, "rds failover-global-cluster",
            "--global-cluster-identifier", c.ids.aurora_global_cluster(store.name),
            "--target-db-cluster-identifier", Var(shell_name(store.name, RECOVERY, "cluster")),
            "--allow-data-loss",
        ),
    )  # fmt: skip


def headless(c: RunbookContext) -> tuple[DataStore, ...]:
    """Aurora stores whose secondary cluster runs no DB instance at rest (pilot light)."""
    return tuple(
        s for s in c.stores(StoreType.AURORA) if c.live and c.spec.standby_instances(s) == 0
    )


def added_instance(c: RunbookContext, store: DataStore) -> str:
    """The instance a failover gives a headless secondary: number 0, so it never collides with
    the instances 4-recovery declares (from 1) if the spec later asks for standby instances."""
    return c.ids.aurora_instance(store.name, RECOVERY, 0)


def aurora_add_instance(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """Create the headless secondary's first instance, of the class 4-recovery declares."""
    instance_class = shell_name(store.name, "instance_class")
    label = store.name.replace("-", "_")
    return (
        terraform_output(RECOVERY_ROOT, f"aurora_{label}_instance_class", instance_class),
        aws(
            c.recovery, "rds create-db-instance",
            "--db-instance-identifier", added_instance(c, store),
            "--db-cluster-identifier", c.ids.aurora_cluster(store.name, RECOVERY),
            "--engine", c.engine(store), "--db-instance-class", Var(instance_class),
            "--no-publicly-accessible",
        ),
    )  # fmt: skip


def aurora_instance_available(c: RunbookContext, store: DataStore) -> Command:
    return aws(
        c.recovery, "rds wait db-instance-available",
        "--db-instance-identifier", added_instance(c, store),
    )  # fmt: skip


def aurora_remove_added_instance(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """Back to headless once the primary region writes again."""
    instance = added_instance(c, store)
    return (
        aws(c.recovery, "rds delete-db-instance", "--db-instance-identifier", instance),
        aws(c.recovery, "rds wait db-instance-deleted", "--db-instance-identifier", instance),
    )


def aurora_switchover(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """Planned, no data loss: the old primary, back as a secondary, becomes the writer."""
    return (
        aurora_cluster_arn(c, store, c.primary),
        aws(
            c.primary, "rds switchover-global-cluster",
            "--global-cluster-identifier", c.ids.aurora_global_cluster(store.name),
            "--target-db-cluster-identifier", Var(shell_name(store.name, PRIMARY, "cluster")),
        ),
    )  # fmt: skip


def rds_promote(c: RunbookContext, store: DataStore, region: str) -> tuple[Command, ...]:
    instance = c.ids.rds_instance(store.name, side_of(c, region))
    return (
        aws(region, "rds promote-read-replica", "--db-instance-identifier", instance),
        aws(region, "rds wait db-instance-available", "--db-instance-identifier", instance),
        expect(  # promotion is done when the instance no longer has a source
            "None",
            aws(
                region, "rds describe-db-instances", "--db-instance-identifier", instance,
                *text_query("DBInstances[0].ReadReplicaSourceDBInstanceIdentifier"),
            ),
        ),
    )  # fmt: skip


def rds_replace_stale_primary(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """The old primary came back as a writable stale copy: keep a snapshot, then make the
    same identifier a read replica of the promoted instance in the recovery region."""
    stale = c.ids.rds_instance(store.name, PRIMARY)
    promoted = c.ids.rds_instance(store.name, RECOVERY)
    subnet_group, security_group = "PRIMARY_DB_SUBNET_GROUP", "PRIMARY_DB_SECURITY_GROUP"
    return (
        Command(
            ("terraform", f"-chdir={PRIMARY_ROOT}", "output", "-raw", "db_subnet_group_name"),
            capture=subnet_group,
        ),
        Command(
            ("terraform", f"-chdir={PRIMARY_ROOT}", "output", "-raw", "db_security_group_id"),
            capture=security_group,
        ),
        aws(
            c.primary, "rds modify-db-instance", "--db-instance-identifier", stale,
            "--no-deletion-protection", "--apply-immediately",
        ),
        aws(
            c.primary, "rds delete-db-instance", "--db-instance-identifier", stale,
            "--final-db-snapshot-identifier", f"{stale}-stale",
        ),
        aws(c.primary, "rds wait db-instance-deleted", "--db-instance-identifier", stale),
        aws(
            c.primary, "rds create-db-instance-read-replica", "--db-instance-identifier", stale,
            "--source-db-instance-identifier",
            Join((f"arn:{c.partition}:rds:{c.recovery}:", ACCOUNT, f":db:{promoted}")),
            "--source-region", c.recovery,
            "--kms-key-id", c.ids.kms_alias("data"),
            "--db-subnet-group-name", Var(subnet_group),
            "--vpc-security-group-ids", Var(security_group),
            "--multi-az", "--deletion-protection",
        ),
        aws(c.primary, "rds wait db-instance-available", "--db-instance-identifier", stale),
    )  # fmt: skip


def credential_replica(c: RunbookContext) -> Command:
    """The databases' master credential is readable in the recovery region (the secret's
    replica: describe-secret, so the password itself never reaches the terminal or a log)."""
    return aws(
        c.recovery, "secretsmanager describe-secret", "--secret-id", c.ids.db_master_secret(),
        *text_query("ARN"),
    )  # fmt: skip


def credential_hint(c: RunbookContext) -> str:
    secret = c.ids.db_master_secret()
    return (
        f"The databases keep their master credential (user dbadmin) in the secret {secret}, "
        f"replicated to {c.recovery}: aws secretsmanager get-secret-value --region {c.recovery} "
        f"--secret-id {secret} --query SecretString --output text"
    )
