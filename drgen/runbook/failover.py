"""The failover procedure when the primary region is lost: every call goes to the recovery
region, and the only Terraform state read is one kept there."""

from __future__ import annotations

from drgen.domain import Pattern, StoreType
from drgen.runbook import databases, restore
from drgen.runbook.commands import (
    account_id,
    aws,
    bucket,
    check_endpoint,
    check_service,
    expect,
    scale,
    set_gate,
    terraform_output,
    text_query,
    wait_in_service,
)
from drgen.runbook.context import RECOVERY_ROOT, RunbookContext
from drgen.runbook.model import Command, Phase, Procedure, Step
from drgen.spec.model import DataStore

_COMPUTE_FIGURE = {
    Pattern.PILOT_LIGHT: "asg-launch-from-zero",
    Pattern.WARM_STANDBY: "warm-scale-out",
    Pattern.ACTIVE_ACTIVE: "active-capacity",
}


def failover_procedure(c: RunbookContext) -> Procedure:
    steps = [_confirm(c)]
    if c.routed:
        steps.append(_fence(c))
    heads = _add_instances(c)
    if heads is not None:
        steps.append(heads)
    promote = _promote(c)
    if promote is not None:
        steps.append(promote)
    if c.routed:
        steps.append(_compute(c))
    elif c.spec.compute is not None:
        steps.append(_deploy(c))
    steps.append(_verify(c))
    if c.routed:
        steps.append(_shift(c))
    return Procedure(
        name="failover",
        summary=f"{c.primary} is lost: serve {c.ids.workload} from {c.recovery}",
        steps=tuple(steps),
        avoid_region=c.primary,
    )


def _confirm(c: RunbookContext) -> Step:
    commands: list[Command] = [account_id(c.recovery)]
    if c.routed:
        commands.insert(0, check_service(c))
    for store in c.stores(StoreType.AURORA) if c.live else ():
        commands.append(
            aws(
                c.recovery, "rds describe-global-clusters",
                "--global-cluster-identifier", c.ids.aurora_global_cluster(store.name),
                *text_query("GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter]"),
            )
        )  # fmt: skip
    for store in c.stores(StoreType.RDS) if c.live else ():
        instance = c.ids.rds_instance(store.name, "recovery")
        commands.append(
            aws(
                c.recovery, "rds describe-db-instances", "--db-instance-identifier", instance,
                *text_query("DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]"),
            )
        )  # fmt: skip
    return Step(
        Phase.CONFIRM,
        "Confirm the outage and that the recovery region is ready",
        (f"The service name should not answer from {c.primary}; the" if c.routed else "The")
        + f" account and the recovery copies are checked through {c.recovery}'s endpoints only.",
        tuple(commands),
        ("operator-checks",),
        on_critical_path=not c.automatic,
    )


def _fence(c: RunbookContext) -> Step:
    return Step(
        Phase.FENCE,
        f"Fence {c.primary}: close its traffic gate",
        f"Route 53 must not send traffic back to {c.primary} when it returns: its data would be "
        "stale and its databases no longer the writers. The gate stays closed until failback.",
        set_gate(c, c.primary, allowed=False),
        ("gate-alarm-change",),
        on_critical_path=not c.automatic,
    )


def _add_instances(c: RunbookContext) -> Step | None:
    """A headless Aurora secondary has storage but no instance to promote to writer: create
    one per cluster, then wait for all of them, before the global database fails over."""
    stores = databases.headless(c)
    if not stores:
        return None
    commands: list[Command] = []
    for store in stores:
        commands += databases.aurora_add_instance(c, store)
    commands += [databases.aurora_instance_available(c, store) for store in stores]
    return Step(
        Phase.PROMOTE,
        f"Give each headless Aurora secondary in {c.recovery} a DB instance",
        "Pilot light keeps the Aurora secondary clusters headless (storage replicates, no "
        "instance is billed); a failover promotes an instance to writer, so each cluster gets "
        "one first, of the class 4-recovery declares. Terraform never manages it.",
        tuple(commands),
        ("aurora-instance-create",),
    )


def _promote(c: RunbookContext) -> Step | None:
    waiting = [s for s in c.spec.data if c.waits_for_promotion(s) and s.type is not StoreType.S3]
    if not waiting:
        return None
    if not c.live:
        return _restore(c, waiting)
    commands: list[Command] = []
    figures: list[str] = []
    for store in waiting:
        if store.type is StoreType.AURORA:
            commands += databases.aurora_failover(c, store)
            figures.append("aurora-global-failover")
        else:
            commands += databases.rds_promote(c, store, c.recovery)
            figures.append("rds-replica-promotion")
    for store in c.stores(StoreType.AURORA):
        commands.append(databases.aurora_writer_is(c, store, c.recovery))
    return Step(
        Phase.PROMOTE,
        f"Promote the databases in {c.recovery}",
        "Make the recovery copies writable before any traffic reaches them; writes not yet "
        "replicated from the lost region are lost (see the RPO).",
        tuple(commands),
        tuple(dict.fromkeys(figures)),
    )


