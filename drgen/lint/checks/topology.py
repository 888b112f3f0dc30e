"""DR014: a stack (root module) whose stateful resources all live in one region.

The regions a stack keeps data in are those of its stateful resources, its DynamoDB replicas,
its backup vaults, its copy resources (replicated RDS automated backups, table replicas,
snapshot copies) and its DLM cross-region snapshot copies. One region means no DR region at
all; the finding sits on the stack's first stateful resource so it can be suppressed there.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.dynamodb import TABLE
from drgen.lint.checks.facts import blocks_at, text
from drgen.lint.engine import CheckContext, Violation
from drgen.lint.model import Root

STATEFUL = (
    "aws_s3_bucket",
    TABLE,
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_ebs_volume",
    "aws_efs_file_system",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache",
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
    stateful = sorted(root.of_type(*STATEFUL), key=lambda r: (r.file, r.line, r.address))
    if not stateful:
        return
    regions = {r.region for r in stateful} | set(_copy_regions(root))
    known = sorted(r for r in regions if r is not None)
    first = stateful[0]
    if len(known) > 1:
        return
    if None in regions or not known:
        yield Violation(
            first,
            f"stack {root.directory}: cannot tell which regions its stateful resources (first "
            f"{first.address}) live in",
            unresolved=True,
            kind="undecided-regions",
        )
        return
    yield Violation(
        first,
        f"stack {root.directory} keeps every stateful resource ({len(stateful)}, first "
        f"{first.address}) in {known[0]} and copies nothing to another region, so a region "
        "loss loses the data: add a DR region (replication, global tables, a cross-region "
        "backup copy) or suppress with the reason this stack needs none.",
        kind="single-region-stack",
    )


def _copy_regions(root: Root) -> Iterator[str | None]:
    for table in root.of_type(TABLE):
        for block in nested(table.values, "replica"):
            yield text(block.get("region_name"))
    for copy in root.of_type(*COPIES):
        yield copy.region
    for policy in root.of_type("aws_dlm_lifecycle_policy"):
        for rule in blocks_at(policy.values, "policy_details.schedule.cross_region_copy_rule"):
            yield text(rule.get("target") or rule.get("target_region"))
