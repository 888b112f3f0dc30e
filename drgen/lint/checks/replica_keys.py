"""Cross-region copies AWS refuses to create: the source or key named from the wrong region.

DR023: an RDS read replica in another region than its source must name the source by ARN (an
identifier only resolves in the replica's own region) and, when the source is encrypted, a KMS
key of the replica's region (``kms_key_id`` is required and must be valid there).
DR024: an encrypted Aurora global database's secondary cluster needs ``kms_key_id`` of a key in
its own region (a key from the primary's region is not valid there).
DR025: a DynamoDB replica's ``kms_key_arn`` must be a key in the replica's region.
Each is an InvalidParameter error at apply time: the DR copy is never created.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import arn_region, other_region, targets, text, truth
from drgen.lint.checks.key_regions import key_regions
from drgen.lint.checks.rds import CLUSTER, INSTANCE, global_members, is_secondary
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Expression, Resource, Root, Value

_SOURCE = "replicate_source_db"
TABLE = "aws_dynamodb_table"
TABLE_REPLICA = "aws_dynamodb_table_replica"


def check_rds_replica_source_and_key(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for replica in root.of_type(INSTANCE):
        value = replica.values.get(_SOURCE)
        if value is None:
            continue
        sources = targets(root, replica, value, INSTANCE)
        cross = _cross_region(replica, sources, value)
        if cross is False:
            continue
        if cross is None:
            yield Violation(
                replica,
                f"{replica.address}: cannot tell whether its source is in another region",
                unresolved=True,
            )
            continue
        yield from _source_named_by_arn(replica, value)
        yield from _replica_key(root, replica, sources)


def _cross_region(replica: Resource, sources: list[Resource], value: Value) -> bool | None:
    answers = {other_region(replica.region, s.region) for s in sources}
    if answers and None not in answers:
        return True in answers
    if any(s.provider != replica.provider for s in sources):
        return True
    return other_region(replica.region, arn_region(value))


def _source_named_by_arn(replica: Resource, value: Value) -> Iterator[Violation]:
    named = _names_an_arn(value)
    if named is None:
        yield Violation(
            replica, f"{replica.address}: cannot tell whether {_SOURCE} is an ARN", unresolved=True
        )
    elif not named:
        yield Violation(
            replica,
            f"{replica.address} is a read replica in another region than its source, but "
            f"{_SOURCE} is not the source's ARN: RDS resolves an identifier in the replica's own "
            "region and the create fails; use the source's ARN (aws_db_instance.<name>.arn).",
            line=replica.values.line_of(_SOURCE),
            kind="source-not-arn",
        )


def _names_an_arn(value: Value) -> bool | None:
    literal = text(value)
    if literal is not None:
        return literal.startswith("arn:")
    if isinstance(value, Expression):
        if value.source.strip().startswith('"arn:'):
            return True  # a template whose literal start is an ARN prefix
        last = value.source.strip().rsplit(".", 1)[-1]
        if last == "arn":
            return True
        if last in ("identifier", "id", "name", "resource_id"):
            return False
    return None


def _replica_key(root: Root, replica: Resource, sources: list[Resource]) -> Iterator[Violation]:
    key = replica.values.get("kms_key_id")
    if key is None:
        encrypted = {_encrypted(s) for s in sources} if sources else {None}
        if True in encrypted:
            yield Violation(
                replica,
                f"{replica.address} replicates an encrypted database into {replica.region} "
                "without kms_key_id: a cross-region replica of an encrypted source needs a KMS "
                f"key of its own region; set kms_key_id to a key in {replica.region}.",
                kind="no-key",
            )
        return
    yield from _key_in_own_region(root, replica, key, replica.region, "kms_key_id")


def _encrypted(database: Resource) -> bool | None:
    if database.values.get("kms_key_id") is not None:
        return True
    return truth(database.values.get("storage_encrypted"), default=False)


def _key_in_own_region(
    root: Root, user: Resource, key: Value, region: str | None, argument: str, line: int = 0
) -> Iterator[Violation]:
    regions = key_regions(root, user, key)
    if region is None or regions is None:
        yield Violation(
            user, f"{user.address}: cannot tell the region of its {argument}", unresolved=True
        )
        return
    if regions and region not in regions:
        found = ", ".join(sorted(regions))
        yield Violation(
            user,
            f"{user.address} is in {region} but its {argument} is a KMS key in {found}: AWS "
            f"accepts only a key of the resource's own region and the create fails; use a key "
            f"(or an aws_kms_replica_key of a multi-Region key) in {region}.",
            line=line or user.values.line_of(argument),
            kind="key-in-other-region",
        )


def check_aurora_secondary_key(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for cluster in root.of_type(CLUSTER):
        if cluster.values.get("global_cluster_identifier") is None:
            continue
        secondary = is_secondary(root, cluster)
        if secondary is False:
            continue
        encrypted = _global_encrypted(root, cluster)
        if secondary is None or encrypted is None:
            yield Violation(
                cluster,
                f"{cluster.address}: cannot tell whether it is an encrypted global secondary",
                unresolved=True,
            )
            continue
        if not encrypted:
            continue
        key = cluster.values.get("kms_key_id")
        if key is None:
            yield Violation(
                cluster,
                f"{cluster.address} is a secondary cluster of an encrypted Aurora global "
                f"database without kms_key_id: the secondary needs a KMS key of its own region "
                f"({cluster.region or 'its region'}) and the create fails without one.",
                kind="no-key",
            )
            continue
        yield from _key_in_own_region(root, cluster, key, cluster.region, "kms_key_id")


def _global_encrypted(root: Root, cluster: Resource) -> bool | None:
    """Whether the global database is encrypted: any member's own setting, or the global
    cluster's ``storage_encrypted``."""
    answers = {_encrypted(m) for m in global_members(root, cluster)}
    joined = targets(
        root, cluster, cluster.values.get("global_cluster_identifier"), "aws_rds_global_cluster"
    )
    answers |= {truth(g.values.get("storage_encrypted"), default=False) for g in joined}
    if True in answers:
        return True
    return None if None in answers else False


def check_dynamodb_replica_key(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for table in root.of_type(TABLE):
        for block in nested(table.values, "replica"):
            key = block.get("kms_key_arn")
            if key is None:
                continue
            region = text(block.get("region_name"))
            yield from _key_in_own_region(
                root, table, key, region, "replica kms_key_arn", line=block.line
            )
    for replica in root.of_type(TABLE_REPLICA):
        key = replica.values.get("kms_key_arn")
        if key is not None:
            yield from _key_in_own_region(root, replica, key, replica.region, "kms_key_arn")
