"""Checks never crash on Terraform they do not understand: arbitrary values, shapes, references."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.model.roots import Block, Expression, Project, Resource, Root, Suppression, Value

POLICIES = load_policies()
TYPES = [
    "aws_s3_bucket",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_dynamodb_table",
    "aws_dynamodb_table_replica",
    "aws_dynamodb_global_table",
    "aws_db_instance",
    "aws_db_instance_automated_backups_replication",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_global_cluster",
    "aws_backup_plan",
    "aws_backup_selection",
    "aws_backup_vault",
    "aws_ebs_snapshot_copy",
    "aws_ebs_volume",
    "aws_instance",
    "aws_dlm_lifecycle_policy",
    "aws_route53_record",
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_version",
]
NAMES = ["a", "b"]
ARGUMENTS = [
    "bucket", "status", "region_name", "region", "multi_az", "replicate_source_db",
    "replication_source_identifier", "global_cluster_identifier", "source_db_cluster_identifier",
    "cluster_identifier", "kms_key_id", "kms_key_arn", "plan_id", "resources", "not_resources",
    "destination_vault_arn", "health_check_id", "type", "name", "zone_id", "count", "for_each",
    "backup_retention_period", "skip_final_snapshot", "deletion_protection", "enabled",
    "point_in_time_recovery", "consistency_mode", "target_tags", "resource_types", "target",
    "primary_key_arn", "global_table_arn", "source_db_instance_arn", "db_name", "key", "value",
    "evaluate_target_health", "multi_region", "sse_algorithm", "replica_kms_key_id", "tags",
    "rule_name",
]  # fmt: skip
BLOCKS = [
    "rule", "destination", "copy_action", "replica", "selection_tag", "condition",
    "string_equals", "failover_routing_policy", "alias", "point_in_time_recovery",
    "server_side_encryption", "policy_details", "schedule", "cross_region_copy_rule",
    "versioning_configuration", "replication_time", "metrics", "source_selection_criteria",
    "sse_kms_encrypted_objects", "encryption_configuration", "dynamic", "content",
]  # fmt: skip

references = st.sampled_from(
    [f"{t}.{n}.arn" for t in TYPES for n in NAMES]
    + ["var.x", "local.y", "module.m.out", "each.value", "count.index", "replica.value.r"]
)
expressions = st.builds(
    Expression, st.text(max_size=12), st.lists(references, max_size=3).map(tuple)
)
scalars: st.SearchStrategy[Value] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from(["Enabled", "Disabled", "PRIMARY", "SECONDARY", "STRONG", "*", "us-east-1",
                     "arn:aws:backup:eu-west-1:1:backup-vault:v", "write-local", "a", ""]),
    expressions,
)  # fmt: skip
values: st.SearchStrategy[Value] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(ARGUMENTS), inner, max_size=3)
    ),
    max_leaves=6,
)


def _blocks(depth: int) -> st.SearchStrategy[Block]:
    children = st.lists(_blocks(depth - 1), max_size=2) if depth else st.just([])
    return st.builds(
        Block,
        st.sampled_from(BLOCKS),
        st.sampled_from([(), ("replica",), ("rule",)]),
        st.dictionaries(st.sampled_from(ARGUMENTS), values, max_size=4),
        children,
        st.integers(1, 50),
        st.just(60),
    )


resources = st.builds(
    lambda kind, name, module, region, body, tags, suppressions: Resource(
        mode="managed",
        type=kind,
        name=name,
        module_path=module,
        body=body,
        file="main.tf",
        region=region,
        tags=tags,
        suppressions=suppressions,
    ),
    st.sampled_from(TYPES),
    st.sampled_from(NAMES),
    st.sampled_from([(), ("m",)]),
    st.sampled_from([None, "us-east-1", "us-west-2"]),
    _blocks(2),
    st.dictionaries(st.sampled_from(["drgen:write-mode", "backup", "tier"]),
                    st.sampled_from(["write-local", "write-global", "yes", "1"]), max_size=2),
    st.lists(
        st.builds(
            Suppression,
            st.lists(st.sampled_from(["DR001", "DR010", "DR999"]), min_size=1, max_size=2).map(
                tuple
            ),
            st.sampled_from(["", "accepted"]),
            st.just("main.tf"),
            st.integers(1, 9),
            st.sampled_from([None, date(2020, 1, 1), date(2030, 1, 1)]),
        ),
        max_size=1,
    ).map(tuple),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(resources, max_size=8), st.booleans())
def test_checks_never_raise_and_findings_are_well_formed(
    found: list[Resource], strict: bool
) -> None:
    unique = {r.address: r for r in found}
    root = Root(".", list(unique.values()))
    root.references = {
        r.address: {a for a in unique if a != r.address and a.endswith(".a")}
        for r in unique.values()
    }
    findings = lint_project(Project(".", [root]), POLICIES, strict=strict, today=date(2026, 6, 1))
    ids = {p.id for p in POLICIES}
    for finding in findings:
        assert finding.rule_id in ids
        assert finding.message and finding.line >= 1
        assert finding.resource in unique or finding.resource == ""
        assert finding.suppressed is (finding.suppression_reason is not None)
    assert findings == sorted(findings, key=lambda f: (*f.sort_key(), f.root, f.message))