def _restore(c: RunbookContext, stores: list[DataStore]) -> Step:
    commands: list[Command] = []
    if any(s.type in (StoreType.RDS, StoreType.AURORA) for s in stores):
        commands += [
            terraform_output(RECOVERY_ROOT, "restore_db_subnet_group_name", restore.SUBNET_GROUP),
            terraform_output(RECOVERY_ROOT, "restore_db_security_group_id", restore.SECURITY_GROUP),
        ]
    for store in stores:
        commands += restore.restore(c, store, c.primary, c.recovery)
    return Step(
        Phase.PROMOTE,
        f"Restore the stores in {c.recovery} from their newest backup copies",
        f"Backup-restore keeps no live copy: each store comes back from the newest recovery "
        f"point copied to {c.ids.backup_vault('recovery')}, into the staged subnet group.",
        tuple(commands),
        ("restore-from-backup",),
    )


def _compute(c: RunbookContext) -> Step:
    compute = c.spec.compute
    assert compute is not None
    commands: list[Command] = []
    if c.pattern is not Pattern.ACTIVE_ACTIVE:
        commands.append(scale(c, c.recovery, compute.min, compute.max))
    commands += wait_in_service(c, c.recovery)
    return Step(
        Phase.COMPUTE,
        f"Bring compute in {c.recovery} to full capacity",
        "The recovery group must carry the whole load before Route 53 sends it; later applies "
        "keep this capacity (the group ignores desired capacity and min size changes).",
        tuple(commands),
        (_COMPUTE_FIGURE[c.pattern],),
        on_critical_path=c.pattern is not Pattern.ACTIVE_ACTIVE or not c.automatic,
    )


def _deploy(c: RunbookContext) -> Step:
    return Step(
        Phase.COMPUTE,
        f"Deploy the application in {c.recovery}",
        "Backup-restore renders no compute: deploy the application stack in the recovery "
        "region with your own pipeline, pointed at the restored stores, and launch it.",
        (),
        ("redeploy-stack", "asg-launch-from-zero"),
        figures_in_sequence=True,
    )


def _verify(c: RunbookContext) -> Step:
    commands: list[Command] = []
    if c.routed:
        commands += check_endpoint(c, c.recovery)
    commands.extend(
        expect(
            "ACTIVE",
            aws(
                c.recovery, "dynamodb describe-table",
                "--table-name", c.ids.dynamodb_table(store.name), *text_query("Table.TableStatus"),
            ),
        )
        for store in c.stores(StoreType.DYNAMODB)
    )  # fmt: skip
    for store in c.stores(StoreType.S3):
        commands.append(
            aws(c.recovery, "s3api head-bucket", "--bucket", bucket(c, store.name, c.recovery))
        )
    if c.live and c.stores(StoreType.AURORA, StoreType.RDS):
        commands.append(databases.credential_replica(c))
    return Step(
        Phase.VERIFY,
        f"Verify {c.recovery} serves with its own data",
        _verify_why(c),
        tuple(commands),
        ("verify-endpoint",),
        on_critical_path=not c.automatic,
    )


def _verify_why(c: RunbookContext) -> str:
    if not c.spec.data:
        return "Check the service before users reach it."
    targets = ", ".join(_store_target(c, s.name, s.type) for s in c.spec.data)
    why = f"The application in {c.recovery} must use the recovery copies: {targets}."
    if c.live and c.stores(StoreType.AURORA, StoreType.RDS):
        why += " " + databases.credential_hint(c)
    return why


def _store_target(c: RunbookContext, name: str, kind: StoreType) -> str:
    if kind is StoreType.S3:
        return f"bucket {c.ids.bucket_stem(name, 'recovery')}-<account id>"
    if kind is StoreType.DYNAMODB:
        return f"table {c.ids.dynamodb_table(name)} in {c.recovery}"
    if kind is StoreType.AURORA:
        return f"cluster {c.ids.aurora_cluster(name, 'recovery')}"
    return f"instance {c.ids.rds_instance(name, 'recovery')}"


def _shift(c: RunbookContext) -> Step:
    commands = () if c.automatic else set_gate(c, c.recovery, allowed=True)
    return Step(
        Phase.TRAFFIC,
        f"Shift traffic to {c.recovery}" if not c.automatic else "Check that traffic moved",
        "Opening the recovery gate makes its health check pass; Route 53 answers with the "
        "recovery load balancer once resolvers' cached answers expire (the record TTL)."
        if not c.automatic
        else "Route 53 moved traffic on the primary's failed health check.",
        (*commands, check_service(c)),
        ("route53-gate-failover",) if not c.automatic else ("verify-endpoint",),
        on_critical_path=not c.automatic,
    )
