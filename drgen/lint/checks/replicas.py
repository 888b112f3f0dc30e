"""DR015: a cross-region read replica with automated backups off.

A promoted replica becomes the primary; with ``backup_retention_period = 0`` (RDS's default for
a read replica when the argument is unset) it then has no automated backups and no
point-in-time restore until someone turns them on, in the middle of the outage. Only replicas
in another region than their source are judged (the DR copies): RDS requires a cross-region
source to be given by ARN, so a source ARN whose region drgen cannot see counts as one.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import arn_region, other_region, targets
from drgen.lint.checks.rds import INSTANCE
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Expression, Resource, Root

_SOURCE = "replicate_source_db"


def check_replica_backups(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for replica in root.of_type(INSTANCE):
        source = replica.values.get(_SOURCE)
        if source is None:
            continue
        cross = _cross_region(root, replica)
        if cross is False:
            continue
        retention = replica.values.get("backup_retention_period", 0)
        if isinstance(retention, int) and not isinstance(retention, bool) and retention > 0:
            continue
        if isinstance(retention, Expression) or cross is None:
            unknown = "its backup retention" if cross else "whether it is a cross-region replica"
            yield Violation(replica, f"{replica.address}: cannot tell {unknown}", unresolved=True)
            continue
        if not isinstance(retention, int) or isinstance(retention, bool):
            continue  # not a number Terraform would accept: not this policy's concern
        how = (
            "backup_retention_period = 0"
            if "backup_retention_period" in (replica.values.attributes)
            else "backup_retention_period unset, which RDS takes as 0 for a read replica"
        )
        yield Violation(
            replica,
            f"{replica.address} is a cross-region read replica with automated backups off "
            f"({how}): once promoted in a failover it has no recovery point and no "
            "point-in-time restore; set backup_retention_period to at least 1 day.",
            line=replica.values.line_of("backup_retention_period"),
        )


def _cross_region(root: Root, replica: Resource) -> bool | None:
    """Whether the replica's source is in another region (None: cannot tell).

    Regions decide when drgen knows them; else a source under another provider configuration
    (``aws.dr`` beside ``aws``), else how the source is named: RDS takes a source in another
    region only by ARN, so an identifier means the same region and an ARN another one.
    """
    value = replica.values.get(_SOURCE)
    sources = targets(root, replica, value, INSTANCE)
    answers = {other_region(replica.region, s.region) for s in sources}
    if True in answers or answers == {False}:
        return True in answers
    if any(s.provider != replica.provider for s in sources):
        return True
    literal_region = arn_region(value)
    if literal_region is not None:
        return other_region(replica.region, literal_region)
    if isinstance(value, str):
        return value.startswith("arn:")
    if isinstance(value, Expression) and value.source.strip().lower().endswith("arn"):
        return True
    return None
