"""The way back, planned while both regions are healthy: copy the data back, bring the
primary's compute up, pause writes (fence the recovery region), switch the writers, open the
primary's gate, and return the recovery region to standby."""

from __future__ import annotations

from drgen.domain import Pattern, StoreType
from drgen.runbook import databases, restore
from drgen.runbook.commands import (
    account_id,
    arn,
    aws,
    bucket,
    check_endpoint,
    check_service,
    expect,
    role_arn,
    scale,
    set_gate,
    shell_name,
    terraform_output,
    text_query,
    wait_in_service,
)
from drgen.runbook.context import PRIMARY_ROOT, RECOVERY_ROOT, RunbookContext, standby_capacity
from drgen.runbook.model import Command, Join, Phase, Procedure, Step, Var
from drgen.spec.model import DataStore


def failback_procedure(c: RunbookContext) -> Procedure:
    steps = [_confirm(c), _resync(c)]
    if c.routed:
        steps.append(_compute(c))
        if not c.automatic:
            steps.append(_fence_recovery(c))
    switch = _switch(c)
    if switch is not None:
        steps.append(switch)
    if c.routed:
        steps.append(_open_primary(c))
    standby = _standby(c)
    if standby is not None:
        steps.append(standby)
    return Procedure(
        name="failback",
        summary=f"{c.primary} is healthy again: move {c.ids.workload} back from {c.recovery}",
        steps=tuple(steps),
        avoid_region=None,
    )


def _confirm(c: RunbookContext) -> Step:
    commands: list[Command] = [account_id(c.primary)]
    if c.routed:
        commands += check_endpoint(c, c.primary)
    return Step(
        Phase.CONFIRM,
        f"Confirm {c.primary} is healthy",
        f"Its endpoints answer again; the service keeps running in {c.recovery} meanwhile.",
        tuple(commands),
        ("operator-checks",),
    )


def _resync(c: RunbookContext) -> Step:
    commands: list[Command] = []
    if not c.live:
        for store in c.spec.data:
            if store.type is not StoreType.S3:
                commands += _copy_back(c, store)
    for store in c.stores(StoreType.AURORA) if c.live else ():
        commands.append(databases.aurora_cluster_arn(c, store, c.primary))
        member = Var(shell_name(store.name, "primary", "cluster"))
        commands.append(
            expect(
                "False",
                aws(
                    c.recovery, "rds describe-global-clusters",
                    "--global-cluster-identifier", c.ids.aurora_global_cluster(store.name),
                    "--query",
                    Join(("GlobalClusters[0].GlobalClusterMembers[?DBClusterArn=='", member,
                          "'].IsWriter | [0]")),
                    "--output", "text",
                ),
            )
        )  # fmt: skip
    for store in c.stores(StoreType.RDS) if c.live else ():
        commands += databases.rds_replace_stale_primary(c, store)
    for store in c.stores(StoreType.DYNAMODB) if c.live else ():
        commands.append(
            expect(
                "ACTIVE",
                aws(
                    c.primary, "dynamodb describe-table",
                    "--table-name", c.ids.dynamodb_table(store.name),
                    *text_query("Table.TableStatus"),
                ),
            )
        )  # fmt: skip
    for store in c.stores(StoreType.S3) if c.waits_s3 else ():
        commands.append(
            aws(
                c.primary, "s3 sync",
                Join(("s3://", *bucket(c, store.name, c.recovery).parts)),
                Join(("s3://", *bucket(c, store.name, c.primary).parts)),
                "--source-region", c.recovery,
            )
        )  # fmt: skip
    return Step(
        Phase.RESYNC,
        f"Copy the data written in {c.recovery} back to {c.primary}",
        _resync_why(c),
        tuple(commands),
        ("backup-copy",) if not c.live else ("rds-replica-create",),
    )


