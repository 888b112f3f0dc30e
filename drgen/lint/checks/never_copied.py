"""DR037: a DR copy (drgen/lint/checks/dr_copies.py) that nothing ever copies into.

A bucket is copied into when a replication rule (of this root or a linked one) has it as
destination, a DataSync location names it, or Terraform writes objects into it; a database
when it is a read replica, an Aurora secondary or global member, restored from a snapshot,
a point in time or S3, or a DMS target endpoint's server; a table when it has replicas (or
is a legacy global table member), is restored or imported. A DR copy that also has a copy of
its own in another region is no empty copy either. What carries the data is not judged here
(a rule that copies nothing is DR002/DR029's).

When DR037 judges a resource (a DR copy that is not a log, state or lock store) the no-copy
policies DR001, DR003 and DR004 leave it alone (``leaving_dr_copies`` wraps their checks in
the registry): "no copy in another region" is the wrong diagnosis for what is meant to be
the copy, and one problem gets one finding. A run that skips DR037 keeps their finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dr_copies import KINDS, dr_copy_evidence
from drgen.lint.checks.dynamodb import TABLE, replicas
from drgen.lint.checks.facts import (
    is_resolvable,
    is_set,
    may_denote,
    other_region,
    targets,
    text,
    value_at,
)
from drgen.lint.checks.rds import CLUSTER, INSTANCE, copies_of, is_read_replica, is_secondary
from drgen.lint.checks.roles import role
from drgen.lint.checks.s3 import BUCKET, replicates_to_other_region, replications
from drgen.lint.engine.run import Check, CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

NEVER_COPIED_CHECK = "never-copied-into"
# resource type -> (writer type, dotted path of the argument naming what it writes into)
_WRITERS = {
    BUCKET: (
        ("aws_datasync_location_s3", "s3_bucket_arn"),
        ("aws_s3_object", "bucket"),
        ("aws_s3_bucket_object", "bucket"),
    ),
    INSTANCE: (("aws_dms_endpoint", "server_name"),),
    CLUSTER: (("aws_dms_endpoint", "server_name"),),
}
# arguments that fill a new database or table from a snapshot, a point in time or an import
_RESTORES = {
    INSTANCE: ("snapshot_identifier", "restore_to_point_in_time", "s3_import"),
    CLUSTER: (
        "snapshot_identifier",
        "restore_to_point_in_time",
        "s3_import",
        "global_cluster_identifier",
    ),
    TABLE: ("restore_source_name", "restore_source_table_arn", "import_table"),
}
_FIX = {
    BUCKET: "add an aws_s3_bucket_replication_configuration on the serving bucket with this "
    "bucket as destination (both versioned)",
    INSTANCE: "make it a cross-region read replica of the serving database "
    "(replicate_source_db = its ARN) or restore it from a snapshot copied here",
    CLUSTER: "join it to the serving cluster's aws_rds_global_cluster as a secondary "
    "(global_cluster_identifier) or restore it from a snapshot copied here",
    TABLE: "make it a replica of the serving table (a replica block for this region on that "
    "table, or an aws_dynamodb_table_replica) instead of a table of its own",
}


def judged_here(root: Root, resource: Resource) -> bool:
    """Whether DR037 judges ``resource``: a DR copy that is application data."""
    return (
        resource.type in KINDS
        and role(root, resource) is None
        and bool(dr_copy_evidence(root, resource))
    )


def reports_dr_copy(root: Root, resource: Resource, ctx: CheckContext) -> bool:
    """Whether this run's DR037 reports on ``resource`` (what the no-copy policies leave)."""
    return NEVER_COPIED_CHECK in ctx.active_checks and judged_here(root, resource)


def leaving_dr_copies(check: Check) -> Check:
    """``check`` (a no-copy policy's) without its violations on the resources DR037 judges,
    when this run reports DR037's check (with DR037 skipped, the no-copy finding stands)."""

    def leaving(root: Root, ctx: CheckContext) -> Iterator[Violation]:
        for violation in check(root, ctx):
            resource = violation.resource
            if resource is None or not reports_dr_copy(root, resource, ctx):
                yield violation

    return leaving


def check_never_copied_into(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for resource in root.of_type(*KINDS):
        if not judged_here(root, resource):
            continue
        filled = copied_into(root, resource)
        if filled:
            continue
        where = f"{resource.address} ({resource.region or 'region unknown'})"
        if filled is None:
            yield Violation(
                resource,
                f"{where}: cannot tell whether anything copies into this DR copy",
                unresolved=True,
                kind="undecided-copied-into",
            )
            continue
        yield Violation(
            resource,
            f"{where} is provisioned as a DR copy ({dr_copy_evidence(root, resource)}) but "
            "nothing copies into it: no replication, replica, restore or copier has it as "
            "its target, so it stays empty and after a failover the recovery region serves "
            f"no data; {_FIX[resource.type]}, or remove it.",
            kind="never-copied-into",
        )


def copied_into(root: Root, resource: Resource) -> bool | None:
    """Whether something puts data into ``resource`` (or it has a copy of its own elsewhere);
    None when a value drgen cannot follow may."""
    answers: set[bool | None] = {has_cross_region_backup(root, resource)}
    answers |= {is_set(resource.values, name) for name in _RESTORES.get(resource.type, ())}
    answers |= {_writes_into(root, resource, *w) for w in _WRITERS.get(resource.type, ())}
    if resource.type == BUCKET:
        answers |= {replicates_to_other_region(root, resource), _replicated_into(root, resource)}
    elif resource.type == TABLE:
        found = replicas(root, resource)
        answers.add(bool(found.regions or found.blocks or found.resources))
    else:
        answers.add(is_read_replica(resource, root))
        if resource.type == CLUSTER:
            answers.add(is_secondary(root, resource))
        answers |= {other_region(resource.region, c.region) for c in copies_of(root, resource)}
    if True in answers:
        return True
    return None if None in answers else False


def _replicated_into(root: Root, bucket: Resource) -> bool | None:
    answer: bool | None = False
    for replication in replications(root, linked=True):
        if any(d is bucket for d in replication.destinations):
            return True
        if not replication.destination_known and may_denote(
            root, replication.configuration, replication.destination, bucket
        ):
            answer = None
    return answer


def _writes_into(root: Root, target: Resource, kind: str, path: str) -> bool | None:
    """Whether a resource of ``kind`` names ``target`` at ``path`` (a DMS endpoint only as a
    target endpoint); None when one names something drgen cannot follow that may be it."""
    answer: bool | None = False
    for writer in root.linked_of_type(kind):
        if kind == "aws_dms_endpoint" and text(writer.values.get("endpoint_type")) == "source":
            continue
        value = value_at(writer.values, path)
        if any(t is target for t in targets(root, writer, value, target.type)):
            return True
        if not is_resolvable(root, writer, value, target.type) and may_denote(
            root, writer, value, target
        ):
            answer = None
    return answer
