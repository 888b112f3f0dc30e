"""DR008: recovery points that cannot serve a recovery.

Automated backups switched off, a database that ``terraform destroy`` deletes without a final
snapshot, and a global table whose replicas cannot be restored to a point in time.

A missing final snapshot matters only when the destroyed database holds the last copy of its
data. A cross-region read replica (RDS promotes it when its source is deleted) or another member
of its Aurora global database in another region outlives the destroy, so it is not reported.
Replicated automated backups do not count: they expire with their retention period, which is
why AWS recommends a final snapshot even with them.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import optional_nested
from drgen.lint.checks.dynamodb import TABLE, pitr_enabled, replicas
from drgen.lint.checks.facts import other_region, pointing_at, text, truth
from drgen.lint.checks.rds import CLUSTER, INSTANCE, copies_of, is_read_replica
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root


def check_recovery_points(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for database in root.of_type(INSTANCE, CLUSTER):
        body = database.values
        retention = body.get("backup_retention_period")
        replica = is_read_replica(database, root)
        if retention == 0 and replica is None:
            yield Violation(
                database,
                f"{database.address}: cannot tell whether it is a read replica",
                unresolved=True,
                kind="undecided-replica",
            )
        elif retention == 0 and replica is False:
            yield Violation(
                database,
                f"{database.address} has automated backups off (backup_retention_period = 0), "
                "so it has no recovery point: set backup_retention_period to at least 1 day.",
                line=body.line_of("backup_retention_period"),
                kind="automated-backups-off",
            )
        skip_snapshot = truth(body.get("skip_final_snapshot"))
        protected = truth(body.get("deletion_protection"))
        # a read replica holds no data of its own, and RDS requires skipping its final snapshot
        if not skip_snapshot or protected is True or replica is True:
            continue
        live = _live_copy_elsewhere(root, database)
        if live is True:
            continue
        if protected is False and replica is False and live is False:
            yield Violation(
                database,
                f"{database.address} has deletion_protection off and skip_final_snapshot = true, "
                "so one destroy deletes it with no final snapshot: set deletion_protection = true "
                "or skip_final_snapshot = false with a final_snapshot_identifier.",
                line=body.line_of("skip_final_snapshot"),
                kind="no-final-snapshot",
            )
        else:
            if protected is None:
                unknown = "deletion protection is on"
            elif replica is None:
                unknown = "it is a read replica"
            else:
                unknown = "a copy in another region outlives its destroy"
            yield Violation(
                database,
                f"{database.address}: cannot tell whether {unknown}",
                unresolved=True,
                kind="undecided-final-snapshot",
            )
    for table in root.of_type(TABLE):
        if not pitr_enabled(table):
            continue
        found = replicas(root, table)
        maybe = optional_nested(table.values, "replica")
        for block in found.blocks:
            replica_pitr = truth(block.get("point_in_time_recovery"))
            if replica_pitr is False and any(block is m for m in maybe):
                yield Violation(
                    table,
                    f"{table.address}: cannot tell whether it has replicas without "
                    "point-in-time recovery",
                    unresolved=True,
                    kind="undecided-replica-pitr",
                )
            elif replica_pitr is False:
                yield Violation(
                    table,
                    f"{table.address} has point-in-time recovery but its replica in "
                    f"{text(block.get('region_name')) or 'another region'} does not, so a "
                    "failover loses it: set "
                    "point_in_time_recovery = true in the replica block.",
                    line=block.line,
                    kind=f"replica-without-pitr:{text(block.get('region_name')) or 'unknown'}",
                )
        for copy in found.resources:
            if (
                copy.type == "aws_dynamodb_table_replica"
                and truth(copy.values.get("point_in_time_recovery")) is False
            ):
                yield Violation(
                    copy,
                    f"{copy.address} replicates {table.address}, which has point-in-time "
                    "recovery, but does not have it itself: set point_in_time_recovery = true.",
                    kind="replica-without-pitr",
                )


def _live_copy_elsewhere(root: Root, database: Resource) -> bool | None:
    """Whether a live copy of ``database`` in another region survives its destroy."""
    if database.type == INSTANCE:
        live = pointing_at(root, database, (INSTANCE,), "replicate_source_db")
    else:
        live = copies_of(root, database)
    answers = {other_region(database.region, copy.region) for copy in live}
    if True in answers:
        return True
    return None if None in answers else False