def _resync_why(c: RunbookContext) -> str:
    if not c.live:
        return (
            f"Each restored store is backed up in {c.recovery} and the recovery point copied to "
            f"{c.ids.backup_vault('primary')}; writes made after the backup stay behind, so stop "
            "the application's writes before this step."
        )
    clauses = {
        StoreType.AURORA: "Aurora adds the old primary cluster back as a secondary once its "
        "region recovers",
        StoreType.RDS: "the stale RDS primary (writable, without the outage's writes) is kept "
        "as a snapshot and replaced by a read replica of the promoted instance",
        StoreType.DYNAMODB: "DynamoDB global tables resynchronise by themselves",
        StoreType.S3: "objects written to the replica buckets are synced back"
        if c.waits_s3
        else "S3 replicates both ways already",
    }
    kinds = [kind for kind in clauses if c.stores(kind)]
    if not kinds:
        return "No data store to copy back."
    return "; ".join(clauses[kind] for kind in kinds).capitalize() + "."


def _copy_back(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """Back up the restored store in the recovery region and copy the point to the primary."""
    job, point, copy = (shell_name(store.name, part) for part in ("backup_job", "point", "copy"))
    return (
        aws(
            c.recovery, "backup start-backup-job",
            "--backup-vault-name", c.ids.backup_vault("recovery"),
            "--resource-arn", restore.source_arn(c, store, c.recovery),
            "--iam-role-arn", role_arn(c, "backup"), *text_query("BackupJobId"), capture=job,
        ),
        expect("COMPLETED", aws(c.recovery, "backup describe-backup-job", "--backup-job-id",
                                Var(job), *text_query("State"))),
        aws(c.recovery, "backup describe-backup-job", "--backup-job-id", Var(job),
            *text_query("RecoveryPointArn"), capture=point),
        aws(
            c.recovery, "backup start-copy-job", "--recovery-point-arn", Var(point),
            "--source-backup-vault-name", c.ids.backup_vault("recovery"),
            "--destination-backup-vault-arn",
            arn(c, "backup", c.primary, f"backup-vault:{c.ids.backup_vault('primary')}"),
            "--iam-role-arn", role_arn(c, "backup"), *text_query("CopyJobId"), capture=copy,
        ),
        expect("COMPLETED", aws(c.recovery, "backup describe-copy-job", "--copy-job-id",
                                Var(copy), *text_query("CopyJob.State"))),
    )  # fmt: skip


def _compute(c: RunbookContext) -> Step:
    compute = c.spec.compute
    assert compute is not None
    return Step(
        Phase.COMPUTE,
        f"Bring compute in {c.primary} to full capacity",
        "The primary group carries the whole load again once its gate opens.",
        (scale(c, c.primary, compute.min, compute.max), *wait_in_service(c, c.primary)),
        ("asg-launch-from-zero",),
    )


def _fence_recovery(c: RunbookContext) -> Step:
    return Step(
        Phase.FENCE,
        f"Pause writes: close {c.recovery}'s gate",
        f"From here until {c.primary}'s gate opens, Route 53 answers with {c.primary}, whose "
        "databases are still read-only: writes fail for the minutes of the switch instead of "
        "landing in two regions.",
        set_gate(c, c.recovery, allowed=False),
        ("gate-alarm-change",),
    )


def _switch(c: RunbookContext) -> Step | None:
    commands: list[Command] = []
    if not c.live:
        databases_ = [s for s in c.spec.data if s.type is not StoreType.S3]
        if not databases_:
            return None
        if any(s.type is not StoreType.DYNAMODB for s in databases_):
            commands += [
                terraform_output(PRIMARY_ROOT, "db_subnet_group_name", restore.SUBNET_GROUP),
                terraform_output(PRIMARY_ROOT, "db_security_group_id", restore.SECURITY_GROUP),
            ]
        for store in databases_:
            commands += _set_aside_stale(c, store)
            commands += restore.restore(c, store, c.recovery, c.primary)
    else:
        for store in c.stores(StoreType.AURORA):
            commands += databases.aurora_switchover(c, store)
            commands.append(databases.aurora_writer_is(c, store, c.primary))
        for store in c.stores(StoreType.RDS):
            commands += databases.rds_promote(c, store, c.primary)
    if not commands:
        return None
    return Step(
        Phase.PROMOTE,
        f"Make {c.primary}'s databases the writers",
        "Aurora switches over without data loss (it waits for the secondary to catch up); "
        f"RDS replicas in {c.primary} are promoted once writes are paused."
        if c.live
        else "The stale copies are set aside (renamed, or kept as an on-demand backup) and the "
        "copied recovery points restored under the original names.",
        tuple(commands),
        ("aurora-global-failover", "rds-replica-promotion") if c.live else ("restore-from-backup",),
    )


def _set_aside_stale(c: RunbookContext, store: DataStore) -> tuple[Command, ...]:
    """Backup-restore: keep the stale primary-region copy under another name (RDS, Aurora) or
    as an on-demand backup (DynamoDB) so the restore can take the original name."""
    if store.type is StoreType.RDS:
        name = c.ids.rds_instance(store.name, "primary")
        return (
            aws(c.primary, "rds modify-db-instance", "--db-instance-identifier", name,
                "--new-db-instance-identifier", f"{name}-stale", "--apply-immediately"),
            aws(c.primary, "rds wait db-instance-available", "--db-instance-identifier",
                f"{name}-stale"),
        )  # fmt: skip
    if store.type is StoreType.AURORA:
        name = c.ids.aurora_cluster(store.name, "primary")
        return (
            aws(c.primary, "rds modify-db-cluster", "--db-cluster-identifier", name,
                "--new-db-cluster-identifier", f"{name}-stale", "--apply-immediately"),
            aws(c.primary, "rds wait db-cluster-available", "--db-cluster-identifier",
                f"{name}-stale"),
        )  # fmt: skip
    table = c.ids.dynamodb_table(store.name)
    return (
        aws(c.primary, "dynamodb create-backup", "--table-name", table,
            "--backup-name", f"{table}-stale"),
        aws(c.primary, "dynamodb update-table", "--table-name", table,
            "--no-deletion-protection-enabled"),
        aws(c.primary, "dynamodb delete-table", "--table-name", table),
        aws(c.primary, "dynamodb wait table-not-exists", "--table-name", table),
    )  # fmt: skip


def _open_primary(c: RunbookContext) -> Step:
    return Step(
        Phase.TRAFFIC,
        f"Shift traffic back to {c.primary}",
        "Its health check passes again once the gate opens; Route 53 answers with the primary.",
        (*set_gate(c, c.primary, allowed=True), check_service(c)),
        ("route53-gate-failover",),
    )


def _standby(c: RunbookContext) -> Step | None:
    commands: list[Command] = []
    for store in c.stores(StoreType.RDS) if c.live else ():
        instance = c.ids.rds_instance(store.name, "recovery")
        commands += [
            aws(c.recovery, "rds modify-db-instance", "--db-instance-identifier", instance,
                "--no-deletion-protection", "--apply-immediately"),
            aws(c.recovery, "rds delete-db-instance", "--db-instance-identifier", instance,
                "--final-db-snapshot-identifier", f"{instance}-after-failback"),
            aws(c.recovery, "rds wait db-instance-deleted", "--db-instance-identifier", instance),
        ]  # fmt: skip
    for store in databases.headless(c):
        commands += databases.aurora_remove_added_instance(c, store)
    if c.routed and c.pattern is not Pattern.ACTIVE_ACTIVE:
        low, high = standby_capacity(c.spec)
        commands.append(scale(c, c.recovery, low, high))
    if commands and c.stores(StoreType.RDS) and c.live:
        commands.append(Command(("terraform", f"-chdir={RECOVERY_ROOT}", "apply")))
    if not commands:
        return None
    return Step(
        Phase.STANDBY,
        f"Return {c.recovery} to standby",
        _standby_why(c),
        tuple(commands),
        ("rds-replica-create",) if c.stores(StoreType.RDS) and c.live else ("warm-scale-out",),
    )


def _standby_why(c: RunbookContext) -> str:
    parts = []
    if c.stores(StoreType.RDS) and c.live:
        parts.append(
            "The promoted RDS instance is kept as a snapshot and re-created by Terraform as a "
            f"read replica of {c.primary}'s"
        )
    if databases.headless(c):
        parts.append("the Aurora instance the failover added goes, leaving its cluster headless")
    if c.routed and c.pattern is not Pattern.ACTIVE_ACTIVE:
        parts.append("the recovery group goes back to its standby size")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
