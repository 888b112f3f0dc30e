"""DynamoDB: tables with no cross-region recovery, or without point-in-time recovery (DR004)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drgen.domain import Severity
from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import pointing_at, targets, text, truth, value_at
from drgen.lint.checks.roles import LOCK, role
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root

TABLE = "aws_dynamodb_table"


@dataclass(frozen=True)
class Replicas:
    """Where a table's replicas live: ``replica`` blocks, ``aws_dynamodb_table_replica``
    resources and legacy ``aws_dynamodb_global_table`` memberships."""

    regions: frozenset[str]
    unknown: bool  # some replica's region is an expression drgen cannot evaluate
    blocks: tuple[Block, ...]  # the table's own replica blocks
    resources: tuple[Resource, ...]  # aws_dynamodb_table_replica / aws_dynamodb_global_table

    def elsewhere(self, region: str | None) -> bool | None:
        """Whether some replica is in a region other than ``region``."""
        if region is not None and self.regions - {region}:
            return True
        if region is None and (self.regions or self.unknown):
            return None
        return None if self.unknown else False


def replicas(root: Root, table: Resource) -> Replicas:
    regions: set[str] = set()
    unknown = False
    blocks = tuple(nested(table.values, "replica"))
    for block in blocks:
        region = text(block.get("region_name"))
        unknown = unknown or region is None
        regions |= {region} if region else set()
    resources = pointing_at(root, table, ("aws_dynamodb_table_replica",), "global_table_arn")
    for replica in resources:
        unknown = unknown or replica.region is None
        regions |= {replica.region} if replica.region else set()
    for global_table in root.of_type("aws_dynamodb_global_table"):
        members = targets(root, global_table, global_table.values.get("name"), TABLE)
        if not any(member is table for member in members):
            continue
        resources.append(global_table)
        for block in nested(global_table.values, "replica"):
            region = text(block.get("region_name"))
            unknown = unknown or region is None
            regions |= {region} if region else set()
    return Replicas(frozenset(regions), unknown, blocks, tuple(resources))


def pitr_enabled(table: Resource) -> bool | None:
    return truth(value_at(table.values, "point_in_time_recovery.enabled"))


def check_table_recovery(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR004: no replica or backup copy in another region (high); only PITR missing (medium)."""
    for table in root.of_type(TABLE):
        if role(root, table) == LOCK:
            continue  # a Terraform lock table is recreated empty: no DR data
        where = f"{table.address} ({table.region or 'region unknown'})"
        answers = {
            replicas(root, table).elsewhere(table.region),
            has_cross_region_backup(root, table),
        }
        if True not in answers:
            if None in answers:
                yield Violation(
                    table,
                    f"{where}: cannot tell whether it has a copy in another region",
                    unresolved=True,
                    kind="undecided-copy",
                )
                continue
            yield Violation(
                table,
                f"{where} has no cross-region recovery: add a replica block in another region "
                "(a global table) or cover it by an AWS Backup plan whose rule copies to a vault "
                "in another region, and enable point_in_time_recovery.",
                kind="no-cross-region-copy",
            )
            continue
        pitr = pitr_enabled(table) or _replica_pitr(root, table)
        if pitr is None:
            yield Violation(
                table,
                f"{where}: cannot tell whether point-in-time recovery is on",
                unresolved=True,
                kind="undecided-pitr",
            )
        elif not pitr:
            yield Violation(
                table,
                f"{where} has copies in another region but no point-in-time recovery, so a bad "
                "write replicated everywhere cannot be undone: add point_in_time_recovery "
                "{ enabled = true }.",
                line=table.values.line_of("point_in_time_recovery"),
                severity=Severity.MEDIUM,
                kind="replicated-without-pitr",
            )


def _replica_pitr(root: Root, table: Resource) -> bool | None:
    """Whether some replica keeps point-in-time recovery (a bad write can be undone there)."""
    found = replicas(root, table)
    answers = {truth(b.get("point_in_time_recovery")) for b in found.blocks}
    answers |= {
        truth(r.values.get("point_in_time_recovery"))
        for r in found.resources
        if r.type == "aws_dynamodb_table_replica"
    }
    if True in answers:
        return True
    return None if None in answers else False
