"""Every Python check a policy may name in its ``check`` field, in one explicit map.

Importing this module registers nothing anywhere: it only builds the dict. A new check is a
plain function ``check(root, ctx) -> Iterable[Violation]`` added here and named by a policy.
"""

from __future__ import annotations

from drgen.lint.checks.alias_targets import check_alias_to_undeclared_balancer
from drgen.lint.checks.automation import (
    check_failover_alarm_missing_data,
    check_failover_automation_region,
)
from drgen.lint.checks.backup_plans import check_plan_copies_cross_region
from drgen.lint.checks.cold_storage import check_cold_storage_minimum
from drgen.lint.checks.delete_markers import check_delete_markers_into_unlocked
from drgen.lint.checks.directory_buckets import check_directory_bucket_zone
from drgen.lint.checks.dynamodb import check_table_recovery
from drgen.lint.checks.ebs import check_snapshot_copy
from drgen.lint.checks.efs import check_file_system_copy
from drgen.lint.checks.entry_points import check_load_balancers_without_dns_failover
from drgen.lint.checks.global_clusters import check_global_cluster_force_destroy
from drgen.lint.checks.global_databases import check_document_graph_recovery
from drgen.lint.checks.kms import check_single_region_secrets
from drgen.lint.checks.managed_passwords import check_replica_of_managed_password
from drgen.lint.checks.never_copied import (
    NEVER_COPIED_CHECK,
    check_never_copied_into,
    leaving_dr_copies,
)
from drgen.lint.checks.objectives import check_objectives_met
from drgen.lint.checks.pinned_roles import check_pinned_role_regions
from drgen.lint.checks.rds import check_database_ha, check_database_recovery
from drgen.lint.checks.recovery_points import check_recovery_points
from drgen.lint.checks.regional_dependencies import check_groups_of_another_region
from drgen.lint.checks.replica_keys import (
    check_aurora_secondary_key,
    check_dynamodb_replica_key,
    check_rds_replica_source_and_key,
)
from drgen.lint.checks.replicas import check_replica_backups
from drgen.lint.checks.retention import check_retention_floor
from drgen.lint.checks.route53 import check_failover_health
from drgen.lint.checks.routing_health import check_routing_record_health
from drgen.lint.checks.s3 import (
    check_bucket_has_copy,
    check_replication_role,
    check_replication_works,
)
from drgen.lint.checks.state_location import check_recovery_state_region
from drgen.lint.checks.suppressions import SUPPRESSIONS_CHECK, check_suppressions
from drgen.lint.checks.topology import check_single_region_stack
from drgen.lint.checks.writes import check_multi_region_writes
from drgen.lint.engine.run import UNRESOLVED_CHECK, Check

CHECKS: dict[str, Check] = {
    SUPPRESSIONS_CHECK: check_suppressions,
    # DR037 judges the DR copies: the no-copy policies leave them alone (one finding each)
    "s3-bucket-copy": leaving_dr_copies(check_bucket_has_copy),
    "s3-replication": check_replication_works,
    "database-recovery": leaving_dr_copies(check_database_recovery),
    "dynamodb-recovery": leaving_dr_copies(check_table_recovery),
    "backup-plan-copy": check_plan_copies_cross_region,
    "ebs-snapshot-copy": check_snapshot_copy,
    "database-ha": check_database_ha,
    "recovery-points": check_recovery_points,
    "multi-region-writes": check_multi_region_writes,
    "failover-health": check_failover_health,
    "single-region-secrets": check_single_region_secrets,
    "single-region-stack": check_single_region_stack,
    "objectives-met": check_objectives_met,
    "replica-backups": check_replica_backups,
    "global-cluster-force-destroy": check_global_cluster_force_destroy,
    "failover-automation-region": check_failover_automation_region,
    "failover-alarm-missing-data": check_failover_alarm_missing_data,
    "cold-storage-minimum": check_cold_storage_minimum,
    "replica-of-managed-password": check_replica_of_managed_password,
    "rds-replica-source-and-key": check_rds_replica_source_and_key,
    "aurora-secondary-key": check_aurora_secondary_key,
    "dynamodb-replica-key": check_dynamodb_replica_key,
    "delete-markers-into-unlocked": check_delete_markers_into_unlocked,
    "load-balancers-without-dns-failover": check_load_balancers_without_dns_failover,
    "efs-file-system-copy": check_file_system_copy,
    "s3-replication-role": check_replication_role,
    "directory-bucket-zone": check_directory_bucket_zone,
    "document-graph-recovery": check_document_graph_recovery,
    "routing-record-health": check_routing_record_health,
    "groups-of-another-region": check_groups_of_another_region,
    "recovery-state-region": check_recovery_state_region,
    "alias-to-undeclared-load-balancer": check_alias_to_undeclared_balancer,
    NEVER_COPIED_CHECK: check_never_copied_into,
    "pinned-role-regions": check_pinned_role_regions,
    "retention-floor": check_retention_floor,
}

# Names the engine implements itself rather than a check function.
ENGINE_CHECKS = frozenset({UNRESOLVED_CHECK})
