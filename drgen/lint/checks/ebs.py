"""DR006: EBS volumes and EC2 instances with no snapshot copy in another region.

A copy is a DLM lifecycle policy targeting the resource (resource type and ``target_tags``)
with a ``cross_region_copy_rule`` to another region, or a cross-region AWS Backup copy.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import first
from drgen.lint.checks.facts import blocks_at, other_region, text, value_at
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

_DLM_TYPES = {"aws_ebs_volume": "VOLUME", "aws_instance": "INSTANCE"}


def check_snapshot_copy(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for resource in root.of_type(*_DLM_TYPES):
        answers = {_dlm_copy(root, resource), has_cross_region_backup(root, resource)}
        if True in answers:
            continue
        where = f"{resource.address} ({resource.region or 'region unknown'})"
        if None in answers:
            yield Violation(
                resource,
                f"{where}: cannot tell whether its snapshots are copied to another region",
                unresolved=True,
                kind="undecided-copy",
            )
            continue
        yield Violation(
            resource,
            f"{where} has no snapshot copy in another region: add an aws_dlm_lifecycle_policy "
            "targeting its tags with a cross_region_copy_rule, or cover it by an AWS Backup plan "
            "whose rule copies to a vault in another region.",
            kind="no-cross-region-snapshot-copy",
        )


def _dlm_copy(root: Root, resource: Resource) -> bool | None:
    unknown = False
    for policy in root.of_type("aws_dlm_lifecycle_policy"):
        details = first(policy.values, "policy_details")
        if details is None or not _targets(details.get("resource_types"), resource):
            continue
        wanted = value_at(details, "target_tags")
        if not isinstance(wanted, dict):
            unknown = unknown or wanted is not None
            continue
        if any(resource.tags.get(k) != text(v) for k, v in wanted.items()):
            continue
        for rule in blocks_at(details, "schedule.cross_region_copy_rule"):
            differs = other_region(
                resource.region, text(rule.get("target") or rule.get("target_region"))
            )
            if differs:
                return True
            unknown = unknown or differs is None
    return None if unknown else False


def _targets(resource_types: object, resource: Resource) -> bool:
    wanted = _DLM_TYPES[resource.type]
    if resource_types is None:
        return wanted == "VOLUME"  # DLM's default target type
    return isinstance(resource_types, list) and wanted in resource_types
