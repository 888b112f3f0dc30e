"""DR033: a database that names a parameter, option or subnet group of another region.

Parameter groups, option groups, subnet groups and security groups are regional: a database
can only use the ones of its own region, and AWS rejects a create (or a replacement) whose
group lives elsewhere. The usual cause is a recovery-region cluster or replica written by
copying the primary's block, so it still refers to the primary's groups: the plan succeeds,
the apply fails, and it fails when the recovery region's database is first built, often
during the recovery itself. Literal group names are per region and are not judged (the same
name may exist in both regions); references to groups drgen sees in another region are.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import other_region, targets
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.evaluation.scope import references_in
from drgen.lint.model.roots import Resource, Root

# database type -> argument -> the regional group types it names
_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "aws_rds_cluster": {
        "db_cluster_parameter_group_name": ("aws_rds_cluster_parameter_group",),
        "db_instance_parameter_group_name": ("aws_db_parameter_group",),
        "db_subnet_group_name": ("aws_db_subnet_group",),
        "vpc_security_group_ids": ("aws_security_group",),
    },
    "aws_rds_cluster_instance": {
        "db_parameter_group_name": ("aws_db_parameter_group",),
        "db_subnet_group_name": ("aws_db_subnet_group",),
    },
    "aws_db_instance": {
        "parameter_group_name": ("aws_db_parameter_group",),
        "option_group_name": ("aws_db_option_group",),
        "db_subnet_group_name": ("aws_db_subnet_group",),
        "vpc_security_group_ids": ("aws_security_group",),
    },
    "aws_docdb_cluster": {
        "db_cluster_parameter_group_name": ("aws_docdb_cluster_parameter_group",),
        "db_subnet_group_name": ("aws_docdb_subnet_group",),
        "vpc_security_group_ids": ("aws_security_group",),
    },
    "aws_neptune_cluster": {
        "neptune_cluster_parameter_group_name": ("aws_neptune_cluster_parameter_group",),
        "neptune_subnet_group_name": ("aws_neptune_subnet_group",),
        "vpc_security_group_ids": ("aws_security_group",),
    },
    "aws_elasticache_replication_group": {
        "parameter_group_name": ("aws_elasticache_parameter_group",),
        "subnet_group_name": ("aws_elasticache_subnet_group",),
        "security_group_ids": ("aws_security_group",),
    },
}


def check_groups_of_another_region(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for database in root.of_type(*_GROUPS):
        if database.region is None:
            continue
        for argument, kinds in _GROUPS[database.type].items():
            value = database.values.get(argument)
            if not any(True for _ in references_in(value)):
                continue  # literal names are per region: the same name may exist in both
            for group in targets(root, database, value, *kinds):
                if other_region(database.region, group.region) is not True:
                    continue
                yield _violation(database, argument, group)


def _violation(database: Resource, argument: str, group: Resource) -> Violation:
    return Violation(
        database,
        f"{database.address} ({database.region}) sets {argument} to {group.address}, which "
        f"is in {group.region}: groups are regional, so AWS rejects the create and the "
        f"database cannot be built in {database.region} (typically when the recovery region "
        "is first needed); declare the group in the database's own region (same provider) "
        "and refer to that one.",
        line=database.values.line_of(argument),
        kind=f"group-of-another-region:{argument}",
    )
