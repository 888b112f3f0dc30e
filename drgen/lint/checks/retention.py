"""DR038: recovery points kept fewer days than the retention floor.

A delete, a corruption or ransomware found after the last recovery point from before it has
expired cannot be undone. The floor (``retention_floor_days``, ``--retention-floor``, 7 days by
default) is compared with the retention of the recovery points a recovery restores:

- AWS Backup: each ``copy_action``'s ``lifecycle.delete_after`` (a copy without a lifecycle
  keeps the rule's), and the rule's own ``lifecycle.delete_after`` unless the rule copies to a
  vault in another region (then the copy is what a recovery restores, and it is judged);
- RDS, Aurora, DocumentDB and Neptune ``backup_retention_period`` (unset: 1 day, AWS's API
  default) of a database whose automated backups are its data's only recovery points: no read
  replica or secondary cluster, and nothing copies it to another region (a replica, another
  global database member, replicated automated backups, an AWS Backup copy: the copy that holds
  recovery points is judged instead). Live replicas' own backup depth is not judged: they serve
  by promotion, and 0 is DR015's (and DR008's on a source);
- ``aws_db_instance_automated_backups_replication.retention_period`` (unset: 7 days);
- DynamoDB ``point_in_time_recovery.recovery_period_in_days`` (unset: 35 days) of a table with
  point-in-time recovery on (Terraform lock tables hold no DR data).
- Data Lifecycle Manager schedules and their cross-region copies
  (drgen/lint/checks/snapshot_retention.py).

Decided only when the days and every fact that says whether they are judged are known.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup, vault_region
from drgen.lint.checks.backup_plans import copies_elsewhere
from drgen.lint.checks.days import Days, Unread, day_count, read_days
from drgen.lint.checks.dynamic_blocks import first, nested, optional_nested
from drgen.lint.checks.dynamodb import TABLE, pitr_enabled
from drgen.lint.checks.facts import is_set, other_region, targets, text, value_at, value_line
from drgen.lint.checks.global_databases import GLOBAL_OF, copy_elsewhere, global_of
from drgen.lint.checks.rds import CLUSTER, INSTANCE, copies_of, is_read_replica, is_secondary
from drgen.lint.checks.roles import LOCK, role
from drgen.lint.checks.snapshot_retention import snapshot_violations
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root

PLAN = "aws_backup_plan"
REPLICATION = "aws_db_instance_automated_backups_replication"
API_DEFAULT_BACKUP_DAYS = 1  # CreateDBInstance / CreateDBCluster without BackupRetentionPeriod
REPLICATION_DEFAULT_DAYS = 7  # StartDBInstanceAutomatedBackupsReplication's default
PITR_DEFAULT_DAYS = 35  # DynamoDB point-in-time recovery without recovery_period_in_days


def check_retention_floor(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    floor = ctx.retention_floor_days
    yield from _backup_plans(root, floor)
    yield from _databases(root, floor)
    yield from _replications(root, floor)
    yield from _tables(root, floor)
    yield from snapshot_violations(root, floor)


def _backup_plans(root: Root, floor: int) -> Iterator[Violation]:
    for plan in root.of_type(PLAN):
        for position, rule in enumerate(nested(plan.values, "rule"), start=1):
            name = text(rule.get("rule_name"))
            label = repr(name) if name else f"#{position}"
            where = f"{plan.address}, rule {label}"
            lifecycle = first(rule, "lifecycle")
            own = read_days(lifecycle.get("delete_after")) if lifecycle else None
            maybe = optional_nested(rule, "copy_action")
            for index, copy in enumerate(nested(rule, "copy_action"), start=1):
                yield from _copy(root, plan, rule, copy, own, floor, where, index, maybe)
            if own is None or (isinstance(own, int) and own >= floor) or own is Unread.INVALID:
                continue
            elsewhere = copies_elsewhere(root, plan, rule)
            if elsewhere:
                continue  # its copy in another region is what a recovery restores: judged above
            if elsewhere is None or own is Unread.UNKNOWN:
                unknown = (
                    "its delete_after"
                    if own is Unread.UNKNOWN
                    else "whether it copies to another region (then its copies are judged instead)"
                )
                yield Violation(
                    plan,
                    f"{where}: cannot tell {unknown}",
                    line=rule.line,
                    unresolved=True,
                    kind=f"undecided-rule:{name or position}",
                )
                continue
            assert isinstance(own, int) and lifecycle is not None
            yield Violation(
                plan,
                f"{where} keeps its recovery points {day_count(own)} (delete_after = {own}), below "
                f"the retention floor of {day_count(floor)}, and copies none to another region: a "
                f"delete, corruption or ransomware noticed later has no recovery point left. Set "
                f"delete_after to at least {floor}.",
                line=lifecycle.line_of("delete_after"),
                kind=f"rule-below-floor:{name or position}",
            )


def _copy(
    root: Root,
    plan: Resource,
    rule: Block,
    copy: Block,
    own: Days,
    floor: int,
    where: str,
    index: int,
    maybe: list[Block],
) -> Iterator[Violation]:
    """A copy keeps its own lifecycle's delete_after, else the rule's (AWS Backup applies the
    source recovery point's lifecycle to a copy whose copy_action has none)."""
    lifecycle = first(copy, "lifecycle")
    kept = read_days(lifecycle.get("delete_after")) if lifecycle else own
    if kept is None or kept is Unread.INVALID or (isinstance(kept, int) and kept >= floor):
        return
    name = text(rule.get("rule_name")) or str(index)
    if kept is Unread.UNKNOWN or any(copy is m for m in maybe):
        unknown = (
            "how long its copy_action keeps the copies"
            if kept is Unread.UNKNOWN
            else "whether its copy_action exists"
        )
        yield Violation(
            plan,
            f"{where}: cannot tell {unknown}",
            line=copy.line,
            unresolved=True,
            kind=f"undecided-copy:{name}:{index}",
        )
        return
    assert isinstance(kept, int)
    if lifecycle is not None:
        how, line = f"delete_after = {kept}", lifecycle.line_of("delete_after")
    else:
        how, line = f"no lifecycle of its own: the rule's delete_after = {kept}", copy.line
    yield Violation(
        plan,
        f"{where}: its copy_action to {_destination(root, plan, copy)} keeps the copies "
        f"{day_count(kept)} ({how}), below the retention floor of {day_count(floor)}: a delete, "
        "corruption or ransomware noticed later has no copy left to restore. Set the copy_action's "
        f"lifecycle delete_after to at least {floor}.",
        line=line,
        kind=f"copy-below-floor:{name}:{index}",
    )


def _databases(root: Root, floor: int) -> Iterator[Violation]:
    for database in root.of_type(INSTANCE, CLUSTER, *GLOBAL_OF):
        value = database.values.get("backup_retention_period")
        kept = API_DEFAULT_BACKUP_DAYS if value is None else read_days(value)
        if kept is Unread.INVALID or (isinstance(kept, int) and (kept == 0 or kept >= floor)):
            continue  # 0 is automated backups off: DR008 / DR015
        only = _only_recovery_points(root, database)
        if only is False:
            continue
        if only is None or kept is Unread.UNKNOWN:
            unknown = (
                "whether it is a replica or has a copy in another region"
                if only is None
                else "its backup_retention_period"
            )
            yield Violation(
                database,
                f"{database.address}: cannot tell {unknown} (retention floor {day_count(floor)})",
                unresolved=True,
                kind="undecided-backup-retention",
            )
            continue
        assert isinstance(kept, int)
        how = (
            f"backup_retention_period = {kept}"
            if value is not None
            else f"backup_retention_period unset, which AWS takes as {day_count(kept)}"
        )
        yield Violation(
            database,
            f"{database.address} keeps automated backups {day_count(kept)} ({how}), below the "
            f"retention floor of {day_count(floor)}, and they are its data's only recovery points "
            "(it is no replica and nothing copies it to another region): a delete, corruption or "
            "ransomware "
            f"noticed later cannot be restored. Set backup_retention_period to at least {floor} "
            "(at most 35).",
            line=database.values.line_of("backup_retention_period"),
            kind="backups-below-floor",
        )


def _only_recovery_points(root: Root, database: Resource) -> bool | None:
    """Whether the database's automated backups are its data's only recovery points: it is no
    read replica or secondary cluster and no copy in another region carries its data (a
    replica, another global database member, replicated automated backups, an AWS Backup
    copy). None: cannot tell."""
    if database.type in GLOBAL_OF:
        secondary = _document_graph_secondary(root, database)
        elsewhere = copy_elsewhere(root, database)
    else:
        secondary = is_read_replica(database, root)
        if secondary is False and database.type == CLUSTER:
            secondary = is_secondary(root, database)
        answers = {other_region(database.region, c.region) for c in copies_of(root, database)}
        answers.add(has_cross_region_backup(root, database))
        elsewhere = True if True in answers else None if None in answers else False
    if secondary or elsewhere:
        return False
    return None if secondary is None or elsewhere is None else True


def _document_graph_secondary(root: Root, cluster: Resource) -> bool | None:
    """A DocumentDB or Neptune cluster joining a global cluster it is not the source of.

    The source is the global cluster's ``source_db_cluster_identifier``, else the member that
    sets master credentials (secondaries cannot).
    """
    joined = global_of(root, cluster)
    if joined == []:
        return False
    for global_cluster in joined or ():
        source = global_cluster.values.get("source_db_cluster_identifier")
        sources = targets(root, global_cluster, source, cluster.type)
        if sources:
            return all(s is not cluster for s in sources)
    answers = {is_set(cluster.values, a) for a in ("master_username", "snapshot_identifier")}
    if True in answers:
        return False
    return None if None in answers or joined is None else True


def _replications(root: Root, floor: int) -> Iterator[Violation]:
    for replication in root.of_type(REPLICATION):
        value = replication.values.get("retention_period")
        kept = read_days(value)
        if kept is None:
            kept = REPLICATION_DEFAULT_DAYS
        if kept is Unread.INVALID or (isinstance(kept, int) and kept >= floor):
            continue
        if kept is Unread.UNKNOWN:
            yield Violation(
                replication,
                f"{replication.address}: cannot tell its retention_period (retention floor "
                f"{day_count(floor)})",
                unresolved=True,
                kind="undecided-replication-retention",
            )
            continue
        assert isinstance(kept, int)
        how = f"retention_period = {kept}" if value is not None else "retention_period unset"
        yield Violation(
            replication,
            f"{replication.address} keeps the replicated automated backups {day_count(kept)} "
            f"({how}), below the retention floor of {day_count(floor)}: restored in the other "
            f"region, a delete, corruption or ransomware noticed later cannot be undone. Set "
            f"retention_period to at least {floor} (at most 35).",
            line=replication.values.line_of("retention_period"),
            kind="replication-below-floor",
        )


def _tables(root: Root, floor: int) -> Iterator[Violation]:
    for table in root.of_type(TABLE):
        if role(root, table) == LOCK:
            continue  # a Terraform lock table is recreated empty: no DR data
        enabled = pitr_enabled(table)
        if enabled is False:
            continue  # no point-in-time recovery at all: DR004
        path = "point_in_time_recovery.recovery_period_in_days"
        value = value_at(table.values, path)
        kept = PITR_DEFAULT_DAYS if value is None else read_days(value)
        if kept is Unread.INVALID or (isinstance(kept, int) and kept >= floor):
            continue
        if kept is Unread.UNKNOWN or enabled is None:
            unknown = (
                "its recovery_period_in_days"
                if enabled
                else "whether it has point-in-time recovery"
            )
            yield Violation(
                table,
                f"{table.address}: cannot tell {unknown} (retention floor {day_count(floor)})",
                unresolved=True,
                kind="undecided-pitr-period",
            )
            continue
        assert isinstance(kept, int)
        yield Violation(
            table,
            f"{table.address} keeps point-in-time recovery {day_count(kept)} "
            f"(recovery_period_in_days = {kept}), below the retention floor of "
            f"{day_count(floor)}: a delete or corruption noticed later cannot be undone. Set "
            f"recovery_period_in_days to at least {floor} (at most 35) or remove it (35).",
            line=value_line(table.values, path),
            kind="pitr-below-floor",
        )


def _destination(root: Root, plan: Resource, copy: Block) -> str:
    """The destination vault: its literal ARN, else the vault resource, with its region."""
    destination = copy.get("destination_vault_arn")
    vaults = targets(root, plan, destination, "aws_backup_vault")
    name = text(destination) or (vaults[0].address if vaults else "its destination vault")
    region = vault_region(root, plan, copy)
    return f"{name} ({region})" if region and region not in name else name
