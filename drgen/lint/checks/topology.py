"""DR014: a stack (a root, with the roots linked to it) whose stateful resources all live in
one region.

An ElastiCache cache is stateful only when it keeps snapshots (drgen/lint/checks/caches.py):
otherwise it is rebuilt from the system of record and is no DR data.

The regions a stack keeps data in are those of its stateful resources, its DynamoDB replicas,
its backup vaults, its copy resources (replicated RDS automated backups, table replicas,
snapshot copies) and its DLM cross-region snapshot copies. One region means no DR region at
all; the finding sits on the stack's first stateful resource so it can be suppressed there.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.caches import (
    CACHES,
    REPLICATION_GROUP,
    SERVERLESS,
    global_datastore_regions,
    holds_data,
)
from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.dynamodb import TABLE, replicas
from drgen.lint.checks.efs import FILE_SYSTEM, replication_destinations, replication_regions
from drgen.lint.checks.efs import copy_elsewhere as file_system_copy_elsewhere
from drgen.lint.checks.facts import arn_region, blocks_at, other_region, targets, text
from drgen.lint.checks.global_databases import GLOBAL_OF
from drgen.lint.checks.global_databases import copy_elsewhere as cluster_copy_elsewhere
from drgen.lint.checks.rds import (
    CLUSTER,
    INSTANCE,
    copies_of,
    global_members,
    is_read_replica,
    is_secondary,
)
from drgen.lint.checks.roles import LOCK, LOG, role
from drgen.lint.checks.s3 import BUCKET, replicates_to_other_region
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

STATEFUL = (
    "aws_s3_bucket",
    TABLE,
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_ebs_volume",
    FILE_SYSTEM,
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    REPLICATION_GROUP,
    SERVERLESS,
    "aws_memorydb_cluster",
    "aws_opensearch_domain",
    "aws_docdb_elastic_cluster",
    "aws_redshiftserverless_namespace",
    "aws_redshift_cluster",
    "aws_fsx_windows_file_system",
    "aws_fsx_lustre_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
)

# Resources that hold a copy of data in their own region.
COPIES = (
    "aws_backup_vault",
    "aws_db_instance_automated_backups_replication",
    "aws_dynamodb_table_replica",
    "aws_ebs_snapshot_copy",
)


def check_single_region_stack(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """Judged once per topology (the root and those linked with it), on the root holding its
    first stateful resource; undecided while a region or a copy of any of them is."""
    members = sorted([root, *root.peers], key=lambda m: m.directory)
    held = [
        (r, m)
        for m in members
        for r in m.of_type(*STATEFUL)
        if role(m, r) not in (LOG, LOCK) and (r.type not in CACHES or holds_data(r))
    ]
    if not held:
        return
    held.sort(key=lambda pair: (pair[0].file, pair[0].line, pair[0].address, pair[1].directory))
    first, lead = held[0]
    if lead is not root:
        return
    regions = {r.region for r, _ in held} | {c for m in members for c in _copy_regions(m)}
    known = sorted(r for r in regions if r is not None)
    if len(known) > 1:
        return
    stack = _stack_name(members)
    if None in regions or not known:
        yield Violation(
            first,
            f"{stack}: cannot tell which regions its stateful resources (first "
            f"{first.address}) live in",
            unresolved=True,
            kind="undecided-regions",
        )
        return
    copied = {id(r): copy_elsewhere(m, r) for r, m in held}
    if True in copied.values():
        return  # a copy in a region the stack does not manage (a data source, a literal ARN)
    undecided = next((r for r, _ in held if copied[id(r)] is None), None)
    if undecided is not None:
        yield Violation(
            first,
            f"{stack}: cannot tell whether {undecided.address} has a copy in another region",
            unresolved=True,
        )
        return
    yield Violation(
        first,
        f"{stack} keeps every stateful resource ({len(held)}, first "
        f"{first.address}) in {known[0]} and copies nothing to another region, so a region "
        "loss loses the data: add a DR region (replication, global tables, a cross-region "
        "backup copy) or suppress with the reason this stack needs none.",
        kind="single-region-stack",
    )


def copy_elsewhere(root: Root, resource: Resource) -> bool | None:
    """Whether a stateful resource has a copy in another region (None: cannot tell)."""
    answers: set[bool | None] = {has_cross_region_backup(root, resource)}
    if resource.type == BUCKET:
        answers.add(replicates_to_other_region(root, resource))
    elif resource.type == FILE_SYSTEM:
        answers.add(file_system_copy_elsewhere(root, resource))
    elif resource.type in GLOBAL_OF:
        answers.add(cluster_copy_elsewhere(root, resource))
    elif resource.type == TABLE:
        answers.add(replicas(root, resource).elsewhere(resource.region))
    elif resource.type in (INSTANCE, CLUSTER):
        replica = is_read_replica(resource, root)
        if replica is False and resource.type == CLUSTER:
            replica = is_secondary(root, resource)
        if replica is not False:  # a copy: of a source in which region?
            answers |= {other_region(resource.region, r) for r in _source_regions(root, resource)}
        answers |= {other_region(resource.region, c.region) for c in copies_of(root, resource)}
    if True in answers:
        return True
    return None if None in answers else False


def _source_regions(root: Root, database: Resource) -> set[str | None]:
    """Regions of what a replica or a secondary cluster copies: of the databases drgen sees,
    else of a literal source ARN; {None} when neither tells."""
    regions: set[str | None] = set()
    for name in ("replicate_source_db", "replication_source_identifier"):
        value = database.values.get(name)
        found = targets(root, database, value, INSTANCE, CLUSTER)
        regions |= {s.region for s in found} or ({arn_region(value)} if value else set())
    if database.type == CLUSTER:
        regions |= {m.region for m in global_members(root, database) if m is not database}
    return regions or {None}


def _stack_name(members: list[Root]) -> str:
    if len(members) == 1:
        return f"stack {members[0].directory}"
    return "stack of linked roots " + ", ".join(m.directory for m in members)


def _copy_regions(root: Root) -> Iterator[str | None]:
    """Regions the stack's copies involve: replicas, vaults, copy resources, DLM copy targets,
    and the (known) regions of what its replicas copy."""
    for database in root.of_type(INSTANCE, CLUSTER):
        if is_read_replica(database, root) or (
            database.type == CLUSTER and is_secondary(root, database)
        ):
            yield from (r for r in _source_regions(root, database) if r is not None)
    yield from global_datastore_regions(root)
    for file_system in root.of_type(FILE_SYSTEM):
        yield from replication_regions(root, file_system)
    for replica in replication_destinations(root):
        yield replica.region
    for table in root.of_type(TABLE):
        for block in nested(table.values, "replica"):
            yield text(block.get("region_name"))
    for copy in root.of_type(*COPIES):
        yield copy.region
    for policy in root.of_type("aws_dlm_lifecycle_policy"):
        for rule in blocks_at(policy.values, "policy_details.schedule.cross_region_copy_rule"):
            yield text(rule.get("target") or rule.get("target_region"))
