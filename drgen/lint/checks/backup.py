"""AWS Backup coverage: does a plan that copies to another region's vault select a resource?

A resource is covered when an ``aws_backup_selection`` of a plan selects it (its ARN among
``resources``, the wildcard ``"*"``, or a ``selection_tag`` matching its tags, subject to
``condition`` blocks and ``not_resources``) and a rule of that plan has a ``copy_action``
whose ``destination_vault_arn`` is a vault (or a literal ARN) in a region other than the
resource's.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import (
    arn_region,
    blocks_at,
    is_resolvable,
    may_denote,
    other_region,
    targets,
    text,
)
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value

_TAG_KEY = "aws:ResourceTag/"
# resource type -> the service part of its ARN
_SERVICES = {
    "aws_s3_bucket": "s3",
    "aws_dynamodb_table": "dynamodb",
    "aws_db_instance": "rds",
    "aws_rds_cluster": "rds",
    "aws_docdb_cluster": "rds",
    "aws_neptune_cluster": "rds",
    "aws_ebs_volume": "ec2",
    "aws_instance": "ec2",
    "aws_efs_file_system": "elasticfilesystem",
}


def has_cross_region_backup(root: Root, resource: Resource) -> bool | None:
    """True when covered by a cross-region copy, False when surely not, None when unknown."""
    unknown = False
    for selection in root.of_type("aws_backup_selection"):
        selected = selects(root, selection, resource)
        if selected is False:
            continue
        plan_id = selection.values.get("plan_id")
        plans = targets(root, selection, plan_id, "aws_backup_plan")
        if not plans and not is_resolvable(root, selection, plan_id, "aws_backup_plan"):
            unknown = True
        for plan in plans:
            for copy in blocks_at(plan.values, "rule.copy_action"):
                differs = other_region(resource.region, vault_region(root, plan, copy))
                if differs and selected:
                    return True
                if differs is not False:
                    unknown = True
    return None if unknown else False


def vault_region(root: Root, plan: Resource, copy_action: Block) -> str | None:
    """The destination vault's region: a literal ARN's own region wins over a same-named vault
    declared here (vault names are unique per region only)."""
    destination = copy_action.get("destination_vault_arn")
    literal_region = arn_region(destination)
    if literal_region is not None:
        return literal_region
    vaults = targets(root, plan, destination, "aws_backup_vault")
    return vaults[0].region if vaults else None


def selects(root: Root, selection: Resource, resource: Resource) -> bool | None:
    body = selection.values
    if _mentions(root, selection, body.get("not_resources"), resource):
        return False
    listed = _listed(root, selection, body.get("resources"), resource)
    tagged = _tag_selected(body, resource)
    if listed is True or tagged is True:
        return _conditions_hold(body, resource)
    if listed is None or tagged is None:
        return None
    return False


def _listed(root: Root, selection: Resource, value: Value, resource: Resource) -> bool | None:
    if value is None:
        return False
    if isinstance(value, Expression) and not value.references:
        return None
    items = value if isinstance(value, list) else [value]
    unknown = False
    for item in items:
        literal = text(item)
        if literal == "*":
            return True
        if any(t is resource for t in targets(root, selection, item, resource.type)):
            return True
        if literal is not None:  # a pattern such as arn:aws:s3:::logs-* may select it
            unknown = unknown or ("*" in literal and not _other_service(literal, resource))
        elif not is_resolvable(root, selection, item):
            unknown = unknown or may_denote(root, selection, item, resource)
    return None if unknown else False


def _other_service(pattern: str, resource: Resource) -> bool:
    """An ARN pattern of another AWS service (``arn:aws:rds:*:*:db:*`` never selects a bucket)."""
    parts = pattern.split(":")
    service = _SERVICES.get(resource.type)
    if service is None or len(parts) < 3 or parts[0] != "arn" or "*" in parts[2]:
        return False
    return parts[2] != service


def _mentions(root: Root, selection: Resource, value: Value, resource: Resource) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(any(t is resource for t in targets(root, selection, i)) for i in items)


def _tag_selected(body: Block, resource: Resource) -> bool | None:
    unknown = False
    for tag in nested(body, "selection_tag"):
        key, wanted = text(tag.get("key")), text(tag.get("value"))
        if key is None or wanted is None:
            unknown = True
        elif resource.tags.get(key) == wanted:
            return True
    return None if unknown else False


def _conditions_hold(body: Block, resource: Resource) -> bool | None:
    """``condition { string_equals { key = "aws:ResourceTag/app" value = "x" } }`` and kin."""
    unknown = False
    for condition in nested(body, "condition"):
        for test in condition.blocks:
            key, wanted = text(test.get("key")), text(test.get("value"))
            if key is None or wanted is None or not key.startswith(_TAG_KEY):
                unknown = True
                continue
            actual = resource.tags.get(key.removeprefix(_TAG_KEY))
            equal = actual is not None and (
                fnmatchcase(actual, wanted) if "like" in test.type else actual == wanted
            )
            if equal == test.type.startswith("string_not"):
                return False
    return None if unknown else True
